//! The Smithy IDL 2.0 lexer: text → tokens with 1-based line and column.
//!
//! Commas are whitespace in IDL 2.0 and never become tokens; `//` comments are dropped;
//! `///` documentation comments become `Doc` tokens (the parser keeps the ones in front of
//! shapes, members and traits). Quoted strings and text blocks (`"""`) have their escapes
//! processed here; text blocks also lose their incidental whitespace, as the spec says.

use std::fmt;

/// A position in the source: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier, namespace, shape id (`a.b#C$d`) or `$`-prefixed name (`$version`,
    /// elided member `$id`), as written.
    Word(String),
    /// A quoted string (escapes processed).
    Str(String),
    /// A text block (incidental whitespace removed, escapes processed).
    TextBlock(String),
    /// A number as written.
    Number(String),
    /// The text of one `///` line after the slashes (and one following space).
    Doc(String),
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Colon,
    /// `:=`
    Walrus,
    Eq,
    At,
    Eof,
}

impl Tok {
    /// For "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Str(_) => "a string".to_string(),
            Tok::TextBlock(_) => "a text block".to_string(),
            Tok::Number(n) => format!("the number `{n}`"),
            Tok::Doc(_) => "a documentation comment".to_string(),
            Tok::LBrace => "`{`".to_string(),
            Tok::RBrace => "`}`".to_string(),
            Tok::LBracket => "`[`".to_string(),
            Tok::RBracket => "`]`".to_string(),
            Tok::LParen => "`(`".to_string(),
            Tok::RParen => "`)`".to_string(),
            Tok::Colon => "`:`".to_string(),
            Tok::Walrus => "`:=`".to_string(),
            Tok::Eq => "`=`".to_string(),
            Tok::At => "`@`".to_string(),
            Tok::Eof => "the end of the file".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

/// A lexing error: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub pos: Pos,
    pub message: String,
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    /// Lookahead buffer beyond `chars.peek()`, for `"""` and `///`.
    pos: Pos,
}

/// Splits IDL text into tokens; the last one is always `Eof`.
pub fn lex(text: &str) -> Result<Vec<Token>, LexError> {
    let mut lexer = Lexer {
        chars: text.chars().peekable(),
        pos: Pos { line: 1, column: 1 },
    };
    let rest: Vec<char> = text.chars().collect();
    let mut index = 0usize;
    let mut out = Vec::new();
    // `index` mirrors the iterator so that lookahead can index `rest` safely.
    loop {
        let Some(&c) = rest.get(index) else {
            out.push(Token {
                tok: Tok::Eof,
                pos: lexer.pos,
            });
            return Ok(out);
        };
        let start = lexer.pos;
        let at = |i: usize| rest.get(index + i).copied();
        match c {
            ' ' | '\t' | '\r' | '\n' | ',' => {
                lexer.bump(&mut index);
            }
            '\u{feff}' if index == 0 => {
                lexer.bump(&mut index);
            }
            '/' if at(1) == Some('/') => {
                let doc = at(2) == Some('/');
                let mut body = String::new();
                while let Some(ch) = rest.get(index).copied() {
                    if ch == '\n' {
                        break;
                    }
                    body.push(ch);
                    lexer.bump(&mut index);
                }
                if doc {
                    let text = body.get(3..).unwrap_or("");
                    let text = text.strip_suffix('\r').unwrap_or(text);
                    let text = text.strip_prefix(' ').unwrap_or(text);
                    out.push(Token {
                        tok: Tok::Doc(text.to_string()),
                        pos: start,
                    });
                }
            }
            '{' | '}' | '[' | ']' | '(' | ')' | '=' | '@' => {
                lexer.bump(&mut index);
                let tok = match c {
                    '{' => Tok::LBrace,
                    '}' => Tok::RBrace,
                    '[' => Tok::LBracket,
                    ']' => Tok::RBracket,
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    '=' => Tok::Eq,
                    _ => Tok::At,
                };
                out.push(Token { tok, pos: start });
            }
            ':' => {
                lexer.bump(&mut index);
                let tok = if rest.get(index) == Some(&'=') {
                    lexer.bump(&mut index);
                    Tok::Walrus
                } else {
                    Tok::Colon
                };
                out.push(Token { tok, pos: start });
            }
            '"' => {
                let tok = if at(1) == Some('"') && at(2) == Some('"') {
                    lexer.bump(&mut index);
                    lexer.bump(&mut index);
                    lexer.bump(&mut index);
                    lexer.text_block(&rest, &mut index, start)?
                } else {
                    lexer.bump(&mut index);
                    lexer.quoted(&rest, &mut index, start)?
                };
                out.push(Token { tok, pos: start });
            }
            c if c == '-' || c.is_ascii_digit() => {
                let tok = lexer.number(&rest, &mut index, start)?;
                out.push(Token { tok, pos: start });
            }
            c if c.is_ascii_alphabetic() || c == '_' || c == '$' => {
                let mut word = String::new();
                while let Some(ch) = rest.get(index).copied() {
                    if ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '#' | '$') {
                        word.push(ch);
                        lexer.bump(&mut index);
                    } else {
                        break;
                    }
                }
                out.push(Token {
                    tok: Tok::Word(word),
                    pos: start,
                });
            }
            other => {
                return Err(LexError {
                    pos: start,
                    message: format!("unexpected character {other:?}"),
                })
            }
        }
    }
}

impl Lexer<'_> {
    /// Moves past `rest[*index]`, keeping line and column.
    fn bump(&mut self, index: &mut usize) {
        if let Some(c) = self.chars.next() {
            if c == '\n' {
                self.pos.line = self.pos.line.saturating_add(1);
                self.pos.column = 1;
            } else {
                self.pos.column = self.pos.column.saturating_add(1);
            }
        }
        *index += 1;
    }

    fn number(&mut self, rest: &[char], index: &mut usize, start: Pos) -> Result<Tok, LexError> {
        let mut text = String::new();
        let take = |this: &mut Self, index: &mut usize, text: &mut String| {
            if let Some(c) = rest.get(*index) {
                text.push(*c);
            }
            this.bump(index);
        };
        let digits = |this: &mut Self, index: &mut usize, text: &mut String| -> usize {
            let mut n = 0;
            while rest.get(*index).is_some_and(|c| c.is_ascii_digit()) {
                take(this, index, text);
                n += 1;
            }
            n
        };
        let bad = |pos: Pos, text: &str| LexError {
            pos,
            message: format!("invalid number `{text}`"),
        };
        if rest.get(*index) == Some(&'-') {
            take(self, index, &mut text);
        }
        if digits(self, index, &mut text) == 0 {
            return Err(bad(start, &text));
        }
        if text.trim_start_matches('-').len() > 1 && text.trim_start_matches('-').starts_with('0') {
            return Err(bad(start, &text));
        }
        if rest.get(*index) == Some(&'.') {
            take(self, index, &mut text);
            if digits(self, index, &mut text) == 0 {
                return Err(bad(start, &text));
            }
        }
        if matches!(rest.get(*index), Some('e' | 'E')) {
            take(self, index, &mut text);
            if matches!(rest.get(*index), Some('+' | '-')) {
                take(self, index, &mut text);
            }
            if digits(self, index, &mut text) == 0 {
                return Err(bad(start, &text));
            }
        }
        if rest
            .get(*index)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            if let Some(c) = rest.get(*index) {
                text.push(*c);
            }
            return Err(bad(start, &text));
        }
        Ok(Tok::Number(text))
    }

    /// After the opening `"`.
    fn quoted(&mut self, rest: &[char], index: &mut usize, start: Pos) -> Result<Tok, LexError> {
        let mut raw = String::new();
        let content_start = self.pos;
        loop {
            match rest.get(*index).copied() {
                None => {
                    return Err(LexError {
                        pos: start,
                        message: "unterminated string (expected a closing `\"`)".to_string(),
                    })
                }
                Some('"') => {
                    self.bump(index);
                    break;
                }
                Some('\\') => {
                    raw.push('\\');
                    self.bump(index);
                    if let Some(c) = rest.get(*index).copied() {
                        raw.push(c);
                        self.bump(index);
                    }
                }
                Some(c) => {
                    raw.push(c);
                    self.bump(index);
                }
            }
        }
        let raw = raw.replace("\r\n", "\n");
        unescape(&raw, content_start).map(Tok::Str)
    }

    /// After the opening `"""`.
    fn text_block(
        &mut self,
        rest: &[char],
        index: &mut usize,
        start: Pos,
    ) -> Result<Tok, LexError> {
        // The opening delimiter must end its line.
        while matches!(rest.get(*index), Some(' ' | '\t')) {
            self.bump(index);
        }
        if rest.get(*index) == Some(&'\r') {
            self.bump(index);
        }
        if rest.get(*index) != Some(&'\n') {
            return Err(LexError {
                pos: self.pos,
                message: "expected a new line after the opening `\"\"\"` of a text block"
                    .to_string(),
            });
        }
        self.bump(index);
        let content_start = self.pos;
        let mut raw = String::new();
        loop {
            match rest.get(*index).copied() {
                None => {
                    return Err(LexError {
                        pos: start,
                        message: "unterminated text block (expected a closing `\"\"\"`)"
                            .to_string(),
                    })
                }
                Some('"')
                    if rest.get(*index + 1) == Some(&'"') && rest.get(*index + 2) == Some(&'"') =>
                {
                    self.bump(index);
                    self.bump(index);
                    self.bump(index);
                    break;
                }
                Some('\\') => {
                    raw.push('\\');
                    self.bump(index);
                    if let Some(c) = rest.get(*index).copied() {
                        raw.push(c);
                        self.bump(index);
                    }
                }
                Some(c) => {
                    raw.push(c);
                    self.bump(index);
                }
            }
        }
        let raw = raw.replace("\r\n", "\n");
        unescape(&strip_incidental_whitespace(&raw), content_start).map(Tok::TextBlock)
    }
}

/// The text-block whitespace rules: the smallest indentation of the non-blank lines (and of
/// the closing line, blank or not) is removed from every line, and trailing spaces go.
fn strip_incidental_whitespace(raw: &str) -> String {
    let lines: Vec<&str> = raw.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    let indent = |line: &str| line.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    let min = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| *i == last || !l.trim().is_empty())
        .map(|(_, l)| indent(l))
        .min()
        .unwrap_or(0);
    let mut out = Vec::with_capacity(lines.len());
    for line in &lines {
        let stripped: String = if line.trim().is_empty() {
            String::new()
        } else {
            line.chars().skip(min).collect()
        };
        out.push(stripped.trim_end_matches([' ', '\t']).to_string());
    }
    out.join("\n")
}

/// Processes `\` escapes. An escaped new line is a line continuation (both vanish).
fn unescape(raw: &str, pos: Pos) -> Result<String, LexError> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let bad = |message: String| LexError { pos, message };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\n') => {}
            Some('u') => {
                let first = hex4(&mut chars).ok_or_else(|| {
                    bad("invalid unicode escape (expected `\\u` and 4 hex digits)".to_string())
                })?;
                let code = if (0xD800..0xDC00).contains(&first) {
                    let low = match (chars.next(), chars.next()) {
                        (Some('\\'), Some('u')) => hex4(&mut chars),
                        _ => None,
                    }
                    .filter(|low| (0xDC00..0xE000).contains(low))
                    .ok_or_else(|| bad("unpaired surrogate in a unicode escape".to_string()))?;
                    0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    first
                };
                let ch = char::from_u32(code)
                    .ok_or_else(|| bad(format!("invalid unicode escape `\\u{code:04X}`")))?;
                out.push(ch);
            }
            Some(other) => return Err(bad(format!("invalid escape `\\{other}` in a string"))),
            None => return Err(bad("a string ends in a lone `\\`".to_string())),
        }
    }
    Ok(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut value = 0u32;
    for _ in 0..4 {
        value = value * 16 + chars.next()?.to_digit(16)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn words_numbers_punctuation() {
        assert_eq!(
            toks("$version: \"2.0\"\nfoo.bar#Baz$m := -1.5e3, 0 @x(a: [1])"),
            vec![
                Tok::Word("$version".into()),
                Tok::Colon,
                Tok::Str("2.0".into()),
                Tok::Word("foo.bar#Baz$m".into()),
                Tok::Walrus,
                Tok::Number("-1.5e3".into()),
                Tok::Number("0".into()),
                Tok::At,
                Tok::Word("x".into()),
                Tok::LParen,
                Tok::Word("a".into()),
                Tok::Colon,
                Tok::LBracket,
                Tok::Number("1".into()),
                Tok::RBracket,
                Tok::RParen,
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn comments_and_docs() {
        assert_eq!(
            toks("// no\n/// Yes  \n///\n///x\nA"),
            vec![
                Tok::Doc("Yes  ".into()),
                Tok::Doc(String::new()),
                Tok::Doc("x".into()),
                Tok::Word("A".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn strings_and_text_blocks() {
        assert_eq!(
            toks(r#""a\"b\n\u00e9\ud83d\ude00""#),
            vec![Tok::Str("a\"b\n\u{e9}\u{1F600}".into()), Tok::Eof]
        );
        let block = "\"\"\"\n    Hello\n      world\\\n    !\n\n    end \"\"\"";
        assert_eq!(
            toks(block),
            vec![Tok::TextBlock("Hello\n  world!\n\nend".into()), Tok::Eof]
        );
        let closing = "\"\"\"\n        a\n    \"\"\"";
        assert_eq!(
            toks(closing),
            vec![Tok::TextBlock("    a\n".into()), Tok::Eof]
        );
    }

    #[test]
    fn errors_have_positions() {
        let e = lex("a\n  \"abc").unwrap_err();
        assert_eq!(e.pos, Pos { line: 2, column: 3 });
        let e = lex("x ~").unwrap_err();
        assert_eq!(e.message, "unexpected character '~'");
        assert!(lex("\"\"\"abc\"\"\"").is_err());
        assert!(lex("01").is_err());
        assert!(lex("\"\\q\"").is_err());
        assert!(lex("\"\\ud800\"").is_err());
    }
}
