//! Real npm packages that need Buffer, TextEncoder, URL, crypto, streams,
//! child_process, tty and friends,
//! installed with `npm ci` from the committed lock file (`tests/npm/`) into
//! `target/tmp/npm-packages`, outside the source tree. Each script under
//! `tests/npm/scripts/` must print what Node 20 printed for it
//! (`tests/npm/expected/`, written by `tests/npm/gen_expected.sh`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

use jsbox::{CaptureSink, Factory, HeapImages, Options, Stream};
use node_fixture::assert_same_lines;

fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/npm")
}

/// Installs the locked packages (once per lock file) and copies the scripts
/// beside them; returns the folder.
fn install() -> PathBuf {
    let source = source_dir();
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = target.join("npm-packages");
    std::fs::create_dir_all(&dir).unwrap();
    let lock = std::fs::read(source.join("package-lock.json")).unwrap();
    let installed = dir.join("node_modules/.installed-lock.json");
    if std::fs::read(&installed).ok().as_deref() != Some(&lock[..]) {
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(source.join(file), dir.join(file)).unwrap();
        }
        let status = Command::new("npm")
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--cache",
            ])
            .arg(target.join("npm-cache"))
            .current_dir(&dir)
            .status()
            .expect("npm (Node 20's client) must be on PATH to install the test packages");
        assert!(status.success(), "npm ci failed in {}", dir.display());
        std::fs::write(&installed, &lock).unwrap();
    }
    let scripts = dir.join("scripts");
    let _ = std::fs::remove_dir_all(&scripts);
    std::fs::create_dir_all(&scripts).unwrap();
    for entry in std::fs::read_dir(source.join("scripts")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, scripts.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// The scripts, by name, with what Node printed for each.
fn cases() -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = std::fs::read_dir(source_dir().join("scripts"))
        .unwrap()
        .map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let stem = Path::new(&name).file_stem().unwrap().to_str().unwrap();
            let expected = source_dir().join("expected").join(format!("{stem}.txt"));
            let expected = std::fs::read_to_string(&expected)
                .unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
            (name, expected)
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "the package scripts are there");
    cases
}

fn run_all(dir: &Path, options: fn() -> Options) {
    let capture = CaptureSink::new();
    // Confined to the install folder (packages read their own files and
    // nothing else), no programs, no database, an empty environment.
    let sandbox = Factory::new(
        options()
            .deny_modules(["exec", "database"])
            .hide_env()
            .root(dir)
            .base_dir(dir)
            .console(capture.clone()),
    )
    .unwrap();
    // Scripts named `exec_*` start programs: only the ones they name.
    let exec = Factory::new(
        options()
            .hide_env()
            .allow_programs(["echo", "definitely-not-a-program-xyz"])
            .base_dir(dir)
            .console(capture.clone()),
    )
    .unwrap();
    for (script, expected) in cases() {
        capture.clear();
        let factory = if script.starts_with("exec_") {
            &exec
        } else {
            &sandbox
        };
        let rt = factory.new_runtime().unwrap();
        rt.run_file(format!("scripts/{script}"))
            .unwrap_or_else(|e| panic!("{script}: {e}"));
        rt.run_until_idle()
            .unwrap_or_else(|e| panic!("{script}: {e}"));
        assert_eq!(capture.text(Stream::Stderr), "", "{script}: stderr");
        println!("{script}: same as Node");
        assert_same_lines(&capture.text(Stream::Stdout), &expected);
    }
}

#[test]
fn npm_packages_print_what_node_prints() {
    let dir = install();
    run_all(&dir, Options::new);
    run_all(&dir, || {
        Options::new().heap_images(HeapImages::new().max_slots(1))
    });
}
