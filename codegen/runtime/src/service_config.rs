//! [`service_config!`](crate::service_config): the `Config` and `ConfigBuilder` of one
//! generated service crate, written once here instead of emitted into every crate.

/// Defines a service's `Config` and `ConfigBuilder` in the calling module.
///
/// `Config` is a [`SharedConfig`](crate::SharedConfig) resolved for the service: the endpoint
/// URL set in code, else the service's own `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`,
/// the profile's `services` entry, then the profile's `endpoint_url`. Changing a service's
/// `Config` never changes the shared configuration it came from, nor another service's.
///
/// `$service` is the generated crate's `static` [`ServiceMeta`](crate::ServiceMeta). Any
/// `field: Type` after it is a setting of this service only (a client context parameter of
/// the endpoint rule set): an `Option<Type>` field of both `Config` and `ConfigBuilder`,
/// unset in a `Config` made from a `SharedConfig`, kept by `to_builder`. The generated
/// crate writes its accessors (the fields are private to the calling module).
#[doc(hidden)]
#[macro_export]
macro_rules! service_config {
    ($service:expr $(, $field:ident: $ty:ty)* $(,)?) => {
        /// The configuration of this service's client: everything a
        /// [`SharedConfig`](Self::shared) holds, resolved for this service.
        ///
        /// Make one from the environment ([`Config::from_env`]), by hand
        /// ([`Config::builder`]), or from a configuration shared with other services
        /// (`Config::from(&shared)`), and change any of it with [`Config::to_builder`].
        #[derive(Clone, Debug)]
        pub struct Config {
            shared: $crate::config::SharedConfig,
            $($field: ::std::option::Option<$ty>,)*
        }

        impl Config {
            /// A builder with the defaults: no region, no credentials, standard retries, a
            /// 3.1 s connect timeout, the default HTTP client, a 10 MiB response cap.
            pub fn builder() -> ConfigBuilder {
                ConfigBuilder {
                    shared: $crate::config::SharedConfig::builder(),
                    $($field: ::std::option::Option::None,)*
                }
            }

            /// Reads the configuration from the environment and the shared AWS config and
            /// credentials files, as [`SharedConfig::from_env`](
            /// $crate::config::SharedConfig::from_env) does, with this service's endpoint
            /// variable (`AWS_ENDPOINT_URL_<SERVICE>`) on top.
            pub fn from_env() -> ::std::result::Result<Config, $crate::config::ConfigError> {
                let config = Config::from(&$crate::config::SharedConfig::from_env()?);
                // `AWS_ENDPOINT_URL_<SERVICE>` is only looked up now.
                config.shared.check_endpoint_url()?;
                Ok(config)
            }

            /// A builder holding this configuration, to change some of it.
            pub fn to_builder(&self) -> ConfigBuilder {
                ConfigBuilder {
                    shared: self.shared.to_builder(),
                    $($field: self.$field.clone(),)*
                }
            }

            /// The settings, as a [`SharedConfig`](crate::config::SharedConfig) resolved for
            /// this service.
            pub fn shared(&self) -> &$crate::config::SharedConfig {
                &self.shared
            }

            /// The region.
            pub fn region(&self) -> Option<&str> {
                self.shared.region()
            }

            /// The credentials provider.
            pub fn credentials_provider(
                &self,
            ) -> Option<&$crate::credentials::SharedCredentialsProvider> {
                self.shared.credentials_provider()
            }

            /// The bearer-token provider (`httpBearerAuth` operations).
            pub fn token_provider(&self) -> Option<&$crate::auth::SharedTokenProvider> {
                self.shared.token_provider()
            }

            /// The endpoint URL that replaces the resolved endpoint.
            pub fn endpoint_url(&self) -> Option<&str> {
                self.shared.endpoint_url()
            }

            /// Whether to use FIPS endpoints.
            pub fn use_fips(&self) -> bool {
                self.shared.use_fips()
            }

            /// Whether to use dual-stack endpoints.
            pub fn use_dual_stack(&self) -> bool {
                self.shared.use_dual_stack()
            }

            /// The retry settings.
            pub fn retry_config(&self) -> &$crate::retry::RetryConfig {
                self.shared.retry_config()
            }

            /// The timeouts.
            pub fn timeout_config(&self) -> &$crate::config::TimeoutConfig {
                self.shared.timeout_config()
            }

            /// The configured HTTP client (`None`: the default one).
            pub fn http_client(&self) -> Option<&$crate::http_client::SharedHttpClient> {
                self.shared.http_client()
            }

            /// The response-body cap in bytes.
            pub fn max_response_body(&self) -> u64 {
                self.shared.max_response_body()
            }

            /// Whether inputs are checked against every modeled constraint, or only
            /// against `@required` and `@httpLabel`.
            pub fn validate_constraints(&self) -> bool {
                self.shared.validate_constraints()
            }

            /// Whether operations' `@endpoint` host prefixes are left off the host.
            pub fn disable_host_prefix(&self) -> bool {
                self.shared.disable_host_prefix()
            }

            /// Whether `@requestCompression` operations send their bodies uncompressed.
            pub fn disable_request_compression(&self) -> bool {
                self.shared.disable_request_compression()
            }

            /// The smallest body `@requestCompression` operations compress, in bytes.
            pub fn request_min_compression_size_bytes(&self) -> u32 {
                self.shared.request_min_compression_size_bytes()
            }
        }

        impl ::std::convert::From<&$crate::config::SharedConfig> for Config {
            fn from(shared: &$crate::config::SharedConfig) -> Config {
                Config {
                    shared: shared.for_service(&$service),
                    $($field: ::std::option::Option::None,)*
                }
            }
        }

        impl ::std::convert::From<$crate::config::SharedConfig> for Config {
            fn from(shared: $crate::config::SharedConfig) -> Config {
                Config::from(&shared)
            }
        }

        /// What `aws_config::load_defaults` resolved (feature `aws-config`): region,
        /// credentials, endpoint URL, retries, timeouts and app name.
        #[cfg(feature = "aws-config")]
        impl ::std::convert::From<&$crate::sdk_config::SdkConfig> for Config {
            fn from(sdk: &$crate::sdk_config::SdkConfig) -> Config {
                Config::from(&$crate::config::SharedConfig::from(sdk))
            }
        }

        impl ::std::convert::From<&Config> for Config {
            fn from(config: &Config) -> Config {
                config.clone()
            }
        }

        /// Builds a [`Config`].
        #[derive(Clone, Debug)]
        pub struct ConfigBuilder {
            shared: $crate::config::SharedConfigBuilder,
            $($field: ::std::option::Option<$ty>,)*
        }

        impl ConfigBuilder {
            /// The AWS region (`us-east-1`).
            pub fn region(self, region: impl Into<String>) -> Self {
                self.map(|b| b.region(region))
            }

            /// Sets or clears the region.
            pub fn set_region(self, region: Option<String>) -> Self {
                self.map(|b| b.set_region(region))
            }

            /// The credentials provider: [`Credentials`]($crate::credentials::Credentials)
            /// themselves, aws-config's default chain, or any other `ProvideCredentials`.
            pub fn credentials_provider(
                self,
                provider: impl $crate::credentials::ProvideCredentials + 'static,
            ) -> Self {
                self.map(|b| b.credentials_provider(provider))
            }

            /// Sets or clears the credentials provider.
            pub fn set_credentials_provider(
                self,
                provider: Option<$crate::credentials::SharedCredentialsProvider>,
            ) -> Self {
                self.map(|b| b.set_credentials_provider(provider))
            }

            /// Static credentials.
            pub fn credentials(self, credentials: $crate::credentials::Credentials) -> Self {
                self.map(|b| b.credentials(credentials))
            }

            /// The bearer-token provider for `httpBearerAuth` operations: a
            /// [`Token`]($crate::auth::Token) itself, or any
            /// [`ProvideToken`]($crate::auth::ProvideToken).
            pub fn token_provider(
                self,
                provider: impl $crate::auth::ProvideToken + 'static,
            ) -> Self {
                self.map(|b| b.token_provider(provider))
            }

            /// Sets or clears the bearer-token provider.
            pub fn set_token_provider(
                self,
                provider: Option<$crate::auth::SharedTokenProvider>,
            ) -> Self {
                self.map(|b| b.set_token_provider(provider))
            }

            /// A URL that replaces the resolved endpoint (`http://localhost:4566`).
            pub fn endpoint_url(self, url: impl Into<String>) -> Self {
                self.map(|b| b.endpoint_url(url))
            }

            /// Sets or clears the endpoint URL.
            pub fn set_endpoint_url(self, url: Option<String>) -> Self {
                self.map(|b| b.set_endpoint_url(url))
            }

            /// Use FIPS endpoints.
            pub fn use_fips(self, use_fips: bool) -> Self {
                self.map(|b| b.use_fips(use_fips))
            }

            /// Use dual-stack (IPv4 and IPv6) endpoints.
            pub fn use_dual_stack(self, use_dual_stack: bool) -> Self {
                self.map(|b| b.use_dual_stack(use_dual_stack))
            }

            /// The retry settings.
            pub fn retry_config(self, retry: $crate::retry::RetryConfig) -> Self {
                self.map(|b| b.retry_config(retry))
            }

            /// Total attempts per operation, the first included.
            pub fn max_attempts(self, max_attempts: u32) -> Self {
                self.map(|b| b.max_attempts(max_attempts))
            }

            /// The timeouts.
            pub fn timeout_config(self, timeouts: $crate::config::TimeoutConfig) -> Self {
                self.map(|b| b.timeout_config(timeouts))
            }

            /// The connect timeout.
            pub fn connect_timeout(self, timeout: ::std::time::Duration) -> Self {
                self.map(|b| b.connect_timeout(timeout))
            }

            /// The per-attempt timeout.
            pub fn attempt_timeout(self, timeout: ::std::time::Duration) -> Self {
                self.map(|b| b.attempt_timeout(timeout))
            }

            /// The whole-operation timeout.
            pub fn operation_timeout(self, timeout: ::std::time::Duration) -> Self {
                self.map(|b| b.operation_timeout(timeout))
            }

            /// The HTTP client to send requests with (default: hyper with rustls).
            pub fn http_client(
                self,
                client: impl $crate::http_client::HttpClient + 'static,
            ) -> Self {
                self.map(|b| b.http_client(client))
            }

            /// Sets or clears the HTTP client.
            pub fn set_http_client(
                self,
                client: Option<$crate::http_client::SharedHttpClient>,
            ) -> Self {
                self.map(|b| b.set_http_client(client))
            }

            /// The largest response body to accept, in bytes (default 10 MiB).
            pub fn max_response_body(self, bytes: u64) -> Self {
                self.map(|b| b.max_response_body(bytes))
            }

            /// Check inputs against every modeled constraint before sending (the default),
            /// or, with `false`, only against `@required` and `@httpLabel`: for a service
            /// that relaxed a constraint since this crate was generated.
            pub fn validate_constraints(self, validate: bool) -> Self {
                self.map(|b| b.validate_constraints(validate))
            }

            /// Leave operations' `@endpoint` host prefixes off the endpoint's host.
            pub fn disable_host_prefix(self, disable: bool) -> Self {
                self.map(|b| b.disable_host_prefix(disable))
            }

            /// Send the bodies of `@requestCompression` operations uncompressed.
            pub fn disable_request_compression(self, disable: bool) -> Self {
                self.map(|b| b.disable_request_compression(disable))
            }

            /// The smallest body `@requestCompression` operations gzip, in bytes (default
            /// 10240).
            pub fn request_min_compression_size_bytes(self, bytes: u32) -> Self {
                self.map(|b| b.request_min_compression_size_bytes(bytes))
            }

            /// Where tokens for `@idempotencyToken` members left unset come from (default:
            /// a random UUID v4 each call). For tests that need a fixed token.
            pub fn idempotency_token_provider(self, provider: fn() -> String) -> Self {
                self.map(|b| b.idempotency_token_provider(provider))
            }

            /// The configuration.
            pub fn build(self) -> Config {
                Config {
                    shared: self.shared.build().for_service(&$service),
                    $($field: self.$field,)*
                }
            }

            fn map(
                self,
                f: impl FnOnce(
                    $crate::config::SharedConfigBuilder,
                ) -> $crate::config::SharedConfigBuilder,
            ) -> Self {
                ConfigBuilder {
                    shared: f(self.shared),
                    $($field: self.$field,)*
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[allow(dead_code)]
    mod svc {
        crate::service_config!(crate::TEST_SERVICE);
    }

    static OTHER: crate::ServiceMeta = crate::ServiceMeta {
        sdk_id: "Lambda",
        signing_name: "lambda",
        env_suffix: "LAMBDA",
        crate_name: "lambda",
        crate_version: "0",
        api_version: "2015-03-31",
    };

    #[allow(dead_code)]
    mod other {
        crate::service_config!(super::OTHER, force_path_style: bool, bucket_prefix: String);

        impl ConfigBuilder {
            pub fn force_path_style(mut self, value: bool) -> Self {
                self.force_path_style = Some(value);
                self
            }
        }

        impl Config {
            pub fn force_path_style(&self) -> Option<bool> {
                self.force_path_style
            }
        }
    }

    #[test]
    fn service_settings_are_kept_by_the_builder() {
        let config = other::Config::builder()
            .force_path_style(true)
            .region("eu-west-1")
            .build();
        assert_eq!(config.force_path_style(), Some(true));
        let again = config.to_builder().max_attempts(2).build();
        assert_eq!(again.force_path_style(), Some(true));
        assert_eq!(again.region(), Some("eu-west-1"));
        let from_shared = other::Config::from(config.shared());
        assert_eq!(from_shared.force_path_style(), None);
    }

    #[test]
    fn each_service_resolves_its_own_endpoint_and_overrides_stay_local() {
        let vars = [
            ("HOME", "/nonexistent"),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "http://general"),
            ("AWS_ENDPOINT_URL_APIGATEWAYV2", "http://apigw"),
        ];
        let shared = crate::SharedConfig::from_env_with(move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
        .unwrap();
        let apigw = svc::Config::from(&shared);
        let lambda = other::Config::from(&shared);
        assert_eq!(apigw.endpoint_url(), Some("http://apigw"));
        assert_eq!(lambda.endpoint_url(), Some("http://general"));
        assert_eq!(apigw.region(), Some("eu-west-1"));

        let changed = apigw
            .to_builder()
            .region("us-west-2")
            .max_attempts(9)
            .build();
        assert_eq!(changed.region(), Some("us-west-2"));
        assert_eq!(apigw.region(), Some("eu-west-1"));
        assert_eq!(shared.region(), Some("eu-west-1"));
        assert_eq!(lambda.retry_config().max_attempts(), 3);
        assert_eq!(changed.endpoint_url(), Some("http://apigw"));
    }
}
