//! The by-value builder that describes runtimes.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::console::{ConsoleSink, StdioSink};
use crate::host_module::{ErasedHostModule, HostModule};
use crate::image::HeapImages;
use crate::limits::Limits;
use crate::loader::{FsLoader, SourceLoader};
use crate::module::NativeModule;
use crate::policy::{Policy, UNSAFE_MODULES};

/// Whether runtimes log the calls that cross the JS/Rust boundary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CallLog {
    /// Nothing is logged (the default).
    #[default]
    Disabled,
    /// Every runtime of the factory logs to this SQLite file, opened once when
    /// the factory is built.
    File(PathBuf),
    /// Runtimes log to the process-wide default logger
    /// ([`calllog::configure`](crate::calllog::configure), `JSBOX_CALLLOG_DB`) as
    /// it is when each runtime is created; nothing when none is configured.
    ProcessDefault,
}

/// Everything that describes the runtimes a [`Factory`](crate::Factory) makes.
///
/// A by-value builder: each method consumes and returns the options.
///
/// ```
/// use jsbox::{MemoryLoader, Options};
/// let options = Options::new()
///     .loader(MemoryLoader::new().with("a.js", "module.exports = 1"))
///     .base_dir("/");
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct Options {
    pub(crate) loader: Arc<dyn SourceLoader>,
    pub(crate) modules: Vec<Arc<dyn NativeModule>>,
    pub(crate) host_modules: Vec<Arc<dyn ErasedHostModule>>,
    pub(crate) console: Arc<dyn ConsoleSink>,
    pub(crate) call_log: CallLog,
    pub(crate) base_dir: Option<PathBuf>,
    pub(crate) argv: Vec<String>,
    pub(crate) code_cache_bytes: usize,
    pub(crate) builtins: bool,
    pub(crate) call_log_max_payload: usize,
    pub(crate) limits: Limits,
    pub(crate) policy: Policy,
    pub(crate) heap_images: Option<HeapImages>,
    pub(crate) preload: Option<Preload>,
}

/// Setting this environment variable to `1` turns heap images on (with the
/// default [`HeapImages`]) in every [`Options::new`] of the process, for
/// instance to run a whole test suite on that path.
pub const HEAP_IMAGES_ENV: &str = "JSBOX_HEAP_IMAGES";

fn heap_images_from_env() -> Option<HeapImages> {
    (std::env::var_os(HEAP_IMAGES_ENV).is_some_and(|v| v == "1")).then(HeapImages::default)
}

/// The default bound of a factory's bytecode cache: 32 MiB.
pub const DEFAULT_CODE_CACHE_BYTES: usize = 32 << 20;

impl Default for Options {
    fn default() -> Self {
        Options {
            loader: Arc::new(FsLoader),
            modules: Vec::new(),
            host_modules: Vec::new(),
            console: Arc::new(StdioSink),
            call_log: CallLog::Disabled,
            base_dir: None,
            argv: Vec::new(),
            code_cache_bytes: DEFAULT_CODE_CACHE_BYTES,
            builtins: true,
            call_log_max_payload: crate::calllog::DEFAULT_MAX_PAYLOAD,
            limits: Limits::default(),
            policy: Policy::default(),
            heap_images: heap_images_from_env(),
            preload: None,
        }
    }
}

impl Options {
    /// The defaults: modules from the file system, console to stdout/stderr, no
    /// call log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes runtimes from heap images: the factory builds a template runtime
    /// once per slot and every new runtime is a copy of it, made in a few
    /// microseconds instead of building an engine and its built-ins. See
    /// [`HeapImages`] and `docs/heap-images.md` for what an image may hold.
    pub fn heap_images(mut self, config: HeapImages) -> Self {
        self.heap_images = Some(config);
        self
    }

    /// Makes every runtime the normal way, even when `JSBOX_HEAP_IMAGES=1`.
    pub fn without_heap_images(mut self) -> Self {
        self.heap_images = None;
        self
    }

    /// Runs `source` (a sloppy-mode global script, like a bundle) in every
    /// runtime before it is handed out. With heap images it runs once per slot,
    /// when the image is built, so every runtime starts with it evaluated; it
    /// must not load native modules there (their Rust state would be shared).
    /// Syntax errors make [`Factory::new`](crate::Factory::new) fail.
    pub fn preload(mut self, source: impl Into<String>) -> Self {
        self.preload = Some(Preload::Script(source.into()));
        self
    }

    /// Like [`Options::preload`], for ES module source (named `[preload].mjs`
    /// in the base directory, so relative imports resolve from there): the
    /// modules it imports are loaded and evaluated in every runtime before it
    /// is handed out, so a later `import` of them costs nothing. With heap
    /// images they are evaluated into the image; there, a top-level `await`
    /// must settle with promise jobs alone (no timers), and the build fails
    /// otherwise.
    pub fn preload_module(mut self, source: impl Into<String>) -> Self {
        self.preload = Some(Preload::Module(source.into()));
        self
    }

    /// Sets where `require()` reads module source from (default: [`FsLoader`]).
    pub fn loader(mut self, loader: impl SourceLoader) -> Self {
        self.loader = Arc::new(loader);
        self
    }

    /// Sets a loader that is already shared.
    pub fn shared_loader(mut self, loader: Arc<dyn SourceLoader>) -> Self {
        self.loader = loader;
        self
    }

    /// Leaves out the modules jsbox ships (`fs`, `path`, `database`, ...): only
    /// the modules added with [`Options::module`] can be required. The `process`
    /// global and the timers stay.
    pub fn without_builtin_modules(mut self) -> Self {
        self.builtins = false;
        self
    }

    /// Adds a host module: Rust functions defined once for every runtime of
    /// the factory, with per-runtime state on the Rust side (see
    /// [`HostModule`]). The fast way to add native code: requiring it keeps a
    /// heap-image runtime on its restore path. Two modules with one name make
    /// `Factory::new` fail; a module named like a built-in one replaces it.
    pub fn host_module<S: Send + 'static>(mut self, module: HostModule<S>) -> Self {
        self.host_modules.push(Arc::new(module));
        self
    }

    /// Adds a native module whose `load` runs in each runtime that requires
    /// it and may keep Rust objects (classes, capturing closures) in the
    /// JavaScript heap; a heap-image runtime that loads one is torn down
    /// rather than restored when dropped. Prefer [`Options::host_module`]
    /// where the functions can be defined once. Two modules with one name
    /// make `Factory::new` fail; a module named like a built-in one replaces
    /// it.
    pub fn module(mut self, module: impl NativeModule) -> Self {
        self.modules.push(Arc::new(module));
        self
    }

    /// Adds a native module that is already shared.
    pub fn shared_module(mut self, module: Arc<dyn NativeModule>) -> Self {
        self.modules.push(module);
        self
    }

    /// Sends console output to `sink` instead of stdout/stderr.
    pub fn console(mut self, sink: impl ConsoleSink) -> Self {
        self.console = Arc::new(sink);
        self
    }

    /// Logs every JS/Rust boundary call of every runtime to the SQLite file at `path`.
    pub fn call_log(mut self, path: impl AsRef<Path>) -> Self {
        self.call_log = CallLog::File(path.as_ref().to_path_buf());
        self
    }

    /// Logs to the process-wide default call log, if one is configured when a
    /// runtime is created. Without this (or [`Options::call_log`]) nothing is
    /// logged, whatever the process default.
    pub fn call_log_default(mut self) -> Self {
        self.call_log = CallLog::ProcessDefault;
        self
    }

    /// Limits each logged argument list and result to about `bytes` of JSON;
    /// longer payloads are stored as `{"$truncated": true, "bytes": N, "prefix": ...}`.
    pub fn call_log_max_payload(mut self, bytes: usize) -> Self {
        self.call_log_max_payload = bytes;
        self
    }

    /// Logs nothing (the default).
    pub fn call_log_disabled(mut self) -> Self {
        self.call_log = CallLog::Disabled;
        self
    }

    /// Sets the directory that `Runtime::eval` and `Runtime::require` resolve
    /// relative specifiers against. Default: the loader's choice (the process's
    /// current directory for [`FsLoader`], `/` for [`MemoryLoader`](crate::MemoryLoader)).
    pub fn base_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.base_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Sets the script arguments (what follows the script name in `process.argv`).
    pub fn argv<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.argv = args.into_iter().map(Into::into).collect();
        self
    }

    /// Bounds the factory's bytecode cache for `require()`d modules to `bytes`
    /// (source plus bytecode; default [`DEFAULT_CODE_CACHE_BYTES`]). 0 turns the
    /// cache off: every `require` in a fresh runtime parses its module again.
    pub fn code_cache(mut self, bytes: usize) -> Self {
        self.code_cache_bytes = bytes;
        self
    }

    /// Sets all resource limits at once (see [`Limits`]). A runtime can override
    /// them with [`Factory::new_runtime_with`](crate::Factory::new_runtime_with).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Limits each runtime's engine heap to `bytes`: past it, an allocation
    /// throws `InternalError: out of memory` in the script. After a refusal,
    /// the few small allocations that make and throw that error may pass the
    /// limit by at most 64 KiB, so the script (or the host) always gets the
    /// error object. jsbox's own setup and the preload are not counted.
    pub fn memory_limit(mut self, bytes: usize) -> Self {
        self.limits.memory = Some(bytes);
        self
    }

    /// Limits each runtime's JS stack to `bytes` (and, on every call, to the
    /// room the calling thread's stack has left, less 128 KiB).
    pub fn stack_limit(mut self, bytes: usize) -> Self {
        self.limits.stack = Some(bytes);
        self
    }

    /// Ends any single call (`eval`, `require`, `run_file`, `run`, `call`, a whole
    /// `run_until_idle`) that runs longer than `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.limits.call_timeout = Some(timeout);
        self
    }

    /// Gives each runtime a total running-time budget.
    pub fn time_budget(mut self, budget: Duration) -> Self {
        self.limits.total_time = Some(budget);
        self
    }

    /// Only these native and built-in modules may be required (files still can).
    /// A sub-module such as `fs/promises` is allowed with its module (`fs`).
    pub fn allow_modules<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.policy.allow_modules = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// These native and built-in modules may not be required; denying a module
    /// (`fs`) denies its sub-modules (`fs/promises`) too.
    pub fn deny_modules<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.policy
            .deny_modules
            .extend(names.into_iter().map(Into::into));
        self
    }

    /// The preset for untrusted code: denies `fs`, `exec` (and with it every
    /// `child_process` function and `process.kill`) and `database`, hides
    /// `process.env`, and keeps the pure modules (`path`, `events`, `util`,
    /// `process`, `timers`, console). Requiring a denied module throws an `Error`
    /// with code `ERR_ACCESS_DENIED`. Combine with limits for runaway scripts.
    pub fn sandboxed(mut self) -> Self {
        self.policy
            .deny_modules
            .extend(UNSAFE_MODULES.iter().map(|m| m.to_string()));
        self.policy.hide_env = true;
        self
    }

    /// Makes `process.env` an empty object.
    pub fn hide_env(mut self) -> Self {
        self.policy.hide_env = true;
        self
    }

    /// Confines `fs`, `require` and `database` paths to `dir`: paths are resolved
    /// (symbolic links included) and refused with `ERR_ACCESS_DENIED` when they
    /// leave it. The directory must exist.
    pub fn root(mut self, dir: impl AsRef<Path>) -> Self {
        self.policy.root = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Lets `exec.run` and `child_process` start only these programs
    /// (compared with the program as written, e.g. `"git"` or
    /// `"/usr/bin/git"`; a name without a slash is looked up in the host's
    /// `PATH`). Shell commands (`exec`, `execSync`, `shell: true`) are the
    /// program `/bin/sh`. `process.kill` may then signal only the runtime's
    /// own children.
    pub fn allow_programs<I, S>(mut self, programs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.policy.allow_programs = Some(programs.into_iter().map(Into::into).collect());
        self
    }

    /// The call-log setting.
    pub fn call_log_setting(&self) -> &CallLog {
        &self.call_log
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field(
                "modules",
                &self.modules.iter().map(|m| m.name()).collect::<Vec<_>>(),
            )
            .field("call_log", &self.call_log)
            .field("base_dir", &self.base_dir)
            .field("argv", &self.argv)
            .field("code_cache_bytes", &self.code_cache_bytes)
            .field("builtins", &self.builtins)
            .field("limits", &self.limits)
            .field("policy", &self.policy)
            .field("heap_images", &self.heap_images)
            .field("preload", &self.preload.as_ref().map(Preload::len))
            .finish_non_exhaustive()
    }
}

/// Code every runtime runs before it is handed out.
#[derive(Clone)]
pub(crate) enum Preload {
    Script(String),
    Module(String),
}

impl Preload {
    fn len(&self) -> usize {
        match self {
            Preload::Script(source) | Preload::Module(source) => source.len(),
        }
    }
}
