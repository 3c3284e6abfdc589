// Each test binary that includes this uses a different part of it.
#![allow(dead_code)]

//! The harness of the Node-fixture tests: a fixture folder under
//! `tests/fixtures/` holds a script and `expected.txt`, what Node 20 printed
//! for it; a test runs the script in jsbox and compares line by line.

use std::path::PathBuf;

use jsbox::{CaptureSink, Factory, Options, Stream};

/// A fixture: its folder, and the console its runtimes print to.
pub struct NodeFixture {
    pub dir: PathBuf,
    pub capture: CaptureSink,
}

impl NodeFixture {
    /// The fixture in `tests/fixtures/<name>`.
    pub fn new(name: &str) -> NodeFixture {
        NodeFixture {
            dir: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            capture: CaptureSink::new(),
        }
    }

    /// What Node printed.
    pub fn expected(&self) -> String {
        std::fs::read_to_string(self.dir.join("expected.txt")).unwrap()
    }

    /// A factory printing to this fixture's console, based in its folder.
    pub fn factory(&self, options: Options) -> Factory {
        Factory::new(options.console(self.capture.clone()).base_dir(&self.dir)).unwrap()
    }

    /// Runs `entry` to the end in a new runtime of `factory`; what it printed
    /// (nothing may go to stderr).
    pub fn run_in(&self, factory: &Factory, entry: &str) -> String {
        self.capture.clear();
        let rt = factory.new_runtime().unwrap();
        rt.run_file(entry).unwrap();
        rt.run_until_idle().unwrap();
        assert_eq!(self.capture.text(Stream::Stderr), "", "nothing on stderr");
        self.capture.text(Stream::Stdout)
    }

    /// Runs `entry` twice in runtimes from one heap-image slot (the second
    /// restores the slot the first used) and checks both print what Node did.
    pub fn check_in_heap_images(&self, entry: &str) {
        let options = Options::new().heap_images(jsbox::HeapImages::new().max_slots(1));
        let factory = self.factory(options);
        for _ in 0..2 {
            assert_same_lines(&self.run_in(&factory, entry), &self.expected());
        }
    }

    /// Runs `entry` with `options` and checks it prints what Node printed.
    pub fn check(&self, options: Options, entry: &str) {
        let factory = self.factory(options);
        assert_same_lines(&self.run_in(&factory, entry), &self.expected());
    }
}

/// Line by line, so a failure names the first line that differs.
pub fn assert_same_lines(actual: &str, expected: &str) {
    for (line, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "line {}", line + 1);
    }
    assert_eq!(actual.lines().count(), expected.lines().count(), "{actual}");
}
