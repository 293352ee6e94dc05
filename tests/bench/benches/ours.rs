//! Criterion benchmarks of our side: parse a realistic GetStage response and build, sign and
//! send a request through the public client path with a canned-response HTTP client (no
//! I/O), the deserializer and the signer alone, and codegen. Ids match
//! `tests/bench-compare/benches/official.rs` so `cargo xtask bench` can pair them.
//!
//! `cargo test` runs this file too (`test = true` in Cargo.toml): criterion then runs each
//! benchmark once, as a smoke test.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn parse(c: &mut Criterion) {
    let rt = runtime();
    let client = bench::ours::canned_client(bench::BODY);
    let output = rt
        .block_on(bench::ours::get_stage(&client))
        .expect("GetStage");
    bench::ours::check_output(&output).expect("the fixture");
    let response = bench::ours::response(bench::BODY);
    let direct = bench::ours::parse_direct(&response).expect("the deserializer");
    bench::ours::check_output(&direct).expect("the fixture");

    let mut group = c.benchmark_group("get_stage_parse");
    group.bench_function("ours_canned", |b| {
        b.iter(|| black_box(rt.block_on(bench::ours::get_stage(&client))))
    });
    group.bench_function("ours_direct", |b| {
        b.iter(|| black_box(bench::ours::parse_direct(black_box(&response))))
    });
    group.finish();
}

fn request(c: &mut Criterion) {
    let rt = runtime();
    let client = bench::ours::canned_client(bench::EMPTY_BODY);
    rt.block_on(bench::ours::get_stage(&client))
        .expect("GetStage");
    let signing = bench::ours::Signing::new();
    let request = bench::ours::sign_direct(&signing).expect("sign");
    assert!(request.headers.contains_key("authorization"), "{request:?}");

    let mut group = c.benchmark_group("get_stage_request");
    group.bench_function("ours_canned", |b| {
        b.iter(|| black_box(rt.block_on(bench::ours::get_stage(&client))))
    });
    group.bench_function("ours_direct", |b| {
        b.iter(|| black_box(bench::ours::sign_direct(black_box(&signing))))
    });
    group.finish();
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/bench is two levels down")
        .to_path_buf()
}

fn codegen(c: &mut Criterion) {
    let root = workspace_root();
    let model = codegen::project::PROJECT_CRATES
        .iter()
        .find(|k| k.crate_name == "apigatewayv2")
        .expect("the apigatewayv2 project crate")
        .options(&root);
    let files = codegen::generate(&model).expect("model/ generates");
    assert!(!files.is_empty());

    let mut group = c.benchmark_group("codegen");
    group.sample_size(20);
    group.bench_function("model", |b| {
        b.iter(|| black_box(codegen::generate(black_box(&model))))
    });
    // The official full model, when the shared models are beside the checkout.
    let official = root
        .parent()
        .map(|p| p.join("shared/model/apigatewayv2-2018-11-29.json"))
        .filter(|p| p.exists());
    if let Some(path) = official {
        let options = codegen::Options {
            models: vec![path],
            operations: codegen::OperationSelection::All,
            crate_name: "apigatewayv2".to_string(),
            runtime: Default::default(),
            service: None,
        };
        codegen::generate(&options).expect("the official model generates");
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(8));
        group.bench_function("official_full_model", |b| {
            b.iter(|| black_box(codegen::generate(black_box(&options))))
        });
    } else {
        eprintln!("skipped: codegen/official_full_model (../shared/model/apigatewayv2-2018-11-29.json is absent)");
    }
    group.finish();
}

criterion_group!(benches, parse, request, codegen);
criterion_main!(benches);
