//! Case conversion and Rust identifier escaping.

/// Splits an identifier into words: at `_` (and any other character that is not a letter
/// or digit: `-`, `.`, ` `, `$`, ...), at a lower→upper change, and before the last
/// capital of an acronym that is followed by a lowercase letter (`HTTPSProxy` → `HTTPS`,
/// `Proxy`). Digits stay with the word before them (`V2Api` → `V2`, `Api`).
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `ApiId` → `api_id`, `HTTPSProxy` → `https_proxy`, `type` → `type`.
pub fn snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// `get_stage` / `ERROR` / `us-east-1` → `GetStage` / `Error` / `UsEast1`. A word written
/// in capitals is capitalized (`ERROR` → `Error`) so all-caps names do not trip clippy's
/// `upper_case_acronyms`; mixed-case words keep their inner capitals (`ApiId`).
pub fn upper_camel_case(name: &str) -> String {
    let mut out = String::new();
    for word in words(name) {
        let all_caps = word.chars().all(|c| !c.is_lowercase());
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            if all_caps {
                out.extend(chars.flat_map(|c| c.to_lowercase()));
            } else {
                out.extend(chars);
            }
        }
    }
    out
}

/// Rust keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether `name` is a Rust keyword (strict or reserved, raw-able or not) or the
/// contextual `union`: the one keyword table of the generator.
pub fn is_keyword(name: &str) -> bool {
    RAW_KEYWORDS.contains(&name) || NON_RAW_KEYWORDS.contains(&name) || name == "union"
}

/// How an identifier must be written in Rust source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Escaped {
    /// Usable as is.
    Plain(String),
    /// A keyword usable as `r#name`.
    Raw(String),
}

impl Escaped {
    /// The text as it appears in source (`r#type`).
    pub fn source_text(&self) -> String {
        match self {
            Escaped::Plain(s) => s.clone(),
            Escaped::Raw(s) => format!("r#{s}"),
        }
    }

    /// The identifier without any `r#` (`type`), for derived names like `set_type`.
    pub fn bare(&self) -> &str {
        match self {
            Escaped::Plain(s) | Escaped::Raw(s) => s,
        }
    }
}

/// Escapes a snake_case name: keywords become raw identifiers; `self`, `crate`, `super`
/// (which cannot be raw) get a `_value` suffix; a leading digit gets a `_` prefix.
pub fn escape_snake(name: &str) -> Escaped {
    let name = if name.is_empty() {
        "value".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name.to_string()
    };
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        Escaped::Plain(format!("{name}_value"))
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        Escaped::Raw(name)
    } else {
        Escaped::Plain(name)
    }
}

/// Makes an UpperCamelCase name usable as a type or variant: a leading digit gets a `V`
/// prefix, `Self` becomes `SelfValue`.
pub fn escape_camel(name: &str) -> String {
    if name.is_empty() {
        "Value".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name == "Self" {
        "SelfValue".to_string()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake() {
        assert_eq!(snake_case("ApiId"), "api_id");
        assert_eq!(snake_case("GetStage"), "get_stage");
        assert_eq!(snake_case("HTTPSProxy"), "https_proxy");
        assert_eq!(snake_case("ARN"), "arn");
        assert_eq!(snake_case("type"), "type");
        assert_eq!(snake_case("foo_bar"), "foo_bar");
        assert_eq!(snake_case("FooBar"), "foo_bar");
        assert_eq!(snake_case("V2Api"), "v2_api");
        assert_eq!(snake_case("CreateApiV2"), "create_api_v2");
    }

    #[test]
    fn camel() {
        assert_eq!(upper_camel_case("ERROR"), "Error");
        assert_eq!(upper_camel_case("REQUEST_ID"), "RequestId");
        assert_eq!(upper_camel_case("us-east-1"), "UsEast1");
        assert_eq!(upper_camel_case("AccessLogSettings"), "AccessLogSettings");
        assert_eq!(upper_camel_case("get_stage"), "GetStage");
        assert_eq!(upper_camel_case("$default"), "Default");
        assert_eq!(escape_camel(&upper_camel_case("2xx")), "V2xx");
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_snake("type").source_text(), "r#type");
        assert_eq!(escape_snake("self").source_text(), "self_value");
        assert_eq!(escape_snake("crate").source_text(), "crate_value");
        assert_eq!(escape_snake("send").source_text(), "send");
        assert_eq!(escape_snake("1abc").source_text(), "_1abc");
    }
}
