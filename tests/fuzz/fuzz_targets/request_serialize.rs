//! GetStage's request serializer through the client: arbitrary label strings.
#![no_main]

use fuzz_support::client::RequestInput;

libfuzzer_sys::fuzz_target!(|input: RequestInput| fuzz_support::client::check_request(&input));
