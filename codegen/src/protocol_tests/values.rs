//! A protocol test's `params` → the Rust expression that builds the value through the
//! generated crate's public API (builders, enum `From`, union variants). Paths come from
//! `Symbols` (as `crate::…`) and are rewritten to the crate's name, since the tests are an
//! integration test outside the crate.

use proc_macro2::{Group, Ident, Literal, TokenStream, TokenTree};
use quote::quote;
use serde_json::Value;

use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::model::{Shape, ShapeId, ShapeType};

/// Builds values of the model's shapes from JSON test params.
pub struct Values<'c, 'a> {
    pub ctx: &'c Context<'a>,
    pub krate: Ident,
    /// The case being generated, for messages (`RestJsonFoo`).
    pub case: String,
}

impl Values<'_, '_> {
    /// `ts` with a leading `crate` (at any depth) replaced by the generated crate's name.
    pub fn ext(&self, ts: TokenStream) -> TokenStream {
        ts.into_iter()
            .map(|tt| match tt {
                TokenTree::Ident(i) if i == "crate" => TokenTree::Ident(self.krate.clone()),
                TokenTree::Group(g) => {
                    let mut group = Group::new(g.delimiter(), self.ext(g.stream()));
                    group.set_span(g.span());
                    TokenTree::Group(group)
                }
                other => other,
            })
            .collect()
    }

    fn err(&self, shape: &Shape, at: &str, message: impl std::fmt::Display) -> CodegenError {
        CodegenError::new(format!(
            "protocol test `{}`: params{at}: {message}",
            self.case
        ))
        .in_file(&shape.source)
        .at_shape(&shape.id)
    }

    /// The builder calls (`.set_x(Some(v))`) for a structure's members set in `params`.
    pub fn setters(&self, shape: &Shape, params: &Value, at: &str) -> Result<Vec<TokenStream>> {
        let symbols = self.ctx.symbols;
        let Some(object) = params.as_object() else {
            if params.is_null() {
                return Ok(Vec::new());
            }
            return Err(self.err(shape, at, "expected an object"));
        };
        let mut out = Vec::new();
        for (name, value) in object {
            let member = shape
                .members
                .iter()
                .find(|m| m.name == *name)
                .ok_or_else(|| {
                    self.err(shape, at, format!("`{}` has no member `{name}`", shape.id))
                })?;
            if value.is_null() {
                continue;
            }
            let setter = symbols.member_setter(&shape.id, &member.name)?;
            let mut expr = self.value(&member.target, value, &format!("{at}.{name}"))?;
            if symbols.is_boxed(&shape.id, &member.name) {
                expr = quote!(Box::new(#expr));
            }
            out.push(quote!(.#setter(Some(#expr))));
        }
        Ok(out)
    }

    /// Whether the structure's `build()` returns a `Result` (a non-optional member without a
    /// non-null `@default`; the rule `emit::structure` applies).
    pub fn build_is_fallible(&self, shape: &Shape) -> bool {
        shape.members.iter().any(|m| {
            !self.ctx.symbols.is_optional(&shape.id, &m.name)
                && m.traits.default.as_ref().is_none_or(|v| v.is_null())
        })
    }

    /// `Path::builder()...build()` for a structure.
    pub fn structure(&self, shape: &Shape, params: &Value, at: &str) -> Result<TokenStream> {
        let path = self.ext(self.ctx.symbols.type_path(&shape.id)?);
        let setters = self.setters(shape, params, at)?;
        let unwrap = self
            .build_is_fallible(shape)
            .then(|| quote!(.expect("the test's params set every required member")));
        Ok(quote!(#path::builder() #(#setters)* .build() #unwrap))
    }

    /// The expression for a value of shape `target`.
    pub fn value(&self, target: &ShapeId, v: &Value, at: &str) -> Result<TokenStream> {
        let symbols = self.ctx.symbols;
        let shape = symbols.shape(target)?;
        let bad = |what: &str| self.err(shape, at, format!("expected {what}, found {v}"));
        Ok(match shape.ty {
            ShapeType::Structure if target.is_unit() => quote!(()),
            ShapeType::Structure => self.structure(shape, v, at)?,
            ShapeType::Union => {
                let object = v.as_object().ok_or_else(|| bad("an object"))?;
                let mut entries = object.iter().filter(|(_, v)| !v.is_null());
                let (name, value) = match (entries.next(), entries.next()) {
                    (Some(entry), None) => entry,
                    _ => return Err(bad("an object with one member set")),
                };
                let member = shape
                    .members
                    .iter()
                    .find(|m| m.name == *name)
                    .ok_or_else(|| bad("a member of the union"))?;
                let path = self.ext(symbols.type_path(&shape.id)?);
                let variant = symbols.variant_ident(&shape.id, &member.name)?;
                let mut inner = self.value(&member.target, value, &format!("{at}.{name}"))?;
                if symbols.is_boxed(&shape.id, &member.name) {
                    inner = quote!(Box::new(#inner));
                }
                quote!(#path::#variant(#inner))
            }
            ShapeType::String => {
                let s = v.as_str().ok_or_else(|| bad("a string"))?;
                quote!(String::from(#s))
            }
            ShapeType::Enum => {
                let s = v.as_str().ok_or_else(|| bad("a string"))?;
                let path = self.ext(symbols.type_path(&shape.id)?);
                quote!(#path::from(#s))
            }
            ShapeType::IntEnum => {
                let n = v
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(|| bad("an i32"))?;
                let path = self.ext(symbols.type_path(&shape.id)?);
                quote!(#path::from(#n))
            }
            ShapeType::Boolean => {
                let b = v.as_bool().ok_or_else(|| bad("a boolean"))?;
                quote!(#b)
            }
            ShapeType::Byte => int(v.as_i64(), Literal::i8_suffixed).ok_or_else(|| bad("an i8"))?,
            ShapeType::Short => {
                int(v.as_i64(), Literal::i16_suffixed).ok_or_else(|| bad("an i16"))?
            }
            ShapeType::Integer => {
                int(v.as_i64(), Literal::i32_suffixed).ok_or_else(|| bad("an i32"))?
            }
            ShapeType::Long => {
                let n = v.as_i64().ok_or_else(|| bad("an i64"))?;
                let lit = Literal::i64_suffixed(n);
                quote!(#lit)
            }
            ShapeType::Float | ShapeType::Double => {
                let ty = if shape.ty == ShapeType::Float {
                    quote!(f32)
                } else {
                    quote!(f64)
                };
                match v {
                    Value::String(s) if s == "NaN" => quote!(#ty::NAN),
                    Value::String(s) if s == "Infinity" => quote!(#ty::INFINITY),
                    Value::String(s) if s == "-Infinity" => quote!(#ty::NEG_INFINITY),
                    Value::Number(n) => {
                        let f = n.as_f64().ok_or_else(|| bad("a number"))?;
                        let lit = if shape.ty == ShapeType::Float {
                            Literal::f32_suffixed(f as f32)
                        } else {
                            Literal::f64_suffixed(f)
                        };
                        quote!(#lit)
                    }
                    _ => return Err(bad("a number, NaN, Infinity or -Infinity")),
                }
            }
            ShapeType::BigInteger | ShapeType::BigDecimal => {
                let text = match v {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    _ => return Err(bad("a number")),
                };
                let path = self.ext(symbols.rust_type(target)?);
                quote!(#path(String::from(#text)))
            }
            ShapeType::Timestamp => {
                let nanos = match v {
                    Value::Number(n) => exact_nanos(&n.to_string()),
                    _ => None,
                }
                .ok_or_else(|| bad("epoch seconds"))?;
                let lit = Literal::i128_suffixed(nanos);
                let path = self.ext(quote!(crate::primitives::DateTime));
                quote!(#path::from_unix_timestamp_nanos(#lit).expect("a valid timestamp"))
            }
            ShapeType::Blob => {
                let s = v.as_str().ok_or_else(|| bad("a string"))?;
                let lit = Literal::byte_string(s.as_bytes());
                if shape.traits.streaming {
                    let path = self.ext(quote!(crate::primitives::ByteStream));
                    quote!(#path::from(#lit.to_vec()))
                } else {
                    quote!(#lit.to_vec())
                }
            }
            ShapeType::Document => {
                let text = v.to_string();
                let path = self.ext(quote!(crate::primitives::Document));
                quote!(serde_json::from_str::<#path>(#text).expect("a JSON document"))
            }
            ShapeType::List | ShapeType::Set => {
                let items = v.as_array().ok_or_else(|| bad("an array"))?;
                let member = shape
                    .list_member()
                    .ok_or_else(|| bad("a list with a member"))?;
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let at = format!("{at}[{i}]");
                    out.push(match (shape.traits.sparse, item) {
                        (true, Value::Null) => quote!(None),
                        (true, item) => {
                            let e = self.value(&member.target, item, &at)?;
                            quote!(Some(#e))
                        }
                        (false, item) => self.value(&member.target, item, &at)?,
                    });
                }
                quote!(vec![#(#out),*])
            }
            ShapeType::Map => {
                let object = v.as_object().ok_or_else(|| bad("an object"))?;
                let (key_member, value_member) = shape
                    .map_key_value()
                    .ok_or_else(|| bad("a map with key and value"))?;
                let key_shape = self.ctx.symbols.shape(&key_member.target)?;
                let key_ty = if key_shape.ty == ShapeType::Enum {
                    self.ext(self.ctx.symbols.type_path(&key_shape.id)?)
                } else {
                    quote!(String)
                };
                let mut out = Vec::new();
                for (k, item) in object {
                    let at = format!("{at}.{k}");
                    let e = match (shape.traits.sparse, item) {
                        (true, Value::Null) => quote!(None),
                        (true, item) => {
                            let e = self.value(&value_member.target, item, &at)?;
                            quote!(Some(#e))
                        }
                        (false, item) => self.value(&value_member.target, item, &at)?,
                    };
                    out.push(quote!((<#key_ty>::from(#k), #e)));
                }
                quote!(::std::collections::HashMap::from([#(#out),*]))
            }
            ShapeType::Operation | ShapeType::Service | ShapeType::Resource => {
                return Err(bad("a value shape"))
            }
        })
    }

    /// A value that passes serialization, for a required member a response test leaves
    /// unset (the request only carries the response back).
    pub fn placeholder(&self, target: &ShapeId, depth: usize) -> Result<TokenStream> {
        let symbols = self.ctx.symbols;
        let shape = symbols.shape(target)?;
        let value = match shape.ty {
            ShapeType::Structure if depth < 8 => {
                let mut object = serde_json::Map::new();
                for m in &shape.members {
                    if !symbols.is_optional(&shape.id, &m.name)
                        && m.traits.default.as_ref().is_none_or(|v| v.is_null())
                    {
                        object.insert(m.name.clone(), Value::Null);
                    }
                }
                // Required members get placeholders of their own.
                let path = self.ext(symbols.type_path(&shape.id)?);
                let mut setters = Vec::new();
                for name in object.keys() {
                    let m = shape.members.iter().find(|m| m.name == *name);
                    let Some(m) = m else { continue };
                    let setter = symbols.member_setter(&shape.id, &m.name)?;
                    let mut e = self.placeholder(&m.target, depth + 1)?;
                    if symbols.is_boxed(&shape.id, &m.name) {
                        e = quote!(Box::new(#e));
                    }
                    setters.push(quote!(.#setter(Some(#e))));
                }
                let unwrap = self
                    .build_is_fallible(shape)
                    .then(|| quote!(.expect("placeholders set every required member")));
                return Ok(quote!(#path::builder() #(#setters)* .build() #unwrap));
            }
            ShapeType::Union => match shape.members.first() {
                Some(m) => {
                    let mut object = serde_json::Map::new();
                    object.insert(m.name.clone(), placeholder_json(symbols.shape(&m.target)?));
                    Value::Object(object)
                }
                None => Value::Object(Default::default()),
            },
            _ => placeholder_json(shape),
        };
        self.value(target, &value, "")
    }
}

fn placeholder_json(shape: &Shape) -> Value {
    match shape.ty {
        ShapeType::Boolean => Value::Bool(false),
        ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::IntEnum
        | ShapeType::Float
        | ShapeType::Double
        | ShapeType::BigInteger
        | ShapeType::BigDecimal
        | ShapeType::Timestamp => Value::from(0),
        ShapeType::List | ShapeType::Set => Value::Array(Vec::new()),
        ShapeType::Map | ShapeType::Structure | ShapeType::Union => {
            Value::Object(Default::default())
        }
        _ => Value::String("placeholder".to_string()),
    }
}

fn int<T: TryFrom<i64>>(n: Option<i64>, make: fn(T) -> Literal) -> Option<TokenStream> {
    let lit = make(T::try_from(n?).ok()?);
    Some(quote!(#lit))
}

/// Epoch seconds written in decimal (`1576540098.123`, `1.5e9`) → nanoseconds, exactly (no
/// floating-point rounding).
pub fn exact_nanos(text: &str) -> Option<i128> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: i128 = digits.parse().ok()?;
    let scale = 9 + exponent - fraction.len() as i32;
    if scale >= 0 {
        value = value.checked_mul(10i128.checked_pow(scale as u32)?)?;
    } else {
        let divisor = 10i128.checked_pow((-scale) as u32)?;
        if value % divisor != 0 {
            return None;
        }
        value /= divisor;
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::exact_nanos;

    #[test]
    fn epoch_seconds_to_nanos_exactly() {
        assert_eq!(exact_nanos("1576540098"), Some(1_576_540_098_000_000_000));
        assert_eq!(
            exact_nanos("1576540098.123"),
            Some(1_576_540_098_123_000_000)
        );
        assert_eq!(exact_nanos("1.5e9"), Some(1_500_000_000_000_000_000));
        assert_eq!(exact_nanos("-1.5"), Some(-1_500_000_000));
        assert_eq!(exact_nanos("0.0000000001"), None);
        assert_eq!(exact_nanos("x"), None);
    }
}
