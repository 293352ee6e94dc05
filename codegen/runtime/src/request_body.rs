//! What the client does to a serialized request body before signing, per operation
//! ([`BodyStep`], listed by generated code in `Operation::BODY_STEPS`): `@requestCompression`
//! (gzip), `@httpChecksumRequired` (`Content-MD5`), and SHA-256 tree-hash checksums
//! (`x-amz-sha256-tree-hash` / `x-amz-content-sha256`, a service customization). Steps run
//! in order; a header the request already has is left alone.

#[cfg(feature = "request-compression")]
use std::io::Write;

#[cfg(feature = "content-md5")]
use base64::Engine;
#[cfg(feature = "content-md5")]
use md5::Md5;
use sha2::{Digest, Sha256};

use crate::byte_stream::ByteStream;
use crate::config::SharedConfig;
use crate::http::HttpRequest;

/// The tree hash's chunk size: 1 MiB.
pub const TREE_HASH_CHUNK: usize = 1 << 20;

/// The largest `request_min_compression_size_bytes` the Smithy spec allows (10 MiB).
pub const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

/// One step applied to an operation's serialized request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyStep {
    /// `@requestCompression` with `gzip` among its encodings: a buffered body at least the
    /// configured minimum size is gzipped and `gzip` appended to `Content-Encoding`, unless
    /// the configuration disables request compression. Streamed bodies are sent as they are.
    /// Behind the `request-compression` feature.
    #[cfg(feature = "request-compression")]
    Gzip,
    /// `@httpChecksumRequired`: `Content-MD5`, the base64 MD5 of the body sent. Behind the
    /// `content-md5` feature.
    #[cfg(feature = "content-md5")]
    ContentMd5,
    /// `x-amz-sha256-tree-hash` (the SHA-256 tree hash over 1 MiB chunks) and
    /// `x-amz-content-sha256` (the hex SHA-256) of the body sent; a streamed body is read
    /// through a replay when it can be replayed, else left without them.
    Sha256TreeHash,
}

/// Runs `steps` on `request` (and the streamed body beside it, if any).
pub async fn apply(
    steps: &[BodyStep],
    request: &mut HttpRequest,
    stream: Option<&ByteStream>,
    config: &SharedConfig,
) -> Result<(), crate::byte_stream::ByteStreamError> {
    // Only `Gzip` reads the configuration.
    #[cfg(not(feature = "request-compression"))]
    let _ = config;
    for step in steps {
        match step {
            #[cfg(feature = "request-compression")]
            BodyStep::Gzip => {
                if stream.is_none() {
                    gzip(request, config);
                }
            }
            #[cfg(feature = "content-md5")]
            BodyStep::ContentMd5 => {
                if request.headers.contains_key("content-md5") {
                    continue;
                }
                let digest = match stream {
                    None => Some(Md5::digest(&request.body).to_vec()),
                    Some(stream) => {
                        let mut hasher = Md5::new();
                        read_stream(stream, |chunk| hasher.update(chunk))
                            .await?
                            .then(|| hasher.finalize().to_vec())
                    }
                };
                if let Some(digest) = digest {
                    let value = base64::engine::general_purpose::STANDARD.encode(digest);
                    insert(request, "content-md5", &value);
                }
            }
            BodyStep::Sha256TreeHash => {
                let mut tree = TreeHasher::default();
                let mut full = Sha256::new();
                let read = match stream {
                    None => {
                        tree.update(&request.body);
                        full.update(&request.body);
                        true
                    }
                    Some(stream) => {
                        read_stream(stream, |chunk| {
                            tree.update(chunk);
                            full.update(chunk);
                        })
                        .await?
                    }
                };
                if read {
                    if !request.headers.contains_key("x-amz-sha256-tree-hash") {
                        insert(request, "x-amz-sha256-tree-hash", &hex(&tree.finish()));
                    }
                    if !request.headers.contains_key("x-amz-content-sha256") {
                        insert(request, "x-amz-content-sha256", &hex(&full.finalize()));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Feeds every chunk of a replay of `stream` to `f`; `false` (nothing read) when the stream
/// cannot be replayed.
async fn read_stream(
    stream: &ByteStream,
    mut f: impl FnMut(&[u8]),
) -> Result<bool, crate::byte_stream::ByteStreamError> {
    if let Some(bytes) = stream.bytes() {
        f(bytes);
        return Ok(true);
    }
    let Some(mut replay) = stream.try_clone() else {
        tracing::debug!("request body checksum skipped: the stream cannot be replayed");
        return Ok(false);
    };
    while let Some(chunk) = replay.next().await {
        f(&chunk?);
    }
    Ok(true)
}

fn insert(request: &mut HttpRequest, name: &'static str, value: &str) {
    if let Ok(value) = http::HeaderValue::from_str(value) {
        request.headers.insert(name, value);
    }
}

/// Gzips a buffered body per the configuration, appending `gzip` to `Content-Encoding`
/// (after an encoding the request already names).
#[cfg(feature = "request-compression")]
fn gzip(request: &mut HttpRequest, config: &SharedConfig) {
    if config.disable_request_compression()
        || request.body.len() < config.request_min_compression_size_bytes() as usize
    {
        return;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let Ok(compressed) = encoder
        .write_all(&request.body)
        .and_then(|()| encoder.finish())
    else {
        return;
    };
    let encoding = match request
        .headers
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
    {
        Some(existing) if !existing.trim().is_empty() => format!("{existing}, gzip"),
        _ => "gzip".to_string(),
    };
    insert(request, "content-encoding", &encoding);
    request.body = bytes::Bytes::from(compressed);
    if request.headers.contains_key("content-length") {
        let length = request.body.len().to_string();
        insert(request, "content-length", &length);
    }
}

/// The SHA-256 tree hash of `data`: SHA-256 of each 1 MiB chunk, then of each pair of
/// hashes, level by level (an odd one out moves up as it is), to one root. Empty data
/// hashes as one empty chunk.
pub fn sha256_tree_hash(data: &[u8]) -> [u8; 32] {
    let mut tree = TreeHasher::default();
    tree.update(data);
    tree.finish()
}

/// The tree hash, fed in pieces of any size.
#[derive(Default)]
struct TreeHasher {
    leaves: Vec<[u8; 32]>,
    chunk: Sha256,
    in_chunk: usize,
}

impl TreeHasher {
    fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let take = (TREE_HASH_CHUNK - self.in_chunk).min(data.len());
            self.chunk.update(&data[..take]);
            self.in_chunk += take;
            data = &data[take..];
            if self.in_chunk == TREE_HASH_CHUNK {
                let chunk = std::mem::take(&mut self.chunk);
                self.leaves.push(chunk.finalize().into());
                self.in_chunk = 0;
            }
        }
    }

    fn finish(mut self) -> [u8; 32] {
        if self.in_chunk > 0 || self.leaves.is_empty() {
            self.leaves.push(self.chunk.finalize().into());
        }
        let mut level = self.leaves;
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => {
                        let mut h = Sha256::new();
                        h.update(a);
                        h.update(b);
                        h.finalize().into()
                    }
                    [a] => *a,
                    _ => unreachable!("chunks(2) yields one or two"),
                })
                .collect();
        }
        level[0]
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed independently with Python's hashlib (a reference tree hash
    // over 1 MiB chunks), not with this code.
    #[test]
    fn tree_hash_known_vectors() {
        assert_eq!(
            hex(&sha256_tree_hash(b"hello world")),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(
            hex(&sha256_tree_hash(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let two: Vec<u8> = (0..2 * TREE_HASH_CHUNK).map(|i| (i % 251) as u8).collect();
        assert_eq!(
            hex(&sha256_tree_hash(&two)),
            "bf4dff263ae686b64403208c35a3767e38453d6477e841947588d13d04e1d816"
        );
        // Four levels' worth of odd ones out: 3 full chunks and 5 bytes.
        let odd: Vec<u8> = (0..3 * TREE_HASH_CHUNK + 5)
            .map(|i| (i % 251) as u8)
            .collect();
        assert_eq!(
            hex(&sha256_tree_hash(&odd)),
            "c9e0c11a00161b193e0a1b3692ec553d4033a887f2086a7cadd4cd722d87f09f"
        );
        // Fed in uneven pieces, the same root.
        let mut tree = TreeHasher::default();
        for piece in odd.chunks(333_333) {
            tree.update(piece);
        }
        assert_eq!(
            hex(&tree.finish()),
            "c9e0c11a00161b193e0a1b3692ec553d4033a887f2086a7cadd4cd722d87f09f"
        );
        assert_eq!(
            hex(&Sha256::digest(&odd)),
            "b01669d77761c4dfdfc8fb927821087bcf5c9ef1f917c4f1f8504e529f19edab"
        );
    }

    fn request(body: &'static [u8]) -> HttpRequest {
        HttpRequest {
            method: http::Method::POST,
            uri: "https://example.com/".to_string(),
            headers: http::HeaderMap::new(),
            body: bytes::Bytes::from_static(body),
        }
    }

    #[tokio::test]
    async fn checksums_of_buffered_and_streamed_bodies() {
        let config = SharedConfig::builder().build();
        let mut req = request(b"hello world");
        apply(&[BodyStep::ContentMd5], &mut req, None, &config)
            .await
            .unwrap();
        assert_eq!(req.headers["content-md5"], "XrY7u+Ae7tCTyyK7j1rNww==");

        let mut req = request(b"");
        let stream = ByteStream::from(bytes::Bytes::from_static(b"hello world"));
        apply(
            &[BodyStep::Sha256TreeHash],
            &mut req,
            Some(&stream),
            &config,
        )
        .await
        .unwrap();
        let hash = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        assert_eq!(req.headers["x-amz-sha256-tree-hash"], hash);
        assert_eq!(req.headers["x-amz-content-sha256"], hash);
    }

    #[tokio::test]
    async fn gzip_respects_min_size_switch_and_existing_encoding() {
        let small = SharedConfig::builder().build();
        let mut req = request(b"tiny");
        apply(&[BodyStep::Gzip], &mut req, None, &small)
            .await
            .unwrap();
        assert!(!req.headers.contains_key("content-encoding"));

        let zero = SharedConfig::builder()
            .request_min_compression_size_bytes(0)
            .build();
        let mut req = request(b"tiny");
        req.headers
            .insert("content-encoding", http::HeaderValue::from_static("custom"));
        apply(&[BodyStep::Gzip], &mut req, None, &zero)
            .await
            .unwrap();
        assert_eq!(req.headers["content-encoding"], "custom, gzip");
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&req.body[..]), &mut out)
            .unwrap();
        assert_eq!(out, b"tiny");

        let off = SharedConfig::builder()
            .request_min_compression_size_bytes(0)
            .disable_request_compression(true)
            .build();
        let mut req = request(b"tiny");
        apply(&[BodyStep::Gzip], &mut req, None, &off)
            .await
            .unwrap();
        assert_eq!(&req.body[..], b"tiny");
    }
}
