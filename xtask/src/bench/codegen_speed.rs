//! Workload 9: codegen speed with the release generator, through `bench-codegen`
//! (`tests/bench`): every model of `../shared/aws-models` generated one after the other in
//! one process, then nested subsets of the largest model's operations, for linearity.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{CodegenSpeed, Subset};
use crate::process::run_output;

/// The subsets of the largest model: every 8th operation, every 4th, every 2nd, all.
const PARTS: &str = "8,4,2,1";

/// One model's line of `bench-codegen all`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ModelTime {
    pub(super) service: String,
    pub(super) seconds: f64,
    pub(super) lines: usize,
    pub(super) path: PathBuf,
}

/// What `bench-codegen all` printed: the models that generated, the failures, and the
/// `total` line's (models, seconds, lines).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct AllModels {
    pub(super) models: Vec<ModelTime>,
    pub(super) failures: Vec<String>,
    pub(super) total: Option<(usize, f64, usize)>,
}

fn fields(line: &str) -> Vec<(&str, &str)> {
    line.split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .collect()
}

fn field<'a>(pairs: &[(&'a str, &'a str)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

pub(super) fn parse_all(stdout: &str) -> AllModels {
    let mut out = AllModels::default();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("total ") {
            let pairs = fields(rest);
            let get = |key: &str| field(&pairs, key).and_then(|v| v.parse::<f64>().ok());
            out.total = match (get("models"), get("seconds"), get("lines")) {
                (Some(m), Some(s), Some(l)) => Some((m as usize, s, l as usize)),
                _ => None,
            };
        } else if line.contains(" error=") {
            out.failures.push(line.trim().to_string());
        } else if line.starts_with("model=") {
            let pairs = fields(line);
            let parsed = (|| {
                Some(ModelTime {
                    service: field(&pairs, "model")?.to_string(),
                    seconds: field(&pairs, "seconds")?.parse().ok()?,
                    lines: field(&pairs, "lines")?.parse().ok()?,
                    path: PathBuf::from(field(&pairs, "path")?),
                })
            })();
            out.models.extend(parsed);
        }
    }
    out
}

pub(super) fn parse_subsets(stdout: &str) -> Vec<Subset> {
    stdout
        .lines()
        .filter_map(|line| {
            let pairs = fields(line);
            Some(Subset {
                part: field(&pairs, "part")?.parse().ok()?,
                operations: field(&pairs, "operations")?.parse().ok()?,
                lines: field(&pairs, "lines")?.parse().ok()?,
                seconds: field(&pairs, "seconds")?.parse().ok()?,
            })
        })
        .collect()
}

/// Runs `bench-codegen all` over `dir` (the first `limit` models when given).
pub(super) fn all_models(
    bin: &Path,
    dir: &Path,
    limit: Option<usize>,
) -> Result<AllModels, String> {
    let mut command = Command::new(bin);
    command.arg("all").arg(dir);
    if let Some(limit) = limit {
        command.args(["--limit", &limit.to_string()]);
    }
    let stdout = run_output(&mut command)?;
    let parsed = parse_all(&stdout);
    if parsed.total.is_none() {
        return Err(format!("{} printed no total line", bin.display()));
    }
    Ok(parsed)
}

/// Workload 9: the models of `dir` (`limit`: the first few, for `--quick`), then the nested
/// subsets of the one with the most generated lines (`repeat` times each, best kept).
pub(super) fn run(
    bin: &Path,
    dir: &Path,
    limit: Option<usize>,
    repeat: usize,
) -> Result<CodegenSpeed, String> {
    let all = all_models(bin, dir, limit)?;
    for failure in &all.failures {
        println!("  {failure}");
    }
    let (models, seconds, lines) = all.total.unwrap_or_default();
    println!(
        "  {models} models ({} failed) in {seconds:.2} s, {lines} lines",
        all.failures.len()
    );
    let largest = all
        .models
        .iter()
        .max_by_key(|m| m.lines)
        .ok_or("no model generated")?;
    let stdout = run_output(Command::new(bin).arg("subsets").arg(&largest.path).args([
        "--parts",
        PARTS,
        "--repeat",
        &repeat.to_string(),
    ]))?;
    let subsets = parse_subsets(&stdout);
    for s in &subsets {
        println!(
            "  {} 1/{}: {} operations, {} lines, {:.3} s",
            largest.service, s.part, s.operations, s.lines, s.seconds
        );
    }
    Ok(CodegenSpeed {
        models,
        failed: all.failures.len(),
        seconds,
        lines,
        largest: largest.service.clone(),
        subsets,
        per_model: all
            .models
            .iter()
            .map(|m| (m.service.clone(), m.lines))
            .collect(),
        complete: limit.is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_bench_codegen_prints() {
        let stdout = "model=a seconds=0.5 lines=100 path=/m/a-2020-01-01.json\n\
                      model=b error=no service\n\
                      total models=2 failed=1 seconds=0.75 lines=100\n";
        let all = parse_all(stdout);
        assert_eq!(
            all.models,
            vec![ModelTime {
                service: "a".into(),
                seconds: 0.5,
                lines: 100,
                path: PathBuf::from("/m/a-2020-01-01.json"),
            }]
        );
        assert_eq!(all.failures, vec!["model=b error=no service"]);
        assert_eq!(all.total, Some((2, 0.75, 100)));
        let subsets = parse_subsets("part=8 operations=3 lines=900 seconds=0.1\nnoise\n");
        assert_eq!(subsets.len(), 1);
        assert_eq!(
            (subsets[0].part, subsets[0].operations, subsets[0].lines),
            (8, 3, 900)
        );
    }
}
