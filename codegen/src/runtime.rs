//! The embedded runtime: `codegen/runtime/src/rt/**` and the dependency block of
//! `codegen/runtime/Cargo.toml`, copied into every generated crate.

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

const RUNTIME_MANIFEST: &str = include_str!("../runtime/Cargo.toml");
const BEGIN: &str = "# --- begin generated-crate manifest ---";
const END: &str = "# --- end generated-crate manifest ---";

/// The `[dependencies]` and `[features]` text the generated manifest takes from the
/// runtime's manifest (between its markers).
pub fn manifest_block() -> &'static str {
    let start = RUNTIME_MANIFEST.find(BEGIN).map(|i| i + BEGIN.len()).unwrap_or(0);
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
}
