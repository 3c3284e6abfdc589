//! The Rust-side state of one runtime, found by native functions through the
//! context rather than captured, so one set of functions serves every runtime
//! made from a heap image.

use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rquickjs::Ctx;

use crate::calllog::{new_runtime_id, RuntimeLog};
use crate::esm::ModuleBook;
use crate::factory::Shared;
use crate::intrinsics::Added;
use crate::limits::{Clock, Limits};
use crate::policy::Policy;

/// Rust-side state of one runtime that its native functions share. Native
/// functions find it through the context (see [`RuntimeState::of`]) instead of
/// capturing it, so the functions of a heap image serve every runtime made from it.
pub(crate) struct RuntimeState {
    exit: Mutex<Option<i32>>,
    pub(crate) intrinsics: Added,
    pub(crate) clock: Arc<Clock>,
    pub(super) ticks: AtomicBool,
    pub(crate) id: Arc<str>,
    pub(crate) log: Option<RuntimeLog>,
    /// Set once Rust code other than jsbox's own ran here (a native module's
    /// `load`, `Runtime::with`) or a binding with Rust-side state was made: the
    /// heap may then hold Rust objects that restoring an image would not release.
    pub(super) foreign: AtomicBool,
    /// Set once the call-site prototype's `getFunction` hides jsbox's own
    /// functions (`src/builtins/stack_hook.rs`), before a script's
    /// `Error.prepareStackTrace` can first receive call sites.
    pub(crate) call_sites_patched: AtomicBool,
    /// True while a heap image is built: native state made now would be shared
    /// by every runtime restored from the image, so it is refused.
    building_image: bool,
    /// Whether modules loaded now log their calls: with a call log, or, for an
    /// image build, when the factory's runtimes would have one.
    logs_calls: bool,
    /// Set when `logs_calls` is read while an image is built.
    logging_asked: AtomicBool,
    /// On the heap-image path: the native functions of the bindings made,
    /// one reference each (see [`RuntimeState::note_binding`]).
    native_functions: Mutex<Vec<HeldValue>>,
    /// Set for a runtime lent a heap-image slot.
    on_image: AtomicBool,
    /// `Math.random`'s state in runtimes made from a heap image.
    random: AtomicU64,
    /// What this runtime may reach; every host binding checks it in Rust.
    pub(crate) policy: Arc<Policy>,
    /// The stack limit asked for (`None`: the default).
    pub(super) stack_limit: Option<usize>,
    /// The heap limit asked for: bindings refuse to read more than this into
    /// host memory on a script's behalf.
    pub(crate) memory_limit: Option<usize>,
    /// This runtime's ES module records (see `esm::book`).
    modules: Mutex<ModuleBook>,
    /// The hash states of `crypto`'s Hash and Hmac objects, by handle.
    crypto: Mutex<crate::builtins::crypto::Table>,
    /// When this runtime was made: `performance.now()` counts from here and
    /// `performance.timeOrigin` is the Unix time then, in milliseconds (per
    /// runtime on both paths: an image's build time never shows).
    pub(crate) time_origin: (std::time::Instant, f64),
    /// The factory's host modules, which their functions find through here.
    pub(crate) host_modules: crate::host_module::HostModules,
    /// This runtime's states of those modules, made on first use.
    host_states: Mutex<crate::host_module::HostStates>,
    /// The `database` module's connection: here, not in the heap, so its
    /// functions capture nothing and a heap image can hold them.
    database: Mutex<Option<rusqlite::Connection>>,
    /// The engines of `zlib`'s streams, by handle.
    zlib: Mutex<crate::builtins::zlib::Table>,
    /// The children `child_process.spawn` started (killed when this drops).
    children: Mutex<crate::builtins::exec::Children>,
    /// The files `fs` holds open, by descriptor number (closed when the
    /// runtime is dropped).
    fs_files: Mutex<crate::builtins::fs::Files>,
}

/// A value of a heap-image slot's context, kept in Rust.
struct HeldValue(rquickjs::qjs::JSValue);

// SAFETY: only touched with the slot's engine, by the thread using it.
unsafe impl Send for HeldValue {}

impl RuntimeState {
    pub(crate) fn new(shared: &Shared, limits: Limits, intrinsics: Added) -> Self {
        let id = new_runtime_id();
        let log = shared
            .writer_for_new_runtime()
            .map(|writer| RuntimeLog::new(writer, id.clone(), shared.call_log_max_payload));
        let logs_calls = log.is_some();
        Self::with_parts(shared, id, log, limits, intrinsics, false, logs_calls)
    }

    /// The state of a heap image being built: no call log, nothing foreign,
    /// the factory's time limits (a preload may not run forever), the core
    /// intrinsics only (the rest are added on first use, as on the normal
    /// path).
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
            Added::default(),
            true,
            shared.writer_for_new_runtime().is_some(),
        )
    }

    fn with_parts(
        shared: &Shared,
        id: Arc<str>,
        log: Option<RuntimeLog>,
        limits: Limits,
        intrinsics: Added,
        building_image: bool,
        logs_calls: bool,
    ) -> Self {
        RuntimeState {
            exit: Mutex::new(None),
            intrinsics,
            clock: Clock::new(limits),
            ticks: AtomicBool::new(false),
            id,
            log,
            foreign: AtomicBool::new(false),
            call_sites_patched: AtomicBool::new(false),
            building_image,
            logs_calls,
            logging_asked: AtomicBool::new(false),
            native_functions: Mutex::new(Vec::new()),
            on_image: AtomicBool::new(false),
            random: AtomicU64::new(random_seed()),
            policy: shared.policy.clone(),
            stack_limit: limits.stack,
            memory_limit: limits.memory,
            modules: Mutex::new(ModuleBook::default()),
            crypto: Mutex::new(Default::default()),
            database: Mutex::new(None),
            time_origin: (
                std::time::Instant::now(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64() * 1000.0),
            ),
            host_modules: shared.registry.hosts().clone(),
            host_states: Mutex::new(Default::default()),
            zlib: Mutex::new(Default::default()),
            children: Mutex::new(Default::default()),
            fs_files: Mutex::new(Default::default()),
        }
    }

    /// This runtime's ES module records, locked (briefly: never across a call
    /// into JavaScript, which may come back through a module hook).
    pub(crate) fn modules(&self) -> std::sync::MutexGuard<'_, ModuleBook> {
        self.modules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// This runtime's `crypto` hash states, locked (never across a call into
    /// JavaScript).
    pub(crate) fn crypto_table(&self) -> std::sync::MutexGuard<'_, crate::builtins::crypto::Table> {
        self.crypto.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// This runtime's open `fs` files, locked (never across a call into
    /// JavaScript).
    pub(crate) fn fs_files(&self) -> std::sync::MutexGuard<'_, crate::builtins::fs::Files> {
        self.fs_files.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// This runtime's running child processes, locked (never across a call
    /// into JavaScript).
    pub(crate) fn children(&self) -> std::sync::MutexGuard<'_, crate::builtins::exec::Children> {
        self.children.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// This runtime's `zlib` engines, locked (never across a call into
    /// JavaScript).
    pub(crate) fn zlib_table(&self) -> std::sync::MutexGuard<'_, crate::builtins::zlib::Table> {
        self.zlib.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// This runtime's `database` connection slot, or `None` while it is in use
    /// further up the stack (a script re-entering the module from a getter).
    pub(crate) fn database(
        &self,
    ) -> Option<std::sync::MutexGuard<'_, Option<rusqlite::Connection>>> {
        match self.database.try_lock() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// This runtime's host-module states, locked (only to lend or return
    /// one, never across a call).
    pub(crate) fn host_states(&self) -> std::sync::MutexGuard<'_, crate::host_module::HostStates> {
        self.host_states.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether this is the state of a heap image being built (where
    /// per-runtime native state would be lost or shared).
    pub(crate) fn building_image(&self) -> bool {
        self.building_image
    }

    /// Notes the native functions of a binding just made, on the heap-image
    /// path (nothing otherwise), with one reference each. Their Rust
    /// closures live outside the engine heap: an image build keeps them for
    /// good (the image points at them), and a runtime lent a slot has them
    /// finalized before its slot is restored, which would otherwise forget
    /// them (see `image::Lease`). The binding is walked now, before any
    /// script has seen it, and only rquickjs's native functions are kept,
    /// each once.
    pub(crate) fn note_binding<'js>(
        &self,
        ctx: &Ctx<'js>,
        binding: &rquickjs::Object<'js>,
    ) -> rquickjs::Result<()> {
        if !self.building_image && !self.on_image.load(Ordering::Relaxed) {
            return Ok(());
        }
        let raw_ctx = ctx.as_raw().as_ptr();
        // The class rquickjs gives the functions it makes, in this engine.
        let probe = rquickjs::Function::new(ctx.clone(), || ())?;
        // SAFETY: live values of this context.
        let native = unsafe { rquickjs::qjs::JS_GetClassID(probe.as_raw()) };
        drop(probe);
        let functions = crate::image::functions_reachable(ctx, binding.clone().into_value())?;
        let mut noted = self
            .native_functions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        for function in functions {
            let raw = function.as_raw();
            // SAFETY: `raw` is a live object of this context (the walk
            // returns objects only); the reference taken is handed to the
            // list, released by `take_native_functions`.
            unsafe {
                if rquickjs::qjs::JS_GetClassID(raw) != native
                    || noted.iter().any(|held| held.0.u.ptr == raw.u.ptr)
                {
                    continue;
                }
                rquickjs::qjs::JS_DupValue(raw_ctx, raw);
            }
            noted.push(HeldValue(raw));
        }
        Ok(())
    }

    /// The functions noted by [`RuntimeState::note_binding`], each with the
    /// reference it holds.
    pub(crate) fn take_native_functions<'js>(&self, ctx: &Ctx<'js>) -> Vec<rquickjs::Value<'js>> {
        let made = std::mem::take(
            &mut *self
                .native_functions
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        made.into_iter()
            // SAFETY: each holds one reference taken in `note_binding`, in
            // this context, handed over once.
            .map(|value| unsafe { rquickjs::Value::from_raw(ctx.clone(), value.0) })
            .collect()
    }

    /// Whether [`RuntimeState::note_binding`] noted any function.
    pub(crate) fn made_native_functions(&self) -> bool {
        !self
            .native_functions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// Marks a runtime lent a heap-image slot (see
    /// [`RuntimeState::note_binding`]).
    pub(crate) fn set_on_image(&self) {
        self.on_image.store(true, Ordering::Relaxed);
    }

    /// Whether the exports of modules loaded now are wrapped to log calls.
    /// Asked while an image is built, the answer is then part of the image.
    pub(crate) fn logs_calls(&self) -> bool {
        if self.building_image {
            self.logging_asked.store(true, Ordering::Relaxed);
        }
        self.logs_calls
    }

    /// Whether [`RuntimeState::logs_calls`] was asked while the image was
    /// built: a module loaded then wrapped its exports, or not, for good.
    pub(crate) fn logging_asked(&self) -> bool {
        self.logging_asked.load(Ordering::Relaxed)
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

    /// Whether the context needs jsbox's `Array.prototype.find` family (see
    /// `js/prelude/arrays.js`): when a time limit may interrupt it, which for
    /// a heap image means always (its runtimes may set their own limits).
    pub(crate) fn interruptible(&self) -> bool {
        self.building_image || self.clock.is_timed()
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

    pub(super) fn take_exit(&self) -> Option<i32> {
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
