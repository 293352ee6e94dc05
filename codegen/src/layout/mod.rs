//! Crate assembly: which files the generated crate has, which item goes into which file,
//! the module trees (`mod.rs` files) and `Cargo.toml`. It calls `emit`, `protocol` and
//! `endpoint` for the items and runs one `format` pass per file.

pub mod crate_files;
pub mod waiters;

use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::context::Context;
use crate::emit::{enums, errors, operation, structure, union};
use crate::error::Result;
use crate::format::format_rust;
use crate::model::ShapeType;
use crate::naming::TypeHome;
use crate::options::GeneratedFile;

/// A Rust file before formatting.
pub struct RustFile {
    pub path: PathBuf,
    /// The file's `//!` docs, if any.
    pub docs: Option<String>,
    pub tokens: TokenStream,
}

impl RustFile {
    pub fn new(path: impl Into<PathBuf>, docs: Option<String>, tokens: TokenStream) -> RustFile {
        RustFile {
            path: path.into(),
            docs,
            tokens,
        }
    }
}

/// The whole generated crate.
pub fn layout_crate(ctx: &Context<'_>) -> Result<Vec<GeneratedFile>> {
    let mut rust = Vec::new();
    rust.extend(emit_types(ctx)?);
    rust.extend(emit_operations(ctx)?);
    rust.extend(crate_files::emit_rust_files(ctx)?);

    let mut out = Vec::new();
    for file in rust {
        let path_text = file.path.display().to_string();
        let contents = format_rust(&path_text, file.docs.as_deref(), file.tokens)?;
        out.push(GeneratedFile {
            path: file.path,
            contents,
        });
    }
    out.push(GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: crate_files::cargo_toml(ctx, &out)?,
    });
    Ok(out)
}

/// `src/types/**`: one file per structure, enum and union; errors under `types/error/`.
fn emit_types(ctx: &Context<'_>) -> Result<Vec<RustFile>> {
    let mut files = Vec::new();
    let mut types_mod = Vec::new();
    let mut errors_mod = Vec::new();
    for id in ctx.symbols.named_types() {
        let home = ctx.symbols.type_home(id)?;
        if matches!(home, TypeHome::Operation(_)) {
            continue;
        }
        let shape = ctx.symbols.shape(id)?;
        let tokens = match shape.ty {
            ShapeType::Structure if home == TypeHome::Errors => {
                errors::emit_error_structure(ctx, shape)?
            }
            ShapeType::Structure => structure::emit_structure(ctx, shape, Default::default())?,
            ShapeType::Union => union::emit_union(ctx, shape)?,
            ShapeType::Enum | ShapeType::IntEnum => enums::emit_enum(ctx, shape)?,
            _ => continue,
        };
        let file = ctx.symbols.type_file(id)?;
        let dir = if home == TypeHome::Errors {
            "src/types/error"
        } else {
            "src/types"
        };
        files.push(RustFile::new(format!("{dir}/{file}.rs"), None, tokens));
        let entry = (
            ctx.symbols.type_module_ident(id)?,
            ctx.symbols.type_ident(id)?,
            shape.ty == ShapeType::Structure,
        );
        if home == TypeHome::Errors {
            errors_mod.push(entry);
        } else {
            types_mod.push(entry);
        }
        if ctx.symbols.has_event_stream_error(id) {
            types_mod.push((
                ctx.symbols.type_module_ident(id)?,
                ctx.symbols.event_stream_error_ident(id)?,
                false,
            ));
        }
    }
    files.push(crate_files::types_module(
        &types_mod,
        !errors_mod.is_empty(),
        false,
    ));
    if !errors_mod.is_empty() {
        files.push(crate_files::types_module(&errors_mod, false, true));
    }
    Ok(files)
}

/// `src/operation/**`: one module per operation.
fn emit_operations(ctx: &Context<'_>) -> Result<Vec<RustFile>> {
    let mut files = Vec::new();
    let mut modules = Vec::new();
    for op in operation::operations(ctx)? {
        let module = ctx.symbols.operation_module(&op.id)?;
        let dir = ctx.symbols.operation_dir(&op.id)?;
        let tokens = operation::emit_operation_module(ctx, op)?;
        let docs = operation::operation_module_docs(ctx, op)?;
        files.push(RustFile::new(
            format!("src/operation/{dir}/mod.rs"),
            Some(docs),
            tokens,
        ));
        files.push(crate_files::fluent_builders_file(ctx, op)?);
        modules.push(module);
    }
    files.push(crate_files::operation_module(&modules));
    Ok(files)
}
