//! Runs an operation: validate → endpoint → serialize → per attempt (sign, send with the
//! attempt timeout, read the body under the cap, classify) → backoff and retry, all inside
//! the operation timeout.

use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;

use crate::client::Handle;
use crate::endpoint::Endpoint;
use crate::error::{
    Error, InvalidInput, InvalidResponse, ProvideErrorMetadata, ServiceError, TimeoutError,
    TimeoutKind, TransportErrorKind,
};
use crate::http::{HttpRequest, HttpResponse};
use crate::http_client::{HttpClient, HttpClientError, SendOptions};
use crate::retry::{classify_status, RetryKind};

/// One operation of the service, implemented by a generated marker type per operation
/// (`crate::operation::get_stage::builders::GetStageOperation`), which ties the generated
/// validator, serializer and deserializers together.
pub trait Operation {
    /// The operation's input (`GetStageInput`).
    type Input: Send + Sync + 'static;
    /// The operation's output (`GetStageOutput`).
    type Output: Send + 'static;
    /// The operation's error enum (`GetStageError`).
    type Error: ProvideErrorMetadata + std::fmt::Debug + Send + Sync + 'static;

    /// The operation's name in the model (`GetStage`).
    const NAME: &'static str;

    /// Checks the input's constraints; nothing is sent when this fails.
    fn validate(input: &Self::Input) -> Result<(), crate::validate::ValidationError>;

    /// Builds the HTTP request for an endpoint.
    fn serialize(
        input: &Self::Input,
        endpoint: &Endpoint,
    ) -> Result<HttpRequest, crate::wire::SerializeError>;

    /// Reads a successful (2xx) response.
    fn deserialize(response: &HttpResponse) -> Result<Self::Output, crate::wire::ResponseError>;

    /// Reads an error response into the operation's error enum.
    fn deserialize_error(response: &HttpResponse) -> Self::Error;
}

/// How one attempt ended.
enum Attempt<O: Operation> {
    Done(O::Output),
    Failed(Error<O::Error>, Option<RetryKind>),
}

/// Runs operation `O` with `input` on the client behind `handle`.
pub async fn invoke<O: Operation>(
    handle: &Handle,
    input: O::Input,
) -> Result<O::Output, Error<O::Error>> {
    let span = tracing::info_span!(
        "operation",
        service = handle.service().sdk_id,
        operation = O::NAME,
        attempts = tracing::field::Empty,
        outcome = tracing::field::Empty,
    );
    let result = run::<O>(handle, input).instrument(span.clone()).await;
    span.record("outcome", if result.is_ok() { "success" } else { "error" });
    result
}

async fn run<O: Operation>(handle: &Handle, input: O::Input) -> Result<O::Output, Error<O::Error>> {
    if let Err(e) = O::validate(&input) {
        let kept = if handle.config().validate_constraints() {
            Some(e)
        } else {
            e.essential()
        };
        if let Some(e) = kept {
            return Err(Error::Validation(InvalidInput::Constraint(e)));
        }
    }
    let endpoint = handle.endpoint().map_err(Error::Endpoint)?;
    let mut request = O::serialize(&input, endpoint)
        .map_err(|e| Error::Validation(InvalidInput::Serialize(e)))?;
    for (name, values) in &endpoint.headers {
        let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) else {
            continue;
        };
        if request.headers.contains_key(&name) {
            continue;
        }
        for value in values {
            if let Ok(value) = http::HeaderValue::from_str(value) {
                request.headers.append(name.clone(), value);
            }
        }
    }
    match handle.config().timeout_config().operation() {
        None => attempts::<O>(handle, request).await,
        Some(limit) => match tokio::time::timeout(limit, attempts::<O>(handle, request)).await {
            Ok(result) => result,
            Err(_) => {
                tracing::debug!(?limit, "operation timed out");
                Err(Error::Timeout(TimeoutError::new(
                    TimeoutKind::Operation,
                    Some(limit),
                )))
            }
        },
    }
}

async fn attempts<O: Operation>(
    handle: &Handle,
    request: HttpRequest,
) -> Result<O::Output, Error<O::Error>> {
    let retry = handle.config().retry_config();
    let max = retry.max_attempts();
    let invocation_id = uuid::Uuid::new_v4().to_string();
    let mut acquired = 0;
    let mut attempt = 1;
    loop {
        tracing::Span::current().record("attempts", attempt);
        let span = tracing::debug_span!(
            "attempt",
            attempt,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let outcome = attempt_once::<O>(handle, &request, attempt, max, &invocation_id)
            .instrument(span)
            .await;
        let (error, kind) = match outcome {
            Attempt::Done(output) => {
                if retry.retry_quota() {
                    handle.retry_quota().on_success(acquired);
                }
                return Ok(output);
            }
            Attempt::Failed(error, kind) => (error, kind),
        };
        let Some(kind) = kind else {
            return Err(error);
        };
        if attempt >= max {
            tracing::debug!(attempt, error = %error, "giving up: no attempts left");
            return Err(error);
        }
        if retry.retry_quota() {
            match handle.retry_quota().acquire(kind) {
                Some(cost) => acquired += cost,
                None => {
                    tracing::debug!(attempt, error = %error, "giving up: retry quota exhausted");
                    return Err(error);
                }
            }
        }
        let delay = retry.backoff_with_jitter(attempt - 1);
        tracing::debug!(attempt, ?kind, ?delay, error = %error, "retrying");
        tokio::time::sleep(delay).await;
        attempt += 1;
    }
}

async fn attempt_once<O: Operation>(
    handle: &Handle,
    request: &HttpRequest,
    attempt: u32,
    max: u32,
    invocation_id: &str,
) -> Attempt<O> {
    let credentials = match handle.credentials().await {
        Ok(credentials) => credentials,
        Err(e) => return Attempt::Failed(Error::Credentials(e), None),
    };
    let signer = match handle.signer() {
        Ok(signer) => signer,
        Err(e) => return Attempt::Failed(Error::Credentials(e), None),
    };
    let mut request = request.clone();
    let headers = &mut request.headers;
    headers.insert(http::header::USER_AGENT, handle.user_agent().clone());
    if let Ok(value) = http::HeaderValue::from_str(invocation_id) {
        headers.insert("amz-sdk-invocation-id", value);
    }
    if let Ok(value) = http::HeaderValue::from_str(&format!("attempt={attempt}; max={max}")) {
        headers.insert("amz-sdk-request", value);
    }
    // Signed afresh for every attempt: a new date, and a new signature.
    if let Err(e) = signer.sign(&mut request, &credentials, SystemTime::now()) {
        return Attempt::Failed(Error::Credentials(e), None);
    }

    let options = SendOptions::new(handle.config().max_response_body());
    let started = Instant::now();
    let sent = handle.http_client().send(request, options);
    let result = match handle.config().timeout_config().attempt() {
        None => sent.await,
        Some(limit) => match tokio::time::timeout(limit, sent).await {
            Ok(result) => result,
            Err(_) => {
                let error = TimeoutError::new(TimeoutKind::Attempt, Some(limit));
                tracing::debug!(?limit, "attempt timed out");
                return Attempt::Failed(Error::Timeout(error), Some(RetryKind::Timeout));
            }
        },
    };
    let span = tracing::Span::current();
    span.record("latency_ms", millis(started.elapsed()));
    let response = match result {
        Ok(response) => response,
        Err(HttpClientError::Transport(e)) => {
            tracing::debug!(error = %e, "transport error");
            let kind = match e.kind() {
                TransportErrorKind::Dns | TransportErrorKind::Connect | TransportErrorKind::Io => {
                    Some(RetryKind::Transient)
                }
                _ => None,
            };
            return Attempt::Failed(Error::Transport(e), kind);
        }
        Err(HttpClientError::Timeout(e)) => {
            tracing::debug!(error = %e, "timeout");
            return Attempt::Failed(Error::Timeout(e), Some(RetryKind::Timeout));
        }
        Err(HttpClientError::TooLarge(e)) => {
            span.record("status", e.status());
            if let Some(id) = e.request_id() {
                span.record("request_id", id);
            }
            return Attempt::Failed(Error::Response(e), None);
        }
    };
    span.record("status", response.status);
    if let Some(id) = response.request_id() {
        span.record("request_id", id);
    }
    tracing::debug!(status = response.status, "response received");
    if (200..300).contains(&response.status) {
        return match O::deserialize(&response) {
            Ok(output) => Attempt::Done(output),
            Err(e) => Attempt::Failed(
                Error::Response(InvalidResponse::unparseable(e, response)),
                None,
            ),
        };
    }
    let error = O::deserialize_error(&response);
    let kind = error
        .retry_kind()
        .or_else(|| classify_status(response.status));
    Attempt::Failed(Error::Service(ServiceError::new(error, response)), kind)
}

fn millis(duration: Duration) -> u64 {
    duration.as_millis().min(u64::MAX as u128) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SharedConfig as Config;
    use crate::credentials::Credentials;
    use crate::error::Unhandled;
    use crate::http_client::{CannedHttpClient, CannedResponse};
    use std::sync::Arc;

    /// A stand-in for a generated operation: input is the path, output the body text.
    struct Echo;

    impl Operation for Echo {
        type Input = String;
        type Output = String;
        type Error = Unhandled;
        const NAME: &'static str = "Echo";

        fn validate(_input: &String) -> Result<(), crate::validate::ValidationError> {
            Ok(())
        }

        fn serialize(
            input: &String,
            endpoint: &Endpoint,
        ) -> Result<HttpRequest, crate::wire::SerializeError> {
            Ok(HttpRequest {
                method: http::Method::GET,
                uri: format!("{}/{input}", endpoint.url),
                headers: http::HeaderMap::new(),
                body: bytes::Bytes::new(),
            })
        }

        fn deserialize(response: &HttpResponse) -> Result<String, crate::wire::ResponseError> {
            Ok(String::from_utf8_lossy(&response.body).into_owned())
        }

        fn deserialize_error(response: &HttpResponse) -> Unhandled {
            let json: serde_json::Value =
                serde_json::from_slice(&response.body).unwrap_or_default();
            Unhandled::new(
                response.status,
                response
                    .header("x-amzn-errortype")
                    .map(str::to_owned)
                    .or_else(|| json["code"].as_str().map(str::to_owned)),
                json["message"].as_str().map(str::to_owned),
                response.request_id().map(str::to_owned),
                response.body.clone(),
            )
        }
    }

    fn mk(client: Arc<CannedHttpClient>, config: crate::config::SharedConfigBuilder) -> Handle {
        #[derive(Debug)]
        struct Shared(Arc<CannedHttpClient>);
        impl HttpClient for Shared {
            fn send(
                &self,
                request: HttpRequest,
                options: SendOptions,
            ) -> crate::http_client::BoxFuture<'_, Result<HttpResponse, HttpClientError>>
            {
                self.0.send(request, options)
            }
        }
        let config = config.build();
        let retry = config
            .retry_config()
            .clone()
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(4));
        let config = config
            .to_builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                "AKID",
                "SECRET",
                Some("TOKEN".into()),
                None,
                "t",
            ))
            .retry_config(retry)
            .http_client(Shared(client))
            .build();
        Handle::new(
            &crate::TEST_SERVICE,
            &config,
            Ok(Endpoint::new("https://example.com")),
        )
    }

    fn throttled() -> CannedResponse {
        CannedResponse::json(
            429,
            "req-429",
            r#"{"code":"TooManyRequestsException","message":"slow down"}"#,
        )
    }

    #[tokio::test]
    async fn retries_throttling_then_succeeds_and_signs_each_attempt() {
        let client = Arc::new(CannedHttpClient::new([
            throttled(),
            CannedResponse::json(200, "req-ok", "hello"),
        ]));
        let handle = mk(client.clone(), Config::builder());
        let out = invoke::<Echo>(&handle, "path".into()).await.unwrap();
        assert_eq!(out, "hello");
        let requests = client.requests();
        assert_eq!(requests.len(), 2);
        for (i, r) in requests.iter().enumerate() {
            assert_eq!(r.uri, "https://example.com/path");
            assert!(r.headers["authorization"]
                .to_str()
                .unwrap()
                .contains("/us-east-1/apigateway/aws4_request"));
            assert_eq!(r.headers["x-amz-security-token"], "TOKEN");
            assert_eq!(
                r.headers["amz-sdk-request"].to_str().unwrap(),
                format!("attempt={}; max=3", i + 1)
            );
            assert!(r.headers["user-agent"]
                .to_str()
                .unwrap()
                .starts_with("aws-client-runtime/"));
        }
        assert_eq!(
            requests[0].headers["amz-sdk-invocation-id"],
            requests[1].headers["amz-sdk-invocation-id"]
        );
        assert_eq!(handle.retry_quota().available(), 500, "refunded on success");
    }

    #[tokio::test]
    async fn gives_up_after_max_attempts() {
        let client = Arc::new(CannedHttpClient::new([throttled()]));
        let handle = mk(client.clone(), Config::builder().max_attempts(4));
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert_eq!(client.requests().len(), 4);
        assert_eq!(err.code(), Some("TooManyRequestsException"));
        assert_eq!(err.status(), Some(429));
        assert_eq!(err.request_id(), Some("req-429"));
        assert_eq!(
            err.to_string(),
            "TooManyRequestsException: slow down (HTTP 429, request id req-429)"
        );
        assert_eq!(handle.retry_quota().available(), 500 - 15);
    }

    #[tokio::test]
    async fn retries_server_errors_not_client_errors() {
        for status in [500, 502, 503, 504] {
            let client = Arc::new(CannedHttpClient::new([
                CannedResponse::json(status, "r", "{}"),
                CannedResponse::json(200, "r", "ok"),
            ]));
            let handle = mk(client.clone(), Config::builder());
            assert_eq!(invoke::<Echo>(&handle, "p".into()).await.unwrap(), "ok");
            assert_eq!(client.requests().len(), 2, "{status}");
        }
        for status in [400, 403, 404, 409] {
            let client = Arc::new(CannedHttpClient::new([CannedResponse::json(
                status,
                "r",
                r#"{"code":"NotFoundException","message":"gone"}"#,
            )]));
            let handle = mk(client.clone(), Config::builder());
            let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
            assert_eq!(client.requests().len(), 1, "{status}");
            assert_eq!(err.as_service_error().unwrap().status, status);
        }
        // A throttling code on a 400 is retried.
        let client = Arc::new(CannedHttpClient::new([
            CannedResponse::json(400, "r", r#"{"code":"ThrottlingException"}"#),
            CannedResponse::json(200, "r", "ok"),
        ]));
        let handle = mk(client.clone(), Config::builder());
        assert_eq!(invoke::<Echo>(&handle, "p".into()).await.unwrap(), "ok");
        assert_eq!(client.requests().len(), 2);
    }

    #[tokio::test]
    async fn retries_transport_errors() {
        let client = Arc::new(CannedHttpClient::new([
            CannedResponse::Fail(TransportErrorKind::Io, "connection reset by peer".into()),
            CannedResponse::Fail(TransportErrorKind::Connect, "connection refused".into()),
            CannedResponse::json(200, "r", "ok"),
        ]));
        let handle = mk(client.clone(), Config::builder());
        assert_eq!(invoke::<Echo>(&handle, "p".into()).await.unwrap(), "ok");
        assert_eq!(client.requests().len(), 3);

        let client = Arc::new(CannedHttpClient::new([CannedResponse::Fail(
            TransportErrorKind::Io,
            "connection reset by peer".into(),
        )]));
        let handle = mk(client.clone(), Config::builder());
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        assert_eq!(client.requests().len(), 3);
    }

    #[tokio::test]
    async fn attempt_and_operation_timeouts() {
        let client = Arc::new(CannedHttpClient::new([CannedResponse::Hang]));
        let handle = mk(
            client.clone(),
            Config::builder().attempt_timeout(Duration::from_millis(20)),
        );
        let started = Instant::now();
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Timeout(t) if t.kind() == TimeoutKind::Attempt),
            "{err:?}"
        );
        assert_eq!(client.requests().len(), 3, "attempt timeouts are retried");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(handle.retry_quota().available(), 480, "timeouts cost 10");

        let client = Arc::new(CannedHttpClient::new([CannedResponse::Hang]));
        let handle = mk(
            client.clone(),
            Config::builder().operation_timeout(Duration::from_millis(30)),
        );
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert!(matches!(&err, Error::Timeout(t) if t.kind() == TimeoutKind::Operation));
        assert_eq!(err.to_string(), "the operation timed out after 30ms");
        assert_eq!(client.requests().len(), 1);
    }

    #[tokio::test]
    async fn refuses_large_bodies_without_retrying() {
        let client = Arc::new(CannedHttpClient::new([CannedResponse::json(
            200,
            "big",
            "0123456789",
        )]));
        let handle = mk(client.clone(), Config::builder().max_response_body(5));
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert!(matches!(&err, Error::Response(_)), "{err:?}");
        assert_eq!(err.status(), Some(200));
        assert_eq!(err.request_id(), Some("big"));
        assert_eq!(client.requests().len(), 1);
    }

    #[tokio::test]
    async fn endpoint_and_credential_errors_send_nothing() {
        let client = Arc::new(CannedHttpClient::new([CannedResponse::json(
            200, "r", "ok",
        )]));
        let with_credentials = mk(client.clone(), Config::builder());
        let config = with_credentials
            .config()
            .to_builder()
            .set_credentials_provider(None)
            .build();
        let handle = Handle::new(
            &crate::TEST_SERVICE,
            &config,
            Err(crate::endpoint::ResolveError::new(
                "Invalid Configuration: Missing Region",
            )),
        );
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert!(matches!(&err, Error::Endpoint(_)));
        assert!(err.to_string().contains("Missing Region"), "{err}");

        let handle = Handle::new(
            &crate::TEST_SERVICE,
            &config,
            Ok(Endpoint::new("https://example.com")),
        );
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert!(matches!(&err, Error::Credentials(_)), "{err:?}");
        assert!(client.requests().is_empty());
    }

    #[tokio::test]
    async fn quota_exhaustion_stops_retries() {
        let client = Arc::new(CannedHttpClient::new([CannedResponse::json(
            503, "r", "{}",
        )]));
        let handle = mk(client.clone(), Config::builder().max_attempts(1000));
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert_eq!(err.status(), Some(503));
        // 500 tokens pay for 100 retries: 101 attempts.
        assert_eq!(client.requests().len(), 101);
        assert_eq!(handle.retry_quota().available(), 0);
        // The next call gets no retries at all.
        let _ = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert_eq!(client.requests().len(), 102);
    }

    #[test]
    fn invoke_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = Arc::new(CannedHttpClient::new([]));
        let handle = mk(client, Config::builder());
        let fut = invoke::<Echo>(&handle, "p".into());
        assert_send(&fut);
    }
}
