//! Smoke runs of workload 3 (`cargo test` runs the criterion benchmarks of workloads 1, 2
//! and 4 once each; see `benches/ours.rs`): the bench server, one call through our client,
//! and the `bench-ours` and `bench-server` binaries with a handful of calls.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_against_the_bench_server_parses_the_fixture() {
    let addr = bench::server::start().await.expect("the bench server");
    let client = bench::ours::client(&format!("http://{addr}"));
    let output = bench::ours::get_stage(&client).await.expect("GetStage");
    bench::ours::check_output(&output).expect("the fixture");

    let load = bench::load::sequential(&client, bench::ours::call, 3, secs(10)).await;
    assert_eq!(load.expect("sequential load").calls, 3);
    let load = bench::load::concurrent(&client, bench::ours::call, 8, 4, secs(10)).await;
    assert_eq!(load.expect("concurrent load").calls, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_a_wrong_path_and_an_unsigned_request() {
    let addr = bench::server::start().await.expect("the bench server");
    // A client pointed at a path prefix sends the wrong path: 404 NotFoundException.
    let client = bench::ours::client(&format!("http://{addr}/prefix"));
    let error = bench::ours::get_stage(&client).await.expect_err("a 404");
    assert!(
        error.contains("NotFound") || error.contains("404"),
        "{error}"
    );
}

#[test]
fn the_load_and_server_binaries_run() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_bench-server"))
        .args(["--seconds", "60"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("bench-server starts");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("bench-server prints its address");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect(&line)
        .to_string();
    for mode in ["seq", "concurrent"] {
        let output = Command::new(env!("CARGO_BIN_EXE_bench-ours"))
            .args([
                "--endpoint",
                &url,
                "--mode",
                mode,
                "--calls",
                "5",
                "--tasks",
                "2",
            ])
            .args(["--warmup", "1", "--seconds", "30"])
            .output()
            .expect("bench-ours runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{mode}: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pairs = bench::load::parse_result_line(stdout.trim());
        assert!(pairs.contains(&("calls", "5")), "{mode}: {stdout}");
        assert!(pairs.iter().any(|(k, _)| *k == "calls_per_sec"), "{stdout}");
    }
    drop(server.stdin.take());
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn load_arguments_parse() {
    let args: Vec<String> = [
        "--endpoint",
        "http://x",
        "--mode",
        "concurrent",
        "--calls",
        "7",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let parsed = bench::load::LoadArgs::parse(&args).expect("valid arguments");
    assert!(!parsed.sequential);
    assert_eq!((parsed.calls, parsed.endpoint.as_str()), (7, "http://x"));
    assert!(
        bench::load::LoadArgs::parse(&[]).is_err(),
        "--endpoint is required"
    );
}

fn secs(s: u64) -> std::time::Duration {
    std::time::Duration::from_secs(s)
}
