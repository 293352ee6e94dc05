//! `src/waiters/**`: one file per waiter of the model, and their module.

use quote::quote;

use super::RustFile;
use crate::context::Context;
use crate::error::Result;

/// `src/waiters/mod.rs` and one file per waiter; none when the model has no waiters.
pub fn emit_files(ctx: &Context<'_>) -> Result<Vec<RustFile>> {
    let all = crate::emit::waiter::waiters(ctx)?;
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let mut mods = Vec::new();
    for w in &all {
        let module = ctx.symbols.waiter_module(&w.name);
        files.push(RustFile::new(
            format!(
                "src/waiters/{}.rs",
                module.to_string().trim_start_matches("r#")
            ),
            Some(format!("The `{}` waiter (`{}`).", w.name, w.op.id.name)),
            crate::emit::waiter::emit_waiter(ctx, w)?,
        ));
        mods.push(module);
    }
    files.push(RustFile::new(
        "src/waiters/mod.rs",
        Some(
            "Waiters: poll an operation until the model's acceptors say done (`Client::wait_until_*`)."
                .to_string(),
        ),
        quote! {
            #(pub mod #mods;)*

            pub use crate::rt::waiter::{FinalPoll, WaiterError};
        },
    ));
    Ok(files)
}
