//! `Buffer` and the `buffer` module, checked against Node itself:
//! `fixtures/buffer/cases.js` prints hundreds of labelled results (and the
//! errors thrown, with codes and messages); `expected.txt` is what Node 20
//! printed for it (regenerate with `node cases.js > expected.txt` in that
//! folder). The suite also runs with `JSBOX_HEAP_IMAGES=1`.

use std::path::PathBuf;

use jsbox::{CaptureSink, Factory, HeapImages, Options, Stream};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/buffer")
}

fn run_fixture(options: Options) -> String {
    let capture = CaptureSink::new();
    let factory = Factory::new(options.console(capture.clone()).base_dir(fixture_dir())).unwrap();
    let rt = factory.new_runtime().unwrap();
    rt.run_file("cases.js").unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stderr), "", "nothing on stderr");
    capture.text(Stream::Stdout)
}

fn assert_same_lines(actual: &str, expected: &str) {
    for (line, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "line {}", line + 1);
    }
    assert_eq!(actual.lines().count(), expected.lines().count());
}

fn expected() -> String {
    std::fs::read_to_string(fixture_dir().join("expected.txt")).unwrap()
}

#[test]
fn buffer_matches_node() {
    assert_same_lines(&run_fixture(Options::new()), &expected());
}

#[test]
fn buffer_matches_node_in_heap_image_runtimes() {
    let options = Options::new().heap_images(HeapImages::new().max_slots(1));
    assert_same_lines(&run_fixture(options), &expected());
}

#[test]
fn buffer_matches_node_with_a_time_limit() {
    // A time limit swaps in jsbox's Array.prototype.find family and arms the
    // interrupt handler: Buffer must not depend on either.
    let options = Options::new().timeout(std::time::Duration::from_secs(60));
    assert_same_lines(&run_fixture(options), &expected());
}
