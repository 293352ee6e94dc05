//! The crate's frame: `Cargo.toml`, `lib.rs`, `meta.rs`, `primitives.rs`, `error.rs`, and
//! the `mod.rs` files that tie the modules together.

use std::fmt::Write as _;

use proc_macro2::Ident;
use quote::quote;

use super::{Job, RustFile};
use crate::context::Context;
use crate::emit::docs::html_to_markdown;
use crate::error::{CodegenError, Result};
use crate::format::TOML_HEADER;
use crate::model::{EnumValue, Member, Shape, ShapeId, ShapeType};
use crate::options::GeneratedFile;

/// `src/types/mod.rs` or `src/types/error/mod.rs`: the per-shape files, their types, and
/// a `builders` module with the structures' builders.
pub fn types_module(entries: &[(Ident, Ident, bool)], has_errors: bool, errors: bool) -> RustFile {
    // An event stream's file also holds its error enum: two entries, one module.
    let mut files: Vec<&Ident> = entries.iter().map(|(file, _, _)| file).collect();
    files.dedup();
    let mods = files.iter().map(|file| quote!(mod #file;));
    let uses = entries
        .iter()
        .map(|(file, name, _)| quote!(pub use #file::#name;));
    let builders = entries
        .iter()
        .filter(|(_, _, is_struct)| *is_struct)
        .map(|(file, name, _)| {
            let builder = crate::naming::Symbols::builder_ident_of(name);
            quote!(pub use super::#file::#builder;)
        });
    let error_mod = has_errors.then(|| {
        quote!(
            pub mod error;
        )
    });
    let (path, docs) = if errors {
        (
            "src/types/error/mod.rs",
            "Errors the service models, shared by the operations that return them.",
        )
    } else {
        (
            "src/types/mod.rs",
            "The data types of the service's operations.",
        )
    };
    let tokens = quote! {
        #(#mods)*
        #(#uses)*
        #error_mod

        /// Builders for the structures in this module.
        pub mod builders {
            #(#builders)*
        }
    };
    RustFile::new(path, Some(docs.to_string()), tokens)
}

/// `src/operation/mod.rs`.
pub fn operation_module(modules: &[Ident]) -> RustFile {
    let tokens = quote! {
        #(pub mod #modules;)*

        /// Gives the request id (`x-amzn-requestid`) AWS assigned to the call that produced
        /// a value.
        pub trait RequestId {
            /// The request id, when the response carried one.
            fn request_id(&self) -> Option<&str>;
        }
    };
    RustFile::new(
        "src/operation/mod.rs",
        Some(
            "One module per operation: its input, output and error types, and its fluent builder."
                .to_string(),
        ),
        tokens,
    )
}

/// `src/operation/<op>/builders.rs`, from the client emitter.
pub fn fluent_builders_file(ctx: &Context<'_>, op: &Shape) -> Result<RustFile> {
    let module = ctx.symbols.operation_dir(&op.id)?;
    let tokens = crate::emit::client::emit_fluent_builders(ctx, &op.id)?;
    Ok(RustFile::new(
        format!("src/operation/{module}/builders.rs"),
        Some(format!(
            "The fluent builder of `{}`.",
            ctx.symbols.operation_ident(&op.id)?
        )),
        tokens,
    ))
}

/// `lib.rs`, `meta.rs`, `primitives.rs`, `error.rs`, and the files of the protocol,
/// endpoint and client emitters: one job per emitter.
pub fn frame_jobs<'a>(ctx: &'a Context<'_>) -> Vec<Job<'a>> {
    fn one(file: RustFile) -> Vec<RustFile> {
        vec![file]
    }
    let file = |path: &'static str, docs: &'static str, tokens: proc_macro2::TokenStream| {
        RustFile::new(path, Some(docs.to_string()), tokens)
    };
    vec![
        Box::new(move || {
            Ok(vec![
                lib_rs(ctx)?,
                meta_rs(ctx)?,
                primitives_rs(ctx),
                error_rs(),
            ])
        }),
        Box::new(move || {
            Ok(one(file(
                "src/endpoint.rs",
                "Endpoint resolution, compiled from the model's endpoint rule set.",
                crate::endpoint::emit_resolver(ctx)?,
            )))
        }),
        Box::new(move || {
            Ok(crate::endpoint::emit_tests(ctx)?
                .map(|tests| {
                    file(
                        "tests/endpoint_tests.rs",
                        "The model's endpoint tests (`smithy.rules#endpointTests`).",
                        tests,
                    )
                })
                .into_iter()
                .collect())
        }),
        Box::new(move || {
            Ok(crate::protocol_tests::emit_tests(ctx)?
                .map(|tests| {
                    file(
                        "tests/protocol_tests.rs",
                        "The model's restJson1 protocol tests (`smithy.test#httpRequestTests`, \
                         `smithy.test#httpResponseTests`).",
                        tests,
                    )
                })
                .into_iter()
                .collect())
        }),
        Box::new(move || {
            Ok(one(file(
                "src/validate.rs",
                "Input validation from the model's constraint traits, run before a request is \
                 sent.",
                crate::protocol::emit_validators(ctx)?,
            )))
        }),
        Box::new(move || {
            Ok(one(file(
                "src/client.rs",
                "The service client.",
                crate::emit::client::emit_client(ctx)?,
            )))
        }),
        Box::new(move || super::waiters::emit_files(ctx)),
        Box::new(move || {
            Ok(one(file(
                "src/config.rs",
                "Client configuration.",
                crate::emit::client::emit_config(ctx)?,
            )))
        }),
        Box::new(move || {
            Ok(one(RustFile::new(
                "examples/cli.rs",
                Some(format!(
                    "A command-line client for {}, generated from the model.",
                    sdk_id(ctx.service)
                )),
                crate::emit::cli::emit_cli(ctx)?,
            )))
        }),
    ]
}

fn sdk_id(service: &Shape) -> String {
    service
        .traits
        .other("aws.api#service")
        .and_then(|v| v.get("sdkId"))
        .and_then(|v| v.as_str())
        .unwrap_or(&service.id.name)
        .to_string()
}

fn lib_rs(ctx: &Context<'_>) -> Result<RustFile> {
    let service = ctx.service;
    let title = service
        .traits
        .other("smithy.api#title")
        .and_then(|v| v.as_str())
        .unwrap_or(&service.id.name)
        .to_string();
    let mut docs = format!(
        "A client for {title} (`{}`), generated from its Smithy model.\n",
        service.id
    );
    if let Some(html) = &service.traits.documentation {
        docs.push('\n');
        docs.push_str(&html_to_markdown(html));
        docs.push('\n');
    }
    if let Some((op, setters)) = example_operation(ctx)? {
        let method = ctx.symbols.operation_module(op)?;
        docs.push_str(&getting_started(
            ctx.crate_name,
            &ctx.crate_name.replace('-', "_"),
            &method.to_string(),
            &setters,
        ));
    }
    let runtime = crate::naming::ident(crate::runtime::CRATE_IDENT);
    let waiters_mod = (!crate::emit::waiter::waiters(ctx)?.is_empty()).then(|| {
        quote!(
            pub mod waiters;
        )
    });
    let tokens = quote! {
        #![warn(missing_docs)]
        // Deprecated shapes and members are still (de)serialized and built by this crate;
        // users see the deprecation where they use them.
        #![allow(deprecated)]
        // Shape and member names are the model's; a model may call a member `foo`.
        #![allow(clippy::disallowed_names)]

        pub mod client;
        pub mod config;
        pub mod endpoint;
        pub mod error;
        pub mod operation;
        pub mod primitives;
        pub mod types;
        #waiters_mod

        pub(crate) mod meta;
        pub(crate) mod protocol;
        pub(crate) mod validate;

        // The shared runtime (HTTP, signing, retries, wire helpers), under the one name
        // generated code uses for it. Its stable parts are re-exported by the modules above.
        use #runtime as rt;

        pub use client::Client;
        pub use config::Config;
    };
    Ok(RustFile::new("src/lib.rs", Some(docs), tokens))
}

/// The crate docs' getting-started section: the dependency, configuration from the
/// environment, a call, its errors, and the features.
fn getting_started(package: &str, krate: &str, method: &str, setters: &str) -> String {
    let setters = setters.replace("\n    ", "\n        ");
    format!(
        r#"
# Getting started

Add the crate and an async runtime to `Cargo.toml`; the crate brings its runtime,
`aws-client-runtime`, with it:

```toml
[dependencies]
{package} = {{ path = "generated/{package}" }} # or a git or registry dependency
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
```

Make a [`Config`] from the environment and the shared AWS files
([`Config::from_env`]: `AWS_REGION`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` or
`AWS_PROFILE`, `AWS_ENDPOINT_URL`, ...) or with [`Config::builder`], make a [`Client`], and
call an operation: a setter per input member, then `send()`. The values below are
placeholders; use identifiers from your account.

```no_run
use {krate}::error::DisplayErrorContext;
use {krate}::{{Client, Config}};

#[tokio::main]
async fn main() -> std::process::ExitCode {{
    let config = match Config::from_env() {{
        Ok(config) => config,
        Err(err) => {{
            eprintln!("error: {{err}}");
            return std::process::ExitCode::FAILURE;
        }}
    }};
    let client = Client::new(&config);
    let result = client
        .{method}(){setters}
        .send()
        .await;
    match result {{
        Ok(output) => println!("{{output:?}}"),
        Err(err) => {{
            // The error and its causes on one line.
            eprintln!("error: {{}}", DisplayErrorContext(&err));
            if let Some(service_error) = err.as_service_error() {{
                eprintln!("the service answered {{:?}}", service_error.code());
            }}
            return std::process::ExitCode::FAILURE;
        }}
    }}
    std::process::ExitCode::SUCCESS
}}
```

# Errors

Every `send()` fails with [`error::Error`], whose variants tell apart invalid input and
configuration (nothing was sent), credentials, endpoint resolution, transport, timeouts,
an unusable response, and the service's own errors (`as_service_error()`: the operation's
modeled errors, or `Unhandled`). `Display` is one line about what failed; the causes are
its `source()` chain, printed whole by [`error::DisplayErrorContext`] or `anyhow`.

# Features

- `default-http-client` (on by default): the runtime's hyper + rustls HTTP client,
  `config::DefaultHttpClient`. Turn it off to plug in your own `config::HttpClient`.
- `serde`: `Serialize`/`Deserialize` for every generated type, in the wire format.
- `test-util`: a canned-response `CannedHttpClient` for unit tests without a server.
- `aws-config`: `Config::from(&sdk_config)` for an `aws_types::SdkConfig`, as
  `aws_config::load_defaults` returns it.
- `http2`: HTTP/2 (ALPN `h2`) in the default HTTP client for every operation; operations
  that need it have it without the feature.
"#
    )
}

/// The operation the crate docs' example calls, with its required members' setter calls
/// (`\n    .api_id("a1b2c3")`): the first operation (by shape id) whose required members all
/// take a literal, else the first operation with the members that do.
fn example_operation<'c>(ctx: &Context<'c>) -> Result<Option<(&'c ShapeId, String)>> {
    let mut fallback = None;
    for op in &ctx.closure.operations {
        let input_id = ctx.symbols.operation_input(op)?;
        let input = ctx.symbols.shape(input_id)?;
        let mut setters = String::new();
        let mut complete = true;
        for member in input.members.iter().filter(|m| m.traits.required) {
            match example_value(ctx, member)? {
                Some(value) => {
                    let setter = ctx.symbols.member_ident(input_id, &member.name)?;
                    let _ = write!(setters, "\n    .{setter}({value})");
                }
                None => complete = false,
            }
        }
        if complete {
            return Ok(Some((op, setters)));
        }
        fallback.get_or_insert((op, setters));
    }
    Ok(fallback)
}

/// A Rust literal for a member in the crate example, from its target's type and
/// constraints; `None` for types without a literal form (structures, lists, blobs, ...).
fn example_value(ctx: &Context<'_>, member: &Member) -> Result<Option<String>> {
    let target = ctx.symbols.shape(&member.target)?;
    Ok(match target.ty {
        ShapeType::String => {
            let mut text = if member.name.to_ascii_lowercase().ends_with("id") {
                "a1b2c3".to_string()
            } else {
                format!(
                    "example-{}",
                    crate::naming::case::snake_case(&member.name).replace('_', "-")
                )
            };
            let length = member
                .traits
                .length
                .as_ref()
                .or(target.traits.length.as_ref());
            if let Some(length) = length {
                let min = length.min.unwrap_or(0) as usize;
                while text.len() < min {
                    text.push('a');
                }
                if let Some(max) = length.max {
                    text.truncate(max as usize);
                }
            }
            let pattern = member.traits.pattern.is_some() || target.traits.pattern.is_some();
            (!pattern).then(|| format!("{text:?}"))
        }
        ShapeType::Enum => target
            .members
            .iter()
            .find_map(|m| match &m.traits.enum_value {
                Some(EnumValue::String(s)) => Some(format!("{s:?}")),
                _ => None,
            }),
        ShapeType::Boolean => Some("true".to_string()),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => {
            let range = member
                .traits
                .range
                .as_ref()
                .or(target.traits.range.as_ref());
            let min = range.and_then(|r| r.min.as_ref()).and_then(|n| n.as_i64());
            let max = range.and_then(|r| r.max.as_ref()).and_then(|n| n.as_i64());
            let value = min.unwrap_or(1).max(1).min(max.unwrap_or(i64::MAX));
            Some(value.to_string())
        }
        _ => None,
    })
}

fn meta_rs(ctx: &Context<'_>) -> Result<RustFile> {
    let service = ctx.service;
    let info = service.service.as_ref().ok_or_else(|| {
        CodegenError::new("the service shape has no service fields").at_shape(&service.id)
    })?;
    let sdk_id = sdk_id(service);
    // Empty for a service without SigV4 (its operations never pick it: `index::auth`
    // refuses a SigV4 scheme without a name).
    let signing_name = service
        .traits
        .other("aws.auth#sigv4")
        .and_then(|v| v.get("name"))
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    // AWS_ENDPOINT_URL_<ID>: the sdkId upper-cased with spaces and dashes as underscores.
    let env_suffix: String = sdk_id
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    let crate_name = ctx.crate_name;
    let version = &info.version;
    let tokens = quote! {
        /// The facts about the service the runtime needs.
        pub(crate) static SERVICE: crate::rt::ServiceMeta = crate::rt::ServiceMeta {
            sdk_id: #sdk_id,
            signing_name: #signing_name,
            env_suffix: #env_suffix,
            crate_name: #crate_name,
            crate_version: env!("CARGO_PKG_VERSION"),
            api_version: #version,
        };
    };
    Ok(RustFile::new(
        "src/meta.rs",
        Some("Service facts from the model.".to_string()),
        tokens,
    ))
}

fn primitives_rs(ctx: &Context<'_>) -> RustFile {
    let mut tokens = quote! {
        pub use crate::rt::primitives::{BigDecimal, BigInteger, Blob, DateTime, Document, UnknownVariantValue};
    };
    // `@streaming` blobs and unions: only crates whose model has one re-export the types
    // (an event stream's receiver reads a `ByteStream`).
    if ctx
        .closure
        .shapes
        .iter()
        .any(|id| ctx.symbols.is_stream(id))
    {
        tokens.extend(quote! {
            pub use crate::rt::byte_stream::{ByteStream, ByteStreamError, ByteStreamErrorKind};
        });
    }
    if ctx
        .closure
        .shapes
        .iter()
        .any(|id| ctx.symbols.is_event_stream(id))
    {
        tokens.extend(quote! {
            pub use crate::rt::event_stream::{EventReceiver, EventStreamError};
        });
    }
    if ctx
        .closure
        .shapes
        .iter()
        .any(|id| ctx.symbols.is_input_event_stream(id))
    {
        tokens.extend(quote! {
            pub use crate::rt::event_stream::{EventSink, EventSinkClosed, EventStreamSender};
        });
    }
    RustFile::new(
        "src/primitives.rs",
        Some(
            "Value types for Smithy's simple types (timestamps, blobs, documents, big numbers)."
                .to_string(),
        ),
        tokens,
    )
}

fn error_rs() -> RustFile {
    let tokens = quote! {
        pub use crate::rt::build_error::BuildError;
        pub use crate::rt::error::*;
        pub use crate::rt::validate::{ConstraintViolation, ValidationError};
    };
    RustFile::new(
        "src/error.rs",
        Some("Errors: the operation error wrapper, validation and build errors.".to_string()),
        tokens,
    )
}

/// The generated `Cargo.toml`: package facts plus the runtime's dependency block, with the
/// optional runtime features the crate's formatted `files` use.
pub fn cargo_toml(ctx: &Context<'_>, files: &[GeneratedFile]) -> Result<String> {
    let description = format!(
        "A client for {}, generated from its Smithy model",
        sdk_id(ctx.service)
    );
    let mut out = String::new();
    let _ = writeln!(out, "{TOML_HEADER}");
    let _ = writeln!(out, "[package]");
    let _ = writeln!(out, "name = {:?}", ctx.crate_name);
    let _ = writeln!(out, "version = \"0.1.0\"");
    let _ = writeln!(out, "edition = \"2021\"");
    let _ = writeln!(out, "rust-version = \"1.85\"");
    let _ = writeln!(out, "description = {description:?}");
    let _ = writeln!(out, "license = \"Apache-2.0\"");
    let _ = writeln!(out, "publish = false");
    let _ = writeln!(out);
    let features = crate::runtime::features_used(files.iter().map(|f| f.contents.as_str()));
    out.push_str(&crate::runtime::manifest_dependencies(
        ctx.runtime,
        &features,
    ));
    let _ = writeln!(out);
    let _ = writeln!(out, "[dev-dependencies]");
    let _ = writeln!(
        out,
        "tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}"
    );
    // The generated CLI example prints outputs as their wire JSON, which needs the `serde`
    // feature; a dev-dependency on the crate itself turns it on for examples and tests only,
    // so `cargo run --example cli` needs no flags and users' default builds stay lean.
    // Protocol tests compare values as JSON and record requests with the canned client.
    if crate::protocol_tests::has_tests(ctx)? {
        let _ = writeln!(out, "serde_json = \"1\"");
        let _ = writeln!(
            out,
            "{} = {{ path = \".\", features = [\"serde\", \"test-util\"] }}",
            ctx.crate_name
        );
    } else {
        let _ = writeln!(
            out,
            "{} = {{ path = \".\", features = [\"serde\"] }}",
            ctx.crate_name
        );
    }
    Ok(out)
}
