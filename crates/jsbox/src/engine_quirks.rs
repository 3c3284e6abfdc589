//! Workarounds for engine behaviour where QuickJS-ng differs from Node (V8)
//! in ways real packages notice (see docs/modules.md, "Where QuickJS-ng
//! differs from Node").
//!
//! `Date`: a setter whose result is not a valid time (`setFullYear(NaN)`,
//! `setHours(undefined)`, `setMonth(Infinity)`...) returns NaN in QuickJS-ng
//! but keeps the date's old time, where the language (and Node) make the date
//! invalid; date libraries check validity exactly that way. And without Intl,
//! `toLocaleDateString()` pads month, day and hour with zeros ("01/02/2024,
//! 03:04:05 AM") where Node's default (en-US) does not ("1/2/2024, 3:04:05
//! AM").
//!
//! Each affected method is replaced once per context, when `Date` is added
//! (the first use of it, or at creation of a full context such as a heap
//! image's): by a native function with the same name and length that calls
//! the engine's own method, kept in the function's data (a script replacing
//! `Date.prototype.setTime` changes nothing here), and fixes its outcome.
//! Plain C functions with their state in the JS heap: nothing Rust-side to
//! keep alive, so heap images hold them like any built-in.

use std::ffi::{c_int, CStr};

use rquickjs::qjs;

/// The setters, with Node's `length` for each.
const SETTERS: [(&CStr, c_int); 15] = [
    (c"setMilliseconds", 1),
    (c"setUTCMilliseconds", 1),
    (c"setSeconds", 2),
    (c"setUTCSeconds", 2),
    (c"setMinutes", 3),
    (c"setUTCMinutes", 3),
    (c"setHours", 4),
    (c"setUTCHours", 4),
    (c"setDate", 1),
    (c"setUTCDate", 1),
    (c"setMonth", 2),
    (c"setUTCMonth", 2),
    (c"setFullYear", 3),
    (c"setUTCFullYear", 3),
    (c"setYear", 1),
];

/// The locale formatters whose output gets Node's default (en-US) form.
const LOCALE_FORMATTERS: [&CStr; 3] = [
    c"toLocaleString",
    c"toLocaleDateString",
    c"toLocaleTimeString",
];

const SETTER: c_int = 0;
const LOCALE: c_int = 1;

/// Replaces the `Date.prototype` methods above in the context's realm. Call it
/// right after the engine adds `Date`, before any script can touch it.
pub(crate) fn patch_date(raw: *mut qjs::JSContext) -> rquickjs::Result<()> {
    // SAFETY: the caller passes a live, entered context; every value taken
    // here is freed exactly once.
    unsafe {
        let global = qjs::JS_GetGlobalObject(raw);
        let date = qjs::JS_GetPropertyStr(raw, global, c"Date".as_ptr());
        qjs::JS_FreeValue(raw, global);
        if !qjs::JS_IsObject(date) {
            qjs::JS_FreeValue(raw, date);
            return if qjs::JS_IsException(date) {
                Err(rquickjs::Error::Exception)
            } else {
                Ok(())
            };
        }
        let proto = qjs::JS_GetPropertyStr(raw, date, c"prototype".as_ptr());
        qjs::JS_FreeValue(raw, date);
        if !qjs::JS_IsObject(proto) {
            qjs::JS_FreeValue(raw, proto);
            return if qjs::JS_IsException(proto) {
                Err(rquickjs::Error::Exception)
            } else {
                Ok(())
            };
        }
        let set_time = qjs::JS_GetPropertyStr(raw, proto, c"setTime".as_ptr());
        let mut outcome = Ok(());
        for (name, length) in SETTERS {
            outcome = outcome.and_then(|()| wrap(raw, proto, name, length, SETTER, set_time));
        }
        for name in LOCALE_FORMATTERS {
            outcome = outcome.and_then(|()| wrap(raw, proto, name, 0, LOCALE, qjs::JS_UNDEFINED));
        }
        qjs::JS_FreeValue(raw, set_time);
        qjs::JS_FreeValue(raw, proto);
        outcome
    }
}

/// QuickJS-ng's `performance.timeOrigin` is read from a monotonic clock
/// (and is a read-only, non-configurable property); Node's is the Unix time
/// in milliseconds when timing began, so `timeOrigin + now()` is the current
/// time, which packages compute. Replaces the global `performance` (right
/// after the engine adds it) by an object whose `now` and `timeOrigin` are
/// native functions reading the clock of the runtime that calls them
/// ([`RuntimeState::time_origin`]): timing begins when the runtime is made,
/// on the normal path and in a runtime restored from a heap image alike (an
/// image built minutes earlier does not carry its build time into
/// `timeOrigin` or `now()`). `require('perf_hooks')` adds the rest to the
/// same object.
pub(crate) fn patch_performance(raw: *mut qjs::JSContext) -> rquickjs::Result<()> {
    // SAFETY: the caller passes a live, entered context; every value taken
    // here is freed or handed over exactly once.
    unsafe {
        let global = qjs::JS_GetGlobalObject(raw);
        let performance = qjs::JS_NewObject(raw);
        if qjs::JS_IsException(performance) {
            qjs::JS_FreeValue(raw, global);
            return Err(rquickjs::Error::Exception);
        }
        let now = qjs::JS_NewCFunction2(
            raw,
            Some(performance_now),
            c"now".as_ptr(),
            0,
            qjs::JSCFunctionEnum_JS_CFUNC_generic,
            0,
        );
        let all =
            (qjs::JS_PROP_WRITABLE | qjs::JS_PROP_ENUMERABLE | qjs::JS_PROP_CONFIGURABLE) as c_int;
        let mut outcome = Ok(());
        // The definition takes over `now`, on failure too.
        if qjs::JS_IsException(now)
            || qjs::JS_DefinePropertyValueStr(raw, performance, c"now".as_ptr(), now, all) < 0
        {
            outcome = Err(rquickjs::Error::Exception);
        }
        if outcome.is_ok() {
            outcome = crate::intrinsics::define_accessor(
                raw,
                performance,
                c"timeOrigin",
                time_origin,
                0,
                (qjs::JS_PROP_ENUMERABLE | qjs::JS_PROP_CONFIGURABLE) as c_int,
            );
        }
        if outcome.is_ok()
            && qjs::JS_DefinePropertyValueStr(
                raw,
                global,
                c"performance".as_ptr(),
                qjs::JS_DupValue(raw, performance),
                all,
            ) < 0
        {
            outcome = Err(rquickjs::Error::Exception);
        }
        qjs::JS_FreeValue(raw, performance);
        qjs::JS_FreeValue(raw, global);
        outcome
    }
}

/// `performance.now()`: milliseconds since the calling runtime was made.
unsafe extern "C" fn performance_now(
    ctx: *mut qjs::JSContext,
    _this: qjs::JSValue,
    _argc: c_int,
    _argv: *mut qjs::JSValue,
) -> qjs::JSValue {
    let Some(raw) = std::ptr::NonNull::new(ctx) else {
        return qjs::JS_EXCEPTION;
    };
    // SAFETY: the engine passes a live, entered context.
    let rctx = unsafe { rquickjs::Ctx::from_raw(raw) };
    let (started, _) = crate::runtime::RuntimeState::of(&rctx).time_origin;
    qjs::JS_NewFloat64(started.elapsed().as_secs_f64() * 1000.0)
}

/// The getter of `performance.timeOrigin` (its setter ignores the value, as
/// assigning to Node's read-only `timeOrigin` does outside strict code).
unsafe extern "C" fn time_origin(
    ctx: *mut qjs::JSContext,
    _this: qjs::JSValue,
    argc: c_int,
    _argv: *mut qjs::JSValue,
    _magic: c_int,
) -> qjs::JSValue {
    if argc > 0 {
        return qjs::JS_UNDEFINED;
    }
    let Some(raw) = std::ptr::NonNull::new(ctx) else {
        return qjs::JS_EXCEPTION;
    };
    // SAFETY: the engine passes a live, entered context.
    let rctx = unsafe { rquickjs::Ctx::from_raw(raw) };
    let (_, unix_ms) = crate::runtime::RuntimeState::of(&rctx).time_origin;
    qjs::JS_NewFloat64(unix_ms)
}

/// Puts a wrapper of `proto[name]` in its place (a method the engine lacks is
/// left alone).
///
/// # Safety
/// `raw` is live and entered, `proto` an object; `extra` is borrowed.
unsafe fn wrap(
    raw: *mut qjs::JSContext,
    proto: qjs::JSValue,
    name: &CStr,
    length: c_int,
    kind: c_int,
    extra: qjs::JSValue,
) -> rquickjs::Result<()> {
    unsafe {
        let original = qjs::JS_GetPropertyStr(raw, proto, name.as_ptr());
        if qjs::JS_IsException(original) {
            return Err(rquickjs::Error::Exception);
        }
        if !qjs::JS_IsFunction(raw, original) {
            qjs::JS_FreeValue(raw, original);
            return Ok(());
        }
        // The function's data: the engine's method and, for setters, setTime.
        // JS_NewCFunctionData2 takes its own references.
        let mut data = [original, extra];
        let wrapper = qjs::JS_NewCFunctionData2(
            raw,
            Some(call_wrapped),
            name.as_ptr(),
            length,
            kind,
            2,
            data.as_mut_ptr(),
        );
        qjs::JS_FreeValue(raw, original);
        if qjs::JS_IsException(wrapper) {
            return Err(rquickjs::Error::Exception);
        }
        let flags = (qjs::JS_PROP_WRITABLE | qjs::JS_PROP_CONFIGURABLE) as c_int;
        if qjs::JS_DefinePropertyValueStr(raw, proto, name.as_ptr(), wrapper, flags) < 0 {
            return Err(rquickjs::Error::Exception);
        }
        Ok(())
    }
}

/// A wrapped method: calls the engine's, then fixes what it returned.
unsafe extern "C" fn call_wrapped(
    ctx: *mut qjs::JSContext,
    this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    kind: c_int,
    data: *mut qjs::JSValue,
) -> qjs::JSValue {
    // SAFETY: the engine passes the live context, the call's arguments and
    // the two data values given at creation.
    unsafe {
        let original = *data;
        let result = qjs::JS_Call(ctx, original, this, argc, argv);
        if qjs::JS_IsException(result) {
            return result;
        }
        match kind {
            SETTER => {
                let mut time = 0.0;
                if qjs::JS_ToFloat64(ctx, &mut time, result) == 0 && time.is_nan() {
                    // The engine validated `this` already: store the NaN.
                    let mut nan = qjs::JS_NewFloat64(f64::NAN);
                    let stored = qjs::JS_Call(ctx, *data.add(1), this, 1, &mut nan);
                    if qjs::JS_IsException(stored) {
                        qjs::JS_FreeValue(ctx, result);
                        return stored;
                    }
                    qjs::JS_FreeValue(ctx, stored);
                }
                result
            }
            _ => {
                if !qjs::JS_IsString(result) {
                    return result;
                }
                let mut len: qjs::size_t = 0;
                let text = qjs::JS_ToCStringLen2(ctx, &mut len, result, false);
                if text.is_null() {
                    return result;
                }
                let bytes = std::slice::from_raw_parts(text.cast::<u8>(), len as usize);
                let fixed = std::str::from_utf8(bytes).ok().and_then(unpad_locale);
                qjs::JS_FreeCString(ctx, text);
                match fixed {
                    Some(fixed) => {
                        qjs::JS_FreeValue(ctx, result);
                        qjs::JS_NewStringLen(ctx, fixed.as_ptr().cast(), fixed.len() as _)
                    }
                    None => result,
                }
            }
        }
    }
}

/// "01/02/2024, 03:04:05 AM" -> "1/2/2024, 3:04:05 AM": no leading zero on
/// the month, the day or the hour, as Node prints en-US dates. `None` when
/// nothing changes (say "Invalid Date").
fn unpad_locale(text: &str) -> Option<String> {
    let mut changed = false;
    let parts: Vec<String> = text
        .split(", ")
        .map(|part| {
            if part.contains('/') {
                let fields: Vec<&str> = part.split('/').collect();
                fields
                    .iter()
                    .enumerate()
                    .map(|(i, field)| unpad(field, i < 2 && fields.len() == 3, &mut changed))
                    .collect::<Vec<_>>()
                    .join("/")
            } else if let Some((hour, rest)) = part.split_once(':') {
                format!("{}:{rest}", unpad(hour, true, &mut changed))
            } else {
                part.to_string()
            }
        })
        .collect();
    changed.then(|| parts.join(", "))
}

/// Drops one leading zero of a two-digit field when `strip`.
fn unpad<'a>(field: &'a str, strip: bool, changed: &mut bool) -> &'a str {
    let bytes = field.as_bytes();
    if strip && bytes.len() == 2 && bytes[0] == b'0' && bytes[1].is_ascii_digit() {
        *changed = true;
        &field[1..]
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::unpad_locale;

    #[test]
    fn locale_strings_lose_their_padding() {
        assert_eq!(
            unpad_locale("01/02/2024, 03:04:05 AM").as_deref(),
            Some("1/2/2024, 3:04:05 AM")
        );
        assert_eq!(unpad_locale("12/31/1969").as_deref(), None);
        assert_eq!(unpad_locale("09:00:00 PM").as_deref(), Some("9:00:00 PM"));
        assert_eq!(unpad_locale("Invalid Date"), None);
        assert_eq!(unpad_locale("01/02/0099").as_deref(), Some("1/2/0099"));
    }
}
