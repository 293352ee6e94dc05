//! Wire-format support for the generated restJson1 serializers and deserializers: URI
//! labels and query strings, headers, timestamps, base64, JSON reading and writing, and
//! the errors they produce.
//!
//! The generated code (`crate::protocol::*`) is a thin, model-specific layer over these
//! helpers, so every encoding rule is written and unit-tested once, here.

pub mod de;
pub mod error_body;
pub mod header;
pub mod ser;
pub mod timestamp;
pub mod uri;

use std::fmt;

use base64::Engine as _;

/// The key type of a map: a `String`, or a generated enum (its wire value is the key, and a
/// value this client does not know is kept as the enum's `Unknown` variant).
pub trait MapKey: Eq + std::hash::Hash {
    /// The key read from the wire.
    fn from_wire(key: String) -> Self;
    /// The key as written on the wire.
    fn as_wire(&self) -> &str;
}

impl MapKey for String {
    fn from_wire(key: String) -> Self {
        key
    }
    fn as_wire(&self) -> &str {
        self
    }
}

/// A request could not be serialized. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SerializeError {
    /// An `@httpLabel` value is missing, empty, or a dot segment (`.`, `..`).
    InvalidLabel {
        /// The member path, e.g. `GetStageInput.stage_name`.
        member: String,
        /// Why the value cannot be used.
        reason: String,
    },
    /// A header name or value cannot be sent (e.g. the value holds CR or LF).
    InvalidHeader {
        /// The member path.
        member: String,
        /// Why the header cannot be sent.
        reason: String,
    },
    /// The body could not be written.
    Body {
        /// What went wrong.
        message: String,
    },
}

impl SerializeError {
    /// An [`SerializeError::InvalidLabel`].
    pub fn invalid_label(member: &str, reason: impl Into<String>) -> SerializeError {
        SerializeError::InvalidLabel {
            member: member.to_string(),
            reason: reason.into(),
        }
    }

    /// An [`SerializeError::InvalidHeader`].
    pub fn invalid_header(member: &str, reason: impl Into<String>) -> SerializeError {
        SerializeError::InvalidHeader {
            member: member.to_string(),
            reason: reason.into(),
        }
    }

    /// The member the error is about, if any.
    pub fn member(&self) -> Option<&str> {
        match self {
            SerializeError::InvalidLabel { member, .. }
            | SerializeError::InvalidHeader { member, .. } => Some(member),
            SerializeError::Body { .. } => None,
        }
    }
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SerializeError::InvalidLabel { member, reason } => {
                write!(f, "{member}: cannot be sent as a URI path label: {reason}")
            }
            SerializeError::InvalidHeader { member, reason } => {
                write!(f, "{member}: cannot be sent as an HTTP header: {reason}")
            }
            SerializeError::Body { message } => {
                write!(f, "the request body could not be written: {message}")
            }
        }
    }
}

impl std::error::Error for SerializeError {}

/// What is wrong with a member's value in a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidKind {
    /// The JSON (or header) value has the wrong type, e.g. a string for an integer.
    WrongType,
    /// A number does not fit the member's type (never wrapped or truncated).
    OutOfRange,
    /// A timestamp is not in the member's format.
    Timestamp,
    /// Any other invalid value: bad base64, text that is not UTF-8, a union with two
    /// members set, a required member missing with no value to stand in.
    Value,
}

impl fmt::Display for InvalidKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InvalidKind::WrongType => "wrong type",
            InvalidKind::OutOfRange => "out of range",
            InvalidKind::Timestamp => "malformed timestamp",
            InvalidKind::Value => "invalid value",
        })
    }
}

/// A successful (2xx) response could not be read into the operation's output.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseError {
    /// The body is not the JSON document the operation returns: HTML, plain text, a
    /// truncated document, or JSON that is not an object.
    MalformedBody {
        /// The HTTP status.
        status: u16,
        /// What the JSON reader said.
        message: String,
        /// The first 256 bytes of the body (lossy UTF-8).
        body_start: String,
    },
    /// A member's value is invalid for its type.
    InvalidMember {
        /// The HTTP status.
        status: u16,
        /// The member path, e.g. `GetStageOutput.default_route_settings.throttling_burst_limit`.
        member: String,
        /// What is wrong.
        kind: InvalidKind,
        /// Details, with the offending value.
        message: String,
    },
}

impl ResponseError {
    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        match self {
            ResponseError::MalformedBody { status, .. }
            | ResponseError::InvalidMember { status, .. } => *status,
        }
    }

    /// The member path, for [`ResponseError::InvalidMember`].
    pub fn member(&self) -> Option<&str> {
        match self {
            ResponseError::InvalidMember { member, .. } => Some(member),
            ResponseError::MalformedBody { .. } => None,
        }
    }

    /// The start of the body, for [`ResponseError::MalformedBody`].
    pub fn body_start(&self) -> Option<&str> {
        match self {
            ResponseError::MalformedBody { body_start, .. } => Some(body_start),
            ResponseError::InvalidMember { .. } => None,
        }
    }

    /// What is wrong with the member, for [`ResponseError::InvalidMember`].
    pub fn kind(&self) -> Option<InvalidKind> {
        match self {
            ResponseError::InvalidMember { kind, .. } => Some(*kind),
            ResponseError::MalformedBody { .. } => None,
        }
    }

    /// A [`ResponseError::MalformedBody`] for this body.
    pub fn malformed_body(status: u16, message: impl Into<String>, body: &[u8]) -> ResponseError {
        ResponseError::MalformedBody {
            status,
            message: message.into(),
            body_start: body_start(body),
        }
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::MalformedBody {
                status,
                message,
                body_start,
            } => write!(
                f,
                "the response body (HTTP {status}) is not the expected JSON object: {message}; \
                 the body starts with {body_start:?}"
            ),
            ResponseError::InvalidMember {
                status,
                member,
                kind,
                message,
            } => write!(f, "{member}: {kind}: {message} (HTTP {status})"),
        }
    }
}

impl std::error::Error for ResponseError {}

/// The first 256 bytes of a body as lossy UTF-8 (for error messages).
pub fn body_start(body: &[u8]) -> String {
    let end = body.len().min(256);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

/// A document from JSON text generated code holds (a `@default`); `null` if it is not JSON.
pub fn document_from_str(text: &str) -> crate::primitives::Document {
    serde_json::from_str(text).unwrap_or_default()
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

const BASE64_LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Decodes standard base64, with or without padding.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    BASE64_LENIENT
        .decode(text)
        .map_err(|e| format!("invalid base64: {e}"))
}

/// A fresh idempotency token (a random UUID v4), for `@idempotencyToken` members left unset.
pub fn idempotency_token() -> String {
    random_uuid_v4()
}

/// A random UUID v4 in its hyphenated form. The bits come from `fastrand`: these ids tell
/// calls apart (idempotency tokens, `amz-sdk-invocation-id`) and guard no secret.
pub(crate) fn random_uuid_v4() -> String {
    let mut bits = fastrand::u128(..);
    // Version 4 (bits 76..80 = 0100) and the RFC 4122 variant (bits 62..64 = 10).
    bits = (bits & !(0xf << 76)) | (0x4 << 76);
    bits = (bits & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aGVsbG8").unwrap(), b"hello");
        assert!(base64_decode("a$b").unwrap_err().contains("invalid base64"));
        assert_eq!(base64_decode("").unwrap(), b"");
    }

    #[test]
    fn tokens_are_uuid_v4() {
        let a = idempotency_token();
        let b = idempotency_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        for _ in 0..64 {
            let id = random_uuid_v4();
            let groups: Vec<_> = id.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
            assert!(
                id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()),
                "{id}"
            );
            assert_eq!(&id[14..15], "4", "{id}");
            assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        }
    }

    #[test]
    fn displays() {
        let e =
            ResponseError::malformed_body(200, "expected value at line 1 column 1", &[b'<'; 300]);
        let text = e.to_string();
        assert!(text.contains("HTTP 200"), "{text}");
        match &e {
            ResponseError::MalformedBody { body_start, .. } => assert_eq!(body_start.len(), 256),
            _ => unreachable!(),
        }
        assert_eq!(e.body_start().map(str::len), Some(256));
        assert_eq!(e.kind(), None);
        assert_eq!(body_start(&[0xff, b'a']), "\u{fffd}a");
        let e = ResponseError::InvalidMember {
            status: 200,
            member: "GetStageOutput.created_date".into(),
            kind: InvalidKind::Timestamp,
            message: "expected an RFC 3339 date-time, found `x`".into(),
        };
        assert_eq!(
            e.to_string(),
            "GetStageOutput.created_date: malformed timestamp: expected an RFC 3339 date-time, found `x` (HTTP 200)"
        );
        assert_eq!(e.member(), Some("GetStageOutput.created_date"));
        let s = SerializeError::invalid_label("GetStageInput.stage_name", "the value is empty");
        assert_eq!(
            s.to_string(),
            "GetStageInput.stage_name: cannot be sent as a URI path label: the value is empty"
        );
    }
}
