//! The rustdoc a new user reads first, checked in the generated source text: the crate
//! root's getting-started section, and the `Client` method docs that list setters (the
//! required ones marked), output fields and errors, as aws-sdk-rust's do.

use tests::workspace_root;

fn generated(path: &str) -> String {
    let path = workspace_root().join("generated/apigatewayv2").join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn crate_root_gets_a_user_started() {
    let lib = generated("src/lib.rs");
    for needle in [
        "//! # Getting started",
        "//! ```toml",
        "//! apigatewayv2 = { path = \"generated/apigatewayv2\" }",
        "//! tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }",
        "//!     let config = match Config::from_env() {",
        "//!         .get_stage()",
        "//!         .api_id(\"a1b2c3\")",
        "//!             eprintln!(\"error: {}\", DisplayErrorContext(&err));",
        "//! # Errors",
        "//! # Features",
        "//! - `aws-config`:",
    ] {
        assert!(lib.contains(needle), "src/lib.rs lacks {needle:?}:\n{lib}");
    }
}

#[test]
fn client_methods_list_setters_output_and_errors() {
    let client = generated("src/client.rs");
    let fluent = "crate::operation::get_stage::builders::GetStageFluentBuilder";
    for needle in [
        format!("[`api_id`]({fluent}::api_id) / [`set_api_id`]({fluent}::set_api_id) **(required)**"),
        format!("[`stage_name`]({fluent}::stage_name) / [`set_stage_name`]({fluent}::set_stage_name) **(required)**"),
        "- On success: [`GetStageOutput`](crate::operation::get_stage::GetStageOutput), with:".into(),
        "[`stage_name()`](crate::operation::get_stage::GetStageOutput::stage_name)".into(),
        "- On failure: [`Error<GetStageError>`](crate::error::Error)".into(),
        "[`NotFoundException`](crate::types::error::NotFoundException)".into(),
        "[`TooManyRequestsException`](crate::types::error::TooManyRequestsException)".into(),
    ] {
        assert!(client.contains(&needle), "src/client.rs lacks {needle:?}:\n{client}");
    }
}

#[test]
fn required_setters_say_so() {
    let builders = generated("src/operation/get_stage/builders.rs");
    for setter in ["api_id", "set_api_id", "stage_name", "set_stage_name"] {
        let at = builders
            .find(&format!("pub fn {setter}("))
            .unwrap_or_else(|| panic!("no {setter}"));
        let docs = &builders[builders[..at].rfind("}\n").unwrap_or(0)..at];
        assert!(
            docs.contains("This member is required."),
            "{setter}: {docs}"
        );
    }
}
