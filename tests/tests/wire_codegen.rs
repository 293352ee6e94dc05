//! What the protocol emitters put in a generated crate: one protocol module per operation
//! with the three functions the client calls, one validator per operation, `regex` only
//! when the model has `@pattern` constraints on inputs, and only the JSON impls the wire
//! needs outside the `serde` feature.

use codegen::project::PROJECT_CRATES;
use codegen::GeneratedFile;

fn generate(crate_name: &str) -> Vec<GeneratedFile> {
    let root = tests::workspace_root();
    let krate = PROJECT_CRATES
        .iter()
        .find(|k| k.crate_name == crate_name)
        .unwrap_or_else(|| panic!("no project crate {crate_name}"));
    codegen::generate(&krate.options(&root)).unwrap_or_else(|e| panic!("{crate_name}: {e}"))
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    files
        .iter()
        .find(|f| f.path.to_str() == Some(path))
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn every_operation_gets_a_protocol_module_and_a_validator() {
    for (crate_name, modules) in [
        ("apigatewayv2", &["get_stage"][..]),
        (
            "httpbindings",
            &[
                "delete_object",
                "get_labels",
                "list_items",
                "post_json",
                "put_blob",
                "put_config",
                "put_headers",
                "put_text",
                "search_items",
            ][..],
        ),
        ("constraints", &["get_record", "submit_batch"][..]),
    ] {
        let files = generate(crate_name);
        let protocol_mod = file(&files, "src/protocol/mod.rs");
        let validate = file(&files, "src/validate.rs");
        for module in modules {
            assert!(
                protocol_mod.contains(&format!("pub(crate) mod {module};")),
                "{crate_name}::{module}"
            );
            let text = file(&files, &format!("src/protocol/{module}.rs"));
            for function in [
                "fn serialize_request(",
                "fn deserialize_response(",
                "fn deserialize_error(",
            ] {
                assert!(
                    text.contains(&format!("pub(crate) {function}")),
                    "{crate_name}::{module} {function}"
                );
            }
            assert!(
                validate.contains(&format!("pub(crate) fn {module}(")),
                "{crate_name} validator {module}"
            );
        }
    }
}

/// `@pattern`s are checked through the runtime's ECMA-262 `Pattern`: one static per pattern,
/// and no regex engine in any generated manifest.
#[test]
fn patterns_go_through_the_runtime() {
    let constraints = generate("constraints");
    let validate = file(&constraints, "src/validate.rs");
    assert!(validate.contains("static PATTERN_0: crate::rt::validate::Pattern"));
    assert!(validate.contains(".is_match(value)"));
    for crate_name in ["constraints", "apigatewayv2", "httpbindings"] {
        let files = generate(crate_name);
        let manifest = file(&files, "Cargo.toml");
        assert!(
            !manifest.contains("\nregex") && !manifest.contains("\nregress"),
            "{crate_name}"
        );
    }
}

/// Whether the item starting with `header` is behind `#[cfg(feature = "serde")]` (the
/// attribute and a doc comment precede it).
fn gated(text: &str, header: &str) -> bool {
    let at = text.find(header).unwrap_or_else(|| panic!("no `{header}`"));
    text[..at]
        .lines()
        .rev()
        .take(3)
        .any(|l| l.contains("#[cfg(feature = \"serde\")]"))
}

#[test]
fn the_default_build_has_only_the_json_impls_the_wire_uses() {
    let files = generate("apigatewayv2");
    let shapes = file(&files, "src/protocol/shapes.rs");
    // GetStage reads these from its response body ...
    for ty in [
        "crate::operation::get_stage::GetStageOutput",
        "crate::types::RouteSettings",
        "crate::types::error::NotFoundException",
    ] {
        assert!(
            !gated(
                shapes,
                &format!("impl crate::rt::wire::de::ReadJson for {ty} ")
            ),
            "{ty}"
        );
    }
    // ... but sends no body: writers (and the input's reader) only come with `serde`.
    for ty in [
        "crate::types::RouteSettings",
        "crate::types::LoggingLevel",
        "crate::operation::get_stage::GetStageOutput",
    ] {
        assert!(
            gated(
                shapes,
                &format!("impl crate::rt::wire::ser::WriteJson for {ty} ")
            ),
            "{ty}"
        );
    }
    assert!(gated(
        shapes,
        "impl crate::rt::wire::de::ReadJson for crate::operation::get_stage::GetStageInput "
    ));
    // Public serde impls are always behind the feature, and hand-written (no derive).
    assert!(
        shapes.contains("impl serde::Serialize for crate::operation::get_stage::GetStageOutput")
    );
    assert!(!shapes.contains("derive("));
    for (i, _) in shapes.match_indices("impl serde::") {
        let lines: Vec<&str> = shapes[..i].lines().rev().take(3).collect();
        assert!(
            lines
                .iter()
                .any(|l| l.contains("#[cfg(feature = \"serde\")]")),
            "ungated serde impl near {i}"
        );
    }
    // A crate that sends JSON bodies writes them in the default build.
    let files = generate("httpbindings");
    let shapes = file(&files, "src/protocol/shapes.rs");
    assert!(!gated(
        shapes,
        "impl crate::rt::wire::ser::WriteJson for crate::types::JsonValues "
    ));
    assert!(!gated(
        shapes,
        "impl crate::rt::wire::ser::WriteJson for crate::types::Color "
    ));
}

#[test]
fn get_stage_request_serializer() {
    let files = generate("apigatewayv2");
    let text = file(&files, "src/protocol/get_stage.rs");
    assert!(text.contains(r#"uri.path("/v2/apis/");"#));
    assert!(text.contains(r#"uri.label("GetStageInput.api_id""#));
    assert!(text.contains(r#"uri.path("/stages/");"#));
    assert!(text.contains(r#"uri.label("GetStageInput.stage_name""#));
    assert!(text.contains("http::Method::GET"));
    // No body members: no body and no Content-Type.
    assert!(text.contains("let body = bytes::Bytes::new();"));
    assert!(!text.contains("application/json"));
}
