//! `bench-server [--seconds S]`: the bench server (see `bench::server`). Prints
//! `listening on http://127.0.0.1:PORT` once it accepts connections, then serves until it is
//! killed, its standard input closes, or `S` seconds (default 3600) have passed.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds = match args.as_slice() {
        [] => 3600.0,
        [flag, value] if flag == "--seconds" => match value.parse::<f64>() {
            Ok(seconds) => seconds,
            Err(e) => return fail(&format!("--seconds `{value}`: {e}")),
        },
        _ => return fail("usage: bench-server [--seconds S]"),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(&format!("tokio runtime: {e}")),
    };
    let addr = match runtime.block_on(bench::server::start()) {
        Ok(addr) => addr,
        Err(e) => return fail(&format!("cannot listen on 127.0.0.1: {e}")),
    };
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();
    // Stop when the parent closes our standard input (or goes away).
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        while matches!(std::io::stdin().read(&mut sink), Ok(n) if n > 0) {}
        std::process::exit(0);
    });
    std::thread::sleep(Duration::from_secs_f64(seconds));
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("bench-server: {message}");
    ExitCode::FAILURE
}
