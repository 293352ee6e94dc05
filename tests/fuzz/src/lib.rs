//! Shared harness code for the fuzz targets in `fuzz_targets/`.
//!
//! Each target is a thin `fuzz_target!` over a function here, so that a crashing input can be
//! replayed outside libFuzzer (the normal test suite replays `tests/fuzz/regressions/`).

pub mod client;
pub mod endpoint;
pub mod idl;
pub mod model;
