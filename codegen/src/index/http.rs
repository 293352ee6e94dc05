//! HTTP binding index: where each input and output member of an operation travels
//! (URI label, query string, header, prefix headers, payload, JSON body, status code),
//! with the `@http` method, parsed URI pattern and success code.
//!
//! The protocol emitters read bindings only from here. `Debug` on [`OperationBindings`]
//! prints a compact, stable summary suitable for snapshots:
//!
//! ```text
//! GetStage: GET /v2/apis/{ApiId}/stages/{StageName} -> 200
//!   request GetStageRequest:
//!     ApiId: label
//!     StageName: label
//!   response GetStageResponse:
//!     AccessLogSettings: body "accessLogSettings"
//! ```

use std::fmt;

use crate::error::{CodegenError, Result};
use crate::index::Index;
use crate::model::{Member, Shape, ShapeType};

/// Where a member travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `@httpLabel`; `greedy` for `{Name+}`.
    Label { greedy: bool },
    /// `@httpQuery("name")`.
    Query(String),
    /// `@httpQueryParams` (a map of further query parameters).
    QueryParams,
    /// `@httpHeader("Name")`.
    Header(String),
    /// `@httpPrefixHeaders("prefix")`.
    PrefixHeaders(String),
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpResponseCode`: the status code (responses only).
    ResponseCode,
    /// A key of the JSON body: the `@jsonName`, else the member name.
    Body(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Label { greedy: false } => f.write_str("label"),
            Location::Label { greedy: true } => f.write_str("greedy label"),
            Location::Query(name) => write!(f, "query {name:?}"),
            Location::QueryParams => f.write_str("query params"),
            Location::Header(name) => write!(f, "header {name:?}"),
            Location::PrefixHeaders(prefix) => write!(f, "prefix headers {prefix:?}"),
            Location::Payload => f.write_str("payload"),
            Location::ResponseCode => f.write_str("response code"),
            Location::Body(key) => write!(f, "body {key:?}"),
        }
    }
}

/// One member and its location.
#[derive(Clone)]
pub struct Binding<'a> {
    pub member: &'a Member,
    /// The member's target shape.
    pub target: &'a Shape,
    pub location: Location,
}

impl fmt::Debug for Binding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.member.name, self.location)
    }
}

/// A piece of the URI path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, sent verbatim (`/v2/apis/`).
    Literal(String),
    /// A `{Name}` or `{Name+}` label.
    Label { name: String, greedy: bool },
}

/// A parsed `@http` URI pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriPattern {
    /// The path, in order.
    pub path: Vec<PathPart>,
    /// Literal query parameters (`list-type=2`, or a bare `flag`), sent verbatim and first.
    pub query: Vec<String>,
}

impl UriPattern {
    /// Parses `/a/{B}/c/{D+}?x=y&z`.
    pub fn parse(uri: &str) -> std::result::Result<UriPattern, String> {
        let (path_text, query_text) = match uri.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (uri, None),
        };
        let mut path = Vec::new();
        let mut rest = path_text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                path.push(PathPart::Literal(rest[..open].to_string()));
            }
            let close = rest[open..]
                .find('}')
                .map(|i| i + open)
                .ok_or_else(|| format!("unclosed `{{` in URI pattern `{uri}`"))?;
            let inner = &rest[open + 1..close];
            let (name, greedy) = match inner.strip_suffix('+') {
                Some(n) => (n, true),
                None => (inner, false),
            };
            if name.is_empty() {
                return Err(format!("empty label in URI pattern `{uri}`"));
            }
            path.push(PathPart::Label {
                name: name.to_string(),
                greedy,
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            path.push(PathPart::Literal(rest.to_string()));
        }
        let query = query_text
            .map(|q| {
                q.split('&')
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Ok(UriPattern { path, query })
    }

    /// Whether the label `name` is greedy, if the pattern has it.
    pub fn label(&self, name: &str) -> Option<bool> {
        self.path.iter().find_map(|p| match p {
            PathPart::Label { name: n, greedy } if n == name => Some(*greedy),
            _ => None,
        })
    }
}

/// The members of one structure, by location, in declaration order.
#[derive(Clone)]
pub struct StructureBindings<'a> {
    pub shape: &'a Shape,
    pub members: Vec<Binding<'a>>,
}

impl<'a> StructureBindings<'a> {
    /// Members bound to the JSON body.
    pub fn body(&self) -> impl Iterator<Item = &Binding<'a>> {
        self.members
            .iter()
            .filter(|b| matches!(b.location, Location::Body(_)))
    }

    /// Whether any member is bound to the JSON body.
    pub fn has_body_members(&self) -> bool {
        self.body().next().is_some()
    }

    /// The `@httpPayload` member, if any.
    pub fn payload(&self) -> Option<&Binding<'a>> {
        self.members
            .iter()
            .find(|b| b.location == Location::Payload)
    }

    /// Members at a location matching `pred`.
    pub fn at(&self, pred: impl Fn(&Location) -> bool) -> impl Iterator<Item = &Binding<'a>> {
        self.members.iter().filter(move |b| pred(&b.location))
    }

    /// The binding of a member by name.
    pub fn member(&self, name: &str) -> Option<&Binding<'a>> {
        self.members.iter().find(|b| b.member.name == name)
    }
}

impl fmt::Debug for StructureBindings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.members {
            writeln!(f, "    {b:?}")?;
        }
        Ok(())
    }
}

/// Everything the protocol needs to know about one operation's HTTP form.
#[derive(Clone)]
pub struct OperationBindings<'a> {
    pub operation: &'a Shape,
    pub method: String,
    /// The pattern as written in the model.
    pub uri_text: String,
    pub uri: UriPattern,
    /// The modeled success status code.
    pub code: u16,
    /// `None` for `smithy.api#Unit`.
    pub request: Option<StructureBindings<'a>>,
    /// `None` for `smithy.api#Unit`.
    pub response: Option<StructureBindings<'a>>,
}

impl fmt::Debug for OperationBindings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} {} -> {}",
            self.operation.id.name, self.method, self.uri_text, self.code
        )?;
        for (what, side) in [("request", &self.request), ("response", &self.response)] {
            match side {
                Some(s) => {
                    writeln!(f, "  {what} {}:", s.shape.id.name)?;
                    write!(f, "{s:?}")?;
                }
                None => writeln!(f, "  {what}: (none)")?,
            }
        }
        Ok(())
    }
}

/// The JSON body key of a member: `@jsonName`, else the member name.
pub fn json_name(member: &Member) -> &str {
    member.traits.json_name.as_deref().unwrap_or(&member.name)
}

/// Bindings of an operation.
pub fn operation_bindings<'a>(index: &Index<'a>, op: &'a Shape) -> Result<OperationBindings<'a>> {
    let http = op.traits.http.as_ref().ok_or_else(|| {
        CodegenError::new("the operation has no `@http` trait; restJson1 needs one")
            .in_file(&op.source)
            .at_shape(&op.id)
    })?;
    let uri = UriPattern::parse(&http.uri)
        .map_err(|m| CodegenError::new(m).in_file(&op.source).at_shape(&op.id))?;
    let request = match index.operation_input(op)? {
        Some(shape) => Some(request_bindings(index, shape, &uri)?),
        None => None,
    };
    let response = match index.operation_output(op)? {
        Some(shape) => Some(response_bindings(index, shape)?),
        None => None,
    };
    Ok(OperationBindings {
        operation: op,
        method: http.method.clone(),
        uri_text: http.uri.clone(),
        uri,
        code: http.code,
        request,
        response,
    })
}

/// Request-side bindings of an input structure.
pub fn request_bindings<'a>(
    index: &Index<'a>,
    shape: &'a Shape,
    uri: &UriPattern,
) -> Result<StructureBindings<'a>> {
    let mut members = Vec::new();
    for member in &shape.members {
        let target = index.target(member)?;
        let t = &member.traits;
        let location = if t.http_label {
            let greedy = uri.label(&member.name).ok_or_else(|| {
                CodegenError::new("`@httpLabel` member has no label in the operation's URI pattern")
                    .in_file(&shape.source)
                    .at_shape(&shape.id)
                    .at_member(&member.name)
            })?;
            Location::Label { greedy }
        } else if let Some(name) = &t.http_query {
            Location::Query(name.clone())
        } else if t.http_query_params {
            Location::QueryParams
        } else if let Some(name) = &t.http_header {
            Location::Header(name.clone())
        } else if let Some(prefix) = &t.http_prefix_headers {
            Location::PrefixHeaders(prefix.clone())
        } else if t.http_payload {
            Location::Payload
        } else {
            Location::Body(json_name(member).to_string())
        };
        members.push(Binding {
            member,
            target,
            location,
        });
    }
    Ok(StructureBindings { shape, members })
}

/// Response-side bindings of an output or error structure. Request-only traits
/// (`@httpLabel`, `@httpQuery`, `@httpQueryParams`) have no meaning in a response, so
/// such members are read from the body.
pub fn response_bindings<'a>(index: &Index<'a>, shape: &'a Shape) -> Result<StructureBindings<'a>> {
    let mut members = Vec::new();
    for member in &shape.members {
        let target = index.target(member)?;
        let t = &member.traits;
        let location = if let Some(name) = &t.http_header {
            Location::Header(name.clone())
        } else if let Some(prefix) = &t.http_prefix_headers {
            Location::PrefixHeaders(prefix.clone())
        } else if t.http_response_code {
            Location::ResponseCode
        } else if t.http_payload {
            Location::Payload
        } else {
            Location::Body(json_name(member).to_string())
        };
        members.push(Binding {
            member,
            target,
            location,
        });
    }
    Ok(StructureBindings { shape, members })
}

/// Whether a payload target is sent as raw bytes/text rather than JSON.
pub fn is_raw_payload(target: &Shape) -> bool {
    matches!(
        target.ty,
        ShapeType::Blob | ShapeType::String | ShapeType::Enum
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_uri_patterns() {
        let p = UriPattern::parse("/v2/apis/{ApiId}/stages/{StageName}").unwrap();
        assert_eq!(
            p.path,
            vec![
                PathPart::Literal("/v2/apis/".into()),
                PathPart::Label {
                    name: "ApiId".into(),
                    greedy: false
                },
                PathPart::Literal("/stages/".into()),
                PathPart::Label {
                    name: "StageName".into(),
                    greedy: false
                },
            ]
        );
        assert!(p.query.is_empty());
        let p = UriPattern::parse("/objects/{Bucket}/{Key+}?x-id=Get&flag").unwrap();
        assert_eq!(p.label("Key"), Some(true));
        assert_eq!(p.label("Bucket"), Some(false));
        assert_eq!(p.label("Nope"), None);
        assert_eq!(p.query, vec!["x-id=Get".to_string(), "flag".to_string()]);
        let p = UriPattern::parse("/").unwrap();
        assert_eq!(p.path, vec![PathPart::Literal("/".into())]);
        assert!(UriPattern::parse("/a/{B").is_err());
        assert!(UriPattern::parse("/a/{}").is_err());
    }
}

/// Whether an operation with event streams must be sent over HTTP/2. The service's
/// `aws.protocols#restJson1` trait lists the HTTP versions it takes, in order of preference:
/// `eventStreamHttp` for event streams (defaulting to `http`). An operation with an event
/// stream needs HTTP/2 when that list names `h2` and not `http/1.1` (Transcribe Streaming,
/// Lex V2 runtime), and an operation that streams events both ways always does: its request
/// body and response body are read and written at once, which HTTP/1.1 does not carry
/// (Bedrock Runtime's `InvokeModelWithBidirectionalStream`, whose service lists nothing).
/// Operations without an event stream never need it.
/// `protocol` is the value of the service's `aws.protocols#restJson1` trait.
pub fn event_stream_needs_http2(
    protocol: Option<&serde_json::Value>,
    input_stream: bool,
    output_stream: bool,
) -> bool {
    if !input_stream && !output_stream {
        return false;
    }
    if input_stream && output_stream {
        return true;
    }
    let Some(protocol) = protocol else {
        return false;
    };
    let list = |key: &str| -> Option<Vec<String>> {
        protocol.get(key)?.as_array().map(|versions| {
            versions
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
    };
    let versions = list("eventStreamHttp")
        .or_else(|| list("http"))
        .unwrap_or_default();
    versions.iter().any(|v| v == "h2") && !versions.iter().any(|v| v == "http/1.1")
}

#[cfg(test)]
mod http2_tests {
    use super::*;

    fn service(protocol: serde_json::Value) -> Option<serde_json::Value> {
        Some(protocol)
    }

    #[test]
    fn http2_from_event_stream_http_then_http_then_direction() {
        let transcribe = service(serde_json::json!({
            "http": ["http/1.1", "h2"], "eventStreamHttp": ["h2"]
        }));
        assert!(event_stream_needs_http2(transcribe.as_ref(), false, true));
        assert!(!event_stream_needs_http2(transcribe.as_ref(), false, false));
        let both = service(serde_json::json!({ "http": ["http/1.1", "h2"] }));
        assert!(!event_stream_needs_http2(both.as_ref(), false, true));
        let h2 = service(serde_json::json!({ "http": ["h2"] }));
        assert!(event_stream_needs_http2(h2.as_ref(), true, false));
        let bedrock = service(serde_json::json!({}));
        assert!(!event_stream_needs_http2(bedrock.as_ref(), false, true));
        assert!(event_stream_needs_http2(bedrock.as_ref(), true, true));
    }
}
