//! The `endpointparams` crate (`tests/models/endpoint_params.json`) against wiremock: its
//! endpoint rules put each kind of endpoint parameter into the URL path, so the path a call
//! reaches shows that the client resolved the endpoint per operation from `SDK::Endpoint`,
//! `@contextParam` (an input member), `@staticContextParams` (per operation),
//! `@operationContextParams` (a JMESPath over the input) and `@clientContextParams` (a
//! `Config` setting), and that a parameter the rules need is checked before anything is sent.

use endpointparams::types::ObjectId;
use endpointparams::{Client, Config};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(r#"{"Body":"text"}"#),
        )
        .mount(&server)
        .await;
    server
}

fn config(server: &MockServer) -> endpointparams::config::ConfigBuilder {
    let credentials =
        endpointparams::config::Credentials::new("AKIDEXAMPLE", "secret", None, None, "test");
    Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .credentials(credentials)
        .max_attempts(1)
}

async fn paths(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().map(|r| r.url.path().to_string()).collect()
}

#[tokio::test]
async fn context_and_static_params_choose_the_path_per_operation() {
    let server = server().await;
    let client = Client::new(config(&server).build());
    let output = client
        .get_object()
        .bucket("b1")
        .key("k")
        .send()
        .await
        .expect("a 200 parses");
    assert_eq!(output.body(), Some("text"));
    client
        .get_object()
        .bucket("b2")
        .key("k")
        .send()
        .await
        .expect("a second bucket");
    assert_eq!(
        paths(&server).await,
        ["/read/b1/objects/k", "/read/b2/objects/k"]
    );
}

#[tokio::test]
async fn operation_context_params_read_the_input() {
    let server = server().await;
    let client = Client::new(config(&server).build());
    client
        .delete_objects()
        .bucket("b1")
        .objects(ObjectId::builder().key("first").build().expect("key set"))
        .objects(ObjectId::builder().key("second").build().expect("key set"))
        .send()
        .await
        .expect("a 200");
    assert_eq!(paths(&server).await, ["/delete/b1/first-first/delete"]);
}

#[tokio::test]
async fn client_context_params_are_config_settings() {
    let server = server().await;
    let client = Client::new(config(&server).accelerate(true).build());
    client
        .get_object()
        .bucket("b1")
        .key("k")
        .send()
        .await
        .expect("a 200");
    // A client without the setting takes the rule for `Accelerate` = false (its default).
    let plain = Client::new(config(&server).build());
    plain
        .get_object()
        .bucket("b1")
        .key("k")
        .send()
        .await
        .expect("a 200");
    assert_eq!(
        paths(&server).await,
        ["/fast/read/b1/objects/k", "/read/b1/objects/k"]
    );
}

#[tokio::test]
async fn a_missing_endpoint_parameter_fails_before_sending() {
    let server = server().await;
    let client = Client::new(config(&server).build());
    // `Bucket` is `@required` and the rules need it: the call fails naming it, unsent.
    let err = client
        .get_object()
        .key("k")
        .send()
        .await
        .expect_err("no bucket");
    assert!(err.to_string().contains("bucket"), "{err}");
    assert!(paths(&server).await.is_empty(), "nothing was sent");
}
