//! TextEncoder/TextDecoder, string_decoder, querystring and structuredClone,
//! checked against Node itself: `fixtures/text/main.js` prints one check per
//! line (hostile inputs included) and `expected.txt` is what Node 20 printed
//! for it (regenerate with `sh fixtures/text/gen_expected.sh`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{Factory, HeapImages, Options};
use node_fixture::NodeFixture;

#[test]
fn text_apis_and_structured_clone_match_node() {
    NodeFixture::new("text").check(Options::new(), "main.js");
}

#[test]
fn they_match_node_in_heap_image_runtimes_too() {
    NodeFixture::new("text").check_in_heap_images("main.js");
}

fn eval_string(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

#[test]
fn the_globals_are_loaded_on_first_use() {
    let rt = Factory::new(Options::new()).unwrap().new_runtime().unwrap();
    let before: String = rt
        .eval(
            "['TextEncoder', 'TextDecoder', 'structuredClone'].map((name) => \
             typeof Object.getOwnPropertyDescriptor(globalThis, name).get).join()",
        )
        .unwrap();
    assert_eq!(before, "function,function,function");
    let after: String = rt
        .eval(
            "new TextEncoder(); new TextDecoder(); structuredClone(1); \
             ['TextEncoder', 'TextDecoder', 'structuredClone'].map((name) => \
             typeof Object.getOwnPropertyDescriptor(globalThis, name).value).join()",
        )
        .unwrap();
    assert_eq!(after, "function,function,function");
    // Writable like any global, as in Node.
    let replaced: String = rt
        .eval("TextDecoder = 'mine'; TextDecoder + ' ' + typeof require('util').TextDecoder")
        .unwrap();
    assert_eq!(replaced, "mine function");
}

#[test]
fn the_globals_work_whatever_modules_the_policy_allows() {
    let source = "const bytes = new TextEncoder().encode('\u{e9}'); \
                  new TextDecoder().decode(structuredClone(bytes, { transfer: [bytes.buffer] })) + bytes.length";
    for options in [
        Options::new().allow_modules(Vec::<String>::new()),
        Options::new().sandboxed(),
        Options::new().deny_modules(["util", "string_decoder", "querystring", "encoding", "clone"]),
        Options::new()
            .allow_modules(Vec::<String>::new())
            .heap_images(HeapImages::new().max_slots(1)),
    ] {
        assert_eq!(eval_string(options, source), "\u{e9}0");
    }
}

#[test]
fn the_modules_follow_the_policy() {
    for module in ["string_decoder", "querystring"] {
        let source = format!("try {{ require('{module}'); 'loaded' }} catch (e) {{ e.code }}");
        assert_eq!(
            eval_string(Options::new().deny_modules([module]), &source),
            "ERR_ACCESS_DENIED"
        );
        assert_eq!(
            eval_string(Options::new().allow_modules(["util"]), &source),
            "ERR_ACCESS_DENIED"
        );
        assert_eq!(
            eval_string(Options::new().allow_modules([module]), &source),
            "loaded"
        );
        assert_eq!(
            eval_string(Options::new(), &format!("require('node:{module}') && 'ok'")),
            "ok"
        );
    }
}

#[test]
fn big_inputs_under_a_memory_limit_throw_instead_of_crashing() {
    let rt = Factory::new(Options::new().memory_limit(16 << 20))
        .unwrap()
        .new_runtime()
        .unwrap();
    let outcome: String = rt
        .eval(
            "const out = []; \
             for (const f of [ \
               () => new TextDecoder().decode(new Uint8Array(6 << 20).fill(0xe4)), \
               () => new TextEncoder().encode('\\u4e2d'.repeat(3 << 20)), \
               () => structuredClone(new Uint8Array(12 << 20)), \
               () => new TextDecoder('utf-16le').decode(new Uint8Array(8 << 20).fill(0x4e)), \
             ]) { try { f(); out.push('ok'); } catch (e) { out.push(e instanceof Error ? e.name : typeof e); } } \
             out.join()",
        )
        .unwrap();
    for result in outcome.split(',') {
        assert!(
            ["ok", "RangeError", "InternalError", "Error"].contains(&result),
            "{outcome}"
        );
    }
    // The runtime is still usable afterwards.
    assert_eq!(
        rt.eval::<String>("new TextDecoder().decode(new TextEncoder().encode('fine'))")
            .unwrap(),
        "fine"
    );
}

#[test]
fn the_bindings_cannot_be_fooled_by_scripts() {
    // A decoder's state reachable through lastChar.buffer, rewritten: counts
    // that cannot be right are reset, never trusted.
    let source = "const { StringDecoder } = require('string_decoder'); \
                  const d = new StringDecoder('utf8'); d.write(new Uint8Array([0xe2])); \
                  const state = new Uint8Array(d.lastChar.buffer, d.lastChar.byteOffset, 7); \
                  state[4] = 200; state[5] = 200; state[6] = 99; \
                  const a = d.write(new Uint8Array([0x41, 0x42])); \
                  state[4] = 3; state[5] = 1; state[6] = 1; \
                  const b = d.write(new Uint8Array([0x80, 0x80, 0x80, 0x43])); \
                  typeof a + typeof b + d.end().length";
    assert_eq!(
        eval_string(Options::new(), source).len(),
        "stringstring".len() + 1
    );
    // Its state handed to it as the input: the two are the same bytes (Node's
    // own result then depends on how its C++ copies overlapping memory).
    let source = "const { StringDecoder } = require('string_decoder'); \
                  for (const encoding of ['utf8', 'utf16le', 'base64', 'hex']) { \
                    const d = new StringDecoder(encoding); \
                    const state = d[Object.getOwnPropertySymbols(d)[0]]; \
                    d.write(new Uint8Array([0xe2, 0xd8, 0x01])); \
                    d.write(state); d.write(state.subarray(2)); d.end(state); \
                  } 'survived'";
    assert_eq!(eval_string(Options::new(), source), "survived");
}
