//! `@pattern` support: which patterns the generated crate can check. Smithy patterns are
//! ECMA-262 regular expressions; the runtime matches them with `regress`
//! (`aws_client_runtime::validate::Pattern`), and this module applies the same rule at
//! generation time. A pattern no engine here takes is not a model error (AWS ships a few):
//! it becomes a warning naming the shape and the pattern, and that one constraint is not
//! checked.

use std::collections::BTreeSet;

use crate::closure::Closure;
use crate::error::{CodegenError, Warning};
use crate::index::Index;

/// Compiles `pattern` as the runtime will: Unicode mode when it uses `\p{..}`/`\P{..}`
/// classes (which mean nothing without it), otherwise the plain syntax. `Err` carries the
/// engine's message.
pub fn check(pattern: &str) -> Result<(), String> {
    let flags = if pattern.contains("\\p{") || pattern.contains("\\P{") {
        "u"
    } else {
        ""
    };
    regress::Regex::with_flags(pattern, flags)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Whether the generated validators check `pattern`.
pub fn is_supported(pattern: &str) -> bool {
    check(pattern).is_ok()
}

/// One warning for each `@pattern` in the closure that cannot be checked, on shapes and on
/// members, in shape-id order.
pub fn unsupported_in(index: &Index<'_>, closure: &Closure) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut seen = BTreeSet::new();
    for id in &closure.shapes {
        let Ok(shape) = index.get(id) else { continue };
        let mut sites: Vec<(Option<&str>, &str)> = Vec::new();
        if let Some(pattern) = shape.traits.pattern.as_deref() {
            sites.push((None, pattern));
        }
        for member in &shape.members {
            if let Some(pattern) = member.traits.pattern.as_deref() {
                sites.push((Some(member.name.as_str()), pattern));
            }
        }
        for (member, pattern) in sites {
            let Err(reason) = check(pattern) else {
                continue;
            };
            if !seen.insert((id.clone(), member.map(str::to_owned))) {
                continue;
            }
            let mut warning = CodegenError::new(format!(
                "@pattern `{pattern}` is not an ECMA-262 regular expression this generator can \
                 compile ({reason}); the constraint is not checked"
            ))
            .in_file(&shape.source)
            .at_shape(id);
            if let Some(member) = member {
                warning = warning.at_member(member);
            }
            warnings.push(warning);
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_what_aws_models_use() {
        assert!(is_supported("^(?!\\s*$).+"), "look-ahead");
        assert!(is_supported("(?<=a)b"), "look-behind");
        assert!(is_supported("^\\p{L}[\\p{L}\\p{N}_]*$"), "Unicode classes");
        assert!(is_supported(
            "^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDBFF-\\uDC00\\uDFFF\\t]*$"
        ));
        assert!(!is_supported("[unclosed"));
        assert!(
            !is_supported("^[-_a-zA-Z0-9]*${2,64}$"),
            "a quantified anchor"
        );
    }
}
