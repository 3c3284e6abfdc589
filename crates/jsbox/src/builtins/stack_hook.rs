//! `Error.prepareStackTrace`. jsbox puts a native accessor in place of the
//! engine's in every fresh runtime (one C function for getter and setter, as
//! the lazy globals are: `lazy_globals.rs`), holding the engine's getter and
//! setter and the `Error` constructor as they were before any script ran. It
//! is the only way to the engine's hook, and it guards it:
//!
//! - The hook hands scripts call sites whose `getFunction()` returns the
//!   function of every frame, jsbox's own included. Before the first use of
//!   the accessor, the call-site prototype's `getFunction` is replaced with a
//!   native one that returns `undefined` for frames of jsbox's code (files
//!   named `jsbox:...`) and of native functions, calling the engine's own
//!   methods directly: nothing a script changed (globals, prototypes,
//!   `Error.stackTraceLimit`) can make the patch fail or miss.
//! - QuickJS-ng leaks one reference per error made while the hook holds an
//!   object that is not a function, and the leak aborts the process when the
//!   runtime is freed: the accessor's JavaScript state
//!   (`js/prelude/stack_hook.js`, made on first use) keeps such values and
//!   hands the engine only functions.
//!
//! The accessor stays in place (a frozen `Error` keeps working); its
//! functions point at static Rust code only, so heap images keep them as
//! they are.

use std::ffi::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::OnceLock;

use rquickjs::{qjs, Ctx, Function, Object, Value};

use super::lazy_globals::returned;
use crate::intrinsics::define_getset;

/// Puts the stand-in on `Error.prepareStackTrace` in a fresh context. An
/// engine without the hook (no accessor there) is left as it is.
pub(crate) fn install(ctx: &Ctx<'_>) -> rquickjs::Result<()> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the context is live and entered; every value and atom made is
    // handed to the engine or released before returning.
    unsafe {
        let global = qjs::JS_GetGlobalObject(raw);
        let error = qjs::JS_GetPropertyStr(raw, global, c"Error".as_ptr());
        qjs::JS_FreeValue(raw, global);
        if qjs::JS_IsException(error) {
            return Err(rquickjs::Error::Exception);
        }
        let atom = qjs::JS_NewAtom(raw, c"prepareStackTrace".as_ptr());
        let outcome = replace_accessor(raw, error, atom);
        qjs::JS_FreeAtom(raw, atom);
        qjs::JS_FreeValue(raw, error);
        outcome
    }
}

/// # Safety
/// `raw` is live and entered, `error` and `atom` are live.
unsafe fn replace_accessor(
    raw: *mut qjs::JSContext,
    error: qjs::JSValue,
    atom: qjs::JSAtom,
) -> rquickjs::Result<()> {
    let mut desc = std::mem::MaybeUninit::<qjs::JSPropertyDescriptor>::uninit();
    // SAFETY: per this function's contract; a found property fills every
    // field of `desc`, each an owned value released below.
    unsafe {
        match qjs::JS_GetOwnProperty(raw, desc.as_mut_ptr(), error, atom) {
            found if found < 0 => return Err(rquickjs::Error::Exception),
            0 => return Ok(()),
            _ => {}
        }
        let desc = desc.assume_init();
        let is_hook = desc.flags & qjs::JS_PROP_GETSET as c_int != 0
            && qjs::JS_IsFunction(raw, desc.getter)
            && qjs::JS_IsFunction(raw, desc.setter);
        let outcome = if is_hook {
            // The data holds new references to the three values.
            let mut data = [desc.getter, desc.setter, error];
            let stand_in = qjs::JS_NewCFunctionData2(
                raw,
                Some(stand_in),
                c"prepareStackTrace".as_ptr(),
                1,
                0,
                data.len() as c_int,
                data.as_mut_ptr(),
            );
            if qjs::JS_IsException(stand_in) {
                Err(rquickjs::Error::Exception)
            } else {
                let flags =
                    desc.flags & (qjs::JS_PROP_CONFIGURABLE | qjs::JS_PROP_ENUMERABLE) as c_int;
                define_getset(raw, error, atom, stand_in, flags)
            }
        } else {
            Ok(())
        };
        qjs::JS_FreeValue(raw, desc.getter);
        qjs::JS_FreeValue(raw, desc.setter);
        qjs::JS_FreeValue(raw, desc.value);
        outcome
    }
}

/// The accessor's getter (no argument) and setter (one argument): patches
/// the call sites once per runtime, then calls the getter or setter of the
/// hook's JavaScript state (made once per runtime by the prelude core).
unsafe extern "C" fn stand_in(
    ctx: *mut qjs::JSContext,
    _this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    _magic: c_int,
    data: *mut qjs::JSValue,
) -> qjs::JSValue {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let Some(raw) = std::ptr::NonNull::new(ctx) else {
            return qjs::JS_EXCEPTION;
        };
        // SAFETY: the engine passes a live, entered context.
        let rctx = unsafe { Ctx::from_raw(raw) };
        let state = crate::runtime::RuntimeState::of(&rctx);
        if !state.call_sites_patched.load(Ordering::Relaxed) {
            if let Err(e) = patch_call_sites(&rctx) {
                return returned(&rctx, Err(e));
            }
            state.call_sites_patched.store(true, Ordering::Relaxed);
        }
        // SAFETY: `data` holds the three values `install` gave, alive as
        // long as this function; each is read as a new reference.
        let [get_hook, set_hook, error_ctor] = [0, 1, 2]
            .map(|i| unsafe { Value::from_raw(rctx.clone(), qjs::JS_DupValue(ctx, *data.add(i))) });
        let called = (|| -> rquickjs::Result<Value<'_>> {
            let internals = crate::host::internals(&rctx)?;
            let make: Function = internals.get("stackHook")?;
            let accessor: Object = make.call((get_hook, set_hook, error_ctor))?;
            if argc >= 1 {
                let set: Function = accessor.get("set")?;
                // SAFETY: argv holds argc live values.
                let hook = unsafe { Value::from_raw(rctx.clone(), qjs::JS_DupValue(ctx, *argv)) };
                set.call((hook,))
            } else {
                let get: Function = accessor.get("get")?;
                get.call(())
            }
        })();
        returned(&rctx, called)
    }));
    outcome.unwrap_or(qjs::JS_EXCEPTION)
}

/// The engine's class id of call sites, the same in every runtime: found
/// once per process by asking a scratch context (where no script runs) for
/// a call site.
fn call_site_class() -> Option<qjs::JSClassID> {
    static CLASS: OnceLock<Option<qjs::JSClassID>> = OnceLock::new();
    *CLASS.get_or_init(|| {
        crate::compile::with_scratch_context(|ctx| {
            let site: Value = ctx
                .eval("Error.prepareStackTrace = (_, sites) => sites[0]; new Error().stack")
                .map_err(|e| crate::Error::Engine(e.to_string()))?;
            // SAFETY: a live value of the scratch context.
            Ok(site
                .is_object()
                .then(|| unsafe { qjs::JS_GetClassID(site.as_raw()) }))
        })
        .ok()
        .flatten()
    })
}

/// The call-site methods the patched `getFunction` calls, by position in
/// its data.
const SITE_METHODS: [&std::ffi::CStr; 3] = [c"getFunction", c"getFileName", c"isNative"];

/// Replaces `getFunction` on this context's call-site prototype (which no
/// script can have reached yet: call sites come only through the hook).
fn patch_call_sites(ctx: &Ctx<'_>) -> rquickjs::Result<()> {
    let Some(class) = call_site_class() else {
        return Err(rquickjs::Error::new_from_js_message(
            "engine",
            "call sites",
            "this engine gives no call sites to patch",
        ));
    };
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the context is live and entered; every value taken is handed
    // to the engine or released before returning.
    unsafe {
        let proto = qjs::JS_GetClassProto(raw, class);
        let mut methods =
            SITE_METHODS.map(|name| qjs::JS_GetPropertyStr(raw, proto, name.as_ptr()));
        let complete = methods.iter().all(|&m| qjs::JS_IsFunction(raw, m));
        let outcome = if !complete {
            Err(rquickjs::Error::new_from_js_message(
                "engine",
                "call sites",
                "the call-site prototype lacks getFunction, getFileName or isNative",
            ))
        } else {
            let patched = qjs::JS_NewCFunctionData2(
                raw,
                Some(site_get_function),
                c"getFunction".as_ptr(),
                0,
                0,
                methods.len() as c_int,
                methods.as_mut_ptr(),
            );
            if qjs::JS_IsException(patched) {
                Err(rquickjs::Error::Exception)
            } else {
                let flags = (qjs::JS_PROP_WRITABLE | qjs::JS_PROP_CONFIGURABLE) as c_int;
                if qjs::JS_DefinePropertyValueStr(
                    raw,
                    proto,
                    c"getFunction".as_ptr(),
                    patched,
                    flags,
                ) < 0
                {
                    Err(rquickjs::Error::Exception)
                } else {
                    Ok(())
                }
            }
        };
        for method in methods {
            qjs::JS_FreeValue(raw, method);
        }
        qjs::JS_FreeValue(raw, proto);
        outcome
    }
}

/// `CallSite.prototype.getFunction`, patched: `undefined` for a frame of
/// jsbox's own code or of a native function, the engine's answer otherwise.
unsafe extern "C" fn site_get_function(
    ctx: *mut qjs::JSContext,
    this: qjs::JSValue,
    _argc: c_int,
    _argv: *mut qjs::JSValue,
    _magic: c_int,
    data: *mut qjs::JSValue,
) -> qjs::JSValue {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `data` holds SITE_METHODS, alive as long as this function;
        // `this` is the engine's; every value made is released.
        unsafe {
            let native = qjs::JS_Call(ctx, *data.add(2), this, 0, std::ptr::null_mut());
            if qjs::JS_IsException(native) {
                return native;
            }
            let is_native = qjs::JS_ToBool(ctx, native);
            qjs::JS_FreeValue(ctx, native);
            let file = qjs::JS_Call(ctx, *data.add(1), this, 0, std::ptr::null_mut());
            if qjs::JS_IsException(file) {
                return file;
            }
            let Some(raw) = std::ptr::NonNull::new(ctx) else {
                return qjs::JS_EXCEPTION;
            };
            let rctx = Ctx::from_raw(raw);
            let file = Value::from_raw(rctx, file);
            let ours = match file.as_string().map(|name| name.to_string()) {
                Some(Ok(name)) => name.starts_with("jsbox:"),
                Some(Err(_)) => true,
                None => true,
            };
            if is_native != 0 || ours {
                qjs::JS_UNDEFINED
            } else {
                qjs::JS_Call(ctx, *data, this, 0, std::ptr::null_mut())
            }
        }
    }));
    outcome.unwrap_or(qjs::JS_EXCEPTION)
}
