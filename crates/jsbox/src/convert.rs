//! Converting script results into Rust values.

use rquickjs::{Ctx, Type, Value};

use crate::error::{Error, Result};

/// A Rust type that a script result can be converted into.
///
/// Implemented for `()`, `bool`, the integer types, `f64`, `String`,
/// `serde_json::Value`, `Option<T>` (`null`/`undefined` become `None`) and `Vec<T>`.
/// Conversions are strict: a string is not silently turned into a number.
pub trait FromJsValue: Sized {
    /// Converts `value`, or explains why it cannot be.
    fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self>;
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

impl FromJsValue for () {
    fn from_js_value<'js>(_: &Ctx<'js>, _: Value<'js>) -> Result<Self> {
        Ok(())
    }
}

impl FromJsValue for bool {
    fn from_js_value<'js>(_: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        match value.as_bool() {
            Some(b) => Ok(b),
            None => mismatch(&value, "a boolean"),
        }
    }
}

impl FromJsValue for f64 {
    fn from_js_value<'js>(_: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        match value.as_number() {
            Some(n) => Ok(n),
            None => mismatch(&value, "a number"),
        }
    }
}

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

impl FromJsValue for String {
    fn from_js_value<'js>(_: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        match value.as_string() {
            Some(s) => s.to_string().map_err(|e| Error::Conversion(e.to_string())),
            None => mismatch(&value, "a string"),
        }
    }
}

impl<T: FromJsValue> FromJsValue for Option<T> {
    fn from_js_value<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Self> {
        if value.is_null() || value.is_undefined() {
            Ok(None)
        } else {
            T::from_js_value(ctx, value).map(Some)
        }
    }
}

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
