//! Service facts for the runtime's own tests (a generated crate emits its own `meta.rs`).

/// The service this runtime build is for.
pub(crate) const SERVICE: crate::rt::ServiceMeta = crate::rt::ServiceMeta {
    sdk_id: "ApiGatewayV2",
    signing_name: "apigateway",
    env_suffix: "APIGATEWAYV2",
    crate_name: "codegen-runtime",
    crate_version: env!("CARGO_PKG_VERSION"),
    api_version: "2018-11-29",
};
