//! pytest's rewriting of test modules' asserts, cached across runs.
//!
//! pytest rewrites the asserts of every test module and `conftest.py` it
//! imports (parse, rewrite, compile: about 60M wasm operators for a file
//! of five tests, most of what a pytest file costs under wasm) and
//! natively caches the result in `__pycache__`; here the sources are
//! staged afresh and read-only for each job, so every run rewrote them.
//!
//! Who writes: only the host, from the output of a job of our own that
//! runs pytest's rewriter on the files' bytes and nothing else
//! (`_pyloom_rewrite` in `pytest_prelude.py`: no conftest, no plugin, no
//! import of the file), never from a run of the user's tests, whose code
//! can write anything in its scratch folder. So an entry is a function of
//! its key alone, and the cache is shared by every project: no guest can
//! put code in it for another project (or for a later run of its own).
//! The key: the interpreter component's SHA-256 (CPython and pytest as
//! built into it), its build key (the pinned pytest wheel and the
//! runner), the module's path in the guest and the SHA-256 of its text;
//! not the project's pytest config, which jobs never see (its ini files
//! are not staged), so the one setting the rewriting reads,
//! `enable_assertion_pass_hook`, is off in the rewrite job and the tests'.
//! An entry holds its key and its code's SHA-256, checked on every load,
//! so a truncated, corrupted or misplaced one is ignored (the run rewrites
//! as before) and replaced. A guest gets the code of its own files only,
//! inside its job (it never sees the cache folder), and the very text the
//! code was made from is what is staged for it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Result;
use sandbox_wasi::{GUEST_SCRATCH, GUEST_SOURCES, Job, Outcome, SourceFile, SourceText};
use sha2::{Digest, Sha256};

use super::{Snippet, SnippetKind, SnippetRunner, Staged};
use crate::notebook::Notebook;

/// The first line of an entry (its format's version).
const MAGIC: &str = "pyloom-rewritten 1";
/// Where the rewrite job writes, under its scratch folder.
const OUT: &str = "rewritten";

/// A module pytest rewrites when it imports it, with its rewritten code.
pub(super) struct Rewritten {
    relative: PathBuf,
    text: String,
    code: Vec<u8>,
}

/// Rewritten code by key, in a folder of the user's cache.
pub(super) struct RewriteCache {
    dir: PathBuf,
    /// What every key starts from: the interpreter's digest and build key.
    salt: String,
}

impl RewriteCache {
    pub(super) fn new(dir: PathBuf, interpreter_digest: &str, build_key: &str) -> Self {
        Self { dir, salt: format!("{interpreter_digest}\n{build_key}\n") }
    }

    fn key(&self, guest_path: &str, text: &str) -> String {
        let mut key = Sha256::new();
        key.update(self.salt.as_bytes());
        key.update(format!("{guest_path}\n{}\n", hex(&Sha256::digest(text.as_bytes()))).as_bytes());
        hex(&key.finalize())
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.pyc"))
    }

    /// The code stored under `key`, if its entry is whole and its own.
    fn load(&self, key: &str) -> Option<Vec<u8>> {
        let entry = fs::read(self.path(key)).ok()?;
        let header = format!("{MAGIC}\n{key}\n");
        let rest = entry.strip_prefix(header.as_bytes())?;
        let (digest, code) = (rest.get(..64)?, rest.get(65..)?);
        let fine = rest.get(64) == Some(&b'\n') && digest == hex(&Sha256::digest(code)).as_bytes();
        if !fine {
            tracing::debug!("ignoring the rewritten-code cache entry {}: its code does not match its digest", self.path(key).display());
        }
        fine.then(|| code.to_vec())
    }

    /// Written aside, then renamed, so a reader (another worker or
    /// process) never sees half an entry.
    fn store(&self, key: &str, code: &[u8]) -> Result<()> {
        static STAGED: AtomicU64 = AtomicU64::new(0);
        fs::create_dir_all(&self.dir)?;
        let staged = self.dir.join(format!("{key}.{}-{}.tmp", std::process::id(), STAGED.fetch_add(1, Ordering::Relaxed)));
        let mut entry = format!("{MAGIC}\n{key}\n{}\n", hex(&Sha256::digest(code))).into_bytes();
        entry.extend_from_slice(code);
        fs::write(&staged, entry)?;
        fs::rename(&staged, self.path(key)).inspect_err(|_| drop(fs::remove_file(&staged)))?;
        Ok(())
    }
}

impl SnippetRunner {
    /// The rewritten code of what pytest will rewrite in the job of
    /// `parts` (the file of each part with pytest tests, and the
    /// `conftest.py` files staged with it), by path in the guest: from the
    /// cache, the rest made by a rewrite job and stored first. A file whose
    /// text is not what is saved on disk (an editor's unsaved buffer), a
    /// notebook or a file that is not UTF-8 is left to the run, which
    /// rewrites it as before, so keystrokes do not fill the cache.
    pub(super) async fn rewritten(&self, parts: &[(&Staged, Vec<&Snippet>)]) -> BTreeMap<String, Rewritten> {
        let mut found = BTreeMap::new();
        let mut missing: Vec<(String, String, Rewritten)> = Vec::new();
        for (staged, tests) in parts {
            if Notebook::is_notebook(&staged.file) || !tests.iter().any(|snippet| snippet.kind == SnippetKind::Pytest) {
                continue;
            }
            for source in &staged.sources {
                let guest_path = format!("{GUEST_SOURCES}/{}", source.guest_relative.display());
                let rewritten_by_pytest = guest_path == staged.guest_file || source.guest_relative.file_name().is_some_and(|name| name == "conftest.py");
                if !rewritten_by_pytest || found.contains_key(&guest_path) || missing.iter().any(|(path, ..)| *path == guest_path) {
                    continue;
                }
                let Some(text) = saved_text(&staged.root, source) else { continue };
                let key = self.rewrites.key(&guest_path, &text);
                let code = self.rewrites.load(&key);
                let rewritten = Rewritten { relative: source.guest_relative.clone(), text, code: code.clone().unwrap_or_default() };
                match code {
                    Some(_) => drop(found.insert(guest_path, rewritten)),
                    None => missing.push((guest_path, key, rewritten)),
                }
            }
        }
        if !missing.is_empty() {
            let made = self.rewrite(&missing).await.unwrap_or_else(|error| {
                tracing::warn!("rewriting the asserts of {} test modules ahead failed: {error:#}", missing.len());
                BTreeMap::new()
            });
            tracing::debug!("rewrote the asserts of {} of {} test modules ahead ({} from the cache)", made.len(), missing.len(), found.len());
            for (index, (guest_path, key, mut rewritten)) in missing.into_iter().enumerate() {
                let Some(code) = made.get(&index) else { continue };
                if let Err(error) = self.rewrites.store(&key, code) {
                    tracing::warn!("could not cache the rewritten code of {guest_path}: {error:#}");
                }
                rewritten.code = code.clone();
                found.insert(guest_path, rewritten);
            }
        }
        found
    }

    /// Runs the rewrite job over `files`: their code by index.
    async fn rewrite(&self, files: &[(String, String, Rewritten)]) -> Result<BTreeMap<usize, Vec<u8>>> {
        let paths: Vec<&str> = files.iter().map(|(path, ..)| path.as_str()).collect();
        let spec = serde_json::json!({"files": paths, "out": format!("{GUEST_SCRATCH}/{OUT}")});
        let literal = serde_json::to_string(&spec.to_string())?;
        let outputs: Vec<PathBuf> = (0..files.len()).map(|index| Path::new(OUT).join(format!("{index}.pyc"))).collect();
        let sources =
            files.iter().map(|(_, _, file)| SourceFile { guest_relative: file.relative.clone(), text: SourceText::Text(file.text.clone()) }).collect();
        let job = Job { script: format!("_pyloom_rewrite(json.loads({literal}))\n"), sources, collect: outputs.clone() };
        let output = self.sandbox.run(job).await?;
        // What it wrote is whole (written aside, then renamed), however it ended.
        if output.outcome != Outcome::Exited(0) {
            tracing::debug!("the rewrite job ended with {:?}: {}", output.outcome, output.stderr.trim_end());
        }
        Ok(output.collected.into_iter().filter_map(|(path, code)| Some((outputs.iter().position(|out| *out == path)?, code))).collect())
    }
}

impl Rewritten {
    /// The text the code was made from, which the job stages in place of
    /// the file's (the file may have changed since it was read).
    pub(super) fn source(&self) -> SourceFile {
        SourceFile { guest_relative: self.relative.clone(), text: SourceText::Text(self.text.clone()) }
    }

    /// The code as the runner takes it (`_use_rewritten`).
    pub(super) fn code_hex(&self) -> String {
        hex(&self.code)
    }
}

/// `source`'s text if it is what is saved under `root`.
fn saved_text(root: &Path, source: &SourceFile) -> Option<String> {
    match &source.text {
        SourceText::File(host) => String::from_utf8(fs::read(host).ok()?).ok(),
        SourceText::Text(text) => (fs::read(root.join(&source.guest_relative)).ok()? == text.as_bytes()).then(|| text.clone()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path) -> RewriteCache {
        RewriteCache::new(dir.join("rewritten"), "digest", "build")
    }

    #[test]
    fn a_stored_entry_is_loaded_under_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path());
        let key = cache.key("/src/test_a.py", "assert 1\n");
        cache.store(&key, b"\xe3code\nwith newlines").unwrap();
        assert_eq!(cache.load(&key).as_deref(), Some(&b"\xe3code\nwith newlines"[..]));
        // Another text, path or interpreter is another key.
        assert_ne!(cache.key("/src/test_a.py", "assert 2\n"), key);
        assert_ne!(cache.key("/src/test_b.py", "assert 1\n"), key);
        assert_ne!(RewriteCache::new(dir.path().join("rewritten"), "other", "build").key("/src/test_a.py", "assert 1\n"), key);
    }

    #[test]
    fn a_tampered_or_misplaced_entry_is_not_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path());
        let key = cache.key("/src/test_a.py", "assert 1\n");
        cache.store(&key, b"the code").unwrap();
        let mut entry = fs::read(cache.path(&key)).unwrap();
        *entry.last_mut().unwrap() ^= 1;
        fs::write(cache.path(&key), &entry).unwrap();
        assert_eq!(cache.load(&key), None, "a changed byte of the code");
        fs::write(cache.path(&key), &entry[..entry.len() - 3]).unwrap();
        assert_eq!(cache.load(&key), None, "truncated");
        // A whole entry copied under another file's key.
        let other = cache.key("/src/test_b.py", "assert 1\n");
        cache.store(&other, b"the code").unwrap();
        fs::copy(cache.path(&other), cache.path(&key)).unwrap();
        assert_eq!(cache.load(&key), None, "another key's entry");
        assert_eq!(cache.load(&other).as_deref(), Some(&b"the code"[..]));
    }

    #[test]
    fn only_saved_text_is_cached() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("test_a.py"), "assert 1\n").unwrap();
        let source = |text: SourceText| SourceFile { guest_relative: "test_a.py".into(), text };
        assert_eq!(saved_text(dir.path(), &source(SourceText::Text("assert 1\n".into()))).as_deref(), Some("assert 1\n"));
        assert_eq!(saved_text(dir.path(), &source(SourceText::File(dir.path().join("test_a.py")))).as_deref(), Some("assert 1\n"));
        assert_eq!(saved_text(dir.path(), &source(SourceText::Text("assert 2\n".into()))), None, "an unsaved buffer");
    }
}
