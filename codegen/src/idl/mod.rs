//! The Smithy IDL 2.0 front end: `.smithy` files → the same raw AST (`parse::ModelFile`) the
//! JSON front end produces, so `assemble` and every later stage treat both alike.
//!
//! `lexer` (text → tokens with line/column), `parser` (tokens → an IDL syntax tree with ids
//! as written), `lower` (syntax tree → raw AST: shape ids resolved, elided targets filled in
//! across files). [`parse_sources`] is the entry point: it parses each model file with the
//! front end its extension names (`.smithy`: IDL; anything else: JSON).

pub mod lexer;
pub mod lower;
pub mod parser;

use std::path::{Path, PathBuf};

use crate::error::{CodegenError, Result};
use crate::parse::{self, ModelFile};
use crate::read::SourceText;

/// Whether a path names an IDL file (`.smithy`).
pub fn is_idl_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "smithy")
}

/// Lexes and parses one IDL file; an error names the file, line and column.
pub fn parse_idl(source: &SourceText) -> Result<parser::IdlFile> {
    let fail = |pos: lexer::Pos, message: String| {
        CodegenError::new(format!("{pos}: {message}")).in_file(&source.path)
    };
    let tokens = lexer::lex(&source.text).map_err(|e| fail(e.pos, e.message))?;
    parser::parse(tokens).map_err(|e| fail(e.pos, e.message))
}

/// Parses every model file (in order), IDL or JSON by extension, and lowers the IDL ones
/// together (with the JSON ones' shapes in view). The result keeps the input order.
pub fn parse_sources(sources: &[SourceText]) -> Result<Vec<ModelFile>> {
    enum Parsed {
        Json(ModelFile),
        Idl,
    }
    let mut parsed = Vec::with_capacity(sources.len());
    let mut idl: Vec<(PathBuf, parser::IdlFile)> = Vec::new();
    for source in sources {
        if is_idl_path(&source.path) {
            idl.push((source.path.clone(), parse_idl(source)?));
            parsed.push(Parsed::Idl);
        } else {
            parsed.push(Parsed::Json(parse::parse_file(source)?));
        }
    }
    let json: Vec<ModelFile> = parsed
        .iter()
        .filter_map(|p| match p {
            Parsed::Json(f) => Some(f.clone()),
            Parsed::Idl => None,
        })
        .collect();
    let mut lowered = lower::lower(idl, &json)?.into_iter();
    let mut out = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Parsed::Json(f) => out.push(f),
            Parsed::Idl => {
                if let Some(f) = lowered.next() {
                    out.push(f);
                }
            }
        }
    }
    Ok(out)
}

/// A Smithy identifier: a letter, or `_` followed by a letter, digit or `_`..., then letters,
/// digits and `_` (the same rule as `model::ShapeId::parse`).
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
