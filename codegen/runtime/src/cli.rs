//! Support for the generated command-line client (`examples/cli.rs`): argv parsing (no
//! dependency), flag values from text, the configuration from flags plus
//! `Config::from_env()`, and the output and exit-code conventions:
//!
//! - success: the output as JSON on stdout, exit 0 (with `--all-pages`, one JSON line per
//!   page; for an event stream, one JSON line per event; a `wait` command prints nothing);
//! - a service or transport error, a waiter that fails or times out, a modeled exception
//!   event: one JSON line (`code`, `message`, and `httpStatus` and `requestId` when a
//!   response came back) on stderr, exit 1;
//! - invalid input or usage: the message on stderr, exit 2.

use std::fmt::Write as _;
use std::time::Duration;

use crate::config::SharedConfig;
use crate::error::{Error, InvalidInput, ProvideErrorMetadata};

/// One option of a command.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// `--api-id`.
    pub name: &'static str,
    /// The value placeholder for help (`TEXT`, `N`, `JSON`, `KEY=VALUE`).
    pub value: &'static str,
    /// One line of help.
    pub about: &'static str,
    /// Whether the input member is `@required`.
    pub required: bool,
    /// Whether the flag may be given several times (list and map members).
    pub repeatable: bool,
    /// Whether the flag takes no value (`--all-pages`).
    pub switch: bool,
}

/// One subcommand: an operation, or a waiter (`wait thing-active`).
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// `get-stage`, or `wait thing-active` for a waiter (given as two arguments).
    pub name: &'static str,
    /// One line of help.
    pub about: &'static str,
    /// Its options, one per top-level input member.
    pub flags: &'static [Flag],
}

/// The options every command takes.
pub const GLOBAL_FLAGS: &[Flag] = &[
    Flag {
        name: "--region",
        value: "REGION",
        about: "The AWS Region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile).",
        required: false,
        repeatable: false,
        switch: false,
    },
    Flag {
        name: "--endpoint-url",
        value: "URL",
        about: "Send requests to this URL instead of the resolved endpoint.",
        required: false,
        repeatable: false,
        switch: false,
    },
    Flag {
        name: "--max-attempts",
        value: "N",
        about: "Attempts per request, the first included (default: AWS_MAX_ATTEMPTS or 3).",
        required: false,
        repeatable: false,
        switch: false,
    },
    Flag {
        name: "--connect-timeout",
        value: "SECS",
        about: "Connect timeout in seconds (default 3.1).",
        required: false,
        repeatable: false,
        switch: false,
    },
    Flag {
        name: "--read-timeout",
        value: "SECS",
        about: "Timeout of each attempt, response included, in seconds (default: none).",
        required: false,
        repeatable: false,
        switch: false,
    },
];

/// The options that configure the client.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GlobalOptions {
    /// `--region`.
    pub region: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--max-attempts`.
    pub max_attempts: Option<u32>,
    /// `--connect-timeout`.
    pub connect_timeout: Option<Duration>,
    /// `--read-timeout`.
    pub read_timeout: Option<Duration>,
}

/// A parsed command line.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The command.
    pub command: &'static Command,
    /// The command's options, in order, as (flag, value).
    pub flags: Vec<(&'static str, String)>,
    /// The global options.
    pub global: GlobalOptions,
}

/// How the program ends, short of success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// Help was asked for: printed on stdout, exit 0.
    Help(String),
    /// The command line or the input is invalid: the message on stderr, exit 2.
    Invalid(String),
    /// The call failed: the JSON line on stderr, exit 1.
    Failed(String),
}

impl Exit {
    /// Prints what the exit carries where it belongs and returns the exit code.
    pub fn report(self) -> std::process::ExitCode {
        match self {
            Exit::Help(text) => {
                print!("{text}");
                std::process::ExitCode::SUCCESS
            }
            Exit::Invalid(message) => {
                eprintln!("{message}");
                std::process::ExitCode::from(2)
            }
            Exit::Failed(line) => {
                eprintln!("{line}");
                std::process::ExitCode::from(1)
            }
        }
    }

    /// The exit code [`report`](Self::report) returns.
    pub fn code(&self) -> u8 {
        match self {
            Exit::Help(_) => 0,
            Exit::Invalid(_) => 2,
            Exit::Failed(_) => 1,
        }
    }
}

impl<E: ProvideErrorMetadata + std::error::Error + 'static> From<Error<E>> for Exit {
    /// Validation errors exit 2 with their message; everything else exits 1 with a JSON
    /// line: the service's `code` and `message` (for other failures the error kind and
    /// what happened, with its causes), plus `httpStatus` and `requestId` when a response
    /// came back.
    fn from(error: Error<E>) -> Exit {
        failure(None, error)
    }
}

/// [`Exit::from`], with validation messages naming `command`'s flags (`--api-id is
/// required`) instead of the input's Rust members (`GetStageInput.api_id`).
pub fn failure<E: ProvideErrorMetadata + std::error::Error + 'static>(
    command: Option<&Command>,
    error: Error<E>,
) -> Exit {
    match &error {
        Error::Validation(InvalidInput::Constraint(e)) => {
            let lines: Vec<String> = e
                .violations()
                .iter()
                .map(|v| match command.and_then(|c| flag_path(c, &v.path)) {
                    Some(flag) if v.constraint == crate::validate::Constraint::Required => {
                        format!("{flag} is required")
                    }
                    Some(flag) => format!("{flag} {}", v.constraint),
                    None => v.to_string(),
                })
                .collect();
            return Exit::Invalid(lines.join("\n"));
        }
        Error::Validation(InvalidInput::Build(e)) => {
            let flag = command.and_then(|c| flag_path(c, &format!("Input.{}", e.field())));
            return Exit::Invalid(match flag {
                Some(flag) => format!("{flag} is required"),
                None => e.to_string(),
            });
        }
        Error::Validation(e) => return Exit::Invalid(e.to_string()),
        Error::Config(e) => return Exit::Invalid(e.to_string()),
        _ => {}
    }
    let code = error.code().unwrap_or(error.kind_name());
    let message = match (&error, error.message()) {
        (Error::Service(_), Some(message)) => message.to_owned(),
        _ => crate::error::DisplayErrorContext(&error).to_string(),
    };
    let status = error.status().map(|s| ("httpStatus", s.into()));
    let id = error.request_id().map(|id| ("requestId", id.into()));
    Exit::Failed(error_line(code, &message, status.into_iter().chain(id)))
}

/// `GetStageInput.api_id[2].x` as the command line spells it: `--api-id[2].x`, when the
/// top-level member has a flag.
fn flag_path(command: &Command, path: &str) -> Option<String> {
    let (_, rest) = path.split_once('.')?;
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let (member, tail) = rest.split_at(end);
    let member = member.strip_prefix("r#").unwrap_or(member);
    let name = format!("--{}", member.replace('_', "-"));
    let flag = command.flags.iter().find(|f| f.name == name)?;
    Some(format!("{}{tail}", flag.name))
}

/// The closest of `candidates` to `wrong`, when it is close enough to be a typo.
fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, c)| *d <= limit || c.starts_with(wrong) || wrong.starts_with(*c))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

/// Ends the program: exit 0 when the command succeeded (it printed its output), or the
/// exit's report.
pub fn finish(result: Result<(), Exit>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(exit) => exit.report(),
    }
}

/// A JSON error line: `code`, `message`, then the extra fields.
fn error_line(
    code: &str,
    message: &str,
    extra: impl IntoIterator<Item = (&'static str, serde_json::Value)>,
) -> String {
    let mut line = serde_json::Map::new();
    line.insert("code".into(), code.into());
    line.insert("message".into(), message.into());
    for (key, value) in extra {
        line.insert(key.into(), value);
    }
    serde_json::Value::Object(line).to_string()
}

fn output_error(e: impl std::fmt::Display) -> Exit {
    Exit::Failed(error_line("OutputError", &e.to_string(), []))
}

fn write_stdout(text: &str) -> Result<(), Exit> {
    use std::io::Write as _;
    // Stdout is line-buffered: each line is out as soon as it is written.
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(output_error)
}

/// Prints an output on stdout as pretty JSON in its wire form.
pub fn print_json<T: serde::Serialize>(output: &T) -> Result<(), Exit> {
    let text = serde_json::to_string_pretty(output).map_err(output_error)?;
    write_stdout(&text)
}

/// Prints a value (a page of `--all-pages`) on stdout as one line of JSON.
pub fn print_line<T: serde::Serialize>(value: &T) -> Result<(), Exit> {
    let text = serde_json::to_string(value).map_err(output_error)?;
    write_stdout(&text)
}

/// Prints an event of an event stream on stdout as one line of JSON:
/// `{"<member>": <the event's wire JSON>}`, `member` being the event stream union's member.
pub fn print_event<T: serde::Serialize>(member: &str, event: &T) -> Result<(), Exit> {
    let value = serde_json::to_value(event).map_err(output_error)?;
    print_line(&serde_json::json!({ member: value }))
}

/// The first line of an event-stream command when the output has members besides the
/// stream (from the initial response's headers): `{"initial-response": {...}}`. The key
/// cannot be an event's (union member names are identifiers, without `-`).
pub fn print_initial_response<T: serde::Serialize>(output: &T) -> Result<(), Exit> {
    print_event("initial-response", output)
}

/// Says on stderr that the service sent an event this client does not know (it is not
/// printed).
pub fn unknown_event() {
    eprintln!("warning: skipped an event of a type this client does not know");
}

/// How an event stream that failed ends: a modeled exception event (`describe` gives its
/// code and message), an error message or unknown exception from the service, or a
/// broken stream; one JSON line, exit 1.
#[cfg(feature = "event-stream")]
pub fn event_stream_failure<E: std::fmt::Display>(
    error: crate::event_stream::EventStreamError<E>,
    describe: impl FnOnce(&E) -> (String, Option<String>),
) -> Exit {
    use crate::event_stream::EventStreamError;
    let (code, message) = match &error {
        EventStreamError::Modeled(e) => {
            let (code, message) = describe(e);
            (code, message.unwrap_or_else(|| e.to_string()))
        }
        EventStreamError::Service {
            code: Some(code),
            message,
        } => (
            code.clone(),
            message.clone().unwrap_or_else(|| "(no message)".into()),
        ),
        _ => ("EventStreamError".to_owned(), error.to_string()),
    };
    Exit::Failed(error_line(&code, &message, []))
}

/// How long `wait` waits unless `--max-wait` says otherwise.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(300);

/// Takes a `wait` command's `--max-wait SECS` (named `flag`) out of its flags, the last one
/// given counting, so the rest are the operation's input flags; [`DEFAULT_MAX_WAIT`] when
/// it is not given.
pub fn take_max_wait(
    flags: &mut Vec<(&'static str, String)>,
    flag: &str,
) -> Result<Duration, Exit> {
    let mut max_wait = DEFAULT_MAX_WAIT;
    for (_, value) in flags.iter().filter(|(name, _)| *name == flag) {
        max_wait = seconds(flag, value).map_err(Exit::Invalid)?;
    }
    flags.retain(|(name, _)| *name != flag);
    Ok(max_wait)
}

/// How a `wait` command ends: nothing printed and exit 0 when the waiter succeeded; a JSON
/// line and exit 1 when a failure acceptor matched (`WaiterFailure`), the maximum wait ran
/// out (`WaiterTimeout`) or an error matched no acceptor (that error's line); exit 2 for
/// invalid input (nothing was sent) or timing (`--max-wait` not longer than the waiter's
/// shortest delay).
pub fn waited<O, E: ProvideErrorMetadata + std::error::Error + 'static>(
    command: &Command,
    result: Result<crate::waiter::FinalPoll<O, E>, crate::waiter::WaiterError<O, E>>,
) -> Result<(), Exit> {
    use crate::waiter::WaiterError;
    let error = match result {
        Ok(_) => return Ok(()),
        Err(error) => error,
    };
    let message = error.to_string();
    let attempts = error.attempts();
    let (code, last) = match error {
        WaiterError::OperationFailed { error, .. } => return Err(failure(Some(command), error)),
        // The model's delays are valid (checked at generation): the maximum wait is not.
        WaiterError::InvalidConfig(_) => {
            return Err(Exit::Invalid(format!("--max-wait: {message}")))
        }
        WaiterError::ExceededMaxWait { last, .. } => ("WaiterTimeout", last),
        WaiterError::FailureState { last, .. } => ("WaiterFailure", last),
    };
    let mut extra = vec![("attempts", serde_json::Value::from(attempts))];
    if let Err(last) = &last {
        if let Some(code) = last.code() {
            extra.push(("lastErrorCode", code.into()));
        }
        if let Some(status) = last.status() {
            extra.push(("httpStatus", status.into()));
        }
        if let Some(id) = last.request_id() {
            extra.push(("requestId", id.into()));
        }
    }
    Err(Exit::Failed(error_line(code, &message, extra)))
}

/// A `@streaming` blob input: `@PATH` (the file, read as it is sent) or `-` (standard
/// input, read once: the request is not retried). A member with `@requiresLength` needs a
/// file, whose length is known up front.
pub async fn byte_stream(
    flag: &str,
    value: &str,
    requires_length: bool,
) -> Result<crate::byte_stream::ByteStream, Exit> {
    if value == "-" {
        if requires_length {
            return Err(Exit::Invalid(format!(
                "{flag}: `-` (standard input) has no length known up front, and this member \
                 needs one (@requiresLength); give @PATH"
            )));
        }
        let stdin = crate::byte_stream::ReaderStream::with_capacity(tokio::io::stdin(), 64 * 1024);
        return Ok(crate::byte_stream::ByteStream::from_stream(stdin));
    }
    let Some(path) = value.strip_prefix('@') else {
        return Err(bad_value(
            flag,
            value,
            "`@PATH` (a file to send) or `-` (standard input)",
        ));
    };
    crate::byte_stream::ByteStream::from_path(path)
        .await
        .map_err(|e| Exit::Invalid(format!("{flag}: cannot read `{path}`: {e}")))
}

/// The file of `--output-file`, opened before the request is sent (so a path that cannot
/// be written is refused first) without truncating it.
#[derive(Debug)]
pub struct OutputFile {
    flag: &'static str,
    path: std::path::PathBuf,
    file: std::fs::File,
    /// Whether opening created it (then a failed call removes it again).
    created: bool,
}

/// Opens (or creates) the file of `--output-file PATH`.
pub fn output_file(flag: &'static str, path: &str) -> Result<OutputFile, Exit> {
    let path = std::path::PathBuf::from(path);
    let existed = path.exists();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Exit::Invalid(format!("{flag}: cannot write `{}`: {e}", path.display())))?;
    Ok(OutputFile {
        flag,
        path,
        file,
        created: !existed,
    })
}

impl OutputFile {
    /// The call failed: a file this command created is removed, one that existed is left
    /// as it was.
    pub fn abandon(self) {
        if self.created {
            drop(self.file);
            let _ = std::fs::remove_file(&self.path);
        }
    }

    /// Writes the body into the file chunk by chunk as it arrives (never holding it whole),
    /// replacing what the file held; the number of bytes written.
    pub async fn write(self, mut body: crate::byte_stream::ByteStream) -> Result<u64, Exit> {
        use tokio::io::AsyncWriteExt as _;
        let path = self.path.display().to_string();
        let write_error = |e: std::io::Error| {
            Exit::Failed(error_line(
                "OutputError",
                &format!("{}: writing `{path}`: {e}", self.flag),
                [],
            ))
        };
        self.file.set_len(0).map_err(write_error)?;
        let mut file = tokio::fs::File::from_std(self.file);
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| {
                Exit::Failed(error_line(
                    "ResponseError",
                    &format!(
                        "reading the response body into `{path}` failed after {written} bytes: {}",
                        crate::error::DisplayErrorContext(&e)
                    ),
                    [],
                ))
            })?;
            file.write_all(&chunk).await.map_err(write_error)?;
            written += chunk.len() as u64;
        }
        file.flush().await.map_err(write_error)?;
        Ok(written)
    }
}

/// The command that groups the waiters: `wait <waiter>`.
const WAIT: &str = "wait";

fn has_waiters(commands: &[Command]) -> bool {
    commands.iter().any(|c| {
        c.name
            .strip_prefix(WAIT)
            .is_some_and(|r| r.starts_with(' '))
    })
}

/// Parses the arguments (without the program name). Every option takes one value
/// (`--flag VALUE` or `--flag=VALUE`), except `--help`/`-h`, `--version`/`-V` and switches
/// (`--all-pages`); `wait <waiter>` names a waiter's command (`wait thing-active`); global
/// options may come anywhere, and a command's own option of the same name wins over a
/// global one. An option no command (or, after the command, not that command) knows is
/// reported as unknown, with the closest known option.
pub fn parse(
    program: &str,
    about: &str,
    commands: &'static [Command],
    args: Vec<String>,
) -> Result<Invocation, Exit> {
    parse_versioned(program, about, "", commands, args)
}

/// [`parse`], with what `--version` prints after the program name.
pub fn parse_versioned(
    program: &str,
    about: &str,
    version: &str,
    commands: &'static [Command],
    args: Vec<String>,
) -> Result<Invocation, Exit> {
    let mut help = false;
    let mut command: Option<&'static Command> = None;
    let mut extra = None;
    let mut options: Vec<(String, String)> = Vec::new();
    let mut args = args.into_iter();
    let global_names = || GLOBAL_FLAGS.iter().map(|f| f.name);
    while let Some(arg) = args.next() {
        if arg == "--help" || arg == "-h" {
            help = true;
        } else if arg == "--version" || arg == "-V" {
            return Err(Exit::Help(format!("{program} {}\n", version_text(version))));
        } else if let Some(flag) = arg.strip_prefix("--").filter(|f| !f.is_empty()) {
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) => (format!("--{name}"), Some(value.to_owned())),
                None => (arg.clone(), None),
            };
            // The options this position can take: the command's, or before the command
            // any command's; and the global ones.
            let known = |name: &str| -> bool {
                global_names().any(|n| n == name)
                    || match command {
                        Some(c) => c.flags.iter().any(|f| f.name == name),
                        None => commands
                            .iter()
                            .flat_map(|c| c.flags)
                            .any(|f| f.name == name),
                    }
            };
            if !known(&name) {
                let scope: Vec<&str> = match command {
                    Some(c) => c
                        .flags
                        .iter()
                        .map(|f| f.name)
                        .chain(global_names())
                        .collect(),
                    None => commands
                        .iter()
                        .flat_map(|c| c.flags)
                        .map(|f| f.name)
                        .chain(global_names())
                        .collect(),
                };
                let mut message = format!("{program}: unknown option {name}");
                if let Some(c) = command {
                    message = format!("{program} {}: unknown option {name}", c.name);
                }
                if let Some(close) = closest(&name, scope) {
                    message.push_str(&format!("; did you mean {close}?"));
                }
                let help_cmd = match command {
                    Some(c) => format!("{program} {} --help", c.name),
                    None => format!("{program} --help"),
                };
                message.push_str(&format!(" (see `{help_cmd}`)"));
                return Err(Exit::Invalid(message));
            }
            let switch = match command {
                Some(c) => c.flags.iter().any(|f| f.name == name && f.switch),
                None => commands
                    .iter()
                    .flat_map(|c| c.flags)
                    .any(|f| f.name == name && f.switch),
            };
            let value = match inline {
                Some(_) if switch => {
                    return Err(Exit::Invalid(format!(
                        "{program}: option {name} takes no value; see `{program} --help`"
                    )))
                }
                None if switch => String::new(),
                Some(value) => value,
                None => match args.next() {
                    Some(value) => value,
                    None => {
                        return Err(Exit::Invalid(format!(
                            "{program}: option {arg} needs a value; see `{program} --help`"
                        )))
                    }
                },
            };
            options.push((name, value));
        } else if command.is_none() && arg == WAIT && has_waiters(commands) {
            let waiters = || {
                commands
                    .iter()
                    .filter_map(|c| c.name.strip_prefix(WAIT)?.strip_prefix(' '))
            };
            let waiter = match args.next() {
                Some(waiter) if !waiter.starts_with('-') => waiter,
                next => {
                    let list = waiters().collect::<Vec<_>>().join(", ");
                    let text = format!(
                        "Usage: {program} wait <waiter> [options]\n\nWaits until a resource \
                         reaches a state. Waiters: {list}.\n"
                    );
                    if matches!(next.as_deref(), Some("--help" | "-h")) {
                        return Err(Exit::Help(text));
                    }
                    return Err(Exit::Invalid(format!(
                        "{program} wait: name a waiter ({list})"
                    )));
                }
            };
            let name = format!("{WAIT} {waiter}");
            let found = commands.iter().find(|c| c.name == name).ok_or_else(|| {
                let mut message = format!("{program} wait: unknown waiter `{waiter}`");
                if let Some(close) = closest(&waiter, waiters()) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                }
                message.push_str(&format!(" (see `{program} --help` for the commands)"));
                Exit::Invalid(message)
            })?;
            command = Some(found);
        } else if command.is_none() {
            let found = commands.iter().find(|c| c.name == arg).ok_or_else(|| {
                let mut message = format!("{program}: unknown command `{arg}`");
                if let Some(close) = closest(&arg, commands.iter().map(|c| c.name)) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                }
                message.push_str(&format!(" (see `{program} --help` for the commands)"));
                Exit::Invalid(message)
            })?;
            command = Some(found);
        } else if extra.is_none() {
            extra = Some(arg);
        }
    }
    let command = match command {
        None if help => return Err(Exit::Help(program_help(program, about, commands))),
        None => {
            return Err(Exit::Invalid(format!(
                "{program}: no command given\n\n{}",
                program_help(program, about, commands)
            )))
        }
        Some(command) => command,
    };
    if help {
        return Err(Exit::Help(command_help(program, command)));
    }
    if let Some(extra) = extra {
        return Err(Exit::Invalid(format!(
            "{program} {}: unexpected argument `{extra}` (options are `--name VALUE`)",
            command.name
        )));
    }
    let mut invocation = Invocation {
        command,
        flags: Vec::new(),
        global: GlobalOptions::default(),
    };
    let invalid = |message: String| Exit::Invalid(format!("{program} {}: {message}", command.name));
    for (name, value) in options {
        if let Some(flag) = command.flags.iter().find(|f| f.name == name) {
            if !flag.repeatable && invocation.flags.iter().any(|(n, _)| *n == flag.name) {
                return Err(invalid(format!("{name} is given more than once")));
            }
            invocation.flags.push((flag.name, value));
            continue;
        }
        let global = &mut invocation.global;
        match name.as_str() {
            "--region" => global.region = Some(value),
            "--endpoint-url" => global.endpoint_url = Some(value),
            "--max-attempts" => match value.parse::<u32>() {
                Ok(n) if n >= 1 => global.max_attempts = Some(n),
                _ => {
                    return Err(invalid(format!(
                        "--max-attempts needs a whole number of at least 1, not `{value}`"
                    )))
                }
            },
            "--connect-timeout" => {
                global.connect_timeout = Some(seconds(&name, &value).map_err(invalid)?)
            }
            "--read-timeout" => {
                global.read_timeout = Some(seconds(&name, &value).map_err(invalid)?)
            }
            _ => {
                // An option of another command, given before this one was named.
                let mut message = format!("unknown option {name}");
                if let Some(close) = closest(
                    &name,
                    command.flags.iter().map(|f| f.name).chain(global_names()),
                ) {
                    message.push_str(&format!("; did you mean {close}?"));
                }
                message.push_str(&format!(" (see `{program} {} --help`)", command.name));
                return Err(invalid(message));
            }
        }
    }
    Ok(invocation)
}

fn version_text(version: &str) -> String {
    let runtime = format!("aws-client-runtime {}", env!("CARGO_PKG_VERSION"));
    if version.is_empty() {
        runtime
    } else {
        format!("{version} ({runtime})")
    }
}

fn seconds(flag: &str, value: &str) -> Result<Duration, String> {
    match value.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs.is_finite() && secs < 1e9 => {
            Ok(Duration::from_secs_f64(secs))
        }
        _ => Err(format!(
            "{flag} needs a positive number of seconds, not `{value}`"
        )),
    }
}

/// The configuration: `SharedConfig::from_env()` with the global options on top.
pub fn config(global: &GlobalOptions) -> Result<SharedConfig, Exit> {
    let mut builder =
        crate::config::SharedConfigBuilder::from_env().map_err(|e| Exit::Invalid(e.to_string()))?;
    if let Some(region) = &global.region {
        builder = builder.region(region.clone());
    }
    if let Some(url) = &global.endpoint_url {
        builder = builder.endpoint_url(url.clone());
    }
    if let Some(n) = global.max_attempts {
        builder = builder.max_attempts(n);
    }
    if let Some(timeout) = global.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(timeout) = global.read_timeout {
        builder = builder.attempt_timeout(timeout);
    }
    let config = builder.build();
    if config.region().is_none() {
        return Err(Exit::Invalid(
            "no AWS region is configured: pass --region REGION, or set AWS_REGION (or \
             AWS_DEFAULT_REGION, or `region` in the profile)"
                .to_owned(),
        ));
    }
    if let Err(e) = config.check() {
        let message = e.to_string().replace(
            "the endpoint URL set with `endpoint_url(..)`",
            "--endpoint-url",
        );
        let message = match &global.region {
            Some(_) => message.replace("the region `", "--region `"),
            None => message,
        };
        return Err(Exit::Invalid(message));
    }
    Ok(config)
}

fn flag_lines(out: &mut String, flags: &[Flag]) {
    let width = flags
        .iter()
        .map(|f| f.name.len() + 1 + f.value.len())
        .max()
        .unwrap_or(0);
    for flag in flags {
        let left = match flag.switch {
            true => flag.name.to_owned(),
            false => format!("{} {}", flag.name, flag.value),
        };
        let mut notes = Vec::new();
        if flag.required {
            notes.push("required");
        }
        if flag.repeatable {
            notes.push("repeatable");
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        let _ = writeln!(out, "  {left:<width$}  {}{notes}", flag.about);
    }
}

/// The program's help: usage, the commands and the global options.
pub fn program_help(program: &str, about: &str, commands: &[Command]) -> String {
    let mut out = format!("Usage: {program} <command> [options]\n\n{about}\n\nCommands:\n");
    let width = commands.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for command in commands {
        let _ = writeln!(out, "  {:<width$}  {}", command.name, command.about);
    }
    out.push_str("\nGlobal options:\n");
    flag_lines(&mut out, GLOBAL_FLAGS);
    let _ = writeln!(
        out,
        "  --help, -h{}  Show help (`{program} <command> --help` for a command's options).\n  --version, -V{}  Show the version.",
        " ".repeat(
            GLOBAL_FLAGS
                .iter()
                .map(|f| f.name.len() + 1 + f.value.len())
                .max()
                .unwrap_or(0)
                .saturating_sub(10)
        ),
        " ".repeat(
            GLOBAL_FLAGS
                .iter()
                .map(|f| f.name.len() + 1 + f.value.len())
                .max()
                .unwrap_or(0)
                .saturating_sub(13)
        )
    );
    out.push_str(
        "\nAnything not given as an option comes from the environment and the shared AWS \
         files (AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, ...).\n",
    );
    out
}

/// A command's help: usage, its options and the global options.
pub fn command_help(program: &str, command: &Command) -> String {
    let mut out = format!(
        "Usage: {program} {} [options]\n\n{}\n",
        command.name, command.about
    );
    if !command.flags.is_empty() {
        out.push_str("\nOptions:\n");
        flag_lines(&mut out, command.flags);
    }
    out.push_str("\nGlobal options:\n");
    flag_lines(&mut out, GLOBAL_FLAGS);
    out
}

fn bad_value(flag: &str, value: &str, expected: &str) -> Exit {
    Exit::Invalid(format!("{flag}: `{value}` is not {expected}"))
}

/// A number or other `FromStr` value.
pub fn scalar<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, Exit>
where
    T::Err: std::fmt::Display,
{
    value
        .trim()
        .parse::<T>()
        .map_err(|e| Exit::Invalid(format!("{flag}: `{value}`: {e}")))
}

/// `true` or `false`.
pub fn boolean(flag: &str, value: &str) -> Result<bool, Exit> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Ok(true),
        v if v.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(bad_value(flag, value, "`true` or `false`")),
    }
}

/// A timestamp: RFC 3339 (`2024-05-01T12:00:00Z`) or epoch seconds (`1714564800.5`).
pub fn timestamp(flag: &str, value: &str) -> Result<time::OffsetDateTime, Exit> {
    let value = value.trim();
    if let Ok(parsed) =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
    {
        return Ok(parsed);
    }
    value
        .parse::<f64>()
        .ok()
        .filter(|secs| secs.is_finite())
        .and_then(|secs| {
            time::OffsetDateTime::from_unix_timestamp_nanos((secs * 1e9).round() as i128).ok()
        })
        .ok_or_else(|| bad_value(flag, value, "an RFC 3339 timestamp or epoch seconds"))
}

/// A blob, given as base64.
pub fn blob(flag: &str, value: &str) -> Result<Vec<u8>, Exit> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|_| bad_value(flag, value, "base64"))
}

/// A structure, union, document or nested collection, given as its wire JSON.
pub fn json<T: serde::de::DeserializeOwned>(flag: &str, value: &str) -> Result<T, Exit> {
    serde_json::from_str(value)
        .map_err(|e| Exit::Invalid(format!("{flag}: invalid JSON value: {e}")))
}

/// A map entry, given as `key=value`.
pub fn key_value(flag: &str, value: &str) -> Result<(String, String), Exit> {
    value
        .split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| bad_value(flag, value, "`KEY=VALUE`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ServiceError, TimeoutError, TimeoutKind, Unhandled};

    static COMMANDS: &[Command] = &[
        Command {
            name: "get-stage",
            about: "Gets a Stage.",
            flags: &[
                Flag {
                    name: "--api-id",
                    value: "TEXT",
                    about: "The API identifier.",
                    required: true,
                    repeatable: false,
                    switch: false,
                },
                Flag {
                    name: "--tags",
                    value: "KEY=VALUE",
                    about: "Tags.",
                    required: false,
                    repeatable: true,
                    switch: false,
                },
                Flag {
                    name: "--region",
                    value: "TEXT",
                    about: "A member named like a global.",
                    required: false,
                    repeatable: false,
                    switch: false,
                },
            ],
        },
        Command {
            name: "get-apis",
            about: "Gets the APIs.",
            flags: &[Flag {
                name: "--all-pages",
                value: "",
                about: "Every page.",
                required: false,
                repeatable: false,
                switch: true,
            }],
        },
        Command {
            name: "wait stage-ready",
            about: "Waits.",
            flags: &[Flag {
                name: "--max-wait",
                value: "SECS",
                about: "How long.",
                required: false,
                repeatable: false,
                switch: false,
            }],
        },
        Command {
            name: "wait stage-gone",
            about: "Waits.",
            flags: &[],
        },
    ];

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    fn run(text: &str) -> Result<Invocation, Exit> {
        parse("svc", "A client.", COMMANDS, args(text))
    }

    #[test]
    fn parses_commands_flags_and_globals() {
        let inv = run(
            "--endpoint-url http://localhost:5000 get-stage --api-id a1 --tags k=v \
                       --tags=x=y --max-attempts 5 --read-timeout 2.5 --connect-timeout=1",
        )
        .unwrap();
        assert_eq!(inv.command.name, "get-stage");
        assert_eq!(
            inv.flags,
            vec![
                ("--api-id", "a1".into()),
                ("--tags", "k=v".into()),
                ("--tags", "x=y".into())
            ]
        );
        assert_eq!(
            inv.global,
            GlobalOptions {
                region: None,
                endpoint_url: Some("http://localhost:5000".into()),
                max_attempts: Some(5),
                connect_timeout: Some(Duration::from_secs(1)),
                read_timeout: Some(Duration::from_millis(2500)),
            }
        );
        // The command's own `--region` wins; for another command it is the global one.
        let inv = run("get-stage --region us-east-1").unwrap();
        assert_eq!(inv.flags, vec![("--region", "us-east-1".into())]);
        assert_eq!(inv.global.region, None);
        let inv = run("get-apis --region us-east-1").unwrap();
        assert_eq!(inv.global.region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn help_and_usage_errors() {
        let Err(Exit::Help(text)) = run("--help") else {
            panic!()
        };
        assert!(
            // Padded to the longest command, `wait stage-ready`.
            text.contains("get-stage         Gets a Stage.")
                && text.contains("wait stage-ready  Waits.")
                && text.contains("--endpoint-url URL"),
            "{text}"
        );
        let Err(Exit::Help(text)) = run("get-stage -h") else {
            panic!()
        };
        assert!(
            text.contains("--api-id TEXT") && text.contains("(required)"),
            "{text}"
        );
        assert!(text.contains("(repeatable)"), "{text}");

        let invalid = |text: &str| match run(text) {
            Err(Exit::Invalid(message)) => message,
            other => panic!("{text}: {other:?}"),
        };
        assert!(invalid("").contains("no command given"));
        assert_eq!(
            invalid("get-stag"),
            "svc: unknown command `get-stag`; did you mean `get-stage`? \
             (see `svc --help` for the commands)"
        );
        assert!(invalid("get-stage --api-id").contains("--api-id needs a value"));
        assert!(invalid("get-stage --nope 1").contains("unknown option --nope"));
        // An unknown option is unknown, not short of a value, and the closest is suggested.
        assert_eq!(
            invalid("get-stage --bogus"),
            "svc get-stage: unknown option --bogus (see `svc get-stage --help`)"
        );
        assert_eq!(
            invalid("get-stage --api-idd a1"),
            "svc get-stage: unknown option --api-idd; did you mean --api-id? \
             (see `svc get-stage --help`)"
        );
        assert_eq!(
            invalid("--regoin us-east-1 get-apis"),
            "svc: unknown option --regoin; did you mean --region? (see `svc --help`)"
        );
        assert!(invalid("get-apis --api-id a1").contains("unknown option --api-id"));
        assert!(invalid("get-stage --api-id a --api-id b").contains("more than once"));
        assert!(invalid("get-stage extra").contains("unexpected argument `extra`"));
        assert!(invalid("get-stage --max-attempts 0").contains("--max-attempts"));
        assert!(invalid("get-stage --read-timeout -1").contains("--read-timeout"));
    }

    #[test]
    fn switches_take_no_value() {
        let inv = run("get-apis --all-pages --region us-east-1").unwrap();
        assert_eq!(inv.flags, vec![("--all-pages", String::new())]);
        assert_eq!(inv.global.region.as_deref(), Some("us-east-1"));
        // Before the command too.
        let inv = run("--all-pages get-apis").unwrap();
        assert_eq!(inv.flags, vec![("--all-pages", String::new())]);
        let Err(Exit::Invalid(message)) = run("get-apis --all-pages=true") else {
            panic!()
        };
        assert_eq!(
            message,
            "svc: option --all-pages takes no value; see `svc --help`"
        );
        let Err(Exit::Invalid(message)) = run("get-apis --all-pages --all-pages") else {
            panic!()
        };
        assert!(message.contains("more than once"), "{message}");
    }

    #[test]
    fn waiters_are_wait_subcommands() {
        let inv = run("wait stage-ready --max-wait 5").unwrap();
        assert_eq!(inv.command.name, "wait stage-ready");
        assert_eq!(inv.flags, vec![("--max-wait", "5".into())]);
        let invalid = |text: &str| match run(text) {
            Err(Exit::Invalid(message)) => message,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(
            invalid("wait stage-redy"),
            "svc wait: unknown waiter `stage-redy`; did you mean `stage-ready`? \
             (see `svc --help` for the commands)"
        );
        assert_eq!(
            invalid("wait"),
            "svc wait: name a waiter (stage-ready, stage-gone)"
        );
        assert_eq!(
            invalid("wait --max-wait 5"),
            "svc wait: name a waiter (stage-ready, stage-gone)"
        );
        let Err(Exit::Help(text)) = run("wait --help") else {
            panic!()
        };
        assert!(text.contains("Waiters: stage-ready, stage-gone."), "{text}");
        let Err(Exit::Help(text)) = run("wait stage-ready --help") else {
            panic!()
        };
        assert!(
            text.starts_with("Usage: svc wait stage-ready [options]"),
            "{text}"
        );
        // Without waiters, `wait` is an ordinary (unknown) command.
        let Err(Exit::Invalid(message)) = parse("svc", "A client.", &COMMANDS[..2], args("wait x"))
        else {
            panic!()
        };
        assert!(
            message.starts_with("svc: unknown command `wait`"),
            "{message}"
        );
    }

    #[test]
    fn max_wait_is_positive_seconds() {
        let mut flags = vec![("--name", "a".to_owned()), ("--max-wait", "2.5".to_owned())];
        assert_eq!(
            take_max_wait(&mut flags, "--max-wait").unwrap(),
            Duration::from_millis(2500)
        );
        assert_eq!(flags, [("--name", "a".to_owned())], "the input flags stay");
        assert_eq!(
            take_max_wait(&mut flags, "--max-wait").unwrap(),
            DEFAULT_MAX_WAIT
        );
        assert_eq!(
            take_max_wait(&mut vec![("--max-wait", "0".to_owned())], "--max-wait"),
            Err(Exit::Invalid(
                "--max-wait needs a positive number of seconds, not `0`".into()
            ))
        );
    }

    #[test]
    fn waiter_outcomes() {
        use crate::waiter::{wait, AcceptorState, WaiterConfig};
        let command = &COMMANDS[2];
        let config = |max_wait| WaiterConfig {
            min_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_wait,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let outcome = |state: Option<AcceptorState>, max_wait: Duration| {
            runtime.block_on(async {
                let result = wait(
                    config(max_wait),
                    || async { Ok::<u32, Error<Unhandled>>(7) },
                    |_| state,
                )
                .await;
                waited(command, result)
            })
        };
        assert_eq!(
            outcome(Some(AcceptorState::Success), Duration::from_secs(1)),
            Ok(())
        );
        let Err(Exit::Failed(line)) = outcome(Some(AcceptorState::Failure), Duration::from_secs(1))
        else {
            panic!()
        };
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&line).unwrap(),
            serde_json::json!({"code": "WaiterFailure", "message": "the waiter reached a failure state after 1 attempts", "attempts": 1})
        );
        let Err(Exit::Failed(line)) =
            outcome(Some(AcceptorState::Retry), Duration::from_millis(30))
        else {
            panic!()
        };
        let line: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(line["code"], "WaiterTimeout", "{line}");
        assert!(line["attempts"].as_u64().unwrap() >= 2, "{line}");
        assert_eq!(
            outcome(Some(AcceptorState::Success), Duration::from_millis(1)),
            Err(Exit::Invalid(
                "--max-wait: invalid waiter configuration: the maximum wait (1ms) must be \
                 longer than the minimum delay (1ms)"
                    .into()
            ))
        );
    }

    #[test]
    fn event_stream_failures_are_error_lines() {
        use crate::event_stream::EventStreamError;
        let line = |exit: Exit| match exit {
            Exit::Failed(line) => serde_json::from_str::<serde_json::Value>(&line).unwrap(),
            other => panic!("{other:?}"),
        };
        let modeled = event_stream_failure(EventStreamError::Modeled("boom"), |e| {
            ("Boom".to_owned(), Some(format!("went {e}")))
        });
        assert_eq!(
            line(modeled),
            serde_json::json!({"code": "Boom", "message": "went boom"})
        );
        let service = event_stream_failure(
            EventStreamError::<&str>::Service {
                code: Some("InternalFailure".into()),
                message: None,
            },
            |_| unreachable!(),
        );
        assert_eq!(
            line(service),
            serde_json::json!({"code": "InternalFailure", "message": "(no message)"})
        );
        let truncated = event_stream_failure(
            EventStreamError::<&str>::Truncated { received: 3 },
            |_| unreachable!(),
        );
        assert_eq!(
            line(truncated),
            serde_json::json!({"code": "EventStreamError", "message": "the event stream ended inside a frame (3 bytes of it received)"})
        );
    }

    #[test]
    fn output_files_are_replaced_or_removed() {
        let dir = std::env::temp_dir().join(format!("rt-cli-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let old = dir.join("old");
        std::fs::write(&old, b"a longer old content").unwrap();
        let file = output_file("--output-file", old.to_str().unwrap()).unwrap();
        // Opening leaves the content until the body is written over it.
        assert_eq!(std::fs::read(&old).unwrap(), b"a longer old content");
        let written = runtime
            .block_on(file.write(crate::byte_stream::ByteStream::from("new")))
            .unwrap();
        assert_eq!(written, 3);
        assert_eq!(std::fs::read(&old).unwrap(), b"new");
        output_file("--output-file", old.to_str().unwrap())
            .unwrap()
            .abandon();
        assert_eq!(std::fs::read(&old).unwrap(), b"new", "kept: it was there");
        let new = dir.join("new");
        output_file("--output-file", new.to_str().unwrap())
            .unwrap()
            .abandon();
        assert!(!new.exists(), "removed: the command made it");
        let Err(Exit::Invalid(message)) = output_file("--output-file", dir.to_str().unwrap())
        else {
            panic!()
        };
        assert!(
            message.starts_with("--output-file: cannot write"),
            "{message}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn byte_stream_inputs() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let path = std::env::temp_dir().join(format!("rt-cli-input-{}", std::process::id()));
        std::fs::write(&path, b"file bytes").unwrap();
        let stream = runtime
            .block_on(byte_stream("--body", &format!("@{}", path.display()), true))
            .unwrap();
        assert_eq!(stream.content_length(), Some(10));
        let stdin = runtime.block_on(byte_stream("--body", "-", false)).unwrap();
        assert!(!stdin.is_replayable());
        assert!(runtime.block_on(byte_stream("--body", "-", true)).is_err());
        assert_eq!(
            runtime
                .block_on(byte_stream("--body", "aGk=", false))
                .unwrap_err(),
            Exit::Invalid(
                "--body: `aGk=` is not `@PATH` (a file to send) or `-` (standard input)".into()
            )
        );
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn version() {
        let exit = parse_versioned("svc", "A client.", "1.2.3", COMMANDS, args("--version"));
        let Err(Exit::Help(text)) = exit else {
            panic!("{exit:?}")
        };
        assert_eq!(
            text,
            format!(
                "svc 1.2.3 (aws-client-runtime {})\n",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert!(matches!(run("get-stage -V"), Err(Exit::Help(_))));
    }

    #[test]
    fn validation_names_flags() {
        let mut violations = crate::validate::Violations::new();
        let root = crate::validate::Path::Root("GetStageInput");
        violations.required(&crate::validate::Path::Member(
            &root,
            "GetStageInput.api_id",
        ));
        let tags = crate::validate::Path::Member(&root, "GetStageInput.tags");
        violations.length(
            &crate::validate::Path::Key(&tags, "k"),
            0,
            Some(1),
            None,
            crate::validate::LengthUnit::Characters,
        );
        violations.required(&crate::validate::Path::Member(&root, "GetStageInput.other"));
        let error: Error<Unhandled> =
            Error::Validation(InvalidInput::Constraint(violations.finish().unwrap_err()));
        let exit = failure(Some(&COMMANDS[0]), error);
        assert_eq!(
            exit,
            Exit::Invalid(
                "--api-id is required\n--tags[\"k\"] has length 0 (characters) but must be \
                 at least 1 (@length)\nGetStageInput.other is required but was not set"
                    .into()
            )
        );
        let build: Error<Unhandled> = Error::Validation(InvalidInput::Build(
            crate::build_error::BuildError::missing_field("GetStageInput", "api_id"),
        ));
        assert_eq!(
            failure(Some(&COMMANDS[0]), build),
            Exit::Invalid("--api-id is required".into())
        );
    }

    #[test]
    fn parses_values() {
        assert_eq!(scalar::<i32>("--n", "42").unwrap(), 42);
        assert!(matches!(scalar::<i32>("--n", "x"), Err(Exit::Invalid(m)) if m.contains("--n")));
        assert!(boolean("--b", "TRUE").unwrap());
        assert!(boolean("--b", "yes").is_err());
        assert_eq!(
            timestamp("--t", "2024-05-01T12:00:00Z")
                .unwrap()
                .unix_timestamp(),
            1_714_564_800
        );
        assert_eq!(
            timestamp("--t", "1714564800.5")
                .unwrap()
                .unix_timestamp_nanos(),
            1_714_564_800_500_000_000
        );
        assert!(timestamp("--t", "yesterday").is_err());
        assert_eq!(blob("--b", "aGk=").unwrap(), b"hi");
        assert_eq!(
            key_value("--m", "a=b=c").unwrap(),
            ("a".into(), "b=c".into())
        );
        assert!(key_value("--m", "ab").is_err());
        let v: serde_json::Value = json("--j", r#"{"a":1}"#).unwrap();
        assert_eq!(v["a"], 1);
        assert!(json::<serde_json::Value>("--j", "{").is_err());
    }

    fn response(status: u16) -> crate::http::HttpResponse {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amzn-requestid", "rid-9".parse().unwrap());
        crate::http::HttpResponse {
            status,
            headers,
            body: bytes::Bytes::new(),
        }
    }

    #[test]
    fn errors_become_json_lines() {
        let service: Error<Unhandled> = Error::Service(ServiceError::new(
            Unhandled::new(
                404,
                Some("NotFoundException".into()),
                Some("Invalid stage identifier specified".into()),
                None,
                bytes::Bytes::new(),
            ),
            response(404),
        ));
        let exit = Exit::from(service);
        assert_eq!(exit.code(), 1);
        let Exit::Failed(line) = exit else { panic!() };
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "NotFoundException", "message": "Invalid stage identifier specified", "httpStatus": 404, "requestId": "rid-9"})
        );

        let timeout: Error<Unhandled> = Error::Timeout(TimeoutError::new(
            TimeoutKind::Attempt,
            Some(Duration::from_secs(1)),
        ));
        let Exit::Failed(line) = Exit::from(timeout) else {
            panic!()
        };
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "TimeoutError", "message": "the request attempt timed out after 1s"})
        );
    }

    #[test]
    fn config_applies_global_options() {
        let global = GlobalOptions {
            region: Some("eu-north-1".into()),
            endpoint_url: Some("http://127.0.0.1:1".into()),
            max_attempts: Some(9),
            connect_timeout: Some(Duration::from_secs(4)),
            read_timeout: Some(Duration::from_secs(6)),
        };
        let config = config(&global).unwrap();
        assert_eq!(config.region(), Some("eu-north-1"));
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:1"));
        assert_eq!(config.retry_config().max_attempts(), 9);
        assert_eq!(
            config.timeout_config().connect(),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            config.timeout_config().attempt(),
            Some(Duration::from_secs(6))
        );
    }
}
