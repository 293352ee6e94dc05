//! GetStage's error deserializer through the client: error statuses, codes and bodies.
#![no_main]

use fuzz_support::client::ErrorInput;

libfuzzer_sys::fuzz_target!(|input: ErrorInput| fuzz_support::client::check_error(&input));
