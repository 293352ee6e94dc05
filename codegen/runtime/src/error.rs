//! The errors an operation call can end with.
//!
//! [`Error<E>`] is what every `send()` returns on failure; `E` is the operation's error
//! enum (`GetStageError`), which holds the service's modeled errors and
//! [`Unhandled`] for everything else the service answered. Every generated operation error
//! implements [`ProvideErrorMetadata`], which also classifies it for retries.
//!
//! Every error type of this crate and of the generated crates follows one rule (the Rust
//! API guidelines'): **`Display` describes this level alone, and `source()` returns the
//! level below**, whose text `Display` does not repeat. Enums that only wrap another error
//! ([`Error`] for the variant it holds, [`InvalidInput`], the generated `<Op>Error`) are
//! transparent: they show the wrapped error's text (plus, for [`Error`], the HTTP status and
//! request id) and return *its* `source()`. So `err.to_string()` is one line about what
//! failed; the cause is down the chain. Print the whole chain with [`DisplayErrorContext`],
//! `anyhow`'s `{:#}`, or a loop over `source()`:
//!
//! ```text
//! connection failed: http://127.0.0.1:5055 (3 attempts): error sending request: client error (Connect): tcp connect error: Connection refused (os error 111)
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::http::HttpResponse;
use crate::retry::RetryKind;

/// A boxed error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The error code and message of an error the service returned, and its retry class.
///
/// Implemented by [`Unhandled`] and by every generated operation error enum.
pub trait ProvideErrorMetadata {
    /// The error code (`NotFoundException`), when the service sent one.
    fn code(&self) -> Option<&str>;

    /// The human-readable message, when the service sent one.
    fn message(&self) -> Option<&str>;

    /// Whether the error is worth retrying, and why. The default classifies by
    /// [`code`](Self::code) with the AWS standard lists of throttling and transient codes;
    /// the HTTP status is consulted by the orchestrator when this returns `None`.
    fn retry_kind(&self) -> Option<RetryKind> {
        self.code().and_then(crate::retry::classify_code)
    }
}

/// An error response that matched none of the operation's modeled errors, or whose body did
/// not parse as the modeled error its code names ([`source`](std::error::Error::source) is
/// then that parse error).
///
/// Opaque: read it through [`status`](Self::status), [`code`](Self::code),
/// [`message`](Self::message), [`request_id`](Self::request_id) and [`body`](Self::body)
/// (or [`ProvideErrorMetadata`]); only the runtime and generated code make one, so a future
/// version can add what it keeps, or turn an unhandled code into a modeled error, without
/// breaking your code. Match on the error code rather than on `Unhandled`.
#[derive(Clone, PartialEq)]
pub struct Unhandled {
    status: u16,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    body: bytes::Bytes,
    source: Option<crate::wire::ResponseError>,
}

impl Unhandled {
    /// An unmodeled error response. Used by generated code only.
    #[doc(hidden)]
    pub fn new(
        status: u16,
        code: Option<String>,
        message: Option<String>,
        request_id: Option<String>,
        body: bytes::Bytes,
    ) -> Unhandled {
        Unhandled {
            status,
            code,
            message,
            request_id,
            body,
            source: None,
        }
    }

    /// The error response's body did not parse as the modeled error its code names: keeps
    /// why. Used by generated code only.
    #[doc(hidden)]
    pub fn with_parse_error(mut self, error: Option<crate::wire::ResponseError>) -> Unhandled {
        self.source = error;
        self
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The error code (`X-Amzn-ErrorType`, `code` or `__type`), if one was found.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message, if one was found.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The AWS request id, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The raw response body.
    pub fn body(&self) -> &bytes::Bytes {
        &self.body
    }

    /// Why the body did not parse as the modeled error its code names, if that happened.
    pub fn parse_error(&self) -> Option<&crate::wire::ResponseError> {
        self.source.as_ref()
    }
}

impl fmt::Debug for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unhandled")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("parse_error", &self.source)
            .finish()
    }
}

/// `CODE: MESSAGE`, or, with neither, what the status and the start of the body say.
fn describe_service_error(
    f: &mut fmt::Formatter<'_>,
    code: Option<&str>,
    message: Option<&str>,
    status: u16,
    body: &[u8],
) -> fmt::Result {
    match (code, message) {
        (Some(code), Some(message)) => write!(f, "{code}: {message}")?,
        (Some(code), None) => write!(f, "{code} (no message)")?,
        (None, Some(message)) => {
            write!(f, "the service returned an error with no code: {message}")?
        }
        (None, None) => {
            write!(f, "the service returned an error with no code or message")?;
            let excerpt = body_excerpt(body);
            if excerpt.is_empty() {
                write!(f, " and an empty body")?;
            } else {
                write!(f, "; the body starts with {excerpt:?}")?;
            }
        }
    }
    write!(f, " (HTTP {status}")
}

/// The first 120 characters of a body, whitespace runs folded, for messages.
fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]);
    let folded: Vec<&str> = text.split_whitespace().collect();
    let folded = folded.join(" ");
    let mut excerpt: String = folded.chars().take(120).collect();
    if excerpt.len() < folded.len() {
        excerpt.push_str("...");
    }
    excerpt
}

impl fmt::Display for Unhandled {
    /// `CODE: MESSAGE (HTTP STATUS)`, naming what is missing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe_service_error(
            f,
            self.code.as_deref(),
            self.message.as_deref(),
            self.status,
            &self.body,
        )?;
        write!(f, ")")
    }
}

impl std::error::Error for Unhandled {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

/// Shows an error and every error below it, `: `-separated, on one line:
/// `eprintln!("{}", DisplayErrorContext(&err))`.
pub struct DisplayErrorContext<E>(pub E);

impl<E: std::error::Error> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}

impl<E: std::error::Error> fmt::Debug for DisplayErrorContext<E> {
    /// The same as `Display` (so `fn main() -> Result<(), DisplayErrorContext<_>>` prints
    /// the chain), followed by the `Debug` form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self} ({:?})", self.0)
    }
}

/// Why a request was never sent: the input broke a constraint, or could not be serialized.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvalidInput {
    /// A constraint of the model (`@required`, `@length`, `@range`, `@pattern`, ...) failed.
    Constraint(crate::validate::ValidationError),
    /// The request could not be built from the input (an empty label, say).
    Serialize(crate::wire::SerializeError),
    /// The input builder lacks a member the input cannot do without.
    Build(crate::build_error::BuildError),
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidInput::Constraint(e) => write!(f, "{e}"),
            InvalidInput::Serialize(e) => write!(f, "{e}"),
            InvalidInput::Build(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for InvalidInput {
    /// Transparent: the wrapped error's source (none of them has one).
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InvalidInput::Constraint(e) => e.source(),
            InvalidInput::Serialize(e) => e.source(),
            InvalidInput::Build(e) => e.source(),
        }
    }
}

/// Credentials could not be had, or the request could not be signed with them.
#[derive(Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
}

#[derive(Debug)]
enum CredentialsErrorKind {
    NotConfigured,
    Provider(aws_credential_types::provider::error::CredentialsError),
    Signing(BoxError),
    /// None of the operation's auth schemes has an identity in the configuration.
    NoScheme(String),
    Token(crate::auth::TokenError),
}

impl CredentialsError {
    /// No credentials provider is configured.
    pub fn not_configured() -> CredentialsError {
        CredentialsError {
            kind: CredentialsErrorKind::NotConfigured,
        }
    }

    /// The credentials provider failed.
    pub fn provider(source: aws_credential_types::provider::error::CredentialsError) -> Self {
        CredentialsError {
            kind: CredentialsErrorKind::Provider(source),
        }
    }

    /// None of the operation's auth schemes (`schemes`, in order) can be used with the
    /// configuration.
    pub fn no_usable_scheme(schemes: &[crate::auth::AuthScheme]) -> CredentialsError {
        // SigV4 alone (most operations): the plain "no credentials" error.
        if schemes == [crate::auth::AuthScheme::SigV4] {
            return CredentialsError::not_configured();
        }
        let needs: Vec<String> = schemes
            .iter()
            .map(|scheme| match scheme {
                crate::auth::AuthScheme::SigV4 => {
                    "aws.auth#sigv4 needs credentials (AWS_ACCESS_KEY_ID and \
                     AWS_SECRET_ACCESS_KEY, a profile with static keys, or a credentials \
                     provider in the config)"
                        .to_owned()
                }
                crate::auth::AuthScheme::HttpBearer => {
                    "smithy.api#httpBearerAuth needs a token provider in the config".to_owned()
                }
                crate::auth::AuthScheme::NoAuth => "smithy.api#noAuth".to_owned(),
            })
            .collect();
        CredentialsError {
            kind: CredentialsErrorKind::NoScheme(if needs.is_empty() {
                "the operation has no auth scheme".to_owned()
            } else {
                needs.join("; ")
            }),
        }
    }

    /// The token provider failed.
    pub fn token(source: crate::auth::TokenError) -> CredentialsError {
        CredentialsError {
            kind: CredentialsErrorKind::Token(source),
        }
    }

    /// Signing the request failed.
    pub fn signing(source: impl Into<BoxError>) -> CredentialsError {
        CredentialsError {
            kind: CredentialsErrorKind::Signing(source.into()),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            CredentialsErrorKind::NotConfigured => write!(
                f,
                "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile with \
                 static keys, or a credentials provider in the config"
            ),
            CredentialsErrorKind::Provider(_) => {
                write!(f, "the credentials provider failed; nothing was sent")
            }
            CredentialsErrorKind::Signing(_) => {
                write!(f, "signing the request failed; nothing was sent")
            }
            CredentialsErrorKind::NoScheme(needs) => {
                write!(f, "no usable auth scheme; nothing was sent: {needs}")
            }
            CredentialsErrorKind::Token(_) => {
                write!(f, "the token provider failed; nothing was sent")
            }
        }
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            CredentialsErrorKind::NotConfigured => None,
            CredentialsErrorKind::Provider(e) => Some(e),
            CredentialsErrorKind::Signing(e) => Some(e.as_ref()),
            CredentialsErrorKind::NoScheme(_) => None,
            CredentialsErrorKind::Token(e) => Some(e),
        }
    }
}

/// The endpoint could not be resolved: from the configuration (the same error for every call
/// of an operation without endpoint parameters of its own, resolved once per client), or from
/// the configuration and one call's input.
#[derive(Debug, Clone)]
pub struct EndpointError {
    source: Arc<crate::endpoint::ResolveError>,
}

impl EndpointError {
    /// Wraps the resolver's error.
    pub fn new(source: Arc<crate::endpoint::ResolveError>) -> EndpointError {
        EndpointError { source }
    }

    /// The resolver's error.
    pub fn resolve_error(&self) -> &crate::endpoint::ResolveError {
        &self.source
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "endpoint resolution failed; nothing was sent")
    }
}

impl std::error::Error for EndpointError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The host name did not resolve.
    Dns,
    /// No connection could be made (refused, unreachable, TLS handshake failed).
    Connect,
    /// The connection failed while the request or response was in flight (reset, closed).
    Io,
    /// Any other failure of the HTTP client.
    Other,
}

/// The request could not be sent, or its response could not be received.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: BoxError,
    /// `scheme://host[:port]` of the request, set by the orchestrator.
    endpoint: Option<String>,
    /// How many attempts were made, set by the orchestrator.
    attempts: Option<u32>,
}

impl TransportError {
    /// A transport failure of a kind.
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> TransportError {
        TransportError {
            kind,
            source: source.into(),
            endpoint: None,
            attempts: None,
        }
    }

    /// What failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The endpoint (`https://apigateway.us-east-1.amazonaws.com`) the request went to.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> Option<u32> {
        self.attempts
    }

    /// Records where the request went and how many attempts were made.
    #[doc(hidden)]
    pub fn with_context(mut self, endpoint: Option<String>, attempts: u32) -> TransportError {
        if endpoint.is_some() {
            self.endpoint = endpoint;
        }
        self.attempts = Some(attempts);
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Dns => "DNS lookup failed",
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Io => "connection error",
            TransportErrorKind::Other => "HTTP client error",
        };
        // The cause (refused, reset, ...) is the source chain's (hyper, rustls, io).
        f.write_str(what)?;
        match (&self.endpoint, self.attempts) {
            (Some(endpoint), Some(n)) => write!(f, ": {endpoint} ({n} attempt{})", plural(n)),
            (Some(endpoint), None) => write!(f, ": {endpoint}"),
            (None, Some(n)) => write!(f, " ({n} attempt{})", plural(n)),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Which limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection (`TimeoutConfig::connect`).
    Connect,
    /// One attempt: sending the request and reading the whole response
    /// (`TimeoutConfig::attempt`).
    Attempt,
    /// The whole operation, retries and backoff included (`TimeoutConfig::operation`).
    Operation,
}

/// A configured timeout ran out.
#[derive(Debug, Clone)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Option<Duration>,
}

impl TimeoutError {
    /// A timeout of a kind; `limit` is the configured duration when known.
    pub fn new(kind: TimeoutKind, limit: Option<Duration>) -> TimeoutError {
        TimeoutError { kind, limit }
    }

    /// Which timeout ran out.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured limit.
    pub fn limit(&self) -> Option<Duration> {
        self.limit
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connecting",
            TimeoutKind::Attempt => "the request attempt",
            TimeoutKind::Operation => "the operation",
        };
        match self.limit {
            Some(limit) => write!(f, "{what} timed out after {limit:?}"),
            None => write!(f, "{what} timed out"),
        }
    }
}

impl std::error::Error for TimeoutError {}

/// Why a response could not be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvalidResponseKind {
    /// The body did not parse as the operation's output.
    Unparseable(crate::wire::ResponseError),
    /// The body is larger than `Config::max_response_body`; reading stopped there.
    TooLarge {
        /// The configured cap, in bytes.
        limit: u64,
    },
}

/// A response came back but could not be used.
#[derive(Debug)]
pub struct InvalidResponse {
    // Boxed: keeps `Error<E>` small.
    inner: Box<InvalidResponseInner>,
}

#[derive(Debug)]
struct InvalidResponseInner {
    kind: InvalidResponseKind,
    status: u16,
    request_id: Option<String>,
    raw: Option<HttpResponse>,
}

impl InvalidResponse {
    /// A successful response whose body did not parse.
    pub fn unparseable(source: crate::wire::ResponseError, raw: HttpResponse) -> Self {
        InvalidResponse {
            inner: Box::new(InvalidResponseInner {
                kind: InvalidResponseKind::Unparseable(source),
                status: raw.status,
                request_id: raw.request_id().map(str::to_owned),
                raw: Some(raw),
            }),
        }
    }

    /// A response whose body exceeded the cap.
    pub fn too_large(limit: u64, status: u16, request_id: Option<String>) -> InvalidResponse {
        InvalidResponse {
            inner: Box::new(InvalidResponseInner {
                kind: InvalidResponseKind::TooLarge { limit },
                status,
                request_id,
                raw: None,
            }),
        }
    }

    /// Why the response could not be used.
    pub fn kind(&self) -> &InvalidResponseKind {
        &self.inner.kind
    }

    /// The response's HTTP status.
    pub fn status(&self) -> u16 {
        self.inner.status
    }

    /// The response's request id.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The response, when it was read whole.
    pub fn raw(&self) -> Option<&HttpResponse> {
        self.inner.raw.as_ref()
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.kind {
            InvalidResponseKind::Unparseable(_) => write!(
                f,
                "the HTTP {} response could not be read as the operation's output",
                self.inner.status
            )?,
            InvalidResponseKind::TooLarge { limit } => write!(
                f,
                "the HTTP {} response body is larger than the {limit}-byte limit",
                self.inner.status
            )?,
        }
        if let Some(id) = &self.inner.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidResponse {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.kind {
            InvalidResponseKind::Unparseable(e) => Some(e),
            InvalidResponseKind::TooLarge { .. } => None,
        }
    }
}

/// An error the service returned: the operation's error value and the raw response.
#[derive(Debug)]
pub struct ServiceError<E> {
    // Boxed: keeps `Error<E>` small however large `E` and the response are.
    inner: Box<(E, HttpResponse)>,
}

impl<E> ServiceError<E> {
    /// An error value and the response it came from.
    pub fn new(err: E, raw: HttpResponse) -> ServiceError<E> {
        ServiceError {
            inner: Box::new((err, raw)),
        }
    }

    /// The operation's error value.
    pub fn err(&self) -> &E {
        &self.inner.0
    }

    /// The operation's error value, by value.
    pub fn into_err(self) -> E {
        self.inner.0
    }

    /// The response.
    pub fn raw(&self) -> &HttpResponse {
        &self.inner.1
    }

    /// The response's HTTP status.
    pub fn status(&self) -> u16 {
        self.inner.1.status
    }

    /// The response's request id.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.1.request_id()
    }
}

/// Why an operation call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The input is invalid; nothing was sent.
    Validation(InvalidInput),
    /// The configuration is unusable (no region, a region that is not a region name, an
    /// endpoint URL without `http://` or `https://`); nothing was sent.
    Config(crate::config::ConfigError),
    /// Credentials could not be loaded, or signing failed; nothing was sent.
    Credentials(CredentialsError),
    /// The endpoint could not be resolved from the configuration; nothing was sent.
    Endpoint(EndpointError),
    /// Connecting, DNS or I/O failed (after the configured retries).
    Transport(TransportError),
    /// A configured timeout ran out.
    Timeout(TimeoutError),
    /// A response came back but could not be used (unparseable, or too large).
    Response(InvalidResponse),
    /// The service returned an error: one of the operation's modeled errors, or
    /// `Unhandled`.
    Service(ServiceError<E>),
    /// A paginator stopped: the service sent back the token it was just given.
    Pagination(crate::paginate::PaginationError),
}

impl<E> Error<E> {
    /// The service's error, when the service returned one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Error::Service(e) => Some(e.err()),
            _ => None,
        }
    }

    /// The service's error by value, or the error itself when it is not a service error.
    pub fn into_service_error(self) -> Result<E, Error<E>> {
        match self {
            Error::Service(e) => Ok(e.into_err()),
            other => Err(other),
        }
    }

    /// The HTTP status, when a response came back.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status()),
            Error::Response(e) => Some(e.status()),
            _ => None,
        }
    }

    /// The AWS request id, when a response came back with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id(),
            Error::Response(e) => e.request_id(),
            _ => None,
        }
    }

    /// The response, when one came back and was read whole.
    pub fn raw_response(&self) -> Option<&HttpResponse> {
        match self {
            Error::Service(e) => Some(e.raw()),
            Error::Response(e) => e.raw(),
            _ => None,
        }
    }

    /// Whether a timeout ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// A short name of the variant (`ValidationError`, `TimeoutError`, ...), usable as an
    /// error code where the service sent none.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::Validation(_) => "ValidationError",
            Error::Config(_) => "ConfigError",
            Error::Credentials(_) => "CredentialsError",
            Error::Endpoint(_) => "EndpointError",
            Error::Transport(_) => "TransportError",
            Error::Timeout(_) => "TimeoutError",
            Error::Response(_) => "ResponseError",
            Error::Service(_) => "ServiceError",
            Error::Pagination(_) => "PaginationError",
        }
    }
}

impl<E: ProvideErrorMetadata> ProvideErrorMetadata for Error<E> {
    /// The service's error code (only service errors have one).
    fn code(&self) -> Option<&str> {
        self.as_service_error().and_then(|e| e.code())
    }

    /// The service's error message (only service errors have one).
    fn message(&self) -> Option<&str> {
        self.as_service_error().and_then(|e| e.message())
    }
}

impl<E: ProvideErrorMetadata> fmt::Display for Error<E> {
    /// Transparent: the text of the error the variant holds (for validation, with "nothing
    /// was sent"; for a service error, its code and message with the HTTP status and
    /// request id). The cause is [`source`](std::error::Error::source)'s.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => write!(f, "{e} (nothing was sent)"),
            Error::Config(e) => write!(f, "{e} (nothing was sent)"),
            Error::Credentials(e) => write!(f, "{e}"),
            Error::Endpoint(e) => write!(f, "{e}"),
            Error::Transport(e) => write!(f, "{e}"),
            Error::Timeout(e) => write!(f, "{e}"),
            Error::Response(e) => write!(f, "{e}"),
            Error::Service(e) => {
                describe_service_error(
                    f,
                    e.err().code(),
                    e.err().message(),
                    e.status(),
                    &e.raw().body,
                )?;
                if let Some(id) = e.request_id() {
                    write!(f, ", request id {id}")?;
                }
                write!(f, ")")
            }
            Error::Pagination(e) => write!(f, "{e}"),
        }
    }
}

impl<E> std::error::Error for Error<E>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    /// Transparent: the source of the error the variant holds.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(e) => e.source(),
            Error::Config(e) => e.source(),
            Error::Credentials(e) => e.source(),
            Error::Endpoint(e) => e.source(),
            Error::Transport(e) => e.source(),
            Error::Timeout(e) => e.source(),
            Error::Response(e) => e.source(),
            Error::Service(e) => e.err().source(),
            Error::Pagination(e) => e.source(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, request_id: Option<&str>) -> HttpResponse {
        let mut headers = http::HeaderMap::new();
        if let Some(id) = request_id {
            headers.insert("x-amzn-requestid", id.parse().unwrap());
        }
        HttpResponse {
            status,
            headers,
            body: bytes::Bytes::new(),
        }
    }

    #[test]
    fn service_error_display_names_code_message_status_and_request_id() {
        let unhandled = Unhandled::new(
            404,
            Some("NotFoundException".into()),
            Some("Invalid stage identifier specified".into()),
            Some("abc-123".into()),
            bytes::Bytes::from_static(b"{}"),
        );
        let err: Error<Unhandled> =
            Error::Service(ServiceError::new(unhandled, response(404, Some("abc-123"))));
        assert_eq!(
            err.to_string(),
            "NotFoundException: Invalid stage identifier specified (HTTP 404, request id abc-123)"
        );
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.request_id(), Some("abc-123"));
        assert_eq!(err.code(), Some("NotFoundException"));
        assert_eq!(err.as_service_error().unwrap().status(), 404);
    }

    #[test]
    fn service_error_without_code_or_message_says_so() {
        let unhandled = Unhandled::new(500, None, None, None, bytes::Bytes::new());
        let err: Error<Unhandled> =
            Error::Service(ServiceError::new(unhandled, response(500, None)));
        let text = err.to_string();
        assert_eq!(
            text,
            "the service returned an error with no code or message and an empty body (HTTP 500)"
        );
        assert!(err.code().is_none());

        // With a body: an excerpt of it, whitespace folded, cut at 120 characters.
        let body = format!(
            "<html>\n  <body>Not   Found</body>{}</html>",
            "x".repeat(200)
        );
        let mut raw = response(404, Some("r-1"));
        raw.body = bytes::Bytes::from(body.clone());
        let unhandled = Unhandled::new(404, None, None, None, bytes::Bytes::from(body));
        let err: Error<Unhandled> = Error::Service(ServiceError::new(unhandled, raw));
        let text = err.to_string();
        assert!(
            text.starts_with(
                "the service returned an error with no code or message; the body starts with \
                 \"<html> <body>Not Found</body>xxx"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("xxx...\" (HTTP 404, request id r-1)"),
            "{text}"
        );
    }

    #[test]
    fn unhandled_classifies_retries_by_code() {
        let throttled = Unhandled::new(
            400,
            Some("ThrottlingException".into()),
            None,
            None,
            bytes::Bytes::new(),
        );
        assert_eq!(throttled.retry_kind(), Some(RetryKind::Throttling));
        let missing = Unhandled::new(
            404,
            Some("NotFoundException".into()),
            None,
            None,
            bytes::Bytes::new(),
        );
        assert_eq!(missing.retry_kind(), None);
    }

    #[test]
    fn timeout_and_transport_display() {
        let err: Error<Unhandled> = Error::Timeout(TimeoutError::new(
            TimeoutKind::Attempt,
            Some(Duration::from_millis(250)),
        ));
        assert_eq!(err.to_string(), "the request attempt timed out after 250ms");
        assert!(err.is_timeout());
        let io = std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset by peer",
        );
        let err: Error<Unhandled> =
            Error::Transport(TransportError::new(TransportErrorKind::Io, io));
        assert_eq!(err.to_string(), "connection error");
        assert_eq!(err.status(), None);
        assert_eq!(
            DisplayErrorContext(&err).to_string(),
            "connection error: connection reset by peer"
        );
        let Error::Transport(t) = err else { panic!() };
        let t = t.with_context(Some("http://127.0.0.1:5055".into()), 3);
        assert_eq!(
            DisplayErrorContext(&t).to_string(),
            "connection error: http://127.0.0.1:5055 (3 attempts): connection reset by peer"
        );
    }

    #[test]
    fn error_stays_small() {
        // Boxed payloads keep `Result<_, Error<E>>` cheap to move (and under clippy's
        // `result_large_err` threshold) whatever the operation's error type.
        assert!(
            std::mem::size_of::<Error<Unhandled>>() <= 128,
            "{}",
            std::mem::size_of::<Error<Unhandled>>()
        );
        assert!(std::mem::size_of::<Error<[u8; 4096]>>() <= 128);
    }

    #[test]
    fn too_large_display() {
        let err: Error<Unhandled> =
            Error::Response(InvalidResponse::too_large(1024, 200, Some("r1".into())));
        assert_eq!(
            err.to_string(),
            "the HTTP 200 response body is larger than the 1024-byte limit (request id r1)"
        );
    }
}
