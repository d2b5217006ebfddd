//! A job's wall clock, kept per part.
//!
//! A job may do the work of several parts (the files of a batch, each with
//! its own time limit). The guest says which part it is working for with
//! the imported `lap(part)`; the time until the next lap is charged to that
//! part, and the deadline is always the current part's: the limit less what
//! it has used so far. A job that never laps is one part (0), with the
//! whole limit, as before parts existed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub(crate) struct Clock {
    epoch: Instant,
    limit: Duration,
    /// Milliseconds since `epoch`; read on every epoch tick.
    deadline_ms: AtomicU64,
    laps: Mutex<Laps>,
}

struct Laps {
    part: u32,
    since: Instant,
    spent: HashMap<u32, Duration>,
}

impl Clock {
    /// A clock that starts now with `limit` for each part.
    pub(crate) fn start(limit: Duration) -> Self {
        let epoch = Instant::now();
        let clock = Self { epoch, limit, deadline_ms: AtomicU64::new(u64::MAX), laps: Mutex::new(Laps { part: 0, since: epoch, spent: HashMap::new() }) };
        clock.set_deadline(epoch + limit);
        clock
    }

    /// From now on the job works for `part`.
    pub(crate) fn lap(&self, part: u32) {
        let now = Instant::now();
        let mut laps = self.laps.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let elapsed = now - laps.since;
        let current = laps.part;
        *laps.spent.entry(current).or_default() += elapsed;
        laps.part = part;
        laps.since = now;
        let used = laps.spent.get(&part).copied().unwrap_or_default();
        self.set_deadline(now + self.limit.saturating_sub(used));
    }

    /// The part the job is working for.
    pub(crate) fn part(&self) -> u32 {
        self.laps.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).part
    }

    /// Whether the current part has used up its limit.
    pub(crate) fn expired(&self) -> bool {
        self.remaining().is_zero()
    }

    /// What the current part has left.
    pub(crate) fn remaining(&self) -> Duration {
        let deadline = Duration::from_millis(self.deadline_ms.load(Ordering::SeqCst));
        deadline.saturating_sub(self.epoch.elapsed())
    }

    fn set_deadline(&self, deadline: Instant) {
        let millis = u64::try_from((deadline - self.epoch).as_millis()).unwrap_or(u64::MAX);
        self.deadline_ms.store(millis, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_has_its_own_limit_across_laps() {
        let clock = Clock::start(Duration::from_secs(60));
        assert_eq!(clock.part(), 0);
        assert!(clock.remaining() > Duration::from_secs(59));
        clock.lap(1);
        assert_eq!(clock.part(), 1);
        assert!(clock.remaining() > Duration::from_secs(59));
        // Back to part 0: only what part 0 used is gone.
        clock.lap(0);
        assert!(clock.remaining() > Duration::from_secs(59) && clock.remaining() <= Duration::from_secs(60));
        assert!(!clock.expired());
    }

    #[test]
    fn a_part_that_used_its_limit_is_expired_when_it_comes_back() {
        let clock = Clock::start(Duration::ZERO);
        assert!(clock.expired());
        clock.lap(3);
        assert!(clock.expired());
    }
}
