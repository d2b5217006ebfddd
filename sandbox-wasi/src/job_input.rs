//! The guest's stdin: how a pre-warmed interpreter receives its jobs.
//!
//! The interpreter runs its prelude, then reads stdin for a job: a line with
//! the job's length in bytes, then the job. A read that finds nothing left
//! to read tells the host the interpreter waits (after its prelude, or after
//! the jobs handed over so far), so a run's clock starts only once it is
//! warm and a job that ends by asking for the next one is known to be done.
//! The read completes once the host hands over another job or ends the
//! stream (the interpreter then exits).

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

#[derive(Default)]
struct Stream {
    /// Bytes handed over and not yet read.
    unread: Bytes,
    /// Jobs handed over so far.
    jobs: usize,
    /// No job will follow the unread bytes.
    ended: bool,
}

struct Shared {
    stream: Mutex<Stream>,
    handed_over: Notify,
    /// How many jobs the guest had been handed when it last found nothing
    /// to read; `None` until it first asks. A watch so that both the task
    /// running the guest (to give up its warm-up slot) and the job's runner
    /// can wait for it.
    waiting_after: watch::Sender<Option<usize>>,
}

impl Default for Shared {
    fn default() -> Self {
        Self { stream: Mutex::default(), handed_over: Notify::new(), waiting_after: watch::Sender::new(None) }
    }
}

impl JobInput {
    /// Gives the guest its next job; with `last`, the stream ends after it.
    /// Returns how many jobs the guest has been handed, this one included.
    pub(crate) fn hand_over(&self, job: &str, last: bool) -> usize {
        let mut stream = self.lock();
        let mut framed = Vec::with_capacity(job.len() + 12);
        framed.extend_from_slice(format!("{}\n", job.len()).as_bytes());
        framed.extend_from_slice(job.as_bytes());
        let mut unread = Vec::from(std::mem::take(&mut stream.unread));
        unread.extend_from_slice(&framed);
        stream.unread = Bytes::from(unread);
        stream.jobs += 1;
        stream.ended = last;
        let jobs = stream.jobs;
        drop(stream);
        self.shared.handed_over.notify_one();
        jobs
    }

    /// Resolves once the guest waits for a job after having been handed
    /// `jobs` of them: 0 for the end of its prelude.
    pub(crate) async fn guest_waiting_after(&self, jobs: usize) {
        // The sender lives as long as `self`, so this only ends when asked.
        let _ = self.shared.waiting_after.subscribe().wait_for(|after| after.is_some_and(|after| after >= jobs)).await;
    }

    /// Resolves once the guest has finished its prelude and waits for input.
    pub(crate) async fn guest_waiting(&self) {
        self.guest_waiting_after(0).await;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Stream> {
        self.shared.stream.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Called by a read that found nothing to read.
    fn mark_waiting(&self, jobs: usize) {
        self.shared.waiting_after.send_if_modified(|after| {
            let changed = *after != Some(jobs);
            *after = Some(jobs);
            changed
        });
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
        loop {
            let notified = self.shared.handed_over.notified();
            {
                let stream = self.lock();
                if !stream.unread.is_empty() || stream.ended {
                    return;
                }
                self.mark_waiting(stream.jobs);
            }
            notified.await;
        }
    }
}

impl InputStream for JobInput {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        let mut stream = self.lock();
        if stream.unread.is_empty() {
            if stream.ended {
                return Err(StreamError::Closed);
            }
            self.mark_waiting(stream.jobs);
            return Ok(Bytes::new());
        }
        let size = size.min(stream.unread.len());
        Ok(stream.unread.split_to(size))
    }
}
