//! Memory of heap-image slots: no leak over 100,000 runtimes (restored or torn
//! down), and the pages a runtime used beyond the image go back to the OS when
//! it is dropped. One process per file, so resident memory is this test's own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use jsbox::rquickjs::{self, Ctx, Function, Object};
use jsbox::{Factory, HeapImages, NativeModule, NullSink, Options};

mod common;

use common::resident_bytes;

static LIVE_STATE: AtomicUsize = AtomicUsize::new(0);

struct State(Vec<u8>);

impl Drop for State {
    fn drop(&mut self) {
        LIVE_STATE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A native module whose per-runtime state is 4 KiB of Rust heap.
struct Stateful;

impl NativeModule for Stateful {
    fn name(&self) -> &str {
        "stateful"
    }
    fn doc(&self) -> &str {
        "size(): bytes of this runtime's state"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> rquickjs::Result<()> {
        LIVE_STATE.fetch_add(1, Ordering::SeqCst);
        let state = Arc::new(State(vec![7; 4096]));
        exports.set("size", Function::new(ctx.clone(), move || state.0.len())?)
    }
}

fn spawn_and_use(factory: &Factory, i: usize) {
    let rt = factory.new_runtime().unwrap();
    let source = if i.is_multiple_of(100) {
        // Every hundredth runtime runs native code: its slot is torn down.
        "require('stateful').size()"
    } else {
        "const o = { n: 41, list: [1, 2, 3].map((x) => x * 2) }; console.log(o); o.n + 1 + o.list.length - 3"
    };
    let n: i64 = rt.eval(source).unwrap();
    assert!(n == 42 || n == 4096, "{n}");
}

#[test]
fn a_hundred_thousand_runtimes_leak_nothing_and_memory_returns() {
    let factory = Factory::new(
        Options::new()
            .console(NullSink)
            .module(Stateful)
            .heap_images(HeapImages::new().max_slots(2)),
    )
    .unwrap();
    for i in 0..2_000 {
        spawn_and_use(&factory, i);
    }
    let plateau = resident_bytes();
    let started = Instant::now();
    const RUNTIMES: usize = 100_000;
    for i in 0..RUNTIMES {
        spawn_and_use(&factory, i);
    }
    let after = resident_bytes();
    let growth = after.saturating_sub(plateau);
    eprintln!(
        "{RUNTIMES} runtimes in {:?}; resident {plateau} -> {after} bytes ({} bytes per runtime)",
        started.elapsed(),
        growth / RUNTIMES as u64
    );
    assert_eq!(LIVE_STATE.load(Ordering::SeqCst), 0, "native state leaked");
    // A leak of even 64 bytes per runtime would show as 6 MB here.
    assert!(
        growth < 4 << 20,
        "{growth} bytes of growth over {RUNTIMES} runtimes"
    );

    // A runtime that allocates 64 MiB: its pages are returned when it is dropped.
    let baseline = resident_bytes();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>("globalThis.keep = []; for (let i = 0; i < 64; i++) keep.push(new Float64Array(1 << 17).fill(i + 1))")
        .unwrap();
    let peak = resident_bytes();
    drop(rt);
    let released = resident_bytes();
    eprintln!("resident: baseline {baseline}, peak {peak}, after drop {released}");
    assert!(peak > baseline + (48 << 20), "the script did not allocate");
    assert!(
        released < baseline + (4 << 20),
        "{} bytes stayed resident",
        released - baseline
    );

    // Runtimes still holding a 1 MiB file buffer when dropped, and runtimes
    // that used every stateless binding: their slots are restored, and the host
    // keeps nothing of them (bytes scripts can reach live in the slot).
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), vec![3u8; 1 << 20]).unwrap();
    let source = format!(
        "globalThis.kept = require('fs').readFileSync({:?}, null);          require('os').hostname(); require('path').join('a'); kept.length",
        file.path().to_str().unwrap()
    );
    let hold = |factory: &Factory| {
        let rt = factory.new_runtime().unwrap();
        assert_eq!(rt.eval::<i64>(&source).unwrap(), 1 << 20);
    };
    for _ in 0..50 {
        hold(&factory);
    }
    let before = resident_bytes();
    const HOLDERS: u64 = 500;
    for _ in 0..HOLDERS {
        hold(&factory);
    }
    let after = resident_bytes();
    let growth = after.saturating_sub(before);
    eprintln!("{HOLDERS} runtimes holding 1 MiB at drop: resident {before} -> {after}");
    // Before file bytes lived in the slot, this grew by about 1 MiB per runtime.
    assert!(
        growth < 16 << 20,
        "{growth} bytes of growth over {HOLDERS} runtimes"
    );
}
