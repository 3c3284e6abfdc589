//! Encoding JS values for the call log: JSON, with functions as `"<function>"`,
//! `undefined` as `null`, BigInt as a decimal string, cycles marked
//! `"[Circular]"`, and payloads over the size limit truncated with a marker.

use rquickjs::{Object, Value};
use serde_json::{Map, Value as Json};

use crate::jsvalues::call_method;

const MAX_DEPTH: usize = 32;

/// The walk over one value: the objects being encoded (for cycles) and how
/// many more values may be visited. Scripts choose what is logged, so the
/// walk is bounded whatever `length` an array claims or however many
/// properties an object has; what is cut is marked `"[Truncated]"`.
struct Walk<'js> {
    stack: Vec<Object<'js>>,
    left: usize,
}

fn encode_value<'js>(value: &Value<'js>, walk: &mut Walk<'js>) -> Json {
    if walk.left == 0 {
        return Json::String("[Truncated]".to_string());
    }
    walk.left -= 1;
    if value.is_undefined() || value.is_null() {
        return Json::Null;
    }
    if let Some(b) = value.as_bool() {
        return Json::Bool(b);
    }
    if let Some(i) = value.as_int() {
        return Json::from(i);
    }
    if let Some(f) = value.as_float() {
        return serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number);
    }
    if let Some(s) = value.as_string() {
        return Json::String(s.to_string().unwrap_or_default());
    }
    if let Some(big) = value.as_big_int() {
        return Json::String(
            big.clone()
                .to_i64()
                .map_or_else(|_| "<bigint>".to_string(), |i| i.to_string()),
        );
    }
    if value.is_function() {
        return Json::String("<function>".to_string());
    }
    if value.is_symbol() {
        return Json::String("<symbol>".to_string());
    }
    if value.is_promise() {
        return Json::String("<promise>".to_string());
    }
    let Some(object) = value.as_object() else {
        return Json::Null;
    };
    if walk.stack.iter().any(|seen| seen == object) {
        return Json::String("[Circular]".to_string());
    }
    if walk.stack.len() >= MAX_DEPTH {
        return Json::String("[Depth]".to_string());
    }
    if value.is_error() {
        let name: String = object.get("name").unwrap_or_else(|_| "Error".to_string());
        let message: String = object.get("message").unwrap_or_default();
        return Json::String(format!("{name}: {message}"));
    }
    if let Some(Ok(converted)) = call_method(object.ctx(), object, "toJSON") {
        if !converted.is_object() {
            return encode_value(&converted, walk);
        }
    }
    walk.stack.push(object.clone());
    let encoded = if value.is_array() {
        // `length` read as a number: a sparse array may claim 2^32 - 1.
        let length = object.get::<_, f64>("length").unwrap_or(0.0).max(0.0);
        let shown = (length as usize).min(walk.left);
        let mut items: Vec<Json> = (0..shown as u32)
            .map(|i| {
                object
                    .get::<_, Value>(i)
                    .map_or(Json::Null, |item| encode_value(&item, walk))
            })
            .collect();
        if (shown as f64) < length {
            items.push(Json::String("[Truncated]".to_string()));
        }
        Json::Array(items)
    } else {
        let mut map = Map::new();
        for (key, item) in object.props::<String, Value>().flatten() {
            if walk.left == 0 {
                map.insert("[Truncated]".to_string(), Json::Bool(true));
                break;
            }
            map.insert(key, encode_value(&item, walk));
        }
        Json::Object(map)
    };
    walk.stack.pop();
    encoded
}

/// Encodes `value` as JSON text of at most about `max_bytes` bytes.
pub(crate) fn encode(value: &Value<'_>, max_bytes: usize) -> String {
    let mut walk = Walk {
        stack: Vec::new(),
        // Every value encodes to at least one byte.
        left: max_bytes.max(1),
    };
    let text = encode_value(value, &mut walk).to_string();
    truncate(text, max_bytes)
}

/// Replaces JSON text longer than `max_bytes` by a marker object holding its
/// size and a prefix, so what is stored stays valid JSON.
pub(crate) fn truncate(text: String, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text;
    }
    let mut cut = max_bytes.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    serde_json::json!({ "$truncated": true, "bytes": text.len(), "prefix": &text[..cut] })
        .to_string()
}
