//! insta snapshots of the generator's intermediate results for GetStage (closure, naming
//! table, HTTP bindings). The output for the test models in `tests/models/` is checked once,
//! as the committed crates under `generated/` (`generated_fresh.rs`).
//! CI runs with `INSTA_UPDATE=no`: snapshots are reviewed and committed, never written by CI.

use std::fmt::Write as _;

use codegen::{OperationSelection, Options};

fn product_options() -> Options {
    Options {
        models: vec![tests::workspace_root().join("model/apigatewayv2.json")],
        operations: OperationSelection::All,
        crate_name: "apigatewayv2".to_string(),
        runtime: Default::default(),
        service: None,
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
    let model = codegen::normalize::normalize(model).expect("normalizes");
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
