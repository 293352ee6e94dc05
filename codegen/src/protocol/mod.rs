//! Protocol emitters (restJson1): request serializers, response and error deserializers,
//! the JSON forms of the shapes, and input validators. Kept apart from the shape emitters:
//! everything here is `impl` blocks and functions over the types `emit` declares.
//!
//! The generated code is a thin, model-specific layer over `crate::rt::wire` (encoding
//! rules, tested once in `aws-client-runtime`):
//!
//! - `src/protocol/mod.rs` declares one module per operation plus `shapes`;
//! - `src/protocol/shapes.rs` implements `rt::wire::de::ReadJson` / `rt::wire::ser::WriteJson`
//!   for the structures, unions and enums that travel in JSON bodies (the others only under
//!   the `serde` feature), and the public `serde` impls under the `serde` feature;
//! - `src/protocol/<op>.rs` has `serialize_request`, `deserialize_response` and
//!   `deserialize_error`;
//! - event streams (`@streaming` unions) have no JSON form: `shapes.rs` has each one's
//!   unmarshaller instead (`event_stream.rs`), which turns a message into a typed event;
//! - `src/validate.rs` (from [`emit_validators`]) has one validator per operation input.

mod event_stream;
mod exprs;
pub mod host_prefix;
mod json;
mod plan;
mod request;
mod response;
mod validate;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::context::Context;
use crate::error::Result;

pub use plan::{OperationPlan, Plan};

/// Where the shapes' JSON forms go.
pub const SHAPES_PATH: &str = "src/protocol/shapes.rs";
/// The `//!` docs of [`SHAPES_PATH`].
pub const SHAPES_DOCS: &str =
    "The JSON form of the service's types: what the wire reads and writes, and (with
the `serde` feature) public `serde` impls in the same format.";

/// `src/protocol/<op>.rs`: an operation's serializer and deserializers, as (path relative
/// to the crate root, tokens).
pub fn emit_operation_file(
    ctx: &Context<'_>,
    op: &OperationPlan<'_>,
) -> Result<(PathBuf, TokenStream)> {
    let file = ctx.symbols.operation_dir(&op.shape.id)?;
    let serialize = request::emit_serialize_request(ctx, op)?;
    let deserialize = response::emit_deserialize_response(ctx, op)?;
    let errors = response::emit_deserialize_error(ctx, op)?;
    let take_stream = request::emit_take_request_stream(ctx, op)?;
    let take_events = request::emit_take_event_stream(ctx, op)?;
    let streaming = response::emit_deserialize_streaming(ctx, op)?;
    let host_prefix = host_prefix::emit_host_prefix(ctx, op.shape)?;
    let doc = format!(
        " restJson1 serializer and deserializers of `{}` (`{} {}`).",
        op.shape.id.name, op.bindings.method, op.bindings.uri_text
    );
    Ok((
        PathBuf::from(format!("src/protocol/{file}.rs")),
        quote! {
            #![doc = #doc]

            #serialize

            #host_prefix

            #take_stream

            #take_events

            #deserialize

            #streaming

            #errors
        },
    ))
}

/// Items of [`SHAPES_PATH`]: the JSON forms of `shapes` (in the order of
/// `Symbols::named_types`; shapes without one are skipped). The file is emitted in parts so
/// that a big service's parts are emitted and formatted in parallel.
pub fn emit_shapes(
    ctx: &Context<'_>,
    plan: &Plan<'_>,
    shapes: &[&crate::model::ShapeId],
) -> Result<TokenStream> {
    json::emit_shapes(ctx, plan, shapes)
}

/// `src/protocol/mod.rs`: one module per operation, plus `shapes`.
pub fn emit_module(ctx: &Context<'_>, plan: &Plan<'_>) -> Result<(PathBuf, TokenStream)> {
    let modules = plan
        .operations
        .iter()
        .map(|op| ctx.symbols.operation_module(&op.shape.id))
        .collect::<Result<Vec<_>>>()?;
    Ok((
        PathBuf::from("src/protocol/mod.rs"),
        quote! {
            //! The restJson1 protocol: one module per operation (request serializer, response
            //! and error deserializers) and the JSON forms of the shapes.

            pub(crate) mod shapes;
            #(pub(crate) mod #modules;)*
        },
    ))
}

/// `src/validate.rs`: the input validators (`@pattern`s go through the runtime's `Pattern`).
pub fn emit_validators(ctx: &Context<'_>) -> Result<TokenStream> {
    validate::emit_validators(ctx)
}

/// The HTTP bindings of every generated operation, for snapshots and debugging.
pub fn binding_summary(ctx: &Context<'_>) -> Result<String> {
    let plan = plan::Plan::new(ctx)?;
    Ok(plan
        .operations
        .iter()
        .map(|op| format!("{:?}", op.bindings))
        .collect::<Vec<_>>()
        .join("\n"))
}
