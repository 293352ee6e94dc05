//! The default HTTP client over HTTPS, against a TLS server on loopback whose certificates
//! are made at test time (rcgen): a test CA the client is told to trust with
//! `DefaultHttpClient::builder().add_root_certificate(..)`. Calls succeed over one reused
//! connection (HTTP/1.1 and HTTP/2 by ALPN); a certificate from an authority the client does
//! not trust, or for another host name, is refused with a typed transport error.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigatewayv2::config::{
    Credentials, DefaultHttpClient, HttpClient, HttpClientError, HttpRequest, SendOptions,
};
use apigatewayv2::error::{Error, TransportErrorKind};
use apigatewayv2::{Client, Config};
use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
use tokio_rustls::rustls;

/// A certificate authority made for one test.
struct TestCa {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

fn test_ca(name: &str) -> TestCa {
    let mut params = CertificateParams::default();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    TestCa {
        pem: cert.pem(),
        issuer: Issuer::new(params, key),
    }
}

/// A server certificate (and its key) for `names` (DNS names or IP addresses), issued by `ca`.
fn server_cert(
    ca: &TestCa,
    names: &[&str],
) -> (
    rustls::pki_types::CertificateDer<'static>,
    rustls::pki_types::PrivateKeyDer<'static>,
) {
    let mut params = CertificateParams::default();
    params.subject_alt_names = names
        .iter()
        .map(|name| match name.parse() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName((*name).try_into().unwrap()),
        })
        .collect();
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &ca.issuer).unwrap();
    (
        cert.der().clone(),
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
}

/// What the server saw.
#[derive(Default)]
struct Seen {
    connections: AtomicUsize,
    handshakes: AtomicUsize,
    requests: Mutex<Vec<(http::Version, String)>>,
}

/// An HTTPS server on 127.0.0.1 with `cert`, offering `alpn` (HTTP/1.1 when it has no
/// `h2`), answering every request with a small JSON body.
async fn https_server(
    cert: (
        rustls::pki_types::CertificateDer<'static>,
        rustls::pki_types::PrivateKeyDer<'static>,
    ),
    alpn: &[&[u8]],
) -> (String, Arc<Seen>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.0], cert.1)
        .unwrap();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let server_seen = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            server_seen.connections.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            let seen = server_seen.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(socket).await else {
                    return;
                };
                seen.handshakes.fetch_add(1, Ordering::SeqCst);
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let seen = seen.clone();
                    async move {
                        seen.requests
                            .lock()
                            .unwrap()
                            .push((request.version(), request.uri().path().to_owned()));
                        let body = r#"{"stageName":"prod","description":"over tls"}"#;
                        Ok::<_, Infallible>(
                            http::Response::builder()
                                .header("content-type", "application/json")
                                .header("x-amzn-requestid", "req-tls")
                                .body(Full::new(Bytes::from_static(body.as_bytes())))
                                .unwrap(),
                        )
                    }
                });
                let io = TokioIo::new(tls);
                if h2 {
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(io, service)
                        .await;
                } else {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                }
            });
        }
    });
    (format!("https://{addr}"), seen)
}

fn http_client(trusted: &TestCa) -> DefaultHttpClient {
    DefaultHttpClient::builder()
        .add_root_certificate(&trusted.pem)
        .connect_timeout(Duration::from_secs(5))
        .proxies_from_env(false)
        .build()
        .unwrap()
}

fn client(endpoint: &str, http: DefaultHttpClient) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDTEST", "secret", None, None, "test"))
            .endpoint_url(endpoint)
            .http_client(http)
            .build(),
    )
}

fn get(url: String) -> HttpRequest {
    HttpRequest {
        method: http::Method::GET,
        uri: url,
        headers: http::HeaderMap::new(),
        body: Bytes::new(),
    }
}

#[tokio::test]
async fn calls_succeed_over_https_on_one_reused_connection() {
    let ca = test_ca("test CA");
    let (endpoint, seen) = https_server(server_cert(&ca, &["127.0.0.1"]), &[b"http/1.1"]).await;
    let client = client(&endpoint, http_client(&ca));
    for _ in 0..3 {
        let stage = client
            .get_stage()
            .api_id("a1b2c3")
            .stage_name("prod")
            .send()
            .await
            .unwrap();
        assert_eq!(stage.description(), Some("over tls"));
    }
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1, "keep-alive");
    let requests = seen.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 3);
    assert!(requests
        .iter()
        .all(|(version, path)| *version == http::Version::HTTP_11
            && path == "/v2/apis/a1b2c3/stages/prod"));
}

#[tokio::test]
async fn negotiates_http2_by_alpn() {
    let ca = test_ca("test CA");
    let (endpoint, seen) =
        https_server(server_cert(&ca, &["127.0.0.1"]), &[b"h2", b"http/1.1"]).await;
    let http = http_client(&ca);
    for _ in 0..3 {
        let response = http
            .send(get(format!("{endpoint}/ping")), SendOptions::new(1024))
            .await
            .unwrap();
        assert_eq!(
            (response.status, response.request_id()),
            (200, Some("req-tls"))
        );
    }
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1);
    let requests = seen.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 3);
    assert!(
        requests.iter().all(|(v, _)| *v == http::Version::HTTP_2),
        "{requests:?}"
    );
}

/// The refusal is a connect failure whose source chain names the certificate problem.
fn assert_refused(err: &HttpClientError, what: &str) {
    match err {
        HttpClientError::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Connect, "{err:?}");
        }
        other => panic!("not a transport error: {other:?}"),
    }
    let chain = {
        let mut out = String::new();
        let mut current: Option<&dyn std::error::Error> = Some(err);
        while let Some(e) = current {
            out.push_str(&e.to_string());
            out.push_str(": ");
            current = e.source();
        }
        out
    };
    assert!(chain.contains(what), "{chain}");
}

#[tokio::test]
async fn refuses_a_certificate_from_an_untrusted_authority() {
    let server_ca = test_ca("server CA");
    let other_ca = test_ca("other CA");
    let (endpoint, seen) = https_server(server_cert(&server_ca, &["127.0.0.1"]), &[]).await;
    for http in [
        http_client(&other_ca),
        DefaultHttpClient::builder()
            .proxies_from_env(false)
            .build()
            .unwrap(),
    ] {
        let err = http
            .send(get(format!("{endpoint}/")), SendOptions::new(1024))
            .await
            .unwrap_err();
        assert_refused(&err, "UnknownIssuer");
    }
    assert_eq!(seen.handshakes.load(Ordering::SeqCst), 0);
    assert!(seen.requests.lock().unwrap().is_empty());

    // Through a generated client: the typed error names the endpoint and attempts.
    let err = client(&endpoint, http_client(&other_ca))
        .get_stage()
        .api_id("a1b2c3")
        .stage_name("prod")
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Transport(e) => {
            assert_eq!(e.kind(), TransportErrorKind::Connect);
            assert_eq!(e.endpoint(), Some(endpoint.as_str()));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains(&endpoint), "{err}");
}

#[tokio::test]
async fn refuses_a_certificate_for_another_host_name() {
    let ca = test_ca("test CA");
    let (endpoint, seen) = https_server(server_cert(&ca, &["api.example.test"]), &[]).await;
    let err = http_client(&ca)
        .send(get(format!("{endpoint}/")), SendOptions::new(1024))
        .await
        .unwrap_err();
    assert_refused(&err, "certificate not valid for name");
    assert!(seen.requests.lock().unwrap().is_empty());
}

#[test]
fn refuses_a_root_certificate_that_is_not_one() {
    let err = DefaultHttpClient::builder()
        .add_root_certificate(
            "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        )
        .build()
        .unwrap_err();
    assert!(err.to_string().starts_with("root certificate #1"), "{err}");
    let err = DefaultHttpClient::builder()
        .add_root_certificate(b"\x30\x03\x02\x01\x00")
        .build()
        .unwrap_err();
    assert!(err.to_string().starts_with("root certificate #1"), "{err}");
}
