//! `cargo xtask <command>`: a thin CLI over the `codegen` library plus the project's test
//! and benchmark runs. See `cargo xtask help`.

mod bench;
mod codegen_cmd;
mod fuzz;
mod moto;
mod test_cmd;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  codegen [--check] [--model PATH]... [--operations NAME,NAME|all] [--out DIR] [--crate-name NAME]
        regenerate generated/apigatewayv2 (and the test crates) from model/;
        with --model, generate one crate from the given model files instead
        (--out is then required). --check writes nothing and fails, naming each
        stale file, when the committed output differs.
  test  run everything CI runs (codegen --check, fmt, clippy, tests, the official model)
  fuzz [TARGET] [--secs N]
        run the cargo-fuzz targets (installs cargo-fuzz and uses nightly when it can)
  bench run the benchmarks side by side with the official SDK; writes BENCHMARKS.md
  help  print this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_cmd::run(&args[1..]),
        Some("test") => test_cmd::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| std::path::PathBuf::from("."))
}
