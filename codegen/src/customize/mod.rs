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
    /// URI labels that stand for a default when left empty (member name, value): the
    /// serializer sends the value instead of refusing the empty label.
    pub label_defaults: &'static [(&'static str, &'static str)],
    /// Whether operations whose payload is a blob (streamed or not) send
    /// `x-amz-sha256-tree-hash` and `x-amz-content-sha256` (the runtime's
    /// `BodyStep::Sha256TreeHash`) unless a member sets them.
    pub sha256_tree_hash: bool,
}

/// Every customization.
pub const DECORATORS: &[Decorator] = &[
    Decorator {
        service: "com.amazonaws.glacier#Glacier",
        name: "Glacier: every request names the API version in `X-Amz-Glacier-Version`",
        request_headers: &[("X-Amz-Glacier-Version", "{version}")],
        label_defaults: &[],
        sha256_tree_hash: false,
    },
    Decorator {
        service: "com.amazonaws.glacier#Glacier",
        name: "Glacier: an empty `accountId` label means the caller's account (`-`)",
        request_headers: &[],
        label_defaults: &[("accountId", "-")],
        sha256_tree_hash: false,
    },
    Decorator {
        service: "com.amazonaws.glacier#Glacier",
        name: "Glacier: uploads carry the SHA-256 tree hash and SHA-256 of their payload",
        request_headers: &[],
        label_defaults: &[],
        sha256_tree_hash: true,
    },
    Decorator {
        service: "com.amazonaws.apigateway#BackplaneControlService",
        name: "API Gateway: responses are asked for as JSON (`Accept: application/json`)",
        request_headers: &[("Accept", "application/json")],
        label_defaults: &[],
        sha256_tree_hash: false,
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

/// The value an empty `label` (a member name) of `service` stands for, if a customization
/// gives one.
pub fn label_default(service: &Shape, label: &str) -> Option<&'static str> {
    for_service(service)
        .flat_map(|d| d.label_defaults.iter())
        .find(|(name, _)| *name == label)
        .map(|(_, value)| *value)
}

/// Whether `service`'s blob-payload operations send SHA-256 tree-hash checksums.
pub fn sha256_tree_hash(service: &Shape) -> bool {
    for_service(service).any(|d| d.sha256_tree_hash)
}
