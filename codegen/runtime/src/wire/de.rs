//! Reading JSON bodies: a streaming visitor over `serde_json::Deserializer` (any serde
//! `Deserializer`, in fact) that never builds a `serde_json::Value`.
//!
//! Generated structures and unions implement [`ReadJson`]: they read an object key by key,
//! matching each key (borrowed from the input, not allocated) against their members' JSON
//! names and skipping unknown keys at any depth. A member's value is read with a reader
//! ([`Read`]) that carries its wire rules: [`Str`], [`Bool`], [`Int`], [`Float64`],
//! [`Ts`], [`Blob`], [`EnumStr`], [`Struct`], [`List`], [`Map`], ... `null` reads as
//! `None` ([`Opt`]); dense collections drop `null` entries, sparse ones keep them.
//!
//! Errors carry no path while they unwind; each level records its segment in the [`Ctx`]
//! instead, so the happy path pays nothing for error reporting. serde_json's recursion
//! limit stays on: deeply nested input is an error, never a stack overflow.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;

use crate::wire::timestamp::{self, Format};
use crate::wire::{InvalidKind, MapKey, ResponseError};

/// One step of a member path.
#[derive(Debug, Clone)]
enum Seg {
    /// A member label, `Container.member`.
    Member(&'static str),
    /// A list index.
    Index(usize),
    /// A map key.
    Key(String),
}

#[derive(Debug, Default)]
struct Failure {
    kind: Option<InvalidKind>,
    message: Option<String>,
    /// Innermost first.
    path: Vec<Seg>,
}

/// State shared by one read: the mode, and where and why it failed.
#[derive(Debug)]
pub struct Ctx {
    root: &'static str,
    full: bool,
    failure: RefCell<Failure>,
}

impl Ctx {
    /// A read of a value of the type named `root` (e.g. `GetStageOutput`). `full` reads
    /// every member of operation inputs/outputs (the public serde form), not only the body's.
    pub fn new(root: &'static str, full: bool) -> Ctx {
        Ctx {
            root,
            full,
            failure: RefCell::new(Failure::default()),
        }
    }

    /// Whether members not bound to the body are read too (public serde form).
    pub fn full(&self) -> bool {
        self.full
    }

    /// Records why the read failed (the innermost reason wins) and returns the error.
    pub fn fail<E: serde::de::Error>(&self, kind: InvalidKind, message: String) -> E {
        let mut f = self.failure.borrow_mut();
        if f.kind.is_none() {
            f.kind = Some(kind);
            f.message = Some(message.clone());
        }
        E::custom(message)
    }

    fn push(&self, seg: Seg) {
        self.failure.borrow_mut().path.push(seg);
    }

    /// The member path of the failure: `GetStageOutput.route_settings["k"].logging_level`;
    /// `None` when the failure is not inside any member.
    pub fn path(&self) -> Option<String> {
        let f = self.failure.borrow();
        if f.path.is_empty() {
            return None;
        }
        let mut out = String::new();
        let mut first = true;
        for seg in f.path.iter().rev() {
            match seg {
                Seg::Member(label) => {
                    if first {
                        out.push_str(self.root);
                    }
                    out.push('.');
                    out.push_str(label.split_once('.').map_or(*label, |(_, m)| m));
                }
                Seg::Index(i) => {
                    if first {
                        out.push_str(self.root);
                    }
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Seg::Key(k) => {
                    if first {
                        out.push_str(self.root);
                    }
                    out.push_str(&format!("[{k:?}]"));
                }
            }
            first = false;
        }
        Some(out)
    }

    /// Turns a failed read of a response body into a [`ResponseError`].
    pub fn response_error(
        &self,
        status: u16,
        body: &[u8],
        error: serde_json::Error,
    ) -> ResponseError {
        use serde_json::error::Category;
        let (kind, message) = {
            let f = self.failure.borrow();
            (f.kind, f.message.clone())
        };
        let path = self.path();
        match error.classify() {
            Category::Data if kind.is_some() || path.is_some() => ResponseError::InvalidMember {
                status,
                member: path.unwrap_or_else(|| self.root.to_string()),
                kind: kind.unwrap_or(InvalidKind::WrongType),
                message: message.unwrap_or_else(|| error.to_string()),
            },
            _ => ResponseError::malformed_body(status, error.to_string(), body),
        }
    }
}

/// A generated structure or union, read from a JSON object.
pub trait ReadJson: Sized {
    /// Reads the object's entries.
    fn read_map<'de, A: MapAccess<'de>>(ctx: &Ctx, map: A) -> Result<Self, A::Error>;
}

/// `smithy.api#Unit` (a union member without a value): any object, its entries skipped.
impl ReadJson for () {
    fn read_map<'de, A: MapAccess<'de>>(_ctx: &Ctx, mut map: A) -> Result<Self, A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// A reader of one JSON value.
pub trait Read: Copy {
    /// What it reads.
    type Value;
    /// Reads a value from `d`.
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error>;
}

/// A reader bound to its context: a `serde::de::DeserializeSeed`.
pub struct Bound<'c, R> {
    ctx: &'c Ctx,
    reader: R,
}

impl<'c, R> Bound<'c, R> {
    /// Binds `reader` to `ctx`.
    pub fn new(ctx: &'c Ctx, reader: R) -> Bound<'c, R> {
        Bound { ctx, reader }
    }
}

impl<'de, R: Read> DeserializeSeed<'de> for Bound<'_, R> {
    type Value = R::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<R::Value, D::Error> {
        self.reader.read(self.ctx, d)
    }
}

/// Reads a member's value, recording `label` (`Container.member`) in the path on failure.
#[inline]
pub fn member<'de, A: MapAccess<'de>, R: Read>(
    map: &mut A,
    ctx: &Ctx,
    label: &'static str,
    reader: R,
) -> Result<R::Value, A::Error> {
    map.next_value_seed(Bound::new(ctx, reader))
        .inspect_err(|_| {
            ctx.push(Seg::Member(label));
        })
}

/// Skips a value (an unknown key's), however deeply nested, without building it.
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The error for a required member that is missing and has no value to stand in.
pub fn missing<E: serde::de::Error>(ctx: &Ctx, label: &'static str) -> E {
    ctx.push(Seg::Member(label));
    ctx.fail(
        InvalidKind::Value,
        "the required member is missing".to_string(),
    )
}

/// An error with a kind and message, for generated code (e.g. a union with two members set).
pub fn invalid<E: serde::de::Error>(ctx: &Ctx, kind: InvalidKind, message: &str) -> E {
    ctx.fail(kind, message.to_string())
}

/// Reads an object key as a member index with `F` (generated: a `match` on the JSON names,
/// `u32::MAX` for unknown keys). The key is borrowed from the input when it has no escapes.
pub struct FieldKey<F>(pub F);

impl<'de, F: FnOnce(&str) -> u32> DeserializeSeed<'de> for FieldKey<F> {
    type Value = u32;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        d.deserialize_str(KeyVisitor(self.0))
    }
}

struct KeyVisitor<F>(F);

impl<'de, F: FnOnce(&str) -> u32> Visitor<'de> for KeyVisitor<F> {
    type Value = u32;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    #[inline]
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u32, E> {
        Ok((self.0)(v))
    }
}

/// Reads the top-level JSON object of a response body into `T`. An empty (or all
/// whitespace) body reads as `{}`; anything that is not one JSON object — HTML, text, a
/// truncated document, trailing data, nesting deeper than serde_json's limit — is a
/// [`ResponseError::MalformedBody`] keeping the status and the start of the body.
pub fn from_body<T: ReadJson>(
    status: u16,
    body: &[u8],
    root: &'static str,
) -> Result<T, ResponseError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let ctx = Ctx::new(root, false);
    let mut de = serde_json::Deserializer::from_slice(body);
    Struct::<T>::new()
        .read(&ctx, &mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| ctx.response_error(status, body, e))
}

/// Whether a body is empty or all whitespace (an absent payload).
pub fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// A text payload: the body as UTF-8. `member` names it if it is not UTF-8.
pub fn text_body(status: u16, body: &[u8], member: &str) -> Result<String, ResponseError> {
    String::from_utf8(body.to_vec()).map_err(|e| ResponseError::InvalidMember {
        status,
        member: member.to_string(),
        kind: InvalidKind::Value,
        message: format!("the body is not UTF-8 text: {e}"),
    })
}

/// Reads the top-level JSON value of a body with any reader (payloads that are not
/// structures: documents, unions). Empty bodies are not special here.
pub fn value_from_body<R: Read>(
    status: u16,
    body: &[u8],
    root: &'static str,
    reader: R,
) -> Result<R::Value, ResponseError> {
    let ctx = Ctx::new(root, false);
    let mut de = serde_json::Deserializer::from_slice(body);
    reader
        .read(&ctx, &mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| ctx.response_error(status, body, e))
}

/// The public serde `Deserialize` of generated structures and unions: every member, with
/// the failing member's path put in front of the message.
pub fn deserialize_root<'de, T: ReadJson, D: Deserializer<'de>>(
    d: D,
    root: &'static str,
) -> Result<T, D::Error> {
    deserialize_with(d, root, Struct::<T>::new())
}

/// The public serde `Deserialize` of a value read by `reader` (enums).
pub fn deserialize_with<'de, R: Read, D: Deserializer<'de>>(
    d: D,
    root: &'static str,
    reader: R,
) -> Result<R::Value, D::Error> {
    let ctx = Ctx::new(root, true);
    reader.read(&ctx, d).map_err(|e| match ctx.path() {
        Some(path) => D::Error::custom(format!("{path}: {e}")),
        None => e,
    })
}

/// Skips a value, telling whether it was `null` (unions ignore `null` members).
pub fn skip_is_null<'de, A: MapAccess<'de>>(map: &mut A) -> Result<bool, A::Error> {
    map.next_value::<Option<IgnoredAny>>().map(|v| v.is_none())
}

macro_rules! phantom_reader {
    ($(#[$doc:meta])* $name:ident<$t:ident> $(where $($bound:tt)*)?) => {
        $(#[$doc])*
        pub struct $name<$t>(PhantomData<fn() -> $t>);
        impl<$t> $name<$t> {
            /// The reader.
            pub const fn new() -> Self {
                $name(PhantomData)
            }
        }
        impl<$t> Clone for $name<$t> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<$t> Copy for $name<$t> {}
        impl<$t> Default for $name<$t> {
            fn default() -> Self {
                Self::new()
            }
        }
    };
}

fn type_error<E: serde::de::Error>(ctx: &Ctx, expected: &str, found: fmt::Arguments<'_>) -> E {
    ctx.fail(
        InvalidKind::WrongType,
        format!("expected {expected}, found {found}"),
    )
}

/// `null` → `None`, else the inner reader's value.
#[derive(Debug, Clone, Copy)]
pub struct Opt<R>(pub R);

impl<R: Read> Read for Opt<R> {
    type Value = Option<R::Value>;
    #[inline]
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(OptVisitor(self.0, ctx))
    }
}

struct OptVisitor<'c, R>(R, &'c Ctx);

impl<'de, R: Read> Visitor<'de> for OptVisitor<'_, R> {
    type Value = Option<R::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.read(self.1, d).map(Some)
    }
}

/// Through a `Box` (recursive shapes).
#[derive(Debug, Clone, Copy)]
pub struct Boxed<R>(pub R);

impl<R: Read> Read for Boxed<R> {
    type Value = Box<R::Value>;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        self.0.read(ctx, d).map(Box::new)
    }
}

/// A JSON string.
#[derive(Debug, Clone, Copy)]
pub struct Str;

impl Read for Str {
    type Value = String;
    #[inline]
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<String, D::Error> {
        d.deserialize_any(StrVisitor(ctx))
    }
}

struct StrVisitor<'c>(&'c Ctx);

macro_rules! wrong_type_for_scalars {
    ($expected:expr) => {
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Err(type_error(
                self.0,
                $expected,
                format_args!("the boolean {v}"),
            ))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Err(type_error(
                self.0,
                $expected,
                format_args!("the number {v}"),
            ))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Err(type_error(
                self.0,
                $expected,
                format_args!("the number {v}"),
            ))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(type_error(
                self.0,
                $expected,
                format_args!("the number {v}"),
            ))
        }
    };
}

macro_rules! wrong_type_for_containers {
    ($expected:expr) => {
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Err(type_error(self.0, $expected, format_args!("null")))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
            Err(type_error(self.0, $expected, format_args!("an array")))
        }
        fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<Self::Value, A::Error> {
            Err(type_error(self.0, $expected, format_args!("an object")))
        }
    };
}

macro_rules! wrong_type_for_strings {
    ($expected:expr) => {
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Err(type_error(
                self.0,
                $expected,
                format_args!("the string {:?}", cut(v)),
            ))
        }
    };
}

fn cut(text: &str) -> String {
    text.chars().take(64).collect()
}

impl<'de> Visitor<'de> for StrVisitor<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    #[inline]
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    #[inline]
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    wrong_type_for_scalars!("a string");
    wrong_type_for_containers!("a string");
}

/// A JSON boolean.
#[derive(Debug, Clone, Copy)]
pub struct Bool;

impl Read for Bool {
    type Value = bool;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(BoolVisitor(ctx))
    }
}

struct BoolVisitor<'c>(&'c Ctx);

impl<'de> Visitor<'de> for BoolVisitor<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Err(type_error(
            self.0,
            "a boolean",
            format_args!("the number {v}"),
        ))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Err(type_error(
            self.0,
            "a boolean",
            format_args!("the number {v}"),
        ))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Err(type_error(
            self.0,
            "a boolean",
            format_args!("the number {v}"),
        ))
    }
    wrong_type_for_strings!("a boolean");
    wrong_type_for_containers!("a boolean");
}

/// Integer types the wire reads, with their bounds.
pub trait Integer: Copy + TryFrom<i64> + TryFrom<u64> {
    /// The Rust type's name, for messages.
    const NAME: &'static str;
    /// The smallest value.
    const MIN: i64;
    /// The largest value.
    const MAX: i64;
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl Integer for $t {
            const NAME: &'static str = stringify!($t);
            const MIN: i64 = <$t>::MIN as i64;
            const MAX: i64 = <$t>::MAX as i64;
        }
    )*};
}
integer!(i8, i16, i32, i64);

phantom_reader!(
    /// A JSON integer that must fit `T`: out-of-range values are errors, never wrapped or
    /// truncated. An integral float (`3.0`) is accepted; `1.5` is not.
    Int<T>
);

impl<T: Integer> Read for Int<T> {
    type Value = T;
    #[inline]
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<T, D::Error> {
        d.deserialize_any(IntVisitor::<T>(ctx, PhantomData))
    }
}

struct IntVisitor<'c, T>(&'c Ctx, PhantomData<T>);

fn out_of_range<T: Integer, E: serde::de::Error>(ctx: &Ctx, v: fmt::Arguments<'_>) -> E {
    ctx.fail(
        InvalidKind::OutOfRange,
        format!(
            "{v} is out of range for {} ({}..={})",
            T::NAME,
            T::MIN,
            T::MAX
        ),
    )
}

impl<'de, T: Integer> Visitor<'de> for IntVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }
    #[inline]
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| out_of_range::<T, E>(self.0, format_args!("{v}")))
    }
    #[inline]
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| out_of_range::<T, E>(self.0, format_args!("{v}")))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        if v.fract() != 0.0 || !v.is_finite() {
            return Err(type_error(
                self.0,
                "an integer",
                format_args!("the number {v}"),
            ));
        }
        if v < T::MIN as f64 || v > T::MAX as f64 {
            return Err(out_of_range::<T, E>(self.0, format_args!("{v}")));
        }
        T::try_from(v as i64).map_err(|_| out_of_range::<T, E>(self.0, format_args!("{v}")))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<T, E> {
        Err(type_error(
            self.0,
            "an integer",
            format_args!("the boolean {v}"),
        ))
    }
    wrong_type_for_strings!("an integer");
    wrong_type_for_containers!("an integer");
}

/// A JSON number as `f64`; also the strings `NaN`, `Infinity`, `-Infinity`.
#[derive(Debug, Clone, Copy)]
pub struct Float64;

impl Read for Float64 {
    type Value = f64;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<f64, D::Error> {
        d.deserialize_any(FloatVisitor(ctx))
    }
}

/// As [`Float64`], as `f32`. A finite number too large for `f32` is out of range.
#[derive(Debug, Clone, Copy)]
pub struct Float32;

impl Read for Float32 {
    type Value = f32;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<f32, D::Error> {
        let v = d.deserialize_any(FloatVisitor(ctx))?;
        let narrow = v as f32;
        if v.is_finite() && !narrow.is_finite() {
            return Err(ctx.fail(
                InvalidKind::OutOfRange,
                format!("{v} is out of range for f32"),
            ));
        }
        Ok(narrow)
    }
}

struct FloatVisitor<'c>(&'c Ctx);

impl<'de> Visitor<'de> for FloatVisitor<'_> {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(type_error(
                self.0,
                "a number (or \"NaN\", \"Infinity\", \"-Infinity\")",
                format_args!("the string {:?}", cut(v)),
            )),
        }
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<f64, E> {
        Err(type_error(
            self.0,
            "a number",
            format_args!("the boolean {v}"),
        ))
    }
    wrong_type_for_containers!("a number");
}

/// A timestamp in a format: epoch seconds from a JSON number, the others from a string.
/// Anything else is a malformed timestamp.
#[derive(Debug, Clone, Copy)]
pub struct Ts(pub Format);

impl Read for Ts {
    type Value = time::OffsetDateTime;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(TsVisitor(ctx, self.0))
    }
}

struct TsVisitor<'c>(&'c Ctx, Format);

impl TsVisitor<'_> {
    fn bad<E: serde::de::Error>(&self, found: fmt::Arguments<'_>) -> E {
        let expected = match self.1 {
            Format::EpochSeconds => "epoch seconds (a JSON number)",
            Format::DateTime => "an RFC 3339 date-time string",
            Format::HttpDate => "an HTTP date string",
        };
        self.0.fail(
            InvalidKind::Timestamp,
            format!("expected {expected}, found {found}"),
        )
    }
}

impl<'de> Visitor<'de> for TsVisitor<'_> {
    type Value = time::OffsetDateTime;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} timestamp", self.1.name())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match self.1 {
            Format::EpochSeconds => timestamp::from_epoch_i64(v)
                .ok_or_else(|| self.bad(format_args!("{v} (out of range)"))),
            _ => Err(self.bad(format_args!("the number {v}"))),
        }
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match i64::try_from(v) {
            Ok(i) => self.visit_i64(i),
            Err(_) => Err(self.bad(format_args!("{v} (out of range)"))),
        }
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        match self.1 {
            Format::EpochSeconds => timestamp::from_epoch_f64(v)
                .ok_or_else(|| self.bad(format_args!("{v} (out of range)"))),
            _ => Err(self.bad(format_args!("the number {v}"))),
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match self.1 {
            Format::EpochSeconds => Err(self.bad(format_args!("the string {:?}", cut(v)))),
            format => timestamp::parse(v, format)
                .map_err(|e| self.0.fail(InvalidKind::Timestamp, e.to_string())),
        }
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Err(self.bad(format_args!("the boolean {v}")))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Err(self.bad(format_args!("null")))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
        Err(self.bad(format_args!("an array")))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<Self::Value, A::Error> {
        Err(self.bad(format_args!("an object")))
    }
}

/// A base64 string as bytes.
#[derive(Debug, Clone, Copy)]
pub struct Blob;

impl Read for Blob {
    type Value = Vec<u8>;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Vec<u8>, D::Error> {
        let text = Str.read(ctx, d)?;
        crate::wire::base64_decode(&text).map_err(|e| ctx.fail(InvalidKind::Value, e))
    }
}

/// Any JSON value, as a document (`serde_json::Value`).
#[derive(Debug, Clone, Copy)]
pub struct Doc;

impl Read for Doc {
    type Value = serde_json::Value;
    fn read<'de, D: Deserializer<'de>>(
        self,
        _ctx: &Ctx,
        d: D,
    ) -> Result<serde_json::Value, D::Error> {
        serde::Deserialize::deserialize(d)
    }
}

/// A `bigInteger`: a JSON integer (or a string holding one), kept as decimal text. JSON
/// integers beyond 64 bits arrive as floats from serde_json and lose precision.
#[derive(Debug, Clone, Copy)]
pub struct BigInt;

/// A `bigDecimal`: a JSON number (or a string holding one), kept as decimal text.
#[derive(Debug, Clone, Copy)]
pub struct BigDec;

impl Read for BigInt {
    type Value = crate::primitives::BigInteger;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(NumberTextVisitor(ctx, true))
            .map(crate::primitives::BigInteger)
    }
}

impl Read for BigDec {
    type Value = crate::primitives::BigDecimal;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(NumberTextVisitor(ctx, false))
            .map(crate::primitives::BigDecimal)
    }
}

struct NumberTextVisitor<'c>(&'c Ctx, bool);

fn is_number_text(text: &str, integer: bool) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if integer {
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    } else {
        !digits.is_empty()
            && digits.as_bytes()[0].is_ascii_digit()
            && digits
                .bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
            && text.parse::<f64>().is_ok()
    }
}

impl<'de> Visitor<'de> for NumberTextVisitor<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        if self.1 && v.fract() != 0.0 {
            return Err(type_error(
                self.0,
                "an integer",
                format_args!("the number {v}"),
            ));
        }
        if !v.is_finite() {
            return Err(type_error(self.0, "a finite number", format_args!("{v}")));
        }
        Ok(if self.1 {
            format!("{v:.0}")
        } else {
            v.to_string()
        })
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        if is_number_text(v, self.1) {
            Ok(v.to_string())
        } else {
            Err(type_error(
                self.0,
                "a number",
                format_args!("the string {:?}", cut(v)),
            ))
        }
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        Err(type_error(
            self.0,
            "a number",
            format_args!("the boolean {v}"),
        ))
    }
    wrong_type_for_containers!("a number");
}

phantom_reader!(
    /// A string enum: any string is accepted (unknown values become `Unknown`).
    EnumStr<T>
);

impl<T: for<'a> From<&'a str>> Read for EnumStr<T> {
    type Value = T;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<T, D::Error> {
        d.deserialize_any(EnumVisitor::<T>(ctx, PhantomData))
    }
}

struct EnumVisitor<'c, T>(&'c Ctx, PhantomData<T>);

impl<'de, T: for<'a> From<&'a str>> Visitor<'de> for EnumVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
    wrong_type_for_scalars!("a string");
    wrong_type_for_containers!("a string");
}

phantom_reader!(
    /// An int enum: any `i32` is accepted (unknown values become `Unknown`).
    IntEnum<T>
);

impl<T: From<i32>> Read for IntEnum<T> {
    type Value = T;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<T, D::Error> {
        Int::<i32>::new().read(ctx, d).map(T::from)
    }
}

phantom_reader!(
    /// A generated structure or union, from a JSON object.
    Struct<T>
);

impl<T: ReadJson> Read for Struct<T> {
    type Value = T;
    #[inline]
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<T, D::Error> {
        d.deserialize_map(StructVisitor::<T>(ctx, PhantomData))
    }
}

struct StructVisitor<'c, T>(&'c Ctx, PhantomData<T>);

impl<'de, T: ReadJson> Visitor<'de> for StructVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read_map(self.0, map)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Err(type_error(self.0, "an object", format_args!("null")))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
        Err(type_error(self.0, "an object", format_args!("an array")))
    }
    wrong_type_for_scalars!("an object");
    wrong_type_for_strings!("an object");
}

/// A dense list: `null` entries are dropped.
#[derive(Debug, Clone, Copy)]
pub struct List<R>(pub R);

/// A `@sparse` list: `null` entries are kept as `None`.
#[derive(Debug, Clone, Copy)]
pub struct SparseList<R>(pub R);

impl<R: Read> Read for List<R> {
    type Value = Vec<R::Value>;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(ListVisitor(ctx, self.0))
    }
}

impl<R: Read> Read for SparseList<R> {
    type Value = Vec<Option<R::Value>>;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(SparseListVisitor(ctx, self.0))
    }
}

struct ListVisitor<'c, R>(&'c Ctx, R);
struct SparseListVisitor<'c, R>(&'c Ctx, R);

macro_rules! list_visitor {
    ($name:ident, $value:ty, |$out:ident, $item:ident| $push:expr) => {
        impl<'de, R: Read> Visitor<'de> for $name<'_, R> {
            type Value = $value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut $out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                let mut index = 0usize;
                loop {
                    match seq.next_element_seed(Bound::new(self.0, Opt(self.1))) {
                        Ok(Some($item)) => $push,
                        Ok(None) => return Ok($out),
                        Err(e) => {
                            self.0.push(Seg::Index(index));
                            return Err(e);
                        }
                    }
                    index += 1;
                }
            }
            wrong_type_for_scalars!("an array");
            wrong_type_for_strings!("an array");
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Err(type_error(self.0, "an array", format_args!("null")))
            }
            fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<Self::Value, A::Error> {
                Err(type_error(self.0, "an array", format_args!("an object")))
            }
        }
    };
}

list_visitor!(
    ListVisitor,
    Vec<R::Value>,
    |out, item| if let Some(v) = item {
        out.push(v)
    }
);
list_visitor!(SparseListVisitor, Vec<Option<R::Value>>, |out, item| out
    .push(item));

/// A dense map with `String` keys: `null` values are dropped; a repeated key keeps its last
/// value.
#[derive(Debug, Clone, Copy)]
pub struct Map<R>(pub R);

/// A `@sparse` map with `String` keys: `null` values are kept as `None`.
#[derive(Debug, Clone, Copy)]
pub struct SparseMap<R>(pub R);

/// A dense map whose keys are a generated enum `K` ([`MapKey`]): read by wire value, an
/// unknown value kept as `K`'s `Unknown` variant; otherwise as [`Map`].
pub struct KeyMap<K, R>(pub R, PhantomData<fn() -> K>);

/// A `@sparse` map whose keys are a generated enum `K`; otherwise as [`SparseMap`].
pub struct SparseKeyMap<K, R>(pub R, PhantomData<fn() -> K>);

impl<K, R> KeyMap<K, R> {
    /// Reads values with `values`.
    pub fn new(values: R) -> Self {
        KeyMap(values, PhantomData)
    }
}

impl<K, R> SparseKeyMap<K, R> {
    /// Reads values with `values`.
    pub fn new(values: R) -> Self {
        SparseKeyMap(values, PhantomData)
    }
}

impl<K, R: Copy> Clone for KeyMap<K, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K, R: Copy> Copy for KeyMap<K, R> {}
impl<K, R: Copy> Clone for SparseKeyMap<K, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K, R: Copy> Copy for SparseKeyMap<K, R> {}

impl<R: Read> Read for Map<R> {
    type Value = HashMap<String, R::Value>;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(MapVisitor(ctx, self.0, PhantomData))
    }
}

impl<R: Read> Read for SparseMap<R> {
    type Value = HashMap<String, Option<R::Value>>;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(SparseMapVisitor(ctx, self.0, PhantomData))
    }
}

impl<K: MapKey, R: Read> Read for KeyMap<K, R> {
    type Value = HashMap<K, R::Value>;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(MapVisitor(ctx, self.0, PhantomData))
    }
}

impl<K: MapKey, R: Read> Read for SparseKeyMap<K, R> {
    type Value = HashMap<K, Option<R::Value>>;
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(SparseMapVisitor(ctx, self.0, PhantomData))
    }
}

struct MapVisitor<'c, R, K>(&'c Ctx, R, PhantomData<fn() -> K>);
struct SparseMapVisitor<'c, R, K>(&'c Ctx, R, PhantomData<fn() -> K>);

macro_rules! map_visitor {
    ($name:ident, $value:ty, |$out:ident, $key:ident, $item:ident| $insert:expr) => {
        impl<'de, R: Read, K: MapKey> Visitor<'de> for $name<'_, R, K> {
            type Value = $value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut $out = HashMap::with_capacity(map.size_hint().unwrap_or(0).min(1024));
                while let Some(wire_key) = map.next_key_seed(Bound::new(self.0, Str))? {
                    match map.next_value_seed(Bound::new(self.0, Opt(self.1))) {
                        Ok($item) => {
                            let $key = K::from_wire(wire_key);
                            $insert
                        }
                        Err(e) => {
                            self.0.push(Seg::Key(wire_key));
                            return Err(e);
                        }
                    }
                }
                Ok($out)
            }
            wrong_type_for_scalars!("an object");
            wrong_type_for_strings!("an object");
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Err(type_error(self.0, "an object", format_args!("null")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
                Err(type_error(self.0, "an object", format_args!("an array")))
            }
        }
    };
}

map_visitor!(MapVisitor, HashMap<K, R::Value>, |out, key, item| match item {
    Some(v) => {
        out.insert(key, v);
    }
    None => {
        // A dense map drops null values; a later non-null value for the key still wins.
        out.remove(&key);
    }
});
map_visitor!(SparseMapVisitor, HashMap<K, Option<R::Value>>, |out, key, item| {
    out.insert(key, item);
});

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// A hand-written `ReadJson`, shaped like the generated ones.
    #[derive(Debug, Default, PartialEq)]
    struct Settings {
        level: Option<String>,
        limit: Option<i32>,
        rate: Option<f64>,
        nested: Option<Box<Settings>>,
        tags: Option<HashMap<String, String>>,
        list: Option<Vec<Option<i32>>>,
        created: Option<time::OffsetDateTime>,
    }

    impl ReadJson for Settings {
        fn read_map<'de, A: MapAccess<'de>>(ctx: &Ctx, mut map: A) -> Result<Self, A::Error> {
            let mut out = Settings::default();
            while let Some(key) = map.next_key_seed(FieldKey(|k: &str| match k {
                "level" => 0,
                "limit" => 1,
                "rate" => 2,
                "nested" => 3,
                "tags" => 4,
                "list" => 5,
                "created" => 6,
                _ => u32::MAX,
            }))? {
                match key {
                    0 => out.level = member(&mut map, ctx, "Settings.level", Opt(Str))?,
                    1 => {
                        out.limit = member(&mut map, ctx, "Settings.limit", Opt(Int::<i32>::new()))?
                    }
                    2 => out.rate = member(&mut map, ctx, "Settings.rate", Opt(Float64))?,
                    3 => {
                        out.nested = member(
                            &mut map,
                            ctx,
                            "Settings.nested",
                            Opt(Boxed(Struct::<Settings>::new())),
                        )?
                    }
                    4 => out.tags = member(&mut map, ctx, "Settings.tags", Opt(Map(Str)))?,
                    5 => {
                        out.list = member(
                            &mut map,
                            ctx,
                            "Settings.list",
                            Opt(SparseList(Int::<i32>::new())),
                        )?
                    }
                    6 => {
                        out.created =
                            member(&mut map, ctx, "Settings.created", Opt(Ts(Format::DateTime)))?
                    }
                    _ => skip(&mut map)?,
                }
            }
            Ok(out)
        }
    }

    fn read(body: &str) -> Result<Settings, ResponseError> {
        from_body::<Settings>(200, body.as_bytes(), "Settings")
    }

    fn member_error(body: &str) -> (String, InvalidKind, String) {
        match read(body).unwrap_err() {
            ResponseError::InvalidMember {
                member,
                kind,
                message,
                ..
            } => (member, kind, message),
            other => panic!("{body}: {other}"),
        }
    }

    #[test]
    fn reads_values() {
        let s = read(
            r#"{"level":"INFO","limit":5,"rate":"NaN","nested":{"limit":-1,"x":{"y":[1,{"z":null}]}},
                "tags":{"a":"1","b":null,"a":"2"},"list":[1,null,2],"created":"2020-01-01T01:00:00+01:00",
                "unknown":{"deep":[[[]]]}}"#,
        )
        .unwrap();
        assert_eq!(s.level.as_deref(), Some("INFO"));
        assert_eq!(s.limit, Some(5));
        assert!(s.rate.unwrap().is_nan());
        assert_eq!(s.nested.as_ref().unwrap().limit, Some(-1));
        assert_eq!(s.tags.as_ref().unwrap().len(), 1);
        assert_eq!(s.tags.as_ref().unwrap()["a"], "2");
        assert_eq!(s.list, Some(vec![Some(1), None, Some(2)]));
        assert_eq!(s.created, Some(datetime!(2020-01-01 00:00:00 UTC)));
    }

    #[test]
    fn empty_and_null() {
        assert_eq!(read("").unwrap(), Settings::default());
        assert_eq!(read("  \n").unwrap(), Settings::default());
        assert_eq!(read("{}").unwrap(), Settings::default());
        assert_eq!(
            read(r#"{"level":null,"limit":null,"rate":null,"nested":null,"tags":null,"list":null,"created":null}"#)
                .unwrap(),
            Settings::default()
        );
        let s = read(r#"{"level":"a","level":"b"}"#).unwrap();
        assert_eq!(s.level.as_deref(), Some("b"));
        let s = read(r#"{"le\u0076el":"escaped key"}"#).unwrap();
        assert_eq!(s.level.as_deref(), Some("escaped key"));
    }

    #[test]
    fn malformed_bodies() {
        for body in [
            "<html><body>Bad gateway</body></html>",
            "Service Unavailable",
            r#"{"level":"INF"#,
            r#"{"level":"INFO"} trailing"#,
            "[]",
            "\"text\"",
            "null",
            "42",
        ] {
            match read(body).unwrap_err() {
                ResponseError::MalformedBody {
                    status, body_start, ..
                } => {
                    assert_eq!(status, 200);
                    assert_eq!(body_start, body);
                }
                other => panic!("{body}: {other}"),
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow() {
        let depth = 100_000;
        let unknown = format!("{{\"u\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
        // Unknown values are skipped by serde_json's iterative skipper: no recursion at all.
        assert_eq!(read(&unknown).unwrap(), Settings::default());
        let known = format!("{}{}", r#"{"nested":"#.repeat(depth), "}".repeat(depth));
        assert!(matches!(
            read(&known).unwrap_err(),
            ResponseError::MalformedBody { .. }
        ));
    }

    #[test]
    fn member_errors_name_the_path() {
        let (m, k, msg) = member_error(r#"{"limit":3000000000}"#);
        assert_eq!((m.as_str(), k), ("Settings.limit", InvalidKind::OutOfRange));
        assert!(msg.contains("3000000000"), "{msg}");
        let (m, k, _) = member_error(r#"{"limit":-3000000000}"#);
        assert_eq!((m.as_str(), k), ("Settings.limit", InvalidKind::OutOfRange));
        let (m, k, _) = member_error(r#"{"limit":1e30}"#);
        assert_eq!((m.as_str(), k), ("Settings.limit", InvalidKind::OutOfRange));
        let (m, k, _) = member_error(r#"{"limit":1.5}"#);
        assert_eq!((m.as_str(), k), ("Settings.limit", InvalidKind::WrongType));
        let (m, k, _) = member_error(r#"{"limit":"5"}"#);
        assert_eq!((m.as_str(), k), ("Settings.limit", InvalidKind::WrongType));
        let (m, k, _) = member_error(r#"{"level":5}"#);
        assert_eq!((m.as_str(), k), ("Settings.level", InvalidKind::WrongType));
        let (m, k, _) = member_error(r#"{"level":{"a":1}}"#);
        assert_eq!((m.as_str(), k), ("Settings.level", InvalidKind::WrongType));
        let (m, k, _) = member_error(r#"{"rate":"fast"}"#);
        assert_eq!((m.as_str(), k), ("Settings.rate", InvalidKind::WrongType));
        let (m, k, _) = member_error(r#"{"nested":{"nested":{"created":"yesterday"}}}"#);
        assert_eq!(
            (m.as_str(), k),
            ("Settings.nested.nested.created", InvalidKind::Timestamp)
        );
        let (m, k, _) = member_error(r#"{"nested":{"created":1576540098}}"#);
        assert_eq!(
            (m.as_str(), k),
            ("Settings.nested.created", InvalidKind::Timestamp)
        );
        let (m, k, _) = member_error(r#"{"tags":{"ok":"1","bad\"key":2}}"#);
        assert_eq!(
            (m.as_str(), k),
            (r#"Settings.tags["bad\"key"]"#, InvalidKind::WrongType)
        );
        let (m, k, _) = member_error(r#"{"list":[1,2,"x"]}"#);
        assert_eq!(
            (m.as_str(), k),
            ("Settings.list[2]", InvalidKind::WrongType)
        );
        let (m, k, _) = member_error(r#"{"nested":[1]}"#);
        assert_eq!((m.as_str(), k), ("Settings.nested", InvalidKind::WrongType));
        let (m, _, _) = member_error(r#"{"tags":[]}"#);
        assert_eq!(m, "Settings.tags");
    }

    #[test]
    fn scalars() {
        let ctx = Ctx::new("X", false);
        let mut de = serde_json::Deserializer::from_str("127");
        assert_eq!(Int::<i8>::new().read(&ctx, &mut de).unwrap(), 127);
        let mut de = serde_json::Deserializer::from_str("128");
        assert!(Int::<i8>::new().read(&ctx, &mut de).is_err());
        let mut de = serde_json::Deserializer::from_str("9223372036854775808");
        assert!(Int::<i64>::new().read(&ctx, &mut de).is_err());
        let mut de = serde_json::Deserializer::from_str("-9223372036854775808");
        assert_eq!(Int::<i64>::new().read(&ctx, &mut de).unwrap(), i64::MIN);
        let mut de = serde_json::Deserializer::from_str("\"-Infinity\"");
        assert_eq!(Float64.read(&ctx, &mut de).unwrap(), f64::NEG_INFINITY);
        let mut de = serde_json::Deserializer::from_str("1e300");
        assert!(Float32.read(&ctx, &mut de).is_err());
        let mut de = serde_json::Deserializer::from_str("1576540098.5");
        assert_eq!(
            Ts(Format::EpochSeconds).read(&ctx, &mut de).unwrap(),
            datetime!(2019-12-16 23:48:18.5 UTC)
        );
        let mut de = serde_json::Deserializer::from_str("\"Mon, 16 Dec 2019 23:48:18 GMT\"");
        assert_eq!(
            Ts(Format::HttpDate).read(&ctx, &mut de).unwrap(),
            datetime!(2019-12-16 23:48:18 UTC)
        );
        let mut de = serde_json::Deserializer::from_str("\"aGk=\"");
        assert_eq!(Blob.read(&ctx, &mut de).unwrap(), b"hi");
        let mut de = serde_json::Deserializer::from_str("\"!!\"");
        assert!(Blob.read(&ctx, &mut de).is_err());
        let mut de = serde_json::Deserializer::from_str(r#"{"a":[1,null]}"#);
        assert_eq!(
            Doc.read(&ctx, &mut de).unwrap(),
            serde_json::json!({"a":[1,null]})
        );
        let mut de = serde_json::Deserializer::from_str("[1,null,2]");
        assert_eq!(
            List(Int::<i32>::new()).read(&ctx, &mut de).unwrap(),
            vec![1, 2]
        );
        let mut de = serde_json::Deserializer::from_str(r#"{"a":null}"#);
        assert_eq!(SparseMap(Str).read(&ctx, &mut de).unwrap()["a"], None);
        let mut de = serde_json::Deserializer::from_str(r#"{"a":"1","a":null}"#);
        assert!(Map(Str).read(&ctx, &mut de).unwrap().is_empty());
        let mut de = serde_json::Deserializer::from_str("12345678901234567890");
        assert_eq!(
            BigInt.read(&ctx, &mut de).unwrap().0,
            "12345678901234567890"
        );
        let mut de = serde_json::Deserializer::from_str("1.5");
        assert!(BigInt.read(&ctx, &mut de).is_err());
        let mut de = serde_json::Deserializer::from_str("\"-1.5e3\"");
        assert_eq!(BigDec.read(&ctx, &mut de).unwrap().0, "-1.5e3");
        let mut de = serde_json::Deserializer::from_str("\"abc\"");
        assert!(BigDec.read(&ctx, &mut de).is_err());
        let mut de = serde_json::Deserializer::from_str("true");
        assert!(Bool.read(&ctx, &mut de).unwrap());
        let mut de = serde_json::Deserializer::from_str("\"true\"");
        assert!(Bool.read(&ctx, &mut de).is_err());
    }

    #[test]
    fn public_serde_form_prefixes_the_path() {
        struct Wrapper(Settings);
        impl<'de> serde::Deserialize<'de> for Wrapper {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize_root::<Settings, D>(d, "Settings").map(Wrapper)
            }
        }
        let e = serde_json::from_str::<Wrapper>(r#"{"nested":{"limit":"x"}}"#)
            .err()
            .unwrap();
        assert!(
            e.to_string()
                .starts_with("Settings.nested.limit: expected an integer"),
            "{e}"
        );
        let ok = serde_json::from_str::<Wrapper>(r#"{"limit":1}"#)
            .ok()
            .unwrap();
        assert_eq!(ok.0.limit, Some(1));
    }

    /// A map key like a generated enum: known values, and `Other` keeping the rest.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    enum Level {
        Low,
        Other(String),
    }

    impl MapKey for Level {
        fn from_wire(key: String) -> Self {
            if key == "low" {
                Level::Low
            } else {
                Level::Other(key)
            }
        }
        fn as_wire(&self) -> &str {
            match self {
                Level::Low => "low",
                Level::Other(other) => other,
            }
        }
    }

    #[test]
    fn enum_keyed_maps_read_keys_by_wire_value() {
        let ctx = Ctx::new("X", false);
        let mut de = serde_json::Deserializer::from_str(r#"{"low":1,"new":2,"gone":null}"#);
        let map = KeyMap::<Level, _>::new(Int::<i32>::new())
            .read(&ctx, &mut de)
            .unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map[&Level::Low], 1);
        assert_eq!(map[&Level::Other("new".into())], 2);
        let mut de = serde_json::Deserializer::from_str(r#"{"low":null,"x":"y"}"#);
        let map = SparseKeyMap::<Level, _>::new(Str)
            .read(&ctx, &mut de)
            .unwrap();
        assert_eq!(map[&Level::Low], None);
        assert_eq!(map[&Level::Other("x".into())].as_deref(), Some("y"));
        // A bad value names its key.
        let ctx = Ctx::new("X", false);
        let mut de = serde_json::Deserializer::from_str(r#"{"low":"one"}"#);
        assert!(KeyMap::<Level, _>::new(Int::<i32>::new())
            .read(&ctx, &mut de)
            .is_err());
        assert_eq!(ctx.path().as_deref(), Some(r#"X["low"]"#));
    }
}
