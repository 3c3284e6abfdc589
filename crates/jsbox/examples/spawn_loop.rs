//! Creates and drops `N` runtimes (the first argument, default 1000), on the
//! normal path or, with a second argument `images`, from a heap image: a loop
//! to count instructions per spawn with callgrind, which is repeatable on a
//! busy machine where wall-clock timings are not. Run it with 0 and with N
//! runtimes and divide the difference by N:
//!
//! ```sh
//! cargo build --release -p jsbox --example spawn_loop
//! for n in 0 200; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/spawn_loop $n 2>&1 | grep Collected
//! done
//! ```
//!
//! A third argument `host` makes each runtime also run
//! `require('counter').bump(2)`, a call into a host module (second argument
//! `normal` for the normal path): `spawn_loop 200 normal host`; `database`
//! makes it open an in-memory SQLite database and run one query (a fourth
//! argument `required` puts the `database` module in the heap image:
//! `spawn_loop 200 images database required`); any other third argument is
//! the script each runtime runs, ending in an integer. A second
//! argument `bare` creates and drops a bare QuickJS runtime and full context
//! instead, the yardstick the benchmarks divide by.

#[derive(Default)]
struct Counter {
    total: i64,
}

fn main() -> Result<(), jsbox::Error> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let path = args.next();
    if path.as_deref() == Some("bare") {
        for _ in 0..count + 20 {
            let engine = jsbox::rquickjs::Runtime::new()?;
            drop(jsbox::rquickjs::Context::full(&engine)?);
        }
        return Ok(());
    }
    let options = jsbox::Options::new().host_module(
        jsbox::HostModule::new("counter", "bump(n)", Counter::default).function(
            "bump",
            |c: &mut Counter, n: i64| {
                c.total += n;
                Ok(c.total)
            },
        ),
    );
    let third = args.next();
    // A fourth argument `required` puts the database module in the image.
    let required: &[&str] = match args.next().as_deref() {
        Some("required") => &["database"],
        _ => &[],
    };
    let options = match path.as_deref() {
        Some("images") => options.heap_images(
            jsbox::HeapImages::new()
                .max_slots(1)
                .required_modules(required.iter().copied()),
        ),
        _ => options.without_heap_images(),
    };
    let script = match third.as_deref() {
        Some("host") => Some("require('counter').bump(2)"),
        Some("database") => Some(
            "const db = require('database'); db.configure('sqlite3', ':memory:'); \
             db.query('select 41 + 1 as n')[0].n",
        ),
        Some(other) => Some(other),
        None => None,
    };
    let factory = jsbox::Factory::new(options)?;
    let spawn = || -> Result<(), jsbox::Error> {
        let runtime = factory.new_runtime()?;
        if let Some(script) = script {
            runtime.eval::<i64>(script)?;
        }
        Ok(())
    };
    // Warm up: the first runtimes build the image and fill caches.
    for _ in 0..20 {
        spawn()?;
    }
    for _ in 0..count {
        spawn()?;
    }
    Ok(())
}
