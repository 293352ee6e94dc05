//! Broken and hostile responses from a local server on 127.0.0.1: each ends in a typed
//! error, promptly, without a stack overflow or unbounded work.
//!
//! Raw TCP test doubles (`tokio::net::TcpListener`, raw writes) for what an HTTP framework
//! cannot produce (trickling, a lying `Content-Length`, a dropped connection); `wiremock`
//! for the rest (gzip bombs, deeply nested JSON, invalid UTF-8).

use std::time::{Duration, Instant};

use apigatewayv2::config::Credentials;
use apigatewayv2::error::{Error, InvalidResponseKind, TimeoutKind};
use apigatewayv2::operation::get_stage::{GetStageError, GetStageOutput};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

type GetStageResult = Result<GetStageOutput, Error<GetStageError>>;

fn credentials() -> Credentials {
    Credentials::new("AKIDTEST", "secret", None, None, "test")
}

fn apigateway(endpoint: &str, attempt_timeout: Option<Duration>) -> apigatewayv2::Client {
    let mut config = apigatewayv2::Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .endpoint_url(endpoint)
        .max_attempts(1)
        .max_response_body(8 << 20);
    if let Some(t) = attempt_timeout {
        config = config.attempt_timeout(t);
    }
    apigatewayv2::Client::new(config.build())
}

async fn get_stage(endpoint: &str) -> GetStageResult {
    apigateway(endpoint, None)
        .get_stage()
        .api_id("a1")
        .stage_name("s1")
        .send()
        .await
}

async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
}

/// A raw server for one connection: reads the request, then runs `behave` on the socket.
async fn raw_server<F, Fut>(behave: F) -> String
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        if let Ok((mut stream, _)) = listener.accept().await {
            read_head(&mut stream).await;
            behave(stream).await;
        }
    });
    url
}

/// Writes `bytes` one byte a second (until the client hangs up).
async fn trickle(stream: &mut TcpStream, bytes: &[u8]) {
    for b in bytes {
        if stream.write_all(&[*b]).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

fn assert_attempt_timeout(result: GetStageResult, started: Instant) {
    let elapsed = started.elapsed();
    match result {
        Err(Error::Timeout(e)) => assert_eq!(e.kind(), TimeoutKind::Attempt, "{e}"),
        other => panic!("expected an attempt timeout, got {other:?}"),
    }
    assert!(
        elapsed < Duration::from_secs(8),
        "the 2 s attempt timeout took {elapsed:?}"
    );
}

#[tokio::test]
async fn a_body_trickling_one_byte_a_second_trips_the_attempt_timeout() {
    let url = raw_server(|mut s| async move {
        let _ = s
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 60\r\n\r\n",
            )
            .await;
        trickle(
            &mut s,
            br#"{"stageName":"slow","description":"one byte at a time....."}"#,
        )
        .await;
    })
    .await;
    let started = Instant::now();
    let result = apigateway(&url, Some(Duration::from_secs(2)))
        .get_stage()
        .api_id("a1")
        .stage_name("s1")
        .send()
        .await;
    assert_attempt_timeout(result, started);
}

#[tokio::test]
async fn headers_trickling_one_byte_a_second_trip_the_attempt_timeout() {
    let url = raw_server(|mut s| async move {
        trickle(
            &mut s,
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
        )
        .await;
    })
    .await;
    let started = Instant::now();
    let result = apigateway(&url, Some(Duration::from_secs(2)))
        .get_stage()
        .api_id("a1")
        .stage_name("s1")
        .send()
        .await;
    assert_attempt_timeout(result, started);
}

/// `Content-Length: 1000`, 10 bytes, then the connection closes: a transport error.
#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_a_transport_error() {
    let url = raw_server(|mut s| async move {
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"stageNa")
            .await;
        let _ = s.shutdown().await;
    })
    .await;
    match get_stage(&url).await {
        Err(Error::Transport(e)) => assert!(!e.to_string().is_empty()),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_connection_closed_without_a_response_is_a_transport_error() {
    let url = raw_server(|s| async move { drop(s) }).await;
    assert!(matches!(get_stage(&url).await, Err(Error::Transport(_))));
}

#[tokio::test]
async fn a_garbage_status_line_is_a_transport_error() {
    let url = raw_server(|mut s| async move {
        let _ = s.write_all(b"SMTP ready\r\n\r\n").await;
    })
    .await;
    assert!(matches!(get_stage(&url).await, Err(Error::Transport(_))));
}

// ---- gzip bomb ------------------------------------------------------------------------

/// A gzip member that inflates to `1 + 258 * runs` zero bytes: one literal, then `runs`
/// back-references of 258 bytes at distance 1 (13 bits each) in one fixed-Huffman block.
fn gzip_bomb(runs: usize) -> (Vec<u8>, u64) {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most-significant bit first.
        fn code(&mut self, code: u64, len: u32) {
            let reversed = (0..len).fold(0, |r, i| r | (((code >> i) & 1) << (len - 1 - i)));
            self.put(reversed, len);
        }
    }
    let mut bits = Bits {
        out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff],
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // BFINAL
    bits.put(1, 2); // fixed Huffman
    bits.code(0x30, 8); // literal 0
    for _ in 0..runs {
        bits.code(0xC5, 8); // length code 285: 258 bytes
        bits.code(0, 5); // distance code 0: distance 1
    }
    bits.code(0, 7); // end of block
    if bits.n > 0 {
        bits.put(0, 8 - bits.n);
    }
    let size = 1 + 258 * runs as u64;
    let mut out = bits.out;
    out.extend_from_slice(&crc32_of_zeros(size).to_le_bytes());
    out.extend_from_slice(&(size as u32).to_le_bytes());
    (out, size)
}

fn crc32_of_zeros(len: u64) -> u32 {
    let mut table = [0u32; 256];
    for (i, entry) in table.iter_mut().enumerate() {
        *entry = (0..8).fold(i as u32, |c, _| {
            if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            }
        });
    }
    let mut crc = !0u32;
    for _ in 0..len {
        crc = table[(crc & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

/// The client does not ask for compression (reqwest's `gzip` feature is off), so a gzip
/// body is never inflated: it reaches the deserializer as the bytes sent, which are not JSON.
#[tokio::test]
async fn a_gzip_bomb_is_not_decompressed() {
    let (bomb, inflated) = gzip_bomb(400_000);
    assert!(
        inflated > 100_000_000 && (bomb.len() as u64) < 1 << 20,
        "{} → {inflated}",
        bomb.len()
    );
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .insert_header("content-encoding", "gzip")
                .set_body_bytes(bomb.clone()),
        )
        .mount(&server)
        .await;
    let result = get_stage(&server.uri()).await;
    match result {
        Err(Error::Response(e)) => {
            assert!(
                matches!(e.kind(), InvalidResponseKind::Unparseable(_)),
                "{e:?}"
            );
            let raw = e.raw().expect("the raw response is kept");
            assert_eq!(
                raw.body.len(),
                bomb.len(),
                "the body was kept as sent, not inflated"
            );
        }
        other => panic!("expected an unparseable-response error, got {other:?}"),
    }
    let requests = server.received_requests().await.expect("recording");
    for request in &requests {
        let accept = request
            .headers
            .get("accept-encoding")
            .map(|v| v.to_str().unwrap_or("").to_string());
        assert!(
            !accept.as_deref().unwrap_or("").contains("gzip"),
            "the client asks for gzip ({accept:?}) but this test assumes it does not"
        );
    }
}

#[test]
fn the_gzip_bomb_is_well_formed() {
    // Its header and trailer are valid; the size is what the trailer says.
    let (bomb, size) = gzip_bomb(3);
    assert_eq!(&bomb[..3], &[0x1f, 0x8b, 8]);
    assert_eq!(size, 775);
    let isize = u32::from_le_bytes(bomb[bomb.len() - 4..].try_into().unwrap());
    assert_eq!(isize as u64, size);
    assert_eq!(crc32_of_zeros(0), 0);
    assert_eq!(crc32_of_zeros(1), 0xD202_EF8D);
}

// ---- deeply nested JSON ---------------------------------------------------------------

const DEPTH: usize = 100_000;

fn nested(open: &str, inner: &str, close: &str) -> Vec<u8> {
    let mut out = String::with_capacity((open.len() + close.len()) * DEPTH + inner.len());
    for _ in 0..DEPTH {
        out.push_str(open);
    }
    out.push_str(inner);
    for _ in 0..DEPTH {
        out.push_str(close);
    }
    out.into_bytes()
}

async fn mock(status: u16, body: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .set_body_bytes(body),
        )
        .mount(&server)
        .await;
    server
}

fn assert_unparseable(result: GetStageResult) {
    match result {
        Err(Error::Response(e)) => {
            assert!(
                matches!(e.kind(), InvalidResponseKind::Unparseable(_)),
                "{e:?}"
            );
            assert!(!e.to_string().is_empty());
        }
        other => panic!(
            "expected an unparseable-response error, got {:?}",
            other.map(|_| "an output")
        ),
    }
}

#[tokio::test]
async fn nested_arrays_100000_deep_are_a_typed_error() {
    let server = mock(200, nested("[", "", "]")).await;
    assert_unparseable(get_stage(&server.uri()).await);
}

/// Nesting under keys the output does not have is skipped, iteratively (serde_json's
/// `IgnoredAny` keeps its own stack): the output reads, with no stack overflow.
#[tokio::test]
async fn nested_objects_under_unknown_keys_are_skipped_without_recursion() {
    for body in [
        nested(r#"{"unknown":"#, "1", "}"),
        nested(r#"{"accessLogSettings":"#, "{}", "}"),
    ] {
        let server = mock(200, body).await;
        let output = get_stage(&server.uri())
            .await
            .expect("unknown keys are skipped");
        assert_eq!(output.stage_name(), None);
    }
}

#[tokio::test]
async fn a_nested_error_body_is_an_unhandled_service_error() {
    let server = mock(
        400,
        nested(r#"{"__type":"NotFoundException","x":"#, "[]", "}"),
    )
    .await;
    match get_stage(&server.uri()).await {
        Err(Error::Service(e)) => assert_eq!(e.status(), 400),
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn shapes_client(endpoint: &str) -> shapes::Client {
    let config = shapes::Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .endpoint_url(endpoint)
        .max_attempts(1)
        .max_response_body(8 << 20)
        .build();
    shapes::Client::new(&config)
}

/// Recursive shapes and documents: 100 000 levels of `LinkedNode.Next`, of `TreeNode`
/// children, and of a document member.
#[tokio::test]
async fn nested_recursive_shapes_and_documents_are_typed_errors() {
    let wrap = |prefix: &[u8], inner: Vec<u8>, suffix: &[u8]| [prefix, &inner, suffix].concat();
    let bodies = [
        wrap(br#"{"Chain":"#, nested(r#"{"Next":"#, "{}", "}"), b"}"),
        wrap(
            br#"{"Tree":"#,
            nested(r#"{"Name":"n","Children":["#, r#"{"Name":"leaf"}"#, "]}"),
            b"}",
        ),
        wrap(
            br#"{"AllTypes":{"DocumentValue":"#,
            nested("[", "", "]"),
            b"}}",
        ),
        wrap(
            br#"{"AllTypes":{"DocumentValue":"#,
            nested(r#"{"a":"#, "1", "}"),
            b"}}",
        ),
    ];
    for body in bodies {
        let server = mock(200, body).await;
        let result = shapes_client(&server.uri())
            .get_thing()
            .thing_id("t1")
            .send()
            .await;
        match result {
            Err(shapes::error::Error::Response(e)) => {
                assert!(
                    matches!(e.kind(), shapes::error::InvalidResponseKind::Unparseable(_)),
                    "{e:?}"
                );
                // The cause is down the chain (`Display` describes this level only).
                let chain = shapes::error::DisplayErrorContext(&e).to_string();
                assert!(chain.contains("recursion limit"), "{chain}");
            }
            Err(shapes::error::Error::Validation(e)) => {
                panic!("the input is invalid, fix the test: {e}")
            }
            other => panic!(
                "expected an unparseable-response error, got {:?}",
                other.map(|_| "an output")
            ),
        }
    }
}

/// The `serde` form reads with the same limit.
#[test]
fn serde_reads_of_deep_values_are_typed_errors() {
    let chain = String::from_utf8(nested(r#"{"Next":"#, "{}", "}")).unwrap();
    let e = serde_json::from_str::<shapes::types::LinkedNode>(&chain).unwrap_err();
    assert!(e.to_string().contains("recursion limit"), "{e}");
    let doc = format!(
        r#"{{"DocumentValue":{}}}"#,
        String::from_utf8(nested("[", "", "]")).unwrap()
    );
    let e = serde_json::from_str::<shapes::types::AllTypes>(&doc).unwrap_err();
    assert!(e.to_string().contains("recursion limit"), "{e}");
}

// ---- invalid UTF-8 --------------------------------------------------------------------

#[tokio::test]
async fn invalid_utf8_in_a_string_member_is_a_typed_error() {
    for body in [
        &b"{\"stageName\":\"\xff\xfe\"}"[..],
        b"{\"tags\":{\"\xc3\x28\":\"v\"}}",
        b"\xef\xbb\xbf{}",
        b"{\"\xed\xa0\x80\":1}",
    ] {
        let server = mock(200, body.to_vec()).await;
        assert_unparseable(get_stage(&server.uri()).await);
    }
}

#[tokio::test]
async fn invalid_utf8_in_an_error_response_is_a_typed_service_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header(
                    "x-amzn-errortype",
                    http::HeaderValue::from_bytes(b"NotFound\xffException").unwrap(),
                )
                .insert_header(
                    "x-amzn-requestid",
                    http::HeaderValue::from_bytes(b"req-\xff").unwrap(),
                )
                .set_body_bytes(&b"{\"message\":\"\xff\"}"[..]),
        )
        .mount(&server)
        .await;
    match get_stage(&server.uri()).await {
        Err(e @ Error::Service(_)) => {
            assert_eq!(e.status(), Some(404));
            assert!(!e.to_string().is_empty());
        }
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn bindings_client(endpoint: &str) -> httpbindings::Client {
    let config = httpbindings::Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .endpoint_url(endpoint)
        .max_attempts(1)
        .build();
    httpbindings::Client::new(&config)
}

/// A header bound to a string member (`X-Request-Id` → `PutHeadersOutput.request_id`)
/// that is not UTF-8 is a typed error naming the member, not text with U+FFFD in it.
#[tokio::test]
async fn invalid_utf8_in_a_bound_response_header_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "x-request-id",
                    http::HeaderValue::from_bytes(b"id-\xff\xfe").unwrap(),
                )
                .set_body_bytes(&b"{}"[..]),
        )
        .mount(&server)
        .await;
    let result = bindings_client(&server.uri()).put_headers().send().await;
    match result {
        Err(httpbindings::error::Error::Response(e)) => {
            let chain = httpbindings::error::DisplayErrorContext(&e).to_string();
            assert!(
                chain.contains("request_id"),
                "the error chain names the member: {chain}"
            );
        }
        other => panic!("expected a typed response error, got {other:?}"),
    }
}
