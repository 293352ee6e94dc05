//! The symbol provider: the one place that decides every Rust name and path in the
//! generated crate. Emitters ask `Symbols`; none of them formats a Rust name itself.
//!
//! Names are computed once, up front, in shape-id order, so collisions are resolved
//! deterministically (the first shape keeps the name, later ones get a numeric suffix).

pub mod case;
pub mod endpoint;
mod flows;
pub mod protocol_test;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::closure::Closure;
use crate::error::{CodegenError, Result};
use crate::index::Index;
use crate::model::{Model, Shape, ShapeId, ShapeType};

use case::{escape_camel, escape_snake, snake_case, upper_camel_case, Escaped};

pub use crate::model::SYNTHETIC_NAMESPACE;

/// Which module a named type lives in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeHome {
    /// `crate::types`.
    Types,
    /// `crate::types::error`.
    Errors,
    /// `crate::operation::<module>` (operation inputs and outputs).
    Operation(Escaped),
}

#[derive(Debug, Clone)]
struct TypeName {
    ident: String,
    home: TypeHome,
    /// The module (and file stem) under its home's folder (`access_log_settings`,
    /// `r#type` in `type.rs`).
    file: Escaped,
}

/// An operation's names: its module (also the client method) and its type-name stem.
#[derive(Debug, Clone)]
struct OperationName {
    /// `get_stage`, `r#match`.
    module: Escaped,
    /// `GetStage`, `Match`.
    ident: String,
}

/// Names that a generated type must not take, since they would shadow the std prelude or
/// names the generated modules use unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "ToString",
    "ToOwned",
    "HashMap",
    "Builder",
    "Client",
    "Config",
    "Error",
];

/// The std trait methods clippy's `should_implement_trait` knows: a member of one of these
/// names keeps its name (users expect `.add(..)` for a member `Add`), with the lint allowed.
const STD_TRAIT_METHODS: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// Whether a method of this name can trip clippy's `should_implement_trait`.
pub fn is_std_trait_method(name: &str) -> bool {
    STD_TRAIT_METHODS.contains(&name)
}

/// Method names the generated structures, builders and fluent builders define themselves;
/// a member that would take one of them as its name gets a `_value` suffix. `clone` is here
/// too: a getter or setter of that name would hide `Clone::clone` from method calls.
const RESERVED_MEMBER_NAMES: &[&str] = &["build", "builder", "send", "as_input", "config", "clone"];

/// Further method names of error structures (`code()`, `error_message()`).
const RESERVED_ERROR_MEMBER_NAMES: &[&str] = &["code", "error_message"];

/// Further method names of operation inputs' fluent builders.
const RESERVED_INPUT_MEMBER_NAMES: &[&str] = &["new", "customize"];

/// Further method names of unions: `is_unknown()` belongs to the catch-all variant.
const RESERVED_UNION_MEMBER_NAMES: &[&str] = &["unknown"];

/// Names an error type must not take: the operation error enums' catch-all variant.
const RESERVED_ERROR_TYPE_NAMES: &[&str] = &["Unhandled"];

/// Client methods that are not operations: an operation module may not take them.
const RESERVED_OPERATION_MODULES: &[&str] = &["new", "from_conf", "config"];

/// Module names a type's file may not take in `types` (and `types::error`).
const RESERVED_TYPE_FILES: &[&str] = &["builders", "error"];

/// All names of one generated crate. It reads shapes from the (normalized) model it
/// borrows and stores none itself.
#[derive(Debug, Clone)]
pub struct Symbols<'a> {
    model: &'a Model,
    types: BTreeMap<ShapeId, TypeName>,
    members: BTreeMap<(ShapeId, String), Escaped>,
    variants: BTreeMap<(ShapeId, String), String>,
    operations: BTreeMap<ShapeId, OperationName>,
    optional: BTreeSet<(ShapeId, String)>,
    /// Operation → (input, output) shape ids; `smithy.api#Unit` gets a synthetic id.
    operation_io: BTreeMap<ShapeId, (ShapeId, ShapeId)>,
    boxed: BTreeSet<(ShapeId, String)>,
    crate_name: String,
}

impl<'a> Symbols<'a> {
    pub fn new(index: &Index<'a>, closure: &Closure, crate_name: &str) -> Result<Symbols<'a>> {
        let service = index.service()?;
        let renames = service
            .service
            .as_ref()
            .map(|s| s.rename.clone())
            .unwrap_or_default();
        let mut symbols = Symbols {
            model: index.model,
            types: BTreeMap::new(),
            members: BTreeMap::new(),
            variants: BTreeMap::new(),
            operations: BTreeMap::new(),
            optional: BTreeSet::new(),
            operation_io: BTreeMap::new(),
            boxed: BTreeSet::new(),
            crate_name: crate_name.to_string(),
        };
        let base_name = |id: &ShapeId| -> String {
            let name = renames.get(id).cloned().unwrap_or_else(|| id.name.clone());
            escape_camel(&upper_camel_case(&name))
        };

        // Operations first: their modules, and the names of their inputs and outputs.
        let mut taken_modules: BTreeSet<String> = RESERVED_OPERATION_MODULES
            .iter()
            .map(|m| m.to_string())
            .collect();
        let mut taken_idents = BTreeSet::new();
        for op_id in &closure.operations {
            let module = unique(
                &mut taken_modules,
                escape_snake(&snake_case(&base_name(op_id))).source_text(),
                "_",
            );
            let module = match module.strip_prefix("r#") {
                Some(raw) => Escaped::Raw(raw.to_string()),
                None => Escaped::Plain(module),
            };
            let ident = unique(&mut taken_idents, base_name(op_id), "");
            symbols
                .operations
                .insert(op_id.clone(), OperationName { module, ident });
        }
        let mut taken: BTreeMap<TypeHome, BTreeSet<String>> = BTreeMap::new();
        for op_id in &closure.operations {
            let op = index.get(op_id)?;
            let names = symbols.operations[op_id].clone();
            let op_name = names.ident;
            let home = TypeHome::Operation(names.module.clone());
            let names = taken.entry(home.clone()).or_default();
            names.insert(format!("{op_name}Error"));
            names.insert(format!("{op_name}FluentBuilder"));
            let io = [
                (index.operation_structure_id(op, true)?, "Input"),
                (index.operation_structure_id(op, false)?, "Output"),
            ];
            let mut ids = Vec::new();
            for (id, suffix) in io {
                ids.push(id.clone());
                if symbols.types.contains_key(&id) {
                    continue;
                }
                let ident = unique(
                    taken.entry(home.clone()).or_default(),
                    format!("{op_name}{suffix}"),
                    "",
                );
                let file = escape_snake(&snake_case(&ident));
                symbols.types.insert(
                    id,
                    TypeName {
                        ident,
                        home: home.clone(),
                        file,
                    },
                );
            }
            symbols
                .operation_io
                .insert(op_id.clone(), (ids[0].clone(), ids[1].clone()));
        }
        // Then every other named type, in shape-id order.
        let mut taken_files: BTreeMap<TypeHome, BTreeSet<String>> = BTreeMap::new();
        for id in &closure.shapes {
            let shape = index.get(id)?;
            let named = matches!(
                shape.ty,
                ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum
            );
            if !named || symbols.types.contains_key(id) || shape.traits.mixin {
                continue;
            }
            let home = if shape.traits.error.is_some() {
                TypeHome::Errors
            } else {
                TypeHome::Types
            };
            let mut wanted = base_name(id);
            if RESERVED_TYPE_NAMES.contains(&wanted.as_str())
                || (home == TypeHome::Errors
                    && RESERVED_ERROR_TYPE_NAMES.contains(&wanted.as_str()))
            {
                wanted.push_str("Value");
            }
            let names = taken.entry(home.clone()).or_default();
            if home == TypeHome::Types {
                // `types` also holds each builder and the `error` module.
                names.insert("UnknownVariantValue".to_string());
            }
            let ident = unique(names, wanted, "");
            let files = taken_files
                .entry(home.clone())
                .or_insert_with(|| RESERVED_TYPE_FILES.iter().map(|f| f.to_string()).collect());
            let file = escape_snake(&unique(files, snake_case(&ident), "_"));
            symbols
                .types
                .insert(id.clone(), TypeName { ident, home, file });
        }

        // Members, variants, nullability and boxing.
        let recursive = recursive_edges(index.model, &closure.shapes);
        let synthetic: Vec<ShapeId> = symbols
            .operation_io
            .values()
            .flat_map(|(i, o)| [i.clone(), o.clone()])
            .filter(|id| !closure.shapes.contains(id))
            .collect();
        for id in closure.shapes.iter().chain(&synthetic) {
            let shape = index.get(id)?;
            match shape.ty {
                ShapeType::Structure | ShapeType::Union => {
                    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
                    let is_input = symbols.operation_io.values().any(|(input, _)| input == id);
                    let reserved = |snake: &str| {
                        RESERVED_MEMBER_NAMES.contains(&snake)
                            || (shape.traits.error.is_some()
                                && RESERVED_ERROR_MEMBER_NAMES.contains(&snake))
                            || (is_input && RESERVED_INPUT_MEMBER_NAMES.contains(&snake))
                            || (shape.ty == ShapeType::Union
                                && RESERVED_UNION_MEMBER_NAMES.contains(&snake))
                    };
                    for member in &shape.members {
                        let mut snake = snake_case(&member.name);
                        if reserved(&snake) {
                            snake.push_str("_value");
                        }
                        if let Some(other) = seen.insert(snake.clone(), &member.name) {
                            return Err(CodegenError::new(format!(
                                "members `{other}` and `{}` both become the Rust name `{snake}`; rename one",
                                member.name
                            ))
                            .in_file(&shape.source)
                            .at_shape(id)
                            .at_member(&member.name));
                        }
                        let key = (id.clone(), member.name.clone());
                        symbols.members.insert(key.clone(), escape_snake(&snake));
                        if shape.ty == ShapeType::Structure && index.is_optional(shape, member) {
                            symbols.optional.insert(key.clone());
                        }
                        if recursive.contains(&key) {
                            symbols.boxed.insert(key);
                        }
                    }
                    symbols.check_methods(shape)?;
                    if shape.ty == ShapeType::Union {
                        symbols.assign_variants(shape);
                    }
                }
                ShapeType::Enum | ShapeType::IntEnum => symbols.assign_variants(shape),
                _ => {}
            }
        }
        Ok(symbols)
    }

    /// Checks that the methods derived from member names (getters, `set_x`/`get_x`,
    /// `as_x`/`is_x`) are unique within each impl: a clash is a model error naming both
    /// members.
    fn check_methods(&self, shape: &Shape) -> Result<()> {
        let mut methods: BTreeMap<String, &str> = BTreeMap::new();
        for member in &shape.members {
            let bare = self
                .member_escaped(&shape.id, &member.name)?
                .bare()
                .to_string();
            let derived: Vec<String> = if shape.ty == ShapeType::Union {
                vec![format!("as_{bare}"), format!("is_{bare}")]
            } else {
                vec![bare.clone(), format!("set_{bare}"), format!("get_{bare}")]
            };
            for method in derived {
                if let Some(other) = methods.insert(method.clone(), &member.name) {
                    return Err(CodegenError::new(format!(
                        "members `{other}` and `{}` both need the Rust method `{method}`; rename one",
                        member.name
                    ))
                    .in_file(&shape.source)
                    .at_shape(&shape.id)
                    .at_member(&member.name));
                }
            }
        }
        Ok(())
    }

    /// Variant names for enum, intEnum and union members: UpperCamelCase of the member
    /// name; `Unknown` is kept for the catch-all variant, so a member named so becomes
    /// `UnknownValue`; later duplicates after case-folding get a numeric suffix.
    fn assign_variants(&mut self, shape: &Shape) {
        let mut taken = BTreeSet::from(["Unknown".to_string()]);
        for member in &shape.members {
            let mut wanted = escape_camel(&upper_camel_case(&member.name));
            if wanted == "Unknown" {
                wanted = "UnknownValue".to_string();
            }
            let ident = unique(&mut taken, wanted, "");
            self.variants
                .insert((shape.id.clone(), member.name.clone()), ident);
        }
    }

    /// The generated package's name.
    pub fn crate_name(&self) -> &str {
        &self.crate_name
    }

    /// Whether `target` is a `@streaming` blob (a `crate::primitives::ByteStream`).
    pub fn is_byte_stream(&self, target: &ShapeId) -> bool {
        self.model
            .shapes
            .get(target)
            .is_some_and(|s| s.ty == ShapeType::Blob && s.traits.streaming)
    }

    /// The structure's member that targets a `@streaming` blob, if any (such structures
    /// are neither `Clone` nor `PartialEq`: a stream is read once).
    pub fn byte_stream_member(&self, structure: &ShapeId) -> Option<&'a crate::model::Member> {
        self.model
            .shapes
            .get(structure)?
            .members
            .iter()
            .find(|m| self.is_byte_stream(&m.target))
    }

    /// Whether `target` is an event stream (a `@streaming` union, an
    /// `rt::event_stream::EventReceiver`).
    pub fn is_event_stream(&self, target: &ShapeId) -> bool {
        self.model
            .shapes
            .get(target)
            .is_some_and(|s| s.ty == ShapeType::Union && s.traits.streaming)
    }

    /// Whether `target` is read once (a `@streaming` blob or union): structures holding
    /// one are neither `Clone` nor `PartialEq`, and it is never JSON.
    pub fn is_stream(&self, target: &ShapeId) -> bool {
        self.is_byte_stream(target) || self.is_event_stream(target)
    }

    /// The structure's member that targets an event stream, if any.
    pub fn event_stream_member(&self, structure: &ShapeId) -> Option<&'a crate::model::Member> {
        self.model
            .shapes
            .get(structure)?
            .members
            .iter()
            .find(|m| self.is_event_stream(&m.target))
    }

    /// Whether the event stream `union` is sent (an operation input's member targets it).
    /// A union can be both sent and received (by different operations, or both ways by
    /// one).
    pub fn is_input_event_stream(&self, union: &ShapeId) -> bool {
        self.is_event_stream(union)
            && self.operation_io.values().any(|(input, _)| {
                self.model
                    .shapes
                    .get(input)
                    .is_some_and(|s| s.members.iter().any(|m| &m.target == union))
            })
    }

    /// Whether the event stream `union` is received (an operation output's member targets
    /// it).
    pub fn is_output_event_stream(&self, union: &ShapeId) -> bool {
        self.is_event_stream(union)
            && self.operation_io.values().any(|(_, output)| {
                self.model
                    .shapes
                    .get(output)
                    .is_some_and(|s| s.members.iter().any(|m| &m.target == union))
            })
    }

    /// Whether the event stream has an error enum: it is received, or it has modeled
    /// exception members (which are never events).
    pub fn has_event_stream_error(&self, union: &ShapeId) -> bool {
        self.is_event_stream(union)
            && (!self.is_input_event_stream(union)
                || self.is_output_event_stream(union)
                || self
                    .model
                    .shapes
                    .get(union)
                    .is_some_and(|s| s.members.iter().any(|m| self.is_exception_event(m))))
    }

    /// The Rust value type of `container`'s member targeting `target`, without `Option`: as
    /// [`rust_type`](Self::rust_type), except that an event stream in an operation's input
    /// is an `rt::event_stream::EventStreamSender` of its events (elsewhere an
    /// `EventReceiver`).
    pub fn member_value_type(&self, container: &ShapeId, target: &ShapeId) -> Result<TokenStream> {
        let sent = self.is_event_stream(target)
            && self
                .operation_io
                .values()
                .any(|(input, _)| input == container);
        if sent {
            let event = self.type_path(target)?;
            return Ok(quote!(crate::rt::event_stream::EventStreamSender<#event>));
        }
        self.rust_type(target)
    }

    /// The marshaller of an input event stream's events, in `src/protocol/shapes.rs`
    /// (`marshall_audio_stream`).
    pub fn event_stream_marshaller(&self, union: &ShapeId) -> Result<Ident> {
        Ok(format_ident!("marshall_{}", self.type_file(union)?))
    }

    /// Whether the event stream's member is a modeled exception (it targets an `@error`
    /// structure): it comes out as the stream's error, not as an event.
    pub fn is_exception_event(&self, member: &crate::model::Member) -> bool {
        self.model
            .shapes
            .get(&member.target)
            .is_some_and(|s| s.traits.error.is_some())
    }

    /// The error enum of an event stream's modeled exceptions
    /// (`ConverseStreamOutputError`), in the union's module.
    pub fn event_stream_error_ident(&self, union: &ShapeId) -> Result<Ident> {
        Ok(format_ident!("{}Error", self.type_ident(union)?))
    }

    /// `crate::types::ConverseStreamOutputError`.
    pub fn event_stream_error_path(&self, union: &ShapeId) -> Result<TokenStream> {
        let module = self.type_module_path(union)?;
        let name = self.event_stream_error_ident(union)?;
        Ok(quote!(#module::#name))
    }

    /// The unmarshaller of an event stream's messages, in `src/protocol/shapes.rs`
    /// (`unmarshall_converse_stream_output`).
    pub fn event_stream_unmarshaller(&self, union: &ShapeId) -> Result<Ident> {
        Ok(format_ident!("unmarshall_{}", self.type_file(union)?))
    }

    /// The shape behind an id in the closure or prelude.
    pub fn shape(&self, id: &ShapeId) -> Result<&'a Shape> {
        self.model.shapes.get(id).ok_or_else(|| {
            CodegenError::new(format!("shape `{id}` is not in the generated closure")).at_shape(id)
        })
    }

    fn type_name(&self, id: &ShapeId) -> Result<&TypeName> {
        self.types.get(id).ok_or_else(|| {
            CodegenError::new(format!("shape `{id}` has no generated type")).at_shape(id)
        })
    }

    /// Whether the shape becomes a named Rust type (structure, union, enum, intEnum).
    pub fn has_type(&self, id: &ShapeId) -> bool {
        self.types.contains_key(id)
    }

    /// Every named type, in shape-id order.
    pub fn named_types(&self) -> impl Iterator<Item = &ShapeId> {
        self.types.keys()
    }

    /// Where a named type lives.
    pub fn type_home(&self, id: &ShapeId) -> Result<TypeHome> {
        Ok(self.type_name(id)?.home.clone())
    }

    /// The type's name (`AccessLogSettings`, `GetStageInput`).
    pub fn type_ident(&self, id: &ShapeId) -> Result<Ident> {
        Ok(ident(&self.type_name(id)?.ident))
    }

    /// The type's name as text, for messages (`GetStageInput`).
    pub fn type_name_text(&self, id: &ShapeId) -> Result<String> {
        Ok(self.type_name(id)?.ident.clone())
    }

    /// The type's file stem in its module folder (`access_log_settings`, `type`).
    pub fn type_file(&self, id: &ShapeId) -> Result<String> {
        Ok(self.type_name(id)?.file.bare().to_string())
    }

    /// The module of the type's file (`access_log_settings`, `r#type`).
    pub fn type_module_ident(&self, id: &ShapeId) -> Result<Ident> {
        Ok(escaped_ident(&self.type_name(id)?.file))
    }

    /// The module path of a named type (`crate::types`).
    pub fn type_module_path(&self, id: &ShapeId) -> Result<TokenStream> {
        Ok(match &self.type_name(id)?.home {
            TypeHome::Types => quote!(crate::types),
            TypeHome::Errors => quote!(crate::types::error),
            TypeHome::Operation(module) => {
                let module = escaped_ident(module);
                quote!(crate::operation::#module)
            }
        })
    }

    /// The full path of a named type (`crate::types::AccessLogSettings`).
    pub fn type_path(&self, id: &ShapeId) -> Result<TokenStream> {
        // `smithy.api#Unit` (a union member with no value) is `()`.
        if id.is_unit() {
            return Ok(quote!(()));
        }
        let module = self.type_module_path(id)?;
        let name = self.type_ident(id)?;
        Ok(quote!(#module::#name))
    }

    /// The builder's name (`AccessLogSettingsBuilder`).
    pub fn builder_ident(&self, id: &ShapeId) -> Result<Ident> {
        Ok(Self::builder_ident_of(&self.type_ident(id)?))
    }

    /// The builder's full path (`crate::types::builders::AccessLogSettingsBuilder`, or the
    /// operation module for inputs and outputs).
    pub fn builder_path(&self, id: &ShapeId) -> Result<TokenStream> {
        let builder = self.builder_ident(id)?;
        Ok(match &self.type_name(id)?.home {
            TypeHome::Types => quote!(crate::types::builders::#builder),
            TypeHome::Errors => quote!(crate::types::error::builders::#builder),
            TypeHome::Operation(module) => {
                let module = escaped_ident(module);
                quote!(crate::operation::#module::#builder)
            }
        })
    }

    /// A member's field and method name (`api_id`, `r#type`, `self_value`).
    pub fn member_ident(&self, container: &ShapeId, member: &str) -> Result<Ident> {
        Ok(escaped_ident(self.member_escaped(container, member)?))
    }

    /// The member name without `r#`, for docs and messages (`type`).
    pub fn member_bare(&self, container: &ShapeId, member: &str) -> Result<String> {
        Ok(self.member_escaped(container, member)?.bare().to_string())
    }

    /// The locals a JSON reader of a structure keeps its members in, in member order: the
    /// member's field name (`api_id`, `r#type`), or `<name>_value` (then `_2`, ...) where
    /// that is one of the reader's own names (`map_value`).
    pub fn reader_locals(&self, container: &ShapeId) -> Result<Vec<Ident>> {
        let shape = self.shape(container)?;
        let fields = shape
            .members
            .iter()
            .map(|m| self.member_escaped(container, &m.name).cloned())
            .collect::<Result<Vec<_>>>()?;
        let mut taken: BTreeSet<String> = RESERVED_READER_LOCALS
            .iter()
            .map(|s| s.to_string())
            .chain(fields.iter().map(|f| f.bare().to_string()))
            .collect();
        Ok(fields
            .iter()
            .map(|f| {
                if RESERVED_READER_LOCALS.contains(&f.bare()) {
                    ident(&unique(&mut taken, format!("{}_value", f.bare()), "_"))
                } else {
                    escaped_ident(f)
                }
            })
            .collect())
    }

    /// A builder's `Option` setter of a member (`set_api_id`, `set_type`).
    pub fn member_setter(&self, container: &ShapeId, member: &str) -> Result<Ident> {
        Ok(format_ident!(
            "set_{}",
            self.member_bare(container, member)?
        ))
    }

    /// A builder's getter of a member (`get_api_id`).
    pub fn member_getter(&self, container: &ShapeId, member: &str) -> Result<Ident> {
        Ok(format_ident!(
            "get_{}",
            self.member_bare(container, member)?
        ))
    }

    /// A union's `as_x` accessor of a variant.
    pub fn variant_as_fn(&self, union: &ShapeId, member: &str) -> Result<Ident> {
        Ok(format_ident!("as_{}", self.member_bare(union, member)?))
    }

    /// A union's `is_x` test of a variant.
    pub fn variant_is_fn(&self, union: &ShapeId, member: &str) -> Result<Ident> {
        Ok(format_ident!("is_{}", self.member_bare(union, member)?))
    }

    /// An operation error enum's `is_x` test of a modeled error (`is_not_found_exception`).
    pub fn error_is_fn(&self, error: &ShapeId) -> Result<Ident> {
        Ok(format_ident!(
            "is_{}",
            snake_case(&self.type_name(error)?.ident)
        ))
    }

    /// A builder's name from its type's name (`AccessLogSettingsBuilder`).
    pub fn builder_ident_of(type_ident: &Ident) -> Ident {
        format_ident!("{}Builder", type_ident)
    }

    /// The CLI example's function that runs an operation (`run_get_stage`).
    pub fn cli_run_fn(&self, op: &ShapeId) -> Result<Ident> {
        Ok(format_ident!("run_{}", self.operation_dir(op)?))
    }

    /// The CLI example's command name of an operation (`get-stage`).
    pub fn cli_command(&self, op: &ShapeId) -> Result<String> {
        Ok(self.operation_dir(op)?.replace('_', "-"))
    }

    fn member_escaped(&self, container: &ShapeId, member: &str) -> Result<&Escaped> {
        self.members
            .get(&(container.clone(), member.to_string()))
            .ok_or_else(|| {
                CodegenError::new("member has no generated name")
                    .at_shape(container)
                    .at_member(member)
            })
    }

    /// `GetStageInput.stage_name`: how messages name a member.
    pub fn member_label(&self, container: &ShapeId, member: &str) -> Result<String> {
        Ok(format!(
            "{}.{}",
            self.type_name(container)?.ident,
            self.member_bare(container, member)?
        ))
    }

    /// The variant of an enum, intEnum or union member (`Error`, `V2xx`).
    pub fn variant_ident(&self, shape: &ShapeId, member: &str) -> Result<Ident> {
        self.variants
            .get(&(shape.clone(), member.to_string()))
            .map(|v| ident(v))
            .ok_or_else(|| {
                CodegenError::new("member has no variant name")
                    .at_shape(shape)
                    .at_member(member)
            })
    }

    /// Whether a structure member is `Option<T>`.
    pub fn is_optional(&self, container: &ShapeId, member: &str) -> bool {
        self.optional
            .contains(&(container.clone(), member.to_string()))
    }

    /// Whether a structure or union member is boxed (it closes a cycle of direct
    /// structure/union containment, which would make the type infinitely sized).
    pub fn is_boxed(&self, container: &ShapeId, member: &str) -> bool {
        self.boxed
            .contains(&(container.clone(), member.to_string()))
    }

    fn operation_name(&self, op: &ShapeId) -> Result<&OperationName> {
        self.operations.get(op).ok_or_else(|| {
            CodegenError::new("operation is not in the generated closure").at_shape(op)
        })
    }

    /// The operation's module (`get_stage`, `r#match`); also the client method's name.
    pub fn operation_module(&self, op: &ShapeId) -> Result<Ident> {
        Ok(escaped_ident(&self.operation_name(op)?.module))
    }

    /// The operation module's folder under `src/operation/` (`get_stage`, `match`).
    pub fn operation_dir(&self, op: &ShapeId) -> Result<String> {
        Ok(self.operation_name(op)?.module.bare().to_string())
    }

    /// The operation's input structure id (synthetic and empty for `smithy.api#Unit`).
    pub fn operation_input(&self, op: &ShapeId) -> Result<&ShapeId> {
        self.operation_io
            .get(op)
            .map(|(input, _)| input)
            .ok_or_else(|| {
                CodegenError::new("operation is not in the generated closure").at_shape(op)
            })
    }

    /// The operation's output structure id (synthetic and empty for `smithy.api#Unit`).
    pub fn operation_output(&self, op: &ShapeId) -> Result<&ShapeId> {
        self.operation_io
            .get(op)
            .map(|(_, output)| output)
            .ok_or_else(|| {
                CodegenError::new("operation is not in the generated closure").at_shape(op)
            })
    }

    /// `GetStage`.
    pub fn operation_ident(&self, op: &ShapeId) -> Result<Ident> {
        Ok(ident(&self.operation_name(op)?.ident))
    }

    /// `GetStageError`.
    pub fn operation_error_ident(&self, op: &ShapeId) -> Result<Ident> {
        Ok(format_ident!("{}Error", self.operation_ident(op)?))
    }

    /// `crate::operation::get_stage::GetStageError`.
    pub fn operation_error_path(&self, op: &ShapeId) -> Result<TokenStream> {
        let module = self.operation_module(op)?;
        let name = self.operation_error_ident(op)?;
        Ok(quote!(crate::operation::#module::#name))
    }

    /// `GetStageFluentBuilder`.
    pub fn fluent_builder_ident(&self, op: &ShapeId) -> Result<Ident> {
        Ok(format_ident!("{}FluentBuilder", self.operation_ident(op)?))
    }

    /// The Rust value type of a shape, without `Option`: `String`, `i32`,
    /// `Vec<crate::types::RouteSettings>`, `::std::collections::HashMap<String, String>`.
    pub fn rust_type(&self, target: &ShapeId) -> Result<TokenStream> {
        let shape = self.shape(target)?;
        Ok(match shape.ty {
            ShapeType::Blob if shape.traits.streaming => quote!(crate::primitives::ByteStream),
            ShapeType::Union if shape.traits.streaming => {
                let event = self.type_path(target)?;
                let error = self.event_stream_error_path(target)?;
                quote!(crate::rt::event_stream::EventReceiver<#event, #error>)
            }
            ShapeType::Blob => quote!(crate::primitives::Blob),
            ShapeType::Boolean => quote!(bool),
            ShapeType::String => quote!(String),
            ShapeType::Byte => quote!(i8),
            ShapeType::Short => quote!(i16),
            ShapeType::Integer => quote!(i32),
            ShapeType::Long => quote!(i64),
            ShapeType::Float => quote!(f32),
            ShapeType::Double => quote!(f64),
            ShapeType::BigInteger => quote!(crate::primitives::BigInteger),
            ShapeType::BigDecimal => quote!(crate::primitives::BigDecimal),
            ShapeType::Timestamp => quote!(crate::primitives::DateTime),
            ShapeType::Document => quote!(crate::primitives::Document),
            ShapeType::Enum | ShapeType::IntEnum | ShapeType::Structure | ShapeType::Union => {
                self.type_path(target)?
            }
            ShapeType::List | ShapeType::Set => {
                let member = shape.list_member().ok_or_else(|| {
                    CodegenError::new("list has no member")
                        .in_file(&shape.source)
                        .at_shape(target)
                })?;
                let item = self.rust_type(&member.target)?;
                if shape.traits.sparse {
                    quote!(Vec<Option<#item>>)
                } else {
                    quote!(Vec<#item>)
                }
            }
            ShapeType::Map => {
                let (key, value) = shape.map_key_value().ok_or_else(|| {
                    CodegenError::new("map has no key or value")
                        .in_file(&shape.source)
                        .at_shape(target)
                })?;
                let key = self.rust_type(&key.target)?;
                let value = self.rust_type(&value.target)?;
                if shape.traits.sparse {
                    quote!(::std::collections::HashMap<#key, Option<#value>>)
                } else {
                    quote!(::std::collections::HashMap<#key, #value>)
                }
            }
            ShapeType::Operation | ShapeType::Service | ShapeType::Resource => {
                return Err(CodegenError::new(format!(
                    "a member cannot target the {} `{target}`",
                    shape.ty.as_ast()
                ))
                .in_file(&shape.source)
                .at_shape(target))
            }
        })
    }

    /// A structure field's or union variant's type: `rust_type`, boxed when recursive,
    /// wrapped in `Option` when optional.
    pub fn member_type(&self, container: &ShapeId, member: &str) -> Result<TokenStream> {
        let shape = self.shape(container)?;
        let target = &shape
            .member(member)
            .ok_or_else(|| {
                CodegenError::new("no such member")
                    .at_shape(container)
                    .at_member(member)
            })?
            .target;
        let mut ty = self.member_value_type(container, target)?;
        if self.is_boxed(container, member) {
            ty = quote!(Box<#ty>);
        }
        if self.is_optional(container, member) {
            ty = quote!(Option<#ty>);
        }
        Ok(ty)
    }

    /// The naming table, for snapshots: shape or `shape$member` → Rust path or name.
    pub fn table(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for id in self.types.keys() {
            if let Ok(path) = self.type_path(id) {
                out.insert(id.to_string(), tokens_text(&path));
            }
        }
        for ((container, member), escaped) in &self.members {
            let mut text = escaped.source_text();
            if let Ok(ty) = self.member_type(container, member) {
                text = format!("{text}: {}", tokens_text(&ty));
            }
            out.insert(format!("{container}${member}"), text);
        }
        for ((shape, member), variant) in &self.variants {
            out.insert(format!("{shape}${member}"), format!("variant {variant}"));
        }
        for (op, names) in &self.operations {
            out.insert(
                op.to_string(),
                format!("crate::operation::{}", names.module.source_text()),
            );
        }
        out
    }
}

/// Takes `wanted` if free, else `wanted{sep}2`, `wanted{sep}3`, ...; records the choice.
fn unique(taken: &mut BTreeSet<String>, wanted: String, sep: &str) -> String {
    let mut candidate = wanted.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{wanted}{sep}{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// The `static` holding the `i`th compiled `@pattern` regex (`PATTERN_0`).
pub fn pattern_static(i: usize) -> Ident {
    format_ident!("PATTERN_{}", i)
}

/// Names a JSON reader must not give its member locals: its own parameters and locals.
const RESERVED_READER_LOCALS: &[&str] = &["ctx", "map", "full", "key"];

/// A plain identifier. Names reaching here are already escaped and valid.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn escaped_ident(e: &Escaped) -> Ident {
    match e {
        Escaped::Plain(s) => ident(s),
        Escaped::Raw(s) => Ident::new_raw(s, Span::call_site()),
    }
}

/// Token text with the spacing `quote` inserts removed around `::` and `<>`.
fn tokens_text(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// Structure/union members whose target is in the same strongly connected component of
/// the direct-containment graph as their container: boxing those breaks every cycle.
fn recursive_edges(model: &Model, closure: &BTreeSet<ShapeId>) -> BTreeSet<(ShapeId, String)> {
    let shapes = &model.shapes;
    let is_node = |id: &ShapeId| {
        shapes
            .get(id)
            .is_some_and(|s| matches!(s.ty, ShapeType::Structure | ShapeType::Union))
    };
    let nodes: Vec<&ShapeId> = closure.iter().filter(|id| is_node(id)).collect();
    // Reachability by iterative DFS from each node; models are small enough (hundreds of
    // shapes) that this quadratic walk costs nothing measurable.
    let reach = |from: &ShapeId| -> BTreeSet<ShapeId> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(id) = stack.pop() {
            if let Some(shape) = shapes.get(&id) {
                for m in &shape.members {
                    if is_node(&m.target) && seen.insert(m.target.clone()) {
                        stack.push(m.target.clone());
                    }
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&ShapeId, BTreeSet<ShapeId>> =
        nodes.iter().map(|id| (*id, reach(id))).collect();
    let mut out = BTreeSet::new();
    for id in &nodes {
        let shape = &shapes[*id];
        for m in &shape.members {
            let closes_cycle =
                is_node(&m.target) && reachable.get(&m.target).is_some_and(|r| r.contains(*id));
            if closes_cycle {
                out.insert(((*id).clone(), m.name.clone()));
            }
        }
    }
    out
}

/// The `n`th closure variable of a compiled JMESPath expression (`v1`, `v2`, ...): never a
/// member or type name, since those are snake_case words or CamelCase.
pub fn closure_var(n: usize) -> Ident {
    format_ident!("v{}", n)
}
