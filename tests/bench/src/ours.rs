//! The generated `apigatewayv2` crate's side of each workload: clients built with
//! `Config::builder()` (static credentials, region, endpoint URL), a canned-response HTTP
//! client for the no-I/O workloads, the `get_stage` call, and the deserializer and
//! serializer + signer called directly.

use std::time::SystemTime;

use apigatewayv2::operation::get_stage::{GetStageInput, GetStageOutput};
use apigatewayv2::rt::credentials::Credentials;
use apigatewayv2::rt::endpoint::Endpoint;
use apigatewayv2::rt::http::{HttpRequest, HttpResponse};
use apigatewayv2::rt::http_client::{BoxFuture, HttpClient, HttpClientError, SendOptions};
use apigatewayv2::rt::orchestrator::Operation;
use apigatewayv2::rt::sign::Signer;
use apigatewayv2::{Client, Config};

use crate::{ACCESS_KEY_ID, API_ID, REGION, SECRET_ACCESS_KEY, STAGE_NAME};

/// The operation marker the generated client runs `GetStage` with.
pub type GetStage = apigatewayv2::operation::get_stage::builders::GetStageOperation;

/// The static credentials both sides sign with.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, "bench")
}

/// The configuration every client of ours starts from.
pub fn config_builder() -> apigatewayv2::config::ConfigBuilder {
    Config::builder().region(REGION).credentials(credentials())
}

/// A client with the crate's default HTTP client, talking to `endpoint`.
pub fn client(endpoint: &str) -> Client {
    Client::new(&config_builder().endpoint_url(endpoint).build())
}

/// A client whose HTTP client answers every request with `200` and `body`, without I/O.
/// No endpoint URL is set: the endpoint comes from the rule set, as for most users.
pub fn canned_client(body: &'static str) -> Client {
    Client::new(&config_builder().http_client(StaticResponse::new(body)).build())
}

/// One `GetStage` call.
pub async fn get_stage(client: &Client) -> Result<GetStageOutput, String> {
    client
        .get_stage()
        .api_id(API_ID)
        .stage_name(STAGE_NAME)
        .send()
        .await
        .map_err(|e| error_chain(&e))
}

/// An error and its sources, on one line.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// The canned 200 response with `body`, as the bench server sends it.
pub fn response(body: &'static str) -> HttpResponse {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(body.len()));
    headers.insert(
        "x-amzn-requestid",
        http::HeaderValue::from_static(crate::server::REQUEST_ID),
    );
    HttpResponse {
        status: 200,
        headers,
        body: bytes::Bytes::from_static(body.as_bytes()),
    }
}

/// An [`HttpClient`] that answers every request with the same response and keeps nothing:
/// the counterpart of the official SDK's `infallible_client_fn` (the crate's `test-util`
/// `CannedHttpClient` also records every request, which grows without bound over the
/// millions of iterations criterion makes).
#[derive(Debug, Clone)]
pub struct StaticResponse {
    response: HttpResponse,
}

impl StaticResponse {
    /// Answers `200` with `body`.
    pub fn new(body: &'static str) -> StaticResponse {
        StaticResponse {
            response: response(body),
        }
    }
}

impl HttpClient for StaticResponse {
    fn send(
        &self,
        request: HttpRequest,
        _options: SendOptions,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>> {
        drop(request);
        let response = self.response.clone();
        Box::pin(async move { Ok(response) })
    }
}

/// The `GetStage` input the calls send.
pub fn input() -> GetStageInput {
    GetStageInput::builder()
        .api_id(API_ID)
        .stage_name(STAGE_NAME)
        .build()
        .expect("a complete GetStage input")
}

/// Our deserializer alone: the response → `GetStageOutput`.
pub fn parse_direct(response: &HttpResponse) -> Result<GetStageOutput, String> {
    <GetStage as Operation>::deserialize(response).map_err(|e| error_chain(&e))
}

/// What [`request_direct`] needs, made once.
#[derive(Debug, Clone)]
pub struct Signing {
    /// The resolved endpoint.
    pub endpoint: Endpoint,
    /// The signer (signing name and region).
    pub signer: Signer,
    /// The credentials.
    pub credentials: Credentials,
}

impl Signing {
    /// The regional endpoint, `apigateway`/`us-east-1`, the static credentials.
    pub fn new() -> Signing {
        Signing {
            endpoint: Endpoint::new(format!("https://apigateway.{REGION}.amazonaws.com")),
            signer: Signer::new("apigateway", REGION),
            credentials: credentials(),
        }
    }
}

impl Default for Signing {
    fn default() -> Self {
        Signing::new()
    }
}

/// Our serializer and signer alone, no client: build the input, validate, serialize, sign.
pub fn request_direct(signing: &Signing) -> Result<HttpRequest, String> {
    let input = input();
    <GetStage as Operation>::validate(&input).map_err(|e| error_chain(&e))?;
    let mut request =
        <GetStage as Operation>::serialize(&input, &signing.endpoint).map_err(|e| error_chain(&e))?;
    signing
        .signer
        .sign(&mut request, &signing.credentials, SystemTime::now())
        .map_err(|e| error_chain(&e))?;
    Ok(request)
}

/// Checks that `output` is the fixture, so a benchmark cannot pass while parsing nothing.
pub fn check_output(output: &GetStageOutput) -> Result<(), String> {
    let text = format!("{output:?}");
    let facts = [
        ("stageName", output.stage_name() == Some(STAGE_NAME)),
        ("routeSettings", output.route_settings().map(|m| m.len()) == Some(3)),
        ("stageVariables", output.stage_variables().map(|m| m.len()) == Some(5)),
        ("tags", output.tags().map(|m| m.len()) == Some(5)),
        (
            "createdDate",
            output.created_date().map(|d| d.unix_timestamp()) == Some(1_710_408_413),
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
        Some((member, _)) => Err(format!("unexpected `{member}` in {text}")),
    }
}
