//! The effective auth schemes of an operation, in order (Smithy's `@auth` semantics):
//! `@auth` on the operation, else `@auth` on the service, else every auth-scheme trait on
//! the service, alphabetical by shape id (the order Smithy's service index gives them);
//! `@optionalAuth` appends `smithy.api#noAuth`, and an empty list is `noAuth` alone.
//! A scheme the runtime cannot sign with, or an `@auth` entry that is not an auth trait of
//! the service, is an error naming the shape and the trait.

use crate::error::{CodegenError, Result};
use crate::model::Shape;

/// An auth scheme the runtime implements (`crate::rt::auth::AuthScheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    SigV4,
    HttpBearer,
    NoAuth,
}

/// The auth-scheme traits Smithy and AWS define, and what the runtime does with each
/// (`None`: no implementation).
const AUTH_TRAITS: &[(&str, Option<Scheme>)] = &[
    ("aws.auth#sigv4", Some(Scheme::SigV4)),
    ("aws.auth#sigv4a", None),
    ("smithy.api#httpApiKeyAuth", None),
    ("smithy.api#httpBasicAuth", None),
    ("smithy.api#httpBearerAuth", Some(Scheme::HttpBearer)),
    ("smithy.api#httpDigestAuth", None),
];

/// Whether `id` is an auth-scheme trait.
fn is_auth_trait(id: &str) -> bool {
    AUTH_TRAITS.iter().any(|(t, _)| *t == id)
}

/// The schemes `op` (an operation of `service`) accepts, in order.
pub fn effective_auth(service: &Shape, op: &Shape) -> Result<Vec<Scheme>> {
    let error = |message: String| {
        CodegenError::new(message)
            .in_file(&op.source)
            .at_shape(&op.id)
    };
    // Every auth trait of the service, alphabetical (BTreeMap order).
    let service_schemes: Vec<&str> = service
        .traits
        .other
        .keys()
        .map(String::as_str)
        .filter(|id| is_auth_trait(id))
        .collect();
    let (listed, from): (Vec<String>, &Shape) = match (
        op.traits.other("smithy.api#auth"),
        service.traits.other("smithy.api#auth"),
    ) {
        (Some(list), _) => (auth_list(list, op)?, op),
        (None, Some(list)) => (auth_list(list, service)?, service),
        (None, None) => (
            service_schemes.iter().map(|s| s.to_string()).collect(),
            service,
        ),
    };
    let mut schemes = Vec::new();
    for id in &listed {
        if !service_schemes.contains(&id.as_str()) {
            return Err(CodegenError::new(format!(
                "`smithy.api#auth` names `{id}`, which is not an auth-scheme trait applied to the service `{}`",
                service.id
            ))
            .in_file(&from.source)
            .at_shape(&from.id));
        }
        match AUTH_TRAITS.iter().find(|(t, _)| t == id).and_then(|(_, s)| *s) {
            Some(scheme) => schemes.push(scheme),
            None => {
                return Err(error(format!(
                    "auth scheme `{id}` is not supported by this generator (it signs with `aws.auth#sigv4`, `smithy.api#httpBearerAuth` or none); the operation could not authenticate"
                )))
            }
        }
    }
    if op.traits.other("smithy.api#optionalAuth").is_some() || schemes.is_empty() {
        schemes.push(Scheme::NoAuth);
    }
    if schemes.contains(&Scheme::SigV4)
        && service
            .traits
            .other("aws.auth#sigv4")
            .and_then(|v| v.get("name"))
            .and_then(|v| v.as_str())
            .is_none_or(str::is_empty)
    {
        return Err(CodegenError::new(
            "the service's `aws.auth#sigv4` trait has no `name` (the signing name SigV4 needs)",
        )
        .in_file(&service.source)
        .at_shape(&service.id));
    }
    Ok(schemes)
}

/// The shape ids of an `@auth` trait value.
fn auth_list(value: &serde_json::Value, shape: &Shape) -> Result<Vec<String>> {
    let bad = || {
        CodegenError::new("`smithy.api#auth` must be a list of auth-scheme shape ids")
            .in_file(&shape.source)
            .at_shape(&shape.id)
    };
    value
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|v| v.as_str().map(str::to_owned).ok_or_else(bad))
        .collect()
}
