//! What the protocol emitters need to know up front: each operation's bindings and errors,
//! which structures are operation inputs/outputs/errors (whose non-body members stay out of
//! JSON on the wire), and which types the wire reads or writes as JSON in the default build.

use std::collections::{BTreeMap, BTreeSet};

use crate::context::Context;
use crate::error::Result;
use crate::index::http::{self, Location, OperationBindings, StructureBindings};
use crate::model::{Shape, ShapeId, ShapeType};

/// One operation.
pub struct OperationPlan<'a> {
    pub shape: &'a Shape,
    pub bindings: OperationBindings<'a>,
    /// The input structure's id (synthetic for `smithy.api#Unit`).
    pub input: ShapeId,
    /// The output structure's id (synthetic for `smithy.api#Unit`).
    pub output: ShapeId,
    /// Modeled errors, with their response bindings.
    pub errors: Vec<StructureBindings<'a>>,
}

/// The role of a top-level structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Input,
    Output,
    Error,
}

/// A structure whose members may live outside the JSON body.
#[derive(Debug, Clone)]
pub struct TopLevel {
    pub role: Role,
    /// Members bound elsewhere than the body (label, query, header, payload, status).
    pub non_body: BTreeSet<String>,
}

pub struct Plan<'a> {
    pub operations: Vec<OperationPlan<'a>>,
    pub top_level: BTreeMap<ShapeId, TopLevel>,
    /// Named types the default build reads from JSON.
    pub wire_read: BTreeSet<ShapeId>,
    /// Named types the default build writes as JSON.
    pub wire_write: BTreeSet<ShapeId>,
}

fn non_body(bindings: &StructureBindings<'_>) -> BTreeSet<String> {
    bindings
        .members
        .iter()
        .filter(|b| !matches!(b.location, Location::Body(_)))
        .map(|b| b.member.name.clone())
        .collect()
}

impl<'a> Plan<'a> {
    pub fn new(ctx: &Context<'a>) -> Result<Plan<'a>> {
        let mut operations = Vec::new();
        let mut top_level = BTreeMap::new();
        let mut read_roots: Vec<ShapeId> = Vec::new();
        let mut write_roots: Vec<ShapeId> = Vec::new();
        let mut read = BTreeSet::new();
        let mut write = BTreeSet::new();
        for op_id in &ctx.closure.operations {
            let shape = ctx.index.get(op_id)?;
            let bindings = http::operation_bindings(ctx.index, shape)?;
            check_input_event_stream(ctx, op_id, &bindings)?;
            for (id, top) in input_event_structures(ctx, op_id)? {
                top_level.entry(id).or_insert(top);
            }
            let input = ctx.symbols.operation_input(op_id)?.clone();
            let output = ctx.symbols.operation_output(op_id)?.clone();
            if let Some(req) = &bindings.request {
                top_level.insert(
                    input.clone(),
                    TopLevel {
                        role: Role::Input,
                        non_body: non_body(req),
                    },
                );
                if req.has_body_members() {
                    write.insert(input.clone());
                    write_roots.extend(req.body().map(|b| b.member.target.clone()));
                }
                if let Some(p) = req.payload() {
                    write_roots.push(p.member.target.clone());
                }
            } else {
                top_level.insert(
                    input.clone(),
                    TopLevel {
                        role: Role::Input,
                        non_body: BTreeSet::new(),
                    },
                );
            }
            // The output is always read (an empty body reads as `{}`).
            read.insert(output.clone());
            if let Some(resp) = &bindings.response {
                top_level.insert(
                    output.clone(),
                    TopLevel {
                        role: Role::Output,
                        non_body: non_body(resp),
                    },
                );
                read_roots.extend(resp.body().map(|b| b.member.target.clone()));
                if let Some(p) = resp.payload() {
                    read_roots.push(p.member.target.clone());
                }
            } else {
                top_level.insert(
                    output.clone(),
                    TopLevel {
                        role: Role::Output,
                        non_body: BTreeSet::new(),
                    },
                );
            }
            let mut errors = Vec::new();
            for error in ctx.index.operation_errors(ctx.service, shape)? {
                let b = http::response_bindings(ctx.index, error)?;
                top_level.insert(
                    error.id.clone(),
                    TopLevel {
                        role: Role::Error,
                        non_body: non_body(&b),
                    },
                );
                read.insert(error.id.clone());
                read_roots.extend(b.body().map(|m| m.member.target.clone()));
                if let Some(p) = b.payload() {
                    read_roots.push(p.member.target.clone());
                }
                errors.push(b);
            }
            operations.push(OperationPlan {
                shape,
                bindings,
                input,
                output,
                errors,
            });
        }
        reach(ctx, read_roots, &mut read)?;
        reach(ctx, write_roots, &mut write)?;
        Ok(Plan {
            operations,
            top_level,
            wire_read: read,
            wire_write: write,
        })
    }
}

/// Adds every named type reachable from `roots` (through members) to `out`.
fn reach(ctx: &Context<'_>, roots: Vec<ShapeId>, out: &mut BTreeSet<ShapeId>) -> Result<()> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let shape = ctx.symbols.shape(&id)?;
        if ctx.symbols.has_type(&id) {
            out.insert(id.clone());
        }
        if matches!(
            shape.ty,
            ShapeType::Structure
                | ShapeType::Union
                | ShapeType::List
                | ShapeType::Set
                | ShapeType::Map
        ) {
            stack.extend(shape.members.iter().map(|m| m.target.clone()));
        }
    }
    Ok(())
}

/// Input event streams (a `@streaming` union in an operation's input), checked for what
/// restJson1 can send: the stream is the input's `@httpPayload` (the request body is its
/// frames), so every other input member must be bound to the URI or headers (restJson1 has no
/// `initial-request` message). Anything else is refused, naming the shape, member and
/// trait. (A union may also be an output stream; its exception members are the service's
/// to send and are not events of its type.)
fn check_input_event_stream(
    ctx: &Context<'_>,
    op: &ShapeId,
    bindings: &OperationBindings<'_>,
) -> Result<()> {
    let structure = ctx.symbols.operation_input(op)?;
    let Some(member) = ctx.symbols.event_stream_member(structure) else {
        return Ok(());
    };
    let target = ctx.symbols.shape(&member.target)?;
    let refuse = |message: String, shape: &ShapeId, member: &str| {
        Err(crate::error::CodegenError::new(message)
            .in_file(&target.source)
            .at_shape(shape)
            .at_member(member))
    };
    let request = bindings.request.as_ref();
    let is_payload = request
        .and_then(|r| r.payload())
        .is_some_and(|p| p.member.name == member.name);
    if !is_payload {
        return refuse(
            format!(
                "the input event stream `{}` (`smithy.api#streaming`) of operation `{op}` must be \
                 the input's `smithy.api#httpPayload` in restJson1",
                target.id
            ),
            structure,
            &member.name,
        );
    }
    if let Some(body) = request.and_then(|r| r.body().next()) {
        return refuse(
            format!(
                "operation `{op}` sends an event stream (`smithy.api#streaming` union `{}`) as \
                 its body, so this member must be bound to the URI or a header \
                 (`smithy.api#httpLabel`, `httpQuery`, `httpHeader`): restJson1 has no \
                 `initial-request` message",
                target.id
            ),
            structure,
            &body.member.name,
        );
    }
    Ok(())
}

/// The event structures of an input event stream: their `@eventHeader` and `@eventPayload`
/// members are not in their JSON payload.
fn input_event_structures(ctx: &Context<'_>, op: &ShapeId) -> Result<Vec<(ShapeId, TopLevel)>> {
    let structure = ctx.symbols.operation_input(op)?;
    let Some(member) = ctx.symbols.event_stream_member(structure) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for event in &ctx.symbols.shape(&member.target)?.members {
        if ctx.symbols.is_exception_event(event) {
            continue;
        }
        let shape = ctx.symbols.shape(&event.target)?;
        let non_body = shape
            .members
            .iter()
            .filter(|m| {
                m.traits.other("smithy.api#eventHeader").is_some()
                    || m.traits.other("smithy.api#eventPayload").is_some()
            })
            .map(|m| m.name.clone())
            .collect();
        out.push((
            shape.id.clone(),
            TopLevel {
                role: Role::Input,
                non_body,
            },
        ));
    }
    Ok(out)
}
