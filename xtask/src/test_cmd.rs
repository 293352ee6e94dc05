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

    // The runtime as a crate whose model needs none of its optional features gets it (the
    // workspace-wide runs above turn them all on).
    run_status(&mut cargo(
        &root,
        &["clippy", "-p", "aws-client-runtime", "--", "-D", "warnings"],
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
    moto_services(&root, moto_python.as_deref())?;
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
    let (manifest, target_dir) = outside_crate(root, &out)?;
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
/// definitions, shared-types.smithy and aws-config.smithy.
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

/// Generates one protocol-test crate under `target/protocol-tests/`, checks it and its
/// tests with clippy (`-D warnings`) and runs its `tests/protocol_tests.rs`.
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
    let (manifest, target_dir) = outside_crate(root, &out)?;
    // The generated crate and its tests must be as clean as every other generated crate.
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
            "--test",
            "protocol_tests",
        ],
    ))
}

/// The services of `../shared/aws-models` that `tests/moto-services` drives against moto
/// server: (model file, crate name, the operations its tests call). The subsets are kept to
/// what the tests use, so the step compiles little.
pub const MOTO_SERVICES: &[(&str, &str, &[&str])] = &[
    (
        "eks-2017-11-01.json",
        "eks",
        &[
            "CreateCluster",
            "DescribeCluster",
            "ListClusters",
            "UpdateClusterConfig",
            "DeleteCluster",
        ],
    ),
    (
        "iot-2015-05-28.json",
        "iot",
        &[
            "CreateThing",
            "DescribeThing",
            "ListThings",
            "UpdateThing",
            "DeleteThing",
        ],
    ),
    (
        "sesv2-2019-09-27.json",
        "sesv2",
        &[
            "CreateEmailIdentity",
            "GetEmailIdentity",
            "ListEmailIdentities",
            "CreateEmailIdentityPolicy",
            "UpdateEmailIdentityPolicy",
            "DeleteEmailIdentity",
        ],
    ),
    (
        "polly-2016-06-10.json",
        "polly",
        &[
            "PutLexicon",
            "GetLexicon",
            "ListLexicons",
            "DeleteLexicon",
            "SynthesizeSpeech",
        ],
    ),
    (
        "appsync-2017-07-25.json",
        "appsync",
        &[
            "CreateGraphqlApi",
            "GetGraphqlApi",
            "ListGraphqlApis",
            "UpdateGraphqlApi",
            "DeleteGraphqlApi",
        ],
    ),
    (
        "glacier-2012-06-01.json",
        "glacier",
        &[
            "CreateVault",
            "DescribeVault",
            "ListVaults",
            "UploadArchive",
            "DeleteArchive",
            "DeleteVault",
        ],
    ),
];

/// Generates each [`MOTO_SERVICES`] crate under `target/moto-services/` from
/// `../shared/aws-models` and runs the `tests/moto-services` crate (its own workspace, with
/// path dependencies on those folders) against moto server; skipped, with one line, when
/// the models are not there.
fn moto_services(root: &Path, moto_python: Option<&str>) -> Result<(), String> {
    let Some(models) = root
        .parent()
        .map(|p| p.join("shared/aws-models"))
        .filter(|p| p.is_dir())
    else {
        println!("\n==> moto services: skipped (../shared/aws-models not found)");
        return Ok(());
    };
    step("moto services: generate the crates tests/moto-services uses, run it against moto");
    let started = std::time::Instant::now();
    let out_dir = root.join("target").join("moto-services");
    for (model, crate_name, operations) in MOTO_SERVICES {
        crate::codegen_cmd::run(&crate::codegen_cmd::Args {
            check: false,
            models: vec![models.join(model)],
            operations: Some(codegen::OperationSelection::Named(
                operations.iter().map(|op| op.to_string()).collect(),
            )),
            out: Some(out_dir.join(crate_name)),
            crate_name: Some(crate_name.to_string()),
            runtime: None,
            service: None,
        })?;
    }
    // Its copy of the lock file is ignored by git.
    let test_crate = root.join("tests").join("moto-services");
    let (manifest, target_dir) = outside_crate(root, &test_crate)?;
    run_status(&mut cargo(
        root,
        &["fmt", "--check", "--manifest-path", &manifest],
    ))?;
    let mut test = cargo(
        root,
        &[
            "test",
            "--manifest-path",
            &manifest,
            "--target-dir",
            &target_dir,
        ],
    );
    if let Some(python) = moto_python {
        test.env("MOTO_PYTHON", python);
    }
    run_status(&mut test)?;
    println!("moto services: {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Readies a crate outside the workspace at `dir` to build with the workspace's lock file
/// (copied in), so the build reuses the dependencies compiled in the shared target
/// directory; returns its manifest path and that target directory, for `--manifest-path`
/// and `--target-dir`.
fn outside_crate(root: &Path, dir: &Path) -> Result<(String, String), String> {
    let lock = root.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
    }
    Ok((
        dir.join("Cargo.toml").display().to_string(),
        root.join("target").display().to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `tests/moto-services` depends on exactly the crates the step generates, each at its
    /// folder under `target/moto-services/`.
    #[test]
    fn the_moto_test_crate_depends_on_every_generated_service() {
        let manifest = workspace_root().join("tests/moto-services/Cargo.toml");
        let text = std::fs::read_to_string(&manifest)
            .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
        let deps: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("path = \"../../target/moto-services/"))
            .collect();
        assert_eq!(deps.len(), MOTO_SERVICES.len(), "{deps:?}");
        for (model, crate_name, operations) in MOTO_SERVICES {
            let dep =
                format!("{crate_name} = {{ path = \"../../target/moto-services/{crate_name}\"");
            assert!(
                deps.iter().any(|l| l.starts_with(&dep)),
                "{crate_name}: {deps:?}"
            );
            assert!(
                model.ends_with(".json") && !operations.is_empty(),
                "{model}"
            );
        }
    }

    /// Without `../shared/aws-models` the step is skipped (it prints one line) and passes.
    #[test]
    fn the_moto_step_is_skipped_without_the_shared_models() {
        let checkout = std::path::Path::new("/nonexistent/checkout");
        assert!(!checkout.join("../shared/aws-models").exists());
        moto_services(checkout, None).unwrap();
    }
}
