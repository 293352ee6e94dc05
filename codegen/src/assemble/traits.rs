//! Trait ids and trait values: resolving relative ids, merging applied values, and typing the
//! traits the generator relies on into `model::Traits`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::model::{
    Deprecated, EnumDefinition, EnumValue, ErrorKind, HttpTrait, LengthTrait, RangeTrait, ShapeId,
    TimestampFormat, Traits,
};
use crate::parse::kind;

/// Traits by absolute id.
pub(crate) type TraitMap = BTreeMap<String, Value>;

pub(crate) const BOX: &str = "smithy.api#box";
pub(crate) const DEFAULT: &str = "smithy.api#default";
pub(crate) const ENUM: &str = "smithy.api#enum";
pub(crate) const ENUM_VALUE: &str = "smithy.api#enumValue";
pub(crate) const MIXIN: &str = "smithy.api#mixin";
pub(crate) const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
pub(crate) const DOCUMENTATION: &str = "smithy.api#documentation";
pub(crate) const DEPRECATED: &str = "smithy.api#deprecated";
pub(crate) const SENSITIVE: &str = "smithy.api#sensitive";

/// A trait id as written → its absolute id. A relative id (`required`) names a prelude trait
/// (`smithy.api#required`).
pub(crate) fn absolute_trait_id(id: &str) -> Result<String, String> {
    let text = if id.contains('#') {
        id.to_string()
    } else {
        format!("smithy.api#{id}")
    };
    match ShapeId::parse(&text) {
        Ok(parsed) => Ok(parsed.to_string()),
        Err(_) => Err(format!("`{id}` is not a valid trait id")),
    }
}

/// Resolves the ids of raw traits. The same trait written twice (`required` and
/// `smithy.api#required`) must have the same value.
pub(crate) fn resolve_ids(raw: &Map<String, Value>) -> Result<TraitMap, String> {
    let mut out = TraitMap::new();
    for (id, value) in raw {
        let abs = absolute_trait_id(id)?;
        if let Some(previous) = out.get(&abs) {
            if previous != value {
                return Err(format!(
                    "trait `{abs}` is given twice with different values"
                ));
            }
        }
        out.insert(abs, value.clone());
    }
    Ok(out)
}

/// Adds an applied trait. Equal values are fine, arrays are concatenated (Smithy's rule for
/// list traits); any other second value is a conflict (`Err(())`, worded by the caller, who
/// knows where the first value came from).
pub(crate) fn merge_trait(map: &mut TraitMap, id: String, value: Value) -> Result<(), ()> {
    match map.get_mut(&id) {
        None => {
            map.insert(id, value);
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(Value::Array(items)) => match value {
            Value::Array(more) => {
                items.extend(more);
                Ok(())
            }
            _ => Err(()),
        },
        Some(_) => Err(()),
    }
}

fn expected(id: &str, what: &str, value: &Value) -> String {
    format!("trait `{id}` must be {what}, not {}", kind(value))
}

fn string(id: &str, value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| expected(id, "a string", value))
}

/// Annotation traits are `{}` in the JSON AST; `true` is accepted too.
fn annotation(id: &str, value: &Value) -> Result<bool, String> {
    match value {
        Value::Object(_) | Value::Bool(true) => Ok(true),
        other => Err(expected(id, "an object (`{}`)", other)),
    }
}

fn object<'v>(id: &str, value: &'v Value) -> Result<&'v Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| expected(id, "an object", value))
}

fn opt_string(id: &str, obj: &Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match obj.get(field) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "trait `{id}`: `{field}` must be a string, not {}",
            kind(other)
        )),
    }
}

fn status_code(id: &str, value: &Value, field: Option<&str>) -> Result<u16, String> {
    match value.as_u64() {
        Some(n @ 100..=999) => Ok(n as u16),
        _ => Err(match field {
            Some(f) => format!(
                "trait `{id}`: `{f}` must be an HTTP status code (an integer from 100 to 999)"
            ),
            None => {
                format!("trait `{id}` must be an HTTP status code (an integer from 100 to 999)")
            }
        }),
    }
}

/// The Smithy 1.0 `smithy.api#enum` definitions.
pub(crate) fn enum_definitions(value: &Value) -> Result<Vec<EnumDefinition>, String> {
    let id = ENUM;
    let items = value
        .as_array()
        .ok_or_else(|| expected(id, "an array of enum definitions", value))?;
    let mut out = Vec::new();
    for item in items {
        let obj = item.as_object().ok_or_else(|| {
            format!(
                "trait `{id}`: each definition must be an object, not {}",
                kind(item)
            )
        })?;
        let value = match obj.get("value") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                return Err(format!(
                    "trait `{id}`: `value` must be a string, not {}",
                    kind(other)
                ))
            }
            None => return Err(format!("trait `{id}`: a definition has no `value`")),
        };
        let deprecated = match obj.get("deprecated") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(format!(
                    "trait `{id}`: `deprecated` must be a boolean, not {}",
                    kind(other)
                ))
            }
        };
        out.push(EnumDefinition {
            value,
            name: opt_string(id, obj, "name")?,
            documentation: opt_string(id, obj, "documentation")?,
            deprecated,
        });
    }
    Ok(out)
}

/// The ids listed in a `smithy.api#mixin` trait's `localTraits`, resolved.
pub(crate) fn local_traits(value: &Value) -> Result<Vec<String>, String> {
    let obj = object(MIXIN, value)?;
    match obj.get("localTraits") {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => absolute_trait_id(s),
                other => Err(format!(
                    "trait `{MIXIN}`: `localTraits` must hold trait ids, not {}",
                    kind(other)
                )),
            })
            .collect(),
        Some(other) => Err(format!(
            "trait `{MIXIN}`: `localTraits` must be an array, not {}",
            kind(other)
        )),
    }
}

fn length(id: &str, value: &Value) -> Result<LengthTrait, String> {
    let obj = object(id, value)?;
    let bound = |field: &str| -> Result<Option<u64>, String> {
        match obj.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                format!("trait `{id}`: `{field}` must be a non-negative integer, not {v}")
            }),
        }
    };
    Ok(LengthTrait {
        min: bound("min")?,
        max: bound("max")?,
    })
}

fn range(id: &str, value: &Value) -> Result<RangeTrait, String> {
    let obj = object(id, value)?;
    let bound = |field: &str| -> Result<Option<serde_json::Number>, String> {
        match obj.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(Some(n.clone())),
            Some(other) => Err(format!(
                "trait `{id}`: `{field}` must be a number, not {}",
                kind(other)
            )),
        }
    };
    Ok(RangeTrait {
        min: bound("min")?,
        max: bound("max")?,
    })
}

/// Types every trait of a shape or member. Traits the generator does not type are kept by
/// id in `Traits::other`; `smithy.api#box` (Smithy 1.0, lowered by assembly) is dropped.
pub(crate) fn type_traits(map: &TraitMap) -> Result<Traits, String> {
    let mut t = Traits::default();
    for (id, value) in map {
        let id = id.as_str();
        match id {
            DOCUMENTATION => t.documentation = Some(string(id, value)?),
            "smithy.api#jsonName" => t.json_name = Some(string(id, value)?),
            "smithy.api#http" => {
                let obj = object(id, value)?;
                let field = |f: &str| match obj.get(f) {
                    Some(Value::String(s)) => Ok(s.clone()),
                    Some(other) => Err(format!(
                        "trait `{id}`: `{f}` must be a string, not {}",
                        kind(other)
                    )),
                    None => Err(format!("trait `{id}` has no `{f}`")),
                };
                let code = match obj.get("code") {
                    None => 200,
                    Some(v) => status_code(id, v, Some("code"))?,
                };
                t.http = Some(HttpTrait {
                    method: field("method")?,
                    uri: field("uri")?,
                    code,
                });
            }
            "smithy.api#httpLabel" => t.http_label = annotation(id, value)?,
            "smithy.api#httpQuery" => t.http_query = Some(string(id, value)?),
            "smithy.api#httpQueryParams" => t.http_query_params = annotation(id, value)?,
            "smithy.api#httpHeader" => t.http_header = Some(string(id, value)?),
            "smithy.api#httpPrefixHeaders" => t.http_prefix_headers = Some(string(id, value)?),
            "smithy.api#httpPayload" => t.http_payload = annotation(id, value)?,
            "smithy.api#httpResponseCode" => t.http_response_code = annotation(id, value)?,
            "smithy.api#httpError" => t.http_error = Some(status_code(id, value, None)?),
            "smithy.api#error" => {
                t.error = Some(match value.as_str() {
                    Some("client") => ErrorKind::Client,
                    Some("server") => ErrorKind::Server,
                    Some(other) => {
                        return Err(format!(
                            "trait `{id}` must be \"client\" or \"server\", not \"{other}\""
                        ))
                    }
                    None => return Err(expected(id, "\"client\" or \"server\"", value)),
                })
            }
            "smithy.api#required" => t.required = annotation(id, value)?,
            DEFAULT => t.default = Some(value.clone()),
            "smithy.api#clientOptional" => t.client_optional = annotation(id, value)?,
            "smithy.api#timestampFormat" => {
                t.timestamp_format = Some(match value.as_str() {
                    Some("date-time") => TimestampFormat::DateTime,
                    Some("http-date") => TimestampFormat::HttpDate,
                    Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                    Some(other) => {
                        return Err(format!(
                            "trait `{id}` must be \"date-time\", \"http-date\" or \"epoch-seconds\", not \"{other}\""
                        ))
                    }
                    None => return Err(expected(id, "a string", value)),
                })
            }
            ENUM_VALUE => {
                t.enum_value = Some(match value {
                    Value::String(s) => EnumValue::String(s.clone()),
                    Value::Number(n) => match n.as_i64() {
                        Some(i) => EnumValue::Int(i),
                        None => {
                            return Err(format!(
                                "trait `{id}` must be a string or an integer, not {n}"
                            ))
                        }
                    },
                    other => return Err(expected(id, "a string or an integer", other)),
                })
            }
            ENUM => t.enum_definitions = Some(enum_definitions(value)?),
            "smithy.api#length" => t.length = Some(length(id, value)?),
            "smithy.api#range" => t.range = Some(range(id, value)?),
            "smithy.api#pattern" => t.pattern = Some(string(id, value)?),
            "smithy.api#sparse" => t.sparse = annotation(id, value)?,
            "smithy.api#sensitive" => t.sensitive = annotation(id, value)?,
            DEPRECATED => {
                let obj = object(id, value)?;
                t.deprecated = Some(Deprecated {
                    message: opt_string(id, obj, "message")?,
                    since: opt_string(id, obj, "since")?,
                });
            }
            "smithy.api#idempotencyToken" => t.idempotency_token = annotation(id, value)?,
            "smithy.api#streaming" => t.streaming = annotation(id, value)?,
            "smithy.api#input" => t.input = annotation(id, value)?,
            "smithy.api#output" => t.output = annotation(id, value)?,
            MIXIN => {
                local_traits(value)?;
                t.mixin = true;
            }
            UNIQUE_ITEMS => t.unique_items = annotation(id, value)?,
            BOX => {}
            _ => {
                t.other.insert(id.to_string(), value.clone());
            }
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn typed(pairs: Value) -> Result<Traits, String> {
        let raw = pairs.as_object().unwrap().clone();
        type_traits(&resolve_ids(&raw)?)
    }

    #[test]
    fn relative_ids_resolve_to_the_prelude() {
        assert_eq!(
            absolute_trait_id("required").unwrap(),
            "smithy.api#required"
        );
        assert_eq!(
            absolute_trait_id("aws.api#service").unwrap(),
            "aws.api#service"
        );
        assert!(absolute_trait_id("no good").is_err());
        let t = typed(json!({"required": {}, "smithy.api#required": {}})).unwrap();
        assert!(t.required);
        assert_eq!(
            typed(json!({"documentation": "a", "smithy.api#documentation": "b"})).unwrap_err(),
            "trait `smithy.api#documentation` is given twice with different values"
        );
    }

    #[test]
    fn types_every_trait() {
        let t = typed(json!({
            "smithy.api#documentation": "d",
            "smithy.api#jsonName": "j",
            "smithy.api#http": {"method": "GET", "uri": "/x/{Id}"},
            "smithy.api#httpLabel": {},
            "smithy.api#httpQuery": "q",
            "smithy.api#httpQueryParams": {},
            "smithy.api#httpHeader": "X-H",
            "smithy.api#httpPrefixHeaders": "X-P-",
            "smithy.api#httpPayload": {},
            "smithy.api#httpResponseCode": {},
            "smithy.api#httpError": 404,
            "smithy.api#error": "client",
            "smithy.api#required": {},
            "smithy.api#default": 0,
            "smithy.api#clientOptional": {},
            "smithy.api#timestampFormat": "epoch-seconds",
            "smithy.api#enumValue": 3,
            "smithy.api#enum": [{"value": "a", "name": "A", "documentation": "x", "deprecated": true}],
            "smithy.api#length": {"min": 1, "max": 2},
            "smithy.api#range": {"min": -1.5},
            "smithy.api#pattern": "^a$",
            "smithy.api#sparse": {},
            "smithy.api#sensitive": {},
            "smithy.api#deprecated": {"message": "m", "since": "s"},
            "smithy.api#idempotencyToken": {},
            "smithy.api#streaming": {},
            "smithy.api#input": {},
            "smithy.api#output": {},
            "smithy.api#mixin": {"localTraits": ["smithy.api#private"]},
            "smithy.api#uniqueItems": {},
            "smithy.api#box": {},
            "aws.api#service": {"sdkId": "X"}
        }))
        .unwrap();
        assert_eq!(t.documentation.as_deref(), Some("d"));
        assert_eq!(t.json_name.as_deref(), Some("j"));
        assert_eq!(
            t.http,
            Some(HttpTrait {
                method: "GET".into(),
                uri: "/x/{Id}".into(),
                code: 200
            })
        );
        assert!(t.http_label && t.http_query_params && t.http_payload && t.http_response_code);
        assert_eq!(t.http_query.as_deref(), Some("q"));
        assert_eq!(t.http_header.as_deref(), Some("X-H"));
        assert_eq!(t.http_prefix_headers.as_deref(), Some("X-P-"));
        assert_eq!(t.http_error, Some(404));
        assert_eq!(t.error, Some(ErrorKind::Client));
        assert!(t.required && t.client_optional);
        assert_eq!(t.default, Some(json!(0)));
        assert_eq!(t.timestamp_format, Some(TimestampFormat::EpochSeconds));
        assert_eq!(t.enum_value, Some(EnumValue::Int(3)));
        assert_eq!(
            t.enum_definitions,
            Some(vec![EnumDefinition {
                value: "a".into(),
                name: Some("A".into()),
                documentation: Some("x".into()),
                deprecated: true
            }])
        );
        assert_eq!(
            t.length,
            Some(LengthTrait {
                min: Some(1),
                max: Some(2)
            })
        );
        assert_eq!(
            t.range.as_ref().unwrap().min.as_ref().unwrap().as_f64(),
            Some(-1.5)
        );
        assert_eq!(t.pattern.as_deref(), Some("^a$"));
        assert!(t.sparse && t.sensitive && t.idempotency_token && t.streaming);
        assert!(t.input && t.output && t.mixin && t.unique_items);
        assert_eq!(
            t.deprecated,
            Some(Deprecated {
                message: Some("m".into()),
                since: Some("s".into())
            })
        );
        assert_eq!(t.other.len(), 1);
        assert!(t.other("aws.api#service").is_some());
    }

    #[test]
    fn wrong_json_types_are_errors() {
        let cases = [
            (json!({"jsonName": 1}), "trait `smithy.api#jsonName` must be a string, not a number"),
            (json!({"required": "yes"}), "trait `smithy.api#required` must be an object (`{}`), not a string"),
            (json!({"error": "user"}), "trait `smithy.api#error` must be \"client\" or \"server\", not \"user\""),
            (json!({"error": 1}), "trait `smithy.api#error` must be \"client\" or \"server\", not a number"),
            (json!({"http": {"method": "GET"}}), "trait `smithy.api#http` has no `uri`"),
            (json!({"http": {"method": "GET", "uri": "/", "code": "200"}}), "trait `smithy.api#http`: `code` must be an HTTP status code (an integer from 100 to 999)"),
            (json!({"httpError": 42}), "trait `smithy.api#httpError` must be an HTTP status code (an integer from 100 to 999)"),
            (json!({"length": {"min": -1}}), "trait `smithy.api#length`: `min` must be a non-negative integer, not -1"),
            (json!({"range": {"max": "9"}}), "trait `smithy.api#range`: `max` must be a number, not a string"),
            (json!({"timestampFormat": "iso"}), "trait `smithy.api#timestampFormat` must be \"date-time\", \"http-date\" or \"epoch-seconds\", not \"iso\""),
            (json!({"enumValue": 1.5}), "trait `smithy.api#enumValue` must be a string or an integer, not 1.5"),
            (json!({"enum": [{"name": "A"}]}), "trait `smithy.api#enum`: a definition has no `value`"),
            (json!({"deprecated": {"since": 2}}), "trait `smithy.api#deprecated`: `since` must be a string, not a number"),
            (json!({"mixin": {"localTraits": "x"}}), "trait `smithy.api#mixin`: `localTraits` must be an array, not a string"),
        ];
        for (input, message) in cases {
            assert_eq!(typed(input.clone()).unwrap_err(), message, "{input}");
        }
    }

    #[test]
    fn merging_applied_traits() {
        let mut m = TraitMap::new();
        merge_trait(&mut m, "a#t".into(), json!([1])).unwrap();
        merge_trait(&mut m, "a#t".into(), json!([2])).unwrap();
        assert_eq!(m["a#t"], json!([1, 2]));
        merge_trait(&mut m, "a#d".into(), json!("x")).unwrap();
        merge_trait(&mut m, "a#d".into(), json!("x")).unwrap();
        assert!(merge_trait(&mut m, "a#d".into(), json!("y")).is_err());
    }
}
