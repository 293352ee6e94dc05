//! Criterion benchmarks of the official SDK: parse a realistic GetStage response and build,
//! sign and send a request, both through the public client path with a canned-response
//! HTTP client (no I/O). Ids match `tests/bench/benches/ours.rs` so `cargo xtask bench` can
//! pair them.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn parse(c: &mut Criterion) {
    let rt = runtime();
    let client = bench_compare::canned_client(bench_compare::BODY);
    let output = rt
        .block_on(bench_compare::get_stage(&client))
        .expect("GetStage");
    bench_compare::check_output(&output).expect("the fixture");
    let mut group = c.benchmark_group("get_stage_parse");
    group.bench_function("official_canned", |b| {
        b.iter(|| black_box(rt.block_on(bench_compare::get_stage(&client))))
    });
    group.finish();
}

fn request(c: &mut Criterion) {
    let rt = runtime();
    let client = bench_compare::canned_client(bench_compare::EMPTY_BODY);
    rt.block_on(bench_compare::get_stage(&client))
        .expect("GetStage");
    let mut group = c.benchmark_group("get_stage_request");
    group.bench_function("official_canned", |b| {
        b.iter(|| black_box(rt.block_on(bench_compare::get_stage(&client))))
    });
    group.finish();
}

criterion_group!(benches, parse, request);
criterion_main!(benches);
