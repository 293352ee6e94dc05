//! `enum` and `intEnum` shapes: a variant per value plus `Unknown`, which keeps values the
//! model did not know (services add values).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::structure::deprecated_attr;
use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::model::{EnumValue, Shape, ShapeType};

pub fn emit_enum(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let name = ctx.symbols.type_ident(&shape.id)?;
    let name_text = name.to_string();
    let docs = doc_attrs(
        shape.traits.documentation.as_deref(),
        &format!("The `{name_text}` enum."),
    );
    let deprecated = deprecated_attr(shape.traits.deprecated.as_ref());
    let mut variants = Vec::new();
    let mut docs_of = Vec::new();
    let mut values = Vec::new();
    for member in &shape.members {
        variants.push(ctx.symbols.variant_ident(&shape.id, &member.name)?);
        let value = member
            .traits
            .enum_value
            .clone()
            .unwrap_or(EnumValue::String(member.name.clone()));
        let fallback = match &value {
            EnumValue::String(s) => format!("`{s}`"),
            EnumValue::Int(i) => format!("`{i}`"),
        };
        let d = doc_attrs(member.traits.documentation.as_deref(), &fallback);
        let dep = deprecated_attr(member.traits.deprecated.as_ref());
        docs_of.push(quote!(#d #dep));
        values.push(value);
    }
    if shape.ty == ShapeType::IntEnum {
        let ints = values
            .iter()
            .map(|v| match v {
                EnumValue::Int(i) => i32::try_from(*i).map_err(|_| ()),
                EnumValue::String(_) => Err(()),
            })
            .collect::<std::result::Result<Vec<i32>, ()>>()
            .map_err(|_| {
                CodegenError::new("intEnum values must be 32-bit integers")
                    .in_file(&shape.source)
                    .at_shape(&shape.id)
            })?;
        return Ok(quote! {
            #docs
            #deprecated
            #[non_exhaustive]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #name {
                #(#docs_of #variants,)*
                /// A value this version of the crate does not know.
                Unknown(i32),
            }

            impl #name {
                /// The wire value.
                pub fn as_i32(&self) -> i32 {
                    match self {
                        #(#name::#variants => #ints,)*
                        #name::Unknown(value) => *value,
                    }
                }

                /// Every value the model knows.
                pub const fn values() -> &'static [i32] {
                    &[#(#ints),*]
                }
            }

            impl From<i32> for #name {
                fn from(value: i32) -> Self {
                    match value {
                        #(#ints => #name::#variants,)*
                        other => #name::Unknown(other),
                    }
                }
            }
        });
    }
    let strs = values
        .iter()
        .map(|v| match v {
            EnumValue::String(s) => Ok(s.clone()),
            EnumValue::Int(_) => Err(CodegenError::new("enum values must be strings")
                .in_file(&shape.source)
                .at_shape(&shape.id)),
        })
        .collect::<Result<Vec<String>>>()?;
    // A map of the closure keyed by this enum reads and writes keys by wire value.
    let map_key = is_map_key(ctx, shape).then(|| {
        quote! {
            impl crate::rt::wire::MapKey for #name {
                fn from_wire(key: String) -> Self {
                    #name::from(key.as_str())
                }
                fn as_wire(&self) -> &str {
                    self.as_str()
                }
            }
        }
    });
    Ok(quote! {
        #map_key

        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#docs_of #variants,)*
            /// A value this version of the crate does not know.
            Unknown(crate::primitives::UnknownVariantValue),
        }

        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#variants => #strs,)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model knows.
            pub const fn values() -> &'static [&'static str] {
                &[#(#strs),*]
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#strs => #name::#variants,)*
                    other => #name::Unknown(crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                #name::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    })
}

/// Whether a map in the closure has `shape` as its key.
fn is_map_key(ctx: &Context<'_>, shape: &Shape) -> bool {
    ctx.closure.shapes.iter().any(|id| {
        ctx.index.shape(id).is_some_and(|s| {
            s.ty == ShapeType::Map
                && s.map_key_value()
                    .is_some_and(|(key, _)| key.target == shape.id)
        })
    })
}
