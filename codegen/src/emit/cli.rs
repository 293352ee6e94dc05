//! `examples/cli.rs`: a command-line client in the style of the AWS CLI. One subcommand per
//! operation (kebab-case), one `--flag VALUE` per top-level input member (scalars parsed
//! from text, lists as repeated flags, maps as `KEY=VALUE`, structures, unions and
//! documents as JSON, `@streaming` blobs as `@PATH` or `-` for stdin), plus the global
//! `--region`, `--endpoint-url`, `--max-attempts`, `--connect-timeout` and
//! `--read-timeout`. A paginated operation takes `--all-pages` (one JSON line per page,
//! through `into_paginator()`); an operation with a `@streaming` blob output takes
//! `--output-file PATH`; one with an event-stream output prints one JSON line per event.
//! Each waiter is a command `wait <waiter>` with the operation's flags and `--max-wait
//! SECS`. The argv parsing, value parsers, printing and exit conventions live in the
//! runtime (`rt::cli`, tested there); this file is the model-specific table and dispatch.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;

use super::structure::fields;
use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::model::{Shape, ShapeId, ShapeType};

/// The flag of a paginated operation that follows the paginator.
const ALL_PAGES: &str = "--all-pages";
/// The flag of an operation with a `@streaming` blob output: where the bytes go.
const OUTPUT_FILE: &str = "--output-file";
/// The flag of a waiter's command: how long to wait in all.
const MAX_WAIT: &str = "--max-wait";

/// A command's options from its input members: the `rt::cli::Flag` table entries and the
/// match arms that apply each to `builder` (a fluent builder or a waiter, which share the
/// setters).
struct InputFlags {
    names: Vec<(String, String)>,
    flags: Vec<TokenStream>,
    arms: Vec<TokenStream>,
    /// Why the command cannot run (an input event stream), when it cannot.
    unsupported: Option<String>,
}

fn flag_entry(
    name: &str,
    placeholder: &str,
    about: &str,
    required: bool,
    repeatable: bool,
    switch: bool,
) -> TokenStream {
    quote! {
        rt::cli::Flag {
            name: #name,
            value: #placeholder,
            about: #about,
            required: #required,
            repeatable: #repeatable,
            switch: #switch,
        }
    }
}

fn input_flags(ctx: &Context<'_>, krate: &Ident, input: &Shape) -> Result<InputFlags> {
    let symbols = ctx.symbols;
    let mut out = InputFlags {
        names: Vec::new(),
        flags: Vec::new(),
        arms: Vec::new(),
        unsupported: None,
    };
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
        if symbols.is_event_stream(&target.id) {
            // The command exists and says so when run; the rest of the CLI is unaffected.
            out.unsupported = Some(format!(
                "{flag}: this CLI cannot send input event streams yet (`{}` is a \
                 `@streaming` union); nothing was sent",
                target.id.name
            ));
            continue;
        }
        let (placeholder, repeatable, arm) = match (target.ty, f.boxed) {
            (ShapeType::Blob, _) if symbols.is_byte_stream(&target.id) => {
                let requires_length = target.traits.other("smithy.api#requiresLength").is_some();
                (
                    "@PATH|-".to_string(),
                    false,
                    quote!(builder.#ident(rt::cli::byte_stream(flag, &value, #requires_length).await?)),
                )
            }
            (ShapeType::List | ShapeType::Set, false) => {
                let member = target.list_member().map(|m| m.target.clone());
                match member {
                    Some(item) => {
                        let (placeholder, mut value) =
                            parse_value(ctx, krate, &item, &quote!(value))?;
                        if target.traits.sparse {
                            value = quote!(Some(#value));
                        }
                        (placeholder, true, quote!(builder.#ident(#value)))
                    }
                    None => (
                        "JSON".to_string(),
                        false,
                        json_value(ctx, krate, &f.member.target, &f.set)?,
                    ),
                }
            }
            (ShapeType::Map, false) => match target.map_key_value() {
                Some((k, v)) => {
                    let (_, key) = parse_value(ctx, krate, &k.target, &quote!(key))?;
                    let (_, mut value) = parse_value(ctx, krate, &v.target, &quote!(value))?;
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
                    json_value(ctx, krate, &f.member.target, &f.set)?,
                ),
            },
            _ => {
                let (placeholder, value) =
                    parse_value(ctx, krate, &f.member.target, &quote!(value))?;
                (placeholder, false, quote!(builder.#ident(#value)))
            }
        };
        out.flags.push(flag_entry(
            &flag,
            &placeholder,
            &about,
            required,
            repeatable,
            false,
        ));
        out.arms.push(quote!(#flag => #arm,));
        out.names.push((flag, f.member.name.clone()));
    }
    Ok(out)
}

/// A command's own flag (`--all-pages`, `--output-file`, `--max-wait`) must not be an
/// input member's too.
fn reserve(input: &Shape, flags: &InputFlags, reserved: &str, why: &str) -> Result<()> {
    match flags.names.iter().find(|(flag, _)| flag == reserved) {
        Some((_, member)) => Err(CodegenError::new(format!(
            "the CLI flag of this member would be {reserved}, which the CLI uses {why}"
        ))
        .in_file(&input.source)
        .at_shape(&input.id)
        .at_member(member)),
        None => Ok(()),
    }
}

/// The loop that applies the flags to `builder`, with the command's own arms first.
fn apply_flags(input: &InputFlags, own: &[TokenStream]) -> (TokenStream, TokenStream, TokenStream) {
    if input.arms.is_empty() && own.is_empty() {
        return (quote!(_flags), quote!(builder), quote!());
    }
    let arms = &input.arms;
    let apply = quote! {
        for (flag, value) in flags {
            builder = match flag {
                #(#own)*
                #(#arms)*
                _ => builder,
            };
        }
    };
    (quote!(flags), quote!(mut builder), apply)
}

/// `examples/cli.rs`.
pub fn emit_cli(ctx: &Context<'_>) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let krate = Ident::new(&ctx.crate_name.replace('-', "_"), Span::call_site());
    let program = ctx.crate_name.to_string();
    let about = format!(
        "A command-line client for {}, generated from its Smithy model.",
        sdk_id(ctx)
    );
    let waiters = super::waiter::waiters(ctx)?;

    let mut commands = Vec::new();
    let mut runners = Vec::new();
    let mut arms = Vec::new();
    for op in &ctx.closure.operations {
        let op_shape = ctx.index.get(op)?;
        let method = symbols.operation_module(op)?;
        let name = symbols.cli_command(op)?;
        if !waiters.is_empty() && name == symbols.cli_wait_command() {
            return Err(CodegenError::new(format!(
                "the CLI command of this operation would be `{name}`, which the CLI uses for \
                 its waiters (`{name} <waiter>`)"
            ))
            .in_file(&op_shape.source)
            .at_shape(op));
        }
        let run_fn = symbols.cli_run_fn(op)?;
        let input_id = symbols.operation_input(op)?.clone();
        let input = symbols.shape(&input_id)?;
        let output_id = symbols.operation_output(op)?.clone();
        let output = symbols.shape(&output_id)?;
        let input_flags = input_flags(ctx, &krate, input)?;
        let mut flags = input_flags.flags.clone();
        let mut own = Vec::new();
        let mut locals = Vec::new();

        let send = quote! {
            builder
                .send()
                .await
                .map_err(|e| rt::cli::failure(Some(command), e))?
        };
        let byte_stream = symbols.byte_stream_member(&output_id);
        let event_stream = symbols.event_stream_member(&output_id);
        let paginated = super::paginator::pagination(ctx, op_shape).is_some()
            && byte_stream.is_none()
            && event_stream.is_none();
        let tail = if let Some(member) = byte_stream {
            reserve(
                input,
                &input_flags,
                OUTPUT_FILE,
                "for where the output's bytes go",
            )?;
            flags.push(flag_entry(
                OUTPUT_FILE,
                "PATH",
                "Write the streamed output here (the rest of the output is printed).",
                true,
                false,
                false,
            ));
            locals.push(quote!(let mut output_file = None;));
            own.push(quote!(#OUTPUT_FILE => {
                output_file = Some(value);
                builder
            }));
            let field = symbols.member_ident(&output_id, &member.name)?;
            let take = if symbols.is_optional(&output_id, &member.name) {
                quote!(output.#field.take().unwrap_or_default())
            } else {
                quote!(std::mem::take(&mut output.#field))
            };
            let missing = format!("{OUTPUT_FILE} is required");
            quote! {
                let Some(path) = output_file else {
                    return Err(rt::cli::Exit::Invalid(#missing.to_owned()));
                };
                // Opened before anything is sent: a path that cannot be written is refused.
                let file = rt::cli::output_file(#OUTPUT_FILE, &path)?;
                let mut output = match builder.send().await {
                    Ok(output) => output,
                    Err(e) => {
                        file.abandon();
                        return Err(rt::cli::failure(Some(command), e));
                    }
                };
                file.write(#take).await?;
                rt::cli::print_json(&output)
            }
        } else if let Some(member) = event_stream {
            let field = symbols.member_ident(&output_id, &member.name)?;
            let take = if symbols.is_optional(&output_id, &member.name) {
                quote!(output.#field.take())
            } else {
                quote!(Some(std::mem::take(&mut output.#field)))
            };
            let union = symbols.shape(&member.target)?;
            let union_ty = rebase(symbols.type_path(&union.id)?, &krate);
            let error_ty = rebase(symbols.event_stream_error_path(&union.id)?, &krate);
            let mut event_arms = Vec::new();
            let mut exception_arms = Vec::new();
            for m in &union.members {
                let variant = symbols.variant_ident(&union.id, &m.name)?;
                let wire = &m.name;
                if symbols.is_exception_event(m) {
                    exception_arms.push(quote! {
                        #error_ty::#variant(e) => (e.code().to_owned(), e.error_message().map(str::to_owned)),
                    });
                } else {
                    event_arms.push(
                        quote!(#union_ty::#variant(event) => rt::cli::print_event(#wire, &event)?,),
                    );
                }
            }
            let initial = if output.members.len() > 1 {
                quote!(rt::cli::print_initial_response(&output)?;)
            } else {
                quote!()
            };
            // Without modeled exceptions (lambda InvokeWithResponseStream) a `match` would hold
            // only `_`, which clippy rejects.
            let name_exception = if exception_arms.is_empty() {
                quote!(|_| (String::from("EventStreamError"), None))
            } else {
                quote!(|e| match e {
                    #(#exception_arms)*
                    _ => (String::from("EventStreamError"), None),
                })
            };
            quote! {
                let mut output = #send;
                let stream = #take;
                #initial
                let Some(mut stream) = stream else {
                    return Ok(());
                };
                // Each event is printed as it arrives.
                loop {
                    let event = match stream.recv().await {
                        Ok(Some(event)) => event,
                        Ok(None) => return Ok(()),
                        Err(e) => {
                            return Err(rt::cli::event_stream_failure(e, #name_exception))
                        }
                    };
                    match event {
                        #(#event_arms)*
                        _ => rt::cli::unknown_event(),
                    }
                }
            }
        } else {
            let single = quote! {
                let output = #send;
                rt::cli::print_json(&output)
            };
            if paginated {
                reserve(input, &input_flags, ALL_PAGES, "to follow the paginator")?;
                flags.push(flag_entry(
                    ALL_PAGES,
                    "",
                    "Follow the next-page tokens: one JSON line per page.",
                    false,
                    false,
                    true,
                ));
                locals.push(quote!(let mut all_pages = false;));
                own.push(quote!(#ALL_PAGES => {
                    all_pages = true;
                    builder
                }));
                quote! {
                    if all_pages {
                        let mut pages = builder.into_paginator();
                        while let Some(page) = pages.next().await {
                            let page = page.map_err(|e| rt::cli::failure(Some(command), e))?;
                            rt::cli::print_line(&page)?;
                        }
                        return Ok(());
                    }
                    #single
                }
            } else {
                single
            }
        };

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
        let (flags_binding, binding, apply) = apply_flags(&input_flags, &own);
        if let Some(why) = &input_flags.unsupported {
            runners.push(unsupported_runner(&krate, &run_fn, why));
            arms.push(
                quote!(#name => #run_fn(&client, invocation.command, invocation.flags).await,),
            );
            continue;
        }
        runners.push(quote! {
            async fn #run_fn(
                client: &#krate::Client,
                command: &'static rt::cli::Command,
                #flags_binding: Vec<(&'static str, String)>,
            ) -> Result<(), rt::cli::Exit> {
                let #binding = client.#method();
                #(#locals)*
                #apply
                // Validation messages name the flags (`--api-id is required`).
                #tail
            }
        });
        arms.push(quote!(#name => #run_fn(&client, invocation.command, invocation.flags).await,));
    }

    let op_runners: std::collections::BTreeSet<String> = ctx
        .closure
        .operations
        .iter()
        .map(|op| symbols.cli_run_fn(op).map(|f| f.to_string()))
        .collect::<Result<_>>()?;
    for w in &waiters {
        let name = symbols.cli_waiter_command(&w.name);
        let run_fn = symbols.cli_waiter_run_fn(&w.name);
        if op_runners.contains(&run_fn.to_string()) {
            return Err(CodegenError::new(format!(
                "the CLI function of the waiter `{}` would be `{run_fn}`, the name of an \
                 operation's",
                w.name
            ))
            .in_file(&w.op.source)
            .at_shape(&w.op.id));
        }
        let method = symbols.waiter_method(&w.name);
        let input_id = symbols.operation_input(&w.op.id)?.clone();
        let input = symbols.shape(&input_id)?;
        let input_flags = input_flags(ctx, &krate, input)?;
        reserve(input, &input_flags, MAX_WAIT, "for how long a waiter waits")?;
        let mut flags = input_flags.flags.clone();
        flags.push(flag_entry(
            MAX_WAIT,
            "SECS",
            "How long to wait in all, in seconds (default 300).",
            false,
            false,
            false,
        ));
        let (_, builder, apply) = apply_flags(&input_flags, &[]);
        let doc = w
            .def
            .get("documentation")
            .and_then(serde_json::Value::as_str);
        let about = match first_sentence(doc) {
            s if s.is_empty() => format!(
                "Waits for {} to reach the `{}` state.",
                w.op.id.name, w.name
            ),
            s => s,
        };
        let about = format!(
            "{about} Calls {} until it does; exit 1 if it fails or times out.",
            w.op.id.name
        );
        commands.push(quote! {
            rt::cli::Command {
                name: #name,
                about: #about,
                flags: &[#(#flags),*],
            }
        });
        if let Some(why) = &input_flags.unsupported {
            runners.push(unsupported_runner(&krate, &run_fn, why));
            arms.push(
                quote!(#name => #run_fn(&client, invocation.command, invocation.flags).await,),
            );
            continue;
        }
        runners.push(quote! {
            async fn #run_fn(
                client: &#krate::Client,
                command: &'static rt::cli::Command,
                mut flags: Vec<(&'static str, String)>,
            ) -> Result<(), rt::cli::Exit> {
                let max_wait = rt::cli::take_max_wait(&mut flags, #MAX_WAIT)?;
                let #builder = client.#method();
                #apply
                rt::cli::waited(command, builder.wait(max_wait).await)
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

/// The runner of a command that cannot run: exit 2 with why, nothing sent.
fn unsupported_runner(krate: &Ident, run_fn: &Ident, why: &str) -> TokenStream {
    quote! {
        async fn #run_fn(
            _client: &#krate::Client,
            _command: &'static rt::cli::Command,
            _flags: Vec<(&'static str, String)>,
        ) -> Result<(), rt::cli::Exit> {
            Err(rt::cli::Exit::Invalid(#why.to_owned()))
        }
    }
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

    /// `tests/models/pagination.json`, changed by `edit`, generated with every operation.
    fn generate_pagination(edit: impl FnOnce(&mut serde_json::Value)) -> Result<()> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/models/pagination.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
        let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
        edit(&mut model["shapes"]);
        let sources = [crate::read::SourceText {
            path: "pagination.json".into(),
            text: model.to_string(),
        }];
        let options = crate::Options {
            models: Vec::new(),
            operations: crate::OperationSelection::All,
            crate_name: "pagination".into(),
            runtime: Default::default(),
            service: None,
        };
        crate::pipeline::generate_from_sources(&sources, &options).map(|_| ())
    }

    #[test]
    fn the_cli_own_flags_and_commands_are_no_members_or_operations() {
        generate_pagination(|_| {}).expect("the model generates as it is");
        let err = generate_pagination(|shapes| {
            shapes["com.example.pagination#ListThingsInput"]["members"]["AllPages"] =
                serde_json::json!({"target": "smithy.api#Boolean", "traits": {"smithy.api#httpQuery": "all"}});
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "pagination.json: shape com.example.pagination#ListThingsInput, member AllPages: \
             the CLI flag of this member would be --all-pages, which the CLI uses to follow \
             the paginator"
        );
        let err = generate_pagination(|shapes| {
            shapes["com.example.pagination#GetThingInput"]["members"]["MaxWait"] =
                serde_json::json!({"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "w"}});
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "pagination.json: shape com.example.pagination#GetThingInput, member MaxWait: the \
             CLI flag of this member would be --max-wait, which the CLI uses for how long a \
             waiter waits"
        );
        let err = generate_pagination(|shapes| {
            let get = shapes["com.example.pagination#GetThing"].clone();
            let mut wait = get.clone();
            wait["traits"]
                .as_object_mut()
                .unwrap()
                .remove("smithy.waiters#waitable");
            wait["traits"]["smithy.api#http"]["uri"] = serde_json::json!("/wait/{Name}");
            shapes["com.example.pagination#Wait"] = wait;
            shapes["com.example.pagination#Pagination"]["operations"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({"target": "com.example.pagination#Wait"}));
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "pagination.json: shape com.example.pagination#Wait: the CLI command of this \
             operation would be `wait`, which the CLI uses for its waiters (`wait <waiter>`)"
        );
    }

    /// Generation refuses input event streams before the CLI is emitted (`protocol/plan.rs`);
    /// the CLI's own answer, for when it no longer does: the command exists, runs nothing
    /// and says why.
    #[test]
    fn an_input_event_stream_command_says_it_cannot_run() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/models/eventstream.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
        let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
        model["shapes"]["com.example.eventstream#ChatStreamInput"]["members"]["events"] = serde_json::json!(
            {"target": "com.example.eventstream#ChatStreamOutputStream", "traits": {"smithy.api#httpPayload": {}}}
        );
        let files = crate::idl::parse_sources(&[crate::read::SourceText {
            path: "eventstream.json".into(),
            text: model.to_string(),
        }])
        .unwrap();
        let model = crate::assemble::assemble(files).unwrap();
        let model = crate::normalize::normalize(model).unwrap();
        let index = crate::index::Index::new(&model);
        let service = index.service().unwrap();
        let closure =
            crate::closure::Closure::compute(&index, service, &crate::OperationSelection::All)
                .unwrap();
        let symbols = crate::naming::Symbols::new(&index, &closure, "eventstream").unwrap();
        let endpoint = crate::endpoint::EndpointRules::prepare(service).unwrap();
        let ctx = Context {
            index: &index,
            service,
            closure: &closure,
            symbols: &symbols,
            crate_name: "eventstream",
            runtime: &Default::default(),
            endpoint: &endpoint,
        };
        let cli = emit_cli(&ctx).unwrap().to_string();
        let why = "--events: this CLI cannot send input event streams yet \
                   (`ChatStreamOutputStream` is a `@streaming` union); nothing was sent";
        assert!(cli.contains(&format!("{why:?}")), "{cli}");
        assert!(cli.contains("\"chat-stream\""), "the command is listed");
        assert!(!cli.contains("\"--events\""), "no flag for the stream");
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
