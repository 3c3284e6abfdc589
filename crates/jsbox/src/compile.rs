//! Script compilation through the raw QuickJS API: sloppy-mode global scripts,
//! and compile-to-bytecode / run-from-bytecode for JS compiled once per factory.
//!
//! Bytecode is only ever produced by [`compile_to_bytecode`] in this process and
//! read back by [`eval_bytecode`]: QuickJS does not validate bytecode, so nothing
//! from outside may reach the reader.

use std::ffi::CString;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::runtime::js_error;

use rquickjs::{qjs, Ctx, Value};

fn c_string(text: &str) -> rquickjs::Result<CString> {
    CString::new(text.replace('\0', "\u{fffd}")).map_err(rquickjs::Error::from)
}

fn take_value<'js>(ctx: &Ctx<'js>, raw: qjs::JSValue) -> rquickjs::Result<Value<'js>> {
    // SAFETY: `raw` was just returned by the engine for this context and is owned.
    let is_exception = unsafe { qjs::JS_IsException(raw) };
    if is_exception {
        return Err(rquickjs::Error::Exception);
    }
    Ok(unsafe { Value::from_raw(ctx.clone(), raw) })
}

/// Where a text starts: the line number QuickJS gives its first line.
#[derive(Clone, Copy)]
enum FirstLine {
    /// A script as written: its first line is line 1.
    One,
    /// A module wrapper: the wrapper's two lines come before the source's line 1.
    Wrapper,
}

/// The CommonJS wrapper around a module's source. The source starts on a line of
/// its own that QuickJS numbers 1, so lines and columns are the file's own
/// (QuickJS takes a first line of 0 as "unset": the head spans lines -1 and 0).
const WRAPPER_HEAD: &str = "(function (exports, require, module, __filename, __dirname) {\n\n";
const WRAPPER_TAIL: &str = "\n})";

/// `source` inside the CommonJS wrapper.
fn wrap_module(source: &str) -> String {
    let mut wrapped = String::with_capacity(WRAPPER_HEAD.len() + source.len() + WRAPPER_TAIL.len());
    wrapped.push_str(WRAPPER_HEAD);
    wrapped.push_str(source);
    wrapped.push_str(WRAPPER_TAIL);
    wrapped
}

fn eval_raw<'js>(
    ctx: &Ctx<'js>,
    source: &str,
    filename: &str,
    first_line: FirstLine,
    flags: u32,
) -> rquickjs::Result<Value<'js>> {
    let raw = eval_raw_value(
        ctx,
        source,
        filename,
        first_line,
        qjs::JS_EVAL_TYPE_GLOBAL | flags,
    )?;
    take_value(ctx, raw)
}

/// `JS_Eval2` with `flags` as given (the type included); the result is the
/// engine's own value, owned by the caller.
fn eval_raw_value(
    ctx: &Ctx<'_>,
    source: &str,
    filename: &str,
    first_line: FirstLine,
    flags: u32,
) -> rquickjs::Result<qjs::JSValue> {
    // QuickJS requires a NUL after the input.
    let mut input = Vec::with_capacity(source.len() + 1);
    input.extend_from_slice(source.as_bytes());
    input.push(0);
    let filename = c_string(filename)?;
    let mut options = qjs::JSEvalOptions {
        version: qjs::JS_EVAL_OPTIONS_VERSION as _,
        eval_flags: flags as _,
        filename: filename.as_ptr(),
        line_num: match first_line {
            FirstLine::One => 1,
            FirstLine::Wrapper => -1,
        },
    };
    // SAFETY: input is NUL-terminated and outlives the call; options point to live data.
    let raw = unsafe {
        qjs::JS_Eval2(
            ctx.as_raw().as_ptr(),
            input.as_ptr().cast(),
            source.len() as _,
            &mut options,
        )
    };
    // SAFETY: `raw` was just returned by the engine and is owned here.
    if unsafe { qjs::JS_IsException(raw) } {
        return Err(rquickjs::Error::Exception);
    }
    Ok(raw)
}

/// A compiled ES module: one reference to the engine's module record (the
/// context's module list holds another). Hand it back with
/// [`release`](CompiledModule::release) or [`evaluate`](CompiledModule::evaluate):
/// module values must never go through an rquickjs `Value`.
pub(crate) struct CompiledModule(qjs::JSValue);

impl CompiledModule {
    /// Loads the module's imports through the module hooks. On failure the
    /// engine frees the record itself, so nothing is left to release.
    pub(crate) fn resolve(self, ctx: &Ctx<'_>) -> rquickjs::Result<CompiledModule> {
        // SAFETY: a live module value of this context, lent for the call.
        if unsafe { qjs::JS_ResolveModule(ctx.as_raw().as_ptr(), self.0) } < 0 {
            // The record is gone: this value must not be released.
            return Err(rquickjs::Error::Exception);
        }
        Ok(self)
    }

    /// The module record.
    pub(crate) fn def(&self) -> *mut qjs::JSModuleDef {
        // SAFETY: a module-tagged value the engine returned.
        unsafe { qjs::JS_VALUE_GET_PTR(self.0) }.cast()
    }

    /// Gives the reference back; the record stays in the context's list.
    pub(crate) fn release(self, ctx: &Ctx<'_>) -> *mut qjs::JSModuleDef {
        let def = self.def();
        // SAFETY: drops the one reference this value owns (the list keeps its own).
        unsafe { qjs::JS_FreeValue(ctx.as_raw().as_ptr(), self.0) };
        def
    }

    /// The module's bytecode, for the per-factory cache.
    pub(crate) fn bytecode(&self, ctx: &Ctx<'_>) -> rquickjs::Result<Vec<u8>> {
        write_object(ctx, self.0, qjs::JS_WRITE_OBJ_BYTECODE)
    }

    /// Links and evaluates the module (its reference is consumed); returns the
    /// promise of its evaluation, settled at once when the graph has no
    /// top-level await.
    pub(crate) fn evaluate<'js>(self, ctx: &Ctx<'js>) -> rquickjs::Result<Value<'js>> {
        // SAFETY: JS_EvalFunction takes over the reference this value owns.
        let raw = unsafe { qjs::JS_EvalFunction(ctx.as_raw().as_ptr(), self.0) };
        take_value(ctx, raw)
    }
}

/// Compiles `source` as an ES module named `name` (its dependencies are
/// loaded through the module hooks as part of this).
pub(crate) fn compile_module(
    ctx: &Ctx<'_>,
    source: &str,
    name: &str,
) -> rquickjs::Result<CompiledModule> {
    let raw = eval_raw_value(
        ctx,
        source,
        name,
        FirstLine::One,
        qjs::JS_EVAL_TYPE_MODULE | qjs::JS_EVAL_FLAG_COMPILE_ONLY,
    )?;
    Ok(CompiledModule(raw))
}

/// A module from bytecode made by [`CompiledModule::bytecode`] in this process.
pub(crate) fn read_module(ctx: &Ctx<'_>, bytecode: &[u8]) -> rquickjs::Result<CompiledModule> {
    // SAFETY: the bytes come from `CompiledModule::bytecode` in this process (trusted).
    let raw = unsafe {
        qjs::JS_ReadObject(
            ctx.as_raw().as_ptr(),
            bytecode.as_ptr(),
            bytecode.len() as _,
            qjs::JS_READ_OBJ_BYTECODE as _,
        )
    };
    // SAFETY: owned value just returned by the engine.
    if unsafe { qjs::JS_IsException(raw) } {
        return Err(rquickjs::Error::Exception);
    }
    Ok(CompiledModule(raw))
}

/// Runs `source` as a sloppy-mode global script named `filename`.
pub(crate) fn eval_script<'js>(
    ctx: &Ctx<'js>,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Value<'js>> {
    eval_raw(ctx, source, filename, FirstLine::One, 0)
}

/// Runs `source` as a global script that may use `await` at top level (what a
/// REPL accepts). Returns a promise of `{ value }`, `value` being the script's
/// completion value.
pub(crate) fn eval_script_async<'js>(
    ctx: &Ctx<'js>,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Value<'js>> {
    eval_raw(
        ctx,
        source,
        filename,
        FirstLine::One,
        qjs::JS_EVAL_FLAG_ASYNC,
    )
}

/// Evaluates a module's source inside the CommonJS wrapper and returns the
/// wrapper function.
pub(crate) fn eval_module_wrapper<'js>(
    ctx: &Ctx<'js>,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Value<'js>> {
    eval_raw(ctx, &wrap_module(source), filename, FirstLine::Wrapper, 0)
}

/// Compiles a module's source inside the CommonJS wrapper to bytecode (run by
/// [`eval_bytecode`], it returns the wrapper function).
pub(crate) fn compile_module_wrapper(
    ctx: &Ctx<'_>,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Vec<u8>> {
    compile_with_flags(
        ctx,
        &wrap_module(source),
        filename,
        FirstLine::Wrapper,
        qjs::JS_WRITE_OBJ_BYTECODE,
    )
}

/// Compiles `source` as a global script and serialises it to bytecode.
pub(crate) fn compile_to_bytecode(
    ctx: &Ctx<'_>,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Vec<u8>> {
    compile_with_flags(
        ctx,
        source,
        filename,
        FirstLine::One,
        qjs::JS_WRITE_OBJ_BYTECODE,
    )
}

/// Like [`compile_to_bytecode`], without the source text kept for
/// `Function.prototype.toString`: smaller and faster to load, for jsbox's own JS.
pub(crate) fn compile_stripped(
    ctx: &Ctx<'_>,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Vec<u8>> {
    compile_with_flags(
        ctx,
        source,
        filename,
        FirstLine::One,
        qjs::JS_WRITE_OBJ_BYTECODE | qjs::JS_WRITE_OBJ_STRIP_SOURCE,
    )
}

fn compile_with_flags(
    ctx: &Ctx<'_>,
    source: &str,
    filename: &str,
    first_line: FirstLine,
    flags: u32,
) -> rquickjs::Result<Vec<u8>> {
    let function = eval_raw(
        ctx,
        source,
        filename,
        first_line,
        qjs::JS_EVAL_FLAG_COMPILE_ONLY,
    )?;
    write_object(ctx, function.as_raw(), flags)
}

fn write_object(ctx: &Ctx<'_>, value: qjs::JSValue, flags: u32) -> rquickjs::Result<Vec<u8>> {
    let mut size: qjs::size_t = 0;
    // SAFETY: `value` is a live compiled script or module of this context.
    let data = unsafe { qjs::JS_WriteObject(ctx.as_raw().as_ptr(), &mut size, value, flags as _) };
    if data.is_null() {
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: the engine returned `size` readable bytes at `data`, freed below.
    let bytes = unsafe { std::slice::from_raw_parts(data, size as usize).to_vec() };
    unsafe { qjs::js_free(ctx.as_raw().as_ptr(), data.cast()) };
    Ok(bytes)
}

/// Loads bytecode made by [`compile_to_bytecode`] and runs it, returning the
/// script's completion value.
pub(crate) fn eval_bytecode<'js>(ctx: &Ctx<'js>, bytecode: &[u8]) -> rquickjs::Result<Value<'js>> {
    // SAFETY: the bytes come from `compile_to_bytecode` in this process (trusted).
    let function = unsafe {
        qjs::JS_ReadObject(
            ctx.as_raw().as_ptr(),
            bytecode.as_ptr(),
            bytecode.len() as _,
            qjs::JS_READ_OBJ_BYTECODE as _,
        )
    };
    let function = take_value(ctx, function)?;
    // SAFETY: JS_EvalFunction consumes one reference: give it a duplicate and let
    // `function` release its own.
    let raw = unsafe {
        let ctx_ptr = ctx.as_raw().as_ptr();
        qjs::JS_EvalFunction(ctx_ptr, qjs::JS_DupValue(ctx_ptr, function.as_raw()))
    };
    take_value(ctx, raw)
}

/// Runs `f` in a throwaway engine context, for compiling outside any runtime.
pub(crate) fn with_scratch_context<R>(
    f: impl for<'js> FnOnce(&Ctx<'js>) -> Result<R>,
) -> Result<R> {
    let engine = rquickjs::Runtime::new().map_err(|e| Error::Engine(e.to_string()))?;
    let context = rquickjs::Context::full(&engine).map_err(|e| Error::Engine(e.to_string()))?;
    context.with(|ctx| f(&ctx))
}

/// A script compiled once to QuickJS bytecode, ready to run in any runtime.
///
/// Cheap to clone and shareable across threads: it holds bytes, never live JS
/// values. Made by [`Factory::compile`](crate::Factory::compile), run by
/// [`Runtime::run`](crate::Runtime::run).
#[derive(Clone)]
pub struct Program {
    name: Arc<str>,
    bytecode: Arc<[u8]>,
    module: bool,
}

impl Program {
    pub(crate) fn compile(name: &str, source: &str) -> Result<Program> {
        let bytecode = with_scratch_context(|ctx| {
            compile_to_bytecode(ctx, source, name).map_err(|e| js_error(ctx, e))
        })?;
        Ok(Program {
            name: name.into(),
            bytecode: bytecode.into(),
            module: false,
        })
    }

    /// Compiles an ES module named `name` (an absolute path: its imports
    /// resolve from there when it runs). Imports are not loaded here.
    pub(crate) fn compile_module(name: &str, source: &str) -> Result<Program> {
        let bytecode = with_scratch_context(|ctx| {
            crate::esm::install_compile_only(ctx);
            let module = compile_module(ctx, source, name).map_err(|e| js_error(ctx, e))?;
            let bytecode = module.bytecode(ctx).map_err(|e| js_error(ctx, e));
            module.release(ctx);
            bytecode
        })?;
        Ok(Program {
            name: name.into(),
            bytecode: bytecode.into(),
            module: true,
        })
    }

    /// Whether this is an ES module (from [`Factory::compile_module`](crate::Factory::compile_module)).
    pub fn is_module(&self) -> bool {
        self.module
    }

    /// The name given at compile time (shown in stack traces).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The size of the bytecode in bytes.
    pub fn len(&self) -> usize {
        self.bytecode.len()
    }

    /// Whether the bytecode is empty (never true for a compiled program).
    pub fn is_empty(&self) -> bool {
        self.bytecode.is_empty()
    }

    pub(crate) fn bytecode(&self) -> &[u8] {
        &self.bytecode
    }
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("name", &self.name)
            .field("bytes", &self.bytecode.len())
            .finish()
    }
}
