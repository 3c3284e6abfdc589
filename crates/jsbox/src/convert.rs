//! Converting script results into Rust values.

use rquickjs::{Ctx, Type, Value};

use crate::error::{Error, Result};

mod sealed {
    /// Only jsbox implements [`FromJsValue`](super::FromJsValue).
    pub trait Sealed {}
}

/// A Rust type that a script result can be converted into.
///
/// Implemented for `()`, `bool`, the integer types, `f64`, `String`,
/// `serde_json::Value`, `Option<T>` (`null`/`undefined` become `None`),
/// `Vec<T>`, and [`Json<T>`] for any type serde can deserialize.
/// Conversions are strict: a string is not silently turned into a number.
///
/// The trait is sealed: a conversion gets the engine context, and code that
/// kept a handle to a JavaScript value (an `rquickjs::Persistent`, say) past
/// its runtime could reach another runtime's heap. Convert your own types with
/// [`Json<T>`] instead:
///
/// ```compile_fail
/// struct Mine;
/// impl jsbox::FromJsValue for Mine {
///     fn from_js_value<'js>(
///         _: &jsbox::rquickjs::Ctx<'js>,
///         _: jsbox::rquickjs::Value<'js>,
///     ) -> jsbox::Result<Self> {
///         Ok(Mine)
///     }
/// }
/// ```
pub trait FromJsValue: Sized + sealed::Sealed {
    /// Converts `value`, or explains why it cannot be.
    #[doc(hidden)]
    fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self>;
}

/// A value converted through JSON: the way to get your own types out of a
/// runtime (any type serde can deserialize, as a result) and in (any type
/// serde can serialize, as an argument of [`Runtime::call`](crate::Runtime::call)
/// and friends).
///
/// ```
/// #[derive(serde::Deserialize, serde::Serialize)]
/// struct Point { x: i32, y: i32 }
///
/// let rt = jsbox::open(jsbox::Options::new())?;
/// let jsbox::Json(p) = rt.eval::<jsbox::Json<Point>>("({ x: 1, y: 2 })")?;
/// assert_eq!((p.x, p.y), (1, 2));
///
/// rt.eval::<()>("function norm(p) { return Math.abs(p.x) + Math.abs(p.y) }")?;
/// let n: i64 = rt.call("norm", (jsbox::Json(Point { x: 3, y: -4 }),))?;
/// assert_eq!(n, 7);
/// # Ok::<(), jsbox::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: serde::de::DeserializeOwned> sealed::Sealed for Json<T> {}

impl<T: serde::de::DeserializeOwned> FromJsValue for Json<T> {
    fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        let json = serde_json::Value::from_js_value(ctx, value)?;
        serde_json::from_value(json)
            .map(Json)
            .map_err(|e| Error::Conversion(e.to_string()))
    }
}

/// As an argument: serialised to JSON text, then parsed by the engine into a
/// fresh value of the runtime it is passed to.
impl<'js, T: serde::Serialize> rquickjs::IntoJs<'js> for Json<T> {
    fn into_js(self, ctx: &Ctx<'js>) -> rquickjs::Result<Value<'js>> {
        let text = serde_json::to_string(&self.0).map_err(|e| rquickjs::Error::IntoJs {
            from: "Json<T>",
            to: "a JavaScript value",
            message: Some(e.to_string()),
        })?;
        ctx.json_parse(text)
    }
}

fn mismatch<T>(value: &Value<'_>, wanted: &str) -> Result<T> {
    Err(Error::Conversion(format!(
        "expected {wanted}, the script returned {}",
        type_name(value)
    )))
}

fn type_name(value: &Value<'_>) -> &'static str {
    match value.type_of() {
        Type::Uninitialized | Type::Undefined => "undefined",
        Type::Null => "null",
        Type::Bool => "a boolean",
        Type::Int | Type::Float => "a number",
        Type::String => "a string",
        Type::Symbol => "a symbol",
        Type::BigInt => "a bigint",
        Type::Array => "an array",
        Type::Function | Type::Constructor => "a function",
        Type::Promise => "a promise",
        Type::Exception => "an error",
        _ => "an object",
    }
}

impl sealed::Sealed for () {}
impl FromJsValue for () {
    fn from_js_value<'js>(_: &Ctx<'js>, _: Value<'js>) -> Result<Self> {
        Ok(())
    }
}

impl sealed::Sealed for bool {}
impl FromJsValue for bool {
    fn from_js_value<'js>(_: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        match value.as_bool() {
            Some(b) => Ok(b),
            None => mismatch(&value, "a boolean"),
        }
    }
}

impl sealed::Sealed for f64 {}
impl FromJsValue for f64 {
    fn from_js_value<'js>(_: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        match value.as_number() {
            Some(n) => Ok(n),
            None => mismatch(&value, "a number"),
        }
    }
}

impl sealed::Sealed for i64 {}
impl FromJsValue for i64 {
    fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        if let Some(i) = value.as_int() {
            return Ok(i64::from(i));
        }
        let n = f64::from_js_value(ctx, value)?;
        // 2^63 is exactly representable; anything at or beyond it does not fit.
        if n.fract() == 0.0
            && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n)
        {
            Ok(n as i64)
        } else {
            Err(Error::Conversion(format!(
                "{n} is not an integer that fits in i64"
            )))
        }
    }
}

macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl FromJsValue for $t {
            fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
                let wide = i64::from_js_value(ctx, value)?;
                <$t>::try_from(wide).map_err(|_| {
                    Error::Conversion(format!("{wide} does not fit in {}", stringify!($t)))
                })
            }
        }
    )*};
}
narrow_int!(i8, i16, i32, u8, u16, u32, u64, usize);

impl sealed::Sealed for String {}
impl FromJsValue for String {
    fn from_js_value<'js>(_: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        match value.as_string() {
            Some(s) => s.to_string().map_err(|e| Error::Conversion(e.to_string())),
            None => mismatch(&value, "a string"),
        }
    }
}

impl<T: FromJsValue> sealed::Sealed for Option<T> {}
impl<T: FromJsValue> FromJsValue for Option<T> {
    fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        if value.is_null() || value.is_undefined() {
            Ok(None)
        } else {
            T::from_js_value(ctx, value).map(Some)
        }
    }
}

impl<T: FromJsValue> sealed::Sealed for Vec<T> {}
impl<T: FromJsValue> FromJsValue for Vec<T> {
    fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        let Some(array) = value.as_array() else {
            return mismatch(&value, "an array");
        };
        array
            .iter::<Value>()
            .map(|item| {
                let item = item.map_err(|e| Error::Conversion(e.to_string()))?;
                T::from_js_value(ctx, item)
            })
            .collect()
    }
}

/// JSON semantics: `toJSON` is honoured, `undefined` becomes `null`, functions
/// and symbols inside objects are skipped, cycles and BigInts are errors.
impl sealed::Sealed for serde_json::Value {}
impl FromJsValue for serde_json::Value {
    fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        let json = match ctx.json_stringify(value) {
            Ok(json) => json,
            Err(rquickjs::Error::Exception) => {
                let thrown = ctx.catch();
                let message = thrown
                    .as_object()
                    .and_then(|o| o.get::<_, String>("message").ok())
                    .unwrap_or_else(|| "not representable as JSON".to_string());
                return Err(Error::Conversion(message));
            }
            Err(e) => return Err(Error::Conversion(e.to_string())),
        };
        let Some(json) = json else {
            return Ok(serde_json::Value::Null);
        };
        let text = json
            .to_string()
            .map_err(|e| Error::Conversion(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| Error::Conversion(e.to_string()))
    }
}
