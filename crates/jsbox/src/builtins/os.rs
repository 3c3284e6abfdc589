//! The native half of `os`: facts about the host machine.

use std::ffi::{c_int, CStr};

use rquickjs::{Array, Ctx, Function, Object};

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

/// A C string field of a libc struct, as a Rust string.
fn c_field(field: &[libc::c_char]) -> String {
    let bytes: Vec<u8> = field
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// uname(2): [release, version, machine].
fn uname() -> [String; 3] {
    // SAFETY: utsname is plain data; uname fills it.
    let mut info: libc::utsname = unsafe { std::mem::zeroed() };
    if unsafe { libc::uname(&mut info) } != 0 {
        return [
            String::new(),
            String::new(),
            std::env::consts::ARCH.to_string(),
        ];
    }
    [
        c_field(&info.release),
        c_field(&info.version),
        c_field(&info.machine),
    ]
}

fn loadavg() -> Vec<f64> {
    let mut loads = [0f64; 3];
    // SAFETY: the array holds the 3 values asked for.
    let n = unsafe { libc::getloadavg(loads.as_mut_ptr(), 3) };
    if n != 3 {
        return vec![0.0; 3];
    }
    loads.to_vec()
}

/// getpwuid_r for the effective user: (uid, gid, username, homedir, shell).
fn user_info() -> Option<(u32, u32, String, String, String)> {
    // SAFETY: plain-data struct and a buffer large enough for getpwuid_r,
    // which either fills `entry` (strings pointing into `buffer`) or fails.
    unsafe {
        let uid = libc::geteuid();
        let mut entry: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let mut buffer = vec![0 as libc::c_char; 16 * 1024];
        let status = libc::getpwuid_r(
            uid,
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        );
        if status != 0 || found.is_null() {
            return None;
        }
        let text = |p: *const libc::c_char| {
            if p.is_null() {
                String::new()
            } else {
                CStr::from_ptr(p).to_string_lossy().into_owned()
            }
        };
        Some((
            entry.pw_uid,
            entry.pw_gid,
            text(entry.pw_name),
            text(entry.pw_dir),
            text(entry.pw_shell),
        ))
    }
}

/// getpriority(2) of a process: Ok(priority) or Err(errno name).
fn get_priority(pid: f64) -> Result<i32, &'static str> {
    if !(pid.is_finite()
        && pid.fract() == 0.0
        && (i32::MIN as f64..=i32::MAX as f64).contains(&pid))
    {
        return Err("EINVAL");
    }
    // SAFETY: a plain system call; errno is read right after it.
    unsafe {
        // -1 is also a priority: errno, cleared first, tells them apart.
        #[cfg(target_os = "linux")]
        {
            *libc::__errno_location() = 0;
        }
        let value = libc::getpriority(libc::PRIO_PROCESS, pid as i32 as libc::id_t);
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        if value == -1 && errno != 0 {
            return Err(match errno {
                libc::ESRCH => "ESRCH",
                libc::EPERM => "EPERM",
                libc::EACCES => "EACCES",
                _ => "EINVAL",
            });
        }
        Ok(value)
    }
}

/// Per CPU from /proc/stat: [user, nice, sys, idle, irq] in milliseconds,
/// and the current speed in MHz (0 where the kernel does not say).
fn cpu_times() -> Vec<([f64; 5], f64)> {
    let Ok(stat) = std::fs::read_to_string("/proc/stat") else {
        return Vec::new();
    };
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let ms_per_tick = if ticks > 0 {
        1000.0 / ticks as f64
    } else {
        10.0
    };
    stat.lines()
        .filter(|line| {
            line.starts_with("cpu") && line.as_bytes().get(3).is_some_and(u8::is_ascii_digit)
        })
        .map(|line| {
            let mut fields = line.split_whitespace();
            let cpu = fields
                .next()
                .unwrap_or("cpu0")
                .trim_start_matches("cpu")
                .to_string();
            let n: Vec<f64> = fields
                .map(|f| f.parse::<f64>().unwrap_or(0.0) * ms_per_tick)
                .collect();
            let at = |i: usize| n.get(i).copied().unwrap_or(0.0);
            let speed = std::fs::read_to_string(format!(
                "/sys/devices/system/cpu/cpu{cpu}/cpufreq/scaling_cur_freq"
            ))
            .ok()
            .and_then(|khz| khz.trim().parse::<f64>().ok())
            .map_or(0.0, |khz| (khz / 1000.0).floor());
            ([at(0), at(1), at(2), at(3), at(5)], speed)
        })
        .collect()
}

/// One address of a network interface, as Node lists it (the cidr is added
/// by the JS side).
struct InterfaceAddress {
    name: String,
    address: String,
    netmask: String,
    family: &'static str,
    mac: String,
    internal: bool,
    scope_id: Option<u32>,
}

fn sockaddr_ip(addr: *const libc::sockaddr) -> Option<(std::net::IpAddr, Option<u32>)> {
    if addr.is_null() {
        return None;
    }
    // SAFETY: getifaddrs hands out sockaddrs of the size their family says.
    unsafe {
        match c_int::from((*addr).sa_family) {
            libc::AF_INET => {
                let v4 = &*(addr.cast::<libc::sockaddr_in>());
                Some((
                    std::net::Ipv4Addr::from(u32::from_be(v4.sin_addr.s_addr)).into(),
                    None,
                ))
            }
            libc::AF_INET6 => {
                let v6 = &*(addr.cast::<libc::sockaddr_in6>());
                Some((
                    std::net::Ipv6Addr::from(v6.sin6_addr.s6_addr).into(),
                    Some(v6.sin6_scope_id),
                ))
            }
            _ => None,
        }
    }
}

fn network_interfaces() -> Vec<InterfaceAddress> {
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs allocates the list, freed below; every node is read
    // only while the list is alive.
    unsafe {
        if libc::getifaddrs(&mut list) != 0 {
            return Vec::new();
        }
        let mut macs: Vec<(String, String)> = Vec::new();
        let mut out = Vec::new();
        let mut node = list;
        while !node.is_null() {
            let entry = &*node;
            node = entry.ifa_next;
            if entry.ifa_addr.is_null() || entry.ifa_name.is_null() {
                continue;
            }
            let name = CStr::from_ptr(entry.ifa_name)
                .to_string_lossy()
                .into_owned();
            #[cfg(target_os = "linux")]
            if c_int::from((*entry.ifa_addr).sa_family) == libc::AF_PACKET {
                let ll = &*(entry.ifa_addr.cast::<libc::sockaddr_ll>());
                let len = usize::from(ll.sll_halen).min(6);
                let mac = (0..6)
                    .map(|i| format!("{:02x}", if i < len { ll.sll_addr[i] } else { 0 }))
                    .collect::<Vec<_>>()
                    .join(":");
                macs.push((name, mac));
                continue;
            }
            let Some((ip, scope)) = sockaddr_ip(entry.ifa_addr) else {
                continue;
            };
            let netmask = sockaddr_ip(entry.ifa_netmask).map(|(mask, _)| mask.to_string());
            let v6 = ip.is_ipv6();
            out.push(InterfaceAddress {
                name,
                address: ip.to_string(),
                netmask: netmask.unwrap_or_else(|| if v6 { "::".into() } else { "0.0.0.0".into() }),
                family: if v6 { "IPv6" } else { "IPv4" },
                mac: String::new(),
                internal: entry.ifa_flags & (libc::IFF_LOOPBACK as libc::c_uint) != 0,
                scope_id: if v6 { scope } else { None },
            });
        }
        libc::freeifaddrs(list);
        for address in &mut out {
            address.mac = macs
                .iter()
                .find(|(name, _)| *name == address.name)
                .map_or_else(|| "00:00:00:00:00:00".to_string(), |(_, mac)| mac.clone());
        }
        out
    }
}

/// Signals, in Node's order (names this platform lacks are left out).
pub(crate) const SIGNALS: &[(&str, c_int)] = &[
    ("SIGHUP", libc::SIGHUP),
    ("SIGINT", libc::SIGINT),
    ("SIGQUIT", libc::SIGQUIT),
    ("SIGILL", libc::SIGILL),
    ("SIGTRAP", libc::SIGTRAP),
    ("SIGABRT", libc::SIGABRT),
    ("SIGIOT", libc::SIGIOT),
    ("SIGBUS", libc::SIGBUS),
    ("SIGFPE", libc::SIGFPE),
    ("SIGKILL", libc::SIGKILL),
    ("SIGUSR1", libc::SIGUSR1),
    ("SIGSEGV", libc::SIGSEGV),
    ("SIGUSR2", libc::SIGUSR2),
    ("SIGPIPE", libc::SIGPIPE),
    ("SIGALRM", libc::SIGALRM),
    ("SIGTERM", libc::SIGTERM),
    ("SIGCHLD", libc::SIGCHLD),
    #[cfg(target_os = "linux")]
    ("SIGSTKFLT", libc::SIGSTKFLT),
    ("SIGCONT", libc::SIGCONT),
    ("SIGSTOP", libc::SIGSTOP),
    ("SIGTSTP", libc::SIGTSTP),
    ("SIGTTIN", libc::SIGTTIN),
    ("SIGTTOU", libc::SIGTTOU),
    ("SIGURG", libc::SIGURG),
    ("SIGXCPU", libc::SIGXCPU),
    ("SIGXFSZ", libc::SIGXFSZ),
    ("SIGVTALRM", libc::SIGVTALRM),
    ("SIGPROF", libc::SIGPROF),
    ("SIGWINCH", libc::SIGWINCH),
    ("SIGIO", libc::SIGIO),
    #[cfg(target_os = "linux")]
    ("SIGPOLL", libc::SIGPOLL),
    #[cfg(target_os = "linux")]
    ("SIGPWR", libc::SIGPWR),
    ("SIGSYS", libc::SIGSYS),
];

/// Errno, in Node's order (names this platform lacks are left out).
const ERRNO: &[(&str, c_int)] = &[
    ("E2BIG", libc::E2BIG),
    ("EACCES", libc::EACCES),
    ("EADDRINUSE", libc::EADDRINUSE),
    ("EADDRNOTAVAIL", libc::EADDRNOTAVAIL),
    ("EAFNOSUPPORT", libc::EAFNOSUPPORT),
    ("EAGAIN", libc::EAGAIN),
    ("EALREADY", libc::EALREADY),
    ("EBADF", libc::EBADF),
    ("EBADMSG", libc::EBADMSG),
    ("EBUSY", libc::EBUSY),
    ("ECANCELED", libc::ECANCELED),
    ("ECHILD", libc::ECHILD),
    ("ECONNABORTED", libc::ECONNABORTED),
    ("ECONNREFUSED", libc::ECONNREFUSED),
    ("ECONNRESET", libc::ECONNRESET),
    ("EDEADLK", libc::EDEADLK),
    ("EDESTADDRREQ", libc::EDESTADDRREQ),
    ("EDOM", libc::EDOM),
    ("EDQUOT", libc::EDQUOT),
    ("EEXIST", libc::EEXIST),
    ("EFAULT", libc::EFAULT),
    ("EFBIG", libc::EFBIG),
    ("EHOSTUNREACH", libc::EHOSTUNREACH),
    ("EIDRM", libc::EIDRM),
    ("EILSEQ", libc::EILSEQ),
    ("EINPROGRESS", libc::EINPROGRESS),
    ("EINTR", libc::EINTR),
    ("EINVAL", libc::EINVAL),
    ("EIO", libc::EIO),
    ("EISCONN", libc::EISCONN),
    ("EISDIR", libc::EISDIR),
    ("ELOOP", libc::ELOOP),
    ("EMFILE", libc::EMFILE),
    ("EMLINK", libc::EMLINK),
    ("EMSGSIZE", libc::EMSGSIZE),
    #[cfg(target_os = "linux")]
    ("EMULTIHOP", libc::EMULTIHOP),
    ("ENAMETOOLONG", libc::ENAMETOOLONG),
    ("ENETDOWN", libc::ENETDOWN),
    ("ENETRESET", libc::ENETRESET),
    ("ENETUNREACH", libc::ENETUNREACH),
    ("ENFILE", libc::ENFILE),
    ("ENOBUFS", libc::ENOBUFS),
    #[cfg(target_os = "linux")]
    ("ENODATA", libc::ENODATA),
    ("ENODEV", libc::ENODEV),
    ("ENOENT", libc::ENOENT),
    ("ENOEXEC", libc::ENOEXEC),
    ("ENOLCK", libc::ENOLCK),
    #[cfg(target_os = "linux")]
    ("ENOLINK", libc::ENOLINK),
    ("ENOMEM", libc::ENOMEM),
    ("ENOMSG", libc::ENOMSG),
    ("ENOPROTOOPT", libc::ENOPROTOOPT),
    ("ENOSPC", libc::ENOSPC),
    #[cfg(target_os = "linux")]
    ("ENOSR", libc::ENOSR),
    #[cfg(target_os = "linux")]
    ("ENOSTR", libc::ENOSTR),
    ("ENOSYS", libc::ENOSYS),
    ("ENOTCONN", libc::ENOTCONN),
    ("ENOTDIR", libc::ENOTDIR),
    ("ENOTEMPTY", libc::ENOTEMPTY),
    ("ENOTSOCK", libc::ENOTSOCK),
    #[cfg(target_os = "linux")]
    ("ENOTSUP", libc::ENOTSUP),
    ("ENOTTY", libc::ENOTTY),
    ("ENXIO", libc::ENXIO),
    ("EOPNOTSUPP", libc::EOPNOTSUPP),
    ("EOVERFLOW", libc::EOVERFLOW),
    ("EPERM", libc::EPERM),
    ("EPIPE", libc::EPIPE),
    ("EPROTO", libc::EPROTO),
    ("EPROTONOSUPPORT", libc::EPROTONOSUPPORT),
    ("EPROTOTYPE", libc::EPROTOTYPE),
    ("ERANGE", libc::ERANGE),
    ("EROFS", libc::EROFS),
    ("ESPIPE", libc::ESPIPE),
    ("ESRCH", libc::ESRCH),
    ("ESTALE", libc::ESTALE),
    #[cfg(target_os = "linux")]
    ("ETIME", libc::ETIME),
    ("ETIMEDOUT", libc::ETIMEDOUT),
    ("ETXTBSY", libc::ETXTBSY),
    ("EWOULDBLOCK", libc::EWOULDBLOCK),
    ("EXDEV", libc::EXDEV),
];

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
    let [release, version, machine] = uname();
    b.set("release", release)?;
    b.set("version", version)?;
    b.set("machine", machine)?;
    b.set("loadavg", Function::new(ctx.clone(), loadavg)?)?;
    b.set(
        "userInfo",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>| -> rquickjs::Result<Option<Object<'js>>> {
                let Some((uid, gid, username, homedir, shell)) = user_info() else {
                    return Ok(None);
                };
                let info = Object::new(ctx.clone())?;
                info.set("uid", uid)?;
                info.set("gid", gid)?;
                info.set("username", username)?;
                // Under hide_env, the same neutral home as homedir().
                info.set(
                    "homedir",
                    if env_visible(&ctx) {
                        homedir
                    } else {
                        "/".to_string()
                    },
                )?;
                info.set("shell", shell)?;
                Ok(Some(info))
            },
        )?,
    )?;
    b.set(
        "getPriority",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, pid: f64| -> rquickjs::Result<rquickjs::Value<'js>> {
                Ok(match get_priority(pid) {
                    Ok(priority) => rquickjs::Value::new_int(ctx, priority),
                    Err(code) => rquickjs::String::from_str(ctx, code)?.into_value(),
                })
            },
        )?,
    )?;
    b.set(
        "cpuTimes",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>| -> rquickjs::Result<Array<'js>> {
                let list = Array::new(ctx.clone())?;
                for (i, (times, speed)) in cpu_times().into_iter().enumerate() {
                    let entry = Array::new(ctx.clone())?;
                    for (j, t) in times.into_iter().enumerate() {
                        entry.set(j, t)?;
                    }
                    entry.set(5, speed)?;
                    list.set(i, entry)?;
                }
                Ok(list)
            },
        )?,
    )?;
    b.set(
        "networkInterfaces",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>| -> rquickjs::Result<Array<'js>> {
                let list = Array::new(ctx.clone())?;
                for (i, a) in network_interfaces().into_iter().enumerate() {
                    let entry = Object::new(ctx.clone())?;
                    entry.set("name", a.name)?;
                    entry.set("address", a.address)?;
                    entry.set("netmask", a.netmask)?;
                    entry.set("family", a.family)?;
                    entry.set("mac", a.mac)?;
                    entry.set("internal", a.internal)?;
                    if let Some(scope) = a.scope_id {
                        entry.set("scopeid", scope)?;
                    }
                    list.set(i, entry)?;
                }
                Ok(list)
            },
        )?,
    )?;
    let constants = |table: &[(&str, c_int)]| -> rquickjs::Result<Object<'js>> {
        let o = Object::new(ctx.clone())?;
        for &(name, value) in table {
            o.set(name, value)?;
        }
        Ok(o)
    };
    b.set("signals", constants(SIGNALS)?)?;
    b.set("errno", constants(ERRNO)?)?;
    Ok(b)
}
