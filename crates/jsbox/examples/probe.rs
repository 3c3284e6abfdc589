fn main() {
    let f = jsbox::Factory::new(jsbox::Options::new()).unwrap();
    for _ in 0..300 {
        let t = std::time::Instant::now();
        let rt = f.new_runtime().unwrap();
        let a = t.elapsed();
        drop(rt);
        let b = t.elapsed();
        if std::env::var_os("JSBOX_PROBE").is_some() {
            eprintln!("new {:?} drop {:?}", a, b - a);
        }
    }
}
