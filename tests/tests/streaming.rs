//! `@streaming` blobs end to end, against a hyper server on 127.0.0.1: uploads from bytes, a
//! file and a stream (the last not retried), `@requiresLength`, downloads read chunk by
//! chunk (1 GiB with flat memory) or collected under the response cap.

use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::BodyExt;
use streaming::primitives::{ByteStream, ByteStreamErrorKind};

const GIB: u64 = 1024 * 1024 * 1024;

/// The tests of this file run one at a time, so the 1 GiB test measures only itself.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
const CHUNK: usize = 64 * 1024;

/// What the server saw of one upload.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: http::HeaderMap,
    len: u64,
    sum: u64,
}

/// A body of `remaining` bytes of `b'z'`, made as it is read.
struct Lazy {
    remaining: u64,
    chunk: Bytes,
}

impl http_body::Body for Lazy {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let n = self.remaining.min(self.chunk.len() as u64) as usize;
        self.remaining -= n as u64;
        Poll::Ready(Some(Ok(http_body::Frame::data(self.chunk.slice(..n)))))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

type Body = http_body_util::Either<Lazy, http_body_util::Full<Bytes>>;

/// The test server: stops when dropped.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn full(status: u16, headers: &[(&str, String)], body: &'static str) -> http::Response<Body> {
    let mut response = http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, value);
    }
    response
        .body(http_body_util::Either::Right(http_body_util::Full::new(
            Bytes::from_static(body.as_bytes()),
        )))
        .unwrap()
}

async fn handle(
    request: http::Request<hyper::body::Incoming>,
    seen: Arc<Mutex<Vec<Seen>>>,
    fail_first: Arc<Mutex<HashMap<String, bool>>>,
) -> Result<http::Response<Body>, Infallible> {
    let path = request.uri().path().to_owned();
    if request.method() == http::Method::GET {
        return Ok(match path.as_str() {
            "/objects/big" => http::Response::builder()
                .header("content-type", "application/octet-stream")
                .body(http_body_util::Either::Left(Lazy {
                    remaining: GIB,
                    chunk: Bytes::from(vec![b'z'; CHUNK]),
                }))
                .unwrap(),
            "/objects/small" => full(
                200,
                &[("content-type", "text/plain".into())],
                "hello, streams",
            ),
            _ => full(
                404,
                &[("x-amzn-errortype", "NotFoundError".into())],
                r#"{"message":"no such object"}"#,
            ),
        });
    }
    let (parts, mut body) = request.into_parts();
    let (mut len, mut sum) = (0u64, 0u64);
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { break };
        if let Some(data) = frame.data_ref() {
            len += data.len() as u64;
            sum = data.iter().fold(sum, |s, b| s.wrapping_add(u64::from(*b)));
        }
    }
    seen.lock().unwrap().push(Seen {
        path: path.clone(),
        headers: parts.headers,
        len,
        sum,
    });
    if path.contains("retry") {
        let mut fail = fail_first.lock().unwrap();
        if !fail.contains_key(&path) {
            fail.insert(path.clone(), true);
            return Ok(full(503, &[], r#"{"message":"try again"}"#));
        }
    }
    Ok(full(
        200,
        &[
            ("etag", format!("{len}:{sum}")),
            ("x-object-size", len.to_string()),
        ],
        "",
    ))
}

async fn server() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let fail_first = Arc::new(Mutex::new(HashMap::new()));
    let task = tokio::spawn({
        let seen = seen.clone();
        async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((socket, _)) = listener.accept().await {
                let (seen, fail_first) = (seen.clone(), fail_first.clone());
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        handle(request, seen.clone(), fail_first.clone())
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                        .await;
                });
            }
        }
    });
    Server { url, seen, task }
}

fn client(
    server: &Server,
    configure: impl FnOnce(streaming::config::ConfigBuilder) -> streaming::config::ConfigBuilder,
) -> streaming::Client {
    let builder = streaming::Config::builder()
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .endpoint_url(&server.url);
    streaming::Client::new(configure(builder).build())
}

fn checksum(data: &[u8]) -> String {
    let sum = data.iter().fold(0u64, |s, b| s.wrapping_add(u64::from(*b)));
    format!("{}:{sum}", data.len())
}

/// A stream of `chunks`, read once.
fn chunk_stream(chunks: Vec<Vec<u8>>) -> ByteStream {
    ByteStream::from_stream(ChunkStream(chunks.into_iter()))
}

struct ChunkStream(std::vec::IntoIter<Vec<u8>>);

impl futures_core::Stream for ChunkStream {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.next().map(|c| Ok(Bytes::from(c))))
    }
}

#[tokio::test]
async fn uploads_from_bytes_a_file_and_a_stream() {
    let _serial = SERIAL.lock().await;
    let server = server().await;
    let client = client(&server, |b| b);

    let out = client
        .upload_object()
        .key("bytes")
        .body(b"hello bytes".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(out.e_tag(), Some(checksum(b"hello bytes").as_str()));
    assert_eq!(out.size(), Some(11));

    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let path = std::env::temp_dir().join(format!("streaming-test-{}.bin", std::process::id()));
    std::fs::write(&path, &data).unwrap();
    let out = client
        .upload_object()
        .key("file")
        .content_type("application/x-test")
        .body(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(out.e_tag(), Some(checksum(&data).as_str()));

    let chunks: Vec<Vec<u8>> = data.chunks(100_000).map(<[u8]>::to_vec).collect();
    let out = client
        .upload_object()
        .key("stream")
        .body(chunk_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!(out.e_tag(), Some(checksum(&data).as_str()));

    let seen = server.seen.lock().unwrap().clone();
    let by_path = |p: &str| seen.iter().find(|s| s.path == p).unwrap().clone();
    let bytes = by_path("/objects/bytes");
    assert_eq!(bytes.headers["content-length"], "11");
    assert_eq!(bytes.headers["content-type"], "application/octet-stream");
    assert!(
        bytes.headers.get("x-amz-content-sha256").is_none(),
        "bytes are signed"
    );
    let file = by_path("/objects/file");
    assert_eq!(
        file.headers["content-length"], "3000000",
        "a file's length is declared"
    );
    assert_eq!(file.headers["content-type"], "application/x-test");
    assert_eq!(file.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
    assert!(file.headers["authorization"]
        .to_str()
        .unwrap()
        .contains("content-length;content-type;host;"));
    let stream = by_path("/objects/stream");
    assert_eq!(stream.headers["transfer-encoding"], "chunked");
    assert_eq!((stream.len, stream.sum), (file.len, file.sum));

    // A file is sent again when the attempt is retried; a stream is not retried.
    let out = client
        .upload_object()
        .key("retry-file")
        .body(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(out.e_tag(), Some(checksum(&data).as_str()));
    let err = client
        .upload_object()
        .key("retry-stream")
        .body(chunk_stream(vec![b"once".to_vec()]))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    std::fs::remove_file(&path).unwrap();
    let seen = server.seen.lock().unwrap().clone();
    let count = |p: &str| seen.iter().filter(|s| s.path == p).count();
    assert_eq!(count("/objects/retry-file"), 2);
    assert!(seen
        .iter()
        .filter(|s| s.path == "/objects/retry-file")
        .all(|s| s.len == data.len() as u64));
    assert_eq!(count("/objects/retry-stream"), 1, "a stream is sent once");
}

#[tokio::test]
async fn requires_length_refuses_streams_of_unknown_length() {
    let _serial = SERIAL.lock().await;
    let server = server().await;
    let client = client(&server, |b| b);
    let err = client
        .upload_sized()
        .key("k")
        .body(chunk_stream(vec![b"abc".to_vec()]))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("@requiresLength"), "{err}");
    assert!(server.seen.lock().unwrap().is_empty(), "nothing was sent");

    let out = client
        .upload_sized()
        .key("k")
        .body(chunk_stream(vec![b"abc".to_vec(), b"def".to_vec()]).with_length(6))
        .send()
        .await
        .unwrap();
    assert_eq!(out.e_tag(), Some(checksum(b"abcdef").as_str()));
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].headers["content-length"], "6");
}

#[tokio::test]
async fn downloads_chunk_by_chunk_or_collected_under_the_cap() {
    let _serial = SERIAL.lock().await;
    let server = server().await;
    let client = client(&server, |b| b.max_response_body(8));
    let out = client.download_object().key("small").send().await.unwrap();
    assert_eq!(out.content_type(), Some("text/plain"));
    assert_eq!(out.content_length(), Some(14));
    let err = out.body.collect().await.unwrap_err();
    assert_eq!(
        err.kind(),
        ByteStreamErrorKind::TooLarge,
        "collect applies the cap"
    );

    let client = streaming_client_with_cap(&server, 1024);
    let out = client.download_object().key("small").send().await.unwrap();
    assert_eq!(out.body.collect().await.unwrap(), "hello, streams");

    let mut out = client.download_object().key("small").send().await.unwrap();
    let mut read = Vec::new();
    while let Some(chunk) = out.body.next().await {
        read.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(read, b"hello, streams");

    let err = client
        .download_object()
        .key("missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(
        err.as_service_error().unwrap().is_not_found_error(),
        "{err:?}"
    );
}

fn streaming_client_with_cap(server: &Server, cap: u64) -> streaming::Client {
    client(server, |b| b.max_response_body(cap))
}

/// Resident memory, in bytes, from `/proc/self/statm`.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_gib_download_keeps_memory_flat() {
    let _serial = SERIAL.lock().await;
    let server = server().await;
    // The cap (10 MiB by default) does not apply to reading chunk by chunk.
    let client = client(&server, |b| b);
    let mut out = client.download_object().key("big").send().await.unwrap();
    assert_eq!(out.content_length(), Some(GIB as i64));
    let before = rss();
    let mut total = 0u64;
    let mut peak = before;
    while let Some(chunk) = out.body.next().await {
        let chunk = chunk.unwrap();
        assert!(chunk.iter().all(|b| *b == b'z'));
        total += chunk.len() as u64;
        if total % (64 * 1024 * 1024) < chunk.len() as u64 {
            peak = peak.max(rss());
        }
    }
    assert_eq!(total, GIB);
    let growth = peak.saturating_sub(before);
    assert!(growth < 64 * 1024 * 1024, "RSS grew by {growth} bytes");
}
