//! Errors shaped like Node's: `code`, `errno`, `syscall`, `path`, and a message
//! such as `ENOENT: no such file or directory, open '/x'`.

use std::io;

use rquickjs::Ctx;

/// Node's name and description for an OS error number.
fn errno_name(errno: i32) -> (&'static str, &'static str) {
    match errno {
        libc::ENOENT => ("ENOENT", "no such file or directory"),
        libc::EACCES => ("EACCES", "permission denied"),
        libc::EEXIST => ("EEXIST", "file already exists"),
        libc::EISDIR => ("EISDIR", "illegal operation on a directory"),
        libc::ENOTDIR => ("ENOTDIR", "not a directory"),
        libc::ENOTEMPTY => ("ENOTEMPTY", "directory not empty"),
        libc::EPERM => ("EPERM", "operation not permitted"),
        libc::EINVAL => ("EINVAL", "invalid argument"),
        libc::EMFILE => ("EMFILE", "too many open files"),
        libc::ELOOP => ("ELOOP", "too many symbolic links encountered"),
        libc::ENAMETOOLONG => ("ENAMETOOLONG", "name too long"),
        libc::EXDEV => ("EXDEV", "cross-device link not permitted"),
        libc::EBUSY => ("EBUSY", "resource busy or locked"),
        libc::EROFS => ("EROFS", "read-only file system"),
        libc::ENOSPC => ("ENOSPC", "no space left on device"),
        libc::EBADF => ("EBADF", "bad file descriptor"),
        libc::ETIMEDOUT => ("ETIMEDOUT", "connection timed out"),
        libc::EFBIG => ("EFBIG", "file too large"),
        libc::ESPIPE => ("ESPIPE", "invalid seek"),
        libc::EAGAIN => ("EAGAIN", "resource temporarily unavailable"),
        libc::EOVERFLOW => ("EOVERFLOW", "value too large for defined data type"),
        _ => ("EIO", "i/o error"),
    }
}

/// Throws a JS `Error` with `code` and any extra string properties.
pub(crate) fn throw_error(
    ctx: &Ctx<'_>,
    message: &str,
    code: &str,
    extra: &[(&str, &str)],
) -> rquickjs::Error {
    crate::host::throw_coded(ctx, message, code, None, extra)
}

/// Throws the Node-style error for an I/O failure of `syscall` on `path`
/// (and `dest` for two-path calls such as rename).
pub(crate) fn throw_io(
    ctx: &Ctx<'_>,
    error: &io::Error,
    syscall: &str,
    path: &str,
    dest: Option<&str>,
) -> rquickjs::Error {
    let errno = error.raw_os_error().unwrap_or(match error.kind() {
        io::ErrorKind::NotFound => libc::ENOENT,
        io::ErrorKind::PermissionDenied => libc::EACCES,
        io::ErrorKind::AlreadyExists => libc::EEXIST,
        io::ErrorKind::IsADirectory => libc::EISDIR,
        io::ErrorKind::NotADirectory => libc::ENOTDIR,
        io::ErrorKind::DirectoryNotEmpty => libc::ENOTEMPTY,
        io::ErrorKind::InvalidInput => libc::EINVAL,
        _ => libc::EIO,
    });
    let (code, description) = errno_name(errno);
    let message = match dest {
        Some(dest) => format!("{code}: {description}, {syscall} '{path}' -> '{dest}'"),
        None => format!("{code}: {description}, {syscall} '{path}'"),
    };
    let errno_text = (-errno).to_string();
    let mut extra = vec![
        ("syscall", syscall),
        ("path", path),
        ("errno", errno_text.as_str()),
    ];
    if let Some(dest) = dest {
        extra.push(("dest", dest));
    }
    let thrown = throw_error(ctx, &message, code, &extra);
    // errno is a number in Node.
    if let rquickjs::Error::Exception = thrown {
        let value = ctx.catch();
        if let Some(object) = value.as_object() {
            let _ = object.set("errno", -errno);
        }
        return ctx.throw(value);
    }
    thrown
}

/// Throws the Node-style error for an I/O failure of `syscall` on a file
/// descriptor: no path, a message such as `EBADF: bad file descriptor, read`.
pub(crate) fn throw_io_fd(ctx: &Ctx<'_>, error: &io::Error, syscall: &str) -> rquickjs::Error {
    let errno = error.raw_os_error().unwrap_or(libc::EIO);
    let (code, description) = errno_name(errno);
    let thrown = throw_error(
        ctx,
        &format!("{code}: {description}, {syscall}"),
        code,
        &[("syscall", syscall)],
    );
    if let rquickjs::Error::Exception = thrown {
        let value = ctx.catch();
        if let Some(object) = value.as_object() {
            let _ = object.set("errno", -errno);
        }
        return ctx.throw(value);
    }
    thrown
}
