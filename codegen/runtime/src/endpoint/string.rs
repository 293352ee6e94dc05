//! The string functions of the rules engine's standard library: `substring`, `uriEncode`,
//! `isValidHostLabel` and `split`.

/// `substring(input, start, stop, reverse)`: the ASCII characters `start..stop` of `input`,
/// counted from the end when `reverse` is true. `None` when `start >= stop`, when the input
/// is shorter than `stop`, or when the input holds any non-ASCII character.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    Some(input[from..to].to_string())
}

/// `uriEncode`: RFC 3986 percent-encoding of every byte of the UTF-8 text except the
/// unreserved characters `A-Z a-z 0-9 - _ . ~`, with uppercase hex digits.
pub fn uri_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// `isValidHostLabel`: whether `value` is an RFC 1123 host label (1 to 63 ASCII letters,
/// digits and `-`, not starting with `-`); with `allow_subdomains`, whether it is one or more
/// such labels joined by single dots (no empty label, so no leading or trailing dot).
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(is_one_host_label)
    } else {
        is_one_host_label(value)
    }
}

fn is_one_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// `split(value, delimiter, limit)`: the parts of `value` between occurrences of
/// `delimiter`; with `limit` 0 every occurrence splits, otherwise at most `limit` parts are
/// made (the last holds the rest, so `1` gives the whole value). An empty delimiter does not
/// split (the specification requires a non-empty one).
pub fn split(value: &str, delimiter: &str, limit: usize) -> Vec<String> {
    if delimiter.is_empty() {
        return vec![value.to_string()];
    }
    if limit == 0 {
        value.split(delimiter).map(str::to_string).collect()
    } else {
        value.splitn(limit, delimiter).map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_by_the_specification_examples() {
        assert_eq!(split("a--b--c", "--", 0), ["a", "b", "c"]);
        assert_eq!(split("a--b--c", "--", 2), ["a", "b--c"]);
        assert_eq!(split("a--b--c", "--", 1), ["a--b--c"]);
        assert_eq!(split("a,b,c", ",", 5), ["a", "b", "c"]);
        assert_eq!(split("", ",", 0), [""]);
        assert_eq!(split(",", ",", 0), ["", ""]);
        assert_eq!(split("abc", ",", 0), ["abc"]);
        assert_eq!(split("a,,b", ",", 0), ["a", "", "b"]);
        assert_eq!(split(",a,", ",", 0), ["", "a", ""]);
        assert_eq!(split("--x", "--", 0), ["", "x"]);
        assert_eq!(split("abc", "", 0), ["abc"]);
        assert_eq!(split("a.b", ".", 0), ["a", "b"]);
    }

    #[test]
    fn substring_forward_and_reverse() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("defg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("defg", 1, 3, false).as_deref(), Some("ef"));
        assert_eq!(substring("abcdef", 1, 3, true).as_deref(), Some("de"));
        assert_eq!(
            substring("\u{7f}abcdef", 0, 4, false).as_deref(),
            Some("\u{7f}abc")
        );
    }

    #[test]
    fn substring_out_of_range_or_non_ascii() {
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("", 0, 1, false), None);
        assert_eq!(substring("", 0, 0, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 3, 1, false), None);
        // One code point, three bytes: still not a four-character ASCII string.
        assert_eq!(substring("\u{fdfd}", 0, 1, false), None);
        assert_eq!(substring("abcdé", 0, 2, false), None);
    }

    #[test]
    fn uri_encode_reserved_and_unicode() {
        assert_eq!(uri_encode(""), "");
        assert_eq!(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(uri_encode("a b"), "a%20b");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("é"), "%C3%A9");
        assert_eq!(uri_encode("😹"), "%F0%9F%98%B9");
        assert_eq!(uri_encode("\n"), "%0A");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("3aws4", false));
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("", true));
        assert!(!is_valid_host_label("part1.part2", false));
        assert!(is_valid_host_label("part1.part2", true));
        assert!(!is_valid_host_label("part1 part2", true));
        assert!(!is_valid_host_label("part1.", true));
        assert!(!is_valid_host_label(".part1", true));
        assert!(!is_valid_host_label("part1..part2", true));
        assert!(!is_valid_host_label("part1.-part2", true));
        assert!(!is_valid_host_label("-a", false));
        assert!(is_valid_host_label("a-", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("bücher", false));
    }
}
