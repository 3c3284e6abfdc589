//! The native side of the per-runtime prelude: the functions `js/bootstrap.js`
//! calls to resolve, read and compile modules, load native modules and print.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rquickjs::object::Property;
use rquickjs::{Ctx, Exception, Function, Object, Value};

use crate::compile::{compile_to_bytecode, eval_bytecode, eval_script, with_scratch_context};
use crate::factory::Shared;
use crate::resolve::{resolve, ResolveError, Resolved};
use crate::runtime::js_error;

/// The global property under which the prelude's internals live. Non-enumerable,
/// non-writable and non-configurable, so scripts cannot replace it.
pub(crate) const INTERNALS: &str = "__jsbox";

const INSPECT_JS: &str = include_str!("../js/inspect.js");
const BOOTSTRAP_JS: &str = include_str!("../js/bootstrap.js");

/// Throws a JS `Error` carrying Node-style `code` (and `path` when given).
pub(crate) fn throw_coded(
    ctx: &Ctx<'_>,
    message: &str,
    code: &str,
    path: Option<&str>,
) -> rquickjs::Error {
    let exception = match Exception::from_message(ctx.clone(), message) {
        Ok(exception) => exception,
        Err(e) => return e,
    };
    let object = exception.as_object();
    if let Err(e) = object.set("code", code) {
        return e;
    }
    if let Some(path) = path {
        if let Err(e) = object.set("path", path) {
            return e;
        }
    }
    exception.throw()
}

fn monotonic_ms() -> f64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// Runs a module wrapper, through the factory's bytecode cache when it is on.
fn compile_module<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Value<'js>> {
    let cache = &shared.code_cache;
    if !cache.enabled() {
        return eval_script(ctx, source, filename);
    }
    let bytecode = match cache.get(filename, source) {
        Some(bytecode) => bytecode,
        None => cache.insert(
            filename,
            source,
            compile_to_bytecode(ctx, source, filename)?,
        ),
    };
    eval_bytecode(ctx, &bytecode)
}

fn host_object<'js>(ctx: &Ctx<'js>, shared: &Arc<Shared>) -> rquickjs::Result<Object<'js>> {
    let host = Object::new(ctx.clone())?;
    host.set("baseDir", shared.base_dir_str.as_str())?;

    let s = shared.clone();
    host.set(
        "resolve",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, request: String, parent: String| {
                let is_native = |name: &str| s.registry.contains(name);
                let found = resolve(s.loader.as_ref(), &is_native, &request, Path::new(&parent));
                match found {
                    Ok(Resolved::Native(name)) => Ok(vec!["native".to_string(), name]),
                    Ok(Resolved::File(path)) => Ok(vec![
                        "file".to_string(),
                        path.to_string_lossy().into_owned(),
                    ]),
                    Err(ResolveError::NotFound) => Ok(vec!["notfound".to_string()]),
                    Err(ResolveError::UnknownBuiltin) => Ok(vec!["unknown_builtin".to_string()]),
                    Err(ResolveError::NotExported { message }) => Err(throw_coded(
                        &ctx,
                        &message,
                        "ERR_PACKAGE_PATH_NOT_EXPORTED",
                        None,
                    )),
                    Err(ResolveError::InvalidPackage { path, message }) => {
                        let path = path.to_string_lossy();
                        Err(throw_coded(
                            &ctx,
                            &format!("Invalid package config {path}: {message}"),
                            "ERR_INVALID_PACKAGE_CONFIG",
                            Some(&path),
                        ))
                    }
                }
            },
        )?,
    )?;

    let s = shared.clone();
    host.set(
        "read",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, path: String| {
            let bytes = s.loader.read(Path::new(&path)).map_err(|e| {
                throw_coded(&ctx, &format!("cannot read {path}: {e}"), "ERR_JSBOX_LOADER", Some(&path))
            })?;
            String::from_utf8(bytes).map_err(|e| {
                let at = e.utf8_error().valid_up_to();
                throw_coded(
                    &ctx,
                    &format!("cannot read {path}: the source is not valid UTF-8 (invalid byte at offset {at})"),
                    "ERR_JSBOX_LOADER",
                    Some(&path),
                )
            })
        })?,
    )?;

    let s = shared.clone();
    host.set(
        "compile",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, source: String, filename: String| {
                compile_module(&ctx, &s, &source, &filename)
            },
        )?,
    )?;

    let s = shared.clone();
    host.set(
        "isNative",
        Function::new(ctx.clone(), move |name: String| s.registry.contains(&name))?,
    )?;

    let s = shared.clone();
    host.set(
        "loadNative",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, name: String, exports: Object<'js>| match s.registry.get(&name) {
                Some(module) => module.load(&ctx, &exports),
                None => Err(throw_coded(
                    &ctx,
                    &format!("No such built-in module: {name}"),
                    "ERR_UNKNOWN_BUILTIN_MODULE",
                    None,
                )),
            },
        )?,
    )?;

    let s = shared.clone();
    host.set(
        "print",
        Function::new(ctx.clone(), move |to_stderr: bool, message: String| {
            let stream = if to_stderr {
                crate::Stream::Stderr
            } else {
                crate::Stream::Stdout
            };
            s.console.write(stream, &message);
        })?,
    )?;

    host.set("now", Function::new(ctx.clone(), monotonic_ms)?)?;
    Ok(host)
}

/// The bundled JS, compiled once per factory.
pub(crate) struct Prelude {
    inspect: Vec<u8>,
    bootstrap: Vec<u8>,
}

impl Prelude {
    /// Compiles the bundled JS in a scratch engine.
    pub(crate) fn compile() -> crate::Result<Prelude> {
        with_scratch_context(|ctx| {
            let compile =
                |source, name| compile_to_bytecode(ctx, source, name).map_err(|e| js_error(ctx, e));
            Ok(Prelude {
                inspect: compile(INSPECT_JS, "jsbox:inspect")?,
                bootstrap: compile(BOOTSTRAP_JS, "jsbox:bootstrap")?,
            })
        })
    }
}

/// Wires a fresh context: runs the prelude and installs `console`, `require` and
/// the internals object.
pub(crate) fn install(ctx: &Ctx<'_>, shared: &Arc<Shared>) -> rquickjs::Result<()> {
    let host = host_object(ctx, shared)?;
    let make_inspect: Function = eval_bytecode(ctx, &shared.prelude.inspect)?.get()?;
    let bootstrap: Function = eval_bytecode(ctx, &shared.prelude.bootstrap)?.get()?;
    let internals: Object = bootstrap.call((host, make_inspect))?;

    let globals = ctx.globals();
    for name in ["console", "require"] {
        let value: Value = internals.get(name)?;
        globals.prop(name, Property::from(value).writable().configurable())?;
    }
    globals.prop(INTERNALS, Property::from(internals))?;
    Ok(())
}
