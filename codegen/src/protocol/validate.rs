//! `src/validate.rs`: one validator per operation input, run before anything is sent.
//!
//! Checks the constraint traits — `@required` (on members that are `Option`), `@length`
//! (strings in Unicode scalar values, blobs in bytes, lists and maps in entries),
//! `@range`, `@pattern` (ECMA-262, compiled on first use by the runtime's `Pattern`) — and that
//! `@httpLabel` strings are usable path segments (not empty, not `.`/`..`). Enum values are
//! not checked: services add values. Every violation is reported, with its member path.
//! Nested structures and unions with constraints implement `rt::validate::Validate`.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::context::Context;
use crate::error::Result;
use crate::index::http::{self, Location};
use crate::model::{LengthTrait, Member, RangeTrait, Shape, ShapeId, ShapeType};

/// The `@pattern` regexes, in first-use order.
#[derive(Default)]
struct Patterns {
    list: Vec<String>,
}

impl Patterns {
    fn ident(&mut self, pattern: &str) -> proc_macro2::Ident {
        let i = match self.list.iter().position(|p| p == pattern) {
            Some(i) => i,
            None => {
                self.list.push(pattern.to_string());
                self.list.len() - 1
            }
        };
        crate::naming::pattern_static(i)
    }
}

struct Emitter<'c, 'a> {
    ctx: &'c Context<'a>,
    /// Structures and unions that have something to check.
    needs: BTreeSet<ShapeId>,
    patterns: Patterns,
}

fn length_of(member: &Member, target: &Shape) -> Option<LengthTrait> {
    member.traits.length.or(target.traits.length)
}

fn range_of<'s>(member: &'s Member, target: &'s Shape) -> Option<&'s RangeTrait> {
    member
        .traits
        .range
        .as_ref()
        .or(target.traits.range.as_ref())
}

fn pattern_of<'s>(member: &'s Member, target: &'s Shape) -> Option<&'s str> {
    member
        .traits
        .pattern
        .as_deref()
        .or(target.traits.pattern.as_deref())
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let lit = Literal::u64_unsuffixed(n);
            quote!(Some(#lit))
        }
        None => quote!(None),
    }
}

fn int_bound(n: &serde_json::Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

fn opt_i128(v: Option<i128>) -> TokenStream {
    match v {
        Some(n) if n < 0 => {
            let lit = Literal::u128_unsuffixed(n.unsigned_abs());
            quote!(Some(-#lit))
        }
        Some(n) => {
            let lit = Literal::u128_unsuffixed(n as u128);
            quote!(Some(#lit))
        }
        None => quote!(None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(n) if n < 0.0 => {
            let lit = Literal::f64_unsuffixed(-n);
            quote!(Some(-#lit))
        }
        Some(n) => {
            let lit = Literal::f64_unsuffixed(n);
            quote!(Some(#lit))
        }
        None => quote!(None),
    }
}

impl<'c, 'a> Emitter<'c, 'a> {
    fn shape(&self, id: &ShapeId) -> Result<&'c Shape> {
        self.ctx.symbols.shape(id)
    }

    /// Whether a value of this member's target has anything to check (given `needs`).
    fn value_has_checks(&self, member: &Member) -> Result<bool> {
        let target = self.shape(&member.target)?;
        if length_of(member, target).is_some() {
            return Ok(true);
        }
        match target.ty {
            ShapeType::String | ShapeType::Enum => {
                Ok(pattern_of(member, target).is_some_and(crate::validate::patterns::is_supported))
            }
            ShapeType::Byte
            | ShapeType::Short
            | ShapeType::Integer
            | ShapeType::Long
            | ShapeType::Float
            | ShapeType::Double => Ok(range_of(member, target).is_some()),
            ShapeType::List | ShapeType::Set => match target.list_member() {
                Some(item) => self.value_has_checks(item),
                None => Ok(false),
            },
            ShapeType::Map => match target.map_key_value() {
                Some((k, v)) => Ok(self.value_has_checks(k)? || self.value_has_checks(v)?),
                None => Ok(false),
            },
            ShapeType::Structure | ShapeType::Union => Ok(self.needs.contains(&target.id)),
            _ => Ok(false),
        }
    }

    fn member_has_checks(&self, container: &Shape, member: &Member) -> Result<bool> {
        let optional = self.ctx.symbols.is_optional(&container.id, &member.name);
        Ok((member.traits.required && optional) || self.value_has_checks(member)?)
    }

    /// The least set of structures/unions (reachable from inputs) with something to check.
    fn compute_needs(&mut self, roots: &[ShapeId]) -> Result<()> {
        let mut reachable = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack: Vec<ShapeId> = roots.to_vec();
        while let Some(id) = stack.pop() {
            // An event stream's events come later, one by one, from the caller's stream: only
            // its presence is checked (`@required`), not its events.
            if !seen.insert(id.clone()) || self.ctx.symbols.is_event_stream(&id) {
                continue;
            }
            let shape = self.shape(&id)?;
            if matches!(shape.ty, ShapeType::Structure | ShapeType::Union)
                && self.ctx.symbols.has_type(&id)
            {
                reachable.push(shape);
            }
            if matches!(
                shape.ty,
                ShapeType::Structure
                    | ShapeType::Union
                    | ShapeType::List
                    | ShapeType::Set
                    | ShapeType::Map
            ) {
                stack.extend(shape.members.iter().map(|m| m.target.clone()));
            }
        }
        loop {
            let mut changed = false;
            for shape in &reachable {
                if self.needs.contains(&shape.id) {
                    continue;
                }
                let mut has = false;
                for m in &shape.members {
                    let check = if shape.ty == ShapeType::Union {
                        self.value_has_checks(m)?
                    } else {
                        self.member_has_checks(shape, m)?
                    };
                    if check {
                        has = true;
                        break;
                    }
                }
                if has {
                    self.needs.insert(shape.id.clone());
                    changed = true;
                }
            }
            if !changed {
                return Ok(());
            }
        }
    }

    /// Statements checking `value` (a `&T` for the member's target) at `path` (a `Path`).
    /// `label`: `Some(greedy)` for `@httpLabel` strings of an input.
    fn value_checks(
        &mut self,
        member: &Member,
        label: Option<bool>,
        boxed: bool,
    ) -> Result<TokenStream> {
        let target = self.shape(&member.target)?;
        let mut out = Vec::new();
        let length = length_of(member, target);
        match target.ty {
            ShapeType::String => {
                if let Some(greedy) = label {
                    out.push(quote!(out.label(&path, value, #greedy);));
                }
                if let Some(LengthTrait { min, max }) = length {
                    let (min, max) = (opt_u64(min), opt_u64(max));
                    out.push(quote!(out.string_length(&path, value, #min, #max);));
                }
                if let Some(pattern) = pattern_of(member, target)
                    .filter(|p| crate::validate::patterns::is_supported(p))
                {
                    let ident = self.patterns.ident(pattern);
                    out.push(quote! {
                        out.pattern(&path, #ident.is_match(value), #pattern);
                    });
                }
            }
            // An enum's `@length` and `@pattern` (Smithy 1.0 strings with `@enum`) hold for
            // its wire value.
            ShapeType::Enum => {
                if let Some(LengthTrait { min, max }) = length {
                    let (min, max) = (opt_u64(min), opt_u64(max));
                    out.push(quote!(out.string_length(&path, value.as_str(), #min, #max);));
                }
                if let Some(pattern) = pattern_of(member, target)
                    .filter(|p| crate::validate::patterns::is_supported(p))
                {
                    let ident = self.patterns.ident(pattern);
                    out.push(quote! {
                        out.pattern(&path, #ident.is_match(value.as_str()), #pattern);
                    });
                }
            }
            ShapeType::Blob => {
                if let Some(LengthTrait { min, max }) = length {
                    let (min, max) = (opt_u64(min), opt_u64(max));
                    out.push(quote! {
                        out.length(&path, value.len(), #min, #max, crate::rt::validate::LengthUnit::Bytes);
                    });
                }
            }
            ShapeType::Byte
            | ShapeType::Short
            | ShapeType::Integer
            | ShapeType::Long
            | ShapeType::Float
            | ShapeType::Double => {
                if let Some(range) = range_of(member, target) {
                    let integral_bounds = [&range.min, &range.max]
                        .into_iter()
                        .flatten()
                        .all(|n| int_bound(n).is_some());
                    let is_int = !matches!(target.ty, ShapeType::Float | ShapeType::Double);
                    if is_int && integral_bounds {
                        let min = opt_i128(range.min.as_ref().and_then(int_bound));
                        let max = opt_i128(range.max.as_ref().and_then(int_bound));
                        out.push(quote!(out.range_int(&path, i128::from(*value), #min, #max);));
                    } else {
                        let min = opt_f64(range.min.as_ref().and_then(|n| n.as_f64()));
                        let max = opt_f64(range.max.as_ref().and_then(|n| n.as_f64()));
                        let actual = match target.ty {
                            ShapeType::Double => quote!(*value),
                            ShapeType::Float
                            | ShapeType::Byte
                            | ShapeType::Short
                            | ShapeType::Integer => {
                                quote!(f64::from(*value))
                            }
                            _ => quote!(*value as f64),
                        };
                        out.push(quote!(out.range_float(&path, #actual, #min, #max);));
                    }
                }
            }
            ShapeType::List | ShapeType::Set => {
                if let Some(LengthTrait { min, max }) = length {
                    let (min, max) = (opt_u64(min), opt_u64(max));
                    out.push(quote! {
                        out.length(&path, value.len(), #min, #max, crate::rt::validate::LengthUnit::Entries);
                    });
                }
                if let Some(item) = target.list_member() {
                    if self.value_has_checks(item)? {
                        let inner = self.value_checks(item, None, false)?;
                        let bind = if target.traits.sparse {
                            quote! {
                                let Some(value) = value else { continue };
                            }
                        } else {
                            quote!()
                        };
                        out.push(quote! {
                            for (index, value) in value.iter().enumerate() {
                                #bind
                                let path = crate::rt::validate::Path::Index(&path, index);
                                #inner
                            }
                        });
                    }
                }
            }
            ShapeType::Map => {
                if let Some(LengthTrait { min, max }) = length {
                    let (min, max) = (opt_u64(min), opt_u64(max));
                    out.push(quote! {
                        out.length(&path, value.len(), #min, #max, crate::rt::validate::LengthUnit::Entries);
                    });
                }
                if let Some((k, v)) = target.map_key_value() {
                    let key_checks = if self.value_has_checks(k)? {
                        let inner = self.value_checks(k, None, false)?;
                        Some(quote! {
                            {
                                let value = key;
                                #inner
                            }
                        })
                    } else {
                        None
                    };
                    let value_checks = if self.value_has_checks(v)? {
                        let inner = self.value_checks(v, None, false)?;
                        let bind = if target.traits.sparse {
                            quote!(if let Some(value) = value { #inner })
                        } else {
                            inner
                        };
                        Some(bind)
                    } else {
                        None
                    };
                    let key_text = if self.shape(&k.target)?.ty == ShapeType::Enum {
                        quote!(key.as_str())
                    } else {
                        quote!(key)
                    };
                    if key_checks.is_some() || value_checks.is_some() {
                        // Keys alone: `keys()` (clippy's `for_kv_map`).
                        let entries = if value_checks.is_some() {
                            quote!((key, value) in value)
                        } else {
                            quote!(key in value.keys())
                        };
                        out.push(quote! {
                            for #entries {
                                let path = crate::rt::validate::Path::Key(&path, #key_text);
                                #key_checks
                                #value_checks
                            }
                        });
                    }
                }
            }
            ShapeType::Structure | ShapeType::Union if self.needs.contains(&target.id) => {
                let v = if boxed {
                    quote!(&**value)
                } else {
                    quote!(value)
                };
                out.push(quote!(crate::rt::validate::Validate::validate(#v, &path, out);));
            }
            _ => {}
        }
        Ok(quote!(#(#out)*))
    }

    /// The checks of one structure member read from `#base.#field`, with `parent` the
    /// containing `&Path`.
    fn member_checks(
        &mut self,
        container: &Shape,
        member: &Member,
        base: &TokenStream,
        parent: &TokenStream,
        label: Option<bool>,
        filled_in: bool,
    ) -> Result<Option<TokenStream>> {
        let optional = self.ctx.symbols.is_optional(&container.id, &member.name);
        // A member a customization fills in when unset (Glacier's `accountId`) is not
        // required of the caller.
        let required = member.traits.required && optional && !filled_in;
        let has_value_checks = self.value_has_checks(member)? || label.is_some();
        if !required && !has_value_checks {
            return Ok(None);
        }
        let field = self.ctx.symbols.member_ident(&container.id, &member.name)?;
        let member_label = self.ctx.symbols.member_label(&container.id, &member.name)?;
        let boxed = self.ctx.symbols.is_boxed(&container.id, &member.name);
        let checks = if has_value_checks {
            self.value_checks(member, label, boxed)?
        } else {
            quote!()
        };
        let path = quote!(let path = crate::rt::validate::Path::Member(#parent, #member_label););
        if !has_value_checks {
            return Ok(Some(quote! {
                if #base.#field.is_none() {
                    out.required(&crate::rt::validate::Path::Member(#parent, #member_label));
                }
            }));
        }
        Ok(Some(if optional && required {
            quote! {
                {
                    #path
                    match &#base.#field {
                        Some(value) => { #checks }
                        None => out.required(&path),
                    }
                }
            }
        } else if optional {
            quote! {
                if let Some(value) = &#base.#field {
                    #path
                    #checks
                }
            }
        } else {
            quote! {
                {
                    let value = &#base.#field;
                    #path
                    #checks
                }
            }
        }))
    }

    fn validate_impl(&mut self, shape: &Shape) -> Result<TokenStream> {
        let ty = self.ctx.symbols.type_path(&shape.id)?;
        let name = self.ctx.symbols.type_name_text(&shape.id)?;
        let body = if shape.ty == ShapeType::Union {
            let mut arms = Vec::new();
            for m in &shape.members {
                if !self.value_has_checks(m)? {
                    continue;
                }
                let variant = self.ctx.symbols.variant_ident(&shape.id, &m.name)?;
                let label = self.ctx.symbols.member_label(&shape.id, &m.name)?;
                let boxed = self.ctx.symbols.is_boxed(&shape.id, &m.name);
                let checks = self.value_checks(m, None, boxed)?;
                arms.push((
                    variant,
                    quote! {
                        let path = crate::rt::validate::Path::Member(path, #label);
                        #checks
                    },
                ));
            }
            if arms.len() == 1 {
                let (variant, checks) = &arms[0];
                quote! {
                    if let Self::#variant(value) = self {
                        #checks
                    }
                }
            } else {
                let arms = arms
                    .iter()
                    .map(|(variant, checks)| quote!(Self::#variant(value) => { #checks }))
                    .collect::<Vec<_>>();
                quote! {
                    match self {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        } else {
            let mut stmts = Vec::new();
            for m in &shape.members {
                if let Some(s) =
                    self.member_checks(shape, m, &quote!(self), &quote!(path), None, false)?
                {
                    stmts.push(s);
                }
            }
            quote!(#(#stmts)*)
        };
        let doc = format!(" Checks the constraints of `{name}`'s members.");
        Ok(quote! {
            #[doc = #doc]
            impl crate::rt::validate::Validate for #ty {
                fn validate(&self, path: &crate::rt::validate::Path<'_>, out: &mut crate::rt::validate::Violations) {
                    #body
                }
            }
        })
    }
}

pub fn emit_validators(ctx: &Context<'_>) -> Result<TokenStream> {
    let mut e = Emitter {
        ctx,
        needs: BTreeSet::new(),
        patterns: Patterns::default(),
    };
    let inputs = ctx
        .closure
        .operations
        .iter()
        .map(|op| ctx.symbols.operation_input(op).cloned())
        .collect::<Result<Vec<_>>>()?;
    let roots: Vec<ShapeId> = inputs
        .iter()
        .map(|id| {
            e.shape(id).map(|s| {
                s.members
                    .iter()
                    .map(|m| m.target.clone())
                    .collect::<Vec<_>>()
            })
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    e.compute_needs(&roots)?;

    let mut functions = Vec::new();
    for (op_id, input_id) in ctx.closure.operations.iter().zip(&inputs) {
        let op = ctx.index.get(op_id)?;
        let input = e.shape(input_id)?;
        let module = ctx.symbols.operation_module(op_id)?;
        let ty = ctx.symbols.type_path(input_id)?;
        let name = ctx.symbols.type_name_text(input_id)?;
        // The input's labels (member, greedy), and the labels a customization fills in when
        // empty or unset: those are neither checked as labels nor required.
        let mut labels = Vec::new();
        let mut filled_in = Vec::new();
        if let Some(shape) = ctx.index.operation_input(op)? {
            let uri = http::operation_bindings(ctx.index, op)?.uri;
            let b = http::request_bindings(ctx.index, shape, &uri)?;
            for m in &b.members {
                match m.location {
                    Location::Label { .. } if m.target.ty != ShapeType::String => {}
                    Location::Label { .. }
                        if crate::customize::label_default(ctx.service, &m.member.name)
                            .is_some() =>
                    {
                        filled_in.push(m.member.name.clone());
                    }
                    Location::Label { greedy } => labels.push((m.member.name.clone(), greedy)),
                    _ => {}
                }
            }
        }
        let mut stmts = Vec::new();
        for m in &input.members {
            let label = labels.iter().find(|(n, _)| n == &m.name).map(|(_, g)| *g);
            let filled_in = filled_in.contains(&m.name);
            if let Some(s) =
                e.member_checks(input, m, &quote!(input), &quote!(&root), label, filled_in)?
            {
                stmts.push(s);
            }
        }
        let doc = format!(
            " Checks `{name}` against the model's constraints before `{}` is sent.",
            op_id.name
        );
        functions.push(if stmts.is_empty() {
            quote! {
                #[doc = #doc]
                pub(crate) fn #module(_input: &#ty) -> Result<(), crate::rt::validate::ValidationError> {
                    Ok(())
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                pub(crate) fn #module(input: &#ty) -> Result<(), crate::rt::validate::ValidationError> {
                    let mut violations = crate::rt::validate::Violations::new();
                    let out = &mut violations;
                    let root = crate::rt::validate::Path::Root(#name);
                    #(#stmts)*
                    violations.finish()
                }
            }
        });
    }

    let mut impls = Vec::new();
    for id in e.needs.clone() {
        let shape = e.shape(&id)?;
        impls.push(e.validate_impl(shape)?);
    }

    let statics = e.patterns.list.iter().enumerate().map(|(i, pattern)| {
        let ident = crate::naming::pattern_static(i);
        let doc = format!(
            " `@pattern` `{}` (unanchored, as Smithy defines it).",
            crate::context::doc_safe(pattern)
        );
        quote! {
            #[doc = #doc]
            static #ident: crate::rt::validate::Pattern = crate::rt::validate::Pattern::new(#pattern);
        }
    });
    let statics: Vec<TokenStream> = statics.collect();
    Ok(quote! {
        #(#statics)*
        #(#functions)*
        #(#impls)*
    })
}
