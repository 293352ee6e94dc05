//! One `SharedConfig` drives two generated service crates (`apigatewayv2` and
//! `httpbindings`) in one program: both clients use one HTTP client, each calls its service
//! on a local server, each signs for its own service, and a per-service override stays with
//! that service.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use aws_client_runtime::SharedConfig;

fn shared(endpoint: &str) -> SharedConfig {
    SharedConfig::builder()
        .region("eu-west-1")
        .credentials(aws_credential_types::Credentials::from_keys(
            "AKIDSHARED",
            "shared-secret",
            None,
        ))
        .endpoint_url(endpoint)
        .max_attempts(1)
        .build()
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string("{}"),
        )
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The signing name in the request's `Authorization` credential scope.
fn signing_name(request: &Request) -> String {
    let auth = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // `AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/<service>/aws4_request, ...`
    auth.split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn one_shared_config_drives_two_services() {
    let server = server().await;
    let shared = shared(&server.uri());

    let apigw = apigatewayv2::Client::new(&shared);
    let bindings = httpbindings::Client::new(&shared);

    // One HTTP client, so one connection pool, behind both service clients.
    let a = apigw.config().shared().resolved_http_client();
    let b = bindings.config().shared().resolved_http_client();
    assert!(a.ptr_eq(&b), "both clients share the config's HTTP client");

    apigw
        .get_stage()
        .api_id("a1b2c3")
        .stage_name("$default")
        .send()
        .await
        .expect("apigatewayv2 call");
    bindings
        .delete_object()
        .bucket("b")
        .key("k")
        .send()
        .await
        .expect("httpbindings call");

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2, "both calls reached the server");
    assert_eq!(seen[0].url.path(), "/v2/apis/a1b2c3/stages/%24default");
    assert_eq!(signing_name(&seen[0]), "apigateway");
    assert_eq!(signing_name(&seen[1]), "httpbindings");
    for request in &seen {
        let auth = request.headers.get("authorization").unwrap();
        assert!(
            auth.to_str().unwrap().contains("AKIDSHARED/"),
            "shared credentials"
        );
        assert!(
            auth.to_str().unwrap().contains("/eu-west-1/"),
            "shared region"
        );
    }
}

#[tokio::test]
async fn a_per_service_override_does_not_leak() {
    let shared_server = server().await;
    let own_server = server().await;
    let shared = shared(&shared_server.uri());

    // apigatewayv2 gets its own endpoint, region and attempts; httpbindings keeps the shared ones.
    let apigw_config = apigatewayv2::Config::from(&shared)
        .to_builder()
        .endpoint_url(own_server.uri())
        .region("ap-south-1")
        .max_attempts(5)
        .build();
    let apigw = apigatewayv2::Client::new(&apigw_config);
    let bindings = httpbindings::Client::new(&shared);

    assert_eq!(shared.region(), Some("eu-west-1"));
    assert_eq!(shared.retry_config().max_attempts(), 1);
    assert_eq!(bindings.config().region(), Some("eu-west-1"));
    assert_eq!(bindings.config().retry_config().max_attempts(), 1);
    assert_eq!(apigw.config().retry_config().max_attempts(), 5);

    apigw
        .get_stage()
        .api_id("a")
        .stage_name("s")
        .send()
        .await
        .expect("apigatewayv2 call");
    bindings
        .delete_object()
        .bucket("b")
        .key("k")
        .send()
        .await
        .expect("httpbindings call");

    let own = requests(&own_server).await;
    let common = requests(&shared_server).await;
    assert_eq!(
        own.len(),
        1,
        "the override's endpoint got apigatewayv2's call"
    );
    assert_eq!(
        common.len(),
        1,
        "the shared endpoint got only httpbindings' call"
    );
    assert!(own[0].url.path().starts_with("/v2/apis/"));
    let own_auth = own[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    let common_auth = common[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(own_auth.contains("/ap-south-1/"), "{own_auth}");
    assert!(common_auth.contains("/eu-west-1/"), "{common_auth}");
}

#[test]
fn each_service_reads_its_own_endpoint_variable() {
    let vars = [
        ("HOME", "/nonexistent"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9/general"),
        (
            "AWS_ENDPOINT_URL_HTTPBINDINGS",
            "http://127.0.0.1:9/bindings",
        ),
    ];
    let shared = SharedConfig::from_env_with(move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
    .expect("valid environment");
    assert_eq!(
        apigatewayv2::Config::from(&shared).endpoint_url(),
        Some("http://127.0.0.1:9/general")
    );
    assert_eq!(
        httpbindings::Config::from(&shared).endpoint_url(),
        Some("http://127.0.0.1:9/bindings")
    );
}
