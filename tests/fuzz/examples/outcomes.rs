//! Replays a model corpus outside libFuzzer and tallies the outcomes (accepted, or the
//! rejection's message shape), to see how deep the fuzzer gets:
//! `cargo run --release --example outcomes -- model_mutate DIR...`.

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Unstructured};
use codegen::OperationSelection;
use fuzz_support::model::{generate, mutated_files, MutationInput};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (target, dirs) = args.split_first().expect("usage: outcomes TARGET DIR...");
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    for dir in dirs {
        for entry in std::fs::read_dir(dir).expect("a directory") {
            let data = std::fs::read(entry.expect("entry").path()).expect("readable");
            let (files, ops) = match target.as_str() {
                "model_mutate" => {
                    let Ok(input) = MutationInput::arbitrary_take_rest(Unstructured::new(&data))
                    else {
                        *tally.entry("(no input)".into()).or_default() += 1;
                        continue;
                    };
                    mutated_files(&input)
                }
                _ => {
                    let Some(text) = data.get(1..).and_then(|d| std::str::from_utf8(d).ok()) else {
                        *tally.entry("(not UTF-8)".into()).or_default() += 1;
                        continue;
                    };
                    (
                        vec![("fuzz.json".to_string(), text.to_string())],
                        OperationSelection::All,
                    )
                }
            };
            let key = match generate(&files, &ops) {
                Ok(_) => "ACCEPTED".to_string(),
                Err(e) => {
                    let m = e.to_string();
                    // Strip the file/shape prefix and quoted details: keep the message's shape.
                    let m = m.rsplit(": ").next().unwrap_or(&m).to_string();
                    let m: String = m.split('`').step_by(2).collect::<Vec<_>>().join("`_`");
                    m.chars().take(90).collect()
                }
            };
            *tally.entry(key).or_default() += 1;
        }
    }
    let mut rows: Vec<_> = tally.into_iter().collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    for (k, n) in rows {
        println!("{n:6}  {k}");
    }
}
