//! `Params` and `ParamsBuilder`: one field per rule-set parameter.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::ruleset::{DefaultValue, Param, ParamType, RuleSet};
use super::typecheck::{err, Result};
use crate::naming::endpoint::snake_case;

/// A parameter as the generated code sees it.
#[derive(Debug, Clone)]
pub struct ParamBinding {
    pub param: Param,
    /// The `Params` field (and builder method) name. A string, not an `Ident`, so the
    /// rules can be shared by the generator's threads.
    pub field: String,
    /// Whether the field is `Option<_>`: neither required nor defaulted.
    pub optional: bool,
}

impl ParamBinding {
    /// The field's identifier.
    pub fn ident(&self) -> Ident {
        Ident::new(&self.field, Span::call_site())
    }
}

/// Checks parameter names and computes their field names.
pub fn param_bindings(rule_set: &RuleSet) -> Result<Vec<ParamBinding>> {
    let mut out: Vec<ParamBinding> = Vec::new();
    for p in &rule_set.params {
        let field = snake_case(&p.name);
        if matches!(field.as_str(), "build" | "builder") {
            return err(
                &format!("parameters.{}", p.name),
                format!(
                    "parameter `{}` would be named `{field}`, which the builder uses",
                    p.name
                ),
            );
        }
        // `Region` and `SetRegion` would both want a `set_region` method.
        let accessor = |a: &str, b: &str| a == format!("set_{b}") || a == format!("get_{b}");
        if let Some(other) = out.iter().find(|b| {
            let other = &b.field;
            accessor(&field, other) || accessor(other, &field)
        }) {
            return err(
                &format!("parameters.{}", p.name),
                format!(
                    "parameters `{}` and `{}` would clash in the builder's `set_`/`get_` methods",
                    other.param.name, p.name
                ),
            );
        }
        if let Some(other) = out.iter().find(|b| b.field == field) {
            return err(
                &format!("parameters.{}", p.name),
                format!(
                    "parameters `{}` and `{}` would both be named `{field}`",
                    other.param.name, p.name
                ),
            );
        }
        out.push(ParamBinding {
            param: p.clone(),
            field,
            optional: !p.required && p.default.is_none(),
        });
    }
    Ok(out)
}

/// `#[doc = " line"]` attributes for a block of text.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = format!(" {}", l.trim_end());
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

fn param_doc(p: &ParamBinding) -> String {
    let param = &p.param;
    let mut doc = String::new();
    match &param.documentation {
        Some(d) if !d.trim().is_empty() => doc.push_str(d.trim()),
        _ => doc.push_str(&format!("The `{}` endpoint parameter.", param.name)),
    }
    let mut facts = vec![format!("Rule-set name: `{}`", param.name)];
    if let Some(b) = &param.built_in {
        facts.push(format!("built-in: `{b}`"));
    }
    match &param.default {
        Some(DefaultValue::Boolean(b)) => facts.push(format!("default: `{b}`")),
        Some(DefaultValue::String(s)) => facts.push(format!("default: `{s:?}`")),
        Some(DefaultValue::StringArray(a)) => facts.push(format!("default: `{a:?}`")),
        None if param.required => facts.push("required".to_string()),
        None => {}
    }
    doc.push_str(&format!("\n\n{}.", facts.join("; ")));
    if let Some((message, since)) = &param.deprecated {
        doc.push_str("\n\nDeprecated");
        if let Some(since) = since {
            doc.push_str(&format!(" since {since}"));
        }
        match message {
            Some(m) => doc.push_str(&format!(": {m}")),
            None => doc.push('.'),
        }
    }
    doc
}

fn value_type(ty: ParamType) -> TokenStream {
    match ty {
        ParamType::String => quote!(String),
        ParamType::Boolean => quote!(bool),
        ParamType::StringArray => quote!(Vec<String>),
    }
}

/// The `Params` struct, its builder and `Params::builder()`.
pub fn emit_params(params: &[ParamBinding]) -> TokenStream {
    let mut fields = Vec::new();
    let mut builder_fields = Vec::new();
    let mut setters = Vec::new();
    let mut build_fields = Vec::new();
    for p in params {
        let field = p.ident();
        let doc = doc_lines(&param_doc(p));
        let ty = value_type(p.param.ty);
        let field_ty = if p.optional {
            quote!(Option<#ty>)
        } else {
            ty.clone()
        };
        fields.push(quote!(#doc pub #field: #field_ty,));
        builder_fields.push(quote!(#field: Option<#ty>,));

        let setter = match p.param.ty {
            ParamType::String => quote! {
                #doc
                pub fn #field(mut self, value: impl Into<String>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            },
            ParamType::Boolean => quote! {
                #doc
                pub fn #field(mut self, value: bool) -> Self {
                    self.#field = Some(value);
                    self
                }
            },
            ParamType::StringArray => quote! {
                #doc
                pub fn #field(mut self, value: Vec<String>) -> Self {
                    self.#field = Some(value);
                    self
                }
            },
        };
        let set = crate::naming::endpoint::param_setter(&field.to_string());
        let get = crate::naming::endpoint::param_getter(&field.to_string());
        let set_doc = format!(" Sets or clears [`Params::{field}`].");
        let get_doc = format!(" The value of [`Params::{field}`] set so far.");
        setters.push(quote! {
            #setter
            #[doc = #set_doc]
            pub fn #set(mut self, value: Option<#ty>) -> Self {
                self.#field = value;
                self
            }
            #[doc = #get_doc]
            pub fn #get(&self) -> &Option<#ty> {
                &self.#field
            }
        });

        let value = match (&p.param.default, p.optional) {
            (_, true) => quote!(self.#field),
            (Some(DefaultValue::Boolean(b)), _) => quote!(self.#field.unwrap_or(#b)),
            (Some(DefaultValue::String(s)), _) => {
                quote!(self.#field.unwrap_or_else(|| #s.to_string()))
            }
            (Some(DefaultValue::StringArray(items)), _) => {
                quote!(self.#field.unwrap_or_else(|| vec![#(#items.to_string()),*]))
            }
            (None, false) => {
                let msg = format!(
                    "the required endpoint parameter `{}` was not set",
                    p.param.name
                );
                quote!(self.#field.ok_or_else(|| ResolveError::new(#msg))?)
            }
        };
        build_fields.push(quote!(#field: #value,));
    }
    quote! {
        /// The inputs of endpoint resolution: one field per parameter of the service's
        /// endpoint rule set. Build one with [`Params::builder`].
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        impl Params {
            /// A builder with nothing set.
            pub fn builder() -> ParamsBuilder {
                ParamsBuilder::default()
            }
        }

        /// A builder for [`Params`]; [`ParamsBuilder::build`] applies the defaults.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct ParamsBuilder {
            #(#builder_fields)*
        }

        impl ParamsBuilder {
            #(#setters)*

            /// The parameters, with defaults for those not set. Fails when a required
            /// parameter without a default is not set.
            pub fn build(self) -> Result<Params, ResolveError> {
                Ok(Params {
                    #(#build_fields)*
                })
            }
        }
    }
}
