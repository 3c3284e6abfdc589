//! The `call_log` table: the Go toolkit's schema plus `runtime_id` and
//! `duration_us`, created or upgraded in place, in WAL mode.

use rusqlite::Connection;

const CREATE: &str = "
CREATE TABLE IF NOT EXISTS call_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_unix_ms INTEGER NOT NULL,
    direction TEXT NOT NULL,
    module TEXT,
    function TEXT NOT NULL,
    args_json TEXT,
    result_json TEXT,
    duration_ms INTEGER,
    error TEXT,
    runtime_id TEXT,
    duration_us INTEGER
);
CREATE INDEX IF NOT EXISTS idx_call_log_ts ON call_log(ts_unix_ms);
CREATE INDEX IF NOT EXISTS idx_call_log_direction ON call_log(direction);
";

/// Columns added after the Go toolkit's schema, with their types.
const ADDED_COLUMNS: [(&str, &str); 2] = [("runtime_id", "TEXT"), ("duration_us", "INTEGER")];

/// Prepares `connection` for logging: WAL mode, the table and indexes, and the
/// columns a database written by the Go toolkit lacks.
pub(crate) fn prepare(connection: &Connection) -> rusqlite::Result<()> {
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.execute_batch(CREATE)?;
    let existing: Vec<String> = connection
        .prepare("SELECT name FROM pragma_table_info('call_log')")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for (column, kind) in ADDED_COLUMNS {
        if !existing.iter().any(|c| c == column) {
            connection
                .execute_batch(&format!("ALTER TABLE call_log ADD COLUMN {column} {kind}"))?;
        }
    }
    Ok(())
}
