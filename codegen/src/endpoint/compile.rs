//! The rule tree → the body of `resolve`: type checking and code emission in one walk.
//! See the module documentation of `endpoint` for the scheme.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::ruleset::{
    Call, Condition, EndpointDef, Expr, Param, ParamType, Piece, Prop, Rule, RuleBody, RuleSet,
};
use crate::naming::endpoint::snake_case;

/// The message of the error `resolve` returns when the rules are exhausted.
pub const NO_RULES_MATCHED: &str = "no rules matched";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub path: String,
    pub message: String,
}

type Result<T> = std::result::Result<T, CompileError>;

fn err<T>(path: &str, message: impl Into<String>) -> Result<T> {
    Err(CompileError {
        path: path.to_string(),
        message: message.into(),
    })
}

/// The rules engine's types, as far as the compiler distinguishes them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ty {
    Bool,
    Str,
    Int,
    Url,
    Partition,
    Arn,
    StrArray,
    Opt(Box<Ty>),
}

impl Ty {
    fn describe(&self) -> String {
        match self {
            Ty::Bool => "a boolean".into(),
            Ty::Str => "a string".into(),
            Ty::Int => "an integer".into(),
            Ty::Url => "a URL".into(),
            Ty::Partition => "a partition".into(),
            Ty::Arn => "an ARN".into(),
            Ty::StrArray => "a string array".into(),
            Ty::Opt(inner) => format!("an optional value ({})", inner.describe()),
        }
    }
}

/// A name in scope: a parameter's local, a narrowed parameter, or an `assign`ed variable.
#[derive(Debug, Clone)]
struct Binding {
    id: usize,
    ident: Ident,
    ty: Ty,
    /// For strings (and optional strings): the Rust value is `String` rather than `&str`.
    owned: bool,
}

/// Rule-set name → binding. Cloned per condition: scopes follow the rule nesting.
type Scope = BTreeMap<String, Binding>;

/// A boolean expression, kept structured so `!` and `== true` simplify away.
#[derive(Debug, Clone)]
enum B {
    Const(bool),
    /// An identifier, field access or call.
    Atom(TokenStream),
    /// `!atom`.
    Not(TokenStream),
    /// `a == b` (true) or `a != b` (false).
    Cmp(TokenStream, TokenStream, bool),
    /// `x.is_some()` (true) or `x.is_none()` (false).
    IsSome(TokenStream, bool),
}

impl B {
    fn negate(self) -> B {
        match self {
            B::Const(b) => B::Const(!b),
            B::Atom(t) => B::Not(t),
            B::Not(t) => B::Atom(t),
            B::Cmp(a, b, eq) => B::Cmp(a, b, !eq),
            B::IsSome(t, some) => B::IsSome(t, !some),
        }
    }

    fn tokens(&self) -> TokenStream {
        match self {
            B::Const(true) => quote!(true),
            B::Const(false) => quote!(false),
            B::Atom(t) => t.clone(),
            B::Not(t) => quote!(!#t),
            B::Cmp(a, b, true) => quote!(#a == #b),
            B::Cmp(a, b, false) => quote!(#a != #b),
            B::IsSome(t, true) => quote!(#t.is_some()),
            B::IsSome(t, false) => quote!(#t.is_none()),
        }
    }

    /// As an operand of `==`.
    fn operand(&self) -> TokenStream {
        let t = self.tokens();
        match self {
            B::Cmp(..) => quote!((#t)),
            _ => t,
        }
    }
}

/// A string expression, by how it may be used without moving or cloning needlessly.
#[derive(Debug, Clone)]
enum S {
    Lit(String),
    /// A local (`&str`, or `String` when owned); inlined into format strings.
    Ident(Ident, bool),
    /// A field (`&'static str`, or `String` when owned).
    Place(TokenStream, bool),
    /// A temporary `String` (`format!(..)`, `uri_encode(..)`).
    Temp(TokenStream),
}

impl S {
    /// An `&str` argument.
    fn arg(&self) -> TokenStream {
        match self {
            S::Lit(s) => quote!(#s),
            S::Ident(i, false) => quote!(#i),
            S::Ident(i, true) => quote!(&#i),
            S::Place(t, false) => t.clone(),
            S::Place(t, true) | S::Temp(t) => quote!(&#t),
        }
    }

    /// An operand of `==` (`&str` and `String` compare with each other directly).
    fn operand(&self) -> TokenStream {
        match self {
            S::Lit(s) => quote!(#s),
            S::Ident(i, _) => quote!(#i),
            S::Place(t, _) | S::Temp(t) => t.clone(),
        }
    }

    /// An `impl Into<String>` argument.
    fn string_arg(&self) -> TokenStream {
        match self {
            S::Lit(s) => quote!(#s),
            S::Ident(i, false) => quote!(#i),
            S::Ident(i, true) => quote!(#i.clone()),
            S::Place(t, false) | S::Temp(t) => t.clone(),
            S::Place(t, true) => quote!(#t.clone()),
        }
    }

    /// An `&str` value inside `Some(..)`.
    fn borrowed(&self) -> TokenStream {
        match self {
            S::Lit(s) => quote!(#s),
            S::Ident(i, false) => quote!(#i),
            S::Ident(i, true) => quote!(#i.as_str()),
            S::Place(t, false) => t.clone(),
            S::Place(t, true) | S::Temp(t) => quote!(#t.as_str()),
        }
    }

    /// A value for `serde_json::json!`.
    fn json_value(&self) -> TokenStream {
        match self {
            S::Lit(s) => quote!(#s),
            S::Ident(i, _) => quote!(#i),
            S::Place(t, _) | S::Temp(t) => quote!((#t)),
        }
    }
}

#[derive(Debug, Clone)]
enum Code {
    B(B),
    S(S),
    /// Any other value: an `Option`, a URL/ARN/partition, a string array, an integer.
    Other(TokenStream),
}

#[derive(Debug, Clone)]
struct Val {
    ty: Ty,
    code: Code,
    /// Strings and optional strings: `String` rather than `&str`.
    owned: bool,
    /// The bindings this expression reads.
    uses: BTreeSet<usize>,
}

impl Val {
    fn other(&self) -> TokenStream {
        match &self.code {
            Code::Other(t) => t.clone(),
            Code::B(b) => b.tokens(),
            Code::S(s) => s.operand(),
        }
    }
}

/// Emitted statements and the bindings they read.
struct Emitted {
    code: TokenStream,
    uses: BTreeSet<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// A condition is constantly false: the rule is dropped.
    Never,
    /// Entered only when its conditions hold.
    Conditional,
    /// Always entered (no runtime condition): the rules after it are unreachable.
    Always,
}

struct RuleOut {
    code: TokenStream,
    uses: BTreeSet<usize>,
    reach: Reach,
}

/// A parameter as the generated code sees it.
#[derive(Debug, Clone)]
pub struct ParamBinding {
    pub param: Param,
    /// The `Params` field (and builder method) name.
    pub field: Ident,
    /// Whether the field is `Option<_>`: neither required nor defaulted.
    pub optional: bool,
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
            let other = b.field.to_string();
            accessor(&field, &other) || accessor(&other, &field)
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
            field: Ident::new(&field, Span::call_site()),
            optional: !p.required && p.default.is_none(),
        });
    }
    Ok(out)
}

/// Compiles the rule set to the statements of `resolve(params: &Params)`. Returns the body
/// and whether it reads `params` at all (when not, the argument is named `_params`).
pub fn compile_body(rule_set: &RuleSet, params: &[ParamBinding]) -> Result<(TokenStream, bool)> {
    let mut c = Compiler { next_id: 0 };
    let mut scope = Scope::new();
    for p in params {
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
            p.field.clone()
        };
        let id = c.fresh();
        scope.insert(
            p.param.name.clone(),
            Binding {
                id,
                ident,
                ty,
                owned: false,
            },
        );
    }
    let body = c.rules(&rule_set.rules, &scope, true)?;
    let mut locals = TokenStream::new();
    for p in params {
        let b = &scope[&p.param.name];
        if !body.uses.contains(&b.id) {
            continue;
        }
        let (ident, field) = (&b.ident, &p.field);
        let value = match (p.param.ty, p.optional) {
            (ParamType::String | ParamType::StringArray, true) => quote!(params.#field.as_deref()),
            (ParamType::String, false) => quote!(params.#field.as_str()),
            (ParamType::StringArray, false) => quote!(params.#field.as_slice()),
            (ParamType::Boolean, _) => quote!(params.#field),
        };
        locals.extend(quote!(let #ident = #value;));
    }
    let reads_params = !locals.is_empty();
    let code = body.code;
    Ok((quote!(#locals #code), reads_params))
}

struct Compiler {
    next_id: usize,
}

const FUNCTIONS: &str = "isSet, not, booleanEquals, stringEquals, getAttr, parseURL, substring, \
                         uriEncode, isValidHostLabel, coalesce, ite, split, aws.partition, \
                         aws.parseArn, aws.isVirtualHostableS3Bucket";

impl Compiler {
    fn fresh(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// A sequence of rules: each conditional rule is an `if` that returns; an unconditional
    /// rule ends the sequence; otherwise the sequence ends with the "no rules matched" error.
    fn rules(&mut self, rules: &[Rule], scope: &Scope, tail: bool) -> Result<Emitted> {
        let mut code = TokenStream::new();
        let mut uses = BTreeSet::new();
        let mut ended = false;
        for rule in rules {
            if ended {
                // Unreachable: checked for errors, not emitted.
                self.rule(rule, scope, false)?;
                continue;
            }
            // Compiled in tail mode directly: only a rule without runtime conditions (which
            // then ends the sequence) emits its body as the tail expression.
            let out = self.rule(rule, scope, tail)?;
            match out.reach {
                Reach::Never => continue,
                Reach::Conditional => {}
                Reach::Always => ended = true,
            }
            code.extend(out.code);
            uses.extend(out.uses);
        }
        if !ended {
            let e = quote!(Err(ResolveError::new(#NO_RULES_MATCHED)));
            code.extend(if tail { e } else { quote!(return #e;) });
        }
        Ok(Emitted { code, uses })
    }

    fn rule(&mut self, rule: &Rule, scope: &Scope, tail: bool) -> Result<RuleOut> {
        self.conditions(rule, 0, scope, Vec::new(), false, tail)
    }

    /// Conditions `i..` of `rule`, with `pending` plain boolean conditions not yet emitted
    /// (consecutive ones become one `if a && b`), then the rule's body.
    fn conditions(
        &mut self,
        rule: &Rule,
        i: usize,
        scope: &Scope,
        pending: Vec<(B, BTreeSet<usize>)>,
        conditional: bool,
        tail: bool,
    ) -> Result<RuleOut> {
        let Some(cond) = rule.conditions.get(i) else {
            let wrapped = !pending.is_empty();
            let body = self.body(&rule.body, scope, tail && !conditional && !wrapped)?;
            let reach = if conditional || wrapped {
                Reach::Conditional
            } else {
                Reach::Always
            };
            let (code, uses) = wrap_if(pending, body.code, body.uses);
            return Ok(RuleOut { code, uses, reach });
        };
        let used_later = || {
            let mut names = BTreeSet::new();
            for c in &rule.conditions[i + 1..] {
                refs_in_call(&c.call, &mut names);
            }
            refs_in_body(&rule.body, &mut names);
            names
        };

        // `isSet(ref)` of an optional: narrows the name to the unwrapped value.
        if let (None, "isSet", [Expr::Ref(name)]) = (
            &cond.assign,
            cond.call.name.as_str(),
            cond.call.args.as_slice(),
        ) {
            let Some(b) = scope.get(name) else {
                return err(&cond.path, undefined(name));
            };
            match &b.ty {
                Ty::Opt(inner) => {
                    let narrowed = Binding {
                        id: self.fresh(),
                        ident: b.ident.clone(),
                        ty: (**inner).clone(),
                        owned: b.owned,
                    };
                    let mut inner_scope = scope.clone();
                    inner_scope.insert(name.clone(), narrowed.clone());
                    let ident = &b.ident;
                    return self.bind_or_test(
                        rule,
                        i,
                        &inner_scope,
                        pending,
                        conditional,
                        tail,
                        used_later().contains(name),
                        narrowed.id,
                        quote!(if let Some(#ident) = #ident),
                        (B::IsSome(quote!(#ident), true), BTreeSet::from([b.id])),
                    );
                }
                // Always set: nothing to test.
                _ => return self.conditions(rule, i + 1, scope, pending, conditional, tail),
            }
        }

        let v = self.call(&cond.call, scope)?;
        let expr = v.other();
        let test = match &v.code {
            Code::B(b) => Some(b.clone()),
            _ => None,
        };
        if let Some(B::Const(false)) = test {
            return Ok(never());
        }
        let Some(name) = &cond.assign else {
            let mut pending = pending;
            match (&v.ty, test) {
                (_, Some(B::Const(true))) => {}
                (Ty::Bool, Some(b)) => pending.push((b, v.uses)),
                (Ty::Opt(_), _) => pending.push((B::IsSome(expr, true), v.uses)),
                // A value that is always present: the condition always holds.
                _ => {}
            }
            return self.conditions(rule, i + 1, scope, pending, conditional, tail);
        };

        check_new_name(scope, name, &cond.path)?;
        let ident = unique_ident(scope, name);
        let used = used_later().contains(name);
        // A field (`url.path`, `arn.resource_id`) is bound by borrowing, not moved out.
        let (ty, owned, let_expr) = match (&v.ty, &v.code) {
            (Ty::Opt(inner), _) => ((**inner).clone(), v.owned, expr.clone()),
            (Ty::Str, Code::S(S::Place(t, true))) => (Ty::Str, false, quote!(#t.as_str())),
            (Ty::StrArray, Code::Other(t)) if v.owned => {
                (Ty::StrArray, false, quote!(#t.as_slice()))
            }
            (ty, _) => (ty.clone(), v.owned, expr.clone()),
        };
        let binding = Binding {
            id: self.fresh(),
            ident: ident.clone(),
            ty,
            owned,
        };
        let mut inner_scope = scope.clone();
        inner_scope.insert(name.clone(), binding.clone());
        if let Ty::Opt(_) = v.ty {
            return self.bind_or_test(
                rule,
                i,
                &inner_scope,
                pending,
                conditional,
                tail,
                used,
                binding.id,
                quote!(if let Some(#ident) = #expr),
                (B::IsSome(expr.clone(), true), v.uses.clone()),
            );
        }
        // A value that is always present: `let x = expr;` inside the pending `if`, then
        // `if x` when it is a boolean (which must hold).
        let is_test = v.ty == Ty::Bool && !matches!(test, Some(B::Const(true)));
        if used {
            let inner_pending = if is_test {
                vec![(B::Atom(quote!(#ident)), BTreeSet::from([binding.id]))]
            } else {
                Vec::new()
            };
            let inner_conditional = conditional || !pending.is_empty();
            let rest = self.conditions(
                rule,
                i + 1,
                &inner_scope,
                inner_pending,
                inner_conditional,
                tail,
            )?;
            if rest.reach == Reach::Never {
                return Ok(rest);
            }
            if rest.uses.contains(&binding.id) {
                let mut uses = rest.uses;
                uses.remove(&binding.id);
                uses.extend(v.uses.iter().copied());
                let rest_code = rest.code;
                let (code, uses) =
                    wrap_if(pending, quote!(let #ident = #let_expr; #rest_code), uses);
                return Ok(RuleOut {
                    code,
                    uses,
                    reach: rest.reach,
                });
            }
        }
        // Not read afterwards: a boolean is a plain test, anything else is dropped.
        let mut pending = pending;
        if let (true, Some(b)) = (is_test, test) {
            pending.push((b, v.uses));
        }
        self.conditions(rule, i + 1, &inner_scope, pending, conditional, tail)
    }

    /// Either `OPENER { rest }` binding `id` (when the rest reads it), or the plain test
    /// `fallback` merged into the pending `if`.
    #[allow(clippy::too_many_arguments)]
    fn bind_or_test(
        &mut self,
        rule: &Rule,
        i: usize,
        inner_scope: &Scope,
        pending: Vec<(B, BTreeSet<usize>)>,
        conditional: bool,
        tail: bool,
        used_later: bool,
        id: usize,
        opener: TokenStream,
        fallback: (B, BTreeSet<usize>),
    ) -> Result<RuleOut> {
        if used_later {
            let rest = self.conditions(rule, i + 1, inner_scope, Vec::new(), true, tail)?;
            if rest.reach == Reach::Never {
                return Ok(rest);
            }
            if rest.uses.contains(&id) {
                let mut uses = rest.uses;
                uses.remove(&id);
                uses.extend(fallback.1.iter().copied());
                let rest_code = rest.code;
                let (code, uses) = wrap_if(pending, quote!(#opener { #rest_code }), uses);
                return Ok(RuleOut {
                    code,
                    uses,
                    reach: Reach::Conditional,
                });
            }
        }
        let mut pending = pending;
        pending.push(fallback);
        self.conditions(rule, i + 1, inner_scope, pending, conditional, tail)
    }

    fn body(&mut self, body: &RuleBody, scope: &Scope, tail: bool) -> Result<Emitted> {
        let (value, uses) = match body {
            RuleBody::Tree(rules) => return self.rules(rules, scope, tail),
            RuleBody::Endpoint(def) => {
                let (e, uses) = self.endpoint(def, scope)?;
                (quote!(Ok(#e)), uses)
            }
            RuleBody::Error(expr) => {
                let v = self.expr(expr, scope, "error")?;
                let s = expect_str(&v, "error", "an error message")?;
                let msg = s.string_arg();
                (quote!(Err(ResolveError::new(#msg))), v.uses)
            }
        };
        let code = if tail { value } else { quote!(return #value;) };
        Ok(Emitted { code, uses })
    }

    fn endpoint(
        &mut self,
        def: &EndpointDef,
        scope: &Scope,
    ) -> Result<(TokenStream, BTreeSet<usize>)> {
        let url = self.expr(&def.url, scope, "endpoint.url")?;
        let mut uses = url.uses.clone();
        let url = expect_str(&url, "endpoint.url", "an endpoint URL")?.string_arg();
        let mut e = quote!(Endpoint::new(#url));
        for (name, values) in &def.headers {
            for value in values {
                let v = self.expr(value, scope, &format!("endpoint.headers.{name}"))?;
                uses.extend(v.uses.iter().copied());
                let v = expect_str(&v, &format!("endpoint.headers.{name}"), "a header value")?
                    .string_arg();
                e = quote!(#e.with_header(#name, #v));
            }
        }
        for (name, prop) in &def.properties {
            let json = self.prop(
                prop,
                scope,
                &format!("endpoint.properties.{name}"),
                &mut uses,
            )?;
            e = quote!(#e.with_property(#name, crate::rt::endpoint::serde_json::json!(#json)));
        }
        Ok((e, uses))
    }

    fn prop(
        &mut self,
        prop: &Prop,
        scope: &Scope,
        path: &str,
        uses: &mut BTreeSet<usize>,
    ) -> Result<TokenStream> {
        Ok(match prop {
            Prop::Str(pieces) => {
                let v = self.template(pieces, scope, path)?;
                uses.extend(v.uses.iter().copied());
                expect_str(&v, path, "a property string")?.json_value()
            }
            Prop::Other(value) => json_literal(value),
            Prop::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, p)| self.prop(p, scope, &format!("{path}[{i}]"), uses))
                    .collect::<Result<Vec<_>>>()?;
                quote!([#(#items),*])
            }
            Prop::Object(fields) => {
                let mut out = Vec::new();
                for (k, p) in fields {
                    let v = self.prop(p, scope, &format!("{path}.{k}"), uses)?;
                    out.push(quote!(#k: #v));
                }
                quote!({ #(#out),* })
            }
        })
    }

    fn expr(&mut self, e: &Expr, scope: &Scope, path: &str) -> Result<Val> {
        match e {
            Expr::Str(pieces) => self.template(pieces, scope, path),
            Expr::Bool(b) => Ok(bool_val(B::Const(*b), BTreeSet::new())),
            Expr::Int(i) => {
                let lit = Literal::i64_unsuffixed(*i);
                Ok(Val {
                    ty: Ty::Int,
                    code: Code::Other(quote!(#lit)),
                    owned: false,
                    uses: BTreeSet::new(),
                })
            }
            Expr::Ref(name) => reference(scope, name, path),
            Expr::Call(call) => self.call(call, scope),
        }
    }

    /// A template: a literal, a single reference, or `format!`.
    fn template(&mut self, pieces: &[Piece], scope: &Scope, path: &str) -> Result<Val> {
        let mut values = Vec::new();
        for piece in pieces {
            values.push(match piece {
                Piece::Text(_) => None,
                Piece::Ref { name, path: attr } => {
                    let base = reference(scope, name, path)?;
                    let v = match attr {
                        Some(attr) => get_attr(base, attr, path)?,
                        None => base,
                    };
                    let shown = match attr {
                        Some(a) => format!("{{{name}#{a}}}"),
                        None => format!("{{{name}}}"),
                    };
                    expect_str(&v, path, &format!("template placeholder `{shown}`"))?;
                    Some(v)
                }
            });
        }
        if let [Piece::Text(t)] = pieces {
            return Ok(str_val(S::Lit(t.clone()), false, BTreeSet::new()));
        }
        if let [Some(v)] = values.as_slice() {
            return Ok(v.clone());
        }
        let mut fmt = String::new();
        let mut args = Vec::new();
        let mut uses = BTreeSet::new();
        for (piece, value) in pieces.iter().zip(&values) {
            match (piece, value) {
                (Piece::Text(t), _) => fmt.push_str(&t.replace('{', "{{").replace('}', "}}")),
                (_, Some(v)) => {
                    uses.extend(v.uses.iter().copied());
                    match &v.code {
                        Code::S(S::Ident(i, _)) => fmt.push_str(&format!("{{{i}}}")),
                        Code::S(S::Lit(t)) => {
                            fmt.push_str(&t.replace('{', "{{").replace('}', "}}"))
                        }
                        Code::S(S::Place(t, _) | S::Temp(t)) => {
                            fmt.push_str("{}");
                            args.push(t.clone());
                        }
                        _ => return err(path, "internal: non-string template value"),
                    }
                }
                (_, None) => return err(path, "internal: template piece without value"),
            }
        }
        Ok(str_val(
            S::Temp(quote!(format!(#fmt #(, #args)*))),
            true,
            uses,
        ))
    }

    fn call(&mut self, call: &Call, scope: &Scope) -> Result<Val> {
        let path = call.path.as_str();
        let name = call.name.as_str();
        let arity = match name {
            "isSet" | "not" | "parseURL" | "uriEncode" | "aws.partition" | "aws.parseArn" => 1,
            "booleanEquals"
            | "stringEquals"
            | "getAttr"
            | "isValidHostLabel"
            | "aws.isVirtualHostableS3Bucket" => 2,
            "substring" => 4,
            "ite" | "split" => 3,
            // Variadic: two or more.
            "coalesce" => call.args.len().max(2),
            _ => {
                return err(
                    path,
                    format!("unknown function `{name}` (supported: {FUNCTIONS})"),
                )
            }
        };
        if call.args.len() != arity {
            return err(
                path,
                format!(
                    "`{name}` takes {arity} argument{}, not {}",
                    if arity == 1 { "" } else { "s" },
                    call.args.len()
                ),
            );
        }
        if name == "getAttr" {
            let base = self.expr(&call.args[0], scope, path)?;
            let attr = match &call.args[1] {
                Expr::Str(pieces) => match pieces.as_slice() {
                    [Piece::Text(t)] => t.clone(),
                    _ => return err(path, "the `getAttr` path must be a plain string"),
                },
                _ => return err(path, "the `getAttr` path must be a string literal"),
            };
            return get_attr(base, &attr, path);
        }
        let args = call
            .args
            .iter()
            .enumerate()
            .map(|(i, a)| self.expr(a, scope, &format!("{path}.argv[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        let mut uses = BTreeSet::new();
        for a in &args {
            uses.extend(a.uses.iter().copied());
        }
        let rt = quote!(crate::rt::endpoint);
        let str_arg = |i: usize| -> Result<TokenStream> {
            Ok(expect_str(&args[i], path, &format!("argument {} of `{name}`", i + 1))?.arg())
        };
        let bool_arg = |i: usize| -> Result<B> {
            match (&args[i].ty, &args[i].code) {
                (Ty::Bool, Code::B(b)) => Ok(b.clone()),
                (ty, _) => err(
                    path,
                    format!(
                        "argument {} of `{name}` must be a boolean, not {}",
                        i + 1,
                        ty.describe()
                    ),
                ),
            }
        };
        let int_arg = |i: usize| -> Result<TokenStream> {
            match (&call.args[i], &args[i].code) {
                (Expr::Int(n), Code::Other(t)) if *n >= 0 => Ok(t.clone()),
                _ => err(
                    path,
                    format!(
                        "argument {} of `{name}` must be a non-negative integer literal",
                        i + 1
                    ),
                ),
            }
        };
        let opt = |inner: Ty, owned: bool, t: TokenStream, uses: BTreeSet<usize>| Val {
            ty: Ty::Opt(Box::new(inner)),
            code: Code::Other(t),
            owned,
            uses,
        };
        Ok(match name {
            "isSet" => match &args[0].ty {
                Ty::Opt(_) => bool_val(B::IsSome(args[0].other(), true), uses),
                _ => bool_val(B::Const(true), uses),
            },
            "not" => bool_val(bool_arg(0)?.negate(), uses),
            "booleanEquals" => bool_val(boolean_equals(&args, path)?, uses),
            "stringEquals" => bool_val(string_equals(&args, path)?, uses),
            "parseURL" => {
                let s = str_arg(0)?;
                opt(Ty::Url, false, quote!(#rt::url::parse_url(#s)), uses)
            }
            "substring" => {
                let (s, from, to) = (str_arg(0)?, int_arg(1)?, int_arg(2)?);
                let rev = bool_arg(3)?.tokens();
                opt(
                    Ty::Str,
                    true,
                    quote!(#rt::string::substring(#s, #from, #to, #rev)),
                    uses,
                )
            }
            "uriEncode" => {
                let s = str_arg(0)?;
                str_val(S::Temp(quote!(#rt::string::uri_encode(#s))), true, uses)
            }
            "isValidHostLabel" => {
                let (s, b) = (str_arg(0)?, bool_arg(1)?.tokens());
                bool_val(
                    B::Atom(quote!(#rt::string::is_valid_host_label(#s, #b))),
                    uses,
                )
            }
            "aws.partition" => {
                let s = str_arg(0)?;
                opt(
                    Ty::Partition,
                    false,
                    quote!(#rt::partition::partition(#s)),
                    uses,
                )
            }
            "aws.parseArn" => {
                let s = str_arg(0)?;
                opt(Ty::Arn, false, quote!(#rt::arn::parse_arn(#s)), uses)
            }
            "aws.isVirtualHostableS3Bucket" => {
                let (s, b) = (str_arg(0)?, bool_arg(1)?.tokens());
                bool_val(
                    B::Atom(quote!(#rt::arn::is_virtual_hostable_s3_bucket(#s, #b))),
                    uses,
                )
            }
            "split" => {
                let (s, d, limit) = (str_arg(0)?, str_arg(1)?, int_arg(2)?);
                Val {
                    ty: Ty::StrArray,
                    code: Code::Other(quote!(#rt::string::split(#s, #d, #limit))),
                    owned: false,
                    uses,
                }
            }
            "coalesce" => coalesce(&args, uses, path)?,
            "ite" => ite(&args, uses, path)?,
            _ => return err(path, format!("unknown function `{name}`")),
        })
    }
}

/// The type under an `Option`, and whether there was one.
fn base_type(ty: &Ty) -> (&Ty, bool) {
    match ty {
        Ty::Opt(inner) => (inner, true),
        ty => (ty, false),
    }
}

/// A value as an `Option<bool>` / `Option<&str>` expression (for `coalesce` and `ite`).
fn as_option(v: &Val) -> TokenStream {
    match (&v.ty, &v.code) {
        (Ty::Opt(_), _) if v.owned => {
            let o = v.other();
            quote!(#o.as_deref())
        }
        (Ty::Opt(_), _) => v.other(),
        (_, Code::S(s)) => {
            let s = s.borrowed();
            quote!(Some(#s))
        }
        _ => {
            let t = v.other();
            quote!(Some(#t))
        }
    }
}

/// The common base type of `coalesce`/`ite` operands: booleans or strings.
fn common_base(args: &[&Val], name: &str, path: &str) -> Result<Ty> {
    let first = base_type(&args[0].ty).0.clone();
    for a in args {
        let base = base_type(&a.ty).0;
        if *base != first {
            return err(
                path,
                format!(
                    "the arguments of `{name}` must have one type, not {} and {}",
                    args[0].ty.describe(),
                    a.ty.describe()
                ),
            );
        }
    }
    if !matches!(first, Ty::Bool | Ty::Str) {
        return err(
            path,
            format!(
                "`{name}` is supported on booleans and strings, not {}",
                first.describe()
            ),
        );
    }
    Ok(first)
}

/// `coalesce(a, b, ..)`: the first argument that is set. Set when any argument is always
/// set (the arguments after the first such one are never read).
fn coalesce(args: &[Val], uses: BTreeSet<usize>, path: &str) -> Result<Val> {
    let refs: Vec<&Val> = args.iter().collect();
    let base = common_base(&refs, "coalesce", path)?;
    let mut chain: Option<TokenStream> = None;
    for a in args {
        let always = !matches!(a.ty, Ty::Opt(_));
        if always {
            let fallback = match &a.code {
                Code::S(s) => s.arg(),
                _ => a.other(),
            };
            let t = match chain {
                None => return Ok(a.clone()),
                Some(c) => quote!(#c.unwrap_or(#fallback)),
            };
            return Ok(match base {
                Ty::Bool => bool_val(B::Atom(t), uses),
                _ => str_val(S::Place(t, false), false, uses),
            });
        }
        let o = as_option(a);
        chain = Some(match chain {
            None => o,
            Some(c) => quote!(#c.or(#o)),
        });
    }
    Ok(Val {
        ty: Ty::Opt(Box::new(base)),
        code: Code::Other(chain.unwrap_or_default()),
        owned: false,
        uses,
    })
}

/// `ite(condition, then, else)`, through the runtime's `ite` (both values are plain
/// expressions without effects, so evaluating both is fine).
fn ite(args: &[Val], uses: BTreeSet<usize>, path: &str) -> Result<Val> {
    let Code::B(cond) = &args[0].code else {
        return err(
            path,
            format!(
                "the condition of `ite` must be a boolean, not {}",
                args[0].ty.describe()
            ),
        );
    };
    let (a, b) = (&args[1], &args[2]);
    let base = common_base(&[a, b], "ite", path)?;
    if let B::Const(c) = cond {
        return Ok(if *c { a.clone() } else { b.clone() });
    }
    let c = cond.tokens();
    let rt = quote!(crate::rt::endpoint);
    if matches!(a.ty, Ty::Opt(_)) || matches!(b.ty, Ty::Opt(_)) {
        let (x, y) = (as_option(a), as_option(b));
        return Ok(Val {
            ty: Ty::Opt(Box::new(base)),
            code: Code::Other(quote!(#rt::ite(#c, #x, #y))),
            owned: false,
            uses,
        });
    }
    Ok(match (&a.code, &b.code) {
        (Code::B(x), Code::B(y)) => match (x, y) {
            (B::Const(true), B::Const(false)) => bool_val(cond.clone(), uses),
            (B::Const(false), B::Const(true)) => bool_val(cond.clone().negate(), uses),
            _ => {
                let (x, y) = (x.tokens(), y.tokens());
                bool_val(B::Atom(quote!(#rt::ite(#c, #x, #y))), uses)
            }
        },
        (Code::S(x), Code::S(y)) => {
            let (x, y) = (x.arg(), y.arg());
            str_val(S::Place(quote!(#rt::ite(#c, #x, #y)), false), false, uses)
        }
        _ => return err(path, "internal: `ite` operands are not booleans or strings"),
    })
}

fn undefined(name: &str) -> String {
    format!("`{name}` is not a parameter or a variable in scope")
}

fn bool_val(b: B, uses: BTreeSet<usize>) -> Val {
    Val {
        ty: Ty::Bool,
        code: Code::B(b),
        owned: false,
        uses,
    }
}

fn str_val(s: S, owned: bool, uses: BTreeSet<usize>) -> Val {
    Val {
        ty: Ty::Str,
        code: Code::S(s),
        owned,
        uses,
    }
}

fn reference(scope: &Scope, name: &str, path: &str) -> Result<Val> {
    let Some(b) = scope.get(name) else {
        return err(path, undefined(name));
    };
    let ident = &b.ident;
    let uses = BTreeSet::from([b.id]);
    Ok(match b.ty {
        Ty::Bool => bool_val(B::Atom(quote!(#ident)), uses),
        Ty::Str => str_val(S::Ident(ident.clone(), b.owned), b.owned, uses),
        _ => Val {
            ty: b.ty.clone(),
            code: Code::Other(quote!(#ident)),
            owned: b.owned,
            uses,
        },
    })
}

fn expect_str<'a>(v: &'a Val, path: &str, what: &str) -> Result<&'a S> {
    match (&v.ty, &v.code) {
        (Ty::Str, Code::S(s)) => Ok(s),
        (Ty::Opt(inner), _) if **inner == Ty::Str => err(
            path,
            format!(
                "{what} may be unset here; guard it with `isSet` (or assign it in a condition)"
            ),
        ),
        (ty, _) => err(
            path,
            format!("{what} must be a string, not {}", ty.describe()),
        ),
    }
}

fn boolean_equals(args: &[Val], path: &str) -> Result<B> {
    let (a, b) = (&args[0], &args[1]);
    match (&a.ty, &a.code, &b.ty, &b.code) {
        (Ty::Bool, Code::B(x), Ty::Bool, Code::B(y)) => Ok(match (x, y) {
            (B::Const(c), other) | (other, B::Const(c)) => {
                if *c {
                    other.clone()
                } else {
                    other.clone().negate()
                }
            }
            _ => B::Cmp(x.operand(), y.operand(), true),
        }),
        // An optional boolean equals a value only when it is set to it.
        (Ty::Opt(inner), Code::Other(o), Ty::Bool, Code::B(x))
        | (Ty::Bool, Code::B(x), Ty::Opt(inner), Code::Other(o))
            if **inner == Ty::Bool =>
        {
            let x = x.tokens();
            Ok(B::Cmp(o.clone(), quote!(Some(#x)), true))
        }
        _ => err(
            path,
            format!(
                "`booleanEquals` compares booleans, not {} and {}",
                a.ty.describe(),
                b.ty.describe()
            ),
        ),
    }
}

fn string_equals(args: &[Val], path: &str) -> Result<B> {
    let (a, b) = (&args[0], &args[1]);
    match (&a.ty, &a.code, &b.ty, &b.code) {
        (Ty::Str, Code::S(x), Ty::Str, Code::S(y)) => Ok(match (x, y) {
            (S::Lit(l), S::Lit(r)) => B::Const(l == r),
            // `x == ""` is `x.is_empty()` (clippy::comparison_to_empty).
            (S::Lit(l), other) | (other, S::Lit(l)) if l.is_empty() => {
                let t = other.operand();
                B::Atom(quote!(#t.is_empty()))
            }
            _ => B::Cmp(x.operand(), y.operand(), true),
        }),
        // An optional string equals a value only when it is set to it.
        (Ty::Opt(inner), Code::Other(o), Ty::Str, Code::S(s))
        | (Ty::Str, Code::S(s), Ty::Opt(inner), Code::Other(o))
            if **inner == Ty::Str =>
        {
            let opt_side =
                if a.owned && matches!(a.ty, Ty::Opt(_)) || b.owned && matches!(b.ty, Ty::Opt(_)) {
                    quote!(#o.as_deref())
                } else {
                    o.clone()
                };
            let s = s.borrowed();
            Ok(B::Cmp(opt_side, quote!(Some(#s)), true))
        }
        _ => err(
            path,
            format!(
                "`stringEquals` compares strings, not {} and {}",
                a.ty.describe(),
                b.ty.describe()
            ),
        ),
    }
}

/// `getAttr(value, "a.b[0]")` and template `{value#a.b[0]}`: field access and indexing.
fn get_attr(base: Val, attr: &str, path: &str) -> Result<Val> {
    if let Ty::Opt(_) = base.ty {
        return err(
            path,
            format!(
                "`getAttr` on {} that may be unset; assign it in a condition first",
                base.ty.describe()
            ),
        );
    }
    let mut v = base;
    let mut indexed = false;
    for part in attr.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, rest)) => {
                let Some(index) = rest.strip_suffix(']').and_then(|i| i.parse::<usize>().ok())
                else {
                    return err(path, format!("invalid index in attribute path `{attr}`"));
                };
                (key, Some(index))
            }
            None => (part, None),
        };
        if indexed || (key.is_empty() && index.is_none()) {
            return err(path, format!("invalid attribute path `{attr}`"));
        }
        if !key.is_empty() {
            v = field(v, key, attr, path)?;
        }
        if let Some(index) = index {
            if v.ty != Ty::StrArray {
                return err(
                    path,
                    format!(
                        "`{attr}` indexes {}, which is not an array",
                        v.ty.describe()
                    ),
                );
            }
            let base = v.other();
            let t = if index == 0 {
                quote!(#base.first().map(String::as_str))
            } else {
                let index = Literal::usize_unsuffixed(index);
                quote!(#base.get(#index).map(String::as_str))
            };
            v = Val {
                ty: Ty::Opt(Box::new(Ty::Str)),
                code: Code::Other(t),
                owned: false,
                uses: v.uses,
            };
            indexed = true;
        }
    }
    Ok(v)
}

fn field(v: Val, key: &str, attr: &str, path: &str) -> Result<Val> {
    let base = v.other();
    let uses = v.uses;
    // (rules-engine name, Rust field, type, owned String)
    let fields: &[(&str, &str, Ty, bool)] = match v.ty {
        Ty::Partition => &[
            ("name", "name", Ty::Str, false),
            ("dnsSuffix", "dns_suffix", Ty::Str, false),
            (
                "dualStackDnsSuffix",
                "dual_stack_dns_suffix",
                Ty::Str,
                false,
            ),
            ("supportsFIPS", "supports_fips", Ty::Bool, false),
            ("supportsDualStack", "supports_dual_stack", Ty::Bool, false),
            (
                "implicitGlobalRegion",
                "implicit_global_region",
                Ty::Str,
                false,
            ),
        ],
        Ty::Url => &[
            ("scheme", "scheme", Ty::Str, true),
            ("authority", "authority", Ty::Str, true),
            ("path", "path", Ty::Str, true),
            ("normalizedPath", "normalized_path", Ty::Str, true),
            ("isIp", "is_ip", Ty::Bool, false),
        ],
        Ty::Arn => &[
            ("partition", "partition", Ty::Str, true),
            ("service", "service", Ty::Str, true),
            ("region", "region", Ty::Str, true),
            ("accountId", "account_id", Ty::Str, true),
            ("resourceId", "resource_id", Ty::StrArray, true),
        ],
        ref ty => {
            return err(
                path,
                format!("`{attr}`: {} has no attribute `{key}`", ty.describe()),
            )
        }
    };
    let Some((_, rust, ty, owned)) = fields.iter().find(|f| f.0 == key) else {
        let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
        return err(
            path,
            format!(
                "`{attr}`: {} has no attribute `{key}` (it has {})",
                v.ty.describe(),
                names.join(", ")
            ),
        );
    };
    let rust = Ident::new(rust, Span::call_site());
    let t = quote!(#base.#rust);
    Ok(match ty {
        Ty::Bool => bool_val(B::Atom(t), uses),
        Ty::Str => str_val(S::Place(t, *owned), *owned, uses),
        _ => Val {
            ty: ty.clone(),
            code: Code::Other(t),
            owned: *owned,
            uses,
        },
    })
}

fn check_new_name(scope: &Scope, name: &str, path: &str) -> Result<()> {
    if scope.contains_key(name) {
        return err(
            path,
            format!("`assign` to `{name}`, which is already a parameter or a variable in scope"),
        );
    }
    Ok(())
}

/// `snake_case(name)`, with `_2`, `_3`... when another name in scope has that identifier.
fn unique_ident(scope: &Scope, name: &str) -> Ident {
    let base = snake_case(name);
    let taken = |s: &str| s == "params" || scope.values().any(|b| b.ident == s);
    let mut ident = base.clone();
    let mut n = 2;
    while taken(&ident) {
        ident = format!("{base}_{n}");
        n += 1;
    }
    Ident::new(&ident, Span::call_site())
}

/// `if p1 && p2 { inner }`, or `inner` when nothing is pending.
fn wrap_if(
    pending: Vec<(B, BTreeSet<usize>)>,
    inner: TokenStream,
    mut uses: BTreeSet<usize>,
) -> (TokenStream, BTreeSet<usize>) {
    if pending.is_empty() {
        return (inner, uses);
    }
    // The same test twice (`booleanEquals(x, true)` after `assign: x`) is tested once.
    let mut conds: Vec<TokenStream> = Vec::new();
    let mut seen = BTreeSet::new();
    for (b, u) in &pending {
        uses.extend(u.iter().copied());
        let t = b.tokens();
        if seen.insert(t.to_string()) {
            conds.push(t);
        }
    }
    (quote!(if #(#conds)&&* { #inner }), uses)
}

fn never() -> RuleOut {
    RuleOut {
        code: TokenStream::new(),
        uses: BTreeSet::new(),
        reach: Reach::Never,
    }
}

/// A JSON value as `serde_json::json!` input.
pub fn json_literal(v: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match v {
        Value::Null => quote!(null),
        Value::Bool(true) => quote!(true),
        Value::Bool(false) => quote!(false),
        Value::Number(n) => {
            let lit = if let Some(i) = n.as_i64() {
                Literal::i64_unsuffixed(i)
            } else if let Some(u) = n.as_u64() {
                Literal::u64_unsuffixed(u)
            } else {
                Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0))
            };
            quote!(#lit)
        }
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_literal);
            quote!([#(#items),*])
        }
        Value::Object(o) => {
            let fields = o.iter().map(|(k, v)| {
                let v = json_literal(v);
                quote!(#k: #v)
            });
            quote!({ #(#fields),* })
        }
    }
}

/// Names a call reads (parameters and variables, including template placeholders).
fn refs_in_call(call: &Call, out: &mut BTreeSet<String>) {
    for a in &call.args {
        refs_in_expr(a, out);
    }
}

fn refs_in_expr(e: &Expr, out: &mut BTreeSet<String>) {
    match e {
        Expr::Str(pieces) => refs_in_pieces(pieces, out),
        Expr::Ref(name) => {
            out.insert(name.clone());
        }
        Expr::Call(c) => refs_in_call(c, out),
        Expr::Bool(_) | Expr::Int(_) => {}
    }
}

fn refs_in_pieces(pieces: &[Piece], out: &mut BTreeSet<String>) {
    for p in pieces {
        if let Piece::Ref { name, .. } = p {
            out.insert(name.clone());
        }
    }
}

fn refs_in_prop(p: &Prop, out: &mut BTreeSet<String>) {
    match p {
        Prop::Str(pieces) => refs_in_pieces(pieces, out),
        Prop::Other(_) => {}
        Prop::Array(items) => items.iter().for_each(|i| refs_in_prop(i, out)),
        Prop::Object(fields) => fields.iter().for_each(|(_, p)| refs_in_prop(p, out)),
    }
}

fn refs_in_body(body: &RuleBody, out: &mut BTreeSet<String>) {
    match body {
        RuleBody::Endpoint(def) => {
            refs_in_expr(&def.url, out);
            for (_, values) in &def.headers {
                values.iter().for_each(|v| refs_in_expr(v, out));
            }
            for (_, p) in &def.properties {
                refs_in_prop(p, out);
            }
        }
        RuleBody::Error(e) => refs_in_expr(e, out),
        RuleBody::Tree(rules) => {
            for r in rules {
                refs_in_conditions(&r.conditions, out);
                refs_in_body(&r.body, out);
            }
        }
    }
}

fn refs_in_conditions(conds: &[Condition], out: &mut BTreeSet<String>) {
    for c in conds {
        refs_in_call(&c.call, out);
    }
}
