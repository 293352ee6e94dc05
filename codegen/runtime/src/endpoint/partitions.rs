//! The partition table that `aws.partition` reads: the facts of `model/partitions.json`
//! (the public `partitions.json` format), held here as static data so the runtime compiles on
//! its own. A unit test in this module reads `model/partitions.json` and asserts that this
//! table equals it exactly, so the two cannot drift: change both together.
//!
//! The isolated partitions (`aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`) and `aws-eusc`
//! have `supportsDualStack: false` and a `dualStackDnsSuffix` equal to their `dnsSuffix`: that
//! is the partition data the official ApiGatewayV2 endpoint tests were generated from (they
//! expect dual-stack requests in `us-iso-east-1` and `us-isob-east-1` to fail).

use super::partition::{Partition, PartitionOutputs};

/// The `version` of the partitions document this table mirrors.
pub const PARTITIONS_VERSION: &str = "1.1";

/// Every partition, in lookup order (a region regex is tried in this order).
pub static PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
        outputs: PartitionOutputs {
            name: "aws",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-east-1",
        },
    },
    Partition {
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        outputs: PartitionOutputs {
            name: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "cn-northwest-1",
        },
    },
    Partition {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        outputs: PartitionOutputs {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-gov-west-1",
        },
    },
    Partition {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        outputs: PartitionOutputs {
            name: "aws-iso",
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "c2s.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-iso-east-1",
        },
    },
    Partition {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &["aws-iso-b-global", "us-isob-east-1"],
        outputs: PartitionOutputs {
            name: "aws-iso-b",
            dns_suffix: "sc2s.sgov.gov",
            dual_stack_dns_suffix: "sc2s.sgov.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isob-east-1",
        },
    },
    Partition {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
        outputs: PartitionOutputs {
            name: "aws-iso-e",
            dns_suffix: "cloud.adc-e.uk",
            dual_stack_dns_suffix: "cloud.adc-e.uk",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "eu-isoe-west-1",
        },
    },
    Partition {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        outputs: PartitionOutputs {
            name: "aws-iso-f",
            dns_suffix: "csp.hci.ic.gov",
            dual_stack_dns_suffix: "csp.hci.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isof-south-1",
        },
    },
    Partition {
        id: "aws-eusc",
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &["eusc-de-east-1"],
        outputs: PartitionOutputs {
            name: "aws-eusc",
            dns_suffix: "amazonaws.eu",
            dual_stack_dns_suffix: "amazonaws.eu",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "eusc-de-east-1",
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;
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
                    super::super::partition::is_region_name(region),
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
