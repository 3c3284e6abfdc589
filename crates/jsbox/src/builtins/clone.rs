//! The native half of `structuredClone` (`js/prelude/clone.js`): what kind of
//! object a value is, by the engine's own class (brand checks a script cannot
//! fake, proxies included), and detaching a transferred `ArrayBuffer`.

use rquickjs::{qjs, Ctx, Function, Object, Value};

type JsResult<T> = rquickjs::Result<T>;

/// What `kind` returns; `js/prelude/clone.js` has the same table.
const OTHER: i32 = 0;
const PLAIN: i32 = 1;
const ARRAY: i32 = 2;
const ERROR: i32 = 3;
const DATE: i32 = 4;
const REGEXP: i32 = 5;
const MAP: i32 = 6;
const SET: i32 = 7;
const ARRAY_BUFFER: i32 = 8;
const SHARED_ARRAY_BUFFER: i32 = 9;
const TYPED_ARRAY: i32 = 10;
const DATA_VIEW: i32 = 11;
const PROXY: i32 = 12;

/// The class of an object made with `{}` (the engine's first class): plain
/// objects, class instances and `Object.create(null)` alike.
fn plain_class(ctx: &Ctx<'_>) -> JsResult<qjs::JSClassID> {
    let object = Object::new(ctx.clone())?;
    // SAFETY: a live object of this context.
    Ok(unsafe { qjs::JS_GetClassID(object.as_raw()) })
}

fn kind(plain: qjs::JSClassID, shared: qjs::JSClassID, value: &Value<'_>) -> i32 {
    if !value.is_object() {
        return OTHER;
    }
    let v = value.as_raw();
    // SAFETY: class checks of a live value; none of them runs JavaScript.
    unsafe {
        if qjs::JS_GetClassID(v) == plain {
            PLAIN
        } else if qjs::JS_IsArray(v) {
            ARRAY
        } else if qjs::JS_IsProxy(v) {
            PROXY
        } else if qjs::JS_GetTypedArrayType(v) >= 0 {
            TYPED_ARRAY
        } else if qjs::JS_IsArrayBuffer(v) {
            ARRAY_BUFFER
        } else if qjs::JS_IsError(v) {
            ERROR
        } else if qjs::JS_IsDate(v) {
            DATE
        } else if qjs::JS_IsRegExp(v) {
            REGEXP
        } else if qjs::JS_IsMap(v) {
            MAP
        } else if qjs::JS_IsSet(v) {
            SET
        } else if qjs::JS_IsDataView(v) {
            DATA_VIEW
        } else if qjs::JS_GetClassID(v) == shared {
            SHARED_ARRAY_BUFFER
        } else {
            OTHER
        }
    }
}

/// The class of SharedArrayBuffer objects (the engine exports no check for
/// it): read from one made for the purpose.
fn shared_array_buffer_class(ctx: &Ctx<'_>) -> JsResult<qjs::JSClassID> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the context is live and entered and has its typed-array
    // intrinsics (bindings are made after they are added); the engine
    // allocates the empty buffer itself, and the value is released at once.
    unsafe {
        let buffer = qjs::JS_NewArrayBuffer(
            raw,
            std::ptr::null_mut(),
            0,
            0,
            None,
            std::ptr::null_mut(),
            true,
        );
        if qjs::JS_IsException(buffer) {
            return Err(rquickjs::Error::Exception);
        }
        let class = qjs::JS_GetClassID(buffer);
        qjs::JS_FreeValue(raw, buffer);
        Ok(class)
    }
}

/// Builds the binding object for one runtime (stateless: heap images build
/// it once).
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> JsResult<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    let (plain, shared) = (plain_class(ctx)?, shared_array_buffer_class(ctx)?);
    b.set(
        "kind",
        Function::new(ctx.clone(), move |value: Value<'js>| {
            kind(plain, shared, &value)
        })?,
    )?;
    b.set(
        "detach",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, buffer: Value<'js>| {
            // SAFETY: a live value; the engine ignores anything but an
            // ArrayBuffer that is not detached yet.
            unsafe { qjs::JS_DetachArrayBuffer(ctx.as_raw().as_ptr(), buffer.as_raw()) }
        })?,
    )?;
    Ok(b)
}
