//! HTTP request and response values passed between serializers, the HTTP client and
//! deserializers. [`HttpRequest`] and [`HttpResponse`] bodies are fully buffered (`Bytes`):
//! AWS JSON APIs are small, and the client caps the size it will buffer. Operations with a
//! `@streaming` member send a [`ByteStream`](crate::byte_stream::ByteStream) beside the
//! request and get a [`StreamingHttpResponse`] back, whose body is read later.

/// A serialized request, ready to sign and send.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: http::Method,
    /// The absolute URL: the resolved endpoint joined with the operation's path and query.
    pub uri: String,
    /// Request headers (the serializer's; signing and the client add theirs).
    pub headers: http::HeaderMap,
    /// The request body (empty when the operation has none).
    pub body: bytes::Bytes,
}

/// A response as received, with its body fully read.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The response body.
    pub body: bytes::Bytes,
}

impl HttpResponse {
    /// A header's value as text, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The AWS request id (`x-amzn-requestid`, else `x-amz-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
    }
}

/// A response whose body has not been read: what [`HttpClient::send_streaming`]
/// returns.
///
/// [`HttpClient::send_streaming`]: crate::http_client::HttpClient::send_streaming
#[derive(Debug)]
pub struct StreamingHttpResponse {
    /// The status code.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The body, unread.
    pub body: crate::byte_stream::ByteStream,
}

impl StreamingHttpResponse {
    /// Splits off the body: the status and headers as an [`HttpResponse`] with an empty
    /// body, and the body.
    pub fn into_parts(self) -> (HttpResponse, crate::byte_stream::ByteStream) {
        (
            HttpResponse {
                status: self.status,
                headers: self.headers,
                body: bytes::Bytes::new(),
            },
            self.body,
        )
    }
}
