//! Where indexing's time goes. Each phase's end is marked: it records the
//! heap for `pyloom graph --memory` ([`crate::memory::phase`]) and, with
//! `PYLOOM_LOG=pyloom::phase=debug`, logs the phase's wall time and the
//! CPU time the process spent in it. CPU over wall is how many cores the
//! phase kept busy: on two cores, a phase near 1.0 runs on one thread.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When the current phase began: wall clock and the process's CPU time.
static BEGAN: Mutex<Option<(Instant, Duration)>> = Mutex::new(None);

/// Whether phases are timed (the log would show them).
fn timed() -> bool {
    tracing::enabled!(tracing::Level::DEBUG)
}

/// Starts the first phase of an index.
pub fn start() {
    if timed() {
        *BEGAN.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), cpu_time()));
    }
}

/// Ends the phase `name` and starts the next one.
pub fn end(name: &'static str) {
    crate::memory::phase(name);
    if !timed() {
        return;
    }
    let now = (Instant::now(), cpu_time());
    let began = BEGAN.lock().unwrap_or_else(|e| e.into_inner()).replace(now);
    if let Some((wall, cpu)) = began {
        log(name, now.0 - wall, now.1.saturating_sub(cpu));
    }
}

/// Wall and CPU time summed over the turns of one part of a phase whose
/// parts alternate (a link's parallel resolution of a batch, and its
/// putting the batch's links in place on one thread).
#[derive(Default)]
pub struct Tally {
    on: bool,
    wall: Duration,
    cpu: Duration,
}

impl Tally {
    pub fn new() -> Self {
        Self { on: timed(), ..Self::default() }
    }

    /// Runs `f`, its time added to the tally's.
    pub fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        if !self.on {
            return f();
        }
        let (wall, cpu) = (Instant::now(), cpu_time());
        let out = f();
        self.wall += wall.elapsed();
        self.cpu += cpu_time().saturating_sub(cpu);
        out
    }

    /// Logs the tally as the part `name` of a phase.
    pub fn log(&self, name: &str) {
        if self.on {
            log(name, self.wall, self.cpu);
        }
    }
}

fn log(name: &str, wall: Duration, cpu: Duration) {
    let cores = cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9);
    tracing::debug!("{name}: wall {:.1} ms, cpu {:.1} ms, {cores:.2} cores", wall.as_secs_f64() * 1e3, cpu.as_secs_f64() * 1e3);
}

/// The CPU time (user and system) of every thread of the process so far.
#[cfg(unix)]
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return Duration::ZERO;
    }
    // SAFETY: filled by the successful call above.
    let usage = unsafe { usage.assume_init() };
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    time(usage.ru_utime) + time(usage.ru_stime)
}

#[cfg(not(unix))]
fn cpu_time() -> Duration {
    Duration::ZERO
}
