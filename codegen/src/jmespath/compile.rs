//! Compiles a parsed JMESPath expression to a Rust expression over the generated types.
//!
//! Every value has a static kind: a node of a model shape (as `Option<&T>`, or a `&T` / a
//! place of type `T` when it cannot be null), a projection (`Vec<&T>` of a shape's values),
//! a boolean (`bool`), a number (`Option<f64>`) or a string literal (`Option<&str>`).
//! Projections apply what follows them to each element and drop nulls, as JMESPath does.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::{CompareOp, Expr};
use crate::model::{ShapeId, ShapeType};
use crate::naming::Symbols;

/// How a node's expression holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `Option<&T>`.
    Opt,
    /// A `&T` (a variable).
    Ref,
    /// A place of type `T` (`output.member`); `boxed` when the place is a `Box<T>`.
    Place { boxed: bool },
}

#[derive(Debug, Clone)]
pub enum Kind {
    Node {
        shape: ShapeId,
        form: Form,
    },
    /// `Vec<&T>`; `projecting` until a pipe stops the projection.
    List {
        elem: ShapeId,
        projecting: bool,
    },
    Bool,
    Num,
    Str,
    /// The `inputOutput` matcher's root: `input` and `output`.
    InputOutput {
        input: ShapeId,
        output: ShapeId,
    },
}

/// A compiled value: its kind and its Rust expression.
#[derive(Debug, Clone)]
pub struct Val {
    pub kind: Kind,
    pub expr: TokenStream,
}

impl Val {
    /// A root node held in a `&T` variable.
    pub fn root(shape: &ShapeId, var: TokenStream) -> Val {
        Val {
            kind: Kind::Node {
                shape: shape.clone(),
                form: Form::Ref,
            },
            expr: var,
        }
    }

    /// The `inputOutput` root (`input: &I`, `output: &O` in scope).
    pub fn input_output(input: &ShapeId, output: &ShapeId) -> Val {
        Val {
            kind: Kind::InputOutput {
                input: input.clone(),
                output: output.clone(),
            },
            expr: TokenStream::new(),
        }
    }
}

/// The compiler: the symbol table and a counter for closure variables.
pub struct Compiler<'a> {
    symbols: &'a Symbols<'a>,
    vars: usize,
}

type R<T> = std::result::Result<T, String>;

impl<'a> Compiler<'a> {
    pub fn new(symbols: &'a Symbols<'a>) -> Compiler<'a> {
        Compiler { symbols, vars: 0 }
    }

    fn var(&mut self) -> proc_macro2::Ident {
        self.vars += 1;
        crate::naming::closure_var(self.vars)
    }

    fn ty(&self, id: &ShapeId) -> R<ShapeType> {
        self.symbols
            .shape(id)
            .map(|s| s.ty)
            .map_err(|e| e.to_string())
    }

    fn list_elem(&self, id: &ShapeId) -> R<Option<(ShapeId, bool)>> {
        let shape = self.symbols.shape(id).map_err(|e| e.to_string())?;
        Ok(match shape.ty {
            ShapeType::List | ShapeType::Set => shape
                .list_member()
                .map(|m| (m.target.clone(), shape.traits.sparse)),
            _ => None,
        })
    }

    pub fn compile(&mut self, expr: &Expr, cur: &Val) -> R<Val> {
        match expr {
            Expr::Current => match cur.kind {
                Kind::InputOutput { .. } => Err("`@` of the inputOutput root".into()),
                _ => Ok(cur.clone()),
            },
            Expr::Field(name) => self.field(cur, name),
            Expr::Sub(lhs, rhs) => {
                let l = self.compile(lhs, cur)?;
                self.compile(rhs, &l)
            }
            Expr::Index(lhs, n) => {
                let l = self.compile(lhs, cur)?;
                self.index(&l, *n)
            }
            Expr::Flatten(lhs) => {
                let l = self.compile(lhs, cur)?;
                self.flatten(&l, true)
            }
            Expr::Wildcard(lhs) => {
                let l = self.compile(lhs, cur)?;
                self.flatten(&l, false)
            }
            Expr::Filter(lhs, cond) => {
                let l = self.compile(lhs, cur)?;
                self.filter(&l, cond)
            }
            Expr::Pipe(lhs, rhs) => {
                let mut l = self.compile(lhs, cur)?;
                if let Kind::List { projecting, .. } = &mut l.kind {
                    *projecting = false;
                }
                self.compile(rhs, &l)
            }
            Expr::Literal(v) => literal(v),
            Expr::Compare(l, op, r) => {
                let l = self.compile(l, cur)?;
                let r = self.compile(r, cur)?;
                self.compare(&l, *op, &r)
            }
            Expr::And(l, r) | Expr::Or(l, r) => {
                let l = self.compile(l, cur)?;
                let r = self.compile(r, cur)?;
                let (lt, rt) = (self.boolean(&l, "&&/||")?, self.boolean(&r, "&&/||")?);
                let (lt, rt) = (paren_if(lt, &["&&", "||"]), paren_if(rt, &["&&", "||"]));
                let expr = if matches!(expr, Expr::And(..)) {
                    quote!(#lt && #rt)
                } else {
                    quote!(#lt || #rt)
                };
                Ok(Val {
                    kind: Kind::Bool,
                    expr,
                })
            }
            Expr::Not(e) => {
                let v = self.compile(e, cur)?;
                let t = paren_if(
                    self.truthy(&v)?,
                    &["==", "!=", "&&", "||", "<", ">", "<=", ">="],
                );
                Ok(Val {
                    kind: Kind::Bool,
                    expr: quote!(!#t),
                })
            }
            Expr::Call(name, args) => self.call(name, args, cur),
        }
    }

    /// `Option<&T>` for a node.
    pub fn opt(&self, v: &Val) -> R<TokenStream> {
        let e = &v.expr;
        match &v.kind {
            Kind::Node { form, .. } => Ok(match form {
                Form::Opt => e.clone(),
                Form::Ref => quote!(Some(#e)),
                Form::Place { boxed: false } => quote!(Some(&#e)),
                Form::Place { boxed: true } => quote!(Some(&*#e)),
            }),
            _ => Err("expected a member of the model, found a computed value".into()),
        }
    }

    /// An iterator of `&T` over a node that is a list (nulls and sparse gaps skipped).
    fn iter_list(&self, v: &Val) -> R<(TokenStream, ShapeId)> {
        let Kind::Node { shape, form } = &v.kind else {
            return Err("expected a list".into());
        };
        let Some((elem, sparse)) = self.list_elem(shape)? else {
            return Err(format!("`{}` is not a list", shape.name));
        };
        let e = &v.expr;
        let mut it = match form {
            Form::Opt => quote!(#e.into_iter().flatten()),
            _ => quote!(#e.iter()),
        };
        if sparse {
            it = quote!(#it.flatten());
        }
        Ok((it, elem))
    }

    fn field(&mut self, cur: &Val, name: &str) -> R<Val> {
        match &cur.kind {
            Kind::InputOutput { input, output } => match name {
                "input" => Ok(Val::root(input, quote!(input))),
                "output" => Ok(Val::root(output, quote!(output))),
                other => Err(format!(
                    "`{other}`: an inputOutput path starts with `input` or `output`"
                )),
            },
            Kind::Node { shape, form } => {
                let target_ty = self.ty(shape)?;
                match target_ty {
                    ShapeType::Structure => self.member(cur, shape, *form, name),
                    ShapeType::Map => {
                        let s = self.symbols.shape(shape).map_err(|e| e.to_string())?;
                        let Some((_, value)) = s.map_key_value() else {
                            return Err(format!("`{}` has no value", shape.name));
                        };
                        let m = self.opt(cur)?;
                        let var = self.var();
                        let mut expr = quote!(#m.and_then(|#var| #var.get(#name)));
                        if s.traits.sparse {
                            expr = quote!(#expr.and_then(Option::as_ref));
                        }
                        Ok(Val {
                            kind: Kind::Node {
                                shape: value.target.clone(),
                                form: Form::Opt,
                            },
                            expr,
                        })
                    }
                    other => Err(format!(
                        "`{name}` of `{}`, a {}: only structures and maps have members",
                        shape.name,
                        other.as_ast()
                    )),
                }
            }
            Kind::List {
                elem,
                projecting: true,
            } => {
                let var = self.var();
                let inner = self.field(&Val::root(elem, quote!(#var)), name)?;
                self.map_elems(cur, var, inner)
            }
            _ => Err(format!("`{name}` of a value that is not an object")),
        }
    }

    fn member(&mut self, cur: &Val, shape: &ShapeId, form: Form, name: &str) -> R<Val> {
        let s = self.symbols.shape(shape).map_err(|e| e.to_string())?;
        let member = s
            .member(name)
            .ok_or_else(|| format!("`{}` has no member `{name}`", shape.name))?;
        let ident = self
            .symbols
            .member_ident(shape, name)
            .map_err(|e| e.to_string())?;
        let optional = self.symbols.is_optional(shape, name);
        let boxed = self.symbols.is_boxed(shape, name);
        let target = member.target.clone();
        let e = &cur.expr;
        let (form, expr) = match (form, optional) {
            (Form::Opt, _) => {
                let var = self.var();
                let expr = match (optional, boxed) {
                    (true, true) => quote!(#e.and_then(|#var| #var.#ident.as_deref())),
                    (true, false) => quote!(#e.and_then(|#var| #var.#ident.as_ref())),
                    (false, true) => quote!(#e.map(|#var| &*#var.#ident)),
                    (false, false) => quote!(#e.map(|#var| &#var.#ident)),
                };
                (Form::Opt, expr)
            }
            (_, true) if boxed => (Form::Opt, quote!(#e.#ident.as_deref())),
            (_, true) => (Form::Opt, quote!(#e.#ident.as_ref())),
            (_, false) => (Form::Place { boxed }, quote!(#e.#ident)),
        };
        Ok(Val {
            kind: Kind::Node {
                shape: target,
                form,
            },
            expr,
        })
    }

    /// Applies `inner` (compiled against `var`, one element) to each element of a projection.
    fn map_elems(&mut self, list: &Val, var: proc_macro2::Ident, inner: Val) -> R<Val> {
        let e = &list.expr;
        match &inner.kind {
            Kind::Node { shape, form } => {
                let body = match form {
                    Form::Opt => {
                        let b = &inner.expr;
                        quote!(#e.into_iter().filter_map(|#var| #b).collect::<Vec<_>>())
                    }
                    _ => {
                        let b = self.opt(&inner)?;
                        // `Some(x)` of a certain value: a plain map.
                        let b = strip_some(b);
                        quote!(#e.into_iter().map(|#var| #b).collect::<Vec<_>>())
                    }
                };
                Ok(Val {
                    kind: Kind::List {
                        elem: shape.clone(),
                        projecting: true,
                    },
                    expr: body,
                })
            }
            _ => Err("a projection of computed values".into()),
        }
    }

    fn index(&mut self, l: &Val, n: i64) -> R<Val> {
        match &l.kind {
            Kind::Node { shape, .. } => {
                let Some((elem, sparse)) = self.list_elem(shape)? else {
                    return Err(format!("`[{n}]` of `{}`, which is not a list", shape.name));
                };
                let list = self.opt(l)?;
                let var = self.var();
                let get = index_expr(&quote!(#var), n);
                let mut expr = quote!(#list.and_then(|#var| #get));
                if sparse {
                    expr = quote!(#expr.and_then(Option::as_ref));
                }
                Ok(Val {
                    kind: Kind::Node {
                        shape: elem,
                        form: Form::Opt,
                    },
                    expr,
                })
            }
            Kind::List {
                elem,
                projecting: true,
            } => {
                let var = self.var();
                let inner = self.index(&Val::root(elem, quote!(#var)), n)?;
                self.map_elems(l, var, inner)
            }
            Kind::List {
                elem,
                projecting: false,
            } => {
                let get = index_expr(&l.expr, n);
                Ok(Val {
                    kind: Kind::Node {
                        shape: elem.clone(),
                        form: Form::Opt,
                    },
                    expr: quote!(#get.copied()),
                })
            }
            _ => Err(format!("`[{n}]` of a value that is not a list")),
        }
    }

    /// `[]` (`flatten`) or `[*]`.
    fn flatten(&mut self, l: &Val, flatten: bool) -> R<Val> {
        match &l.kind {
            Kind::Node { .. } => {
                let (it, elem) = self.iter_list(l)?;
                Ok(Val {
                    kind: Kind::List {
                        elem,
                        projecting: true,
                    },
                    expr: quote!(#it.collect::<Vec<_>>()),
                })
            }
            Kind::List { elem, projecting } if flatten || !projecting => {
                let e = &l.expr;
                match self.list_elem(elem)? {
                    Some((inner, sparse)) if flatten => {
                        let mut it = quote!(#e.into_iter().flatten());
                        if sparse {
                            it = quote!(#it.flatten());
                        }
                        Ok(Val {
                            kind: Kind::List {
                                elem: inner,
                                projecting: true,
                            },
                            expr: quote!(#it.collect::<Vec<_>>()),
                        })
                    }
                    _ => Ok(Val {
                        kind: Kind::List {
                            elem: elem.clone(),
                            projecting: true,
                        },
                        expr: e.clone(),
                    }),
                }
            }
            Kind::List { .. } => {
                Err("nested projections (`[*]` of a projection) are not supported".into())
            }
            _ => Err("`[]` of a value that is not a list".into()),
        }
    }

    fn filter(&mut self, l: &Val, cond: &Expr) -> R<Val> {
        let (it, elem) = match &l.kind {
            Kind::Node { .. } => self.iter_list(l)?,
            Kind::List {
                elem,
                projecting: false,
            } => {
                let e = &l.expr;
                (quote!(#e.into_iter()), elem.clone())
            }
            Kind::List { .. } => {
                return Err("a filter of a projection (nested projection) is not supported".into())
            }
            _ => return Err("a filter of a value that is not a list".into()),
        };
        let var = self.var();
        let c = self.compile(cond, &Val::root(&elem, quote!(#var)))?;
        let t = self.truthy(&c)?;
        Ok(Val {
            kind: Kind::List {
                elem,
                projecting: true,
            },
            expr: quote!(#it.filter(|&#var| #t).collect::<Vec<_>>()),
        })
    }

    fn is_stringish(&self, shape: &ShapeId) -> R<bool> {
        Ok(matches!(
            self.ty(shape)?,
            ShapeType::String | ShapeType::Enum
        ))
    }

    fn is_number(&self, shape: &ShapeId) -> R<bool> {
        Ok(matches!(
            self.ty(shape)?,
            ShapeType::Byte
                | ShapeType::Short
                | ShapeType::Integer
                | ShapeType::Long
                | ShapeType::Float
                | ShapeType::Double
        ))
    }

    /// `Option<&str>`, when the value is a string.
    pub fn str_view(&self, v: &Val) -> R<Option<TokenStream>> {
        let e = &v.expr;
        Ok(match &v.kind {
            Kind::Str => Some(e.clone()),
            Kind::Node { shape, form } if self.is_stringish(shape)? => Some(match form {
                Form::Opt if self.ty(shape)? == ShapeType::String => as_deref(e),
                Form::Opt => quote!(#e.map(|s| s.as_str())),
                _ => quote!(Some(#e.as_str())),
            }),
            _ => None,
        })
    }

    /// `Option<f64>`, when the value is a number.
    fn num_view(&self, v: &Val) -> R<Option<TokenStream>> {
        let e = &v.expr;
        Ok(match &v.kind {
            Kind::Num => Some(e.clone()),
            Kind::Node { shape, form } if self.is_number(shape)? => Some(match form {
                Form::Opt => quote!(#e.map(|n| *n as f64)),
                Form::Ref => quote!(Some(*#e as f64)),
                Form::Place { .. } => quote!(Some(#e as f64)),
            }),
            _ => None,
        })
    }

    /// `Option<bool>`, when the value is a boolean.
    pub fn bool_view(&self, v: &Val) -> R<Option<TokenStream>> {
        let e = &v.expr;
        Ok(match &v.kind {
            Kind::Bool => Some(quote!(Some(#e))),
            Kind::Node { shape, form } if self.ty(shape)? == ShapeType::Boolean => {
                Some(match form {
                    Form::Opt => quote!(#e.copied()),
                    Form::Ref => quote!(Some(*#e)),
                    Form::Place { .. } => quote!(Some(#e)),
                })
            }
            _ => None,
        })
    }

    /// A `bool` for `&&` / `||`: only boolean operands.
    fn boolean(&self, v: &Val, op: &str) -> R<TokenStream> {
        if let Kind::Bool = v.kind {
            return Ok(v.expr.clone());
        }
        match self.bool_view(v)? {
            Some(b) => Ok(quote!(#b.unwrap_or(false))),
            None => Err(format!(
                "the operands of {op} must be booleans (JMESPath would return a non-boolean value)"
            )),
        }
    }

    /// JMESPath truthiness as a `bool`.
    fn truthy(&self, v: &Val) -> R<TokenStream> {
        let e = &v.expr;
        Ok(match &v.kind {
            Kind::Bool => e.clone(),
            Kind::Num => quote!(#e.is_some()),
            Kind::Str => quote!(#e.is_some_and(|s| !s.is_empty())),
            Kind::List { .. } => quote!(!#e.is_empty()),
            Kind::InputOutput { .. } => quote!(true),
            Kind::Node { shape, form } => {
                if let Some(b) = self.bool_view(v)? {
                    quote!(#b.unwrap_or(false))
                } else if let Some(s) = self.str_view(v)? {
                    quote!(#s.is_some_and(|s| !s.is_empty()))
                } else if matches!(
                    self.ty(shape)?,
                    ShapeType::List | ShapeType::Set | ShapeType::Map
                ) {
                    match form {
                        Form::Opt => quote!(#e.is_some_and(|c| !c.is_empty())),
                        _ => quote!(!#e.is_empty()),
                    }
                } else {
                    match form {
                        Form::Opt => quote!(#e.is_some()),
                        _ => quote!(true),
                    }
                }
            }
        })
    }

    fn compare(&self, l: &Val, op: CompareOp, r: &Val) -> R<Val> {
        let eq = |a: TokenStream, b: TokenStream| -> R<TokenStream> {
            match op {
                CompareOp::Eq => Ok(quote!(#a == #b)),
                CompareOp::Ne => Ok(quote!(#a != #b)),
                _ => Err("`<`, `<=`, `>`, `>=` compare numbers only".into()),
            }
        };
        let expr = if let (Some(a), Some(b)) = (self.str_view(l)?, self.str_view(r)?) {
            eq(a, b)?
        } else if let (Some(a), Some(b)) = (self.bool_view(l)?, self.bool_view(r)?) {
            eq(a, b)?
        } else if let (Some(a), Some(b)) = (self.num_view(l)?, self.num_view(r)?) {
            match op {
                CompareOp::Eq => quote!(#a == #b),
                CompareOp::Ne => quote!(#a != #b),
                CompareOp::Lt => quote!(matches!((#a, #b), (Some(a), Some(b)) if a < b)),
                CompareOp::Le => quote!(matches!((#a, #b), (Some(a), Some(b)) if a <= b)),
                CompareOp::Gt => quote!(matches!((#a, #b), (Some(a), Some(b)) if a > b)),
                CompareOp::Ge => quote!(matches!((#a, #b), (Some(a), Some(b)) if a >= b)),
            }
        } else {
            return Err(
                "a comparison of values that are not both strings, numbers or booleans".into(),
            );
        };
        Ok(Val {
            kind: Kind::Bool,
            expr,
        })
    }

    fn call(&mut self, name: &str, args: &[Expr], cur: &Val) -> R<Val> {
        let args = args
            .iter()
            .map(|a| self.compile(a, cur))
            .collect::<R<Vec<_>>>()?;
        match (name, args.as_slice()) {
            ("length", [v]) => {
                let e = &v.expr;
                let expr = match &v.kind {
                    Kind::List { .. } => quote!(Some(#e.len() as f64)),
                    Kind::Node { shape, form } => {
                        if self.is_stringish(shape)? {
                            let s = self.str_view(v)?.unwrap_or_default();
                            quote!(#s.map(|s| s.chars().count() as f64))
                        } else if matches!(
                            self.ty(shape)?,
                            ShapeType::List | ShapeType::Set | ShapeType::Map
                        ) {
                            match form {
                                Form::Opt => quote!(#e.map(|c| c.len() as f64)),
                                _ => quote!(Some(#e.len() as f64)),
                            }
                        } else {
                            return Err(format!(
                                "`length` of `{}`, which is not a string, list or map",
                                shape.name
                            ));
                        }
                    }
                    Kind::Str => quote!(#e.map(|s| s.chars().count() as f64)),
                    _ => return Err("`length` of a value that has none".into()),
                };
                Ok(Val {
                    kind: Kind::Num,
                    expr,
                })
            }
            ("contains", [subject, search]) => {
                let Some(needle) = self.str_view(search)? else {
                    return Err("`contains` searches for strings only".into());
                };
                let expr = match &subject.kind {
                    Kind::Node { shape, .. } if self.is_stringish(shape)? => {
                        let hay = self.str_view(subject)?.unwrap_or_default();
                        quote!(#hay.zip(#needle).is_some_and(|(h, n)| h.contains(n)))
                    }
                    Kind::Node { .. } | Kind::List { .. } => {
                        let (it, elem) = match &subject.kind {
                            Kind::List { elem, .. } => {
                                let e = &subject.expr;
                                (quote!(#e.iter()), elem.clone())
                            }
                            _ => self.iter_list(subject)?,
                        };
                        if !self.is_stringish(&elem)? {
                            return Err("`contains` of a list that is not of strings".into());
                        }
                        quote!(#it.any(|s| Some(s.as_str()) == #needle))
                    }
                    _ => return Err("`contains` of a value that is not a string or list".into()),
                };
                Ok(Val {
                    kind: Kind::Bool,
                    expr,
                })
            }
            ("length" | "contains", _) => {
                Err(format!("`{name}` with the wrong number of arguments"))
            }
            _ => Err(format!("the function `{name}` is not supported")),
        }
    }

    /// An iterator of `&str` over a list of strings (a projection or a list member), for
    /// `allStringEquals` / `anyStringEquals`.
    pub fn string_items(&self, v: &Val) -> R<TokenStream> {
        let (it, elem) = match &v.kind {
            Kind::List { elem, .. } => {
                let e = &v.expr;
                (quote!(#e.iter()), elem.clone())
            }
            Kind::Node { .. } => self.iter_list(v)?,
            _ => return Err("expected a list of strings".into()),
        };
        if !self.is_stringish(&elem)? {
            return Err(format!("a list of `{}`, not of strings", elem.name));
        }
        Ok(quote!(#it.map(|s| s.as_str())))
    }
}

/// Wraps `tokens` in parentheses when one of `ops` is among its top-level punctuation.
fn paren_if(tokens: TokenStream, ops: &[&str]) -> TokenStream {
    let mut text = String::new();
    let mut top = Vec::new();
    for tt in tokens.clone() {
        match tt {
            proc_macro2::TokenTree::Punct(p) => {
                text.push(p.as_char());
                if p.spacing() == proc_macro2::Spacing::Alone {
                    top.push(std::mem::take(&mut text));
                }
            }
            _ => {
                if !text.is_empty() {
                    top.push(std::mem::take(&mut text));
                }
            }
        }
    }
    if top.iter().any(|p| ops.contains(&p.as_str())) {
        quote!((#tokens))
    } else {
        tokens
    }
}

/// `Option<&String>` as `Option<&str>`: `x.as_ref()` → `x.as_deref()`, else a map.
fn as_deref(e: &TokenStream) -> TokenStream {
    let trees: Vec<proc_macro2::TokenTree> = e.clone().into_iter().collect();
    if let [head @ .., proc_macro2::TokenTree::Punct(dot), proc_macro2::TokenTree::Ident(m), proc_macro2::TokenTree::Group(g)] =
        trees.as_slice()
    {
        if dot.as_char() == '.' && m == "as_ref" && g.stream().is_empty() {
            let head: TokenStream = head.iter().cloned().collect();
            return quote!(#head.as_deref());
        }
    }
    quote!(#e.map(|s| s.as_str()))
}

/// `Some(x)` → `x` (for a closure that already returns a certain value).
fn strip_some(tokens: TokenStream) -> TokenStream {
    let mut iter = tokens.clone().into_iter();
    match (iter.next(), iter.next(), iter.next()) {
        (Some(proc_macro2::TokenTree::Ident(i)), Some(proc_macro2::TokenTree::Group(g)), None)
            if i == "Some" =>
        {
            g.stream()
        }
        _ => tokens,
    }
}

fn index_expr(list: &TokenStream, n: i64) -> TokenStream {
    if n == 0 {
        quote!(#list.first())
    } else if n > 0 {
        let n = proc_macro2::Literal::u64_unsuffixed(n as u64);
        quote!(#list.get(#n))
    } else if n == -1 {
        quote!(#list.last())
    } else {
        let back = proc_macro2::Literal::u64_unsuffixed(n.unsigned_abs());
        quote!(#list.len().checked_sub(#back).and_then(|i| #list.get(i)))
    }
}

fn literal(v: &Value) -> R<Val> {
    Ok(match v {
        Value::String(s) => Val {
            kind: Kind::Str,
            expr: quote!(Some(#s)),
        },
        Value::Bool(b) => Val {
            kind: Kind::Bool,
            expr: quote!(#b),
        },
        Value::Number(n) => {
            let f = n.as_f64().ok_or("a number literal out of range")?;
            Val {
                kind: Kind::Num,
                expr: quote!(Some(#f)),
            }
        }
        _ => {
            return Err(format!(
                "the literal `{v}` (only strings, numbers and booleans)"
            ))
        }
    })
}
