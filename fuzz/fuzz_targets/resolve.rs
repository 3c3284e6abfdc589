//! The module resolver over arbitrary file trees and specifiers: it must never
//! panic, and whatever it returns must be a file of the tree or a native name.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let request = lines.next().unwrap_or_default();
    let parent = lines.next().unwrap_or("/");
    let parent = if parent.starts_with('/') { parent } else { "/" };
    // Remaining lines: `path=content` files (package.json content included).
    let files: Vec<(String, Vec<u8>)> = lines
        .filter_map(|line| line.split_once('='))
        .map(|(path, content)| (path.to_string(), content.as_bytes().to_vec()))
        .collect();
    // The helper asserts the result is a native name or a file of the tree.
    let _ = jsbox::fuzzing::resolve(&files, &["fs", "path"], request, parent);
});
