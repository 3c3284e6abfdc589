//! Node's smaller APIs checked against Node itself: util.parseArgs,
//! util.styleText, util/types, perf_hooks, os (key set and shapes), module,
//! global and require.extensions in `fixtures/node_misc/main.js`, readline in
//! `fixtures/node_misc/readline.js`; `expected.txt` and
//! `expected_readline.txt` are what Node 20 printed (regenerate with
//! `sh fixtures/node_misc/gen_expected.sh`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{Factory, Options};
use node_fixture::NodeFixture;

#[test]
fn misc_apis_match_node() {
    NodeFixture::new("node_misc").check(Options::new(), "main.js");
}

#[test]
fn misc_apis_match_node_in_heap_image_runtimes_too() {
    NodeFixture::new("node_misc").check_in_heap_images("main.js");
}

/// The readline script against its own expected output.
fn check_readline(heap_images: bool) {
    let fixture = NodeFixture::new("node_misc");
    let expected = std::fs::read_to_string(fixture.dir.join("expected_readline.txt")).unwrap();
    let options = if heap_images {
        Options::new().heap_images(jsbox::HeapImages::new().max_slots(1))
    } else {
        Options::new()
    };
    let factory = fixture.factory(options);
    for _ in 0..if heap_images { 2 } else { 1 } {
        node_fixture::assert_same_lines(&fixture.run_in(&factory, "readline.js"), &expected);
    }
}

#[test]
fn readline_matches_node() {
    check_readline(false);
}

#[test]
fn readline_matches_node_in_heap_image_runtimes_too() {
    check_readline(true);
}

#[test]
fn readline_follows_the_policy() {
    // Built on events and string_decoder, which the policy must allow too
    // (as for every built-in module that uses another).
    let source = "const rl = require('readline').createInterface({ input: { on() {}, removeListener() {} } }); \
                  const lines = []; rl.on('line', (l) => lines.push(l)); rl.write('a\\r\\nb\\n'); rl.close(); \
                  lines.join() + ' ' + rl.closed";
    assert_eq!(
        eval_string(
            Options::new().allow_modules(["readline", "events", "string_decoder"]),
            source
        ),
        "a,b true"
    );
    let source = "try { require('readline/promises'); 'loaded' } catch (e) { e.code }";
    assert_eq!(
        eval_string(Options::new().deny_modules(["readline/promises"]), source),
        "ERR_ACCESS_DENIED"
    );
}

fn eval_string(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

#[test]
fn os_follows_the_policy() {
    // Under hide_env, the home directory is the neutral one in userInfo too.
    let source = "const os = require('os'); [os.homedir(), os.userInfo().homedir].join()";
    assert_eq!(eval_string(Options::new().hide_env(), source), "/,/");
    // Changing the host process's priority is refused, with Node's error.
    let source = "try { require('os').setPriority(0, 5); 'changed' } catch (e) { e.code + ' ' + e.info.code }";
    assert_eq!(
        eval_string(Options::new(), source),
        "ERR_SYSTEM_ERROR EACCES"
    );
    let source = "try { require('os'); 'loaded' } catch (e) { e.code }";
    assert_eq!(
        eval_string(Options::new().deny_modules(["os"]), source),
        "ERR_ACCESS_DENIED"
    );
}

#[test]
fn os_bindings_survive_hostile_arguments() {
    let source = "const os = require('os'); const out = []; \
                  for (const pid of [NaN, Infinity, -0, 2 ** 40, -(2 ** 31), { valueOf() { throw 1; } }]) { \
                    try { out.push(typeof os.getPriority(pid)); } catch (e) { out.push(e.code || typeof e); } } \
                  out.join()";
    assert_eq!(
        eval_string(Options::new(), source),
        "ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,number,ERR_OUT_OF_RANGE,ERR_SYSTEM_ERROR,ERR_INVALID_ARG_TYPE"
    );
}

#[test]
fn global_is_globalthis_from_the_start() {
    let source =
        "[typeof global, global === globalThis, Object.keys(globalThis).includes('global')].join()";
    assert_eq!(eval_string(Options::new(), source), "object,true,true");
    assert_eq!(
        eval_string(Options::new().sandboxed(), source),
        "object,true,true"
    );
    // Writable, as in Node.
    assert_eq!(
        eval_string(Options::new(), "global = 1; String(globalThis.global)"),
        "1"
    );
}

#[test]
fn performance_time_origin_is_unix_time() {
    let source = "String(Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 1000)";
    assert_eq!(eval_string(Options::new(), source), "true");
    let source = "Object.getOwnPropertyDescriptor(globalThis, 'performance').get !== undefined";
    let rt = Factory::new(Options::new().without_heap_images())
        .unwrap()
        .new_runtime()
        .unwrap();
    // Still lazy: the replacement happens when the engine adds the global.
    assert!(rt.eval::<bool>(source).unwrap());
}

#[test]
fn perf_hooks_survives_a_replaced_or_frozen_global() {
    for (setup, expected) in [
        ("performance = undefined;", "number,1,false"),
        ("Object.freeze(performance);", "number,1,false"),
        ("performance = { now: 5 };", "number,1,false"),
        ("", "number,1,true"),
    ] {
        let source = format!(
            "{setup} const p = require('perf_hooks'); p.performance.mark('a'); \
             [typeof p.performance.now(), p.performance.getEntries().length, \
              p.performance === globalThis.performance].join()"
        );
        assert_eq!(eval_string(Options::new(), &source), expected, "{setup}");
    }
}
