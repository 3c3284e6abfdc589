//! Measures what a heap-image slot costs to build (the price of a runtime
//! whose slot is torn down because it ran native code) beside a normal runtime.
//! `cargo run --release -p jsbox --example slot_build_cost`

use std::time::Instant;

use jsbox::{Factory, HeapImages, NullSink, Options};

fn main() -> jsbox::Result<()> {
    const ROUNDS: u32 = 200;
    let started = Instant::now();
    for _ in 0..ROUNDS {
        Factory::new(Options::new().console(NullSink).without_heap_images())?;
    }
    let factory_only = started.elapsed() / ROUNDS;
    let started = Instant::now();
    for _ in 0..ROUNDS {
        Factory::new(
            Options::new()
                .console(NullSink)
                .heap_images(HeapImages::new()),
        )?;
    }
    let with_slot = started.elapsed() / ROUNDS;
    let normal = Factory::new(Options::new().console(NullSink).without_heap_images())?;
    let started = Instant::now();
    for _ in 0..ROUNDS {
        normal.new_runtime()?;
    }
    let runtime = started.elapsed() / ROUNDS;
    println!(
        "slot build (template + image): {:?}; normal runtime create + drop: {:?}",
        with_slot.saturating_sub(factory_only),
        runtime
    );
    Ok(())
}
