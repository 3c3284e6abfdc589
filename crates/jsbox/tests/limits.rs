//! Memory, stack and time limits end runaway scripts with clear errors; the host
//! lives on.

use std::time::{Duration, Instant};

use jsbox::{open, Error, Factory, Limits, Options, TimeLimit};

const DEADLINE: Duration = Duration::from_millis(150);

fn timed() -> Factory {
    Factory::new(Options::new().timeout(DEADLINE)).unwrap()
}

/// Runs `source`, expecting the per-call deadline to end it, well within 4×
/// the limit (the slack is for a busy machine, not for the engine).
fn assert_times_out(source: &str) {
    let rt = timed().new_runtime().unwrap();
    let started = Instant::now();
    let err = rt.eval::<()>(source).unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(err, Error::Timeout(TimeLimit::Call(d)) if d == DEADLINE),
        "{source}: {err:?}"
    );
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(took < DEADLINE * 4, "{source}: took {took:?}");
    // After a per-call timeout the runtime is still usable.
    assert_eq!(rt.eval::<i64>("40 + 2").unwrap(), 42);
}

#[test]
fn an_endless_loop_times_out() {
    assert_times_out("while (true) {}");
}

#[test]
fn a_timeout_cannot_be_caught_by_the_script() {
    assert_times_out("for (;;) { try { while (true) {} } catch (e) {} finally { } }");
}

#[test]
fn an_endless_await_chain_times_out() {
    assert_times_out("(async () => { for (;;) await null; })()");
}

#[test]
fn a_catastrophic_regex_times_out() {
    assert_times_out("/^(a+)+$/.test('a'.repeat(40) + 'b')");
}

#[test]
fn a_long_sort_with_a_js_comparator_times_out() {
    assert_times_out(
        "Array.from({ length: 5e6 }, (_, i) => (i * 7919) % 1000003).sort((a, b) => a - b)",
    );
}

#[test]
fn long_built_ins_are_bounded_by_the_memory_limit() {
    // A single huge built-in call (Array.prototype.join) does not consult the
    // interrupt handler; the heap limit is what stops it.
    let rt = Factory::new(Options::new().timeout(DEADLINE).memory_limit(32 << 20))
        .unwrap()
        .new_runtime()
        .unwrap();
    let started = Instant::now();
    let err = rt
        .eval::<()>("new Array(3e7).fill('ab').join(',')")
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        err.to_string().contains("out of memory") || matches!(err, Error::Timeout(_)),
        "{err}"
    );
}

#[test]
fn the_event_loop_honours_the_deadline() {
    let rt = timed().new_runtime().unwrap();
    rt.eval::<()>("let n = 0; setInterval(() => n++, 1)")
        .unwrap();
    let started = Instant::now();
    assert!(matches!(
        rt.run_until_idle(),
        Err(Error::Timeout(TimeLimit::Call(_)))
    ));
    assert!(started.elapsed() < DEADLINE * 4);
    assert!(rt.eval::<i64>("n").unwrap() > 0);
    // A long wait for a timer is cut at the deadline too.
    let rt = timed().new_runtime().unwrap();
    rt.eval::<()>("setTimeout(() => {}, 60000)").unwrap();
    let started = Instant::now();
    assert!(matches!(rt.run_until_idle(), Err(Error::Timeout(_))));
    assert!(started.elapsed() < DEADLINE * 4);
}

#[test]
fn the_total_budget_is_spent_across_calls_and_then_every_call_fails() {
    let factory = Factory::new(Options::new().time_budget(Duration::from_millis(260))).unwrap();
    let rt = factory.new_runtime().unwrap();
    let burn = "{ const end = Date.now() + 100; while (Date.now() < end) {} }";
    rt.eval::<()>(burn).unwrap();
    rt.eval::<()>(burn).unwrap();
    let err = rt.eval::<()>(burn).unwrap_err();
    assert!(
        matches!(err, Error::Timeout(TimeLimit::Total(_))),
        "{err:?}"
    );
    assert!(matches!(
        rt.eval::<i64>("1"),
        Err(Error::Timeout(TimeLimit::Total(_)))
    ));
    // A fresh runtime has its own budget.
    assert_eq!(factory.new_runtime().unwrap().eval::<i64>("1").unwrap(), 1);
}

/// However the heap fills up (small objects, strings, arrays of any size),
/// the engine can still make the error it throws: a script catches an
/// `InternalError: out of memory`, never `null`, and the host sees the same.
#[test]
fn the_out_of_memory_error_is_an_error_wherever_the_limit_is_hit() {
    let factory = Factory::new(Options::new().memory_limit(4 << 20)).unwrap();
    let fills = [
        "k.push({ i })",
        "k.push([i, i])",
        "k.push('s' + i)",
        "k.push(new Array(7).fill(i))",
        "k.push(new Array(1000).fill(i))",
        "k.push('x'.repeat(3000) + i)",
    ];
    for fill in fills {
        let rt = factory.new_runtime().unwrap();
        let caught: String = rt
            .eval(&format!(
                "const k = []; let seen;\n\
                 try {{ for (let i = 0; ; i++) {fill}; }} catch (e) {{ seen = e; }}\n\
                 k.length = 0;\n\
                 seen === null ? 'null' : seen.name + ': ' + seen.message"
            ))
            .unwrap();
        assert_eq!(caught, "InternalError: out of memory", "{fill}");
        let rt = factory.new_runtime().unwrap();
        let uncaught = rt
            .eval::<()>(&format!("const k = []; for (let i = 0; ; i++) {fill};"))
            .unwrap_err();
        match &uncaught {
            Error::Exception(e) => assert_eq!(
                (e.name.as_str(), e.message.as_str()),
                ("InternalError", "out of memory"),
                "{fill}"
            ),
            other => panic!("{fill}: {other}"),
        }
    }
}

#[test]
fn exceeding_the_memory_limit_throws_and_the_runtime_can_be_dropped() {
    let rt = open(Options::new().memory_limit(16 << 20)).unwrap();
    let err = rt
        .eval::<()>("const keep = []; for (;;) keep.push(new Array(10000).fill(1.5))")
        .unwrap_err();
    assert!(err.to_string().contains("out of memory"), "{err}");
    // The script itself can also catch it.
    let caught: bool = rt
        .eval("try { const k = []; for (;;) k.push('x'.repeat(1 << 20) + Math.random()) } catch (e) { true }")
        .unwrap();
    assert!(caught);
    drop(rt);
    // The process goes on.
    assert_eq!(open(Options::new()).unwrap().eval::<i64>("1").unwrap(), 1);
}

#[test]
fn deep_recursion_throws_range_error_under_a_stack_limit() {
    let rt = open(Options::new().stack_limit(128 << 10)).unwrap();
    let name: String = rt
        .eval("try { (function f(n) { return f(n + 1) + 1; })(0) } catch (e) { e.name }")
        .unwrap();
    assert_eq!(name, "RangeError");
    let depth_small: i64 = rt
        .eval("let d = 0; try { (function f() { d++; f(); })() } catch (e) {} d")
        .unwrap();
    let rt = open(Options::new().stack_limit(512 << 10)).unwrap();
    let depth_large: i64 = rt
        .eval("let d = 0; try { (function f() { d++; f(); })() } catch (e) {} d")
        .unwrap();
    assert!(
        depth_large > depth_small * 2,
        "{depth_small} vs {depth_large}"
    );
}

#[test]
fn limits_can_be_overridden_per_runtime() {
    let factory = Factory::new(Options::new().timeout(Duration::from_secs(60))).unwrap();
    let strict = factory
        .new_runtime_with(Limits::none().call_timeout(Duration::from_millis(50)))
        .unwrap();
    assert!(matches!(
        strict.eval::<()>("while (true) {}"),
        Err(Error::Timeout(_))
    ));
    let lenient = factory.new_runtime_with(Limits::none()).unwrap();
    assert_eq!(
        lenient
            .eval::<i64>("let s = 0; for (let i = 0; i < 1e6; i++) s += 1; s")
            .unwrap(),
        1_000_000
    );
}
