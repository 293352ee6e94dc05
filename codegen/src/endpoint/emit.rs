//! Emission: checked rules and their liveness → the statements of `resolve`.
//!
//! A sequence of rules is a sequence of blocks; consecutive plain tests of a rule become
//! one `if a && b`; a condition that binds opens `if let Some(x) = ..` or `let x = ..;`.
//! A sequence that can be exhausted ends with the "no rules matched" error; the function's
//! last rule is its tail expression.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::liveness::{liveness, Liveness};
use super::params::ParamBinding;
use super::ruleset::{ParamType, RuleSet};
use super::simplify::BoolExpr;
use super::typecheck::{
    check_rules, Binding, CheckedBody, CheckedCondition, CheckedRule, Result, Scope, Ty,
};

/// The message of the error `resolve` returns when the rules are exhausted.
pub const NO_RULES_MATCHED: &str = "no rules matched";

/// Compiles the rule set to the statements of `resolve(params: &Params)`. Returns the body
/// and whether it reads `params` at all (when not, the argument is named `_params`).
pub fn compile_body(rule_set: &RuleSet, params: &[ParamBinding]) -> Result<(TokenStream, bool)> {
    let mut scope = Scope::new();
    for (i, p) in params.iter().enumerate() {
        let base = match p.param.ty {
            ParamType::String => Ty::Str,
            ParamType::Boolean => Ty::Bool,
            ParamType::StringArray => Ty::StrArray,
        };
        let ty = if p.optional {
            Ty::Opt(Box::new(base))
        } else {
            base
        };
        // A local named `params` would shadow the argument the other locals read.
        let ident = if p.field == "params" {
            Ident::new("params_", Span::call_site())
        } else {
            p.ident()
        };
        scope.insert(
            p.param.name.clone(),
            Binding {
                id: i + 1,
                ident,
                ty,
                owned: false,
            },
        );
    }
    let rules = check_rules(&rule_set.rules, &scope, params.len())?;
    let live = liveness(&rules);
    let body = Emitter { live: &live }.sequence(&rules, true);
    let mut locals = TokenStream::new();
    for p in params {
        let b = &scope[&p.param.name];
        if !live.reads.contains(&b.id) {
            continue;
        }
        let (ident, field) = (&b.ident, p.ident());
        let value = match (p.param.ty, p.optional) {
            (ParamType::String | ParamType::StringArray, true) => quote!(params.#field.as_deref()),
            (ParamType::String, false) => quote!(params.#field.as_str()),
            (ParamType::StringArray, false) => quote!(params.#field.as_slice()),
            (ParamType::Boolean, _) => quote!(params.#field),
        };
        locals.extend(quote!(let #ident = #value;));
    }
    let reads_params = !locals.is_empty();
    Ok((quote!(#locals #body), reads_params))
}

/// A test not yet emitted, and the `let`s it needs first.
struct Pending {
    test: BoolExpr,
    lets: TokenStream,
}

struct Emitter<'a> {
    live: &'a Liveness,
}

impl<'a> Emitter<'a> {
    /// Each conditional rule is an `if` that returns; a rule that is always entered ends
    /// the sequence; otherwise the sequence ends with the "no rules matched" error.
    fn sequence(&self, rules: &'a [CheckedRule], tail: bool) -> TokenStream {
        let mut code = TokenStream::new();
        for rule in rules {
            code.extend(self.conditions(rule, 0, Vec::new(), false, tail));
            if rule.always() {
                return code;
            }
        }
        let e = quote!(Err(ResolveError::new(#NO_RULES_MATCHED)));
        code.extend(if tail { e } else { quote!(return #e;) });
        code
    }

    /// Conditions `i..` of `rule` inside `pending` plain tests (consecutive ones become
    /// one `if a && b`), then the rule's body. `conditional`: inside an `if` of the rule.
    fn conditions(
        &self,
        rule: &'a CheckedRule,
        i: usize,
        mut pending: Vec<Pending>,
        conditional: bool,
        tail: bool,
    ) -> TokenStream {
        let Some(cond) = rule.conditions.get(i) else {
            let body_tail = tail && !conditional && pending.is_empty();
            let body = self.body(&rule.body, body_tail);
            return wrap_if(pending, body);
        };
        match cond {
            CheckedCondition::Test { test, lets, .. } => {
                pending.push(Pending {
                    test: test.clone(),
                    lets: lets.clone(),
                });
            }
            CheckedCondition::Unwrap {
                id, opener, lets, ..
            } if self.live.bound.contains(id) => {
                let rest = self.conditions(rule, i + 1, Vec::new(), true, tail);
                return wrap_if(pending, quote!(#lets #opener { #rest }));
            }
            CheckedCondition::Unwrap { test, lets, .. } => pending.push(Pending {
                test: test.clone(),
                lets: lets.clone(),
            }),
            CheckedCondition::Let {
                id,
                ident,
                value,
                test,
                lets,
                ..
            } if self.live.bound.contains(id) => {
                // A boolean must hold: `if x` (merged with what follows).
                let inner = match test {
                    Some(_) => vec![Pending {
                        test: BoolExpr::Atom(quote!(#ident)),
                        lets: TokenStream::new(),
                    }],
                    None => Vec::new(),
                };
                let inner_conditional = conditional || !pending.is_empty();
                let rest = self.conditions(rule, i + 1, inner, inner_conditional, tail);
                return wrap_if(pending, quote!(#lets let #ident = #value; #rest));
            }
            // Not read afterwards: a boolean is a plain test, anything else is dropped.
            CheckedCondition::Let { test, lets, .. } => {
                if let Some(test) = test {
                    pending.push(Pending {
                        test: test.clone(),
                        lets: lets.clone(),
                    });
                }
            }
        }
        self.conditions(rule, i + 1, pending, conditional, tail)
    }

    fn body(&self, body: &'a CheckedBody, tail: bool) -> TokenStream {
        match body {
            CheckedBody::Tree(rules) => self.sequence(rules, tail),
            CheckedBody::Value { value, lets, .. } if tail => quote!(#lets #value),
            CheckedBody::Value { value, lets, .. } => quote!(#lets return #value;),
        }
    }
}

/// `lets if p1 && p2 { inner }`, or `inner` when nothing is pending.
fn wrap_if(pending: Vec<Pending>, inner: TokenStream) -> TokenStream {
    if pending.is_empty() {
        return inner;
    }
    // The same test twice (`booleanEquals(x, true)` after `assign: x`) is tested once.
    let mut lets = TokenStream::new();
    let mut conds: Vec<TokenStream> = Vec::new();
    let mut seen = BTreeSet::new();
    for p in pending {
        lets.extend(p.lets);
        let t = p.test.tokens();
        if seen.insert(t.to_string()) {
            conds.push(t);
        }
    }
    quote!(#lets if #(#conds)&&* { #inner })
}
