//! No leak over 100,000 runtimes that use a host module and the `database`
//! module, on the heap-image path and the normal path: resident memory
//! reaches a plateau and every per-runtime state is dropped. One process per
//! file, so resident memory is this test's own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use jsbox::{Factory, HeapImages, HostModule, NullSink, Options};

mod common;

use common::resident_bytes;

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// A host module's per-runtime state: 4 KiB of Rust heap.
struct State(Vec<u8>);

impl State {
    fn new() -> Self {
        LIVE.fetch_add(1, Ordering::SeqCst);
        State(vec![7; 4096])
    }
}

impl Drop for State {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

fn factory(options: Options) -> Factory {
    let module = HostModule::new("stateful", "size(n)", State::new)
        .function("size", |s: &mut State, n: i64| Ok(s.0.len() as i64 + n));
    Factory::new(options.console(NullSink).host_module(module)).unwrap()
}

fn spawn_and_use(factory: &Factory, i: usize) {
    let rt = factory.new_runtime().unwrap();
    let source = if i.is_multiple_of(10) {
        "const db = require('database'); db.configure('sqlite3', ':memory:'); \
         db.exec('create table t(x)'); db.exec('insert into t values (?)', [4096]); \
         db.query('select x from t')[0].x + require('stateful').size(0)"
    } else {
        "require('stateful').size(4096)"
    };
    assert_eq!(rt.eval::<i64>(source).unwrap(), 8192);
}

fn check(factory: &Factory, runtimes: usize) {
    for i in 0..2_000 {
        spawn_and_use(factory, i);
    }
    let plateau = resident_bytes();
    let started = Instant::now();
    for i in 0..runtimes {
        spawn_and_use(factory, i);
    }
    let after = resident_bytes();
    let growth = after.saturating_sub(plateau);
    eprintln!(
        "{runtimes} runtimes in {:?}; resident {plateau} -> {after} bytes ({} bytes per runtime)",
        started.elapsed(),
        growth / runtimes as u64
    );
    assert_eq!(LIVE.load(Ordering::SeqCst), 0, "host-module state leaked");
    // A leak of even 64 bytes per runtime would show as 6 MB over 100,000.
    assert!(
        growth < 4 << 20,
        "{growth} bytes of growth over {runtimes} runtimes"
    );
}

#[test]
fn a_hundred_thousand_runtimes_with_host_modules_and_databases_leak_nothing() {
    let images = factory(Options::new().heap_images(HeapImages::new().max_slots(2)));
    check(&images, 100_000);
    let stats = images.heap_image_stats().unwrap();
    assert!(
        stats.built <= 2,
        "slots were restored, not rebuilt: {stats:?}"
    );
    check(&factory(Options::new().without_heap_images()), 10_000);
    // With both modules loaded into the image: the build's references to
    // their functions are per slot, never per runtime.
    let required = factory(
        Options::new().heap_images(
            HeapImages::new()
                .max_slots(2)
                .required_modules(["database", "stateful"]),
        ),
    );
    check(&required, 20_000);
    let stats = required.heap_image_stats().unwrap();
    assert!(stats.built <= 2, "{stats:?}");
}
