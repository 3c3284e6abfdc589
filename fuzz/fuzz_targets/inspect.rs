//! console/util.inspect over arbitrary values: the input is JSON-ish data turned
//! into objects (with cycles, getters, prototypes, Maps and Sets) and printed with
//! options taken from the input. It must never crash the process.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn factory() -> &'static jsbox::Factory {
    static FACTORY: OnceLock<jsbox::Factory> = OnceLock::new();
    FACTORY.get_or_init(|| {
        jsbox::Factory::new(
            jsbox::Options::new()
                .console(jsbox::NullSink)
                .timeout(std::time::Duration::from_secs(2))
                .memory_limit(64 << 20),
        )
        .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rt = factory().new_runtime().unwrap();
    let source = format!(
        "const input = {};
         const build = (v, d) => {{
           if (d > 6 || v === null || typeof v !== 'object') return v;
           const o = Array.isArray(v) ? v.map((x) => build(x, d + 1)) : {{}};
           if (!Array.isArray(v)) for (const k of Object.keys(v)) o[k] = build(v[k], d + 1);
           if (d % 3 === 1) o.self = o;
           if (d % 4 === 2) Object.defineProperty(o, 'g', {{ get() {{ return 1; }}, enumerable: true }});
           if (d === 2) return new Map([[o, new Set([o])]]);
           return o;
         }};
         let value;
         try {{ value = build(JSON.parse(input), 0); }} catch {{ value = input; }}
         const util = require('util');
         util.inspect(value, {{ depth: input.length % 5, compact: input.length % 4, breakLength: 40 + input.length % 60, sorted: input.length % 2 === 0 }});
         console.log('%s %d %j %o', value, value, value, value);",
        serde_json_string(text)
    );
    // Errors are fine (timeouts, bad input); crashes are not.
    let _ = rt.eval::<()>(&source);
});

fn serde_json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
