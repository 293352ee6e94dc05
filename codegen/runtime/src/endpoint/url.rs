//! `parseURL`: an endpoint URL split into the parts the rules engine reads.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The `URL` structure of the rules engine (`getAttr` names in comments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `scheme`: `http` or `https`, without `://`.
    pub scheme: String,
    /// `authority`: the host and the port as written (no userinfo).
    pub authority: String,
    /// `path`: the path exactly as written; empty when the URL has none.
    pub path: String,
    /// `normalizedPath`: the path, starting and ending with `/` (just `/` when empty).
    pub normalized_path: String,
    /// `isIp`: whether the host is an IPv4 address or a bracketed IPv6 address.
    pub is_ip: bool,
}

/// Parses an endpoint URL, per the rules engine's `parseURL`: `None` unless the text is an
/// absolute `http`/`https` URL with a non-empty host and a valid port (when one is written).
/// A URL with a query (`?`, even an empty one) is rejected, as the specification requires,
/// and so is one with a fragment (`#`), which an endpoint cannot carry either, and one with
/// non-ASCII text (hosts and paths must be punycoded / percent-encoded).
///
/// Syntax is checked by [`http::Uri`]; the parts are then taken from the text itself so
/// that `path` is the path as written (`http::Uri` reports a missing path as `/`).
pub fn parse_url(text: &str) -> Option<Url> {
    if !text.is_ascii() || text.contains(['?', '#']) {
        return None;
    }
    let uri: http::Uri = text.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    // After `scheme://` comes the authority, up to the first `/`; the rest is the path.
    let (_, rest) = text.split_once("://")?;
    let (raw_authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // Userinfo is not part of the rules engine's authority.
    let authority = match raw_authority.rfind('@') {
        Some(i) => &raw_authority[i + 1..],
        None => raw_authority,
    };
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return None;
    }
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        port.parse::<u16>().ok()?;
    }
    let is_ip = if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        // An IPv6 zone (`%25eth0`) is not part of the address.
        let address = inner.split('%').next().unwrap_or(inner);
        address.parse::<Ipv6Addr>().ok()?;
        true
    } else {
        host.parse::<Ipv4Addr>().is_ok()
    };
    let normalized_path = normalize_path(path);
    Some(Url {
        scheme,
        authority: authority.to_string(),
        path: path.to_string(),
        normalized_path,
        is_ip,
    })
}

/// Splits `host[:port]`, minding the colons inside a bracketed IPv6 host.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        return match rest {
            "" => Some((host, None)),
            _ => Some((host, Some(rest.strip_prefix(':')?))),
        };
    }
    Some(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        out.push('/');
    }
    out.push_str(path);
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (String, String, String, String, bool) {
        let u = parse_url(text).unwrap_or_else(|| panic!("{text} should parse"));
        (u.scheme, u.authority, u.path, u.normalized_path, u.is_ip)
    }

    fn p(
        s: &str,
        a: &str,
        path: &str,
        n: &str,
        ip: bool,
    ) -> (String, String, String, String, bool) {
        (s.into(), a.into(), path.into(), n.into(), ip)
    }

    #[test]
    fn specification_examples() {
        assert_eq!(
            parts("https://example.com"),
            p("https", "example.com", "", "/", false)
        );
        assert_eq!(
            parts("http://example.com:80/foo/bar"),
            p("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(
            parts("https://127.0.0.1"),
            p("https", "127.0.0.1", "", "/", true)
        );
        assert_eq!(
            parts("https://[fe80::1]"),
            p("https", "[fe80::1]", "", "/", true)
        );
        assert_eq!(parse_url("https://example.com:8443?foo=bar&faz=baz"), None);
    }

    #[test]
    fn paths_are_kept_as_written_and_normalized() {
        assert_eq!(
            parts("https://example.com/"),
            p("https", "example.com", "/", "/", false)
        );
        assert_eq!(
            parts("https://a.com/x/"),
            p("https", "a.com", "/x/", "/x/", false)
        );
        assert_eq!(
            parts("https://a.com/a//b/./c"),
            p("https", "a.com", "/a//b/./c", "/a//b/./c/", false)
        );
        assert_eq!(parts("http://a.com/a%20b").2, "/a%20b");
    }

    #[test]
    fn ports() {
        assert_eq!(
            parts("https://authority.com:8000/port").1,
            "authority.com:8000"
        );
        assert_eq!(
            parts("http://192.168.1.1:1234/foo/"),
            p("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(parts("https://h:65535").1, "h:65535");
        assert_eq!(parse_url("http://abc.com:a/foo"), None);
        assert_eq!(parse_url("https://example.com:99999"), None);
        assert_eq!(parse_url("https://example.com:/x"), None);
        assert_eq!(parse_url("https://a:1:2/x"), None);
    }

    #[test]
    fn ipv6_hosts() {
        assert_eq!(
            parts("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443"),
            p(
                "https",
                "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
                "",
                "/",
                true
            )
        );
        assert_eq!(parts("http://[::1]:8080/a").1, "[::1]:8080");
        assert!(parts("https://[fe80::1%25eth0]/").4);
        assert_eq!(parse_url("https://[::1"), None);
        assert_eq!(parse_url("https://[not-an-ip]/"), None);
        assert_eq!(parse_url("https://[::1]x/"), None);
    }

    #[test]
    fn ip_detection_is_strict() {
        assert!(!parts("https://999.999.abc.blah").4);
        assert!(!parts("https://1.2.3").4);
        assert!(!parts("https://256.1.1.1").4);
        assert!(parts("https://10.0.0.255").4);
    }

    #[test]
    fn rejected_urls() {
        assert_eq!(parse_url(""), None);
        assert_eq!(parse_url("example.com"), None);
        assert_eq!(parse_url("acbd://example.com"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("https://"), None);
        assert_eq!(parse_url("https:///path"), None);
        assert_eq!(parse_url("https://example.com/path?query1=foo"), None);
        assert_eq!(parse_url("https://example.com?"), None);
        assert_eq!(parse_url("https://example.com/#frag"), None);
        assert_eq!(parse_url("https://ex ample.com"), None);
        assert_eq!(parse_url("https://é.com"), None);
        assert_eq!(parse_url("https://example.com/ü"), None);
    }

    #[test]
    fn host_labels_are_not_validated_and_userinfo_is_dropped() {
        assert_eq!(
            parts("http://99_ab-.com"),
            p("http", "99_ab-.com", "", "/", false)
        );
        assert_eq!(parts("https://user:pw@host:8/x").1, "host:8");
        assert_eq!(parts("HTTPS://Example.COM").0, "https");
        assert_eq!(parts("HTTPS://Example.COM").1, "Example.COM");
    }
}
