//! [`ByteStream`]: the body of a `@streaming` blob member, in both directions.
//!
//! A request takes one from bytes ([`From`]), from a file ([`ByteStream::from_path`], whose
//! length is known) or from any [`Stream`](futures_core::Stream) of [`Bytes`]
//! ([`ByteStream::from_stream`]) or [`http_body::Body`] ([`ByteStream::from_body`]). Bytes and
//! files can be sent again when an attempt is retried; an arbitrary stream cannot, so a call
//! whose request streams one is never retried once the stream was handed to the HTTP client.
//!
//! A response hands its body over unread: read it chunk by chunk with
//! [`next`](ByteStream::next) (or as a `Stream`, or an `http_body::Body`), or buffer it on
//! purpose with [`collect`](ByteStream::collect), which applies the client's response-size
//! cap. Memory use while reading chunk by chunk does not grow with the body's size.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream as _;

use crate::error::BoxError;

/// How many bytes a file is read in at a time.
const FILE_CHUNK: usize = 64 * 1024;

type DynStream = Pin<Box<dyn futures_core::Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A stream of bytes: a `@streaming` blob's body. See the [module docs](self).
pub struct ByteStream {
    inner: Inner,
    /// The cap [`collect`](ByteStream::collect) applies (a response's `max_response_body`).
    limit: Option<u64>,
}

enum Inner {
    /// In memory; `done` once yielded (a clone starts again).
    Bytes { bytes: Bytes, done: bool },
    /// A file of a known length, opened on the first poll.
    File {
        path: PathBuf,
        len: u64,
        read: u64,
        reader: Option<ReaderStream<tokio::io::Take<tokio::fs::File>>>,
    },
    /// Anything else: read once. (A `Mutex` only to make the type `Sync`; it is never
    /// locked, every access goes through `&mut`.)
    Stream {
        stream: Mutex<DynStream>,
        len: Option<u64>,
        done: bool,
    },
}

/// The chunks an [`AsyncRead`](tokio::io::AsyncRead) yields, each up to `capacity` bytes,
/// until it reports the end (a read of zero bytes).
pub(crate) struct ReaderStream<R> {
    reader: Option<R>,
    /// Empty between reads; split off whole into each chunk.
    buffer: bytes::BytesMut,
    capacity: usize,
}

impl<R: tokio::io::AsyncRead + Unpin> ReaderStream<R> {
    pub(crate) fn with_capacity(reader: R, capacity: usize) -> ReaderStream<R> {
        ReaderStream {
            reader: Some(reader),
            buffer: bytes::BytesMut::new(),
            capacity: capacity.max(1),
        }
    }
}

impl<R: tokio::io::AsyncRead + Unpin> futures_core::Stream for ReaderStream<R> {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(reader) = this.reader.as_mut() else {
            return Poll::Ready(None);
        };
        // Zeroed rather than read into uninitialized memory: no `unsafe`, and a memset of one
        // chunk is small beside the read that fills it.
        this.buffer.resize(this.capacity, 0);
        let mut read = tokio::io::ReadBuf::new(&mut this.buffer[..]);
        match Pin::new(reader).poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => {
                this.reader = None;
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(Ok(())) => {
                let n = read.filled().len();
                if n == 0 {
                    this.reader = None;
                    this.buffer = bytes::BytesMut::new();
                    return Poll::Ready(None);
                }
                this.buffer.truncate(n);
                Poll::Ready(Some(Ok(this.buffer.split().freeze())))
            }
        }
    }
}

/// Reading a [`ByteStream`] failed.
#[derive(Debug)]
pub struct ByteStreamError {
    kind: ByteStreamErrorKind,
    detail: Detail,
}

/// What kind of failure a [`ByteStreamError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByteStreamErrorKind {
    /// The source failed: a file could not be read, the connection broke, or the stream
    /// the user supplied returned an error.
    Source,
    /// [`collect`](ByteStream::collect) stopped at the size cap.
    TooLarge,
    /// A file ended before its length when it was opened (it shrank).
    Truncated,
}

#[derive(Debug)]
enum Detail {
    Source(BoxError),
    TooLarge(u64),
    Truncated { expected: u64, got: u64 },
}

impl ByteStreamError {
    fn source_error(e: impl Into<BoxError>) -> ByteStreamError {
        ByteStreamError {
            kind: ByteStreamErrorKind::Source,
            detail: Detail::Source(e.into()),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ByteStreamErrorKind {
        self.kind
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.detail {
            // The cause is the source's.
            Detail::Source(_) => write!(f, "reading the stream failed"),
            Detail::TooLarge(limit) => write!(
                f,
                "the body is larger than the {limit}-byte cap; read it chunk by chunk instead"
            ),
            Detail::Truncated { expected, got } => write!(
                f,
                "the file ended after {got} of its {expected} bytes (it shrank while being sent)"
            ),
        }
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.detail {
            Detail::Source(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl ByteStream {
    /// An empty stream.
    pub fn new() -> ByteStream {
        ByteStream::from(Bytes::new())
    }

    /// The file at `path`, read lazily in 64 KiB chunks. Its length is taken now (so the
    /// request can declare a `Content-Length`); the file is opened again for each attempt.
    pub async fn from_path(path: impl AsRef<Path>) -> std::io::Result<ByteStream> {
        let path = path.as_ref().to_path_buf();
        let metadata = tokio::fs::metadata(&path).await?;
        if !metadata.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is not a regular file", path.display()),
            ));
        }
        Ok(ByteStream::file(path, metadata.len()))
    }

    fn file(path: PathBuf, len: u64) -> ByteStream {
        ByteStream {
            inner: Inner::File {
                path,
                len,
                read: 0,
                reader: None,
            },
            limit: None,
        }
    }

    /// Any stream of byte chunks. It is read once: a request that sends it is not retried.
    /// The length is unknown (see [`with_length`](Self::with_length)).
    pub fn from_stream<S, B, E>(stream: S) -> ByteStream
    where
        S: futures_core::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        ByteStream {
            inner: Inner::Stream {
                stream: Mutex::new(Box::pin(MapStream {
                    inner: Box::pin(stream),
                })),
                len: None,
                done: false,
            },
            limit: None,
        }
    }

    /// Any `http-body` body (its data frames; trailers are dropped). Read once, like
    /// [`from_stream`](Self::from_stream); its exact size hint, when it has one, is the
    /// length.
    pub fn from_body<T>(body: T) -> ByteStream
    where
        T: http_body::Body + Send + 'static,
        T::Data: Into<Bytes>,
        T::Error: Into<BoxError>,
    {
        let len = body.size_hint().exact();
        let mut stream = ByteStream::from_stream(http_body_util::BodyDataStream::new(body));
        if let Inner::Stream { len: l, .. } = &mut stream.inner {
            *l = len;
        }
        stream
    }

    /// Declares the length of a stream made by [`from_stream`](Self::from_stream), for
    /// operations whose member has `@requiresLength`. It is sent as `Content-Length`: the
    /// stream must yield exactly that many bytes.
    pub fn with_length(mut self, length: u64) -> ByteStream {
        if let Inner::Stream { len, .. } = &mut self.inner {
            *len = Some(length);
        }
        self
    }

    /// Sets the cap [`collect`](Self::collect) applies (a response body has the client's
    /// `max_response_body`).
    pub fn with_limit(mut self, limit: u64) -> ByteStream {
        self.limit = Some(limit);
        self
    }

    /// The total length, when known (bytes, files, and streams given one).
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Bytes { bytes, .. } => Some(bytes.len() as u64),
            Inner::File { len, .. } => Some(*len),
            Inner::Stream { len, .. } => *len,
        }
    }

    /// Whether the stream can be sent again (bytes and files can; other streams cannot).
    pub fn is_replayable(&self) -> bool {
        !matches!(self.inner, Inner::Stream { .. })
    }

    /// A fresh copy from the start, for a retry; `None` for a stream that is read once.
    pub fn try_clone(&self) -> Option<ByteStream> {
        let inner = match &self.inner {
            Inner::Bytes { bytes, .. } => Inner::Bytes {
                bytes: bytes.clone(),
                done: false,
            },
            Inner::File { path, len, .. } => Inner::File {
                path: path.clone(),
                len: *len,
                read: 0,
                reader: None,
            },
            Inner::Stream { .. } => return None,
        };
        Some(ByteStream {
            inner,
            limit: self.limit,
        })
    }

    /// The bytes, when the stream is in memory and unread.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Bytes { bytes, done: false } => Some(bytes),
            _ => None,
        }
    }

    /// The next chunk, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// Reads the rest of the stream into memory, failing with
    /// [`ByteStreamErrorKind::TooLarge`] past the cap (a response's is the client's
    /// `max_response_body`), without buffering beyond it.
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        if let Inner::Bytes { bytes, done } = &mut self.inner {
            let bytes = if *done {
                Bytes::new()
            } else {
                std::mem::take(bytes)
            };
            return match self.limit {
                Some(limit) if bytes.len() as u64 > limit => Err(too_large(limit)),
                _ => Ok(bytes),
            };
        }
        let limit = self.limit.unwrap_or(u64::MAX);
        let mut body = crate::http_client::CappedBody::new(self.content_length(), limit)
            .map_err(|_| too_large(limit))?;
        while let Some(chunk) = self.next().await {
            body.push(chunk?).map_err(|_| too_large(limit))?;
        }
        Ok(body.finish())
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        match &mut self.inner {
            Inner::Bytes { bytes, done } => {
                if *done {
                    return Poll::Ready(None);
                }
                *done = true;
                if bytes.is_empty() {
                    Poll::Ready(None)
                } else {
                    Poll::Ready(Some(Ok(bytes.clone())))
                }
            }
            Inner::File {
                path,
                len,
                read,
                reader,
            } => {
                if reader.is_none() {
                    if *read >= *len {
                        return Poll::Ready(None);
                    }
                    // Opening is one short system call; reads go through tokio's pool.
                    let file = match std::fs::File::open(&*path) {
                        Ok(file) => file,
                        Err(e) => {
                            *read = *len;
                            return Poll::Ready(Some(Err(ByteStreamError::source_error(e))));
                        }
                    };
                    let file = tokio::io::AsyncReadExt::take(tokio::fs::File::from_std(file), *len);
                    *reader = Some(ReaderStream::with_capacity(file, FILE_CHUNK));
                }
                let Some(stream) = reader.as_mut() else {
                    return Poll::Ready(None);
                };
                match Pin::new(stream).poll_next(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(Some(Ok(chunk))) => {
                        *read += chunk.len() as u64;
                        Poll::Ready(Some(Ok(chunk)))
                    }
                    Poll::Ready(Some(Err(e))) => {
                        *read = *len;
                        *reader = None;
                        Poll::Ready(Some(Err(ByteStreamError::source_error(e))))
                    }
                    Poll::Ready(None) => {
                        let got = *read;
                        *read = *len;
                        *reader = None;
                        if got < *len {
                            Poll::Ready(Some(Err(ByteStreamError {
                                kind: ByteStreamErrorKind::Truncated,
                                detail: Detail::Truncated {
                                    expected: *len,
                                    got,
                                },
                            })))
                        } else {
                            Poll::Ready(None)
                        }
                    }
                }
            }
            Inner::Stream { stream, done, .. } => {
                if *done {
                    return Poll::Ready(None);
                }
                let stream = stream.get_mut().unwrap_or_else(|e| e.into_inner());
                match stream.as_mut().poll_next(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(None) => {
                        *done = true;
                        Poll::Ready(None)
                    }
                    Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
                    Poll::Ready(Some(Err(e))) => {
                        *done = true;
                        Poll::Ready(Some(Err(ByteStreamError::source_error(e))))
                    }
                }
            }
        }
    }
}

fn too_large(limit: u64) -> ByteStreamError {
    ByteStreamError {
        kind: ByteStreamErrorKind::TooLarge,
        detail: Detail::TooLarge(limit),
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::new()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.inner {
            Inner::Bytes { .. } => "bytes",
            Inner::File { .. } => "file",
            Inner::Stream { .. } => "stream",
        };
        f.debug_struct("ByteStream")
            .field("source", &what)
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream {
            inner: Inner::Bytes { bytes, done: false },
            limit: None,
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        ByteStream::from(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        ByteStream::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::from(Bytes::from(text))
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, None)
    }
}

impl http_body::Body for ByteStream {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, ByteStreamError>>> {
        self.get_mut()
            .poll_chunk(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Bytes { bytes, done } => *done || bytes.is_empty(),
            Inner::File { len, read, .. } => read >= len,
            Inner::Stream { done, .. } => *done,
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        let remaining = match &self.inner {
            Inner::Bytes { bytes, done } => Some(if *done { 0 } else { bytes.len() as u64 }),
            Inner::File { len, read, .. } => Some(len.saturating_sub(*read)),
            Inner::Stream { len, .. } => *len,
        };
        match remaining {
            Some(n) => http_body::SizeHint::with_exact(n),
            None => http_body::SizeHint::default(),
        }
    }
}

/// Maps a user's stream's items to `Result<Bytes, BoxError>`.
struct MapStream<S> {
    inner: Pin<Box<S>>,
}

impl<S, B, E> futures_core::Stream for MapStream<S>
where
    S: futures_core::Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .inner
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map(Into::into).map_err(Into::into)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream over `chunks`, then `Err` when `fail`.
    fn chunks(chunks: Vec<&'static str>, fail: bool) -> ByteStream {
        struct Chunks(std::vec::IntoIter<&'static str>, bool);
        impl futures_core::Stream for Chunks {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(
                mut self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<Self::Item>> {
                Poll::Ready(match self.0.next() {
                    Some(c) => Some(Ok(Bytes::from_static(c.as_bytes()))),
                    None if self.1 => {
                        self.1 = false;
                        Some(Err(std::io::Error::other("boom")))
                    }
                    None => None,
                })
            }
        }
        ByteStream::from_stream(Chunks(chunks.into_iter(), fail))
    }

    #[tokio::test]
    async fn reader_streams_yield_chunks_of_at_most_their_capacity() {
        let text: &[u8] = b"0123456789";
        let mut stream = ByteStream::from_stream(ReaderStream::with_capacity(text, 4));
        let mut sizes = Vec::new();
        let mut all = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.unwrap();
            sizes.push(chunk.len());
            all.extend_from_slice(&chunk);
        }
        assert_eq!(sizes, [4, 4, 2]);
        assert_eq!(all, text);
    }

    #[tokio::test]
    async fn bytes_are_replayable_and_collect_under_the_cap() {
        let stream = ByteStream::from("hello");
        assert!(stream.is_replayable());
        assert_eq!(stream.content_length(), Some(5));
        let mut copy = stream.try_clone().unwrap();
        assert_eq!(copy.next().await.unwrap().unwrap(), "hello");
        assert!(copy.next().await.is_none());
        assert_eq!(
            stream.try_clone().unwrap().collect().await.unwrap(),
            "hello"
        );
        let err = stream.with_limit(4).collect().await.unwrap_err();
        assert_eq!(err.kind(), ByteStreamErrorKind::TooLarge);
        assert!(ByteStream::new().collect().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn streams_are_read_once_and_errors_are_typed() {
        let stream = chunks(vec!["ab", "cd", "e"], false);
        assert!(!stream.is_replayable());
        assert!(stream.try_clone().is_none());
        assert_eq!(stream.content_length(), None);
        assert_eq!(stream.collect().await.unwrap(), "abcde");
        let err = chunks(vec!["ab", "cd", "e"], false)
            .with_limit(4)
            .collect()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ByteStreamErrorKind::TooLarge);
        let mut failing = chunks(vec!["ab"], true);
        assert_eq!(failing.next().await.unwrap().unwrap(), "ab");
        let err = failing.next().await.unwrap().unwrap_err();
        assert_eq!(err.kind(), ByteStreamErrorKind::Source);
        assert_eq!(err.to_string(), "reading the stream failed");
        assert!(
            crate::error::DisplayErrorContext(&err)
                .to_string()
                .contains("boom"),
            "the cause is the source: {err}"
        );
        assert!(failing.next().await.is_none(), "ends after an error");
        assert_eq!(
            chunks(vec![], false).with_length(0).content_length(),
            Some(0)
        );
    }

    #[tokio::test]
    async fn files_are_read_in_chunks_and_reopened_for_each_copy() {
        let dir = std::env::temp_dir().join(format!("byte-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("data.bin");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let stream = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(stream.content_length(), Some(200_000));
        assert!(stream.is_replayable());
        let mut first = stream.try_clone().unwrap();
        let mut read = Vec::new();
        let mut pieces = 0;
        while let Some(chunk) = first.next().await {
            let chunk = chunk.unwrap();
            assert!(chunk.len() <= FILE_CHUNK);
            read.extend_from_slice(&chunk);
            pieces += 1;
        }
        assert_eq!(read, data);
        assert!(pieces >= 3, "{pieces}");
        assert_eq!(stream.try_clone().unwrap().collect().await.unwrap(), data);

        // The file shrank after its length was taken.
        std::fs::write(&path, &data[..1000]).unwrap();
        let err = stream.collect().await.unwrap_err();
        assert_eq!(err.kind(), ByteStreamErrorKind::Truncated);

        std::fs::remove_file(&path).unwrap();
        assert!(ByteStream::from_path(&path).await.is_err());
        assert!(ByteStream::from_path(&dir).await.is_err(), "a directory");
        std::fs::remove_dir(&dir).unwrap();
    }

    #[tokio::test]
    async fn http_bodies_keep_their_length() {
        let body = http_body_util::Full::new(Bytes::from_static(b"full body"));
        let stream = ByteStream::from_body(body);
        assert_eq!(stream.content_length(), Some(9));
        assert_eq!(
            http_body::Body::size_hint(&stream).exact(),
            Some(9),
            "passed on to the HTTP client"
        );
        assert_eq!(stream.collect().await.unwrap(), "full body");
    }

    #[test]
    fn byte_streams_are_send_and_sync() {
        fn check<T: Send + Sync + Unpin + 'static>() {}
        check::<ByteStream>();
    }
}
