//! Client configuration: region, credentials, endpoint, FIPS and dual-stack, retries,
//! timeouts, the HTTP client and the response-size cap; built by hand with
//! [`SharedConfig::builder`] or read from the environment and the shared AWS files with
//! [`SharedConfig::from_env`].
//!
//! One [`SharedConfig`] configures any number of service clients. Each generated crate has
//! its own `Config` (made by [`service_config!`](crate::service_config)), which is a
//! `SharedConfig` resolved for that service (its `AWS_ENDPOINT_URL_<SERVICE>`, its profile
//! `services` entry) and can be changed without touching the shared one.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::credentials::{
    static_credentials, Credentials, ProvideCredentials, SharedCredentialsProvider,
};
use crate::http_client::{default_http_client, HttpClient, HttpClientSettings, SharedHttpClient};
use crate::retry::RetryConfig;
use crate::ServiceMeta;

mod profile_file;
use profile_file::ProfileFile;

/// The default cap on a response body: 10 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 10 * 1024 * 1024;

/// The default `request_min_compression_size_bytes`: 10 KiB, as the Smithy spec says.
pub const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;

/// The default connect timeout (as in the AWS SDKs).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// Timeouts. An unset timeout does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    /// A 3.1 s connect timeout; no attempt or operation timeout.
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(DEFAULT_CONNECT_TIMEOUT),
            attempt: None,
            operation: None,
        }
    }
}

impl TimeoutConfig {
    /// No timeouts at all.
    pub fn disabled() -> TimeoutConfig {
        TimeoutConfig {
            connect: None,
            attempt: None,
            operation: None,
        }
    }

    /// Limits establishing a connection (given to the default HTTP client).
    pub fn with_connect(mut self, timeout: impl Into<Option<Duration>>) -> TimeoutConfig {
        self.connect = timeout.into();
        self
    }

    /// Limits each attempt: sending the request and reading the whole response.
    pub fn with_attempt(mut self, timeout: impl Into<Option<Duration>>) -> TimeoutConfig {
        self.attempt = timeout.into();
        self
    }

    /// Limits the whole operation, every attempt and backoff included.
    pub fn with_operation(mut self, timeout: impl Into<Option<Duration>>) -> TimeoutConfig {
        self.operation = timeout.into();
        self
    }

    /// The connect timeout.
    pub fn connect(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt(&self) -> Option<Duration> {
        self.attempt
    }

    /// The whole-operation timeout.
    pub fn operation(&self) -> Option<Duration> {
        self.operation
    }
}

/// The configuration every service client shares: region, credentials, HTTP client (and so
/// one connection pool), retries, timeouts, the endpoint URL and the FIPS and dual-stack
/// flags. Load it once ([`SharedConfig::from_env`] or [`SharedConfig::builder`]) and hand it
/// to each service's `Client::new(&shared)`. Cheap to clone; clones share the default HTTP
/// client.
#[derive(Clone)]
pub struct SharedConfig {
    region: Option<String>,
    credentials_provider: Option<SharedCredentialsProvider>,
    /// Bearer tokens for `httpBearerAuth` operations.
    token_provider: Option<crate::auth::SharedTokenProvider>,
    /// Set in code (or resolved for one service); beats everything `endpoint_env` knows.
    endpoint_url: Option<String>,
    /// Where `endpoint_url` came from when it was not set in code (`AWS_ENDPOINT_URL_X`),
    /// for messages.
    endpoint_source: Option<String>,
    /// Where `from_env` found endpoint URLs, kept so that each service can look up its own
    /// `AWS_ENDPOINT_URL_<SERVICE>` and profile `services` entry.
    endpoint_env: Option<Arc<EndpointEnv>>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    http_client: Option<SharedHttpClient>,
    /// The default HTTP client, made on first use and shared by every clone (and every
    /// service client) of this configuration.
    default_http: Arc<DefaultHttpClient>,
    max_response_body: u64,
    validate_constraints: bool,
    /// Added to the `User-Agent` as `app/<name>`.
    app_name: Option<String>,
    disable_host_prefix: bool,
    disable_request_compression: bool,
    request_min_compression_size_bytes: u32,
    /// Makes the token of an `@idempotencyToken` member left unset (`None`: a UUID v4).
    idempotency_token_provider: Option<fn() -> String>,
}

/// The default HTTP client of one configuration, built lazily for its connect timeout.
#[derive(Default)]
struct DefaultHttpClient {
    connect: Option<Duration>,
    client: OnceLock<SharedHttpClient>,
}

/// The endpoint URLs `from_env` can see: the environment (looked up per service) and the
/// profile's `endpoint_url` and `services` section.
struct EndpointEnv {
    lookup: EnvLookup,
    /// `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`: the endpoint for any service.
    general: Option<String>,
    /// The profile's `services` section: service key → its indented block.
    services: HashMap<String, String>,
    profile_endpoint: Option<String>,
}

impl EndpointEnv {
    fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The endpoint for one service: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
    /// profile's `services` entry, then its `endpoint_url`.
    fn for_service(&self, service: &ServiceMeta) -> Option<(String, String)> {
        let own = format!("AWS_ENDPOINT_URL_{}", service.env_suffix);
        if let Some(url) = self.var(&own) {
            return Some((url, own));
        }
        if let Some(url) = self.var("AWS_ENDPOINT_URL") {
            return Some((url, "AWS_ENDPOINT_URL".to_owned()));
        }
        if let Some(url) = service_endpoint(&self.services, service) {
            return Some((url, "the profile's `services` section".to_owned()));
        }
        self.profile_endpoint
            .clone()
            .map(|url| (url, "the profile's `endpoint_url`".to_owned()))
    }
}

impl fmt::Debug for SharedConfig {
    /// Never shows credentials: only whether a provider is set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedConfig")
            .field("region", &self.region)
            .field(
                "credentials_provider",
                &self.credentials_provider.as_ref().map(|_| "** set **"),
            )
            .field(
                "token_provider",
                &self.token_provider.as_ref().map(|_| "** set **"),
            )
            .field("endpoint_url", &self.endpoint_url())
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("http_client", &self.http_client.as_ref().map(|_| "custom"))
            .field("max_response_body", &self.max_response_body)
            .field("validate_constraints", &self.validate_constraints)
            .field("app_name", &self.app_name)
            .field("disable_host_prefix", &self.disable_host_prefix)
            .field(
                "disable_request_compression",
                &self.disable_request_compression,
            )
            .field(
                "request_min_compression_size_bytes",
                &self.request_min_compression_size_bytes,
            )
            .field(
                "idempotency_token_provider",
                &self.idempotency_token_provider.map(|_| "custom"),
            )
            .finish()
    }
}

impl SharedConfig {
    /// A builder with the defaults: no region, no credentials, standard retries, a 3.1 s
    /// connect timeout, the default HTTP client, a 10 MiB response cap.
    pub fn builder() -> SharedConfigBuilder {
        SharedConfigBuilder::default()
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> SharedConfigBuilder {
        SharedConfigBuilder {
            config: self.clone(),
        }
    }

    /// Reads the configuration from the process environment and the shared AWS config and
    /// credentials files, like the AWS CLI:
    ///
    /// - region: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`;
    /// - credentials: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`),
    ///   then the profile's static keys (`aws_access_key_id`, `aws_secret_access_key`,
    ///   `aws_session_token`) from the credentials file, then from the config file;
    /// - profile: `AWS_PROFILE` (default `default`); files `AWS_CONFIG_FILE` (default
    ///   `~/.aws/config`, sections `[default]`/`[profile NAME]`) and
    ///   `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`, sections `[NAME]`);
    /// - endpoint: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    ///   `services` section, then its `endpoint_url`; all ignored when
    ///   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
    ///   `ignore_configured_endpoint_urls`) is `true`;
    /// - `AWS_MAX_ATTEMPTS` / `max_attempts`, `AWS_USE_FIPS_ENDPOINT` /
    ///   `use_fips_endpoint`, `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint`.
    ///
    /// Fails on a malformed value or file, and on an `AWS_PROFILE` that neither file
    /// defines. Missing files are not an error.
    pub fn from_env() -> Result<SharedConfig, ConfigError> {
        SharedConfig::from_env_with(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) with the variables read through `env` instead of the
    /// process environment.
    pub fn from_env_with(
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Result<SharedConfig, ConfigError> {
        Ok(SharedConfigBuilder::from_env_with(env)?.build())
    }

    /// The region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials_provider.as_ref()
    }

    /// The bearer-token provider (`httpBearerAuth` operations).
    pub fn token_provider(&self) -> Option<&crate::auth::SharedTokenProvider> {
        self.token_provider.as_ref()
    }

    /// The endpoint URL that replaces the resolved endpoint: the one set in code, else
    /// `AWS_ENDPOINT_URL` or the profile's `endpoint_url`. A service client also looks up
    /// its own `AWS_ENDPOINT_URL_<SERVICE>` (see [`for_service`](Self::for_service)).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url
            .as_deref()
            .or_else(|| self.endpoint_env.as_ref()?.general.as_deref())
    }

    /// This configuration as one service sees it: the endpoint URL set in code, else the
    /// service's own `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    /// `services` entry for the service, then the profile's `endpoint_url`.
    #[doc(hidden)]
    pub fn for_service(&self, service: &ServiceMeta) -> SharedConfig {
        let mut config = self.clone();
        if config.endpoint_url.is_none() {
            if let Some((url, source)) = self
                .endpoint_env
                .as_ref()
                .and_then(|env| env.for_service(service))
            {
                config.endpoint_url = Some(url);
                config.endpoint_source = Some(source);
            }
        }
        config.endpoint_env = None;
        config
    }

    /// Whether to use FIPS endpoints.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether to use dual-stack endpoints.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The configured HTTP client (`None`: the default one).
    pub fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http_client.as_ref()
    }

    /// The HTTP client to send with: the configured one, else the default one, which is made
    /// once and shared by every clone of this configuration (one connection pool).
    #[doc(hidden)]
    pub fn resolved_http_client(&self) -> SharedHttpClient {
        match &self.http_client {
            Some(client) => client.clone(),
            None => self
                .default_http
                .client
                .get_or_init(|| {
                    default_http_client(&HttpClientSettings::new(self.default_http.connect))
                })
                .clone(),
        }
    }

    /// The response-body cap in bytes.
    pub fn max_response_body(&self) -> u64 {
        self.max_response_body
    }

    /// Whether inputs are checked against every modeled constraint (`@length`, `@range`,
    /// `@pattern`) before sending, or only against `@required` and `@httpLabel`.
    pub fn validate_constraints(&self) -> bool {
        self.validate_constraints
    }

    /// Whether operations' `@endpoint` host prefixes are left off the endpoint's host.
    pub fn disable_host_prefix(&self) -> bool {
        self.disable_host_prefix
    }

    /// Whether `@requestCompression` operations send their bodies uncompressed.
    pub fn disable_request_compression(&self) -> bool {
        self.disable_request_compression
    }

    /// The smallest body `@requestCompression` operations compress, in bytes (default
    /// 10240).
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_min_compression_size_bytes
    }

    /// A token for an `@idempotencyToken` member the caller left unset: the configured
    /// provider's, else a random UUID v4.
    pub fn idempotency_token(&self) -> String {
        match self.idempotency_token_provider {
            Some(provide) => provide(),
            None => crate::wire::idempotency_token(),
        }
    }

    /// The application's name, sent in the `User-Agent` as `app/<name>`.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }

    /// What every call checks before anything else (failing with `Error::Config`): a
    /// region is set and is a valid region name, and the endpoint URL, when set, is an
    /// `http://` or `https://` URL. [`from_env`](Self::from_env) checks the values it
    /// reads already, naming the variable.
    pub fn check(&self) -> Result<(), ConfigError> {
        match self.region.as_deref() {
            None => return Err(ConfigError::new(MISSING_REGION)),
            Some(region) => check_region(region)
                .map_err(|why| ConfigError::new(format!("the region `{region}` {why}")))?,
        }
        self.check_endpoint_url()
    }

    /// The endpoint URL, when set, is an `http://` or `https://` URL (the message names the
    /// variable it came from).
    #[doc(hidden)]
    pub fn check_endpoint_url(&self) -> Result<(), ConfigError> {
        let Some(url) = &self.endpoint_url else {
            return Ok(());
        };
        let source = match &self.endpoint_source {
            Some(source) => source.clone(),
            None => "the endpoint URL set with `endpoint_url(..)`".to_owned(),
        };
        check_endpoint_url(url).map_err(|why| ConfigError::new(format!("{source} `{url}` {why}")))
    }
}

/// The message for a configuration without a region.
pub(crate) const MISSING_REGION: &str = "no AWS region is configured: set AWS_REGION (or \
    AWS_DEFAULT_REGION, or `region` in the profile), or call `.region(\"us-east-1\")` on the \
    config builder";

/// Why `region` is not a region name: it becomes a host name label of the endpoint
/// (`apigateway.<region>.amazonaws.com`) and the SigV4 scope, so it must be one DNS label.
pub(crate) fn check_region(region: &str) -> Result<(), String> {
    const RULE: &str = "a region is one DNS label of letters, digits and `-`, like `us-east-1`";
    if region.is_empty() {
        return Err(format!("is not valid: it is empty; {RULE}"));
    }
    if region.len() > 63 {
        return Err(format!(
            "is not valid: it is longer than 63 characters; {RULE}"
        ));
    }
    if let Some(c) = region
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!("is not valid: it contains {c:?}; {RULE}"));
    }
    if region.starts_with('-') || region.ends_with('-') {
        return Err(format!("is not valid: it starts or ends with `-`; {RULE}"));
    }
    Ok(())
}

/// Why `url` is not usable as an endpoint URL.
pub(crate) fn check_endpoint_url(url: &str) -> Result<(), String> {
    let parsed = url.parse::<http::Uri>();
    match parsed.as_ref().ok().and_then(|u| u.scheme_str()) {
        Some("http" | "https") => {}
        Some(scheme) => {
            return Err(format!(
                "has the scheme `{scheme}`; an endpoint URL needs http:// or https://"
            ))
        }
        None => {
            let host = url.trim_start_matches('/');
            return Err(format!(
                "is not a URL: it needs http:// or https:// in front (`http://{host}`)"
            ));
        }
    }
    match parsed
        .ok()
        .and_then(|u| u.authority().map(|a| a.host().to_owned()))
    {
        Some(host) if !host.is_empty() => Ok(()),
        _ => Err("has no host name; an endpoint URL is `http(s)://host[:port]`".to_owned()),
    }
}

/// Builds a [`SharedConfig`].
#[derive(Debug, Clone)]
pub struct SharedConfigBuilder {
    config: SharedConfig,
}

impl Default for SharedConfigBuilder {
    fn default() -> Self {
        SharedConfigBuilder {
            config: SharedConfig {
                region: None,
                credentials_provider: None,
                token_provider: None,
                endpoint_url: None,
                endpoint_source: None,
                endpoint_env: None,
                use_fips: false,
                use_dual_stack: false,
                retry: RetryConfig::standard(),
                timeouts: TimeoutConfig::default(),
                http_client: None,
                default_http: Arc::new(DefaultHttpClient {
                    connect: TimeoutConfig::default().connect(),
                    client: OnceLock::new(),
                }),
                max_response_body: DEFAULT_MAX_RESPONSE_BODY,
                validate_constraints: true,
                app_name: None,
                disable_host_prefix: false,
                disable_request_compression: false,
                request_min_compression_size_bytes: DEFAULT_MIN_COMPRESSION_SIZE,
                idempotency_token_provider: None,
            },
        }
    }
}

impl SharedConfigBuilder {
    /// A builder with what [`SharedConfig::from_env`] reads.
    pub fn from_env() -> Result<SharedConfigBuilder, ConfigError> {
        SharedConfigBuilder::from_env_with(|name| std::env::var(name).ok())
    }

    /// A builder with what [`SharedConfig::from_env_with`] reads.
    pub fn from_env_with(
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Result<SharedConfigBuilder, ConfigError> {
        from_environment(Box::new(env))
    }

    /// The AWS region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(mut self, region: Option<String>) -> Self {
        self.config.region = region;
        self
    }

    /// The credentials provider: [`Credentials`] themselves, aws-config's default chain, or
    /// any other `ProvideCredentials`.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials_provider = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sets or clears the credentials provider.
    pub fn set_credentials_provider(mut self, provider: Option<SharedCredentialsProvider>) -> Self {
        self.config.credentials_provider = provider;
        self
    }

    /// Static credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// The bearer-token provider for `httpBearerAuth` operations: a
    /// [`Token`](crate::auth::Token) itself, or any [`ProvideToken`](crate::auth::ProvideToken).
    pub fn token_provider(mut self, provider: impl crate::auth::ProvideToken + 'static) -> Self {
        self.config.token_provider = Some(crate::auth::SharedTokenProvider::new(provider));
        self
    }

    /// Sets or clears the bearer-token provider.
    pub fn set_token_provider(
        mut self,
        provider: Option<crate::auth::SharedTokenProvider>,
    ) -> Self {
        self.config.token_provider = provider;
        self
    }

    /// A URL that replaces the resolved endpoint (`http://localhost:4566`).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self.config.endpoint_source = None;
        self
    }

    /// Sets or clears the endpoint URL. Clearing it also forgets the endpoint URLs read
    /// from the environment.
    pub fn set_endpoint_url(mut self, url: Option<String>) -> Self {
        if url.is_none() {
            self.config.endpoint_env = None;
        }
        self.config.endpoint_url = url;
        self.config.endpoint_source = None;
        self
    }

    /// Use FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.config.use_fips = use_fips;
        self
    }

    /// Use dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.config.use_dual_stack = use_dual_stack;
        self
    }

    /// The retry settings.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// Total attempts per operation, the first included (shorthand for the retry config).
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.config.retry = self.config.retry.with_max_attempts(max_attempts);
        self
    }

    /// The timeouts.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.config.timeouts = timeouts;
        self
    }

    /// The connect timeout (shorthand for the timeout config).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.timeouts = self.config.timeouts.with_connect(timeout);
        self
    }

    /// The per-attempt timeout (shorthand for the timeout config).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.timeouts = self.config.timeouts.with_attempt(timeout);
        self
    }

    /// The whole-operation timeout (shorthand for the timeout config).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.config.timeouts = self.config.timeouts.with_operation(timeout);
        self
    }

    /// The HTTP client to send requests with (default: hyper with rustls, feature
    /// `default-http-client`). The connect timeout is then the client's business.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.config.http_client = Some(SharedHttpClient::new(client));
        self
    }

    /// Sets or clears the HTTP client.
    pub fn set_http_client(mut self, client: Option<SharedHttpClient>) -> Self {
        self.config.http_client = client;
        self
    }

    /// The largest response body to accept, in bytes (default 10 MiB).
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.config.max_response_body = bytes;
        self
    }

    /// Check inputs against every modeled constraint before sending (the default), or, with
    /// `false`, only against `@required` and `@httpLabel` and leave `@length`, `@range` and
    /// `@pattern` to the service. Services relax constraints over time, so a crate built
    /// from an older model can refuse input the service now accepts; this switch is the way
    /// out until the crate is regenerated.
    pub fn validate_constraints(mut self, validate: bool) -> Self {
        self.config.validate_constraints = validate;
        self
    }

    /// The application's name, sent in the `User-Agent` as `app/<name>`.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.config.app_name = Some(name.into());
        self
    }

    /// Sets or clears the application's name.
    pub fn set_app_name(mut self, name: Option<String>) -> Self {
        self.config.app_name = name;
        self
    }

    /// The retry settings so far.
    #[doc(hidden)]
    pub fn retry_config_ref(&self) -> &RetryConfig {
        &self.config.retry
    }

    /// Leave operations' `@endpoint` host prefixes (`data.` in `data.example.com`) off the
    /// endpoint's host: for an endpoint URL (a proxy, a local server) that takes no prefix.
    pub fn disable_host_prefix(mut self, disable: bool) -> Self {
        self.config.disable_host_prefix = disable;
        self
    }

    /// Send the bodies of `@requestCompression` operations uncompressed.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.config.disable_request_compression = disable;
        self
    }

    /// The smallest body `@requestCompression` operations gzip, in bytes (default 10240;
    /// at most 10485760, larger values are capped).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.config.request_min_compression_size_bytes =
            bytes.min(crate::request_body::MAX_MIN_COMPRESSION_SIZE);
        self
    }

    /// Where tokens for `@idempotencyToken` members left unset come from (default: a
    /// random UUID v4 each call). For tests that need a fixed token.
    pub fn idempotency_token_provider(mut self, provider: fn() -> String) -> Self {
        self.config.idempotency_token_provider = Some(provider);
        self
    }

    /// The configuration.
    pub fn build(mut self) -> SharedConfig {
        // A new connect timeout needs a new default client; otherwise clones keep sharing.
        let connect = self.config.timeouts.connect();
        if self.config.default_http.connect != connect {
            self.config.default_http = Arc::new(DefaultHttpClient {
                connect,
                client: OnceLock::new(),
            });
        }
        self.config
    }
}

/// The environment or a shared config file holds something unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> ConfigError {
        ConfigError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid AWS configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// One profile's properties, merged from the config file and the credentials file.
#[derive(Debug, Default)]
struct Profile {
    /// From the config file's `[profile NAME]` (or `[default]`).
    config: HashMap<String, String>,
    /// From the credentials file's `[NAME]`.
    credentials: HashMap<String, String>,
    /// Where each part came from, for messages.
    config_file: Option<PathBuf>,
    credentials_file: Option<PathBuf>,
    /// The config file's sections, for `services` lookups.
    services: HashMap<String, HashMap<String, String>>,
}

impl Profile {
    fn get(&self, key: &str) -> Option<&str> {
        self.config
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn source(&self, key: &str) -> String {
        match &self.config_file {
            Some(path) => format!("`{key}` in {}", path.display()),
            None => format!("`{key}`"),
        }
    }
}

type EnvLookup = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

fn from_environment(env: EnvLookup) -> Result<SharedConfigBuilder, ConfigError> {
    let var = |name: &str| {
        env(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let profile = load_profile(&var)?;
    let mut builder = SharedConfigBuilder::default();

    // Region.
    let region = match (var("AWS_REGION"), var("AWS_DEFAULT_REGION")) {
        (Some(region), _) => Some((region, "AWS_REGION".to_owned())),
        (None, Some(region)) => Some((region, "AWS_DEFAULT_REGION".to_owned())),
        (None, None) => profile
            .get("region")
            .map(|region| (region.to_owned(), profile.source("region"))),
    };
    if let Some((region, source)) = &region {
        check_region(region)
            .map_err(|why| ConfigError::new(format!("{source} is `{region}`, which {why}")))?;
    }
    builder = builder.set_region(region.map(|(region, _)| region));

    // Credentials.
    let env_key = var("AWS_ACCESS_KEY_ID");
    let env_secret = var("AWS_SECRET_ACCESS_KEY");
    match (env_key, env_secret) {
        (Some(key), Some(secret)) => {
            let token = var("AWS_SESSION_TOKEN");
            builder = builder.credentials(static_credentials(key, secret, token, "Environment"));
        }
        (Some(_), None) => {
            return Err(ConfigError::new(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ))
        }
        (None, Some(_)) => {
            return Err(ConfigError::new(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            ))
        }
        (None, None) => {
            if let Some(credentials) = profile_credentials(&profile)? {
                builder = builder.credentials(credentials);
            }
        }
    }

    // Endpoint.
    let ignore_endpoints = match var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
        Some(v) => parse_bool("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", &v)?,
        None => match profile.get("ignore_configured_endpoint_urls") {
            Some(v) => parse_bool(&profile.source("ignore_configured_endpoint_urls"), v)?,
            None => false,
        },
    };
    if !ignore_endpoints {
        let general = match var("AWS_ENDPOINT_URL") {
            Some(url) => Some((url, "AWS_ENDPOINT_URL".to_owned())),
            None => profile
                .get("endpoint_url")
                .map(|url| (url.to_owned(), profile.source("endpoint_url"))),
        };
        if let Some((url, source)) = general {
            check_endpoint_url(&url)
                .map_err(|why| ConfigError::new(format!("{source} is `{url}`, which {why}")))?;
        }
    }
    let endpoint_env = (!ignore_endpoints).then(|| EndpointEnv {
        general: var("AWS_ENDPOINT_URL").or_else(|| profile.get("endpoint_url").map(str::to_owned)),
        services: profile
            .get("services")
            .and_then(|section| profile.services.get(section))
            .cloned()
            .unwrap_or_default(),
        profile_endpoint: profile.get("endpoint_url").map(str::to_owned),
        lookup: Box::new(|_: &str| None),
    });

    // Retries.
    let max_attempts = match var("AWS_MAX_ATTEMPTS") {
        Some(v) => Some(parse_attempts("AWS_MAX_ATTEMPTS", &v)?),
        None => match profile.get("max_attempts") {
            Some(v) => Some(parse_attempts(&profile.source("max_attempts"), v)?),
            None => None,
        },
    };
    if let Some(n) = max_attempts {
        builder = builder.max_attempts(n);
    }
    let mode = var("AWS_RETRY_MODE").or_else(|| profile.get("retry_mode").map(str::to_owned));
    if let Some(mode) = mode {
        if !matches!(mode.as_str(), "standard" | "legacy" | "adaptive") {
            return Err(ConfigError::new(format!(
                "retry mode `{mode}` is not one of standard, legacy, adaptive"
            )));
        }
        // Only the standard mode is implemented; `legacy` and `adaptive` use it too.
    }

    // FIPS and dual-stack.
    let flag = |env_name: &str, key: &str| -> Result<bool, ConfigError> {
        match var(env_name) {
            Some(v) => parse_bool(env_name, &v),
            None => match profile.get(key) {
                Some(v) => parse_bool(&profile.source(key), v),
                None => Ok(false),
            },
        }
    };
    builder = builder
        .use_fips(flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?)
        .use_dual_stack(flag(
            "AWS_USE_DUALSTACK_ENDPOINT",
            "use_dualstack_endpoint",
        )?);
    builder.config.endpoint_env = endpoint_env.map(|mut endpoints| {
        endpoints.lookup = env;
        Arc::new(endpoints)
    });
    Ok(builder)
}

fn parse_bool(what: &str, value: &str) -> Result<bool, ConfigError> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(ConfigError::new(format!(
            "{what} must be `true` or `false`, not `{value}`"
        )))
    }
}

fn parse_attempts(what: &str, value: &str) -> Result<u32, ConfigError> {
    match value.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(ConfigError::new(format!(
            "{what} must be a whole number of attempts, at least 1, not `{value}`"
        ))),
    }
}

fn profile_credentials(profile: &Profile) -> Result<Option<Credentials>, ConfigError> {
    let sources = [
        (
            &profile.credentials,
            &profile.credentials_file,
            "ProfileFile",
        ),
        (&profile.config, &profile.config_file, "ProfileFile"),
    ];
    for (properties, file, source) in sources {
        let get = |k: &str| properties.get(k).filter(|v| !v.is_empty()).cloned();
        let key = get("aws_access_key_id");
        let secret = get("aws_secret_access_key");
        match (key, secret) {
            (Some(key), Some(secret)) => {
                let token = get("aws_session_token");
                return Ok(Some(static_credentials(key, secret, token, source)));
            }
            (None, None) => continue,
            _ => {
                let file = file
                    .as_deref()
                    .map(|f| f.display().to_string())
                    .unwrap_or_default();
                return Err(ConfigError::new(format!(
                    "the profile in {file} has only one of aws_access_key_id and \
                     aws_secret_access_key"
                )));
            }
        }
    }
    Ok(None)
}

/// `endpoint_url` under this service's key in the profile's `services` section:
///
/// ```ini
/// [profile dev]
/// services = local
/// [services local]
/// apigatewayv2 =
///   endpoint_url = http://localhost:4566
/// ```
fn service_endpoint(services: &HashMap<String, String>, service: &ServiceMeta) -> Option<String> {
    let key = service.sdk_id.to_ascii_lowercase().replace(' ', "_");
    let block = services.get(&key)?;
    block.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == "endpoint_url")
            .then(|| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    })
}

fn home_dir(var: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    var("HOME")
        .or_else(|| var("USERPROFILE"))
        .map(PathBuf::from)
}

fn expand_home(path: &str, var: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    match path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
        Some(rest) => match home_dir(var) {
            Some(home) => home.join(rest),
            None => PathBuf::from(path),
        },
        None => PathBuf::from(path),
    }
}

fn load_profile_file(path: &Path) -> Result<Option<ProfileFile>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ConfigError::new(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    ProfileFile::parse(&text)
        .map(Some)
        .map_err(|e| ConfigError::new(format!("cannot parse {}: {e}", path.display())))
}

fn load_profile(var: &dyn Fn(&str) -> Option<String>) -> Result<Profile, ConfigError> {
    let explicit = var("AWS_PROFILE");
    let name = explicit.clone().unwrap_or_else(|| "default".to_owned());
    let home = home_dir(var);
    let config_path = match var("AWS_CONFIG_FILE") {
        Some(p) => Some(expand_home(&p, var)),
        None => home.as_ref().map(|h| h.join(".aws").join("config")),
    };
    let credentials_path = match var("AWS_SHARED_CREDENTIALS_FILE") {
        Some(p) => Some(expand_home(&p, var)),
        None => home.as_ref().map(|h| h.join(".aws").join("credentials")),
    };

    let mut profile = Profile::default();
    let mut found = false;
    if let Some(path) = &config_path {
        if let Some(file) = load_profile_file(path)? {
            // `[profile NAME]`; for the default profile also `[default]`, which
            // `[profile default]` overrides.
            let mut bare_default = None;
            let mut prefixed = None;
            for (section, props) in file.sections() {
                let mut words = section.split_whitespace();
                match (words.next(), words.next(), words.next()) {
                    (Some("profile"), Some(n), None) if n == name => prefixed = Some(props),
                    (Some(n), None, None) if n == name && name == "default" => {
                        bare_default = Some(props)
                    }
                    (Some("services"), Some(n), None) => {
                        profile.services.insert(n.to_owned(), props.clone());
                    }
                    _ => {}
                }
            }
            if let Some(props) = prefixed.or(bare_default) {
                profile.config = props.clone();
                found = true;
            }
            profile.config_file = Some(path.clone());
        }
    }
    if let Some(path) = &credentials_path {
        if let Some(file) = load_profile_file(path)? {
            for (section, props) in file.sections() {
                if section == name {
                    profile.credentials = props.clone();
                    found = true;
                }
            }
            profile.credentials_file = Some(path.clone());
        }
    }
    if explicit.is_some() && !found {
        return Err(ConfigError::new(format!(
            "AWS_PROFILE names profile `{name}`, which neither {} nor {} defines",
            display_opt(&config_path),
            display_opt(&credentials_path)
        )));
    }
    Ok(profile)
}

fn display_opt(path: &Option<PathBuf>) -> String {
    match path {
        Some(p) => p.display().to_string(),
        None => "(no home directory)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "aws-client-runtime-config-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn file(&self, name: &str, text: &str) -> String {
            let path = self.0.join(name);
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    async fn creds(config: &SharedConfig) -> Credentials {
        config
            .credentials_provider()
            .expect("credentials")
            .provide_credentials()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn reads_environment_variables() {
        let dir = TempDir::new();
        let config = SharedConfig::from_env_with(env(&[
            ("HOME", dir.0.to_str().unwrap()),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "secretenv"),
            ("AWS_SESSION_TOKEN", "tokenenv"),
            ("AWS_ENDPOINT_URL", "http://localhost:1"),
            ("AWS_MAX_ATTEMPTS", "7"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "TRUE"),
        ]))
        .unwrap();
        assert_eq!(config.region(), Some("eu-west-1"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:1"));
        assert_eq!(config.retry_config().max_attempts(), 7);
        assert!(config.use_fips() && config.use_dual_stack());
        let c = creds(&config).await;
        assert_eq!(c.access_key_id(), "AKIDENV");
        assert_eq!(c.secret_access_key(), "secretenv");
        assert_eq!(c.session_token(), Some("tokenenv"));

        // AWS_REGION wins over AWS_DEFAULT_REGION; the service variable over the global one.
        let config = SharedConfig::from_env_with(env(&[
            ("HOME", dir.0.to_str().unwrap()),
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "http://localhost:1"),
            ("AWS_ENDPOINT_URL_APIGATEWAYV2", "http://localhost:2"),
        ]))
        .unwrap();
        assert_eq!(config.region(), Some("us-west-2"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:1"));
        let service = config.for_service(&crate::TEST_SERVICE);
        assert_eq!(service.endpoint_url(), Some("http://localhost:2"));
        // Code beats the environment.
        let explicit = config.to_builder().endpoint_url("http://code").build();
        assert_eq!(
            explicit.for_service(&crate::TEST_SERVICE).endpoint_url(),
            Some("http://code")
        );
        assert!(config.credentials_provider().is_none());
        assert_eq!(config.retry_config().max_attempts(), 3);
        assert!(!config.use_fips() && !config.use_dual_stack());

        let ignored = SharedConfig::from_env_with(env(&[
            ("HOME", dir.0.to_str().unwrap()),
            ("AWS_ENDPOINT_URL", "http://localhost:1"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]))
        .unwrap();
        assert_eq!(ignored.endpoint_url(), None);
    }

    #[tokio::test]
    async fn reads_profiles_from_both_files() {
        let dir = TempDir::new();
        let config_file = dir.file(
            "config",
            "[default]\nregion = us-east-2\n\n\
             [profile dev]\nregion = ap-south-1\nmax_attempts = 5\nuse_fips_endpoint = true\n\
             aws_access_key_id = AKIDCONFIG\naws_secret_access_key = secretconfig\n\
             s3 =\n  max_concurrent_requests = 10\n  endpoint_url = http://s3.local\n\
             services = local\n\n\
             [services local]\napigatewayv2 =\n  endpoint_url = http://localhost:4566\n\
             \n[profile keysonly]\nendpoint_url = http://profile.local\n",
        );
        let credentials_file = dir.file(
            "credentials",
            "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = sec\\ret/def\n\n\
             [keysonly]\naws_access_key_id = AKIDKEYS\naws_secret_access_key = secretkeys\n\
             aws_session_token = tokenkeys\n\n\
             [profile dev]\naws_access_key_id = WRONG\naws_secret_access_key = WRONG\n",
        );
        let base = [
            ("HOME", "/nonexistent"),
            ("AWS_CONFIG_FILE", config_file.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials_file.as_str()),
        ];

        let default = SharedConfig::from_env_with(env(&base)).unwrap();
        assert_eq!(default.region(), Some("us-east-2"));
        let c = creds(&default).await;
        assert_eq!(c.access_key_id(), "AKIDDEFAULT");
        assert_eq!(c.secret_access_key(), "sec\\ret/def", "values are literal");

        let mut vars = base.to_vec();
        vars.push(("AWS_PROFILE", "dev"));
        let dev = SharedConfig::from_env_with(env(&vars)).unwrap();
        assert_eq!(dev.region(), Some("ap-south-1"));
        assert_eq!(dev.retry_config().max_attempts(), 5);
        assert!(dev.use_fips());
        assert_eq!(dev.endpoint_url(), None);
        assert_eq!(
            dev.for_service(&crate::TEST_SERVICE).endpoint_url(),
            Some("http://localhost:4566"),
            "services section"
        );
        assert_eq!(
            creds(&dev).await.access_key_id(),
            "AKIDCONFIG",
            "[profile dev] is not a credentials-file section"
        );

        let mut vars = base.to_vec();
        vars.push(("AWS_PROFILE", "keysonly"));
        vars.push(("AWS_REGION", "sa-east-1"));
        vars.push(("AWS_MAX_ATTEMPTS", "2"));
        let keys = SharedConfig::from_env_with(env(&vars)).unwrap();
        assert_eq!(
            keys.region(),
            Some("sa-east-1"),
            "environment beats profile"
        );
        assert_eq!(keys.retry_config().max_attempts(), 2);
        assert_eq!(keys.endpoint_url(), Some("http://profile.local"));
        let c = creds(&keys).await;
        assert_eq!(
            (c.access_key_id(), c.session_token()),
            ("AKIDKEYS", Some("tokenkeys"))
        );

        // Environment keys beat the profile's.
        let mut vars = base.to_vec();
        vars.push(("AWS_ACCESS_KEY_ID", "AKIDENV"));
        vars.push(("AWS_SECRET_ACCESS_KEY", "secretenv"));
        let env_keys = SharedConfig::from_env_with(env(&vars)).unwrap();
        assert_eq!(creds(&env_keys).await.access_key_id(), "AKIDENV");
    }

    #[test]
    fn rejects_bad_values_and_missing_profiles() {
        let dir = TempDir::new();
        let home = dir.0.to_str().unwrap();
        let err = |vars: &[(&str, &str)]| {
            let mut all = vec![("HOME", home)];
            all.extend_from_slice(vars);
            SharedConfig::from_env_with(env(&all))
                .unwrap_err()
                .to_string()
        };
        assert!(err(&[("AWS_MAX_ATTEMPTS", "0")]).contains("AWS_MAX_ATTEMPTS"));
        assert!(err(&[("AWS_MAX_ATTEMPTS", "three")]).contains("`three`"));
        assert!(err(&[("AWS_USE_FIPS_ENDPOINT", "yes")]).contains("AWS_USE_FIPS_ENDPOINT"));
        assert!(err(&[("AWS_ACCESS_KEY_ID", "AKID")]).contains("AWS_SECRET_ACCESS_KEY"));
        assert!(err(&[("AWS_PROFILE", "nope")]).contains("`nope`"));
        // A URL without a scheme, and regions that are not one DNS label, say so at once,
        // naming the variable.
        assert_eq!(
            err(&[("AWS_ENDPOINT_URL", "127.0.0.1:5055")]),
            "invalid AWS configuration: AWS_ENDPOINT_URL is `127.0.0.1:5055`, which is not a \
             URL: it needs http:// or https:// in front (`http://127.0.0.1:5055`)"
        );
        assert!(err(&[("AWS_ENDPOINT_URL", "ftp://x")]).contains("http:// or https://"));
        assert_eq!(
            err(&[("AWS_REGION", "us-east-1.evil.com")]),
            "invalid AWS configuration: AWS_REGION is `us-east-1.evil.com`, which is not \
             valid: it contains '.'; a region is one DNS label of letters, digits and `-`, \
             like `us-east-1`"
        );
        assert!(err(&[("AWS_DEFAULT_REGION", "evil.com#")]).contains("AWS_DEFAULT_REGION"));
        assert!(err(&[("AWS_REGION", "..")]).contains("is not valid"));
        // The service's own variable is looked up per service, and checked there.
        let shared = SharedConfig::from_env_with(env(&[
            ("HOME", home),
            ("AWS_ENDPOINT_URL_APIGATEWAYV2", "localhost:4566"),
        ]))
        .unwrap();
        assert_eq!(
            shared
                .for_service(&crate::TEST_SERVICE)
                .check_endpoint_url()
                .unwrap_err()
                .to_string(),
            "invalid AWS configuration: AWS_ENDPOINT_URL_APIGATEWAYV2 `localhost:4566` is not \
             a URL: it needs http:// or https:// in front (`http://localhost:4566`)"
        );
        let bad = dir.file("config", "[profile x]\nmax_attempts = -1\n");
        assert!(err(&[("AWS_PROFILE", "x"), ("AWS_CONFIG_FILE", &bad)]).contains("max_attempts"));

        // No files and no variables: an empty configuration, not an error.
        let config = SharedConfig::from_env_with(env(&[("HOME", home)])).unwrap();
        assert_eq!(config.region(), None);
        assert!(config.credentials_provider().is_none());
        // `~/` in a file variable is the home directory.
        std::fs::create_dir_all(dir.0.join(".aws")).unwrap();
        std::fs::write(dir.0.join("custom"), "[default]\nregion = il-central-1\n").unwrap();
        let config =
            SharedConfig::from_env_with(env(&[("HOME", home), ("AWS_CONFIG_FILE", "~/custom")]))
                .unwrap();
        assert_eq!(config.region(), Some("il-central-1"));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let config = SharedConfig::builder()
            .region("us-east-1")
            .credentials(static_credentials(
                "AKIDX",
                "very-secret",
                Some("session-tok".into()),
                "t",
            ))
            .build();
        let text = format!("{config:?}");
        assert!(
            !text.contains("very-secret") && !text.contains("session-tok"),
            "{text}"
        );
        assert!(text.contains("us-east-1"));
    }

    #[test]
    fn clones_share_one_default_http_client() {
        let config = SharedConfig::builder().region("us-east-1").build();
        let service = config.for_service(&crate::TEST_SERVICE);
        let a = config.resolved_http_client();
        let b = service.resolved_http_client();
        assert!(a.ptr_eq(&b), "one pool for every service of one config");
        // A new connect timeout gets a client of its own; the original is untouched.
        let other = config
            .to_builder()
            .connect_timeout(Duration::from_millis(5))
            .build();
        assert!(!other.resolved_http_client().ptr_eq(&a));
        assert!(config.resolved_http_client().ptr_eq(&a));
    }

    #[test]
    fn builder_shorthands() {
        let config = SharedConfig::builder()
            .max_attempts(4)
            .connect_timeout(Duration::from_secs(1))
            .attempt_timeout(Duration::from_secs(2))
            .operation_timeout(Duration::from_secs(3))
            .max_response_body(99)
            .endpoint_url("http://x")
            .build();
        assert_eq!(config.retry_config().max_attempts(), 4);
        assert_eq!(
            config.timeout_config().connect(),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            config.timeout_config().attempt(),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            config.timeout_config().operation(),
            Some(Duration::from_secs(3))
        );
        assert_eq!(config.max_response_body(), 99);
        let again = config.to_builder().region("x").build();
        assert_eq!(again.endpoint_url(), Some("http://x"));
        assert_eq!(
            SharedConfig::builder().build().max_response_body(),
            DEFAULT_MAX_RESPONSE_BODY
        );
    }
}
