//! Host functions behind `process.stdout`, `process.stderr`, `tty`,
//! `process.umask` and `process.execPath`, merged into the prelude's host
//! object (see `host::host_extension`).

use std::sync::Arc;

use rquickjs::function::Opt;
use rquickjs::{Ctx, Function, Object, TypedArray, Value};

use crate::console::Stream;
use crate::factory::Shared;

fn stream_of(fd: f64) -> Option<Stream> {
    if fd == 1.0 {
        Some(Stream::Stdout)
    } else if fd == 2.0 {
        Some(Stream::Stderr)
    } else {
        None
    }
}

/// The terminal size of `fd` (columns, rows), if it is a terminal.
fn window_size(fd: i32) -> Option<(u16, u16)> {
    let mut size = std::mem::MaybeUninit::<libc::winsize>::zeroed();
    // SAFETY: TIOCGWINSZ fills a winsize; a descriptor that is not a
    // terminal makes it fail without touching it.
    let ok = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, size.as_mut_ptr()) } == 0;
    // SAFETY: zero-initialised, and filled on success.
    let size = unsafe { size.assume_init() };
    (ok && size.ws_col > 0).then_some((size.ws_col, size.ws_row))
}

/// The process's umask, from the `Umask:` line of `/proc/self/status`
/// (Linux 4.7 and later); where that cannot be read, Node's usual default,
/// 0o022, rather than changing the mask to read it.
fn current_umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Umask:"))
                .and_then(|value| u32::from_str_radix(value.trim(), 8).ok())
        })
        .map_or(0o022, |mask| mask & 0o777)
}

/// Adds `writeRaw`, `isatty`, `windowSize`, `umask` and `execPath` to `host`.
pub(crate) fn host_functions<'js>(
    ctx: &Ctx<'js>,
    shared: &Arc<Shared>,
    host: &Object<'js>,
) -> rquickjs::Result<()> {
    let s = shared.clone();
    host.set(
        "writeRaw",
        Function::new(ctx.clone(), move |fd: f64, data: Value<'js>| {
            let Some(stream) = stream_of(fd) else {
                return Ok::<_, rquickjs::Error>(());
            };
            if let Some(text) = data.as_string() {
                s.console.write_raw(stream, text.to_string()?.as_bytes());
            } else if let Ok(array) = TypedArray::<u8>::from_value(data) {
                // SAFETY: the bytes are read before any JS code runs again.
                if let Some(bytes) = unsafe { array.as_bytes() } {
                    s.console.write_raw(stream, bytes);
                }
            }
            Ok(())
        })?,
    )?;
    // Whether `fd` is a terminal, as the script sees it: stdout and stderr
    // are what the console sink says; stdin is the process's own; any other
    // descriptor belongs to the host, not to the script.
    let s = shared.clone();
    host.set(
        "isatty",
        Function::new(ctx.clone(), move |fd: Value<'js>| {
            let Some(fd) = fd.as_number() else {
                return false;
            };
            match stream_of(fd) {
                Some(stream) => s.console.is_terminal(stream),
                None if fd == 0.0 => {
                    use std::io::IsTerminal;
                    s.console.is_terminal(Stream::Stdout) && std::io::stdin().is_terminal()
                }
                None => false,
            }
        })?,
    )?;
    let s = shared.clone();
    host.set(
        "windowSize",
        Function::new(ctx.clone(), move |fd: f64| -> Option<Vec<u16>> {
            let stream = stream_of(fd)?;
            if !s.console.is_terminal(stream) {
                return None;
            }
            let (columns, rows) = window_size(if fd == 1.0 { 1 } else { 2 })?;
            Some(vec![columns, rows])
        })?,
    )?;
    let s = shared.clone();
    host.set(
        "umask",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, mask: Opt<Value<'js>>| -> rquickjs::Result<u32> {
                match mask.0.and_then(|mask| mask.as_number()) {
                    // Read without setting it: umask(2) can only read by
                    // setting, and meanwhile every other thread of the host
                    // would create files with the temporary mask.
                    None => Ok(current_umask()),
                    Some(mask) => {
                        // Setting it changes the host process: only for
                        // runtimes that may use the file system.
                        s.policy
                            .check_module("fs")
                            .map_err(|denied| crate::host::throw_denied(&ctx, &denied))?;
                        let mask = if mask.is_finite() && mask >= 0.0 {
                            (mask as u32) & 0o777
                        } else {
                            0
                        };
                        // SAFETY: umask(2) cannot fail.
                        Ok(unsafe { libc::umask(mask as libc::mode_t) } as u32)
                    }
                }
            },
        )?,
    )?;
    // process.stdin: read on a thread once a script asks for it, when the
    // console sink says the runtime speaks for the process.
    let s = shared.clone();
    host.set(
        "stdinStart",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>| -> rquickjs::Result<Option<u32>> {
                if !s.console.reads_stdin() {
                    return Ok(None);
                }
                super::exec::start_stdin(&ctx).map(Some)
            },
        )?,
    )?;
    let s = shared.clone();
    host.set(
        "ownsStdio",
        Function::new(ctx.clone(), move || s.console.reads_stdin())?,
    )?;
    host.set(
        "stdinPoll",
        Function::new(ctx.clone(), |ctx: Ctx<'js>| {
            // Only the standard input entry, whatever else the table holds.
            let id = super::exec::start_stdin(&ctx)?;
            super::exec::poll_entry(ctx.clone(), Value::new_number(ctx, f64::from(id)))
        })?,
    )?;
    host.set(
        "execPath",
        Function::new(ctx.clone(), || {
            std::env::current_exe()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default()
        })?,
    )?;
    Ok(())
}
