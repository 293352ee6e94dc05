//! The generated CLIs of the `pagination`, `streaming` and `eventstream` crates, run as
//! programs (`examples/<crate>_cli.rs`, built once by `cargo build --examples`) against a
//! hyper server on 127.0.0.1: `--all-pages` over several pages, `wait <waiter>` that
//! succeeds, fails and times out, event streams printed as JSON lines as they arrive (and a
//! modeled exception event), `--output-file` written as the body arrives, and streamed
//! inputs from `@PATH` and standard input.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use aws_client_runtime::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};

/// The size of the downloaded object: several chunks of the client's reads.
const OBJECT_LEN: usize = 3 * 1024 * 1024;

/// The CLI binaries, by example name, built once for all the tests of this file.
fn binary(name: &str) -> PathBuf {
    static BINARIES: OnceLock<HashMap<String, PathBuf>> = OnceLock::new();
    let binaries = BINARIES.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let manifest = tests::workspace_root().join("Cargo.toml");
        let out = std::process::Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--message-format=json",
                "--manifest-path",
            ])
            .arg(&manifest)
            .args(["-p", "pagination", "-p", "streaming", "-p", "eventstream"])
            .args(["-p", "bedrockstreams"])
            .arg("--examples")
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo build --examples");
        assert!(out.status.success(), "cargo build --examples failed");
        let mut found = HashMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let is_example = message["target"]["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "example"));
            if let (true, Some(exe)) = (is_example, message["executable"].as_str()) {
                let name = message["target"]["name"].as_str().unwrap_or_default();
                found.insert(name.to_owned(), PathBuf::from(exe));
            }
        }
        found
    });
    binaries
        .get(name)
        .unwrap_or_else(|| panic!("no example `{name}` was built: {binaries:?}"))
        .clone()
}

/// What one run printed.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The one JSON line on stderr.
    fn error_line(&self) -> Value {
        serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not one JSON line ({e}): {self:?}"))
    }

    /// Every stdout line as JSON.
    fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

/// The CLI `name` with `args` and `--endpoint-url`, in a clean AWS environment.
fn command(name: &str, server: &Server, args: &[&str]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(binary(name));
    command
        .args(args)
        .args(["--endpoint-url", &server.url])
        .kill_on_drop(true);
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command
        .env("AWS_CONFIG_FILE", "/nonexistent/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret");
    command
}

async fn run_with(name: &str, server: &Server, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut command = command(name, server, args);
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the CLI runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // A command refused before it reads its input closes the pipe: that is no error
        // here (what was sent is checked at the server).
        let _ = pipe.write_all(input).await;
        drop(pipe);
    }
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the CLI ends within a minute")
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

async fn run(name: &str, server: &Server, args: &[&str]) -> Run {
    run_with(name, server, args, None).await
}

/// [`run`], checking the exit code.
async fn exits(name: &str, server: &Server, args: &[&str], code: i32) -> Run {
    let out = run(name, server, args).await;
    assert_eq!(out.code, code, "{args:?}: {out:?}");
    out
}

// ---------------------------------------------------------------------------------------------
// The server

/// A response body: whole, or chunks as the test hands them over.
enum Body {
    Full(Option<Bytes>),
    Channel(mpsc::Receiver<Bytes>),
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(http_body::Frame::data(b)))),
            Body::Channel(rx) => rx
                .poll_recv(cx)
                .map(|chunk| chunk.map(|b| Ok(http_body::Frame::data(b)))),
        }
    }
}

/// One request the server saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    headers: http::HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct State {
    seen: Mutex<Vec<Seen>>,
    /// Held back until the test opens them: the rest of a streamed body.
    gates: Mutex<HashMap<String, oneshot::Receiver<()>>>,
}

/// The test server: stops when dropped.
struct Server {
    url: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// The requests to paths starting with `prefix`.
    fn seen_at(&self, prefix: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.path.starts_with(prefix))
            .collect()
    }

    /// Holds the rest of the body of the response at `path` until the sender is used.
    fn gate(&self, path: &str) -> oneshot::Sender<()> {
        let (tx, rx) = oneshot::channel();
        self.state.gates.lock().unwrap().insert(path.to_owned(), rx);
        tx
    }
}

fn response(status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> http::Response<Body> {
    let mut response = http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    response.body(Body::Full(Some(body.into()))).unwrap()
}

fn json_response(status: u16, body: Value) -> http::Response<Body> {
    response(
        status,
        &[("content-type", "application/json")],
        body.to_string(),
    )
}

fn not_found(code: &str, message: &str) -> http::Response<Body> {
    response(
        404,
        &[
            ("content-type", "application/json"),
            ("x-amzn-errortype", code),
            ("x-amzn-requestid", "req-404"),
        ],
        json!({ "message": message }).to_string(),
    )
}

/// A streamed response: `first`, then (after the gate for `path`, when there is one) `rest`.
fn streamed(
    state: &State,
    path: &str,
    headers: &[(&str, &str)],
    first: Vec<Bytes>,
    rest: Vec<Bytes>,
) -> http::Response<Body> {
    let gate = state.gates.lock().unwrap().remove(path);
    let (tx, rx) = mpsc::channel(4);
    tokio::spawn(async move {
        for chunk in first {
            if tx.send(chunk).await.is_err() {
                return;
            }
        }
        if let Some(gate) = gate {
            let _ = gate.await;
        }
        for chunk in rest {
            if tx.send(chunk).await.is_err() {
                return;
            }
        }
    });
    let mut response = http::Response::builder().status(200);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    response.body(Body::Channel(rx)).unwrap()
}

/// The downloaded object's bytes.
fn object() -> Vec<u8> {
    (0..OBJECT_LEN).map(|i| (i * 7 % 251) as u8).collect()
}

fn frame(headers: Vec<(&str, HeaderValue)>, payload: impl Into<Bytes>) -> Bytes {
    let mut message = Message::new(payload.into());
    for (name, value) in headers {
        message = message.add_header(Header::new(name.to_owned(), value));
    }
    let mut out = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&message, &mut out).unwrap();
    Bytes::from(out)
}

fn text(value: &str) -> HeaderValue {
    HeaderValue::String(value.to_owned().into())
}

fn event(kind: &str, payload: Value) -> Bytes {
    frame(
        vec![
            (":message-type", text("event")),
            (":event-type", text(kind)),
            (":content-type", text("application/json")),
        ],
        payload.to_string(),
    )
}

fn things_page(token: Option<&str>) -> Value {
    match token {
        None => json!({"Things": [{"Name": "a"}, {"Name": "b"}], "NextToken": "t2"}),
        Some("t2") => json!({"Things": [{"Name": "c"}], "NextToken": "t3"}),
        Some("t3") => json!({"Things": [{"Name": "d", "Status": "ACTIVE"}]}),
        Some("loop") => json!({"Things": [{"Name": "e"}], "NextToken": "again"}),
        Some(other) => json!({"Things": [], "NextToken": other}),
    }
}

/// `ready-later` is CREATING once, then ACTIVE; `broken` is FAILED; `stuck` stays CREATING.
fn thing(name: &str, earlier_calls: usize) -> http::Response<Body> {
    let status = match (name, earlier_calls) {
        ("ready-later", 0) | ("stuck", _) => "CREATING",
        ("ready-later", _) => "ACTIVE",
        ("broken", _) => "FAILED",
        _ => return not_found("ResourceNotFoundException", "no such thing"),
    };
    json_response(200, json!({"Thing": {"Name": name, "Status": status}}))
}

fn chat(state: &State, path: &str, model: &str) -> http::Response<Body> {
    let headers = [
        ("content-type", "application/vnd.amazon.eventstream"),
        ("x-session-id", "s-1"),
    ];
    let start = event("messageStart", json!({"role": "assistant"}));
    let rest = match model {
        "throttled" => vec![frame(
            vec![
                (":message-type", text("exception")),
                (":exception-type", text("throttlingException")),
                (":content-type", text("application/json")),
            ],
            json!({"message": "slow down"}).to_string(),
        )],
        _ => vec![
            event(
                "contentBlockDelta",
                json!({"delta": "Hel", "contentBlockIndex": 0}),
            ),
            event(
                "contentBlockDelta",
                json!({"delta": "lo", "contentBlockIndex": 0}),
            ),
            frame(
                vec![
                    (":message-type", text("event")),
                    (":event-type", text("metadata")),
                    (":content-type", text("application/json")),
                    ("requestCount", HeaderValue::Int32(2)),
                    ("stopReason", text("end_turn")),
                ],
                json!({"inputTokens": 3, "outputTokens": 5}).to_string(),
            ),
            frame(
                vec![
                    (":message-type", text("event")),
                    (":event-type", text("rawChunk")),
                    (":content-type", text("application/octet-stream")),
                ],
                Bytes::from_static(b"raw\x00\x01"),
            ),
        ],
    };
    streamed(state, path, &headers, vec![start], rest)
}

/// Bedrock Runtime's `ConverseStream` answer: a short reply, or a throttling exception
/// after the first event.
fn converse(model: &str) -> http::Response<Body> {
    let start = event("messageStart", json!({"role": "assistant"}));
    let rest = match model {
        "throttled" => vec![frame(
            vec![
                (":message-type", text("exception")),
                (":exception-type", text("throttlingException")),
                (":content-type", text("application/json")),
            ],
            json!({"message": "Too many tokens, please wait"}).to_string(),
        )],
        _ => vec![
            event(
                "contentBlockDelta",
                json!({"delta": {"text": "Bonjour"}, "contentBlockIndex": 0}),
            ),
            event("contentBlockStop", json!({"contentBlockIndex": 0})),
            event("messageStop", json!({"stopReason": "end_turn"})),
            event(
                "metadata",
                json!({"usage": {"inputTokens": 9, "outputTokens": 2, "totalTokens": 11}, "metrics": {"latencyMs": 120}}),
            ),
        ],
    };
    let mut body = Vec::new();
    for frame in std::iter::once(start).chain(rest) {
        body.extend_from_slice(&frame);
    }
    response(
        200,
        &[("content-type", "application/vnd.amazon.eventstream")],
        body,
    )
}

async fn handle(
    request: http::Request<hyper::body::Incoming>,
    state: Arc<State>,
) -> Result<http::Response<Body>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);
    let earlier_calls = {
        let mut seen = state.seen.lock().unwrap();
        let earlier = seen.iter().filter(|s| s.path == path).count();
        seen.push(Seen {
            method: parts.method.to_string(),
            path: path.clone(),
            query: query.clone(),
            headers: parts.headers.clone(),
            body: body.clone(),
        });
        earlier
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let token = query.as_deref().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("nextToken="))
            .map(str::to_owned)
    });
    Ok(match (parts.method.as_str(), segments.as_slice()) {
        ("GET", ["things"]) => json_response(200, things_page(token.as_deref())),
        ("GET", ["things", name]) => thing(name, earlier_calls),
        ("GET", ["objects", "blob"]) => {
            let object = Bytes::from(object());
            let half = OBJECT_LEN / 3;
            let length = OBJECT_LEN.to_string();
            streamed(
                &state,
                &path,
                &[
                    ("content-type", "application/octet-stream"),
                    ("content-length", length.as_str()),
                ],
                vec![object.slice(..half)],
                vec![object.slice(half..)],
            )
        }
        ("GET", ["objects", _]) => not_found("NotFoundError", "no such object"),
        ("PUT", ["objects" | "sized", _]) => {
            let etag = format!(
                "{}:{}",
                body.len(),
                body.iter().map(|b| u64::from(*b)).sum::<u64>()
            );
            response(200, &[("etag", etag.as_str())], "")
        }
        ("POST", ["model", model, "chat-stream"]) => chat(&state, &path, model),
        ("POST", ["model", model, "converse-stream"]) => converse(model),
        _ => not_found("UnknownOperationException", "no such route"),
    })
}

async fn server() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(State::default());
    let task = tokio::spawn({
        let state = state.clone();
        async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((socket, _)) = listener.accept().await {
                let state = state.clone();
                connections.spawn(async move {
                    let service =
                        hyper::service::service_fn(move |request| handle(request, state.clone()));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                        .await;
                });
            }
        }
    });
    Server { url, state, task }
}

type Lines = tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>;

/// The next stdout line of a running CLI, as JSON.
async fn next_line(lines: &mut Lines) -> Value {
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("a line within 30 s")
        .unwrap()
        .expect("a line before the end");
    serde_json::from_str::<Value>(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cli-flows-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------------------------
// Pagination

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_pages_prints_one_json_line_per_page() {
    let server = server().await;
    let out = exits(
        "pagination_cli",
        &server,
        &["list-things", "--all-pages"],
        0,
    )
    .await;
    assert_eq!(
        out.json_lines(),
        vec![
            things_page(None),
            things_page(Some("t2")),
            things_page(Some("t3"))
        ]
    );
    let tokens: Vec<Option<String>> = server
        .seen_at("/things")
        .iter()
        .map(|s| s.query.clone())
        .collect();
    assert_eq!(
        tokens,
        vec![
            None,
            Some("nextToken=t2".into()),
            Some("nextToken=t3".into())
        ]
    );
    assert!(out.stderr.is_empty(), "{out:?}");

    // Without it, one call and the page as pretty JSON; a starting token is the flag's.
    let out = exits(
        "pagination_cli",
        &server,
        &["list-things", "--next-token", "t2"],
        0,
    )
    .await;
    assert!(out.stdout.lines().count() > 1, "pretty: {}", out.stdout);
    let page: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(page, things_page(Some("t2")));
    let out = run(
        "pagination_cli",
        &server,
        &["list-things", "--next-token", "t2", "--all-pages"],
    )
    .await;
    assert_eq!(
        out.json_lines(),
        vec![things_page(Some("t2")), things_page(Some("t3"))]
    );

    // A switch takes no value; a misspelling gets the suggestion; it is not offered to
    // operations without pagination.
    let out = exits(
        "pagination_cli",
        &server,
        &["list-things", "--all-pages=yes"],
        2,
    )
    .await;
    assert!(out.stderr.contains("--all-pages takes no value"), "{out:?}");
    let out = exits("pagination_cli", &server, &["list-things", "--all-page"], 2).await;
    assert!(out.stderr.contains("did you mean --all-pages?"), "{out:?}");
    let out = exits(
        "pagination_cli",
        &server,
        &["get-thing", "--name", "x", "--all-pages"],
        2,
    )
    .await;
    assert!(out.stderr.contains("unknown option --all-pages"), "{out:?}");
    let out = run("pagination_cli", &server, &["list-things", "--help"]).await;
    assert!(
        out.stdout.contains("--all-pages") && out.stdout.contains("one JSON line per page"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_page_ends_with_the_error_line() {
    let server = server().await;
    // The second page hands back the token it was sent: the paginator stops with an error
    // after the first page was printed.
    let out = exits(
        "pagination_cli",
        &server,
        &["list-things", "--next-token", "loop", "--all-pages"],
        1,
    )
    .await;
    assert_eq!(out.json_lines(), vec![things_page(Some("loop"))]);
    let line = out.error_line();
    assert_eq!(line["code"], "PaginationError", "{line}");
    assert!(
        line["message"].as_str().unwrap().contains("again"),
        "{line}"
    );
}

// ---------------------------------------------------------------------------------------------
// Waiters

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_that_succeeds_exits_0() {
    let server = server().await;
    let out = exits(
        "pagination_cli",
        &server,
        &[
            "wait",
            "thing-active",
            "--name",
            "ready-later",
            "--max-wait",
            "30",
        ],
        0,
    )
    .await;
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
    assert_eq!(server.seen_at("/things/ready-later").len(), 2);

    // An error response can be the success: "wait until deleted".
    exits(
        "pagination_cli",
        &server,
        &["wait", "thing-deleted", "--name", "gone"],
        0,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_that_fails_exits_1_with_the_error_line() {
    let server = server().await;
    let out = exits(
        "pagination_cli",
        &server,
        &["wait", "thing-active", "--name", "broken"],
        1,
    )
    .await;
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_eq!(
        out.error_line(),
        json!({
            "code": "WaiterFailure",
            "message": "the waiter reached a failure state after 1 attempts",
            "attempts": 1
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_that_times_out_exits_1_with_the_error_line() {
    let server = server().await;
    let started = std::time::Instant::now();
    let out = exits(
        "pagination_cli",
        &server,
        &["wait", "thing-active", "--name", "stuck", "--max-wait", "2"],
        1,
    )
    .await;
    let line = out.error_line();
    assert_eq!(line["code"], "WaiterTimeout", "{line}");
    let attempts = server.seen_at("/things/stuck").len();
    assert!(attempts >= 2, "{attempts} attempts");
    assert_eq!(line["attempts"], attempts, "{line}");
    assert_eq!(
        line["message"],
        format!("the waiter gave up after {attempts} attempts: the maximum wait of 2s ran out")
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiter_usage_errors_exit_2_before_anything_is_sent() {
    let server = server().await;
    let cases: &[(&[&str], &str)] = &[
        (
            &["wait", "thing-activ", "--name", "x"],
            "pagination wait: unknown waiter `thing-activ`; did you mean `thing-active`? \
             (see `pagination --help` for the commands)",
        ),
        (
            &["wait"],
            "pagination wait: name a waiter (name-echoed, parts-ready, paths-compiled, \
             thing-active, thing-deleted)",
        ),
        (&["wait", "thing-active"], "--name is required"),
        (
            &["wait", "thing-active", "--name", "x", "--max-wait", "soon"],
            "--max-wait needs a positive number of seconds, not `soon`",
        ),
        (
            &["wait", "thing-active", "--name", "x", "--max-wait", "1"],
            "--max-wait: invalid waiter configuration: the maximum wait (1s) must be longer \
             than the minimum delay (1s)",
        ),
    ];
    for (args, expected) in cases {
        let out = run("pagination_cli", &server, args).await;
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert_eq!(out.stderr.trim(), *expected, "{args:?}");
    }
    assert!(server.seen().is_empty(), "{:?}", server.seen());
    let out = run("pagination_cli", &server, &["--help"]).await;
    assert!(out.stdout.contains("wait thing-active"), "{}", out.stdout);
    let out = exits(
        "pagination_cli",
        &server,
        &["wait", "thing-active", "--help"],
        0,
    )
    .await;
    assert!(
        out.stdout.contains("--max-wait SECS") && out.stdout.contains("--name TEXT"),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Event streams

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_printed_as_json_lines_as_they_arrive() {
    let server = server().await;
    let open = server.gate("/model/m1/chat-stream");
    let mut child = command(
        "eventstream_cli",
        &server,
        &["chat-stream", "--model-id", "m1", "--prompt", "hi"],
    )
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    // The first event is out while the server still holds back the rest.
    assert_eq!(
        next_line(&mut lines).await,
        json!({"initial-response": {"sessionId": "s-1"}})
    );
    assert_eq!(
        next_line(&mut lines).await,
        json!({"messageStart": {"role": "assistant"}})
    );
    open.send(()).unwrap();
    let mut rest = Vec::new();
    for _ in 0..4 {
        rest.push(next_line(&mut lines).await);
    }
    assert_eq!(
        rest,
        vec![
            json!({"contentBlockDelta": {"delta": "Hel", "contentBlockIndex": 0}}),
            json!({"contentBlockDelta": {"delta": "lo", "contentBlockIndex": 0}}),
            json!({"metadata": {"requestCount": 2, "stopReason": "end_turn", "usage": {"inputTokens": 3, "outputTokens": 5}}}),
            json!({"rawChunk": {"bytes": "cmF3AAE="}}),
        ]
    );
    assert!(lines.next_line().await.unwrap().is_none(), "nothing more");
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    let request = &server.seen_at("/model/m1")[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).unwrap(),
        json!({"prompt": "hi"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_modeled_exception_event_ends_with_the_error_line() {
    let server = server().await;
    let out = exits(
        "eventstream_cli",
        &server,
        &["chat-stream", "--model-id", "throttled"],
        1,
    )
    .await;
    assert_eq!(
        out.json_lines(),
        vec![
            json!({"initial-response": {"sessionId": "s-1"}}),
            json!({"messageStart": {"role": "assistant"}}),
        ]
    );
    assert_eq!(
        out.error_line(),
        json!({"code": "ThrottlingException", "message": "slow down"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converse_stream_prints_each_event_and_sends_the_messages() {
    let server = server().await;
    let message = r#"{"role": "user", "content": [{"text": "Say hello in French"}]}"#;
    let out = exits(
        "bedrockstreams_cli",
        &server,
        &[
            "converse-stream",
            "--model-id",
            "anthropic.claude-3",
            "--messages",
            message,
        ],
        0,
    )
    .await;
    assert_eq!(
        out.json_lines(),
        vec![
            json!({"messageStart": {"role": "assistant"}}),
            json!({"contentBlockDelta": {"delta": {"text": "Bonjour"}, "contentBlockIndex": 0}}),
            json!({"contentBlockStop": {"contentBlockIndex": 0}}),
            json!({"messageStop": {"stopReason": "end_turn"}}),
            json!({"metadata": {"usage": {"inputTokens": 9, "outputTokens": 2, "totalTokens": 11}, "metrics": {"latencyMs": 120}}}),
        ]
    );
    assert!(out.stderr.is_empty(), "{out:?}");
    let request = &server.seen_at("/model/anthropic.claude-3/converse-stream")[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).unwrap(),
        json!({"messages": [{"role": "user", "content": [{"text": "Say hello in French"}]}]})
    );

    let out = exits(
        "bedrockstreams_cli",
        &server,
        &[
            "converse-stream",
            "--model-id",
            "throttled",
            "--messages",
            message,
        ],
        1,
    )
    .await;
    assert_eq!(
        out.json_lines(),
        vec![json!({"messageStart": {"role": "assistant"}})]
    );
    assert_eq!(
        out.error_line(),
        json!({"code": "ThrottlingException", "message": "Too many tokens, please wait"})
    );

    // An input event stream cannot come from a command line yet: a usage error, nothing sent.
    let before = server.seen().len();
    let out = exits(
        "bedrockstreams_cli",
        &server,
        &["invoke-model-with-bidirectional-stream", "--model-id", "m1"],
        2,
    )
    .await;
    assert!(
        out.stderr
            .contains("--body: this CLI cannot send input event streams yet"),
        "{out:?}"
    );
    assert_eq!(server.seen().len(), before, "nothing was sent");
}

// ---------------------------------------------------------------------------------------------
// Streamed blobs

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_file_gets_the_bytes_as_they_arrive() {
    let server = server().await;
    let dir = temp_dir("download");
    let file = dir.join("object.bin");
    let open = server.gate("/objects/blob");
    let child = command(
        "streaming_cli",
        &server,
        &[
            "download-object",
            "--key",
            "blob",
            "--output-file",
            file.to_str().unwrap(),
        ],
    )
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // The first third is in the file while the server holds back the rest: the body is
    // written as it comes, not collected first.
    let third = (OBJECT_LEN / 3) as u64;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) < third {
        assert!(
            std::time::Instant::now() < deadline,
            "the first chunk never reached the file"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(std::fs::metadata(&file).unwrap().len(), third);
    open.send(()).unwrap();
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        std::fs::read(&file).unwrap() == object(),
        "the file holds the object"
    );
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        printed,
        json!({"ContentType": "application/octet-stream", "ContentLength": OBJECT_LEN})
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_file_errors() {
    let server = server().await;
    let dir = temp_dir("download-errors");
    // A failed call leaves no file it created, and a file that was there as it was.
    let download_missing = |file: PathBuf| {
        let server = &server;
        async move {
            let out = run(
                "streaming_cli",
                server,
                &[
                    "download-object",
                    "--key",
                    "missing",
                    "--output-file",
                    file.to_str().unwrap(),
                ],
            )
            .await;
            assert_eq!(out.code, 1, "{out:?}");
            out
        }
    };
    let new_file = dir.join("new.bin");
    let out = download_missing(new_file.clone()).await;
    assert_eq!(
        out.error_line(),
        json!({"code": "NotFoundError", "message": "no such object", "httpStatus": 404, "requestId": "req-404"})
    );
    assert!(!new_file.exists());
    let old_file = dir.join("old.bin");
    std::fs::write(&old_file, b"keep me").unwrap();
    download_missing(old_file.clone()).await;
    assert_eq!(std::fs::read(&old_file).unwrap(), b"keep me");

    // Refused before anything is sent: no --output-file, or one that cannot be written.
    let before = server.seen().len();
    let out = exits(
        "streaming_cli",
        &server,
        &["download-object", "--key", "blob"],
        2,
    )
    .await;
    assert_eq!(out.stderr.trim(), "--output-file is required");
    let out = exits(
        "streaming_cli",
        &server,
        &[
            "download-object",
            "--key",
            "blob",
            "--output-file",
            dir.to_str().unwrap(),
        ],
        2,
    )
    .await;
    assert!(
        out.stderr.starts_with(&format!(
            "--output-file: cannot write `{}`: ",
            dir.display()
        )),
        "{out:?}"
    );
    assert_eq!(server.seen().len(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_inputs_come_from_a_file_or_stdin() {
    let server = server().await;
    let dir = temp_dir("upload");
    let file = dir.join("upload.bin");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&file, &data).unwrap();
    let sum: u64 = data.iter().map(|b| u64::from(*b)).sum();
    let at_path = format!("@{}", file.display());

    let out = exits(
        "streaming_cli",
        &server,
        &[
            "upload-object",
            "--key",
            "f",
            "--body",
            &at_path,
            "--content-type",
            "application/x-test",
        ],
        0,
    )
    .await;
    let printed: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(printed["ETag"], format!("{}:{sum}", data.len()));
    let seen = server.seen_at("/objects/f").pop().unwrap();
    assert_eq!(seen.method, "PUT");
    assert!(seen.body == data, "the server got the file");
    assert_eq!(seen.headers["content-length"], data.len().to_string());
    assert_eq!(seen.headers["content-type"], "application/x-test");

    let out = run_with(
        "streaming_cli",
        &server,
        &["upload-object", "--key", "s", "--body", "-"],
        Some(&data),
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    let seen = server.seen_at("/objects/s").pop().unwrap();
    assert!(seen.body == data, "the server got stdin");

    // `@requiresLength` takes a file, not stdin; anything else is refused before sending.
    exits(
        "streaming_cli",
        &server,
        &["upload-sized", "--key", "z", "--body", &at_path],
        0,
    )
    .await;
    assert!(server.seen_at("/sized/z").pop().unwrap().body == data);
    let before = server.seen().len();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["upload-sized", "--key", "y", "--body", "-"],
            "--body: `-` (standard input) has no length known up front, and this member \
             needs one (@requiresLength); give @PATH"
                .to_owned(),
        ),
        (
            vec!["upload-object", "--key", "y", "--body", "inline text"],
            "--body: `inline text` is not `@PATH` (a file to send) or `-` (standard input)"
                .to_owned(),
        ),
        (
            vec![
                "upload-object",
                "--key",
                "y",
                "--body",
                "@/nonexistent/file",
            ],
            "--body: cannot read `/nonexistent/file`: No such file or directory (os error 2)"
                .to_owned(),
        ),
    ];
    for (args, expected) in cases {
        let out = run_with("streaming_cli", &server, &args, Some(b"x")).await;
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert_eq!(out.stderr.trim(), expected, "{args:?}");
    }
    assert_eq!(server.seen().len(), before);
    let out = run("streaming_cli", &server, &["upload-object", "--help"]).await;
    assert!(out.stdout.contains("--body @PATH|-"), "{}", out.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}
