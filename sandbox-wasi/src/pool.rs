//! Interpreters started ahead of their job, one kind per prelude.
//!
//! Starting CPython and importing what a job needs costs hundreds of
//! milliseconds under wasm (about 450 ms for `doctest` and `unittest`, 2.5 s
//! with pytest), far more than a snippet run. A pool pays that before the
//! keystroke: it holds one interpreter that has run its prelude and is
//! blocked reading its job, and starts the next one in the background as soon
//! as that one is taken. Each job gets a fresh interpreter, so nothing one
//! run does (imports, monkeypatching, files) is seen by the next.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use anyhow::Result;

use crate::runtime::{Job, Sandbox, Warm};
use crate::RunOutput;

pub struct WarmPool {
    sandbox: Arc<Sandbox>,
    prelude: String,
    /// How many interpreters to keep started ahead of their jobs.
    keep_warm: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    ready: VecDeque<Warm>,
    /// Jobs still to come when the caller knows (a folder run): no
    /// interpreter is warmed beyond them. `None`: an open-ended stream of
    /// jobs (an editor).
    jobs_left: Option<usize>,
}

impl WarmPool {
    /// Interpreters that run `prelude` (imports and shims every job of this
    /// kind needs) before they wait for a job. The pool keeps `keep_warm`
    /// of them started: 1 for an editor, one per core for a folder of tests
    /// run in parallel; 0 (a one-shot command) starts one only when a job
    /// needs it. Nothing starts before [`WarmPool::warm_up`] or the first job.
    pub fn new(sandbox: Arc<Sandbox>, prelude: impl Into<String>, keep_warm: usize) -> Self {
        Self { sandbox, prelude: prelude.into(), keep_warm, state: Mutex::new(State::default()) }
    }

    /// Says how many jobs are still to come, so interpreters started ahead
    /// are not wasted at the end of a batch; then warms up for them.
    pub fn expect_jobs(&self, jobs: usize) {
        self.lock().jobs_left = Some(jobs);
        self.warm_up();
    }

    /// Starts interpreters until `keep_warm` (or as many as the jobs still
    /// expected) are ready or warming, so the next jobs do not wait for the
    /// prelude.
    pub fn warm_up(&self) {
        let mut state = self.lock();
        let wanted = state.jobs_left.map_or(self.keep_warm, |jobs| jobs.min(self.keep_warm));
        while state.ready.len() < wanted {
            match self.spawn() {
                Some(warm) => state.ready.push_back(warm),
                None => break,
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs one job in a ready interpreter (starting one if none is
    /// ready). Errors are host-side failures only; what the guest does is
    /// always an `Outcome`.
    pub async fn run(&self, job: Job) -> Result<RunOutput> {
        let taken = {
            let mut state = self.lock();
            state.jobs_left = state.jobs_left.map(|jobs| jobs.saturating_sub(1));
            state.ready.pop_front()
        };
        let prewarmed = taken.is_some();
        let warm = match taken {
            Some(warm) => warm,
            None => self.sandbox.spawn_warm(&self.prelude)?,
        };
        self.warm_up();
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
