//! The Smithy IDL 2.0 parser: tokens → an IDL syntax tree (`IdlFile`) that still holds shape
//! ids as written (relative or absolute) with their positions. `lower` resolves them.
//!
//! The grammar follows the IDL 2.0 ABNF: a control section (`$version: "2.0"`), a metadata
//! section, then `namespace`, `use` statements and shape / `apply` statements. Newlines are
//! not significant; commas are whitespace.

use super::lexer::{Pos, Tok, Token};
use crate::model::ShapeType;

/// A node value as written; `Id` is an unquoted shape id, resolved by `lower`.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(String),
    Id(String, Pos),
    Array(Vec<Node>),
    Object(Vec<(String, Pos, Node)>),
}

/// `@name` or `@name(value)`; `value` is `None` for an annotation trait.
#[derive(Debug, Clone, PartialEq)]
pub struct AstTrait {
    pub name: String,
    pub pos: Pos,
    pub value: Option<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AstMember {
    pub name: String,
    pub pos: Pos,
    pub traits: Vec<AstTrait>,
    /// `None` for an elided target (`$name`) and for enum members.
    pub target: Option<(String, Pos)>,
    pub elided: bool,
    /// `= value`: the default (structures) or the enum value (enums).
    pub value: Option<(Node, Pos)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AstShape {
    pub ty: ShapeType,
    pub name: String,
    pub pos: Pos,
    pub traits: Vec<AstTrait>,
    pub mixins: Vec<(String, Pos)>,
    /// `structure X for Resource`.
    pub for_resource: Option<(String, Pos)>,
    pub members: Vec<AstMember>,
    /// Service/resource/operation properties (`version: "1"`, `input: X`, ...).
    pub properties: Vec<(String, Pos, Node)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AstApply {
    pub target: String,
    pub pos: Pos,
    pub traits: Vec<AstTrait>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdlFile {
    /// `$version`, if given, and where.
    pub version: Option<(String, Pos)>,
    pub input_suffix: String,
    pub output_suffix: String,
    pub metadata: Vec<(String, Pos, Node)>,
    pub namespace: Option<(String, Pos)>,
    pub uses: Vec<(String, Pos)>,
    /// Shapes in file order, inline input/output structures right after their operation.
    pub shapes: Vec<AstShape>,
    pub applies: Vec<AstApply>,
}

/// A parse error: where and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub pos: Pos,
    pub message: String,
}

type PResult<T> = Result<T, ParseError>;

/// How deep node values and nested statements may go, so hostile input cannot overflow
/// the stack.
const MAX_DEPTH: usize = 64;

struct Parser {
    tokens: Vec<Token>,
    index: usize,
    depth: usize,
}

/// Parses a token list (ending in `Eof`, as `lexer::lex` returns it).
pub fn parse(tokens: Vec<Token>) -> PResult<IdlFile> {
    let mut p = Parser {
        tokens,
        index: 0,
        depth: 0,
    };
    p.file()
}

fn err<T>(pos: Pos, message: impl Into<String>) -> PResult<T> {
    Err(ParseError {
        pos,
        message: message.into(),
    })
}

impl Parser {
    // ---- token access -------------------------------------------------------------------

    fn eof_pos(&self) -> Pos {
        self.tokens.last().map(|t| t.pos).unwrap_or_default()
    }

    /// Where the next token that is not a documentation comment is.
    fn skip_docs_index(&self) -> usize {
        let mut i = self.index;
        while let Some(Token {
            tok: Tok::Doc(_), ..
        }) = self.tokens.get(i)
        {
            i += 1;
        }
        i
    }

    /// The next token that is not a documentation comment. Looking does not consume the
    /// comments; `next` does (a `///` where no documentation can go is ignored, as Smithy
    /// does).
    fn peek(&self) -> (Tok, Pos) {
        match self.tokens.get(self.skip_docs_index()) {
            Some(t) => (t.tok.clone(), t.pos),
            None => (Tok::Eof, self.eof_pos()),
        }
    }

    /// The token after `peek()`'s, docs skipped.
    fn peek2(&self) -> Tok {
        self.tokens
            .iter()
            .skip(self.skip_docs_index() + 1)
            .find(|t| !matches!(t.tok, Tok::Doc(_)))
            .map(|t| t.tok.clone())
            .unwrap_or(Tok::Eof)
    }

    fn next(&mut self) -> (Tok, Pos) {
        let t = self.peek();
        self.index = (self.skip_docs_index() + 1).min(self.tokens.len());
        t
    }

    /// Consecutive `///` lines here, joined by new lines.
    fn docs(&mut self) -> Option<(String, Pos)> {
        let mut lines = Vec::new();
        let mut first = None;
        while let Some(Token {
            tok: Tok::Doc(text),
            pos,
        }) = self.tokens.get(self.index)
        {
            first.get_or_insert(*pos);
            lines.push(text.clone());
            self.index += 1;
        }
        first.map(|pos| (lines.join("\n"), pos))
    }

    fn expect(&mut self, want: Tok, what: &str) -> PResult<Pos> {
        let (tok, pos) = self.next();
        if tok == want {
            Ok(pos)
        } else {
            err(pos, format!("expected {what}, found {}", tok.describe()))
        }
    }

    fn expected<T>(&mut self, what: &str) -> PResult<T> {
        let (tok, pos) = self.peek();
        err(pos, format!("expected {what}, found {}", tok.describe()))
    }

    /// A word (identifier or shape id).
    fn word(&mut self, what: &str) -> PResult<(String, Pos)> {
        match self.peek() {
            (Tok::Word(w), pos) => {
                self.next();
                Ok((w, pos))
            }
            _ => self.expected(what),
        }
    }

    /// An identifier (`[A-Za-z_][A-Za-z0-9_]*`).
    fn identifier(&mut self, what: &str) -> PResult<(String, Pos)> {
        match self.peek() {
            (Tok::Word(w), pos) if super::is_identifier(&w) => {
                self.next();
                Ok((w, pos))
            }
            _ => self.expected(what),
        }
    }

    fn is_word(&mut self, word: &str) -> bool {
        matches!(self.peek(), (Tok::Word(w), _) if w == word)
    }

    fn enter(&mut self, pos: Pos) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err(pos, format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ---- file structure -----------------------------------------------------------------

    fn file(&mut self) -> PResult<IdlFile> {
        let mut file = IdlFile {
            input_suffix: "Input".to_string(),
            output_suffix: "Output".to_string(),
            ..IdlFile::default()
        };
        // Control section.
        loop {
            match self.peek() {
                (Tok::Word(w), pos) if w.starts_with('$') && self.peek2() == Tok::Colon => {
                    self.next();
                    self.next();
                    let key = w.get(1..).unwrap_or("").to_string();
                    let value = self.node()?;
                    match key.as_str() {
                        "version" => {
                            let Node::Str(v) = value else {
                                return err(pos, "expected `$version` to be a string like \"2.0\"");
                            };
                            if file.version.is_some() {
                                return err(pos, "`$version` is given twice");
                            }
                            file.version = Some((v, pos));
                        }
                        "operationInputSuffix" | "operationOutputSuffix" => {
                            let Node::Str(v) = value else {
                                return err(pos, format!("expected `${key}` to be a string"));
                            };
                            if !super::is_identifier(&format!("A{v}")) {
                                return err(pos, format!("`${key}` must be identifier characters"));
                            }
                            if key == "operationInputSuffix" {
                                file.input_suffix = v;
                            } else {
                                file.output_suffix = v;
                            }
                        }
                        // Unknown control statements are ignored (Smithy warns).
                        _ => {}
                    }
                }
                _ => break,
            }
        }
        // Metadata section.
        while self.is_word("metadata") {
            self.next();
            let (key, pos) = match self.peek() {
                (Tok::Word(w), pos) if super::is_identifier(&w) => {
                    self.next();
                    (w, pos)
                }
                (Tok::Str(s), pos) => {
                    self.next();
                    (s, pos)
                }
                _ => return self.expected("a metadata key"),
            };
            self.expect(Tok::Eq, "`=` after the metadata key")?;
            let value = self.node()?;
            file.metadata.push((key, pos, value));
        }
        // Shape section.
        if self.is_word("namespace") {
            self.next();
            let (ns, pos) = self.word("a namespace")?;
            if ns.is_empty() || !ns.split('.').all(super::is_identifier) {
                return err(pos, format!("expected a namespace, found `{ns}`"));
            }
            file.namespace = Some((ns, pos));
            while self.is_word("use") {
                self.next();
                let (id, pos) = self.word("a shape id after `use`")?;
                file.uses.push((id, pos));
            }
            loop {
                let docs = self.docs();
                let (tok, pos) = self.peek();
                if tok == Tok::Eof {
                    if let Some((_, pos)) = docs {
                        // A trailing doc comment documents nothing; Smithy ignores it.
                        let _ = pos;
                    }
                    break;
                }
                match tok {
                    Tok::Word(w) if w == "apply" => {
                        self.next();
                        let apply = self.apply()?;
                        file.applies.push(apply);
                    }
                    Tok::Word(w) if w == "use" => {
                        return err(pos, "`use` statements must come before any shape");
                    }
                    Tok::Word(w) if w == "metadata" => {
                        return err(pos, "metadata must come before the `namespace` statement");
                    }
                    Tok::Word(w) if w.starts_with('$') => {
                        return err(
                            pos,
                            "control statements (`$version: ...`) must come first in the file",
                        );
                    }
                    Tok::Word(w) if w == "namespace" => {
                        return err(pos, "a file has only one `namespace` statement");
                    }
                    Tok::Word(_) | Tok::At => {
                        let traits = self.traits(docs)?;
                        self.shape(traits, &mut file)?;
                    }
                    other => {
                        return err(
                            pos,
                            format!(
                                "expected a shape definition or `apply`, found {}",
                                other.describe()
                            ),
                        )
                    }
                }
            }
        }
        match self.peek() {
            (Tok::Eof, _) => Ok(file),
            (Tok::Word(w), pos) if w.starts_with('$') => err(
                pos,
                "control statements (`$version: ...`) must come first in the file",
            ),
            (tok, pos) if file.namespace.is_none() => err(
                pos,
                format!(
                    "expected `metadata` or a `namespace` statement, found {}",
                    tok.describe()
                ),
            ),
            (tok, pos) => err(pos, format!("unexpected {}", tok.describe())),
        }
    }

    fn apply(&mut self) -> PResult<AstApply> {
        let (target, pos) = self.word("a shape id after `apply`")?;
        let traits = if self.peek().0 == Tok::LBrace {
            self.next();
            let mut traits = Vec::new();
            loop {
                let docs = self.docs();
                if let Some((text, pos)) = docs {
                    traits.push(doc_trait(text, pos));
                }
                match self.peek() {
                    (Tok::RBrace, _) => {
                        self.next();
                        break;
                    }
                    (Tok::At, _) => traits.push(self.one_trait()?),
                    _ => return self.expected("a trait (`@name`) or `}` in the `apply` block"),
                }
            }
            traits
        } else {
            match self.peek() {
                (Tok::At, _) => vec![self.one_trait()?],
                _ => return self.expected("a trait (`@name`) or `{` after the `apply` target")?,
            }
        };
        Ok(AstApply {
            target,
            pos,
            traits,
        })
    }

    /// Trait statements (and doc comments among them), `docs` already taken.
    fn traits(&mut self, docs: Option<(String, Pos)>) -> PResult<Vec<AstTrait>> {
        let mut traits = Vec::new();
        if let Some((text, pos)) = docs {
            traits.push(doc_trait(text, pos));
        }
        loop {
            if let Some((text, pos)) = self.docs() {
                traits.push(doc_trait(text, pos));
            }
            if self.peek().0 == Tok::At {
                traits.push(self.one_trait()?);
            } else {
                return Ok(traits);
            }
        }
    }

    fn one_trait(&mut self) -> PResult<AstTrait> {
        let at = self.expect(Tok::At, "`@`")?;
        let name = match self.peek() {
            (Tok::Word(w), _) => {
                self.next();
                w
            }
            _ => return self.expected("a trait name after `@`"),
        };
        let pos = at;
        if self.peek().0 != Tok::LParen {
            return Ok(AstTrait {
                name,
                pos,
                value: None,
            });
        }
        self.next();
        let value = match self.peek() {
            (Tok::RParen, _) => None,
            (Tok::Word(_) | Tok::Str(_), _) if self.peek2() == Tok::Colon => {
                let mut kvs = Vec::new();
                while self.peek().0 != Tok::RParen {
                    if !matches!(self.peek().0, Tok::Word(_) | Tok::Str(_))
                        || self.peek2() != Tok::Colon
                    {
                        return self.expected("`key: value` or `)` to close the trait value");
                    }
                    kvs.push(self.object_entry()?);
                }
                Some(Node::Object(kvs))
            }
            _ => Some(self.node()?),
        };
        self.expect(Tok::RParen, "`)` to close the trait value")?;
        Ok(AstTrait { name, pos, value })
    }

    // ---- shapes -------------------------------------------------------------------------

    fn shape(&mut self, traits: Vec<AstTrait>, file: &mut IdlFile) -> PResult<()> {
        let (keyword, kpos) = match self.peek() {
            (Tok::Word(w), pos) => (w, pos),
            _ => return self.expected("a shape type (`structure`, `string`, ...)"),
        };
        let Some(ty) = ShapeType::from_ast(&keyword) else {
            return err(
                kpos,
                format!("expected a shape type (`structure`, `string`, ...) or `apply`, found `{keyword}`"),
            );
        };
        self.next();
        let (name, pos) = self.identifier("a shape name")?;
        let mut shape = AstShape {
            ty,
            name,
            pos,
            traits,
            mixins: Vec::new(),
            for_resource: None,
            members: Vec::new(),
            properties: Vec::new(),
        };
        if matches!(ty, ShapeType::Structure | ShapeType::Union) && self.is_word("for") {
            self.next();
            shape.for_resource = Some(self.word("a resource shape id after `for`")?);
        }
        shape.mixins = self.mixins()?;
        let mut inline = Vec::new();
        match ty {
            ShapeType::Structure
            | ShapeType::Union
            | ShapeType::List
            | ShapeType::Set
            | ShapeType::Map => {
                shape.members = self.members(false)?;
            }
            ShapeType::Enum | ShapeType::IntEnum => {
                shape.members = self.members(true)?;
            }
            ShapeType::Operation | ShapeType::Service | ShapeType::Resource => {
                let op_name = shape.name.clone();
                shape.properties = self.properties(ty, &op_name, file, &mut inline)?;
            }
            // Simple shapes have no body.
            _ => {}
        }
        file.shapes.push(shape);
        file.shapes.extend(inline);
        Ok(())
    }

    /// `with [A, B]`, or nothing.
    fn mixins(&mut self) -> PResult<Vec<(String, Pos)>> {
        if !self.is_word("with") {
            return Ok(Vec::new());
        }
        self.next();
        self.expect(Tok::LBracket, "`[` after `with`")?;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                (Tok::RBracket, _) => {
                    self.next();
                    return Ok(out);
                }
                (Tok::Word(w), pos) => {
                    self.next();
                    out.push((w, pos));
                }
                _ => return self.expected("a mixin shape id or `]`"),
            }
        }
    }

    /// `{ members }` of an aggregate or enum shape.
    fn members(&mut self, enum_like: bool) -> PResult<Vec<AstMember>> {
        self.expect(Tok::LBrace, "`{` to start the shape's members")?;
        let mut out = Vec::new();
        loop {
            let docs = self.docs();
            let traits = self.traits(docs)?;
            let only_docs = traits.iter().all(|t| t.name == DOCUMENTATION);
            let (word, pos) = match self.peek() {
                (Tok::Word(w), pos) => (w, pos),
                // A doc comment before `}` documents nothing; Smithy ignores it.
                (Tok::RBrace, _) if only_docs => {
                    self.next();
                    return Ok(out);
                }
                (Tok::RBrace, _) => return self.expected("a member after its traits"),
                _ => return self.expected("a member name or `}`"),
            };
            let elided = word.starts_with('$');
            let name = if elided {
                word.get(1..).unwrap_or("").to_string()
            } else {
                word.clone()
            };
            if !super::is_identifier(&name) {
                return err(pos, format!("expected a member name, found `{word}`"));
            }
            self.next();
            let target = if elided || enum_like {
                None
            } else {
                self.expect(Tok::Colon, "`:` and the member's target")?;
                Some(self.word("the member's target shape id")?)
            };
            if enum_like && elided {
                return err(pos, "enum members cannot use `$` target elision");
            }
            let value = if self.peek().0 == Tok::Eq {
                self.next();
                let vpos = self.peek().1;
                Some((self.node()?, vpos))
            } else {
                None
            };
            out.push(AstMember {
                name,
                pos,
                traits,
                target,
                elided,
                value,
            });
        }
    }

    /// `{ key: value ... }` of a service, resource or operation; an operation's
    /// `input := ...`/`output := ...` defines an inline structure (pushed to `inline`).
    fn properties(
        &mut self,
        ty: ShapeType,
        shape_name: &str,
        file: &IdlFile,
        inline: &mut Vec<AstShape>,
    ) -> PResult<Vec<(String, Pos, Node)>> {
        self.expect(
            Tok::LBrace,
            &format!("`{{` to start the {}'s body", ty.as_ast()),
        )?;
        let mut out = Vec::new();
        loop {
            let (key, pos) = match self.peek() {
                (Tok::RBrace, _) => {
                    self.next();
                    return Ok(out);
                }
                (Tok::Word(w), pos) if super::is_identifier(&w) => {
                    self.next();
                    (w, pos)
                }
                _ => return self.expected("a property name or `}`"),
            };
            match self.next() {
                (Tok::Colon, _) => {
                    let value = self.node()?;
                    out.push((key, pos, value));
                }
                (Tok::Walrus, wpos)
                    if ty == ShapeType::Operation && (key == "input" || key == "output") =>
                {
                    let docs = self.docs();
                    let mut traits = self.traits(docs)?;
                    let marker = if key == "input" { "input" } else { "output" };
                    traits.push(AstTrait {
                        name: format!("smithy.api#{marker}"),
                        pos: wpos,
                        value: None,
                    });
                    let for_resource = if self.is_word("for") {
                        self.next();
                        Some(self.word("a resource shape id after `for`")?)
                    } else {
                        None
                    };
                    let mixins = self.mixins()?;
                    let members = self.members(false)?;
                    let suffix = if key == "input" {
                        &file.input_suffix
                    } else {
                        &file.output_suffix
                    };
                    let name = format!("{shape_name}{suffix}");
                    inline.push(AstShape {
                        ty: ShapeType::Structure,
                        name: name.clone(),
                        pos: wpos,
                        traits,
                        mixins,
                        for_resource,
                        members,
                        properties: Vec::new(),
                    });
                    out.push((key, pos, Node::Id(name, wpos)));
                }
                (Tok::Walrus, wpos) => {
                    return err(
                        wpos,
                        format!(
                            "`:=` defines inline input or output of an operation; use `{key}: ...`"
                        ),
                    )
                }
                (tok, tpos) => {
                    return err(
                        tpos,
                        format!("expected `:` after `{key}`, found {}", tok.describe()),
                    )
                }
            }
        }
    }

    // ---- node values --------------------------------------------------------------------

    fn node(&mut self) -> PResult<Node> {
        let (tok, pos) = self.peek();
        match tok {
            Tok::LBracket => {
                self.enter(pos)?;
                self.next();
                let mut items = Vec::new();
                loop {
                    if self.peek().0 == Tok::RBracket {
                        self.next();
                        break;
                    }
                    if self.peek().0 == Tok::Eof {
                        return self.expected("a value or `]`");
                    }
                    items.push(self.node()?);
                }
                self.leave();
                Ok(Node::Array(items))
            }
            Tok::LBrace => {
                self.enter(pos)?;
                self.next();
                let mut kvs = Vec::new();
                loop {
                    if self.peek().0 == Tok::RBrace {
                        self.next();
                        break;
                    }
                    kvs.push(self.object_entry()?);
                }
                self.leave();
                Ok(Node::Object(kvs))
            }
            Tok::Str(s) | Tok::TextBlock(s) => {
                self.next();
                Ok(Node::Str(s))
            }
            Tok::Number(n) => {
                self.next();
                number(&n).map(Node::Number).ok_or(ParseError {
                    pos,
                    message: format!("invalid number `{n}`"),
                })
            }
            Tok::Word(w) => {
                self.next();
                Ok(match w.as_str() {
                    "true" => Node::Bool(true),
                    "false" => Node::Bool(false),
                    "null" => Node::Null,
                    _ => Node::Id(w, pos),
                })
            }
            other => err(pos, format!("expected a value, found {}", other.describe())),
        }
    }

    /// `key: value` in an object (key: identifier or quoted string).
    fn object_entry(&mut self) -> PResult<(String, Pos, Node)> {
        let (key, pos) = match self.peek() {
            (Tok::Word(w), pos) if super::is_identifier(&w) => (w, pos),
            (Tok::Str(s), pos) => (s, pos),
            _ => return self.expected("an object key or `}`"),
        };
        self.next();
        self.expect(Tok::Colon, &format!("`:` after the key `{key}`"))?;
        let value = self.node()?;
        Ok((key, pos, value))
    }
}

const DOCUMENTATION: &str = "smithy.api#documentation";

fn doc_trait(text: String, pos: Pos) -> AstTrait {
    AstTrait {
        name: DOCUMENTATION.to_string(),
        pos,
        value: Some(Node::Str(text)),
    }
}

/// A number token → JSON: integers stay integers (i64, else u64), the rest become f64.
fn number(text: &str) -> Option<serde_json::Number> {
    let integral = !text.contains(['.', 'e', 'E']);
    if integral {
        if let Ok(i) = text.parse::<i64>() {
            return Some(i.into());
        }
        if let Ok(u) = text.parse::<u64>() {
            return Some(u.into());
        }
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::super::lexer::lex;
    use super::*;

    fn parse_text(text: &str) -> PResult<IdlFile> {
        parse(lex(text).map_err(|e| ParseError {
            pos: e.pos,
            message: e.message,
        })?)
    }

    #[test]
    fn a_small_file() {
        let f = parse_text(
            r#"$version: "2.0"
metadata foo = [1, {a: "b"}]
namespace a.b
use x.y#Z
/// Docs
@tags(["x"])
structure S with [M] {
    /// member docs
    @required
    a: String = "d"
    $b
}
operation Op {
    input := @sensitive for R with [M] { x: Z }
    output: Out
    errors: [E1, E2]
}
enum E { A = "a" B }
apply S$a @documentation("x")
apply S { @tags(["y"]) @deprecated }
"#,
        )
        .unwrap();
        assert_eq!(f.version.as_ref().unwrap().0, "2.0");
        assert_eq!(f.metadata.len(), 1);
        assert_eq!(f.uses[0].0, "x.y#Z");
        let names: Vec<&str> = f.shapes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["S", "Op", "OpInput", "E"]);
        let s = &f.shapes[0];
        assert_eq!(s.traits.len(), 2);
        assert_eq!(s.members[0].traits.len(), 2);
        assert!(s.members[1].elided);
        assert_eq!(f.shapes[2].for_resource.as_ref().unwrap().0, "R");
        assert_eq!(f.shapes[2].traits.len(), 2);
        assert_eq!(f.shapes[3].members.len(), 2);
        assert_eq!(f.applies.len(), 2);
        assert_eq!(f.applies[1].traits.len(), 2);
    }

    #[test]
    fn errors_say_what_was_expected() {
        let e = parse_text("namespace a\nstructure S {\n  a String\n}").unwrap_err();
        assert_eq!(e.pos, Pos { line: 3, column: 5 });
        assert_eq!(
            e.message,
            "expected `:` and the member's target, found `String`"
        );
        let e = parse_text("namespace a\nstructure S {").unwrap_err();
        assert_eq!(
            e.message,
            "expected a member name or `}`, found the end of the file"
        );
        let deep = format!(
            "namespace a\n@t({}1{})\nstring S",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(parse_text(&deep).unwrap_err().message.contains("nesting"));
    }
}
