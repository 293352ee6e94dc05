//! `cargo xtask fleet [DIR]`: every model of a directory of AWS models (default
//! `../shared/aws-models`, plus `../shared/model/apigatewayv2-2018-11-29.json`) generated
//! with every operation into `target/fleet/<service>/`, then each crate built, linted
//! (`clippy -D warnings`, all targets) and its generated endpoint tests run, in one cargo
//! workspace (`target/fleet/Cargo.toml`, one lock file, one target directory). Writes
//! `FLEET.md`: one row per service.
//!
//! `cargo xtask test` runs [`sample`]: every model generated (each must succeed) and a fixed
//! small set built, linted and tested.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::process::{cargo, step};
use crate::workspace_root;

/// `cargo xtask fleet`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Args {
    /// Directory of Smithy JSON AST models [default: ../shared/aws-models, plus
    /// ../shared/model/apigatewayv2-2018-11-29.json]
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only these services (file names without the date: `sso,eks,sso-oidc`)
    #[arg(long, value_name = "NAME,NAME", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Generate only: no build, clippy or endpoint tests
    #[arg(long)]
    pub no_build: bool,
    /// Where to write the report [default: FLEET.md at the repository root]
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Run what `cargo xtask test` runs instead: every model generated, the fixed sample
    /// built, linted and endpoint-tested; no report
    #[arg(long, conflicts_with_all = ["dir", "only", "no_build", "report"])]
    pub sample: bool,
}

/// The services `cargo xtask test` builds, lints and tests, with what each covers.
pub const SAMPLE: &[(&str, &str)] = &[
    ("sso", "smithy.api#noAuth / @optionalAuth"),
    ("codecatalyst", "smithy.api#httpBearerAuth"),
    (
        "ebs",
        "aws.auth#unsignedPayload, streaming blobs in and out",
    ),
    ("bedrock-runtime", "output event streams"),
    ("kinesis-video", "maps keyed by enums"),
];

/// One model of the fleet.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// The file name without `-YYYY-MM-DD.json` (`sso-oidc`): the folder and package name.
    pub(crate) service: String,
    pub(crate) path: PathBuf,
}

/// What happened to one service.
#[derive(Debug, Clone, Default)]
struct Row {
    service: String,
    /// `None`: generated; `Some(message)`: the generation error.
    generate_error: Option<String>,
    lines: usize,
    build: Option<Step>,
    clippy: Option<Step>,
    /// `(passed, total)`, or `None` when the crate has no endpoint tests.
    endpoint_tests: Option<Step>,
    build_time: Option<Duration>,
}

/// The outcome of one cargo step.
#[derive(Debug, Clone)]
enum Step {
    Passed,
    Failed(String),
    Tests { passed: usize, total: usize },
    NoTests,
    Skipped,
}

impl Step {
    fn cell(&self) -> String {
        match self {
            Step::Passed => "yes".into(),
            Step::Failed(why) => format!("no: {}", table_text(why)),
            Step::Tests { passed, total } => format!("{passed}/{total}"),
            Step::NoTests => "none in model".into(),
            Step::Skipped => "not run".into(),
        }
    }

    fn ok(&self) -> bool {
        match self {
            Step::Passed | Step::NoTests | Step::Skipped => true,
            Step::Tests { passed, total } => passed == total,
            Step::Failed(_) => false,
        }
    }
}

pub fn run(args: &Args) -> Result<(), String> {
    let root = workspace_root();
    if args.sample {
        return match sample(&root)? {
            None => Err("../shared/aws-models not found".into()),
            Some(took) => {
                println!("fleet sample: passed in {:.0} s", took.as_secs_f64());
                Ok(())
            }
        };
    }
    let mut models = fleet_models(&root, args.dir.as_deref())?;
    let total = models.len();
    if !args.only.is_empty() {
        for name in &args.only {
            if !models.iter().any(|m| &m.service == name) {
                return Err(format!("--only: no model for service `{name}`"));
            }
        }
        models.retain(|m| args.only.contains(&m.service));
    }
    let out = root.join("target").join("fleet");
    let report = args.report.clone().unwrap_or_else(|| root.join("FLEET.md"));
    let scope = Scope {
        total,
        chosen: models.len(),
        only: args.only.clone(),
        build: !args.no_build,
        dir: args
            .dir
            .clone()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|| "../shared/aws-models + ../shared/model".into()),
    };
    step(&format!("fleet: generate {} models", models.len()));
    let mut rows = generate_parallel(&root, &out, &models);
    for row in &rows {
        match &row.generate_error {
            None => println!("{}: {} lines", row.service, row.lines),
            Some(e) => println!("{}: error: {e}", row.service),
        }
    }
    write_workspace(&root, &out, &rows)?;
    write_report(&report, &scope, &rows, models.len())?;
    if args.no_build {
        return summary(&rows);
    }
    let target = root.join("target").display().to_string();
    warm_up(&out, &target, &rows)?;
    // Smallest crates first, so a run cut short has built as many as it could.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (rows[i].lines, rows[i].service.clone()));
    for i in order {
        if rows[i].generate_error.is_some() {
            continue;
        }
        step(&format!(
            "fleet: build, clippy, endpoint tests: {}",
            rows[i].service
        ));
        build_one(&out, &target, &mut rows[i], true);
        write_report(&report, &scope, &rows, models.len())?;
    }
    summary(&rows)
}

/// `cargo xtask test`'s fleet step: every model generated (fails on the first that does
/// not), then the [`SAMPLE`] built, linted and endpoint-tested. `None`: the models are not
/// there.
pub fn sample(root: &Path) -> Result<Option<Duration>, String> {
    let Some(dir) = default_dir(root) else {
        return Ok(None);
    };
    let started = Instant::now();
    let models = fleet_models(root, Some(&dir))?;
    // Its own folder: a `cargo xtask fleet` run may be using `target/fleet`.
    let out = root.join("target").join("fleet-sample");
    let rows = generate_parallel(root, &out, &models);
    let failed: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.generate_error
                .as_ref()
                .map(|e| format!("  {}: {e}", r.service))
        })
        .collect();
    println!(
        "generated {} of {} models",
        rows.len() - failed.len(),
        rows.len()
    );
    if !failed.is_empty() {
        return Err(format!(
            "{} models failed to generate:\n{}",
            failed.len(),
            failed.join("\n")
        ));
    }
    let mut sample: Vec<Row> = rows
        .into_iter()
        .filter(|r| SAMPLE.iter().any(|(s, _)| *s == r.service))
        .collect();
    for (service, _) in SAMPLE {
        if !sample.iter().any(|r| r.service == *service) {
            return Err(format!("the fleet sample's model `{service}` is missing"));
        }
    }
    write_workspace(root, &out, &sample)?;
    let target = root.join("target").display().to_string();
    warm_up(&out, &target, &sample)?;
    for row in &mut sample {
        let covers = SAMPLE
            .iter()
            .find(|(s, _)| *s == row.service)
            .map_or("", |(_, c)| c);
        step(&format!("fleet sample: {} ({covers})", row.service));
        build_one(&out, &target, row, false);
    }
    summary(&sample)?;
    Ok(Some(started.elapsed()))
}

/// `../shared/aws-models` beside the checkout, when it exists.
fn default_dir(root: &Path) -> Option<PathBuf> {
    let dir = root.parent()?.join("shared").join("aws-models");
    dir.is_dir().then_some(dir)
}

/// The models of `dir` (default: `../shared/aws-models` and the official ApiGatewayV2
/// model), sorted by service name.
pub(crate) fn fleet_models(root: &Path, dir: Option<&Path>) -> Result<Vec<Model>, String> {
    let (dir, extra) = match dir {
        Some(dir) => (dir.to_path_buf(), None),
        None => {
            let dir = default_dir(root).ok_or("../shared/aws-models not found; pass DIR")?;
            let official = root
                .parent()
                .map(|p| p.join("shared/model/apigatewayv2-2018-11-29.json"))
                .filter(|p| p.exists());
            (dir, official)
        }
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.extend(extra);
    let mut models: Vec<Model> = paths
        .into_iter()
        .map(|path| Model {
            service: service_name(&path),
            path,
        })
        .collect();
    models.sort_by(|a, b| a.service.cmp(&b.service));
    models.dedup_by(|a, b| a.service == b.service);
    if models.is_empty() {
        return Err(format!("no .json models in {}", dir.display()));
    }
    Ok(models)
}

/// `sso-oidc-2019-06-10.json` → `sso-oidc`.
fn service_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11 && {
        let tail = &bytes[bytes.len() - 11..];
        tail[0] == b'-'
            && tail[5] == b'-'
            && tail[8] == b'-'
            && tail
                .iter()
                .enumerate()
                .all(|(i, b)| matches!(i, 0 | 5 | 8) || b.is_ascii_digit())
    };
    if dated {
        stem[..stem.len() - 11].to_string()
    } else {
        stem
    }
}

/// Generates one model into `out/<service>/` (warnings are not printed: the run covers
/// every model).
fn generate_quiet(root: &Path, out: &Path, model: &Model) -> Row {
    let dir = out.join(&model.service);
    let options = codegen::Options {
        models: vec![model.path.clone()],
        operations: codegen::OperationSelection::All,
        crate_name: model.service.clone(),
        runtime: crate::codegen_cmd::default_runtime(&dir),
        service: None,
    };
    let result = codegen::generate(&options)
        .map_err(|e| e.to_string())
        .and_then(|files| {
            codegen::write::write_crate(&dir, &files)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
    finish_generate(root, out, model, result)
}

/// [`generate_quiet`] for every model, on as many threads as there are cores; the rows in
/// the models' order.
fn generate_parallel(root: &Path, out: &Path, models: &[Model]) -> Vec<Row> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut rows: Vec<Option<Row>> = vec![None; models.len()];
    let done = std::sync::Mutex::new(&mut rows);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(model) = models.get(i) else {
                    break;
                };
                let row = generate_quiet(root, out, model);
                if let Ok(mut rows) = done.lock() {
                    rows[i] = Some(row);
                }
            });
        }
    });
    rows.into_iter().flatten().collect()
}

fn finish_generate(_root: &Path, out: &Path, model: &Model, result: Result<(), String>) -> Row {
    let mut row = Row {
        service: model.service.clone(),
        ..Row::default()
    };
    match result {
        Ok(()) => row.lines = count_lines(&out.join(&model.service)),
        Err(e) => row.generate_error = Some(e),
    }
    row
}

/// Lines of every generated file under `dir` (`Cargo.lock` and `target/` aside).
fn count_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut lines = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "Cargo.lock" || name == "target" {
            continue;
        }
        if path.is_dir() {
            lines += count_lines(&path);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            lines += text.lines().count();
        }
    }
    lines
}

/// `target/fleet/Cargo.toml`: a workspace of the generated crates (one lock file, one
/// target directory), with the repository's `Cargo.lock` as its start so the build reuses
/// the versions the repository tests.
fn write_workspace(root: &Path, out: &Path, rows: &[Row]) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("create {}: {e}", out.display()))?;
    let members: Vec<String> = rows
        .iter()
        .filter(|r| r.generate_error.is_none())
        .map(|r| format!("    \"{}\",", r.service))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask fleet`: the generated crates of the fleet run.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    std::fs::write(out.join("Cargo.toml"), manifest)
        .map_err(|e| format!("write {}: {e}", out.join("Cargo.toml").display()))?;
    let lock = root.join("Cargo.lock");
    if lock.exists() && !out.join("Cargo.lock").exists() {
        std::fs::copy(&lock, out.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    }
    Ok(())
}

/// `cargo SUBCOMMAND` on one package of the fleet workspace `out`, in the shared `target`
/// directory, with `extra` arguments after the package.
fn on_package(
    out: &Path,
    target: &str,
    subcommand: &str,
    package: &str,
    extra: &[&str],
) -> Vec<String> {
    let manifest = out.join("Cargo.toml").display().to_string();
    let mut args: Vec<String> = [
        subcommand,
        "--manifest-path",
        &manifest,
        "--target-dir",
        target,
        "-p",
        package,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// Builds the runtime and the dependencies once, so each crate's build time is its own.
fn warm_up(out: &Path, target: &str, rows: &[Row]) -> Result<(), String> {
    if rows.iter().all(|r| r.generate_error.is_some()) {
        return Ok(());
    }
    step("fleet: build the runtime and the dependencies once");
    let args = on_package(out, target, "build", "aws-client-runtime", &[]);
    crate::process::run_status(cargo(out, &[]).args(&args))
}

/// Builds (timed), lints and endpoint-tests one generated crate; `clean`: after removing its
/// build (so the time is a real build's, not a cached one's).
fn build_one(out: &Path, target: &str, row: &mut Row, clean: bool) {
    let package = row.service.clone();
    if clean {
        let _ = run_cargo(out, &on_package(out, target, "clean", &package, &[]));
    }
    let started = Instant::now();
    let build = run_cargo(out, &on_package(out, target, "build", &package, &[]));
    row.build_time = Some(started.elapsed());
    row.build = Some(build.clone());
    if !build.ok() {
        row.clippy = Some(Step::Skipped);
        row.endpoint_tests = Some(Step::Skipped);
        return;
    }
    let lint = ["--all-targets", "--", "-D", "warnings"];
    row.clippy = Some(run_cargo(
        out,
        &on_package(out, target, "clippy", &package, &lint),
    ));
    let has_tests = out
        .join(&row.service)
        .join("tests")
        .join("endpoint_tests.rs")
        .exists();
    row.endpoint_tests = Some(if !has_tests {
        Step::NoTests
    } else {
        endpoint_tests(
            out,
            &on_package(out, target, "test", &package, &["--test", "endpoint_tests"]),
        )
    });
}

/// Runs a cargo command; on failure, the first error line of its output.
fn run_cargo(dir: &Path, args: &[String]) -> Step {
    let shown = format!("cargo {}", args.join(" "));
    println!("{shown}");
    match cargo(dir, &[]).args(args).output() {
        Err(e) => Step::Failed(format!("cannot run {shown}: {e}")),
        Ok(output) if output.status.success() => Step::Passed,
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            eprint!("{stderr}");
            Step::Failed(first_error(&stderr))
        }
    }
}

/// The first `error`/`warning` line (with its `-->` location) of cargo's output.
fn first_error(stderr: &str) -> String {
    let mut lines = stderr.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("error") || line.starts_with("warning: unused") {
            let location = lines
                .clone()
                .find(|l| l.trim_start().starts_with("-->"))
                .map(|l| format!(" ({})", l.trim_start().trim_start_matches("--> ")))
                .unwrap_or_default();
            return format!("{line}{location}");
        }
    }
    stderr.lines().last().unwrap_or("failed").to_string()
}

fn endpoint_tests(out: &Path, args: &[String]) -> Step {
    println!("cargo {}", args.join(" "));
    let output = match cargo(out, &[]).args(args).output() {
        Ok(output) => output,
        Err(e) => return Step::Failed(format!("cannot run cargo test: {e}")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let counts = stdout
        .lines()
        .find_map(|l| l.strip_prefix("test result: "))
        .and_then(parse_test_result);
    match counts {
        Some((passed, failed)) => {
            if failed > 0 {
                print!("{stdout}");
            }
            Step::Tests {
                passed,
                total: passed + failed,
            }
        }
        None => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            eprint!("{stderr}");
            Step::Failed(first_error(&stderr))
        }
    }
}

/// `ok. 12 passed; 1 failed; 0 ignored; ...` → (12, 1).
fn parse_test_result(line: &str) -> Option<(usize, usize)> {
    let count = |word: &str| -> Option<usize> {
        line.split(';')
            .find(|part| part.trim().ends_with(word))?
            .split_whitespace()
            .rev()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((count("passed")?, count("failed")?))
}

/// Text for one table cell: one line, no `|`, at most 160 characters.
fn table_text(text: &str) -> String {
    let one_line: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|");
    if one_line.chars().count() > 160 {
        let cut: String = one_line.chars().take(157).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

struct Scope {
    total: usize,
    chosen: usize,
    only: Vec<String>,
    build: bool,
    dir: String,
}

fn write_report(path: &Path, scope: &Scope, rows: &[Row], planned: usize) -> Result<(), String> {
    let built = rows.iter().filter(|r| r.build.is_some()).count();
    let to_build = rows.iter().filter(|r| r.generate_error.is_none()).count();
    let mut md = String::new();
    let date = crate::process::stdout_if_ok(
        std::process::Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]),
    )
    .unwrap_or_default();
    let commit = crate::process::stdout_if_ok(std::process::Command::new("git").args([
        "describe",
        "--always",
        "--dirty",
        "--abbrev=10",
    ]))
    .unwrap_or_else(|| "unknown".into());
    let _ = writeln!(md, "# Fleet\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask fleet` ({date}, generator at commit `{commit}`) from {}: every model generated with `--operations all` into `target/fleet/<service>/`, then built (`cargo build`, smallest crates first), linted (`cargo clippy --all-targets -- -D warnings`) and its generated endpoint tests run (`cargo test --test endpoint_tests`), in one cargo workspace (`target/fleet/Cargo.toml`) sharing the repository's target directory. Build time is the wall time of the crate's `cargo build` (after `cargo clean -p` of the crate; the runtime and the dependencies were built once before), on the machine it ran on.\n",
        scope.dir
    );
    let _ = writeln!(
        md,
        "Scope: {} of the {} models{}; {}.\n",
        scope.chosen,
        scope.total,
        if scope.only.is_empty() {
            String::new()
        } else {
            format!(" (`--only {}`)", scope.only.join(","))
        },
        if !scope.build {
            "generated only (`--no-build`): nothing was built".to_string()
        } else if built < to_build {
            format!(
                "built {built} of the {to_build} generated so far; the rest were not built (not run)"
            )
        } else {
            format!("all {to_build} generated crates built")
        }
    );
    let generated = rows.iter().filter(|r| r.generate_error.is_none()).count();
    let passed = |f: fn(&Row) -> &Option<Step>| {
        rows.iter()
            .filter(|r| matches!(f(r), Some(s) if s.ok() && !matches!(s, Step::Skipped)))
            .count()
    };
    let (tests_passed, tests_total) =
        rows.iter()
            .fold((0, 0), |(p, t), r| match &r.endpoint_tests {
                Some(Step::Tests { passed, total }) => (p + passed, t + total),
                _ => (p, t),
            });
    let _ = writeln!(
        md,
        "Totals: generated {generated}/{}; builds {}/{built}; clippy clean {}/{built}; endpoint tests {tests_passed}/{tests_total}; {} lines generated.\n",
        rows.len().max(planned),
        passed(|r| &r.build),
        passed(|r| &r.clippy),
        rows.iter().map(|r| r.lines).sum::<usize>(),
    );
    let _ = writeln!(
        md,
        "| service | generated | builds | clippy | endpoint tests | lines | build time |"
    );
    let _ = writeln!(md, "| --- | --- | --- | --- | --- | ---: | ---: |");
    for row in rows {
        let cell = |s: &Option<Step>| s.as_ref().map_or("not run".to_string(), Step::cell);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.service,
            match &row.generate_error {
                None => "yes".to_string(),
                Some(e) => format!("error: {}", table_text(e)),
            },
            cell(&row.build),
            cell(&row.clippy),
            cell(&row.endpoint_tests),
            row.lines,
            row.build_time
                .map_or("-".to_string(), |t| format!("{:.1} s", t.as_secs_f64())),
        );
    }
    std::fs::write(path, md).map_err(|e| format!("write {}: {e}", path.display()))
}

/// Fails when any service failed a step.
fn summary(rows: &[Row]) -> Result<(), String> {
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| {
            r.generate_error.is_some()
                || [&r.build, &r.clippy, &r.endpoint_tests]
                    .iter()
                    .any(|s| s.as_ref().is_some_and(|s| !s.ok()))
        })
        .map(|r| r.service.as_str())
        .collect();
    if failed.is_empty() {
        println!("\nfleet: {} services, every step passed", rows.len());
        Ok(())
    } else {
        Err(format!(
            "fleet: {} of {} services failed a step: {}",
            failed.len(),
            rows.len(),
            failed.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_drop_the_date() {
        assert_eq!(
            service_name(Path::new("a/sso-oidc-2019-06-10.json")),
            "sso-oidc"
        );
        assert_eq!(
            service_name(Path::new("resource-explorer-2-2022-07-28.json")),
            "resource-explorer-2"
        );
        assert_eq!(service_name(Path::new("plain.json")), "plain");
        assert_eq!(service_name(Path::new("x-2019-1a-10.json")), "x-2019-1a-10");
    }

    #[test]
    fn reads_test_results() {
        assert_eq!(
            parse_test_result(
                "ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s"
            ),
            Some((12, 0))
        );
        assert_eq!(
            parse_test_result("FAILED. 3 passed; 2 failed; 1 ignored; 0 measured"),
            Some((3, 2))
        );
        assert_eq!(parse_test_result("garbage"), None);
    }

    #[test]
    fn cells_stay_on_one_line() {
        assert_eq!(table_text("a | b\n\n c"), "a \\| b c");
        assert_eq!(table_text(&"x".repeat(200)).chars().count(), 160);
        assert_eq!(
            first_error("   Compiling x\nerror[E0308]: mismatched types\n  --> src/a.rs:1:2\n"),
            "error[E0308]: mismatched types (src/a.rs:1:2)"
        );
    }
}
