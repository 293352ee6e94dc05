//! Paginators: a [`Stream`] of pages that sends an operation again with each page's token,
//! and a [`Stream`] of the items of those pages.
//!
//! Generated code supplies the model-specific parts (how to send a request with a token,
//! where the next token is in an output, where the items are); the loop and the token checks
//! live here. A page whose token is missing or empty is the last one. A page whose token is
//! the one the request carried would start the same page again: the stream ends with
//! [`Error::Pagination`] instead, as the AWS SDKs do.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

use crate::error::Error;

/// The future of one page.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, Error<E>>> + Send>>;

/// A pagination token: the value an output hands back and the next input carries.
pub trait PageToken: Clone + PartialEq + Send + Unpin + 'static {
    /// An empty token ends pagination like a missing one.
    fn is_empty_token(&self) -> bool;
}

impl PageToken for String {
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> PageToken for HashMap<K, V>
where
    K: Eq + Hash + Clone + Send + Unpin + 'static,
    V: PartialEq + Clone + Send + Unpin + 'static,
{
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

/// Why a paginator stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationError {
    operation: &'static str,
    pages: u64,
}

impl PaginationError {
    /// The operation that was paginated.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// How many pages had been received, the one with the repeated token included.
    pub fn pages(&self) -> u64 {
        self.pages
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "paginating {}: page {} returned the token its request carried; stopping instead \
             of asking for the same page again",
            self.operation, self.pages
        )
    }
}

impl std::error::Error for PaginationError {}

/// Sends a request built from `B`, with `Some(token)` set as its input token (`None`: the
/// request as the caller built it).
pub type SendPage<B, O, E, T> = fn(B, Option<T>) -> PageFuture<O, E>;

enum State<O, E, T> {
    /// The first request, as built.
    First,
    /// The next request to send, with this token.
    Next(T),
    InFlight {
        future: PageFuture<O, E>,
        sent: Option<T>,
    },
    Done,
}

/// A [`Stream`] of pages: `Result<O, Error<E>>`, ending after the last page or the first
/// error. Nothing is sent until the stream is first polled.
pub struct Paginator<B, O, E, T> {
    operation: &'static str,
    builder: B,
    send: SendPage<B, O, E, T>,
    first_token: fn(&B) -> Option<T>,
    next_token: fn(&O) -> Option<T>,
    pages: u64,
    state: State<O, E, T>,
}

impl<B, O, E, T> Paginator<B, O, E, T> {
    /// A paginator over `operation` that sends `builder` (cloned for each page) through
    /// `send` and reads each page's next token with `next_token`. `first_token` reads the
    /// token the caller set on the first request, if any (a page returning it is a repeat
    /// too).
    pub fn new(
        operation: &'static str,
        builder: B,
        send: SendPage<B, O, E, T>,
        first_token: fn(&B) -> Option<T>,
        next_token: fn(&O) -> Option<T>,
    ) -> Self {
        Paginator {
            operation,
            builder,
            send,
            first_token,
            next_token,
            pages: 0,
            state: State::First,
        }
    }

    /// Changes the request the next pages are built from (a page size, say).
    pub fn map_builder(mut self, f: impl FnOnce(B) -> B) -> Self {
        self.builder = f(self.builder);
        self
    }

    /// The request the pages are built from.
    pub fn builder(&self) -> &B {
        &self.builder
    }
}

impl<B, O, E, T> fmt::Debug for Paginator<B, O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation)
            .field("pages", &self.pages)
            .field("done", &matches!(self.state, State::Done))
            .finish()
    }
}

impl<B, O, E, T> Stream for Paginator<B, O, E, T>
where
    B: Clone + Unpin,
    T: PageToken,
{
    type Item = Result<O, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::First => {
                    let sent = (this.first_token)(&this.builder);
                    let future = (this.send)(this.builder.clone(), None);
                    this.state = State::InFlight { future, sent };
                }
                State::Next(token) => {
                    let token = token.clone();
                    let future = (this.send)(this.builder.clone(), Some(token.clone()));
                    this.state = State::InFlight {
                        future,
                        sent: Some(token),
                    };
                }
                State::InFlight { future, sent } => {
                    let result = match future.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(result) => result,
                    };
                    let page = match result {
                        Ok(page) => page,
                        Err(e) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(e)));
                        }
                    };
                    this.pages += 1;
                    let next = (this.next_token)(&page).filter(|t| !t.is_empty_token());
                    this.state = match next {
                        None => State::Done,
                        Some(token) if sent.as_ref() == Some(&token) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(Error::Pagination(PaginationError {
                                operation: this.operation,
                                pages: this.pages,
                            }))));
                        }
                        Some(token) => State::Next(token),
                    };
                    return Poll::Ready(Some(Ok(page)));
                }
            }
        }
    }
}

/// A [`Stream`] of the items of a stream of pages: `Result<I, Error<E>>`, with the pages'
/// errors passed through.
pub struct Items<P, O, I> {
    pages: P,
    items: fn(&O) -> Vec<I>,
    current: std::vec::IntoIter<I>,
}

impl<P, O, I> Items<P, O, I> {
    /// The items of `pages`, read from each page with `items`.
    pub fn new(pages: P, items: fn(&O) -> Vec<I>) -> Self {
        Items {
            pages,
            items,
            current: Vec::new().into_iter(),
        }
    }
}

impl<P: fmt::Debug, O, I> fmt::Debug for Items<P, O, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}

impl<P, O, I, E> Stream for Items<P, O, I>
where
    P: Stream<Item = Result<O, Error<E>>> + Unpin,
    I: Unpin,
{
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.current = (this.items)(&page).into_iter(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    use crate::error::{TimeoutError, TimeoutKind};

    /// A fake service: page `n` of `pages`, with the next token each page returns.
    #[derive(Clone)]
    struct Fake {
        tokens: Arc<Vec<Option<&'static str>>>,
        sent: Arc<Mutex<Vec<Option<String>>>>,
        fail_at: Option<usize>,
    }

    #[derive(Debug, PartialEq)]
    struct Page {
        index: usize,
        next: Option<String>,
    }

    fn send(fake: Fake, token: Option<String>) -> PageFuture<Page, ()> {
        Box::pin(async move {
            let index = {
                let mut sent = fake.sent.lock().unwrap();
                sent.push(token);
                sent.len() - 1
            };
            if fake.fail_at == Some(index) {
                return Err(Error::Timeout(TimeoutError::new(
                    TimeoutKind::Attempt,
                    None,
                )));
            }
            Ok(Page {
                index,
                next: fake.tokens[index].map(str::to_owned),
            })
        })
    }

    fn fake(tokens: &[Option<&'static str>]) -> Fake {
        Fake {
            tokens: Arc::new(tokens.to_vec()),
            sent: Arc::default(),
            fail_at: None,
        }
    }

    fn paginator(fake: &Fake) -> Paginator<Fake, Page, (), String> {
        Paginator::new(
            "ListThings",
            fake.clone(),
            send,
            |_: &Fake| None,
            |p: &Page| p.next.clone(),
        )
    }

    async fn collect<S: Stream + Unpin>(mut s: S) -> Vec<S::Item> {
        let mut out = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut s).poll_next(cx)).await {
            out.push(item);
        }
        out
    }

    #[tokio::test]
    async fn follows_tokens_until_none() {
        let f = fake(&[Some("a"), Some("b"), None]);
        let pages = collect(paginator(&f)).await;
        let indexes: Vec<_> = pages.iter().map(|p| p.as_ref().unwrap().index).collect();
        assert_eq!(indexes, [0, 1, 2]);
        assert_eq!(
            *f.sent.lock().unwrap(),
            [None, Some("a".to_owned()), Some("b".to_owned())]
        );
    }

    #[tokio::test]
    async fn an_empty_token_ends_normally() {
        let f = fake(&[Some("a"), Some(""), Some("never")]);
        let pages = collect(paginator(&f)).await;
        assert_eq!(pages.len(), 2);
        assert!(pages.iter().all(Result::is_ok));
    }

    #[tokio::test]
    async fn a_repeated_token_ends_with_an_error() {
        let f = fake(&[Some("a"), Some("a"), Some("b"), None]);
        let pages = collect(paginator(&f)).await;
        assert_eq!(pages.len(), 2);
        assert!(pages[0].is_ok());
        let Err(Error::Pagination(e)) = &pages[1] else {
            panic!("{:?}", pages[1].as_ref().map(|_| ()));
        };
        assert_eq!((e.operation(), e.pages()), ("ListThings", 2));
        assert!(e.to_string().contains("ListThings"), "{e}");
        assert_eq!(f.sent.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_first_page_repeating_the_callers_token_is_an_error() {
        let f = fake(&[Some("start"), None]);
        let p = Paginator::new(
            "ListThings",
            f.clone(),
            send,
            |_: &Fake| Some("start".to_owned()),
            |p: &Page| p.next.clone(),
        );
        let pages = collect(p).await;
        assert!(matches!(pages[..], [Err(Error::Pagination(_))]));
        assert_eq!(*f.sent.lock().unwrap(), [None]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let mut f = fake(&[Some("a"), Some("b"), None]);
        f.fail_at = Some(1);
        let pages = collect(paginator(&f)).await;
        assert_eq!(pages.len(), 2);
        assert!(matches!(pages[1], Err(Error::Timeout(_))));
    }

    #[tokio::test]
    async fn nothing_is_sent_until_polled_and_builders_can_change() {
        let f = fake(&[None]);
        let p = paginator(&f).map_builder(|mut b| {
            b.fail_at = Some(0);
            b
        });
        assert!(f.sent.lock().unwrap().is_empty());
        assert!(p.builder().fail_at.is_some());
        let pages = collect(p).await;
        assert!(matches!(pages[..], [Err(Error::Timeout(_))]));
    }

    #[tokio::test]
    async fn items_flatten_pages() {
        let f = fake(&[Some("a"), Some("b"), None]);
        let items = Items::new(paginator(&f), |p: &Page| {
            vec![p.index * 10, p.index * 10 + 1]
        });
        let items: Vec<_> = collect(items)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(items, [0, 1, 10, 11, 20, 21]);
    }

    #[tokio::test]
    async fn items_pass_errors_through() {
        let f = fake(&[Some("a"), Some("a")]);
        let items = Items::new(paginator(&f), |p: &Page| vec![p.index]);
        let items = collect(items).await;
        assert!(matches!(items[..], [Ok(0), Err(Error::Pagination(_))]));
    }

    #[test]
    fn map_tokens_are_empty_when_empty() {
        assert!(HashMap::<String, String>::new().is_empty_token());
        assert!(!HashMap::from([("k".to_owned(), 1)]).is_empty_token());
    }
}
