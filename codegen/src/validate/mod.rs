//! Stage 4: validate the assembled model, in two scopes.
//!
//! - The whole model ([`validate`]): what makes it a model at all, whatever is generated
//!   from it. Every reference resolves and points at the right kind of shape (operation
//!   input/output/errors, service and resource lists); member names are identifiers, unique
//!   ignoring case, and present where the shape type needs them (a list's `member`, a map's
//!   `key`/`value`, none on simple shapes); traits are defined, placed where they may be and
//!   have valid values (`@length`, `@range`, `@error`, conflicting HTTP bindings, ...).
//! - The selected closure ([`validate_closure`]): what only matters for the code generated
//!   for a shape, so a broken shape no selected operation reaches does not stop a crate of
//!   other operations. Map keys target strings; enum members and values; an operation's
//!   `@http` URI agrees with its `@httpLabel` members and its `@httpPayload` with the other
//!   bindings; member names stay distinct after snake_casing; no structure contains itself
//!   through required members. (`@pattern`s the runtime cannot compile are warnings, also
//!   only for the closure: `patterns::unsupported_in`.)
//!
//! Shapes are checked in `BTreeMap` order and the first error wins, so the message for a bad
//! model is always the same; the whole model is checked before the closure.

mod http;
mod known_traits;
pub mod patterns;

use std::collections::{BTreeMap, BTreeSet};

use crate::closure::Closure;
use crate::error::{CodegenError, Result};
use crate::index::Index;
use crate::model::{EnumValue, Member, Model, Shape, ShapeId, ShapeType, Traits};

/// Checks the whole model: references, ids and traits. The first problem found is the error.
pub fn validate(model: &Model) -> Result<()> {
    for shape in model.shapes.values() {
        check_shape(model, shape)?;
    }
    Ok(())
}

/// Checks what generating the closure's shapes needs (see the [module docs](self)). The
/// model must have passed [`validate`].
pub fn validate_closure(model: &Model, closure: &Closure) -> Result<()> {
    let index = Index::new(model);
    for id in &closure.shapes {
        if let Some(shape) = model.shapes.get(id) {
            check_generated_shape(model, &index, shape)?;
        }
    }
    Ok(())
}

fn check_shape(model: &Model, shape: &Shape) -> Result<()> {
    check_references(model, shape)?;
    check_members(shape)?;
    check_traits(model, shape, None, &shape.traits)?;
    for member in &shape.members {
        check_traits(model, shape, Some(member), &member.traits)?;
    }
    check_kinds(model, shape)?;
    if shape.ty.is_aggregate() {
        check_case_collisions(shape)?;
    }
    Ok(())
}

fn check_generated_shape(model: &Model, index: &Index<'_>, shape: &Shape) -> Result<()> {
    match shape.ty {
        ShapeType::Map => check_map_key(model, shape)?,
        ShapeType::Enum | ShapeType::IntEnum => check_enum(shape)?,
        ShapeType::Operation => http::check_operation(model, shape)?,
        _ => {}
    }
    if matches!(shape.ty, ShapeType::Structure | ShapeType::Union) {
        check_snake_case_collisions(shape)?;
    }
    if shape.ty == ShapeType::Structure {
        check_recursion(model, index, shape)?;
    }
    Ok(())
}

fn err(shape: &Shape, message: impl Into<String>) -> CodegenError {
    CodegenError::new(message)
        .in_file(&shape.source)
        .at_shape(&shape.id)
}

fn member_err(shape: &Shape, member: &Member, message: impl Into<String>) -> CodegenError {
    err(shape, message).at_member(member.name.as_str())
}

/// `a` or `an` for a shape type name.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o']) {
        "an"
    } else {
        "a"
    }
}

fn a(ty: ShapeType) -> String {
    format!("{} {}", article(ty.as_ast()), ty.as_ast())
}

/// A Smithy identifier: a letter, or `_` followed by at least one letter or digit; then
/// letters, digits and `_`.
pub(crate) fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => chars.all(|c| c.is_ascii_alphanumeric() || c == '_'),
        Some('_') => {
            let rest = chars.as_str();
            rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && rest.chars().any(|c| c.is_ascii_alphanumeric())
        }
        _ => false,
    }
}

/// The Rust field name a member gets (the naming stage's own function, so this check and the
/// generated code agree); two members of one structure must not share it.
use crate::naming::case::snake_case;

// ---------------------------------------------------------------------------------------------
// References

fn exists(model: &Model, id: &ShapeId) -> bool {
    model.shapes.contains_key(id)
}

fn check_references(model: &Model, shape: &Shape) -> Result<()> {
    for member in &shape.members {
        if !exists(model, &member.target) {
            return Err(member_err(
                shape,
                member,
                format!("target `{}` does not exist", member.target),
            ));
        }
    }
    let missing =
        |what: &str, id: &ShapeId| Err(err(shape, format!("{what} `{id}` does not exist")));
    if let Some(op) = &shape.operation {
        for (what, id) in [("input", &op.input), ("output", &op.output)] {
            if let Some(id) = id {
                if !exists(model, id) {
                    return missing(what, id);
                }
            }
        }
        for id in &op.errors {
            if !exists(model, id) {
                return missing("error", id);
            }
        }
    }
    if let Some(svc) = &shape.service {
        let lists = [
            ("operation", &svc.operations),
            ("resource", &svc.resources),
            ("error", &svc.errors),
        ];
        for (what, ids) in lists {
            for id in ids {
                if !exists(model, id) {
                    return missing(what, id);
                }
            }
        }
    }
    if let Some(res) = &shape.resource {
        for (name, id) in &res.identifiers {
            if !exists(model, id) {
                return missing(&format!("identifier `{name}`: target"), id);
            }
        }
        for (name, id) in &res.properties {
            if !exists(model, id) {
                return missing(&format!("property `{name}`: target"), id);
            }
        }
        for (what, id) in resource_refs(res) {
            if !exists(model, id) {
                return missing(what, id);
            }
        }
    }
    Ok(())
}

/// A resource's operation and child-resource references, with their field names.
fn resource_refs(res: &crate::model::ResourceInfo) -> Vec<(&'static str, &ShapeId)> {
    let mut out = Vec::new();
    for (what, id) in [
        ("create operation", &res.create),
        ("put operation", &res.put),
        ("read operation", &res.read),
        ("update operation", &res.update),
        ("delete operation", &res.delete),
        ("list operation", &res.list),
    ] {
        if let Some(id) = id {
            out.push((what, id));
        }
    }
    out.extend(res.operations.iter().map(|id| ("operation", id)));
    out.extend(
        res.collection_operations
            .iter()
            .map(|id| ("collection operation", id)),
    );
    out.extend(res.resources.iter().map(|id| ("resource", id)));
    out
}

// ---------------------------------------------------------------------------------------------
// Members

fn check_members(shape: &Shape) -> Result<()> {
    if !shape.ty.is_aggregate() {
        if let Some(first) = shape.members.first() {
            return Err(err(
                shape,
                format!(
                    "{} shape cannot have members (found `{}`)",
                    a(shape.ty),
                    first.name
                ),
            ));
        }
        return Ok(());
    }
    for member in &shape.members {
        if !is_identifier(&member.name) {
            return Err(member_err(
                shape,
                member,
                format!("member name `{}` is not a valid identifier", member.name),
            ));
        }
    }
    match shape.ty {
        ShapeType::List | ShapeType::Set if shape.list_member().is_none() => {
            return Err(err(shape, "a list needs a `member`"));
        }
        ShapeType::Map => {
            if shape.member("key").is_none() {
                return Err(err(shape, "a map needs a `key`"));
            }
            if shape.member("value").is_none() {
                return Err(err(shape, "a map needs a `value`"));
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_map_key(model: &Model, shape: &Shape) -> Result<()> {
    let Some(key) = shape.member("key") else {
        return Ok(());
    };
    match model.shapes.get(&key.target) {
        Some(target) if !matches!(target.ty, ShapeType::String | ShapeType::Enum) => {
            Err(member_err(
                shape,
                key,
                format!(
                    "a map key must target a string, not `{}` ({})",
                    target.id,
                    a(target.ty)
                ),
            ))
        }
        _ => Ok(()),
    }
}

fn check_enum(shape: &Shape) -> Result<()> {
    if shape.members.is_empty() {
        return Err(err(
            shape,
            format!("{} needs at least one member", a(shape.ty)),
        ));
    }
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for member in &shape.members {
        if !member.target.is_unit() {
            return Err(member_err(
                shape,
                member,
                format!(
                    "enum members must target `smithy.api#Unit`, not `{}`",
                    member.target
                ),
            ));
        }
        let value = match (shape.ty, &member.traits.enum_value) {
            (ShapeType::Enum, Some(EnumValue::String(s))) => {
                if s.is_empty() {
                    return Err(member_err(shape, member, "enum value must not be empty"));
                }
                format!("\"{s}\"")
            }
            (ShapeType::Enum, _) => {
                return Err(member_err(shape, member, "enum value must be a string"))
            }
            (_, Some(EnumValue::Int(i))) => i.to_string(),
            _ => {
                return Err(member_err(
                    shape,
                    member,
                    "intEnum member needs an integer @enumValue",
                ))
            }
        };
        if let Some(first) = seen.get(&value) {
            return Err(member_err(
                shape,
                member,
                format!("enum value {value} is also the value of member `{first}`"),
            ));
        }
        seen.insert(value, member.name.as_str());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Traits

fn is_number(ty: ShapeType) -> bool {
    matches!(
        ty,
        ShapeType::Byte
            | ShapeType::Short
            | ShapeType::Integer
            | ShapeType::IntEnum
            | ShapeType::Long
            | ShapeType::Float
            | ShapeType::Double
            | ShapeType::BigInteger
            | ShapeType::BigDecimal
    )
}

fn has_length(ty: ShapeType) -> bool {
    matches!(
        ty,
        ShapeType::String
            | ShapeType::Enum
            | ShapeType::Blob
            | ShapeType::List
            | ShapeType::Set
            | ShapeType::Map
    )
}

/// `a < b`, `a == b` or `a > b` for JSON numbers, exact for integers.
fn compare(a: &serde_json::Number, b: &serde_json::Number) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

fn check_traits(
    model: &Model,
    shape: &Shape,
    member: Option<&Member>,
    traits: &Traits,
) -> Result<()> {
    let fail = |message: String| match member {
        Some(m) => Err(member_err(shape, m, message)),
        None => Err(err(shape, message)),
    };
    // The type the traits constrain: the shape's own, or a member's target's.
    let ty = match member {
        Some(m) => match model.shapes.get(&m.target) {
            Some(t) => t.ty,
            None => return Ok(()),
        },
        None => shape.ty,
    };
    let subject = match member {
        Some(_) => format!("the member targets {}", a(ty)),
        None => format!("this is {}", a(ty)),
    };
    if let Some(id) = traits
        .other
        .keys()
        .find(|id| !known_traits::is_defined(model, id))
    {
        return fail(format!("trait `{id}` is not defined"));
    }
    if traits.idempotency_token
        && !(member.is_some() && matches!(ty, ShapeType::String | ShapeType::Enum))
    {
        return fail(format!(
            "@idempotencyToken is only allowed on members that target strings ({subject})"
        ));
    }
    if let Some(length) = &traits.length {
        if !has_length(ty) {
            return fail(format!(
                "@length is only allowed on strings, blobs, lists and maps ({subject})"
            ));
        }
        if let (Some(min), Some(max)) = (length.min, length.max) {
            if min > max {
                return fail(format!("@length min {min} is greater than max {max}"));
            }
        }
    }
    if let Some(range) = &traits.range {
        if !is_number(ty) {
            return fail(format!("@range is only allowed on numbers ({subject})"));
        }
        if let (Some(min), Some(max)) = (&range.min, &range.max) {
            if compare(min, max) == Some(std::cmp::Ordering::Greater) {
                return fail(format!("@range min {min} is greater than max {max}"));
            }
        }
    }
    if traits.error.is_some() && (member.is_some() || shape.ty != ShapeType::Structure) {
        return fail(format!("@error is only allowed on structures ({subject})"));
    }
    let bindings = [
        ("@httpLabel", traits.http_label),
        ("@httpQuery", traits.http_query.is_some()),
        ("@httpQueryParams", traits.http_query_params),
        ("@httpHeader", traits.http_header.is_some()),
        ("@httpPrefixHeaders", traits.http_prefix_headers.is_some()),
        ("@httpPayload", traits.http_payload),
        ("@httpResponseCode", traits.http_response_code),
    ];
    let mut present = bindings.iter().filter(|(_, on)| *on).map(|(n, _)| *n);
    if let (Some(first), Some(second)) = (present.next(), present.next()) {
        return fail(format!("conflicting traits {first} and {second}"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Kinds of referenced shapes

fn check_kinds(model: &Model, shape: &Shape) -> Result<()> {
    let kind_of = |id: &ShapeId| model.shapes.get(id);
    if let Some(op) = &shape.operation {
        for (what, id) in [("input", &op.input), ("output", &op.output)] {
            if let Some(target) = id.as_ref().and_then(kind_of) {
                if target.ty != ShapeType::Structure {
                    return Err(err(
                        shape,
                        format!(
                            "{what} `{}` must be a structure, not {}",
                            target.id,
                            a(target.ty)
                        ),
                    ));
                }
            }
        }
        for id in &op.errors {
            check_error_shape(shape, kind_of(id))?;
        }
    }
    if let Some(svc) = &shape.service {
        for id in &svc.operations {
            if let Some(target) = kind_of(id) {
                if target.ty != ShapeType::Operation {
                    return Err(err(
                        shape,
                        format!(
                            "`operations` lists `{}`, which is {}, not an operation",
                            target.id,
                            a(target.ty)
                        ),
                    ));
                }
            }
        }
        for id in &svc.resources {
            check_is_resource(shape, kind_of(id))?;
        }
        for id in &svc.errors {
            check_error_shape(shape, kind_of(id))?;
        }
    }
    if let Some(res) = &shape.resource {
        for (what, id) in resource_refs(res) {
            let Some(target) = kind_of(id) else { continue };
            let want = if what == "resource" {
                ShapeType::Resource
            } else {
                ShapeType::Operation
            };
            if target.ty != want {
                return Err(err(
                    shape,
                    format!(
                        "{what} `{}` must be {}, not {}",
                        target.id,
                        a(want),
                        a(target.ty)
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn check_is_resource(shape: &Shape, target: Option<&Shape>) -> Result<()> {
    match target {
        Some(t) if t.ty != ShapeType::Resource => Err(err(
            shape,
            format!(
                "`resources` lists `{}`, which is {}, not a resource",
                t.id,
                a(t.ty)
            ),
        )),
        _ => Ok(()),
    }
}

fn check_error_shape(shape: &Shape, target: Option<&Shape>) -> Result<()> {
    match target {
        Some(t) if t.ty != ShapeType::Structure || t.traits.error.is_none() => Err(err(
            shape,
            format!("error `{}` must be a structure with @error", t.id),
        )),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Names

/// Smithy member names are unique ignoring case.
fn check_case_collisions(shape: &Shape) -> Result<()> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for member in &shape.members {
        let lower = member.name.to_lowercase();
        if let Some(first) = seen.get(&lower) {
            return Err(member_err(
                shape,
                member,
                format!(
                    "members `{first}` and `{}` differ only in case",
                    member.name
                ),
            ));
        }
        seen.insert(lower, member.name.as_str());
    }
    Ok(())
}

fn check_snake_case_collisions(shape: &Shape) -> Result<()> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for member in &shape.members {
        let snake = snake_case(&member.name);
        if let Some(first) = seen.get(&snake) {
            return Err(member_err(
                shape,
                member,
                format!(
                    "members `{first}` and `{}` have the same snake_case name `{snake}`",
                    member.name
                ),
            ));
        }
        seen.insert(snake, member.name.as_str());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Infinitely sized structures

/// A structure that reaches itself through non-optional structure members (no list, map or
/// union in between) could never be built.
fn check_recursion(model: &Model, index: &Index<'_>, start: &Shape) -> Result<()> {
    let edge = |container: &Shape, member: &Member| -> Option<ShapeId> {
        let target = model.shapes.get(&member.target)?;
        (target.ty == ShapeType::Structure && !index.is_optional(container, member))
            .then(|| target.id.clone())
    };
    let mut visited: BTreeSet<ShapeId> = BTreeSet::new();
    visited.insert(start.id.clone());
    // Depth-first, members in declaration order: (shape, next member index) and the member
    // names taken to reach each entry after the first.
    let mut path: Vec<(ShapeId, usize)> = vec![(start.id.clone(), 0)];
    let mut via: Vec<String> = Vec::new();
    while let Some((id, next)) = path.last_mut() {
        let Some(shape) = model.shapes.get(id) else {
            path.pop();
            via.pop();
            continue;
        };
        let Some(member) = shape.members.get(*next) else {
            path.pop();
            via.pop();
            continue;
        };
        *next += 1;
        let Some(target) = edge(shape, member) else {
            continue;
        };
        if target == start.id {
            via.push(member.name.clone());
            let steps: Vec<String> = path
                .iter()
                .zip(via.iter())
                .map(|((id, _), name)| format!("{id}${name}"))
                .chain(std::iter::once(start.id.to_string()))
                .collect();
            let first_member = via.first().cloned().unwrap_or_default();
            return Err(err(
                start,
                format!(
                    "the structure contains itself through required members ({}), so it would be infinitely large",
                    steps.join(" → ")
                ),
            )
            .at_member(first_member));
        }
        if visited.insert(target.clone()) {
            via.push(member.name.clone());
            path.push((target, 0));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
