//! ES modules beside CommonJS: QuickJS's module hooks wired to jsbox's
//! resolver, source loader, policy and bytecode cache (`hooks`); the modules
//! that let `import` reach built-in modules, CommonJS files and JSON
//! (`hooks`, with `cjs_exports` reading a CommonJS file's names); and the
//! entry points: importing from Rust, an ES module as the main module, module
//! source evaluated directly, and `require()` of an ES module.

mod book;
mod cjs_exports;
mod hooks;

use std::path::Path;

use rquickjs::promise::PromiseState;
use rquickjs::{Ctx, Function, Object, Promise, Value};

use crate::compile::compile_module;
use crate::factory::Shared;
use crate::host::{internals, throw_coded};
use crate::resolve::{format_of, Format};
use crate::runtime::RuntimeState;

pub(crate) use book::ModuleBook;
pub(crate) use hooks::{install, install_compile_only};

/// The module name QuickJS gives code that is not a module file (`<eval>`,
/// REPL input): imports from it resolve against the base directory.
fn base_parent(shared: &Shared) -> std::path::PathBuf {
    shared.base_dir.join("[eval]")
}

/// Evaluates `source` as an ES module named `name` (a path in the base
/// directory): the promise of its evaluation.
pub(crate) fn evaluate_source<'js>(
    ctx: &Ctx<'js>,
    source: &str,
    name: &str,
) -> rquickjs::Result<Promise<'js>> {
    refuse_inside_hook(ctx)?;
    let module = hooks::in_frame(ctx, || compile_module(ctx, source, name))?;
    hooks::set_meta(ctx, module.def(), name)?;
    module
        .evaluate(ctx)?
        .into_promise()
        .ok_or_else(|| rquickjs::Error::new_from_js("value", "promise"))
}

/// Runs a module compiled by `Factory::compile_module`: its imports load
/// now, then it evaluates. The promise of its evaluation, and its record (for
/// the namespace once it has evaluated).
pub(crate) fn evaluate_program<'js>(
    ctx: &Ctx<'js>,
    bytecode: &[u8],
    name: &str,
) -> rquickjs::Result<(Promise<'js>, usize)> {
    refuse_inside_hook(ctx)?;
    let module = hooks::in_frame(ctx, || {
        crate::compile::read_module(ctx, bytecode)?.resolve(ctx)
    })?;
    let def = module.def();
    hooks::set_meta(ctx, def, name)?;
    let promise = module
        .evaluate(ctx)?
        .into_promise()
        .ok_or_else(|| rquickjs::Error::new_from_js("value", "promise"))?;
    Ok((promise, def as usize))
}

/// The namespace of a module record that evaluated.
pub(crate) fn namespace<'js>(ctx: &Ctx<'js>, def: usize) -> rquickjs::Result<Value<'js>> {
    // SAFETY: `def` is a record that resolved and evaluated in this context:
    // the context keeps it until the context is freed.
    let raw = unsafe { rquickjs::qjs::JS_GetModuleNamespace(ctx.as_raw().as_ptr(), def as *mut _) };
    // SAFETY: an owned value just returned by the engine.
    let value = unsafe { Value::from_raw(ctx.clone(), raw) };
    if value.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    Ok(value)
}

/// Whether `path` is loaded as an ES module (`.mjs`, or `.js` in a
/// `"type": "module"` package).
pub(crate) fn is_module_file(shared: &Shared, path: &Path) -> bool {
    matches!(format_of(shared.loader.as_ref(), path), Ok(Format::Module))
}

/// Refuses to start a module graph while a module hook runs: script code can
/// run there (a patched built-in), and a graph started then would link
/// records still being resolved.
fn refuse_inside_hook(ctx: &Ctx<'_>) -> rquickjs::Result<()> {
    if RuntimeState::of(ctx).modules().in_hook() {
        return Err(throw_coded(
            ctx,
            "an ES module cannot be loaded while another one is being loaded",
            "ERR_REQUIRE_CYCLE_MODULE",
            None,
            &[],
        ));
    }
    Ok(())
}

fn cycle_error(ctx: &Ctx<'_>, path: &str) -> rquickjs::Error {
    throw_coded(
        ctx,
        &format!(
            "Cannot require() ES Module {path}: it, or a module it imports, was loaded \
             before in this runtime and may still be evaluating. Use import() instead."
        ),
        "ERR_REQUIRE_CYCLE_MODULE",
        None,
        &[],
    )
}

/// `path` as a `file:` URL, so that the resolver takes it as a path (no
/// `%XX`, `?` or `#` read as URL syntax).
pub(crate) fn file_url(path: &str) -> String {
    let mut url = String::from("file://");
    for byte in path.bytes() {
        match byte {
            b'%' | b'?' | b'#' | b'\\' | b'"' | b'\n' | b'\r' | b'\t' | b' ' => {
                url.push_str(&format!("%{byte:02X}"));
            }
            _ => url.push(byte as char),
        }
    }
    url
}

/// `require()` of an ES module: its namespace, when its graph evaluates
/// without waiting (no top-level await), as in Node 22.
///
/// Only a graph new to this runtime is loaded this way (see `book`): a target
/// loaded before, or a graph reaching a module loaded before (which may be
/// evaluating right now: linking it would trip an engine assertion), is
/// refused with `ERR_REQUIRE_CYCLE_MODULE` before anything links or runs.
/// The module system caches what it returns, so requiring it again is fine.
fn require_module<'js>(ctx: &Ctx<'js>, path: &str) -> rquickjs::Result<Value<'js>> {
    refuse_inside_hook(ctx)?;
    let state = RuntimeState::of(ctx);
    let mark = {
        let book = state.modules();
        if book.is_loaded(path) {
            drop(book);
            return Err(cycle_error(ctx, path));
        }
        book.mark()
    };
    // A module of our own imports the target and hands over its namespace:
    // without top-level await, a graph evaluates before `evaluate` returns.
    let name = format!("{path}#require");
    let source = format!(
        "import * as namespace from {}; import.meta.namespace = namespace;",
        serde_json::Value::String(file_url(path))
    );
    state.modules().start_recording();
    let compiled = hooks::in_frame(ctx, || compile_module(ctx, &source, &name));
    let referenced = state.modules().stop_recording();
    let module = compiled?;
    let reaches_old = {
        let book = state.modules();
        referenced.iter().any(|name| book.loaded_before(name, mark))
    };
    if reaches_old {
        // Nothing linked or ran: the new records stay unlinked, which is safe.
        module.release(ctx);
        return Err(cycle_error(ctx, path));
    }
    let def = module.def();
    let evaluation = module
        .evaluate(ctx)?
        .into_promise()
        .ok_or_else(|| rquickjs::Error::new_from_js("value", "promise"))?;
    match evaluation.state() {
        PromiseState::Rejected => {
            // Thrown here, so not an unhandled rejection as well.
            let internals = internals(ctx)?;
            let track: Function = internals.get("trackRejection")?;
            let reason: Value = match evaluation.result::<Value>() {
                Some(Err(rquickjs::Error::Exception)) => ctx.catch(),
                _ => Value::new_undefined(ctx.clone()),
            };
            // Script frames are below: the call keeps the stack limit in place.
            let undefined = Value::new_undefined(ctx.clone());
            let handled = Value::new_bool(ctx.clone(), true);
            crate::jsvalues::call_in_place(
                ctx,
                &track,
                internals.as_value(),
                &[evaluation.into_value(), undefined, handled],
            )?;
            Err(ctx.throw(reason))
        }
        _ => {
            let meta = hooks::import_meta(ctx, def)?;
            let namespace: Value = meta.get("namespace")?;
            if namespace.is_undefined() {
                return Err(throw_coded(
                    ctx,
                    "require() cannot be used on an ESM graph with top-level await. Use import() \
                     instead.",
                    "ERR_REQUIRE_ASYNC_MODULE",
                    None,
                    &[],
                ));
            }
            Ok(namespace)
        }
    }
}

/// The host functions the module system's JavaScript uses for ES modules.
pub(crate) fn bindings<'js>(
    ctx: &Ctx<'js>,
    shared: &std::sync::Arc<Shared>,
    host: &Object<'js>,
) -> rquickjs::Result<()> {
    let s = shared.clone();
    host.set(
        "format",
        Function::new(ctx.clone(), move |path: String| {
            match format_of(s.loader.as_ref(), Path::new(&path)) {
                Ok(Format::Module) => "module",
                Ok(Format::Json) => "json",
                _ => "commonjs",
            }
        })?,
    )?;
    host.set(
        "requireModule",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, path: String| {
            require_module(&ctx, &path)
        })?,
    )?;
    let s = shared.clone();
    host.set(
        "resolveImport",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, specifier: String, parent: String| {
                hooks::resolve_name(&ctx, &s, &specifier, &parent)
            },
        )?,
    )?;
    let s = shared.clone();
    host.set(
        "builtinNames",
        Function::new(ctx.clone(), move || {
            let mut names: Vec<String> = s
                .registry
                .list()
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            names.sort();
            names
        })?,
    )?;
    Ok(())
}
