//! The rule set's JSON (`smithy.rules#endpointRuleSet`, `smithy.rules#endpointTests`) read
//! into a small typed AST. Every structural problem becomes an error naming the JSON path
//! (`rules[1].conditions[0]`); type errors are found later, by the compiler.

use serde_json::{Map, Value};

/// A structural error: the JSON path and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AstError {
    pub path: String,
    pub message: String,
}

type Result<T> = std::result::Result<T, AstError>;

fn err<T>(path: &str, message: impl Into<String>) -> Result<T> {
    Err(AstError {
        path: path.to_string(),
        message: message.into(),
    })
}

/// A rule-set parameter type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    Boolean,
    StringArray,
}

impl ParamType {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "String",
            ParamType::Boolean => "Boolean",
            ParamType::StringArray => "stringArray",
        }
    }
}

/// A parameter's default value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultValue {
    String(String),
    Boolean(bool),
    StringArray(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// As written in the rule set (`UseFIPS`).
    pub name: String,
    pub ty: ParamType,
    pub required: bool,
    pub default: Option<DefaultValue>,
    pub built_in: Option<String>,
    pub documentation: Option<String>,
    /// `deprecated.message` / `deprecated.since`, when the parameter is deprecated.
    pub deprecated: Option<(Option<String>, Option<String>)>,
}

/// One piece of a template string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// `{Name}` or `{Name#path}`.
    Ref {
        name: String,
        path: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string literal, which may be a template.
    Str(Vec<Piece>),
    Bool(bool),
    Int(i64),
    Ref(String),
    Call(Call),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Expr>,
    /// JSON path of the call, for messages.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub call: Call,
    pub assign: Option<String>,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EndpointDef {
    pub url: Expr,
    /// Header name → values, in the rule set's order.
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Property name → value; string leaves are templates.
    pub properties: Vec<(String, Prop)>,
}

/// An endpoint property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Prop {
    Str(Vec<Piece>),
    Other(Value),
    Array(Vec<Prop>),
    Object(Vec<(String, Prop)>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum RuleBody {
    Endpoint(EndpointDef),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub conditions: Vec<Condition>,
    pub body: RuleBody,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub params: Vec<Param>,
    pub rules: Vec<Rule>,
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    match v.as_object() {
        Some(o) => Ok(o),
        None => err(path, "expected a JSON object"),
    }
}

fn array<'a>(v: Option<&'a Value>, path: &str, what: &str) -> Result<&'a Vec<Value>> {
    match v {
        Some(Value::Array(a)) => Ok(a),
        Some(_) => err(path, format!("`{what}` must be an array")),
        None => err(path, format!("missing `{what}`")),
    }
}

fn string<'a>(v: Option<&'a Value>, path: &str, what: &str) -> Result<&'a str> {
    match v {
        Some(Value::String(s)) => Ok(s),
        Some(_) => err(path, format!("`{what}` must be a string")),
        None => err(path, format!("missing `{what}`")),
    }
}

fn opt_string(o: &Map<String, Value>, key: &str, path: &str) -> Result<Option<String>> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => err(path, format!("`{key}` must be a string")),
    }
}

/// Whether `name` can name a parameter or variable: a letter, then letters, digits or `_`.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn parse_rule_set(v: &Value) -> Result<RuleSet> {
    let o = object(v, "")?;
    let params_obj = match o.get("parameters") {
        Some(p) => object(p, "parameters")?,
        None => return err("", "missing `parameters`"),
    };
    let mut params = Vec::new();
    for (name, p) in params_obj {
        params.push(parse_param(name, p, &format!("parameters.{name}"))?);
    }
    let rules = parse_rules(o.get("rules"), "")?;
    Ok(RuleSet { params, rules })
}

fn parse_param(name: &str, v: &Value, path: &str) -> Result<Param> {
    if !is_valid_name(name) {
        return err(path, format!("`{name}` is not a valid parameter name"));
    }
    let o = object(v, path)?;
    let ty = match string(o.get("type"), path, "type")?
        .to_ascii_lowercase()
        .as_str()
    {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        other => {
            return err(
                path,
                format!(
                    "unknown parameter type `{other}` (expected String, Boolean or stringArray)"
                ),
            )
        }
    };
    let required = match o.get("required") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return err(path, "`required` must be a boolean"),
    };
    let default = match (o.get("default"), ty) {
        (None | Some(Value::Null), _) => None,
        (Some(Value::String(s)), ParamType::String) => Some(DefaultValue::String(s.clone())),
        (Some(Value::Bool(b)), ParamType::Boolean) => Some(DefaultValue::Boolean(*b)),
        (Some(Value::Array(items)), ParamType::StringArray) => {
            let mut out = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(s) => out.push(s.to_string()),
                    None => return err(path, "a stringArray `default` must hold only strings"),
                }
            }
            Some(DefaultValue::StringArray(out))
        }
        (Some(_), ty) => {
            return err(
                path,
                format!(
                    "`default` does not match the parameter type `{}`",
                    ty.as_str()
                ),
            )
        }
    };
    let deprecated = match o.get("deprecated") {
        None | Some(Value::Null) => None,
        Some(d) => {
            let d = object(d, &format!("{path}.deprecated"))?;
            Some((
                opt_string(d, "message", path)?,
                opt_string(d, "since", path)?,
            ))
        }
    };
    Ok(Param {
        name: name.to_string(),
        ty,
        required,
        default,
        built_in: opt_string(o, "builtIn", path)?,
        documentation: opt_string(o, "documentation", path)?,
        deprecated,
    })
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn parse_rules(v: Option<&Value>, path: &str) -> Result<Vec<Rule>> {
    let rules_path = join(path, "rules");
    let items = array(v, path, "rules")?;
    items
        .iter()
        .enumerate()
        .map(|(i, r)| parse_rule(r, &format!("{rules_path}[{i}]")))
        .collect()
}

fn parse_rule(v: &Value, path: &str) -> Result<Rule> {
    let o = object(v, path)?;
    let conditions = match o.get("conditions") {
        None => Vec::new(),
        some => array(some, path, "conditions")?
            .iter()
            .enumerate()
            .map(|(i, c)| parse_condition(c, &format!("{path}.conditions[{i}]")))
            .collect::<Result<_>>()?,
    };
    let body = match string(o.get("type"), path, "type")? {
        "endpoint" => {
            let e = match o.get("endpoint") {
                Some(e) => e,
                None => return err(path, "an endpoint rule needs `endpoint`"),
            };
            RuleBody::Endpoint(parse_endpoint(e, &join(path, "endpoint"))?)
        }
        "error" => match o.get("error") {
            Some(e) => RuleBody::Error(parse_expr(e, &join(path, "error"))?),
            None => return err(path, "an error rule needs `error`"),
        },
        "tree" => RuleBody::Tree(parse_rules(o.get("rules"), path)?),
        other => {
            return err(
                path,
                format!("unknown rule type `{other}` (expected endpoint, error or tree)"),
            )
        }
    };
    Ok(Rule {
        conditions,
        body,
        path: path.to_string(),
    })
}

fn parse_condition(v: &Value, path: &str) -> Result<Condition> {
    let o = object(v, path)?;
    let call = parse_call(o, path)?;
    let assign = opt_string(o, "assign", path)?;
    if let Some(a) = &assign {
        if !is_valid_name(a) {
            return err(path, format!("`{a}` is not a valid variable name"));
        }
    }
    Ok(Condition {
        call,
        assign,
        path: path.to_string(),
    })
}

fn parse_call(o: &Map<String, Value>, path: &str) -> Result<Call> {
    let name = string(o.get("fn"), path, "fn")?.to_string();
    let args = array(o.get("argv"), path, "argv")?
        .iter()
        .enumerate()
        .map(|(i, a)| parse_expr(a, &format!("{path}.argv[{i}]")))
        .collect::<Result<_>>()?;
    Ok(Call {
        name,
        args,
        path: path.to_string(),
    })
}

fn parse_expr(v: &Value, path: &str) -> Result<Expr> {
    match v {
        Value::String(s) => Ok(Expr::Str(parse_template(s, path)?)),
        Value::Bool(b) => Ok(Expr::Bool(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(Expr::Int(i)),
            None => err(path, format!("`{n}` is not an integer")),
        },
        Value::Object(o) if o.contains_key("ref") => {
            let name = string(o.get("ref"), path, "ref")?;
            Ok(Expr::Ref(name.to_string()))
        }
        Value::Object(o) if o.contains_key("fn") => Ok(Expr::Call(parse_call(o, path)?)),
        Value::Object(_) => err(path, "expected a reference (`ref`) or a function (`fn`)"),
        Value::Array(_) => err(path, "array literals are not supported as arguments"),
        Value::Null => err(path, "`null` is not a value"),
    }
}

/// Parses `text {Name} text {Name#attr}`; `{{` and `}}` stand for literal braces.
pub fn parse_template(s: &str, path: &str) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut inner = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                if !closed {
                    return err(path, format!("unclosed `{{` in template `{s}`"));
                }
                let (name, attr) = match inner.split_once('#') {
                    Some((n, a)) => (n.to_string(), Some(a.to_string())),
                    None => (inner.clone(), None),
                };
                if !is_valid_name(&name) || attr.as_deref() == Some("") {
                    return err(
                        path,
                        format!("invalid template placeholder `{{{inner}}}` in `{s}`"),
                    );
                }
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Ref { name, path: attr });
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() || pieces.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

fn parse_endpoint(v: &Value, path: &str) -> Result<EndpointDef> {
    let o = object(v, path)?;
    let url = match o.get("url") {
        Some(u) => parse_expr(u, &join(path, "url"))?,
        None => return err(path, "an endpoint needs `url`"),
    };
    let mut headers = Vec::new();
    if let Some(h) = o.get("headers") {
        let hpath = join(path, "headers");
        for (name, values) in object(h, &hpath)? {
            let vpath = format!("{hpath}.{name}");
            let values = array(Some(values), &vpath, name)?
                .iter()
                .enumerate()
                .map(|(i, v)| parse_expr(v, &format!("{vpath}[{i}]")))
                .collect::<Result<_>>()?;
            headers.push((name.clone(), values));
        }
    }
    let mut properties = Vec::new();
    if let Some(p) = o.get("properties") {
        let ppath = join(path, "properties");
        for (name, value) in object(p, &ppath)? {
            properties.push((name.clone(), parse_prop(value, &format!("{ppath}.{name}"))?));
        }
    }
    Ok(EndpointDef {
        url,
        headers,
        properties,
    })
}

fn parse_prop(v: &Value, path: &str) -> Result<Prop> {
    Ok(match v {
        Value::String(s) => Prop::Str(parse_template(s, path)?),
        Value::Array(items) => Prop::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| parse_prop(item, &format!("{path}[{i}]")))
                .collect::<Result<_>>()?,
        ),
        Value::Object(o) => {
            if o.contains_key("ref") || o.contains_key("fn") {
                return err(
                    path,
                    "endpoint properties may not hold references or functions",
                );
            }
            Prop::Object(
                o.iter()
                    .map(|(k, v)| Ok((k.clone(), parse_prop(v, &format!("{path}.{k}"))?)))
                    .collect::<Result<_>>()?,
            )
        }
        other => Prop::Other(other.clone()),
    })
}

/// One `smithy.rules#endpointTests` case.
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    pub documentation: Option<String>,
    /// Parameter name → value, in the test's order.
    pub params: Vec<(String, Value)>,
    pub expect: Expectation,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    Error(String),
    Endpoint {
        url: String,
        headers: Option<Vec<(String, Vec<String>)>>,
        properties: Option<Vec<(String, Value)>>,
    },
}

pub fn parse_tests(v: &Value) -> Result<Vec<TestCase>> {
    let o = object(v, "")?;
    let cases = match o.get("testCases") {
        None => return Ok(Vec::new()),
        some => array(some, "", "testCases")?,
    };
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| parse_test(c, &format!("testCases[{i}]")))
        .collect()
}

fn parse_test(v: &Value, path: &str) -> Result<TestCase> {
    let o = object(v, path)?;
    let documentation = opt_string(o, "documentation", path)?;
    let params = match o.get("params") {
        None | Some(Value::Null) => Vec::new(),
        Some(p) => object(p, &join(path, "params"))?
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    let epath = join(path, "expect");
    let expect = match o.get("expect") {
        Some(e) => object(e, &epath)?,
        None => return err(path, "missing `expect`"),
    };
    let expect = match (expect.get("error"), expect.get("endpoint")) {
        (Some(Value::String(e)), None) => Expectation::Error(e.clone()),
        (None, Some(endpoint)) => {
            let endpoint_path = join(&epath, "endpoint");
            let endpoint = object(endpoint, &endpoint_path)?;
            let url = string(endpoint.get("url"), &endpoint_path, "url")?.to_string();
            let headers = match endpoint.get("headers") {
                None | Some(Value::Null) => None,
                Some(h) => {
                    let hpath = join(&endpoint_path, "headers");
                    let mut out = Vec::new();
                    for (name, values) in object(h, &hpath)? {
                        let mut list = Vec::new();
                        for value in array(Some(values), &hpath, name)? {
                            match value.as_str() {
                                Some(s) => list.push(s.to_string()),
                                None => return err(&hpath, "header values must be strings"),
                            }
                        }
                        out.push((name.clone(), list));
                    }
                    Some(out)
                }
            };
            let properties = match endpoint.get("properties") {
                None | Some(Value::Null) => None,
                Some(p) => Some(
                    object(p, &join(&endpoint_path, "properties"))?
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
            };
            Expectation::Endpoint {
                url,
                headers,
                properties,
            }
        }
        _ => {
            return err(
                &epath,
                "`expect` needs exactly one of `error` (a string) or `endpoint`",
            )
        }
    };
    Ok(TestCase {
        documentation,
        params,
        expect,
        path: path.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert_eq!(
            parse_template("https://a.{Region}.{P#dnsSuffix}", "").unwrap(),
            vec![
                Piece::Text("https://a.".into()),
                Piece::Ref {
                    name: "Region".into(),
                    path: None
                },
                Piece::Text(".".into()),
                Piece::Ref {
                    name: "P".into(),
                    path: Some("dnsSuffix".into())
                },
            ]
        );
        assert_eq!(
            parse_template("", "").unwrap(),
            vec![Piece::Text(String::new())]
        );
        assert_eq!(
            parse_template("{{x}}", "").unwrap(),
            vec![Piece::Text("{x}".into())]
        );
        assert!(parse_template("{Region", "").is_err());
        assert!(parse_template("{}", "").is_err());
        assert!(parse_template("{a b}", "").is_err());
        assert!(parse_template("{a#}", "").is_err());
    }

    #[test]
    fn missing_type_is_an_error_with_a_path() {
        let v = serde_json::json!({"parameters": {"Region": {"documentation": "d"}}, "rules": []});
        let e = parse_rule_set(&v).unwrap_err();
        assert_eq!(e.path, "parameters.Region");
        assert_eq!(e.message, "missing `type`");
        let v = serde_json::json!({"parameters": {}, "rules": [{"conditions": [], "error": "x"}]});
        let e = parse_rule_set(&v).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.as_str()),
            ("rules[0]", "missing `type`")
        );
    }
}
