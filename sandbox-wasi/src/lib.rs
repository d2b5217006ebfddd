//! Runs Python snippets in a WASI CPython under wasmtime with hard limits.
//!
//! The guest sees only what is mounted for it: a read-write scratch
//! directory (`/scratch`, under a disk quota), a read-only copy of the
//! workspace sources it needs (`/src`) and, when installed, read-only pytest
//! (`/site-packages`). No environment variables, no network (WASI preview 1
//! has no sockets), and every run is bounded in wall-clock time, memory,
//! output and disk. Whatever happens inside, the host gets an [`Outcome`].

mod boot;
mod install;
mod job_input;
mod limits;
mod module_cache;
mod output;
mod pool;
mod quota;
mod quota_calls;
mod runtime;
mod scratch;

use std::path::PathBuf;
use std::time::Duration;

pub use install::{CACHE_DIR_ENV, INTERPRETER_SHA256, Interpreter, Layout, cache_root, pip_download, sha256_file, unpack_all};
pub use limits::Limits;
pub use module_cache::ModuleSource;
pub use pool::{Kept, WarmPool, burst_depth};
pub use runtime::{GUEST_SCRATCH, GUEST_SITE_PACKAGES, GUEST_SOURCES, Job, Sandbox, SandboxConfig, SourceFile, SourceText};
pub use scratch::read_guest_file;

/// How a run ended, from the host's point of view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The interpreter exited with this status.
    Exited(i32),
    /// Wall-clock limit reached (busy loop or blocking call).
    Timeout,
    /// Linear memory would have grown past the cap.
    MemoryLimit,
    /// stdout+stderr passed the output cap.
    OutputLimit,
    /// A write (or new file) was refused for the scratch directory's quota.
    DiskLimit,
    /// A trap or host failure (e.g. wasm stack exhausted).
    Crash(String),
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub outcome: Outcome,
    pub stdout: String,
    pub stderr: String,
    /// Output was cut at the cap.
    pub output_truncated: bool,
    /// From the job's hand-over to its end (the wall-clock limit's span).
    pub duration: Duration,
    /// The interpreter was started before the job was submitted (taken
    /// ready from a pool), not for it.
    pub prewarmed: bool,
    /// How long the job waited for its interpreter to finish the prelude:
    /// close to zero when a pool had one ready.
    pub prelude_wait: Duration,
    /// The files from `Job::collect` that exist as regular files.
    pub collected: Vec<(PathBuf, Vec<u8>)>,
}
