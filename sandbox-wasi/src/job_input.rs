//! The guest's stdin: how a pre-warmed interpreter receives its job.
//!
//! The interpreter runs its prelude, then reads stdin. The first read tells
//! the host the interpreter is warm (so the run's clock starts only then);
//! the read completes once the host hands over the job, and the stream ends
//! after it.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::io::AsyncRead;
use tokio::sync::Notify;
use wasmtime_wasi::cli::{IsTerminal, StdinStream};
use wasmtime_wasi::p2::{InputStream, Pollable, StreamError, StreamResult};

#[derive(Clone, Default)]
pub(crate) struct JobInput {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    /// The job not yet read; `None` until handed over.
    job: Mutex<Option<Bytes>>,
    handed_over: Notify,
    /// Signalled when the guest first asks for input.
    asked: Notify,
}

impl JobInput {
    /// Gives the guest its job; the stream ends after it.
    pub(crate) fn hand_over(&self, job: String) {
        *self.shared.job.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Bytes::from(job));
        self.shared.handed_over.notify_one();
    }

    /// Resolves once the guest has finished its prelude and waits for input.
    pub(crate) async fn guest_waiting(&self) {
        self.shared.asked.notified().await;
    }
}

impl IsTerminal for JobInput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdinStream for JobInput {
    fn p2_stream(&self) -> Box<dyn InputStream> {
        Box::new(self.clone())
    }

    /// Only the component-model (preview 3) stdin uses this; the preview 1
    /// interpreter reads through `p2_stream`, so an empty stream suffices.
    fn async_stream(&self) -> Box<dyn AsyncRead + Send + Sync> {
        Box::new(tokio::io::empty())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for JobInput {
    async fn ready(&mut self) {
        self.shared.asked.notify_one();
        loop {
            if self.shared.job.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).is_some() {
                return;
            }
            self.shared.handed_over.notified().await;
        }
    }
}

impl InputStream for JobInput {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        self.shared.asked.notify_one();
        let mut job = self.shared.job.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match job.as_mut() {
            None => Ok(Bytes::new()),
            Some(rest) if rest.is_empty() => Err(StreamError::Closed),
            Some(rest) => Ok(rest.split_to(size.min(rest.len()))),
        }
    }
}
