//! Client-side input validation from the model's constraint traits (`@required`, `@length`,
//! `@range`, `@pattern`, and non-empty `@httpLabel` values). The generated
//! `crate::validate` module walks an input and reports every violation at once; nothing is
//! sent when there is one.

use std::fmt;
#[cfg(feature = "pattern")]
use std::sync::OnceLock;

/// Where a value sits in the input: `CreateFooInput.items[2].tags["k"]`. Built on the stack
/// while walking, rendered only when a violation is recorded.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The input itself, by type name (`GetStageInput`).
    Root(&'static str),
    /// A member, by label (`Container.member`; the part after the first `.` is shown).
    Member(&'a Path<'a>, &'static str),
    /// A list entry.
    Index(&'a Path<'a>, usize),
    /// A map entry, by key.
    Key(&'a Path<'a>, &'a str),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Member(parent, label) => {
                let member = label.split_once('.').map_or(*label, |(_, m)| m);
                write!(f, "{parent}.{member}")
            }
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// What `@length` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values of a string.
    Characters,
    /// Bytes of a blob.
    Bytes,
    /// Entries of a list or map.
    Entries,
}

impl fmt::Display for LengthUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LengthUnit::Characters => "characters",
            LengthUnit::Bytes => "bytes",
            LengthUnit::Entries => "entries",
        })
    }
}

/// The constraint a value breaks, with the actual length or number.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Constraint {
    /// `@required`: the member is not set.
    Required,
    /// `@httpLabel`: the value cannot be a URI path segment (empty, `.` or `..`).
    Label {
        /// Why.
        reason: &'static str,
    },
    /// `@length`.
    Length {
        /// The inclusive minimum.
        min: Option<u64>,
        /// The inclusive maximum.
        max: Option<u64>,
        /// The actual length.
        actual: u64,
        /// What was counted.
        unit: LengthUnit,
    },
    /// `@range`; bounds and value as written in decimal.
    Range {
        /// The inclusive minimum.
        min: Option<String>,
        /// The inclusive maximum.
        max: Option<String>,
        /// The actual value.
        actual: String,
    },
    /// `@pattern`: the string does not match the (unanchored) regular expression.
    Pattern {
        /// The pattern from the model.
        pattern: &'static str,
    },
}

fn bounds(min: Option<&dyn fmt::Display>, max: Option<&dyn fmt::Display>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("between {a} and {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "unbounded".to_string(),
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Required => f.write_str("is required but was not set"),
            Constraint::Label { reason } => {
                write!(f, "cannot be sent as a URI path label: {reason}")
            }
            Constraint::Length {
                min,
                max,
                actual,
                unit,
            } => write!(
                f,
                "has length {actual} ({unit}) but must be {} (@length)",
                bounds(
                    min.as_ref().map(|v| v as &dyn fmt::Display),
                    max.as_ref().map(|v| v as &dyn fmt::Display)
                )
            ),
            Constraint::Range { min, max, actual } => write!(
                f,
                "is {actual} but must be {} (@range)",
                bounds(
                    min.as_ref().map(|v| v as &dyn fmt::Display),
                    max.as_ref().map(|v| v as &dyn fmt::Display)
                )
            ),
            Constraint::Pattern { pattern } => {
                write!(f, "does not match the pattern `{pattern}` (@pattern)")
            }
        }
    }
}

/// One violation: the member path and the broken constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintViolation {
    /// The member path, e.g. `GetStageInput.stage_name`.
    pub path: String,
    /// What is wrong.
    pub constraint: Constraint,
}

impl fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.path, self.constraint)
    }
}

/// An input broke its model's constraints; the request was not sent. Holds every
/// violation found, in walk order.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    violations: Vec<ConstraintViolation>,
}

impl ValidationError {
    /// Every violation.
    pub fn violations(&self) -> &[ConstraintViolation] {
        &self.violations
    }

    /// Only the violations that make a request impossible to send (a missing `@required`
    /// member, an unusable `@httpLabel`), or `None` when there are none: what is checked
    /// when constraint validation is switched off.
    pub fn essential(self) -> Option<ValidationError> {
        let violations: Vec<ConstraintViolation> = self
            .violations
            .into_iter()
            .filter(|v| {
                matches!(
                    v.constraint,
                    Constraint::Required | Constraint::Label { .. }
                )
            })
            .collect();
        (!violations.is_empty()).then_some(ValidationError { violations })
    }
}

/// A model's `@pattern`: an ECMA-262 regular expression (through `regress`), matched
/// unanchored as Smithy defines it, and compiled on first use.
///
/// Patterns that use `\p{..}` classes are compiled in Unicode mode (`u`), others as
/// written; the generator emits only patterns that compile this way. Behind the `pattern`
/// feature, which crates whose models have `@pattern` turn on.
#[cfg(feature = "pattern")]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regress::Regex>>,
}

#[cfg(feature = "pattern")]
impl Pattern {
    /// The pattern `source`, not yet compiled.
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the model writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` contains a match. A pattern that does not compile (the generator
    /// never emits one) matches everything rather than refusing every value.
    pub fn is_match(&self, value: &str) -> bool {
        match self
            .compiled
            .get_or_init(|| compile_pattern(self.source).ok())
        {
            Some(regex) => regex.find(value).is_some(),
            None => true,
        }
    }
}

#[cfg(feature = "pattern")]
impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Compiles a Smithy `@pattern`: Unicode mode when it uses `\p{..}`/`\P{..}` classes
/// (which mean nothing without it), otherwise the plain ECMA-262 syntax AWS models are
/// written in. The generator applies the same rule when it checks patterns.
#[cfg(feature = "pattern")]
pub fn compile_pattern(source: &str) -> Result<regress::Regex, regress::Error> {
    let flags = if source.contains("\\p{") || source.contains("\\P{") {
        "u"
    } else {
        ""
    };
    regress::Regex::with_flags(source, flags)
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "invalid input ({n} constraint violation{}): ",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A generated type that checks its own members' constraints.
pub trait Validate {
    /// Records every violation inside `self` (at `path`) into `out`.
    fn validate(&self, path: &Path<'_>, out: &mut Violations);
}

/// Collects violations during a walk.
#[derive(Debug, Default)]
pub struct Violations {
    list: Vec<ConstraintViolation>,
}

impl Violations {
    /// None yet.
    pub fn new() -> Violations {
        Violations::default()
    }

    fn push(&mut self, path: &Path<'_>, constraint: Constraint) {
        self.list.push(ConstraintViolation {
            path: path.to_string(),
            constraint,
        });
    }

    /// `@required` member that is `None`.
    pub fn required(&mut self, path: &Path<'_>) {
        self.push(path, Constraint::Required);
    }

    /// An `@httpLabel` value: not empty, and not a dot segment (for greedy labels, no
    /// segment may be `.` or `..`).
    pub fn label(&mut self, path: &Path<'_>, value: &str, greedy: bool) {
        if let Some(reason) = crate::wire::uri::label_problem(value, greedy) {
            self.push(path, Constraint::Label { reason });
        }
    }

    /// `@length` with an already-counted length.
    pub fn length(
        &mut self,
        path: &Path<'_>,
        actual: usize,
        min: Option<u64>,
        max: Option<u64>,
        unit: LengthUnit,
    ) {
        let actual = actual as u64;
        if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
            self.push(
                path,
                Constraint::Length {
                    min,
                    max,
                    actual,
                    unit,
                },
            );
        }
    }

    /// `@length` of a string, in Unicode scalar values.
    pub fn string_length(
        &mut self,
        path: &Path<'_>,
        value: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) {
        // Bytes bound the count from both sides, so most strings need no counting.
        let bytes = value.len() as u64;
        let clearly_ok = min.is_none_or(|m| bytes / 4 >= m) && max.is_none_or(|m| bytes <= m);
        if !clearly_ok {
            self.length(
                path,
                value.chars().count(),
                min,
                max,
                LengthUnit::Characters,
            );
        }
    }

    /// `@range` for integers (exact).
    pub fn range_int(
        &mut self,
        path: &Path<'_>,
        actual: i128,
        min: Option<i128>,
        max: Option<i128>,
    ) {
        if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
            self.push(
                path,
                Constraint::Range {
                    min: min.map(|v| v.to_string()),
                    max: max.map(|v| v.to_string()),
                    actual: actual.to_string(),
                },
            );
        }
    }

    /// `@range` for floats (and integers with fractional bounds). NaN is outside every
    /// bounded range.
    pub fn range_float(
        &mut self,
        path: &Path<'_>,
        actual: f64,
        min: Option<f64>,
        max: Option<f64>,
    ) {
        let bounded = min.is_some() || max.is_some();
        if (actual.is_nan() && bounded)
            || min.is_some_and(|m| actual < m)
            || max.is_some_and(|m| actual > m)
        {
            self.push(
                path,
                Constraint::Range {
                    min: min.map(|v| v.to_string()),
                    max: max.map(|v| v.to_string()),
                    actual: crate::wire::uri::float_text(actual),
                },
            );
        }
    }

    /// `@pattern`, given whether the value matched.
    pub fn pattern(&mut self, path: &Path<'_>, matched: bool, pattern: &'static str) {
        if !matched {
            self.push(path, Constraint::Pattern { pattern });
        }
    }

    /// `Ok` when nothing was recorded, else every violation.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                violations: self.list,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_ecma_262_and_unanchored() {
        // Look-around, which the `regex` crate refuses.
        static NOT_BLANK: Pattern = Pattern::new("^(?!\\s*$).+");
        assert!(NOT_BLANK.is_match("x"));
        assert!(!NOT_BLANK.is_match("   "));
        // Unanchored: a match anywhere counts.
        static DIGIT: Pattern = Pattern::new("[0-9]");
        assert!(DIGIT.is_match("abc1"));
        assert!(!DIGIT.is_match("abc"));
        // `\p{..}` classes switch on Unicode mode.
        static LETTERS: Pattern = Pattern::new("^\\p{L}+$");
        assert!(LETTERS.is_match("Grüße"));
        assert!(!LETTERS.is_match("p{L}"), "not the literal `p{{L}}`");
        assert!(!LETTERS.is_match("a1"));
        // UTF-16 surrogate ranges as AWS models write them.
        static TEXT: Pattern = Pattern::new("^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\t]*$");
        assert!(TEXT.is_match("tab\tand ü"));
        assert!(!TEXT.is_match("bell\u{7}"));
        // A pattern no engine takes matches everything instead of refusing every value.
        static BROKEN: Pattern = Pattern::new("^[a-z]*${2,64}$");
        assert!(compile_pattern(BROKEN.source()).is_err());
        assert!(BROKEN.is_match("anything"));
    }

    #[test]
    fn essential_keeps_required_and_labels_only() {
        let mut out = Violations::new();
        let root = Path::Root("In");
        out.required(&Path::Member(&root, "In.a"));
        out.length(
            &Path::Member(&root, "In.b"),
            9,
            None,
            Some(3),
            LengthUnit::Characters,
        );
        out.label(&Path::Member(&root, "In.c"), "..", false);
        out.pattern(&Path::Member(&root, "In.d"), false, "x");
        let all = out.finish().unwrap_err();
        assert_eq!(all.violations().len(), 4);
        let essential = all.essential().unwrap();
        assert_eq!(essential.violations().len(), 2);
        let mut only_length = Violations::new();
        only_length.length(&root, 9, None, Some(3), LengthUnit::Entries);
        assert!(only_length.finish().unwrap_err().essential().is_none());
    }

    #[test]
    fn paths() {
        let root = Path::Root("CreateFooInput");
        let items = Path::Member(&root, "CreateFooInput.items");
        let second = Path::Index(&items, 2);
        let tags = Path::Member(&second, "Item.tags");
        let k = Path::Key(&tags, "k");
        assert_eq!(k.to_string(), r#"CreateFooInput.items[2].tags["k"]"#);
        let q = Path::Key(&tags, "a\"b");
        assert_eq!(q.to_string(), r#"CreateFooInput.items[2].tags["a\"b"]"#);
    }

    #[test]
    fn collects_everything() {
        let root = Path::Root("GetStageInput");
        let api = Path::Member(&root, "GetStageInput.api_id");
        let stage = Path::Member(&root, "GetStageInput.stage_name");
        let mut v = Violations::new();
        v.required(&api);
        v.label(&stage, "", false);
        v.label(&stage, "..", false);
        v.label(&stage, "$default", false);
        v.string_length(&stage, "ab", Some(3), Some(5));
        v.string_length(&stage, "ééé", Some(3), Some(3));
        v.string_length(&stage, "😀😀😀😀", None, Some(3));
        v.length(&stage, 4, None, Some(3), LengthUnit::Entries);
        v.range_int(&stage, 11, Some(1), Some(10));
        v.range_int(&stage, 10, Some(1), Some(10));
        v.range_float(&stage, f64::NAN, Some(0.0), None);
        v.range_float(&stage, 0.5, Some(0.0), Some(1.0));
        v.pattern(&stage, false, "^[a-z]+$");
        v.pattern(&stage, true, "^[a-z]+$");
        let e = v.finish().unwrap_err();
        let texts: Vec<String> = e.violations().iter().map(|v| v.to_string()).collect();
        assert_eq!(
            texts,
            [
                "GetStageInput.api_id is required but was not set",
                "GetStageInput.stage_name cannot be sent as a URI path label: the value is empty",
                "GetStageInput.stage_name cannot be sent as a URI path label: the value is `.` or `..`, which a URI path reads as a dot segment",
                "GetStageInput.stage_name has length 2 (characters) but must be between 3 and 5 (@length)",
                "GetStageInput.stage_name has length 4 (characters) but must be at most 3 (@length)",
                "GetStageInput.stage_name has length 4 (entries) but must be at most 3 (@length)",
                "GetStageInput.stage_name is 11 but must be between 1 and 10 (@range)",
                "GetStageInput.stage_name is NaN but must be at least 0 (@range)",
                "GetStageInput.stage_name does not match the pattern `^[a-z]+$` (@pattern)",
            ]
        );
        assert!(e.to_string().starts_with(
            "invalid input (9 constraint violations): GetStageInput.api_id is required"
        ));
        assert!(Violations::new().finish().is_ok());
    }
}
