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
//!
//! The module's parts: `measure` runs the processes (builds, criterion, the load runs,
//! callgrind, the clean builds), `parse` reads what they print, `report` renders the table
//! and `BENCHMARKS.md`; `programs/` holds the minimal programs of workload 5.

mod measure;
mod parse;
mod report;

use std::collections::BTreeMap;
use std::time::Instant;

use measure::{
    bench_cargo, build_cost, ensure_valgrind, exe, instructions_per_call, load_run, utc_now,
    BenchServer,
};
use parse::{criterion_median_ns, median};
use report::{render_document, render_table, render_targets, Machine};

use crate::process::{run_status, step};
use crate::workspace_root;

/// Concurrent tasks in the concurrent load run.
const TASKS: usize = 32;

/// `cargo xtask bench`'s options.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Args {
    /// Short criterion and load runs, small callgrind runs, no clean builds (checks the harness; rough numbers)
    #[arg(long)]
    pub quick: bool,
    /// Skip workload 5 (two clean release builds, minutes) and reuse the last run's results, if any
    #[arg(long)]
    pub no_build_cost: bool,
    /// Skip workload 6 (instructions per call under callgrind)
    #[arg(long)]
    pub no_callgrind: bool,
    /// Print the table but leave BENCHMARKS.md alone
    #[arg(long)]
    pub no_write: bool,
}

#[derive(Debug, Clone)]
struct Settings {
    quick: bool,
    build_cost: bool,
    callgrind: bool,
    write: bool,
    command: String,
}

impl Settings {
    fn new(args: &Args) -> Settings {
        // The command line as BENCHMARKS.md shows it: the flags given, in a fixed order.
        let flags = [
            (args.quick, "--quick"),
            (args.no_build_cost, "--no-build-cost"),
            (args.no_callgrind, "--no-callgrind"),
            (args.no_write, "--no-write"),
        ];
        Settings {
            quick: args.quick,
            build_cost: !args.quick && !args.no_build_cost,
            callgrind: !args.no_callgrind,
            write: !args.no_write,
            command: std::iter::once("cargo xtask bench")
                .chain(flags.iter().filter(|(on, _)| *on).map(|(_, flag)| *flag))
                .collect::<Vec<_>>()
                .join(" "),
        }
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

/// One timing sample of a load binary.
#[derive(Debug, Clone, Copy)]
struct LoadSample {
    calls: u64,
    calls_per_sec: f64,
    peak_rss_kib: u64,
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

pub fn run(args: &Args) -> Result<(), String> {
    let settings = Settings::new(args);
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
