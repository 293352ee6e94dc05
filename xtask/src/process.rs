//! Running other programs: every xtask command goes through these helpers, so a failure
//! always names the command line that failed.

use std::path::Path;
use std::process::{Command, Stdio};

/// Prints a step heading (`==> name`) before a stage of a long command.
pub fn step(name: &str) {
    println!("\n==> {name}");
}

/// The `cargo` that runs xtask (`$CARGO`), else `cargo` from `PATH`.
pub fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// `cargo ARGS` in `dir`.
pub fn cargo(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(cargo_program());
    command.current_dir(dir).args(args);
    command
}

/// Runs `command` with inherited output; fails, naming the command, when it cannot start or
/// exits unsuccessfully.
pub fn run_status(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Runs `command`, returning its standard output; fails, naming the command, with its
/// standard output and error.
pub fn run_output(command: &mut Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "{shown} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The trimmed standard output of `command` when it runs and succeeds; `None` otherwise.
/// For optional facts (a version, the date) whose absence is not an error.
pub fn stdout_if_ok(command: &mut Command) -> Option<String> {
    command
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Whether `command` runs and succeeds, its output discarded. For probing tools.
pub fn succeeds(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_the_command() {
        let err = run_status(&mut Command::new("xtask-no-such-program")).unwrap_err();
        assert!(
            err.starts_with("cannot run \"xtask-no-such-program\": "),
            "{err}"
        );
        let err = run_output(Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]))
            .unwrap_err();
        assert!(err.contains("\"sh\" \"-c\""), "{err}");
        assert!(
            err.contains("failed (exit status: 3):\nout\nerr\n"),
            "{err}"
        );
        assert_eq!(
            run_output(Command::new("sh").args(["-c", "echo hi"])).as_deref(),
            Ok("hi\n")
        );
        assert_eq!(
            stdout_if_ok(Command::new("sh").args(["-c", "echo ' x '"])).as_deref(),
            Some("x")
        );
        assert_eq!(
            stdout_if_ok(Command::new("sh").args(["-c", "exit 1"])),
            None
        );
        assert!(succeeds(Command::new("sh").args(["-c", "echo quiet"])));
        assert!(!succeeds(&mut Command::new("xtask-no-such-program")));
    }
}
