//! Event streams (`application/vnd.amazon.eventstream`): the output side. An
//! [`EventReceiver`] reads frames off a response's [`ByteStream`] with
//! `aws-smithy-eventstream`'s frame decoder and hands each message to the operation's
//! unmarshaller. Modeled exception events come out as [`EventStreamError::Modeled`], error
//! messages as [`EventStreamError::Service`], and a malformed or truncated frame, or one with a
//! bad CRC, as [`EventStreamError::Frame`] / [`EventStreamError::Truncated`]: never a panic.
//! An `initial-response` message is kept aside ([`EventReceiver::initial_response`]).
//!
//! The input side, [`EventStreamSender`], is in [`sender`]: typed events in, signed frames out.

use std::fmt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Buf, BytesMut};
use futures_core::Stream;

pub use aws_smithy_types::event_stream::{Header, HeaderValue, Message};

use crate::byte_stream::{ByteStream, ByteStreamError};

pub mod sender;
#[doc(hidden)]
pub use sender::EventStreamBody;
#[doc(inline)]
pub use sender::{EventSink, EventSinkClosed, EventStreamSender};

/// The largest frame accepted (the format's limit is 16 MiB for a message).
const MAX_FRAME: u32 = 16 * 1024 * 1024 + 1024;

/// What an unmarshaller made of one message.
#[derive(Debug)]
pub enum Unmarshalled<T, E> {
    /// An event of the stream.
    Event(T),
    /// A modeled exception event.
    Error(E),
}

/// Turns a message (`:message-type` `event` or `exception`) into a typed event or error.
pub type Unmarshaller<T, E> =
    Box<dyn Fn(&Message) -> Result<Unmarshalled<T, E>, String> + Send + Sync>;

/// Reading an event stream failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError<E> {
    /// The service sent a modeled exception event.
    Modeled(E),
    /// The service sent an error message (`:message-type: error`), or an exception the
    /// model does not describe.
    Service {
        /// `:error-code` / `:exception-type`.
        code: Option<String>,
        /// `:error-message`, or the exception's payload as text.
        message: Option<String>,
    },
    /// A frame is malformed (bad length, bad CRC, bad header) or its message is not one the
    /// operation knows.
    Frame(String),
    /// The stream ended in the middle of a frame.
    Truncated {
        /// How many bytes of the unfinished frame were received.
        received: usize,
    },
    /// The body could not be read.
    Body(ByteStreamError),
}

impl<E: fmt::Display> fmt::Display for EventStreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStreamError::Modeled(e) => write!(f, "{e}"),
            EventStreamError::Service { code, message } => write!(
                f,
                "{}: {}",
                code.as_deref().unwrap_or("unrecognized error"),
                message.as_deref().unwrap_or("(no message)")
            ),
            EventStreamError::Frame(m) => write!(f, "invalid event stream frame: {m}"),
            EventStreamError::Truncated { received } => write!(
                f,
                "the event stream ended inside a frame ({received} bytes of it received)"
            ),
            EventStreamError::Body(e) => write!(f, "{e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for EventStreamError<E> {}

/// The events of a streamed response, in order. See the [module docs](self).
pub struct EventReceiver<T, E> {
    body: ByteStream,
    buffer: BytesMut,
    decoder: aws_smithy_eventstream::frame::MessageFrameDecoder,
    /// Whether the decoder holds no part of a frame (it keeps a consumed prelude).
    at_boundary: bool,
    unmarshall: Unmarshaller<T, E>,
    initial: Option<Message>,
    done: bool,
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The string header `name` of `message` (`:event-type`, `:message-type`, ...).
pub fn header_str<'a>(message: &'a Message, name: &str) -> Option<&'a str> {
    message
        .headers()
        .iter()
        .find(|h| h.name().as_str() == name)
        .and_then(|h| h.value().as_string().ok())
        .map(|s| s.as_str())
}

impl<T, E> EventReceiver<T, E> {
    /// Reads events from `body` with `unmarshall`.
    pub fn new(body: ByteStream, unmarshall: Unmarshaller<T, E>) -> EventReceiver<T, E> {
        EventReceiver {
            body,
            buffer: BytesMut::new(),
            decoder: Default::default(),
            at_boundary: true,
            unmarshall,
            initial: None,
            done: false,
        }
    }

    /// The `initial-response` message, once it was read (it comes first, when the service
    /// sends one).
    pub fn initial_response(&self) -> Option<&Message> {
        self.initial.as_ref()
    }

    /// The next event; `Ok(None)` at the end of the stream. After an error, the stream
    /// ends. The receiver is also a [`futures_core::Stream`] of `Result<T, _>`.
    pub async fn recv(&mut self) -> Result<Option<T>, EventStreamError<E>> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// [`recv`](Self::recv), polled.
    fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<T>, EventStreamError<E>>> {
        if self.done {
            return Poll::Ready(Ok(None));
        }
        let result = loop {
            match ready!(self.poll_message(cx)) {
                Ok(None) => break Ok(None),
                Ok(Some(message)) => match self.classify(message) {
                    Ok(Some(event)) => break Ok(Some(event)),
                    Ok(None) => continue,
                    Err(e) => break Err(e),
                },
                Err(e) => break Err(e),
            }
        };
        if !matches!(result, Ok(Some(_))) {
            self.done = true;
        }
        Poll::Ready(result)
    }

    /// One message, `None` at a clean end.
    fn poll_message(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Option<Message>, EventStreamError<E>>> {
        loop {
            if self.at_boundary && self.buffer.len() >= 4 {
                let total = (&self.buffer[..4]).get_u32();
                if total > MAX_FRAME {
                    return Poll::Ready(Err(EventStreamError::Frame(format!(
                        "a frame of {total} bytes is larger than the {MAX_FRAME}-byte limit"
                    ))));
                }
            }
            let before = self.buffer.len();
            match self.decoder.decode_frame(&mut self.buffer) {
                Ok(aws_smithy_eventstream::frame::DecodedFrame::Complete(message)) => {
                    self.at_boundary = true;
                    return Poll::Ready(Ok(Some(message)));
                }
                Ok(aws_smithy_eventstream::frame::DecodedFrame::Incomplete) => {
                    if self.buffer.len() < before {
                        self.at_boundary = false; // the prelude was consumed
                    }
                }
                Err(e) => return Poll::Ready(Err(EventStreamError::Frame(e.to_string()))),
            }
            match ready!(Pin::new(&mut self.body).poll_next(cx)) {
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(e)) => return Poll::Ready(Err(EventStreamError::Body(e))),
                None if self.at_boundary && self.buffer.is_empty() => return Poll::Ready(Ok(None)),
                None => {
                    let prelude = if self.at_boundary { 0 } else { 12 };
                    return Poll::Ready(Err(EventStreamError::Truncated {
                        received: self.buffer.len() + prelude,
                    }));
                }
            }
        }
    }

    fn classify(&mut self, message: Message) -> Result<Option<T>, EventStreamError<E>> {
        match header_str(&message, ":message-type") {
            Some("event") => {
                if header_str(&message, ":event-type") == Some("initial-response") {
                    self.initial = Some(message);
                    return Ok(None);
                }
                match (self.unmarshall)(&message) {
                    Ok(Unmarshalled::Event(event)) => Ok(Some(event)),
                    Ok(Unmarshalled::Error(e)) => Err(EventStreamError::Modeled(e)),
                    Err(reason) => Err(EventStreamError::Frame(reason)),
                }
            }
            Some("exception") => match (self.unmarshall)(&message) {
                Ok(Unmarshalled::Error(e)) => Err(EventStreamError::Modeled(e)),
                _ => Err(EventStreamError::Service {
                    code: header_str(&message, ":exception-type").map(str::to_owned),
                    message: Some(String::from_utf8_lossy(message.payload()).into_owned()),
                }),
            },
            Some("error") => Err(EventStreamError::Service {
                code: header_str(&message, ":error-code").map(str::to_owned),
                message: header_str(&message, ":error-message").map(str::to_owned),
            }),
            other => Err(EventStreamError::Frame(format!(
                "unknown `:message-type` {other:?}"
            ))),
        }
    }
}

/// An empty stream: what an output holds before its response is read.
impl<T, E> Default for EventReceiver<T, E> {
    fn default() -> Self {
        EventReceiver::new(
            ByteStream::default(),
            Box::new(|_: &Message| Err("no event stream".to_owned())),
        )
    }
}

/// The events in order, then `None`; an error is the last item.
impl<T, E> Stream for EventReceiver<T, E> {
    type Item = Result<T, EventStreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx).map(Result::transpose)
    }
}

/// An `@eventHeader` member's value type, read from a header value.
#[doc(hidden)]
pub trait FromHeader: Sized {
    fn from_header(value: &HeaderValue) -> Option<Self>;
}

macro_rules! from_header {
    ($($ty:ty => $pat:pat => $value:expr),* $(,)?) => {
        $(impl FromHeader for $ty {
            fn from_header(value: &HeaderValue) -> Option<Self> {
                match value {
                    $pat => Some($value),
                    _ => None,
                }
            }
        })*
    };
}

from_header! {
    bool => HeaderValue::Bool(v) => *v,
    i8 => HeaderValue::Byte(v) => *v,
    i16 => HeaderValue::Int16(v) => *v,
    i32 => HeaderValue::Int32(v) => *v,
    i64 => HeaderValue::Int64(v) => *v,
    String => HeaderValue::String(v) => v.as_str().to_owned(),
    Vec<u8> => HeaderValue::ByteArray(v) => v.to_vec(),
    crate::primitives::DateTime => HeaderValue::Timestamp(v) =>
        crate::primitives::DateTime::from_unix_timestamp_nanos(v.as_nanos()).ok()?,
}

/// The `@eventHeader` `name`: `Ok(None)` when absent, an error naming `member` when it has
/// another type.
#[doc(hidden)]
pub fn header<T: FromHeader>(
    message: &Message,
    name: &str,
    member: &str,
) -> Result<Option<T>, String> {
    match message.headers().iter().find(|h| h.name().as_str() == name) {
        None => Ok(None),
        Some(h) => T::from_header(h.value())
            .map(Some)
            .ok_or_else(|| format!("the header `{name}` of `{member}` has the wrong type")),
    }
}

/// An `@eventHeader` member's value type, written as a header value.
#[doc(hidden)]
pub trait ToHeader {
    fn to_header(&self) -> HeaderValue;
}

macro_rules! to_header {
    ($($ty:ty => |$v:ident| $value:expr),* $(,)?) => {
        $(impl ToHeader for $ty {
            fn to_header(&self) -> HeaderValue {
                let $v = self;
                $value
            }
        })*
    };
}

to_header! {
    bool => |v| HeaderValue::Bool(*v),
    i8 => |v| HeaderValue::Byte(*v),
    i16 => |v| HeaderValue::Int16(*v),
    i32 => |v| HeaderValue::Int32(*v),
    i64 => |v| HeaderValue::Int64(*v),
    String => |v| HeaderValue::String(v.clone().into()),
    Vec<u8> => |v| HeaderValue::ByteArray(v.clone().into()),
    crate::primitives::DateTime => |v| HeaderValue::Timestamp(
        aws_smithy_types::DateTime::from_nanos(v.unix_timestamp_nanos())
            .unwrap_or_else(|_| aws_smithy_types::DateTime::from_secs(v.unix_timestamp())),
    ),
}

/// The header `name` with `value`, for a generated marshaller.
#[doc(hidden)]
pub fn to_header<T: ToHeader>(name: &'static str, value: &T) -> Header {
    Header::new(name, value.to_header())
}

/// An event message of an input event stream (`:message-type: event`), as a generated
/// marshaller makes it: `:event-type` the union member, `:content-type` the payload's media
/// type, then the event's `@eventHeader`s.
#[doc(hidden)]
pub fn event_message(
    event_type: &'static str,
    content_type: &'static str,
    payload: bytes::Bytes,
    headers: Vec<Header>,
) -> Message {
    let mut message = Message::new(payload)
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ))
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String(event_type.into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String(content_type.into()),
        ));
    for header in headers {
        message = message.add_header(header);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_eventstream::frame::write_message_to;
    use bytes::Bytes;

    #[derive(Debug, PartialEq)]
    struct Boom(String);

    impl fmt::Display for Boom {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "Boom: {}", self.0)
        }
    }

    fn message(kind: &str, type_header: (&str, &str), payload: &'static str) -> Vec<u8> {
        let message = Message::new(Bytes::from_static(payload.as_bytes()))
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String(kind.to_owned().into()),
            ))
            .add_header(Header::new(
                type_header.0.to_owned(),
                HeaderValue::String(type_header.1.to_owned().into()),
            ));
        let mut out = Vec::new();
        write_message_to(&message, &mut out).unwrap();
        out
    }

    fn event(name: &str, payload: &'static str) -> Vec<u8> {
        message("event", (":event-type", name), payload)
    }

    /// Events are `"<type>:<payload>"`; the `Boom` exception is modeled.
    fn receiver(chunks: Vec<Vec<u8>>) -> EventReceiver<String, Boom> {
        struct Chunks(std::vec::IntoIter<Vec<u8>>);
        impl futures_core::Stream for Chunks {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(
                mut self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<Self::Item>> {
                std::task::Poll::Ready(self.0.next().map(|c| Ok(Bytes::from(c))))
            }
        }
        EventReceiver::new(
            ByteStream::from_stream(Chunks(chunks.into_iter())),
            Box::new(|m: &Message| {
                let payload = String::from_utf8_lossy(m.payload()).into_owned();
                if header_str(m, ":exception-type") == Some("Boom") {
                    return Ok(Unmarshalled::Error(Boom(payload)));
                }
                match header_str(m, ":event-type") {
                    Some(t @ ("Record" | "End")) => {
                        Ok(Unmarshalled::Event(format!("{t}:{payload}")))
                    }
                    other => Err(format!("unknown event {other:?}")),
                }
            }),
        )
    }

    #[tokio::test]
    async fn reads_events_across_chunk_boundaries() {
        let mut all = event("initial-response", "{}");
        all.extend(event("Record", "one"));
        all.extend(event("Record", "two"));
        all.extend(event("End", ""));
        // Every split: byte by byte, and in uneven pieces.
        for size in [1, 7, 13, all.len()] {
            let chunks = all.chunks(size).map(<[u8]>::to_vec).collect();
            let mut rx = receiver(chunks);
            assert_eq!(rx.recv().await.unwrap().as_deref(), Some("Record:one"));
            assert!(rx.initial_response().is_some());
            assert_eq!(rx.recv().await.unwrap().as_deref(), Some("Record:two"));
            assert_eq!(rx.recv().await.unwrap().as_deref(), Some("End:"));
            assert!(rx.recv().await.unwrap().is_none());
            assert!(rx.recv().await.unwrap().is_none());
        }
    }

    #[tokio::test]
    async fn is_a_stream() {
        use std::future::poll_fn;
        let mut rx = receiver(vec![
            event("Record", "one"),
            message("exception", (":exception-type", "Boom"), "x"),
        ]);
        fn next(
            rx: &mut EventReceiver<String, Boom>,
        ) -> impl std::future::Future<Output = Option<Result<String, EventStreamError<Boom>>>> + '_
        {
            poll_fn(|cx| Pin::new(&mut *rx).poll_next(cx))
        }
        assert_eq!(next(&mut rx).await.unwrap().unwrap(), "Record:one");
        assert!(matches!(
            next(&mut rx).await,
            Some(Err(EventStreamError::Modeled(_)))
        ));
        assert!(next(&mut rx).await.is_none());
        let mut empty = EventReceiver::<String, Boom>::default();
        assert!(empty.recv().await.unwrap().is_none());
    }

    #[test]
    fn headers_read_by_type() {
        let m = Message::new(Bytes::new())
            .add_header(Header::new("n", HeaderValue::Int32(7)))
            .add_header(Header::new("s", HeaderValue::String("x".to_owned().into())));
        assert_eq!(header::<i32>(&m, "n", "T.n"), Ok(Some(7)));
        assert_eq!(header::<String>(&m, "s", "T.s"), Ok(Some("x".to_owned())));
        assert_eq!(header::<i64>(&m, "missing", "T.m"), Ok(None));
        assert!(header::<bool>(&m, "n", "T.n").unwrap_err().contains("T.n"));
    }

    #[tokio::test]
    async fn exceptions_and_errors_are_typed() {
        let mut rx = receiver(vec![
            event("Record", "one"),
            message("exception", (":exception-type", "Boom"), "it broke"),
        ]);
        assert_eq!(rx.recv().await.unwrap().as_deref(), Some("Record:one"));
        match rx.recv().await.unwrap_err() {
            EventStreamError::Modeled(e) => assert_eq!(e, Boom("it broke".into())),
            other => panic!("{other:?}"),
        }
        assert!(rx.recv().await.unwrap().is_none(), "ends after an error");

        let mut rx = receiver(vec![message(
            "exception",
            (":exception-type", "Unknown"),
            "what",
        )]);
        let err = rx.recv().await.unwrap_err();
        assert_eq!(err.to_string(), "Unknown: what");

        let mut rx = receiver(vec![message(
            "error",
            (":error-code", "InternalFailure"),
            "",
        )]);
        assert!(matches!(
            rx.recv().await.unwrap_err(),
            EventStreamError::Service { code: Some(c), .. } if c == "InternalFailure"
        ));

        let mut rx = receiver(vec![event("Surprise", "x")]);
        assert!(matches!(
            rx.recv().await.unwrap_err(),
            EventStreamError::Frame(_)
        ));
    }

    #[tokio::test]
    async fn bad_frames_are_errors_not_panics() {
        // A flipped payload byte: the message CRC no longer matches.
        let mut bad = event("Record", "payload");
        let at = bad.len() - 6;
        bad[at] ^= 0xff;
        let err = receiver(vec![bad]).recv().await.unwrap_err();
        assert!(
            matches!(&err, EventStreamError::Frame(m) if m.contains("checksum")),
            "{err}"
        );

        // A flipped prelude byte: the prelude CRC no longer matches.
        let mut bad = event("Record", "payload");
        bad[9] ^= 0x01;
        assert!(matches!(
            receiver(vec![bad]).recv().await.unwrap_err(),
            EventStreamError::Frame(_)
        ));

        // Cut short, inside the prelude and after it.
        let good = event("Record", "payload");
        for cut in [3, 11, 12, 20, good.len() - 1] {
            let err = receiver(vec![good[..cut].to_vec()])
                .recv()
                .await
                .unwrap_err();
            assert!(
                matches!(err, EventStreamError::Truncated { received } if received == cut),
                "{cut}: {err}"
            );
        }

        // A length past the limit is refused before anything is buffered for it.
        let mut huge = vec![0xff, 0xff, 0xff, 0xff];
        huge.extend_from_slice(&[0; 8]);
        assert!(matches!(
            receiver(vec![huge]).recv().await.unwrap_err(),
            EventStreamError::Frame(m) if m.contains("limit")
        ));

        // A length shorter than a prelude.
        let mut short = vec![0, 0, 0, 4, 0, 0, 0, 0];
        short.extend_from_slice(&[0; 8]);
        assert!(receiver(vec![short]).recv().await.is_err());

        // Random bytes never panic.
        let mut seed = 0x9e3779b97f4a7c15u64;
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let _ = receiver(vec![bytes]).recv().await;
        }
    }
}
