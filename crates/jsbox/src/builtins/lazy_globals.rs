//! `require`, `console`, `process`, the timer functions, `TextEncoder`,
//! `TextDecoder`, `structuredClone`, `Buffer`, `URL`, `URLSearchParams`, and
//! the Web event classes (`EventTarget`, `Event`, `CustomEvent`,
//! `AbortController`, `AbortSignal`): globals whose implementation (a prelude
//! chunk and its binding) is loaded the first time a script reads or writes
//! one of them.
//!
//! Each is a native accessor, as the lazily added engine intrinsics are
//! (`src/intrinsics.rs`): one C function per name, with no closure and no
//! bytecode, is the cheapest thing a fresh runtime can make (a JS accessor
//! pair costs it about four times as many instructions). The first read
//! loads the chunk through the prelude core's `loadChunk`; a read or a write
//! then replaces the accessor with a plain writable data property, as in
//! Node. The functions point at static Rust code only, so heap images keep
//! them as they are.

use std::ffi::{c_int, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use rquickjs::{qjs, Ctx, Function, Object, Value};

use crate::intrinsics::{define_accessor, PlainFn};

/// Each global, the chunk (`js/prelude/`) that exports it, and whether it
/// is enumerable (as in Node: `structuredClone` and the timer functions are,
/// `console`, `process` and the classes are not).
const GLOBALS: [(&str, &str, bool); 21] = [
    ("require", "modules", false),
    ("console", "console", false),
    ("process", "process", false),
    ("setTimeout", "timers", true),
    ("setInterval", "timers", true),
    ("setImmediate", "timers", true),
    ("clearTimeout", "timers", true),
    ("clearInterval", "timers", true),
    ("clearImmediate", "timers", true),
    ("TextEncoder", "encoding", false),
    ("TextDecoder", "encoding", false),
    ("structuredClone", "clone", true),
    ("Buffer", "buffer", false),
    ("crypto", "crypto", true),
    ("URL", "url", false),
    ("URLSearchParams", "url", false),
    ("EventTarget", "events", false),
    ("Event", "events", false),
    ("CustomEvent", "events", false),
    ("AbortController", "events", false),
    ("AbortSignal", "events", false),
];

fn flags(enumerable: bool) -> c_int {
    let flags = qjs::JS_PROP_CONFIGURABLE
        | if enumerable {
            qjs::JS_PROP_ENUMERABLE
        } else {
            0
        };
    flags as c_int
}

/// Defines the accessors on the global object of a fresh context.
pub(crate) fn install(ctx: &Ctx<'_>) -> rquickjs::Result<()> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the context is live and entered; every value made is either
    // handed to the engine or released before returning.
    unsafe {
        let global = qjs::JS_GetGlobalObject(raw);
        let mut outcome = Ok(());
        for (index, &(name, _, enumerable)) in GLOBALS.iter().enumerate() {
            let Ok(cname) = CString::new(name) else {
                continue;
            };
            let defined = define_accessor(
                raw,
                global,
                &cname,
                accessor,
                index as c_int,
                flags(enumerable),
            );
            if let Err(e) = defined {
                outcome = Err(e);
                break;
            }
        }
        // `global`, Node's name for globalThis: a plain data property (no
        // function to make, cheaper than an accessor), enumerable as in Node.
        let flags = qjs::JS_PROP_CONFIGURABLE | qjs::JS_PROP_WRITABLE | qjs::JS_PROP_ENUMERABLE;
        if outcome.is_ok()
            && qjs::JS_DefinePropertyValueStr(
                raw,
                global,
                c"global".as_ptr(),
                qjs::JS_DupValue(raw, global),
                flags as c_int,
            ) < 0
        {
            outcome = Err(rquickjs::Error::Exception);
        }
        qjs::JS_FreeValue(raw, global);
        outcome
    }
}

/// The getter (no argument) and setter (one argument) of a global: either
/// way the global becomes a data property, holding the chunk's export or
/// the value written.
unsafe extern "C" fn accessor(
    ctx: *mut qjs::JSContext,
    _this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    magic: c_int,
) -> qjs::JSValue {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let Some(&(name, chunk, enumerable)) = GLOBALS.get(magic as usize) else {
            return qjs::JS_UNDEFINED;
        };
        let Some(raw) = std::ptr::NonNull::new(ctx) else {
            return qjs::JS_EXCEPTION;
        };
        // SAFETY: the engine passes a live, entered context.
        let rctx = unsafe { Ctx::from_raw(raw) };
        let setting = argc >= 1;
        let value = if setting {
            // SAFETY: argv holds argc live values.
            Ok(unsafe { Value::from_raw(rctx.clone(), qjs::JS_DupValue(ctx, *argv)) })
        } else {
            load(&rctx, name, chunk)
        };
        let value = match value {
            Ok(value) => value,
            Err(e) => return thrown(&rctx, e),
        };
        let flags = flags(enumerable) | qjs::JS_PROP_WRITABLE as c_int;
        // SAFETY: the context is live; the global object is released.
        let defined = unsafe {
            let global = qjs::JS_GetGlobalObject(ctx);
            let defined = define_data(&rctx, global, name, value.as_raw(), flags);
            qjs::JS_FreeValue(ctx, global);
            defined
        };
        if !defined {
            qjs::JS_EXCEPTION
        } else if setting {
            qjs::JS_UNDEFINED
        } else {
            returned(&rctx, Ok(value))
        }
    }));
    outcome.unwrap_or(qjs::JS_EXCEPTION)
}

/// The value of the global `name`, which the chunk `chunk` exports; but
/// `require` is the prelude core's own (see `makeGlobalRequire` in
/// `js/prelude/core.js`), which serves host modules without the module system.
fn load<'js>(ctx: &Ctx<'js>, name: &str, chunk: &str) -> rquickjs::Result<Value<'js>> {
    if name != "require" {
        return chunk_export(ctx, chunk, name);
    }
    let internals = crate::host::internals(ctx)?;
    let make: Function = internals.get("makeGlobalRequire")?;
    let require: Value = make.call((host_module_function(ctx)?,))?;
    define_require_properties(ctx, &require)?;
    Ok(require)
}

/// `name` as the chunk `chunk` exports it, loaded through the prelude core.
fn chunk_export<'js>(ctx: &Ctx<'js>, chunk: &str, name: &str) -> rquickjs::Result<Value<'js>> {
    let internals = crate::host::internals(ctx)?;
    let load: Function = internals.get("loadChunk")?;
    let exports: Object = load.call((chunk,))?;
    exports.get(name)
}

/// The module system's properties of `require` that the global `require`
/// shows too, read from the module system's own `require` each time (which
/// loads it): `main` changes, the others are its objects.
const REQUIRE_PROPERTIES: [&str; 4] = ["resolve", "main", "extensions", "cache"];

/// Defines [`REQUIRE_PROPERTIES`] on the global `require` as native
/// accessors (one C function each, as the lazy globals are: cheaper than a
/// JavaScript getter and setter per property).
fn define_require_properties(ctx: &Ctx<'_>, require: &Value<'_>) -> rquickjs::Result<()> {
    let raw = ctx.as_raw().as_ptr();
    let flags = (qjs::JS_PROP_CONFIGURABLE | qjs::JS_PROP_ENUMERABLE) as c_int;
    for (index, name) in REQUIRE_PROPERTIES.iter().enumerate() {
        let Ok(cname) = CString::new(*name) else {
            continue;
        };
        // SAFETY: the context is live and entered and `require` one of its
        // objects; the accessor's references are handed to the engine.
        unsafe {
            define_accessor(
                raw,
                require.as_raw(),
                &cname,
                require_property,
                index as c_int,
                flags,
            )?;
        }
    }
    Ok(())
}

/// Reads (no argument) one of [`REQUIRE_PROPERTIES`] from the module system's
/// `require`, or writes (one argument) an own data property in its place.
unsafe extern "C" fn require_property(
    ctx: *mut qjs::JSContext,
    this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    magic: c_int,
) -> qjs::JSValue {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let Some(&name) = REQUIRE_PROPERTIES.get(magic as usize) else {
            return qjs::JS_UNDEFINED;
        };
        let Some(raw) = std::ptr::NonNull::new(ctx) else {
            return qjs::JS_EXCEPTION;
        };
        // SAFETY: the engine passes a live, entered context.
        let rctx = unsafe { Ctx::from_raw(raw) };
        if argc >= 1 {
            let flags = qjs::JS_PROP_CONFIGURABLE | qjs::JS_PROP_ENUMERABLE | qjs::JS_PROP_WRITABLE;
            // SAFETY: argv holds argc live values.
            let defined = unsafe { define_data(&rctx, this, name, *argv, flags as c_int) };
            return if defined {
                qjs::JS_UNDEFINED
            } else {
                qjs::JS_EXCEPTION
            };
        }
        // The module system's `require` (for code run as `<eval>`), loading it.
        let value = chunk_export(&rctx, "modules", "require")
            .and_then(|require| require.get::<Object>()?.get::<_, Value>(name));
        returned(&rctx, value)
    }));
    outcome.unwrap_or(qjs::JS_EXCEPTION)
}

/// `hostModule(name)`: the exports of the host module `name`, made now, or
/// `undefined` when the module system must decide (no host module of that
/// name, denied by the policy, or calls logged). A C function with no
/// closure, so heap images hold it as it is.
fn host_module_function<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Value<'js>> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the context is live and entered; the new function is handed
    // to the returned value, which owns its reference.
    unsafe {
        let function = qjs::JS_NewCFunction2(
            raw,
            Some(host_module as PlainFn),
            c"hostModule".as_ptr(),
            1,
            qjs::JSCFunctionEnum_JS_CFUNC_generic,
            0,
        );
        if qjs::JS_IsException(function) {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Value::from_raw(ctx.clone(), function))
    }
}

unsafe extern "C" fn host_module(
    ctx: *mut qjs::JSContext,
    _this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
) -> qjs::JSValue {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let Some(raw) = std::ptr::NonNull::new(ctx) else {
            return qjs::JS_EXCEPTION;
        };
        // SAFETY: the engine passes a live, entered context.
        let rctx = unsafe { Ctx::from_raw(raw) };
        if argc < 1 {
            return qjs::JS_UNDEFINED;
        }
        // SAFETY: argv holds argc live values.
        let arg = unsafe { Value::from_raw(rctx.clone(), qjs::JS_DupValue(ctx, *argv)) };
        let Some(name) = arg.as_string().and_then(|s| s.to_string().ok()) else {
            return qjs::JS_UNDEFINED;
        };
        let state = crate::runtime::RuntimeState::of(&rctx);
        if state.logs_calls() || state.policy.check_module(&name).is_err() {
            return qjs::JS_UNDEFINED;
        }
        let Some((index, module)) = state
            .host_modules
            .iter()
            .enumerate()
            .find(|(_, module)| module.name() == name)
        else {
            return qjs::JS_UNDEFINED;
        };
        let made = Object::new(rctx.clone()).and_then(|exports| {
            crate::host_module::load(&rctx, index, &**module, &exports)?;
            Ok(exports.into_value())
        });
        returned(&rctx, made)
    }));
    outcome.unwrap_or(qjs::JS_EXCEPTION)
}

/// What a native function hands the engine for `result`: a new reference to
/// the value, or the pending exception (an error that is not a JavaScript
/// exception is thrown as an `InternalError` first).
pub(super) fn returned(ctx: &Ctx<'_>, result: rquickjs::Result<Value<'_>>) -> qjs::JSValue {
    match result {
        // SAFETY: the reference the returned value takes is the caller's.
        Ok(value) => unsafe { qjs::JS_DupValue(ctx.as_raw().as_ptr(), value.as_raw()) },
        Err(e) => thrown(ctx, e),
    }
}

/// The engine's exception marker for `error`, thrown as an `InternalError`
/// first unless it is a JavaScript exception already pending.
fn thrown(ctx: &Ctx<'_>, error: rquickjs::Error) -> qjs::JSValue {
    if !matches!(error, rquickjs::Error::Exception) {
        let _ = rquickjs::Exception::throw_internal(ctx, &error.to_string());
    }
    qjs::JS_EXCEPTION
}

/// Defines `name` on `target` as a data property holding `value` (a new
/// reference is taken); false when the engine refused (an exception is
/// pending).
///
/// # Safety
/// `target` and `value` are live values of `ctx`'s context.
unsafe fn define_data(
    ctx: &Ctx<'_>,
    target: qjs::JSValue,
    name: &str,
    value: qjs::JSValue,
    flags: c_int,
) -> bool {
    let Ok(cname) = CString::new(name) else {
        return false;
    };
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the caller's values are live; the duplicated value is handed
    // to the engine and the atom released.
    unsafe {
        let atom = qjs::JS_NewAtom(raw, cname.as_ptr());
        let defined =
            qjs::JS_DefinePropertyValue(raw, target, atom, qjs::JS_DupValue(raw, value), flags);
        qjs::JS_FreeAtom(raw, atom);
        defined >= 0
    }
}
