//! `@endpoint` host prefixes: `host_prefix(input)` in `src/protocol/<op>.rs`, the prefix
//! with each `{label}` replaced by its `@hostLabel` member (validated as a host label). The
//! runtime puts it before the endpoint's host unless the config disables host prefixes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::model::{Shape, ShapeType};

/// The `@endpoint` trait's `hostPrefix`, if the operation has one.
pub fn host_prefix_of(op: &Shape) -> Option<&str> {
    op.traits
        .other("smithy.api#endpoint")
        .and_then(|v| v.get("hostPrefix"))
        .and_then(|v| v.as_str())
}

/// `pub(crate) fn host_prefix(input) -> Result<Option<String>, SerializeError>`, or nothing
/// when the operation has no `@endpoint`.
pub fn emit_host_prefix(ctx: &Context<'_>, op: &Shape) -> Result<TokenStream> {
    let Some(prefix) = host_prefix_of(op) else {
        return Ok(quote!());
    };
    let input_id = ctx.symbols.operation_input(&op.id)?;
    let input_shape = ctx.symbols.shape(input_id)?;
    let input_ty = ctx.symbols.type_path(input_id)?;
    let bad = |message: String| {
        CodegenError::new(format!("@endpoint hostPrefix `{prefix}`: {message}"))
            .in_file(&op.source)
            .at_shape(&op.id)
    };
    let mut pieces = Vec::new();
    let mut rest = prefix;
    while let Some(start) = rest.find('{') {
        let text = &rest[..start];
        if !text.is_empty() {
            pieces.push(push_text(text));
        }
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| bad("an unclosed `{`".to_string()))?
            + start;
        let name = &rest[start + 1..end];
        let member = input_shape
            .members
            .iter()
            .find(|m| m.name == name && m.traits.other("smithy.api#hostLabel").is_some())
            .ok_or_else(|| {
                bad(format!(
                    "`{{{name}}}` is not a @hostLabel member of the input"
                ))
            })?;
        let target = ctx.symbols.shape(&member.target)?;
        if target.ty != ShapeType::String {
            return Err(bad(format!("the @hostLabel `{name}` must target a string")));
        }
        let field = ctx.symbols.member_ident(input_id, &member.name)?;
        let label = ctx.symbols.member_label(input_id, &member.name)?;
        let value = if ctx.symbols.is_optional(input_id, &member.name) {
            quote!(input.#field.as_deref().unwrap_or(""))
        } else {
            quote!(input.#field.as_str())
        };
        pieces.push(quote! {
            let value: &str = #value;
            if !crate::rt::endpoint::string::is_valid_host_label(value, true) {
                return Err(crate::rt::wire::SerializeError::invalid_label(
                    #label,
                    "a @hostLabel must be a valid host label (dot-separated labels of letters, digits and `-`, 1 to 63 characters each)",
                ));
            }
            prefix.push_str(value);
        });
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(push_text(rest));
    }
    let uses_input = !input_shape.members.is_empty() && prefix.contains('{');
    let arg = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    Ok(quote! {
        /// The `@endpoint` host prefix, its `@hostLabel`s filled in.
        pub(crate) fn host_prefix(
            #arg: &#input_ty,
        ) -> Result<Option<String>, crate::rt::wire::SerializeError> {
            let mut prefix = String::new();
            #(#pieces)*
            Ok(Some(prefix))
        }
    })
}

/// Appends literal prefix text; one character is a `char` push, as clippy asks.
fn push_text(text: &str) -> TokenStream {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(only), None) => quote!(prefix.push(#only);),
        _ => quote!(prefix.push_str(#text);),
    }
}
