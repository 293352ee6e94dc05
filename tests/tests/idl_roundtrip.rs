//! The IDL front end end to end: every committed project crate's JSON model is written out
//! as Smithy IDL (one `.smithy` file per namespace, all ids absolute, trait values as JSON,
//! which is valid IDL node syntax), and generating from that directory must give exactly the
//! files generated from the JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codegen::parse::{ModelFile, RawMember, RawShape, RawTraits, SmithyVersion};
use codegen::project::PROJECT_CRATES;
use codegen::{OperationSelection, Options};
use serde_json::Value;

fn traits(out: &mut String, indent: &str, traits: &RawTraits) {
    for (id, value) in traits {
        let id = if id.contains('#') {
            id.clone()
        } else {
            format!("smithy.api#{id}")
        };
        writeln!(out, "{indent}@{id}({value})").expect("writing to a String");
    }
}

fn members(out: &mut String, members: &[RawMember], enum_like: bool) {
    for m in members {
        traits(out, "    ", &m.traits);
        if enum_like {
            writeln!(out, "    {}", m.name).expect("writing to a String");
        } else {
            writeln!(out, "    {}: {}", m.name, m.target).expect("writing to a String");
        }
    }
}

fn ids(ids: &[codegen::model::ShapeId]) -> String {
    let items: Vec<String> = ids.iter().map(ToString::to_string).collect();
    format!("[{}]", items.join(", "))
}

fn shape(out: &mut String, s: &RawShape) {
    traits(out, "", &s.traits);
    write!(out, "{} {}", s.ty.as_ast(), s.id.name).expect("writing to a String");
    if !s.mixins.is_empty() {
        write!(out, " with {}", ids(&s.mixins)).expect("writing to a String");
    }
    let mut body = String::new();
    if let Some(op) = &s.operation {
        if let Some(i) = &op.input {
            writeln!(body, "    input: {i}").expect("writing to a String");
        }
        if let Some(o) = &op.output {
            writeln!(body, "    output: {o}").expect("writing to a String");
        }
        writeln!(body, "    errors: {}", ids(&op.errors)).expect("writing to a String");
    } else if let Some(svc) = &s.service {
        writeln!(body, "    version: {}", Value::String(svc.version.clone()))
            .expect("writing to a String");
        writeln!(body, "    operations: {}", ids(&svc.operations)).expect("writing to a String");
        writeln!(body, "    resources: {}", ids(&svc.resources)).expect("writing to a String");
        writeln!(body, "    errors: {}", ids(&svc.errors)).expect("writing to a String");
        let rename: Vec<String> = svc
            .rename
            .iter()
            .map(|(id, name)| format!("\"{id}\": {}", Value::String(name.clone())))
            .collect();
        writeln!(body, "    rename: {{ {} }}", rename.join(", ")).expect("writing to a String");
    } else if let Some(r) = &s.resource {
        let named = |m: &BTreeMap<String, codegen::model::ShapeId>| {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            format!("{{ {} }}", items.join(", "))
        };
        writeln!(body, "    identifiers: {}", named(&r.identifiers)).expect("writing");
        writeln!(body, "    properties: {}", named(&r.properties)).expect("writing");
        for (key, value) in [
            ("create", &r.create),
            ("put", &r.put),
            ("read", &r.read),
            ("update", &r.update),
            ("delete", &r.delete),
            ("list", &r.list),
        ] {
            if let Some(v) = value {
                writeln!(body, "    {key}: {v}").expect("writing");
            }
        }
        writeln!(body, "    operations: {}", ids(&r.operations)).expect("writing");
        writeln!(
            body,
            "    collectionOperations: {}",
            ids(&r.collection_operations)
        )
        .expect("writing");
        writeln!(body, "    resources: {}", ids(&r.resources)).expect("writing");
    }
    let has_body = !matches!(
        s.ty.as_ast(),
        "blob"
            | "boolean"
            | "string"
            | "byte"
            | "short"
            | "integer"
            | "long"
            | "float"
            | "double"
            | "bigInteger"
            | "bigDecimal"
            | "timestamp"
            | "document"
    );
    if has_body {
        out.push_str(" {\n");
        out.push_str(&body);
        members(out, &s.members, matches!(s.ty.as_ast(), "enum" | "intEnum"));
        out.push_str("}\n\n");
    } else {
        out.push_str("\n\n");
    }
}

/// The JSON model files as IDL files in `dir`, one per namespace.
fn write_idl(files: &[ModelFile], dir: &Path) {
    let mut by_ns: BTreeMap<String, String> = BTreeMap::new();
    let version = match files.first().map(|f| f.version) {
        Some(SmithyVersion::V1) => "1.0",
        _ => "2.0",
    };
    let mut metadata = String::new();
    for file in files {
        for (k, v) in &file.metadata {
            writeln!(metadata, "metadata {} = {v}", Value::String(k.clone())).expect("writing");
        }
        for s in &file.shapes {
            shape(by_ns.entry(s.id.namespace.clone()).or_default(), s);
        }
        for a in &file.applies {
            let text = by_ns.entry(a.shape.namespace.clone()).or_default();
            writeln!(text, "apply {} {{", a.target_text()).expect("writing");
            traits(text, "    ", &a.traits);
            text.push_str("}\n\n");
        }
    }
    std::fs::create_dir_all(dir).expect("a temporary directory");
    for (i, (ns, body)) in by_ns.iter().enumerate() {
        let head = format!(
            "$version: \"{version}\"\n\n{}namespace {ns}\n\n",
            if i == 0 { metadata.as_str() } else { "" }
        );
        std::fs::write(dir.join(format!("{ns}.smithy")), head + body).expect("a writable file");
    }
}

#[test]
fn every_project_model_generates_the_same_from_idl() {
    let root = tests::workspace_root();
    let base = std::env::temp_dir().join(format!("idl-roundtrip-{}", std::process::id()));
    let mut compared = 0;
    for krate in PROJECT_CRATES {
        let options = krate.options(&root);
        let sources = codegen::read::read_files(&options.models).expect("the JSON models read");
        let files: Vec<ModelFile> = sources
            .iter()
            .map(|s| codegen::parse::parse_file(s).expect("the JSON model parses"))
            .collect();
        let dir: PathBuf = base.join(krate.crate_name);
        write_idl(&files, &dir);
        let from_json = codegen::generate(&options).expect("generates from JSON");
        let from_idl = codegen::generate(&Options {
            models: vec![dir.clone()],
            operations: OperationSelection::All,
            crate_name: krate.crate_name.to_string(),
            runtime: options.runtime.clone(),
            service: options.service.clone(),
        })
        .unwrap_or_else(|e| panic!("{}: generating from IDL failed: {e}", krate.crate_name));
        assert_eq!(from_json.len(), from_idl.len(), "{}", krate.crate_name);
        for (a, b) in from_json.iter().zip(&from_idl) {
            assert_eq!(a.path, b.path, "{}", krate.crate_name);
            assert!(
                a.contents == b.contents,
                "{}: {} differs when generated from IDL",
                krate.crate_name,
                a.path.display()
            );
        }
        compared += from_json.len();
    }
    let _ = std::fs::remove_dir_all(&base);
    println!(
        "{} crates, {compared} generated files identical from IDL and JSON",
        PROJECT_CRATES.len()
    );
}
