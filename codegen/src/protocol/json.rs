//! `src/protocol/shapes.rs`: the JSON form of every named type.
//!
//! Structures and unions implement `rt::wire::de::ReadJson` and `rt::wire::ser::WriteJson`,
//! enums `WriteJson` (reading them needs no impl: `From<&str>` / `From<i32>` is enough).
//! The default build has only the impls the wire uses; the others, and the public
//! `serde::Serialize` / `serde::Deserialize` impls of every type, are behind the `serde`
//! feature. They are hand-written, so the default build never pulls `serde_derive`.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::exprs::{reader, writer};
use super::plan::{Plan, Role};
use crate::context::Context;
use crate::error::Result;
use crate::index::http::json_name;
use crate::model::{Member, Shape, ShapeId, ShapeType};

pub fn emit_shapes(ctx: &Context<'_>, plan: &Plan<'_>, shapes: &[&ShapeId]) -> Result<TokenStream> {
    let mut items = Vec::new();
    for &id in shapes {
        let shape = ctx.symbols.shape(id)?;
        let read_gate = gate(plan.wire_read.contains(id));
        let write_gate = gate(plan.wire_write.contains(id));
        let tokens = match shape.ty {
            ShapeType::Structure => {
                let read = read_structure(ctx, plan, shape)?;
                let write = write_structure(ctx, plan, shape)?;
                let serde = serde_impls(ctx, shape)?;
                quote!(#read_gate #read #write_gate #write #serde)
            }
            // An event stream is frames, not JSON: its unmarshaller reads each event.
            ShapeType::Union if shape.traits.streaming => {
                // Sent, received, or both (by different operations or one duplex stream).
                let mut tokens = TokenStream::new();
                if ctx.symbols.is_input_event_stream(id) {
                    tokens.extend(super::event_stream::emit_marshaller(ctx, shape)?);
                }
                if !ctx.symbols.is_input_event_stream(id) || ctx.symbols.is_output_event_stream(id)
                {
                    tokens.extend(super::event_stream::emit_unmarshaller(ctx, shape)?);
                }
                tokens
            }
            ShapeType::Union => {
                let read = read_union(ctx, shape)?;
                let write = write_union(ctx, shape)?;
                let serde = serde_impls(ctx, shape)?;
                quote!(#read_gate #read #write_gate #write #serde)
            }
            ShapeType::Enum | ShapeType::IntEnum => {
                let write = write_enum(ctx, shape)?;
                let serde = serde_impls(ctx, shape)?;
                quote!(#write_gate #write #serde)
            }
            _ => continue,
        };
        items.push(tokens);
    }
    Ok(quote!(#(#items)*))
}

fn gate(needed_by_wire: bool) -> TokenStream {
    if needed_by_wire {
        quote!()
    } else {
        quote!(#[cfg(feature = "serde")])
    }
}

/// The keys each member is read from, by member index: its JSON name, plus
/// `message`/`Message` for an error's message member (services send either). A key goes to
/// the first claimant: body members' names, then other members' names (read only in the
/// `serde` form), then the aliases; so no two match arms overlap.
fn member_keys(
    shape: &Shape,
    role: Option<Role>,
    non_body: impl Fn(&Member) -> bool,
) -> Vec<Vec<String>> {
    let mut used = BTreeSet::new();
    let mut keys = vec![Vec::new(); shape.members.len()];
    let mut claim = |i: usize, key: &str, keys: &mut Vec<Vec<String>>| {
        if used.insert(key.to_string()) {
            keys[i].push(key.to_string());
        }
    };
    for pass in 0..3 {
        for (i, member) in shape.members.iter().enumerate() {
            match pass {
                0 if !non_body(member) => claim(i, json_name(member), &mut keys),
                1 if non_body(member) => claim(i, json_name(member), &mut keys),
                2 if role == Some(Role::Error) && member.name.eq_ignore_ascii_case("message") => {
                    for alias in ["message", "Message"] {
                        claim(i, alias, &mut keys);
                    }
                }
                _ => {}
            }
        }
    }
    keys
}

/// How a non-optional member is filled when the body lacks it: its `@default`, else the
/// zero value of its type (as clients do for required members a service left out), else
/// (structures and unions, which have no zero value) an error.
fn fill_missing(
    ctx: &Context<'_>,
    shape: &Shape,
    member: &Member,
    local: &TokenStream,
) -> Result<TokenStream> {
    let target = ctx.symbols.shape(&member.target)?;
    let label = ctx.symbols.member_label(&shape.id, &member.name)?;
    let boxed = ctx.symbols.is_boxed(&shape.id, &member.name);
    if let Some(value) = member.traits.default.as_ref().filter(|v| !v.is_null()) {
        return crate::context::defaults::or_default(ctx, member, value, boxed, local);
    }
    Ok(match target.ty {
        ShapeType::Blob
        | ShapeType::Boolean
        | ShapeType::String
        | ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Float
        | ShapeType::Double
        | ShapeType::BigInteger
        | ShapeType::BigDecimal
        | ShapeType::Document
        | ShapeType::List
        | ShapeType::Set
        | ShapeType::Map => quote!(#local.unwrap_or_default()),
        ShapeType::Timestamp => quote!(#local.unwrap_or(crate::primitives::DateTime::UNIX_EPOCH)),
        ShapeType::Enum => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(#local.unwrap_or_else(|| #path::from("")))
        }
        ShapeType::IntEnum => {
            let path = ctx.symbols.type_path(&target.id)?;
            quote!(#local.unwrap_or_else(|| #path::from(0)))
        }
        _ => quote! {
            match #local {
                Some(value) => value,
                None => return Err(crate::rt::wire::de::missing(ctx, #label)),
            }
        },
    })
}

fn read_structure(ctx: &Context<'_>, plan: &Plan<'_>, shape: &Shape) -> Result<TokenStream> {
    let ty = ctx.symbols.type_path(&shape.id)?;
    let top = plan.top_level.get(&shape.id);
    let role = top.map(|t| t.role);
    let mut key_arms = Vec::new();
    let mut value_arms = Vec::new();
    let mut locals = Vec::new();
    let mut fields = Vec::new();
    let mut gated = false;
    let is_non_body = |m: &Member| top.is_some_and(|t| t.non_body.contains(&m.name));
    let all_keys = member_keys(shape, role, is_non_body);
    let member_locals = ctx.symbols.reader_locals(&shape.id)?;
    for (i, (member, local)) in shape.members.iter().zip(member_locals).enumerate() {
        if ctx.symbols.is_stream(&member.target) {
            // Never JSON: the raw payload (or its events), which the response deserializer
            // hands over.
            let field = ctx.symbols.member_ident(&shape.id, &member.name)?;
            fields.push(if ctx.symbols.is_optional(&shape.id, &member.name) {
                quote!(#field: None,)
            } else {
                quote!(#field: ::std::default::Default::default(),)
            });
            continue;
        }
        let index = Literal::u32_unsuffixed(i as u32);
        let keys = &all_keys[i];
        if keys.is_empty() {
            // Every name it could be read from belongs to another member.
        } else if is_non_body(member) {
            gated = true;
            key_arms.push(quote!(#(#keys)|* if full => #index,));
        } else {
            key_arms.push(quote!(#(#keys)|* => #index,));
        }
        let mut read = reader(ctx, member)?;
        if ctx.symbols.is_boxed(&shape.id, &member.name) {
            read = quote!(crate::rt::wire::de::Boxed(#read));
        }
        let label = ctx.symbols.member_label(&shape.id, &member.name)?;
        value_arms.push(quote! {
            #index => #local = crate::rt::wire::de::member(&mut map, ctx, #label, crate::rt::wire::de::Opt(#read))?,
        });
        locals.push(quote!(let mut #local = None;));
        let field = ctx.symbols.member_ident(&shape.id, &member.name)?;
        if ctx.symbols.is_optional(&shape.id, &member.name) {
            if field == local {
                fields.push(quote!(#field,));
            } else {
                fields.push(quote!(#field: #local,));
            }
        } else {
            let value = fill_missing(ctx, shape, member, &quote!(#local))?;
            fields.push(quote!(#field: #value,));
        }
    }
    if role == Some(Role::Output) {
        fields.push(quote!(_request_id: None,));
    }
    // No member read from JSON (none at all, or only a stream payload): every key skipped.
    let body = if value_arms.is_empty() {
        quote! {
            let _ = ctx;
            while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                crate::rt::wire::de::skip(&mut map)?;
            }
            Ok(Self { #(#fields)* })
        }
    } else {
        let full = gated.then(|| quote!(let full = ctx.full();));
        quote! {
            #full
            #(#locals)*
            while let Some(key) = map.next_key_seed(crate::rt::wire::de::FieldKey(|k: &str| match k {
                #(#key_arms)*
                _ => u32::MAX,
            }))? {
                match key {
                    #(#value_arms)*
                    _ => crate::rt::wire::de::skip(&mut map)?,
                }
            }
            Ok(Self { #(#fields)* })
        }
    };
    let doc = format!(
        " Reads `{}` from a JSON object.",
        ctx.symbols.type_name_text(&shape.id)?
    );
    Ok(quote! {
        #[doc = #doc]
        impl crate::rt::wire::de::ReadJson for #ty {
            fn read_map<'de, A: serde::de::MapAccess<'de>>(
                ctx: &crate::rt::wire::de::Ctx,
                mut map: A,
            ) -> Result<Self, A::Error> {
                #body
            }
        }
    })
}

fn write_structure(ctx: &Context<'_>, plan: &Plan<'_>, shape: &Shape) -> Result<TokenStream> {
    let ty = ctx.symbols.type_path(&shape.id)?;
    let top = plan.top_level.get(&shape.id);
    let mut body_entries = Vec::new();
    let mut full_entries = Vec::new();
    let mut uses_mode = false;
    for member in &shape.members {
        if ctx.symbols.is_stream(&member.target) {
            continue; // never JSON: the raw payload or its events
        }
        let key = json_name(member);
        let field = ctx.symbols.member_ident(&shape.id, &member.name)?;
        let mut format = writer(ctx, member)?;
        if ctx.symbols.is_boxed(&shape.id, &member.name) {
            format = quote!(crate::rt::wire::ser::Boxed(#format));
        }
        let optional = ctx.symbols.is_optional(&shape.id, &member.name);
        let non_body = top.is_some_and(|t| t.non_body.contains(&member.name));
        let token = member.traits.idempotency_token
            && optional
            && !non_body
            && top.is_some_and(|t| t.role == Role::Input);
        let entry = if token {
            uses_mode = true;
            quote! {
                match &self.#field {
                    Some(value) => map.serialize_entry(#key, &crate::rt::wire::ser::With(value, #format))?,
                    None if mode == crate::rt::wire::ser::Mode::Wire => {
                        map.serialize_entry(#key, &crate::rt::wire::idempotency_token())?
                    }
                    None => {}
                }
            }
        } else if optional {
            quote! {
                if let Some(value) = &self.#field {
                    map.serialize_entry(#key, &crate::rt::wire::ser::With(value, #format))?;
                }
            }
        } else {
            quote! {
                map.serialize_entry(#key, &crate::rt::wire::ser::With(&self.#field, #format))?;
            }
        };
        if non_body {
            full_entries.push(entry);
        } else {
            body_entries.push(entry);
        }
    }
    let full = (!full_entries.is_empty()).then(|| {
        uses_mode = true;
        // Only the public serde form writes them; their targets' `WriteJson` may exist only
        // under the feature (a label enum no body reaches).
        quote! {
            #[cfg(feature = "serde")]
            if mode == crate::rt::wire::ser::Mode::Full {
                #(#full_entries)*
            }
            #[cfg(not(feature = "serde"))]
            let _ = mode;
        }
    });
    let mode = if uses_mode {
        quote!(mode)
    } else {
        quote!(_mode)
    };
    let body = if body_entries.is_empty() && full.is_none() {
        quote! {
            let map = serializer.serialize_map(Some(0))?;
            map.end()
        }
    } else {
        // With only serde-gated entries, nothing writes to the map without the feature.
        let allow = body_entries
            .is_empty()
            .then(|| quote!(#[cfg_attr(not(feature = "serde"), allow(unused_mut))]));
        quote! {
            #allow
            let mut map = serializer.serialize_map(None)?;
            #(#body_entries)*
            #full
            map.end()
        }
    };
    let doc = format!(
        " Writes `{}` as a JSON object.",
        ctx.symbols.type_name_text(&shape.id)?
    );
    Ok(quote! {
        #[doc = #doc]
        impl crate::rt::wire::ser::WriteJson for #ty {
            fn write_json<S: serde::Serializer>(
                &self,
                serializer: S,
                #mode: crate::rt::wire::ser::Mode,
            ) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                #body
            }
        }
    })
}

fn read_union(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let ty = ctx.symbols.type_path(&shape.id)?;
    let mut key_arms = Vec::new();
    let mut value_arms = Vec::new();
    for (i, member) in shape.members.iter().enumerate() {
        let index = Literal::u32_unsuffixed(i as u32);
        let key = json_name(member);
        key_arms.push(quote!(#key => #index,));
        let mut read = reader(ctx, member)?;
        if ctx.symbols.is_boxed(&shape.id, &member.name) {
            read = quote!(crate::rt::wire::de::Boxed(#read));
        }
        let label = ctx.symbols.member_label(&shape.id, &member.name)?;
        let variant = ctx.symbols.variant_ident(&shape.id, &member.name)?;
        value_arms.push(quote! {
            #index => crate::rt::wire::de::member(&mut map, ctx, #label, crate::rt::wire::de::Opt(#read))?
                .map(Self::#variant),
        });
    }
    let skip_type = Literal::u32_unsuffixed(shape.members.len() as u32);
    let type_arm = (!shape.members.iter().any(|m| json_name(m) == "__type"))
        .then(|| quote!("__type" => #skip_type,));
    let doc = format!(
        " Reads `{}` from a JSON object with exactly one non-null member (`__type` is ignored; \
         an unknown member reads as `Unknown`).",
        ctx.symbols.type_name_text(&shape.id)?
    );
    Ok(quote! {
        #[doc = #doc]
        impl crate::rt::wire::de::ReadJson for #ty {
            fn read_map<'de, A: serde::de::MapAccess<'de>>(
                ctx: &crate::rt::wire::de::Ctx,
                mut map: A,
            ) -> Result<Self, A::Error> {
                let mut out: Option<Self> = None;
                let mut unknown = false;
                while let Some(key) = map.next_key_seed(crate::rt::wire::de::FieldKey(|k: &str| match k {
                    #(#key_arms)*
                    #type_arm
                    _ => u32::MAX,
                }))? {
                    let value = match key {
                        #(#value_arms)*
                        #skip_type => {
                            crate::rt::wire::de::skip(&mut map)?;
                            None
                        }
                        _ => {
                            if !crate::rt::wire::de::skip_is_null(&mut map)? {
                                unknown = true;
                            }
                            None
                        }
                    };
                    if let Some(value) = value {
                        if out.is_some() {
                            return Err(crate::rt::wire::de::invalid(
                                ctx,
                                crate::rt::wire::InvalidKind::Value,
                                "more than one member of the union is set",
                            ));
                        }
                        out = Some(value);
                    }
                }
                match out {
                    Some(value) => Ok(value),
                    None if unknown => Ok(Self::Unknown),
                    None => Err(crate::rt::wire::de::invalid(
                        ctx,
                        crate::rt::wire::InvalidKind::Value,
                        "no member of the union is set",
                    )),
                }
            }
        }
    })
}

fn write_union(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let ty = ctx.symbols.type_path(&shape.id)?;
    let name = ctx.symbols.type_name_text(&shape.id)?;
    let mut arms = Vec::new();
    for member in &shape.members {
        let key = json_name(member);
        let variant = ctx.symbols.variant_ident(&shape.id, &member.name)?;
        let mut format = writer(ctx, member)?;
        if ctx.symbols.is_boxed(&shape.id, &member.name) {
            format = quote!(crate::rt::wire::ser::Boxed(#format));
        }
        arms.push(quote! {
            Self::#variant(value) => map.serialize_entry(#key, &crate::rt::wire::ser::With(value, #format))?,
        });
    }
    let doc = format!(" Writes `{name}` as a JSON object with its one member.");
    Ok(quote! {
        #[doc = #doc]
        impl crate::rt::wire::ser::WriteJson for #ty {
            fn write_json<S: serde::Serializer>(
                &self,
                serializer: S,
                _mode: crate::rt::wire::ser::Mode,
            ) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(Some(1))?;
                match self {
                    #(#arms)*
                    Self::Unknown => return Err(crate::rt::wire::ser::unknown_variant(#name)),
                }
                map.end()
            }
        }
    })
}

fn write_enum(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let ty = ctx.symbols.type_path(&shape.id)?;
    let body = if shape.ty == ShapeType::IntEnum {
        quote!(serializer.serialize_i32(self.as_i32()))
    } else {
        quote!(serializer.serialize_str(self.as_str()))
    };
    let doc = format!(
        " Writes `{}` as its wire value.",
        ctx.symbols.type_name_text(&shape.id)?
    );
    Ok(quote! {
        #[doc = #doc]
        impl crate::rt::wire::ser::WriteJson for #ty {
            fn write_json<S: serde::Serializer>(
                &self,
                serializer: S,
                _mode: crate::rt::wire::ser::Mode,
            ) -> Result<S::Ok, S::Error> {
                #body
            }
        }
    })
}

/// The public `serde` impls (feature `serde`): the wire format, every member included.
fn serde_impls(ctx: &Context<'_>, shape: &Shape) -> Result<TokenStream> {
    let ty = ctx.symbols.type_path(&shape.id)?;
    let name = ctx.symbols.type_name_text(&shape.id)?;
    let de = match shape.ty {
        ShapeType::Enum => quote!(crate::rt::wire::de::deserialize_with(
            deserializer,
            #name,
            crate::rt::wire::de::EnumStr::<Self>::new()
        )),
        ShapeType::IntEnum => quote!(crate::rt::wire::de::deserialize_with(
            deserializer,
            #name,
            crate::rt::wire::de::IntEnum::<Self>::new()
        )),
        _ => quote!(crate::rt::wire::de::deserialize_root(deserializer, #name)),
    };
    let ser_doc = format!(" `{name}` in its wire JSON form.");
    let de_doc = format!(" `{name}` from its wire JSON form.");
    Ok(quote! {
        #[cfg(feature = "serde")]
        #[doc = #ser_doc]
        impl serde::Serialize for #ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::rt::wire::ser::WriteJson::write_json(self, serializer, crate::rt::wire::ser::Mode::Full)
            }
        }

        #[cfg(feature = "serde")]
        #[doc = #de_doc]
        impl<'de> serde::Deserialize<'de> for #ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #de
            }
        }
    })
}
