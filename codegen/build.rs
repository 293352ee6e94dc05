//! Embeds the runtime (`runtime/src/rt/**`) into the generator, so `codegen` can copy it
//! into every generated crate without reading files at generation time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("runtime")
        .join("src")
        .join("rt");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from("/// The runtime's files: path under `src/`, contents.\npub static RUNTIME_FILES: &[(&str, &str)] = &[\n");
    for file in files {
        let relative = file
            .strip_prefix(root.parent().expect("rt has a parent"))
            .expect("under src");
        let relative = relative.to_string_lossy().replace('\\', "/");
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("write to String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("runtime_files.rs");
    std::fs::write(dest, out).expect("write runtime_files.rs");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
