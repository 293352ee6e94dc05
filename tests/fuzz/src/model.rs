//! The generator front to back (parse → assemble → validate → index → closure → naming → emit
//! → format) on in-memory model text, and structured mutations of the committed models.
//!
//! Oracles: nothing panics or overflows the stack; every rejection is a `CodegenError` with a
//! message; no "internal error" (emitted code that does not parse, an invariant the earlier
//! stages should have guaranteed); an accepted model generates the same files twice.

use std::path::PathBuf;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use codegen::read::SourceText;
use codegen::{CodegenError, GeneratedFile, OperationSelection};
use serde_json::{Map, Value};

/// The committed models, as mutation bases: (path, text).
pub const BASE_MODELS: &[(&str, &str)] = &[
    (
        "model/apigatewayv2.json",
        include_str!("../../../model/apigatewayv2.json"),
    ),
    (
        "tests/models/shapes.json",
        include_str!("../../models/shapes.json"),
    ),
    (
        "tests/models/constraints.json",
        include_str!("../../models/constraints.json"),
    ),
    (
        "tests/models/http_bindings.json",
        include_str!("../../models/http_bindings.json"),
    ),
    (
        "tests/models/smithy1.json",
        include_str!("../../models/smithy1.json"),
    ),
];

/// Runs every generator stage on in-memory files, as `codegen::generate` does from disk.
pub fn generate(
    files: &[(String, String)],
    operations: &OperationSelection,
) -> Result<Vec<GeneratedFile>, CodegenError> {
    let sources: Vec<SourceText> = files
        .iter()
        .map(|(path, text)| SourceText {
            path: PathBuf::from(path),
            text: text.clone(),
        })
        .collect();
    let options = codegen::Options {
        models: Vec::new(),
        operations: operations.clone(),
        crate_name: "fuzzed".to_string(),
        runtime: Default::default(),
        service: None,
    };
    codegen::pipeline::generate_from_sources(&sources, &options).map(|generated| generated.files)
}

/// [`generate`] plus the oracles. Panics (a fuzzing crash) when one fails.
pub fn check(files: &[(String, String)], operations: &OperationSelection, twice: bool) {
    match generate(files, operations) {
        Ok(first) => {
            assert!(!first.is_empty(), "an accepted model generated no files");
            if twice {
                let second =
                    generate(files, operations).expect("the same model failed the second time");
                assert!(first == second, "generation is not deterministic");
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                !message.trim().is_empty(),
                "a rejection without a message: {e:?}"
            );
            assert!(
                !message.contains("internal error"),
                "the generator accepted a model and then failed internally: {message}"
            );
        }
    }
}

/// The `model_bytes` target: arbitrary bytes as one model file (the first byte picks the
/// operation selection, so seeds are valid models behind one byte).
pub fn fuzz_bytes(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let ops = if first & 1 == 0 {
        OperationSelection::All
    } else {
        OperationSelection::Named(vec!["GetStage".to_string()])
    };
    check(&[("fuzz.json".to_string(), text.to_string())], &ops, false);
}

/// A JSON value built by the fuzzer; strings come mostly from a dictionary of model words.
#[derive(Debug, Clone, Arbitrary)]
pub enum Json {
    Null,
    Bool(bool),
    Small(i8),
    Int(i64),
    Float(f64),
    Text(Text),
    Array(Vec<Json>),
    Object(Vec<(Text, Json)>),
}

/// A string: a dictionary word (most useful) or raw text.
#[derive(Debug, Clone, Arbitrary)]
pub enum Text {
    Word(u16),
    Raw(String),
    /// A dictionary word with a suffix (`Foo` → `Foo2`, `smithy.api#length` → `…x`).
    Suffixed(u16, String),
}

impl Text {
    pub fn to_string_with(&self, dict: &[String]) -> String {
        match self {
            Text::Word(i) => dict[*i as usize % dict.len()].clone(),
            Text::Raw(s) => s.clone(),
            Text::Suffixed(i, s) => format!("{}{s}", dict[*i as usize % dict.len()]),
        }
    }
}

impl Json {
    pub fn to_value(&self, dict: &[String]) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Small(n) => Value::from(*n),
            Json::Int(n) => Value::from(*n),
            Json::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Json::Text(t) => Value::String(t.to_string_with(dict)),
            Json::Array(items) => Value::Array(items.iter().map(|j| j.to_value(dict)).collect()),
            Json::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_string_with(dict), v.to_value(dict)))
                    .collect(),
            ),
        }
    }
}

/// One edit of the model's JSON. A path walks from the root: at an object the index picks a
/// key (modulo the number of keys), at an array an element; it stops early at a scalar.
#[derive(Debug, Clone, Arbitrary)]
pub enum Mutation {
    /// Replaces the node at the path.
    Set { path: Vec<u16>, value: Json },
    /// Removes the node at the path from its parent.
    Remove { path: Vec<u16> },
    /// Renames the key of the node at the path (when its parent is an object).
    Rename { path: Vec<u16>, name: Text },
    /// Inserts `key: value` into the object at the path (or pushes onto an array).
    Insert {
        path: Vec<u16>,
        key: Text,
        value: Json,
    },
    /// Copies the node at `from` over the node at `to` (moves traits, members and shapes
    /// around: the most productive structured edit).
    Copy { from: Vec<u16>, to: Vec<u16> },
    /// Copies the node at `from` into the object at `to` under `key`.
    Graft {
        from: Vec<u16>,
        to: Vec<u16>,
        key: Text,
    },
}

/// The `model_mutate` target's input.
#[derive(Debug, Clone, Arbitrary)]
pub struct MutationInput {
    /// Which committed model to start from.
    pub base: u8,
    /// Also pass an unmodified copy of a (possibly other) base model as a second file.
    pub second_file: Option<u8>,
    /// `None`: all operations; else these names.
    pub operations: Option<Vec<Text>>,
    pub mutations: Vec<Mutation>,
}

/// Every string in the base models plus Smithy's vocabulary.
pub fn dictionary() -> &'static [String] {
    static DICT: OnceLock<Vec<String>> = OnceLock::new();
    DICT.get_or_init(|| {
        let mut words = std::collections::BTreeSet::new();
        fn walk(v: &Value, words: &mut std::collections::BTreeSet<String>) {
            match v {
                Value::String(s) if s.len() <= 64 => {
                    words.insert(s.clone());
                }
                Value::Array(items) => items.iter().for_each(|i| walk(i, words)),
                Value::Object(map) => {
                    for (k, v) in map {
                        words.insert(k.clone());
                        walk(v, words);
                    }
                }
                _ => {}
            }
        }
        for (_, text) in BASE_MODELS {
            let v: Value = serde_json::from_str(text).expect("base models are JSON");
            walk(&v, &mut words);
        }
        for w in SMITHY_WORDS {
            words.insert((*w).to_string());
        }
        words.into_iter().collect()
    })
}

const SMITHY_WORDS: &[&str] = &[
    "smithy",
    "metadata",
    "shapes",
    "type",
    "members",
    "member",
    "key",
    "value",
    "target",
    "traits",
    "mixins",
    "input",
    "output",
    "errors",
    "operations",
    "resources",
    "version",
    "identifiers",
    "create",
    "read",
    "update",
    "delete",
    "list",
    "put",
    "collectionOperations",
    "properties",
    "rename",
    "apply",
    "1.0",
    "2.0",
    "1",
    "2",
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "operation",
    "service",
    "resource",
    "smithy.api#Unit",
    "smithy.api#String",
    "smithy.api#Integer",
    "smithy.api#PrimitiveInteger",
    "smithy.api#Boolean",
    "smithy.api#PrimitiveBoolean",
    "smithy.api#Document",
    "smithy.api#Blob",
    "smithy.api#Timestamp",
    "smithy.api#Long",
    "smithy.api#Double",
    "smithy.api#required",
    "smithy.api#default",
    "smithy.api#clientOptional",
    "smithy.api#box",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#uniqueItems",
    "smithy.api#sensitive",
    "smithy.api#sparse",
    "smithy.api#mixin",
    "smithy.api#private",
    "smithy.api#enumValue",
    "smithy.api#enum",
    "smithy.api#error",
    "smithy.api#httpError",
    "smithy.api#http",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
    "smithy.api#jsonName",
    "smithy.api#timestampFormat",
    "smithy.api#idempotencyToken",
    "smithy.api#idempotent",
    "smithy.api#readonly",
    "smithy.api#streaming",
    "smithy.api#eventPayload",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#documentation",
    "smithy.api#deprecated",
    "smithy.api#paginated",
    "smithy.api#retryable",
    "smithy.api#addedDefault",
    "smithy.api#title",
    "smithy.api#auth",
    "smithy.api#xmlName",
    "smithy.api#mediaType",
    "smithy.api#hostLabel",
    "smithy.api#endpoint",
    "smithy.api#examples",
    "smithy.api#unitType",
    "smithy.api#suppress",
    "smithy.api#trait",
    "aws.protocols#restJson1",
    "aws.api#service",
    "aws.auth#sigv4",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
    "smithy.rules#contextParam",
    "smithy.rules#staticContextParams",
    "smithy.rules#clientContextParams",
    "method",
    "uri",
    "code",
    "min",
    "max",
    "GET",
    "POST",
    "PUT",
    "DELETE",
    "/",
    "/{Key+}",
    "/{a}/{a}",
    "/x?y=z",
    "date-time",
    "epoch-seconds",
    "http-date",
    "client",
    "server",
    "^[a-z]+$",
    "(",
    "",
    " ",
    ".",
    "..",
    "$",
    "#",
    "self",
    "Self",
    "type",
    "r#type",
    "crate",
    "super",
    "fn",
    "async",
    "await",
    "match",
    "String",
    "Option",
    "Result",
    "Vec",
    "Box",
    "Default",
    "Unknown",
    "builder",
    "build",
    "0",
    "-1",
    "9223372036854775807",
    "NaN",
    "Infinity",
    "ns.foo#Bar",
    "ns.foo#Bar$baz",
    "com.amazonaws.apigatewayv2#Stage",
];

fn child_key(map: &Map<String, Value>, index: u16) -> Option<String> {
    if map.is_empty() {
        return None;
    }
    map.keys().nth(index as usize % map.len()).cloned()
}

/// The node at `path`, stopping early at scalars and empty containers.
fn locate<'a>(node: &'a mut Value, path: &[u16]) -> &'a mut Value {
    let Some((&step, rest)) = path.split_first() else {
        return node;
    };
    let descend = match &*node {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    };
    if !descend {
        return node;
    }
    match node {
        Value::Object(map) => {
            let key = child_key(map, step).expect("non-empty");
            locate(map.get_mut(&key).expect("key exists"), rest)
        }
        Value::Array(items) => {
            let len = items.len();
            locate(&mut items[step as usize % len], rest)
        }
        other => other,
    }
}

fn apply(root: &mut Value, mutation: &Mutation, dict: &[String]) {
    match mutation {
        Mutation::Set { path, value } => *locate(root, path) = value.to_value(dict),
        Mutation::Remove { path } => {
            let Some((last, parent_path)) = path.split_last() else {
                return;
            };
            match locate(root, parent_path) {
                Value::Object(map) => {
                    if let Some(key) = child_key(map, *last) {
                        map.shift_remove(&key);
                    }
                }
                Value::Array(items) if !items.is_empty() => {
                    let len = items.len();
                    items.remove(*last as usize % len);
                }
                _ => {}
            }
        }
        Mutation::Rename { path, name } => {
            let Some((last, parent_path)) = path.split_last() else {
                return;
            };
            if let Value::Object(map) = locate(root, parent_path) {
                if let Some(key) = child_key(map, *last) {
                    let value = map.shift_remove(&key).expect("key exists");
                    map.insert(name.to_string_with(dict), value);
                }
            }
        }
        Mutation::Insert { path, key, value } => match locate(root, path) {
            Value::Object(map) => {
                map.insert(key.to_string_with(dict), value.to_value(dict));
            }
            Value::Array(items) => items.push(value.to_value(dict)),
            _ => {}
        },
        Mutation::Copy { from, to } => {
            let value = locate(root, from).clone();
            *locate(root, to) = value;
        }
        Mutation::Graft { from, to, key } => {
            let value = locate(root, from).clone();
            match locate(root, to) {
                Value::Object(map) => {
                    map.insert(key.to_string_with(dict), value);
                }
                Value::Array(items) => items.push(value),
                _ => {}
            }
        }
    }
}

/// Applies the mutations to the chosen base model and returns the model files to generate
/// from, with the operation selection.
pub fn mutated_files(input: &MutationInput) -> (Vec<(String, String)>, OperationSelection) {
    let dict = dictionary();
    let (path, text) = BASE_MODELS[input.base as usize % BASE_MODELS.len()];
    let mut root: Value = serde_json::from_str(text).expect("base models are JSON");
    // Bound the work per input (each edit clones at most one subtree).
    for mutation in input.mutations.iter().take(64) {
        apply(&mut root, mutation, dict);
    }
    let mut files = vec![(
        path.to_string(),
        serde_json::to_string_pretty(&root).expect("serializes"),
    )];
    if let Some(second) = input.second_file {
        let (path2, text2) = BASE_MODELS[second as usize % BASE_MODELS.len()];
        files.push((format!("second/{path2}"), text2.to_string()));
    }
    let operations = match &input.operations {
        None => OperationSelection::All,
        Some(names) => {
            OperationSelection::Named(names.iter().map(|n| n.to_string_with(dict)).collect())
        }
    };
    (files, operations)
}

/// The `model_mutate` target.
pub fn fuzz_mutations(input: &MutationInput) {
    let (files, operations) = mutated_files(input);
    check(&files, &operations, true);
}
