//! The runtime crate (`codegen/runtime`, package `aws-client-runtime`) as generated code sees
//! it: its name, how a generated manifest depends on it, and the crates generated code uses
//! directly. Emitters reach runtime items through `crate::rt`, which every generated
//! `lib.rs` binds to this crate (see [`CRATE_IDENT`]), so moving the runtime is a change
//! here only.

use std::fmt;
use std::path::{Path, PathBuf};

/// The runtime's package name.
pub const PACKAGE: &str = "aws-client-runtime";

/// The runtime's crate name in Rust paths.
pub const CRATE_IDENT: &str = "aws_client_runtime";

/// The runtime's version (the generated manifest asks for it when it names a version).
pub const VERSION: &str = "0.1.0";

/// Where a generated crate gets the runtime from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A path, written into the manifest as given (relative to the generated crate, or
    /// absolute).
    Path(PathBuf),
    /// A version from a registry (after the runtime is published).
    Version(String),
    /// A git repository holding this project, with an optional branch, tag or revision.
    Git { url: String, rev: Option<String> },
}

impl RuntimeDependency {
    /// Parses `--runtime`: `path=DIR`, `version=X.Y.Z` or `git=URL[#REV]`.
    pub fn parse(spec: &str) -> Result<RuntimeDependency, String> {
        let (kind, value) = spec.split_once('=').ok_or_else(|| {
            format!("`{spec}` is not `path=DIR`, `version=X.Y.Z` or `git=URL[#REV]`")
        })?;
        if value.is_empty() {
            return Err(format!("`{spec}`: the {kind} is empty"));
        }
        match kind {
            "path" => Ok(RuntimeDependency::Path(PathBuf::from(value))),
            "version" => Ok(RuntimeDependency::Version(value.to_owned())),
            "git" => Ok(match value.split_once('#') {
                Some((url, rev)) => RuntimeDependency::Git {
                    url: url.to_owned(),
                    rev: Some(rev.to_owned()),
                },
                None => RuntimeDependency::Git {
                    url: value.to_owned(),
                    rev: None,
                },
            }),
            other => Err(format!(
                "`{other}=` is not a runtime source: use `path=`, `version=` or `git=`"
            )),
        }
    }

    /// A path dependency on `runtime_dir` as seen from `crate_dir`: relative when both are
    /// relative (inside one workspace), otherwise `runtime_dir` as it is.
    pub fn path_from(crate_dir: &Path, runtime_dir: &Path) -> RuntimeDependency {
        if crate_dir.is_relative() && runtime_dir.is_relative() {
            let ups = crate_dir
                .components()
                .filter(|c| matches!(c, std::path::Component::Normal(_)))
                .count();
            let mut path = PathBuf::new();
            for _ in 0..ups {
                path.push("..");
            }
            RuntimeDependency::Path(path.join(runtime_dir))
        } else {
            RuntimeDependency::Path(runtime_dir.to_path_buf())
        }
    }
}

impl Default for RuntimeDependency {
    /// The published runtime of this generator's version. `cargo xtask codegen` writes a
    /// path instead (see the README).
    fn default() -> Self {
        RuntimeDependency::Version(VERSION.to_owned())
    }
}

impl fmt::Display for RuntimeDependency {
    /// The dependency's TOML inline table, without the features (the manifest adds them).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuntimeDependency::Path(path) => {
                let text = path.display().to_string().replace('\\', "/");
                write!(f, "path = {text:?}, version = {VERSION:?}")
            }
            RuntimeDependency::Version(version) => write!(f, "version = {version:?}"),
            RuntimeDependency::Git { url, rev: None } => write!(f, "git = {url:?}"),
            RuntimeDependency::Git {
                url,
                rev: Some(rev),
            } => {
                write!(f, "git = {url:?}, rev = {rev:?}")
            }
        }
    }
}

/// The runtime's optional features for what only some models need, each with the text that
/// generated code contains exactly when it uses what the feature gates (the runtime paths as
/// the emitters write them, after formatting). A crate's features are read off its own
/// emitted code, so an emitter that starts using a gated item turns its feature on without
/// a second list to keep in step; naming one needlessly (in a doc comment, say) only costs
/// build time, and a missing one is a compile error, never wrong behaviour.
pub const RUNTIME_FEATURES: &[(&str, &str)] = &[
    ("content-md5", "rt::request_body::BodyStep::ContentMd5"),
    ("event-stream", "rt::event_stream::"),
    ("http2", "const HTTP2: bool = true;"),
    ("pattern", "rt::validate::Pattern"),
    ("request-compression", "rt::request_body::BodyStep::Gzip"),
];

/// The optional runtime features the generated `sources` use, in [`RUNTIME_FEATURES`] order.
pub fn features_used<'a>(sources: impl IntoIterator<Item = &'a str> + Clone) -> Vec<&'static str> {
    RUNTIME_FEATURES
        .iter()
        .filter(|(_, marker)| sources.clone().into_iter().any(|s| s.contains(marker)))
        .map(|(feature, _)| *feature)
        .collect()
}

/// The `[dependencies]` and `[features]` of a generated crate, whose code uses the optional
/// runtime `features` (see [`features_used`]).
///
/// Generated code uses `http` and `bytes` types in its request and response code and `serde`
/// in its JSON readers and writers; everything else comes through the runtime. Their versions
/// are the runtime's (checked by a test), so cargo unifies them.
pub fn manifest_dependencies(runtime: &RuntimeDependency, features: &[&str]) -> String {
    let mut out = String::from("[dependencies]\n");
    let features = if features.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        format!(", features = [{}]", list.join(", "))
    };
    out.push_str(&format!(
        "{PACKAGE} = {{ {runtime}, default-features = false{features} }}\n"
    ));
    out.push_str("bytes = \"1\"\n");
    out.push_str("http = \"1\"\n");
    out.push_str("serde = \"1\"\n");
    out.push_str(&format!(
        "\n[features]\n\
         default = [\"default-http-client\"]\n\
         # The runtime's hyper + rustls HTTP client (`DefaultHttpClient`). Turn off to plug in your own `HttpClient`.\n\
         default-http-client = [\"{PACKAGE}/default-http-client\"]\n\
         # Public serde `Serialize`/`Deserialize` for every generated type, using the wire format.\n\
         serde = []\n\
         # A canned-response `HttpClient` for unit-testing code that calls the service.\n\
         test-util = [\"{PACKAGE}/test-util\"]\n\
         # `Config::from(&aws_types::SdkConfig)`, for what `aws_config::load_defaults` returns.\n\
         aws-config = [\"{PACKAGE}/aws-config\"]\n\
         # HTTP/2 in the default HTTP client for every operation (on already when an operation needs it).\n\
         http2 = [\"{PACKAGE}/http2\"]\n"
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUNTIME_MANIFEST: &str = include_str!("../runtime/Cargo.toml");

    #[test]
    fn names_and_versions_match_the_runtime_manifest() {
        assert!(RUNTIME_MANIFEST.contains(&format!("name = {PACKAGE:?}")));
        assert!(RUNTIME_MANIFEST.contains(&format!("version = {VERSION:?}")));
        assert_eq!(CRATE_IDENT, PACKAGE.replace('-', "_"));
        for line in ["bytes = \"1\"", "http = \"1\"", "serde = \"1\""] {
            assert!(RUNTIME_MANIFEST.contains(line), "runtime has {line}");
        }
        for feature in ["default-http-client = ", "test-util = ", "aws-config = "]
            .into_iter()
            .chain(RUNTIME_FEATURES.iter().map(|(f, _)| *f))
        {
            let line = format!("\n{} = ", feature.trim_end_matches(" = "));
            assert!(RUNTIME_MANIFEST.contains(&line), "runtime has {feature}");
        }
    }

    #[test]
    fn features_come_from_the_code_that_needs_them() {
        let plain = "pub fn f() -> crate::rt::validate::Validator { todo!() }";
        let pattern =
            "static P: crate::rt::validate::Pattern = crate::rt::validate::Pattern::new(\"a\");";
        let events = "pub fn e() -> crate::rt::event_stream::EventReceiver<A, B> { todo!() }";
        let h2 = "impl Operation for X {\n    const HTTP2: bool = true;\n}";
        let steps = "&[crate::rt::request_body::BodyStep::Gzip, crate::rt::request_body::BodyStep::ContentMd5]";
        assert!(features_used([plain]).is_empty());
        assert_eq!(features_used([plain, pattern]), ["pattern"]);
        assert_eq!(
            features_used([events, h2, steps]),
            [
                "content-md5",
                "event-stream",
                "http2",
                "request-compression"
            ]
        );
        let manifest =
            manifest_dependencies(&RuntimeDependency::Version("0.1.0".into()), &["pattern"]);
        assert!(manifest.contains(
            "aws-client-runtime = { version = \"0.1.0\", default-features = false, features = [\"pattern\"] }"
        ), "{manifest}");
    }

    #[test]
    fn parses_runtime_sources() {
        assert_eq!(
            RuntimeDependency::parse("path=/opt/rt").unwrap(),
            RuntimeDependency::Path("/opt/rt".into())
        );
        assert_eq!(
            RuntimeDependency::parse("git=https://host/r.git#v1")
                .unwrap()
                .to_string(),
            "git = \"https://host/r.git\", rev = \"v1\""
        );
        assert_eq!(
            RuntimeDependency::parse("version=0.1.0")
                .unwrap()
                .to_string(),
            "version = \"0.1.0\""
        );
        assert!(RuntimeDependency::parse("crates").is_err());
        assert!(RuntimeDependency::parse("svn=x").is_err());
        assert!(RuntimeDependency::parse("path=").is_err());
    }

    #[test]
    fn path_is_relative_inside_the_workspace() {
        let dep = RuntimeDependency::path_from(
            Path::new("generated/apigatewayv2"),
            Path::new("codegen/runtime"),
        );
        assert_eq!(
            dep.to_string(),
            "path = \"../../codegen/runtime\", version = \"0.1.0\""
        );
        let dep =
            RuntimeDependency::path_from(Path::new("/tmp/out"), Path::new("/src/codegen/runtime"));
        assert_eq!(
            dep.to_string(),
            "path = \"/src/codegen/runtime\", version = \"0.1.0\""
        );
    }
}
