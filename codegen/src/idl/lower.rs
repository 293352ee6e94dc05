//! IDL syntax tree → the raw AST (`parse::ModelFile`) the JSON front end produces, so
//! `assemble` and everything after it treat both front ends alike.
//!
//! Here relative shape ids are resolved (a `use` statement, then a shape of the file's
//! namespace defined in any file of the model, then the prelude, else the file's namespace),
//! unquoted shape ids in trait and metadata values become absolute id strings, `= value`
//! becomes `@default` (or `@enumValue` in enums), and elided member targets (`$name`) are
//! looked up in the `for` resource's identifiers and properties, then in the mixins; that
//! lookup crosses files (and front ends), so all files are lowered together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::lexer::Pos;
use super::parser::{AstMember, AstShape, AstTrait, IdlFile, Node};
use crate::error::{CodegenError, Result};
use crate::model::{OperationInfo, ResourceInfo, ServiceInfo, ShapeId, ShapeType};
use crate::parse::{ModelFile, RawApply, RawMember, RawShape, RawTraits, SmithyVersion};

/// Every shape of the `smithy.api` prelude (types and traits), for relative id resolution.
const PRELUDE: &[&str] = &[
    "String",
    "Blob",
    "BigInteger",
    "BigDecimal",
    "Timestamp",
    "Document",
    "Boolean",
    "PrimitiveBoolean",
    "Byte",
    "PrimitiveByte",
    "Short",
    "PrimitiveShort",
    "Integer",
    "PrimitiveInteger",
    "Long",
    "PrimitiveLong",
    "Float",
    "PrimitiveFloat",
    "Double",
    "PrimitiveDouble",
    "Unit",
    "NonEmptyString",
    "NonEmptyStringList",
    "NonEmptyStringMap",
    "LocalMixinTraitList",
    "TraitShapeId",
    "TraitShapeIdList",
    "addedDefault",
    "auth",
    "authDefinition",
    "box",
    "clientOptional",
    "cors",
    "default",
    "deprecated",
    "documentation",
    "endpoint",
    "enum",
    "enumValue",
    "error",
    "eventHeader",
    "eventPayload",
    "examples",
    "externalDocumentation",
    "hostLabel",
    "http",
    "httpApiKeyAuth",
    "httpBasicAuth",
    "httpBearerAuth",
    "httpChecksumRequired",
    "httpDigestAuth",
    "httpError",
    "httpHeader",
    "httpLabel",
    "httpPayload",
    "httpPrefixHeaders",
    "httpQuery",
    "httpQueryParams",
    "httpResponseCode",
    "idRef",
    "idempotencyToken",
    "idempotent",
    "input",
    "internal",
    "jsonName",
    "length",
    "localMixin",
    "mediaType",
    "mixin",
    "nestedProperties",
    "noReplace",
    "notProperty",
    "optionalAuth",
    "output",
    "paginated",
    "pattern",
    "private",
    "property",
    "protocolDefinition",
    "range",
    "readonly",
    "recommended",
    "references",
    "requestCompression",
    "required",
    "requiresLength",
    "resourceIdentifier",
    "retryable",
    "sensitive",
    "since",
    "sparse",
    "streaming",
    "suppress",
    "tags",
    "timestampFormat",
    "title",
    "trait",
    "traitValidators",
    "uniqueItems",
    "unitType",
    "unstable",
    "xmlAttribute",
    "xmlFlattened",
    "xmlName",
    "xmlNamespace",
];

/// A member whose target was elided (`$name`), to fill in once every file is lowered.
struct Pending {
    file: usize,
    shape: usize,
    member: usize,
    pos: Pos,
    path: PathBuf,
    /// The shape's `for` resource, if any.
    for_resource: Option<ShapeId>,
}

/// Lowers parsed IDL files. `others` are the model's JSON files: their shapes count as
/// defined for id resolution and target elision.
pub fn lower(idl: Vec<(PathBuf, IdlFile)>, others: &[ModelFile]) -> Result<Vec<ModelFile>> {
    let mut defined: BTreeMap<ShapeId, ShapeType> = BTreeMap::new();
    for file in others {
        for shape in &file.shapes {
            defined.insert(shape.id.clone(), shape.ty);
        }
    }
    for (_, file) in &idl {
        if let Some((ns, _)) = &file.namespace {
            for shape in &file.shapes {
                defined.insert(ShapeId::new(ns.clone(), shape.name.clone()), shape.ty);
            }
        }
    }
    let mut out = Vec::new();
    let mut pending = Vec::new();
    for (index, (path, file)) in idl.iter().enumerate() {
        let lowered = Lowerer::new(path, file, &defined)?.file(file, index, &mut pending)?;
        out.push(lowered);
    }
    fill_elided(&mut out, others, pending)?;
    Ok(out)
}

fn at(path: &Path, pos: Pos, message: impl std::fmt::Display) -> CodegenError {
    CodegenError::new(format!("{pos}: {message}")).in_file(path)
}

struct Lowerer<'a> {
    path: &'a Path,
    namespace: String,
    uses: BTreeMap<String, ShapeId>,
    defined: &'a BTreeMap<ShapeId, ShapeType>,
}

impl<'a> Lowerer<'a> {
    fn new(
        path: &'a Path,
        file: &IdlFile,
        defined: &'a BTreeMap<ShapeId, ShapeType>,
    ) -> Result<Lowerer<'a>> {
        let namespace = file
            .namespace
            .as_ref()
            .map(|(ns, _)| ns.clone())
            .unwrap_or_default();
        let mut this = Lowerer {
            path,
            namespace,
            uses: BTreeMap::new(),
            defined,
        };
        for (text, pos) in &file.uses {
            if !text.contains('#') || text.contains('$') {
                return Err(this.error(
                    *pos,
                    format!("`use {text}` needs an absolute shape id like `ns#Name`"),
                ));
            }
            let id = this.resolve(text, *pos)?;
            if let Some(previous) = this.uses.get(&id.name) {
                if *previous != id {
                    return Err(this.error(
                        *pos,
                        format!(
                            "`use {id}` conflicts with `use {previous}`: both import the name `{}`",
                            id.name
                        ),
                    ));
                }
            }
            this.uses.insert(id.name.clone(), id);
        }
        Ok(this)
    }

    fn error(&self, pos: Pos, message: impl std::fmt::Display) -> CodegenError {
        at(self.path, pos, message)
    }

    // ---- shape ids ------------------------------------------------------------------------

    /// A shape id as written (absolute or relative, with an optional `$member`).
    fn resolve_ref(&self, text: &str, pos: Pos) -> Result<(ShapeId, Option<String>)> {
        let (root, member) = match text.split_once('$') {
            Some((root, member)) => (root, Some(member)),
            None => (text, None),
        };
        if let Some(m) = member {
            if !super::is_identifier(m) {
                return Err(self.error(pos, format!("`{text}` has an invalid member name")));
            }
        }
        let id = if root.contains('#') {
            ShapeId::parse(root).map_err(|e| self.error(pos, e))?
        } else if super::is_identifier(root) {
            self.resolve_relative(root)
        } else {
            return Err(self.error(pos, format!("expected a shape id, found `{text}`")));
        };
        Ok((id, member.map(str::to_string)))
    }

    /// A shape id without a member part.
    fn resolve(&self, text: &str, pos: Pos) -> Result<ShapeId> {
        match self.resolve_ref(text, pos)? {
            (id, None) => Ok(id),
            (_, Some(_)) => Err(self.error(
                pos,
                format!("expected a shape id, found the member id `{text}`"),
            )),
        }
    }

    fn resolve_relative(&self, name: &str) -> ShapeId {
        if let Some(id) = self.uses.get(name) {
            return id.clone();
        }
        let local = ShapeId::new(self.namespace.clone(), name);
        if self.defined.contains_key(&local) {
            return local;
        }
        if PRELUDE.contains(&name) {
            return ShapeId::prelude(name);
        }
        local
    }

    // ---- values and traits --------------------------------------------------------------

    fn value(&self, node: &Node) -> Result<Value> {
        Ok(match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::Str(s) => Value::String(s.clone()),
            Node::Id(text, pos) => {
                let (id, member) = self.resolve_ref(text, *pos)?;
                Value::String(match member {
                    Some(m) => format!("{id}${m}"),
                    None => id.to_string(),
                })
            }
            Node::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|n| self.value(n))
                    .collect::<Result<Vec<_>>>()?,
            ),
            Node::Object(kvs) => {
                let mut map = Map::new();
                for (key, pos, value) in kvs {
                    if map.contains_key(key) {
                        return Err(self.error(*pos, format!("the key `{key}` is given twice")));
                    }
                    map.insert(key.clone(), self.value(value)?);
                }
                Value::Object(map)
            }
        })
    }

    fn traits(&self, traits: &[AstTrait]) -> Result<RawTraits> {
        let mut out = RawTraits::new();
        for t in traits {
            self.add_trait(&mut out, t)?;
        }
        Ok(out)
    }

    fn add_trait(&self, into: &mut RawTraits, t: &AstTrait) -> Result<()> {
        let id = self.resolve(&t.name, t.pos)?;
        let value = match &t.value {
            Some(node) => self.value(node)?,
            // An annotation trait: an empty list for list-shaped traits, else `{}`.
            None => match self.defined.get(&id) {
                Some(ShapeType::List | ShapeType::Set) => Value::Array(Vec::new()),
                _ => Value::Object(Map::new()),
            },
        };
        let key = id.to_string();
        if into.contains_key(&key) {
            return Err(self.error(t.pos, format!("the trait `{key}` is applied twice")));
        }
        into.insert(key, value);
        Ok(())
    }

    // ---- the file -----------------------------------------------------------------------

    fn file(
        &self,
        file: &IdlFile,
        file_index: usize,
        pending: &mut Vec<Pending>,
    ) -> Result<ModelFile> {
        let version = match &file.version {
            None => SmithyVersion::V1,
            Some((text, pos)) => SmithyVersion::parse(text).ok_or_else(|| {
                self.error(
                    *pos,
                    format!("unsupported Smithy version \"{text}\" (supported: 1.0, 2.0)"),
                )
            })?,
        };
        let mut metadata = Map::new();
        for (key, pos, node) in &file.metadata {
            if metadata.contains_key(key) {
                return Err(self.error(*pos, format!("metadata `{key}` is given twice")));
            }
            metadata.insert(key.clone(), self.value(node)?);
        }
        let mut shapes = Vec::new();
        let mut seen: BTreeMap<&str, Pos> = BTreeMap::new();
        for (shape_index, shape) in file.shapes.iter().enumerate() {
            if let Some(first) = seen.get(shape.name.as_str()) {
                return Err(self.error(
                    shape.pos,
                    format!("the shape `{}` is already defined at {first}", shape.name),
                ));
            }
            seen.insert(&shape.name, shape.pos);
            let raw = self.shape(shape, |member, pos, for_resource| {
                pending.push(Pending {
                    file: file_index,
                    shape: shape_index,
                    member,
                    pos,
                    path: self.path.to_path_buf(),
                    for_resource,
                })
            })?;
            shapes.push(raw);
        }
        let mut applies = Vec::new();
        for apply in &file.applies {
            let (shape, member) = self.resolve_ref(&apply.target, apply.pos)?;
            applies.push(RawApply {
                shape,
                member,
                traits: self.traits(&apply.traits)?,
            });
        }
        Ok(ModelFile {
            path: self.path.to_path_buf(),
            version,
            metadata,
            shapes,
            applies,
        })
    }

    fn shape(
        &self,
        shape: &AstShape,
        mut elided: impl FnMut(usize, Pos, Option<ShapeId>),
    ) -> Result<RawShape> {
        let id = ShapeId::new(self.namespace.clone(), shape.name.clone());
        let traits = self.traits(&shape.traits)?;
        let mixins = shape
            .mixins
            .iter()
            .map(|(text, pos)| self.resolve(text, *pos))
            .collect::<Result<Vec<_>>>()?;
        let for_resource = shape
            .for_resource
            .as_ref()
            .map(|(text, pos)| self.resolve(text, *pos))
            .transpose()?;
        let mut members = Vec::new();
        let mut names: BTreeSet<&str> = BTreeSet::new();
        for (index, m) in shape.members.iter().enumerate() {
            if !names.insert(&m.name) {
                return Err(self.error(m.pos, format!("the member `{}` is defined twice", m.name)));
            }
            self.check_member_name(shape, m)?;
            let mut on_elided = |i, pos| elided(i, pos, for_resource.clone());
            members.push(self.member(shape.ty, m, index, &mut on_elided)?);
        }
        let mut raw = RawShape {
            id,
            ty: shape.ty,
            traits,
            members,
            mixins,
            operation: None,
            service: None,
            resource: None,
        };
        match shape.ty {
            ShapeType::Operation => raw.operation = Some(self.operation(shape)?),
            ShapeType::Service => raw.service = Some(self.service(shape)?),
            ShapeType::Resource => raw.resource = Some(self.resource(shape)?),
            _ => {}
        }
        Ok(raw)
    }

    fn check_member_name(&self, shape: &AstShape, m: &AstMember) -> Result<()> {
        let allowed: &[&str] = match shape.ty {
            ShapeType::List | ShapeType::Set => &["member"],
            ShapeType::Map => &["key", "value"],
            _ => return Ok(()),
        };
        if allowed.contains(&m.name.as_str()) {
            return Ok(());
        }
        let list = allowed
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        Err(self.error(
            m.pos,
            format!(
                "{} {} shape has only {list}, not `{}`",
                "a",
                shape.ty.as_ast(),
                m.name
            ),
        ))
    }

    fn member(
        &self,
        ty: ShapeType,
        m: &AstMember,
        index: usize,
        elided: &mut impl FnMut(usize, Pos),
    ) -> Result<RawMember> {
        let enum_like = matches!(ty, ShapeType::Enum | ShapeType::IntEnum);
        let mut traits = self.traits(&m.traits)?;
        let target = match &m.target {
            Some((text, pos)) => self.resolve(text, *pos)?,
            None if enum_like => ShapeId::prelude("Unit"),
            None => {
                elided(index, m.pos);
                ShapeId::prelude("Unit")
            }
        };
        if let Some((node, pos)) = &m.value {
            let key = if enum_like {
                "smithy.api#enumValue"
            } else {
                "smithy.api#default"
            };
            if traits.contains_key(key) {
                return Err(self.error(
                    *pos,
                    format!("`= value` and `@{key}` both give the member a value"),
                ));
            }
            traits.insert(key.to_string(), self.value(node)?);
        } else if ty == ShapeType::Enum && !traits.contains_key("smithy.api#enumValue") {
            // Smithy gives a string enum member without a value its name as value.
            traits.insert(
                "smithy.api#enumValue".to_string(),
                Value::String(m.name.clone()),
            );
        }
        Ok(RawMember {
            name: m.name.clone(),
            target,
            traits,
        })
    }

    // ---- service, resource, operation ---------------------------------------------------

    fn properties<'s>(
        &self,
        shape: &'s AstShape,
        allowed: &[&str],
    ) -> Result<BTreeMap<&'s str, (&'s Node, Pos)>> {
        let mut out = BTreeMap::new();
        for (key, pos, node) in &shape.properties {
            if !allowed.contains(&key.as_str()) {
                let list = allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(self.error(
                    *pos,
                    format!(
                        "unknown {} property `{key}` (expected one of {list})",
                        shape.ty.as_ast()
                    ),
                ));
            }
            if out.insert(key.as_str(), (node, *pos)).is_some() {
                return Err(self.error(*pos, format!("the property `{key}` is given twice")));
            }
        }
        Ok(out)
    }

    fn id_of(&self, key: &str, node: &Node, pos: Pos) -> Result<ShapeId> {
        match node {
            Node::Id(text, pos) => self.resolve(text, *pos),
            _ => Err(self.error(pos, format!("expected a shape id for `{key}`"))),
        }
    }

    fn ids_of(&self, key: &str, node: &Node, pos: Pos) -> Result<Vec<ShapeId>> {
        match node {
            Node::Array(items) => items.iter().map(|n| self.id_of(key, n, pos)).collect(),
            _ => Err(self.error(pos, format!("expected a list of shape ids for `{key}`"))),
        }
    }

    fn named_ids_of(&self, key: &str, node: &Node, pos: Pos) -> Result<BTreeMap<String, ShapeId>> {
        let Node::Object(kvs) = node else {
            return Err(self.error(
                pos,
                format!("expected an object of names to shape ids for `{key}`"),
            ));
        };
        let mut out = BTreeMap::new();
        for (name, npos, value) in kvs {
            if out
                .insert(name.clone(), self.id_of(key, value, *npos)?)
                .is_some()
            {
                return Err(self.error(*npos, format!("the key `{name}` is given twice")));
            }
        }
        Ok(out)
    }

    fn operation(&self, shape: &AstShape) -> Result<OperationInfo> {
        let props = self.properties(shape, &["input", "output", "errors"])?;
        let one = |key: &str| {
            props
                .get(key)
                .map(|(node, pos)| self.id_of(key, node, *pos))
                .transpose()
        };
        // No input or output means `smithy.api#Unit`, written out as Smithy's JSON AST does.
        let unit = |id: Option<ShapeId>| Some(id.unwrap_or_else(|| ShapeId::prelude("Unit")));
        Ok(OperationInfo {
            input: unit(one("input")?),
            output: unit(one("output")?),
            errors: match props.get("errors") {
                Some((node, pos)) => self.ids_of("errors", node, *pos)?,
                None => Vec::new(),
            },
        })
    }

    fn service(&self, shape: &AstShape) -> Result<ServiceInfo> {
        let props = self.properties(
            shape,
            &["version", "operations", "resources", "errors", "rename"],
        )?;
        let many = |key: &str| match props.get(key) {
            Some((node, pos)) => self.ids_of(key, node, *pos),
            None => Ok(Vec::new()),
        };
        let version = match props.get("version") {
            None => String::new(),
            Some((Node::Str(s), _)) => s.clone(),
            Some((_, pos)) => return Err(self.error(*pos, "expected a string for `version`")),
        };
        let mut rename = BTreeMap::new();
        match props.get("rename") {
            None => {}
            Some((Node::Object(kvs), _)) => {
                for (key, pos, value) in kvs {
                    let id = self.resolve(key, *pos)?;
                    let Node::Str(name) = value else {
                        return Err(self.error(
                            *pos,
                            format!("expected a string (the new name) for `rename` of `{key}`"),
                        ));
                    };
                    rename.insert(id, name.clone());
                }
            }
            Some((_, pos)) => {
                return Err(self.error(
                    *pos,
                    "expected an object of shape ids to names for `rename`",
                ))
            }
        }
        Ok(ServiceInfo {
            version,
            operations: many("operations")?,
            resources: many("resources")?,
            errors: many("errors")?,
            rename,
        })
    }

    fn resource(&self, shape: &AstShape) -> Result<ResourceInfo> {
        let props = self.properties(
            shape,
            &[
                "identifiers",
                "properties",
                "create",
                "put",
                "read",
                "update",
                "delete",
                "list",
                "operations",
                "collectionOperations",
                "resources",
            ],
        )?;
        let one = |key: &str| {
            props
                .get(key)
                .map(|(node, pos)| self.id_of(key, node, *pos))
                .transpose()
        };
        let many = |key: &str| match props.get(key) {
            Some((node, pos)) => self.ids_of(key, node, *pos),
            None => Ok(Vec::new()),
        };
        let named = |key: &str| match props.get(key) {
            Some((node, pos)) => self.named_ids_of(key, node, *pos),
            None => Ok(BTreeMap::new()),
        };
        Ok(ResourceInfo {
            identifiers: named("identifiers")?,
            properties: named("properties")?,
            create: one("create")?,
            put: one("put")?,
            read: one("read")?,
            update: one("update")?,
            delete: one("delete")?,
            list: one("list")?,
            operations: many("operations")?,
            collection_operations: many("collectionOperations")?,
            resources: many("resources")?,
        })
    }
}

// ---- target elision ---------------------------------------------------------------------

enum Lookup {
    Found(ShapeId),
    /// The member exists but its own target is still elided.
    Waiting,
    Missing,
}

/// Every shape by id, with (file, shape) indexes for the IDL ones.
type ShapeIndex<'a> = BTreeMap<&'a ShapeId, (&'a RawShape, Option<(usize, usize)>)>;

/// How far a chain of mixins is followed.
const MAX_MIXIN_DEPTH: usize = 32;

/// Fills in elided targets (`$name`): the `for` resource's identifier or property of that
/// name, else the member of that name from a mixin (whose own target may be elided too,
/// hence the rounds).
fn fill_elided(
    files: &mut [ModelFile],
    others: &[ModelFile],
    mut pending: Vec<Pending>,
) -> Result<()> {
    while !pending.is_empty() {
        let waiting: BTreeSet<(usize, usize, usize)> = pending
            .iter()
            .map(|p| (p.file, p.shape, p.member))
            .collect();
        let mut shapes: ShapeIndex<'_> = BTreeMap::new();
        for file in others {
            for shape in &file.shapes {
                shapes.insert(&shape.id, (shape, None));
            }
        }
        for (fi, file) in files.iter().enumerate() {
            for (si, shape) in file.shapes.iter().enumerate() {
                shapes.insert(&shape.id, (shape, Some((fi, si))));
            }
        }
        let mut answers = Vec::new();
        for (i, p) in pending.iter().enumerate() {
            let Some(shape) = files.get(p.file).and_then(|f| f.shapes.get(p.shape)) else {
                continue;
            };
            let Some(member) = shape.members.get(p.member) else {
                continue;
            };
            let mut found = Lookup::Missing;
            if let Some(resource) = &p.for_resource {
                if let Some((res, _)) = shapes.get(resource) {
                    if let Some(info) = &res.resource {
                        if let Some(t) = info
                            .identifiers
                            .get(&member.name)
                            .or_else(|| info.properties.get(&member.name))
                        {
                            found = Lookup::Found(t.clone());
                        }
                    }
                }
            }
            if matches!(found, Lookup::Missing) {
                for mixin in &shape.mixins {
                    found = lookup_member(&shapes, &waiting, mixin, &member.name, 0);
                    if !matches!(found, Lookup::Missing) {
                        break;
                    }
                }
            }
            answers.push((i, found));
        }
        let mut progress = false;
        let mut done = BTreeSet::new();
        for (i, found) in answers {
            let Some(p) = pending.get(i) else { continue };
            match found {
                Lookup::Found(target) => {
                    if let Some(m) = files
                        .get_mut(p.file)
                        .and_then(|f| f.shapes.get_mut(p.shape))
                        .and_then(|s| s.members.get_mut(p.member))
                    {
                        m.target = target;
                    }
                    done.insert(i);
                    progress = true;
                }
                Lookup::Waiting => {}
                Lookup::Missing => {
                    let name = files
                        .get(p.file)
                        .and_then(|f| f.shapes.get(p.shape))
                        .and_then(|s| s.members.get(p.member))
                        .map(|m| m.name.clone())
                        .unwrap_or_default();
                    return Err(at(
                        &p.path,
                        p.pos,
                        format!(
                            "cannot elide the target of `${name}`: no resource identifier or property and no mixin member is named `{name}`"
                        ),
                    ));
                }
            }
        }
        if !progress {
            if let Some(p) = pending.first() {
                return Err(at(
                    &p.path,
                    p.pos,
                    "elided member targets depend on each other in a cycle",
                ));
            }
        }
        let mut i = 0;
        pending.retain(|_| {
            let keep = !done.contains(&i);
            i += 1;
            keep
        });
    }
    Ok(())
}

fn lookup_member(
    shapes: &ShapeIndex<'_>,
    waiting: &BTreeSet<(usize, usize, usize)>,
    id: &ShapeId,
    name: &str,
    depth: usize,
) -> Lookup {
    if depth > MAX_MIXIN_DEPTH {
        return Lookup::Missing;
    }
    let Some((shape, place)) = shapes.get(id) else {
        return Lookup::Missing;
    };
    if let Some((index, member)) = shape
        .members
        .iter()
        .enumerate()
        .find(|(_, m)| m.name == name)
    {
        if let Some((fi, si)) = place {
            if waiting.contains(&(*fi, *si, index)) {
                return Lookup::Waiting;
            }
        }
        return Lookup::Found(member.target.clone());
    }
    for mixin in &shape.mixins {
        let found = lookup_member(shapes, waiting, mixin, name, depth + 1);
        if !matches!(found, Lookup::Missing) {
            return found;
        }
    }
    Lookup::Missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::SourceText;

    fn lower_texts(texts: &[(&str, &str)]) -> Result<Vec<ModelFile>> {
        let sources: Vec<SourceText> = texts
            .iter()
            .map(|(path, text)| SourceText {
                path: PathBuf::from(path),
                text: text.to_string(),
            })
            .collect();
        crate::idl::parse_sources(&sources)
    }

    fn shape<'a>(files: &'a [ModelFile], id: &str) -> &'a RawShape {
        files
            .iter()
            .flat_map(|f| &f.shapes)
            .find(|s| s.id.to_string() == id)
            .unwrap_or_else(|| panic!("no shape {id}"))
    }

    #[test]
    fn ids_resolve_use_then_namespace_then_prelude() {
        let files = lower_texts(&[
            (
                "a.smithy",
                r#"$version: "2.0"
namespace a
use other#Thing
structure S {
    thing: Thing
    local: String
    prelude: Integer
    absolute: smithy.api#String
    later: Later
}
@tags([Later, Thing$m])
string Later
"#,
            ),
            (
                "b.smithy",
                "$version: \"2.0\"\nnamespace a\nstring String\n",
            ),
        ])
        .unwrap();
        let s = shape(&files, "a#S");
        let targets: Vec<String> = s.members.iter().map(|m| m.target.to_string()).collect();
        assert_eq!(
            targets,
            [
                "other#Thing",
                "a#String",
                "smithy.api#Integer",
                "smithy.api#String",
                "a#Later"
            ]
        );
        assert_eq!(
            shape(&files, "a#Later").traits["smithy.api#tags"],
            serde_json::json!(["a#Later", "other#Thing$m"])
        );
    }

    #[test]
    fn elided_targets_come_from_resources_and_mixins_across_files() {
        let files = lower_texts(&[
            (
                "a.smithy",
                r#"$version: "2.0"
namespace a
resource R {
    identifiers: { id: RId }
    properties: { size: Integer }
    read: GetR
}
string RId
operation GetR {
    input := for R with [M] {
        @required
        $id
        $size
        $fromMixin
    }
    output := {}
}
"#,
            ),
            (
                "b.smithy",
                "$version: \"2.0\"\nnamespace a\n@mixin\nstructure M with [N] {}\n@mixin\nstructure N { fromMixin: Long = 0 }\n",
            ),
        ])
        .unwrap();
        let input = shape(&files, "a#GetRInput");
        let targets: Vec<String> = input.members.iter().map(|m| m.target.to_string()).collect();
        assert_eq!(targets, ["a#RId", "smithy.api#Integer", "smithy.api#Long"]);
        assert!(input.traits.contains_key("smithy.api#input"));
        assert_eq!(input.mixins, vec![ShapeId::new("a", "M")]);
        let op = shape(&files, "a#GetR").operation.clone().unwrap();
        assert_eq!(op.input, Some(ShapeId::new("a", "GetRInput")));
        assert_eq!(op.output, Some(ShapeId::new("a", "GetROutput")));
        let r = shape(&files, "a#R").resource.clone().unwrap();
        assert_eq!(r.read, Some(ShapeId::new("a", "GetR")));
        assert_eq!(r.properties["size"], ShapeId::prelude("Integer"));
    }

    #[test]
    fn defaults_enum_values_docs_applies_and_metadata() {
        let files = lower_texts(&[(
            "a.smithy",
            r#"$version: "2.0"
$operationInputSuffix: "Request"
metadata "x.y" = [{ a: true, b: null, c: -1.5 }]
namespace a
/// Line one
///  indented
structure S {
    n: Integer = 1
    @documentation("d")
    s: String = """
        text
          block
        """
}
enum E { A, B = "bee" }
intEnum I { ONE = 1 }
operation Op { input := {} }
apply S$n @sensitive
apply S {
    @deprecated(since: "1")
    @tags(["t"])
}
"#,
        )])
        .unwrap();
        let f = &files[0];
        assert_eq!(f.version, SmithyVersion::V2);
        assert_eq!(
            f.metadata["x.y"],
            serde_json::json!([{"a": true, "b": null, "c": -1.5}])
        );
        let s = shape(&files, "a#S");
        assert_eq!(
            s.traits["smithy.api#documentation"],
            serde_json::json!("Line one\n indented")
        );
        assert_eq!(
            s.members[0].traits["smithy.api#default"],
            serde_json::json!(1)
        );
        assert_eq!(
            s.members[1].traits["smithy.api#default"],
            serde_json::json!("text\n  block\n")
        );
        let e = shape(&files, "a#E");
        assert_eq!(
            e.members[0].traits["smithy.api#enumValue"],
            serde_json::json!("A")
        );
        assert_eq!(
            e.members[1].traits["smithy.api#enumValue"],
            serde_json::json!("bee")
        );
        assert_eq!(
            shape(&files, "a#I").members[0].traits["smithy.api#enumValue"],
            serde_json::json!(1)
        );
        shape(&files, "a#OpRequest");
        assert_eq!(f.applies.len(), 2);
        assert_eq!(f.applies[0].target_text(), "a#S$n");
        assert_eq!(f.applies[1].traits.len(), 2);
    }

    #[test]
    fn json_files_count_for_resolution_and_elision() {
        let json = r#"{"smithy": "2.0", "shapes": {
            "a#String": {"type": "string"},
            "a#M": {"type": "structure", "traits": {"smithy.api#mixin": {}},
                    "members": {"x": {"target": "a#String"}}}}}"#;
        let files = lower_texts(&[
            ("m.json", json),
            (
                "a.smithy",
                "$version: \"2.0\"\nnamespace a\nstructure S with [M] { $x, y: String }\n",
            ),
        ])
        .unwrap();
        let s = shape(&files, "a#S");
        assert_eq!(s.members[0].target, ShapeId::new("a", "String"));
        assert_eq!(s.members[1].target, ShapeId::new("a", "String"));
    }
}
