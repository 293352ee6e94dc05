//! `@httpHeader` and `@httpPrefixHeaders`: writing request headers and reading response
//! headers.

use std::borrow::Cow;
use std::collections::HashMap;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::http::HttpResponse;
use crate::wire::timestamp::{self, Format};
use crate::wire::{InvalidKind, ResponseError, SerializeError};

/// Request headers under construction; every value is checked before it is added.
#[derive(Debug, Default)]
pub struct Headers {
    map: HeaderMap,
}

impl Headers {
    /// No headers yet.
    pub fn new() -> Headers {
        Headers::default()
    }

    /// Sets `name: value`. A value containing CR or LF (or another control character but
    /// tab) is an error naming `member`: it would split or corrupt the request.
    pub fn insert(&mut self, member: &str, name: &str, value: &str) -> Result<(), SerializeError> {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            SerializeError::invalid_header(member, format!("`{name}` is not a valid header name"))
        })?;
        let value = header_value(member, value)?;
        self.map.insert(name, value);
        Ok(())
    }

    /// Appends a value without replacing earlier ones with the same name.
    pub fn append(&mut self, member: &str, name: &str, value: &str) -> Result<(), SerializeError> {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            SerializeError::invalid_header(member, format!("`{name}` is not a valid header name"))
        })?;
        let value = header_value(member, value)?;
        self.map.append(name, value);
        Ok(())
    }

    /// Sets one header per entry of an `@httpPrefixHeaders` map: `prefix + key: value`,
    /// in key order.
    pub fn insert_prefixed(
        &mut self,
        member: &str,
        prefix: &str,
        map: &HashMap<String, String>,
    ) -> Result<(), SerializeError> {
        let mut entries: Vec<(&String, &String)> = map.iter().collect();
        entries.sort_unstable();
        for (k, v) in entries {
            self.insert(member, &format!("{prefix}{k}"), v)?;
        }
        Ok(())
    }

    /// Whether a header is set.
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// The finished map.
    pub fn into_map(self) -> HeaderMap {
        self.map
    }
}

fn header_value(member: &str, value: &str) -> Result<HeaderValue, SerializeError> {
    if value.contains(['\r', '\n']) {
        return Err(SerializeError::invalid_header(
            member,
            "the value contains a CR or LF character",
        ));
    }
    if !value.is_ascii() {
        // HTTP header values are ASCII; the AWS SDKs refuse other text rather than send
        // bytes a server or the signature would read differently.
        return Err(SerializeError::invalid_header(
            member,
            "the value contains a non-ASCII character",
        ));
    }
    HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
        SerializeError::invalid_header(member, "the value contains a control character")
    })
}

/// Quotes a string list item when it holds a comma or a double quote, starts or ends with
/// whitespace, or is empty (backslash-escaping `"` and `\`), as RFC 7230 quoted-string;
/// other items are written as they are.
pub fn quote_item(item: &str) -> Cow<'_, str> {
    // Surrounding whitespace would be trimmed by readers, and an empty item would vanish.
    let needs_quotes = item.is_empty()
        || item.contains([',', '"'])
        || item.starts_with(char::is_whitespace)
        || item.ends_with(char::is_whitespace);
    if needs_quotes {
        let mut out = String::with_capacity(item.len() + 2);
        out.push('"');
        for c in item.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        Cow::Owned(out)
    } else {
        Cow::Borrowed(item)
    }
}

/// Joins list items with `, ` (items already quoted where needed).
pub fn join<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item.as_ref());
    }
    out
}

// ---- responses -----------------------------------------------------------------------

/// All values of a response header, joined with `, ` (as HTTP allows for list headers);
/// `None` when absent. Bytes that are not UTF-8 are replaced.
pub fn get<'a>(response: &'a HttpResponse, name: &str) -> Option<Cow<'a, str>> {
    let mut values = response.headers.get_all(name).iter();
    let first = values.next()?;
    let mut text = String::from_utf8_lossy(first.as_bytes());
    for next in values {
        let t = text.to_mut();
        t.push_str(", ");
        t.push_str(&String::from_utf8_lossy(next.as_bytes()));
    }
    Some(text)
}

/// All values of a header bound to `member`, joined like [`get`], refusing bytes that are
/// not UTF-8 with a typed error naming the member (never text with U+FFFD in it).
fn member_text<'a>(
    response: &'a HttpResponse,
    name: &str,
    member: &str,
) -> Result<Option<Cow<'a, str>>, ResponseError> {
    let values = response.headers.get_all(name);
    if values
        .iter()
        .any(|v| std::str::from_utf8(v.as_bytes()).is_err())
    {
        return Err(member_error(
            response,
            member,
            InvalidKind::Value,
            format!("the `{name}` header is not valid UTF-8"),
        ));
    }
    Ok(get(response, name))
}

/// Splits a list header: items separated by commas, trimmed; double-quoted items may hold
/// commas and backslash-escaped characters.
pub fn split_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        let mut saw_comma = false;
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            item.push(escaped);
                        }
                    }
                    '"' => break,
                    c => item.push(c),
                }
            }
            // Anything between the closing quote and the comma is ignored.
            for c in chars.by_ref() {
                if c == ',' {
                    saw_comma = true;
                    break;
                }
            }
            items.push(item);
        } else {
            for c in chars.by_ref() {
                if c == ',' {
                    saw_comma = true;
                    break;
                }
                item.push(c);
            }
            items.push(item.trim_end().to_string());
        }
        if !saw_comma {
            break;
        }
    }
    items
}

/// Splits a list of HTTP dates, whose items hold a comma themselves
/// (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 ...`): the pieces are rejoined in pairs.
pub fn split_http_dates(value: &str) -> Vec<String> {
    let pieces: Vec<&str> = value.split(',').map(str::trim).collect();
    let mut out = Vec::with_capacity(pieces.len() / 2 + 1);
    let mut i = 0;
    while i < pieces.len() {
        let piece = pieces[i];
        // An IMF-fixdate or RFC 850 date starts with a weekday name followed by a comma.
        if i + 1 < pieces.len() && piece.chars().all(|c| c.is_ascii_alphabetic()) {
            out.push(format!("{piece}, {}", pieces[i + 1]));
            i += 2;
        } else {
            out.push(piece.to_string());
            i += 1;
        }
    }
    out
}

/// A value that can be read from header text.
pub trait FromHeader: Sized {
    /// Parses one (unquoted) header value.
    fn from_header(text: &str) -> Result<Self, (InvalidKind, String)>;
}

impl FromHeader for String {
    fn from_header(text: &str) -> Result<Self, (InvalidKind, String)> {
        Ok(text.to_string())
    }
}

impl FromHeader for bool {
    fn from_header(text: &str) -> Result<Self, (InvalidKind, String)> {
        match text.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err((
                InvalidKind::WrongType,
                format!("expected `true` or `false`, found `{}`", cut(other)),
            )),
        }
    }
}

macro_rules! int_from_header {
    ($($t:ty),*) => {$(
        impl FromHeader for $t {
            fn from_header(text: &str) -> Result<Self, (InvalidKind, String)> {
                let t = text.trim();
                match t.parse::<i128>() {
                    Ok(v) => <$t>::try_from(v).map_err(|_| (
                        InvalidKind::OutOfRange,
                        format!(
                            "{v} is out of range for {} ({}..={})",
                            stringify!($t), <$t>::MIN, <$t>::MAX
                        ),
                    )),
                    Err(_) => Err((
                        InvalidKind::WrongType,
                        format!("expected an integer, found `{}`", cut(t)),
                    )),
                }
            }
        }
    )*};
}
int_from_header!(i8, i16, i32, i64);

impl FromHeader for f64 {
    fn from_header(text: &str) -> Result<Self, (InvalidKind, String)> {
        let t = text.trim();
        match t {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ if !t.is_empty()
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) =>
            {
                t.parse().map_err(|_| {
                    (
                        InvalidKind::WrongType,
                        format!("expected a number, found `{}`", cut(t)),
                    )
                })
            }
            _ => Err((
                InvalidKind::WrongType,
                format!("expected a number, found `{}`", cut(t)),
            )),
        }
    }
}

impl FromHeader for f32 {
    fn from_header(text: &str) -> Result<Self, (InvalidKind, String)> {
        let v = f64::from_header(text)?;
        let narrow = v as f32;
        if v.is_finite() && !narrow.is_finite() {
            return Err((
                InvalidKind::OutOfRange,
                format!("{v} is out of range for f32"),
            ));
        }
        Ok(narrow)
    }
}

fn cut(text: &str) -> String {
    text.chars().take(64).collect()
}

fn member_error(
    response: &HttpResponse,
    member: &str,
    kind: InvalidKind,
    message: String,
) -> ResponseError {
    ResponseError::InvalidMember {
        status: response.status,
        member: member.to_string(),
        kind,
        message,
    }
}

/// Reads one header into a value; `None` when absent.
pub fn read<T: FromHeader>(
    response: &HttpResponse,
    name: &str,
    member: &str,
) -> Result<Option<T>, ResponseError> {
    match member_text(response, name, member)? {
        None => Ok(None),
        Some(text) => T::from_header(&text)
            .map(Some)
            .map_err(|(kind, message)| member_error(response, member, kind, message)),
    }
}

/// Reads a list header (comma-separated, quoted strings unquoted); `None` when absent.
pub fn read_list<T: FromHeader>(
    response: &HttpResponse,
    name: &str,
    member: &str,
) -> Result<Option<Vec<T>>, ResponseError> {
    match member_text(response, name, member)? {
        None => Ok(None),
        Some(text) => split_list(&text)
            .iter()
            .map(|item| T::from_header(item))
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
            .map_err(|(kind, message)| member_error(response, member, kind, message)),
    }
}

/// Reads a timestamp header in `format` (`http-date` unless the model says otherwise).
pub fn read_timestamp(
    response: &HttpResponse,
    name: &str,
    member: &str,
    format: Format,
) -> Result<Option<time::OffsetDateTime>, ResponseError> {
    match member_text(response, name, member)? {
        None => Ok(None),
        Some(text) => timestamp::parse(text.trim(), format)
            .map(Some)
            .map_err(|e| member_error(response, member, InvalidKind::Timestamp, e.to_string())),
    }
}

/// Reads a list of timestamps.
pub fn read_timestamp_list(
    response: &HttpResponse,
    name: &str,
    member: &str,
    format: Format,
) -> Result<Option<Vec<time::OffsetDateTime>>, ResponseError> {
    let Some(text) = member_text(response, name, member)? else {
        return Ok(None);
    };
    let items = if format == Format::HttpDate {
        split_http_dates(&text)
    } else {
        split_list(&text)
    };
    items
        .iter()
        .map(|item| timestamp::parse(item, format))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
        .map_err(|e| member_error(response, member, InvalidKind::Timestamp, e.to_string()))
}

/// Reads a base64 header (blobs and `@mediaType` strings).
pub fn read_base64(
    response: &HttpResponse,
    name: &str,
    member: &str,
) -> Result<Option<Vec<u8>>, ResponseError> {
    match member_text(response, name, member)? {
        None => Ok(None),
        Some(text) => crate::wire::base64_decode(text.trim())
            .map(Some)
            .map_err(|e| member_error(response, member, InvalidKind::Value, e)),
    }
}

/// Reads a base64 header that holds UTF-8 text (`@mediaType` strings).
pub fn read_base64_text(
    response: &HttpResponse,
    name: &str,
    member: &str,
) -> Result<Option<String>, ResponseError> {
    match read_base64(response, name, member)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            member_error(
                response,
                member,
                InvalidKind::Value,
                "the decoded value is not UTF-8".to_string(),
            )
        }),
    }
}

/// Every header whose name starts with `prefix` (case-insensitively), keyed by the rest of
/// its name (lowercase, as HTTP header names are case-insensitive). An empty prefix takes
/// every header.
pub fn read_prefixed(response: &HttpResponse, prefix: &str) -> Option<HashMap<String, String>> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = HashMap::new();
    for name in response.headers.keys() {
        if let Some(rest) = name.as_str().strip_prefix(prefix.as_str()) {
            if let Some(value) = get(response, name.as_str()) {
                out.insert(rest.to_string(), value.into_owned());
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)]) -> HttpResponse {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        HttpResponse {
            status: 200,
            headers: map,
            body: bytes::Bytes::new(),
        }
    }

    #[test]
    fn writes_and_rejects() {
        let mut h = Headers::new();
        h.insert("X.a", "X-Foo", "bar baz").unwrap();
        for bad in ["a\r\nInjected: yes", "a\nb", "a\rb", "a\0b", "é"] {
            let e = h.insert("X.a", "X-Foo", bad).unwrap_err();
            assert!(e.to_string().starts_with("X.a: "), "{e}");
        }
        assert!(h.insert("X.a", "bad name", "v").is_err());
        assert!(h.insert("X.a", "X-Tab", "a\tb").is_ok());
        let meta: HashMap<String, String> = [("k".to_string(), "v".to_string())].into();
        h.insert_prefixed("X.m", "X-Meta-", &meta).unwrap();
        let bad: HashMap<String, String> = [("k".to_string(), "v\r\n".to_string())].into();
        assert!(h.insert_prefixed("X.m", "X-Meta-", &bad).is_err());
        let map = h.into_map();
        assert_eq!(map.get("x-foo").unwrap(), "bar baz");
        assert_eq!(map.get("x-meta-k").unwrap(), "v");
    }

    #[test]
    fn quotes_list_items() {
        let items = ["b,c", "\"def\"", "a", "back\\slash, comma"];
        let joined = join(items.iter().map(|i| quote_item(i)));
        assert_eq!(joined, r#""b,c", "\"def\"", a, "back\\slash, comma""#);
        assert_eq!(split_list(&joined), items);
        assert_eq!(split_list("a, b ,c"), ["a", "b", "c"]);
        assert_eq!(split_list("a"), ["a"]);
        assert_eq!(split_list(""), [""]);
        assert_eq!(split_list("\"a\""), ["a"]);
        assert_eq!(split_list("\"a\", \"b\""), ["a", "b"]);
        assert_eq!(split_list("\"unterminated"), ["unterminated"]);
        assert_eq!(split_list("a,"), ["a", ""]);
    }

    #[test]
    fn splits_http_dates() {
        assert_eq!(
            split_http_dates("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Mon, 16 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[test]
    fn reads_values() {
        let r = response(&[
            ("x-int", "42"),
            ("x-big", "3000000000"),
            ("x-bool", "true"),
            ("x-float", "NaN"),
            ("x-list", "1, 2"),
            ("x-list", "3"),
            ("x-date", "Mon, 16 Dec 2019 23:48:18 GMT"),
            ("x-meta-one", "1"),
            ("x-meta-Two", "2"),
        ]);
        assert_eq!(read::<i32>(&r, "x-int", "O.i").unwrap(), Some(42));
        assert_eq!(read::<i32>(&r, "x-missing", "O.i").unwrap(), None);
        let e = read::<i32>(&r, "x-big", "O.big").unwrap_err();
        assert!(
            matches!(
                e,
                ResponseError::InvalidMember {
                    kind: InvalidKind::OutOfRange,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("O.big"));
        assert_eq!(
            read::<i64>(&r, "x-big", "O.big").unwrap(),
            Some(3_000_000_000)
        );
        assert_eq!(read::<bool>(&r, "x-bool", "O.b").unwrap(), Some(true));
        assert!(read::<bool>(&r, "x-int", "O.b").is_err());
        assert!(read::<f64>(&r, "x-float", "O.f").unwrap().unwrap().is_nan());
        assert_eq!(
            read_list::<i32>(&r, "x-list", "O.l").unwrap(),
            Some(vec![1, 2, 3])
        );
        let d = read_timestamp(&r, "x-date", "O.d", Format::HttpDate)
            .unwrap()
            .unwrap();
        assert_eq!(d.unix_timestamp(), 1576540098);
        let e = read_timestamp(&r, "x-int", "O.d", Format::HttpDate).unwrap_err();
        assert!(matches!(
            e,
            ResponseError::InvalidMember {
                kind: InvalidKind::Timestamp,
                ..
            }
        ));
        let m = read_prefixed(&r, "X-Meta-").unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m["two"], "2");
        assert!(read_prefixed(&r, "x-nothing-").is_none());
        assert!(read::<f32>(&r, "x-big", "O.f").is_ok());
        assert!(f32::from_header("1e300").is_err());
        assert!(f64::from_header("abc").is_err());
        assert!(f64::from_header("inf").is_err());
    }
}
