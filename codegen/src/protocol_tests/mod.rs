//! Smithy protocol tests (`smithy.test#httpRequestTests` / `httpResponseTests`) →
//! `tests/protocol_tests.rs`: one `#[tokio::test]` per restJson1 client case of the
//! operations and errors in the closure, in a `request` or `response` module.
//!
//! Each test is code generated from the case's `params`: a request case builds the input
//! through the fluent builder, sends it with a recording HTTP client and asserts the
//! request (method, path, query, headers, host, body); a response case serves the canned
//! response through the public send path and compares the output, or the modeled error,
//! with the value built from `params` (as wire JSON: floats NaN-aware, documents as JSON).
//! Nothing reads the test model at run time.

mod support;
pub mod values;

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::context::Context;
use crate::error::{CodegenError, Result};
use crate::model::Shape;
use crate::naming::protocol_test::test_fn;
use values::Values;

/// The protocol whose cases are generated.
pub const PROTOCOL: &str = "aws.protocols#restJson1";

/// Cases that cannot pass yet: (service shape id, case id, reason). Each becomes
/// `#[ignore = "reason"]`.
pub const KNOWN_FAILURES: &[(&str, &str, &str)] = &[];

/// One request or response case, as the model states it.
struct Case<'a> {
    value: &'a Value,
    id: String,
    /// The operation the case is sent through.
    operation: &'a Shape,
    /// The error shape, for response cases on an error.
    error: Option<&'a Shape>,
}

impl Case<'_> {
    fn str(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(Value::as_str)
    }

    fn strings(&self, key: &str) -> Vec<String> {
        self.value
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn headers(&self) -> Vec<(String, String)> {
        self.value
            .get("headers")
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn is_json(&self) -> bool {
        self.str("bodyMediaType")
            .is_some_and(|m| m == "application/json" || m.ends_with("+json"))
    }
}

/// The client cases of `shape` for restJson1 in trait `trait_id`.
fn client_cases<'a>(shape: &'a Shape, trait_id: &str) -> Vec<&'a Value> {
    shape
        .traits
        .other(trait_id)
        .and_then(Value::as_array)
        .map(|cases| {
            cases
                .iter()
                .filter(|c| c.get("protocol").and_then(Value::as_str) == Some(PROTOCOL))
                .filter(|c| {
                    c.get("appliesTo")
                        .and_then(Value::as_str)
                        .is_none_or(|a| a == "client")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `tests/protocol_tests.rs`, or `None` when the closure has no restJson1 client case.
pub fn emit_tests(ctx: &Context<'_>) -> Result<Option<TokenStream>> {
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    let mut error_ops: Vec<(&Shape, &Shape)> = Vec::new();
    for op_id in &ctx.closure.operations {
        let op = ctx.index.get(op_id)?;
        for value in client_cases(op, "smithy.test#httpRequestTests") {
            requests.push(case(value, op, None)?);
        }
        for value in client_cases(op, "smithy.test#httpResponseTests") {
            responses.push(case(value, op, None)?);
        }
        for error in ctx.index.operation_errors(ctx.service, op)? {
            if !error_ops.iter().any(|(e, _)| e.id == error.id) {
                error_ops.push((error, op));
            }
        }
    }
    error_ops.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    for (error, op) in error_ops {
        for value in client_cases(error, "smithy.test#httpResponseTests") {
            responses.push(case(value, op, Some(error))?);
        }
    }
    if requests.is_empty() && responses.is_empty() {
        return Ok(None);
    }
    let krate = Ident::new(&ctx.crate_name.replace('-', "_"), Span::call_site());
    let service = ctx.service.id.to_string();
    let mut taken = BTreeSet::new();
    let mut request_tests = Vec::new();
    for case in &requests {
        let values = Values {
            ctx,
            krate: krate.clone(),
            case: case.id.clone(),
        };
        let name = test_fn(&case.id, &mut taken);
        let body = request_test(&values, case)?;
        request_tests.push(wrap(&service, case, &name, body));
    }
    let mut taken = BTreeSet::new();
    let mut response_tests = Vec::new();
    for case in &responses {
        let values = Values {
            ctx,
            krate: krate.clone(),
            case: case.id.clone(),
        };
        let name = test_fn(&case.id, &mut taken);
        let body = response_test(&values, case)?;
        response_tests.push(wrap(&service, case, &name, body));
    }
    let support = support::support(&krate);
    Ok(Some(quote! {
        #![allow(clippy::all, dead_code, unused_imports, unused_mut, unused_variables)]

        #support

        /// `smithy.test#httpRequestTests`: the request the client sends.
        mod request {
            use super::support;
            #(#request_tests)*
        }

        /// `smithy.test#httpResponseTests`: what the client makes of a response.
        mod response {
            use super::support;
            #(#response_tests)*
        }
    }))
}

fn case<'a>(value: &'a Value, operation: &'a Shape, error: Option<&'a Shape>) -> Result<Case<'a>> {
    let id = value
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            let on = error.unwrap_or(operation);
            CodegenError::new("a protocol test case has no `id`")
                .in_file(&on.source)
                .at_shape(&on.id)
        })?
        .to_string();
    Ok(Case {
        value,
        id,
        operation,
        error,
    })
}

fn wrap(service: &str, case: &Case<'_>, name: &Ident, body: TokenStream) -> TokenStream {
    let doc = format!(
        " `{}`{}",
        case.id,
        case.str("documentation")
            .map(|d| format!(": {}", d.split_whitespace().collect::<Vec<_>>().join(" ")))
            .unwrap_or_default()
    );
    let ignore = KNOWN_FAILURES
        .iter()
        .find(|(s, id, _)| *s == service && *id == case.id)
        .map(|(_, _, reason)| quote!(#[ignore = #reason]));
    quote! {
        #[doc = #doc]
        #[tokio::test]
        #ignore
        async fn #name() {
            #body
        }
    }
}

fn strs(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

fn pairs(items: &[(String, String)]) -> TokenStream {
    let entries = items.iter().map(|(k, v)| quote!((#k, #v)));
    quote!(&[#(#entries),*])
}

fn request_test(values: &Values<'_, '_>, case: &Case<'_>) -> Result<TokenStream> {
    let ctx = values.ctx;
    let op = case.operation;
    let method_fn = ctx.symbols.operation_module(&op.id)?;
    let input_id = ctx.symbols.operation_input(&op.id)?;
    let input = ctx.symbols.shape(input_id)?;
    let params = case.value.get("params").cloned().unwrap_or(Value::Null);
    let setters = values.setters(input, &params, "")?;
    let host = case.str("host").unwrap_or("example.com");
    let method = case.str("method").unwrap_or("");
    let uri = case.str("uri").unwrap_or("");
    let mut checks = vec![
        quote!(support::assert_method(&request, #method);),
        quote!(support::assert_path(&request, #uri);),
    ];
    let query = case.strings("queryParams");
    if !query.is_empty() {
        let q = strs(&query);
        checks.push(quote!(support::assert_query(&request, #q);));
    }
    let forbid = case.strings("forbidQueryParams");
    if !forbid.is_empty() {
        let q = strs(&forbid);
        checks.push(quote!(support::assert_forbidden_query(&request, #q);));
    }
    let require = case.strings("requireQueryParams");
    if !require.is_empty() {
        let q = strs(&require);
        checks.push(quote!(support::assert_required_query(&request, #q);));
    }
    let headers = case.headers();
    if !headers.is_empty() {
        let h = pairs(&headers);
        checks.push(quote!(support::assert_headers(&request, #h);));
    }
    let forbid = case.strings("forbidHeaders");
    if !forbid.is_empty() {
        let h = strs(&forbid);
        checks.push(quote!(support::assert_forbidden_headers(&request, #h);));
    }
    let require = case.strings("requireHeaders");
    if !require.is_empty() {
        let h = strs(&require);
        checks.push(quote!(support::assert_required_headers(&request, #h);));
    }
    if let Some(resolved) = case.str("resolvedHost") {
        checks.push(quote!(support::assert_host(&request, #resolved);));
    }
    if let Some(body) = case.str("body") {
        let json = case.is_json();
        checks.push(quote!(support::assert_body(&request, #body, #json);));
    }
    Ok(quote! {
        let (client, http) = support::client(#host);
        let _result = client.#method_fn() #(#setters)* .send().await;
        let request = http.request(&_result);
        #(#checks)*
    })
}

fn response_test(values: &Values<'_, '_>, case: &Case<'_>) -> Result<TokenStream> {
    let ctx = values.ctx;
    let op = case.operation;
    let method_fn = ctx.symbols.operation_module(&op.id)?;
    let input_id = ctx.symbols.operation_input(&op.id)?;
    let input = ctx.symbols.shape(input_id)?;
    // Required input members get placeholders: the request only carries the response back.
    let mut setters = Vec::new();
    for m in &input.members {
        let required = m.traits.required
            || (!ctx.symbols.is_optional(&input.id, &m.name)
                && m.traits.default.as_ref().is_none_or(|v| v.is_null()));
        if required {
            let setter = ctx.symbols.member_setter(&input.id, &m.name)?;
            let mut e = values.placeholder(&m.target, 0)?;
            if ctx.symbols.is_boxed(&input.id, &m.name) {
                e = quote!(Box::new(#e));
            }
            setters.push(quote!(.#setter(Some(#e))));
        }
    }
    let code = case
        .value
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .ok_or_else(|| {
            CodegenError::new(format!("protocol test `{}` has no valid `code`", case.id))
                .at_shape(&op.id)
        })?;
    let headers = pairs(&case.headers());
    let body = case.str("body").unwrap_or("");
    let params = case.value.get("params").cloned().unwrap_or(Value::Null);
    let send = quote! {
        let (client, _http) = support::client_answering(#code, #headers, #body);
        let result = client.#method_fn() #(#setters)* .send().await;
    };
    if let Some(error) = case.error {
        let expected = values.structure(error, &params, "")?;
        let error_enum = values.ext(ctx.symbols.operation_error_path(&op.id)?);
        let variant = ctx.symbols.type_ident(&error.id)?;
        return Ok(quote! {
            #send
            let error = match result {
                Ok(output) => panic!("expected an error, got {output:?}"),
                Err(error) => error.into_service_error().expect("a service error"),
            };
            let expected = #expected;
            match error {
                #error_enum::#variant(actual) => support::assert_same(&actual, &expected),
                other => panic!("expected {}, got {other:?}", stringify!(#variant)),
            }
        });
    }
    let output_id = ctx.symbols.operation_output(&op.id)?;
    let output = ctx.symbols.shape(output_id)?;
    let stream_member = ctx.symbols.byte_stream_member(output_id);
    let Some(stream) = stream_member else {
        let expected = values.structure(output, &params, "")?;
        return Ok(quote! {
            #send
            let output = result.expect("the response is read");
            let expected = #expected;
            support::assert_same(&output, &expected);
        });
    };
    // A `ByteStream` is read once and has no JSON form: its bytes are compared, the other
    // members one by one.
    let mut checks = Vec::new();
    let object = params.as_object().cloned().unwrap_or_default();
    let field = ctx.symbols.member_ident(&output.id, &stream.name)?;
    let expected_bytes = object
        .get(&stream.name)
        .and_then(Value::as_str)
        .unwrap_or("");
    let lit = proc_macro2::Literal::byte_string(expected_bytes.as_bytes());
    checks.push(quote! {
        let bytes = output.#field.collect().await.expect("the stream is read");
        assert_eq!(&bytes[..], #lit, "the streamed payload");
    });
    for m in &output.members {
        if m.name == stream.name {
            continue;
        }
        let field = ctx.symbols.member_ident(&output.id, &m.name)?;
        let optional = ctx.symbols.is_optional(&output.id, &m.name);
        let expected = match object.get(&m.name).filter(|v| !v.is_null()) {
            Some(v) => {
                let e = values.value(&m.target, v, &format!(".{}", m.name))?;
                if optional {
                    quote!(Some(#e))
                } else {
                    e
                }
            }
            None if optional => quote!(None),
            None => continue,
        };
        checks.push(quote!(assert_eq!(output.#field, #expected);));
    }
    Ok(quote! {
        #send
        let output = result.expect("the response is read");
        #(#checks)*
    })
}

/// Whether the closure has protocol tests (the manifest then needs `serde_json` and the
/// `test-util` feature for its tests).
pub fn has_tests(ctx: &Context<'_>) -> Result<bool> {
    for op_id in &ctx.closure.operations {
        let op = ctx.index.get(op_id)?;
        if !client_cases(op, "smithy.test#httpRequestTests").is_empty()
            || !client_cases(op, "smithy.test#httpResponseTests").is_empty()
        {
            return Ok(true);
        }
        for error in ctx.index.operation_errors(ctx.service, op)? {
            if !client_cases(error, "smithy.test#httpResponseTests").is_empty() {
                return Ok(true);
            }
        }
    }
    Ok(false)
}
