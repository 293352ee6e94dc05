//! Normalization after validation (like smithy-rs's `OperationNormalizer`): every operation
//! gets an input and an output structure of its own. An operation whose input or output is
//! `smithy.api#Unit` (or absent) gets an empty synthetic structure
//! `smithy.synthetic#<Op>Input` / `<Op>Output`, so later stages never special-case Unit
//! when naming or emitting types. (`Index::operation_input`/`operation_output` still answer
//! `None` for synthetic shapes: on the wire they are Unit, with no body.)

use crate::error::{CodegenError, Result};
use crate::model::{Model, Shape, ShapeId, ShapeType, Traits, SYNTHETIC_NAMESPACE};

/// Adds the synthetic inputs and outputs and points the operations at them.
pub fn normalize(model: Model) -> Result<Model> {
    normalize_service(model, None)
}

/// [`normalize`], limited to the operations of `service` (a shape id) when one is chosen: a
/// model holding several services may have same-named operations in other namespaces.
pub fn normalize_service(model: Model, service: Option<&str>) -> Result<Model> {
    normalize_selected(model, service, None)
}

/// [`normalize_service`], giving inputs and outputs only to the `selected` operations (the
/// closure's) when given: an operation nothing generates cannot fail normalization. Shared
/// structures are still counted over every operation, so whether an operation's input is a
/// copy does not depend on the selection.
pub fn normalize_selected(
    mut model: Model,
    service: Option<&str>,
    selected: Option<&[ShapeId]>,
) -> Result<Model> {
    let operations: Vec<ShapeId> = match service {
        Some(_) => {
            let index = crate::index::Index::with_service(&model, service);
            let service = index.service()?;
            index.service_operations(service)?
        }
        None => model
            .shapes
            .values()
            .filter(|s| s.ty == ShapeType::Operation)
            .map(|s| s.id.clone())
            .collect(),
    };
    let targets: Vec<ShapeId> = match selected {
        Some(selected) => operations
            .iter()
            .filter(|op| selected.contains(op))
            .cloned()
            .collect(),
        None => operations.clone(),
    };
    copy_shared_structures(&mut model, &operations, &targets)?;
    for op_id in targets {
        for suffix in ["Input", "Output"] {
            let op = &model.shapes[&op_id];
            let Some(info) = op.operation.as_ref() else {
                continue;
            };
            let current = if suffix == "Input" {
                &info.input
            } else {
                &info.output
            };
            if current.as_ref().is_some_and(|id| !id.is_unit()) {
                continue;
            }
            let id = ShapeId::new(SYNTHETIC_NAMESPACE, format!("{}{suffix}", op_id.name));
            if model.shapes.contains_key(&id) {
                return Err(CodegenError::new(format!(
                    "the synthetic {} `{id}` of this operation is already defined (two operations named `{}` in different namespaces?)",
                    suffix.to_lowercase(),
                    op_id.name
                ))
                .in_file(&op.source)
                .at_shape(&op_id));
            }
            let shape = Shape {
                id: id.clone(),
                ty: ShapeType::Structure,
                traits: Traits {
                    input: suffix == "Input",
                    output: suffix == "Output",
                    ..Default::default()
                },
                members: Vec::new(),
                operation: None,
                service: None,
                resource: None,
                source: op.source.clone(),
            };
            model.shapes.insert(id.clone(), shape);
            let info = model
                .shapes
                .get_mut(&op_id)
                .and_then(|op| op.operation.as_mut())
                .ok_or_else(|| CodegenError::new("operation vanished").at_shape(&op_id))?;
            if suffix == "Input" {
                info.input = Some(id);
            } else {
                info.output = Some(id);
            }
        }
    }
    Ok(model)
}

/// The namespace of the copies [`copy_shared_structures`] makes.
pub const COPY_NAMESPACE: &str = "smithy.synthetic.copy";

/// A structure that is the input or output of more than one operation (or both of one
/// operation) gets a copy per use, `smithy.synthetic.copy#<Op>Input`/`<Op>Output`, so each
/// operation's input and output is a type of its own.
fn copy_shared_structures(
    model: &mut Model,
    operations: &[ShapeId],
    targets: &[ShapeId],
) -> Result<()> {
    let mut uses: std::collections::BTreeMap<ShapeId, usize> = Default::default();
    for op_id in operations {
        let Some(info) = model.shapes.get(op_id).and_then(|op| op.operation.as_ref()) else {
            continue;
        };
        for id in [&info.input, &info.output].into_iter().flatten() {
            if !id.is_unit() {
                *uses.entry(id.clone()).or_default() += 1;
            }
        }
    }
    for op_id in targets {
        for input in [true, false] {
            let Some(info) = model.shapes.get(op_id).and_then(|op| op.operation.as_ref()) else {
                continue;
            };
            let current = if input { &info.input } else { &info.output };
            let Some(shared) = current
                .clone()
                .filter(|id| uses.get(id).is_some_and(|n| *n > 1))
            else {
                continue;
            };
            let suffix = if input { "Input" } else { "Output" };
            let id = ShapeId::new(COPY_NAMESPACE, format!("{}{suffix}", op_id.name));
            if model.shapes.contains_key(&id) {
                return Err(CodegenError::new(format!(
                    "the copy `{id}` of the shared structure `{shared}` is already defined (two operations named `{}` in different namespaces?)",
                    op_id.name
                ))
                .at_shape(op_id));
            }
            let mut copy = model.shapes.get(&shared).cloned().ok_or_else(|| {
                CodegenError::new(format!("shape `{shared}` does not exist")).at_shape(op_id)
            })?;
            copy.id = id.clone();
            copy.traits.input = input;
            copy.traits.output = !input;
            model.shapes.insert(id.clone(), copy);
            let info = model
                .shapes
                .get_mut(op_id)
                .and_then(|op| op.operation.as_mut())
                .ok_or_else(|| CodegenError::new("operation vanished").at_shape(op_id))?;
            if input {
                info.input = Some(id);
            } else {
                info.output = Some(id);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(shapes: &str) -> Model {
        let file = crate::parse::parse_file(&crate::read::SourceText {
            path: "m.json".into(),
            text: format!(r#"{{"smithy": "2.0", "shapes": {shapes}}}"#),
        })
        .unwrap();
        crate::assemble::assemble(vec![file]).unwrap()
    }

    #[test]
    fn only_selected_operations_are_normalized() {
        // Two operations named `Op` in two namespaces, both without input: their synthetic
        // inputs would be the same shape.
        let model = model(
            r#"{"a#Op": {"type": "operation"}, "b#Op": {"type": "operation"},
                "a#Other": {"type": "operation"}}"#,
        );
        let err = normalize_service(model.clone(), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.json: shape b#Op: the synthetic input `smithy.synthetic#OpInput` of this \
             operation is already defined (two operations named `Op` in different namespaces?)"
        );
        let a = ShapeId::new("a", "Op");
        let normalized = normalize_selected(model, None, Some(std::slice::from_ref(&a))).unwrap();
        let input = ShapeId::new(SYNTHETIC_NAMESPACE, "OpInput");
        assert_eq!(
            normalized.shapes[&a].operation.as_ref().unwrap().input,
            Some(input)
        );
        let other = &normalized.shapes[&ShapeId::new("a", "Other")];
        assert_eq!(
            other.operation.as_ref().unwrap().input,
            None,
            "not selected"
        );
    }
}
