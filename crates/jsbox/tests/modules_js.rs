//! path, events and util, checked against Node: `fixtures/modules/*_cases.json`
//! hold Node 20's results for each expression (regenerate with
//! `node fixtures/modules/gen_<name>.js`).

use jsbox::{open, NullSink, Options};
use serde_json::Value;

#[derive(serde::Deserialize)]
struct Case {
    expr: String,
    expected: Value,
    #[serde(default)]
    r#async: bool,
}

/// Evaluates each case in a fresh runtime, the way the fixture generator ran it
/// in Node, and returns the differences.
fn check(module: &str, cases_json: &str) -> (usize, Vec<String>) {
    let cases: Vec<Case> = serde_json::from_str(cases_json).unwrap();
    let mut failures = Vec::new();
    for case in &cases {
        let rt = open(Options::new().console(NullSink)).unwrap();
        let harness = format!(
            "globalThis.__outcome = undefined;
             (async () => {{
               try {{
                 let value = new Function({module:?}, 'return (' + {expr} + '\\n);')(require({module:?}));
                 if ({is_async}) value = await value;
                 globalThis.__outcome = {{ value: value === undefined ? null : value }};
               }} catch (err) {{
                 globalThis.__outcome = {{ throws: {{ name: err && err.name, code: err && err.code !== undefined ? err.code : null, message: err && err.message }} }};
               }}
             }})();",
            expr = serde_json::to_string(&case.expr).unwrap(),
            is_async = case.r#async,
        );
        let outcome = rt
            .eval::<()>(&harness)
            .and_then(|()| rt.run_until_idle())
            .and_then(|()| rt.eval::<Value>("__outcome"));
        let actual = match outcome {
            Ok(Value::Object(map)) if map.contains_key("throws") => {
                serde_json::json!({ "throws": map["throws"] })
            }
            Ok(Value::Object(map)) => map.get("value").cloned().unwrap_or(Value::Null),
            Ok(other) => other,
            Err(e) => Value::String(format!("jsbox error: {e}")),
        };
        if actual != case.expected {
            failures.push(format!(
                "{}\n  node:  {}\n  jsbox: {}",
                case.expr, case.expected, actual
            ));
        }
    }
    (cases.len(), failures)
}

fn assert_module(module: &str, cases_json: &str) {
    let (total, failures) = check(module, cases_json);
    assert!(
        failures.is_empty(),
        "{} of {total} {module} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn path_matches_node() {
    assert_module("path", include_str!("fixtures/modules/path_cases.json"));
}

#[test]
fn events_match_node() {
    assert_module("events", include_str!("fixtures/modules/events_cases.json"));
}

#[test]
fn util_matches_node() {
    assert_module("util", include_str!("fixtures/modules/util_cases.json"));
}
