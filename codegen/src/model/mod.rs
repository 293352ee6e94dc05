//! The typed, assembled Smithy model (the IR every later stage reads).
//!
//! Produced by `assemble` (which merges files, applies `apply`, resolves mixins, lowers
//! Smithy 1.0 to 2.0 semantics and types the traits) and checked by `validate`. After
//! validation every `ShapeId` a shape or member names resolves in `Model::shapes`.

mod shape_id;
mod traits;

pub use shape_id::ShapeId;

/// The namespace of synthetic shapes (`normalize`'s empty inputs/outputs for
/// `smithy.api#Unit`).
pub const SYNTHETIC_NAMESPACE: &str = "smithy.synthetic";
pub use traits::{
    Deprecated, EnumDefinition, EnumValue, ErrorKind, HttpTrait, LengthTrait, RangeTrait,
    TimestampFormat, Traits,
};

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The kind of a shape, as named in the JSON AST (`"type"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShapeType {
    Blob,
    Boolean,
    String,
    Enum,
    Byte,
    Short,
    Integer,
    IntEnum,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    List,
    /// Smithy 1.0 `set`; assembly lowers it to `List` with `uniqueItems`, so later stages
    /// never see it.
    Set,
    Map,
    Structure,
    Union,
    Operation,
    Service,
    Resource,
}

impl ShapeType {
    /// Parses the JSON AST spelling (`"intEnum"`, `"bigDecimal"`, ...).
    pub fn from_ast(name: &str) -> Option<ShapeType> {
        Some(match name {
            "blob" => ShapeType::Blob,
            "boolean" => ShapeType::Boolean,
            "string" => ShapeType::String,
            "enum" => ShapeType::Enum,
            "byte" => ShapeType::Byte,
            "short" => ShapeType::Short,
            "integer" => ShapeType::Integer,
            "intEnum" => ShapeType::IntEnum,
            "long" => ShapeType::Long,
            "float" => ShapeType::Float,
            "double" => ShapeType::Double,
            "bigInteger" => ShapeType::BigInteger,
            "bigDecimal" => ShapeType::BigDecimal,
            "timestamp" => ShapeType::Timestamp,
            "document" => ShapeType::Document,
            "list" => ShapeType::List,
            "set" => ShapeType::Set,
            "map" => ShapeType::Map,
            "structure" => ShapeType::Structure,
            "union" => ShapeType::Union,
            "operation" => ShapeType::Operation,
            "service" => ShapeType::Service,
            "resource" => ShapeType::Resource,
            _ => return None,
        })
    }

    /// The JSON AST spelling, for messages.
    pub fn as_ast(self) -> &'static str {
        match self {
            ShapeType::Blob => "blob",
            ShapeType::Boolean => "boolean",
            ShapeType::String => "string",
            ShapeType::Enum => "enum",
            ShapeType::Byte => "byte",
            ShapeType::Short => "short",
            ShapeType::Integer => "integer",
            ShapeType::IntEnum => "intEnum",
            ShapeType::Long => "long",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::BigInteger => "bigInteger",
            ShapeType::BigDecimal => "bigDecimal",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Document => "document",
            ShapeType::List => "list",
            ShapeType::Set => "set",
            ShapeType::Map => "map",
            ShapeType::Structure => "structure",
            ShapeType::Union => "union",
            ShapeType::Operation => "operation",
            ShapeType::Service => "service",
            ShapeType::Resource => "resource",
        }
    }

    /// `bool` and the fixed-size numbers: `Copy` in Rust, written as literals.
    pub fn is_copy_scalar(self) -> bool {
        matches!(
            self,
            ShapeType::Boolean
                | ShapeType::Byte
                | ShapeType::Short
                | ShapeType::Integer
                | ShapeType::Long
                | ShapeType::Float
                | ShapeType::Double
        )
    }

    /// Shapes that hold members (`members`, `member`, or `key`/`value`).
    pub fn is_aggregate(self) -> bool {
        matches!(
            self,
            ShapeType::List
                | ShapeType::Set
                | ShapeType::Map
                | ShapeType::Structure
                | ShapeType::Union
                | ShapeType::Enum
                | ShapeType::IntEnum
        )
    }
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member name as written in the model (`ApiId`, `member`, `key`, `value`).
    pub name: String,
    pub target: ShapeId,
    pub traits: Traits,
}

/// Where a shape came from, for error messages.
pub type SourceFile = PathBuf;

/// One shape of the assembled model.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub id: ShapeId,
    pub ty: ShapeType,
    pub traits: Traits,
    /// Members in declaration order: structure/union/enum/intEnum members; a list's single
    /// `member`; a map's `key` then `value`. Mixin members come first, as Smithy orders them.
    pub members: Vec<Member>,
    pub operation: Option<OperationInfo>,
    pub service: Option<ServiceInfo>,
    pub resource: Option<ResourceInfo>,
    /// The file that defined the shape (prelude shapes: `<prelude>`).
    pub source: SourceFile,
}

impl Shape {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// A list's `member`.
    pub fn list_member(&self) -> Option<&Member> {
        self.member("member")
    }

    /// A map's `key` and `value`.
    pub fn map_key_value(&self) -> Option<(&Member, &Member)> {
        Some((self.member("key")?, self.member("value")?))
    }
}

/// The operation-specific fields. `None` input/output means `smithy.api#Unit`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OperationInfo {
    pub input: Option<ShapeId>,
    pub output: Option<ShapeId>,
    pub errors: Vec<ShapeId>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceInfo {
    pub version: String,
    pub operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
    pub errors: Vec<ShapeId>,
    /// `rename`: shape id → the name to use for it in this service.
    pub rename: BTreeMap<ShapeId, String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceInfo {
    pub identifiers: BTreeMap<String, ShapeId>,
    pub properties: BTreeMap<String, ShapeId>,
    pub create: Option<ShapeId>,
    pub put: Option<ShapeId>,
    pub read: Option<ShapeId>,
    pub update: Option<ShapeId>,
    pub delete: Option<ShapeId>,
    pub list: Option<ShapeId>,
    pub operations: Vec<ShapeId>,
    pub collection_operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
}

/// The whole assembled model. Ordered maps, so every walk over it is deterministic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    pub shapes: BTreeMap<ShapeId, Shape>,
    pub metadata: BTreeMap<String, serde_json::Value>,
}
