//! Arbitrary bytes as a Smithy IDL 2.0 model file, through the IDL front end and every
//! later generator stage.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_support::idl::fuzz_idl_bytes(data));
