//! Absolute shape ids (`namespace#Name`).

use std::fmt;

/// An absolute shape id without a member part. Ordered by namespace, then name, so maps
/// keyed by it iterate deterministically.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    pub namespace: String,
    pub name: String,
}

impl ShapeId {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> ShapeId {
        ShapeId {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// Parses `namespace#Name`. A member suffix (`$member`) is rejected: member ids are
    /// never shape targets.
    pub fn parse(text: &str) -> Result<ShapeId, String> {
        let (namespace, name) = text.split_once('#').ok_or_else(|| {
            format!("`{text}` is not an absolute shape id (expected `namespace#Name`)")
        })?;
        let namespace_ok = !namespace.is_empty() && namespace.split('.').all(is_identifier);
        if !namespace_ok {
            return Err(format!("`{text}` has an invalid namespace `{namespace}`"));
        }
        if !is_identifier(name) {
            return Err(format!("`{text}` has an invalid shape name `{name}`"));
        }
        Ok(ShapeId::new(namespace, name))
    }

    /// `smithy.api#...`: the prelude.
    pub fn is_prelude(&self) -> bool {
        self.namespace == "smithy.api"
    }

    /// A shape `normalize` made (`smithy.synthetic#GetThingOutput`).
    pub fn is_synthetic(&self) -> bool {
        self.namespace == super::SYNTHETIC_NAMESPACE
    }

    /// `smithy.api#Unit`.
    pub fn is_unit(&self) -> bool {
        self.is_prelude() && self.name == "Unit"
    }

    pub fn prelude(name: &str) -> ShapeId {
        ShapeId::new("smithy.api", name)
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)
    }
}

/// A Smithy identifier: a letter or `_`, then letters, digits and `_` (and at least one
/// letter or digit when it starts with `_`).
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => chars.all(|c| c.is_ascii_alphanumeric() || c == '_'),
        Some('_') => {
            let rest: Vec<char> = chars.collect();
            rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == '_')
                && rest.iter().any(|c| c.is_ascii_alphanumeric())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let id = ShapeId::parse("com.amazonaws.apigatewayv2#__string").unwrap();
        assert_eq!(id.namespace, "com.amazonaws.apigatewayv2");
        assert_eq!(id.name, "__string");
        assert_eq!(id.to_string(), "com.amazonaws.apigatewayv2#__string");
        assert!(ShapeId::parse("NoNamespace").is_err());
        assert!(ShapeId::parse("a..b#X").is_err());
        assert!(ShapeId::parse("a#1X").is_err());
        assert!(ShapeId::parse("a#X$member").is_err());
    }
}
