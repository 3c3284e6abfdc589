//! The Web Platform Tests URL data, run through jsbox's `URL`: the parsing
//! cases (`urltestdata.json`) and the setter cases (`setters_tests.json`).
//! The `url` crate ships both files in its crates.io package, so they are on
//! disk wherever jsbox has been built (in Cargo's registry sources). Cases
//! that fail are exactly those listed in `fixtures/url_wpt/known_failures.txt`
//! (cases where the `url` crate differs from the standard, and so from Node);
//! a case that starts passing fails the test too, so the list stays true.

use std::collections::BTreeSet;
use std::path::PathBuf;

use jsbox::{Factory, HeapImages, Options};

/// The `url` crate's version, as Cargo.lock pins it.
fn url_crate_version() -> String {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock"))
        .expect("Cargo.lock");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"url\"" {
            let version = lines.next().expect("a version line");
            return version
                .trim_start_matches("version = \"")
                .trim_end_matches('"')
                .to_string();
        }
    }
    panic!("Cargo.lock has no url package");
}

/// The folder of the `url` crate's tests in Cargo's registry sources.
fn wpt_dir() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cargo"));
    let crate_dir = format!("url-{}", url_crate_version());
    let sources = cargo_home.join("registry/src");
    for registry in std::fs::read_dir(&sources).expect("Cargo's registry sources") {
        let dir = registry.unwrap().path().join(&crate_dir).join("tests");
        if dir.join("urltestdata.json").is_file() {
            return dir;
        }
    }
    panic!(
        "{crate_dir}/tests/urltestdata.json not found under {}",
        sources.display()
    );
}

fn run(options: Options) -> (usize, BTreeSet<String>) {
    let dir = wpt_dir();
    let urls = std::fs::read_to_string(dir.join("urltestdata.json")).unwrap();
    let setters = std::fs::read_to_string(dir.join("setters_tests.json")).unwrap();
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/url_wpt/run.js"
    ))
    .unwrap();
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.with(|ctx| {
        ctx.globals().set("WPT_URLS", urls)?;
        ctx.globals().set("WPT_SETTERS", setters)?;
        Ok(())
    })
    .unwrap();
    let report: String = rt.eval(&script).unwrap();
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let cases = report["cases"].as_u64().unwrap() as usize;
    let failures = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    (cases, failures)
}

fn known_failures() -> BTreeSet<String> {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/url_wpt/known_failures.txt"
    ))
    .unwrap()
    .lines()
    .filter(|line| !line.is_empty() && !line.starts_with('#'))
    .map(str::to_string)
    .collect()
}

fn check(options: Options) {
    let (cases, failures) = run(options);
    assert!(cases > 1000, "the WPT data was read ({cases} cases)");
    let known = known_failures();
    let new: Vec<_> = failures.difference(&known).collect();
    let fixed: Vec<_> = known.difference(&failures).collect();
    assert!(new.is_empty(), "cases that now fail: {new:#?}");
    assert!(
        fixed.is_empty(),
        "listed failures that now pass: {fixed:#?}"
    );
}

#[test]
fn wpt_url_cases_pass_but_the_known_failures() {
    check(Options::new());
}

#[test]
fn the_same_in_heap_image_runtimes() {
    check(Options::new().heap_images(HeapImages::new().max_slots(1)));
}
