//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.

use std::path::{Path, PathBuf};

use crate::process::{cargo, run_status, step};
use crate::workspace_root;

/// The hand-written packages; generated crates are formatted by prettyplease, not rustfmt.
const HAND_WRITTEN: &[&str] = &["codegen", "aws-client-runtime", "xtask", "tests", "bench"];

/// `cargo xtask test` takes no options.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args) -> Result<(), String> {
    let root = workspace_root();

    step("codegen --check");
    crate::codegen_cmd::run(&crate::codegen_cmd::Args {
        check: true,
        ..Default::default()
    })?;

    step("cargo fmt --check");
    let mut fmt = cargo(&root, &["fmt", "--check"]);
    for package in HAND_WRITTEN {
        fmt.args(["-p", package]);
    }
    run_status(&mut fmt)?;

    step("cargo clippy --workspace -- -D warnings (libraries with default features, then all targets and features)");
    run_status(&mut cargo(
        &root,
        &["clippy", "--workspace", "--", "-D", "warnings"],
    ))?;
    run_status(&mut cargo(
        &root,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    ))?;

    // Users who plug in their own HTTP stack build without the default client.
    run_status(&mut cargo(
        &root,
        &[
            "clippy",
            "-p",
            "apigatewayv2",
            "--no-default-features",
            "--",
            "-D",
            "warnings",
        ],
    ))?;

    let moto_python = crate::moto::ensure_moto(&root)?;

    step("cargo test --workspace");
    let mut test = cargo(&root, &["test", "--workspace", "--all-features"]);
    test.env("INSTA_UPDATE", "no");
    if let Some(python) = &moto_python {
        test.env("MOTO_PYTHON", python);
    }
    run_status(&mut test)?;

    official_model(&root)?;
    fleet_sample(&root)?;
    protocol_tests(&root)?;
    println!("\nxtask test: all steps passed");
    Ok(())
}

/// Generates the official full model (every operation) and builds and tests it, when
/// `../shared/model` exists.
fn official_model(root: &Path) -> Result<(), String> {
    let Some(model) = official_model_path(root) else {
        println!("\n==> official model: skipped (../shared/model/apigatewayv2-2018-11-29.json not found)");
        return Ok(());
    };
    step("official model: generate all operations, clippy, and run its endpoint tests");
    let out = root.join("target").join("official").join("apigatewayv2");
    crate::codegen_cmd::run(&crate::codegen_cmd::Args {
        check: false,
        models: vec![model],
        operations: Some(codegen::OperationSelection::All),
        out: Some(out.clone()),
        crate_name: Some("apigatewayv2".to_string()),
        runtime: None,
        service: None,
    })?;
    // Resolve with the workspace's lock file so the build reuses the workspace's compiled
    // dependencies in the shared target directory.
    let lock = root.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, out.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    }
    let manifest = out.join("Cargo.toml").display().to_string();
    let target_dir = root.join("target").display().to_string();
    run_status(&mut cargo(
        root,
        &[
            "clippy",
            "--manifest-path",
            &manifest,
            "--target-dir",
            &target_dir,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    run_status(&mut cargo(
        root,
        &[
            "test",
            "--manifest-path",
            &manifest,
            "--target-dir",
            &target_dir,
        ],
    ))
}

/// Every model of `../shared/aws-models` generated (each must succeed), and the fleet
/// sample (`fleet::SAMPLE`: noAuth, bearer, unsignedPayload, streaming blobs, event
/// streams, enum-keyed maps) built, linted and endpoint-tested.
fn fleet_sample(root: &Path) -> Result<(), String> {
    step("fleet: generate every model of ../shared/aws-models; build, clippy and endpoint-test the sample");
    match crate::fleet::sample(root)? {
        None => println!("fleet: skipped (../shared/aws-models not found)"),
        Some(took) => println!("fleet: passed in {:.0} s", took.as_secs_f64()),
    }
    Ok(())
}

/// The services of the official protocol-test model whose restJson1 cases are generated as
/// tests: (service shape id, crate name).
pub const PROTOCOL_TEST_SERVICES: &[(&str, &str)] = &[
    ("aws.protocoltests.restjson#RestJson", "restjson"),
    ("com.amazonaws.glacier#Glacier", "glacier"),
    (
        "com.amazonaws.apigateway#BackplaneControlService",
        "apigateway",
    ),
];

/// Generates a crate per [`PROTOCOL_TEST_SERVICES`] entry from the Smithy protocol
/// compliance suite (`../shared/smithy-protocol-tests`) under `target/protocol-tests/` and
/// runs its `tests/protocol_tests.rs`.
fn protocol_tests(root: &Path) -> Result<(), String> {
    let Some(model) = root
        .parent()
        .map(|p| p.join("shared/smithy-protocol-tests/json/smithy-aws-protocol-tests.json"))
        .filter(|p| p.exists())
    else {
        println!("\n==> protocol tests: skipped (../shared/smithy-protocol-tests/json/smithy-aws-protocol-tests.json not found)");
        return Ok(());
    };
    for (service, crate_name) in PROTOCOL_TEST_SERVICES {
        step(&format!("protocol tests: {service}"));
        protocol_test_crate(root, vec![model.clone()], service, crate_name)?;
    }
    let (service, crate_name) = IDL_PROTOCOL_TEST_SERVICE;
    step(&format!("protocol tests (IDL): {service}"));
    let suite = root
        .parent()
        .map(|p| p.join("shared/smithy-protocol-tests"))
        .filter(|p| p.join("restJson1").is_dir());
    match suite {
        None => println!(
            "\n==> protocol tests (IDL): skipped (../shared/smithy-protocol-tests/restJson1 not found)"
        ),
        Some(suite) => protocol_test_crate(root, idl_protocol_models(&suite)?, service, crate_name)?,
    }
    Ok(())
}

/// The restJson1 test service generated from the suite's IDL rather than its JSON AST:
/// restJson1/ (its top-level files and `malformedRequests/`; `validation/` is another
/// service and needs `smithy.framework`, which the IDL does not define), the trait
/// definitions, shared-types.smithy and aws-config.smithy. Event-stream operations are
/// left out with a warning.
pub const IDL_PROTOCOL_TEST_SERVICE: (&str, &str) =
    ("aws.protocoltests.restjson#RestJson", "restjson_idl");

/// The IDL files of [`IDL_PROTOCOL_TEST_SERVICE`] under `suite`, sorted.
fn idl_protocol_models(suite: &Path) -> Result<Vec<PathBuf>, String> {
    let rest = suite.join("restJson1");
    let mut models: Vec<PathBuf> = std::fs::read_dir(&rest)
        .map_err(|e| format!("read {}: {e}", rest.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "smithy"))
        .collect();
    models.sort();
    models.push(rest.join("malformedRequests"));
    models.push(suite.join("traits"));
    models.push(suite.join("shared-types.smithy"));
    models.push(suite.join("aws-config.smithy"));
    Ok(models)
}

/// Generates one protocol-test crate under `target/protocol-tests/` and runs its
/// `tests/protocol_tests.rs`.
fn protocol_test_crate(
    root: &Path,
    models: Vec<PathBuf>,
    service: &str,
    crate_name: &str,
) -> Result<(), String> {
    let out = root.join("target").join("protocol-tests").join(crate_name);
    crate::codegen_cmd::run(&crate::codegen_cmd::Args {
        check: false,
        models,
        operations: Some(codegen::OperationSelection::All),
        out: Some(out.clone()),
        crate_name: Some(crate_name.to_string()),
        runtime: None,
        service: Some(service.to_string()),
    })?;
    let lock = root.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, out.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    }
    let manifest = out.join("Cargo.toml").display().to_string();
    let target_dir = root.join("target").display().to_string();
    run_status(&mut cargo(
        root,
        &[
            "test",
            "--manifest-path",
            &manifest,
            "--target-dir",
            &target_dir,
            "--test",
            "protocol_tests",
        ],
    ))
}

/// `../shared/model/apigatewayv2-2018-11-29.json` beside the checkout.
fn official_model_path(root: &Path) -> Option<PathBuf> {
    let path = root
        .parent()?
        .join("shared")
        .join("model")
        .join("apigatewayv2-2018-11-29.json");
    path.exists().then_some(path)
}
