//! moto server (a third-party implementation of the AWS APIs) on a loopback port, for the
//! client tests: `tests/tests/moto.rs` (through `tests::moto_server`) and the
//! `tests/moto-services` crate (which includes this file by path, so it needs no dependency
//! on this package). Standard library only.
//!
//! The Python that runs moto: `MOTO_PYTHON` (what `cargo xtask test` sets), else `python3`
//! when it can `import moto.server`, else a venv under `target/moto-venv` (created with
//! `pip install moto[server]` when missing). Each server is stopped when its guard drops,
//! also when the test fails.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running moto server; stopped on drop.
pub struct MotoServer {
    child: Child,
    endpoint: String,
    python: String,
}

impl MotoServer {
    /// Starts moto server on a free loopback port and waits (at most 60 s) until it accepts
    /// connections. `workspace` is the checkout's root, where `target/moto-venv` lives.
    pub fn start(workspace: &Path) -> MotoServer {
        let python = moto_python(workspace);
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new(&python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start moto server with {python}: {e}"));
        let mut server = MotoServer {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            python,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("moto server exited early: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "moto server did not start within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The Python interpreter that runs this server (it has boto3 too: moto depends on it).
    pub fn python(&self) -> &str {
        &self.python
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn imports_moto(python: &str) -> bool {
    Command::new(python)
        .args(["-c", "import moto.server"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The Python that can run moto, installing it into `target/moto-venv` if need be.
pub fn moto_python(workspace: &Path) -> String {
    if let Ok(python) = std::env::var("MOTO_PYTHON") {
        return python;
    }
    if imports_moto("python3") {
        return "python3".into();
    }
    let venv = workspace.join("target").join("moto-venv");
    let python = venv.join("bin").join("python").display().to_string();
    if !imports_moto(&python) {
        let status = Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(&venv)
            .status();
        assert!(
            matches!(status, Ok(s) if s.success()),
            "cannot create a venv at {}",
            venv.display()
        );
        let status = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "moto[server]",
            ])
            .status();
        assert!(
            matches!(status, Ok(s) if s.success()),
            "pip install moto[server] failed"
        );
        assert!(
            imports_moto(&python),
            "moto[server] installed but `import moto.server` fails"
        );
    }
    python
}
