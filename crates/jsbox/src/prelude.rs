//! The JS that jsbox bundles, compiled to bytecode once per process: the
//! prelude core run in every runtime, the chunks it loads on first use
//! (`js/prelude/`), `util.inspect`, and the built-in modules (`js/modules/`).

use std::sync::OnceLock;

use crate::builtins::BUILTINS;
use crate::compile::{compile_stripped, with_scratch_context};
use crate::runtime::js_error;

const INSPECT_JS: &str = include_str!("../js/inspect.js");
const CORE_JS: &str = include_str!("../js/prelude/core.js");
/// The parts of the prelude loaded on first use, by name.
const CHUNKS: [(&str, &str); 19] = [
    ("arrays", include_str!("../js/prelude/arrays.js")),
    ("stack_hook", include_str!("../js/prelude/stack_hook.js")),
    ("errors", include_str!("../js/prelude/errors.js")),
    ("modules", include_str!("../js/prelude/modules.js")),
    (
        "global_require",
        include_str!("../js/prelude/global_require.js"),
    ),
    ("entry", include_str!("../js/prelude/entry.js")),
    ("helpers", include_str!("../js/prelude/helpers.js")),
    ("console", include_str!("../js/prelude/console.js")),
    ("process", include_str!("../js/prelude/process.js")),
    ("stdio", include_str!("../js/prelude/stdio.js")),
    (
        "process_events",
        include_str!("../js/prelude/process_events.js"),
    ),
    ("timers", include_str!("../js/prelude/timers.js")),
    ("repl", include_str!("../js/prelude/repl.js")),
    ("encoding", include_str!("../js/prelude/encoding.js")),
    ("clone", include_str!("../js/prelude/clone.js")),
    ("buffer", include_str!("../js/prelude/buffer.js")),
    ("crypto", include_str!("../js/prelude/crypto.js")),
    ("url", include_str!("../js/prelude/url.js")),
    ("events", include_str!("../js/prelude/events.js")),
];

/// The bundled JS, compiled to bytecode once per process.
pub(crate) struct Prelude {
    inspect: Vec<u8>,
    core: Vec<u8>,
    /// Bytecode of each chunk, aligned with [`CHUNKS`].
    chunks: Vec<Vec<u8>>,
    /// Bytecode of each built-in module, aligned with [`BUILTINS`].
    builtins: Vec<Vec<u8>>,
}

impl Prelude {
    /// The process-wide prelude, compiled on first use in a scratch engine.
    pub(crate) fn get() -> crate::Result<&'static Prelude> {
        static PRELUDE: OnceLock<Result<Prelude, String>> = OnceLock::new();
        PRELUDE
            .get_or_init(|| Prelude::compile().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| crate::Error::Engine(format!("compiling jsbox's bundled JS: {e}")))
    }

    /// The core, run in every fresh runtime.
    pub(crate) fn core(&self) -> &[u8] {
        &self.core
    }

    /// `util.inspect`'s implementation.
    pub(crate) fn inspect(&self) -> &[u8] {
        &self.inspect
    }

    /// The chunk named `name`, if there is one.
    pub(crate) fn chunk(&self, name: &str) -> Option<&[u8]> {
        CHUNKS
            .iter()
            .position(|(chunk, _)| *chunk == name)
            .map(|index| self.chunks[index].as_slice())
    }

    /// The built-in module at `index` of [`BUILTINS`].
    pub(crate) fn builtin(&self, index: usize) -> &[u8] {
        &self.builtins[index]
    }

    fn compile() -> crate::Result<Prelude> {
        with_scratch_context(|ctx| {
            let compile = |source: &str, name: &str| {
                compile_stripped(ctx, source, name).map_err(|e| js_error(ctx, e))
            };
            let builtins = BUILTINS
                .iter()
                .map(|b| compile(b.source, &format!("jsbox:{}", b.name)))
                .collect::<crate::Result<_>>()?;
            let chunks = CHUNKS
                .iter()
                .map(|(name, source)| compile(source, &format!("jsbox:{name}")))
                .collect::<crate::Result<_>>()?;
            Ok(Prelude {
                inspect: compile(INSPECT_JS, "jsbox:inspect")?,
                core: compile(CORE_JS, "jsbox:core")?,
                chunks,
                builtins,
            })
        })
    }
}
