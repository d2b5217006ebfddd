//! A circuit breaker per endpoint: after repeated failures, calls fail fast
//! (and go to the secondary) instead of waiting on a provider that is down;
//! after a pause one probe call is let through to see if it recovered.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// One probe is in flight; everyone else is still turned away.
    HalfOpen,
}

#[derive(Debug)]
pub struct Breaker {
    state: BreakerState,
    threshold: u32,
    open_for: Duration,
}

impl Breaker {
    pub fn new(threshold: u32, open_for: Duration) -> Self {
        Self { state: BreakerState::Closed { failures: 0 }, threshold: threshold.max(1), open_for }
    }

    pub fn state(&self) -> BreakerState {
        self.state
    }

    /// Whether a call may go out now; `Err` holds how long until a probe may.
    pub fn admit(&mut self, now: Instant) -> Result<(), Duration> {
        match self.state {
            BreakerState::Closed { .. } => Ok(()),
            BreakerState::Open { until } if now >= until => {
                self.state = BreakerState::HalfOpen;
                Ok(())
            }
            BreakerState::Open { until } => Err(until - now),
            BreakerState::HalfOpen => Err(Duration::ZERO),
        }
    }

    pub fn record_success(&mut self) {
        self.state = BreakerState::Closed { failures: 0 };
    }

    pub fn record_failure(&mut self, now: Instant) {
        self.state = match self.state {
            BreakerState::Closed { failures } if failures + 1 < self.threshold => BreakerState::Closed { failures: failures + 1 },
            _ => BreakerState::Open { until: now + self.open_for },
        };
    }

    /// A call that was admitted but ended without a verdict (cancelled):
    /// a half-open breaker must let the next probe through.
    pub fn record_abandoned(&mut self, now: Instant) {
        if self.state == BreakerState::HalfOpen {
            self.state = BreakerState::Open { until: now };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_then_half_opens_for_one_probe() {
        let t0 = Instant::now();
        let mut b = Breaker::new(2, Duration::from_secs(10));
        b.record_failure(t0);
        assert_eq!(b.admit(t0), Ok(()));
        b.record_failure(t0);
        assert_eq!(b.admit(t0 + Duration::from_secs(4)), Err(Duration::from_secs(6)));
        // The pause is over: one probe goes out, a second caller waits.
        assert_eq!(b.admit(t0 + Duration::from_secs(10)), Ok(()));
        assert_eq!(b.state(), BreakerState::HalfOpen);
        assert!(b.admit(t0 + Duration::from_secs(10)).is_err());
        // The probe fails: open again for a full pause.
        b.record_failure(t0 + Duration::from_secs(11));
        assert_eq!(b.admit(t0 + Duration::from_secs(12)), Err(Duration::from_secs(9)));
        // The next probe succeeds: closed.
        assert_eq!(b.admit(t0 + Duration::from_secs(21)), Ok(()));
        b.record_success();
        assert_eq!(b.state(), BreakerState::Closed { failures: 0 });
    }

    #[test]
    fn an_abandoned_probe_lets_the_next_one_through() {
        let t0 = Instant::now();
        let mut b = Breaker::new(1, Duration::ZERO);
        b.record_failure(t0);
        assert_eq!(b.admit(t0), Ok(()));
        b.record_abandoned(t0);
        assert_eq!(b.admit(t0), Ok(()));
    }
}
