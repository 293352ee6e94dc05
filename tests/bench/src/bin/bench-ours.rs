//! `bench-ours`: `get_stage` calls against the bench server with the generated client,
//! sequentially or from concurrent tasks, over HTTP or (`--ca-file`) HTTPS. See `bench::load` for the command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    let result = bench::load::main_with(bench::ours::client_trusting, bench::ours::call);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench-ours: {message}");
            ExitCode::FAILURE
        }
    }
}
