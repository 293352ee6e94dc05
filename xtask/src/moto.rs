//! Makes moto server (a third-party implementation of the AWS API, used by the client
//! tests) available: the system Python when it already has `moto.server`, else a venv
//! under `target/moto-venv` with `moto[server]` installed from PyPI.

use std::path::Path;
use std::process::Command;

use crate::process::run_status;

/// The Python interpreter that can `import moto.server`, or `None` (with a message) when
/// there is no Python at all; the moto tests then fail with a message saying so.
pub fn ensure_moto(root: &Path) -> Result<Option<String>, String> {
    if imports_moto("python3") {
        return Ok(Some("python3".to_string()));
    }
    let venv = root.join("target").join("moto-venv");
    let python = venv.join("bin").join("python");
    let python_text = python.display().to_string();
    if python.exists() && imports_moto(&python_text) {
        return Ok(Some(python_text));
    }
    if Command::new("python3").arg("--version").output().is_err() {
        println!("python3 not found: the moto tests cannot run");
        return Ok(None);
    }
    println!("\n==> installing moto[server] into {}", venv.display());
    run_status(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_status(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "moto[server]",
    ]))?;
    if imports_moto(&python_text) {
        Ok(Some(python_text))
    } else {
        Err(format!(
            "installed moto[server] into {}, but `import moto.server` still fails",
            venv.display()
        ))
    }
}

fn imports_moto(python: &str) -> bool {
    Command::new(python)
        .args(["-c", "import moto.server"])
        .output()
        .is_ok_and(|o| o.status.success())
}
