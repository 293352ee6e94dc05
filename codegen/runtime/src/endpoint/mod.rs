//! Endpoint resolution support: the types a generated resolver returns and the rules
//! engine's function library (standard and AWS), as ordinary Rust functions.
//!
//! The generated `crate::endpoint::resolve` is the model's `smithy.rules#endpointRuleSet`
//! compiled to straight-line Rust; it calls the functions here by name:
//!
//! | rules engine | Rust |
//! | --- | --- |
//! | `parseURL` | [`url::parse_url`] → [`url::Url`] |
//! | `substring` | [`string::substring`] |
//! | `uriEncode` | [`string::uri_encode`] |
//! | `isValidHostLabel` | [`string::is_valid_host_label`] |
//! | `split` | [`string::split`] |
//! | `ite` | [`ite`] |
//! | `aws.partition` | [`partition::partition`] → [`partition::PartitionOutputs`] (data: [`partitions::PARTITIONS`]; `None` for a region that is not a DNS label) |
//! | `aws.parseArn` | [`arn::parse_arn`] → [`arn::Arn`] |
//! | `aws.isVirtualHostableS3Bucket` | [`arn::is_virtual_hostable_s3_bucket`] |
//!
//! (No re-exports: a crate whose rule set uses only some functions would otherwise warn
//! about unused imports.)
//!
//! `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr` and `coalesce` need no
//! library: they compile to `Option` tests, `!`, `==`, field access and `Option::or`.

pub mod arn;
pub mod partition;
pub mod partitions;
pub mod string;
pub mod url;

/// For `serde_json::json!` in generated resolvers and tests, which do not depend on
/// `serde_json` themselves.
pub use serde_json;

use std::collections::BTreeMap;
use std::fmt;

/// `ite(condition, then, else)`: `then` when `condition` holds, else `otherwise`. Both
/// values are evaluated (rule-set expressions have no effects), which keeps the generated
/// code a plain expression.
pub fn ite<T>(condition: bool, then: T, otherwise: T) -> T {
    if condition {
        then
    } else {
        otherwise
    }
}

/// A resolved endpoint: the URL to send the request to, headers to add, and properties
/// (such as `authSchemes`) for the rest of the request pipeline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Endpoint {
    /// The endpoint URL, e.g. `https://apigateway.us-east-1.amazonaws.com`.
    pub url: String,
    /// Headers to send with the request, by name; a name may carry several values.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Free-form endpoint properties, by name.
    pub properties: BTreeMap<String, serde_json::Value>,
}

impl Endpoint {
    /// An endpoint with this URL and no headers or properties.
    pub fn new(url: impl Into<String>) -> Endpoint {
        Endpoint {
            url: url.into(),
            headers: BTreeMap::new(),
            properties: BTreeMap::new(),
        }
    }

    /// Adds one value of a header (values of one name keep their order).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Endpoint {
        self.headers
            .entry(name.into())
            .or_default()
            .push(value.into());
        self
    }

    /// Sets a property.
    pub fn with_property(mut self, name: impl Into<String>, value: serde_json::Value) -> Endpoint {
        self.properties.insert(name.into(), value);
        self
    }
}

/// Endpoint resolution failed: the rule set's error message (for example
/// `Invalid Configuration: Missing Region`), or a missing required parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    message: String,
}

impl ResolveError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> ResolveError {
        ResolveError {
            message: message.into(),
        }
    }

    /// The message, exactly as the rule set (or the parameter check) wrote it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResolveError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ite_picks_a_branch() {
        assert_eq!(ite(true, "a", "b"), "a");
        assert_eq!(ite(false, "a", "b"), "b");
        assert_eq!(ite(false, Some(true), None), None);
    }

    #[test]
    fn endpoint_builders() {
        let e = Endpoint::new("https://example.com")
            .with_header("x-a", "1")
            .with_header("x-a", String::from("2"))
            .with_property("authSchemes", serde_json::json!([{"name": "sigv4"}]));
        assert_eq!(e.url, "https://example.com");
        assert_eq!(e.headers["x-a"], ["1", "2"]);
        assert_eq!(e.properties["authSchemes"][0]["name"], "sigv4");
        assert_eq!(
            Endpoint::new("u"),
            Endpoint {
                url: "u".into(),
                ..Endpoint::default()
            }
        );
    }

    #[test]
    fn resolve_error_displays_its_message_verbatim() {
        let e = ResolveError::new("Invalid Configuration: Missing Region");
        assert_eq!(e.to_string(), "Invalid Configuration: Missing Region");
        assert_eq!(e.message(), "Invalid Configuration: Missing Region");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), "Invalid Configuration: Missing Region");
    }
}
