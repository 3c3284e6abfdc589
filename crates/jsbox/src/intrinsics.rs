//! Standard built-ins added on first use.
//!
//! A full QuickJS context builds every intrinsic eagerly; about 40% of that work
//! (typed arrays, `Map`/`Set`, `Date`, `WeakRef`, `performance`, `DOMException`,
//! `atob`/`btoa`) serves objects most short-lived runtimes never touch. jsbox
//! starts each context with the intrinsics the language itself needs (base
//! objects, `eval`, `RegExp`, `JSON`, `Promise`, `Proxy`) and gives each other
//! global a native accessor: the first read or write of any of a group's globals
//! adds the whole group, which replaces the accessors with the real built-ins.
//! Rust code that may create such objects (native modules, most bindings, the
//! escape hatch) completes the set first, so every runtime behaves like a full
//! context; a binding that makes only some of them adds just those, when it
//! makes one. Heap images are built the same way: the image holds the groups
//! its template used, and a restored runtime adds the others on first use.
//! The one visible difference: until its group is added, a lazy global is an
//! accessor property, not a data property, for `Object.getOwnPropertyDescriptor`.

use std::ffi::{c_int, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU16, Ordering};

use rquickjs::{qjs, Ctx};

use crate::runtime::RuntimeState;

/// Adds one intrinsic group to a context.
type AddFn = unsafe extern "C" fn(*mut qjs::JSContext) -> c_int;

/// The lazily added groups: how to add each, and the globals it defines.
const GROUPS: [(AddFn, &[&str]); 7] = [
    (qjs::JS_AddIntrinsicDate, &["Date"]),
    (
        qjs::JS_AddIntrinsicMapSet,
        &["Map", "Set", "WeakMap", "WeakSet"],
    ),
    (
        qjs::JS_AddIntrinsicTypedArrays,
        &[
            "ArrayBuffer",
            "SharedArrayBuffer",
            "Uint8ClampedArray",
            "Int8Array",
            "Uint8Array",
            "Int16Array",
            "Uint16Array",
            "Int32Array",
            "Uint32Array",
            "BigInt64Array",
            "BigUint64Array",
            "Float16Array",
            "Float32Array",
            "Float64Array",
            "DataView",
            "Atomics",
        ],
    ),
    (
        qjs::JS_AddIntrinsicWeakRef,
        &["WeakRef", "FinalizationRegistry"],
    ),
    (qjs::JS_AddPerformance, &["performance"]),
    (qjs::JS_AddIntrinsicDOMException, &["DOMException"]),
    (qjs::JS_AddIntrinsicAToB, &["atob", "btoa"]),
];

/// Index of the `Date` group, whose methods engine_quirks.rs patches.
const DATE: usize = 0;
/// Index of the typed-array group, which bindings that return bytes add.
const TYPED_ARRAYS: usize = 2;
/// Index of the `performance` group, whose object engine_quirks.rs replaces.
const PERFORMANCE: usize = 4;
/// Index of the `DOMException` group, which `atob`/`btoa` throw.
const DOM_EXCEPTION: usize = 5;
const ATOB: usize = 6;
/// `magic` of an accessor = group * NAME_SLOTS + name index.
const NAME_SLOTS: usize = 32;

/// Which groups a runtime has added so far.
#[derive(Debug, Default)]
pub(crate) struct Added(AtomicU16);

impl Added {
    /// The groups added so far, for a context copied from this one (a heap
    /// image restores its template's groups with it).
    pub(crate) fn copied(&self) -> Self {
        Added(AtomicU16::new(self.0.load(Ordering::Relaxed)))
    }

    /// Adds `ArrayBuffer`, the typed arrays and `DataView` unless they are
    /// there: what native code needs before it makes a typed array.
    pub(crate) fn add_typed_arrays(&self, ctx: &Ctx<'_>) -> rquickjs::Result<()> {
        self.add(ctx, TYPED_ARRAYS)
    }

    /// Adds group `index` to the context unless it is there already.
    fn add(&self, ctx: &Ctx<'_>, index: usize) -> rquickjs::Result<()> {
        let Some(&(add, names)) = GROUPS.get(index) else {
            return Ok(());
        };
        if index == ATOB {
            self.add(ctx, DOM_EXCEPTION)?;
        }
        let bit = 1u16 << index;
        if self.0.load(Ordering::Relaxed) & bit != 0 {
            return Ok(());
        }
        // The engine defines these globals itself and requires them absent:
        // remove the accessors (or whatever a script defined under the names).
        let globals = ctx.globals();
        for name in names {
            globals.remove(*name)?;
        }
        // Marked before it is tried: a group the engine half added (out of
        // memory) must never be added again, as the engine would then drop
        // references to objects it made the first time, and assert over them
        // when the runtime is freed. Its globals are then missing, which
        // scripts see as a `ReferenceError`.
        self.0.fetch_or(bit, Ordering::Relaxed);
        // SAFETY: the context is live and entered; each group is added once.
        if unsafe { add(ctx.as_raw().as_ptr()) } < 0 {
            return Err(rquickjs::Error::Exception);
        }
        if index == DATE {
            crate::engine_quirks::patch_date(ctx.as_raw().as_ptr())?;
        }
        if index == PERFORMANCE {
            crate::engine_quirks::patch_performance(ctx.as_raw().as_ptr())?;
        }
        Ok(())
    }

    /// Adds every group not yet added: the context is then a full one.
    pub(crate) fn add_all(&self, ctx: &Ctx<'_>) -> rquickjs::Result<()> {
        (0..GROUPS.len()).try_for_each(|index| self.add(ctx, index))
    }

    /// Installs the accessors that stand in for the lazy globals. The accessors
    /// find `self` through the runtime state attached to the context.
    pub(crate) fn install(&self, ctx: &Ctx<'_>) -> rquickjs::Result<()> {
        let raw = ctx.as_raw().as_ptr();
        // SAFETY: the context is live and entered.
        unsafe {
            let global = qjs::JS_GetGlobalObject(raw);
            let mut outcome = Ok(());
            'groups: for (group, (_, names)) in GROUPS.iter().enumerate() {
                for (slot, name) in names.iter().enumerate() {
                    let Ok(cname) = CString::new(*name) else {
                        continue;
                    };
                    let magic = (group * NAME_SLOTS + slot) as c_int;
                    let flags = qjs::JS_PROP_CONFIGURABLE as c_int;
                    if let Err(e) = define_accessor(raw, global, &cname, lazy_global, magic, flags)
                    {
                        outcome = Err(e);
                        break 'groups;
                    }
                }
            }
            qjs::JS_FreeValue(raw, global);
            outcome
        }
    }
}

/// A native function as QuickJS calls it (`JS_CFUNC_generic`).
pub(crate) type PlainFn = unsafe extern "C" fn(
    *mut qjs::JSContext,
    qjs::JSValue,
    c_int,
    *mut qjs::JSValue,
) -> qjs::JSValue;

/// A native function that QuickJS calls with its `magic` number.
pub(crate) type MagicFn = unsafe extern "C" fn(
    *mut qjs::JSContext,
    qjs::JSValue,
    c_int,
    *mut qjs::JSValue,
    c_int,
) -> qjs::JSValue;

/// Defines `name` on `global` as a getter/setter pair, both the native
/// `function` called with `magic` (no argument: a read; one: a write).
///
/// # Safety
/// `raw` is a live, entered context and `global` its global object.
pub(crate) unsafe fn define_accessor(
    raw: *mut qjs::JSContext,
    global: qjs::JSValue,
    name: &std::ffi::CStr,
    function: MagicFn,
    magic: c_int,
    flags: c_int,
) -> rquickjs::Result<()> {
    // SAFETY: QuickJS calls a generic_magic function with the magic
    // argument; the pointer type is cast as its own macro does.
    unsafe {
        let accessor = qjs::JS_NewCFunction2(
            raw,
            Some(std::mem::transmute::<MagicFn, PlainFn>(function)),
            name.as_ptr(),
            1,
            qjs::JSCFunctionEnum_JS_CFUNC_generic_magic,
            magic,
        );
        if qjs::JS_IsException(accessor) {
            return Err(rquickjs::Error::Exception);
        }
        let atom = qjs::JS_NewAtom(raw, name.as_ptr());
        let defined = define_getset(raw, global, atom, accessor, flags);
        qjs::JS_FreeAtom(raw, atom);
        defined
    }
}

/// Defines `atom` on `target` as an accessor whose getter and setter are
/// both `function` (a native function that tells them apart by its argument
/// count); the reference to `function` is taken.
///
/// # Safety
/// `raw` is a live, entered context; `target`, `atom` and `function` are
/// live in it.
pub(crate) unsafe fn define_getset(
    raw: *mut qjs::JSContext,
    target: qjs::JSValue,
    atom: qjs::JSAtom,
    function: qjs::JSValue,
    flags: c_int,
) -> rquickjs::Result<()> {
    // SAFETY: per this function's contract; the engine takes both references.
    let defined = unsafe {
        qjs::JS_DefinePropertyGetSet(
            raw,
            target,
            atom,
            qjs::JS_DupValue(raw, function),
            function,
            flags,
        )
    };
    if defined < 0 {
        Err(rquickjs::Error::Exception)
    } else {
        Ok(())
    }
}

/// The accessor of a lazy global: adds its group, then reads (no argument) or
/// writes (one argument) the real global.
unsafe extern "C" fn lazy_global(
    ctx: *mut qjs::JSContext,
    _this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    magic: c_int,
) -> qjs::JSValue {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let group = magic as usize / NAME_SLOTS;
        let slot = magic as usize % NAME_SLOTS;
        let (_, names) = GROUPS[group];
        let Some(raw) = std::ptr::NonNull::new(ctx) else {
            return qjs::JS_EXCEPTION;
        };
        // SAFETY: the engine passes a live, entered context.
        let rctx = unsafe { Ctx::from_raw(raw) };
        if RuntimeState::of(&rctx)
            .intrinsics
            .add(&rctx, group)
            .is_err()
        {
            return qjs::JS_EXCEPTION;
        }
        let Ok(cname) = CString::new(names[slot]) else {
            return qjs::JS_UNDEFINED;
        };
        unsafe {
            let global = qjs::JS_GetGlobalObject(ctx);
            let atom = qjs::JS_NewAtom(ctx, cname.as_ptr());
            let result = if argc >= 1 {
                let value = qjs::JS_DupValue(ctx, *argv);
                if qjs::JS_SetProperty(ctx, global, atom, value) < 0 {
                    qjs::JS_EXCEPTION
                } else {
                    qjs::JS_UNDEFINED
                }
            } else {
                qjs::JS_GetProperty(ctx, global, atom)
            };
            qjs::JS_FreeAtom(ctx, atom);
            qjs::JS_FreeValue(ctx, global);
            result
        }
    }));
    outcome.unwrap_or(qjs::JS_EXCEPTION)
}
