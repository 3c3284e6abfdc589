//! Memory per live runtime: resident set growth over 1,000 runtimes held at
//! once, divided by 1,000. Prints one JSON line for `scripts/bench.sh`.

use jsbox::{Factory, NullSink, Options};

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn main() {
    // `cargo bench` passes `--bench`; any other flag is ignored too.
    const COUNT: usize = 1000;
    let factory = Factory::new(Options::new().console(NullSink)).unwrap();
    // Warm up allocator pools and the prelude.
    drop(
        (0..50)
            .map(|_| factory.new_runtime().unwrap())
            .collect::<Vec<_>>(),
    );
    let before = resident_bytes();
    let live: Vec<_> = (0..COUNT).map(|_| factory.new_runtime().unwrap()).collect();
    let after = resident_bytes();
    let engine_bytes: i64 = live.iter().map(|rt| rt.memory_used()).sum::<i64>() / COUNT as i64;
    drop(live);
    let per_runtime = after.saturating_sub(before) / COUNT as u64;
    println!(
        "{{\"runtimes\": {COUNT}, \"resident_bytes_per_runtime\": {per_runtime}, \"engine_heap_bytes_per_runtime\": {engine_bytes}}}"
    );
}
