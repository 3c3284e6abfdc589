//! ES modules from Rust: importing a module by specifier, an ES module as the
//! main module, and module source evaluated directly. Each runs the event
//! loop until the module graph has evaluated.

use std::path::Path;

use rquickjs::promise::PromiseState;
use rquickjs::{Ctx, Function, Object, Persistent, Promise, Value};

use super::errors::exception_error;
use super::{js_error, Runtime};
use crate::convert::FromJsValue;
use crate::error::{Error, JsException, Result};
use crate::host::entry_function;
use crate::resolve::{resolve, Resolved};

impl Runtime {
    /// Imports `specifier` as an ES module would from the base directory
    /// (`./x.mjs`, a package, `node:fs`, a CommonJS file), runs the event loop
    /// until the module graph has evaluated, and converts its namespace.
    ///
    /// ```
    /// use jsbox::{open, MemoryLoader, Options};
    ///
    /// let rt = open(Options::new().loader(MemoryLoader::new()
    ///     .with("lib.mjs", "export const answer = await Promise.resolve(42);")))?;
    /// let ns: serde_json::Value = rt.import("./lib.mjs")?;
    /// assert_eq!(ns["answer"], 42);
    /// # Ok::<(), jsbox::Error>(())
    /// ```
    pub fn import<T: FromJsValue>(&self, specifier: &str) -> Result<T> {
        self.import_through("importEntry", specifier)
    }

    /// Runs the ES module at the absolute path `filename` as the main module
    /// (no global `require`, as for a CommonJS main module).
    pub(super) fn run_module_main(&self, filename: &str) -> Result<()> {
        // As a URL: a path is never read as URL syntax (`%41`, `?`, `#`).
        self.import_through("importMain", &crate::esm::file_url(filename))
    }

    /// The namespace of `specifier`, imported, kept for a later entry.
    pub(super) fn import_persistent(&self, specifier: &str) -> Result<Persistent<Value<'static>>> {
        let promise = self.enter(|ctx, _| {
            let import: Function =
                entry_function(ctx, "importEntry").map_err(|e| js_error(ctx, e))?;
            let promise: Promise = import.call((specifier,)).map_err(|e| js_error(ctx, e))?;
            awaited_by_host(ctx, &promise)?;
            Ok(Persistent::save(ctx, promise))
        })?;
        self.settle(promise)
    }

    /// Imports through the prelude's `how` (`importEntry` or `importMain`).
    fn import_through<T: FromJsValue>(&self, how: &str, specifier: &str) -> Result<T> {
        let promise = self.enter(|ctx, _| {
            let import: Function = entry_function(ctx, how).map_err(|e| js_error(ctx, e))?;
            let promise: Promise = import.call((specifier,)).map_err(|e| js_error(ctx, e))?;
            awaited_by_host(ctx, &promise)?;
            Ok(Persistent::save(ctx, promise))
        })?;
        let namespace = self.settle(promise)?;
        self.enter(|ctx, _| {
            let value = namespace.restore(ctx).map_err(|e| js_error(ctx, e))?;
            T::from_js_value(ctx, value)
        })
    }

    /// Evaluates `source` as an ES module (as `node --input-type=module`
    /// does), named `[eval]` in the base directory: `import` works, top-level
    /// `await` too, and the event loop runs until the module has evaluated.
    pub fn eval_module(&self, source: &str) -> Result<()> {
        let name = self.shared.base_dir.join("[eval1]");
        let name = name.to_string_lossy().into_owned();
        let promise = self.enter(|ctx, _| {
            let promise =
                crate::esm::evaluate_source(ctx, source, &name).map_err(|e| js_error(ctx, e))?;
            awaited_by_host(ctx, &promise)?;
            Ok(Persistent::save(ctx, promise))
        })?;
        self.settle(promise).map(|_| ())
    }

    pub(super) fn run_module_program<T: FromJsValue>(&self, program: &crate::Program) -> Result<T> {
        let (promise, def) = self.enter(|ctx, _| {
            let (promise, def) =
                crate::esm::evaluate_program(ctx, program.bytecode(), program.name())
                    .map_err(|e| js_error(ctx, e))?;
            awaited_by_host(ctx, &promise)?;
            Ok((Persistent::save(ctx, promise), def))
        })?;
        self.settle(promise)?;
        self.enter(|ctx, _| {
            let namespace = crate::esm::namespace(ctx, def).map_err(|e| js_error(ctx, e))?;
            T::from_js_value(ctx, namespace)
        })
    }

    /// The absolute path to import when `path` names an ES module entry:
    /// found as Node finds a main module, then judged by its format.
    pub(super) fn es_module_entry(&self, path: &Path) -> Option<String> {
        let parent = path.parent().unwrap_or(Path::new("/"));
        let request = path.to_string_lossy();
        let is_native = |_: &str| false;
        match resolve(self.shared.loader.as_ref(), &is_native, &request, parent) {
            Ok(Resolved::File(file)) if crate::esm::is_module_file(&self.shared, &file) => {
                Some(file.to_string_lossy().into_owned())
            }
            _ => None,
        }
    }

    /// Runs the event loop until `promise` settles; its value, or its
    /// rejection as this call's error (not as an unhandled rejection).
    fn settle(&self, promise: Persistent<Promise<'static>>) -> Result<Persistent<Value<'static>>> {
        self.run_loop(None, || {
            self.enter(|ctx, _| {
                let promise = promise.clone().restore(ctx).map_err(|e| js_error(ctx, e))?;
                Ok(promise.state() != PromiseState::Pending)
            })
        })?;
        self.enter(|ctx, internals| {
            let promise = promise.restore(ctx).map_err(|e| js_error(ctx, e))?;
            forget_rejection(ctx, internals, &promise)?;
            match promise.state() {
                PromiseState::Pending => Err(Error::Exception(Box::new(JsException::new(
                    "Error",
                    "the module never finished evaluating: its top-level await waits for \
                     something nothing left in the event loop can settle",
                )))),
                PromiseState::Resolved => {
                    let value: Value = match promise.result::<Value>() {
                        Some(Ok(value)) => value,
                        _ => Value::new_undefined(ctx.clone()),
                    };
                    Ok(Persistent::save(ctx, value))
                }
                PromiseState::Rejected => {
                    let _ = promise.result::<Value>();
                    let reason = ctx.catch();
                    Err(exception_error(ctx, reason))
                }
            }
        })
    }
}

/// Marks `promise` as one Rust waits for: a rejection is reported where it
/// is awaited (or dropped with it when a time limit ends the wait), never as
/// an unhandled rejection.
pub(super) fn awaited_by_host<'js>(ctx: &Ctx<'js>, promise: &Promise<'js>) -> Result<()> {
    let mark: Function = entry_function(ctx, "awaitedByHost").map_err(|e| js_error(ctx, e))?;
    mark.call::<_, ()>((promise.clone(),))
        .map_err(|e| js_error(ctx, e))
}

/// Marks `promise` handled: Rust awaited it, so its rejection is reported
/// where it was awaited.
fn forget_rejection<'js>(
    ctx: &Ctx<'js>,
    internals: &Object<'js>,
    promise: &Promise<'js>,
) -> Result<()> {
    let track: Function = internals
        .get("trackRejection")
        .map_err(|e| js_error(ctx, e))?;
    track
        .call::<_, ()>((promise.clone(), Value::new_undefined(ctx.clone()), true))
        .map_err(|e| js_error(ctx, e))
}
