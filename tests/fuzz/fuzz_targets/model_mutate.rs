//! Structured edits (`arbitrary`) of the committed models, through every generator stage.
#![no_main]

use fuzz_support::model::MutationInput;

libfuzzer_sys::fuzz_target!(|input: MutationInput| fuzz_support::model::fuzz_mutations(&input));
