//! Simplification: the structured forms booleans and strings are kept in so that `!`,
//! `== true`, constant comparisons, `coalesce` and `ite` fold at compile time, and the
//! folding rules of the functions that compare or choose.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::liveness::Uses;
use super::typecheck::{bool_val, err, str_val, ExprCode, Result, Ty, TypedExpr};

/// A boolean expression, kept structured so `!` and `== true` simplify away.
#[derive(Debug, Clone)]
pub enum BoolExpr {
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

impl BoolExpr {
    pub fn negate(self) -> BoolExpr {
        match self {
            BoolExpr::Const(b) => BoolExpr::Const(!b),
            BoolExpr::Atom(t) => BoolExpr::Not(t),
            BoolExpr::Not(t) => BoolExpr::Atom(t),
            BoolExpr::Cmp(a, b, eq) => BoolExpr::Cmp(a, b, !eq),
            BoolExpr::IsSome(t, some) => BoolExpr::IsSome(t, !some),
        }
    }

    pub fn tokens(&self) -> TokenStream {
        match self {
            BoolExpr::Const(true) => quote!(true),
            BoolExpr::Const(false) => quote!(false),
            BoolExpr::Atom(t) => t.clone(),
            BoolExpr::Not(t) => quote!(!#t),
            BoolExpr::Cmp(a, b, true) => quote!(#a == #b),
            BoolExpr::Cmp(a, b, false) => quote!(#a != #b),
            BoolExpr::IsSome(t, true) => quote!(#t.is_some()),
            BoolExpr::IsSome(t, false) => quote!(#t.is_none()),
        }
    }

    /// As an operand of `==`.
    pub fn operand(&self) -> TokenStream {
        let t = self.tokens();
        match self {
            BoolExpr::Cmp(..) => quote!((#t)),
            _ => t,
        }
    }
}

/// A string expression, by how it may be used without moving or cloning needlessly.
#[derive(Debug, Clone)]
pub enum StrExpr {
    Lit(String),
    /// A local (`&str`, or `String` when owned); inlined into format strings.
    Ident(Ident, bool),
    /// A field (`&'static str`, or `String` when owned).
    Place(TokenStream, bool),
    /// A temporary `String` (`format!(..)`, `uri_encode(..)`).
    Temp(TokenStream),
}

impl StrExpr {
    /// An `&str` argument.
    pub fn arg(&self) -> TokenStream {
        match self {
            StrExpr::Lit(s) => quote!(#s),
            StrExpr::Ident(i, false) => quote!(#i),
            StrExpr::Ident(i, true) => quote!(&#i),
            StrExpr::Place(t, false) => t.clone(),
            StrExpr::Place(t, true) | StrExpr::Temp(t) => quote!(&#t),
        }
    }

    /// An operand of `==` (`&str` and `String` compare with each other directly).
    pub fn operand(&self) -> TokenStream {
        match self {
            StrExpr::Lit(s) => quote!(#s),
            StrExpr::Ident(i, _) => quote!(#i),
            StrExpr::Place(t, _) | StrExpr::Temp(t) => t.clone(),
        }
    }

    /// An `impl Into<String>` argument.
    pub fn string_arg(&self) -> TokenStream {
        match self {
            StrExpr::Lit(s) => quote!(#s),
            StrExpr::Ident(i, false) => quote!(#i),
            StrExpr::Ident(i, true) => quote!(#i.clone()),
            StrExpr::Place(t, false) | StrExpr::Temp(t) => t.clone(),
            StrExpr::Place(t, true) => quote!(#t.clone()),
        }
    }

    /// An `&str` value inside `Some(..)`.
    pub fn borrowed(&self) -> TokenStream {
        match self {
            StrExpr::Lit(s) => quote!(#s),
            StrExpr::Ident(i, false) => quote!(#i),
            StrExpr::Ident(i, true) => quote!(#i.as_str()),
            StrExpr::Place(t, false) => t.clone(),
            StrExpr::Place(t, true) | StrExpr::Temp(t) => quote!(#t.as_str()),
        }
    }

    /// A value for `serde_json::json!`.
    pub fn json_value(&self) -> TokenStream {
        match self {
            StrExpr::Lit(s) => quote!(#s),
            StrExpr::Ident(i, _) => quote!(#i),
            StrExpr::Place(t, _) | StrExpr::Temp(t) => quote!((#t)),
        }
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
fn as_option(v: &TypedExpr) -> TokenStream {
    match (&v.ty, &v.code) {
        (Ty::Opt(_), _) if v.owned => {
            let o = v.other();
            quote!(#o.as_deref())
        }
        (Ty::Opt(_), _) => v.other(),
        (_, ExprCode::Str(s)) => {
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
fn common_base(args: &[&TypedExpr], name: &str, path: &str) -> Result<Ty> {
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
pub fn coalesce(args: &[TypedExpr], uses: Uses, path: &str) -> Result<TypedExpr> {
    let refs: Vec<&TypedExpr> = args.iter().collect();
    let base = common_base(&refs, "coalesce", path)?;
    let mut chain: Option<TokenStream> = None;
    for a in args {
        let always = !matches!(a.ty, Ty::Opt(_));
        if always {
            let fallback = match &a.code {
                ExprCode::Str(s) => s.arg(),
                _ => a.other(),
            };
            let t = match chain {
                None => return Ok(a.clone()),
                Some(c) => quote!(#c.unwrap_or(#fallback)),
            };
            return Ok(match base {
                Ty::Bool => bool_val(BoolExpr::Atom(t), uses),
                _ => str_val(StrExpr::Place(t, false), false, uses),
            });
        }
        let o = as_option(a);
        chain = Some(match chain {
            None => o,
            Some(c) => quote!(#c.or(#o)),
        });
    }
    Ok(TypedExpr {
        ty: Ty::Opt(Box::new(base)),
        code: ExprCode::Other(chain.unwrap_or_default()),
        owned: false,
        uses,
    })
}

/// `ite(condition, then, else)`, through the runtime's `ite` (both values are plain
/// expressions without effects, so evaluating both is fine).
pub fn ite(args: &[TypedExpr], uses: Uses, path: &str) -> Result<TypedExpr> {
    let ExprCode::Bool(cond) = &args[0].code else {
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
    if let BoolExpr::Const(c) = cond {
        return Ok(if *c { a.clone() } else { b.clone() });
    }
    let c = cond.tokens();
    let rt = quote!(crate::rt::endpoint);
    if matches!(a.ty, Ty::Opt(_)) || matches!(b.ty, Ty::Opt(_)) {
        let (x, y) = (as_option(a), as_option(b));
        return Ok(TypedExpr {
            ty: Ty::Opt(Box::new(base)),
            code: ExprCode::Other(quote!(#rt::ite(#c, #x, #y))),
            owned: false,
            uses,
        });
    }
    Ok(match (&a.code, &b.code) {
        (ExprCode::Bool(x), ExprCode::Bool(y)) => match (x, y) {
            (BoolExpr::Const(true), BoolExpr::Const(false)) => bool_val(cond.clone(), uses),
            (BoolExpr::Const(false), BoolExpr::Const(true)) => {
                bool_val(cond.clone().negate(), uses)
            }
            _ => {
                let (x, y) = (x.tokens(), y.tokens());
                bool_val(BoolExpr::Atom(quote!(#rt::ite(#c, #x, #y))), uses)
            }
        },
        (ExprCode::Str(x), ExprCode::Str(y)) => {
            let (x, y) = (x.arg(), y.arg());
            str_val(
                StrExpr::Place(quote!(#rt::ite(#c, #x, #y)), false),
                false,
                uses,
            )
        }
        _ => return err(path, "internal: `ite` operands are not booleans or strings"),
    })
}

pub fn boolean_equals(args: &[TypedExpr], path: &str) -> Result<BoolExpr> {
    let (a, b) = (&args[0], &args[1]);
    match (&a.ty, &a.code, &b.ty, &b.code) {
        (Ty::Bool, ExprCode::Bool(x), Ty::Bool, ExprCode::Bool(y)) => Ok(match (x, y) {
            (BoolExpr::Const(c), other) | (other, BoolExpr::Const(c)) => {
                if *c {
                    other.clone()
                } else {
                    other.clone().negate()
                }
            }
            _ => BoolExpr::Cmp(x.operand(), y.operand(), true),
        }),
        // An optional boolean equals a value only when it is set to it.
        (Ty::Opt(inner), ExprCode::Other(o), Ty::Bool, ExprCode::Bool(x))
        | (Ty::Bool, ExprCode::Bool(x), Ty::Opt(inner), ExprCode::Other(o))
            if **inner == Ty::Bool =>
        {
            let x = x.tokens();
            Ok(BoolExpr::Cmp(o.clone(), quote!(Some(#x)), true))
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

pub fn string_equals(args: &[TypedExpr], path: &str) -> Result<BoolExpr> {
    let (a, b) = (&args[0], &args[1]);
    match (&a.ty, &a.code, &b.ty, &b.code) {
        (Ty::Str, ExprCode::Str(x), Ty::Str, ExprCode::Str(y)) => Ok(match (x, y) {
            (StrExpr::Lit(l), StrExpr::Lit(r)) => BoolExpr::Const(l == r),
            // `x == ""` is `x.is_empty()` (clippy::comparison_to_empty).
            (StrExpr::Lit(l), other) | (other, StrExpr::Lit(l)) if l.is_empty() => {
                let t = other.operand();
                BoolExpr::Atom(quote!(#t.is_empty()))
            }
            _ => BoolExpr::Cmp(x.operand(), y.operand(), true),
        }),
        // An optional string equals a value only when it is set to it.
        (Ty::Opt(inner), ExprCode::Other(o), Ty::Str, ExprCode::Str(s))
        | (Ty::Str, ExprCode::Str(s), Ty::Opt(inner), ExprCode::Other(o))
            if **inner == Ty::Str =>
        {
            let opt_side =
                if a.owned && matches!(a.ty, Ty::Opt(_)) || b.owned && matches!(b.ty, Ty::Opt(_)) {
                    quote!(#o.as_deref())
                } else {
                    o.clone()
                };
            let s = s.borrowed();
            Ok(BoolExpr::Cmp(opt_side, quote!(Some(#s)), true))
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
