//! Authentication schemes: which one an operation uses (the model's `@auth` order, the
//! first scheme the configuration can serve), and the bearer-token identity of
//! `smithy.api#httpBearerAuth`.
//!
//! An operation lists its schemes in `Operation::AUTH_SCHEMES`, in the model's order:
//! `@auth` on the operation, else on the service, else every auth trait of the service
//! (alphabetical by shape id, as Smithy's service index orders them); `@optionalAuth`
//! appends [`AuthScheme::NoAuth`]. The client takes the first scheme whose identity the
//! configuration has: SigV4 needs a credentials provider, bearer a token provider, and
//! no-auth nothing. Nothing usable is a credentials error naming what each scheme needed;
//! nothing is sent then.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// One authentication scheme an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `aws.auth#sigv4`: SigV4 with the service's signing name and the region.
    SigV4,
    /// `smithy.api#httpBearerAuth`: `Authorization: Bearer <token>`.
    HttpBearer,
    /// `smithy.api#noAuth` (`@auth([])`, `@optionalAuth`): sent as it is, unsigned.
    NoAuth,
}

impl AuthScheme {
    /// The scheme's shape id in Smithy.
    pub fn shape_id(self) -> &'static str {
        match self {
            AuthScheme::SigV4 => "aws.auth#sigv4",
            AuthScheme::HttpBearer => "smithy.api#httpBearerAuth",
            AuthScheme::NoAuth => "smithy.api#noAuth",
        }
    }
}

/// A bearer token (`smithy.api#httpBearerAuth`). `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    token: Arc<str>,
}

impl Token {
    /// A static token.
    pub fn new(token: impl Into<String>) -> Token {
        Token {
            token: Arc::from(token.into()),
        }
    }

    /// The token itself.
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &"** redacted **")
            .finish()
    }
}

/// Why a token provider gave no token.
#[derive(Debug)]
pub struct TokenError {
    message: String,
}

impl TokenError {
    /// A failure described by `message` (which must not hold the token).
    pub fn new(message: impl Into<String>) -> TokenError {
        TokenError {
            message: message.into(),
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TokenError {}

/// What [`ProvideToken::provide_token`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;

/// Where bearer tokens come from: asked before every attempt of an operation that signs
/// with `httpBearerAuth` (cache in the provider if fetching is costly). A [`Token`] is its
/// own static provider.
pub trait ProvideToken: Send + Sync + fmt::Debug {
    /// The current token.
    fn provide_token(&self) -> TokenFuture<'_>;
}

impl ProvideToken for Token {
    fn provide_token(&self) -> TokenFuture<'_> {
        let token = self.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// A token provider shared by clients and their clones.
#[derive(Clone, Debug)]
pub struct SharedTokenProvider(Arc<dyn ProvideToken>);

impl SharedTokenProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideToken + 'static) -> SharedTokenProvider {
        SharedTokenProvider(Arc::new(provider))
    }
}

impl ProvideToken for SharedTokenProvider {
    fn provide_token(&self) -> TokenFuture<'_> {
        self.0.provide_token()
    }
}

/// Puts `Authorization: Bearer <token>` on `request` (replacing an earlier value), marked
/// sensitive so `Debug` of the request does not show it. Fails when the token is not a
/// valid header value.
pub fn apply_bearer(
    request: &mut crate::http::HttpRequest,
    token: &Token,
) -> Result<(), crate::error::CredentialsError> {
    let mut value =
        http::HeaderValue::from_str(&format!("Bearer {}", token.token())).map_err(|_| {
            crate::error::CredentialsError::signing(
                "the bearer token is not a valid HTTP header value",
            )
        })?;
    value.set_sensitive(true);
    request.headers.insert(http::header::AUTHORIZATION, value);
    Ok(())
}

/// The first of `schemes` the configuration can serve: SigV4 when `has_credentials`,
/// bearer when `has_token`, no-auth always. `None` when there is none.
pub fn choose(
    schemes: &[AuthScheme],
    has_credentials: bool,
    has_token: bool,
) -> Option<AuthScheme> {
    schemes.iter().copied().find(|scheme| match scheme {
        AuthScheme::SigV4 => has_credentials,
        AuthScheme::HttpBearer => has_token,
        AuthScheme::NoAuth => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use AuthScheme::*;

    #[test]
    fn the_first_usable_scheme_wins_in_model_order() {
        assert_eq!(choose(&[SigV4, HttpBearer], true, true), Some(SigV4));
        assert_eq!(choose(&[HttpBearer, SigV4], true, true), Some(HttpBearer));
        assert_eq!(choose(&[HttpBearer, SigV4], true, false), Some(SigV4));
        assert_eq!(choose(&[SigV4, NoAuth], false, false), Some(NoAuth));
        assert_eq!(choose(&[SigV4, NoAuth], true, false), Some(SigV4));
        assert_eq!(choose(&[NoAuth], false, false), Some(NoAuth));
        assert_eq!(choose(&[SigV4, HttpBearer], false, false), None);
        assert_eq!(choose(&[], true, true), None);
    }

    #[test]
    fn tokens_are_redacted_and_sent_as_bearer() {
        let token = Token::new("s3cr3t-token");
        assert!(!format!("{token:?}").contains("s3cr3t"));
        let shared = SharedTokenProvider::new(token.clone());
        assert!(!format!("{shared:?}").contains("s3cr3t"));
        let mut request = crate::http::HttpRequest {
            method: http::Method::GET,
            uri: "https://example.com/".into(),
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::new(),
        };
        apply_bearer(&mut request, &token).unwrap();
        apply_bearer(&mut request, &token).unwrap();
        assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
        assert_eq!(request.headers["authorization"], "Bearer s3cr3t-token");
        assert!(!format!("{request:?}").contains("s3cr3t"));
        assert!(apply_bearer(&mut request, &Token::new("a\nb")).is_err());
    }

    #[tokio::test]
    async fn a_token_is_its_own_provider() {
        let shared = SharedTokenProvider::new(Token::new("t"));
        assert_eq!(shared.provide_token().await.unwrap().token(), "t");
    }
}
