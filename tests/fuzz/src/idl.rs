//! The Smithy IDL front end (`codegen::idl`) on arbitrary text, then every later stage.
//!
//! Oracles: nothing panics or overflows the stack; a syntax error names the file, line and
//! column (`fuzz.smithy: line N, column M: ...`) and lies inside the text; parsing is
//! deterministic; accepted IDL goes through the rest of the generator with the `model`
//! oracles (`crate::model::check`).

use std::path::PathBuf;

use codegen::read::SourceText;
use codegen::OperationSelection;

/// The `idl_bytes` target: arbitrary bytes as one `.smithy` file (the first byte picks the
/// operation selection, so seeds are valid models behind one byte).
pub fn fuzz_idl_bytes(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let source = SourceText {
        path: PathBuf::from("fuzz.smithy"),
        text: text.to_string(),
    };
    match codegen::idl::parse_idl(&source) {
        Ok(_) => {}
        Err(e) => {
            let message = e.to_string();
            let rest = message
                .strip_prefix("fuzz.smithy: line ")
                .unwrap_or_else(|| panic!("a syntax error without file and line: {message}"));
            let (line, _) = rest
                .split_once(", column ")
                .unwrap_or_else(|| panic!("a syntax error without a column: {message}"));
            let line: usize = line
                .parse()
                .unwrap_or_else(|_| panic!("a syntax error with a bad line: {message}"));
            assert!(
                line >= 1 && line <= text.split('\n').count(),
                "a syntax error past the end of the text: {message}"
            );
        }
    }
    let sources = std::slice::from_ref(&source);
    let first_run = codegen::idl::parse_sources(sources);
    let second_run = codegen::idl::parse_sources(sources);
    assert!(first_run == second_run, "IDL parsing is not deterministic");
    let ops = if first & 1 == 0 {
        OperationSelection::All
    } else {
        OperationSelection::Named(vec!["GetThing".to_string()])
    };
    crate::model::check(
        &[("fuzz.smithy".to_string(), text.to_string())],
        &ops,
        false,
    );
}
