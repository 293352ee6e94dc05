//! Emitters of shape and client code: each returns `TokenStream`s built with `quote!`
//! for one item kind; `layout` decides which file each lands in.

pub mod cli;
pub mod client;
pub mod docs;
pub mod enums;
pub mod errors;
pub mod operation;
pub mod paginator;
pub mod structure;
pub mod union;
pub mod waiter;
