//! Our side of `cargo xtask bench`, and what both sides share.
//!
//! - [`ours`]: the generated `apigatewayv2` crate's side of each workload.
//! - [`server`]: the local keep-alive HTTP server both SDKs call in workload 3, and over
//!   TLS in workload 10 ([`tls`]: its test CA and certificate, made at start-up).
//! - [`load`]: the SDK-agnostic sequential/concurrent load driver behind `bench-ours` and
//!   `bench-official` (`tests/bench-compare` includes the same file).
//! - `src/bin/bench-codegen.rs`: workload 9, the release generator timed in-process.
//! - `fixtures/get_stage.json`: the realistic GetStage 200 body both sides parse.
//!
//! The official SDK's side lives in `tests/bench-compare`, a workspace of its own, so that
//! nothing here (and nothing `cargo xtask test` builds) compiles the official SDK.

pub mod load;
pub mod ours;
pub mod server;
pub mod tls;

/// The realistic GetStage 200 body: every member set, three route settings, five stage
/// variables, five tags; ~2 KB of compact JSON, as API Gateway sends it.
pub const BODY: &str = include_str!("../fixtures/get_stage.json");
/// The smallest valid GetStage 200 body, for the request workload.
pub const EMPTY_BODY: &str = "{}";
/// The API the calls ask for (the bench server checks the path).
pub const API_ID: &str = "a1b2c3";
/// The stage the calls ask for.
pub const STAGE_NAME: &str = "production";
/// The region the clients sign for.
pub const REGION: &str = "us-east-1";
/// The static credentials both sides sign with.
pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
/// The static credentials both sides sign with.
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
