//! Unions: a variant per member plus `Unknown` for members added after generation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::structure::{deprecated_attr, fields};
use crate::context::Context;
use crate::error::Result;
use crate::model::Shape;

pub fn emit_union(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let name = ctx.symbols.type_ident(&shape.id)?;
    let name_text = name.to_string();
    let docs = doc_attrs(
        shape.traits.documentation.as_deref(),
        &format!("The `{name_text}` union."),
    );
    let deprecated = deprecated_attr(shape.traits.deprecated.as_ref());
    let mut fields = fields(ctx, shape)?;
    // An event stream's modeled exceptions are its error enum's, not events.
    let event_stream = shape.traits.streaming;
    // An event stream's exception members are never events; a stream that is only sent and
    // has none has no error enum.
    let exceptions = if event_stream {
        let (errors, events) = fields
            .into_iter()
            .partition(|f| ctx.symbols.is_exception_event(f.member));
        fields = events;
        if ctx.symbols.has_event_stream_error(&shape.id) {
            Some(event_stream_error(ctx, shape, &errors)?)
        } else {
            None
        }
    } else {
        None
    };
    let mut variants = Vec::new();
    let mut methods = Vec::new();
    let mut debug_arms = Vec::new();
    for f in &fields {
        let variant = ctx.symbols.variant_ident(&shape.id, &f.member.name)?;
        let (ty, docs, dep) = (&f.ty, &f.docs, &f.deprecated);
        variants.push(quote!(#docs #dep #variant(#ty),));
        let as_fn = ctx.symbols.variant_as_fn(&shape.id, &f.member.name)?;
        let is_fn = ctx.symbols.variant_is_fn(&shape.id, &f.member.name)?;
        // A recursive variant is boxed; its accessor hands out `&T` (clippy: borrowed_box).
        let plain = f.unboxed_ty();
        let value = if f.boxed {
            quote!(&**value)
        } else {
            quote!(value)
        };
        let as_doc = format!(
            " The `{}` value, or the union itself when it holds another variant.",
            f.bare
        );
        let is_doc = format!(" Whether this is the `{}` variant.", f.bare);
        methods.push(quote! {
            #[doc = #as_doc]
            #dep
            pub fn #as_fn(&self) -> Result<&#plain, &Self> {
                if let #name::#variant(value) = self { Ok(#value) } else { Err(self) }
            }

            #[doc = #is_doc]
            #dep
            pub fn #is_fn(&self) -> bool {
                self.#as_fn().is_ok()
            }
        });
        let variant_text = variant.to_string();
        debug_arms.push(if f.sensitive {
            quote!(#name::#variant(_) => f.debug_tuple(#variant_text).field(&"*** Sensitive Data Redacted ***").finish(),)
        } else {
            quote!(#name::#variant(value) => f.debug_tuple(#variant_text).field(value).finish(),)
        });
    }
    Ok(quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(Clone, PartialEq)]
        // Variant sizes follow the model; boxing them would change the public API.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know (the service sent a
            /// variant added after generation).
            #[non_exhaustive]
            Unknown,
        }

        impl #name {
            #(#methods)*

            /// Whether the service sent a variant this crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown)
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #name::Unknown => f.write_str("Unknown"),
                }
            }
        }

        #exceptions
    })
}

/// The error enum of an event stream: a variant per modeled exception member.
fn event_stream_error(
    ctx: &Context<'_>,
    shape: &Shape,
    errors: &[super::structure::Field<'_>],
) -> Result<TokenStream> {
    let union = ctx.symbols.type_ident(&shape.id)?;
    let name = ctx.symbols.event_stream_error_ident(&shape.id)?;
    let doc = format!(
        " The modeled exceptions of the [`{union}`] event stream: the service sends one \
         in place of an event, and the stream ends."
    );
    let mut variants = Vec::new();
    let mut display = Vec::new();
    let mut source = Vec::new();
    for f in errors {
        let variant = ctx.symbols.variant_ident(&shape.id, &f.member.name)?;
        let (ty, docs) = (&f.ty, &f.docs);
        variants.push(quote!(#docs #variant(#ty),));
        display.push(quote!(#name::#variant(ref e) => ::std::fmt::Display::fmt(e, f),));
        source.push(quote!(#name::#variant(ref e) => Some(e),));
    }
    let formatter = if errors.is_empty() {
        quote!(_f)
    } else {
        quote!(f)
    };
    Ok(quote! {
        #[doc = #doc]
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, #formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match *self {
                    #(#display)*
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match *self {
                    #(#source)*
                }
            }
        }
    })
}
