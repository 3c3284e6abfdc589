//! Eval of arbitrary bytes: non-UTF-8 is refused by the API's types, anything
//! else runs under limits and must end in a value or an error, never a crash.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn factory() -> &'static jsbox::Factory {
    static FACTORY: OnceLock<jsbox::Factory> = OnceLock::new();
    FACTORY.get_or_init(|| {
        jsbox::Factory::new(
            jsbox::Options::new()
                .console(jsbox::NullSink)
                .sandboxed()
                .timeout(std::time::Duration::from_millis(500))
                .memory_limit(64 << 20)
                .stack_limit(256 << 10),
        )
        .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let rt = factory().new_runtime().unwrap();
    // The JSON conversion walks whatever the script returned.
    let _ = rt.eval::<serde_json::Value>(&source);
    let _ = rt.run_until_idle();
});
