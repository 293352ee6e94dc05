//! `aws.partition`: which partition a region belongs to, and that partition's facts.

use std::sync::LazyLock;

use super::partitions::PARTITIONS;

/// What `aws.partition` returns: the `outputs` of a partition (`getAttr` names in comments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name`, e.g. `aws`.
    pub name: &'static str,
    /// `dnsSuffix`, e.g. `amazonaws.com`.
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix`, e.g. `api.aws`.
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`, e.g. `us-east-1`.
    pub implicit_global_region: &'static str,
}

/// One partition of the table: its id, the regions it lists, the regex for regions it does
/// not list yet, and its outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// `id`, e.g. `aws-cn`.
    pub id: &'static str,
    /// `regionRegex`, e.g. `^cn\-\w+\-\d+$`.
    pub region_regex: &'static str,
    /// The known regions (the keys of `regions`).
    pub regions: &'static [&'static str],
    /// `outputs`.
    pub outputs: PartitionOutputs,
}

/// Each partition's `regionRegex`, compiled once; `None` for a regex that does not compile
/// (the table's tests prove there is none), which then matches nothing.
static REGION_REGEXES: LazyLock<Vec<Option<regex_lite::Regex>>> = LazyLock::new(|| {
    PARTITIONS
        .iter()
        .map(|p| regex_lite::Regex::new(p.region_regex).ok())
        .collect()
});

/// The partition of `region`, per the rules engine: the partition that lists the region by
/// name, else the first partition whose `regionRegex` matches it, else the `aws` partition.
///
/// One deliberate restriction: a region that is not a single DNS label (see
/// [`is_region_name`]) belongs to no partition and gets `None`. Rule sets template the region
/// into the endpoint host, so `us-east-1.evil.com`, `x@evil.com/` or an empty region would
/// otherwise rewrite the host; no real region is affected.
pub fn partition(region: &str) -> Option<&'static PartitionOutputs> {
    find_partition(region).map(|p| &p.outputs)
}

/// Like [`partition`], returning the whole table entry.
pub fn find_partition(region: &str) -> Option<&'static Partition> {
    if !is_region_name(region) {
        return None;
    }
    if let Some(p) = PARTITIONS.iter().find(|p| p.regions.contains(&region)) {
        return Some(p);
    }
    let by_regex = PARTITIONS
        .iter()
        .zip(REGION_REGEXES.iter())
        .find(|(_, re)| re.as_ref().is_some_and(|re| re.is_match(region)))
        .map(|(p, _)| p);
    by_regex.or_else(|| PARTITIONS.iter().find(|p| p.id == "aws"))
}

/// Whether `region` can be a region name: one RFC 1123 DNS label, 1 to 63 ASCII letters,
/// digits and `-`, starting and ending with a letter or digit.
pub fn is_region_name(region: &str) -> bool {
    let b = region.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(region: &str) -> &'static str {
        partition(region).expect("aws is the fallback").name
    }

    #[test]
    fn listed_regions_resolve_by_name() {
        assert_eq!(name("us-east-1"), "aws");
        assert_eq!(name("aws-global"), "aws");
        assert_eq!(name("cn-north-1"), "aws-cn");
        assert_eq!(name("us-gov-west-1"), "aws-us-gov");
        assert_eq!(name("us-iso-east-1"), "aws-iso");
        assert_eq!(name("us-isob-east-1"), "aws-iso-b");
        assert_eq!(name("eu-isoe-west-1"), "aws-iso-e");
        assert_eq!(name("us-isof-south-1"), "aws-iso-f");
        assert_eq!(name("eusc-de-east-1"), "aws-eusc");
    }

    #[test]
    fn unlisted_regions_resolve_by_regex() {
        assert_eq!(name("us-west-9"), "aws");
        assert_eq!(name("cn-south-7"), "aws-cn");
        assert_eq!(name("us-gov-north-3"), "aws-us-gov");
        assert_eq!(name("us-iso-north-2"), "aws-iso");
        assert_eq!(name("us-isob-west-5"), "aws-iso-b");
        assert_eq!(name("eu-isoe-east-2"), "aws-iso-e");
        assert_eq!(name("us-isof-west-2"), "aws-iso-f");
        assert_eq!(name("eusc-de-west-1"), "aws-eusc");
    }

    #[test]
    fn everything_else_falls_back_to_aws() {
        assert_eq!(name("xx-unknown-9"), "aws");
        assert_eq!(name("mars-east-1"), "aws");
        assert_eq!(name("local"), "aws");
        assert_eq!(name("US-EAST-1"), "aws");
        assert_eq!(name("a"), "aws");
    }

    #[test]
    fn a_region_that_is_not_a_dns_label_has_no_partition() {
        for region in [
            "",
            "us-east-1.evil.com",
            "x@evil.com/",
            "us-east-1/path",
            "us-east-1:443",
            "us-east-1?q",
            "us-east-1#f",
            "us east 1",
            "us-east-1\n",
            "-us-east-1",
            "us-east-1-",
            "us_east_1",
            "ünïcode-1",
            // `\w` is ASCII-only, and so are region names.
            "cn-nörth-1",
        ] {
            assert_eq!(partition(region), None, "{region:?}");
        }
        assert!(is_region_name(&"a".repeat(63)));
        assert!(!is_region_name(&"a".repeat(64)));
    }

    #[test]
    fn outputs_carry_the_partition_facts() {
        let aws = partition("us-west-2").unwrap();
        assert_eq!(aws.dns_suffix, "amazonaws.com");
        assert_eq!(aws.dual_stack_dns_suffix, "api.aws");
        assert!(aws.supports_fips && aws.supports_dual_stack);
        assert_eq!(aws.implicit_global_region, "us-east-1");
        let cn = partition("cn-northwest-1").unwrap();
        assert_eq!(cn.dns_suffix, "amazonaws.com.cn");
        assert_eq!(cn.dual_stack_dns_suffix, "api.amazonwebservices.com.cn");
        let iso = partition("us-iso-east-1").unwrap();
        assert_eq!(iso.dns_suffix, "c2s.ic.gov");
        assert!(iso.supports_fips);
        assert!(!iso.supports_dual_stack);
        assert_eq!(find_partition("us-isob-east-1").unwrap().id, "aws-iso-b");
    }
}

/// The generated table against its source, `model/partitions.json`.
#[cfg(test)]
mod table_tests {
    use super::super::partitions::{PARTITIONS, PARTITIONS_VERSION};
    use serde_json::{json, Map, Value};

    /// The table, written back in the `partitions.json` shape.
    fn table_as_json() -> Value {
        let partitions: Vec<Value> = PARTITIONS
            .iter()
            .map(|p| {
                let regions: Map<String, Value> = p
                    .regions
                    .iter()
                    .map(|r| (r.to_string(), json!({})))
                    .collect();
                json!({
                    "id": p.id,
                    "outputs": {
                        "name": p.outputs.name,
                        "dnsSuffix": p.outputs.dns_suffix,
                        "dualStackDnsSuffix": p.outputs.dual_stack_dns_suffix,
                        "supportsFIPS": p.outputs.supports_fips,
                        "supportsDualStack": p.outputs.supports_dual_stack,
                        "implicitGlobalRegion": p.outputs.implicit_global_region,
                    },
                    "regionRegex": p.region_regex,
                    "regions": regions,
                })
            })
            .collect();
        json!({ "version": PARTITIONS_VERSION, "partitions": partitions })
    }

    #[test]
    fn table_equals_model_partitions_json() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../model/partitions.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file: Value = serde_json::from_str(&text).expect("partitions.json is JSON");
        let table = table_as_json();
        // Compare partition by partition first, for a readable failure.
        let (Some(want), Some(have)) = (
            file["partitions"].as_array(),
            table["partitions"].as_array(),
        ) else {
            panic!("partitions.json has no `partitions` array");
        };
        for (w, h) in want.iter().zip(have) {
            assert_eq!(w, h, "partition `{}` differs from partitions.json", w["id"]);
        }
        assert_eq!(file, table, "partitions.rs differs from partitions.json");
    }

    #[test]
    fn regexes_compile_ids_are_unique_and_regions_are_dns_labels() {
        let mut ids = std::collections::BTreeSet::new();
        for p in PARTITIONS {
            assert!(regex_lite::Regex::new(p.region_regex).is_ok(), "{}", p.id);
            assert!(ids.insert(p.id), "duplicate partition `{}`", p.id);
            for region in p.regions {
                assert!(
                    super::is_region_name(region),
                    "`{region}` in `{}` is not a DNS label, so it would never resolve",
                    p.id
                );
            }
        }
        assert!(
            ids.contains("aws"),
            "the `aws` fallback partition is missing"
        );
    }
}
