//! The JMESPath subset that waiters (`smithy.waiters#waitable`) and paginators
//! (`smithy.api#paginated` output paths) use: a parser to an AST here, and a compiler to Rust
//! expressions over the generated types in [`compile`]. Expressions are never interpreted
//! at run time; anything outside the subset is an error at generation time.
//!
//! The subset: identifiers (bare and `"quoted"`), `@`, sub-expressions `a.b`, indexes
//! `a[0]` / `a[-1]`, flatten `a[]`, list wildcard `a[*]`, filters `a[?expr]`, pipes `a | b`,
//! comparisons `== != < <= > >=`, `&&`, `||`, `!`, parentheses, raw strings `'x'`, JSON
//! literals `` `"x"` `` / `` `1` `` / `` `true` ``, and the functions `length` and `contains`.
//! Not supported: slices, multi-select lists and hashes, object wildcards `*` / `.*`,
//! expression references `&`, and every other function.

pub mod compile;

use serde_json::Value;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `@`.
    Current,
    /// `name` or `"name"`, relative to the current node.
    Field(String),
    /// `lhs.rhs`: `rhs` evaluated with `lhs` as the current node.
    Sub(Box<Expr>, Box<Expr>),
    /// `lhs[n]`.
    Index(Box<Expr>, i64),
    /// `lhs[]`.
    Flatten(Box<Expr>),
    /// `lhs[*]`.
    Wildcard(Box<Expr>),
    /// `lhs[?cond]`.
    Filter(Box<Expr>, Box<Expr>),
    /// `lhs | rhs`.
    Pipe(Box<Expr>, Box<Expr>),
    Compare(Box<Expr>, CompareOp, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `'raw'` (a string) or `` `json` ``.
    Literal(Value),
    /// `name(args, ..)`.
    Call(String, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Quoted(String),
    Raw(String),
    Json(Value),
    Number(i64),
    Dot,
    LBracket,
    /// `[?`
    Filter,
    RBracket,
    LParen,
    RParen,
    Comma,
    Pipe,
    Or,
    And,
    Not,
    Compare(CompareOp),
    Star,
    At,
}

fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Token::Ident(chars[start..i].iter().collect()));
            }
            '0'..='9' | '-' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let digits: String = chars[start..i].iter().collect();
                let n = digits
                    .parse()
                    .map_err(|_| format!("`{digits}` is not an index"))?;
                out.push(Token::Number(n));
            }
            '"' | '\'' | '`' => {
                let quote = c;
                i += 1;
                let mut s = String::new();
                loop {
                    match chars.get(i) {
                        None => return Err(format!("unterminated {quote}-quoted text")),
                        Some(&ch) if ch == quote => break,
                        Some('\\') if matches!(chars.get(i + 1), Some(&q) if q == quote) => {
                            s.push(quote);
                            i += 2;
                            continue;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                i += 1;
                out.push(match quote {
                    '\'' => Token::Raw(s),
                    '`' => Token::Json(
                        serde_json::from_str(&s)
                            .map_err(|_| format!("`{s}` is not a JSON literal"))?,
                    ),
                    _ => Token::Quoted(
                        serde_json::from_str::<String>(&format!("\"{s}\""))
                            .map_err(|_| format!("\"{s}\" is not a quoted identifier"))?,
                    ),
                });
            }
            '.' => {
                out.push(Token::Dot);
                i += 1;
            }
            '[' if next == Some('?') => {
                out.push(Token::Filter);
                i += 2;
            }
            '[' => {
                out.push(Token::LBracket);
                i += 1;
            }
            ']' => {
                out.push(Token::RBracket);
                i += 1;
            }
            '(' => {
                out.push(Token::LParen);
                i += 1;
            }
            ')' => {
                out.push(Token::RParen);
                i += 1;
            }
            ',' => {
                out.push(Token::Comma);
                i += 1;
            }
            '*' => {
                out.push(Token::Star);
                i += 1;
            }
            '@' => {
                out.push(Token::At);
                i += 1;
            }
            '|' if next == Some('|') => {
                out.push(Token::Or);
                i += 2;
            }
            '|' => {
                out.push(Token::Pipe);
                i += 1;
            }
            '&' if next == Some('&') => {
                out.push(Token::And);
                i += 2;
            }
            '=' if next == Some('=') => {
                out.push(Token::Compare(CompareOp::Eq));
                i += 2;
            }
            '!' if next == Some('=') => {
                out.push(Token::Compare(CompareOp::Ne));
                i += 2;
            }
            '!' => {
                out.push(Token::Not);
                i += 1;
            }
            '<' | '>' => {
                let eq = next == Some('=');
                let op = match (c, eq) {
                    ('<', false) => CompareOp::Lt,
                    ('<', true) => CompareOp::Le,
                    ('>', false) => CompareOp::Gt,
                    _ => CompareOp::Ge,
                };
                out.push(Token::Compare(op));
                i += if eq { 2 } else { 1 };
            }
            ':' => return Err("slices (`:`) are not supported".into()),
            other => return Err(format!("`{other}` is not supported")),
        }
    }
    Ok(out)
}

/// Parses `text`; the error says what is wrong or unsupported.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = lex(text)?;
    let mut p = Parser { tokens, pos: 0 };
    let expr = p.pipe()?;
    match p.peek() {
        None => Ok(expr),
        Some(t) => Err(format!("unexpected {t:?} after a complete expression")),
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat(&mut self, t: &Token) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Token) -> Result<(), String> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(format!("expected {t:?}, found {:?}", self.peek()))
        }
    }

    fn pipe(&mut self) -> Result<Expr, String> {
        let mut lhs = self.or()?;
        while self.eat(&Token::Pipe) {
            lhs = Expr::Pipe(Box::new(lhs), Box::new(self.or()?));
        }
        Ok(lhs)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut lhs = self.and()?;
        while self.eat(&Token::Or) {
            lhs = Expr::Or(Box::new(lhs), Box::new(self.and()?));
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut lhs = self.compare()?;
        while self.eat(&Token::And) {
            lhs = Expr::And(Box::new(lhs), Box::new(self.compare()?));
        }
        Ok(lhs)
    }

    fn compare(&mut self) -> Result<Expr, String> {
        let lhs = self.unary()?;
        if let Some(Token::Compare(op)) = self.peek().cloned() {
            self.pos += 1;
            let rhs = self.unary()?;
            return Ok(Expr::Compare(Box::new(lhs), op, Box::new(rhs)));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat(&Token::Not) {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        let primary = self.primary()?;
        self.postfix(primary)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        // `[..]` with nothing before it applies to the current node.
        if matches!(self.peek(), Some(Token::LBracket | Token::Filter)) {
            return Ok(Expr::Current);
        }
        match self.next() {
            Some(Token::At) => Ok(Expr::Current),
            Some(Token::Quoted(name)) => Ok(Expr::Field(name)),
            Some(Token::Ident(name)) => {
                if self.eat(&Token::LParen) {
                    let mut args = Vec::new();
                    if !self.eat(&Token::RParen) {
                        loop {
                            args.push(self.pipe()?);
                            if self.eat(&Token::RParen) {
                                break;
                            }
                            self.expect(&Token::Comma)?;
                        }
                    }
                    Ok(Expr::Call(name, args))
                } else {
                    Ok(Expr::Field(name))
                }
            }
            Some(Token::Raw(s)) => Ok(Expr::Literal(Value::String(s))),
            Some(Token::Json(v)) => Ok(Expr::Literal(v)),
            Some(Token::LParen) => {
                let e = self.pipe()?;
                self.expect(&Token::RParen)?;
                Ok(e)
            }
            Some(Token::Star) => Err("object wildcards (`*`) are not supported".into()),
            other => Err(format!("unexpected {other:?}")),
        }
    }

    fn postfix(&mut self, mut lhs: Expr) -> Result<Expr, String> {
        loop {
            match self.peek() {
                Some(Token::Dot) => {
                    self.pos += 1;
                    let rhs = match self.next() {
                        Some(Token::Ident(name)) if self.peek() != Some(&Token::LParen) => {
                            Expr::Field(name)
                        }
                        Some(Token::Quoted(name)) => Expr::Field(name),
                        Some(Token::Star) => {
                            return Err("object wildcards (`.*`) are not supported".into())
                        }
                        Some(Token::LBracket) => {
                            return Err("multi-select lists are not supported".into())
                        }
                        other => return Err(format!("unexpected {other:?} after `.`")),
                    };
                    lhs = Expr::Sub(Box::new(lhs), Box::new(rhs));
                }
                Some(Token::LBracket) => {
                    self.pos += 1;
                    lhs = match self.next() {
                        Some(Token::RBracket) => Expr::Flatten(Box::new(lhs)),
                        Some(Token::Star) => {
                            self.expect(&Token::RBracket)?;
                            Expr::Wildcard(Box::new(lhs))
                        }
                        Some(Token::Number(n)) => {
                            if !self.eat(&Token::RBracket) {
                                return Err("slices are not supported".into());
                            }
                            Expr::Index(Box::new(lhs), n)
                        }
                        other => {
                            return Err(format!(
                                "unexpected {other:?} in `[..]` (slices and multi-select lists are not supported)"
                            ))
                        }
                    };
                }
                Some(Token::Filter) => {
                    self.pos += 1;
                    let cond = self.pipe()?;
                    self.expect(&Token::RBracket)?;
                    lhs = Expr::Filter(Box::new(lhs), Box::new(cond));
                }
                _ => return Ok(lhs),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: &str) -> Box<Expr> {
        Box::new(Expr::Field(n.into()))
    }

    #[test]
    fn parses_paths_projections_and_comparisons() {
        assert_eq!(parse("a.b").unwrap(), Expr::Sub(field("a"), field("b")));
        assert_eq!(
            parse("a[].\"b c\"").unwrap(),
            Expr::Sub(Box::new(Expr::Flatten(field("a"))), field("b c"))
        );
        assert_eq!(
            parse("length(a[?s == 'x']) > `0`").unwrap(),
            Expr::Compare(
                Box::new(Expr::Call(
                    "length".into(),
                    vec![Expr::Filter(
                        field("a"),
                        Box::new(Expr::Compare(
                            field("s"),
                            CompareOp::Eq,
                            Box::new(Expr::Literal(Value::String("x".into())))
                        ))
                    )]
                )),
                CompareOp::Gt,
                Box::new(Expr::Literal(Value::from(0)))
            )
        );
        assert!(matches!(parse("!a && b || c").unwrap(), Expr::Or(..)));
        assert!(matches!(parse("a[-1]").unwrap(), Expr::Index(_, -1)));
        assert!(matches!(parse("a | [0]").unwrap(), Expr::Pipe(..)));
    }

    #[test]
    fn unsupported_features_are_errors() {
        for (text, why) in [
            ("a[0:2]", "slices"),
            ("a.*", "wildcards"),
            ("*", "wildcards"),
            ("a.[b, c]", "multi-select"),
            ("{a: b}", "`{`"),
            ("sort_by(a, &b)", "`&`"),
            ("a.b(", "after"),
            ("'open", "unterminated"),
            ("a b", "unexpected"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
    }
}
