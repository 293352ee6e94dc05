//! What every emitter may read: the model's index, the service, the closure, the names,
//! and the crate's name and runtime. `layout`, `emit`, `protocol` and `endpoint` all take a
//! [`Context`]; nothing here depends on any of them.

pub mod defaults;

use crate::closure::Closure;
use crate::index::Index;
use crate::model::Shape;
use crate::naming::Symbols;

/// What every emitter may read.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub index: &'a Index<'a>,
    pub service: &'a Shape,
    pub closure: &'a Closure,
    pub symbols: &'a Symbols<'a>,
    pub crate_name: &'a str,
    /// Where the generated manifest takes the runtime crate from.
    pub runtime: &'a crate::runtime::RuntimeDependency,
    /// The service's endpoint rule set, parsed once.
    pub endpoint: &'a crate::endpoint::EndpointRules,
}

/// `text` with its control characters (tab included) written as escapes (`\r`, `\t`,
/// `\u{1}`): a doc comment cannot hold a bare CR, clippy refuses tabs, and the others
/// would be invisible.
pub fn doc_safe(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn doc_text_has_no_bare_control_characters() {
        assert_eq!(super::doc_safe("plain `text`"), "plain `text`");
        assert_eq!(super::doc_safe("[^\r\n\t]\u{1}"), "[^\\r\\n\\t]\\u{1}");
    }
}
