//! Type checking: the rule tree → [`CheckedRule`]s, with every expression lowered to a
//! typed Rust expression ([`TypedExpr`]) and every condition classified (a plain test, an
//! `if let Some(..)` unwrap, or a `let`). Conditions known at compile time fold away here
//! (through [`super::simplify`]); a constantly false condition drops its rule. What is
//! *bound* is decided afterwards by [`super::liveness`], and [`super::emit`] writes the
//! statements.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::quote;

use super::liveness::{BindingId, Uses};
use super::ruleset::{Call, EndpointDef, Expr, Piece, Prop, Rule, RuleBody};
use super::simplify::{boolean_equals, coalesce, ite, string_equals, BoolExpr, StrExpr};
use crate::naming::endpoint::snake_case;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub path: String,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, CompileError>;

pub fn err<T>(path: &str, message: impl Into<String>) -> Result<T> {
    Err(CompileError {
        path: path.to_string(),
        message: message.into(),
    })
}

/// The rules engine's types, as far as the compiler distinguishes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
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
    pub fn describe(&self) -> String {
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
pub struct Binding {
    pub id: BindingId,
    pub ident: Ident,
    pub ty: Ty,
    /// For strings (and optional strings): the Rust value is `String` rather than `&str`.
    pub owned: bool,
}

/// Rule-set name → binding. Cloned per condition: scopes follow the rule nesting.
pub type Scope = BTreeMap<String, Binding>;

#[derive(Debug, Clone)]
/// How a typed expression is represented: booleans and strings stay structured so that
/// they simplify.
pub enum ExprCode {
    Bool(BoolExpr),
    Str(StrExpr),
    /// Any other value: an `Option`, a URL/ARN/partition, a string array, an integer.
    Other(TokenStream),
}

/// An expression of the rule set, type-checked and lowered to Rust.
#[derive(Debug, Clone)]
pub struct TypedExpr {
    pub ty: Ty,
    pub code: ExprCode,
    /// Strings and optional strings: `String` rather than `&str`.
    pub owned: bool,
    /// The bindings this expression reads.
    pub uses: Uses,
}

impl TypedExpr {
    /// The expression as a plain Rust expression.
    pub fn other(&self) -> TokenStream {
        match &self.code {
            ExprCode::Other(t) => t.clone(),
            ExprCode::Bool(b) => b.tokens(),
            ExprCode::Str(s) => s.operand(),
        }
    }
}

/// A rule whose conditions can hold, type-checked.
#[derive(Debug)]
pub struct CheckedRule {
    pub conditions: Vec<CheckedCondition>,
    pub body: CheckedBody,
}

impl CheckedRule {
    /// Whether the rule is always entered (no runtime condition): the rules after it are
    /// unreachable. Only a `let` of a value that is always present is no runtime test.
    pub fn always(&self) -> bool {
        self.conditions
            .iter()
            .all(|c| matches!(c, CheckedCondition::Let { test: None, .. }))
    }
}

/// A condition that is not known at compile time to hold.
#[derive(Debug)]
pub enum CheckedCondition {
    /// A plain boolean test.
    Test {
        test: BoolExpr,
        /// Locals the test reads (format arguments), bound before it.
        lets: TokenStream,
        uses: Uses,
    },
    /// `opener { rest }` binding `id` (`if let Some(x) = expr`) when the rest reads it;
    /// otherwise the plain `test` (`expr.is_some()`).
    Unwrap {
        id: BindingId,
        opener: TokenStream,
        test: BoolExpr,
        lets: TokenStream,
        uses: Uses,
    },
    /// `let ident = value;` binding `id` (then `if ident` for a boolean `test`) when the
    /// rest reads it; otherwise just the `test`, or nothing.
    Let {
        id: BindingId,
        ident: Ident,
        value: TokenStream,
        test: Option<BoolExpr>,
        lets: TokenStream,
        uses: Uses,
        /// Whether the rest of the rule names the variable at all (even where the
        /// reference folds away): a named boolean is then bound rather than inlined.
        referenced: bool,
    },
}

#[derive(Debug)]
pub enum CheckedBody {
    /// `Ok(endpoint)` or `Err(error)`, after the `lets` its format arguments need.
    Value {
        value: TokenStream,
        lets: TokenStream,
        uses: Uses,
    },
    /// Nested rules, without the ones that can never be entered.
    Tree(Vec<CheckedRule>),
}

/// Checks the rules with the parameters in `scope`. `next_id` is the first binding id not
/// taken by the parameters.
pub fn check_rules(rules: &[Rule], scope: &Scope, next_id: BindingId) -> Result<Vec<CheckedRule>> {
    let mut checker = Checker {
        next_id,
        referenced: BTreeSet::new(),
        hoisted: TokenStream::new(),
        hoisted_names: BTreeSet::new(),
    };
    checker.rules(rules, scope)
}

struct Checker {
    next_id: BindingId,
    /// The bindings looked up so far (however the reference then folds).
    referenced: BTreeSet<BindingId>,
    /// `let`s for the statement being checked: the `format!` arguments of its templates.
    hoisted: TokenStream,
    /// The names of the current rule's hoisted locals.
    hoisted_names: BTreeSet<String>,
}

const FUNCTIONS: &str = "isSet, not, booleanEquals, stringEquals, getAttr, parseURL, substring, \
                         uriEncode, isValidHostLabel, coalesce, ite, split, aws.partition, \
                         aws.parseArn, aws.isVirtualHostableS3Bucket";

impl Checker {
    fn fresh(&mut self) -> BindingId {
        self.next_id += 1;
        self.next_id
    }

    fn lookup<'a>(&mut self, scope: &'a Scope, name: &str, path: &str) -> Result<&'a Binding> {
        let Some(b) = scope.get(name) else {
            return err(path, undefined(name));
        };
        self.referenced.insert(b.id);
        Ok(b)
    }

    /// All rules are checked, including unreachable ones; the ones that can never be
    /// entered are left out.
    fn rules(&mut self, rules: &[Rule], scope: &Scope) -> Result<Vec<CheckedRule>> {
        let mut out = Vec::new();
        for rule in rules {
            let names = std::mem::take(&mut self.hoisted_names);
            let checked = self.rule(rule, scope);
            self.hoisted_names = names;
            out.extend(checked?);
        }
        Ok(out)
    }

    /// `None` when a condition is constantly false (the conditions after it and the body
    /// are then not checked).
    fn rule(&mut self, rule: &Rule, scope: &Scope) -> Result<Option<CheckedRule>> {
        let mut scope = scope.clone();
        let mut conditions = Vec::new();
        for cond in &rule.conditions {
            // `isSet(ref)` of an optional: narrows the name to the unwrapped value.
            if let (None, "isSet", [Expr::Ref(name)]) = (
                &cond.assign,
                cond.call.name.as_str(),
                cond.call.args.as_slice(),
            ) {
                let b = self.lookup(&scope, name, &cond.path)?.clone();
                // Not optional: always set, nothing to test.
                if let Ty::Opt(inner) = &b.ty {
                    let narrowed = Binding {
                        id: self.fresh(),
                        ident: b.ident.clone(),
                        ty: (**inner).clone(),
                        owned: b.owned,
                    };
                    let ident = &b.ident;
                    conditions.push(CheckedCondition::Unwrap {
                        id: narrowed.id,
                        opener: quote!(if let Some(#ident) = #ident),
                        test: BoolExpr::IsSome(quote!(#ident), true),
                        lets: TokenStream::new(),
                        uses: BTreeSet::from([b.id]),
                    });
                    scope.insert(name.clone(), narrowed);
                }
                continue;
            }

            let v = self.call(&cond.call, &scope)?;
            let lets = std::mem::take(&mut self.hoisted);
            let expr = v.other();
            let test = match &v.code {
                ExprCode::Bool(b) => Some(b.clone()),
                _ => None,
            };
            if let Some(BoolExpr::Const(false)) = test {
                return Ok(None);
            }
            let Some(name) = &cond.assign else {
                match (&v.ty, test) {
                    (_, Some(BoolExpr::Const(true))) => {}
                    (Ty::Bool, Some(test)) => conditions.push(CheckedCondition::Test {
                        test,
                        lets,
                        uses: v.uses,
                    }),
                    (Ty::Opt(_), _) => conditions.push(CheckedCondition::Test {
                        test: BoolExpr::IsSome(expr, true),
                        lets,
                        uses: v.uses,
                    }),
                    // A value that is always present: the condition always holds.
                    _ => {}
                }
                continue;
            };

            check_new_name(&scope, name, &cond.path)?;
            let ident = unique_ident(&scope, name);
            // A field (`url.path`, `arn.resource_id`) is bound by borrowing, not moved out.
            let (ty, owned, value) = match (&v.ty, &v.code) {
                (Ty::Opt(inner), _) => ((**inner).clone(), v.owned, expr.clone()),
                (Ty::Str, ExprCode::Str(StrExpr::Place(t, true))) => {
                    (Ty::Str, false, quote!(#t.as_str()))
                }
                (Ty::StrArray, ExprCode::Other(t)) if v.owned => {
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
            conditions.push(if let Ty::Opt(_) = v.ty {
                CheckedCondition::Unwrap {
                    id: binding.id,
                    opener: quote!(if let Some(#ident) = #expr),
                    test: BoolExpr::IsSome(expr.clone(), true),
                    lets,
                    uses: v.uses,
                }
            } else {
                // A value that is always present: a boolean must hold.
                let is_test = v.ty == Ty::Bool && !matches!(test, Some(BoolExpr::Const(true)));
                CheckedCondition::Let {
                    id: binding.id,
                    ident,
                    value,
                    test: test.filter(|_| is_test),
                    lets,
                    uses: v.uses,
                    referenced: false,
                }
            });
            scope.insert(name.clone(), binding);
        }
        let body = self.body(&rule.body, &scope)?;
        for c in &mut conditions {
            if let CheckedCondition::Let { id, referenced, .. } = c {
                *referenced = self.referenced.contains(id);
            }
        }
        Ok(Some(CheckedRule { conditions, body }))
    }

    /// `let field = value;` before the statement being checked: named after the field
    /// `place` reads, unique in the scope and among the rule's other such locals.
    fn hoist(&mut self, scope: &Scope, place: &TokenStream, value: TokenStream) -> Ident {
        let name = match place.clone().into_iter().last() {
            Some(TokenTree::Ident(i)) => i.to_string(),
            _ => "value".to_string(),
        };
        let mut ident = name.clone();
        let mut n = 2;
        while ident == "params"
            || self.hoisted_names.contains(&ident)
            || scope.values().any(|b| b.ident == ident)
        {
            ident = format!("{name}_{n}");
            n += 1;
        }
        self.hoisted_names.insert(ident.clone());
        let ident = Ident::new(&ident, Span::call_site());
        self.hoisted.extend(quote!(let #ident = #value;));
        ident
    }

    fn body(&mut self, body: &RuleBody, scope: &Scope) -> Result<CheckedBody> {
        let (value, uses) = match body {
            RuleBody::Tree(rules) => return Ok(CheckedBody::Tree(self.rules(rules, scope)?)),
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
        let lets = std::mem::take(&mut self.hoisted);
        Ok(CheckedBody::Value { value, lets, uses })
    }

    fn endpoint(&mut self, def: &EndpointDef, scope: &Scope) -> Result<(TokenStream, Uses)> {
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
        uses: &mut Uses,
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

    fn expr(&mut self, e: &Expr, scope: &Scope, path: &str) -> Result<TypedExpr> {
        match e {
            Expr::Str(pieces) => self.template(pieces, scope, path),
            Expr::Bool(b) => Ok(bool_val(BoolExpr::Const(*b), BTreeSet::new())),
            Expr::Int(i) => {
                let lit = Literal::i64_unsuffixed(*i);
                Ok(TypedExpr {
                    ty: Ty::Int,
                    code: ExprCode::Other(quote!(#lit)),
                    owned: false,
                    uses: BTreeSet::new(),
                })
            }
            Expr::Ref(name) => Ok(reference(self.lookup(scope, name, path)?)),
            Expr::Call(call) => self.call(call, scope),
        }
    }

    /// A template: a literal, a single reference, or `format!`.
    fn template(&mut self, pieces: &[Piece], scope: &Scope, path: &str) -> Result<TypedExpr> {
        let mut values = Vec::new();
        for piece in pieces {
            values.push(match piece {
                Piece::Text(_) => None,
                Piece::Ref { name, path: attr } => {
                    let base = reference(self.lookup(scope, name, path)?);
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
            return Ok(str_val(StrExpr::Lit(t.clone()), false, BTreeSet::new()));
        }
        if let [Some(v)] = values.as_slice() {
            return Ok(v.clone());
        }
        let mut fmt = String::new();
        let mut uses = BTreeSet::new();
        for (piece, value) in pieces.iter().zip(&values) {
            match (piece, value) {
                (Piece::Text(t), _) => fmt.push_str(&t.replace('{', "{{").replace('}', "}}")),
                (_, Some(v)) => {
                    uses.extend(v.uses.iter().copied());
                    match &v.code {
                        ExprCode::Str(StrExpr::Ident(i, _)) => fmt.push_str(&format!("{{{i}}}")),
                        ExprCode::Str(StrExpr::Lit(t)) => {
                            fmt.push_str(&t.replace('{', "{{").replace('}', "}}"))
                        }
                        // Bound to a local first, so that the `format!` has one argument.
                        ExprCode::Str(s @ (StrExpr::Place(t, _) | StrExpr::Temp(t))) => {
                            let ident = self.hoist(scope, t, s.arg());
                            fmt.push_str(&format!("{{{ident}}}"));
                        }
                        _ => return err(path, "internal: non-string template value"),
                    }
                }
                (_, None) => return err(path, "internal: template piece without value"),
            }
        }
        Ok(str_val(StrExpr::Temp(quote!(format!(#fmt))), true, uses))
    }

    fn call(&mut self, call: &Call, scope: &Scope) -> Result<TypedExpr> {
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
        let bool_arg = |i: usize| -> Result<BoolExpr> {
            match (&args[i].ty, &args[i].code) {
                (Ty::Bool, ExprCode::Bool(b)) => Ok(b.clone()),
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
                (Expr::Int(n), ExprCode::Other(t)) if *n >= 0 => Ok(t.clone()),
                _ => err(
                    path,
                    format!(
                        "argument {} of `{name}` must be a non-negative integer literal",
                        i + 1
                    ),
                ),
            }
        };
        let opt = |inner: Ty, owned: bool, t: TokenStream, uses: Uses| TypedExpr {
            ty: Ty::Opt(Box::new(inner)),
            code: ExprCode::Other(t),
            owned,
            uses,
        };
        Ok(match name {
            "isSet" => match &args[0].ty {
                Ty::Opt(_) => bool_val(BoolExpr::IsSome(args[0].other(), true), uses),
                _ => bool_val(BoolExpr::Const(true), uses),
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
                str_val(
                    StrExpr::Temp(quote!(#rt::string::uri_encode(#s))),
                    true,
                    uses,
                )
            }
            "isValidHostLabel" => {
                let (s, b) = (str_arg(0)?, bool_arg(1)?.tokens());
                bool_val(
                    BoolExpr::Atom(quote!(#rt::string::is_valid_host_label(#s, #b))),
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
                    BoolExpr::Atom(quote!(#rt::arn::is_virtual_hostable_s3_bucket(#s, #b))),
                    uses,
                )
            }
            "split" => {
                let (s, d, limit) = (str_arg(0)?, str_arg(1)?, int_arg(2)?);
                TypedExpr {
                    ty: Ty::StrArray,
                    code: ExprCode::Other(quote!(#rt::string::split(#s, #d, #limit))),
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

fn undefined(name: &str) -> String {
    format!("`{name}` is not a parameter or a variable in scope")
}

pub fn bool_val(b: BoolExpr, uses: Uses) -> TypedExpr {
    TypedExpr {
        ty: Ty::Bool,
        code: ExprCode::Bool(b),
        owned: false,
        uses,
    }
}

pub fn str_val(s: StrExpr, owned: bool, uses: Uses) -> TypedExpr {
    TypedExpr {
        ty: Ty::Str,
        code: ExprCode::Str(s),
        owned,
        uses,
    }
}

/// A reference to a name in scope.
fn reference(b: &Binding) -> TypedExpr {
    let ident = &b.ident;
    let uses = BTreeSet::from([b.id]);
    match b.ty {
        Ty::Bool => bool_val(BoolExpr::Atom(quote!(#ident)), uses),
        Ty::Str => str_val(StrExpr::Ident(ident.clone(), b.owned), b.owned, uses),
        _ => TypedExpr {
            ty: b.ty.clone(),
            code: ExprCode::Other(quote!(#ident)),
            owned: b.owned,
            uses,
        },
    }
}

pub fn expect_str<'a>(v: &'a TypedExpr, path: &str, what: &str) -> Result<&'a StrExpr> {
    match (&v.ty, &v.code) {
        (Ty::Str, ExprCode::Str(s)) => Ok(s),
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

/// `getAttr(value, "a.b[0]")` and template `{value#a.b[0]}`: field access and indexing.
fn get_attr(base: TypedExpr, attr: &str, path: &str) -> Result<TypedExpr> {
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
            v = TypedExpr {
                ty: Ty::Opt(Box::new(Ty::Str)),
                code: ExprCode::Other(t),
                owned: false,
                uses: v.uses,
            };
            indexed = true;
        }
    }
    Ok(v)
}

fn field(v: TypedExpr, key: &str, attr: &str, path: &str) -> Result<TypedExpr> {
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
        Ty::Bool => bool_val(BoolExpr::Atom(t), uses),
        Ty::Str => str_val(StrExpr::Place(t, *owned), *owned, uses),
        _ => TypedExpr {
            ty: ty.clone(),
            code: ExprCode::Other(t),
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
