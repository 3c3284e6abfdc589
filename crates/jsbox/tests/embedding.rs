//! The embedding API around calls and errors: `Runtime::call_export`,
//! `Runtime::with` with `?` on rquickjs results, and what a `JsException`
//! tells about the value a script threw.

use jsbox::calllog::{self, Filter};
use jsbox::rquickjs::{Function, Object};
use jsbox::{open, Error, Factory, MemoryLoader, Options};

fn loader() -> MemoryLoader {
    MemoryLoader::new()
        .with(
            "math.js",
            "exports.add = (a, b) => a + b;\n\
             exports.api = { v1: { scale(x) { return x * this.factor }, factor: 3 } };\n\
             exports.self = function () { return this === exports };\n\
             exports.fail = () => { throw new RangeError('too big') };\n\
             exports.value = 5;",
        )
        .with("first.js", "null.x")
        .with("second.js", "\nnull.x")
}

#[test]
fn call_export_calls_a_module_function_without_globals() {
    let rt = open(Options::new().loader(loader())).unwrap();
    assert_eq!(
        rt.call_export::<_, i64>("./math.js", "add", (40, 2))
            .unwrap(),
        42
    );
    // A dotted path, `this` being the object the function was read from.
    assert_eq!(
        rt.call_export::<_, i64>("./math.js", "api.v1.scale", (5,))
            .unwrap(),
        15
    );
    assert!(rt.call_export::<_, bool>("./math.js", "self", ()).unwrap());
    // No global was made along the way.
    assert_eq!(
        rt.eval::<String>("typeof add + typeof math").unwrap(),
        "undefinedundefined"
    );

    let error = rt
        .call_export::<_, i64>("./math.js", "fail", ())
        .unwrap_err();
    let exception = error.exception().unwrap();
    assert_eq!(
        (exception.name.as_str(), exception.message.as_str()),
        ("RangeError", "too big")
    );
    let error = rt
        .call_export::<_, ()>("./math.js", "value", ())
        .unwrap_err();
    assert_eq!(error.to_string(), "TypeError: value is not a function");
    let error = rt
        .call_export::<_, ()>("./math.js", "missing.deeper", ())
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("missing.deeper is not a function"),
        "{error}"
    );
    let error = rt
        .call_export::<_, ()>("./nowhere.js", "add", ())
        .unwrap_err();
    assert!(
        matches!(error, Error::ModuleNotFound { ref specifier, .. } if specifier == "./nowhere.js")
    );
}

#[test]
fn call_export_is_logged_with_its_module() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calls.db");
    let factory = Factory::new(Options::new().loader(loader()).call_log(&db)).unwrap();
    let rt = factory.new_runtime().unwrap();
    assert_eq!(
        rt.call_export::<_, i64>("./math.js", "add", (1, 2))
            .unwrap(),
        3
    );
    drop(rt);
    factory.flush_call_log();
    let rows = calllog::read(&db, &Filter::default()).unwrap();
    let row = rows
        .iter()
        .find(|row| row.function == "add")
        .expect("the call is logged");
    assert_eq!(row.direction, "native->js");
    assert_eq!(row.module.as_deref(), Some("./math.js"));
    assert_eq!(row.args_json.as_deref(), Some("[1,2]"));
}

#[test]
fn question_mark_works_inside_with_and_exceptions_keep_their_details() {
    let rt = open(Options::new()).unwrap();
    let biggest = rt
        .with(|ctx| {
            let math: Object = ctx.globals().get("Math")?;
            let max: Function = math.get("max")?;
            Ok(max.call::<_, i64>((3, 9, 4))?)
        })
        .unwrap();
    assert_eq!(biggest, 9);

    let error = rt
        .with(|ctx| {
            let f: Function =
                ctx.eval("(function thrower() { throw new SyntaxError('made up') })")?;
            f.call::<_, ()>(())?;
            Ok(())
        })
        .unwrap_err();
    let exception = error.exception().expect("the thrown error");
    assert_eq!(exception.name, "SyntaxError");
    assert_eq!(exception.message, "made up");
    assert!(exception.stack.contains("thrower"), "{}", exception.stack);
    assert!(exception.is_error);

    // A value of the wrong type is a conversion error, not an exception.
    let error = rt
        .with(|ctx| {
            ctx.eval::<Object, _>("42")?;
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(error, Error::Conversion(_)), "{error:?}");
    // The runtime is fine afterwards.
    assert_eq!(rt.eval::<i64>("1 + 1").unwrap(), 2);
}

#[test]
fn thrown_values_that_are_not_errors_are_shown_as_inspect_shows_them() {
    let rt = open(Options::new()).unwrap();
    let cases = [
        ("throw 's'", "'s'"),
        ("throw { a: 1 }", "{ a: 1 }"),
        ("throw 42", "42"),
        ("throw null", "null"),
        (
            "throw Object.assign(Object.create(Error.prototype), { message: 'fake' })",
            "[Error: fake]",
        ), // as Node's util.inspect shows it
    ];
    for (source, shown) in cases {
        let error = rt.eval::<()>(source).unwrap_err();
        let exception = error.exception().unwrap();
        assert!(!exception.is_error, "{source}");
        assert_eq!(exception.name, "", "{source}");
        assert_eq!(exception.message, shown, "{source}");
        assert_eq!(error.to_string(), format!("Uncaught {shown}"));
    }
    rt.eval::<()>("Promise.reject(42)").unwrap();
    let error = rt.run_until_idle().unwrap_err();
    assert_eq!(error.to_string(), "unhandled promise rejection: 42");
    rt.eval::<()>("Promise.reject(new TypeError('t'))").unwrap();
    let error = rt.run_until_idle().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("unhandled promise rejection: TypeError: t"),
        "{error}"
    );
}

#[test]
fn an_exception_knows_where_it_was_thrown_and_module_columns_are_the_files_own() {
    let rt = open(Options::new().loader(loader())).unwrap();
    let first = rt.require::<()>("./first.js").unwrap_err();
    let second = rt.require::<()>("./second.js").unwrap_err();
    let (file, line, column) = first.exception().unwrap().location().unwrap();
    assert!(file.ends_with("first.js"), "{file}");
    assert_eq!(line, 1);
    let (_, line2, column2) = second.exception().unwrap().location().unwrap();
    assert_eq!(line2, 2);
    // The same statement is at the same column on line 1 as on line 2: the
    // module wrapper adds nothing in front of the first line.
    assert_eq!(column, column2);
    assert!(column <= 5, "column {column}");

    let syntax = rt.eval::<()>("let x = ;").unwrap_err();
    assert_eq!(
        syntax.exception().unwrap().location(),
        Some(("<eval>", 1, 9))
    );
}
