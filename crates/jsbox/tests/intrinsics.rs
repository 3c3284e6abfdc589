//! Built-ins outside the language core (typed arrays, Map/Set, Date, WeakRef,
//! performance, DOMException, atob/btoa) are added on first use; every runtime
//! must still behave like a full QuickJS context.

use jsbox::rquickjs::{self, Ctx, Function, Object, TypedArray};
use jsbox::{open, NativeModule, Options};

const LAZY: [&str; 28] = [
    "Date",
    "Map",
    "Set",
    "WeakMap",
    "WeakSet",
    "ArrayBuffer",
    "SharedArrayBuffer",
    "Uint8ClampedArray",
    "Int8Array",
    "Uint8Array",
    "Int16Array",
    "Uint16Array",
    "Int32Array",
    "Uint32Array",
    "BigInt64Array",
    "BigUint64Array",
    "Float16Array",
    "Float32Array",
    "Float64Array",
    "DataView",
    "Atomics",
    "WeakRef",
    "FinalizationRegistry",
    "performance",
    "DOMException",
    "atob",
    "btoa",
    "Proxy",
];

fn full_context_globals() -> Vec<String> {
    let engine = rquickjs::Runtime::new().unwrap();
    let context = rquickjs::Context::full(&engine).unwrap();
    context.with(|ctx| {
        ctx.eval("Object.getOwnPropertyNames(globalThis).sort()")
            .unwrap()
    })
}

#[test]
fn every_global_of_a_full_context_is_there_in_every_order() {
    let full = full_context_globals();
    for name in LAZY {
        assert!(
            full.contains(&name.to_string()),
            "{name} is not a full-context global"
        );
    }
    // Touch each lazy global first in a fresh runtime, then check all of them.
    for first in LAZY {
        let rt = open(Options::new()).unwrap();
        let check = format!(
            "typeof {first};
             const names = {};
             names.filter((n) => typeof globalThis[n] === 'undefined')",
            serde_json::to_string(&LAZY).unwrap()
        );
        let missing: Vec<String> = rt.eval(&check).unwrap();
        assert!(missing.is_empty(), "after {first}: missing {missing:?}");
        let ours: Vec<String> = rt
            .eval("Object.getOwnPropertyNames(globalThis).filter((n) => !['console', 'require', 'process', 'Buffer', 'TextEncoder', 'TextDecoder', 'structuredClone', 'crypto', 'URL', 'URLSearchParams', 'EventTarget', 'Event', 'CustomEvent', 'AbortController', 'AbortSignal', 'global', '__jsbox', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'].includes(n)).sort()")
            .unwrap();
        assert_eq!(ours, full, "after touching {first}");
    }
}

#[test]
fn lazy_built_ins_work_like_eager_ones() {
    let rt = open(Options::new()).unwrap();
    let seen: serde_json::Value = rt
        .eval(
            "[
               new Map([[1, 'a']]).get(1), new Set([1, 1, 2]).size, new Uint8Array([1, 2, 300])[2],
               new DataView(new ArrayBuffer(4)).byteLength, typeof Date.now(), new Date(0).toISOString(),
               atob(btoa('héllo'.normalize('NFD').slice(0, 1))), typeof performance.now(),
               new DOMException('m', 'AbortError').name, typeof new WeakRef({}).deref,
               typeof undeclaredName, 'Map' in globalThis,
             ]",
        )
        .unwrap();
    assert_eq!(
        seen,
        serde_json::json!([
            "a",
            2,
            44,
            4,
            "number",
            "1970-01-01T00:00:00.000Z",
            "h",
            "number",
            "AbortError",
            "function",
            "undefined",
            true
        ])
    );
    // An undeclared global is still a ReferenceError.
    let err = rt.eval::<()>("notDefinedAnywhere()").unwrap_err();
    assert_eq!(err.exception().unwrap().name, "ReferenceError");
}

#[test]
fn assigning_or_redefining_a_lazy_global_is_safe() {
    let rt = open(Options::new()).unwrap();
    let seen: serde_json::Value = rt
        .eval(
            "Map = 'mine';
             Object.defineProperty(globalThis, 'Uint8Array', { value: 'also mine', configurable: true, writable: true });
             const before = [Map, Uint8Array];
             // Touching another global of the typed-array group adds the group.
             const after = typeof Float64Array;
             [before, after, typeof Set, Map]",
        )
        .unwrap();
    assert_eq!(seen[0], serde_json::json!(["mine", "also mine"]));
    assert_eq!(seen[1], "function");
    assert_eq!(seen[2], "function");
    assert_eq!(
        seen[3], "mine",
        "an assignment made after its group loaded stays"
    );
}

/// A module that creates a typed array from Rust before any script touched one.
struct Bytes;

impl NativeModule for Bytes {
    fn name(&self) -> &str {
        "bytes"
    }
    fn doc(&self) -> &str {
        "three(): a Uint8Array made in Rust"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> rquickjs::Result<()> {
        exports.set(
            "three",
            Function::new(ctx.clone(), |ctx: Ctx<'js>| {
                TypedArray::<u8>::new(ctx, vec![1, 2, 3])
            })?,
        )
    }
}

#[test]
fn rust_code_can_create_lazy_built_ins_first() {
    let rt = open(Options::new().module(Bytes)).unwrap();
    let seen: Vec<u8> = rt.eval("Array.from(require('bytes').three())").unwrap();
    assert_eq!(seen, [1, 2, 3]);

    let rt = open(Options::new()).unwrap();
    let len = rt
        .with(|ctx| {
            let array = TypedArray::<u8>::new(ctx.clone(), vec![9, 9]).unwrap();
            ctx.globals().set("fromRust", array)?;
            Ok(())
        })
        .and_then(|()| rt.eval::<i64>("fromRust instanceof Uint8Array ? fromRust.length : -1"))
        .unwrap();
    assert_eq!(len, 2);
}

/// jsbox replaces `Array.prototype.find` and its three siblings (QuickJS-ng's
/// own free an element twice when a time limit interrupts them): the
/// replacements match Node 20 on results, order, holes, array-likes, thisArg,
/// errors and property attributes.
#[test]
fn array_find_and_siblings_match_node() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/array_find");
    let expected = std::fs::read_to_string(format!("{dir}/expected.txt")).unwrap();
    // The engine's own (no time limit) and jsbox's (with one, and in images).
    for (options, replaced) in [
        (Options::new().without_heap_images(), false),
        (
            Options::new()
                .without_heap_images()
                .timeout(std::time::Duration::from_secs(30)),
            true,
        ),
        (
            Options::new().heap_images(jsbox::HeapImages::new().max_slots(1)),
            true,
        ),
    ] {
        let output = jsbox::CaptureSink::new();
        let rt = jsbox::open(options.console(output.clone()).base_dir(dir)).unwrap();
        rt.run_file("cases.js").unwrap();
        assert_eq!(output.text(jsbox::Stream::Stdout), expected);
        // jsbox's versions run as bytecode named jsbox:arrays.
        let ours: bool = rt
            .eval("let s = ''; [1].find(() => { s = new Error().stack; }); s.includes('jsbox:arrays')")
            .unwrap();
        assert_eq!(ours, replaced);
    }
}
