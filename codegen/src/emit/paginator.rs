//! Paginators from `smithy.api#paginated` (the operation's trait merged over the
//! service's): `into_paginator()` on the fluent builder, a page stream
//! (`<Op>Paginator`, with `page_size` when the trait names one) and, when the trait names
//! `items`, an item stream (`<Op>Items`). The loop and the token checks are the runtime's
//! (`rt::paginate`); this emits the token and item accessors, compiled from the trait's
//! paths with the JMESPath compiler.

use proc_macro2::TokenStream;
use quote::quote;

use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::jmespath::compile::{Compiler, Form, Kind, Val};
use crate::model::{Shape, ShapeId, ShapeType};

/// A complete `@paginated` trait: both tokens set after merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    pub input_token: String,
    pub output_token: String,
    pub items: Option<String>,
    pub page_size: Option<String>,
}

/// The operation's merged `@paginated`, when it is complete.
pub fn pagination(ctx: &Context<'_>, op: &Shape) -> Option<Pagination> {
    let own = op.traits.other("smithy.api#paginated")?;
    let service = ctx.service.traits.other("smithy.api#paginated");
    let field = |name: &str| {
        own.get(name)
            .or_else(|| service.and_then(|s| s.get(name)))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    Some(Pagination {
        input_token: field("inputToken")?,
        output_token: field("outputToken")?,
        items: field("items"),
        page_size: field("pageSize"),
    })
}

fn error(ctx: &Context<'_>, op: &Shape, message: String) -> CodegenError {
    let _ = ctx;
    CodegenError::new(format!("@paginated: {message}"))
        .in_file(&op.source)
        .at_shape(&op.id)
}

/// A top-level input member: its setter suffix (`bare`) and target.
fn input_member(
    ctx: &Context<'_>,
    op: &Shape,
    input: &ShapeId,
    name: &str,
    what: &str,
) -> Result<(String, ShapeId)> {
    let shape = ctx.symbols.shape(input)?;
    let member = shape.member(name).ok_or_else(|| {
        error(
            ctx,
            op,
            format!("the {what} `{name}` is not a member of the input"),
        )
    })?;
    Ok((ctx.symbols.member_bare(input, name)?, member.target.clone()))
}

/// A path of the output, compiled: the node and its value.
fn output_path(
    ctx: &Context<'_>,
    op: &Shape,
    output: &ShapeId,
    path: &str,
    what: &str,
) -> Result<(ShapeId, Val)> {
    let expr = crate::jmespath::parse(path)
        .map_err(|e| error(ctx, op, format!("the {what} `{path}`: {e}")))?;
    let val = Compiler::new(ctx.symbols)
        .compile(&expr, &Val::root(output, quote!(output)))
        .map_err(|e| error(ctx, op, format!("the {what} `{path}`: {e}")))?;
    match &val.kind {
        Kind::Node { shape, .. } => Ok((shape.clone(), val.clone())),
        _ => Err(error(
            ctx,
            op,
            format!("the {what} `{path}` is not a member path of the output"),
        )),
    }
}

fn form(val: &Val) -> Form {
    match val.kind {
        Kind::Node { form, .. } => form,
        _ => Form::Opt,
    }
}

/// The `impl` block and types `builders.rs` adds for a paginated operation.
pub fn emit_paginator(ctx: &Context<'_>, op: &Shape) -> Result<Option<TokenStream>> {
    let Some(p) = pagination(ctx, op) else {
        return Ok(None);
    };
    let symbols = ctx.symbols;
    let input = symbols.operation_input(&op.id)?.clone();
    let output = symbols.operation_output(&op.id)?.clone();
    let output_ty = symbols.type_path(&output)?;
    let error_ty = symbols.operation_error_path(&op.id)?;
    let fluent = symbols.fluent_builder_ident(&op.id)?;
    let paginator = symbols.paginator_ident(&op.id)?;
    let op_name = op.id.name.clone();

    let (_, token_target) = input_member(ctx, op, &input, &p.input_token, "inputToken")?;
    let token_shape = symbols.shape(&token_target)?;
    if !matches!(token_shape.ty, ShapeType::String | ShapeType::Map) {
        return Err(error(
            ctx,
            op,
            format!(
                "the inputToken `{}` is a {}, not a string or map",
                p.input_token,
                token_shape.ty.as_ast()
            ),
        ));
    }
    let token_ty = symbols.rust_type(&token_target)?;
    let (out_token_shape, out_token) =
        output_path(ctx, op, &output, &p.output_token, "outputToken")?;
    if symbols.rust_type(&out_token_shape)?.to_string() != token_ty.to_string() {
        return Err(error(
            ctx,
            op,
            format!(
                "the outputToken `{}` and the inputToken `{}` have different types",
                p.output_token, p.input_token
            ),
        ));
    }
    let e = &out_token.expr;
    let next_token = match form(&out_token) {
        Form::Opt => quote!(#e.cloned()),
        _ => quote!(Some(#e.clone())),
    };
    let set_token = symbols.member_setter(&input, &p.input_token)?;
    let get_token = symbols.member_getter(&input, &p.input_token)?;

    let page_size = match &p.page_size {
        None => None,
        Some(name) => {
            let (_, target) = input_member(ctx, op, &input, name, "pageSize")?;
            if !matches!(
                symbols.shape(&target)?.ty,
                ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long
            ) {
                return Err(error(
                    ctx,
                    op,
                    format!("the pageSize `{name}` is not an integer"),
                ));
            }
            let ty = symbols.rust_type(&target)?;
            let set = symbols.member_setter(&input, name)?;
            let doc = format!(" Sets `{name}`, the most items a page may hold, for every page.");
            Some(quote! {
                #[doc = #doc]
                pub fn page_size(self, limit: #ty) -> Self {
                    #paginator(self.0.map_builder(|b| b.#set(Some(limit))))
                }
            })
        }
    };

    let (items_method, items_type) = match &p.items {
        None => (None, None),
        Some(path) => {
            let (shape_id, val) = output_path(ctx, op, &output, path, "items")?;
            let shape = symbols.shape(&shape_id)?;
            let e = &val.expr;
            let (item_ty, body) = match shape.ty {
                ShapeType::List | ShapeType::Set => {
                    let member = shape.list_member().ok_or_else(|| {
                        error(ctx, op, format!("the items `{path}` list has no member"))
                    })?;
                    let mut item = symbols.rust_type(&member.target)?;
                    if shape.traits.sparse {
                        item = quote!(Option<#item>);
                    }
                    let body = match form(&val) {
                        Form::Opt => quote!(#e.cloned().unwrap_or_default()),
                        _ => quote!(#e.clone()),
                    };
                    (item, body)
                }
                ShapeType::Map => {
                    let (k, v) = shape.map_key_value().ok_or_else(|| {
                        error(
                            ctx,
                            op,
                            format!("the items `{path}` map has no key or value"),
                        )
                    })?;
                    let key = symbols.rust_type(&k.target)?;
                    let mut value = symbols.rust_type(&v.target)?;
                    if shape.traits.sparse {
                        value = quote!(Option<#value>);
                    }
                    let body = match form(&val) {
                        Form::Opt => {
                            quote!(#e.map(|m| m.clone().into_iter().collect()).unwrap_or_default())
                        }
                        _ => quote!(#e.clone().into_iter().collect()),
                    };
                    (quote!((#key, #value)), body)
                }
                other => {
                    return Err(error(
                        ctx,
                        op,
                        format!(
                            "the items `{path}` is a {}, not a list or map",
                            other.as_ast()
                        ),
                    ))
                }
            };
            let items_ident = symbols.paginator_items_ident(&op.id)?;
            let doc = format!(" A stream of the items (`{path}`) of every page: `Result<item, Error>`, ending after the last page or at the first error.");
            let method = quote! {
                /// The items of the pages instead of the pages.
                pub fn items(self) -> #items_ident {
                    #items_ident(crate::rt::paginate::Items::new(self, page_items))
                }
            };
            let ty = quote! {
                fn page_items(output: &#output_ty) -> Vec<#item_ty> {
                    #body
                }

                #[doc = #doc]
                /// Implements `futures_core::Stream`; [`next`](Self::next) needs no other crate.
                #[derive(Debug)]
                pub struct #items_ident(crate::rt::paginate::Items<#paginator, #output_ty, #item_ty>);

                impl #items_ident {
                    /// The next item, or `None` after the last one.
                    pub async fn next(&mut self) -> Option<Result<#item_ty, crate::error::Error<#error_ty>>> {
                        ::std::future::poll_fn(|cx| crate::rt::paginate::Stream::poll_next(::std::pin::Pin::new(&mut self.0), cx)).await
                    }

                    /// Every item, or the first error.
                    pub async fn try_collect(mut self) -> Result<Vec<#item_ty>, crate::error::Error<#error_ty>> {
                        let mut all = Vec::new();
                        while let Some(item) = self.next().await {
                            all.push(item?);
                        }
                        Ok(all)
                    }
                }

                impl crate::rt::paginate::Stream for #items_ident {
                    type Item = Result<#item_ty, crate::error::Error<#error_ty>>;

                    fn poll_next(
                        mut self: ::std::pin::Pin<&mut Self>,
                        cx: &mut ::std::task::Context<'_>,
                    ) -> ::std::task::Poll<Option<Self::Item>> {
                        crate::rt::paginate::Stream::poll_next(::std::pin::Pin::new(&mut self.0), cx)
                    }
                }
            };
            (Some(method), Some(ty))
        }
    };

    let into_doc = format!(
        " Pages through the results: a stream of `{op_name}` pages, each request carrying \
         the previous page's `{}` as `{}`. Nothing is sent until the stream is polled; a \
         page without a token (or with an empty one) is the last; a page that returns the \
         token its request carried ends the stream with `Error::Pagination`.",
        p.output_token, p.input_token
    );
    let pages_doc = format!(
        " A stream of `{op_name}` pages: `Result<output, Error>`, ending after the last page or \
         at the first error."
    );
    Ok(Some(quote! {
        impl #fluent {
            #[doc = #into_doc]
            pub fn into_paginator(self) -> #paginator {
                #paginator(crate::rt::paginate::Paginator::new(#op_name, self, send_page, first_token, next_token))
            }
        }

        fn send_page(
            builder: #fluent,
            token: Option<#token_ty>,
        ) -> crate::rt::paginate::PageFuture<#output_ty, #error_ty> {
            let builder = match token {
                Some(token) => builder.#set_token(Some(token)),
                None => builder,
            };
            Box::pin(builder.send())
        }

        fn first_token(builder: &#fluent) -> Option<#token_ty> {
            builder.#get_token().clone()
        }

        fn next_token(output: &#output_ty) -> Option<#token_ty> {
            #next_token
        }

        #[doc = #pages_doc]
        /// Implements `futures_core::Stream`; [`next`](Self::next) needs no other crate.
        #[derive(Debug)]
        pub struct #paginator(crate::rt::paginate::Paginator<#fluent, #output_ty, #error_ty, #token_ty>);

        impl #paginator {
            #page_size

            #items_method

            /// The next page, or `None` after the last one.
            pub async fn next(&mut self) -> Option<Result<#output_ty, crate::error::Error<#error_ty>>> {
                ::std::future::poll_fn(|cx| crate::rt::paginate::Stream::poll_next(::std::pin::Pin::new(&mut self.0), cx)).await
            }

            /// Every page, or the first error.
            pub async fn try_collect(mut self) -> Result<Vec<#output_ty>, crate::error::Error<#error_ty>> {
                let mut all = Vec::new();
                while let Some(page) = self.next().await {
                    all.push(page?);
                }
                Ok(all)
            }
        }

        impl crate::rt::paginate::Stream for #paginator {
            type Item = Result<#output_ty, crate::error::Error<#error_ty>>;

            fn poll_next(
                mut self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<Option<Self::Item>> {
                crate::rt::paginate::Stream::poll_next(::std::pin::Pin::new(&mut self.0), cx)
            }
        }

        #items_type
    }))
}

/// The example the client method's docs show for a paginated operation.
pub fn client_doc_example(ctx: &Context<'_>, op: &Shape) -> Result<Option<String>> {
    let Some(p) = pagination(ctx, op) else {
        return Ok(None);
    };
    let method = ctx.symbols.operation_module(&op.id)?;
    let krate = ctx.crate_name.replace('-', "_");
    let size = if p.page_size.is_some() {
        ".page_size(50)"
    } else {
        ""
    };
    let body = if p.items.is_some() {
        format!(
            "let mut items = client.{method}()\n    // set the input members here\n    .into_paginator(){size}\n    .items();\nwhile let Some(item) = items.next().await {{\n    let _item = item?;\n}}"
        )
    } else {
        format!(
            "let mut pages = client.{method}()\n    // set the input members here\n    .into_paginator(){size};\nwhile let Some(page) = pages.next().await {{\n    let _page = page?;\n}}"
        )
    };
    Ok(Some(format!(
        "# Pagination\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n{body}\n# Ok(())\n# }}\n```"
    )))
}
