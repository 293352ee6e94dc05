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

/// A Glacier-shaped model (the service id the customization is keyed by): `DescribeVault`
/// with the `accountId` and `vaultName` labels, both `@required`.
const GLACIER_MODEL: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "com.amazonaws.glacier#Glacier": {
      "type": "service",
      "version": "2012-06-01",
      "operations": [{"target": "com.amazonaws.glacier#DescribeVault"}],
      "traits": {
        "aws.api#service": {"sdkId": "Glacier"},
        "aws.auth#sigv4": {"name": "glacier"},
        "aws.protocols#restJson1": {},
        "smithy.api#documentation": "<p>Vaults.</p>"
      }
    },
    "com.amazonaws.glacier#DescribeVault": {
      "type": "operation",
      "input": {"target": "com.amazonaws.glacier#DescribeVaultInput"},
      "output": {"target": "com.amazonaws.glacier#DescribeVaultOutput"},
      "traits": {
        "smithy.api#http": {"method": "GET", "uri": "/{accountId}/vaults/{vaultName}", "code": 200},
        "smithy.api#documentation": "<p>Reads a vault.</p>"
      }
    },
    "com.amazonaws.glacier#DescribeVaultInput": {
      "type": "structure",
      "traits": {"smithy.api#input": {}},
      "members": {
        "accountId": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
        "vaultName": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}}
      }
    },
    "com.amazonaws.glacier#DescribeVaultOutput": {
      "type": "structure",
      "members": {"VaultName": {"target": "smithy.api#String"}}
    }
  }
}"#;

/// Glacier's `accountId` label stands for the caller's account (`-`) when it is empty or
/// unset, as in the AWS SDKs: so the validator must not require it (it did, and refused
/// every call that left it out before anything was sent; found against moto server), while
/// `vaultName` stays required.
#[test]
fn a_label_a_customization_fills_in_is_not_required() {
    let dir = std::env::temp_dir().join(format!("glacier-label-default-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("glacier.json");
    std::fs::write(&model, GLACIER_MODEL).unwrap();
    let files = codegen::generate(&codegen::Options {
        models: vec![model],
        operations: codegen::OperationSelection::All,
        crate_name: "glacier".into(),
        runtime: codegen::runtime::RuntimeDependency::Path(
            tests::workspace_root().join("codegen/runtime"),
        ),
        service: None,
    })
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    let validate = file(&files, "src/validate.rs");
    assert!(!validate.contains("account_id"), "{validate}");
    assert!(
        validate.contains(r#""DescribeVaultInput.vault_name""#),
        "{validate}"
    );
    assert!(
        validate.contains("None => out.required(&path)"),
        "{validate}"
    );
    let serializer = file(&files, "src/protocol/describe_vault.rs");
    assert!(
        serializer.contains("match input.account_id.as_deref().unwrap_or_default()"),
        "{serializer}"
    );
    assert!(serializer.contains(r#""" => "-","#), "{serializer}");
}
