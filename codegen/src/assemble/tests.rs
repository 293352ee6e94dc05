use std::path::PathBuf;

use serde_json::json;

use super::*;
use crate::model::{EnumDefinition, ErrorKind};
use crate::read::SourceText;

fn file(path: &str, text: &str) -> ModelFile {
    crate::parse::parse_file(&SourceText {
        path: PathBuf::from(path),
        text: text.to_string(),
    })
    .unwrap()
}

fn one(text: &str) -> Result<Model> {
    assemble(vec![file("model/x.json", text)])
}

fn shape<'m>(model: &'m Model, id: &str) -> &'m Shape {
    model.shapes.get(&ShapeId::parse(id).unwrap()).unwrap()
}

#[test]
fn prelude_is_added() {
    let model = one(r#"{"smithy": "2.0"}"#).unwrap();
    for name in [
        "String",
        "Blob",
        "BigInteger",
        "BigDecimal",
        "Timestamp",
        "Document",
        "Boolean",
        "Byte",
        "Short",
        "Integer",
        "Long",
        "Float",
        "Double",
        "Unit",
    ] {
        let s = shape(&model, &format!("smithy.api#{name}"));
        assert_eq!(s.traits.default, None, "{name}");
        assert_eq!(s.source, PathBuf::from("<prelude>"));
    }
    assert_eq!(
        shape(&model, "smithy.api#PrimitiveBoolean").traits.default,
        Some(json!(false))
    );
    assert_eq!(
        shape(&model, "smithy.api#PrimitiveLong").traits.default,
        Some(json!(0))
    );
    assert_eq!(
        shape(&model, "smithy.api#PrimitiveLong").ty,
        ShapeType::Long
    );
    let unit = shape(&model, "smithy.api#Unit");
    assert_eq!(unit.ty, ShapeType::Structure);
    assert!(unit.traits.other("smithy.api#unitType").is_some());
    assert_eq!(model.shapes.len(), 21);
}

#[test]
fn merges_files_and_rejects_conflicting_definitions() {
    let a = r#"{"smithy": "2.0", "metadata": {"l": [1], "k": "v"},
        "shapes": {"a#S": {"type": "string"}}}"#;
    let b = r#"{"smithy": "2.0", "metadata": {"l": [2], "k": "v"},
        "shapes": {"a#S": {"type": "string"}, "a#T": {"type": "integer"}}}"#;
    let model = assemble(vec![file("m/a.json", a), file("m/b.json", b)]).unwrap();
    assert_eq!(shape(&model, "a#S").source, PathBuf::from("m/a.json"));
    assert_eq!(shape(&model, "a#T").source, PathBuf::from("m/b.json"));
    assert_eq!(model.metadata["l"], json!([1, 2]));
    assert_eq!(model.metadata["k"], json!("v"));

    let c = r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "string",
        "traits": {"smithy.api#sensitive": {}}}}}"#;
    let err = assemble(vec![file("m/a.json", a), file("m/c.json", c)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "m/c.json: shape a#S: defined differently in m/a.json and m/c.json"
    );
    let d = r#"{"smithy": "2.0", "metadata": {"k": "w"}}"#;
    let err = assemble(vec![file("m/a.json", a), file("m/d.json", d)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "m/d.json: metadata `k` conflicts with the value in m/a.json"
    );
    let e = r#"{"smithy": "2.0", "shapes": {"smithy.api#String": {"type": "string"}}}"#;
    assert_eq!(
        one(e).unwrap_err().to_string(),
        "model/x.json: shape smithy.api#String: shapes cannot be defined in the prelude namespace `smithy.api`"
    );
}

#[test]
fn relative_trait_ids_and_typed_traits() {
    let model = one(r#"{"smithy": "2.0", "shapes": {
        "a#S": {"type": "structure", "members": {
            "m": {"target": "smithy.api#String", "traits": {"required": {}, "jsonName": "em"}}},
            "traits": {"error": "server", "aws.api#thing": {"x": 1}}}}}"#)
    .unwrap();
    let s = shape(&model, "a#S");
    assert_eq!(s.traits.error, Some(ErrorKind::Server));
    assert_eq!(s.traits.other("aws.api#thing"), Some(&json!({"x": 1})));
    let m = s.member("m").unwrap();
    assert!(m.traits.required);
    assert_eq!(m.traits.json_name.as_deref(), Some("em"));
}

#[test]
fn wrong_trait_value_names_shape_member_and_trait() {
    let err = one(
        r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "structure", "members": {
            "m": {"target": "smithy.api#String", "traits": {"smithy.api#jsonName": 3}}}}}}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "model/x.json: shape a#S, member m: trait `smithy.api#jsonName` must be a string, not a number"
    );
    let err = one(r#"{"smithy": "2.0", "shapes": {"a#E": {"type": "structure",
        "traits": {"smithy.api#error": "user"}}}}"#)
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "model/x.json: shape a#E: trait `smithy.api#error` must be \"client\" or \"server\", not \"user\""
    );
}

#[test]
fn apply_adds_traits_to_shapes_and_members() {
    let a = r#"{"smithy": "2.0", "shapes": {
        "a#S": {"type": "structure", "members": {"m": {"target": "smithy.api#String"}}},
        "a#T": {"type": "string"}}}"#;
    let b = r#"{"smithy": "2.0", "shapes": {
        "a#S$m": {"type": "apply", "traits": {"smithy.api#required": {}}},
        "a#T": {"type": "apply", "traits": {"documentation": "Tee", "smithy.api#tags": ["x"]}},
        "smithy.api#String": {"type": "apply", "traits": {"smithy.api#sensitive": {}}}}}"#;
    let missing = r#"{"smithy": "2.0", "shapes": {
        "a#T2": {"type": "apply", "traits": {"smithy.api#tags": ["y"]}}}}"#;
    assert_eq!(
        assemble(vec![file("m/a.json", a), file("m/z.json", missing)])
            .unwrap_err()
            .to_string(),
        "m/z.json: shape a#T2: `apply` targets a shape that does not exist"
    );
    let more = missing.replace("a#T2", "a#T");
    let model = assemble(vec![
        file("m/a.json", a),
        file("m/b.json", b),
        file("m/c.json", &more),
    ])
    .unwrap();
    assert!(shape(&model, "a#S").member("m").unwrap().traits.required);
    let t = shape(&model, "a#T");
    assert_eq!(t.traits.documentation.as_deref(), Some("Tee"));
    // List traits applied twice are concatenated.
    assert_eq!(t.traits.other("smithy.api#tags"), Some(&json!(["x", "y"])));
    assert!(shape(&model, "smithy.api#String").traits.sensitive);

    let c = r#"{"smithy": "2.0", "shapes": {
        "a#S$nope": {"type": "apply", "traits": {"smithy.api#required": {}}}}}"#;
    assert_eq!(
        assemble(vec![file("m/a.json", a), file("m/c.json", c)])
            .unwrap_err()
            .to_string(),
        "m/c.json: shape a#S$nope: `apply` targets a member that does not exist"
    );
    let doc_apply = r#"{"smithy": "2.0", "shapes": {
        "a#T": {"type": "apply", "traits": {"smithy.api#documentation": "x"}}}}"#;
    let defined = a.replace(
        r#""a#T": {"type": "string"}"#,
        r#""a#T": {"type": "string", "traits": {"smithy.api#documentation": "y"}}"#,
    );
    assert_eq!(
        assemble(vec![file("m/a.json", &defined), file("m/s.json", doc_apply)])
            .unwrap_err()
            .to_string(),
        "m/s.json: shape a#T: `apply` gives trait `smithy.api#documentation` a value that conflicts with the one from m/a.json"
    );
    let d = r#"{"smithy": "2.0", "shapes": {
        "a#T": {"type": "apply", "traits": {"smithy.api#documentation": "one"}}}}"#;
    let e = r#"{"smithy": "2.0", "shapes": {
        "a#T": {"type": "apply", "traits": {"smithy.api#documentation": "two"}}}}"#;
    assert_eq!(
        assemble(vec![file("m/a.json", a), file("m/d.json", d), file("m/e.json", e)])
            .unwrap_err()
            .to_string(),
        "m/e.json: shape a#T: `apply` gives trait `smithy.api#documentation` a value that conflicts with the one from m/d.json"
    );
}

const MIXINS: &str = r#"{"smithy": "2.0", "shapes": {
    "a#Base": {"type": "structure", "members": {
        "id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}},
        "traits": {"smithy.api#mixin": {"localTraits": ["smithy.api#private"]},
                   "smithy.api#private": {}, "smithy.api#sensitive": {},
                   "smithy.api#documentation": "base"}},
    "a#More": {"type": "structure", "mixins": [{"target": "a#Base"}],
        "members": {"extra": {"target": "smithy.api#Integer"}},
        "traits": {"smithy.api#mixin": {}}},
    "a#Other": {"type": "structure", "members": {"other": {"target": "smithy.api#Long"}},
        "traits": {"smithy.api#mixin": {}}},
    "a#Thing": {"type": "structure", "mixins": [{"target": "a#More"}, {"target": "a#Other"}],
        "members": {"own": {"target": "smithy.api#String"},
                    "id": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "the id"}}},
        "traits": {"smithy.api#documentation": "thing"}},
    "a#Thing$extra": {"type": "apply", "traits": {"smithy.api#documentation": "applied"}},
    "a#Op": {"type": "operation", "mixins": [{"target": "a#OpMixin"}], "errors": [{"target": "a#E2"}]},
    "a#OpMixin": {"type": "operation", "input": {"target": "a#Thing"}, "errors": [{"target": "a#E1"}],
        "traits": {"smithy.api#mixin": {}}}
}}"#;

#[test]
fn mixins_are_flattened() {
    let model = one(MIXINS).unwrap();
    let thing = shape(&model, "a#Thing");
    let names: Vec<&str> = thing.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["id", "extra", "other", "own"]);
    let id = thing.member("id").unwrap();
    assert!(id.traits.required);
    assert_eq!(id.traits.documentation.as_deref(), Some("the id"));
    assert_eq!(
        thing
            .member("extra")
            .unwrap()
            .traits
            .documentation
            .as_deref(),
        Some("applied")
    );
    assert!(!thing.traits.mixin);
    assert!(thing.traits.sensitive);
    assert!(thing.traits.other("smithy.api#private").is_none());
    assert_eq!(thing.traits.documentation.as_deref(), Some("thing"));
    // Mixins stay in the model, marked.
    let more = shape(&model, "a#More");
    assert!(more.traits.mixin);
    assert_eq!(more.members.len(), 2);
    assert!(shape(&model, "a#Base")
        .traits
        .other("smithy.api#private")
        .is_some());
    let op = shape(&model, "a#Op").operation.clone().unwrap();
    assert_eq!(op.input, Some(ShapeId::new("a", "Thing")));
    assert_eq!(
        op.errors,
        vec![ShapeId::new("a", "E1"), ShapeId::new("a", "E2")]
    );
}

#[test]
fn mixin_errors() {
    let cycle = r#"{"smithy": "2.0", "shapes": {
        "a#A": {"type": "structure", "mixins": [{"target": "a#B"}], "traits": {"smithy.api#mixin": {}}},
        "a#B": {"type": "structure", "mixins": [{"target": "a#A"}], "traits": {"smithy.api#mixin": {}}}}}"#;
    assert_eq!(
        one(cycle).unwrap_err().to_string(),
        "model/x.json: shape a#A: mixin cycle: a#A → a#B → a#A"
    );
    let missing = r#"{"smithy": "2.0", "shapes": {
        "a#A": {"type": "structure", "mixins": [{"target": "a#Nope"}]}}}"#;
    assert_eq!(
        one(missing).unwrap_err().to_string(),
        "model/x.json: shape a#A: mixin `a#Nope` does not exist"
    );
    let not_mixin = r#"{"smithy": "2.0", "shapes": {
        "a#A": {"type": "structure", "mixins": [{"target": "a#B"}]},
        "a#B": {"type": "structure"}}}"#;
    assert_eq!(
        one(not_mixin).unwrap_err().to_string(),
        "model/x.json: shape a#A: `a#B` is used as a mixin but has no @mixin trait"
    );
    let wrong_type = r#"{"smithy": "2.0", "shapes": {
        "a#A": {"type": "structure", "mixins": [{"target": "a#B"}]},
        "a#B": {"type": "union", "traits": {"smithy.api#mixin": {}}}}}"#;
    assert_eq!(
        one(wrong_type).unwrap_err().to_string(),
        "model/x.json: shape a#A: mixin `a#B` is a union, but the shape is a structure"
    );
    let retarget = r#"{"smithy": "2.0", "shapes": {
        "a#A": {"type": "structure", "mixins": [{"target": "a#B"}],
                "members": {"m": {"target": "smithy.api#Integer"}}},
        "a#B": {"type": "structure", "members": {"m": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#mixin": {}}}}}"#;
    assert_eq!(
        one(retarget).unwrap_err().to_string(),
        "model/x.json: shape a#A, member m: member redefines a mixin member with a different target (`smithy.api#Integer`, the mixin has `smithy.api#String`)"
    );
}

const V1: &str = r#"{"smithy": "1.0", "shapes": {
    "a#S": {"type": "structure", "members": {
        "prim": {"target": "smithy.api#PrimitiveInteger"},
        "boxed": {"target": "smithy.api#Integer"},
        "custom": {"target": "a#MyInt"},
        "customBoxed": {"target": "a#MyBoxedInt"},
        "memberBoxed": {"target": "a#MyInt", "traits": {"smithy.api#box": {}}},
        "flag": {"target": "a#Flag"},
        "text": {"target": "smithy.api#String"}}},
    "a#MyInt": {"type": "integer"},
    "a#MyBoxedInt": {"type": "integer", "traits": {"smithy.api#box": {}}},
    "a#Flag": {"type": "boolean"},
    "a#Tags": {"type": "set", "member": {"target": "smithy.api#String"}},
    "a#Color": {"type": "string", "traits": {"smithy.api#enum": [
        {"value": "red", "name": "RED", "documentation": "Red."},
        {"value": "light-blue"},
        {"value": "2x", "deprecated": true}]}}
}}"#;

#[test]
fn smithy_1_is_lowered() {
    let model = one(V1).unwrap();
    let s = shape(&model, "a#S");
    let default = |m: &str| s.member(m).unwrap().traits.default.clone();
    assert_eq!(default("prim"), Some(json!(0)));
    assert_eq!(default("boxed"), None);
    assert_eq!(default("custom"), Some(json!(0)));
    assert_eq!(default("customBoxed"), None);
    assert_eq!(default("memberBoxed"), None);
    assert_eq!(default("flag"), Some(json!(false)));
    assert_eq!(default("text"), None);
    assert!(!s
        .member("memberBoxed")
        .unwrap()
        .traits
        .other
        .contains_key("smithy.api#box"));
    assert!(shape(&model, "a#MyBoxedInt").traits.other.is_empty());

    let tags = shape(&model, "a#Tags");
    assert_eq!(tags.ty, ShapeType::List);
    assert!(tags.traits.unique_items);

    let color = shape(&model, "a#Color");
    assert_eq!(color.ty, ShapeType::Enum);
    let names: Vec<&str> = color.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["RED", "light_blue", "_2x"]);
    let values: Vec<_> = color
        .members
        .iter()
        .map(|m| m.traits.enum_value.clone())
        .collect();
    assert_eq!(
        values,
        [
            Some(EnumValue::String("red".into())),
            Some(EnumValue::String("light-blue".into())),
            Some(EnumValue::String("2x".into()))
        ]
    );
    assert!(color.members.iter().all(|m| m.target.is_unit()));
    assert_eq!(
        color.members[0].traits.documentation.as_deref(),
        Some("Red.")
    );
    assert!(color.members[2].traits.deprecated.is_some());
    assert_eq!(
        color.traits.enum_definitions.as_ref().unwrap()[0],
        EnumDefinition {
            value: "red".into(),
            name: Some("RED".into()),
            documentation: Some("Red.".into()),
            deprecated: false
        }
    );
}

#[test]
fn smithy_2_members_get_no_implicit_default() {
    let model = one(&V1.replace("\"1.0\"", "\"2.0\"")).unwrap();
    let s = shape(&model, "a#S");
    assert_eq!(s.member("custom").unwrap().traits.default, None);
    assert_eq!(s.member("prim").unwrap().traits.default, None);
}

#[test]
fn enum_members_default_to_their_name_and_unit_io_is_none() {
    let model = one(r#"{"smithy": "2.0", "shapes": {
        "a#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit"},
            "B": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "b"}}}},
        "a#Op": {"type": "operation", "input": {"target": "smithy.api#Unit"},
                 "output": {"target": "a#Out"}}}}"#)
    .unwrap();
    let e = shape(&model, "a#E");
    assert_eq!(
        e.members[0].traits.enum_value,
        Some(EnumValue::String("A".into()))
    );
    assert_eq!(
        e.members[1].traits.enum_value,
        Some(EnumValue::String("b".into()))
    );
    let op = shape(&model, "a#Op").operation.clone().unwrap();
    assert_eq!(op.input, None);
    assert_eq!(op.output, Some(ShapeId::new("a", "Out")));
}

#[test]
fn value_to_identifier_examples() {
    assert_eq!(value_to_identifier("us-east-1"), "us_east_1");
    assert_eq!(value_to_identifier("1x"), "_1x");
    assert_eq!(value_to_identifier(""), "_");
    assert_eq!(value_to_identifier("OK"), "OK");
}

#[test]
fn sensitive_members_only_in_smithy_1() {
    let text = r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "structure", "members": {
        "m": {"target": "smithy.api#String", "traits": {"smithy.api#sensitive": {}}}}}}}"#;
    assert_eq!(
        one(text).unwrap_err().to_string(),
        "model/x.json: shape a#S, member m: @sensitive is not allowed on members; put it on the target shape"
    );
    let model = one(&text.replace("\"2.0\"", "\"1.0\"")).unwrap();
    assert!(shape(&model, "a#S").member("m").unwrap().traits.sensitive);
}
