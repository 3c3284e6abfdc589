//! Isolation against hostile scripts: every finding of the adversarial review
//! as a regression test, on both creation paths (normal, and heap images with
//! one slot so the slot is reused).
//!
//! Cases that could crash the process run in a child process (this test
//! binary, its ignored `child_case` test, with `JSBOX_SECURITY_CASE` naming the
//! case), so that a crash or a hang is a failed test, not a lost test run.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jsbox::{open, Error, Factory, HeapImages, MemoryLoader, NullSink, Options};

/// The two creation paths, each with options that make it explicit.
#[derive(Clone, Copy, Debug)]
enum Route {
    Normal,
    Image,
}

const PATHS: [Route; 2] = [Route::Normal, Route::Image];

fn on(route: Route, options: Options) -> Options {
    match route {
        Route::Normal => options.without_heap_images(),
        Route::Image => options.heap_images(HeapImages::new().max_slots(1)),
    }
}

fn factory(path: Route, options: Options) -> Factory {
    Factory::new(on(path, options.console(NullSink))).unwrap()
}

const CASE_ENV: &str = "JSBOX_SECURITY_CASE";

/// Runs `case` in a child process and fails unless it exits cleanly within
/// `limit`.
fn in_child(case: &str, limit: Duration) {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "--exact",
            "child_case",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CASE_ENV, case)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    match status {
        None => panic!("case {case} did not finish within {limit:?}:\n{text}"),
        Some(status) => assert!(
            status.success() && text.contains("case passed"),
            "case {case} failed ({status}):\n{text}"
        ),
    }
}

/// The entry point of the child process: runs the case the parent named.
#[test]
#[ignore = "run by the other tests in a child process"]
fn child_case() {
    let Ok(case) = std::env::var(CASE_ENV) else {
        return;
    };
    match case.as_str() {
        "promise_storm" => promise_storm(),
        "interrupted_find" => interrupted_find(),
        "image_bytes" => image_bytes_are_not_shared(),
        "endless_preload" => endless_preload(),
        "small_stack" => small_thread_stacks(),
        "timer_bookkeeping" => timer_bookkeeping(),
        "reentrant_tracker" => reentrant_rejection_tracker(),
        "sparse_arrays" => sparse_arrays_reaching_rust(),
        "waits_past_deadline" => waits_past_the_deadline(),
        "prepare_stack_trace" => prepare_stack_trace_values(),
        "esm_failed_cycle" => esm_failed_import_in_a_cycle(),
        "esm_require_evaluating" => esm_require_of_an_evaluating_graph(),
        "esm_reentrant_hook" => esm_loading_from_inside_a_hook(),
        "esm_deep_template" => esm_deeply_nested_template_in_commonjs(),
        other => panic!("no case named {other}"),
    }
    println!("case passed");
}

// ---- 1. No internal object is reachable; bindings check the policy ----

/// The globals a runtime has: ECMAScript's (with QuickJS's few extras) and
/// the Node globals jsbox documents. Nothing else, in particular no internals.
const GLOBALS: &str = "Object Function Error EvalError RangeError ReferenceError SyntaxError \
    TypeError URIError InternalError AggregateError SuppressedError Iterator Array parseInt \
    parseFloat isNaN isFinite queueMicrotask decodeURI decodeURIComponent encodeURI \
    encodeURIComponent escape unescape Infinity NaN undefined eval Number Boolean String Math \
    Reflect Symbol DisposableStack globalThis BigInt RegExp JSON Promise AsyncDisposableStack \
    Proxy Date Map Set WeakMap WeakSet ArrayBuffer SharedArrayBuffer Uint8ClampedArray Int8Array \
    Uint8Array Int16Array Uint16Array Int32Array Uint32Array BigInt64Array BigUint64Array \
    Float16Array Float32Array Float64Array DataView Atomics WeakRef FinalizationRegistry \
    performance DOMException atob btoa require console process Buffer setTimeout setInterval \
    setImmediate clearTimeout clearInterval clearImmediate TextEncoder TextDecoder structuredClone \
    URL URLSearchParams crypto global \
    EventTarget Event CustomEvent AbortController AbortSignal \
    Symbol(Symbol.toStringTag)";

#[test]
fn globals_are_ecmascript_and_documented_node_globals_only() {
    let mut expected: Vec<&str> = GLOBALS.split_whitespace().collect();
    expected.sort_unstable();
    for path in PATHS {
        let rt = factory(path, Options::new().sandboxed())
            .new_runtime()
            .unwrap();
        // Touch everything first: lazily loaded globals must not add keys.
        rt.eval::<()>("require('util'); console.log(1); process.argv; setTimeout(() => {}, 0)")
            .unwrap();
        let keys: Vec<String> = rt.eval("Reflect.ownKeys(globalThis).map(String)").unwrap();
        let mut keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, expected, "{path:?}");
        let hidden: bool = rt
            .eval("typeof __jsbox === 'undefined' && !('__jsbox' in globalThis)")
            .unwrap();
        assert!(hidden, "{path:?}");
    }
}

#[test]
fn stack_traces_hand_out_no_internal_function() {
    // A module body runs inside jsbox's module loader, a console.log inspect
    // hook inside util.inspect, a timer callback inside the event loop: the
    // frames of all three are asked for their functions.
    let source = r#"
        const leaked = [];
        function grab() {
            const saved = Error.prepareStackTrace;
            Error.prepareStackTrace = (_, sites) => sites;
            const sites = new Error().stack;
            Error.prepareStackTrace = saved;
            for (const site of sites) {
                const fn = site.getFunction();
                if (fn !== undefined && !mine.has(fn)) leaked.push(String(site.getFileName()) + ' ' + (fn.name || '?'));
            }
        }
        const mine = new Set([grab]);
        const hook = { [Symbol.for('nodejs.util.inspect.custom')]() { grab(); return 'x'; } };
        mine.add(hook[Symbol.for('nodejs.util.inspect.custom')]);
        console.log(hook);
        [1].map(function cb() { mine.add(cb); grab(); });
        setTimeout(function later() { mine.add(later); grab(); }, 0);
        globalThis.leaked = leaked;
    "#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.js"), source).unwrap();
    for path in PATHS {
        let rt = factory(path, Options::new().base_dir(dir.path()))
            .new_runtime()
            .unwrap();
        rt.run_file("main.js").unwrap();
        rt.run_until_idle().unwrap();
        let leaked: Vec<String> = rt.eval("leaked").unwrap();
        // `[].map` is a native frame, main.js's own body is the user's.
        assert!(
            leaked.iter().all(|l| l.contains("main.js")),
            "{path:?}: internal functions reached: {leaked:?}"
        );
    }
}

#[test]
fn the_sandbox_holds_and_every_way_to_a_binding_is_denied() {
    let canary = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(canary.path(), "CANARY-7f3a").unwrap();
    let root = tempfile::tempdir().unwrap();
    for path in PATHS {
        let rt = factory(path, Options::new().sandboxed().root(root.path()))
            .new_runtime()
            .unwrap();
        let file = canary.path().to_str().unwrap();
        let outcome: String = rt
            .eval(&format!(
                r#"
                const out = [];
                for (const name of ['fs', 'node:fs', 'exec', 'database', 'fs/promises']) {{
                    try {{ require(name); out.push(name + ':loaded'); }}
                    catch (e) {{ out.push(name + ':' + e.code); }}
                }}
                out.push(String(typeof __jsbox));
                try {{ process.binding('fs'); out.push('binding'); }} catch (e) {{ out.push('no binding'); }}
                out.join(' ') + ' ' + {file:?}.length
                "#
            ))
            .unwrap();
        assert!(!outcome.contains("loaded"), "{path:?}: {outcome}");
        assert!(
            outcome.contains("fs:ERR_ACCESS_DENIED"),
            "{path:?}: {outcome}"
        );
        assert!(
            outcome.contains("exec:ERR_ACCESS_DENIED"),
            "{path:?}: {outcome}"
        );
        assert!(outcome.contains("undefined"), "{path:?}: {outcome}");
    }
}

#[test]
fn the_root_is_enforced_for_fs_and_database_paths() {
    let outside = tempfile::tempdir().unwrap();
    let canary = outside.path().join("canary.txt");
    std::fs::write(&canary, "CANARY-7f3a").unwrap();
    let root = tempfile::tempdir().unwrap();
    let root_path = root.path().canonicalize().unwrap();
    std::os::unix::fs::symlink(&canary, root_path.join("link")).unwrap();
    for path in PATHS {
        let rt = factory(path, Options::new().root(&root_path).base_dir(&root_path))
            .new_runtime()
            .unwrap();
        let canary = canary.to_str().unwrap();
        let codes: Vec<String> = rt
            .eval(&format!(
                r#"
                const fs = require('fs');
                const db = require('database');
                const tries = [
                    () => fs.readFileSync({canary:?}, 'utf8'),
                    () => fs.readFileSync({root:?} + '/link', 'utf8'),
                    () => fs.readFileSync('../../../../../../..' + {canary:?}),
                    () => fs.copyFileSync({canary:?}, 'copy.txt'),
                    () => fs.renameSync({canary:?}, 'moved.txt'),
                    () => db.configure('sqlite3', {canary:?}),
                    () => db.configure('sqlite3', 'file:' + {canary:?} + '?mode=ro'),
                    () => {{ db.configure('sqlite3', ':memory:'); db.exec("ATTACH DATABASE " + JSON.stringify({canary:?}) + " AS x"); }},
                    () => {{ db.configure('sqlite3', ':memory:'); db.exec("VACUUM INTO " + JSON.stringify({outside:?} + '/copy.db')); }},
                ];
                tries.map((t) => {{ try {{ t(); return 'allowed'; }} catch (e) {{ return e.code || e.message; }} }})
                "#,
                root = root_path.to_str().unwrap(),
                outside = outside.path().to_str().unwrap(),
            ))
            .unwrap();
        assert_eq!(codes.len(), 9);
        for (i, code) in codes.iter().enumerate() {
            assert!(
                code == "ERR_ACCESS_DENIED" || code == "ERR_SQLITE",
                "{path:?}: attempt {i} gave {code}"
            );
        }
        // The two database files that ATTACH or VACUUM INTO would have written.
        assert!(!outside.path().join("copy.db").exists());
        assert_eq!(std::fs::read_to_string(canary).unwrap(), "CANARY-7f3a");
    }
}

#[test]
fn exec_checks_the_program_list_and_hides_the_environment() {
    for path in PATHS {
        let rt = factory(path, Options::new().allow_programs(["env"]).hide_env())
            .new_runtime()
            .unwrap();
        let denied: String = rt
            .eval(
                "try { require('exec').run('sh', ['-c', 'echo hi']); 'ran' } catch (e) { e.code }",
            )
            .unwrap();
        assert_eq!(denied, "ERR_ACCESS_DENIED", "{path:?}");
        // The hidden environment is not passed on to a program either.
        let env: String = rt.eval("require('exec').run('env', [])").unwrap();
        assert!(!env.contains("PATH="), "{path:?}: {env}");
    }
}

// ---- 2, 5, 6. Bytes scripts can reach live in the engine heap ----

fn image_bytes_are_not_shared() {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), [1u8; 4096]).unwrap();
    let preload = format!(
        "globalThis.bytes = require('fs').readFileSync({:?}, null);",
        file.path().to_str().unwrap()
    );
    let factory = factory(Route::Image, Options::new().preload(preload));
    for _ in 0..20 {
        let a = factory.new_runtime().unwrap();
        let seen: i64 = a.eval("const v = bytes[0]; bytes[0] = 42; v").unwrap();
        assert_eq!(seen, 1, "a runtime saw another's write");
        // Dropping the last reference: the bytes must not be freed under the image.
        a.eval::<()>(
            "globalThis.bytes = null; for (let i = 0; i < 3; i++) new ArrayBuffer(1 << 20);",
        )
        .unwrap();
        drop(a);
        let b = factory.new_runtime().unwrap();
        let sum: i64 = b.eval("bytes.reduce((a, b) => a + b, 0)").unwrap();
        assert_eq!(sum, 4096);
    }
}

#[test]
fn image_runtimes_share_no_bytes_outside_the_heap() {
    in_child("image_bytes", Duration::from_secs(60));
}

#[test]
fn the_memory_limit_counts_bytes_modules_return() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&vec![7u8; 4 << 20]).unwrap();
    for path in PATHS {
        let rt = factory(path, Options::new().memory_limit(16 << 20))
            .new_runtime()
            .unwrap();
        let err = rt
            .eval::<()>(&format!(
                "const fs = require('fs'); const kept = []; \
                 for (let i = 0; i < 64; i++) kept.push(fs.readFileSync({:?}, null));",
                file.path().to_str().unwrap()
            ))
            .unwrap_err();
        assert!(err.to_string().contains("out of memory"), "{path:?}: {err}");
        assert!(rt.memory_used() < (20 << 20), "{path:?}");
    }
}

#[test]
fn bindings_do_not_read_more_than_the_memory_limit_into_host_memory() {
    let big = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(big.path(), vec![1u8; 24 << 20]).unwrap();
    for path in PATHS {
        let rt = factory(path, Options::new().memory_limit(16 << 20))
            .new_runtime()
            .unwrap();
        let codes: Vec<String> = rt
            .eval(&format!(
                "const tries = [ \
                   () => require('fs').readFileSync({file:?}, null), \
                   () => require('fs').readFileSync({file:?}, 'utf8'), \
                   () => require('exec').run('head', ['-c', '40000000', '/dev/zero']), \
                 ]; \
                 tries.map((t) => {{ try {{ t(); return 'read'; }} catch (e) {{ return e.code; }} }})",
                file = big.path().to_str().unwrap()
            ))
            .unwrap();
        assert_eq!(
            codes,
            [
                "ERR_FS_FILE_TOO_LARGE",
                "ERR_FS_FILE_TOO_LARGE",
                "ERR_CHILD_PROCESS_STDIO_MAXBUFFER"
            ],
            "{path:?}"
        );
        // Below the limit, the same calls work.
        let small: i64 = rt
            .eval("require('exec').run('head', ['-c', '1000', '/dev/zero']).length")
            .unwrap();
        assert_eq!(small, 1000);
    }
}

// ---- 3. Promise-job storms end at the deadline, on both paths ----

fn promise_storm() {
    for path in PATHS {
        let factory = factory(
            path,
            Options::new()
                .timeout(Duration::from_millis(300))
                .memory_limit(24 << 20),
        );
        // Twice: the second runtime reuses the first one's slot.
        for _ in 0..2 {
            let rt = factory.new_runtime().unwrap();
            let started = Instant::now();
            let err = rt
                .eval::<()>(
                    "function f() { Promise.resolve().then(f); Promise.resolve().then(f); } f();",
                )
                .unwrap_err();
            assert!(matches!(err, Error::Timeout(_)), "{path:?}: {err}");
            assert!(started.elapsed() < Duration::from_secs(5), "{path:?}");
            // A storm of rejections, which the rejection tracker records.
            let rt = factory.new_runtime().unwrap();
            let err = rt
                .eval::<()>("function g() { Promise.reject(new Error('x')).catch(g); Promise.reject(1); g2(); } function g2() { Promise.resolve().then(g); } g();")
                .unwrap_err();
            assert!(matches!(err, Error::Timeout(_)), "{path:?}: {err}");
        }
    }
}

#[test]
fn a_promise_job_storm_ends_at_the_deadline() {
    in_child("promise_storm", Duration::from_secs(60));
}

/// QuickJS-ng frees the element twice when its time-limit interrupt lands
/// between two iterations of `find`/`findIndex`/`findLast`/`findLastIndex`:
/// jsbox replaces them, so a script ended by its deadline there leaves a
/// sound heap.
fn interrupted_find() {
    for path in PATHS {
        let factory = factory(path, Options::new().timeout(Duration::from_millis(50)));
        for method in ["find", "findIndex", "findLast", "findLastIndex"] {
            for _ in 0..3 {
                let rt = factory.new_runtime().unwrap();
                let err = rt
                    .eval::<()>(&format!(
                        "const a = []; for (let i = 0; i < 64; i++) a.push({{ i }}); \
                         globalThis.keep = a; for (;;) a.{method}((x) => false);"
                    ))
                    .unwrap_err();
                assert!(matches!(err, Error::Timeout(_)), "{path:?} {method}: {err}");
                drop(rt);
            }
        }
    }
}

#[test]
fn a_deadline_inside_array_find_leaves_a_sound_heap() {
    in_child("interrupted_find", Duration::from_secs(60));
}

// ---- 4. Scripts cannot write the event loop's bookkeeping ----

fn timer_bookkeeping() {
    for path in PATHS {
        let rt = factory(path, Options::new()).new_runtime().unwrap();
        rt.eval::<()>(
            "globalThis.fired = 0; \
             const t = setTimeout(() => { fired++; }, 10); \
             t._due = Infinity; t._idleTimeout = -1; t._onTimeout = null; \
             Object.defineProperty(t, '_repeat', { value: true }); \
             const i = setImmediate(() => { fired++; }); i._cleared = true; i._fn = null;",
        )
        .unwrap();
        let started = Instant::now();
        rt.run_until_idle().unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(rt.eval::<i64>("fired").unwrap(), 2, "{path:?}");
    }
}

#[test]
fn scripts_cannot_write_timer_state() {
    in_child("timer_bookkeeping", Duration::from_secs(30));
}

// ---- 7. Conversions cannot keep values past a runtime ----
// `FromJsValue` is sealed: see the `compile_fail` example on it. User types
// convert through `jsbox::Json<T>`.

#[test]
fn user_types_convert_through_json() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Point {
        x: i32,
        y: i32,
    }
    for path in PATHS {
        let rt = factory(path, Options::new()).new_runtime().unwrap();
        let jsbox::Json(p) = rt.eval::<jsbox::Json<Point>>("({ x: 1, y: 2 })").unwrap();
        assert_eq!(p, Point { x: 1, y: 2 });
        let err = rt.eval::<jsbox::Json<Point>>("({ x: 'no' })").unwrap_err();
        assert!(matches!(err, Error::Conversion(_)), "{err}");
    }
}

// ---- 8. A preload obeys the time limit ----

fn endless_preload() {
    for path in PATHS {
        let options = on(
            path,
            Options::new()
                .console(NullSink)
                .timeout(Duration::from_millis(300))
                .preload("for (;;) {}"),
        );
        let started = Instant::now();
        let outcome = Factory::new(options).and_then(|f| f.new_runtime());
        let err = outcome.expect_err("an endless preload must fail");
        assert!(matches!(err, Error::Timeout(_)), "{path:?}: {err}");
        assert!(started.elapsed() < Duration::from_secs(5), "{path:?}");
    }
}

#[test]
fn an_endless_preload_times_out() {
    in_child("endless_preload", Duration::from_secs(60));
}

// ---- 10. Small thread stacks get a RangeError, not a native overflow ----

fn small_thread_stacks() {
    for path in PATHS {
        let factory = factory(path, Options::new());
        for stack in [256usize << 10, 1 << 20] {
            let factory = factory.clone();
            let outcome = std::thread::Builder::new()
                .stack_size(stack)
                .spawn(move || {
                    let rt = factory.new_runtime().unwrap();
                    rt.eval::<()>("function deep(n) { return deep(n + 1) + 1; } deep(0);")
                        .unwrap_err()
                })
                .unwrap()
                .join()
                .unwrap();
            assert!(
                outcome.to_string().contains("stack"),
                "{path:?} {stack}: {outcome}"
            );
        }
    }
}

#[test]
fn deep_recursion_on_a_small_thread_stack_is_a_range_error() {
    in_child("small_stack", Duration::from_secs(60));
}

#[test]
fn the_child_runner_reports_failures() {
    // The harness itself: an unknown case must fail, so a broken runner
    // cannot make every case above pass.
    let result = std::panic::catch_unwind(|| in_child("no_such_case", Duration::from_secs(30)));
    assert!(result.is_err());
}

// ---- Found by a second review: reaching internals by replacing built-ins ----

#[test]
fn a_rewritten_module_filename_reads_nothing_outside_the_root() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOPSECRET-93af").unwrap();
    let root = tempfile::tempdir().unwrap();
    let root_path = root.path().canonicalize().unwrap();
    std::fs::write(root_path.join("dummy.js"), "module.exports = 1;").unwrap();
    std::fs::write(
        root_path.join("main.js"),
        format!(
            r#"
            let captured = '';
            const startsWith = String.prototype.startsWith;
            module.children = {{
                push(m) {{ m.filename = {secret:?}; }},
                includes() {{ return false; }},
                indexOf() {{ return -1; }},
            }};
            String.prototype.startsWith = function (prefix) {{
                captured += String(this);
                return Reflect.apply(startsWith, this, arguments);
            }};
            try {{ require('./dummy.js'); }} catch (e) {{ captured += String(e.message); }}
            try {{ require({secret:?}); }} catch (e) {{ captured += String(e.message); }}
            String.prototype.startsWith = startsWith;
            globalThis.captured = captured;
            "#,
            secret = secret.to_str().unwrap()
        ),
    )
    .unwrap();
    for path in PATHS {
        let rt = factory(
            path,
            Options::new()
                .sandboxed()
                .root(&root_path)
                .base_dir(&root_path),
        )
        .new_runtime()
        .unwrap();
        rt.run_file("main.js").unwrap();
        let captured: String = rt.eval("captured").unwrap();
        assert!(!captured.contains("TOPSECRET"), "{path:?}: {captured}");
    }
}

#[test]
fn replaced_built_ins_never_receive_jsbox_internals() {
    for path in PATHS {
        let rt = factory(path, Options::new().sandboxed())
            .new_runtime()
            .unwrap();
        let seen: Vec<String> = rt
            .eval(
                r#"
                const seen = [];
                const look = (x) => {
                    if (x !== null && (typeof x === 'object' || typeof x === 'function')) {
                        for (const k of ['binding', 'read', 'loadNative', 'extend', 'trackRejection', 'logCall', 'primordials']) {
                            try { if (k in x) seen.push(k); } catch (e) {}
                        }
                    }
                };
                const { call, apply } = Function.prototype;
                Function.prototype.call = function (...args) { look(this); args.forEach(look); return Reflect.apply(this, args[0], args.slice(1)); };
                Function.prototype.apply = function (self, args) { look(this); look(self); if (args) Array.from(args).forEach(look); return Reflect.apply(this, self, args || []); };
                const assign = Object.assign;
                Object.assign = function (target, ...sources) { look(target); sources.forEach(look); return assign(target, ...sources); };
                const keys = Object.keys;
                Object.keys = function (o) { look(o); return keys(o); };
                Object.defineProperty(Object.prototype, 'checkPath', { get() { look(this); return undefined; }, configurable: true });
                Object.defineProperty(Object.prototype, 'warn', { get() { look(this); return undefined; }, configurable: true });
                require('path').join('a', 'b');
                require('util').inspect({ a: 1 });
                require('events');
                console.log('x');
                setTimeout(() => {}, 0);
                Promise.reject(1).catch(() => {});
                Function.prototype.call = call;
                Function.prototype.apply = apply;
                Object.assign = assign;
                Object.keys = keys;
                delete Object.prototype.checkPath;
                delete Object.prototype.warn;
                seen
                "#,
            )
            .unwrap();
        assert!(seen.is_empty(), "{path:?}: internals reached: {seen:?}");
    }
}

/// The rejection tracker runs inside the engine's promise code: a script that
/// makes it re-enter (a replaced built-in that rejects again, a `toJSON` that
/// logs again) must meet the stack limit, not overflow the host's stack.
fn reentrant_rejection_tracker() {
    let log = tempfile::tempdir().unwrap();
    for path in PATHS {
        for stack in [None, Some(256 << 10)] {
            let mut options = Options::new()
                .timeout(Duration::from_secs(2))
                .memory_limit(64 << 20)
                .call_log(log.path().join("calls.db"));
            if let Some(bytes) = stack {
                options = options.stack_limit(bytes);
            }
            let factory = factory(path, options);
            for source in [
                "Array.prototype.findIndex = function () { Promise.reject(0); return -1; }; Promise.reject(0);",
                "Array.prototype.splice = function () { Promise.reject(0); }; Promise.reject(0);",
                "const path = require('path'); \
                 const evil = { toJSON() { try { path.basename(evil); } catch (e) {} return 1; } }; \
                 try { path.basename(evil); } catch (e) {}",
            ] {
                let rt = factory.new_runtime().unwrap();
                // Any outcome but a crash: an error, a timeout, or success.
                let _ = rt.eval::<()>(source);
                let _ = rt.run_until_idle();
                drop(rt);
            }
        }
    }
}

#[test]
fn a_tracker_or_encoder_that_reenters_meets_the_stack_limit() {
    in_child("reentrant_tracker", Duration::from_secs(120));
}

/// Arrays whose `length` claims billions of elements reach bindings and the
/// call log: they are refused or cut, never allocated or trusted.
fn sparse_arrays_reaching_rust() {
    let log = tempfile::tempdir().unwrap();
    for path in PATHS {
        let factory = factory(
            path,
            Options::new()
                .timeout(Duration::from_secs(5))
                .memory_limit(64 << 20)
                .call_log(log.path().join("calls.db")),
        );
        let rt = factory.new_runtime().unwrap();
        let codes: Vec<String> = rt
            .eval(
                "const db = require('database'); db.configure('sqlite3', ':memory:'); \
                 const tries = [ \
                   () => db.query('select 1', new Array(2 ** 31 - 1)), \
                   () => db.query('select 1', new Array(2 ** 32 - 1)), \
                   () => db.exec('select 1', { length: 2 ** 53 - 1 }), \
                   () => require('exec').run('true', { length: 2 ** 32 - 1, map: () => ({ length: 2 ** 32 - 1 }) }), \
                 ]; \
                 tries.map((t) => { try { t(); return 'ran'; } catch (e) { return String(e.code); } })",
            )
            .unwrap();
        // (The third is one parameter, an object, for a statement with none.)
        assert_eq!(
            codes,
            [
                "ERR_OUT_OF_RANGE",
                "ERR_OUT_OF_RANGE",
                "ERR_SQLITE",
                "ERR_INVALID_ARG_TYPE"
            ],
            "{path:?}"
        );
        // The call log encodes what it is given, cut to its payload limit.
        let logged: String = rt
            .eval("const p = require('path'); for (const n of [2 ** 31 - 1, 2 ** 32 - 1]) { try { p.basename(new Array(n)); } catch (e) {} } 'done'")
            .unwrap();
        assert_eq!(logged, "done");
    }
}

#[test]
fn sparse_arrays_never_make_rust_allocate_or_panic() {
    in_child("sparse_arrays", Duration::from_secs(120));
}

/// Waits inside bindings (a program, a long SQL query) end at the runtime's
/// deadline, like script code does.
fn waits_past_the_deadline() {
    for path in PATHS {
        let factory = factory(path, Options::new().timeout(Duration::from_millis(500)));
        for source in [
            "require('exec').run('sleep', ['20'])",
            "const db = require('database'); db.configure('sqlite3', ':memory:'); \
             db.query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c')",
            "const db = require('database'); db.configure('sqlite3', ':memory:'); \
             try { db.query('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c'); } catch (e) {} \
             for (;;) {}",
        ] {
            let rt = factory.new_runtime().unwrap();
            let started = Instant::now();
            let err = rt.eval::<()>(source).unwrap_err();
            assert!(matches!(err, Error::Timeout(_)), "{path:?} {source}: {err}");
            assert!(started.elapsed() < Duration::from_secs(5), "{path:?} {source}");
        }
    }
}

#[test]
fn programs_and_queries_end_at_the_deadline() {
    in_child("waits_past_deadline", Duration::from_secs(120));
}

#[test]
fn devices_and_huge_values_stay_out_of_host_memory() {
    for path in PATHS {
        let rt = factory(path, Options::new().sandboxed().memory_limit(16 << 20))
            .new_runtime()
            .unwrap();
        let outcome: String = rt
            .eval("try { require('/dev/zero'); 'loaded' } catch (e) { e.message }")
            .unwrap();
        assert!(
            outcome.contains("not a regular file"),
            "{path:?}: {outcome}"
        );
        let rt = factory(path, Options::new().memory_limit(16 << 20))
            .new_runtime()
            .unwrap();
        let outcome: String = rt
            .eval(
                "const db = require('database'); db.configure('sqlite3', ':memory:'); \
                 try { db.query(\"select length(replace(zeroblob(500000000), x'00', 'ab')) as n\"); 'ran' } \
                 catch (e) { e.message }",
            )
            .unwrap();
        assert!(outcome.contains("too big"), "{path:?}: {outcome}");
    }
}

#[test]
fn os_reads_no_environment_under_hide_env() {
    for path in PATHS {
        let rt = factory(path, Options::new().sandboxed())
            .new_runtime()
            .unwrap();
        let dirs: Vec<String> = rt
            .eval("const os = require('os'); [os.homedir(), os.tmpdir()]")
            .unwrap();
        assert_eq!(dirs, ["/", "/tmp"], "{path:?}");
    }
}

// ---- Found by a third review ----

#[test]
fn the_call_site_patch_cannot_be_skipped_and_no_frame_hands_out_jsbox_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.js"), "").unwrap();
    std::fs::write(
        dir.path().join("main.js"),
        r#"
        // Make the patch of CallSite.prototype fail, if it used the globals.
        const realDefine = Object.defineProperty;
        const realApply = Reflect.apply;
        Object.defineProperty = function (o, k, d) { return k === 'getFunction' ? o : realDefine(o, k, d); };
        Reflect.apply = function (f, self, args) { globalThis.received = [f, self, args]; return realApply(f, self, args); };
        Error.prepareStackTrace = (e, sites) => sites;
        Object.defineProperty = realDefine;
        Reflect.apply = realApply;
        // Then collect the functions of every jsbox frame below built-ins that
        // jsbox's own code calls.
        const found = [];
        let busy = false;
        function spy(proto, name) {
            const original = proto[name];
            proto[name] = function (...args) {
                if (!busy) {
                    busy = true;
                    try {
                        for (const site of new Error().stack) {
                            const file = site.getFileName();
                            if (file && file.startsWith('jsbox:')) found.push(site.getFunction());
                        }
                    } finally { busy = false; }
                }
                return realApply(original, this, args);
            };
        }
        for (const n of ['slice', 'startsWith', 'endsWith', 'lastIndexOf', 'indexOf', 'includes', 'split', 'replace', 'charCodeAt']) spy(String.prototype, n);
        for (const n of ['push', 'includes', 'indexOf', 'splice', 'map', 'join', 'slice', 'shift', 'filter']) spy(Array.prototype, n);
        require('./empty.js');
        try { require('./nope'); } catch (e) {}
        console.log('x');
        process.nextTick(() => {});
        setTimeout(() => { require('util'); require('events'); require('path'); }, 1);
        globalThis.report = () => [found.length, found.filter((f) => f !== undefined).length,
            typeof received === 'undefined' ? 0 : received.flat().filter((x) => x && typeof x === 'object' && 'read' in x).length];
        "#,
    )
    .unwrap();
    for path in PATHS {
        let rt = factory(
            path,
            Options::new()
                .sandboxed()
                .timeout(Duration::from_secs(10))
                .base_dir(dir.path()),
        )
        .new_runtime()
        .unwrap();
        rt.run_file("main.js").unwrap();
        rt.run_until_idle().unwrap();
        let [frames, leaked, hosts]: [i64; 3] =
            rt.eval::<Vec<i64>>("report()").unwrap().try_into().unwrap();
        assert!(frames > 0, "{path:?}: the spies saw no jsbox frame");
        assert_eq!((leaked, hosts), (0, 0), "{path:?}: {frames} frames");
    }
}

#[test]
fn replaced_collection_methods_cannot_unwrap_logged_modules() {
    let log = tempfile::tempdir().unwrap();
    for path in PATHS {
        let rt = factory(path, Options::new().call_log(log.path().join("calls.db")))
            .new_runtime()
            .unwrap();
        let unwrapped: bool = rt
            .eval(
                r#"
                let original;
                const grab = (x) => { if (!original && x && typeof x.hostname === 'function') original = x; };
                for (const proto of [Map.prototype, Set.prototype, WeakMap.prototype]) {
                    for (const name of ['set', 'get', 'has', 'add']) {
                        const real = proto[name];
                        if (real) proto[name] = function (...args) { args.forEach(grab); return Reflect.apply(real, this, args); };
                    }
                }
                const realKeys = Object.keys;
                Object.keys = (o) => { grab(o); return realKeys(o); };
                const os = require('os');
                Object.keys = realKeys;
                original !== undefined && original.hostname !== os.hostname
                "#,
            )
            .unwrap();
        assert!(!unwrapped, "{path:?}: the unlogged exports were reachable");
    }
}

// ---- Found by the sandbox fuzz target ----

/// QuickJS-ng leaks a reference per error made while `Error.prepareStackTrace`
/// holds an object that is not a function, and the leak aborts the process
/// when the runtime is freed. jsbox keeps such values away from the engine.
fn prepare_stack_trace_values() {
    for path in PATHS {
        let factory = factory(path, Options::new().sandboxed());
        for value in [
            "[]",
            "{}",
            "'text'",
            "1",
            "null",
            "new Proxy({}, {})",
            "Symbol('s')",
        ] {
            let rt = factory.new_runtime().unwrap();
            let kind: String = rt
                .eval(&format!(
                    "Error.prepareStackTrace = {value}; \
                     try {{ null.x; }} catch (e) {{ void e.stack; }} \
                     try {{ require('fs'); }} catch (e) {{ void e.stack; }} \
                     new Error('x').stack; typeof Error.prepareStackTrace"
                ))
                .unwrap();
            assert!(!kind.is_empty());
            drop(rt);
        }
        // A function still works as the hook.
        let rt = factory.new_runtime().unwrap();
        let custom: String = rt
            .eval("Error.prepareStackTrace = (e, sites) => 'custom ' + sites.length; new Error('x').stack.slice(0, 6)")
            .unwrap();
        assert_eq!(custom, "custom");
    }
}

#[test]
fn any_value_as_prepare_stack_trace_leaves_the_runtime_droppable() {
    in_child("prepare_stack_trace", Duration::from_secs(60));
}

/// `Error.prepareStackTrace` is one native accessor (getter and setter) that
/// stays in place: a copy a script kept reaches the same hook and the same
/// held value, values that are not functions never reach the engine, and a
/// frozen `Error` keeps a working hook.
#[test]
fn prepare_stack_trace_is_one_native_accessor_holding_what_the_engine_must_not_get() {
    for path in PATHS {
        let factory = factory(path, Options::new());
        let rt = factory.new_runtime().unwrap();
        let seen: String = rt
            .eval(
                r#"
                const first = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
                const oneFunction = typeof first.get === 'function' && first.get === first.set;
                const initial = Error.prepareStackTrace;
                const replaced = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace').get !== first.get;
                first.set.call(null, (e, sites) => 'kept ' + sites.length);
                const viaKept = new Error('x').stack.slice(0, 4);
                const same = Error.prepareStackTrace === first.get.call(undefined);
                Error.prepareStackTrace = { not: 'a function' };
                const held = first.get().not;
                const plain = typeof new Error('y').stack;
                first.set(undefined);
                [oneFunction, initial, replaced, viaKept, same, held, plain, Error.prepareStackTrace].join(' ')
                "#,
            )
            .unwrap();
        assert_eq!(seen, "true  false kept true a function string ", "{path:?}");
        let rt = factory.new_runtime().unwrap();
        let frozen: String = rt
            .eval(
                "Object.freeze(Error); void Error.prepareStackTrace; \
                 Error.prepareStackTrace = (e, sites) => 'frozen ' + sites.length; \
                 new Error('x').stack.slice(0, 6)",
            )
            .unwrap();
        assert_eq!(frozen, "frozen", "{path:?}");
    }
}

/// What a script may change before it first sets `Error.prepareStackTrace`
/// (`Object.prototype`, `Error.stackTraceLimit`, the global `Error`) cannot
/// keep jsbox from hiding its own functions from the call sites.
#[test]
fn nothing_a_script_changes_first_unhides_internal_functions_from_call_sites() {
    let attacks = [
        (
            "polluted",
            "Object.prototype.get = undefined; \
             try { Error.prepareStackTrace = () => {}; } catch (e) {} \
             delete Object.prototype.get;",
        ),
        (
            "limit",
            "Error.stackTraceLimit = 0; \
             try { Error.prepareStackTrace = () => {}; } catch (e) {} \
             Error.stackTraceLimit = 10;",
        ),
        (
            "fake_error",
            "const RealError = Error; globalThis.Error = function Fake() {}; \
             try { RealError.prepareStackTrace = () => {}; } catch (e) {} \
             globalThis.Error = RealError;",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, attack) in attacks {
        let source = format!(
            "{attack}
            const files = [];
            const leaked = [];
            Error.prepareStackTrace = (_, sites) => sites;
            const sites = new Error().stack;
            Error.prepareStackTrace = undefined;
            for (const site of sites) {{
              files.push(String(site.getFileName()));
              if (site.getFunction() !== undefined) leaked.push(String(site.getFileName()));
            }}
            globalThis.result = {{ files, leaked }};"
        );
        std::fs::write(dir.path().join(format!("{name}.js")), source).unwrap();
    }
    for path in PATHS {
        let factory = factory(path, Options::new().base_dir(dir.path()));
        for (name, _) in attacks {
            let rt = factory.new_runtime().unwrap();
            rt.run_file(format!("{name}.js")).unwrap();
            let files: Vec<String> = rt.eval("result.files").unwrap();
            let leaked: Vec<String> = rt.eval("result.leaked").unwrap();
            assert!(
                files.iter().any(|f| f.starts_with("jsbox:")),
                "{path:?} {name}: the stack should pass through jsbox's loader: {files:?}"
            );
            assert!(
                leaked.iter().all(|f| f.ends_with(&format!("{name}.js"))),
                "{path:?} {name}: internal functions reached: {leaked:?}"
            );
        }
    }
}

/// The event loop's timer bookkeeping calls no method a script can replace:
/// hooks on `WeakMap`, `Map` and array methods, and setters on
/// `Object.prototype`, see no timer record, and a timer runs as scheduled.
#[test]
fn timer_bookkeeping_calls_no_method_a_script_replaced() {
    for path in PATHS {
        let rt = factory(path, Options::new()).new_runtime().unwrap();
        rt.eval::<()>(
            r#"
            globalThis.seen = 0;
            globalThis.fired = 0;
            for (const [proto, name] of [[WeakMap.prototype, 'set'], [WeakMap.prototype, 'get'],
                [Map.prototype, 'set'], [Map.prototype, 'get'], [Map.prototype, 'values'],
                [Array.prototype, 'push'], [Array.prototype, 'shift'], [Array.prototype, 'sort']]) {
              const original = proto[name];
              proto[name] = function (...args) { globalThis.seen++; return Reflect.apply(original, this, args); };
            }
            for (const key of ['due', 'seq', 'repeat', 'fn', '0']) {
              Object.defineProperty(Object.prototype, key, { set() { globalThis.seen++; }, configurable: true });
            }
            const t = setTimeout(() => { globalThis.fired++; }, 1);
            setImmediate(() => { globalThis.fired++; });
            clearTimeout(setTimeout(() => { globalThis.fired += 100; }, 1));
            "#,
        )
        .unwrap();
        rt.run_until_idle().unwrap();
        let counts: Vec<i32> = rt.eval("[seen, fired]").unwrap();
        assert_eq!(counts, [0, 2], "{path:?}: [hooks seen, timers fired]");
    }
}

// ---- ES modules: the engine's module code under hostile graphs ----

fn esm_runtimes(files: &[(&str, &str)]) -> Vec<jsbox::Runtime> {
    let mut loader = MemoryLoader::new();
    for (name, source) in files {
        loader = loader.with(*name, *source);
    }
    let plain = Options::new().loader(loader.clone()).without_heap_images();
    let images = Options::new()
        .loader(loader)
        .heap_images(HeapImages::new().max_slots(1));
    vec![open(plain).unwrap(), open(images).unwrap()]
}

/// A module whose compile fails after a module that imports it back was
/// loaded: that module held a pointer to the freed record (use after free).
fn esm_failed_import_in_a_cycle() {
    for rt in esm_runtimes(&[
        ("m.mjs", "import './a.mjs';\nimport './missing.mjs';\n"),
        ("a.mjs", "import './m.mjs';\nexport const a = 1;\n"),
        ("main.mjs", "await import('./m.mjs').catch(() => {});\nlet seen = 'no error';\ntry { await import('./a.mjs'); } catch (e) { seen = e.code; }\nexport { seen };\n"),
    ]) {
        let ns: serde_json::Value = rt.import("./main.mjs").unwrap();
        assert_eq!(ns["seen"], "ERR_MODULE_LOAD_FAILED", "{ns}");
        // The runtime goes on.
        assert_eq!(rt.eval::<i64>("1 + 1").unwrap(), 2);
    }
}

/// require() reaching a module in the middle of its evaluation tripped an
/// engine assertion (the process aborted).
fn esm_require_of_an_evaluating_graph() {
    for rt in esm_runtimes(&[
        ("main.mjs", "import './x.cjs';\n"),
        ("x.cjs", "try { require('./y.mjs'); globalThis.seen = 'no error'; } catch (e) { globalThis.seen = e.code; }\n"),
        ("y.mjs", "import x from './x.cjs';\nexport const y = 1;\n"),
        ("self.mjs", "import { createRequire } from 'module';\ntry { createRequire(import.meta.url)(import.meta.filename); globalThis.self = 'no error'; } catch (e) { globalThis.self = e.code; }\n"),
    ]) {
        rt.import::<()>("./main.mjs").unwrap();
        assert_eq!(rt.eval::<String>("seen").unwrap(), "ERR_REQUIRE_CYCLE_MODULE");
        rt.import::<()>("./self.mjs").unwrap();
        assert_eq!(rt.eval::<String>("self").unwrap(), "ERR_REQUIRE_CYCLE_MODULE");
    }
}

/// Script code running inside a module hook (a patched built-in called by
/// jsbox's own JavaScript) started a nested graph (a null dereference).
fn esm_loading_from_inside_a_hook() {
    for rt in esm_runtimes(&[
        ("main.cjs", "const o = String.prototype.lastIndexOf; let busy = false;\nString.prototype.lastIndexOf = function (...a) {\n  if (!busy && String(this).endsWith('/b.mjs')) { busy = true; try { require('./c.mjs') } catch (e) { globalThis.nested = e.code } }\n  return o.apply(this, a);\n};\nmodule.exports = import('./a.mjs');\n"),
        ("a.mjs", "import './b.mjs';\nimport './d.mjs';\nexport const a = 1;\n"),
        ("b.mjs", "export const b = 1;\n"),
        ("d.mjs", "export const d = 1;\n"),
        ("c.mjs", "import { a } from './a.mjs';\nexport default a;\n"),
    ]) {
        rt.require::<()>("./main.cjs").unwrap();
        rt.run_until_idle().unwrap();
        let nested: Option<String> = rt.eval("globalThis.nested").unwrap();
        assert!(matches!(nested.as_deref(), None | Some("ERR_REQUIRE_CYCLE_MODULE")), "{nested:?}");
    }
}

/// Deeply nested template literals in a CommonJS file overflowed the Rust
/// stack of the named-export lexer.
fn esm_deeply_nested_template_in_commonjs() {
    let deep = format!(
        "module.exports.x = 1; const t = {};\n",
        "`${".repeat(200_000)
    );
    for rt in esm_runtimes(&[
        ("n.cjs", &deep),
        ("main.mjs", "import('./n.cjs').catch(() => {});\n"),
    ]) {
        let _ = rt.import::<()>("./main.mjs");
    }
}

#[test]
fn es_module_graphs_that_crashed_the_engine_fail_cleanly() {
    for case in [
        "esm_failed_cycle",
        "esm_require_evaluating",
        "esm_reentrant_hook",
        "esm_deep_template",
    ] {
        in_child(case, Duration::from_secs(60));
    }
}

#[test]
fn module_loading_obeys_the_time_limit() {
    // 20 re-exports of itself, followed 8 deep: 20^8 files without a visited set.
    let source = "module.exports = require('./a.cjs');\n".repeat(20);
    let rt = open(
        Options::new()
            .loader(MemoryLoader::new().with("a.cjs", source.as_str()))
            .timeout(Duration::from_millis(500)),
    )
    .unwrap();
    let started = Instant::now();
    let _ = rt.import::<()>("./a.cjs");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
