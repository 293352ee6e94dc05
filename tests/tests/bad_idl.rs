//! The bad-IDL corpus: every model under `tests/models/bad-idl/` (a `.smithy` file, or a
//! folder whose `.smithy`/`.json` files are loaded together in name order) must make
//! `codegen::generate` fail with exactly the message recorded for it in
//! `tests/models/bad-idl/EXPECTED.txt` (`NAME<TAB>message`, one case a line; `#` starts a
//! comment line). Syntax errors name the file, line and column and what was expected.
//!
//! The corpus is committed: a missing directory, a missing `EXPECTED.txt`, a case without a
//! line or a line without a case all fail; nothing here is skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::{CodegenError, OperationSelection, Options};

const BAD_DIR: &str = "tests/models/bad-idl";
const EXPECTED: &str = "tests/models/bad-idl/EXPECTED.txt";

/// Every test of this file works relative to the workspace root, so messages name files as
/// a maintainer would type them.
fn enter_workspace_root() {
    std::env::set_current_dir(tests::workspace_root()).expect("the workspace root exists");
}

fn generate(models: Vec<PathBuf>) -> Result<(), CodegenError> {
    codegen::generate(&Options {
        models,
        operations: OperationSelection::All,
        crate_name: "x".into(),
        runtime: Default::default(),
        service: None,
    })
    .map(|_| ())
}

fn is_model(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "smithy" || e == "json")
}

/// Case name → the model files to load.
fn cases() -> BTreeMap<String, Vec<PathBuf>> {
    let mut out = BTreeMap::new();
    let entries = std::fs::read_dir(BAD_DIR).expect("tests/models/bad-idl exists");
    for entry in entries {
        let entry = entry.expect("a readable directory entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = Path::new(BAD_DIR).join(&name);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
                .expect("a readable case folder")
                .map(|e| path.join(e.expect("a readable entry").file_name()))
                .filter(|p| is_model(p))
                .collect();
            files.sort();
            assert!(!files.is_empty(), "case folder {name} has no model files");
            out.insert(name, files);
        } else if name.ends_with(".smithy") {
            out.insert(name, vec![path]);
        }
    }
    out
}

/// Case name → expected message.
fn expected() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(EXPECTED).expect("tests/models/bad-idl/EXPECTED.txt exists");
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, message) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("EXPECTED.txt line {}: no tab in {line:?}", n + 1));
        let previous = out.insert(name.to_string(), message.to_string());
        assert!(previous.is_none(), "EXPECTED.txt names `{name}` twice");
    }
    out
}

#[test]
fn every_bad_idl_model_fails_with_its_message() {
    enter_workspace_root();
    let expected = expected();
    let cases = cases();
    let mut failures = Vec::new();
    for (name, want) in &expected {
        let Some(models) = cases.get(name) else {
            failures.push(format!("{name}: named in EXPECTED.txt but not committed"));
            continue;
        };
        match generate(models.clone()) {
            Ok(()) => failures.push(format!(
                "{name}: generated without error; expected {want:?}"
            )),
            Err(e) => {
                let got = e.to_string();
                if &got != want {
                    failures.push(format!("{name}\n  expected: {want}\n  actual:   {got}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_case_has_an_expected_message() {
    enter_workspace_root();
    let cases = cases();
    let expected = expected();
    assert!(
        cases.len() >= 20,
        "the corpus has only {} cases",
        cases.len()
    );
    let missing: Vec<String> = cases
        .iter()
        .filter(|(name, _)| !expected.contains_key(*name))
        .map(|(name, models)| {
            // The line to add, once checked by eye.
            let actual = match generate(models.clone()) {
                Ok(()) => "<no error>".to_string(),
                Err(e) => e.to_string(),
            };
            format!("{name}\t{actual}")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "cases without a line in EXPECTED.txt (actual messages shown):\n{}",
        missing.join("\n")
    );
}

#[test]
fn syntax_errors_name_file_line_and_column() {
    enter_workspace_root();
    let position = regex::Regex::new(r"^tests/models/bad-idl/[^:]+: line \d+, column \d+: ")
        .expect("a valid pattern");
    for (name, message) in expected() {
        // Cases that get past the IDL front end fail in later stages, without positions.
        if name == "missing-target.smithy" {
            continue;
        }
        assert!(position.is_match(&message), "{name}: {message}");
    }
}
