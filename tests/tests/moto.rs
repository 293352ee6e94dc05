//! The generated client against moto (a third-party implementation of the AWS API) on a
//! loopback port. APIs and stages are created with plain HTTP calls, then read back with
//! `get_stage`; every field moto returns must come back in the output, in its wire form.
//!
//! moto routes a request to a service and region by the credential scope of its
//! `Authorization` header, so these tests also prove the signing name (`apigateway`) and
//! region are right. The server comes from `tests::moto_server` (which Python runs it is
//! described there). Each test starts its own server and stops it when done, also when it
//! fails (a `Drop` guard).

use std::process::Command;

use apigatewayv2::config::Credentials;
use apigatewayv2::operation::get_stage::GetStageError;
use apigatewayv2::types::LoggingLevel;
use apigatewayv2::{Client, Config};
use serde_json::{json, Value};
use tests::moto_server::MotoServer as Moto;

fn start_moto() -> Moto {
    Moto::start(&tests::workspace_root())
}

/// A header moto routes by: service `apigateway`, region `us-east-1` (moto does not check
/// the signature itself).
const AUTH: &str =
    "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/us-east-1/apigateway/aws4_request, \
                    SignedHeaders=host;x-amz-date, Signature=0000";

async fn call(method: reqwest::Method, url: String, body: Option<Value>) -> (u16, Value) {
    let http = reqwest::Client::new();
    let mut request = http
        .request(method, url)
        .header("authorization", AUTH)
        .header("x-amz-date", "20240101T000000Z");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("moto answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn create_api(moto: &Moto, body: Value) -> String {
    let (status, api) = call(
        reqwest::Method::POST,
        format!("{}/v2/apis", moto.endpoint()),
        Some(body),
    )
    .await;
    assert!(status < 300, "create api: {status} {api}");
    api["apiId"].as_str().unwrap().to_owned()
}

async fn create_stage(moto: &Moto, api_id: &str, body: Value) {
    let url = format!("{}/v2/apis/{api_id}/stages", moto.endpoint());
    let (status, stage) = call(reqwest::Method::POST, url, Some(body)).await;
    assert!(status < 300, "create stage: {status} {stage}");
}

/// What moto returns for a stage, without the `null`s it writes for unset fields.
async fn raw_stage(moto: &Moto, api_id: &str, stage: &str) -> Value {
    let stage = stage.replace('$', "%24");
    let url = format!("{}/v2/apis/{api_id}/stages/{stage}", moto.endpoint());
    let (status, value) = call(reqwest::Method::GET, url, None).await;
    assert_eq!(status, 200, "{value}");
    strip_nulls(value)
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

fn client(moto: &Moto, region: &str) -> Client {
    let config = Config::builder()
        .region(region)
        .credentials(Credentials::new(
            "AKIDTEST",
            "secret",
            Some("token".into()),
            None,
            "test",
        ))
        .endpoint_url(moto.endpoint().to_owned())
        .build();
    Client::new(&config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_stage_returns_every_field_moto_stores() {
    let moto = start_moto();

    let http_api = create_api(
        &moto,
        json!({"name": "pets-http", "protocolType": "HTTP", "description": "an HTTP API"}),
    )
    .await;
    create_stage(
        &moto,
        &http_api,
        json!({"stageName": "$default", "autoDeploy": true, "description": "the default stage"}),
    )
    .await;
    create_stage(
        &moto,
        &http_api,
        json!({
            "stageName": "prod",
            "description": "production",
            "stageVariables": {"backend": "blue", "version": "3"},
            "tags": {"team": "core", "env": "prod"},
            "accessLogSettings": {
                "destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:pets",
                "format": "$context.requestId $context.status"
            },
            "defaultRouteSettings": {
                "throttlingBurstLimit": 100,
                "throttlingRateLimit": 50.5,
                "detailedMetricsEnabled": true
            },
            "routeSettings": {
                "GET /pets": {"throttlingBurstLimit": 5, "throttlingRateLimit": 1.5},
                "POST /pets": {"detailedMetricsEnabled": false}
            }
        }),
    )
    .await;

    let ws_api = create_api(
        &moto,
        json!({
            "name": "chat-ws",
            "protocolType": "WEBSOCKET",
            "routeSelectionExpression": "$request.body.action"
        }),
    )
    .await;
    create_stage(
        &moto,
        &ws_api,
        json!({
            "stageName": "dev",
            "description": "WebSocket development stage",
            "stageVariables": {"lambdaAlias": "dev"},
            "tags": {"kind": "websocket"},
            "defaultRouteSettings": {
                "loggingLevel": "INFO",
                "dataTraceEnabled": true,
                "throttlingBurstLimit": 20,
                "throttlingRateLimit": 10.0
            },
            "routeSettings": {
                "$connect": {"loggingLevel": "ERROR", "dataTraceEnabled": false},
                "sendMessage": {"loggingLevel": "OFF", "throttlingRateLimit": 0.5}
            }
        }),
    )
    .await;
    create_stage(&moto, &ws_api, json!({"stageName": "$default"})).await;

    let client = client(&moto, "us-east-1");
    for (api, stage) in [
        (&http_api, "$default"),
        (&http_api, "prod"),
        (&ws_api, "dev"),
        (&ws_api, "$default"),
    ] {
        let output = client
            .get_stage()
            .api_id(api.as_str())
            .stage_name(stage)
            .send()
            .await;
        let output = output.unwrap_or_else(|e| panic!("get_stage {api}/{stage}: {e}"));
        let stored = raw_stage(&moto, api, stage).await;
        // Every field moto stores comes back, with the same value, and nothing else.
        assert_eq!(
            serde_json::to_value(&output).unwrap(),
            stored,
            "{api}/{stage}"
        );
        assert_eq!(output.stage_name.as_deref(), Some(stage));
        assert!(output.created_date.is_some() && output.last_updated_date.is_some());
        assert!(apigatewayv2::operation::RequestId::request_id(&output).is_some());
    }

    // The typed view of the fullest stage.
    let prod = client
        .get_stage()
        .api_id(&http_api)
        .stage_name("prod")
        .send()
        .await
        .unwrap();
    assert_eq!(prod.description.as_deref(), Some("production"));
    let vars = prod.stage_variables.as_ref().unwrap();
    assert_eq!(
        (vars["backend"].as_str(), vars["version"].as_str()),
        ("blue", "3")
    );
    assert_eq!(prod.tags.as_ref().unwrap()["team"], "core");
    let logs = prod.access_log_settings.as_ref().unwrap();
    assert_eq!(
        logs.destination_arn.as_deref(),
        Some("arn:aws:logs:us-east-1:123456789012:log-group:pets")
    );
    assert_eq!(
        logs.format.as_deref(),
        Some("$context.requestId $context.status")
    );
    let default = prod.default_route_settings.as_ref().unwrap();
    assert_eq!(default.throttling_burst_limit, Some(100));
    assert_eq!(default.throttling_rate_limit, Some(50.5));
    assert_eq!(default.detailed_metrics_enabled, Some(true));
    let routes = prod.route_settings.as_ref().unwrap();
    assert_eq!(routes["GET /pets"].throttling_rate_limit, Some(1.5));
    assert_eq!(routes["POST /pets"].detailed_metrics_enabled, Some(false));

    let dev = client
        .get_stage()
        .api_id(&ws_api)
        .stage_name("dev")
        .send()
        .await
        .unwrap();
    let routes = dev.route_settings.as_ref().unwrap();
    assert_eq!(routes["$connect"].logging_level, Some(LoggingLevel::Error));
    assert_eq!(routes["sendMessage"].logging_level, Some(LoggingLevel::Off));
    assert_eq!(
        dev.default_route_settings.as_ref().unwrap().logging_level,
        Some(LoggingLevel::Info)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_stage_and_missing_api_are_not_found() {
    let moto = start_moto();
    let api = create_api(&moto, json!({"name": "only", "protocolType": "HTTP"})).await;
    create_stage(&moto, &api, json!({"stageName": "prod"})).await;
    let client = client(&moto, "us-east-1");

    // The messages are moto's own: compare with what it answers a plain HTTP call.
    let url = format!("{}/v2/apis/{api}/stages/nope", moto.endpoint());
    let (status, raw_missing_stage) = call(reqwest::Method::GET, url, None).await;
    assert_eq!(status, 404);
    let url = format!("{}/v2/apis/nope/stages/prod", moto.endpoint());
    let (_, raw_missing_api) = call(reqwest::Method::GET, url, None).await;

    let cases = [
        (
            api.as_str(),
            "nope",
            &raw_missing_stage,
            "Invalid stage identifier specified",
        ),
        (
            "nope",
            "prod",
            &raw_missing_api,
            "Invalid API identifier specified",
        ),
    ];
    for (api_id, stage, raw, expected) in cases {
        let err = client
            .get_stage()
            .api_id(api_id)
            .stage_name(stage)
            .send()
            .await
            .unwrap_err();
        let Some(GetStageError::NotFoundException(e)) = err.as_service_error() else {
            panic!("{api_id}/{stage}: expected NotFoundException, got {err:?}");
        };
        let message = e.message.as_deref().unwrap();
        assert!(message.starts_with(expected), "{message}");
        assert_eq!(Some(message), raw["message"].as_str());
        assert_eq!(err.status(), Some(404));
        assert!(err.request_id().is_some());
        assert!(err
            .to_string()
            .starts_with(&format!("NotFoundException: {message} (HTTP 404")));
    }

    // Signed for another region, the same API is not found: moto keeps one state per
    // region and picks it from the signature's credential scope.
    let elsewhere = client_in(&moto, "eu-west-1");
    let err = elsewhere
        .get_stage()
        .api_id(&api)
        .stage_name("prod")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_service_error(),
            Some(GetStageError::NotFoundException(_))
        ),
        "{err:?}"
    );
    client
        .get_stage()
        .api_id(&api)
        .stage_name("prod")
        .send()
        .await
        .unwrap();
}

fn client_in(moto: &Moto, region: &str) -> Client {
    client(moto, region)
}

/// Runs the generated CLI example exactly as a user would (`cargo run --example cli`),
/// with a clean AWS environment.
fn run_cli(moto: &Moto, args: &[&str]) -> (i32, String, String) {
    let manifest = std::env::var("CLI_MANIFEST").unwrap_or_else(|_| {
        format!(
            "{}/../generated/apigatewayv2/Cargo.toml",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args([
            "run",
            "--quiet",
            "--manifest-path",
            &manifest,
            "--example",
            "cli",
            "--",
        ])
        .args(args)
        .args(["--endpoint-url", moto.endpoint()]);
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    let out = command
        .env("AWS_CONFIG_FILE", "/nonexistent/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .output()
        .expect("cargo run --example cli");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_prints_outputs_and_error_lines() {
    let moto = start_moto();
    let api = create_api(&moto, json!({"name": "cli", "protocolType": "HTTP"})).await;
    create_stage(
        &moto,
        &api,
        json!({"stageName": "$default", "description": "via the CLI", "stageVariables": {"a": "b"}}),
    )
    .await;

    let (code, stdout, stderr) = run_cli(
        &moto,
        &["get-stage", "--api-id", &api, "--stage-name", "$default"],
    );
    assert_eq!(code, 0, "{stderr}");
    let printed: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(printed, raw_stage(&moto, &api, "$default").await);

    let (code, stdout, stderr) = run_cli(
        &moto,
        &["get-stage", "--api-id", &api, "--stage-name", "nope"],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.is_empty());
    let line: Value =
        serde_json::from_str(stderr.trim()).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(line["code"], "NotFoundException");
    assert_eq!(line["message"], "Invalid stage identifier specified");
    assert_eq!(line["httpStatus"], 404);
    assert!(line["requestId"].is_string(), "{line}");

    let (code, _, stderr) = run_cli(&moto, &["get-stage", "--api-id", &api]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr.trim(),
        "--stage-name is required",
        "the flag, not the Rust path"
    );

    // An unknown option is unknown (not short of a value), with the closest suggested.
    let (code, _, stderr) = run_cli(&moto, &["get-stage", "--api-id", &api, "--bogus"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr.trim(),
        "apigatewayv2 get-stage: unknown option --bogus (see `apigatewayv2 get-stage --help`)"
    );
    let (code, _, stderr) = run_cli(&moto, &["get-stage", "--stage-nme", "x"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("did you mean --stage-name?"), "{stderr}");
    let (code, stdout, stderr) = run_cli(&moto, &["--version"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("apigatewayv2 0.1.0 (aws-client-runtime "),
        "{stdout}"
    );

    let (code, stdout, _) = run_cli(&moto, &["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("get-stage"), "{stdout}");
}
