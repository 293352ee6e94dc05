//! Rust names for rule-set parameters, variables and test cases: endpoint parameters are
//! not shapes, so `Symbols` does not hold them, but they follow the same case rules and
//! keyword table (`case`).

use std::collections::BTreeSet;

use super::case;

/// `UseDualStack` → `use_dual_stack`, `UseFIPS` → `use_fips`, `S3ExpressBucket` →
/// `s3_express_bucket`, `FIPSMode` → `fips_mode`: [`case::snake_case`]. A name that is empty
/// or starts with a digit gets a `v_` prefix; keywords get a trailing `_` (`type_`), so the
/// name can be used inline in format strings.
pub fn snake_case(name: &str) -> String {
    let mut out = case::snake_case(name);
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "v_");
    }
    if case::is_keyword(&out) {
        out.push('_');
    }
    out
}

/// The `Params` builder's `Option` setter of a parameter field (`set_region`).
pub fn param_setter(field: &str) -> proc_macro2::Ident {
    quote::format_ident!("set_{}", field)
}

/// The `Params` builder's getter of a parameter field (`get_region`).
pub fn param_getter(field: &str) -> proc_macro2::Ident {
    quote::format_ident!("get_{}", field)
}

/// Whether a name is a method the runtime's `service_config!` already gives `Config` or
/// `ConfigBuilder` (a client context parameter may not take it).
pub fn is_config_method(field: &str) -> bool {
    const TAKEN: &[&str] = &[
        "builder",
        "from_env",
        "to_builder",
        "shared",
        "region",
        "credentials_provider",
        "credentials",
        "endpoint_url",
        "use_fips",
        "use_dual_stack",
        "retry_config",
        "max_attempts",
        "timeout_config",
        "connect_timeout",
        "attempt_timeout",
        "operation_timeout",
        "http_client",
        "max_response_body",
        "validate_constraints",
        "build",
        "map",
    ];
    let base = field.strip_prefix("set_").unwrap_or(field);
    TAKEN.contains(&field) || TAKEN.contains(&base)
}

/// A test function name from a test's documentation: lowercase ASCII words joined by `_`,
/// `test_case` when there are none, prefixed with `test_` when it would start with a
/// digit, and suffixed `_2`, `_3`, ... until it is not in `taken` (which it is added to).
pub fn test_fn_name(documentation: Option<&str>, taken: &mut BTreeSet<String>) -> String {
    let mut base = String::new();
    for c in documentation.unwrap_or("").chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if !base.is_empty() && !base.ends_with('_') {
            base.push('_');
        }
    }
    let mut base = base.trim_end_matches('_').to_string();
    if base.is_empty() {
        base = "test_case".to_string();
    }
    if base.starts_with(|c: char| c.is_ascii_digit()) || case::is_keyword(&base) {
        base.insert_str(0, "test_");
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        for (from, to) in [
            ("Region", "region"),
            ("UseDualStack", "use_dual_stack"),
            ("UseFIPS", "use_fips"),
            ("Endpoint", "endpoint"),
            ("PartitionResult", "partition_result"),
            ("FIPSMode", "fips_mode"),
            ("S3ExpressBucket", "s3_express_bucket"),
            (
                "DisableS3ExpressSessionAuth",
                "disable_s3_express_session_auth",
            ),
            ("url", "url"),
            ("bucketArn", "bucket_arn"),
            ("Ipv6", "ipv6"),
            ("already_snake", "already_snake"),
            ("Type", "type_"),
            ("Self", "self_"),
            ("3rd", "v_3rd"),
            ("", "v_"),
        ] {
            assert_eq!(snake_case(from), to, "{from}");
        }
    }

    #[test]
    fn test_names_are_unique_and_deterministic() {
        let mut taken = BTreeSet::new();
        let doc = "For region us-east-1 with FIPS enabled and DualStack enabled";
        assert_eq!(
            test_fn_name(Some(doc), &mut taken),
            "for_region_us_east_1_with_fips_enabled_and_dualstack_enabled"
        );
        assert_eq!(
            test_fn_name(Some(doc), &mut taken),
            "for_region_us_east_1_with_fips_enabled_and_dualstack_enabled_2"
        );
        assert_eq!(test_fn_name(None, &mut taken), "test_case");
        assert_eq!(test_fn_name(Some("¡!"), &mut taken), "test_case_2");
        assert_eq!(test_fn_name(Some("1 region"), &mut taken), "test_1_region");
        assert_eq!(
            test_fn_name(Some("Missing region"), &mut taken),
            "missing_region"
        );
        assert_eq!(test_fn_name(Some("loop"), &mut taken), "test_loop");
    }
}
