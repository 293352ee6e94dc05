//! Per-service customizations: small named hooks keyed by service shape id, so protocol
//! code holds no service special cases. Each [`Decorator`] says what it adds; the protocol
//! emitters ask [`for_service`] and apply it.

use crate::model::Shape;

/// What one service's customization adds to the generated crate.
#[derive(Debug, Clone, Copy)]
pub struct Decorator {
    /// The service shape id it applies to.
    pub service: &'static str,
    /// What it is for, in a line.
    pub name: &'static str,
    /// Headers every request of the service carries (name, value); `{version}` in a value
    /// is the service's model version. A header a member sets wins.
    pub request_headers: &'static [(&'static str, &'static str)],
}

/// Every customization.
pub const DECORATORS: &[Decorator] = &[
    Decorator {
        service: "com.amazonaws.glacier#Glacier",
        name: "Glacier: every request names the API version in `X-Amz-Glacier-Version`",
        request_headers: &[("X-Amz-Glacier-Version", "{version}")],
    },
    Decorator {
        service: "com.amazonaws.apigateway#BackplaneControlService",
        name: "API Gateway: responses are asked for as JSON (`Accept: application/json`)",
        request_headers: &[("Accept", "application/json")],
    },
];

/// The customizations of `service`.
pub fn for_service(service: &Shape) -> impl Iterator<Item = &'static Decorator> + '_ {
    let id = service.id.to_string();
    DECORATORS.iter().filter(move |d| d.service == id)
}

/// The extra request headers of `service`, `{version}` filled in.
pub fn request_headers(service: &Shape) -> Vec<(String, String)> {
    let version = service
        .service
        .as_ref()
        .map(|s| s.version.clone())
        .unwrap_or_default();
    for_service(service)
        .flat_map(|d| d.request_headers.iter())
        .map(|(name, value)| (name.to_string(), value.replace("{version}", &version)))
        .collect()
}
