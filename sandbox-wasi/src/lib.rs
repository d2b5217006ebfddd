//! Runs Python snippets in a WASI CPython under wasmtime with hard limits.
//!
//! The runtime lands with the snippet-test work; until then this crate only
//! defines the vocabulary the server uses to talk about sandbox limits, so
//! that settings can be validated from day one.

/// Hard limits applied to one sandboxed run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock limit in milliseconds.
    pub timeout_ms: u64,
    /// Linear-memory cap in bytes.
    pub memory_bytes: u64,
    /// Captured stdout+stderr cap in bytes; output past it is dropped and reported.
    pub output_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self { timeout_ms: 5_000, memory_bytes: 256 << 20, output_bytes: 1 << 20 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_limits_are_bounded() {
        let limits = Limits::default();
        assert_eq!(limits.timeout_ms, 5_000);
        assert_eq!(limits.memory_bytes, 256 * 1024 * 1024);
        assert_eq!(limits.output_bytes, 1024 * 1024);
    }
}
