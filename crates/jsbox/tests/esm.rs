//! ES modules under jsbox's promises: limits, policies, the call log, entry
//! points and errors. (Node's semantics are checked by `esm_node_fixture.rs`.)

use std::time::Duration;

use jsbox::calllog::{self, Filter};
use jsbox::{open, CaptureSink, Error, Factory, MemoryLoader, Options, Stream};

fn loader() -> MemoryLoader {
    MemoryLoader::new()
        .with(
            "main.mjs",
            "import { twice } from './lib.mjs';\nexport const four = twice(2);\n",
        )
        .with("lib.mjs", "export const twice = (x) => 2 * x;\n")
        .with("spin.mjs", "while (true) {}\n")
        .with(
            "late.mjs",
            "await new Promise((r) => setTimeout(r, 10_000));\nexport const never = 1;\n",
        )
        .with(
            "hog.mjs",
            "const a = []; for (;;) a.push(new Array(1e4).fill(0));\n",
        )
        .with(
            "uses_fs.mjs",
            "import { readFileSync } from 'fs';\nexport default typeof readFileSync;\n",
        )
        .with(
            "uses_path.mjs",
            "import { join } from 'node:path';\nexport const joined = join('a', 'b');\n",
        )
        .with("bad_syntax.mjs", "export const x = ;\n")
        .with(
            "cjs_default.mjs",
            "const parse = (s) => s.split(',');\nparse.extra = 1;\nexport default parse;\n\
             export { parse as 'module.exports' };\n",
        )
        .with(
            "throws.mjs",
            "export const before = 1;\nthrow new TypeError('at evaluation');\n",
        )
        .with("imports_throwing.mjs", "import './throws.mjs';\n")
        .with("data.json", "{ \"n\": 5 }")
        .with(
            "json_user.mjs",
            "import data from './data.json' with { type: 'json' };\nexport const n = data.n;\n",
        )
}

#[test]
fn require_of_an_es_module_gives_its_module_exports_export_when_it_has_one() {
    // As Node 20.19+: `export { x as 'module.exports' }` is what require() returns.
    let rt = open(Options::new().loader(loader())).unwrap();
    let out: String = rt
        .eval(
            "const parse = require('./cjs_default.mjs'); \
             const ns = require('./lib.mjs'); \
             JSON.stringify([typeof parse, parse('a,b'), parse.extra, typeof ns.twice])",
        )
        .unwrap();
    assert_eq!(out, r#"["function",["a","b"],1,"function"]"#);
}

#[test]
fn import_returns_the_namespace_and_runs_the_loop_for_top_level_await() {
    let rt = open(Options::new().loader(loader())).unwrap();
    let ns: serde_json::Value = rt.import("./main.mjs").unwrap();
    assert_eq!(ns, serde_json::json!({ "four": 4 }));
    let json: serde_json::Value = rt.import("./json_user.mjs").unwrap();
    assert_eq!(json["n"], 5);
    // An export called from Rust, ES module or not.
    assert_eq!(
        rt.call_export::<_, i64>("./lib.mjs", "twice", (21,))
            .unwrap(),
        42
    );
    // Module source evaluated directly.
    let capture = CaptureSink::new();
    let rt = open(Options::new().loader(loader()).console(capture.clone())).unwrap();
    rt.eval_module("import { twice } from './lib.mjs';\nconsole.log(twice(await Promise.resolve(5)), import.meta.url.startsWith('file:///'));")
        .unwrap();
    assert_eq!(capture.text(Stream::Stdout), "10 true\n");
}

#[test]
fn errors_name_the_file_and_leave_nothing_half_loaded() {
    let rt = open(Options::new().loader(loader())).unwrap();
    let syntax = rt.import::<()>("./bad_syntax.mjs").unwrap_err();
    let exception = syntax.exception().unwrap();
    assert_eq!(exception.name, "SyntaxError");
    let (file, line, _) = exception.location().expect("a location");
    assert!(
        file.ends_with("bad_syntax.mjs") && line == 1,
        "{exception:?}"
    );

    for specifier in ["./throws.mjs", "./imports_throwing.mjs", "./throws.mjs"] {
        let error = rt.import::<()>(specifier).unwrap_err();
        let exception = error.exception().unwrap();
        assert_eq!(
            (exception.name.as_str(), exception.message.as_str()),
            ("TypeError", "at evaluation")
        );
    }
    let missing = rt.import::<()>("./nope.mjs").unwrap_err();
    assert_eq!(
        missing.exception().unwrap().code.as_deref(),
        Some("ERR_MODULE_NOT_FOUND")
    );
    // The runtime is fine afterwards, and nothing was left as unhandled.
    rt.run_until_idle().unwrap();
    assert_eq!(
        rt.import::<serde_json::Value>("./lib.mjs")
            .map(|_| 1)
            .unwrap(),
        1
    );
}

#[test]
fn time_and_memory_limits_hold_for_module_code() {
    let rt = open(
        Options::new()
            .loader(loader())
            .timeout(Duration::from_millis(100)),
    )
    .unwrap();
    assert!(matches!(
        rt.import::<()>("./spin.mjs"),
        Err(Error::Timeout(_))
    ));
    // The loop waiting for a top-level await is one call too.
    assert!(matches!(
        rt.import::<()>("./late.mjs"),
        Err(Error::Timeout(_))
    ));
    assert_eq!(rt.eval::<i64>("1 + 1").unwrap(), 2);

    let rt = open(Options::new().loader(loader()).memory_limit(16 << 20)).unwrap();
    let error = rt.import::<()>("./hog.mjs").unwrap_err();
    assert!(error.to_string().contains("out of memory"), "{error}");
}

#[test]
fn the_policy_applies_to_imports() {
    let rt = open(Options::new().loader(loader()).sandboxed()).unwrap();
    let denied = rt.import::<()>("./uses_fs.mjs").unwrap_err();
    assert!(
        matches!(denied, Error::AccessDenied(ref m) if m.contains("'fs'")),
        "{denied:?}"
    );
    let ns: serde_json::Value = rt.import("./uses_path.mjs").unwrap();
    assert_eq!(ns["joined"], "a/b");
    let seen: String = rt
        .eval_module("try { await import('fs'); } catch (e) { globalThis.seen = e.code; }")
        .and_then(|()| rt.eval("seen"))
        .unwrap();
    assert_eq!(seen, "ERR_ACCESS_DENIED");

    // Outside the root nothing is read.
    let dir = tempfile::tempdir().unwrap();
    let jail = dir.path().join("jail");
    std::fs::create_dir(&jail).unwrap();
    std::fs::write(dir.path().join("secret.mjs"), "export default 'secret';").unwrap();
    std::fs::write(
        jail.join("escape.mjs"),
        "import s from '../secret.mjs'; export default s;",
    )
    .unwrap();
    let rt = open(Options::new().base_dir(&jail).root(&jail)).unwrap();
    let denied = rt.import::<()>("./escape.mjs").unwrap_err();
    assert!(matches!(denied, Error::AccessDenied(_)), "{denied:?}");
    let denied = rt
        .import::<()>(dir.path().join("secret.mjs").to_str().unwrap())
        .unwrap_err();
    assert!(matches!(denied, Error::AccessDenied(_)), "{denied:?}");
}

#[test]
fn calls_into_imported_builtins_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calls.db");
    let factory = Factory::new(Options::new().loader(loader()).call_log(&db)).unwrap();
    let rt = factory.new_runtime().unwrap();
    let ns: serde_json::Value = rt.import("./uses_path.mjs").unwrap();
    assert_eq!(ns["joined"], "a/b");
    drop(rt);
    factory.flush_call_log();
    let rows = calllog::read(&db, &Filter::default()).unwrap();
    assert!(
        rows.iter()
            .any(|row| row.module.as_deref() == Some("path") && row.function == "join"),
        "{rows:?}"
    );
}

#[test]
fn run_file_runs_an_es_module_entry_until_it_has_evaluated() {
    let capture = CaptureSink::new();
    let loader = loader().with(
        "app.mjs",
        "import { twice } from './lib.mjs';\nconst v = await new Promise((r) => setTimeout(() => r(twice(21)), 5));\nconsole.log('value', v, typeof require, typeof globalThis.require);\n",
    );
    let rt = open(Options::new().loader(loader).console(capture.clone())).unwrap();
    rt.run_file("app.mjs").unwrap();
    assert_eq!(
        capture.text(Stream::Stdout),
        "value 42 undefined undefined\n"
    );
}

#[test]
fn a_module_program_compiles_once_and_runs_in_any_runtime() {
    let factory = Factory::new(Options::new().loader(loader())).unwrap();
    let syntax = factory
        .compile_module("bad.mjs", "export const = 1;")
        .unwrap_err();
    assert_eq!(syntax.exception().unwrap().name, "SyntaxError");
    // Imports are loaded where the program runs, not when it is compiled.
    let program = factory
        .compile_module("handler.mjs", "import { twice } from './lib.mjs';\nexport const n = twice(await Promise.resolve(21));\n")
        .unwrap();
    assert!(program.is_module());
    for _ in 0..3 {
        let ns: serde_json::Value = factory.new_runtime().unwrap().run(&program).unwrap();
        assert_eq!(ns, serde_json::json!({ "n": 42 }));
    }
    let missing = factory
        .compile_module("m.mjs", "import './nope.mjs';")
        .unwrap();
    let error = factory
        .new_runtime()
        .unwrap()
        .run::<()>(&missing)
        .unwrap_err();
    assert_eq!(
        error.exception().unwrap().code.as_deref(),
        Some("ERR_MODULE_NOT_FOUND")
    );
}

#[test]
fn a_module_preload_is_evaluated_before_a_runtime_is_handed_out() {
    let capture = CaptureSink::new();
    let counted = loader().with(
        "counted.mjs",
        "console.log('evaluated');\nexport let uses = 0;\nexport function use() { return ++uses; }\n",
    );
    for images in [false, true] {
        capture.clear();
        let mut options = Options::new()
            .loader(counted.clone())
            .console(capture.clone())
            .preload_module("import './counted.mjs';\nawait Promise.resolve();\n");
        options = if images {
            options.heap_images(jsbox::HeapImages::new().max_slots(1))
        } else {
            options.without_heap_images()
        };
        let factory = Factory::new(options).unwrap();
        for _ in 0..2 {
            let rt = factory.new_runtime().unwrap();
            // Already evaluated: importing it runs nothing again, and each
            // runtime has its own module state.
            let before = capture.text(Stream::Stdout);
            rt.eval_module("import { use } from './counted.mjs'; globalThis.n = use();")
                .unwrap();
            assert_eq!(capture.text(Stream::Stdout), before);
            assert_eq!(rt.eval::<i64>("n").unwrap(), 1);
        }
    }
    // With heap images the preload cannot wait on a timer.
    let error = Factory::new(
        Options::new()
            .loader(loader())
            .heap_images(jsbox::HeapImages::new().max_slots(1))
            .preload_module("await new Promise((r) => setTimeout(r, 1));"),
    )
    .unwrap_err();
    assert!(error.to_string().contains("heap image"), "{error}");
}
