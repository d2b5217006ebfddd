//! Interpreters started ahead of their job, one kind per prelude.
//!
//! Starting CPython and importing what a job needs costs hundreds of
//! milliseconds under wasm (about 450 ms for `doctest` and `unittest`, 2.5 s
//! with pytest), far more than a snippet run. A pool pays that before the
//! keystroke: it holds one interpreter that has run its prelude and is
//! blocked reading its job, and starts the next one in the background as soon
//! as that one is taken. Each job gets a fresh interpreter, so nothing one
//! run does (imports, monkeypatching, files) is seen by the next.

use std::sync::{Arc, Mutex};

use anyhow::Result;

use crate::runtime::{Job, Sandbox, Warm};
use crate::RunOutput;

pub struct WarmPool {
    sandbox: Arc<Sandbox>,
    prelude: String,
    keep_warm: bool,
    ready: Mutex<Option<Warm>>,
}

impl WarmPool {
    /// Interpreters that run `prelude` (imports and shims every job of this
    /// kind needs) before they wait for a job. With `keep_warm` (a server),
    /// the next interpreter is started as soon as one is taken; without (a
    /// one-shot command), only when a job needs one. Nothing starts before
    /// [`WarmPool::warm_up`] or the first job.
    pub fn new(sandbox: Arc<Sandbox>, prelude: impl Into<String>, keep_warm: bool) -> Self {
        Self { sandbox, prelude: prelude.into(), keep_warm, ready: Mutex::new(None) }
    }

    /// Starts an interpreter now unless one is ready, so the first job does
    /// not wait for the prelude.
    pub fn warm_up(&self) {
        let mut ready = self.ready.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if ready.is_none() {
            *ready = self.spawn();
        }
    }

    /// Runs one job in the ready interpreter (starting one if none is
    /// ready). Errors are host-side failures only; what the guest does is
    /// always an `Outcome`.
    pub async fn run(&self, job: Job) -> Result<RunOutput> {
        let taken = self.ready.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        let prewarmed = taken.is_some();
        let warm = match taken {
            Some(warm) => warm,
            None => self.sandbox.spawn_warm(&self.prelude)?,
        };
        if self.keep_warm {
            self.warm_up();
        }
        let output = warm.run(job).await?;
        Ok(RunOutput { prewarmed, ..output })
    }

    fn spawn(&self) -> Option<Warm> {
        self.sandbox
            .spawn_warm(&self.prelude)
            .inspect_err(|error| tracing::warn!("could not pre-warm an interpreter: {error:#}"))
            .ok()
    }
}
