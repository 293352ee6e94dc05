//! SDK-agnostic load driver shared by `bench-ours` (this crate) and `bench-official`
//! (`tests/bench-compare`, which includes this file with `#[path]` so the official side
//! never depends on our crate): sequential and concurrent `get_stage` loops against the
//! bench server, bounded in calls and in time, and the process's peak RSS.
//!
//! Command line (both binaries):
//!
//! ```text
//! bench-ours|bench-official --endpoint http://127.0.0.1:PORT [--mode seq|concurrent]
//!     [--calls N] [--seconds S] [--tasks T] [--warmup W] [--ca-file PEM]
//! ```
//!
//! `--ca-file`: the HTTPS workload's test CA (PEM, written by `bench-server --tls`), the one
//! root the client trusts.
//!
//! prints one line: `mode=seq calls=N seconds=S calls_per_sec=R peak_rss_kib=K`.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How to drive the calls.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadArgs {
    /// The bench server's URL, given to the client as its endpoint URL.
    pub endpoint: String,
    /// `true`: one task; `false`: `tasks` concurrent tasks.
    pub sequential: bool,
    /// Stop after this many calls (not counting the warm-up)...
    pub calls: u64,
    /// ...or after this long, whichever comes first.
    pub seconds: f64,
    /// Concurrent tasks in `concurrent` mode.
    pub tasks: usize,
    /// Calls made before the clock starts (connection set-up, caches).
    pub warmup: u64,
    /// A PEM file of the certificate authority to trust (HTTPS against the bench server).
    pub ca_file: Option<String>,
}

impl LoadArgs {
    /// Parses the command line (without the program name).
    pub fn parse(args: &[String]) -> Result<LoadArgs, String> {
        let mut parsed = LoadArgs {
            endpoint: String::new(),
            sequential: true,
            calls: 10_000,
            seconds: 5.0,
            tasks: 32,
            warmup: 100,
            ca_file: None,
        };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let mut value = || {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            let number = |text: String| -> Result<f64, String> {
                text.parse::<f64>()
                    .map_err(|e| format!("{flag}: `{text}`: {e}"))
            };
            match flag.as_str() {
                "--endpoint" => parsed.endpoint = value()?,
                "--mode" => {
                    parsed.sequential = match value()?.as_str() {
                        "seq" => true,
                        "concurrent" => false,
                        other => return Err(format!("--mode seq|concurrent, not `{other}`")),
                    }
                }
                "--calls" => parsed.calls = number(value()?)? as u64,
                "--seconds" => parsed.seconds = number(value()?)?,
                "--tasks" => parsed.tasks = (number(value()?)? as usize).max(1),
                "--warmup" => parsed.warmup = number(value()?)? as u64,
                "--ca-file" => parsed.ca_file = Some(value()?),
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        if parsed.endpoint.is_empty() {
            return Err("--endpoint URL is required".to_string());
        }
        Ok(parsed)
    }
}

/// What a load run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadResult {
    /// Calls completed while the clock ran.
    pub calls: u64,
    /// How long they took.
    pub elapsed: Duration,
}

impl LoadResult {
    /// Completed calls per second.
    pub fn calls_per_sec(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Makes calls one after the other until `calls` are done or `limit` has passed.
pub async fn sequential<C, F, Fut>(
    client: &C,
    call: F,
    calls: u64,
    limit: Duration,
) -> Result<LoadResult, String>
where
    F: Fn(&C) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let start = Instant::now();
    let mut done = 0;
    while done < calls {
        call(client).await?;
        done += 1;
        // Reading the clock every call costs ~20 ns: negligible next to a call.
        if start.elapsed() >= limit {
            break;
        }
    }
    Ok(LoadResult {
        calls: done,
        elapsed: start.elapsed(),
    })
}

/// Makes calls from `tasks` concurrent tasks (spawned on the current runtime) until
/// `calls` are done or `limit` has passed.
pub async fn concurrent<C, F, Fut>(
    client: &C,
    call: F,
    calls: u64,
    tasks: usize,
    limit: Duration,
) -> Result<LoadResult, String>
where
    C: Clone + Send + Sync + 'static,
    F: Fn(&C) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let start = Instant::now();
    let remaining = Arc::new(AtomicU64::new(calls));
    let done = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let (client, call) = (client.clone(), call.clone());
        let (remaining, done) = (remaining.clone(), done.clone());
        handles.push(tokio::spawn(async move {
            loop {
                let claimed =
                    remaining.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                        left.checked_sub(1)
                    });
                if claimed.is_err() || start.elapsed() >= limit {
                    return Ok::<(), String>(());
                }
                call(&client).await?;
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for handle in handles {
        handle
            .await
            .map_err(|e| format!("load task panicked: {e}"))??;
    }
    Ok(LoadResult {
        calls: done.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
    })
}

/// The process's peak resident set size in KiB (`VmHWM` in `/proc/self/status`), when the
/// platform has it.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The whole `main` of a load binary: parses the command line, builds a multi-threaded
/// tokio runtime (what `#[tokio::main]` gives), makes the client (from the endpoint and the
/// `--ca-file` PEM, if any), warms up, measures and prints the result line.
pub fn main_with<C, M, F, Fut>(make_client: M, call: F) -> Result<(), String>
where
    C: Clone + Send + Sync + 'static,
    M: FnOnce(&str, Option<&str>) -> Result<C, String>,
    F: Fn(&C) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = LoadArgs::parse(&args)?;
    let ca_pem = match &args.ca_file {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let result = runtime.block_on(async {
        let client = make_client(&args.endpoint, ca_pem.as_deref())?;
        let limit = Duration::from_secs_f64(args.seconds);
        if args.sequential {
            sequential(&client, &call, args.warmup, limit).await?;
            sequential(&client, &call, args.calls, limit).await
        } else {
            let warmup = args.warmup.max(args.tasks as u64);
            concurrent(&client, call.clone(), warmup, args.tasks, limit).await?;
            concurrent(&client, call, args.calls, args.tasks, limit).await
        }
    })?;
    println!(
        "mode={} calls={} seconds={:.6} calls_per_sec={:.1} peak_rss_kib={}",
        if args.sequential { "seq" } else { "concurrent" },
        result.calls,
        result.elapsed.as_secs_f64(),
        result.calls_per_sec(),
        peak_rss_kib().unwrap_or(0),
    );
    Ok(())
}

/// Parses a result line printed by [`main_with`] into `(key, value)` pairs.
pub fn parse_result_line(line: &str) -> Vec<(&str, &str)> {
    line.split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .collect()
}
