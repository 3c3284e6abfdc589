//! `jsbox calllog FILE`: the newest rows of a call log as a table (or JSON), or
//! per-function statistics.

use std::path::PathBuf;

use jsbox::calllog::{self, CallRow, Filter, FunctionStats};

/// Arguments of `jsbox calllog`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The call-log database.
    file: PathBuf,
    /// How many of the newest rows to show.
    #[arg(long, default_value_t = 20)]
    tail: usize,
    /// Only calls of this module.
    #[arg(long)]
    module: Option<String>,
    /// Only calls of this function.
    #[arg(long)]
    function: Option<String>,
    /// Only calls of this runtime id.
    #[arg(long)]
    runtime: Option<String>,
    /// Only this direction (js->native or native->js).
    #[arg(long)]
    direction: Option<String>,
    /// Only calls that threw.
    #[arg(long)]
    errors: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Print per-function counts, error counts and p50/p99/max durations.
    #[arg(long)]
    stats: bool,
}

/// Cuts `text` to `width` characters, marking the cut.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let kept: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// `HH:MM:SS.mmm` (UTC) of a Unix timestamp in milliseconds.
fn clock(ts_unix_ms: i64) -> String {
    let ms = ts_unix_ms.rem_euclid(86_400_000);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

fn print_rows(rows: &[CallRow]) {
    println!(
        "{:>6}  {:<13}  {:<10}  {:<24}  {:>9}  {:<12}  {:<30}  result / error",
        "id", "time (UTC)", "direction", "call", "µs", "runtime", "args"
    );
    for row in rows {
        let call = match &row.module {
            Some(module) => format!("{module}.{}", row.function),
            None => row.function.clone(),
        };
        let outcome = match &row.error {
            Some(error) => format!("! {error}"),
            None => row.result_json.clone().unwrap_or_default(),
        };
        println!(
            "{:>6}  {:<13}  {:<10}  {:<24}  {:>9}  {:<12}  {:<30}  {}",
            row.id,
            clock(row.ts_unix_ms),
            row.direction,
            clip(&call, 24),
            row.duration_us.map_or(String::from("-"), |d| d.to_string()),
            clip(row.runtime_id.as_deref().unwrap_or("-"), 12),
            clip(row.args_json.as_deref().unwrap_or(""), 30),
            clip(&outcome, 60),
        );
    }
}

fn print_stats(stats: &[FunctionStats]) {
    println!(
        "{:<32}  {:>8}  {:>7}  {:>9}  {:>9}  {:>9}",
        "call", "calls", "errors", "p50 µs", "p99 µs", "max µs"
    );
    for s in stats {
        let call = if s.module.is_empty() {
            s.function.clone()
        } else {
            format!("{}.{}", s.module, s.function)
        };
        println!(
            "{:<32}  {:>8}  {:>7}  {:>9}  {:>9}  {:>9}",
            clip(&call, 32),
            s.calls,
            s.errors,
            s.p50_us,
            s.p99_us,
            s.max_us
        );
    }
}

/// A row for `--json`: arguments and result as JSON values (the database
/// keeps them as JSON text), so a reader needs no second parse.
fn row_json(row: &CallRow) -> serde_json::Value {
    // Rows written by other tools may hold text that is not JSON: kept as a string.
    let value = |text: &Option<String>| match text {
        None => serde_json::Value::Null,
        Some(text) => {
            serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.clone()))
        }
    };
    serde_json::json!({
        "id": row.id,
        "ts_unix_ms": row.ts_unix_ms,
        "direction": row.direction,
        "module": row.module,
        "function": row.function,
        "args": value(&row.args_json),
        "result": value(&row.result_json),
        "error": row.error,
        "duration_us": row.duration_us,
        "runtime_id": row.runtime_id,
    })
}

/// Runs the command.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let filter = Filter {
        tail: Some(args.tail),
        module: args.module.clone(),
        function: args.function.clone(),
        runtime: args.runtime.clone(),
        direction: args.direction.clone(),
        errors_only: args.errors,
    };
    if args.stats {
        let stats = calllog::stats(&args.file, &filter)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&stats)?);
        } else {
            print_stats(&stats);
        }
    } else {
        let rows = calllog::read(&args.file, &filter)?;
        if args.json {
            let rows: Vec<serde_json::Value> = rows.iter().map(row_json).collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        } else {
            print_rows(&rows);
        }
    }
    Ok(())
}
