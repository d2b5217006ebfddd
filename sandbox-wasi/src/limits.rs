//! The hard limits applied to one sandboxed run.

use serde::{Deserialize, Serialize};

/// Hard limits applied to one sandboxed run. Every field is a ceiling the
/// guest cannot raise; hitting one ends the run with a classified outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Wall-clock limit in milliseconds, counted from the moment the job is
    /// handed to the (pre-warmed) interpreter.
    pub timeout_ms: u64,
    /// Linear-memory cap in bytes.
    pub memory_bytes: u64,
    /// Captured stdout+stderr cap in bytes; the run stops once it is passed
    /// and the output kept so far is reported as truncated.
    pub output_bytes: u64,
    /// Quota on the bytes the guest may store in its scratch directory.
    pub disk_bytes: u64,
    /// Python's recursion limit inside the guest.
    pub recursion_limit: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { timeout_ms: 5_000, memory_bytes: 256 << 20, output_bytes: 1 << 20, disk_bytes: 16 << 20, recursion_limit: 1_000 }
    }
}
