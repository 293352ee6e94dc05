//! Checks endpoint resolution over many models without generating (and building) a whole
//! crate per model: writes ONE crate holding every model's `endpoint.rs` (a module per
//! service) and every model's `smithy.rules#endpointTests` (one test binary).
//!
//! ```sh
//! cargo run -p codegen --example endpoint_fleet -- OUT_DIR MODEL.json|DIR...
//! cp Cargo.lock OUT_DIR/ && cargo test --manifest-path OUT_DIR/Cargo.toml --target-dir target
//! ```
//!
//! Only the endpoint stage runs (read, parse, assemble, then the service shape's rule set
//! and tests), so a model that the rest of the generator refuses (say, for an event
//! stream) is still checked. A model whose rule set does not compile is reported and left
//! out.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let Some(out) = args.next() else {
        eprintln!("usage: endpoint_fleet OUT_DIR MODEL.json|DIR...");
        std::process::exit(2);
    };
    let inputs: Vec<PathBuf> = args.collect();
    let paths = codegen::read::expand_paths(&inputs).unwrap_or_else(|e| fail(&e.to_string()));
    let runtime = std::env::current_dir()
        .expect("cwd")
        .join(codegen::project::RUNTIME_DIR);
    let mut lib = String::from("use aws_client_runtime as rt;\n");
    let mut tests = String::new();
    let (mut services, mut cases, mut failed) = (0, 0, 0);
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let module = module_name(&stem);
        match one(&path, &module) {
            Ok((resolver, test_file, n)) => {
                let dir = out.join("src").join(&module);
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join("endpoint.rs"), resolver).unwrap();
                writeln!(lib, "pub mod {module} {{ pub mod endpoint; }}").unwrap();
                if let Some(t) = test_file {
                    let file = format!("{module}.rs");
                    std::fs::create_dir_all(out.join("tests/cases")).unwrap();
                    std::fs::write(out.join("tests/cases").join(&file), t).unwrap();
                    writeln!(tests, "#[path = \"cases/{file}\"] mod {module};").unwrap();
                }
                services += 1;
                cases += n;
            }
            Err(e) => {
                failed += 1;
                eprintln!("{}: {e}", path.display());
            }
        }
    }
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("src/lib.rs"), lib).unwrap();
    std::fs::write(out.join("tests/endpoint_tests.rs"), tests).unwrap();
    let manifest = format!(
        "[package]\nname = \"fleet\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\naws-client-runtime = {{ path = {:?}, default-features = false }}\n",
        runtime.display().to_string()
    );
    std::fs::write(out.join("Cargo.toml"), manifest).unwrap();
    println!("{services} services, {cases} endpoint test cases, {failed} models refused");
}

fn one(path: &std::path::Path, module: &str) -> Result<(String, Option<String>, usize), String> {
    let sources = codegen::read::read_files(&[path.to_path_buf()]).map_err(|e| e.to_string())?;
    let files = codegen::idl::parse_sources(&sources).map_err(|e| e.to_string())?;
    let model = codegen::assemble::assemble(files).map_err(|e| e.to_string())?;
    let index = codegen::index::Index::new(&model);
    let service = index.service().map_err(|e| e.to_string())?;
    let resolver = codegen::endpoint::resolver_for(service).map_err(|e| e.to_string())?;
    let resolver =
        codegen::format::format_rust("endpoint.rs", None, resolver).map_err(|e| e.to_string())?;
    let tests = codegen::endpoint::tests_for(service, "fleet").map_err(|e| e.to_string())?;
    let (tests, n) = match tests {
        None => (None, 0),
        Some(t) => {
            let text =
                codegen::format::format_rust("tests.rs", None, t).map_err(|e| e.to_string())?;
            let n = text.matches("#[test]").count();
            let text = text.replace(
                "use fleet::endpoint::",
                &format!("use fleet::{module}::endpoint::"),
            );
            (Some(text), n)
        }
    };
    Ok((resolver, tests, n))
}

fn module_name(stem: &str) -> String {
    // `api-gateway-2015-07-09` → `api_gateway`
    let name = match stem.rfind(|c: char| !(c.is_ascii_digit() || c == '-')) {
        Some(i) => &stem[..=i],
        None => stem,
    };
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'm');
    }
    out
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
