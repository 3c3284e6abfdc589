//! Engine errors and panics turned into jsbox errors: the pending exception's
//! name, message, stack and code, and a panic caught at the engine boundary.

use std::panic::{catch_unwind, AssertUnwindSafe};

use rquickjs::{Ctx, Function, Object, Value};

use crate::error::{Error, JsException, Result};
use crate::host::internals;

pub(super) fn not_a_function(name: &str) -> Error {
    Error::Exception(Box::new(JsException::new(
        "TypeError",
        format!("{name} is not a function"),
    )))
}

/// Runs `f` with the panic boundary in place: a panic in native code becomes
/// [`Error::Panic`] instead of unwinding through the engine.
pub(crate) fn guarded<R>(f: impl FnOnce() -> Result<R>) -> Result<R> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(Error::Panic(panic_message(payload.as_ref()))))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-string payload".to_string()
    }
}

/// Turns an engine error into a jsbox error, taking the pending exception when
/// there is one.
pub(crate) fn js_error(ctx: &Ctx<'_>, error: rquickjs::Error) -> Error {
    match error {
        rquickjs::Error::Exception => exception_error(ctx, ctx.catch()),
        other => Error::Engine(other.to_string()),
    }
}

fn string_prop(object: &Object<'_>, key: &str) -> Option<String> {
    object.get::<_, Option<String>>(key).ok().flatten()
}

pub(super) fn exception_error<'js>(ctx: &Ctx<'js>, thrown: Value<'js>) -> Error {
    let exception = match thrown.as_object() {
        Some(object) if thrown.is_error() => JsException {
            name: string_prop(object, "name").unwrap_or_else(|| "Error".to_string()),
            message: string_prop(object, "message").unwrap_or_default(),
            stack: user_frames(&string_prop(object, "stack").unwrap_or_default()),
            code: string_prop(object, "code"),
            is_error: true,
        },
        _ => JsException {
            name: String::new(),
            message: describe_thrown(ctx, thrown.clone()),
            stack: String::new(),
            code: None,
            is_error: false,
        },
    };
    match exception.code.as_deref() {
        Some("MODULE_NOT_FOUND") => Error::ModuleNotFound {
            specifier: quoted_specifier(&exception.message),
            exception: Box::new(exception),
        },
        Some("ERR_JSBOX_LOADER") => {
            let path = thrown
                .as_object()
                .and_then(|o| string_prop(o, "path"))
                .unwrap_or_default();
            let prefix = format!("cannot read {path}: ");
            Error::Loader {
                message: exception
                    .message
                    .strip_prefix(&prefix)
                    .unwrap_or(&exception.message)
                    .to_string(),
                path: path.into(),
            }
        }
        Some("ERR_ACCESS_DENIED") => Error::AccessDenied(exception.message),
        _ => Error::Exception(Box::new(exception)),
    }
}

fn describe_thrown<'js>(ctx: &Ctx<'js>, thrown: Value<'js>) -> String {
    let shown = internals(ctx)
        .and_then(|internals| internals.get::<_, Object>("util"))
        .and_then(|util| util.get::<_, Function>("inspect"))
        .and_then(|inspect| inspect.call::<_, String>((thrown,)));
    shown.unwrap_or_else(|_| "a value that cannot be shown".to_string())
}

/// Drops the frames of jsbox's own prelude from a stack trace, and the engine's
/// native frames (`at apply (native)`) below the last frame of user code:
/// those are jsbox's plumbing (the module loader's call into a module).
fn user_frames(stack: &str) -> String {
    let is_jsbox = |line: &str| line.contains("(jsbox:") || line.contains(" at jsbox:");
    let is_native = |line: &str| line.trim_end().ends_with("(native)");
    let lines: Vec<&str> = stack.lines().filter(|line| !is_jsbox(line)).collect();
    let last_user = lines.iter().rposition(|line| !is_native(line));
    lines[..last_user.map_or(0, |i| i + 1)]
        .iter()
        .map(|line| format!("{line}\n"))
        .collect()
}

/// `Cannot find module 'x'\n...` → `x`.
fn quoted_specifier(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or_default();
    match (first_line.find('\''), first_line.rfind('\'')) {
        (Some(start), Some(end)) if end > start => first_line[start + 1..end].to_string(),
        _ => first_line.to_string(),
    }
}
