//! The generated `apigatewayv2` crate's side of each workload: clients built with
//! `Config::builder()` (static credentials, region, endpoint URL), a canned-response HTTP
//! client for the no-I/O workloads, the `get_stage` call, and the deserializer and the
//! signer called directly.

use std::time::SystemTime;

use apigatewayv2::config::{
    BoxFuture, Credentials, DefaultHttpClient, HttpClient, HttpClientError, HttpRequest,
    HttpResponse, SendOptions,
};
use apigatewayv2::operation::get_stage::GetStageOutput;
use apigatewayv2::{Client, Config};
use aws_client_runtime::sign::Signer;

use crate::{ACCESS_KEY_ID, API_ID, REGION, SECRET_ACCESS_KEY, STAGE_NAME};

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
    Client::new(config_builder().endpoint_url(endpoint).build())
}

/// A client talking to `endpoint`; with `ca_pem`, its default HTTP client trusts that
/// certificate authority (the HTTPS bench server's) besides the usual roots.
pub fn client_trusting(endpoint: &str, ca_pem: Option<&str>) -> Result<Client, String> {
    let Some(pem) = ca_pem else {
        return Ok(client(endpoint));
    };
    let http = DefaultHttpClient::builder()
        .add_root_certificate(pem)
        .build()
        .map_err(|e| error_chain(&e))?;
    Ok(Client::new(
        config_builder()
            .endpoint_url(endpoint)
            .http_client(http)
            .build(),
    ))
}

/// A client whose HTTP client answers every request with `200` and `body`, without I/O.
/// No endpoint URL is set: the endpoint comes from the rule set, as for most users.
pub fn canned_client(body: &'static str) -> Client {
    Client::new(
        config_builder()
            .http_client(StaticResponse::new(body))
            .build(),
    )
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

/// One `GetStage` call as the load driver makes it: the future owns what it needs, so it
/// can be spawned.
pub fn call(
    client: &Client,
) -> impl std::future::Future<Output = Result<(), String>> + Send + 'static {
    let call = client
        .get_stage()
        .api_id(API_ID)
        .stage_name(STAGE_NAME)
        .send();
    async move { call.await.map(drop).map_err(|e| error_chain(&e)) }
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
    headers.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from(body.len()),
    );
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

/// Our deserializer alone: the response body → `GetStageOutput`, through the generated
/// `ReadJson` impl the operation's deserializer calls (it then only copies the request id).
pub fn parse_direct(response: &HttpResponse) -> Result<GetStageOutput, String> {
    aws_client_runtime::wire::de::from_body::<GetStageOutput>(
        response.status,
        &response.body,
        "GetStageOutput",
    )
    .map_err(|e| error_chain(&e))
}

/// What [`sign_direct`] needs, made once: the request the generated serializer produces for
/// the regional endpoint, the signer and the credentials.
#[derive(Debug, Clone)]
pub struct Signing {
    /// The unsigned request.
    pub request: HttpRequest,
    /// The signer (signing name and region).
    pub signer: Signer,
    /// The credentials.
    pub credentials: Credentials,
}

impl Signing {
    /// `GET https://apigateway.us-east-1.amazonaws.com/v2/apis/a1b2c3/stages/production`,
    /// signed as `apigateway`/`us-east-1` with the static credentials.
    pub fn new() -> Signing {
        Signing {
            request: HttpRequest {
                method: http::Method::GET,
                uri: format!(
                    "https://apigateway.{REGION}.amazonaws.com{}",
                    crate::server::stage_path()
                ),
                headers: http::HeaderMap::new(),
                body: bytes::Bytes::new(),
            },
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

/// Our SigV4 signing alone (the generated serializer and validator are crate-private): a
/// copy of the unsigned request, signed now.
pub fn sign_direct(signing: &Signing) -> Result<HttpRequest, String> {
    let mut request = signing.request.clone();
    signing
        .signer
        .sign(&mut request, &signing.credentials, SystemTime::now())
        .map_err(|e| error_chain(&e))?;
    Ok(request)
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
        Some((member, _)) => Err(format!("unexpected `{member}` in {output:?}")),
    }
}
