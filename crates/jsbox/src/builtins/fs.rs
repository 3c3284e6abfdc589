//! The native half of `fs`: synchronous file-system calls. `js/modules/fs.js`
//! validates arguments, handles encodings and options, and builds the callback
//! API, `fs.promises` and the streams on top.
//!
//! Open files: a file descriptor in JS is a number naming an entry of a
//! per-runtime table (in [`RuntimeState`]), never an OS descriptor. Numbers are
//! unique in the process, so a number made up by a script, kept from a closed
//! file, or taken from another runtime (or a heap image) names nothing here and
//! gets `EBADF`. The table, and so every file still open, is dropped with its
//! runtime. Paths are confined to the root when opened, as for every call.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

use rquickjs::function::Opt;
use rquickjs::{Ctx, Function, Object, TypedArray, Value};

use super::guard::confine;
use super::node_error::{throw_error, throw_io, throw_io_fd};
use crate::limits::Clock;
use crate::runtime::RuntimeState;

type JsResult<T> = rquickjs::Result<T>;

fn millis(time: std::io::Result<std::time::SystemTime>) -> f64 {
    time.ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn stat_object<'js>(ctx: &Ctx<'js>, meta: &fs::Metadata) -> JsResult<Object<'js>> {
    use std::os::unix::fs::MetadataExt;
    let stat = Object::new(ctx.clone())?;
    // In the order of Node's Stats.
    stat.set("dev", meta.dev() as f64)?;
    stat.set("mode", meta.mode())?;
    stat.set("nlink", meta.nlink() as f64)?;
    stat.set("uid", meta.uid())?;
    stat.set("gid", meta.gid())?;
    stat.set("rdev", meta.rdev() as f64)?;
    stat.set("blksize", meta.blksize() as f64)?;
    stat.set("ino", meta.ino() as f64)?;
    stat.set("size", meta.len() as f64)?;
    stat.set("blocks", meta.blocks() as f64)?;
    stat.set("atimeMs", millis(meta.accessed()))?;
    stat.set("mtimeMs", millis(meta.modified()))?;
    stat.set(
        "ctimeMs",
        meta.ctime() as f64 * 1000.0 + meta.ctime_nsec() as f64 / 1e6,
    )?;
    stat.set("birthtimeMs", millis(meta.created()))?;
    let kind = if meta.is_symlink() {
        "symlink"
    } else if meta.is_dir() {
        "directory"
    } else if meta.is_file() {
        "file"
    } else {
        "other"
    };
    stat.set("kind", kind)?;
    Ok(stat)
}

fn bytes_of(value: &Value<'_>) -> Option<Vec<u8>> {
    let array = TypedArray::<u8>::from_value(value.clone()).ok()?;
    // SAFETY: the bytes are copied out before any JS code can run again.
    unsafe { array.as_bytes() }.map(<[u8]>::to_vec)
}

/// The error a wait on a file ends with when the runtime's time limit passes
/// (see [`fail`]).
#[derive(Debug)]
struct Deadline;

impl std::fmt::Display for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the runtime's time limit passed")
    }
}

impl std::error::Error for Deadline {}

fn deadline() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::TimedOut, Deadline)
}

fn is_deadline(error: &std::io::Error) -> bool {
    error.get_ref().is_some_and(|inner| inner.is::<Deadline>())
}

/// Throws `error` as Node would, or, when the time limit ended a wait, the
/// uncatchable interrupt the engine uses for time limits.
fn fail(
    ctx: &Ctx<'_>,
    error: &std::io::Error,
    syscall: &str,
    path: &str,
    dest: Option<&str>,
) -> rquickjs::Error {
    if is_deadline(error) {
        return interrupted(ctx);
    }
    throw_io(ctx, error, syscall, path, dest)
}

fn interrupted(ctx: &Ctx<'_>) -> rquickjs::Error {
    // `Runtime` reports the time limit that fired (`expired()` noted it).
    crate::host::throw_uncatchable(
        ctx,
        "interrupted: the runtime's time limit ended the program",
    )
}

/// Waits until `file` (opened with `O_NONBLOCK`) is ready for `events`, in
/// short steps between which the runtime's clock is checked: a FIFO, socket
/// or terminal never holds the host past the time limit. Without a time
/// limit it waits as long as it takes, as Node would.
fn wait_ready(file: &fs::File, events: i16, clock: &Clock) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        if clock.expired() {
            return Err(deadline());
        }
        let step = clock
            .remaining()
            .map_or(50, |left| left.as_millis().clamp(1, 50) as i32);
        let mut poll = libc::pollfd {
            fd: file.as_raw_fd(),
            events,
            revents: 0,
        };
        // SAFETY: one pollfd for a descriptor owned by `file`.
        let ready = unsafe { libc::poll(&mut poll, 1, step) };
        if ready > 0 {
            // Ready, hung up or failed: the next read or write tells.
            return Ok(());
        }
        if ready < 0 {
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::Interrupted {
                return Err(error);
            }
        }
    }
}

/// A read from `file` (opened with `O_NONBLOCK`) that waits for data as a
/// blocking read would, but only until the time limit.
fn read_waiting(file: &fs::File, buffer: &mut [u8], clock: &Clock) -> std::io::Result<usize> {
    use std::io::Read;
    loop {
        match (&*file).read(buffer) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                wait_ready(file, libc::POLLIN, clock)?
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// Writes all of `bytes` to `file` (opened with `O_NONBLOCK`), waiting for
/// room as a blocking write would, but only until the time limit.
fn write_waiting(file: &fs::File, mut bytes: &[u8], clock: &Clock) -> std::io::Result<()> {
    use std::io::Write;
    while !bytes.is_empty() {
        match (&*file).write(bytes) {
            Ok(0) => return Err(std::io::Error::from(std::io::ErrorKind::WriteZero)),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                wait_ready(file, libc::POLLOUT, clock)?
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Whether `file` is a regular file (reads and writes never wait).
fn is_regular(file: &fs::File) -> bool {
    file.metadata().is_ok_and(|meta| meta.is_file())
}

/// Reads the file at `path`, refusing (as Node does for files over 2 GiB)
/// one larger than the runtime's heap limit: its bytes could not reach the
/// script anyway, and reading them would hold them in host memory first.
/// The file is opened without blocking: a FIFO, socket or device (which
/// may never end, or block) is read in steps that stop at the time limit.
fn read_limited(ctx: &Ctx<'_>, path: &str) -> JsResult<Vec<u8>> {
    use std::io::Read;
    let file = open_file(path, libc::O_RDONLY | libc::O_NONBLOCK, 0)
        .map_err(|e| throw_io(ctx, &e, "open", path, None))?;
    let state = RuntimeState::of(ctx);
    let limit = state.memory_limit;
    // At most one byte past the limit, whatever the file claims its size is.
    let cap = limit.map_or(usize::MAX, |limit| limit.saturating_add(1));
    let mut bytes = Vec::new();
    if is_regular(&file) {
        file.take(cap as u64)
            .read_to_end(&mut bytes)
            .map_err(|e| throw_io(ctx, &e, "read", path, None))?;
    } else {
        let mut chunk = vec![0u8; 64 << 10];
        while bytes.len() < cap {
            let want = chunk.len().min(cap - bytes.len());
            let count = read_waiting(&file, &mut chunk[..want], &state.clock)
                .map_err(|e| fail(ctx, &e, "read", path, None))?;
            if count == 0 {
                break;
            }
            if bytes.try_reserve(count).is_err() {
                let error = std::io::Error::from_raw_os_error(libc::ENOMEM);
                return Err(throw_io(ctx, &error, "read", path, None));
            }
            bytes.extend_from_slice(&chunk[..count]);
            // An endless device (/dev/zero) ends at the time limit.
            if state.clock.expired() {
                return Err(interrupted(ctx));
            }
        }
    }
    if let Some(limit) = limit.filter(|&limit| bytes.len() > limit) {
        return Err(throw_error(
            ctx,
            &format!(
                "File size is greater than the runtime's memory limit ({limit} bytes): {path}"
            ),
            "ERR_FS_FILE_TOO_LARGE",
            &[("path", path)],
        ));
    }
    Ok(bytes)
}

/// Most files one runtime may hold open at once: each is an OS descriptor
/// of the host process. More opens fail with `EMFILE`, as an OS would.
const MAX_OPEN: usize = 256;

/// Descriptor numbers are unique in the process (see the module comment)
/// until they wrap around after 2^31 opens; they start above the standard
/// streams'.
static NEXT_FD: AtomicU64 = AtomicU64::new(3);

/// The most bytes one read or write moves (Node's limit, 2^31 - 1).
const IO_MAX: usize = (1 << 31) - 1;

/// The open files of one runtime, by descriptor number.
#[derive(Default)]
pub(crate) struct Files {
    entries: HashMap<u64, OpenFile>,
}

/// One open file. Every file is opened with `O_NONBLOCK` (opening a FIFO
/// would otherwise block the host until a writer comes); `waits` says the
/// script did not ask for that, so reads and writes wait as blocking ones
/// would, but only until the time limit.
struct OpenFile {
    file: fs::File,
    waits: bool,
}

/// A descriptor number from JS: a whole number in range, else one that no
/// file ever gets.
fn fd_of(value: &Value<'_>) -> u64 {
    match value.as_number() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= i32::MAX as f64 => n as u64,
        _ => u64::MAX,
    }
}

/// A file position from JS: `None` (the file's own position) for anything
/// but a whole number from 0 below 2^63.
fn position_of(value: &Value<'_>) -> Option<u64> {
    match value.as_number() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 9.2e18 => Some(n as u64),
        _ => None,
    }
}

fn bad_fd() -> std::io::Error {
    std::io::Error::from_raw_os_error(libc::EBADF)
}

/// Runs `f` on the open file `fd` of this runtime (the table stays locked
/// meanwhile: `f` must not call into JavaScript).
fn with_file<T>(
    ctx: &Ctx<'_>,
    fd: &Value<'_>,
    syscall: &str,
    f: impl FnOnce(&fs::File) -> std::io::Result<T>,
) -> JsResult<T> {
    with_open_file(ctx, fd, syscall, |open| f(&open.file))
}

/// As [`with_file`], with what the script asked of the file.
fn with_open_file<T>(
    ctx: &Ctx<'_>,
    fd: &Value<'_>,
    syscall: &str,
    f: impl FnOnce(&OpenFile) -> std::io::Result<T>,
) -> JsResult<T> {
    let state = RuntimeState::of(ctx);
    let outcome = {
        let files = state.fs_files();
        match files.entries.get(&fd_of(fd)) {
            Some(file) => f(file),
            None => Err(bad_fd()),
        }
    };
    outcome.map_err(|e| {
        if is_deadline(&e) {
            interrupted(ctx)
        } else {
            throw_io_fd(ctx, &e, syscall)
        }
    })
}

/// The permission bits a script may set: under a root, never set-user-ID,
/// set-group-ID nor sticky (a script could otherwise leave a set-user-ID
/// file of the host's user for others to run).
fn mode_mask(ctx: &Ctx<'_>) -> u32 {
    if RuntimeState::of(ctx).policy.root.is_some() {
        0o777
    } else {
        0o7777
    }
}

/// The `open(2)` flags a script may pass; others are dropped (`O_CLOEXEC` is
/// always added).
const OPEN_FLAGS: i32 = libc::O_ACCMODE
    | libc::O_CREAT
    | libc::O_EXCL
    | libc::O_TRUNC
    | libc::O_APPEND
    | libc::O_NOCTTY
    | libc::O_NONBLOCK
    | libc::O_SYNC
    | libc::O_DSYNC
    | libc::O_DIRECTORY
    | libc::O_NOFOLLOW;

fn open_file(path: &str, flags: i32, mode: u32) -> std::io::Result<fs::File> {
    use std::os::fd::FromRawFd;
    let c_path = std::ffi::CString::new(path)
        .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    let flags = (flags & OPEN_FLAGS) | libc::O_CLOEXEC;
    // SAFETY: a valid C string; the mode is passed as the variadic argument
    // open(2) expects.
    let fd = unsafe { libc::open(c_path.as_ptr(), flags, mode as libc::c_uint) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and is owned by nothing else.
    Ok(unsafe { fs::File::from_raw_fd(fd) })
}

/// Whether `path` is a process's memory (`/proc/<pid>/mem`, `/proc/self/mem`,
/// a thread's): never opened, whatever the policy, since positioned reads and
/// writes there would reach the host process's memory.
fn is_process_memory(path: &str) -> bool {
    let real = fs::canonicalize(path).unwrap_or_else(|_| Path::new(path).to_path_buf());
    real.starts_with("/proc") && real.file_name().is_some_and(|name| name == "mem")
}

/// `open(path, flags, mode)`: a new descriptor number.
fn open<'js>(ctx: Ctx<'js>, path: String, flags: Value<'js>, mode: Value<'js>) -> JsResult<f64> {
    let path = confine(&ctx, "fs", &path)?;
    let flags = flags.as_number().filter(|n| n.is_finite()).unwrap_or(0.0) as i32;
    let mode = mode
        .as_number()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map_or(0o666, |n| n as u32 & mode_mask(&ctx));
    if is_process_memory(&path) {
        // Reads and writes at any position would reach the host's memory.
        let error = std::io::Error::from_raw_os_error(libc::EACCES);
        return Err(throw_io(&ctx, &error, "open", &path, None));
    }
    let state = RuntimeState::of(&ctx);
    if state.fs_files().entries.len() >= MAX_OPEN {
        let error = std::io::Error::from_raw_os_error(libc::EMFILE);
        return Err(throw_io(&ctx, &error, "open", &path, None));
    }
    // Never blocks (a FIFO without a writer would hold the host).
    let waits = flags & libc::O_NONBLOCK == 0;
    let file = open_file(&path, flags | libc::O_NONBLOCK, mode)
        .map_err(|e| throw_io(&ctx, &e, "open", &path, None))?;
    let file = OpenFile { file, waits };
    let mut files = state.fs_files();
    // Numbers stay in Node's range for descriptors (a 32-bit int), skipping
    // any still open here when they wrap around.
    let fd = loop {
        let fd = NEXT_FD.fetch_add(1, Ordering::Relaxed) % (i32::MAX as u64 - 3) + 3;
        if !files.entries.contains_key(&fd) {
            break fd;
        }
    };
    files.entries.insert(fd, file);
    Ok(fd as f64)
}

/// `close(fd)`.
fn close<'js>(ctx: Ctx<'js>, fd: Value<'js>) -> JsResult<()> {
    let removed = RuntimeState::of(&ctx)
        .fs_files()
        .entries
        .remove(&fd_of(&fd));
    match removed {
        Some(file) => {
            drop(file);
            Ok(())
        }
        None => Err(throw_io_fd(&ctx, &bad_fd(), "close")),
    }
}

/// `read(fd, length, position)`: the bytes read (fewer at the end of the
/// file), at `position` or, when that is not a position, the file's own.
fn read<'js>(
    ctx: Ctx<'js>,
    fd: Value<'js>,
    length: Value<'js>,
    position: Value<'js>,
) -> JsResult<TypedArray<'js, u8>> {
    use std::io::Read;
    use std::os::unix::fs::FileExt;
    let mut length = match length.as_number() {
        Some(n) if n >= 1.0 => n.min(IO_MAX as f64) as usize,
        _ => 0,
    };
    if let Some(limit) = RuntimeState::of(&ctx).memory_limit {
        length = length.min(limit);
    }
    let position = position_of(&position);
    let clock = RuntimeState::of(&ctx).clock.clone();
    let bytes = with_open_file(&ctx, &fd, "read", |open| {
        let file = &open.file;
        let mut buffer = Vec::new();
        buffer
            .try_reserve_exact(length)
            .map_err(|_| std::io::Error::from_raw_os_error(libc::ENOMEM))?;
        buffer.resize(length, 0);
        let count = match position {
            Some(at) => file.read_at(&mut buffer, at)?,
            None if open.waits => read_waiting(file, &mut buffer, &clock)?,
            // Opened O_NONBLOCK by the script: EAGAIN, as Node gives.
            None => (&*file).read(&mut buffer)?,
        };
        buffer.truncate(count);
        Ok(buffer)
    })?;
    TypedArray::new_copy(ctx.clone(), bytes)
}

/// `write(fd, bytes, position)`: how many bytes were written.
fn write_fd<'js>(
    ctx: Ctx<'js>,
    fd: Value<'js>,
    data: Value<'js>,
    position: Value<'js>,
) -> JsResult<f64> {
    use std::io::Write;
    use std::os::unix::fs::FileExt;
    let bytes = match data.as_string() {
        Some(s) => s.to_string()?.into_bytes(),
        None => bytes_of(&data).unwrap_or_default(),
    };
    let position = position_of(&position);
    let clock = RuntimeState::of(&ctx).clock.clone();
    with_open_file(&ctx, &fd, "write", |open| {
        let file = &open.file;
        match position {
            Some(at) => file.write_all_at(&bytes, at)?,
            None if open.waits => write_waiting(file, &bytes, &clock)?,
            None => (&*file).write_all(&bytes)?,
        }
        Ok(bytes.len() as f64)
    })
}

/// Builds the binding object for one runtime.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> JsResult<Object<'js>> {
    let b = Object::new(ctx.clone())?;

    b.set(
        "readText",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String| -> JsResult<String> {
                let path = confine(&ctx, "fs", &path)?;
                let bytes = read_limited(&ctx, &path)?;
                Ok(String::from_utf8_lossy(&bytes).into_owned())
            },
        )?,
    )?;
    b.set(
        "decodeUtf8",
        Function::new(ctx.clone(), |bytes: Value<'js>| {
            String::from_utf8_lossy(&bytes_of(&bytes).unwrap_or_default()).into_owned()
        })?,
    )?;
    b.set(
        "readBytes",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String| -> JsResult<TypedArray<'js, u8>> {
                let path = confine(&ctx, "fs", &path)?;
                let bytes = read_limited(&ctx, &path)?;
                // Copied into the engine heap: the memory limit counts it, and a heap
                // image never points at bytes that Rust owns.
                TypedArray::new_copy(ctx.clone(), bytes)
            },
        )?,
    )?;
    b.set(
        "write",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, data: Value<'js>, append: bool| -> JsResult<()> {
                let path = confine(&ctx, "fs", &path)?;
                use std::os::unix::fs::OpenOptionsExt;
                let bytes = match data.as_string() {
                    Some(s) => s.to_string()?.into_bytes(),
                    None => bytes_of(&data).unwrap_or_default(),
                };
                // Without blocking: a FIFO with no reader is ENXIO, one
                // whose reader does not read ends at the time limit.
                let file = fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .append(append)
                    .truncate(!append)
                    .custom_flags(libc::O_NONBLOCK)
                    .open(&path)
                    .map_err(|e| throw_io(&ctx, &e, "open", &path, None))?;
                write_waiting(&file, &bytes, &RuntimeState::of(&ctx).clock)
                    .map_err(|e| fail(&ctx, &e, "write", &path, None))
            },
        )?,
    )?;
    b.set(
        "exists",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String| -> JsResult<bool> {
                Ok(Path::new(&confine(&ctx, "fs", &path)?).exists())
            },
        )?,
    )?;
    b.set(
        "access",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, mode: Opt<Value<'js>>| -> JsResult<()> {
                let path = confine(&ctx, "fs", &path)?;
                let mode = mode
                    .0
                    .and_then(|m| m.as_number())
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .map_or(0, |n| n as i32 & 7);
                let c_path = std::ffi::CString::new(path.as_str())
                    .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL));
                let outcome = c_path.and_then(|c_path| {
                    // SAFETY: a valid C string and a plain mode.
                    if unsafe { libc::access(c_path.as_ptr(), mode) } == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                });
                outcome.map_err(|e| throw_io(&ctx, &e, "access", &path, None))
            },
        )?,
    )?;
    b.set(
        "readdir",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String| -> JsResult<Vec<Vec<String>>> {
                let path = confine(&ctx, "fs", &path)?;
                let entries =
                    fs::read_dir(&path).map_err(|e| throw_io(&ctx, &e, "scandir", &path, None))?;
                let mut out = Vec::new();
                for entry in entries {
                    let entry = entry.map_err(|e| throw_io(&ctx, &e, "scandir", &path, None))?;
                    let kind = match entry.file_type() {
                        Ok(t) if t.is_symlink() => "symlink",
                        Ok(t) if t.is_dir() => "directory",
                        Ok(t) if t.is_file() => "file",
                        _ => "other",
                    };
                    out.push(vec![
                        entry.file_name().to_string_lossy().into_owned(),
                        kind.to_string(),
                    ]);
                }
                out.sort();
                Ok(out)
            },
        )?,
    )?;
    b.set(
        "mkdir",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, recursive: bool| -> JsResult<Option<String>> {
                let path = confine(&ctx, "fs", &path)?;
                if !recursive {
                    return fs::create_dir(&path)
                        .map(|_| None)
                        .map_err(|e| throw_io(&ctx, &e, "mkdir", &path, None));
                }
                // Node returns the first directory created, or undefined.
                let first = Path::new(&path)
                    .ancestors()
                    .filter(|p| !p.as_os_str().is_empty() && !p.exists())
                    .last()
                    .map(|p| p.to_string_lossy().into_owned());
                fs::create_dir_all(&path).map_err(|e| throw_io(&ctx, &e, "mkdir", &path, None))?;
                Ok(first)
            },
        )?,
    )?;
    b.set(
        "stat",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, follow: bool| -> JsResult<Object<'js>> {
                let path = if follow {
                    confine(&ctx, "fs", &path)?
                } else {
                    confine_link(&ctx, &path)?
                };
                let (meta, syscall) = if follow {
                    (fs::metadata(&path), "stat")
                } else {
                    (fs::symlink_metadata(&path), "lstat")
                };
                let meta = meta.map_err(|e| throw_io(&ctx, &e, syscall, &path, None))?;
                stat_object(&ctx, &meta)
            },
        )?,
    )?;
    b.set(
        "unlink",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, path: String| -> JsResult<()> {
            let path = confine_link(&ctx, &path)?;
            fs::remove_file(&path).map_err(|e| throw_io(&ctx, &e, "unlink", &path, None))
        })?,
    )?;
    b.set(
        "rmdir",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, path: String| -> JsResult<()> {
            let path = confine(&ctx, "fs", &path)?;
            fs::remove_dir(&path).map_err(|e| throw_io(&ctx, &e, "rmdir", &path, None))
        })?,
    )?;
    b.set(
        "rm",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, recursive: bool, force: bool| -> JsResult<()> {
                let path = confine_link(&ctx, &path)?;
                let meta = match fs::symlink_metadata(&path) {
                    Ok(meta) => meta,
                    Err(e) if force && e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                    Err(e) => return Err(throw_io(&ctx, &e, "lstat", &path, None)),
                };
                let outcome = if meta.is_dir() {
                    if !recursive {
                        let error = std::io::Error::from_raw_os_error(libc::EISDIR);
                        return Err(throw_io(&ctx, &error, "rm", &path, None));
                    }
                    fs::remove_dir_all(&path)
                } else {
                    fs::remove_file(&path)
                };
                outcome.map_err(|e| throw_io(&ctx, &e, "rm", &path, None))
            },
        )?,
    )?;
    b.set(
        "rename",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, from: String, to: String| -> JsResult<()> {
                let from = confine_link(&ctx, &from)?;
                let to = confine_link(&ctx, &to)?;
                fs::rename(&from, &to).map_err(|e| throw_io(&ctx, &e, "rename", &from, Some(&to)))
            },
        )?,
    )?;
    b.set(
        "copyFile",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, from: String, to: String, exclusive: Opt<bool>| -> JsResult<()> {
                let from = confine(&ctx, "fs", &from)?;
                let to = confine(&ctx, "fs", &to)?;
                let mask = mode_mask(&ctx);
                let clock = RuntimeState::of(&ctx).clock.clone();
                copy_file(&from, &to, exclusive.0.unwrap_or(false), mask, &clock)
                    .map_err(|e| fail(&ctx, &e, "copyfile", &from, Some(&to)))
            },
        )?,
    )?;
    b.set(
        "realpath",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String| -> JsResult<String> {
                let path = confine(&ctx, "fs", &path)?;
                fs::canonicalize(&path)
                    .map(|p| p.to_string_lossy().into_owned())
                    .map_err(|e| throw_io(&ctx, &e, "realpath", &path, None))
            },
        )?,
    )?;
    b.set("open", Function::new(ctx.clone(), open)?)?;
    b.set("close", Function::new(ctx.clone(), close)?)?;
    b.set("read", Function::new(ctx.clone(), read)?)?;
    b.set("writeFd", Function::new(ctx.clone(), write_fd)?)?;
    b.set(
        "fstat",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, fd: Value<'js>| -> JsResult<Object<'js>> {
                let meta = with_file(&ctx, &fd, "fstat", fs::File::metadata)?;
                stat_object(&ctx, &meta)
            },
        )?,
    )?;
    b.set(
        "ftruncate",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, fd: Value<'js>, len: Value<'js>| -> JsResult<()> {
                let len = position_of(&len).unwrap_or(0);
                with_file(&ctx, &fd, "ftruncate", |file| file.set_len(len))
            },
        )?,
    )?;
    b.set(
        "fsync",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, fd: Value<'js>| -> JsResult<()> {
                with_file(&ctx, &fd, "fsync", fs::File::sync_all)
            },
        )?,
    )?;
    b.set(
        "truncate",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, len: Value<'js>| -> JsResult<()> {
                let path = confine(&ctx, "fs", &path)?;
                let len = position_of(&len).unwrap_or(0);
                use std::os::unix::fs::OpenOptionsExt;
                // Without blocking (a FIFO would wait for a reader).
                fs::OpenOptions::new()
                    .write(true)
                    .custom_flags(libc::O_NONBLOCK)
                    .open(&path)
                    .and_then(|file| file.set_len(len))
                    .map_err(|e| throw_io(&ctx, &e, "open", &path, None))
            },
        )?,
    )?;
    b.set(
        "readlink",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String| -> JsResult<String> {
                // The link itself is confined (its parent's real path under
                // the root), not what it points to: that is only text here.
                let path = confine_link(&ctx, &path)?;
                fs::read_link(&path)
                    .map(|p| p.to_string_lossy().into_owned())
                    .map_err(|e| throw_io(&ctx, &e, "readlink", &path, None))
            },
        )?,
    )?;
    b.set(
        "symlink",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, target: String, path: String| -> JsResult<()> {
                // Where the link points is not checked: every later use of a
                // path through it is confined after following it.
                let path = confine_link(&ctx, &path)?;
                std::os::unix::fs::symlink(&target, &path)
                    .map_err(|e| throw_io(&ctx, &e, "symlink", &target, Some(&path)))
            },
        )?,
    )?;
    b.set(
        "chmod",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, mode: Value<'js>| -> JsResult<()> {
                use std::os::unix::fs::PermissionsExt;
                let path = confine(&ctx, "fs", &path)?;
                let mode = mode
                    .as_number()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .map_or(0, |n| n as u32 & mode_mask(&ctx));
                fs::set_permissions(&path, fs::Permissions::from_mode(mode))
                    .map_err(|e| throw_io(&ctx, &e, "chmod", &path, None))
            },
        )?,
    )?;
    b.set(
        "utimes",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, atime: Value<'js>, mtime: Value<'js>, follow: bool| {
                let path = if follow {
                    confine(&ctx, "fs", &path)?
                } else {
                    confine_link(&ctx, &path)?
                };
                let syscall = if follow { "utime" } else { "lutime" };
                let times = [timespec(&atime), timespec(&mtime)];
                let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
                let outcome = std::ffi::CString::new(path.as_str())
                    .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))
                    .and_then(|c_path| {
                        // SAFETY: a valid C string and two timespecs.
                        let done = unsafe {
                            libc::utimensat(libc::AT_FDCWD, c_path.as_ptr(), times.as_ptr(), flags)
                        };
                        if done == 0 {
                            Ok(())
                        } else {
                            Err(std::io::Error::last_os_error())
                        }
                    });
                outcome.map_err(|e| throw_io(&ctx, &e, syscall, &path, None))
            },
        )?,
    )?;
    b.set(
        "futimes",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, fd: Value<'js>, atime: Value<'js>, mtime: Value<'js>| {
                use std::os::fd::AsRawFd;
                let times = [timespec(&atime), timespec(&mtime)];
                with_file(&ctx, &fd, "futime", |file| {
                    // SAFETY: a descriptor owned by `file`, two timespecs.
                    if unsafe { libc::futimens(file.as_raw_fd(), times.as_ptr()) } == 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::last_os_error())
                    }
                })
            },
        )?,
    )?;
    b.set(
        "fchmod",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, fd: Value<'js>, mode: Value<'js>| -> JsResult<()> {
                use std::os::unix::fs::PermissionsExt;
                let mode = mode
                    .as_number()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .map_or(0, |n| n as u32 & mode_mask(&ctx));
                with_file(&ctx, &fd, "fchmod", |file| {
                    file.set_permissions(fs::Permissions::from_mode(mode))
                })
            },
        )?,
    )?;
    b.set(
        "fdatasync",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, fd: Value<'js>| -> JsResult<()> {
                with_file(&ctx, &fd, "fdatasync", fs::File::sync_data)
            },
        )?,
    )?;
    b.set(
        "link",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, existing: String, new: String| -> JsResult<()> {
                let existing = confine_link(&ctx, &existing)?;
                let new = confine_link(&ctx, &new)?;
                fs::hard_link(&existing, &new)
                    .map_err(|e| throw_io(&ctx, &e, "link", &existing, Some(&new)))
            },
        )?,
    )?;
    b.set(
        "chown",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, path: String, uid: Value<'js>, gid: Value<'js>, follow: bool| {
                let path = if follow {
                    confine(&ctx, "fs", &path)?
                } else {
                    confine_link(&ctx, &path)?
                };
                let (uid, gid) = (id_of(&uid), id_of(&gid));
                let outcome = if follow {
                    std::os::unix::fs::chown(&path, uid, gid)
                } else {
                    std::os::unix::fs::lchown(&path, uid, gid)
                };
                let syscall = if follow { "chown" } else { "lchown" };
                outcome.map_err(|e| throw_io(&ctx, &e, syscall, &path, None))
            },
        )?,
    )?;
    b.set(
        "fchown",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, fd: Value<'js>, uid: Value<'js>, gid: Value<'js>| {
                let (uid, gid) = (id_of(&uid), id_of(&gid));
                with_file(&ctx, &fd, "fchown", |file| {
                    std::os::unix::fs::fchown(file, uid, gid)
                })
            },
        )?,
    )?;
    Ok(b)
}

/// `copyFile`: the source must be a regular file (a FIFO or device such as
/// /dev/zero could block or never end: EINVAL); the destination is opened
/// without blocking, and gets the source's permissions (within `mask`).
fn copy_file(
    from: &str,
    to: &str,
    exclusive: bool,
    mask: u32,
    clock: &Clock,
) -> std::io::Result<()> {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    let source = open_file(from, libc::O_RDONLY | libc::O_NONBLOCK, 0)?;
    let meta = source.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::from_raw_os_error(libc::EISDIR));
    }
    if !meta.is_file() {
        return Err(std::io::Error::from_raw_os_error(libc::EINVAL));
    }
    let mode = meta.permissions().mode() & mask;
    let mut flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_NONBLOCK;
    if exclusive {
        // Refused when the destination exists (COPYFILE_EXCL).
        flags |= libc::O_EXCL;
    }
    let dest = open_file(to, flags, mode)?;
    if is_regular(&dest) {
        std::io::copy(&mut &source, &mut &dest)?;
        dest.set_permissions(fs::Permissions::from_mode(mode))?;
    } else {
        // A FIFO or device (/dev/null): written as it takes the bytes.
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            let count = (&source).read(&mut chunk)?;
            if count == 0 {
                break;
            }
            write_waiting(&dest, &chunk[..count], clock)?;
        }
    }
    Ok(())
}

/// A user or group id from JS: `None` (unchanged) for -1 or anything that is
/// not an id.
fn id_of(value: &Value<'_>) -> Option<u32> {
    match value.as_number() {
        Some(n) if (0.0..4294967295.0).contains(&n) && n.fract() == 0.0 => Some(n as u32),
        _ => None,
    }
}

/// A time in seconds from JS (the JS side turns dates and strings into
/// seconds) as a timespec; anything but a finite number means "now".
fn timespec(value: &Value<'_>) -> libc::timespec {
    match value.as_number().filter(|n| n.is_finite()) {
        Some(seconds) => {
            let whole = seconds.floor();
            let nanos = ((seconds - whole) * 1e9).clamp(0.0, 999_999_999.0);
            libc::timespec {
                // Saturating: a time past the range of time_t is the largest one.
                tv_sec: whole as libc::time_t,
                tv_nsec: nanos as libc::c_long,
            }
        }
        None => libc::timespec {
            tv_sec: 0,
            tv_nsec: libc::UTIME_NOW,
        },
    }
}

/// A path naming a symbolic link itself: its parent directory is resolved
/// and confined, its last part kept as written (so the link is not followed).
fn confine_link(ctx: &Ctx<'_>, path: &str) -> JsResult<String> {
    let given = Path::new(path);
    match (given.parent(), given.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                "."
            } else {
                parent.to_str().unwrap_or(".")
            };
            let confined = confine(ctx, "fs", parent)?;
            if confined == parent {
                // No root: the path as given.
                return Ok(path.to_string());
            }
            Ok(Path::new(&confined)
                .join(name)
                .to_string_lossy()
                .into_owned())
        }
        _ => confine(ctx, "fs", path),
    }
}

#[cfg(test)]
mod tests {
    use rquickjs::{Ctx, Function, Object, Value};

    use crate::{open, Options};

    /// Calls the raw binding's functions as a script that reached it by some
    /// route would, with values the JS side would have refused.
    #[test]
    fn the_raw_descriptor_calls_survive_any_argument() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::NamedTempFile::new().unwrap();
        let file = root.path().join("f.txt");
        std::fs::write(&file, "0123456789").unwrap();
        let rt = open(Options::new().root(root.path()).memory_limit(16 << 20)).unwrap();
        let file = file.to_str().unwrap().to_string();
        let outside = outside.path().to_str().unwrap().to_string();
        rt.with(|ctx: Ctx<'_>| {
            let b: Object = super::binding(&ctx).unwrap();
            let call = |name: &str, source: &str| -> String {
                let f: Function = b.get(name).unwrap();
                let args: Vec<Value> = ctx.eval(format!("[{source}]")).unwrap();
                let mut call = rquickjs::function::Args::new(ctx.clone(), args.len());
                call.push_args(args).unwrap();
                match call.apply::<Value>(&f) {
                    Ok(v) => match v.as_number() {
                        Some(n) => n.to_string(),
                        None if v.is_object() => format!(
                            "bytes {}",
                            v.as_object()
                                .unwrap()
                                .get::<_, f64>("length")
                                .unwrap_or(-1.0)
                        ),
                        None => "ok".to_string(),
                    },
                    Err(_) => {
                        let thrown = ctx.catch();
                        let object = thrown.as_object().expect("an error object");
                        object.get::<_, String>("code").unwrap_or_default()
                    }
                }
            };
            let fd = call("open", &format!("{file:?}, 2, 0o644"));
            assert!(fd.parse::<f64>().unwrap() >= 3.0, "{fd}");
            // Lengths: at most what the memory limit allows, never a crash.
            assert_eq!(call("read", &format!("{fd}, 1e300, 0")), "bytes 10");
            assert_eq!(call("read", &format!("{fd}, 2 ** 31, 2")), "bytes 8");
            assert_eq!(call("read", &format!("{fd}, NaN, 0")), "bytes 0");
            assert_eq!(call("read", &format!("{fd}, -5, 0")), "bytes 0");
            assert_eq!(call("read", &format!("{fd}, '4', 0")), "bytes 0");
            // Positions: anything odd means the file's own; huge ones read nothing.
            assert_eq!(call("read", &format!("{fd}, 4, 1e19")), "bytes 4");
            assert_eq!(call("read", &format!("{fd}, 4, 9e18")), "bytes 0");
            assert_eq!(call("read", &format!("{fd}, 4, -1e300")), "bytes 4");
            assert_eq!(call("writeFd", &format!("{fd}, {{}}, 0")), "0");
            assert_eq!(call("writeFd", &format!("{fd}, 'ab', NaN")), "2");
            assert_eq!(
                call("writeFd", &format!("{fd}, new Uint8Array(2), 9e18")),
                "EFBIG"
            );
            assert_eq!(call("ftruncate", &format!("{fd}, 1e300")), "ok");
            assert_eq!(call("ftruncate", &format!("{fd}, 12")), "ok");
            // Descriptors: only live numbers of this runtime.
            for bad in [
                "-1",
                "NaN",
                "1e300",
                "0",
                "1",
                "2",
                "2147483647",
                "'3'",
                "{}",
                "1.5",
            ] {
                for function in ["read", "writeFd", "fstat", "ftruncate", "fsync", "close"] {
                    assert_eq!(
                        call(function, &format!("{bad}, 1, 0")),
                        "EBADF",
                        "{function}({bad})"
                    );
                }
            }
            // Flags and modes: only the safe open(2) flags are passed on.
            // Every path outside the root is refused, links included.
            let out_dir = std::path::Path::new(&outside)
                .parent()
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            for (function, args) in [
                ("open", format!("{outside:?}, 0, 0")),
                ("truncate", format!("{outside:?}, 0")),
                ("readlink", format!("{outside:?}")),
                (
                    "symlink",
                    format!("{file:?}, {:?}", format!("{out_dir}/planted")),
                ),
                ("chmod", format!("{outside:?}, 0o777")),
                ("utimes", format!("{outside:?}, 1, 1, true")),
                ("utimes", format!("{outside:?}, 1, 1, false")),
                ("link", format!("{outside:?}, {:?}", format!("{file}.hard"))),
                (
                    "link",
                    format!("{file:?}, {:?}", format!("{out_dir}/planted")),
                ),
                ("access", format!("{outside:?}, 0")),
                ("copyFile", format!("{file:?}, {outside:?}, true")),
            ] {
                assert_eq!(
                    call(function, &args),
                    "ERR_ACCESS_DENIED",
                    "{function}({args})"
                );
            }
            assert!(!std::path::Path::new(&format!("{out_dir}/planted")).exists());
            for flags in ["-1", "NaN", "1e300", "0x2000", "{}"] {
                let got = call("open", &format!("{file:?}, {flags}, 0"));
                if let Ok(fd) = got.parse::<f64>() {
                    assert_eq!(call("close", &fd.to_string()), "ok");
                } else {
                    assert!(
                        ["EINVAL", "ENOTDIR"].contains(&got.as_str()),
                        "{flags}: {got}"
                    );
                }
            }
            assert_eq!(call("close", &fd), "ok");
            assert_eq!(call("close", &fd), "EBADF");
            assert_eq!(call("read", &format!("{fd}, 1, 0")), "EBADF");
            Ok(())
        })
        .unwrap();
        assert_eq!(
            std::fs::metadata(root.path().join("f.txt")).unwrap().len(),
            12
        );
    }
}
