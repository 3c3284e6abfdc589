//! jsbox runs JavaScript inside Rust programs: fresh, isolated runtimes, created
//! fast and in large numbers, each with a Node-style `require()`, a `console`,
//! built-in modules and your own native (Rust) modules, and an optional SQLite
//! log of every call across the JavaScript/Rust boundary.
//!
//! The engine is QuickJS-ng, through the [`rquickjs`](https://docs.rs/rquickjs)
//! crate (re-exported as [`jsbox::rquickjs`](mod@rquickjs)). The reusable setup
//! lives in a [`Factory`], validated once from [`Options`]; every [`Runtime`] it
//! makes is a fresh engine heap that shares no JavaScript state with any other.
//! [`open`] is the one-call path and behaves exactly like
//! `Factory::new(options)?.new_runtime()`.
//!
//! ```
//! use jsbox::{open, Factory, MemoryLoader, Options};
//!
//! let rt = open(Options::new())?;
//! assert_eq!(rt.eval::<i64>("1 + 2")?, 3);
//!
//! let factory = Factory::new(Options::new()
//!     .loader(MemoryLoader::new().with("entry.js", "exports.twice = (x) => 2 * x;")))?;
//! let rt = factory.new_runtime()?;
//! assert_eq!(rt.call_export::<_, i64>("./entry.js", "twice", (21,))?, 42);
//! let v: serde_json::Value = rt.eval("({ ok: require('./entry.js').twice(1) })")?;
//! assert_eq!(v, serde_json::json!({ "ok": 2 }));
//! # Ok::<(), jsbox::Error>(())
//! ```
//!
//! # What a runtime offers scripts
//!
//! - **Modules.** Node's CommonJS `require()`: relative paths, `node_modules`,
//!   `package.json` `main` and `exports`, JSON modules, `require.cache`, cycles.
//!   Sources come from a [`SourceLoader`] ([`FsLoader`] by default,
//!   [`MemoryLoader`] for embedded code) and are compiled once per factory.
//! - **Built-in modules**: `fs`, `path`, `os`, `exec`, `database` (SQLite),
//!   `events`, `util`, `timers`, `process`, with Node's APIs where Node has
//!   them. [`Factory::modules`] lists them with their documentation.
//! - **Native modules**: a type implementing [`NativeModule`] becomes
//!   `require('name')`, loaded once per runtime on first use.
//! - **`console`** to a [`ConsoleSink`] of your choice ([`StdioSink`],
//!   [`CaptureSink`] to read what a script printed, [`NullSink`], or a closure),
//!   formatted as Node formats it.
//! - **An event loop**: timers, immediates, `process.nextTick` and promise jobs
//!   in Node's order, run by [`Runtime::run_until_idle`] or
//!   [`Runtime::run_until`].
//!
//! # Limits and policies
//!
//! For code you did not write: [`Options::timeout`] (per call) and
//! [`Options::time_budget`] (per runtime), [`Options::memory_limit`],
//! [`Options::stack_limit`], and a policy: [`Options::sandboxed`] (no `fs`,
//! `exec` or `database`, an empty `process.env`), [`Options::allow_modules`] /
//! [`Options::deny_modules`], [`Options::root`] (file access confined to a
//! folder) and [`Options::allow_programs`]. The policy is enforced in Rust, by
//! every binding; a script that breaks a limit gets [`Error::Timeout`] or a
//! JavaScript error, and the host goes on.
//!
//! # The call log
//!
//! With [`Options::call_log`], every call from a script into a native or built-in
//! module, and every [`Runtime::call`] / [`Runtime::call_export`] from Rust, is
//! written to a SQLite table (arguments and results as JSON, durations, the
//! runtime's id) by a background writer. [`calllog::read`] and [`calllog::stats`]
//! read it back.
//!
//! # Heap images
//!
//! With [`Options::heap_images`], the factory builds a template runtime once per
//! slot, preload included, and every new runtime is a copy of it: creating one
//! takes about a microsecond. Dropping the runtime restores the slot for the next
//! one. See [`HeapImages`].
//!
//! # Errors
//!
//! Every fallible call returns [`Error`]: a JavaScript exception
//! ([`JsException`]: name, message, stack, code, where it was thrown), a module
//! not found, a loader failure, a time limit, a policy refusal, `process.exit`, a
//! failed conversion, or a panic in native code (caught at the engine boundary).
//! Results convert through [`FromJsValue`]; [`Json`] carries any serde type in
//! and out.
//!
//! The command-line tool `jsbox` (crate `jsbox-cli`) runs scripts, a REPL and a
//! spawn benchmark on this library.

#![warn(missing_docs)]

mod builtins;
pub mod calllog;
mod code_cache;
mod compile;
mod console;
mod convert;
mod engine_quirks;
mod error;
mod esm;
mod factory;
mod heap_limit;
mod host;
mod host_module;
mod image;
mod intrinsics;
mod jsvalues;
mod limits;
mod loader;
mod module;
mod options;
mod policy;
mod prelude;
mod resolve;
mod runtime;

pub use code_cache::CodeCacheStats;
pub use compile::Program;
pub use console::{CaptureSink, ConsoleSink, NullSink, StdioSink, Stream};
pub use convert::{FromJsValue, Json};
pub use error::{Error, JsException, Result};
pub use factory::{open, Factory};
pub use host_module::{HostError, HostFn, HostModule, HostResult};
pub use image::{HeapImageStats, HeapImages, DEFAULT_MAX_SLOTS, DEFAULT_SLOT_CAPACITY};
pub use limits::{Limits, TimeLimit};
pub use loader::{EntryKind, FsLoader, MemoryLoader, SourceLoader, MAX_SOURCE_BYTES};
pub use module::NativeModule;
pub use options::{CallLog, Options, DEFAULT_CODE_CACHE_BYTES, HEAP_IMAGES_ENV};
pub use policy::UNSAFE_MODULES;
pub use runtime::Runtime;

/// The engine crate, re-exported for native modules and the escape hatch.
pub use rquickjs;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// The heap-image guide's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/heap-images.md")]
pub struct HeapImageDoctests;

/// Entry points for the fuzz targets in `fuzz/`; not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    use std::path::Path;

    /// Resolves `request` from `parent_dir` over an in-memory file tree, the way
    /// `require` would, with `natives` as the native module names. Panics if the
    /// result is neither a native name nor a file of the tree (the invariant the
    /// fuzz target checks).
    pub fn resolve(
        files: &[(String, Vec<u8>)],
        natives: &[&str],
        request: &str,
        parent_dir: &str,
    ) -> Option<String> {
        let mut loader = crate::MemoryLoader::new();
        for (path, source) in files {
            loader.insert(path, source.clone());
        }
        let is_native = |name: &str| natives.contains(&name);
        use crate::loader::SourceLoader;
        match crate::resolve::resolve(&loader, &is_native, request, Path::new(parent_dir)) {
            Ok(crate::resolve::Resolved::File(path)) => {
                assert_eq!(loader.kind(&path), Some(crate::EntryKind::File), "{path:?}");
                Some(path.to_string_lossy().into_owned())
            }
            Ok(crate::resolve::Resolved::Native(name)) => {
                assert!(natives.contains(&name.as_str()), "{name}");
                Some(name)
            }
            Err(_) => None,
        }
    }
}
