//! Structures: the type, its accessors, its builder and a `Debug` that redacts
//! `@sensitive` members. Used for `types`, error shapes and operation inputs/outputs.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use crate::context::defaults::or_default;
use crate::context::Context;
use crate::error::Result;
use crate::model::{Member, Shape, ShapeType};

/// Extra pieces some structures get.
#[derive(Debug, Clone, Copy, Default)]
pub struct StructureOptions {
    /// Operation outputs keep the response's request id (`RequestId` trait).
    pub request_id: bool,
}

/// How a field is exposed by its accessor.
enum Access {
    /// `Option<String>` → `Option<&str>`.
    OptionStr,
    /// `Option<Vec<T>>` → `Option<&[T]>`.
    OptionSlice,
    /// `Option<Copy>` → `Option<T>`.
    OptionCopy,
    /// `Option<T>`/`Option<Box<T>>` → `Option<&T>`.
    OptionRef,
    /// `String` → `&str`.
    Str,
    /// `Vec<T>` → `&[T]`.
    Slice,
    /// `Copy` → `T`.
    Copy,
    /// anything else → `&T`.
    Ref,
}

/// What a member's builder setter takes.
enum Setter {
    /// `field(item)` appends to the list.
    ListItem(TokenStream),
    /// `field(key, value)` inserts into the map.
    MapEntry(TokenStream, TokenStream),
    /// `field(value)` sets it.
    Value(TokenStream),
}

/// Everything the emitters need to know about one member.
pub(crate) struct Field<'a> {
    pub member: &'a Member,
    pub ident: Ident,
    pub bare: String,
    /// The builder's `Option` setter and getter (`set_x`, `get_x`).
    pub set: Ident,
    pub get: Ident,
    /// The field's type (with `Option`/`Box`).
    pub ty: TokenStream,
    /// The value type (without `Option`, with `Box`).
    pub value_ty: TokenStream,
    pub optional: bool,
    pub boxed: bool,
    pub sensitive: bool,
    pub docs: TokenStream,
    /// The builder methods' docs: `docs`, plus "This member is required." for `@required`.
    pub setter_docs: TokenStream,
    pub deprecated: TokenStream,
    access: Access,
    setter: Setter,
    /// For lists: the element type (what a slice accessor returns).
    item_ty: Option<TokenStream>,
}

impl Field<'_> {
    /// The attributes of the methods named after the member itself (accessor, primary
    /// setter): `deprecated`, plus an allow of clippy's `should_implement_trait` when the name
    /// is a std trait's method (`add`). `set_x`/`get_x` need only `deprecated`.
    pub fn method_attrs(&self) -> TokenStream {
        let deprecated = &self.deprecated;
        if crate::naming::is_std_trait_method(&self.bare) {
            quote!(#deprecated #[allow(clippy::should_implement_trait)])
        } else {
            deprecated.clone()
        }
    }

    /// The value type without its `Box` (what an accessor hands out: `&T`, not `&Box<T>`).
    pub fn unboxed_ty(&self) -> &TokenStream {
        match &self.setter {
            Setter::Value(plain) if self.boxed => plain,
            _ => &self.value_ty,
        }
    }
}

pub(crate) fn fields<'a>(ctx: &Context<'_>, shape: &'a Shape) -> Result<Vec<Field<'a>>> {
    let symbols = ctx.symbols;
    shape
        .members
        .iter()
        .map(|member| {
            let target = symbols.shape(&member.target)?;
            let optional = symbols.is_optional(&shape.id, &member.name);
            let boxed = symbols.is_boxed(&shape.id, &member.name);
            let plain = symbols.member_value_type(&shape.id, &member.target)?;
            let value_ty = if boxed {
                quote!(Box<#plain>)
            } else {
                plain.clone()
            };
            let ty = symbols.member_type(&shape.id, &member.name)?;
            let copy = target.ty.is_copy_scalar() && !boxed;
            let is_list = matches!(target.ty, ShapeType::List | ShapeType::Set);
            let access = match (optional, target.ty, copy, is_list) {
                (true, ShapeType::String, _, _) => Access::OptionStr,
                (true, _, _, true) => Access::OptionSlice,
                (true, _, true, _) => Access::OptionCopy,
                (true, _, _, _) => Access::OptionRef,
                (false, ShapeType::String, _, _) => Access::Str,
                (false, _, _, true) => Access::Slice,
                (false, _, true, _) => Access::Copy,
                (false, _, _, _) => Access::Ref,
            };
            let setter = match target.ty {
                ShapeType::List | ShapeType::Set if !boxed => {
                    let item = target
                        .list_member()
                        .map(|m| symbols.rust_type(&m.target))
                        .transpose()?;
                    match item {
                        Some(item) if target.traits.sparse => {
                            Setter::ListItem(quote!(Option<#item>))
                        }
                        Some(item) => Setter::ListItem(item),
                        None => Setter::Value(plain.clone()),
                    }
                }
                ShapeType::Map if !boxed => match target.map_key_value() {
                    Some((k, v)) => {
                        let key = symbols.rust_type(&k.target)?;
                        let value = symbols.rust_type(&v.target)?;
                        let value = if target.traits.sparse {
                            quote!(Option<#value>)
                        } else {
                            value
                        };
                        Setter::MapEntry(key, value)
                    }
                    None => Setter::Value(plain.clone()),
                },
                _ => Setter::Value(plain.clone()),
            };
            let item_ty = match &setter {
                Setter::ListItem(item) => Some(item.clone()),
                _ => None,
            };
            // A `@sensitive` container hides all of its members.
            let sensitive =
                member.traits.sensitive || target.traits.sensitive || shape.traits.sensitive;
            let docs = doc_attrs(
                member
                    .traits
                    .documentation
                    .as_deref()
                    .or(target.traits.documentation.as_deref()),
                &format!("The `{}` member.", member.name),
            );
            let setter_docs = if member.traits.required {
                quote! {
                    #docs
                    #[doc = ""]
                    #[doc = " This member is required."]
                }
            } else {
                docs.clone()
            };
            Ok(Field {
                member,
                setter_docs,
                ident: symbols.member_ident(&shape.id, &member.name)?,
                bare: symbols.member_bare(&shape.id, &member.name)?,
                set: symbols.member_setter(&shape.id, &member.name)?,
                get: symbols.member_getter(&shape.id, &member.name)?,
                ty,
                value_ty,
                optional,
                boxed,
                sensitive,
                docs,
                deprecated: deprecated_attr(member.traits.deprecated.as_ref()),
                access,
                setter,
                item_ty,
            })
        })
        .collect()
}

/// `#[deprecated(...)]` for a deprecated shape or member.
pub(crate) fn deprecated_attr(deprecated: Option<&crate::model::Deprecated>) -> TokenStream {
    match deprecated {
        None => quote!(),
        Some(d) => {
            let mut note = d
                .message
                .clone()
                .unwrap_or_else(|| "deprecated by the service".to_string());
            note = note.trim().to_string();
            // rustc wants `since` to be a Rust version; model dates go into the note.
            if let Some(since) = &d.since {
                note = format!("{note} (since {since})");
            }
            quote!(#[deprecated(note = #note)])
        }
    }
}

/// The struct, its inherent impl, `Debug`, and its builder.
pub fn emit_structure(
    ctx: &Context<'_>,
    shape: &Shape,
    options: StructureOptions,
) -> Result<TokenStream> {
    let symbols = ctx.symbols;
    let name = symbols.type_ident(&shape.id)?;
    let builder = symbols.builder_ident(&shape.id)?;
    let name_text = name.to_string();
    let fields = fields(ctx, shape)?;
    let docs = doc_attrs(
        shape.traits.documentation.as_deref(),
        &format!("The `{name_text}` structure."),
    );
    let deprecated = deprecated_attr(shape.traits.deprecated.as_ref());

    let field_defs = fields.iter().map(|f| {
        let (ident, ty, docs, deprecated) = (&f.ident, &f.ty, &f.docs, &f.deprecated);
        quote!(#docs #deprecated pub #ident: #ty,)
    });
    let request_id_field = options
        .request_id
        .then(|| quote!(pub(crate) _request_id: Option<String>,));

    let accessors = fields.iter().map(|f| {
        let (ident, docs, deprecated) = (&f.ident, &f.docs, f.method_attrs());
        let plain = &f.value_ty;
        let (ret, body) = match &f.access {
            Access::OptionStr => (quote!(Option<&str>), quote!(self.#ident.as_deref())),
            Access::OptionSlice => {
                let item = f.item_ty.clone().unwrap_or_else(|| plain.clone());
                (quote!(Option<&[#item]>), quote!(self.#ident.as_deref()))
            }
            Access::OptionCopy => (quote!(Option<#plain>), quote!(self.#ident)),
            Access::OptionRef if f.boxed => {
                let inner = ctx.symbols.rust_type(&f.member.target).unwrap_or_default();
                (quote!(Option<&#inner>), quote!(self.#ident.as_deref()))
            }
            Access::OptionRef => (quote!(Option<&#plain>), quote!(self.#ident.as_ref())),
            Access::Str => (quote!(&str), quote!(&self.#ident)),
            Access::Slice => {
                let item = f.item_ty.clone().unwrap_or_else(|| plain.clone());
                (quote!(&[#item]), quote!(&self.#ident))
            }
            Access::Copy => (quote!(#plain), quote!(self.#ident)),
            Access::Ref => (quote!(&#plain), quote!(&self.#ident)),
        };
        quote! {
            #docs
            #deprecated
            pub fn #ident(&self) -> #ret {
                #body
            }
        }
    });

    let debug = debug_impl(&name, &name_text, &fields, options.request_id);
    // A `ByteStream` or `EventReceiver` is read once: neither `Clone` nor `PartialEq`.
    let streaming = shape.members.iter().any(|m| symbols.is_stream(&m.target));
    let derive = match (streaming, debug.is_none()) {
        (true, true) => quote!(#[derive(Debug)]),
        (true, false) => quote!(),
        (false, true) => quote!(#[derive(Clone, PartialEq, Debug)]),
        (false, false) => quote!(#[derive(Clone, PartialEq)]),
    };
    let builder_tokens = emit_builder(ctx, &name, &builder, &fields, options)?;
    let builder_path = symbols.builder_path(&shape.id)?;
    let builder_doc = format!(" Creates a new builder for [`{name_text}`].");

    Ok(quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #derive
        pub struct #name {
            #(#field_defs)*
            #request_id_field
        }

        impl #name {
            #(#accessors)*

            #[doc = #builder_doc]
            pub fn builder() -> #builder_path {
                // Not `Builder::default()`: a member named `default` (pinpoint) makes a setter
                // of that name, which the path would call instead.
                ::std::default::Default::default()
            }
        }

        #debug

        #builder_tokens
    })
}

/// `Debug` that prints `*** Sensitive Data Redacted ***` for sensitive members; `None`
/// when no member is sensitive, and the type derives `Debug` instead.
fn debug_impl(
    name: &Ident,
    name_text: &str,
    fields: &[Field<'_>],
    request_id: bool,
) -> Option<TokenStream> {
    if !fields.iter().any(|f| f.sensitive) {
        return None;
    }
    let entries = fields.iter().map(|f| {
        let (ident, bare) = (&f.ident, &f.bare);
        if f.sensitive {
            quote!(formatter.field(#bare, &"*** Sensitive Data Redacted ***");)
        } else {
            quote!(formatter.field(#bare, &self.#ident);)
        }
    });
    let request_id_entry =
        request_id.then(|| quote!(formatter.field("_request_id", &self._request_id);));
    let binding = quote!(let mut formatter = f.debug_struct(#name_text););
    Some(quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #binding
                #(#entries)*
                #request_id_entry
                formatter.finish()
            }
        }
    })
}

fn emit_builder(
    ctx: &Context<'_>,
    name: &Ident,
    builder: &Ident,
    fields: &[Field<'_>],
    options: StructureOptions,
) -> Result<TokenStream> {
    let name_text = name.to_string();
    let builder_fields = fields.iter().map(|f| {
        let (ident, value_ty) = (&f.ident, &f.value_ty);
        quote!(pub(crate) #ident: Option<#value_ty>,)
    });
    let methods = fields.iter().map(|f| {
        let (ident, value_ty, docs, deprecated) =
            (&f.ident, &f.value_ty, &f.setter_docs, &f.deprecated);
        let primary_attrs = f.method_attrs();
        let (set, get) = (&f.set, &f.get);
        let wrap = |expr: TokenStream| if f.boxed { quote!(Box::new(#expr)) } else { expr };
        let primary = match &f.setter {
            Setter::ListItem(item) => {
                let doc = format!(" Appends an item to `{}`.", f.bare);
                quote! {
                    #[doc = #doc]
                    #primary_attrs
                    pub fn #ident(mut self, input: impl Into<#item>) -> Self {
                        self.#ident.get_or_insert_with(Vec::new).push(input.into());
                        self
                    }
                }
            }
            Setter::MapEntry(key, value) => {
                let doc = format!(" Inserts an entry into `{}`.", f.bare);
                quote! {
                    #[doc = #doc]
                    #primary_attrs
                    pub fn #ident(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                        self.#ident
                            .get_or_insert_with(::std::collections::HashMap::new)
                            .insert(key.into(), value.into());
                        self
                    }
                }
            }
            Setter::Value(plain) => {
                let value = wrap(quote!(input.into()));
                quote! {
                    #docs
                    #primary_attrs
                    pub fn #ident(mut self, input: impl Into<#plain>) -> Self {
                        self.#ident = Some(#value);
                        self
                    }
                }
            }
        };
        quote! {
            #primary

            #docs
            #deprecated
            pub fn #set(mut self, input: Option<#value_ty>) -> Self {
                self.#ident = input;
                self
            }

            #docs
            #deprecated
            pub fn #get(&self) -> &Option<#value_ty> {
                &self.#ident
            }
        }
    });

    // `build` fails only when a non-optional member has no default to fall back on.
    let mut fallible = false;
    let mut inits = Vec::new();
    for f in fields {
        let ident = &f.ident;
        if f.optional {
            inits.push(quote!(#ident: self.#ident,));
            continue;
        }
        let default = f.member.traits.default.as_ref().filter(|v| !v.is_null());
        match default {
            Some(value) => {
                let local = quote!(self.#ident);
                let expr = or_default(ctx, f.member, value, f.boxed, &local)?;
                inits.push(quote!(#ident: #expr,));
            }
            None => {
                fallible = true;
                let bare = &f.bare;
                inits.push(quote! {
                    #ident: self.#ident.ok_or_else(|| crate::error::BuildError::missing_field(#name_text, #bare))?,
                });
            }
        }
    }
    let request_id_init = options.request_id.then(|| quote!(_request_id: None,));
    let build_doc = format!(" Builds the [`{name_text}`].");
    let build = if fallible {
        let err_doc = " Fails when a required member is unset.";
        quote! {
            #[doc = #build_doc]
            #[doc = ""]
            #[doc = #err_doc]
            pub fn build(self) -> Result<#name, crate::error::BuildError> {
                Ok(#name { #(#inits)* #request_id_init })
            }
        }
    } else {
        quote! {
            #[doc = #build_doc]
            pub fn build(self) -> #name {
                #name { #(#inits)* #request_id_init }
            }
        }
    };
    let builder_doc = format!(" A builder for [`{name_text}`].");
    let debug = debug_impl(builder, &builder.to_string(), fields, false);
    // A `ByteStream` or `EventReceiver` is read once: neither `Clone` nor `PartialEq`.
    let streaming = fields
        .iter()
        .any(|f| ctx.symbols.is_stream(&f.member.target));
    let builder_derive = match (streaming, debug.is_none()) {
        (true, true) => quote!(#[derive(Default, Debug)]),
        (true, false) => quote!(#[derive(Default)]),
        (false, true) => quote!(#[derive(Clone, PartialEq, Default, Debug)]),
        (false, false) => quote!(#[derive(Clone, PartialEq, Default)]),
    };
    Ok(quote! {
        #[doc = #builder_doc]
        #[non_exhaustive]
        #builder_derive
        pub struct #builder {
            #(#builder_fields)*
        }

        impl #builder {
            #(#methods)*

            #build
        }

        #debug
    })
}
