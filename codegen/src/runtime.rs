//! The embedded runtime: `codegen/runtime/src/rt/**` and the dependency block of
//! `codegen/runtime/Cargo.toml`, copied into every generated crate.

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

const RUNTIME_MANIFEST: &str = include_str!("../runtime/Cargo.toml");
const BEGIN: &str = "# --- begin generated-crate manifest ---";
const END: &str = "# --- end generated-crate manifest ---";

/// Where a runtime file's unit tests start. By convention (checked below) each file keeps
/// its tests in one trailing `#[cfg(test)] mod tests`, which is not copied: the runtime's
/// tests run once, in `codegen-runtime`, against its own service facts.
const TESTS_START: &str = "\n#[cfg(test)]\nmod tests {";

/// A runtime file as it goes into a generated crate: without its trailing test module.
pub fn without_tests(source: &str) -> &str {
    match source.find(TESTS_START) {
        Some(i) => &source[..i + 1],
        None => source,
    }
}

/// The `[dependencies]` and `[features]` text the generated manifest takes from the
/// runtime's manifest (between its markers).
pub fn manifest_block() -> &'static str {
    let start = RUNTIME_MANIFEST
        .find(BEGIN)
        .map(|i| i + BEGIN.len())
        .unwrap_or(0);
    let end = RUNTIME_MANIFEST.find(END).unwrap_or(RUNTIME_MANIFEST.len());
    RUNTIME_MANIFEST.get(start..end).unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_runtime() {
        assert!(RUNTIME_FILES.iter().any(|(path, _)| *path == "rt/mod.rs"));
        assert!(manifest_block().starts_with("[dependencies]"));
        assert!(manifest_block().contains("[features]"));
    }

    #[test]
    fn runtime_tests_are_one_trailing_module() {
        for (path, source) in RUNTIME_FILES {
            let occurrences = source.matches("#[cfg(test)]").count();
            if occurrences == 0 {
                continue;
            }
            assert_eq!(
                occurrences, 1,
                "{path}: keep all unit tests in one trailing `mod tests`"
            );
            let start = source
                .find(TESTS_START)
                .unwrap_or_else(|| panic!("{path}: `#[cfg(test)]` must open `mod tests {{`"));
            let tail = &source[start..];
            // Inside the module items are indented; an unindented item after it would be
            // cut from generated crates.
            let items = [
                "pub ", "fn ", "impl ", "struct ", "enum ", "mod ", "use ", "const ", "static ",
                "#[",
            ];
            let stray: Vec<&str> = tail
                .lines()
                .skip(3)
                .filter(|l| items.iter().any(|i| l.starts_with(i)))
                .collect();
            assert!(
                stray.is_empty(),
                "{path}: `mod tests` must be the last item, found {stray:?}"
            );
            assert!(
                source.trim_end().ends_with('}'),
                "{path}: `mod tests` must end the file"
            );
        }
    }
}
