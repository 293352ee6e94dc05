//! The bench server: a small HTTP/1.1 keep-alive server (hyper) that answers
//! `GET /v2/apis/a1b2c3/stages/production` with the GetStage fixture. Both SDKs are pointed
//! at the same server in the same run. Any other request gets API Gateway's `404
//! NotFoundException`, and an unsigned one a `403`, so a broken serializer or signer fails
//! the benchmark instead of being measured.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};

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

/// Accepts connections on `listener` and serves each, with keep-alive, on its own task.
pub async fn serve(listener: tokio::net::TcpListener) {
    let path: &'static str = Box::leak(stage_path().into_boxed_str());
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let service = hyper::service::service_fn(move |request| respond(request, path));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(io, service)
                .await;
        });
    }
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
