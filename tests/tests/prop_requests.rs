//! Request serialization from arbitrary strings, through the clients with a canned HTTP
//! client: a label stays one path segment (the URI has exactly the expected segments and
//! decodes back to the value), and no CR/LF (or other control character) reaches a header;
//! what cannot be sent (control characters; non-ASCII in headers) is refused as invalid
//! input, before anything is sent.

use std::sync::Arc;

use percent_encoding::percent_decode_str;
use proptest::prelude::*;

fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9/.%+?#&= $@:;,!*'()\r\n\t\u{0}\u{7f}é日😀-]{0,16}",
        Just(".".to_string()),
        Just("..".to_string()),
        Just(String::new()),
        Just("a\r\nX-Injected: 1".to_string()),
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn credentials() -> apigatewayv2::config::Credentials {
    apigatewayv2::config::Credentials::new(
        "AKID",
        "secret",
        Some("token".to_string()),
        None,
        "test",
    )
}

#[derive(Debug)]
struct Shared<T>(Arc<T>);

// Every generated crate re-exports the one runtime's `HttpClient` trait, so one impl serves
// them all.
macro_rules! shared_client {
    ($krate:ident) => {
        impl $krate::config::HttpClient for Shared<$krate::config::CannedHttpClient> {
            fn send(
                &self,
                request: $krate::config::HttpRequest,
                options: $krate::config::SendOptions,
            ) -> $krate::config::BoxFuture<
                '_,
                Result<$krate::config::HttpResponse, $krate::config::HttpClientError>,
            > {
                self.0.send(request, options)
            }
        }
    };
}
shared_client!(apigatewayv2);

const ENDPOINT: &str = "https://apigateway.us-east-1.amazonaws.com";

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn get_stage_labels_stay_path_segments(api in tricky(), stage in tricky()) {
        let canned = Arc::new(apigatewayv2::config::CannedHttpClient::new([
            apigatewayv2::config::CannedResponse::json(200, "req", "{}"),
        ]));
        let config = apigatewayv2::Config::builder()
            .region("us-east-1")
            .credentials(credentials())
            .http_client(Shared(canned.clone()))
            .max_attempts(1)
            .build();
        let client = apigatewayv2::Client::new(&config);
        let result = runtime().block_on(client.get_stage().api_id(api.clone()).stage_name(stage.clone()).send());
        let refused = [&api, &stage].iter().any(|v| v.is_empty() || *v == "." || *v == "..");
        let requests = canned.requests();
        if refused {
            prop_assert!(matches!(result, Err(apigatewayv2::error::Error::Validation(_))), "{:?}", result);
            prop_assert!(requests.is_empty());
            return Ok(());
        }
        prop_assert!(result.is_ok(), "{:?}", result);
        prop_assert_eq!(requests.len(), 1);
        let uri = &requests[0].uri;
        let path = uri.strip_prefix(ENDPOINT).expect("the endpoint is kept");
        let segments: Vec<&str> = path.split('/').collect();
        prop_assert_eq!(segments.len(), 6, "{}", path);
        prop_assert_eq!(&segments[..3], &["", "v2", "apis"]);
        prop_assert_eq!(segments[4], "stages");
        prop_assert_eq!(percent_decode_str(segments[3]).decode_utf8().unwrap(), api.as_str());
        prop_assert_eq!(percent_decode_str(segments[5]).decode_utf8().unwrap(), stage.as_str());
        prop_assert!(!path.contains(['?', '#', ' ', '\r', '\n']), "{}", path);
    }

    /// `PutHeaders`: string, list and prefix headers from arbitrary strings.
    #[test]
    fn no_control_character_reaches_a_header(
        value in tricky(),
        items in prop::collection::vec(tricky(), 0..3),
        key in "[a-zA-Z0-9-]{1,6}",
        meta in tricky(),
    ) {
        let canned = Arc::new(httpbindings::config::CannedHttpClient::new([
            httpbindings::config::CannedResponse::json(200, "req", "{}"),
        ]));
        let config = httpbindings::Config::builder()
            .region("us-east-1")
            .credentials(credentials())
            .http_client(Shared(canned.clone()))
            .max_attempts(1)
            .build();
        let client = httpbindings::Client::new(&config);
        let mut call = client.put_headers().string_header(value.clone()).metadata(key.clone(), meta.clone());
        for item in &items {
            call = call.list_header(item.clone());
        }
        let result = runtime().block_on(call.send());
        let requests = canned.requests();
        let unsendable = |s: &str| s.chars().any(|c| c.is_control() && c != '\t');
        let has_control = unsendable(&value) || unsendable(&meta) || items.iter().any(|i| unsendable(i));
        let non_ascii = !value.is_ascii() || !meta.is_ascii() || items.iter().any(|i| !i.is_ascii());
        match &result {
            Ok(_) => {
                prop_assert!(!has_control && !non_ascii, "an unsendable value was accepted: {:?}", requests);
                prop_assert_eq!(requests.len(), 1);
                let request = &requests[0];
                for (name, v) in &request.headers {
                    prop_assert!(!v.as_bytes().iter().any(|b| *b == b'\r' || *b == b'\n' || *b == 0), "{}: {:?}", name, v);
                }
                prop_assert_eq!(request.headers.get("x-string").unwrap().as_bytes(), value.as_bytes());
                let meta_name = format!("x-meta-{}", key.to_ascii_lowercase());
                prop_assert_eq!(request.headers.get(meta_name.as_str()).unwrap().as_bytes(), meta.as_bytes());
            }
            Err(httpbindings::error::Error::Validation(e)) => {
                prop_assert!(requests.is_empty(), "refused but sent");
                prop_assert!(has_control || non_ascii, "refused without cause: {}", e);
            }
            Err(other) => prop_assert!(false, "unexpected error: {:?}", other),
        }
    }
}
