//! The engine factory: reusable setup built once, cheap runtimes made from it.

use std::path::PathBuf;
use std::sync::Arc;

use crate::calllog::{open_writer, CallLogStats, Writer};
use crate::code_cache::{CodeCache, CodeCacheStats};
use crate::compile::Program;
use crate::console::ConsoleSink;
use crate::error::{Error, Result};
use crate::image::{HeapImageStats, Pool};
use crate::limits::Limits;
use crate::loader::{normalize, SourceLoader};
use crate::module::ModuleRegistry;
use crate::options::Preload;
use crate::options::{CallLog, Options};
use crate::policy::Policy;
use crate::prelude::Prelude;
use crate::runtime::Runtime;

/// What every runtime of a factory shares: immutable, validated once.
pub(crate) struct Shared {
    pub(crate) loader: Arc<dyn SourceLoader>,
    pub(crate) registry: ModuleRegistry,
    pub(crate) console: Arc<dyn ConsoleSink>,
    pub(crate) base_dir: PathBuf,
    pub(crate) base_dir_str: String,
    pub(crate) argv: Vec<String>,
    pub(crate) prelude: &'static Prelude,
    pub(crate) code_cache: CodeCache,
    pub(crate) call_log: CallLog,
    pub(crate) call_log_writer: Option<Arc<Writer>>,
    pub(crate) call_log_max_payload: usize,
    pub(crate) limits: Limits,
    pub(crate) policy: Arc<Policy>,
    /// User code every runtime runs before it is handed out.
    pub(crate) preload: Option<Program>,
}

impl Shared {
    /// The writer a new runtime logs to, if any.
    pub(crate) fn writer_for_new_runtime(&self) -> Option<Arc<Writer>> {
        match self.call_log {
            CallLog::Disabled => None,
            CallLog::File(_) => self.call_log_writer.clone(),
            CallLog::ProcessDefault => crate::calllog::default_writer(),
        }
    }

    fn flush_call_log(&self) {
        match self.call_log {
            CallLog::Disabled => {}
            CallLog::File(_) => self.call_log_writer.iter().for_each(|w| w.flush()),
            CallLog::ProcessDefault => crate::calllog::flush(),
        }
    }
}

/// The last handle to a factory's setup going away (every clone and every
/// runtime dropped) writes out the call log.
impl Drop for Shared {
    fn drop(&mut self) {
        self.flush_call_log();
    }
}

/// Builds fresh, isolated runtimes from options validated once.
///
/// Everything reusable (the native-module registry, the loader, the console sink,
/// resolved paths) is prepared in [`Factory::new`]; [`Factory::new_runtime`] only
/// creates the engine and wires it. Clones share the setup, and a factory can be
/// used from many threads at once.
///
/// ```
/// use jsbox::{Factory, MemoryLoader, Options};
/// let factory = Factory::new(Options::new()
///     .loader(MemoryLoader::new().with("entry.js", "module.exports = { ok: 42 };")))?;
/// let rt = factory.new_runtime()?;
/// let ok: i64 = rt.eval("require('./entry.js').ok")?;
/// assert_eq!(ok, 42);
/// # Ok::<(), jsbox::Error>(())
/// ```
#[derive(Clone)]
pub struct Factory {
    shared: Arc<Shared>,
    /// Heap-image slots, when the options ask for them.
    images: Option<Arc<Pool>>,
}

impl Factory {
    /// Validates `options` and builds the reusable setup.
    ///
    /// Fails with [`Error::InvalidOptions`] when two native modules share a name, a
    /// module name is not a bare name, or the base directory is relative.
    pub fn new(options: Options) -> Result<Factory> {
        let Options {
            loader,
            modules,
            host_modules,
            console,
            call_log,
            base_dir,
            argv,
            code_cache_bytes,
            builtins,
            call_log_max_payload,
            limits,
            policy,
            heap_images,
            preload,
        } = options;
        let policy = Arc::new(policy.validate()?);
        let call_log_writer = match &call_log {
            CallLog::File(path) => Some(open_writer(path)?),
            CallLog::Disabled | CallLog::ProcessDefault => None,
        };
        let registry = ModuleRegistry::new(modules, host_modules, builtins)?;
        let base_dir = match base_dir {
            Some(dir) if dir.is_relative() => {
                return Err(Error::InvalidOptions(format!(
                    "the base directory {} must be absolute",
                    dir.display()
                )))
            }
            Some(dir) => dir,
            None => loader.default_base_dir(),
        };
        let base_dir = normalize(&base_dir);
        let base_dir_str = base_dir.to_string_lossy().into_owned();
        let prelude = Prelude::get()?;
        let preload = preload
            .map(|preload| match preload {
                Preload::Script(source) => Program::compile("<preload>", &source),
                Preload::Module(source) => Program::compile_module(
                    &base_dir.join("[preload].mjs").to_string_lossy(),
                    &source,
                ),
            })
            .transpose()?;
        let shared = Arc::new(Shared {
            loader,
            registry,
            console,
            base_dir,
            base_dir_str,
            argv,
            prelude,
            code_cache: CodeCache::new(code_cache_bytes),
            call_log,
            call_log_writer,
            call_log_max_payload,
            limits,
            policy,
            preload,
        });
        let images = heap_images
            .map(|config| Pool::new(&shared, config))
            .transpose()?;
        Ok(Factory { shared, images })
    }

    /// Creates a fresh runtime: a new engine heap and realm with `require`,
    /// `console` and the native modules wired in. Nothing is shared with any other
    /// runtime.
    ///
    /// With [`Options::heap_images`](crate::Options::heap_images), the runtime
    /// is an idle slot restored from its template heap (made the normal way when
    /// every slot is in use).
    pub fn new_runtime(&self) -> Result<Runtime> {
        self.new_runtime_with(self.shared.limits)
    }

    /// Like [`Factory::new_runtime`], with `limits` instead of the options' limits.
    pub fn new_runtime_with(&self, limits: Limits) -> Result<Runtime> {
        if let Some(pool) = &self.images {
            if let Some(runtime) = pool.new_runtime(&self.shared, limits)? {
                return Ok(runtime);
            }
        }
        Runtime::new(self.shared.clone(), limits)
    }

    /// The slot pool, for the crate's own tests.
    #[cfg(test)]
    pub(crate) fn image_pool(&self) -> Option<&Arc<Pool>> {
        self.images.as_ref()
    }

    /// The factory's heap-image slots, when it uses heap images.
    pub fn heap_image_stats(&self) -> Option<HeapImageStats> {
        self.images.as_ref().map(|pool| pool.stats())
    }

    /// Compiles `source` once to bytecode, as a global script named `name`.
    ///
    /// The [`Program`] runs in any runtime with [`Runtime::run`] without being
    /// parsed again: how a server runs one handler in thousands of fresh runtimes.
    /// Syntax errors are reported here, with the name and line.
    pub fn compile(&self, name: &str, source: &str) -> Result<Program> {
        Program::compile(name, source)
    }

    /// Compiles `source` once to bytecode, as an ES module named `name` (a
    /// path; relative paths are taken from the base directory, and its imports
    /// resolve from there).
    ///
    /// [`Runtime::run`] loads its imports and evaluates it in any runtime
    /// without parsing it again, and returns its namespace. Syntax errors are
    /// reported here; a missing import, where it runs.
    ///
    /// ```
    /// use jsbox::{Factory, MemoryLoader, Options};
    ///
    /// let factory = Factory::new(Options::new()
    ///     .loader(MemoryLoader::new().with("lib.mjs", "export const twice = (x) => 2 * x;")))?;
    /// let handler = factory.compile_module("handler.mjs",
    ///     "import { twice } from './lib.mjs'; export const answer = twice(await Promise.resolve(21));")?;
    /// for _ in 0..3 {
    ///     let ns: serde_json::Value = factory.new_runtime()?.run(&handler)?;
    ///     assert_eq!(ns["answer"], 42);
    /// }
    /// # Ok::<(), jsbox::Error>(())
    /// ```
    pub fn compile_module(&self, name: &str, source: &str) -> Result<Program> {
        let path = crate::loader::normalize(&self.shared.base_dir.join(name));
        Program::compile_module(&path.to_string_lossy(), source)
    }

    /// Hits, misses and size of the bytecode cache that `require()` uses.
    pub fn code_cache_stats(&self) -> CodeCacheStats {
        self.shared.code_cache.stats()
    }

    /// Waits until every call-log row handed over so far is on disk. Runtimes hand
    /// their rows over in batches and when dropped; use
    /// [`Runtime::flush_call_log`] for a live runtime's rows.
    pub fn flush_call_log(&self) {
        self.shared.flush_call_log();
    }

    /// Rows written and lost by this factory's call-log file, when it has one.
    pub fn call_log_stats(&self) -> Option<CallLogStats> {
        self.shared.call_log_writer.as_ref().map(|w| w.stats())
    }

    /// The native modules, as `(name, doc)` pairs sorted by name.
    pub fn modules(&self) -> Vec<(String, String)> {
        self.shared.registry.list()
    }

    /// The directory `Runtime::eval` resolves relative `require()` calls against.
    pub fn base_dir(&self) -> &std::path::Path {
        &self.shared.base_dir
    }
}

impl std::fmt::Debug for Factory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Factory")
            .field("modules", &self.modules())
            .field("base_dir", &self.shared.base_dir)
            .finish_non_exhaustive()
    }
}

/// Creates one runtime with `options`: exactly `Factory::new(options)?.new_runtime()`.
///
/// The simple path. Use a [`Factory`] to create many runtimes with one setup.
pub fn open(options: Options) -> Result<Runtime> {
    Factory::new(options)?.new_runtime()
}
