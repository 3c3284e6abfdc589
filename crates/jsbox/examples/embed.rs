//! The library API in one page: `open`, a factory, a host module (the fast
//! way to add Rust functions), a general native module, captured console
//! output and errors.
//!
//! Run with: `cargo run -p jsbox --example embed`

use jsbox::rquickjs::{Ctx, Function, Object};
use jsbox::{
    open, CaptureSink, Factory, HostError, HostModule, MemoryLoader, NativeModule, Options, Stream,
};

/// A host module's per-runtime state: each runtime gets its own tally.
#[derive(Default)]
struct Tally {
    total: i64,
}

/// The `tally` module: functions defined once for every runtime.
fn tally() -> HostModule<Tally> {
    HostModule::new(
        "tally",
        "bump(by): adds `by` to this runtime's tally and returns the total",
        Tally::default,
    )
    .function("bump", |tally: &mut Tally, by: i64| {
        if by < 0 {
            return Err(HostError::new("bump() takes by >= 0").with_code("ERR_OUT_OF_RANGE"));
        }
        tally.total += by;
        Ok(tally.total)
    })
}

/// A general native module (its `load` runs in every runtime that requires
/// it, and may keep Rust objects in the JavaScript heap).
struct Legacy;

impl NativeModule for Legacy {
    fn name(&self) -> &str {
        "legacy_tally"
    }

    fn doc(&self) -> &str {
        "bump(by): adds `by` to this runtime's tally and returns the total"
    }

    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> jsbox::rquickjs::Result<()> {
        let total = std::cell::Cell::new(0i64);
        let bump = Function::new(ctx.clone(), move |by: i64| {
            total.set(total.get() + by);
            total.get()
        })?;
        exports.set("bump", bump)
    }
}

fn main() -> Result<(), jsbox::Error> {
    // The simple path: one runtime, default options.
    let rt = open(Options::new())?;
    let sum: i64 = rt.eval("[1, 2, 3].reduce((a, b) => a + b)")?;
    println!("open(): 1 + 2 + 3 = {sum}");

    // The fast path: validate once, then make many isolated runtimes.
    let console = CaptureSink::new();
    let factory = Factory::new(
        Options::new()
            .loader(MemoryLoader::new().with(
                "handler.js",
                "const tally = require('tally');\n\
                 module.exports = (n) => { console.log('handling', n); return tally.bump(n); };",
            ))
            .host_module(tally())
            .module(Legacy)
            .console(console.clone()),
    )?;
    for request in 1..=3 {
        let rt = factory.new_runtime()?;
        let total: i64 = rt.eval(&format!("require('./handler.js')({request})"))?;
        // Every runtime is fresh, so the tally never carries over.
        assert_eq!(total, request);
    }
    println!("captured stdout:\n{}", console.text(Stream::Stdout));

    // The general native module works the same from a script.
    let rt = factory.new_runtime()?;
    let total: i64 =
        rt.eval("const legacy = require('legacy_tally'); legacy.bump(4); legacy.bump(5)")?;
    assert_eq!(total, 9);
    // A host function's error reaches the script with its code.
    let code: String = rt.eval("try { require('tally').bump(-1) } catch (e) { e.code }")?;
    println!("bump(-1) threw {code}");

    // Errors carry the script's name, message and stack.
    let rt = factory.new_runtime()?;
    let value: serde_json::Value = rt.eval("({ from: 'json', list: [1, null] })")?;
    println!("as JSON: {value}");
    if let Err(error) = rt.eval::<()>("null.boom") {
        println!("caught: {error}");
    }
    Ok(())
}
