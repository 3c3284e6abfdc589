//! The library's error type.

use std::fmt;
use std::path::PathBuf;

/// A JavaScript exception that reached Rust, with what the script knew about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsException {
    /// The error's `name` (`TypeError`, `SyntaxError`, ...), or `"Error"` when a
    /// non-error value was thrown.
    pub name: String,
    /// The error's `message`, or the inspected thrown value.
    pub message: String,
    /// The stack frames (`    at fn (file:line:column)` lines), empty when unknown.
    pub stack: String,
    /// The error's `code` property when it has a string one (`MODULE_NOT_FOUND`, ...).
    pub code: Option<String>,
}

impl fmt::Display for JsException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)?;
        if !self.stack.is_empty() {
            write!(f, "\n{}", self.stack.trim_end())?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in jsbox.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The script threw (syntax errors included).
    #[error("{0}")]
    Exception(Box<JsException>),

    /// `require()` (or `run_file`) found no module for a specifier.
    #[error("{}", .exception.message)]
    ModuleNotFound {
        /// The specifier as written.
        specifier: String,
        /// The exception the script saw (code `MODULE_NOT_FOUND`).
        exception: Box<JsException>,
    },

    /// The source loader failed to read a module, or its bytes were not UTF-8.
    #[error("cannot load {}: {message}", .path.display())]
    Loader {
        /// The module's path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },

    /// A promise was rejected and no handler was attached by the end of the
    /// macrotask (Node's default `--unhandled-rejections=throw`).
    #[error("unhandled promise rejection: {0}")]
    UnhandledRejection(Box<JsException>),

    /// A time limit ended the call: the script was stopped by the engine's
    /// interrupt handler (JS cannot catch this). After a per-call timeout the
    /// runtime stays usable; once the total budget is spent every call fails.
    #[error("{}", match .0 {
        crate::TimeLimit::Call(limit) => format!("the script timed out: it ran longer than the {limit:?} allowed per call"),
        crate::TimeLimit::Total(limit) => format!("the script timed out: the runtime used up its total time budget of {limit:?}"),
    })]
    Timeout(crate::TimeLimit),

    /// Access to a module, a file or a program was refused by the runtime's
    /// policy, and the script did not catch the error.
    #[error("{0}")]
    AccessDenied(String),

    /// The script called `process.exit(code)`. The runtime stays usable.
    #[error("the script called process.exit({0})")]
    Exit(i32),

    /// The call log could not be opened or read.
    #[error("call log: {0}")]
    CallLog(String),

    /// The options passed to `Factory::new` or `open` are inconsistent.
    #[error("invalid options: {0}")]
    InvalidOptions(String),

    /// A script result could not be converted to the requested Rust type.
    #[error("cannot convert the result: {0}")]
    Conversion(String),

    /// Native (Rust) code panicked while the script ran; the panic was stopped at
    /// the engine boundary.
    #[error("native code panicked: {0}")]
    Panic(String),

    /// The engine itself failed (out of memory while setting up, for example).
    #[error("engine error: {0}")]
    Engine(String),
}

impl Error {
    /// The JavaScript exception behind this error, when there is one.
    pub fn exception(&self) -> Option<&JsException> {
        match self {
            Error::Exception(e) => Some(e),
            Error::ModuleNotFound { exception, .. } => Some(exception),
            Error::UnhandledRejection(e) => Some(e),
            _ => None,
        }
    }
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
