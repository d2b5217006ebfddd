//! The guest's stdin: how a pre-warmed interpreter receives its job.
//!
//! The interpreter runs its prelude, then reads stdin. The first read tells
//! the host the interpreter is warm (so the run's clock starts only then);
//! the read completes once the host hands over the job, and the stream ends
//! after it.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::io::AsyncRead;
use tokio::sync::{Notify, watch};
use wasmtime_wasi::cli::{IsTerminal, StdinStream};
use wasmtime_wasi::p2::{InputStream, Pollable, StreamError, StreamResult};

#[derive(Clone, Default)]
pub(crate) struct JobInput {
    shared: Arc<Shared>,
}

struct Shared {
    /// The job not yet read; `None` until handed over.
    job: Mutex<Option<Bytes>>,
    handed_over: Notify,
    /// Set once the guest has asked for input; a watch so that both the
    /// task running the guest (to give up its warm-up slot) and the job's
    /// runner can wait for it.
    asked: watch::Sender<bool>,
}

impl Default for Shared {
    fn default() -> Self {
        Self { job: Mutex::default(), handed_over: Notify::new(), asked: watch::Sender::new(false) }
    }
}

impl JobInput {
    /// Gives the guest its job; the stream ends after it.
    pub(crate) fn hand_over(&self, job: String) {
        *self.shared.job.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Bytes::from(job));
        self.shared.handed_over.notify_one();
    }

    /// Resolves once the guest has finished its prelude and waits for input.
    pub(crate) async fn guest_waiting(&self) {
        // The sender lives as long as `self`, so this only ends when asked.
        let _ = self.shared.asked.subscribe().wait_for(|asked| *asked).await;
    }

    fn mark_asked(&self) {
        self.shared.asked.send_if_modified(|asked| !std::mem::replace(asked, true));
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
        self.mark_asked();
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
        self.mark_asked();
        let mut job = self.shared.job.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match job.as_mut() {
            None => Ok(Bytes::new()),
            Some(rest) if rest.is_empty() => Err(StreamError::Closed),
            Some(rest) => Ok(rest.split_to(size.min(rest.len()))),
        }
    }
}
