//! `@http` URI patterns: parsing the labels and checking them against `@httpLabel` members.

use std::collections::BTreeSet;

use crate::error::{CodegenError, Result};
use crate::model::{Model, Shape};

/// One `{Label}` or `{Label+}` of a URI pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Label {
    pub name: String,
    pub greedy: bool,
}

/// The labels of a URI pattern's path, in order. The query part (after `?`) may not hold
/// labels; a label must fill a whole path segment.
pub(crate) fn uri_labels(uri: &str) -> std::result::Result<Vec<Label>, String> {
    if !uri.starts_with('/') {
        return Err(format!("@http URI `{uri}` must start with `/`"));
    }
    let (path, query) = match uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (uri, None),
    };
    if query.is_some_and(|q| q.contains(['{', '}'])) {
        return Err(format!(
            "@http URI `{uri}` has a label in its query string; labels belong in the path"
        ));
    }
    let mut labels: Vec<Label> = Vec::new();
    for segment in path.split('/') {
        if !segment.contains(['{', '}']) {
            continue;
        }
        let inner = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|s| !s.contains(['{', '}']))
            .ok_or_else(|| {
                format!("@http URI `{uri}` has a malformed label segment `{segment}`")
            })?;
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(n) => (n, true),
            None => (inner, false),
        };
        if !super::is_identifier(name) {
            return Err(format!(
                "@http URI `{uri}` has an invalid label name `{name}`"
            ));
        }
        if labels.iter().any(|l| l.name == name) {
            return Err(format!("@http URI `{uri}` repeats the label `{{{name}}}`"));
        }
        labels.push(Label {
            name: name.to_string(),
            greedy,
        });
    }
    if labels.iter().filter(|l| l.greedy).count() > 1 {
        return Err(format!("@http URI `{uri}` has more than one greedy label"));
    }
    let last = labels.len().saturating_sub(1);
    if let Some(greedy) = labels.iter().take(last).find(|l| l.greedy) {
        return Err(format!(
            "@http URI `{uri}`: the greedy label `{{{}+}}` must be the last label",
            greedy.name
        ));
    }
    Ok(labels)
}

/// The URI's labels and the input's `@httpLabel` members must agree, one to one.
pub(crate) fn check_operation(model: &Model, op: &Shape) -> Result<()> {
    let Some(http) = &op.traits.http else {
        return Ok(());
    };
    let op_error = |message: String| {
        CodegenError::new(message)
            .in_file(&op.source)
            .at_shape(&op.id)
    };
    let labels = uri_labels(&http.uri).map_err(op_error)?;
    let input = op
        .operation
        .as_ref()
        .and_then(|o| o.input.as_ref())
        .and_then(|id| model.shapes.get(id));
    let label_members: BTreeSet<&str> = input
        .map(|s| {
            s.members
                .iter()
                .filter(|m| m.traits.http_label)
                .map(|m| m.name.as_str())
                .collect()
        })
        .unwrap_or_default();
    for label in &labels {
        if !label_members.contains(label.name.as_str()) {
            let plus = if label.greedy { "+" } else { "" };
            return Err(op_error(match input {
                Some(input) => format!(
                    "@http URI `{}` has label `{{{}{plus}}}`, but input `{}` has no @httpLabel member `{}`",
                    http.uri, label.name, input.id, label.name
                ),
                None => format!(
                    "@http URI `{}` has label `{{{}{plus}}}`, but the operation has no input",
                    http.uri, label.name
                ),
            }));
        }
    }
    if let Some(input) = input {
        check_payload(input, true)?;
    }
    let output = op
        .operation
        .as_ref()
        .and_then(|o| o.output.as_ref())
        .and_then(|id| model.shapes.get(id));
    if let Some(output) = output {
        check_payload(output, false)?;
    }
    if let Some(input) = input {
        for member in input.members.iter().filter(|m| m.traits.http_label) {
            if !labels.iter().any(|l| l.name == member.name) {
                return Err(CodegenError::new(format!(
                    "@httpLabel member is not a label in the @http URI `{}` of `{}`",
                    http.uri, op.id
                ))
                .in_file(&input.source)
                .at_shape(&input.id)
                .at_member(member.name.as_str()));
            }
            if !member.traits.required {
                return Err(CodegenError::new("@httpLabel member must be @required")
                    .in_file(&input.source)
                    .at_shape(&input.id)
                    .at_member(member.name.as_str()));
            }
        }
    }
    Ok(())
}

/// With an `@httpPayload` member, the payload is the whole body: every other member must be
/// bound elsewhere (labels, query, headers; for outputs headers and the status code).
fn check_payload(shape: &Shape, is_input: bool) -> Result<()> {
    let mut payloads = shape.members.iter().filter(|m| m.traits.http_payload);
    let Some(payload) = payloads.next() else {
        return Ok(());
    };
    if let Some(second) = payloads.next() {
        return Err(CodegenError::new(format!(
            "only one member can be the @httpPayload, but `{}` is too",
            payload.name
        ))
        .in_file(&shape.source)
        .at_shape(&shape.id)
        .at_member(second.name.as_str()));
    }
    for member in &shape.members {
        let t = &member.traits;
        let bound = t.http_payload
            || t.http_header.is_some()
            || t.http_prefix_headers.is_some()
            || if is_input {
                t.http_label || t.http_query.is_some() || t.http_query_params
            } else {
                t.http_response_code
            };
        if !bound {
            let hint = if is_input {
                "@httpLabel, @httpQuery or @httpHeader"
            } else {
                "@httpHeader or @httpResponseCode"
            };
            return Err(CodegenError::new(format!(
                "member would go in the body, but `{}` is the @httpPayload (bind it with {hint})",
                payload.name
            ))
            .in_file(&shape.source)
            .at_shape(&shape.id)
            .at_member(member.name.as_str()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(uri: &str) -> Vec<(String, bool)> {
        uri_labels(uri)
            .unwrap()
            .into_iter()
            .map(|l| (l.name, l.greedy))
            .collect()
    }

    #[test]
    fn parses_labels() {
        assert_eq!(
            names("/v2/apis/{ApiId}/stages/{StageName}"),
            [
                ("ApiId".to_string(), false),
                ("StageName".to_string(), false)
            ]
        );
        assert_eq!(names("/files/{Key+}?x-id=Get"), [("Key".to_string(), true)]);
        assert!(names("/").is_empty());
        assert!(uri_labels("v2").is_err());
        assert!(uri_labels("/a/{B").is_err());
        assert!(uri_labels("/a/x{B}").is_err());
        assert!(uri_labels("/a/{B}/{B}").is_err());
        assert!(uri_labels("/a/{B+}/{C+}").is_err());
        assert_eq!(
            uri_labels("/a/{B+}/v/{C}").unwrap_err(),
            "@http URI `/a/{B+}/v/{C}`: the greedy label `{B+}` must be the last label"
        );
        assert_eq!(
            names("/a/{B}/{C+}/x"),
            [("B".to_string(), false), ("C".to_string(), true)]
        );
        assert!(uri_labels("/a?q={B}").is_err());
        assert!(uri_labels("/a/{b-c}").is_err());
    }
}
