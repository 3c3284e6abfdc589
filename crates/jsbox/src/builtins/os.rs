//! The native half of `os`: facts about the host machine.

use rquickjs::{Ctx, Function, Object};

/// Node's name for the CPU architecture.
pub(crate) fn node_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "x64",
        "x86" => "ia32",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64",
        other => other,
    }
}

/// Node's name for the operating system (`process.platform`).
pub(crate) fn node_platform() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    }
}

fn os_type() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        "windows" => "Windows_NT",
        "freebsd" => "FreeBSD",
        other => other,
    }
}

fn hostname() -> String {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is writable for its whole length.
    let status = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    if status != 0 {
        return "localhost".to_string();
    }
    let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
    String::from_utf8_lossy(&buffer[..end]).into_owned()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

fn meminfo(key: &str) -> f64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with(key))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib * 1024.0)
}

/// Whether the runtime may see the environment (not under `hide_env`).
fn env_visible(ctx: &Ctx<'_>) -> bool {
    !crate::runtime::RuntimeState::of(ctx).policy.hide_env
}

/// Builds the binding object for one runtime.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    b.set("platform", node_platform())?;
    b.set("arch", node_arch())?;
    b.set("type", os_type())?;
    b.set("hostname", Function::new(ctx.clone(), hostname)?)?;
    b.set(
        "homedir",
        Function::new(ctx.clone(), |ctx: Ctx<'js>| {
            // Read from the environment, which a runtime under hide_env may
            // not see: it gets the neutral answer.
            match env_visible(&ctx) {
                true => std::env::var("HOME").unwrap_or_else(|_| "/".to_string()),
                false => "/".to_string(),
            }
        })?,
    )?;
    b.set(
        "tmpdir",
        Function::new(ctx.clone(), |ctx: Ctx<'js>| {
            let from_env = env_visible(&ctx).then(|| std::env::var("TMPDIR").ok());
            let dir = from_env.flatten().unwrap_or_else(|| "/tmp".to_string());
            // Node strips one trailing slash.
            match dir.strip_suffix('/') {
                Some(stripped) if !stripped.is_empty() => stripped.to_string(),
                _ => dir,
            }
        })?,
    )?;
    b.set(
        "cpuCount",
        Function::new(ctx.clone(), || {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        })?,
    )?;
    b.set("cpuModel", Function::new(ctx.clone(), cpu_model)?)?;
    b.set(
        "totalmem",
        Function::new(ctx.clone(), || meminfo("MemTotal:"))?,
    )?;
    b.set(
        "freemem",
        Function::new(ctx.clone(), || meminfo("MemAvailable:"))?,
    )?;
    b.set(
        "uptime",
        Function::new(ctx.clone(), || {
            std::fs::read_to_string("/proc/uptime")
                .ok()
                .and_then(|s| {
                    s.split_whitespace()
                        .next()
                        .and_then(|n| n.parse::<f64>().ok())
                })
                .unwrap_or(0.0)
        })?,
    )?;
    Ok(b)
}
