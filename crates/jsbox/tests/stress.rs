//! Stress: 8 threads create, use and drop runtimes for a bounded time; nothing
//! panics and memory returns to its plateau (no leak per runtime).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsbox::{Factory, MemoryLoader, NullSink, Options};

mod common;

use common::resident_bytes;

/// Every thread makes runtimes that require modules, print, use timers, throw,
/// and drop, until `for_how_long` has passed. Returns how many were made.
fn churn(factory: &Arc<Factory>, threads: usize, for_how_long: Duration) -> u64 {
    let made = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + for_how_long;
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (factory, made) = (factory.clone(), made.clone());
            std::thread::spawn(move || {
                while Instant::now() < deadline {
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
                    made.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("no thread panicked");
    }
    made.load(Ordering::Relaxed)
}

#[test]
fn eight_threads_churn_runtimes_without_leaking() {
    let factory = Arc::new(
        Factory::new(
            Options::new()
                .console(NullSink)
                .loader(MemoryLoader::new().with("lib.js", "exports.double = (x) => x * 2;")),
        )
        .unwrap(),
    );
    // Reach the allocator's plateau first.
    churn(&factory, 8, Duration::from_secs(2));
    let plateau = resident_bytes();
    let made = churn(&factory, 8, Duration::from_secs(6));
    let after = resident_bytes();
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
