//! Normalization after validation (like smithy-rs's `OperationNormalizer`): every operation
//! gets an input and an output structure of its own. An operation whose input or output is
//! `smithy.api#Unit` (or absent) gets an empty synthetic structure
//! `smithy.synthetic#<Op>Input` / `<Op>Output`, so later stages never special-case Unit
//! when naming or emitting types. (`Index::operation_input`/`operation_output` still answer
//! `None` for synthetic shapes: on the wire they are Unit, with no body.)

use crate::error::{CodegenError, Result};
use crate::model::{Model, Shape, ShapeId, ShapeType, Traits, SYNTHETIC_NAMESPACE};

/// Adds the synthetic inputs and outputs and points the operations at them.
pub fn normalize(mut model: Model) -> Result<Model> {
    let operations: Vec<ShapeId> = model
        .shapes
        .values()
        .filter(|s| s.ty == ShapeType::Operation)
        .map(|s| s.id.clone())
        .collect();
    for op_id in operations {
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
