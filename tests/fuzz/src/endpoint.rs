//! The generated endpoint resolver (`apigatewayv2::endpoint::resolve`) on arbitrary regions,
//! FIPS/dual-stack flags and endpoint overrides.
//!
//! Oracles: no panic; the rule set's outcomes (an override is used verbatim and excludes
//! FIPS and dual-stack; no region and no override is an error); a valid region resolves; and
//! a resolved URL is `https://apigateway[-fips].<region>.<partition suffix>` whose host is a
//! plain DNS name: a region can never add userinfo, a port, a path, a query or a fragment,
//! nor move the request to a host outside the partition's domain.

use apigatewayv2::endpoint::{resolve, Params};
use arbitrary::Arbitrary;

/// Regions the partition table knows, and shapes of region that are near them.
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-central-1",
    "ap-southeast-1",
    "aws-global",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-west-1",
    "us-gov-east-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-south-1",
    "eusc-de-east-1",
    "ca-west-1",
    "mars-east-1",
    "us-west-9",
    "cn-south-7",
    "",
];

/// The DNS suffixes of the partitions (`dnsSuffix` and `dualStackDnsSuffix`).
fn partition_suffixes() -> Vec<&'static str> {
    aws_client_runtime::endpoint::partitions::PARTITIONS
        .iter()
        .flat_map(|p| [p.outputs.dns_suffix, p.outputs.dual_stack_dns_suffix])
        .collect()
}

#[derive(Debug, Clone, Arbitrary)]
pub enum Region {
    Known(u8),
    Raw(String),
    /// A known region with text around it (`us-east-1.evil.com`, `x@us-east-1`).
    Around(String, u8, String),
}

impl Region {
    pub fn text(&self) -> String {
        let known = |i: &u8| REGIONS[*i as usize % REGIONS.len()];
        match self {
            Region::Known(i) => known(i).to_string(),
            Region::Raw(s) => s.clone(),
            Region::Around(a, i, b) => format!("{a}{}{b}", known(i)),
        }
    }
}

#[derive(Debug, Clone, Arbitrary)]
pub struct EndpointInput {
    pub region: Option<Region>,
    pub use_fips: Option<bool>,
    pub use_dual_stack: Option<bool>,
    pub endpoint: Option<String>,
}

/// Only letters, digits, `-` and `.`: text that cannot add userinfo, a port, a path, a
/// query or a fragment to a URL, whatever it is next to. (Whether every label is a valid DNS
/// label, e.g. for the region `-`, is not checked: such a host fails at DNS, harmlessly.)
fn is_host_text(host: &str) -> bool {
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// Whether a region is an RFC 1123 host label (1–63 letters, digits and `-`, starting and
/// ending with a letter or digit): every such region must resolve.
pub fn is_host_label(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 63
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

pub fn check(input: &EndpointInput) {
    let region = input.region.as_ref().map(Region::text);
    let mut builder = Params::builder().set_region(region.clone());
    builder = builder
        .set_use_fips(input.use_fips)
        .set_use_dual_stack(input.use_dual_stack);
    builder = builder.set_endpoint(input.endpoint.clone());
    let params = builder
        .build()
        .expect("every parameter has a default or is optional");
    let fips = input.use_fips.unwrap_or(false);
    let dual = input.use_dual_stack.unwrap_or(false);
    let result = resolve(&params);

    if let Some(endpoint) = &input.endpoint {
        match &result {
            Ok(e) => {
                assert!(
                    !fips && !dual,
                    "an override resolved with FIPS or dual-stack on: {e:?}"
                );
                assert_eq!(&e.url, endpoint, "an override is used verbatim");
            }
            Err(e) => {
                assert!(fips || dual, "a plain override failed: {e:?}");
                assert!(!e.message().is_empty());
            }
        }
        return;
    }
    let Some(region) = region else {
        let e = result.expect_err("no region and no override cannot resolve");
        assert!(e.message().contains("Missing Region"), "{}", e.message());
        return;
    };
    match result {
        Ok(endpoint) => {
            let url = &endpoint.url;
            let host = url
                .strip_prefix("https://")
                .unwrap_or_else(|| panic!("region {region:?} resolved to a non-https URL {url:?}"));
            assert!(
                is_host_text(host),
                "region {region:?} changed the endpoint's structure: {url:?} is not https://<host name>"
            );
            let prefix = if fips {
                "apigateway-fips."
            } else {
                "apigateway."
            };
            let rest = host
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("region {region:?}: unexpected host {host:?}"));
            let rest = rest.strip_prefix(region.as_str()).unwrap_or_else(|| {
                panic!("region {region:?} does not appear verbatim in {host:?}")
            });
            let suffix = rest.strip_prefix('.').unwrap_or("");
            assert!(
                partition_suffixes().contains(&suffix),
                "region {region:?} resolved outside the partitions' domains: {host:?}"
            );
        }
        Err(e) => {
            assert!(!e.message().is_empty());
            if !fips && !dual {
                assert!(
                    !is_host_label(&region),
                    "the valid region {region:?} did not resolve: {}",
                    e.message()
                );
            }
        }
    }
}
