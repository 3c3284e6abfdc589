//! The native half of `fs`: synchronous file-system calls. `js/modules/fs.js`
//! validates arguments, handles encodings and options, and builds `fs.promises`.

use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use rquickjs::{Ctx, Function, Object, TypedArray, Value};

use super::guard::confine;
use super::node_error::{throw_error, throw_io};
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
    stat.set("size", meta.len() as f64)?;
    stat.set("mode", meta.mode())?;
    stat.set("uid", meta.uid())?;
    stat.set("gid", meta.gid())?;
    stat.set("nlink", meta.nlink() as f64)?;
    stat.set("ino", meta.ino() as f64)?;
    stat.set("dev", meta.dev() as f64)?;
    stat.set("mtimeMs", millis(meta.modified()))?;
    stat.set("atimeMs", millis(meta.accessed()))?;
    stat.set("birthtimeMs", millis(meta.created()))?;
    stat.set(
        "ctimeMs",
        meta.ctime() as f64 * 1000.0 + meta.ctime_nsec() as f64 / 1e6,
    )?;
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

/// Reads the file at `path`, refusing (as Node does for files over 2 GiB)
/// one larger than the runtime's heap limit: its bytes could not reach the
/// script anyway, and reading them would hold them in host memory first.
fn read_limited(ctx: &Ctx<'_>, path: &str) -> JsResult<Vec<u8>> {
    use std::io::Read;
    let file = fs::File::open(path).map_err(|e| throw_io(ctx, &e, "open", path, None))?;
    let limit = RuntimeState::of(ctx).memory_limit;
    // At most one byte past the limit, whatever the file claims its size is.
    let mut bytes = Vec::new();
    file.take(limit.map_or(u64::MAX, |limit| limit as u64 + 1))
        .read_to_end(&mut bytes)
        .map_err(|e| throw_io(ctx, &e, "read", path, None))?;
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
                use std::io::Write;
                let bytes = match data.as_string() {
                    Some(s) => s.to_string()?.into_bytes(),
                    None => bytes_of(&data).unwrap_or_default(),
                };
                let mut file = fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .append(append)
                    .truncate(!append)
                    .open(&path)
                    .map_err(|e| throw_io(&ctx, &e, "open", &path, None))?;
                file.write_all(&bytes)
                    .map_err(|e| throw_io(&ctx, &e, "write", &path, None))
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
        Function::new(ctx.clone(), |ctx: Ctx<'js>, path: String| -> JsResult<()> {
            let path = confine(&ctx, "fs", &path)?;
            fs::symlink_metadata(&path)
                .map(|_| ())
                .map_err(|e| throw_io(&ctx, &e, "access", &path, None))
        })?,
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
                let path = confine(&ctx, "fs", &path)?;
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
            let path = confine(&ctx, "fs", &path)?;
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
                let path = confine(&ctx, "fs", &path)?;
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
                let from = confine(&ctx, "fs", &from)?;
                let to = confine(&ctx, "fs", &to)?;
                fs::rename(&from, &to).map_err(|e| throw_io(&ctx, &e, "rename", &from, Some(&to)))
            },
        )?,
    )?;
    b.set(
        "copyFile",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, from: String, to: String| -> JsResult<()> {
                let from = confine(&ctx, "fs", &from)?;
                let to = confine(&ctx, "fs", &to)?;
                fs::copy(&from, &to)
                    .map(|_| ())
                    .map_err(|e| throw_io(&ctx, &e, "copyfile", &from, Some(&to)))
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
    Ok(b)
}
