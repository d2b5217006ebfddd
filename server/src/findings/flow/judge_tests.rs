//! Fixture tests for ruff's `S` findings judged by the flow: each shape of
//! data the flow proves harmless (constants, module constants, values
//! derived from them, a sanitiser, a guard it recognises, a guard it cannot
//! judge) is of low confidence and hidden by default, each with a twin
//! where outside data reaches the same call and the finding stays; rules
//! whose danger is not the data are not judged.

use std::path::Path;

use expect_test::{Expect, expect};

use crate::findings::tests::{config, render};
use crate::findings::{Category, Confidence, Finding, check_source};
use crate::settings::LintSettings;

/// The security findings of `source` with every confidence shown, each
/// marked `(hidden)` when the default selection leaves it out.
fn check_judged(source: &str, expect: Expect) {
    let security = |lint: LintSettings| -> Vec<Finding> {
        check_source(Path::new("/work/snippet.py"), source, &config(lint), None).into_iter().filter(|f| f.category == Category::Security).collect()
    };
    let shown = security(LintSettings::default());
    let mut out = String::new();
    for finding in security(LintSettings { confidence: Confidence::Low, ..LintSettings::default() }) {
        let line = render(source, std::slice::from_ref(&finding));
        let hidden = if shown.contains(&finding) { "" } else { " (hidden)" };
        out.push_str(&format!("{}{hidden}\n", line.trim_end()));
    }
    expect.assert_eq(&out);
}

#[test]
fn a_constant_command_is_low_and_the_clients_stays() {
    check_judged(
        "import subprocess\nfrom flask import request\n\ndef run():\n    subprocess.run('ls -l', shell=True)\n    \
         subprocess.run(request.args['c'], shell=True)\n",
        expect![[r#"
            5:5 S602 Warning `subprocess` call with `shell=True` seems safe, but may be changed in the future; consider rewriting without `shell` [confidence Low] [fix Unsafe: Pass an argument list and drop `shell=True`] (hidden)
            5:20 S607 Warning Starting a process with a partial executable path [confidence Low] (hidden)
            6:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence High]
        "#]],
    );
}

#[test]
fn a_module_constant_and_values_built_from_it_are_low() {
    check_judged(
        "import os, subprocess, sys\n\nGIT = 'git'\nBASE = '/srv'\n\ndef log(branch):\n    \
         subprocess.check_output([GIT, 'log', '--oneline'])\n    os.system(sys.executable + ' -m pip list')\n    \
         os.system('rm -rf ' + os.path.join(BASE, 'tmp'))\n    os.spawnl(os.P_WAIT, GIT, 'status')\n    \
         os.spawnve(os.P_WAIT, GIT, [GIT, 'status'], os.environ)\n    os.spawnve(os.P_WAIT, GIT, [GIT, branch], os.environ)\n    \
         subprocess.check_output([GIT, 'log', branch])\n    os.system('rm -rf ' + os.path.join(BASE, branch))\n",
        expect![[r#"
            7:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence Low] (hidden)
            8:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            9:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            10:5 S606 Warning Starting a process without a shell [confidence Low] (hidden)
            11:5 S606 Warning Starting a process without a shell [confidence Low] (hidden)
            12:5 S606 Warning Starting a process without a shell [confidence Medium]
            13:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence Medium]
            14:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
        "#]],
    );
}

#[test]
fn a_number_and_a_quoted_shell_word_are_low_and_the_raw_one_stays() {
    // A word quoted inside the command's own quotes closes them: `"ls '%s'"
    // % shlex.quote("; rm -rf ~")` runs the `rm`.
    check_judged(
        "import os, shlex\n\ndef show(name, n):\n    os.system('ls ' + shlex.quote(name))\n    os.system('head -n %d log' % int(n))\n    \
         os.system('ls ' + name)\n    os.system(\"ls '%s'\" % shlex.quote(name))\n    os.system(f\"ls '{shlex.quote(name)}'\")\n    \
         os.system(\"ls {} '{}'\".format(shlex.quote(n), shlex.quote(name)))\n    os.system('ls ' + shlex.quote(name) + ' ' + name)\n",
        expect![[r#"
            4:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            5:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            6:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
            7:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
            8:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
            9:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
            10:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
        "#]],
    );
}

#[test]
fn a_value_through_a_recognised_guard_is_low_and_unguarded_stays() {
    check_judged(
        "import os\nfrom flask import request\n\nALLOWED = {'a.txt', 'b.txt'}\n\ndef show():\n    name = request.args['f']\n    \
         os.system('cat ' + name)\n    if name in ALLOWED:\n        os.system('cat ' + name)\n",
        expect![[r#"
            8:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
            10:9 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
        "#]],
    );
}

#[test]
fn a_guard_the_flow_cannot_judge_is_low_and_a_guard_of_another_value_is_not() {
    check_judged(
        "import os\nfrom flask import request\n\ndef show():\n    name = request.args['f']\n    other = request.args['g']\n    \
         if is_valid_name(name):\n        os.system('cat ' + name)\n    if is_valid_name(other):\n        os.system('cat ' + name)\n",
        expect![[r#"
            8:9 S605 Warning Starting a process with a shell, possible injection detected
            10:9 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
        "#]],
    );
}

#[test]
fn queries_urls_code_and_pickles_of_constants_are_low_and_of_the_client_stay() {
    check_judged(
        "import pickle, requests, urllib.request\nfrom flask import request\n\nTABLE = 'users'\nAPI = 'https://api.example.com/v1'\n\n\
         def view(db):\n    db.execute('SELECT * FROM %s' % TABLE)\n    db.execute('SELECT * FROM %s' % request.args['t'])\n    \
         requests.get(API)\n    requests.get(request.args['u'])\n    \
         urllib.request.urlopen(API + '/feed')\n    urllib.request.urlopen(request.args['u'])\n    \
         eval('1 + 2')\n    eval(request.args['e'])\n    \
         pickle.loads(b'\\x80\\x04N.')\n    pickle.loads(request.data)\n",
        expect![[r#"
            8:16 S608 Warning Possible SQL injection vector through string-based query construction [confidence Low] (hidden)
            9:16 S608 Warning Possible SQL injection vector through string-based query construction [confidence High]
            10:5 S113 Warning Probable use of `requests` call without timeout [fix Unsafe: Add `timeout=30`]
            11:5 S113 Warning Probable use of `requests` call without timeout [fix Unsafe: Add `timeout=30`]
            11:5 LOOM624 Warning URL from `request.args` reaches `requests.get`; it may use `file://` or reach internal hosts [confidence High]
            12:5 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected. [confidence Low] (hidden)
            13:5 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected. [confidence High]
            14:5 S307 Warning Use of possibly insecure function; consider using `ast.literal_eval` [confidence Low] (hidden)
            15:5 S307 Warning Use of possibly insecure function; consider using `ast.literal_eval` [confidence High]
            16:5 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence Low] (hidden)
            17:5 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence High]
        "#]],
    );
}

#[test]
fn rules_not_about_data_are_not_judged() {
    // A weak hash, a password in the code and binding every interface are
    // flaws whatever the data: they keep no confidence and stay shown.
    check_judged(
        "import hashlib, socket\n\npassword = 'hunter2'\nhashlib.md5(b'abc')\nsocket.socket().bind(('0.0.0.0', 80))\n",
        expect![[r#"
            3:12 S105 Warning Possible hardcoded password assigned to: "password"
            4:1 S324 Warning Probable use of insecure hash functions in `hashlib`: `md5` [fix Unsafe: Mark as not used for security (`usedforsecurity=False`)]
            5:23 S104 Warning Possible binding to all interfaces
        "#]],
    );
}

#[test]
fn data_that_only_passed_a_check_keeps_ruffs_word_and_a_constant_twin_is_low() {
    // A deny-list, an unanchored pattern: checks good against one sink or
    // none. Each finding stays shown; `shlex.quote` in a query protects
    // nothing (as sure as the data); the same call on a constant is low.
    check_judged(
        "import os, re, shlex, sys\n\ndef run(db):\n    x = sys.argv[1]\n    if ';' in x:\n        return\n    os.system('convert ' + x)\n    \
         if not re.match(r'[\\w.]+', x):\n        sys.exit()\n    os.system('convert ' + x)\n    \
         db.execute(\"SELECT * FROM t WHERE n = '%s'\" % shlex.quote(x))\n    os.system('convert ' + 'a.png')\n",
        expect![[r#"
            7:5 S605 Warning Starting a process with a shell, possible injection detected
            10:5 S605 Warning Starting a process with a shell, possible injection detected
            11:16 S608 Warning Possible SQL injection vector through string-based query construction
            12:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
        "#]],
    );
}

#[test]
fn a_module_variable_a_function_changes_is_no_constant_and_one_none_changes_is() {
    check_judged(
        "import os, sys\n\nTARGET = 'localhost'\nHOSTS = ['a']\nFIXED = 'example.org'\n\ndef parse():\n    global TARGET\n    \
         TARGET = sys.argv[1]\n    HOSTS.append(sys.argv[2])\n\ndef ping():\n    os.system('ping ' + TARGET)\n    \
         os.system('ping ' + HOSTS[0])\n    os.system('ping ' + FIXED)\n",
        expect![[r#"
            13:5 S605 Warning Starting a process with a shell, possible injection detected
            14:5 S605 Warning Starting a process with a shell, possible injection detected
            15:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
        "#]],
    );
}

#[test]
fn a_parser_given_a_file_is_not_judged_and_one_given_constant_text_is() {
    check_judged(
        "import pickle, yaml\nimport xml.etree.ElementTree as ET\n\ndef load():\n    ET.parse('incoming/feed.xml')\n    \
         ET.fromstring('<a/>')\n    pickle.load(open('model.pkl', 'rb'))\n    yaml.load(open('config.yml'), Loader=yaml.Loader)\n    \
         yaml.load('a: 1', Loader=yaml.Loader)\n    yaml.load(open('config.yml'), Loader=yaml.BaseLoader)\n",
        expect![[r#"
            2:8 LOOM405 Info `xml.etree.ElementTree` is open to XML attacks on untrusted data; use `defusedxml` [confidence Low] (hidden)
            5:5 S314 Warning Using `xml` to parse untrusted data is known to be vulnerable to XML attacks; use `defusedxml` equivalents
            6:5 S314 Warning Using `xml` to parse untrusted data is known to be vulnerable to XML attacks; use `defusedxml` equivalents [confidence Low] (hidden)
            7:5 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue
            8:42 S506 Warning Probable use of unsafe loader `Loader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Medium] [fix Unsafe: Use `yaml.safe_load`]
            9:30 S506 Warning Probable use of unsafe loader `Loader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Low] [fix Unsafe: Use `yaml.safe_load`] (hidden)
            10:42 S506 Warning Probable use of unsafe loader `BaseLoader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Low] (hidden)
        "#]],
    );
}

#[test]
fn the_programs_own_safe_loader_is_low_and_one_that_may_build_objects_is_not() {
    let loads = "\ndef load(request):\n    yaml.load(request.data, Loader=StrictLoader)\n    yaml.load(request.data, Loader=Tagged)\n    yaml.load(request.data, Loader=Mixed)\n";
    check_judged(
        &format!(
            "import yaml\nclass StrictLoader(yaml.SafeLoader):\n    pass\nclass Tagged(StrictLoader):\n    pass\nStrictLoader.add_constructor('!env', lambda l, n: 1)\nclass Mixed(yaml.SafeLoader, Other):\n    pass\n{loads}"
        ),
        expect![[r#"
            11:36 S506 Warning Probable use of unsafe loader `StrictLoader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Low] (hidden)
            12:36 S506 Warning Probable use of unsafe loader `Tagged` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Low] (hidden)
            13:36 S506 Warning Probable use of unsafe loader `Mixed` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence High]
        "#]],
    );
    // A file that names a constructor of Python objects may have given it
    // to its loader.
    check_judged(
        &format!(
            "import yaml\nclass StrictLoader(yaml.SafeLoader):\n    pass\nStrictLoader.add_multi_constructor('tag:yaml.org,2002:python/object', yaml.constructor.UnsafeConstructor.construct_python_object)\nTagged = Mixed = StrictLoader\n{loads}"
        ),
        expect![[r#"
            8:36 S506 Warning Probable use of unsafe loader `StrictLoader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence High]
            9:36 S506 Warning Probable use of unsafe loader `Tagged` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence High]
            10:36 S506 Warning Probable use of unsafe loader `Mixed` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence High]
        "#]],
    );
}

#[test]
fn the_interpreters_path_is_a_constant_even_unimported_and_a_parameter_beside_it_stays() {
    // `sys` is not imported (the generated code forgot it): as in every
    // check, the name stands for the module.
    check_judged(
        "import subprocess\n\ndef install(package):\n    subprocess.call([sys.executable, '-m', 'pip', 'install', 'numpy'])\n    \
         subprocess.call([sys.executable, '-m', 'pip', 'install', package])\n",
        expect![[r#"
            4:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence Low] (hidden)
            5:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence Medium]
        "#]],
    );
}

#[test]
fn the_version_flexible_tls_method_and_a_crypto_import_are_weak_evidence_and_old_versions_stay() {
    // `SSLv23_METHOD` is OpenSSL's `TLS_method` under its old name;
    // PyCryptodome installs the same `Crypto` package as pycrypto.
    check_judged(
        "from OpenSSL import SSL\nfrom Crypto.PublicKey import DSA\nimport telnetlib\n\n\
         flexible = SSL.Context(SSL.SSLv23_METHOD)\nold = SSL.Context(SSL.TLSv1_METHOD)\nkey = DSA.generate(2048)\n",
        expect![[r#"
            2:1 LOOM413 Error Import of `Crypto.PublicKey`: pycrypto is unmaintained and has known vulnerabilities; use pyca/cryptography [confidence Low] (hidden)
            3:8 LOOM401 Error Import of `telnetlib`: Telnet is unencrypted; use SSH (e.g. paramiko) [confidence High]
            5:12 LOOM502 Warning `SSLv23_METHOD` negotiates the version: with OpenSSL before 1.1 it still accepts SSL 3; set a minimum of TLS 1.2 (`set_min_proto_version(SSL.TLS1_2_VERSION)`) [confidence Low] (hidden)
            6:7 LOOM502 Warning `TLSv1_METHOD` is an insecure SSL/TLS version; use TLS 1.2 or later [confidence High]
        "#]],
    );
}

#[test]
fn a_partial_executable_path_is_low_whatever_the_data_and_a_full_path_is_not_reported() {
    // Found through `PATH`: no weakness by itself. The data the command is
    // given is judged on its own rule.
    check_judged(
        "import subprocess\nfrom flask import request\n\ndef run():\n    subprocess.run(['git', 'status'])\n    \
         subprocess.run(['/usr/bin/git', 'status'])\n    subprocess.run(['git', 'log', request.args['b']])\n",
        expect![[r#"
            5:20 S607 Warning Starting a process with a partial executable path [confidence Low] (hidden)
            7:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence High]
            7:20 S607 Warning Starting a process with a partial executable path [confidence Low] (hidden)
        "#]],
    );
}

#[test]
fn collections_of_constants_are_constants_and_one_client_element_is_not() {
    check_judged(
        "import subprocess\n\nCMD = ['sh', '-c']\n\ndef q(cur, name):\n    cur.execute('SELECT %s FROM %s' % ('a', 'b'))\n    \
         cur.execute('SELECT * FROM t'.format())\n    cur.execute('SELECT * FROM t' % ())\n    \
         subprocess.call([*CMD, 'ls'])\n    cur.execute('SELECT %s FROM %s' % ('a', name))\n    subprocess.call([*CMD, name])\n",
        expect![[r#"
            6:17 S608 Warning Possible SQL injection vector through string-based query construction [confidence Low] (hidden)
            7:17 S608 Warning Possible SQL injection vector through string-based query construction [confidence Low] (hidden)
            8:17 S608 Warning Possible SQL injection vector through string-based query construction [confidence Low] (hidden)
            9:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence Low] (hidden)
            10:17 S608 Warning Possible SQL injection vector through string-based query construction [confidence Medium]
            11:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence Medium]
        "#]],
    );
}

#[test]
fn a_helper_given_constants_returns_a_constant_and_given_data_or_calling_out_does_not() {
    check_judged(
        "import os, socket\n\ndef build(tool, flag):\n    return tool + ' ' + flag\n\n\
         def remote(tool):\n    return tool + ' ' + socket.gethostname()\n\n\
         def run(arg):\n    os.system(build('ls', '-l'))\n    os.system(build(tool='ls', flag='-a'))\n    \
         os.system(build('ls', arg))\n    os.system(remote('ping'))\n",
        expect![[r#"
            10:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            11:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            12:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
            13:5 S605 Warning Starting a process with a shell, possible injection detected
        "#]],
    );
}

#[test]
fn an_elif_walrus_binds_its_value_for_the_clause_and_after() {
    check_judged(
        "import os\nfrom flask import request\n\ndef run(x):\n    if x:\n        pass\n    elif (cmd := 'ls -l'):\n        os.system(cmd)\n    \
         if x:\n        pass\n    elif (arg := request.args['c']):\n        os.system(arg)\n    os.system(arg)\n",
        expect![[r#"
            8:9 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            12:9 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
            13:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
        "#]],
    );
}

#[test]
fn a_url_opener_made_in_place_is_judged_by_the_url_it_opens() {
    check_judged(
        "from urllib.request import URLopener\nfrom flask import request\n\ndef get():\n    \
         URLopener().open('https://example.com')\n    URLopener().retrieve(request.args['u'])\n    opener = URLopener()\n",
        expect![[r#"
            5:5 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected. [confidence Low] (hidden)
            6:5 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected. [confidence High]
            7:14 S310 Warning Audit URL open for permitted schemes. Allowing use of `file:` or custom schemes is often unexpected.
        "#]],
    );
}

#[test]
fn f_strings_and_lists_of_constants_are_constants_and_with_client_data_are_not() {
    check_judged(
        "import os, subprocess\nfrom flask import request\n\ndef run():\n    bar = 'x'\n    subprocess.run(f'echo {bar}', shell=True)\n    \
         args = []\n    if 'nt' in os.name:\n        args.append('cmd.exe')\n    else:\n        args.append('sh')\n    \
         args.append(f'echo {bar}')\n    subprocess.run(args)\n    args.append(request.args['c'])\n    subprocess.run(args)\n    \
         subprocess.run(f'echo {request.args[\"c\"]}', shell=True)\n",
        expect![[r#"
            6:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence Low] (hidden)
            13:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence Low] (hidden)
            15:5 S603 Warning `subprocess` call: check for execution of untrusted input [confidence High]
            16:5 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence High]
        "#]],
    );
}

#[test]
fn an_except_that_passes_or_continues_is_low_and_one_that_handles_is_not_reported() {
    check_judged(
        "import logging\n\ndef f(items):\n    try:\n        import yaml\n    except Exception:\n        pass\n    for i in items:\n        \
         try:\n            i.close()\n        except Exception:\n            continue\n    try:\n        items.clear()\n    \
         except Exception:\n        logging.exception('clear')\n",
        expect![[r#"
            6:5 S110 Warning `try`-`except`-`pass` detected, consider logging the exception [confidence Low] (hidden)
            11:9 S112 Warning `try`-`except`-`continue` detected, consider logging the exception [confidence Low] (hidden)
        "#]],
    );
}

#[test]
fn a_pure_function_of_constants_is_a_constant_and_of_a_parameter_is_not() {
    check_judged(
        "import base64, pickle\n\nBLOB = 'gASVAAAAAAAAAAB9lC4='\n\ndef load(data):\n    pickle.loads(base64.urlsafe_b64decode(BLOB))\n    \
         pickle.loads(base64.urlsafe_b64decode(data))\n",
        expect![[r#"
            6:5 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence Low] (hidden)
            7:5 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence Medium]
        "#]],
    );
}

#[test]
fn data_checked_to_be_a_constant_or_a_word_is_low_and_a_check_that_lets_more_through_keeps_ruffs_word() {
    // `$` lets a final newline through (a second shell command); an
    // unanchored search, a dot, a list the function fills from the client
    // prove nothing the flow can judge (an `or` of two such checks is one
    // such check, as either alone is).
    check_judged(
        "import os, re\nfrom flask import request, abort\n\ndef run():\n    a = request.args['a']\n    \
         if not re.fullmatch(r'[A-Za-z0-9_]+', a):\n        abort(400)\n    os.system('ls ' + a)\n    \
         b = request.args['b']\n    if b.isalnum():\n        os.system('ls ' + b)\n    \
         c = request.args['c']\n    if c in ('list', 'date'):\n        os.system(c)\n    \
         d = request.args['d']\n    if not re.match(r'^[a-z]+$', d):\n        abort(400)\n    os.system('ls ' + d)\n    \
         e = request.args['e']\n    if re.search(r'[a-z]+\\Z', e) or re.fullmatch(r'[a-z.]+', e):\n        os.system('ls ' + e)\n    \
         f = request.args['f']\n    if f in [request.args['g'], 'x']:\n        os.system('ls ' + f)\n",
        expect![[r#"
            8:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            11:9 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            14:9 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            18:5 S605 Warning Starting a process with a shell, possible injection detected
            21:9 S605 Warning Starting a process with a shell, possible injection detected
            24:9 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
        "#]],
    );
}

#[test]
fn data_the_flow_cannot_place_is_medium_and_constant_or_converted_twins_stay_low() {
    // An attribute, a call's result, a method's: anyone's, for all the
    // flow knows; the same calls given a constant, a constant's bytes or a
    // number stay low.
    check_judged(
        "import os, pickle, subprocess, yaml\n\nclass Job:\n    def run(self):\n        eval(self.expr)\n        \
         pickle.loads(fetch_blob())\n        subprocess.call(self.command(), shell=True)\n        \
         yaml.load(self.doc, Loader=yaml.Loader)\n        eval('1 + 2')\n        pickle.loads(b'\\x80\\x04N.')\n        \
         os.system('sleep %d' % int(self.delay))\n        yaml.load('a: 1', Loader=yaml.Loader)\n",
        expect![[r#"
            5:9 S307 Warning Use of possibly insecure function; consider using `ast.literal_eval` [confidence Medium]
            6:9 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence Medium]
            7:9 S602 Warning `subprocess` call with `shell=True` identified, security issue [confidence Medium]
            8:36 S506 Warning Probable use of unsafe loader `Loader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Medium] [fix Unsafe: Use `yaml.safe_load`]
            9:9 S307 Warning Use of possibly insecure function; consider using `ast.literal_eval` [confidence Low] (hidden)
            10:9 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence Low] (hidden)
            11:9 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            12:34 S506 Warning Probable use of unsafe loader `Loader` with `yaml.load`. Allows instantiation of arbitrary objects. Consider `yaml.safe_load`. [confidence Low] [fix Unsafe: Use `yaml.safe_load`] (hidden)
        "#]],
    );
}

#[test]
fn a_number_converted_from_the_clients_data_is_low_and_the_text_itself_stays() {
    check_judged(
        "import os\nfrom flask import request\n\ndef view():\n    n = int(request.args['n'])\n    os.system('sleep %d' % n)\n    \
         os.system('sleep %s' % len(request.args['s']))\n    os.system('sleep ' + request.args['n'])\n",
        expect![[r#"
            6:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            7:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Low] (hidden)
            8:5 S605 Warning Starting a process with a shell, possible injection detected [confidence High]
        "#]],
    );
}

#[test]
fn the_programs_own_object_pickled_and_loaded_back_is_low() {
    // A deep copy through `pickle`: what is loaded is what the program
    // serialised; the client's bytes stay high.
    check_judged(
        "import pickle, marshal\nfrom flask import request\n\ndef copy(obj):\n    clone = pickle.loads(pickle.dumps(obj))\n    \
         code = marshal.loads(marshal.dumps(obj))\n    return pickle.loads(request.data), pickle.loads(pickle.dumps(request.data))\n",
        expect![[r#"
            5:13 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence Low] (hidden)
            6:12 S302 Warning Deserialization with the `marshal` module is possibly dangerous [confidence Low] (hidden)
            7:12 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence High]
            7:40 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence Low] (hidden)
        "#]],
    );
}

#[test]
fn code_or_a_command_decoded_from_a_constant_is_medium_and_a_readable_one_or_decoded_data_stays_low() {
    check_judged(
        "import base64, os, pickle\n\nPAYLOAD = 'cHJpbnQoMSk='\n\ndef run():\n    exec(base64.b64decode(PAYLOAD))\n    \
         eval(base64.b64decode('MSsy'))\n    os.system(base64.b64decode('bHM='))\n    exec('print(1)')\n    \
         os.system('ls')\n    pickle.loads(base64.b64decode(PAYLOAD))\n",
        expect![[r#"
            6:5 S102 Warning Use of `exec` detected [confidence Medium]
            7:5 S307 Warning Use of possibly insecure function; consider using `ast.literal_eval` [confidence Medium]
            8:5 S605 Warning Starting a process with a shell, possible injection detected [confidence Medium]
            9:5 S102 Warning Use of `exec` detected [confidence Low] (hidden)
            10:5 S605 Warning Starting a process with a shell: seems safe, but may be changed in the future; consider rewriting without `shell` [confidence Low] (hidden)
            10:15 S607 Warning Starting a process with a partial executable path [confidence Low] (hidden)
            11:5 S301 Warning `pickle` and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue [confidence Low] (hidden)
        "#]],
    );
}
