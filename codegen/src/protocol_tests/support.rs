//! The `support` module of `tests/protocol_tests.rs`: a client with a recording (canned)
//! HTTP client, and the request assertions. Written once per test file.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub fn support(krate: &Ident) -> TokenStream {
    quote! {
        mod support {
            use std::sync::Arc;

            use #krate::config::{
                BoxFuture, CannedHttpClient, CannedResponse, HttpClient, HttpClientError,
                HttpRequest, HttpResponse, SendOptions,
            };

            /// Records every request; answers from the canned responses.
            #[derive(Debug, Clone)]
            pub struct Recorder(pub Arc<CannedHttpClient>);

            impl HttpClient for Recorder {
                fn send(
                    &self,
                    request: HttpRequest,
                    options: SendOptions,
                ) -> BoxFuture<'_, Result<HttpResponse, HttpClientError>> {
                    self.0.send(request, options)
                }
            }

            impl Recorder {
                /// The one request sent (`result` is the call's, shown when none was sent).
                pub fn request<T: std::fmt::Debug>(&self, result: &T) -> HttpRequest {
                    let mut requests = self.0.requests();
                    assert_eq!(requests.len(), 1, "one request is sent; the call returned {result:?}");
                    requests.remove(0)
                }
            }

            fn client_with(host: &str, answer: CannedResponse) -> (#krate::Client, Recorder) {
                let http = Recorder(Arc::new(CannedHttpClient::new([answer])));
                let config = #krate::Config::builder()
                    .region("us-east-1")
                    .credentials(#krate::config::Credentials::new(
                        "AKIDEXAMPLE",
                        "secret",
                        None,
                        None,
                        "protocol-tests",
                    ))
                    .endpoint_url(format!("https://{host}"))
                    .http_client(http.clone())
                    .max_attempts(1)
                    .validate_constraints(false)
                    .idempotency_token_provider(|| "00000000-0000-4000-8000-000000000000".to_string())
                    .build();
                (#krate::Client::new(config), http)
            }

            /// A client for `host` whose HTTP client records the request and answers `200 {}`.
            pub fn client(host: &str) -> (#krate::Client, Recorder) {
                client_with(host, CannedResponse::json(200, "request-id", "{}"))
            }

            /// A client whose HTTP client answers with this response.
            pub fn client_answering(
                status: u16,
                headers: &[(&str, &str)],
                body: &str,
            ) -> (#krate::Client, Recorder) {
                let mut map = http::HeaderMap::new();
                for (name, value) in headers {
                    map.append(
                        http::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                        http::HeaderValue::from_str(value).expect("a header value"),
                    );
                }
                let response = HttpResponse {
                    status,
                    headers: map,
                    body: bytes::Bytes::copy_from_slice(body.as_bytes()),
                };
                client_with("example.com", CannedResponse::Response(response))
            }

            fn split(request: &HttpRequest) -> (&str, &str, &str) {
                let rest = request
                    .uri
                    .split_once("://")
                    .map(|(_, rest)| rest)
                    .unwrap_or(&request.uri);
                let (authority, path_query) = match rest.find('/') {
                    Some(i) => (&rest[..i], &rest[i..]),
                    None => (rest, ""),
                };
                let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
                (authority, path, query)
            }

            fn query_pairs(request: &HttpRequest) -> Vec<&str> {
                split(request)
                    .2
                    .split('&')
                    .filter(|p| !p.is_empty())
                    .collect()
            }

            fn query_name(pair: &str) -> &str {
                pair.split_once('=').map(|(k, _)| k).unwrap_or(pair)
            }

            pub fn assert_method(request: &HttpRequest, method: &str) {
                assert_eq!(request.method.as_str(), method, "method");
            }

            pub fn assert_path(request: &HttpRequest, path: &str) {
                assert_eq!(split(request).1, path, "URI path of {}", request.uri);
            }

            pub fn assert_host(request: &HttpRequest, host: &str) {
                assert_eq!(split(request).0, host, "host of {}", request.uri);
            }

            /// Every expected `name=value` pair is in the query (order-insensitive).
            pub fn assert_query(request: &HttpRequest, expected: &[&str]) {
                let mut actual = query_pairs(request);
                for pair in expected {
                    match actual.iter().position(|p| p == pair) {
                        Some(i) => {
                            actual.remove(i);
                        }
                        None => panic!("query `{pair}` missing from {}", request.uri),
                    }
                }
            }

            pub fn assert_forbidden_query(request: &HttpRequest, names: &[&str]) {
                for name in names {
                    assert!(
                        !query_pairs(request).iter().any(|p| query_name(p) == *name),
                        "query parameter `{name}` is forbidden: {}",
                        request.uri
                    );
                }
            }

            pub fn assert_required_query(request: &HttpRequest, names: &[&str]) {
                for name in names {
                    assert!(
                        query_pairs(request).iter().any(|p| query_name(p) == *name),
                        "query parameter `{name}` is required: {}",
                        request.uri
                    );
                }
            }

            fn header(request: &HttpRequest, name: &str) -> Option<String> {
                let values: Vec<&str> = request
                    .headers
                    .get_all(name)
                    .iter()
                    .map(|v| v.to_str().unwrap_or("<not UTF-8>"))
                    .collect();
                (!values.is_empty()).then(|| values.join(", "))
            }

            pub fn assert_headers(request: &HttpRequest, expected: &[(&str, &str)]) {
                for (name, value) in expected {
                    assert_eq!(
                        header(request, name).as_deref(),
                        Some(*value),
                        "header `{name}` in {:?}",
                        request.headers
                    );
                }
            }

            pub fn assert_forbidden_headers(request: &HttpRequest, names: &[&str]) {
                for name in names {
                    assert!(
                        header(request, name).is_none(),
                        "header `{name}` is forbidden: {:?}",
                        request.headers
                    );
                }
            }

            pub fn assert_required_headers(request: &HttpRequest, names: &[&str]) {
                for name in names {
                    assert!(
                        header(request, name).is_some(),
                        "header `{name}` is required: {:?}",
                        request.headers
                    );
                }
            }

            /// The body, as JSON values when `json` (an empty body equals an empty one only),
            /// else byte for byte.
            pub fn assert_body(request: &HttpRequest, expected: &str, json: bool) {
                let actual = &request.body[..];
                if json && !expected.is_empty() {
                    let actual: serde_json::Value = serde_json::from_slice(actual)
                        .unwrap_or_else(|e| {
                            panic!("the body is not JSON ({e}): {}", String::from_utf8_lossy(actual))
                        });
                    let expected: serde_json::Value =
                        serde_json::from_str(expected).expect("the test's body is JSON");
                    assert_eq!(actual, expected, "JSON body");
                } else {
                    assert_eq!(
                        String::from_utf8_lossy(actual),
                        expected,
                        "body"
                    );
                }
            }

            /// Two values are the same in their JSON form (`serde` feature): floats compare
            /// NaN-aware, documents as JSON.
            pub fn assert_same<T: serde::Serialize + std::fmt::Debug>(actual: &T, expected: &T) {
                let a = serde_json::to_value(actual).expect("serializes");
                let e = serde_json::to_value(expected).expect("serializes");
                assert_eq!(a, e, "\n actual: {actual:?}\n expected: {expected:?}");
            }
        }
    }
}
