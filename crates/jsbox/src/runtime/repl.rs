//! What a read-eval-print loop needs from a runtime: telling an unfinished
//! input from a finished one, and evaluating an input the way Node's REPL does
//! (top-level `await`, `_` and `_error`, results shown by `util.inspect`).

use rquickjs::promise::PromiseState;
use rquickjs::{Ctx, Function, Object, Persistent, Promise, Value};

use super::errors::{exception_error, js_error};
use super::Runtime;
use crate::compile::{compile_to_bytecode, eval_script, eval_script_async};
use crate::error::{Error, JsException, Result};

/// The file name REPL inputs carry in stack traces.
const REPL_FILE: &str = "<repl>";

impl Runtime {
    /// Evaluates `source` and returns its completion value formatted by
    /// `util.inspect`, strings quoted (what a REPL shows).
    pub fn eval_inspect(&self, source: &str) -> Result<String> {
        self.eval_formatted(source, "inspect")
    }

    /// Evaluates `source` and returns its completion value as `console.log` would
    /// print it, strings raw (what `node -p` shows).
    pub fn eval_format(&self, source: &str) -> Result<String> {
        self.eval_formatted(source, "format")
    }

    fn eval_formatted(&self, source: &str, how: &str) -> Result<String> {
        self.enter(|ctx, internals| {
            let value = eval_script(ctx, source, "<eval>").map_err(|e| js_error(ctx, e))?;
            show(ctx, internals, how, value)
        })
    }

    /// Tells whether `source` is unfinished: more lines could complete it (an
    /// open block, object, array, call, class body, template literal or
    /// string continued with `\`). A REPL asks for continuation lines while
    /// this holds. The input is compiled, never run.
    ///
    /// The rule: compiling fails with a `SyntaxError` that the parser raised at
    /// the end of the input (or one that says so), not at a token inside it.
    pub fn is_incomplete(&self, source: &str) -> bool {
        let outcome = self.enter(|ctx, _| {
            compile_to_bytecode(ctx, source, REPL_FILE).map_err(|e| js_error(ctx, e))
        });
        let Err(Error::Exception(error)) = outcome else {
            return false;
        };
        if error.name != "SyntaxError" {
            return false;
        }
        let message = error.message.to_ascii_lowercase();
        if message.contains("unexpected end") || message.ends_with(": ''") {
            return true;
        }
        match error.location() {
            Some((_, line, column)) => past_the_end(source, line, column),
            None => false,
        }
    }

    /// Evaluates one REPL input as Node's REPL does and returns its value as
    /// `util.inspect` shows it.
    ///
    /// - `await` works at top level: the event loop runs (timers included)
    ///   until the awaited promise settles. Declarations stay global, as they
    ///   are for other inputs.
    /// - `_` holds the last value and `_error` the last error thrown, until the
    ///   script assigns one of them itself (then a note is printed and the REPL
    ///   leaves it alone).
    ///
    /// ```
    /// let rt = jsbox::open(jsbox::Options::new())?;
    /// rt.eval_repl("const ms = await new Promise(r => setTimeout(() => r(5), 5))")?;
    /// assert_eq!(rt.eval_repl("ms * 2")?, "10");
    /// assert_eq!(rt.eval_repl("_ + 1")?, "11");
    /// # Ok::<(), jsbox::Error>(())
    /// ```
    pub fn eval_repl(&self, source: &str) -> Result<String> {
        let awaited = self.enter(|ctx, internals| {
            if needs_async(ctx, source) {
                let promise =
                    eval_script_async(ctx, source, REPL_FILE).map_err(|e| thrown(ctx, e))?;
                let promise = promise
                    .into_promise()
                    .ok_or_else(|| Error::Engine("top-level await gave no promise".into()))?;
                super::esm::awaited_by_host(ctx, &promise)?;
                return Ok(Err(Persistent::save(ctx, promise)));
            }
            let value = eval_script(ctx, source, REPL_FILE).map_err(|e| thrown(ctx, e))?;
            record(ctx, "_", value.clone())?;
            show(ctx, internals, "inspect", value).map(Ok)
        })?;
        let promise = match awaited {
            Ok(shown) => return Ok(shown),
            Err(promise) => promise,
        };
        self.run_loop(None, || {
            self.enter(|ctx, _| {
                let promise = promise.clone().restore(ctx).map_err(|e| js_error(ctx, e))?;
                Ok(promise.state() != PromiseState::Pending)
            })
        })?;
        self.enter(|ctx, internals| {
            let promise: Promise = promise.restore(ctx).map_err(|e| js_error(ctx, e))?;
            // Awaited here: a rejection is this input's error, not an unhandled one.
            let forget: Function = internals
                .get("trackRejection")
                .map_err(|e| js_error(ctx, e))?;
            forget
                .call::<_, ()>((promise.clone(), Value::new_undefined(ctx.clone()), true))
                .map_err(|e| js_error(ctx, e))?;
            match promise.result::<Object>() {
                None => Err(Error::Exception(Box::new(JsException::new(
                    "Error",
                    "the awaited promise never settled: nothing left in the event loop \
                     could settle it",
                )))),
                Some(Ok(completion)) => {
                    let value: Value = completion.get("value").map_err(|e| js_error(ctx, e))?;
                    record(ctx, "_", value.clone())?;
                    show(ctx, internals, "inspect", value)
                }
                Some(Err(error)) => Err(thrown(ctx, error)),
            }
        })
    }
}

/// Whether `source` must run as an async script: it mentions `await` and does
/// not compile as a plain script (where `await` may be an identifier).
fn needs_async(ctx: &Ctx<'_>, source: &str) -> bool {
    if !source.contains("await") {
        return false;
    }
    if compile_to_bytecode(ctx, source, REPL_FILE).is_ok() {
        return false;
    }
    // The compile error is not this input's: an async compile reports its own.
    let _ = ctx.catch();
    true
}

/// Whether the position (1-based `line`, `column`) lies after the last
/// character of `source` that is not whitespace: the parser hit the end.
fn past_the_end(source: &str, line: u32, column: u32) -> bool {
    let content = source.trim_end();
    let last_line = content.lines().count().max(1) as u32;
    let last_column = content.lines().last().map_or(0, |l| l.chars().count()) as u32;
    line > last_line || (line == last_line && column > last_column)
}

/// `util.inspect(value)` or `util.format(value)`.
fn show<'js>(
    ctx: &Ctx<'js>,
    internals: &Object<'js>,
    how: &str,
    value: Value<'js>,
) -> Result<String> {
    let util: Object = internals.get("util").map_err(|e| js_error(ctx, e))?;
    let format: Function = util.get(how).map_err(|e| js_error(ctx, e))?;
    format.call((value,)).map_err(|e| js_error(ctx, e))
}

/// Stores the REPL's `_` or `_error`.
fn record<'js>(ctx: &Ctx<'js>, name: &str, value: Value<'js>) -> Result<()> {
    let record: Function =
        crate::host::entry_function(ctx, "replRecord").map_err(|e| js_error(ctx, e))?;
    record
        .call::<_, ()>((name, value))
        .map_err(|e| js_error(ctx, e))
}

/// The error an input threw, kept as `_error` on the way to Rust.
fn thrown<'js>(ctx: &Ctx<'js>, error: rquickjs::Error) -> Error {
    if !matches!(error, rquickjs::Error::Exception) {
        return js_error(ctx, error);
    }
    let value = ctx.catch();
    // An uncatchable error (a time limit, process.exit) is not a script value.
    if let Err(failed) = record(ctx, "_error", value.clone()) {
        return failed;
    }
    exception_error(ctx, value)
}
