//! insta snapshots of the generator's intermediate results for GetStage (closure, naming
//! table, HTTP bindings) and of its output for the small test models in `tests/models/`.
//! CI runs with `INSTA_UPDATE=no`: snapshots are reviewed and committed, never written by CI.

use std::fmt::Write as _;

use codegen::{OperationSelection, Options};

fn product_options() -> Options {
    Options {
        models: vec![tests::workspace_root().join("model/apigatewayv2.json")],
        operations: OperationSelection::All,
        crate_name: "apigatewayv2".to_string(),
    }
}

/// Runs the front half of the pipeline and hands the pieces to `f`.
fn with_stages<T>(
    options: &Options,
    f: impl FnOnce(
        &codegen::index::Index<'_>,
        &codegen::closure::Closure,
        &codegen::naming::Symbols,
    ) -> T,
) -> T {
    let sources = codegen::read::read_files(&options.models).expect("reads");
    let files = sources
        .iter()
        .map(codegen::parse::parse_file)
        .collect::<Result<Vec<_>, _>>()
        .expect("parses");
    let model = codegen::assemble::assemble(files).expect("assembles");
    codegen::validate::validate(&model).expect("validates");
    let index = codegen::index::Index::new(&model);
    let service = index.service().expect("has a service");
    let closure =
        codegen::closure::Closure::compute(&index, service, &options.operations).expect("closure");
    let symbols =
        codegen::naming::Symbols::new(&index, &closure, &options.crate_name).expect("names");
    f(&index, &closure, &symbols)
}

#[test]
fn get_stage_closure() {
    let ids = with_stages(&product_options(), |_, closure, _| {
        closure
            .shapes
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
    });
    assert_eq!(ids.len(), 23, "GetStage's closure has 23 shapes");
    insta::assert_snapshot!(ids.join("\n"));
}

#[test]
fn get_stage_naming_table() {
    let table = with_stages(&product_options(), |_, _, symbols| symbols.table());
    let mut text = String::new();
    for (shape, rust) in table {
        let _ = writeln!(text, "{shape} -> {rust}");
    }
    insta::assert_snapshot!(text);
}

/// The generated output (everything but the copied runtime) of a test model, as one text.
fn output_of(model: &str, crate_name: &str) -> String {
    let options = Options {
        models: vec![tests::test_model(model)],
        operations: OperationSelection::All,
        crate_name: crate_name.to_string(),
    };
    let files = codegen::generate(&options).unwrap_or_else(|e| panic!("{model}: {e}"));
    let mut text = String::new();
    for file in files {
        if file.path.starts_with("src/rt") {
            continue;
        }
        let _ = writeln!(text, "==> {} <==\n{}", file.path.display(), file.contents);
    }
    text
}

#[test]
fn shapes_model_output() {
    insta::assert_snapshot!(output_of("shapes.json", "shapes"));
}

#[test]
fn smithy1_model_output() {
    insta::assert_snapshot!(output_of("smithy1.json", "smithyone"));
}

#[test]
fn get_stage_http_bindings() {
    let text = with_stages(&product_options(), |index, closure, _| {
        let mut text = String::new();
        for op in &closure.operations {
            let shape = index.get(op).expect("operation exists");
            let bindings =
                codegen::index::http::operation_bindings(index, shape).expect("bindings");
            let _ = writeln!(text, "{op}:\n{bindings:#?}");
        }
        text
    });
    insta::assert_snapshot!(text);
}
