//! `bench-codegen`: workload 9, the release generator timed in-process (no file writes: the
//! generated files stay in memory, where their lines are counted).
//!
//! ```text
//! bench-codegen all DIR [--limit N]
//!     every `.json` model of DIR (sorted by file name; the first N with --limit), one after
//!     the other (each one's files emitted and formatted on all cores),
//!     `OperationSelection::All`; one line per model,
//!     `model=NAME seconds=S lines=L path=PATH` (or `model=NAME error=...`), then
//!     `total models=N failed=F seconds=S lines=L`.
//! bench-codegen subsets MODEL [--parts 8,4,2,1] [--repeat R]
//!     nested subsets of MODEL's operations (sorted by name; 1/k is every k-th one, so each
//!     subset holds the smaller ones), each generated R times (default 3), the fastest kept;
//!     one line each, `part=K operations=N lines=L seconds=S`.
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::{OperationSelection, Options};

/// The allocator `cargo xtask codegen` uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("all") => all(&args[1..]),
        Some("subsets") => subsets(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench-codegen: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str =
    "usage: bench-codegen all DIR [--limit N] | subsets MODEL [--parts 8,4,2,1] [--repeat R]";

/// `--flag value` pairs.
type Flags<'a> = Vec<(&'a str, &'a str)>;

/// The positional argument and the `--flag value` pairs after it.
fn split_args(args: &[String]) -> Result<(&str, Flags<'_>), String> {
    let (first, rest) = args.split_first().ok_or(USAGE)?;
    if rest.len() % 2 != 0 {
        return Err(USAGE.to_string());
    }
    let flags = rest
        .chunks(2)
        .map(|pair| (pair[0].as_str(), pair[1].as_str()))
        .collect();
    Ok((first, flags))
}

fn number(flag: &str, value: &str) -> Result<usize, String> {
    value.parse().map_err(|e| format!("{flag} `{value}`: {e}"))
}

fn all(args: &[String]) -> Result<(), String> {
    let (dir, flags) = split_args(args)?;
    let mut limit = usize::MAX;
    for (flag, value) in flags {
        match flag {
            "--limit" => limit = number(flag, value)?,
            _ => return Err(USAGE.to_string()),
        }
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("read {dir}: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths.truncate(limit);
    if paths.is_empty() {
        return Err(format!("no .json models in {dir}"));
    }
    let (mut failed, mut total_lines) = (0, 0);
    let started = Instant::now();
    for path in &paths {
        let name = service_name(path);
        let start = Instant::now();
        match codegen::generate(&options(path, &name, OperationSelection::All)) {
            Ok(files) => {
                let seconds = start.elapsed().as_secs_f64();
                let lines = lines(&files);
                total_lines += lines;
                println!(
                    "model={name} seconds={seconds:.6} lines={lines} path={}",
                    path.display()
                );
            }
            Err(e) => {
                failed += 1;
                let message = e.to_string().replace('\n', " ");
                println!("model={name} error={message}");
            }
        }
    }
    println!(
        "total models={} failed={failed} seconds={:.6} lines={total_lines}",
        paths.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn subsets(args: &[String]) -> Result<(), String> {
    let (model, flags) = split_args(args)?;
    let (mut parts, mut repeat) = (vec![8, 4, 2, 1], 3);
    for (flag, value) in flags {
        match flag {
            "--parts" => {
                parts = value
                    .split(',')
                    .map(|k| number(flag, k).map(|k| k.max(1)))
                    .collect::<Result<_, _>>()?
            }
            "--repeat" => repeat = number(flag, value)?.max(1),
            _ => return Err(USAGE.to_string()),
        }
    }
    let path = Path::new(model);
    let name = service_name(path);
    let operations = operation_names(path)?;
    for part in parts {
        let chosen: Vec<String> = operations.iter().step_by(part).cloned().collect();
        let options = options(path, &name, OperationSelection::Named(chosen.clone()));
        let mut best = f64::INFINITY;
        let mut generated_lines = 0;
        for _ in 0..repeat {
            let start = Instant::now();
            let files = codegen::generate(&options).map_err(|e| e.to_string())?;
            best = best.min(start.elapsed().as_secs_f64());
            generated_lines = lines(&files);
        }
        println!(
            "part={part} operations={} lines={generated_lines} seconds={best:.6}",
            chosen.len()
        );
    }
    Ok(())
}

fn options(path: &Path, name: &str, operations: OperationSelection) -> Options {
    Options {
        models: vec![path.to_path_buf()],
        operations,
        crate_name: name.to_string(),
        runtime: Default::default(),
        service: None,
    }
}

/// The service's operations, by shape name, sorted.
fn operation_names(path: &Path) -> Result<Vec<String>, String> {
    let fail = |e: codegen::CodegenError| e.to_string();
    let sources = codegen::read::read_files(&[path.to_path_buf()]).map_err(fail)?;
    let files = codegen::idl::parse_sources(&sources).map_err(fail)?;
    let model = codegen::assemble::assemble(files).map_err(fail)?;
    let index = codegen::index::Index::with_service(&model, None);
    let service = index.service().map_err(fail)?;
    let mut names: Vec<String> = index
        .service_operations(service)
        .map_err(fail)?
        .into_iter()
        .map(|id| id.name.clone())
        .collect();
    names.sort();
    Ok(names)
}

fn lines(files: &[codegen::GeneratedFile]) -> usize {
    files.iter().map(|f| f.contents.lines().count()).sum()
}

/// `sso-oidc-2019-06-10.json` → `sso-oidc` (as `cargo xtask fleet` names services).
fn service_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dated = stem.len() > 11 && {
        let tail = &stem.as_bytes()[stem.len() - 11..];
        tail.iter().enumerate().all(|(i, b)| match i {
            0 | 5 | 8 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    };
    if dated {
        stem[..stem.len() - 11].to_string()
    } else {
        stem
    }
}
