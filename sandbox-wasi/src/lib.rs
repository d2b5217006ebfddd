//! Runs Python snippets in a WASI CPython under wasmtime with hard limits.
//!
//! The interpreter is a WASI preview 2 component: CPython 3.14 with the
//! caller's runner, doctest, unittest and pytest imported at build time
//! (componentize-py), instantiated fresh for every job. The guest sees only
//! what is mounted for it: a read-write scratch directory (`/scratch`,
//! under a disk quota), a read-only copy of the workspace sources it needs
//! (`/src`), the standard library (`/python`) and pytest
//! (`/site-packages`), read-only. No environment variables, no network
//! (TCP, UDP and name lookups are refused), and every run is bounded in
//! wall-clock time, memory, output and disk.
//! Whatever happens inside, the host gets an [`Outcome`].

mod boot;
mod clock;
mod component_build;
mod install;
mod limits;
mod module_cache;
mod output;
mod quota;
mod quota_calls;
mod runtime;
mod scratch;
mod stdlib_archive;

use std::path::PathBuf;
use std::time::Duration;

pub use install::{CACHE_DIR_ENV, Interpreter, Layout, cache_root, pip_download, sha256_file, unpack_all};
pub use limits::Limits;
pub use module_cache::ModuleSource;
pub use runtime::{GUEST_SCRATCH, GUEST_SITE_PACKAGES, GUEST_SOURCES, GUEST_STDLIB, Job, Sandbox, SandboxConfig, SourceFile, SourceText};
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
    /// From the instance's creation to the job's end (the wall-clock limit's span).
    pub duration: Duration,
    /// The part the job was working for when it ended: the last `lap(part)`
    /// the guest called (0 if none); with a `Timeout`, the part whose
    /// time ran out.
    pub part: u32,
    /// The files from `Job::collect` that exist as regular files.
    pub collected: Vec<(PathBuf, Vec<u8>)>,
}
