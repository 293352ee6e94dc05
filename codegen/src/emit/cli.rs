//! `examples/cli.rs`: a command-line client in the style of the AWS CLI. One subcommand per
//! operation (kebab-case), one `--flag VALUE` per top-level input member (scalars parsed
//! from text, lists as repeated flags, maps as `KEY=VALUE`, structures, unions and
//! documents as JSON), plus the global `--region`, `--endpoint-url`, `--max-attempts`,
//! `--connect-timeout` and `--read-timeout`. The argv parsing, value parsers and exit
//! conventions live in the runtime (`rt::cli`, tested there); this file is the
//! model-specific table and dispatch.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;

use super::structure::fields;
use crate::context::Context;
use crate::error::Result;
use crate::model::{Shape, ShapeId, ShapeType};

/// `examples/cli.rs`.
pub fn emit_cli(ctx: &Context<'_>) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let krate = Ident::new(&ctx.crate_name.replace('-', "_"), Span::call_site());
    let program = ctx.crate_name.to_string();
    let about = format!(
        "A command-line client for {}, generated from its Smithy model.",
        sdk_id(ctx)
    );

    let mut commands = Vec::new();
    let mut runners = Vec::new();
    let mut arms = Vec::new();
    for op in &ctx.closure.operations {
        let op_shape = ctx.index.get(op)?;
        let method = symbols.operation_module(op)?;
        let name = symbols.cli_command(op)?;
        let run_fn = symbols.cli_run_fn(op)?;
        let input_id = symbols.operation_input(op)?.clone();
        let input = symbols.shape(&input_id)?;

        let mut flags = Vec::new();
        let mut flag_arms = Vec::new();
        for f in fields(ctx, input)? {
            let flag = format!("--{}", f.bare.replace('_', "-"));
            let target = symbols.shape(&f.member.target)?;
            let ident = &f.ident;
            let required = f.member.traits.required;
            let about = first_sentence(
                f.member
                    .traits
                    .documentation
                    .as_deref()
                    .or(target.traits.documentation.as_deref()),
            );
            let (placeholder, repeatable, arm) = match (target.ty, f.boxed) {
                (ShapeType::List | ShapeType::Set, false) => {
                    let member = target.list_member().map(|m| m.target.clone());
                    match member {
                        Some(item) => {
                            let (placeholder, mut value) =
                                parse_value(ctx, &krate, &item, &quote!(value))?;
                            if target.traits.sparse {
                                value = quote!(Some(#value));
                            }
                            (placeholder, true, quote!(builder.#ident(#value)))
                        }
                        None => (
                            "JSON".to_string(),
                            false,
                            json_value(ctx, &krate, &f.member.target, &f.set)?,
                        ),
                    }
                }
                (ShapeType::Map, false) => match target.map_key_value() {
                    Some((k, v)) => {
                        let (_, key) = parse_value(ctx, &krate, &k.target, &quote!(key))?;
                        let (_, mut value) = parse_value(ctx, &krate, &v.target, &quote!(value))?;
                        if target.traits.sparse {
                            value = quote!(Some(#value));
                        }
                        let arm = quote! {{
                            let (key, value) = rt::cli::key_value(flag, &value)?;
                            builder.#ident(#key, #value)
                        }};
                        ("KEY=VALUE".to_string(), true, arm)
                    }
                    None => (
                        "JSON".to_string(),
                        false,
                        json_value(ctx, &krate, &f.member.target, &f.set)?,
                    ),
                },
                _ => {
                    let (placeholder, value) =
                        parse_value(ctx, &krate, &f.member.target, &quote!(value))?;
                    (placeholder, false, quote!(builder.#ident(#value)))
                }
            };
            flags.push(quote! {
                rt::cli::Flag {
                    name: #flag,
                    value: #placeholder,
                    about: #about,
                    required: #required,
                    repeatable: #repeatable,
                }
            });
            flag_arms.push(quote!(#flag => #arm,));
        }

        let about = first_sentence(op_shape.traits.documentation.as_deref());
        let about = if about.is_empty() {
            format!("Calls {}.", op.name)
        } else {
            about
        };
        commands.push(quote! {
            rt::cli::Command {
                name: #name,
                about: #about,
                flags: &[#(#flags),*],
            }
        });
        let (flags_binding, apply) = if flag_arms.is_empty() {
            (quote!(_flags), quote!())
        } else {
            (
                quote!(flags),
                quote! {
                    for (flag, value) in flags {
                        builder = match flag {
                            #(#flag_arms)*
                            _ => builder,
                        };
                    }
                },
            )
        };
        let binding = if flag_arms.is_empty() {
            quote!(builder)
        } else {
            quote!(mut builder)
        };
        runners.push(quote! {
            async fn #run_fn(
                client: &#krate::Client,
                command: &'static rt::cli::Command,
                #flags_binding: Vec<(&'static str, String)>,
            ) -> Result<String, rt::cli::Exit> {
                let #binding = client.#method();
                #apply
                // Validation messages name the flags (`--api-id is required`).
                let output = builder
                    .send()
                    .await
                    .map_err(|e| rt::cli::failure(Some(command), e))?;
                rt::cli::to_json(&output)
            }
        });
        arms.push(quote!(#name => #run_fn(&client, invocation.command, invocation.flags).await,));
    }

    let runtime = crate::naming::ident(crate::runtime::CRATE_IDENT);
    Ok(quote! {
        // Deprecated members still get their flags.
        #![allow(deprecated)]

        use #runtime as rt;

        const PROGRAM: &str = #program;
        const ABOUT: &str = #about;
        const VERSION: &str = env!("CARGO_PKG_VERSION");

        static COMMANDS: &[rt::cli::Command] = &[#(#commands),*];

        fn main() -> std::process::ExitCode {
            let args = std::env::args().skip(1).collect();
            let invocation = match rt::cli::parse_versioned(PROGRAM, ABOUT, VERSION, COMMANDS, args) {
                Ok(invocation) => invocation,
                Err(exit) => return exit.report(),
            };
            let config = match rt::cli::config(&invocation.global) {
                Ok(config) => config,
                Err(exit) => return exit.report(),
            };
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(e) => return rt::cli::Exit::Failed(format!("cannot start the async runtime: {e}")).report(),
            };
            let client = #krate::Client::new(&config);
            let result = runtime.block_on(async {
                match invocation.command.name {
                    #(#arms)*
                    other => Err(rt::cli::Exit::Invalid(format!("{PROGRAM}: unknown command `{other}`"))),
                }
            });
            rt::cli::finish(result)
        }

        #(#runners)*
    })
}

/// The help placeholder and the expression that turns the text in `var` (a `String`) into
/// the value a setter takes for a member targeting `target`; `?` on failure.
fn parse_value(
    ctx: &Context<'_>,
    krate: &Ident,
    target: &ShapeId,
    var: &TokenStream,
) -> Result<(String, TokenStream)> {
    let shape: &Shape = ctx.symbols.shape(target)?;
    let ty = rebase(ctx.symbols.rust_type(target)?, krate);
    Ok(match shape.ty {
        ShapeType::String => ("TEXT".into(), quote!(#var)),
        ShapeType::Enum => (enum_placeholder(shape), quote!(#ty::from(#var.as_str()))),
        ShapeType::IntEnum => (
            "N".into(),
            quote!(#ty::from(rt::cli::scalar::<i32>(flag, &#var)?)),
        ),
        ShapeType::Boolean => ("true|false".into(), quote!(rt::cli::boolean(flag, &#var)?)),
        ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Float
        | ShapeType::Double => ("N".into(), quote!(rt::cli::scalar::<#ty>(flag, &#var)?)),
        ShapeType::BigInteger | ShapeType::BigDecimal => ("N".into(), quote!(#ty(#var))),
        ShapeType::Timestamp => ("TIME".into(), quote!(rt::cli::timestamp(flag, &#var)?)),
        ShapeType::Blob => ("BASE64".into(), quote!(rt::cli::blob(flag, &#var)?)),
        _ => ("JSON".into(), quote!(rt::cli::json::<#ty>(flag, &#var)?)),
    })
}

/// A whole member given as JSON.
fn json_value(
    ctx: &Context<'_>,
    krate: &Ident,
    target: &ShapeId,
    set: &Ident,
) -> Result<TokenStream> {
    let ty = rebase(ctx.symbols.rust_type(target)?, krate);
    Ok(quote!(builder.#set(Some(rt::cli::json::<#ty>(flag, &value)?))))
}

/// `A|B|C` for a few enum values, `VALUE` for many.
fn enum_placeholder(shape: &Shape) -> String {
    let values: Vec<String> = shape
        .members
        .iter()
        .map(|m| match &m.traits.enum_value {
            Some(crate::model::EnumValue::String(s)) => s.clone(),
            _ => m.name.clone(),
        })
        .collect();
    if !values.is_empty() && values.len() <= 6 {
        values.join("|")
    } else {
        "VALUE".into()
    }
}

/// Symbols name types from inside the library (`crate::types::X`); the example is another
/// crate, so `crate` becomes the library's name.
fn rebase(tokens: TokenStream, krate: &Ident) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "crate" => TokenTree::Ident(krate.clone()),
            TokenTree::Group(group) => {
                let mut rebased = Group::new(group.delimiter(), rebase(group.stream(), krate));
                rebased.set_span(group.span());
                TokenTree::Group(rebased)
            }
            other => other,
        })
        .collect()
}

/// The first sentence of the model's documentation, as one line of plain text.
pub(crate) fn first_sentence(html: Option<&str>) -> String {
    let Some(html) = html else {
        return String::new();
    };
    let text = super::docs::html_to_markdown(html);
    let plain: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['`', '*'], "");
    let end = plain
        .char_indices()
        .find(|(i, c)| *c == '.' && plain[i + 1..].starts_with(' '))
        .map(|(i, _)| i + 1)
        .unwrap_or(plain.len());
    plain[..end].trim().to_string()
}

fn sdk_id(ctx: &Context<'_>) -> String {
    ctx.service
        .traits
        .other("aws.api#service")
        .and_then(|v| v.get("sdkId"))
        .and_then(|v| v.as_str())
        .unwrap_or(&ctx.service.id.name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_is_one_line() {
        assert_eq!(
            first_sentence(Some(
                "<p>Gets a <code>Stage</code>.\n Then more. And more.</p>"
            )),
            "Gets a Stage."
        );
        assert_eq!(first_sentence(Some("<p>No period</p>")), "No period");
        assert_eq!(first_sentence(None), "");
    }

    #[test]
    fn rebase_replaces_crate() {
        let krate = Ident::new("apigatewayv2", Span::call_site());
        let out = rebase(quote!(Vec<crate::types::Stage>), &krate);
        assert_eq!(
            out.to_string(),
            quote!(Vec<apigatewayv2::types::Stage>).to_string()
        );
    }
}
