//! Host modules (`Options::host_module`): functions defined once per factory,
//! per-runtime state on the Rust side, on both creation paths.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use jsbox::rquickjs::{Function, Value};
use jsbox::{Factory, HeapImages, HostError, HostModule, Options};

struct Counter {
    total: i64,
}

impl Counter {
    fn new() -> Self {
        Counter { total: 0 }
    }
}

fn counter() -> HostModule<Counter> {
    HostModule::new("counter", "bump(n), total(), name(s)", Counter::new)
        .function("bump", |c: &mut Counter, n: i64| {
            if n < 0 {
                return Err(HostError::new("bump() takes n >= 0").with_code("ERR_OUT_OF_RANGE"));
            }
            c.total += n;
            Ok(c.total)
        })
        .function("total", |c: &mut Counter| Ok(c.total))
        .function(
            "greet",
            |_: &mut Counter, who: String, times: Option<u32>| {
                Ok(vec![format!("hi {who}"); times.unwrap_or(1) as usize])
            },
        )
        .function("fail", |_: &mut Counter| -> jsbox::HostResult<()> {
            Err(std::io::Error::other("disk on fire").into())
        })
        .function("panic", |_: &mut Counter| -> jsbox::HostResult<()> {
            panic!("host function bug")
        })
        .raw_function(
            "each",
            // Raw: calls a script's callback, which may call back in.
            |ctx, c, args| {
                let f: Function = args
                    .first()
                    .cloned()
                    .ok_or(jsbox::rquickjs::Error::Unknown)?
                    .get()?;
                c.total += 1;
                let out: Value = f.call((c.total,))?;
                let _ = ctx;
                Ok(out)
            },
        )
}

fn images() -> Options {
    Options::new().heap_images(HeapImages::new().max_slots(1))
}

fn both_paths() -> [Options; 2] {
    [Options::new().without_heap_images(), images()]
}

/// A runtime of a factory made with `options` and the `counter` module.
fn counter_runtime(options: Options) -> jsbox::Runtime {
    Factory::new(options.host_module(counter()))
        .unwrap()
        .new_runtime()
        .unwrap()
}

#[test]
fn functions_convert_arguments_and_results_and_throw_clear_errors() {
    for options in both_paths() {
        let rt = counter_runtime(options);
        let out: String = rt
            .eval(
                "const c = require('counter'); \
                 const seen = [c.bump(2), c.bump(3), c.total(), c.greet('ada', 2), c.greet('bo')]; \
                 for (const f of [() => c.bump(-1), () => c.bump('x'), () => c.bump(), () => c.fail(), () => c.panic()]) { \
                   try { f(); seen.push('no throw'); } catch (e) { seen.push([e.name, e.code, e.message]); } \
                 } \
                 seen.push(c.bump.name, typeof require('node:counter').bump); \
                 JSON.stringify(seen)",
            )
            .unwrap();
        let seen: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(seen[0], 2);
        assert_eq!(seen[1], 5);
        assert_eq!(seen[2], 5);
        assert_eq!(seen[3], serde_json::json!(["hi ada", "hi ada"]));
        assert_eq!(seen[4], serde_json::json!(["hi bo"]));
        assert_eq!(
            seen[5],
            serde_json::json!(["Error", "ERR_OUT_OF_RANGE", "bump() takes n >= 0"])
        );
        assert_eq!(seen[6][0], "TypeError", "{seen}");
        assert_eq!(seen[7][0], "TypeError", "{seen}");
        assert_eq!(seen[8], serde_json::json!(["Error", null, "disk on fire"]));
        assert_eq!(
            seen[9],
            serde_json::json!(["InternalError", null, "a host function panicked"])
        );
        assert_eq!(seen[10], "bump");
        assert_eq!(seen[11], "function");
        // The runtime is still usable after all that.
        assert_eq!(rt.eval::<i64>("c.bump(1)").unwrap(), 6);
    }
}

/// Made and dropped `Tracked` states, counted for one test only (the other
/// tests run at the same time).
static MADE: AtomicUsize = AtomicUsize::new(0);
static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Tracked(i64);

impl Tracked {
    fn new() -> Self {
        MADE.fetch_add(1, Ordering::SeqCst);
        Tracked(0)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn each_runtime_has_its_own_state_made_on_first_use_and_dropped_with_it() {
    let tracked = || {
        HostModule::new("tracked", "add(n)", Tracked::new).function(
            "add",
            |t: &mut Tracked, n: i64| {
                t.0 += n;
                Ok(t.0)
            },
        )
    };
    for options in both_paths() {
        let factory = Factory::new(options.host_module(tracked())).unwrap();
        let (made, dropped) = (MADE.load(Ordering::SeqCst), DROPPED.load(Ordering::SeqCst));
        let a = factory.new_runtime().unwrap();
        assert_eq!(a.eval::<i64>("require('tracked').add(10)").unwrap(), 10);
        drop(a);
        let b = factory.new_runtime().unwrap();
        assert_eq!(b.eval::<i64>("require('tracked').add(1)").unwrap(), 1);
        // Required but not called: no state is made.
        let c = factory.new_runtime().unwrap();
        c.eval::<()>("require('tracked')").unwrap();
        drop((b, c));
        assert_eq!(
            MADE.load(Ordering::SeqCst) - made,
            2,
            "one state per runtime that called"
        );
        assert_eq!(
            DROPPED.load(Ordering::SeqCst) - dropped,
            2,
            "and each was dropped"
        );
    }
}

#[test]
fn heap_image_runtimes_that_use_a_host_module_are_restored_not_rebuilt() {
    let factory = Factory::new(images().host_module(counter())).unwrap();
    for i in 1..=50 {
        let rt = factory.new_runtime().unwrap();
        let n: i64 = rt.eval(&format!("require('counter').bump({i})")).unwrap();
        assert_eq!(n, i, "a fresh state in every runtime");
    }
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!((stats.slots, stats.built), (1, 1), "{stats:?}");
}

#[test]
fn calling_a_host_function_leaves_the_lazy_built_ins_alone() {
    let rt = Factory::new(Options::new().without_heap_images().host_module(counter()))
        .unwrap()
        .new_runtime()
        .unwrap();
    let still_lazy: bool = rt
        .eval(
            "require('counter').bump(1); \
             typeof Object.getOwnPropertyDescriptor(globalThis, 'Float64Array').get === 'function'",
        )
        .unwrap();
    assert!(still_lazy);
}

#[test]
fn a_call_back_into_the_module_from_a_raw_function_is_refused() {
    for options in both_paths() {
        let rt = counter_runtime(options);
        let out: String = rt
            .eval(
                "const c = require('counter'); \
                 const inner = c.each((n) => { try { return c.bump(1); } catch (e) { return e.code; } }); \
                 JSON.stringify([inner, c.total(), c.each((n) => n * 10)])",
            )
            .unwrap();
        assert_eq!(out, r#"["ERR_JSBOX_REENTRANT",1,20]"#);
    }
}

#[test]
fn policies_apply_to_host_modules() {
    let rt = Factory::new(
        Options::new()
            .host_module(counter())
            .deny_modules(["counter"]),
    )
    .unwrap()
    .new_runtime()
    .unwrap();
    let err = rt.eval::<()>("require('counter')").unwrap_err();
    assert!(err.to_string().contains("denied"), "{err}");
}

#[test]
fn names_are_checked_like_native_modules() {
    let two = Options::new().host_module(counter()).host_module(counter());
    assert!(Factory::new(two).is_err());
    let bad = Options::new().host_module(HostModule::stateless("./x", "bad"));
    assert!(Factory::new(bad).is_err());
}

#[test]
fn runtimes_on_many_threads_never_see_each_others_state() {
    let shared_calls = Arc::new(AtomicUsize::new(0));
    let calls = shared_calls.clone();
    // Per-factory configuration may be captured: it is shared on purpose.
    let module = counter().function("calls", move |_: &mut Counter| {
        Ok(calls.fetch_add(1, Ordering::SeqCst) as i64)
    });
    for options in [
        Options::new().without_heap_images(),
        Options::new().heap_images(HeapImages::new().max_slots(4)),
    ] {
        let factory = Arc::new(
            Factory::new(options.host_module(
                HostModule::new("counter", "", Counter::new).function(
                    "bump",
                    |c: &mut Counter, n: i64| {
                        c.total += n;
                        Ok(c.total)
                    },
                ),
            ))
            .unwrap(),
        );
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let factory = factory.clone();
                std::thread::spawn(move || {
                    for i in 0..50 {
                        let rt = factory.new_runtime().unwrap();
                        let n: i64 = rt
                            .eval(&format!(
                                "const c = require('counter'); c.bump({t}); c.bump({i})"
                            ))
                            .unwrap();
                        assert_eq!(n, t + i);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    }
    let rt = Factory::new(Options::new().host_module(module))
        .unwrap()
        .new_runtime()
        .unwrap();
    assert_eq!(
        rt.eval::<i64>("const c = require('counter'); c.calls(); c.calls()")
            .unwrap(),
        1
    );
    assert_eq!(shared_calls.load(Ordering::SeqCst), 2);
}

/// The global `require` gives a host module without loading the module
/// system (js/prelude/global_require.js): what it gives must be what the
/// module system gives, one exports object whichever loads it first, and
/// the module system's `require.resolve`, `.cache`, `.extensions`, `.main`.
#[test]
fn the_global_require_gives_what_the_module_system_gives() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("user.js"),
        "module.exports = require('counter');",
    )
    .unwrap();
    for options in both_paths() {
        let factory = Factory::new(options.host_module(counter()).base_dir(dir.path())).unwrap();
        let rt = factory.new_runtime().unwrap();
        let out: String = rt
            .eval(
                "const a = require('counter'); a.bump(2);
                 const b = require('./user.js');
                 JSON.stringify([a === b, b.total(), require('counter') === a,
                   require('node:counter') === a, require.resolve('counter'),
                   typeof require.cache, Object.keys(require.extensions).join(),
                   require.main === undefined])",
            )
            .unwrap();
        assert_eq!(
            out,
            r#"[true,2,true,true,"counter","object",".js,.json,.node",true]"#
        );
        // The module system first, then the global require.
        let rt = factory.new_runtime().unwrap();
        let out: String = rt
            .eval("const b = require('./user.js'); JSON.stringify([require('counter') === b, b.total()])")
            .unwrap();
        assert_eq!(out, "[true,0]");
        // Bad ids still get the module system's errors.
        let rt = factory.new_runtime().unwrap();
        let out: String = rt
            .eval(
                "[() => require(''), () => require(1), () => require('nope')]
                   .map((f) => { try { f(); return 'no error'; } catch (e) { return e.code; } }).join()",
            )
            .unwrap();
        assert_eq!(
            out,
            "ERR_INVALID_ARG_VALUE,ERR_INVALID_ARG_TYPE,MODULE_NOT_FOUND"
        );
        // Its own properties are Node's, and writable as Node's are.
        let rt = factory.new_runtime().unwrap();
        let out: String = rt
            .eval(
                "const keys = Object.keys(require).join();
                 require.cache = 5;
                 JSON.stringify([keys, require.cache, typeof require.resolve.paths])",
            )
            .unwrap();
        assert_eq!(out, r#"["resolve,main,extensions,cache",5,"function"]"#);
    }
}

/// With a call log, a host module required through the global `require`
/// still has its calls logged (the module system wraps its exports).
#[test]
fn host_module_calls_through_the_global_require_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calls.db");
    for options in both_paths() {
        let factory = Factory::new(options.host_module(counter()).call_log(&db)).unwrap();
        let total: i64 = factory
            .new_runtime()
            .unwrap()
            .eval("require('counter').bump(5); require('counter').bump(2)")
            .unwrap();
        assert_eq!(total, 7);
        factory.flush_call_log();
    }
    let rows = jsbox::calllog::read(&db, &jsbox::calllog::Filter::default()).unwrap();
    let bumps: Vec<_> = rows
        .iter()
        .filter(|r| r.module.as_deref() == Some("counter") && r.function == "bump")
        .map(|r| r.args_json.clone().unwrap_or_default())
        .collect();
    assert_eq!(bumps, ["[5]", "[2]", "[5]", "[2]"]);
}

/// What a script puts on `Object.prototype` before its first `require`
/// does not break the global `require` or reach the module table.
#[test]
fn the_global_require_ignores_a_polluted_object_prototype() {
    for options in both_paths() {
        let rt = counter_runtime(options);
        let out: String = rt
            .eval(
                "for (const key of ['value', 'get', 'set', 'writable', 'loaded', 'exports', 'counter']) {
                   Object.defineProperty(Object.prototype, key, { __proto__: null, get() { return () => 'polluted'; }, configurable: true });
                 }
                 const c = require('counter');
                 JSON.stringify([c.bump(3), require('counter') === c, typeof require])",
            )
            .unwrap();
        assert_eq!(out, r#"[3,true,"function"]"#);
    }
}
