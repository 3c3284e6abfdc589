//! Where `console` output goes.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// The stream a console line belongs to, as Node splits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stream {
    /// `console.log`, `info`, `debug`, `dir`, `table`, `count`, `time*`, `group`.
    Stdout,
    /// `console.warn`, `error`, `trace`, `assert`.
    Stderr,
}

/// Receives formatted console output. One sink serves every runtime of a factory.
///
/// Each call carries one already formatted message, without its trailing newline
/// (it may contain newlines itself). Closures `Fn(Stream, &str)` are sinks too.
pub trait ConsoleSink: Send + Sync + 'static {
    /// Writes one message.
    fn write(&self, stream: Stream, message: &str);
}

impl<F> ConsoleSink for F
where
    F: Fn(Stream, &str) + Send + Sync + 'static,
{
    fn write(&self, stream: Stream, message: &str) {
        self(stream, message)
    }
}

/// Writes to the process's stdout and stderr (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct StdioSink;

impl ConsoleSink for StdioSink {
    fn write(&self, stream: Stream, message: &str) {
        // A closed pipe must not kill the host: write errors are dropped.
        let _ = match stream {
            Stream::Stdout => writeln!(std::io::stdout().lock(), "{message}"),
            Stream::Stderr => writeln!(std::io::stderr().lock(), "{message}"),
        };
    }
}

/// Discards all output.
#[derive(Debug, Clone, Copy, Default)]
pub struct NullSink;

impl ConsoleSink for NullSink {
    fn write(&self, _: Stream, _: &str) {}
}

/// Keeps output in memory, for tests and for embedders that show it elsewhere.
///
/// Clones share the same buffer, so keep one clone and give the other to
/// `Options::console`.
#[derive(Debug, Clone, Default)]
pub struct CaptureSink {
    lines: Arc<Mutex<Vec<(Stream, String)>>>,
}

impl CaptureSink {
    /// Creates an empty capture.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every message so far, in order, with its stream.
    pub fn messages(&self) -> Vec<(Stream, String)> {
        self.lock().clone()
    }

    /// The messages of one stream joined with newlines (each line ends with `\n`).
    pub fn text(&self, stream: Stream) -> String {
        self.lock().iter().filter(|(s, _)| *s == stream).fold(
            String::new(),
            |mut out, (_, line)| {
                out.push_str(line);
                out.push('\n');
                out
            },
        )
    }

    /// Empties the buffer.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Stream, String)>> {
        // A panic while holding the lock cannot leave the Vec inconsistent.
        self.lines.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl ConsoleSink for CaptureSink {
    fn write(&self, stream: Stream, message: &str) {
        self.lock().push((stream, message.to_string()));
    }
}
