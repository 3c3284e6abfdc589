//! Heap-image runtimes: isolation between runtimes restored into one slot, no
//! residue, per-runtime randomness, clean hand-back of Rust state, limits,
//! preload, and the fallback to the normal path.

use jsbox::{Factory, HeapImages, Options};

fn images(slots: usize) -> Options {
    Options::new().heap_images(HeapImages::new().max_slots(slots))
}

#[test]
fn a_runtime_from_an_image_runs_scripts_and_requires() {
    let factory = Factory::new(images(2)).unwrap();
    let rt = factory.new_runtime().unwrap();
    assert_eq!(rt.eval::<i64>("6 * 7").unwrap(), 42);
    assert_eq!(
        rt.eval::<String>("require('path').join('a', 'b')").unwrap(),
        "a/b"
    );
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!(stats.slots, 1);
    assert_eq!(stats.idle, 0);
    drop(rt);
    assert_eq!(factory.heap_image_stats().unwrap().idle, 1);
}

