//! pytest's rewritten test modules, cached across runs, end to end: an
//! entry whose code is not what its digest says is not used (the run
//! rewrites the file as before), a whole one is. Each test has a cache
//! folder of its own whose interpreter is the installed one (linked), so
//! the entries it finds are its own. Needs `pyloom sandbox install`, as
//! `snippets.rs` does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pyloom_e2e::pyloom_bin;
use serde_json::Value;

/// The installed sandbox's cache root (sandbox-wasi's `cache_root`).
fn installed_cache() -> PathBuf {
    std::env::var_os("PYLOOM_CACHE_DIR").filter(|dir| !dir.is_empty()).map(PathBuf::from).unwrap_or_else(|| {
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(&std::env::var_os("HOME").expect("HOME")).join(".cache"));
        cache.join("pyloom")
    })
}

/// A project of two pytest files, `test_a.py` passing and `test_b.py`
/// failing, each with one test of the same name (a fixture's); and a cache root that
/// shares the installed interpreter and has no rewritten code yet.
struct Project {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Project {
    fn new(pyproject: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("pyproject.toml"), pyproject).unwrap();
        fs::write(dir.path().join("test_a.py"), "import pytest\n\n\ndef test_it(tmp_path):\n    assert 1 == 1\n").unwrap();
        fs::write(dir.path().join("test_b.py"), "import pytest\n\n\ndef test_it(tmp_path):\n    assert 1 == 2\n").unwrap();
        let cache = tempfile::tempdir().unwrap();
        for part in ["python-wasm", "modules"] {
            std::os::unix::fs::symlink(installed_cache().join(part), cache.path().join(part)).unwrap();
        }
        Self { dir, cache }
    }

    /// `pyloom test FILE`: the test's status and message.
    fn run(&self, file: &str) -> (String, String) {
        let output = Command::new(pyloom_bin())
            .args(["test", file, "--format", "json"])
            .current_dir(self.dir.path())
            .env_remove("VIRTUAL_ENV")
            .env("PYLOOM_CACHE_DIR", self.cache.path())
            .output()
            .expect("pyloom runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("JSON results ({error}); stderr: {stderr}"));
        assert_eq!(results.len(), 1, "stderr: {stderr}");
        (results[0]["status"].as_str().unwrap().to_owned(), results[0]["message"].as_str().unwrap().to_owned())
    }

    /// The cache entry whose code names `file`, split into its header
    /// lines (format, key, the code's digest) and its code.
    fn entry(&self, file: &str) -> (PathBuf, [Vec<u8>; 3], Vec<u8>) {
        let folder = self.cache.path().join("rewritten");
        let mut found = fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().path()).filter(|path| {
            let bytes = fs::read(path).unwrap();
            bytes.windows(file.len()).any(|window| window == file.as_bytes())
        });
        let path = found.next().unwrap_or_else(|| panic!("no cache entry for {file} in {}", folder.display()));
        assert!(found.next().is_none(), "one entry for {file}");
        let bytes = fs::read(&path).unwrap();
        let mut parts = bytes.splitn(4, |&byte| byte == b'\n').map(<[u8]>::to_vec);
        let header = [parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap()];
        (path, header, parts.next().unwrap())
    }
}

/// `test_a.py`'s entry rewritten to hold `test_b.py`'s code, with the
/// digest of `digest_of`'s code; what `pyloom test test_a.py` then says.
fn run_a_with_b_code(project: &Project, digest_of: &str) -> (String, String) {
    assert_eq!(project.run("test_b.py").0, "failed");
    assert_eq!(project.run("test_a.py").0, "passed");
    let (a_path, [format, a_key, a_digest], _) = project.entry("/src/test_a.py");
    let (_, [_, _, b_digest], b_code) = project.entry("/src/test_b.py");
    let digest = if digest_of == "b" { b_digest } else { a_digest };
    fs::write(&a_path, [format, a_key, digest, b_code].join(&b'\n')).unwrap();
    project.run("test_a.py")
}

#[test]
fn a_cached_entry_whose_code_is_not_its_digest_is_not_used() {
    let project = Project::new("");
    let (status, message) = run_a_with_b_code(&project, "a");
    assert_eq!((status.as_str(), message.as_str()), ("passed", ""), "the file's own source ran");
    let (_, _, code) = project.entry("/src/test_a.py");
    assert!(!code.windows(b"test_b".len()).any(|window| window == b"test_b"), "the entry was replaced by the file's own code");
}

#[test]
fn a_whole_cached_entry_is_used() {
    let project = Project::new("");
    let (status, message) = run_a_with_b_code(&project, "b");
    assert_eq!(status, "failed", "the cached code ran, not the source: {message}");
    assert!(message.contains("assert 1 == 2"), "{message}");
}
