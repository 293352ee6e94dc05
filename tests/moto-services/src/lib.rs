//! What the moto-services tests share: moto server, the generated clients' configuration,
//! boto3 (from the Python that runs moto) as the reference client, and the comparison of
//! a generated output with what boto3 parsed from the same server.
//!
//! boto3 is driven through `boto3_call.py`, one Python process per test that answers a
//! JSON line per batch of calls: it prints each output in the wire JSON form the generated
//! crates' `serde` feature writes (members under their JSON names), so [`assert_same`] can
//! compare the two whole.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

use aws_client_runtime::credentials::Credentials;
use aws_client_runtime::error::{Error, ProvideErrorMetadata};
use aws_client_runtime::SharedConfig;
use serde_json::{json, Value};

#[path = "../../moto_server.rs"]
mod moto_server;
use moto_server::MotoServer;

/// The region every test signs for (moto keeps one state per region).
pub const REGION: &str = "us-east-1";

/// The checkout's root (where `target/moto-venv` lives).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One test's moto server and the boto3 process that reads it; both stop when it drops.
pub struct Moto {
    server: MotoServer,
    boto3: Mutex<Option<Boto3>>,
}

impl Moto {
    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> &str {
        self.server.endpoint()
    }
}

/// A running `boto3_call.py`.
struct Boto3 {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Boto3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a moto server for one test; it stops when the value drops.
pub fn start_moto() -> Moto {
    Moto {
        server: MotoServer::start(&workspace()),
        boto3: Mutex::new(None),
    }
}

/// A configuration for every generated client: moto's endpoint, static test credentials,
/// one attempt (moto never throttles, and a retried failure would hide the first one).
pub fn shared_config(moto: &Moto) -> SharedConfig {
    SharedConfig::builder()
        .region(REGION)
        .credentials(Credentials::new(
            "AKIDTEST",
            "secret",
            None,
            None,
            "moto-tests",
        ))
        .endpoint_url(moto.endpoint())
        .max_attempts(1)
        .build()
}

/// One call for [`boto3`]: `service` is boto3's client name, `operation` the model's
/// operation name, `params` boto3's keyword arguments.
pub fn call(service: &str, operation: &str, params: Value) -> Value {
    json!({"service": service, "operation": operation, "params": params})
}

/// One paginated call for [`boto3`]: boto3's paginator with `PageSize` = `page_size`.
pub fn paginate(service: &str, operation: &str, params: Value, page_size: i32) -> Value {
    json!({"service": service, "operation": operation, "params": params, "page_size": page_size})
}

/// Runs `calls` through boto3 against `moto` (the test's `boto3_call.py`, started on first
/// use); one result per call: `{"output": ..}`, `{"pages": [..]}` or
/// `{"error": {"code", "message", "status"}}`.
pub fn boto3(moto: &Moto, calls: &[Value]) -> Vec<Value> {
    let mut guard = moto.boto3.lock().unwrap_or_else(|e| e.into_inner());
    let process = guard.get_or_insert_with(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("boto3_call.py");
        let python = moto.server.python();
        let mut child = Command::new(python)
            .arg(&script)
            .args([moto.endpoint(), REGION])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {python} {}: {e}", script.display()));
        Boto3 {
            stdin: child.stdin.take().expect("piped stdin"),
            stdout: BufReader::new(child.stdout.take().expect("piped stdout")),
            child,
        }
    });
    let request = json!({ "calls": calls });
    writeln!(process.stdin, "{request}").expect("write to boto3_call.py");
    let mut line = String::new();
    process
        .stdout
        .read_line(&mut line)
        .expect("read from boto3_call.py");
    assert!(
        !line.is_empty(),
        "boto3_call.py ended without an answer (its error is above)"
    );
    let results: Vec<Value> = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("boto3_call.py printed no JSON list ({e}): {line}"));
    assert_eq!(results.len(), calls.len(), "one result per call");
    results
}

/// The output of one successful boto3 call.
pub fn boto3_output(moto: &Moto, service: &str, operation: &str, params: Value) -> Value {
    let result = boto3(moto, &[call(service, operation, params)]).remove(0);
    match result.get("output") {
        Some(output) => output.clone(),
        None => panic!("boto3 {service} {operation}: {result}"),
    }
}

/// The error of one boto3 call that must fail: `{"code", "message", "status"}`.
pub fn boto3_error(moto: &Moto, service: &str, operation: &str, params: Value) -> Value {
    let result = boto3(moto, &[call(service, operation, params)]).remove(0);
    match result.get("error") {
        Some(error) => error.clone(),
        None => panic!("boto3 {service} {operation} succeeded: {result}"),
    }
}

/// Asserts that `err` is the service error boto3 got (`{"code", "message", "status"}`, from
/// [`boto3_error`]) for the same call against the same server.
#[track_caller]
pub fn assert_same_error<E: ProvideErrorMetadata + std::fmt::Debug>(err: &Error<E>, boto3: &Value) {
    assert_eq!(err.code(), boto3["code"].as_str(), "code of {err:?}");
    assert_eq!(
        err.message(),
        boto3["message"].as_str(),
        "message of {err:?}"
    );
    assert_eq!(
        err.status().map(u64::from),
        boto3["status"].as_u64(),
        "status of {err:?}"
    );
    assert!(err.request_id().is_some(), "request id of {err:?}");
}

/// A generated value in its wire JSON form (the crates' `serde` feature).
pub fn wire<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("generated types serialize")
}

/// Asserts that `ours` (a generated value in its wire form) and `boto3` (what boto3 parsed,
/// in the same form) are the same value. Numbers are equal within 1 ms, since timestamps
/// are epoch seconds (boto3 keeps microseconds); a timestamp written as a string on one side
/// and a number on the other is compared as an instant. A member with a Smithy `@default`
/// is no `Option` in Rust, so `ours` holds it even when the server left it out: a member
/// only in `ours` is accepted when it holds `0` or `false` (what those defaults are here).
/// Anything else must be equal.
#[track_caller]
pub fn assert_same(ours: &Value, boto3: &Value, what: &str) {
    if let Err(path) = same(ours, boto3, String::new()) {
        panic!("{what}: differs from boto3 at `{path}`\n ours:  {ours}\n boto3: {boto3}");
    }
}

fn same(a: &Value, b: &Value, path: String) -> Result<(), String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let here = format!("{path}.{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => same(p, q, here)?,
                    (Some(p), None) if is_zero_default(p) => {}
                    _ => return Err(here),
                }
            }
            Ok(())
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Err(format!("{path}[len]"));
            }
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same(p, q, format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ => match (instant(a), instant(b)) {
            (Some(p), Some(q)) if a.is_number() || b.is_number() => {
                if (p - q).abs() < 1e-3 {
                    Ok(())
                } else {
                    Err(path)
                }
            }
            _ if a == b => Ok(()),
            _ => Err(path),
        },
    }
}

fn is_zero_default(value: &Value) -> bool {
    value == &json!(false) || value.as_f64() == Some(0.0)
}

/// A number, or an RFC 3339 date-time string, as epoch seconds.
fn instant(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .ok()?;
            Some(t.unix_timestamp_nanos() as f64 / 1e9)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_tolerates_microseconds_and_nothing_else() {
        assert!(same(&json!({"t": 1.0}), &json!({"t": 1.0004}), String::new()).is_ok());
        assert!(same(
            &json!({"t": "2024-01-01T00:00:00Z"}),
            &json!({"t": 1704067200.0}),
            String::new()
        )
        .is_ok());
        assert_eq!(
            same(&json!({"a": [1, 2]}), &json!({"a": [1, 3]}), String::new()),
            Err(".a[1]".to_string())
        );
        assert_eq!(
            same(&json!({"a": 1}), &json!({"a": 1, "b": null}), String::new()),
            Err(".b".to_string())
        );
        assert!(same(&json!({"n": 0, "b": false}), &json!({}), String::new()).is_ok());
        assert_eq!(
            same(&json!({"n": 1}), &json!({}), String::new()),
            Err(".n".to_string())
        );
        assert_eq!(
            same(&json!({}), &json!({"n": 0}), String::new()),
            Err(".n".to_string())
        );
        assert_eq!(
            same(&json!({"s": "2024"}), &json!({"s": "2025"}), String::new()),
            Err(".s".to_string())
        );
    }
}
