//! Node's CommonJS semantics, checked against Node itself: `fixtures/require/main.js`
//! runs dozens of named checks; `expected.txt` is what Node 20 printed for it
//! (regenerate with `sh fixtures/require/gen_expected.sh`).

use std::path::PathBuf;

use jsbox::{CaptureSink, Factory, Options, Stream};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/require")
}

fn run_fixture(options: Options) -> String {
    let capture = CaptureSink::new();
    let factory = Factory::new(options.console(capture.clone()).base_dir(fixture_dir())).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.run_file("main.js").unwrap();
    assert_eq!(capture.text(Stream::Stderr), "", "nothing on stderr");
    capture.text(Stream::Stdout)
}

fn assert_same_lines(actual: &str, expected: &str) {
    for (line, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "line {}", line + 1);
    }
    assert_eq!(actual.lines().count(), expected.lines().count());
}

#[test]
fn require_semantics_match_node() {
    let expected = std::fs::read_to_string(fixture_dir().join("expected.txt")).unwrap();
    assert_same_lines(&run_fixture(Options::new()), &expected);
}

#[test]
fn require_semantics_are_identical_without_the_bytecode_cache() {
    let expected = std::fs::read_to_string(fixture_dir().join("expected.txt")).unwrap();
    assert_same_lines(&run_fixture(Options::new().code_cache(0)), &expected);
}

#[test]
fn a_warm_bytecode_cache_gives_identical_results_in_later_runtimes() {
    let expected = std::fs::read_to_string(fixture_dir().join("expected.txt")).unwrap();
    let capture = CaptureSink::new();
    let factory = Factory::new(
        Options::new()
            .console(capture.clone())
            .base_dir(fixture_dir()),
    )
    .unwrap();
    for round in 0..3 {
        capture.clear();
        factory.new_runtime().unwrap().run_file("main.js").unwrap();
        assert_same_lines(&capture.text(Stream::Stdout), &expected);
        let stats = factory.code_cache_stats();
        if round > 0 {
            assert!(stats.hits > 0, "round {round}: {stats:?}");
        }
    }
}
