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

    /// Writes what `process.stdout.write` / `process.stderr.write` was given:
    /// raw bytes, not necessarily a whole line. The default hands each
    /// complete line to [`ConsoleSink::write`] as a message (invalid UTF-8
    /// replaced), and a last line without its newline as a message too.
    fn write_raw(&self, stream: Stream, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        if !bytes.is_empty() {
            for line in text.split('\n') {
                self.write(stream, line);
            }
        }
    }

    /// Whether `stream` ends at a terminal (`process.stdout.isTTY`). The
    /// default: no.
    fn is_terminal(&self, stream: Stream) -> bool {
        let _ = stream;
        false
    }

    /// Whether scripts read the process's standard input as
    /// `process.stdin`: true for [`StdioSink`] (the runtime speaks for the
    /// process), false by default (`process.stdin` then ends at once).
    fn reads_stdin(&self) -> bool {
        false
    }
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

    fn write_raw(&self, stream: Stream, bytes: &[u8]) {
        // Flushed at once: what follows may be a child process writing to
        // the same descriptor.
        let _ = match stream {
            Stream::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes).and_then(|()| out.flush())
            }
            Stream::Stderr => std::io::stderr().lock().write_all(bytes),
        };
    }

    fn reads_stdin(&self) -> bool {
        true
    }

    fn is_terminal(&self, stream: Stream) -> bool {
        use std::io::IsTerminal;
        match stream {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }
}

/// Discards all output.
#[derive(Debug, Clone, Copy, Default)]
pub struct NullSink;

impl ConsoleSink for NullSink {
    fn write(&self, _: Stream, _: &str) {}
    fn write_raw(&self, _: Stream, _: &[u8]) {}
}

/// Keeps output in memory, for tests and for embedders that show it elsewhere.
///
/// Clones share the same buffer, so keep one clone and give the other to
/// `Options::console`.
///
/// `process.stdout.write` and `process.stderr.write` need not write whole
/// lines: their text joins the stream's current line, which becomes a
/// message when a newline (or a console message on that stream) ends it.
/// [`CaptureSink::messages`] and [`CaptureSink::text`] show an unfinished
/// line too, last.
#[derive(Debug, Clone, Default)]
pub struct CaptureSink {
    lines: Arc<Mutex<Captured>>,
}

#[derive(Debug, Default)]
struct Captured {
    lines: Vec<(Stream, String)>,
    /// The unfinished line of stdout and of stderr.
    partial: [String; 2],
}

fn slot(stream: Stream) -> usize {
    match stream {
        Stream::Stdout => 0,
        Stream::Stderr => 1,
    }
}

impl CaptureSink {
    /// Creates an empty capture.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every message so far, in order, with its stream.
    pub fn messages(&self) -> Vec<(Stream, String)> {
        let captured = self.lock();
        let mut messages = captured.lines.clone();
        for stream in [Stream::Stdout, Stream::Stderr] {
            let partial = &captured.partial[slot(stream)];
            if !partial.is_empty() {
                messages.push((stream, partial.clone()));
            }
        }
        messages
    }

    /// The messages of one stream joined with newlines (each line ends with `\n`).
    /// An unfinished line comes last, without a newline.
    pub fn text(&self, stream: Stream) -> String {
        let captured = self.lock();
        let mut text = captured.lines.iter().filter(|(s, _)| *s == stream).fold(
            String::new(),
            |mut out, (_, line)| {
                out.push_str(line);
                out.push('\n');
                out
            },
        );
        text.push_str(&captured.partial[slot(stream)]);
        text
    }

    /// Empties the buffer.
    pub fn clear(&self) {
        let mut captured = self.lock();
        captured.lines.clear();
        captured.partial = Default::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Captured> {
        // A panic while holding the lock cannot leave the Vec inconsistent.
        self.lines.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl ConsoleSink for CaptureSink {
    fn write(&self, stream: Stream, message: &str) {
        let mut captured = self.lock();
        let mut line = std::mem::take(&mut captured.partial[slot(stream)]);
        line.push_str(message);
        captured.lines.push((stream, line));
    }

    fn write_raw(&self, stream: Stream, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let mut captured = self.lock();
        let mut parts = text.split('\n').peekable();
        while let Some(part) = parts.next() {
            let partial = &mut captured.partial[slot(stream)];
            partial.push_str(part);
            if parts.peek().is_some() {
                let line = std::mem::take(partial);
                captured.lines.push((stream, line));
            }
        }
    }
}
