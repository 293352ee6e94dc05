//! `SharedConfig::from(&aws_types::SdkConfig)` (feature `aws-config`): use what
//! `aws_config::load_defaults` resolved (its whole credentials chain: SSO, assume-role, web
//! identity, IMDS, ...) for the clients of this crate.
//!
//! ```ignore
//! let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
//! let client = apigatewayv2::Client::new(apigatewayv2::Config::from(&sdk));
//! ```
//!
//! Taken over: region, credentials provider, endpoint URL, FIPS and dual-stack flags, retry
//! max attempts and backoff, the connect, per-attempt and operation timeouts, and the app
//! name (in the `User-Agent`). Everything else keeps this crate's defaults.

use crate::config::{SharedConfig, SharedConfigBuilder, TimeoutConfig};

/// The configuration `aws_config::load_defaults` returns.
pub use aws_types::SdkConfig;

impl From<&aws_types::SdkConfig> for SharedConfig {
    fn from(sdk: &aws_types::SdkConfig) -> SharedConfig {
        SharedConfigBuilder::from(sdk).build()
    }
}

impl From<aws_types::SdkConfig> for SharedConfig {
    fn from(sdk: aws_types::SdkConfig) -> SharedConfig {
        SharedConfig::from(&sdk)
    }
}

impl From<&aws_types::SdkConfig> for SharedConfigBuilder {
    fn from(sdk: &aws_types::SdkConfig) -> SharedConfigBuilder {
        let mut builder = SharedConfig::builder()
            .set_region(sdk.region().map(|r| r.as_ref().to_owned()))
            .set_credentials_provider(sdk.credentials_provider())
            .set_endpoint_url(sdk.endpoint_url().map(str::to_owned))
            .use_fips(sdk.use_fips().unwrap_or(false))
            .use_dual_stack(sdk.use_dual_stack().unwrap_or(false))
            .set_app_name(sdk.app_name().map(|name| name.to_string()));
        if let Some(retry) = sdk.retry_config() {
            let ours = builder.retry_config_ref().clone();
            builder = builder.retry_config(
                ours.with_max_attempts(retry.max_attempts())
                    .with_initial_backoff(retry.initial_backoff())
                    .with_max_backoff(retry.max_backoff()),
            );
        }
        if let Some(timeouts) = sdk.timeout_config() {
            let defaults = TimeoutConfig::default();
            builder = builder.timeout_config(
                defaults
                    .clone()
                    .with_connect(timeouts.connect_timeout().or(defaults.connect()))
                    .with_attempt(timeouts.operation_attempt_timeout())
                    .with_operation(timeouts.operation_timeout()),
            );
        }
        builder
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn takes_over_what_aws_config_resolved() {
        let sdk = aws_types::SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-central-1"))
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    crate::credentials::Credentials::new("AKIDSDK", "secret", None, None, "sdk"),
                ),
            )
            .endpoint_url("http://localhost:4566")
            .use_fips(true)
            .retry_config(
                aws_smithy_types::retry::RetryConfig::standard()
                    .with_max_attempts(7)
                    .with_initial_backoff(Duration::from_millis(5)),
            )
            .timeout_config(
                aws_smithy_types::timeout::TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(1))
                    .operation_attempt_timeout(Duration::from_secs(2))
                    .operation_timeout(Duration::from_secs(3))
                    .build(),
            )
            .app_name(aws_types::app_name::AppName::new("my-app").unwrap())
            .build();
        let config = SharedConfig::from(&sdk);
        assert_eq!(config.region(), Some("eu-central-1"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        assert!(config.use_fips() && !config.use_dual_stack());
        assert_eq!(config.retry_config().max_attempts(), 7);
        assert_eq!(
            config.retry_config().initial_backoff(),
            Duration::from_millis(5)
        );
        let timeouts = config.timeout_config();
        assert_eq!(timeouts.connect(), Some(Duration::from_secs(1)));
        assert_eq!(timeouts.attempt(), Some(Duration::from_secs(2)));
        assert_eq!(timeouts.operation(), Some(Duration::from_secs(3)));
        assert_eq!(config.app_name(), Some("my-app"));
        use crate::credentials::ProvideCredentials as _;
        let credentials = config
            .credentials_provider()
            .unwrap()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(credentials.access_key_id(), "AKIDSDK");

        // An empty SdkConfig leaves the defaults.
        let config = SharedConfig::from(aws_types::SdkConfig::builder().build());
        assert_eq!(config.region(), None);
        assert_eq!(config.retry_config().max_attempts(), 3);
        assert_eq!(config.timeout_config(), &TimeoutConfig::default());
    }
}
