//! `events` (EventEmitter and its helpers), the Web event globals
//! (EventTarget, Event, CustomEvent, AbortController, AbortSignal) and
//! `timers/promises`, checked against Node itself: `fixtures/events/main.js`
//! prints one check per line and `expected.txt` is what Node 20 printed for
//! it (regenerate with `sh fixtures/events/gen_expected.sh`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{open, CaptureSink, Factory, HeapImages, Options, Stream};
use node_fixture::NodeFixture;

const WEB_GLOBALS: &str =
    "['EventTarget', 'Event', 'CustomEvent', 'AbortController', 'AbortSignal']";

#[test]
fn events_web_events_and_promise_timers_match_node() {
    NodeFixture::new("events").check(Options::new(), "main.js");
}

#[test]
fn they_match_node_in_heap_image_runtimes_too() {
    NodeFixture::new("events").check_in_heap_images("main.js");
}

fn eval_string(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

fn descriptor_kinds(rt: &jsbox::Runtime) -> String {
    rt.eval(&format!(
        "{WEB_GLOBALS}.map((name) => {{ \
           const d = Object.getOwnPropertyDescriptor(globalThis, name); \
           return (typeof d.get === 'function' ? 'accessor' : 'value') + (d.enumerable ? '+enum' : ''); \
         }}).join()"
    ))
    .unwrap()
}

#[test]
fn the_globals_are_loaded_on_first_use() {
    let rt = Factory::new(Options::new()).unwrap().new_runtime().unwrap();
    let accessors = "accessor,accessor,accessor,accessor,accessor";
    assert_eq!(descriptor_kinds(&rt), accessors);
    // Timers, EventEmitter and util.promisify of something else do not load them.
    rt.eval::<()>(
        "setTimeout(() => {}, 0); const E = require('events'); const e = new E(); \
         e.on('a', () => {}); e.emit('a'); E.once(e, 'b'); e.emit('b'); \
         require('util').promisify((cb) => cb());",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(descriptor_kinds(&rt), accessors);
    // Touching one loads them all on demand; each becomes a plain data property
    // when read, non-enumerable as in Node.
    let after: String = rt
        .eval(&format!(
            "new AbortController().abort(); {WEB_GLOBALS}.map((name) => typeof globalThis[name]).join()"
        ))
        .unwrap();
    assert_eq!(after, "function,function,function,function,function");
    assert_eq!(descriptor_kinds(&rt), "value,value,value,value,value");
    let replaced: String = rt
        .eval("AbortController = 'mine'; AbortController + ' ' + typeof AbortSignal")
        .unwrap();
    assert_eq!(replaced, "mine function");
}

#[test]
fn the_globals_work_whatever_modules_the_policy_allows() {
    let source = "const ac = new AbortController(); const seen = []; \
                  const t = new EventTarget(); t.addEventListener('x', (e) => seen.push(e.detail)); \
                  t.dispatchEvent(new CustomEvent('x', { detail: 'd' })); \
                  ac.signal.onabort = () => seen.push('aborted'); ac.abort(); \
                  seen.join() + ' ' + AbortSignal.any([ac.signal]).reason.name";
    for options in [
        Options::new().allow_modules(Vec::<String>::new()),
        Options::new().sandboxed(),
        Options::new().deny_modules(["events", "timers", "timers/promises"]),
        Options::new()
            .allow_modules(Vec::<String>::new())
            .heap_images(HeapImages::new().max_slots(1)),
    ] {
        assert_eq!(eval_string(options, source), "d,aborted AbortError");
    }
}

#[test]
fn timers_promises_follows_the_policy_but_promisify_does_not_need_it() {
    let rt = open(Options::new().deny_modules(["timers/promises"])).unwrap();
    let code: String = rt
        .eval("try { require('timers/promises'); 'loaded' } catch (e) { e.code }")
        .unwrap();
    assert_eq!(code, "ERR_ACCESS_DENIED");
    let code: String = rt
        .eval("try { require('timers').promises; 'loaded' } catch (e) { e.code }")
        .unwrap();
    assert_eq!(code, "ERR_ACCESS_DENIED");
    // The promise version of the global setTimeout is not the module.
    rt.eval::<()>(
        "globalThis.out = 'pending'; \
         require('util').promisify(setTimeout)(1, 'slept').then((v) => { out = v; });",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(rt.eval::<String>("out").unwrap(), "slept");
    let rt = open(Options::new().allow_modules(["timers/promises"])).unwrap();
    assert_eq!(
        rt.eval::<String>("typeof require('node:timers/promises').setTimeout")
            .unwrap(),
        "function"
    );
}

fn stderr_of(source: &str) -> (String, String) {
    let capture = CaptureSink::new();
    let rt = open(Options::new().console(capture.clone())).unwrap();
    rt.eval::<()>(source).unwrap();
    rt.run_until_idle().unwrap();
    (capture.text(Stream::Stdout), capture.text(Stream::Stderr))
}

#[test]
fn leak_warnings_print_nodes_text() {
    let (_, stderr) = stderr_of(
        "const EE = require('events'); \
         const e = new EE(); for (let i = 0; i < 11; i++) e.on('a', () => {}); \
         class Foo extends EE {} const f = new Foo(); f.setMaxListeners(1); \
         const s = Symbol('q'); f.on(s, () => {}); f.on(s, () => {}); f.on(s, () => {}); \
         const t = new EventTarget(); for (let i = 0; i < 11; i++) t.addEventListener('foo', () => {}); \
         const ac = new AbortController(); EE.setMaxListeners(2, ac.signal); \
         for (let i = 0; i < 3; i++) ac.signal.addEventListener('abort', () => {});",
    );
    // Node prints these after "(node:PID) ", once per list (or target).
    let expected = [
        "(jsbox) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 a listeners added to [EventEmitter]. MaxListeners is 10. Use emitter.setMaxListeners() to increase limit",
        "(jsbox) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 2 Symbol(q) listeners added to [Foo]. MaxListeners is 1. Use emitter.setMaxListeners() to increase limit",
        "(jsbox) MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 foo listeners added to EventTarget. MaxListeners is 10. Use events.setMaxListeners() to increase limit",
        "(jsbox) MaxListenersExceededWarning: Possible EventTarget memory leak detected. 3 abort listeners added to [AbortSignal]. MaxListeners is 2. Use events.setMaxListeners() to increase limit",
    ];
    assert_eq!(stderr.lines().collect::<Vec<_>>(), expected);
    // The default applies to EventTargets made after it changed.
    let (_, stderr) = stderr_of(
        "require('events').defaultMaxListeners = 1; const t = new EventTarget(); \
         t.addEventListener('x', () => {}); t.addEventListener('x', () => {});",
    );
    assert!(
        stderr.contains("2 x listeners added to EventTarget. MaxListeners is 1."),
        "{stderr}"
    );
}

#[test]
fn a_throwing_listener_does_not_stop_the_dispatch_and_is_uncaught_afterwards() {
    let capture = CaptureSink::new();
    let rt = open(Options::new().console(capture.clone())).unwrap();
    let outcome = rt
        .eval::<()>(
            "const t = new EventTarget(); \
             t.addEventListener('boom', () => { throw new Error('listener threw'); }); \
             t.addEventListener('boom', () => console.log('second listener ran')); \
             console.log('dispatch returned', t.dispatchEvent(new Event('boom')));",
        )
        .and_then(|()| rt.run_until_idle());
    assert_eq!(
        capture.text(Stream::Stdout),
        "second listener ran\ndispatch returned true\n"
    );
    let err = outcome.expect_err("the listener's error is uncaught, as in Node");
    assert!(err.to_string().contains("listener threw"), "{err}");
}

#[test]
fn hostile_values_get_node_errors_not_crashes() {
    let out = eval_string(
        Options::new(),
        "const out = []; \
         const fakeSignal = { aborted: false, addEventListener() {}, removeEventListener() {} }; \
         const tries = [ \
           () => new AbortController().signal.addEventListener('x', () => {}, new Proxy({}, { get() { throw new Error('trap'); } })), \
           () => new EventTarget().addEventListener('x', () => {}, { signal: fakeSignal }), \
           () => require('timers/promises').setTimeout(1, 1, { signal: fakeSignal }), \
           () => AbortSignal.timeout(2 ** 40), \
           () => AbortSignal.any({ length: 1, 0: fakeSignal }), \
           () => Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'reason').get.call(new EventTarget()), \
           () => EventTarget.prototype.dispatchEvent.call(new AbortController(), new Event('x')), \
           () => new EventTarget().dispatchEvent(Object.create(Event.prototype)), \
           () => require('events').once(new (require('events'))(), 'x', { signal: fakeSignal }), \
           () => require('events').on(new (require('events'))(), 'x', { signal: fakeSignal }), \
         ]; \
         for (const f of tries) { \
           try { const r = f(); out.push(r instanceof Promise ? 'promise' : 'ok'); if (r instanceof Promise) r.catch(() => {}); } \
           catch (e) { out.push(e.code || e.message); } \
         } \
         out.join()",
    );
    assert_eq!(
        out,
        "trap,ERR_INVALID_ARG_TYPE,promise,ERR_OUT_OF_RANGE,ERR_INVALID_ARG_TYPE,ERR_INVALID_THIS,\
         ERR_INVALID_THIS,ERR_INVALID_ARG_TYPE,promise,ERR_INVALID_ARG_TYPE"
    );
    // A listener that aborts its own signal while it is being dispatched, and
    // one that removes every other listener: the dispatch finishes in order.
    let out = eval_string(
        Options::new(),
        "const ac = new AbortController(); const log = []; const t = ac.signal; \
         const a = () => { log.push('a'); ac.abort(); t.removeEventListener('abort', b); }; \
         const b = () => log.push('b'); const c = () => log.push('c'); \
         t.addEventListener('abort', a); t.addEventListener('abort', b); t.addEventListener('abort', c); \
         ac.abort(); log.join()",
    );
    assert_eq!(out, "a,c");
}

#[test]
fn promise_timers_work_with_call_logging() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calls.db");
    // Logging copies the exports of `timers`: that must not load the denied
    // timers/promises.
    let rt = open(
        Options::new()
            .call_log(&db)
            .deny_modules(["timers/promises"]),
    )
    .unwrap();
    assert_eq!(
        rt.eval::<String>("typeof require('timers').setTimeout")
            .unwrap(),
        "function"
    );
    let rt = open(Options::new().call_log(&db)).unwrap();
    rt.eval::<()>(
        "globalThis.out = []; const tp = require('timers/promises'); \
         (async () => { \
           for await (const v of tp.setInterval(1, 'i')) { out.push(v); if (out.length === 2) break; } \
           out.push(await tp.setTimeout(1, 't')); \
           try { await tp.setTimeout(1, 'x', { signal: AbortSignal.abort() }); } catch (e) { out.push(e.code); } \
         })();",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(rt.eval::<String>("out.join()").unwrap(), "i,i,t,ABORT_ERR");
}
