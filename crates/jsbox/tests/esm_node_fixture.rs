//! ES modules, checked against Node itself: `fixtures/esm/main.mjs` runs one
//! check per line (static and dynamic imports, re-exports, live bindings,
//! cycles, top-level await and its event order, CommonJS and JSON interop,
//! built-ins, package `exports`/`imports`/self-reference, `import.meta`,
//! `createRequire`, `require()` of ES modules, and the errors); `expected.txt`
//! is what Node 20 printed for it (regenerate with `node main.mjs >
//! expected.txt` in that folder).

use std::path::PathBuf;

use jsbox::{CaptureSink, Factory, Options, Stream};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/esm")
}

fn expected() -> String {
    std::fs::read_to_string(fixture_dir().join("expected.txt")).unwrap()
}

fn run_in(factory: &Factory, capture: &CaptureSink) -> String {
    capture.clear();
    let rt = factory.new_runtime().unwrap();
    rt.run_file("main.mjs").unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stderr), "", "nothing on stderr");
    capture.text(Stream::Stdout)
}

fn assert_same_lines(actual: &str, expected: &str) {
    for (line, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "line {}", line + 1);
    }
    assert_eq!(actual.lines().count(), expected.lines().count(), "{actual}");
}

fn factory(options: Options, capture: &CaptureSink) -> Factory {
    Factory::new(options.console(capture.clone()).base_dir(fixture_dir())).unwrap()
}

#[test]
fn es_modules_behave_as_in_node() {
    let capture = CaptureSink::new();
    let factory = factory(Options::new(), &capture);
    assert_same_lines(&run_in(&factory, &capture), &expected());
}

#[test]
fn es_modules_behave_the_same_without_the_bytecode_cache() {
    let capture = CaptureSink::new();
    let factory = factory(Options::new().code_cache(0), &capture);
    assert_same_lines(&run_in(&factory, &capture), &expected());
}

#[test]
fn later_runtimes_load_es_modules_from_the_bytecode_cache() {
    let capture = CaptureSink::new();
    let factory = factory(Options::new(), &capture);
    assert_same_lines(&run_in(&factory, &capture), &expected());
    let before = factory.code_cache_stats();
    for _ in 0..2 {
        assert_same_lines(&run_in(&factory, &capture), &expected());
    }
    let after = factory.code_cache_stats();
    // Every module file and facade compiled once: later runtimes only hit.
    assert_eq!(after.entries, before.entries, "{before:?} {after:?}");
    assert!(after.hits >= before.hits + 2 * 20, "{before:?} {after:?}");
}
