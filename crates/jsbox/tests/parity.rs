//! Constraints 3 and 5: the same options give the same behaviour through `open()`
//! and through a factory. Every case runs both ways and the results must match
//! each other and the expected value.

use jsbox::rquickjs::{Ctx, Function, Object};
use jsbox::{open, CaptureSink, Factory, MemoryLoader, NativeModule, Options, Stream};
use serde_json::{json, Value};

struct Echo;

impl NativeModule for Echo {
    fn name(&self) -> &str {
        "echo"
    }
    fn doc(&self) -> &str {
        "echo(x): returns x"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> jsbox::rquickjs::Result<()> {
        exports.set("echo", Function::new(ctx.clone(), |s: String| s)?)
    }
}

fn loader() -> MemoryLoader {
    MemoryLoader::new()
        .with("entry.js", "module.exports = { ok: 42 };")
        .with(
            "lib/a.js",
            "exports.b = require('./b').name; exports.name = 'a';",
        )
        .with("lib/b.js", "exports.name = 'b';")
        .with("lib/data.json", r#"{ "n": [1, 2] }"#)
        .with("pkg/package.json", r#"{ "main": "./main" }"#)
        .with("pkg/main.js", "module.exports = 'main of pkg';")
        .with(
            "node_modules/dep/index.js",
            "module.exports = 'dep ' + __filename;",
        )
        .with(
            "cycle/a.js",
            "exports.early = 1; exports.seen = require('./b').seen; exports.late = 2;",
        )
        .with(
            "cycle/b.js",
            "exports.seen = Object.assign({}, require('./a'));",
        )
        .with(
            "throws.js",
            "globalThis.runs = (globalThis.runs || 0) + 1; throw new Error('body');",
        )
}

/// `(expression, expected JSON)` pairs.
fn cases() -> Vec<(&'static str, Value)> {
    vec![
        ("require('./entry.js').ok", json!(42)),
        ("require('./entry').ok", json!(42)),
        ("require('/entry.js').ok", json!(42)),
        ("require('./lib/a')", json!({ "b": "b", "name": "a" })),
        ("require('./lib/data.json')", json!({ "n": [1, 2] })),
        ("require('./pkg')", json!("main of pkg")),
        ("require('dep')", json!("dep /node_modules/dep/index.js")),
        ("require('./cycle/a').seen", json!({ "early": 1 })),
        ("require.resolve('./lib/b')", json!("/lib/b.js")),
        ("require('echo').echo('hi')", json!("hi")),
        ("require('node:echo') === require('echo')", json!(true)),
        ("Object.keys(require.cache).sort()", json!([])),
        (
            "require('./lib/a'); Object.keys(require.cache).sort()",
            json!(["/lib/a.js", "/lib/b.js"]),
        ),
        (
            "try { require('./nope') } catch (e) { [e.code, e.message] }",
            json!(["MODULE_NOT_FOUND", "Cannot find module './nope'\nRequire stack:\n- /[eval]"]),
        ),
        (
            "[0, 1].map(() => { try { require('./throws') } catch (e) { return e.message } }).concat(runs)",
            json!(["body", "body", 2]),
        ),
        (
            "try { require('echo').echo({}) } catch (e) { e.name }",
            json!("TypeError"),
        ),
        ("console.log('out', { a: 1 }); console.error('err'); 1", json!(1)),
    ]
}

fn run_all(make: &dyn Fn(Options) -> jsbox::Runtime) -> Vec<(Value, Vec<(Stream, String)>)> {
    cases()
        .into_iter()
        .map(|(source, _)| {
            let capture = CaptureSink::new();
            let rt = make(
                Options::new()
                    .loader(loader())
                    .module(Echo)
                    .console(capture.clone()),
            );
            let value: Value = rt.eval(source).unwrap_or_else(|e| panic!("{source}: {e}"));
            (value, capture.messages())
        })
        .collect()
}

#[test]
fn open_and_factory_agree_with_each_other_and_with_expectations() {
    let through_open = run_all(&|o| open(o).unwrap());
    let through_factory = run_all(&|o| Factory::new(o).unwrap().new_runtime().unwrap());
    let factory_once = std::sync::OnceLock::new();
    let through_shared_factory = run_all(&|o| {
        factory_once
            .get_or_init(|| Factory::new(o).unwrap())
            .new_runtime()
            .unwrap()
    });
    for (i, (source, expected)) in cases().into_iter().enumerate() {
        assert_eq!(through_open[i].0, expected, "open(): {source}");
        assert_eq!(through_open[i], through_factory[i], "factory: {source}");
        assert_eq!(
            through_open[i].0, through_shared_factory[i].0,
            "shared factory: {source}"
        );
    }
    let last = &through_open.last().unwrap().1;
    assert_eq!(
        last,
        &vec![
            (Stream::Stdout, "out { a: 1 }".to_string()),
            (Stream::Stderr, "err".to_string())
        ]
    );
}

#[test]
fn open_reports_the_same_option_errors_as_the_factory() {
    let bad = || Options::new().module(Echo).module(Echo);
    let from_open = open(bad()).unwrap_err().to_string();
    let from_factory = Factory::new(bad()).unwrap_err().to_string();
    assert_eq!(from_open, from_factory);
    assert!(
        from_open.contains("two native modules are named \"echo\""),
        "{from_open}"
    );
}
