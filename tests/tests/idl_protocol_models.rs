//! The IDL front end against Smithy's own models: the restJson1 protocol-test IDL in
//! `../shared/smithy-protocol-tests` (restJson1/, traits/, shared-types.smithy,
//! aws-config.smithy) is parsed with `codegen::idl`, and every shape that is also in the
//! JSON AST copy (`json/smithy-aws-protocol-tests.json`, converted by Smithy itself) must be
//! the same: type, mixins, members, targets, operation/service/resource properties, and every
//! trait with its JSON value.
//!
//! The JSON copy is older than the IDL (see `json/README.md`): the only differences allowed are
//! the test cases it names as newer or removed (`NEWER_CASES`, `REMOVED_CASES`), the
//! event-stream tests, and the shapes and service entries that exist only for those.
//! Any other difference fails the test.
//!
//! `../shared` is optional input: without it, the test prints one line and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use codegen::model::ShapeId;
use codegen::parse::{ModelFile, RawMember, RawShape, RawTraits};
use serde_json::Value;

/// Test cases in the IDL that the JSON copy lacks (`json/README.md`).
const NEWER_CASES: &[&str] = &[
    "HttpQueryParamsOnlyRequest",
    "HttpQueryParamsOnlyEmptyRequest",
    "RestJsonSerializeNestedUnionValue",
    "RestJsonDeserializeNestedUnionValue",
    "RestJsonFooErrorUsingXAmznErrorTypeWithUriAndDifferentNamespace",
    "RestJsonFooErrorWithNestedTypeProperty",
];

/// Test cases the JSON copy keeps that Smithy has since removed (`json/README.md`).
const REMOVED_CASES: &[&str] = &[
    "RestJsonDeserializesDenseSetMapAndSkipsNull",
    "RestJsonIgnoreQueryParamsInResponseNoPayload",
];

/// The differences allowed beyond the case ids above: (the difference, as reported, starts
/// with this; why). Every entry must still occur, so the list cannot go stale.
const ALLOWED: &[(&str, &str)] = &[
    // Named by json/README.md: shapes and service entries that exist for the newer cases and
    // the event-stream tests.
    (
        "aws.protocoltests.restjson#RestJson: service operations has aws.protocoltests.restjson#HttpQueryParamsOnlyOperation only in the IDL",
        "newer cases HttpQueryParamsOnlyRequest, HttpQueryParamsOnlyEmptyRequest",
    ),
    (
        "aws.protocoltests.restjson#MyUnion: members differ: idl [\"stringValue\", \"booleanValue\", \"numberValue\", \"blobValue\", \"timestampValue\", \"enumValue\", \"listValue\", \"mapValue\", \"structureValue\", \"renamedStructureValue\", \"unionValue\"]",
        "newer cases RestJsonSerializeNestedUnionValue, RestJsonDeserializeNestedUnionValue (member unionValue)",
    ),
    ("aws.protocoltests.restjson#RestJson: service operations has aws.protocoltests.restjson#InputStream only in the IDL", "event-stream tests"),
    ("aws.protocoltests.restjson#RestJson: service operations has aws.protocoltests.restjson#InputStreamWithInitialRequest only in the IDL", "event-stream tests"),
    ("aws.protocoltests.restjson#RestJson: service operations has aws.protocoltests.restjson#OutputStream only in the IDL", "event-stream tests"),
    ("aws.protocoltests.restjson#RestJson: service operations has aws.protocoltests.restjson#OutputStreamWithInitialResponse only in the IDL", "event-stream tests"),
    ("aws.protocoltests.restjson#RestJson: service operations has aws.protocoltests.restjson#DuplexStream only in the IDL", "event-stream tests"),
    ("aws.protocoltests.restjson#RestJson: service operations has aws.protocoltests.restjson#DuplexStreamWithInitialMessages only in the IDL", "event-stream tests"),
    ("aws.protocoltests.restjson#RestJson: service operations has aws.protocoltests.restjson#DuplexStreamWithDistinctStreams only in the IDL", "event-stream tests"),
    // Not listed one by one in json/README.md, which says only that the JSON matches Smithy
    // about 1.61 and the IDL is 1.73: the upstream changes between the two, each checked
    // against the IDL text by hand.
    (
        "aws.protocoltests.restjson#IgnoreQueryParamsInResponse: trait smithy.test#httpResponseTests differs:\n    idl:  [0] body: \"{\\\"baz\\\":\\\"bam\\\"}\"",
        "RestJsonIgnoreQueryParamsInResponse was rewritten when its sibling RestJsonIgnoreQueryParamsInResponseNoPayload (removed, README) went",
    ),
    (
        "aws.protocoltests.restjson#RestJson: trait smithy.api#documentation only in the JSON",
        "newer Smithy dropped the service's documentation",
    ),
    ("aws.api#service: members differ", "newer Smithy: aws.api#service gained cloudWatchNamespace"),
    ("aws.api#tagEnabled: members differ", "newer Smithy: aws.api#tagEnabled gained apiConfig"),
    ("aws.protocols#ChecksumAlgorithm: members differ", "newer Smithy: more checksum algorithms"),
    (
        "aws.protocols#awsQueryCompatible: trait smithy.api#trait differs",
        "newer Smithy: the selector also allows rpcv2Json",
    ),
    (
        "aws.protocols#restJson1: trait smithy.api#protocolDefinition differs:\n    idl:  traits: only here [\"aws.protocols#httpChecksum\"]",
        "newer Smithy: restJson1 lists httpChecksum",
    ),
    (
        "aws.protocols#restXml: trait smithy.api#protocolDefinition differs:\n    idl:  traits: only here [\"aws.protocols#httpChecksum\"]",
        "newer Smithy: restXml lists httpChecksum",
    ),
    (
        "smithy.test#HttpRequestTestCase: mixins differ (members compared flattened)",
        "newer Smithy moved the request fields into the HttpRequestMixin mixin",
    ),
    (
        "smithy.test#HttpResponseTestCase: mixins differ (members compared flattened)",
        "newer Smithy moved the response fields into the HttpResponseMixin mixin",
    ),
    (
        "smithy.test#HttpResponseTestCase$body: trait smithy.api#documentation differs",
        "newer Smithy: the response fields share the HttpMessageMixin documentation",
    ),
    (
        "smithy.test#HttpResponseTestCase$bodyMediaType: trait smithy.api#documentation differs",
        "newer Smithy: the response fields share the HttpMessageMixin documentation",
    ),
    (
        "smithy.test#HttpResponseTestCase$forbidHeaders: trait smithy.api#documentation differs",
        "newer Smithy: the response fields share the HttpMessageMixin documentation",
    ),
    (
        "smithy.test#HttpResponseTestCase$headers: trait smithy.api#documentation differs",
        "newer Smithy: the response fields share the HttpMessageMixin documentation",
    ),
    (
        "smithy.test#HttpResponseTestCase$requireHeaders: trait smithy.api#documentation differs",
        "newer Smithy: the response fields share the HttpMessageMixin documentation",
    ),
];

/// The traits that hold test cases (lists of objects with an `id`).
const CASE_TRAITS: &[&str] = &[
    "smithy.test#httpRequestTests",
    "smithy.test#httpResponseTests",
    "smithy.test#httpMalformedRequestTests",
];

fn shared_dir() -> PathBuf {
    tests::workspace_root().join("../shared/smithy-protocol-tests")
}

/// The IDL that belongs together (README.md): restJson1/, the trait definitions, the
/// shared types and the AWS config types.
fn idl_inputs(root: &std::path::Path) -> Vec<PathBuf> {
    vec![
        root.join("restJson1"),
        root.join("traits"),
        root.join("shared-types.smithy"),
        root.join("aws-config.smithy"),
    ]
}

/// The IDL files' shapes by id, with their `apply` statements folded in (list traits
/// concatenated), as the JSON copy has them.
fn idl_shapes(files: &[ModelFile]) -> BTreeMap<String, RawShape> {
    let mut shapes = BTreeMap::new();
    for file in files {
        for shape in &file.shapes {
            let previous = shapes.insert(shape.id.to_string(), shape.clone());
            assert!(
                previous.is_none(),
                "{} is defined twice in the IDL",
                shape.id
            );
        }
    }
    for file in files {
        for apply in &file.applies {
            let shape = shapes
                .get_mut(&apply.shape.to_string())
                .unwrap_or_else(|| panic!("apply to a missing shape {}", apply.target_text()));
            let traits = match &apply.member {
                None => &mut shape.traits,
                Some(name) => {
                    &mut shape
                        .members
                        .iter_mut()
                        .find(|m| &m.name == name)
                        .unwrap_or_else(|| {
                            panic!("apply to a missing member {}", apply.target_text())
                        })
                        .traits
                }
            };
            for (id, value) in &apply.traits {
                match (traits.get_mut(id), value) {
                    (Some(Value::Array(items)), Value::Array(more)) => items.extend(more.clone()),
                    (Some(existing), _) => {
                        assert_eq!(
                            existing,
                            value,
                            "conflicting apply of {id} to {}",
                            apply.target_text()
                        )
                    }
                    (None, _) => {
                        traits.insert(id.clone(), value.clone());
                    }
                }
            }
        }
    }
    shapes
}

/// Trait ids as absolute ids (a JSON AST may write prelude traits relative).
fn absolute(traits: &RawTraits) -> BTreeMap<String, Value> {
    traits
        .iter()
        .map(|(k, v)| {
            let key = if k.contains('#') {
                k.clone()
            } else {
                format!("smithy.api#{k}")
            };
            (key, v.clone())
        })
        .collect()
}

/// A case trait's value without the allowed cases, and the allowed case ids it had.
fn without_allowed_cases(value: &Value) -> (Value, BTreeSet<String>) {
    let Value::Array(items) = value else {
        return (value.clone(), BTreeSet::new());
    };
    let mut dropped = BTreeSet::new();
    let kept = items
        .iter()
        .filter(|item| {
            let id = item.get("id").and_then(Value::as_str).unwrap_or("");
            let allowed = NEWER_CASES.contains(&id) || REMOVED_CASES.contains(&id);
            if allowed {
                dropped.insert(id.to_string());
            }
            !allowed
        })
        .cloned()
        .collect();
    (Value::Array(kept), dropped)
}

/// Every test case id in the case traits of these shapes.
fn case_ids<'a>(shapes: impl Iterator<Item = &'a RawShape>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for shape in shapes {
        for (key, value) in absolute(&shape.traits) {
            if !CASE_TRAITS.contains(&key.as_str()) {
                continue;
            }
            for case in value.as_array().into_iter().flatten() {
                if let Some(id) = case.get("id").and_then(Value::as_str) {
                    out.insert(id.to_string());
                }
            }
        }
    }
    out
}

/// Differences between two trait maps at `at`; allowed case ids seen go to `allowed`.
fn compare_traits(
    at: &str,
    idl: &RawTraits,
    json: &RawTraits,
    allowed: &mut BTreeSet<String>,
    out: &mut Vec<String>,
) {
    let idl = absolute(idl);
    let json = absolute(json);
    let keys: BTreeSet<&String> = idl.keys().chain(json.keys()).collect();
    for key in keys {
        match (idl.get(key), json.get(key)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) if CASE_TRAITS.contains(&key.as_str()) => {
                let (a2, da) = without_allowed_cases(a);
                let (b2, db) = without_allowed_cases(b);
                if a2 == b2 {
                    allowed.extend(da);
                    allowed.extend(db);
                } else {
                    out.push(format!(
                        "{at}: trait {key} differs:\n    idl:  {}\n    json: {}",
                        first_difference(&a2, &b2).0,
                        first_difference(&a2, &b2).1
                    ));
                }
            }
            (Some(a), Some(b)) => out.push(format!(
                "{at}: trait {key} differs:\n    idl:  {}\n    json: {}",
                first_difference(a, b).0,
                first_difference(a, b).1
            )),
            (Some(_), None) => out.push(format!("{at}: trait {key} only in the IDL")),
            (None, Some(_)) => out.push(format!("{at}: trait {key} only in the JSON")),
            (None, None) => {}
        }
    }
}

/// The innermost differing parts of two values, for a readable message.
fn first_difference(a: &Value, b: &Value) -> (String, String) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if w == v => {}
                    Some(w) => {
                        let (p, q) = first_difference(v, w);
                        return (format!("{k}: {p}"), format!("{k}: {q}"));
                    }
                    None => return (format!("{k}: {v}"), format!("{k}: <absent>")),
                }
            }
            for (k, w) in y {
                if !x.contains_key(k) {
                    return (format!("{k}: <absent>"), format!("{k}: {w}"));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    let (p, q) = first_difference(v, w);
                    return (format!("[{i}] {p}"), format!("[{i}] {q}"));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            let only = |p: &[Value], q: &[Value]| {
                Value::Array(p.iter().filter(|v| !q.contains(v)).cloned().collect())
            };
            return (
                format!("only here {}", only(x, y)),
                format!("only here {}", only(y, x)),
            );
        }
        _ => {}
    }
    let short = |v: &Value| {
        let s = v.to_string();
        if s.chars().count() > 300 {
            format!("{}…", s.chars().take(300).collect::<String>())
        } else {
            s
        }
    };
    (short(a), short(b))
}

fn compare_members(
    at: &str,
    idl: &[RawMember],
    json: &[RawMember],
    allowed: &mut BTreeSet<String>,
    out: &mut Vec<String>,
) {
    let names = |ms: &[RawMember]| ms.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
    if names(idl) != names(json) {
        out.push(format!(
            "{at}: members differ: idl {:?}, json {:?}",
            names(idl),
            names(json)
        ));
        return;
    }
    for (a, b) in idl.iter().zip(json) {
        let here = format!("{at}${}", a.name);
        if a.target != b.target {
            out.push(format!(
                "{here}: target idl {}, json {}",
                a.target, b.target
            ));
        }
        compare_traits(&here, &a.traits, &b.traits, allowed, out);
    }
}

/// A shape's members with its mixins' members (recursively), by name.
fn flattened(shape: &RawShape, all: &BTreeMap<String, RawShape>, depth: usize) -> Vec<RawMember> {
    let mut out: BTreeMap<String, RawMember> = BTreeMap::new();
    if depth < 16 {
        for mixin in &shape.mixins {
            if let Some(m) = all.get(&mixin.to_string()) {
                for member in flattened(m, all, depth + 1) {
                    out.insert(member.name.clone(), member);
                }
            }
        }
    }
    for member in &shape.members {
        let entry = out
            .entry(member.name.clone())
            .or_insert_with(|| member.clone());
        entry.target = member.target.clone();
        for (k, v) in &member.traits {
            entry.traits.insert(k.clone(), v.clone());
        }
    }
    out.into_values().collect()
}

struct Sides<'a> {
    idl: &'a BTreeMap<String, RawShape>,
    json: &'a BTreeMap<String, RawShape>,
}

fn compare_shape(
    idl: &RawShape,
    json: &RawShape,
    sides: &Sides<'_>,
    allowed: &mut BTreeSet<String>,
    out: &mut Vec<String>,
) {
    let at = idl.id.to_string();
    if idl.ty != json.ty {
        out.push(format!("{at}: type idl {:?}, json {:?}", idl.ty, json.ty));
        return;
    }
    if idl.mixins == json.mixins {
        compare_members(&at, &idl.members, &json.members, allowed, out);
    } else {
        // The same members arranged differently (mixins vs written out): compare the
        // flattened members, and report the rearrangement itself.
        out.push(format!(
            "{at}: mixins differ (members compared flattened): idl {:?}, json {:?}",
            idl.mixins, json.mixins
        ));
        let a = flattened(idl, sides.idl, 0);
        let b = flattened(json, sides.json, 0);
        compare_members(&at, &a, &b, allowed, out);
    }
    compare_traits(&at, &idl.traits, &json.traits, allowed, out);
    // Operation errors are compared as a set: the JSON copy lists them sorted.
    let sorted_errors = |op: &Option<codegen::model::OperationInfo>| {
        op.clone().map(|mut op| {
            op.errors.sort();
            op
        })
    };
    if sorted_errors(&idl.operation) != sorted_errors(&json.operation) {
        out.push(format!(
            "{at}: operation idl {:?}, json {:?}",
            idl.operation, json.operation
        ));
    }
    if idl.resource != json.resource {
        out.push(format!(
            "{at}: resource idl {:?}, json {:?}",
            idl.resource, json.resource
        ));
    }
    match (&idl.service, &json.service) {
        (Some(a), Some(b)) => {
            let set = |ids: &[ShapeId]| ids.iter().map(ShapeId::to_string).collect::<BTreeSet<_>>();
            for (what, x, y) in [
                ("operations", &a.operations, &b.operations),
                ("resources", &a.resources, &b.resources),
                ("errors", &a.errors, &b.errors),
            ] {
                let (x, y) = (set(x), set(y));
                for only in x.difference(&y) {
                    out.push(format!("{at}: service {what} has {only} only in the IDL"));
                }
                for only in y.difference(&x) {
                    out.push(format!("{at}: service {what} has {only} only in the JSON"));
                }
            }
            if a.version != b.version || a.rename != b.rename {
                out.push(format!(
                    "{at}: service version or rename differ: idl {a:?}, json {b:?}"
                ));
            }
        }
        (None, None) => {}
        _ => out.push(format!("{at}: service properties on one side only")),
    }
}

#[test]
fn the_protocol_test_idl_matches_its_json_ast() {
    let root = shared_dir();
    if !root.exists() {
        println!("skipped: {} does not exist", root.display());
        return;
    }
    let sources = codegen::read::read_files(&idl_inputs(&root)).expect("the IDL files read");
    let idl_files = codegen::idl::parse_sources(&sources).expect("the IDL parses");
    let json_source = codegen::read::read_file(&root.join("json/smithy-aws-protocol-tests.json"))
        .expect("the JSON copy reads");
    let json_file = codegen::parse::parse_file(&json_source).expect("the JSON copy parses");
    let json: BTreeMap<String, RawShape> = json_file
        .shapes
        .iter()
        .map(|s| (s.id.to_string(), s.clone()))
        .collect();
    let idl = idl_shapes(&idl_files);
    let sides = Sides {
        idl: &idl,
        json: &json,
    };

    let mut differences = Vec::new();
    let mut allowed = BTreeSet::new();
    let mut equal = 0;
    let mut only_idl = Vec::new();
    for (id, shape) in &idl {
        let Some(other) = json.get(id) else {
            only_idl.push(id.clone());
            continue;
        };
        let before = differences.len();
        compare_shape(shape, other, &sides, &mut allowed, &mut differences);
        if differences.len() == before {
            equal += 1;
        }
    }
    // Set aside the allowed differences; every allowance must have been needed.
    let mut used = BTreeSet::new();
    let mut allowed_differences = Vec::new();
    differences.retain(
        |d| match ALLOWED.iter().position(|(prefix, _)| d.starts_with(prefix)) {
            Some(i) => {
                used.insert(i);
                allowed_differences.push(d.clone());
                false
            }
            None => true,
        },
    );
    let stale: Vec<&str> = ALLOWED
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, (prefix, _))| *prefix)
        .collect();
    // The README's claims themselves: newer cases only in the IDL, removed ones only in the
    // JSON copy.
    let idl_cases = case_ids(idl.values());
    let json_cases = case_ids(json.values());
    let mut unseen = Vec::new();
    for case in NEWER_CASES {
        if !idl_cases.contains(*case) || json_cases.contains(*case) {
            unseen.push(format!("{case} (newer: should be in the IDL only)"));
        }
    }
    for case in REMOVED_CASES {
        if idl_cases.contains(*case) || !json_cases.contains(*case) {
            unseen.push(format!("{case} (removed: should be in the JSON copy only)"));
        }
    }
    println!(
        "{} IDL files, {} IDL shapes: {equal} equal to the JSON copy, {} only in the IDL, {} differ (before the allowances); README cases set aside: {allowed:?}",
        sources.len(),
        idl.len(),
        only_idl.len(),
        idl.len() - equal - only_idl.len()
    );
    println!("only in the IDL: {only_idl:?}");
    println!("{} allowed difference(s):", allowed_differences.len());
    for (prefix, why) in ALLOWED {
        println!("  {why}: {}", prefix.lines().next().unwrap_or(""));
    }
    assert!(
        differences.is_empty(),
        "{} difference(s):\n{}",
        differences.len(),
        differences.join("\n")
    );
    assert!(
        stale.is_empty(),
        "allowed differences that no longer occur: {stale:#?}"
    );
    assert!(
        unseen.is_empty(),
        "README cases not where the README says: {unseen:?}"
    );
}
