//! One fresh, isolated JavaScript runtime.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rquickjs::context::intrinsic::{Eval, Json, Promise, Proxy, RegExp, RegExpCompiler};
use rquickjs::function::{Args, IntoArgs, Rest, This};
use rquickjs::{Ctx, Function, Object, Value};

use crate::calllog::{new_runtime_id, Direction, Outcome, RuntimeLog};
use crate::compile::{eval_bytecode, eval_script, Program};
use crate::convert::FromJsValue;
use crate::error::{Error, JsException, Result};
use crate::factory::Shared;
use crate::host::{install, internals};
use crate::image::Lease;
use crate::intrinsics::Added;
use crate::limits::{Clock, Limits};
use crate::loader::normalize;
use crate::policy::Policy;

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

/// Rust-side state of one runtime that its native functions share. Native
/// functions find it through the context (see [`RuntimeState::of`]) instead of
/// capturing it, so the functions of a heap image serve every runtime made from it.
pub(crate) struct RuntimeState {
    exit: Mutex<Option<i32>>,
    pub(crate) intrinsics: Added,
    pub(crate) clock: Arc<Clock>,
    ticks: AtomicBool,
    pub(crate) id: Arc<str>,
    pub(crate) log: Option<RuntimeLog>,
    /// Set once Rust code other than jsbox's own ran here (a native module's
    /// `load`, `Runtime::with`) or a binding with Rust-side state was made: the
    /// heap may then hold Rust objects that restoring an image would not release.
    foreign: AtomicBool,
    /// True while a heap image is built: native state made now would be shared
    /// by every runtime restored from the image, so it is refused.
    building_image: bool,
    /// `Math.random`'s state in runtimes made from a heap image.
    random: AtomicU64,
    /// What this runtime may reach; every host binding checks it in Rust.
    pub(crate) policy: Arc<Policy>,
    /// The stack limit asked for (`None`: the default).
    stack_limit: Option<usize>,
}

impl RuntimeState {
    pub(crate) fn new(shared: &Shared, limits: Limits, intrinsics: Added) -> Self {
        let id = new_runtime_id();
        let log = shared
            .writer_for_new_runtime()
            .map(|writer| RuntimeLog::new(writer, id.clone(), shared.call_log_max_payload));
        Self::with_parts(shared, id, log, limits, intrinsics, false)
    }

    /// The state of a heap image being built: no call log, nothing foreign,
    /// the factory's time limits (a preload may not run forever).
    pub(crate) fn for_image_build(shared: &Shared) -> Self {
        let limits = Limits {
            memory: None,
            stack: None,
            ..shared.limits
        };
        Self::with_parts(
            shared,
            Arc::from("heap-image"),
            None,
            limits,
            Added::full(),
            true,
        )
    }

    fn with_parts(
        shared: &Shared,
        id: Arc<str>,
        log: Option<RuntimeLog>,
        limits: Limits,
        intrinsics: Added,
        building_image: bool,
    ) -> Self {
        RuntimeState {
            exit: Mutex::new(None),
            intrinsics,
            clock: Clock::new(limits),
            ticks: AtomicBool::new(false),
            id,
            log,
            foreign: AtomicBool::new(false),
            building_image,
            random: AtomicU64::new(random_seed()),
            policy: shared.policy.clone(),
            stack_limit: limits.stack,
        }
    }

    /// Makes `self` the state that native functions running in `context` find.
    /// `self` must stay alive, at this address, while `context` runs code.
    pub(crate) fn attach(&self, context: NonNull<rquickjs::qjs::JSContext>) {
        // SAFETY: the context is live; callers keep `self` alive while it runs.
        unsafe {
            rquickjs::qjs::JS_SetContextOpaque(
                context.as_ptr(),
                self as *const RuntimeState as *mut std::ffi::c_void,
            );
        }
    }

    /// The state attached to `ctx` by [`RuntimeState::attach`].
    pub(crate) fn of<'a>(ctx: &Ctx<'_>) -> &'a RuntimeState {
        // SAFETY: every jsbox context gets its state attached before any code
        // runs in it, and the runtime owning that state outlives the context's use.
        unsafe {
            &*(rquickjs::qjs::JS_GetContextOpaque(ctx.as_raw().as_ptr()) as *const RuntimeState)
        }
    }

    /// Called before native code that may keep Rust state in the heap runs:
    /// marks the runtime so its heap is torn down rather than restored, and
    /// refuses while a heap image is being built.
    pub(crate) fn enter_native_code(&self, ctx: &Ctx<'_>, what: &str) -> rquickjs::Result<()> {
        if self.building_image {
            return Err(crate::host::throw_coded(
                ctx,
                &format!(
                    "{what} keeps per-runtime native state and cannot be loaded while a heap image is built"
                ),
                "ERR_JSBOX_HEAP_IMAGE",
                None,
                &[],
            ));
        }
        self.foreign.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Whether Rust code may have left objects in the heap (see `foreign`).
    pub(crate) fn ran_foreign_code(&self) -> bool {
        self.foreign.load(Ordering::Relaxed)
    }

    /// The next `Math.random()` value (xorshift64*), in [0, 1).
    pub(crate) fn next_random(&self) -> f64 {
        let mut x = self.random.load(Ordering::Relaxed);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.random.store(x, Ordering::Relaxed);
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn queue_ticks(&self) {
        self.ticks.store(true, Ordering::Relaxed);
    }

    pub(crate) fn request_exit(&self, code: i32) {
        *self.exit.lock().unwrap_or_else(|e| e.into_inner()) = Some(code);
    }

    fn take_exit(&self) -> Option<i32> {
        self.exit.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// A nonzero seed that differs per call: std's per-instance hash keys.
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(crate::limits::now_ns());
    hasher.finish() | 1
}

/// QuickJS's stack limit when none is set (1 MiB).
const DEFAULT_STACK: usize = 1 << 20;

/// What one turn of the event loop found to do.
enum Turn {
    Ran,
    Wait(f64),
    Idle,
}

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
            // Bookkeeping only; it cannot throw for well-formed input.
            let _ = track.call::<_, ()>((promise, reason, handled));
        }
    })));
    Ok(())
}

impl Runtime {
    /// A runtime with an engine of its own: the normal creation path.
    pub(crate) fn new(shared: Arc<Shared>, limits: Limits) -> Result<Runtime> {
        let engine = rquickjs::Runtime::new().map_err(|e| Error::Engine(e.to_string()))?;
        // The intrinsics the language itself relies on; the rest are added on
        // first use (see `intrinsics`).
        let context =
            rquickjs::Context::custom::<(Eval, RegExpCompiler, RegExp, Json, Promise, Proxy)>(
                &engine,
            )
            .map_err(|e| Error::Engine(e.to_string()))?;
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
        if let Some(bytes) = limits.memory {
            runtime.engine.runtime().set_memory_limit(bytes);
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
        if self.state.clock.is_timed() {
            let clock = self.state.clock.clone();
            self.engine
                .runtime()
                .set_interrupt_handler(Some(Box::new(move || clock.expired())));
        }
    }

    /// Evaluates `source` as a sloppy-mode global script (like a `<script>` tag or
    /// `node -e`) and converts its completion value.
    ///
    /// `require` is a global here, resolving relative specifiers against the
    /// factory's base directory.
    pub fn eval<T: FromJsValue>(&self, source: &str) -> Result<T> {
        self.enter(|ctx, _| {
            let value = eval_script(ctx, source, "<eval>").map_err(|e| js_error(ctx, e))?;
            T::from_js_value(ctx, value)
        })
    }

    /// Runs a precompiled [`Program`] as a global script and converts its
    /// completion value. No parsing happens here.
    pub fn run<T: FromJsValue>(&self, program: &Program) -> Result<T> {
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
            let mut target: Value = ctx.globals().into_value();
            let mut this: Value = target.clone();
            for part in name.split('.') {
                let object = target.as_object().ok_or_else(|| not_a_function(name))?;
                this = target.clone();
                target = object.get(part).map_err(|e| js_error(ctx, e))?;
            }
            let function = target
                .as_function()
                .ok_or_else(|| not_a_function(name))?
                .clone();
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
                None,
                name,
                logged_args.as_value(),
                recorded,
                started.elapsed(),
            );
            T::from_js_value(ctx, outcome?)
        })
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
        self.enter(|ctx, internals| {
            let require: Function = internals
                .get("requireFromBase")
                .map_err(|e| js_error(ctx, e))?;
            let exports: Value = require.call((specifier,)).map_err(|e| js_error(ctx, e))?;
            T::from_js_value(ctx, exports)
        })
    }

    /// Runs the file at `path` as the main module (`require.main === module`).
    /// A relative path is taken from the factory's base directory.
    pub fn run_file(&self, path: impl AsRef<Path>) -> Result<()> {
        let absolute = normalize(&self.shared.base_dir.join(path.as_ref()));
        let absolute = absolute.to_string_lossy().into_owned();
        self.enter(|ctx, internals| {
            let run: Function = internals.get("runMain").map_err(|e| js_error(ctx, e))?;
            run.call::<_, Value>((absolute.as_str(),))
                .map_err(|e| js_error(ctx, e))?;
            Ok(())
        })
    }

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
            let util: Object = internals.get("util").map_err(|e| js_error(ctx, e))?;
            let format: Function = util.get(how).map_err(|e| js_error(ctx, e))?;
            format.call((value,)).map_err(|e| js_error(ctx, e))
        })
    }

    /// Tells whether `source` is an incomplete statement (more lines would
    /// complete it), by compiling it without running it. A REPL uses this to ask
    /// for continuation lines.
    pub fn is_incomplete(&self, source: &str) -> bool {
        let outcome = self.enter(|ctx, _| {
            crate::compile::compile_to_bytecode(ctx, source, "<repl>").map_err(|e| js_error(ctx, e))
        });
        match outcome {
            // QuickJS reports running out of input as "unexpected end of ..." or
            // as an unexpected empty token.
            Err(Error::Exception(e)) if e.name == "SyntaxError" => {
                e.message.to_ascii_lowercase().contains("unexpected end")
                    || e.message.ends_with(": ''")
            }
            _ => false,
        }
    }

    /// The escape hatch: runs `f` with the raw rquickjs context of this runtime.
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
        F: for<'js> FnOnce(Ctx<'js>) -> R,
    {
        // Rust code may leave Rust objects in the heap.
        self.state.foreign.store(true, Ordering::Relaxed);
        self.enter(|ctx, _| {
            // Rust code may create any built-in object: complete the context.
            self.state
                .intrinsics
                .add_all(ctx)
                .map_err(|e| js_error(ctx, e))?;
            Ok(f(ctx.clone()))
        })
    }

    /// Runs the event loop until nothing is pending: microtasks, immediates and
    /// timers (unref'd timers do not keep it alive), in Node's order.
    ///
    /// An exception thrown by a callback, or a promise rejection left unhandled
    /// at the end of a macrotask, ends the loop with that error.
    pub fn run_until_idle(&self) -> Result<()> {
        self.run_loop(None).map(|_| ())
    }

    /// Like [`Runtime::run_until_idle`], but returns at `deadline` at the latest.
    /// `Ok(true)` means the loop went idle, `Ok(false)` that work is still pending.
    pub fn run_until(&self, deadline: Instant) -> Result<bool> {
        self.run_loop(Some(deadline))
    }

    fn run_loop(&self, deadline: Option<Instant>) -> Result<bool> {
        // The whole loop is one call for the time limits.
        let clock = &self.state.clock;
        let armed = clock.begin().map_err(Error::Timeout)?;
        let outcome = self.run_turns(deadline);
        if armed {
            clock.end();
        }
        outcome
    }

    fn run_turns(&self, deadline: Option<Instant>) -> Result<bool> {
        let clock = &self.state.clock;
        loop {
            let turn = self.enter(|ctx, internals| {
                let take: Function = internals.get("takeTask").map_err(|e| js_error(ctx, e))?;
                let task: Value = take.call(()).map_err(|e| js_error(ctx, e))?;
                if let Some(callback) = task.as_function() {
                    callback.call::<_, ()>(()).map_err(|e| js_error(ctx, e))?;
                    Ok(Turn::Ran)
                } else if let Some(ms) = task.as_number() {
                    Ok(Turn::Wait(ms))
                } else {
                    Ok(Turn::Idle)
                }
            })?;
            self.check_rejections()?;
            match turn {
                Turn::Ran => {}
                Turn::Idle => return Ok(true),
                Turn::Wait(ms) => {
                    let mut wait = timer_wait(ms);
                    if let Some(left) = clock.remaining() {
                        if left < wait {
                            std::thread::sleep(left);
                            return Err(Error::Timeout(clock.reason()));
                        }
                    }
                    if let Some(deadline) = deadline {
                        let left = deadline.saturating_duration_since(Instant::now());
                        if left < wait {
                            std::thread::sleep(left);
                            return Ok(false);
                        }
                        wait = wait.min(left);
                    }
                    std::thread::sleep(wait);
                }
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(false);
            }
        }
    }

    /// Reports the first promise rejection that is still unhandled.
    fn check_rejections(&self) -> Result<()> {
        self.enter(|ctx, internals| {
            let take: Function = internals
                .get("takeUnhandledRejection")
                .map_err(|e| js_error(ctx, e))?;
            let found: Value = take.call(()).map_err(|e| js_error(ctx, e))?;
            let Some(found) = found.as_object() else {
                return Ok(());
            };
            let reason: Value = found.get("reason").map_err(|e| js_error(ctx, e))?;
            match exception_error(ctx, reason) {
                Error::Exception(e) | Error::ModuleNotFound { exception: e, .. } => {
                    Err(Error::UnhandledRejection(e))
                }
                other => Err(other),
            }
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

fn not_a_function(name: &str) -> Error {
    Error::Exception(Box::new(JsException {
        name: "TypeError".to_string(),
        message: format!("{name} is not a function"),
        stack: String::new(),
        code: None,
    }))
}

/// The longest a timer may wait (Node's `TIMEOUT_MAX`, 2^31 - 1 ms).
const TIMEOUT_MAX_MS: f64 = 2_147_483_647.0;

/// How long to sleep for a timer due in `ms` milliseconds. The number came
/// from JavaScript, so it is never trusted: NaN and negatives wait nothing,
/// anything beyond `TIMEOUT_MAX` (infinity included) waits `TIMEOUT_MAX`.
fn timer_wait(ms: f64) -> Duration {
    let ms = if ms.is_nan() {
        0.0
    } else {
        ms.clamp(0.0, TIMEOUT_MAX_MS)
    };
    Duration::from_micros((ms * 1000.0) as u64)
}

/// Runs `process.nextTick` callbacks, then promise jobs, until both are empty.
pub(crate) fn drain_jobs<'js>(
    ctx: &Ctx<'js>,
    internals: &Object<'js>,
    state: &RuntimeState,
) -> Result<()> {
    loop {
        if state.ticks.swap(false, Ordering::Relaxed) {
            let run: Function = internals.get("runTicks").map_err(|e| js_error(ctx, e))?;
            run.call::<_, ()>(()).map_err(|e| js_error(ctx, e))?;
        }
        run_promise_jobs(ctx, state)?;
        if !state.ticks.load(Ordering::Relaxed) {
            return Ok(());
        }
    }
}

/// How many jobs keep running after the deadline fired, while the engine's
/// interrupt ends each of them: enough for the engine to poll its interrupt
/// handler a few times (it does so every 10,000 checks), so that an `await`
/// loop is ended and the runtime stays usable; few enough to bound a job storm.
const JOB_GRACE_JOBS: u32 = 50_000;
/// And at most this long, whatever the jobs do.
const JOB_GRACE: Duration = Duration::from_millis(200);

/// Runs promise jobs until none is left, checking the time limits between
/// jobs: a script that queues jobs forever (each job queueing more) is ended by
/// its deadline like a loop. A job that ends with an exception nothing can
/// catch (the deadline, running out of memory) ends the draining with it.
fn run_promise_jobs(ctx: &Ctx<'_>, state: &RuntimeState) -> Result<()> {
    let timed = state.clock.is_timed();
    // SAFETY: the context is live and entered (its lock is held).
    let engine = unsafe { rquickjs::qjs::JS_GetRuntime(ctx.as_raw().as_ptr()) };
    // Set once the deadline fired: jobs still run (the interrupt ends them
    // early) until the queue is empty or the grace period is over.
    let mut grace: Option<(Instant, u32)> = None;
    let mut jobs: u32 = 0;
    loop {
        let mut job_ctx = std::mem::MaybeUninit::<*mut rquickjs::qjs::JSContext>::uninit();
        // SAFETY: the engine is live; the out-pointer is written when a job ran.
        let ran = unsafe { rquickjs::qjs::JS_ExecutePendingJob(engine, job_ctx.as_mut_ptr()) };
        if ran == 0 {
            return Ok(());
        }
        if ran < 0 {
            // The exception is left pending in the job's context: this one,
            // the only context of a jsbox engine.
            return Err(exception_error(ctx, ctx.catch()));
        }
        jobs = jobs.wrapping_add(1);
        match grace {
            None if timed && state.clock.expired() => {
                grace = Some((Instant::now() + JOB_GRACE, jobs));
            }
            Some((until, from))
                if jobs.wrapping_sub(from) >= JOB_GRACE_JOBS
                    || (jobs.is_multiple_of(64) && Instant::now() >= until) =>
            {
                return Err(Error::Timeout(state.clock.reason()));
            }
            _ => {}
        }
    }
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

fn exception_error<'js>(ctx: &Ctx<'js>, thrown: Value<'js>) -> Error {
    let exception = match thrown.as_object() {
        Some(object) if !thrown.is_function() => JsException {
            name: string_prop(object, "name").unwrap_or_else(|| "Error".to_string()),
            message: string_prop(object, "message").unwrap_or_default(),
            stack: user_frames(&string_prop(object, "stack").unwrap_or_default()),
            code: string_prop(object, "code"),
        },
        _ => JsException {
            name: "Uncaught".to_string(),
            message: describe_thrown(ctx, thrown.clone()),
            stack: String::new(),
            code: None,
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

/// Drops the frames of jsbox's own prelude from a stack trace.
fn user_frames(stack: &str) -> String {
    stack
        .lines()
        .filter(|line| !line.contains("(jsbox:") && line.trim() != "at call (native)")
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
