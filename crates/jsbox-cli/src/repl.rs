//! The interactive loop, as Node's REPL behaves: rustyline for line editing
//! and history, continuation lines while an input is unfinished, top-level
//! `await`, `_` and `_error`, Node's dot-commands, and the event loop running
//! while the prompt waits (a timer prints without further input).
//!
//! The runtime lives on a worker thread: between inputs it runs whatever the
//! event loop has due, and its console output reaches the terminal through
//! rustyline's external printer, which redraws the prompt below it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jsbox::{Factory, Options, Stream};
use rustyline::error::ReadlineError;
use rustyline::{DefaultEditor, ExternalPrinter};

use crate::report;

const HELP: &str = "\
.break    Sometimes you get stuck, this gets you out
.clear    Start over with a fresh runtime
.editor   Enter editor mode (Ctrl+D to finish, Ctrl+C to cancel)
.exit     Exit the REPL (Ctrl+D works too)
.help     Print this help message
.load     Load JS from a file into the REPL session
.save     Save all evaluated commands in this REPL session to a file

Press Ctrl+C to abort current expression, Ctrl+D to exit the REPL";

/// How often the worker runs due timers while the prompt waits.
const TICK: Duration = Duration::from_millis(5);

fn history_path() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".jsbox_history"))
}

/// Where output goes: through rustyline's external printer on a terminal (so
/// the prompt is redrawn below it), else straight to stdout and stderr.
#[derive(Default)]
struct Output {
    printer: Mutex<Option<Box<dyn ExternalPrinter + Send>>>,
}

impl Output {
    fn print(&self, stream: Stream, text: &str) {
        let mut printer = self.printer.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(printer) = printer.as_mut() {
            if printer.print(format!("{text}\n")).is_ok() {
                return;
            }
        }
        drop(printer);
        // Output into a closed stream is dropped: there is no one to tell.
        let _ = match stream {
            Stream::Stdout => writeln!(std::io::stdout(), "{text}"),
            Stream::Stderr => writeln!(std::io::stderr(), "{text}"),
        };
    }
}

/// What the REPL asks of the worker that owns the runtime.
enum Request {
    /// Evaluate one input; answered with `Reply::Done`.
    Eval(String),
    /// Whether an input is unfinished; answered with `Reply::Incomplete`.
    Incomplete(String),
    /// Replace the runtime with a fresh one; answered with `Reply::Done`.
    Clear,
}

enum Reply {
    Done,
    Incomplete(bool),
}

/// Runs the REPL on stdin/stdout until `.exit` or end of input.
pub fn run(options: Options) -> anyhow::Result<()> {
    let output = Arc::new(Output::default());
    let sink = output.clone();
    let factory =
        Factory::new(options.console(move |stream, text: &str| sink.print(stream, text)))?;
    let runtime = factory.new_runtime()?;

    let mut editor = DefaultEditor::new()?;
    if let Ok(printer) = editor.create_external_printer() {
        *output.printer.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(printer));
    }
    let history = history_path();
    if let Some(path) = &history {
        // A missing history file is normal on first use.
        let _ = editor.load_history(path);
    }

    let (requests, inbox) = mpsc::channel();
    let (outbox, replies) = mpsc::channel();
    let worker_output = output.clone();
    std::thread::Builder::new()
        .name("jsbox-repl".into())
        .spawn(move || worker(factory, runtime, inbox, outbox, worker_output))?;
    let mut session = Session {
        requests,
        replies,
        saved: Vec::new(),
    };

    output.print(
        Stream::Stdout,
        &format!(
            "Welcome to jsbox v{}.\nType \".help\" for more information.",
            env!("CARGO_PKG_VERSION")
        ),
    );
    let mut pending = String::new();
    let mut interrupted = false;
    loop {
        let prompt = if pending.is_empty() { "> " } else { "| " };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                if pending.is_empty() {
                    if interrupted {
                        break;
                    }
                    interrupted = true;
                    output.print(
                        Stream::Stdout,
                        "(To exit, press Ctrl+C again or Ctrl+D or type .exit)",
                    );
                }
                pending.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(error) => return Err(error.into()),
        };
        interrupted = false;
        if pending.is_empty() {
            if let Some(command) = dot_command(&line) {
                match session.command(command, &mut editor, &output)? {
                    Flow::Continue => continue,
                    Flow::Exit => break,
                }
            }
            if line.trim().is_empty() {
                continue;
            }
        } else if line.trim() == ".break" {
            pending.clear();
            continue;
        }
        pending.push_str(&line);
        pending.push('\n');
        if session.incomplete(&pending)? {
            continue;
        }
        let _ = editor.add_history_entry(pending.trim_end());
        session.eval(std::mem::take(&mut pending))?;
    }
    if let Some(path) = &history {
        let _ = editor.save_history(path);
    }
    Ok(())
}

enum Flow {
    Continue,
    Exit,
}

/// The REPL's side of the conversation with the worker.
struct Session {
    requests: Sender<Request>,
    replies: Receiver<Reply>,
    /// The inputs evaluated so far, for `.save`.
    saved: Vec<String>,
}

impl Session {
    fn ask(&self, request: Request) -> anyhow::Result<Reply> {
        self.requests
            .send(request)
            .map_err(|_| anyhow::anyhow!("the REPL's runtime thread stopped"))?;
        self.replies
            .recv()
            .map_err(|_| anyhow::anyhow!("the REPL's runtime thread stopped"))
    }

    fn incomplete(&self, source: &str) -> anyhow::Result<bool> {
        Ok(matches!(
            self.ask(Request::Incomplete(source.to_string()))?,
            Reply::Incomplete(true)
        ))
    }

    fn eval(&mut self, source: String) -> anyhow::Result<()> {
        self.saved.push(source.trim_end().to_string());
        self.ask(Request::Eval(source))?;
        Ok(())
    }

    fn command(
        &mut self,
        command: &str,
        editor: &mut DefaultEditor,
        output: &Output,
    ) -> anyhow::Result<Flow> {
        let (name, argument) = command
            .split_once(char::is_whitespace)
            .map_or((command, ""), |(name, rest)| (name, rest.trim()));
        match name {
            "exit" => return Ok(Flow::Exit),
            "help" => output.print(Stream::Stdout, HELP),
            "break" => {}
            "clear" => {
                output.print(Stream::Stdout, "Clearing context...");
                self.saved.clear();
                self.ask(Request::Clear)?;
            }
            "editor" => self.editor_mode(editor, output)?,
            "load" => match std::fs::read_to_string(argument) {
                Ok(source) => self.eval(source)?,
                Err(error) => output.print(
                    Stream::Stderr,
                    &format!("Failed to load: {argument}: {error}"),
                ),
            },
            "save" => match save(Path::new(argument), &self.saved) {
                Ok(()) => output.print(Stream::Stdout, &format!("Session saved to: {argument}")),
                Err(error) => output.print(
                    Stream::Stderr,
                    &format!("Failed to save: {argument}: {error}"),
                ),
            },
            _ => output.print(Stream::Stderr, "Invalid REPL keyword"),
        }
        Ok(Flow::Continue)
    }

    /// `.editor`: lines are collected as typed until Ctrl+D, then evaluated
    /// as one input; Ctrl+C drops them.
    fn editor_mode(&mut self, editor: &mut DefaultEditor, output: &Output) -> anyhow::Result<()> {
        output.print(
            Stream::Stdout,
            "// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)",
        );
        let mut buffer = String::new();
        loop {
            match editor.readline("") {
                Ok(line) => {
                    buffer.push_str(&line);
                    buffer.push('\n');
                }
                Err(ReadlineError::Eof) => break,
                Err(ReadlineError::Interrupted) => return Ok(()),
                Err(error) => return Err(error.into()),
            }
        }
        if !buffer.trim().is_empty() {
            let _ = editor.add_history_entry(buffer.trim_end());
            self.eval(buffer)?;
        }
        Ok(())
    }
}

fn save(path: &Path, inputs: &[String]) -> std::io::Result<()> {
    let mut text = inputs.join("\n");
    text.push('\n');
    std::fs::write(path, text)
}

/// The command of a line that is a REPL keyword (`.help` → `help`), as Node
/// tells them apart: a dot, then not a digit or another dot (`.5 + 1` is
/// JavaScript).
fn dot_command(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix('.')?;
    match rest.chars().next() {
        Some(c) if c.is_ascii_digit() || c == '.' => None,
        _ => Some(rest),
    }
}

/// Owns the runtime: answers requests and, between them, runs the event loop
/// whenever something is pending, printing what a callback throws.
fn worker(
    factory: Factory,
    mut runtime: jsbox::Runtime,
    inbox: Receiver<Request>,
    outbox: Sender<Reply>,
    output: Arc<Output>,
) {
    let mut pending = false;
    loop {
        let request = if pending {
            match inbox.recv_timeout(TICK) {
                Ok(request) => Some(request),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match inbox.recv() {
                Ok(request) => Some(request),
                Err(_) => return,
            }
        };
        let reply = match request {
            None => None,
            Some(Request::Incomplete(source)) => {
                Some(Reply::Incomplete(runtime.is_incomplete(&source)))
            }
            Some(Request::Eval(source)) => {
                match runtime.eval_repl(&source) {
                    Ok(shown) => output.print(Stream::Stdout, &shown),
                    Err(error) => stop_or_print(&error, &output),
                }
                Some(Reply::Done)
            }
            Some(Request::Clear) => {
                match factory.new_runtime() {
                    Ok(fresh) => runtime = fresh,
                    Err(error) => output.print(Stream::Stderr, &error.to_string()),
                }
                Some(Reply::Done)
            }
        };
        if let Some(reply) = reply {
            if outbox.send(reply).is_err() {
                return;
            }
        }
        pending = match runtime.run_until(Instant::now()) {
            Ok(idle) => !idle,
            Err(error) => {
                stop_or_print(&error, &output);
                // A callback threw: the loop goes on with the rest. Any other
                // error (a spent time budget) would only repeat.
                error.exception().is_some()
            }
        };
    }
}

/// `process.exit(code)` ends the REPL with that code, as in Node; any other
/// error is printed and the REPL goes on.
fn stop_or_print(error: &jsbox::Error, output: &Output) {
    if let jsbox::Error::Exit(code) = error {
        let _ = std::io::stdout().flush();
        std::process::exit(*code);
    }
    output.print(Stream::Stderr, report::in_repl(error).trim_end());
}
