//! `assert` and `assert/strict`, checked against Node itself:
//! `fixtures/assert/main.js` prints one check per line (the error's name,
//! code, operator, generatedMessage and message) and `expected.txt` is what
//! Node 20 printed for it (`node main.js > expected.txt` in that folder).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{CaptureSink, Factory, Options, Stream};
use node_fixture::NodeFixture;

#[test]
fn assert_matches_node() {
    NodeFixture::new("assert").check(Options::new(), "main.js");
}

#[test]
fn assert_matches_node_in_heap_image_runtimes_too() {
    NodeFixture::new("assert").check_in_heap_images("main.js");
}

fn eval_string(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

#[test]
fn the_modules_follow_the_policy() {
    let source = "try { require('assert'); 'loaded' } catch (e) { e.code }";
    assert_eq!(
        eval_string(Options::new().deny_modules(["assert"]), source),
        "ERR_ACCESS_DENIED"
    );
    assert_eq!(
        eval_string(Options::new().allow_modules(["util"]), source),
        "ERR_ACCESS_DENIED"
    );
    // assert needs no other module.
    assert_eq!(
        eval_string(
            Options::new().allow_modules(["assert"]),
            "const a = require('assert'); \
             try { a.deepStrictEqual({ x: [1] }, { x: [2] }); 'no throw' } \
             catch (e) { e.message.split('\\n')[0] }"
        ),
        "Expected values to be strictly deep-equal:"
    );
    // assert/strict loads assert.
    assert_eq!(
        eval_string(
            Options::new().allow_modules(["assert", "assert/strict"]),
            "require('assert/strict') === require('assert').strict ? 'same' : 'other'"
        ),
        "same"
    );
    assert_eq!(
        eval_string(
            Options::new().allow_modules(["assert/strict"]),
            "try { require('assert/strict'); 'loaded' } catch (e) { e.code }"
        ),
        "ERR_ACCESS_DENIED"
    );
}

#[test]
fn deprecated_calls_warn_once_on_stderr() {
    let capture = CaptureSink::new();
    let rt = Factory::new(Options::new().console(capture.clone()))
        .unwrap()
        .new_runtime()
        .unwrap();
    let out: String = rt
        .eval(
            "const assert = require('assert'); const out = []; \
             for (let i = 0; i < 2; i++) { \
               try { assert.fail(1, 2); } catch (e) { out.push(e.operator + ' ' + e.message); } \
               try { assert.fail(1, 2, undefined, '>'); } catch (e) { out.push(e.message); } \
             } out.join('|')",
        )
        .unwrap();
    assert_eq!(out, "!= 1 != 2|1 > 2|!= 1 != 2|1 > 2");
    let stderr = capture.text(Stream::Stderr);
    assert_eq!(stderr.matches("DEP0094").count(), 1, "{stderr}");
    assert!(
        stderr.contains("assert.fail() with more than one argument is deprecated."),
        "{stderr}"
    );
}

#[test]
fn call_tracker_counts_calls() {
    let capture = CaptureSink::new();
    let rt = Factory::new(Options::new().console(capture.clone()))
        .unwrap()
        .new_runtime()
        .unwrap();
    // What Node 20 prints for the same script.
    let out: String = rt
        .eval(
            "const assert = require('assert'); const out = []; \
             const t = new assert.CallTracker(); \
             function foo(a) { return a * 2; } \
             const c = t.calls(foo, 2); const d = t.calls(3); \
             out.push(c(4), c.name, typeof d(), JSON.stringify(t.getCalls(c))); \
             out.push(JSON.stringify(t.report().map((r) => [r.message, r.actual, r.expected, r.operator, typeof r.stack]))); \
             try { t.verify(); } catch (e) { out.push(e.name, e.code, String(e.operator), e.generatedMessage, e.message); } \
             c(1); d(); d(); d(); \
             try { t.verify(); } catch (e) { out.push(e.message); } \
             c(1); \
             try { t.verify(); } catch (e) { out.push(e.message); } \
             t.reset(c); out.push(t.getCalls(c).length, t.report().length); \
             try { t.getCalls(foo); } catch (e) { out.push(e.code, e.message); } \
             try { t.calls(foo, 1.5); } catch (e) { out.push(e.code, e.message); } \
             try { t.calls(foo, 0); } catch (e) { out.push(e.code, e.message); } \
             const c2 = t.calls(foo); c2(1); c2(2); t.reset(); out.push(t.getCalls(c2).length); \
             out.join('\\n')",
        )
        .unwrap();
    let expected = [
        "8",
        "foo",
        "undefined",
        r#"[{"arguments":[4]}]"#,
        r#"[["Expected the foo function to be executed 2 time(s) but was executed 1 time(s).",1,2,"foo","object"],["Expected the calls function to be executed 3 time(s) but was executed 1 time(s).",1,3,"calls","object"]]"#,
        "AssertionError",
        "ERR_ASSERTION",
        "undefined",
        "false",
        "Functions were not called the expected number of times",
        "Expected the calls function to be executed 3 time(s) but was executed 4 time(s).",
        "Functions were not called the expected number of times",
        "0",
        "2",
        "ERR_INVALID_ARG_VALUE",
        "The argument 'tracked' is not a tracked function. Received [Function: foo]",
        "ERR_OUT_OF_RANGE",
        "The value of \"expected\" is out of range. It must be an integer. Received 1.5",
        "ERR_OUT_OF_RANGE",
        "The value of \"expected\" is out of range. It must be >= 1 && <= 4294967295. Received 0",
        "0",
    ];
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    assert_eq!(
        capture.text(Stream::Stderr).matches("DEP0173").count(),
        1,
        "one warning"
    );
}

#[test]
fn hostile_values_throw_instead_of_crashing() {
    let out = eval_string(
        Options::new().memory_limit(64 << 20),
        "const assert = require('assert'); const out = []; \
         const trap = new Proxy({}, { ownKeys() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('proto'); } }); \
         const deep = (n) => { let o = {}; for (let i = 0; i < n; i++) o = { o }; return o; }; \
         const cases = [ \
           () => assert.deepStrictEqual(trap, {}), \
           () => assert.deepEqual(trap, {}), \
           () => assert.deepStrictEqual(deep(200000), deep(200000)), \
           () => assert.strictEqual({ get x() { throw new Error('getter'); } }, {}), \
           () => assert.throws(() => { throw trap; }, { message: 'x' }), \
           () => assert.ok(false, { toString() { throw new Error('tostring'); } }), \
           () => new assert.AssertionError({ get message() { throw new Error('opt'); } }), \
           () => assert.deepEqual(Object.assign(Object.create({ [Symbol.toStringTag]: 'Date' }), {}), new Date(0)), \
         ]; \
         for (const f of cases) { try { f(); out.push('ok'); } catch (e) { out.push(e instanceof Error ? 'threw' : typeof e); } } \
         out.join()",
    );
    for result in out.split(',') {
        assert!(["ok", "threw"].contains(&result), "{out}");
    }
}

#[test]
fn assert_imports_as_an_es_module() {
    let fixture = NodeFixture::new("assert");
    let factory = fixture.factory(Options::new());
    // What `node esm.mjs` prints.
    assert_eq!(
        fixture.run_in(&factory, "esm.mjs"),
        "true Expected values to be strictly deep-equal:\n\
         function true function function true\n\
         awaited\n"
    );
}
