//! Waiters from `smithy.waiters#waitable`: `client.wait_until_<waiter>()` returns a builder
//! with the operation's input setters, optional `min_delay` / `max_delay` overrides and
//! `wait(max_wait)`. The acceptors are compiled to one classifying function (JMESPath paths
//! through `crate::jmespath`); the attempt/delay loop is the runtime's (`rt::waiter`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::jmespath::compile::{Compiler, Val};
use crate::model::Shape;

/// One waiter of the model.
pub struct Waiter<'a> {
    pub name: String,
    pub op: &'a Shape,
    pub def: &'a Value,
}

/// Every waiter of the generated operations, by name.
pub fn waiters<'a>(ctx: &Context<'a>) -> Result<Vec<Waiter<'a>>> {
    let mut out = BTreeMap::new();
    for op_id in &ctx.closure.operations {
        let op = ctx.index.get(op_id)?;
        let Some(waitable) = op.traits.other("smithy.waiters#waitable") else {
            continue;
        };
        let Some(map) = waitable.as_object() else {
            return Err(
                CodegenError::new("smithy.waiters#waitable is not an object")
                    .in_file(&op.source)
                    .at_shape(&op.id),
            );
        };
        for (name, def) in map {
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(CodegenError::new(format!(
                    "the waiter name `{name}` is not an identifier (letters, digits, `_`)"
                ))
                .in_file(&op.source)
                .at_shape(&op.id));
            }
            if out.contains_key(name) {
                return Err(
                    CodegenError::new(format!("the waiter `{name}` is defined twice"))
                        .in_file(&op.source)
                        .at_shape(&op.id),
                );
            }
            out.insert(
                name.clone(),
                Waiter {
                    name: name.clone(),
                    op,
                    def,
                },
            );
        }
    }
    Ok(out.into_values().collect())
}

fn error(w: &Waiter<'_>, message: impl std::fmt::Display) -> CodegenError {
    CodegenError::new(format!("waiter `{}`: {message}", w.name))
        .in_file(&w.op.source)
        .at_shape(&w.op.id)
}

/// The `wait_until_*` methods of `Client`.
pub fn client_methods(ctx: &Context<'_>) -> Result<TokenStream> {
    let mut methods = Vec::new();
    for w in waiters(ctx)? {
        let method = ctx.symbols.waiter_method(&w.name);
        let module = ctx.symbols.waiter_module(&w.name);
        let ty = ctx.symbols.waiter_ident(&w.name);
        let op_method = ctx.symbols.operation_module(&w.op.id)?;
        let doc = format!(
            " Waits until `{}` holds, calling `{}` with the input you set on the returned \
             builder; finish with [`wait(max_wait)`](crate::waiters::{module}::{ty}::wait).",
            w.name, w.op.id.name
        );
        let docs = w
            .def
            .get("documentation")
            .and_then(Value::as_str)
            .map(|d| super::docs::doc_attrs(Some(d), ""));
        let example = format!(
            "```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\nlet _done = client.{method}()\n    // set the input members of `{op_method}` here\n    .wait(std::time::Duration::from_secs(300))\n    .await?;\n# Ok(())\n# }}\n```",
            krate = ctx.crate_name.replace('-', "_")
        );
        let example = super::docs::lines_to_attrs(&example);
        let deprecated = w
            .def
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            .then(|| quote!(#[deprecated]));
        methods.push(quote! {
            #docs
            #[doc = ""]
            #[doc = #doc]
            #[doc = ""]
            #example
            #deprecated
            pub fn #method(&self) -> crate::waiters::#module::#ty {
                crate::waiters::#module::#ty::new(self.handle.clone())
            }
        });
    }
    Ok(quote!(#(#methods)*))
}

fn seconds(w: &Waiter<'_>, key: &str, default: u64) -> Result<u64> {
    match w.def.get(key) {
        None => Ok(default),
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => Ok(n),
            _ => Err(error(
                w,
                format!("`{key}` is not a whole number of seconds ≥ 1: {v}"),
            )),
        },
    }
}

pub fn emit_waiter(ctx: &Context<'_>, w: &Waiter<'_>) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let op = &w.op.id;
    let input_id = symbols.operation_input(op)?.clone();
    let output_id = symbols.operation_output(op)?.clone();
    let input_shape = symbols.shape(&input_id)?;
    let input_ty = symbols.type_path(&input_id)?;
    let input_builder = symbols.builder_path(&input_id)?;
    let output_ty = symbols.type_path(&output_id)?;
    let error_ty = symbols.operation_error_path(op)?;
    let op_module = symbols.operation_module(op)?;
    let ty = symbols.waiter_ident(&w.name);
    let min_delay = seconds(w, "minDelay", 2)?;
    let max_delay = seconds(w, "maxDelay", 120)?;
    if min_delay > max_delay {
        return Err(error(
            w,
            format!("minDelay ({min_delay}) is greater than maxDelay ({max_delay})"),
        ));
    }

    let acceptors = w
        .def
        .get("acceptors")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| error(w, "no acceptors"))?;
    let mut checks = Vec::new();
    let mut uses_input = false;
    for (i, acceptor) in acceptors.iter().enumerate() {
        let state = match acceptor.get("state").and_then(Value::as_str) {
            Some("success") => quote!(Success),
            Some("failure") => quote!(Failure),
            Some("retry") => quote!(Retry),
            other => return Err(error(w, format!("acceptor {i}: unknown state {other:?}"))),
        };
        let matcher = acceptor
            .get("matcher")
            .and_then(Value::as_object)
            .filter(|m| m.len() == 1)
            .ok_or_else(|| error(w, format!("acceptor {i}: the matcher must have one member")))?;
        let Some((kind, body)) = matcher.iter().next() else {
            return Err(error(w, format!("acceptor {i}: no matcher")));
        };
        let condition = match kind.as_str() {
            "success" => match body.as_bool() {
                Some(true) => quote!(result.is_ok()),
                Some(false) => quote!(result.is_err()),
                None => {
                    return Err(error(
                        w,
                        format!("acceptor {i}: `success` is not a boolean"),
                    ))
                }
            },
            "errorType" => {
                let name = body.as_str().ok_or_else(|| {
                    error(w, format!("acceptor {i}: `errorType` is not a string"))
                })?;
                quote!(matches!(result, Err(e) if crate::rt::waiter::error_type_matches(e, #name)))
            }
            "output" | "inputOutput" => {
                let root = if kind == "output" {
                    Val::root(&output_id, quote!(output))
                } else {
                    uses_input = true;
                    Val::input_output(&input_id, &output_id)
                };
                let test = path_matcher(ctx, w, i, body, &root)?;
                checks.push(quote! {
                    if let Ok(output) = result {
                        if #test {
                            return Some(crate::rt::waiter::AcceptorState::#state);
                        }
                    }
                });
                continue;
            }
            other => return Err(error(w, format!("acceptor {i}: unknown matcher `{other}`"))),
        };
        checks.push(quote! {
            if #condition {
                return Some(crate::rt::waiter::AcceptorState::#state);
            }
        });
    }
    let input_param = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };

    let (setters, fallible) = super::client::input_setters(ctx, input_shape)?;
    let build = if fallible {
        quote! {
            match self.inner.build() {
                Ok(input) => input,
                Err(e) => {
                    return Err(crate::rt::waiter::WaiterError::OperationFailed {
                        attempts: 0,
                        error: crate::rt::error::Error::Validation(crate::rt::error::InvalidInput::Build(e)),
                    })
                }
            }
        }
    } else {
        quote!(self.inner.build())
    };
    let doc = format!(
        " The `{}` waiter: calls `{}` until an acceptor says success or failure. Delays grow \
         exponentially, with jitter, from `min_delay` ({min_delay} s unless set) to `max_delay` \
         ({max_delay} s unless set).",
        w.name, op.name
    );
    let wait_doc = " Calls the operation until an acceptor matches or `max_wait` runs out. \
         Ends with the response that matched a success acceptor, or a `WaiterError`: a failure \
         acceptor matched, an error matched no acceptor, or the time ran out (each with the \
         last response)."
        .to_string();
    let min_delay = quote!(::std::time::Duration::from_secs(#min_delay));
    let max_delay = quote!(::std::time::Duration::from_secs(#max_delay));
    Ok(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #ty {
            handle: crate::rt::client::Handle,
            inner: #input_builder,
            min_delay: ::std::time::Duration,
            max_delay: ::std::time::Duration,
        }

        impl #ty {
            pub(crate) fn new(handle: crate::rt::client::Handle) -> Self {
                #ty {
                    handle,
                    inner: ::std::default::Default::default(),
                    min_delay: #min_delay,
                    max_delay: #max_delay,
                }
            }

            /// The input set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            /// Overrides the shortest delay between attempts.
            pub fn min_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.min_delay = delay;
                self
            }

            /// Overrides the longest delay between attempts.
            pub fn max_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.max_delay = delay;
                self
            }

            #[doc = #wait_doc]
            pub async fn wait(
                self,
                max_wait: ::std::time::Duration,
            ) -> Result<
                crate::rt::waiter::FinalPoll<#output_ty, #error_ty>,
                crate::rt::waiter::WaiterError<#output_ty, #error_ty>,
            > {
                let input = #build;
                let handle = self.handle;
                let config = crate::rt::waiter::WaiterConfig {
                    min_delay: self.min_delay,
                    max_delay: self.max_delay,
                    max_wait,
                };
                crate::rt::waiter::wait(
                    config,
                    || {
                        let handle = handle.clone();
                        let input = input.clone();
                        async move {
                            crate::rt::orchestrator::invoke::<crate::operation::#op_module::builders::OperationMarker>(&handle, input).await
                        }
                    },
                    |result| classify(&input, result),
                )
                .await
            }

            #(#setters)*
        }

        /// The acceptors, in order: the first that matches decides.
        fn classify(
            #input_param: &#input_ty,
            result: &Result<#output_ty, crate::error::Error<#error_ty>>,
        ) -> Option<crate::rt::waiter::AcceptorState> {
            #(#checks)*
            None
        }
    })
}

/// An `output` / `inputOutput` matcher: `path`, `expected`, `comparator`, as a `bool`
/// expression over `output` (and `input`).
fn path_matcher(
    ctx: &Context<'_>,
    w: &Waiter<'_>,
    i: usize,
    body: &Value,
    root: &Val,
) -> Result<TokenStream> {
    let get = |key: &str| {
        body.get(key).and_then(Value::as_str).ok_or_else(|| {
            error(
                w,
                format!("acceptor {i}: the matcher has no `{key}` string"),
            )
        })
    };
    let (path, expected, comparator) = (get("path")?, get("expected")?, get("comparator")?);
    let fail = |e: String| error(w, format!("acceptor {i}: the path `{path}`: {e}"));
    let expr = crate::jmespath::parse(path).map_err(fail)?;
    let mut compiler = Compiler::new(ctx.symbols);
    let val = compiler.compile(&expr, root).map_err(fail)?;
    let mismatch = |what: &str| fail(format!("`{comparator}` needs {what}"));
    Ok(match comparator {
        "stringEquals" => {
            let s = compiler
                .str_view(&val)
                .map_err(fail)?
                .ok_or_else(|| mismatch("a string"))?;
            quote!(#s == Some(#expected))
        }
        "booleanEquals" => {
            let b = compiler
                .bool_view(&val)
                .map_err(fail)?
                .ok_or_else(|| mismatch("a boolean"))?;
            let expected: bool = match expected {
                "true" => true,
                "false" => false,
                other => {
                    return Err(fail(format!(
                        "`booleanEquals` expects `true` or `false`, not `{other}`"
                    )))
                }
            };
            quote!(#b == Some(#expected))
        }
        "allStringEquals" | "anyStringEquals" => {
            let items = compiler
                .string_items(&val)
                .map_err(|e| fail(format!("`{comparator}` needs a list of strings: {e}")))?;
            if comparator == "allStringEquals" {
                quote!(crate::rt::waiter::all_string_equals(#items, #expected))
            } else {
                quote!(#items.any(|s| s == #expected))
            }
        }
        other => return Err(fail(format!("the comparator `{other}` is not supported"))),
    })
}
