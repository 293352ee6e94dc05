//! The compiler on whole rule sets: the project model, a kitchen-sink rule set covering
//! every function (`testdata/kitchen_sink.json`, whose own endpoint tests exercise the
//! behaviour once generated), and invalid rule sets.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::*;
use crate::model::{ServiceInfo, ShapeId, ShapeType, Traits};

const KITCHEN_SINK: &str = include_str!("testdata/kitchen_sink.json");

/// The model's one service shape, with its traits as raw JSON (as assembly leaves them).
fn service_from_model(model: &Value, source: &str) -> Shape {
    let (id, shape) = model["shapes"]
        .as_object()
        .expect("shapes")
        .iter()
        .find(|(_, s)| s["type"] == "service")
        .expect("a service shape");
    let mut traits = Traits::default();
    if let Some(t) = shape["traits"].as_object() {
        for (k, v) in t {
            traits.other.insert(k.clone(), v.clone());
        }
    }
    Shape {
        id: ShapeId::parse(id).expect("service id"),
        ty: ShapeType::Service,
        traits,
        members: Vec::new(),
        operation: None,
        service: Some(ServiceInfo::default()),
        resource: None,
        source: source.into(),
    }
}

fn service_with(rule_set: Value, tests: Option<Value>) -> Shape {
    let mut traits = json!({ RULE_SET_TRAIT: rule_set });
    if let Some(t) = tests {
        traits[TESTS_TRAIT] = t;
    }
    service_from_model(
        &json!({"smithy": "2.0", "shapes": {"example#Svc": {"type": "service", "traits": traits}}}),
        "model/example.json",
    )
}

fn render(tokens: TokenStream) -> String {
    let file = syn::parse2::<syn::File>(tokens).expect("the emitted code parses as a file");
    prettyplease::unparse(&file)
}

fn kitchen_sink() -> Shape {
    let model: Value = serde_json::from_str(KITCHEN_SINK).expect("kitchen_sink.json is JSON");
    service_from_model(&model, "testdata/kitchen_sink.json")
}

#[test]
fn project_model_resolver_and_tests() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/apigatewayv2.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let model: Value = serde_json::from_str(&text).expect("the project model is JSON");
    let service = service_from_model(&model, "model/apigatewayv2.json");
    let code = render(resolver_for(&service).expect("the project rule set compiles"));
    for expected in [
        "pub use crate::rt::endpoint::{Endpoint, ResolveError};",
        "pub struct Params {",
        "pub region: Option<String>,",
        "pub use_dual_stack: bool,",
        "pub use_fips: bool,",
        "pub endpoint: Option<String>,",
        "pub fn resolve(params: &Params) -> Result<Endpoint, ResolveError> {",
        "let region = params.region.as_deref();",
        "if let Some(endpoint) = endpoint {",
        "return Ok(Endpoint::new(endpoint));",
        "if use_fips && use_dual_stack {",
        // `format!` arguments are locals, inlined: one argument, never broken across lines.
        "let dns_suffix = partition_result.dns_suffix;",
        "format!(\"https://apigateway-fips.{region}.{dns_suffix}\")",
        "Err(ResolveError::new(\"Invalid Configuration: Missing Region\"))",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in:\n{code}");
    }
    assert!(!code.contains("== true"), "{code}");
    assert!(
        !code.contains("}\", "),
        "a `format!` with arguments:\n{code}"
    );
    let tests = render(tests_for(&service, "apigatewayv2").unwrap().expect("tests"));
    assert!(
        tests.contains("use apigatewayv2::endpoint::{resolve, Params};"),
        "{tests}"
    );
    let cases = model["shapes"]["com.amazonaws.apigatewayv2#ApiGatewayV2"]["traits"][TESTS_TRAIT]
        ["testCases"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(tests.matches("#[test]").count(), cases);
}

#[test]
fn kitchen_sink_compiles_deterministically() {
    let service = kitchen_sink();
    let first = render(resolver_for(&service).expect("the kitchen sink compiles"));
    let second = render(resolver_for(&service).unwrap());
    assert_eq!(first, second);
    for expected in [
        // Required without default, defaulted array, keyword and `params` names.
        "pub mode: String,",
        "pub tags: Vec<String>,",
        "pub type_: Option<String>,",
        "let params_ = params.params.as_deref();",
        "the required endpoint parameter `Mode` was not set",
        "unwrap_or_else(|| vec![\"a\".to_string(), \"b\".to_string()])",
        // Functions and attributes.
        "crate::rt::endpoint::url::parse_url(endpoint)",
        "crate::rt::endpoint::string::uri_encode(input)",
        "crate::rt::endpoint::arn::parse_arn(resource_arn)",
        "arn.resource_id.get(1).map(String::as_str)",
        "tags.first().map(String::as_str)",
        "if !res.is_empty() {",
        "if !partition_result.supports_dual_stack {",
        "if flag == Some(true) {",
        "if mode == \"optional-eq\" && region == Some(\"us-east-1\") {",
        ".with_header(\"x-partition\", \"static\")",
        "\"https://example.com/{{literal}}/{mode}\"",
        "return Err(ResolveError::new(\"no rules matched\"));",
    ] {
        assert!(
            first.contains(expected),
            "missing `{expected}` in:\n{first}"
        );
    }
    // Folded away: constant conditions, unused assignments, the never-matching rule.
    assert!(!first.contains("never.example.com"), "{first}");
    assert!(!first.contains("\"a b\""), "{first}");
    let tests = render(tests_for(&service, "kitchen-sink").unwrap().expect("tests"));
    assert!(tests.contains("use kitchen_sink::endpoint::{resolve, Params};"));
    assert_eq!(tests.matches("#[test]").count(), 71);
    assert!(tests.contains("fn missing_required_parameter()"));
    assert!(tests.contains("assert!(endpoint.headers.is_empty());"));
}

#[test]
fn endpoint_params_describe_the_fields() {
    let params = endpoint_params(&kitchen_sink()).unwrap();
    let region = params.iter().find(|p| p.name == "Region").unwrap();
    assert_eq!(region.field, "region");
    assert_eq!(region.built_in.as_deref(), Some("AWS::Region"));
    assert!(region.optional);
    let fips = params.iter().find(|p| p.name == "UseFIPS").unwrap();
    assert_eq!(
        (fips.field.as_str(), fips.ty, fips.optional),
        ("use_fips", ParamType::Boolean, false)
    );
}

#[test]
fn a_service_without_rules_gets_a_failing_resolver() {
    let service = service_from_model(
        &json!({"shapes": {"example#Svc": {"type": "service"}}}),
        "model/example.json",
    );
    let code = render(resolver_for(&service).unwrap());
    assert!(code.contains("pub fn resolve(params: &Params)"), "{code}");
    assert!(code.contains("has no endpoint rule set"), "{code}");
    assert!(tests_for(&service, "x").unwrap().is_none());
    let params = endpoint_params(&service).unwrap();
    assert_eq!(params.len(), 1);
    assert_eq!(params[0].built_in.as_deref(), Some("SDK::Endpoint"));
}

#[test]
fn a_rule_set_that_reads_no_parameter() {
    let service = service_with(
        json!({"version": "1.0", "parameters": {"Region": {"type": "String", "documentation": "r"}},
               "rules": [{"conditions": [], "endpoint": {"url": "https://fixed.example.com"}, "type": "endpoint"}]}),
        None,
    );
    let code = render(resolver_for(&service).unwrap());
    assert!(code.contains("pub fn resolve(_params: &Params)"), "{code}");
    assert!(
        code.contains("    Ok(Endpoint::new(\"https://fixed.example.com\"))\n}"),
        "{code}"
    );
}

/// The error for a rule set whose first rule has these conditions.
fn error_for_conditions(conditions: Value) -> String {
    let service = service_with(
        json!({"version": "1.0",
               "parameters": {
                   "Region": {"type": "String", "documentation": "r"},
                   "UseFIPS": {"type": "Boolean", "required": true, "default": false, "documentation": "f"}},
               "rules": [
                   {"conditions": conditions, "endpoint": {"url": "https://x.example.com"}, "type": "endpoint"},
                   {"conditions": [], "error": "e", "type": "error"}]}),
        None,
    );
    resolver_for(&service).expect_err("invalid").to_string()
}

#[test]
fn invalid_rule_sets_are_errors_naming_the_shape_and_place() {
    let prefix = "model/example.json: shape example#Svc: smithy.rules#endpointRuleSet: rules[0].conditions[0]";
    for (conditions, at, message) in [
        (
            json!([{"fn": "frobnicate", "argv": []}]),
            "",
            "unknown function `frobnicate` (supported: isSet, not,",
        ),
        (
            json!([{"fn": "isSet", "argv": [{"ref": "Region"}, true]}]),
            "",
            "`isSet` takes 1 argument, not 2",
        ),
        (
            json!([{"fn": "stringEquals", "argv": [{"ref": "Nope"}, "x"]}]),
            ".argv[0]",
            "`Nope` is not a parameter or a variable in scope",
        ),
        (
            json!([{"fn": "isSet", "argv": [{"ref": "Nope"}]}]),
            "",
            "`Nope` is not a parameter or a variable in scope",
        ),
        (
            json!([{"fn": "stringEquals", "argv": ["{Nope}.x", "x"]}]),
            ".argv[0]",
            "`Nope` is not a parameter or a variable in scope",
        ),
        (
            json!([{"fn": "stringEquals", "argv": [{"ref": "UseFIPS"}, "x"]}]),
            "",
            "`stringEquals` compares strings, not a boolean and a string",
        ),
        (
            json!([{"fn": "aws.partition", "argv": [{"ref": "Region"}]}]),
            "",
            "argument 1 of `aws.partition` may be unset here; guard it with `isSet`",
        ),
        (
            json!([{"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": ["us-east-1"]}, "name"]}]),
            "",
            "`getAttr` on an optional value (a partition) that may be unset",
        ),
        (
            json!([{"fn": "substring", "argv": ["abc", -1, 2, false]}]),
            "",
            "argument 2 of `substring` must be a non-negative integer literal",
        ),
        (
            json!([{"fn": "aws.partition", "argv": ["x"], "assign": "Region"}]),
            "",
            "`assign` to `Region`, which is already a parameter or a variable in scope",
        ),
    ] {
        let e = error_for_conditions(conditions.clone());
        let want = format!("{prefix}{at}: {message}");
        assert!(
            e.starts_with(&want),
            "for {conditions}:\n  got  {e}\n  want {want}"
        );
    }
}

#[test]
fn invalid_attributes_and_templates() {
    let e = error_for_conditions(json!([
        {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "p"},
        {"fn": "stringEquals", "argv": ["{p#nope}", "x"]}
    ]));
    assert!(e.contains("rules[0].conditions[1].argv[0]: `nope`: a partition has no attribute `nope` (it has name, dnsSuffix,"), "{e}");
    let e = error_for_conditions(json!([
        {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "p"},
        {"fn": "stringEquals", "argv": ["{p#supportsFIPS}", "x"]}
    ]));
    assert!(
        e.contains("template placeholder `{p#supportsFIPS}` must be a string, not a boolean"),
        "{e}"
    );
    let e = error_for_conditions(json!([{"fn": "stringEquals", "argv": ["{Region", "x"]}]));
    assert!(
        e.contains("rules[0].conditions[0].argv[0]: unclosed `{` in template `{Region`"),
        "{e}"
    );
}

#[test]
fn missing_types_are_errors() {
    let service = service_with(
        json!({"parameters": {"Region": {"documentation": "r"}}, "rules": []}),
        None,
    );
    assert_eq!(
        resolver_for(&service).unwrap_err().to_string(),
        "model/example.json: shape example#Svc: smithy.rules#endpointRuleSet: parameters.Region: missing `type`"
    );
    let service = service_with(
        json!({"parameters": {}, "rules": [{"conditions": [], "rules": [{"conditions": [], "error": "x"}], "type": "tree"}]}),
        None,
    );
    assert_eq!(
        resolver_for(&service).unwrap_err().to_string(),
        "model/example.json: shape example#Svc: smithy.rules#endpointRuleSet: rules[0].rules[0]: missing `type`"
    );
}

#[test]
fn parameter_name_collisions_are_errors() {
    let service = service_with(
        json!({"parameters": {"FooBar": {"type": "String"}, "Foo_Bar": {"type": "String"}}, "rules": []}),
        None,
    );
    let e = resolver_for(&service).unwrap_err().to_string();
    assert!(
        e.contains("parameters `FooBar` and `Foo_Bar` would both be named `foo_bar`"),
        "{e}"
    );
}

#[test]
fn builder_method_collisions_are_errors() {
    let service = service_with(
        json!({"parameters": {"Region": {"type": "String"}, "SetRegion": {"type": "String"}}, "rules": []}),
        None,
    );
    let e = resolver_for(&service).unwrap_err().to_string();
    assert!(
        e.contains("parameters `Region` and `SetRegion` would clash"),
        "{e}"
    );
}

#[test]
fn invalid_test_cases_are_errors() {
    let rules = json!({"parameters": {"Region": {"type": "String"}}, "rules": [{"conditions": [], "error": "x", "type": "error"}]});
    let e = tests_for(
        &service_with(
            rules.clone(),
            Some(json!({"testCases": [{"params": {"Nope": "x"}, "expect": {"error": "x"}}]})),
        ),
        "c",
    )
    .unwrap_err()
    .to_string();
    assert!(e.ends_with("smithy.rules#endpointTests: testCases[0]: the test sets `Nope`, which is not a parameter of the rule set"), "{e}");
    let e = tests_for(
        &service_with(
            rules.clone(),
            Some(json!({"testCases": [{"params": {"Region": true}, "expect": {"error": "x"}}]})),
        ),
        "c",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.ends_with("`Region` is a String parameter; the test gives `true`"),
        "{e}"
    );
    let e = tests_for(
        &service_with(rules, Some(json!({"testCases": [{"expect": {}}]}))),
        "c",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.ends_with(
            "testCases[0].expect: `expect` needs exactly one of `error` (a string) or `endpoint`"
        ),
        "{e}"
    );
}

#[test]
fn test_names_are_unique() {
    let service = kitchen_sink();
    let tests = render(tests_for(&service, "k").unwrap().unwrap());
    let names: Vec<&str> = tests
        .lines()
        .filter_map(|l| l.trim().strip_prefix("fn "))
        .collect();
    let unique: BTreeSet<&&str> = names.iter().collect();
    assert_eq!(names.len(), unique.len());
}
