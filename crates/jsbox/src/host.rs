//! The native side of the per-runtime prelude: the host functions the JS in
//! `js/prelude/` calls to resolve, read and compile modules, load native
//! modules, print, keep time and apply the runtime's policy.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rquickjs::{Ctx, Exception, Function, Object, Value};

use crate::builtins::module_allowed;
use crate::calllog::{Direction, Outcome};
use crate::compile::{compile_module_wrapper, eval_bytecode, eval_module_wrapper};
use crate::factory::Shared;
use crate::module::ModuleImpl;
use crate::resolve::{resolve_require, ResolveError, Resolved};
use crate::runtime::RuntimeState;

/// The prelude's internals object, kept in the engine's user data rather than
/// on any object a script can reach: only Rust code holds it.
struct Internals<'js>(Object<'js>);

// SAFETY: `Internals` holds one JS value of the lifetime it is stored with.
unsafe impl<'js> rquickjs::JsLifetime<'js> for Internals<'js> {
    type Changed<'to> = Internals<'to>;
}

/// The internals the prelude core returned for this context: the functions the
/// Rust side drives (the event loop, rejections, `require` from Rust).
pub(crate) fn internals<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    match ctx.userdata::<Internals>() {
        Some(internals) => Ok(internals.0.clone()),
        None => Err(rquickjs::Error::new_from_js_message(
            "context",
            "jsbox runtime",
            "this context was not wired by jsbox",
        )),
    }
}

/// The rest of the prelude's internals (`js/prelude/entry.js`): running a
/// main module, imports and the ES module helpers, `require` from Rust, the
/// REPL, promises Rust awaits, heap-image builds. Read the first time one of
/// them is needed, so creating a runtime reads none of it.
pub(crate) fn entry<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let more: Function = internals(ctx)?.get("more")?;
    more.call(())
}

/// The function `name` of [`entry`].
pub(crate) fn entry_function<'js>(ctx: &Ctx<'js>, name: &str) -> rquickjs::Result<Function<'js>> {
    entry(ctx)?.get(name)
}

/// Throws a JS `Error` carrying Node-style `code` (and `path` and any other
/// string properties when given).
pub(crate) fn throw_coded(
    ctx: &Ctx<'_>,
    message: &str,
    code: &str,
    path: Option<&str>,
    extra: &[(&str, &str)],
) -> rquickjs::Error {
    let exception = match Exception::from_message(ctx.clone(), message) {
        Ok(exception) => exception,
        Err(e) => return e,
    };
    let object = exception.as_object();
    if let Err(e) = object.set("code", code) {
        return e;
    }
    for (key, value) in path.map(|p| ("path", p)).iter().chain(extra) {
        if let Err(e) = object.set(*key, *value) {
            return e;
        }
    }
    exception.throw()
}

/// Reads a module's source through the loader, as UTF-8. The path may have
/// come from JavaScript: it gets the same policy check as a resolved module
/// file, whatever the module system asked for.
pub(crate) fn read_module_source(
    ctx: &Ctx<'_>,
    shared: &Shared,
    path: &str,
) -> rquickjs::Result<String> {
    shared
        .policy
        .check_module_file(Path::new(path))
        .map_err(|denied| throw_denied(ctx, &denied))?;
    let bytes = shared.loader.read(Path::new(path)).map_err(|e| {
        throw_coded(
            ctx,
            &format!("cannot read {path}: {e}"),
            "ERR_JSBOX_LOADER",
            Some(path),
            &[],
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        throw_coded(
            ctx,
            &format!(
                "cannot read {path}: the source is not valid UTF-8 (invalid byte at offset {at})"
            ),
            "ERR_JSBOX_LOADER",
            Some(path),
            &[],
        )
    })
}

/// Milliseconds on the process's monotonic clock (the one the time limits use).
fn monotonic_ms() -> f64 {
    crate::limits::now_ns() as f64 / 1e6
}

/// Compiles a module's source inside the CommonJS wrapper and returns the
/// wrapper function, through the factory's bytecode cache when it is on.
fn compile_module<'js>(
    ctx: &Ctx<'js>,
    shared: &Shared,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Value<'js>> {
    let cache = &shared.code_cache;
    if !cache.enabled() {
        return eval_module_wrapper(ctx, source, filename);
    }
    let bytecode = match cache.get(filename, source) {
        Some(bytecode) => bytecode,
        None => cache.insert(
            filename,
            source,
            compile_module_wrapper(ctx, source, filename)?,
        ),
    };
    eval_bytecode(ctx, &bytecode)
}

/// Throws Node-style `ERR_ACCESS_DENIED` for a policy refusal.
pub(crate) fn throw_denied(ctx: &Ctx<'_>, message: &str) -> rquickjs::Error {
    throw_coded(ctx, message, "ERR_ACCESS_DENIED", None, &[])
}

/// Throws an error that `try`/`catch` cannot stop (used by `process.exit`).
pub(crate) fn throw_uncatchable(ctx: &Ctx<'_>, message: &str) -> rquickjs::Error {
    match Exception::from_message(ctx.clone(), message) {
        Ok(exception) => {
            // SAFETY: marks a live error object of this context.
            unsafe {
                rquickjs::qjs::JS_SetUncatchableError(ctx.as_raw().as_ptr(), exception.as_raw());
            }
            exception.throw()
        }
        Err(e) => e,
    }
}

/// The host bindings every runtime needs at once: printing, the clock, and
/// loading prelude chunks. The rest comes from `extend()` on first chunk load, so
/// a runtime that never touches `require`, `process` or the timers does not pay
/// for them.
fn host_object<'js>(ctx: &Ctx<'js>, shared: &Arc<Shared>) -> rquickjs::Result<Object<'js>> {
    let host = Object::new(ctx.clone())?;
    host.set("baseDir", shared.base_dir_str.as_str())?;
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
    let s = shared.clone();
    host.set(
        "loadChunk",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, name: String| {
            match s.prelude.chunk(&name) {
                Some(bytecode) => eval_bytecode(&ctx, bytecode),
                None => Err(throw_coded(
                    &ctx,
                    &format!("no prelude chunk named {name}"),
                    "ERR_INVALID_ARG_VALUE",
                    None,
                    &[],
                )),
            }
        })?,
    )?;
    let s = shared.clone();
    host.set(
        "loadInspect",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>| {
            eval_bytecode(&ctx, s.prelude.inspect())
        })?,
    )?;
    let s = shared.clone();
    host.set(
        "extend",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, group: String| {
            if group == "process" {
                process_extension(&ctx, &s)
            } else {
                host_extension(&ctx, &s)
            }
        })?,
    )?;
    Ok(host)
}

/// The rest of the host bindings (but those of [`process_extension`]),
/// merged into `host` by the prelude core when it first loads a chunk.
fn host_extension<'js>(ctx: &Ctx<'js>, shared: &Arc<Shared>) -> rquickjs::Result<Object<'js>> {
    let host = Object::new(ctx.clone())?;

    let s = shared.clone();
    host.set(
        "resolve",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, request: String, parent: String| {
                let is_native = |name: &str| s.registry.contains(name);
                let found =
                    resolve_require(s.loader.as_ref(), &is_native, &request, Path::new(&parent));
                match found {
                    Ok(Resolved::Native(name)) => match s.policy.check_module(&name) {
                        Ok(()) => Ok(vec!["native".to_string(), name]),
                        Err(denied) => Err(throw_denied(&ctx, &denied)),
                    },
                    Ok(Resolved::File(path)) => match s.policy.check_module_file(&path) {
                        Ok(()) => Ok(vec![
                            "file".to_string(),
                            path.to_string_lossy().into_owned(),
                        ]),
                        Err(denied) => Err(throw_denied(&ctx, &denied)),
                    },
                    Err(ResolveError::NotFound) => Ok(vec!["notfound".to_string()]),
                    Err(ResolveError::UnknownBuiltin) => Ok(vec!["unknown_builtin".to_string()]),
                    Err(ResolveError::NotExported { message }) => Err(throw_coded(
                        &ctx,
                        &message,
                        "ERR_PACKAGE_PATH_NOT_EXPORTED",
                        None,
                        &[],
                    )),
                    Err(ResolveError::Coded { code, message }) => {
                        Err(throw_coded(&ctx, &message, code, None, &[]))
                    }
                    Err(ResolveError::InvalidPackage { path, message }) => {
                        let path = path.to_string_lossy();
                        Err(throw_coded(
                            &ctx,
                            &format!("Invalid package config {path}: {message}"),
                            "ERR_INVALID_PACKAGE_CONFIG",
                            Some(&path),
                            &[],
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
            read_module_source(&ctx, &s, &path)
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
            move |ctx: Ctx<'js>, name: String, exports: Object<'js>| match s
                .registry
                .get(&name)
                .map(|m| &m.implementation)
            {
                Some(ModuleImpl::Native(module)) => {
                    module_allowed(&ctx, &name)?;
                    let state = RuntimeState::of(&ctx);
                    state.enter_native_code(&ctx, &name)?;
                    // Native code may create any built-in object.
                    state.intrinsics.add_all(&ctx)?;
                    module.load(&ctx, &exports)
                }
                Some(ModuleImpl::Host(index)) => {
                    module_allowed(&ctx, &name)?;
                    // Function objects that hold two integers: nothing here
                    // takes the runtime off its heap-image restore path.
                    match s.registry.hosts().get(*index) {
                        Some(module) => crate::host_module::load(&ctx, *index, &**module, &exports),
                        None => Ok(()),
                    }
                }
                _ => Err(throw_coded(
                    &ctx,
                    &format!("No such built-in module: {name}"),
                    "ERR_UNKNOWN_BUILTIN_MODULE",
                    None,
                    &[],
                )),
            },
        )?,
    )?;

    let s = shared.clone();
    host.set(
        "builtinScript",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, name: String| -> rquickjs::Result<Value<'js>> {
                match s.registry.get(&name).map(|m| &m.implementation) {
                    Some(ModuleImpl::Builtin(index)) => {
                        module_allowed(&ctx, &name)?;
                        eval_bytecode(&ctx, s.prelude.builtin(*index))
                    }
                    _ => Ok(Value::new_undefined(ctx.clone())),
                }
            },
        )?,
    )?;
    host.set(
        "binding",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, name: String| -> rquickjs::Result<Object<'js>> {
                if !crate::builtins::binding_is_pure(&name) {
                    module_allowed(&ctx, &name)?;
                }
                let state = RuntimeState::of(&ctx);
                // No binding keeps per-runtime state in the heap (it lives in
                // `RuntimeState`), so none takes a heap-image runtime off the
                // restore path; their functions' Rust closures are noted
                // below and dropped before the slot is restored.
                // Bindings hand out typed arrays and dates; the few that add
                // what they use themselves leave the rest for first use.
                if !crate::builtins::binding_adds_its_intrinsics(&name) {
                    state.intrinsics.add_all(&ctx)?;
                }
                match crate::builtins::binding(&ctx, &name)? {
                    Some(binding) => {
                        state.note_binding(&ctx, &binding)?;
                        Ok(binding)
                    }
                    None => Err(throw_coded(
                        &ctx,
                        &format!("no binding named {name}"),
                        "ERR_INVALID_ARG_VALUE",
                        None,
                        &[],
                    )),
                }
            },
        )?,
    )?;

    host.set(
        "cwd",
        Function::new(ctx.clone(), || {
            std::env::current_dir()
                .map_or_else(|_| "/".to_string(), |d| d.to_string_lossy().into_owned())
        })?,
    )?;
    host.set(
        "logging",
        Function::new(ctx.clone(), |ctx: Ctx<'js>| {
            RuntimeState::of(&ctx).logs_calls()
        })?,
    )?;
    host.set(
        "logCall",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>,
                  module: String,
                  function: String,
                  args: Value<'js>,
                  result: Value<'js>,
                  error: Option<String>,
                  started: f64| {
                if let Some(log) = &RuntimeState::of(&ctx).log {
                    // `started` came from JavaScript: never trusted.
                    let elapsed = monotonic_ms() - started;
                    let elapsed = if elapsed.is_finite() {
                        elapsed.max(0.0)
                    } else {
                        0.0
                    };
                    let outcome = match error {
                        Some(message) => Outcome::Threw(message),
                        None => Outcome::Returned(&result),
                    };
                    log.record(
                        Direction::JsToNative,
                        Some(&module),
                        &function,
                        &args,
                        outcome,
                        std::time::Duration::from_secs_f64(elapsed / 1000.0),
                    );
                }
            },
        )?,
    )?;
    crate::esm::bindings(ctx, shared, &host)?;
    Ok(host)
}

/// The host bindings only the `process` chunk and its parts (`stdio`,
/// `process_events`) use, made when that chunk first loads: a runtime that
/// requires a module without touching `process` does not make them.
fn process_extension<'js>(ctx: &Ctx<'js>, shared: &Arc<Shared>) -> rquickjs::Result<Object<'js>> {
    let host = Object::new(ctx.clone())?;
    host.set(
        "hrtimeNs",
        Function::new(ctx.clone(), || {
            static START: OnceLock<(Instant, f64)> = OnceLock::new();
            let (start, base) = START.get_or_init(|| {
                let since_epoch = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| (d.as_nanos() % 1_000_000_000_000) as f64);
                (Instant::now(), since_epoch)
            });
            base + start.elapsed().as_nanos() as f64
        })?,
    )?;
    let s = shared.clone();
    host.set(
        "argv",
        Function::new(ctx.clone(), move || {
            let mut argv = vec!["jsbox".to_string()];
            argv.extend(s.argv.iter().cloned());
            argv
        })?,
    )?;
    let hide_env = shared.policy.hide_env;
    host.set(
        "env",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>| -> rquickjs::Result<Object<'js>> {
                let env = Object::new(ctx)?;
                if hide_env {
                    return Ok(env);
                }
                for (key, value) in std::env::vars_os() {
                    env.set(
                        key.to_string_lossy().as_ref(),
                        value.to_string_lossy().as_ref(),
                    )?;
                }
                Ok(env)
            },
        )?,
    )?;
    host.set(
        "ticksQueued",
        Function::new(ctx.clone(), |ctx: Ctx<'js>| {
            RuntimeState::of(&ctx).queue_ticks()
        })?,
    )?;
    host.set(
        "exit",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, code: i32| -> rquickjs::Result<()> {
                RuntimeState::of(&ctx).request_exit(code);
                Err(throw_uncatchable(&ctx, &format!("process.exit({code})")))
            },
        )?,
    )?;
    host.set(
        "memoryUsed",
        Function::new(ctx.clone(), |ctx: Ctx<'js>| {
            let mut usage = std::mem::MaybeUninit::<rquickjs::qjs::JSMemoryUsage>::uninit();
            // SAFETY: the runtime pointer is live while this context runs; the
            // engine fills the whole struct.
            let usage = unsafe {
                let rt = rquickjs::qjs::JS_GetRuntime(ctx.as_raw().as_ptr());
                rquickjs::qjs::JS_ComputeMemoryUsage(rt, usage.as_mut_ptr());
                usage.assume_init()
            };
            usage.memory_used_size as f64
        })?,
    )?;
    host.set("version", concat!("v", env!("CARGO_PKG_VERSION")))?;
    host.set("engineVersion", "quickjs-ng")?;
    host.set("platform", crate::builtins::os::node_platform())?;
    host.set("arch", crate::builtins::os::node_arch())?;
    host.set("pid", std::process::id())?;
    crate::builtins::process::host_functions(ctx, shared, &host)?;
    Ok(host)
}

/// Wires a fresh context: runs the prelude core, which installs `require`,
/// `console`, `process` and the timer functions as globals loaded on first use,
/// and keeps its internals object.
pub(crate) fn install(
    ctx: &Ctx<'_>,
    shared: &Arc<Shared>,
    state: &RuntimeState,
    lazy_intrinsics: bool,
) -> rquickjs::Result<()> {
    state.attach(ctx.as_raw());
    if lazy_intrinsics {
        state.intrinsics.install(ctx)?;
    } else {
        // A full context has Date and performance already (a lazy one
        // patches them when added).
        crate::engine_quirks::patch_date(ctx.as_raw().as_ptr())?;
        crate::engine_quirks::patch_performance(ctx.as_raw().as_ptr())?;
    }
    crate::esm::install(ctx, shared);
    crate::builtins::lazy_globals::install(ctx)?;
    crate::builtins::stack_hook::install(ctx)?;
    let host = host_object(ctx, shared)?;
    host.set("timed", state.interruptible())?;
    let core: Function = eval_bytecode(ctx, shared.prelude.core())?.get()?;
    let internals: Object = core.call((host,))?;
    if ctx.store_userdata(Internals(internals)).is_err() {
        return Err(rquickjs::Error::new_from_js_message(
            "context",
            "jsbox runtime",
            "the context's internals are in use",
        ));
    }
    Ok(())
}
