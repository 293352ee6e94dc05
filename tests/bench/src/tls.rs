//! The bench server's TLS mode (workload 10): a test certificate authority and a server
//! certificate for `127.0.0.1`/`localhost` made at start-up with rcgen, and the rustls
//! server configuration over them (HTTP/1.1 only by ALPN, as the plain server speaks).
//! The clients are told to trust the authority's PEM, which the server writes to a file.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
use tokio_rustls::rustls;

/// What the TLS server needs, and what its clients must trust.
pub struct TestPki {
    /// The authority's certificate, PEM: the one root the clients trust.
    pub ca_pem: String,
    /// The server side: the certificate issued by the authority, and its key.
    pub server_config: Arc<rustls::ServerConfig>,
}

impl TestPki {
    /// A new authority and a server certificate for `127.0.0.1` and `localhost`.
    pub fn new() -> Result<TestPki, String> {
        let fail = |what: &str, e: &dyn std::fmt::Display| format!("{what}: {e}");
        let mut ca_params = CertificateParams::default();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "bench-server test CA");
        let ca_key = KeyPair::generate().map_err(|e| fail("CA key", &e))?;
        let ca_cert = ca_params
            .self_signed(&ca_key)
            .map_err(|e| fail("CA certificate", &e))?;
        let issuer = Issuer::new(ca_params, ca_key);

        let mut params = CertificateParams::default();
        params.subject_alt_names = vec![
            SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()),
            SanType::DnsName(
                "localhost"
                    .try_into()
                    .map_err(|e| fail("server name", &e))?,
            ),
        ];
        let key = KeyPair::generate().map_err(|e| fail("server key", &e))?;
        let cert = params
            .signed_by(&key, &issuer)
            .map_err(|e| fail("server certificate", &e))?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| fail("TLS versions", &e))?
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .map_err(|e| fail("server certificate", &e))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TestPki {
            ca_pem: ca_cert.pem(),
            server_config: Arc::new(config),
        })
    }
}
