//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::workspace_root;

/// The hand-written packages; generated crates are formatted by prettyplease, not rustfmt.
const HAND_WRITTEN: &[&str] = &["codegen", "aws-client-runtime", "xtask", "tests", "bench"];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no options (got `{other}`)"
        ));
    }
    let root = workspace_root();

    step("codegen --check");
    crate::codegen_cmd::run(&["--check".to_string()])?;

    step("cargo fmt --check");
    let mut fmt = cargo(&root, &["fmt", "--check"]);
    for package in HAND_WRITTEN {
        fmt.args(["-p", package]);
    }
    run_command(fmt)?;

    step("cargo clippy --workspace -- -D warnings (libraries with default features, then all targets and features)");
    run_command(cargo(
        &root,
        &["clippy", "--workspace", "--", "-D", "warnings"],
    ))?;
    run_command(cargo(
        &root,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    ))?;

    // Users who plug in their own HTTP stack build without the default client.
    run_command(cargo(
        &root,
        &[
            "clippy",
            "-p",
            "apigatewayv2",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ],
    ))?;

    let moto_python = crate::moto::ensure_moto(&root)?;

    step("cargo test --workspace");
    let mut test = cargo(&root, &["test", "--workspace", "--all-features"]);
    test.env("INSTA_UPDATE", "no");
    if let Some(python) = &moto_python {
        test.env("MOTO_PYTHON", python);
    }
    run_command(test)?;

    official_model(&root)?;
    println!("\nxtask test: all steps passed");
    Ok(())
}

/// Generates the official full model (every operation) and builds and tests it, when
/// `../shared/model` exists.
fn official_model(root: &Path) -> Result<(), String> {
    let Some(model) = official_model_path(root) else {
        println!("\n==> official model: skipped (../shared/model/apigatewayv2-2018-11-29.json not found)");
        return Ok(());
    };
    step("official model: generate all operations, clippy, and run its endpoint tests");
    let out = root.join("target").join("official").join("apigatewayv2");
    crate::codegen_cmd::run(&[
        "--model".to_string(),
        model.display().to_string(),
        "--operations".to_string(),
        "all".to_string(),
        "--out".to_string(),
        out.display().to_string(),
        "--crate-name".to_string(),
        "apigatewayv2".to_string(),
    ])?;
    // Resolve with the workspace's lock file so the build reuses the workspace's compiled
    // dependencies in the shared target directory.
    let lock = root.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, out.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    }
    let manifest = out.join("Cargo.toml").display().to_string();
    let target_dir = root.join("target").display().to_string();
    run_command(cargo(
        root,
        &[
            "clippy",
            "--manifest-path",
            &manifest,
            "--target-dir",
            &target_dir,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run_command(cargo(
        root,
        &[
            "test",
            "--manifest-path",
            &manifest,
            "--target-dir",
            &target_dir,
        ],
    ))
}

/// `../shared/model/apigatewayv2-2018-11-29.json` beside the checkout.
pub fn official_model_path(root: &Path) -> Option<PathBuf> {
    let path = root
        .parent()?
        .join("shared")
        .join("model")
        .join("apigatewayv2-2018-11-29.json");
    path.exists().then_some(path)
}

fn step(name: &str) {
    println!("\n==> {name}");
}

fn cargo(root: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()));
    command.current_dir(root).args(args);
    command
}

pub fn run_command(mut command: Command) -> Result<(), String> {
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
