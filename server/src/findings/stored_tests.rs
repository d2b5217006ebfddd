//! The check cache: a warm `pyloom check` prints what a cold one does, and
//! what changes a file's findings (its text, a setting, the configuration,
//! its permissions, the project's layout) is never read from the cache.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use expect_test::expect;

use super::*;
use crate::check::{check_files, format_text, python_files};
use crate::findings::Configs;
use crate::settings::{LintSettings, Settings};

/// A project on disk and a check cache of its own.
struct Project {
    dir: tempfile::TempDir,
    _cache: tempfile::TempDir,
    store: Arc<Store>,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&cache.path().join("cache.sqlite3")).unwrap());
        let project = Project { dir, _cache: cache, store };
        for (path, text) in files {
            project.write(path, text);
        }
        project
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// The text report of `pyloom check` on the project (with the graph
    /// checks when `graph`), through the cache when `cached`, and how many
    /// files' results were read from it.
    fn check(&self, lint: &LintSettings, graph: bool, cached: bool) -> (String, usize) {
        let root = self.dir.path();
        let settings = Settings { lint: lint.clone(), ..Settings::default() };
        let configs = Configs::new(root, &settings.lint).0;
        let files = python_files(&[root.to_owned()], &Configs::new(root, &LintSettings::default()).0).unwrap();
        let graph_roots = graph.then(|| vec![root.to_owned()]);
        let report = check_files(&files, &settings, &configs, graph_roots, cached.then(|| self.store.clone()));
        let text = format_text(&report.findings).replace(&format!("{}/", root.display()), "");
        (format!("{text}hidden: {}\n", report.hidden), report.restored)
    }

    /// Checks through the cache; asserts the report is what a check
    /// without it prints, and gives it with how many files were restored.
    fn check_cached(&self, lint: &LintSettings) -> (String, usize) {
        let (cached, restored) = self.check(lint, true, true);
        assert_eq!(cached, self.check(lint, true, false).0, "a cached check printed another report");
        (cached, restored)
    }
}

/// A lint finding in a package's `__init__.py`, a security finding in a
/// function data from another module reaches, a secret, a line silenced
/// by `# noqa`, and a call the graph checks.
const PROJECT: &[(&str, &str)] = &[
    ("pkg/__init__.py", "import os\nfrom pkg import helpers\n"),
    (
        "pkg/helpers.py",
        "import subprocess\n\n\ndef run(command):\n    subprocess.call(command, shell=True)\n\n\ndef area(width, height):\n    return width * height\n",
    ),
    (
        "pkg/app.py",
        "import sys\nfrom pkg.helpers import area, run\n\nTOKEN = \"ghp_R2k8Qw9xZt4LmN7pV3sY6bC1dF5hJ0aE8uI2\"\nprint(area(1))\nrun(sys.argv[1])\nimport json  # noqa: E402\n",
    ),
];

#[test]
fn a_warm_check_reads_the_stored_files_and_prints_what_a_cold_one_does() {
    let project = Project::new(PROJECT);
    let lint = LintSettings::default();
    let (cold, restored) = project.check_cached(&lint);
    assert_eq!(restored, 0);
    let (warm, restored) = project.check_cached(&lint);
    assert_eq!(warm, cold);
    assert_eq!(restored, 3);
    expect![[r#"
        pkg/__init__.py:1:1: I001 [warning] Import block is un-sorted or un-formatted
        pkg/__init__.py:1:8: F401 [warning] `os` imported but unused
        pkg/__init__.py:2:17: F401 [warning] `pkg.helpers` imported but unused; consider removing, adding to `__all__`, or using a redundant alias
        pkg/app.py:1:1: I001 [warning] Import block is un-sorted or un-formatted
        pkg/app.py:4:9: S105 [warning] Possible hardcoded password assigned to: "TOKEN"
        pkg/app.py:4:10: LOOM901 [error, high] Hard-coded GitHub token `ghp_… (40 chars)`; load it from the environment or a secret store
        pkg/app.py:5:7: LOOM802 [error] `area` is missing required argument `height`
        pkg/app.py:7:8: F401 [warning] `json` imported but unused
        pkg/app.py:7:14: RUF100 [warning] Unused `noqa` directive (non-enabled: `E402`)
        pkg/helpers.py:5:5: S602 [warning, medium] `subprocess` call with `shell=True` identified, security issue
        hidden: 0
    "#]]
    .assert_eq(&cold);
    // Without the graph, the entries are others (no summary in them).
    let (no_graph, restored) = project.check(&lint, false, true);
    assert_eq!(restored, 0);
    assert_eq!(project.check(&lint, false, true), (no_graph.clone(), 3));
    assert_eq!(no_graph, project.check(&lint, false, false).0);
}

#[test]
fn a_changed_text_setting_configuration_permission_or_layout_is_checked_afresh() {
    let project = Project::new(PROJECT);
    let lint = LintSettings::default();
    project.check_cached(&lint);
    // The text of one file.
    project.write("pkg/app.py", "import sys\nfrom pkg.helpers import area, run\n\nprint(area(1, 2))\nrun(sys.argv[1])\n");
    let (report, restored) = project.check_cached(&lint);
    assert!(!report.contains("missing required argument"), "{report}");
    assert_eq!(restored, 2, "__init__.py and helpers.py are as they were");
    // pyloom's lint settings.
    let ignore_unused = LintSettings { ignore: Some(vec!["F401".to_owned()]), ..LintSettings::default() };
    let (report, restored) = project.check_cached(&ignore_unused);
    assert!(!report.contains("F401"), "{report}");
    assert_eq!(restored, 0);
    // ruff's configuration file.
    project.write("ruff.toml", "line-length = 30\n[lint]\nextend-select = [\"E501\"]\n");
    let (report, restored) = project.check_cached(&lint);
    assert!(report.contains("E501"), "{report}");
    assert_eq!(restored, 0);
    // The configuration's contents, the file unchanged.
    project.write("ruff.toml", "line-length = 80\n[lint]\nextend-select = [\"E501\", \"EXE\"]\n");
    project.write("pkg/tool.py", "#!/usr/bin/env python\nprint(1)\n");
    let (report, restored) = project.check_cached(&lint);
    assert!(!report.contains("E501") && report.contains("pkg/tool.py:1:1: EXE001"), "{report}");
    assert_eq!(restored, 0);
    // A file's permissions (ruff's shebang rules read them).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(project.dir.path().join("pkg/tool.py"), std::fs::Permissions::from_mode(0o755)).unwrap();
        let (report, restored) = project.check_cached(&lint);
        assert!(!report.contains("EXE001"), "{report}");
        assert_eq!(restored, 3, "all but tool.py are as they were");
    }
    // The layout: a new module changes what is first-party in `src`, which
    // import sorting (on by default) and an `__init__.py`'s unused imports
    // are reported by.
    project.write("pkg/extra.py", "X = 1\n");
    let (_, restored) = project.check_cached(&lint);
    assert_eq!(restored, 0);
    // Without import sorting, only the `__init__.py` reads the layout.
    let unsorted = LintSettings { ignore: Some(vec!["I".to_owned()]), ..LintSettings::default() };
    project.check_cached(&unsorted);
    project.write("pkg/more.py", "Y = 1\n");
    let (_, restored) = project.check_cached(&unsorted);
    assert_eq!(restored, 4, "all but __init__.py and the new file");
}

#[test]
fn a_corrupt_or_truncated_entry_is_checked_afresh() {
    let project = Project::new(PROJECT);
    let lint = LintSettings::default();
    let (cold, _) = project.check_cached(&lint);
    let database = rusqlite::Connection::open(project.store.path()).unwrap();
    for corruption in ["UPDATE checks SET data = substr(data, 1, length(data) / 2)", "UPDATE checks SET data = x'ffffffffff'", "UPDATE checks SET data = x''"] {
        database.execute(corruption, []).unwrap();
        let (warm, restored) = project.check_cached(&lint);
        assert_eq!((warm.as_str(), restored), (cold.as_str(), 0), "{corruption}");
    }
}

#[test]
fn an_entry_that_does_not_fit_its_text_is_not_restored() {
    let project = Project::new(&[]);
    let path = project.dir.path().join("a.py");
    let cache = CheckCache::new(project.store.clone(), &[path.clone()], false);
    let source = "import os\nx = 'é'\n";
    let config = Config::default();
    let check = FileCheck::new(&path, source, &super::super::parse(&path, source), &config, NoqaEdits::Skip, &PackageRoots::default());
    assert!(!check.findings.is_empty());
    cache.keep(1, &check, None);
    let blob = cache.new.lock().unwrap().pop().unwrap().1;
    assert!(cache.restore(&blob, source).is_some());
    // Shorter, and an offset inside a character.
    assert!(cache.restore(&blob, "import").is_none());
    assert!(cache.restore(&blob, "éééééééééé").is_none());
}

#[test]
fn keys_differ_by_path_permissions_and_text() {
    let project = Project::new(&[]);
    let (a, b) = (PathBuf::from("/p/a.py"), PathBuf::from("/p/b.py"));
    let cache = CheckCache::new(project.store.clone(), &[a.clone(), b.clone()], true);
    let config = Config::default();
    let key = |text: &str, path: &Path, mode: u32| cache.key(text, path, mode, &config);
    let first = key("x = 1\n", &a, 0o644);
    assert_eq!(first, key("x = 1\n", &a, 0o644));
    assert_ne!(first, key("x = 2\n", &a, 0o644));
    assert_ne!(first, key("x = 1\n", &b, 0o644));
    assert_ne!(first, key("x = 1\n", &a, 0o755));
}

#[test]
fn a_finding_callers_elsewhere_make_surer_is_shown_so_cold_and_warm() {
    // `run` is reported for its parameter (medium) by its own file's check;
    // a view elsewhere passes it the request's text: high, pointing there.
    // `area`'s caller passes constants and changes nothing.
    let project = Project::new(&[
        PROJECT[0],
        PROJECT[1],
        (
            "pkg/app.py",
            "from flask import Flask, request\n\nfrom pkg.helpers import area, run\n\napp = Flask(__name__)\n\n\n@app.route(\"/run\")\ndef view():\n    run(request.args[\"c\"])\n    return str(area(1, 2))\n",
        ),
    ]);
    let lint = LintSettings::default();
    let (cold, _) = project.check_cached(&lint);
    let (warm, restored) = project.check_cached(&lint);
    assert_eq!((warm.as_str(), restored), (cold.as_str(), 3));
    expect![[r#"
        pkg/__init__.py:1:1: I001 [warning] Import block is un-sorted or un-formatted
        pkg/__init__.py:1:8: F401 [warning] `os` imported but unused
        pkg/__init__.py:2:17: F401 [warning] `pkg.helpers` imported but unused; consider removing, adding to `__all__`, or using a redundant alias
        pkg/helpers.py:5:5: S602 [warning, high] `subprocess` call with `shell=True` identified, security issue
        hidden: 0
    "#]]
    .assert_eq(&cold);
}

#[test]
fn a_finding_a_helper_elsewhere_sanitises_is_left_out_cold_and_warm() {
    // `clean` keeps the path in its folder; `joined` does not.
    let project = Project::new(&[
        ("web/__init__.py", ""),
        ("web/util.py", "import os\n\n\ndef clean(name):\n    return os.path.basename(name)\n\n\ndef joined(name):\n    return os.path.join(\"/srv\", name)\n"),
        (
            "web/views.py",
            "from flask import Flask, request\n\nfrom web.util import clean, joined\n\napp = Flask(__name__)\n\n\n@app.route(\"/a\")\ndef a():\n    return open(clean(request.args[\"n\"])).read()\n\n\n@app.route(\"/b\")\ndef b():\n    return open(joined(request.args[\"n\"])).read()\n",
        ),
    ]);
    let lint = LintSettings::default();
    let (cold, _) = project.check_cached(&lint);
    let (warm, restored) = project.check_cached(&lint);
    assert_eq!((warm.as_str(), restored), (cold.as_str(), 3));
    expect![[r#"
        web/views.py:15:12: LOOM626 [warning, high] File path from `request.args` reaches `open`; it may leave the intended folder (`../`)
        hidden: 0
    "#]]
    .assert_eq(&cold);
}

#[test]
fn a_finding_of_ruffs_a_helper_elsewhere_sanitises_is_lowered_and_counted_hidden() {
    // ruff's S605 on a command quoted by `web.util.quoted` (`shlex.quote`)
    // is low: hidden by default and counted so, shown with every
    // confidence. The command as the client wrote it stays shown.
    let project = Project::new(&[
        ("web/__init__.py", ""),
        ("web/util.py", "import shlex\n\n\ndef quoted(word):\n    return shlex.quote(word)\n"),
        (
            "web/views.py",
            "import os\n\nfrom flask import Flask, request\n\nfrom web import util\n\napp = Flask(__name__)\n\n\n@app.route(\"/a\")\ndef a():\n    return os.system(\"ls \" + util.quoted(request.args[\"d\"]))\n\n\n@app.route(\"/b\")\ndef b():\n    return os.system(\"ls \" + request.args[\"d\"])\n",
        ),
    ]);
    let (cold, _) = project.check_cached(&LintSettings::default());
    let (every, _) = project.check_cached(&LintSettings { confidence: crate::findings::Confidence::Low, ..LintSettings::default() });
    expect![[r#"
        web/views.py:17:12: S605 [warning, high] Starting a process with a shell, possible injection detected
        hidden: 1
        --- every confidence
        web/views.py:12:12: S605 [warning, low] Starting a process with a shell, possible injection detected
        web/views.py:17:12: S605 [warning, high] Starting a process with a shell, possible injection detected
        hidden: 0
    "#]]
    .assert_eq(&format!("{cold}--- every confidence\n{every}"));
}
