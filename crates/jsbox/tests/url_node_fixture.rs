//! URL, URLSearchParams and the `url` module, checked against Node itself:
//! `fixtures/url/main.js` prints one check per line (WPT-style tricky
//! inputs, setters that must be ignored, the legacy API) and `expected.txt`
//! is what Node 20 printed for it (regenerate with
//! `sh fixtures/url/gen_expected.sh`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{Factory, HeapImages, Options};
use node_fixture::NodeFixture;

#[test]
fn url_apis_match_node() {
    NodeFixture::new("url").check(Options::new(), "main.js");
}

#[test]
fn they_match_node_in_heap_image_runtimes_too() {
    NodeFixture::new("url").check_in_heap_images("main.js");
}

fn eval_string(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

#[test]
fn the_globals_are_loaded_on_first_use() {
    let rt = Factory::new(Options::new()).unwrap().new_runtime().unwrap();
    let names = "['URL', 'URLSearchParams']";
    let before: String = rt
        .eval(&format!(
            "{names}.map((name) => typeof Object.getOwnPropertyDescriptor(globalThis, name).get).join()"
        ))
        .unwrap();
    assert_eq!(before, "function,function");
    let after: String = rt
        .eval(&format!(
            "new URL('http://x'); URLSearchParams; {names}.map((name) => \
             typeof Object.getOwnPropertyDescriptor(globalThis, name).value).join()"
        ))
        .unwrap();
    assert_eq!(after, "function,function");
    let replaced: String = rt
        .eval("URL = 'mine'; URL + ' ' + typeof require('url').URL")
        .unwrap();
    assert_eq!(replaced, "mine function");
}

#[test]
fn the_globals_work_whatever_modules_the_policy_allows() {
    let source = "new URL('?a=1', 'https://e.com/x').searchParams.get('a') + \
                  new URLSearchParams({ b: 2 })";
    for options in [
        Options::new().allow_modules(Vec::<String>::new()),
        Options::new().sandboxed(),
        Options::new().deny_modules(["url", "util", "querystring", "path"]),
        Options::new()
            .allow_modules(Vec::<String>::new())
            .heap_images(HeapImages::new().max_slots(1)),
    ] {
        assert_eq!(eval_string(options, source), "1b=2");
    }
}

#[test]
fn the_module_follows_the_policy() {
    let source = "try { require('url'); 'loaded' } catch (e) { e.code }";
    assert_eq!(
        eval_string(Options::new().deny_modules(["url"]), source),
        "ERR_ACCESS_DENIED"
    );
    assert_eq!(
        eval_string(Options::new().allow_modules(["util"]), source),
        "ERR_ACCESS_DENIED"
    );
    assert_eq!(
        eval_string(Options::new(), "require('node:url').URL === URL && 'ok'"),
        "ok"
    );
}

#[test]
fn huge_inputs_are_refused_with_node_errors_and_the_runtime_survives() {
    let rt = Factory::new(Options::new().memory_limit(256 << 20))
        .unwrap()
        .new_runtime()
        .unwrap();
    let outcome: String = rt
        .eval(
            "const big = 'http://e.com/' + 'x'.repeat(33 << 20); \
             const out = []; \
             for (const f of [ \
               () => new URL(big), \
               () => URL.canParse(big), \
               () => new URL('/x', big), \
               () => { const u = new URL('http://e.com/'); u.pathname = big; return u.href; }, \
               () => new URLSearchParams(big).size, \
               () => require('url').domainToASCII(big), \
             ]) { try { out.push(String(f())); } catch (e) { out.push(e.code || e.name); } } \
             out.join()",
        )
        .unwrap();
    assert_eq!(
        outcome,
        "ERR_INVALID_URL,false,ERR_INVALID_URL,http://e.com/,ERR_OUT_OF_RANGE,"
    );
    assert_eq!(
        rt.eval::<String>("new URL('b', 'http://a/').href").unwrap(),
        "http://a/b"
    );
}

#[test]
fn the_binding_cannot_be_fooled_by_scripts() {
    // Through require's internals no script reaches the binding; what a script
    // can do is hand odd values to the public API.
    let source = "const out = []; \
                  for (const f of [ \
                    () => new URL({ toString() { throw new Error('boom'); } }), \
                    () => new URL('http://x', { toString() { return 'bad'; } }).href, \
                    () => URL.prototype.href, \
                    () => Object.getOwnPropertyDescriptor(URL.prototype, 'search').set.call({}, 'x'), \
                    () => new URLSearchParams([['a', { toString() { return '\\ud800'; } }]]).toString(), \
                    () => new URL('http://x/?\\udc00').search, \
                  ]) { try { out.push(String(f())); } catch (e) { out.push(e.name); } } \
                  out.join()";
    assert_eq!(
        eval_string(Options::new(), source),
        "Error,TypeError,TypeError,TypeError,a=%EF%BF%BD,?%EF%BF%BD"
    );
}
