//! The bench server: a small HTTP/1.1 keep-alive server (hyper), plain or over TLS, that answers
//! `GET /v2/apis/a1b2c3/stages/production` with the GetStage fixture. Both SDKs are pointed
//! at the same server in the same run. Any other request gets API Gateway's `404
//! NotFoundException`, and an unsigned one a `403`, so a broken serializer or signer fails
//! the benchmark instead of being measured.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};
use tokio_rustls::rustls;

use crate::{API_ID, BODY, STAGE_NAME};

/// The request id every response carries.
pub const REQUEST_ID: &str = "0f6e2c9b-5a1d-4c1e-9c3b-7d2f1a0b9e84";

/// The path of the one stage the server knows.
pub fn stage_path() -> String {
    format!("/v2/apis/{API_ID}/stages/{STAGE_NAME}")
}

/// Binds `127.0.0.1:0` and serves on the current tokio runtime until the process ends;
/// returns the bound address once listening.
pub async fn start() -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve(listener));
    Ok(addr)
}

/// [`start`] over TLS with `config` (see [`crate::tls`]): HTTPS on `127.0.0.1:0`.
pub async fn start_tls(config: Arc<rustls::ServerConfig>) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve_tls(listener, tokio_rustls::TlsAcceptor::from(config)));
    Ok(addr)
}

/// Accepts connections on `listener` and serves each, with keep-alive, on its own task.
pub async fn serve(listener: tokio::net::TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(stream));
    }
}

/// [`serve`], each connection's TLS handshake first (on its task, so a slow handshake holds
/// up no other connection).
pub async fn serve_tls(listener: tokio::net::TcpListener, acceptor: tokio_rustls::TlsAcceptor) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            if let Ok(tls) = acceptor.accept(stream).await {
                serve_connection(tls).await;
            }
        });
    }
}

/// Serves HTTP/1.1 with keep-alive on one connection until the client closes it.
async fn serve_connection<S>(stream: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let path = stage_path_static();
    let io = hyper_util::rt::TokioIo::new(stream);
    let service = hyper::service::service_fn(move |request| respond(request, path));
    let _ = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service)
        .await;
}

/// [`stage_path`], made once per process (every connection compares against it).
fn stage_path_static() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(stage_path)
}

async fn respond(
    request: Request<Incoming>,
    path: &'static str,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let signed = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .is_some_and(|v| v.as_bytes().starts_with(b"AWS4-HMAC-SHA256 "));
    let (status, body) = if request.method() != http::Method::GET || request.uri().path() != path {
        (
            404,
            Bytes::from_static(br#"{"message":"Invalid stage identifier specified"}"#),
        )
    } else if !signed {
        (
            403,
            Bytes::from_static(br#"{"message":"Missing Authentication Token"}"#),
        )
    } else {
        (200, Bytes::from_static(BODY.as_bytes()))
    };
    let mut response = Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header("x-amzn-requestid", REQUEST_ID);
    if status == 404 {
        response = response.header("x-amzn-errortype", "NotFoundException");
    }
    Ok(response
        .body(Full::new(body))
        .expect("a valid bench response"))
}
