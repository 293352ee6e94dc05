//! Bodies over the configured cap are refused with a typed error without being buffered
//! whole: a raw TCP test double on 127.0.0.1 serves up to 1 GiB lazily, and the client must
//! stop reading early (the server sees the connection close after a few MiB at most) and its
//! memory must stay bounded.
//!
//! Its own test binary, so that the resident-memory check sees only these tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use apigatewayv2::config::Credentials;
use apigatewayv2::error::{Error, InvalidResponseKind};
use apigatewayv2::{Client, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;
const CAP: u64 = MIB;

fn client(endpoint: &str) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(endpoint)
        .max_attempts(1)
        .max_response_body(CAP)
        .build();
    Client::new(&config)
}

/// Reads the request head (up to the blank line).
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.expect("reads the request");
        if n == 0 {
            return;
        }
        head.extend_from_slice(&buf[..n]);
    }
}

/// Serves one response: `head`, then up to `total` body bytes (`fill`) in 64 KiB pieces (as chunked
/// transfer coding when `chunked`), counting what was written until the client hangs up.
async fn serve_lazily(
    head: &'static str,
    total: u64,
    chunked: bool,
    fill: u8,
) -> (String, Arc<AtomicU64>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let counter = written.clone();
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accepts");
        read_head(&mut stream).await;
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let piece = vec![fill; 64 * 1024];
        let mut sent = 0u64;
        while sent < total {
            let result = if chunked {
                let mut frame = format!("{:x}\r\n", piece.len()).into_bytes();
                frame.extend_from_slice(&piece);
                frame.extend_from_slice(b"\r\n");
                stream.write_all(&frame).await
            } else {
                stream.write_all(&piece).await
            };
            if result.is_err() {
                return;
            }
            sent += piece.len() as u64;
            counter.store(sent, Ordering::SeqCst);
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    });
    (url, written, task)
}

/// Resident memory of this process, in bytes (Linux; `None` elsewhere).
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn assert_too_large(
    result: Result<
        apigatewayv2::operation::get_stage::GetStageOutput,
        Error<apigatewayv2::operation::get_stage::GetStageError>,
    >,
) {
    match result {
        Err(Error::Response(e)) => {
            assert!(
                matches!(e.kind(), InvalidResponseKind::TooLarge { limit } if *limit == CAP),
                "{e:?}"
            );
            assert_eq!(e.status(), 200);
            assert!(
                e.to_string().contains("1048576"),
                "the message names the cap: {e}"
            );
        }
        other => panic!("expected a too-large response error, got {other:?}"),
    }
}

async fn get_stage(
    url: &str,
) -> Result<
    apigatewayv2::operation::get_stage::GetStageOutput,
    Error<apigatewayv2::operation::get_stage::GetStageError>,
> {
    client(url)
        .get_stage()
        .api_id("a1")
        .stage_name("s1")
        .send()
        .await
}

/// The server stops (the client hung up) having written `written` bytes: far less than 1 GiB.
async fn assert_stopped_early(written: &AtomicU64, task: tokio::task::JoinHandle<()>) {
    tokio::time::timeout(Duration::from_secs(20), task)
        .await
        .expect("the server stops writing once the client hangs up")
        .expect("the server task does not panic");
    let n = written.load(Ordering::SeqCst);
    assert!(
        n < 64 * MIB,
        "the client read {} MiB of a 1 GiB body with a 1 MiB cap",
        n / MIB
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_gigabyte_is_refused_early_with_bounded_memory() {
    let before = resident();
    let (url, written, task) = serve_lazily(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        GIB,
        true,
        b' ',
    )
    .await;
    assert_too_large(get_stage(&url).await);
    assert_stopped_early(&written, task).await;
    if let (Some(before), Some(after)) = (before, resident()) {
        assert!(
            after.saturating_sub(before) < 128 * MIB,
            "resident memory grew by {} MiB",
            after.saturating_sub(before) / MIB
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_gigabyte_is_refused_before_reading() {
    let (url, written, task) = serve_lazily(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1073741824\r\n\r\n",
        GIB,
        false,
        b' ',
    )
    .await;
    assert_too_large(get_stage(&url).await);
    assert_stopped_early(&written, task).await;
}

/// A body without a length, ended by closing the connection (HTTP/1.0 style).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unframed_gigabyte_is_refused_early() {
    let (url, written, task) = serve_lazily(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n",
        GIB,
        false,
        b' ',
    )
    .await;
    assert_too_large(get_stage(&url).await);
    assert_stopped_early(&written, task).await;
}

/// A `Content-Length` under the cap that lies (the body goes on): only the declared bytes
/// are read, and they are not the expected JSON: a typed error, after reading little.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_content_length_does_not_let_a_large_body_in() {
    let (url, written, task) = serve_lazily(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n",
        GIB,
        false,
        b'x',
    )
    .await;
    let result = get_stage(&url).await;
    match result {
        Err(Error::Response(e)) => assert!(
            matches!(e.kind(), InvalidResponseKind::Unparseable(_)),
            "{e:?}"
        ),
        other => panic!("expected an unparseable-response error, got {other:?}"),
    }
    drop(written);
    task.abort();
}
