//! `cargo xtask fuzz [TARGET] [--secs N]`: runs the cargo-fuzz targets in `tests/fuzz/`.
//!
//! Fuzzing needs a nightly toolchain and `cargo-fuzz`. When either is missing, this installs
//! it (`rustup toolchain install nightly`, `cargo install cargo-fuzz`) if it can, and otherwise
//! stops with a message saying what to install. Each target runs for `--secs` seconds
//! (default 60) from its committed seed corpus (`tests/fuzz/corpus/<target>/`, read only); new
//! inputs go to `<target-dir>/fuzz-corpus/<target>/` and crashes to
//! `<target-dir>/fuzz-artifacts/<target>/`. A summary of executions and coverage per target
//! is printed at the end; any crash makes the command fail and names the input.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::process::succeeds;
use crate::workspace_root;

/// Extra libFuzzer flags per target (paths relative to the workspace root).
const TARGET_FLAGS: &[(&str, &[&str])] = &[
    (
        "model_bytes",
        &["-max_len=65536", "-dict=tests/fuzz/dict/model.dict"],
    ),
    ("model_mutate", &["-max_len=4096", "-len_control=0"]),
    (
        "get_stage_response",
        &["-max_len=8192", "-dict=tests/fuzz/dict/response.dict"],
    ),
    (
        "error_response",
        &["-max_len=8192", "-dict=tests/fuzz/dict/response.dict"],
    ),
    ("request_serialize", &["-max_len=1024"]),
    (
        "endpoint_resolve",
        &["-max_len=1024", "-dict=tests/fuzz/dict/endpoint.dict"],
    ),
];

/// `cargo xtask fuzz [TARGET] [--secs N]`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Run only this target (a file stem of tests/fuzz/fuzz_targets/); default: every target
    pub target: Option<String>,
    /// Seconds to fuzz each target
    #[arg(long, value_name = "N", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub secs: u64,
}

/// One target's outcome, from libFuzzer's output.
#[derive(Default)]
struct Outcome {
    target: String,
    runs: Option<String>,
    seconds: Option<String>,
    /// The last `cov: .. ft: .. corp: ..` status line.
    stats: Option<String>,
    crash: Option<String>,
    ok: bool,
}

pub fn run(settings: &Args) -> Result<(), String> {
    let root = workspace_root();
    let fuzz_dir = root.join("tests").join("fuzz");
    let available = targets(&fuzz_dir)?;
    let selected: Vec<String> = match &settings.target {
        Some(t) if available.contains(t) => vec![t.clone()],
        Some(t) => {
            return Err(format!(
                "no fuzz target `{t}` (targets: {})",
                available.join(", ")
            ))
        }
        None => available,
    };

    let toolchain = ensure_nightly()?;
    ensure_cargo_fuzz(&toolchain)?;

    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let mut outcomes = Vec::new();
    for target in &selected {
        outcomes.push(run_target(
            &root,
            &fuzz_dir,
            &target_dir,
            &toolchain,
            target,
            settings.secs,
        )?);
    }

    println!("\n==> fuzzing summary ({} s per target)", settings.secs);
    for o in &outcomes {
        println!(
            "  {:<20} {:<6} runs: {:<10} time: {:<5} {}",
            o.target,
            if o.ok { "ok" } else { "CRASH" },
            o.runs.as_deref().unwrap_or("?"),
            o.seconds
                .as_deref()
                .map(|s| format!("{s}s"))
                .unwrap_or_else(|| "?".into()),
            o.stats.as_deref().unwrap_or(""),
        );
        if let Some(crash) = &o.crash {
            println!("  {:<20} input: {crash}", "");
        }
    }
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.ok)
        .map(|o| o.target.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzz targets failed: {} (reproduce with `cargo +nightly fuzz run --fuzz-dir tests/fuzz TARGET INPUT`)",
            failed.join(", ")
        ))
    }
}

/// The targets: `tests/fuzz/fuzz_targets/*.rs`, sorted.
fn targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let dir = fuzz_dir.join("fuzz_targets");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    Ok(names)
}

/// How to run the nightly toolchain: `rustup run nightly ...`, or the plain tools when the
/// active toolchain is already nightly and rustup is absent.
#[derive(Clone)]
enum Toolchain {
    Rustup,
    Plain,
}

impl Toolchain {
    fn cargo(&self) -> Command {
        let mut command = match self {
            Toolchain::Rustup => {
                let mut c = Command::new("rustup");
                c.args(["run", "nightly", "cargo"]);
                c
            }
            Toolchain::Plain => Command::new("cargo"),
        };
        // `cargo xtask` runs under the stable toolchain; do not let its settings leak in.
        for var in [
            "RUSTC",
            "RUSTDOC",
            "RUSTUP_TOOLCHAIN",
            "CARGO",
            "RUSTC_WRAPPER",
        ] {
            command.env_remove(var);
        }
        command
    }
}

fn ensure_nightly() -> Result<Toolchain, String> {
    let rustup_nightly =
        || succeeds(Command::new("rustup").args(["run", "nightly", "rustc", "--version"]));
    if rustup_nightly() {
        return Ok(Toolchain::Rustup);
    }
    let plain_is_nightly = Command::new("rustc")
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("nightly"));
    if plain_is_nightly {
        return Ok(Toolchain::Plain);
    }
    if succeeds(Command::new("rustup").arg("--version")) {
        println!("==> installing the nightly toolchain (cargo-fuzz needs it)");
        let installed = Command::new("rustup")
            .args(["toolchain", "install", "nightly", "--profile", "minimal"])
            .status()
            .is_ok_and(|s| s.success());
        if installed && rustup_nightly() {
            return Ok(Toolchain::Rustup);
        }
        return Err(
            "fuzzing needs a nightly Rust toolchain and `rustup toolchain install nightly` \
                    failed; install it by hand and rerun `cargo xtask fuzz`"
                .to_string(),
        );
    }
    Err(
        "fuzzing needs a nightly Rust toolchain (libFuzzer instrumentation is nightly only) and \
         rustup is not installed; install rustup and `rustup toolchain install nightly`"
            .to_string(),
    )
}

fn ensure_cargo_fuzz(toolchain: &Toolchain) -> Result<(), String> {
    let present = || succeeds(toolchain.cargo().args(["fuzz", "--version"]));
    if present() {
        return Ok(());
    }
    println!("==> installing cargo-fuzz (cargo install cargo-fuzz --locked)");
    let installed = toolchain
        .cargo()
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .is_ok_and(|s| s.success());
    if installed && present() {
        return Ok(());
    }
    Err(
        "fuzzing needs cargo-fuzz and `cargo install cargo-fuzz` failed (offline?); install it \
         by hand and rerun `cargo xtask fuzz`"
            .to_string(),
    )
}

fn run_target(
    root: &Path,
    fuzz_dir: &Path,
    target_dir: &Path,
    toolchain: &Toolchain,
    target: &str,
    secs: u64,
) -> Result<Outcome, String> {
    println!("\n==> fuzz {target} for {secs} s");
    let work = target_dir.join("fuzz-corpus").join(target);
    let artifacts = target_dir.join("fuzz-artifacts").join(target);
    for dir in [&work, &artifacts] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let seeds = fuzz_dir.join("corpus").join(target);

    let mut command = toolchain.cargo();
    command
        .current_dir(root)
        .args(["fuzz", "run", "--fuzz-dir"])
        .arg(fuzz_dir)
        .arg("--target-dir")
        .arg(target_dir.join("fuzz"))
        // Safe Rust: the sanitizer finds little and costs half the executions. Debug
        // assertions and overflow checks stay on (cargo-fuzz's default).
        .args(["--sanitizer", "none", target])
        .arg(&work);
    if seeds.is_dir() {
        command.arg(&seeds);
    }
    command
        .arg("--")
        .arg(format!("-max_total_time={secs}"))
        .arg("-timeout=30")
        .arg("-rss_limit_mb=2048")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    for (name, flags) in TARGET_FLAGS {
        if *name == target {
            command.args(flags.iter().map(|f| absolute_flag(root, f)));
        }
    }
    command.stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;

    let mut outcome = Outcome {
        target: target.to_string(),
        ..Outcome::default()
    };
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            read_line(&line, &mut outcome);
        }
    }
    let status = child.wait().map_err(|e| format!("cargo fuzz: {e}"))?;
    outcome.ok = status.success() && outcome.crash.is_none();
    if !status.success() && outcome.runs.is_none() && outcome.crash.is_none() {
        return Err(format!(
            "cargo fuzz could not run `{target}` ({status}); see the output above"
        ));
    }
    Ok(outcome)
}

/// `-dict=relative/path` → an absolute path (cargo fuzz runs the binary from the fuzz dir).
fn absolute_flag(root: &Path, flag: &str) -> String {
    match flag.split_once('=') {
        Some((name @ "-dict", path)) => format!("{name}={}", root.join(path).display()),
        _ => flag.to_string(),
    }
}

fn read_line(line: &str, outcome: &mut Outcome) {
    if let Some(rest) = line.strip_prefix("Done ") {
        // "Done 70432 runs in 31 second(s)"
        let mut words = rest.split_whitespace();
        outcome.runs = words.next().map(str::to_string);
        outcome.seconds = words.nth(2).map(str::to_string);
    } else if let Some(at) = line.find("cov: ") {
        if line.contains("ft: ") {
            outcome.stats = Some(
                line[at..]
                    .split(" exec/s")
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
            );
        }
    } else if let Some(at) = line.find("Test unit written to ") {
        outcome.crash = Some(
            line[at + "Test unit written to ".len()..]
                .trim()
                .to_string(),
        );
    } else if let Some(rest) = line.strip_prefix("stat::number_of_executed_units: ") {
        outcome.runs.get_or_insert_with(|| rest.trim().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn parse(argv: &[&str]) -> Result<Args, clap::Error> {
        use clap::Parser;
        Cli::try_parse_from(std::iter::once("fuzz").chain(argv.iter().copied())).map(|c| c.args)
    }

    #[test]
    fn parses_arguments() {
        let s = parse(&["model_bytes", "--secs", "600"]).unwrap();
        assert_eq!(s.target.as_deref(), Some("model_bytes"));
        assert_eq!(s.secs, 600);
        assert_eq!(parse(&[]).unwrap().secs, 60);
        assert!(parse(&["--secs"]).is_err());
        assert!(parse(&["--secs", "0"]).is_err());
        assert!(parse(&["a", "b"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }

    #[test]
    fn reads_libfuzzer_output() {
        let mut o = Outcome::default();
        read_line(
            "#1386\tDONE   cov: 14245 ft: 33215 corp: 131/460b lim: 4 exec/s: 44 rss: 55Mb",
            &mut o,
        );
        read_line("Done 1386 runs in 31 second(s)", &mut o);
        assert_eq!(o.runs.as_deref(), Some("1386"));
        assert_eq!(o.seconds.as_deref(), Some("31"));
        assert_eq!(
            o.stats.as_deref(),
            Some("cov: 14245 ft: 33215 corp: 131/460b lim: 4")
        );
        read_line("Test unit written to /t/fuzz-artifacts/x/crash-abc", &mut o);
        assert_eq!(o.crash.as_deref(), Some("/t/fuzz-artifacts/x/crash-abc"));
    }

    #[test]
    fn every_target_has_a_seed_corpus() {
        let fuzz_dir = workspace_root().join("tests").join("fuzz");
        for target in targets(&fuzz_dir).unwrap() {
            let seeds = fuzz_dir.join("corpus").join(&target);
            let count = std::fs::read_dir(&seeds).map(|d| d.count()).unwrap_or(0);
            assert!(count > 0, "{target} has no seeds in {}", seeds.display());
        }
    }
}
