//! Encoding JS values for the call log: JSON, with functions as `"<function>"`,
//! `undefined` as `null`, BigInt as a decimal string, cycles marked
//! `"[Circular]"`, and payloads over the size limit truncated with a marker.

use rquickjs::{Function, Object, Value};
use serde_json::{Map, Value as Json};

const MAX_DEPTH: usize = 32;

fn encode_value<'js>(value: &Value<'js>, stack: &mut Vec<Object<'js>>) -> Json {
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
    if stack.iter().any(|seen| seen == object) {
        return Json::String("[Circular]".to_string());
    }
    if stack.len() >= MAX_DEPTH {
        return Json::String("[Depth]".to_string());
    }
    if value.is_error() {
        let name: String = object.get("name").unwrap_or_else(|_| "Error".to_string());
        let message: String = object.get("message").unwrap_or_default();
        return Json::String(format!("{name}: {message}"));
    }
    if let Ok(to_json) = object.get::<_, Function>("toJSON") {
        if let Ok(converted) = to_json.call::<_, Value>((rquickjs::function::This(object.clone()),))
        {
            if !converted.is_object() {
                return encode_value(&converted, stack);
            }
        }
    }
    stack.push(object.clone());
    let encoded = if let Some(array) = value.as_array() {
        Json::Array(
            array
                .iter::<Value>()
                .map(|item| item.map_or(Json::Null, |item| encode_value(&item, stack)))
                .collect(),
        )
    } else {
        let mut map = Map::new();
        for (key, item) in object.props::<String, Value>().flatten() {
            map.insert(key, encode_value(&item, stack));
        }
        Json::Object(map)
    };
    stack.pop();
    encoded
}

/// Encodes `value` as JSON text of at most about `max_bytes` bytes.
pub(crate) fn encode(value: &Value<'_>, max_bytes: usize) -> String {
    let text = encode_value(value, &mut Vec::new()).to_string();
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
