//! Shared helpers for the integration tests in `tests/tests/`.

use std::path::{Path, PathBuf};

pub mod moto_server;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A file under `tests/models/`.
pub fn test_model(name: &str) -> PathBuf {
    workspace_root().join("tests").join("models").join(name)
}

/// The README's Rust examples, compiled (and the `no_run` ones not run) as doctests of this
/// package: `cargo test -p tests --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
