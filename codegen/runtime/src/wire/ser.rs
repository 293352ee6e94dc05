//! Writing JSON bodies through `serde::Serializer` (in practice `serde_json`'s).
//!
//! Generated structures, unions and enums implement [`WriteJson`]. A member's value is
//! written as `With(&value, format)`, where the format ([`Plain`], [`Json`], [`Ts`],
//! [`Blob`], [`Float`], [`ListOf`], [`MapOf`], ...) carries the member's wire rules:
//! timestamps in their `@timestampFormat` (epoch seconds by default), blobs as base64,
//! non-finite floats as the strings `NaN`, `Infinity`, `-Infinity`.

use std::collections::HashMap;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::wire::timestamp::{self, EpochNumber, Format};
use crate::wire::MapKey;

/// Which members a structure writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The request body: only members bound to the body (`@idempotencyToken` members that
    /// are unset get a fresh token).
    Wire,
    /// Every member, keyed by its JSON name (the public `serde` form).
    Full,
}

/// A generated type with a JSON form.
pub trait WriteJson {
    /// Writes the value. `mode` matters only to operation inputs and outputs, whose members
    /// may be bound to the URI or headers rather than the body.
    fn write_json<S: Serializer>(&self, serializer: S, mode: Mode) -> Result<S::Ok, S::Error>;
}

/// `smithy.api#Unit` (a union member without a value) is `{}`.
impl WriteJson for () {
    fn write_json<S: Serializer>(&self, serializer: S, _mode: Mode) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

/// How to write a value of type `T`.
pub trait SerWith<T: ?Sized>: Copy {
    /// Writes `value`.
    fn ser<S: Serializer>(self, value: &T, serializer: S) -> Result<S::Ok, S::Error>;
}

/// A value paired with its format; implements `Serialize`.
pub struct With<'a, T: ?Sized, F>(pub &'a T, pub F);

impl<T: ?Sized, F: SerWith<T>> Serialize for With<'_, T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.1.ser(self.0, serializer)
    }
}

/// Writes a top-level value (a request body, a payload) in [`Mode::Wire`].
pub struct Body<'a, T: ?Sized>(pub &'a T);

impl<T: WriteJson + ?Sized> Serialize for Body<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write_json(serializer, Mode::Wire)
    }
}

/// Serializes a request body to bytes.
pub fn to_body<T: WriteJson + ?Sized>(
    value: &T,
) -> Result<bytes::Bytes, crate::wire::SerializeError> {
    serde_json::to_vec(&Body(value))
        .map(bytes::Bytes::from)
        .map_err(|e| crate::wire::SerializeError::Body {
            message: e.to_string(),
        })
}

/// Serializes a value with a format as a request body (document payloads).
pub fn to_body_with<T: ?Sized, F: SerWith<T>>(
    value: &T,
    format: F,
) -> Result<bytes::Bytes, crate::wire::SerializeError> {
    serde_json::to_vec(&With(value, format))
        .map(bytes::Bytes::from)
        .map_err(|e| crate::wire::SerializeError::Body {
            message: e.to_string(),
        })
}

/// The value's own `Serialize` (strings, booleans, integers, documents).
#[derive(Debug, Clone, Copy)]
pub struct Plain;

impl<T: Serialize + ?Sized> SerWith<T> for Plain {
    fn ser<S: Serializer>(self, value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }
}

/// A generated type's [`WriteJson`] (structures, unions, enums).
#[derive(Debug, Clone, Copy)]
pub struct Json;

impl<T: WriteJson + ?Sized> SerWith<T> for Json {
    fn ser<S: Serializer>(self, value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.write_json(serializer, Mode::Full)
    }
}

/// A timestamp in a format: epoch seconds as a number, the others as strings.
#[derive(Debug, Clone, Copy)]
pub struct Ts(pub Format);

impl SerWith<time::OffsetDateTime> for Ts {
    fn ser<S: Serializer>(
        self,
        value: &time::OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match self.0 {
            Format::EpochSeconds => match timestamp::epoch_seconds_number(value) {
                EpochNumber::Integer(i) => serializer.serialize_i64(i),
                EpochNumber::Float(f) => serializer.serialize_f64(f),
            },
            Format::DateTime => serializer.serialize_str(&timestamp::format_date_time(value)),
            Format::HttpDate => serializer.serialize_str(&timestamp::format_http_date(value)),
        }
    }
}

/// Bytes as a base64 string.
#[derive(Debug, Clone, Copy)]
pub struct Blob;

impl SerWith<Vec<u8>> for Blob {
    fn ser<S: Serializer>(self, value: &Vec<u8>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::wire::base64_encode(value))
    }
}

/// A float: finite values as numbers, the others as `NaN`, `Infinity`, `-Infinity`.
#[derive(Debug, Clone, Copy)]
pub struct Float;

impl SerWith<f64> for Float {
    fn ser<S: Serializer>(self, value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_finite() {
            serializer.serialize_f64(*value)
        } else {
            serializer.serialize_str(&crate::wire::uri::float_text(*value))
        }
    }
}

impl SerWith<f32> for Float {
    fn ser<S: Serializer>(self, value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_finite() {
            serializer.serialize_f32(*value)
        } else {
            serializer.serialize_str(&crate::wire::uri::float_text(*value as f64))
        }
    }
}

/// A `bigInteger`/`bigDecimal` as a JSON number: exactly when it fits 128 bits, else as
/// the nearest `f64` (serde_json without `arbitrary_precision` writes nothing wider); text
/// that is not a number is written as a string rather than dropped.
#[derive(Debug, Clone, Copy)]
pub struct Big;

fn big_number<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if let Ok(i) = text.parse::<i128>() {
        serializer.serialize_i128(i)
    } else if let Ok(u) = text.parse::<u128>() {
        serializer.serialize_u128(u)
    } else {
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => serializer.serialize_f64(f),
            _ => serializer.serialize_str(text),
        }
    }
}

impl SerWith<crate::primitives::BigInteger> for Big {
    fn ser<S: Serializer>(
        self,
        value: &crate::primitives::BigInteger,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        big_number(&value.0, serializer)
    }
}

impl SerWith<crate::primitives::BigDecimal> for Big {
    fn ser<S: Serializer>(
        self,
        value: &crate::primitives::BigDecimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        big_number(&value.0, serializer)
    }
}

/// Through a `Box` (recursive shapes).
#[derive(Debug, Clone, Copy)]
pub struct Boxed<F>(pub F);

impl<T, F: SerWith<T>> SerWith<Box<T>> for Boxed<F> {
    fn ser<S: Serializer>(self, value: &Box<T>, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.ser(&**value, serializer)
    }
}

/// A dense list.
#[derive(Debug, Clone, Copy)]
pub struct ListOf<F>(pub F);

impl<T, F: SerWith<T>> SerWith<Vec<T>> for ListOf<F> {
    fn ser<S: Serializer>(self, value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(value.len()))?;
        for item in value {
            seq.serialize_element(&With(item, self.0))?;
        }
        seq.end()
    }
}

/// A `@sparse` list: `None` entries are written as `null`.
#[derive(Debug, Clone, Copy)]
pub struct SparseListOf<F>(pub F);

impl<T, F: SerWith<T>> SerWith<Vec<Option<T>>> for SparseListOf<F> {
    fn ser<S: Serializer>(self, value: &Vec<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(value.len()))?;
        for item in value {
            match item {
                Some(v) => seq.serialize_element(&With(v, self.0))?,
                None => seq.serialize_element(&())?,
            }
        }
        seq.end()
    }
}

/// A dense map. Keys are written sorted, so the same value always gives the same bytes.
#[derive(Debug, Clone, Copy)]
pub struct MapOf<F>(pub F);

impl<K: MapKey, T, F: SerWith<T>> SerWith<HashMap<K, T>> for MapOf<F> {
    fn ser<S: Serializer>(self, value: &HashMap<K, T>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<(&str, &T)> = value.iter().map(|(k, v)| (k.as_wire(), v)).collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (k, v) in entries {
            map.serialize_entry(k, &With(v, self.0))?;
        }
        map.end()
    }
}

/// A `@sparse` map: `None` values are written as `null`.
#[derive(Debug, Clone, Copy)]
pub struct SparseMapOf<F>(pub F);

impl<K: MapKey, T, F: SerWith<T>> SerWith<HashMap<K, Option<T>>> for SparseMapOf<F> {
    fn ser<S: Serializer>(
        self,
        value: &HashMap<K, Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<(&str, &Option<T>)> =
            value.iter().map(|(k, v)| (k.as_wire(), v)).collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (k, v) in entries {
            match v {
                Some(v) => map.serialize_entry(k, &With(v, self.0))?,
                None => map.serialize_entry(k, &())?,
            }
        }
        map.end()
    }
}

/// The error for a union's `Unknown` variant, which has no wire form.
pub fn unknown_variant<E: serde::ser::Error>(union: &str) -> E {
    E::custom(format!(
        "{union}::Unknown cannot be serialized: it stands for a variant this client does not know"
    ))
}

/// An error with a message (for generated code that cannot name `S::Error::custom`).
pub fn custom<E: serde::ser::Error>(message: &str) -> E {
    E::custom(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn json<T: ?Sized, F: SerWith<T>>(value: &T, f: F) -> String {
        serde_json::to_string(&With(value, f)).unwrap()
    }

    #[test]
    fn formats() {
        let t = datetime!(2019-12-16 23:48:18 UTC);
        assert_eq!(json(&t, Ts(Format::EpochSeconds)), "1576540098");
        assert_eq!(
            json(
                &datetime!(2019-12-16 23:48:18.5 UTC),
                Ts(Format::EpochSeconds)
            ),
            "1576540098.5"
        );
        assert_eq!(json(&t, Ts(Format::DateTime)), "\"2019-12-16T23:48:18Z\"");
        assert_eq!(
            json(&t, Ts(Format::HttpDate)),
            "\"Mon, 16 Dec 2019 23:48:18 GMT\""
        );
        assert_eq!(json(&b"hi".to_vec(), Blob), "\"aGk=\"");
        assert_eq!(json(&f64::NAN, Float), "\"NaN\"");
        assert_eq!(json(&f64::INFINITY, Float), "\"Infinity\"");
        assert_eq!(json(&f32::NEG_INFINITY, Float), "\"-Infinity\"");
        assert_eq!(json(&1.5f64, Float), "1.5");
        assert_eq!(json(&0.1f32, Float), "0.1");
        assert_eq!(json("a\"b\u{1}", Plain), r#""a\"b\u0001""#);
        assert_eq!(json(&vec![1, 2], ListOf(Plain)), "[1,2]");
        assert_eq!(json(&vec![Some(1), None], SparseListOf(Plain)), "[1,null]");
        let m: HashMap<String, i32> = [("b".to_string(), 2), ("a".to_string(), 1)].into();
        assert_eq!(json(&m, MapOf(Plain)), r#"{"a":1,"b":2}"#);
        // Any `MapKey` is written by its wire value, sorted by it.
        #[derive(PartialEq, Eq, Hash)]
        struct Key(&'static str);
        impl MapKey for Key {
            fn from_wire(key: String) -> Self {
                Key(Box::leak(key.into_boxed_str()))
            }
            fn as_wire(&self) -> &str {
                self.0
            }
        }
        let k: HashMap<Key, i32> = [(Key("z"), 2), (Key("new"), 1)].into();
        assert_eq!(json(&k, MapOf(Plain)), r#"{"new":1,"z":2}"#);
        let k: HashMap<Key, Option<i32>> = [(Key("z"), None)].into();
        assert_eq!(json(&k, SparseMapOf(Plain)), r#"{"z":null}"#);
        let s: HashMap<String, Option<i32>> = [("a".to_string(), None)].into();
        assert_eq!(json(&s, SparseMapOf(Plain)), r#"{"a":null}"#);
        let big = crate::primitives::BigInteger("123456789012345678901234567890".to_string());
        assert_eq!(json(&big, Big), "123456789012345678901234567890");
        let dec = crate::primitives::BigDecimal("1.5".to_string());
        assert_eq!(json(&dec, Big), "1.5");
        assert_eq!(
            json(&Box::new(vec![t]), Boxed(ListOf(Ts(Format::DateTime)))),
            "[\"2019-12-16T23:48:18Z\"]"
        );
    }
}
