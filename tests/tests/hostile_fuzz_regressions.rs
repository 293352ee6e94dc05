//! Replays the fuzzers' inputs in the normal suite: every committed seed
//! (`tests/fuzz/corpus/<target>/`) and every input that once crashed a target
//! (`tests/fuzz/regressions/<target>/`), through the same harness code the fuzz targets use
//! (`tests/fuzz/src/`, included here by path so that both always agree).

use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};

#[allow(dead_code)]
#[path = "../fuzz/src/model.rs"]
mod model;

#[allow(dead_code)]
#[path = "../fuzz/src/idl.rs"]
mod idl;

#[allow(dead_code)]
#[path = "../fuzz/src/endpoint.rs"]
mod endpoint;

#[allow(dead_code)]
#[path = "../fuzz/src/client.rs"]
mod client;

fn fuzz_dir() -> PathBuf {
    tests::workspace_root().join("tests").join("fuzz")
}

/// The files of `tests/fuzz/<kind>/<target>/`, sorted. Every target has a committed seed
/// corpus, so a missing `corpus/<target>/` fails; a target without a `regressions/<target>/`
/// folder has none.
fn inputs(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join(kind).join(target);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if kind == "regressions" && e.kind() == std::io::ErrorKind::NotFound => {
            return Vec::new()
        }
        Err(e) => panic!("{}: {e}", dir.display()),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).expect("readable")))
        .collect()
}

/// Runs `check` on every input of the target, naming the file of the first that panics.
/// Finding no input at all fails: the committed inputs are gone.
fn replay(target: &str, kinds: &[&str], check: impl Fn(&[u8])) {
    let mut replayed = 0;
    for kind in kinds {
        for (path, data) in inputs(kind, target) {
            replayed += 1;
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data)));
            if let Err(panic) = outcome {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                panic!("{} fails: {message}", shown(&path));
            }
        }
    }
    let dirs: Vec<String> = kinds
        .iter()
        .map(|kind| shown(&fuzz_dir().join(kind).join(target)))
        .collect();
    assert!(replayed > 0, "no inputs in {}", dirs.join(" or "));
}

fn shown(path: &Path) -> String {
    path.strip_prefix(tests::workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// As libfuzzer-sys builds a typed input: `arbitrary_take_rest`, skipping bytes that do not
/// make one.
fn typed<T: for<'a> Arbitrary<'a>>(data: &[u8], check: impl Fn(&T)) {
    if let Ok(input) = T::arbitrary_take_rest(Unstructured::new(data)) {
        check(&input);
    }
}

#[test]
fn model_bytes_inputs() {
    replay("model_bytes", &["corpus", "regressions"], model::fuzz_bytes);
}

#[test]
fn idl_bytes_inputs() {
    replay("idl_bytes", &["corpus", "regressions"], idl::fuzz_idl_bytes);
}

/// The `service*` IDL seeds are whole valid models, so the fuzzer starts past the front end.
#[test]
fn idl_bytes_seeds_generate() {
    let seeds = inputs("corpus", "idl_bytes");
    assert!(
        !seeds.is_empty(),
        "tests/fuzz/corpus/idl_bytes has no seeds"
    );
    for (path, data) in seeds {
        if !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("service"))
        {
            continue;
        }
        let text = std::str::from_utf8(data.get(1..).unwrap_or_default()).expect("UTF-8");
        let files = [("seed.smithy".to_string(), text.to_string())];
        if let Err(e) = model::generate(&files, &codegen::OperationSelection::All) {
            panic!("{} is rejected: {e}", shown(&path));
        }
    }
}

#[test]
fn model_mutate_inputs() {
    replay("model_mutate", &["corpus", "regressions"], |data| {
        typed(data, model::fuzz_mutations)
    });
}

#[test]
fn endpoint_resolve_seeds() {
    replay("endpoint_resolve", &["corpus"], |data| {
        typed(data, endpoint::check)
    });
}

#[test]
fn get_stage_response_inputs() {
    replay("get_stage_response", &["corpus", "regressions"], |data| {
        typed(data, client::check_response)
    });
}

#[test]
fn error_response_inputs() {
    replay("error_response", &["corpus", "regressions"], |data| {
        typed(data, client::check_error)
    });
}

#[test]
fn request_serialize_inputs() {
    replay("request_serialize", &["corpus", "regressions"], |data| {
        typed(data, client::check_request)
    });
}

/// Found by `endpoint_resolve`: the resolver puts any region text into the endpoint's host,
/// so a region can carry userinfo, a port, a path or a fragment and move the signed request
/// to another host (`x@evil.example#` → `https://apigateway.x@evil.example#.amazonaws.com`,
/// whose host is `evil.example`). Fixed: `rt::endpoint::partition` gives no partition to a
/// region that is not one DNS label, so such a region does not resolve.
#[test]
fn endpoint_resolve_regressions() {
    replay("endpoint_resolve", &["regressions"], |data| {
        typed(data, endpoint::check)
    });
}

#[test]
fn a_region_cannot_move_the_request_to_another_host() {
    for region in [
        "x@evil.example#",
        "evil.example/",
        "evil.example:8443#",
        "us-east-1?",
        "us-east-1\r\nX: y",
        "a b",
    ] {
        for (fips, dual) in [(false, false), (true, false), (false, true), (true, true)] {
            endpoint::check(&endpoint::EndpointInput {
                region: Some(endpoint::Region::Raw(region.to_string())),
                use_fips: Some(fips),
                use_dual_stack: Some(dual),
                endpoint: None,
            });
        }
    }
}
