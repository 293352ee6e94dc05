//! Error structures (`@error`): the structure plus `Display` (with the message) and
//! `std::error::Error`.

use proc_macro2::TokenStream;
use quote::quote;

use super::structure::{emit_structure, StructureOptions};
use crate::context::Context;
use crate::error::Result;
use crate::model::{Shape, ShapeType};

pub fn emit_error_structure(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let structure = emit_structure(ctx, shape, StructureOptions::default())?;
    let name = ctx.symbols.type_ident(&shape.id)?;
    let name_text = name.to_string();
    let message = message_expr(ctx, shape)?;
    Ok(quote! {
        #structure

        impl #name {
            /// The error's code, as the service names it.
            pub fn code(&self) -> &'static str {
                #name_text
            }

            /// The human-readable message, when the service sent one.
            pub fn error_message(&self) -> Option<&str> {
                #message
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#name_text)?;
                if let Some(message) = self.error_message() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
        }

        /// A modeled error has no source: its `Display` is its code and message.
        impl ::std::error::Error for #name {}
    })
}

/// `Option<&str>` from the member named `message` (any case), if it is a string.
fn message_expr(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let member = shape
        .members
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case("message"));
    let Some(member) = member else {
        return Ok(quote!(None));
    };
    if ctx.symbols.shape(&member.target)?.ty != ShapeType::String {
        return Ok(quote!(None));
    }
    let ident = ctx.symbols.member_ident(&shape.id, &member.name)?;
    Ok(if ctx.symbols.is_optional(&shape.id, &member.name) {
        quote!(self.#ident.as_deref())
    } else {
        quote!(Some(self.#ident.as_str()))
    })
}
