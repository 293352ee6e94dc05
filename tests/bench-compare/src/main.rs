//! `bench-official`: `get_stage` calls against the bench server with the official SDK,
//! sequentially or from concurrent tasks, over HTTP or (`--ca-file`) HTTPS. See `load.rs` for the command line.

#[path = "../../bench/src/load.rs"]
#[allow(dead_code)]
mod load;

use std::process::ExitCode;

use aws_sdk_apigatewayv2::error::DisplayErrorContext;

fn main() -> ExitCode {
    let result = load::main_with(
        bench_compare::client_trusting,
        |client: &aws_sdk_apigatewayv2::Client| {
            let call = client
                .get_stage()
                .api_id(bench_compare::API_ID)
                .stage_name(bench_compare::STAGE_NAME)
                .send();
            async move {
                call.await
                    .map(drop)
                    .map_err(|e| DisplayErrorContext(&e).to_string())
            }
        },
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench-official: {message}");
            ExitCode::FAILURE
        }
    }
}
