//! The modules jsbox ships: each is a JS facade (under `js/modules/`), compiled
//! to bytecode once per process, and for some a native binding built per runtime.

mod database;
mod exec;
mod fs;
mod guard;

pub(crate) use guard::module_allowed;
pub(crate) mod node_error;
pub(crate) mod os;

use rquickjs::{Ctx, Object};

/// A module that ships with jsbox.
pub(crate) struct Builtin {
    pub(crate) name: &'static str,
    pub(crate) doc: &'static str,
    pub(crate) source: &'static str,
}

macro_rules! builtin {
    ($name:literal, $doc:literal) => {
        Builtin {
            name: $name,
            doc: $doc,
            source: include_str!(concat!("../../js/modules/", $name, ".js")),
        }
    };
}

/// Every built-in module, sorted by name.
pub(crate) const BUILTINS: &[Builtin] = &[
    builtin!(
        "database",
        "SQLite, one connection per runtime: configure('sqlite3', dsn), query(sql, ...args) -> rows, \
         exec(sql, ...args) -> {success, rowsAffected, lastInsertId}, close()"
    ),
    builtin!(
        "events",
        "EventEmitter: on, once, off/removeListener, emit, listenerCount, removeAllListeners..."
    ),
    builtin!(
        "exec",
        "run(cmd, args[], {cwd, env, input, timeoutMs}) -> combined stdout+stderr; runs the program \
         directly (no shell) and throws on a non-zero exit"
    ),
    builtin!(
        "fs",
        "Synchronous files and directories: readFileSync, writeFileSync, appendFileSync, existsSync, \
         readdirSync, mkdirSync, statSync, unlinkSync, rmSync, renameSync, copyFileSync; fs.promises"
    ),
    builtin!(
        "module",
        "The module system from code: createRequire(filename | file URL), builtinModules, isBuiltin(name)"
    ),
    builtin!(
        "os",
        "The host: platform(), arch(), type(), hostname(), homedir(), tmpdir(), cpus(), totalmem(), EOL"
    ),
    builtin!(
        "path",
        "POSIX path manipulation, as Node's path.posix: join, resolve, normalize, dirname, basename, \
         extname, relative, parse, format"
    ),
    builtin!(
        "process",
        "The process global: argv, env, cwd(), exit(code), platform, hrtime.bigint(), nextTick"
    ),
    builtin!(
        "timers",
        "setTimeout, setInterval, setImmediate and their clear functions (also globals)"
    ),
    builtin!(
        "util",
        "format, inspect (as console), promisify, callbackify, inherits, isDeepStrictEqual, types"
    ),
];

/// Builds the native binding named `name` for one runtime.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>, name: &str) -> rquickjs::Result<Option<Object<'js>>> {
    Ok(Some(match name {
        "fs" => fs::binding(ctx)?,
        "os" => os::binding(ctx)?,
        "exec" => exec::binding(ctx)?,
        "database" => database::binding(ctx)?,
        _ => return Ok(None),
    }))
}

/// Bindings whose native functions hold per-runtime Rust state (a database
/// connection). Every other binding is stateless: heap images build those once.
pub(crate) fn binding_has_state(name: &str) -> bool {
    name == "database"
}

/// The stateless bindings, built into every heap image.
pub(crate) const STATELESS_BINDINGS: [&str; 3] = ["fs", "os", "exec"];
