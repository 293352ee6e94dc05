//! Property tests of the wire helpers (`rt::wire`): every string survives label, greedy-label
//! and query encoding and decoding; the request URI keeps exactly the expected segments; no
//! CR/LF reaches a header; list headers, timestamps, floats and base64 read back what was
//! written; the parsers never panic.

use aws_client_runtime::wire::header::{join, quote_item, split_list, Headers};
use aws_client_runtime::wire::timestamp::{self, Format};
use aws_client_runtime::wire::uri::{
    encode_greedy_label, encode_label, encode_query, float32_text, float_text, label_problem,
    RequestUri,
};
use aws_client_runtime::wire::{base64_decode, base64_encode};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use time::OffsetDateTime;

fn decode(text: &str) -> String {
    percent_decode_str(text)
        .decode_utf8()
        .expect("percent-decoding an encoded string gives UTF-8")
        .into_owned()
}

/// Strings heavy in the characters that matter for URIs and headers, plus any Unicode.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[/.%+?#&= $@:;,!*'()\\[\\]a-z0-9\\-_~\r\n\t\u{0}\u{7f}é日😀]{0,24}",
        Just(String::new()),
        Just(".".to_string()),
        Just("..".to_string()),
        Just("../..".to_string()),
        Just("a/./b".to_string()),
        Just("%2e%2E".to_string()),
    ]
}

/// Every byte of an encoded label is unreserved or part of an uppercase `%XX`.
fn assert_well_formed(encoded: &str, allow_slash: bool) {
    let bytes = encoded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            assert!(i + 2 < bytes.len(), "truncated escape in {encoded}");
            let hex = &encoded[i + 1..i + 3];
            assert!(
                hex.bytes()
                    .all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(&h)),
                "bad escape `%{hex}` in {encoded}"
            );
            i += 3;
            continue;
        }
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        assert!(
            unreserved || (allow_slash && b == b'/'),
            "byte {:?} left unencoded in {encoded}",
            b as char
        );
        i += 1;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn labels_round_trip(s in tricky_string()) {
        let encoded = encode_label(&s);
        assert_well_formed(&encoded, false);
        prop_assert!(!encoded.contains('/'));
        prop_assert_eq!(decode(&encoded), s);
    }

    #[test]
    fn greedy_labels_round_trip_and_keep_segments(s in tricky_string()) {
        let encoded = encode_greedy_label(&s);
        assert_well_formed(&encoded, true);
        prop_assert_eq!(encoded.split('/').count(), s.split('/').count());
        prop_assert_eq!(decode(&encoded), s);
    }

    #[test]
    fn query_values_round_trip(s in tricky_string()) {
        let encoded = encode_query(&s);
        assert_well_formed(&encoded, false);
        for c in ['&', '=', '+', '#', ' ', '?'] {
            prop_assert!(!encoded.contains(c));
        }
        prop_assert_eq!(decode(&encoded), s);
    }

    /// `/v2/apis/{ApiId}/stages/{StageName}`: either a typed error, or a URI whose path has
    /// exactly the expected segments, each decoding to its value; never a dot segment.
    #[test]
    fn request_uri_has_exactly_the_expected_segments(api in tricky_string(), stage in tricky_string()) {
        let mut uri = RequestUri::new("https://apigateway.us-east-1.amazonaws.com/");
        uri.path("/v2/apis/");
        let first = uri.label("GetStageInput.api_id", &api);
        prop_assert_eq!(first.is_err(), label_problem(&api, false).is_some());
        if first.is_err() {
            prop_assert!(api.is_empty() || api == "." || api == "..");
            return Ok(());
        }
        uri.path("/stages/");
        let second = uri.label("GetStageInput.stage_name", &stage);
        prop_assert_eq!(second.is_err(), stage.is_empty() || stage == "." || stage == "..");
        if let Err(e) = second {
            prop_assert_eq!(e.member(), Some("GetStageInput.stage_name"));
            return Ok(());
        }
        let uri = uri.finish();
        let path = uri.strip_prefix("https://apigateway.us-east-1.amazonaws.com").expect("keeps the endpoint");
        prop_assert!(!path.contains(['?', '#', '\r', '\n', ' ']), "{}", path);
        let segments: Vec<&str> = path.split('/').collect();
        prop_assert_eq!(segments.len(), 6, "{}", path);
        prop_assert_eq!(&segments[..3], &["", "v2", "apis"]);
        prop_assert_eq!(decode(segments[3]), api);
        prop_assert_eq!(segments[4], "stages");
        prop_assert_eq!(decode(segments[5]), stage);
        for segment in path.split('/') {
            prop_assert!(segment != "." && segment != "..", "dot segment in {}", path);
        }
    }

    #[test]
    fn greedy_label_problems_are_exactly_dot_segments_and_empty(s in tricky_string()) {
        let expected = s.is_empty() || s.split('/').any(|seg| seg == "." || seg == "..");
        prop_assert_eq!(label_problem(&s, true).is_some(), expected);
    }

    /// A header value is accepted exactly when it has no control character but tab; what is
    /// accepted is sent byte for byte (so CR/LF never reaches the request).
    #[test]
    fn headers_refuse_exactly_control_characters(value in tricky_string()) {
        let mut headers = Headers::new();
        let result = headers.insert("X.y", "x-amz-test", &value);
        let bad = value.chars().any(|c| (c.is_ascii_control() && c != '\t') || !c.is_ascii());
        prop_assert_eq!(result.is_err(), bad, "{:?}", value);
        if let Err(e) = result {
            prop_assert_eq!(e.member(), Some("X.y"));
        } else {
            let map = headers.into_map();
            let sent = map.get("x-amz-test").expect("set").as_bytes();
            prop_assert_eq!(sent, value.as_bytes());
            prop_assert!(!sent.contains(&b'\r') && !sent.contains(&b'\n'));
        }
    }

    #[test]
    fn header_names_with_bad_characters_are_refused(name in "[a-z\r\n :]{1,12}") {
        let mut headers = Headers::new();
        let result = headers.insert("X.y", &name, "v");
        let bad = name.contains(['\r', '\n', ' ', ':']);
        prop_assert_eq!(result.is_err(), bad);
    }

    /// List headers: joining the (quoted) items and splitting them gives the items back.
    #[test]
    fn list_headers_round_trip(items in prop::collection::vec("([a-zA-Z0-9,\"\\();=]([a-zA-Z0-9,\"\\ ();=]{0,10}[a-zA-Z0-9,\"\\();=])?)?", 1..6)) {
        let written = join(items.iter().map(|i| quote_item(i)));
        prop_assert_eq!(split_list(&written), items, "written as {:?}", written);
    }

    #[test]
    fn split_list_never_panics(s in any::<String>()) {
        let _ = split_list(&s);
        let _ = aws_client_runtime::wire::header::split_http_dates(&s);
    }

    #[test]
    fn date_time_round_trips(nanos in -62_135_596_800_000_000_000i128..253_402_300_799_999_999_999i128) {
        let t = OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap();
        let text = timestamp::format(&t, Format::DateTime);
        prop_assert_eq!(timestamp::parse(&text, Format::DateTime).unwrap(), t, "{}", text);
    }

    #[test]
    fn epoch_seconds_round_trip(nanos in -62_135_596_800_000_000_000i128..253_402_300_799_999_999_999i128) {
        let t = OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap();
        let text = timestamp::format(&t, Format::EpochSeconds);
        prop_assert_eq!(timestamp::parse(&text, Format::EpochSeconds).unwrap(), t, "{}", text);
    }

    #[test]
    fn http_date_round_trips_to_the_second(secs in -62_135_596_800i64..253_402_300_799i64, nano in 0u32..1_000_000_000) {
        let t = OffsetDateTime::from_unix_timestamp(secs).unwrap().replace_nanosecond(nano).unwrap();
        let text = timestamp::format(&t, Format::HttpDate);
        let back = timestamp::parse(&text, Format::HttpDate).unwrap();
        prop_assert_eq!(back, t.replace_nanosecond(0).unwrap(), "{}", text);
    }

    #[test]
    fn timestamp_parsers_never_panic(s in prop_oneof![
        any::<String>(),
        "[0-9TZ:.+\\- ]{0,40}",
        "(Mon|Tue|Sunday), [0-9]{1,3} (Jan|Feb|Dec) -?[0-9]{1,6} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2} GMT",
        "-?[0-9]{1,25}(\\.[0-9]{0,12})?",
    ]) {
        for format in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
            if let Err(e) = timestamp::parse(&s, format) {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    // `from_epoch_f64` refuses more than 1e17 µs (past year 5138), although `time` and the
    // formatter go to year 9999; the property covers years 1–5000.
    fn epoch_numbers_round_trip_to_the_microsecond(micros in -62_135_596_800_000_000i64..95_617_584_000_000_000i64) {
        let t = OffsetDateTime::from_unix_timestamp_nanos(micros as i128 * 1000).unwrap();
        let back = match timestamp::epoch_seconds_number(&t) {
            timestamp::EpochNumber::Integer(n) => timestamp::from_epoch_i64(n).unwrap(),
            timestamp::EpochNumber::Float(f) => timestamp::from_epoch_f64(f).unwrap(),
        };
        let drift = (back - t).whole_microseconds().abs();
        // A JSON number is an f64: microseconds are exact while the spacing of f64 values
        // near the seconds is well under 1 µs (|t| < 2^31 s, 1901–2038); beyond, allow it.
        let seconds = t.unix_timestamp() as f64;
        let allowed = if seconds.abs() < 2f64.powi(31) {
            0
        } else {
            (seconds.abs() * f64::EPSILON * 1e6).ceil() as i128 + 1
        };
        prop_assert!(drift <= allowed, "{} came back as {} ({} µs off)", t, back, drift);
    }

    #[test]
    fn floats_read_back(f in any::<f64>()) {
        let text = float_text(f);
        if f.is_nan() {
            prop_assert_eq!(text, "NaN");
        } else if f.is_infinite() {
            prop_assert_eq!(text, if f > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            prop_assert_eq!(text.parse::<f64>().unwrap(), f);
        }
    }

    #[test]
    fn floats32_read_back(f in any::<f32>()) {
        let text = float32_text(f);
        if f.is_finite() {
            prop_assert_eq!(text.parse::<f32>().unwrap(), f);
        }
    }

    #[test]
    fn base64_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = base64_encode(&bytes);
        prop_assert_eq!(base64_decode(&text).unwrap(), bytes.clone());
        prop_assert_eq!(base64_decode(text.trim_end_matches('=')).unwrap(), bytes);
    }

    #[test]
    fn base64_decode_never_panics(s in any::<String>()) {
        let _ = base64_decode(&s);
    }
}

/// Found by this file's list-header property: an item that begins or ends with whitespace
/// (`" a"`, `"\t"`) is written unquoted and read back trimmed. Writers should quote such
/// items (as the AWS SDKs do) so that they survive.
#[test]
fn list_header_items_keep_surrounding_whitespace() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&prop::collection::vec("[a-z, \t\"]{0,8}", 1..4), |items| {
            let written = join(items.iter().map(|i| quote_item(i)));
            prop_assert_eq!(split_list(&written), items, "written as {:?}", written);
            Ok(())
        })
        .unwrap();
}

/// Found by `epoch_numbers_round_trip_to_the_microsecond`: a JSON epoch-seconds number with
/// a fraction past 1e17 µs (year 5138) is refused by `from_epoch_f64`, though the formatter
/// writes (and `time` holds) timestamps up to year 9999.
#[test]
fn epoch_numbers_read_back_up_to_year_9999() {
    let t = OffsetDateTime::from_unix_timestamp(253_402_300_799)
        .unwrap()
        .replace_nanosecond(500_000_000)
        .unwrap();
    let back = match timestamp::epoch_seconds_number(&t) {
        timestamp::EpochNumber::Integer(n) => timestamp::from_epoch_i64(n),
        timestamp::EpochNumber::Float(f) => timestamp::from_epoch_f64(f),
    };
    assert!(
        back.is_some(),
        "{t} written as an epoch number does not read back"
    );
}
