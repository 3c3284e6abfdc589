//! The `stream` and `stream/promises` modules, checked against Node itself:
//! `fixtures/stream/main.js` runs one section per file (readable, writable,
//! transform, pipe, iterate, pipeline, order), each logging every event with
//! a label, interleaved with process.nextTick, promise jobs and setImmediate;
//! `expected.txt` is what Node 20 printed (`node main.js > expected.txt`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{Factory, Options};
use node_fixture::NodeFixture;

#[test]
fn streams_match_node() {
    NodeFixture::new("stream").check(Options::new(), "main.js");
}

#[test]
fn they_match_node_in_heap_image_runtimes_too() {
    NodeFixture::new("stream").check_in_heap_images("main.js");
}

fn eval_string(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

#[test]
fn the_modules_follow_the_policy() {
    for module in ["stream", "stream/promises"] {
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
            eval_string(Options::new(), &format!("typeof require('node:{module}')")),
            if module == "stream" {
                "function"
            } else {
                "object"
            }
        );
    }
    // stream needs events, not buffer: its Buffers are jsbox's own, whatever a
    // script did to the global.
    let source = "globalThis.Buffer = null; \
                  const { PassThrough } = require('stream'); const p = new PassThrough(); \
                  p.write('ab'); p.end(new Uint8Array([99])); \
                  const out = p.read(); out.constructor.name + ':' + out.toString()";
    assert_eq!(
        eval_string(Options::new().allow_modules(["stream", "events"]), source),
        "Buffer:abc"
    );
}

#[test]
fn hostile_options_and_chunks_throw_instead_of_crashing() {
    let source = r#"
        const { Readable, Writable, Transform, pipeline } = require('stream');
        const out = [];
        const attempts = [
          () => new Readable({ get highWaterMark() { throw new Error('getter'); } }),
          () => new Writable({ highWaterMark: 2 ** 53 }).write('x'),
          () => new Readable({ read() {} }).read(2 ** 31),
          () => new Writable({ write: 5 }).write('x'),
          () => new Readable({ read() {} }).push(new Proxy({}, { get() { throw new Error('proxy'); } })),
          () => new Writable({ write(c, e, cb) { cb(); } }).write({ length: -1 }),
          () => pipeline(new Proxy({}, { get() { throw new Error('proxy'); } }), () => {}, () => {}),
          () => Readable.from({ [Symbol.iterator]() { throw new Error('iter'); } }),
          () => new Transform({ transform: 'nope' }).write('a'),
        ];
        for (const attempt of attempts) {
          try { attempt(); out.push('ok'); } catch (e) { out.push(e && e.code || e && e.message); }
        }
        out.join(',')
    "#;
    // What Node 20 gives for the same attempts.
    assert_eq!(
        eval_string(Options::new(), source),
        "getter,ERR_METHOD_NOT_IMPLEMENTED,ERR_OUT_OF_RANGE,ERR_METHOD_NOT_IMPLEMENTED,proxy,\
         ERR_INVALID_ARG_TYPE,proxy,iter,ERR_METHOD_NOT_IMPLEMENTED"
    );
    // The runtime is still usable afterwards.
    let rt = Factory::new(Options::new()).unwrap().new_runtime().unwrap();
    rt.eval::<()>(source).unwrap();
    assert_eq!(
        rt.eval::<String>(
            "const { PassThrough } = require('stream'); const p = new PassThrough(); \
             p.end('fine'); String(p.read())"
        )
        .unwrap(),
        "fine"
    );
}
