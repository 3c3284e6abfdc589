//! Arbitrary JavaScript under `sandboxed()` with a `root`: a canary file lies
//! outside the root and a canary program would leave a mark if it ever ran.
//! The target fails if the canary's content appears in anything the script
//! printed or returned, or if the program ran.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

struct Setup {
    /// What only the canary file holds: random per process, so the fuzzer
    /// cannot learn it from this program's constants.
    secret: String,
    factory: jsbox::Factory,
    output: jsbox::CaptureSink,
    mark: PathBuf,
}

/// Fixed paths under the temp directory, so the seed corpus can name them:
/// `jsbox-fuzz-canary/secret.txt`, `jsbox-fuzz-canary/program` (a shell script
/// that creates `jsbox-fuzz-canary/ran`), and the root `jsbox-fuzz-canary/root`.
fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = std::env::temp_dir().join("jsbox-fuzz-canary");
        let root = dir.join("root");
        std::fs::create_dir_all(&root).unwrap();
        let secret = format!("CANARY-{:016x}", {
            use std::hash::{BuildHasher, Hasher};
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(std::process::id().into());
            hasher.finish()
        });
        std::fs::write(dir.join("secret.txt"), &secret).unwrap();
        std::fs::write(root.join("inside.txt"), "inside the root").unwrap();
        std::os::unix::fs::symlink(dir.join("secret.txt"), root.join("link")).ok();
        let mark = dir.join("ran");
        let program = dir.join("program");
        std::fs::write(&program, format!("#!/bin/sh\ntouch {}\n", mark.display())).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let _ = std::fs::remove_file(&mark);
        let output = jsbox::CaptureSink::new();
        let factory = jsbox::Factory::new(
            jsbox::Options::new()
                .console(output.clone())
                .sandboxed()
                .root(&root)
                .base_dir(&root)
                .timeout(std::time::Duration::from_millis(200))
                .memory_limit(64 << 20)
                .stack_limit(256 << 10),
        )
        .unwrap();
        Setup {
            secret,
            factory,
            output,
            mark,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    let source = String::from_utf8_lossy(data);
    let rt = setup.factory.new_runtime().unwrap();
    let result = rt.eval_inspect(&source);
    let idle = rt.run_until_idle();
    drop(rt);
    let printed = setup.output.messages();
    setup.output.clear();
    let seen = format!("{printed:?}\n{result:?}\n{idle:?}");
    // Only what the script could not have written itself counts: libFuzzer
    // learns strings from the comparisons it watches.
    let leaked = seen.contains(&setup.secret) && !source.contains(&setup.secret);
    assert!(!leaked, "the canary's content leaked:\n{seen}");
    assert!(!setup.mark.exists(), "the canary program ran");
});
