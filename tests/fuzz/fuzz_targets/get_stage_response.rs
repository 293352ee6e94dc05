//! GetStage's response deserializer through the client: arbitrary status, headers and body.
#![no_main]

use fuzz_support::client::ResponseInput;

libfuzzer_sys::fuzz_target!(|input: ResponseInput| fuzz_support::client::check_response(&input));
