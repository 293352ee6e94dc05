//! `cargo xtask bench`: runs the benchmarks of the generated client side by side with the
//! official AWS SDK, prints one table and writes it, with the method, to `BENCHMARKS.md`.
//!
//! Our side is `tests/bench` (package `bench`, a workspace member whose criterion benches
//! `cargo test` runs once each); the official side is `tests/bench-compare`, a workspace of
//! its own that `cargo xtask test` never compiles. Everything is built into
//! `target/bench`; the clean-build measurements use scratch projects under
//! `target/bench-build/`.
//!
//! Workloads (ours and official each):
//! 1. parse a realistic GetStage 200 response (criterion, canned-response HTTP client);
//! 2. build, validate, serialize and sign a request (criterion, canned `{}` response);
//! 3. `get_stage` calls per second against one local keep-alive server, sequentially and
//!    from 32 concurrent tasks, plus the peak RSS of the sequential run;
//! 4. codegen wall time (ours only: `model/`, and the official full model when present);
//! 5. clean `cargo build --release` time, distinct normal dependencies and stripped size of
//!    a minimal program calling `get_stage` once;
//! 6. instructions per call under callgrind (marginal between a 200- and a 1200-call run).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::workspace_root;

const USAGE: &str = "\
usage: cargo xtask bench [--quick] [--no-build-cost] [--no-callgrind] [--no-write]

  --quick          short criterion and load runs, small callgrind runs, no clean builds
                   (checks the harness; the numbers are rough)
  --no-build-cost  skip workload 5 (the two clean release builds, several minutes) and
                   reuse the results of the last run that made them, if any
  --no-callgrind   skip workload 6
  --no-write       print the table but leave BENCHMARKS.md alone";

/// Concurrent tasks in the concurrent load run.
const TASKS: usize = 32;

#[derive(Debug, Clone)]
struct Settings {
    quick: bool,
    build_cost: bool,
    callgrind: bool,
    write: bool,
    command: String,
}

impl Settings {
    fn parse(args: &[String]) -> Result<Settings, String> {
        let mut settings = Settings {
            quick: false,
            build_cost: true,
            callgrind: true,
            write: true,
            command: std::iter::once("cargo xtask bench".to_string())
                .chain(args.iter().cloned())
                .collect::<Vec<_>>()
                .join(" "),
        };
        for arg in args {
            match arg.as_str() {
                "--quick" => {
                    settings.quick = true;
                    settings.build_cost = false;
                }
                "--no-build-cost" => settings.build_cost = false,
                "--no-callgrind" => settings.callgrind = false,
                "--no-write" => settings.write = false,
                "--help" | "-h" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
            }
        }
        Ok(settings)
    }

    fn criterion_args(&self) -> Vec<&'static str> {
        if self.quick {
            vec![
                "--warm-up-time",
                "0.3",
                "--measurement-time",
                "1",
                "--sample-size",
                "10",
            ]
        } else {
            vec!["--warm-up-time", "1", "--measurement-time", "4"]
        }
    }

    /// Seconds per load run, and how many runs of each (side, mode) to take the best of.
    fn load(&self) -> (f64, usize) {
        if self.quick {
            (1.0, 1)
        } else {
            (3.0, 5)
        }
    }

    fn callgrind_calls(&self) -> (u64, u64) {
        if self.quick {
            (20, 120)
        } else {
            (200, 1200)
        }
    }
}

/// A measurement for both SDKs (either may be missing).
#[derive(Debug, Clone, Copy, Default)]
struct Pair {
    ours: Option<f64>,
    official: Option<f64>,
}

impl Pair {
    fn new(ours: Option<f64>, official: Option<f64>) -> Pair {
        Pair { ours, official }
    }

    /// official / ours.
    fn ratio(&self) -> Option<f64> {
        match (self.ours, self.official) {
            (Some(o), Some(f)) if o > 0.0 => Some(f / o),
            _ => None,
        }
    }
}

/// The clean-build facts of one minimal program.
#[derive(Debug, Clone, Default)]
struct BuildCost {
    seconds: f64,
    packages: usize,
    stripped_bytes: u64,
    /// Direct dependency → (packages reachable through it, packages reachable only through it).
    subtrees: Vec<(String, usize, usize)>,
    /// The slowest units of the build (`cargo build --timings`): (unit, seconds).
    slowest_units: Vec<(String, f64)>,
}

#[derive(Debug, Default)]
struct Results {
    parse: Pair,
    parse_ours_direct: Option<f64>,
    request: Pair,
    request_ours_direct: Option<f64>,
    sequential: Pair,
    concurrent: Pair,
    peak_rss_kib: Pair,
    instructions: Pair,
    codegen_model_ns: Option<f64>,
    codegen_full_ns: Option<f64>,
    build_ours: Option<BuildCost>,
    build_official: Option<BuildCost>,
    /// When workload 5 comes from an earlier run (`--no-build-cost`): that run's date.
    build_reused_from: Option<String>,
    profile_ours: Vec<String>,
    profile_official: Vec<String>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let settings = Settings::parse(args)?;
    let root = workspace_root();
    let target = root.join("target").join("bench");
    let compare_manifest = root.join("tests").join("bench-compare").join("Cargo.toml");
    let started = Instant::now();
    let mut results = Results::default();

    step("build the benchmark binaries (release): ours (tests/bench), official (tests/bench-compare)");
    run_status(bench_cargo(&root, &target).args(["build", "--release", "-p", "bench", "--bins"]))?;
    run_status(
        bench_cargo(&root, &target)
            .args(["build", "--release", "--bins", "--manifest-path"])
            .arg(&compare_manifest),
    )?;

    step("workloads 1, 2, 4: criterion (ours, then official)");
    let criterion_home = target.join("criterion");
    for group in ["get_stage_parse", "get_stage_request", "codegen"] {
        let _ = std::fs::remove_dir_all(criterion_home.join(group));
    }
    let criterion_args = settings.criterion_args();
    run_status(
        bench_cargo(&root, &target)
            .env("CRITERION_HOME", &criterion_home)
            .args(["bench", "-p", "bench", "--bench", "ours", "--"])
            .args(&criterion_args),
    )?;
    run_status(
        bench_cargo(&root, &target)
            .env("CRITERION_HOME", &criterion_home)
            .args(["bench", "--bench", "official", "--manifest-path"])
            .arg(&compare_manifest)
            .arg("--")
            .args(&criterion_args),
    )?;
    let estimate = |group: &str, id: &str| criterion_median_ns(&criterion_home, group, id);
    results.parse = Pair::new(
        estimate("get_stage_parse", "ours_canned"),
        estimate("get_stage_parse", "official_canned"),
    );
    results.parse_ours_direct = estimate("get_stage_parse", "ours_direct");
    results.request = Pair::new(
        estimate("get_stage_request", "ours_canned"),
        estimate("get_stage_request", "official_canned"),
    );
    results.request_ours_direct = estimate("get_stage_request", "ours_direct");
    results.codegen_model_ns = estimate("codegen", "model");
    results.codegen_full_ns = estimate("codegen", "official_full_model");

    let release = target.join("release");
    let ours_bin = release.join(exe("bench-ours"));
    let official_bin = release.join(exe("bench-official"));
    step("workload 3: get_stage calls against the local keep-alive server");
    let server = BenchServer::start(&release.join(exe("bench-server")))?;
    let (seconds, runs) = settings.load();
    let mut samples: BTreeMap<(&str, &str), Vec<LoadSample>> = BTreeMap::new();
    for run in 0..runs {
        for mode in ["seq", "concurrent"] {
            for (side, bin) in [("ours", &ours_bin), ("official", &official_bin)] {
                let sample = load_run(bin, &server.url, mode, seconds)?;
                println!(
                    "  run {}/{runs} {side:8} {mode:10} {:>10.0} calls/s  ({} calls, peak RSS {} KiB)",
                    run + 1,
                    sample.calls_per_sec,
                    sample.calls,
                    sample.peak_rss_kib
                );
                samples.entry((side, mode)).or_default().push(sample);
            }
        }
    }
    // Other work on the machine only ever slows a run down, so the best run is the least
    // disturbed one; peak RSS is the median.
    let best_of = |side: &str, mode: &str| {
        samples
            .get(&(side, mode))
            .and_then(|s| s.iter().map(|s| s.calls_per_sec).max_by(f64::total_cmp))
    };
    let median_of = |side: &str, mode: &str, f: fn(&LoadSample) -> f64| {
        samples
            .get(&(side, mode))
            .and_then(|s| median(s.iter().map(f).collect()))
    };
    results.sequential = Pair::new(best_of("ours", "seq"), best_of("official", "seq"));
    results.concurrent = Pair::new(
        best_of("ours", "concurrent"),
        best_of("official", "concurrent"),
    );
    results.peak_rss_kib = Pair::new(
        median_of("ours", "seq", |s| s.peak_rss_kib as f64),
        median_of("official", "seq", |s| s.peak_rss_kib as f64),
    );

    if settings.callgrind {
        step("workload 6: instructions per call (callgrind, sequential)");
        if ensure_valgrind() {
            let dir = target.join("callgrind");
            std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
            let (small, large) = settings.callgrind_calls();
            let ours = instructions_per_call(&ours_bin, "ours", &server.url, &dir, small, large)?;
            let official =
                instructions_per_call(&official_bin, "official", &server.url, &dir, small, large)?;
            results.instructions = Pair::new(Some(ours.0), Some(official.0));
            results.profile_ours = ours.1;
            results.profile_official = official.1;
        } else {
            println!("  skipped: valgrind is not installed and could not be installed");
        }
    }
    drop(server);

    // Workload 5 takes minutes and changes only with the dependencies, so its results are
    // kept in target/bench/build-cost/ and reused by `--no-build-cost` (and `--quick`).
    let saved = target.join("build-cost");
    if settings.build_cost {
        step("workload 5: clean release builds of a minimal get_stage program");
        let date = utc_now();
        for side in [Side::Ours, Side::Official] {
            let cost = build_cost(&root, side)?;
            cost.save(&saved.join(format!("{}.txt", side.name())), &date)?;
            match side {
                Side::Ours => results.build_ours = Some(cost),
                Side::Official => results.build_official = Some(cost),
            }
        }
    } else if let (Some((ours, date)), Some((official, _))) = (
        BuildCost::load(&saved.join("ours.txt")),
        BuildCost::load(&saved.join("official.txt")),
    ) {
        println!("\n==> workload 5: reusing the clean-build results of {date}");
        results.build_ours = Some(ours);
        results.build_official = Some(official);
        results.build_reused_from = Some(date);
    }

    let machine = Machine::detect(&root);
    let table = render_table(&results);
    println!("\n{table}");
    let targets = render_targets(&results);
    println!("{targets}");
    if settings.write {
        let text = render_document(&settings, &machine, &results, &table, &targets);
        let path = root.join("BENCHMARKS.md");
        std::fs::write(&path, text).map_err(|e| format!("write {}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    println!(
        "xtask bench: done in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Processes

fn step(name: &str) {
    println!("\n==> {name}");
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// `cargo` in the workspace root, building into the benchmarks' own target directory with
/// line tables (for callgrind's function names; code generation is unchanged).
fn bench_cargo(root: &Path, target: &Path) -> Command {
    let mut command = Command::new(cargo_program());
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only")
        .env("CARGO_PROFILE_BENCH_DEBUG", "line-tables-only");
    command
}

fn run_status(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Runs `command`, returning its standard output; fails with its standard error.
fn run_output(command: &mut Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "{shown} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The bench server, killed when dropped.
struct BenchServer {
    child: Child,
    url: String,
}

impl BenchServer {
    fn start(bin: &Path) -> Result<BenchServer, String> {
        let mut child = Command::new(bin)
            .args(["--seconds", "3600"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        match line.trim().strip_prefix("listening on ") {
            Some(url) => {
                println!("  bench server at {url}");
                Ok(BenchServer {
                    url: url.to_string(),
                    child,
                })
            }
            None => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "the bench server did not start (it printed `{}`)",
                    line.trim()
                ))
            }
        }
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone, Copy)]
struct LoadSample {
    calls: u64,
    calls_per_sec: f64,
    peak_rss_kib: u64,
}

fn load_args(url: &str, mode: &str, calls: u64, seconds: f64, warmup: u64) -> Vec<String> {
    [
        "--endpoint",
        url,
        "--mode",
        mode,
        "--calls",
        &calls.to_string(),
        "--seconds",
        &seconds.to_string(),
        "--tasks",
        &TASKS.to_string(),
        "--warmup",
        &warmup.to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn load_run(bin: &Path, url: &str, mode: &str, seconds: f64) -> Result<LoadSample, String> {
    let stdout =
        run_output(Command::new(bin).args(load_args(url, mode, 10_000_000, seconds, 500)))?;
    let line = stdout.lines().last().unwrap_or_default();
    let pairs: BTreeMap<&str, &str> = line
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .collect();
    let get = |key: &str| -> Result<f64, String> {
        pairs
            .get(key)
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| format!("{} printed no `{key}`: `{line}`", bin.display()))
    };
    Ok(LoadSample {
        calls: get("calls")? as u64,
        calls_per_sec: get("calls_per_sec")?,
        peak_rss_kib: get("peak_rss_kib")? as u64,
    })
}

/// valgrind is there, or could be installed with apt-get.
fn ensure_valgrind() -> bool {
    let present = || {
        Command::new("valgrind")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if present() {
        return true;
    }
    println!("  valgrind not found; trying `apt-get install -y valgrind`");
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "-q", "valgrind"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install() {
        let _ = Command::new("apt-get").args(["update", "-q"]).status();
        install();
    }
    present()
}

/// Marginal instructions per call between a `small`- and a `large`-call sequential run of
/// the same binary, and the functions those marginal instructions go to (self cost).
fn instructions_per_call(
    bin: &Path,
    side: &str,
    url: &str,
    dir: &Path,
    small: u64,
    large: u64,
) -> Result<(f64, Vec<String>), String> {
    let mut totals = Vec::new();
    let mut profiles = Vec::new();
    for calls in [small, large] {
        let out = dir.join(format!("{side}-{calls}.out"));
        run_output(
            Command::new("valgrind")
                .arg("--tool=callgrind")
                .arg(format!("--callgrind-out-file={}", out.display()))
                .arg(bin)
                .args(load_args(url, "seq", calls, 3600.0, 10)),
        )?;
        let text =
            std::fs::read_to_string(&out).map_err(|e| format!("read {}: {e}", out.display()))?;
        let total = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("summary:")
                    .or_else(|| l.strip_prefix("totals:"))
            })
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .ok_or_else(|| format!("no instruction total in {}", out.display()))?;
        println!("  {side:8} {calls:>5} calls: {total:.0} instructions");
        totals.push(total);
        let annotated = Command::new("callgrind_annotate")
            .arg("--inclusive=no")
            .arg("--auto=no")
            .arg("--threshold=100")
            .arg(&out)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let _ = std::fs::write(dir.join(format!("{side}-{calls}.txt")), &annotated);
        profiles.push(self_costs(&annotated));
    }
    let calls = (large - small) as f64;
    let per_call = (totals[1] - totals[0]) / calls;
    println!("  {side:8} {per_call:.0} instructions per call");
    let mut marginal: Vec<(String, f64)> = profiles[1]
        .iter()
        .map(|(function, cost)| {
            let before = profiles[0].get(function).copied().unwrap_or(0);
            (function.clone(), (*cost as f64 - before as f64) / calls)
        })
        .filter(|(_, cost)| *cost > 0.0)
        .collect();
    marginal.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top = marginal
        .iter()
        .take(15)
        .map(|(function, cost)| {
            format!(
                "{:>9} {:>5.1}%  {}",
                thousands(*cost, 0),
                cost / per_call * 100.0,
                shorten(function, 100)
            )
        })
        .collect();
    Ok((per_call, top))
}

/// Self cost per function from `callgrind_annotate --inclusive=no` output, summed over the
/// source files inlined code is attributed to.
fn self_costs(annotated: &str) -> BTreeMap<String, u64> {
    let mut costs = BTreeMap::new();
    for line in annotated.lines() {
        // "52,401,907 ( 8.59%)  file:function [binary]" or "52,401,907  file:function".
        let line = line.trim();
        let Some((count, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(count) = count.replace(',', "").parse::<u64>() else {
            continue;
        };
        let rest = rest.trim();
        let rest = match rest.strip_prefix('(') {
            Some(r) => r.split_once(')').map_or("", |(_, rest)| rest.trim()),
            None => rest,
        };
        if rest.is_empty() || rest.contains("PROGRAM TOTALS") || rest.contains("events annotated") {
            continue;
        }
        let function = rest.split_once(':').map_or(rest, |(_, f)| f);
        let function = function.split(" [").next().unwrap_or(function).trim();
        *costs.entry(function.to_string()).or_insert(0) += count;
    }
    costs
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// The median of criterion's estimate for `group/id`, in nanoseconds.
fn criterion_median_ns(home: &Path, group: &str, id: &str) -> Option<f64> {
    let path = home.join(group).join(id).join("new").join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let median = &text[text.find("\"median\"")?..];
    let value = &median[median.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = value.find([',', '}'])?;
    value[..end].trim().parse().ok()
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

// ---------------------------------------------------------------------------------------
// Workload 5: clean builds of a minimal program

impl BuildCost {
    /// Writes the measurement as `key<TAB>values` lines.
    fn save(&self, path: &Path, date: &str) -> Result<(), String> {
        let mut text = format!(
            "date\t{date}\nseconds\t{}\npackages\t{}\nstripped_bytes\t{}\n",
            self.seconds, self.packages, self.stripped_bytes
        );
        for (package, subtree, only) in &self.subtrees {
            let _ = writeln!(text, "subtree\t{package}\t{subtree}\t{only}");
        }
        for (unit, seconds) in &self.slowest_units {
            let _ = writeln!(text, "unit\t{unit}\t{seconds}");
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
    }

    /// Reads what [`save`](Self::save) wrote, with its date.
    fn load(path: &Path) -> Option<(BuildCost, String)> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut cost = BuildCost::default();
        let mut date = None;
        for line in text.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["date", d] => date = Some(d.to_string()),
                ["seconds", v] => cost.seconds = v.parse().ok()?,
                ["packages", v] => cost.packages = v.parse().ok()?,
                ["stripped_bytes", v] => cost.stripped_bytes = v.parse().ok()?,
                ["subtree", p, n, only] => {
                    cost.subtrees
                        .push((p.to_string(), n.parse().ok()?, only.parse().ok()?))
                }
                ["unit", u, secs] => cost.slowest_units.push((u.to_string(), secs.parse().ok()?)),
                _ => {}
            }
        }
        Some((cost, date?))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Ours,
    Official,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Official => "official",
        }
    }
}

const OURS_MAIN: &str = r#"//! Calls GetStage once with the generated client (written by `cargo xtask bench`).
use apigatewayv2::{Client, Config};

#[tokio::main]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".to_string());
    let config = Config::builder()
        .region("us-east-1")
        .credentials(apigatewayv2::config::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "static",
        ))
        .endpoint_url(endpoint)
        .build();
    let client = Client::new(&config);
    match client.get_stage().api_id("a1b2c3").stage_name("production").send().await {
        Ok(stage) => println!("{:?}", stage.stage_name()),
        Err(e) => println!("error: {e}"),
    }
}
"#;

const OFFICIAL_MAIN: &str = r#"//! Calls GetStage once with the official SDK (written by `cargo xtask bench`).
use aws_sdk_apigatewayv2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_apigatewayv2::{Client, Config};

#[tokio::main]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".to_string());
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "static",
        ))
        .endpoint_url(endpoint)
        .build();
    let client = Client::from_conf(config);
    match client.get_stage().api_id("a1b2c3").stage_name("production").send().await {
        Ok(stage) => println!("{:?}", stage.stage_name()),
        Err(e) => println!("error: {e}"),
    }
}
"#;

fn build_cost(root: &Path, side: Side) -> Result<BuildCost, String> {
    let dir = root.join("target").join("bench-build").join(side.name());
    let name = format!("get-stage-{}", side.name());
    let (dependency, main, lock) = match side {
        Side::Ours => (
            format!(
                "apigatewayv2 = {{ path = {:?} }}",
                root.join("generated")
                    .join("apigatewayv2")
                    .display()
                    .to_string()
            ),
            OURS_MAIN,
            root.join("Cargo.lock"),
        ),
        Side::Official => (
            "aws-sdk-apigatewayv2 = \"1\"".to_string(),
            OFFICIAL_MAIN,
            root.join("tests").join("bench-compare").join("Cargo.lock"),
        ),
    };
    let manifest = format!(
        "# Written by `cargo xtask bench` (workload 5).\n[workspace]\n\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dependency}\ntokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("create {}: {e}", dir.display()))?;
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("write {}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), &manifest)?;
    write(dir.join("src").join("main.rs"), main)?;
    // Start from the pinned versions (the workspace's, or the compare crate's lock file).
    if lock.exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("copy {}: {e}", lock.display()))?;
    }
    let cargo = |args: &[&str]| {
        let mut command = Command::new(cargo_program());
        command
            .current_dir(&dir)
            .args(args)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_PROFILE_RELEASE_DEBUG")
            .env_remove("CARGO_PROFILE_BENCH_DEBUG");
        command
    };
    // Downloads are not part of the build time.
    run_output(&mut cargo(&["fetch"]))?;
    println!("  {}: cargo build --release (clean)", side.name());
    let start = Instant::now();
    run_status(&mut cargo(&["build", "--release", "--timings"]))?;
    let seconds = start.elapsed().as_secs_f64();
    let binary = dir.join("target").join("release").join(exe(&name));
    let stripped = dir.join(exe(&format!("{name}-stripped")));
    run_output(Command::new("strip").arg("-o").arg(&stripped).arg(&binary))?;
    let stripped_bytes = std::fs::metadata(&stripped)
        .map_err(|e| format!("{}: {e}", stripped.display()))?
        .len();
    let tree = run_output(&mut cargo(&["tree", "-e", "normal", "--prefix", "none"]))?;
    let packages: BTreeSet<&str> = tree
        .lines()
        .map(|l| l.trim_end().trim_end_matches(" (*)"))
        .filter(|l| !l.is_empty())
        .collect();
    let depth_tree = run_output(&mut cargo(&["tree", "-e", "normal", "--prefix", "depth"]))?;
    let library = match side {
        Side::Ours => "apigatewayv2",
        Side::Official => "aws-sdk-apigatewayv2",
    };
    let subtrees = subtrees(&depth_tree, library);
    let slowest_units = slowest_units(
        &dir.join("target")
            .join("cargo-timings")
            .join("cargo-timing.html"),
        12,
    );
    println!(
        "  {}: {seconds:.1} s, {} packages, {} bytes stripped",
        side.name(),
        packages.len(),
        stripped_bytes
    );
    Ok(BuildCost {
        seconds,
        packages: packages.len(),
        stripped_bytes,
        subtrees,
        slowest_units,
    })
}

/// Reads `cargo tree --prefix depth` output into edges, then for each direct dependency of
/// `library`: how many packages its subtree holds, and how many only it brings in.
fn subtrees(depth_tree: &str, library: &str) -> Vec<(String, usize, usize)> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    for line in depth_tree.lines() {
        let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
        let Ok(depth) = digits.parse::<usize>() else {
            continue;
        };
        let rest = line[digits.len()..].trim_end().trim_end_matches(" (*)");
        // "name vX.Y.Z (path)" → "name vX.Y.Z"
        let package = rest.split(' ').take(2).collect::<Vec<_>>().join(" ");
        stack.truncate(depth);
        if let Some(parent) = stack.last() {
            edges
                .entry(parent.clone())
                .or_default()
                .insert(package.clone());
        }
        stack.push(package);
    }
    let Some(root) = edges
        .keys()
        .find(|k| k.split(' ').next() == Some(library))
        .cloned()
    else {
        return Vec::new();
    };
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.to_string()];
        while let Some(p) = todo.pop() {
            if seen.insert(p.clone()) {
                todo.extend(edges.get(&p).into_iter().flatten().cloned());
            }
        }
        seen
    };
    let direct: Vec<String> = edges.get(&root).into_iter().flatten().cloned().collect();
    let reached: Vec<BTreeSet<String>> = direct.iter().map(|d| reach(d)).collect();
    let mut out: Vec<(String, usize, usize)> = direct
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let only = reached[i]
                .iter()
                .filter(|p| {
                    reached
                        .iter()
                        .enumerate()
                        .all(|(j, other)| j == i || !other.contains(*p))
                })
                .count();
            (d.clone(), reached[i].len(), only)
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The `n` slowest units of a `cargo build --timings` report: (unit, seconds).
fn slowest_units(html: &Path, n: usize) -> Vec<(String, f64)> {
    let Ok(text) = std::fs::read_to_string(html) else {
        return Vec::new();
    };
    let Some(start) = text.find("UNIT_DATA") else {
        return Vec::new();
    };
    let text = &text[start..];
    let text = &text[..text.find("];").unwrap_or(text.len())];
    let field = |object: &str, key: &str| -> Option<String> {
        let pattern = format!("\"{key}\":");
        let value = &object[object.find(&pattern)? + pattern.len()..];
        let value = value.trim_start();
        if let Some(rest) = value.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => return Some(out),
                    '\\' => out.extend(chars.next()),
                    c => out.push(c),
                }
            }
            None
        } else {
            let end = value.find([',', '}', '\n']).unwrap_or(value.len());
            Some(value[..end].trim().to_string())
        }
    };
    let mut units: Vec<(String, f64)> = text
        .split("\"i\":")
        .skip(1)
        .filter_map(|object| {
            let name = field(object, "name")?;
            let name = match field(object, "version") {
                Some(version) => format!("{name} {version}"),
                None => name,
            };
            let target = field(object, "target").unwrap_or_default();
            let duration = field(object, "duration")?.parse::<f64>().ok()?;
            let target = target.trim();
            let unit = if target.is_empty() {
                name
            } else {
                format!("{name} ({target})")
            };
            Some((unit, duration))
        })
        .collect();
    units.sort_by(|a, b| b.1.total_cmp(&a.1));
    units.truncate(n);
    units
}

/// Why each direct dependency of the generated crate is there.
const JUSTIFICATIONS: &[(&str, &str)] = &[
    ("reqwest", "the default HTTP client: hyper + hyper-util (HTTP/1.1 keep-alive pool), rustls with ring, webpki-roots; optional (`default-features = false` drops it for a custom `HttpClient`). Most of what only it brings is not the HTTP stack: `url` → `idna` → the ICU crates (~25 packages, for reqwest's URL type), tower/tower-http middleware, serde_urlencoded, ipnet. hyper-util's client over hyper-rustls keeps the same stack without them"),
    ("aws-sigv4", "SigV4 signing, the signer the official SDK uses; brings aws-smithy-runtime-api/-types/-http/-async, base64-simd, bytes-utils, hex and RustCrypto's sha2/hmac. A SigV4 written over sha2 + hmac would drop about ten of them"),
    ("aws-smithy-runtime-api", "needed by `aws-sigv4` (its signing-identity type); its subtree is aws-sigv4's"),
    ("aws-credential-types", "the `Credentials`/`ProvideCredentials` types, so aws-config's providers plug in; nothing only through it"),
    ("tokio", "timers for the attempt/operation timeouts and retry back-off; the runtime users already run"),
    ("time", "timestamps (`DateTime`), RFC 3339/HTTP-date parsing and the signing time; `macros` adds time-macros"),
    ("serde_json", "restJson1 bodies and endpoint rule-set properties"),
    ("serde", "serde_json's data model and the `serde` feature"),
    ("uuid", "the `amz-sdk-invocation-id` header (fastrand could format a v4 id instead)"),
    ("rust-ini", "the shared `~/.aws/config` and `credentials` files in `Config::from_env`; what only it brings (ordered-multimap, dlv-list, const-random, tiny-keccak, getrandom, hashbrown 0.14) would go with a small INI reader"),
    ("tracing", "operation and attempt spans, retry and timeout events; the `attributes` default feature adds tracing-attributes"),
    ("http", "request/response types shared with the signer and the HTTP client"),
    ("bytes", "zero-copy bodies"),
    ("base64", "blob members"),
    ("percent-encoding", "URI label and query encoding"),
    ("regex-lite", "`@pattern` constraint validation (no Unicode tables)"),
    ("fastrand", "retry back-off jitter"),
];

// ---------------------------------------------------------------------------------------
// The report

#[derive(Debug, Default)]
struct Machine {
    cores: usize,
    cpu: String,
    os: String,
    date: String,
    rustc: String,
    commit: String,
    ours_version: String,
    official_versions: Vec<(String, String)>,
    ours_versions: Vec<(String, String)>,
}

impl Machine {
    fn detect(root: &Path) -> Machine {
        let text = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .current_dir(root)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default()
        };
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".to_string());
        let dirty = !text("git", &["status", "--porcelain"]).is_empty();
        let commit = format!(
            "{}{}",
            text("git", &["rev-parse", "--short", "HEAD"]),
            if dirty {
                " (with uncommitted changes)"
            } else {
                ""
            }
        );
        let compare_lock = std::fs::read_to_string(root.join("tests/bench-compare/Cargo.lock"))
            .unwrap_or_default();
        let root_lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
        let pick = |lock: &str, names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .filter_map(|n| lock_version(lock, n).map(|v| (n.to_string(), v)))
                .collect()
        };
        let manifest = std::fs::read_to_string(root.join("generated/apigatewayv2/Cargo.toml"))
            .unwrap_or_default();
        let ours_version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = "))
            .map(|v| v.trim_matches('"').to_string())
            .unwrap_or_default();
        Machine {
            cores: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(0),
            cpu,
            os: text("uname", &["-srm"]),
            date: utc_now(),
            rustc: text("rustc", &["--version"]),
            commit,
            ours_version,
            official_versions: pick(
                &compare_lock,
                &[
                    "aws-sdk-apigatewayv2",
                    "aws-smithy-runtime",
                    "aws-smithy-http-client",
                    "aws-sigv4",
                    "hyper",
                    "rustls",
                    "tokio",
                    "criterion",
                ],
            ),
            ours_versions: pick(
                &root_lock,
                &[
                    "aws-sigv4",
                    "reqwest",
                    "hyper",
                    "rustls",
                    "tokio",
                    "criterion",
                ],
            ),
        }
    }
}

/// The date and time, UTC (`2026-11-25 12:19 UTC`).
fn utc_now() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown date".to_string())
}

/// The versions of `name` in a Cargo.lock, joined with ` + ` when there are several.
fn lock_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"\nversion = \"");
    let versions: Vec<&str> = lock
        .match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &lock[at + needle.len()..];
            Some(&rest[..rest.find('"')?])
        })
        .collect();
    (!versions.is_empty()).then(|| versions.join(" + "))
}

fn thousands(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

fn show(value: Option<f64>, unit: &str, decimals: usize) -> String {
    match value {
        Some(v) if unit.is_empty() => thousands(v, decimals),
        Some(v) => format!("{} {unit}", thousands(v, decimals)),
        None => "—".to_string(),
    }
}

fn show_ratio(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) if r >= 10.0 => format!("{r:.1}"),
        Some(r) => format!("{r:.2}"),
        None => "—".to_string(),
    }
}

/// One target: its wording, and whether it is met (`None`: not measured).
struct Target {
    row: &'static str,
    text: &'static str,
    met: Option<bool>,
    figures: String,
}

fn targets(r: &Results) -> Vec<Target> {
    let ratio_at_least = |pair: &Pair, k: f64| pair.ratio().map(|x| x >= k);
    let ratio_at_most = |pair: &Pair, k: f64| pair.ratio().map(|x| x <= k);
    let times = |pair: &Pair, unit: &str, decimals: usize| {
        format!(
            "ours {}, official {}, official/ours {}",
            show(pair.ours, unit, decimals),
            show(pair.official, unit, decimals),
            show_ratio(pair.ratio())
        )
    };
    let build = Pair::new(
        r.build_ours.as_ref().map(|b| b.seconds),
        r.build_official.as_ref().map(|b| b.seconds),
    );
    let size = Pair::new(
        r.build_ours
            .as_ref()
            .map(|b| b.stripped_bytes as f64 / 1048576.0),
        r.build_official
            .as_ref()
            .map(|b| b.stripped_bytes as f64 / 1048576.0),
    );
    let packages = r.build_ours.as_ref().map(|b| b.packages);
    vec![
        Target {
            row: "1",
            text: "parse ≥ 2× faster than official",
            met: ratio_at_least(&r.parse, 2.0),
            figures: times(&r.parse, "ns", 0),
        },
        Target {
            row: "2",
            text: "request build + sign ≥ 2× faster",
            met: ratio_at_least(&r.request, 2.0),
            figures: times(&r.request, "ns", 0),
        },
        Target {
            row: "3a",
            text: "≥ 2× calls/s, sequential",
            met: ratio_at_most(&r.sequential, 0.5),
            figures: times(&r.sequential, "calls/s", 0),
        },
        Target {
            row: "3b",
            text: "≥ 2× calls/s, 32 concurrent tasks",
            met: ratio_at_most(&r.concurrent, 0.5),
            figures: times(&r.concurrent, "calls/s", 0),
        },
        Target {
            row: "6",
            text: "instructions per call ≤ ⅓ of official",
            met: ratio_at_least(&r.instructions, 3.0),
            figures: times(&r.instructions, "", 0),
        },
        Target {
            row: "5a",
            text: "clean release build ≤ ½ official time",
            met: ratio_at_least(&build, 2.0),
            figures: times(&build, "s", 1),
        },
        Target {
            row: "5c",
            text: "stripped binary ≤ ½ official",
            met: ratio_at_least(&size, 2.0),
            figures: times(&size, "MiB", 2),
        },
        Target {
            row: "5b",
            text: "distinct packages ≤ 88",
            met: packages.map(|p| p <= 88),
            figures: format!(
                "ours {}, official {}",
                packages.map_or("—".to_string(), |p| p.to_string()),
                r.build_official
                    .as_ref()
                    .map_or("—".to_string(), |b| b.packages.to_string())
            ),
        },
        Target {
            row: "4b",
            text: "codegen of the full official model < 0.5 s",
            met: r.codegen_full_ns.map(|ns| ns < 0.5e9),
            figures: show(r.codegen_full_ns.map(|ns| ns / 1e6), "ms", 1),
        },
        Target {
            row: "4a",
            text: "codegen of model/ < 50 ms",
            met: r.codegen_model_ns.map(|ns| ns < 50e6),
            figures: show(r.codegen_model_ns.map(|ns| ns / 1e6), "ms", 2),
        },
    ]
}

fn met_mark(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "**met**",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

fn render_table(r: &Results) -> String {
    let build = |f: fn(&BuildCost) -> f64| {
        Pair::new(
            r.build_ours.as_ref().map(f),
            r.build_official.as_ref().map(f),
        )
    };
    let parse_only = Pair::new(
        r.parse.ours.zip(r.request.ours).map(|(p, q)| p - q),
        r.parse.official.zip(r.request.official).map(|(p, q)| p - q),
    );
    let target_of = |row: &str| {
        targets(r)
            .into_iter()
            .find(|t| t.row == row)
            .map(|t| (t.text, met_mark(t.met)))
            .unwrap_or(("", ""))
    };
    let mut rows: Vec<[String; 7]> = Vec::new();
    let mut row = |id: &str, name: &str, pair: Pair, unit: &str, decimals: usize| {
        let (text, met) = target_of(id);
        rows.push([
            id.to_string(),
            name.to_string(),
            show(pair.ours, unit, decimals),
            show(pair.official, unit, decimals),
            show_ratio(pair.ratio()),
            text.to_string(),
            met.to_string(),
        ]);
    };
    row(
        "1",
        "parse GetStage 200 (~2 KB), public path, canned HTTP client",
        r.parse,
        "ns",
        0,
    );
    row("1′", "… parse only (row 1 − row 2)", parse_only, "ns", 0);
    row(
        "1″",
        "… ours: the response deserializer alone",
        Pair::new(r.parse_ours_direct, None),
        "ns",
        0,
    );
    row(
        "2",
        "build + validate + serialize + sign a request, canned `{}` response",
        r.request,
        "ns",
        0,
    );
    row(
        "2′",
        "… ours: SigV4 signing alone (`rt::sign::Signer`)",
        Pair::new(r.request_ours_direct, None),
        "ns",
        0,
    );
    row(
        "3a",
        "get_stage against the local server, sequential",
        r.sequential,
        "calls/s",
        0,
    );
    row(
        "3b",
        "get_stage against the local server, 32 concurrent tasks",
        r.concurrent,
        "calls/s",
        0,
    );
    row(
        "3c",
        "peak RSS of the sequential run",
        Pair::new(
            r.peak_rss_kib.ours.map(|k| k / 1024.0),
            r.peak_rss_kib.official.map(|k| k / 1024.0),
        ),
        "MiB",
        1,
    );
    row(
        "4a",
        "codegen of model/ (GetStage closure)",
        Pair::new(r.codegen_model_ns.map(|n| n / 1e6), None),
        "ms",
        2,
    );
    row(
        "4b",
        "codegen of the official full model (72 operations)",
        Pair::new(r.codegen_full_ns.map(|n| n / 1e6), None),
        "ms",
        1,
    );
    row(
        "5a",
        "clean `cargo build --release` of a minimal get_stage program",
        build(|b| b.seconds),
        "s",
        1,
    );
    row(
        "5b",
        "distinct normal dependencies (packages)",
        build(|b| b.packages as f64),
        "",
        0,
    );
    row(
        "5c",
        "stripped binary size",
        build(|b| b.stripped_bytes as f64 / 1048576.0),
        "MiB",
        2,
    );
    row(
        "6",
        "instructions per call (callgrind, sequential, marginal)",
        r.instructions,
        "",
        0,
    );

    let mut out = String::new();
    out.push_str("| # | workload | ours | official | official/ours | target | met |\n");
    out.push_str("|---|---|---:|---:|---:|---|---|\n");
    for cells in rows {
        let _ = writeln!(
            out,
            "| {} |",
            cells.map(|c| c.trim().to_string()).join(" | ")
        );
    }
    out
}

fn render_targets(r: &Results) -> String {
    let mut out = String::new();
    for t in targets(r) {
        let _ = writeln!(out, "- {} — {}: {}.", met_mark(t.met), t.text, t.figures);
    }
    out
}

fn render_document(
    settings: &Settings,
    m: &Machine,
    r: &Results,
    table: &str,
    targets: &str,
) -> String {
    let mut doc = String::new();
    let versions = |list: &[(String, String)]| {
        list.iter()
            .map(|(n, v)| format!("{n} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(doc, "# Benchmarks\n");
    let _ = writeln!(
        doc,
        "Written by `{}` on {}; do not edit by hand, rerun the command.\n",
        settings.command, m.date
    );
    let _ = writeln!(
        doc,
        "- **Machine:** {} cores, {}; {}.",
        m.cores, m.cpu, m.os
    );
    let _ = writeln!(
        doc,
        "- **Ours:** `apigatewayv2` {} (generated by this repository at commit {}); {}.",
        m.ours_version,
        m.commit,
        versions(&m.ours_versions)
    );
    let _ = writeln!(doc, "- **Official:** {}.", versions(&m.official_versions));
    let _ = writeln!(doc, "- **Toolchain:** {}.", m.rustc);
    if settings.quick {
        let _ = writeln!(
            doc,
            "- **Quick run** (`--quick`): short measurements; rough numbers."
        );
    }
    if let Some(date) = &r.build_reused_from {
        let _ = writeln!(
            doc,
            "- **Workload 5** (clean builds) comes from the run of {date}: this run was told \
             not to rebuild (`--no-build-cost`)."
        );
    }
    let _ = writeln!(doc, "\n## Results\n");
    let _ = writeln!(
        doc,
        "Times are criterion medians; `official/ours` above 1 means ours costs less, and for \
         calls per second below 1 means ours is faster. Targets come from issue 5.\n"
    );
    doc.push_str(table);
    let _ = writeln!(doc, "\n## Targets\n");
    doc.push_str(targets);
    let _ = writeln!(doc, "\n## Method\n");
    doc.push_str(METHOD);

    if let Some(ours) = &r.build_ours {
        let _ = writeln!(doc, "\n## Our dependency tree (workload 5)\n");
        let _ = writeln!(
            doc,
            "`cargo tree -e normal` of the minimal program lists {} distinct packages (the \
             program and `apigatewayv2` included){}. The generated crate's direct dependencies, \
             heaviest first: how many packages each one's subtree holds, how many only it \
             brings in, and why it is there.\n",
            ours.packages,
            r.build_official
                .as_ref()
                .map(|o| format!("; the official SDK's lists {}", o.packages))
                .unwrap_or_default()
        );
        let _ = writeln!(doc, "| dependency | subtree | only through it | why |");
        let _ = writeln!(doc, "|---|---:|---:|---|");
        for (package, subtree, only) in &ours.subtrees {
            let name = package.split(' ').next().unwrap_or(package);
            let why = JUSTIFICATIONS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, why)| *why)
                .unwrap_or("(no justification recorded in xtask/src/bench.rs)");
            let _ = writeln!(doc, "| {package} | {subtree} | {only} | {why} |");
        }
    }
    if r.build_ours.is_some() || r.build_official.is_some() {
        let _ = writeln!(
            doc,
            "\n## Where the clean build spends its time (`cargo build --timings`)\n"
        );
        for (side, cost) in [("ours", &r.build_ours), ("official", &r.build_official)] {
            if let Some(cost) = cost {
                let units: Vec<String> = cost
                    .slowest_units
                    .iter()
                    .map(|(unit, s)| format!("{unit} {s:.1} s"))
                    .collect();
                let _ = writeln!(
                    doc,
                    "- **{side}** ({:.1} s): {}.",
                    cost.seconds,
                    units.join(", ")
                );
            }
        }
    }
    if !r.profile_ours.is_empty() || !r.profile_official.is_empty() {
        let _ = writeln!(
            doc,
            "\n## Where the instructions go (workload 6)\n\nPer call, by function (self cost; \
             inlined code counts toward the function it was inlined into): the difference \
             between the long and the short callgrind run, divided by the extra calls. \
             Columns: instructions per call, share of the call, function.\n"
        );
        for (side, lines) in [("ours", &r.profile_ours), ("official", &r.profile_official)] {
            let _ = writeln!(doc, "**{side}**\n\n```text");
            for line in lines {
                let _ = writeln!(doc, "{line}");
            }
            let _ = writeln!(doc, "```\n");
        }
    }
    doc
}

const METHOD: &str = "\
Our side is `tests/bench` (package `bench`; `cargo test` runs each criterion benchmark once, \
so a broken benchmark fails CI). The official side is `tests/bench-compare`, a separate \
workspace (excluded from the root one, so `cargo xtask test` never compiles the official \
SDK) that depends on the latest `aws-sdk-apigatewayv2` with its default features and builds \
its clients by hand: static credentials (`aws-credential-types`), region and endpoint URL, \
no `aws-config`. Both sides build with `--release` into `target/bench`.

1. **Parse.** Each SDK's public path: a client whose HTTP client returns the canned ~2 KB \
   GetStage body (`tests/bench/fixtures/get_stage.json`: every member set, three route \
   settings, five stage variables, five tags) without I/O — the official SDK's \
   `aws_smithy_http_client::test_util::infallible_client_fn`, our \
   `bench::ours::StaticResponse` (an `HttpClient` that keeps nothing; the crate's `test-util` \
   `CannedHttpClient` records every request, which grows without bound under criterion) — driven with `client.get_stage()…send()` on a current-thread runtime, so both \
   sides do the same work (request, endpoint, signing, response). Row 1′ subtracts row 2 to \
   isolate parsing; row 1″ is our deserializer alone.
2. **Request.** The same path with a canned `{}` body, so the response costs next to nothing: \
   input builder, validation, endpoint resolution, serialization and SigV4 signing. Row 2′ \
   is our SigV4 signer alone on a ready request (the generated serializer is crate-private).
3. **Calls.** `bench-server` (hyper, HTTP/1.1 keep-alive, in `tests/bench`) runs in its own \
   process; `bench-ours` and `bench-official` each make `get_stage` calls against it on the \
   multi-threaded tokio runtime, after a warm-up, for a fixed time: one task, then 32 \
   concurrent tasks. Runs alternate between the SDKs, five of each; the table shows the \
   best run (other work on the shared machine only slows runs down). Peak RSS is `VmHWM` of \
   the sequential run's process (median of the runs).
4. **Codegen.** `codegen::generate` (read → … → format, no file writes) timed by criterion in \
   the `bench` crate, for `model/` and, when `../shared/model` exists, for the official \
   full model with `OperationSelection::All`.
5. **Build cost.** A scratch project per SDK under `target/bench-build/` with a `main` that \
   calls `get_stage` once (tokio `rt-multi-thread` + `macros`, the SDK with default \
   features), versions pinned from the matching lock file, sources fetched beforehand, then \
   a clean `cargo build --release --timings` in its own target directory. Packages: \
   `cargo tree -e normal --prefix none`, ` (*)` removed, distinct lines. Size: the release \
   binary after `strip`.
6. **Instructions.** `valgrind --tool=callgrind` over the sequential load binary with 200 \
   and with 1 200 calls against the same server; instructions per call is the difference \
   divided by 1 000, so start-up and warm-up cancel out. Valgrind's virtual CPU has no SHA \
   extensions, so both SDKs' SHA-256 (`sha2`, used by `aws-sigv4`) runs its portable code \
   there; natively it uses SHA-NI where the CPU has it, so signing weighs less in rows 2 and 3 \
   than in row 6.

The machine is shared: other builds may run at the same time, which shows up most in the \
clean-build times and the calls per second.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(1234567.891, 1), "1,234,567.9");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(1000.0, 0), "1,000");
    }

    #[test]
    fn subtrees_counts_shared_and_unique_packages() {
        let tree = "0app v0.1.0\n1lib v1.0.0 (/x)\n2a v1.0.0\n3c v1.0.0\n2b v1.0.0\n3c v1.0.0\n1tokio v1.0.0\n";
        let out = subtrees(tree, "lib");
        assert_eq!(
            out,
            vec![
                ("a v1.0.0".to_string(), 2, 1),
                ("b v1.0.0".to_string(), 2, 1)
            ]
        );
    }

    #[test]
    fn lock_version_lists_every_entry() {
        let lock = "[[package]]\nname = \"hyper\"\nversion = \"0.14.1\"\n\n\
                    [[package]]\nname = \"hyper\"\nversion = \"1.2.3\"\n";
        assert_eq!(
            lock_version(lock, "hyper").as_deref(),
            Some("0.14.1 + 1.2.3")
        );
        assert_eq!(lock_version(lock, "tokio"), None);
    }

    #[test]
    fn self_costs_sum_a_function_over_files() {
        let text = "610,086,563 (100.0%)  PROGRAM TOTALS\n\
                    52,401,907 ( 8.59%)  ./memmove.S:__memcpy_avx [/lib/libc.so.6]\n\
                    47,862,760 ( 7.85%)  /a/unroll.rs:sha2::compress\n\
                    39,944,520 ( 6.55%)  /b/mod.rs:sha2::compress [/bin/x]\n";
        let costs = self_costs(text);
        assert_eq!(costs.get("sha2::compress"), Some(&87_807_280));
        assert_eq!(costs.get("__memcpy_avx"), Some(&52_401_907));
        assert_eq!(costs.len(), 2);
    }

    #[test]
    fn slowest_units_reads_the_timings_report() {
        let html = "<script>\nconst UNIT_DATA = [\n  {\n    \"i\": 0,\n    \"name\": \"itoa\",\n    \"target\": \"\",\n    \"start\": 0.12,\n    \"duration\": 0.25,\n    \"sections\": [[\"codegen\", {\"start\": 0.1, \"end\": 0.2}]]\n  },\n  {\n    \"i\": 1,\n    \"name\": \"tim\",\n    \"target\": \" tim \\\"bin\\\"\",\n    \"duration\": 1.5\n  }\n];\n</script>";
        let path =
            std::env::temp_dir().join(format!("xtask-bench-timings-{}.html", std::process::id()));
        std::fs::write(&path, html).unwrap();
        let units = slowest_units(&path, 5);
        let _ = std::fs::remove_file(&path);
        assert_eq!(
            units,
            vec![
                ("tim (tim \"bin\")".to_string(), 1.5),
                ("itoa".to_string(), 0.25)
            ]
        );
    }

    #[test]
    fn build_costs_survive_a_save_and_load() {
        let cost = BuildCost {
            seconds: 12.5,
            packages: 80,
            stripped_bytes: 4_000_000,
            subtrees: vec![("reqwest v0.12.28".to_string(), 40, 20)],
            slowest_units: vec![("ring 0.17.14 (build script (run))".to_string(), 9.5)],
        };
        let path =
            std::env::temp_dir().join(format!("xtask-bench-cost-{}.txt", std::process::id()));
        cost.save(&path, "2026-01-01 00:00 UTC").unwrap();
        let (loaded, date) = BuildCost::load(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(date, "2026-01-01 00:00 UTC");
        assert_eq!(
            (loaded.seconds, loaded.packages, loaded.stripped_bytes),
            (12.5, 80, 4_000_000)
        );
        assert_eq!(
            (loaded.subtrees, loaded.slowest_units),
            (cost.subtrees, cost.slowest_units)
        );
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0]), Some(2.5));
        assert_eq!(median(Vec::new()), None);
    }
}
