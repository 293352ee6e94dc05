//! The runtime that every generated crate embeds as `crate::rt`. Compiled here on its own so
//! it is tested once; `codegen` copies `src/rt/` into generated crates verbatim.
//!
//! Code under `src/rt/` refers to itself as `crate::rt::...` (valid both here and in a
//! generated crate) and to the service's facts as `crate::meta::SERVICE`.
#![warn(missing_docs)]

pub mod rt;

/// Stands in for the generated crate's `meta` module.
pub(crate) mod meta;
