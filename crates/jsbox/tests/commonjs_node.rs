//! More of Node's CommonJS semantics, checked against Node itself:
//! `fixtures/commonjs/main.js` covers `require.resolve(request, { paths })`,
//! `require.resolve.paths`, `module.require`, the wrapper's names never being
//! globals under `run_file`, strict mode from the directive prologue, sloppy
//! mode, and sources that try to close the module wrapper early;
//! `expected.txt` is what Node 20 printed for it (regenerate with
//! `sh fixtures/commonjs/gen_expected.sh`).

use std::path::PathBuf;

use jsbox::{CaptureSink, Factory, Options, Stream};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/commonjs")
}

fn expected() -> String {
    std::fs::read_to_string(fixture_dir().join("expected.txt")).unwrap()
}

fn run_in(factory: &Factory, capture: &CaptureSink) -> String {
    capture.clear();
    let rt = factory.new_runtime().unwrap();
    rt.run_file("main.js").unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stderr), "", "nothing on stderr");
    capture.text(Stream::Stdout)
}

fn run_fixture(options: Options) -> String {
    let capture = CaptureSink::new();
    let factory = Factory::new(options.console(capture.clone()).base_dir(fixture_dir())).unwrap();
    run_in(&factory, &capture)
}

fn assert_same_lines(actual: &str, expected: &str) {
    for (line, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "line {}", line + 1);
    }
    assert_eq!(actual.lines().count(), expected.lines().count());
}

#[test]
fn commonjs_semantics_match_node() {
    assert_same_lines(&run_fixture(Options::new()), &expected());
}

#[test]
fn commonjs_semantics_are_identical_without_the_bytecode_cache() {
    assert_same_lines(&run_fixture(Options::new().code_cache(0)), &expected());
}

#[test]
fn a_warm_bytecode_cache_gives_identical_results() {
    let capture = CaptureSink::new();
    let factory = Factory::new(
        Options::new()
            .console(capture.clone())
            .base_dir(fixture_dir()),
    )
    .unwrap();
    for _ in 0..2 {
        assert_same_lines(&run_in(&factory, &capture), &expected());
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
