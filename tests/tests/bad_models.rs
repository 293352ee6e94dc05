//! The bad-model corpus: every model under `tests/models/bad/` (a file, or a folder whose
//! `.json` files are loaded together in name order) must make `codegen::generate` fail with
//! exactly the message recorded for it in `tests/models/bad/EXPECTED.txt`
//! (`NAME<TAB>message`, one case a line; `#` starts a comment line).
//!
//! Paths are passed relative to the workspace root (the tests run from there), so the
//! messages name files as a maintainer would type them: `tests/models/bad/x.json: ...`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::{CodegenError, OperationSelection, Options};

const BAD_DIR: &str = "tests/models/bad";
const EXPECTED: &str = "tests/models/bad/EXPECTED.txt";

/// Every test of this file works relative to the workspace root. All set the same directory,
/// so running them in parallel is fine.
fn enter_workspace_root() {
    std::env::set_current_dir(tests::workspace_root()).expect("the workspace root exists");
}

fn generate(models: Vec<PathBuf>, operations: OperationSelection) -> Result<(), CodegenError> {
    codegen::generate(&Options {
        models,
        operations,
        crate_name: "x".into(),
        runtime: Default::default(),
        service: None,
    })
    .map(|_| ())
}

/// Case name → the model files to load, from the corpus directory.
fn cases() -> BTreeMap<String, Vec<PathBuf>> {
    let mut out = BTreeMap::new();
    let entries = std::fs::read_dir(BAD_DIR).expect("tests/models/bad exists");
    for entry in entries {
        let entry = entry.expect("a readable directory entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = Path::new(BAD_DIR).join(&name);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
                .expect("a readable case folder")
                .map(|e| path.join(e.expect("a readable entry").file_name()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            files.sort();
            out.insert(name, files);
        } else if name.ends_with(".json") {
            out.insert(name, vec![path]);
        }
    }
    out
}

/// Case name → expected message, from `EXPECTED.txt`.
fn expected() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(EXPECTED).expect("tests/models/bad/EXPECTED.txt exists");
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
fn every_bad_model_fails_with_its_message() {
    enter_workspace_root();
    let expected = expected();
    let mut failures = Vec::new();
    for (name, models) in cases() {
        let Some(want) = expected.get(&name) else {
            continue; // reported by `every_case_has_an_expected_message`
        };
        match generate(models, OperationSelection::All) {
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
    assert!(!cases.is_empty(), "the corpus is empty");
    let missing: Vec<String> = cases
        .iter()
        .filter(|(name, _)| !expected.contains_key(*name))
        .map(|(name, models)| {
            // The line to add, once checked by eye.
            let actual = match generate(models.clone(), OperationSelection::All) {
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
    let stale: Vec<&String> = expected
        .keys()
        .filter(|n| !cases.contains_key(*n))
        .collect();
    assert!(
        stale.is_empty(),
        "EXPECTED.txt names cases that do not exist: {stale:?}"
    );
}

#[test]
fn a_missing_model_file_is_named() {
    enter_workspace_root();
    let err = generate(
        vec![PathBuf::from("tests/models/bad/no-such-file.json")],
        OperationSelection::All,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "tests/models/bad/no-such-file.json: model file not found"
    );
}

/// Writes a model into a fresh temporary file and generates from it.
fn generate_text(name: &str, text: &str) -> (PathBuf, CodegenError) {
    let dir = std::env::temp_dir().join(format!("bad-models-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a writable temporary file");
    let err = generate(vec![path.clone()], OperationSelection::All).unwrap_err();
    let _ = std::fs::remove_file(&path);
    (path, err)
}

#[test]
fn an_unsupported_smithy_version_is_named() {
    let (path, err) = generate_text("version.json", r#"{"smithy": "0.9", "shapes": {}}"#);
    assert_eq!(
        err.to_string(),
        format!(
            "{}: unsupported Smithy version \"0.9\" (supported: 1.0, 2.0)",
            path.display()
        )
    );
}

#[test]
fn an_unknown_shape_type_names_the_shape() {
    let (path, err) = generate_text(
        "shape-type.json",
        r#"{"smithy": "2.0", "shapes": {"a.b#Thing": {"type": "tuple"}}}"#,
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{}: shape a.b#Thing: unknown shape type `tuple`",
            path.display()
        )
    );
}

#[test]
fn a_selected_operation_that_does_not_exist_is_named() {
    enter_workspace_root();
    let model = PathBuf::from("model/apigatewayv2.json");
    assert!(
        model.exists(),
        "{} is missing",
        tests::workspace_root().join(&model).display()
    );
    let err = generate(
        vec![model],
        OperationSelection::Named(vec!["GetStages".into()]),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "model/apigatewayv2.json: shape com.amazonaws.apigatewayv2#ApiGatewayV2: \
         operation `GetStages` does not exist in the service `ApiGatewayV2`; did you mean \
         `GetStage`?"
    );
    let outside = |name: &str| {
        generate(
            vec![PathBuf::from(OUTSIDE)],
            OperationSelection::Named(vec![name.into()]),
        )
        .unwrap_err()
        .to_string()
    };
    // Case does not hide the suggestion; a name like none of them gets the closest and the
    // list.
    assert_eq!(
        outside("getgood"),
        "tests/models/broken-outside-closure.json: shape com.example.outside#Outside: \
         operation `getgood` does not exist in the service `Outside`; did you mean `GetGood`?"
    );
    assert_eq!(
        outside("NoSuchOp"),
        "tests/models/broken-outside-closure.json: shape com.example.outside#Outside: \
         operation `NoSuchOp` does not exist in the service `Outside`; the closest name is \
         `GetGood` (its 4 operations: BrokenLabel, BrokenNames, BrokenRecursion, GetGood)"
    );
}

/// A model whose broken operations are sound Smithy references-, ids- and traits-wise but
/// cannot be generated (`@http` label without a member, a snake_case collision, a
/// structure containing itself).
const OUTSIDE: &str = "tests/models/broken-outside-closure.json";

/// What only generated code needs is checked over the selected operations' closure: a
/// broken shape outside it does not stop the crate; selecting it (or everything) does.
#[test]
fn broken_shapes_outside_the_selection_do_not_stop_generation() {
    enter_workspace_root();
    assert!(Path::new(OUTSIDE).exists(), "{OUTSIDE} is missing");
    let files = codegen::generate(&Options {
        models: vec![PathBuf::from(OUTSIDE)],
        operations: OperationSelection::Named(vec!["GetGood".into()]),
        crate_name: "outside".into(),
        runtime: Default::default(),
        service: None,
    })
    .expect("GetGood's closure is sound");
    assert!(
        files
            .iter()
            .any(|f| f.path.ends_with("src/operation/get_good/mod.rs")),
        "GetGood is generated"
    );
    assert!(
        !files.iter().any(|f| f.contents.contains("foo_bar")),
        "nothing of the broken operations is"
    );
    let prefix = "tests/models/broken-outside-closure.json: shape com.example.outside#";
    let label = format!(
        "{prefix}BrokenLabel: @http URI `/label/{{Id}}` has label `{{Id}}`, but input \
         `com.example.outside#BrokenLabelInput` has no @httpLabel member `Id`"
    );
    let cases: Vec<(OperationSelection, String)> = vec![
        (OperationSelection::All, label.clone()),
        (
            OperationSelection::Named(vec!["GetGood".into(), "BrokenLabel".into()]),
            label,
        ),
        (
            OperationSelection::Named(vec!["BrokenNames".into()]),
            format!(
                "{prefix}BrokenNamesInput, member foo_bar: members `fooBar` and `foo_bar` \
                 have the same snake_case name `foo_bar`"
            ),
        ),
        (
            OperationSelection::Named(vec!["BrokenRecursion".into()]),
            format!(
                "{prefix}Node, member Next: the structure contains itself through required \
                 members (com.example.outside#Node$Next → com.example.outside#Node), so it \
                 would be infinitely large"
            ),
        ),
    ];
    for (selection, want) in cases {
        let got = generate(vec![PathBuf::from(OUTSIDE)], selection.clone())
            .expect_err("a broken operation selected");
        assert_eq!(got.to_string(), want, "{selection:?}");
    }
}

/// References, ids and traits stay whole-model checks: broken outside the selection, they
/// still fail it.
#[test]
fn whole_model_checks_fail_any_selection() {
    enter_workspace_root();
    let text = std::fs::read_to_string(OUTSIDE).expect("the model is there");
    let mut model: serde_json::Value = serde_json::from_str(&text).unwrap();
    let shapes = &mut model["shapes"];
    shapes["com.example.outside#BrokenNamesInput"]["members"]["Extra"] =
        serde_json::json!({"target": "com.example.outside#Missing"});
    shapes["com.example.outside#Node"]["traits"] =
        serde_json::json!({"com.example.outside#undefined": {}});
    let dir = std::env::temp_dir().join(format!("whole-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("outside.json");
    let error_with_get_good = |model: &serde_json::Value| {
        std::fs::write(&path, model.to_string()).unwrap();
        let selection = OperationSelection::Named(vec!["GetGood".into()]);
        generate(vec![path.clone()], selection)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error_with_get_good(&model),
        format!(
            "{}: shape com.example.outside#BrokenNamesInput, member Extra: target \
             `com.example.outside#Missing` does not exist",
            path.display()
        )
    );
    model["shapes"]["com.example.outside#BrokenNamesInput"]["members"]
        .as_object_mut()
        .unwrap()
        .remove("Extra");
    assert_eq!(
        error_with_get_good(&model),
        format!(
            "{}: shape com.example.outside#Node: trait `com.example.outside#undefined` is not \
             defined",
            path.display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A `@pattern` no ECMA-262 engine here takes is not a model error (AWS ships a few): the
/// crate generates, one warning names the file, shape, member and pattern, and that one
/// constraint is left unchecked.
#[test]
fn an_uncompilable_pattern_is_a_warning_not_an_error() {
    enter_workspace_root();
    let generated = codegen::generate_with_warnings(&Options {
        models: vec![PathBuf::from("tests/models/unsupported-pattern.json")],
        operations: OperationSelection::All,
        crate_name: "x".into(),
        runtime: Default::default(),
        service: None,
    })
    .expect("the model generates");
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(
            "tests/models/unsupported-pattern.json: shape com.example.bad#Thing, member Name: \
             @pattern `[unclosed` is not an ECMA-262 regular expression"
        ),
        "{}",
        warnings[0]
    );
    let validators = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("src/validate.rs"))
        .expect("src/validate.rs");
    assert!(
        !validators.contents.contains("[unclosed"),
        "the unchecked pattern is not emitted"
    );
}
