//! jsbox runs JavaScript inside Rust programs: fresh, isolated runtimes, created
//! fast and in large numbers, each with a Node-style `require()`, a `console` and
//! native (Rust) modules.
//!
//! The engine is QuickJS-ng (through [`rquickjs`]). The reusable setup lives in a
//! [`Factory`], validated once from [`Options`]; every [`Runtime`] it makes is a
//! fresh engine heap that shares no JavaScript state with any other. [`open`] is
//! the one-call path and behaves exactly like `Factory::new(options)?.new_runtime()`.
//!
//! ```
//! use jsbox::{open, Factory, MemoryLoader, Options};
//!
//! let rt = open(Options::new())?;
//! assert_eq!(rt.eval::<i64>("1 + 2")?, 3);
//!
//! let factory = Factory::new(Options::new()
//!     .loader(MemoryLoader::new().with("entry.js", "module.exports = { ok: 42 };")))?;
//! let rt = factory.new_runtime()?;
//! let ok: i64 = rt.eval("require('./entry.js').ok")?;
//! let v: serde_json::Value = rt.require("./entry.js")?;
//! assert_eq!(ok, 42);
//! assert_eq!(v, serde_json::json!({ "ok": 42 }));
//! # Ok::<(), jsbox::Error>(())
//! ```

#![warn(missing_docs)]

mod builtins;
pub mod calllog;
mod code_cache;
mod compile;
mod console;
mod convert;
mod error;
mod factory;
mod host;
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
