//! One fresh, isolated JavaScript runtime: the handle (here), its Rust-side
//! state (`state`), the event loop (`event_loop`), ES module entry points
//! (`esm`), what a REPL needs (`repl`), and the conversion of engine errors
//! into jsbox errors (`errors`).

mod errors;
mod esm;
mod event_loop;
mod exit;
mod repl;
mod state;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use rquickjs::context::intrinsic::{Eval, Json, Promise, Proxy, RegExp, RegExpCompiler};
use rquickjs::function::{Args, IntoArgs, Rest, This};
use rquickjs::{Ctx, Function, Object, Value};

use crate::calllog::{Direction, Outcome, RuntimeLog};
use crate::compile::{eval_bytecode, eval_script, Program};
use crate::convert::FromJsValue;
use crate::error::{Error, Result};
use crate::factory::Shared;
use crate::heap_limit::LimitedAllocator;
use crate::host::{entry_function, install, internals};
use crate::image::Lease;
use crate::intrinsics::Added;
use crate::limits::Limits;
use crate::loader::normalize;

use errors::not_a_function;
pub(crate) use errors::{guarded, js_error};
pub(crate) use event_loop::drain_jobs;
pub(crate) use state::RuntimeState;

/// A JavaScript runtime: its own engine heap, realm, module cache, console state
/// and native-module state.
///
/// Made by [`Factory::new_runtime`](crate::Factory::new_runtime) or
/// [`open`](crate::open). It is `Send` (build it on one thread, use it on another)
/// but not `Sync`: one thread uses it at a time. Dropping it frees everything it
/// owns (a runtime made from a heap image hands its slot back, restored).
pub struct Runtime {
    // Field order matters: the engine goes before the state its context points to.
    engine: Engine,
    shared: Arc<Shared>,
    state: Arc<RuntimeState>,
}

/// The engine heap and realm behind a runtime.
pub(crate) enum Engine {
    /// Made for this runtime alone.
    Owned {
        // The context must be freed before its engine runtime.
        context: rquickjs::Context,
        runtime: rquickjs::Runtime,
    },
    /// A heap-image slot, lent for this runtime's life.
    Image(Lease),
}

impl Engine {
    pub(crate) fn context(&self) -> &rquickjs::Context {
        match self {
            Engine::Owned { context, .. } => context,
            Engine::Image(lease) => lease.context(),
        }
    }

    pub(crate) fn runtime(&self) -> &rquickjs::Runtime {
        match self {
            Engine::Owned { runtime, .. } => runtime,
            Engine::Image(lease) => lease.runtime(),
        }
    }
}

/// What `require` from Rust found.
enum Required {
    Exports(rquickjs::Persistent<Value<'static>>),
    /// An ES module, by path: imported rather than required.
    Module(String),
}

/// QuickJS's stack limit when none is set (1 MiB).
const DEFAULT_STACK: usize = 1 << 20;

/// Wires a fresh context: the prelude with `require`, `console` and the
/// modules, and the engine's promise-rejection tracker. Shared by the owned
/// path and heap-image builds. `lazy_intrinsics` tells a context made with
/// only the core intrinsics (the rest are added on first use).
pub(crate) fn wire(
    engine: &rquickjs::Runtime,
    context: &rquickjs::Context,
    shared: &Arc<Shared>,
    state: &RuntimeState,
    lazy_intrinsics: bool,
) -> Result<()> {
    engine.set_max_stack_size(crate::limits::stack_limit_here(DEFAULT_STACK));
    context.with(|ctx| {
        guarded(|| install(&ctx, shared, state, lazy_intrinsics).map_err(|e| js_error(&ctx, e)))
    })?;
    engine.set_host_promise_rejection_tracker(Some(Box::new(|ctx, promise, reason, handled| {
        let track =
            internals(&ctx).and_then(|internals| internals.get::<_, Function>("trackRejection"));
        if let Ok(track) = track {
            // Called inside the engine's promise machinery, with script frames
            // below: the call must not move the stack limit.
            let handled = Value::new_bool(ctx.clone(), handled);
            let this = Value::new_undefined(ctx.clone());
            // Bookkeeping only; it cannot throw but for the time or memory
            // limits, which end the call that caused the rejection anyway.
            if crate::jsvalues::call_in_place(&ctx, &track, &this, &[promise, reason, handled])
                .is_err()
            {
                let _ = ctx.catch();
            }
        }
    })));
    Ok(())
}

/// A context with the intrinsics the language itself relies on; the rest are
/// added on first use (see `intrinsics`).
pub(crate) fn core_context(engine: &rquickjs::Runtime) -> rquickjs::Result<rquickjs::Context> {
    rquickjs::Context::custom::<(Eval, RegExpCompiler, RegExp, Json, Promise, Proxy)>(engine)
}

impl Runtime {
    /// A runtime with an engine of its own: the normal creation path.
    pub(crate) fn new(shared: Arc<Shared>, limits: Limits) -> Result<Runtime> {
        // A heap limit is kept by the allocator (see `heap_limit`), set once
        // jsbox's own setup and the preload are done.
        let (engine, heap_limit) = match limits.memory {
            Some(bytes) => {
                let (allocator, limit) = LimitedAllocator::new();
                (
                    rquickjs::Runtime::new_with_alloc(allocator),
                    Some((limit, bytes)),
                )
            }
            None => (rquickjs::Runtime::new(), None),
        };
        let engine = engine.map_err(|e| Error::Engine(e.to_string()))?;
        let context = core_context(&engine).map_err(|e| Error::Engine(e.to_string()))?;
        let state = Arc::new(RuntimeState::new(&shared, limits, Added::default()));
        wire(&engine, &context, &shared, &state, true)?;
        let runtime = Runtime {
            engine: Engine::Owned {
                context,
                runtime: engine,
            },
            state,
            shared,
        };
        // The time limits cover the preload too: it is user code.
        runtime.arm_interrupts();
        if let Some(preload) = &runtime.shared.preload {
            runtime.run::<()>(preload)?;
        }
        // The heap limit applies to the script, not to jsbox's own setup.
        if let Some((limit, bytes)) = heap_limit {
            limit.store(bytes, Ordering::Relaxed);
        }
        Ok(runtime)
    }

    /// A runtime on a heap-image slot, already restored to its template.
    pub(crate) fn on_image(shared: Arc<Shared>, lease: Lease, state: Arc<RuntimeState>) -> Runtime {
        let runtime = Runtime {
            engine: Engine::Image(lease),
            state,
            shared,
        };
        runtime.arm_interrupts();
        runtime
    }

    /// The heap-image slot lent to this runtime, for the crate's own tests.
    #[cfg(test)]
    pub(crate) fn lease(&self) -> Option<&Lease> {
        match &self.engine {
            Engine::Image(lease) => Some(lease),
            Engine::Owned { .. } => None,
        }
    }

    /// Installs the interrupt handler that enforces the time limits.
    fn arm_interrupts(&self) {
        self.state.clock.arm(self.engine.runtime());
    }

    /// Evaluates `source` as a sloppy-mode global script (like a `<script>` tag or
    /// `node -e`) and converts its completion value.
    ///
    /// `require` is a global here (as for `node -e`), resolving relative
    /// specifiers against the factory's base directory; after
    /// [`run_file`](Runtime::run_file) of a CommonJS file it is gone.
    pub fn eval<T: FromJsValue>(&self, source: &str) -> Result<T> {
        self.enter(|ctx, _| {
            let value = eval_script(ctx, source, "<eval>").map_err(|e| js_error(ctx, e))?;
            T::from_js_value(ctx, value)
        })
    }

    /// Runs a precompiled [`Program`] as a global script and converts its
    /// completion value. No parsing happens here.
    ///
    /// An ES module program ([`Factory::compile_module`](crate::Factory::compile_module))
    /// loads its imports, evaluates (the event loop runs until it has, for
    /// top-level `await`) and converts its namespace.
    pub fn run<T: FromJsValue>(&self, program: &Program) -> Result<T> {
        if program.is_module() {
            return self.run_module_program(program);
        }
        self.enter(|ctx, _| {
            let value = eval_bytecode(ctx, program.bytecode()).map_err(|e| js_error(ctx, e))?;
            T::from_js_value(ctx, value)
        })
    }

    /// Calls the global function `name` (a dotted path such as `handlers.onEvent`
    /// works too) with `args` and converts its result.
    ///
    /// With call logging on, the call is logged as `native->js`.
    ///
    /// ```
    /// let rt = jsbox::open(jsbox::Options::new())?;
    /// rt.eval::<()>("function add(a, b) { return a + b }")?;
    /// assert_eq!(rt.call::<_, i64>("add", (40, 2))?, 42);
    /// # Ok::<(), jsbox::Error>(())
    /// ```
    pub fn call<A, T>(&self, name: &str, args: A) -> Result<T>
    where
        A: for<'js> IntoArgs<'js>,
        T: FromJsValue,
    {
        self.enter(|ctx, _| {
            let (this, function) = lookup(ctx, ctx.globals().into_value(), name)?;
            self.invoke(ctx, None, name, this, function, args)
        })
    }

    /// Requires `specifier` (as [`Runtime::require`] does) and calls the
    /// function its exports hold under `name` (a dotted path works too), with
    /// the exports object as `this`; converts the result. No global is
    /// involved. Logged as `native->js` with `specifier` as the module.
    ///
    /// ```
    /// use jsbox::{open, MemoryLoader, Options};
    ///
    /// let rt = open(Options::new().loader(MemoryLoader::new().with(
    ///     "math.js",
    ///     "exports.add = (a, b) => a + b;",
    /// )))?;
    /// assert_eq!(rt.call_export::<_, i64>("./math.js", "add", (40, 2))?, 42);
    /// # Ok::<(), jsbox::Error>(())
    /// ```
    pub fn call_export<A, T>(&self, specifier: &str, name: &str, args: A) -> Result<T>
    where
        A: for<'js> IntoArgs<'js>,
        T: FromJsValue,
    {
        let exports = match self.require_value(specifier)? {
            Required::Exports(exports) => exports,
            // An ES module is imported (the safe way to reach a graph that may
            // be loaded already), then called.
            Required::Module(path) => self.import_persistent(&crate::esm::file_url(&path))?,
        };
        self.enter(|ctx, _| {
            let exports = exports.restore(ctx).map_err(|e| js_error(ctx, e))?;
            let (this, function) = lookup(ctx, exports, name)?;
            self.invoke(ctx, Some(specifier), name, this, function, args)
        })
    }

    /// Requires `specifier` from the base directory, resolving it once: the
    /// exports of a CommonJS file or built-in, or the path of an ES module.
    fn require_value(&self, specifier: &str) -> Result<Required> {
        self.enter(|ctx, _| {
            let require: Function =
                entry_function(ctx, "requireFromRust").map_err(|e| js_error(ctx, e))?;
            let found: rquickjs::Array =
                require.call((specifier,)).map_err(|e| js_error(ctx, e))?;
            let kind: String = found.get(0).map_err(|e| js_error(ctx, e))?;
            let value: Value = found.get(1).map_err(|e| js_error(ctx, e))?;
            Ok(if kind == "module" {
                Required::Module(String::from_js_value(ctx, value)?)
            } else {
                Required::Exports(rquickjs::Persistent::save(ctx, value))
            })
        })
    }

    /// Calls `function` with `this` and `args`, logging the call when the
    /// runtime logs.
    fn invoke<'js, A, T>(
        &self,
        ctx: &Ctx<'js>,
        module: Option<&str>,
        name: &str,
        this: Value<'js>,
        function: Function<'js>,
        args: A,
    ) -> Result<T>
    where
        A: IntoArgs<'js>,
        T: FromJsValue,
    {
        let mut js_args = Args::new(ctx.clone(), args.num_args());
        let Some(log) = &self.state.log else {
            js_args.this(this).map_err(|e| js_error(ctx, e))?;
            args.into_args(&mut js_args).map_err(|e| js_error(ctx, e))?;
            let result: Value = js_args.apply(&function).map_err(|e| js_error(ctx, e))?;
            return T::from_js_value(ctx, result);
        };
        // Gather the arguments as an array first, so they can be logged.
        let array_of: Function = ctx
            .globals()
            .get::<_, Object>("Array")
            .and_then(|array| array.get("of"))
            .map_err(|e| js_error(ctx, e))?;
        args.into_args(&mut js_args).map_err(|e| js_error(ctx, e))?;
        let logged_args: rquickjs::Array =
            js_args.apply(&array_of).map_err(|e| js_error(ctx, e))?;
        let values: Vec<Value> = logged_args
            .iter()
            .collect::<rquickjs::Result<_>>()
            .map_err(|e| js_error(ctx, e))?;
        let started = Instant::now();
        let outcome = function
            .call::<_, Value>((This(this), Rest(values)))
            .map_err(|e| js_error(ctx, e));
        let recorded = match &outcome {
            Ok(value) => Outcome::Returned(value),
            Err(error) => Outcome::Threw(error.to_string()),
        };
        log.record(
            Direction::NativeToJs,
            module,
            name,
            logged_args.as_value(),
            recorded,
            started.elapsed(),
        );
        T::from_js_value(ctx, outcome?)
    }

    /// This runtime's id, as stored in the call log's `runtime_id` column.
    pub fn id(&self) -> &str {
        &self.state.id
    }

    /// Writes this runtime's buffered call-log rows to disk and waits for them.
    /// (Dropping the runtime hands them to the writer without waiting.)
    pub fn flush_call_log(&self) {
        if let Some(log) = &self.state.log {
            log.flush();
        }
    }

    /// Rows written and lost by the call log this runtime feeds, if it logs.
    pub fn call_log_stats(&self) -> Option<crate::calllog::CallLogStats> {
        self.state.log.as_ref().map(RuntimeLog::stats)
    }

    /// Requires `specifier` as if from a module in the base directory and
    /// converts its exports.
    pub fn require<T: FromJsValue>(&self, specifier: &str) -> Result<T> {
        match self.require_value(specifier)? {
            Required::Exports(exports) => self.enter(|ctx, _| {
                let exports = exports.restore(ctx).map_err(|e| js_error(ctx, e))?;
                T::from_js_value(ctx, exports)
            }),
            Required::Module(path) => self.import(&crate::esm::file_url(&path)),
        }
    }

    /// Runs the file at `path` as the main module. A relative path is taken
    /// from the factory's base directory.
    ///
    /// A CommonJS file runs as `require.main`. As under `node file.js`, its
    /// `require`, `module`, `exports`, `__filename` and `__dirname` are its
    /// wrapper's parameters, never globals: this removes the global `require`
    /// that [`eval`](Runtime::eval) offers (unless the preload replaced it),
    /// for the rest of this runtime's life. [`Runtime::require`] works either way.
    ///
    /// An ES module (`.mjs`, or `.js` in a `"type": "module"` package) is
    /// imported, and the event loop runs until its graph has evaluated
    /// (top-level `await` included); an error while loading or evaluating it is
    /// this call's error.
    pub fn run_file(&self, path: impl AsRef<Path>) -> Result<()> {
        let absolute = normalize(&self.shared.base_dir.join(path.as_ref()));
        if let Some(module) = self.es_module_entry(&absolute) {
            return self.run_module_main(&module);
        }
        let absolute = absolute.to_string_lossy().into_owned();
        self.enter(|ctx, _| {
            let run: Function = entry_function(ctx, "runMain").map_err(|e| js_error(ctx, e))?;
            run.call::<_, Value>((absolute.as_str(),))
                .map_err(|e| js_error(ctx, e))?;
            Ok(())
        })
    }

    /// The escape hatch: runs `f` with the raw rquickjs context of this runtime.
    ///
    /// `?` works on rquickjs results inside `f` (`jsbox::Error` converts from
    /// `rquickjs::Error`): an exception thrown by JavaScript comes back as
    /// [`Error::Exception`] with its name, message and stack.
    ///
    /// ```
    /// use jsbox::rquickjs::{Function, Object};
    ///
    /// let rt = jsbox::open(jsbox::Options::new())?;
    /// let sum = rt.with(|ctx| {
    ///     let math: Object = ctx.globals().get("Math")?;
    ///     let max: Function = math.get("max")?;
    ///     Ok(max.call::<_, i64>((3, 9, 4))?)
    /// })?;
    /// assert_eq!(sum, 9);
    ///
    /// let error = rt.with(|ctx| Ok(ctx.eval::<(), _>("null.x")?)).unwrap_err();
    /// assert_eq!(error.exception().unwrap().name, "TypeError");
    /// # Ok::<(), jsbox::Error>(())
    /// ```
    ///
    /// Values must not leave the closure, and `f` must not call back into this
    /// same `Runtime` (the engine lock is held; it would deadlock). A panic
    /// inside `f` is caught and returned as [`Error::Panic`].
    ///
    /// Nothing that points into the engine heap may outlive this runtime: not
    /// a value, not an `rquickjs::Persistent` (its `'static` type lets it
    /// escape the closure), not a `Ctx`. Once the runtime is dropped its heap
    /// is freed, or, with heap images, handed to the next runtime, and such a
    /// handle would reach another runtime's objects. Copy data out instead
    /// (into Rust types, or through [`Json`](crate::Json)).
    pub fn with<F, R>(&self, f: F) -> Result<R>
    where
        F: for<'js> FnOnce(Ctx<'js>) -> Result<R>,
    {
        // Rust code may leave Rust objects in the heap.
        self.state.foreign.store(true, Ordering::Relaxed);
        self.enter(|ctx, _| {
            // Rust code may create any built-in object: complete the context.
            self.state
                .intrinsics
                .add_all(ctx)
                .map_err(|e| js_error(ctx, e))?;
            f(ctx.clone()).map_err(|error| match error {
                // Converted from `rquickjs::Error::Exception`: the exception
                // itself is still pending in the engine.
                Error::Exception(e) if e.is_pending_marker() && ctx.has_exception() => {
                    js_error(ctx, rquickjs::Error::Exception)
                }
                other => other,
            })
        })
    }

    /// Runs pending promise jobs (microtasks) until none is left.
    ///
    /// Called after every `eval`, `require` and `run_file`, so callers rarely need it.
    pub fn run_pending_jobs(&self) -> Result<()> {
        self.enter(|_, _| Ok(()))
    }

    /// The script arguments given in the options.
    pub fn argv(&self) -> &[String] {
        &self.shared.argv
    }

    /// Memory used by this runtime's engine heap, in bytes.
    pub fn memory_used(&self) -> i64 {
        self.engine.runtime().memory_usage().memory_used_size
    }

    /// Enters the context with the panic boundary in place, then drains pending
    /// jobs. A panic in native code is caught here, inside the engine lock, so it
    /// neither unwinds through the engine nor poisons the lock.
    fn enter<R>(&self, f: impl for<'js> FnOnce(&Ctx<'js>, &Object<'js>) -> Result<R>) -> Result<R> {
        // Set on every entry: the thread may differ from the last call's (a
        // runtime is `Send`), and so may its stack.
        let stack = self.state.stack_limit.unwrap_or(DEFAULT_STACK);
        self.engine
            .runtime()
            .set_max_stack_size(crate::limits::stack_limit_here(stack));
        let clock = &self.state.clock;
        let armed = clock.begin().map_err(Error::Timeout)?;
        let outcome = self.engine.context().with(|ctx| {
            guarded(|| {
                let internals = internals(&ctx).map_err(|e| js_error(&ctx, e))?;
                let result = f(&ctx, &internals);
                let drained = drain_jobs(&ctx, &internals, &self.state);
                result.and_then(|value| drained.map(|()| value))
            })
        });
        if armed {
            clock.end();
        }
        // A deadline that fired inside a promise job leaves no error behind (the
        // engine drops job exceptions), so the clock is asked either way.
        let fired = clock.take_fired();
        match (outcome, fired) {
            (Err(error), fired) => Err(match (self.state.take_exit(), fired) {
                (Some(code), _) => Error::Exit(code),
                (None, Some(limit)) => Error::Timeout(limit),
                (None, None) => error,
            }),
            (Ok(_), Some(limit)) => Err(Error::Timeout(limit)),
            (Ok(value), None) => Ok(value),
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime").finish_non_exhaustive()
    }
}

/// Follows the dotted `path` from `root` to a function; returns it with the
/// object it was read from (its `this`).
fn lookup<'js>(
    ctx: &Ctx<'js>,
    root: Value<'js>,
    path: &str,
) -> Result<(Value<'js>, Function<'js>)> {
    let mut target = root;
    let mut this = target.clone();
    for part in path.split('.') {
        let object = target.as_object().ok_or_else(|| not_a_function(path))?;
        this = target.clone();
        target = object.get(part).map_err(|e| js_error(ctx, e))?;
    }
    let function = target
        .as_function()
        .ok_or_else(|| not_a_function(path))?
        .clone();
    Ok((this, function))
}
