//! The end of a program, as `node` ends one: `'beforeExit'` while its
//! listeners queue more work, then `'exit'` with the exit code
//! (`process.exitCode`).

use rquickjs::{Function, Value};

use super::errors::js_error;
use super::Runtime;
use crate::error::Result;

impl Runtime {
    /// Calls the prelude's process hook `name`; `None` when the `process`
    /// global was never used (then no listener can exist).
    fn process_hook(&self, name: &str, value: Option<i32>) -> Result<Option<f64>> {
        self.enter(|ctx, internals| {
            let hook: Function = internals.get("processHook").map_err(|e| js_error(ctx, e))?;
            let value = value.map_or(Value::new_undefined(ctx.clone()), |code| {
                Value::new_int(ctx.clone(), code)
            });
            let result: Value = hook.call((name, value)).map_err(|e| js_error(ctx, e))?;
            Ok(if let Some(flag) = result.as_bool() {
                Some(if flag { 1.0 } else { 0.0 })
            } else {
                result.as_number()
            })
        })
    }

    /// Runs the program to its end as `node` does once the main module has
    /// run: the event loop until it is idle, then the `process` `'beforeExit'`
    /// listeners (and the loop again, as long as they queue more work), then
    /// the `'exit'` listeners. Returns the exit code: `process.exitCode`, or 0.
    ///
    /// `process.exit(code)` (here or in a listener) ends it with
    /// [`Error::Exit`](crate::Error::Exit), its `'exit'` listeners already run.
    pub fn run_to_exit(&self) -> Result<i32> {
        loop {
            self.run_until_idle()?;
            let before = self.process_hook("tasksRun", None)?;
            if self.process_hook("beforeExit", None)? != Some(1.0) {
                break;
            }
            self.run_until_idle()?;
            if self.process_hook("tasksRun", None)? == before {
                break;
            }
        }
        self.emit_exit(None)
    }

    /// Runs the `process` `'exit'` listeners once (later calls do nothing),
    /// with `code`, or `process.exitCode` when `None`; returns the exit code
    /// they leave (`process.exitCode` if they set it). For a program that
    /// ended with an uncaught error, call it with `Some(1)`, as `node` does.
    pub fn emit_exit(&self, code: Option<i32>) -> Result<i32> {
        Ok(self
            .process_hook("exit", code)?
            .map_or(code.unwrap_or(0), |n| n as i32))
    }
}
