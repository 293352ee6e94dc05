//! The per-type pieces every protocol emitter shares: which runtime reader or writer a
//! member's target uses, and how a value becomes text for a label, query or header.

use proc_macro2::TokenStream;
use quote::quote;

use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::model::{Member, Shape, ShapeType, TimestampFormat};

/// The member's `@timestampFormat`, else its target's, else the location's default.
pub fn timestamp_format(
    member: &Member,
    target: &Shape,
    default: TimestampFormat,
) -> TimestampFormat {
    member
        .traits
        .timestamp_format
        .or(target.traits.timestamp_format)
        .unwrap_or(default)
}

/// `crate::rt::wire::timestamp::Format::DateTime`.
pub fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(crate::rt::wire::timestamp::Format::DateTime),
        TimestampFormat::HttpDate => quote!(crate::rt::wire::timestamp::Format::HttpDate),
        TimestampFormat::EpochSeconds => quote!(crate::rt::wire::timestamp::Format::EpochSeconds),
    }
}

/// `@mediaType` of a shape, if any.
pub fn media_type(shape: &Shape) -> Option<&str> {
    shape
        .traits
        .other("smithy.api#mediaType")
        .and_then(|v| v.as_str())
}

fn unsupported(target: &Shape, what: &str) -> CodegenError {
    CodegenError::new(format!(
        "a {} cannot be {what} in restJson1",
        target.ty.as_ast()
    ))
    .in_file(&target.source)
    .at_shape(&target.id)
}

fn list_member(target: &Shape) -> Result<&Member> {
    target.list_member().ok_or_else(|| {
        CodegenError::new("list has no member")
            .in_file(&target.source)
            .at_shape(&target.id)
    })
}

fn map_key(target: &Shape) -> Result<&Member> {
    target.map_key_value().map(|(k, _)| k).ok_or_else(|| {
        CodegenError::new("map has no key or value")
            .in_file(&target.source)
            .at_shape(&target.id)
    })
}

fn map_value(target: &Shape) -> Result<&Member> {
    target.map_key_value().map(|(_, v)| v).ok_or_else(|| {
        CodegenError::new("map has no key or value")
            .in_file(&target.source)
            .at_shape(&target.id)
    })
}

/// The JSON reader (`crate::rt::wire::de::*`) for a member's target, without `Opt`/`Boxed`.
pub fn reader(ctx: &Context<'_>, member: &Member) -> Result<TokenStream> {
    let target = ctx.symbols.shape(&member.target)?;
    Ok(match target.ty {
        ShapeType::Blob => quote!(crate::rt::wire::de::Blob),
        ShapeType::Boolean => quote!(crate::rt::wire::de::Bool),
        ShapeType::String => quote!(crate::rt::wire::de::Str),
        ShapeType::Enum => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(crate::rt::wire::de::EnumStr::<#path>::new())
        }
        ShapeType::IntEnum => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(crate::rt::wire::de::IntEnum::<#path>::new())
        }
        ShapeType::Byte => quote!(crate::rt::wire::de::Int::<i8>::new()),
        ShapeType::Short => quote!(crate::rt::wire::de::Int::<i16>::new()),
        ShapeType::Integer => quote!(crate::rt::wire::de::Int::<i32>::new()),
        ShapeType::Long => quote!(crate::rt::wire::de::Int::<i64>::new()),
        ShapeType::Float => quote!(crate::rt::wire::de::Float32),
        ShapeType::Double => quote!(crate::rt::wire::de::Float64),
        ShapeType::BigInteger => quote!(crate::rt::wire::de::BigInt),
        ShapeType::BigDecimal => quote!(crate::rt::wire::de::BigDec),
        ShapeType::Timestamp => {
            let f = format_tokens(timestamp_format(
                member,
                target,
                TimestampFormat::EpochSeconds,
            ));
            quote!(crate::rt::wire::de::Ts(#f))
        }
        ShapeType::Document => quote!(crate::rt::wire::de::Doc),
        ShapeType::List | ShapeType::Set => {
            let inner = reader(ctx, list_member(target)?)?;
            if target.traits.sparse {
                quote!(crate::rt::wire::de::SparseList(#inner))
            } else {
                quote!(crate::rt::wire::de::List(#inner))
            }
        }
        ShapeType::Map => {
            let inner = reader(ctx, map_value(target)?)?;
            // Enum keys are read by wire value (`MapKey`); string keys as they are.
            let key = map_key(target)?;
            let key_shape = ctx.symbols.shape(&key.target)?;
            match (key_shape.ty == ShapeType::Enum, target.traits.sparse) {
                (true, sparse) => {
                    let path = ctx.symbols.type_path(&key_shape.id)?;
                    if sparse {
                        quote!(crate::rt::wire::de::SparseKeyMap::<#path, _>::new(#inner))
                    } else {
                        quote!(crate::rt::wire::de::KeyMap::<#path, _>::new(#inner))
                    }
                }
                (false, true) => quote!(crate::rt::wire::de::SparseMap(#inner)),
                (false, false) => quote!(crate::rt::wire::de::Map(#inner)),
            }
        }
        ShapeType::Structure | ShapeType::Union => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(crate::rt::wire::de::Struct::<#path>::new())
        }
        ShapeType::Operation | ShapeType::Service | ShapeType::Resource => {
            return Err(unsupported(target, "read from JSON"))
        }
    })
}

/// The JSON writer format (`crate::rt::wire::ser::*`) for a member's target, without `Boxed`.
pub fn writer(ctx: &Context<'_>, member: &Member) -> Result<TokenStream> {
    let target = ctx.symbols.shape(&member.target)?;
    Ok(match target.ty {
        ShapeType::Blob => quote!(crate::rt::wire::ser::Blob),
        ShapeType::Boolean
        | ShapeType::String
        | ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Document => quote!(crate::rt::wire::ser::Plain),
        ShapeType::Enum | ShapeType::IntEnum | ShapeType::Structure | ShapeType::Union => {
            quote!(crate::rt::wire::ser::Json)
        }
        ShapeType::Float | ShapeType::Double => quote!(crate::rt::wire::ser::Float),
        ShapeType::BigInteger | ShapeType::BigDecimal => quote!(crate::rt::wire::ser::Big),
        ShapeType::Timestamp => {
            let f = format_tokens(timestamp_format(
                member,
                target,
                TimestampFormat::EpochSeconds,
            ));
            quote!(crate::rt::wire::ser::Ts(#f))
        }
        ShapeType::List | ShapeType::Set => {
            let inner = writer(ctx, list_member(target)?)?;
            if target.traits.sparse {
                quote!(crate::rt::wire::ser::SparseListOf(#inner))
            } else {
                quote!(crate::rt::wire::ser::ListOf(#inner))
            }
        }
        ShapeType::Map => {
            let inner = writer(ctx, map_value(target)?)?;
            if target.traits.sparse {
                quote!(crate::rt::wire::ser::SparseMapOf(#inner))
            } else {
                quote!(crate::rt::wire::ser::MapOf(#inner))
            }
        }
        ShapeType::Operation | ShapeType::Service | ShapeType::Resource => {
            return Err(unsupported(target, "written as JSON"))
        }
    })
}

/// How a scalar value becomes text in a label, query string or header.
pub struct Text {
    /// The expression; `value` is a `&T`.
    pub expr: TokenStream,
    /// Whether `expr` is an owned `String` (else a `&str`).
    pub owned: bool,
    /// Whether it is a string that list headers quote when needed.
    pub quotable: bool,
}

impl Text {
    /// The expression as a `&str` argument.
    pub fn as_arg(&self) -> TokenStream {
        let expr = &self.expr;
        if self.owned {
            quote!(&#expr)
        } else {
            expr.clone()
        }
    }
}

/// The text of `value` (a `&T` for the member's target) for the HTTP bindings:
/// timestamps in `default` unless the model says otherwise, floats with `NaN`/`Infinity`,
/// blobs (and `@mediaType` strings in headers) base64.
pub fn text(
    ctx: &Context<'_>,
    member: &Member,
    value: &TokenStream,
    default: TimestampFormat,
    base64_media_strings: bool,
) -> Result<Text> {
    let target = ctx.symbols.shape(&member.target)?;
    let (expr, owned, quotable) = match target.ty {
        ShapeType::String if base64_media_strings && media_type(target).is_some() => (
            quote!(crate::rt::wire::base64_encode(#value.as_bytes())),
            true,
            false,
        ),
        ShapeType::String => (quote!(#value.as_str()), false, true),
        ShapeType::Enum => (quote!(#value.as_str()), false, true),
        ShapeType::Boolean => (quote!(if *#value { "true" } else { "false" }), false, false),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => {
            (quote!(#value.to_string()), true, false)
        }
        ShapeType::IntEnum => (quote!(#value.as_i32().to_string()), true, false),
        ShapeType::Float => (
            quote!(crate::rt::wire::uri::float32_text(*#value)),
            true,
            false,
        ),
        ShapeType::Double => (
            quote!(crate::rt::wire::uri::float_text(*#value)),
            true,
            false,
        ),
        ShapeType::BigInteger | ShapeType::BigDecimal => (quote!(#value.0.as_str()), false, false),
        ShapeType::Timestamp => {
            let f = format_tokens(timestamp_format(member, target, default));
            (
                quote!(crate::rt::wire::timestamp::format(#value, #f)),
                true,
                false,
            )
        }
        ShapeType::Blob => (quote!(crate::rt::wire::base64_encode(#value)), true, false),
        _ => {
            return Err(unsupported(
                target,
                "bound to a URI label, query parameter or header",
            ))
        }
    };
    Ok(Text {
        expr,
        owned,
        quotable,
    })
}
