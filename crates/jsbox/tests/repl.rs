//! What a REPL needs from a runtime: unfinished inputs, top-level await, `_`
//! and `_error`.

use jsbox::{open, Error, Options};

fn runtime() -> jsbox::Runtime {
    open(Options::new()).unwrap()
}

#[test]
fn open_objects_classes_arrays_and_templates_ask_for_more_lines() {
    let rt = runtime();
    for unfinished in [
        "const o = {\n",
        "class A {\n",
        "const a = [1,\n",
        "const t = `line one\n",
        "function f() {\n",
        "f(1,\n",
        "const o = {\n  a: 1,\n",
        "if (true) {\n",
        "let s = 'abc\\\n",
        "({\n",
    ] {
        assert!(
            rt.is_incomplete(unfinished),
            "{unfinished:?} should continue"
        );
    }
    for finished in [
        "const o = { a: 1 }\n",
        "let x = ;\n",
        "1 +* 2\n",
        "class A { }\n",
        "}\n",
        "const a = [1, 2]\n",
        "const t = `x`\n",
        "",
        "let 1x = 2\n",
    ] {
        assert!(
            !rt.is_incomplete(finished),
            "{finished:?} is finished (or wrong)"
        );
    }
}

#[test]
fn top_level_await_runs_the_event_loop_and_keeps_declarations_global() {
    let rt = runtime();
    let shown = rt
        .eval_repl("const v = await new Promise(r => setTimeout(() => r({ n: 7 }), 10))")
        .unwrap();
    assert_eq!(shown, "undefined");
    assert_eq!(rt.eval_repl("v.n").unwrap(), "7");
    assert_eq!(rt.eval_repl("await Promise.resolve('x')").unwrap(), "'x'");
    assert_eq!(rt.eval_repl("var w = await 2; w").unwrap(), "2");
    assert_eq!(rt.eval::<i64>("w + v.n").unwrap(), 9);
    // `await` as an identifier still works in a plain script.
    assert_eq!(rt.eval_repl("var await = 3; await").unwrap(), "3");

    let error = rt
        .eval_repl(
            "await new Promise((_, reject) => setTimeout(() => reject(new RangeError('late')), 5))",
        )
        .unwrap_err();
    let Error::Exception(exception) = &error else {
        panic!("the input's own error, not an unhandled rejection: {error:?}")
    };
    assert_eq!(
        (exception.name.as_str(), exception.message.as_str()),
        ("RangeError", "late")
    );
    // The rejection was this input's error, not an unhandled one later.
    rt.run_until_idle().unwrap();
    assert_eq!(rt.eval_repl("_error.message").unwrap(), "'late'");

    let error = rt.eval_repl("await new Promise(() => {})").unwrap_err();
    assert!(error.to_string().contains("never settled"), "{error}");
}

#[test]
fn underscore_holds_the_last_value_and_error_until_the_script_takes_it() {
    let rt = runtime();
    assert_eq!(rt.eval_repl("40 + 2").unwrap(), "42");
    assert_eq!(rt.eval_repl("_ + 1").unwrap(), "43");
    assert_eq!(rt.eval_repl("_").unwrap(), "43");
    let error = rt.eval_repl("throw { code: 5 }").unwrap_err();
    match &error {
        Error::Exception(e) => {
            assert!(!e.is_error);
            assert_eq!(e.message, "{ code: 5 }");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(error.to_string(), "Uncaught { code: 5 }");
    assert_eq!(rt.eval_repl("_error.code").unwrap(), "5");
    // Assigning `_` takes it over.
    assert_eq!(rt.eval_repl("_ = 'mine'").unwrap(), "'mine'");
    assert_eq!(rt.eval_repl("1 + 1").unwrap(), "2");
    assert_eq!(rt.eval_repl("_").unwrap(), "'mine'");
    // Plain eval does not touch `_`.
    assert_eq!(rt.eval::<String>("typeof _error").unwrap(), "object");
}
