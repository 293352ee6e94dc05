//! The operation closure: the selected operations and every shape they reach.

use std::collections::BTreeSet;

use crate::error::{CodegenError, Result};
use crate::index::Index;
use crate::model::{Shape, ShapeId, ShapeType};
use crate::options::OperationSelection;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The selected operations, sorted by shape id.
    pub operations: Vec<ShapeId>,
    /// Every non-prelude shape reachable from them (operations, inputs, outputs, errors and
    /// everything their members target).
    pub shapes: BTreeSet<ShapeId>,
}

impl Closure {
    pub fn compute(
        index: &Index<'_>,
        service: &Shape,
        selection: &OperationSelection,
    ) -> Result<Closure> {
        let available = index.service_operations(service)?;
        let operations = match selection {
            OperationSelection::All => available,
            OperationSelection::Named(names) => {
                let mut picked = BTreeSet::new();
                for name in names {
                    let found = available
                        .iter()
                        .find(|id| &id.name == name)
                        .ok_or_else(|| unknown_operation(name, service, &available))?;
                    picked.insert(found.clone());
                }
                picked.into_iter().collect()
            }
        };
        let mut shapes = BTreeSet::new();
        let mut stack: Vec<ShapeId> = operations.clone();
        if let Some(info) = &service.service {
            stack.extend(info.errors.iter().cloned());
        }
        while let Some(id) = stack.pop() {
            // Synthetic inputs/outputs are Unit on the wire; `naming` gives them their types.
            if id.is_prelude() || id.is_synthetic() || !shapes.insert(id.clone()) {
                continue;
            }
            let shape = index.get(&id)?;
            if let Some(op) = &shape.operation {
                stack.extend(op.input.iter().cloned());
                stack.extend(op.output.iter().cloned());
                stack.extend(op.errors.iter().cloned());
            }
            if shape.ty != ShapeType::Service {
                stack.extend(shape.members.iter().map(|m| m.target.clone()));
            }
        }
        Ok(Closure { operations, shapes })
    }
}

/// A selected operation the service does not have: the error names the service and
/// suggests the closest of its operation names (listing them all when none is close).
fn unknown_operation(name: &str, service: &Shape, available: &[ShapeId]) -> CodegenError {
    let names: Vec<&str> = available.iter().map(|id| id.name.as_str()).collect();
    let mut message = format!(
        "operation `{name}` does not exist in the service `{}`",
        service.id.name
    );
    let wrong = name.to_lowercase();
    let closest = names
        .iter()
        .map(|candidate| {
            let lower = candidate.to_lowercase();
            (strsim::levenshtein(&wrong, &lower), lower, *candidate)
        })
        .min_by_key(|(distance, _, _)| *distance);
    match closest {
        None => message.push_str(" (it has no operations)"),
        Some((distance, lower, candidate))
            if distance <= (wrong.chars().count() / 3).max(2)
                || lower.contains(&wrong)
                || wrong.contains(&lower) =>
        {
            message.push_str(&format!("; did you mean `{candidate}`?"));
        }
        Some((_, _, candidate)) => message.push_str(&format!(
            "; the closest name is `{candidate}` (its {} operations: {})",
            names.len(),
            names.join(", ")
        )),
    }
    CodegenError::new(message)
        .in_file(&service.source)
        .at_shape(&service.id)
}
