//! The saved results of a workload (`target/bench/<name>/results.txt`), so a run that skips
//! a workload (`--only`, `--no-fleet-compile`, `--quick`, ...) can show its last results
//! with their date instead of nothing: `key<TAB>value` lines, a key may repeat.

use std::path::Path;

use super::{
    CodegenSpeed, CrateCost, FiveServices, FleetCrate, Group, Pair, ProgramCost, Results, Subset,
};

/// One workload's results as saved: the date of the run and its values in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Saved {
    pub(super) date: String,
    values: Vec<(String, String)>,
}

impl Saved {
    pub(super) fn new(date: &str) -> Saved {
        Saved {
            date: date.to_string(),
            values: Vec::new(),
        }
    }

    /// Adds `key` = `value` (tabs and line breaks in the value become spaces).
    pub(super) fn put(&mut self, key: &str, value: impl std::fmt::Display) {
        let value = value.to_string().replace(['\t', '\n', '\r'], " ");
        self.values.push((key.to_string(), value));
    }

    /// Adds `key` = `value` when there is a value.
    pub(super) fn put_some(&mut self, key: &str, value: Option<impl std::fmt::Display>) {
        if let Some(value) = value {
            self.put(key, value);
        }
    }

    /// The first value of `key`.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `key`, as a number.
    pub(super) fn number(&self, key: &str) -> Option<f64> {
        self.get(key)?.parse().ok()
    }

    /// Every value of `key`, in order.
    pub(super) fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn save(&self, path: &Path) -> Result<(), String> {
        let mut text = format!("date\t{}\n", self.date);
        for (key, value) in &self.values {
            text.push_str(&format!("{key}\t{value}\n"));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, text).map_err(|e| format!("write {}: {e}", path.display()))
    }

    /// What [`save`](Self::save) wrote; `None` when there is no such file or it has no date.
    pub(super) fn load(path: &Path) -> Option<Saved> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut saved = Saved::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('\t') else {
                continue;
            };
            if key == "date" {
                saved.date = value.to_string();
            } else {
                saved.values.push((key.to_string(), value.to_string()));
            }
        }
        (!saved.date.is_empty()).then_some(saved)
    }
}

/// A pair as two keys, `<key>.ours` and `<key>.official`.
fn put_pair(saved: &mut Saved, key: &str, pair: &Pair) {
    saved.put_some(&format!("{key}.ours"), pair.ours);
    saved.put_some(&format!("{key}.official"), pair.official);
}

fn get_pair(saved: &Saved, key: &str) -> Pair {
    Pair::new(
        saved.number(&format!("{key}.ours")),
        saved.number(&format!("{key}.official")),
    )
}

/// Space-separated fields of one repeated value.
fn join(fields: &[String]) -> String {
    fields.join(" ")
}

fn crate_cost_fields(c: &CrateCost) -> Vec<String> {
    vec![
        c.clean_seconds.to_string(),
        c.crate_seconds.to_string(),
        c.check_seconds.to_string(),
        c.lines.to_string(),
        c.rlib_bytes.to_string(),
    ]
}

fn crate_cost(fields: &[&str]) -> Option<CrateCost> {
    match fields {
        [clean, alone, check, lines, rlib] => Some(CrateCost {
            clean_seconds: clean.parse().ok()?,
            crate_seconds: alone.parse().ok()?,
            check_seconds: check.parse().ok()?,
            lines: lines.parse().ok()?,
            rlib_bytes: rlib.parse().ok()?,
        }),
        _ => None,
    }
}

/// `group`'s part of `results`, to save (workload 5 keeps its own files: `BuildCost::save`).
pub(super) fn store(group: Group, r: &Results, date: &str) -> Saved {
    let mut s = Saved::new(date);
    match group {
        Group::Micro => {
            put_pair(&mut s, "parse", &r.parse);
            s.put_some("parse_ours_direct", r.parse_ours_direct);
            put_pair(&mut s, "request", &r.request);
            s.put_some("request_ours_direct", r.request_ours_direct);
            s.put_some("codegen_model_ns", r.codegen_model_ns);
            s.put_some("codegen_full_ns", r.codegen_full_ns);
        }
        Group::Load => {
            put_pair(&mut s, "sequential", &r.sequential);
            put_pair(&mut s, "concurrent", &r.concurrent);
            put_pair(&mut s, "peak_rss_kib", &r.peak_rss_kib);
        }
        Group::BuildCost => {}
        Group::Callgrind => {
            put_pair(&mut s, "instructions", &r.instructions);
            for line in &r.profile_ours {
                s.put("profile.ours", line);
            }
            for line in &r.profile_official {
                s.put("profile.official", line);
            }
        }
        Group::FleetCompile => {
            for c in &r.fleet {
                let mut fields = vec![
                    c.service.clone(),
                    c.official_crate.clone(),
                    c.official_version.clone(),
                ];
                fields.extend(crate_cost_fields(&c.ours));
                fields.extend(crate_cost_fields(&c.official));
                s.put("crate", join(&fields));
            }
        }
        Group::FiveServices => {
            if let Some(f) = &r.five {
                s.put("services", f.services.join(" "));
                for (name, version) in &f.official_versions {
                    s.put("official_version", format!("{name} {version}"));
                }
                s.put(
                    "ours",
                    format!("{} {}", f.ours.seconds, f.ours.stripped_bytes),
                );
                s.put(
                    "official",
                    format!("{} {}", f.official.seconds, f.official.stripped_bytes),
                );
            }
        }
        Group::CodegenSpeed => {
            if let Some(c) = &r.codegen_speed {
                s.put(
                    "total",
                    format!(
                        "{} {} {} {} {}",
                        c.models, c.failed, c.seconds, c.lines, c.complete
                    ),
                );
                s.put("largest", &c.largest);
                for x in &c.subsets {
                    s.put(
                        "subset",
                        format!("{} {} {} {}", x.part, x.operations, x.lines, x.seconds),
                    );
                }
                for (name, lines) in &c.per_model {
                    s.put("model", format!("{name} {lines}"));
                }
            }
        }
        Group::Https => {
            put_pair(&mut s, "sequential", &r.https_sequential);
            put_pair(&mut s, "concurrent", &r.https_concurrent);
        }
    }
    s
}

/// Puts what [`store`] saved for `group` back into `results`; values it cannot read stay
/// unmeasured.
pub(super) fn restore(group: Group, s: &Saved, r: &mut Results) {
    let words = |v: &str| -> Vec<String> { v.split(' ').map(str::to_string).collect() };
    match group {
        Group::Micro => {
            r.parse = get_pair(s, "parse");
            r.parse_ours_direct = s.number("parse_ours_direct");
            r.request = get_pair(s, "request");
            r.request_ours_direct = s.number("request_ours_direct");
            r.codegen_model_ns = s.number("codegen_model_ns");
            r.codegen_full_ns = s.number("codegen_full_ns");
        }
        Group::Load => {
            r.sequential = get_pair(s, "sequential");
            r.concurrent = get_pair(s, "concurrent");
            r.peak_rss_kib = get_pair(s, "peak_rss_kib");
        }
        Group::BuildCost => {}
        Group::Callgrind => {
            r.instructions = get_pair(s, "instructions");
            r.profile_ours = s.all("profile.ours").map(str::to_string).collect();
            r.profile_official = s.all("profile.official").map(str::to_string).collect();
        }
        Group::FleetCompile => {
            r.fleet = s
                .all("crate")
                .filter_map(|v| {
                    let f: Vec<&str> = v.split(' ').collect();
                    (f.len() == 13).then_some(())?;
                    Some(FleetCrate {
                        service: f[0].to_string(),
                        official_crate: f[1].to_string(),
                        official_version: f[2].to_string(),
                        ours: crate_cost(&f[3..8])?,
                        official: crate_cost(&f[8..13])?,
                    })
                })
                .collect();
        }
        Group::FiveServices => {
            let program = |key: &str| -> Option<ProgramCost> {
                let (seconds, bytes) = s.get(key)?.split_once(' ')?;
                Some(ProgramCost {
                    seconds: seconds.parse().ok()?,
                    stripped_bytes: bytes.parse().ok()?,
                })
            };
            if let (Some(ours), Some(official)) = (program("ours"), program("official")) {
                r.five = Some(FiveServices {
                    services: s.get("services").map(words).unwrap_or_default(),
                    official_versions: s
                        .all("official_version")
                        .filter_map(|v| v.split_once(' '))
                        .map(|(n, v)| (n.to_string(), v.to_string()))
                        .collect(),
                    ours,
                    official,
                });
            }
        }
        Group::CodegenSpeed => {
            let total: Vec<&str> = s.get("total").unwrap_or_default().split(' ').collect();
            let [models, failed, seconds, lines, complete] = total.as_slice() else {
                return;
            };
            let (Ok(models), Ok(failed), Ok(seconds), Ok(lines)) = (
                models.parse(),
                failed.parse(),
                seconds.parse(),
                lines.parse(),
            ) else {
                return;
            };
            r.codegen_speed = Some(CodegenSpeed {
                models,
                failed,
                seconds,
                lines,
                complete: *complete == "true",
                largest: s.get("largest").unwrap_or_default().to_string(),
                subsets: s
                    .all("subset")
                    .filter_map(|v| {
                        let f: Vec<&str> = v.split(' ').collect();
                        match f.as_slice() {
                            [part, ops, lines, secs] => Some(Subset {
                                part: part.parse().ok()?,
                                operations: ops.parse().ok()?,
                                lines: lines.parse().ok()?,
                                seconds: secs.parse().ok()?,
                            }),
                            _ => None,
                        }
                    })
                    .collect(),
                per_model: s
                    .all("model")
                    .filter_map(|v| {
                        let (name, lines) = v.split_once(' ')?;
                        Some((name.to_string(), lines.parse().ok()?))
                    })
                    .collect(),
            });
        }
        Group::Https => {
            r.https_sequential = get_pair(s, "sequential");
            r.https_concurrent = get_pair(s, "concurrent");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_survive_a_save_and_load() {
        let mut saved = Saved::new("2026-01-01 00:00 UTC");
        saved.put("seconds", 1.5);
        saved.put("crate", "a\tb");
        saved.put("crate", "c");
        saved.put_some("missing", None::<f64>);
        let path =
            std::env::temp_dir().join(format!("xtask-bench-saved-{}.txt", std::process::id()));
        saved.save(&path).unwrap();
        let loaded = Saved::load(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(loaded, saved);
        assert_eq!(loaded.number("seconds"), Some(1.5));
        assert_eq!(loaded.all("crate").collect::<Vec<_>>(), ["a b", "c"]);
        assert_eq!(loaded.get("missing"), None);
        assert_eq!(Saved::load(Path::new("/nonexistent/results.txt")), None);
    }

    /// Each workload's results come back as they were saved.
    #[test]
    fn every_group_restores_what_it_stored() {
        let cost = |k: f64| CrateCost {
            clean_seconds: 100.0 * k,
            crate_seconds: 10.0 * k,
            check_seconds: 5.0 * k,
            lines: 1000,
            rlib_bytes: 4096,
        };
        let r = Results {
            parse: Pair::new(Some(1.0), Some(2.0)),
            codegen_full_ns: Some(3.0),
            sequential: Pair::new(Some(4.0), None),
            instructions: Pair::new(Some(5.0), Some(6.0)),
            profile_ours: vec!["  1  2.0%  f".into()],
            fleet: vec![FleetCrate {
                service: "quicksight".into(),
                official_crate: "aws-sdk-quicksight".into(),
                official_version: "1.2.3".into(),
                ours: cost(1.0),
                official: cost(3.0),
            }],
            five: Some(FiveServices {
                services: vec!["lambda".into(), "eks".into()],
                official_versions: vec![("aws-sdk-eks".into(), "1.0.0".into())],
                ours: ProgramCost {
                    seconds: 10.0,
                    stripped_bytes: 100,
                },
                official: ProgramCost {
                    seconds: 20.0,
                    stripped_bytes: 200,
                },
            }),
            codegen_speed: Some(CodegenSpeed {
                models: 2,
                failed: 0,
                seconds: 1.5,
                lines: 300,
                largest: "a".into(),
                subsets: vec![Subset {
                    part: 2,
                    operations: 3,
                    lines: 100,
                    seconds: 0.25,
                }],
                per_model: vec![("a".into(), 200), ("b".into(), 100)],
                complete: true,
            }),
            https_concurrent: Pair::new(None, Some(7.0)),
            ..Results::default()
        };
        let mut back = Results::default();
        for group in Group::ALL {
            let path = std::env::temp_dir().join(format!(
                "xtask-bench-group-{}-{}.txt",
                group.dir(),
                std::process::id()
            ));
            store(group, &r, "d").save(&path).unwrap();
            let saved = Saved::load(&path).unwrap();
            let _ = std::fs::remove_file(&path);
            restore(group, &saved, &mut back);
        }
        assert_eq!(
            (back.parse.ours, back.parse.official, back.codegen_full_ns),
            (Some(1.0), Some(2.0), Some(3.0))
        );
        assert_eq!(
            (back.sequential.ours, back.sequential.official),
            (Some(4.0), None)
        );
        assert_eq!(back.instructions.official, Some(6.0));
        assert_eq!(back.profile_ours, r.profile_ours);
        assert_eq!(back.fleet, r.fleet);
        assert_eq!(back.five, r.five);
        assert_eq!(back.codegen_speed, r.codegen_speed);
        assert_eq!(back.https_concurrent.official, Some(7.0));
    }
}
