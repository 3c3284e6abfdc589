//! Precompiled programs and the bytecode cache behind `require()`.

use std::sync::Arc;

use jsbox::{Error, Factory, MemoryLoader, Options, Program};

#[test]
fn a_program_runs_in_many_runtimes_and_threads() {
    let factory = Factory::new(Options::new()).unwrap();
    let program = factory
        .compile(
            "handler.js",
            "globalThis.calls = (globalThis.calls || 0) + 1; [calls, typeof require]",
        )
        .unwrap();
    assert_eq!(program.name(), "handler.js");
    assert!(!program.is_empty());
    for _ in 0..3 {
        let rt = factory.new_runtime().unwrap();
        let seen: serde_json::Value = rt.run(&program).unwrap();
        assert_eq!(
            seen,
            serde_json::json!([1, "function"]),
            "each runtime starts fresh"
        );
    }
    let rt = factory.new_runtime().unwrap();
    rt.run::<()>(&program).unwrap();
    assert_eq!(
        rt.run::<serde_json::Value>(&program).unwrap()[0],
        2,
        "state persists within a runtime"
    );

    let program = Arc::new(program);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (factory, program) = (factory.clone(), program.clone());
            std::thread::spawn(move || {
                let rt = factory.new_runtime().unwrap();
                rt.run::<serde_json::Value>(&program).unwrap()[0]
                    .as_i64()
                    .unwrap()
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), 1);
    }
}

#[test]
fn programs_report_syntax_errors_at_compile_time_with_name_and_line() {
    let factory = Factory::new(Options::new()).unwrap();
    let err = factory
        .compile("broken.js", "let ok = 1;\nlet = = 2;\n")
        .unwrap_err();
    let Error::Exception(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.name, "SyntaxError");
    assert!(err.to_string().contains("broken.js:2:"), "{err}");
}

#[test]
fn program_exceptions_carry_the_program_name() {
    let factory = Factory::new(Options::new()).unwrap();
    let program = factory.compile("thrower.js", "\nnull.x").unwrap();
    let err = factory
        .new_runtime()
        .unwrap()
        .run::<()>(&program)
        .unwrap_err();
    assert!(err.to_string().contains("thrower.js:2"), "{err}");
}

#[test]
fn program_is_send_sync_clone() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Program>();
}

#[test]
fn require_hits_the_cache_in_later_runtimes() {
    let factory = Factory::new(
        Options::new().loader(
            MemoryLoader::new()
                .with("a.js", "module.exports = require('./b') + 1")
                .with("b.js", "module.exports = 41"),
        ),
    )
    .unwrap();
    assert_eq!(
        factory
            .new_runtime()
            .unwrap()
            .require::<i64>("./a")
            .unwrap(),
        42
    );
    let first = factory.code_cache_stats();
    assert_eq!((first.misses, first.hits, first.entries), (2, 0, 2));
    assert_eq!(
        factory
            .new_runtime()
            .unwrap()
            .require::<i64>("./a")
            .unwrap(),
        42
    );
    let second = factory.code_cache_stats();
    assert_eq!((second.misses, second.hits), (2, 2));
    assert!(second.bytes > 0);
}

#[test]
fn a_changed_file_is_recompiled() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("m.js");
    std::fs::write(&module, "module.exports = 'old'").unwrap();
    let factory = Factory::new(Options::new().base_dir(dir.path())).unwrap();
    assert_eq!(
        factory
            .new_runtime()
            .unwrap()
            .require::<String>("./m")
            .unwrap(),
        "old"
    );
    std::fs::write(&module, "module.exports = 'new'").unwrap();
    assert_eq!(
        factory
            .new_runtime()
            .unwrap()
            .require::<String>("./m")
            .unwrap(),
        "new"
    );
    let stats = factory.code_cache_stats();
    assert_eq!((stats.misses, stats.hits, stats.entries), (2, 0, 1));
}

#[test]
fn a_disabled_cache_stays_empty() {
    let factory = Factory::new(
        Options::new()
            .code_cache(0)
            .loader(MemoryLoader::new().with("a.js", "module.exports = 1")),
    )
    .unwrap();
    for _ in 0..2 {
        assert_eq!(
            factory
                .new_runtime()
                .unwrap()
                .require::<i64>("./a")
                .unwrap(),
            1
        );
    }
    assert_eq!(factory.code_cache_stats().entries, 0);
}
