//! Read-only queries over a validated model: lookups, the service, operation shapes and
//! member nullability. Everything after `validate` asks the model through here.

pub mod auth;
pub mod http;

use crate::error::{CodegenError, Result};
use crate::model::{Member, Model, Shape, ShapeId, ShapeType};

#[derive(Debug, Clone, Copy)]
pub struct Index<'a> {
    pub model: &'a Model,
    /// The service to generate (`--service`), when the model holds several.
    selected_service: Option<&'a str>,
}

impl<'a> Index<'a> {
    pub fn new(model: &'a Model) -> Index<'a> {
        Index {
            model,
            selected_service: None,
        }
    }

    /// An index whose [`Index::service`] is the service `service` names (a shape id), or the
    /// model's only service when `None`.
    pub fn with_service(model: &'a Model, service: Option<&'a str>) -> Index<'a> {
        Index {
            model,
            selected_service: service,
        }
    }

    pub fn shape(&self, id: &ShapeId) -> Option<&'a Shape> {
        self.model.shapes.get(id)
    }

    /// A shape that validation proved exists. Returns an error rather than panicking, so a
    /// gap in validation surfaces as a message, not a crash.
    pub fn get(&self, id: &ShapeId) -> Result<&'a Shape> {
        self.shape(id)
            .ok_or_else(|| CodegenError::new(format!("shape `{id}` does not exist")).at_shape(id))
    }

    /// The shape a member targets.
    pub fn target(&self, member: &Member) -> Result<&'a Shape> {
        self.get(&member.target)
    }

    /// The one service shape of the model (outside the prelude).
    pub fn service(&self) -> Result<&'a Shape> {
        if let Some(wanted) = self.selected_service {
            return self
                .model
                .shapes
                .values()
                .find(|s| s.ty == ShapeType::Service && s.id.to_string() == wanted)
                .ok_or_else(|| {
                    let known: Vec<String> = self
                        .model
                        .shapes
                        .values()
                        .filter(|s| s.ty == ShapeType::Service && !s.id.is_prelude())
                        .map(|s| s.id.to_string())
                        .collect();
                    CodegenError::new(format!(
                        "--service `{wanted}` is not a service shape of the model (services: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ))
                });
        }
        let mut services = self
            .model
            .shapes
            .values()
            .filter(|s| s.ty == ShapeType::Service && !s.id.is_prelude());
        let first = services
            .next()
            .ok_or_else(|| CodegenError::new("the model has no service shape"))?;
        if let Some(second) = services.next() {
            return Err(CodegenError::new(format!(
                "the model has more than one service shape (`{}` and `{}`); choose one with --service SHAPE_ID",
                first.id, second.id
            ))
            .in_file(&second.source));
        }
        Ok(first)
    }

    /// Every operation of a service, directly listed or bound through its resources
    /// (recursively), sorted by shape id and without repeats.
    pub fn service_operations(&self, service: &Shape) -> Result<Vec<ShapeId>> {
        let mut out = std::collections::BTreeSet::new();
        let mut resources = Vec::new();
        if let Some(info) = &service.service {
            out.extend(info.operations.iter().cloned());
            resources.extend(info.resources.iter().cloned());
        }
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = resources.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let resource = self.get(&id)?;
            if let Some(info) = &resource.resource {
                for op in [
                    &info.create,
                    &info.put,
                    &info.read,
                    &info.update,
                    &info.delete,
                    &info.list,
                ]
                .into_iter()
                .flatten()
                {
                    out.insert(op.clone());
                }
                out.extend(info.operations.iter().cloned());
                out.extend(info.collection_operations.iter().cloned());
                resources.extend(info.resources.iter().cloned());
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The operation's input structure, `None` for `smithy.api#Unit`.
    pub fn operation_input(&self, op: &Shape) -> Result<Option<&'a Shape>> {
        match op.operation.as_ref().and_then(|o| o.input.as_ref()) {
            Some(id) if !id.is_unit() && !id.is_synthetic() => self.get(id).map(Some),
            _ => Ok(None),
        }
    }

    /// The operation's input (`input`) or output structure id, synthetic for
    /// `smithy.api#Unit`: an error when the model was not normalized.
    pub fn operation_structure_id(&self, op: &Shape, input: bool) -> Result<ShapeId> {
        let info = op.operation.as_ref();
        let id = if input {
            info.and_then(|o| o.input.as_ref())
        } else {
            info.and_then(|o| o.output.as_ref())
        };
        match id {
            Some(id) if !id.is_unit() => Ok(id.clone()),
            _ => Err(CodegenError::new(format!(
                "the operation has no {} structure (the model was not normalized)",
                if input { "input" } else { "output" }
            ))
            .in_file(&op.source)
            .at_shape(&op.id)),
        }
    }

    /// The operation's output structure, `None` for `smithy.api#Unit`.
    pub fn operation_output(&self, op: &Shape) -> Result<Option<&'a Shape>> {
        match op.operation.as_ref().and_then(|o| o.output.as_ref()) {
            Some(id) if !id.is_unit() && !id.is_synthetic() => self.get(id).map(Some),
            _ => Ok(None),
        }
    }

    /// The operation's errors followed by the service's common errors, without repeats.
    pub fn operation_errors(&self, service: &Shape, op: &Shape) -> Result<Vec<&'a Shape>> {
        let mut ids: Vec<&ShapeId> = Vec::new();
        let own = op.operation.iter().flat_map(|o| o.errors.iter());
        let common = service.service.iter().flat_map(|s| s.errors.iter());
        for id in own.chain(common) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.into_iter().map(|id| self.get(id)).collect()
    }

    /// Whether a structure member is `Option<T>` in Rust, by Smithy 2.0 nullability as a
    /// client sees it (assembly has already lowered 1.0 boxing to these traits):
    /// members of `@input` structures and `@clientOptional` members are optional; otherwise
    /// `@required` or a non-null `@default` makes a member non-optional.
    pub fn is_optional(&self, container: &Shape, member: &Member) -> bool {
        if container.ty != ShapeType::Structure {
            return false;
        }
        if container.traits.input || member.traits.client_optional {
            return true;
        }
        if member.traits.required {
            return false;
        }
        !matches!(&member.traits.default, Some(v) if !v.is_null())
    }

    /// Whether a list or map keeps `null` entries (`@sparse` on the collection).
    pub fn is_sparse(&self, collection: &Shape) -> bool {
        collection.traits.sparse
    }
}
