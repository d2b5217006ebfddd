//! Captured guest output with a hard cap.
//!
//! Past the cap, writes still *succeed* for the guest (so an output flood is
//! never turned into a confusing `OSError` inside the test) but the bytes are
//! dropped and the run is flagged; the epoch callback then stops the guest.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};

/// A shared, capped byte buffer that both guest streams (stdout, stderr) may
/// write into separately.
#[derive(Clone)]
pub(crate) struct CappedOutput {
    inner: Arc<Shared>,
}

struct Shared {
    bytes: Mutex<Vec<u8>>,
    cap: usize,
    /// Set on the first byte dropped; shared with the run's control block.
    overflowed: Arc<AtomicBool>,
}

impl CappedOutput {
    pub(crate) fn new(cap: u64, overflowed: Arc<AtomicBool>) -> Self {
        let cap = usize::try_from(cap).unwrap_or(usize::MAX);
        Self { inner: Arc::new(Shared { bytes: Mutex::new(Vec::new()), cap, overflowed }) }
    }

    /// The bytes kept so far, decoded lossily (the guest may print
    /// anything); the next job's output starts from nothing, with the
    /// whole cap.
    pub(crate) fn take(&self) -> String {
        let bytes = std::mem::take(&mut *self.inner.bytes.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Shared {
    fn append(&self, buf: &[u8]) {
        let mut bytes = self.bytes.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let room = self.cap.saturating_sub(bytes.len());
        if buf.len() > room {
            self.overflowed.store(true, Ordering::Relaxed);
        }
        bytes.extend_from_slice(&buf[..buf.len().min(room)]);
    }
}

impl IsTerminal for CappedOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CappedOutput {
    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

impl AsyncWrite for CappedOutput {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.inner.append(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_bytes_up_to_the_cap_and_flags_the_rest() {
        let flag = Arc::new(AtomicBool::new(false));
        let out = CappedOutput::new(5, flag.clone());
        out.inner.append(b"abc");
        assert!(!flag.load(Ordering::Relaxed));
        out.inner.append(b"defgh");
        assert_eq!(out.take(), "abcde");
        assert!(flag.load(Ordering::Relaxed));
        out.inner.append(b"ij");
        assert_eq!(out.take(), "ij");
    }
}
