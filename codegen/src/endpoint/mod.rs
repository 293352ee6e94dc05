//! Endpoint rules compiler: `smithy.rules#endpointRuleSet` → the generated crate's
//! `src/endpoint.rs`, and `smithy.rules#endpointTests` → its `tests/endpoint_tests.rs`.
//!
//! # What is generated
//!
//! `src/endpoint.rs` holds `Params` (one field per rule-set parameter, named in snake case
//! by [`crate::naming::endpoint::snake_case`]; a parameter that is required or has a default is a plain
//! `bool` / `String` / `Vec<String>`, any other is an `Option`), `ParamsBuilder`
//! (`Params::builder()...build()`, which applies defaults and fails on a missing required
//! parameter), and
//!
//! ```text
//! pub fn resolve(params: &Params) -> Result<Endpoint, ResolveError>
//! ```
//!
//! where `Endpoint` and `ResolveError` are re-exported from the runtime
//! (`crate::rt::endpoint`), which also holds the function library the code calls
//! (`parse_url`, `partition`, `substring`, ...). There is no interpreter: the rule tree is
//! compiled to straight-line Rust.
//!
//! # The compilation scheme
//!
//! 1. `ruleset` reads the trait JSON into a typed AST (parameters, rules, conditions,
//!    expressions, templates), rejecting structural errors with their JSON path.
//! 2. `typecheck` checks the rules and lowers expressions (folding through `simplify`),
//!    `liveness` decides once what is bound, `emit` writes the statements. Every name in
//!    scope has a Rust local and a type (`bool`, string, URL, partition, ARN, string array,
//!    or an `Option` of one). Parameters the emitted code reads are bound at the top
//!    (`let region = params.region.as_deref();`).
//! 3. A list of rules becomes a sequence of blocks. A rule's conditions, in order, become:
//!    - consecutive plain boolean tests → one `if a && b {` (never nested plain `if`s);
//!    - `isSet(Ref)` of an optional → `if let Some(region) = region {`: the name is
//!      shadowed by the unwrapped value, which is how "guarded by `isSet`" is expressed
//!      (when nothing later reads it, just `region.is_some()`);
//!    - `assign` of an optional result (`aws.partition`, `parseURL`, `substring`, ...) →
//!      `if let Some(partition_result) = crate::rt::endpoint::partition::partition(region) {`;
//!    - `assign` of a value that is always present → `let x = ...;` (then `if x` for a
//!      boolean);
//!    - conditions known at compile time (`isSet` of a required parameter, `not` of it,
//!      `booleanEquals(true, true)`) fold away; a constantly false condition drops the rule.
//!
//!    `booleanEquals(x, true)` is `x`, `booleanEquals(x, false)` is `!x`, `not` flips a
//!    comparison or `is_some`, `stringEquals` is `==` (`is_empty()` against `""`),
//!    `getAttr` is field access (`partition_result.dns_suffix`, `url.normalized_path`) or
//!    `.get(i).map(String::as_str)` for `name[i]`. An optional parameter compared without
//!    an `isSet` guard compares as `region == Some("us-east-1")` (unset never matches).
//! 4. Bodies: an endpoint rule → `return Ok(Endpoint::new(url).with_header(..)
//!    .with_property(.., serde_json::json!(..)));`, an error rule →
//!    `return Err(ResolveError::new(msg));`, a tree rule → its rules, nested. Templates
//!    become a literal, the single referenced value, or `format!` with plain locals inlined
//!    (`format!("https://apigateway.{region}.{}", partition_result.dns_suffix)`).
//! 5. A tree whose rules can all fail ends with `return Err(ResolveError::new("no rules
//!    matched"))`, as the specification requires of exhausted trees. A rule without runtime
//!    conditions ends its sequence (later rules are unreachable and are only checked). The
//!    function's last rule is emitted as the tail expression, so there is no `return` in
//!    tail position.
//!
//! The result is warning-free and clippy-clean without `allow`s: every local is bound only
//! when read (usage is tracked per binding through the walk), there are no `== true`
//! comparisons, no collapsible `if`s, no needless `return`s and no unreachable code.
//!
//! # Errors
//!
//! An invalid rule set (unknown function, wrong argument count, a reference to an
//! undefined parameter or variable, a missing `type`, a type mismatch such as
//! `stringEquals` on a boolean or `getAttr` on an unguarded optional) is a
//! [`CodegenError`] naming the service shape, its file, the trait and the JSON path
//! (`rules[1].rules[0].conditions[0]`), never a panic.

mod cases;
mod context_path;
mod emit;
mod liveness;
mod operation;
mod params;
pub mod partitions;
mod ruleset;
mod simplify;
mod typecheck;

#[cfg(test)]
mod tests;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::error::{CodegenError, Result};
use crate::model::Shape;

pub use emit::NO_RULES_MATCHED;
pub use ruleset::ParamType;

/// The trait holding the rule set.
pub const RULE_SET_TRAIT: &str = "smithy.rules#endpointRuleSet";
/// The trait holding the test cases.
pub const TESTS_TRAIT: &str = "smithy.rules#endpointTests";

/// One rule-set parameter as the generated `Params` exposes it: for wiring configuration
/// (built-ins such as `AWS::Region`) into `Params::builder()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointParam {
    /// The rule-set name (`UseFIPS`).
    pub name: String,
    /// The `Params` field and builder method (`use_fips`).
    pub field: String,
    pub ty: ParamType,
    /// `builtIn` (`AWS::Region`, `AWS::UseFIPS`, `SDK::Endpoint`, ...).
    pub built_in: Option<String>,
    /// Whether the field is an `Option` (neither required nor defaulted).
    pub optional: bool,
}

/// The trait declaring the service's client context parameters (configuration settings).
pub const CLIENT_CONTEXT_PARAMS_TRAIT: &str = "smithy.rules#clientContextParams";

/// A `smithy.rules#clientContextParams` entry: a setting of the service's `Config` that
/// feeds the endpoint parameter of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientContextParam {
    /// The parameter name (`ForcePathStyle`).
    pub name: String,
    /// The `Config`/`ConfigBuilder` field and methods, and the `Params` field (`force_path_style`).
    pub field: String,
    pub ty: ParamType,
    pub documentation: Option<String>,
}

/// The service's client context parameters, each checked against the rule set (it must
/// be a parameter of the same type).
pub fn client_context_params(service: &Shape) -> Result<Vec<ClientContextParam>> {
    client_context_params_of(service, &EndpointRules::prepare(service)?)
}

/// [`client_context_params`] with the rule set already prepared.
pub fn client_context_params_of(
    service: &Shape,
    rules: &EndpointRules,
) -> Result<Vec<ClientContextParam>> {
    let Some(value) = service.traits.other(CLIENT_CONTEXT_PARAMS_TRAIT) else {
        return Ok(Vec::new());
    };
    let Some(entries) = value.as_object() else {
        return Err(error(
            service,
            CLIENT_CONTEXT_PARAMS_TRAIT,
            "",
            "expected a JSON object",
        ));
    };
    let params = rules.params();
    let mut out = Vec::new();
    for (name, spec) in entries {
        let path = name.as_str();
        let ty = match spec
            .get("type")
            .and_then(|t| t.as_str())
            .map(str::to_ascii_lowercase)
        {
            Some(t) if t == "string" => ParamType::String,
            Some(t) if t == "boolean" => ParamType::Boolean,
            Some(t) if t == "stringarray" => ParamType::StringArray,
            _ => {
                return Err(error(
                    service,
                    CLIENT_CONTEXT_PARAMS_TRAIT,
                    path,
                    "`type` must be `string`, `boolean` or `stringArray`",
                ))
            }
        };
        let Some(p) = params.iter().find(|p| p.name == *name) else {
            return Err(error(
                service,
                CLIENT_CONTEXT_PARAMS_TRAIT,
                path,
                "not a parameter of the endpoint rule set",
            ));
        };
        if p.ty != ty {
            return Err(error(
                service,
                CLIENT_CONTEXT_PARAMS_TRAIT,
                path,
                &format!(
                    "a {} here but a {} in the rule set",
                    ty.as_str(),
                    p.ty.as_str()
                ),
            ));
        }
        out.push(ClientContextParam {
            name: name.clone(),
            field: p.field.clone(),
            ty,
            documentation: spec
                .get("documentation")
                .and_then(|d| d.as_str())
                .map(str::to_owned),
        });
    }
    Ok(out)
}

/// The operation's `resolve_endpoint` (for its `rt::orchestrator::Operation` impl), when it
/// sets endpoint parameters of its own (`staticContextParams`, `contextParam`,
/// `operationContextParams`); `None` otherwise, and for a service without a rule set.
pub fn emit_operation_endpoint(
    ctx: &crate::context::Context,
    op: &crate::model::ShapeId,
) -> Result<Option<TokenStream>> {
    let Some((_, bindings)) = &ctx.endpoint.prepared else {
        return Ok(None);
    };
    operation::emit_resolve_endpoint(ctx, op, bindings)
}

/// The contents of the generated crate's `src/endpoint.rs` (without `//!` docs).
pub fn emit_resolver(ctx: &crate::context::Context) -> Result<TokenStream> {
    resolver_from(ctx.service, ctx.endpoint)
}

/// The contents of the generated crate's `tests/endpoint_tests.rs` (without `//!` docs),
/// or `None` when the service has no `smithy.rules#endpointTests` (or it has no cases).
pub fn emit_tests(ctx: &crate::context::Context) -> Result<Option<TokenStream>> {
    tests_from(ctx.service, ctx.endpoint, ctx.crate_name)
}

fn error(service: &Shape, trait_id: &str, path: &str, message: &str) -> CodegenError {
    let message = if path.is_empty() {
        format!("{trait_id}: {message}")
    } else {
        format!("{trait_id}: {path}: {message}")
    };
    CodegenError::new(message)
        .at_shape(&service.id)
        .in_file(&service.source)
}

fn rule_set(service: &Shape) -> Result<Option<ruleset::RuleSet>> {
    let Some(value) = service.traits.other(RULE_SET_TRAIT) else {
        return Ok(None);
    };
    ruleset::parse_rule_set(value)
        .map(Some)
        .map_err(|e| error(service, RULE_SET_TRAIT, &e.path, &e.message))
}

/// The rule set of a service whose model has none: the `SDK::Endpoint` built-in (the
/// configured endpoint URL) when set, else an error asking for one.
fn without_rule_set(service: &Shape) -> Result<ruleset::RuleSet> {
    let message = format!(
        "the service `{}` has no endpoint rule set; configure an endpoint URL",
        service.id
    );
    let value = serde_json::json!({
        "version": "1.0",
        "parameters": {
            "Endpoint": {
                "type": "String",
                "builtIn": "SDK::Endpoint",
                "required": false,
                "documentation": "The endpoint URL configured for the client."
            }
        },
        "rules": [
            {
                "type": "endpoint",
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                "endpoint": {"url": {"ref": "Endpoint"}}
            },
            {"type": "error", "conditions": [], "error": message}
        ]
    });
    ruleset::parse_rule_set(&value).map_err(|e| error(service, RULE_SET_TRAIT, &e.path, &e.message))
}

fn bindings(service: &Shape, rs: &ruleset::RuleSet) -> Result<Vec<params::ParamBinding>> {
    params::param_bindings(rs).map_err(|e| error(service, RULE_SET_TRAIT, &e.path, &e.message))
}

/// The service's rule set, parsed once per generation (`pipeline` prepares it and every
/// emitter reads it through `Context::endpoint`), with its parameters' Rust names.
#[derive(Debug, Clone)]
pub struct EndpointRules {
    prepared: Option<(ruleset::RuleSet, Vec<params::ParamBinding>)>,
}

impl EndpointRules {
    /// Parses the service's `smithy.rules#endpointRuleSet`; a service without one gets
    /// the rule set that takes the configured endpoint URL (`without_rule_set`).
    pub fn prepare(service: &Shape) -> Result<EndpointRules> {
        let rs = match rule_set(service)? {
            Some(rs) => rs,
            None => without_rule_set(service)?,
        };
        let b = bindings(service, &rs)?;
        Ok(EndpointRules {
            prepared: Some((rs, b)),
        })
    }

    /// The endpoint parameters.
    pub fn params(&self) -> Vec<EndpointParam> {
        let Some((_, bindings)) = &self.prepared else {
            return Vec::new();
        };
        bindings
            .iter()
            .map(|b| EndpointParam {
                name: b.param.name.clone(),
                field: b.field.clone(),
                ty: b.param.ty,
                built_in: b.param.built_in.clone(),
                optional: b.optional,
            })
            .collect()
    }
}

/// The service's endpoint parameters (`Endpoint` alone without a rule set).
pub fn endpoint_params(service: &Shape) -> Result<Vec<EndpointParam>> {
    Ok(EndpointRules::prepare(service)?.params())
}

/// [`emit_resolver`] for a service shape. A service without a rule set gets
/// [`without_rule_set`]'s: the configured endpoint URL, else an error.
pub fn resolver_for(service: &Shape) -> Result<TokenStream> {
    resolver_from(service, &EndpointRules::prepare(service)?)
}

fn resolver_from(service: &Shape, rules: &EndpointRules) -> Result<TokenStream> {
    // The file's `//!` docs are the caller's (`layout`).
    let header = quote! {
        pub use crate::rt::endpoint::{Endpoint, ResolveError};
    };
    let Some((rs, bindings)) = &rules.prepared else {
        let params = params::emit_params(&[]);
        let message = format!(
            "the service `{}` has no endpoint rule set; configure an endpoint URL",
            service.id
        );
        return Ok(quote! {
            #header
            #params

            /// Always fails: the service model has no endpoint rule set.
            pub fn resolve(_params: &Params) -> Result<Endpoint, ResolveError> {
                Err(ResolveError::new(#message))
            }
        });
    };
    let (body, reads_params) = emit::compile_body(rs, bindings)
        .map_err(|e| error(service, RULE_SET_TRAIT, &e.path, &e.message))?;
    let params = params::emit_params(bindings);
    let arg = if reads_params {
        quote!(params)
    } else {
        quote!(_params)
    };
    Ok(quote! {
        #header
        #params

        /// Resolves the endpoint for `params` by the service's endpoint rule set.
        ///
        /// Fails with the rule set's own message (for example an unsupported combination
        /// of FIPS and dual-stack), or with `"no rules matched"` when no rule applies.
        pub fn resolve(#arg: &Params) -> Result<Endpoint, ResolveError> {
            #body
        }
    })
}

/// [`emit_tests`] for a service shape and the generated package's name.
pub fn tests_for(service: &Shape, crate_name: &str) -> Result<Option<TokenStream>> {
    tests_from(service, &EndpointRules::prepare(service)?, crate_name)
}

fn tests_from(
    service: &Shape,
    rules: &EndpointRules,
    crate_name: &str,
) -> Result<Option<TokenStream>> {
    let Some(value) = service.traits.other(TESTS_TRAIT) else {
        return Ok(None);
    };
    let cases = ruleset::parse_tests(value)
        .map_err(|e| error(service, TESTS_TRAIT, &e.path, &e.message))?;
    if cases.is_empty() {
        return Ok(None);
    }
    let Some((_, bindings)) = &rules.prepared else {
        return Err(error(
            service,
            TESTS_TRAIT,
            "",
            "the service has endpoint tests but no `smithy.rules#endpointRuleSet`",
        ));
    };
    let crate_ident = Ident::new(&crate_name.replace('-', "_"), Span::call_site());
    cases::emit_cases(&cases, bindings, &crate_ident)
        .map(Some)
        .map_err(|e| error(service, TESTS_TRAIT, &e.path, &e.message))
}
