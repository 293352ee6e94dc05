//! Endpoint parameters an operation sets (`smithy.rules#staticContextParams`,
//! `smithy.rules#contextParam` on input members, `smithy.rules#operationContextParams`) →
//! the operation's `resolve_endpoint` (the runtime `Operation` hook): the parameters the
//! configuration determines (kept by the client's `Handle`), then these, then `resolve`.
//!
//! Precedence, lowest first: parameter defaults, built-ins and client context parameters
//! (set from the configuration), `operationContextParams`, `contextParam`,
//! `staticContextParams`. A context value that is unset leaves the parameter as the
//! configuration set it. An operation with none of these gets no `resolve_endpoint`, and so
//! uses the client's endpoint, resolved once.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::params::ParamBinding;
use super::ruleset::ParamType;
use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::model::{ShapeId, ShapeType};

pub const CONTEXT_PARAM_TRAIT: &str = "smithy.rules#contextParam";
pub const STATIC_CONTEXT_PARAMS_TRAIT: &str = "smithy.rules#staticContextParams";
pub const OPERATION_CONTEXT_PARAMS_TRAIT: &str = "smithy.rules#operationContextParams";

fn op_error(op: &ShapeId, ctx: &Context<'_>, message: String) -> CodegenError {
    CodegenError::new(message)
        .at_shape(op)
        .in_file(&ctx.service.source)
}

/// The body of `resolve_endpoint` for `op`, or `None` when it sets no parameter.
pub fn emit_resolve_endpoint(
    ctx: &Context<'_>,
    op: &ShapeId,
    bindings: &[ParamBinding],
) -> Result<Option<TokenStream>> {
    let op_shape = ctx.index.get(op)?;
    let input_id = ctx.symbols.operation_input(op)?.clone();
    let input = ctx.symbols.shape(&input_id)?;
    let find = |name: &str, what: &str| -> Result<&ParamBinding> {
        bindings
            .iter()
            .find(|b| b.param.name == name)
            .ok_or_else(|| {
                op_error(
                    op,
                    ctx,
                    format!(
                        "{what} sets `{name}`, which is not a parameter of the endpoint rule set"
                    ),
                )
            })
    };
    let mut steps = Vec::new();
    let mut reads_input = false;

    if let Some(Value::Object(params)) = op_shape.traits.other(OPERATION_CONTEXT_PARAMS_TRAIT) {
        for (name, spec) in params {
            let what = format!("`{OPERATION_CONTEXT_PARAMS_TRAIT}`");
            let b = find(name, &what)?;
            let Some(path) = spec.get("path").and_then(Value::as_str) else {
                return Err(op_error(
                    op,
                    ctx,
                    format!("{what}: `{name}` needs a `path` string"),
                ));
            };
            let compiled = super::context_path::compile(ctx, &input_id, path)
                .map_err(|m| op_error(op, ctx, format!("{what}: `{name}`: path `{path}`: {m}")))?;
            let (value, ty) = (compiled.expr, compiled.ty);
            reads_input = true;
            if ty != b.param.ty {
                return Err(op_error(
                    op,
                    ctx,
                    format!(
                        "{what}: `{name}` is a {} parameter; the path `{path}` gives a {}",
                        b.param.ty.as_str(),
                        ty.as_str()
                    ),
                ));
            }
            let field = b.ident();
            steps.push(if compiled.always {
                quote!(params = params.#field(#value);)
            } else {
                quote! {
                    if let Some(value) = #value {
                        params = params.#field(value);
                    }
                }
            });
        }
    }

    for member in &input.members {
        let Some(spec) = member.traits.other(CONTEXT_PARAM_TRAIT) else {
            continue;
        };
        let what = format!("`{CONTEXT_PARAM_TRAIT}` on member `{}`", member.name);
        let Some(name) = spec.get("name").and_then(Value::as_str) else {
            return Err(op_error(op, ctx, format!("{what} needs a `name` string")));
        };
        let b = find(name, &what)?;
        let ident = ctx.symbols.member_ident(&input_id, &member.name)?;
        let target = ctx.symbols.shape(&member.target)?;
        let convert = match (b.param.ty, target.ty) {
            (ParamType::String, ShapeType::String) => quote!(value.clone()),
            (ParamType::String, ShapeType::Enum) => quote!(value.as_str().to_owned()),
            (ParamType::Boolean, ShapeType::Boolean) => quote!(*value),
            (ParamType::StringArray, ShapeType::List) => {
                let item = target
                    .list_member()
                    .map(|m| ctx.symbols.shape(&m.target))
                    .transpose()?
                    .map(|s| s.ty);
                match item {
                    Some(ShapeType::String) => quote!(value.clone()),
                    Some(ShapeType::Enum) => {
                        quote!(value.iter().map(|v| v.as_str().to_owned()).collect())
                    }
                    _ => {
                        return Err(op_error(
                            op,
                            ctx,
                            format!("{what}: a stringArray parameter needs a list of strings"),
                        ))
                    }
                }
            }
            (ty, shape_ty) => {
                return Err(op_error(
                    op,
                    ctx,
                    format!(
                        "{what}: `{name}` is a {} parameter, but the member targets a {shape_ty:?}",
                        ty.as_str()
                    ),
                ))
            }
        };
        let field = b.ident();
        reads_input = true;
        steps.push(if ctx.symbols.is_optional(&input_id, &member.name) {
            quote! {
                if let Some(value) = &input.#ident {
                    params = params.#field(#convert);
                }
            }
        } else {
            quote! {
                let value = &input.#ident;
                params = params.#field(#convert);
            }
        });
    }

    if let Some(Value::Object(params)) = op_shape.traits.other(STATIC_CONTEXT_PARAMS_TRAIT) {
        for (name, spec) in params {
            let what = format!("`{STATIC_CONTEXT_PARAMS_TRAIT}`");
            let b = find(name, &what)?;
            let field = b.ident();
            let value = match (b.param.ty, spec.get("value")) {
                (ParamType::String, Some(Value::String(s))) => quote!(#s),
                (ParamType::Boolean, Some(Value::Bool(v))) => quote!(#v),
                (ParamType::StringArray, Some(Value::Array(items)))
                    if items.iter().all(Value::is_string) =>
                {
                    let items = items.iter().filter_map(Value::as_str);
                    quote!(vec![#(#items.to_string()),*])
                }
                (ty, v) => {
                    return Err(op_error(
                        op,
                        ctx,
                        format!(
                            "{what}: `{name}` is a {} parameter; its `value` is `{}`",
                            ty.as_str(),
                            v.cloned().unwrap_or(Value::Null)
                        ),
                    ))
                }
            };
            steps.push(quote!(params = params.#field(#value);));
        }
    }

    if steps.is_empty() {
        return Ok(None);
    }
    // Only static parameters: the input is not read.
    let input_arg = if reads_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    Ok(Some(quote! {
        fn resolve_endpoint(
            handle: &crate::rt::client::Handle,
            #input_arg: &Self::Input,
        ) -> Option<Result<crate::rt::endpoint::Endpoint, crate::rt::endpoint::ResolveError>> {
            let mut params = handle
                .endpoint_params::<crate::endpoint::ParamsBuilder>()?
                .clone();
            #(#steps)*
            Some(params.build().and_then(|params| crate::endpoint::resolve(&params)))
        }
    }))
}
