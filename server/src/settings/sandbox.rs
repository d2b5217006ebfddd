//! The `[sandbox]` settings section: limits for snippet runs.

use sandbox_wasi::Limits;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SandboxSettings {
    /// Wall-clock limit per run.
    pub timeout_ms: u64,
    /// Guest linear-memory cap.
    pub memory_mb: u64,
    /// stdout+stderr cap; the run stops and reports truncation past it.
    pub output_kb: u64,
    /// Quota on the guest's scratch directory.
    pub disk_mb: u64,
    /// Python recursion limit in the guest.
    pub recursion_limit: u32,
    /// Every file of a folder in an interpreter of its own (no batches:
    /// slower, nothing shared between files).
    pub isolate_files: bool,
}

impl Default for SandboxSettings {
    fn default() -> Self {
        let limits = Limits::default();
        Self {
            timeout_ms: limits.timeout_ms,
            memory_mb: limits.memory_bytes >> 20,
            output_kb: limits.output_bytes >> 10,
            disk_mb: limits.disk_bytes >> 20,
            recursion_limit: limits.recursion_limit,
            isolate_files: false,
        }
    }
}

impl SandboxSettings {
    pub fn limits(&self) -> Limits {
        Limits {
            timeout_ms: self.timeout_ms,
            memory_bytes: self.memory_mb << 20,
            output_bytes: self.output_kb << 10,
            disk_bytes: self.disk_mb << 20,
            recursion_limit: self.recursion_limit,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        let zero = [("timeout_ms", self.timeout_ms), ("memory_mb", self.memory_mb), ("output_kb", self.output_kb), ("disk_mb", self.disk_mb)]
            .into_iter()
            .find(|(_, value)| *value == 0);
        match zero {
            Some((name, _)) => Err(format!("sandbox.{name} must be greater than 0")),
            None if self.recursion_limit < 50 => Err("sandbox.recursion_limit must be at least 50".to_owned()),
            None => Ok(()),
        }
    }
}
