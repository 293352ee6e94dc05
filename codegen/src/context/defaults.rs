//! `@default` values → Rust expressions for builders.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::Context;
use crate::error::{CodegenError, Result};
use crate::model::{Member, ShapeType};

/// `local` (an `Option` of the member's value) with the member's non-null `@default`
/// standing in for `None`: `unwrap_or_default()` where the default is the type's own,
/// `unwrap_or(literal)` for scalars, `unwrap_or_else(|| expr)` otherwise. Shared by the
/// builders and the response deserializers, so both fill a member the same way.
pub fn or_default(
    ctx: &Context<'_>,
    member: &Member,
    value: &Value,
    boxed: bool,
    local: &TokenStream,
) -> Result<TokenStream> {
    let target = ctx.symbols.shape(&member.target)?.ty;
    let own_default = matches!(
        target,
        ShapeType::Boolean
            | ShapeType::Byte
            | ShapeType::Short
            | ShapeType::Integer
            | ShapeType::Long
            | ShapeType::Float
            | ShapeType::Double
            | ShapeType::String
            | ShapeType::Blob
            | ShapeType::List
            | ShapeType::Set
            | ShapeType::Map
    ) || (target == ShapeType::Document && value.is_null());
    // A document's own default is `null`: `false`, `0`, `""`, `[]` and `{}` are values.
    if own_default && is_zero(value) {
        return Ok(quote!(#local.unwrap_or_default()));
    }
    let expr = default_expr(ctx, member, value)?;
    Ok(if boxed {
        quote!(#local.unwrap_or_else(|| Box::new(#expr)))
    } else if target.is_copy_scalar() {
        quote!(#local.unwrap_or(#expr))
    } else {
        quote!(#local.unwrap_or_else(|| #expr))
    })
}

/// Whether a `@default` value is the zero value of its JSON kind.
pub fn is_zero(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => true,
    }
}

/// The expression that builds a member's `@default` value.
pub fn default_expr(ctx: &Context<'_>, member: &Member, value: &Value) -> Result<TokenStream> {
    let target = ctx.symbols.shape(&member.target)?;
    let bad = || {
        CodegenError::new(format!(
            "`@default` value {value} does not fit a {}",
            target.ty.as_ast()
        ))
        .in_file(&target.source)
        .at_member(&member.name)
    };
    Ok(match (target.ty, value) {
        (ShapeType::Boolean, Value::Bool(b)) => quote!(#b),
        (ShapeType::String, Value::String(s)) => quote!(String::from(#s)),
        (ShapeType::Enum, Value::String(s)) => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(#path::from(#s))
        }
        (ShapeType::IntEnum, Value::Number(n)) => {
            let n = n
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(bad)?;
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(#path::from(#n))
        }
        (ShapeType::Byte, Value::Number(n)) => int_literal(n.as_i64(), Literal::i8_suffixed, bad)?,
        (ShapeType::Short, Value::Number(n)) => {
            int_literal(n.as_i64(), Literal::i16_suffixed, bad)?
        }
        (ShapeType::Integer, Value::Number(n)) => {
            int_literal(n.as_i64(), Literal::i32_suffixed, bad)?
        }
        (ShapeType::Long, Value::Number(n)) => {
            let n = n.as_i64().ok_or_else(bad)?;
            let lit = Literal::i64_suffixed(n);
            quote!(#lit)
        }
        (ShapeType::Float, Value::Number(n)) => {
            let lit = Literal::f32_suffixed(n.as_f64().ok_or_else(bad)? as f32);
            quote!(#lit)
        }
        (ShapeType::Double, Value::Number(n)) => {
            let lit = Literal::f64_suffixed(n.as_f64().ok_or_else(bad)?);
            quote!(#lit)
        }
        (ShapeType::Timestamp, Value::Number(n)) if n.as_i64().is_none() => {
            let nanos = (n.as_f64().ok_or_else(bad)? * 1e9).round() as i128;
            quote!(crate::primitives::DateTime::from_unix_timestamp_nanos(#nanos).unwrap_or(crate::primitives::DateTime::UNIX_EPOCH))
        }
        (ShapeType::Timestamp, Value::Number(n)) => {
            let secs = n.as_i64().ok_or_else(bad)?;
            quote!(crate::primitives::DateTime::from_unix_timestamp(#secs).unwrap_or(crate::primitives::DateTime::UNIX_EPOCH))
        }
        (ShapeType::Blob, Value::String(s)) if s.is_empty() => quote!(Vec::new()),
        // A blob's `@default` is its base64 text.
        (ShapeType::Blob, Value::String(s)) => {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| bad())?;
            quote!(vec![#(#bytes),*])
        }
        (ShapeType::List | ShapeType::Set, Value::Array(a)) if a.is_empty() => quote!(Vec::new()),
        (ShapeType::Map, Value::Object(o)) if o.is_empty() => {
            quote!(::std::collections::HashMap::new())
        }
        (ShapeType::Document, v) => {
            let text = v.to_string();
            quote!(crate::rt::wire::document_from_str(#text))
        }
        _ => return Err(bad()),
    })
}

fn int_literal<T: TryFrom<i64>>(
    n: Option<i64>,
    make: fn(T) -> Literal,
    bad: impl Fn() -> CodegenError,
) -> Result<TokenStream> {
    let n = n.and_then(|n| T::try_from(n).ok()).ok_or_else(&bad)?;
    let lit = make(n);
    Ok(quote!(#lit))
}
