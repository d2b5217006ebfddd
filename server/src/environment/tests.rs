//! Discovery against real virtualenvs made with `python3 -m venv`, and
//! the order of precedence over stand-in folders. Environment variables
//! are passed in [`Vars`], never set on the process.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[cfg(unix)]
fn executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    write(path, text);
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A real virtualenv (no pip: faster) at `dir`, and its site-packages.
fn venv(dir: &Path) -> PathBuf {
    let status = Command::new("python3").args(["-m", "venv", "--without-pip"]).arg(dir).status().expect("python3 on PATH");
    assert!(status.success(), "python3 -m venv {}", dir.display());
    let sites = editable::scan_site_packages(dir);
    assert_eq!(sites.len(), 1, "{sites:?}");
    sites[0].clone()
}

fn canonicals(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().map(|p| canonical(p)).collect()
}

#[test]
fn a_real_venv_is_asked_once_then_cached_until_its_site_packages_change() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let workspace = root.join("ws");
    std::fs::create_dir_all(&workspace).unwrap();
    let site = venv(&workspace.join(".venv"));
    // A plain .pth folder, and one naming the workspace itself (left out).
    let extra = root.join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    write(&site.join("extra.pth"), &format!("# a comment\n{}\n{}\n", extra.display(), workspace.display()));
    // A setuptools editable install: its .pth imports a finder module.
    let src = root.join("project/src");
    write(&src.join("mypkg/__init__.py"), "X = 1\n");
    write(&site.join("__editable__.mypkg-1.0.pth"), "import __editable___mypkg_1_0_finder; __editable___mypkg_1_0_finder.install()\n");
    write(
        &site.join("__editable___mypkg_1_0_finder.py"),
        &format!(
            "import sys\nfrom importlib.machinery import ModuleSpec\nMAPPING: dict[str, str] = {{'mypkg': {:?}}}\nNAMESPACES: dict[str, list[str]] = {{}}\n\ndef install():\n    pass\n",
            src.join("mypkg").display().to_string()
        ),
    );
    let cache = root.join("cache");
    let folders = [workspace.clone()];

    let first = Discovery::new(Vars::default(), Some(cache.clone()));
    let environment = first.discover(None, None, &folders);
    assert_eq!(first.runs(), 1);
    assert_eq!(environment.origin, Origin::Interpreter, "{environment:?}");
    assert_eq!(environment.found_by, FoundBy::WorkspaceVenv(workspace.join(".venv")));
    assert_eq!(environment.interpreter, Some(workspace.join(".venv/bin/python")));
    assert_eq!(environment.version, Some((3, 11)));
    assert_eq!(canonical(environment.prefix.as_ref().unwrap()), canonical(&workspace.join(".venv")));
    assert!(environment.warnings.is_empty(), "{:?}", environment.warnings);
    let paths = canonicals(&environment.search_paths);
    let position = |p: &Path| paths.iter().position(|q| *q == canonical(p));
    let (site_at, extra_at, src_at) = (position(&site).unwrap(), position(&extra).unwrap(), position(&src).unwrap());
    assert!(site_at < extra_at && extra_at < src_at, "{paths:?}");
    assert_eq!(src_at, paths.len() - 1, "the editable root comes last");
    assert_eq!(position(&workspace), None, "the workspace folder is not a search path");
    assert!(environment.search_paths.iter().all(|p| p.is_absolute() && p.is_dir()), "{paths:?}");
    // The standard library: `os.py` is there, site-packages is not.
    assert!(!environment.stdlib.is_empty());
    assert!(environment.stdlib.iter().any(|p| p.join("os.py").is_file()), "{:?}", environment.stdlib);
    assert!(environment.stdlib.iter().all(|p| environment.search_paths.contains(p)));
    assert_eq!(environment.libraries().iter().map(|p| canonical(p)).collect::<Vec<_>>(), [canonical(&site), canonical(&extra), canonical(&src)]);
    assert!(environment.to_string().starts_with("Python 3.11 at "), "{environment}");

    // The same interpreter again: its cached answer, no process.
    let second = Discovery::new(Vars::default(), Some(cache.clone()));
    let again = second.discover(None, None, &folders);
    assert_eq!(second.runs(), 0);
    assert_eq!(again.origin, Origin::Cache);
    assert_eq!(again.search_paths, environment.search_paths);
    assert_eq!(again.stdlib, environment.stdlib);

    // A package installed (a new .pth in site-packages): asked again.
    let added = root.join("added");
    std::fs::create_dir_all(&added).unwrap();
    write(&site.join("added.pth"), &format!("{}\n", added.display()));
    let third = Discovery::new(Vars::default(), Some(cache.clone()));
    let changed = third.discover(None, None, &folders);
    assert_eq!(third.runs(), 1);
    assert_eq!(changed.origin, Origin::Interpreter);
    assert!(canonicals(&changed.search_paths).contains(&canonical(&added)), "{:?}", changed.search_paths);
    // The cache holds one entry per interpreter, no temporary files left.
    let entries: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(entries.len(), 1, "{entries:?}");

    // Without a cache every discovery runs the interpreter.
    let uncached = Discovery::new(Vars::default(), None);
    uncached.discover(None, None, &folders);
    uncached.discover(None, None, &folders);
    assert_eq!(uncached.runs(), 2);
}

#[cfg(unix)]
#[test]
fn a_broken_venv_is_scanned_and_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let venv = temp.path().join("broken");
    write(&venv.join("pyvenv.cfg"), "home = /nowhere/bin\nversion_info = 3.10.2\n");
    let site = venv.join("lib/python3.10/site-packages");
    write(&site.join("requests/__init__.py"), "def get(url): pass\n");
    let extra = temp.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    write(&site.join("extra.pth"), &format!("{}\nimport os\nmissing-folder\n", extra.display()));
    let cache = temp.path().join("cache");

    // Its python links to an interpreter that is gone.
    std::fs::create_dir_all(venv.join("bin")).unwrap();
    std::os::unix::fs::symlink("/nowhere/bin/python3.10", venv.join("bin/python")).unwrap();
    let discovery = Discovery::new(Vars::default(), Some(cache.clone()));
    let environment = discovery.discover(None, Some(&venv), &[]);
    assert_eq!(discovery.runs(), 0);
    assert_eq!(environment.found_by, FoundBy::VenvSetting);
    assert_eq!(environment.origin, Origin::Scan);
    assert_eq!(environment.interpreter, None);
    assert_eq!(environment.version, Some((3, 10)));
    assert_eq!(environment.prefix, Some(venv.clone()));
    assert_eq!(environment.search_paths, [site.clone(), extra.clone()]);
    assert!(environment.stdlib.is_empty());
    assert_eq!(environment.warnings.len(), 1);
    assert!(environment.warnings[0].contains("has no python executable"), "{:?}", environment.warnings);
    assert!(environment.to_string().contains("site-packages scanned"), "{environment}");

    // Its python is there but fails.
    std::fs::remove_file(venv.join("bin/python")).unwrap();
    executable(&venv.join("bin/python"), "#!/bin/sh\necho 'no such interpreter' >&2\nexit 3\n");
    let discovery = Discovery::new(Vars { virtual_env: Some(venv.clone().into()), ..Vars::default() }, Some(cache.clone()));
    let environment = discovery.discover(None, None, &[]);
    assert_eq!(discovery.runs(), 1);
    assert_eq!(environment.found_by, FoundBy::VirtualEnvVar);
    assert_eq!(environment.origin, Origin::Scan);
    assert_eq!(environment.interpreter, Some(venv.join("bin/python")));
    assert_eq!(environment.search_paths, [site.clone(), extra.clone()]);
    assert_eq!(environment.warnings.len(), 2, "{:?}", environment.warnings);
    assert!(environment.warnings[0].contains("exited with") && environment.warnings[0].contains("no such interpreter"), "{:?}", environment.warnings);
    assert!(environment.warnings[1].contains("scanned"), "{:?}", environment.warnings);
    // A failure is not cached.
    assert!(!cache.exists() || std::fs::read_dir(&cache).unwrap().next().is_none());
}

#[cfg(unix)]
#[test]
fn the_order_of_precedence_is_pyrights() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let fake = |dir: &Path| {
        executable(&dir.join("bin/python"), "#!/bin/sh\nexit 1\n");
        write(&dir.join("pyvenv.cfg"), "home = /usr/bin\n");
    };
    let setting = root.join("chosen/bin/python3.12");
    executable(&setting, "#!/bin/sh\nexit 1\n");
    let venv_setting = root.join("configured");
    let virtual_env = root.join("activated");
    let ws = root.join("ws");
    let conda = root.join("conda");
    let path_dir = root.join("path");
    for dir in [&venv_setting, &virtual_env, &ws.join(".venv"), &ws.join("venv"), &conda] {
        fake(dir);
    }
    executable(&path_dir.join("python3"), "#!/bin/sh\nexit 1\n");
    let vars = |virtual_env: bool, conda_prefix: bool, path: bool| Vars {
        virtual_env: virtual_env.then(|| root.join("activated").into()),
        conda_prefix: conda_prefix.then(|| root.join("conda").into()),
        path: path.then(|| std::env::join_paths([root.join("empty"), path_dir.clone()]).unwrap()),
    };
    let choose = |python: Option<&Path>, venv: Option<&Path>, vars: Vars, folders: &[PathBuf]| {
        let mut warnings = Vec::new();
        let choice = Discovery::new(vars, None).choose(python, venv, folders, &mut warnings);
        (choice.found_by, choice.interpreter, warnings)
    };
    let folders = [root.join("other"), ws.clone()];
    std::fs::create_dir_all(&folders[0]).unwrap();

    let all = |python, venv| choose(python, venv, vars(true, true, true), &folders);
    assert_eq!(all(Some(&setting), Some(&venv_setting)), (FoundBy::Setting, Some(setting.clone()), vec![]));
    // A relative setting is taken from the first folder.
    let (found_by, interpreter, _) = choose(Some(Path::new("../chosen/bin/python3.12")), None, vars(true, true, true), &folders);
    assert_eq!((found_by, interpreter), (FoundBy::Setting, Some(root.join("chosen/bin/python3.12"))));
    assert_eq!(all(None, Some(&venv_setting)), (FoundBy::VenvSetting, Some(venv_setting.join("bin/python")), vec![]));
    assert_eq!(all(None, None), (FoundBy::VirtualEnvVar, Some(virtual_env.join("bin/python")), vec![]));
    assert_eq!(choose(None, None, vars(false, true, true), &folders), (FoundBy::WorkspaceVenv(ws.join(".venv")), Some(ws.join(".venv/bin/python")), vec![]));
    std::fs::remove_file(ws.join(".venv/pyvenv.cfg")).unwrap();
    assert_eq!(choose(None, None, vars(false, true, true), &folders), (FoundBy::WorkspaceVenv(ws.join("venv")), Some(ws.join("venv/bin/python")), vec![]));
    assert_eq!(choose(None, None, vars(false, true, true), &[]), (FoundBy::Conda, Some(conda.join("bin/python")), vec![]));
    assert_eq!(choose(None, None, vars(false, false, true), &[]), (FoundBy::Path, Some(path_dir.join("python3")), vec![]));
    assert_eq!(choose(None, None, vars(false, false, false), &[]), (FoundBy::None, None, vec![]));

    // What names nothing is said and skipped.
    let gone = root.join("gone");
    let (found_by, _, warnings) =
        choose(Some(&gone.join("python")), Some(&gone), Vars { virtual_env: Some(gone.clone().into()), ..vars(false, false, true) }, &[]);
    assert_eq!(found_by, FoundBy::Path);
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].starts_with("the `index.python` setting names no file") && warnings[2].starts_with("$VIRTUAL_ENV names no folder"), "{warnings:?}");
}

#[test]
fn nothing_found_is_an_empty_environment() {
    let discovery = Discovery::new(Vars::default(), None);
    let environment = discovery.discover(None, None, &[]);
    assert_eq!(discovery.runs(), 0);
    assert_eq!(environment.found_by, FoundBy::None);
    assert_eq!(environment.origin, Origin::Nothing);
    assert!(environment.search_paths.is_empty() && environment.warnings.is_empty());
    assert_eq!(environment.to_string(), "no Python environment: found by nothing (no setting, no virtualenv, no python3 on PATH)");
}

#[test]
fn the_answer_is_found_past_what_sitecustomize_prints() {
    let output = "hello from sitecustomize\nPYLOOM-ENVIRONMENT {\"executable\": \"/v/bin/python\", \"prefix\": \"/v\", \"version\": [3, 12], \"path\": [\"/usr/lib/python312.zip\"], \"stdlib\": \"/usr/lib/python3.12\", \"platstdlib\": null, \"purelib\": \"/v/lib/python3.12/site-packages\", \"platlib\": null}\n";
    let answer = probe::parse(output).unwrap();
    assert_eq!(answer.version, (3, 12));
    assert_eq!(answer.path, ["/usr/lib/python312.zip"]);
    assert_eq!(probe::parse("nothing\n").unwrap_err(), "it printed no answer");
}

#[test]
fn python3_on_path_is_asked_when_there_is_no_virtualenv() {
    // The machine's PATH, read, not changed: the python3 the tests run with.
    let temp = tempfile::tempdir().unwrap();
    let vars = Vars { path: std::env::var_os("PATH"), ..Vars::default() };
    let discovery = Discovery::new(vars, Some(temp.path().join("cache")));
    let environment = discovery.discover(None, None, &[]);
    assert_eq!(discovery.runs(), 1);
    assert_eq!(environment.found_by, FoundBy::Path);
    assert_eq!(environment.origin, Origin::Interpreter, "{:?}", environment.warnings);
    assert!(environment.version.is_some_and(|(major, _)| major == 3));
    assert!(environment.stdlib.iter().any(|p| p.join("os.py").is_file()), "{environment:?}");
    assert!(environment.libraries().iter().all(|p| !p.join("os.py").is_file()), "{environment:?}");
    assert!(environment.to_string().contains("found by python3 on PATH (asked)"), "{environment}");
}

#[test]
fn a_relative_setting_is_named_plainly() {
    let base = std::path::Path::new("/ws/my app");
    assert_eq!(super::absolute(std::path::Path::new("../other/./.venv"), Some(base)), std::path::PathBuf::from("/ws/other/.venv"));
    assert_eq!(super::absolute(std::path::Path::new("/a/b/../c"), Some(base)), std::path::PathBuf::from("/a/c"));
}
