//! Running the benchmark processes: the builds, criterion, the bench server (plain or TLS)
//! and the load runs, callgrind, and the clean builds of workload 5.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use super::parse::{callgrind_total, load_sample, median, self_costs, slowest_units, subtrees};
use super::report::{shorten, thousands};
use super::{BuildCost, LoadSample, Pair, Side, TASKS};
use crate::process::{cargo_program, run_output, run_status, stdout_if_ok};

/// The minimal programs of workload 5, one per side.
const OURS_MAIN: &str = include_str!("programs/ours_main.rs");
const OFFICIAL_MAIN: &str = include_str!("programs/official_main.rs");

/// The size of scratch project `dir`'s release binary `name` once stripped (a copy beside it).
pub(super) fn stripped_size(dir: &Path, name: &str) -> Result<u64, String> {
    let binary = dir.join("target").join("release").join(exe(name));
    let stripped = dir.join(exe(&format!("{name}-stripped")));
    run_output(Command::new("strip").arg("-o").arg(&stripped).arg(&binary))?;
    std::fs::metadata(&stripped)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", stripped.display()))
}

pub(super) fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// `cargo` for the benchmark crates: into `target` (`target/bench`), release builds with
/// line tables (for callgrind's function names; code generation is unchanged).
pub(super) fn bench_cargo(root: &Path, target: &Path) -> Command {
    let mut command = Command::new(cargo_program());
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only")
        .env("CARGO_PROFILE_BENCH_DEBUG", "line-tables-only");
    command
}

/// `cargo` in a scratch project of the clean-build workloads (5, 7, 8): its own target
/// directory, and none of the flags or profile overrides of the caller's environment, so
/// the build is the one a user of the crate gets.
pub(super) fn scratch_cargo(dir: &Path) -> Command {
    let mut command = Command::new(cargo_program());
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_PROFILE_RELEASE_DEBUG")
        .env_remove("CARGO_PROFILE_BENCH_DEBUG");
    command
}

/// The bench server, killed when dropped.
pub(super) struct BenchServer {
    child: Child,
    pub(super) url: String,
    /// In TLS mode: the PEM file of the server's test CA, for the clients' `--ca-file`.
    pub(super) ca_file: Option<PathBuf>,
}

impl BenchServer {
    /// Starts `bench-server`; with `tls_ca`, over HTTPS, its test CA written to that file.
    pub(super) fn start(bin: &Path, tls_ca: Option<&Path>) -> Result<BenchServer, String> {
        let mut command = Command::new(bin);
        command.args(["--seconds", "3600"]);
        if let Some(ca) = tls_ca {
            command.arg("--tls").arg(ca);
        }
        let mut child = command
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
                    ca_file: tls_ca.map(Path::to_path_buf),
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

pub(super) fn load_run(
    bin: &Path,
    server: &BenchServer,
    mode: &str,
    seconds: f64,
) -> Result<LoadSample, String> {
    let mut command = Command::new(bin);
    command.args(load_args(&server.url, mode, 10_000_000, seconds, 500));
    if let Some(ca) = &server.ca_file {
        command.arg("--ca-file").arg(ca);
    }
    let stdout = run_output(&mut command)?;
    let line = stdout.lines().last().unwrap_or_default();
    load_sample(line).map_err(|key| format!("{} printed no `{key}`: `{line}`", bin.display()))
}

/// What a series of load runs measured: the best calls/s of each mode, and the median peak
/// RSS of the sequential runs.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LoadSeries {
    pub(super) sequential: Pair,
    pub(super) concurrent: Pair,
    pub(super) peak_rss_kib: Pair,
}

/// `runs` rounds against `server`, each a sequential then a concurrent run of each binary,
/// alternating between the SDKs so a disturbance hits both alike (workloads 3 and 10).
pub(super) fn load_series(
    ours: &Path,
    official: &Path,
    server: &BenchServer,
    seconds: f64,
    runs: usize,
) -> Result<LoadSeries, String> {
    let mut samples: BTreeMap<(&str, &str), Vec<LoadSample>> = BTreeMap::new();
    for run in 0..runs {
        for mode in ["seq", "concurrent"] {
            for (side, bin) in [("ours", ours), ("official", official)] {
                let sample = load_run(bin, server, mode, seconds)?;
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
    let rss = |side: &str| {
        samples
            .get(&(side, "seq"))
            .and_then(|s| median(s.iter().map(|s| s.peak_rss_kib as f64).collect()))
    };
    Ok(LoadSeries {
        sequential: Pair::new(best_of("ours", "seq"), best_of("official", "seq")),
        concurrent: Pair::new(
            best_of("ours", "concurrent"),
            best_of("official", "concurrent"),
        ),
        peak_rss_kib: Pair::new(rss("ours"), rss("official")),
    })
}

/// valgrind is there, or could be installed with apt-get.
pub(super) fn ensure_valgrind() -> bool {
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
pub(super) fn instructions_per_call(
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
        let total = callgrind_total(&text)
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

pub(super) fn build_cost(root: &Path, side: Side) -> Result<BuildCost, String> {
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
        let mut command = scratch_cargo(&dir);
        command.args(args);
        command
    };
    // Downloads are not part of the build time.
    run_output(&mut cargo(&["fetch"]))?;
    println!("  {}: cargo build --release (clean)", side.name());
    let start = Instant::now();
    run_status(&mut cargo(&["build", "--release", "--timings"]))?;
    let seconds = start.elapsed().as_secs_f64();
    let stripped_bytes = stripped_size(&dir, &name)?;
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

/// The date and time, UTC (`2026-11-25 12:19 UTC`).
pub(super) fn utc_now() -> String {
    stdout_if_ok(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .unwrap_or_else(|| "unknown date".to_string())
}
