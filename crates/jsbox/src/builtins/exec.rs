//! The native half of `exec`: run a program directly (never through a shell)
//! and collect its output.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rquickjs::{Ctx, Function, Object, Value};

use super::guard::program_allowed;
use super::node_error::{throw_error, throw_io};
use crate::jsvalues::bounded_strings;
use crate::runtime::RuntimeState;

/// The most arguments a program gets (the kernel's own limit is near this).
const MAX_ARGS: usize = 1 << 17;

/// Why a program was killed before it exited on its own.
enum Killed {
    /// The runtime's time limit fired.
    Deadline,
    /// Its output passed the runtime's memory limit.
    Overflow,
    /// `timeoutMs` passed.
    Timeout,
}

/// Collects what `reader` yields, at most `cap` bytes; past that it sets
/// `overflowed` and stops (the caller then kills the program).
fn read_all(
    reader: impl Read + Send + 'static,
    cap: Option<usize>,
    overflowed: Arc<AtomicBool>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let limit = cap.map_or(u64::MAX, |cap| cap as u64 + 1);
        // A read error just ends the capture; the exit status tells the story.
        let _ = reader.take(limit).read_to_end(&mut out);
        if let Some(cap) = cap.filter(|&cap| out.len() > cap) {
            out.truncate(cap);
            overflowed.store(true, Ordering::Relaxed);
        }
        out
    })
}

/// Runs `cmd` with `args`. `options` holds `cwd`, `env` (replaces the
/// environment), `input` (written to stdin) and `timeoutMs`, already validated.
fn run<'js>(
    ctx: Ctx<'js>,
    cmd: String,
    args: Value<'js>,
    options: Object<'js>,
) -> rquickjs::Result<Object<'js>> {
    let policy = program_allowed(&ctx, &cmd)?;
    let state = RuntimeState::of(&ctx);
    let (memory_limit, clock) = (state.memory_limit, state.clock.clone());
    let args = bounded_strings(&ctx, &args, "args", MAX_ARGS)?;
    let mut command = Command::new(&cmd);
    command.args(&args);
    if policy.hide_env {
        // A runtime that may not read the environment does not pass it on.
        command.env_clear();
    }
    if let Some(cwd) = options.get::<_, Option<String>>("cwd")? {
        command.current_dir(cwd);
    }
    if let Some(env) = options.get::<_, Option<Object>>("env")? {
        command.env_clear();
        for entry in env.props::<String, Value>() {
            let (key, value) = entry?;
            if let Some(value) = value.as_string() {
                command.env(key, value.to_string()?);
            } else if !value.is_undefined() && !value.is_null() {
                let text: String = ctx
                    .json_stringify(value)?
                    .map_or(Ok(String::new()), |s| s.to_string())?;
                command.env(key, text);
            }
        }
    }
    let input = options.get::<_, Option<String>>("input")?;
    // A number from JavaScript: NaN, negatives and zero mean no timeout, and
    // anything too large for a Duration waits as long as a Duration can.
    let timeout = options
        .get::<_, Option<f64>>("timeoutMs")?
        .filter(|ms| *ms > 0.0)
        .map(|ms| Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX));

    // stdout and stderr share one pipe so `output` interleaves them as written.
    let (combined_reader, combined_writer) =
        std::io::pipe().map_err(|e| throw_io(&ctx, &e, "spawn", &cmd, None))?;
    let stderr_writer = combined_writer
        .try_clone()
        .map_err(|e| throw_io(&ctx, &e, "spawn", &cmd, None))?;
    command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(combined_writer)
        .stderr(stderr_writer);
    let mut child = command
        .spawn()
        .map_err(|e| throw_io(&ctx, &e, &format!("spawn {cmd}"), &cmd, None))?;
    // Our copies of the write ends must close, or the reader never sees EOF.
    drop(command);
    // The output becomes a string in the engine heap: more than the heap
    // limit could never reach the script, so it is not held in host memory.
    let overflowed = Arc::new(AtomicBool::new(false));
    let output = read_all(combined_reader, memory_limit, overflowed.clone());
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        std::thread::spawn(move || {
            // The child may exit without reading its input: that is not an error here.
            let _ = stdin.write_all(input.as_bytes());
        });
    }

    let started = Instant::now();
    // The runtime's own deadline ends the program too: the engine cannot
    // interrupt a script while it waits here.
    let mut killed = None;
    let status = loop {
        if clock.is_timed() && clock.expired() {
            killed = Some(Killed::Deadline);
        } else {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(e) => return Err(throw_io(&ctx, &e, "waitpid", &cmd, None)),
            }
            if overflowed.load(Ordering::Relaxed) {
                killed = Some(Killed::Overflow);
            } else if timeout.is_some_and(|timeout| started.elapsed() >= timeout) {
                killed = Some(Killed::Timeout);
            }
        }
        if killed.is_some() {
            // Killing an already exited child fails harmlessly.
            let _ = child.kill();
            match child.wait() {
                Ok(status) => break status,
                Err(e) => return Err(throw_io(&ctx, &e, "waitpid", &cmd, None)),
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let output = output.join().unwrap_or_default();
    if matches!(killed, Some(Killed::Deadline)) {
        // Uncatchable, as the engine's own interrupt; `Runtime` reports the
        // time limit that fired.
        return Err(crate::host::throw_uncatchable(
            &ctx,
            "interrupted: the runtime's time limit ended the program",
        ));
    }
    if overflowed.load(Ordering::Relaxed) {
        return Err(throw_error(
            &ctx,
            "stdout maxBuffer length exceeded (the runtime's memory limit)",
            "ERR_CHILD_PROCESS_STDIO_MAXBUFFER",
            &[],
        ));
    }

    let result = Object::new(ctx.clone())?;
    result.set("output", String::from_utf8_lossy(&output).into_owned())?;
    result.set("status", status.code())?;
    {
        use std::os::unix::process::ExitStatusExt;
        result.set("signal", status.signal())?;
    }
    result.set("timedOut", matches!(killed, Some(Killed::Timeout)))?;
    Ok(result)
}

/// Builds the binding object for one runtime.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    b.set("run", Function::new(ctx.clone(), run)?)?;
    Ok(b)
}
