//! `deserialize_response` (2xx: JSON body, headers, status code, payload, request id) and
//! `deserialize_error` (error code → modeled error, else `Unhandled`).

use proc_macro2::TokenStream;
use quote::quote;

use super::exprs::{format_tokens, media_type, timestamp_format};
use super::plan::OperationPlan;
use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::index::http::{Binding, Location, StructureBindings};
use crate::model::{ShapeId, ShapeType, TimestampFormat};

fn unsupported(b: &Binding<'_>, container: &ShapeId, what: &str) -> CodegenError {
    CodegenError::new(format!(
        "a {} cannot be {what} in restJson1",
        b.target.ty.as_ast()
    ))
    .in_file(&b.target.source)
    .at_shape(container)
    .at_member(&b.member.name)
}

/// `Result<Option<T>, ResponseError>` reading a header-bound member.
fn header_expr(
    ctx: &Context<'_>,
    container: &ShapeId,
    b: &Binding<'_>,
    name: &str,
) -> Result<TokenStream> {
    let label = ctx.symbols.member_label(container, &b.member.name)?;
    let name = name.to_ascii_lowercase();
    let target = b.target;
    let args = quote!(response, #name, #label);
    Ok(match target.ty {
        ShapeType::List | ShapeType::Set => {
            let item = target
                .list_member()
                .ok_or_else(|| unsupported(b, container, "read from a header"))?;
            let item_target = ctx.symbols.shape(&item.target)?;
            if target.traits.sparse {
                return Err(unsupported(
                    b,
                    container,
                    "read from a header as a sparse list",
                ));
            }
            match item_target.ty {
                ShapeType::Timestamp => {
                    let f = format_tokens(timestamp_format(
                        item,
                        item_target,
                        TimestampFormat::HttpDate,
                    ));
                    quote!(crate::rt::wire::header::read_timestamp_list(#args, #f))
                }
                ShapeType::String => quote!(crate::rt::wire::header::read_list::<String>(#args)),
                ShapeType::Enum => {
                    let path = ctx.symbols.type_path(&item_target.id)?;
                    quote! {
                        crate::rt::wire::header::read_list::<String>(#args)
                            .map(|list| list.map(|items| items.iter().map(|s| #path::from(s.as_str())).collect()))
                    }
                }
                ShapeType::IntEnum => {
                    let path = ctx.symbols.type_path(&item_target.id)?;
                    quote! {
                        crate::rt::wire::header::read_list::<i32>(#args)
                            .map(|list| list.map(|items| items.into_iter().map(#path::from).collect()))
                    }
                }
                ShapeType::Boolean
                | ShapeType::Byte
                | ShapeType::Short
                | ShapeType::Integer
                | ShapeType::Long
                | ShapeType::Float
                | ShapeType::Double => {
                    let ty = ctx.symbols.rust_type(&item_target.id)?;
                    quote!(crate::rt::wire::header::read_list::<#ty>(#args))
                }
                _ => return Err(unsupported(b, container, "read from a header list")),
            }
        }
        ShapeType::Timestamp => {
            let f = format_tokens(timestamp_format(
                b.member,
                target,
                TimestampFormat::HttpDate,
            ));
            quote!(crate::rt::wire::header::read_timestamp(#args, #f))
        }
        ShapeType::String if media_type(target).is_some() => {
            quote!(crate::rt::wire::header::read_base64_text(#args))
        }
        ShapeType::String => quote!(crate::rt::wire::header::read::<String>(#args)),
        ShapeType::Blob => quote!(crate::rt::wire::header::read_base64(#args)),
        ShapeType::Enum => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(crate::rt::wire::header::read::<String>(#args).map(|v| v.map(|s| #path::from(s.as_str()))))
        }
        ShapeType::IntEnum => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(crate::rt::wire::header::read::<i32>(#args).map(|v| v.map(#path::from)))
        }
        ShapeType::BigInteger => {
            quote!(crate::rt::wire::header::read::<String>(#args).map(|v| v.map(crate::primitives::BigInteger)))
        }
        ShapeType::BigDecimal => {
            quote!(crate::rt::wire::header::read::<String>(#args).map(|v| v.map(crate::primitives::BigDecimal)))
        }
        ShapeType::Boolean
        | ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Float
        | ShapeType::Double => {
            let ty = ctx.symbols.rust_type(&target.id)?;
            quote!(crate::rt::wire::header::read::<#ty>(#args))
        }
        _ => return Err(unsupported(b, container, "read from a header")),
    })
}

/// `Result<T, ResponseError>` reading an `@httpPayload` member from a non-blank body.
fn payload_expr(ctx: &Context<'_>, container: &ShapeId, b: &Binding<'_>) -> Result<TokenStream> {
    let label = ctx.symbols.member_label(container, &b.member.name)?;
    let target = b.target;
    let boxed = ctx.symbols.is_boxed(container, &b.member.name);
    let read = match target.ty {
        ShapeType::Blob if ctx.symbols.is_byte_stream(&target.id) => {
            quote!(Ok(crate::primitives::ByteStream::from(
                response.body.clone()
            )))
        }
        ShapeType::Blob => quote!(Ok(response.body.to_vec())),
        ShapeType::String => {
            quote!(crate::rt::wire::de::text_body(response.status, &response.body, #label))
        }
        ShapeType::Enum => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote! {
                crate::rt::wire::de::text_body(response.status, &response.body, #label)
                    .map(|s| #path::from(s.as_str()))
            }
        }
        ShapeType::Structure | ShapeType::Union => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(crate::rt::wire::de::from_body::<#path>(response.status, &response.body, #label))
        }
        ShapeType::Document => quote! {
            crate::rt::wire::de::value_from_body(response.status, &response.body, #label, crate::rt::wire::de::Doc)
        },
        _ => return Err(unsupported(b, container, "an `@httpPayload`")),
    };
    Ok(if boxed {
        quote!((#read).map(Box::new))
    } else {
        read
    })
}

/// Statements filling `#var`'s members bound outside the JSON body. `strict`: failures are
/// returned (`?`); otherwise a member that does not read is left unset.
fn non_body_statements(
    ctx: &Context<'_>,
    bindings: &StructureBindings<'_>,
    var: &TokenStream,
    strict: bool,
) -> Result<Vec<TokenStream>> {
    let container = &bindings.shape.id;
    let mut out = Vec::new();
    for b in &bindings.members {
        let field = ctx.symbols.member_ident(container, &b.member.name)?;
        let optional = ctx.symbols.is_optional(container, &b.member.name);
        let assign = if optional {
            quote!(#var.#field = Some(value);)
        } else {
            quote!(#var.#field = value;)
        };
        let fallible = match &b.location {
            Location::Header(name) => Some(header_expr(ctx, container, b, name)?),
            // An event stream: `deserialize_streaming_response` hands over the receiver.
            Location::Payload if ctx.symbols.is_event_stream(&b.member.target) => continue,
            Location::Payload => {
                let read = payload_expr(ctx, container, b)?;
                out.push(if strict {
                    quote! {
                        if !crate::rt::wire::de::is_blank(&response.body) {
                            let value = #read?;
                            #assign
                        }
                    }
                } else {
                    quote! {
                        if !crate::rt::wire::de::is_blank(&response.body) {
                            if let Ok(value) = #read {
                                #assign
                            }
                        }
                    }
                });
                None
            }
            Location::PrefixHeaders(prefix) => {
                out.push(quote! {
                    if let Some(value) = crate::rt::wire::header::read_prefixed(response, #prefix) {
                        #assign
                    }
                });
                None
            }
            Location::ResponseCode => {
                let value = match b.target.ty {
                    ShapeType::Integer => quote!(i32::from(response.status)),
                    ShapeType::Long => quote!(i64::from(response.status)),
                    _ => return Err(unsupported(b, container, "an `@httpResponseCode`")),
                };
                out.push(if optional {
                    quote!(#var.#field = Some(#value);)
                } else {
                    quote!(#var.#field = #value;)
                });
                None
            }
            _ => None,
        };
        if let Some(expr) = fallible {
            out.push(if strict {
                quote! {
                    if let Some(value) = #expr? {
                        #assign
                    }
                }
            } else {
                quote! {
                    if let Ok(Some(value)) = #expr {
                        #assign
                    }
                }
            });
        }
    }
    Ok(out)
}

pub fn emit_deserialize_response(ctx: &Context<'_>, op: &OperationPlan<'_>) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let output_ty = symbols.type_path(&op.output)?;
    let root = symbols.type_name_text(&op.output)?;
    let (body, stmts) = match &op.bindings.response {
        Some(resp) => {
            let body = if resp.has_body_members() {
                quote!(&response.body)
            } else {
                quote!(b"")
            };
            (body, non_body_statements(ctx, resp, &quote!(output), true)?)
        }
        None => (quote!(b""), Vec::new()),
    };
    let doc = format!(
        " Reads `{root}` from a successful response: the JSON body (unknown keys skipped, \
         `null` as unset), bound headers, status code and payload, and the request id."
    );
    Ok(quote! {
        #[doc = #doc]
        pub(crate) fn deserialize_response(
            response: &crate::rt::http::HttpResponse,
        ) -> Result<#output_ty, crate::rt::wire::ResponseError> {
            let mut output: #output_ty = crate::rt::wire::de::from_body(response.status, #body, #root)?;
            #(#stmts)*
            output._request_id = response.request_id().map(str::to_owned);
            Ok(output)
        }
    })
}

pub fn emit_deserialize_error(ctx: &Context<'_>, op: &OperationPlan<'_>) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let error_enum = symbols.operation_error_path(&op.shape.id)?;
    let mut branches = Vec::new();
    for err in &op.errors {
        let id = &err.shape.id;
        let code = &id.name;
        let ty = symbols.type_path(id)?;
        let variant = symbols.type_ident(id)?;
        let name = symbols.type_name_text(id)?;
        let body = if err.has_body_members() {
            quote!(&response.body)
        } else {
            quote!(b"")
        };
        let stmts = non_body_statements(ctx, err, &quote!(error), false)?;
        let binding = if stmts.is_empty() {
            quote!(error)
        } else {
            quote!(mut error)
        };
        branches.push(quote! {
            if code == Some(#code) {
                match crate::rt::wire::de::from_body::<#ty>(response.status, #body, #name) {
                    Ok(#binding) => {
                        #(#stmts)*
                        return #error_enum::#variant(error);
                    }
                    // Kept as the `Unhandled` error's source.
                    Err(e) => parse_error = Some(e),
                }
            }
        });
    }
    let code_binding = (!branches.is_empty()).then(|| {
        quote! {
            let code = envelope.code.as_deref();
            let mut parse_error = None;
        }
    });
    let parse_error = if branches.is_empty() {
        quote!(None)
    } else {
        quote!(parse_error)
    };
    let doc = format!(
        " Reads the error of a failed `{}` call: the code (`X-Amzn-Errortype`, else `__type`, \
         else `code`) picks a modeled error filled from the body; anything else is `Unhandled` \
         (with the parse error as its source when the code matched but the body did not parse).",
        op.shape.id.name
    );
    Ok(quote! {
        #[doc = #doc]
        pub(crate) fn deserialize_error(response: &crate::rt::http::HttpResponse) -> #error_enum {
            let envelope = crate::rt::wire::error_body::parse(response);
            #code_binding
            #(#branches)*
            #error_enum::Unhandled(crate::rt::error::Unhandled::new(
                response.status,
                envelope.code,
                envelope.message,
                response.request_id().map(str::to_owned),
                response.body.clone(),
            ).with_parse_error(#parse_error))
        }
    })
}

/// `deserialize_streaming_response` for an operation whose output's `@httpPayload` is a
/// `@streaming` blob (`None` for the others): the output from the status and headers, with
/// the unread body as the payload.
pub fn emit_deserialize_streaming(
    ctx: &Context<'_>,
    op: &OperationPlan<'_>,
) -> Result<Option<TokenStream>> {
    let (member, event_stream) = match (
        ctx.symbols.byte_stream_member(&op.output),
        ctx.symbols.event_stream_member(&op.output),
    ) {
        (Some(member), _) => (member, false),
        (None, Some(member)) => (member, true),
        (None, None) => return Ok(None),
    };
    let bound_to_payload = op
        .bindings
        .response
        .as_ref()
        .and_then(|r| r.payload())
        .is_some_and(|p| p.member.name == member.name);
    if !bound_to_payload {
        return Err(CodegenError::new(if event_stream {
            "an event stream (a `@streaming` union) member must be the `@httpPayload` of \
                 its output"
        } else {
            "a `@streaming` blob member must be the `@httpPayload` of its output"
        })
        .at_shape(&op.output)
        .at_member(&member.name));
    }
    let output_ty = ctx.symbols.type_path(&op.output)?;
    let field = ctx.symbols.member_ident(&op.output, &member.name)?;
    let body = if event_stream {
        let unmarshall = ctx.symbols.event_stream_unmarshaller(&member.target)?;
        quote!(crate::rt::event_stream::EventReceiver::new(
            body,
            Box::new(crate::protocol::shapes::#unmarshall),
        ))
    } else {
        quote!(body)
    };
    let assign = if ctx.symbols.is_optional(&op.output, &member.name) {
        quote!(output.#field = Some(#body);)
    } else {
        quote!(output.#field = #body;)
    };
    Ok(Some(quote! {
        /// Reads a successful response whose body streams: the members from the status and
        /// headers, and the body, unread, as the payload.
        pub(crate) fn deserialize_streaming_response(
            response: &crate::rt::http::HttpResponse,
            body: crate::primitives::ByteStream,
        ) -> Result<#output_ty, crate::rt::wire::ResponseError> {
            let mut output = deserialize_response(response)?;
            #assign
            Ok(output)
        }
    }))
}
