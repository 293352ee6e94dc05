//! Stage 3: assemble parsed files into one typed `Model`.
//!
//! In order: merge the files' shapes (a shape defined in two files must be defined the same
//! way) and metadata; add the `smithy.api` prelude; resolve relative trait ids; apply `apply`
//! statements; resolve mixins; lower Smithy 1.0 semantics to 2.0 (see `lower`); type the
//! traits into `model::Traits`. Enum members without `@enumValue` get their name as value.

mod lower;
mod mixins;
pub mod prelude;
mod traits;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::error::{CodegenError, Result};
use crate::model::{
    EnumValue, Member, Model, OperationInfo, ResourceInfo, ServiceInfo, Shape, ShapeId, ShapeType,
};
use crate::parse::{ModelFile, RawApply, RawShape, SmithyVersion};

pub use lower::value_to_identifier;
use traits::TraitMap;

/// A shape between parsing and typing: trait ids resolved, values still JSON.
#[derive(Debug, Clone)]
pub(crate) struct WorkShape {
    pub id: ShapeId,
    pub ty: ShapeType,
    pub traits: TraitMap,
    pub members: Vec<WorkMember>,
    pub mixins: Vec<ShapeId>,
    pub operation: Option<OperationInfo>,
    pub service: Option<ServiceInfo>,
    pub resource: Option<ResourceInfo>,
    pub source: PathBuf,
    pub version: SmithyVersion,
}

#[derive(Debug, Clone)]
pub(crate) struct WorkMember {
    pub name: String,
    pub target: ShapeId,
    pub traits: TraitMap,
}

/// Assembles the parsed files (in order) into one typed model.
pub fn assemble(files: Vec<ModelFile>) -> Result<Model> {
    let mut defined: BTreeMap<ShapeId, (RawShape, PathBuf, SmithyVersion)> = BTreeMap::new();
    let mut metadata: BTreeMap<String, (Value, PathBuf)> = BTreeMap::new();
    let mut applies: Vec<(RawApply, PathBuf)> = Vec::new();
    for file in files {
        for (key, value) in file.metadata {
            merge_metadata(&mut metadata, key, value, &file.path)?;
        }
        for shape in file.shapes {
            if shape.id.is_prelude() {
                return Err(CodegenError::new(
                    "shapes cannot be defined in the prelude namespace `smithy.api`",
                )
                .in_file(&file.path)
                .at_shape(&shape.id));
            }
            if let Some((existing, first, _)) = defined.get(&shape.id) {
                if *existing == shape {
                    continue;
                }
                return Err(CodegenError::new(format!(
                    "defined differently in {} and {}",
                    first.display(),
                    file.path.display()
                ))
                .in_file(&file.path)
                .at_shape(&shape.id));
            }
            defined.insert(shape.id.clone(), (shape, file.path.clone(), file.version));
        }
        for apply in file.applies {
            applies.push((apply, file.path.clone()));
        }
    }

    let mut shapes: BTreeMap<ShapeId, WorkShape> = BTreeMap::new();
    for shape in prelude::shapes() {
        shapes.insert(shape.id.clone(), shape);
    }
    for (id, (raw, source, version)) in defined {
        let work = work_shape(raw, source, version)?;
        shapes.insert(id, work);
    }

    // `apply` to shapes and to members they declare themselves now; to members that come from
    // mixins once the mixins are resolved.
    let mut applied = AppliedFrom::new();
    let mut deferred = Vec::new();
    for (apply, file) in applies {
        if !apply_traits(&mut shapes, &mut applied, &apply, &file, false)? {
            deferred.push((apply, file));
        }
    }
    mixins::resolve(&mut shapes)?;
    for (apply, file) in deferred {
        apply_traits(&mut shapes, &mut applied, &apply, &file, true)?;
    }

    lower::lower(&mut shapes)?;

    let mut model = Model {
        shapes: BTreeMap::new(),
        metadata: metadata.into_iter().map(|(k, (v, _))| (k, v)).collect(),
    };
    for (id, shape) in shapes {
        model.shapes.insert(id, typed_shape(shape)?);
    }
    Ok(model)
}

/// Smithy's metadata merge: equal values are fine, arrays are concatenated, anything else
/// is a conflict naming both files.
fn merge_metadata(
    metadata: &mut BTreeMap<String, (Value, PathBuf)>,
    key: String,
    value: Value,
    file: &PathBuf,
) -> Result<()> {
    match metadata.get_mut(&key) {
        None => {
            metadata.insert(key, (value, file.clone()));
        }
        Some((existing, _)) if *existing == value => {}
        Some((Value::Array(items), _)) if value.is_array() => {
            if let Value::Array(more) = value {
                items.extend(more);
            }
        }
        Some((_, first)) => {
            return Err(CodegenError::new(format!(
                "metadata `{key}` conflicts with the value in {}",
                first.display()
            ))
            .in_file(file))
        }
    }
    Ok(())
}

fn work_shape(raw: RawShape, source: PathBuf, version: SmithyVersion) -> Result<WorkShape> {
    let at_shape = |e: String| CodegenError::new(e).in_file(&source).at_shape(&raw.id);
    let traits = traits::resolve_ids(&raw.traits).map_err(at_shape)?;
    let mut members = Vec::new();
    for m in &raw.members {
        let member_traits =
            traits::resolve_ids(&m.traits).map_err(|e| at_shape(e).at_member(m.name.as_str()))?;
        members.push(WorkMember {
            name: m.name.clone(),
            target: m.target.clone(),
            traits: member_traits,
        });
    }
    Ok(WorkShape {
        id: raw.id.clone(),
        ty: raw.ty,
        traits,
        members,
        mixins: raw.mixins.clone(),
        operation: raw.operation.clone(),
        service: raw.service.clone(),
        resource: raw.resource.clone(),
        source: source.clone(),
        version,
    })
}

/// Which file applied each trait: (shape, member, trait id) → file. A trait that is not here
/// came with the shape's definition.
type AppliedFrom = BTreeMap<(ShapeId, Option<String>, String), PathBuf>;

/// Applies one `apply`. Returns `false` (nothing done) when the target member is not declared
/// by the shape itself but may come from a mixin and `last_chance` is not set.
fn apply_traits(
    shapes: &mut BTreeMap<ShapeId, WorkShape>,
    applied: &mut AppliedFrom,
    apply: &RawApply,
    file: &PathBuf,
    last_chance: bool,
) -> Result<bool> {
    let target = apply.target_text();
    let Some(shape) = shapes.get_mut(&apply.shape) else {
        return Err(
            CodegenError::new("`apply` targets a shape that does not exist")
                .in_file(file)
                .at_shape_text(target),
        );
    };
    let resolved = traits::resolve_ids(&apply.traits).map_err(|e| {
        CodegenError::new(e)
            .in_file(file)
            .at_shape_text(target.as_str())
    })?;
    let source = shape.source.clone();
    let into = match &apply.member {
        None => &mut shape.traits,
        Some(name) => match shape.members.iter_mut().find(|m| &m.name == name) {
            Some(member) => &mut member.traits,
            None if !last_chance && !shape.mixins.is_empty() => return Ok(false),
            None => {
                return Err(
                    CodegenError::new("`apply` targets a member that does not exist")
                        .in_file(file)
                        .at_shape_text(target),
                )
            }
        },
    };
    for (id, value) in resolved {
        let key = (apply.shape.clone(), apply.member.clone(), id.clone());
        if traits::merge_trait(into, id.clone(), value).is_err() {
            let first = applied.get(&key).unwrap_or(&source);
            return Err(CodegenError::new(format!(
                "`apply` gives trait `{id}` a value that conflicts with the one from {}",
                first.display()
            ))
            .in_file(file)
            .at_shape_text(target.as_str()));
        }
        applied.entry(key).or_insert_with(|| file.clone());
    }
    Ok(true)
}

fn typed_shape(shape: WorkShape) -> Result<Shape> {
    let error = |e: String| {
        CodegenError::new(e)
            .in_file(&shape.source)
            .at_shape(&shape.id)
    };
    let shape_traits = traits::type_traits(&shape.traits).map_err(error)?;
    let mut members = Vec::new();
    for m in &shape.members {
        // Smithy 2.0 moved `@sensitive` off members (1.0 allowed it there).
        if shape.version == SmithyVersion::V2 && m.traits.contains_key(traits::SENSITIVE) {
            return Err(error(
                "@sensitive is not allowed on members; put it on the target shape".to_string(),
            )
            .at_member(m.name.as_str()));
        }
        let mut member_traits =
            traits::type_traits(&m.traits).map_err(|e| error(e).at_member(m.name.as_str()))?;
        if shape.ty == ShapeType::Enum && member_traits.enum_value.is_none() {
            member_traits.enum_value = Some(EnumValue::String(m.name.clone()));
        }
        members.push(Member {
            name: m.name.clone(),
            target: m.target.clone(),
            traits: member_traits,
        });
    }
    let operation = shape.operation.clone().map(|mut op| {
        op.input = op.input.filter(|id| !id.is_unit());
        op.output = op.output.filter(|id| !id.is_unit());
        op
    });
    Ok(Shape {
        id: shape.id.clone(),
        ty: shape.ty,
        traits: shape_traits,
        members,
        operation,
        service: shape.service.clone(),
        resource: shape.resource.clone(),
        source: shape.source.clone(),
    })
}

#[cfg(test)]
mod tests;
