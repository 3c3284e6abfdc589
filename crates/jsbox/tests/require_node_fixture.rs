//! Node's CommonJS semantics, checked against Node itself: `fixtures/require/main.js`
//! runs dozens of named checks; `expected.txt` is what Node 20 printed for it
//! (regenerate with `sh fixtures/require/gen_expected.sh`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::Options;
use node_fixture::{assert_same_lines, NodeFixture};

#[test]
fn require_semantics_match_node() {
    NodeFixture::new("require").check(Options::new(), "main.js");
}

#[test]
fn require_semantics_are_identical_without_the_bytecode_cache() {
    NodeFixture::new("require").check(Options::new().code_cache(0), "main.js");
}

#[test]
fn a_warm_bytecode_cache_gives_identical_results_in_later_runtimes() {
    let fixture = NodeFixture::new("require");
    let factory = fixture.factory(Options::new());
    for round in 0..3 {
        assert_same_lines(&fixture.run_in(&factory, "main.js"), &fixture.expected());
        let stats = factory.code_cache_stats();
        if round > 0 {
            assert!(stats.hits > 0, "round {round}: {stats:?}");
        }
    }
}
