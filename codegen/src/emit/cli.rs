//! TEMPORARY STUB (lead) — replaced by the client engineer's CLI emitter.
use proc_macro2::TokenStream;
use quote::quote;
use super::Context;
use crate::error::Result;
pub fn emit_cli(_ctx: &Context<'_>) -> Result<TokenStream> { Ok(quote!(fn main() {})) }
