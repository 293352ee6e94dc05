//! Request URIs: the endpoint joined with the operation's path, `@httpLabel` values
//! percent-encoded as RFC 3986 path segments, and the query string.

use std::collections::HashMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::wire::SerializeError;

/// Everything but RFC 3986 unreserved characters (`A–Z a–z 0–9 - . _ ~`) is encoded.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// As [`SEGMENT`], but `/` stays: greedy labels (`{Key+}`) span segments.
pub(crate) const GREEDY: &AsciiSet = &SEGMENT.remove(b'/');

/// Percent-encodes a label value as one path segment: unreserved characters stay, every
/// other UTF-8 byte becomes `%XX` (uppercase), including `/ $ % + ? #` and space.
pub fn encode_label(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Percent-encodes a greedy label value: as [`encode_label`], but `/` is kept.
pub fn encode_greedy_label(value: &str) -> String {
    utf8_percent_encode(value, GREEDY).to_string()
}

/// Percent-encodes a query-string key or value (same set as a path segment, so `&`, `=`,
/// `+` and space are always encoded).
pub fn encode_query(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Why a label value cannot be sent, if it cannot: an empty value would collapse the path,
/// and `.`/`..` would be read as dot segments (RFC 3986 §5.2.4) by any server or proxy
/// that normalizes paths, so the request would reach another resource.
pub fn label_problem(value: &str, greedy: bool) -> Option<&'static str> {
    if value.is_empty() {
        return Some("the value is empty");
    }
    let is_dot = |s: &str| s == "." || s == "..";
    if greedy {
        if value.split('/').any(is_dot) {
            return Some("a path segment of the value is `.` or `..` (a dot segment)");
        }
    } else if is_dot(value) {
        return Some("the value is `.` or `..`, which a URI path reads as a dot segment");
    }
    None
}

/// Builds `endpoint + path + ?query`.
#[derive(Debug, Clone)]
pub struct RequestUri {
    buf: String,
    has_query: bool,
}

impl RequestUri {
    /// Starts from the endpoint URL (which may carry a path prefix); a trailing `/` is
    /// dropped so that joining with the operation path never doubles it.
    pub fn new(endpoint: &str) -> RequestUri {
        let mut buf = String::with_capacity(endpoint.len() + 64);
        buf.push_str(endpoint.trim_end_matches('/'));
        RequestUri {
            buf,
            has_query: false,
        }
    }

    /// Appends literal path text from the `@http` URI pattern, verbatim.
    pub fn path(&mut self, literal: &str) {
        self.buf.push_str(literal);
    }

    /// Appends a label value as one encoded path segment. `member` names it in errors.
    pub fn label(&mut self, member: &str, value: &str) -> Result<(), SerializeError> {
        if let Some(reason) = label_problem(value, false) {
            return Err(SerializeError::invalid_label(member, reason));
        }
        self.buf.extend(utf8_percent_encode(value, SEGMENT));
        Ok(())
    }

    /// Appends a greedy label value (`/` kept).
    pub fn greedy_label(&mut self, member: &str, value: &str) -> Result<(), SerializeError> {
        if let Some(reason) = label_problem(value, true) {
            return Err(SerializeError::invalid_label(member, reason));
        }
        self.buf.extend(utf8_percent_encode(value, GREEDY));
        Ok(())
    }

    fn separator(&mut self) {
        self.buf.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
    }

    /// Appends a literal query parameter from the URI pattern (`bar=baz` or `bar`), verbatim.
    pub fn query_literal(&mut self, text: &str) {
        self.separator();
        self.buf.push_str(text);
    }

    /// Appends `key=value`, both percent-encoded.
    pub fn query(&mut self, key: &str, value: &str) {
        self.separator();
        self.buf.extend(utf8_percent_encode(key, SEGMENT));
        self.buf.push('=');
        self.buf.extend(utf8_percent_encode(value, SEGMENT));
    }

    /// Appends the entries of an `@httpQueryParams` map (`map<string, string>`), sorted by
    /// key so the URI is deterministic; keys in `protected` (the operation's `@httpQuery`
    /// names, which take precedence) are left out.
    pub fn query_map(&mut self, map: &HashMap<String, String>, protected: &[&str]) {
        let mut entries: Vec<(&String, &String)> = map.iter().collect();
        entries.sort_unstable();
        for (k, v) in entries {
            if !protected.contains(&k.as_str()) {
                self.query(k, v);
            }
        }
    }

    /// As [`RequestUri::query_map`] for `map<string, list<string>>`: each value repeats
    /// the key.
    pub fn query_multimap(&mut self, map: &HashMap<String, Vec<String>>, protected: &[&str]) {
        let mut entries: Vec<(&String, &Vec<String>)> = map.iter().collect();
        entries.sort_unstable();
        for (k, values) in entries {
            if !protected.contains(&k.as_str()) {
                for v in values {
                    self.query(k, v);
                }
            }
        }
    }

    /// The finished URI.
    pub fn finish(self) -> String {
        self.buf
    }
}

/// A float as the HTTP bindings write it: `NaN`, `Infinity`, `-Infinity`, else the
/// shortest decimal that reads back to the same value.
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value == f64::INFINITY {
        "Infinity".to_string()
    } else if value == f64::NEG_INFINITY {
        "-Infinity".to_string()
    } else {
        value.to_string()
    }
}

/// As [`float_text`] for `f32` (written with `f32` precision: `0.1`, not `0.10000000149`).
pub fn float32_text(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        float_text(value as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_rfc3986_segments() {
        let cases = [
            ("$default", "%24default"),
            ("my stage", "my%20stage"),
            ("a/b", "a%2Fb"),
            ("100%", "100%25"),
            ("a+b", "a%2Bb"),
            ("what?", "what%3F"),
            ("#1", "%231"),
            ("AZaz09-._~", "AZaz09-._~"),
            ("é", "%C3%A9"),
            ("日本", "%E6%97%A5%E6%9C%AC"),
            ("😀", "%F0%9F%98%80"),
            (
                "a:b@c;d=e&f,g!h*i'j(k)l",
                "a%3Ab%40c%3Bd%3De%26f%2Cg%21h%2Ai%27j%28k%29l",
            ),
            ("..", ".."),
        ];
        for (raw, want) in cases {
            assert_eq!(encode_label(raw), want, "{raw}");
        }
        assert_eq!(encode_greedy_label("a b/c%d/e"), "a%20b/c%25d/e");
        assert_eq!(encode_query("a b&c=d+e"), "a%20b%26c%3Dd%2Be");
    }

    #[test]
    fn builds_uris() {
        let mut uri = RequestUri::new("https://example.com/prefix/");
        uri.path("/v2/apis/");
        uri.label("GetStageInput.api_id", "a1b2c3").unwrap();
        uri.path("/stages/");
        uri.label("GetStageInput.stage_name", "$default").unwrap();
        assert_eq!(
            uri.finish(),
            "https://example.com/prefix/v2/apis/a1b2c3/stages/%24default"
        );

        let mut uri = RequestUri::new("http://127.0.0.1:8080");
        uri.path("/foo");
        uri.query_literal("bar=baz");
        uri.query("a b", "c&d");
        uri.query("a b", "e");
        assert_eq!(
            uri.finish(),
            "http://127.0.0.1:8080/foo?bar=baz&a%20b=c%26d&a%20b=e"
        );

        let mut uri = RequestUri::new("http://h");
        uri.path("/");
        uri.query("k", "");
        assert_eq!(uri.finish(), "http://h/?k=");
    }

    #[test]
    fn query_params() {
        let mut uri = RequestUri::new("http://h");
        uri.path("/s");
        uri.query("q", "x");
        let map: HashMap<String, String> = [
            ("q".to_string(), "ignored".to_string()),
            ("b".to_string(), "2".to_string()),
            ("a b".to_string(), "1".to_string()),
        ]
        .into();
        uri.query_map(&map, &["q"]);
        let multi: HashMap<String, Vec<String>> =
            [("t".to_string(), vec!["1".to_string(), "2".to_string()])].into();
        uri.query_multimap(&multi, &[]);
        assert_eq!(uri.finish(), "http://h/s?q=x&a%20b=1&b=2&t=1&t=2");
    }

    #[test]
    fn rejects_bad_labels() {
        let mut uri = RequestUri::new("http://h");
        for bad in ["", ".", ".."] {
            let e = uri.label("X.y", bad).unwrap_err();
            assert!(e.to_string().starts_with("X.y: "), "{e}");
        }
        assert!(uri.label("X.y", "...").is_ok());
        assert!(uri.label("X.y", ".a").is_ok());
        assert!(uri.greedy_label("X.k", "a/./b").is_err());
        assert!(uri.greedy_label("X.k", "a/../b").is_err());
        assert!(uri.greedy_label("X.k", "..").is_err());
        assert!(uri.greedy_label("X.k", "").is_err());
        assert!(uri.greedy_label("X.k", "a/.b/c..").is_ok());
        let long = "x".repeat(1000);
        assert!(uri.label("X.y", &long).is_ok());
    }

    #[test]
    fn floats() {
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(float_text(f64::INFINITY), "Infinity");
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(2.0), "2");
        assert_eq!(float32_text(0.1), "0.1");
        assert_eq!(float32_text(f32::NEG_INFINITY), "-Infinity");
    }
}

/// `url` with `prefix` put before its host (`https://example.com/a` + `foo.` →
/// `https://foo.example.com/a`): the `@endpoint` host prefix.
pub fn with_host_prefix(url: &str, prefix: &str) -> String {
    match url.find("://") {
        Some(i) => format!("{}{prefix}{}", &url[..i + 3], &url[i + 3..]),
        None => format!("{prefix}{url}"),
    }
}

#[cfg(test)]
mod host_prefix_tests {
    #[test]
    fn puts_the_prefix_before_the_host() {
        assert_eq!(
            super::with_host_prefix("https://example.com/a?b", "foo.bar."),
            "https://foo.bar.example.com/a?b"
        );
        assert_eq!(
            super::with_host_prefix("example.com", "x."),
            "x.example.com"
        );
    }
}
