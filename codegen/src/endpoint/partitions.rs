//! `model/partitions.json` → the runtime's `codegen/runtime/src/endpoint/partitions.rs`: the
//! partition table `aws.partition` reads, as static data (the runtime compiles on its own
//! and reads no file). `cargo xtask codegen` writes it and `--check` keeps it fresh.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::error::{CodegenError, Result};

/// The source of the table, relative to the workspace root.
pub const PARTITIONS_JSON: &str = "model/partitions.json";
/// The generated file, relative to the workspace root.
pub const PARTITIONS_RS: &str = "codegen/runtime/src/endpoint/partitions.rs";

const DOCS: &str =
    "The partition table that `aws.partition` reads: the facts of `model/partitions.json`
(the public `partitions.json` format), held as static data so the runtime compiles on its
own. Generated from that file by `cargo xtask codegen` (`codegen::endpoint::partitions`);
`cargo xtask codegen --check` fails when the two differ. Edit the JSON, not this file.";

fn bad(message: impl Into<String>) -> CodegenError {
    CodegenError::new(format!("{PARTITIONS_JSON}: {}", message.into()))
}

fn text<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("{at}: `{key}` must be a string")))
}

fn flag(v: &Value, key: &str, at: &str) -> Result<bool> {
    v.get(key)
        .and_then(Value::as_bool)
        .ok_or_else(|| bad(format!("{at}: `{key}` must be a boolean")))
}

/// The Rust file (header included) for the partitions document `json`.
pub fn render(json: &str) -> Result<String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| bad(format!("not JSON: {e}")))?;
    let version = text(&doc, "version", "the document")?;
    let Some(partitions) = doc.get("partitions").and_then(Value::as_array) else {
        return Err(bad("`partitions` must be an array"));
    };
    let mut items: Vec<TokenStream> = Vec::new();
    for (i, p) in partitions.iter().enumerate() {
        let at = format!("partitions[{i}]");
        let id = text(p, "id", &at)?;
        let regex = text(p, "regionRegex", &at)?;
        let regions: Vec<&str> = match p.get("regions") {
            Some(Value::Object(r)) => r.keys().map(String::as_str).collect(),
            _ => return Err(bad(format!("{at}: `regions` must be an object"))),
        };
        let Some(o) = p.get("outputs") else {
            return Err(bad(format!("{at}: missing `outputs`")));
        };
        let at = format!("{at}.outputs");
        let (name, dns, dual) = (
            text(o, "name", &at)?,
            text(o, "dnsSuffix", &at)?,
            text(o, "dualStackDnsSuffix", &at)?,
        );
        let (fips, dual_stack) = (
            flag(o, "supportsFIPS", &at)?,
            flag(o, "supportsDualStack", &at)?,
        );
        let global = text(o, "implicitGlobalRegion", &at)?;
        items.push(quote! {
            Partition {
                id: #id,
                region_regex: #regex,
                regions: &[#(#regions),*],
                outputs: PartitionOutputs {
                    name: #name,
                    dns_suffix: #dns,
                    dual_stack_dns_suffix: #dual,
                    supports_fips: #fips,
                    supports_dual_stack: #dual_stack,
                    implicit_global_region: #global,
                },
            }
        });
    }
    let tokens = quote! {
        use super::partition::{Partition, PartitionOutputs};

        /// The `version` of the partitions document this table mirrors.
        pub const PARTITIONS_VERSION: &str = #version;

        /// Every partition, in lookup order (a region regex is tried in this order).
        pub static PARTITIONS: &[Partition] = &[#(#items),*];
    };
    crate::format::format_rust(PARTITIONS_RS, Some(DOCS), tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_partition() {
        let json = r#"{"version": "1.1", "partitions": [{"id": "aws", "regionRegex": "^us\\-\\d$",
            "regions": {"us-east-1": {}}, "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com",
            "dualStackDnsSuffix": "api.aws", "supportsFIPS": true, "supportsDualStack": true,
            "implicitGlobalRegion": "us-east-1"}}]}"#;
        let rs = render(json).unwrap();
        assert!(rs.starts_with(crate::format::RUST_HEADER), "{rs}");
        for want in [
            "pub const PARTITIONS_VERSION: &str = \"1.1\";",
            "region_regex: \"^us\\\\-\\\\d$\",",
            "regions: &[\"us-east-1\"],",
            "dual_stack_dns_suffix: \"api.aws\",",
            "supports_dual_stack: true,",
        ] {
            assert!(rs.contains(want), "missing {want} in\n{rs}");
        }
        let e = render(r#"{"version": "1.1", "partitions": [{"id": "x"}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("partitions[0]: `regionRegex` must be a string"),
            "{e}"
        );
    }

    #[test]
    fn the_runtime_table_is_fresh() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let json = std::fs::read_to_string(root.join(PARTITIONS_JSON)).expect(PARTITIONS_JSON);
        let rs = std::fs::read_to_string(root.join(PARTITIONS_RS)).expect(PARTITIONS_RS);
        assert!(
            render(&json).unwrap() == rs,
            "{PARTITIONS_RS} is stale: run `cargo xtask codegen`"
        );
    }
}
