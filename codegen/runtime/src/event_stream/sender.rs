//! Event streams, the input side. The caller hands an operation an [`EventStreamSender`]
//! (built from any `Stream` of typed events, from a list of them, or as the receiving end of
//! [`EventStreamSender::channel`]). When the request is sent, each event is marshalled into a
//! message by the operation's generated marshaller, the message is encoded as a frame with
//! `aws-smithy-eventstream` and signed as the SigV4 event-stream rules say (with
//! `aws-sigv4`'s `sign-eventstream`): each frame wraps the encoded message and carries
//! `:date` and `:chunk-signature`, the signature chained from the previous frame's, starting
//! at the request's seed signature. When the events end, one last signed frame with an empty
//! payload says so.
//!
//! A request with an input event stream is sent once: the events are read as they are
//! sent, so it is never retried.

use std::fmt;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{ready, Context, Poll};
use std::time::SystemTime;

use bytes::Bytes;
use futures_core::Stream;

use super::Message;
use crate::credentials::Credentials;
use crate::error::BoxError;
use crate::sign::Signer;

type DynEvents<T> = Pin<Box<dyn Stream<Item = Result<T, BoxError>> + Send>>;
type DynMessages = DynEvents<Message>;

/// The events a caller sends on an operation's input event stream, in order. See the
/// [module docs](self).
///
/// ```
/// # use aws_client_runtime::event_stream::EventStreamSender;
/// // From a list of events:
/// let sender = EventStreamSender::from(vec!["a".to_string(), "b".to_string()]);
/// # drop(sender);
/// // From a channel, to send events while the response is being read:
/// let (sink, sender) = EventStreamSender::<String>::channel(8);
/// # async {
/// sink.send("hello".to_string()).await.unwrap();
/// drop(sink); // ends the stream: the final empty frame is sent
/// # };
/// # drop(sender);
/// ```
pub struct EventStreamSender<T> {
    /// A `Mutex` only to make the type `Sync`; every access goes through `&mut`.
    events: Mutex<DynEvents<T>>,
}

impl<T> fmt::Debug for EventStreamSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamSender").finish_non_exhaustive()
    }
}

impl<T: Send + 'static> EventStreamSender<T> {
    /// Sends the events of `events`, in order; the stream ends when `events` does.
    pub fn new<S>(events: S) -> EventStreamSender<T>
    where
        S: Stream<Item = T> + Send + 'static,
    {
        EventStreamSender::fallible(Infallible(Box::pin(events)))
    }

    /// Sends the events of `events`; an `Err` item aborts the request body (the service
    /// sees the stream cut off; nothing more is sent).
    pub fn fallible<S, E>(events: S) -> EventStreamSender<T>
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        EventStreamSender {
            events: Mutex::new(Box::pin(MapErr(Box::pin(events)))),
        }
    }

    /// A bounded channel: events sent into the [`EventSink`] (which waits while `capacity`
    /// events are queued) go out on the stream; dropping every sink ends it.
    pub fn channel(capacity: usize) -> (EventSink<T>, EventStreamSender<T>) {
        let (tx, rx) = tokio::sync::mpsc::channel(capacity.max(1));
        (EventSink(tx), EventStreamSender::new(Channel(rx)))
    }

    /// Turns the events into unsigned messages with `marshall` (the operation's generated
    /// marshaller). For generated code.
    #[doc(hidden)]
    pub fn into_body(
        self,
        marshall: fn(T) -> Result<Message, String>,
    ) -> crate::event_stream::EventStreamBody {
        let events = self
            .events
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        EventStreamBody {
            messages: Mutex::new(Box::pin(Marshalled { events, marshall })),
        }
    }
}

impl<T: Send + 'static> From<Vec<T>> for EventStreamSender<T> {
    /// Sends these events, then ends the stream.
    fn from(events: Vec<T>) -> EventStreamSender<T> {
        EventStreamSender::new(Iter(events.into_iter()))
    }
}

/// No events: the stream ends at once (only the final empty frame is sent).
impl<T: Send + 'static> Default for EventStreamSender<T> {
    fn default() -> Self {
        EventStreamSender::from(Vec::new())
    }
}

/// The sending end of [`EventStreamSender::channel`]; clonable.
#[derive(Debug)]
pub struct EventSink<T>(tokio::sync::mpsc::Sender<T>);

impl<T> Clone for EventSink<T> {
    fn clone(&self) -> Self {
        EventSink(self.0.clone())
    }
}

/// The request that read the events is over (or was never sent): the event was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSinkClosed;

impl fmt::Display for EventSinkClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the event stream is closed: its request is over")
    }
}

impl std::error::Error for EventSinkClosed {}

impl<T> EventSink<T> {
    /// Queues `event`, waiting while the channel is full.
    pub async fn send(&self, event: T) -> Result<(), EventSinkClosed> {
        self.0.send(event).await.map_err(|_| EventSinkClosed)
    }
}

/// An input event stream's messages, marshalled but not yet signed: what an operation hands
/// the orchestrator ([`Operation::take_event_stream`](crate::orchestrator::Operation)).
#[doc(hidden)]
pub struct EventStreamBody {
    messages: Mutex<DynMessages>,
}

impl fmt::Debug for EventStreamBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStreamBody").finish_non_exhaustive()
    }
}

impl EventStreamBody {
    /// The request body: each message encoded, wrapped in a frame signed with `signer` and
    /// `credentials`, chained from `seed` (the request's signature); then the final empty
    /// signed frame.
    pub fn signed(
        self,
        signer: Signer,
        credentials: Credentials,
        seed: String,
    ) -> crate::byte_stream::ByteStream {
        let messages = self
            .messages
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        crate::byte_stream::ByteStream::from_stream(SignedFrames {
            messages,
            signer,
            credentials,
            previous: seed,
            state: State::Events,
        })
    }
}

#[derive(Debug, PartialEq, Eq)]
enum State {
    Events,
    Done,
}

/// Signs and encodes frames as the messages come.
struct SignedFrames {
    messages: DynMessages,
    signer: Signer,
    credentials: Credentials,
    previous: String,
    state: State,
}

impl SignedFrames {
    fn frame(&mut self, message: Option<&Message>) -> Result<Bytes, BoxError> {
        let (frame, signature) = self.signer.sign_event(
            message,
            &self.previous,
            &self.credentials,
            SystemTime::now(),
        )?;
        self.previous = signature;
        let mut out = Vec::new();
        aws_smithy_eventstream::frame::write_message_to(&frame, &mut out)?;
        Ok(Bytes::from(out))
    }
}

impl Stream for SignedFrames {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.state == State::Done {
            return Poll::Ready(None);
        }
        let next = ready!(this.messages.as_mut().poll_next(cx));
        let item = match next {
            Some(Ok(message)) => this.frame(Some(&message)),
            Some(Err(e)) => {
                this.state = State::Done;
                Err(e)
            }
            None => {
                this.state = State::Done;
                this.frame(None)
            }
        };
        if item.is_err() {
            this.state = State::Done;
        }
        Poll::Ready(Some(item))
    }
}

struct Marshalled<T> {
    events: DynEvents<T>,
    marshall: fn(T) -> Result<Message, String>,
}

impl<T> Stream for Marshalled<T> {
    type Item = Result<Message, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let marshall = self.marshall;
        Poll::Ready(
            ready!(self.events.as_mut().poll_next(cx))
                .map(|event| event.and_then(|event| marshall(event).map_err(BoxError::from))),
        )
    }
}

struct Infallible<T>(Pin<Box<dyn Stream<Item = T> + Send>>);

impl<T> Stream for Infallible<T> {
    type Item = Result<T, std::convert::Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(ready!(self.0.as_mut().poll_next(cx)).map(Ok))
    }
}

struct MapErr<S>(Pin<Box<S>>);

impl<S, T, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<T, E>>,
    E: Into<BoxError>,
{
    type Item = Result<T, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(ready!(self.0.as_mut().poll_next(cx)).map(|r| r.map_err(Into::into)))
    }
}

struct Iter<I>(I);

// Nothing in it is pinned: the iterator is only ever moved as a whole.
impl<I> Unpin for Iter<I> {}

impl<I: Iterator> Stream for Iter<I> {
    type Item = I::Item;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.next())
    }
}

struct Channel<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> Stream for Channel<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_stream::{Header, HeaderValue};
    use aws_smithy_eventstream::frame::{DecodedFrame, MessageFrameDecoder};
    use bytes::BytesMut;

    fn marshall(text: String) -> Result<Message, String> {
        if text == "bad" {
            return Err("cannot marshall `bad`".into());
        }
        Ok(Message::new(Bytes::from(text)).add_header(Header::new(
            ":event-type",
            HeaderValue::String("Text".to_owned().into()),
        )))
    }

    fn credentials() -> Credentials {
        Credentials::new("AKIDEXAMPLE", "SECRET", None, None, "test")
    }

    async fn frames(sender: EventStreamSender<String>) -> Vec<Result<Message, String>> {
        let mut body = sender.into_body(marshall).signed(
            Signer::new("svc", "us-east-1"),
            credentials(),
            "seed".to_owned(),
        );
        let mut out = Vec::new();
        let mut decoder = MessageFrameDecoder::new();
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(chunk) => {
                    let mut buffer = BytesMut::from(&chunk[..]);
                    match decoder.decode_frame(&mut buffer).unwrap() {
                        DecodedFrame::Complete(m) => out.push(Ok(m)),
                        DecodedFrame::Incomplete => panic!("one frame per chunk"),
                    }
                }
                Err(e) => out.push(Err(crate::error::DisplayErrorContext(&e).to_string())),
            }
        }
        out
    }

    #[tokio::test]
    async fn frames_are_signed_wrapped_and_end_with_an_empty_frame() {
        let out = frames(EventStreamSender::from(vec!["a".into(), "b".into()])).await;
        assert_eq!(out.len(), 3);
        let mut decoder = MessageFrameDecoder::new();
        for (frame, text) in out.iter().zip(["a", "b"]) {
            let frame = frame.as_ref().unwrap();
            let names: Vec<&str> = frame.headers().iter().map(|h| h.name().as_str()).collect();
            assert_eq!(names, [":chunk-signature", ":date"]);
            let mut inner = BytesMut::from(&frame.payload()[..]);
            let DecodedFrame::Complete(inner) = decoder.decode_frame(&mut inner).unwrap() else {
                panic!("the payload is a whole message");
            };
            assert_eq!(inner.payload().as_ref(), text.as_bytes());
        }
        let last = out[2].as_ref().unwrap();
        assert!(last.payload().is_empty());
        let signature = |m: &Message| m.headers()[0].value().as_byte_array().unwrap().clone();
        assert_ne!(signature(out[0].as_ref().unwrap()), signature(last));
    }

    #[tokio::test]
    async fn a_failed_event_ends_the_body_with_an_error() {
        let out = frames(EventStreamSender::from(vec![
            "a".into(),
            "bad".into(),
            "c".into(),
        ]))
        .await;
        assert_eq!(out.len(), 2);
        assert!(out[0].is_ok());
        assert!(out[1].as_ref().unwrap_err().contains("bad"), "{:?}", out[1]);
    }

    #[tokio::test]
    async fn a_channel_sends_until_its_sinks_are_dropped() {
        let (sink, sender) = EventStreamSender::<String>::channel(1);
        let feeder = tokio::spawn(async move {
            for text in ["x", "y"] {
                sink.send(text.to_owned()).await.unwrap();
            }
        });
        let out = frames(sender).await;
        feeder.await.unwrap();
        assert_eq!(out.len(), 3, "two events and the final frame");

        let (sink, sender) = EventStreamSender::<String>::channel(1);
        drop(sender);
        assert_eq!(sink.send("late".into()).await, Err(EventSinkClosed));
    }

    #[test]
    fn is_send_and_sync() {
        fn check<T: Send + Sync + 'static>() {}
        check::<EventStreamSender<String>>();
        check::<EventStreamBody>();
    }
}
