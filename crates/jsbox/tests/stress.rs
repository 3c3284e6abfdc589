//! Stress: 8 threads create, use and drop runtimes for a bounded time; nothing
//! panics and memory returns to its plateau (no leak per runtime).

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use jsbox::{Factory, MemoryLoader, NullSink, Options};

mod common;

use common::resident_bytes;

/// One runtime made, used (require, print, a timer, a caught throw) and dropped.
fn spawn_and_use(factory: &Factory, t: usize) {
    let rt = factory.new_runtime().unwrap();
    let n: i64 = rt
        .eval(&format!(
            "const lib = require('./lib'); console.log(lib.double({t}));
             setTimeout(() => {{}}, 0);
             try {{ null.x }} catch (e) {{}}
             require('path').join('a', 'b').length + lib.double(1)"
        ))
        .unwrap();
    assert_eq!(n, 5);
    rt.run_until_idle().unwrap();
}

#[test]
fn eight_threads_churn_runtimes_without_leaking() {
    const THREADS: usize = 8;
    let factory = Arc::new(
        Factory::new(
            Options::new()
                .console(NullSink)
                .loader(MemoryLoader::new().with("lib.js", "exports.double = (x) => x * 2;")),
        )
        .unwrap(),
    );
    // The same threads run both phases, so what is measured between them is
    // what runtimes leave behind, not what starting threads costs.
    let made = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicBool::new(false));
    let phase = Arc::new(Barrier::new(THREADS + 1));
    let deadline = Arc::new(Mutex::new(Instant::now() + Duration::from_secs(2)));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (factory, made, failed, phase, deadline) = (
                factory.clone(),
                made.clone(),
                failed.clone(),
                phase.clone(),
                deadline.clone(),
            );
            std::thread::spawn(move || {
                for _ in 0..2 {
                    let until = *deadline.lock().unwrap();
                    while Instant::now() < until {
                        // A failure is reported after the phases, not by
                        // leaving the others waiting at the barrier.
                        let used = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            spawn_and_use(&factory, t)
                        }));
                        if used.is_err() {
                            failed.store(true, Ordering::Relaxed);
                            break;
                        }
                        made.fetch_add(1, Ordering::Relaxed);
                    }
                    phase.wait();
                    phase.wait();
                }
            })
        })
        .collect();
    // Reach the allocator's plateau first (2 s), then measure over 6 s.
    phase.wait();
    let plateau = resident_bytes();
    made.store(0, Ordering::Relaxed);
    *deadline.lock().unwrap() = Instant::now() + Duration::from_secs(6);
    phase.wait();
    phase.wait();
    let after = resident_bytes();
    let made = made.load(Ordering::Relaxed);
    phase.wait();
    for handle in handles {
        handle.join().expect("no thread panicked");
    }
    assert!(!failed.load(Ordering::Relaxed), "a runtime failed");
    let growth = after.saturating_sub(plateau);
    eprintln!(
        "{made} runtimes; resident {plateau} -> {after} bytes ({} bytes per runtime)",
        growth / made.max(1)
    );
    // Enough runtimes for a leak to show; speed is the benchmarks' business.
    assert!(made >= 200, "only {made} runtimes in 6 s");
    // A leak of even 1 KiB per runtime would show as megabytes here.
    assert!(
        growth / made < 512,
        "{growth} bytes of growth over {made} runtimes"
    );
}
