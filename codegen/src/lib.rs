//! A generator of Rust client crates from Smithy JSON AST models.
//!
//! Data flows one way, one module per stage:
//! `read` → `parse` → `assemble` → `validate` → `index` → `closure` → `naming` → `emit`
//! (shapes, `protocol`, `endpoint`, client) → `format` → `write`.
//! The CLI (`cargo xtask codegen`) is a thin layer over [`generate`].

pub mod assemble;
pub mod closure;
pub mod emit;
pub mod endpoint;
pub mod error;
pub mod format;
pub mod index;
pub mod jmespath;
pub mod model;
pub mod naming;
pub mod parse;
pub mod project;
pub mod protocol;
pub mod read;
pub mod runtime;
pub mod validate;
pub mod write;

use std::path::PathBuf;

pub use error::{CodegenError, Result};

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
    /// Model files, merged in order.
    pub models: Vec<PathBuf>,
    pub operations: OperationSelection,
    /// The generated package's name (`apigatewayv2`).
    pub crate_name: String,
    /// Where the generated crate's manifest takes the runtime crate from.
    pub runtime: runtime::RuntimeDependency,
}

/// One file of the generated crate, its path relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Runs the whole pipeline and returns the crate's files, sorted by path.
pub fn generate(options: &Options) -> Result<Vec<GeneratedFile>> {
    let sources = read::read_files(&options.models)?;
    let files = sources
        .iter()
        .map(parse::parse_file)
        .collect::<Result<Vec<_>>>()?;
    let model = assemble::assemble(files)?;
    validate::validate(&model)?;
    let index = index::Index::new(&model);
    let service = index.service()?;
    let closure = closure::Closure::compute(&index, service, &options.operations)?;
    let symbols = naming::Symbols::new(&index, &closure, &options.crate_name)?;
    let ctx = emit::Context {
        index: &index,
        service,
        closure: &closure,
        symbols: &symbols,
        crate_name: &options.crate_name,
        runtime: &options.runtime,
    };
    let mut out = emit::emit_crate(&ctx)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
