//! Credentials: the `aws-credential-types` types (so any `ProvideCredentials`, aws-config's
//! default chain included, plugs in) and the per-client cache in front of the provider.

use std::time::{Duration, SystemTime};

pub use aws_credential_types::provider::error::CredentialsError as ProviderError;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;

/// Credentials within this margin of their expiry are refreshed before use.
const EXPIRY_BUFFER: Duration = Duration::from_secs(300);

/// Static credentials from access keys (and an optional session token), named for where
/// they came from.
pub fn static_credentials(
    access_key_id: impl Into<String>,
    secret_access_key: impl Into<String>,
    session_token: Option<String>,
    source: &'static str,
) -> Credentials {
    Credentials::new(
        access_key_id,
        secret_access_key,
        session_token,
        None,
        source,
    )
}

/// One client's credentials cache: asks the provider once, and again only when the cached
/// credentials are close to expiry. Shared by every clone of a client.
#[derive(Debug)]
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    cached: tokio::sync::Mutex<Option<Credentials>>,
}

impl CredentialsCache {
    /// A cache in front of `provider`.
    pub fn new(provider: SharedCredentialsProvider) -> CredentialsCache {
        CredentialsCache {
            provider,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// Credentials that are not about to expire, from the cache or the provider. Concurrent
    /// callers wait for one provider call rather than each making their own.
    pub async fn get(&self) -> Result<Credentials, ProviderError> {
        let mut cached = self.cached.lock().await;
        if let Some(credentials) = cached.as_ref() {
            if !expires_soon(credentials, SystemTime::now()) {
                return Ok(credentials.clone());
            }
        }
        let fresh = self.provider.provide_credentials().await?;
        *cached = Some(fresh.clone());
        Ok(fresh)
    }

    /// Forgets the cached credentials (the next call asks the provider).
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }
}

fn expires_soon(credentials: &Credentials, now: SystemTime) -> bool {
    match credentials.expiry() {
        None => false,
        Some(expiry) => expiry
            .duration_since(now)
            .map(|left| left < EXPIRY_BUFFER)
            .unwrap_or(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[derive(Debug)]
    struct Counting {
        calls: Arc<AtomicUsize>,
        lifetime: Option<Duration>,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let expiry = self.lifetime.map(|l| SystemTime::now() + l);
            aws_credential_types::provider::future::ProvideCredentials::ready(Ok(Credentials::new(
                format!("AKID{n}"),
                "secret",
                None,
                expiry,
                "test",
            )))
        }
    }

    #[tokio::test]
    async fn caches_until_close_to_expiry() {
        let calls = Arc::new(AtomicUsize::new(0));
        let cache = CredentialsCache::new(SharedCredentialsProvider::new(Counting {
            calls: calls.clone(),
            lifetime: None,
        }));
        for _ in 0..3 {
            assert_eq!(cache.get().await.unwrap().access_key_id(), "AKID0");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        let calls = Arc::new(AtomicUsize::new(0));
        let cache = CredentialsCache::new(SharedCredentialsProvider::new(Counting {
            calls: calls.clone(),
            lifetime: Some(Duration::from_secs(60)),
        }));
        cache.get().await.unwrap();
        cache.get().await.unwrap();
        assert_eq!(
            calls.load(Ordering::SeqCst),
            2,
            "expiring credentials are refreshed"
        );
    }

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = static_credentials("AKIDEXAMPLE", "s3cr3t-key", Some("t0ken".into()), "test");
        let text = format!("{creds:?}");
        assert!(text.contains("AKIDEXAMPLE"));
        assert!(!text.contains("s3cr3t-key"), "{text}");
        assert!(!text.contains("t0ken"), "{text}");
        let provider = SharedCredentialsProvider::new(creds);
        let text = format!("{provider:?}");
        assert!(
            !text.contains("s3cr3t-key") && !text.contains("t0ken"),
            "{text}"
        );
    }
}
