//! `crypto` and the `crypto` global checked against Node itself:
//! `fixtures/crypto/main.js` prints one deterministic check per line and
//! `expected.txt` is what Node 20 printed for it (regenerate with
//! `sh fixtures/crypto/gen_expected.sh`). Then what Node cannot show: the
//! randomness of runtimes made from one heap image, the lazy global, the
//! policy, and the limits.

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{Factory, HeapImages, Options};
use node_fixture::NodeFixture;

#[test]
fn crypto_matches_node() {
    NodeFixture::new("crypto").check(Options::new(), "main.js");
}

#[test]
fn it_matches_node_in_heap_image_runtimes_too() {
    NodeFixture::new("crypto").check_in_heap_images("main.js");
}

fn eval_string(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

#[test]
fn runtimes_from_one_heap_image_never_repeat_each_other() {
    let factory = Factory::new(Options::new().heap_images(HeapImages::new().max_slots(1))).unwrap();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..4 {
        let rt = factory.new_runtime().unwrap();
        let out: String = rt
            .eval(
                "crypto.randomUUID() + ' ' + require('crypto').randomBytes(16).toString('hex') + \
                 ' ' + crypto.getRandomValues(new Uint32Array(2)).join('.')",
            )
            .unwrap();
        for part in out.split(' ') {
            assert!(seen.insert(part.to_string()), "{part} repeated");
        }
    }
}

#[test]
fn hashes_made_while_the_image_was_built_do_not_leak_into_runtimes() {
    // A preload's hash lives in the image-building runtime's table: in a
    // restored runtime its handle is dead, and using it throws instead of
    // reaching another runtime's state.
    let options = Options::new()
        .heap_images(HeapImages::new().max_slots(1))
        .preload("globalThis.h = require('crypto').createHash('sha256').update('a');");
    let Ok(factory) = Factory::new(options) else {
        return;
    };
    let rt = factory.new_runtime().unwrap();
    let out: String = rt
        .eval(
            "const fresh = require('crypto').createHash('sha256').update('b').digest('hex'); \
             let r; try { r = h.digest('hex'); } catch (e) { r = e.code; } fresh.length + ' ' + r",
        )
        .unwrap();
    assert_eq!(out, "64 ERR_CRYPTO_HASH_FINALIZED");
}

#[test]
fn the_global_is_loaded_on_first_use() {
    let rt = Factory::new(Options::new()).unwrap().new_runtime().unwrap();
    let before: String = rt
        .eval("typeof Object.getOwnPropertyDescriptor(globalThis, 'crypto').get")
        .unwrap();
    assert_eq!(before, "function");
    let after: String = rt
        .eval(
            "crypto.randomUUID(); const d = Object.getOwnPropertyDescriptor(globalThis, 'crypto'); \
             typeof d.value + d.enumerable + d.writable + (d.value === require('crypto').webcrypto)",
        )
        .unwrap();
    assert_eq!(after, "objecttruetruetrue");
    let replaced: String = rt
        .eval("crypto = 'mine'; crypto + ' ' + typeof require('crypto').createHash")
        .unwrap();
    assert_eq!(replaced, "mine function");
}

#[test]
fn crypto_is_allowed_when_sandboxed_and_follows_the_policy() {
    let source = "require('crypto').createHash('md5').update('a').digest('hex') + ' ' + \
                  crypto.getRandomValues(new Uint8Array(2)).length";
    assert_eq!(
        eval_string(Options::new().sandboxed(), source),
        "0cc175b9c0f1b6a831c399e269772661 2"
    );
    let denied = "try { require('node:crypto'); 'loaded' } catch (e) { e.code }";
    assert_eq!(
        eval_string(Options::new().deny_modules(["crypto"]), denied),
        "ERR_ACCESS_DENIED"
    );
    // The global is Web Crypto, like `JSON`: no policy applies to it.
    assert_eq!(
        eval_string(
            Options::new().allow_modules(Vec::<String>::new()),
            "String(crypto.randomUUID().length)"
        ),
        "36"
    );
}

#[test]
fn sizes_are_bounded_by_node_and_the_memory_limit() {
    let rt = Factory::new(Options::new().memory_limit(32 << 20))
        .unwrap()
        .new_runtime()
        .unwrap();
    let out: String = rt
        .eval(
            "const c = require('crypto'); const r = []; \
             for (const f of [() => c.randomBytes(2 ** 31), () => c.randomBytes(1 << 30), \
               () => c.pbkdf2Sync('p', 's', 1, 2 ** 31 - 1, 'sha1'), \
               () => c.scryptSync('p', 's', 16, { N: 2 ** 20, maxmem: 2 ** 40 }), \
               () => c.scryptSync('p', 's', 16, { N: 2 ** 40, r: 1, maxmem: 2 ** 53 - 1 })]) { \
               try { f(); r.push('ok'); } catch (e) { r.push(e.code || e.name); } } \
             r.join()",
        )
        .unwrap();
    assert_eq!(
        out,
        "ERR_OUT_OF_RANGE,InternalError,InternalError,ERR_CRYPTO_INVALID_SCRYPT_PARAMS,\
         ERR_OUT_OF_RANGE"
    );
    // The runtime still works.
    let after: String = rt
        .eval("require('crypto').createHash('sha1').update('a').digest('hex')")
        .unwrap();
    assert_eq!(after, "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8");
}

#[test]
fn dropped_hashes_do_not_pile_up() {
    let rt = Factory::new(Options::new()).unwrap().new_runtime().unwrap();
    // More Hash objects than the live-state cap (2^15), none digested, over
    // several turns: the collected ones free their states in between.
    for _ in 0..4 {
        let out: String = rt
            .eval(
                "(() => { const c = require('crypto'); let ok = 0; \
                 for (let i = 0; i < 20000; i++) { c.createHmac('sha256', 'k').update('x'); ok++; } \
                 return String(ok); })()",
            )
            .unwrap();
        assert_eq!(out, "20000");
        rt.run_until_idle().unwrap();
    }
    // Within one turn the cap holds, with an error rather than unbounded
    // host memory.
    let out: String = rt
        .eval(
            "(() => { const kept = []; let err; \
             try { for (let i = 0; i < 40000; i++) kept.push(require('crypto').createHash('md5')); } \
             catch (e) { err = e.name; } kept.length = 0; return err; })()",
        )
        .unwrap();
    assert_eq!(out, "RangeError");
}
