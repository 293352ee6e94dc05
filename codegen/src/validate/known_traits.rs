//! Which trait ids are defined: the `smithy.api` prelude traits, the traits of the AWS and
//! Smithy trait packages (`aws.*`, `smithy.*` other than `smithy.api`, whose definitions are
//! not part of a JSON AST model), and shapes of the model marked with `@trait`.

use crate::model::{Model, ShapeId};

/// The traits the `smithy.api` prelude defines (Smithy 2.0, plus the 1.0 `box` and `enum`).
const PRELUDE_TRAITS: &[&str] = &[
    "addedDefault",
    "auth",
    "authDefinition",
    "box",
    "clientOptional",
    "cors",
    "default",
    "deprecated",
    "documentation",
    "endpoint",
    "enum",
    "enumValue",
    "error",
    "eventHeader",
    "eventPayload",
    "examples",
    "externalDocumentation",
    "hostLabel",
    "http",
    "httpApiKeyAuth",
    "httpBasicAuth",
    "httpBearerAuth",
    "httpChecksumRequired",
    "httpDigestAuth",
    "httpError",
    "httpHeader",
    "httpLabel",
    "httpPayload",
    "httpPrefixHeaders",
    "httpQuery",
    "httpQueryParams",
    "httpResponseCode",
    "idRef",
    "idempotencyToken",
    "idempotent",
    "input",
    "internal",
    "jsonName",
    "length",
    "mediaType",
    "mixin",
    "nestedProperties",
    "noReplace",
    "notProperty",
    "optionalAuth",
    "output",
    "paginated",
    "pattern",
    "private",
    "property",
    "protocolDefinition",
    "range",
    "readonly",
    "recommended",
    "references",
    "requestCompression",
    "required",
    "requiresLength",
    "resourceIdentifier",
    "retryable",
    "sensitive",
    "since",
    "sparse",
    "streaming",
    "suppress",
    "tags",
    "timestampFormat",
    "title",
    "trait",
    "traitValidators",
    "uniqueItems",
    "unitType",
    "unstable",
    "xmlAttribute",
    "xmlFlattened",
    "xmlName",
    "xmlNamespace",
];

/// Whether a trait id (absolute) names a defined trait.
pub(crate) fn is_defined(model: &Model, id: &str) -> bool {
    let Some((namespace, name)) = id.split_once('#') else {
        return false;
    };
    if namespace == "smithy.api" {
        return PRELUDE_TRAITS.contains(&name);
    }
    if namespace == "aws" || namespace.starts_with("aws.") || namespace.starts_with("smithy.") {
        return true;
    }
    model
        .shapes
        .get(&ShapeId::new(namespace, name))
        .is_some_and(|s| s.traits.other.contains_key("smithy.api#trait"))
}
