//! Value types generated shapes use for Smithy's simple types that have no single std
//! equivalent. Re-exported by generated crates as `crate::primitives`.

use std::fmt;

/// A Smithy `timestamp`: `time::OffsetDateTime`, the `time` crate's date-time (already a
/// dependency of SigV4 signing, so it costs nothing extra and supports RFC 3339, HTTP
/// dates and epoch seconds with nanosecond precision).
pub type DateTime = time::OffsetDateTime;

/// A Smithy `blob`: the bytes.
pub type Blob = Vec<u8>;

/// A Smithy `document`: untyped JSON.
pub type Document = serde_json::Value;

/// A Smithy `bigInteger`, kept as its decimal text so no precision is lost.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct BigInteger(pub String);

/// A Smithy `bigDecimal`, kept as its decimal text so no precision is lost.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct BigDecimal(pub String);

/// An enum value this version of the crate does not know. Opaque, so code cannot build
/// one that shadows a known value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    #[doc(hidden)]
    pub fn new(value: &str) -> UnknownVariantValue {
        UnknownVariantValue(value.to_owned())
    }

    /// The value as the service sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
