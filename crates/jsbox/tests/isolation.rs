//! Constraint 1: every runtime is a fresh VM. Nothing a script does in one runtime
//! is visible in another, whichever factory made them and whichever thread runs them.

use std::sync::Arc;

use jsbox::rquickjs::{Ctx, Function, Object};
use jsbox::{Factory, MemoryLoader, NativeModule, Options, Runtime};

/// A native module with per-runtime state: a counter captured by its closure.
struct Counter;

impl NativeModule for Counter {
    fn name(&self) -> &str {
        "counter"
    }
    fn doc(&self) -> &str {
        "next(): returns 1, 2, 3... per runtime"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> jsbox::rquickjs::Result<()> {
        let count = std::cell::Cell::new(0i64);
        exports.set(
            "next",
            Function::new(ctx.clone(), move || {
                count.set(count.get() + 1);
                count.get()
            })?,
        )
    }
}

fn options() -> Options {
    Options::new()
        .loader(MemoryLoader::new().with("state.js", "module.exports = { hits: 0 };"))
        .module(Counter)
}

/// Pollutes every kind of shared state a runtime could leak.
fn pollute(rt: &Runtime) {
    rt.eval::<()>(
        "globalThis.leak = 1;
         Array.prototype.leaked = 1;
         Object.prototype.leakedToo = 1;
         require('./state.js').hits = 99;
         require('counter').next(); require('counter').next();
         require('counter').extra = 'x';
         require.cache['/state.js'].marker = true;",
    )
    .unwrap();
}

/// Asserts that `rt` sees none of `pollute`'s effects.
fn assert_pristine(rt: &Runtime) {
    let seen: serde_json::Value = rt
        .eval(
            "({
                leak: typeof leak,
                arrayProto: [].leaked === undefined,
                objectProto: ({}).leakedToo === undefined,
                hits: require('./state.js').hits,
                counter: require('counter').next(),
                extra: require('counter').extra === undefined,
                marker: require.cache['/state.js'].marker === undefined,
            })",
        )
        .unwrap();
    assert_eq!(
        seen,
        serde_json::json!({
            "leak": "undefined", "arrayProto": true, "objectProto": true,
            "hits": 0, "counter": 1, "extra": true, "marker": true
        })
    );
}

#[test]
fn runtimes_of_one_factory_share_nothing() {
    let factory = Factory::new(options()).unwrap();
    let first = factory.new_runtime().unwrap();
    pollute(&first);
    let second = factory.new_runtime().unwrap();
    assert_pristine(&second);
    // The polluted runtime keeps its own state.
    assert_eq!(first.eval::<i64>("require('counter').next()").unwrap(), 3);
}

#[test]
fn runtimes_of_two_factories_share_nothing() {
    let a = Factory::new(options()).unwrap();
    let b = Factory::new(options()).unwrap();
    pollute(&a.new_runtime().unwrap());
    assert_pristine(&b.new_runtime().unwrap());
}

#[test]
fn clones_of_a_factory_make_isolated_runtimes() {
    let factory = Factory::new(options()).unwrap();
    let clone = factory.clone();
    pollute(&factory.new_runtime().unwrap());
    assert_pristine(&clone.new_runtime().unwrap());
}

#[test]
fn runtimes_on_many_threads_at_once_share_nothing() {
    let factory = Arc::new(Factory::new(options()).unwrap());
    let barrier = Arc::new(std::sync::Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let factory = factory.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let rt = factory.new_runtime().unwrap();
                barrier.wait();
                for _ in 0..50 {
                    rt.eval::<()>(&format!("globalThis.mine = (globalThis.mine || 0) + {i}; Array.prototype.owner = {i};"))
                        .unwrap();
                }
                barrier.wait();
                let (mine, owner, counter): (i64, i64, i64) = (
                    rt.eval("mine").unwrap(),
                    rt.eval("[].owner").unwrap(),
                    rt.eval("require('counter').next()").unwrap(),
                );
                assert_eq!((mine, owner, counter), (50 * i, i, 1));
                pollute(&rt);
                assert_pristine(&factory.new_runtime().unwrap());
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

#[test]
fn a_runtime_made_on_one_thread_runs_on_another() {
    let factory = Factory::new(options()).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>("globalThis.made = 'here'").unwrap();
    let rt = std::thread::spawn(move || {
        assert_eq!(rt.eval::<String>("made").unwrap(), "here");
        // Deep recursion checks the stack limit against the new thread's stack.
        let err = rt
            .eval::<()>("(function f(n) { return f(n + 1) + 1; })(0)")
            .unwrap_err();
        assert_eq!(err.exception().unwrap().name, "RangeError");
        rt
    })
    .join()
    .unwrap();
    assert_eq!(rt.eval::<i64>("require('counter').next()").unwrap(), 1);
}

#[test]
fn runtime_is_send_and_factory_is_send_sync_clone() {
    fn send<T: Send>() {}
    fn send_sync_clone<T: Send + Sync + Clone>() {}
    send::<Runtime>();
    send_sync_clone::<Factory>();
}
