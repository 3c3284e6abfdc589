use jsbox::*;
fn main() {
    let f = Factory::new(Options::new().loader(MemoryLoader::new()
        .with("entry.js", "module.exports = { ok: 42 };")
        .with("bad.js", "let x = ;\n")
        .with("throws.js", "function f() { throw new TypeError('nope'); }\nf();")
    )).unwrap();
    let rt = f.new_runtime().unwrap();
    println!("{:?}", rt.eval::<i64>("require('./entry.js').ok"));
    println!("{:?}", rt.require::<serde_json::Value>("./entry.js"));
    println!("{}", rt.eval::<()>("require('./bad.js')").unwrap_err());
    println!("{}", rt.eval::<()>("require('./throws.js')").unwrap_err());
    println!("{}", rt.eval::<()>("require('./nope')").unwrap_err());
    println!("{:?}", rt.eval::<()>("require(42)").unwrap_err());
    println!("{:?}", rt.eval::<()>("throw 42").unwrap_err());
    println!("{:?}", rt.eval::<String>("new Error('x').stack"));
    rt.eval::<()>("console.log('hi', {a:1}); console.trace('t')").unwrap();
    let t = std::time::Instant::now();
    for _ in 0..100 { f.new_runtime().unwrap(); }
    println!("spawn {:?}", t.elapsed() / 100);
}
