//! Auth schemes through the `auth` crate's public API (`tests/models/auth.json`) against a
//! local `wiremock` server on 127.0.0.1: `@auth([])` + `@optionalAuth` operations send no
//! signature and work with no credentials at all; `httpBearerAuth` sends
//! `Authorization: Bearer <token>` (never shown in `Debug` or logs); the `@auth` order (and
//! the service's auth traits, alphabetical, without it) picks the first scheme the
//! configuration can serve; `aws.auth#unsignedPayload` signs `UNSIGNED-PAYLOAD`; maps keyed
//! by an enum travel by wire value, unknown keys kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use auth::config::{Credentials, Token};
use auth::error::Error;
use auth::types::Level;
use auth::{Client, Config};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "bearer-token-do-not-leak-0001";
const SESSION_TOKEN: &str = "session-token-do-not-leak-0001";

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        Some(SESSION_TOKEN.to_string()),
        None,
        "test",
    )
}

async fn server(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    server
}

/// A client of `server` with credentials and/or a token, or neither.
fn client(server: &MockServer, credentials: bool, token: bool) -> Client {
    let mut config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .max_attempts(1);
    if credentials {
        config = config.credentials(self::credentials());
    }
    if token {
        config = config.token_provider(Token::new(TOKEN));
    }
    Client::new(config.build())
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "one request expected");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

const SIGNATURE_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

fn assert_unsigned(request: &Request) {
    for name in SIGNATURE_HEADERS {
        assert_eq!(header(request, name), None, "{name} was sent");
    }
}

fn assert_sigv4(request: &Request) {
    let authorization = header(request, "authorization").expect("an Authorization header");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{authorization}"
    );
    // The signing name is the model's `aws.auth#sigv4` `name`.
    assert!(
        authorization.contains("/us-east-1/authtest/aws4_request"),
        "{authorization}"
    );
    assert!(header(request, "x-amz-date").is_some());
    assert_eq!(header(request, "x-amz-security-token"), Some(SESSION_TOKEN));
}

fn assert_bearer(request: &Request) {
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    for name in ["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"] {
        assert_eq!(
            header(request, name),
            None,
            "{name} was sent with a bearer token"
        );
    }
}

#[tokio::test]
async fn no_auth_operations_need_no_credentials_and_send_no_signature() {
    let server = server(r#"{"value":"anonymous"}"#).await;
    let output = client(&server, false, false)
        .get_anonymous()
        .send()
        .await
        .expect("a no-auth call works without credentials");
    assert_eq!(output.value(), Some("anonymous"));
    assert_unsigned(&only_request(&server).await);

    // With credentials and a token configured it is still sent unsigned: `@auth([])`.
    let server = self::server(r#"{"value":"anonymous"}"#).await;
    client(&server, true, true)
        .get_anonymous()
        .send()
        .await
        .unwrap();
    assert_unsigned(&only_request(&server).await);
}

#[tokio::test]
async fn no_auth_works_from_an_environment_without_credentials() {
    let server = server(r#"{"value":"x"}"#).await;
    let endpoint = server.uri();
    let config = Config::from(
        auth::config::SharedConfig::from_env_with(move |name| match name {
            "AWS_REGION" => Some("eu-west-1".to_string()),
            "AWS_ENDPOINT_URL" => Some(endpoint.clone()),
            "HOME" => Some("/nonexistent-home-for-auth-tests".to_string()),
            _ => None,
        })
        .unwrap(),
    );
    assert!(config.credentials_provider().is_none());
    let client = Client::new(&config);
    client.get_anonymous().send().await.unwrap();
    assert_unsigned(&only_request(&server).await);
    // A SigV4-or-bearer operation cannot be sent: nothing goes out, the error says why.
    let err = client.get_default().send().await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    let message = auth::error::DisplayErrorContext(&err).to_string();
    assert!(
        message.contains("aws.auth#sigv4 needs credentials"),
        "{message}"
    );
    assert!(
        message.contains("smithy.api#httpBearerAuth needs a token provider"),
        "{message}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_bearer_token_is_sent_and_never_shown() {
    let server = server(r#"{"value":"b"}"#).await;
    let client = client(&server, false, true);
    // `GetDefault` accepts SigV4 then bearer; without credentials, bearer is the one.
    client.get_default().send().await.unwrap();
    assert_bearer(&only_request(&server).await);

    let config = Config::builder().token_provider(Token::new(TOKEN)).build();
    for text in [
        format!("{config:?}"),
        format!("{:?}", config.token_provider()),
        format!("{:?}", Token::new(TOKEN)),
        format!("{client:?}"),
    ] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[test]
fn the_bearer_token_stays_out_of_tracing() {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish();
    // The global default, not a scoped one: the other tests of this binary run on other
    // threads at the same time and register the same callsites, and a scoped subscriber can
    // miss events whose interest was cached before it existed. Their events come here too,
    // and none may hold the token either.
    tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let server = server(r#"{"value":"b"}"#).await;
            client(&server, false, true)
                .get_bearer_first()
                .send()
                .await
                .unwrap();
            assert_bearer(&only_request(&server).await);
        });
    }
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("get_bearer_first") || logs.contains("GetBearerFirst"),
        "{logs}"
    );
    assert!(!logs.contains(TOKEN), "{logs}");
}

#[tokio::test]
async fn the_auth_order_picks_the_first_scheme_the_config_can_serve() {
    // (operation, credentials, token) → what is sent.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Sent {
        SigV4,
        Bearer,
        Unsigned,
    }
    let cases = [
        // No `@auth`: the service's auth traits, alphabetical: sigv4, then httpBearerAuth.
        ("GetDefault", true, true, Sent::SigV4),
        ("GetDefault", true, false, Sent::SigV4),
        ("GetDefault", false, true, Sent::Bearer),
        // `@auth([httpBearerAuth, sigv4])`.
        ("GetBearerFirst", true, true, Sent::Bearer),
        ("GetBearerFirst", true, false, Sent::SigV4),
        ("GetBearerFirst", false, true, Sent::Bearer),
        // `@optionalAuth`: the service's schemes, then none.
        ("GetOptional", true, true, Sent::SigV4),
        ("GetOptional", false, true, Sent::Bearer),
        ("GetOptional", false, false, Sent::Unsigned),
    ];
    for (operation, with_credentials, with_token, expected) in cases {
        let server = server(r#"{"value":"v"}"#).await;
        let client = client(&server, with_credentials, with_token);
        let result = match operation {
            "GetDefault" => client
                .get_default()
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            "GetBearerFirst" => client
                .get_bearer_first()
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            _ => client
                .get_optional()
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        };
        result.unwrap_or_else(|e| panic!("{operation}: {e}"));
        let request = only_request(&server).await;
        let what = format!("{operation} credentials={with_credentials} token={with_token}");
        match expected {
            Sent::SigV4 => assert_sigv4(&request),
            Sent::Bearer => assert_bearer(&request),
            Sent::Unsigned => assert_unsigned(&request),
        }
        eprintln!("{what}: {expected:?}");
    }

    // Neither credentials nor a token: nothing is sent.
    let server = server("{}").await;
    let client = client(&server, false, false);
    let err = client.get_bearer_first().send().await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn unsigned_payload_signs_without_hashing_the_body() {
    let server = server(r#"{"value":"u"}"#).await;
    client(&server, true, false)
        .put_unsigned()
        .data("not hashed")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_sigv4(&request);
    assert_eq!(
        header(&request, "x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    let authorization = header(&request, "authorization").unwrap();
    assert!(
        authorization.contains("x-amz-content-sha256"),
        "the payload header is signed: {authorization}"
    );
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, serde_json::json!({"data": "not hashed"}));

    // An operation without the trait hashes its body and sends no such header.
    let server = self::server("{}").await;
    client(&server, true, false)
        .put_levels()
        .levels(Level::Low, 1)
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_sigv4(&request);
    assert_eq!(header(&request, "x-amz-content-sha256"), None);
}

#[tokio::test]
async fn enum_keyed_maps_travel_by_wire_value_and_keep_unknown_keys() {
    let server = server(
        r#"{"levels":{"low":1,"high":2,"extreme":3},"notes":{"low":null,"high":"h","new":"n"}}"#,
    )
    .await;
    let output = client(&server, true, false)
        .put_levels()
        .levels(Level::High, 5)
        .levels(Level::from("extreme"), 7)
        .notes(Level::Low, None)
        .notes(Level::High, Some("loud".to_string()))
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "levels": {"high": 5, "extreme": 7},
            "notes": {"low": null, "high": "loud"},
        })
    );
    let levels: &HashMap<Level, i32> = output.levels().unwrap();
    assert_eq!(levels.len(), 3);
    assert_eq!(levels[&Level::Low], 1);
    assert_eq!(levels[&Level::High], 2);
    let unknown = Level::from("extreme");
    assert!(matches!(unknown, Level::Unknown(_)));
    assert_eq!(levels[&unknown], 3);
    let notes = output.notes().unwrap();
    assert_eq!(notes[&Level::Low], None);
    assert_eq!(notes[&Level::High].as_deref(), Some("h"));
    assert_eq!(notes[&Level::from("new")].as_deref(), Some("n"));

    // The public serde form (feature `serde`) is the wire form too.
    let json = serde_json::to_value(&output).unwrap();
    assert_eq!(json["levels"]["extreme"], 3);
    let back: auth::operation::put_levels::PutLevelsOutput = serde_json::from_value(json).unwrap();
    assert_eq!(back.levels(), output.levels());
}
