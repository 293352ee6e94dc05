//! `cargo xtask codegen`.

use std::path::{Path, PathBuf};

use codegen::runtime::RuntimeDependency;
use codegen::{OperationSelection, Options};

/// `cargo xtask codegen`: without `--model`, every crate the repository commits
/// (`codegen::project::PROJECT_CRATES`); with `--model`, one crate into `--out`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Args {
    /// Write nothing; fail, naming each stale file, when the output on disk differs
    #[arg(long)]
    pub check: bool,
    /// Generate one crate from this model file instead (repeatable; merged in order)
    #[arg(long = "model", value_name = "PATH", requires = "out")]
    pub models: Vec<PathBuf>,
    /// Operations to generate with --model: NAME,NAME or `all` [default: all]
    #[arg(long, value_name = "NAME,NAME|all", value_parser = parse_operations, requires = "models")]
    pub operations: Option<OperationSelection>,
    /// Output folder of the crate generated with --model
    #[arg(long, value_name = "DIR", requires = "models")]
    pub out: Option<PathBuf>,
    /// Package name of the crate generated with --model [default: the --out folder's name]
    #[arg(long, value_name = "NAME", requires = "models")]
    pub crate_name: Option<String>,
    /// Where the crate generated with --model gets the runtime: `path=DIR`, `version=X.Y.Z`
    /// or `git=URL[#REV]` [default: this checkout's codegen/runtime, by path]
    #[arg(long, value_name = "SOURCE", value_parser = RuntimeDependency::parse, requires = "models")]
    pub runtime: Option<RuntimeDependency>,
    /// The service to generate with --model, as a shape id (`namespace#Name`); needed when
    /// the model holds more than one service
    #[arg(long, value_name = "SHAPE_ID", requires = "models")]
    pub service: Option<String>,
}

pub fn run(args: &Args) -> Result<(), String> {
    let check = args.check;
    if args.models.is_empty() {
        let root = crate::workspace_root();
        for krate in codegen::project::PROJECT_CRATES {
            generate_one(
                || krate.generate_with_warnings(&root),
                &root.join(krate.out),
                check,
                &root,
            )?;
        }
        return partition_table(&root, check);
    }
    let out = args
        .out
        .clone()
        .ok_or("--out DIR is required with --model")?;
    let crate_name = args
        .crate_name
        .clone()
        .unwrap_or_else(|| default_crate_name(&out));
    let runtime = args
        .runtime
        .clone()
        .unwrap_or_else(|| default_runtime(&out));
    let options = Options {
        models: args.models.clone(),
        operations: args.operations.clone().unwrap_or(OperationSelection::All),
        crate_name,
        runtime,
        service: args.service.clone(),
    };
    generate_one(
        || codegen::generate_with_warnings(&options),
        &out,
        check,
        Path::new(""),
    )
}

/// The runtime of this checkout, by path: relative when `out` is inside the workspace (so the
/// crate can join it), absolute otherwise (so a crate written anywhere builds).
pub(crate) fn default_runtime(out: &Path) -> RuntimeDependency {
    let root = crate::workspace_root();
    let absolute_out = std::env::current_dir()
        .map(|cwd| cwd.join(out))
        .unwrap_or_else(|_| out.to_path_buf());
    // Lexically, since `out` may not exist yet.
    let normalized = absolute_out
        .components()
        .fold(PathBuf::new(), |mut path, part| {
            match part {
                std::path::Component::ParentDir => {
                    path.pop();
                }
                std::path::Component::CurDir => {}
                other => path.push(other),
            }
            path
        });
    let runtime_dir = Path::new(codegen::project::RUNTIME_DIR);
    match normalized.strip_prefix(&root) {
        Ok(inside) => RuntimeDependency::path_from(inside, runtime_dir),
        Err(_) => RuntimeDependency::Path(root.join(runtime_dir)),
    }
}

fn parse_operations(text: &str) -> Result<OperationSelection, String> {
    if text == "all" {
        return Ok(OperationSelection::All);
    }
    let names: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if names.is_empty() {
        return Err("--operations needs NAME,NAME or all".to_string());
    }
    Ok(OperationSelection::Named(names))
}

fn default_crate_name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "generated".to_string())
}

/// The runtime's partition table, from `model/partitions.json`: written, or checked.
fn partition_table(root: &Path, check: bool) -> Result<(), String> {
    use codegen::endpoint::partitions::{render, PARTITIONS_JSON, PARTITIONS_RS};
    let json = std::fs::read_to_string(root.join(PARTITIONS_JSON))
        .map_err(|e| format!("{PARTITIONS_JSON}: {e}"))?;
    let rs = render(&json).map_err(|e| e.to_string())?;
    let path = root.join(PARTITIONS_RS);
    let fresh = std::fs::read_to_string(&path).is_ok_and(|old| old == rs);
    if check {
        if !fresh {
            return Err(format!(
                "generated code is stale; run `cargo xtask codegen`:\n  {PARTITIONS_RS}"
            ));
        }
        println!("{PARTITIONS_RS}: up to date");
    } else {
        if !fresh {
            std::fs::write(&path, rs).map_err(|e| format!("{PARTITIONS_RS}: {e}"))?;
        }
        println!(
            "{PARTITIONS_RS}: {}",
            if fresh { "unchanged" } else { "written" }
        );
    }
    Ok(())
}

/// Generates one crate and writes it, or checks it. Paths in messages are shown relative to
/// `shown_from` when they are under it.
fn generate_one(
    generate: impl FnOnce() -> codegen::Result<codegen::Generated>,
    out: &Path,
    check: bool,
    shown_from: &Path,
) -> Result<(), String> {
    let relative = |p: &Path| -> String {
        p.strip_prefix(shown_from)
            .unwrap_or(p)
            .display()
            .to_string()
    };
    let shown = |mut e: codegen::CodegenError| {
        if let Some(file) = &e.file {
            e.file = Some(PathBuf::from(relative(file)));
        }
        e.to_string()
    };
    let generated = generate().map_err(shown)?;
    for warning in generated.warnings {
        eprintln!("warning: {}", shown(warning));
    }
    let files = generated.files;
    if check {
        let stale = codegen::write::stale_files(out, &files);
        if !stale.is_empty() {
            let list: Vec<String> = stale.iter().map(|p| format!("  {}", relative(p))).collect();
            return Err(format!(
                "generated code is stale; run `cargo xtask codegen`:\n{}",
                list.join("\n")
            ));
        }
        println!("{}: up to date ({} files)", relative(out), files.len());
    } else {
        let changed = codegen::write::write_crate(out, &files).map_err(|e| e.to_string())?;
        println!(
            "{}: {} files, {} changed",
            relative(out),
            files.len(),
            changed.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn parse(argv: &[&str]) -> Result<Args, clap::Error> {
        Cli::try_parse_from(std::iter::once("codegen").chain(argv.iter().copied())).map(|c| c.args)
    }

    #[test]
    fn parses_every_option() {
        let a = parse(&[
            "--check",
            "--model",
            "a.json",
            "--model",
            "b.json",
            "--operations",
            "GetStage, GetApi",
            "--out",
            "o/dir",
            "--crate-name",
            "x",
            "--service",
            "a.b#C",
        ])
        .unwrap();
        assert!(a.check);
        assert_eq!(a.models, [PathBuf::from("a.json"), PathBuf::from("b.json")]);
        assert_eq!(
            a.operations,
            Some(OperationSelection::Named(vec![
                "GetStage".into(),
                "GetApi".into()
            ]))
        );
        assert_eq!(a.out.as_deref(), Some(Path::new("o/dir")));
        assert_eq!(a.crate_name.as_deref(), Some("x"));
        assert_eq!(a.service.as_deref(), Some("a.b#C"));
        let a = parse(&["--model", "m.json", "--out", "o", "--operations", "all"]).unwrap();
        assert_eq!(a.operations, Some(OperationSelection::All));
        assert!(parse(&["--check"]).unwrap().models.is_empty());
    }

    #[test]
    fn refuses_inconsistent_options() {
        // --model needs --out; --out, --crate-name and --operations need --model.
        assert!(parse(&["--model", "m.json"]).is_err());
        assert!(parse(&["--out", "o"]).is_err());
        assert!(parse(&["--crate-name", "x"]).is_err());
        assert!(parse(&["--service", "a.b#C"]).is_err());
        assert!(parse(&["--operations", "GetStage"]).is_err());
        assert!(parse(&["--model", "m.json", "--out", "o", "--operations", ","]).is_err());
        assert!(parse(&["--model"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
