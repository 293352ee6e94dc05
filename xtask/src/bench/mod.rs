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
//! 6. instructions per call under callgrind (marginal between a 200- and a 1200-call run);
//! 7. compile time at fleet scale: the three largest generated crates of
//!    `../shared/aws-models` against their `aws-sdk-*` crates (clean build, the crate alone
//!    with `cargo build` and `cargo check`, lines, rlib size);
//! 8. a program calling five services: clean release build and stripped size;
//! 9. codegen speed (ours only): every model of `../shared/aws-models` with the release
//!    generator, and nested operation subsets of the largest (linearity);
//! 10. workload 3 over HTTPS (the bench server's TLS mode, a test CA both clients trust).
//!
//! Every workload's results are saved under `target/bench/<name>/` (`saved.rs`), so a run
//! that skips some (`--only`, `--no-build-cost`, `--no-fleet-compile`, `--no-five-services`,
//! `--quick`) shows their last results with that run's date.
//!
//! The module's parts: `measure` runs the processes (builds, criterion, the bench server,
//! the load runs, callgrind, the clean builds of 5), `compile` the scratch projects of 7 and
//! 8, `codegen_speed` workload 9's `bench-codegen` runs, `parse` reads what the tools print,
//! `saved` keeps each workload's results between runs, `report` renders the table and
//! `BENCHMARKS.md`; `programs/` holds the minimal programs of workload 5.

mod codegen_speed;
mod compile;
mod measure;
mod parse;
mod report;
mod saved;

use std::path::{Path, PathBuf};
use std::time::Instant;

use measure::{
    bench_cargo, build_cost, ensure_valgrind, exe, instructions_per_call, load_series, utc_now,
    BenchServer,
};
use parse::criterion_median_ns;
use report::{render_document, render_table, render_targets, Machine};
use saved::Saved;

use crate::process::{run_status, step};
use crate::workspace_root;

/// Concurrent tasks in the concurrent load runs.
const TASKS: usize = 32;

/// Models `--quick` generates in workload 9 (the first ones by file name).
const QUICK_CODEGEN_MODELS: usize = 6;

/// Generated crates workload 7 compiles: the largest ones by generated lines.
const FLEET_CRATES: usize = 3;

/// `cargo xtask bench`'s options.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Args {
    /// Short criterion and load runs, small callgrind runs, workload 9 on a few models, no
    /// clean builds (5, 7, 8 reuse their saved results unless named in --only); checks the
    /// harness, rough numbers
    #[arg(long)]
    pub quick: bool,
    /// Run only these workloads (1-10, comma-separated); the others show their last saved
    /// results. 1, 2 and 4 share the criterion runs, so naming one runs all three
    #[arg(long, value_name = "N,N", value_delimiter = ',', value_parser = clap::value_parser!(u8).range(1..=10))]
    pub only: Vec<u8>,
    /// Skip workload 5 (two clean release builds, minutes) and reuse the last run's results, if any
    #[arg(long)]
    pub no_build_cost: bool,
    /// Skip workload 6 (instructions per call under callgrind) and reuse the last run's results, if any
    #[arg(long)]
    pub no_callgrind: bool,
    /// Skip workload 7 (clean builds of the three largest service crates, ours and official:
    /// the better part of an hour on 2 cores) and reuse the last run's results, if any
    #[arg(long)]
    pub no_fleet_compile: bool,
    /// Skip workload 8 (clean builds of the five-service programs, ours and official) and
    /// reuse the last run's results, if any
    #[arg(long)]
    pub no_five_services: bool,
    /// Workload 7 on these services instead of the three largest (file names without the
    /// date: `sso,eks`), to check the harness on small crates
    #[arg(long, value_name = "NAME,NAME", value_delimiter = ',', hide = true)]
    pub fleet_services: Vec<String>,
    /// Workload 8 on these of its five services only (`lambda,eks`), to check the harness
    #[arg(long, value_name = "NAME,NAME", value_delimiter = ',', hide = true)]
    pub program_services: Vec<String>,
    /// Print the table but leave BENCHMARKS.md alone
    #[arg(long)]
    pub no_write: bool,
}

/// The workloads as they run and are saved: some share one measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    /// 1, 2, 4: the criterion runs.
    Micro,
    /// 3: calls per second over HTTP.
    Load,
    /// 5: the minimal programs' clean builds.
    BuildCost,
    /// 6: callgrind.
    Callgrind,
    /// 7: the fleet-scale compile.
    FleetCompile,
    /// 8: the five-service programs.
    FiveServices,
    /// 9: codegen speed.
    CodegenSpeed,
    /// 10: calls per second over HTTPS.
    Https,
}

impl Group {
    const ALL: [Group; 8] = [
        Group::Micro,
        Group::Load,
        Group::BuildCost,
        Group::Callgrind,
        Group::FleetCompile,
        Group::FiveServices,
        Group::CodegenSpeed,
        Group::Https,
    ];

    fn workloads(self) -> &'static [u8] {
        match self {
            Group::Micro => &[1, 2, 4],
            Group::Load => &[3],
            Group::BuildCost => &[5],
            Group::Callgrind => &[6],
            Group::FleetCompile => &[7],
            Group::FiveServices => &[8],
            Group::CodegenSpeed => &[9],
            Group::Https => &[10],
        }
    }

    /// The folder under `target/bench/` its results are saved in.
    fn dir(self) -> &'static str {
        match self {
            Group::Micro => "micro",
            Group::Load => "load",
            Group::BuildCost => "build-cost",
            Group::Callgrind => "callgrind",
            Group::FleetCompile => "fleet-compile",
            Group::FiveServices => "five-services",
            Group::CodegenSpeed => "codegen-speed",
            Group::Https => "https",
        }
    }

    /// How BENCHMARKS.md names it when its results are reused.
    fn label(self) -> &'static str {
        match self {
            Group::Micro => "workloads 1, 2 and 4 (criterion)",
            Group::Load => "workload 3 (calls per second)",
            Group::BuildCost => "workload 5 (clean builds)",
            Group::Callgrind => "workload 6 (callgrind)",
            Group::FleetCompile => "workload 7 (fleet-scale compile)",
            Group::FiveServices => "workload 8 (five-service program)",
            Group::CodegenSpeed => "workload 9 (codegen speed)",
            Group::Https => "workload 10 (HTTPS calls per second)",
        }
    }
}

#[derive(Debug, Clone)]
struct Settings {
    quick: bool,
    only: Vec<u8>,
    build_cost: bool,
    callgrind: bool,
    fleet_compile: bool,
    five_services: bool,
    fleet_services: Vec<String>,
    program_services: Vec<String>,
    write: bool,
    command: String,
}

impl Settings {
    fn new(args: &Args) -> Settings {
        // The command line as BENCHMARKS.md shows it: the flags given, in a fixed order.
        let only = (!args.only.is_empty()).then(|| {
            let list: Vec<String> = args.only.iter().map(u8::to_string).collect();
            format!("--only {}", list.join(","))
        });
        let list = |flag: &str, names: &[String]| {
            (!names.is_empty()).then(|| format!("{flag} {}", names.join(",")))
        };
        let flags = [
            args.quick.then(|| "--quick".to_string()),
            only,
            args.no_build_cost.then(|| "--no-build-cost".to_string()),
            args.no_callgrind.then(|| "--no-callgrind".to_string()),
            args.no_fleet_compile
                .then(|| "--no-fleet-compile".to_string()),
            args.no_five_services
                .then(|| "--no-five-services".to_string()),
            list("--fleet-services", &args.fleet_services),
            list("--program-services", &args.program_services),
            args.no_write.then(|| "--no-write".to_string()),
        ];
        Settings {
            quick: args.quick,
            only: args.only.clone(),
            build_cost: !args.no_build_cost,
            callgrind: !args.no_callgrind,
            fleet_compile: !args.no_fleet_compile,
            five_services: !args.no_five_services,
            fleet_services: args.fleet_services.clone(),
            program_services: args.program_services.clone(),
            write: !args.no_write,
            command: std::iter::once("cargo xtask bench".to_string())
                .chain(flags.into_iter().flatten())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// Whether this run measures `group` (else its saved results are shown).
    fn runs(&self, group: Group) -> bool {
        let named = group.workloads().iter().any(|w| self.only.contains(w));
        if !self.only.is_empty() && !named {
            return false;
        }
        // `--quick` leaves out the clean builds, unless they are asked for by number.
        let heavy_allowed = !self.quick || named;
        match group {
            Group::Micro | Group::Load | Group::CodegenSpeed | Group::Https => true,
            Group::BuildCost => self.build_cost && heavy_allowed,
            Group::Callgrind => self.callgrind,
            Group::FleetCompile => self.fleet_compile && heavy_allowed,
            Group::FiveServices => self.five_services && heavy_allowed,
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

    /// Workload 9: how many models (`None`: all), and runs per subset.
    fn codegen_speed(&self) -> (Option<usize>, usize) {
        if self.quick {
            (Some(QUICK_CODEGEN_MODELS), 1)
        } else {
            (None, 3)
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

/// Workload 7's facts about one service crate.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct CrateCost {
    /// Clean `cargo build --release`, dependencies included.
    clean_seconds: f64,
    /// `cargo build --release -p` of the crate alone, its dependencies built.
    crate_seconds: f64,
    /// `cargo check -p` of the crate alone, its dependencies checked.
    check_seconds: f64,
    /// Lines of its `src/**/*.rs`.
    lines: usize,
    /// Its release rlib.
    rlib_bytes: u64,
}

/// Workload 7 for one service: our crate and the official one.
#[derive(Debug, Clone, Default, PartialEq)]
struct FleetCrate {
    service: String,
    official_crate: String,
    official_version: String,
    ours: CrateCost,
    official: CrateCost,
}

/// A clean release build of a program and its stripped binary (workload 8).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ProgramCost {
    seconds: f64,
    stripped_bytes: u64,
}

/// Workload 8: the services, the official crates' resolved versions, both programs.
#[derive(Debug, Clone, Default, PartialEq)]
struct FiveServices {
    services: Vec<String>,
    official_versions: Vec<(String, String)>,
    ours: ProgramCost,
    official: ProgramCost,
}

/// One nested subset of the largest model's operations (workload 9).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Subset {
    /// Every `part`-th operation.
    part: usize,
    operations: usize,
    lines: usize,
    seconds: f64,
}

/// Workload 9.
#[derive(Debug, Clone, Default, PartialEq)]
struct CodegenSpeed {
    /// Models generated (or tried), how many failed, their total wall time and lines.
    models: usize,
    failed: usize,
    seconds: f64,
    lines: usize,
    /// The model with the most generated lines, and its subsets.
    largest: String,
    subsets: Vec<Subset>,
    /// Each model's generated lines (workload 7 picks the largest from them).
    per_model: Vec<(String, usize)>,
    /// Every model of the directory (not `--quick`'s few).
    complete: bool,
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
    profile_ours: Vec<String>,
    profile_official: Vec<String>,
    fleet: Vec<FleetCrate>,
    five: Option<FiveServices>,
    codegen_speed: Option<CodegenSpeed>,
    https_sequential: Pair,
    https_concurrent: Pair,
    /// Workloads shown from an earlier run: (label, that run's date).
    reused: Vec<(String, String)>,
    /// Workloads that could not run here, with why (`../shared/aws-models` missing, ...).
    skipped: Vec<String>,
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
    let runs = |group: Group| settings.runs(group);
    let date = utc_now();

    let load_workloads = runs(Group::Load) || runs(Group::Callgrind) || runs(Group::Https);
    if load_workloads || runs(Group::CodegenSpeed) || runs(Group::FleetCompile) {
        step("build the benchmark binaries (release): ours (tests/bench)");
        run_status(bench_cargo(&root, &target).args([
            "build",
            "--release",
            "-p",
            "bench",
            "--bins",
        ]))?;
    }
    if load_workloads {
        step("build the benchmark binaries (release): official (tests/bench-compare)");
        run_status(
            bench_cargo(&root, &target)
                .args(["build", "--release", "--bins", "--manifest-path"])
                .arg(&compare_manifest),
        )?;
    }
    let release = target.join("release");
    let ours_bin = release.join(exe("bench-ours"));
    let official_bin = release.join(exe("bench-official"));
    let server_bin = release.join(exe("bench-server"));
    let codegen_bin = release.join(exe("bench-codegen"));

    if runs(Group::Micro) {
        step("workloads 1, 2, 4: criterion (ours, then official)");
        micro(&settings, &root, &target, &compare_manifest, &mut results)?;
        save(&target, Group::Micro, &results, &date)?;
    }

    if runs(Group::Load) {
        step("workload 3: get_stage calls against the local keep-alive server");
        let server = BenchServer::start(&server_bin, None)?;
        let (seconds, rounds) = settings.load();
        let series = load_series(&ours_bin, &official_bin, &server, seconds, rounds)?;
        results.sequential = series.sequential;
        results.concurrent = series.concurrent;
        results.peak_rss_kib = series.peak_rss_kib;
        save(&target, Group::Load, &results, &date)?;
    }

    if runs(Group::Callgrind) {
        step("workload 6: instructions per call (callgrind, sequential)");
        if ensure_valgrind() {
            let server = BenchServer::start(&server_bin, None)?;
            let dir = target.join("callgrind");
            std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
            let (small, large) = settings.callgrind_calls();
            let ours = instructions_per_call(&ours_bin, "ours", &server.url, &dir, small, large)?;
            let official =
                instructions_per_call(&official_bin, "official", &server.url, &dir, small, large)?;
            results.instructions = Pair::new(Some(ours.0), Some(official.0));
            results.profile_ours = ours.1;
            results.profile_official = official.1;
            save(&target, Group::Callgrind, &results, &date)?;
        } else {
            println!("  skipped: valgrind is not installed and could not be installed");
        }
    }

    if runs(Group::Https) {
        step("workload 10: get_stage calls over HTTPS (the bench server's TLS mode)");
        let dir = target.join(Group::Https.dir());
        std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        let server = BenchServer::start(&server_bin, Some(&dir.join("ca.pem")))?;
        let (seconds, rounds) = settings.load();
        let series = load_series(&ours_bin, &official_bin, &server, seconds, rounds)?;
        results.https_sequential = series.sequential;
        results.https_concurrent = series.concurrent;
        save(&target, Group::Https, &results, &date)?;
    }

    let models_dir = root
        .parent()
        .map(|p| p.join("shared").join("aws-models"))
        .filter(|d| d.is_dir());
    let mut fresh_per_model = None;
    if runs(Group::CodegenSpeed) {
        step("workload 9: codegen speed (release generator, every model of ../shared/aws-models)");
        match &models_dir {
            None => skip(&mut results, "workload 9: ../shared/aws-models is missing"),
            Some(dir) => {
                let (limit, repeat) = settings.codegen_speed();
                let speed = codegen_speed::run(&codegen_bin, dir, limit, repeat)?;
                if speed.complete {
                    fresh_per_model = Some(speed.per_model.clone());
                }
                results.codegen_speed = Some(speed);
                save(&target, Group::CodegenSpeed, &results, &date)?;
            }
        }
    }

    if runs(Group::FleetCompile) {
        step("workload 7: compile time at fleet scale (the largest generated crates)");
        match fleet_models(
            &root,
            &settings,
            models_dir.as_deref(),
            fresh_per_model,
            &codegen_bin,
        )? {
            None => skip(&mut results, "workload 7: ../shared/aws-models is missing"),
            Some(models) => {
                for model in &models {
                    step(&format!("workload 7: {}", model.service));
                    results.fleet.push(compile::fleet_crate(&root, model)?);
                }
                save(&target, Group::FleetCompile, &results, &date)?;
            }
        }
    }

    if runs(Group::FiveServices) {
        step("workload 8: a program calling five services, clean release builds");
        if models_dir.is_none() {
            skip(&mut results, "workload 8: ../shared/aws-models is missing");
        } else {
            results.five = Some(compile::five_services(&root, &settings.program_services)?);
            save(&target, Group::FiveServices, &results, &date)?;
        }
    }

    // Workload 5 takes minutes and changes only with the dependencies, so its results are
    // kept in target/bench/build-cost/ and reused by `--no-build-cost` (and `--quick`).
    let build_saved = target.join(Group::BuildCost.dir());
    if runs(Group::BuildCost) {
        step("workload 5: clean release builds of a minimal get_stage program");
        for side in [Side::Ours, Side::Official] {
            let cost = build_cost(&root, side)?;
            cost.save(&build_saved.join(format!("{}.txt", side.name())), &date)?;
            match side {
                Side::Ours => results.build_ours = Some(cost),
                Side::Official => results.build_official = Some(cost),
            }
        }
    } else if let (Some((ours, saved_date)), Some((official, _))) = (
        BuildCost::load(&build_saved.join("ours.txt")),
        BuildCost::load(&build_saved.join("official.txt")),
    ) {
        println!("\n==> workload 5: reusing the clean-build results of {saved_date}");
        results.build_ours = Some(ours);
        results.build_official = Some(official);
        results
            .reused
            .push((Group::BuildCost.label().to_string(), saved_date));
    }

    // Everything else this run did not measure: the last saved results, if any.
    for group in Group::ALL {
        if group == Group::BuildCost || runs(group) {
            continue;
        }
        if let Some(saved) = Saved::load(&saved_path(&target, group)) {
            println!(
                "\n==> {}: reusing the results of {}",
                group.label(),
                saved.date
            );
            saved::restore(group, &saved, &mut results);
            results
                .reused
                .push((group.label().to_string(), saved.date.clone()));
        }
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

/// Workloads 1, 2 and 4: both criterion benches, then their medians.
fn micro(
    settings: &Settings,
    root: &Path,
    target: &Path,
    compare_manifest: &Path,
    results: &mut Results,
) -> Result<(), String> {
    let criterion_home = target.join("criterion");
    for group in ["get_stage_parse", "get_stage_request", "codegen"] {
        let _ = std::fs::remove_dir_all(criterion_home.join(group));
    }
    let criterion_args = settings.criterion_args();
    run_status(
        bench_cargo(root, target)
            .env("CRITERION_HOME", &criterion_home)
            .args(["bench", "-p", "bench", "--bench", "ours", "--"])
            .args(&criterion_args),
    )?;
    run_status(
        bench_cargo(root, target)
            .env("CRITERION_HOME", &criterion_home)
            .args(["bench", "--bench", "official", "--manifest-path"])
            .arg(compare_manifest)
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
    Ok(())
}

fn saved_path(target: &Path, group: Group) -> PathBuf {
    target.join(group.dir()).join("results.txt")
}

fn save(target: &Path, group: Group, results: &Results, date: &str) -> Result<(), String> {
    saved::store(group, results, date).save(&saved_path(target, group))
}

fn skip(results: &mut Results, why: &str) {
    println!("  skipped: {why}");
    results.skipped.push(why.to_string());
}

/// Workload 7's models: `--fleet-services`, else the [`FLEET_CRATES`] with the most
/// generated lines among `../shared/aws-models` (this run's workload 9 when it covered every
/// model, else a `bench-codegen all` run now). `None`: the models are not there.
fn fleet_models(
    root: &Path,
    settings: &Settings,
    models_dir: Option<&Path>,
    per_model: Option<Vec<(String, usize)>>,
    codegen_bin: &Path,
) -> Result<Option<Vec<compile::ServiceModel>>, String> {
    let Some(dir) = models_dir else {
        return Ok(None);
    };
    let known = crate::fleet::fleet_models(root, None)?;
    let model = |name: &str| {
        known
            .iter()
            .find(|m| m.service == name)
            .map(|m| compile::ServiceModel {
                service: m.service.clone(),
                path: m.path.clone(),
            })
            .ok_or_else(|| format!("workload 7: no model for service `{name}`"))
    };
    if !settings.fleet_services.is_empty() {
        return settings
            .fleet_services
            .iter()
            .map(|name| model(name))
            .collect::<Result<Vec<_>, _>>()
            .map(Some);
    }
    let mut sizes = match per_model {
        Some(sizes) => sizes,
        None => {
            println!(
                "  generated lines per model (bench-codegen all {})",
                dir.display()
            );
            codegen_speed::all_models(codegen_bin, dir, None)?
                .models
                .into_iter()
                .map(|m| (m.service, m.lines))
                .collect()
        }
    };
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let largest: Vec<String> = sizes
        .iter()
        .take(FLEET_CRATES)
        .map(|(name, lines)| format!("{name} ({lines} lines)"))
        .collect();
    println!("  the largest generated crates: {}", largest.join(", "));
    sizes
        .iter()
        .take(FLEET_CRATES)
        .map(|(name, _)| model(name))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str]) -> Settings {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            args: Args,
        }
        let cli = Cli::try_parse_from(std::iter::once("bench").chain(args.iter().copied()))
            .expect("valid arguments");
        Settings::new(&cli.args)
    }

    #[test]
    fn which_workloads_run() {
        let all = settings(&[]);
        assert!(Group::ALL.iter().all(|g| all.runs(*g)));

        let quick = settings(&["--quick"]);
        for group in [Group::BuildCost, Group::FleetCompile, Group::FiveServices] {
            assert!(!quick.runs(group), "{group:?}");
        }
        assert!(quick.runs(Group::CodegenSpeed) && quick.runs(Group::Https));
        assert_eq!(quick.codegen_speed(), (Some(QUICK_CODEGEN_MODELS), 1));

        let only = settings(&["--only", "2,7", "--quick"]);
        let running: Vec<Group> = Group::ALL.into_iter().filter(|g| only.runs(*g)).collect();
        assert_eq!(running, [Group::Micro, Group::FleetCompile]);
        assert_eq!(only.command, "cargo xtask bench --quick --only 2,7");

        let skips = settings(&["--no-fleet-compile", "--no-five-services", "--no-callgrind"]);
        for group in [Group::FleetCompile, Group::FiveServices, Group::Callgrind] {
            assert!(!skips.runs(group), "{group:?}");
        }
        assert!(skips.runs(Group::BuildCost));
    }

    #[test]
    fn workload_numbers_are_checked() {
        use clap::Parser;
        #[derive(clap::Parser, Debug)]
        struct Cli {
            #[command(flatten)]
            args: Args,
        }
        assert!(Cli::try_parse_from(["bench", "--only", "11"]).is_err());
        assert!(Cli::try_parse_from(["bench", "--only", "x"]).is_err());
    }
}
