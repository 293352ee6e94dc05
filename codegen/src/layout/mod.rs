//! Crate assembly: which files the generated crate has, which item goes into which file,
//! the module trees (`mod.rs` files) and `Cargo.toml`. It calls `emit`, `protocol` and
//! `endpoint` for the items and runs one `format` pass per file.

pub mod crate_files;
pub mod waiters;

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use proc_macro2::TokenStream;

use crate::context::Context;
use crate::emit::{enums, errors, operation, structure, union};
use crate::error::{CodegenError, Result};
use crate::format::{format_items, format_rust};
use crate::model::{Shape, ShapeType};
use crate::naming::TypeHome;
use crate::options::GeneratedFile;

/// A Rust file before formatting, or a later part of one.
pub struct RustFile {
    pub path: PathBuf,
    /// The file's `//!` docs, if any.
    pub docs: Option<String>,
    pub tokens: TokenStream,
    /// Whether these items continue the file of the same path that an earlier job (or an
    /// earlier entry of this job) started: a big file emitted in parts.
    pub continues: bool,
}

impl RustFile {
    pub fn new(path: impl Into<PathBuf>, docs: Option<String>, tokens: TokenStream) -> RustFile {
        RustFile {
            path: path.into(),
            docs,
            tokens,
            continues: false,
        }
    }

    /// More items for the file at `path`.
    pub fn continuation(path: impl Into<PathBuf>, tokens: TokenStream) -> RustFile {
        RustFile {
            path: path.into(),
            docs: None,
            tokens,
            continues: true,
        }
    }
}

/// A formatted file, or the formatted later part of one.
struct Formatted {
    file: GeneratedFile,
    continues: bool,
}

/// How many shapes one job of `src/protocol/shapes.rs` emits.
const SHAPES_PER_JOB: usize = 32;

/// A piece of the crate emitted on its own: one or more files. Jobs are independent, so
/// [`layout_crate`] runs them on all cores; each is emitted and formatted on one thread
/// (proc-macro2 token streams stay on the thread that made them).
pub type Job<'a> = Box<dyn FnOnce() -> Result<Vec<RustFile>> + Send + 'a>;

/// The whole generated crate.
pub fn layout_crate(ctx: &Context<'_>) -> Result<Vec<GeneratedFile>> {
    let plan = crate::protocol::Plan::new(ctx)?;
    // The frame's few big files first, so that no big job is left running alone at the end.
    let mut jobs = crate_files::frame_jobs(ctx);
    jobs.extend(protocol_jobs(ctx, &plan));
    jobs.extend(type_jobs(ctx)?);
    jobs.extend(operation_jobs(ctx)?);
    let mut out = run_jobs(jobs)?;
    out.push(GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: crate_files::cargo_toml(ctx, &out)?,
    });
    Ok(out)
}

/// Runs `jobs` on as many threads as the machine has cores, each job's files formatted
/// where they were emitted. The files come back in job order; an error is the first
/// failing job's, whatever the threads' timing, so output and errors are deterministic.
fn run_jobs(jobs: Vec<Job<'_>>) -> Result<Vec<GeneratedFile>> {
    /// syn and prettyplease recurse over the tree; a worker gets a main thread's stack.
    const STACK: usize = 8 << 20;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, jobs.len().max(1));
    let count = jobs.len();
    let queue = Mutex::new(jobs.into_iter().enumerate());
    let work = || {
        let mut done = Vec::new();
        loop {
            let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
            let Some((index, job)) = next else {
                return done;
            };
            done.push((index, job().and_then(format_files)));
        }
    };
    let mut results = if threads == 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    std::thread::Builder::new()
                        .stack_size(STACK)
                        .spawn_scoped(scope, work)
                })
                .collect();
            let mut results = Vec::with_capacity(count);
            for worker in workers {
                let worker = worker.map_err(|e| {
                    CodegenError::new(format!("cannot start a generator thread: {e}"))
                })?;
                match worker.join() {
                    Ok(done) => results.extend(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Ok::<_, CodegenError>(results)
        })?
    };
    results.sort_by_key(|(index, _)| *index);
    let mut out: Vec<GeneratedFile> = Vec::new();
    for (_, files) in results {
        for Formatted { file, continues } in files? {
            if !continues {
                out.push(file);
                continue;
            }
            let Some(start) = out.iter_mut().rev().find(|f| f.path == file.path) else {
                return Err(CodegenError::new(format!(
                    "internal error: a part of {} comes before the file's start",
                    file.path.display()
                )));
            };
            start.contents.push('\n');
            start.contents.push_str(&file.contents);
        }
    }
    Ok(out)
}

fn format_files(files: Vec<RustFile>) -> Result<Vec<Formatted>> {
    files
        .into_iter()
        .map(|file| {
            let path_text = file.path.display().to_string();
            let contents = if file.continues {
                format_items(&path_text, None, file.tokens)?
            } else {
                format_rust(&path_text, file.docs.as_deref(), file.tokens)?
            };
            Ok(Formatted {
                file: GeneratedFile {
                    path: file.path,
                    contents,
                },
                continues: file.continues,
            })
        })
        .collect()
}

/// `src/protocol/**`: a job per operation, `shapes.rs` in parts of [`SHAPES_PER_JOB`]
/// shapes, and `mod.rs`.
fn protocol_jobs<'a>(ctx: &'a Context<'_>, plan: &'a crate::protocol::Plan<'_>) -> Vec<Job<'a>> {
    let mut jobs: Vec<Job<'a>> = Vec::new();
    for op in &plan.operations {
        jobs.push(Box::new(move || {
            let (path, tokens) = crate::protocol::emit_operation_file(ctx, op)?;
            Ok(vec![RustFile::new(path, None, tokens)])
        }));
    }
    let shapes: Vec<_> = ctx.symbols.named_types().collect();
    // The first part starts the file (with its docs) even when there are no shapes.
    let mut parts: Vec<Vec<_>> = shapes.chunks(SHAPES_PER_JOB).map(<[_]>::to_vec).collect();
    if parts.is_empty() {
        parts.push(Vec::new());
    }
    for (index, part) in parts.into_iter().enumerate() {
        jobs.push(Box::new(move || {
            let tokens = crate::protocol::emit_shapes(ctx, plan, &part)?;
            let path = crate::protocol::SHAPES_PATH;
            Ok(vec![if index == 0 {
                RustFile::new(path, Some(crate::protocol::SHAPES_DOCS.to_string()), tokens)
            } else {
                RustFile::continuation(path, tokens)
            }])
        }));
    }
    jobs.push(Box::new(move || {
        let (path, tokens) = crate::protocol::emit_module(ctx, plan)?;
        Ok(vec![RustFile::new(path, None, tokens)])
    }));
    jobs
}

/// The shapes that get a file under `src/types/`: structures, enums and unions not homed in
/// an operation's module.
fn type_shapes<'a>(ctx: &'a Context<'_>) -> Result<Vec<(&'a Shape, TypeHome)>> {
    let mut out = Vec::new();
    for id in ctx.symbols.named_types() {
        let home = ctx.symbols.type_home(id)?;
        if matches!(home, TypeHome::Operation(_)) {
            continue;
        }
        let shape = ctx.symbols.shape(id)?;
        if matches!(
            shape.ty,
            ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum
        ) {
            out.push((shape, home));
        }
    }
    Ok(out)
}

/// `src/types/**`: one file per structure, enum and union (a job each); errors under
/// `types/error/`.
fn type_jobs<'a>(ctx: &'a Context<'_>) -> Result<Vec<Job<'a>>> {
    let mut jobs: Vec<Job<'a>> = Vec::new();
    for (shape, home) in type_shapes(ctx)? {
        let file = ctx.symbols.type_file(&shape.id)?;
        let dir = if home == TypeHome::Errors {
            "src/types/error"
        } else {
            "src/types"
        };
        let path = format!("{dir}/{file}.rs");
        jobs.push(Box::new(move || {
            let tokens = match shape.ty {
                ShapeType::Structure if home == TypeHome::Errors => {
                    errors::emit_error_structure(ctx, shape)?
                }
                ShapeType::Structure => structure::emit_structure(ctx, shape, Default::default())?,
                ShapeType::Union => union::emit_union(ctx, shape)?,
                _ => enums::emit_enum(ctx, shape)?,
            };
            Ok(vec![RustFile::new(path, None, tokens)])
        }));
    }
    jobs.push(Box::new(move || types_modules(ctx)));
    Ok(jobs)
}

/// `src/types/mod.rs` and `src/types/error/mod.rs`.
fn types_modules(ctx: &Context<'_>) -> Result<Vec<RustFile>> {
    let mut types_mod = Vec::new();
    let mut errors_mod = Vec::new();
    for (shape, home) in type_shapes(ctx)? {
        let id = &shape.id;
        let entry = (
            ctx.symbols.type_module_ident(id)?,
            ctx.symbols.type_ident(id)?,
            shape.ty == ShapeType::Structure,
        );
        if home == TypeHome::Errors {
            errors_mod.push(entry);
        } else {
            types_mod.push(entry);
        }
        if ctx.symbols.has_event_stream_error(id) {
            types_mod.push((
                ctx.symbols.type_module_ident(id)?,
                ctx.symbols.event_stream_error_ident(id)?,
                false,
            ));
        }
    }
    let mut modules = vec![crate_files::types_module(
        &types_mod,
        !errors_mod.is_empty(),
        false,
    )];
    if !errors_mod.is_empty() {
        modules.push(crate_files::types_module(&errors_mod, false, true));
    }
    Ok(modules)
}

/// `src/operation/**`: one module per operation (a job each), and `src/operation/mod.rs`.
fn operation_jobs<'a>(ctx: &'a Context<'_>) -> Result<Vec<Job<'a>>> {
    let mut jobs: Vec<Job<'a>> = Vec::new();
    for op in operation::operations(ctx)? {
        jobs.push(Box::new(move || {
            let dir = ctx.symbols.operation_dir(&op.id)?;
            let tokens = operation::emit_operation_module(ctx, op)?;
            let docs = operation::operation_module_docs(ctx, op)?;
            Ok(vec![
                RustFile::new(format!("src/operation/{dir}/mod.rs"), Some(docs), tokens),
                crate_files::fluent_builders_file(ctx, op)?,
            ])
        }));
    }
    jobs.push(Box::new(move || {
        let modules = operation::operations(ctx)?
            .into_iter()
            .map(|op| ctx.symbols.operation_module(&op.id))
            .collect::<Result<Vec<_>>>()?;
        Ok(vec![crate_files::operation_module(&modules)])
    }));
    Ok(jobs)
}
