//! `bench-ours`: `get_stage` calls against the bench server with the generated client,
//! sequentially or from concurrent tasks. See `bench::load` for the command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    let result = bench::load::main_with(bench::ours::client, |client: &apigatewayv2::Client| {
        let call = client
            .get_stage()
            .api_id(bench::API_ID)
            .stage_name(bench::STAGE_NAME)
            .send();
        async move { call.await.map(drop).map_err(|e| bench::ours::error_chain(&e)) }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench-ours: {message}");
            ExitCode::FAILURE
        }
    }
}
