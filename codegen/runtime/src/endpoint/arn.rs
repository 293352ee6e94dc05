//! `aws.parseArn` and `aws.isVirtualHostableS3Bucket`.

use super::string::is_valid_host_label;

/// The `ARN` structure of the rules engine (`getAttr` names in comments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// `partition`, e.g. `aws`.
    pub partition: String,
    /// `service`, e.g. `s3`.
    pub service: String,
    /// `region`; empty for resources that are not regional.
    pub region: String,
    /// `accountId`; empty for resources that belong to no account.
    pub account_id: String,
    /// `resourceId`: the last part of the ARN split on `:` and `/`.
    pub resource_id: Vec<String>,
}

/// Parses `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. `None` unless the text has all six
/// parts, starts with `arn`, and has a non-empty partition, service and resource. The
/// resource may itself contain `:`; it is split on `:` and `/` into `resource_id`.
pub fn parse_arn(text: &str) -> Option<Arn> {
    let mut parts = text.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_string(),
        service: service.to_string(),
        region: region.to_string(),
        account_id: account_id.to_string(),
        resource_id: resource.split([':', '/']).map(str::to_string).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket`: whether `bucket` can be used as a host label for
/// virtual-hosted-style S3 requests: a valid host label (see [`is_valid_host_label`]) whose
/// every segment (the whole name unless `allow_subdomains`) is 3 to 63 lowercase letters,
/// digits, `-` and `.`, starting and ending with a letter or digit, not shaped like an IPv4
/// address and without `.-` or `-.`.
pub fn is_virtual_hostable_s3_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    if !is_valid_host_label(bucket, allow_subdomains) {
        return false;
    }
    if allow_subdomains {
        bucket.split('.').all(is_virtual_hostable_segment)
    } else {
        is_virtual_hostable_segment(bucket)
    }
}

fn is_virtual_hostable_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let lower_or_digit = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let shaped = (3..=63).contains(&bytes.len())
        && lower_or_digit(&bytes[0])
        && lower_or_digit(&bytes[bytes.len() - 1])
        && bytes
            .iter()
            .all(|b| lower_or_digit(b) || *b == b'-' || *b == b'.');
    shaped && !looks_like_ipv4(segment) && !segment.contains(".-") && !segment.contains("-.")
}

/// Four dot-separated runs of digits (`^(\d+\.){3}\d+$`).
fn looks_like_ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(text: &str) -> Arn {
        parse_arn(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn specification_examples() {
        let a = arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name");
        assert_eq!(
            (
                a.partition.as_str(),
                a.service.as_str(),
                a.region.as_str(),
                a.account_id.as_str()
            ),
            ("aws", "sns", "us-west-2", "012345678910")
        );
        assert_eq!(a.resource_id, ["example-sns-topic-name"]);
        assert_eq!(
            arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE").resource_id,
            ["vpc", "vpc-0e9801d129EXAMPLE"]
        );
        let iam = arn("arn:aws:iam::012345678910:user/johndoe");
        assert_eq!(iam.region, "");
        assert_eq!(iam.resource_id, ["user", "johndoe"]);
        let s3 = arn("arn:aws:s3:::bucket_name");
        assert_eq!((s3.region.as_str(), s3.account_id.as_str()), ("", ""));
        assert_eq!(s3.resource_id, ["bucket_name"]);
        assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);
    }

    #[test]
    fn resource_keeps_colons_and_empty_pieces() {
        assert_eq!(
            arn("arn:aws:s3:us-west-2:123:accesspoint:my/ap:x").resource_id,
            ["accesspoint", "my", "ap", "x"]
        );
        assert_eq!(arn("arn:aws:s3:::a//b").resource_id, ["a", "", "b"]);
    }

    #[test]
    fn invalid_arns() {
        assert_eq!(parse_arn(""), None);
        assert_eq!(parse_arn("arn"), None);
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("arn::s3:::bucket"), None);
        assert_eq!(parse_arn("arn:aws::::bucket"), None);
        assert_eq!(parse_arn("arn:aws:s3:us-east-1:123"), None);
        assert_eq!(parse_arn("ARN:aws:s3:::bucket"), None);
        assert_eq!(parse_arn("urn:aws:s3:::bucket"), None);
    }

    #[test]
    fn unicode_arn_parts_are_kept() {
        assert_eq!(arn("arn:aws:s3:::bücket").resource_id, ["bücket"]);
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("bucket-name", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        assert!(!is_virtual_hostable_s3_bucket("Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket_name", false));
        assert!(!is_virtual_hostable_s3_bucket("-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("abc.def", true));
        assert!(!is_virtual_hostable_s3_bucket("abc.de", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
        assert!(!is_virtual_hostable_s3_bucket("", true));
        assert!(!is_virtual_hostable_s3_bucket("bücket", false));
    }
}
