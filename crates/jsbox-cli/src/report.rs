//! Uncaught errors printed the way `node` prints them: for an error with a place
//! in a file, `file:line`, the source line and a caret, then the error and its
//! stack; a thrown value that is not an `Error` as `util.inspect` shows it.

use std::fmt::Write as _;
use std::process::ExitCode;

use std::path::{Path, PathBuf};

use jsbox::{Error, JsException};

/// Which files an error's source line may be shown from. A script writes its
/// errors' `stack` itself, so the file named there is only read when the
/// script could read it anyway: this keeps `--root` and `--sandbox` whole.
pub enum Excerpts {
    /// Any file (the script runs with no file policy).
    Any,
    /// Files inside this folder (`--root`).
    Inside(PathBuf),
    /// The main script only (`--sandbox` without `--root`).
    Only(PathBuf),
    /// None (`eval`: there is no file).
    Never,
}

impl Excerpts {
    fn allows(&self, file: &Path) -> bool {
        let canonical = |path: &Path| std::fs::canonicalize(path).ok();
        match self {
            Excerpts::Any => true,
            Excerpts::Never => false,
            Excerpts::Inside(root) => match (canonical(file), canonical(root)) {
                (Some(file), Some(root)) => file.starts_with(root),
                _ => false,
            },
            Excerpts::Only(main) => canonical(file).is_some() && canonical(file) == canonical(main),
        }
    }
}

/// Prints an uncaught error to stderr and picks the exit code: the script's own
/// for `process.exit(code)`, 1 for any error.
pub fn outcome(outcome: jsbox::Result<()>, excerpts: &Excerpts) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Exit(code)) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(error) => {
            eprint!("{}", uncaught(&error, excerpts));
            ExitCode::FAILURE
        }
    }
}

/// The exit status of a program run to its end (see `Runtime::run_to_exit`):
/// its exit code, or, after an uncaught error (printed here), 1 once the
/// `process` `'exit'` listeners ran, as `node` does.
pub fn program(
    runtime: &jsbox::Runtime,
    outcome: jsbox::Result<i32>,
    excerpts: &Excerpts,
) -> ExitCode {
    let status = |code: i32| ExitCode::from(code.clamp(0, 255) as u8);
    match outcome {
        Ok(code) | Err(Error::Exit(code)) => status(code),
        Err(error) => {
            eprint!("{}", uncaught(&error, excerpts));
            match runtime.emit_exit(Some(1)) {
                Ok(code) => status(code),
                Err(Error::Exit(code)) => status(code),
                Err(error) => {
                    eprint!("{}", uncaught(&error, excerpts));
                    ExitCode::from(7)
                }
            }
        }
    }
}

/// The text `node` would print for `error` reaching the top of a script.
pub fn uncaught(error: &Error, excerpts: &Excerpts) -> String {
    let mut out = String::new();
    match error {
        Error::UnhandledRejection(exception) if !exception.is_error => {
            // Node's own wording for a rejection with a value that is not an Error.
            let _ = writeln!(
                out,
                "UnhandledPromiseRejection: This error originated either by throwing inside of an \
                 async function without a catch block, or by rejecting a promise which was not \
                 handled with .catch(). The promise rejected with the reason \"{}\". {{\n  code: \
                 'ERR_UNHANDLED_REJECTION'\n}}",
                exception.message
            );
        }
        _ => match error.exception() {
            Some(exception) => {
                out.push_str(&source_excerpt(exception, excerpts));
                out.push_str(&describe(exception));
            }
            None => {
                let _ = writeln!(out, "{error}");
            }
        },
    }
    out
}

/// The text Node's REPL prints for an input's error: `Uncaught` and the error
/// with its stack, or `Uncaught` and the inspected value.
pub fn in_repl(error: &Error) -> String {
    match error.exception() {
        Some(exception) if exception.is_error => {
            // The input's own top-level frame says nothing (Node leaves it out too).
            let mut exception = exception.clone();
            exception.stack = exception
                .stack
                .lines()
                .filter(|line| !line.trim_start().starts_with("at <eval> (<repl>:"))
                .map(|line| format!("{line}\n"))
                .collect();
            format!("Uncaught {}", describe(&exception))
        }
        Some(exception) => describe(exception),
        None => format!("{error}\n"),
    }
}

/// `Name: message`, the stack, and `code` when the error has one; the inspected
/// value for anything else that was thrown.
fn describe(exception: &JsException) -> String {
    if !exception.is_error {
        return format!("Uncaught {}\n", exception.message);
    }
    let mut out = format!("{}: {}", exception.name, exception.message);
    let stack = exception.stack.trim_end_matches('\n');
    if !stack.is_empty() {
        out.push('\n');
        out.push_str(stack);
    }
    // Node shows an error's own properties after it, as util.inspect does.
    if let Some(code) = &exception.code {
        let _ = write!(out, " {{\n  code: '{code}'\n}}");
    }
    out.push('\n');
    out
}

/// `file:line`, the line itself and a caret under the column, then a blank
/// line, when the error's first frame is in a file that can be read.
fn source_excerpt(exception: &JsException, excerpts: &Excerpts) -> String {
    let Some((file, line, column)) = exception.location() else {
        return String::new();
    };
    if !excerpts.allows(Path::new(file)) {
        return String::new();
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return String::new();
    };
    let Some(source_line) = text.lines().nth((line as usize).saturating_sub(1)) else {
        return String::new();
    };
    // The caret sits under the column's character, tabs kept so it lines up.
    let pad: String = source_line
        .chars()
        .take((column as usize).saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("{file}:{line}\n{source_line}\n{pad}^\n\n")
}
