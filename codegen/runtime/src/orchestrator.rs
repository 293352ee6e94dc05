//! Runs an operation: validate → endpoint → serialize → per attempt (sign, send with the
//! attempt timeout, read the body under the cap, classify) → backoff and retry, all inside
//! the operation timeout.
//!
//! Operations with a `@streaming` member: a streamed request body is taken out of the input
//! before serializing and sent beside the request (a replayable one, bytes or a file, again
//! on each attempt; any other stream once, and then the call is not retried). A streamed
//! output's body is handed to the output unread; the timeouts then cover the exchange up to
//! the response's head, not the reading of its body.
//!
//! Operations with an input event stream: the events are taken out of the input
//! ([`Operation::take_event_stream`]); the request's head is signed with the
//! `STREAMING-AWS4-HMAC-SHA256-EVENTS` payload and its signature seeds the signature chain
//! of the frames, each signed as it is sent (`event_stream::sender`). Such a request is sent
//! once, never retried. Operations that need HTTP/2 ([`Operation::HTTP2`]) say so to the
//! HTTP client in [`SendOptions`].

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;

use crate::byte_stream::{ByteStream, ByteStreamErrorKind};
use crate::client::Handle;
use crate::endpoint::{Endpoint, ResolveError};
use crate::error::{
    CredentialsError, EndpointError, Error, InvalidInput, InvalidResponse, ProvideErrorMetadata,
    ServiceError, TimeoutError, TimeoutKind, TransportErrorKind,
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

    /// Resolves this call's endpoint, for an operation with endpoint parameters of its own
    /// (`smithy.rules#contextParam`, `staticContextParams`, `operationContextParams`): from
    /// the parameters the configuration determines (`Handle::endpoint_params`) and the input.
    /// `None` (the default): the client's endpoint, resolved once from the configuration.
    fn resolve_endpoint(
        handle: &Handle,
        input: &Self::Input,
    ) -> Option<Result<Endpoint, ResolveError>> {
        let _ = (handle, input);
        None
    }

    /// Reads a successful (2xx) response.
    fn deserialize(response: &HttpResponse) -> Result<Self::Output, crate::wire::ResponseError>;

    /// Reads an error response into the operation's error enum.
    fn deserialize_error(response: &HttpResponse) -> Self::Error;

    /// The auth schemes the operation accepts, in the model's order (see [`crate::auth`]);
    /// the client uses the first one the configuration can serve.
    const AUTH_SCHEMES: &'static [crate::auth::AuthScheme] = &[crate::auth::AuthScheme::SigV4];

    /// `aws.auth#unsignedPayload`: SigV4 leaves the body out of the signature
    /// (`x-amz-content-sha256: UNSIGNED-PAYLOAD`; the body is not hashed).
    const UNSIGNED_PAYLOAD: bool = false;

    /// Whether a successful response's body goes to the output unread
    /// ([`deserialize_streaming`](Self::deserialize_streaming) reads the response then).
    const STREAMING_OUTPUT: bool = false;

    /// What the client does to the serialized body before signing (`@requestCompression`,
    /// `@httpChecksumRequired`, checksum customizations), in order.
    const BODY_STEPS: &'static [crate::request_body::BodyStep] = &[];

    /// Fills the input's `@idempotencyToken` members the caller left unset with `token()`
    /// (the configuration's provider), before [`serialize`](Self::serialize).
    fn fill_idempotency_tokens(input: &mut Self::Input, token: &dyn Fn() -> String) {
        let _ = (input, token);
    }

    /// Takes the streamed request body (a `@streaming` payload) out of the input, before
    /// [`serialize`](Self::serialize); `None` when the operation has none. Fails, sending
    /// nothing, when the body cannot be sent (say, its member has `@requiresLength` and its
    /// length is unknown).
    fn take_request_stream(
        input: &mut Self::Input,
    ) -> Result<Option<ByteStream>, crate::wire::SerializeError> {
        let _ = input;
        Ok(None)
    }

    /// Takes the input event stream (a `@streaming` union payload) out of the input, with
    /// the operation's marshaller, before [`serialize`](Self::serialize); `None` when the
    /// operation has none.
    fn take_event_stream(input: &mut Self::Input) -> Option<crate::event_stream::EventStreamBody> {
        let _ = input;
        None
    }

    /// Whether the operation must be sent over HTTP/2 (an event stream of a service whose
    /// `eventStreamHttp` is `h2` only, or one that streams both ways): the HTTP client then
    /// speaks only HTTP/2 (ALPN `h2`, prior knowledge for `http://`).
    const HTTP2: bool = false;

    /// The `@endpoint` host prefix (`foo.bar.`), its `@hostLabel`s filled in and validated;
    /// `None` when the operation has none. The client puts it before the endpoint's host
    /// unless the configuration disables host prefixes.
    fn host_prefix(input: &Self::Input) -> Result<Option<String>, crate::wire::SerializeError> {
        let _ = input;
        Ok(None)
    }

    /// Reads a successful response of an operation with
    /// [`STREAMING_OUTPUT`](Self::STREAMING_OUTPUT): `response` has the status and headers
    /// (its body is empty), `body` the unread body. Only called for such operations.
    fn deserialize_streaming(
        response: &HttpResponse,
        body: ByteStream,
    ) -> Result<Self::Output, crate::wire::ResponseError> {
        let _ = body;
        Err(crate::wire::ResponseError::MalformedBody {
            status: response.status,
            message: format!("{} does not stream its output", Self::NAME),
            body_start: String::new(),
        })
    }
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

async fn run<O: Operation>(
    handle: &Handle,
    mut input: O::Input,
) -> Result<O::Output, Error<O::Error>> {
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
    O::fill_idempotency_tokens(&mut input, &|| handle.config().idempotency_token());
    let stream = O::take_request_stream(&mut input)
        .map_err(|e| Error::Validation(InvalidInput::Serialize(e)))?;
    let events = O::take_event_stream(&mut input);
    handle.check_config().map_err(Error::Config)?;
    // This operation's own endpoint (and the signer it names), or the client's.
    let own_endpoint = match O::resolve_endpoint(handle, &input) {
        None => None,
        Some(resolved) => {
            Some(resolved.map_err(|e| Error::Endpoint(EndpointError::new(Arc::new(e))))?)
        }
    };
    let own_signer = own_endpoint
        .as_ref()
        .map(|endpoint| handle.signer_for_endpoint(endpoint));
    let endpoint = match &own_endpoint {
        Some(endpoint) => endpoint,
        None => handle.endpoint().map_err(Error::Endpoint)?,
    };
    let mut request = O::serialize(&input, endpoint)
        .map_err(|e| Error::Validation(InvalidInput::Serialize(e)))?;
    crate::request_body::apply(
        O::BODY_STEPS,
        &mut request,
        stream.as_ref(),
        handle.config(),
    )
    .await
    .map_err(|e| {
        Error::Validation(InvalidInput::Serialize(crate::wire::SerializeError::Body {
            message: format!("reading the request body for its checksum: {e}"),
        }))
    })?;
    if !handle.config().disable_host_prefix() {
        let prefix =
            O::host_prefix(&input).map_err(|e| Error::Validation(InvalidInput::Serialize(e)))?;
        if let Some(prefix) = prefix {
            request.uri = crate::wire::uri::with_host_prefix(&request.uri, &prefix);
        }
    }
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
        None => attempts::<O>(handle, own_signer, request, stream, events).await,
        Some(limit) => {
            let all = attempts::<O>(handle, own_signer, request, stream, events);
            match tokio::time::timeout(limit, all).await {
                Ok(result) => result,
                Err(_) => {
                    tracing::debug!(?limit, "operation timed out");
                    Err(Error::Timeout(TimeoutError::new(
                        TimeoutKind::Operation,
                        Some(limit),
                    )))
                }
            }
        }
    }
}

async fn attempts<O: Operation>(
    handle: &Handle,
    own_signer: Option<Result<crate::sign::Signer, String>>,
    request: HttpRequest,
    mut stream: Option<ByteStream>,
    mut events: Option<crate::event_stream::EventStreamBody>,
) -> Result<O::Output, Error<O::Error>> {
    // A stream that cannot be replayed is sent once: no retry after it was handed over.
    let replayable = stream.as_ref().is_none_or(ByteStream::is_replayable) && events.is_none();
    let retry = handle.config().retry_config();
    let max = retry.max_attempts();
    let invocation_id = crate::wire::random_uuid_v4();
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
        let body = match (events.take(), &stream) {
            (Some(events), _) => Some(RequestStream::Events(events)),
            (None, Some(body)) if replayable => body.try_clone().map(RequestStream::Bytes),
            (None, _) => stream.take().map(RequestStream::Bytes),
        };
        let signer = match &own_signer {
            None => handle.signer(),
            Some(Ok(signer)) => Ok(signer),
            Some(Err(e)) => Err(CredentialsError::signing(e.clone())),
        };
        let outcome =
            attempt_once::<O>(handle, signer, &request, body, attempt, max, &invocation_id)
                .instrument(span)
                .await;
        let (error, kind) = match outcome {
            Attempt::Done(output) => {
                if retry.retry_quota() {
                    handle.retry_quota().on_success(acquired);
                }
                return Ok(output);
            }
            // A transport error names where the request went and how often it was tried.
            Attempt::Failed(Error::Transport(e), kind) => (
                Error::Transport(e.with_context(endpoint_of(&request.uri), attempt)),
                kind,
            ),
            Attempt::Failed(error, kind) => (error, kind),
        };
        let Some(kind) = kind else {
            return Err(error);
        };
        if !replayable {
            tracing::debug!(attempt, error = %error, "not retrying: the request body was a stream that cannot be sent again");
            return Err(error);
        }
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

/// `scheme://host[:port]` of a request URL.
fn endpoint_of(uri: &str) -> Option<String> {
    let uri: http::Uri = uri.parse().ok()?;
    Some(format!("{}://{}", uri.scheme_str()?, uri.authority()?))
}

/// The streamed body of a request. One per attempt, moved into the request, so the size
/// difference clippy sees without the `event-stream` feature (an empty `Events`) costs nothing.
#[allow(clippy::large_enum_variant)]
enum RequestStream {
    /// A `@streaming` blob.
    Bytes(ByteStream),
    /// An input event stream, signed frame by frame when sent.
    Events(crate::event_stream::EventStreamBody),
}

/// What one attempt authenticates with: the scheme [`crate::auth::choose`] picked and its
/// identity.
enum Identity<'a> {
    SigV4(&'a crate::sign::Signer, crate::credentials::Credentials),
    Bearer(crate::auth::Token),
    Anonymous,
}

/// What an attempt received.
enum Received {
    /// A response read whole.
    Buffered(HttpResponse),
    /// A successful response of a streaming operation, with its body unread.
    Streaming(HttpResponse, Box<ByteStream>),
}

async fn attempt_once<O: Operation>(
    handle: &Handle,
    signer: Result<&crate::sign::Signer, CredentialsError>,
    request: &HttpRequest,
    body: Option<RequestStream>,
    attempt: u32,
    max: u32,
    invocation_id: &str,
) -> Attempt<O> {
    let scheme = match crate::auth::choose(
        O::AUTH_SCHEMES,
        handle.has_credentials(),
        handle.has_token(),
    ) {
        Some(scheme) => scheme,
        None => {
            return Attempt::Failed(
                Error::Credentials(CredentialsError::no_usable_scheme(O::AUTH_SCHEMES)),
                None,
            )
        }
    };
    let identity = match scheme {
        crate::auth::AuthScheme::SigV4 => {
            let credentials = match handle.credentials().await {
                Ok(credentials) => credentials,
                Err(e) => return Attempt::Failed(Error::Credentials(e), None),
            };
            match signer {
                Ok(signer) => Identity::SigV4(signer, credentials),
                Err(e) => return Attempt::Failed(Error::Credentials(e), None),
            }
        }
        crate::auth::AuthScheme::HttpBearer => match handle.token().await {
            Ok(token) => Identity::Bearer(token),
            Err(e) => return Attempt::Failed(Error::Credentials(e), None),
        },
        crate::auth::AuthScheme::NoAuth => Identity::Anonymous,
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
    let (body, events) = match body {
        Some(RequestStream::Bytes(body)) => (Some(body), None),
        Some(RequestStream::Events(events)) => (None, Some(events)),
        None => (None, None),
    };
    // A body in memory is signed (and, unless the output streams, sent) like any other.
    let body = match body {
        Some(body) => match body.bytes() {
            Some(bytes) => {
                request.body = bytes.clone();
                (O::STREAMING_OUTPUT).then_some(body)
            }
            None => {
                if let Some(length) = body.content_length() {
                    request.headers.insert(
                        http::header::CONTENT_LENGTH,
                        http::HeaderValue::from(length),
                    );
                }
                Some(body)
            }
        },
        None => None,
    };
    // A body of known length says so (the HTTP binding spec's `Content-Length`).
    if !request.body.is_empty() && !request.headers.contains_key(http::header::CONTENT_LENGTH) {
        request.headers.insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from(request.body.len()),
        );
    }
    // Signed afresh for every attempt: a new date, and a new signature.
    let (signed, body) = match (&identity, events) {
        // The head's signature seeds the frames' signature chain.
        (Identity::SigV4(signer, credentials), Some(events)) => {
            match signer.sign_streaming(
                &mut request,
                crate::sign::StreamingPayload::EventStream,
                credentials,
                SystemTime::now(),
            ) {
                Ok(seed) => (
                    Ok(()),
                    Some(events.signed((*signer).clone(), credentials.clone(), seed)),
                ),
                Err(e) => (Err(e), None),
            }
        }
        // Event-stream frames are signed with SigV4; no other scheme can send them.
        (_, Some(_)) => (
            Err(CredentialsError::signing(
                "an input event stream is signed frame by frame with SigV4, and the chosen \
                 auth scheme is not SigV4"
                    .to_string(),
            )),
            None,
        ),
        (Identity::SigV4(signer, credentials), None)
            if O::UNSIGNED_PAYLOAD || body.as_ref().is_some_and(|b| b.bytes().is_none()) =>
        {
            let signed = signer
                .sign_streaming(
                    &mut request,
                    crate::sign::StreamingPayload::Unsigned,
                    credentials,
                    SystemTime::now(),
                )
                .map(|_| ());
            (signed, body)
        }
        (Identity::SigV4(signer, credentials), None) => (
            signer.sign(&mut request, credentials, SystemTime::now()),
            body,
        ),
        (Identity::Bearer(token), None) => (crate::auth::apply_bearer(&mut request, token), body),
        (Identity::Anonymous, None) => (Ok(()), body),
    };
    if let Err(e) = signed {
        return Attempt::Failed(Error::Credentials(e), None);
    }

    let limit = handle.config().max_response_body();
    let options = SendOptions::new(limit).with_http2_only(O::HTTP2);
    let started = Instant::now();
    let client = handle.http_client();
    let sent = async move {
        if body.is_none() && !O::STREAMING_OUTPUT {
            return client.send(request, options).await.map(Received::Buffered);
        }
        let body = match body {
            Some(body) => body,
            None => ByteStream::from(std::mem::take(&mut request.body)),
        };
        let response = client.send_streaming(request, body, options).await?;
        let (head, body) = response.into_parts();
        if O::STREAMING_OUTPUT && (200..300).contains(&head.status) {
            return Ok(Received::Streaming(head, Box::new(body)));
        }
        // Anything else (an error above all) is read whole, under the cap.
        match body.with_limit(limit).collect().await {
            Ok(bytes) => Ok(Received::Buffered(HttpResponse {
                body: bytes,
                ..head
            })),
            Err(e) if e.kind() == ByteStreamErrorKind::TooLarge => {
                Err(HttpClientError::TooLarge(InvalidResponse::too_large(
                    limit,
                    head.status,
                    head.request_id().map(str::to_owned),
                )))
            }
            Err(e) => Err(HttpClientError::Transport(
                crate::error::TransportError::new(TransportErrorKind::Io, e),
            )),
        }
    };
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
        Ok(Received::Buffered(response)) => response,
        Ok(Received::Streaming(head, body)) => {
            span.record("status", head.status);
            if let Some(id) = head.request_id() {
                span.record("request_id", id);
            }
            tracing::debug!(status = head.status, "streaming response received");
            return match O::deserialize_streaming(&head, *body) {
                Ok(output) => Attempt::Done(output),
                Err(e) => {
                    Attempt::Failed(Error::Response(InvalidResponse::unparseable(e, head)), None)
                }
            };
        }
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
            assert_eq!(err.as_service_error().unwrap().status(), status);
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
        // The message names the endpoint and the attempts; the cause is the source.
        assert_eq!(
            crate::error::DisplayErrorContext(&err).to_string(),
            "connection error: https://example.com (3 attempts): connection reset by peer"
        );
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
        assert!(
            crate::error::DisplayErrorContext(&err)
                .to_string()
                .contains("Missing Region"),
            "{err}"
        );

        let handle = Handle::new(
            &crate::TEST_SERVICE,
            &config,
            Ok(Endpoint::new("https://example.com")),
        );
        let err = invoke::<Echo>(&handle, "p".into()).await.unwrap_err();
        assert!(matches!(&err, Error::Credentials(_)), "{err:?}");
        assert!(client.requests().is_empty());
    }

    #[test]
    fn config_errors_come_first_and_name_the_setting() {
        let client = Arc::new(CannedHttpClient::new([CannedResponse::json(
            200, "r", "ok",
        )]));
        let base = mk(client.clone(), Config::builder()).config().clone();
        let message = |config: Config| {
            let handle = Handle::new(
                &crate::TEST_SERVICE,
                &config,
                Err(crate::endpoint::ResolveError::new(
                    "Invalid Configuration: Missing Region",
                )),
            );
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let err =
                std::thread::spawn(move || runtime.block_on(invoke::<Echo>(&handle, "p".into())))
                    .join()
                    .unwrap()
                    .unwrap_err();
            assert!(matches!(&err, Error::Config(_)), "{err:?}");
            err.to_string()
        };
        assert_eq!(
            message(base.to_builder().set_region(None).build()),
            "invalid AWS configuration: no AWS region is configured: set AWS_REGION (or \
             AWS_DEFAULT_REGION, or `region` in the profile), or call `.region(\"us-east-1\")` \
             on the config builder (nothing was sent)"
        );
        assert_eq!(
            message(base.to_builder().region("us-east-1.evil.com").build()),
            "invalid AWS configuration: the region `us-east-1.evil.com` is not valid: it \
             contains '.'; a region is one DNS label of letters, digits and `-`, like \
             `us-east-1` (nothing was sent)"
        );
        for bad in ["evil.com#", "..", ""] {
            assert!(
                message(base.to_builder().region(bad).build()).contains("is not valid"),
                "{bad}"
            );
        }
        assert_eq!(
            message(base.to_builder().endpoint_url("127.0.0.1:5055").build()),
            "invalid AWS configuration: the endpoint URL set with `endpoint_url(..)` \
             `127.0.0.1:5055` is not a URL: it needs http:// or https:// in front \
             (`http://127.0.0.1:5055`) (nothing was sent)"
        );
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

    /// A streaming upload: the input is the body.
    struct Upload;

    impl Operation for Upload {
        type Input = Option<ByteStream>;
        type Output = String;
        type Error = Unhandled;
        const NAME: &'static str = "Upload";

        fn validate(_input: &Self::Input) -> Result<(), crate::validate::ValidationError> {
            Ok(())
        }

        fn serialize(
            _input: &Self::Input,
            endpoint: &Endpoint,
        ) -> Result<HttpRequest, crate::wire::SerializeError> {
            Echo::serialize(&"upload".to_string(), endpoint)
        }

        fn deserialize(response: &HttpResponse) -> Result<String, crate::wire::ResponseError> {
            Echo::deserialize(response)
        }

        fn deserialize_error(response: &HttpResponse) -> Unhandled {
            Echo::deserialize_error(response)
        }

        fn take_request_stream(
            input: &mut Self::Input,
        ) -> Result<Option<ByteStream>, crate::wire::SerializeError> {
            Ok(Some(input.take().unwrap_or_default()))
        }
    }

    /// A streaming download: the output is the body, unread.
    struct Download;

    impl Operation for Download {
        type Input = ();
        type Output = ByteStream;
        type Error = Unhandled;
        const NAME: &'static str = "Download";
        const STREAMING_OUTPUT: bool = true;

        fn validate(_input: &()) -> Result<(), crate::validate::ValidationError> {
            Ok(())
        }

        fn serialize(
            _input: &(),
            endpoint: &Endpoint,
        ) -> Result<HttpRequest, crate::wire::SerializeError> {
            Echo::serialize(&"download".to_string(), endpoint)
        }

        fn deserialize(response: &HttpResponse) -> Result<ByteStream, crate::wire::ResponseError> {
            Ok(ByteStream::from(response.body.clone()))
        }

        fn deserialize_error(response: &HttpResponse) -> Unhandled {
            Echo::deserialize_error(response)
        }

        fn deserialize_streaming(
            _response: &HttpResponse,
            body: ByteStream,
        ) -> Result<ByteStream, crate::wire::ResponseError> {
            Ok(body)
        }
    }

    fn ok_then(first: CannedResponse) -> Arc<CannedHttpClient> {
        Arc::new(CannedHttpClient::new([
            first,
            CannedResponse::json(200, "r", "ok"),
        ]))
    }

    #[tokio::test]
    async fn replayable_bodies_are_sent_again_on_retry() {
        let client = ok_then(throttled());
        let handle = mk(client.clone(), Config::builder());
        let out = invoke::<Upload>(&handle, Some(ByteStream::from("payload")))
            .await
            .unwrap();
        assert_eq!(out, "ok");
        let requests = client.requests();
        assert_eq!(requests.len(), 2);
        for r in &requests {
            assert_eq!(r.body, "payload");
            assert!(
                !r.headers.contains_key("x-amz-content-sha256"),
                "bytes are signed"
            );
        }

        let path = std::env::temp_dir().join(format!("orchestrator-{}.bin", std::process::id()));
        std::fs::write(&path, b"file body").unwrap();
        let client = ok_then(throttled());
        let handle = mk(client.clone(), Config::builder());
        let body = ByteStream::from_path(&path).await.unwrap();
        invoke::<Upload>(&handle, Some(body)).await.unwrap();
        std::fs::remove_file(&path).unwrap();
        let requests = client.requests();
        assert_eq!(requests.len(), 2, "a file is replayable");
        for r in &requests {
            assert_eq!(r.body, "file body");
            assert_eq!(r.headers["content-length"], "9");
            assert_eq!(r.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
            assert!(r.headers["authorization"]
                .to_str()
                .unwrap()
                .contains("content-length;host;"));
        }
    }

    #[tokio::test]
    async fn a_stream_that_cannot_be_replayed_is_not_retried() {
        struct Once(Option<bytes::Bytes>);
        impl futures_core::Stream for Once {
            type Item = Result<bytes::Bytes, std::io::Error>;
            fn poll_next(
                mut self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<Self::Item>> {
                std::task::Poll::Ready(self.0.take().map(Ok))
            }
        }
        for first in [
            throttled(),
            CannedResponse::Fail(TransportErrorKind::Io, "reset".into()),
        ] {
            let client = ok_then(first);
            let handle = mk(client.clone(), Config::builder());
            let body = ByteStream::from_stream(Once(Some(bytes::Bytes::from_static(b"once"))));
            let err = invoke::<Upload>(&handle, Some(body)).await.unwrap_err();
            assert!(
                matches!(err, Error::Service(_) | Error::Transport(_)),
                "{err:?}"
            );
            let requests = client.requests();
            assert_eq!(requests.len(), 1, "not retried");
            assert_eq!(requests[0].body, "once");
            assert_eq!(
                requests[0].headers["x-amz-content-sha256"],
                "UNSIGNED-PAYLOAD"
            );
            assert!(!requests[0].headers.contains_key("content-length"));
        }
    }

    #[tokio::test]
    async fn streaming_outputs_are_handed_over_and_errors_are_read_whole() {
        let client = ok_then(CannedResponse::json(
            503,
            "r",
            r#"{"code":"ServiceUnavailable","message":"later"}"#,
        ));
        let handle = mk(client.clone(), Config::builder());
        let mut body = invoke::<Download>(&handle, ()).await.unwrap();
        assert_eq!(client.requests().len(), 2, "the 503 was retried");
        assert_eq!(body.next().await.unwrap().unwrap(), "ok");
        assert!(body.next().await.is_none());

        let client = Arc::new(CannedHttpClient::new([CannedResponse::json(
            404,
            "r",
            r#"{"code":"NotFoundException","message":"gone"}"#,
        )]));
        let handle = mk(client.clone(), Config::builder());
        let err = invoke::<Download>(&handle, ()).await.unwrap_err();
        assert_eq!(err.code(), Some("NotFoundException"));
        assert_eq!(
            err.to_string(),
            "NotFoundException: gone (HTTP 404, request id r)"
        );
    }

    /// An input event stream: the input is the events.
    struct Publish;

    fn marshall_text(text: String) -> Result<crate::event_stream::Message, String> {
        Ok(crate::event_stream::event_message(
            "Text",
            "text/plain",
            bytes::Bytes::from(text),
            Vec::new(),
        ))
    }

    impl Operation for Publish {
        type Input = Option<crate::event_stream::EventStreamSender<String>>;
        type Output = String;
        type Error = Unhandled;
        const NAME: &'static str = "Publish";
        const HTTP2: bool = true;

        fn validate(_input: &Self::Input) -> Result<(), crate::validate::ValidationError> {
            Ok(())
        }

        fn serialize(
            _input: &Self::Input,
            endpoint: &Endpoint,
        ) -> Result<HttpRequest, crate::wire::SerializeError> {
            Echo::serialize(&"publish".to_string(), endpoint)
        }

        fn deserialize(response: &HttpResponse) -> Result<String, crate::wire::ResponseError> {
            Echo::deserialize(response)
        }

        fn deserialize_error(response: &HttpResponse) -> Unhandled {
            Echo::deserialize_error(response)
        }

        fn take_event_stream(
            input: &mut Self::Input,
        ) -> Option<crate::event_stream::EventStreamBody> {
            Some(input.take().unwrap_or_default().into_body(marshall_text))
        }
    }

    #[tokio::test]
    async fn event_streams_are_signed_for_events_and_never_retried() {
        let client = ok_then(throttled());
        let handle = mk(client.clone(), Config::builder());
        let events = crate::event_stream::EventStreamSender::from(vec!["a".to_string()]);
        let err = invoke::<Publish>(&handle, Some(events)).await.unwrap_err();
        assert_eq!(err.status(), Some(429));
        let requests = client.requests();
        assert_eq!(requests.len(), 1, "an event stream is sent once");
        let request = &requests[0];
        assert_eq!(
            request.headers["x-amz-content-sha256"],
            "STREAMING-AWS4-HMAC-SHA256-EVENTS"
        );
        assert!(!request.headers.contains_key("content-length"));
        // The body: one signed frame per event, then the empty one.
        let mut body = bytes::BytesMut::from(&request.body[..]);
        let mut decoder = aws_smithy_eventstream::frame::MessageFrameDecoder::new();
        let mut payloads = Vec::new();
        while !body.is_empty() {
            match decoder.decode_frame(&mut body).unwrap() {
                aws_smithy_eventstream::frame::DecodedFrame::Complete(m) => {
                    payloads.push(m.payload().len())
                }
                aws_smithy_eventstream::frame::DecodedFrame::Incomplete => panic!("cut short"),
            }
        }
        assert_eq!(payloads.len(), 2);
        assert!(payloads[0] > 0);
        assert_eq!(payloads[1], 0);
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
