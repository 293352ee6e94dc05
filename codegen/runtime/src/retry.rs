//! AWS "standard" retries: which failures are retried, how long to wait, and the client-wide
//! retry quota that keeps a failing service from being hammered.

use std::sync::Mutex;
use std::time::Duration;

/// Why a failure may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryKind {
    /// The service throttled the request (HTTP 429, `ThrottlingException`, ...).
    Throttling,
    /// A transient failure: a server error (500, 502, 503, 504), a transient error code, or
    /// a connection that failed.
    Transient,
    /// An attempt timed out (costs the retry quota more than other failures).
    Timeout,
}

/// The standard throttling error codes.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// The standard transient error codes.
pub const TRANSIENT_CODES: &[&str] =
    &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// The HTTP statuses retried as transient.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Classifies an error code by the standard lists.
pub fn classify_code(code: &str) -> Option<RetryKind> {
    if THROTTLING_CODES.contains(&code) {
        Some(RetryKind::Throttling)
    } else if TRANSIENT_CODES.contains(&code) {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// Classifies an HTTP status: 429 is throttling, 500/502/503/504 transient, anything else
/// (404 and the other client errors above all) is not retried.
pub fn classify_status(status: u16) -> Option<RetryKind> {
    if status == 429 {
        Some(RetryKind::Throttling)
    } else if TRANSIENT_STATUSES.contains(&status) {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// Retry settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    quota: bool,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// The AWS standard mode: 3 attempts, backoff base 1 s capped at 20 s, retry quota on.
    pub fn standard() -> RetryConfig {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            quota: true,
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> RetryConfig {
        RetryConfig::standard().with_max_attempts(1)
    }

    /// Total attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> RetryConfig {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The backoff base `b` of `rand(0,1) * min(b * 2^i, max_backoff)`.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> RetryConfig {
        self.initial_backoff = initial_backoff;
        self
    }

    /// The backoff cap (20 s by default).
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> RetryConfig {
        self.max_backoff = max_backoff;
        self
    }

    /// Turns the client-wide retry quota (token bucket) on or off.
    pub fn with_retry_quota(mut self, enabled: bool) -> RetryConfig {
        self.quota = enabled;
        self
    }

    /// Total attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff base.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The backoff cap.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Whether the retry quota is on.
    pub fn retry_quota(&self) -> bool {
        self.quota
    }

    /// The wait before retry number `retry` (0 for the first retry), for a jitter factor in
    /// `[0, 1)`: `jitter * min(initial_backoff * 2^retry, max_backoff)`.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 2f64.powi(retry.min(62) as i32);
        let exponential = self.initial_backoff.as_secs_f64() * factor;
        let capped = exponential.min(self.max_backoff.as_secs_f64());
        Duration::from_secs_f64(jitter.clamp(0.0, 1.0) * capped)
    }

    /// [`backoff`](Self::backoff) with a random jitter (full jitter).
    pub fn backoff_with_jitter(&self, retry: u32) -> Duration {
        self.backoff(retry, fastrand::f64())
    }
}

/// The client-wide retry quota: a token bucket that retries draw from and successes refill.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
    capacity: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota::new(RetryQuota::CAPACITY)
    }
}

impl RetryQuota {
    /// The standard bucket size.
    pub const CAPACITY: u32 = 500;
    /// What a retry costs.
    pub const RETRY_COST: u32 = 5;
    /// What a retry after a timeout costs.
    pub const TIMEOUT_RETRY_COST: u32 = 10;
    /// What a success on the first attempt gives back.
    pub const NO_RETRY_INCREMENT: u32 = 1;

    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> RetryQuota {
        RetryQuota {
            available: Mutex::new(capacity),
            capacity,
        }
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the cost of a retry of this kind; `None` (and nothing taken) when the bucket
    /// holds too few tokens, in which case the failure is returned instead of retried.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Timeout => RetryQuota::TIMEOUT_RETRY_COST,
            RetryKind::Throttling | RetryKind::Transient => RetryQuota::RETRY_COST,
        };
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        if *available < cost {
            return None;
        }
        *available -= cost;
        Some(cost)
    }

    /// Records a success: refunds what the call's retries took (`acquired`), or, for a call
    /// that succeeded on its first attempt, adds [`NO_RETRY_INCREMENT`](Self::NO_RETRY_INCREMENT);
    /// never beyond the capacity.
    pub fn on_success(&self, acquired: u32) {
        let refund = if acquired == 0 {
            RetryQuota::NO_RETRY_INCREMENT
        } else {
            acquired
        };
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        *available = (*available + refund).min(self.capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_codes() {
        for code in THROTTLING_CODES {
            assert_eq!(classify_code(code), Some(RetryKind::Throttling), "{code}");
        }
        for code in ["RequestTimeout", "RequestTimeoutException", "InternalError"] {
            assert_eq!(classify_code(code), Some(RetryKind::Transient), "{code}");
        }
        for code in [
            "NotFoundException",
            "BadRequestException",
            "AccessDeniedException",
            "",
        ] {
            assert_eq!(classify_code(code), None, "{code}");
        }
    }

    #[test]
    fn classifies_statuses() {
        assert_eq!(classify_status(429), Some(RetryKind::Throttling));
        for s in [500, 502, 503, 504] {
            assert_eq!(classify_status(s), Some(RetryKind::Transient));
        }
        for s in [200, 400, 401, 403, 404, 409, 501, 505] {
            assert_eq!(classify_status(s), None, "{s}");
        }
    }

    #[test]
    fn backoff_is_bounded_and_exponential() {
        let config = RetryConfig::standard();
        assert_eq!(config.backoff(0, 1.0), Duration::from_secs(1));
        assert_eq!(config.backoff(1, 1.0), Duration::from_secs(2));
        assert_eq!(config.backoff(3, 1.0), Duration::from_secs(8));
        assert_eq!(config.backoff(5, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff(200, 1.0), Duration::from_secs(20));
        assert_eq!(config.backoff(3, 0.0), Duration::ZERO);
        assert_eq!(config.backoff(2, 0.5), Duration::from_secs(2));
        for retry in 0..40 {
            for _ in 0..50 {
                let d = config.backoff_with_jitter(retry);
                let cap = Duration::from_secs(1u64 << retry.min(5)).min(Duration::from_secs(20));
                assert!(d <= cap, "retry {retry}: {d:?} > {cap:?}");
            }
        }
        let tiny = RetryConfig::standard().with_initial_backoff(Duration::from_millis(1));
        assert!(tiny.backoff_with_jitter(2) <= Duration::from_millis(4));
    }

    #[test]
    fn config_clamps_attempts() {
        assert_eq!(
            RetryConfig::standard().with_max_attempts(0).max_attempts(),
            1
        );
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(RetryConfig::default().max_attempts(), 3);
    }

    #[test]
    fn quota_drains_and_refills() {
        let quota = RetryQuota::default();
        assert_eq!(quota.available(), 500);
        assert_eq!(quota.acquire(RetryKind::Throttling), Some(5));
        assert_eq!(quota.acquire(RetryKind::Timeout), Some(10));
        assert_eq!(quota.available(), 485);
        quota.on_success(15);
        assert_eq!(quota.available(), 500);
        quota.on_success(0);
        assert_eq!(quota.available(), 500, "never above capacity");

        // A failing service drains the bucket: 100 retries of 5, then none.
        let mut retries = 0;
        while quota.acquire(RetryKind::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, 100);
        assert_eq!(quota.available(), 0);
        assert_eq!(quota.acquire(RetryKind::Timeout), None);
        quota.on_success(0);
        assert_eq!(quota.available(), 1);
        assert_eq!(
            quota.acquire(RetryKind::Transient),
            None,
            "nothing taken when short"
        );
        assert_eq!(quota.available(), 1);
    }
}
