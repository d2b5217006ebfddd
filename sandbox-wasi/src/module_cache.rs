//! Compiling `python.wasm` once and keeping the result on disk.
//!
//! Cranelift takes many seconds on the 26 MB interpreter; loading a
//! serialized module takes about a millisecond. The file name is a hash of
//! the interpreter's bytes and the engine's compatibility hash (wasmtime
//! version and every setting that affects code generation), so a new wasmtime,
//! a changed config or another interpreter never loads a stale artifact.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use wasmtime::{Engine, Module};

/// How the module was obtained, for logs and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleSource {
    /// Loaded from a previous compilation.
    Cached,
    /// Compiled now (and saved for next time).
    Compiled,
}

/// The module plus how long it took to obtain.
pub(crate) struct Loaded {
    pub module: Module,
    pub source: ModuleSource,
    pub elapsed: Duration,
}

/// Loads the compiled module from `dir`, or compiles and stores it.
pub(crate) fn load_or_compile(engine: &Engine, wasm: &Path, wasm_sha256: &str, dir: &Path) -> Result<Loaded> {
    let started = Instant::now();
    let path = artifact_path(engine, wasm_sha256, dir);
    if path.is_file() {
        // SAFETY: `deserialize_file` trusts its input. The file lives in our
        // own cache directory, was written by `Module::serialize` below, and
        // its name pins the wasmtime build and config that produced it.
        match unsafe { Module::deserialize_file(engine, &path) } {
            Ok(module) => {
                return Ok(Loaded { module, source: ModuleSource::Cached, elapsed: started.elapsed() });
            }
            Err(error) => tracing::warn!("ignoring unusable module cache {}: {error}", path.display()),
        }
    }
    let module = Module::from_file(engine, wasm)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("compiling {}", wasm.display()))?;
    if let Err(error) = store(&module, &path) {
        // A read-only cache only costs the next start a recompilation.
        tracing::warn!("could not cache the compiled module at {}: {error:#}", path.display());
    }
    Ok(Loaded { module, source: ModuleSource::Compiled, elapsed: started.elapsed() })
}

fn artifact_path(engine: &Engine, wasm_sha256: &str, dir: &Path) -> PathBuf {
    let mut engine_hash = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut engine_hash);
    let mut key = Sha256::new();
    key.update(wasm_sha256.as_bytes());
    key.update(engine_hash.finish().to_le_bytes());
    dir.join(format!("python-{}.cwasm", &hex::encode(key.finalize())[..32]))
}

/// Writes atomically so a concurrent reader never sees half a module.
fn store(module: &Module, path: &Path) -> Result<()> {
    let dir = path.parent().context("module path has no parent")?;
    fs::create_dir_all(dir)?;
    let bytes = module.serialize()?;
    let mut staged = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut staged, &bytes)?;
    staged.persist(path)?;
    Ok(())
}
