//! The crates this repository generates and commits. `cargo xtask codegen` writes them and
//! the freshness test (`tests/tests/generated_fresh.rs`) checks them, from this one list.

use std::path::Path;

use crate::options::{Generated, GeneratedFile, OperationSelection, Options};

/// The runtime crate's folder, relative to the workspace root.
pub const RUNTIME_DIR: &str = "codegen/runtime";

/// A crate generated from model files into a folder of the workspace.
#[derive(Debug, Clone, Copy)]
pub struct ProjectCrate {
    /// Model files, relative to the workspace root.
    pub models: &'static [&'static str],
    /// The output folder, relative to the workspace root.
    pub out: &'static str,
    pub crate_name: &'static str,
    /// The name of the crate's generated CLI example (`examples/<name>.rs`), or `None` to
    /// leave it out. The generator writes `examples/cli.rs`; crates of one workspace need
    /// distinct example names (their binaries share `target/debug/examples/`), so only the
    /// product keeps `cli` and the test crates that have one are `<crate>_cli`.
    pub cli: Option<&'static str>,
}

impl ProjectCrate {
    /// Generation options with paths under `root`.
    pub fn options(&self, root: &Path) -> Options {
        Options {
            models: self.models.iter().map(|m| root.join(m)).collect(),
            operations: OperationSelection::All,
            crate_name: self.crate_name.to_string(),
            runtime: crate::runtime::RuntimeDependency::path_from(
                Path::new(self.out),
                Path::new(RUNTIME_DIR),
            ),
            service: None,
        }
    }

    /// Generates the crate's files.
    pub fn generate(&self, root: &Path) -> crate::Result<Vec<GeneratedFile>> {
        self.generate_with_warnings(root).map(|g| g.files)
    }

    /// Generates the crate's files, with generation's warnings.
    pub fn generate_with_warnings(&self, root: &Path) -> crate::Result<Generated> {
        let mut generated = crate::pipeline::generate_with_warnings(&self.options(root))?;
        match self.cli {
            None => generated.files.retain(|f| !f.path.starts_with("examples")),
            Some(name) => {
                for file in &mut generated.files {
                    if file.path == std::path::Path::new(CLI_EXAMPLE) {
                        file.path = format!("examples/{name}.rs").into();
                    }
                }
            }
        }
        Ok(generated)
    }
}

/// Where the generator writes the CLI example.
const CLI_EXAMPLE: &str = "examples/cli.rs";

/// The product first, then the crates generated from test models.
pub const PROJECT_CRATES: &[ProjectCrate] = &[
    ProjectCrate {
        models: &["model/apigatewayv2.json"],
        out: "generated/apigatewayv2",
        crate_name: "apigatewayv2",
        cli: Some("cli"),
    },
    ProjectCrate {
        models: &["tests/models/http_bindings.json"],
        out: "generated/httpbindings",
        crate_name: "httpbindings",
        cli: None,
    },
    ProjectCrate {
        models: &["tests/models/constraints.json"],
        out: "generated/constraints",
        crate_name: "constraints",
        cli: None,
    },
    ProjectCrate {
        models: &["tests/models/shapes.json"],
        out: "generated/shapes",
        crate_name: "shapes",
        cli: None,
    },
    ProjectCrate {
        models: &["tests/models/smithy1.json"],
        out: "generated/smithyone",
        crate_name: "smithyone",
        cli: None,
    },
    ProjectCrate {
        models: &["tests/models/endpoint_params.json"],
        out: "generated/endpointparams",
        crate_name: "endpointparams",
        cli: None,
    },
    ProjectCrate {
        models: &["tests/models/keywords.json"],
        out: "generated/keywords",
        crate_name: "keywords",
        cli: None,
    },
    ProjectCrate {
        models: &["tests/models/streaming.json"],
        out: "generated/streaming",
        crate_name: "streaming",
        cli: Some("streaming_cli"),
    },
    ProjectCrate {
        models: &["tests/models/pagination.json"],
        out: "generated/pagination",
        crate_name: "pagination",
        cli: Some("pagination_cli"),
    },
    ProjectCrate {
        models: &["tests/models/auth.json"],
        out: "generated/auth",
        crate_name: "auth",
        cli: None,
    },
    ProjectCrate {
        models: &["tests/models/eventstream.json"],
        out: "generated/eventstream",
        crate_name: "eventstream",
        cli: Some("eventstream_cli"),
    },
    ProjectCrate {
        models: &["tests/models/bedrockstreams.json"],
        out: "generated/bedrockstreams",
        crate_name: "bedrockstreams",
        cli: Some("bedrockstreams_cli"),
    },
];
