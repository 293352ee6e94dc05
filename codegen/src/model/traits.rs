//! Typed traits. The traits the generator relies on have fields; every other trait is kept
//! as raw JSON in `Traits::other`, keyed by its absolute id.

use std::collections::BTreeMap;

use serde_json::Value;

/// `smithy.api#http`.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpTrait {
    pub method: String,
    /// The URI pattern, e.g. `/v2/apis/{ApiId}/stages/{StageName}` (may hold a literal query).
    pub uri: String,
    /// Success status code; Smithy's default is 200.
    pub code: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Client,
    Server,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimestampFormat {
    DateTime,
    HttpDate,
    EpochSeconds,
}

/// `smithy.api#enumValue`: a string for `enum` members, an integer for `intEnum` members.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    String(String),
    Int(i64),
}

/// One entry of the Smithy 1.0 `smithy.api#enum` trait (assembly lowers such strings to
/// `enum` shapes; the trait is kept for fidelity).
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDefinition {
    pub value: String,
    pub name: Option<String>,
    pub documentation: Option<String>,
    pub deprecated: bool,
}

/// `smithy.api#length`: inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LengthTrait {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

/// `smithy.api#range`: inclusive bounds, kept as JSON numbers so a `long` bound loses no
/// precision.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RangeTrait {
    pub min: Option<serde_json::Number>,
    pub max: Option<serde_json::Number>,
}

/// `smithy.api#deprecated`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Deprecated {
    pub message: Option<String>,
    pub since: Option<String>,
}

/// The traits of a shape or member.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Traits {
    pub documentation: Option<String>,
    pub json_name: Option<String>,
    pub http: Option<HttpTrait>,
    pub http_label: bool,
    pub http_query: Option<String>,
    pub http_query_params: bool,
    pub http_header: Option<String>,
    pub http_prefix_headers: Option<String>,
    pub http_payload: bool,
    pub http_response_code: bool,
    pub http_error: Option<u16>,
    pub error: Option<ErrorKind>,
    pub required: bool,
    /// `smithy.api#default`; `Some(Value::Null)` is an explicit `@default(null)`.
    pub default: Option<Value>,
    pub client_optional: bool,
    pub timestamp_format: Option<TimestampFormat>,
    pub enum_value: Option<EnumValue>,
    /// Smithy 1.0 `smithy.api#enum`.
    pub enum_definitions: Option<Vec<EnumDefinition>>,
    pub length: Option<LengthTrait>,
    pub range: Option<RangeTrait>,
    pub pattern: Option<String>,
    pub sparse: bool,
    pub sensitive: bool,
    pub deprecated: Option<Deprecated>,
    pub idempotency_token: bool,
    pub streaming: bool,
    pub input: bool,
    pub output: bool,
    pub mixin: bool,
    pub unique_items: bool,
    /// Every other trait, by absolute id (`smithy.rules#endpointRuleSet`, `aws.api#service`,
    /// `aws.auth#sigv4`, ...).
    pub other: BTreeMap<String, Value>,
}

impl Traits {
    /// A raw trait that is not typed above.
    pub fn other(&self, id: &str) -> Option<&Value> {
        self.other.get(id)
    }
}
