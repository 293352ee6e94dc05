use std::path::{Path, PathBuf};

use super::*;
use crate::read::SourceText;

/// Both scopes, the closure being every shape (a local item shadows the glob import).
fn validate(model: &Model) -> Result<()> {
    super::validate(model)?;
    let closure = Closure {
        operations: Vec::new(),
        shapes: model.shapes.keys().cloned().collect(),
    };
    validate_closure(model, &closure)
}

fn model(text: &str) -> Model {
    let file = crate::parse::parse_file(&SourceText {
        path: PathBuf::from("m.json"),
        text: text.to_string(),
    })
    .unwrap();
    crate::assemble::assemble(vec![file]).unwrap()
}

/// The validation error for a model given as its `shapes` object.
fn error(shapes: &str) -> String {
    let text = format!(r#"{{"smithy": "2.0", "shapes": {shapes}}}"#);
    validate(&model(&text)).unwrap_err().to_string()
}

fn ok(shapes: &str) {
    let text = format!(r#"{{"smithy": "2.0", "shapes": {shapes}}}"#);
    validate(&model(&text)).unwrap();
}

#[test]
fn identifiers() {
    assert!(is_identifier("A"));
    assert!(is_identifier("_a1"));
    assert!(!is_identifier("_"));
    assert!(!is_identifier("1a"));
    assert!(!is_identifier("a-b"));
    assert!(!is_identifier(""));
}

#[test]
fn dangling_targets() {
    assert_eq!(
        error(r#"{"a#S": {"type": "structure", "members": {"M": {"target": "a#Y"}}}}"#),
        "m.json: shape a#S, member M: target `a#Y` does not exist"
    );
    assert_eq!(
        error(r#"{"a#Op": {"type": "operation", "input": {"target": "a#In"}}}"#),
        "m.json: shape a#Op: input `a#In` does not exist"
    );
    assert_eq!(
        error(r#"{"a#Op": {"type": "operation", "errors": [{"target": "a#E"}]}}"#),
        "m.json: shape a#Op: error `a#E` does not exist"
    );
    assert_eq!(
        error(r#"{"a#Svc": {"type": "service", "operations": [{"target": "a#Op"}]}}"#),
        "m.json: shape a#Svc: operation `a#Op` does not exist"
    );
    assert_eq!(
        error(r#"{"a#R": {"type": "resource", "read": {"target": "a#Get"}}}"#),
        "m.json: shape a#R: read operation `a#Get` does not exist"
    );
    assert_eq!(
        error(r#"{"a#R": {"type": "resource", "identifiers": {"id": {"target": "a#Id"}}}}"#),
        "m.json: shape a#R: identifier `id`: target `a#Id` does not exist"
    );
}

#[test]
fn members_fit_the_shape() {
    assert_eq!(
        error(r#"{"a#S": {"type": "string", "members": {"m": {"target": "smithy.api#String"}}}}"#),
        "m.json: shape a#S: a string shape cannot have members (found `m`)"
    );
    assert_eq!(
        error(r#"{"a#I": {"type": "integer", "member": {"target": "smithy.api#String"}}}"#),
        "m.json: shape a#I: an integer shape cannot have members (found `member`)"
    );
    assert_eq!(
        error(r#"{"a#L": {"type": "list"}}"#),
        "m.json: shape a#L: a list needs a `member`"
    );
    assert_eq!(
        error(r#"{"a#M": {"type": "map", "key": {"target": "smithy.api#String"}}}"#),
        "m.json: shape a#M: a map needs a `value`"
    );
    assert_eq!(
        error(r#"{"a#M": {"type": "map", "value": {"target": "smithy.api#String"}}}"#),
        "m.json: shape a#M: a map needs a `key`"
    );
    assert_eq!(
        error(
            r#"{"a#M": {"type": "map", "key": {"target": "smithy.api#Integer"},
                "value": {"target": "smithy.api#String"}}}"#
        ),
        "m.json: shape a#M, member key: a map key must target a string, not `smithy.api#Integer` (an integer)"
    );
    assert_eq!(
        error(
            r#"{"a#S": {"type": "structure", "members": {"a-b": {"target": "smithy.api#String"}}}}"#
        ),
        "m.json: shape a#S, member a-b: member name `a-b` is not a valid identifier"
    );
}

#[test]
fn enums() {
    ok(
        r#"{"a#E": {"type": "enum", "members": {"A": {}, "B": {"traits": {"smithy.api#enumValue": "b"}}}},
           "a#I": {"type": "intEnum", "members": {"A": {"traits": {"smithy.api#enumValue": 1}}}}}"#,
    );
    assert_eq!(
        error(r#"{"a#E": {"type": "enum", "members": {"A": {"target": "smithy.api#String"}}}}"#),
        "m.json: shape a#E, member A: enum members must target `smithy.api#Unit`, not `smithy.api#String`"
    );
    assert_eq!(
        error(
            r#"{"a#E": {"type": "enum", "members": {"A": {"traits": {"smithy.api#enumValue": "x"}},
                "B": {"traits": {"smithy.api#enumValue": "x"}}}}}"#
        ),
        "m.json: shape a#E, member B: enum value \"x\" is also the value of member `A`"
    );
    assert_eq!(
        error(r#"{"a#E": {"type": "enum", "members": {"1A": {}}}}"#),
        "m.json: shape a#E, member 1A: member name `1A` is not a valid identifier"
    );
    assert_eq!(
        error(
            r#"{"a#E": {"type": "enum", "members": {"A": {"traits": {"smithy.api#enumValue": 1}}}}}"#
        ),
        "m.json: shape a#E, member A: enum value must be a string"
    );
    assert_eq!(
        error(
            r#"{"a#I": {"type": "intEnum", "members": {"A": {"traits": {"smithy.api#enumValue": "one"}}}}}"#
        ),
        "m.json: shape a#I, member A: intEnum member needs an integer @enumValue"
    );
    assert_eq!(
        error(r#"{"a#I": {"type": "intEnum", "members": {"A": {}}}}"#),
        "m.json: shape a#I, member A: intEnum member needs an integer @enumValue"
    );
    assert_eq!(
        error(r#"{"a#E": {"type": "enum", "members": {}}}"#),
        "m.json: shape a#E: an enum needs at least one member"
    );
}

#[test]
fn constraint_traits() {
    // A pattern no engine takes is a warning at generation (`validate::patterns`), not a
    // model error: AWS ships a few.
    ok(r#"{"a#S": {"type": "string", "traits": {"smithy.api#pattern": "(abc"}}}"#);
    assert_eq!(
        error(
            r#"{"a#S": {"type": "string", "traits": {"smithy.api#length": {"min": 5, "max": 2}}}}"#
        ),
        "m.json: shape a#S: @length min 5 is greater than max 2"
    );
    assert_eq!(
        error(
            r#"{"a#S": {"type": "integer", "traits": {"smithy.api#range": {"min": 5, "max": 2.5}}}}"#
        ),
        "m.json: shape a#S: @range min 5 is greater than max 2.5"
    );
    assert_eq!(
        error(r#"{"a#S": {"type": "string", "traits": {"smithy.api#range": {"min": 1}}}}"#),
        "m.json: shape a#S: @range is only allowed on numbers (this is a string)"
    );
    assert_eq!(
        error(
            r#"{"a#S": {"type": "structure", "members": {"m": {"target": "smithy.api#Integer",
                "traits": {"smithy.api#length": {"min": 1}}}}}}"#
        ),
        "m.json: shape a#S, member m: @length is only allowed on strings, blobs, lists and maps (the member targets an integer)"
    );
    ok(r#"{"a#S": {"type": "structure", "members": {
            "m": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": 1, "max": 1}}},
            "n": {"target": "a#L", "traits": {"smithy.api#length": {"max": 3}}},
            "o": {"target": "smithy.api#String", "traits": {"smithy.api#pattern": "^[a-z]+$"}}}},
           "a#L": {"type": "list", "member": {"target": "smithy.api#String"}}}"#);
}

#[test]
fn error_trait_and_binding_conflicts() {
    assert_eq!(
        error(r#"{"a#S": {"type": "string", "traits": {"smithy.api#error": "client"}}}"#),
        "m.json: shape a#S: @error is only allowed on structures (this is a string)"
    );
    assert_eq!(
        error(
            r#"{"a#S": {"type": "structure", "members": {"m": {"target": "smithy.api#String",
                "traits": {"smithy.api#httpHeader": "X", "smithy.api#httpQuery": "x"}}}}}"#
        ),
        "m.json: shape a#S, member m: conflicting traits @httpQuery and @httpHeader"
    );
}

const HTTP: &str = r#"{
    "a#Svc": {"type": "service", "operations": [{"target": "a#Get"}]},
    "a#Get": {"type": "operation", "input": {"target": "a#GetInput"}, "output": {"target": "a#GetOutput"},
        "errors": [{"target": "a#NotFound"}],
        "traits": {"smithy.api#http": {"method": "GET", "uri": "/things/{Id}"}}},
    "a#GetInput": {"type": "structure", "members": {
        "Id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}}}},
    "a#GetOutput": {"type": "structure"},
    "a#NotFound": {"type": "structure", "traits": {"smithy.api#error": "client"}}
}"#;

#[test]
fn http_labels_and_operation_kinds() {
    ok(HTTP);
    assert_eq!(
        error(&HTTP.replace("/things/{Id}", "/things/{Id}/{Other}")),
        "m.json: shape a#Get: @http URI `/things/{Id}/{Other}` has label `{Other}`, but input `a#GetInput` has no @httpLabel member `Other`"
    );
    assert_eq!(
        error(&HTTP.replace("/things/{Id}", "/things")),
        "m.json: shape a#GetInput, member Id: @httpLabel member is not a label in the @http URI `/things` of `a#Get`"
    );
    assert_eq!(
        error(&HTTP.replace(", \"smithy.api#required\": {}", "")),
        "m.json: shape a#GetInput, member Id: @httpLabel member must be @required"
    );
    assert_eq!(
        error(&HTTP.replace("/things/{Id}", "/things/{Id")),
        "m.json: shape a#Get: @http URI `/things/{Id` has a malformed label segment `{Id`"
    );
    assert_eq!(
        error(&HTTP.replace(
            r#""a#GetOutput": {"type": "structure"}"#,
            r#""a#GetOutput": {"type": "string"}"#
        )),
        "m.json: shape a#Get: output `a#GetOutput` must be a structure, not a string"
    );
    assert_eq!(
        error(&HTTP.replace(r#""operations": [{"target": "a#Get"}]"#, r#""operations": [{"target": "a#GetOutput"}]"#)),
        "m.json: shape a#Svc: `operations` lists `a#GetOutput`, which is a structure, not an operation"
    );
    assert_eq!(
        error(&HTTP.replace(r#", "traits": {"smithy.api#error": "client"}"#, "")),
        "m.json: shape a#Get: error `a#NotFound` must be a structure with @error"
    );
}

#[test]
fn snake_case_collisions() {
    assert_eq!(
        error(
            r#"{"a#S": {"type": "structure", "members": {"FooBar": {"target": "smithy.api#String"},
                "foo_bar": {"target": "smithy.api#String"}}}}"#
        ),
        "m.json: shape a#S, member foo_bar: members `FooBar` and `foo_bar` have the same snake_case name `foo_bar`"
    );
}

#[test]
fn infinitely_sized_structures() {
    let req = r#"{"smithy.api#required": {}}"#;
    let cyclic = format!(
        r#"{{"a#A": {{"type": "structure", "members": {{"b": {{"target": "a#B", "traits": {req}}}}}}},
            "a#B": {{"type": "structure", "members": {{"x": {{"target": "smithy.api#String"}},
                "a": {{"target": "a#A", "traits": {req}}}}}}}}}"#
    );
    assert_eq!(
        error(&cyclic),
        "m.json: shape a#A, member b: the structure contains itself through required members (a#A$b → a#B$a → a#A), so it would be infinitely large"
    );
    let itself = format!(
        r#"{{"a#A": {{"type": "structure", "members": {{"me": {{"target": "a#A", "traits": {req}}}}}}}}}"#
    );
    assert_eq!(
        error(&itself),
        "m.json: shape a#A, member me: the structure contains itself through required members (a#A$me → a#A), so it would be infinitely large"
    );
    // Optional links, clientOptional, or a list in between make it finite.
    ok(&cyclic.replacen(req, "{}", 1));
    ok(&cyclic.replacen(
        req,
        r#"{"smithy.api#required": {}, "smithy.api#clientOptional": {}}"#,
        1,
    ));
    ok(
        r#"{"a#A": {"type": "structure", "members": {"l": {"target": "a#L", "traits": {"smithy.api#required": {}}}}},
           "a#L": {"type": "list", "member": {"target": "a#A"}}}"#,
    );
}

#[test]
fn what_only_generated_code_needs_is_checked_in_the_closure() {
    let text = r#"{"smithy": "2.0", "shapes": {
        "a#Good": {"type": "structure", "members": {"N": {"target": "smithy.api#String"}}},
        "a#Names": {"type": "structure", "members": {
            "fooBar": {"target": "smithy.api#String"},
            "foo_bar": {"target": "smithy.api#String"}}},
        "a#Keys": {"type": "map", "key": {"target": "smithy.api#Integer"},
            "value": {"target": "smithy.api#String"}},
        "a#E": {"type": "enum", "members": {
            "A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "x"}},
            "B": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "x"}}}},
        "a#Node": {"type": "structure", "members": {
            "Next": {"target": "a#Node", "traits": {"smithy.api#required": {}}}}},
        "a#Op": {"type": "operation", "traits": {"smithy.api#http":
            {"method": "GET", "uri": "/{Id}", "code": 200}}}
    }}"#;
    let model = model(text);
    super::validate(&model).unwrap();
    let closure = |names: &[&str]| Closure {
        operations: Vec::new(),
        shapes: names.iter().map(|n| ShapeId::new("a", *n)).collect(),
    };
    validate_closure(&model, &closure(&["Good"])).unwrap();
    let failure = |name: &str| {
        validate_closure(&model, &closure(&["Good", name]))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        failure("Names"),
        "m.json: shape a#Names, member foo_bar: members `fooBar` and `foo_bar` have the same \
         snake_case name `foo_bar`"
    );
    assert!(failure("Keys").contains("a map key must target a string"));
    assert!(failure("E").contains("enum value \"x\" is also the value of member `A`"));
    assert!(failure("Node").contains("contains itself through required members"));
    assert!(failure("Op").contains("has label `{Id}`, but the operation has no input"));
}

#[test]
fn whole_model_checks_ignore_the_closure() {
    // An undefined trait, a dangling target: errors with any selection.
    let undefined = r#"{"smithy": "2.0", "shapes": {
        "a#Elsewhere": {"type": "string", "traits": {"a#nope": {}}}}}"#;
    assert_eq!(
        super::validate(&model(undefined)).unwrap_err().to_string(),
        "m.json: shape a#Elsewhere: trait `a#nope` is not defined"
    );
}

#[test]
fn first_error_wins_in_shape_order() {
    let shapes = r#"{"b#S": {"type": "structure", "members": {"M": {"target": "a#Y"}}},
        "a#S": {"type": "structure", "members": {"M": {"target": "a#Z"}}}}"#;
    assert_eq!(
        error(shapes),
        "m.json: shape a#S, member M: target `a#Z` does not exist"
    );
}

fn check_file(path: &Path) {
    let sources = crate::read::read_files(&[path.to_path_buf()]).unwrap();
    let files = sources
        .iter()
        .map(crate::parse::parse_file)
        .collect::<Result<Vec<_>>>()
        .unwrap();
    let model = crate::assemble::assemble(files).unwrap();
    validate(&model).unwrap();
    let index = Index::new(&model);
    let service = index.service().unwrap();
    assert!(!index.service_operations(service).unwrap().is_empty());
}

#[test]
fn official_apigatewayv2_model_assembles_and_validates() {
    // `../shared` beside the checkout is not part of the repository: the one input that may
    // be absent.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/model/apigatewayv2-2018-11-29.json");
    if !path.exists() {
        eprintln!(
            "skipped: {} is absent (../shared is not part of the repository)",
            path.display()
        );
        return;
    }
    check_file(&path);
}

#[test]
fn project_model_assembles_and_validates() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/apigatewayv2.json");
    assert!(path.exists(), "{} is missing", path.display());
    check_file(&path);
}

#[test]
fn traits_must_be_defined() {
    assert_eq!(
        error(r#"{"a#S": {"type": "string", "traits": {"a#notATrait": {}}}}"#),
        "m.json: shape a#S: trait `a#notATrait` is not defined"
    );
    assert_eq!(
        error(r#"{"a#S": {"type": "string", "traits": {"requird": {}}}}"#),
        "m.json: shape a#S: trait `smithy.api#requird` is not defined"
    );
    ok(
        r#"{"a#S": {"type": "string", "traits": {"a#myTrait": {}, "aws.api#arn": {"template": "x"},
            "smithy.rules#contextParam": {"name": "x"}, "smithy.api#tags": ["t"]}},
           "a#myTrait": {"type": "structure", "traits": {"smithy.api#trait": {}}}}"#,
    );
}

#[test]
fn idempotency_token_targets_strings() {
    assert_eq!(
        error(
            r#"{"a#S": {"type": "structure", "members": {"t": {"target": "smithy.api#Integer",
                "traits": {"smithy.api#idempotencyToken": {}}}}}}"#
        ),
        "m.json: shape a#S, member t: @idempotencyToken is only allowed on members that target strings (the member targets an integer)"
    );
    ok(
        r#"{"a#S": {"type": "structure", "members": {"t": {"target": "smithy.api#String",
            "traits": {"smithy.api#idempotencyToken": {}}}}}}"#,
    );
}

#[test]
fn payload_is_the_whole_body() {
    let payload = HTTP.replace(
        r#""a#GetOutput": {"type": "structure"}"#,
        r#""a#GetOutput": {"type": "structure", "members": {
            "Body": {"target": "smithy.api#Blob", "traits": {"smithy.api#httpPayload": {}}},
            "Etag": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "ETag"}}}}"#,
    );
    ok(&payload);
    assert_eq!(
        error(&payload.replace(r#", "traits": {"smithy.api#httpHeader": "ETag"}"#, "")),
        "m.json: shape a#GetOutput, member Etag: member would go in the body, but `Body` is the @httpPayload (bind it with @httpHeader or @httpResponseCode)"
    );
}

#[test]
fn member_names_differ_in_more_than_case() {
    assert_eq!(
        error(r#"{"a#E": {"type": "enum", "members": {"Red": {}, "RED": {}}}}"#),
        "m.json: shape a#E, member RED: members `Red` and `RED` differ only in case"
    );
}

/// Every model under `tests/models/` (not the `bad/` corpus) assembles and validates, in
/// both scopes; `broken-outside-closure.json` (broken operations for
/// `tests/tests/bad_models.rs`) passes the whole-model checks and fails the closure's.
#[test]
fn test_models_assemble_and_validate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/models");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no models in {}", dir.display());
    for path in paths {
        let result = crate::read::read_files(std::slice::from_ref(&path)).and_then(|sources| {
            let files = sources
                .iter()
                .map(crate::parse::parse_file)
                .collect::<Result<Vec<_>>>()?;
            let model = crate::assemble::assemble(files)?;
            if path.ends_with("broken-outside-closure.json") {
                super::validate(&model)?;
                assert!(validate(&model).is_err(), "its broken operations fail");
                return Ok(());
            }
            validate(&model)
        });
        if let Err(e) = result {
            panic!("{}: {e}", path.display());
        }
    }
}

/// Every node of a test model, replaced in turn by a value of every other JSON kind, must give
/// an error or a model, never a panic.
#[test]
fn mangled_models_never_panic() {
    use serde_json::{json, Value};

    fn paths(value: &Value, at: Vec<String>, depth: usize, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        // Inside a trait value only the first level matters to these stages.
        let in_trait = at
            .iter()
            .position(|k| k == "traits")
            .is_some_and(|i| at.len() > i + 2);
        if depth == 0 || in_trait {
            return;
        }
        let children: Vec<(String, &Value)> = match value {
            Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        };
        for (key, child) in children {
            let mut next = at.clone();
            next.push(key);
            paths(child, next, depth - 1, out);
        }
    }

    fn node<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
        let mut current = value;
        for key in path {
            current = match current {
                Value::Object(m) => m.get_mut(key)?,
                Value::Array(a) => a.get_mut(key.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    for name in ["smithy1.json", "shapes.json"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/models")
            .join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let original: Value = serde_json::from_str(&text).unwrap();
        let mut all = Vec::new();
        paths(&original, Vec::new(), 6, &mut all);
        let replacements = [json!(null), json!(-1.5), json!("x#Y"), json!({})];
        // Two of the four kinds per node, rotating, to keep the test quick.
        for (i, p) in all.iter().enumerate() {
            for replacement in [&replacements[i % 4], &replacements[(i + 2) % 4]] {
                let mut mangled = original.clone();
                if let Some(slot) = node(&mut mangled, p) {
                    *slot = replacement.clone();
                }
                let source = SourceText {
                    path: PathBuf::from(name),
                    text: mangled.to_string(),
                };
                let _ = crate::parse::parse_file(&source)
                    .and_then(|f| crate::assemble::assemble(vec![f]))
                    .and_then(|m| validate(&m));
            }
        }
    }
}
