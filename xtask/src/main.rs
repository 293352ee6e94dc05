//! `cargo xtask <command>`: a thin CLI over the `codegen` library plus the project's test,
//! benchmark and fuzz runs. Arguments are parsed by clap; see `cargo xtask --help` and
//! `cargo xtask <command> --help`.

mod bench;
mod codegen_cmd;
mod fleet;
mod fuzz;
mod moto;
mod process;
mod test_cmd;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// Generation allocates a token per identifier; glibc malloc was a third of its time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Project automation: code generation, the CI run, benchmarks and fuzzing"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerate generated/apigatewayv2 and the test crates from their models, or one crate
    /// from --model files
    Codegen(codegen_cmd::Args),
    /// Run everything CI runs: codegen --check, fmt, clippy, tests, the official model
    Test(test_cmd::Args),
    /// Generate every AWS model of a directory, build, lint and endpoint-test each crate;
    /// writes FLEET.md
    Fleet(fleet::Args),
    /// Run the benchmarks side by side with the official SDK; writes BENCHMARKS.md
    Bench(bench::Args),
    /// Run the cargo-fuzz targets (installs cargo-fuzz and uses nightly when it can)
    Fuzz(fuzz::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Codegen(args)) => codegen_cmd::run(&args),
        Some(Command::Test(args)) => test_cmd::run(&args),
        Some(Command::Fleet(args)) => fleet::run(&args),
        Some(Command::Bench(args)) => bench::run(&args),
        Some(Command::Fuzz(args)) => fuzz::run(&args),
        None => Cli::command().print_help().map_err(|e| e.to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn unknown_options_are_refused_with_a_suggestion() {
        let err = Cli::try_parse_from(["cargo xtask", "codegen", "--chek"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(err.to_string().contains("--check"), "{err}");
    }
}
