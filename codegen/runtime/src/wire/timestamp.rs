//! Timestamp formats of the HTTP bindings and JSON bodies: `date-time` (RFC 3339),
//! `http-date` (RFC 7231) and `epoch-seconds`.
//!
//! Formatting always writes UTC. Parsing is lenient where the RFCs allow it: `date-time`
//! accepts any offset (the result is normalized to UTC) and 0–9 fraction digits;
//! `http-date` accepts IMF-fixdate, RFC 850 and asctime; `epoch-seconds` accepts integers
//! and decimal fractions.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A Smithy `@timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 3339 `date-time`: `2019-12-16T23:48:18Z`.
    DateTime,
    /// RFC 7231 IMF-fixdate: `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
    /// Seconds since the Unix epoch, with an optional fraction: `1576540098.52`.
    EpochSeconds,
}

impl Format {
    /// The Smithy name of the format (`date-time`, `http-date`, `epoch-seconds`).
    pub fn name(self) -> &'static str {
        match self {
            Format::DateTime => "date-time",
            Format::HttpDate => "http-date",
            Format::EpochSeconds => "epoch-seconds",
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Formats a timestamp as text in the given format (UTC).
pub fn format(value: &OffsetDateTime, format: Format) -> String {
    match format {
        Format::DateTime => format_date_time(value),
        Format::HttpDate => format_http_date(value),
        Format::EpochSeconds => format_epoch_seconds(value),
    }
}

/// `2019-12-16T23:48:18Z`, with the fraction of a second (trailing zeros trimmed) when it
/// is not zero: `2019-12-16T23:48:18.5Z`.
pub fn format_date_time(value: &OffsetDateTime) -> String {
    let v = value.to_offset(UtcOffset::UTC);
    let mut out = String::with_capacity(30);
    let year = v.year();
    if (0..=9999).contains(&year) {
        push_padded(&mut out, year as u32, 4);
    } else {
        // RFC 3339 has no room for these; write an ISO 8601 expanded year rather than lie.
        out.push(if year < 0 { '-' } else { '+' });
        push_padded(&mut out, year.unsigned_abs(), 6);
    }
    out.push('-');
    push_padded(&mut out, v.month() as u32, 2);
    out.push('-');
    push_padded(&mut out, v.day() as u32, 2);
    out.push('T');
    push_padded(&mut out, v.hour() as u32, 2);
    out.push(':');
    push_padded(&mut out, v.minute() as u32, 2);
    out.push(':');
    push_padded(&mut out, v.second() as u32, 2);
    push_fraction(&mut out, v.nanosecond());
    out.push('Z');
    out
}

/// `Mon, 16 Dec 2019 23:48:18 GMT` (IMF-fixdate). The fraction of a second is dropped:
/// the format has no place for it.
pub fn format_http_date(value: &OffsetDateTime) -> String {
    let v = value.to_offset(UtcOffset::UTC);
    let mut out = String::with_capacity(29);
    out.push_str(WEEKDAYS[v.weekday().number_days_from_monday() as usize]);
    out.push_str(", ");
    push_padded(&mut out, v.day() as u32, 2);
    out.push(' ');
    out.push_str(MONTHS[v.month() as usize - 1]);
    out.push(' ');
    let year = v.year();
    if year < 0 {
        out.push('-');
    }
    push_padded(&mut out, year.unsigned_abs(), 4);
    out.push(' ');
    push_padded(&mut out, v.hour() as u32, 2);
    out.push(':');
    push_padded(&mut out, v.minute() as u32, 2);
    out.push(':');
    push_padded(&mut out, v.second() as u32, 2);
    out.push_str(" GMT");
    out
}

/// `1576540098`, or `1576540098.52` when there is a fraction of a second.
pub fn format_epoch_seconds(value: &OffsetDateTime) -> String {
    let secs = value.unix_timestamp();
    let nanos = value.nanosecond();
    let mut out = String::with_capacity(24);
    if secs < 0 && nanos > 0 {
        // -1.25 is -2 s + 0.75 s: write the magnitude of the true value.
        let total = (secs as i128) * 1_000_000_000 + nanos as i128;
        let abs = total.unsigned_abs();
        out.push('-');
        out.push_str(&(abs / 1_000_000_000).to_string());
        push_fraction(&mut out, (abs % 1_000_000_000) as u32);
    } else {
        out.push_str(&secs.to_string());
        push_fraction(&mut out, nanos);
    }
    out
}

/// The timestamp as seconds since the epoch (for JSON numbers): an integer when there is
/// no fraction, otherwise a float.
pub fn epoch_seconds_number(value: &OffsetDateTime) -> EpochNumber {
    let secs = value.unix_timestamp();
    let nanos = value.nanosecond();
    if nanos == 0 {
        EpochNumber::Integer(secs)
    } else {
        EpochNumber::Float(secs as f64 + nanos as f64 / 1e9)
    }
}

/// A timestamp written as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EpochNumber {
    /// Whole seconds.
    Integer(i64),
    /// Seconds with a fraction.
    Float(f64),
}

fn push_padded(out: &mut String, value: u32, width: usize) {
    let text = value.to_string();
    for _ in text.len()..width {
        out.push('0');
    }
    out.push_str(&text);
}

/// `.5`, `.123`, `.000000001`; nothing for zero.
fn push_fraction(out: &mut String, nanos: u32) {
    if nanos == 0 {
        return;
    }
    let mut digits = format!("{nanos:09}");
    while digits.ends_with('0') {
        digits.pop();
    }
    out.push('.');
    out.push_str(&digits);
}

/// Why a timestamp did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    /// What was expected, e.g. `an RFC 3339 date-time`.
    pub expected: &'static str,
    /// The text that was read (cut to 64 characters).
    pub found: String,
}

impl std::fmt::Display for TimestampError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected {}, found `{}`", self.expected, self.found)
    }
}

impl std::error::Error for TimestampError {}

fn error(expected: &'static str, text: &str) -> TimestampError {
    let found: String = text.chars().take(64).collect();
    TimestampError { expected, found }
}

/// Parses text in the given format.
pub fn parse(text: &str, format: Format) -> Result<OffsetDateTime, TimestampError> {
    match format {
        Format::DateTime => parse_date_time(text),
        Format::HttpDate => parse_http_date(text),
        Format::EpochSeconds => parse_epoch_seconds(text),
    }
}

/// A tiny cursor over ASCII bytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_ignore_case(&mut self, byte: u8) -> bool {
        if self.peek().map(|b| b.to_ascii_lowercase()) == Some(byte.to_ascii_lowercase()) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Exactly `n` digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let end = self.pos.checked_add(n)?;
        let slice = self.bytes.get(self.pos..end)?;
        let mut value = 0u32;
        for &b in slice {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + (b - b'0') as u32;
        }
        self.pos = end;
        Some(value)
    }

    /// One to `max` digits.
    fn digits_up_to(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.pos;
        let mut value = 0u32;
        while self.pos - start < max {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + (b - b'0') as u32;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        let count = self.pos - start;
        (count > 0).then_some((value, count))
    }

    /// A fraction after `.`: 1–9 digits as nanoseconds (further digits are an error).
    fn fraction(&mut self) -> Option<u32> {
        let (value, count) = self.digits_up_to(9)?;
        if matches!(self.peek(), Some(b) if b.is_ascii_digit()) {
            return None;
        }
        Some(value * 10u32.pow((9 - count) as u32))
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while matches!(self.peek(), Some(b) if b.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    fn spaces(&mut self) -> usize {
        let start = self.pos;
        while self.eat(b' ') {}
        self.pos - start
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// Builds a UTC timestamp; `second` may be 60 (a leap second), which becomes the next
/// second, as RFC 3339 readers commonly do.
fn build(
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
) -> Option<OffsetDateTime> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    let leap = second == 60;
    let second = if leap { 59 } else { second };
    let time = Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanos,
    )
    .ok()?;
    let value = PrimitiveDateTime::new(date, time).assume_utc();
    if leap {
        value.checked_add(time::Duration::SECOND)
    } else {
        Some(value)
    }
}

const DATE_TIME: &str = "an RFC 3339 date-time";

/// RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `T`/`Z` in either case, 0–9
/// fraction digits, any offset (normalized to UTC).
pub fn parse_date_time(text: &str) -> Result<OffsetDateTime, TimestampError> {
    parse_date_time_inner(text).ok_or_else(|| error(DATE_TIME, text))
}

fn parse_date_time_inner(text: &str) -> Option<OffsetDateTime> {
    let mut c = Cursor::new(text);
    let year = c.digits(4)? as i32;
    c.eat(b'-').then_some(())?;
    let month = c.digits(2)?;
    c.eat(b'-').then_some(())?;
    let day = c.digits(2)?;
    c.eat_ignore_case(b'T').then_some(())?;
    let hour = c.digits(2)?;
    c.eat(b':').then_some(())?;
    let minute = c.digits(2)?;
    c.eat(b':').then_some(())?;
    let second = c.digits(2)?;
    let nanos = if c.eat(b'.') { c.fraction()? } else { 0 };
    let offset_seconds: i32 = if c.eat_ignore_case(b'Z') {
        0
    } else {
        let sign = if c.eat(b'+') {
            1
        } else if c.eat(b'-') {
            -1
        } else {
            return None;
        };
        let oh = c.digits(2)?;
        c.eat(b':').then_some(())?;
        let om = c.digits(2)?;
        if oh > 23 || om > 59 {
            return None;
        }
        sign * (oh as i32 * 3600 + om as i32 * 60)
    };
    if !c.done() {
        return None;
    }
    let local = build(year, month, day, hour, minute, second, nanos)?;
    local.checked_sub(time::Duration::seconds(offset_seconds as i64))
}

const HTTP_DATE: &str = "an HTTP date (RFC 7231)";

/// RFC 7231 `HTTP-date`: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, optionally with a
/// fraction of a second), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`;
/// two-digit years 70–99 are 19xx, 00–69 are 20xx) and asctime (`Sun Nov  6 08:49:37 1994`).
pub fn parse_http_date(text: &str) -> Result<OffsetDateTime, TimestampError> {
    parse_http_date_inner(text.trim()).ok_or_else(|| error(HTTP_DATE, text))
}

fn month_from(word: &[u8]) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| m.as_bytes().eq_ignore_ascii_case(word))
        .map(|i| i as u32 + 1)
}

fn parse_hms(c: &mut Cursor<'_>) -> Option<(u32, u32, u32, u32)> {
    let hour = c.digits(2)?;
    c.eat(b':').then_some(())?;
    let minute = c.digits(2)?;
    c.eat(b':').then_some(())?;
    let second = c.digits(2)?;
    let nanos = if c.eat(b'.') { c.fraction()? } else { 0 };
    Some((hour, minute, second, nanos))
}

fn parse_http_date_inner(text: &str) -> Option<OffsetDateTime> {
    let mut c = Cursor::new(text);
    let weekday = c.word();
    let short = WEEKDAYS
        .iter()
        .any(|w| w.as_bytes().eq_ignore_ascii_case(weekday));
    let long = LONG_WEEKDAYS
        .iter()
        .any(|w| w.as_bytes().eq_ignore_ascii_case(weekday));
    if c.eat(b',') {
        c.spaces();
        if short {
            // IMF-fixdate: `06 Nov 1994 08:49:37 GMT`.
            let day = c.digits(2)?;
            (c.spaces() == 1).then_some(())?;
            let month = month_from(c.word())?;
            (c.spaces() == 1).then_some(())?;
            let year = c.digits(4)? as i32;
            (c.spaces() == 1).then_some(())?;
            let (h, m, s, n) = parse_hms(&mut c)?;
            (c.spaces() == 1).then_some(())?;
            c.word().eq_ignore_ascii_case(b"GMT").then_some(())?;
            c.done().then_some(())?;
            build(year, month, day, h, m, s, n)
        } else if long {
            // RFC 850: `06-Nov-94 08:49:37 GMT`.
            let day = c.digits(2)?;
            c.eat(b'-').then_some(())?;
            let month = month_from(c.word())?;
            c.eat(b'-').then_some(())?;
            let yy = c.digits(2)? as i32;
            let year = if yy >= 70 { 1900 + yy } else { 2000 + yy };
            (c.spaces() == 1).then_some(())?;
            let (h, m, s, n) = parse_hms(&mut c)?;
            (c.spaces() == 1).then_some(())?;
            c.word().eq_ignore_ascii_case(b"GMT").then_some(())?;
            c.done().then_some(())?;
            build(year, month, day, h, m, s, n)
        } else {
            None
        }
    } else if short {
        // asctime: `Nov  6 08:49:37 1994`.
        (c.spaces() == 1).then_some(())?;
        let month = month_from(c.word())?;
        c.spaces();
        let (day, _) = c.digits_up_to(2)?;
        (c.spaces() == 1).then_some(())?;
        let (h, m, s, n) = parse_hms(&mut c)?;
        (c.spaces() == 1).then_some(())?;
        let year = c.digits(4)? as i32;
        c.done().then_some(())?;
        build(year, month, day, h, m, s, n)
    } else {
        None
    }
}

const EPOCH: &str = "epoch seconds (a decimal number)";

/// Decimal seconds since the epoch: `1576540098`, `-1.5`, `1576540098.123456789`.
/// Exponents are accepted (`1.5e9`) through a float conversion.
pub fn parse_epoch_seconds(text: &str) -> Result<OffsetDateTime, TimestampError> {
    let t = text.trim();
    parse_epoch_exact(t)
        .or_else(|| {
            // `1e9` and friends: not exact, but not worth refusing.
            if t.contains(['e', 'E']) {
                t.parse::<f64>().ok().and_then(from_epoch_f64)
            } else {
                None
            }
        })
        .ok_or_else(|| error(EPOCH, text))
}

fn parse_epoch_exact(t: &str) -> Option<OffsetDateTime> {
    let (negative, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if int.is_empty() || int.len() > 15 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = int.parse().ok()?;
    let nanos = match frac {
        None => 0,
        Some(f) if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) => {
            return None
        }
        Some(f) => f.parse::<u32>().ok()? * 10u32.pow((9 - f.len()) as u32),
    };
    let total = secs as i128 * 1_000_000_000 + nanos as i128;
    let total = if negative { -total } else { total };
    OffsetDateTime::from_unix_timestamp_nanos(total).ok()
}

/// A JSON number of epoch seconds. Fractions are rounded to the microsecond: an `f64`
/// near today's epoch values carries no more precision than that.
pub fn from_epoch_f64(value: f64) -> Option<OffsetDateTime> {
    if !value.is_finite() {
        return None;
    }
    // `as` saturates; `time` refuses anything outside its range (years ±9999).
    let micros = (value * 1e6).round() as i128;
    OffsetDateTime::from_unix_timestamp_nanos(micros.checked_mul(1000)?).ok()
}

/// A JSON integer of epoch seconds.
pub fn from_epoch_i64(value: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats() {
        let t = datetime!(2019-12-16 23:48:18 UTC);
        assert_eq!(format_date_time(&t), "2019-12-16T23:48:18Z");
        assert_eq!(format_http_date(&t), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(format_epoch_seconds(&t), "1576540098");
        let f = datetime!(2019-12-16 23:48:18.52 UTC);
        assert_eq!(format_date_time(&f), "2019-12-16T23:48:18.52Z");
        assert_eq!(format_http_date(&f), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(format_epoch_seconds(&f), "1576540098.52");
        assert_eq!(epoch_seconds_number(&t), EpochNumber::Integer(1576540098));
        let n = datetime!(1969-12-31 23:59:58.75 UTC);
        assert_eq!(format_epoch_seconds(&n), "-1.25");
        let o = datetime!(2019-12-17 01:48:18 +02:00);
        assert_eq!(format_date_time(&o), "2019-12-16T23:48:18Z");
        let early = datetime!(0001-01-01 00:00:00 UTC);
        assert_eq!(format_date_time(&early), "0001-01-01T00:00:00Z");
        assert_eq!(format_http_date(&early), "Mon, 01 Jan 0001 00:00:00 GMT");
    }

    #[test]
    fn parses_date_time() {
        let want = datetime!(2019-12-16 23:48:18 UTC);
        for ok in [
            "2019-12-16T23:48:18Z",
            "2019-12-16t23:48:18z",
            "2019-12-17T01:48:18+02:00",
            "2019-12-16T20:18:18-03:30",
            "2019-12-16T23:48:18.000Z",
        ] {
            assert_eq!(parse_date_time(ok).unwrap(), want, "{ok}");
        }
        assert_eq!(
            parse_date_time("2019-12-16T23:48:18.1Z").unwrap(),
            datetime!(2019-12-16 23:48:18.1 UTC)
        );
        assert_eq!(
            parse_date_time("2019-12-16T23:48:18.123456789Z").unwrap(),
            datetime!(2019-12-16 23:48:18.123456789 UTC)
        );
        assert_eq!(
            parse_date_time("2016-12-31T23:59:60Z").unwrap(),
            datetime!(2017-01-01 00:00:00 UTC)
        );
        for bad in [
            "",
            "2019-12-16",
            "2019-12-16T23:48:18",
            "2019-12-16 23:48:18Z",
            "2019-13-16T23:48:18Z",
            "2019-02-30T23:48:18Z",
            "2019-12-16T24:48:18Z",
            "2019-12-16T23:48:18.Z",
            "2019-12-16T23:48:18.1234567891Z",
            "2019-12-16T23:48:18+2:00",
            "2019-12-16T23:48:18Zjunk",
            "1576540098",
            "２０１９-12-16T23:48:18Z",
        ] {
            let e = parse_date_time(bad).unwrap_err();
            assert!(e.to_string().contains("RFC 3339"), "{bad}: {e}");
        }
    }

    #[test]
    fn parses_http_date() {
        let want = datetime!(1994-11-06 08:49:37 UTC);
        for ok in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun Nov 06 08:49:37 1994",
            " Sun, 06 Nov 1994 08:49:37 GMT ",
        ] {
            assert_eq!(parse_http_date(ok).unwrap(), want, "{ok}");
        }
        assert_eq!(
            parse_http_date("Mon, 16 Dec 2019 23:48:18.52 GMT").unwrap(),
            datetime!(2019-12-16 23:48:18.52 UTC)
        );
        assert_eq!(
            parse_http_date("Friday, 01-Jan-21 00:00:00 GMT").unwrap(),
            datetime!(2021-01-01 00:00:00 UTC)
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "1994-11-06T08:49:37Z",
        ] {
            assert!(parse_http_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_epoch_seconds() {
        assert_eq!(
            parse_epoch_seconds("1576540098").unwrap(),
            datetime!(2019-12-16 23:48:18 UTC)
        );
        assert_eq!(
            parse_epoch_seconds("1576540098.52").unwrap(),
            datetime!(2019-12-16 23:48:18.52 UTC)
        );
        assert_eq!(
            parse_epoch_seconds("-1.25").unwrap(),
            datetime!(1969-12-31 23:59:58.75 UTC)
        );
        assert_eq!(
            parse_epoch_seconds("1.5e9").unwrap(),
            OffsetDateTime::from_unix_timestamp(1_500_000_000).unwrap()
        );
        for bad in [
            "",
            "abc",
            "1.",
            ".5",
            "1.2.3",
            "--1",
            "1.1234567890",
            "99999999999999999999",
        ] {
            assert!(parse_epoch_seconds(bad).is_err(), "{bad}");
        }
        assert_eq!(
            from_epoch_f64(1576540098.123).unwrap(),
            datetime!(2019-12-16 23:48:18.123 UTC)
        );
        assert!(from_epoch_f64(f64::NAN).is_none());
        assert!(from_epoch_f64(1e300).is_none());
        assert!(from_epoch_i64(i64::MAX).is_none());
    }

    #[test]
    fn round_trips() {
        for t in [
            datetime!(2019-12-16 23:48:18 UTC),
            datetime!(2019-12-16 23:48:18.001 UTC),
            datetime!(1970-01-01 00:00:00 UTC),
            datetime!(1969-07-20 20:17:40.5 UTC),
        ] {
            for f in [Format::DateTime, Format::EpochSeconds] {
                assert_eq!(parse(&format(&t, f), f).unwrap(), t, "{f:?}");
            }
            let whole = t.replace_nanosecond(0).unwrap();
            assert_eq!(
                parse(&format(&t, Format::HttpDate), Format::HttpDate).unwrap(),
                whole
            );
        }
    }
}
