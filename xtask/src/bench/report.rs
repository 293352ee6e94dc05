//! Rendering the results: the table printed at the end of a run and `BENCHMARKS.md` (the
//! machine, the table, the targets, the method, the dependency tree and the profiles).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use super::measure::utc_now;
use super::parse::lock_version;
use super::{
    BuildCost, CodegenSpeed, CrateCost, Pair, ProgramCost, Results, Settings, Subset, FLEET_CRATES,
};
use crate::process::stdout_if_ok;

/// Why each direct dependency of the generated crate is there.
const JUSTIFICATIONS: &[(&str, &str)] = &[
    ("aws-client-runtime", "the runtime every generated crate shares (config, HTTP, signing, retries, endpoints, wire helpers); its optional features (`event-stream`, `http2`, `pattern`, `request-compression`, `content-md5`) are on only in crates whose code uses them"),
    ("hyper", "the HTTP/1.1 client connection (HTTP/2 with the `http2` feature)"),
    ("hyper-util", "the pooled keep-alive client, the connector, and proxies from the environment (`HTTPS_PROXY`/`NO_PROXY`: its matcher and `CONNECT` tunnel, which bring `ipnet` and `base64`)"),
    ("hyper-rustls", "TLS for the connector: rustls with ring, webpki-roots trust anchors"),
    ("rustls", "TLS (ring provider, TLS 1.2 and 1.3), also configured directly for added root certificates"),
    ("webpki-roots", "the Mozilla trust anchors, so no system certificate store is read"),
    ("tower-service", "the `Service` trait hyper-util's connectors implement"),
    ("aws-sigv4", "SigV4: the signing key and signature HMAC (`sign::v4`) and event-stream frame signing; brings aws-smithy-runtime-api/-types/-http/-async, base64-simd, bytes-utils, hex and RustCrypto's sha2/hmac"),
    ("aws-smithy-runtime-api", "`aws-sigv4`'s signing-identity type; its subtree is aws-sigv4's"),
    ("aws-smithy-types", "the event-stream `Message` type and the types `aws-sigv4` signs; in aws-sigv4's subtree already"),
    ("aws-credential-types", "the `Credentials`/`ProvideCredentials` types, so aws-config's providers plug in; nothing only through it"),
    ("tokio", "timers for the attempt/operation timeouts and retry back-off, files for streamed bodies; the runtime users already run"),
    ("time", "timestamps (`DateTime`), RFC 3339/HTTP-date parsing and the signing time"),
    ("serde_json", "restJson1 bodies and endpoint rule-set properties"),
    ("serde", "serde_json's data model and the `serde` feature"),
    ("tracing", "operation and attempt spans, retry and timeout events (no `attributes`, so no proc macro)"),
    ("http", "request/response types shared with the signer and the HTTP client"),
    ("http-body", "the body trait of streamed requests and responses"),
    ("http-body-util", "boxed and collected bodies"),
    ("futures-core", "the `Stream` trait of byte streams, event streams and paginators"),
    ("bytes", "zero-copy bodies"),
    ("base64", "blob members (the version hyper-util's proxy support uses)"),
    ("percent-encoding", "URI label and query encoding, and the canonical request"),
    ("sha2", "SHA-256 of bodies and canonical requests, and tree hashes"),
    ("regex-lite", "the partitions' region regexes in endpoint resolution (no Unicode tables)"),
    ("fastrand", "retry back-off jitter, invocation ids and idempotency tokens"),
];

/// What the report says about the machine and the versions measured.
#[derive(Debug, Default)]
pub(super) struct Machine {
    cores: usize,
    cpu: String,
    os: String,
    date: String,
    rustc: String,
    commit: String,
    ours_version: String,
    official_versions: Vec<(String, String)>,
    ours_versions: Vec<(String, String)>,
}

impl Machine {
    pub(super) fn detect(root: &Path) -> Machine {
        let text = |program: &str, args: &[&str]| {
            stdout_if_ok(Command::new(program).args(args).current_dir(root)).unwrap_or_default()
        };
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".to_string());
        let dirty = !text("git", &["status", "--porcelain"]).is_empty();
        let commit = format!(
            "{}{}",
            text("git", &["rev-parse", "--short", "HEAD"]),
            if dirty {
                " (with uncommitted changes)"
            } else {
                ""
            }
        );
        let compare_lock = std::fs::read_to_string(root.join("tests/bench-compare/Cargo.lock"))
            .unwrap_or_default();
        let root_lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
        let pick = |lock: &str, names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .filter_map(|n| lock_version(lock, n).map(|v| (n.to_string(), v)))
                .collect()
        };
        let manifest = std::fs::read_to_string(root.join("generated/apigatewayv2/Cargo.toml"))
            .unwrap_or_default();
        let ours_version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = "))
            .map(|v| v.trim_matches('"').to_string())
            .unwrap_or_default();
        Machine {
            cores: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(0),
            cpu,
            os: text("uname", &["-srm"]),
            date: utc_now(),
            rustc: text("rustc", &["--version"]),
            commit,
            ours_version,
            official_versions: pick(
                &compare_lock,
                &[
                    "aws-sdk-apigatewayv2",
                    "aws-smithy-runtime",
                    "aws-smithy-http-client",
                    "aws-sigv4",
                    "hyper",
                    "rustls",
                    "tokio",
                    "criterion",
                ],
            ),
            ours_versions: pick(
                &root_lock,
                &[
                    "aws-sigv4",
                    "hyper-util",
                    "hyper",
                    "rustls",
                    "tokio",
                    "criterion",
                ],
            ),
        }
    }
}

pub(super) fn thousands(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

fn show(value: Option<f64>, unit: &str, decimals: usize) -> String {
    match value {
        Some(v) if unit.is_empty() => thousands(v, decimals),
        Some(v) => format!("{} {unit}", thousands(v, decimals)),
        None => "—".to_string(),
    }
}

fn show_ratio(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) if r >= 10.0 => format!("{r:.1}"),
        Some(r) => format!("{r:.2}"),
        None => "—".to_string(),
    }
}

/// Peak RSS of our sequential run on 2026-11-25 (5.5 MiB): issue 15's "no higher than today".
const PEAK_RSS_BEFORE_KIB: f64 = 5.5 * 1024.0;

/// One target: its wording, and whether it is met (`None`: not measured).
struct Target {
    row: String,
    text: String,
    met: Option<bool>,
    figures: String,
}

fn targets(r: &Results) -> Vec<Target> {
    let ratio_at_least = |pair: &Pair, k: f64| pair.ratio().map(|x| x >= k);
    let ratio_at_most = |pair: &Pair, k: f64| pair.ratio().map(|x| x <= k);
    let times = |pair: &Pair, unit: &str, decimals: usize| {
        format!(
            "ours {}, official {}, official/ours {}",
            show(pair.ours, unit, decimals),
            show(pair.official, unit, decimals),
            show_ratio(pair.ratio())
        )
    };
    let build = Pair::new(
        r.build_ours.as_ref().map(|b| b.seconds),
        r.build_official.as_ref().map(|b| b.seconds),
    );
    let size = Pair::new(
        r.build_ours
            .as_ref()
            .map(|b| b.stripped_bytes as f64 / 1048576.0),
        r.build_official
            .as_ref()
            .map(|b| b.stripped_bytes as f64 / 1048576.0),
    );
    let packages = r.build_ours.as_ref().map(|b| b.packages);
    let mut targets = vec![
        Target {
            row: "1".into(),
            text: "parse ≥ 2× faster than official".into(),
            met: ratio_at_least(&r.parse, 2.0),
            figures: times(&r.parse, "ns", 0),
        },
        Target {
            row: "2".into(),
            text: "request build + sign ≥ 2× faster".into(),
            met: ratio_at_least(&r.request, 2.0),
            figures: times(&r.request, "ns", 0),
        },
        Target {
            row: "3a".into(),
            text: "≥ 2.5× calls/s, sequential".into(),
            met: ratio_at_most(&r.sequential, 0.4),
            figures: times(&r.sequential, "calls/s", 0),
        },
        Target {
            row: "3b".into(),
            text: "≥ 2.5× calls/s, 32 concurrent tasks".into(),
            met: ratio_at_most(&r.concurrent, 0.4),
            figures: times(&r.concurrent, "calls/s", 0),
        },
        Target {
            row: "3c".into(),
            text: "peak RSS no higher than before (5.5 MiB, 2026-11-25)".into(),
            met: r.peak_rss_kib.ours.map(|k| k <= PEAK_RSS_BEFORE_KIB),
            figures: show(r.peak_rss_kib.ours.map(|k| k / 1024.0), "MiB", 1),
        },
        Target {
            row: "6".into(),
            text: "instructions per call ≤ ⅓ of official".into(),
            met: ratio_at_least(&r.instructions, 3.0),
            figures: times(&r.instructions, "", 0),
        },
        Target {
            row: "5a".into(),
            text: "clean release build ≤ ½ official time".into(),
            met: ratio_at_least(&build, 2.0),
            figures: times(&build, "s", 1),
        },
        Target {
            row: "5c".into(),
            text: "stripped binary ≤ ½ official".into(),
            met: ratio_at_least(&size, 2.0),
            figures: times(&size, "MiB", 2),
        },
        Target {
            row: "5b".into(),
            text: "distinct packages ≤ 88".into(),
            met: packages.map(|p| p <= 88),
            figures: format!(
                "ours {}, official {}",
                packages.map_or("—".to_string(), |p| p.to_string()),
                r.build_official
                    .as_ref()
                    .map_or("—".to_string(), |b| b.packages.to_string())
            ),
        },
        Target {
            row: "4b".into(),
            text: "codegen of the full official model < 0.5 s".into(),
            met: r.codegen_full_ns.map(|ns| ns < 0.5e9),
            figures: show(r.codegen_full_ns.map(|ns| ns / 1e6), "ms", 1),
        },
        Target {
            row: "4a".into(),
            text: "codegen of model/ < 50 ms".into(),
            met: r.codegen_model_ns.map(|ns| ns < 50e6),
            figures: show(r.codegen_model_ns.map(|ns| ns / 1e6), "ms", 2),
        },
    ];
    targets.extend(fleet_targets(r));
    targets.extend(later_targets(r));
    targets
}

/// Workload 7's target, one per crate (or one "not measured" line).
fn fleet_targets(r: &Results) -> Vec<Target> {
    const TEXT: &str = "service crate alone builds in ≤ ⅓ of the official crate's time";
    if r.fleet.is_empty() {
        return vec![Target {
            row: "7".into(),
            text: format!("{TEXT} (the {FLEET_CRATES} largest generated crates)"),
            met: None,
            figures: "—".into(),
        }];
    }
    r.fleet
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let alone = Pair::new(Some(c.ours.crate_seconds), Some(c.official.crate_seconds));
            Target {
                row: format!("7.{}a", i + 1),
                text: format!("{}: {TEXT}", c.service),
                met: alone.ratio().map(|x| x >= 3.0),
                figures: format!(
                    "ours {}, official {} ({} {}), official/ours {}",
                    show(alone.ours, "s", 1),
                    show(alone.official, "s", 1),
                    c.official_crate,
                    c.official_version,
                    show_ratio(alone.ratio())
                ),
            }
        })
        .collect()
}

/// Workloads 8, 9 and 10's targets.
fn later_targets(r: &Results) -> Vec<Target> {
    let times = |pair: &Pair, unit: &str, decimals: usize| {
        format!(
            "ours {}, official {}, official/ours {}",
            show(pair.ours, unit, decimals),
            show(pair.official, unit, decimals),
            show_ratio(pair.ratio())
        )
    };
    let five_build = five_pair(r, |p| p.seconds);
    let five_size = five_pair(r, |p| p.stripped_bytes as f64 / 1048576.0);
    let speed = r.codegen_speed.as_ref();
    let linearity = speed.and_then(linearity);
    vec![
        Target {
            row: "8a".into(),
            text: "five-service program: clean release build ≤ ½ official time (workload 5's target; the issue sets none)".into(),
            met: five_build.ratio().map(|x| x >= 2.0),
            figures: times(&five_build, "s", 1),
        },
        Target {
            row: "8b".into(),
            text: "five-service program: stripped binary ≤ ½ official (workload 5's target; the issue sets none)".into(),
            met: five_size.ratio().map(|x| x >= 2.0),
            figures: times(&five_size, "MiB", 2),
        },
        Target {
            row: "9a".into(),
            text: "codegen of every model in ../shared/aws-models < 10 s (release)".into(),
            met: speed
                .filter(|c| c.complete)
                .map(|c| c.seconds < 10.0 && c.failed == 0),
            figures: match speed {
                None => "—".into(),
                Some(c) => format!(
                    "{:.2} s for {} models{}{}",
                    c.seconds,
                    c.models,
                    if c.failed > 0 {
                        format!(", {} failed", c.failed)
                    } else {
                        String::new()
                    },
                    if c.complete {
                        ""
                    } else {
                        " (`--quick`: not every model, so not judged)"
                    }
                ),
            },
        },
        Target {
            row: "9b".into(),
            text: "codegen time grows linearly with the generated lines: time per 1k lines, largest/smallest over the nested subsets of the largest model, ≤ 1.5".into(),
            met: linearity.map(|x| x <= 1.5),
            figures: match (speed, linearity) {
                (Some(c), Some(x)) => format!("{x:.2} over {} subsets of {}", c.subsets.len(), c.largest),
                _ => "—".into(),
            },
        },
        Target {
            row: "10a".into(),
            text: "≥ 2.5× calls/s over HTTPS, sequential".into(),
            met: r.https_sequential.ratio().map(|x| x <= 0.4),
            figures: times(&r.https_sequential, "calls/s", 0),
        },
        Target {
            row: "10b".into(),
            text: "≥ 2.5× calls/s over HTTPS, 32 concurrent tasks".into(),
            met: r.https_concurrent.ratio().map(|x| x <= 0.4),
            figures: times(&r.https_concurrent, "calls/s", 0),
        },
    ]
}

/// Workload 8's programs, both sides, through `f`.
fn five_pair(r: &Results, f: fn(&ProgramCost) -> f64) -> Pair {
    Pair::new(
        r.five.as_ref().map(|p| f(&p.ours)),
        r.five.as_ref().map(|p| f(&p.official)),
    )
}

/// Milliseconds per 1 000 generated lines of a subset.
fn ms_per_k_lines(s: &Subset) -> Option<f64> {
    (s.lines > 0).then(|| s.seconds * 1e3 / (s.lines as f64 / 1e3))
}

/// Workload 9's linearity figure: the largest over the smallest time per 1k lines of the
/// subsets (1.0: exactly proportional); `None` with fewer than two subsets.
fn linearity(c: &CodegenSpeed) -> Option<f64> {
    let rates: Vec<f64> = c.subsets.iter().filter_map(ms_per_k_lines).collect();
    if rates.len() < 2 {
        return None;
    }
    let max = rates.iter().copied().fold(f64::MIN, f64::max);
    let min = rates.iter().copied().fold(f64::MAX, f64::min);
    (min > 0.0).then(|| max / min)
}

fn met_mark(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "**met**",
        Some(false) => "**missed**",
        None => "not measured",
    }
}

pub(super) fn render_table(r: &Results) -> String {
    let build = |f: fn(&BuildCost) -> f64| {
        Pair::new(
            r.build_ours.as_ref().map(f),
            r.build_official.as_ref().map(f),
        )
    };
    let parse_only = parse_only(&r.parse, &r.request);
    let all_targets = targets(r);
    let target_of = |row: &str| {
        all_targets
            .iter()
            .find(|t| t.row == row)
            .map(|t| (t.text.clone(), met_mark(t.met)))
            .unwrap_or_default()
    };
    let mut rows: Vec<[String; 7]> = Vec::new();
    let mut row = |id: &str, name: &str, pair: Pair, unit: &str, decimals: usize| {
        let (text, met) = target_of(id);
        rows.push([
            id.to_string(),
            name.to_string(),
            show(pair.ours, unit, decimals),
            show(pair.official, unit, decimals),
            show_ratio(pair.ratio()),
            text,
            met.to_string(),
        ]);
    };
    row(
        "1",
        "parse GetStage 200 (~2 KB), public path, canned HTTP client",
        r.parse,
        "ns",
        0,
    );
    row("1′", "… parse only (row 1 − row 2)", parse_only, "ns", 0);
    row(
        "1″",
        "… ours: the response deserializer alone",
        Pair::new(r.parse_ours_direct, None),
        "ns",
        0,
    );
    row(
        "2",
        "build + validate + serialize + sign a request, canned `{}` response",
        r.request,
        "ns",
        0,
    );
    row(
        "2′",
        "… ours: SigV4 signing alone (`rt::sign::Signer`)",
        Pair::new(r.request_ours_direct, None),
        "ns",
        0,
    );
    row(
        "3a",
        "get_stage against the local server, sequential",
        r.sequential,
        "calls/s",
        0,
    );
    row(
        "3b",
        "get_stage against the local server, 32 concurrent tasks",
        r.concurrent,
        "calls/s",
        0,
    );
    row(
        "3c",
        "peak RSS of the sequential run",
        Pair::new(
            r.peak_rss_kib.ours.map(|k| k / 1024.0),
            r.peak_rss_kib.official.map(|k| k / 1024.0),
        ),
        "MiB",
        1,
    );
    row(
        "4a",
        "codegen of model/ (GetStage closure)",
        Pair::new(r.codegen_model_ns.map(|n| n / 1e6), None),
        "ms",
        2,
    );
    row(
        "4b",
        "codegen of the official full model (72 operations)",
        Pair::new(r.codegen_full_ns.map(|n| n / 1e6), None),
        "ms",
        1,
    );
    row(
        "5a",
        "clean `cargo build --release` of a minimal get_stage program",
        build(|b| b.seconds),
        "s",
        1,
    );
    row(
        "5b",
        "distinct normal dependencies (packages)",
        build(|b| b.packages as f64),
        "",
        0,
    );
    row(
        "5c",
        "stripped binary size",
        build(|b| b.stripped_bytes as f64 / 1048576.0),
        "MiB",
        2,
    );
    row(
        "6",
        "instructions per call (callgrind, sequential, marginal)",
        r.instructions,
        "",
        0,
    );
    if r.fleet.is_empty() {
        row(
            "7",
            "service crates at fleet scale (the largest generated crates)",
            Pair::default(),
            "",
            0,
        );
    }
    for (i, c) in r.fleet.iter().enumerate() {
        let pair = |f: fn(&CrateCost) -> f64| Pair::new(Some(f(&c.ours)), Some(f(&c.official)));
        let n = i + 1;
        let name = &c.service;
        row(
            &format!("7.{n}a"),
            &format!("{name}: the crate alone, `cargo build --release -p` (dependencies built)"),
            pair(|c| c.crate_seconds),
            "s",
            1,
        );
        row(
            &format!("7.{n}b"),
            &format!("{name}: the crate alone, `cargo check -p`"),
            pair(|c| c.check_seconds),
            "s",
            1,
        );
        row(
            &format!("7.{n}c"),
            &format!("{name}: lines of `src/**/*.rs`"),
            pair(|c| c.lines as f64),
            "",
            0,
        );
        row(
            &format!("7.{n}d"),
            &format!("{name}: clean `cargo build --release` with dependencies"),
            pair(|c| c.clean_seconds),
            "s",
            1,
        );
        row(
            &format!("7.{n}e"),
            &format!("{name}: release rlib"),
            pair(|c| c.rlib_bytes as f64 / 1048576.0),
            "MiB",
            1,
        );
    }
    let services = r
        .five
        .as_ref()
        .map(|f| format!(" ({})", f.services.join(", ")))
        .unwrap_or_default();
    row(
        "8a",
        &format!("five-service program{services}: clean `cargo build --release`"),
        five_pair(r, |p| p.seconds),
        "s",
        1,
    );
    row(
        "8b",
        "… its stripped binary",
        five_pair(r, |p| p.stripped_bytes as f64 / 1048576.0),
        "MiB",
        2,
    );
    let speed = r.codegen_speed.as_ref();
    row(
        "9a",
        &match speed {
            Some(c) => format!(
                "codegen of {} models of ../shared/aws-models, release, all cores ({} lines)",
                c.models,
                thousands(c.lines as f64, 0)
            ),
            None => "codegen of every model of ../shared/aws-models, release".to_string(),
        },
        Pair::new(speed.map(|c| c.seconds), None),
        "s",
        2,
    );
    row(
        "9b",
        &format!(
            "… time per 1k lines, largest/smallest over nested subsets{}",
            speed
                .map(|c| format!(" of {}", c.largest))
                .unwrap_or_default()
        ),
        Pair::new(speed.and_then(linearity), None),
        "",
        2,
    );
    row(
        "10a",
        "get_stage over HTTPS (TLS, keep-alive), sequential",
        r.https_sequential,
        "calls/s",
        0,
    );
    row(
        "10b",
        "get_stage over HTTPS, 32 concurrent tasks",
        r.https_concurrent,
        "calls/s",
        0,
    );

    let mut out = String::new();
    out.push_str("| # | workload | ours | official | official/ours | target | met |\n");
    out.push_str("|---|---|---:|---:|---:|---|---|\n");
    for cells in rows {
        let _ = writeln!(
            out,
            "| {} |",
            cells.map(|c| c.trim().to_string()).join(" | ")
        );
    }
    out
}

pub(super) fn render_targets(r: &Results) -> String {
    let mut out = String::new();
    for t in targets(r) {
        let _ = writeln!(out, "- {} — {}: {}.", met_mark(t.met), t.text, t.figures);
    }
    out
}

pub(super) fn render_document(
    settings: &Settings,
    m: &Machine,
    r: &Results,
    table: &str,
    targets: &str,
) -> String {
    let mut doc = String::new();
    let versions = |list: &[(String, String)]| {
        list.iter()
            .map(|(n, v)| format!("{n} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(doc, "# Benchmarks\n");
    let _ = writeln!(
        doc,
        "Written by `{}` on {}; do not edit by hand, rerun the command.\n",
        settings.command, m.date
    );
    let _ = writeln!(
        doc,
        "- **Machine:** {} cores, {}; {}.",
        m.cores, m.cpu, m.os
    );
    let _ = writeln!(
        doc,
        "- **Ours:** `apigatewayv2` {} (generated by this repository at commit {}); {}.",
        m.ours_version,
        m.commit,
        versions(&m.ours_versions)
    );
    let _ = writeln!(doc, "- **Official:** {}.", versions(&m.official_versions));
    let _ = writeln!(doc, "- **Toolchain:** {}.", m.rustc);
    if settings.quick {
        let _ = writeln!(
            doc,
            "- **Quick run** (`--quick`): short measurements; rough numbers."
        );
    }
    for (label, date) in &r.reused {
        let _ = writeln!(
            doc,
            "- **Reused:** {label} from the run of {date} (this run did not measure it: \
             `--only`, a `--no-…` flag, or `--quick`)."
        );
    }
    for why in &r.skipped {
        let _ = writeln!(doc, "- **Skipped:** {why}.");
    }
    let _ = writeln!(doc, "\n## Results\n");
    let _ = writeln!(
        doc,
        "Times are criterion medians; `official/ours` above 1 means ours costs less, and for \
         calls per second below 1 means ours is faster. Targets come from issue 15 (rows 1, 2 and 4 from issue 5).\n"
    );
    doc.push_str(table);
    let _ = writeln!(doc, "\n## Targets\n");
    doc.push_str(targets);
    let _ = writeln!(doc, "\n## Method\n");
    doc.push_str(METHOD);
    doc.push_str(FEATURES);
    fleet_section(&mut doc, r);
    five_section(&mut doc, r);
    linearity_section(&mut doc, r);

    if let Some(ours) = &r.build_ours {
        let _ = writeln!(doc, "\n## Our dependency tree (workload 5)\n");
        let _ = writeln!(
            doc,
            "`cargo tree -e normal` of the minimal program lists {} distinct packages (the \
             program and `apigatewayv2` included){}. The generated crate's direct dependencies, \
             heaviest first: how many packages each one's subtree holds, how many only it \
             brings in, and why it is there.\n",
            ours.packages,
            r.build_official
                .as_ref()
                .map(|o| format!("; the official SDK's lists {}", o.packages))
                .unwrap_or_default()
        );
        let _ = writeln!(doc, "| dependency | subtree | only through it | why |");
        let _ = writeln!(doc, "|---|---:|---:|---|");
        for (package, subtree, only) in &ours.subtrees {
            let name = package.split(' ').next().unwrap_or(package);
            let why = JUSTIFICATIONS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, why)| *why)
                .unwrap_or("(no justification recorded in xtask/src/bench/report.rs)");
            let _ = writeln!(doc, "| {package} | {subtree} | {only} | {why} |");
        }
    }
    if r.build_ours.is_some() || r.build_official.is_some() {
        let _ = writeln!(
            doc,
            "\n## Where the clean build spends its time (`cargo build --timings`)\n"
        );
        for (side, cost) in [("ours", &r.build_ours), ("official", &r.build_official)] {
            if let Some(cost) = cost {
                let units: Vec<String> = cost
                    .slowest_units
                    .iter()
                    .map(|(unit, s)| format!("{unit} {s:.1} s"))
                    .collect();
                let _ = writeln!(
                    doc,
                    "- **{side}** ({:.1} s): {}.",
                    cost.seconds,
                    units.join(", ")
                );
            }
        }
    }
    if !r.profile_ours.is_empty() || !r.profile_official.is_empty() {
        let _ = writeln!(
            doc,
            "\n## Where the instructions go (workload 6)\n\nPer call, by function (self cost; \
             inlined code counts toward the function it was inlined into): the difference \
             between the long and the short callgrind run, divided by the extra calls. \
             Columns: instructions per call, share of the call, function.\n"
        );
        for (side, lines) in [("ours", &r.profile_ours), ("official", &r.profile_official)] {
            let _ = writeln!(doc, "**{side}**\n\n```text");
            for line in lines {
                let _ = writeln!(doc, "{line}");
            }
            let _ = writeln!(doc, "```\n");
        }
    }
    doc
}

/// Workload 7 in full: every figure of each crate, with the official crate's version.
fn fleet_section(doc: &mut String, r: &Results) {
    if r.fleet.is_empty() {
        return;
    }
    let _ = writeln!(
        doc,
        "\n## Fleet-scale compile (workload 7)\n\nOurs generated with `--operations all`; \
         official: the crate from crates.io, default features. Times in seconds; `alone` is the \
         crate's own `cargo build --release -p` with its dependencies built, `check` its \
         `cargo check -p`, `clean` the whole clean release build.\n"
    );
    let _ = writeln!(
        doc,
        "| service | official crate | side | clean | alone | check | lines | rlib |"
    );
    let _ = writeln!(doc, "|---|---|---|---:|---:|---:|---:|---:|");
    for c in &r.fleet {
        for (side, cost) in [("ours", &c.ours), ("official", &c.official)] {
            let _ = writeln!(
                doc,
                "| {} | {} {} | {side} | {:.1} | {:.1} | {:.1} | {} | {:.1} MiB |",
                c.service,
                c.official_crate,
                c.official_version,
                cost.clean_seconds,
                cost.crate_seconds,
                cost.check_seconds,
                thousands(cost.lines as f64, 0),
                cost.rlib_bytes as f64 / 1048576.0
            );
        }
    }
}

/// Workload 8's services and the official versions resolved.
fn five_section(doc: &mut String, r: &Results) {
    let Some(f) = &r.five else {
        return;
    };
    let versions: Vec<String> = f
        .official_versions
        .iter()
        .map(|(n, v)| format!("{n} {v}"))
        .collect();
    let _ = writeln!(
        doc,
        "\n## The five-service program (workload 8)\n\nServices: {}; official crates: {}.",
        f.services.join(", "),
        versions.join(", ")
    );
}

/// Workload 9's series: each nested subset of the largest model.
fn linearity_section(doc: &mut String, r: &Results) {
    let Some(c) = r.codegen_speed.as_ref().filter(|c| !c.subsets.is_empty()) else {
        return;
    };
    let _ = writeln!(
        doc,
        "\n## Codegen time against generated lines (workload 9)\n\nNested subsets of {}'s \
         operations (every 8th, 4th, 2nd, all, by name), each the fastest of its runs:\n",
        c.largest
    );
    let _ = writeln!(
        doc,
        "| subset | operations | lines | time | ms per 1k lines |"
    );
    let _ = writeln!(doc, "|---|---:|---:|---:|---:|");
    for s in &c.subsets {
        let _ = writeln!(
            doc,
            "| 1/{} | {} | {} | {:.1} ms | {} |",
            s.part,
            s.operations,
            thousands(s.lines as f64, 0),
            s.seconds * 1e3,
            show(ms_per_k_lines(s), "", 2)
        );
    }
}

/// What the optional features add (measured by hand with `cargo tree`; see issue 17).
const FEATURES: &str = "\n## Optional features\n\nThe `aws-config` feature (`Config::from(&aws_types::SdkConfig)`) depends on `aws-types`, the crate that defines `SdkConfig`, not on aws-config: `cargo tree -p aws-client-runtime -e normal,build` grows from 145 to 149 distinct packages with it (`-e normal`: 142 to 144) (`aws-types`, `aws-smithy-schema`, and `rustc_version` + `semver` as build dependencies; `aws-credential-types`, `aws-smithy-types`, `aws-smithy-async` and `aws-smithy-runtime-api` are already in the tree). Off by default, so default builds are unchanged; a program that uses it compiles aws-config anyway.\n";

const METHOD: &str = "\
Our side is `tests/bench` (package `bench`; `cargo test` runs each criterion benchmark once, \
so a broken benchmark fails CI). The official side is `tests/bench-compare`, a separate \
workspace (excluded from the root one, so `cargo xtask test` never compiles the official \
SDK) that depends on the latest `aws-sdk-apigatewayv2` with its default features and builds \
its clients by hand: static credentials (`aws-credential-types`), region and endpoint URL, \
no `aws-config`. Both sides build with `--release` into `target/bench`.

1. **Parse.** Each SDK's public path: a client whose HTTP client returns the canned ~2 KB \
   GetStage body (`tests/bench/fixtures/get_stage.json`: every member set, three route \
   settings, five stage variables, five tags) without I/O — the official SDK's \
   `aws_smithy_http_client::test_util::infallible_client_fn`, our \
   `bench::ours::StaticResponse` (an `HttpClient` that keeps nothing; the crate's `test-util` \
   `CannedHttpClient` records every request, which grows without bound under criterion) — driven with `client.get_stage()…send()` on a current-thread runtime, so both \
   sides do the same work (request, endpoint, signing, response). Row 1′ subtracts row 2 to \
   isolate parsing (— where row 2 measured slower than row 1: the noise is larger than the \
   parse); row 1″ is our deserializer alone.
2. **Request.** The same path with a canned `{}` body, so the response costs next to nothing: \
   input builder, validation, endpoint resolution, serialization and SigV4 signing. Row 2′ \
   is our SigV4 signer alone on a ready request (the generated serializer is crate-private).
3. **Calls.** `bench-server` (hyper, HTTP/1.1 keep-alive, in `tests/bench`) runs in its own \
   process; `bench-ours` and `bench-official` each make `get_stage` calls against it on the \
   multi-threaded tokio runtime, after a warm-up, for a fixed time: one task, then 32 \
   concurrent tasks. Runs alternate between the SDKs, five of each; the table shows the \
   best run (other work on the shared machine only slows runs down). Peak RSS is `VmHWM` of \
   the sequential run's process (median of the runs).
4. **Codegen.** `codegen::generate` (read → … → format, no file writes) timed by criterion in \
   the `bench` crate, for `model/` and, when `../shared/model` exists, for the official \
   full model with `OperationSelection::All`.
5. **Build cost.** A scratch project per SDK under `target/bench-build/` with a `main` that \
   calls `get_stage` once (tokio `rt-multi-thread` + `macros`, the SDK with default \
   features), versions pinned from the matching lock file, sources fetched beforehand, then \
   a clean `cargo build --release --timings` in its own target directory. Packages: \
   `cargo tree -e normal --prefix none`, ` (*)` removed, distinct lines. Size: the release \
   binary after `strip`.
6. **Instructions.** `valgrind --tool=callgrind` over the sequential load binary with 200 \
   and with 1 200 calls against the same server; instructions per call is the difference \
   divided by 1 000, so start-up and warm-up cancel out. Valgrind's virtual CPU has no SHA \
   extensions, so both SDKs' SHA-256 (`sha2`, used by `aws-sigv4`) runs its portable code \
   there; natively it uses SHA-NI where the CPU has it, so signing weighs less in rows 2 and 3 \
   than in row 6.

7. **Fleet-scale compile.** The three generated crates of `../shared/aws-models` with the \
   most generated lines (workload 9's per-model counts), each against the official \
   `aws-sdk-<sdkId>` crate (the model's `sdkId`, lowercased, spaces and hyphens removed; the \
   latest 1.x from crates.io, default features; the version resolved is in the section \
   below). Ours is generated with `--operations all` into \
   `target/bench-build/fleet/<service>/ours/` (a one-crate workspace, the runtime by path, \
   versions from the repository's Cargo.lock); the official one is a dependency of an \
   empty library in `.../official/`. Each project has its own target directory; sources are \
   fetched first. Measured in order: a clean `cargo build --release`; `cargo clean \
   --release -p <crate>` then `cargo build --release -p <crate>` (the crate alone, its \
   dependencies built: row a, target official/ours ≥ 3); `cargo check -p <crate>`, \
   `cargo clean -p <crate>`, `cargo check -p <crate>` timed (row b); lines of the crate's \
   `src/**/*.rs` (ours as generated, the official crate's under `~/.cargo/registry/src`; \
   tests and examples left out on both sides); the size of its release rlib.
8. **Five services.** A program whose `main` builds a client for each of five restJson1 \
   services (apigatewayv2, lambda, eks, batch, sesv2: static credentials, `us-east-1`, an \
   endpoint on `127.0.0.1:9`) and makes one call with each (`get_apis`, `list_functions`, \
   `list_clusters`, `describe_job_queues`, `get_account`); ours over the five crates \
   generated with `--operations all` (path dependencies), official over the five \
   `aws-sdk-*` crates (latest 1.x, default features). Built, never run: a clean \
   `cargo build --release` in its own target directory under `target/bench-build/five/`, \
   sources fetched first; size is the binary after `strip`. The issue sets no threshold; \
   the targets shown are workload 5's (≤ ½ the time, ≤ ½ the size).
9. **Codegen speed.** `bench-codegen` (`tests/bench`, built `--release`) calls \
   `codegen::generate` in-process for every `.json` model of `../shared/aws-models`, one \
   after the other (each model's files emitted and formatted on all cores, as `cargo xtask \
   codegen` does), `OperationSelection::All`; nothing is written (the files \
   stay in memory, where their lines are counted). The total is the wall time of the whole \
   loop (reading the models included). Linearity: the model with the most generated lines, \
   its operations sorted by name, nested subsets of every 8th, 4th and 2nd operation and all \
   of them, each generated three times (the fastest kept); the criterion is the largest \
   time per 1k generated lines over the smallest, at most 1.5. `--quick` generates the \
   first six models only (no 9a verdict).
10. **HTTPS.** Workload 3 again, with `bench-server --tls`: at start-up it makes a test CA \
   and a certificate for `127.0.0.1` (rcgen), writes the CA as PEM under \
   `target/bench/https/`, and serves HTTP/1.1 (ALPN) over rustls (ring). Each client is \
   given the PEM (`--ca-file`) and trusts it: ours through \
   `DefaultHttpClient::builder().add_root_certificate(..)`; the official SDK through \
   `aws_smithy_http_client::Builder::new().tls_provider(Rustls(CryptoMode::AwsLc))` \
   `.tls_context(..)` with `TrustStore::empty().with_pem_certificate(..)` (its default \
   client's rustls and aws-lc, with only the trust store changed). Handshakes happen during \
   the warm-up, so the runs measure calls over reused TLS connections. Same alternation and \
   best-of-five as row 3.

The machine is shared: other builds may run at the same time, which shows up most in the \
clean-build times and the calls per second.
";

pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// Row 1′: row 1 − row 2 per side, or nothing where the difference is not positive (two
/// noisy medians, not a parse that took negative time).
fn parse_only(parse: &Pair, request: &Pair) -> Pair {
    let minus = |p: Option<f64>, q: Option<f64>| p.zip(q).map(|(p, q)| p - q).filter(|d| *d > 0.0);
    Pair::new(
        minus(parse.ours, request.ours),
        minus(parse.official, request.official),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{FiveServices, FleetCrate};
    use super::*;

    #[test]
    fn parse_only_is_blank_where_row_2_is_the_slower() {
        let parse = Pair::new(Some(10_807.0), Some(49_700.0));
        let request = Pair::new(Some(6_153.0), Some(55_174.0));
        let only = parse_only(&parse, &request);
        assert_eq!(only.ours, Some(4_654.0));
        assert_eq!(only.official, None);
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(1234567.891, 1), "1,234,567.9");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(1000.0, 0), "1,000");
    }

    /// The whole document for fixed results, against `testdata/report.md`: the format of
    /// BENCHMARKS.md changes only on purpose (`UPDATE_REPORT_SNAPSHOT=1 cargo test -p xtask`
    /// rewrites the file; review its diff).
    #[test]
    fn the_document_renders_as_recorded() {
        let cost = |seconds: f64| BuildCost {
            seconds,
            packages: 80,
            stripped_bytes: 4_000_000,
            subtrees: vec![
                ("hyper-util v0.1.21".to_string(), 40, 20),
                ("zzz v1.0.0".to_string(), 2, 1),
            ],
            slowest_units: vec![("ring 0.17.14 (build script (run))".to_string(), 9.5)],
        };
        let r = Results {
            parse: Pair::new(Some(12345.6), Some(45678.9)),
            parse_ours_direct: Some(3000.0),
            request: Pair::new(Some(5000.0), Some(15000.0)),
            request_ours_direct: Some(2000.0),
            sequential: Pair::new(Some(9000.0), Some(4000.0)),
            concurrent: Pair::new(Some(30000.0), None),
            peak_rss_kib: Pair::new(Some(10240.0), Some(20480.0)),
            instructions: Pair::new(Some(100000.0), Some(400000.0)),
            codegen_model_ns: Some(12e6),
            codegen_full_ns: None,
            build_ours: Some(cost(20.0)),
            build_official: Some(cost(50.0)),
            profile_ours: vec!["a".into(), "b".into()],
            profile_official: vec!["c".into()],
            fleet: vec![FleetCrate {
                service: "quicksight".into(),
                official_crate: "aws-sdk-quicksight".into(),
                official_version: "1.2.3".into(),
                ours: CrateCost {
                    clean_seconds: 200.0,
                    crate_seconds: 40.0,
                    check_seconds: 10.0,
                    lines: 300_000,
                    rlib_bytes: 50 << 20,
                },
                official: CrateCost {
                    clean_seconds: 900.0,
                    crate_seconds: 600.0,
                    check_seconds: 120.0,
                    lines: 900_000,
                    rlib_bytes: 200 << 20,
                },
            }],
            five: Some(FiveServices {
                services: vec!["lambda".into(), "eks".into()],
                official_versions: vec![
                    ("aws-sdk-lambda".into(), "1.0.0".into()),
                    ("aws-sdk-eks".into(), "1.1.0".into()),
                ],
                ours: ProgramCost {
                    seconds: 100.0,
                    stripped_bytes: 8 << 20,
                },
                official: ProgramCost {
                    seconds: 150.0,
                    stripped_bytes: 20 << 20,
                },
            }),
            codegen_speed: Some(CodegenSpeed {
                models: 128,
                failed: 0,
                seconds: 8.5,
                lines: 4_000_000,
                largest: "quicksight".into(),
                subsets: vec![
                    Subset {
                        part: 2,
                        operations: 100,
                        lines: 100_000,
                        seconds: 0.5,
                    },
                    Subset {
                        part: 1,
                        operations: 200,
                        lines: 200_000,
                        seconds: 0.9,
                    },
                ],
                per_model: vec![("quicksight".into(), 300_000)],
                complete: true,
            }),
            https_sequential: Pair::new(Some(8000.0), Some(2000.0)),
            https_concurrent: Pair::new(Some(20000.0), Some(10000.0)),
            reused: vec![(
                "workload 5 (clean builds)".to_string(),
                "2026-01-01 00:00 UTC".to_string(),
            )],
            skipped: vec!["workload 8: ../shared/aws-models is missing".to_string()],
        };
        let settings = Settings::new(&super::super::Args {
            quick: true,
            no_callgrind: true,
            ..Default::default()
        });
        let m = Machine {
            cores: 2,
            cpu: "cpu".into(),
            os: "os".into(),
            date: "d".into(),
            rustc: "rustc".into(),
            commit: "abc".into(),
            ours_version: "0.1.0".into(),
            official_versions: vec![("x".into(), "1".into())],
            ours_versions: vec![("y".into(), "2".into())],
        };
        let table = render_table(&r);
        let targets = render_targets(&r);
        let doc = render_document(&settings, &m, &r, &table, &targets);
        if std::env::var_os("UPDATE_REPORT_SNAPSHOT").is_some() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bench/testdata/report.md");
            std::fs::write(&path, &doc).unwrap();
        }
        assert_eq!(doc, include_str!("testdata/report.md"));
    }
}
