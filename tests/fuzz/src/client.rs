//! The generated client end to end, driven through its public API with a scripted
//! [`HttpClient`]: response deserialization (status, headers, body), error deserialization,
//! and request serialization from arbitrary input strings.
//!
//! One tokio current-thread runtime and one `Client` per process; each input sets the
//! response the scripted HTTP client returns and records the request it was sent.

use std::sync::{Arc, Mutex};

use apigatewayv2::config::{
    BoxFuture, Credentials, HttpClient, HttpClientError, HttpRequest, HttpResponse, SendOptions,
};
use apigatewayv2::error::Error;
use apigatewayv2::operation::get_stage::{GetStageError, GetStageOutput};
use apigatewayv2::{Client, Config};
use arbitrary::Arbitrary;
use percent_encoding::percent_decode_str;

/// The endpoint every fuzzed request goes to.
pub const ENDPOINT: &str = "https://apigateway.us-east-1.amazonaws.com";
/// The secret key and session token the client signs with (they must never leak).
pub const SECRET_KEY: &str = "fuzzSECRETkeyDoNotLeak0123456789abcdefgh";
pub const SESSION_TOKEN: &str = "fuzzSESSIONtokenDoNotLeak";

/// Answers every request with the scripted response, and keeps the last request.
#[derive(Debug, Default)]
pub struct Scripted {
    response: Mutex<Option<HttpResponse>>,
    last_request: Mutex<Option<HttpRequest>>,
}

impl HttpClient for Scripted {
    fn send(
        &self,
        request: HttpRequest,
        options: SendOptions,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>> {
        *self.last_request.lock().unwrap() = Some(request);
        let response = self
            .response
            .lock()
            .unwrap()
            .clone()
            .expect("a response is scripted");
        // The cap is the HTTP client's job; a real one stops reading, so this one refuses.
        assert!(
            response.body.len() as u64 <= options.max_response_body,
            "the fuzzer keeps bodies small"
        );
        Box::pin(async move { Ok(response) })
    }
}

struct Harness {
    runtime: tokio::runtime::Runtime,
    client: Client,
    http: Arc<Scripted>,
}

fn new_harness() -> Harness {
    let http = Arc::new(Scripted::default());
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDFUZZEXAMPLE",
            SECRET_KEY,
            Some(SESSION_TOKEN.to_string()),
            None,
            "fuzz",
        ))
        .http_client(SharedScripted(http.clone()))
        // One attempt: a 5xx would otherwise be retried with back-off sleeps.
        .max_attempts(1)
        .build();
    Harness {
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime"),
        client: Client::new(&config),
        http,
    }
}

thread_local! {
    /// One per thread: a fuzz target runs on one thread, the test suite replays on several.
    static HARNESS: Harness = new_harness();
}

#[derive(Debug)]
struct SharedScripted(Arc<Scripted>);

impl HttpClient for SharedScripted {
    fn send(
        &self,
        request: HttpRequest,
        options: SendOptions,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>> {
        self.0.send(request, options)
    }
}

/// A response's headers and body as one byte string (to tell echoed text from leaks).
fn response_bytes(response: &HttpResponse) -> Vec<u8> {
    let mut out = response.body.to_vec();
    for (name, value) in &response.headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(value.as_bytes());
    }
    out
}

/// Calls GetStage with these labels against the scripted response.
pub fn call(
    api_id: Option<&str>,
    stage_name: Option<&str>,
    response: HttpResponse,
) -> (
    Result<GetStageOutput, Error<GetStageError>>,
    Option<HttpRequest>,
) {
    HARNESS.with(|h| {
        *h.http.response.lock().unwrap() = Some(response);
        *h.http.last_request.lock().unwrap() = None;
        let fluent = h
            .client
            .get_stage()
            .set_api_id(api_id.map(str::to_string))
            .set_stage_name(stage_name.map(str::to_string));
        let result = h.runtime.block_on(fluent.send());
        let request = h.http.last_request.lock().unwrap().take();
        (result, request)
    })
}

/// Header names a response may carry that the client reads.
const HEADER_NAMES: &[&str] = &[
    "content-type",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-amzn-errortype",
    "content-length",
    "content-encoding",
    "date",
    "retry-after",
    "x-amz-apigw-id",
    "x-amzn-trace-id",
];

#[derive(Debug, Clone, Arbitrary)]
pub enum HeaderName {
    Known(u8),
    Raw(String),
}

#[derive(Debug, Clone, Arbitrary)]
pub struct Header {
    pub name: HeaderName,
    pub value: Vec<u8>,
}

fn header_map(headers: &[Header]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for h in headers {
        let name = match &h.name {
            HeaderName::Known(i) => HEADER_NAMES[*i as usize % HEADER_NAMES.len()].to_string(),
            HeaderName::Raw(s) => s.clone(),
        };
        let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_bytes(&h.value),
        ) else {
            continue;
        };
        map.append(name, value);
    }
    map
}

/// Checks the things every outcome must satisfy: typed, displayable, secrets absent (unless
/// the response itself echoed them: the fuzzer finds the strings in memory and puts them in
/// bodies, and an error may quote the body).
fn check_error_text(error: &Error<GetStageError>, response_text: &[u8]) {
    let display = error.to_string();
    let debug = format!("{error:?}");
    assert!(!display.is_empty(), "an error without a message: {debug}");
    let contains = |needle: &str| {
        response_text
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    };
    // Suffixes: escaping in `Debug` (`\xff` + `uzz…`) can complete a partial echo.
    if contains(&SECRET_KEY[4..]) || contains(&SESSION_TOKEN[4..]) {
        return;
    }
    for text in [&display, &debug] {
        assert!(!text.contains(SECRET_KEY), "the secret key leaked: {text}");
        assert!(
            !text.contains(SESSION_TOKEN),
            "the session token leaked: {text}"
        );
    }
}

/// Bytes that, as the last field of an input, are the rest of the fuzzer's data verbatim
/// (so a seed's body is its tail, and libFuzzer's mutations act on the body directly).
#[derive(Debug, Clone)]
pub struct RawBody(pub Vec<u8>);

impl<'a> Arbitrary<'a> for RawBody {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(RawBody(Vec::<u8>::arbitrary(u)?))
    }
    fn arbitrary_take_rest(u: arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(RawBody(u.take_rest().to_vec()))
    }
}

/// The `get_stage_response` target's input: a status, headers and a body.
#[derive(Debug, Clone, Arbitrary)]
pub struct ResponseInput {
    pub status: u16,
    pub headers: Vec<Header>,
    pub body: RawBody,
}

impl ResponseInput {
    /// Mostly 200 (the deserializer's path), sometimes any status from 100 to 599.
    pub fn status(&self) -> u16 {
        match self.status % 8 {
            0..=4 => 200,
            5 => 200 + self.status / 8 % 100,
            _ => 100 + self.status / 8 % 500,
        }
    }
}

pub fn check_response(input: &ResponseInput) {
    let status = input.status();
    let response = HttpResponse {
        status,
        headers: header_map(&input.headers),
        body: bytes::Bytes::from(input.body.0.clone()),
    };
    let echoed = response_bytes(&response);
    let (result, request) = call(Some("a1b2c3"), Some("$default"), response);
    assert!(request.is_some(), "the request was not sent");
    match result {
        Ok(output) => {
            assert!(
                (200..300).contains(&status),
                "HTTP {status} gave an output: {output:?}"
            );
            let _ = format!("{output:?}");
        }
        Err(error) => {
            check_error_text(&error, &echoed);
            match &error {
                Error::Response(e) => {
                    assert!(
                        (200..300).contains(&status),
                        "HTTP {status}: a response error: {error}"
                    );
                    assert_eq!(e.status(), status);
                }
                Error::Service(e) => {
                    assert!(
                        !(200..300).contains(&status),
                        "HTTP {status} gave a service error: {error}"
                    );
                    assert_eq!(e.status(), status);
                }
                other => panic!(
                    "HTTP {status}: the error is neither a response nor a service error: {other:?}"
                ),
            }
        }
    }
}

/// Error codes near the modeled ones.
const CODES: &[&str] = &[
    "NotFoundException",
    "TooManyRequestsException",
    "BadRequestException",
    "ThrottlingException",
    "",
];

#[derive(Debug, Clone, Arbitrary)]
pub enum Code {
    Known(u8),
    Raw(String),
    /// `prefix#Code:suffix`, as services decorate codes.
    Decorated(String, u8, String),
}

impl Code {
    pub fn text(&self) -> String {
        let known = |i: &u8| CODES[*i as usize % CODES.len()];
        match self {
            Code::Known(i) => known(i).to_string(),
            Code::Raw(s) => s.clone(),
            Code::Decorated(a, i, b) => format!("{a}#{}:{b}", known(i)),
        }
    }
}

#[derive(Debug, Clone, Arbitrary)]
pub enum ErrorBody {
    /// A JSON object with the code under `__type` or `code` (or neither) and a message.
    Json {
        code_key: u8,
        code: Code,
        message_key: u8,
        message: Option<String>,
        extra: Vec<(String, String)>,
    },
    Raw(RawBody),
}

/// The `error_response` target's input.
#[derive(Debug, Clone, Arbitrary)]
pub struct ErrorInput {
    pub status: u16,
    pub errortype: Option<Code>,
    pub headers: Vec<Header>,
    pub body: ErrorBody,
}

/// The code the restJson1 rules pick: the header, else `__type`, else `code`; sanitized.
fn sanitize(raw: &str) -> &str {
    let code = raw.split_once(':').map_or(raw, |(head, _)| head);
    let code = code.rsplit_once('#').map_or(code, |(_, tail)| tail);
    code.trim()
}

pub fn check_error(input: &ErrorInput) {
    let status = 400 + input.status % 200;
    let mut headers = header_map(&input.headers);
    headers.remove("x-amzn-errortype");
    let header_code = input.errortype.as_ref().map(Code::text);
    if let Some(code) = &header_code {
        if let Ok(value) = http::HeaderValue::from_str(code) {
            headers.insert("x-amzn-errortype", value);
        }
    }
    let header_code = headers
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (body, body_code, well_formed) = match &input.body {
        ErrorBody::Json {
            code_key,
            code,
            message_key,
            message,
            extra,
        } => {
            let mut object = serde_json::Map::new();
            for (k, v) in extra.iter().take(4) {
                object.insert(k.clone(), serde_json::Value::String(v.clone()));
            }
            let code_text = code.text();
            let key = match code_key % 3 {
                0 => Some("__type"),
                1 => Some("code"),
                _ => None,
            };
            if let Some(key) = key {
                object.insert(
                    key.to_string(),
                    serde_json::Value::String(code_text.clone()),
                );
            }
            let message_key = if message_key % 2 == 0 {
                "message"
            } else {
                "Message"
            };
            if let Some(m) = message {
                object.insert(
                    message_key.to_string(),
                    serde_json::Value::String(m.clone()),
                );
            }
            // Which code the body gives: `__type` first, then `code` (extra keys may set them).
            let get = |k: &str| {
                object
                    .get(k)
                    .and_then(|v| v.as_str())
                    .map(sanitize)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
            };
            let body_code = get("__type").or_else(|| get("code"));
            (serde_json::to_vec(&object).unwrap(), body_code, true)
        }
        ErrorBody::Raw(bytes) => (bytes.0.clone(), None, false),
    };
    let expected_code = header_code
        .as_deref()
        .map(sanitize)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .or(if well_formed { body_code } else { None });

    let response = HttpResponse {
        status,
        headers,
        body: bytes::Bytes::from(body),
    };
    let echoed = response_bytes(&response);
    let (result, _) = call(Some("a1b2c3"), Some("$default"), response);
    let error = result.expect_err("an error status never gives an output");
    check_error_text(&error, &echoed);
    let Error::Service(service) = &error else {
        panic!("HTTP {status} is not a service error: {error:?}")
    };
    assert_eq!(service.status(), status);
    let err = service.err();
    match err {
        GetStageError::NotFoundException(_) => {
            assert_eq!(expected_code.as_deref(), Some("NotFoundException"))
        }
        GetStageError::TooManyRequestsException(_) => {
            assert_eq!(expected_code.as_deref(), Some("TooManyRequestsException"))
        }
        _ => {
            if well_formed {
                // A modeled code with a well-formed body must give the modeled error.
                assert!(
                    !matches!(
                        expected_code.as_deref(),
                        Some("NotFoundException" | "TooManyRequestsException")
                    ),
                    "code {expected_code:?} with a well-formed body was not matched: {err:?}"
                );
                assert_eq!(
                    err.code(),
                    expected_code.as_deref(),
                    "the unhandled error's code"
                );
            }
        }
    }
}

/// The `request_serialize` target's input: the two labels. As the whole input, its bytes are
/// a flags byte (bit 0: no api id, bit 1: no stage name) then the two labels as text split
/// at the first `0xFF` byte (never part of UTF-8), so seeds are readable and mutations land
/// in the labels.
#[derive(Debug, Clone)]
pub struct RequestInput {
    pub api_id: Option<String>,
    pub stage_name: Option<String>,
}

impl<'a> Arbitrary<'a> for RequestInput {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(RequestInput {
            api_id: u.arbitrary()?,
            stage_name: u.arbitrary()?,
        })
    }
    fn arbitrary_take_rest(u: arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let data = u.take_rest();
        let (flags, rest) = data.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        let mut parts = rest.splitn(2, |b| *b == 0xff);
        let text =
            |part: Option<&[u8]>| String::from_utf8_lossy(part.unwrap_or_default()).into_owned();
        let (api, stage) = (text(parts.next()), text(parts.next()));
        Ok(RequestInput {
            api_id: (flags & 1 == 0).then_some(api),
            stage_name: (flags & 2 == 0).then_some(stage),
        })
    }
}

fn bad_label(value: &str) -> bool {
    value.is_empty() || value == "." || value == ".."
}

pub fn check_request(input: &RequestInput) {
    let ok_response = HttpResponse {
        status: 200,
        headers: http::HeaderMap::new(),
        body: bytes::Bytes::from_static(b"{}"),
    };
    let (result, request) = call(
        input.api_id.as_deref(),
        input.stage_name.as_deref(),
        ok_response,
    );
    let refused = match (&input.api_id, &input.stage_name) {
        (Some(a), Some(s)) => bad_label(a) || bad_label(s),
        _ => true,
    };
    if refused {
        let error = result.expect_err("an unset, empty or dot-segment label is refused");
        assert!(
            matches!(error, Error::Validation(_)),
            "refused with {error:?}"
        );
        assert!(request.is_none(), "a refused input was sent");
        let labels = format!("{:?}{:?}", input.api_id, input.stage_name);
        check_error_text(&error, labels.as_bytes());
        return;
    }
    let output = result.unwrap_or_else(|e| panic!("a valid input failed: {e:?}"));
    let _ = output;
    let request = request.expect("sent");
    let (api_id, stage_name) = (
        input.api_id.as_deref().unwrap(),
        input.stage_name.as_deref().unwrap(),
    );
    assert_eq!(request.method, http::Method::GET);
    let path = request
        .uri
        .strip_prefix(ENDPOINT)
        .unwrap_or_else(|| panic!("the URI left the endpoint: {}", request.uri));
    assert!(
        !path.contains(['?', '#']),
        "a label escaped into the query or fragment: {path}"
    );
    let segments: Vec<&str> = path.split('/').collect();
    assert_eq!(segments.len(), 6, "{path}");
    assert_eq!(&segments[..3], &["", "v2", "apis"], "{path}");
    assert_eq!(segments[4], "stages", "{path}");
    for (segment, value) in [(segments[3], api_id), (segments[5], stage_name)] {
        assert!(
            segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
            "an unencoded byte in {segment:?}"
        );
        let decoded = percent_decode_str(segment).decode_utf8().expect("UTF-8");
        assert_eq!(decoded, value, "{path}");
    }
    for (name, value) in &request.headers {
        let bytes = value.as_bytes();
        assert!(
            !bytes.contains(&b'\r') && !bytes.contains(&b'\n'),
            "CR/LF in header {name}"
        );
    }
    let _ = format!("{request:?}");
}
