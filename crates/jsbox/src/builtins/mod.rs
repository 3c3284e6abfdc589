//! The modules jsbox ships: each is a JS facade (under `js/modules/`), compiled
//! to bytecode once per process, and for some a native binding built per runtime.

mod buffer;
mod clone;
pub(crate) mod crypto;
mod database;
mod encoding;
mod exec;
mod fs;
mod guard;
pub(crate) mod lazy_globals;

pub(crate) use guard::module_allowed;
pub(crate) mod node_error;
pub(crate) mod os;
mod url;

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
        "buffer",
        "Buffer (also a global): from, alloc, concat, compare, byteLength; toString/write in utf8, \
         hex, base64, base64url, latin1, ascii, utf16le; read/write integers and floats; Blob, \
         atob, btoa, isUtf8, isAscii, constants"
    ),
    builtin!(
        "crypto",
        "Hashes and randomness: createHash, createHmac, getHashes, randomBytes, randomFill(Sync), \
         randomInt, randomUUID, getRandomValues, timingSafeEqual, pbkdf2(Sync), scrypt(Sync), \
         webcrypto (also the crypto global) with subtle.digest"
    ),
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
        "querystring",
        "URL query strings: parse/decode, stringify/encode, escape, unescape, unescapeBuffer"
    ),
    builtin!(
        "string_decoder",
        "StringDecoder(encoding): write(bytes) and end() without splitting multi-byte characters"
    ),
    builtin!(
        "timers",
        "setTimeout, setInterval, setImmediate and their clear functions (also globals)"
    ),
    builtin!(
        "url",
        "WHATWG URL and URLSearchParams (also globals), fileURLToPath, pathToFileURL, format, \
         domainToASCII, domainToUnicode, urlToHttpOptions; legacy parse, resolve and format"
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
        "encoding" => encoding::binding(ctx)?,
        "clone" => clone::binding(ctx)?,
        "buffer" => buffer::binding(ctx)?,
        "crypto" => crypto::binding(ctx)?,
        "url" => url::binding(ctx)?,
        _ => return Ok(None),
    }))
}

/// The bindings built into every heap image. Every binding is stateless
/// (per-runtime state lives in `RuntimeState`), but the rarer ones (`url`,
/// `database`...) are left out: built on first use, they keep every image,
/// and so every restore, as small as before.
pub(crate) const STATELESS_BINDINGS: [&str; 7] =
    ["fs", "os", "exec", "encoding", "clone", "buffer", "crypto"];

/// Bindings that only compute (text encodings, structured clone) and back
/// globals as well as modules: no policy applies to them, as none applies to
/// `JSON` (the modules in front of them are checked when required).
pub(crate) fn binding_is_pure(name: &str) -> bool {
    matches!(name, "encoding" | "clone" | "buffer" | "crypto" | "url")
}
