//! More of Node's CommonJS semantics, checked against Node itself:
//! `fixtures/commonjs/main.js` covers `require.resolve(request, { paths })`,
//! `require.resolve.paths`, `module.require`, the wrapper's names never being
//! globals under `run_file`, strict mode from the directive prologue, sloppy
//! mode, and sources that try to close the module wrapper early;
//! `expected.txt` is what Node 20 printed for it (regenerate with
//! `sh fixtures/commonjs/gen_expected.sh`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{CaptureSink, Factory, Options};
use node_fixture::{assert_same_lines, NodeFixture};

fn fixture() -> NodeFixture {
    NodeFixture::new("commonjs")
}

fn fixture_dir() -> std::path::PathBuf {
    fixture().dir
}

#[test]
fn commonjs_semantics_match_node() {
    fixture().check(Options::new(), "main.js");
}

#[test]
fn commonjs_semantics_are_identical_without_the_bytecode_cache() {
    fixture().check(Options::new().code_cache(0), "main.js");
}

#[test]
fn a_warm_bytecode_cache_gives_identical_results() {
    let fixture = fixture();
    let factory = fixture.factory(Options::new());
    for _ in 0..2 {
        assert_same_lines(&fixture.run_in(&factory, "main.js"), &fixture.expected());
    }
    assert!(factory.code_cache_stats().hits > 0);
}

#[test]
fn eval_keeps_a_global_require_and_run_file_removes_it() {
    let capture = CaptureSink::new();
    let factory = Factory::new(
        Options::new()
            .console(capture.clone())
            .base_dir(fixture_dir()),
    )
    .unwrap();
    // Like `node -e`: a global require, resolving from the base directory.
    let rt = factory.new_runtime().unwrap();
    assert_eq!(
        rt.eval::<String>("typeof globalThis.require + ' ' + require('./paths/p1/x')")
            .unwrap(),
        "function p1/x"
    );
    assert_eq!(
        rt.eval::<String>("new Function('return typeof require')()")
            .unwrap(),
        "function"
    );
    // Like `node main.js`: only the module's own require.
    let rt = factory.new_runtime().unwrap();
    rt.run_file("lib/global-require.js").unwrap();
    assert_eq!(
        rt.eval::<String>("typeof globalThis.require").unwrap(),
        "undefined"
    );
    assert_eq!(
        rt.require::<String>("./paths/p2/y").unwrap(),
        "p2/y",
        "Runtime::require needs no global"
    );
}

#[test]
fn a_global_require_put_there_by_the_embedder_stays() {
    let factory = Factory::new(
        Options::new()
            .base_dir(fixture_dir())
            .preload("globalThis.require = function mine() { return 'mine'; };"),
    )
    .unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.run_file("lib/global-require.js").unwrap();
    assert_eq!(
        rt.eval::<String>("require.name + ' ' + require('x')")
            .unwrap(),
        "mine mine"
    );
}
