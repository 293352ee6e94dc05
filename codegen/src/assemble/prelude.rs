//! The `smithy.api` prelude shapes every model can target.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::traits::{TraitMap, DEFAULT};
use super::WorkShape;
use crate::model::{ShapeId, ShapeType};
use crate::parse::SmithyVersion;

/// Where prelude shapes come from, in messages.
pub const PRELUDE_SOURCE: &str = "<prelude>";

/// The simple prelude shapes (`smithy.api#String`, ...), without the primitives.
const SIMPLE: [(&str, ShapeType); 13] = [
    ("String", ShapeType::String),
    ("Blob", ShapeType::Blob),
    ("BigInteger", ShapeType::BigInteger),
    ("BigDecimal", ShapeType::BigDecimal),
    ("Timestamp", ShapeType::Timestamp),
    ("Document", ShapeType::Document),
    ("Boolean", ShapeType::Boolean),
    ("Byte", ShapeType::Byte),
    ("Short", ShapeType::Short),
    ("Integer", ShapeType::Integer),
    ("Long", ShapeType::Long),
    ("Float", ShapeType::Float),
    ("Double", ShapeType::Double),
];

/// The `Primitive*` shapes, with `@default` of their zero value.
const PRIMITIVE: [(&str, ShapeType); 7] = [
    ("PrimitiveBoolean", ShapeType::Boolean),
    ("PrimitiveByte", ShapeType::Byte),
    ("PrimitiveShort", ShapeType::Short),
    ("PrimitiveInteger", ShapeType::Integer),
    ("PrimitiveLong", ShapeType::Long),
    ("PrimitiveFloat", ShapeType::Float),
    ("PrimitiveDouble", ShapeType::Double),
];

/// The zero value of a primitive type (`false` / `0`), `None` for other types.
pub(crate) fn zero_value(ty: ShapeType) -> Option<Value> {
    match ty {
        ShapeType::Boolean => Some(Value::Bool(false)),
        ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Float
        | ShapeType::Double => Some(json!(0)),
        _ => None,
    }
}

/// Whether a prelude shape was boxed (nullable) in Smithy 1.0: every primitive-typed prelude
/// shape except the `Primitive*` ones.
pub(crate) fn is_boxed_in_v1(id: &ShapeId) -> bool {
    id.is_prelude() && !id.name.starts_with("Primitive")
}

fn shape(name: &str, ty: ShapeType, traits: TraitMap) -> WorkShape {
    WorkShape {
        id: ShapeId::prelude(name),
        ty,
        traits,
        members: Vec::new(),
        mixins: Vec::new(),
        operation: None,
        service: None,
        resource: None,
        source: PathBuf::from(PRELUDE_SOURCE),
        version: SmithyVersion::V2,
    }
}

/// Every prelude shape.
pub(crate) fn shapes() -> Vec<WorkShape> {
    let mut out = Vec::new();
    for (name, ty) in SIMPLE {
        out.push(shape(name, ty, TraitMap::new()));
    }
    for (name, ty) in PRIMITIVE {
        let mut traits = TraitMap::new();
        if let Some(zero) = zero_value(ty) {
            traits.insert(DEFAULT.to_string(), zero);
        }
        out.push(shape(name, ty, traits));
    }
    let mut unit = TraitMap::new();
    unit.insert("smithy.api#unitType".to_string(), json!({}));
    out.push(shape("Unit", ShapeType::Structure, unit));
    out
}
