//! The paths of `smithy.rules#operationContextParams` (a JMESPath subset) → a Rust
//! expression over the operation's input: `Bucket`, `Delete.Objects[*].Key`,
//! `keys(Tags)`. Sub-expressions (`a.b`), wildcard projections of lists (`a[*].b`, which
//! flatten) and `keys(map)` are supported; anything else is an error naming the path.
//!
//! The expression has type `Option<String>`, `Option<bool>` or `Option<Vec<String>>`:
//! `None` when a member on the way is unset; a projection gives a `Vec<String>` (possibly
//! empty).

use proc_macro2::TokenStream;
use quote::quote;

use super::ruleset::ParamType;
use crate::context::Context;
use crate::model::{ShapeId, ShapeType};

/// Whether the expression so far holds one optional value or iterates over many.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `Option<&T>`.
    One,
    /// An iterator of `&T`.
    Many,
}

/// What a path compiles to: the expression, the rule-set type it produces, and whether it
/// is always set (a projection: a plain `Vec<String>`, not an `Option`).
pub struct Compiled {
    pub expr: TokenStream,
    pub ty: ParamType,
    pub always: bool,
}

pub fn compile(ctx: &Context<'_>, input: &ShapeId, path: &str) -> Result<Compiled, String> {
    let path = path.trim();
    let (keys, path) = match path.strip_prefix("keys(").and_then(|p| p.strip_suffix(')')) {
        Some(inner) => (true, inner.trim()),
        None => (false, path),
    };
    let mut shape_id = input.clone();
    let mut code: Option<TokenStream> = None;
    let mut mode = Mode::One;
    for step in path.split('.') {
        let (name, project) = match step.strip_suffix("[*]") {
            Some(name) => (name, true),
            None => (step, false),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "`{step}` is not a member name (optionally with `[*]`)"
            ));
        }
        let shape = ctx.symbols.shape(&shape_id).map_err(|e| e.to_string())?;
        if shape.ty != ShapeType::Structure {
            return Err(format!(
                "`{name}` is read from a {:?}, not a structure",
                shape.ty
            ));
        }
        let Some(member) = shape.member(name) else {
            return Err(format!("`{}` has no member `{name}`", shape_id.name));
        };
        let ident = ctx
            .symbols
            .member_ident(&shape_id, name)
            .map_err(|e| e.to_string())?;
        let optional = ctx.symbols.is_optional(&shape_id, name);
        code = Some(match (&code, mode, optional) {
            (None, _, true) => quote!(input.#ident.as_ref()),
            (None, _, false) => quote!(Some(&input.#ident)),
            (Some(c), Mode::One, true) => quote!(#c.and_then(|v| v.#ident.as_ref())),
            (Some(c), Mode::One, false) => quote!(#c.map(|v| &v.#ident)),
            (Some(c), Mode::Many, true) => quote!(#c.filter_map(|v| v.#ident.as_ref())),
            (Some(c), Mode::Many, false) => quote!(#c.map(|v| &v.#ident)),
        });
        shape_id = member.target.clone();
        if project {
            let list = ctx.symbols.shape(&shape_id).map_err(|e| e.to_string())?;
            let item = match (list.ty, list.list_member()) {
                (ShapeType::List, Some(item)) if !list.traits.sparse => item.target.clone(),
                _ => {
                    return Err(format!(
                        "`{name}[*]` projects a {:?}, not a dense list",
                        list.ty
                    ))
                }
            };
            let c = code.take().unwrap_or_default();
            code = Some(match mode {
                Mode::One => quote!(#c.into_iter().flatten()),
                Mode::Many => quote!(#c.flatten()),
            });
            mode = Mode::Many;
            shape_id = item;
        }
    }
    let c = code.ok_or("the path is empty")?;
    let end = ctx.symbols.shape(&shape_id).map_err(|e| e.to_string())?;
    let item_ty = |id: &ShapeId| ctx.symbols.shape(id).map(|s| s.ty).ok();
    if keys {
        if mode != Mode::One || end.ty != ShapeType::Map {
            return Err("`keys(..)` needs a path to one map".into());
        }
        return Ok(Compiled {
            expr: quote!(#c.map(|map| {
                let mut keys: Vec<String> = map.keys().map(|k| k.to_string()).collect();
                keys.sort();
                keys
            })),
            ty: ParamType::StringArray,
            always: false,
        });
    }
    let (expr, ty) = match (mode, end.ty) {
        (Mode::One, ShapeType::String) => (quote!(#c.cloned()), ParamType::String),
        (Mode::One, ShapeType::Enum) => {
            (quote!(#c.map(|v| v.as_str().to_owned())), ParamType::String)
        }
        (Mode::One, ShapeType::Boolean) => (quote!(#c.copied()), ParamType::Boolean),
        (Mode::One, ShapeType::List) => match end.list_member().and_then(|m| item_ty(&m.target)) {
            Some(ShapeType::String) if !end.traits.sparse => {
                (quote!(#c.cloned()), ParamType::StringArray)
            }
            Some(ShapeType::Enum) if !end.traits.sparse => (
                quote!(#c.map(|v| v.iter().map(|e| e.as_str().to_owned()).collect())),
                ParamType::StringArray,
            ),
            _ => return Err("the list does not hold strings".into()),
        },
        (Mode::Many, ShapeType::String) => (
            quote!(#c.cloned().collect::<Vec<String>>()),
            ParamType::StringArray,
        ),
        (Mode::Many, ShapeType::Enum) => (
            quote!(#c.map(|v| v.as_str().to_owned()).collect::<Vec<String>>()),
            ParamType::StringArray,
        ),
        (_, ty) => {
            return Err(format!(
                "the path ends at a {ty:?}, not a string, boolean or list of strings"
            ))
        }
    };
    Ok(Compiled {
        expr,
        ty,
        always: mode == Mode::Many,
    })
}
