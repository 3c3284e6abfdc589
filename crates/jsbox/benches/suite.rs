//! The benchmark suite: the Go toolkit's cases, in Rust, with its case
//! names where they apply. `scripts/bench.sh` runs it and renders BENCHMARKS.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use jsbox::rquickjs::{self, Ctx, Function, Object};
use jsbox::{open, Factory, HeapImages, MemoryLoader, NativeModule, NullSink, Options};

/// A native module with one cheap function, for call-overhead cases.
struct Bench;

impl NativeModule for Bench {
    fn name(&self) -> &str {
        "bench"
    }
    fn doc(&self) -> &str {
        "add(a, b)"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> rquickjs::Result<()> {
        exports.set("add", Function::new(ctx.clone(), add)?)
    }
}

fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// A module of `functions` small exported functions: a stand-in for a real
/// library file.
fn library_module(functions: usize, requires: &str) -> String {
    let mut source = format!("'use strict';\n{requires}\n");
    for i in 0..functions {
        source.push_str(&format!(
            "function helper{i}(items, options) {{\n  const out = [];\n  for (const item of items) {{\n    if (item && item.id % {m} === {r}) out.push({{ ...item, tag: options.tag + '{i}' }});\n  }}\n  return out;\n}}\nexports.helper{i} = helper{i};\n",
            m = i % 7 + 2,
            r = i % 2,
        ));
    }
    source
}

fn options() -> Options {
    Options::new().console(NullSink).module(Bench).loader(
        MemoryLoader::new()
            .with(
                "tree/a.js",
                "const b = require('./b'); module.exports = { a: 1, b };",
            )
            .with("tree/b.js", "module.exports = { b: 2, list: [1, 2, 3] };")
            .with("lib/a.js", library_module(40, "const b = require('./b');"))
            .with("lib/b.js", library_module(40, ""))
            // The same trees as ES modules.
            .with(
                "tree/a.mjs",
                "import * as b from './b.mjs'; export const a = 1; export { b };",
            )
            .with(
                "tree/b.mjs",
                "export const b = 2; export const list = [1, 2, 3];",
            )
            .with(
                "lib/a.mjs",
                esm_library_module(40, "import * as b from './b.mjs';"),
            )
            .with("lib/b.mjs", esm_library_module(40, "")),
    )
}

/// [`library_module`] as an ES module: the same functions, exported with
/// `export function`.
fn esm_library_module(functions: usize, imports: &str) -> String {
    library_module(functions, imports)
        .lines()
        .filter(|line| *line != "'use strict';" && !line.starts_with("exports."))
        .map(|line| match line.starts_with("function helper") {
            true => format!("export {line}"),
            false => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn bare_engine() -> (rquickjs::Runtime, rquickjs::Context) {
    let runtime = rquickjs::Runtime::new().unwrap();
    let context = rquickjs::Context::full(&runtime).unwrap();
    (runtime, context)
}

fn script(lines: usize) -> String {
    (0..lines)
        .map(|i| format!("function f{i}(x) {{ return x * {i} + {i}; }}\n"))
        .collect::<String>()
        + "f1(2);\n"
}

const TINY: &str = "var n = 41; n + 1;";
/// The allocation-heavy script of the heap-image prototype (128 small objects).
const ALLOC_HEAVY: &str = "(() => { let a = []; for (let i = 0; i < 128; i++) { a.push({ i, s: 'abcd', n: [1, 2, 3, 4] }); } return a.length; })()";
const FIB: &str = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } fib(25)";

fn runtime_spawn(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let factory = Factory::new(options()).unwrap();
    let logged = Factory::new(options().call_log(dir.path().join("spawn.db"))).unwrap();
    let mut g = c.benchmark_group("runtime_spawn");
    g.bench_function("bare_engine", |b| b.iter(|| black_box(bare_engine())));
    g.bench_function("open", |b| b.iter(|| black_box(open(options()).unwrap())));
    g.bench_function("factory", |b| {
        b.iter(|| black_box(factory.new_runtime().unwrap()))
    });
    g.bench_function("factory_calllog", |b| {
        b.iter(|| black_box(logged.new_runtime().unwrap()))
    });
    g.finish();
}

fn spawn_execute(c: &mut Criterion) {
    let factory = Factory::new(options()).unwrap();
    let program = factory.compile("tiny.js", TINY).unwrap();
    let mut g = c.benchmark_group("spawn_execute");
    g.bench_function("bare_engine_source", |b| {
        b.iter(|| {
            let (_rt, ctx) = bare_engine();
            ctx.with(|ctx| black_box(ctx.eval::<i32, _>(TINY).unwrap()))
        })
    });
    g.bench_function("source", |b| {
        b.iter(|| black_box(factory.new_runtime().unwrap().eval::<i64>(TINY).unwrap()))
    });
    g.bench_function("precompiled", |b| {
        b.iter(|| black_box(factory.new_runtime().unwrap().run::<i64>(&program).unwrap()))
    });
    g.finish();
}

fn reuse(c: &mut Criterion) {
    let factory = Factory::new(options()).unwrap();
    let program = factory.compile("tiny.js", TINY).unwrap();
    let rt = factory.new_runtime().unwrap();
    let mut g = c.benchmark_group("reuse_runtime");
    g.bench_function("source", |b| {
        b.iter(|| black_box(rt.eval::<i64>(TINY).unwrap()))
    });
    g.bench_function("precompiled", |b| {
        b.iter(|| black_box(rt.run::<i64>(&program).unwrap()))
    });
    g.finish();
}

fn js_loading(c: &mut Criterion) {
    let factory = Factory::new(options()).unwrap();
    let mut g = c.benchmark_group("js_loading");
    for lines in [32, 512, 4096] {
        let source = script(lines);
        let program = factory.compile("load.js", &source).unwrap();
        let reused = factory.new_runtime().unwrap();
        g.bench_function(format!("compile_{lines}"), |b| {
            b.iter(|| black_box(factory.compile("load.js", &source).unwrap()))
        });
        g.bench_function(format!("fresh_runtime_source_{lines}"), |b| {
            b.iter(|| black_box(factory.new_runtime().unwrap().eval::<i64>(&source).unwrap()))
        });
        g.bench_function(format!("fresh_runtime_program_{lines}"), |b| {
            b.iter(|| black_box(factory.new_runtime().unwrap().run::<i64>(&program).unwrap()))
        });
        g.bench_function(format!("reused_runtime_source_{lines}"), |b| {
            b.iter(|| black_box(reused.eval::<i64>(&source).unwrap()))
        });
    }
    g.finish();
}

/// 1,000 calls per iteration: per-call figures are the time / 1000.
const CALL_LOOP: usize = 1000;

fn js_calls_native(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let factory = Factory::new(options()).unwrap();
    let rt = factory.new_runtime().unwrap();
    let logged = Factory::new(options().call_log(dir.path().join("js_calls.db")))
        .unwrap()
        .new_runtime()
        .unwrap();
    logged
        .eval::<()>(&format!(
            "const {{ add }} = require('bench');
             function viaModule() {{ let s = 0; for (let i = 0; i < {CALL_LOOP}; i++) s = add(s, 1); return s; }}"
        ))
        .unwrap();
    rt.with(|ctx| {
        ctx.globals()
            .set("plainAdd", Function::new(ctx.clone(), add).unwrap())
            .unwrap();
        Ok(())
    })
    .unwrap();
    rt.eval::<()>(&format!(
        "const {{ add }} = require('bench');
         function viaGlobal() {{ let s = 0; for (let i = 0; i < {CALL_LOOP}; i++) s = plainAdd(s, 1); return s; }}
         function viaModule() {{ let s = 0; for (let i = 0; i < {CALL_LOOP}; i++) s = add(s, 1); return s; }}
         function jsOnly() {{ let s = 0; for (let i = 0; i < {CALL_LOOP}; i++) s = s + 1; return s; }}"
    ))
    .unwrap();
    let mut g = c.benchmark_group("js_calls_native_x1000");
    g.bench_function("direct_rust_baseline", |b| {
        b.iter(|| {
            let mut s = 0;
            for _ in 0..CALL_LOOP {
                s = add(black_box(s), 1);
            }
            s
        })
    });
    g.bench_function("js_loop_only", |b| {
        b.iter(|| rt.call::<_, i64>("jsOnly", ()).unwrap())
    });
    g.bench_function("global_function", |b| {
        b.iter(|| rt.call::<_, i64>("viaGlobal", ()).unwrap())
    });
    g.bench_function("module_export", |b| {
        b.iter(|| rt.call::<_, i64>("viaModule", ()).unwrap())
    });
    g.bench_function("module_export_logged", |b| {
        b.iter(|| logged.call::<_, i64>("viaModule", ()).unwrap())
    });
    g.finish();
}

fn native_calls_js(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let plain = Factory::new(options()).unwrap().new_runtime().unwrap();
    let logged = Factory::new(options().call_log(dir.path().join("calls.db")))
        .unwrap()
        .new_runtime()
        .unwrap();
    for rt in [&plain, &logged] {
        rt.eval::<()>("function inc(x) { return x + 1; }").unwrap();
    }
    let mut g = c.benchmark_group("native_calls_js");
    g.bench_function("direct_rust", |b| b.iter(|| black_box(black_box(1) + 1)));
    g.bench_function("plain_rquickjs_call", |b| {
        b.iter(|| {
            plain
                .with(|ctx| {
                    let f: Function = ctx.globals().get("inc")?;
                    Ok(f.call::<_, i64>((1,))?)
                })
                .unwrap()
        })
    });
    g.bench_function("call_without_logger", |b| {
        b.iter(|| plain.call::<_, i64>("inc", (1,)).unwrap())
    });
    g.bench_function("call_with_logger", |b| {
        b.iter(|| logged.call::<_, i64>("inc", (1,)).unwrap())
    });
    g.finish();
}

fn require(c: &mut Criterion) {
    let cached = Factory::new(options()).unwrap();
    let uncached = Factory::new(options().code_cache(0)).unwrap();
    let warm = cached.new_runtime().unwrap();
    warm.eval::<()>("require('./tree/a')").unwrap();
    let mut g = c.benchmark_group("require");
    // Two library files of 40 functions (~9 KB each), and a tiny two-file tree.
    for (name, tree) in [("lib", "./lib/a"), ("tiny", "./tree/a")] {
        let source = format!("require('{tree}')");
        for (cache, factory) in [("cache_warm", &cached), ("no_cache", &uncached)] {
            g.bench_function(format!("cold_new_runtime_{name}_{cache}"), |b| {
                // The runtime is made and dropped outside the timed part.
                b.iter_batched_ref(
                    || factory.new_runtime().unwrap(),
                    |rt| rt.eval::<()>(&source).unwrap(),
                    BatchSize::SmallInput,
                )
            });
        }
    }
    warm.eval::<()>("function warmRequire() { return require('./tree/a'); }")
        .unwrap();
    g.bench_function("warm_reused_runtime", |b| {
        b.iter(|| warm.call::<_, ()>("warmRequire", ()).unwrap())
    });
    g.finish();
}

/// The same two-file trees loaded as ES modules (`Runtime::import`) and as
/// CommonJS (`Runtime::require`), side by side, into fresh runtimes.
fn esm(c: &mut Criterion) {
    let cached = Factory::new(options()).unwrap();
    let uncached = Factory::new(options().code_cache(0)).unwrap();
    let mut g = c.benchmark_group("esm_vs_commonjs");
    for (name, cjs, esm) in [
        ("lib", "./lib/a.js", "./lib/a.mjs"),
        ("tiny", "./tree/a.js", "./tree/a.mjs"),
    ] {
        for (cache, factory) in [("cache_warm", &cached), ("no_cache", &uncached)] {
            g.bench_function(format!("commonjs_{name}_{cache}"), |b| {
                b.iter_batched_ref(
                    || factory.new_runtime().unwrap(),
                    |rt| rt.require::<()>(cjs).unwrap(),
                    BatchSize::SmallInput,
                )
            });
            g.bench_function(format!("esm_{name}_{cache}"), |b| {
                b.iter_batched_ref(
                    || factory.new_runtime().unwrap(),
                    |rt| rt.import::<()>(esm).unwrap(),
                    BatchSize::SmallInput,
                )
            });
        }
    }
    g.finish();
}

fn value_conversion(c: &mut Criterion) {
    let rt = Factory::new(options()).unwrap().new_runtime().unwrap();
    rt.eval::<()>(
        "globalThis.tiny = 42;
         globalThis.map20 = Object.fromEntries(Array.from({ length: 20 }, (_, i) => ['key' + i, i]));
         globalThis.nested = [0, 1, 2, 3].map((i) => ({ i, row: [0, 1, 2, 3].map((j) => ({ j, v: 'x' + j })) }));
         function echo(x) { return x; }",
    )
    .unwrap();
    let payloads = [
        ("tiny", serde_json::json!(42)),
        ("map20", rt.eval::<serde_json::Value>("map20").unwrap()),
        ("nested4x4", rt.eval::<serde_json::Value>("nested").unwrap()),
    ];
    let mut g = c.benchmark_group("value_conversion");
    for (name, global) in [
        ("tiny", "tiny"),
        ("map20", "map20"),
        ("nested4x4", "nested"),
    ] {
        g.bench_function(format!("js_to_json_{name}"), |b| {
            b.iter(|| black_box(rt.eval::<serde_json::Value>(global).unwrap()))
        });
    }
    for (name, payload) in &payloads {
        let text = payload.to_string();
        g.bench_function(format!("json_roundtrip_call_{name}"), |b| {
            b.iter(|| {
                rt.with(|ctx| {
                    let value = ctx.json_parse(text.as_str()).unwrap();
                    let echo: Function = ctx.globals().get("echo").unwrap();
                    let back: rquickjs::Value = echo.call((value,)).unwrap();
                    Ok(black_box(
                        ctx.json_stringify(back)
                            .unwrap()
                            .map(|s| s.to_string().unwrap()),
                    ))
                })
                .unwrap()
            })
        });
    }
    g.finish();
}

/// The same 1 MiB texts as `scripts/node_text_bench.js`, which times Node on
/// the same work: ASCII, and mixed text (mostly ASCII with Latin-1 letters,
/// CJK and emoji, as prose in several languages).
const NODE_TEXT_SETUP: &str = "
    const unit = {
      ascii: 'The quick brown fox jumps over the lazy dog. 0123456789\\n',
      mixed: 'Grüße aus Zürich, naïve café; 東京と大阪 😀 — fin.\\n',
    };
    const enc = new TextEncoder();
    const dec = new TextDecoder();
    globalThis.texts = {};
    globalThis.bytes = {};
    for (const name of ['ascii', 'mixed']) {
      const long = unit[name].repeat(Math.ceil((1 << 20) / enc.encode(unit[name]).length));
      // Cut at a character boundary: exactly 1 MiB of UTF-8 or just under
      // (the JSON round trip gives Node a flat string, as jsbox's is).
      const { read } = enc.encodeInto(long, new Uint8Array(1 << 20));
      texts[name] = JSON.parse(JSON.stringify(long.slice(0, read)));
      bytes[name] = enc.encode(texts[name]);
    }
    globalThis.encodeText = (name) => enc.encode(texts[name]).length;
    globalThis.decodeBytes = (name) => dec.decode(bytes[name]).length;
";

/// TextEncoder.encode / TextDecoder.decode of 1 MiB, called from Rust with
/// the text made once (compare with Node: `node scripts/node_text_bench.js`).
fn node_text(c: &mut Criterion) {
    let rt = Factory::new(options()).unwrap().new_runtime().unwrap();
    rt.eval::<()>(NODE_TEXT_SETUP).unwrap();
    let mut g = c.benchmark_group("node_text");
    for name in ["ascii", "mixed"] {
        for (case, function) in [
            ("TextEncoder.encode", "encodeText"),
            ("TextDecoder.decode", "decodeBytes"),
        ] {
            g.bench_function(format!("{case}_1MiB_{name}"), |b| {
                rt.with(|ctx| {
                    let f: Function = ctx.globals().get(function).unwrap();
                    b.iter(|| black_box(f.call::<_, i64>((name,)).unwrap()));
                    Ok(())
                })
                .unwrap()
            });
        }
    }
    g.finish();
}

/// The work of the `node_buffer` group, the same as
/// `scripts/node_buffer_bench.js` does: 1 MiB through each encoding.
const NODE_BUFFER_SETUP: &str = "
    const bytes = Buffer.alloc(1 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 127;
    const strings = { base64: bytes.toString('base64'), hex: bytes.toString('hex'), utf8: bytes.toString('utf8') };
    globalThis.bufferFrom = (enc) => Buffer.from(strings[enc], enc).length;
    globalThis.bufferToString = (enc) => bytes.toString(enc).length;
";

/// `Buffer.from(string, enc)` and `buf.toString(enc)` of 1 MiB (compare with
/// Node: `node scripts/node_buffer_bench.js`).
fn node_buffer(c: &mut Criterion) {
    let rt = Factory::new(options()).unwrap().new_runtime().unwrap();
    rt.eval::<()>(NODE_BUFFER_SETUP).unwrap();
    let mut g = c.benchmark_group("node_buffer");
    for encoding in ["base64", "hex", "utf8"] {
        for (case, function) in [("from", "bufferFrom"), ("toString", "bufferToString")] {
            g.bench_function(format!("{case}_{encoding}_1MiB"), |b| {
                rt.with(|ctx| {
                    let f: Function = ctx.globals().get(function).unwrap();
                    b.iter(|| black_box(f.call::<_, i64>((encoding,)).unwrap()));
                    Ok(())
                })
                .unwrap()
            });
        }
    }
    g.finish();
}

/// The work of the `node_crypto` group, the same as
/// `scripts/node_crypto_bench.js` does: SHA-256 of 16 MiB, one update.
const NODE_CRYPTO_SETUP: &str = "
    const crypto = require('crypto');
    const data = Buffer.alloc(16 << 20);
    for (let i = 0; i < data.length; i += 4096) data[i] = i & 255;
    globalThis.sha256 = () => crypto.createHash('sha256').update(data).digest().length;
";

fn node_crypto(c: &mut Criterion) {
    let rt = Factory::new(options()).unwrap().new_runtime().unwrap();
    rt.eval::<()>(NODE_CRYPTO_SETUP).unwrap();
    let mut g = c.benchmark_group("node_crypto");
    g.sample_size(10);
    g.bench_function("createHash_sha256_16MiB", |b| {
        rt.with(|ctx| {
            let f: Function = ctx.globals().get("sha256").unwrap();
            b.iter(|| black_box(f.call::<_, i64>(()).unwrap()));
            Ok(())
        })
        .unwrap()
    });
    g.finish();
}

/// The 10,000 URLs of the `node_url` group, the same as
/// `scripts/node_url_bench.js` makes.
const NODE_URL_SETUP: &str = "
    const urls = [];
    for (let i = 0; i < 10000; i++) {
      switch (i % 5) {
        case 0: urls.push(`https://user:pw@example${i}.com:8080/a/b/../c${i}?q=${i}&r=x#frag`); break;
        case 1: urls.push(`http://xn--mnchen-3ya.de/path/${i}/file.html`); break;
        case 2: urls.push(`/relative/${i}?x=1`); break;
        case 3: urls.push(`http://192.168.${i % 256}.1:${1000 + i}/`); break;
        default: urls.push(`file:///home/user/${i}/doc%20name.txt`); break;
      }
    }
    globalThis.parseUrls = () => {
      let total = 0;
      for (let i = 0; i < urls.length; i++) total += new URL(urls[i], 'https://base.example/dir/').href.length;
      return total;
    };
";

/// `new URL(input, base)` of 10,000 varied URLs (compare with Node:
/// `node scripts/node_url_bench.js`).
fn node_url(c: &mut Criterion) {
    let rt = Factory::new(options()).unwrap().new_runtime().unwrap();
    rt.eval::<()>(NODE_URL_SETUP).unwrap();
    let mut g = c.benchmark_group("node_url");
    g.bench_function("parse 10,000 URLs", |b| {
        rt.with(|ctx| {
            let f: Function = ctx.globals().get("parseUrls").unwrap();
            b.iter(|| black_box(f.call::<_, i64>(()).unwrap()));
            Ok(())
        })
        .unwrap()
    });
    g.finish();
}

fn gc_sensitivity(c: &mut Criterion) {
    let factory = Factory::new(options()).unwrap();
    let reused = factory.new_runtime().unwrap();
    let mut g = c.benchmark_group("gc_sensitivity");
    g.bench_function("spawn_and_discard_alloc_heavy", |b| {
        b.iter(|| {
            black_box(
                factory
                    .new_runtime()
                    .unwrap()
                    .eval::<i64>(ALLOC_HEAVY)
                    .unwrap(),
            )
        })
    });
    g.bench_function("reuse_alloc_heavy", |b| {
        b.iter(|| black_box(reused.eval::<i64>(ALLOC_HEAVY).unwrap()))
    });
    g.finish();
}

fn cpu_bound(c: &mut Criterion) {
    let rt = Factory::new(options()).unwrap().new_runtime().unwrap();
    let mut g = c.benchmark_group("cpu_bound");
    g.sample_size(10);
    g.bench_function("fib25", |b| {
        b.iter(|| black_box(rt.eval::<i64>(FIB).unwrap()))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

/// A bundle of a few hundred KiB: what `Options::preload` is for.
fn bundle() -> String {
    let mut source = String::from("var bundle = {};\n");
    for i in 0..1500 {
        source.push_str(&format!(
            "bundle.helper{i} = function (items, options) {{\n  const out = [];\n  for (const item of items) {{\n    if (item && item.id % {m} === {r}) out.push({{ ...item, tag: options.tag + '{i}' }});\n  }}\n  return out;\n}};\n",
            m = i % 7 + 2,
            r = i % 2,
        ));
    }
    source
}

/// Heap-image runtimes beside the normal path and the bare engine, in one group
/// so the ratios come from one run. `*_new_runtime` leaves the drop (where the
/// slot is restored) out of the timing; every other case creates and drops.
fn heap_image(c: &mut Criterion) {
    let normal = Factory::new(options().without_heap_images()).unwrap();
    let images = Factory::new(options().heap_images(HeapImages::new().max_slots(4))).unwrap();
    let bundle = bundle();
    let preloaded = Factory::new(
        options()
            .heap_images(HeapImages::new().max_slots(4))
            .preload(bundle.clone()),
    )
    .unwrap();
    let check = "bundle.helper7([{ id: 1 }, { id: 2 }], { tag: 't' }).length";
    assert_eq!(
        preloaded.new_runtime().unwrap().eval::<i64>(check).unwrap(),
        normal
            .new_runtime()
            .unwrap()
            .eval::<i64>(&format!("{bundle}\n{check}"))
            .unwrap()
    );
    let mut g = c.benchmark_group("heap_image");
    g.bench_function("bare_engine", |b| b.iter(|| black_box(bare_engine())));
    g.bench_function("factory", |b| {
        b.iter(|| black_box(normal.new_runtime().unwrap()))
    });
    g.bench_function("image", |b| {
        b.iter(|| black_box(images.new_runtime().unwrap()))
    });
    g.bench_function("image_new_runtime", |b| {
        // One runtime at a time, dropped (restored) outside the timing.
        b.iter_batched(
            || (),
            |()| images.new_runtime().unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("factory_tiny", |b| {
        b.iter(|| black_box(normal.new_runtime().unwrap().eval::<i64>(TINY).unwrap()))
    });
    g.bench_function("image_tiny", |b| {
        b.iter(|| black_box(images.new_runtime().unwrap().eval::<i64>(TINY).unwrap()))
    });
    g.bench_function("factory_alloc_heavy", |b| {
        b.iter(|| {
            black_box(
                normal
                    .new_runtime()
                    .unwrap()
                    .eval::<i64>(ALLOC_HEAVY)
                    .unwrap(),
            )
        })
    });
    g.bench_function("image_alloc_heavy", |b| {
        b.iter(|| {
            black_box(
                images
                    .new_runtime()
                    .unwrap()
                    .eval::<i64>(ALLOC_HEAVY)
                    .unwrap(),
            )
        })
    });
    g.bench_function("bundle_from_source", |b| {
        b.iter(|| {
            let rt = normal.new_runtime().unwrap();
            rt.eval::<()>(&bundle).unwrap();
            black_box(rt)
        })
    });
    g.bench_function("image_preloaded_bundle", |b| {
        b.iter(|| black_box(preloaded.new_runtime().unwrap()))
    });
    g.finish();
}

/// The Go toolkit's spawn cases (goja with a prebuilt `require` registry
/// holding one native module, plus `console`: spawn 10.1 µs, spawn +
/// `var n = 41; n + 1;` 15.0 µs, spawn + `require('counter').bump(2)`
/// 19.1 µs), through jsbox's public API, each case creating and dropping a
/// runtime, beside the bare engine in one run so the ratios are comparable.
fn spawn_vs_go(c: &mut Criterion) {
    #[derive(Default)]
    struct Counter {
        total: i64,
    }
    let counter = || {
        jsbox::HostModule::new("counter", "bump(n)", Counter::default).function(
            "bump",
            |c: &mut Counter, n: i64| {
                c.total += n;
                Ok(c.total)
            },
        )
    };
    let base = || {
        Options::new()
            .console(NullSink)
            .module(Bench)
            .host_module(counter())
    };
    let images = Factory::new(base().heap_images(HeapImages::new().max_slots(4))).unwrap();
    // The database module required into the image (HeapImages::required_modules).
    let images_database = Factory::new(
        base().heap_images(
            HeapImages::new()
                .max_slots(4)
                .required_modules(["database"]),
        ),
    )
    .unwrap();
    let normal = Factory::new(base().without_heap_images()).unwrap();
    const HOST_CALL: &str = "require('counter').bump(2)";
    const NATIVE_CALL: &str = "require('bench').add(2, 3)";
    const DATABASE: &str = "const db = require('database'); db.configure('sqlite3', ':memory:'); \
                            db.query('select 41 + 1 as n')[0].n";
    let run = |factory: &Factory, source: &str| -> i64 {
        factory.new_runtime().unwrap().eval::<i64>(source).unwrap()
    };
    assert_eq!(run(&images, HOST_CALL), 2);
    assert_eq!(run(&images, DATABASE), 42);
    assert_eq!(run(&images_database, DATABASE), 42);
    for (name, factory) in [("", &images), (" with database required", &images_database)] {
        if let Some(stats) = factory.heap_image_stats() {
            eprintln!("spawn_vs_go: heap image{name} {} bytes", stats.image_bytes);
        }
    }
    let mut g = c.benchmark_group("spawn_vs_go");
    g.bench_function("bare_engine", |b| b.iter(|| black_box(bare_engine())));
    g.bench_function("image_spawn", |b| {
        b.iter(|| black_box(images.new_runtime().unwrap()))
    });
    g.bench_function("image_tiny", |b| b.iter(|| black_box(run(&images, TINY))));
    g.bench_function("image_host_module_call", |b| {
        b.iter(|| black_box(run(&images, HOST_CALL)))
    });
    g.bench_function("image_database_query", |b| {
        b.iter(|| black_box(run(&images, DATABASE)))
    });
    g.bench_function("image_database_required_query", |b| {
        b.iter(|| black_box(run(&images_database, DATABASE)))
    });
    // A factory of its own: these runtimes tear their slots down, which
    // makes a pool stop building slots for a while (see docs/heap-images.md).
    let images_native = Factory::new(base().heap_images(HeapImages::new().max_slots(4))).unwrap();
    g.bench_function("image_native_module_call", |b| {
        b.iter(|| black_box(run(&images_native, NATIVE_CALL)))
    });
    g.bench_function("factory_spawn", |b| {
        b.iter(|| black_box(normal.new_runtime().unwrap()))
    });
    g.bench_function("factory_host_module_call", |b| {
        b.iter(|| black_box(run(&normal, HOST_CALL)))
    });
    g.bench_function("factory_native_module_call", |b| {
        b.iter(|| black_box(run(&normal, NATIVE_CALL)))
    });
    // The yardstick again: on a shared machine the load can change within
    // the group, and the two figures bracket the cases between them.
    g.bench_function("bare_engine_again", |b| b.iter(|| black_box(bare_engine())));
    g.finish();

    // The same cases, each iteration timing a bare engine and then the case,
    // so that both see the same load: criterion reports the case, and the
    // ratio of the two sums over every iteration (warm-up included) is
    // printed after it.
    let mut g = c.benchmark_group("spawn_vs_go_interleaved");
    let cases: [(&str, &dyn Fn()); 7] = [
        ("image_spawn", &|| {
            drop(black_box(images.new_runtime().unwrap()))
        }),
        ("image_tiny", &|| {
            black_box(run(&images, TINY));
        }),
        ("image_host_module_call", &|| {
            black_box(run(&images, HOST_CALL));
        }),
        ("image_database_query", &|| {
            black_box(run(&images, DATABASE));
        }),
        ("image_database_required_query", &|| {
            black_box(run(&images_database, DATABASE));
        }),
        ("factory_spawn", &|| {
            drop(black_box(normal.new_runtime().unwrap()))
        }),
        ("factory_host_module_call", &|| {
            black_box(run(&normal, HOST_CALL));
        }),
    ];
    for (name, case) in cases {
        let mut bare = Duration::ZERO;
        let mut timed = Duration::ZERO;
        let mut count = 0u64;
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                count += iters;
                let mut case_time = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    drop(black_box(bare_engine()));
                    bare += start.elapsed();
                    let start = Instant::now();
                    case();
                    case_time += start.elapsed();
                }
                timed += case_time;
                case_time
            })
        });
        eprintln!(
            "spawn_vs_go_interleaved/{name}: {:.3}x the bare engine ({:.1} us / {:.1} us per iteration)",
            timed.as_secs_f64() / bare.as_secs_f64(),
            timed.as_secs_f64() * 1e6 / count.max(1) as f64,
            bare.as_secs_f64() * 1e6 / count.max(1) as f64,
        );
    }
    g.finish();
}

criterion_group! {
    name = suite;
    config = config();
    targets = runtime_spawn, spawn_execute, reuse, js_loading, js_calls_native, native_calls_js,
        require, esm, value_conversion, gc_sensitivity, cpu_bound, heap_image, node_text, node_url,
        node_crypto, node_buffer, spawn_vs_go
}
criterion_main!(suite);
