//! SigV4 request signing with the `aws-sigv4` crate.

use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_smithy_runtime_api::client::identity::Identity;

use crate::credentials::Credentials;
use crate::error::CredentialsError;
use crate::http::HttpRequest;

/// What a client signs with: the signing name and region, fixed per client.
#[derive(Debug, Clone)]
pub struct Signer {
    signing_name: String,
    region: String,
}

impl Signer {
    /// A signer for a service's signing name (`apigateway`) in a region.
    pub fn new(signing_name: impl Into<String>, region: impl Into<String>) -> Signer {
        Signer {
            signing_name: signing_name.into(),
            region: region.into(),
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
        let body = request.body.clone();
        self.sign_with(
            request,
            SignableBody::Bytes(&body),
            false,
            credentials,
            time,
        )
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
        let body = match payload {
            StreamingPayload::Unsigned => SignableBody::UnsignedPayload,
            StreamingPayload::EventStream => {
                SignableBody::Precomputed("STREAMING-AWS4-HMAC-SHA256-EVENTS".to_owned())
            }
        };
        self.sign_with(request, body, true, credentials, time)
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
        let identity: Identity = credentials.clone().into();
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

    fn sign_with(
        &self,
        request: &mut HttpRequest,
        body: SignableBody<'_>,
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
        let identity: Identity = credentials.clone().into();
        let mut settings = SigningSettings::default();
        if content_sha256_header {
            settings.payload_checksum_kind =
                aws_sigv4::http_request::PayloadChecksumKind::XAmzSha256;
        }
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(&self.signing_name)
            .time(time)
            .settings(settings)
            .build()
            .map_err(CredentialsError::signing)?
            .into();
        let mut headers = Vec::with_capacity(request.headers.len());
        for (name, value) in &request.headers {
            let value = value.to_str().map_err(|_| {
                CredentialsError::signing(format!(
                    "header `{name}` has a value that is not visible ASCII and cannot be signed"
                ))
            })?;
            headers.push((name.as_str(), value));
        }
        let signable = SignableRequest::new(
            request.method.as_str(),
            request.uri.as_str(),
            headers.into_iter(),
            body,
        )
        .map_err(CredentialsError::signing)?;
        let (instructions, signature) = sign(signable, &params)
            .map_err(CredentialsError::signing)?
            .into_parts();
        let (new_headers, _params) = instructions.into_parts();
        for header in new_headers {
            let mut value =
                http::HeaderValue::from_str(header.value()).map_err(CredentialsError::signing)?;
            value.set_sensitive(header.sensitive() || header.name() == "authorization");
            request
                .headers
                .insert(http::HeaderName::from_static(header.name()), value);
        }
        Ok(signature)
    }
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
