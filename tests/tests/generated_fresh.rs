//! The committed crates under `generated/` are the full snapshot of the generator's output:
//! plain `cargo test` fails when one is stale, and generation is deterministic.

use codegen::project::PROJECT_CRATES;

#[test]
fn committed_output_is_fresh() {
    let root = tests::workspace_root();
    let mut stale = Vec::new();
    for krate in PROJECT_CRATES {
        let files = krate
            .generate(&root)
            .unwrap_or_else(|e| panic!("{}: {e}", krate.out));
        for path in codegen::write::stale_files(&root.join(krate.out), &files) {
            stale.push(
                path.strip_prefix(&root)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files (run `cargo xtask codegen`):\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let root = tests::workspace_root();
    for krate in PROJECT_CRATES {
        let first = krate.generate(&root).expect("generates");
        let second = krate.generate(&root).expect("generates");
        assert_eq!(first, second, "{} differs between two runs", krate.out);
    }
}

#[test]
fn every_generated_file_says_it_is_generated() {
    let root = tests::workspace_root();
    for krate in PROJECT_CRATES {
        for file in krate.generate(&root).expect("generates") {
            let first = file.contents.lines().next().unwrap_or("");
            assert!(
                first == codegen::format::RUST_HEADER || first == codegen::format::TOML_HEADER,
                "{}/{} does not start with the generated header",
                krate.out,
                file.path.display()
            );
        }
    }
}
