//! restJson1 on the wire, through the generated clients' public API against a local
//! `wiremock` server on 127.0.0.1: URI labels, query strings, headers and payloads as sent;
//! validation that stops a request before anything is sent; success responses (realistic,
//! empty, null, unknown keys and values, timestamps, malformed); and every error form.

use std::collections::HashMap;

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use apigatewayv2::error::{Error, InvalidInput, InvalidResponseKind};
use apigatewayv2::operation::get_stage::{GetStageError, GetStageOutput};
use apigatewayv2::operation::RequestId as _;

fn credentials() -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::from_keys(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
    )
}

fn apigw(server: &MockServer) -> apigatewayv2::Client {
    let config = apigatewayv2::Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .endpoint_url(server.uri())
        .max_attempts(1)
        .build();
    apigatewayv2::Client::new(&config)
}

/// A server that answers every request with `template`.
async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .insert_header("x-amzn-requestid", "7b2e4c9a-0000-4000-8000-000000000000")
        .set_body_string(body)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

async fn get_stage(
    server: &MockServer,
    api: &str,
    stage: &str,
) -> Result<GetStageOutput, Error<GetStageError>> {
    apigw(server)
        .get_stage()
        .api_id(api)
        .stage_name(stage)
        .send()
        .await
}

#[tokio::test]
async fn labels_are_sent_as_percent_encoded_path_segments() {
    let long = "s".repeat(1000);
    let cases: Vec<(&str, String)> = vec![
        ("$default", "%24default".to_string()),
        ("prod", "prod".to_string()),
        ("my stage", "my%20stage".to_string()),
        ("a/b", "a%2Fb".to_string()),
        ("100%", "100%25".to_string()),
        ("a+b", "a%2Bb".to_string()),
        ("what?", "what%3F".to_string()),
        ("#frag", "%23frag".to_string()),
        ("...", "...".to_string()),
        (".hidden", ".hidden".to_string()),
        ("AZaz09-._~", "AZaz09-._~".to_string()),
        (
            "é日本😀",
            "%C3%A9%E6%97%A5%E6%9C%AC%F0%9F%98%80".to_string(),
        ),
        ("a&b=c;d", "a%26b%3Dc%3Bd".to_string()),
        (long.as_str(), long.clone()),
    ];
    let server = server_answering(json(200, r#"{"stageName":"x"}"#)).await;
    for (stage, _) in &cases {
        get_stage(&server, "a1b2c3", stage)
            .await
            .unwrap_or_else(|e| panic!("{stage}: {e:?}"));
    }
    let sent = requests(&server).await;
    assert_eq!(sent.len(), cases.len());
    for ((stage, encoded), request) in cases.iter().zip(&sent) {
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(
            request.url.path(),
            format!("/v2/apis/a1b2c3/stages/{encoded}"),
            "{stage}"
        );
        assert_eq!(request.url.query(), None);
        assert!(request.body.is_empty(), "GetStage has no body");
        assert!(
            request.headers.get("content-type").is_none(),
            "no body, no Content-Type"
        );
    }
}

#[tokio::test]
async fn invalid_input_is_rejected_before_anything_is_sent() {
    let server = server_answering(json(200, "{}")).await;
    let client = apigw(&server);
    let cases: [(Option<&str>, Option<&str>, &[&str]); 6] = [
        (Some("a1b2c3"), Some(""), &["GetStageInput.stage_name"]),
        (Some("a1b2c3"), Some("."), &["GetStageInput.stage_name"]),
        (Some("a1b2c3"), Some(".."), &["GetStageInput.stage_name"]),
        (Some(".."), Some("$default"), &["GetStageInput.api_id"]),
        (None, Some("prod"), &["GetStageInput.api_id"]),
        (
            None,
            None,
            &["GetStageInput.api_id", "GetStageInput.stage_name"],
        ),
    ];
    for (api, stage, paths) in cases {
        let err = client
            .get_stage()
            .set_api_id(api.map(str::to_string))
            .set_stage_name(stage.map(str::to_string))
            .send()
            .await
            .expect_err("invalid input must fail");
        let Error::Validation(InvalidInput::Constraint(e)) = &err else {
            panic!("{api:?}/{stage:?}: expected a validation error, got {err:?}");
        };
        let got: Vec<&str> = e.violations().iter().map(|v| v.path.as_str()).collect();
        assert_eq!(got, paths, "{e}");
        assert!(!e.to_string().is_empty());
    }
    assert!(
        requests(&server).await.is_empty(),
        "nothing may reach the server"
    );
}

const FULL_BODY: &str = r#"{"accessLogSettings":{"destinationArn":"arn:aws:logs:us-east-1:123456789012:log-group:api-access-logs","format":"$context.requestId"},"apiGatewayManaged":false,"autoDeploy":true,"createdDate":"2020-04-01T12:30:45Z","defaultRouteSettings":{"dataTraceEnabled":false,"detailedMetricsEnabled":false,"loggingLevel":"OFF","throttlingBurstLimit":5000,"throttlingRateLimit":10000.0},"deploymentId":"dep123","description":"Production","lastDeploymentStatusMessage":"Successfully deployed stage with deployment ID 'dep123'","lastUpdatedDate":"2020-04-02T08:00:00.5+02:00","routeSettings":{"GET /pets":{"loggingLevel":"ERROR"}},"stageName":"$default","stageVariables":{"lambdaAlias":"prod"},"tags":{"team":"payments"}}"#;

type Check = fn(&GetStageOutput);

#[tokio::test]
async fn success_responses() {
    let cases: Vec<(&str, &str, Check)> = vec![
        ("full", FULL_BODY, |o| {
            assert_eq!(o.stage_name.as_deref(), Some("$default"));
            assert_eq!(o.auto_deploy, Some(true));
            assert_eq!(o.created_date.unwrap().unix_timestamp(), 1585744245);
            assert_eq!(
                o.last_updated_date.unwrap().unix_timestamp_nanos(),
                1_585_807_200_500_000_000
            );
            let d = o.default_route_settings.as_ref().unwrap();
            assert_eq!(d.logging_level.as_ref().unwrap().as_str(), "OFF");
            assert_eq!(d.throttling_burst_limit, Some(5000));
            assert_eq!(
                o.route_settings.as_ref().unwrap()["GET /pets"]
                    .logging_level
                    .as_ref()
                    .unwrap()
                    .as_str(),
                "ERROR"
            );
            assert_eq!(o.tags.as_ref().unwrap()["team"], "payments");
        }),
        ("empty object", "{}", |o| {
            assert!(o.stage_name.is_none() && o.tags.is_none())
        }),
        ("empty body", "", |o| {
            assert!(o.stage_name.is_none() && o.created_date.is_none())
        }),
        (
            "nulls",
            r#"{"stageName":null,"tags":null,"defaultRouteSettings":{"loggingLevel":null},"stageVariables":{"a":null}}"#,
            |o| {
                assert!(o.stage_name.is_none() && o.tags.is_none());
                assert!(o
                    .default_route_settings
                    .as_ref()
                    .unwrap()
                    .logging_level
                    .is_none());
                assert!(o.stage_variables.as_ref().unwrap().is_empty());
            },
        ),
        (
            "unknown keys",
            r#"{"brandNew":{"deep":[{"x":{"y":[null]}}]},"defaultRouteSettings":{"futureKnob":{"a":1},"throttlingBurstLimit":1},"stageName":"s"}"#,
            |o| {
                assert_eq!(o.stage_name.as_deref(), Some("s"));
                assert_eq!(
                    o.default_route_settings
                        .as_ref()
                        .unwrap()
                        .throttling_burst_limit,
                    Some(1)
                );
            },
        ),
        (
            "unknown logging level",
            r#"{"defaultRouteSettings":{"loggingLevel":"VERBOSE"}}"#,
            |o| {
                assert_eq!(
                    o.default_route_settings
                        .as_ref()
                        .unwrap()
                        .logging_level
                        .as_ref()
                        .unwrap()
                        .as_str(),
                    "VERBOSE"
                );
            },
        ),
        (
            "offset timestamp",
            r#"{"createdDate":"2020-04-01T14:30:45+02:00"}"#,
            |o| {
                assert_eq!(o.created_date.unwrap().unix_timestamp(), 1585744245);
                assert_eq!(o.created_date.unwrap().offset(), time::UtcOffset::UTC);
            },
        ),
        (
            "nanosecond timestamp",
            r#"{"createdDate":"2020-04-01T12:30:45.123456789Z"}"#,
            |o| {
                assert_eq!(o.created_date.unwrap().nanosecond(), 123456789);
            },
        ),
        (
            "special floats",
            r#"{"defaultRouteSettings":{"throttlingRateLimit":"Infinity"}}"#,
            |o| {
                assert_eq!(
                    o.default_route_settings
                        .as_ref()
                        .unwrap()
                        .throttling_rate_limit,
                    Some(f64::INFINITY)
                );
            },
        ),
    ];
    for (name, body, check) in cases {
        let server = server_answering(json(200, body)).await;
        let out = get_stage(&server, "a1b2c3", "$default")
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        check(&out);
        assert_eq!(
            out.request_id(),
            Some("7b2e4c9a-0000-4000-8000-000000000000"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn malformed_success_responses_are_typed_errors() {
    let cases: [(&str, u16, &str, Option<&str>); 9] = [
        ("html", 200, "<html><body>Welcome</body></html>", None),
        ("text", 200, "OK", None),
        ("truncated", 200, r#"{"stageName":"$def"#, None),
        ("array", 200, "[]", None),
        (
            "wrong type",
            200,
            r#"{"stageName":42}"#,
            Some("GetStageOutput.stage_name"),
        ),
        (
            "nested wrong type",
            200,
            r#"{"defaultRouteSettings":{"dataTraceEnabled":"yes"}}"#,
            Some("GetStageOutput.default_route_settings.data_trace_enabled"),
        ),
        (
            "out of range",
            200,
            r#"{"defaultRouteSettings":{"throttlingBurstLimit":3000000000}}"#,
            Some("GetStageOutput.default_route_settings.throttling_burst_limit"),
        ),
        (
            "bad timestamp",
            200,
            r#"{"createdDate":"not a date"}"#,
            Some("GetStageOutput.created_date"),
        ),
        (
            "epoch for date-time",
            200,
            r#"{"lastUpdatedDate":1585744245}"#,
            Some("GetStageOutput.last_updated_date"),
        ),
    ];
    for (name, status, body, member) in cases {
        let server = server_answering(json(status, body)).await;
        let err = get_stage(&server, "a1b2c3", "prod").await.expect_err(name);
        let Error::Response(invalid) = &err else {
            panic!("{name}: expected a response error, got {err:?}");
        };
        assert_eq!(invalid.status(), status, "{name}");
        let InvalidResponseKind::Unparseable(e) = invalid.kind() else {
            panic!("{name}: {invalid:?}");
        };
        assert_eq!(e.status(), status);
        assert_eq!(e.member(), member, "{name}: {e}");
        match member {
            Some(m) => {
                assert!(e.to_string().starts_with(m), "{name}: {e}");
                assert!(e.kind().is_some(), "{name}");
            }
            None => assert_eq!(
                e.body_start(),
                Some(body),
                "{name}: keeps the start of the body"
            ),
        }
    }
}

#[tokio::test]
async fn error_responses() {
    type ErrCheck = fn(&GetStageError);
    type Case<'a> = (&'a str, u16, Vec<(&'a str, &'a str)>, &'a str, ErrCheck);
    let cases: Vec<Case> = vec![
        (
            "header code",
            404,
            vec![(
                "x-amzn-errortype",
                "NotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            )],
            r#"{"message":"Invalid stage identifier specified","resourceType":"Stage"}"#,
            |e| match e {
                GetStageError::NotFoundException(e) => {
                    assert_eq!(
                        e.message.as_deref(),
                        Some("Invalid stage identifier specified")
                    );
                    assert_eq!(e.resource_type.as_deref(), Some("Stage"));
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "__type with namespace and Message",
            404,
            vec![],
            r#"{"__type":"com.amazonaws.apigatewayv2#NotFoundException","Message":"gone"}"#,
            |e| match e {
                GetStageError::NotFoundException(e) => {
                    assert_eq!(e.message.as_deref(), Some("gone"))
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "code field",
            429,
            vec![],
            r#"{"code":"TooManyRequestsException","message":"Too Many Requests","limitType":"burst"}"#,
            |e| match e {
                GetStageError::TooManyRequestsException(e) => {
                    assert_eq!(e.message.as_deref(), Some("Too Many Requests"));
                    assert_eq!(e.limit_type.as_deref(), Some("burst"));
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "header wins over body",
            429,
            vec![("x-amzn-errortype", "TooManyRequestsException")],
            r#"{"__type":"NotFoundException"}"#,
            |e| {
                assert!(
                    matches!(e, GetStageError::TooManyRequestsException(_)),
                    "{e:?}"
                )
            },
        ),
        (
            "unmodeled code",
            400,
            vec![],
            r#"{"__type":"BadRequestException","message":"Invalid API identifier"}"#,
            |e| match e {
                GetStageError::Unhandled(u) => {
                    assert_eq!(u.status(), 400);
                    assert_eq!(u.code(), Some("BadRequestException"));
                    assert_eq!(u.message(), Some("Invalid API identifier"));
                    assert_eq!(u.request_id(), Some("7b2e4c9a-0000-4000-8000-000000000000"));
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "no code",
            404,
            vec![],
            r#"{"message":"who knows"}"#,
            |e| match e {
                GetStageError::Unhandled(u) => {
                    assert_eq!(
                        (u.status(), u.code(), u.message()),
                        (404, None, Some("who knows"))
                    );
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "html body",
            502,
            vec![],
            "<html><body>Bad Gateway</body></html>",
            |e| match e {
                GetStageError::Unhandled(u) => {
                    assert_eq!((u.status(), u.code()), (502, None));
                    assert_eq!(&u.body()[..], b"<html><body>Bad Gateway</body></html>");
                }
                other => panic!("{other:?}"),
            },
        ),
        ("empty body", 403, vec![], "", |e| match e {
            GetStageError::Unhandled(u) => {
                assert_eq!((u.status(), u.code(), u.body().len()), (403, None, 0))
            }
            other => panic!("{other:?}"),
        }),
        (
            "modeled code, body not JSON",
            404,
            vec![("x-amzn-errortype", "NotFoundException")],
            "<html>404</html>",
            |e| match e {
                GetStageError::Unhandled(u) => {
                    assert_eq!(u.code(), Some("NotFoundException"));
                    // Why the modeled error could not be read is kept as the source.
                    let source = std::error::Error::source(u).expect("the parse error");
                    assert!(source.to_string().contains("<html>404</html>"), "{source}");
                    assert!(u.parse_error().is_some());
                }
                other => panic!("{other:?}"),
            },
        ),
    ];
    for (name, status, headers, body, check) in cases {
        let mut template = json(status, body);
        for (k, v) in headers {
            template = template.insert_header(k, v);
        }
        let server = server_answering(template).await;
        let err = get_stage(&server, "a1b2c3", "prod").await.expect_err(name);
        let service = err
            .as_service_error()
            .unwrap_or_else(|| panic!("{name}: expected a service error, got {err:?}"));
        check(service);
    }
}

fn bindings_client(server: &MockServer) -> httpbindings::Client {
    let config = httpbindings::Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .endpoint_url(format!("{}/prefix/", server.uri()))
        .max_attempts(1)
        .build();
    httpbindings::Client::new(&config)
}

#[tokio::test]
async fn http_bindings_on_the_wire() {
    use httpbindings::types::Color;
    let server = server_answering(
        json(200, "{}")
            .insert_header("x-request-id", "rid-1")
            .insert_header("x-echoed-date", "Mon, 16 Dec 2019 23:48:18 GMT")
            .insert_header("x-echoed-list", "1, 2,3")
            .insert_header("x-meta-color", "blue"),
    )
    .await;
    let client = bindings_client(&server);
    let when = time::macros::datetime!(2019-12-16 23:48:18 UTC);

    client
        .get_labels()
        .name("a b/c")
        .count(-5)
        .when(when)
        .flag(true)
        .send()
        .await
        .unwrap();
    client
        .list_items()
        .prefix("p&q=r")
        .max_items(10)
        .descending(false)
        .since(when)
        .set_ids(Some(vec!["a".to_string(), "b,c".to_string()]))
        .set_sizes(Some(vec![1, 2]))
        .color(Color::from("red"))
        .set_extra(Some(HashMap::from([
            ("prefix".to_string(), "loses to @httpQuery".to_string()),
            ("z z".to_string(), "1".to_string()),
        ])))
        .send()
        .await
        .unwrap();
    client
        .delete_object()
        .bucket("b")
        .key("dir/sub dir/f.txt")
        .version_id("v 1")
        .send()
        .await
        .unwrap();
    let out = client
        .put_headers()
        .string_header("plain")
        .integer_header(7)
        .boolean_header(true)
        .date_header(when)
        .date_time_header(when)
        .set_list_header(Some(vec![
            "b,c".to_string(),
            "\"def\"".to_string(),
            "a".to_string(),
        ]))
        .enum_header(Color::from("green"))
        .set_metadata(Some(HashMap::from([("k1".to_string(), "v1".to_string())])))
        .send()
        .await
        .unwrap();
    client
        .put_blob()
        .blob_id("b1")
        .body(vec![0u8, 1, 255])
        .send()
        .await
        .unwrap();
    client.put_text().text("héllo").send().await.unwrap();

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 6);
    assert_eq!(
        sent[0].url.path(),
        "/prefix/labels/a%20b%2Fc/-5/2019-12-16T23%3A48%3A18Z/true"
    );
    assert_eq!(sent[1].url.path(), "/prefix/items");
    assert_eq!(
        sent[1].url.query(),
        Some("list-type=2&prefix=p%26q%3Dr&max-items=10&descending=false&since=2019-12-16T23%3A48%3A18Z&id=a&id=b%2Cc&size=1&size=2&color=red&z%20z=1")
    );
    assert_eq!(sent[2].method.as_str(), "DELETE");
    assert_eq!(sent[2].url.path(), "/prefix/objects/b/dir/sub%20dir/f.txt");
    assert_eq!(sent[2].url.query(), Some("versionId=v%201"));
    let header = |i: usize, name: &str| {
        sent[i]
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(header(3, "x-string").as_deref(), Some("plain"));
    assert_eq!(header(3, "x-integer").as_deref(), Some("7"));
    assert_eq!(header(3, "x-boolean").as_deref(), Some("true"));
    assert_eq!(
        header(3, "x-date").as_deref(),
        Some("Mon, 16 Dec 2019 23:48:18 GMT")
    );
    assert_eq!(
        header(3, "x-datetime").as_deref(),
        Some("2019-12-16T23:48:18Z")
    );
    assert_eq!(
        header(3, "x-list").as_deref(),
        Some(r#""b,c", "\"def\"", a"#)
    );
    assert_eq!(header(3, "x-enum").as_deref(), Some("green"));
    assert_eq!(header(3, "x-meta-k1").as_deref(), Some("v1"));
    assert_eq!(sent[4].body, vec![0u8, 1, 255]);
    assert_eq!(
        header(4, "content-type").as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(sent[5].body, "héllo".as_bytes());
    assert_eq!(header(5, "content-type").as_deref(), Some("text/plain"));

    assert_eq!(out.status, Some(200));
    assert_eq!(out.request_id.as_deref(), Some("rid-1"));
    assert_eq!(out.echoed_date, Some(when));
    assert_eq!(out.echoed_list, Some(vec![1, 2, 3]));
    assert_eq!(out.metadata.as_ref().unwrap()["color"], "blue");
}

#[tokio::test]
async fn json_bodies_and_idempotency_tokens() {
    let server = server_answering(json(
        201,
        r#"{"Id":"created","Values":{"StringValue":"s"}}"#,
    ))
    .await;
    let client = bindings_client(&server);
    let first = client
        .post_json()
        .string_value("s")
        .float_value(f32::NAN)
        .send()
        .await
        .unwrap();
    client
        .post_json()
        .client_token("mine")
        .send()
        .await
        .unwrap();
    assert_eq!(first.id, "created");
    let sent = requests(&server).await;
    assert_eq!(sent[0].url.path(), "/prefix/json");
    assert_eq!(sent[0].url.query(), Some("action=create"));
    assert_eq!(
        sent[0].headers.get("content-type").unwrap(),
        "application/json"
    );
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(body["StringValue"], "s");
    assert_eq!(body["FloatValue"], "NaN");
    let token = body["ClientToken"].as_str().unwrap();
    assert_eq!(
        (token.len(), &token[14..15]),
        (36, "4"),
        "a fresh UUID v4: {token}"
    );
    let body: serde_json::Value = serde_json::from_slice(&sent[1].body).unwrap();
    assert_eq!(body, serde_json::json!({"ClientToken": "mine"}));
}

#[tokio::test]
async fn header_values_with_line_breaks_are_never_sent() {
    let server = server_answering(json(200, "{}")).await;
    let client = bindings_client(&server);
    for bad in ["a\r\nX-Injected: yes", "a\nb", "a\rb"] {
        let err = client
            .put_headers()
            .string_header(bad)
            .send()
            .await
            .expect_err(bad);
        let httpbindings::error::Error::Validation(httpbindings::error::InvalidInput::Serialize(e)) =
            &err
        else {
            panic!("{bad:?}: {err:?}");
        };
        assert_eq!(e.member(), Some("PutHeadersInput.string_header"));
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn constraint_violations_are_reported_together() {
    use constraints::types::{Detail, Mode, Record};
    let server = server_answering(json(200, r#"{"Accepted":1}"#)).await;
    let config = constraints::Config::builder()
        .region("us-east-1")
        .credentials(credentials())
        .endpoint_url(server.uri())
        .max_attempts(1)
        .build();
    let client = constraints::Client::new(&config);
    let record = Record::builder()
        .record_id("x")
        .count(-1)
        .score(11)
        .label("é")
        .mode(Mode::from("not-a-known-mode"))
        .detail(Detail::builder().owner("toolong").build().unwrap())
        .build()
        .unwrap();
    let err = client
        .submit_batch()
        .batch_name("")
        .set_groups(Some(HashMap::from([(
            "Bad_Name".to_string(),
            vec![record],
        )])))
        .send()
        .await
        .expect_err("invalid");
    let constraints::error::Error::Validation(constraints::error::InvalidInput::Constraint(e)) =
        &err
    else {
        panic!("{err:?}");
    };
    let got: Vec<String> = e.violations().iter().map(|v| v.to_string()).collect();
    let want = [
        "SubmitBatchInput.batch_name has length 0 (characters) but must be between 1 and 5 (@length)",
        r#"SubmitBatchInput.groups["Bad_Name"] does not match the pattern `^[a-z][a-z0-9-]*$` (@pattern)"#,
        r#"SubmitBatchInput.groups["Bad_Name"][0].record_id does not match the pattern `[0-9]+` (@pattern)"#,
        r#"SubmitBatchInput.groups["Bad_Name"][0].count is -1 but must be at least 0 (@range)"#,
        r#"SubmitBatchInput.groups["Bad_Name"][0].score is 11 but must be between 1 and 10 (@range)"#,
        r#"SubmitBatchInput.groups["Bad_Name"][0].label has length 1 (characters) but must be at least 2 (@length)"#,
        r#"SubmitBatchInput.groups["Bad_Name"][0].detail.owner has length 7 (characters) but must be between 1 and 5 (@length)"#,
    ];
    assert_eq!(got, want);
    assert!(requests(&server).await.is_empty());

    // A valid input (with an unknown enum value, which is not rejected) is sent.
    let ok = Record::builder()
        .record_id("42")
        .mode(Mode::from("not-a-known-mode"))
        .detail(Detail::builder().owner("me").build().unwrap())
        .build()
        .unwrap();
    client
        .submit_batch()
        .batch_name("b")
        .set_groups(Some(HashMap::from([("good-name".to_string(), vec![ok])])))
        .send()
        .await
        .unwrap();
    assert_eq!(requests(&server).await.len(), 1);
}
