//! The official SDK's side of each `cargo xtask bench` workload: clients built by hand
//! (static credentials, region, endpoint URL; no aws-config), a canned-response client for
//! the no-I/O workloads, and the `get_stage` call itself.

use aws_credential_types::Credentials;
use aws_sdk_apigatewayv2::config::{BehaviorVersion, Region};
use aws_sdk_apigatewayv2::error::DisplayErrorContext;
use aws_sdk_apigatewayv2::operation::get_stage::GetStageOutput;
use aws_sdk_apigatewayv2::{Client, Config};
use aws_smithy_http_client::test_util::infallible_client_fn;

/// The realistic GetStage 200 body (every member set; ~2 KB), shared with our side.
pub const BODY: &str = include_str!("../../bench/fixtures/get_stage.json");
/// The smallest valid GetStage 200 body, for the request workload.
pub const EMPTY_BODY: &str = "{}";
/// The API the calls ask for (the bench server checks the path).
pub const API_ID: &str = "a1b2c3";
/// The stage the calls ask for.
pub const STAGE_NAME: &str = "production";
/// The region the clients sign for.
pub const REGION: &str = "us-east-1";

/// The configuration every official client starts from.
pub fn config_builder() -> aws_sdk_apigatewayv2::config::Builder {
    Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
}

/// A client with the SDK's default HTTP client, talking to `endpoint`.
pub fn client(endpoint: &str) -> Client {
    Client::from_conf(config_builder().endpoint_url(endpoint).build())
}

/// A client talking to `endpoint`; with `ca_pem`, its HTTP client trusts that certificate
/// authority (the HTTPS bench server's) and nothing else: the SDK's own hyper + rustls client
/// (`aws-smithy-http-client`, rustls over aws-lc as in the SDK's default client) with a custom
/// trust store.
pub fn client_trusting(endpoint: &str, ca_pem: Option<&str>) -> Result<Client, String> {
    use aws_smithy_http_client::tls;
    let Some(pem) = ca_pem else {
        return Ok(client(endpoint));
    };
    let context = tls::TlsContext::builder()
        .with_trust_store(tls::TrustStore::empty().with_pem_certificate(pem.as_bytes()))
        .build()
        .map_err(|e| DisplayErrorContext(&e).to_string())?;
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ))
        .tls_context(context)
        .build_https();
    Ok(Client::from_conf(
        config_builder()
            .endpoint_url(endpoint)
            .http_client(http)
            .build(),
    ))
}

/// A client whose HTTP client answers every request with `200` and `body`, without I/O.
/// No endpoint URL is set: the endpoint comes from the rule set, as for most users.
pub fn canned_client(body: &'static str) -> Client {
    let http = infallible_client_fn(move |_request| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("content-length", body.len())
            .header("x-amzn-requestid", "0f6e2c9b-5a1d-4c1e-9c3b-7d2f1a0b9e84")
            .body(bytes::Bytes::from_static(body.as_bytes()))
            .expect("a valid canned response")
    });
    Client::from_conf(config_builder().http_client(http).build())
}

/// One `GetStage` call.
pub async fn get_stage(client: &Client) -> Result<GetStageOutput, String> {
    client
        .get_stage()
        .api_id(API_ID)
        .stage_name(STAGE_NAME)
        .send()
        .await
        .map_err(|e| DisplayErrorContext(&e).to_string())
}

/// Checks that `output` is the fixture, so a benchmark cannot pass while parsing nothing.
pub fn check_output(output: &GetStageOutput) -> Result<(), String> {
    let facts = [
        ("stageName", output.stage_name() == Some(STAGE_NAME)),
        (
            "routeSettings",
            output.route_settings().map(|m| m.len()) == Some(3),
        ),
        (
            "stageVariables",
            output.stage_variables().map(|m| m.len()) == Some(5),
        ),
        ("tags", output.tags().map(|m| m.len()) == Some(5)),
        (
            "createdDate",
            output.created_date().map(|d| d.secs()) == Some(1_710_408_413),
        ),
        (
            "accessLogSettings",
            output
                .access_log_settings()
                .and_then(|a| a.format())
                .is_some_and(|f| f.contains("$context.requestId")),
        ),
        (
            "defaultRouteSettings",
            output
                .default_route_settings()
                .and_then(|r| r.throttling_burst_limit())
                == Some(5000),
        ),
    ];
    match facts.iter().find(|(_, ok)| !ok) {
        None => Ok(()),
        Some((member, _)) => Err(format!("unexpected `{member}` in {output:?}")),
    }
}
