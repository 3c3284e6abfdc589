//! One background writer per database file: rows arrive in batches over a
//! channel and are inserted in one transaction per batch, so a logged call costs
//! the JS thread a push onto a buffer, never a SQLite transaction.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::schema;
use super::Row;

enum Message {
    Rows(Vec<Row>),
    Flush(Sender<()>),
    Stop,
}

/// Counters of a writer, for monitoring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallLogStats {
    /// Rows committed to the database.
    pub written: u64,
    /// Rows lost to write failures.
    pub failed: u64,
}

#[derive(Default)]
struct Counters {
    written: AtomicU64,
    failed: AtomicU64,
}

/// The writer of one database file, shared by every factory and runtime that
/// logs there. Dropping the last handle writes everything out and stops it.
pub(crate) struct Writer {
    path: PathBuf,
    sender: Mutex<Sender<Message>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    counters: Arc<Counters>,
}

fn open(path: &Path) -> Result<Connection, String> {
    let connection = Connection::open(path).map_err(|e| e.to_string())?;
    schema::prepare(&connection).map_err(|e| e.to_string())?;
    Ok(connection)
}

fn insert(connection: &mut Connection, rows: &[Row]) -> rusqlite::Result<()> {
    let tx = connection.transaction()?;
    {
        let mut statement = tx.prepare_cached(
            "INSERT INTO call_log (ts_unix_ms, direction, module, function, args_json, \
             result_json, duration_ms, error, runtime_id, duration_us) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for row in rows {
            statement.execute(rusqlite::params![
                row.ts_unix_ms,
                row.direction.as_str(),
                row.module,
                row.function,
                row.args_json,
                row.result_json,
                row.duration_us / 1000,
                row.error,
                row.runtime_id.as_ref(),
                row.duration_us,
            ])?;
        }
    }
    tx.commit()
}

fn run(
    mut connection: Connection,
    receiver: Receiver<Message>,
    counters: Arc<Counters>,
    path: PathBuf,
) {
    let mut reported = false;
    let mut pending: Vec<Row> = Vec::new();
    let mut write = |pending: &mut Vec<Row>, connection: &mut Connection| {
        if pending.is_empty() {
            return;
        }
        match insert(connection, pending) {
            Ok(()) => {
                counters
                    .written
                    .fetch_add(pending.len() as u64, Ordering::Relaxed);
            }
            Err(error) => {
                counters
                    .failed
                    .fetch_add(pending.len() as u64, Ordering::Relaxed);
                if !reported {
                    reported = true;
                    eprintln!(
                        "jsbox: writing the call log {} failed: {error} (later failures are only counted)",
                        path.display()
                    );
                }
            }
        }
        pending.clear();
    };
    while let Ok(message) = receiver.recv() {
        let mut acks = Vec::new();
        let mut stop = false;
        let mut next = Some(message);
        // Gather everything already queued into one transaction.
        while let Some(message) = next {
            match message {
                Message::Rows(rows) => pending.extend(rows),
                Message::Flush(ack) => acks.push(ack),
                Message::Stop => stop = true,
            }
            next = receiver.try_recv().ok();
        }
        write(&mut pending, &mut connection);
        for ack in acks {
            // The flusher may have given up waiting; nothing to do then.
            let _ = ack.send(());
        }
        if stop {
            break;
        }
    }
}

fn registry() -> &'static Mutex<HashMap<PathBuf, Weak<Writer>>> {
    static WRITERS: OnceLock<Mutex<HashMap<PathBuf, Weak<Writer>>>> = OnceLock::new();
    WRITERS.get_or_init(Default::default)
}

/// The path under which a file's writer is shared: absolute, symlinks resolved
/// when the file exists.
fn key(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    std::fs::canonicalize(&absolute).unwrap_or(absolute)
}

impl Writer {
    /// The writer for `path`, opening the database (and creating or upgrading
    /// its table) if no writer for it is running.
    pub(crate) fn for_path(path: &Path) -> Result<Arc<Writer>, String> {
        let mut writers = registry().lock().unwrap_or_else(|e| e.into_inner());
        let key = key(path);
        if let Some(writer) = writers.get(&key).and_then(Weak::upgrade) {
            return Ok(writer);
        }
        let connection =
            open(path).map_err(|e| format!("cannot open the call log {}: {e}", path.display()))?;
        let (sender, receiver) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        let thread_counters = counters.clone();
        let thread_path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("jsbox-calllog".to_string())
            .spawn(move || run(connection, receiver, thread_counters, thread_path))
            .map_err(|e| format!("cannot start the call-log writer: {e}"))?;
        let writer = Arc::new(Writer {
            path: path.to_path_buf(),
            sender: Mutex::new(sender),
            thread: Mutex::new(Some(thread)),
            counters,
        });
        writers.retain(|_, w| w.strong_count() > 0);
        writers.insert(key, Arc::downgrade(&writer));
        Ok(writer)
    }

    /// The database file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn send(&self, message: Message) -> bool {
        self.sender
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(message)
            .is_ok()
    }

    /// Hands rows to the writer thread.
    pub(crate) fn submit(&self, rows: Vec<Row>) {
        if !rows.is_empty() && !self.send(Message::Rows(rows)) {
            self.counters.failed.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Waits until every row submitted so far is committed.
    pub(crate) fn flush(&self) {
        let (ack, done) = mpsc::channel();
        if self.send(Message::Flush(ack)) {
            // An error means the thread ended; nothing more can be written.
            let _ = done.recv();
        }
    }

    pub(crate) fn stats(&self) -> CallLogStats {
        CallLogStats {
            written: self.counters.written.load(Ordering::Relaxed),
            failed: self.counters.failed.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.send(Message::Stop);
        if let Some(thread) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            // A panicked writer thread has already lost its rows; nothing to add.
            let _ = thread.join();
        }
    }
}
