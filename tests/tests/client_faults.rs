//! The generated client against fault-injecting servers on loopback: wiremock for HTTP
//! answers (throttling, server errors, 404, malformed JSON, oversized bodies) and raw TCP
//! listeners for connection resets and a server that never answers. Every test asserts how
//! many requests (or connections) the server saw, so retries are counted exactly.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use apigatewayv2::config::{Credentials, RetryConfig};
use apigatewayv2::error::{Error, InvalidResponseKind, TimeoutKind, TransportErrorKind};
use apigatewayv2::operation::get_stage::GetStageError;
use apigatewayv2::{Client, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const STAGE_PATH: &str = "/v2/apis/a1b2c3/stages/prod";

fn config(endpoint: &str) -> apigatewayv2::config::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDTEST",
            "secret-key-never-logged",
            Some("session-token-never-logged".into()),
            None,
            "test",
        ))
        .endpoint_url(endpoint)
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20)),
        )
}

fn client(endpoint: &str) -> Client {
    Client::new(config(endpoint).build())
}

fn stage_json() -> serde_json::Value {
    serde_json::json!({
        "stageName": "prod",
        "description": "production",
        "createdDate": "2024-05-01T12:00:00Z",
        "stageVariables": {"backend": "blue"},
        "defaultRouteSettings": {"throttlingBurstLimit": 10, "throttlingRateLimit": 2.5}
    })
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("x-amzn-RequestId", "req-ok")
        .set_body_json(stage_json())
}

fn throttled() -> ResponseTemplate {
    ResponseTemplate::new(429)
        .insert_header("x-amzn-RequestId", "req-429")
        .insert_header("x-amzn-ErrorType", "TooManyRequestsException")
        .set_body_json(serde_json::json!({"message": "Too Many Requests", "limitType": "rate"}))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

async fn get_stage(
    client: &Client,
) -> Result<apigatewayv2::operation::get_stage::GetStageOutput, Error<GetStageError>> {
    client
        .get_stage()
        .api_id("a1b2c3")
        .stage_name("prod")
        .send()
        .await
}

#[tokio::test]
async fn throttled_then_ok_is_retried_and_signed_afresh() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(STAGE_PATH))
        .respond_with(throttled())
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(STAGE_PATH))
        .respond_with(ok())
        .mount(&server)
        .await;

    let out = get_stage(&client(&server.uri())).await.unwrap();
    assert_eq!(out.stage_name.as_deref(), Some("prod"));
    assert_eq!(out.stage_variables.as_ref().unwrap()["backend"], "blue");

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    for (i, r) in seen.iter().enumerate() {
        let auth = r.headers["authorization"].to_str().unwrap();
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
            "{auth}"
        );
        assert!(
            auth.contains("/us-east-1/apigateway/aws4_request"),
            "{auth}"
        );
        assert_eq!(
            r.headers["x-amz-security-token"],
            "session-token-never-logged"
        );
        assert!(r.headers.contains_key("x-amz-date"));
        let ua = r.headers["user-agent"].to_str().unwrap();
        assert!(ua.starts_with("apigatewayv2/"), "{ua}");
        assert_eq!(
            r.headers["amz-sdk-request"].to_str().unwrap(),
            format!("attempt={}; max=3", i + 1)
        );
    }
}

#[tokio::test]
async fn throttled_forever_gives_up_after_exactly_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(throttled())
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri()).max_attempts(4).build());

    let err = get_stage(&client).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 4);
    match err.as_service_error() {
        Some(GetStageError::TooManyRequestsException(e)) => {
            assert_eq!(e.message.as_deref(), Some("Too Many Requests"));
            assert_eq!(e.limit_type.as_deref(), Some("rate"));
        }
        other => panic!("expected TooManyRequestsException, got {other:?}"),
    }
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.request_id(), Some("req-429"));
    let text = err.to_string();
    assert!(
        text.contains("TooManyRequestsException") && text.contains("Too Many Requests"),
        "{text}"
    );
}

#[tokio::test]
async fn server_errors_are_retried() {
    for status in [500, 503] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_string("{}"))
            .up_to_n_times(2)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ok())
            .mount(&server)
            .await;
        let out = get_stage(&client(&server.uri())).await.unwrap();
        assert_eq!(out.description.as_deref(), Some("production"));
        assert_eq!(requests(&server).await.len(), 3, "HTTP {status}");
    }

    // And a server that keeps failing is given up on with its status.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .mount(&server)
        .await;
    let err = get_stage(&client(&server.uri())).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 3);
    assert_eq!(err.status(), Some(503));
    assert!(
        matches!(err.as_service_error(), Some(GetStageError::Unhandled(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn not_found_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-amzn-ErrorType", "NotFoundException")
                .insert_header("x-amzn-RequestId", "req-404")
                .set_body_json(
                    serde_json::json!({"message": "Invalid stage identifier specified"}),
                ),
        )
        .mount(&server)
        .await;
    let err = get_stage(&client(&server.uri())).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    let Some(GetStageError::NotFoundException(e)) = err.as_service_error() else {
        panic!("expected NotFoundException, got {err:?}");
    };
    assert_eq!(
        e.message.as_deref(),
        Some("Invalid stage identifier specified")
    );
    assert_eq!(
        err.to_string(),
        "NotFoundException: Invalid stage identifier specified (HTTP 404, request id req-404)"
    );
}

#[tokio::test]
async fn malformed_json_on_200_is_a_typed_response_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-amzn-RequestId", "req-bad")
                .set_body_raw("{\"stageName\": ", "application/json"),
        )
        .mount(&server)
        .await;
    let err = get_stage(&client(&server.uri())).await.unwrap_err();
    assert_eq!(
        requests(&server).await.len(),
        1,
        "an unparseable response is not retried"
    );
    let Error::Response(e) = &err else {
        panic!("expected a response error, got {err:?}");
    };
    assert!(
        matches!(e.kind(), InvalidResponseKind::Unparseable(_)),
        "{e:?}"
    );
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.request_id(), Some("req-bad"));
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = MockServer::start().await;
    let mut big = stage_json();
    big["description"] = serde_json::Value::String("x".repeat(64 * 1024));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(big))
        .mount(&server)
        .await;
    let capped = Client::new(config(&server.uri()).max_response_body(16 * 1024).build());
    let err = get_stage(&capped).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    let Error::Response(e) = &err else {
        panic!("expected a response error, got {err:?}");
    };
    assert!(
        matches!(e.kind(), InvalidResponseKind::TooLarge { limit: 16384 }),
        "{e:?}"
    );

    // Under the default 10 MiB cap the same body is fine.
    let out = get_stage(&client(&server.uri())).await.unwrap();
    assert_eq!(out.description.map(|d| d.len()), Some(64 * 1024));
}

/// A raw TCP server: counts connections and hands each to `handle`.
async fn tcp_server<F, Fut>(handle: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(handle(socket));
        }
    });
    (format!("http://{addr}"), count)
}

async fn read_head(socket: &mut tokio::net::TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn connection_resets_are_retried_then_reported() {
    let (endpoint, connections) = tcp_server(|mut socket| async move {
        read_head(&mut socket).await;
        // Close with RST instead of FIN.
        #[allow(deprecated)]
        let _ = socket.set_linger(Some(Duration::ZERO));
        drop(socket);
    })
    .await;
    let err = get_stage(&client(&endpoint)).await.unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    let Error::Transport(e) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert_eq!(e.kind(), TransportErrorKind::Io, "{e}");
    assert_eq!(err.status(), None);

    // A reset on the first connection, then an answer: succeeds on the retry.
    let (endpoint, connections) = {
        let first = Arc::new(AtomicUsize::new(0));
        tcp_server(move |mut socket| {
            let first = first.clone();
            async move {
                read_head(&mut socket).await;
                if first.fetch_add(1, Ordering::SeqCst) == 0 {
                    #[allow(deprecated)]
                    let _ = socket.set_linger(Some(Duration::ZERO));
                    return;
                }
                let body = stage_json().to_string();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            }
        })
        .await
    };
    let out = get_stage(&client(&endpoint)).await.unwrap();
    assert_eq!(out.stage_name.as_deref(), Some("prod"));
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_bound() {
    let (endpoint, connections) = tcp_server(|mut socket| async move {
        read_head(&mut socket).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(socket);
    })
    .await;

    // Attempt timeout: each attempt ends at 200 ms, two attempts.
    let client = Client::new(
        config(&endpoint)
            .max_attempts(2)
            .attempt_timeout(Duration::from_millis(200))
            .build(),
    );
    let started = Instant::now();
    let err = get_stage(&client).await.unwrap_err();
    let elapsed = started.elapsed();
    let Error::Timeout(t) = &err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(t.kind(), TimeoutKind::Attempt);
    assert!(
        elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 2);

    // Operation timeout: the whole call ends at 300 ms, whatever the attempts.
    let before = connections.load(Ordering::SeqCst);
    let client = Client::new(
        config(&endpoint)
            .operation_timeout(Duration::from_millis(300))
            .build(),
    );
    let started = Instant::now();
    let err = get_stage(&client).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(&err, Error::Timeout(t) if t.kind() == TimeoutKind::Operation),
        "{err:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst) - before, 1);
    assert_eq!(err.to_string(), "the operation timed out after 300ms");
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .get_stage()
        .api_id("a1b2c3")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert!(err.to_string().contains("stage_name"), "{err}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn clones_share_one_client_and_are_send_sync() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>(_: &T) {}
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let client = client(&server.uri());
    assert_send_sync(&client);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get_stage(&client).await.map(|o| o.stage_name) })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().as_deref(), Some("prod"));
    }
    assert_eq!(requests(&server).await.len(), 8);
}

#[test]
fn debug_output_never_shows_secrets() {
    let config = config("http://127.0.0.1:1").build();
    let client = Client::new(&config);
    for text in [format!("{config:?}"), format!("{client:?}")] {
        assert!(!text.contains("secret-key-never-logged"), "{text}");
        assert!(!text.contains("session-token-never-logged"), "{text}");
    }
}

#[tokio::test]
async fn endpoint_resolution_errors_are_reported_per_call() {
    // No region and no endpoint URL: the rule set cannot resolve an endpoint.
    let config = Config::builder()
        .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
        .build();
    let err = Client::new(&config)
        .get_stage()
        .api_id("a")
        .stage_name("b")
        .send()
        .await
        .unwrap_err();
    // A missing region is one configuration error, before endpoint resolution could say
    // `Missing Region`.
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("no AWS region is configured: set AWS_REGION"),
        "{err}"
    );
    // FIPS with a custom endpoint: the rule set refuses it.
    let config = config
        .to_builder()
        .region("us-east-1")
        .use_fips(true)
        .endpoint_url("http://127.0.0.1:1")
        .build();
    let err = Client::new(&config)
        .get_stage()
        .api_id("a")
        .stage_name("b")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Endpoint(_)), "{err:?}");
    assert!(
        err.to_string().starts_with("endpoint resolution failed"),
        "{err}"
    );
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn spans_describe_operations_and_attempts_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(throttled())
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok())
        .mount(&server)
        .await;

    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    get_stage(&client(&server.uri())).await.unwrap();
    drop(_guard);

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("operation{service=\"ApiGatewayV2\" operation=\"GetStage\""),
        "{text}"
    );
    assert!(
        text.contains("attempt{attempt=1") && text.contains("attempt{attempt=2"),
        "{text}"
    );
    assert!(
        text.contains("status=429") && text.contains("status=200"),
        "{text}"
    );
    assert!(
        text.contains("request_id=\"req-429\"") && text.contains("request_id=\"req-ok\""),
        "{text}"
    );
    assert!(text.contains("latency_ms="), "{text}");
    assert!(
        text.contains("attempts=2") && text.contains("outcome=\"success\""),
        "{text}"
    );
    for secret in [
        "secret-key-never-logged",
        "session-token-never-logged",
        "Signature=",
    ] {
        assert!(!text.contains(secret), "`{secret}` in the logs:\n{text}");
    }
}
