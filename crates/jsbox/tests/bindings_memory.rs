//! Runtimes restored from a heap image that load modules with native
//! bindings (`fs`, `os`, `database`) leak nothing: the Rust closures of the
//! functions a runtime made are dropped before its slot is restored. Its own
//! test binary, so that resident memory is this test's alone.

use jsbox::{Factory, HeapImages, NullSink, Options};

mod common;

use common::resident_bytes;

fn spawn_and_load(factory: &Factory) {
    let rt = factory.new_runtime().unwrap();
    let n: i64 = rt
        .eval(
            "const fs = require('fs'), os = require('os'), db = require('database'); \
             db.configure('sqlite3', ':memory:'); \
             db.query('select 40 as n')[0].n + (fs.existsSync('/') ? 1 : 0) + (os.EOL.length)",
        )
        .unwrap();
    assert_eq!(n, 42);
}

#[test]
fn runtimes_that_make_native_bindings_on_a_slot_leak_nothing() {
    let factory = Factory::new(
        Options::new()
            .console(NullSink)
            .heap_images(HeapImages::new().max_slots(1)),
    )
    .unwrap();
    for _ in 0..500 {
        spawn_and_load(&factory);
    }
    let plateau = resident_bytes();
    const RUNTIMES: u64 = 5_000;
    for _ in 0..RUNTIMES {
        spawn_and_load(&factory);
    }
    let growth = resident_bytes().saturating_sub(plateau);
    eprintln!("{RUNTIMES} runtimes: {} bytes of growth", growth);
    // Each runtime makes about 50 native functions: forgetting their
    // closures would leak well over 1 KiB a runtime (7 MB here).
    assert!(
        growth < 2 << 20,
        "{growth} bytes of growth over {RUNTIMES} runtimes"
    );
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!(stats.built, 1, "restored, never torn down: {stats:?}");
}
