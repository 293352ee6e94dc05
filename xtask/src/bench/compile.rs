//! Workloads 7 and 8: what the generated crates cost to compile next to the official
//! `aws-sdk-*` crates, in scratch projects under `target/bench-build/` (each its own target
//! directory, so no build reuses another's artifacts).
//!
//! - 7, fleet scale: one service crate per project (ours generated with every operation,
//!   the runtime by path; the official one from crates.io): a clean release build with the
//!   dependencies, then the crate alone (`cargo clean -p` + `cargo build -p`, timed), the same
//!   with `cargo check`, its lines and its rlib.
//! - 8, a program using five service crates: a clean release build and the stripped binary.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::measure::{scratch_cargo, stripped_size};
use super::parse::lock_version;
use super::{CrateCost, FiveServices, FleetCrate, ProgramCost};
use crate::process::{run_output, run_status};

/// A model to generate: the service name (the file name without its date) and its path.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ServiceModel {
    pub(super) service: String,
    pub(super) path: PathBuf,
}

/// Workload 8's five services: the service, its model beside the checkout (relative to
/// `../shared`), and the call `main` makes with each SDK (same operation, no required
/// members, so both sides send the same request).
pub(super) const FIVE_SERVICES: &[(&str, &str, &str)] = &[
    (
        "apigatewayv2",
        "model/apigatewayv2-2018-11-29.json",
        "get_apis",
    ),
    (
        "lambda",
        "aws-models/lambda-2015-03-31.json",
        "list_functions",
    ),
    ("eks", "aws-models/eks-2017-11-01.json", "list_clusters"),
    (
        "batch",
        "aws-models/batch-2016-08-10.json",
        "describe_job_queues",
    ),
    ("sesv2", "aws-models/sesv2-2019-09-27.json", "get_account"),
];

/// The official crate of a model: `aws-sdk-` + its `aws.api#service` `sdkId`, lowercased,
/// spaces and hyphens removed (`Resource Groups Tagging API` → `aws-sdk-resourcegroupstaggingapi`).
pub(super) fn official_crate(model: &Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(model).map_err(|e| format!("read {}: {e}", model.display()))?;
    let sdk_id =
        sdk_id(&text).ok_or_else(|| format!("{}: no aws.api#service sdkId", model.display()))?;
    let name: String = sdk_id
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    Ok(format!("aws-sdk-{name}"))
}

/// The `sdkId` of the model's `aws.api#service` trait, read from the JSON AST text (the
/// first `"sdkId"` string after the trait's key; the models write it as a plain string).
pub(super) fn sdk_id(model_text: &str) -> Option<String> {
    let after_trait = &model_text[model_text.find("\"aws.api#service\"")?..];
    let after_key = &after_trait[after_trait.find("\"sdkId\"")? + "\"sdkId\"".len()..];
    let value = after_key.trim_start().strip_prefix(':')?.trim_start();
    let value = value.strip_prefix('"')?;
    let end = value.find('"')?;
    let id = &value[..end];
    (!id.is_empty() && !id.contains('\\')).then(|| id.to_string())
}

/// Generates `model` with every operation into `dir` (the runtime by path, relative when
/// `dir` is inside the checkout, as `cargo xtask fleet` does).
fn generate_crate(model: &ServiceModel, dir: &Path) -> Result<(), String> {
    let options = codegen::Options {
        models: vec![model.path.clone()],
        operations: codegen::OperationSelection::All,
        crate_name: model.service.clone(),
        runtime: crate::codegen_cmd::default_runtime(dir),
        service: None,
    };
    let files = codegen::generate(&options).map_err(|e| format!("{}: {e}", model.service))?;
    codegen::write::write_crate(dir, &files)
        .map(drop)
        .map_err(|e| format!("write {}: {e}", dir.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
}

/// An empty `dir` (whatever an earlier run left there goes).
fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("remove {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))
}

/// Runs a cargo command in a scratch project and returns its wall time in seconds.
fn timed(dir: &Path, args: &[&str]) -> Result<f64, String> {
    let start = Instant::now();
    run_status(scratch_cargo(dir).args(args))?;
    Ok(start.elapsed().as_secs_f64())
}

/// Lines of the `.rs` files under `dir` (recursively; `target/` aside).
pub(super) fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() == "target" {
                    0
                } else {
                    rust_lines(&path)
                }
            } else if path.extension().is_some_and(|x| x == "rs") {
                std::fs::read_to_string(&path).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// The registry's unpacked source of `name` `version` (`$CARGO_HOME/registry/src/*/`).
fn registry_source(name: &str, version: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let wanted = format!("{name}-{version}");
    std::fs::read_dir(home.join("registry").join("src"))
        .ok()?
        .flatten()
        .map(|index| index.path().join(&wanted))
        .find(|p| p.is_dir())
}

/// The size of the release rlib of library `lib` (the largest `lib<lib>-*.rlib`, should an
/// old build have left another).
fn rlib_bytes(target: &Path, lib: &str) -> Option<u64> {
    let prefix = format!("lib{}-", lib.replace('-', "_"));
    std::fs::read_dir(target.join("release").join("deps"))
        .ok()?
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && name.ends_with(".rlib")
        })
        .filter_map(|e| e.metadata().ok().map(|m| m.len()))
        .max()
}

/// Workload 7's measurements of package `package` in the scratch project `dir`.
fn crate_cost(dir: &Path, package: &str) -> Result<CrateCost, String> {
    run_output(scratch_cargo(dir).arg("fetch"))?;
    println!("  {package}: clean cargo build --release (with its dependencies)");
    let clean_seconds = timed(dir, &["build", "--release"])?;
    run_status(scratch_cargo(dir).args(["clean", "--release", "-p", package]))?;
    println!("  {package}: cargo build --release -p {package} (the crate alone)");
    let crate_seconds = timed(dir, &["build", "--release", "-p", package])?;
    // Read now: `cargo clean -p` below may take the release artifacts too.
    let rlib_bytes = rlib_bytes(&dir.join("target"), package)
        .ok_or_else(|| format!("no release rlib of {package} in {}", dir.display()))?;
    // The dependencies' metadata first, so the timed check is the crate's alone.
    run_status(scratch_cargo(dir).args(["check", "-p", package]))?;
    run_status(scratch_cargo(dir).args(["clean", "-p", package]))?;
    println!("  {package}: cargo check -p {package} (the crate alone)");
    let check_seconds = timed(dir, &["check", "-p", package])?;
    println!(
        "  {package}: clean {clean_seconds:.1} s, alone {crate_seconds:.1} s, check {check_seconds:.1} s, rlib {rlib_bytes} bytes"
    );
    Ok(CrateCost {
        clean_seconds,
        crate_seconds,
        check_seconds,
        lines: 0,
        rlib_bytes,
    })
}

/// Workload 7 for one service: our crate and the official one, each in its own project
/// under `target/bench-build/fleet/<service>/`.
pub(super) fn fleet_crate(root: &Path, model: &ServiceModel) -> Result<FleetCrate, String> {
    let official_crate = official_crate(&model.path)?;
    let base = root
        .join("target")
        .join("bench-build")
        .join("fleet")
        .join(&model.service);

    // Ours: a workspace of the one generated crate, versions pinned by the repository's lock.
    let ours_dir = base.join("ours");
    fresh_dir(&ours_dir)?;
    let crate_dir = ours_dir.join(&model.service);
    generate_crate(model, &crate_dir)?;
    write(
        &ours_dir.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask bench` (workload 7).\n[workspace]\nresolver = \"2\"\nmembers = [\"{}\"]\n",
            model.service
        ),
    )?;
    copy_lock(&root.join("Cargo.lock"), &ours_dir)?;
    let mut ours = crate_cost(&ours_dir, &model.service)?;
    ours.lines = rust_lines(&crate_dir.join("src"));

    // Official: a library depending on the latest 1.x of the crate, default features.
    let official_dir = base.join("official");
    fresh_dir(&official_dir)?;
    write(
        &official_dir.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask bench` (workload 7).\n[workspace]\n\n[package]\nname = \"fleet-{}-official\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{official_crate} = \"1\"\n",
            model.service
        ),
    )?;
    write(
        &official_dir.join("src").join("lib.rs"),
        &format!(
            "//! Written by `cargo xtask bench` (workload 7).\npub use {};\n",
            official_crate.replace('-', "_")
        ),
    )?;
    let mut official = crate_cost(&official_dir, &official_crate)?;
    let lock = std::fs::read_to_string(official_dir.join("Cargo.lock")).unwrap_or_default();
    let official_version = lock_version(&lock, &official_crate).unwrap_or_default();
    official.lines = registry_source(&official_crate, &official_version)
        .map_or(0, |dir| rust_lines(&dir.join("src")));
    Ok(FleetCrate {
        service: model.service.clone(),
        official_crate,
        official_version,
        ours,
        official,
    })
}

fn copy_lock(lock: &Path, dir: &Path) -> Result<(), String> {
    if lock.exists() {
        std::fs::copy(lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("copy {}: {e}", lock.display()))?;
    }
    Ok(())
}

/// The `main` of workload 8's program: builds each client (static credentials, a region,
/// an endpoint on loopback nobody listens on) and makes one call with each.
fn five_services_main(side: &str, services: &[(ServiceModel, String, &str)]) -> String {
    let mut main = format!(
        "//! Written by `cargo xtask bench` (workload 8): one call to each of {} service{} with \
         the {side} SDK. Built, never run.\n\nconst ACCESS_KEY_ID: &str = \"AKIDEXAMPLE\";\n\
         const SECRET_ACCESS_KEY: &str = \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\";\n\n\
         fn report<T: std::fmt::Debug, E: std::fmt::Display>(call: &str, result: Result<T, E>) {{\n    \
         match result {{\n        Ok(output) => println!(\"{{call}}: {{output:?}}\"),\n        \
         Err(e) => println!(\"{{call}}: error: {{e}}\"),\n    }}\n}}\n\n#[tokio::main]\nasync fn main() {{\n    \
         let endpoint = std::env::args().nth(1).unwrap_or_else(|| \"http://127.0.0.1:9\".to_string());\n",
        services.len(),
        if services.len() == 1 { "" } else { "s" }
    );
    for (model, official, call) in services {
        let krate = if side == "ours" {
            model.service.replace('-', "_")
        } else {
            official.replace('-', "_")
        };
        let config = if side == "ours" {
            format!(
                "{krate}::Config::builder()\n        .region(\"us-east-1\")\n        \
                 .credentials({krate}::config::Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, \"static\"))\n        \
                 .endpoint_url(&endpoint)\n        .build()"
            )
        } else {
            format!(
                "{krate}::Config::builder()\n        .behavior_version({krate}::config::BehaviorVersion::latest())\n        \
                 .region({krate}::config::Region::new(\"us-east-1\"))\n        \
                 .credentials_provider({krate}::config::Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, \"static\"))\n        \
                 .endpoint_url(&endpoint)\n        .build()"
            )
        };
        let client = if side == "ours" {
            format!("{krate}::Client::new({config})")
        } else {
            format!("{krate}::Client::from_conf({config})")
        };
        main.push_str(&format!(
            "    let {krate}_client = {client};\n    report(\"{} {call}\", {krate}_client.{call}().send().await);\n",
            model.service
        ));
    }
    main.push_str("}\n");
    main
}

/// Workload 8: the five-service program for `side` (`ours` or `official`) under
/// `target/bench-build/five/<side>/`, built clean, then stripped.
pub(super) fn five_services_program(
    root: &Path,
    side: &str,
    services: &[(ServiceModel, String, &str)],
) -> Result<ProgramCost, String> {
    let dir = root
        .join("target")
        .join("bench-build")
        .join("five")
        .join(side);
    fresh_dir(&dir)?;
    let name = format!("five-services-{side}");
    let mut dependencies = String::new();
    for (model, official, _) in services {
        if side == "ours" {
            let crate_dir = dir.join("crates").join(&model.service);
            generate_crate(model, &crate_dir)?;
            dependencies.push_str(&format!(
                "{} = {{ path = \"crates/{}\" }}\n",
                model.service, model.service
            ));
        } else {
            dependencies.push_str(&format!("{official} = \"1\"\n"));
        }
    }
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask bench` (workload 8).\n[workspace]\nresolver = \"2\"\n\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dependencies}tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n"
        ),
    )?;
    write(
        &dir.join("src").join("main.rs"),
        &five_services_main(side, services),
    )?;
    if side == "ours" {
        copy_lock(&root.join("Cargo.lock"), &dir)?;
    }
    // Downloads are not part of the build time.
    run_output(scratch_cargo(&dir).arg("fetch"))?;
    println!("  {side}: cargo build --release (clean)");
    let seconds = timed(&dir, &["build", "--release", "-p", &name])?;
    let stripped_bytes = stripped_size(&dir, &name)?;
    println!("  {side}: {seconds:.1} s, {stripped_bytes} bytes stripped");
    Ok(ProgramCost {
        seconds,
        stripped_bytes,
    })
}

/// Workload 8 for both sides; `names` picks from [`FIVE_SERVICES`] (all five by default).
pub(super) fn five_services(root: &Path, names: &[String]) -> Result<FiveServices, String> {
    let shared = root
        .parent()
        .map(|p| p.join("shared"))
        .ok_or("the checkout has no parent directory")?;
    for name in names {
        if !FIVE_SERVICES.iter().any(|(s, _, _)| s == name) {
            return Err(format!(
                "--program-services: `{name}` is not one of workload 8's services ({})",
                FIVE_SERVICES
                    .iter()
                    .map(|(s, _, _)| *s)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let mut services = Vec::new();
    for (service, model, call) in FIVE_SERVICES {
        if !names.is_empty() && !names.iter().any(|n| n == service) {
            continue;
        }
        let path = shared.join(model);
        if !path.exists() {
            return Err(format!("workload 8 needs {}", path.display()));
        }
        let official = official_crate(&path)?;
        let model = ServiceModel {
            service: service.to_string(),
            path,
        };
        services.push((model, official, *call));
    }
    let ours = five_services_program(root, "ours", &services)?;
    let official = five_services_program(root, "official", &services)?;
    let lock = std::fs::read_to_string(
        root.join("target")
            .join("bench-build")
            .join("five")
            .join("official")
            .join("Cargo.lock"),
    )
    .unwrap_or_default();
    Ok(FiveServices {
        services: services.iter().map(|(m, _, _)| m.service.clone()).collect(),
        official_versions: services
            .iter()
            .map(|(_, official, _)| {
                let version = lock_version(&lock, official).unwrap_or_default();
                (official.clone(), version)
            })
            .collect(),
        ours,
        official,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_crate_names_come_from_the_sdk_id() {
        let model = r#"{"shapes": {"a#S": {"type": "service", "traits": {
            "aws.api#service": {"sdkId" : "Resource Groups-Tagging API", "arnNamespace": "x"}}}}}"#;
        assert_eq!(
            sdk_id(model).as_deref(),
            Some("Resource Groups-Tagging API")
        );
        let path =
            std::env::temp_dir().join(format!("xtask-bench-sdkid-{}.json", std::process::id()));
        std::fs::write(&path, model).unwrap();
        let name = official_crate(&path);
        let _ = std::fs::remove_file(&path);
        assert_eq!(name.as_deref(), Ok("aws-sdk-resourcegroupstaggingapi"));
        assert_eq!(sdk_id(r#"{"sdkId": "NoTrait"}"#), None);
        assert_eq!(sdk_id(r#"{"aws.api#service": {"sdkId": 3}}"#), None);
    }

    #[test]
    fn the_programs_call_each_service_once() {
        let services = vec![(
            ServiceModel {
                service: "sso-oidc".into(),
                path: PathBuf::from("x.json"),
            },
            "aws-sdk-ssooidc".to_string(),
            "list_things",
        )];
        let ours = five_services_main("ours", &services);
        assert!(
            ours.contains("let sso_oidc_client = sso_oidc::Client::new("),
            "{ours}"
        );
        assert!(
            ours.contains(
                "report(\"sso-oidc list_things\", sso_oidc_client.list_things().send().await);"
            ),
            "{ours}"
        );
        let official = five_services_main("official", &services);
        assert!(
            official
                .contains("aws_sdk_ssooidc::Client::from_conf(aws_sdk_ssooidc::Config::builder()"),
            "{official}"
        );
        assert!(official.contains("BehaviorVersion::latest()"), "{official}");
    }
}
