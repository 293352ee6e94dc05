//! `smithy.rules#endpointTests` → `tests/endpoint_tests.rs`: one `#[test]` per case.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use super::params::doc_lines;
use super::params::ParamBinding;
use super::ruleset::{Expectation, ParamType, TestCase};
use super::typecheck::json_literal;
use crate::naming::endpoint::test_fn_name;

/// A problem with one test case: its JSON path and what is wrong.
pub struct CaseError {
    pub path: String,
    pub message: String,
}

fn err<T>(path: &str, message: impl Into<String>) -> Result<T, CaseError> {
    Err(CaseError {
        path: path.to_string(),
        message: message.into(),
    })
}

pub fn emit_cases(
    cases: &[TestCase],
    params: &[ParamBinding],
    crate_ident: &Ident,
) -> Result<TokenStream, CaseError> {
    let mut taken = BTreeSet::new();
    let mut tests = Vec::new();
    for case in cases {
        let name = Ident::new(
            &test_fn_name(case.documentation.as_deref(), &mut taken),
            Span::call_site(),
        );
        let doc = doc_lines(
            case.documentation
                .as_deref()
                .unwrap_or("An endpoint test case."),
        );
        let mut setters = Vec::new();
        for (param_name, value) in &case.params {
            if value.is_null() {
                // Explicitly unset: the same as leaving it out.
                continue;
            }
            let Some(p) = params.iter().find(|p| p.param.name == *param_name) else {
                return err(
                    &case.path,
                    format!(
                        "the test sets `{param_name}`, which is not a parameter of the rule set"
                    ),
                );
            };
            let field = p.ident();
            let arg = match (p.param.ty, value) {
                (ParamType::String, Value::String(s)) => quote!(#s),
                (ParamType::Boolean, Value::Bool(b)) => quote!(#b),
                (ParamType::StringArray, Value::Array(items)) => {
                    let mut strings = Vec::new();
                    for item in items {
                        match item.as_str() {
                            Some(s) => strings.push(s),
                            None => {
                                return err(
                                    &case.path,
                                    format!("`{param_name}` must be an array of strings"),
                                )
                            }
                        }
                    }
                    quote!(vec![#(#strings.to_string()),*])
                }
                (ty, v) => {
                    return err(
                        &case.path,
                        format!(
                            "`{param_name}` is a {} parameter; the test gives `{v}`",
                            ty.as_str()
                        ),
                    )
                }
            };
            setters.push(quote!(.#field(#arg)));
        }
        let check = match &case.expect {
            Expectation::Error(message) => quote! {
                let error = result.expect_err("the rule set returns an error");
                assert_eq!(error.to_string(), #message);
            },
            Expectation::Endpoint {
                url,
                headers,
                properties,
            } => {
                let headers = match headers {
                    None => quote!(),
                    Some(h) if h.is_empty() => quote!(assert!(endpoint.headers.is_empty());),
                    Some(h) => {
                        let entries = h.iter().map(|(name, values)| {
                            quote!((#name.to_string(), vec![#(#values.to_string()),*]))
                        });
                        quote! {
                            assert_eq!(
                                endpoint.headers,
                                std::collections::BTreeMap::from([#(#entries),*])
                            );
                        }
                    }
                };
                let properties = match properties {
                    None => quote!(),
                    Some(p) if p.is_empty() => quote!(assert!(endpoint.properties.is_empty());),
                    Some(p) => {
                        let rt = Ident::new(crate::runtime::CRATE_IDENT, Span::call_site());
                        let entries = p.iter().map(|(name, value)| {
                            let value = json_literal(value);
                            quote!((#name.to_string(), #rt::endpoint::serde_json::json!(#value)))
                        });
                        quote! {
                            assert_eq!(
                                endpoint.properties,
                                std::collections::BTreeMap::from([#(#entries),*])
                            );
                        }
                    }
                };
                quote! {
                    let endpoint = result.expect("the rule set resolves an endpoint");
                    assert_eq!(endpoint.url, #url);
                    #headers
                    #properties
                }
            }
        };
        tests.push(quote! {
            #doc
            #[test]
            fn #name() {
                let result = Params::builder()
                    #(#setters)*
                    .build()
                    .and_then(|params| resolve(&params));
                #check
            }
        });
    }
    Ok(quote! {
        use #crate_ident::endpoint::{resolve, Params};

        #(#tests)*
    })
}
