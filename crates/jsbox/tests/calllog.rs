//! The call log: runtime-scoped, batched, lossless, inspectable.

use std::collections::HashSet;
use std::path::Path;

use jsbox::calllog::{self, Filter};
use jsbox::rquickjs::{Ctx, Function, Object};
use jsbox::{Error, Factory, NativeModule, Options};
use serde_json::{json, Value};

/// `echo.back(x)` returns x; `echo.fail()` throws.
struct Echo;

impl NativeModule for Echo {
    fn name(&self) -> &str {
        "echo"
    }
    fn doc(&self) -> &str {
        "back(x) returns x; fail() throws"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> jsbox::rquickjs::Result<()> {
        exports.set(
            "back",
            Function::new(ctx.clone(), |v: jsbox::rquickjs::Value<'js>| v)?,
        )?;
        exports.set(
            "fail",
            Function::new(
                ctx.clone(),
                |ctx: Ctx<'js>| -> jsbox::rquickjs::Result<()> {
                    Err(jsbox::rquickjs::Exception::throw_range(&ctx, "no way"))
                },
            )?,
        )
    }
}

fn rows(path: &Path) -> Vec<calllog::CallRow> {
    calllog::read(path, &Filter::default()).unwrap()
}

fn count(path: &Path) -> usize {
    if !path.exists() {
        return 0;
    }
    rows(path).len()
}

#[test]
fn only_runtimes_that_opt_in_use_the_process_default() {
    let dir = tempfile::tempdir().unwrap();
    let default_db = dir.path().join("default.db");
    calllog::configure(&default_db).unwrap();
    assert_eq!(calllog::default_path().unwrap(), default_db);

    // Default options: nothing is logged even though a default logger exists.
    let plain = Factory::new(Options::new().module(Echo)).unwrap();
    let rt = plain.new_runtime().unwrap();
    rt.eval::<()>("for (let i = 0; i < 10; i++) require('echo').back(i)")
        .unwrap();
    drop(rt);
    drop(plain);
    calllog::flush();
    assert_eq!(count(&default_db), 0);

    // Opting in logs to the default; creating runtimes did not change it.
    let opted = Factory::new(Options::new().module(Echo).call_log_default()).unwrap();
    let rt = opted.new_runtime().unwrap();
    rt.eval::<()>("require('echo').back('x')").unwrap();
    drop(rt);
    drop(opted);
    assert_eq!(count(&default_db), 1);
    assert_eq!(calllog::default_path().unwrap(), default_db);

    calllog::disable();
    assert!(calllog::default_path().is_none());
    let opted = Factory::new(Options::new().module(Echo).call_log_default()).unwrap();
    opted
        .new_runtime()
        .unwrap()
        .eval::<()>("require('echo').back(1)")
        .unwrap();
    drop(opted);
    assert_eq!(count(&default_db), 1, "no default, nothing logged");
}

#[test]
fn one_runtime_logs_and_another_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calls.db");
    let logging = Factory::new(Options::new().module(Echo).call_log(&db)).unwrap();
    let quiet = Factory::new(Options::new().module(Echo)).unwrap();
    let a = logging.new_runtime().unwrap();
    let b = quiet.new_runtime().unwrap();
    a.eval::<()>("require('echo').back(1); require('echo').back(2)")
        .unwrap();
    b.eval::<()>("require('echo').back(3)").unwrap();
    drop((a, b));
    logging.flush_call_log();
    let logged: Vec<_> = rows(&db)
        .into_iter()
        .map(|r| r.args_json.unwrap())
        .collect();
    assert_eq!(logged, ["[1]", "[2]"]);
    assert_eq!(logging.call_log_stats().unwrap().written, 2);
    assert!(quiet.call_log_stats().is_none());
}

#[test]
fn two_runtimes_log_to_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let (db_a, db_b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    let fa = Factory::new(Options::new().module(Echo).call_log(&db_a)).unwrap();
    let fb = Factory::new(Options::new().module(Echo).call_log(&db_b)).unwrap();
    fa.new_runtime()
        .unwrap()
        .eval::<()>("require('echo').back('a')")
        .unwrap();
    fb.new_runtime()
        .unwrap()
        .eval::<()>("require('echo').back('b'); require('echo').back('b')")
        .unwrap();
    drop((fa, fb));
    assert_eq!(
        rows(&db_a)
            .iter()
            .map(|r| r.args_json.clone().unwrap())
            .collect::<Vec<_>>(),
        ["[\"a\"]"]
    );
    assert_eq!(count(&db_b), 2);
}

#[test]
fn many_runtimes_share_one_file_with_distinct_ids() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let factory = Factory::new(Options::new().module(Echo).call_log(&db)).unwrap();
    let mut ids = HashSet::new();
    for i in 0..20 {
        let rt = factory.new_runtime().unwrap();
        rt.eval::<()>(&format!("require('echo').back({i})"))
            .unwrap();
        assert!(ids.insert(rt.id().to_string()));
    }
    drop(factory);
    let logged = rows(&db);
    assert_eq!(logged.len(), 20);
    let logged_ids: HashSet<_> = logged
        .iter()
        .map(|r| r.runtime_id.clone().unwrap())
        .collect();
    assert_eq!(logged_ids, ids);
}

#[test]
fn four_threads_of_ten_thousand_calls_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("busy.db");
    let factory = Factory::new(Options::new().module(Echo).call_log(&db)).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let factory = factory.clone();
            std::thread::spawn(move || {
                let rt = factory.new_runtime().unwrap();
                rt.eval::<()>(&format!("const {{ back }} = require('echo'); for (let i = 0; i < 10000; i++) back('{t}:' + i)"))
                    .unwrap();
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    drop(factory);
    let logged = rows(&db);
    assert_eq!(logged.len(), 40_000);
    let distinct: HashSet<_> = logged
        .iter()
        .map(|r| r.args_json.clone().unwrap())
        .collect();
    assert_eq!(distinct.len(), 40_000, "every call exactly once");
    for t in 0..4 {
        for i in [0, 4999, 9999] {
            assert!(distinct.contains(&format!("[\"{t}:{i}\"]")));
        }
    }
}

#[test]
fn rows_carry_errors_directions_and_encoded_values() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("values.db");
    let factory = Factory::new(
        Options::new()
            .module(Echo)
            .call_log(&db)
            .call_log_max_payload(200),
    )
    .unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>(
        "const echo = require('echo');
         echo.back([function f() {}, undefined, 12n, { nested: { deep: true } }, 1.5, null]);
         const cyclic = { name: 'c' }; cyclic.self = cyclic; echo.back(cyclic);
         echo.back('x'.repeat(1000));
         try { echo.fail() } catch (e) {}
         function handler(a, b) { return { sum: a + b }; }",
    )
    .unwrap();
    assert_eq!(
        rt.call::<_, Value>("handler", (2, 3)).unwrap(),
        json!({ "sum": 5 })
    );
    assert!(rt.call::<_, Value>("missing", ()).is_err());
    rt.flush_call_log();
    let logged = rows(&db);
    let args: Vec<Value> = logged
        .iter()
        .map(|r| serde_json::from_str(r.args_json.as_deref().unwrap()).unwrap())
        .collect();
    assert_eq!(
        args[0],
        json!([["<function>", null, "12", { "nested": { "deep": true } }, 1.5, null]])
    );
    assert_eq!(args[1], json!([{ "name": "c", "self": "[Circular]" }]));
    assert_eq!(args[2]["$truncated"], json!(true));
    assert_eq!(args[2]["bytes"], json!(1004));
    assert_eq!(logged[3].function, "fail");
    assert_eq!(logged[3].error.as_deref(), Some("RangeError: no way"));
    assert!(logged[3].result_json.is_none());
    assert_eq!(logged[0].direction, "js->native");
    assert_eq!(logged[0].module.as_deref(), Some("echo"));
    assert_eq!(logged[4].direction, "native->js");
    assert_eq!(logged[4].function, "handler");
    assert_eq!(logged[4].args_json.as_deref(), Some("[2,3]"));
    assert_eq!(logged[4].result_json.as_deref(), Some("{\"sum\":5}"));
    assert_eq!(
        logged.len(),
        5,
        "a call of a missing function is not logged"
    );
    assert!(logged
        .iter()
        .all(|r| r.runtime_id.as_deref() == Some(rt.id())));
}

#[test]
fn built_in_module_calls_are_logged_and_classes_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("builtin.db");
    let factory = Factory::new(Options::new().call_log(&db)).unwrap();
    let rt = factory.new_runtime().unwrap();
    let ok: bool = rt
        .eval(
            "const path = require('path'); path.join('a', 'b');
             const EventEmitter = require('events');
             class Mine extends EventEmitter {}
             const m = new Mine(); let got = 0; m.on('x', () => got++); m.emit('x');
             got === 1 && require('fs').existsSync('/')",
        )
        .unwrap();
    assert!(ok);
    drop(rt);
    drop(factory);
    let logged = rows(&db);
    let calls: Vec<_> = logged
        .iter()
        .map(|r| format!("{}.{}", r.module.as_deref().unwrap(), r.function))
        .collect();
    assert_eq!(calls, ["path.join", "fs.existsSync"]);
    assert_eq!(logged[0].result_json.as_deref(), Some("\"a/b\""));
}

#[test]
fn a_reference_database_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reference.db");
    {
        let connection = rusqlite::Connection::open(&db).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE call_log(id INTEGER PRIMARY KEY AUTOINCREMENT, ts_unix_ms INTEGER NOT NULL,
                   direction TEXT NOT NULL, module TEXT, function TEXT NOT NULL, args_json TEXT,
                   result_json TEXT, duration_ms INTEGER, error TEXT);
                 CREATE INDEX idx_call_log_ts ON call_log(ts_unix_ms);
                 INSERT INTO call_log (ts_unix_ms, direction, module, function, args_json, duration_ms)
                   VALUES (1700000000000, 'js->go', 'fs', 'readFileSync', '[\"/x\"]', 2);",
            )
            .unwrap();
    }
    let factory = Factory::new(Options::new().module(Echo).call_log(&db)).unwrap();
    factory
        .new_runtime()
        .unwrap()
        .eval::<()>("require('echo').back(7)")
        .unwrap();
    drop(factory);
    let logged = rows(&db);
    assert_eq!(logged.len(), 2);
    assert_eq!(
        (
            logged[0].direction.as_str(),
            logged[0].duration_us,
            logged[0].runtime_id.clone()
        ),
        ("js->go", Some(2000), None)
    );
    assert_eq!(logged[1].args_json.as_deref(), Some("[7]"));
    assert!(logged[1].runtime_id.is_some());
    let mode: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn bad_call_log_paths_fail_at_factory_build() {
    let dir = tempfile::tempdir().unwrap();
    let not_sqlite = dir.path().join("notes.txt");
    std::fs::write(
        &not_sqlite,
        "this is not a database, just some text that is long enough",
    )
    .unwrap();
    let err = Factory::new(Options::new().call_log(&not_sqlite)).unwrap_err();
    assert!(matches!(err, Error::CallLog(_)), "{err:?}");
    let err =
        Factory::new(Options::new().call_log(dir.path().join("no/such/dir/x.db"))).unwrap_err();
    assert!(
        matches!(err, Error::CallLog(ref m) if m.contains("no/such/dir")),
        "{err:?}"
    );
}

#[test]
fn stats_summarise_calls_per_function() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stats.db");
    let factory = Factory::new(Options::new().module(Echo).call_log(&db)).unwrap();
    factory
        .new_runtime()
        .unwrap()
        .eval::<()>("const e = require('echo'); for (let i = 0; i < 5; i++) e.back(i); try { e.fail() } catch {}")
        .unwrap();
    drop(factory);
    let stats = calllog::stats(&db, &Filter::default()).unwrap();
    assert_eq!(stats.len(), 2);
    assert_eq!(
        (stats[0].function.as_str(), stats[0].calls, stats[0].errors),
        ("back", 5, 0)
    );
    assert_eq!(
        (stats[1].function.as_str(), stats[1].calls, stats[1].errors),
        ("fail", 1, 1)
    );
    assert!(stats[0].p50_us <= stats[0].p99_us && stats[0].p99_us <= stats[0].max_us);
    let only_errors = calllog::read(
        &db,
        &Filter {
            errors_only: true,
            ..Filter::default()
        },
    )
    .unwrap();
    assert_eq!(only_errors.len(), 1);
    let tail = calllog::read(
        &db,
        &Filter {
            tail: Some(2),
            ..Filter::default()
        },
    )
    .unwrap();
    assert_eq!(tail.iter().map(|r| r.id).collect::<Vec<_>>(), [5, 6]);
}

#[test]
fn a_write_failure_is_counted_and_never_breaks_the_script() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fragile.db");
    let factory = Factory::new(Options::new().module(Echo).call_log(&db)).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>("require('echo').back(1)").unwrap();
    rt.flush_call_log();
    // Another process breaks the database under the writer.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TABLE call_log")
        .unwrap();
    let seen: i64 = rt
        .eval("let s = 0; for (let i = 0; i < 300; i++) s += require('echo').back(1); s")
        .unwrap();
    assert_eq!(seen, 300, "the script is unaffected");
    rt.flush_call_log();
    let stats = rt.call_log_stats().unwrap();
    assert_eq!(stats.written, 1);
    assert_eq!(stats.failed, 300);
}
