//! The stages in order: read → parse (JSON) / idl (IDL) → assemble → validate → normalize → index → closure →
//! naming → layout (which calls emit, protocol and endpoint) → format.

use crate::context::Context;
use crate::error::Result;
use crate::options::{Generated, GeneratedFile, Options};
use crate::{assemble, closure, idl, index, layout, naming, normalize, read, validate};

/// Runs the whole pipeline and returns the crate's files, sorted by path.
pub fn generate(options: &Options) -> Result<Vec<GeneratedFile>> {
    generate_with_warnings(options).map(|generated| generated.files)
}

/// [`generate`], with the warnings a maintainer should see.
pub fn generate_with_warnings(options: &Options) -> Result<Generated> {
    let sources = read::read_files(&options.models)?;
    generate_from_sources(&sources, options)
}

/// [`generate_with_warnings`] from model texts already in memory (`options.models` is not
/// read): what the fuzz targets drive.
pub fn generate_from_sources(sources: &[read::SourceText], options: &Options) -> Result<Generated> {
    // `.json` files go through `parse`, `.smithy` files through `idl`.
    let files = idl::parse_sources(sources)?;
    let model = assemble::assemble(files)?;
    validate::validate(&model)?;
    let selected = validate_selected(&model, options)?;
    let model = normalize::normalize_selected(model, options.service.as_deref(), Some(&selected))?;
    let index = index::Index::with_service(&model, options.service.as_deref());
    let service = index.service()?;
    let closure = closure::Closure::compute(&index, service, &options.operations)?;
    let symbols = naming::Symbols::new(&index, &closure, &options.crate_name)?;
    let endpoint = crate::endpoint::EndpointRules::prepare(service)?;
    let ctx = Context {
        index: &index,
        service,
        closure: &closure,
        symbols: &symbols,
        crate_name: &options.crate_name,
        runtime: &options.runtime,
        endpoint: &endpoint,
    };
    let warnings = validate::patterns::unsupported_in(&index, &closure);
    let mut files = layout::layout_crate(&ctx)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Generated { files, warnings })
}

/// The checks that only matter for generated code, over the selected operations' closure
/// in the model as written (before `normalize` copies shared inputs and outputs, so an
/// error names the shape the model defines); the selected operations.
fn validate_selected(
    model: &crate::model::Model,
    options: &Options,
) -> Result<Vec<crate::model::ShapeId>> {
    let index = index::Index::with_service(model, options.service.as_deref());
    let service = index.service()?;
    let closure = closure::Closure::compute(&index, service, &options.operations)?;
    validate::validate_closure(model, &closure)?;
    Ok(closure.operations)
}
