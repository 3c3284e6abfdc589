//! Host modules: native modules whose functions are defined once per factory
//! and whose per-runtime state lives on the Rust side.
//!
//! The model is wasmtime's `Linker` / `Store<T>`: a [`HostModule`] lists plain
//! Rust functions once; each runtime that calls one gets its own state `S`,
//! made by the module's constructor on first use and dropped with the
//! runtime. The JavaScript function objects hold two small integers (which
//! module, which function) and point at one static trampoline: no Rust
//! allocation lives in the JavaScript heap, so a heap-image runtime that uses
//! a host module is restored like one that ran only JavaScript, and a
//! normal-path runtime does not need the lazily added built-ins completed.

use std::any::Any;
use std::ffi::{c_int, CString};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use rquickjs::{qjs, Ctx, FromJs, IntoJs, Object, Value};

use crate::runtime::RuntimeState;

/// The error a host function returns: thrown into the script as an `Error`
/// with this message (and `code`, when set).
///
/// Any `std::error::Error` converts into it, so `?` works in host functions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError {
    message: String,
    code: Option<String>,
}

impl HostError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        HostError {
            message: message.into(),
            code: None,
        }
    }

    /// Sets the error's `code` property (for example `"ERR_COUNTER_RANGE"`).
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The code, if one was set.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for HostError {
    fn from(error: E) -> Self {
        HostError::new(error.to_string())
    }
}

/// What a host function returns.
pub type HostResult<T> = std::result::Result<T, HostError>;

/// A Rust function a [`HostModule`] exports, taking the runtime's state `S`
/// and arguments converted from JavaScript (`Args` is the tuple of their
/// types).
///
/// It is implemented for `Fn(&mut S, A1, ..., An) -> HostResult<R>` (up to
/// six arguments) where each argument converts from any JavaScript value
/// (`i64`, `f64`, `bool`, `String`, `Vec<T>`, `Option<T>`,
/// [`Json<T>`](crate::Json)...) and `R` converts into one. The function must be
/// `Send + Sync + 'static`: it can capture configuration shared by every
/// runtime (an `Arc`), never a JavaScript value or anything of one runtime,
/// which the compiler refuses. Per-runtime data goes in `S`.
pub trait HostFn<S, Args>: Send + Sync + 'static {
    /// Converts the arguments, calls the function, converts the result.
    fn call<'js>(
        &self,
        ctx: &Ctx<'js>,
        state: &mut S,
        args: &[Value<'js>],
    ) -> rquickjs::Result<Value<'js>>;
}

/// Argument `index` (undefined when the script passed fewer).
fn arg<'js, T: FromJs<'js>>(
    ctx: &Ctx<'js>,
    args: &[Value<'js>],
    index: usize,
) -> rquickjs::Result<T> {
    let value = match args.get(index) {
        Some(value) => value.clone(),
        None => Value::new_undefined(ctx.clone()),
    };
    T::from_js(ctx, value)
}

fn finish<'js, R: IntoJs<'js>>(
    ctx: &Ctx<'js>,
    result: HostResult<R>,
) -> rquickjs::Result<Value<'js>> {
    match result {
        Ok(value) => value.into_js(ctx),
        Err(error) => Err(throw_host_error(ctx, &error)),
    }
}

macro_rules! host_fn {
    ($($arg:ident $index:tt),*) => {
        impl<S, F, R, $($arg,)*> HostFn<S, ($($arg,)*)> for F
        where
            F: Fn(&mut S, $($arg,)*) -> HostResult<R> + Send + Sync + 'static,
            R: for<'js> IntoJs<'js>,
            $($arg: for<'js> FromJs<'js>,)*
        {
            #[allow(unused_variables)]
            fn call<'js>(
                &self,
                ctx: &Ctx<'js>,
                state: &mut S,
                args: &[Value<'js>],
            ) -> rquickjs::Result<Value<'js>> {
                let result = self(state, $(arg::<$arg>(ctx, args, $index)?,)*);
                finish(ctx, result)
            }
        }
    };
}

host_fn!();
host_fn!(A0 0);
host_fn!(A0 0, A1 1);
host_fn!(A0 0, A1 1, A2 2);
host_fn!(A0 0, A1 1, A2 2, A3 3);
host_fn!(A0 0, A1 1, A2 2, A3 3, A4 4);
host_fn!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5);

/// One exported function, with its state type erased.
type ErasedFn<S> = Box<
    dyn for<'js> Fn(&Ctx<'js>, &mut S, &[Value<'js>]) -> rquickjs::Result<Value<'js>> + Send + Sync,
>;

/// A native module whose functions are defined once, for every runtime of a
/// factory, with per-runtime state `S` on the Rust side.
///
/// Compared with [`NativeModule`](crate::NativeModule), whose `load` runs per
/// runtime and may put any Rust object in the JavaScript heap, a host module
/// costs a runtime nothing until a script requires it, and keeps heap-image
/// runtimes on their fast path: the exported function objects hold no Rust
/// allocation, and the state is dropped with the runtime.
///
/// ```
/// use jsbox::{HostError, HostModule, Options};
///
/// #[derive(Default)]
/// struct Counter { total: i64 }
///
/// let counter = HostModule::new("counter", "bump(n): adds n to this runtime's count", Counter::default)
///     .function("bump", |c: &mut Counter, n: i64| {
///         if n < 0 {
///             return Err(HostError::new("bump() takes n >= 0").with_code("ERR_OUT_OF_RANGE"));
///         }
///         c.total += n;
///         Ok(c.total)
///     })
///     .function("total", |c: &mut Counter| Ok(c.total));
///
/// let rt = jsbox::open(Options::new().host_module(counter))?;
/// assert_eq!(rt.eval::<i64>("const c = require('counter'); c.bump(2); c.bump(3)")?, 5);
/// let err = rt.eval::<()>("c.bump(-1)").unwrap_err();
/// assert!(err.to_string().contains("n >= 0"));
/// # Ok::<(), jsbox::Error>(())
/// ```
pub struct HostModule<S> {
    name: String,
    doc: String,
    new_state: Box<dyn Fn() -> S + Send + Sync>,
    functions: Vec<(CString, ErasedFn<S>)>,
}

impl<S: Send + 'static> HostModule<S> {
    /// A module named `name` (what scripts pass to `require()`), described by
    /// `doc` (listed by `jsbox modules`), whose per-runtime state `new_state`
    /// makes the first time a runtime calls one of its functions.
    pub fn new(
        name: impl Into<String>,
        doc: impl Into<String>,
        new_state: impl Fn() -> S + Send + Sync + 'static,
    ) -> Self {
        HostModule {
            name: name.into(),
            doc: doc.into(),
            new_state: Box::new(new_state),
            functions: Vec::new(),
        }
    }

    /// Exports `f` as `name` (see [`HostFn`] for the functions accepted). A
    /// later function with the same name replaces it; a name with a NUL byte
    /// is dropped.
    pub fn function<Args: 'static>(self, name: &str, f: impl HostFn<S, Args>) -> Self {
        self.add(
            name,
            Box::new(move |ctx, state, args| f.call(ctx, state, args)),
        )
    }

    /// Exports `f` as `name`, taking the context and the raw argument values
    /// (for callbacks, objects, typed arrays). Such a function may run
    /// JavaScript; the module's state stays lent to it meanwhile, so a call
    /// back into the same module from there throws `ERR_JSBOX_REENTRANT`.
    /// Like a [`NativeModule`](crate::NativeModule), it may make any
    /// built-in object, so the runtime's lazily added built-ins are
    /// completed before it runs.
    pub fn raw_function(
        self,
        name: &str,
        f: impl for<'js> Fn(&Ctx<'js>, &mut S, &[Value<'js>]) -> rquickjs::Result<Value<'js>>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        self.add(
            name,
            Box::new(move |ctx, state, args| {
                RuntimeState::of(ctx).intrinsics.add_all(ctx)?;
                f(ctx, state, args)
            }),
        )
    }

    fn add(mut self, name: &str, f: ErasedFn<S>) -> Self {
        if let Ok(name) = CString::new(name) {
            self.functions.retain(|(existing, _)| *existing != name);
            self.functions.push((name, f));
        }
        self
    }
}

impl HostModule<()> {
    /// A module without per-runtime state: its functions take `&mut ()`.
    pub fn stateless(name: impl Into<String>, doc: impl Into<String>) -> Self {
        HostModule::new(name, doc, || ())
    }
}

/// A host module with its state type erased, as a factory holds it.
pub(crate) trait ErasedHostModule: Send + Sync {
    fn name(&self) -> &str;
    fn doc(&self) -> &str;
    fn function_names(&self) -> Vec<&std::ffi::CStr>;
    fn new_state(&self) -> Box<dyn Any + Send>;
    fn call<'js>(
        &self,
        function: usize,
        ctx: &Ctx<'js>,
        state: &mut (dyn Any + Send),
        args: &[Value<'js>],
    ) -> rquickjs::Result<Value<'js>>;
}

impl<S: Send + 'static> ErasedHostModule for HostModule<S> {
    fn name(&self) -> &str {
        &self.name
    }

    fn doc(&self) -> &str {
        &self.doc
    }

    fn function_names(&self) -> Vec<&std::ffi::CStr> {
        self.functions
            .iter()
            .map(|(name, _)| name.as_c_str())
            .collect()
    }

    fn new_state(&self) -> Box<dyn Any + Send> {
        Box::new((self.new_state)())
    }

    fn call<'js>(
        &self,
        function: usize,
        ctx: &Ctx<'js>,
        state: &mut (dyn Any + Send),
        args: &[Value<'js>],
    ) -> rquickjs::Result<Value<'js>> {
        let (Some((_, f)), Some(state)) = (self.functions.get(function), state.downcast_mut::<S>())
        else {
            return Err(throw_host_error(
                ctx,
                &HostError::new("no such host function"),
            ));
        };
        f(ctx, state, args)
    }
}

/// The host modules of a factory, by index (the number their functions carry).
pub(crate) type HostModules = Arc<[Arc<dyn ErasedHostModule>]>;

/// A runtime's states of its factory's host modules, made on first use.
#[derive(Default)]
pub(crate) struct HostStates {
    states: Vec<StateSlot>,
}

#[derive(Default)]
enum StateSlot {
    #[default]
    Unmade,
    Ready(Box<dyn Any + Send>),
    /// Lent to a call further up the stack.
    InUse,
}

impl HostStates {
    /// Takes module `index`'s state for a call (making it on first use);
    /// `None` while a call further up the stack has it.
    fn take(&mut self, index: usize, module: &dyn ErasedHostModule) -> Option<Box<dyn Any + Send>> {
        if self.states.len() <= index {
            self.states.resize_with(index + 1, StateSlot::default);
        }
        match std::mem::replace(&mut self.states[index], StateSlot::InUse) {
            StateSlot::Ready(state) => Some(state),
            StateSlot::Unmade => Some(module.new_state()),
            StateSlot::InUse => None,
        }
    }

    fn give_back(&mut self, index: usize, state: Box<dyn Any + Send>) {
        if let Some(slot) = self.states.get_mut(index) {
            *slot = StateSlot::Ready(state);
        }
    }
}

/// Fills `exports` with module `index`'s functions: native function objects
/// that carry `(index, function)` and point at [`trampoline`].
pub(crate) fn load<'js>(
    ctx: &Ctx<'js>,
    index: usize,
    module: &dyn ErasedHostModule,
    exports: &Object<'js>,
) -> rquickjs::Result<()> {
    let raw = ctx.as_raw().as_ptr();
    let module_index = c_int::try_from(index).map_err(|_| rquickjs::Error::Unknown)?;
    for (function, name) in module.function_names().into_iter().enumerate() {
        let magic = c_int::try_from(function).map_err(|_| rquickjs::Error::Unknown)?;
        // SAFETY: the context is live and entered; `data` is copied by the
        // engine; the new value is owned by the `Value` made from it.
        let value = unsafe {
            let mut data = [qjs::JS_MKVAL(qjs::JS_TAG_INT, module_index)];
            let f = qjs::JS_NewCFunctionData2(
                raw,
                Some(trampoline),
                name.as_ptr(),
                0,
                magic,
                1,
                data.as_mut_ptr(),
            );
            if qjs::JS_IsException(f) {
                return Err(rquickjs::Error::Exception);
            }
            Value::from_raw(ctx.clone(), f)
        };
        let name = name.to_str().map_err(|_| rquickjs::Error::Unknown)?;
        exports.set(name, value)?;
    }
    Ok(())
}

/// The one native function behind every host function: finds the module
/// and the runtime's state, converts, calls, and never lets a panic out.
unsafe extern "C" fn trampoline(
    ctx: *mut qjs::JSContext,
    _this: qjs::JSValue,
    argc: c_int,
    argv: *mut qjs::JSValue,
    magic: c_int,
    data: *mut qjs::JSValue,
) -> qjs::JSValue {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the engine calls with a live context and `argc` arguments.
        let ctx = unsafe { Ctx::from_raw(std::ptr::NonNull::new_unchecked(ctx)) };
        let mut module_index: i32 = -1;
        // SAFETY: `data` holds the one value `load` put there.
        unsafe { qjs::JS_ToInt32(ctx.as_raw().as_ptr(), &mut module_index, *data) };
        let args: Vec<Value<'_>> = (0..usize::try_from(argc).unwrap_or(0))
            // SAFETY: `argv` has `argc` values, borrowed for the call.
            .map(|i| unsafe {
                Value::from_raw(
                    ctx.clone(),
                    qjs::JS_DupValue(ctx.as_raw().as_ptr(), *argv.add(i)),
                )
            })
            .collect();
        let result = call(&ctx, module_index, magic, &args);
        match result {
            // SAFETY: the engine takes the duplicated reference; `value`
            // releases its own.
            Ok(value) => unsafe { qjs::JS_DupValue(ctx.as_raw().as_ptr(), value.as_raw()) },
            Err(rquickjs::Error::Exception) => qjs::JS_EXCEPTION,
            // An argument that does not convert: the script's mistake.
            Err(error) => {
                let _ = rquickjs::Exception::throw_type(&ctx, &error.to_string());
                qjs::JS_EXCEPTION
            }
        }
    }));
    outcome.unwrap_or_else(|_| {
        // SAFETY: the context is live; the message is a static C string.
        unsafe {
            qjs::JS_ThrowInternalError(ctx, c"a host function panicked".as_ptr());
        }
        qjs::JS_EXCEPTION
    })
}

fn call<'js>(
    ctx: &Ctx<'js>,
    module_index: i32,
    function: c_int,
    args: &[Value<'js>],
) -> rquickjs::Result<Value<'js>> {
    let state = RuntimeState::of(ctx);
    let (Ok(index), Ok(function)) = (usize::try_from(module_index), usize::try_from(function))
    else {
        return Err(throw_host_error(
            ctx,
            &HostError::new("no such host function"),
        ));
    };
    let Some(module) = state.host_modules.get(index).cloned() else {
        return Err(throw_host_error(
            ctx,
            &HostError::new("no such host module"),
        ));
    };
    let taken = state.host_states().take(index, &*module);
    let Some(mut module_state) = taken else {
        return Err(throw_host_error(
            ctx,
            &HostError::new(format!(
                "{}: called again while one of its calls is running",
                module.name()
            ))
            .with_code("ERR_JSBOX_REENTRANT"),
        ));
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        module.call(function, ctx, &mut *module_state, args)
    }));
    // Back before anything else runs, even after a panic (whose state is
    // kept, as a poisoned lock's would be).
    state.host_states().give_back(index, module_state);
    result.unwrap_or_else(|_| {
        Err(rquickjs::Exception::throw_internal(
            ctx,
            "a host function panicked",
        ))
    })
}

/// Throws `error` into the script as an `Error` (with its `code`).
fn throw_host_error(ctx: &Ctx<'_>, error: &HostError) -> rquickjs::Error {
    match error.code() {
        Some(code) => crate::builtins::node_error::throw_error(ctx, error.message(), code, &[]),
        None => rquickjs::Exception::throw_message(ctx, error.message()),
    }
}
