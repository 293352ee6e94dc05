//! Every kind of error, rendered as an `anyhow` chain: each level says something the others
//! do not (`Display` describes its own level, `source()` returns the next one), so no text
//! repeats down the chain, and the whole chain names what a user needs to act on.

use std::time::Duration;

use apigatewayv2::config::{Credentials, RetryConfig};
use apigatewayv2::error::{DisplayErrorContext, Error};
use apigatewayv2::operation::get_stage::GetStageError;
use apigatewayv2::{Client, Config};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config(endpoint: &str) -> apigatewayv2::config::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(endpoint)
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
}

async fn get_stage(config: Config) -> Error<GetStageError> {
    Client::new(config)
        .get_stage()
        .api_id("a1b2c3")
        .stage_name("$default")
        .send()
        .await
        .unwrap_err()
}

async fn mock(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// The chain as `anyhow` walks it; asserts no level is empty or repeats another's text.
fn chain(kind: &str, err: Error<GetStageError>) -> Vec<String> {
    let one_line = DisplayErrorContext(&err).to_string();
    let err = anyhow::Error::from(err);
    let texts: Vec<String> = err.chain().map(|e| e.to_string()).collect();
    println!("--- {kind}\n{err:?}\n");
    for (i, a) in texts.iter().enumerate() {
        assert!(
            !a.trim().is_empty(),
            "{kind}: level {i} is empty: {texts:#?}"
        );
        for (j, b) in texts.iter().enumerate() {
            assert!(
                i == j || !b.contains(a.as_str()),
                "{kind}: level {i} is repeated by level {j}: {texts:#?}"
            );
        }
    }
    assert_eq!(one_line, texts.join(": "), "{kind}");
    texts
}

#[tokio::test]
async fn validation() {
    let err = Client::new(config("http://127.0.0.1:1").build())
        .get_stage()
        .api_id("a1b2c3")
        .send()
        .await
        .unwrap_err();
    let texts = chain("validation", err);
    assert_eq!(
        texts,
        [
            "invalid input (1 constraint violation): GetStageInput.stage_name is required but \
          was not set (nothing was sent)"
        ]
    );
}

#[tokio::test]
async fn configuration() {
    let texts = chain(
        "missing region",
        get_stage(config("http://127.0.0.1:1").set_region(None).build()).await,
    );
    assert!(texts[0].contains("no AWS region") && texts[0].contains("AWS_REGION"));
    let texts = chain(
        "endpoint URL without a scheme",
        get_stage(config("127.0.0.1:5055").build()).await,
    );
    assert_eq!(
        texts,
        [
            "invalid AWS configuration: the endpoint URL set with `endpoint_url(..)` \
          `127.0.0.1:5055` is not a URL: it needs http:// or https:// in front \
          (`http://127.0.0.1:5055`) (nothing was sent)"
        ]
    );
    for region in ["us-east-1.evil.com", "evil.com#", ".."] {
        let texts = chain(
            "invalid region",
            get_stage(config("http://127.0.0.1:1").region(region).build()).await,
        );
        assert!(
            texts[0].contains(&format!("the region `{region}` is not valid")),
            "{texts:?}"
        );
    }
}

#[derive(Debug)]
struct FailingProvider;

impl aws_credential_types::provider::ProvideCredentials for FailingProvider {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::ready(Err(
            aws_credential_types::provider::error::CredentialsError::provider_error(
                "the SSO token expired",
            ),
        ))
    }
}

#[tokio::test]
async fn credentials() {
    let texts = chain(
        "credentials",
        get_stage(
            config("http://127.0.0.1:1")
                .credentials_provider(FailingProvider)
                .build(),
        )
        .await,
    );
    assert_eq!(
        texts[0],
        "the credentials provider failed; nothing was sent"
    );
    assert_eq!(texts.last().unwrap(), "the SSO token expired");
}

#[tokio::test]
async fn endpoint() {
    let texts = chain(
        "endpoint",
        get_stage(config("http://127.0.0.1:1").use_fips(true).build()).await,
    );
    assert_eq!(texts[0], "endpoint resolution failed; nothing was sent");
    assert!(texts[1].starts_with("Invalid Configuration"), "{texts:?}");
}

#[tokio::test]
async fn transport() {
    // Nothing listens on port 1.
    let texts = chain(
        "transport",
        get_stage(config("http://127.0.0.1:1").max_attempts(2).build()).await,
    );
    assert_eq!(
        texts[0],
        "connection failed: http://127.0.0.1:1 (2 attempts)"
    );
    assert!(texts.len() > 1, "the cause is the source: {texts:?}");
}

#[tokio::test]
async fn timeout() {
    let server = mock(ResponseTemplate::new(200).set_delay(Duration::from_secs(5))).await;
    let texts = chain(
        "timeout",
        get_stage(
            config(&server.uri())
                .max_attempts(1)
                .attempt_timeout(Duration::from_millis(50))
                .build(),
        )
        .await,
    );
    assert_eq!(texts, ["the request attempt timed out after 50ms"]);
}

#[tokio::test]
async fn invalid_response() {
    let server = mock(
        ResponseTemplate::new(200)
            .insert_header("x-amzn-RequestId", "req-1")
            .set_body_string("<html>oops</html>"),
    )
    .await;
    let texts = chain(
        "invalid response",
        get_stage(config(&server.uri()).build()).await,
    );
    assert_eq!(
        texts[0],
        "the HTTP 200 response could not be read as the operation's output (request id req-1)"
    );
    assert!(texts[1].contains("<html>oops</html>"), "{texts:?}");
}

#[tokio::test]
async fn modeled_service_error() {
    let server = mock(
        ResponseTemplate::new(404)
            .insert_header("x-amzn-RequestId", "req-2")
            .insert_header("x-amzn-ErrorType", "NotFoundException")
            .set_body_json(serde_json::json!({"message": "Invalid stage identifier specified"})),
    )
    .await;
    let texts = chain(
        "modeled service error",
        get_stage(config(&server.uri()).build()).await,
    );
    // Once, not three times.
    assert_eq!(
        texts,
        ["NotFoundException: Invalid stage identifier specified (HTTP 404, request id req-2)"]
    );
}

#[tokio::test]
async fn unhandled_service_errors() {
    let server = mock(
        ResponseTemplate::new(404)
            .insert_header("x-amzn-RequestId", "req-3")
            .set_body_string("<html>\n  <body>No such route</body>\n</html>"),
    )
    .await;
    let texts = chain(
        "unhandled, no code",
        get_stage(config(&server.uri()).build()).await,
    );
    assert_eq!(
        texts,
        [
            "the service returned an error with no code or message; the body starts with \
          \"<html> <body>No such route</body> </html>\" (HTTP 404, request id req-3)"
        ]
    );

    let server = mock(
        ResponseTemplate::new(400)
            .set_body_json(serde_json::json!({"__type": "BadRequestException", "message": "no"})),
    )
    .await;
    let texts = chain(
        "unhandled, with a code",
        get_stage(config(&server.uri()).build()).await,
    );
    assert_eq!(texts, ["BadRequestException: no (HTTP 400)"]);

    // The code names a modeled error but its body does not parse: the parse error is the
    // source.
    let server = mock(
        ResponseTemplate::new(404)
            .insert_header("x-amzn-ErrorType", "NotFoundException")
            .set_body_string("<html>404</html>"),
    )
    .await;
    let err = get_stage(config(&server.uri()).build()).await;
    assert!(err.as_service_error().is_some_and(|e| e.is_unhandled()));
    let texts = chain("modeled code, body unparseable", err);
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].starts_with("NotFoundException (no message) (HTTP 404"),
        "{texts:?}"
    );
    assert!(texts[1].contains("<html>404</html>"), "{texts:?}");
}
