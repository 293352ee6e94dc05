//! `bench-server [--seconds S] [--tls CA_PEM_PATH]`: the bench server (see `bench::server`).
//! Prints `listening on http://127.0.0.1:PORT` once it accepts connections, then serves until
//! it is killed, its standard input closes, or `S` seconds (default 3600) have passed.
//!
//! With `--tls`, it serves HTTPS instead (workload 10): it makes a test CA and a certificate
//! for `127.0.0.1` at start-up (`bench::tls`), writes the CA's certificate as PEM to
//! `CA_PEM_PATH` for the clients to trust, then prints `listening on https://127.0.0.1:PORT`.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut seconds = 3600.0;
    let mut tls_ca_out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(usage)?;
        match flag.as_str() {
            "--seconds" => {
                seconds = value
                    .parse::<f64>()
                    .map_err(|e| format!("--seconds `{value}`: {e}"))?
            }
            "--tls" => tls_ca_out = Some(value),
            _ => return Err(usage()),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let url = match &tls_ca_out {
        None => {
            let addr = runtime
                .block_on(bench::server::start())
                .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
            format!("http://{addr}")
        }
        Some(path) => {
            let pki = bench::tls::TestPki::new()?;
            std::fs::write(path, &pki.ca_pem).map_err(|e| format!("write {path}: {e}"))?;
            let addr = runtime
                .block_on(bench::server::start_tls(pki.server_config))
                .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
            format!("https://{addr}")
        }
    };
    println!("listening on {url}");
    let _ = std::io::stdout().flush();
    // Stop when the parent closes our standard input (or goes away).
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        while matches!(std::io::stdin().read(&mut sink), Ok(n) if n > 0) {}
        std::process::exit(0);
    });
    std::thread::sleep(Duration::from_secs_f64(seconds));
    Ok(())
}

fn usage() -> String {
    "usage: bench-server [--seconds S] [--tls CA_PEM_PATH]".to_string()
}
