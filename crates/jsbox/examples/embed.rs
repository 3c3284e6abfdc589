//! The library API in one page: `open`, a factory, a native module, captured
//! console output and errors.
//!
//! Run with: `cargo run -p jsbox --example embed`

use jsbox::rquickjs::{Ctx, Function, Object};
use jsbox::{open, CaptureSink, Factory, MemoryLoader, NativeModule, Options, Stream};

/// A native module: each runtime gets its own counter.
struct Tally;

impl NativeModule for Tally {
    fn name(&self) -> &str {
        "tally"
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
            .module(Tally)
            .console(console.clone()),
    )?;
    for request in 1..=3 {
        let rt = factory.new_runtime()?;
        let total: i64 = rt.eval(&format!("require('./handler.js')({request})"))?;
        // Every runtime is fresh, so the tally never carries over.
        assert_eq!(total, request);
    }
    println!("captured stdout:\n{}", console.text(Stream::Stdout));

    // Errors carry the script's name, message and stack.
    let rt = factory.new_runtime()?;
    let value: serde_json::Value = rt.eval("({ from: 'json', list: [1, null] })")?;
    println!("as JSON: {value}");
    if let Err(error) = rt.eval::<()>("null.boom") {
        println!("caught: {error}");
    }
    Ok(())
}
