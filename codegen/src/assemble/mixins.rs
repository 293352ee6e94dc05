//! Mixin resolution: a shape that uses mixins gets their members (first, in mixin order) and
//! their traits (except `@mixin` itself and the mixin's `localTraits`); its own members and
//! traits come after and win. Mixins of mixins are resolved first; a cycle is an error.

use std::collections::{BTreeMap, BTreeSet};

use super::traits::{local_traits, MIXIN};
use super::{WorkMember, WorkShape};
use crate::error::{CodegenError, Result};
use crate::model::{OperationInfo, ResourceInfo, ServiceInfo, ShapeId};

pub(super) fn resolve(shapes: &mut BTreeMap<ShapeId, WorkShape>) -> Result<()> {
    let with_mixins: Vec<ShapeId> = shapes
        .values()
        .filter(|s| !s.mixins.is_empty())
        .map(|s| s.id.clone())
        .collect();
    let mut done = BTreeSet::new();
    for id in with_mixins {
        let mut stack = Vec::new();
        resolve_one(&id, shapes, &mut done, &mut stack)?;
    }
    Ok(())
}

fn error(shape: &WorkShape, message: String) -> CodegenError {
    CodegenError::new(message)
        .in_file(&shape.source)
        .at_shape(&shape.id)
}

fn resolve_one(
    id: &ShapeId,
    shapes: &mut BTreeMap<ShapeId, WorkShape>,
    done: &mut BTreeSet<ShapeId>,
    stack: &mut Vec<ShapeId>,
) -> Result<()> {
    if done.contains(id) {
        return Ok(());
    }
    if let Some(pos) = stack.iter().position(|s| s == id) {
        let cycle: Vec<String> = stack
            .get(pos..)
            .unwrap_or_default()
            .iter()
            .chain(std::iter::once(id))
            .map(ToString::to_string)
            .collect();
        let start = stack.get(pos).and_then(|s| shapes.get(s));
        let message = format!("mixin cycle: {}", cycle.join(" → "));
        return Err(match start {
            Some(shape) => error(shape, message),
            None => CodegenError::new(message).at_shape(id),
        });
    }
    let Some(shape) = shapes.get(id) else {
        return Ok(());
    };
    let mixin_ids = shape.mixins.clone();
    stack.push(id.clone());
    for mixin_id in &mixin_ids {
        let shape = shapes
            .get(id)
            .ok_or_else(|| CodegenError::new("internal: shape vanished"))?;
        let Some(mixin) = shapes.get(mixin_id) else {
            return Err(error(shape, format!("mixin `{mixin_id}` does not exist")));
        };
        if !mixin.traits.contains_key(MIXIN) {
            return Err(error(
                shape,
                format!("`{mixin_id}` is used as a mixin but has no @mixin trait"),
            ));
        }
        if mixin.ty != shape.ty {
            return Err(error(
                shape,
                format!(
                    "mixin `{mixin_id}` is {} {}, but the shape is {} {}",
                    article(mixin.ty.as_ast()),
                    mixin.ty.as_ast(),
                    article(shape.ty.as_ast()),
                    shape.ty.as_ast()
                ),
            ));
        }
        resolve_one(mixin_id, shapes, done, stack)?;
    }
    stack.pop();
    let shape = shapes
        .get(id)
        .ok_or_else(|| CodegenError::new("internal: shape vanished"))?;
    let flattened = flatten(shape, shapes)?;
    shapes.insert(id.clone(), flattened);
    done.insert(id.clone());
    Ok(())
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o']) {
        "an"
    } else {
        "a"
    }
}

fn push_unique(into: &mut Vec<ShapeId>, from: &[ShapeId]) {
    for id in from {
        if !into.contains(id) {
            into.push(id.clone());
        }
    }
}

/// The shape with its (already resolved) mixins' members and traits folded in.
fn flatten(shape: &WorkShape, shapes: &BTreeMap<ShapeId, WorkShape>) -> Result<WorkShape> {
    let mut out = shape.clone();
    let mut members: Vec<WorkMember> = Vec::new();
    let mut traits = super::traits::TraitMap::new();
    let mut operation = OperationInfo::default();
    let mut service = ServiceInfo::default();
    let mut resource = ResourceInfo::default();
    for mixin_id in &shape.mixins {
        let Some(mixin) = shapes.get(mixin_id) else {
            return Err(error(shape, format!("mixin `{mixin_id}` does not exist")));
        };
        let mut local: BTreeSet<String> = BTreeSet::new();
        local.insert(MIXIN.to_string());
        if let Some(value) = mixin.traits.get(MIXIN) {
            let ids = local_traits(value).map_err(|e| error(mixin, e))?;
            local.extend(ids);
        }
        for (k, v) in &mixin.traits {
            if !local.contains(k) {
                traits.insert(k.clone(), v.clone());
            }
        }
        for m in &mixin.members {
            match members.iter_mut().find(|x| x.name == m.name) {
                Some(existing) if existing.target != m.target => {
                    return Err(error(
                        shape,
                        format!(
                        "member `{}` comes from two mixins with different targets (`{}` and `{}`)",
                        m.name, existing.target, m.target
                    ),
                    )
                    .at_member(m.name.as_str()))
                }
                Some(existing) => existing.traits.extend(m.traits.clone()),
                None => members.push(m.clone()),
            }
        }
        if let Some(op) = &mixin.operation {
            if operation.input.is_none() {
                operation.input = op.input.clone();
            }
            if operation.output.is_none() {
                operation.output = op.output.clone();
            }
            push_unique(&mut operation.errors, &op.errors);
        }
        if let Some(svc) = &mixin.service {
            if service.version.is_empty() {
                service.version = svc.version.clone();
            }
            push_unique(&mut service.operations, &svc.operations);
            push_unique(&mut service.resources, &svc.resources);
            push_unique(&mut service.errors, &svc.errors);
            service.rename.extend(svc.rename.clone());
        }
        if let Some(res) = &mixin.resource {
            merge_resource(&mut resource, res);
        }
    }
    for (k, v) in &shape.traits {
        traits.insert(k.clone(), v.clone());
    }
    for m in &shape.members {
        match members.iter_mut().find(|x| x.name == m.name) {
            Some(existing) if existing.target != m.target => {
                return Err(error(
                    shape,
                    format!(
                        "member redefines a mixin member with a different target (`{}`, the mixin has `{}`)",
                        m.target, existing.target
                    ),
                )
                .at_member(m.name.as_str()))
            }
            Some(existing) => existing.traits.extend(m.traits.clone()),
            None => members.push(m.clone()),
        }
    }
    out.members = members;
    out.traits = traits;
    if let Some(op) = &shape.operation {
        if op.input.is_some() {
            operation.input = op.input.clone();
        }
        if op.output.is_some() {
            operation.output = op.output.clone();
        }
        push_unique(&mut operation.errors, &op.errors);
        out.operation = Some(operation);
    }
    if let Some(svc) = &shape.service {
        if !svc.version.is_empty() {
            service.version = svc.version.clone();
        }
        push_unique(&mut service.operations, &svc.operations);
        push_unique(&mut service.resources, &svc.resources);
        push_unique(&mut service.errors, &svc.errors);
        service.rename.extend(svc.rename.clone());
        out.service = Some(service);
    }
    if let Some(res) = &shape.resource {
        merge_resource(&mut resource, res);
        out.resource = Some(resource);
    }
    Ok(out)
}

/// Later values (the shape's own) win for the single-valued fields.
fn merge_resource(into: &mut ResourceInfo, from: &ResourceInfo) {
    into.identifiers.extend(from.identifiers.clone());
    into.properties.extend(from.properties.clone());
    for (slot, value) in [
        (&mut into.create, &from.create),
        (&mut into.put, &from.put),
        (&mut into.read, &from.read),
        (&mut into.update, &from.update),
        (&mut into.delete, &from.delete),
        (&mut into.list, &from.list),
    ] {
        if value.is_some() {
            *slot = value.clone();
        }
    }
    push_unique(&mut into.operations, &from.operations);
    push_unique(&mut into.collection_operations, &from.collection_operations);
    push_unique(&mut into.resources, &from.resources);
}
