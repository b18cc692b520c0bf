//! When a failed call is sent again, and after how long.
//!
//! The API documents no idempotency key, so a write that may have reached the
//! server is never sent twice: `POST` (create, bulk write, invite) is retried
//! only when the connection was never established. `GET`, `PATCH` and `DELETE`
//! give the same result when repeated, so they are retried on connection errors,
//! timeouts, and the statuses that mean "try again later".

use std::time::{Duration, SystemTime};

/// How failed calls are retried.
///
/// ```
/// use std::time::Duration;
/// use pigello::client::RetryPolicy;
///
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.max_retries, 2);
/// assert_eq!(policy.backoff(0, 0.0), Duration::from_millis(500));
/// assert_eq!(policy.backoff(3, 0.0), Duration::from_secs(4));
/// // A server that asks for more than a minute is not waited for.
/// assert_eq!(policy.delay(0, Some(Duration::from_secs(120)), 0.0), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (2: at most three attempts).
    pub max_retries: u32,
    /// The first backoff delay; each retry doubles it.
    pub initial_delay: Duration,
    /// The cap of the backoff delay.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries, and
    /// the error carries it so the caller can decide.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// The statuses that mean "the server did not handle it; try again later".
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

/// Whether a method gives the same result when repeated.
pub fn idempotent(method: &reqwest::Method) -> bool {
    method != reqwest::Method::POST
}

impl RetryPolicy {
    /// The exponential backoff before retry `n` (0-based), with up to 25 %
    /// taken off at random (`jitter` in `[0, 1)`) so clients spread out.
    pub fn backoff(&self, n: u32, jitter: f64) -> Duration {
        let base = self
            .initial_delay
            .saturating_mul(1u32.checked_shl(n.min(20)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        base.mul_f64(1.0 - 0.25 * jitter.clamp(0.0, 1.0))
    }

    /// The wait before retry `n`: the server's `Retry-After` when it sent one
    /// (`None` if that is longer than [`RetryPolicy::max_retry_after`]), else the
    /// backoff.
    pub fn delay(&self, n: u32, retry_after: Option<Duration>, jitter: f64) -> Option<Duration> {
        match retry_after {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(n, jitter)),
        }
    }
}

/// Reads a `Retry-After` value: whole or fractional seconds, or an HTTP date.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use pigello::client::parse_retry_after;
///
/// assert_eq!(parse_retry_after("2", SystemTime::now()), Some(Duration::from_secs(2)));
/// let past = "Wed, 21 Oct 2015 07:28:00 GMT";
/// assert_eq!(parse_retry_after(past, SystemTime::now()), Some(Duration::ZERO));
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(at.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A number in `[0, 1)` for jitter; quality does not matter, spread does.
pub fn jitter() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ u64::from(nanos);
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_the_cap() {
        let p = RetryPolicy::default();
        let delays: Vec<u128> = (0..6).map(|n| p.backoff(n, 0.0).as_millis()).collect();
        assert_eq!(delays, vec![500, 1000, 2000, 4000, 8000, 8000]);
        assert_eq!(p.backoff(0, 0.999).as_millis(), 375);
        assert_eq!(p.backoff(40, 0.0), p.max_delay);
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(" 1.5 ", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:13:30 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn a_retry_after_over_the_cap_ends_the_retries() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(2)), 0.5),
            Some(Duration::from_secs(2))
        );
        assert_eq!(p.delay(0, Some(Duration::from_secs(61)), 0.5), None);
        assert_eq!(p.delay(1, None, 0.0), Some(Duration::from_secs(1)));
    }

    #[test]
    fn which_calls_and_statuses_are_retried() {
        for s in [408, 429, 502, 503, 504] {
            assert!(retryable_status(s));
        }
        for s in [400, 401, 403, 404, 409, 500, 501] {
            assert!(!retryable_status(s));
        }
        assert!(!idempotent(&reqwest::Method::POST));
        for m in [
            reqwest::Method::GET,
            reqwest::Method::PATCH,
            reqwest::Method::DELETE,
        ] {
            assert!(idempotent(&m));
        }
        let spread: Vec<f64> = (0..100).map(|_| jitter()).collect();
        assert!(spread.iter().all(|j| (0.0..1.0).contains(j)));
        assert!(spread.windows(2).any(|w| w[0] != w[1]));
    }
}
