//! The process-wide call log switched on after a heap image holding modules
//! was built. Its own test binary: the default call log is process-wide.

use jsbox::{calllog, Factory, HeapImages, Options};

/// One test: the process-wide call log is shared by every test of a binary.
#[test]
fn images_and_the_process_wide_call_log() {
    an_image_with_modules_serves_only_runtimes_that_log_as_its_build_did();
    an_image_whose_preload_loaded_no_module_serves_every_runtime();
}

fn an_image_with_modules_serves_only_runtimes_that_log_as_its_build_did() {
    calllog::disable();
    let factory = Factory::new(
        Options::new()
            .call_log_default()
            .heap_images(HeapImages::new().max_slots(1).required_modules(["path"])),
    )
    .unwrap();
    let join = |factory: &Factory| {
        let rt = factory.new_runtime().unwrap();
        let idle = factory.heap_image_stats().unwrap().idle;
        assert_eq!(
            rt.eval::<String>("require('path').join('a', 'b')").unwrap(),
            "a/b"
        );
        idle
    };
    // Built without a call log: a runtime without one is lent the slot.
    assert_eq!(join(&factory), 0, "the slot is lent");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calls.db");
    calllog::configure(&db).unwrap();
    // The image's `path` does not log: a logging runtime is made the normal
    // way (the slot stays idle) and its call is logged.
    assert_eq!(join(&factory), 1, "the slot stays idle");
    calllog::flush();
    let rows = calllog::read(&db, &calllog::Filter::default()).unwrap();
    let calls: Vec<_> = rows
        .iter()
        .map(|r| format!("{}.{}", r.module.as_deref().unwrap_or("?"), r.function))
        .collect();
    assert_eq!(calls, ["path.join"]);
    calllog::disable();
    assert_eq!(join(&factory), 0, "the slot is lent again");
}

fn an_image_whose_preload_loaded_no_module_serves_every_runtime() {
    calllog::disable();
    let factory = Factory::new(
        Options::new()
            .call_log_default()
            .preload("globalThis.ready = 1;")
            .heap_images(HeapImages::new().max_slots(1)),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    calllog::configure(dir.path().join("calls.db")).unwrap();
    let rt = factory.new_runtime().unwrap();
    assert_eq!(
        factory.heap_image_stats().unwrap().idle,
        0,
        "the slot is lent"
    );
    assert_eq!(rt.eval::<i64>("ready").unwrap(), 1);
    drop(rt);
    calllog::disable();
}
