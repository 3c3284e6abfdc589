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

#[test]
fn globals_and_prototypes_changed_by_one_runtime_are_gone_in_the_next() {
    // One slot: every runtime is restored into the same memory.
    let factory = Factory::new(images(1)).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>(
        "globalThis.leak = 1; Array.prototype.leak2 = 2; Object.prototype.leak3 = 3; \
         Math.max = () => -1; JSON.stringify = null; console.count('c'); \
         process.env.LEAK = 'yes'; require('path').leak4 = 4; \
         require.cache['/x.js'] = { exports: 5 };",
    )
    .unwrap();
    drop(rt);
    let rt = factory.new_runtime().unwrap();
    let clean: bool = rt
        .eval(
            "typeof leak === 'undefined' && [].leak2 === undefined && ({}).leak3 === undefined \
             && Math.max(1, 2) === 2 && typeof JSON.stringify === 'function' \
             && process.env.LEAK === undefined && require('path').leak4 === undefined \
             && require.cache['/x.js'] === undefined",
        )
        .unwrap();
    assert!(clean);
    assert_eq!(factory.heap_image_stats().unwrap().slots, 1);
}

#[test]
fn math_random_differs_between_runtimes_of_one_image() {
    let factory = Factory::new(images(1)).unwrap();
    let mut firsts = Vec::new();
    for _ in 0..8 {
        let rt = factory.new_runtime().unwrap();
        let values: Vec<f64> = rt
            .eval("[Math.random(), Math.random(), Math.random()]")
            .unwrap();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)), "{values:?}");
        assert!(values[0] != values[1] && values[1] != values[2]);
        firsts.push(values[0]);
        assert!(rt
            .eval::<bool>("Math.random.name === 'random' && Math.random.length === 0")
            .unwrap());
    }
    let mut distinct = firsts.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    assert_eq!(distinct.len(), firsts.len(), "{firsts:?}");
}

#[test]
fn a_runtime_on_another_thread_and_many_threads_at_once() {
    let factory = Factory::new(images(2)).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>("globalThis.made = 'here'").unwrap();
    let rt = std::thread::spawn(move || {
        // A deep recursion checks the stack limit follows the new thread.
        assert_eq!(
            rt.eval::<i64>("function d(n) { return n ? d(n - 1) + 1 : 0 } d(200)")
                .unwrap(),
            200
        );
        assert_eq!(rt.eval::<String>("made").unwrap(), "here");
        rt
    })
    .join()
    .unwrap();
    drop(rt);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let factory = factory.clone();
            std::thread::spawn(move || {
                for i in 0..100 {
                    let rt = factory.new_runtime().unwrap();
                    let seen: bool = rt.eval("typeof mine === 'undefined'").unwrap();
                    assert!(seen, "a global of an earlier runtime was visible");
                    let mine = t * 1000 + i;
                    rt.eval::<()>(&format!("globalThis.mine = {mine}")).unwrap();
                    assert_eq!(rt.eval::<i64>("mine").unwrap(), mine);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let stats = factory.heap_image_stats().unwrap();
    assert!(stats.slots <= 2 && stats.idle == stats.slots, "{stats:?}");
}

#[test]
fn beyond_the_last_slot_runtimes_are_made_the_normal_way() {
    let factory = Factory::new(images(1)).unwrap();
    let first = factory.new_runtime().unwrap();
    let second = factory.new_runtime().unwrap();
    first.eval::<()>("globalThis.who = 'first'").unwrap();
    second.eval::<()>("globalThis.who = 'second'").unwrap();
    assert_eq!(first.eval::<String>("who").unwrap(), "first");
    assert_eq!(second.eval::<String>("who").unwrap(), "second");
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!((stats.slots, stats.idle), (1, 0));
    drop(first);
    drop(second);
    assert_eq!(factory.heap_image_stats().unwrap().idle, 1);
}
