//! Validation accepts exactly the values inside each constraint (the `constraints` crate,
//! from `tests/models/constraints.json`).
//!
//! Inputs are generated around every boundary (lengths counted in Unicode code points,
//! ranges, unanchored patterns, list and map sizes, nested structures); the expected verdict
//! is computed here, independently of the generated validators; the call goes through the
//! client with a canned HTTP client: a valid input is sent, an invalid one fails with
//! `Error::Validation` naming an offending member, and nothing is sent.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use constraints::config::{CannedHttpClient, CannedResponse, Credentials};
use constraints::error::{Error, InvalidInput};
use constraints::types::{Detail, Mode, Record, Tag};
use proptest::prelude::*;
use regex::Regex;

// ---- the constraints, written out from the model ---------------------------------------

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn short_name_ok(s: &str) -> bool {
    (1..=5).contains(&chars(s))
}

fn regex(pattern: &'static str) -> &'static Regex {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<&'static str, &'static Regex>>> =
        OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    cache
        .entry(pattern)
        .or_insert_with(|| Box::leak(Box::new(Regex::new(pattern).unwrap())))
}

const GROUP_NAME: &str = "^[a-z][a-z0-9-]*$";
const RECORD_ID: &str = "[0-9]+";
const STAGE_VARIABLE_VALUE: &str = "^[A-Za-z0-9._~:/?#&=,-]+$";
const CHECKSUM: &str = "^(?:[A-Fa-f0-9]{2}){16}$|^[A-Za-z0-9+/]{22}==$";

fn group_name_ok(s: &str) -> bool {
    (1..=16).contains(&chars(s)) && regex(GROUP_NAME).is_match(s)
}

/// A record as generated, before it is built (so invalid values can be expressed).
#[derive(Debug, Clone)]
struct RecordSpec {
    record_id: String,
    payload: Option<Vec<u8>>,
    count: Option<i32>,
    offset: Option<i64>,
    ratio: Option<f64>,
    score: Option<i32>,
    label: Option<String>,
    owner: String,
    attributes: Option<Vec<(String, String)>>,
    tags: Option<Vec<(String, String)>>,
}

impl RecordSpec {
    fn ok(&self) -> bool {
        regex(RECORD_ID).is_match(&self.record_id)
            && self
                .payload
                .as_ref()
                .is_none_or(|p| (1..=16).contains(&p.len()))
            && self.count.is_none_or(|c| c >= 0)
            && self.offset.is_none_or(|o| o <= 1000)
            && self.ratio.is_none_or(|r| (-1.5..=1.5).contains(&r))
            && self.score.is_none_or(|s| (1..=10).contains(&s))
            && self.label.as_ref().is_none_or(|l| chars(l) >= 2)
            && short_name_ok(&self.owner)
            && self.attributes.as_ref().is_none_or(|a| {
                dedup(a).len() <= 2
                    && dedup(a)
                        .values()
                        .all(|v| regex(STAGE_VARIABLE_VALUE).is_match(v))
            })
            && self.tags.as_ref().is_none_or(|t| {
                (1..=2).contains(&t.len()) && t.iter().all(|(k, _)| short_name_ok(k))
            })
    }

    fn build(&self) -> Record {
        let mut detail = Detail::builder().owner(self.owner.clone());
        if let Some(attributes) = &self.attributes {
            for (k, v) in attributes {
                detail = detail.attributes(k.clone(), v.clone());
            }
            if attributes.is_empty() {
                detail = detail.set_attributes(Some(HashMap::new()));
            }
        }
        let mut record = Record::builder()
            .record_id(self.record_id.clone())
            .set_payload(self.payload.clone())
            .set_count(self.count)
            .set_offset(self.offset)
            .set_ratio(self.ratio)
            .set_score(self.score)
            .set_label(self.label.clone())
            .detail(detail.build().expect("owner is set"));
        if let Some(tags) = &self.tags {
            for (k, v) in tags {
                record = record.tags(
                    Tag::builder()
                        .key(k.clone())
                        .value(v.clone())
                        .build()
                        .expect("key and value set"),
                );
            }
            if tags.is_empty() {
                record = record.set_tags(Some(Vec::new()));
            }
        }
        record.build().expect("record id and detail are set")
    }
}

/// Map entries as the map will hold them (a later key replaces an earlier one).
fn dedup(entries: &[(String, String)]) -> HashMap<String, String> {
    entries.iter().cloned().collect()
}

// ---- generators around the boundaries --------------------------------------------------

/// Strings of 0–`max` code points, from ASCII, 2-byte, 3-byte and 4-byte characters.
fn text(max: usize) -> impl Strategy<Value = String> {
    text_in(0, max)
}

fn text_in(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just('7'),
            Just('-'),
            Just('é'),
            Just('日'),
            Just('🦀'),
            Just(' '),
            Just('!')
        ],
        min..=max,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

/// Mostly a valid value (so that whole inputs are often valid), sometimes anything near
/// the boundary.
fn mostly<T: std::fmt::Debug + Clone + 'static>(
    valid: impl Strategy<Value = T> + 'static,
    near: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    prop_oneof![24 => valid, 1 => near].boxed()
}

fn short_name() -> BoxedStrategy<String> {
    mostly(
        text_in(1, 5),
        prop_oneof![Just(String::new()), text_in(6, 7), text(7)],
    )
}

fn record_id() -> BoxedStrategy<String> {
    mostly(
        "[a-z]{0,2}[0-9]{1,4}[a-z]{0,2}",
        prop_oneof![text(4), Just(String::new()), "[a-z.]{1,3}"],
    )
}

fn group_name() -> BoxedStrategy<String> {
    mostly(
        "[a-z][a-z0-9-]{0,15}",
        prop_oneof!["[a-z][a-z0-9-]{16,17}", "[a-zA-Z0-9_-]{0,17}", text(3)],
    )
}

fn stage_variable_value() -> BoxedStrategy<String> {
    mostly(
        "[A-Za-z0-9._~:/?#&=,-]{1,6}",
        prop_oneof!["[A-Za-z0-9 ._~:/?#&=,@!-]{0,6}", Just(String::new())],
    )
}

fn checksum() -> BoxedStrategy<String> {
    mostly(
        prop_oneof!["[A-Fa-f0-9]{32}", "[A-Za-z0-9+/]{22}=="],
        prop_oneof![
            "[A-Fa-f0-9]{30,34}",
            "[A-Za-z0-9+/]{21,23}==?",
            "[a-z0-9]{0,40}"
        ],
    )
}

fn record() -> impl Strategy<Value = RecordSpec> {
    let numbers = (
        prop::option::of(mostly(
            prop::collection::vec(any::<u8>(), 1..=16),
            prop::collection::vec(any::<u8>(), 0..=17),
        )),
        prop::option::of(mostly(0..=i32::MAX, prop_oneof![Just(-1), any::<i32>()])),
        prop::option::of(mostly(
            prop_oneof![Just(1000i64), Just(i64::MIN), -5i64..=1000],
            prop_oneof![Just(1001), any::<i64>()],
        )),
        prop::option::of(mostly(
            prop_oneof![Just(-1.5f64), Just(1.5), -1.5f64..=1.5],
            prop_oneof![
                Just(1.5000000000000002),
                Just(-1.5000000000000002),
                Just(f64::NAN),
                Just(f64::INFINITY),
                -2.0f64..2.0
            ],
        )),
        prop::option::of(mostly(1..=10, prop_oneof![Just(0), Just(11), any::<i32>()])),
    );
    let strings = (
        record_id(),
        prop::option::of(mostly(text_in(2, 4), text(3))),
        short_name(),
        prop::option::of(mostly(
            prop::collection::vec(("[a-c]{1}", stage_variable_value()), 0..=2),
            prop::collection::vec(("[a-e]{1}", stage_variable_value()), 3..=4),
        )),
        prop::option::of(mostly(
            prop::collection::vec((short_name(), text(2)), 1..=2),
            prop::collection::vec((short_name(), text(2)), 0..=3),
        )),
    );
    (numbers, strings).prop_map(
        |((payload, count, offset, ratio, score), (record_id, label, owner, attributes, tags))| {
            RecordSpec {
                record_id,
                payload,
                count,
                offset,
                ratio,
                score,
                label,
                owner,
                attributes,
                tags,
            }
        },
    )
}

#[derive(Debug, Clone)]
struct BatchSpec {
    batch_name: Option<String>,
    groups: Option<Vec<(String, Vec<RecordSpec>)>>,
    notes: Option<Vec<String>>,
    checksum: Option<String>,
    mode: Option<String>,
}

impl BatchSpec {
    fn ok(&self) -> bool {
        let groups: Option<HashMap<String, Vec<RecordSpec>>> =
            self.groups.as_ref().map(|g| g.iter().cloned().collect());
        self.batch_name.as_deref().is_some_and(short_name_ok)
            && groups.as_ref().is_some_and(|g| {
                (1..=4).contains(&g.len())
                    && g.iter().all(|(k, records)| {
                        group_name_ok(k) && records.len() <= 3 && records.iter().all(RecordSpec::ok)
                    })
            })
            && self
                .notes
                .as_ref()
                .is_none_or(|n| !n.is_empty() && n.iter().all(|note| chars(note) <= 140))
            && self
                .checksum
                .as_ref()
                .is_none_or(|c| regex(CHECKSUM).is_match(c))
    }
}

fn batch() -> impl Strategy<Value = BatchSpec> {
    (
        prop::option::of(short_name()),
        prop::option::of(mostly(
            prop::collection::vec(
                (group_name(), prop::collection::vec(record(), 0..=2)),
                1..=2,
            ),
            prop::collection::vec(
                (group_name(), prop::collection::vec(record(), 0..=4)),
                0..=5,
            ),
        )),
        prop::option::of(mostly(
            prop::collection::vec("[a-z]{0,3}", 1..=2),
            prop::collection::vec(
                prop_oneof!["[a-z]{0,3}", "é{139,141}", "🦀{140,141}"],
                0..=2,
            ),
        )),
        prop::option::of(checksum()),
        prop::option::of(prop_oneof![
            Just("fast".to_string()),
            Just("safe".to_string()),
            "[a-z]{0,6}"
        ]),
    )
        .prop_map(|(batch_name, groups, notes, checksum, mode)| BatchSpec {
            batch_name,
            groups,
            notes,
            checksum,
            mode,
        })
}

// ---- the client -------------------------------------------------------------------------

#[derive(Debug)]
struct Shared(Arc<CannedHttpClient>);

impl constraints::config::HttpClient for Shared {
    fn send(
        &self,
        request: constraints::config::HttpRequest,
        options: constraints::config::SendOptions,
    ) -> constraints::config::BoxFuture<
        '_,
        Result<constraints::config::HttpResponse, constraints::config::HttpClientError>,
    > {
        self.0.send(request, options)
    }
}

fn client(body: &str) -> (constraints::Client, Arc<CannedHttpClient>) {
    let canned = Arc::new(CannedHttpClient::new([CannedResponse::json(
        200, "req", body,
    )]));
    let config = constraints::Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None, None, "test"))
        .http_client(Shared(canned.clone()))
        .max_attempts(1)
        .build();
    (constraints::Client::new(&config), canned)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The verdict: `Ok(())` sent, `Err(paths)` refused before sending.
fn verdict<O: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<O, Error<E>>,
    sent: usize,
) -> Result<(), Vec<String>> {
    match result {
        Ok(_) => {
            assert_eq!(sent, 1, "an accepted input is sent once");
            Ok(())
        }
        Err(Error::Validation(InvalidInput::Constraint(e))) => {
            assert_eq!(sent, 0, "a refused input is not sent");
            assert!(!e.violations().is_empty());
            Err(e.violations().iter().map(|v| v.to_string()).collect())
        }
        Err(Error::Validation(other)) => {
            assert_eq!(sent, 0, "a refused input is not sent");
            Err(vec![other.to_string()])
        }
        Err(other) => panic!("neither accepted nor refused by validation: {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn submit_batch_is_accepted_exactly_inside_the_constraints(spec in batch()) {
        let (client, canned) = client(r#"{"Accepted":1}"#);
        let mut call = client.submit_batch().set_batch_name(spec.batch_name.clone()).set_checksum(spec.checksum.clone());
        if let Some(groups) = &spec.groups {
            let map: HashMap<String, Vec<Record>> = groups.iter().map(|(k, rs)| (k.clone(), rs.iter().map(RecordSpec::build).collect())).collect();
            call = call.set_groups(Some(map));
        }
        call = call.set_notes(spec.notes.clone());
        if let Some(mode) = &spec.mode {
            call = call.mode(Mode::from(mode.as_str()));
        }
        let result = runtime().block_on(call.send());
        let verdict = verdict(result, canned.requests().len());
        prop_assert_eq!(verdict.is_ok(), spec.ok(), "verdict {:?} for {:#?}", verdict, spec);
    }

    #[test]
    fn get_record_is_accepted_exactly_inside_the_constraints(
        id in record_id(),
        page in prop::option::of(mostly(prop_oneof![Just(1), 1..=i32::MAX], prop_oneof![Just(0), Just(i32::MIN), any::<i32>()])),
        page_size in prop::option::of(mostly(1..=100, prop_oneof![Just(0), Just(101), any::<i32>()])),
        fields in prop::option::of(mostly(prop::collection::vec(short_name(), 0..=3), prop::collection::vec(text(6), 0..=4))),
        // Header values: visible ASCII here (non-ASCII is a separate case, below).
        trace in prop::option::of(mostly("[a-zA-Z0-9!-]{1,5}", prop_oneof!["[a-zA-Z0-9 !-]{0,7}", Just(String::new())])),
    ) {
        let (client, canned) = client("{}");
        let call = client
            .get_record()
            .record_id(id.clone())
            .set_page(page)
            .set_page_size(page_size)
            .set_fields(fields.clone())
            .set_trace(trace.clone());
        let result = runtime().block_on(call.send());
        // A label must also be sendable: not empty, not a dot segment.
        let expected = regex(RECORD_ID).is_match(&id)
            && !id.is_empty() && id != "." && id != ".."
            && page.is_none_or(|p| p >= 1)
            && page_size.is_none_or(|p| (1..=100).contains(&p))
            && fields.as_ref().is_none_or(|f| f.len() <= 3 && f.iter().all(|x| short_name_ok(x)))
            && trace.as_deref().is_none_or(short_name_ok);
        let verdict = verdict(result, canned.requests().len());
        prop_assert_eq!(verdict.is_ok(), expected, "verdict {:?} for id {:?} page {:?} size {:?} fields {:?} trace {:?}", verdict, id, page, page_size, fields, trace);
    }
}

/// The model's own documented examples for `BatchName`.
#[test]
fn batch_name_counts_code_points() {
    let rt = runtime();
    for (name, ok) in [
        ("héllo", true),
        ("🦀🦀", true),
        ("héllo!", false),
        ("", false),
        ("🦀🦀🦀🦀🦀", true),
        ("🦀🦀🦀🦀🦀🦀", false),
    ] {
        let (client, canned) = client(r#"{"Accepted":1}"#);
        let record = RecordSpec {
            record_id: "1".into(),
            payload: None,
            count: None,
            offset: None,
            ratio: None,
            score: None,
            label: None,
            owner: "o".into(),
            attributes: None,
            tags: None,
        };
        let call = client
            .submit_batch()
            .batch_name(name)
            .groups("g", vec![record.build()]);
        let verdict = verdict(rt.block_on(call.send()), canned.requests().len());
        assert_eq!(verdict.is_ok(), ok, "{name:?}: {verdict:?}");
    }
}

/// A header value that satisfies the model (`ShortName`: 1–5 code points) but cannot be sent
/// as an HTTP header (not visible ASCII) is an input error raised before anything is sent,
/// not a credentials/signing error.
#[test]
fn a_non_ascii_header_value_is_an_input_error() {
    let (client, canned) = client("{}");
    let result = runtime().block_on(client.get_record().record_id("1").trace("héllo").send());
    assert_eq!(canned.requests().len(), 0, "nothing is sent");
    match result {
        Err(Error::Validation(e)) => {
            assert!(e.to_string().contains("trace"), "names the member: {e}")
        }
        other => panic!("expected an input (validation/serialization) error, got {other:?}"),
    }
}

/// The generator reaches both verdicts often (the property is not vacuous).
#[test]
fn the_generator_covers_both_verdicts() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = batch();
    let n = 400;
    let ok = (0..n)
        .filter(|_| strategy.new_tree(&mut runner).unwrap().current().ok())
        .count();
    assert!(
        ok * 20 > n && ok * 20 < n * 19,
        "{ok} of {n} generated batches are valid"
    );
}

/// `validate_constraints(false)` leaves `@range`, `@length` and `@pattern` to the service
/// (for a service that relaxed them since the crate was generated), but `@required` and
/// usable labels are still checked: without them no request can be built.
#[test]
fn constraint_checks_can_be_switched_off_but_required_and_labels_stay() {
    let (strict, strict_canned) = client("{}");
    let relaxed_config = strict
        .config()
        .to_builder()
        .validate_constraints(false)
        .build();
    let canned = Arc::new(CannedHttpClient::new([CannedResponse::json(
        200, "req", "{}",
    )]));
    let relaxed = constraints::Client::new(
        relaxed_config
            .to_builder()
            .http_client(Shared(canned.clone()))
            .build(),
    );
    assert!(strict.config().validate_constraints());
    assert!(!relaxed.config().validate_constraints());

    // `pageSize` is `@range(1, 100)` and `RecordId` has `@pattern("[0-9]+")`.
    let strict_result =
        runtime().block_on(strict.get_record().record_id("x").page_size(500).send());
    assert!(
        matches!(strict_result, Err(Error::Validation(_))),
        "{strict_result:?}"
    );
    assert_eq!(strict_canned.requests().len(), 0);
    runtime()
        .block_on(relaxed.get_record().record_id("x").page_size(500).send())
        .expect("sent without the range and pattern checks");
    assert_eq!(canned.requests().len(), 1, "the request was sent");

    // Still refused: a missing required label, and a dot-segment label.
    for input in [None, Some("..")] {
        let result = runtime().block_on(
            relaxed
                .get_record()
                .set_record_id(input.map(str::to_owned))
                .send(),
        );
        match result {
            Err(Error::Validation(InvalidInput::Constraint(e))) => {
                assert!(e.to_string().contains("record_id"), "{e}")
            }
            other => panic!("{input:?}: expected a validation error, got {other:?}"),
        }
    }
    assert_eq!(canned.requests().len(), 1, "nothing more was sent");
}
