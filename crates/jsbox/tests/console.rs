//! console and util.format/inspect, checked against Node: `fixtures/console_cases.json`
//! holds Node 20's `util.format(...args)` output for each case (regenerate with
//! `node fixtures/gen_console_fixtures.js`).

use jsbox::{open, CaptureSink, Options, Stream};

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    args: String,
    expected: String,
}

fn runtime() -> (jsbox::Runtime, CaptureSink) {
    let capture = CaptureSink::new();
    (
        open(Options::new().console(capture.clone())).unwrap(),
        capture,
    )
}

#[test]
fn console_log_formats_like_node() {
    let cases: Vec<Case> =
        serde_json::from_str(include_str!("fixtures/console_cases.json")).unwrap();
    assert!(cases.len() >= 80);
    let mut failures = Vec::new();
    for case in &cases {
        // A fresh runtime per case, so no case can influence another.
        let (rt, capture) = runtime();
        if let Err(e) = rt.eval::<()>(&format!("console.log({})", case.args)) {
            failures.push(format!("{}: threw {e}", case.name));
            continue;
        }
        let printed = capture.text(Stream::Stdout);
        let printed = printed.strip_suffix('\n').unwrap_or(&printed);
        if printed != case.expected {
            failures.push(format!(
                "{}:\n  node:  {:?}\n  jsbox: {:?}",
                case.name, case.expected, printed
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn streams_are_split_like_node() {
    let (rt, capture) = runtime();
    rt.eval::<()>(
        "console.log('l'); console.info('i'); console.debug('d');
         console.warn('w'); console.error('e'); console.trace('t');",
    )
    .unwrap();
    let messages = capture.messages();
    let streams: Vec<_> = messages
        .iter()
        .map(|(s, m)| (*s, m.lines().next().unwrap().to_string()))
        .collect();
    assert_eq!(
        streams,
        vec![
            (Stream::Stdout, "l".to_string()),
            (Stream::Stdout, "i".to_string()),
            (Stream::Stdout, "d".to_string()),
            (Stream::Stderr, "w".to_string()),
            (Stream::Stderr, "e".to_string()),
            (Stream::Stderr, "Trace: t".to_string()),
        ]
    );
    assert!(
        messages[5].1.contains("at <eval> (<eval>:2:"),
        "{}",
        messages[5].1
    );
}

#[test]
fn assert_count_time_and_group() {
    let (rt, capture) = runtime();
    rt.eval::<()>(
        "console.assert(true, 'never');
         console.assert(false, 'bad %s', 'thing');
         console.assert(false);
         console.count(); console.count(); console.count('x'); console.countReset(); console.count();
         console.time('t'); console.timeEnd('t'); console.timeEnd('missing');
         console.group('outer'); console.log('inner'); console.groupEnd(); console.log('after');",
    )
    .unwrap();
    assert_eq!(
        capture.text(Stream::Stderr).lines().collect::<Vec<_>>()[..2],
        ["Assertion failed: bad thing", "Assertion failed"]
    );
    assert!(capture
        .text(Stream::Stderr)
        .contains("No such label 'missing'"));
    let out = capture.text(Stream::Stdout);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(
        lines[..4],
        ["default: 1", "default: 2", "x: 1", "default: 1"]
    );
    assert!(
        lines[4].starts_with("t: ") && lines[4].ends_with("ms"),
        "{}",
        lines[4]
    );
    assert_eq!(lines[5..], ["outer", "  inner", "after"]);
}

/// Labels are plain keys, whatever their name, and no method a script
/// replaced is called to keep them (as Node prints).
#[test]
fn count_and_time_labels_are_plain_keys() {
    let (rt, capture) = runtime();
    rt.eval::<()>(
        "Map.prototype.get = Map.prototype.set = Map.prototype.has = () => { throw new Error('hooked'); };
         Object.defineProperty(Object.prototype, 'toString', { get() { throw new Error('hooked'); } });
         console.count('__proto__'); console.count('__proto__'); console.count('constructor');
         console.countReset('__proto__'); console.count('__proto__'); console.countReset('hasOwnProperty');
         console.time('__proto__'); console.time('__proto__'); console.timeEnd('__proto__');
         console.timeEnd('__proto__'); console.timeLog('valueOf');",
    )
    .unwrap();
    let out = capture.text(Stream::Stdout);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "__proto__: 1",
            "__proto__: 2",
            "constructor: 1",
            "__proto__: 1"
        ]
    );
    assert!(lines[4].starts_with("__proto__: ") && lines[4].ends_with("ms"));
    assert_eq!(
        capture.text(Stream::Stderr).lines().collect::<Vec<_>>(),
        [
            "Count for 'hasOwnProperty' does not exist",
            "Warning: Label '__proto__' already exists for console.time()",
            "Warning: No such label '__proto__' for console.timeEnd()",
            "Warning: No such label 'valueOf' for console.timeLog()",
        ]
    );
}

#[test]
fn errors_print_with_their_stack() {
    let (rt, capture) = runtime();
    rt.eval::<()>("function f() { return new TypeError('bad') }\nconsole.log(f())")
        .unwrap();
    let out = capture.text(Stream::Stdout);
    assert!(
        out.starts_with("TypeError: bad\n    at f (<eval>:1:"),
        "{out}"
    );
}

#[test]
fn util_inspect_is_the_console_implementation() {
    let (rt, _) = runtime();
    let same: bool = rt
        .eval("const o = { a: [1, { b: new Map([[1, 2]]) }] }; require('util').inspect(o) === require('util').format('%O', o)")
        .unwrap();
    assert!(same);
}
