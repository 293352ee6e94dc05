//! Writes generated files, or checks that the files on disk match them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{CodegenError, Result};
use crate::options::GeneratedFile;

/// Writes the crate under `out_dir`, removing files a previous run generated that this run
/// no longer produces (any `.rs`/`.toml` file whose first line is the generated header).
/// Returns the paths written that changed.
pub fn write_crate(out_dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    let wanted: BTreeSet<PathBuf> = files.iter().map(|f| out_dir.join(&f.path)).collect();
    for stale in generated_files_on_disk(out_dir) {
        if !wanted.contains(&stale) {
            std::fs::remove_file(&stale).map_err(|e| io_error(&stale, "remove", e))?;
            // Folders the generator no longer writes to go too (only when left empty).
            let mut dir = stale.parent();
            while let Some(d) = dir.filter(|d| *d != out_dir) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
            changed.push(stale);
        }
    }
    for file in files {
        let path = out_dir.join(&file.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create", e))?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| io_error(&path, "write", e))?;
        changed.push(path);
    }
    Ok(changed)
}

/// The files under `out_dir` that differ from `files`: missing, changed, or generated
/// earlier but no longer produced.
pub fn stale_files(out_dir: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let mut stale = Vec::new();
    let wanted: BTreeSet<PathBuf> = files.iter().map(|f| out_dir.join(&f.path)).collect();
    for file in files {
        let path = out_dir.join(&file.path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            stale.push(path);
        }
    }
    for extra in generated_files_on_disk(out_dir) {
        if !wanted.contains(&extra) {
            stale.push(extra);
        }
    }
    stale.sort();
    stale
}

fn generated_files_on_disk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.retain(|p| {
        std::fs::read_to_string(p).ok().is_some_and(|text| {
            let first = text.lines().next().unwrap_or("");
            first == crate::format::RUST_HEADER || first == crate::format::TOML_HEADER
        })
    });
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "toml") {
            out.push(path);
        }
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> CodegenError {
    CodegenError::new(format!("cannot {what}: {e}")).in_file(path)
}
