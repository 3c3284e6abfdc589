//! Script compilation through the raw QuickJS API: sloppy-mode global scripts,
//! and compile-to-bytecode / run-from-bytecode for JS compiled once per factory.
//!
//! Bytecode is only ever produced by [`compile_to_bytecode`] in this process and
//! read back by [`eval_bytecode`]: QuickJS does not validate bytecode, so nothing
//! from outside may reach the reader.

use std::collections::hash_map::RandomState;
use std::ffi::CString;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

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
///
/// Node compiles a module as a function body, so a source cannot close the
/// function early (`}); sideEffect(); (function () {` is a SyntaxError there).
/// QuickJS parses only scripts and modules, so before a module first compiles,
/// jsbox compiles (never runs) a check form of it: the source inside a block
/// within a block labeled with a per-process random name ([`wrapper_label`]),
/// whose tail closes the inner block, then `break`s out of the labeled one:
///
/// ```text
/// (function (exports, require, module, __filename, __dirname) { ['use strict';] jsbox_<nonce>: { {
///
/// <source>
/// } break jsbox_<nonce>; }
/// })
/// ```
///
/// A source that closes the function cannot reopen a block with that label, so
/// the `break` does not find it, and the module is refused before any of it
/// runs ([`reject_escape`]). The module itself then runs in the plain wrapper
/// ([`RUN_HEAD`]), so code that is valid in a function body but not in a block
/// (a `var` and a function of one name, say) runs as in Node; such code only
/// escapes the check, which is about Node's error, not about isolation (code
/// outside the wrapper runs as an ordinary global script). The label is no
/// secret from the module itself (`arguments.callee.toString()` shows it); it
/// only has to be unknown when a file is written.
const WRAPPER_HEAD: &str = "(function (exports, require, module, __filename, __dirname) {";
const WRAPPER_TAIL: &str = "; }\n})";

/// The wrapper a module runs in: the source as the function's body, on lines
/// of its own (the labeled wrapper above is compiled only to check the source,
/// because its block changes how some valid code parses).
const RUN_HEAD: &str = "(function (exports, require, module, __filename, __dirname) {\n\n";
const RUN_TAIL: &str = "\n})";

/// `source` inside the CommonJS wrapper it runs in.
fn wrap_module(source: &str) -> String {
    let mut wrapped = String::with_capacity(RUN_HEAD.len() + source.len() + RUN_TAIL.len());
    wrapped.push_str(RUN_HEAD);
    wrapped.push_str(source);
    wrapped.push_str(RUN_TAIL);
    wrapped
}

/// Refuses a source that closes its function wrapper early, as Node does (it
/// compiles a module as a function body). The labeled form is compiled, never
/// run: when it fails to parse although the plain wrapper parses, the source's
/// braces do not stay inside the function, unless the failure is one of the
/// redefinitions a block forbids and a function body allows (`var f` beside
/// `function f`), which is valid code. A source that fails both forms is left
/// to the real compile, which reports its own error.
fn reject_escape(ctx: &Ctx<'_>, source: &str, filename: &str) -> rquickjs::Result<()> {
    let compile_only = |text: &str| {
        let outcome = eval_raw(
            ctx,
            text,
            filename,
            FirstLine::Wrapper,
            qjs::JS_EVAL_FLAG_COMPILE_ONLY,
        );
        match outcome {
            Ok(_) => None,
            Err(_) => Some(
                ctx.catch()
                    .as_object()
                    .and_then(|e| e.get::<_, String>("message").ok())
                    .unwrap_or_default(),
            ),
        }
    };
    let Some(message) = compile_only(&labeled_wrapper(source)) else {
        return Ok(());
    };
    if message.starts_with("invalid redefinition") || compile_only(&wrap_module(source)).is_some() {
        return Ok(());
    }
    Err(rquickjs::Exception::throw_syntax(
        ctx,
        &format!(
            "{filename}: the module's source closes its function wrapper early \
             (Node compiles a module as a function body)"
        ),
    ))
}

/// The label around every module's source: `jsbox_` and 64 random bits, drawn
/// once per process (the bytecode cache lives no longer than the process).
fn wrapper_label() -> &'static str {
    static LABEL: OnceLock<String> = OnceLock::new();
    LABEL.get_or_init(|| {
        // RandomState is seeded from the OS's randomness; the clock and the
        // process id are mixed in for good measure.
        let mut hasher = RandomState::new().build_hasher();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        hasher.write_u128(now);
        hasher.write_u32(std::process::id());
        format!("jsbox_{:016x}", hasher.finish())
    })
}

/// `source` inside the labeled wrapper that only parses when the source
/// stays inside its function (see [`WRAPPER_HEAD`]).
fn labeled_wrapper(source: &str) -> String {
    let label = wrapper_label();
    let mut wrapped =
        String::with_capacity(WRAPPER_HEAD.len() + source.len() + 2 * label.len() + 40);
    wrapped.push_str(WRAPPER_HEAD);
    // Inside the block the source's own directive prologue is a plain
    // expression statement: strict mode is declared by the head instead (on
    // its first line, so no line moves).
    if has_use_strict(source) {
        wrapped.push_str(" 'use strict';");
    }
    wrapped.push(' ');
    wrapped.push_str(label);
    wrapped.push_str(": { {\n\n");
    wrapped.push_str(source);
    wrapped.push_str("\n} break ");
    wrapped.push_str(label);
    wrapped.push_str(WRAPPER_TAIL);
    wrapped
}

/// Whether the directive prologue of `source` (the string-literal statements it
/// starts with, after a hashbang, whitespace and comments) has a
/// `'use strict'` or `"use strict"`, written exactly so.
fn has_use_strict(source: &str) -> bool {
    let mut rest = source.strip_prefix('\u{feff}').unwrap_or(source);
    if rest.starts_with("#!") {
        rest = &rest[rest
            .find(['\n', '\r', '\u{2028}', '\u{2029}'])
            .unwrap_or(rest.len())..];
    }
    let mut strict = false;
    loop {
        rest = skip_trivia(rest).0;
        let Some(body) = string_literal(rest) else {
            return strict;
        };
        let (after, newline) = skip_trivia(&rest[body.len() + 2..]);
        let ends_statement = match after.chars().next() {
            None | Some(';' | '}') => true,
            // Automatic semicolon insertion, unless the next token goes on
            // with the expression.
            Some(_) => newline && !continues_expression(after),
        };
        if !ends_statement {
            return strict;
        }
        strict |= body == "use strict";
        rest = after.strip_prefix(';').unwrap_or(after);
    }
}

/// The text between the quotes of the string literal `text` starts with, raw.
fn string_literal(text: &str) -> Option<&str> {
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next();
                // A line continuation may be CR LF.
                if escaped.is_some_and(|(_, c)| c == '\r') {
                    chars.next_if(|(_, c)| *c == '\n');
                }
            }
            '\n' | '\r' => return None,
            c if c == quote => return Some(&text[1..i]),
            _ => {}
        }
    }
    None
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// `text` without its leading whitespace and comments, and whether they held
/// a line terminator.
fn skip_trivia(mut text: &str) -> (&str, bool) {
    let mut newline = false;
    loop {
        let Some(c) = text.chars().next() else {
            return (text, newline);
        };
        if is_line_terminator(c) {
            newline = true;
            text = &text[c.len_utf8()..];
        } else if c.is_whitespace() || c == '\u{feff}' {
            text = &text[c.len_utf8()..];
        } else if let Some(comment) = text.strip_prefix("//") {
            text = &comment[comment.find(is_line_terminator).unwrap_or(comment.len())..];
        } else if let Some(comment) = text.strip_prefix("/*") {
            let Some(end) = comment.find("*/") else {
                return ("", newline);
            };
            newline |= comment[..end].contains(is_line_terminator);
            text = &comment[end + 2..];
        } else {
            return (text, newline);
        }
    }
}

/// Whether the token `text` starts with, after a string literal and a line
/// break, carries the expression on (so no semicolon is inserted there).
fn continues_expression(text: &str) -> bool {
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next();
    match first {
        // `++` and `--` may not follow their operand across a line break.
        Some('+') => second != Some('+'),
        Some('-') => second != Some('-'),
        Some('.') => !second.is_some_and(|c| c.is_ascii_digit()),
        Some('!') => second == Some('='),
        Some('(' | '[' | '`' | '*' | '/' | '%' | '<' | '>' | '=' | '&' | '|' | '^' | '?' | ',') => {
            true
        }
        Some('i') => {
            let word = text
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .next()
                .unwrap_or("");
            word == "in" || word == "instanceof"
        }
        _ => false,
    }
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
    reject_escape(ctx, source, filename)?;
    eval_raw(ctx, &wrap_module(source), filename, FirstLine::Wrapper, 0)
}

/// Compiles a module's source inside the CommonJS wrapper to bytecode (run by
/// [`eval_bytecode`], it returns the wrapper function).
pub(crate) fn compile_module_wrapper(
    ctx: &Ctx<'_>,
    source: &str,
    filename: &str,
) -> rquickjs::Result<Vec<u8>> {
    reject_escape(ctx, source, filename)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directive_prologue_decides_strict_mode() {
        for strict in [
            "'use strict'",
            "\"use strict\";\nx()",
            "'use strict'\nx()",
            "#!/usr/bin/env node\n'use strict';",
            "\u{feff}'use strict';",
            "// a comment\n/* another\n */ 'use strict';",
            "'use client'; 'use strict';",
            "'a'\n'use strict'\n",
            "'a\\'b'; 'use strict'",
            "'a\\\r\nb'; 'use strict'",
            "'use strict' /* c */ ; x",
            "'use strict'\n++x",
            "'use strict'\nin_x",
            "'use strict'\n.5",
            "'use strict'}",
        ] {
            assert!(has_use_strict(strict), "{strict:?}");
        }
        for sloppy in [
            "",
            "x = 1; 'use strict';",
            "'use\\x20strict';",
            "'use strict '",
            "'USE STRICT'",
            "'use strict'.length",
            "'use strict'\n+ 1",
            "'use strict'\n(x)",
            "'use strict'\n[0]",
            "'use strict'\n.length",
            "'use strict'\nin x",
            "'use strict'\ninstanceof X",
            "'use strict'\n`t`",
            "'use strict' x",
            "(function () { 'use strict' })()",
            "/* 'use strict' */",
            "/* unterminated 'use strict';",
            "'a\nb'; 'use strict'",
            "`use strict`",
        ] {
            assert!(!has_use_strict(sloppy), "{sloppy:?}");
        }
    }

    #[test]
    fn the_wrapper_keeps_the_source_on_its_own_lines() {
        let wrapped = labeled_wrapper("x()");
        let lines: Vec<&str> = wrapped.lines().collect();
        assert_eq!(lines.len(), 5, "{wrapped}");
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], "x()");
        let label = wrapper_label();
        assert!(lines[0].ends_with(&format!(" {label}: {{ {{")), "{wrapped}");
        assert_eq!(lines[3], format!("}} break {label}; }}"));
        assert!(!lines[0].contains("use strict"));
        let strict = labeled_wrapper("'use strict';\nx()");
        assert!(strict
            .lines()
            .next()
            .unwrap()
            .contains("{ 'use strict'; jsbox_"));
        assert_eq!(strict.lines().count(), 6);
        assert_eq!(label, wrapper_label());
        assert_eq!(label.len(), "jsbox_".len() + 16);
    }
}
