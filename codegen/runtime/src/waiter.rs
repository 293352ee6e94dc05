//! Waiters: call an operation until the model's acceptors say the resource reached the
//! state waited for, failed to, or the maximum wait ran out.
//!
//! Generated code supplies the acceptors (compiled from `smithy.waiters#waitable` into a
//! classifying function); the attempt/delay loop lives here. Delays follow the Smithy
//! waiters spec: exponential backoff from `min_delay` with full jitter between `min_delay`
//! and the computed delay, `max_delay` from the attempt ceiling on, and always leaving time
//! for one more attempt before the maximum wait.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::error::{Error, ProvideErrorMetadata};

/// What an acceptor makes of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The waiter is done: the resource reached the state waited for.
    Success,
    /// The waiter is done: the resource can no longer reach that state.
    Failure,
    /// Try again after a delay.
    Retry,
}

/// A waiter's timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterConfig {
    /// The shortest delay between attempts (the model's `minDelay`, 2 s by default).
    pub min_delay: Duration,
    /// The longest delay between attempts (the model's `maxDelay`, 120 s by default).
    pub max_delay: Duration,
    /// How long to wait in all.
    pub max_wait: Duration,
}

/// The response that ended a waiter successfully, and how many attempts it took. A
/// success can be an error response (an `errorType` acceptor: "wait until deleted").
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, Error<E>>,
    attempts: u32,
}

impl<O, E> FinalPoll<O, E> {
    /// The response the waiter stopped on.
    pub fn as_result(&self) -> Result<&O, &Error<E>> {
        self.result.as_ref()
    }

    /// The response the waiter stopped on, by value.
    pub fn into_result(self) -> Result<O, Error<E>> {
        self.result
    }

    /// How many times the operation was called.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// Why a waiter did not succeed. Every variant that follows an attempt carries its response.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The timing is unusable: a zero delay, `min_delay > max_delay`, or a maximum wait not
    /// longer than `min_delay`. Nothing was sent.
    InvalidConfig(String),
    /// The maximum wait ran out before an acceptor said success or failure.
    ExceededMaxWait {
        /// The maximum wait.
        max_wait: Duration,
        /// How long the waiter waited.
        elapsed: Duration,
        /// How many times the operation was called.
        attempts: u32,
        /// The last response.
        last: Result<O, Error<E>>,
    },
    /// A `failure` acceptor matched this response.
    FailureState {
        /// How many times the operation was called.
        attempts: u32,
        /// The response the acceptor matched.
        last: Result<O, Error<E>>,
    },
    /// The operation failed with an error that no acceptor matched (or, with no attempt
    /// made, the input could not be built).
    OperationFailed {
        /// How many times the operation was called.
        attempts: u32,
        /// The error.
        error: Error<E>,
    },
}

impl<O, E> WaiterError<O, E> {
    /// The last response, when the waiter made an attempt.
    pub fn last_response(&self) -> Option<Result<&O, &Error<E>>> {
        match self {
            WaiterError::InvalidConfig(_) => None,
            WaiterError::ExceededMaxWait { last, .. } | WaiterError::FailureState { last, .. } => {
                Some(last.as_ref())
            }
            WaiterError::OperationFailed { attempts: 0, .. } => None,
            WaiterError::OperationFailed { error, .. } => Some(Err(error)),
        }
    }

    /// How many times the operation was called.
    pub fn attempts(&self) -> u32 {
        match self {
            WaiterError::InvalidConfig(_) => 0,
            WaiterError::ExceededMaxWait { attempts, .. }
            | WaiterError::FailureState { attempts, .. }
            | WaiterError::OperationFailed { attempts, .. } => *attempts,
        }
    }

    /// Whether the maximum wait ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaiterError::ExceededMaxWait { .. })
    }
}

impl<O, E: ProvideErrorMetadata> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::InvalidConfig(why) => write!(f, "invalid waiter configuration: {why}"),
            WaiterError::ExceededMaxWait {
                max_wait, attempts, ..
            } => write!(
                f,
                "the waiter gave up after {attempts} attempts: the maximum wait of {max_wait:?} ran out"
            ),
            WaiterError::FailureState { attempts, .. } => write!(
                f,
                "the waiter reached a failure state after {attempts} attempts"
            ),
            WaiterError::OperationFailed { attempts, error } => write!(
                f,
                "the waiter stopped after {attempts} attempts on an error no acceptor matched: {error}"
            ),
        }
    }
}

impl<O, E> std::error::Error for WaiterError<O, E>
where
    O: fmt::Debug,
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::OperationFailed { error, .. } => Some(error),
            WaiterError::ExceededMaxWait { last: Err(e), .. }
            | WaiterError::FailureState { last: Err(e), .. } => Some(e),
            _ => None,
        }
    }
}

/// Whether an error response has this error code: `errorType` acceptors name a shape, by
/// name or absolute id.
pub fn error_type_matches<E: ProvideErrorMetadata>(error: &Error<E>, error_type: &str) -> bool {
    let name = error_type.rsplit('#').next().unwrap_or(error_type);
    error
        .code()
        .is_some_and(|code| code == name || code == error_type)
}

/// `allStringEquals`: the list is not empty and every item equals `expected`.
pub fn all_string_equals<'a>(items: impl IntoIterator<Item = &'a str>, expected: &str) -> bool {
    let mut any = false;
    for item in items {
        if item != expected {
            return false;
        }
        any = true;
    }
    any
}

/// The delay before attempt `attempt + 1`, per the Smithy waiters spec. `remaining` (the
/// time left of the maximum wait) must be longer than `min_delay`; `jitter(lo, hi)` picks a
/// duration in `[lo, hi]`.
pub fn delay(
    attempt: u32,
    min_delay: Duration,
    max_delay: Duration,
    remaining: Duration,
    jitter: impl FnOnce(Duration, Duration) -> Duration,
) -> Duration {
    let ratio = max_delay.as_secs_f64() / min_delay.as_secs_f64();
    let ceiling = (ratio.log2() + 1.0).floor() as u32;
    let upper = if attempt > ceiling || attempt >= 32 {
        max_delay
    } else {
        min_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1))
            .min(max_delay)
    };
    let mut delay = jitter(min_delay, upper).clamp(min_delay, upper);
    if remaining.saturating_sub(delay) <= min_delay {
        delay = remaining.saturating_sub(min_delay);
    }
    delay
}

fn random_between(lo: Duration, hi: Duration) -> Duration {
    lo + (hi.saturating_sub(lo)).mul_f64(fastrand::f64())
}

/// Calls `attempt` until `classify` says success or failure, an error matches no acceptor,
/// or `config.max_wait` runs out. A response no acceptor matches is retried when it is a
/// success and ends the waiter when it is an error, as the spec says.
pub async fn wait<O, E, F, Fut>(
    config: WaiterConfig,
    mut attempt: F,
    classify: impl Fn(&Result<O, Error<E>>) -> Option<AcceptorState>,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, Error<E>>>,
{
    let WaiterConfig {
        min_delay,
        max_delay,
        max_wait,
    } = config;
    if min_delay.is_zero() || max_delay.is_zero() {
        return Err(WaiterError::InvalidConfig(
            "the minimum and maximum delays must be positive".into(),
        ));
    }
    if min_delay > max_delay {
        return Err(WaiterError::InvalidConfig(format!(
            "the minimum delay ({min_delay:?}) is longer than the maximum delay ({max_delay:?})"
        )));
    }
    if max_wait <= min_delay {
        return Err(WaiterError::InvalidConfig(format!(
            "the maximum wait ({max_wait:?}) must be longer than the minimum delay ({min_delay:?})"
        )));
    }
    let start = tokio::time::Instant::now();
    let mut attempts = 0u32;
    loop {
        attempts = attempts.saturating_add(1);
        let result = attempt().await;
        match classify(&result) {
            Some(AcceptorState::Success) => return Ok(FinalPoll { result, attempts }),
            Some(AcceptorState::Failure) => {
                return Err(WaiterError::FailureState {
                    attempts,
                    last: result,
                })
            }
            Some(AcceptorState::Retry) => {}
            None => {
                if let Err(error) = result {
                    return Err(WaiterError::OperationFailed { attempts, error });
                }
            }
        }
        let elapsed = start.elapsed();
        let remaining = max_wait.saturating_sub(elapsed);
        if remaining <= min_delay {
            return Err(WaiterError::ExceededMaxWait {
                max_wait,
                elapsed,
                attempts,
                last: result,
            });
        }
        let pause = delay(attempts, min_delay, max_delay, remaining, random_between);
        tracing::debug!(attempt = attempts, delay = ?pause, "waiter: retrying");
        tokio::time::sleep(pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use crate::error::{ServiceError, Unhandled};
    use crate::http::HttpResponse;

    const S: Duration = Duration::from_secs(1);

    fn highest(_: Duration, hi: Duration) -> Duration {
        hi
    }

    fn lowest(lo: Duration, _: Duration) -> Duration {
        lo
    }

    #[test]
    fn delays_grow_exponentially_up_to_the_maximum() {
        let far = S * 10_000;
        let delays: Vec<_> = (1..=8)
            .map(|a| delay(a, 2 * S, 120 * S, far, highest).as_secs())
            .collect();
        assert_eq!(delays, [2, 4, 8, 16, 32, 64, 120, 120]);
        assert_eq!(delay(3, 2 * S, 120 * S, far, lowest), 2 * S);
        assert_eq!(delay(1000, 2 * S, 120 * S, far, highest), 120 * S);
    }

    #[test]
    fn jitter_stays_between_min_and_the_computed_delay() {
        for attempt in 1..20 {
            let d = delay(attempt, 2 * S, 120 * S, S * 10_000, random_between);
            assert!(d >= 2 * S && d <= 120 * S, "{d:?}");
            let d = delay(attempt, 2 * S, 120 * S, S * 10_000, |_, _| S * 1_000);
            assert!(d <= 120 * S, "{d:?}");
        }
    }

    #[test]
    fn all_string_equals_needs_a_non_empty_list() {
        assert!(all_string_equals(["a", "a"], "a"));
        assert!(!all_string_equals(["a", "b"], "a"));
        assert!(!all_string_equals([], "a"));
    }

    #[test]
    fn delays_leave_time_for_a_last_attempt() {
        assert_eq!(delay(5, 2 * S, 120 * S, 10 * S, highest), 8 * S);
        assert_eq!(delay(1, 2 * S, 120 * S, 3 * S, highest), S);
    }

    fn service_error(code: &str) -> Error<Unhandled> {
        let response = HttpResponse {
            status: 404,
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::new(),
        };
        let unhandled = Unhandled::new(404, Some(code.into()), None, None, bytes::Bytes::new());
        Error::Service(ServiceError::new(unhandled, response))
    }

    type Outcome = Result<&'static str, Error<Unhandled>>;

    /// Answers `responses` in turn (the last one from then on) and counts the calls.
    fn script(
        responses: Vec<fn() -> Outcome>,
    ) -> (Arc<AtomicU32>, impl FnMut() -> std::future::Ready<Outcome>) {
        let calls = Arc::new(AtomicU32::new(0));
        let counter = calls.clone();
        let f = move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) as usize;
            std::future::ready(responses[n.min(responses.len() - 1)]())
        };
        (calls, f)
    }

    fn classify(result: &Outcome) -> Option<AcceptorState> {
        match result {
            Ok("ready") => Some(AcceptorState::Success),
            Ok("broken") => Some(AcceptorState::Failure),
            Ok("pending") => Some(AcceptorState::Retry),
            Ok(_) => None,
            Err(e) if error_type_matches(e, "smithy.example#Gone") => Some(AcceptorState::Success),
            Err(e) if error_type_matches(e, "Busy") => Some(AcceptorState::Retry),
            Err(_) => None,
        }
    }

    fn config(max_wait: Duration) -> WaiterConfig {
        WaiterConfig {
            min_delay: 2 * S,
            max_delay: 120 * S,
            max_wait,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_until_success() {
        let (calls, f) = script(vec![|| Ok("pending"), || Ok("other"), || Ok("ready")]);
        let start = tokio::time::Instant::now();
        let done = wait(config(300 * S), f, classify).await.unwrap();
        assert_eq!(done.attempts(), 3);
        assert_eq!(*done.as_result().unwrap(), "ready");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        // Two delays: the first in [2, 2] s, the second in [2, 4] s.
        let waited = start.elapsed();
        assert!(waited >= 4 * S && waited <= 6 * S, "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_acceptor_ends_with_the_response() {
        let (_, f) = script(vec![|| Ok("pending"), || Ok("broken")]);
        let err = wait(config(300 * S), f, classify).await.unwrap_err();
        assert!(matches!(
            err,
            WaiterError::FailureState {
                attempts: 2,
                last: Ok("broken")
            }
        ));
        assert_eq!(err.last_response().unwrap().unwrap(), &"broken");
        assert!(err.to_string().contains("failure state"), "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn error_acceptors_match_codes() {
        let (_, f) = script(vec![|| Err(service_error("Busy")), || {
            Err(service_error("Gone"))
        }]);
        let done = wait(config(300 * S), f, classify).await.unwrap();
        assert_eq!(done.attempts(), 2);
        assert!(done.into_result().is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn an_unmatched_error_stops_the_waiter() {
        let (calls, f) = script(vec![|| Ok("pending"), || {
            Err(service_error("AccessDenied"))
        }]);
        let err = wait(config(300 * S), f, classify).await.unwrap_err();
        let WaiterError::OperationFailed { attempts: 2, error } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(error.code(), Some("AccessDenied"));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn times_out_with_the_last_response() {
        let (calls, f) = script(vec![|| Ok("pending")]);
        let start = tokio::time::Instant::now();
        let err = wait(config(60 * S), f, classify).await.unwrap_err();
        let waited = start.elapsed();
        assert!(err.is_timeout(), "{err:?}");
        assert!(waited <= 60 * S, "{waited:?}");
        assert!(waited >= 58 * S, "{waited:?}");
        let WaiterError::ExceededMaxWait { attempts, last, .. } = &err else {
            unreachable!()
        };
        assert_eq!(*attempts, calls.load(Ordering::SeqCst));
        assert!(*attempts >= 5, "{attempts}");
        assert_eq!(*last.as_ref().unwrap(), "pending");
    }

    #[tokio::test(start_paused = true)]
    async fn bad_timing_is_refused_before_sending() {
        let (calls, f) = script(vec![|| Ok("ready")]);
        let err = wait(config(2 * S), f, classify).await.unwrap_err();
        assert!(matches!(err, WaiterError::InvalidConfig(_)), "{err:?}");
        let (_, g) = script(vec![|| Ok("ready")]);
        let bad = WaiterConfig {
            min_delay: 10 * S,
            max_delay: 5 * S,
            max_wait: 100 * S,
        };
        assert!(matches!(
            wait(bad, g, classify).await,
            Err(WaiterError::InvalidConfig(_))
        ));
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }
}
