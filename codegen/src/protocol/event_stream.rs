//! Output event streams: the unmarshaller of a `@streaming` union, which the runtime's
//! `EventReceiver` calls with each decoded message. Per the Smithy event-stream spec:
//! `:event-type` names the union member of an `event` message, `:exception-type` the
//! member of an `exception` message (a modeled exception: the stream's error enum); a
//! member structure's `@eventHeader` members come from the message's headers, its
//! `@eventPayload` member is the whole payload (a blob as bytes, a string as UTF-8, a
//! structure or union as JSON), and without one the payload is the structure's other
//! members as a JSON object (read with the structure's `ReadJson`). An event type the crate
//! does not know is the union's `Unknown`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::model::{Member, Shape, ShapeType};

/// `unmarshall_<union>` for the event stream `shape`.
pub fn emit_unmarshaller(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let union = symbols.type_path(&shape.id)?;
    let error = symbols.event_stream_error_path(&shape.id)?;
    let name = symbols.event_stream_unmarshaller(&shape.id)?;
    let mut event_arms = Vec::new();
    let mut exception_arms = Vec::new();
    for member in &shape.members {
        let variant = symbols.variant_ident(&shape.id, &member.name)?;
        let key = Literal::string(&member.name);
        let read = read_event(ctx, shape, member)?;
        if symbols.is_exception_event(member) {
            exception_arms.push(quote! {
                Some(#key) => Ok(crate::rt::event_stream::Unmarshalled::Error(#error::#variant(#read))),
            });
        } else {
            event_arms.push(quote! {
                Some(#key) => Ok(crate::rt::event_stream::Unmarshalled::Event(#union::#variant(#read))),
            });
        }
    }
    let doc = format!(
        " Reads one message of the `{}` event stream: an event by `:event-type`, a modeled \
         exception by `:exception-type` (any other exception, and `error` messages, are the \
         runtime's).",
        shape.id.name
    );
    // Without modeled exceptions, every exception is one the model does not describe.
    let exceptions = if exception_arms.is_empty() {
        quote! {
            let other = crate::rt::event_stream::header_str(message, ":exception-type");
            return Err(format!("an exception the model does not describe: {other:?}"));
        }
    } else {
        quote! {
            return match crate::rt::event_stream::header_str(message, ":exception-type") {
                #(#exception_arms)*
                other => Err(format!("an exception the model does not describe: {other:?}")),
            };
        }
    };
    Ok(quote! {
        #[doc = #doc]
        pub(crate) fn #name(
            message: &crate::rt::event_stream::Message,
        ) -> Result<crate::rt::event_stream::Unmarshalled<#union, #error>, String> {
            if crate::rt::event_stream::header_str(message, ":message-type") == Some("exception") {
                #exceptions
            }
            match crate::rt::event_stream::header_str(message, ":event-type") {
                #(#event_arms)*
                _ => Ok(crate::rt::event_stream::Unmarshalled::Event(#union::Unknown)),
            }
        }
    })
}

/// An expression of the member's structure read from `message` (with `?` on failures).
fn read_event(ctx: &Context<'_>, union: &Shape, member: &Member) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let target = symbols.shape(&member.target)?;
    if target.ty != ShapeType::Structure {
        return Err(CodegenError::new(
            "an event stream member must target a structure (Smithy event streams)",
        )
        .at_shape(&union.id)
        .at_member(&member.name));
    }
    let ty = symbols.type_path(&target.id)?;
    let root = Literal::string(&symbols.type_name_text(&target.id)?);
    let event_payload = target
        .members
        .iter()
        .find(|m| m.traits.other("smithy.api#eventPayload").is_some());
    let json = if event_payload.is_some() {
        quote!(b"")
    } else {
        quote!(message.payload())
    };
    let mut statements = Vec::new();
    for m in &target.members {
        let field = symbols.member_ident(&target.id, &m.name)?;
        let label = Literal::string(&symbols.member_label(&target.id, &m.name)?);
        let optional = symbols.is_optional(&target.id, &m.name);
        let assign = |value: TokenStream| {
            if optional {
                quote!(value.#field = Some(#value);)
            } else {
                quote!(value.#field = #value;)
            }
        };
        if m.traits.other("smithy.api#eventHeader").is_some() {
            let header_ty = header_type(ctx, &target.id, m)?;
            let name = Literal::string(&m.name);
            let set = assign(quote!(v));
            statements.push(quote! {
                if let Some(v) = crate::rt::event_stream::header::<#header_ty>(message, #name, #label)? {
                    #set
                }
            });
        } else if m.traits.other("smithy.api#eventPayload").is_some() {
            let payload = symbols.shape(&m.target)?;
            let read = match payload.ty {
                ShapeType::Blob => quote!(message.payload().to_vec()),
                ShapeType::String => quote! {
                    String::from_utf8(message.payload().to_vec())
                        .map_err(|_| format!("the payload of `{}` is not UTF-8", #label))?
                },
                ShapeType::Structure | ShapeType::Union => {
                    let path = symbols.type_path(&payload.id)?;
                    quote! {
                        crate::rt::wire::de::from_body::<#path>(200, message.payload(), #label)
                            .map_err(|e| e.to_string())?
                    }
                }
                _ => {
                    return Err(CodegenError::new(
                        "an `@eventPayload` must be a blob, string, structure or union",
                    )
                    .at_shape(&target.id)
                    .at_member(&m.name))
                }
            };
            let read = if symbols.is_boxed(&target.id, &m.name) {
                quote!(Box::new(#read))
            } else {
                read
            };
            statements.push(assign(read));
        }
    }
    let read = quote! {
        crate::rt::wire::de::from_body::<#ty>(200, #json, #root).map_err(|e| e.to_string())?
    };
    Ok(if statements.is_empty() {
        read
    } else {
        quote! {{
            let mut value = #read;
            #(#statements)*
            value
        }}
    })
}

/// The Rust type an `@eventHeader` member is read as.
fn header_type(
    ctx: &Context<'_>,
    container: &crate::model::ShapeId,
    m: &Member,
) -> Result<TokenStream> {
    let target = ctx.symbols.shape(&m.target)?;
    Ok(match target.ty {
        ShapeType::Boolean => quote!(bool),
        ShapeType::Byte => quote!(i8),
        ShapeType::Short => quote!(i16),
        ShapeType::Integer => quote!(i32),
        ShapeType::Long => quote!(i64),
        ShapeType::String => quote!(String),
        ShapeType::Blob => quote!(crate::primitives::Blob),
        ShapeType::Timestamp => quote!(crate::primitives::DateTime),
        _ => {
            return Err(CodegenError::new(
                "an `@eventHeader` must be a boolean, byte, short, integer, long, string, blob \
                 or timestamp",
            )
            .at_shape(container)
            .at_member(&m.name))
        }
    })
}

/// `marshall_<union>` for the input event stream `shape`: each event becomes an `event`
/// message (`:event-type` the member's name, `:content-type` the payload's media type), its
/// `@eventHeader` members headers, its `@eventPayload` member the payload (a blob as bytes,
/// a string as UTF-8, a structure or union as JSON), or, without one, its other members as
/// a JSON object. `Unknown` cannot be sent, nor can exceptions (they are not variants of
/// the union's type).
pub fn emit_marshaller(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let union = symbols.type_path(&shape.id)?;
    let name = symbols.event_stream_marshaller(&shape.id)?;
    let mut arms = Vec::new();
    // Exception members are the service's to send, not events of the union type.
    for member in shape
        .members
        .iter()
        .filter(|m| !symbols.is_exception_event(m))
    {
        let variant = symbols.variant_ident(&shape.id, &member.name)?;
        let key = Literal::string(&member.name);
        let target = symbols.shape(&member.target)?;
        if target.ty != ShapeType::Structure {
            return Err(CodegenError::new(
                "an event stream member must target a structure (Smithy event streams)",
            )
            .in_file(&shape.source)
            .at_shape(&shape.id)
            .at_member(&member.name));
        }
        let mut headers = Vec::new();
        let mut payload = None;
        for m in &target.members {
            let field = symbols.member_ident(&target.id, &m.name)?;
            let optional = symbols.is_optional(&target.id, &m.name);
            if m.traits.other("smithy.api#eventHeader").is_some() {
                header_type(ctx, &target.id, m)?;
                let header = Literal::string(&m.name);
                headers.push(if optional {
                    quote! {
                        if let Some(v) = &value.#field {
                            headers.push(crate::rt::event_stream::to_header(#header, v));
                        }
                    }
                } else {
                    quote!(headers.push(crate::rt::event_stream::to_header(#header, &value.#field));)
                });
            } else if m.traits.other("smithy.api#eventPayload").is_some() {
                let label = Literal::string(&symbols.member_label(&target.id, &m.name)?);
                let p = symbols.shape(&m.target)?;
                let boxed = symbols.is_boxed(&target.id, &m.name);
                let (bytes, content_type) = match p.ty {
                    ShapeType::Blob => (quote!(bytes::Bytes::from(v)), "application/octet-stream"),
                    ShapeType::String => (quote!(bytes::Bytes::from(v)), "text/plain"),
                    ShapeType::Structure | ShapeType::Union => (
                        quote! {
                            crate::rt::wire::ser::to_body(&v)
                                .map_err(|e| format!("`{}`: {e}", #label))?
                        },
                        "application/json",
                    ),
                    _ => {
                        return Err(CodegenError::new(
                            "an `@eventPayload` must be a blob, string, structure or union",
                        )
                        .in_file(&target.source)
                        .at_shape(&target.id)
                        .at_member(&m.name))
                    }
                };
                let content_type = super::exprs::media_type(p).unwrap_or(content_type);
                let take = if boxed {
                    quote!(*value.#field)
                } else {
                    quote!(value.#field)
                };
                let expr = if optional {
                    let take = if boxed {
                        quote!(value.#field.map(|v| *v))
                    } else {
                        quote!(value.#field)
                    };
                    quote! {
                        match #take {
                            Some(v) => #bytes,
                            None => bytes::Bytes::new(),
                        }
                    }
                } else {
                    quote! {{
                        let v = #take;
                        #bytes
                    }}
                };
                payload = Some((expr, content_type));
            }
        }
        let (payload, content_type) = payload.unwrap_or_else(|| {
            let root = symbols.type_name_text(&target.id).unwrap_or_default();
            (
                quote! {
                    crate::rt::wire::ser::to_body(&value)
                        .map_err(|e| format!("`{}`: {e}", #root))?
                },
                "application/json",
            )
        });
        let headers_decl = if headers.is_empty() {
            quote!(let headers = Vec::new();)
        } else {
            quote!(let mut headers = Vec::new();)
        };
        arms.push(quote! {
            #union::#variant(value) => {
                #headers_decl
                #(#headers)*
                let payload = #payload;
                Ok(crate::rt::event_stream::event_message(#key, #content_type, payload, headers))
            }
        });
    }
    let doc = format!(
        " Writes one event of the `{}` event stream as a message (`:event-type` the member, \
         its `@eventHeader`s as headers, the payload).",
        shape.id.name
    );
    let unknown = format!(
        "`{}::Unknown` cannot be sent: it stands for an event this crate does not know",
        symbols.type_name_text(&shape.id)?
    );
    Ok(quote! {
        #[doc = #doc]
        pub(crate) fn #name(
            event: #union,
        ) -> Result<crate::rt::event_stream::Message, String> {
            match event {
                #(#arms)*
                #union::Unknown => Err(#unknown.to_owned()),
            }
        }
    })
}
