//! QuickJS's module hooks: `normalize` turns a specifier into a module name
//! (an absolute path, or `node:NAME` for a built-in module) with Node's ESM
//! resolver and the runtime's policy; `load` makes the module record for a
//! name: an ES module file (compiled once per factory), or a small module of
//! jsbox's own in front of a built-in module, a CommonJS file or JSON.
//!
//! Both are `extern "C"` callbacks: nothing may unwind out of them, and an
//! error is a pending JavaScript exception and a null return.

use std::ffi::{c_char, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::ptr::{null_mut, NonNull};
use std::sync::Arc;

use rquickjs::{qjs, Ctx, Function, Object, Value};

use super::cjs_exports;
use crate::compile::{compile_module, read_module, CompiledModule};
use crate::factory::Shared;
use crate::host::{entry, read_module_source, throw_coded, throw_denied, throw_uncatchable};
use crate::jsvalues::call_in_place;
use crate::resolve::{format_of, resolve, resolve_import, Format, ResolveError, Resolved};
use crate::runtime::RuntimeState;

/// How deep `module.exports = require(...)` re-exports are followed for names.
const REEXPORT_DEPTH: usize = 8;

pub(super) fn c_string(text: &str) -> rquickjs::Result<CString> {
    CString::new(text).map_err(|_| rquickjs::Error::new_from_js("string with NUL", "C string"))
}

/// Points `ctx`'s runtime at jsbox's module hooks.
///
/// The hooks find the factory's setup through the opaque pointer: `shared`
/// outlives every use, because the hooks only run while a script runs, in a
/// runtime (or a heap-image build) that holds the factory's setup.
pub(crate) fn install(ctx: &Ctx<'_>, shared: &Arc<Shared>) {
    // SAFETY: sets plain function pointers and an opaque pointer on a live runtime.
    unsafe {
        let runtime = qjs::JS_GetRuntime(ctx.as_raw().as_ptr());
        qjs::JS_SetModuleLoaderFunc2(
            runtime,
            Some(normalize),
            Some(load),
            Some(check_attributes),
            Arc::as_ptr(shared) as *mut c_void,
        );
    }
}

/// Hooks for compiling a module outside any runtime ([`Factory::compile_module`](crate::Factory::compile_module)):
/// every import resolves to an empty module, so the module's own code is
/// compiled (and checked) without loading anything; its imports are resolved
/// for real where it runs.
pub(crate) fn install_compile_only(ctx: &Ctx<'_>) {
    // SAFETY: sets plain function pointers on a live runtime.
    unsafe {
        let runtime = qjs::JS_GetRuntime(ctx.as_raw().as_ptr());
        qjs::JS_SetModuleLoaderFunc2(
            runtime,
            Some(keep_name),
            Some(empty_module),
            None,
            null_mut(),
        );
    }
}

unsafe extern "C" fn keep_name(
    ctx: *mut qjs::JSContext,
    _base: *const c_char,
    name: *const c_char,
    _opaque: *mut c_void,
) -> *mut c_char {
    // SAFETY: copies the NUL-terminated name with the engine's allocator.
    unsafe { qjs::js_strdup(ctx, name) }
}

unsafe extern "C" fn empty_module(
    ctx: *mut qjs::JSContext,
    name: *const c_char,
    _opaque: *mut c_void,
    _attributes: qjs::JSValue,
) -> *mut qjs::JSModuleDef {
    unsafe extern "C" fn init(_: *mut qjs::JSContext, _: *mut qjs::JSModuleDef) -> std::ffi::c_int {
        0
    }
    // SAFETY: a module without exports, never evaluated.
    unsafe { qjs::JS_NewCModule(ctx, name, Some(init)) }
}

/// Runs `f` with the context and setup behind a hook call; a panic becomes a
/// JavaScript error.
///
/// # Safety
/// `ctx` is the live context the engine called the hook for, and `opaque` the
/// pointer [`install`] set.
unsafe fn hook<R>(
    ctx: *mut qjs::JSContext,
    opaque: *mut c_void,
    failed: R,
    f: impl FnOnce(&Ctx<'_>, &Shared) -> rquickjs::Result<R>,
) -> R {
    let Some(raw) = NonNull::new(ctx) else {
        return failed;
    };
    // SAFETY: the engine calls hooks with its lock held, for this context.
    let ctx = unsafe { Ctx::from_raw(raw) };
    // SAFETY: see `install`.
    let shared = unsafe { &*(opaque as *const Shared) };
    let state = RuntimeState::of(&ctx);
    // The engine's interrupt handler does not run in hooks (nor while it
    // parses and links): the deadline is checked here too.
    if state.clock.expired() {
        let _ = throw_uncatchable(&ctx, "interrupted");
        return failed;
    }
    state.modules().hook_started();
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&ctx, shared)));
    state.modules().hook_ended();
    match outcome {
        Ok(Ok(value)) => value,
        Ok(Err(_)) => {
            // An error without an exception pending still has to say something.
            if !ctx.has_exception() {
                let _ = throw_coded(
                    &ctx,
                    "the module could not be loaded",
                    "ERR_INTERNAL_ASSERTION",
                    None,
                    &[],
                );
            }
            failed
        }
        Err(_) => {
            let _ = throw_coded(
                &ctx,
                "internal error while loading a module",
                "ERR_INTERNAL_ASSERTION",
                None,
                &[],
            );
            failed
        }
    }
}

fn text(ptr: *const c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: the engine passes NUL-terminated strings that live for the call.
    unsafe { CStr::from_ptr(ptr) }
        .to_string_lossy()
        .into_owned()
}

unsafe extern "C" fn normalize(
    ctx: *mut qjs::JSContext,
    base: *const c_char,
    name: *const c_char,
    opaque: *mut c_void,
) -> *mut c_char {
    let (base, name) = (text(base), text(name));
    // SAFETY: called by the engine as `install` set it up.
    unsafe {
        hook(ctx, opaque, null_mut(), |ctx, shared| {
            let resolved = c_string(&resolve_name(ctx, shared, &name, &base)?)?;
            // The engine frees the name it is given with its own allocator.
            Ok(qjs::js_strdup(ctx.as_raw().as_ptr(), resolved.as_ptr()))
        })
    }
}

/// Import attributes other than `type` are refused before anything loads
/// (otherwise each different set would make another instance of a module).
unsafe extern "C" fn check_attributes(
    ctx: *mut qjs::JSContext,
    opaque: *mut c_void,
    attributes: qjs::JSValue,
) -> std::ffi::c_int {
    // SAFETY: called by the engine as `install` set it up.
    unsafe {
        hook(ctx, opaque, -1, |ctx, _| {
            if !qjs::JS_IsObject(attributes) {
                return Ok(0);
            }
            // A borrowed value: duplicated for the `Value` that frees it.
            let value = Value::from_raw(
                ctx.clone(),
                qjs::JS_DupValue(ctx.as_raw().as_ptr(), attributes),
            );
            let Some(object) = value.as_object() else {
                return Ok(0);
            };
            for key in object.keys::<String>() {
                let key = key?;
                if key != "type" {
                    return Err(type_error(
                        ctx,
                        &format!("Import attribute \"{key}\" is not supported"),
                        "ERR_IMPORT_ATTRIBUTE_UNSUPPORTED",
                    ));
                }
            }
            Ok(0)
        })
    }
}

unsafe extern "C" fn load(
    ctx: *mut qjs::JSContext,
    name: *const c_char,
    opaque: *mut c_void,
    attributes: qjs::JSValue,
) -> *mut qjs::JSModuleDef {
    let name = text(name);
    // SAFETY: called by the engine as `install` set it up.
    unsafe {
        hook(ctx, opaque, null_mut(), |ctx, shared| {
            let kind = import_type(ctx, attributes)?;
            let def = load_module(ctx, shared, &name, kind.as_deref())?;
            RuntimeState::of(ctx).modules().loaded(&name, def as usize);
            Ok(def)
        })
    }
}

/// The file a module named `base` lives in, to resolve from: code that is not
/// a module file resolves from the base directory.
fn parent_of(shared: &Shared, base: &str) -> PathBuf {
    if base.starts_with('/') {
        PathBuf::from(base)
    } else {
        super::base_parent(shared)
    }
}

/// The module name for `specifier` imported from the module named `base`:
/// `node:NAME` for a built-in module, else the file's absolute path. The
/// policy is applied here, before anything is read.
pub(super) fn resolve_name(
    ctx: &Ctx<'_>,
    shared: &Shared,
    specifier: &str,
    base: &str,
) -> rquickjs::Result<String> {
    let parent = parent_of(shared, base);
    let is_native = |name: &str| shared.registry.contains(name);
    let name = match resolve_import(shared.loader.as_ref(), &is_native, specifier, &parent) {
        Ok(Resolved::Native(name)) => match shared.policy.check_module(&name) {
            Ok(()) => format!("node:{name}"),
            Err(denied) => return Err(throw_denied(ctx, &denied)),
        },
        Ok(Resolved::File(path)) => match shared.policy.check_module_file(&path) {
            Ok(()) => path.to_string_lossy().into_owned(),
            Err(denied) => return Err(throw_denied(ctx, &denied)),
        },
        Err(error) => return Err(throw_resolve_error(ctx, error, specifier, &parent)),
    };
    let mut book = RuntimeState::of(ctx).modules();
    if let Some(error) = book.poisoned(&name) {
        let message = format!(
            "Cannot load '{name}': a graph it was part of failed to load in this runtime ({error})"
        );
        drop(book);
        return Err(throw_coded(
            ctx,
            &message,
            "ERR_MODULE_LOAD_FAILED",
            None,
            &[],
        ));
    }
    book.resolved(&name);
    Ok(name)
}

fn throw_resolve_error(
    ctx: &Ctx<'_>,
    error: ResolveError,
    specifier: &str,
    parent: &Path,
) -> rquickjs::Error {
    match error {
        ResolveError::Coded { code, message } => throw_coded(ctx, &message, code, None, &[]),
        ResolveError::NotFound => throw_coded(
            ctx,
            &format!(
                "Cannot find module '{specifier}' imported from {}",
                parent.display()
            ),
            "ERR_MODULE_NOT_FOUND",
            None,
            &[],
        ),
        ResolveError::UnknownBuiltin => throw_coded(
            ctx,
            &format!("No such built-in module: {specifier}"),
            "ERR_UNKNOWN_BUILTIN_MODULE",
            None,
            &[],
        ),
        ResolveError::NotExported { message } => {
            throw_coded(ctx, &message, "ERR_PACKAGE_PATH_NOT_EXPORTED", None, &[])
        }
        ResolveError::InvalidPackage { path, message } => {
            let path = path.to_string_lossy();
            throw_coded(
                ctx,
                &format!("Invalid package config {path}: {message}"),
                "ERR_INVALID_PACKAGE_CONFIG",
                Some(&path),
                &[],
            )
        }
    }
}

/// The `type` of an import's attributes (`with { type: 'json' }`), if any.
fn import_type(ctx: &Ctx<'_>, attributes: qjs::JSValue) -> rquickjs::Result<Option<String>> {
    // SAFETY: `attributes` is a value the engine lends for the call.
    if !unsafe { qjs::JS_IsObject(attributes) } {
        return Ok(None);
    }
    // SAFETY: reads a property of the lent object; the result is owned.
    let raw =
        unsafe { qjs::JS_GetPropertyStr(ctx.as_raw().as_ptr(), attributes, c"type".as_ptr()) };
    // SAFETY: an owned value just returned by the engine.
    let value = unsafe { Value::from_raw(ctx.clone(), raw) };
    if value.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    if value.is_undefined() {
        return Ok(None);
    }
    value.get::<String>().map(Some)
}

fn load_module(
    ctx: &Ctx<'_>,
    shared: &Shared,
    name: &str,
    kind: Option<&str>,
) -> rquickjs::Result<*mut qjs::JSModuleDef> {
    // Node 20's attribute errors: only `type: 'json'` exists, and only JSON has it.
    let format = match name.strip_prefix("node:") {
        Some(_) => None,
        None => Some(
            format_of(shared.loader.as_ref(), Path::new(name))
                .map_err(|error| throw_resolve_error(ctx, error, name, Path::new(name)))?,
        ),
    };
    let url = if name.starts_with('/') {
        format!("file://{name}")
    } else {
        name.to_string()
    };
    match (format, kind) {
        (_, Some(kind)) if kind != "json" => {
            return Err(type_error(
                ctx,
                &format!("Import attribute type \"{kind}\" is unsupported"),
                "ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED",
            ))
        }
        (Some(Format::Json), None) => {
            return Err(type_error(
                ctx,
                &format!("Module \"{url}\" needs an import attribute of type \"json\""),
                "ERR_IMPORT_ASSERTION_TYPE_MISSING",
            ))
        }
        (Some(Format::Module | Format::CommonJs) | None, Some(_)) => {
            return Err(type_error(
                ctx,
                &format!("Module \"{url}\" is not of type \"json\""),
                "ERR_IMPORT_ASSERTION_TYPE_FAILED",
            ))
        }
        _ => {}
    }
    match format {
        None => builtin_module(ctx, shared, name, name.trim_start_matches("node:")),
        Some(Format::Json) => json_module(ctx, shared, name),
        Some(Format::Module) => file_module(ctx, shared, name),
        Some(Format::CommonJs) => commonjs_module(ctx, shared, name),
    }
}

/// Throws a `TypeError` with Node's `code`.
fn type_error(ctx: &Ctx<'_>, message: &str, code: &str) -> rquickjs::Error {
    let error = match rquickjs::Exception::from_message(ctx.clone(), message) {
        Ok(error) => error,
        Err(e) => return e,
    };
    let object = error.as_object();
    // A TypeError: the prototype of a fresh TypeError, set on this error.
    let proto = ctx
        .globals()
        .get::<_, Object>("TypeError")
        .and_then(|ctor| ctor.get::<_, Object>("prototype"));
    if let Ok(proto) = proto {
        let _ = object.set_prototype(Some(&proto));
    }
    let _ = object.set("code", code);
    error.throw()
}

/// Compiles a module through the factory's bytecode cache (keyed apart from
/// CommonJS wrappers of the same path) and gives its record to the engine.
fn compile(
    ctx: &Ctx<'_>,
    shared: &Shared,
    name: &str,
    source: &str,
) -> rquickjs::Result<*mut qjs::JSModuleDef> {
    in_frame(ctx, || compile_in_frame(ctx, shared, name, source))
}

/// Runs a compile in a frame of the module book (see `book`): when it fails,
/// the modules loaded inside it are poisoned.
pub(super) fn in_frame<R>(
    ctx: &Ctx<'_>,
    compile: impl FnOnce() -> rquickjs::Result<R>,
) -> rquickjs::Result<R> {
    let state = RuntimeState::of(ctx);
    state.modules().frame_started();
    let outcome = compile();
    match &outcome {
        Ok(_) => state.modules().frame_succeeded(),
        Err(_) => state.modules().frame_failed("its compile failed"),
    }
    outcome
}

fn compile_in_frame(
    ctx: &Ctx<'_>,
    shared: &Shared,
    name: &str,
    source: &str,
) -> rquickjs::Result<*mut qjs::JSModuleDef> {
    let cache = &shared.code_cache;
    let module: CompiledModule = if cache.enabled() && !has_import_attributes(source) {
        let key = format!("esm:{name}");
        match cache.get(&key, source) {
            // Its imports load now, inside this frame, as a compile's would.
            Some(bytecode) => read_module(ctx, &bytecode)?.resolve(ctx)?,
            None => {
                let module = compile_module(ctx, source, name)?;
                match module.bytecode(ctx) {
                    Ok(bytecode) => {
                        cache.insert(&key, source, bytecode);
                    }
                    Err(_) => {
                        // Not cached; the module itself is fine.
                        let _ = ctx.catch();
                    }
                }
                module
            }
        }
    } else {
        compile_module(ctx, source, name)?
    };
    Ok(module.release(ctx))
}

/// Whether `source` may hold import attributes (`with { type: 'json' }`):
/// QuickJS's bytecode does not keep them, so such a module is compiled from
/// source every time. A `with {` elsewhere (a string, a comment) only costs
/// the cache; a module cannot contain a `with` statement.
fn has_import_attributes(source: &str) -> bool {
    // Conservative: comments may sit between `with` and `{`.
    source.contains("with") && source.contains("type")
}

/// The `import.meta` object of a module record.
pub(super) fn import_meta<'js>(
    ctx: &Ctx<'js>,
    def: *mut qjs::JSModuleDef,
) -> rquickjs::Result<Object<'js>> {
    // SAFETY: `def` is a live module record of this context; the result is owned.
    let raw = unsafe { qjs::JS_GetImportMeta(ctx.as_raw().as_ptr(), def) };
    // SAFETY: an owned value just returned by the engine.
    let value = unsafe { Value::from_raw(ctx.clone(), raw) };
    if value.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    value
        .into_object()
        .ok_or_else(|| rquickjs::Error::new_from_js("value", "import.meta object"))
}

/// Calls `method` of the loader's JavaScript side (in the module system's
/// prelude chunk). The hooks run with script frames below them, so the call
/// keeps the stack limit where it is (see `call_in_place`).
fn call_helper<'js>(
    ctx: &Ctx<'js>,
    method: &str,
    args: &[Value<'js>],
) -> rquickjs::Result<Value<'js>> {
    let entry = entry(ctx)?;
    let esm: Function = entry.get("esm")?;
    let helpers = call_in_place(ctx, &esm, entry.as_value(), &[])?;
    let helpers = helpers
        .into_object()
        .ok_or_else(|| rquickjs::Error::new_from_js("value", "object"))?;
    let function: Function = helpers.get(method)?;
    call_in_place(ctx, &function, helpers.as_value(), args)
}

fn string<'js>(ctx: &Ctx<'js>, text: &str) -> rquickjs::Result<Value<'js>> {
    rquickjs::String::from_str(ctx.clone(), text).map(|s| s.into_value())
}

/// `import.meta.url`, `filename`, `dirname` and `resolve` for a module file.
pub(super) fn set_meta(
    ctx: &Ctx<'_>,
    def: *mut qjs::JSModuleDef,
    filename: &str,
) -> rquickjs::Result<()> {
    let meta = import_meta(ctx, def)?;
    call_helper(ctx, "meta", &[meta.into_value(), string(ctx, filename)?])?;
    Ok(())
}

fn file_module(
    ctx: &Ctx<'_>,
    shared: &Shared,
    path: &str,
) -> rquickjs::Result<*mut qjs::JSModuleDef> {
    let source = read_module_source(ctx, shared, path)?;
    let source = source.strip_prefix('\u{feff}').unwrap_or(&source);
    let def = compile(ctx, shared, path, source)?;
    set_meta(ctx, def, path)?;
    Ok(def)
}

/// `name` as an export name jsbox can declare (an identifier name).
fn declarable(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c == '$' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c == '$' || c.is_ascii_alphanumeric())
        && name != "default"
}

/// A module that exports `value` (what `import.meta.value()` returns when the
/// module evaluates) as `default`, and its properties `names` as named exports.
fn facade_source(names: &[String]) -> String {
    let mut source = String::from("const value = import.meta.value();\nexport default value;\n");
    let names: Vec<&String> = names.iter().filter(|n| declarable(n)).collect();
    if !names.is_empty() {
        // No global is looked up here: a script may have replaced `Object`.
        source.push_str(
            "const object = value !== null && (typeof value === 'object' || typeof value === 'function') ? value : {};\n",
        );
        let mut exports = Vec::new();
        for (i, name) in names.iter().enumerate() {
            source.push_str(&format!("const v{i} = object.{name};\n"));
            exports.push(format!("v{i} as {name}"));
        }
        source.push_str(&format!("export {{ {} }};\n", exports.join(", ")));
    }
    source
}

/// `import ... from 'fs'`: the built-in module's exports as `default`, and
/// each of their properties as a named export.
fn builtin_module(
    ctx: &Ctx<'_>,
    shared: &Shared,
    name: &str,
    builtin: &str,
) -> rquickjs::Result<*mut qjs::JSModuleDef> {
    let exports = call_helper(ctx, "builtin", &[string(ctx, builtin)?])?;
    let names: Vec<String> = match exports.as_object() {
        Some(object) => object.keys::<String>().collect::<rquickjs::Result<_>>()?,
        None => Vec::new(),
    };
    let def = compile(ctx, shared, name, &facade_source(&names))?;
    // The exports were loaded (and the policy applied) here; the module hands them out.
    call_helper(
        ctx,
        "handOut",
        &[import_meta(ctx, def)?.into_value(), exports],
    )?;
    Ok(def)
}

/// `import ... from './file.cjs'`: the CommonJS module runs when the importing
/// graph evaluates; its `module.exports` is `default`, and the names Node's
/// lexer would find are named exports.
fn commonjs_module(
    ctx: &Ctx<'_>,
    shared: &Shared,
    path: &str,
) -> rquickjs::Result<*mut qjs::JSModuleDef> {
    let source = read_module_source(ctx, shared, path)?;
    let names = commonjs_names(shared, RuntimeState::of(ctx), Path::new(path), &source);
    let def = compile(ctx, shared, path, &facade_source(&names))?;
    call_helper(
        ctx,
        "commonJs",
        &[import_meta(ctx, def)?.into_value(), string(ctx, path)?],
    )?;
    Ok(def)
}

/// The largest CommonJS source read for named exports (the lexer's tokens
/// live on the host, outside the engine heap's limit): a larger file is
/// imported with its `default` export only.
const LEXED_SOURCE_MAX: usize = 4 << 20;

/// How many files re-exports are followed through, at most, for one import.
const REEXPORT_FILES: usize = 64;

/// The export names of a CommonJS source, with the names of the files it
/// re-exports (`module.exports = require('./other')`), each file read once,
/// at most [`REEXPORT_FILES`] of them and [`REEXPORT_DEPTH`] deep, within the
/// lexing bound and the runtime's deadline.
fn commonjs_names(shared: &Shared, state: &RuntimeState, path: &Path, source: &str) -> Vec<String> {
    let limit = shared
        .limits
        .memory
        .map_or(LEXED_SOURCE_MAX, |bytes| LEXED_SOURCE_MAX.min(bytes / 32));
    let is_native = |name: &str| shared.registry.contains(name);
    let mut names = Vec::new();
    let mut seen_names = std::collections::HashSet::new();
    let mut visited = std::collections::HashSet::new();
    let mut budget = limit;
    // (file, its source if already read, depth)
    let mut queue =
        std::collections::VecDeque::from([(path.to_path_buf(), Some(source.to_string()), 0)]);
    while let Some((file, text, depth)) = queue.pop_front() {
        if visited.len() >= REEXPORT_FILES || state.clock.expired() || !visited.insert(file.clone())
        {
            continue;
        }
        let text = match text {
            Some(text) => text,
            None => {
                if shared.policy.check_module_file(&file).is_err() {
                    continue;
                }
                // Only a regular file within what is left of the bound is read.
                let Ok(bytes) = shared.loader.read(&file) else {
                    continue;
                };
                let Ok(text) = String::from_utf8(bytes) else {
                    continue;
                };
                text
            }
        };
        if text.len() > budget {
            continue;
        }
        budget -= text.len();
        let found = cjs_exports::detect(&text);
        for name in found.names {
            if names.len() < cjs_exports::MAX_NAMES && seen_names.insert(name.clone()) {
                names.push(name);
            }
        }
        if depth >= REEXPORT_DEPTH {
            continue;
        }
        let dir = file.parent().unwrap_or(Path::new("/"));
        for specifier in found.reexports {
            if let Ok(Resolved::File(target)) =
                resolve(shared.loader.as_ref(), &is_native, &specifier, dir)
            {
                if !visited.contains(&target) {
                    queue.push_back((target, None, depth + 1));
                }
            }
        }
    }
    names
}

/// `import data from './x.json' with { type: 'json' }`.
fn json_module(
    ctx: &Ctx<'_>,
    shared: &Shared,
    path: &str,
) -> rquickjs::Result<*mut qjs::JSModuleDef> {
    let source = read_module_source(ctx, shared, path)?;
    let value = ctx.json_parse(source.strip_prefix('\u{feff}').unwrap_or(&source))?;
    let def = compile(ctx, shared, path, &facade_source(&[]))?;
    call_helper(
        ctx,
        "handOut",
        &[import_meta(ctx, def)?.into_value(), value],
    )?;
    Ok(def)
}
