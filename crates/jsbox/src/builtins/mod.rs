//! The modules jsbox ships: each is a JS facade (under `js/modules/`), compiled
//! to bytecode once per process, and for some a native binding built per runtime.

mod buffer;
mod clone;
pub(crate) mod crypto;
mod database;
mod encoding;
pub(crate) mod exec;
pub(crate) mod fs;
mod guard;
pub(crate) mod lazy_globals;

pub(crate) use guard::module_allowed;
pub(crate) mod node_error;
pub(crate) mod os;
pub(crate) mod process;
pub(crate) mod stack_hook;
mod url;
pub(crate) mod zlib;

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
        "assert",
        "Node's assert (callable, = ok): equal, strictEqual, deepEqual, deepStrictEqual and their \
         negations, throws, rejects, doesNotThrow, doesNotReject, match, doesNotMatch, fail, \
         ifError, AssertionError, CallTracker, strict"
    ),
    builtin!(
        "assert/strict",
        "assert.strict: assert where equal is strictEqual, deepEqual is deepStrictEqual, ..."
    ),
    builtin!(
        "buffer",
        "Buffer (also a global): from, alloc, concat, compare, byteLength; toString/write in utf8, \
         hex, base64, base64url, latin1, ascii, utf16le; read/write integers and floats; Blob, \
         atob, btoa, isUtf8, isAscii, constants"
    ),
    builtin!(
        "child_process",
        "Child processes under the exec policy: spawnSync, execSync, execFileSync; spawn, exec, \
         execFile with ChildProcess (events spawn/exit/close/error, stdin/stdout/stderr streams, \
         kill); shell commands only when /bin/sh is allowed"
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
        "EventEmitter (on, once, off, emit, listenerCount, captureRejections, ...); once(emitter, \
         name, {signal}) and on() for emitters and EventTargets, getEventListeners, setMaxListeners, \
         addAbortListener, errorMonitor"
    ),
    builtin!(
        "exec",
        "run(cmd, args[], {cwd, env, input, timeoutMs}) -> combined stdout+stderr; runs the program \
         directly (no shell) and throws on a non-zero exit"
    ),
    builtin!(
        "fs",
        "Files and directories: readFile, writeFile, appendFile, readdir, mkdir, stat, unlink, rm, \
         rename, copyFile, open/read/write/close... as Sync functions and callbacks; fs.promises \
         with FileHandle; createReadStream, createWriteStream; constants"
    ),
    builtin!(
        "fs/promises",
        "The promise API of fs (the same object as fs.promises): readFile, writeFile, open -> \
         FileHandle, stat, readdir, mkdir, rm, ..."
    ),
    builtin!(
        "module",
        "The Module class: createRequire(filename | file URL), builtinModules, isBuiltin(name), \
         _extensions, _cache, wrap, _nodeModulePaths"
    ),
    builtin!(
        "os",
        "The host: platform(), arch(), type(), release(), version(), machine(), hostname(), \
         homedir(), tmpdir(), cpus(), totalmem(), freemem(), loadavg(), uptime(), userInfo(), \
         networkInterfaces(), getPriority(), constants, EOL"
    ),
    builtin!(
        "path",
        "POSIX path manipulation, as Node's path.posix: join, resolve, normalize, dirname, basename, \
         extname, relative, parse, format"
    ),
    builtin!(
        "perf_hooks",
        "performance (the global) with mark, measure, getEntries*, clearMarks/clearMeasures; \
         PerformanceObserver for marks and measures"
    ),
    builtin!(
        "process",
        "The process global: argv, env, cwd(), exit(code), exitCode, platform, version (Node \
         20.20.2), hrtime.bigint(), nextTick, stdout/stderr/stdin streams, events (exit, \
         beforeExit, uncaughtException, unhandledRejection, warning), kill under the exec policy"
    ),
    builtin!(
        "querystring",
        "URL query strings: parse/decode, stringify/encode, escape, unescape, unescapeBuffer"
    ),
    builtin!(
        "readline",
        "Lines from a stream: createInterface({ input, output }) with 'line'/'close' events, \
         question, prompt, for await...of; cursorTo, moveCursor, clearLine, clearScreenDown"
    ),
    builtin!(
        "readline/promises",
        "readline with question() returning a promise; Readline (queued cursor moves, commit)"
    ),
    builtin!(
        "stream",
        "Streams as Node 20's: Readable, Writable, Duplex, Transform, PassThrough, pipeline, \
         finished, Readable.from, async iteration, backpressure; the module is the legacy Stream"
    ),
    builtin!(
        "stream/promises",
        "pipeline and finished returning promises (also require('stream').promises)"
    ),
    builtin!(
        "string_decoder",
        "StringDecoder(encoding): write(bytes) and end() without splitting multi-byte characters"
    ),
    builtin!(
        "timers",
        "setTimeout, setInterval, setImmediate and their clear functions (also globals); promises"
    ),
    builtin!(
        "timers/promises",
        "Promise timers: setTimeout(ms, value, {signal, ref}), setImmediate(value, {signal}), \
         setInterval(ms, value) as an async iterator, scheduler.wait(ms), scheduler.yield()"
    ),
    builtin!(
        "tty",
        "isatty(fd), ReadStream and WriteStream (process.stdin/stdout/stderr are their instances \
         on a terminal)"
    ),
    builtin!(
        "url",
        "WHATWG URL and URLSearchParams (also globals), fileURLToPath, pathToFileURL, format, \
         domainToASCII, domainToUnicode, urlToHttpOptions; legacy parse, resolve and format"
    ),
    builtin!(
        "util",
        "format, inspect (as console), promisify, callbackify, inherits, isDeepStrictEqual, types, \
         parseArgs, styleText"
    ),
    builtin!("util/types", "util.types as a module: isDate, isPromise, isRegExp..."),
    builtin!(
        "zlib",
        "Compression: gzip, deflate, deflateRaw, brotliCompress and their inverses (plus unzip) \
         in sync, callback and stream (createGzip...) forms; constants, crc32"
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
        "zlib" => zlib::binding(ctx)?,
        _ => return Ok(None),
    }))
}

/// Bindings whose functions add the lazily added built-ins they make objects
/// of (see `intrinsics`) themselves, just before they make one: requiring
/// them does not complete the context. The others may make a typed array or
/// a date anywhere, so the context is completed before they load.
pub(crate) fn binding_adds_its_intrinsics(name: &str) -> bool {
    matches!(name, "database")
}

/// Bindings that only compute (text encodings, structured clone) and back
/// globals as well as modules: no policy applies to them, as none applies to
/// `JSON` (the modules in front of them are checked when required).
pub(crate) fn binding_is_pure(name: &str) -> bool {
    matches!(name, "encoding" | "clone" | "buffer" | "crypto" | "url")
}
