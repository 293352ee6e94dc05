//! The runtime shared by every client crate that `cargo xtask codegen` generates: one shared
//! configuration ([`SharedConfig`]), the HTTP client and its connection pool, SigV4 signing,
//! retries, timeouts, endpoint-rules functions and the restJson1 wire helpers.
//!
//! A program that uses several generated service crates compiles this crate once, and one
//! [`SharedConfig`], loaded once, configures every service client:
//!
//! ```no_run
//! # fn example() -> Result<(), aws_client_runtime::config::ConfigError> {
//! let shared = aws_client_runtime::SharedConfig::from_env()?;
//! // apigatewayv2::Client::new(&shared), lambda::Client::new(&shared), ...
//! # let _ = shared;
//! # Ok(())
//! # }
//! ```
//!
//! Each generated crate re-exports the parts of this API its users need (`config`, `error`,
//! `primitives`). Modules marked `#[doc(hidden)]` are the contract between this crate and the
//! code the generator emits: they are not a stable API for users.
#![warn(missing_docs)]

// The public API: configuration, credentials, errors, HTTP plumbing a user can replace.
pub mod auth;
pub mod build_error;
pub mod byte_stream;
pub mod config;
pub mod credentials;
pub mod error;
#[cfg(feature = "event-stream")]
pub mod event_stream;
// Without the feature the orchestrator still names the input-event-stream body; it is a type
// without values then, so the event-stream paths compile away.
#[cfg(not(feature = "event-stream"))]
#[path = "event_stream_off.rs"]
pub mod event_stream;
pub mod http;
pub mod http_client;
pub mod paginate;
pub mod primitives;
pub mod retry;
#[cfg(feature = "aws-config")]
pub mod sdk_config;
pub mod validate;
pub mod waiter;

// Used by generated code only.
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod client;
#[doc(hidden)]
pub mod endpoint;
#[doc(hidden)]
pub mod orchestrator;
#[doc(hidden)]
pub mod request_body;
#[doc(hidden)]
pub mod service_config;
#[doc(hidden)]
pub mod sign;
#[doc(hidden)]
pub mod wire;

pub use config::SharedConfig;

/// Facts about one service, from its model. A generated crate defines one `static` of this
/// type and hands it to the runtime with every client it builds.
#[doc(hidden)]
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

/// The service the runtime's own unit tests run against.
#[cfg(test)]
pub(crate) static TEST_SERVICE: ServiceMeta = ServiceMeta {
    sdk_id: "ApiGatewayV2",
    signing_name: "apigateway",
    env_suffix: "APIGATEWAYV2",
    crate_name: "aws-client-runtime",
    crate_version: env!("CARGO_PKG_VERSION"),
    api_version: "2018-11-29",
};
