//! The HTTP client behind a client: a small object-safe trait, the default hyper + rustls
//! implementation (feature `default-http-client`) and, with feature `test-util`, a client
//! that answers with canned responses.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::byte_stream::ByteStream;
use crate::error::{InvalidResponse, TimeoutError, TransportError};
use crate::http::{HttpRequest, HttpResponse, StreamingHttpResponse};

/// A boxed, sendable future (what [`HttpClient::send`] returns).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Limits a single exchange must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// The largest response body to read, in bytes. A longer body is not buffered:
    /// reading stops there and the exchange fails with [`HttpClientError::TooLarge`].
    pub max_response_body: u64,
    /// Whether the exchange must use HTTP/2 (an operation that streams events both ways, or
    /// whose service requires HTTP/2 for event streams): ALPN `h2` only over TLS, prior
    /// knowledge over `http://`. Otherwise HTTP/2 is used when the TLS server offers it.
    pub http2_only: bool,
}

impl SendOptions {
    /// Options with a response-body cap.
    pub fn new(max_response_body: u64) -> SendOptions {
        SendOptions {
            max_response_body,
            http2_only: false,
        }
    }

    /// The same options, requiring HTTP/2 or not.
    pub fn with_http2_only(mut self, http2_only: bool) -> SendOptions {
        self.http2_only = http2_only;
        self
    }
}

/// Why an exchange failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum HttpClientError {
    /// Connecting, DNS, or I/O failed.
    Transport(TransportError),
    /// A timeout inside the client ran out (the connect timeout).
    Timeout(TimeoutError),
    /// The response body is larger than [`SendOptions::max_response_body`].
    TooLarge(InvalidResponse),
}

impl fmt::Display for HttpClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpClientError::Transport(e) => write!(f, "{e}"),
            HttpClientError::Timeout(e) => write!(f, "{e}"),
            HttpClientError::TooLarge(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for HttpClientError {
    /// Transparent: the wrapped error's source.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HttpClientError::Transport(e) => e.source(),
            HttpClientError::Timeout(e) => e.source(),
            HttpClientError::TooLarge(e) => e.source(),
        }
    }
}

/// Sends one request and reads its whole response (up to the body cap).
///
/// Object-safe, so a client holds it as [`SharedHttpClient`]. Implementations share one
/// connection pool between every clone of the client that holds them.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the response with its body read, or why it failed.
    fn send(
        &self,
        request: HttpRequest,
        options: SendOptions,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>>;

    /// Sends `request` with `body` as its body (in place of `request.body`) and returns the
    /// response as soon as its head arrived, its body unread. Operations with a `@streaming`
    /// member use this.
    ///
    /// The default buffers: it reads `body` into memory, calls [`send`](Self::send) (so
    /// the response body is read under [`SendOptions::max_response_body`]) and hands the
    /// buffered body back as a stream. Clients that can stream override it, as
    /// [`DefaultHttpClient`](crate::http_client::DefaultHttpClient) does.
    fn send_streaming(
        &self,
        request: HttpRequest,
        body: ByteStream,
        options: SendOptions,
    ) -> BoxFuture<'_, Result<StreamingHttpResponse, HttpClientError>> {
        Box::pin(async move {
            let mut request = request;
            request.body = body.collect().await.map_err(|e| {
                HttpClientError::Transport(TransportError::new(
                    crate::error::TransportErrorKind::Other,
                    e,
                ))
            })?;
            let response = self.send(request, options).await?;
            Ok(StreamingHttpResponse {
                status: response.status,
                headers: response.headers,
                body: ByteStream::from(response.body).with_limit(options.max_response_body),
            })
        })
    }
}

/// A cheaply clonable, shared [`HttpClient`].
#[derive(Clone)]
pub struct SharedHttpClient(Arc<dyn HttpClient>);

impl SharedHttpClient {
    /// Shares `client`.
    pub fn new(client: impl HttpClient + 'static) -> SharedHttpClient {
        SharedHttpClient(Arc::new(client))
    }

    /// The shared client.
    pub fn client(&self) -> &dyn HttpClient {
        self.0.as_ref()
    }

    /// Whether both are the same client (and so share one connection pool).
    pub fn ptr_eq(&self, other: &SharedHttpClient) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for SharedHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl HttpClient for SharedHttpClient {
    fn send(
        &self,
        request: HttpRequest,
        options: SendOptions,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>> {
        self.0.send(request, options)
    }

    fn send_streaming(
        &self,
        request: HttpRequest,
        body: ByteStream,
        options: SendOptions,
    ) -> BoxFuture<'_, Result<StreamingHttpResponse, HttpClientError>> {
        self.0.send_streaming(request, body, options)
    }
}

/// Settings the default HTTP client is built with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpClientSettings {
    /// How long to wait for a connection (TCP and TLS) to be established.
    pub connect_timeout: Option<Duration>,
}

impl HttpClientSettings {
    /// Settings with a connect timeout.
    pub fn new(connect_timeout: Option<Duration>) -> HttpClientSettings {
        HttpClientSettings { connect_timeout }
    }
}

/// The client used when none is configured: [`DefaultHttpClient`] (hyper with rustls) when the
/// `default-http-client` feature is on, otherwise one that fails every request.
pub fn default_http_client(settings: &HttpClientSettings) -> SharedHttpClient {
    #[cfg(feature = "default-http-client")]
    {
        match DefaultHttpClient::new(settings) {
            Ok(client) => SharedHttpClient::new(client),
            Err(e) => SharedHttpClient::new(NoHttpClient(Some(e.to_string()))),
        }
    }
    #[cfg(not(feature = "default-http-client"))]
    {
        let _ = settings;
        SharedHttpClient::new(NoHttpClient(None))
    }
}

/// Fails every request: no HTTP client is available.
#[derive(Debug)]
struct NoHttpClient(Option<String>);

impl HttpClient for NoHttpClient {
    fn send(
        &self,
        _request: HttpRequest,
        _options: SendOptions,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>> {
        let message = match &self.0 {
            Some(reason) => format!("the default HTTP client could not be built: {reason}"),
            None => "no HTTP client configured: enable the `default-http-client` feature or set \
                     one with `Config::builder().http_client(..)`"
                .to_owned(),
        };
        Box::pin(async move {
            Err(HttpClientError::Transport(TransportError::new(
                crate::error::TransportErrorKind::Other,
                message,
            )))
        })
    }
}

/// A response body being read under a size cap: chunks are pushed as they arrive, and the
/// push that would take the body past the cap fails, so nothing past it is buffered.
#[derive(Debug)]
pub struct CappedBody {
    limit: u64,
    len: u64,
    first: Option<bytes::Bytes>,
    rest: Option<bytes::BytesMut>,
    capacity: usize,
}

/// The body is larger than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

impl CappedBody {
    /// Starts reading a body of `content_length` (when the response declared one) under a
    /// cap of `limit` bytes; a declared length above the cap fails at once.
    pub fn new(content_length: Option<u64>, limit: u64) -> Result<CappedBody, TooLarge> {
        if content_length.is_some_and(|len| len > limit) {
            return Err(TooLarge);
        }
        Ok(CappedBody {
            limit,
            len: 0,
            first: None,
            rest: None,
            capacity: content_length.unwrap_or(0).min(limit) as usize,
        })
    }

    /// Adds a chunk; fails when the body would exceed the cap.
    pub fn push(&mut self, chunk: bytes::Bytes) -> Result<(), TooLarge> {
        self.len += chunk.len() as u64;
        if self.len > self.limit {
            self.first = None;
            self.rest = None;
            return Err(TooLarge);
        }
        match (&mut self.first, &mut self.rest) {
            (None, None) => self.first = Some(chunk),
            (Some(first), None) => {
                let mut rest = bytes::BytesMut::with_capacity(self.capacity.max(self.len as usize));
                rest.extend_from_slice(first);
                rest.extend_from_slice(&chunk);
                self.first = None;
                self.rest = Some(rest);
            }
            (_, Some(rest)) => rest.extend_from_slice(&chunk),
        }
        Ok(())
    }

    /// The whole body (a single chunk is returned without copying).
    pub fn finish(self) -> bytes::Bytes {
        match (self.first, self.rest) {
            (_, Some(rest)) => rest.freeze(),
            (Some(first), None) => first,
            (None, None) => bytes::Bytes::new(),
        }
    }
}

#[cfg(feature = "default-http-client")]
#[allow(deprecated)]
pub use self::default::ReqwestHttpClient;
#[cfg(feature = "default-http-client")]
pub use self::default::{DefaultHttpClient, DefaultHttpClientBuilder, HttpClientBuildError};

#[cfg(feature = "default-http-client")]
mod default;

#[cfg(any(test, feature = "test-util"))]
pub use self::canned::{CannedHttpClient, CannedResponse};

#[cfg(any(test, feature = "test-util"))]
mod canned {
    use super::*;
    use crate::error::TransportErrorKind;
    use std::collections::VecDeque;
    use std::sync::Mutex;

    /// One canned answer.
    #[derive(Debug, Clone)]
    #[non_exhaustive]
    pub enum CannedResponse {
        /// This response.
        Response(HttpResponse),
        /// A transport failure of this kind.
        Fail(TransportErrorKind, String),
        /// Never answers (to test timeouts).
        Hang,
    }

    impl CannedResponse {
        /// A response with a status, a JSON body and `x-amzn-requestid: <request_id>`.
        pub fn json(status: u16, request_id: &str, body: &str) -> CannedResponse {
            let mut headers = http::HeaderMap::new();
            headers.insert(
                "content-type",
                http::HeaderValue::from_static("application/json"),
            );
            if let Ok(value) = http::HeaderValue::from_str(request_id) {
                headers.insert("x-amzn-requestid", value);
            }
            CannedResponse::Response(HttpResponse {
                status,
                headers,
                body: bytes::Bytes::copy_from_slice(body.as_bytes()),
            })
        }
    }

    /// An [`HttpClient`] that answers from a queue of canned responses and records every
    /// request it was sent. When the queue runs dry it repeats the last answer.
    #[derive(Debug, Default)]
    pub struct CannedHttpClient {
        answers: Mutex<VecDeque<CannedResponse>>,
        last: Mutex<Option<CannedResponse>>,
        requests: Mutex<Vec<HttpRequest>>,
    }

    impl CannedHttpClient {
        /// A client that answers with `answers`, in order.
        pub fn new(answers: impl IntoIterator<Item = CannedResponse>) -> CannedHttpClient {
            CannedHttpClient {
                answers: Mutex::new(answers.into_iter().collect()),
                last: Mutex::new(None),
                requests: Mutex::new(Vec::new()),
            }
        }

        /// Every request sent so far, in order.
        pub fn requests(&self) -> Vec<HttpRequest> {
            self.requests
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
        }
    }

    impl HttpClient for CannedHttpClient {
        fn send(
            &self,
            request: HttpRequest,
            options: SendOptions,
        ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>> {
            self.requests
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(request);
            let next = self
                .answers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop_front();
            let answer = {
                let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
                match next {
                    Some(answer) => {
                        *last = Some(answer.clone());
                        Some(answer)
                    }
                    None => last.clone(),
                }
            };
            Box::pin(async move {
                match answer {
                    None => Err(HttpClientError::Transport(TransportError::new(
                        TransportErrorKind::Other,
                        "CannedHttpClient has no canned responses",
                    ))),
                    Some(CannedResponse::Fail(kind, message)) => Err(HttpClientError::Transport(
                        TransportError::new(kind, message),
                    )),
                    Some(CannedResponse::Hang) => {
                        std::future::pending::<()>().await;
                        unreachable!()
                    }
                    Some(CannedResponse::Response(response)) => {
                        if response.body.len() as u64 > options.max_response_body {
                            return Err(HttpClientError::TooLarge(InvalidResponse::too_large(
                                options.max_response_body,
                                response.status,
                                response.request_id().map(str::to_owned),
                            )));
                        }
                        Ok(response)
                    }
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(
        content_length: Option<u64>,
        limit: u64,
        parts: &[&'static [u8]],
    ) -> Result<bytes::Bytes, TooLarge> {
        let mut body = CappedBody::new(content_length, limit)?;
        for part in parts {
            body.push(bytes::Bytes::from_static(part))?;
        }
        Ok(body.finish())
    }

    #[test]
    fn capped_body_reads_up_to_the_limit() {
        assert_eq!(read(None, 10, &[]).unwrap(), "");
        assert_eq!(read(None, 10, &[b"abc"]).unwrap(), "abc");
        assert_eq!(
            read(Some(10), 10, &[b"abc", b"def", b"ghij"]).unwrap(),
            "abcdefghij"
        );
        assert_eq!(read(None, 10, &[b"abc", b"", b"de"]).unwrap(), "abcde");
    }

    #[cfg(feature = "default-http-client")]
    mod default_client {
        use super::super::*;
        use crate::error::TransportErrorKind;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        use tokio::net::TcpListener;

        /// Serves each connection with `respond(request_head)`, which returns the bytes to
        /// write; `None` closes the connection at once (a reset).
        async fn serve(
            respond: impl Fn(&str) -> Option<Vec<u8>> + Send + Sync + 'static,
        ) -> (
            std::net::SocketAddr,
            tokio::sync::mpsc::UnboundedReceiver<String>,
        ) {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            let respond = Arc::new(respond);
            tokio::spawn(async move {
                loop {
                    let Ok((mut socket, _)) = listener.accept().await else {
                        return;
                    };
                    let respond = respond.clone();
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        let mut head = Vec::new();
                        let mut buf = [0u8; 4096];
                        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                            match socket.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => head.extend_from_slice(&buf[..n]),
                            }
                        }
                        let head = String::from_utf8_lossy(&head).into_owned();
                        let _ = tx.send(head.clone());
                        match respond(&head) {
                            Some(bytes) => {
                                let _ = socket.write_all(&bytes).await;
                                let _ = socket.shutdown().await;
                            }
                            None => {
                                #[allow(deprecated)]
                                let _ = socket.set_linger(Some(Duration::ZERO));
                                drop(socket);
                            }
                        }
                    });
                }
            });
            (addr, rx)
        }

        fn request(url: String) -> HttpRequest {
            HttpRequest {
                method: http::Method::GET,
                uri: url,
                headers: http::HeaderMap::new(),
                body: bytes::Bytes::new(),
            }
        }

        fn response(body: &str) -> Vec<u8> {
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: rid-1\r\n\
                 content-length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        }

        /// Held while a client is built: it reads the proxy variables then, and one
        /// test sets them.
        static ENV_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

        fn client() -> DefaultHttpClient {
            let _env = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
            DefaultHttpClient::new(&HttpClientSettings::new(Some(Duration::from_secs(2)))).unwrap()
        }

        #[tokio::test]
        async fn sends_and_caps_bodies() {
            let (addr, _rx) = serve(|_| Some(response(r#"{"hello":"world"}"#))).await;
            let ok = client()
                .send(request(format!("http://{addr}/x")), SendOptions::new(1024))
                .await
                .unwrap();
            assert_eq!(
                (ok.status, ok.body.as_ref()),
                (200, &br#"{"hello":"world"}"#[..])
            );
            assert_eq!(ok.request_id(), Some("rid-1"));
            let err = client()
                .send(request(format!("http://{addr}/x")), SendOptions::new(5))
                .await
                .unwrap_err();
            match err {
                HttpClientError::TooLarge(e) => {
                    assert_eq!((e.status(), e.request_id()), (200, Some("rid-1")))
                }
                other => panic!("{other:?}"),
            }
        }

        #[tokio::test]
        async fn stops_reading_an_endless_chunked_body_at_the_cap() {
            let (addr, _rx) = serve(|_| {
                // 64 MiB of chunks without a content-length: must be refused at 1 MiB.
                let mut out = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
                let chunk = vec![b'x'; 64 * 1024];
                for _ in 0..1024 {
                    out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    out.extend_from_slice(&chunk);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
                Some(out)
            })
            .await;
            let err = client()
                .send(
                    request(format!("http://{addr}/")),
                    SendOptions::new(1024 * 1024),
                )
                .await
                .unwrap_err();
            assert!(matches!(err, HttpClientError::TooLarge(_)), "{err:?}");
        }

        #[tokio::test]
        async fn streams_a_body_past_the_cap_chunk_by_chunk() {
            let (addr, _rx) = serve(|_| {
                // 8 MiB of chunks without a content-length, under a 1 MiB cap.
                let mut out = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
                let chunk = vec![b'x'; 64 * 1024];
                for _ in 0..128 {
                    out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    out.extend_from_slice(&chunk);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
                Some(out)
            })
            .await;
            let client = client();
            let send = || {
                client.send_streaming(
                    request(format!("http://{addr}/")),
                    ByteStream::new(),
                    SendOptions::new(1024 * 1024),
                )
            };
            let mut response = send().await.unwrap();
            assert_eq!(response.status, 200);
            let mut total = 0;
            while let Some(chunk) = response.body.next().await {
                total += chunk.unwrap().len();
            }
            assert_eq!(
                total,
                8 * 1024 * 1024,
                "the cap does not apply to streaming reads"
            );
            let err = send().await.unwrap().body.collect().await.unwrap_err();
            assert_eq!(
                err.kind(),
                crate::byte_stream::ByteStreamErrorKind::TooLarge
            );
        }

        #[tokio::test]
        async fn maps_connection_failures() {
            let (addr, _rx) = serve(|_| None).await;
            let err = client()
                .send(request(format!("http://{addr}/")), SendOptions::new(1024))
                .await
                .unwrap_err();
            assert!(
                matches!(&err, HttpClientError::Transport(e) if e.kind() == TransportErrorKind::Io),
                "{err:?}"
            );

            // Nothing listens on a port just freed.
            let port = {
                let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                l.local_addr().unwrap().port()
            };
            let err = client()
                .send(
                    request(format!("http://127.0.0.1:{port}/")),
                    SendOptions::new(1024),
                )
                .await
                .unwrap_err();
            assert!(
                matches!(&err, HttpClientError::Transport(e) if e.kind() == TransportErrorKind::Connect),
                "{err:?}"
            );
            assert!(err.to_string().starts_with("connection failed"), "{err}");
        }

        /// `HTTP_PROXY`/`NO_PROXY` are read when the client is built. The only test that
        /// sets them.
        #[tokio::test]
        async fn honours_proxy_variables() {
            let (proxy, mut seen) = serve(|_| Some(response("{}"))).await;
            let proxied = {
                let _env = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
                std::env::set_var("HTTP_PROXY", format!("http://{proxy}"));
                std::env::set_var("NO_PROXY", "localhost");
                let built = DefaultHttpClient::new(&HttpClientSettings::new(None));
                std::env::remove_var("HTTP_PROXY");
                std::env::remove_var("NO_PROXY");
                built.unwrap()
            };
            proxied
                .send(
                    request("http://apigateway.example.invalid/v2/apis".into()),
                    SendOptions::new(1024),
                )
                .await
                .unwrap();
            let head = seen.recv().await.unwrap();
            assert!(
                head.starts_with("GET http://apigateway.example.invalid/v2/apis HTTP/1.1"),
                "{head}"
            );
        }
    }

    #[test]
    fn capped_body_refuses_past_the_limit() {
        assert_eq!(
            read(Some(11), 10, &[]),
            Err(TooLarge),
            "declared length checked first"
        );
        assert_eq!(read(None, 10, &[b"abcdefghijk"]), Err(TooLarge));
        assert_eq!(read(None, 10, &[b"abcdef", b"ghijk"]), Err(TooLarge));
        assert_eq!(read(Some(4), 10, &[b"abcdef", b"ghijk"]), Err(TooLarge));
    }
}
