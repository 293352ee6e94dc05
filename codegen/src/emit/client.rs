//! TEMPORARY STUB (lead) — replaced by the client engineer's emitter.
use proc_macro2::TokenStream;
use quote::quote;
use super::Context;
use crate::error::Result;
use crate::model::ShapeId;
pub fn emit_client(_ctx: &Context<'_>) -> Result<TokenStream> { Ok(quote!(
    /// The client.
    #[derive(Debug, Clone)] pub struct Client;
)) }
pub fn emit_fluent_builders(_ctx: &Context<'_>, _op: &ShapeId) -> Result<TokenStream> { Ok(quote!()) }
pub fn emit_config(_ctx: &Context<'_>) -> Result<TokenStream> { Ok(quote!(
    /// Config.
    #[derive(Debug, Clone)] pub struct Config;
)) }
