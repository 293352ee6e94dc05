//! Error responses: the error code (`X-Amzn-Errortype` header, else the body's `__type`,
//! else its `code`), sanitized, and the message (`message` or `Message`).

use std::fmt;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::Deserializer as _;

use crate::http::HttpResponse;

/// What an error response says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// The sanitized error code (`NotFoundException`), if any.
    pub code: Option<String>,
    /// The error message, if the body has one.
    pub message: Option<String>,
}

/// Sanitizes an error code: everything from the first `:` is dropped, then everything up
/// to and including a `#`, then surrounding whitespace.
/// `aws.protocoltests#FooError:http://internal/` → `FooError`.
pub fn sanitize_code(raw: &str) -> &str {
    let code = raw.split_once(':').map_or(raw, |(head, _)| head);
    let code = code.rsplit_once('#').map_or(code, |(_, tail)| tail);
    code.trim()
}

/// Reads the code and message of an error response. Never fails: a body that is not a
/// JSON object (HTML, text, empty) just has no code or message.
pub fn parse(response: &HttpResponse) -> ErrorEnvelope {
    let body = read_body_fields(&response.body);
    let header_code = response
        .header("x-amzn-errortype")
        .map(sanitize_code)
        .filter(|c| !c.is_empty());
    let code = match header_code {
        Some(c) => Some(c.to_string()),
        None => body
            .type_field
            .as_deref()
            .map(sanitize_code)
            .filter(|c| !c.is_empty())
            .or_else(|| {
                body.code
                    .as_deref()
                    .map(sanitize_code)
                    .filter(|c| !c.is_empty())
            })
            .map(str::to_string),
    };
    ErrorEnvelope {
        code,
        message: body.message.or(body.upper_message),
    }
}

#[derive(Default)]
struct BodyFields {
    type_field: Option<String>,
    code: Option<String>,
    message: Option<String>,
    upper_message: Option<String>,
}

fn read_body_fields(body: &[u8]) -> BodyFields {
    let mut de = serde_json::Deserializer::from_slice(body);
    de.deserialize_map(FieldsVisitor).unwrap_or_default()
}

struct FieldsVisitor;

/// A string value, or `None` for any other JSON value (which is skipped).
struct MaybeString(Option<String>);

impl<'de> serde::Deserialize<'de> for MaybeString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MaybeString, E> {
                Ok(MaybeString(Some(v.to_string())))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<MaybeString, E> {
                Ok(MaybeString(None))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<MaybeString, E> {
                Ok(MaybeString(None))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<MaybeString, E> {
                Ok(MaybeString(None))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<MaybeString, E> {
                Ok(MaybeString(None))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<MaybeString, E> {
                Ok(MaybeString(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<MaybeString, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeString(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MaybeString, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeString(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = BodyFields;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an error object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BodyFields, A::Error> {
        let mut out = BodyFields::default();
        while let Some(key) = map.next_key_seed(crate::wire::de::FieldKey(|k: &str| match k {
            "__type" => 0,
            "code" => 1,
            "message" => 2,
            "Message" => 3,
            _ => u32::MAX,
        }))? {
            let slot = match key {
                0 => &mut out.type_field,
                1 => &mut out.code,
                2 => &mut out.message,
                3 => &mut out.upper_message,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value::<MaybeString>()?.0;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut map = http::HeaderMap::new();
        for (k, v) in headers {
            map.insert(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                http::HeaderValue::from_str(v).unwrap(),
            );
        }
        HttpResponse {
            status: 404,
            headers: map,
            body: bytes::Bytes::from(body.to_string()),
        }
    }

    #[test]
    fn sanitizes() {
        for (raw, want) in [
            ("FooError", "FooError"),
            ("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError"),
            ("aws.protocoltests.restjson#FooError", "FooError"),
            (
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                "FooError",
            ),
            ("  FooError  ", "FooError"),
            ("", ""),
        ] {
            assert_eq!(sanitize_code(raw), want, "{raw}");
        }
    }

    #[test]
    fn finds_code_and_message() {
        let r = response(
            &[("x-amzn-errortype", "NotFoundException:http://x")],
            r#"{"__type":"Other","message":"m"}"#,
        );
        assert_eq!(
            parse(&r),
            ErrorEnvelope {
                code: Some("NotFoundException".into()),
                message: Some("m".into())
            }
        );
        let r = response(
            &[],
            r#"{"__type":"a.b#NotFoundException","code":"X","Message":"M"}"#,
        );
        assert_eq!(parse(&r).code.as_deref(), Some("NotFoundException"));
        assert_eq!(parse(&r).message.as_deref(), Some("M"));
        let r = response(
            &[],
            r#"{"code":"TooManyRequestsException","extra":{"nested":[1,2]}}"#,
        );
        assert_eq!(parse(&r).code.as_deref(), Some("TooManyRequestsException"));
        let r = response(&[], r#"{"__type":5,"code":"C"}"#);
        assert_eq!(parse(&r).code.as_deref(), Some("C"));
        for body in ["", "<html>oops</html>", "[1]", "{\"message\":", "null"] {
            assert_eq!(
                parse(&response(&[], body)),
                ErrorEnvelope::default(),
                "{body}"
            );
        }
        let r = response(&[("x-amzn-errortype", "")], r#"{"__type":"T"}"#);
        assert_eq!(parse(&r).code.as_deref(), Some("T"));
    }
}
