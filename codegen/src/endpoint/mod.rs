//! Endpoint rules compiler: `smithy.rules#endpointRuleSet` → Rust resolver, and
//! `smithy.rules#endpointTests` → tests. (Owned by the endpoint work.)
// TEMPORARY STUB (lead) until the endpoint compiler lands.
pub fn emit_resolver(_ctx: &crate::emit::Context<'_>) -> crate::Result<proc_macro2::TokenStream> { Ok(quote::quote!()) }
pub fn emit_tests(_ctx: &crate::emit::Context<'_>) -> crate::Result<Option<proc_macro2::TokenStream>> { Ok(None) }
