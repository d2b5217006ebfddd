//! Compiling the interpreter component once and keeping the result on disk.
//!
//! Cranelift takes about half a minute on the 28 MB component; loading a
//! serialized one takes a few milliseconds. The file name is a hash of
//! the component's bytes and the engine's compatibility hash (wasmtime
//! version and every setting that affects code generation), so a new wasmtime,
//! a changed config or another build never loads a stale artifact.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

use crate::install::sha256_file;

/// How the module was obtained, for logs and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleSource {
    /// Loaded from a previous compilation.
    Cached,
    /// Compiled now (and saved for next time).
    Compiled,
}

/// The component plus how long it took to obtain.
pub(crate) struct Loaded {
    pub component: Component,
    pub source: ModuleSource,
    pub elapsed: Duration,
}

/// Loads the compiled component from `dir`, or compiles and stores it.
pub(crate) fn load_or_compile(engine: &Engine, wasm: &Path, wasm_sha256: &str, dir: &Path) -> Result<Loaded> {
    let started = Instant::now();
    let path = artifact_path(engine, wasm_sha256, dir);
    if path.is_file() {
        // SAFETY: `deserialize_file` trusts its input. The file lives in our
        // own cache directory, was written by `Component::serialize` below,
        // and its name pins the wasmtime build and config that produced it.
        match unsafe { Component::deserialize_file(engine, &path) } {
            Ok(component) => {
                return Ok(Loaded { component, source: ModuleSource::Cached, elapsed: started.elapsed() });
            }
            Err(error) => tracing::warn!("ignoring unusable module cache {}: {error}", path.display()),
        }
    }
    let component = Component::from_file(engine, wasm).map_err(anyhow::Error::from).with_context(|| format!("compiling {}", wasm.display()))?;
    if let Err(error) = store(&component, &path) {
        // A read-only cache only costs the next start a recompilation.
        tracing::warn!("could not cache the compiled module at {}: {error:#}", path.display());
    }
    Ok(Loaded { component, source: ModuleSource::Compiled, elapsed: started.elapsed() })
}

fn artifact_path(engine: &Engine, wasm_sha256: &str, dir: &Path) -> PathBuf {
    let mut engine_hash = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut engine_hash);
    let mut key = Sha256::new();
    key.update(wasm_sha256.as_bytes());
    key.update(engine_hash.finish().to_le_bytes());
    dir.join(format!("runner-{}.cwasm", &hex::encode(key.finalize())[..32]))
}

fn store(component: &Component, path: &Path) -> Result<()> {
    write_atomically(path, &component.serialize()?)
}

/// The component's SHA-256 (what names its compiled form), remembered
/// in `dir` under the file's identity: path, device, inode, size and change
/// times. Hashing the 28 MB component takes longer than loading its
/// compiled form, on every start; a file that was replaced, rewritten or
/// touched (the change time cannot be set back) is hashed again.
pub(crate) fn interpreter_digest(wasm: &Path, dir: &Path) -> Result<String> {
    let meta = fs::metadata(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let mut identity = Sha256::new();
    identity.update(wasm.as_os_str().as_encoded_bytes());
    for number in [meta.dev(), meta.ino(), meta.len()] {
        identity.update(number.to_le_bytes());
    }
    for number in [meta.mtime(), meta.mtime_nsec(), meta.ctime(), meta.ctime_nsec()] {
        identity.update(number.to_le_bytes());
    }
    let memo = dir.join(format!("runner-{}.sha256", &hex::encode(identity.finalize())[..32]));
    if let Ok(digest) = fs::read_to_string(&memo)
        && digest.len() == 64
        && digest.bytes().all(|byte| byte.is_ascii_hexdigit())
    {
        return Ok(digest);
    }
    let digest = sha256_file(wasm)?;
    if let Err(error) = write_atomically(&memo, digest.as_bytes()) {
        tracing::warn!("could not remember the interpreter's digest at {}: {error:#}", memo.display());
    }
    Ok(digest)
}

/// Writes atomically so a concurrent reader never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().context("cache path has no parent")?;
    fs::create_dir_all(dir)?;
    let mut staged = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut staged, bytes)?;
    staged.persist(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_remembered_until_the_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = dir.path().join("python.wasm");
        let cache = dir.path().join("modules");
        fs::write(&wasm, b"first").unwrap();
        let first = interpreter_digest(&wasm, &cache).unwrap();
        assert_eq!(first, sha256_file(&wasm).unwrap());
        assert_eq!(fs::read_dir(&cache).unwrap().count(), 1, "the digest is remembered");
        assert_eq!(interpreter_digest(&wasm, &cache).unwrap(), first);

        // Rewritten in place with another size.
        fs::write(&wasm, b"second!").unwrap();
        assert_eq!(interpreter_digest(&wasm, &cache).unwrap(), sha256_file(&wasm).unwrap());
        // Replaced by a file of the same size and modification time.
        let modified = fs::metadata(&wasm).unwrap().modified().unwrap();
        let staged = dir.path().join("staged");
        fs::write(&staged, b"third!!").unwrap();
        fs::File::options().write(true).open(&staged).unwrap().set_modified(modified).unwrap();
        fs::rename(&staged, &wasm).unwrap();
        assert_eq!(interpreter_digest(&wasm, &cache).unwrap(), sha256_file(&wasm).unwrap());
        assert_ne!(interpreter_digest(&wasm, &cache).unwrap(), first);
    }
}
