//! One operation's module: `<Op>Input`, `<Op>Output` (with builders) and `<Op>Error`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::structure::{emit_structure, StructureOptions};
use crate::context::Context;
use crate::error::Result;
use crate::model::{Shape, ShapeId};

pub fn emit_operation_module(ctx: &Context<'_>, op: &Shape) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let input_id = symbols.operation_input(&op.id)?;
    let output_id = symbols.operation_output(&op.id)?;
    let input = emit_structure(ctx, symbols.shape(input_id)?, StructureOptions::default())?;
    let output = emit_structure(
        ctx,
        symbols.shape(output_id)?,
        StructureOptions { request_id: true },
    )?;
    let output_ident = symbols.type_ident(output_id)?;
    let error = emit_operation_error(ctx, op)?;
    Ok(quote! {
        pub mod builders;

        #input

        #output

        impl crate::operation::RequestId for #output_ident {
            fn request_id(&self) -> Option<&str> {
                self._request_id.as_deref()
            }
        }

        #error
    })
}

/// The module's inner doc lines (`//! ...`), written by the file emitter.
pub fn operation_module_docs(ctx: &Context<'_>, op: &Shape) -> Result<String> {
    let op_name = ctx.symbols.operation_ident(&op.id)?.to_string();
    // `<p></p>` (sesv2 PutDedicatedIpWarmupAttributes) converts to nothing: fall back too.
    Ok(op
        .traits
        .documentation
        .as_deref()
        .map(super::docs::html_to_markdown)
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| format!("The `{op_name}` operation.")))
}

/// `<Op>Error`: a variant per modeled error and `Unhandled` for everything else.
fn emit_operation_error(ctx: &Context<'_>, op: &Shape) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let name = symbols.operation_error_ident(&op.id)?;
    let errors = ctx.index.operation_errors(ctx.service, op)?;
    let mut variants = Vec::new();
    let mut idents = Vec::new();
    let mut is_fns = Vec::new();
    for error in &errors {
        let ident = symbols.type_ident(&error.id)?;
        let path = symbols.type_path(&error.id)?;
        let docs = doc_attrs(
            error.traits.documentation.as_deref(),
            &format!("`{ident}`."),
        );
        variants.push(quote!(#docs #ident(#path),));
        let is_fn = symbols.error_is_fn(&error.id)?;
        let is_doc = format!(" Whether this is a `{ident}`.");
        is_fns.push(quote! {
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                matches!(self, #name::#ident(_))
            }
        });
        idents.push(ident);
    }
    let doc = format!(
        " The errors `{}` can return.",
        symbols.operation_ident(&op.id)?
    );
    Ok(quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug, Clone)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not describe, or one whose body did not parse as the
            /// modeled error its code names (then `source()` is why); keeps the status, code,
            /// message, request id and body. Opaque: test for it with `code()` and
            /// `is_unhandled()` rather than matching it, since a later model may describe it.
            Unhandled(crate::rt::error::Unhandled),
        }

        impl #name {
            /// The error code (`NotFoundException`), when known.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(#name::#idents(e) => Some(e.code()),)*
                    #name::Unhandled(e) => e.code(),
                }
            }

            /// The service's message, when it sent one.
            pub fn message(&self) -> Option<&str> {
                match self {
                    #(#name::#idents(e) => e.error_message(),)*
                    #name::Unhandled(e) => e.message(),
                }
            }

            /// Whether this error is one the model does not describe.
            pub fn is_unhandled(&self) -> bool {
                matches!(self, #name::Unhandled(_))
            }

            #(#is_fns)*
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#name::#idents(e) => ::std::fmt::Display::fmt(e, f),)*
                    #name::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }

        /// Transparent: the `Display` and `source()` of the error it holds.
        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#name::#idents(e) => ::std::error::Error::source(e),)*
                    #name::Unhandled(e) => ::std::error::Error::source(e),
                }
            }
        }

        #[doc(hidden)]
        impl From<crate::rt::error::Unhandled> for #name {
            fn from(e: crate::rt::error::Unhandled) -> Self {
                #name::Unhandled(e)
            }
        }
    })
}

/// Every operation id paired with its shape, in order.
pub fn operations<'a>(ctx: &Context<'a>) -> Result<Vec<&'a Shape>> {
    ctx.closure
        .operations
        .iter()
        .map(|id: &ShapeId| ctx.index.get(id))
        .collect()
}
