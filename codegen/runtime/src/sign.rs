//! SigV4 request signing. The canonical request and the string to sign are built here, in
//! one buffer, from the request as it is; the signing key (four HMACs) is derived with
//! `aws-sigv4` once per UTC day and secret and kept by the [`Signer`] (shared by its clones),
//! and the signature is `aws-sigv4`'s HMAC of the string to sign. Frames of input event streams
//! are signed with `aws-sigv4`'s event-stream signing.
//!
//! The canonical form is the one `aws-sigv4`'s `http_request::sign` produces with its default
//! settings (the tests compare the two on generated requests): the path normalized (RFC 3986
//! dot segments, empty segments dropped) and percent-encoded again; the query decoded as a
//! form, each name and value encoded, pairs sorted; header names lower-case and sorted, values
//! trimmed of spaces with runs of spaces collapsed, repeated names joined with `,`;
//! `authorization`, `user-agent`, `x-amzn-trace-id` and `transfer-encoding` not signed.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use percent_encoding::AsciiSet;
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::error::CredentialsError;
use crate::http::HttpRequest;

/// What a client signs with: the signing name and region, fixed per client, and the signing
/// key derived last (shared by clones).
#[derive(Clone)]
pub struct Signer {
    signing_name: String,
    region: String,
    key: Arc<Mutex<Option<CachedKey>>>,
}

/// A derived signing key and what it was derived from (besides the signer's region and name).
struct CachedKey {
    /// `YYYYMMDD`, UTC.
    date: String,
    secret: String,
    key: [u8; 32],
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the key or the secret it came from.
        f.debug_struct("Signer")
            .field("signing_name", &self.signing_name)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// Not encoded in the canonical query: RFC 3986's unreserved characters; in the path `/`
/// stays too (it separates the segments). The same sets as labels are encoded with.
const QUERY_ENCODE: &AsciiSet = crate::wire::uri::SEGMENT;
const PATH_ENCODE: &AsciiSet = crate::wire::uri::GREEDY;

/// Headers proxies or the transport may change, which SigV4 signers leave unsigned.
const UNSIGNED_HEADERS: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// The payload hash of an empty body: `hex(sha256(""))`.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

impl Signer {
    /// A signer for a service's signing name (`apigateway`) in a region.
    pub fn new(signing_name: impl Into<String>, region: impl Into<String>) -> Signer {
        Signer {
            signing_name: signing_name.into(),
            region: region.into(),
            key: Arc::new(Mutex::new(None)),
        }
    }

    /// The signing name.
    pub fn signing_name(&self) -> &str {
        &self.signing_name
    }

    /// The signing region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Signs `request` in place at `time`: adds `x-amz-date`, `Authorization` and, when the
    /// credentials have one, `x-amz-security-token` (replacing earlier values, so a request
    /// can be signed again for a retry). The secret headers are marked sensitive, so
    /// `Debug` of the request does not show them.
    pub fn sign(
        &self,
        request: &mut HttpRequest,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<(), CredentialsError> {
        let hash = if request.body.is_empty() {
            Cow::Borrowed(EMPTY_SHA256)
        } else {
            Cow::Owned(hex(&Sha256::digest(&request.body)))
        };
        self.sign_with(request, &hash, false, credentials, time)
            .map(|_| ())
    }

    /// Signs the head of a request whose body is sent as a stream (`request.body` is not
    /// used): the payload hash is `UNSIGNED-PAYLOAD` for a byte stream, or
    /// `STREAMING-AWS4-HMAC-SHA256-EVENTS` for an event stream (whose frames are then signed
    /// one by one, chained from the signature this returns), and is sent as
    /// `x-amz-content-sha256`. Returns the request's signature (the event stream's seed).
    pub fn sign_streaming(
        &self,
        request: &mut HttpRequest,
        payload: StreamingPayload,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<String, CredentialsError> {
        let hash = match payload {
            StreamingPayload::Unsigned => "UNSIGNED-PAYLOAD",
            StreamingPayload::EventStream => "STREAMING-AWS4-HMAC-SHA256-EVENTS",
        };
        self.sign_with(request, hash, true, credentials, time)
    }

    /// Signs one frame of an input event stream at `time`, chained from `previous` (the
    /// request's seed signature for the first frame): the frame wraps `message` encoded (or
    /// is empty: the end of the stream) and carries `:chunk-signature` and `:date`, as
    /// `aws-sigv4`'s event-stream signing makes them. Returns the frame and its signature
    /// (the next frame's `previous`). Behind the `event-stream` feature.
    #[cfg(feature = "event-stream")]
    pub fn sign_event(
        &self,
        message: Option<&aws_smithy_types::event_stream::Message>,
        previous: &str,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<(aws_smithy_types::event_stream::Message, String), CredentialsError> {
        let identity: aws_smithy_runtime_api::client::identity::Identity =
            credentials.clone().into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.signing_name)
            .time(time)
            .settings(())
            .build()
            .map_err(CredentialsError::signing)?;
        let signed = match message {
            Some(message) => aws_sigv4::event_stream::sign_message(message, previous, &params),
            None => aws_sigv4::event_stream::sign_empty_message(previous, &params),
        }
        .map_err(CredentialsError::signing)?;
        Ok(signed.into_parts())
    }

    /// The signing key for `date` (`YYYYMMDD`) and `secret`: the cached one when it matches,
    /// else derived and cached.
    fn signing_key(
        &self,
        date: &str,
        secret: &str,
        time: SystemTime,
    ) -> Result<[u8; 32], CredentialsError> {
        let mut cached = self.key.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(k) = cached
            .as_ref()
            .filter(|k| k.date == date && k.secret == secret)
        {
            return Ok(k.key);
        }
        let derived = aws_sigv4::sign::v4::generate_signing_key(
            secret,
            time,
            &self.region,
            &self.signing_name,
        );
        let key = <[u8; 32]>::try_from(derived.as_ref())
            .map_err(|_| CredentialsError::signing("the derived signing key is not 32 bytes"))?;
        *cached = Some(CachedKey {
            date: date.to_owned(),
            secret: secret.to_owned(),
            key,
        });
        Ok(key)
    }

    fn sign_with(
        &self,
        request: &mut HttpRequest,
        payload_hash: &str,
        content_sha256_header: bool,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<String, CredentialsError> {
        // Signing again (a retry) must not sign the previous attempt's signature headers.
        for name in ["authorization", "x-amz-date", "x-amz-security-token"] {
            request.headers.remove(name);
        }
        if content_sha256_header {
            request.headers.remove("x-amz-content-sha256");
        }
        let uri: http::Uri = request.uri.parse().map_err(|e| {
            CredentialsError::signing(format!("cannot sign `{}`: {e}", request.uri))
        })?;
        let Some(authority) = uri.authority() else {
            return Err(CredentialsError::signing(format!(
                "cannot sign `{}`: the URL has no host",
                request.uri
            )));
        };
        let amz_date = amz_date(time);
        let date = &amz_date[..8];
        let token = credentials.session_token();

        // The headers signed, sorted by name (a stable sort keeps repeated names in order).
        let mut headers: Vec<(&str, Cow<'_, str>)> = Vec::with_capacity(request.headers.len() + 4);
        for (name, value) in &request.headers {
            if UNSIGNED_HEADERS.contains(&name.as_str()) {
                continue;
            }
            let value = value.to_str().map_err(|_| {
                CredentialsError::signing(format!(
                    "header `{name}` has a value that is not visible ASCII and cannot be signed"
                ))
            })?;
            headers.push((name.as_str(), trim_all(value)));
        }
        if !request.headers.contains_key(http::header::HOST) {
            let default_port = matches!(
                (uri.scheme_str(), uri.port_u16()),
                (Some("http"), Some(80)) | (Some("https"), Some(443))
            );
            let host = if default_port {
                authority.host()
            } else {
                authority.as_str()
            };
            headers.push(("host", Cow::Borrowed(host)));
        }
        headers.push(("x-amz-date", Cow::Borrowed(&amz_date)));
        if let Some(token) = token {
            headers.push(("x-amz-security-token", Cow::Borrowed(token)));
        }
        if content_sha256_header {
            headers.push(("x-amz-content-sha256", Cow::Borrowed(payload_hash)));
        }
        headers.sort_by(|a, b| a.0.cmp(b.0));

        // The canonical request, in one buffer.
        let mut canonical = String::with_capacity(512);
        canonical.push_str(request.method.as_str());
        canonical.push('\n');
        let path = normalize_path(uri.path());
        canonical.extend(percent_encoding::utf8_percent_encode(&path, PATH_ENCODE));
        canonical.push('\n');
        if let Some(query) = uri.query() {
            write_canonical_query(&mut canonical, query);
        }
        canonical.push('\n');
        let mut signed_headers = String::with_capacity(headers.len() * 16);
        let mut previous: Option<&str> = None;
        for (name, value) in &headers {
            if previous == Some(*name) {
                canonical.push(',');
            } else {
                if previous.is_some() {
                    canonical.push('\n');
                    signed_headers.push(';');
                }
                canonical.push_str(name);
                canonical.push(':');
                signed_headers.push_str(name);
            }
            canonical.push_str(value);
            previous = Some(name);
        }
        canonical.push_str("\n\n");
        canonical.push_str(&signed_headers);
        canonical.push('\n');
        canonical.push_str(payload_hash);

        let scope = format!("{date}/{}/{}/aws4_request", self.region, self.signing_name);
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let key = self.signing_key(date, credentials.secret_access_key(), time)?;
        let signature = aws_sigv4::sign::v4::calculate_signature(key, string_to_sign.as_bytes());
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            credentials.access_key_id()
        );

        let value = |text: &str, sensitive: bool| {
            http::HeaderValue::from_str(text)
                .map(|mut v| {
                    v.set_sensitive(sensitive);
                    v
                })
                .map_err(CredentialsError::signing)
        };
        let date_value = value(&amz_date, false)?;
        let token_value = token.map(|t| value(t, true)).transpose()?;
        let sha_value = content_sha256_header
            .then(|| value(payload_hash, false))
            .transpose()?;
        let headers = &mut request.headers;
        headers.insert("x-amz-date", date_value);
        if let Some(v) = token_value {
            headers.insert("x-amz-security-token", v);
        }
        if let Some(v) = sha_value {
            headers.insert("x-amz-content-sha256", v);
        }
        headers.insert(http::header::AUTHORIZATION, value(&authorization, true)?);
        Ok(signature)
    }
}

/// `YYYYMMDD'T'HHMMSS'Z'`, UTC.
fn amz_date(time: SystemTime) -> String {
    let t = time::OffsetDateTime::from(time);
    let mut out = String::with_capacity(16);
    let _ = write!(
        out,
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    out
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// Trims spaces (only spaces) from both ends and collapses runs of them into one.
fn trim_all(text: &str) -> Cow<'_, str> {
    let text = text.trim_matches(' ');
    if !text.contains("  ") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
    }
    Cow::Owned(out)
}

/// The absolute path with RFC 3986 dot segments removed and empty segments dropped (so
/// `//` becomes `/`), keeping a trailing slash; as it is when it has neither.
fn normalize_path(path: &str) -> Cow<'_, str> {
    if path.is_empty() {
        return Cow::Borrowed("/");
    }
    let path: Cow<'_, str> = if path.starts_with('/') {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("/{path}"))
    };
    if !path.contains('.') && !path.contains("//") {
        return path;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = String::with_capacity(path.len());
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    let trailing = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|end| path.ends_with(end));
    if out.is_empty() || (trailing && !out.ends_with('/')) {
        out.push('/');
    }
    Cow::Owned(out)
}

/// The canonical query: each `name=value` pair decoded as a form (`+` is a space), then
/// name and value percent-encoded, the pairs sorted.
fn write_canonical_query(out: &mut String, query: &str) {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                encode_query(&decode_form(name)),
                encode_query(&decode_form(value)),
            )
        })
        .collect();
    pairs.sort();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
}

fn decode_form(text: &str) -> Cow<'_, str> {
    if !text.contains(['+', '%']) {
        return Cow::Borrowed(text);
    }
    let spaced = text.replace('+', " ");
    Cow::Owned(
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

fn encode_query(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_ENCODE).to_string()
}

/// How the body of a streamed request is covered by the request's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamingPayload {
    /// Not at all (`UNSIGNED-PAYLOAD`): a byte stream.
    Unsigned,
    /// Frame by frame (`STREAMING-AWS4-HMAC-SHA256-EVENTS`): an event stream.
    EventStream,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn request() -> HttpRequest {
        let mut headers = http::HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        HttpRequest {
            method: http::Method::GET,
            uri: "https://apigateway.us-east-1.amazonaws.com/v2/apis/a1b2c3/stages/%24default"
                .into(),
            headers,
            body: bytes::Bytes::new(),
        }
    }

    fn time() -> SystemTime {
        // 2015-08-30T12:36:00Z, the AWS SigV4 test suite's date.
        UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    /// The AWS SigV4 test suite's `get-vanilla` case (credentials `AKIDEXAMPLE` /
    /// `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`, service `service`, region `us-east-1`).
    #[test]
    fn matches_the_aws_test_suite_get_vanilla() {
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        );
        let mut request = HttpRequest {
            method: http::Method::GET,
            uri: "https://example.amazonaws.com/".into(),
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::new(),
        };
        Signer::new("service", "us-east-1")
            .sign(&mut request, &credentials, time())
            .unwrap();
        assert_eq!(
            request.headers["authorization"].to_str().unwrap(),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(request.headers["x-amz-date"], "20150830T123600Z");
    }

    /// Signs requests here and checks each signature with botocore's `SigV4Auth`, an
    /// independent implementation. Skipped (with a note) where botocore is not importable.
    #[test]
    fn agrees_with_botocore() {
        const SCRIPT: &str = r#"
import json, sys, datetime
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
case = json.loads(sys.argv[1])
fixed = datetime.datetime(2015, 8, 30, 12, 36, 0)
botocore.auth.get_current_datetime = lambda *a, **k: fixed
req = AWSRequest(method=case["method"], url=case["url"], headers=case["headers"], data=case["body"].encode())
creds = Credentials(case["key"], case["secret"], case["token"])
botocore.auth.SigV4Auth(creds, case["service"], case["region"]).add_auth(req)
print(req.headers["Authorization"])
"#;
        // `cargo xtask test` points MOTO_PYTHON at a Python with moto, hence botocore.
        let python = std::env::var("MOTO_PYTHON").unwrap_or_else(|_| "python3".to_string());
        let probe = std::process::Command::new(&python)
            .args(["-c", "import botocore"])
            .output();
        if !matches!(&probe, Ok(o) if o.status.success()) {
            eprintln!("skipping: {python} with botocore is not available");
            return;
        }
        // (method, URL, headers, body, session token)
        type Case<'a> = (
            &'a str,
            &'a str,
            &'a [(&'a str, &'a str)],
            &'a str,
            Option<&'a str>,
        );
        let cases: &[Case] = &[
            (
                "GET",
                "https://apigateway.us-east-1.amazonaws.com/v2/apis/a1b2c3/stages/%24default",
                &[("content-type", "application/json")],
                "",
                Some("FwoGZXIvYXdzEBYaDH//session+token="),
            ),
            (
                "POST",
                "http://127.0.0.1:5000/v2/apis?b=2&a=1&a=0&x=hello%20world",
                &[
                    ("content-type", "application/json"),
                    ("amz-sdk-request", "attempt=1; max=3"),
                ],
                r#"{"name":"my api","protocolType":"HTTP"}"#,
                None,
            ),
            (
                "DELETE",
                "https://apigateway.eu-west-1.amazonaws.com/v2/apis/x/stages/a%20b%2Fc",
                &[],
                "",
                None,
            ),
        ];
        for (method, url, headers, body, token) in cases {
            let credentials = Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                token.map(str::to_owned),
                None,
                "test",
            );
            let mut header_map = http::HeaderMap::new();
            for (name, value) in headers.iter() {
                header_map.insert(*name, value.parse().unwrap());
            }
            let mut request = HttpRequest {
                method: method.parse().unwrap(),
                uri: url.to_string(),
                headers: header_map,
                body: bytes::Bytes::copy_from_slice(body.as_bytes()),
            };
            Signer::new("apigateway", "us-east-1")
                .sign(&mut request, &credentials, time())
                .unwrap();
            let case = serde_json::json!({
                "method": method, "url": url, "body": body,
                "headers": headers.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
                "key": "AKIDEXAMPLE", "secret": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "token": token, "service": "apigateway", "region": "us-east-1",
            });
            let out = std::process::Command::new(&python)
                .args(["-c", SCRIPT, &case.to_string()])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let expected = String::from_utf8(out.stdout).unwrap();
            assert_eq!(
                request.headers["authorization"].to_str().unwrap(),
                expected.trim(),
                "{method} {url}"
            );
        }
    }

    /// What `aws-sigv4`'s own `http_request::sign` adds to a request, with the default
    /// settings (plus `x-amz-content-sha256` for a streamed body, as `sign_streaming` does).
    fn reference(
        request: &HttpRequest,
        credentials: &Credentials,
        streaming: Option<StreamingPayload>,
        time: SystemTime,
    ) -> Vec<(String, String)> {
        use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
        let identity: aws_smithy_runtime_api::client::identity::Identity =
            credentials.clone().into();
        let mut settings = SigningSettings::default();
        if streaming.is_some() {
            settings.payload_checksum_kind =
                aws_sigv4::http_request::PayloadChecksumKind::XAmzSha256;
        }
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("apigateway")
            .time(time)
            .settings(settings)
            .build()
            .unwrap()
            .into();
        let body = match streaming {
            None => SignableBody::Bytes(&request.body),
            Some(StreamingPayload::Unsigned) => SignableBody::UnsignedPayload,
            Some(StreamingPayload::EventStream) => {
                SignableBody::Precomputed("STREAMING-AWS4-HMAC-SHA256-EVENTS".into())
            }
        };
        let headers = request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap()));
        let signable =
            SignableRequest::new(request.method.as_str(), &request.uri, headers, body).unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        let mut out: Vec<(String, String)> = instructions
            .headers()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        out.sort();
        out
    }

    /// Every header of `request`, sorted.
    fn all_headers(request: &HttpRequest) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        out.sort();
        out
    }

    /// `request`'s headers once the reference's are set on it, as signing sets them.
    fn with_reference(
        request: &HttpRequest,
        credentials: &Credentials,
        streaming: Option<StreamingPayload>,
        time: SystemTime,
    ) -> Vec<(String, String)> {
        let mut signed = request.clone();
        for (name, value) in reference(request, credentials, streaming, time) {
            signed.headers.insert(
                http::HeaderName::try_from(name).unwrap(),
                value.parse().unwrap(),
            );
        }
        all_headers(&signed)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// The canonical request built here signs exactly as `aws-sigv4`'s does, over paths
        /// with dot and empty segments and encoded bytes, form-encoded queries with repeated
        /// and bare names, repeated and space-padded headers, unsigned headers, default and
        /// other ports, bodies, session tokens and streamed payloads.
        #[test]
        fn signs_as_aws_sigv4_does(
            method in proptest::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]),
            origin in proptest::sample::select(vec![
                "https://apigateway.us-east-1.amazonaws.com",
                "http://127.0.0.1:5000",
                "https://h.example:443",
                "http://h.example:80",
                "https://[::1]:8443",
            ]),
            segments in proptest::collection::vec(
                "[A-Za-z0-9._~-]{0,5}|%[0-9A-F]{2}|[.]|[.][.]|[!$&'()*+,;=:@]{1,3}|%24default",
                0..6,
            ),
            trailing_slash in proptest::bool::ANY,
            query in proptest::option::of(proptest::collection::vec(
                ("[A-Za-z0-9_.~+-]{0,4}(%[0-9A-F]{2})?", proptest::option::of("[A-Za-z0-9_.~+=/:-]{0,5}(%[0-9A-F]{2})?")),
                0..5,
            )),
            headers in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "content-type", "x-amz-target", "amz-sdk-request", "x-custom", "user-agent",
                        "x-amzn-trace-id", "content-length", "transfer-encoding", "x-amz-content-sha256",
                        "host",
                    ]),
                    "[ ]{0,2}[!-~]{0,6}([ ]{1,3}[!-~]{1,4})?[ ]{0,2}",
                ),
                0..6,
            ),
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..48),
            token in proptest::option::of("[A-Za-z0-9/+=]{4,20}"),
            streaming in proptest::option::of(proptest::sample::select(vec![
                StreamingPayload::Unsigned, StreamingPayload::EventStream,
            ])),
            seconds in 0u64..4_000_000_000,
        ) {
            let mut uri = origin.to_string();
            for segment in &segments {
                uri.push('/');
                uri.push_str(segment);
            }
            if trailing_slash {
                uri.push('/');
            }
            if let Some(pairs) = &query {
                uri.push('?');
                let text: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| match v {
                        Some(v) => format!("{k}={v}"),
                        None => k.clone(),
                    })
                    .collect();
                uri.push_str(&text.join("&"));
            }
            let mut header_map = http::HeaderMap::new();
            for (name, value) in &headers {
                if *name == "host" {
                    // A host the URL does not name would be odd but is still signed as sent.
                    header_map.insert(*name, http::HeaderValue::from_static("other.example"));
                    continue;
                }
                header_map.append(*name, value.parse().unwrap());
            }
            let request = HttpRequest {
                method: method.parse().unwrap(),
                uri,
                headers: header_map,
                body: bytes::Bytes::from(body),
            };
            let credentials =
                Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token, None, "test");
            let time = UNIX_EPOCH + Duration::from_secs(seconds);
            let expected = with_reference(&request, &credentials, streaming, time);
            let mut ours = request.clone();
            let signer = Signer::new("apigateway", "us-east-1");
            match streaming {
                None => signer.sign(&mut ours, &credentials, time).unwrap(),
                Some(payload) => {
                    signer.sign_streaming(&mut ours, payload, &credentials, time).unwrap();
                }
            }
            proptest::prop_assert_eq!(all_headers(&ours), expected, "{}", request.uri);
        }
    }

    #[test]
    fn caches_the_signing_key_per_day_and_secret() {
        let signer = Signer::new("apigateway", "us-east-1");
        let clone = signer.clone();
        let a = Credentials::new("AKID", "SECRET-A", None, None, "test");
        let b = Credentials::new("AKID", "SECRET-B", None, None, "test");
        let day = Duration::from_secs(86_400);
        // Same day twice, a new secret, the next day, the first secret again: each signature
        // matches aws-sigv4's, so a stale key is never used.
        for (credentials, time) in [
            (&a, time()),
            (&a, time() + Duration::from_secs(60)),
            (&b, time() + Duration::from_secs(120)),
            (&b, time() + day),
            (&a, time() + day),
        ] {
            let mut request = request();
            clone.sign(&mut request, credentials, time).unwrap();
            assert_eq!(
                all_headers(&request),
                with_reference(&self::request(), credentials, None, time)
            );
        }
        let cached = signer.key.lock().unwrap();
        let cached = cached.as_ref().unwrap();
        assert_eq!(
            (cached.date.as_str(), cached.secret.as_str()),
            ("20150831", "SECRET-A")
        );
        assert!(!format!("{signer:?}").contains("SECRET"));
    }

    #[test]
    fn adds_session_token_and_resigns_cleanly() {
        let credentials = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None, "test");
        let signer = Signer::new("apigateway", "eu-west-1");
        let mut request = request();
        signer.sign(&mut request, &credentials, time()).unwrap();
        assert_eq!(request.headers["x-amz-security-token"], "TOKEN");
        let auth = request.headers["authorization"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            auth.contains("/20150830/eu-west-1/apigateway/aws4_request"),
            "{auth}"
        );
        assert!(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token"));

        // Signing again later replaces, not duplicates, the signature headers.
        signer
            .sign(&mut request, &credentials, time() + Duration::from_secs(5))
            .unwrap();
        assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
        assert_eq!(request.headers["x-amz-date"], "20150830T123605Z");
        assert_ne!(request.headers["authorization"].to_str().unwrap(), auth);

        let debug = format!("{request:?}");
        assert!(!debug.contains("TOKEN"), "{debug}");
        assert!(!debug.contains("Signature="), "{debug}");
    }
}
