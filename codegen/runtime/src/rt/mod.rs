//! Model-independent runtime support: HTTP, signing, retries, endpoints, wire helpers.
//!
//! This module is written once, tested in the `codegen-runtime` crate, and copied into
//! every generated crate as `crate::rt`. Its stable surface is re-exported by the
//! generated crate's public modules (`error`, `config`, `primitives`, ...).
// Not every generated crate uses every helper (a model without blobs never base64s).
#![allow(dead_code)]

pub mod endpoint;
pub mod validate;
pub mod wire;

/// Facts about the service a crate is generated for. The generated crate defines
/// `crate::meta::SERVICE`; the runtime reads service-specific names only from there.
#[derive(Debug, Clone, Copy)]
pub struct ServiceMeta {
    /// `aws.api#service` `sdkId`, e.g. `ApiGatewayV2`.
    pub sdk_id: &'static str,
    /// SigV4 signing name from `aws.auth#sigv4`, e.g. `apigateway`.
    pub signing_name: &'static str,
    /// The suffix of the service-specific endpoint variable (`AWS_ENDPOINT_URL_<SUFFIX>`).
    pub env_suffix: &'static str,
    /// The generated package's name, for the `User-Agent`.
    pub crate_name: &'static str,
    /// The generated package's version, for the `User-Agent`.
    pub crate_version: &'static str,
    /// The service shape's `version`.
    pub api_version: &'static str,
}

// Client runtime: config, credentials, signing, HTTP client, retries, orchestration, errors.
pub mod cli;
pub mod client;
pub mod config;
pub mod credentials;
pub mod error;
pub mod http_client;
pub mod orchestrator;
pub mod retry;
pub mod sign;

pub mod build_error;
pub mod http;
pub mod primitives;
