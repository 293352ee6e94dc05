//! The endpoint resolver on arbitrary regions, FIPS/dual-stack flags and overrides.
#![no_main]

use fuzz_support::endpoint::EndpointInput;

libfuzzer_sys::fuzz_target!(|input: EndpointInput| fuzz_support::endpoint::check(&input));
