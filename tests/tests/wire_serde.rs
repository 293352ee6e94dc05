//! The wire JSON format through the generated crates' public `serde` impls (feature
//! `serde`), which read and write exactly what the restJson1 deserializers and serializers
//! do: GetStage responses (realistic, empty, nulls, unknown keys, unknown enum values, every
//! timestamp form, wrong types, out-of-range numbers), the other test models' shapes, and
//! round trips.

use apigatewayv2::operation::get_stage::GetStageOutput;
use apigatewayv2::types::{LoggingLevel, RouteSettings};

/// A GetStage response body as API Gateway sends it.
const FULL_BODY: &str = r#"{
  "accessLogSettings": {
    "destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:api-access-logs",
    "format": "$context.requestId $context.identity.sourceIp"
  },
  "apiGatewayManaged": true,
  "autoDeploy": true,
  "clientCertificateId": "a1b2c3",
  "createdDate": "2020-04-01T12:30:45Z",
  "defaultRouteSettings": {
    "dataTraceEnabled": false,
    "detailedMetricsEnabled": true,
    "loggingLevel": "INFO",
    "throttlingBurstLimit": 5000,
    "throttlingRateLimit": 10000.5
  },
  "deploymentId": "dep123",
  "description": "The default stage",
  "lastDeploymentStatusMessage": "Successfully deployed stage with deployment ID 'dep123'",
  "lastUpdatedDate": "2020-04-02T08:00:00.123+02:00",
  "routeSettings": {
    "GET /pets": { "loggingLevel": "ERROR", "throttlingBurstLimit": 10 },
    "$default": { "dataTraceEnabled": true }
  },
  "stageName": "$default",
  "stageVariables": { "lambdaAlias": "prod", "url": "https://example.com/?a=b&c=d" },
  "tags": { "team": "payments", "env": "prod" }
}"#;

fn parse(body: &str) -> Result<GetStageOutput, serde_json::Error> {
    serde_json::from_str(body)
}

fn utc(text: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

#[test]
fn full_get_stage_body() {
    let out = parse(FULL_BODY).unwrap();
    let access = out.access_log_settings.as_ref().unwrap();
    assert_eq!(
        access.destination_arn.as_deref(),
        Some("arn:aws:logs:us-east-1:123456789012:log-group:api-access-logs")
    );
    assert_eq!(out.api_gateway_managed, Some(true));
    assert_eq!(out.created_date, Some(utc("2020-04-01T12:30:45Z")));
    assert_eq!(out.last_updated_date, Some(utc("2020-04-02T06:00:00.123Z")));
    let default = out.default_route_settings.as_ref().unwrap();
    assert_eq!(default.logging_level, Some(LoggingLevel::from("INFO")));
    assert_eq!(default.throttling_burst_limit, Some(5000));
    assert_eq!(default.throttling_rate_limit, Some(10000.5));
    let routes = out.route_settings.as_ref().unwrap();
    assert_eq!(routes.len(), 2);
    assert_eq!(
        routes["GET /pets"]
            .logging_level
            .as_ref()
            .map(|l| l.as_str()),
        Some("ERROR")
    );
    assert_eq!(routes["$default"].data_trace_enabled, Some(true));
    assert_eq!(out.stage_name.as_deref(), Some("$default"));
    assert_eq!(
        out.stage_variables.as_ref().unwrap()["url"],
        "https://example.com/?a=b&c=d"
    );
    assert_eq!(out.tags.as_ref().unwrap().len(), 2);
}

#[test]
fn round_trip_gives_the_same_value() {
    let out = parse(FULL_BODY).unwrap();
    let text = serde_json::to_string(&out).unwrap();
    assert_eq!(parse(&text).unwrap(), out);
    // The written form is the wire form: jsonName keys, date-time strings in UTC.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["lastUpdatedDate"], "2020-04-02T06:00:00.123Z");
    assert_eq!(value["defaultRouteSettings"]["loggingLevel"], "INFO");
    assert!(value.get("description").is_some());
    assert!(value.get("_request_id").is_none());
}

#[test]
fn empty_and_null_bodies_give_unset_members() {
    let empty = parse("{}").unwrap();
    let nulls = parse(
        r#"{"accessLogSettings":null,"apiGatewayManaged":null,"autoDeploy":null,"clientCertificateId":null,
            "createdDate":null,"defaultRouteSettings":null,"deploymentId":null,"description":null,
            "lastDeploymentStatusMessage":null,"lastUpdatedDate":null,"routeSettings":null,"stageName":null,
            "stageVariables":null,"tags":null}"#,
    )
    .unwrap();
    assert_eq!(empty, nulls);
    assert!(empty.stage_name.is_none() && empty.tags.is_none() && empty.created_date.is_none());
    // Dense maps drop null entries; the last of duplicate keys wins.
    let out =
        parse(r#"{"tags":{"a":"1","b":null,"a":"2"},"stageName":"x","stageName":"y"}"#).unwrap();
    assert_eq!(out.tags.as_ref().unwrap().len(), 1);
    assert_eq!(out.tags.as_ref().unwrap()["a"], "2");
    assert_eq!(out.stage_name.as_deref(), Some("y"));
}

#[test]
fn unknown_keys_are_skipped_at_any_depth() {
    let out = parse(
        r#"{"newTopLevel":{"deeply":{"nested":[1,{"x":[null,true,"s"]}]}},"stageName":"s",
            "defaultRouteSettings":{"newKnob":[{"a":{}}],"throttlingBurstLimit":1},
            "accessLogSettings":{"extra":null,"format":"f"}}"#,
    )
    .unwrap();
    assert_eq!(out.stage_name.as_deref(), Some("s"));
    assert_eq!(
        out.default_route_settings.unwrap().throttling_burst_limit,
        Some(1)
    );
    assert_eq!(
        out.access_log_settings.unwrap().format.as_deref(),
        Some("f")
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let out = parse(r#"{"defaultRouteSettings":{"loggingLevel":"VERBOSE"}}"#).unwrap();
    let level = out.default_route_settings.unwrap().logging_level.unwrap();
    assert_eq!(level.as_str(), "VERBOSE");
    assert!(!LoggingLevel::values().contains(&"VERBOSE"));
    let text = serde_json::to_string(&level).unwrap();
    assert_eq!(text, r#""VERBOSE""#);
}

#[test]
fn date_time_forms() {
    let cases = [
        ("2020-04-01T12:30:45Z", "2020-04-01T12:30:45Z"),
        ("2020-04-01t12:30:45z", "2020-04-01T12:30:45Z"),
        ("2020-04-01T14:30:45+02:00", "2020-04-01T12:30:45Z"),
        ("2020-04-01T07:00:45-05:30", "2020-04-01T12:30:45Z"),
        ("2020-04-01T12:30:45.1Z", "2020-04-01T12:30:45.1Z"),
        (
            "2020-04-01T12:30:45.123456789Z",
            "2020-04-01T12:30:45.123456789Z",
        ),
        ("2020-04-01T12:30:45.000Z", "2020-04-01T12:30:45Z"),
    ];
    for (wire, want) in cases {
        let out = parse(&format!(r#"{{"createdDate":"{wire}"}}"#)).unwrap();
        assert_eq!(out.created_date, Some(utc(want)), "{wire}");
    }
    for bad in [
        "yesterday",
        "2020-04-01",
        "2020-04-01 12:30:45Z",
        "2020-13-01T00:00:00Z",
        "2020-04-01T12:30:45.1234567891Z",
    ] {
        let e = parse(&format!(r#"{{"createdDate":"{bad}"}}"#)).unwrap_err();
        assert!(
            e.to_string().starts_with("GetStageOutput.created_date: "),
            "{bad}: {e}"
        );
    }
    // date-time members do not take epoch numbers.
    let e = parse(r#"{"lastUpdatedDate":1585744245}"#).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("GetStageOutput.last_updated_date: "),
        "{e}"
    );
}

#[test]
fn wrong_types_and_out_of_range_numbers_name_the_member() {
    let cases = [
        (r#"{"stageName":5}"#, "GetStageOutput.stage_name"),
        (r#"{"autoDeploy":"true"}"#, "GetStageOutput.auto_deploy"),
        (r#"{"tags":["a"]}"#, "GetStageOutput.tags"),
        (r#"{"tags":{"k":1}}"#, r#"GetStageOutput.tags["k"]"#),
        (
            r#"{"accessLogSettings":"arn"}"#,
            "GetStageOutput.access_log_settings",
        ),
        (
            r#"{"defaultRouteSettings":{"throttlingBurstLimit":2147483648}}"#,
            "GetStageOutput.default_route_settings.throttling_burst_limit",
        ),
        (
            r#"{"defaultRouteSettings":{"throttlingBurstLimit":-2147483649}}"#,
            "GetStageOutput.default_route_settings.throttling_burst_limit",
        ),
        (
            r#"{"defaultRouteSettings":{"throttlingBurstLimit":1.5}}"#,
            "GetStageOutput.default_route_settings.throttling_burst_limit",
        ),
        (
            r#"{"defaultRouteSettings":{"throttlingRateLimit":"fast"}}"#,
            "GetStageOutput.default_route_settings.throttling_rate_limit",
        ),
        (
            r#"{"routeSettings":{"GET /":{"loggingLevel":7}}}"#,
            r#"GetStageOutput.route_settings["GET /"].logging_level"#,
        ),
    ];
    for (body, member) in cases {
        let e = parse(body).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!("{member}: ")),
            "{body}: {e}"
        );
    }
    // The extremes of the range are fine.
    let out = parse(r#"{"defaultRouteSettings":{"throttlingBurstLimit":-2147483648}}"#).unwrap();
    assert_eq!(
        out.default_route_settings.unwrap().throttling_burst_limit,
        Some(i32::MIN)
    );
}

#[test]
fn special_floats() {
    for (wire, check) in [
        (r#""NaN""#, f64::is_nan as fn(f64) -> bool),
        (r#""Infinity""#, |v: f64| v == f64::INFINITY),
        (r#""-Infinity""#, |v: f64| v == f64::NEG_INFINITY),
        ("1e3", |v: f64| v == 1000.0),
    ] {
        let settings: RouteSettings =
            serde_json::from_str(&format!(r#"{{"throttlingRateLimit":{wire}}}"#)).unwrap();
        assert!(check(settings.throttling_rate_limit.unwrap()), "{wire}");
        let text = serde_json::to_string(&settings).unwrap();
        let back: RouteSettings = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back.throttling_rate_limit.map(f64::to_bits),
            settings.throttling_rate_limit.map(f64::to_bits)
        );
    }
}

#[test]
fn malformed_json_is_an_error_never_a_panic() {
    let deep = format!(
        "{}{}",
        r#"{"accessLogSettings":"#.repeat(10_000),
        "}".repeat(10_000)
    );
    let unknown_deep = format!(r#"{{"x":{}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    for body in [
        "",
        "<html><body>502 Bad Gateway</body></html>",
        r#"{"stageName":"#,
        r#"{"stageName":"a"} trailing"#,
        "[]",
        "null",
        "\u{0}",
        &deep,
    ] {
        assert!(parse(body).is_err(), "{body:.40}");
    }
    // Unknown values are skipped without recursion, however deep.
    assert!(parse(&unknown_deep).is_ok());
}

#[test]
fn http_bindings_json_values() {
    use httpbindings::operation::post_json::PostJsonOutput;
    let body = r#"{"Id":"x","Values":{
        "BlobValue":"AQID","FloatValue":"-Infinity","LongValue":9007199254740993,
        "Timestamp":1576540098,"EpochSeconds":1576540098.25,
        "HttpDate":"Sunday, 06-Nov-94 08:49:37 GMT","DateTime":"2019-12-16T23:48:18.5+01:00",
        "DateTimeShape":"2019-12-16T23:48:18Z","TimestampList":[1576540098,null,1.5],
        "StringList":["a",null,"b"],"StringMap":{"a":null,"b":"c"},"EnumValue":"purple",
        "DocumentValue":{"x":[1,{"y":null}]},"renamed_member":"r","BigIntegerValue":123456789012345678}}"#;
    let out: PostJsonOutput = serde_json::from_str(body).unwrap();
    assert_eq!(out.id, "x");
    let v = out.values.as_ref().unwrap();
    assert_eq!(v.blob_value.as_deref(), Some(&[1u8, 2, 3][..]));
    assert_eq!(v.float_value, Some(f32::NEG_INFINITY));
    assert_eq!(v.long_value, Some(9007199254740993));
    assert_eq!(v.timestamp.unwrap().unix_timestamp(), 1576540098);
    assert_eq!(
        v.epoch_seconds.unwrap().unix_timestamp_nanos(),
        1_576_540_098_250_000_000
    );
    assert_eq!(v.http_date, Some(utc("1994-11-06T08:49:37Z")));
    assert_eq!(v.date_time, Some(utc("2019-12-16T22:48:18.5Z")));
    assert_eq!(v.timestamp_list.as_ref().unwrap().len(), 2);
    assert_eq!(
        v.string_list.as_deref(),
        Some(&["a".to_string(), "b".to_string()][..])
    );
    assert_eq!(v.string_map.as_ref().unwrap().len(), 1);
    assert_eq!(v.enum_value.as_ref().unwrap().as_str(), "purple");
    assert_eq!(
        v.document_value,
        Some(serde_json::json!({"x":[1,{"y":null}]}))
    );
    assert_eq!(v.renamed_member.as_deref(), Some("r"));
    assert_eq!(
        v.big_integer_value.as_ref().unwrap().0,
        "123456789012345678"
    );
    let text = serde_json::to_string(&out).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["Values"]["FloatValue"], "-Infinity");
    assert_eq!(value["Values"]["HttpDate"], "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(value["Values"]["EpochSeconds"], 1576540098.25);
    assert_eq!(value["Values"]["BlobValue"], "AQID");
    let back: PostJsonOutput = serde_json::from_str(&text).unwrap();
    assert_eq!(back, out);
    // Out of range for i8 / i16.
    for (body, member) in [
        (
            r#"{"Values":{"ByteValue":128}}"#,
            "PostJsonOutput.values.byte_value",
        ),
        (
            r#"{"Values":{"ShortValue":-32769}}"#,
            "PostJsonOutput.values.short_value",
        ),
        (
            r#"{"Values":{"LongValue":9223372036854775808}}"#,
            "PostJsonOutput.values.long_value",
        ),
        (
            r#"{"Values":{"BlobValue":"not base64!"}}"#,
            "PostJsonOutput.values.blob_value",
        ),
        (
            r#"{"Values":{"EpochSeconds":"1576540098"}}"#,
            "PostJsonOutput.values.epoch_seconds",
        ),
        (
            r#"{"Values":{"HttpDate":"2019-12-16T23:48:18Z"}}"#,
            "PostJsonOutput.values.http_date",
        ),
    ] {
        let e = serde_json::from_str::<PostJsonOutput>(body).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!("{member}: ")),
            "{body}: {e}"
        );
    }
}

#[test]
fn shapes_unions_recursion_and_sparse() {
    use shapes::operation::get_thing::GetThingOutput;
    use shapes::types::Payload;
    let out: GetThingOutput = serde_json::from_str(
        r#"{"Chain":{"Value":1,"Next":{"Value":2,"Next":{"Value":3}}},
            "Tree":{"Name":"root","Children":[{"Name":"a"},null,{"Name":"b","Children":[]}]},
            "Sparse":{"List":["a",null],"Map":{"k":null}}}"#,
    )
    .unwrap();
    assert_eq!(
        out.chain
            .as_ref()
            .unwrap()
            .next
            .as_ref()
            .unwrap()
            .next
            .as_ref()
            .unwrap()
            .value,
        Some(3)
    );
    assert_eq!(
        out.tree.as_ref().unwrap().children.as_ref().unwrap().len(),
        2
    );
    let sparse = out.sparse.as_ref().unwrap();
    assert_eq!(sparse.list, Some(vec![Some("a".to_string()), None]));
    assert_eq!(sparse.map.as_ref().unwrap()["k"], None);
    let back: GetThingOutput = serde_json::from_str(&serde_json::to_string(&out).unwrap()).unwrap();
    assert_eq!(back, out);

    let e = serde_json::from_str::<GetThingOutput>(
        r#"{"Tree":{"Children":[{"Name":"a"},{"Name":5}]}}"#,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("GetThingOutput.tree.children[1].name: "),
        "{e}"
    );

    let text: Payload = serde_json::from_str(r#"{"text":"t","__type":"ignored"}"#).unwrap();
    assert_eq!(text, Payload::Text("t".to_string()));
    let count: Payload = serde_json::from_str(r#"{"text":null,"count":3}"#).unwrap();
    assert_eq!(serde_json::to_string(&count).unwrap(), r#"{"count":3}"#);
    let unknown: Payload = serde_json::from_str(r#"{"addedLater":{"x":1}}"#).unwrap();
    assert!(unknown.is_unknown());
    assert!(serde_json::to_string(&unknown).is_err());
    assert!(serde_json::from_str::<Payload>(r#"{"text":"t","count":1}"#).is_err());
    assert!(serde_json::from_str::<Payload>("{}").is_err());
}
