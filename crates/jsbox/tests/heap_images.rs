//! Heap-image runtimes: isolation between runtimes restored into one slot, no
//! residue, per-runtime randomness, clean hand-back of Rust state, limits,
//! preload, and the fallback to the normal path.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jsbox::rquickjs::{self, Ctx, Function, Object};
use jsbox::{Error, Factory, HeapImages, Limits, NativeModule, Options};

fn images(slots: usize) -> Options {
    Options::new().heap_images(HeapImages::new().max_slots(slots))
}

#[test]
fn a_runtime_from_an_image_runs_scripts_and_requires() {
    let factory = Factory::new(images(2)).unwrap();
    let rt = factory.new_runtime().unwrap();
    assert_eq!(rt.eval::<i64>("6 * 7").unwrap(), 42);
    assert_eq!(
        rt.eval::<String>("require('path').join('a', 'b')").unwrap(),
        "a/b"
    );
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!(stats.slots, 1);
    assert_eq!(stats.idle, 0);
    drop(rt);
    assert_eq!(factory.heap_image_stats().unwrap().idle, 1);
}

#[test]
fn globals_and_prototypes_changed_by_one_runtime_are_gone_in_the_next() {
    // One slot: every runtime is restored into the same memory.
    let factory = Factory::new(images(1)).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>(
        "globalThis.leak = 1; Array.prototype.leak2 = 2; Object.prototype.leak3 = 3; \
         Math.max = () => -1; JSON.stringify = null; console.count('c'); \
         process.env.LEAK = 'yes'; require('path').leak4 = 4; \
         require.cache['/x.js'] = { exports: 5 };",
    )
    .unwrap();
    drop(rt);
    let rt = factory.new_runtime().unwrap();
    let clean: bool = rt
        .eval(
            "typeof leak === 'undefined' && [].leak2 === undefined && ({}).leak3 === undefined \
             && Math.max(1, 2) === 2 && typeof JSON.stringify === 'function' \
             && process.env.LEAK === undefined && require('path').leak4 === undefined \
             && require.cache['/x.js'] === undefined",
        )
        .unwrap();
    assert!(clean);
    assert_eq!(factory.heap_image_stats().unwrap().slots, 1);
}

/// The image holds only the core built-ins; the others are added on first
/// use by each runtime, and what one runtime added is gone in the next.
#[test]
fn built_ins_a_runtime_added_are_not_in_the_next_one_restored() {
    let factory = Factory::new(images(1)).unwrap();
    let lazy = "['Date', 'Map', 'Uint8Array', 'WeakRef', 'performance', 'DOMException', 'atob']\
                .filter((n) => typeof Object.getOwnPropertyDescriptor(globalThis, n).get === 'function')";
    for _ in 0..3 {
        let rt = factory.new_runtime().unwrap();
        assert_eq!(
            rt.eval::<Vec<String>>(lazy).unwrap().len(),
            7,
            "every group is left for first use"
        );
        let used: String = rt
            .eval(
                "const m = new Map([[1, new Uint8Array([7])]]);                  [m.get(1)[0], typeof new Date(0).getTime(), typeof performance.now(), atob('aGk=')].join()",
            )
            .unwrap();
        assert_eq!(used, "7,number,number,hi");
        assert_eq!(
            rt.eval::<Vec<String>>(lazy).unwrap(),
            ["WeakRef"],
            "used groups became plain globals"
        );
        // A BLOB needs typed arrays, which `database` adds itself.
        let rt = factory.new_runtime().unwrap();
        let blob: String = rt
            .eval(
                "const db = require('database'); db.configure('sqlite3', ':memory:');                  const row = db.query(\"select x'cafe' as b, 1 as n\")[0];                  [Buffer.isBuffer(row.b), row.b.toString('hex'), row.n].join()",
            )
            .unwrap();
        assert_eq!(blob, "true,cafe,1");
    }
    assert_eq!(
        factory.heap_image_stats().unwrap().built,
        1,
        "no slot was torn down"
    );
}

#[test]
fn math_random_differs_between_runtimes_of_one_image() {
    let factory = Factory::new(images(1)).unwrap();
    let mut firsts = Vec::new();
    for _ in 0..8 {
        let rt = factory.new_runtime().unwrap();
        let values: Vec<f64> = rt
            .eval("[Math.random(), Math.random(), Math.random()]")
            .unwrap();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)), "{values:?}");
        assert!(values[0] != values[1] && values[1] != values[2]);
        firsts.push(values[0]);
        assert!(rt
            .eval::<bool>("Math.random.name === 'random' && Math.random.length === 0")
            .unwrap());
    }
    let mut distinct = firsts.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    assert_eq!(distinct.len(), firsts.len(), "{firsts:?}");
}

#[test]
fn a_runtime_on_another_thread_and_many_threads_at_once() {
    let factory = Factory::new(images(2)).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>("globalThis.made = 'here'").unwrap();
    let rt = std::thread::spawn(move || {
        // A deep recursion checks the stack limit follows the new thread.
        assert_eq!(
            rt.eval::<i64>("function d(n) { return n ? d(n - 1) + 1 : 0 } d(200)")
                .unwrap(),
            200
        );
        assert_eq!(rt.eval::<String>("made").unwrap(), "here");
        rt
    })
    .join()
    .unwrap();
    drop(rt);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let factory = factory.clone();
            std::thread::spawn(move || {
                for i in 0..100 {
                    let rt = factory.new_runtime().unwrap();
                    let seen: bool = rt.eval("typeof mine === 'undefined'").unwrap();
                    assert!(seen, "a global of an earlier runtime was visible");
                    let mine = t * 1000 + i;
                    rt.eval::<()>(&format!("globalThis.mine = {mine}")).unwrap();
                    assert_eq!(rt.eval::<i64>("mine").unwrap(), mine);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let stats = factory.heap_image_stats().unwrap();
    assert!(stats.slots <= 2 && stats.idle == stats.slots, "{stats:?}");
}

#[test]
fn beyond_the_last_slot_runtimes_are_made_the_normal_way() {
    let factory = Factory::new(images(1)).unwrap();
    let first = factory.new_runtime().unwrap();
    let second = factory.new_runtime().unwrap();
    first.eval::<()>("globalThis.who = 'first'").unwrap();
    second.eval::<()>("globalThis.who = 'second'").unwrap();
    assert_eq!(first.eval::<String>("who").unwrap(), "first");
    assert_eq!(second.eval::<String>("who").unwrap(), "second");
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!((stats.slots, stats.idle), (1, 0));
    drop(first);
    drop(second);
    assert_eq!(factory.heap_image_stats().unwrap().idle, 1);
}

/// Counts the Rust state made and released by [`Tracked`] runtimes.
static MADE: AtomicUsize = AtomicUsize::new(0);
static RELEASED: AtomicUsize = AtomicUsize::new(0);

struct Tracker;

impl Drop for Tracker {
    fn drop(&mut self) {
        RELEASED.fetch_add(1, Ordering::SeqCst);
    }
}

/// A native module whose per-runtime state is a [`Tracker`] its function holds.
struct Tracked;

impl NativeModule for Tracked {
    fn name(&self) -> &str {
        "tracked"
    }
    fn doc(&self) -> &str {
        "count(): calls so far in this runtime"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> rquickjs::Result<()> {
        MADE.fetch_add(1, Ordering::SeqCst);
        let tracker = Arc::new(Tracker);
        let calls = Arc::new(AtomicUsize::new(0));
        exports.set(
            "count",
            Function::new(ctx.clone(), move || {
                let _keep = &tracker;
                calls.fetch_add(1, Ordering::SeqCst) + 1
            })?,
        )
    }
}

#[test]
fn rust_state_of_native_modules_is_released_and_not_shared() {
    let factory = Factory::new(images(2).module(Tracked)).unwrap();
    for _ in 0..50 {
        let rt = factory.new_runtime().unwrap();
        // Fresh state in every runtime: the count starts over.
        assert_eq!(
            rt.eval::<i64>("const t = require('tracked'); t.count(); t.count()")
                .unwrap(),
            2
        );
        drop(rt);
        // A runtime that ran no native code hands its slot back restored.
        let plain = factory.new_runtime().unwrap();
        assert_eq!(plain.eval::<i64>("1 + 1").unwrap(), 2);
    }
    assert_eq!(MADE.load(Ordering::SeqCst), 50);
    assert_eq!(RELEASED.load(Ordering::SeqCst), 50);
    let stats = factory.heap_image_stats().unwrap();
    assert!(stats.slots <= 2, "{stats:?}");
}

#[test]
fn a_database_connection_is_closed_with_its_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let factory = Factory::new(images(1)).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>(&format!(
        "const db = require('database'); db.configure('sqlite3', {:?}); \
         db.exec('create table t(x)'); db.exec('begin exclusive'); db.exec('insert into t values (1)')",
        db.to_string_lossy()
    ))
    .unwrap();
    // The open transaction holds the file's lock until the connection closes.
    drop(rt);
    let check = rusqlite::Connection::open(&db).unwrap();
    let rows: i64 = check
        .query_row("select count(*) from t", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 0, "the uncommitted insert was rolled back on close");
    check.execute("insert into t values (2)", []).unwrap();
    // The connection lived in the runtime's Rust-side state: the slot was
    // restored, not torn down, and the next runtime starts without it.
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!((stats.slots, stats.built), (1, 1), "{stats:?}");
    let rt = factory.new_runtime().unwrap();
    assert_eq!(
        rt.eval::<i64>("typeof db === 'undefined' ? 1 : 0").unwrap(),
        1
    );
    let err = rt
        .eval::<()>("require('database').query('select 1')")
        .unwrap_err();
    assert!(err.to_string().contains("not configured"), "{err}");
}

#[test]
fn database_runtimes_stay_on_the_restore_path_and_apart() {
    let factory = Factory::new(images(1)).unwrap();
    for i in 0..20 {
        let rt = factory.new_runtime().unwrap();
        let seen: String = rt
            .eval(&format!(
                "const db = require('database'); db.configure('sqlite3', ':memory:'); \
                 db.exec('create table t(x)'); db.exec('insert into t values (?)', [{i}]); \
                 JSON.stringify(db.query('select x from t'))"
            ))
            .unwrap();
        assert_eq!(seen, format!("[{{\"x\":{i}}}]"));
    }
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!((stats.slots, stats.built), (1, 1), "{stats:?}");
}

#[test]
fn database_rows_are_built_without_running_script_setters() {
    for factory in [
        Factory::new(images(1)).unwrap(),
        Factory::new(Options::new()).unwrap(),
    ] {
        let rt = factory.new_runtime().unwrap();
        let out: String = rt
            .eval(
                "const db = require('database'); db.configure('sqlite3', ':memory:'); \
                 let calls = 0; \
                 for (const name of ['x', '0', 'success', 'rowsAffected']) \
                   Object.defineProperty(Object.prototype, name, { set() { calls++; db.close(); }, configurable: true }); \
                 Object.defineProperty(Array.prototype, '0', { set() { calls++; db.close(); }, configurable: true }); \
                 const rows = db.query('select 1 as x'); const r = db.exec('select 1'); \
                 JSON.stringify([calls, rows.length, Object.getOwnPropertyDescriptor(rows, '0').value.x, r.success])",
            )
            .unwrap();
        assert_eq!(out, "[0,1,1,true]");
    }
}

#[test]
fn a_preload_cannot_configure_a_database_into_an_image() {
    let err =
        Factory::new(images(1).preload("require('database').configure('sqlite3', ':memory:')"))
            .expect_err("the image build fails");
    assert!(
        err.to_string().contains("ERR_JSBOX_HEAP_IMAGE") || err.to_string().contains("heap image"),
        "{err}"
    );
}

#[test]
fn the_slot_capacity_is_the_heap_limit() {
    let factory = Factory::new(images(1).memory_limit(16 << 20)).unwrap();
    let rt = factory.new_runtime().unwrap();
    let err = rt
        .eval::<()>("const keep = []; for (;;) keep.push(new Array(10000).fill(1.5))")
        .unwrap_err();
    assert!(err.to_string().contains("out of memory"), "{err}");
    drop(rt);
    let rt = factory.new_runtime().unwrap();
    assert_eq!(rt.eval::<i64>("[1, 2, 3].length").unwrap(), 3);
    // A lower limit for one runtime, on the same slot.
    let small = factory
        .new_runtime_with(Limits::none().memory(2 << 20))
        .unwrap();
    let err = small
        .eval::<()>("const keep = []; for (;;) keep.push(new Array(10000).fill(1.5))")
        .unwrap_err();
    assert!(err.to_string().contains("out of memory"), "{err}");
}

#[test]
fn what_a_runtime_may_allocate_does_not_depend_on_what_it_freed_before() {
    // One buffer at a time, one MiB larger each time, under a 40 MiB limit:
    // freed blocks merge back, on the image path as on the normal one (an
    // allocator with power-of-two classes that never merge ran out here).
    let script = "let total = 0; \
                  for (let round = 0; round < 3; round++) \
                    for (let mib = 1; mib <= 24; mib++) { \
                      let b = new Uint8Array(mib << 20); b[b.length - 1] = 1; total += b.length; b = null; \
                    } \
                  total";
    for options in [images(1), Options::new().without_heap_images()] {
        let rt = Factory::new(options.memory_limit(40 << 20))
            .unwrap()
            .new_runtime()
            .unwrap();
        assert_eq!(rt.eval::<i64>(script).unwrap(), (3 * 300) << 20);
    }
}

#[test]
fn a_heap_limit_below_the_image_is_a_clear_error() {
    let err = Factory::new(images(1).memory_limit(64 << 10)).unwrap_err();
    assert!(matches!(err, Error::InvalidOptions(_)), "{err:?}");
    assert!(err.to_string().contains("heap image"), "{err}");
    // A slot too small for the image itself.
    let err =
        Factory::new(Options::new().heap_images(HeapImages::new().capacity(64 << 10))).unwrap_err();
    assert!(matches!(err, Error::InvalidOptions(_)), "{err:?}");
    assert!(err.to_string().contains("HeapImages::capacity"), "{err}");
}

#[test]
fn limits_of_one_runtime_do_not_stay_with_its_slot() {
    let factory = Factory::new(images(1)).unwrap();
    let timed = factory
        .new_runtime_with(Limits::none().call_timeout(Duration::from_millis(50)))
        .unwrap();
    assert!(matches!(
        timed.eval::<()>("while (true) {}"),
        Err(Error::Timeout(_))
    ));
    drop(timed);
    let untimed = factory.new_runtime().unwrap();
    let spin = "const end = Date.now() + 150; while (Date.now() < end) {} 'done'";
    assert_eq!(untimed.eval::<String>(spin).unwrap(), "done");
    drop(untimed);
    let shallow = factory
        .new_runtime_with(Limits::none().stack(48 << 10))
        .unwrap();
    let depth = "let m = 0; function d(n) { m = n; d(n + 1) } try { d(0) } catch (e) {} m";
    let shallow_depth: i64 = shallow.eval(depth).unwrap();
    drop(shallow);
    let deep = factory.new_runtime().unwrap();
    assert!(deep.eval::<i64>(depth).unwrap() > shallow_depth * 2);
}

const BUNDLE: &str = "var lib = { add: function (a, b) { return a + b; }, made: Date.now() }; \
                      globalThis.hits = 0; globalThis.settled = []; \
                      process.nextTick(() => settled.push('tick')); \
                      Promise.resolve().then(() => settled.push('job'));";

#[test]
fn preload_runs_before_every_runtime_on_both_paths() {
    for options in [images(1), Options::new().without_heap_images()] {
        let factory = Factory::new(options.preload(BUNDLE)).unwrap();
        for _ in 0..3 {
            let rt = factory.new_runtime().unwrap();
            assert_eq!(rt.eval::<i64>("hits++; lib.add(40, 2)").unwrap(), 42);
            assert_eq!(rt.eval::<i64>("hits").unwrap(), 1);
            assert_eq!(rt.eval::<String>("settled.join()").unwrap(), "tick,job");
        }
    }
}

#[test]
fn preload_errors_are_reported_by_the_factory() {
    let syntax = Factory::new(images(1).preload("var = ;")).unwrap_err();
    assert!(
        matches!(&syntax, Error::Exception(e) if e.name == "SyntaxError"),
        "{syntax:?}"
    );
    let thrown = Factory::new(images(1).preload("throw new TypeError('bad bundle')")).unwrap_err();
    assert!(thrown.to_string().contains("bad bundle"), "{thrown}");
    let native = Factory::new(images(1).module(Counter).preload("require('counter')")).unwrap_err();
    assert!(native.to_string().contains("heap image"), "{native}");
    // Without images a throwing preload fails each runtime instead.
    let factory = Factory::new(Options::new().without_heap_images().preload("throw 1")).unwrap();
    assert!(factory.new_runtime().is_err());
}

/// A native module with a closure, like [`Tracked`] but counted nowhere: the
/// tests run in parallel, and [`Tracked`]'s counters belong to one test.
struct Counter;

impl NativeModule for Counter {
    fn name(&self) -> &str {
        "counter"
    }
    fn doc(&self) -> &str {
        "count(): calls so far in this runtime"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> rquickjs::Result<()> {
        let calls = Arc::new(AtomicUsize::new(0));
        exports.set(
            "count",
            Function::new(ctx.clone(), move || {
                calls.fetch_add(1, Ordering::SeqCst) + 1
            })?,
        )
    }
}

#[test]
fn when_most_runtimes_run_native_code_the_pool_stops_rebuilding_slots() {
    let factory = Factory::new(images(2).module(Counter)).unwrap();
    for _ in 0..64 {
        let rt = factory.new_runtime().unwrap();
        assert_eq!(rt.eval::<i64>("require('counter').count()").unwrap(), 1);
    }
    // Without the switch every one of the 64 runtimes would build a slot.
    let built = factory.heap_image_stats().unwrap().built;
    assert!(
        built < 16,
        "{built} slots built for 64 native-code runtimes"
    );
    // Runtimes that run only JS bring the slots back.
    for _ in 0..200 {
        let rt = factory.new_runtime().unwrap();
        assert_eq!(rt.eval::<i64>("1 + 1").unwrap(), 2);
    }
    let stats = factory.heap_image_stats().unwrap();
    assert!(stats.idle >= 1, "{stats:?}");
}

#[test]
fn timing_begins_when_the_runtime_is_made_not_when_its_image_was() {
    for options in [images(1), Options::new().without_heap_images()] {
        let factory = Factory::new(options).unwrap();
        drop(factory.new_runtime().unwrap());
        std::thread::sleep(Duration::from_millis(300));
        let rt = factory.new_runtime().unwrap();
        let out: String = rt
            .eval(
                "const now = performance.now(); \
                 JSON.stringify([now >= 0 && now < 250, Math.abs(performance.timeOrigin + now - Date.now()) < 50])",
            )
            .unwrap();
        assert_eq!(out, "[true,true]");
    }
}

#[test]
fn required_modules_are_loaded_once_per_slot_into_the_image() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("counted.js"),
        "globalThis.loads = (globalThis.loads || 0) + 1; exports.version = 1;",
    )
    .unwrap();
    let plain = Factory::new(images(1).base_dir(dir.path())).unwrap();
    let factory = Factory::new(
        Options::new().base_dir(dir.path()).heap_images(
            HeapImages::new()
                .max_slots(1)
                .required_modules(["database", "path", "./counted.js"]),
        ),
    )
    .unwrap();
    // The file was read when the image was built: a later edit is not seen
    // by runtimes of that slot, and no runtime loads it again.
    std::fs::write(
        dir.path().join("counted.js"),
        "globalThis.loads = 100; exports.version = 2;",
    )
    .unwrap();
    for _ in 0..3 {
        let rt = factory.new_runtime().unwrap();
        assert_eq!(rt.eval::<i64>("globalThis.loads").unwrap(), 1);
        assert_eq!(
            rt.eval::<i64>("require('./counted.js').version + globalThis.loads")
                .unwrap(),
            2
        );
        assert_eq!(
            rt.eval::<String>("require('path').join('a', 'b')").unwrap(),
            "a/b"
        );
        assert_eq!(
            rt.eval::<i64>(
                "const db = require('database'); db.configure('sqlite3', ':memory:'); \
                 db.query('select 41 + 1 as n')[0].n"
            )
            .unwrap(),
            42
        );
    }
    let with = factory.heap_image_stats().unwrap();
    let without = plain.heap_image_stats().unwrap();
    assert!(
        with.image_bytes > without.image_bytes,
        "{with:?} {without:?}"
    );
    assert_eq!((with.slots, with.built), (1, 1), "{with:?}");
}

#[test]
fn a_required_module_changed_by_one_runtime_is_pristine_in_the_next() {
    let factory = Factory::new(
        Options::new().heap_images(
            HeapImages::new()
                .max_slots(1)
                .required_modules(["database"]),
        ),
    )
    .unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>(
        "const db = require('database'); db.configure('sqlite3', ':memory:'); \
         db.exec('create table secret(x)'); db.exec(\"insert into secret values ('s3cr3t')\"); \
         db.query = () => [{ x: 'forged' }]; db.extra = 1;",
    )
    .unwrap();
    drop(rt);
    let rt = factory.new_runtime().unwrap();
    assert_eq!(
        rt.eval::<String>(
            "const db = require('database'); \
             typeof db.extra + ' ' + Object.keys(db).sort().join()"
        )
        .unwrap(),
        "undefined close,configure,exec,query"
    );
    let err = rt
        .eval::<()>("require('database').query('select x from secret')")
        .unwrap_err();
    assert!(err.to_string().contains("not configured"), "{err}");
    rt.eval::<()>("require('database').configure('sqlite3', ':memory:')")
        .unwrap();
    let err = rt
        .eval::<()>("require('database').query('select x from secret')")
        .unwrap_err();
    assert!(err.to_string().contains("no such table"), "{err}");
}

#[test]
fn the_functions_of_modules_in_the_image_outlive_what_a_runtime_drops() {
    // A runtime deletes every reference it can reach to a module's functions
    // (the exports are the only holders of the module's native binding) and
    // makes garbage until the engine collects: the native functions the
    // image holds must still work in the next runtime of the slot.
    const DROP_ALL: &str = "for (const name of ['database', 'fs']) { \
           const m = require(name); \
           for (const key of Object.keys(m)) { \
             const v = m[key]; \
             if (v && typeof v === 'object') for (const k of Object.keys(v)) delete v[k]; \
             delete m[key]; } } \
         delete globalThis.require; \
         for (let i = 0; i < 2000; i++) new Array(1000).fill({});";
    const USE: &str = "const db = require('database'); db.configure('sqlite3', ':memory:'); \
         db.query('select 6 * 7 as n')[0].n + (require('fs').existsSync('/') ? 0 : 1)";
    let slot = || HeapImages::new().max_slots(1);
    for options in [
        Options::new().heap_images(slot().required_modules(["database", "fs"])),
        Options::new()
            .heap_images(slot())
            .preload("require('database'); require('fs')"),
    ] {
        let factory = Factory::new(options).unwrap();
        for _ in 0..3 {
            let rt = factory.new_runtime().unwrap();
            rt.eval::<()>(DROP_ALL).unwrap();
            drop(rt);
            let rt = factory.new_runtime().unwrap();
            assert_eq!(rt.eval::<i64>(USE).unwrap(), 42);
        }
    }
}

#[test]
fn required_modules_that_cannot_load_fail_the_factory() {
    let required = |names: &[&str]| HeapImages::new().required_modules(names.iter().copied());
    let missing = Factory::new(Options::new().heap_images(required(&["no-such-module"])))
        .expect_err("a missing module fails the build");
    assert!(
        matches!(&missing, Error::ModuleNotFound { specifier, .. } if specifier == "no-such-module"),
        "{missing:?}"
    );
    let denied = Factory::new(
        Options::new()
            .deny_modules(["database"])
            .heap_images(required(&["database"])),
    )
    .expect_err("a denied module fails the build");
    assert!(matches!(&denied, Error::AccessDenied(_)), "{denied:?}");
    let native = Factory::new(
        Options::new()
            .module(Counter)
            .heap_images(required(&["counter"])),
    )
    .expect_err("a native module's state cannot be in an image");
    assert!(native.to_string().contains("heap image"), "{native}");
}

#[test]
fn calls_of_required_modules_are_logged_when_the_factory_logs() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls.db");
    let factory = Factory::new(
        Options::new()
            .call_log(&log)
            .heap_images(HeapImages::new().max_slots(1).required_modules(["path"])),
    )
    .unwrap();
    for _ in 0..2 {
        let rt = factory.new_runtime().unwrap();
        assert_eq!(
            rt.eval::<String>("require('path').join('a', 'b')").unwrap(),
            "a/b"
        );
    }
    drop(factory);
    let rows = jsbox::calllog::read(&log, &jsbox::calllog::Filter::default()).unwrap();
    let calls: Vec<_> = rows
        .iter()
        .map(|r| format!("{}.{}", r.module.as_deref().unwrap_or("?"), r.function))
        .collect();
    assert_eq!(calls, ["path.join", "path.join"]);
}

#[test]
fn bytes_a_preload_got_from_a_module_are_in_the_image_not_shared_with_the_host() {
    // A digest and a child's output made by the preload: their bytes must be
    // in the image, so each runtime restores its own copy, and freeing them
    // in one runtime frees nothing the next one still uses.
    let factory = Factory::new(images(1).preload(
        "globalThis.h = require('crypto').createHash('sha256').update('k').digest(); \
         globalThis.o = require('child_process').execFileSync('/bin/echo', ['hello']); \
         globalThis.p = require('crypto').pbkdf2Sync('p', 's', 1, 16, 'sha256');",
    ))
    .unwrap();
    let first: String = factory
        .new_runtime()
        .unwrap()
        .eval("[h[0], o.toString(), p[0]].join()")
        .unwrap();
    for _ in 0..4 {
        let rt = factory.new_runtime().unwrap();
        assert_eq!(
            rt.eval::<String>("[h[0], o.toString(), p[0]].join()")
                .unwrap(),
            first
        );
        rt.eval::<()>(
            "h.fill(0x41); o.fill(0x42); p.fill(0x43); delete globalThis.h; delete globalThis.o; \
             delete globalThis.p; for (let i = 0; i < 2000; i++) new Array(1000).fill({});",
        )
        .unwrap();
    }
}

#[test]
fn what_a_child_printed_counts_against_the_heap_limit() {
    // 48 outputs of 512 KiB: half again the limit. Their bytes are in the
    // engine heap, where the limit counts them (each alone fits).
    for options in [images(1), Options::new().without_heap_images()] {
        let factory = Factory::new(options.memory_limit(16 << 20)).unwrap();
        let rt = factory.new_runtime().unwrap();
        let read = "require('child_process').execFileSync('head', ['-c', '524288', '/dev/zero'])";
        let outcome = rt.eval::<i64>(&format!(
            "const keep = []; for (let i = 0; i < 48; i++) keep.push({read}); keep.length"
        ));
        assert!(outcome.is_err(), "{outcome:?}");
        drop(rt);
        let rt = factory.new_runtime().unwrap();
        assert_eq!(rt.eval::<i64>(&format!("{read}.length")).unwrap(), 524_288);
    }
}

#[test]
fn a_build_that_outlives_its_time_limit_between_two_jobs_fails_cleanly() {
    // The deadline passes inside a promise job, which the engine cannot
    // interrupt (the time goes in Rust); the job queue then ends normally and
    // the build must still fail with the timeout, releasing what it made.
    let err = Factory::new(images(1).timeout(Duration::from_millis(20)).preload(
        "Promise.resolve().then(() => { \
                   require('crypto').pbkdf2Sync('p', 's', 100000, 32, 'sha256'); })",
    ))
    .expect_err("the build times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[test]
fn a_slot_build_that_fails_later_makes_the_runtime_the_normal_way() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("x.js");
    std::fs::write(&module, "exports.version = 1;").unwrap();
    let factory = Factory::new(
        Options::new()
            .base_dir(dir.path())
            .heap_images(HeapImages::new().max_slots(2).required_modules(["./x.js"])),
    )
    .unwrap();
    let first = factory.new_runtime().unwrap();
    // The second slot's build reads the edited file, and fails.
    std::fs::write(&module, "throw new Error('broken');").unwrap();
    let second = factory.new_runtime().expect("made the normal way");
    assert_eq!(second.eval::<i64>("6 * 7").unwrap(), 42);
    let err = second.eval::<()>("require('./x.js')").unwrap_err();
    assert!(err.to_string().contains("broken"), "{err}");
    assert_eq!(first.eval::<i64>("require('./x.js').version").unwrap(), 1);
    assert_eq!(factory.heap_image_stats().unwrap().slots, 1);
}

#[test]
fn es_modules_in_the_image_are_known_to_every_runtime() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.mjs"),
        "globalThis.evaluated = (globalThis.evaluated || 0) + 1; export const n = 42;",
    )
    .unwrap();
    // Required again after its cache entry is deleted: the runtime must know
    // the module record the image holds, as a normal runtime knows its own.
    let check =
        "const n = require('./m.mjs').n; delete require.cache[require.resolve('./m.mjs')]; \
         let again; try { again = require('./m.mjs').n; } catch (e) { again = e.code; } \
         JSON.stringify([n, again, globalThis.evaluated])";
    let mut outputs = Vec::new();
    let normal = Factory::new(Options::new().base_dir(dir.path()).without_heap_images()).unwrap();
    let expected = normal.new_runtime().unwrap().eval::<String>(check).unwrap();
    for heap_images in [
        HeapImages::new().max_slots(1).required_modules(["./m.mjs"]),
        HeapImages::new().max_slots(1),
    ] {
        let factory =
            Factory::new(Options::new().base_dir(dir.path()).heap_images(heap_images)).unwrap();
        for _ in 0..2 {
            let rt = factory.new_runtime().unwrap();
            outputs.push(rt.eval::<String>(check).unwrap());
        }
    }
    assert_eq!(
        outputs,
        [expected.as_str(); 4],
        "the normal path gives {expected}"
    );
}

#[test]
fn process_kill_in_a_loop_does_not_grow_the_heap() {
    // Each call used to make the `exec` binding anew, which a runtime on a
    // slot keeps until it is dropped.
    let factory = Factory::new(images(1).memory_limit(4 << 20)).unwrap();
    let rt = factory.new_runtime().unwrap();
    assert_eq!(
        rt.eval::<i64>(
            "let n = 0; for (let i = 0; i < 5000; i++) if (process.kill(process.pid, 0)) n++; n"
        )
        .unwrap(),
        5000
    );
}
