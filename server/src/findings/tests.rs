//! Fixture tests for every family of findings: a Python snippet and the
//! findings it must give (snapshots), or, with a `$0` cursor, the fix of the
//! finding under the cursor applied and the result checked again.

use std::path::Path;

use expect_test::{Expect, expect};

use super::*;
use crate::settings::LintSettings;

const CURSOR: &str = "$0";

pub(super) fn config(lint: LintSettings) -> Config {
    let dir = std::env::temp_dir().join("pyloom-findings-no-config");
    std::fs::create_dir_all(&dir).expect("temp dir");
    Config::load(&dir, &lint).0
}

pub(super) fn render(source: &str, findings: &[Finding]) -> String {
    let locator = Locator::new(source);
    let mut out = String::new();
    for f in findings {
        let (line, column) = locator.line_column(f.range.start);
        out.push_str(&format!("{line}:{column} {} {:?} {}", f.code, f.severity, f.message));
        if let Some(confidence) = f.confidence {
            out.push_str(&format!(" [confidence {confidence:?}]"));
        }
        if let Some(fix) = &f.fix {
            out.push_str(&format!(" [fix {:?}: {}]", fix.applicability, fix.message));
        }
        out.push('\n');
    }
    out
}

/// Findings of `source` with the default selection, only the codes that
/// start with one of `prefixes` (all when empty).
fn check_with(source: &str, lint: LintSettings, prefixes: &[&str], expect: Expect) {
    let findings: Vec<Finding> = check_source(Path::new("/work/snippet.py"), source, &config(lint), None)
        .into_iter()
        .filter(|f| prefixes.is_empty() || prefixes.iter().any(|p| f.code.starts_with(p)))
        .collect();
    expect.assert_eq(&render(source, &findings));
}

pub(super) fn check(source: &str, prefixes: &[&str], expect: Expect) {
    check_with(source, LintSettings::default(), prefixes, expect);
}

/// [`check`] with every confidence shown, for the findings whose
/// confidence is what the fixture shows (`low` is hidden by default).
pub(super) fn check_every(source: &str, prefixes: &[&str], expect: Expect) {
    check_with(source, LintSettings { confidence: Confidence::Low, ..LintSettings::default() }, prefixes, expect);
}

fn apply(source: &str, edits: &[Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut text = source.to_owned();
    for edit in edits {
        text.replace_range(edit.range.clone(), &edit.content);
    }
    text
}

/// The source of `before` without its cursor and the `code` finding on the
/// cursor's line, every confidence shown: ruff's fix of `shell=True`
/// applies to a constant command, which the default selection hides.
pub(super) fn finding_at(code: &str, before: &str) -> (String, Finding) {
    let offset = before.find(CURSOR).expect("fixture has a $0 cursor");
    let source = before.replace(CURSOR, "");
    let config = config(LintSettings { confidence: crate::findings::Confidence::Low, ..LintSettings::default() });
    let findings = check_source(Path::new("/work/snippet.py"), &source, &config, None);
    let line = |offset: usize| source[..offset].matches('\n').count();
    let finding = findings
        .iter()
        .find(|f| f.code == code && line(f.range.start) == line(offset))
        .unwrap_or_else(|| panic!("no {code} at the cursor: {}", render(&source, &findings)))
        .clone();
    (source, finding)
}

/// Applies the fix of the `code` finding on the cursor's line, compares the
/// result and checks that the finding is gone.
pub(super) fn check_fix(code: &str, before: &str, after: &str) {
    let (source, finding) = finding_at(code, before);
    let fix = finding.fix.as_ref().unwrap_or_else(|| panic!("{code} has no fix"));
    let fixed = apply(&source, &fix.edits);
    assert_eq!(fixed, after);
    let config = config(LintSettings { confidence: crate::findings::Confidence::Low, ..LintSettings::default() });
    let again = check_source(Path::new("/work/snippet.py"), &fixed, &config, None);
    assert!(!again.iter().any(|f| f.code == code || f.category == Category::Syntax), "{}", render(&fixed, &again));
}

/// The `code` finding on the cursor's line is reported and has no fix.
pub(super) fn check_no_fix(code: &str, before: &str) {
    let (_, finding) = finding_at(code, before);
    assert!(finding.fix.is_none(), "{code} has a fix: {:?}", finding.fix);
}

fn check_suppressed(code: &str, source: &str) {
    let config = config(LintSettings::default());
    let path = Path::new("/work/snippet.py");
    let findings = check_source(path, source, &config, None);
    let finding = findings.iter().find(|f| f.code == code).unwrap_or_else(|| panic!("no {code}: {}", render(source, &findings)));
    let suppressed = apply(source, std::slice::from_ref(finding.suppress.as_ref().expect("a suppression edit")));
    assert!(suppressed.lines().any(|l| l.contains("# noqa: ") && l.contains(code)), "{suppressed}");
    let again = check_source(path, &suppressed, &config, None);
    assert!(!again.iter().any(|f| f.code == code), "{}", render(&suppressed, &again));
}

// --- lint ---------------------------------------------------------------

#[test]
fn ruff_rules_with_docs_tags_and_safe_fixes() {
    let source = "import os\n\n\ndef f():\n    x = 1\n    return undefined_name\n";
    check(
        source,
        &[],
        expect![[r#"
            1:8 F401 Warning `os` imported but unused [fix Safe: Remove unused import: `os`]
            5:5 F841 Warning Local variable `x` is assigned to but never used [fix Unsafe: Remove assignment to unused variable `x`]
            6:12 F821 Error Undefined name `undefined_name`
        "#]],
    );
    let findings = check_source(Path::new("/work/a.py"), source, &config(LintSettings::default()), None);
    let by_code = |code: &str| findings.iter().find(|f| f.code == code).expect("reported");
    assert_eq!(by_code("F401").url.as_deref(), Some("https://docs.astral.sh/ruff/rules/unused-import"));
    assert_eq!(by_code("F401").tags, [Tag::Unnecessary]);
    assert_eq!(by_code("F841").tags, [Tag::Unnecessary]);
    assert_eq!(by_code("F821").tags, []);
}

#[test]
fn selection_comes_from_settings_over_ruff_defaults() {
    let source = "import os\nl = 1\n";
    let lint = LintSettings { select: Some(vec!["E741".into()]), ..LintSettings::default() };
    check_with(
        source,
        lint,
        &[],
        expect![[r#"
        2:1 E741 Warning Ambiguous variable name: `l`
    "#]],
    );
    let lint = LintSettings { ignore: Some(vec!["F".into()]), ..LintSettings::default() };
    check_with(
        source,
        lint,
        &[],
        expect![[r#"
        1:1 I001 Warning Import block is un-sorted or un-formatted [fix Safe: Organize imports]
    "#]],
    );
}

#[test]
fn only_bandit_rules_are_security_findings() {
    let lint = LintSettings { select: Some(vec!["SIM115".into(), "S101".into()]), ..LintSettings::default() };
    let source = "def f():\n    h = open('x')\n    assert h\n";
    let findings = check_source(Path::new("/work/a.py"), source, &config(lint), None);
    let categories: Vec<(&str, Category)> = findings.iter().map(|f| (f.code.as_str(), f.category)).collect();
    assert_eq!(categories, [("SIM115", Category::Lint), ("S101", Category::Security)]);
}

#[test]
fn ruff_configuration_is_discovered_and_settings_override_it() {
    let dir = std::env::temp_dir().join(format!("pyloom-ruff-config-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(
        dir.join("pyproject.toml"),
        "[project]\nrequires-python = \">=3.12\"\n[tool.ruff.lint]\nselect = [\"E741\"]\n[tool.ruff.lint.per-file-ignores]\n\"pkg/*\" = [\"E741\"]\n",
    )
    .unwrap();
    let source = "import os\nl = 1\n";
    let codes = |path: &Path, lint: &LintSettings| -> Vec<String> {
        let config = Config::load(&dir, lint).0;
        check_source(path, source, &config, None).into_iter().map(|f| f.code).collect()
    };
    let plain = LintSettings { extend_select: vec![], ..LintSettings::default() };
    assert_eq!(codes(&dir.join("a.py"), &plain), ["E741"]);
    assert_eq!(codes(&dir.join("pkg/b.py"), &plain), Vec::<String>::new(), "per-file ignore");
    let overridden = LintSettings { select: Some(vec!["F401".into()]), ..plain };
    assert_eq!(codes(&dir.join("a.py"), &overridden), ["F401"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn asserts_in_test_files_are_not_flagged_unless_bandit_was_asked_for() {
    let dir = std::env::temp_dir().join(format!("pyloom-asserts-in-tests-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tests/files")).unwrap();
    let source = "def test_it():\n    assert 1 + 1 == 2\n";
    let codes = |path: &str, lint: &LintSettings| -> Vec<String> {
        let config = Config::load(&dir, lint).0;
        check_source(&dir.join(path), source, &config, None).into_iter().map(|f| f.code).collect()
    };
    let default = LintSettings::default();
    for test_file in
        ["tests/test_a.py", "tests/helpers.py", "a_test.py", "test_b.py", "conftest.py", "test_top.ipynb", "b_test.ipynb", "tests/files/demo.ipynb"]
    {
        assert_eq!(codes(test_file, &default), Vec::<String>::new(), "{test_file}");
    }
    assert_eq!(codes("shop.py", &default), ["S101"], "outside tests an assert is flagged");
    assert_eq!(codes("analysis.ipynb", &default), ["S101"], "outside tests a notebook's assert is flagged");
    // Must stay: only a folder named `tests` makes its notebooks test files.
    assert_eq!(codes("test/demo.ipynb", &default), ["S101"], "a folder named `test` is not `tests`");
    let asked = LintSettings { extend_select: vec!["S".into(), "S101".into()], ..LintSettings::default() };
    assert_eq!(codes("tests/test_a.py", &asked), ["S101"], "the user's own selection");
    std::fs::write(dir.join("ruff.toml"), "[lint]\nextend-select = [\"S\"]\n").unwrap();
    assert_eq!(codes("tests/test_a.py", &default), ["S101"], "the ruff configuration's selection");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn each_folder_takes_the_nearest_configuration_file() {
    let dir = std::env::temp_dir().join(format!("pyloom-nested-config-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("a/b/c")).unwrap();
    std::fs::create_dir_all(dir.join("other/deep")).unwrap();
    std::fs::write(dir.join("ruff.toml"), "[lint]\nselect = [\"E741\"]\n").unwrap();
    std::fs::write(dir.join("a/pyproject.toml"), "[project]\nname = \"a\"\n").unwrap();
    std::fs::write(dir.join("a/b/.ruff.toml"), "[lint]\nselect = [\"F401\"]\n").unwrap();
    let (configs, warnings) = Configs::new(&dir, &LintSettings { extend_select: vec![], ..LintSettings::default() });
    assert!(warnings.is_empty(), "{warnings:?}");
    let source = "import os\nl = 1\n";
    let codes = |path: &str| -> Vec<String> {
        let path = dir.join(path);
        check_source(&path, source, &configs.for_file(&path), None).into_iter().map(|f| f.code).collect()
    };
    // Asked deepest first, so a folder's answer is cached before its
    // parent's; a pyproject.toml without [tool.ruff] is passed over.
    assert_eq!(codes("a/b/c/x.py"), ["F401"]);
    assert_eq!(codes("a/b/x.py"), ["F401"]);
    assert_eq!(codes("other/deep/x.py"), ["E741"]);
    assert_eq!(codes("a/x.py"), ["E741"]);
    assert_eq!(codes("x.py"), ["E741"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn configurations_sharing_a_trees_files_each_apply_their_own_settings() {
    let dir = std::env::temp_dir().join(format!("pyloom-shared-config-files-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::write(dir.join("ruff.toml"), "[lint]\nselect = [\"E741\"]\n").unwrap();
    std::fs::write(dir.join("a/.ruff.toml"), "[lint]\nselect = [\"F401\", \"E741\"]\n").unwrap();
    // What `pyloom check` does: the walk's configurations (no settings)
    // find the files first, the check's (the user's settings) reuse them.
    let files = ConfigFiles::default();
    let walked = Configs::sharing(&dir, &LintSettings { extend_select: vec![], ..LintSettings::default() }, files.clone()).0;
    let ignoring = LintSettings { extend_select: vec![], ignore: Some(vec!["F401".into()]), ..LintSettings::default() };
    let checked = Configs::sharing(&dir, &ignoring, files).0;
    let source = "import os\nl = 1\n";
    let codes = |configs: &Configs, path: &str| -> Vec<String> {
        let path = dir.join(path);
        check_source(&path, source, &configs.for_file(&path), None).into_iter().map(|f| f.code).collect()
    };
    assert_eq!(codes(&walked, "a/x.py"), ["F401", "E741"]);
    assert_eq!(codes(&walked, "x.py"), ["E741"]);
    assert_eq!(codes(&checked, "a/x.py"), ["E741"], "the folder's file found by the walk, with the check's own ignore");
    assert_eq!(codes(&checked, "x.py"), ["E741"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn noqa_is_honoured_for_ruff_and_own_checks() {
    check(
        "import os  # noqa: F401\nimport sys  # noqa\nimport telnetlib  # noqa: LOOM401, F401\nimport ftplib  # noqa: F401\n",
        &[],
        expect![[r#"
            1:1 I001 Warning Import block is un-sorted or un-formatted [fix Safe: Organize imports]
            4:8 LOOM402 Error Import of `ftplib`: FTP is unencrypted; use SFTP or FTPS [confidence High]
        "#]],
    );
    check_suppressed("F401", "import os\n");
    check_suppressed("S101", "assert x  # checked\n");
    check_suppressed("LOOM402", "import ftplib  # noqa: F401\n");
    // In a multi-line string the directive goes after the closing quotes.
    check_suppressed("LOOM902", "KEY = \"\"\"\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n\"\"\"\n");
}

#[test]
fn broken_code_gives_syntax_errors_only() {
    check(
        "import os\ndef f(:\n",
        &[],
        expect![[r#"
        2:7 E999 Error Expected a parameter or the end of the parameter list
        3:1 E999 Error unexpected EOF while parsing
    "#]],
    );
}

#[test]
fn syntax_error_is_located_one_based_in_scalars() {
    let source = "s = '😀'\ndef f(:\n    pass\n";
    let mut findings = check_source(Path::new("a.py"), source, &config(LintSettings::default()), None);
    assert_eq!(findings.len(), 2, "{findings:?}");
    let located = Locator::new(source).locate("a.py".into(), findings.remove(0));
    assert_eq!((located.line, located.column, located.end_column), (2, 7, 8));
    assert_eq!(located.message, "Expected a parameter or the end of the parameter list");
    assert_eq!(located.category, Category::Syntax);
    assert_eq!(located.severity, Severity::Error);
}

// --- security beyond ruff ---------------------------------------------

#[test]
fn trojan_source() {
    check(
        "ok = x != 'none\u{202E}\u{2066}'\n",
        &["LOOM"],
        expect![[r#"
        1:16 LOOM613 Error Bidirectional control character U+202E can make code read differently from how it runs (trojan source) [confidence Medium]
        1:17 LOOM613 Error Bidirectional control character U+2066 can make code read differently from how it runs (trojan source) [confidence Medium]
    "#]],
    );
}

#[test]
fn torch_load_without_weights_only() {
    check(
        "import torch\nm = torch.load('m.pt')\nn = torch.load('m.pt', weights_only=True)\n",
        &["LOOM"],
        expect![[r#"
            2:5 LOOM614 Warning `torch.load` without `weights_only=True` can run arbitrary code from the file [confidence High] [fix Unsafe: Pass `weights_only=True`]
        "#]],
    );
    check_fix("LOOM614", "import torch\nm = torch.lo$0ad('m.pt')\n", "import torch\nm = torch.load('m.pt', weights_only=True)\n");
}

#[test]
fn model_downloads_without_a_pinned_revision() {
    check(
        "from transformers import AutoModel\nfrom huggingface_hub import hf_hub_download\n\
         a = AutoModel.from_pretrained('org/model')\nb = AutoModel.from_pretrained('org/model', revision='9f2c1e0')\n\
         c = hf_hub_download('org/model', 'w.bin')\n",
        &["LOOM"],
        expect![[r#"
            3:5 LOOM615 Warning `from_pretrained` without a pinned `revision` downloads whatever the hub serves today [confidence High]
            5:5 LOOM615 Warning `huggingface_hub.hf_hub_download` without a pinned `revision` downloads whatever the hub serves today [confidence High]
        "#]],
    );
}

#[test]
fn django_mark_safe_on_non_literals() {
    check(
        "from django.utils import safestring\nsafestring.SafeString(user_input)\nsafestring.SafeText('<b>ok</b>')\n",
        &["LOOM", "S308"],
        expect![[r#"
            2:1 LOOM703 Warning `SafeString` on a value that is not a literal may let through cross-site scripting [confidence High]
        "#]],
    );
}

#[test]
fn a_hard_coded_iv_or_nonce() {
    // Twins: one drawn at run time, or held by a name, is not reported.
    check(
        "import os\nfrom Crypto.Cipher import AES\nfrom Crypto.Random import get_random_bytes\n\
         from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\n\
         AES.new(key, AES.MODE_CBC, b'This is an IV456')\nAES.new(key, AES.MODE_CTR, nonce=b'12345678')\n\
         Cipher(algorithms.AES(key), modes.CBC(b'0000000000000000'))\n\
         AES.new(key, AES.MODE_CBC, get_random_bytes(16))\nAES.new(key, AES.MODE_CBC, iv=iv)\n\
         Cipher(algorithms.AES(key), modes.CBC(os.urandom(16)))\n",
        &["LOOM645"],
        expect![[r#"
            6:28 LOOM645 Warning `AES.new` is given a hard-coded IV or nonce (`This… (16 chars)`): equal messages encrypt alike and a stream mode repeats its key stream; draw one per message (`os.urandom`) [confidence High]
            7:34 LOOM645 Warning `AES.new` is given a hard-coded IV or nonce (`1234… (8 chars)`): equal messages encrypt alike and a stream mode repeats its key stream; draw one per message (`os.urandom`) [confidence High]
            8:39 LOOM645 Warning `modes.CBC` is given a hard-coded IV or nonce (`0000… (16 chars)`): equal messages encrypt alike and a stream mode repeats its key stream; draw one per message (`os.urandom`) [confidence High]
        "#]],
    );
}

#[test]
fn import_blocklist() {
    check(
        "import telnetlib\nfrom ftplib import FTP\nimport xmlrpc.client\nfrom Crypto.Cipher import AES\nfrom pyghmi.ipmi import command\nimport wsgiref.handlers\nwsgiref.handlers.CGIHandler().run(app)\n",
        &["LOOM"],
        expect![[r#"
            1:8 LOOM401 Error Import of `telnetlib`: Telnet is unencrypted; use SSH (e.g. paramiko) [confidence High]
            2:1 LOOM402 Error Import of `ftplib`: FTP is unencrypted; use SFTP or FTPS [confidence High]
            3:8 LOOM411 Error Import of `xmlrpc.client`: xmlrpc is open to XML attacks; use defusedxml.xmlrpc [confidence High]
            5:1 LOOM415 Error Import of `pyghmi.ipmi`: IPMI is an insecure protocol [confidence High]
            7:1 LOOM412 Error `CGIHandler` is open to httpoxy (CGI takes the proxy from a request header) [confidence High]
        "#]],
    );
}

#[test]
fn insecure_tls_versions_weak_ciphers_xml_and_deserialisation() {
    check(
        "from OpenSSL import SSL\nimport ssl, jsonpickle, lxml.etree\n\
         SSL.Context(method=SSL.TLSv1_METHOD)\nconnect(ssl_version=ssl.PROTOCOL_SSLv3)\n\
         from cryptography.hazmat.primitives.ciphers import algorithms\nalgorithms.CAST5(key)\n\
         lxml.etree.fromstring(text)\njsonpickle.decode(data)\n",
        &["LOOM"],
        expect![[r#"
            4:9 LOOM502 Warning `PROTOCOL_SSLv3` is an insecure SSL/TLS version; use TLS 1.2 or later [confidence Medium]
            6:1 LOOM304 Error `CAST5` is a broken or weak cipher; use AES (e.g. Fernet) [confidence High]
            7:1 LOOM320 Warning `lxml.etree.fromstring` is open to XML attacks; use `defusedxml` [confidence High]
        "#]],
    );
}

#[test]
fn multi_line_sql_and_paramiko() {
    check(
        "import paramiko\nq = \"\"\"SELECT *\nFROM t WHERE id = '%s'\"\"\" % ident\nq2 = 'SELECT 1'\nclient.exec_command(cmd)\nclient.exec_command('ls -r /')\n",
        &["LOOM", "S608"],
        expect![[r#"
            2:5 LOOM608 Warning Possible SQL injection: a query built from run-time values; use query parameters [confidence Medium]
            5:1 LOOM601 Warning `exec_command` runs a shell command on the remote host; check for injection [confidence Medium]
        "#]],
    );
}

#[test]
fn yaml_pickle_tls_and_permission_families() {
    check(
        "import yaml, ssl, os, urllib3, _pickle\nimport cPickle as cp\nfrom ruamel.yaml import YAML\nfrom xml.etree import ElementTree\nimport xmlrpclib\n\
         yaml.unsafe_load(s)\nyaml.load_all(s, Loader=yaml.Loader)\nyaml.load_all(s, Loader=yaml.SafeLoader)\nYAML(typ='unsafe')\n\
         _pickle.loads(b)\ncp.load(f)\npickle.loads(b)\n\
         urllib3.PoolManager(cert_reqs='CERT_NONE')\nurllib3.PoolManager(cert_reqs=ssl.CERT_REQUIRED)\n\
         ssl._create_default_https_context = ssl._create_unverified_context\nos.fchmod(fd, 0o777)\nos.lchmod(p, 0o600)\n\
         yaml.load_all(s)\nyaml.load(s)\nyaml.load_all('a: 1')\n",
        &["LOOM", "S3", "S5"],
        expect![[r#"
            5:8 LOOM411 Error Import of `xmlrpclib`: xmlrpclib is open to XML attacks; use defusedxml.xmlrpc [confidence High]
            6:1 LOOM506 Warning `unsafe_load` builds arbitrary Python objects; use a safe loader (`yaml.safe_load`) [confidence High] [fix Unsafe: Use `yaml.safe_load`]
            7:1 LOOM506 Warning `load_all` with an unsafe `Loader` builds arbitrary Python objects; use a safe loader (`yaml.safe_load`) [confidence High] [fix Unsafe: Use `yaml.safe_load_all`]
            9:1 LOOM506 Warning `YAML` with `typ="unsafe"` builds arbitrary Python objects; use a safe loader (`yaml.safe_load`) [confidence High]
            10:1 LOOM301 Warning `_pickle.loads` can run arbitrary code from untrusted data [confidence Medium]
            11:1 LOOM301 Warning `cp.load` can run arbitrary code from untrusted data [confidence High]
            12:1 LOOM301 Warning `pickle.loads` can run arbitrary code from untrusted data [confidence Medium]
            13:1 LOOM501 Error `PoolManager` with `cert_reqs=CERT_NONE` does not check certificates [confidence High]
            15:1 LOOM323 Warning Every HTTPS connection of the process stops checking certificates [confidence High]
            16:1 LOOM103 Warning `os.fchmod` lets others on the machine write the file [confidence High]
            18:1 LOOM506 Warning `load_all` without a `Loader` builds arbitrary Python objects (PyYAML before 5.1); use a safe loader (`yaml.safe_load`) [confidence High] [fix Unsafe: Use `yaml.safe_load_all`]
            19:1 S506 Warning Probable use of unsafe `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Medium] [fix Unsafe: Use `yaml.safe_load`]
        "#]],
    );
}

/// A deserialiser is named as the call is written: under a Python 2 switch
/// (`import cPickle as pickle` in the `else` branch) `pickle.loads` resolves
/// to `cPickle.loads`, which the code never runs on Python 3. Judged by
/// the flow as ruff's S301 is (a parameter medium, a request high, a
/// constant low); a file keeps its rating.
#[test]
fn a_deserialiser_is_named_as_written_and_judged_as_s301() {
    check_every(
        "import sys\nfrom flask import request\nif sys.version_info.major > 2:\n    import pickle\nelse:\n    import cPickle as pickle\n\n\
         def load(blob):\n    return pickle.loads(blob)\n\n\
         def view():\n    return pickle.loads(request.data)\n\n\
         def constant():\n    return pickle.loads(b'\\x80\\x04K\\x01.')\n\n\
         def from_file(f):\n    return pickle.load(f)\n",
        &["LOOM3", "S3"],
        expect![[r#"
            9:12 LOOM301 Warning `pickle.loads` can run arbitrary code from untrusted data [confidence Medium]
            12:12 LOOM301 Warning `pickle.loads` can run arbitrary code from untrusted data [confidence High]
            15:12 LOOM301 Warning `pickle.loads` can run arbitrary code from untrusted data [confidence Low]
            18:12 LOOM301 Warning `pickle.load` can run arbitrary code from untrusted data [confidence High]
        "#]],
    );
}

/// numpy loads pickled object arrays only when asked (`allow_pickle=True`,
/// off by default since 1.16.3); joblib's files are always pickles.
#[test]
fn pickles_loaded_through_numpy_and_joblib() {
    check(
        "import joblib\nimport numpy as np\nnp.load(f, allow_pickle=True)\njoblib.load(f)\nnp.load(f)\nnp.load(f, allow_pickle=False)\njoblib.dump(m, f)\n",
        &["LOOM", "S3"],
        expect![[r#"
            3:1 LOOM301 Warning `np.load` can run arbitrary code from untrusted data [confidence High]
            4:1 LOOM301 Warning `joblib.load` can run arbitrary code from untrusted data [confidence High]
        "#]],
    );
}

/// Python checks an `HTTPSConnection`'s certificate by default since 3.4.3:
/// a connection without `context=` is shown with every confidence only.
#[test]
fn https_connections_without_a_context_are_weak_evidence() {
    check_every(
        "import http.client\nhttp.client.HTTPSConnection('example.com')\nhttp.client.HTTPSConnection('example.com', context=ctx)\n",
        &["LOOM309"],
        expect![[r#"
            2:1 LOOM309 Warning `HTTPSConnection` without `context=` uses the process's default, which checks certificates since Python 3.4.3 unless the program turned it off; pass `ssl.create_default_context()` to be sure [confidence Low]
        "#]],
    );
}

#[test]
fn hard_coded_keys_and_https_without_a_context() {
    check(
        "import boto3, jwt, os, http.client, six\nfrom Crypto.Cipher import AES\n\
         boto3.client('s3', aws_access_key_id='AKIDEXAMPLEKEY', aws_secret_access_key=os.environ['SECRET'])\n\
         boto3.Session(aws_session_token='FwoGZXIvYXdzEBYaDH')\nboto3.client('s3', aws_access_key_id='')\n\
         jwt.encode({'user': 1}, 'secret', algorithm='HS256')\njwt.encode({'user': 1}, key, algorithm='HS256')\n\
         AES.new('', AES.MODE_CBC)\nAES.new(key=b'0123456789abcdef', mode=AES.MODE_EAX)\nAES.new(key, AES.MODE_GCM)\n\
         http.client.HTTPSConnection('example.com')\nsix.moves.http_client.HTTPSConnection('example.com')\n\
         http.client.HTTPSConnection('example.com', context=ctx)\n\
         jwt.encode(payload, key, algorithm='none')\njwt.decode(token, verify=False)\n\
         jwt.decode(token, key, options={'verify_signature': False})\njwt.decode(token, key, algorithms=['HS256'])\n\
         boto3.client('s3', aws_access_key_id='AKIAZ2XQ7PLM4RT5WVY3')\n",
        &["LOOM6", "LOOM3", "LOOM9"],
        expect![[r#"
            3:38 LOOM631 Error Hard-coded AWS credential `aws_access_key_id` (`AKID… (14 chars)`); let boto3 find it in the environment or a profile [confidence High]
            4:33 LOOM631 Error Hard-coded AWS credential `aws_session_token` (`FwoG… (18 chars)`); let boto3 find it in the environment or a profile [confidence High]
            6:25 LOOM632 Error `jwt.encode` signs JSON web tokens with a hard-coded key (`secr… (6 chars)`); load the key from a secret store [confidence High]
            8:9 LOOM633 Error `AES.new` encrypts with an empty key; load the key from a secret store [confidence High]
            9:13 LOOM633 Error `AES.new` encrypts with a hard-coded key (`0123… (16 chars)`); load the key from a secret store [confidence High]
            14:36 LOOM634 Error `jwt.encode` with the `none` algorithm makes tokens anyone can forge; sign them (e.g. `HS256`) [confidence High]
            15:26 LOOM635 Error `jwt.decode` without checking the signature accepts forged tokens [confidence High]
            16:53 LOOM635 Error `jwt.decode` without checking the signature accepts forged tokens [confidence High]
            18:39 LOOM901 Error Hard-coded AWS access key ID `AKIA… (20 chars)`; load it from the environment or a secret store [confidence High]
        "#]],
    );
}

#[test]
fn format_html_with_a_string_formatted_before_it() {
    check(
        "from django.utils.html import format_html\nformat_html('hello %s' % markup)\nformat_html(f'hello {markup}')\n\
         format_html('hello {}'.format(markup), markup)\nformat_html('hello {}', markup)\nformat_html('hello {}', f'<b>{markup}</b>')\n",
        &["LOOM7"],
        expect![[r#"
            2:1 LOOM704 Warning `format_html` escapes its arguments, not a format string built before it; pass the values as arguments [confidence High]
            3:1 LOOM704 Warning `format_html` escapes its arguments, not a format string built before it; pass the values as arguments [confidence High]
            4:1 LOOM704 Warning `format_html` escapes its arguments, not a format string built before it; pass the values as arguments [confidence High]
        "#]],
    );
}

#[test]
fn own_checks_follow_ignore_settings() {
    let lint = LintSettings { ignore: Some(vec!["LOOM4".into()]), ..LintSettings::default() };
    check_with(
        "import telnetlib\nimport torch\ntorch.load(f)\n",
        lint,
        &["LOOM"],
        expect![[r#"
        3:1 LOOM614 Warning `torch.load` without `weights_only=True` can run arbitrary code from the file [confidence High] [fix Unsafe: Pass `weights_only=True`]
    "#]],
    );
}

// --- secrets ------------------------------------------------------------

#[test]
fn secrets_are_found_and_masked() {
    check(
        "aws = 'AKIAIOSFODNN7EXAMPLE'\n# ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\nKEY = '''-----BEGIN RSA PRIVATE KEY-----'''\n\
         api_token = 'q8Xz1LmN4vB7tY2w'\npassword = 'changeme'\nsettings(secret='Zx9Qw8Er7Ty6Ui5O')\n",
        &["LOOM", "S105", "S106"],
        expect![[r#"
            1:8 LOOM901 Error Hard-coded AWS access key ID `AKIA… (20 chars)`; load it from the environment or a secret store [confidence High]
            2:3 LOOM901 Error Hard-coded GitHub token `ghp_… (42 chars)`; load it from the environment or a secret store [confidence High]
            3:10 LOOM902 Error Hard-coded private key `----… (31 chars)`; load it from the environment or a secret store [confidence High]
            4:13 LOOM903 Error Hard-coded secret `q8Xz… (16 chars)` assigned to `api_token`; load it from the environment or a secret store [confidence Medium]
            4:13 S105 Warning Possible hardcoded password assigned to: "api_token"
            5:12 S105 Warning Possible hardcoded password assigned to: "password"
            6:10 S106 Warning Possible hardcoded password assigned to argument: "secret"
            6:17 LOOM903 Error Hard-coded secret `Zx9Q… (16 chars)` assigned to `secret`; load it from the environment or a secret store [confidence Medium]
        "#]],
    );
}

// --- deterministic security fixes ----------------------------------------

#[test]
fn fix_yaml_load() {
    check_fix("S506", "import yaml\nd = yaml.lo$0ad(f, Loader=yaml.Loader)\n", "import yaml\nd = yaml.safe_load(f)\n");
    check_fix("S506", "import yaml\nd = yaml.lo$0ad(f)\n", "import yaml\nd = yaml.safe_load(f)\n");
}

#[test]
fn fix_yaml_load_all_and_unsafe_load() {
    check_fix("LOOM506", "import yaml\nd = yaml.load_a$0ll(f, Loader=yaml.Loader)\n", "import yaml\nd = yaml.safe_load_all(f)\n");
    check_fix("LOOM506", "import yaml\nd = yaml.unsafe_lo$0ad(f)\n", "import yaml\nd = yaml.safe_load(f)\n");
}

#[test]
fn fix_verify_false() {
    check_fix("S501", "import requests\nr = requests.get(url, verify=Fa$0lse, timeout=5)\n", "import requests\nr = requests.get(url, timeout=5)\n");
}

#[test]
fn fix_sql_query_parameters_in_the_drivers_style() {
    check_fix(
        "S608",
        "import psycopg2\ndef f(cur, name, n):\n    cur.execute(\"SELECT * FROM t WHERE name = '%s' AND n > %d\" $0% (name, n))\n",
        "import psycopg2\ndef f(cur, name, n):\n    cur.execute(\"SELECT * FROM t WHERE name = %s AND n > %s\", (name, n))\n",
    );
    check_fix(
        "S608",
        "import sqlite3\ndef f(cur, name):\n    cur.execute(f\"SELECT * FROM t WHERE name = '{n$0ame}' AND p LIKE 'a%'\")\n",
        "import sqlite3\ndef f(cur, name):\n    cur.execute(\"SELECT * FROM t WHERE name = ? AND p LIKE 'a%'\", (name,))\n",
    );
    check_fix(
        "LOOM608",
        "import pymysql\ndef f(cur, ident):\n    cur.exe$0cute(\"\"\"SELECT *\nFROM t WHERE id = %s\"\"\" % ident)\n",
        "import pymysql\ndef f(cur, ident):\n    cur.execute(\"\"\"SELECT *\nFROM t WHERE id = %s\"\"\", (ident,))\n",
    );
    // A placeholder inside a LIKE pattern has no parameterised twin.
    let source = "def f(cur, name):\n    cur.execute(\"SELECT * FROM t WHERE name LIKE '%%%s%%'\" % name)\n";
    let findings = check_source(Path::new("/work/a.py"), source, &config(LintSettings::default()), None);
    assert!(findings.iter().any(|f| f.code == "S608") && findings.iter().all(|f| f.fix.is_none() || !f.code.contains("608")));
}

#[test]
fn fix_requests_timeout() {
    check_fix("S113", "import requests\nr = requests.g$0et(url, params=p)\n", "import requests\nr = requests.get(url, params=p, timeout=30)\n");
}

#[test]
fn fix_mktemp() {
    check_fix(
        "S306",
        "import tempfile\npath = tempfile.mk$0temp()\nwith open(path, 'w') as f:\n    f.write('x')\n",
        "import tempfile\nfd, path = tempfile.mkstemp()\nwith open(path, 'w') as f:\n    f.write('x')\n",
    );
}

#[test]
fn fix_shell_true_on_a_constant_command() {
    check_fix(
        "S602",
        "import subprocess\nsubprocess.run(\"ls -l /tmp\", shell=Tr$0ue, check=True)\n",
        "import subprocess\nsubprocess.run([\"ls\", \"-l\", \"/tmp\"], check=True)\n",
    );
    // Shell syntax has no argument-list equivalent: no fix.
    let every = LintSettings { confidence: crate::findings::Confidence::Low, ..LintSettings::default() };
    let findings = check_source(Path::new("/work/a.py"), "import subprocess\nsubprocess.run('ls *.py', shell=True)\n", &config(every), None);
    let shell: Vec<&Finding> = findings.iter().filter(|f| f.code == "S602").collect();
    assert!(shell.len() == 1 && shell[0].fix.is_none(), "{shell:#?}");
}

#[test]
fn fix_weak_hash_for_non_security_use() {
    check_fix("S324", "import hashlib\nh = hashlib.m$0d5(data)\n", "import hashlib\nh = hashlib.md5(data, usedforsecurity=False)\n");
}

#[test]
fn fix_assert_used_for_validation() {
    check_fix(
        "S101",
        "def f(x):\n    as$0sert x > 0 and x < 9, \"out of range\"\n    return x\n",
        "def f(x):\n    if not (x > 0 and x < 9):\n        raise AssertionError(\"out of range\")\n    return x\n",
    );
}

// --- graph checks -------------------------------------------------------

/// Findings of the last of `files` (path under `/ws`, text) with the graph
/// of all of them, with the definitions they point at; the same with the
/// graph `pyloom check` builds (no edges) as with the editor's. Files under
/// `typeshed/` and `site-packages/` are the library's.
pub(super) fn check_graph(files: &[(&str, &str)], expect: Expect) {
    use crate::graph::{FileInput, Graph, Library};
    let root = Path::new("/ws");
    let under = |prefix: &str| -> Vec<(String, String)> {
        files.iter().filter_map(|(path, text)| Some((path.strip_prefix(prefix)?.to_owned(), (*text).to_owned()))).collect()
    };
    let (stubs, site) = (under("typeshed/"), under("site-packages/"));
    let library = (!stubs.is_empty() || !site.is_empty()).then(|| std::sync::Arc::new(Library::in_memory(stubs, site)));
    let workspace: Vec<&(&str, &str)> = files.iter().filter(|(path, _)| !path.starts_with("typeshed/") && !path.starts_with("site-packages/")).collect();
    let inputs = || workspace.iter().map(|(path, text)| FileInput { path: root.join(path), text: (*text).into(), summary: None }).collect();
    let (path, source) = files.last().expect("a file to check");
    let path = root.join(path);
    let lint = LintSettings { select: Some(vec![]), extend_select: vec![], ..LintSettings::default() };
    let check = |graph: &Graph| {
        let file = graph.file_id(&path).expect("indexed");
        check_source(&path, source, &config(lint.clone()), Some((graph, file)))
    };
    let findings = check(&Graph::build(vec![root.to_owned()], inputs(), library.clone()));
    assert_eq!(check(&Graph::build_unlinked(vec![root.to_owned()], inputs(), library)), findings, "unlinked graph");
    let mut out = render(source, &findings);
    for related in findings.iter().flat_map(|f| &f.related) {
        out.push_str(&format!("  related {}@{:?}: {}\n", related.file.display(), related.range, related.message));
    }
    expect.assert_eq(&out);
}

#[test]
fn graph_checks_imports_calls_and_module_attributes() {
    let geometry = "def area(w, h, /, scale=1, *, unit='m'):\n    return w * h\n\ndef _helper(*args, **kwargs):\n    pass\n\nPI = 3.14\n";
    let user = "from shapes import geometry\nfrom shapes.geometry import area, volume, PI\n\
                area(1, 2)\narea(1, 2, 3, 4)\narea(1)\narea(1, 2, colour='red')\narea(w=1, h=2)\n\
                geometry._helper(1, 2, x=3)\ngeometry.perimeter(1)\ngeometry.PI\n\ntry:\n    from shapes.geometry import optional\nexcept ImportError:\n    optional = None\n";
    check_graph(
        &[("shapes/__init__.py", ""), ("shapes/geometry.py", geometry), ("use.py", user)],
        expect![[r#"
            2:35 LOOM801 Error `volume` is not defined in module `shapes.geometry`
            4:1 LOOM802 Error `area` takes 3 positional arguments but 4 were given
            5:1 LOOM802 Error `area` is missing required argument `h`
            6:1 LOOM803 Error `area` has no parameter `colour`
            7:1 LOOM803 Error `w` is a positional-only parameter of `area`
            7:1 LOOM803 Error `h` is a positional-only parameter of `area`
            9:10 LOOM804 Error module `shapes.geometry` has no attribute `perimeter`
              related /ws/shapes/geometry.py@0..0: module `shapes.geometry`
              related /ws/shapes/geometry.py@4..8: `shapes.geometry.area` is defined here
              related /ws/shapes/geometry.py@4..8: `shapes.geometry.area` is defined here
              related /ws/shapes/geometry.py@4..8: `shapes.geometry.area` is defined here
              related /ws/shapes/geometry.py@4..8: `shapes.geometry.area` is defined here
              related /ws/shapes/geometry.py@4..8: `shapes.geometry.area` is defined here
              related /ws/shapes/geometry.py@0..0: module `shapes.geometry`
        "#]],
    );
}

#[test]
fn graph_checks_imports_of_modules_a_workspace_package_lacks() {
    // `shapes/gone.py` was deleted: its importers would otherwise resolve
    // it as some library's module and say nothing.
    let user = "from shapes.gone import x\nimport shapes.missing.deep\nfrom shapes.also_gone import *\nfrom shapes import geometry\n\
                import os.nothing\nfrom shapes.geometry import PI\ntry:\n    from shapes.optional import y\nexcept ImportError:\n    y = None\n";
    check_graph(
        &[("shapes/__init__.py", ""), ("shapes/geometry.py", "PI = 3.14\n"), ("use.py", user)],
        expect![[r#"
        1:6 LOOM805 Error no module `shapes.gone`: the workspace package `shapes` has no `gone`
        2:8 LOOM805 Error no module `shapes.missing.deep`: the workspace package `shapes` has no `missing`
        3:6 LOOM805 Error no module `shapes.also_gone`: the workspace package `shapes` has no `also_gone`
          related /ws/shapes/__init__.py@0..0: module `shapes`
          related /ws/shapes/__init__.py@0..0: module `shapes`
          related /ws/shapes/__init__.py@0..0: module `shapes`
    "#]],
    );
}

#[test]
fn graph_checks_calls_into_typed_libraries_and_leave_untyped_ones_alone() {
    let user = "import json, requests, typedlib, yaml\nfrom os import path\n\
                json.lods('1')\njson.loads('1', strictt=True)\ntypedlib.fetch('u', timout=5)\ntypedlib.fetch('u', 'v')\n\
                yaml.safe_load('a', Loader=None)\npath.joinn('a')\nrequests.gett('u')\nrequests.get('u', timout=5)\n\
                json.loads('1', strict=False)\npath.join('a', 'b', 'c')\njson.__name__.upper()\n";
    check_graph(
        &[
            ("typeshed/json/__init__.pyi", "def loads(s: str, *, strict: bool = True) -> object: ...\ndef dumps(obj: object) -> str: ...\n"),
            ("typeshed/os/__init__.pyi", "from . import path as path\n"),
            ("typeshed/os/path.pyi", "from posixpath import *\n"),
            ("typeshed/posixpath.pyi", "def join(a: str, *paths: str) -> str: ...\n"),
            ("site-packages/requests/__init__.py", "def get(url, params=None, **kwargs):\n    pass\n"),
            ("site-packages/typedlib/__init__.py", "def fetch(url: str, *, timeout: float = 10.0) -> bytes:\n    return b''\n"),
            ("site-packages/typedlib/py.typed", ""),
            ("site-packages/yaml-stubs/__init__.pyi", "def safe_load(stream: str) -> object: ...\n"),
            ("use.py", user),
        ],
        expect![[r#"
            3:6 LOOM804 Error module `json` has no attribute `lods`; did you mean `loads`?
            4:1 LOOM803 Error `loads` has no parameter `strictt`; did you mean `strict`?
            5:1 LOOM803 Error `fetch` has no parameter `timout`; did you mean `timeout`?
            6:1 LOOM802 Error `fetch` takes 1 positional argument but 2 were given
            7:1 LOOM803 Error `safe_load` has no parameter `Loader`
            8:6 LOOM804 Error module `os.path` has no attribute `joinn`; did you mean `join`?
              related /typeshed/stdlib/json/__init__.pyi@0..0: module `json`
              related /typeshed/stdlib/json/__init__.pyi@4..9: `json.loads` is defined here
              related /venv/site-packages/typedlib/__init__.py@4..9: `typedlib.fetch` is defined here
              related /venv/site-packages/typedlib/__init__.py@4..9: `typedlib.fetch` is defined here
              related /venv/site-packages/yaml-stubs/__init__.pyi@4..13: `yaml.safe_load` is defined here
              related /typeshed/stdlib/os/path.pyi@0..0: module `os.path`
        "#]],
    );
}

#[test]
fn library_checks_spare_guarded_ignored_class_called_and_constructed_code() {
    let user = r#"import sys, os, json, enum
if sys.version_info >= (3, 99):
    json.future_thing()
if os.name == 'nt':
    os.startfile('x')
try:
    json.maybe()
except AttributeError:
    pass
json.lods('1')  # type: ignore
json.JSONEncoder.default(json.JSONEncoder(), 1)
enum.Enum('Shape', ['A', 'B'])
os.getenv('A', 'b', 'c')
json.dumps(1, 2)
def windows_only():
    if sys.platform != 'win32':
        return
    os.startfile('x')
try:
    import json as j
except ImportError:
    pass
else:
    j.other_thing()
assert sys.version_info >= (3, 99)
json.future_thing()
"#;
    check_graph(
        &[
            (
                "typeshed/json/__init__.pyi",
                "def loads(s: str) -> object: ...\ndef dumps(obj: object) -> str: ...\nclass JSONEncoder:\n    def default(self, o: object) -> object: ...\n",
            ),
            (
                "typeshed/os/__init__.pyi",
                "from typing import overload\n@overload\ndef getenv(key: str) -> str | None: ...\n@overload\ndef getenv(key: str, default: str) -> str: ...\n",
            ),
            (
                "typeshed/enum.pyi",
                "class EnumMeta(type):\n    def __call__(cls, value, names=None): ...\nclass Enum(metaclass=EnumMeta):\n    def __new__(cls, value: object) -> Enum: ...\n",
            ),
            ("typeshed/typing.pyi", "def overload(f): ...\n"),
            ("use.py", user),
        ],
        expect![[r#"
            13:1 LOOM802 Error no overload of `getenv` accepts these arguments
            14:1 LOOM802 Error `dumps` takes 1 positional argument but 2 were given
              related /typeshed/stdlib/os/__init__.pyi@42..48: `os.getenv` is defined here
              related /typeshed/stdlib/json/__init__.pyi@37..42: `json.dumps` is defined here
        "#]],
    );
}

#[test]
fn library_checks_bind_self_when_the_receiver_is_an_instance_whatever_its_path() {
    let consts = "import re\nPRETTY = {'a': 1}\nSEP = ':'\nPATTERN = re.compile('x')\n";
    let user = "import re\nfrom consts import PRETTY, SEP, PATTERN\n\
                PRETTY.keys()\nSEP.join(['a'])\nPATTERN.match('a')\nre.Pattern.match(PATTERN, 'a')\n\
                PATTERN.match()\nre.Pattern.match(PATTERN)\nPRETTY.keys(1)\n";
    check_graph(
        &[
            (
                "typeshed/builtins.pyi",
                "class object: ...\nclass str:\n    def join(self, iterable: list) -> str: ...\nclass dict:\n    def keys(self) -> list: ...\nclass list: ...\n",
            ),
            ("typeshed/re.pyi", "class Pattern:\n    def match(self, string: str) -> object: ...\ndef compile(pattern: str) -> Pattern: ...\n"),
            ("consts.py", consts),
            ("use.py", user),
        ],
        expect![[r#"
            7:1 LOOM802 Error `match` is missing required argument `string`
            8:1 LOOM802 Error `match` is missing required argument `string`
            9:1 LOOM802 Error `keys` takes 0 positional arguments but 1 was given
              related /typeshed/stdlib/re.pyi@23..28: `re.Pattern.match` is defined here
              related /typeshed/stdlib/re.pyi@23..28: `re.Pattern.match` is defined here
              related /typeshed/stdlib/builtins.pyi@96..100: `builtins.dict.keys` is defined here
        "#]],
    );
}

#[test]
fn isort_sections_and_their_order_come_from_the_ruff_configuration() {
    let dir = std::env::temp_dir().join(format!("pyloom-isort-sections-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // statsmodels' own configuration: a `compat` section ahead of the
    // standard library.
    let source = "from proj.compat import lzip\n\nimport numpy as np\n\nimport proj.api as sm\n\nprint(lzip, np, sm)\n";
    let codes = || -> Vec<String> {
        let config = Config::load(&dir, &LintSettings::default()).0;
        check_source(&dir.join("nb.py"), source, &config, None).into_iter().map(|f| f.code).collect()
    };
    let isort = "[tool.ruff.lint]\nextend-select = [\"I\"]\n[tool.ruff.lint.isort]\nknown-first-party = [\"proj\"]\nknown-third-party = [\"numpy\"]\n";
    std::fs::write(dir.join("pyproject.toml"), isort).unwrap();
    assert_eq!(codes(), ["I001"], "without the section, `proj.compat` is first-party and out of order");
    let sections = "section-order = [\"future\", \"compat\", \"standard-library\", \"third-party\", \"first-party\", \"local-folder\"]\n\
                    [tool.ruff.lint.isort.sections]\ncompat = [\"proj.compat\"]\n";
    std::fs::write(dir.join("pyproject.toml"), format!("{isort}{sections}")).unwrap();
    assert_eq!(codes(), Vec::<String>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 32, case 06: each of a file's flow findings names where its data
/// entered, often in one other file; that file is read and indexed once
/// per locator, not once per finding (which grew with the square of the
/// findings).
#[test]
fn related_files_are_read_once_per_locator() {
    let dir = std::env::temp_dir().join(format!("pyloom-related-once-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("other.py");
    std::fs::write(&other, "a = 1\nb = input()\n").unwrap();
    let locator = Locator::new("x = 1\n");
    let with_related = || {
        let mut finding = Finding::new(0..1, "S605", Category::Security, Severity::Warning, "m".into());
        finding.related.push(Related { file: other.clone(), range: 10..15, message: "enters".into() });
        finding
    };
    let first = locator.locate(dir.join("a.py"), with_related());
    std::fs::remove_file(&other).unwrap();
    let second = locator.locate(dir.join("a.py"), with_related());
    assert_eq!((first.related[0].line, first.related[0].column), (2, 5));
    assert_eq!((second.related[0].line, second.related[0].column), (2, 5));
}
