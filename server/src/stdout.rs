//! The CLI's reports on standard output.
//!
//! Rust ignores SIGPIPE, so a reader that stops early (`pyloom check | head`)
//! turns each later write into a `BrokenPipe` error, and `print!` panics on
//! it. A report nobody reads any more is not an error: the rest is dropped
//! and the command ends as it would have (its exit code and its summary on
//! standard error unchanged).

use std::io::{ErrorKind, Write};

/// Writes `text` to standard output; a closed reader drops it silently,
/// another failure is said once on standard error.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() != ErrorKind::BrokenPipe {
            eprintln!("pyloom: cannot write to standard output: {e}");
        }
    }
}
