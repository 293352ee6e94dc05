//! Reading what the benchmark tools print or write: criterion's estimates, the load
//! binaries' summary line, callgrind totals and `callgrind_annotate` self costs, `cargo tree`
//! and `cargo build --timings` output, Cargo.lock versions, and the saved build costs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use super::{BuildCost, LoadSample};

/// The load binaries' last line, `calls=N calls_per_sec=X peak_rss_kib=K ...`, as a sample;
/// the error is the first key that is missing or not a number.
pub(super) fn load_sample(line: &str) -> Result<LoadSample, String> {
    let pairs: BTreeMap<&str, &str> = line
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .collect();
    let get = |key: &str| -> Result<f64, String> {
        pairs
            .get(key)
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| key.to_string())
    };
    Ok(LoadSample {
        calls: get("calls")? as u64,
        calls_per_sec: get("calls_per_sec")?,
        peak_rss_kib: get("peak_rss_kib")? as u64,
    })
}

/// The total instruction count of a callgrind output file (`summary:` or `totals:` line).
pub(super) fn callgrind_total(text: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
        })
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
}

/// Self cost per function from `callgrind_annotate --inclusive=no` output, summed over the
/// source files inlined code is attributed to.
pub(super) fn self_costs(annotated: &str) -> BTreeMap<String, u64> {
    let mut costs = BTreeMap::new();
    for line in annotated.lines() {
        // "52,401,907 ( 8.59%)  file:function [binary]" or "52,401,907  file:function".
        let line = line.trim();
        let Some((count, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(count) = count.replace(',', "").parse::<u64>() else {
            continue;
        };
        let rest = rest.trim();
        let rest = match rest.strip_prefix('(') {
            Some(r) => r.split_once(')').map_or("", |(_, rest)| rest.trim()),
            None => rest,
        };
        if rest.is_empty() || rest.contains("PROGRAM TOTALS") || rest.contains("events annotated") {
            continue;
        }
        let function = rest.split_once(':').map_or(rest, |(_, f)| f);
        let function = function.split(" [").next().unwrap_or(function).trim();
        *costs.entry(function.to_string()).or_insert(0) += count;
    }
    costs
}

/// The median of criterion's estimate for `group/id`, in nanoseconds.
pub(super) fn criterion_median_ns(home: &Path, group: &str, id: &str) -> Option<f64> {
    let path = home.join(group).join(id).join("new").join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let median = &text[text.find("\"median\"")?..];
    let value = &median[median.find("\"point_estimate\":")? + "\"point_estimate\":".len()..];
    let end = value.find([',', '}'])?;
    value[..end].trim().parse().ok()
}

pub(super) fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

/// The saved form of workload 5's results (`target/bench/build-cost/<side>.txt`).
impl BuildCost {
    /// Writes the measurement as `key<TAB>values` lines.
    pub(super) fn save(&self, path: &Path, date: &str) -> Result<(), String> {
        let mut text = format!(
            "date\t{date}\nseconds\t{}\npackages\t{}\nstripped_bytes\t{}\n",
            self.seconds, self.packages, self.stripped_bytes
        );
        for (package, subtree, only) in &self.subtrees {
            let _ = writeln!(text, "subtree\t{package}\t{subtree}\t{only}");
        }
        for (unit, seconds) in &self.slowest_units {
            let _ = writeln!(text, "unit\t{unit}\t{seconds}");
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
    }

    /// Reads what [`save`](Self::save) wrote, with its date.
    pub(super) fn load(path: &Path) -> Option<(BuildCost, String)> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut cost = BuildCost::default();
        let mut date = None;
        for line in text.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["date", d] => date = Some(d.to_string()),
                ["seconds", v] => cost.seconds = v.parse().ok()?,
                ["packages", v] => cost.packages = v.parse().ok()?,
                ["stripped_bytes", v] => cost.stripped_bytes = v.parse().ok()?,
                ["subtree", p, n, only] => {
                    cost.subtrees
                        .push((p.to_string(), n.parse().ok()?, only.parse().ok()?))
                }
                ["unit", u, secs] => cost.slowest_units.push((u.to_string(), secs.parse().ok()?)),
                _ => {}
            }
        }
        Some((cost, date?))
    }
}

/// The runtime package of generated crates.
const RUNTIME_PACKAGE: &str = "aws-client-runtime";

/// Reads `cargo tree --prefix depth` output into edges, then for each direct dependency of
/// `library` (the runtime's counted as the library's): how many packages its subtree holds,
/// and how many only it brings in.
pub(super) fn subtrees(depth_tree: &str, library: &str) -> Vec<(String, usize, usize)> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    for line in depth_tree.lines() {
        let digits: String = line.chars().take_while(char::is_ascii_digit).collect();
        let Ok(depth) = digits.parse::<usize>() else {
            continue;
        };
        let rest = line[digits.len()..].trim_end().trim_end_matches(" (*)");
        // "name vX.Y.Z (path)" → "name vX.Y.Z"
        let package = rest.split(' ').take(2).collect::<Vec<_>>().join(" ");
        stack.truncate(depth);
        if let Some(parent) = stack.last() {
            edges
                .entry(parent.clone())
                .or_default()
                .insert(package.clone());
        }
        stack.push(package);
    }
    let Some(root) = edges
        .keys()
        .find(|k| k.split(' ').next() == Some(library))
        .cloned()
    else {
        return Vec::new();
    };
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.to_string()];
        while let Some(p) = todo.pop() {
            if seen.insert(p.clone()) {
                todo.extend(edges.get(&p).into_iter().flatten().cloned());
            }
        }
        seen
    };
    let mut direct: BTreeSet<String> = edges.get(&root).into_iter().flatten().cloned().collect();
    // Generated code's dependencies live in the shared runtime: its direct dependencies are
    // listed beside the crate's own, so every package the program pulls in is accounted for.
    if let Some(runtime) = direct
        .iter()
        .find(|d| d.split(' ').next() == Some(RUNTIME_PACKAGE))
        .cloned()
    {
        direct.remove(&runtime);
        direct.extend(edges.get(&runtime).into_iter().flatten().cloned());
    }
    let direct: Vec<String> = direct.into_iter().collect();
    let reached: Vec<BTreeSet<String>> = direct.iter().map(|d| reach(d)).collect();
    let mut out: Vec<(String, usize, usize)> = direct
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let only = reached[i]
                .iter()
                .filter(|p| {
                    reached
                        .iter()
                        .enumerate()
                        .all(|(j, other)| j == i || !other.contains(*p))
                })
                .count();
            (d.clone(), reached[i].len(), only)
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The `n` slowest units of a `cargo build --timings` report: (unit, seconds).
pub(super) fn slowest_units(html: &Path, n: usize) -> Vec<(String, f64)> {
    let Ok(text) = std::fs::read_to_string(html) else {
        return Vec::new();
    };
    let Some(start) = text.find("UNIT_DATA") else {
        return Vec::new();
    };
    let text = &text[start..];
    let text = &text[..text.find("];").unwrap_or(text.len())];
    let field = |object: &str, key: &str| -> Option<String> {
        let pattern = format!("\"{key}\":");
        let value = &object[object.find(&pattern)? + pattern.len()..];
        let value = value.trim_start();
        if let Some(rest) = value.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => return Some(out),
                    '\\' => out.extend(chars.next()),
                    c => out.push(c),
                }
            }
            None
        } else {
            let end = value.find([',', '}', '\n']).unwrap_or(value.len());
            Some(value[..end].trim().to_string())
        }
    };
    let mut units: Vec<(String, f64)> = text
        .split("\"i\":")
        .skip(1)
        .filter_map(|object| {
            let name = field(object, "name")?;
            let name = match field(object, "version") {
                Some(version) => format!("{name} {version}"),
                None => name,
            };
            let target = field(object, "target").unwrap_or_default();
            let duration = field(object, "duration")?.parse::<f64>().ok()?;
            let target = target.trim();
            let unit = if target.is_empty() {
                name
            } else {
                format!("{name} ({target})")
            };
            Some((unit, duration))
        })
        .collect();
    units.sort_by(|a, b| b.1.total_cmp(&a.1));
    units.truncate(n);
    units
}

/// The versions of `name` in a Cargo.lock, joined with ` + ` when there are several.
pub(super) fn lock_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"\nversion = \"");
    let versions: Vec<&str> = lock
        .match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &lock[at + needle.len()..];
            Some(&rest[..rest.find('"')?])
        })
        .collect();
    (!versions.is_empty()).then(|| versions.join(" + "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_counts_shared_and_unique_packages() {
        let tree = "0app v0.1.0\n1lib v1.0.0 (/x)\n2a v1.0.0\n3c v1.0.0\n2b v1.0.0\n3c v1.0.0\n1tokio v1.0.0\n";
        let out = subtrees(tree, "lib");
        assert_eq!(
            out,
            vec![
                ("a v1.0.0".to_string(), 2, 1),
                ("b v1.0.0".to_string(), 2, 1)
            ]
        );
    }

    #[test]
    fn lock_version_lists_every_entry() {
        let lock = "[[package]]\nname = \"hyper\"\nversion = \"0.14.1\"\n\n\
                    [[package]]\nname = \"hyper\"\nversion = \"1.2.3\"\n";
        assert_eq!(
            lock_version(lock, "hyper").as_deref(),
            Some("0.14.1 + 1.2.3")
        );
        assert_eq!(lock_version(lock, "tokio"), None);
    }

    #[test]
    fn self_costs_sum_a_function_over_files() {
        let text = "610,086,563 (100.0%)  PROGRAM TOTALS\n\
                    52,401,907 ( 8.59%)  ./memmove.S:__memcpy_avx [/lib/libc.so.6]\n\
                    47,862,760 ( 7.85%)  /a/unroll.rs:sha2::compress\n\
                    39,944,520 ( 6.55%)  /b/mod.rs:sha2::compress [/bin/x]\n";
        let costs = self_costs(text);
        assert_eq!(costs.get("sha2::compress"), Some(&87_807_280));
        assert_eq!(costs.get("__memcpy_avx"), Some(&52_401_907));
        assert_eq!(costs.len(), 2);
    }

    #[test]
    fn slowest_units_reads_the_timings_report() {
        let html = "<script>\nconst UNIT_DATA = [\n  {\n    \"i\": 0,\n    \"name\": \"itoa\",\n    \"target\": \"\",\n    \"start\": 0.12,\n    \"duration\": 0.25,\n    \"sections\": [[\"codegen\", {\"start\": 0.1, \"end\": 0.2}]]\n  },\n  {\n    \"i\": 1,\n    \"name\": \"tim\",\n    \"target\": \" tim \\\"bin\\\"\",\n    \"duration\": 1.5\n  }\n];\n</script>";
        let path =
            std::env::temp_dir().join(format!("xtask-bench-timings-{}.html", std::process::id()));
        std::fs::write(&path, html).unwrap();
        let units = slowest_units(&path, 5);
        let _ = std::fs::remove_file(&path);
        assert_eq!(
            units,
            vec![
                ("tim (tim \"bin\")".to_string(), 1.5),
                ("itoa".to_string(), 0.25)
            ]
        );
    }

    #[test]
    fn build_costs_survive_a_save_and_load() {
        let cost = BuildCost {
            seconds: 12.5,
            packages: 80,
            stripped_bytes: 4_000_000,
            subtrees: vec![("reqwest v0.12.28".to_string(), 40, 20)],
            slowest_units: vec![("ring 0.17.14 (build script (run))".to_string(), 9.5)],
        };
        let path =
            std::env::temp_dir().join(format!("xtask-bench-cost-{}.txt", std::process::id()));
        cost.save(&path, "2026-01-01 00:00 UTC").unwrap();
        let (loaded, date) = BuildCost::load(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(date, "2026-01-01 00:00 UTC");
        assert_eq!(
            (loaded.seconds, loaded.packages, loaded.stripped_bytes),
            (12.5, 80, 4_000_000)
        );
        assert_eq!(
            (loaded.subtrees, loaded.slowest_units),
            (cost.subtrees, cost.slowest_units)
        );
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0]), Some(2.5));
        assert_eq!(median(Vec::new()), None);
    }

    #[test]
    fn load_samples_and_callgrind_totals() {
        let s = load_sample("mode=seq calls=1200 calls_per_sec=8123.5 peak_rss_kib=9000").unwrap();
        assert_eq!(
            (s.calls, s.calls_per_sec, s.peak_rss_kib),
            (1200, 8123.5, 9000)
        );
        assert_eq!(
            load_sample("calls=1 calls_per_sec=x").unwrap_err(),
            "calls_per_sec"
        );
        assert_eq!(
            callgrind_total("events: Ir\nsummary: 610086563\n"),
            Some(610086563.0)
        );
        assert_eq!(callgrind_total("totals: 12 3\n"), Some(12.0));
        assert_eq!(callgrind_total("events: Ir\n"), None);
    }
}
