//! Secrets never leak: the secret key, the session token, the `Authorization` header and
//! `@sensitive` members appear in no `Debug` output, no `Display` output, no error message
//! and no `tracing` event at any level.
//!
//! The tracing test captures everything a full call emits at TRACE (spans with their fields,
//! events; the client's and its HTTP stack's) into a buffer and searches it. It captures the
//! `log` facade too, at TRACE: reqwest and rustls log there rather than through `tracing`.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigatewayv2::config::{CannedHttpClient, CannedResponse, Credentials};
use apigatewayv2::{Client, Config};
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCESS_KEY: &str = "AKIDSECRETSTEST00001";
const SECRET_KEY: &str = "wJalrXUtnFEMIsecretKEYdoNOTleak0000000001";
const SESSION_TOKEN: &str = "IQoJsessionTOKENdoNOTleak//0000000001==";
const SENSITIVE: &str = "hunter2-sensitive-value";
const SENSITIVE_USER: &str = "alice-in-a-sensitive-structure";

fn credentials() -> Credentials {
    Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        Some(SESSION_TOKEN.to_string()),
        None,
        "test",
    )
}

/// Fails naming the secret when `text` contains one of `secrets`.
fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(
            !text.contains(secret),
            "{what} contains the secret {secret:?}:\n{text}"
        );
    }
}

/// A `MakeWriter` appending to a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// A `log` logger writing every record, at every level, into a [`Buffer`].
struct LogCapture(Buffer);

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!(
            "LOG {} {}: {}\n",
            record.level(),
            record.target(),
            record.args()
        );
        let _ = self.0.clone().write_all(line.as_bytes());
    }
    fn flush(&self) {}
}

/// Every kind of call, against a local server: success, a modeled error, an unhandled
/// error, retries after 500s, an attempt timeout, a validation failure; the real HTTP client.
#[test]
fn no_secret_reaches_tracing_at_any_level() {
    let buffer = Buffer::default();
    let log_buffer = Buffer::default();
    log::set_boxed_logger(Box::new(LogCapture(log_buffer.clone())))
        .expect("no other test of this file installs a logger");
    log::set_max_level(log::LevelFilter::Trace);
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(buffer.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish();
    let authorizations = tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(calls())
    });
    let log_records = log_buffer.text();
    assert!(
        log_records.contains("LOG "),
        "the `log` capture saw the HTTP stack's records"
    );
    let logs = format!("{}{log_records}", buffer.text());
    assert!(
        logs.contains("GetStage"),
        "the capture saw the operation:\n{logs}"
    );
    assert!(
        logs.contains("TRACE") || logs.contains("DEBUG"),
        "the capture is at TRACE:\n{logs}"
    );
    let mut secrets = vec![SECRET_KEY, SESSION_TOKEN];
    let signatures: Vec<String> = authorizations
        .iter()
        .map(|a| a.rsplit("Signature=").next().unwrap_or(a).to_string())
        .collect();
    assert!(!signatures.is_empty(), "the server saw signed requests");
    for s in &signatures {
        secrets.push(s);
    }
    let full: Vec<&str> = authorizations.iter().map(String::as_str).collect();
    secrets.extend(full);
    assert_clean("the TRACE log", &logs, &secrets);
}

/// Runs the calls; returns the `Authorization` headers the server received.
async fn calls() -> Vec<String> {
    let server = MockServer::start().await;
    let stage = r#"{"stageName":"prod","description":"d","stageVariables":{"k":"v"}}"#;
    Mock::given(wiremock::matchers::path("/v2/apis/ok/stages/prod"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-amzn-requestid", "req-1")
                .set_body_string(stage),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/v2/apis/missing/stages/prod"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-amzn-errortype", "NotFoundException")
                .set_body_string(r#"{"message":"no such stage"}"#),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/v2/apis/broken/stages/prod"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/v2/apis/slow/stages/prod"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_secs(5))
                .set_body_string("{}"),
        )
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400))
        .mount(&server)
        .await;

    let config = Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .endpoint_url(server.uri())
        .max_attempts(3)
        .attempt_timeout(Duration::from_millis(500))
        .build();
    let client = Client::new(&config);
    for api in ["ok", "missing", "broken", "slow"] {
        let result = client
            .get_stage()
            .api_id(api)
            .stage_name("prod")
            .send()
            .await;
        tracing::info!(?result, "result");
        if let Err(e) = &result {
            tracing::info!(error = %e, "error");
        }
    }
    let invalid = client
        .get_stage()
        .api_id("..")
        .stage_name("prod")
        .send()
        .await;
    tracing::info!(?invalid, "invalid");
    tracing::info!(?config, ?client, "config");

    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter_map(|r| {
            r.headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .collect()
}

/// `Debug` and `Display` of everything that holds or touches credentials, and of the signed
/// request as the HTTP client sees it.
#[tokio::test]
async fn debug_and_display_never_show_credentials_or_the_authorization_header() {
    let canned = Arc::new(CannedHttpClient::new([
        CannedResponse::json(200, "req-1", r#"{"stageName":"prod"}"#),
        CannedResponse::json(
            404,
            "req-2",
            r#"{"__type":"NotFoundException","message":"gone"}"#,
        ),
        CannedResponse::json(400, "req-3", r#"{"__type":"Weird","message":"odd"}"#),
    ]));
    let config = Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .http_client(SharedCanned(canned.clone()))
        .max_attempts(1)
        .build();
    let client = Client::new(&config);
    let mut texts = vec![
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{:?}", credentials()),
    ];
    for _ in 0..3 {
        let result = client
            .get_stage()
            .api_id("a1")
            .stage_name("prod")
            .send()
            .await;
        texts.push(format!("{result:?}"));
        if let Err(e) = &result {
            texts.push(e.to_string());
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                texts.push(s.to_string());
                texts.push(format!("{s:?}"));
                source = s.source();
            }
        }
    }
    let requests = canned.requests();
    assert_eq!(requests.len(), 3);
    let mut secrets = vec![SECRET_KEY.to_string(), SESSION_TOKEN.to_string()];
    for request in &requests {
        let auth = request
            .headers
            .get("authorization")
            .expect("signed")
            .to_str()
            .unwrap()
            .to_string();
        assert!(auth.starts_with("AWS4-HMAC-SHA256"), "{auth}");
        secrets.push(auth.rsplit("Signature=").next().unwrap().to_string());
        secrets.push(auth);
        assert_eq!(
            request.headers.get("x-amz-security-token").unwrap(),
            SESSION_TOKEN
        );
        texts.push(format!("{request:?}"));
        texts.push(format!("{:?}", request.headers));
    }
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    for text in &texts {
        assert_clean("Debug/Display output", text, &secrets);
    }
}

#[derive(Debug)]
struct SharedCanned(Arc<CannedHttpClient>);

impl apigatewayv2::config::HttpClient for SharedCanned {
    fn send(
        &self,
        request: apigatewayv2::config::HttpRequest,
        options: apigatewayv2::config::SendOptions,
    ) -> apigatewayv2::config::BoxFuture<
        '_,
        Result<apigatewayv2::config::HttpResponse, apigatewayv2::config::HttpClientError>,
    > {
        self.0.send(request, options)
    }
}

fn sensitive_thing() -> shapes::types::Thing {
    shapes::types::Thing::builder()
        .name("thing")
        .description("d")
        .secret(SENSITIVE)
        .build()
        .expect("builds")
}

fn sensitive_credentials() -> shapes::types::Credentials {
    shapes::types::Credentials::builder()
        .user(SENSITIVE_USER)
        .key(SENSITIVE)
        .build()
        .expect("builds")
}

/// `@sensitive` members (`Thing.secret`, a `Password`) and members of a `@sensitive`
/// structure (`Credentials`, every member) are redacted in `Debug`, in builders, in inputs
/// and outputs that hold them, and in errors.
#[test]
fn sensitive_members_are_redacted_in_debug() {
    let thing = sensitive_thing();
    let creds = sensitive_credentials();
    let input = shapes::operation::create_thing::CreateThingInput::builder()
        .thing(thing.clone())
        .credentials(creds.clone())
        .build();
    let texts = [
        format!("{thing:?}"),
        format!("{:?}", shapes::types::Thing::builder().secret(SENSITIVE)),
        format!("{input:?}"),
        format!("{creds:?}"),
        format!(
            "{:?}",
            shapes::types::Credentials::builder()
                .user(SENSITIVE_USER)
                .key(SENSITIVE)
        ),
    ];
    for text in &texts {
        assert_clean("Debug of a sensitive value", text, &[SENSITIVE]);
    }
    assert!(
        texts[0].contains("*** Sensitive Data Redacted ***"),
        "{}",
        texts[0]
    );
    // The structure itself is sensitive: its user name is as secret as its key.
    for text in &texts[2..] {
        assert_clean("Debug of a @sensitive structure", text, &[SENSITIVE_USER]);
    }
}

/// A full call carrying sensitive members: they are sent (in the body), but not logged and
/// not shown by errors.
#[tokio::test]
async fn sensitive_members_stay_out_of_logs_and_errors() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(buffer.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let canned = shapes::config::CannedHttpClient::new([shapes::config::CannedResponse::json(
        400,
        "req-1",
        r#"{"__type":"InvalidThingError","message":"bad","FieldName":"Secret"}"#,
    )]);
    let config = shapes::Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .http_client(canned)
        .max_attempts(1)
        .build();
    let client = shapes::Client::new(&config);
    let result = client
        .create_thing()
        .thing(sensitive_thing())
        .credentials(sensitive_credentials())
        .send()
        .await;
    let error = result.expect_err("the canned response is an error");
    tracing::info!(?error, "done");
    let texts = [format!("{error:?}"), error.to_string(), buffer.text()];
    for text in &texts {
        assert_clean(
            "an error or log of a call with sensitive members",
            text,
            &[SENSITIVE, SECRET_KEY, SESSION_TOKEN],
        );
    }
}
