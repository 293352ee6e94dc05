//! Arbitrary bytes as a Smithy JSON AST model file, through every generator stage.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_support::model::fuzz_bytes(data));
