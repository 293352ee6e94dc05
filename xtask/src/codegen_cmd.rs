//! `cargo xtask codegen`.

use std::path::{Path, PathBuf};

use codegen::runtime::RuntimeDependency;
use codegen::{OperationSelection, Options};

pub fn run(args: &[String]) -> Result<(), String> {
    let mut check = false;
    let mut models = Vec::new();
    let mut operations = OperationSelection::All;
    let mut out = None;
    let mut crate_name = None;
    let mut runtime = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--check" => check = true,
            "--model" => models.push(PathBuf::from(value("--model")?)),
            "--operations" => operations = parse_operations(&value("--operations")?)?,
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            "--runtime" => runtime = Some(RuntimeDependency::parse(&value("--runtime")?)?),
            other => return Err(format!("unknown option `{other}` (see `cargo xtask help`)")),
        }
    }
    if models.is_empty() {
        if out.is_some()
            || crate_name.is_some()
            || runtime.is_some()
            || operations != OperationSelection::All
        {
            return Err("--out, --crate-name, --runtime and --operations need --model".to_string());
        }
        let root = crate::workspace_root();
        for krate in codegen::project::PROJECT_CRATES {
            generate_one(
                || krate.generate(&root),
                &root.join(krate.out),
                check,
                &root,
            )?;
        }
        return Ok(());
    }
    let out = out.ok_or("--out DIR is required with --model")?;
    let crate_name = crate_name.unwrap_or_else(|| default_crate_name(&out));
    let runtime = runtime.unwrap_or_else(|| default_runtime(&out));
    let options = Options {
        models,
        operations,
        crate_name,
        runtime,
    };
    generate_one(|| codegen::generate(&options), &out, check, Path::new(""))
}

/// The runtime of this checkout, by path: relative when `out` is inside the workspace (so the
/// crate can join it), absolute otherwise (so a crate written anywhere builds).
fn default_runtime(out: &Path) -> RuntimeDependency {
    let root = crate::workspace_root();
    let runtime_dir = root.join(codegen::project::RUNTIME_DIR);
    let absolute_out = std::env::current_dir()
        .map(|cwd| cwd.join(out))
        .unwrap_or_else(|_| out.to_path_buf());
    let normalized: PathBuf = absolute_out.components().fold(PathBuf::new(), |mut p, c| {
        match c {
            std::path::Component::ParentDir => {
                p.pop();
            }
            std::path::Component::CurDir => {}
            other => p.push(other),
        }
        p
    });
    match normalized.strip_prefix(&root) {
        Ok(inside) => {
            RuntimeDependency::path_from(inside, Path::new(codegen::project::RUNTIME_DIR))
        }
        Err(_) => RuntimeDependency::Path(runtime_dir),
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

/// Generates one crate and writes it, or checks it. Paths in messages are shown relative to
/// `shown_from` when they are under it.
fn generate_one(
    generate: impl FnOnce() -> codegen::Result<Vec<codegen::GeneratedFile>>,
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
    let files = generate().map_err(|e| {
        let mut e = e;
        if let Some(file) = &e.file {
            e.file = Some(PathBuf::from(relative(file)));
        }
        e.to_string()
    })?;
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
