//! Names of the paginator and waiter items (kept apart from `mod.rs`, which names shapes
//! and operations).

use proc_macro2::Ident;
use quote::format_ident;

use super::case::{escape_camel, escape_snake, snake_case, upper_camel_case};
use super::{escaped_ident, Symbols};
use crate::error::Result;
use crate::model::ShapeId;

impl Symbols<'_> {
    /// `ListThingsPaginator`: the stream of pages of `into_paginator()`.
    pub fn paginator_ident(&self, op: &ShapeId) -> Result<Ident> {
        Ok(format_ident!("{}Paginator", self.operation_ident(op)?))
    }

    /// `ListThingsItems`: the stream of items of `into_paginator().items()`.
    pub fn paginator_items_ident(&self, op: &ShapeId) -> Result<Ident> {
        Ok(format_ident!("{}Items", self.operation_ident(op)?))
    }

    /// `wait_until_thing_ready`: the client method of the waiter `ThingReady`.
    pub fn waiter_method(&self, waiter: &str) -> Ident {
        format_ident!("wait_until_{}", snake_case(waiter))
    }

    /// `thing_ready`: the module `crate::waiters::thing_ready`.
    pub fn waiter_module(&self, waiter: &str) -> Ident {
        escaped_ident(&escape_snake(&snake_case(waiter)))
    }

    /// `wait`: the CLI command whose subcommands are the waiters.
    pub fn cli_wait_command(&self) -> &'static str {
        "wait"
    }

    /// `wait thing-ready`: the CLI command of the waiter `ThingReady` (two arguments).
    pub fn cli_waiter_command(&self, waiter: &str) -> String {
        format!(
            "{} {}",
            self.cli_wait_command(),
            snake_case(waiter).replace('_', "-")
        )
    }

    /// `run_wait_thing_ready`: the CLI example's function that runs the waiter `ThingReady`.
    pub fn cli_waiter_run_fn(&self, waiter: &str) -> Ident {
        format_ident!("run_wait_{}", snake_case(waiter))
    }

    /// `ThingReadyWaiter`: the waiter's builder.
    pub fn waiter_ident(&self, waiter: &str) -> Ident {
        format_ident!("{}Waiter", escape_camel(&upper_camel_case(waiter)))
    }
}
