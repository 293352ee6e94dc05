//! Paginators and waiters of the `pagination` crate (`tests/models/pagination.json`)
//! against a local wiremock server.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use pagination::error::Error;
use pagination::waiters::WaiterError;

fn client(server: &MockServer) -> pagination::Client {
    let config = pagination::Config::builder()
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .endpoint_url(server.uri())
        .max_attempts(1)
        .build();
    pagination::Client::new(&config)
}

fn json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_string(body.to_string())
}

fn not_found() -> ResponseTemplate {
    json(404, serde_json::json!({"message": "no such thing"}))
        .insert_header("x-amzn-errortype", "ResourceNotFoundException")
}

fn query(request: &Request) -> HashMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

/// A server whose `GET /things` answers by the `nextToken` it is sent.
async fn list_things_server(
    pages: &'static [(
        Option<&'static str>,
        &'static [&'static str],
        Option<&'static str>,
    )],
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(move |request: &Request| {
            let token = query(request).get("nextToken").cloned();
            let page = pages
                .iter()
                .find(|(t, _, _)| t.map(str::to_owned) == token)
                .expect("a page for the token");
            let things: Vec<_> = page
                .1
                .iter()
                .map(|n| serde_json::json!({"Name": n, "Status": "ACTIVE"}))
                .collect();
            let mut body = serde_json::json!({ "Things": things });
            if let Some(next) = page.2 {
                body["NextToken"] = next.into();
            }
            json(200, body)
        })
        .mount(&server)
        .await;
    server
}

async fn sent_tokens(server: &MockServer) -> Vec<(Option<String>, Option<String>)> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let q = query(r);
            (q.get("nextToken").cloned(), q.get("maxResults").cloned())
        })
        .collect()
}

#[tokio::test]
async fn pages_follow_tokens_and_carry_the_page_size() {
    let server = list_things_server(&[
        (None, &["a", "b"], Some("t1")),
        (Some("t1"), &["c", "d"], Some("t2")),
        (Some("t2"), &[], None),
    ])
    .await;
    let mut pages = client(&server)
        .list_things()
        .prefix("p")
        .into_paginator()
        .page_size(2);
    let mut names = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        count += 1;
        names.extend(
            page.things()
                .unwrap_or_default()
                .iter()
                .map(|t| t.name().to_owned()),
        );
    }
    assert_eq!(count, 3, "the empty last page is a page");
    assert_eq!(names, ["a", "b", "c", "d"]);
    let two = Some("2".to_owned());
    assert_eq!(
        sent_tokens(&server).await,
        [
            (None, two.clone()),
            (Some("t1".to_owned()), two.clone()),
            (Some("t2".to_owned()), two)
        ]
    );
    let requests = server.received_requests().await.unwrap();
    assert!(requests
        .iter()
        .all(|r| query(r).get("prefix").map(String::as_str) == Some("p")));
}

#[tokio::test]
async fn items_flatten_the_pages() {
    let server = list_things_server(&[
        (None, &["a"], Some("t1")),
        (Some("t1"), &[], Some("t2")),
        (Some("t2"), &["b", "c"], None),
    ])
    .await;
    let items = client(&server)
        .list_things()
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = items.iter().map(|t| t.name()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    // No page size set: none is sent.
    assert!(sent_tokens(&server)
        .await
        .iter()
        .all(|(_, size)| size.is_none()));
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_with_an_error() {
    let server =
        list_things_server(&[(None, &["a"], Some("t1")), (Some("t1"), &["b"], Some("t1"))]).await;
    let mut pages = client(&server).list_things().into_paginator();
    assert!(pages.next().await.unwrap().is_ok());
    let err = pages.next().await.unwrap().unwrap_err();
    let Error::Pagination(e) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(e.operation(), "ListThings");
    assert!(err.to_string().contains("token"), "{err}");
    assert!(pages.next().await.is_none());
    assert_eq!(sent_tokens(&server).await.len(), 2);
}

#[tokio::test]
async fn a_token_set_by_the_caller_starts_the_pages() {
    let server =
        list_things_server(&[(Some("t1"), &["b"], Some("t2")), (Some("t2"), &["c"], None)]).await;
    let items = client(&server)
        .list_things()
        .next_token("t1")
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        items.iter().map(|t| t.name()).collect::<Vec<_>>(),
        ["b", "c"]
    );
    let tokens: Vec<_> = sent_tokens(&server)
        .await
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(tokens, [Some("t1".to_owned()), Some("t2".to_owned())]);

    // The first page handing back the caller's token is a repeat.
    let server = list_things_server(&[(Some("t1"), &["b"], Some("t1"))]).await;
    let mut pages = client(&server)
        .list_things()
        .next_token("t1")
        .into_paginator();
    assert!(matches!(
        pages.next().await,
        Some(Err(Error::Pagination(_)))
    ));
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn an_empty_token_ends_the_stream_normally() {
    let server =
        list_things_server(&[(None, &["a"], Some("t1")), (Some("t1"), &["b"], Some(""))]).await;
    let pages = client(&server)
        .list_things()
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(sent_tokens(&server).await.len(), 2);
}

#[tokio::test]
async fn a_service_error_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(not_found())
        .mount(&server)
        .await;
    let mut items = client(&server).list_things().into_paginator().items();
    let err = items.next().await.unwrap().unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn nested_tokens_and_items() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/events"))
        .respond_with(|request: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
            assert_eq!(body["Limit"], 5);
            match body.get("Marker").and_then(|m| m.as_str()) {
                None => json(
                    200,
                    serde_json::json!({"Page": {"Events": ["e1", "e2"], "Cursor": {"Next": "m1"}}}),
                ),
                Some("m1") => json(
                    200,
                    serde_json::json!({"Page": {"Events": ["e3"], "Cursor": {}}}),
                ),
                Some(other) => panic!("marker {other}"),
            }
        })
        .mount(&server)
        .await;
    let events = client(&server)
        .list_events()
        .into_paginator()
        .page_size(5)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(events, ["e1", "e2", "e3"]);
}

#[tokio::test]
async fn pages_are_a_futures_stream() {
    use aws_client_runtime::paginate::Stream;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tags"))
        .respond_with(|request: &Request| {
            match query(request).get("nextToken").map(String::as_str) {
                None => json(
                    200,
                    serde_json::json!({"Tags": {"a": "1"}, "NextToken": "n"}),
                ),
                _ => json(200, serde_json::json!({"Tags": {"b": "2"}})),
            }
        })
        .mount(&server)
        .await;
    let mut pages = client(&server).list_tags().into_paginator().page_size(1);
    let mut tags = Vec::new();
    while let Some(page) =
        std::future::poll_fn(|cx| Stream::poll_next(std::pin::Pin::new(&mut pages), cx)).await
    {
        let page = page.unwrap();
        tags.extend(page.tags().unwrap().keys().cloned());
    }
    assert_eq!(tags, ["a", "b"]);
}

// ---- waiters ----

/// A server whose `GET /things/{name}` answers `responses` in turn, the last from then on.
async fn thing_server(responses: Vec<ResponseTemplate>) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    Mock::given(method("GET"))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            responses[n.min(responses.len() - 1)].clone()
        })
        .mount(&server)
        .await;
    (server, calls)
}

fn thing(body: serde_json::Value) -> ResponseTemplate {
    json(200, serde_json::json!({ "Thing": body }))
}

fn fast<T>(w: T) -> T
where
    T: Fast,
{
    w.fast()
}

trait Fast {
    fn fast(self) -> Self;
}

macro_rules! fast {
    ($($ty:ty),*) => {$(
        impl Fast for $ty {
            fn fast(self) -> Self {
                self.min_delay(Duration::from_millis(10)).max_delay(Duration::from_millis(40))
            }
        }
    )*};
}

fast!(
    pagination::waiters::thing_active::ThingActiveWaiter,
    pagination::waiters::thing_deleted::ThingDeletedWaiter,
    pagination::waiters::parts_ready::PartsReadyWaiter,
    pagination::waiters::name_echoed::NameEchoedWaiter,
    pagination::waiters::paths_compiled::PathsCompiledWaiter
);

const LONG: Duration = Duration::from_secs(10);

#[tokio::test]
async fn retry_acceptors_then_success() {
    let (server, calls) = thing_server(vec![
        not_found(),
        thing(serde_json::json!({"Status": "CREATING"})),
        thing(serde_json::json!({"Status": "DELETING"})),
        thing(serde_json::json!({"Status": "ACTIVE"})),
    ])
    .await;
    let done = fast(client(&server).wait_until_thing_active().name("t"))
        .wait(LONG)
        .await
        .unwrap();
    assert_eq!(
        done.attempts(),
        4,
        "errorType retry, output retry, no match (success) retried"
    );
    let output = done.as_result().unwrap();
    assert_eq!(output.thing().unwrap().status().unwrap().as_str(), "ACTIVE");
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.url.path() == "/things/t"));
}

#[tokio::test]
async fn failure_acceptors_carry_the_response() {
    let (server, _) = thing_server(vec![
        thing(serde_json::json!({"Status": "CREATING"})),
        thing(serde_json::json!({"Status": "FAILED"})),
    ])
    .await;
    let err = fast(client(&server).wait_until_thing_active().name("t"))
        .wait(LONG)
        .await
        .unwrap_err();
    let WaiterError::FailureState { attempts, last } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*attempts, 2);
    let status = last
        .as_ref()
        .unwrap()
        .thing()
        .unwrap()
        .status()
        .unwrap()
        .as_str();
    assert_eq!(status, "FAILED");
    assert!(err.to_string().contains("failure"), "{err}");

    // booleanEquals: `Thing.Broken` is true.
    let (server, _) = thing_server(vec![thing(
        serde_json::json!({"Status": "CREATING", "Broken": true}),
    )])
    .await;
    let err = fast(client(&server).wait_until_thing_active().name("t"))
        .wait(LONG)
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaiterError::FailureState { attempts: 1, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_error_no_acceptor_matches_stops_the_waiter() {
    let (server, calls) = thing_server(vec![
        thing(serde_json::json!({"Status": "CREATING"})),
        json(403, serde_json::json!({"message": "no"}))
            .insert_header("x-amzn-errortype", "AccessDeniedException"),
    ])
    .await;
    let err = fast(client(&server).wait_until_thing_active().name("t"))
        .wait(LONG)
        .await
        .unwrap_err();
    let WaiterError::OperationFailed { attempts: 2, error } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(error.status(), Some(403));
    assert!(err.last_response().unwrap().is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_maximum_wait_ends_with_the_last_response() {
    let (server, calls) =
        thing_server(vec![thing(serde_json::json!({"Status": "CREATING"}))]).await;
    let start = std::time::Instant::now();
    let err = client(&server)
        .wait_until_thing_active()
        .name("t")
        .min_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(50))
        .wait(Duration::from_millis(400))
        .await
        .unwrap_err();
    let waited = start.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    let WaiterError::ExceededMaxWait {
        attempts,
        last,
        max_wait,
        ..
    } = &err
    else {
        unreachable!()
    };
    assert_eq!(*max_wait, Duration::from_millis(400));
    assert!(*attempts >= 3, "{attempts}");
    assert_eq!(*attempts as usize, calls.load(Ordering::SeqCst));
    assert_eq!(
        last.as_ref()
            .unwrap()
            .thing()
            .unwrap()
            .status()
            .unwrap()
            .as_str(),
        "CREATING"
    );
}

#[tokio::test]
async fn an_error_type_can_be_success() {
    let (server, _) = thing_server(vec![
        thing(serde_json::json!({"Status": "DELETING"})),
        not_found(),
    ])
    .await;
    let done = fast(client(&server).wait_until_thing_deleted().name("t"))
        .wait(LONG)
        .await
        .unwrap();
    assert_eq!(done.attempts(), 2);
    let err = done.into_result().unwrap_err();
    assert!(err
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
}

#[tokio::test]
async fn list_comparators_and_functions() {
    let parts = |states: &[&str]| {
        let parts: Vec<_> = states
            .iter()
            .map(|s| serde_json::json!({"State": s}))
            .collect();
        thing(serde_json::json!({ "Parts": parts }))
    };
    // [] matches no allStringEquals; then one READY; then all READY.
    let (server, calls) = thing_server(vec![
        parts(&[]),
        parts(&["READY", "PENDING"]),
        parts(&["READY", "READY"]),
    ])
    .await;
    let done = fast(client(&server).wait_until_parts_ready().name("t"))
        .wait(LONG)
        .await
        .unwrap();
    assert_eq!(done.attempts(), 3);
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    let (server, _) = thing_server(vec![parts(&["PENDING"]), parts(&["READY", "BROKEN"])]).await;
    let err = fast(client(&server).wait_until_parts_ready().name("t"))
        .wait(LONG)
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaiterError::FailureState { attempts: 2, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn input_output_matchers_see_the_input() {
    let (server, _) = thing_server(vec![
        thing(serde_json::json!({"Name": "other"})),
        thing(serde_json::json!({"Name": "mine"})),
    ])
    .await;
    let done = fast(client(&server).wait_until_name_echoed().name("mine"))
        .wait(LONG)
        .await
        .unwrap();
    assert_eq!(done.attempts(), 2, "an unmatched success is retried");

    // `success: false` is a failure acceptor.
    let (server, _) = thing_server(vec![not_found()]).await;
    let err = fast(client(&server).wait_until_name_echoed().name("mine"))
        .wait(LONG)
        .await
        .unwrap_err();
    let WaiterError::FailureState { last: Err(e), .. } = &err else {
        panic!("{err:?}");
    };
    assert!(e
        .as_service_error()
        .unwrap()
        .is_resource_not_found_exception());
}

#[tokio::test]
async fn indexes_pipes_maps_and_boolean_operators() {
    let parts = |states: &[&str]| -> Vec<serde_json::Value> {
        states
            .iter()
            .map(|s| serde_json::json!({"State": s}))
            .collect()
    };
    let cases = [
        // contains(..) && !Broken: failure.
        (
            serde_json::json!({"Parts": parts(&["A", "BROKEN"])}),
            Some(false),
        ),
        // Broken is true: `!Broken` fails, `Broken || ..` succeeds.
        (
            serde_json::json!({"Parts": parts(&["BROKEN"]), "Broken": true}),
            Some(true),
        ),
        // [0] and [-1].
        (
            serde_json::json!({"Parts": parts(&["FIRST", "X", "LAST"])}),
            Some(true),
        ),
        (
            serde_json::json!({"Parts": parts(&["FIRST", "LAST", "X"])}),
            None,
        ),
        // A pipe stops the projection: `[0]` of the list of states.
        (
            serde_json::json!({"Parts": parts(&["ONLY", "X"])}),
            Some(true),
        ),
        // A map key.
        (serde_json::json!({"Labels": {"env": "prod"}}), Some(true)),
        (serde_json::json!({"Labels": {"env": "dev"}}), None),
        // length(Name) > 5.
        (serde_json::json!({"Name": "longname"}), Some(true)),
        (serde_json::json!({"Name": "short"}), None),
    ];
    for (body, expected) in cases {
        let (server, calls) = thing_server(vec![thing(body.clone())]).await;
        let result = client(&server)
            .wait_until_paths_compiled()
            .name("t")
            .min_delay(Duration::from_millis(10))
            .max_delay(Duration::from_millis(10))
            .wait(Duration::from_millis(60))
            .await;
        match (expected, result) {
            (Some(true), Ok(done)) => assert_eq!(done.attempts(), 1, "{body}"),
            (Some(false), Err(WaiterError::FailureState { attempts: 1, .. })) => {}
            (None, Err(e)) if e.is_timeout() => assert!(calls.load(Ordering::SeqCst) > 1),
            (expected, other) => panic!("{body}: expected {expected:?}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn bad_input_or_timing_sends_nothing() {
    let (server, calls) = thing_server(vec![thing(serde_json::json!({"Status": "ACTIVE"}))]).await;
    let err = client(&server)
        .wait_until_thing_active()
        .wait(LONG)
        .await
        .unwrap_err();
    // The missing required label fails validation: nothing is sent.
    assert!(
        matches!(
            err,
            WaiterError::OperationFailed {
                error: Error::Validation(_),
                ..
            }
        ),
        "{err:?}"
    );
    let err = client(&server)
        .wait_until_thing_active()
        .name("t")
        .wait(Duration::from_millis(500))
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaiterError::InvalidConfig(_)),
        "the default minDelay is 1 s: {err:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

// ---- generation errors ----

/// Generates `tests/models/pagination.json` with the `ThingActive` waiter's first path
/// replaced, returning the error text.
fn generate_with_path(tag: &str, path: &str) -> Result<(), String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("tests/models/pagination.json")).unwrap();
    let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
    model["shapes"]["com.example.pagination#GetThing"]["traits"]["smithy.waiters#waitable"]
        ["ThingActive"]["acceptors"][0]["matcher"]["output"]["path"] = path.into();
    let file = std::env::temp_dir().join(format!("pagination-{tag}-{}.json", std::process::id()));
    std::fs::write(&file, model.to_string()).unwrap();
    let result = codegen::generate(&codegen::Options {
        models: vec![file.clone()],
        operations: codegen::OperationSelection::All,
        crate_name: "pagination".into(),
        runtime: Default::default(),
        service: None,
    });
    let _ = std::fs::remove_file(&file);
    result.map(|_| ()).map_err(|e| e.to_string())
}

#[test]
fn unsupported_paths_are_generation_errors_naming_the_waiter() {
    for (tag, path, why) in [
        ("slice", "Thing.Parts[0:1]", "slices"),
        ("function", "to_string(Thing.Status)", "to_string"),
        ("member", "Thing.Colour", "no member `Colour`"),
        ("wildcard", "Thing.*", "wildcards"),
        ("type", "Thing.Parts", "a string"),
    ] {
        let err = generate_with_path(tag, path).unwrap_err();
        assert!(err.contains("waiter `ThingActive`"), "{path}: {err}");
        assert!(err.contains(why), "{path}: {err}");
    }
    generate_with_path("ok", "Thing.Status").unwrap();
}

#[test]
fn a_waiter_name_that_is_no_identifier_is_a_generation_error() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("tests/models/pagination.json")).unwrap();
    let text = text.replace("\"ThingDeleted\"", "\"Thing Deleted!\"");
    let file = std::env::temp_dir().join(format!("pagination-name-{}.json", std::process::id()));
    std::fs::write(&file, text).unwrap();
    let err = codegen::generate(&codegen::Options {
        models: vec![file.clone()],
        operations: codegen::OperationSelection::All,
        crate_name: "pagination".into(),
        runtime: Default::default(),
        service: None,
    })
    .unwrap_err()
    .to_string();
    let _ = std::fs::remove_file(&file);
    assert!(err.contains("waiter name `Thing Deleted!`"), "{err}");
}
