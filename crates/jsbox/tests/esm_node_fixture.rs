//! ES modules, checked against Node itself: `fixtures/esm/main.mjs` runs one
//! check per line (static and dynamic imports, re-exports, live bindings,
//! cycles, top-level await and its event order, CommonJS and JSON interop,
//! built-ins, package `exports`/`imports`/self-reference, `import.meta`,
//! `createRequire`, `require()` of ES modules, and the errors); `expected.txt`
//! is what Node 20 printed for it (regenerate with `node main.mjs >
//! expected.txt` in that folder).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::Options;
use node_fixture::{assert_same_lines, NodeFixture};

#[test]
fn es_modules_behave_as_in_node() {
    NodeFixture::new("esm").check(Options::new(), "main.mjs");
}

#[test]
fn es_modules_behave_the_same_without_the_bytecode_cache() {
    NodeFixture::new("esm").check(Options::new().code_cache(0), "main.mjs");
}

#[test]
fn later_runtimes_load_es_modules_from_the_bytecode_cache() {
    let fixture = NodeFixture::new("esm");
    let factory = fixture.factory(Options::new());
    assert_same_lines(&fixture.run_in(&factory, "main.mjs"), &fixture.expected());
    let before = factory.code_cache_stats();
    for _ in 0..2 {
        assert_same_lines(&fixture.run_in(&factory, "main.mjs"), &fixture.expected());
    }
    let after = factory.code_cache_stats();
    // Every module file and facade compiled once: later runtimes only hit.
    assert_eq!(after.entries, before.entries, "{before:?} {after:?}");
    assert!(after.hits >= before.hits + 2 * 20, "{before:?} {after:?}");
}
