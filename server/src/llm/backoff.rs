//! How long to wait before retrying: exponential backoff with full jitter,
//! unless the provider said how long (`Retry-After`).

use std::time::{Duration, SystemTime};

/// The wait before retry number `attempt` (0 for the first retry): a random
/// duration in `[0, min(max, base * 2^attempt)]`. Full jitter spreads the
/// retries of many clients that failed together.
pub fn jittered(attempt: u32, base: Duration, max: Duration) -> Duration {
    let ceiling = base.saturating_mul(1u32 << attempt.min(16)).min(max);
    ceiling.mul_f64(fastrand::f64())
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let (base, max) = (Duration::from_millis(100), Duration::from_millis(1000));
        for attempt in 0..8 {
            let wait = jittered(attempt, base, max);
            assert!(wait <= (base * 2u32.pow(attempt)).min(max), "attempt {attempt}: {wait:?}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = httpdate::parse_http_date("Sun, 22 Nov 2026 03:00:00 GMT").unwrap();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Sun, 22 Nov 2026 03:00:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Sun, 22 Nov 2026 02:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
