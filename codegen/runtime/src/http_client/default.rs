//! The default [`HttpClient`]: hyper-util's pooled client over hyper-rustls.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::legacy::Client;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tower_service::Service;

use super::*;
use crate::error::{TimeoutKind, TransportErrorKind};

type BoxError = Box<dyn StdError + Send + Sync>;
type RequestBody = http_body_util::combinators::UnsyncBoxBody<Bytes, BoxError>;
type Connector = TimeoutConnector<hyper_rustls::HttpsConnector<ProxyConnector>>;

/// The default [`HttpClient`]: hyper-util's pooled client over rustls (ring, the
/// webpki-roots trust anchors plus any [added](DefaultHttpClientBuilder::add_root_certificate)),
/// HTTP/1.1 with keep-alive, one connection pool shared by clones. With the `http2` feature
/// (which crates whose operations need HTTP/2 turn on) it also speaks HTTP/2 when the server
/// offers it (ALPN), and an exchange that requires HTTP/2 ([`SendOptions::http2_only`]:
/// event streams that go both ways, or of a service that wants `h2`) goes through a second
/// pool that speaks only HTTP/2: ALPN `h2` over TLS, prior knowledge (h2c) for `http://`;
/// without the feature such an exchange fails before anything is sent. Honours `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`
/// (read when it is built; `http://` proxies, tunnelling `https` requests with `CONNECT`);
/// follows no redirects.
#[derive(Clone)]
pub struct DefaultHttpClient {
    client: Client<Connector, RequestBody>,
    /// HTTP/2 only, for [`SendOptions::http2_only`].
    #[cfg(feature = "http2")]
    http2: Client<Connector, RequestBody>,
    proxies: Arc<Matcher>,
    connect_timeout: Option<Duration>,
}

/// The former name of [`DefaultHttpClient`] (it no longer uses reqwest).
#[deprecated(note = "renamed `DefaultHttpClient`: the default client is hyper + rustls now")]
pub type ReqwestHttpClient = DefaultHttpClient;

impl fmt::Debug for DefaultHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the proxies: their URLs may hold credentials.
        f.debug_struct("DefaultHttpClient")
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

/// Builds a [`DefaultHttpClient`].
#[derive(Debug, Clone)]
pub struct DefaultHttpClientBuilder {
    connect_timeout: Option<Duration>,
    root_certificates: Vec<Vec<u8>>,
    proxies_from_env: bool,
}

impl Default for DefaultHttpClientBuilder {
    fn default() -> Self {
        DefaultHttpClientBuilder {
            connect_timeout: None,
            root_certificates: Vec::new(),
            proxies_from_env: true,
        }
    }
}

impl DefaultHttpClientBuilder {
    /// How long to wait for a connection (TCP, proxy tunnel and TLS) to be established.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Trusts the certificate authorities in `certificate` as well as the webpki-roots
    /// ones: PEM (one or more `CERTIFICATE` blocks) or a single DER certificate. Checked
    /// by [`build`](Self::build).
    pub fn add_root_certificate(mut self, certificate: impl AsRef<[u8]>) -> Self {
        self.root_certificates.push(certificate.as_ref().to_vec());
        self
    }

    /// Whether to read the proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
    /// `NO_PROXY`) when built (default: yes).
    pub fn proxies_from_env(mut self, enabled: bool) -> Self {
        self.proxies_from_env = enabled;
        self
    }

    /// Builds the client; fails when a root certificate is not one.
    pub fn build(self) -> Result<DefaultHttpClient, HttpClientBuildError> {
        let mut roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for (i, certificate) in self.root_certificates.iter().enumerate() {
            let invalid = |reason: String| {
                HttpClientBuildError(format!("root certificate #{}: {reason}", i + 1))
            };
            let ders: Vec<CertificateDer<'static>> =
                if certificate.windows(10).any(|w| w == b"-----BEGIN") {
                    CertificateDer::pem_slice_iter(certificate)
                        .collect::<Result<_, _>>()
                        .map_err(|e| invalid(format!("invalid PEM: {e}")))?
                } else {
                    vec![CertificateDer::from(certificate.clone())]
                };
            if ders.is_empty() {
                return Err(invalid("no CERTIFICATE in the PEM".into()));
            }
            for der in ders {
                roots.add(der).map_err(|e| invalid(e.to_string()))?;
            }
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| HttpClientBuildError(format!("TLS configuration: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();

        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_keepalive(Some(Duration::from_secs(60)));
        let proxies = Arc::new(if self.proxies_from_env {
            Matcher::from_env()
        } else {
            Matcher::builder().build()
        });
        let proxy = ProxyConnector {
            http,
            proxies: proxies.clone(),
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls.clone())
            .https_or_http()
            .enable_http1();
        #[cfg(feature = "http2")]
        let https = https.enable_http2();
        let https = https.wrap_connector(proxy.clone());
        // ALPN offers only `h2`.
        #[cfg(feature = "http2")]
        let https_h2 = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http2()
            .wrap_connector(proxy);
        let pool = |inner, http2_only: bool| {
            let mut builder = Client::builder(TokioExecutor::new());
            builder
                .pool_idle_timeout(Duration::from_secs(90))
                .pool_timer(TokioTimer::new())
                .timer(TokioTimer::new());
            #[cfg(feature = "http2")]
            builder.http2_only(http2_only);
            #[cfg(not(feature = "http2"))]
            let _ = http2_only;
            builder.build(TimeoutConnector {
                inner,
                timeout: self.connect_timeout,
            })
        };
        Ok(DefaultHttpClient {
            client: pool(https, false),
            #[cfg(feature = "http2")]
            http2: pool(https_h2, true),
            proxies,
            connect_timeout: self.connect_timeout,
        })
    }
}

/// The default HTTP client could not be built (a root certificate is not one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpClientBuildError(String);

impl fmt::Display for HttpClientBuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for HttpClientBuildError {}

impl DefaultHttpClient {
    /// A builder (for extra root certificates, a connect timeout, ignoring proxies).
    pub fn builder() -> DefaultHttpClientBuilder {
        DefaultHttpClientBuilder::default()
    }

    /// Builds a client with `settings`.
    pub fn new(settings: &HttpClientSettings) -> Result<DefaultHttpClient, HttpClientBuildError> {
        let mut builder = DefaultHttpClient::builder();
        if let Some(timeout) = settings.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        builder.build()
    }

    fn map_error(&self, error: hyper_util::client::legacy::Error) -> HttpClientError {
        if chain_has::<ConnectTimedOut>(&error) {
            return HttpClientError::Timeout(TimeoutError::new(
                TimeoutKind::Connect,
                self.connect_timeout,
            ));
        }
        let kind = if error.is_connect() {
            if chain_mentions(&error, "dns error") {
                TransportErrorKind::Dns
            } else {
                TransportErrorKind::Connect
            }
        } else {
            TransportErrorKind::Io
        };
        HttpClientError::Transport(TransportError::new(kind, error))
    }

    async fn execute(
        &self,
        http2_only: bool,
        method: http::Method,
        uri: &str,
        mut headers: http::HeaderMap,
        body: RequestBody,
    ) -> Result<http::Response<Incoming>, HttpClientError> {
        let invalid = |reason: &dyn fmt::Display| {
            HttpClientError::Transport(TransportError::new(
                TransportErrorKind::Other,
                format!("invalid request URL `{uri}`: {reason}"),
            ))
        };
        let parsed: http::Uri = uri.parse().map_err(|e| invalid(&e))?;
        if !matches!(parsed.scheme_str(), Some("http" | "https")) || parsed.host().is_none() {
            return Err(invalid(&"not an absolute http:// or https:// URL"));
        }
        if parsed.scheme_str() == Some("http") {
            // Sent to the proxy itself (an `https` request's go in the CONNECT).
            if let Some(auth) = self
                .proxies
                .intercept(&parsed)
                .and_then(|i| i.basic_auth().cloned())
            {
                headers
                    .entry(http::header::PROXY_AUTHORIZATION)
                    .or_insert(auth);
            }
        }
        let mut request = http::Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = parsed;
        *request.headers_mut() = headers;
        #[cfg(feature = "http2")]
        let client = if http2_only {
            &self.http2
        } else {
            &self.client
        };
        #[cfg(not(feature = "http2"))]
        let client = if http2_only {
            return Err(HttpClientError::Transport(TransportError::new(
                TransportErrorKind::Other,
                "this exchange needs HTTP/2, which the runtime was built without (its `http2` feature)",
            )));
        } else {
            &self.client
        };
        client.request(request).await.map_err(|e| self.map_error(e))
    }
}

fn io_error(error: hyper::Error) -> HttpClientError {
    HttpClientError::Transport(TransportError::new(TransportErrorKind::Io, error))
}

fn empty_body() -> RequestBody {
    http_body_util::Empty::new()
        .map_err(|never| match never {})
        .boxed_unsync()
}

fn full_body(bytes: Bytes) -> RequestBody {
    http_body_util::Full::new(bytes)
        .map_err(|never| match never {})
        .boxed_unsync()
}

fn chain_has<E: StdError + 'static>(error: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<E>() {
            return true;
        }
        current = e.source();
    }
    false
}

fn chain_mentions(error: &(dyn StdError + 'static), needle: &str) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.to_string().to_ascii_lowercase().contains(needle) {
            return true;
        }
        current = e.source();
    }
    false
}

impl HttpClient for DefaultHttpClient {
    fn send(
        &self,
        request: HttpRequest,
        options: SendOptions,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>> {
        Box::pin(async move {
            let body = if request.body.is_empty() {
                empty_body()
            } else {
                full_body(request.body)
            };
            let response = self
                .execute(
                    options.http2_only,
                    request.method,
                    &request.uri,
                    request.headers,
                    body,
                )
                .await?;
            let (parts, mut incoming) = response.into_parts();
            let status = parts.status.as_u16();
            let headers = parts.headers;
            let limit = options.max_response_body;
            let too_large = |headers: &http::HeaderMap| {
                let request_id = headers
                    .get("x-amzn-requestid")
                    .or_else(|| headers.get("x-amz-request-id"))
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                HttpClientError::TooLarge(InvalidResponse::too_large(limit, status, request_id))
            };
            let length = http_body::Body::size_hint(&incoming).exact();
            let mut body = CappedBody::new(length, limit).map_err(|_| too_large(&headers))?;
            while let Some(frame) = incoming.frame().await {
                if let Ok(chunk) = frame.map_err(io_error)?.into_data() {
                    body.push(chunk).map_err(|_| too_large(&headers))?;
                }
            }
            Ok(HttpResponse {
                status,
                headers,
                body: body.finish(),
            })
        })
    }

    fn send_streaming(
        &self,
        request: HttpRequest,
        body: ByteStream,
        options: SendOptions,
    ) -> BoxFuture<'_, Result<StreamingHttpResponse, HttpClientError>> {
        Box::pin(async move {
            let body = match body.bytes() {
                Some(bytes) if bytes.is_empty() => empty_body(),
                Some(bytes) => full_body(bytes.clone()),
                // The body's exact size hint (files, streams given a length) becomes the
                // `Content-Length`; otherwise it is sent chunked.
                None => body.map_err(BoxError::from).boxed_unsync(),
            };
            let response = self
                .execute(
                    options.http2_only,
                    request.method,
                    &request.uri,
                    request.headers,
                    body,
                )
                .await?;
            let (parts, incoming) = response.into_parts();
            let length = http_body::Body::size_hint(&incoming).exact();
            let mut body = ByteStream::from_stream(http_body_util::BodyDataStream::new(incoming))
                .with_limit(options.max_response_body);
            if let Some(length) = length {
                body = body.with_length(length);
            }
            Ok(StreamingHttpResponse {
                status: parts.status.as_u16(),
                headers: parts.headers,
                body,
            })
        })
    }
}

/// Connects directly, or through the proxy the environment names for the destination:
/// a `CONNECT` tunnel for `https` (TLS then runs inside it), the proxy itself for `http`
/// (the request then goes in absolute form).
#[derive(Clone)]
struct ProxyConnector {
    http: HttpConnector,
    proxies: Arc<Matcher>,
}

type ConnectFuture<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

impl Service<http::Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = ConnectFuture<ProxyStream>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let mut http = self.http.clone();
        let intercept = self.proxies.intercept(&dst);
        Box::pin(async move {
            let Some(intercept) = intercept else {
                let io = http.call(dst).await?;
                return Ok(ProxyStream { io, proxied: false });
            };
            let proxy = intercept.uri().clone();
            if proxy.scheme_str() != Some("http") {
                return Err(format!(
                    "unsupported proxy scheme `{}` (only http:// proxies are supported)",
                    proxy.scheme_str().unwrap_or("")
                )
                .into());
            }
            if dst.scheme_str() == Some("https") {
                let mut tunnel = Tunnel::new(proxy, http);
                if let Some(auth) = intercept.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let io = tunnel.call(dst).await?;
                Ok(ProxyStream { io, proxied: false })
            } else {
                let io = http.call(proxy).await?;
                Ok(ProxyStream { io, proxied: true })
            }
        })
    }
}

/// A TCP connection, to the destination or to a proxy.
struct ProxyStream {
    io: TokioIo<tokio::net::TcpStream>,
    /// Whether requests on it go to an HTTP proxy (in absolute form).
    proxied: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}

/// Bounds the whole connect (TCP, proxy tunnel, TLS handshake) by the connect timeout.
#[derive(Clone)]
struct TimeoutConnector<C> {
    inner: C,
    timeout: Option<Duration>,
}

/// The connect timeout ran out.
#[derive(Debug)]
struct ConnectTimedOut;

impl fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connect timed out")
    }
}

impl StdError for ConnectTimedOut {}

impl<C> Service<http::Uri> for TimeoutConnector<C>
where
    C: Service<http::Uri>,
    C::Error: Into<BoxError>,
    C::Future: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = ConnectFuture<C::Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let connecting = self.inner.call(dst);
        let timeout = self.timeout;
        Box::pin(async move {
            match timeout {
                Some(timeout) => match tokio::time::timeout(timeout, connecting).await {
                    Ok(result) => result.map_err(Into::into),
                    Err(_) => Err(Box::new(ConnectTimedOut) as BoxError),
                },
                None => connecting.await.map_err(Into::into),
            }
        })
    }
}
