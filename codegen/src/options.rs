//! What `generate` takes and returns: `Options`, `OperationSelection`, `GeneratedFile`,
//! `Generated`.
//! Re-exported from the crate root; the stages import them from here.

use std::path::PathBuf;

/// Which operations to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationSelection {
    /// Every operation the service lists (directly or through its resources).
    All,
    /// These operations, by shape name (`GetStage`).
    Named(Vec<String>),
}

/// What to generate from where.
#[derive(Debug, Clone)]
pub struct Options {
    /// Model files (`.json` JSON AST or `.smithy` IDL) or directories of them, merged in
    /// order.
    pub models: Vec<PathBuf>,
    pub operations: OperationSelection,
    /// The generated package's name (`apigatewayv2`).
    pub crate_name: String,
    /// Where the generated crate's manifest takes the runtime crate from.
    pub runtime: crate::runtime::RuntimeDependency,
    /// The service to generate (`namespace#Name`); `None` takes the model's only service.
    pub service: Option<String>,
}

/// One file of the generated crate, its path relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// A generated crate: its files, sorted by path, and what generation worked around.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    /// Constructs left out with a reason (a `@pattern` no engine here takes), in model order.
    pub warnings: Vec<crate::error::Warning>,
}
