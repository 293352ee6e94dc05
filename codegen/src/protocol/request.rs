//! `serialize_request`: method and URI from `@http`, labels, query string, headers, and the
//! body (an `@httpPayload`, or a JSON object of the body members).

use proc_macro2::TokenStream;
use quote::quote;

use super::exprs::{media_type, text, writer, Text};
use super::plan::OperationPlan;
use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::index::http::{Binding, Location, PathPart};
use crate::model::{ShapeType, TimestampFormat};

/// How a member's value is reached: `Some(value)` when set, a fresh idempotency token when
/// it is one and unset. Wraps `body`, which reads `value: &T`.
fn with_value(
    ctx: &Context<'_>,
    container: &crate::model::ShapeId,
    b: &Binding<'_>,
    body: TokenStream,
) -> Result<TokenStream> {
    let field = ctx.symbols.member_ident(container, &b.member.name)?;
    let optional = ctx.symbols.is_optional(container, &b.member.name);
    Ok(
        if b.member.traits.idempotency_token && optional && b.target.ty == ShapeType::String {
            quote! {
                {
                    let token = match &input.#field {
                        Some(value) => value.clone(),
                        None => crate::rt::wire::idempotency_token(),
                    };
                    let value = &token;
                    #body
                }
            }
        } else if optional {
            quote! {
                if let Some(value) = &input.#field {
                    #body
                }
            }
        } else {
            quote! {
                {
                    let value = &input.#field;
                    #body
                }
            }
        },
    )
}

fn list_item<'a>(b: &Binding<'a>) -> Result<Option<&'a crate::model::Member>> {
    Ok(match b.target.ty {
        ShapeType::List | ShapeType::Set => Some(b.target.list_member().ok_or_else(|| {
            CodegenError::new("list has no member")
                .in_file(&b.target.source)
                .at_shape(&b.target.id)
        })?),
        _ => None,
    })
}

pub fn emit_serialize_request(ctx: &Context<'_>, op: &OperationPlan<'_>) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let input_ty = symbols.type_path(&op.input)?;
    let b = &op.bindings;
    let mut uri_stmts = Vec::new();
    let mut header_stmts = Vec::new();
    let mut uses_input = false;

    // The path: literal text and labels.
    for part in &b.uri.path {
        match part {
            PathPart::Literal(text) => uri_stmts.push(quote!(uri.path(#text);)),
            PathPart::Label { name, greedy } => {
                let req = b.request.as_ref().ok_or_else(|| {
                    CodegenError::new(format!("the URI label `{name}` has no input member"))
                        .in_file(&op.shape.source)
                        .at_shape(&op.shape.id)
                })?;
                let binding = req.member(name).ok_or_else(|| {
                    CodegenError::new(format!("the URI label `{name}` has no input member"))
                        .in_file(&op.shape.source)
                        .at_shape(&op.shape.id)
                })?;
                let field = symbols.member_ident(&op.input, name)?;
                let label = symbols.member_label(&op.input, name)?;
                let t = text(
                    ctx,
                    binding.member,
                    &quote!(value),
                    TimestampFormat::DateTime,
                    false,
                )?;
                let arg = t.as_arg();
                let method = if *greedy {
                    quote!(greedy_label)
                } else {
                    quote!(label)
                };
                uses_input = true;
                // A customization's default for an empty (or unset) label (`customize`).
                if let Some(default) = crate::customize::label_default(ctx.service, name)
                    .filter(|_| binding.target.ty == ShapeType::String)
                {
                    let value = if symbols.is_optional(&op.input, name) {
                        quote!(input.#field.as_deref().unwrap_or_default())
                    } else {
                        quote!(input.#field.as_str())
                    };
                    uri_stmts.push(quote! {
                        {
                            let value: &str = match #value {
                                "" => #default,
                                value => value,
                            };
                            uri.#method(#label, value)?;
                        }
                    });
                    continue;
                }
                uri_stmts.push(if symbols.is_optional(&op.input, name) {
                    quote! {
                        match &input.#field {
                            Some(value) => uri.#method(#label, #arg)?,
                            None => {
                                return Err(crate::rt::wire::SerializeError::invalid_label(
                                    #label,
                                    "the member is not set",
                                ))
                            }
                        }
                    }
                } else {
                    quote! {
                        {
                            let value = &input.#field;
                            uri.#method(#label, #arg)?;
                        }
                    }
                });
            }
        }
    }
    for literal in &b.uri.query {
        uri_stmts.push(quote!(uri.query_literal(#literal);));
    }

    let mut payload_stmt = None;
    let mut has_body_members = false;
    if let Some(req) = &b.request {
        let protected: Vec<&str> = req
            .members
            .iter()
            .filter_map(|m| match &m.location {
                Location::Query(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        for binding in &req.members {
            let label = symbols.member_label(&op.input, &binding.member.name)?;
            match &binding.location {
                Location::Query(name) => {
                    uses_input = true;
                    let body = match list_item(binding)? {
                        Some(item) => {
                            let t =
                                text(ctx, item, &quote!(item), TimestampFormat::DateTime, false)?;
                            let arg = t.as_arg();
                            quote! {
                                for item in value {
                                    uri.query(#name, #arg);
                                }
                            }
                        }
                        None => {
                            let t = text(
                                ctx,
                                binding.member,
                                &quote!(value),
                                TimestampFormat::DateTime,
                                false,
                            )?;
                            let arg = t.as_arg();
                            quote!(uri.query(#name, #arg);)
                        }
                    };
                    uri_stmts.push(with_value(ctx, &op.input, binding, body)?);
                }
                Location::QueryParams => {
                    uses_input = true;
                    let value_target = binding
                        .target
                        .map_key_value()
                        .map(|(_, v)| symbols.shape(&v.target))
                        .transpose()?;
                    let multi = value_target
                        .is_some_and(|t| matches!(t.ty, ShapeType::List | ShapeType::Set));
                    let sparse_or_odd = binding.target.traits.sparse
                        || value_target.is_some_and(|t| {
                            !matches!(t.ty, ShapeType::String | ShapeType::List | ShapeType::Set)
                        });
                    if sparse_or_odd {
                        return Err(CodegenError::new(
                            "`@httpQueryParams` must target a dense map of strings or of lists of strings",
                        )
                        .in_file(&binding.target.source)
                        .at_shape(&op.input)
                        .at_member(&binding.member.name));
                    }
                    let method = if multi {
                        quote!(query_multimap)
                    } else {
                        quote!(query_map)
                    };
                    let body = quote!(uri.#method(value, &[#(#protected),*]););
                    uri_stmts.push(with_value(ctx, &op.input, binding, body)?);
                }
                Location::Header(name) => {
                    uses_input = true;
                    let body = match list_item(binding)? {
                        Some(item) => {
                            let Text { expr, quotable, .. } =
                                text(ctx, item, &quote!(item), TimestampFormat::HttpDate, true)?;
                            let mapped = if quotable {
                                quote!(crate::rt::wire::header::quote_item(#expr))
                            } else {
                                expr
                            };
                            // A set list is sent even when empty (an empty header).
                            quote! {
                                headers.insert(
                                    #label,
                                    #name,
                                    &crate::rt::wire::header::join(value.iter().map(|item| #mapped)),
                                )?;
                            }
                        }
                        None => {
                            let t = text(
                                ctx,
                                binding.member,
                                &quote!(value),
                                TimestampFormat::HttpDate,
                                true,
                            )?;
                            let arg = t.as_arg();
                            quote!(headers.insert(#label, #name, #arg)?;)
                        }
                    };
                    header_stmts.push(with_value(ctx, &op.input, binding, body)?);
                }
                Location::PrefixHeaders(prefix) => {
                    uses_input = true;
                    let body = quote!(headers.insert_prefixed(#label, #prefix, value)?;);
                    header_stmts.push(with_value(ctx, &op.input, binding, body)?);
                }
                Location::Payload => {
                    uses_input = true;
                    payload_stmt = Some(payload(ctx, op, binding, &label)?);
                }
                Location::Body(_) => has_body_members = true,
                Location::Label { .. } | Location::ResponseCode => {}
            }
        }
    }

    let body_touches_headers = payload_stmt.is_some() || has_body_members;
    let body_stmt = if let Some(stmt) = payload_stmt {
        stmt
    } else if has_body_members {
        uses_input = true;
        quote! {
            if !headers.contains("content-type") {
                headers.insert("Content-Type", "Content-Type", "application/json")?;
            }
            let body = crate::rt::wire::ser::to_body(input)?;
        }
    } else {
        quote!(let body = bytes::Bytes::new();)
    };
    // The service's customization headers (`customize`), unless a member set them.
    let custom: Vec<TokenStream> = crate::customize::request_headers(ctx.service)
        .into_iter()
        .map(|(name, value)| {
            let lower = name.to_ascii_lowercase();
            quote! {
                if !headers.contains(#lower) {
                    headers.insert(#name, #name, #value)?;
                }
            }
        })
        .collect();
    let headers_mut = if header_stmts.is_empty() && !body_touches_headers && custom.is_empty() {
        quote!(let headers = crate::rt::wire::header::Headers::new();)
    } else {
        quote!(let mut headers = crate::rt::wire::header::Headers::new();)
    };
    let method = match b.method.as_str() {
        "GET" => quote!(http::Method::GET),
        "PUT" => quote!(http::Method::PUT),
        "POST" => quote!(http::Method::POST),
        "DELETE" => quote!(http::Method::DELETE),
        "PATCH" => quote!(http::Method::PATCH),
        "HEAD" => quote!(http::Method::HEAD),
        "OPTIONS" => quote!(http::Method::OPTIONS),
        other => {
            let bytes = proc_macro2::Literal::byte_string(other.as_bytes());
            quote! {
                http::Method::from_bytes(#bytes).map_err(|_| crate::rt::wire::SerializeError::Body {
                    message: "the operation's HTTP method is not a valid method".to_string(),
                })?
            }
        }
    };
    let input_name = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let doc =
        format!(
        " Serializes `{}` as `{} {}`: labels percent-encoded as path segments, query, headers{}.",
        symbols.type_name_text(&op.input)?,
        b.method,
        b.uri_text,
        if has_body_members { ", and the body members as a JSON object" } else { "" }
    );
    Ok(quote! {
        #[doc = #doc]
        pub(crate) fn serialize_request(
            #input_name: &#input_ty,
            endpoint: &crate::rt::endpoint::Endpoint,
        ) -> Result<crate::rt::http::HttpRequest, crate::rt::wire::SerializeError> {
            let mut uri = crate::rt::wire::uri::RequestUri::new(&endpoint.url);
            #(#uri_stmts)*
            #headers_mut
            #(#header_stmts)*
            #(#custom)*
            #body_stmt
            Ok(crate::rt::http::HttpRequest {
                method: #method,
                uri: uri.finish(),
                headers: headers.into_map(),
                body,
            })
        }
    })
}

/// `let body = ...;` for an `@httpPayload` member, setting `Content-Type` when the payload
/// is present and no header member set it.
fn payload(
    ctx: &Context<'_>,
    op: &OperationPlan<'_>,
    b: &Binding<'_>,
    label: &str,
) -> Result<TokenStream> {
    let target = b.target;
    if ctx.symbols.is_byte_stream(&target.id) {
        // The body is the input's stream: `take_request_stream` takes it out of the input
        // and the runtime sends it beside this request.
        let content_type = media_type(target).unwrap_or("application/octet-stream");
        return Ok(quote! {
            let _ = input;
            if !headers.contains("content-type") {
                headers.insert(#label, "Content-Type", #content_type)?;
            }
            let body = bytes::Bytes::new();
        });
    }
    if ctx.symbols.is_event_stream(&target.id) {
        // The body is the signed frames of the input's events: `take_event_stream` takes
        // the sender out of the input, and the runtime signs and sends them.
        return Ok(quote! {
            let _ = input;
            if !headers.contains("content-type") {
                headers.insert(#label, "Content-Type", "application/vnd.amazon.eventstream")?;
            }
            let body = bytes::Bytes::new();
        });
    }
    let (bytes, default_type) = match target.ty {
        ShapeType::Blob => (
            quote!(bytes::Bytes::copy_from_slice(value)),
            "application/octet-stream",
        ),
        ShapeType::String => (
            quote!(bytes::Bytes::copy_from_slice(value.as_bytes())),
            "text/plain",
        ),
        ShapeType::Enum => (
            quote!(bytes::Bytes::copy_from_slice(value.as_str().as_bytes())),
            "text/plain",
        ),
        ShapeType::Structure | ShapeType::Union => (
            quote!(crate::rt::wire::ser::to_body(value)?),
            "application/json",
        ),
        ShapeType::Document => {
            let format = writer(ctx, b.member)?;
            (
                quote!(crate::rt::wire::ser::to_body_with(value, #format)?),
                "application/json",
            )
        }
        _ => {
            return Err(CodegenError::new(format!(
                "a {} cannot be an `@httpPayload` in restJson1",
                target.ty.as_ast()
            ))
            .in_file(&target.source)
            .at_shape(&op.input)
            .at_member(&b.member.name))
        }
    };
    let content_type = media_type(target).unwrap_or(default_type);
    let field = ctx.symbols.member_ident(&op.input, &b.member.name)?;
    let set = quote! {
        if !headers.contains("content-type") {
            headers.insert(#label, "Content-Type", #content_type)?;
        }
    };
    // An unset structure payload is the empty object, as a structure's body would be.
    let unset = if target.ty == ShapeType::Structure {
        quote! {{
            #set
            bytes::Bytes::from_static(b"{}")
        }}
    } else {
        quote!(bytes::Bytes::new())
    };
    Ok(if ctx.symbols.is_optional(&op.input, &b.member.name) {
        quote! {
            let body = match &input.#field {
                Some(value) => {
                    #set
                    #bytes
                }
                None => #unset,
            };
        }
    } else {
        quote! {
            let body = {
                let value = &input.#field;
                #set
                #bytes
            };
        }
    })
}

/// `take_request_stream` for an operation whose input's `@httpPayload` is a `@streaming`
/// blob (`None` for the others): takes the stream out of the input; with
/// `@requiresLength`, refuses a stream of unknown length before anything is sent.
pub fn emit_take_request_stream(
    ctx: &Context<'_>,
    op: &OperationPlan<'_>,
) -> Result<Option<TokenStream>> {
    let Some(member) = ctx.symbols.byte_stream_member(&op.input) else {
        return Ok(None);
    };
    let bound_to_payload = op
        .bindings
        .request
        .as_ref()
        .and_then(|r| r.payload())
        .is_some_and(|p| p.member.name == member.name);
    if !bound_to_payload {
        return Err(CodegenError::new(
            "a `@streaming` blob member must be the `@httpPayload` of its input",
        )
        .at_shape(&op.input)
        .at_member(&member.name));
    }
    let input_ty = ctx.symbols.type_path(&op.input)?;
    let field = ctx.symbols.member_ident(&op.input, &member.name)?;
    let label = ctx.symbols.member_label(&op.input, &member.name)?;
    let target = ctx.symbols.shape(&member.target)?;
    let take = if ctx.symbols.is_optional(&op.input, &member.name) {
        quote!(input.#field.take().unwrap_or_default())
    } else {
        quote!(::std::mem::take(&mut input.#field))
    };
    let check = target
        .traits
        .other("smithy.api#requiresLength")
        .is_some()
        .then(|| {
            let message = format!(
                "`{label}` has `@requiresLength`: send bytes, a file (`ByteStream::from_path`), \
                 or a stream of declared length (`ByteStream::with_length`)"
            );
            quote! {
                if body.content_length().is_none() {
                    return Err(crate::rt::wire::SerializeError::Body {
                        message: #message.to_string(),
                    });
                }
            }
        });
    let doc = format!(
        " Takes `{label}`, the streamed request body, out of the input{}.",
        if check.is_some() {
            "; a stream of unknown length is refused (`@requiresLength`)"
        } else {
            ""
        }
    );
    Ok(Some(quote! {
        #[doc = #doc]
        pub(crate) fn take_request_stream(
            input: &mut #input_ty,
        ) -> Result<Option<crate::primitives::ByteStream>, crate::rt::wire::SerializeError> {
            let body = #take;
            #check
            Ok(Some(body))
        }
    }))
}

/// `take_event_stream` for an operation whose input's `@httpPayload` is an event stream
/// (`None` for the others): takes the sender out of the input and pairs it with the
/// stream's marshaller (`protocol/event_stream.rs`).
pub fn emit_take_event_stream(
    ctx: &Context<'_>,
    op: &OperationPlan<'_>,
) -> Result<Option<TokenStream>> {
    let Some(member) = ctx.symbols.event_stream_member(&op.input) else {
        return Ok(None);
    };
    let input_ty = ctx.symbols.type_path(&op.input)?;
    let field = ctx.symbols.member_ident(&op.input, &member.name)?;
    let label = ctx.symbols.member_label(&op.input, &member.name)?;
    let marshall = ctx.symbols.event_stream_marshaller(&member.target)?;
    let take = if ctx.symbols.is_optional(&op.input, &member.name) {
        quote!(input.#field.take().unwrap_or_default())
    } else {
        quote!(::std::mem::take(&mut input.#field))
    };
    let doc =
        format!(" Takes `{label}`, the input's events, out of the input with their marshaller.");
    Ok(Some(quote! {
        #[doc = #doc]
        pub(crate) fn take_event_stream(
            input: &mut #input_ty,
        ) -> Option<crate::rt::event_stream::EventStreamBody> {
            Some(#take.into_body(crate::protocol::shapes::#marshall))
        }
    }))
}
