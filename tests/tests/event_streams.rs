//! Event streams end to end, against hyper servers on 127.0.0.1 that speak the event-stream
//! format with the same codec (`aws-smithy-eventstream`), with the `bedrockstreams` crate
//! (`tests/models/bedrockstreams.json`: Bedrock Runtime's `ConverseStream` and
//! `InvokeModelWithBidirectionalStream`, and an input-only audio stream shaped like
//! Transcribe Streaming's):
//!
//! - output: `ConverseStream` events arrive typed, in order and as they are sent; an
//!   exception event is a typed error; a truncated frame or a bad CRC is a typed error;
//! - input: the server checks the request's seed signature and the signature chain of every
//!   frame, recomputed with `aws-sigv4` from the test credentials, and the final empty frame;
//! - both ways over HTTP/2: prior knowledge (h2c) for `http://`, ALPN `h2` over TLS; each
//!   input chunk is answered before the next is sent.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use aws_smithy_eventstream::frame::{write_message_to, DecodedFrame, MessageFrameDecoder};
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bedrockstreams::primitives::{EventStreamError, EventStreamSender};
use bedrockstreams::types::{
    AudioEvent, AudioStream, BidirectionalInputPayloadPart, ConfigurationEvent, ContentBlockDelta,
    ConversationRole, ConverseStreamOutput, ConverseStreamOutputError,
    InvokeModelWithBidirectionalStreamInput, InvokeModelWithBidirectionalStreamOutput, StopReason,
};
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper_util::rt::{TokioExecutor, TokioIo};

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const REGION: &str = "us-west-2";

// ---- the event-stream side of the server -------------------------------------------------

fn string(value: &str) -> HeaderValue {
    HeaderValue::String(value.to_owned().into())
}

/// One encoded frame of `:message-type` `kind`.
fn frame(kind: &str, type_header: (&str, &str), payload: &str) -> Bytes {
    let message = Message::new(Bytes::copy_from_slice(payload.as_bytes()))
        .add_header(Header::new(":message-type", string(kind)))
        .add_header(Header::new(type_header.0.to_owned(), string(type_header.1)))
        .add_header(Header::new(":content-type", string("application/json")));
    let mut out = Vec::new();
    write_message_to(&message, &mut out).unwrap();
    Bytes::from(out)
}

fn event(name: &str, payload: &str) -> Bytes {
    frame("event", (":event-type", name), payload)
}

fn exception(name: &str, payload: &str) -> Bytes {
    frame("exception", (":exception-type", name), payload)
}

/// A response body whose chunks come from a channel, sent as they arrive.
struct ChannelBody(tokio::sync::mpsc::Receiver<Bytes>);

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|chunk| chunk.map(|c| Ok(http_body::Frame::data(c))))
    }
}

fn event_stream_response(rx: tokio::sync::mpsc::Receiver<Bytes>) -> http::Response<ChannelBody> {
    http::Response::builder()
        .header("content-type", "application/vnd.amazon.eventstream")
        .header("x-amzn-requestid", "req-stream")
        .body(ChannelBody(rx))
        .unwrap()
}

// ---- SigV4 checks on the server side, with aws-sigv4 ---------------------------------------

fn credentials_identity() -> aws_smithy_runtime_api::client::identity::Identity {
    aws_credential_types::Credentials::from_keys(KEY, SECRET, None).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the request head's signature (recomputed from the headers it names, its
/// `x-amz-date` and the `STREAMING-AWS4-HMAC-SHA256-EVENTS` payload) and returns it: the
/// seed of the frames' chain.
fn verify_head(parts: &http::request::Parts) -> Result<String, String> {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| format!("no `{name}` header"))
    };
    if header("x-amz-content-sha256")? != "STREAMING-AWS4-HMAC-SHA256-EVENTS" {
        return Err("the payload hash is not STREAMING-AWS4-HMAC-SHA256-EVENTS".into());
    }
    if header("content-type")? != "application/vnd.amazon.eventstream" {
        return Err("the content type is not application/vnd.amazon.eventstream".into());
    }
    let authorization = header("authorization")?;
    let signed_headers = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .ok_or("no SignedHeaders")?;
    let date = time::PrimitiveDateTime::parse(
        header("x-amz-date")?,
        time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"),
    )
    .map_err(|e| e.to_string())?
    .assume_utc();
    let time = SystemTime::from(date);
    let authority = parts
        .uri
        .authority()
        .map(|a| a.to_string())
        .or_else(|| header("host").ok().map(str::to_owned))
        .ok_or("no authority")?;
    let uri = format!("http://{authority}{}", parts.uri.path());
    let mut headers = Vec::new();
    for name in signed_headers.split(';') {
        // aws-sigv4 adds these itself.
        if matches!(name, "x-amz-date" | "x-amz-content-sha256") {
            continue;
        }
        if name == "host" && parts.headers.get("host").is_none() {
            continue; // HTTP/2: the authority is the URI's
        }
        headers.push((name, header(name)?));
    }
    let identity = credentials_identity();
    let mut settings = aws_sigv4::http_request::SigningSettings::default();
    settings.payload_checksum_kind = aws_sigv4::http_request::PayloadChecksumKind::XAmzSha256;
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("bedrock")
        .time(time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let signable = aws_sigv4::http_request::SignableRequest::new(
        parts.method.as_str(),
        uri,
        headers.into_iter(),
        aws_sigv4::http_request::SignableBody::Precomputed(
            "STREAMING-AWS4-HMAC-SHA256-EVENTS".into(),
        ),
    )
    .map_err(|e| e.to_string())?;
    let (_, expected) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let sent = authorization
        .split("Signature=")
        .nth(1)
        .ok_or("no Signature")?;
    if sent != expected {
        return Err(format!(
            "the request signature {sent} is not the expected {expected}"
        ));
    }
    Ok(expected)
}

/// Checks one received frame against the chain: its `:chunk-signature` is what aws-sigv4
/// computes for its payload at its `:date` from `previous`. Returns the inner message
/// (`None` for the final empty frame) and the frame's signature.
fn verify_frame(frame: &Message, previous: &str) -> Result<(Option<Message>, String), String> {
    let header = |name: &str| {
        frame
            .headers()
            .iter()
            .find(|h| h.name().as_str() == name)
            .map(|h| h.value().clone())
            .ok_or_else(|| format!("the frame has no `{name}`"))
    };
    let date = header(":date")?
        .as_timestamp()
        .map_err(|_| ":date is not a timestamp")?;
    let time = SystemTime::try_from(date).map_err(|e| e.to_string())?;
    let sent = hex(header(":chunk-signature")?
        .as_byte_array()
        .map_err(|_| ":chunk-signature is not bytes")?);
    let identity = credentials_identity();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("bedrock")
        .time(time)
        .settings(())
        .build()
        .unwrap();
    let (inner, expected) = if frame.payload().is_empty() {
        let signed = aws_sigv4::event_stream::sign_empty_message(previous, &params)
            .map_err(|e| e.to_string())?;
        (None, signed.into_parts().1)
    } else {
        let mut payload = BytesMut::from(&frame.payload()[..]);
        let inner = match MessageFrameDecoder::new().decode_frame(&mut payload) {
            Ok(DecodedFrame::Complete(m)) if payload.is_empty() => m,
            _ => return Err("the payload is not one whole message".into()),
        };
        let signed = aws_sigv4::event_stream::sign_message(&inner, previous, &params)
            .map_err(|e| e.to_string())?;
        (Some(inner), signed.into_parts().1)
    };
    if sent != expected {
        return Err(format!("frame signature {sent}, expected {expected}"));
    }
    Ok((inner, expected))
}

/// What the server made of an input event stream.
#[derive(Debug, Default, Clone)]
struct Received {
    version: Option<http::Version>,
    path: String,
    /// The inner messages, in order, each verified.
    events: Vec<Message>,
    /// Whether the final empty signed frame came (and was last).
    ended: bool,
    /// The first verification failure.
    error: Option<String>,
}

/// Reads verified messages off `body`, calling `on_event` with each inner message.
async fn read_signed_frames(
    parts: &http::request::Parts,
    mut body: hyper::body::Incoming,
    received: &Mutex<Received>,
    mut on_event: impl FnMut(&Message),
) {
    let mut previous = match verify_head(parts) {
        Ok(seed) => seed,
        Err(e) => {
            received.lock().unwrap().error = Some(e);
            return;
        }
    };
    let mut decoder = MessageFrameDecoder::new();
    let mut buffer = BytesMut::new();
    loop {
        match decoder.decode_frame(&mut buffer) {
            Ok(DecodedFrame::Complete(frame)) => {
                let mut r = received.lock().unwrap();
                if r.ended {
                    r.error = Some("a frame after the final empty frame".into());
                    return;
                }
                match verify_frame(&frame, &previous) {
                    Ok((Some(inner), signature)) => {
                        previous = signature;
                        on_event(&inner);
                        r.events.push(inner);
                    }
                    Ok((None, _)) => r.ended = true,
                    Err(e) => {
                        r.error = Some(e);
                        return;
                    }
                }
                continue;
            }
            Ok(DecodedFrame::Incomplete) => {}
            Err(e) => {
                received.lock().unwrap().error = Some(e.to_string());
                return;
            }
        }
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    buffer.extend_from_slice(&data);
                }
            }
            Some(Err(e)) => {
                received.lock().unwrap().error = Some(format!("reading the body: {e}"));
                return;
            }
            None => {
                if !buffer.is_empty() {
                    received.lock().unwrap().error = Some("the body ended inside a frame".into());
                }
                return;
            }
        }
    }
}

fn header_str<'a>(message: &'a Message, name: &str) -> Option<&'a str> {
    message
        .headers()
        .iter()
        .find(|h| h.name().as_str() == name)
        .and_then(|h| h.value().as_string().ok())
        .map(|s| s.as_str())
}

// ---- the servers ------------------------------------------------------------------------

/// How a test server answers one request.
type Handler = Arc<
    dyn Fn(
            http::Request<hyper::body::Incoming>,
        )
            -> Pin<Box<dyn std::future::Future<Output = http::Response<ChannelBody>> + Send>>
        + Send
        + Sync,
>;

/// A server on 127.0.0.1: HTTP/1.1 (`h2: false`) or only HTTP/2 with prior knowledge. Stops
/// when dropped.
struct Server {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn server(h2: bool, handler: Handler) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        while let Ok((socket, _)) = listener.accept().await {
            let handler = handler.clone();
            connections.spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let handler = handler.clone();
                    async move { Ok::<_, Infallible>(handler(request).await) }
                });
                let io = TokioIo::new(socket);
                if h2 {
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(io, service)
                        .await;
                } else {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                }
            });
        }
    });
    Server { url, task }
}

fn client(endpoint: &str) -> bedrockstreams::Client {
    client_with(endpoint, None)
}

fn client_with(
    endpoint: &str,
    http: Option<bedrockstreams::config::DefaultHttpClient>,
) -> bedrockstreams::Client {
    let mut builder = bedrockstreams::Config::builder()
        .region(REGION)
        .credentials(aws_credential_types::Credentials::from_keys(
            KEY, SECRET, None,
        ))
        .endpoint_url(endpoint)
        .max_attempts(1);
    if let Some(http) = http {
        builder = builder.http_client(http);
    }
    bedrockstreams::Client::new(builder.build())
}

/// A server that answers `ConverseStream` with `frames`, sending the first one, then the
/// rest once `go` fires (so a test can see the first event before the others exist).
async fn converse_server(
    frames: Vec<Bytes>,
    go: Option<tokio::sync::oneshot::Receiver<()>>,
) -> Server {
    let state = Arc::new(Mutex::new(Some((frames, go))));
    server(
        false,
        Arc::new(move |request| {
            let state = state.clone();
            Box::pin(async move {
                assert_eq!(request.uri().path(), "/model/claude/converse-stream");
                let (frames, go) = state.lock().unwrap().take().expect("one request");
                let (tx, rx) = tokio::sync::mpsc::channel(16);
                tokio::spawn(async move {
                    let mut frames = frames.into_iter();
                    if let Some(first) = frames.next() {
                        let _ = tx.send(first).await;
                    }
                    if let Some(go) = go {
                        let _ = go.await;
                    }
                    for frame in frames {
                        let _ = tx.send(frame).await;
                    }
                });
                event_stream_response(rx)
            })
        }),
    )
    .await
}

async fn converse(
    server: &Server,
) -> bedrockstreams::primitives::EventReceiver<ConverseStreamOutput, ConverseStreamOutputError> {
    let output = client(&server.url)
        .converse_stream()
        .model_id("claude")
        .messages(
            bedrockstreams::types::Message::builder()
                .role(ConversationRole::User)
                .content(bedrockstreams::types::ContentBlock::Text("Hello".into()))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    output.stream.expect("the output has its stream")
}

// ---- output streams ------------------------------------------------------------------------

#[tokio::test]
async fn converse_stream_events_arrive_typed_in_order_and_as_sent() {
    let (go, wait) = tokio::sync::oneshot::channel();
    let server = converse_server(
        vec![
            event("messageStart", r#"{"role":"assistant"}"#),
            event("contentBlockDelta", r#"{"delta":{"text":"Hel"},"contentBlockIndex":0}"#),
            event("contentBlockDelta", r#"{"delta":{"text":"lo!"},"contentBlockIndex":0}"#),
            event("contentBlockStop", r#"{"contentBlockIndex":0}"#),
            event("messageStop", r#"{"stopReason":"end_turn"}"#),
            event(
                "metadata",
                r#"{"usage":{"inputTokens":3,"outputTokens":2,"totalTokens":5},"metrics":{"latencyMs":42}}"#,
            ),
        ],
        Some(wait),
    )
    .await;
    let mut events = converse(&server).await;
    // The first event is read while the server holds back the others.
    match events.recv().await.unwrap() {
        Some(ConverseStreamOutput::MessageStart(start)) => {
            assert_eq!(start.role, ConversationRole::Assistant)
        }
        other => panic!("{other:?}"),
    }
    go.send(()).unwrap();
    let mut text = String::new();
    let mut kinds = Vec::new();
    while let Some(event) = events.recv().await.unwrap() {
        match &event {
            ConverseStreamOutput::ContentBlockDelta(delta) => {
                assert_eq!(delta.content_block_index, 0);
                let ContentBlockDelta::Text(t) = &delta.delta else {
                    panic!("{delta:?}")
                };
                text.push_str(t);
                kinds.push("delta");
            }
            ConverseStreamOutput::ContentBlockStop(stop) => {
                assert_eq!(stop.content_block_index, 0);
                kinds.push("stop");
            }
            ConverseStreamOutput::MessageStop(stop) => {
                assert_eq!(stop.stop_reason, StopReason::EndTurn);
                kinds.push("messageStop");
            }
            ConverseStreamOutput::Metadata(m) => {
                assert_eq!(
                    (
                        m.usage.input_tokens,
                        m.usage.output_tokens,
                        m.usage.total_tokens
                    ),
                    (3, 2, 5)
                );
                assert_eq!(m.metrics.latency_ms, 42);
                kinds.push("metadata");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(text, "Hello!");
    assert_eq!(kinds, ["delta", "delta", "stop", "messageStop", "metadata"]);
    assert!(events.recv().await.unwrap().is_none(), "stays ended");
}

#[tokio::test]
async fn an_exception_event_is_a_typed_error() {
    let server = converse_server(
        vec![
            event("messageStart", r#"{"role":"assistant"}"#),
            exception(
                "modelStreamErrorException",
                r#"{"message":"the model failed","originalStatusCode":500,"originalMessage":"boom"}"#,
            ),
            event("contentBlockStop", r#"{"contentBlockIndex":0}"#),
        ],
        None,
    )
    .await;
    let mut events = converse(&server).await;
    assert!(matches!(
        events.recv().await.unwrap(),
        Some(ConverseStreamOutput::MessageStart(_))
    ));
    match events.recv().await.unwrap_err() {
        EventStreamError::Modeled(ConverseStreamOutputError::ModelStreamErrorException(e)) => {
            assert_eq!(e.message(), Some("the model failed"));
            assert_eq!(e.original_status_code(), Some(500));
            assert_eq!(e.original_message(), Some("boom"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        events.recv().await.unwrap().is_none(),
        "the stream ends after an error"
    );

    let server = converse_server(
        vec![exception(
            "throttlingException",
            r#"{"message":"slow down"}"#,
        )],
        None,
    )
    .await;
    let err = converse(&server).await.recv().await.unwrap_err();
    assert!(
        matches!(&err, EventStreamError::Modeled(ConverseStreamOutputError::ThrottlingException(t)) if t.message() == Some("slow down")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_truncated_frame_or_a_bad_crc_is_a_typed_error() {
    let good = event("messageStart", r#"{"role":"assistant"}"#);
    let delta = event(
        "contentBlockDelta",
        r#"{"delta":{"text":"x"},"contentBlockIndex":0}"#,
    );

    // Cut short: the connection ends inside the second frame.
    let cut = delta.slice(..delta.len() - 5);
    let server = converse_server(vec![good.clone(), cut.clone()], None).await;
    let mut events = converse(&server).await;
    assert!(events.recv().await.unwrap().is_some());
    match events.recv().await.unwrap_err() {
        EventStreamError::Truncated { received } => assert_eq!(received, cut.len()),
        other => panic!("{other:?}"),
    }

    // A payload byte flipped: the message CRC does not match.
    let mut bad = delta.to_vec();
    let at = bad.len() - 8;
    bad[at] ^= 0x20;
    let server = converse_server(vec![good, Bytes::from(bad)], None).await;
    let mut events = converse(&server).await;
    assert!(events.recv().await.unwrap().is_some());
    let err = events.recv().await.unwrap_err();
    assert!(
        matches!(&err, EventStreamError::Frame(m) if m.contains("checksum")),
        "{err:?}"
    );
    assert!(events.recv().await.unwrap().is_none());
}

// ---- input streams ---------------------------------------------------------------------------

#[tokio::test]
async fn input_frames_are_signed_in_a_chain_and_end_with_an_empty_frame() {
    let received = Arc::new(Mutex::new(Received::default()));
    let seen = received.clone();
    let server = server(
        false,
        Arc::new(move |request: http::Request<hyper::body::Incoming>| {
            let received = seen.clone();
            Box::pin(async move {
                let (parts, body) = request.into_parts();
                {
                    let mut r = received.lock().unwrap();
                    r.version = Some(parts.version);
                    r.path = parts.uri.path().to_owned();
                }
                read_signed_frames(&parts, body, &received, |_| {}).await;
                let (events, bytes) = {
                    let r = received.lock().unwrap();
                    let audio: usize = r
                        .events
                        .iter()
                        .filter(|m| header_str(m, ":event-type") == Some("AudioEvent"))
                        .map(|m| m.payload().len())
                        .sum();
                    (r.events.len(), audio)
                };
                let (tx, rx) = tokio::sync::mpsc::channel(1);
                tx.send(Bytes::from(format!(
                    r#"{{"eventCount":{events},"byteCount":{bytes}}}"#
                )))
                .await
                .unwrap();
                let mut response = event_stream_response(rx);
                response
                    .headers_mut()
                    .insert("content-type", "application/json".parse().unwrap());
                response
                    .headers_mut()
                    .insert("x-amz-session-id", "s-1".parse().unwrap());
                response
            })
        }),
    )
    .await;
    let events = vec![
        AudioStream::ConfigurationEvent(
            ConfigurationEvent::builder()
                .sequence(7)
                .channel_count(2)
                .label("call")
                .build(),
        ),
        AudioStream::AudioEvent(AudioEvent::builder().audio_chunk(vec![1u8; 1000]).build()),
        AudioStream::AudioEvent(AudioEvent::builder().audio_chunk(vec![2u8; 24]).build()),
    ];
    let output = client(&server.url)
        .start_audio_upload()
        .session_id("s-1")
        .language_code("en-US")
        .audio_stream(events)
        .send()
        .await
        .unwrap();
    assert_eq!(output.event_count, Some(3));
    assert_eq!(output.byte_count, Some(1024));
    assert_eq!(output.session_id.as_deref(), Some("s-1"));

    let r = received.lock().unwrap().clone();
    assert_eq!(r.error, None);
    assert_eq!(r.path, "/audio/s-1");
    assert_eq!(
        r.version,
        Some(http::Version::HTTP_11),
        "input-only: HTTP/1.1"
    );
    assert!(r.ended, "the final empty signed frame came");
    assert_eq!(r.events.len(), 3);
    // The configuration: its `@eventHeader` as a header, the rest as JSON.
    let config = &r.events[0];
    assert_eq!(header_str(config, ":message-type"), Some("event"));
    assert_eq!(
        header_str(config, ":event-type"),
        Some("ConfigurationEvent")
    );
    assert_eq!(
        header_str(config, ":content-type"),
        Some("application/json")
    );
    let sequence = config
        .headers()
        .iter()
        .find(|h| h.name().as_str() == "sequence")
        .map(|h| h.value().clone());
    assert_eq!(sequence, Some(HeaderValue::Int64(7)));
    let json: serde_json::Value = serde_json::from_slice(config.payload()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"channelCount": 2, "label": "call"})
    );
    // Audio: the raw bytes are the payload.
    assert_eq!(
        header_str(&r.events[1], ":content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(r.events[1].payload().as_ref(), &[1u8; 1000][..]);
}

/// The verifier itself: a frame altered in any way, or signed out of order, fails.
#[test]
fn the_server_side_check_fails_on_a_broken_chain() {
    let signer = |message: Option<&Message>, previous: &str| {
        let identity = credentials_identity();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(REGION)
            .name("bedrock")
            .time(SystemTime::now())
            .settings(())
            .build()
            .unwrap();
        match message {
            Some(m) => aws_sigv4::event_stream::sign_message(m, previous, &params),
            None => aws_sigv4::event_stream::sign_empty_message(previous, &params),
        }
        .unwrap()
        .into_parts()
    };
    let inner = Message::new(Bytes::from_static(b"audio"))
        .add_header(Header::new(":event-type", string("AudioEvent")));
    let (first, sig1) = signer(Some(&inner), "seed");
    let (last, _) = signer(None, &sig1);
    assert!(verify_frame(&first, "seed").is_ok());
    assert!(verify_frame(&last, &sig1).is_ok());
    assert!(verify_frame(&first, "another seed").is_err(), "wrong seed");
    assert!(verify_frame(&last, "seed").is_err(), "out of order");
    // A different inner message under the same signature.
    let mut tampered = Message::new(Bytes::from_static(b"AUDIO"))
        .add_header(Header::new(":event-type", string("AudioEvent")));
    let mut wrapped = Vec::new();
    write_message_to(&tampered, &mut wrapped).unwrap();
    tampered = Message::new(Bytes::from(wrapped));
    for h in first.headers() {
        tampered = tampered.add_header(h.clone());
    }
    assert!(verify_frame(&tampered, "seed").is_err(), "tampered payload");
}

// ---- both ways, over HTTP/2 --------------------------------------------------------------------

/// A bidirectional server: every verified `chunk` is answered at once with a `chunk` of its
/// bytes upper-cased; the response ends after the final empty frame.
fn echo_handler(received: Arc<Mutex<Received>>) -> Handler {
    Arc::new(move |request: http::Request<hyper::body::Incoming>| {
        let received = received.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            {
                let mut r = received.lock().unwrap();
                r.version = Some(parts.version);
                r.path = parts.uri.path().to_owned();
            }
            let (tx, rx) = tokio::sync::mpsc::channel(16);
            tokio::spawn(async move {
                read_signed_frames(&parts, body, &received, |inner| {
                    let json: serde_json::Value =
                        serde_json::from_slice(inner.payload()).unwrap_or_default();
                    let text = json["bytes"].as_str().unwrap_or_default();
                    let decoded = base64_decode(text).to_ascii_uppercase();
                    let reply = event(
                        "chunk",
                        &serde_json::json!({ "bytes": base64_encode(&decoded) }).to_string(),
                    );
                    let _ = tx.try_send(reply);
                })
                .await;
                // `tx` is dropped: the response ends.
            });
            event_stream_response(rx)
        })
    })
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let Some(v) = B64.iter().position(|b| *b == c) else {
            return Vec::new();
        };
        bits = (bits << 6) | v as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

fn chunk(text: &str) -> InvokeModelWithBidirectionalStreamInput {
    InvokeModelWithBidirectionalStreamInput::Chunk(
        BidirectionalInputPayloadPart::builder()
            .bytes(text.as_bytes().to_vec())
            .build(),
    )
}

async fn talk(client: &bedrockstreams::Client) -> Vec<String> {
    let (sink, sender) = EventStreamSender::channel(1);
    let mut output = tokio::time::timeout(
        Duration::from_secs(10),
        client
            .invoke_model_with_bidirectional_stream()
            .model_id("nova-sonic")
            .body(sender)
            .send(),
    )
    .await
    .expect("the response head comes before the input ends")
    .unwrap();
    let mut replies = Vec::new();
    for text in ["hello", "world"] {
        sink.send(chunk(text)).await.unwrap();
        // The reply to this chunk comes while the input is still open.
        let reply = tokio::time::timeout(Duration::from_secs(10), output.body.recv())
            .await
            .expect("each chunk is answered before the next is sent")
            .unwrap();
        match reply {
            Some(InvokeModelWithBidirectionalStreamOutput::Chunk(part)) => {
                replies.push(String::from_utf8(part.bytes.unwrap_or_default()).unwrap())
            }
            other => panic!("{other:?}"),
        }
    }
    drop(sink); // the final empty frame
    let end = tokio::time::timeout(Duration::from_secs(10), output.body.recv())
        .await
        .expect("the response ends after the input does")
        .unwrap();
    assert!(end.is_none(), "{end:?}");
    replies
}

#[tokio::test]
async fn bidirectional_over_http2_with_prior_knowledge() {
    let received = Arc::new(Mutex::new(Received::default()));
    // This server speaks only HTTP/2: an HTTP/1.1 request would fail.
    let server = server(true, echo_handler(received.clone())).await;
    let replies = talk(&client(&server.url)).await;
    assert_eq!(replies, ["HELLO", "WORLD"]);
    let r = received.lock().unwrap().clone();
    assert_eq!(r.error, None);
    assert_eq!(r.version, Some(http::Version::HTTP_2));
    assert_eq!(r.path, "/model/nova-sonic/invoke-with-bidirectional-stream");
    assert_eq!(r.events.len(), 2);
    assert!(r.ended);
    for inner in &r.events {
        assert_eq!(header_str(inner, ":event-type"), Some("chunk"));
    }
}

#[tokio::test]
async fn an_operation_without_http2_needs_speaks_http1_to_an_http_endpoint() {
    // `ConverseStream` (output only, Bedrock's protocol lists no versions) does not need
    // HTTP/2: against an h2-only server over `http://`, the HTTP/1.1 request fails as a
    // transport error, which is what tells the two pools apart.
    let server = server(
        true,
        Arc::new(|_request| {
            Box::pin(async move {
                let (_tx, rx) = tokio::sync::mpsc::channel(1);
                event_stream_response(rx)
            })
        }),
    )
    .await;
    let err = client(&server.url)
        .converse_stream()
        .model_id("claude")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, bedrockstreams::error::Error::Transport(_)),
        "{err:?}"
    );
}

/// Over TLS, the HTTP/2-only pool offers only `h2` by ALPN.
#[tokio::test]
async fn bidirectional_over_tls_negotiates_h2_by_alpn() {
    use tokio_rustls::rustls;
    let mut params = rcgen::CertificateParams::default();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca_cert = params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(params, ca_key);
    let mut leaf = rcgen::CertificateParams::default();
    leaf.subject_alt_names = vec![rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap())];
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = leaf.signed_by(&key, &issuer).unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
    .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Received::default()));
    let alpn = Arc::new(Mutex::new(Vec::new()));
    let handler = echo_handler(received.clone());
    let server_alpn = alpn.clone();
    let task = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, handler, alpn) =
                (acceptor.clone(), handler.clone(), server_alpn.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(socket).await else {
                    return;
                };
                alpn.lock()
                    .unwrap()
                    .push(tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec));
                let service = hyper::service::service_fn(move |request| {
                    let handler = handler.clone();
                    async move { Ok::<_, Infallible>(handler(request).await) }
                });
                let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    let http = bedrockstreams::config::DefaultHttpClient::builder()
        .add_root_certificate(ca_cert.pem())
        .proxies_from_env(false)
        .build()
        .unwrap();
    let replies = talk(&client_with(&url, Some(http))).await;
    task.abort();
    assert_eq!(replies, ["HELLO", "WORLD"]);
    assert_eq!(*alpn.lock().unwrap(), [Some(b"h2".to_vec())]);
    let r = received.lock().unwrap().clone();
    assert_eq!(r.error, None, "the signatures check out over TLS too");
    assert_eq!(r.version, Some(http::Version::HTTP_2));
    assert!(r.ended);
}

#[tokio::test]
async fn a_failing_event_source_cuts_the_request_off() {
    let received = Arc::new(Mutex::new(Received::default()));
    let server = server(true, echo_handler(received.clone())).await;
    struct Failing(u8);
    impl futures_core::Stream for Failing {
        type Item = Result<InvokeModelWithBidirectionalStreamInput, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            self.0 += 1;
            Poll::Ready(Some(match self.0 {
                1 => Ok(chunk("one")),
                _ => Err(std::io::Error::other("the microphone broke")),
            }))
        }
    }
    let result = client(&server.url)
        .invoke_model_with_bidirectional_stream()
        .model_id("m")
        .body(EventStreamSender::fallible(Failing(0)))
        .send()
        .await;
    // Whether the head came back first or not, the stream never completes normally.
    if let Ok(mut output) = result {
        let mut outcome = output.body.recv().await;
        while let Ok(Some(_)) = outcome {
            outcome = output.body.recv().await;
        }
        assert!(outcome.is_err(), "{outcome:?}");
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let r = received.lock().unwrap().clone();
    assert!(!r.ended, "no final frame after a failure");
    assert!(r.events.len() <= 1);
}
