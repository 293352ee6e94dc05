//! Stage 2: parse JSON text into the raw JSON AST (`ModelFile`).
//!
//! This stage checks the *shape* of the JSON (the Smithy JSON AST grammar): the `smithy`
//! version, `metadata`, and every shape's `type`, members, references and the
//! operation/service/resource fields. It does not look across shapes and keeps trait values as
//! raw JSON (trait ids as written, possibly relative); `assemble` resolves and types them.
//! Invalid JSON is reported with its line and column.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{CodegenError, Result};
use crate::model::{OperationInfo, ResourceInfo, ServiceInfo, ShapeId, ShapeType};
use crate::read::SourceText;

/// The Smithy IDL version a file declares. 1.0 files get 1.0 semantics lowered to 2.0 by
/// `assemble` (boxing → `@default`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmithyVersion {
    /// `"1"`, `"1.0"` or `"1.1"`.
    V1,
    /// `"2"` or `"2.0"`.
    V2,
}

impl SmithyVersion {
    /// Parses the top-level `smithy` value.
    pub fn parse(text: &str) -> Option<SmithyVersion> {
        match text {
            "1" | "1.0" | "1.1" => Some(SmithyVersion::V1),
            "2" | "2.0" => Some(SmithyVersion::V2),
            _ => None,
        }
    }
}

/// Trait values as written: trait id (absolute or relative) → raw JSON value, in file order.
pub type RawTraits = Map<String, Value>;

/// One parsed model file.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFile {
    pub path: PathBuf,
    pub version: SmithyVersion,
    pub metadata: Map<String, Value>,
    /// Shape definitions in file order.
    pub shapes: Vec<RawShape>,
    /// `apply` statements in file order.
    pub applies: Vec<RawApply>,
}

/// A shape definition as written. Two definitions of one shape id in different files are
/// accepted by `assemble` only when they are equal (`PartialEq`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawShape {
    pub id: ShapeId,
    pub ty: ShapeType,
    pub traits: RawTraits,
    /// Structure/union/enum/intEnum `members`, a list's `member`, a map's `key` and `value`,
    /// in declaration order. Simple shapes keep any members they were (wrongly) given, so
    /// `validate` can name them.
    pub members: Vec<RawMember>,
    pub mixins: Vec<ShapeId>,
    /// Operations only (always `Some` for them).
    pub operation: Option<OperationInfo>,
    /// Services only (always `Some` for them).
    pub service: Option<ServiceInfo>,
    /// Resources only (always `Some` for them).
    pub resource: Option<ResourceInfo>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawMember {
    pub name: String,
    pub target: ShapeId,
    pub traits: RawTraits,
}

/// An `apply` statement: traits added to a shape (`ns#Shape`) or member (`ns#Shape$member`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawApply {
    pub shape: ShapeId,
    pub member: Option<String>,
    pub traits: RawTraits,
}

impl RawApply {
    /// The target as written (`ns#Shape$member`).
    pub fn target_text(&self) -> String {
        match &self.member {
            Some(m) => format!("{}${m}", self.shape),
            None => self.shape.to_string(),
        }
    }
}

/// Parses one model file's text.
pub fn parse_file(source: &SourceText) -> Result<ModelFile> {
    parse_text(&source.path, &source.text).map_err(|e| {
        if e.file.is_none() {
            e.in_file(&source.path)
        } else {
            e
        }
    })
}

fn parse_text(path: &Path, text: &str) -> Result<ModelFile> {
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let Value::Object(mut root) = value else {
        return Err(CodegenError::new(format!(
            "a model file must be a JSON object, not {}",
            kind(&value)
        )));
    };
    let version = match root.get("smithy") {
        None => {
            return Err(CodegenError::new(
                "missing the `smithy` version (e.g. \"smithy\": \"2.0\")",
            ))
        }
        Some(Value::String(s)) => SmithyVersion::parse(s).ok_or_else(|| {
            CodegenError::new(format!(
                "unsupported Smithy version \"{s}\" (supported: 1.0, 2.0)"
            ))
        })?,
        Some(other) => {
            return Err(CodegenError::new(format!(
                "unsupported Smithy version: `smithy` must be a string, not {}",
                kind(other)
            )))
        }
    };
    if let Some(key) = root
        .keys()
        .find(|k| !matches!(k.as_str(), "smithy" | "metadata" | "shapes"))
    {
        return Err(CodegenError::new(format!(
            "unknown top-level key `{key}` (expected `smithy`, `metadata` and `shapes`)"
        )));
    }
    let metadata = match root.remove("metadata") {
        None => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(CodegenError::new(format!(
                "`metadata` must be an object, not {}",
                kind(&other)
            )))
        }
    };
    let shapes_value = match root.remove("shapes") {
        None => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(CodegenError::new(format!(
                "`shapes` must be an object, not {}",
                kind(&other)
            )))
        }
    };
    let mut shapes = Vec::new();
    let mut applies = Vec::new();
    for (key, value) in &shapes_value {
        match parse_entry(key, value).map_err(|e| {
            if e.shape.is_none() {
                e.at_shape_text(key.as_str())
            } else {
                e
            }
        })? {
            Entry::Shape(shape) => shapes.push(*shape),
            Entry::Apply(apply) => applies.push(apply),
        }
    }
    Ok(ModelFile {
        path: path.to_path_buf(),
        version,
        metadata,
        shapes,
        applies,
    })
}

/// `invalid JSON at line 3, column 7: expected value`.
fn json_error(e: &serde_json::Error) -> CodegenError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    CodegenError::new(format!(
        "invalid JSON at line {}, column {}: {message}",
        e.line(),
        e.column()
    ))
}

/// `a string`, `an object`, ... for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

enum Entry {
    Shape(Box<RawShape>),
    Apply(RawApply),
}

fn parse_entry(key: &str, value: &Value) -> Result<Entry> {
    let obj = value.as_object().ok_or_else(|| {
        CodegenError::new(format!(
            "a shape definition must be an object, not {}",
            kind(value)
        ))
    })?;
    let ty_text = match obj.get("type") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(CodegenError::new(format!(
                "`type` must be a string, not {}",
                kind(other)
            )))
        }
        None => return Err(CodegenError::new("the shape has no `type`")),
    };
    if ty_text == "apply" {
        let (shape_text, member) = match key.split_once('$') {
            Some((s, m)) => (s, Some(m.to_string())),
            None => (key, None),
        };
        let shape = ShapeId::parse(shape_text).map_err(CodegenError::new)?;
        if let Some(m) = &member {
            if !is_member_name(m) {
                return Err(CodegenError::new(format!(
                    "`{key}` has an invalid member name `{m}`"
                )));
            }
        }
        return Ok(Entry::Apply(RawApply {
            shape,
            member,
            traits: traits_of(obj)?,
        }));
    }
    if key.contains('$') {
        return Err(CodegenError::new(format!(
            "`{key}` is a member id; only an `apply` can be keyed by a member id"
        )));
    }
    let id = ShapeId::parse(key).map_err(CodegenError::new)?;
    let ty = ShapeType::from_ast(ty_text)
        .ok_or_else(|| CodegenError::new(format!("unknown shape type `{ty_text}`")))?;
    let members = members_of(ty, obj)?;
    let mixins = match obj.get("mixins") {
        None => Vec::new(),
        Some(v) => refs(v, "mixins")?,
    };
    let operation = (ty == ShapeType::Operation)
        .then(|| operation_of(obj))
        .transpose()?;
    let service = (ty == ShapeType::Service)
        .then(|| service_of(obj))
        .transpose()?;
    let resource = (ty == ShapeType::Resource)
        .then(|| resource_of(obj))
        .transpose()?;
    Ok(Entry::Shape(Box::new(RawShape {
        id,
        ty,
        traits: traits_of(obj)?,
        members,
        mixins,
        operation,
        service,
        resource,
    })))
}

fn traits_of(obj: &Map<String, Value>) -> Result<RawTraits> {
    match obj.get("traits") {
        None => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(other) => Err(CodegenError::new(format!(
            "`traits` must be an object, not {}",
            kind(other)
        ))),
    }
}

/// Member names: a Smithy identifier (checked again by `validate`; here only so that an
/// `apply` key splits sensibly).
fn is_member_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn members_of(ty: ShapeType, obj: &Map<String, Value>) -> Result<Vec<RawMember>> {
    let has = |k: &str| obj.contains_key(k);
    let wrong = |found: &str, expected: &str| {
        Err(CodegenError::new(format!(
            "{} {} shape takes {expected}, not `{found}`",
            article(ty),
            ty.as_ast()
        )))
    };
    let enum_like = matches!(ty, ShapeType::Enum | ShapeType::IntEnum);
    match ty {
        ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
            for k in ["member", "key", "value"] {
                if has(k) {
                    return wrong(k, "`members`");
                }
            }
        }
        ShapeType::List | ShapeType::Set => {
            for k in ["members", "key", "value"] {
                if has(k) {
                    return wrong(k, "`member`");
                }
            }
        }
        ShapeType::Map => {
            for k in ["members", "member"] {
                if has(k) {
                    return wrong(k, "`key` and `value`");
                }
            }
        }
        _ => {}
    }
    let mut out = Vec::new();
    match obj.get("members") {
        None => {}
        Some(Value::Object(m)) => {
            for (name, value) in m {
                out.push(member(name, value, enum_like)?);
            }
        }
        Some(other) => {
            return Err(CodegenError::new(format!(
                "`members` must be an object, not {}",
                kind(other)
            )))
        }
    }
    for name in ["member", "key", "value"] {
        if let Some(value) = obj.get(name) {
            out.push(member(name, value, false)?);
        }
    }
    Ok(out)
}

fn member(name: &str, value: &Value, enum_like: bool) -> Result<RawMember> {
    let at = |e: CodegenError| e.at_member(name);
    let obj = value.as_object().ok_or_else(|| {
        at(CodegenError::new(format!(
            "a member must be an object, not {}",
            kind(value)
        )))
    })?;
    let target = match obj.get("target") {
        Some(Value::String(s)) => {
            ShapeId::parse(s).map_err(|e| at(CodegenError::new(format!("invalid target: {e}"))))?
        }
        Some(other) => {
            return Err(at(CodegenError::new(format!(
                "`target` must be a string, not {}",
                kind(other)
            ))))
        }
        // Enum members target `smithy.api#Unit`; a missing target means the same.
        None if enum_like => ShapeId::prelude("Unit"),
        None => return Err(at(CodegenError::new("the member has no `target`"))),
    };
    Ok(RawMember {
        name: name.to_string(),
        target,
        traits: traits_of(obj).map_err(at)?,
    })
}

/// A shape reference: `{"target": "ns#Name"}`.
fn reference(value: &Value, field: &str) -> Result<ShapeId> {
    match value.as_object().and_then(|o| o.get("target")) {
        Some(Value::String(s)) => ShapeId::parse(s)
            .map_err(|e| CodegenError::new(format!("invalid `{field}` target: {e}"))),
        _ => Err(CodegenError::new(format!(
            "`{field}` must be a reference object like {{\"target\": \"ns#Name\"}}"
        ))),
    }
}

fn refs(value: &Value, field: &str) -> Result<Vec<ShapeId>> {
    let items = value.as_array().ok_or_else(|| {
        CodegenError::new(format!(
            "`{field}` must be an array of references, not {}",
            kind(value)
        ))
    })?;
    items.iter().map(|v| reference(v, field)).collect()
}

fn opt_ref(obj: &Map<String, Value>, field: &str) -> Result<Option<ShapeId>> {
    obj.get(field).map(|v| reference(v, field)).transpose()
}

fn opt_refs(obj: &Map<String, Value>, field: &str) -> Result<Vec<ShapeId>> {
    obj.get(field)
        .map(|v| refs(v, field))
        .transpose()
        .map(Option::unwrap_or_default)
}

fn named_refs(
    obj: &Map<String, Value>,
    field: &str,
) -> Result<std::collections::BTreeMap<String, ShapeId>> {
    let mut out = std::collections::BTreeMap::new();
    match obj.get(field) {
        None => {}
        Some(Value::Object(m)) => {
            for (name, v) in m {
                out.insert(name.clone(), reference(v, &format!("{field}.{name}"))?);
            }
        }
        Some(other) => {
            return Err(CodegenError::new(format!(
                "`{field}` must be an object, not {}",
                kind(other)
            )))
        }
    }
    Ok(out)
}

fn operation_of(obj: &Map<String, Value>) -> Result<OperationInfo> {
    Ok(OperationInfo {
        input: opt_ref(obj, "input")?,
        output: opt_ref(obj, "output")?,
        errors: opt_refs(obj, "errors")?,
    })
}

fn service_of(obj: &Map<String, Value>) -> Result<ServiceInfo> {
    let version = match obj.get("version") {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(CodegenError::new(format!(
                "`version` must be a string, not {}",
                kind(other)
            )))
        }
    };
    let mut rename = std::collections::BTreeMap::new();
    match obj.get("rename") {
        None => {}
        Some(Value::Object(m)) => {
            for (id, name) in m {
                let id = ShapeId::parse(id)
                    .map_err(|e| CodegenError::new(format!("invalid `rename` key: {e}")))?;
                let name = name.as_str().ok_or_else(|| {
                    CodegenError::new(format!(
                        "`rename` of `{id}` must be a string, not {}",
                        kind(name)
                    ))
                })?;
                rename.insert(id, name.to_string());
            }
        }
        Some(other) => {
            return Err(CodegenError::new(format!(
                "`rename` must be an object, not {}",
                kind(other)
            )))
        }
    }
    Ok(ServiceInfo {
        version,
        operations: opt_refs(obj, "operations")?,
        resources: opt_refs(obj, "resources")?,
        errors: opt_refs(obj, "errors")?,
        rename,
    })
}

fn resource_of(obj: &Map<String, Value>) -> Result<ResourceInfo> {
    Ok(ResourceInfo {
        identifiers: named_refs(obj, "identifiers")?,
        properties: named_refs(obj, "properties")?,
        create: opt_ref(obj, "create")?,
        put: opt_ref(obj, "put")?,
        read: opt_ref(obj, "read")?,
        update: opt_ref(obj, "update")?,
        delete: opt_ref(obj, "delete")?,
        list: opt_ref(obj, "list")?,
        operations: opt_refs(obj, "operations")?,
        collection_operations: opt_refs(obj, "collectionOperations")?,
        resources: opt_refs(obj, "resources")?,
    })
}

fn article(ty: ShapeType) -> &'static str {
    match ty {
        ShapeType::Enum | ShapeType::IntEnum | ShapeType::Operation => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ModelFile> {
        parse_file(&SourceText {
            path: PathBuf::from("model/x.json"),
            text: text.to_string(),
        })
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn invalid_json_has_line_and_column() {
        assert_eq!(
            err("{\n  \"smithy\": \"2.0\",\n  \"x\": ]\n}"),
            "model/x.json: invalid JSON at line 3, column 8: expected value"
        );
        assert_eq!(
            err(""),
            "model/x.json: invalid JSON at line 1, column 0: EOF while parsing a value"
        );
    }

    #[test]
    fn versions() {
        for v in ["1.0", "1.1", "1"] {
            let f = parse(&format!("{{\"smithy\": \"{v}\"}}")).unwrap();
            assert_eq!(f.version, SmithyVersion::V1);
        }
        for v in ["2", "2.0"] {
            let f = parse(&format!("{{\"smithy\": \"{v}\"}}")).unwrap();
            assert_eq!(f.version, SmithyVersion::V2);
        }
        assert_eq!(
            err("{\"smithy\": \"3.0\"}"),
            "model/x.json: unsupported Smithy version \"3.0\" (supported: 1.0, 2.0)"
        );
        assert_eq!(
            err("{\"smithy\": 2.0}"),
            "model/x.json: unsupported Smithy version: `smithy` must be a string, not a number"
        );
        assert_eq!(
            err("{\"shapes\": {}}"),
            "model/x.json: missing the `smithy` version (e.g. \"smithy\": \"2.0\")"
        );
        assert_eq!(
            err("{\"smithy\": \"2.0\", \"shape\": {}}"),
            "model/x.json: unknown top-level key `shape` (expected `smithy`, `metadata` and `shapes`)"
        );
        assert_eq!(
            err("[]"),
            "model/x.json: a model file must be a JSON object, not an array"
        );
    }

    #[test]
    fn unknown_shape_type_names_the_shape() {
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"a#X": {"type": "thing"}}}"#),
            "model/x.json: shape a#X: unknown shape type `thing`"
        );
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"a#X": {}}}"#),
            "model/x.json: shape a#X: the shape has no `type`"
        );
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"X": {"type": "string"}}}"#),
            "model/x.json: shape X: `X` is not an absolute shape id (expected `namespace#Name`)"
        );
    }

    #[test]
    fn every_shape_kind_parses() {
        let text = r##"{
          "smithy": "2.0",
          "metadata": {"m": [1]},
          "shapes": {
            "a#Blob": {"type": "blob"}, "a#Bool": {"type": "boolean"},
            "a#Str": {"type": "string", "traits": {"smithy.api#pattern": "^a$"}},
            "a#E": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit"}, "B": {}}},
            "a#By": {"type": "byte"}, "a#Sh": {"type": "short"}, "a#I": {"type": "integer"},
            "a#IE": {"type": "intEnum", "members": {"One": {"target": "smithy.api#Unit",
                     "traits": {"smithy.api#enumValue": 1}}}},
            "a#L": {"type": "long"}, "a#F": {"type": "float"}, "a#D": {"type": "double"},
            "a#BI": {"type": "bigInteger"}, "a#BD": {"type": "bigDecimal"},
            "a#T": {"type": "timestamp"}, "a#Doc": {"type": "document"},
            "a#List": {"type": "list", "member": {"target": "a#Str"}},
            "a#Set": {"type": "set", "member": {"target": "a#Str"}},
            "a#Map": {"type": "map", "key": {"target": "a#Str"}, "value": {"target": "a#I"}},
            "a#S": {"type": "structure", "mixins": [{"target": "a#M"}],
                    "members": {"x": {"target": "a#Str", "traits": {"required": {}}}}},
            "a#M": {"type": "structure", "traits": {"smithy.api#mixin": {}}},
            "a#U": {"type": "union", "members": {"a": {"target": "a#Str"}}},
            "a#Op": {"type": "operation", "input": {"target": "a#S"},
                     "output": {"target": "smithy.api#Unit"}, "errors": [{"target": "a#Err"}]},
            "a#Svc": {"type": "service", "version": "2020", "operations": [{"target": "a#Op"}],
                      "resources": [{"target": "a#R"}], "errors": [{"target": "a#Err"}],
                      "rename": {"b#Str": "BStr"}},
            "a#R": {"type": "resource", "identifiers": {"id": {"target": "a#Str"}},
                    "properties": {"p": {"target": "a#Str"}},
                    "create": {"target": "a#Op"}, "put": {"target": "a#Op"},
                    "read": {"target": "a#Op"}, "update": {"target": "a#Op"},
                    "delete": {"target": "a#Op"}, "list": {"target": "a#Op"},
                    "operations": [{"target": "a#Op"}],
                    "collectionOperations": [{"target": "a#Op"}],
                    "resources": [{"target": "a#R2"}]},
            "a#S$x": {"type": "apply", "traits": {"smithy.api#documentation": "x"}},
            "a#Str2": {"type": "apply", "traits": {"smithy.api#sensitive": {}}}
          }
        }"##;
        let f = parse(text).unwrap();
        assert_eq!(f.shapes.len(), 24);
        assert_eq!(f.applies.len(), 2);
        assert_eq!(f.applies[0].target_text(), "a#S$x");
        assert_eq!(f.applies[1].member, None);
        let get = |n: &str| f.shapes.iter().find(|s| s.id.name == n).unwrap();
        let e = get("E");
        assert_eq!(e.members[1].target, ShapeId::prelude("Unit"));
        let map = get("Map");
        assert_eq!(
            map.members
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>(),
            ["key", "value"]
        );
        assert_eq!(get("S").mixins, vec![ShapeId::new("a", "M")]);
        assert!(get("S").members[0].traits.contains_key("required"));
        let op = get("Op").operation.clone().unwrap();
        assert_eq!(op.input, Some(ShapeId::new("a", "S")));
        assert_eq!(op.output, Some(ShapeId::prelude("Unit")));
        assert_eq!(op.errors, vec![ShapeId::new("a", "Err")]);
        let svc = get("Svc").service.clone().unwrap();
        assert_eq!(svc.version, "2020");
        assert_eq!(svc.rename.get(&ShapeId::new("b", "Str")).unwrap(), "BStr");
        let r = get("R").resource.clone().unwrap();
        assert_eq!(r.identifiers["id"], ShapeId::new("a", "Str"));
        assert_eq!(r.list, Some(ShapeId::new("a", "Op")));
        assert_eq!(r.collection_operations.len(), 1);
        assert_eq!(r.resources, vec![ShapeId::new("a", "R2")]);
        assert_eq!(f.metadata["m"], serde_json::json!([1]));
    }

    #[test]
    fn malformed_members_and_references() {
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "structure",
                "members": {"m": {"traits": {}}}}}}"#),
            "model/x.json: shape a#S, member m: the member has no `target`"
        );
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "structure",
                "members": {"m": {"target": "Str"}}}}}"#),
            "model/x.json: shape a#S, member m: invalid target: `Str` is not an absolute shape id (expected `namespace#Name`)"
        );
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"a#L": {"type": "list",
                "members": {"m": {"target": "a#X"}}}}}"#),
            "model/x.json: shape a#L: a list shape takes `member`, not `members`"
        );
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"a#O": {"type": "operation",
                "input": "a#X"}}}"#),
            "model/x.json: shape a#O: `input` must be a reference object like {\"target\": \"ns#Name\"}"
        );
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"a#O": {"type": "string", "traits": []}}}"#),
            "model/x.json: shape a#O: `traits` must be an object, not an array"
        );
        assert_eq!(
            err(r#"{"smithy": "2.0", "shapes": {"a#O$m": {"type": "string"}}}"#),
            "model/x.json: shape a#O$m: `a#O$m` is a member id; only an `apply` can be keyed by a member id"
        );
    }

    #[test]
    fn simple_shapes_keep_wrong_members_for_validate() {
        let f = parse(
            r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "string",
                "members": {"m": {"target": "a#X"}}}}}"#,
        )
        .unwrap();
        assert_eq!(f.shapes[0].members.len(), 1);
    }
}
