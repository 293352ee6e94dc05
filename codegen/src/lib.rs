//! A generator of Rust client crates from Smithy models (JSON AST or IDL 2.0).
//!
//! Data flows one way, one module per stage (see `ARCHITECTURE.md`):
//! `read` → `parse` (JSON) / `idl` (IDL) → `assemble` → `validate` → `normalize` → `index` → `closure` →
//! `naming` → `layout` → {`emit`, `protocol`, `endpoint`} → `context` → `format`.
//! [`generate`] (in `pipeline`) runs them; the CLI (`cargo xtask codegen`) is a thin
//! layer over it.

pub mod assemble;
pub mod closure;
pub mod context;
pub mod customize;
pub mod emit;
pub mod endpoint;
pub mod error;
pub mod format;
pub mod idl;
pub mod index;
pub mod jmespath;
pub mod layout;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod options;
pub mod parse;
pub mod pipeline;
pub mod project;
pub mod protocol;
pub mod protocol_tests;
pub mod read;
pub mod runtime;
pub mod validate;
pub mod write;

pub use error::{CodegenError, Result, Warning};
pub use options::{Generated, GeneratedFile, OperationSelection, Options};
pub use pipeline::{generate, generate_with_warnings};
