//! Every operation output (and the recursive shapes) of every generated crate serializes
//! (`serde` feature) and parses back to the same value.
//!
//! Values are generated from the Smithy model itself: for each shape a proptest strategy
//! builds the JSON of its public `serde` form (members keyed by their JSON name; timestamps in
//! the member's format, epoch seconds by default; blobs in base64; unions with one member;
//! enums with known and unknown values; required members always present; recursion bounded).
//! The JSON is read into the Rust type `v`; then `from_json(to_json(v)) == v` must hold.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::OnceLock;

use codegen::model::{EnumValue, Model, ShapeId, ShapeType, TimestampFormat, Traits};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::TestCaseError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// A model file, assembled once per test binary and kept for the strategies (`'static`).
fn model(path: &str) -> &'static Model {
    static MODELS: OnceLock<std::sync::Mutex<BTreeMap<String, &'static Model>>> = OnceLock::new();
    let mut models = MODELS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    models.entry(path.to_string()).or_insert_with(|| {
        let full: PathBuf = tests::workspace_root().join(path);
        let sources = codegen::read::read_files(&[full]).expect("model reads");
        let files = sources
            .iter()
            .map(codegen::parse::parse_file)
            .collect::<Result<Vec<_>, _>>()
            .expect("parses");
        Box::leak(Box::new(
            codegen::assemble::assemble(files).expect("assembles"),
        ))
    })
}

fn id(text: &str) -> ShapeId {
    ShapeId::parse(text).expect("a shape id")
}

/// The output shape of an operation (`None` for `smithy.api#Unit`).
fn output_of(model: &Model, operation: &str) -> Option<ShapeId> {
    let op = &model.shapes[&id(operation)];
    op.operation
        .as_ref()
        .and_then(|o| o.output.clone())
        .filter(|o| !o.is_unit())
}

const MAX_DEPTH: u32 = 4;

fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 _.-]{0,10}",
        1 => any::<String>(),
        1 => Just(String::new()),
        1 => "[\"\\\\/\u{0}-\u{1f}\u{7f}é日😀]{1,6}",
    ]
    .boxed()
}

/// `n / 2^k` with |n| < 2^20 and k ≤ 10: at most 15 significant digits, which every JSON
/// reader (serde_json's default fast path included) reads back exactly.
fn short_double() -> impl Strategy<Value = f64> {
    (-(1i32 << 20)..(1 << 20), 0u32..=10).prop_map(|(n, k)| n as f64 / (1u64 << k) as f64)
}

fn timestamp(format: TimestampFormat) -> BoxedStrategy<Value> {
    // Seconds within ±2^31 (1901–2038), where an f64 of epoch seconds holds microseconds.
    let secs = -(1i64 << 31) + 1..(1i64 << 31) - 1;
    match format {
        TimestampFormat::EpochSeconds => prop_oneof![
            secs.clone().prop_map(|s| json!(s)),
            (secs, 0u32..1000).prop_map(|(s, ms)| json!(s as f64 + ms as f64 / 1000.0)),
        ]
        .boxed(),
        TimestampFormat::DateTime | TimestampFormat::HttpDate => {
            let rt_format = match format {
                TimestampFormat::DateTime => aws_client_runtime::wire::timestamp::Format::DateTime,
                _ => aws_client_runtime::wire::timestamp::Format::HttpDate,
            };
            let fraction = if format == TimestampFormat::DateTime {
                0u32..1_000_000_000
            } else {
                0u32..1
            };
            (secs, fraction)
                .prop_map(move |(s, nanos)| {
                    let t = time::OffsetDateTime::from_unix_timestamp(s)
                        .unwrap()
                        .replace_nanosecond(nanos)
                        .unwrap();
                    Value::String(aws_client_runtime::wire::timestamp::format(&t, rt_format))
                })
                .boxed()
        }
    }
}

fn document(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    if depth >= MAX_DEPTH {
        return leaf.boxed();
    }
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// The JSON of a value of shape `target`, as the member with `traits` holds it.
fn value_for(
    model: &'static Model,
    target: &ShapeId,
    traits: Option<&Traits>,
    depth: u32,
) -> BoxedStrategy<Value> {
    let shape = model
        .shapes
        .get(target)
        .unwrap_or_else(|| panic!("no shape {target}"));
    let format = traits
        .and_then(|t| t.timestamp_format)
        .or(shape.traits.timestamp_format)
        .unwrap_or(TimestampFormat::EpochSeconds);
    match shape.ty {
        ShapeType::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        ShapeType::Byte => any::<i8>().prop_map(|n| json!(n)).boxed(),
        ShapeType::Short => any::<i16>().prop_map(|n| json!(n)).boxed(),
        ShapeType::Integer => any::<i32>().prop_map(|n| json!(n)).boxed(),
        ShapeType::Long => any::<i64>().prop_map(|n| json!(n)).boxed(),
        ShapeType::Float => prop_oneof![
            any::<f32>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f as f64)),
            Just(json!("Infinity")),
            Just(json!("-Infinity")),
        ]
        .boxed(),
        ShapeType::Double => prop_oneof![
            4 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
            2 => short_double().prop_map(|f| json!(f)),
            1 => Just(json!("Infinity")),
            1 => Just(json!("-Infinity")),
        ]
        .boxed(),
        ShapeType::BigInteger => any::<i64>().prop_map(|n| json!(n)).boxed(),
        ShapeType::BigDecimal => (any::<i32>(), 0u32..1000)
            .prop_map(|(a, b)| json!(a as f64 + b as f64 / 1000.0))
            .boxed(),
        ShapeType::Timestamp => timestamp(format),
        ShapeType::Blob => prop::collection::vec(any::<u8>(), 0..24)
            .prop_map(|b| Value::String(aws_client_runtime::wire::base64_encode(&b)))
            .boxed(),
        ShapeType::Document => document(depth),
        ShapeType::String => match &shape.traits.enum_definitions {
            Some(defs) if !defs.is_empty() => {
                let values: Vec<String> = defs.iter().map(|d| d.value.clone()).collect();
                prop_oneof![3 => prop::sample::select(values), 1 => text()]
                    .prop_map(Value::String)
                    .boxed()
            }
            _ => text().prop_map(Value::String).boxed(),
        },
        ShapeType::Enum => {
            let values: Vec<String> = shape
                .members
                .iter()
                .map(|m| match &m.traits.enum_value {
                    Some(EnumValue::String(s)) => s.clone(),
                    _ => m.name.clone(),
                })
                .collect();
            prop_oneof![3 => prop::sample::select(values), 1 => text()]
                .prop_map(Value::String)
                .boxed()
        }
        ShapeType::IntEnum => {
            let values: Vec<i64> = shape
                .members
                .iter()
                .filter_map(|m| match &m.traits.enum_value {
                    Some(EnumValue::Int(n)) => Some(*n),
                    _ => None,
                })
                .collect();
            prop_oneof![3 => prop::sample::select(values), 1 => any::<i32>().prop_map(i64::from)]
                .prop_map(|n| json!(n))
                .boxed()
        }
        ShapeType::List | ShapeType::Set => {
            let member = shape.list_member().expect("a list has a member");
            let max = if depth >= MAX_DEPTH { 1 } else { 4 };
            let item = value_for(model, &member.target, Some(&member.traits), depth + 1);
            let item = if shape.traits.sparse {
                prop_oneof![4 => item, 1 => Just(Value::Null)].boxed()
            } else {
                item
            };
            prop::collection::vec(item, 0..max)
                .prop_map(Value::Array)
                .boxed()
        }
        ShapeType::Map => {
            let (key, value) = shape.map_key_value().expect("a map has a key and a value");
            let max = if depth >= MAX_DEPTH { 1 } else { 4 };
            let keys = value_for(model, &key.target, Some(&key.traits), depth + 1)
                .prop_map(|k| k.as_str().map(str::to_string).unwrap_or_default());
            let values = value_for(model, &value.target, Some(&value.traits), depth + 1);
            let values = if shape.traits.sparse {
                prop_oneof![4 => values, 1 => Just(Value::Null)].boxed()
            } else {
                values
            };
            prop::collection::btree_map(keys, values, 0..max)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
                .boxed()
        }
        ShapeType::Union => {
            let options: Vec<BoxedStrategy<Value>> = shape
                .members
                .iter()
                .filter(|m| depth < MAX_DEPTH || !is_recursive(model, &m.target))
                .map(|m| {
                    let key = json_key(&m.name, &m.traits);
                    value_for(model, &m.target, Some(&m.traits), depth + 1)
                        .prop_map(move |v| json!({ key.clone(): v }))
                        .boxed()
                })
                .collect();
            proptest::strategy::Union::new(options).boxed()
        }
        ShapeType::Structure => {
            let members: Vec<BoxedStrategy<Option<(String, Value)>>> = shape
                .members
                .iter()
                .map(|m| {
                    let key = json_key(&m.name, &m.traits);
                    let required = m.traits.required && m.traits.default.is_none();
                    if !required && depth >= MAX_DEPTH {
                        return Just(None).boxed();
                    }
                    let value = value_for(model, &m.target, Some(&m.traits), depth + 1);
                    let pair = value.prop_map(move |v| Some((key.clone(), v)));
                    if required {
                        pair.boxed()
                    } else {
                        prop_oneof![pair, Just(None)].boxed()
                    }
                })
                .collect();
            members
                .prop_map(|pairs| Value::Object(pairs.into_iter().flatten().collect()))
                .boxed()
        }
        other => panic!("no JSON form for a {other:?} ({target})"),
    }
}

fn json_key(name: &str, traits: &Traits) -> String {
    traits.json_name.clone().unwrap_or_else(|| name.to_string())
}

/// Whether a shape is an aggregate (the only kind that can recurse).
fn is_recursive(model: &Model, target: &ShapeId) -> bool {
    model
        .shapes
        .get(target)
        .is_some_and(|s| s.ty.is_aggregate())
}

/// Reads `json` into `T`, writes it, reads it again: the two values are equal, and writing
/// is stable.
fn round_trip<T>(json: &Value) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let text = json.to_string();
    let value: T = serde_json::from_str(&text).map_err(|e| {
        TestCaseError::fail(format!("the generated JSON does not read: {e}\n{text}"))
    })?;
    let written = serde_json::to_string(&value)
        .map_err(|e| TestCaseError::fail(format!("does not write: {e}")))?;
    let back: T = serde_json::from_str(&written).map_err(|e| {
        TestCaseError::fail(format!("what was written does not read: {e}\n{written}"))
    })?;
    prop_assert_eq!(&back, &value, "written as {}", written);
    prop_assert_eq!(serde_json::to_string(&back).unwrap(), written);
    Ok(())
}

fn strategy_for(model_path: &str, shape: Option<ShapeId>) -> BoxedStrategy<Value> {
    let model = model(model_path);
    match shape {
        Some(shape) => value_for(model, &shape, None, 0),
        None => Just(json!({})).boxed(),
    }
}

macro_rules! round_trips {
    ($($name:ident: $model:literal, $shape:expr => $ty:ty;)*) => {$(
        #[test]
        fn $name() {
            let strategy = strategy_for($model, $shape($model));
            let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
                cases: 256,
                failure_persistence: None,
                ..ProptestConfig::default()
            });
            runner
                .run(&strategy, |json| round_trip::<$ty>(&json))
                .unwrap_or_else(|e| panic!("{}: {e}", stringify!($ty)));
        }
    )*};
}

fn op(operation: &'static str) -> impl Fn(&str) -> Option<ShapeId> {
    move |path| output_of(model(path), operation)
}

fn shape(shape: &'static str) -> impl Fn(&str) -> Option<ShapeId> {
    move |_| Some(id(shape))
}

round_trips! {
    get_stage_output: "model/apigatewayv2.json", op("com.amazonaws.apigatewayv2#GetStage")
        => apigatewayv2::operation::get_stage::GetStageOutput;
    get_record_output: "tests/models/constraints.json", op("com.example.constraints#GetRecord")
        => constraints::operation::get_record::GetRecordOutput;
    submit_batch_output: "tests/models/constraints.json", op("com.example.constraints#SubmitBatch")
        => constraints::operation::submit_batch::SubmitBatchOutput;
    delete_object_output: "tests/models/http_bindings.json", op("com.example.httpbindings#DeleteObject")
        => httpbindings::operation::delete_object::DeleteObjectOutput;
    get_labels_output: "tests/models/http_bindings.json", op("com.example.httpbindings#GetLabels")
        => httpbindings::operation::get_labels::GetLabelsOutput;
    list_items_output: "tests/models/http_bindings.json", op("com.example.httpbindings#ListItems")
        => httpbindings::operation::list_items::ListItemsOutput;
    post_json_output: "tests/models/http_bindings.json", op("com.example.httpbindings#PostJson")
        => httpbindings::operation::post_json::PostJsonOutput;
    put_blob_output: "tests/models/http_bindings.json", op("com.example.httpbindings#PutBlob")
        => httpbindings::operation::put_blob::PutBlobOutput;
    put_config_output: "tests/models/http_bindings.json", op("com.example.httpbindings#PutConfig")
        => httpbindings::operation::put_config::PutConfigOutput;
    put_headers_output: "tests/models/http_bindings.json", op("com.example.httpbindings#PutHeaders")
        => httpbindings::operation::put_headers::PutHeadersOutput;
    put_text_output: "tests/models/http_bindings.json", op("com.example.httpbindings#PutText")
        => httpbindings::operation::put_text::PutTextOutput;
    search_items_output: "tests/models/http_bindings.json", op("com.example.httpbindings#SearchItems")
        => httpbindings::operation::search_items::SearchItemsOutput;
    create_thing_output: "tests/models/shapes.json", op("com.example.shapes#CreateThing")
        => shapes::operation::create_thing::CreateThingOutput;
    get_thing_output: "tests/models/shapes.json", op("com.example.shapes#GetThing")
        => shapes::operation::get_thing::GetThingOutput;
    put_keywords_output: "tests/models/shapes.json", op("com.example.shapes#PutKeywords")
        => shapes::operation::put_keywords::PutKeywordsOutput;
    describe_widget_output: "tests/models/smithy1.json", op("com.example.smithyone#DescribeWidget")
        => smithyone::operation::describe_widget::DescribeWidgetOutput;
    all_types: "tests/models/shapes.json", shape("com.example.shapes#AllTypes")
        => shapes::types::AllTypes;
    tree_node: "tests/models/shapes.json", shape("com.example.shapes#TreeNode")
        => shapes::types::TreeNode;
    linked_node: "tests/models/shapes.json", shape("com.example.shapes#LinkedNode")
        => shapes::types::LinkedNode;
    self_holder: "tests/models/shapes.json", shape("com.example.shapes#SelfHolder")
        => shapes::types::SelfHolder;
    sparse_holder: "tests/models/shapes.json", shape("com.example.shapes#SparseHolder")
        => shapes::types::SparseHolder;
    thing: "tests/models/shapes.json", shape("com.example.shapes#Thing")
        => shapes::types::Thing;
    payload_union: "tests/models/shapes.json", shape("com.example.shapes#Payload")
        => shapes::types::Payload;
}

// ---- recursive shapes, constructed ---------------------------------------------------

fn tree(depth: u32, fan_out: usize) -> shapes::types::TreeNode {
    let mut node = shapes::types::TreeNode::builder().name(format!("node-{depth}"));
    if depth > 0 {
        for _ in 0..fan_out {
            node = node.children(tree(depth - 1, fan_out));
        }
    }
    node.build().expect("the name is set")
}

fn chain(length: i32) -> shapes::types::LinkedNode {
    (0..length)
        .rev()
        .fold(None, |next: Option<shapes::types::LinkedNode>, value| {
            let node = shapes::types::LinkedNode::builder().value(value);
            Some(match next {
                Some(n) => node.next(n).build(),
                None => node.build(),
            })
        })
        .expect("at least one node")
}

/// A structure holding a list of itself (`TreeNode.Children`) and one holding itself
/// (`LinkedNode.Next`, boxed): built with the builders, written with `serde` and read back.
#[test]
fn recursive_values_round_trip_through_serde() {
    let t = tree(4, 3);
    let text = serde_json::to_string(&t).unwrap();
    assert!(text.contains(r#""Children":[{"Name":"node-3""#), "{text}");
    assert_eq!(
        serde_json::from_str::<shapes::types::TreeNode>(&text).unwrap(),
        t
    );

    let c = chain(50);
    let text = serde_json::to_string(&c).unwrap();
    let back: shapes::types::LinkedNode = serde_json::from_str(&text).unwrap();
    assert_eq!(back, c);
    let mut depth = 0;
    let mut node = Some(&back);
    while let Some(n) = node {
        assert_eq!(n.value, Some(depth));
        depth += 1;
        node = n.next.as_deref();
    }
    assert_eq!(depth, 50);
}

/// The same values read from a response by the client.
#[tokio::test]
async fn recursive_values_round_trip_through_the_client() {
    let t = tree(3, 2);
    let c = chain(20);
    let body = serde_json::json!({ "Tree": t, "Chain": c }).to_string();
    let config = shapes::Config::builder()
        .region("us-east-1")
        .credentials(shapes::config::Credentials::new(
            "AKID", "secret", None, None, "test",
        ))
        .http_client(shapes::config::CannedHttpClient::new([
            shapes::config::CannedResponse::json(200, "req", &body),
        ]))
        .build();
    let output = shapes::Client::new(&config)
        .get_thing()
        .thing_id("t1")
        .send()
        .await
        .expect("reads");
    assert_eq!(output.tree(), Some(&t));
    assert_eq!(output.chain(), Some(&c));
}

/// Found by `get_stage_output` (full-range doubles): serde_json's default float parser is
/// not correctly rounded, so a double written in its shortest form can read back one ULP
/// off (`4.6351206556687436e-210`, `1.3317475286133343e300`). Every double a response holds
/// must survive writing and reading. Fixed with serde_json's `float_roundtrip` feature in
/// the runtime's manifest (`codegen/runtime/Cargo.toml`), which the generated crates copy.
#[test]
fn doubles_round_trip_exactly() {
    for value in [
        4.6351206556687436e-210,
        1.3317475286133343e300,
        2.7372983617650393e227,
        1.67587405928372e114,
    ] {
        let json = format!(r#"{{"defaultRouteSettings":{{"throttlingRateLimit":{value:e}}}}}"#);
        let output: apigatewayv2::operation::get_stage::GetStageOutput =
            serde_json::from_str(&json).unwrap();
        let read = output
            .default_route_settings()
            .and_then(|s| s.throttling_rate_limit());
        assert_eq!(read, Some(value), "{json}");
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(
            &any::<f64>().prop_filter("finite", |f| f.is_finite()),
            |f| {
                let json = json!({ "defaultRouteSettings": { "throttlingRateLimit": f } });
                round_trip::<apigatewayv2::operation::get_stage::GetStageOutput>(&json)
            },
        )
        .unwrap();
}
