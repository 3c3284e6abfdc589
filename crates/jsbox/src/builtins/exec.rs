//! The native half of `exec`: run a program directly (never through a shell)
//! and collect its output.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rquickjs::{Ctx, Function, Object, TypedArray, Value};

use super::guard::{module_allowed, program_allowed};
use super::node_error::{throw_error, throw_io};
use crate::jsvalues::bounded_strings;
use crate::policy::Policy;
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

/// Environment variables that make a program (its dynamic loader, its C
/// library, or the interpreter a script-program runs under: many tools in
/// `/usr/bin` are shell, Perl or Python scripts) load or run code the script
/// names. Under a program list a script may not pass them, or an allowed
/// program would run the script's own code; `PATH` is the host's (set after).
fn code_loading_variable(key: &str) -> bool {
    const PREFIXES: [&str; 11] = [
        "LD_",
        "BASH_FUNC_",
        "PERL",
        "PYTHON",
        "RUBY",
        "NODE_",
        "GIT_",
        "LESS",
        "MALLOC_",
        "GZIP",
        "JAVA_",
    ];
    const NAMES: [&str; 16] = [
        "PATH",
        "GCONV_PATH",
        "BASH_ENV",
        "ENV",
        "SHELLOPTS",
        "BASHOPTS",
        "PS4",
        "IFS",
        "CDPATH",
        "GLOBIGNORE",
        "_JAVA_OPTIONS",
        "JDK_JAVA_OPTIONS",
        "GLIBC_TUNABLES",
        "LOCPATH",
        "NLSPATH",
        "HOSTALIASES",
    ];
    PREFIXES.iter().any(|prefix| key.starts_with(prefix)) || NAMES.contains(&key)
}

/// Under a program list, the child's `PATH` is the host's whatever the
/// script passed (none under `hide_env`, which passes nothing of the host's
/// environment), so a script-program finds the host's tools, not files the
/// script wrote.
fn use_host_path(command: &mut Command, policy: &crate::policy::Policy) {
    if policy.allow_programs.is_some() {
        match std::env::var_os("PATH").filter(|_| !policy.hide_env) {
            Some(path) => command.env("PATH", path),
            None => command.env_remove("PATH"),
        };
    }
}

/// Sends SIGKILL to `pid` and, when it leads its own process group, to the
/// group (its descendants). The caller makes sure `pid` is not reaped yet.
fn kill_tree(pid: u32, group: bool) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    if pid <= 0 {
        return;
    }
    // SAFETY: kill(2) with plain integers; `pid` is a positive, unreaped child.
    unsafe {
        if group {
            libc::kill(-pid, libc::SIGKILL);
        }
        libc::kill(pid, libc::SIGKILL);
    }
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
    // With a program list, a bare name is looked up in the host's PATH, not
    // in one the script passes in `env` (see `command_for`); not found there
    // is ENOENT, never a search of the script's PATH.
    let program = match &policy.allow_programs {
        Some(_) => match search_path(&cmd, std::env::var_os("PATH").as_deref()) {
            Some(program) => program,
            None => {
                let e = std::io::Error::from_raw_os_error(libc::ENOENT);
                return Err(throw_io(&ctx, &e, &format!("spawn {cmd}"), &cmd, None));
            }
        },
        None => PathBuf::from(&cmd),
    };
    let mut command = Command::new(&program);
    command.arg0(&cmd);
    command.args(&args);
    // Its own process group, so that the time limit ends its descendants too.
    command.process_group(0);
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
            if policy.allow_programs.is_some() && code_loading_variable(&key) {
                continue;
            }
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
    use_host_path(&mut command, policy);
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
    let pid = child.id();
    // Input and output move through non-blocking pipes from the loop below
    // (stdin written without SIGPIPE: a program that exits without reading
    // its input does not end the host), so the clock is looked at while a
    // background descendant still holds the output pipe.
    let mut pipes = Pipes::of(&mut child);
    let reader = File::from(OwnedFd::from(combined_reader));
    set_nonblocking(&reader);
    pipes.outputs = [Some(reader), None];
    pipes.input = input.map(String::into_bytes).unwrap_or_default();
    pipes.end_input = true;
    // The output becomes a string in the engine heap: more than the heap
    // limit could never reach the script, so it is not held in host memory.
    let cap = memory_limit.unwrap_or(usize::MAX);
    let mut output = Vec::new();
    let mut overflowed = false;

    let started = Instant::now();
    // The runtime's own deadline ends the program too: the engine cannot
    // interrupt a script while it waits here.
    let mut killed = None;
    let mut status = None;
    loop {
        pipes.step(1, [true, false], |_, bytes| {
            let room = cap.saturating_add(1).saturating_sub(output.len());
            output.extend_from_slice(&bytes[..bytes.len().min(room)]);
            if output.len() > cap {
                overflowed = true;
            }
        });
        if status.is_none() {
            match child.try_wait() {
                Ok(Some(s)) => status = Some(s),
                Ok(None) => {}
                Err(e) => return Err(throw_io(&ctx, &e, "waitpid", &cmd, None)),
            }
        }
        if status.is_some() && (!pipes.outputs_open() || killed.is_some()) {
            break;
        }
        if clock.is_timed() && clock.expired() {
            killed = Some(Killed::Deadline);
        } else if overflowed {
            killed = Some(Killed::Overflow);
        } else if timeout.is_some_and(|timeout| started.elapsed() >= timeout) {
            killed = Some(Killed::Timeout);
        }
        if killed.is_some() {
            if status.is_none() {
                // Not reaped yet (only this loop waits), so the pid and its
                // group are still the child's.
                kill_tree(pid, true);
                match child.wait() {
                    Ok(s) => status = Some(s),
                    Err(e) => return Err(throw_io(&ctx, &e, "waitpid", &cmd, None)),
                }
            } else if pipes.outputs_open() {
                // A descendant still holds the output pipe, so the group
                // still has a member and its id is still the child's.
                // SAFETY: kill(2) with plain integers.
                unsafe { libc::kill(-(pid as libc::pid_t), libc::SIGKILL) };
            }
            break;
        }
    }
    let Some(status) = status else {
        return Err(throw_io(
            &ctx,
            &std::io::Error::from_raw_os_error(libc::ECHILD),
            "waitpid",
            &cmd,
            None,
        ));
    };
    output.truncate(cap);
    if matches!(killed, Some(Killed::Deadline)) {
        // Uncatchable, as the engine's own interrupt; `Runtime` reports the
        // time limit that fired.
        return Err(crate::host::throw_uncatchable(
            &ctx,
            "interrupted: the runtime's time limit ended the program",
        ));
    }
    if overflowed {
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

// ---------------------------------------------------------------------------
// child_process: spawnSync, spawn (with a per-runtime table of running
// children), kill. Every entry point asks the policy in Rust first.
// ---------------------------------------------------------------------------

/// What one of the child's three standard streams is connected to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Pipe,
    Inherit,
    Ignore,
}

/// A child to start, read from the options object a script passed (every
/// field checked here, whatever the JavaScript in front of it did).
struct Spec {
    file: String,
    args: Vec<String>,
    argv0: Option<String>,
    cwd: Option<String>,
    env: Option<Vec<(String, String)>>,
    stdio: [Mode; 3],
}

fn mode_of(ctx: &Ctx<'_>, value: &Value<'_>) -> rquickjs::Result<Mode> {
    match value
        .as_string()
        .map(|s| s.to_string())
        .transpose()?
        .as_deref()
    {
        None | Some("pipe") | Some("overlapped") => Ok(Mode::Pipe),
        Some("inherit") => Ok(Mode::Inherit),
        Some("ignore") => Ok(Mode::Ignore),
        Some(other) => Err(throw_error(
            ctx,
            &format!("The argument 'stdio' is invalid. Received '{other}'"),
            "ERR_INVALID_ARG_VALUE",
            &[],
        )),
    }
}

fn optional_string(
    ctx: &Ctx<'_>,
    options: &Object<'_>,
    key: &str,
) -> rquickjs::Result<Option<String>> {
    let value: Value = options.get(key)?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_string() {
        Some(s) => Ok(Some(s.to_string()?)),
        None => Err(throw_error(
            ctx,
            &format!("options.{key} must be a string"),
            "ERR_INVALID_ARG_TYPE",
            &[],
        )),
    }
}

/// A number option: `None` when absent, not a number, NaN, or not positive.
fn positive_number(options: &Object<'_>, key: &str) -> rquickjs::Result<Option<f64>> {
    let value: Value = options.get(key)?;
    Ok(value.as_number().filter(|n| *n > 0.0))
}

fn read_spec<'js>(
    ctx: &Ctx<'js>,
    file: String,
    args: Value<'js>,
    options: &Object<'js>,
) -> rquickjs::Result<Spec> {
    if file.is_empty() || file.contains('\0') {
        return Err(throw_error(
            ctx,
            "The argument 'file' cannot be empty or hold a null byte",
            "ERR_INVALID_ARG_VALUE",
            &[],
        ));
    }
    let args = bounded_strings(ctx, &args, "args", MAX_ARGS)?;
    let env = match options.get::<_, Value>("env")? {
        v if v.is_undefined() || v.is_null() => None,
        v => Some(
            bounded_strings(ctx, &v, "options.env", MAX_ARGS)?
                .into_iter()
                .map(|pair| match pair.split_once('=') {
                    Some((key, value)) => (key.to_string(), value.to_string()),
                    None => (pair, String::new()),
                })
                .collect(),
        ),
    };
    let mut stdio = [Mode::Pipe; 3];
    let given: Value = options.get("stdio")?;
    if !given.is_undefined() && !given.is_null() {
        let items = crate::jsvalues::bounded_items(ctx, &given, "options.stdio", 3)?;
        for (slot, item) in stdio.iter_mut().zip(items.iter()) {
            *slot = mode_of(ctx, item)?;
        }
    }
    Ok(Spec {
        file,
        args,
        argv0: optional_string(ctx, options, "argv0")?,
        cwd: optional_string(ctx, options, "cwd")?,
        env,
        stdio,
    })
}

/// Finds `file` the way `execvp` would, in `path` (a `PATH` value), unless
/// it names a path itself.
fn search_path(file: &str, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    if file.contains('/') {
        return Some(PathBuf::from(file));
    }
    use std::os::unix::fs::PermissionsExt;
    let default = std::ffi::OsString::from("/usr/local/bin:/usr/bin:/bin");
    std::env::split_paths(path.unwrap_or(&default))
        .map(|dir| dir.join(file))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The `Command` for `spec`, or the I/O error Node would report (ENOENT for
/// a program that is not found). With a program list, `PATH` is the host's:
/// a script that could set the child's `PATH` would otherwise choose which
/// file an allowed name runs.
fn command_for(policy: &Policy, spec: &Spec) -> std::io::Result<Command> {
    let host_path = std::env::var_os("PATH");
    let env_path = spec.env.as_ref().map(|env| {
        env.iter()
            .find(|(key, _)| key == "PATH")
            .map(|(_, value)| std::ffi::OsString::from(value))
    });
    let path = match (&policy.allow_programs, env_path) {
        (None, Some(env_path)) => env_path,
        _ => host_path,
    };
    let program = search_path(&spec.file, path.as_deref())
        .ok_or_else(|| std::io::Error::from_raw_os_error(libc::ENOENT))?;
    let mut command = Command::new(&program);
    // Under a program list argv[0] is the program as written: multi-call
    // binaries (busybox) choose what to be from it.
    let argv0 = match &policy.allow_programs {
        Some(_) => &spec.file,
        None => spec.argv0.as_deref().unwrap_or(&spec.file),
    };
    command.arg0(argv0);
    command.args(&spec.args);
    if own_group(spec) {
        command.process_group(0);
    }
    if let Some(cwd) = &spec.cwd {
        if !Path::new(cwd).is_dir() {
            return Err(std::io::Error::from_raw_os_error(libc::ENOENT));
        }
        command.current_dir(cwd);
    }
    if policy.hide_env || spec.env.is_some() {
        command.env_clear();
    }
    for (key, value) in spec.env.iter().flatten() {
        if policy.allow_programs.is_some() && code_loading_variable(key) {
            continue;
        }
        if !key.is_empty() && !key.contains('\0') && !value.contains('\0') {
            command.env(key, value);
        }
    }
    use_host_path(&mut command, policy);
    let stdio = |mode: Mode| match mode {
        Mode::Pipe => Stdio::piped(),
        Mode::Inherit => Stdio::inherit(),
        Mode::Ignore => Stdio::null(),
    };
    command
        .stdin(stdio(spec.stdio[0]))
        .stdout(stdio(spec.stdio[1]))
        .stderr(stdio(spec.stdio[2]));
    Ok(command)
}

/// Whether the child of `spec` starts in its own process group (so that
/// killing it at the time limit or with its runtime ends its descendants
/// too): always, except for a child that reads the terminal the host reads,
/// which must stay in the foreground group.
fn own_group(spec: &Spec) -> bool {
    use std::io::IsTerminal;
    !(spec.stdio[0] == Mode::Inherit && std::io::stdin().is_terminal())
}

/// Checks the policy for `spec.file`: the `exec` module must be allowed and
/// the program on the list, if there is one.
fn allowed<'a>(ctx: &Ctx<'_>, spec: &Spec) -> rquickjs::Result<&'a Policy> {
    program_allowed(ctx, &spec.file)
}

fn set_nonblocking(fd: &File) {
    // SAFETY: fcntl on a descriptor this File owns.
    unsafe {
        let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
    }
}

/// Writes to a pipe without the process receiving SIGPIPE when its reader is
/// gone (the CLI keeps SIGPIPE's default action, which would end it): the
/// signal is blocked on this thread for the write, and a SIGPIPE it raised
/// is taken off the pending set before the mask is restored.
fn write_quietly(file: &File, bytes: &[u8]) -> std::io::Result<usize> {
    // SAFETY: plain signal-mask calls on this thread and a write to a
    // descriptor the File owns, from a live slice.
    unsafe {
        let mut pipe_set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut pipe_set);
        libc::sigaddset(&mut pipe_set, libc::SIGPIPE);
        let mut old: libc::sigset_t = std::mem::zeroed();
        let mut pending: libc::sigset_t = std::mem::zeroed();
        libc::sigpending(&mut pending);
        let was_pending = libc::sigismember(&pending, libc::SIGPIPE) == 1;
        libc::pthread_sigmask(libc::SIG_BLOCK, &pipe_set, &mut old);
        let written = libc::write(file.as_raw_fd(), bytes.as_ptr().cast(), bytes.len());
        let error = std::io::Error::last_os_error();
        if written < 0 && error.raw_os_error() == Some(libc::EPIPE) && !was_pending {
            let zero = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            libc::sigtimedwait(&pipe_set, std::ptr::null_mut(), &zero);
        }
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        if written < 0 {
            Err(error)
        } else {
            Ok(written as usize)
        }
    }
}

/// A child's pipes, moved by `poll(2)` without blocking: input to stdin,
/// stdout and stderr to the caller.
struct Pipes {
    stdin: Option<File>,
    input: Vec<u8>,
    written: usize,
    /// Close stdin once `input` is written.
    end_input: bool,
    outputs: [Option<File>; 2],
}

impl Pipes {
    fn of(child: &mut std::process::Child) -> Pipes {
        let file = |fd: OwnedFd| {
            let file = File::from(fd);
            set_nonblocking(&file);
            file
        };
        Pipes {
            stdin: child.stdin.take().map(|s| file(s.into())),
            input: Vec::new(),
            written: 0,
            end_input: false,
            outputs: [
                child.stdout.take().map(|s| file(s.into())),
                child.stderr.take().map(|s| file(s.into())),
            ],
        }
    }

    fn outputs_open(&self) -> bool {
        self.outputs.iter().any(Option::is_some)
    }

    /// Waits up to `wait_ms` for a pipe to be ready, then moves what it can.
    /// `want[i]` false leaves output `i` unread for now (backpressure).
    fn step(&mut self, wait_ms: i32, want: [bool; 2], mut sink: impl FnMut(usize, &[u8])) {
        if self.written >= self.input.len() && !self.input.is_empty() {
            self.input.clear();
            self.written = 0;
        }
        if self.end_input && self.input.is_empty() {
            self.stdin = None;
        }
        let mut fds = Vec::with_capacity(3);
        let mut who = Vec::with_capacity(3);
        for (i, output) in self.outputs.iter().enumerate() {
            if let (Some(file), true) = (output, want[i]) {
                fds.push(libc::pollfd {
                    fd: file.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                });
                who.push(i);
            }
        }
        if let (Some(stdin), false) = (&self.stdin, self.input.is_empty()) {
            fds.push(libc::pollfd {
                fd: stdin.as_raw_fd(),
                events: libc::POLLOUT,
                revents: 0,
            });
            who.push(2);
        }
        if fds.is_empty() {
            std::thread::sleep(Duration::from_millis(wait_ms.max(0) as u64));
            return;
        }
        // SAFETY: `fds` is a live array of pollfd of the given length.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, wait_ms) };
        if ready <= 0 {
            return;
        }
        let mut buffer = vec![0u8; 64 * 1024];
        for (fd, &index) in fds.iter().zip(who.iter()) {
            if fd.revents == 0 {
                continue;
            }
            if index == 2 {
                let Some(stdin) = &self.stdin else { continue };
                match write_quietly(stdin, &self.input[self.written..]) {
                    Ok(n) => self.written += n,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                    // The child closed its end: the rest of the input is dropped.
                    Err(_) => {
                        self.stdin = None;
                        self.input.clear();
                        self.written = 0;
                    }
                }
                continue;
            }
            let Some(file) = &mut self.outputs[index] else {
                continue;
            };
            match file.read(&mut buffer) {
                Ok(0) => self.outputs[index] = None,
                Ok(n) => sink(index, &buffer[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => self.outputs[index] = None,
            }
        }
    }
}

fn signal_name(signal: i32) -> Option<&'static str> {
    super::os::SIGNALS
        .iter()
        .find(|(_, n)| *n == signal)
        .map(|(name, _)| *name)
}

/// A signal from JavaScript: a known name or number (0 included, for kill).
fn signal_of(ctx: &Ctx<'_>, value: &Value<'_>) -> rquickjs::Result<i32> {
    if value.is_undefined() || value.is_null() {
        return Ok(libc::SIGTERM);
    }
    if let Some(n) = value.as_number() {
        if n == 0.0 || super::os::SIGNALS.iter().any(|(_, s)| f64::from(*s) == n) {
            return Ok(n as i32);
        }
    } else if let Some(name) = value.as_string() {
        let name = name.to_string()?;
        if let Some((_, n)) = super::os::SIGNALS.iter().find(|(s, _)| *s == name) {
            return Ok(*n);
        }
        return Err(throw_error(
            ctx,
            &format!("Unknown signal: {name}"),
            "ERR_UNKNOWN_SIGNAL",
            &[],
        ));
    }
    Err(throw_error(
        ctx,
        "Unknown signal",
        "ERR_UNKNOWN_SIGNAL",
        &[],
    ))
}

fn status_parts(status: std::process::ExitStatus) -> (Option<i32>, Option<&'static str>) {
    use std::os::unix::process::ExitStatusExt;
    (status.code(), status.signal().and_then(signal_name))
}

/// `value`, or `null` (rquickjs makes `None` undefined).
fn or_null<'js, T: rquickjs::IntoJs<'js>>(
    ctx: &Ctx<'js>,
    value: Option<T>,
) -> rquickjs::Result<Value<'js>> {
    match value {
        Some(value) => value.into_js(ctx),
        None => Ok(Value::new_null(ctx.clone())),
    }
}

fn bytes_value<'js>(ctx: &Ctx<'js>, bytes: Vec<u8>) -> rquickjs::Result<Value<'js>> {
    Ok(TypedArray::<u8>::new_copy(ctx.clone(), &bytes)?.into_value())
}

fn input_bytes(value: &Value<'_>) -> Option<Vec<u8>> {
    let array = TypedArray::<u8>::from_value(value.clone()).ok()?;
    // SAFETY: the bytes are copied out before any JS code can run again.
    unsafe { array.as_bytes() }.map(<[u8]>::to_vec)
}

/// The error object a failed spawn gives: ENOENT and its siblings, shaped as
/// Node's (`spawnSync nope ENOENT`, `errno`, `code`, `syscall`, `path`).
fn spawn_error<'js>(
    ctx: &Ctx<'js>,
    error: &std::io::Error,
    syscall: &str,
    spec: &Spec,
) -> rquickjs::Result<Value<'js>> {
    let (errno, code) = errno_and_code(ctx, error)?;
    system_error(
        ctx,
        &format!("{syscall} {} {code}", spec.file),
        errno,
        &code,
        &format!("{syscall} {}", spec.file),
        Some(&spec.file),
    )
}

/// Node's negative errno and its name for `error` (throw_io knows the names;
/// its object is caught and read).
fn errno_and_code(ctx: &Ctx<'_>, error: &std::io::Error) -> rquickjs::Result<(i32, String)> {
    let _ = throw_io(ctx, error, "spawn", "", None);
    let thrown = ctx.catch();
    let (errno, code) = match thrown.as_object() {
        Some(object) => (
            object.get::<_, Option<i32>>("errno")?.unwrap_or(-libc::EIO),
            object.get::<_, Option<String>>("code")?.unwrap_or_default(),
        ),
        None => (-libc::EIO, "EIO".to_string()),
    };
    // Failures of spawn and kill that the file system's table does not name.
    let code = match error.raw_os_error() {
        Some(libc::ENOBUFS) => "ENOBUFS".to_string(),
        Some(libc::ESRCH) => "ESRCH".to_string(),
        _ => code,
    };
    Ok((errno, code))
}

/// An error shaped as Node's system errors of child_process: `errno`,
/// `code`, `syscall`, `path`, with a message that is not enumerable.
fn system_error<'js>(
    ctx: &Ctx<'js>,
    message: &str,
    errno: i32,
    code: &str,
    syscall: &str,
    path: Option<&str>,
) -> rquickjs::Result<Value<'js>> {
    // Not through the global Error (a script may have replaced it): an
    // engine error, its message redefined as the constructor leaves it.
    let exception = rquickjs::Exception::from_message(ctx.clone(), message)?;
    let object = exception.as_object().clone();
    object.remove("message")?;
    object.prop(
        "message",
        rquickjs::object::Property::from(message)
            .writable()
            .configurable(),
    )?;
    object.set("errno", errno)?;
    object.set("code", code)?;
    object.set("syscall", syscall)?;
    if let Some(path) = path {
        object.set("path", path)?;
    }
    Ok(object.into_value())
}

/// `spawnSync(file, args, {cwd, env: ["K=V"...], argv0, stdio, input,
/// timeout, maxBuffer, killSignal})` -> `{pid, status, signal, stdout,
/// stderr, error}`; `error` is a Node-style error (ENOENT, ETIMEDOUT,
/// ENOBUFS) and the outputs are byte arrays (`null` when not piped).
fn spawn_sync<'js>(
    ctx: Ctx<'js>,
    file: String,
    args: Value<'js>,
    options: Object<'js>,
) -> rquickjs::Result<Object<'js>> {
    let spec = read_spec(&ctx, file, args, &options)?;
    let policy = allowed(&ctx, &spec)?;
    let state = RuntimeState::of(&ctx);
    let clock = state.clock.clone();
    let input = input_bytes(&options.get::<_, Value>("input")?);
    let timeout = positive_number(&options, "timeout")?
        .map(|ms| Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX));
    let max_buffer = positive_number(&options, "maxBuffer")?
        .map_or(usize::MAX, |n| {
            if n >= usize::MAX as f64 {
                usize::MAX
            } else {
                n as usize
            }
        })
        .min(state.memory_limit.unwrap_or(usize::MAX));
    let kill_signal = signal_of(&ctx, &options.get::<_, Value>("killSignal")?)?;

    let result = Object::new(ctx.clone())?;
    let mut child = match command_for(policy, &spec).and_then(|mut c| c.spawn()) {
        Ok(child) => child,
        Err(e) => {
            result.set("error", spawn_error(&ctx, &e, "spawnSync", &spec)?)?;
            result.set("pid", 0)?;
            result.set("status", Value::new_null(ctx.clone()))?;
            result.set("signal", Value::new_null(ctx.clone()))?;
            return Ok(result);
        }
    };
    result.set("pid", child.id())?;
    let pid = child.id();
    let group = own_group(&spec);
    let mut pipes = Pipes::of(&mut child);
    pipes.input = input.unwrap_or_default();
    pipes.end_input = true;
    let mut outputs: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let started = Instant::now();
    let mut failure: Option<i32> = None;
    let mut deadline = false;
    let mut status = None;
    loop {
        let mut overflow = false;
        pipes.step(5, [true, true], |i, bytes| {
            // Past maxBuffer (the child was told to stop) nothing more is kept.
            if outputs[i].len() <= max_buffer {
                outputs[i].extend_from_slice(bytes);
            }
            if outputs[i].len() > max_buffer {
                overflow = true;
            }
        });
        if status.is_none() {
            match child.try_wait() {
                Ok(Some(s)) => status = Some(s),
                Ok(None) => {}
                Err(e) => return Err(throw_io(&ctx, &e, "waitpid", &spec.file, None)),
            }
        }
        if status.is_some() && (!pipes.outputs_open() || failure.is_some()) {
            break;
        }
        if clock.is_timed() && clock.expired() {
            // The runtime's time limit: SIGKILL, whatever killSignal was.
            deadline = true;
            failure = Some(libc::ETIMEDOUT);
            if status.is_none() {
                // Not reaped yet (only this loop waits), so the pid and its
                // group are still the child's.
                kill_tree(pid, group);
                status = child.wait().ok();
            } else if group && pipes.outputs_open() {
                // A descendant still holds a pipe, so the group still exists.
                // SAFETY: kill(2) with plain integers.
                unsafe { libc::kill(-(pid as libc::pid_t), libc::SIGKILL) };
            }
            break;
        }
        if failure.is_none() {
            let reason = if overflow {
                Some(libc::ENOBUFS)
            } else if timeout.is_some_and(|t| started.elapsed() >= t) {
                Some(libc::ETIMEDOUT)
            } else {
                None
            };
            if let Some(reason) = reason {
                failure = Some(reason);
                if status.is_none() {
                    // SAFETY: the child is not reaped yet (only this loop
                    // waits for it), so its pid is still its own. The loop
                    // goes on until it exits (a signal it ignores leaves it
                    // running, up to the runtime's time limit).
                    unsafe { libc::kill(pid as libc::pid_t, kill_signal) };
                } else {
                    break;
                }
            }
        }
    }
    if deadline {
        return Err(crate::host::throw_uncatchable(
            &ctx,
            "interrupted: the runtime's time limit ended the program",
        ));
    }
    let (code, signal) = status.map_or((None, None), status_parts);
    result.set("status", or_null(&ctx, code)?)?;
    result.set("signal", or_null(&ctx, signal)?)?;
    let [stdout, stderr] = outputs;
    for (index, (key, bytes)) in [("stdout", stdout), ("stderr", stderr)]
        .into_iter()
        .enumerate()
    {
        if spec.stdio[index + 1] == Mode::Pipe {
            result.set(key, bytes_value(&ctx, bytes)?)?;
        } else {
            result.set(key, Value::new_null(ctx.clone()))?;
        }
    }
    if let Some(errno) = failure {
        let error = std::io::Error::from_raw_os_error(errno);
        result.set("error", spawn_error(&ctx, &error, "spawnSync", &spec)?)?;
    }
    Ok(result)
}

// --- asynchronous children ---------------------------------------------------

/// Output held in host memory per stream before the driver stops reading
/// (the pipe then fills and the child waits, as with a slow reader).
const ASYNC_BUFFERED: usize = 1 << 20;

/// Input for a child's stdin held in host memory before `write` refuses more
/// (the JavaScript stream keeps the rest, in the engine heap, until 'drain').
const STDIN_BUFFERED: usize = 1 << 20;

/// What a driver thread and the runtime share about one child.
#[derive(Default)]
struct Shared {
    output: [Vec<u8>; 2],
    closed: [bool; 2],
    exit: Option<(Option<i32>, Option<&'static str>)>,
    stdin: Vec<u8>,
    /// Input the driver took from `stdin` and has not written yet.
    stdin_pending: usize,
    end_stdin: bool,
    signals: Vec<i32>,
    /// The runtime is gone, or no longer wants the child: kill it and stop.
    stop: bool,
    /// Whether the driver thread finished.
    done: bool,
    /// Stop reading stdout and stderr (their streams were destroyed).
    drop_outputs: bool,
    /// The process's standard input rather than a child.
    is_stdin: bool,
    /// The child leads its own process group (its descendants are killed
    /// with it).
    group: bool,
}

type Handle = Arc<Mutex<Shared>>;

fn lock(handle: &Handle) -> std::sync::MutexGuard<'_, Shared> {
    handle.lock().unwrap_or_else(|e| e.into_inner())
}

/// The running children of one runtime. Dropping it (with the runtime) kills
/// every child still running; their driver threads end within a few
/// milliseconds, whoever still holds the pipes.
#[derive(Default)]
pub(crate) struct Children {
    next: u32,
    running: HashMap<u32, (Handle, u32)>,
    /// The entry reading the process's standard input, once started.
    stdin: Option<u32>,
}

impl Children {
    fn owns_pid(&self, pid: u32) -> bool {
        self.running
            .values()
            .any(|(handle, p)| *p == pid && lock(handle).exit.is_none())
    }
}

impl Drop for Children {
    /// Kills every child still running (and its process group) before
    /// returning, so that a host that exits right after dropping its runtime
    /// leaves none behind; then gives the drivers a moment to reap them.
    fn drop(&mut self) {
        for (handle, pid) in self.running.values() {
            let mut shared = lock(handle);
            shared.stop = true;
            // `exit` is set under this lock in the same step that reaps the
            // child, so while it is unset the pid (and the group it leads)
            // is still the child's. The stdin entry has no child (pid 0).
            if !shared.is_stdin && *pid != 0 && shared.exit.is_none() {
                kill_tree(*pid, shared.group);
            }
        }
        let until = Instant::now() + Duration::from_millis(200);
        while Instant::now() < until
            && self.running.values().any(|(handle, _)| {
                let shared = lock(handle);
                !shared.is_stdin && !shared.done
            })
        {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// Runs one child: moves its pipes, delivers signals, reaps it.
fn drive(mut child: std::process::Child, mut pipes: Pipes, handle: Handle) {
    let mut status = None;
    loop {
        let want = {
            let mut shared = lock(&handle);
            if shared.stop {
                if status.is_none() {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                shared.done = true;
                return;
            }
            if status.is_none() {
                for signal in shared.signals.drain(..) {
                    // SAFETY: not reaped yet (only this thread waits), so the
                    // pid is still this child's.
                    unsafe {
                        libc::kill(child.id() as libc::pid_t, signal);
                    }
                }
            }
            shared.signals.clear();
            if !shared.stdin.is_empty() {
                let bytes = std::mem::take(&mut shared.stdin);
                if pipes.stdin.is_some() {
                    pipes.input.extend_from_slice(&bytes);
                }
            }
            pipes.end_input = shared.end_stdin;
            if shared.drop_outputs {
                pipes.outputs = [None, None];
            }
            [
                shared.output[0].len() < ASYNC_BUFFERED,
                shared.output[1].len() < ASYNC_BUFFERED,
            ]
        };
        let mut read: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
        pipes.step(10, want, |i, bytes| read[i].extend_from_slice(bytes));
        let mut shared = lock(&handle);
        // Reaped under the lock, with `exit` set below: `Children::drop`
        // signals only children whose `exit` is unset.
        if status.is_none() {
            status = match child.try_wait() {
                Ok(Some(s)) => Some(status_parts(s)),
                Ok(None) => None,
                Err(_) => Some((None, None)),
            };
        }
        shared.stdin_pending = if pipes.stdin.is_some() {
            pipes.input.len().saturating_sub(pipes.written)
        } else {
            0
        };
        for (i, bytes) in read.iter().enumerate() {
            shared.output[i].extend_from_slice(bytes);
            shared.closed[i] = pipes.outputs[i].is_none();
        }
        if shared.exit.is_none() {
            shared.exit = status;
        }
        if status.is_some() && !pipes.outputs_open() {
            shared.done = true;
            return;
        }
    }
}

/// `spawn(file, args, {cwd, env, argv0, stdio})` -> `{id, pid}`, or throws
/// the Node-style spawn error (ENOENT...).
fn spawn<'js>(
    ctx: Ctx<'js>,
    file: String,
    args: Value<'js>,
    options: Object<'js>,
) -> rquickjs::Result<Object<'js>> {
    let spec = read_spec(&ctx, file, args, &options)?;
    let policy = allowed(&ctx, &spec)?;
    let mut child = match command_for(policy, &spec).and_then(|mut c| c.spawn()) {
        Ok(child) => child,
        Err(e) => {
            let error = spawn_error(&ctx, &e, "spawn", &spec)?;
            return Err(ctx.throw(error));
        }
    };
    let pid = child.id();
    let pipes = Pipes::of(&mut child);
    let handle: Handle = Arc::new(Mutex::new(Shared {
        closed: [spec.stdio[1] != Mode::Pipe, spec.stdio[2] != Mode::Pipe],
        end_stdin: spec.stdio[0] != Mode::Pipe,
        group: own_group(&spec),
        ..Shared::default()
    }));
    let driver = handle.clone();
    let spawned = std::thread::Builder::new()
        .name("jsbox-child".into())
        .spawn(move || drive(child, pipes, driver));
    if let Err(e) = spawned {
        return Err(throw_io(&ctx, &e, "spawn", &spec.file, None));
    }
    let mut children = RuntimeState::of(&ctx).children();
    children.next = children.next.wrapping_add(1);
    let id = children.next;
    children.running.insert(id, (handle, pid));
    drop(children);
    let result = Object::new(ctx.clone())?;
    result.set("id", id)?;
    result.set("pid", pid)?;
    Ok(result)
}

fn handle_of(ctx: &Ctx<'_>, id: Value<'_>) -> rquickjs::Result<Option<Handle>> {
    module_allowed(ctx, "exec")?;
    Ok(entry_of(ctx, &id).filter(|handle| !lock(handle).is_stdin))
}

fn entry_of(ctx: &Ctx<'_>, id: &Value<'_>) -> Option<Handle> {
    let id = id
        .as_number()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX))?;
    RuntimeState::of(ctx)
        .children()
        .running
        .get(&(id as u32))
        .map(|(handle, _)| handle.clone())
}

/// Starts reading the process's standard input for this runtime (once; later
/// calls return the same entry): its bytes arrive as the stdout of an entry
/// without a child, through [`poll_entry`].
pub(crate) fn start_stdin(ctx: &Ctx<'_>) -> rquickjs::Result<u32> {
    let mut children = RuntimeState::of(ctx).children();
    if let Some(id) = children.stdin {
        return Ok(id);
    }
    // SAFETY: dup(2) of descriptor 0; the copy is owned by the File.
    let fd = unsafe { libc::dup(0) };
    let handle: Handle = Arc::new(Mutex::new(Shared {
        closed: [fd < 0, true],
        is_stdin: true,
        ..Shared::default()
    }));
    if fd >= 0 {
        // SAFETY: `fd` was just made by dup and nothing else owns it.
        let file = unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(fd) };
        let pipes = Pipes {
            stdin: None,
            input: Vec::new(),
            written: 0,
            end_input: true,
            outputs: [Some(file), None],
        };
        let reader = handle.clone();
        let spawned = std::thread::Builder::new()
            .name("jsbox-stdin".into())
            .spawn(move || read_only(pipes, reader));
        if spawned.is_err() {
            let mut shared = lock(&handle);
            shared.closed[0] = true;
            shared.done = true;
        }
    } else {
        lock(&handle).done = true;
    }
    if lock(&handle).done {
        lock(&handle).exit = Some((Some(0), None));
    }
    children.next = children.next.wrapping_add(1);
    let id = children.next;
    children.running.insert(id, (handle, 0));
    children.stdin = Some(id);
    Ok(id)
}

/// Moves what `pipes` reads into `handle` until the end of its input (or
/// until the runtime goes away).
fn read_only(mut pipes: Pipes, handle: Handle) {
    loop {
        let want = {
            let mut shared = lock(&handle);
            if shared.stop {
                shared.done = true;
                return;
            }
            shared.output[0].len() < ASYNC_BUFFERED
        };
        let mut read = Vec::new();
        pipes.step(20, [want, false], |_, bytes| read.extend_from_slice(bytes));
        let mut shared = lock(&handle);
        shared.output[0].extend_from_slice(&read);
        if pipes.outputs[0].is_none() {
            shared.closed[0] = true;
            shared.exit = Some((Some(0), None));
            shared.done = true;
            return;
        }
    }
}

/// `poll(id)` -> `{stdout, stderr, stdoutClosed, stderrClosed, status,
/// signal, exited, done}`: what the child produced since the last poll.
/// Once `done`, the child leaves the table.
fn poll<'js>(ctx: Ctx<'js>, id: Value<'js>) -> rquickjs::Result<Value<'js>> {
    module_allowed(&ctx, "exec")?;
    poll_entry(ctx, id)
}

/// `poll` without the policy check, for the process's own standard input.
pub(crate) fn poll_entry<'js>(ctx: Ctx<'js>, id: Value<'js>) -> rquickjs::Result<Value<'js>> {
    let Some(handle) = entry_of(&ctx, &id) else {
        return Ok(Value::new_null(ctx));
    };
    let (output, closed, exit, done) = {
        let mut shared = lock(&handle);
        let output = [
            std::mem::take(&mut shared.output[0]),
            std::mem::take(&mut shared.output[1]),
        ];
        (output, shared.closed, shared.exit, shared.done)
    };
    let result = Object::new(ctx.clone())?;
    let [stdout, stderr] = output;
    if !stdout.is_empty() {
        result.set("stdout", bytes_value(&ctx, stdout)?)?;
    }
    if !stderr.is_empty() {
        result.set("stderr", bytes_value(&ctx, stderr)?)?;
    }
    result.set("stdoutClosed", closed[0])?;
    result.set("stderrClosed", closed[1])?;
    if let Some((code, signal)) = exit {
        result.set("exited", true)?;
        result.set("status", or_null(&ctx, code)?)?;
        result.set("signal", or_null(&ctx, signal)?)?;
    }
    result.set("done", done)?;
    if done {
        if let Some(id) = id.as_number() {
            let mut children = RuntimeState::of(&ctx).children();
            if children.stdin != Some(id as u32) {
                children.running.remove(&(id as u32));
            }
        }
    }
    Ok(result.into_value())
}

/// `write(id, bytes)`: queues bytes for the child's stdin. False when the
/// queue already holds `STDIN_BUFFERED` bytes: nothing was taken, and the
/// caller tries again later. True otherwise (the bytes were queued, or
/// dropped because the child or its stdin is gone).
fn write<'js>(ctx: Ctx<'js>, id: Value<'js>, bytes: Value<'js>) -> rquickjs::Result<bool> {
    let Some(handle) = handle_of(&ctx, id)? else {
        return Ok(true);
    };
    {
        let shared = lock(&handle);
        if shared.end_stdin || shared.done || shared.stop {
            return Ok(true);
        }
        if shared.stdin.len().saturating_add(shared.stdin_pending) >= STDIN_BUFFERED {
            return Ok(false);
        }
    }
    let Some(bytes) = input_bytes(&bytes) else {
        return Ok(true);
    };
    let mut shared = lock(&handle);
    if !shared.end_stdin {
        shared.stdin.extend_from_slice(&bytes);
    }
    Ok(true)
}

/// `endInput(id)`: closes the child's stdin once what was written is sent.
fn end_input<'js>(ctx: Ctx<'js>, id: Value<'js>) -> rquickjs::Result<()> {
    if let Some(handle) = handle_of(&ctx, id)? {
        lock(&handle).end_stdin = true;
    }
    Ok(())
}

/// `closeOutputs(id)`: stops reading the child's stdout and stderr; the
/// child counts as closed once it exits, whoever else holds its pipes.
fn close_outputs<'js>(ctx: Ctx<'js>, id: Value<'js>) -> rquickjs::Result<()> {
    if let Some(handle) = handle_of(&ctx, id)? {
        lock(&handle).drop_outputs = true;
    }
    Ok(())
}

/// `signal(id, signal)`: sends a signal to a child of this runtime; false
/// when it already exited.
fn signal_child<'js>(ctx: Ctx<'js>, id: Value<'js>, signal: Value<'js>) -> rquickjs::Result<bool> {
    let signal = signal_of(&ctx, &signal)?;
    let Some(handle) = handle_of(&ctx, id)? else {
        return Ok(false);
    };
    let mut shared = lock(&handle);
    if shared.exit.is_some() || shared.stop {
        return Ok(false);
    }
    if signal != 0 {
        shared.signals.push(signal);
    }
    Ok(true)
}

/// `kill(pid, signal)` for `process.kill`: with a program list, only this
/// runtime's own running children may be signalled.
fn kill<'js>(ctx: Ctx<'js>, pid: Value<'js>, signal: Value<'js>) -> rquickjs::Result<bool> {
    let policy = module_allowed(&ctx, "exec")?;
    let signal = signal_of(&ctx, &signal)?;
    let Some(pid) = pid
        .as_number()
        .filter(|n| n.fract() == 0.0 && *n >= f64::from(i32::MIN) && *n <= f64::from(i32::MAX))
    else {
        return Err(throw_error(
            &ctx,
            "The \"pid\" argument must be of type number.",
            "ERR_INVALID_ARG_TYPE",
            &[],
        ));
    };
    let pid = pid as i32;
    if policy.allow_programs.is_some()
        && (pid <= 0 || !RuntimeState::of(&ctx).children().owns_pid(pid as u32))
    {
        return Err(crate::host::throw_denied(
            &ctx,
            &format!("Signalling process {pid} is denied by this runtime's policy (only its own children may be)"),
        ));
    }
    // SAFETY: kill(2) with plain integers.
    let outcome = unsafe { libc::kill(pid, signal) };
    if outcome != 0 {
        let error = std::io::Error::last_os_error();
        let (errno, code) = errno_and_code(&ctx, &error)?;
        let object = system_error(&ctx, &format!("kill {code}"), errno, &code, "kill", None)?;
        return Err(ctx.throw(object));
    }
    Ok(true)
}

/// Builds the binding object for one runtime.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    b.set("run", Function::new(ctx.clone(), run)?)?;
    b.set("spawnSync", Function::new(ctx.clone(), spawn_sync)?)?;
    b.set("spawn", Function::new(ctx.clone(), spawn)?)?;
    b.set("poll", Function::new(ctx.clone(), poll)?)?;
    b.set("write", Function::new(ctx.clone(), write)?)?;
    b.set("endInput", Function::new(ctx.clone(), end_input)?)?;
    b.set("signal", Function::new(ctx.clone(), signal_child)?)?;
    b.set("closeOutputs", Function::new(ctx.clone(), close_outputs)?)?;
    b.set("kill", Function::new(ctx.clone(), kill)?)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use rquickjs::{Ctx, Function, Object, Value};

    use crate::{open, Options};

    /// Calls `function` of the raw `exec` binding with `args` (as a script
    /// that reached it by some route would); the code it threw, or "ok".
    fn code_of(options: Options, function: &str, source_args: &str) -> String {
        let rt = open(options).unwrap();
        rt.with(|ctx: Ctx<'_>| {
            let binding = super::binding(&ctx).unwrap();
            let f: Function = binding.get(function).unwrap();
            let args: rquickjs::Array = ctx.eval(source_args).unwrap();
            let mut call = rquickjs::function::Args::new(ctx.clone(), args.len());
            for value in args.iter::<Value>() {
                call.push_arg(value.unwrap()).unwrap();
            }
            Ok(match call.apply::<Value>(&f) {
                Ok(_) => "ok".to_string(),
                Err(_) => {
                    let thrown = ctx.catch();
                    let object: Option<&Object> = thrown.as_object();
                    object
                        .and_then(|o| o.get::<_, String>("code").ok())
                        .unwrap_or_default()
                }
            })
        })
        .unwrap()
    }

    #[test]
    fn every_function_of_the_raw_binding_checks_the_policy() {
        let denied = "ERR_ACCESS_DENIED";
        let spawn_args = "[['echo', ['x'], {}]][0]";
        for function in ["spawnSync", "spawn"] {
            assert_eq!(
                code_of(Options::new().sandboxed(), function, spawn_args),
                denied
            );
            let listed = Options::new().allow_programs(["cat"]);
            assert_eq!(code_of(listed, function, spawn_args), denied, "{function}");
            let listed = Options::new().allow_programs(["echo"]);
            assert_eq!(code_of(listed, function, spawn_args), "ok", "{function}");
        }
        for function in ["poll", "write", "endInput", "signal", "closeOutputs"] {
            assert_eq!(
                code_of(Options::new().sandboxed(), function, "[1, 1]"),
                denied
            );
        }
        assert_eq!(
            code_of(Options::new().sandboxed(), "kill", "[1, 0]"),
            denied
        );
        assert_eq!(
            code_of(Options::new().allow_programs(["echo"]), "kill", "[1, 0]"),
            denied
        );
    }
}
