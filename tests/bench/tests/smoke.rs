//! Smoke runs of workload 3 (`cargo test` runs the criterion benchmarks of workloads 1, 2
//! and 4 once each; see `benches/ours.rs`): the bench server, one call through our client,
//! and the `bench-ours` and `bench-server` binaries with a handful of calls; the same over
//! HTTPS (workload 10); `bench-codegen` on `model/` (workload 9).

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
async fn calls_over_https_trust_the_test_ca_and_nothing_else() {
    let pki = bench::tls::TestPki::new().expect("the test CA");
    let addr = bench::server::start_tls(pki.server_config.clone())
        .await
        .expect("the HTTPS bench server");
    let url = format!("https://{addr}");
    let client = bench::ours::client_trusting(&url, Some(&pki.ca_pem)).expect("a client");
    let output = bench::ours::get_stage(&client)
        .await
        .expect("GetStage over TLS");
    bench::ours::check_output(&output).expect("the fixture");
    // Without the test CA, the server's certificate is refused.
    let untrusting = bench::ours::client_trusting(&url, None).expect("a client");
    let error = bench::ours::get_stage(&untrusting)
        .await
        .expect_err("an unknown issuer");
    assert!(error.to_lowercase().contains("certificate"), "{error}");
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

/// Starts `bench-server` and reads the address it prints first.
fn start_server(command: &mut Command) -> (std::process::Child, String) {
    let mut server = command
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
    (server, url)
}

#[test]
fn the_load_and_server_binaries_run() {
    let (mut server, url) =
        start_server(Command::new(env!("CARGO_BIN_EXE_bench-server")).args(["--seconds", "60"]));
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
fn the_server_serves_https_with_its_ca_written_out() {
    let ca = std::env::temp_dir().join(format!("bench-smoke-ca-{}.pem", std::process::id()));
    let (mut server, url) = start_server(
        Command::new(env!("CARGO_BIN_EXE_bench-server"))
            .args(["--seconds", "60", "--tls"])
            .arg(&ca),
    );
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let output = Command::new(env!("CARGO_BIN_EXE_bench-ours"))
        .args(["--endpoint", &url, "--calls", "3", "--warmup", "1"])
        .arg("--ca-file")
        .arg(&ca)
        .output()
        .expect("bench-ours runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    drop(server.stdin.take());
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_file(&ca);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        bench::load::parse_result_line(stdout.trim()).contains(&("calls", "3")),
        "{stdout}"
    );
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
        "--ca-file",
        "ca.pem",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let parsed = bench::load::LoadArgs::parse(&args).expect("valid arguments");
    assert!(!parsed.sequential);
    assert_eq!((parsed.calls, parsed.endpoint.as_str()), (7, "http://x"));
    assert_eq!(parsed.ca_file.as_deref(), Some("ca.pem"));
    assert!(
        bench::load::LoadArgs::parse(&[]).is_err(),
        "--endpoint is required"
    );
}

fn secs(s: u64) -> std::time::Duration {
    std::time::Duration::from_secs(s)
}

#[test]
fn bench_codegen_times_a_model_and_its_subsets() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/bench is two levels down");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_bench-codegen"))
            .args(args)
            .output()
            .expect("bench-codegen runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    };
    // `model/` also holds partitions.json, which is no Smithy model: a directory of its own.
    let dir = std::env::temp_dir().join(format!("bench-codegen-smoke-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    std::fs::copy(
        root.join("model/apigatewayv2.json"),
        dir.join("apigatewayv2-2018-11-29.json"),
    )
    .expect("model/apigatewayv2.json");
    let stdout = run(&["all", dir.to_str().expect("a UTF-8 path")]);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("total models="), "{stdout}");
    assert!(last.contains(" failed=0 "), "{stdout}");
    let first_model = stdout
        .lines()
        .find_map(|l| l.split_whitespace().find_map(|p| p.strip_prefix("path=")))
        .expect("a generated model");
    let stdout = run(&["subsets", first_model, "--parts", "2,1", "--repeat", "1"]);
    let parts: Vec<&str> = stdout.lines().collect();
    assert_eq!(parts.len(), 2, "{stdout}");
    assert!(parts[1].starts_with("part=1 operations="), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
