//! Interpreters started ahead of their job, one kind per prelude.
//!
//! Starting CPython and importing what a job needs costs hundreds of
//! milliseconds under wasm (about 150 ms for `doctest` and `unittest` on an
//! idle core, more with pytest), far more than a snippet run. A pool pays
//! that before the keystroke: it holds interpreters that have run their
//! prelude and are blocked reading their job, and starts a new one in the
//! background as soon as one is taken (preludes take turns, one per core,
//! see `Sandbox`). Each job gets a fresh interpreter, so nothing one run
//! does (imports, monkeypatching, files) is seen by the next; only a batch
//! that asks for it runs its next job in the interpreter the previous one
//! ended in ([`Kept`]).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use anyhow::Result;

use crate::RunOutput;
use crate::runtime::{Job, Sandbox, Warm};

/// Most interpreters an editor keeps warm: a burst of runs (saves or
/// keystrokes in a row) takes one per run, about 15 ms apart, while a new
/// one needs its prelude (about 150 ms, a core each), so the pool holds a
/// burst's worth.
const BURST: usize = 8;
/// What a warm interpreter with the runner's prelude adds to the resident
/// set (measured: about 6 MiB of its own memory, plus code pages shared by all).
const WARM_BYTES: usize = 10 << 20;

/// How many interpreters an editor keeps warm: [`BURST`], but never more
/// than a 32nd of the memory available.
pub fn burst_depth() -> usize {
    let by_memory = available_memory().map_or(BURST, |bytes| bytes / 32 / WARM_BYTES);
    by_memory.clamp(1, BURST)
}

/// `MemAvailable` from `/proc/meminfo`; `None` where there is none.
fn available_memory() -> Option<usize> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|line| line.starts_with("MemAvailable:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// An interpreter that ran a job to its end within every limit and waits
/// for another: the next job of a batch (the next test file of a folder)
/// may run in it instead of in a fresh interpreter, sharing what earlier
/// jobs imported as the tests of one pytest process do. Each job still has
/// its own clock, output cap and an empty scratch directory; one that hits
/// a limit ends the interpreter, and one that leaves it with more than half
/// of its memory cap used does not hand it on. Dropping it stops the
/// interpreter.
pub struct Kept(Warm);

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
    /// of them started: [`burst_depth`] for an editor, one per core for a
    /// folder of tests run in parallel; 0 (a one-shot command) starts one only when a job
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
        let (warm, prewarmed) = self.take()?;
        let output = warm.run(job).await?;
        Ok(RunOutput { prewarmed, ..output })
    }

    /// Runs one job in `kept` (an interpreter of this pool that ran an
    /// earlier job), or else in a ready one, and gives the interpreter back
    /// when it may take another job (see [`Kept`]).
    pub async fn run_keeping(&self, job: Job, kept: Option<Kept>) -> Result<(RunOutput, Option<Kept>)> {
        let (warm, prewarmed) = match kept {
            Some(Kept(warm)) => (warm, true),
            None => self.take()?,
        };
        let (output, warm) = warm.run_then(job, true).await?;
        Ok((RunOutput { prewarmed, ..output }, warm.map(Kept)))
    }

    /// A ready interpreter (or one started now), and whether it was ready.
    fn take(&self) -> Result<(Warm, bool)> {
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
        Ok((warm, prewarmed))
    }

    fn spawn(&self) -> Option<Warm> {
        self.sandbox.spawn_warm(&self.prelude).inspect_err(|error| tracing::warn!("could not pre-warm an interpreter: {error:#}")).ok()
    }
}
