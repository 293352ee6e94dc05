//! The stages in order: read → parse → assemble → validate → normalize → index → closure →
//! naming → layout (which calls emit, protocol and endpoint) → format.

use crate::context::Context;
use crate::error::Result;
use crate::options::{GeneratedFile, Options};
use crate::{assemble, closure, index, layout, naming, normalize, parse, read, validate};

/// Runs the whole pipeline and returns the crate's files, sorted by path.
pub fn generate(options: &Options) -> Result<Vec<GeneratedFile>> {
    let sources = read::read_files(&options.models)?;
    let files = sources
        .iter()
        .map(parse::parse_file)
        .collect::<Result<Vec<_>>>()?;
    let model = assemble::assemble(files)?;
    validate::validate(&model)?;
    let model = normalize::normalize(model)?;
    let index = index::Index::new(&model);
    let service = index.service()?;
    let closure = closure::Closure::compute(&index, service, &options.operations)?;
    let symbols = naming::Symbols::new(&index, &closure, &options.crate_name)?;
    let ctx = Context {
        index: &index,
        service,
        closure: &closure,
        symbols: &symbols,
        crate_name: &options.crate_name,
        runtime: &options.runtime,
    };
    let mut out = layout::layout_crate(&ctx)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
