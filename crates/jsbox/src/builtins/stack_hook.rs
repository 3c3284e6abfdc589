//! `Error.prepareStackTrace`: jsbox puts its own accessor in place of the
//! engine's (`js/prelude/stack_hook.js`: it hides jsbox's functions from the
//! call sites a hook receives, and keeps values that are not functions away
//! from the engine). Making that accessor in every runtime costs a closure
//! pair and a property definition; few scripts ever touch the hook. So a
//! fresh runtime gets one native function in its place, as the lazy globals
//! do (`lazy_globals.rs`), holding the engine's getter and setter and the
//! `Error` constructor as they were before any script ran. Its first call,
//! as getter or setter, makes jsbox's accessor (which replaces it on
//! `Error`) and forwards the call; later calls of a copy a script kept go to
//! the same accessor. The function points at static Rust code only, so heap
//! images keep it as it is.

use std::ffi::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

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

/// The stand-in's getter (no argument) and setter (one argument): makes
/// jsbox's accessor through the prelude core, once per runtime, and calls
/// its getter or setter.
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
