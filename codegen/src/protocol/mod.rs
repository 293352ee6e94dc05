//! Protocol emitters (restJson1): request serializers, response and error deserializers.
//! Kept apart from shape emitters. (Owned by the wire work.)
// TEMPORARY STUB (lead) until the protocol emitters land.
pub fn emit_protocol(_ctx: &crate::emit::Context<'_>) -> crate::Result<Vec<(std::path::PathBuf, proc_macro2::TokenStream)>> { Ok(Vec::new()) }
pub fn emit_validators(_ctx: &crate::emit::Context<'_>) -> crate::Result<(proc_macro2::TokenStream, bool)> { Ok((quote::quote!(), false)) }
