//! The call log: a runtime-scoped SQLite record of every call that crosses the
//! JS/Rust boundary.
//!
//! A factory built with [`Options::call_log`](crate::Options::call_log) opens the
//! database once; each of its runtimes buffers its rows (tagged with its runtime
//! id) and hands them to a background writer that inserts them in batches. A
//! runtime with default options logs nothing, even while a process-wide default
//! logger is configured: only options that opt in with
//! [`Options::call_log_default`](crate::Options::call_log_default) use it.

mod encode;
mod reader;
mod schema;
mod writer;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rquickjs::Value;

pub use reader::{read, stats, CallRow, Filter, FunctionStats};
pub use writer::CallLogStats;
pub(crate) use writer::Writer;

use crate::error::{Error, Result};

/// Rows a runtime buffers before handing them to the writer.
const BATCH: usize = 256;

/// The default size limit of an encoded argument list or result (64 KiB).
pub const DEFAULT_MAX_PAYLOAD: usize = 64 << 10;

/// Which side called which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A script called a native module function.
    JsToNative,
    /// Rust called a JS function through [`Runtime::call`](crate::Runtime::call).
    NativeToJs,
}

impl Direction {
    /// The text stored in the `direction` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::JsToNative => "js->native",
            Direction::NativeToJs => "native->js",
        }
    }
}

/// One logged call, as it is queued for the writer.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) ts_unix_ms: i64,
    pub(crate) direction: Direction,
    pub(crate) module: Option<String>,
    pub(crate) function: String,
    pub(crate) args_json: String,
    pub(crate) result_json: Option<String>,
    pub(crate) duration_us: i64,
    pub(crate) error: Option<String>,
    pub(crate) runtime_id: Arc<str>,
}

fn unix_ms(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A fresh id for a runtime: unique in this process and across processes
/// writing to one file (it carries the process id).
pub(crate) fn new_runtime_id() -> Arc<str> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
    .into()
}

/// One runtime's logging: its id, its buffer, and the writer it feeds.
pub(crate) struct RuntimeLog {
    writer: Arc<Writer>,
    runtime_id: Arc<str>,
    max_payload: usize,
    buffer: Mutex<Vec<Row>>,
}

/// What a finished call produced.
pub(crate) enum Outcome<'a, 'js> {
    Returned(&'a Value<'js>),
    Threw(String),
}

impl RuntimeLog {
    pub(crate) fn new(writer: Arc<Writer>, runtime_id: Arc<str>, max_payload: usize) -> Self {
        RuntimeLog {
            writer,
            runtime_id,
            max_payload,
            buffer: Mutex::new(Vec::with_capacity(BATCH)),
        }
    }

    /// Records one call that just finished after `duration`.
    pub(crate) fn record(
        &self,
        direction: Direction,
        module: Option<&str>,
        function: &str,
        args: &Value<'_>,
        outcome: Outcome<'_, '_>,
        duration: Duration,
    ) {
        let duration_us = duration.as_micros() as i64;
        let at = SystemTime::now()
            .checked_sub(duration)
            .unwrap_or(UNIX_EPOCH);
        let (result_json, error) = match outcome {
            Outcome::Returned(value) => (Some(encode::encode(value, self.max_payload)), None),
            Outcome::Threw(message) => (None, Some(message)),
        };
        let row = Row {
            ts_unix_ms: unix_ms(at),
            direction,
            module: module.map(str::to_string),
            function: function.to_string(),
            args_json: encode::encode(args, self.max_payload),
            result_json,
            duration_us,
            error,
            runtime_id: self.runtime_id.clone(),
        };
        let full = {
            let mut buffer = self.buffer.lock().unwrap_or_else(|e| e.into_inner());
            buffer.push(row);
            (buffer.len() >= BATCH)
                .then(|| std::mem::replace(&mut *buffer, Vec::with_capacity(BATCH)))
        };
        if let Some(rows) = full {
            self.writer.submit(rows);
        }
    }

    /// Hands the buffered rows to the writer.
    pub(crate) fn hand_over(&self) {
        let rows = std::mem::take(&mut *self.buffer.lock().unwrap_or_else(|e| e.into_inner()));
        self.writer.submit(rows);
    }

    /// Hands over the buffered rows and waits until they are on disk.
    pub(crate) fn flush(&self) {
        self.hand_over();
        self.writer.flush();
    }

    pub(crate) fn stats(&self) -> CallLogStats {
        self.writer.stats()
    }
}

impl Drop for RuntimeLog {
    fn drop(&mut self) {
        self.hand_over();
    }
}

/// Opens (or joins) the writer for a call-log file, for `Factory::new`.
pub(crate) fn open_writer(path: &Path) -> Result<Arc<Writer>> {
    Writer::for_path(path).map_err(Error::CallLog)
}

// ---- the process-wide default logger ------------------------------------------

fn default_slot() -> &'static RwLock<Option<Arc<Writer>>> {
    static DEFAULT: OnceLock<RwLock<Option<Arc<Writer>>>> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        // JSBOX_CALLLOG_DISABLE wins over JSBOX_CALLLOG_DB; a file that cannot be
        // opened leaves the default off and says why once.
        let disabled = std::env::var_os("JSBOX_CALLLOG_DISABLE")
            .is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
        let writer = match std::env::var_os("JSBOX_CALLLOG_DB") {
            Some(path) if !disabled && !path.is_empty() => match Writer::for_path(Path::new(&path))
            {
                Ok(writer) => Some(writer),
                Err(error) => {
                    eprintln!("jsbox: JSBOX_CALLLOG_DB ignored: {error}");
                    None
                }
            },
            _ => None,
        };
        RwLock::new(writer)
    })
}

/// Sets the process-wide default call log to the SQLite file at `path`.
///
/// Only runtimes whose options opt in with
/// [`Options::call_log_default`](crate::Options::call_log_default) use it, and only
/// those created after this call. Creating a runtime never changes it.
pub fn configure(path: impl AsRef<Path>) -> Result<()> {
    let writer = open_writer(path.as_ref())?;
    let old = default_slot()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .replace(writer);
    if let Some(old) = old {
        old.flush();
    }
    Ok(())
}

/// Turns the process-wide default call log off (writing out what it holds).
pub fn disable() {
    let old = default_slot()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    if let Some(old) = old {
        old.flush();
    }
}

/// Waits until every row handed to the process-wide default logger is on disk.
pub fn flush() {
    if let Some(writer) = default_writer() {
        writer.flush();
    }
}

/// The file of the process-wide default call log, if one is configured.
pub fn default_path() -> Option<std::path::PathBuf> {
    default_writer().map(|w| w.path().to_path_buf())
}

pub(crate) fn default_writer() -> Option<Arc<Writer>> {
    default_slot()
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}
