//! Bad input gets a clear error, never a panic, and the runtime stays usable.

use std::io;
use std::path::{Path, PathBuf};

use jsbox::rquickjs::{Ctx, Function, Object};
use jsbox::{open, EntryKind, Error, MemoryLoader, NativeModule, Options, SourceLoader};

fn rt_with(loader: MemoryLoader) -> jsbox::Runtime {
    open(Options::new().loader(loader)).unwrap()
}

#[test]
fn syntax_error_in_evaluated_code_names_the_position() {
    let rt = rt_with(MemoryLoader::new());
    let err = rt.eval::<()>("let x = 1;\nlet y = ;").unwrap_err();
    let e = err.exception().expect("an exception");
    assert_eq!(e.name, "SyntaxError");
    assert!(err.to_string().contains("<eval>:2:"), "{err}");
    assert_eq!(
        rt.eval::<i64>("40 + 2").unwrap(),
        42,
        "the runtime stays usable"
    );
}

#[test]
fn syntax_error_in_a_required_module_names_file_and_line() {
    let rt = rt_with(MemoryLoader::new().with("lib/bad.js", "const a = 1;\n\nconst b = );\n"));
    let err = rt.eval::<()>("require('./lib/bad')").unwrap_err();
    assert_eq!(err.exception().unwrap().name, "SyntaxError");
    assert!(err.to_string().contains("/lib/bad.js:3:"), "{err}");
    // A module that failed to compile is not cached.
    assert!(!rt.eval::<bool>("'/lib/bad.js' in require.cache").unwrap());
}

#[test]
fn syntax_error_in_the_main_file_names_file_and_line() {
    let rt = rt_with(MemoryLoader::new().with("main.js", "\n\nfunction (\n"));
    let err = rt.run_file("/main.js").unwrap_err();
    assert!(err.to_string().contains("/main.js:3:"), "{err}");
}

#[test]
fn exceptions_carry_name_message_and_stack_with_positions() {
    let rt = rt_with(MemoryLoader::new().with(
        "thrower.js",
        "function inner() {\n  throw new RangeError('too far');\n}\nmodule.exports = () => inner();\n",
    ));
    let err = rt.eval::<()>("require('./thrower')()").unwrap_err();
    let Error::Exception(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.name.as_str(), e.message.as_str()),
        ("RangeError", "too far")
    );
    assert!(e.stack.contains("at inner (/thrower.js:2:"), "{}", e.stack);
    assert!(
        !e.stack.contains("jsbox:"),
        "prelude frames are hidden: {}",
        e.stack
    );
}

#[test]
fn a_thrown_non_error_is_reported() {
    let rt = rt_with(MemoryLoader::new());
    let err = rt.eval::<()>("throw 42").unwrap_err();
    assert_eq!(err.exception().unwrap().message, "42");
}

#[test]
fn missing_module_is_module_not_found() {
    let rt = rt_with(MemoryLoader::new());
    match rt.require::<()>("./missing").unwrap_err() {
        Error::ModuleNotFound {
            specifier,
            exception,
        } => {
            assert_eq!(specifier, "./missing");
            assert_eq!(exception.code.as_deref(), Some("MODULE_NOT_FOUND"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_main_file_is_module_not_found() {
    let rt = rt_with(MemoryLoader::new());
    let err = rt.run_file("/nowhere/main.js").unwrap_err();
    assert!(
        matches!(err, Error::ModuleNotFound { ref specifier, .. } if specifier == "/nowhere/main.js"),
        "{err:?}"
    );
}

#[test]
fn directory_without_index_is_module_not_found() {
    let rt = rt_with(MemoryLoader::new().with("dir/readme.txt", "hi"));
    assert!(matches!(
        rt.require::<()>("./dir").unwrap_err(),
        Error::ModuleNotFound { .. }
    ));
}

#[test]
fn non_utf8_source_is_a_loader_error_naming_the_path() {
    let rt =
        rt_with(MemoryLoader::new().with("latin1.js", b"module.exports = '\xe9t\xe9';".to_vec()));
    match rt.require::<()>("./latin1.js").unwrap_err() {
        Error::Loader { path, message } => {
            assert_eq!(path, PathBuf::from("/latin1.js"));
            assert!(message.contains("not valid UTF-8"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// A loader whose reads fail, as an unreadable file would.
struct Unreadable;

impl SourceLoader for Unreadable {
    fn kind(&self, path: &Path) -> Option<EntryKind> {
        (path == Path::new("/locked.js")).then_some(EntryKind::File)
    }
    fn read(&self, _: &Path) -> io::Result<Vec<u8>> {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "permission denied",
        ))
    }
}

#[test]
fn loader_io_failure_is_a_loader_error() {
    let rt = open(Options::new().loader(Unreadable)).unwrap();
    match rt.require::<()>("./locked.js").unwrap_err() {
        Error::Loader { path, message } => {
            assert_eq!(path, PathBuf::from("/locked.js"));
            assert!(message.contains("permission denied"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Scripts can catch it and see a Node-style code and path.
    let seen: Vec<String> = rt
        .eval("try { require('./locked.js') } catch (e) { [e.code, e.path] }")
        .unwrap();
    assert_eq!(seen, ["ERR_JSBOX_LOADER", "/locked.js"]);
}

#[test]
fn a_module_that_throws_propagates_and_is_not_cached() {
    let rt = rt_with(MemoryLoader::new().with("boom.js", "throw new Error('boom')"));
    for _ in 0..2 {
        let err = rt.require::<()>("./boom").unwrap_err();
        assert_eq!(err.exception().unwrap().message, "boom");
    }
}

#[test]
fn require_with_wrong_argument_types_throws_type_errors() {
    let rt = rt_with(MemoryLoader::new());
    let seen: Vec<Vec<String>> = rt
        .eval(
            "[42, '', undefined, {}].map((id) => {
                try { require(id); return ['no error'] } catch (e) { return [e.name, e.code, e.message] }
             })",
        )
        .unwrap();
    assert_eq!(
        seen[0],
        [
            "TypeError",
            "ERR_INVALID_ARG_TYPE",
            "The \"id\" argument must be of type string. Received type number (42)"
        ]
    );
    assert_eq!(
        seen[1],
        [
            "TypeError",
            "ERR_INVALID_ARG_VALUE",
            "The argument 'id' must be a non-empty string. Received ''"
        ]
    );
    assert_eq!(
        seen[2][2],
        "The \"id\" argument must be of type string. Received undefined"
    );
    assert_eq!(
        seen[3][2],
        "The \"id\" argument must be of type string. Received an instance of Object"
    );
}

struct Typed;

impl NativeModule for Typed {
    fn name(&self) -> &str {
        "typed"
    }
    fn doc(&self) -> &str {
        "add(a, b): integer sum; boom(): panics"
    }
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> jsbox::rquickjs::Result<()> {
        exports.set("add", Function::new(ctx.clone(), |a: i32, b: i32| a + b)?)?;
        exports.set(
            "boom",
            Function::new(ctx.clone(), || -> i32 { panic!("native bug") })?,
        )
    }
}

#[test]
fn wrong_argument_types_into_native_functions_are_type_errors() {
    let rt = open(Options::new().module(Typed)).unwrap();
    assert_eq!(rt.eval::<i64>("require('typed').add(40, 2)").unwrap(), 42);
    let name: String = rt
        .eval("try { require('typed').add('forty', {}) } catch (e) { e.name }")
        .unwrap();
    assert_eq!(name, "TypeError");
    let name: String = rt
        .eval("try { require('typed').add() } catch (e) { e.name }")
        .unwrap();
    assert_eq!(name, "TypeError");
}

#[test]
fn a_panic_in_native_code_becomes_an_error_and_the_runtime_lives_on() {
    let rt = open(Options::new().module(Typed)).unwrap();
    let err = rt.eval::<()>("require('typed').boom()").unwrap_err();
    assert!(
        matches!(&err, Error::Panic(message) if message == "native bug"),
        "{err:?}"
    );
    assert_eq!(rt.eval::<i64>("require('typed').add(1, 2)").unwrap(), 3);
}

#[test]
fn conversion_mismatch_is_a_conversion_error() {
    let rt = rt_with(MemoryLoader::new());
    assert!(matches!(rt.eval::<i64>("'12'"), Err(Error::Conversion(_))));
    assert!(matches!(rt.eval::<i64>("1.5"), Err(Error::Conversion(_))));
    assert!(matches!(rt.eval::<String>("12"), Err(Error::Conversion(_))));
    assert!(matches!(
        rt.eval::<serde_json::Value>("const o = {}; o.o = o; o"),
        Err(Error::Conversion(_))
    ));
    assert_eq!(rt.eval::<Option<i64>>("null").unwrap(), None);
    assert_eq!(rt.eval::<f64>("1.5").unwrap(), 1.5);
    assert!(rt.eval::<bool>("true").unwrap());
    assert_eq!(
        rt.eval::<serde_json::Value>("undefined").unwrap(),
        serde_json::Value::Null
    );
}

#[test]
fn invalid_options_are_rejected() {
    let err = jsbox::Factory::new(Options::new().base_dir("relative/dir")).unwrap_err();
    assert!(matches!(err, Error::InvalidOptions(_)), "{err:?}");
    struct Bad;
    impl NativeModule for Bad {
        fn name(&self) -> &str {
            "./bad"
        }
        fn doc(&self) -> &str {
            ""
        }
        fn load<'js>(&self, _: &Ctx<'js>, _: &Object<'js>) -> jsbox::rquickjs::Result<()> {
            Ok(())
        }
    }
    assert!(matches!(
        open(Options::new().module(Bad)),
        Err(Error::InvalidOptions(_))
    ));
}
