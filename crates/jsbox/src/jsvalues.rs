//! Reading values that came from scripts without trusting their shape, and
//! calling back into scripts from Rust without moving the engine's stack limit.

use rquickjs::{qjs, Ctx, Function, Object, Value};

/// The elements of the array (or array-like) `value`, refusing one whose
/// `length` is above `max`. rquickjs's own `Vec` conversion trusts `length`,
/// so a sparse `new Array(2 ** 32 - 1)` would make it allocate without bound
/// or panic; this reads `length` as a number and checks it first.
pub(crate) fn bounded_items<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    what: &str,
    max: usize,
) -> rquickjs::Result<Vec<Value<'js>>> {
    let Some(object) = value.as_object() else {
        return Err(crate::host::throw_coded(
            ctx,
            &format!("{what} must be an array"),
            "ERR_INVALID_ARG_TYPE",
            None,
            &[],
        ));
    };
    let length: f64 = object.get::<_, Option<f64>>("length")?.unwrap_or(0.0);
    if !(0.0..=max as f64).contains(&length) {
        return Err(crate::host::throw_coded(
            ctx,
            &format!("{what} has {length} elements; at most {max} are accepted"),
            "ERR_OUT_OF_RANGE",
            None,
            &[],
        ));
    }
    (0..length as u32).map(|i| object.get(i)).collect()
}

/// Like [`bounded_items`], converting each element to a string as `String(x)`
/// would not: only string elements are accepted.
pub(crate) fn bounded_strings<'js>(
    ctx: &Ctx<'js>,
    value: &Value<'js>,
    what: &str,
    max: usize,
) -> rquickjs::Result<Vec<String>> {
    bounded_items(ctx, value, what, max)?
        .into_iter()
        .map(|item| match item.as_string() {
            Some(s) => s.to_string(),
            None => Err(crate::host::throw_coded(
                ctx,
                &format!("{what} must hold strings only"),
                "ERR_INVALID_ARG_TYPE",
                None,
                &[],
            )),
        })
        .collect()
}

/// Calls `function` with `this` and `args`, leaving the engine's stack limit
/// where it is. rquickjs's `Function::call` measures the limit again from the
/// calling frame, so script code called from inside a native function, which
/// may reach that native function again, could recurse past the thread's
/// stack; every call jsbox makes into scripts from native code goes here.
pub(crate) fn call_in_place<'js>(
    ctx: &Ctx<'js>,
    function: &Function<'js>,
    this: &Value<'js>,
    args: &[Value<'js>],
) -> rquickjs::Result<Value<'js>> {
    let mut raw: Vec<qjs::JSValue> = args.iter().map(Value::as_raw).collect();
    let argc = i32::try_from(raw.len()).unwrap_or(i32::MAX);
    // SAFETY: every value is a live value of this context, borrowed for the
    // call; the result is an owned value (or the exception marker, with the
    // exception left pending for the caller).
    unsafe {
        let result = qjs::JS_Call(
            ctx.as_raw().as_ptr(),
            function.as_raw(),
            this.as_raw(),
            argc,
            raw.as_mut_ptr(),
        );
        if qjs::JS_IsException(result) {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Value::from_raw(ctx.clone(), result))
    }
}

/// `object.method()`, through [`call_in_place`], when `object` has a callable
/// `method`.
pub(crate) fn call_method<'js>(
    ctx: &Ctx<'js>,
    object: &Object<'js>,
    method: &str,
) -> Option<rquickjs::Result<Value<'js>>> {
    let function = object.get::<_, Function>(method).ok()?;
    Some(call_in_place(ctx, &function, object.as_value(), &[]))
}
