//! Reading a call log back: filtered rows and per-function statistics, for the
//! `jsbox calllog` command and for programs that inspect their own logs.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// One row of the `call_log` table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CallRow {
    /// Row id (increasing).
    pub id: i64,
    /// When the call started, in milliseconds since the Unix epoch.
    pub ts_unix_ms: i64,
    /// `js->native` or `native->js` (`js->go`/`go->js` in databases the Go toolkit wrote).
    pub direction: String,
    /// The module, for calls into native modules.
    pub module: Option<String>,
    /// The function called.
    pub function: String,
    /// The arguments as a JSON array.
    pub args_json: Option<String>,
    /// The result as JSON (absent when the call threw).
    pub result_json: Option<String>,
    /// Duration in microseconds (derived from `duration_ms` in older rows).
    pub duration_us: Option<i64>,
    /// The error text when the call threw.
    pub error: Option<String>,
    /// The runtime that made the call.
    pub runtime_id: Option<String>,
}

/// Which rows to read.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// At most this many of the newest rows (all when `None`).
    pub tail: Option<usize>,
    /// Only this module.
    pub module: Option<String>,
    /// Only this function.
    pub function: Option<String>,
    /// Only this runtime.
    pub runtime: Option<String>,
    /// Only this direction.
    pub direction: Option<String>,
    /// Only calls that threw.
    pub errors_only: bool,
}

/// Call counts and durations of one function.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FunctionStats {
    /// The module (empty for calls from Rust).
    pub module: String,
    /// The function.
    pub function: String,
    /// How many calls.
    pub calls: u64,
    /// How many of them threw.
    pub errors: u64,
    /// Median duration in microseconds.
    pub p50_us: i64,
    /// 99th percentile duration in microseconds.
    pub p99_us: i64,
    /// Longest duration in microseconds.
    pub max_us: i64,
}

fn open(path: &Path) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::CallLog(format!("{} does not exist", path.display())));
    }
    let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::CallLog(format!("cannot open {}: {e}", path.display())))?;
    let has_table: bool = connection
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'call_log'",
            [],
            |row| row.get(0),
        )
        .map_err(|e| Error::CallLog(format!("{} is not a call log: {e}", path.display())))?;
    if !has_table {
        return Err(Error::CallLog(format!(
            "{} has no call_log table",
            path.display()
        )));
    }
    Ok(connection)
}

fn has_column(connection: &Connection, column: &str) -> bool {
    connection
        .query_row(
            "SELECT count(*) > 0 FROM pragma_table_info('call_log') WHERE name = ?1",
            [column],
            |row| row.get(0),
        )
        .unwrap_or(false)
}

/// Reads the rows of the call log at `path` that match `filter`, oldest first.
pub fn read(path: impl AsRef<Path>, filter: &Filter) -> Result<Vec<CallRow>> {
    let connection = open(path.as_ref())?;
    let runtime_column = if has_column(&connection, "runtime_id") {
        "runtime_id"
    } else {
        "NULL"
    };
    let duration_column = if has_column(&connection, "duration_us") {
        "COALESCE(duration_us, duration_ms * 1000)"
    } else {
        "duration_ms * 1000"
    };
    let mut conditions = Vec::new();
    let mut params: Vec<String> = Vec::new();
    for (column, value) in [
        ("module", &filter.module),
        ("function", &filter.function),
        (runtime_column, &filter.runtime),
        ("direction", &filter.direction),
    ] {
        if let Some(value) = value {
            params.push(value.clone());
            conditions.push(format!("{column} = ?{}", params.len()));
        }
    }
    if filter.errors_only {
        conditions.push("error IS NOT NULL".to_string());
    }
    let condition = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let limit = filter.tail.map_or(String::new(), |n| format!("LIMIT {n}"));
    let sql = format!(
        "SELECT * FROM (SELECT id, ts_unix_ms, direction, module, function, args_json, result_json, \
         {duration_column}, error, {runtime_column} FROM call_log {condition} ORDER BY id DESC {limit}) \
         ORDER BY id"
    );
    let query = |connection: &Connection| -> rusqlite::Result<Vec<CallRow>> {
        let mut statement = connection.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(params.iter()), |row| {
            Ok(CallRow {
                id: row.get(0)?,
                ts_unix_ms: row.get(1)?,
                direction: row.get(2)?,
                module: row.get(3)?,
                function: row.get(4)?,
                args_json: row.get(5)?,
                result_json: row.get(6)?,
                duration_us: row.get(7)?,
                error: row.get(8)?,
                runtime_id: row.get(9)?,
            })
        })?;
        rows.collect()
    };
    query(&connection).map_err(|e| Error::CallLog(e.to_string()))
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Per-function call counts, error counts and p50/p99/max durations, most
/// called first.
pub fn stats(path: impl AsRef<Path>, filter: &Filter) -> Result<Vec<FunctionStats>> {
    let rows = read(
        path,
        &Filter {
            tail: None,
            ..filter.clone()
        },
    )?;
    let mut groups: std::collections::BTreeMap<(String, String), (u64, Vec<i64>)> =
        Default::default();
    for row in rows {
        let entry = groups
            .entry((row.module.unwrap_or_default(), row.function))
            .or_default();
        if row.error.is_some() {
            entry.0 += 1;
        }
        entry.1.push(row.duration_us.unwrap_or(0));
    }
    let mut stats: Vec<FunctionStats> = groups
        .into_iter()
        .map(|((module, function), (errors, mut durations))| {
            durations.sort_unstable();
            FunctionStats {
                module,
                function,
                calls: durations.len() as u64,
                errors,
                p50_us: percentile(&durations, 0.50),
                p99_us: percentile(&durations, 0.99),
                max_us: durations.last().copied().unwrap_or(0),
            }
        })
        .collect();
    stats.sort_by(|a, b| {
        b.calls
            .cmp(&a.calls)
            .then_with(|| a.function.cmp(&b.function))
    });
    Ok(stats)
}
