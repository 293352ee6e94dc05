//! The client side of the generated crate: `src/client.rs` (`Client`, one method per
//! operation), `src/operation/<op>/builders.rs` (the fluent builder, the operation's
//! `rt::orchestrator::Operation` impl and its error's `ProvideErrorMetadata` impl) and
//! `src/config.rs` (the runtime's configuration types and the mapping of the endpoint rule
//! set's built-ins from `Config` into `crate::endpoint::Params`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::structure::fields;
use crate::context::Context;
use crate::endpoint::ParamType;
use crate::error::{CodegenError, Result};
use crate::model::{Shape, ShapeId, ShapeType};

/// `src/client.rs`.
pub fn emit_client(ctx: &Context<'_>) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let mut methods = Vec::new();
    for op in &ctx.closure.operations {
        let shape = ctx.index.get(op)?;
        let method = symbols.operation_module(op)?;
        let fluent = symbols.fluent_builder_ident(op)?;
        let op_name = symbols.operation_ident(op)?;
        let docs = doc_attrs(
            shape.traits.documentation.as_deref(),
            &format!("Calls `{op_name}`."),
        );
        let how = format!(
            " Set the input members on the returned builder, then call \
             [`send`](crate::operation::{method}::builders::{fluent}::send)."
        );
        let pagination = super::paginator::client_doc_example(ctx, shape)?
            .map(|text| super::docs::lines_to_attrs(&format!("\n{text}")));
        let events = event_stream_doc_example(ctx, op)?
            .map(|text| super::docs::lines_to_attrs(&format!("\n{text}")));
        let overview: Vec<String> = method_overview(ctx, op)?
            .lines()
            .map(|line| format!(" {line}"))
            .collect();
        methods.push(quote! {
            #docs
            #[doc = ""]
            #[doc = #how]
            #[doc = ""]
            #(#[doc = #overview])*
            #pagination
            #events
            pub fn #method(&self) -> crate::operation::#method::builders::#fluent {
                crate::operation::#method::builders::#fluent::new(self.handle.clone())
            }
        });
    }
    let waiters = super::waiter::client_methods(ctx)?;
    let sdk_id = sdk_id(ctx);
    let client_doc = format!(
        " A client for {sdk_id}. Cheap to clone, `Send + Sync`: clones share one connection \
         pool, credentials cache and retry quota, so make one and clone it where needed."
    );
    Ok(quote! {
        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: crate::rt::client::Handle,
            config: ::std::sync::Arc<crate::Config>,
        }

        impl Client {
            /// Creates a client from this service's [`Config`](crate::Config), or from a
            /// [`SharedConfig`](crate::config::SharedConfig) that other services' clients use
            /// too (`Client::new(&shared)`). The endpoint is resolved here, once, for the
            /// operations without endpoint parameters of their own (a resolution error is
            /// returned by each of their calls); the others resolve it per call, from the
            /// same configuration and their input. Clients made from one configuration
            /// share its HTTP client and so one connection pool.
            pub fn new(config: impl Into<crate::Config>) -> Client {
                let config: crate::Config = config.into();
                let params = crate::config::endpoint_params(&config);
                let endpoint = params
                    .clone()
                    .build()
                    .and_then(|params| crate::endpoint::resolve(&params));
                let handle =
                    crate::rt::client::Handle::new(&crate::meta::SERVICE, config.shared(), endpoint);
                Client {
                    handle: handle.with_endpoint_params(params),
                    config: ::std::sync::Arc::new(config),
                }
            }

            /// Creates a client from a configuration it takes.
            pub fn from_conf(config: crate::Config) -> Client {
                Client::new(config)
            }

            /// The configuration the client was built with.
            pub fn config(&self) -> &crate::Config {
                &self.config
            }

            #(#methods)*

            #waiters
        }
    })
}

/// The part of a `Client` method's docs that aws-sdk-rust users know: the builder's setters
/// (required ones marked), the output's fields, and the errors.
fn method_overview(ctx: &Context<'_>, op: &ShapeId) -> Result<String> {
    use std::fmt::Write as _;
    let symbols = ctx.symbols;
    let path = |tokens: TokenStream| tokens.to_string().replace(' ', "");
    let module = symbols.operation_module(op)?;
    let fluent = format!(
        "crate::operation::{module}::builders::{}",
        symbols.fluent_builder_ident(op)?
    );
    let input = symbols.shape(symbols.operation_input(op)?)?;
    let output_id = symbols.operation_output(op)?;
    let output = symbols.shape(output_id)?;
    let mut out = String::new();
    let inputs = fields(ctx, input)?;
    if inputs.is_empty() {
        out.push_str("- The builder takes no input.\n");
    } else {
        out.push_str("- The builder's setters (one per input member):\n");
        for f in &inputs {
            let (ident, set) = (&f.ident, &f.set);
            let required = if f.member.traits.required {
                " **(required)**"
            } else {
                ""
            };
            let about = super::cli::first_sentence(
                f.member.traits.documentation.as_deref().or(symbols
                    .shape(&f.member.target)?
                    .traits
                    .documentation
                    .as_deref()),
            );
            let about = if about.is_empty() {
                String::new()
            } else {
                format!(": {about}")
            };
            let _ = writeln!(
                out,
                "  - [`{ident}`]({fluent}::{ident}) / [`{set}`]({fluent}::{set}){required}{about}"
            );
        }
    }
    let output_path = path(symbols.type_path(output_id)?);
    let outputs = fields(ctx, output)?;
    if outputs.is_empty() {
        let _ = writeln!(
            out,
            "- On success: [`{}`]({output_path}), with no members.",
            symbols.type_ident(output_id)?
        );
    } else {
        let _ = writeln!(
            out,
            "- On success: [`{}`]({output_path}), with:",
            symbols.type_ident(output_id)?
        );
        for f in &outputs {
            let ident = &f.ident;
            let about = super::cli::first_sentence(
                f.member.traits.documentation.as_deref().or(symbols
                    .shape(&f.member.target)?
                    .traits
                    .documentation
                    .as_deref()),
            );
            let about = if about.is_empty() {
                String::new()
            } else {
                format!(": {about}")
            };
            let _ = writeln!(out, "  - [`{ident}()`]({output_path}::{ident}){about}");
        }
    }
    let error = symbols.operation_error_ident(op)?;
    let error_path = path(symbols.operation_error_path(op)?);
    let _ = writeln!(
        out,
        "- On failure: [`Error<{error}>`](crate::error::Error): the input was invalid, the \
         configuration unusable, or sending failed (nothing or no answer came back); or the \
         service returned an error ([`as_service_error()`](crate::error::Error::as_service_error)), \
         a [`{error}`]({error_path}):"
    );
    let op_shape = ctx.index.get(op)?;
    for e in ctx.index.operation_errors(ctx.service, op_shape)? {
        let ident = symbols.type_ident(&e.id)?;
        let about = super::cli::first_sentence(e.traits.documentation.as_deref());
        let about = if about.is_empty() {
            String::new()
        } else {
            format!(": {about}")
        };
        let _ = writeln!(
            out,
            "  - [`{ident}`]({}){about}",
            path(symbols.type_path(&e.id)?)
        );
    }
    let _ = writeln!(
        out,
        "  - `Unhandled`: any other error response (see `code()` and `message()`)."
    );
    Ok(out)
}

/// What a member's builder setter takes (mirrors the input builder, see `structure.rs`).
enum SetterKind {
    /// `field(item)` appends: the item's target.
    ListItem { item: ShapeId, sparse: bool },
    /// `field(key, value)` inserts: the key's and value's targets.
    MapEntry {
        key: ShapeId,
        value: ShapeId,
        sparse: bool,
    },
    /// `field(value)` sets it.
    Value,
}

fn setter_kind(ctx: &Context<'_>, target: &ShapeId, boxed: bool) -> Result<SetterKind> {
    let shape = ctx.symbols.shape(target)?;
    Ok(match shape.ty {
        ShapeType::List | ShapeType::Set if !boxed => match shape.list_member() {
            Some(m) => SetterKind::ListItem {
                item: m.target.clone(),
                sparse: shape.traits.sparse,
            },
            None => SetterKind::Value,
        },
        ShapeType::Map if !boxed => match shape.map_key_value() {
            Some((k, v)) => SetterKind::MapEntry {
                key: k.target.clone(),
                value: v.target.clone(),
                sparse: shape.traits.sparse,
            },
            None => SetterKind::Value,
        },
        _ => SetterKind::Value,
    })
}

/// " This member is required." for a `@required` member's list or map setter (the other
/// setters carry it in `setter_docs`).
fn required_note(f: &super::structure::Field<'_>) -> &'static str {
    if f.member.traits.required {
        " This member is required."
    } else {
        ""
    }
}

/// The fluent setters of an operation's input members (`x`, `set_x`, `get_x`), shared by
/// the fluent builder and the waiters; and whether `build()` can fail (a required member
/// without a default).
pub(crate) fn input_setters(
    ctx: &Context<'_>,
    input_shape: &crate::model::Shape,
) -> Result<(Vec<TokenStream>, bool)> {
    let symbols = ctx.symbols;
    let input_fields = fields(ctx, input_shape)?;
    let mut setters = Vec::new();
    let mut fallible = false;
    for f in &input_fields {
        let (ident, value_ty, docs, deprecated) =
            (&f.ident, &f.value_ty, &f.setter_docs, &f.deprecated);
        let primary_attrs = f.method_attrs();
        let (set, get) = (&f.set, &f.get);
        if !f.optional {
            let has_default = f
                .member
                .traits
                .default
                .as_ref()
                .is_some_and(|v| !v.is_null());
            fallible |= !has_default;
        }
        let primary = match setter_kind(ctx, &f.member.target, f.boxed)? {
            SetterKind::ListItem { item, sparse } => {
                let mut item = symbols.rust_type(&item)?;
                if sparse {
                    item = quote!(Option<#item>);
                }
                let doc = format!(" Appends an item to `{}`.{}", f.bare, required_note(f));
                quote! {
                    #[doc = #doc]
                    #primary_attrs
                    pub fn #ident(mut self, input: impl Into<#item>) -> Self {
                        self.inner = self.inner.#ident(input);
                        self
                    }
                }
            }
            SetterKind::MapEntry { key, value, sparse } => {
                let key = symbols.rust_type(&key)?;
                let mut value = symbols.rust_type(&value)?;
                if sparse {
                    value = quote!(Option<#value>);
                }
                let doc = format!(" Inserts an entry into `{}`.{}", f.bare, required_note(f));
                quote! {
                    #[doc = #doc]
                    #primary_attrs
                    pub fn #ident(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                        self.inner = self.inner.#ident(key, value);
                        self
                    }
                }
            }
            SetterKind::Value => {
                let plain = symbols.member_value_type(&input_shape.id, &f.member.target)?;
                quote! {
                    #docs
                    #primary_attrs
                    pub fn #ident(mut self, input: impl Into<#plain>) -> Self {
                        self.inner = self.inner.#ident(input);
                        self
                    }
                }
            }
        };
        setters.push(quote! {
            #primary

            #docs
            #deprecated
            pub fn #set(mut self, input: Option<#value_ty>) -> Self {
                self.inner = self.inner.#set(input);
                self
            }

            #docs
            #deprecated
            pub fn #get(&self) -> &Option<#value_ty> {
                self.inner.#get()
            }
        });
    }
    Ok((setters, fallible))
}

/// `src/operation/<op>/builders.rs`.
pub fn emit_fluent_builders(ctx: &Context<'_>, op: &ShapeId) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let op_shape = ctx.index.get(op)?;
    let module = symbols.operation_module(op)?;
    let op_name = symbols.operation_ident(op)?;
    let op_name_text = op.name.clone();
    let fluent = symbols.fluent_builder_ident(op)?;
    let input_id = symbols.operation_input(op)?.clone();
    let output_id = symbols.operation_output(op)?.clone();
    let input_shape = symbols.shape(&input_id)?;
    let input_ty = symbols.type_path(&input_id)?;
    let input_builder = symbols.builder_path(&input_id)?;
    let output_ty = symbols.type_path(&output_id)?;
    let error_ty = symbols.operation_error_path(op)?;

    let (setters, fallible) = input_setters(ctx, input_shape)?;
    let build = if fallible {
        quote! {
            self.inner.build().map_err(|e| {
                crate::rt::error::Error::Validation(crate::rt::error::InvalidInput::Build(e))
            })?
        }
    } else {
        quote!(self.inner.build())
    };

    let fluent_doc = format!(
        " Builds and sends a `{op_name}` request: `client.{module}()`, a setter per input \
         member, then [`send`](Self::send)."
    );
    let send_doc = format!(
        " Sends the request: validates the input (nothing is sent when it is invalid), \
         signs it, and retries throttling and transient failures per the client's retry \
         configuration. Fails with the service's `{}` or a client-side error.",
        symbols.operation_error_ident(op)?
    );
    let op_doc = doc_attrs(
        op_shape.traits.documentation.as_deref(),
        &format!("The `{op_name}` operation."),
    );
    let metadata = error_metadata(ctx, op)?;
    let paginator = super::paginator::emit_paginator(ctx, op_shape)?;
    let resolve_endpoint = crate::endpoint::emit_operation_endpoint(ctx, op)?;
    // `@streaming` blobs: a `ByteStream` is read once, so such a builder is not `Clone`.
    let (fluent_derives, take_stream) = match symbols.byte_stream_member(&input_id) {
        // An input event stream: its sender is read once, too.
        None if symbols.event_stream_member(&input_id).is_some() => (
            quote!(#[derive(Debug)]),
            quote! {
                fn take_event_stream(
                    input: &mut #input_ty,
                ) -> Option<crate::rt::event_stream::EventStreamBody> {
                    crate::protocol::#module::take_event_stream(input)
                }
            },
        ),
        None => (quote!(#[derive(Debug, Clone)]), quote!()),
        Some(_) => (
            quote!(#[derive(Debug)]),
            quote! {
                fn take_request_stream(
                    input: &mut #input_ty,
                ) -> Result<Option<crate::primitives::ByteStream>, crate::rt::wire::SerializeError> {
                    crate::protocol::#module::take_request_stream(input)
                }
            },
        ),
    };
    // `@endpoint`: the serializer module's `host_prefix` (a model query; the code is the
    // protocol's).
    let host_prefix = op_shape
        .traits
        .other("smithy.api#endpoint")
        .and_then(|v| v.get("hostPrefix"))
        .is_some()
        .then(|| {
            quote! {
                fn host_prefix(
                    input: &#input_ty,
                ) -> Result<Option<String>, crate::rt::wire::SerializeError> {
                    crate::protocol::#module::host_prefix(input)
                }
            }
        });
    let body_steps = body_steps(ctx, op_shape, input_shape)?;
    let auth = auth_consts(ctx, op_shape)?;
    let fill_tokens = fill_idempotency_tokens(ctx, input_shape)?;
    // HTTP/2 where the service or the stream's direction needs it (`index::http`).
    let http2 = crate::index::http::event_stream_needs_http2(
        ctx.service.traits.other("aws.protocols#restJson1"),
        symbols.event_stream_member(&input_id).is_some(),
        symbols.event_stream_member(&output_id).is_some(),
    )
    .then(|| {
        quote!(
            const HTTP2: bool = true;
        )
    });
    let streaming_output = symbols
        .byte_stream_member(&output_id)
        .or_else(|| symbols.event_stream_member(&output_id))
        .map(|_| {
            quote! {
                const STREAMING_OUTPUT: bool = true;

                fn deserialize_streaming(
                    response: &crate::rt::http::HttpResponse,
                    body: crate::primitives::ByteStream,
                ) -> Result<#output_ty, crate::rt::wire::ResponseError> {
                    crate::protocol::#module::deserialize_streaming_response(response, body)
                }
            }
        });
    Ok(quote! {
        #[doc = #fluent_doc]
        #fluent_derives
        pub struct #fluent {
            handle: crate::rt::client::Handle,
            inner: #input_builder,
        }

        impl #fluent {
            pub(crate) fn new(handle: crate::rt::client::Handle) -> Self {
                #fluent {
                    handle,
                    inner: ::std::default::Default::default(),
                }
            }

            /// The input set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #[doc = #send_doc]
            pub async fn send(self) -> Result<#output_ty, crate::error::Error<#error_ty>> {
                let input = #build;
                crate::rt::orchestrator::invoke::<OperationMarker>(&self.handle, input).await
            }

            #(#setters)*
        }

        #op_doc
        ///
        /// The runtime's view of the operation: the generated validator, serializer and
        /// deserializers.
        pub(crate) struct OperationMarker;

        impl crate::rt::orchestrator::Operation for OperationMarker {
            type Input = #input_ty;
            type Output = #output_ty;
            type Error = #error_ty;

            const NAME: &'static str = #op_name_text;

            fn validate(input: &#input_ty) -> Result<(), crate::rt::validate::ValidationError> {
                crate::validate::#module(input)
            }

            fn serialize(
                input: &#input_ty,
                endpoint: &crate::rt::endpoint::Endpoint,
            ) -> Result<crate::rt::http::HttpRequest, crate::rt::wire::SerializeError> {
                crate::protocol::#module::serialize_request(input, endpoint)
            }

            fn deserialize(
                response: &crate::rt::http::HttpResponse,
            ) -> Result<#output_ty, crate::rt::wire::ResponseError> {
                crate::protocol::#module::deserialize_response(response)
            }

            fn deserialize_error(response: &crate::rt::http::HttpResponse) -> #error_ty {
                crate::protocol::#module::deserialize_error(response)
            }

            #resolve_endpoint

            #take_stream

            #host_prefix

            #body_steps

            #auth

            #fill_tokens

            #streaming_output

            #http2
        }

        #metadata

        #paginator
    })
}

/// The examples the client method's docs show for an operation that streams: events sent
/// through the input's sender, events read as they come, a response body read chunk by chunk.
fn event_stream_doc_example(ctx: &Context<'_>, op: &ShapeId) -> Result<Option<String>> {
    let symbols = ctx.symbols;
    let input = symbols.operation_input(op)?;
    let output = symbols.operation_output(op)?;
    let method = symbols.operation_module(op)?;
    let krate = ctx.crate_name.replace('-', "_");
    let indent = |text: &str| -> String {
        text.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    // How the example reads the output's stream, if it has one.
    let (read_prose, read, output_binding) = if let Some(member) =
        symbols.event_stream_member(output)
    {
        let field = symbols.member_ident(output, &member.name)?;
        let read =
            "while let Some(event) = events.recv().await? {\n    println!(\"{event:?}\");\n}";
        let body = if symbols.is_optional(output, &member.name) {
            format!(
                "if let Some(events) = output.{field}.as_mut() {{\n{}\n}}",
                indent(read)
            )
        } else {
            format!("let events = &mut output.{field};\n{read}")
        };
        (
            "The response's events come as the service sends them: `recv()` the next one (`None` at the end), or use the receiver as a `futures_core::Stream`. A modeled exception event ends the stream with `EventStreamError::Modeled`; a malformed or truncated frame with `EventStreamError::Frame` or `EventStreamError::Truncated`.",
            body,
            "let mut output",
        )
    } else if let Some(member) = symbols.byte_stream_member(output) {
        let field = symbols.member_ident(output, &member.name)?;
        let read = "while let Some(chunk) = body.next().await {\n    let chunk = chunk?;\n    println!(\"{} bytes\", chunk.len());\n}";
        let body = if symbols.is_optional(output, &member.name) {
            format!(
                "if let Some(body) = output.{field}.as_mut() {{\n{}\n}}",
                indent(read)
            )
        } else {
            format!("let body = &mut output.{field};\n{read}")
        };
        (
            "The response body comes as the service sends it: read it chunk by chunk with `next()` (memory stays flat however large it is), or `collect()` it under the configured cap.",
            body,
            "let mut output",
        )
    } else {
        ("", String::new(), "let output")
    };
    let Some(member) = symbols.event_stream_member(input) else {
        if read.is_empty() {
            return Ok(None);
        }
        let title = if symbols.event_stream_member(output).is_some() {
            "Event stream"
        } else {
            "Streamed response"
        };
        return Ok(Some(format!(
            "# {title}\n\n{read_prose}\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n{output_binding} = client.{method}()\n    // set the input members here\n    .send()\n    .await?;\n{read}\n# Ok(())\n# }}\n```"
        )));
    };
    let setter = symbols.member_ident(input, &member.name)?.to_string();
    let event = symbols
        .type_path(&member.target)?
        .to_string()
        .replace(' ', "");
    let event = event.replacen("crate::", &format!("{krate}::"), 1);
    let read = if read.is_empty() {
        "let _ = output;".to_owned()
    } else {
        read
    };
    Ok(Some(format!(
        "# Event stream\n\nThe request's events go through an `EventStreamSender`: from a list of events (`EventStreamSender::from(vec![..])`), any `futures_core::Stream` of them (`EventStreamSender::new`), or a channel whose `EventSink` you send into while the response is read. Each event is signed as it is sent; dropping the last sink ends the stream. {read_prose}\n\n```no_run\n# async fn example(client: &{krate}::Client, events: Vec<{event}>) -> Result<(), Box<dyn std::error::Error>> {{\nuse {krate}::primitives::EventStreamSender;\n\nlet (sink, sender) = EventStreamSender::channel(8);\ntokio::spawn(async move {{\n    for event in events {{\n        if sink.send(event).await.is_err() {{\n            break; // the request is over\n        }}\n    }}\n    // `sink` is dropped here: the stream ends.\n}});\n{output_binding} = client.{method}()\n    // set the other input members here\n    .{setter}(sender)\n    .send()\n    .await?;\n{read}\n# Ok(())\n# }}\n```"
    )))
}

/// `const AUTH_SCHEMES` (when not the runtime's default, SigV4 alone) and
/// `const UNSIGNED_PAYLOAD` (`aws.auth#unsignedPayload`): how the operation authenticates.
fn auth_consts(ctx: &Context<'_>, op: &Shape) -> Result<TokenStream> {
    use crate::index::auth::Scheme;
    let schemes = crate::index::auth::effective_auth(ctx.service, op)?;
    let schemes_const = (schemes != [Scheme::SigV4]).then(|| {
        let items = schemes.iter().map(|s| match s {
            Scheme::SigV4 => quote!(crate::rt::auth::AuthScheme::SigV4),
            Scheme::HttpBearer => quote!(crate::rt::auth::AuthScheme::HttpBearer),
            Scheme::NoAuth => quote!(crate::rt::auth::AuthScheme::NoAuth),
        });
        quote! {
            const AUTH_SCHEMES: &'static [crate::rt::auth::AuthScheme] = &[#(#items),*];
        }
    });
    let unsigned = op
        .traits
        .other("aws.auth#unsignedPayload")
        .is_some()
        .then(|| {
            quote!(
                const UNSIGNED_PAYLOAD: bool = true;
            )
        });
    Ok(quote!(#schemes_const #unsigned))
}

/// `const BODY_STEPS`: what the runtime does to the serialized body, in order: gzip for
/// `@requestCompression` (with `gzip` among its encodings), `Content-MD5` for
/// `@httpChecksumRequired`, then the service customization's SHA-256 tree hash for a blob
/// payload (`customize`). Nothing when the operation needs none.
fn body_steps(ctx: &Context<'_>, op: &Shape, input: &Shape) -> Result<TokenStream> {
    let mut steps = Vec::new();
    let gzip = op
        .traits
        .other("smithy.api#requestCompression")
        .and_then(|v| v.get("encodings"))
        .and_then(|v| v.as_array())
        .is_some_and(|e| e.iter().any(|e| e.as_str() == Some("gzip")));
    if gzip {
        steps.push(quote!(crate::rt::request_body::BodyStep::Gzip));
    }
    if op.traits.other("smithy.api#httpChecksumRequired").is_some() {
        steps.push(quote!(crate::rt::request_body::BodyStep::ContentMd5));
    }
    if crate::customize::sha256_tree_hash(ctx.service) {
        let mut blob_payload = false;
        for m in input.members.iter().filter(|m| m.traits.http_payload) {
            blob_payload |= ctx.symbols.shape(&m.target)?.ty == ShapeType::Blob;
        }
        if blob_payload {
            steps.push(quote!(crate::rt::request_body::BodyStep::Sha256TreeHash));
        }
    }
    Ok(if steps.is_empty() {
        quote!()
    } else {
        quote! {
            const BODY_STEPS: &'static [crate::rt::request_body::BodyStep] = &[#(#steps),*];
        }
    })
}

/// `fn fill_idempotency_tokens`: the input's optional string `@idempotencyToken` members
/// left unset get the configuration's token. Nothing when the input has none.
fn fill_idempotency_tokens(ctx: &Context<'_>, input: &Shape) -> Result<TokenStream> {
    let mut fills = Vec::new();
    for m in &input.members {
        if !m.traits.idempotency_token
            || !ctx.symbols.is_optional(&input.id, &m.name)
            || ctx.symbols.shape(&m.target)?.ty != ShapeType::String
        {
            continue;
        }
        let field = ctx.symbols.member_ident(&input.id, &m.name)?;
        fills.push(quote! {
            if input.#field.is_none() {
                input.#field = Some(token());
            }
        });
    }
    if fills.is_empty() {
        return Ok(quote!());
    }
    let ty = ctx.symbols.type_path(&input.id)?;
    Ok(quote! {
        fn fill_idempotency_tokens(input: &mut #ty, token: &dyn Fn() -> String) {
            #(#fills)*
        }
    })
}

/// `ProvideErrorMetadata` for the operation's error enum: code and message from its
/// inherent methods, and retry classification from `@retryable` (then the standard codes).
fn error_metadata(ctx: &Context<'_>, op: &ShapeId) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let error_ty = symbols.operation_error_path(op)?;
    let op_shape = ctx.index.get(op)?;
    let mut arms = Vec::new();
    for error in ctx.index.operation_errors(ctx.service, op_shape)? {
        let Some(retryable) = error.traits.other("smithy.api#retryable") else {
            continue;
        };
        let throttling = retryable
            .get("throttling")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let kind = if throttling {
            quote!(Throttling)
        } else {
            quote!(Transient)
        };
        let variant = symbols.type_ident(&error.id)?;
        arms.push(quote! {
            #error_ty::#variant(_) => Some(crate::rt::retry::RetryKind::#kind),
        });
    }
    let retry_kind = (!arms.is_empty()).then(|| {
        quote! {
            fn retry_kind(&self) -> Option<crate::rt::retry::RetryKind> {
                match self {
                    #(#arms)*
                    _ => self.code().and_then(crate::rt::retry::classify_code),
                }
            }
        }
    });
    Ok(quote! {
        impl crate::rt::error::ProvideErrorMetadata for #error_ty {
            fn code(&self) -> Option<&str> {
                #error_ty::code(self)
            }

            fn message(&self) -> Option<&str> {
                #error_ty::message(self)
            }

            #retry_kind
        }
    })
}

/// `src/config.rs`.
pub fn emit_config(ctx: &Context<'_>) -> Result<TokenStream> {
    let params = ctx.endpoint.params();
    let mut calls = Vec::new();
    let mut wired = Vec::new();
    for p in &params {
        let Some(built_in) = p.built_in.as_deref() else {
            continue;
        };
        let field = crate::naming::ident(&p.field);
        let set = crate::naming::endpoint::param_setter(&p.field);
        let call = match (built_in, p.ty) {
            ("AWS::Region", ParamType::String) => {
                quote!(.#set(config.region().map(str::to_owned)))
            }
            ("SDK::Endpoint", ParamType::String) => {
                quote!(.#set(config.endpoint_url().map(str::to_owned)))
            }
            ("AWS::UseFIPS", ParamType::Boolean) => quote!(.#field(config.use_fips())),
            ("AWS::UseDualStack", ParamType::Boolean) => quote!(.#field(config.use_dual_stack())),
            ("AWS::Region" | "SDK::Endpoint" | "AWS::UseFIPS" | "AWS::UseDualStack", _) => {
                return Err(CodegenError::new(format!(
                    "endpoint parameter `{}` has built-in `{built_in}` but type `{:?}`",
                    p.name, p.ty
                ))
                .in_file(&ctx.service.source)
                .at_shape(&ctx.service.id))
            }
            // Other built-ins (S3, STS, account ids, ...) are not configurable here; the
            // parameter keeps its rule-set default.
            _ => continue,
        };
        calls.push(call);
        wired.push(format!("`{}` ({built_in})", p.name));
    }
    let client_params = crate::endpoint::client_context_params_of(ctx.service, ctx.endpoint)?;
    let mut fields = Vec::new();
    let mut getters = Vec::new();
    let mut setters = Vec::new();
    for p in &client_params {
        let field = crate::naming::ident(&p.field);
        let set = crate::naming::endpoint::param_setter(&p.field);
        if crate::naming::endpoint::is_config_method(&p.field) {
            return Err(CodegenError::new(format!(
                "client context parameter `{}` would be named `{}`, which `Config` already has",
                p.name, p.field
            ))
            .in_file(&ctx.service.source)
            .at_shape(&ctx.service.id));
        }
        let ty = match p.ty {
            ParamType::String => quote!(String),
            ParamType::Boolean => quote!(bool),
            ParamType::StringArray => quote!(Vec<String>),
        };
        fields.push(quote!(#field: #ty));
        let doc = match p.documentation.as_deref() {
            Some(d) if !d.trim().is_empty() => d.trim().to_string(),
            _ => format!("The `{}` setting of the endpoint rules.", p.name),
        };
        let doc = doc_attrs(Some(&doc), "");
        let (getter_ty, getter) = match p.ty {
            ParamType::String => (quote!(Option<&str>), quote!(self.#field.as_deref())),
            ParamType::Boolean => (quote!(Option<bool>), quote!(self.#field)),
            ParamType::StringArray => (quote!(Option<&[String]>), quote!(self.#field.as_deref())),
        };
        getters.push(quote! {
            #doc
            pub fn #field(&self) -> #getter_ty {
                #getter
            }
        });
        let (setter_arg, value) = match p.ty {
            ParamType::String => (quote!(impl Into<String>), quote!(value.into())),
            _ => (ty.clone(), quote!(value)),
        };
        let set_doc = format!(" Sets or clears [`Config::{}`].", p.field);
        setters.push(quote! {
            #doc
            pub fn #field(mut self, value: #setter_arg) -> Self {
                self.#field = Some(#value);
                self
            }

            #[doc = #set_doc]
            pub fn #set(mut self, value: Option<#ty>) -> Self {
                self.#field = value;
                self
            }
        });
        calls.push(match p.ty {
            ParamType::Boolean => quote!(.#set(config.#field)),
            _ => quote!(.#set(config.#field.clone())),
        });
        wired.push(format!("`{}` (client context parameter)", p.name));
    }
    let service_config = if fields.is_empty() {
        quote!(crate::rt::service_config!(crate::meta::SERVICE);)
    } else {
        quote! {
            crate::rt::service_config!(crate::meta::SERVICE, #(#fields),*);

            impl Config {
                #(#getters)*
            }

            impl ConfigBuilder {
                #(#setters)*
            }
        }
    };
    let wired_doc = if wired.is_empty() {
        " The rule set has no parameters the configuration sets.".to_string()
    } else {
        format!(" Sets {}.", wired.join(", "))
    };
    let builder = if calls.is_empty() {
        quote!(let _ = config; crate::endpoint::Params::builder())
    } else {
        quote!(crate::endpoint::Params::builder() #(#calls)*)
    };
    // A service with `httpBearerAuth` re-exports the token types its config takes.
    let token_types = ctx
        .service
        .traits
        .other("smithy.api#httpBearerAuth")
        .is_some()
        .then(|| {
            quote! {
                pub use crate::rt::auth::{ProvideToken, SharedTokenProvider, Token, TokenError, TokenFuture};
            }
        });
    Ok(quote! {
        #token_types
        pub use crate::rt::config::{
            ConfigError, SharedConfig, SharedConfigBuilder, TimeoutConfig, DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_MAX_RESPONSE_BODY,
        };
        pub use crate::rt::credentials::{Credentials, ProvideCredentials, SharedCredentialsProvider};
        pub use crate::rt::http::{HttpRequest, HttpResponse};
        pub use crate::rt::http_client::{
            BoxFuture, HttpClient, HttpClientError, HttpClientSettings, SendOptions, SharedHttpClient,
        };
        #[cfg(feature = "default-http-client")]
        pub use crate::rt::http_client::{DefaultHttpClient, DefaultHttpClientBuilder, HttpClientBuildError};
        #[cfg(feature = "default-http-client")]
        #[allow(deprecated)]
        pub use crate::rt::http_client::ReqwestHttpClient;
        #[cfg(feature = "test-util")]
        pub use crate::rt::http_client::{CannedHttpClient, CannedResponse};
        pub use crate::rt::retry::RetryConfig;

        #service_config

        /// The endpoint parameters a configuration determines: the rule set's built-ins
        /// and client context parameters (operations add their own before building).
        ///
        #[doc = #wired_doc]
        pub(crate) fn endpoint_params(config: &Config) -> crate::endpoint::ParamsBuilder {
            #builder
        }
    })
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
