//! The `keywords` crate (from `tests/models/keywords.json`) through its public API: members
//! named after things the generated code defines itself (`default` on a builder, std trait
//! methods such as `add`, `clone`) and a recursive union variant, against a local server.

use keywords::types::{Choice, Type};
use keywords::{Client, Config};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    let credentials =
        keywords::config::Credentials::new("AKIDEXAMPLE", "secret", None, None, "test");
    Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(server.uri())
            .credentials(credentials)
            .max_attempts(1)
            .build(),
    )
}

#[tokio::test]
async fn members_named_default_add_and_clone_go_out_and_come_back() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(r#"{"clone":"c2","add":[{"type":"t1"},{"type":"t2"}]}"#),
        )
        .mount(&server)
        .await;
    let fluent = client(&server)
        .r#match()
        .r#type("t")
        .default("d")
        .add(Type::builder().r#type("a").build())
        .clone_value("c");
    // `clone` is reserved, so the fluent builder still clones.
    let copy = fluent.clone();
    assert_eq!(copy.as_input().get_default().as_deref(), Some("d"));
    let output = fluent.send().await.expect("a 200 parses");
    assert_eq!(output.clone_value(), Some("c2"));
    let added: Vec<_> = output
        .add()
        .unwrap_or_default()
        .iter()
        .map(|t| t.r#type())
        .collect();
    assert_eq!(added, [Some("t1"), Some("t2")]);

    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("a JSON body");
    assert_eq!(body["default"], "d");
    assert_eq!(body["clone"], "c");
    assert_eq!(body["add"][0]["type"], "a");
    // A member named `default` gives the builder a `default` setter; `builder()` still works.
    let input = keywords::operation::r#match::MatchInput::builder().default("x");
    assert_eq!(input.get_default().as_deref(), Some("x"));
}

#[test]
fn a_recursive_union_variant_hands_out_the_inner_union() {
    let inner = Choice::Code("c".into());
    let outer = Choice::Not(Box::new(inner.clone()));
    let got: &Choice = outer.as_not().expect("the not variant");
    assert_eq!(got, &inner);
    assert!(Choice::Code("x".into()).as_not().is_err());
}
