//! Lowering Smithy 1.0 semantics to 2.0, so later stages see one set of rules:
//!
//! - in 1.0 files, a structure member that targets an unboxed primitive shape (boolean or a
//!   fixed-size number without `@box` on the member or the target; prelude `Boolean`,
//!   `Integer`, ... were boxed) gets `@default` of the zero value;
//! - `set` becomes `list` with `@uniqueItems`;
//! - a `string` with the 1.0 `@enum` trait becomes an `enum` shape (the trait stays, as
//!   `Traits::enum_definitions`);
//! - `@box` is dropped.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::prelude::{is_boxed_in_v1, zero_value};
use super::traits::{
    enum_definitions, TraitMap, BOX, DEFAULT, DEPRECATED, DOCUMENTATION, ENUM, ENUM_VALUE,
    UNIQUE_ITEMS,
};
use super::{WorkMember, WorkShape};
use crate::error::{CodegenError, Result};
use crate::model::{ShapeId, ShapeType};
use crate::parse::SmithyVersion;

pub(super) fn lower(shapes: &mut BTreeMap<ShapeId, WorkShape>) -> Result<()> {
    // Targets that were primitive (non-nullable) in Smithy 1.0, with their zero values.
    let unboxed: BTreeMap<ShapeId, Value> = shapes
        .values()
        .filter(|s| !s.traits.contains_key(BOX) && !is_boxed_in_v1(&s.id))
        .filter_map(|s| zero_value(s.ty).map(|z| (s.id.clone(), z)))
        .collect();
    for shape in shapes.values_mut() {
        if shape.ty == ShapeType::Set {
            shape.ty = ShapeType::List;
            shape.traits.insert(UNIQUE_ITEMS.to_string(), json!({}));
        }
        if shape.ty == ShapeType::String && shape.members.is_empty() {
            if let Some(value) = shape.traits.get(ENUM) {
                let definitions = enum_definitions(value).map_err(|e| {
                    CodegenError::new(e)
                        .in_file(&shape.source)
                        .at_shape(&shape.id)
                })?;
                shape.members = enum_members(&definitions).map_err(|e| {
                    CodegenError::new(e)
                        .in_file(&shape.source)
                        .at_shape(&shape.id)
                })?;
                shape.ty = ShapeType::Enum;
            }
        }
        if shape.version == SmithyVersion::V1 && shape.ty == ShapeType::Structure {
            for member in &mut shape.members {
                if member.traits.contains_key(BOX) || member.traits.contains_key(DEFAULT) {
                    continue;
                }
                if let Some(zero) = unboxed.get(&member.target) {
                    member.traits.insert(DEFAULT.to_string(), zero.clone());
                }
            }
        }
        shape.traits.remove(BOX);
        for member in &mut shape.members {
            member.traits.remove(BOX);
        }
    }
    Ok(())
}

/// A 1.0 enum value as a member name: characters outside `[A-Za-z0-9_]` become `_`, and a
/// leading digit gets a `_` in front (`us-east-1` → `us_east_1`, `1x` → `_1x`).
pub fn value_to_identifier(value: &str) -> String {
    let mut out: String = value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

fn enum_members(
    definitions: &[crate::model::EnumDefinition],
) -> std::result::Result<Vec<WorkMember>, String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for def in definitions {
        let name = def
            .name
            .clone()
            .unwrap_or_else(|| value_to_identifier(&def.value));
        if !seen.insert(name.clone()) {
            return Err(format!(
                "the @enum value \"{}\" gives member name `{name}`, which another value already has",
                def.value
            ));
        }
        let mut traits = TraitMap::new();
        traits.insert(ENUM_VALUE.to_string(), Value::String(def.value.clone()));
        if let Some(doc) = &def.documentation {
            traits.insert(DOCUMENTATION.to_string(), Value::String(doc.clone()));
        }
        if def.deprecated {
            traits.insert(DEPRECATED.to_string(), json!({}));
        }
        out.push(WorkMember {
            name,
            target: ShapeId::prelude("Unit"),
            traits,
        });
    }
    Ok(out)
}
