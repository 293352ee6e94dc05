//! Rust names for protocol test cases (`smithy.test#httpRequestTests` /
//! `httpResponseTests`): a case id in snake case, made unique within its module.

use std::collections::BTreeSet;

use proc_macro2::Ident;

use super::case;

/// `RestJsonHttpPrefixHeadersArePresent` → `rest_json_http_prefix_headers_are_present`; a
/// keyword or a name starting with a digit gets a `test_` prefix, a name already in `taken`
/// a `_2`, `_3`, ... suffix (the name is added to `taken`).
pub fn test_fn(id: &str, taken: &mut BTreeSet<String>) -> Ident {
    let mut base = case::snake_case(id);
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) || case::is_keyword(&base)
    {
        base.insert_str(0, "test_");
    }
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    super::ident(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cases() {
        let mut taken = BTreeSet::new();
        assert_eq!(
            test_fn("RestJsonHttpPrefixHeadersArePresent", &mut taken).to_string(),
            "rest_json_http_prefix_headers_are_present"
        );
        assert_eq!(
            test_fn("RestJsonHttpPrefixHeadersArePresent", &mut taken).to_string(),
            "rest_json_http_prefix_headers_are_present_2"
        );
        assert_eq!(test_fn("1a", &mut taken).to_string(), "test_1a");
    }
}
