//! The state a client shares between its clones and its calls: configuration, HTTP client
//! (one connection pool), the endpoint resolved once from the configuration (for operations
//! without endpoint parameters of their own), the endpoint parameters the configuration
//! determines (for those with), credentials cache, signer, retry quota and the `User-Agent`
//! value.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use crate::config::SharedConfig;
use crate::credentials::{Credentials, CredentialsCache};
use crate::endpoint::{Endpoint, ResolveError};
use crate::error::{CredentialsError, EndpointError};
use crate::http_client::SharedHttpClient;
use crate::retry::RetryQuota;
use crate::sign::Signer;
use crate::ServiceMeta;

/// Everything a generated `Client` needs to run operations. Cheap to clone (one `Arc`);
/// `Send + Sync`; clones share the HTTP connection pool, the credentials cache and the
/// retry quota.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceMeta,
    config: SharedConfig,
    http: SharedHttpClient,
    endpoint: Result<Endpoint, EndpointError>,
    /// What [`SharedConfig::check`] found wrong, reported by every call before the
    /// endpoint (whose resolver would say `Missing Region` for a bad region too).
    config_error: Option<crate::config::ConfigError>,
    /// The generated crate's `crate::endpoint::ParamsBuilder` with what the configuration
    /// sets (built-ins, client context parameters): the start of per-operation resolution.
    endpoint_params: Option<Arc<dyn Any + Send + Sync>>,
    signer: Result<Signer, String>,
    credentials: Option<CredentialsCache>,
    quota: RetryQuota,
    user_agent: http::HeaderValue,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("config", &self.inner.config)
            .field("endpoint", &self.inner.endpoint)
            .field("signer", &self.inner.signer)
            .finish_non_exhaustive()
    }
}

impl Handle {
    /// Builds the shared state for `service` from a configuration already resolved for it
    /// ([`SharedConfig::for_service`]) and the endpoint the generated resolver produced from
    /// it (resolved once, here, for every call of the client). The HTTP client is the
    /// configuration's, so every client made from one configuration shares its pool.
    pub fn new(
        service: &'static ServiceMeta,
        config: &SharedConfig,
        endpoint: Result<Endpoint, ResolveError>,
    ) -> Handle {
        let http = config.resolved_http_client();
        let endpoint = endpoint.map_err(|e| EndpointError::new(Arc::new(e)));
        let signer = signer_for(service, config, endpoint.as_ref().ok());
        let meta = service;
        let mut user_agent = format!(
            "{}/{} ({}; api/{})",
            meta.crate_name, meta.crate_version, meta.sdk_id, meta.api_version
        );
        if let Some(app) = config.app_name() {
            user_agent.push_str(&format!(" app/{app}"));
        }
        let user_agent = http::HeaderValue::from_str(&user_agent)
            .unwrap_or_else(|_| http::HeaderValue::from_static("aws-smithy-rust-client"));
        Handle {
            inner: Arc::new(Inner {
                service,
                config: config.clone(),
                http,
                endpoint,
                config_error: config.check().err(),
                endpoint_params: None,
                signer,
                credentials: config
                    .credentials_provider()
                    .cloned()
                    .map(CredentialsCache::new),
                quota: RetryQuota::default(),
                user_agent,
            }),
        }
    }

    /// The configuration the client was built with.
    pub fn config(&self) -> &SharedConfig {
        &self.inner.config
    }

    /// The service the client calls.
    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    /// Whether the configuration is usable: a valid region, an `http(s)://` endpoint URL.
    pub fn check_config(&self) -> Result<(), crate::config::ConfigError> {
        match &self.inner.config_error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// The endpoint, or why it could not be resolved.
    pub fn endpoint(&self) -> Result<&Endpoint, EndpointError> {
        self.inner.endpoint.as_ref().map_err(Clone::clone)
    }

    /// Keeps the endpoint parameters the configuration determines (the generated crate's
    /// `ParamsBuilder`), for operations that resolve their own endpoint from them and their
    /// input. Call it on a new handle (it has no effect once the handle is cloned).
    pub fn with_endpoint_params<T: Any + Send + Sync>(mut self, params: T) -> Handle {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.endpoint_params = Some(Arc::new(params));
        }
        self
    }

    /// The endpoint parameters kept by [`with_endpoint_params`](Self::with_endpoint_params),
    /// when they are a `T`.
    pub fn endpoint_params<T: Any>(&self) -> Option<&T> {
        self.inner.endpoint_params.as_deref()?.downcast_ref()
    }

    /// The signer for a request to `endpoint` (an endpoint resolved for one operation): its
    /// `sigv4` auth scheme's signing name and region, else the service's and the configured;
    /// or why there is none (the message of a signing [`CredentialsError`]).
    pub fn signer_for_endpoint(&self, endpoint: &Endpoint) -> Result<Signer, String> {
        signer_for(self.inner.service, &self.inner.config, Some(endpoint))
    }

    /// The HTTP client.
    pub fn http_client(&self) -> &SharedHttpClient {
        &self.inner.http
    }

    /// The signer (signing name and region), or why there is none.
    pub fn signer(&self) -> Result<&Signer, CredentialsError> {
        self.inner
            .signer
            .as_ref()
            .map_err(|e| CredentialsError::signing(e.clone()))
    }

    /// Whether the configuration has a credentials provider (SigV4 can be used).
    pub fn has_credentials(&self) -> bool {
        self.inner.credentials.is_some()
    }

    /// Whether the configuration has a bearer-token provider.
    pub fn has_token(&self) -> bool {
        self.inner.config.token_provider().is_some()
    }

    /// The current bearer token, from the configuration's provider.
    pub async fn token(&self) -> Result<crate::auth::Token, CredentialsError> {
        use crate::auth::ProvideToken as _;
        match self.inner.config.token_provider() {
            None => Err(CredentialsError::no_usable_scheme(&[
                crate::auth::AuthScheme::HttpBearer,
            ])),
            Some(provider) => provider
                .provide_token()
                .await
                .map_err(CredentialsError::token),
        }
    }

    /// Current credentials (cached).
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        match &self.inner.credentials {
            None => Err(CredentialsError::not_configured()),
            Some(cache) => cache.get().await.map_err(CredentialsError::provider),
        }
    }

    /// The client-wide retry quota.
    pub fn retry_quota(&self) -> &RetryQuota {
        &self.inner.quota
    }

    /// The `User-Agent` header value (`<crate>/<version> (<sdk id>; api/<version>)`).
    pub fn user_agent(&self) -> &http::HeaderValue {
        &self.inner.user_agent
    }
}

/// The signing name and region: the endpoint's `sigv4` auth scheme when it names them,
/// otherwise the service's signing name and the configured region.
fn signer_for(
    service: &ServiceMeta,
    config: &SharedConfig,
    endpoint: Option<&Endpoint>,
) -> Result<Signer, String> {
    let scheme = endpoint
        .and_then(|e| e.properties.get("authSchemes"))
        .and_then(|schemes| schemes.as_array())
        .and_then(|schemes| {
            schemes
                .iter()
                .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"))
        });
    let from_scheme = |key: &str| {
        scheme
            .and_then(|s| s.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let name = from_scheme("signingName").unwrap_or_else(|| service.signing_name.to_owned());
    let region = from_scheme("signingRegion").or_else(|| config.region().map(str::to_owned));
    match region {
        Some(region) => Ok(Signer::new(name, region)),
        None => Err("no region to sign the request for: set AWS_REGION or \
                     `Config::builder().region(..)`"
            .to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + Clone>() {}

    #[test]
    fn handle_is_send_sync_clone() {
        assert_send_sync::<Handle>();
    }

    #[test]
    fn signer_prefers_the_endpoint_auth_scheme() {
        let config = SharedConfig::builder().region("us-east-1").build();
        let plain = Endpoint::new("https://apigateway.us-east-1.amazonaws.com");
        let signer = signer_for(&crate::TEST_SERVICE, &config, Some(&plain)).unwrap();
        assert_eq!(
            (signer.signing_name(), signer.region()),
            ("apigateway", "us-east-1")
        );

        let scheme = serde_json::json!([{"name": "sigv4", "signingName": "other", "signingRegion": "eu-central-1"}]);
        let with_scheme = plain.with_property("authSchemes", scheme);
        let signer = signer_for(&crate::TEST_SERVICE, &config, Some(&with_scheme)).unwrap();
        assert_eq!(
            (signer.signing_name(), signer.region()),
            ("other", "eu-central-1")
        );

        assert!(signer_for(&crate::TEST_SERVICE, &SharedConfig::builder().build(), None).is_err());
    }

    #[test]
    fn endpoint_params_are_kept_by_type() {
        #[derive(Debug, PartialEq)]
        struct Builder(&'static str);
        let handle = Handle::new(
            &crate::TEST_SERVICE,
            &SharedConfig::builder().region("us-west-2").build(),
            Err(ResolveError::new("no")),
        )
        .with_endpoint_params(Builder("base"));
        assert_eq!(handle.endpoint_params::<Builder>(), Some(&Builder("base")));
        assert_eq!(handle.clone().endpoint_params::<String>(), None);
        let scheme = serde_json::json!([{"name": "sigv4", "signingName": "op", "signingRegion": "eu-west-3"}]);
        let endpoint = Endpoint::new("https://x").with_property("authSchemes", scheme);
        let signer = handle.signer_for_endpoint(&endpoint).unwrap();
        assert_eq!(
            (signer.signing_name(), signer.region()),
            ("op", "eu-west-3")
        );
        let signer = handle
            .signer_for_endpoint(&Endpoint::new("https://x"))
            .unwrap();
        assert_eq!(
            (signer.signing_name(), signer.region()),
            ("apigateway", "us-west-2")
        );
    }

    #[test]
    fn user_agent_names_crate_and_version() {
        let handle = Handle::new(
            &crate::TEST_SERVICE,
            &SharedConfig::builder().build(),
            Err(ResolveError::new("no")),
        );
        let ua = handle.user_agent().to_str().unwrap();
        assert!(
            ua.starts_with(&format!("aws-client-runtime/{}", env!("CARGO_PKG_VERSION"))),
            "{ua}"
        );
        assert_eq!(
            handle.endpoint().unwrap_err().resolve_error().message(),
            "no"
        );
    }
}
