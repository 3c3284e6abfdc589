//! The library's error type.

use std::fmt;
use std::path::PathBuf;

/// A JavaScript exception that reached Rust, with what the script knew about it.
///
/// Displayed the way Node's REPL shows it: `Name: message` and the stack for an
/// `Error`, `Uncaught <value>` for anything else a script threw.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsException {
    /// The error's `name` (`TypeError`, `SyntaxError`, ...); empty when the
    /// script threw a value that is not an `Error` (see [`is_error`](Self::is_error)).
    pub name: String,
    /// The error's `message`, or, for a thrown value that is not an `Error`,
    /// that value as `util.inspect` shows it (`'text'`, `{ a: 1 }`, `42`).
    pub message: String,
    /// The stack frames (`    at fn (file:line:column)` lines), empty when unknown.
    pub stack: String,
    /// The error's `code` property when it has a string one (`MODULE_NOT_FOUND`, ...).
    pub code: Option<String>,
    /// Whether the thrown value was an `Error` object (`throw new Error()`),
    /// rather than any other value (`throw 'x'`, `Promise.reject(42)`).
    pub is_error: bool,
}

impl JsException {
    /// An exception for an `Error` with this name and message and no stack.
    pub fn new(name: impl Into<String>, message: impl Into<String>) -> JsException {
        JsException {
            name: name.into(),
            message: message.into(),
            stack: String::new(),
            code: None,
            is_error: true,
        }
    }

    /// The first file position of the stack (`file`, line, column): where the
    /// error was thrown, or for a syntax error, where the parser stopped.
    pub fn location(&self) -> Option<(&str, u32, u32)> {
        self.stack.lines().find_map(frame_location)
    }

    /// What `From<rquickjs::Error>` gives for a pending exception: the engine
    /// still holds the thrown value; [`Runtime::with`](crate::Runtime::with)
    /// replaces this with it.
    fn pending() -> JsException {
        JsException::new(
            "Error",
            "a JavaScript exception is pending in the engine (take it with Ctx::catch)",
        )
    }

    pub(crate) fn is_pending_marker(&self) -> bool {
        *self == JsException::pending()
    }

    /// The thrown value itself for a non-`Error` (`42`), else `Name: message`.
    fn reason(&self) -> String {
        if self.is_error {
            self.to_string()
        } else {
            self.message.clone()
        }
    }
}

/// `    at f (/a/b.js:3:7)` or `    at /a/b.js:3:7` → (`/a/b.js`, 3, 7).
fn frame_location(line: &str) -> Option<(&str, u32, u32)> {
    let frame = line.trim_start().strip_prefix("at ")?;
    let place = match (frame.rfind('('), frame.ends_with(')')) {
        (Some(open), true) => &frame[open + 1..frame.len() - 1],
        _ => frame,
    };
    let (rest, column) = place.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    Some((file, line.parse().ok()?, column.parse().ok()?))
}

impl fmt::Display for JsException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.is_error {
            return write!(f, "Uncaught {}", self.message);
        }
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
    #[error("unhandled promise rejection: {}", .0.reason())]
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

/// For `?` on rquickjs results inside [`Runtime::with`](crate::Runtime::with),
/// which fills in a JavaScript exception's name, message and stack.
impl From<rquickjs::Error> for Error {
    fn from(error: rquickjs::Error) -> Error {
        match error {
            rquickjs::Error::Exception => Error::Exception(Box::new(JsException::pending())),
            rquickjs::Error::FromJs { .. } | rquickjs::Error::IntoJs { .. } => {
                Error::Conversion(error.to_string())
            }
            other => Error::Engine(other.to_string()),
        }
    }
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
