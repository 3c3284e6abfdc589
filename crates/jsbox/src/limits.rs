//! Resource limits for a runtime: heap size, stack size, time per call and total
//! time. Memory and stack are enforced by the engine; time by its interrupt
//! handler, which ends a runaway script with an error that JS cannot catch.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Limits for one runtime. `None` means unlimited (QuickJS's default stack size
/// of 1 MiB applies when `stack` is `None`). Whatever the stack limit, it is
/// capped on every call by the room left on the calling thread's stack (less
/// 128 KiB for native frames), so deep recursion is a `RangeError` on any
/// thread, never a native stack overflow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Maximum engine heap in bytes; an allocation beyond it throws an
    /// out-of-memory error in the script.
    pub memory: Option<usize>,
    /// Maximum JS stack in bytes; deeper recursion throws a `RangeError`
    /// (capped by the calling thread's own stack).
    pub stack: Option<usize>,
    /// Longest time one call (`eval`, `require`, `run_file`, `run`, `call`, or a
    /// whole `run_until_idle`) may take.
    pub call_timeout: Option<Duration>,
    /// Total running time the runtime may use over its life.
    pub total_time: Option<Duration>,
}

impl Limits {
    /// No limits.
    pub fn none() -> Self {
        Self::default()
    }

    /// Sets the heap limit in bytes.
    pub fn memory(mut self, bytes: usize) -> Self {
        self.memory = Some(bytes);
        self
    }

    /// Sets the stack limit in bytes.
    pub fn stack(mut self, bytes: usize) -> Self {
        self.stack = Some(bytes);
        self
    }

    /// Sets the per-call deadline.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// Sets the total time budget.
    pub fn total_time(mut self, budget: Duration) -> Self {
        self.total_time = Some(budget);
        self
    }
}

/// Which limit ended a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLimit {
    /// The per-call deadline ([`Limits::call_timeout`]).
    Call(Duration),
    /// The runtime's total budget ([`Limits::total_time`]), now spent.
    Total(Duration),
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Nanoseconds since the process first asked: jsbox's one monotonic clock.
pub(crate) fn now_ns() -> u64 {
    epoch().elapsed().as_nanos() as u64
}

/// The clock a runtime's interrupt handler reads: the deadline of the call in
/// progress and the time used so far.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    limits: Limits,
    /// Deadline of the current call, in ns since `epoch()`; 0 = none.
    deadline_ns: AtomicU64,
    /// Which limit `deadline_ns` comes from: true = total budget.
    deadline_is_total: AtomicBool,
    /// When the current call started; 0 = not in a call.
    call_started_ns: AtomicU64,
    /// Time used by finished calls.
    used_ns: AtomicU64,
    /// Set by the interrupt handler when it stopped the script.
    fired: AtomicBool,
}

impl Clock {
    pub(crate) fn new(limits: Limits) -> Arc<Self> {
        Arc::new(Clock {
            limits,
            ..Clock::default()
        })
    }

    /// Makes `engine`'s interrupt handler end scripts at this clock's
    /// deadlines, when it has any.
    pub(crate) fn arm(self: &Arc<Self>, engine: &rquickjs::Runtime) {
        if self.is_timed() {
            let clock = self.clone();
            engine.set_interrupt_handler(Some(Box::new(move || clock.expired())));
        }
    }

    pub(crate) fn is_timed(&self) -> bool {
        self.limits.call_timeout.is_some() || self.limits.total_time.is_some()
    }

    /// Starts a call: arms the deadline. Fails at once when the total budget is
    /// already spent. Nested calls keep the outer deadline.
    pub(crate) fn begin(&self) -> Result<bool, TimeLimit> {
        if !self.is_timed() || self.call_started_ns.load(Ordering::Relaxed) != 0 {
            return Ok(false);
        }
        let now = now_ns();
        let mut deadline = u64::MAX;
        let mut is_total = false;
        if let Some(timeout) = self.limits.call_timeout {
            deadline = now.saturating_add(timeout.as_nanos() as u64);
        }
        if let Some(budget) = self.limits.total_time {
            let left =
                (budget.as_nanos() as u64).saturating_sub(self.used_ns.load(Ordering::Relaxed));
            if left == 0 {
                return Err(TimeLimit::Total(budget));
            }
            if now.saturating_add(left) < deadline {
                deadline = now + left;
                is_total = true;
            }
        }
        self.fired.store(false, Ordering::Relaxed);
        self.deadline_is_total.store(is_total, Ordering::Relaxed);
        self.call_started_ns.store(now.max(1), Ordering::Relaxed);
        self.deadline_ns.store(deadline, Ordering::Relaxed);
        Ok(true)
    }

    /// Ends the call started by the matching `begin() == Ok(true)`.
    pub(crate) fn end(&self) {
        let started = self.call_started_ns.swap(0, Ordering::Relaxed);
        self.deadline_ns.store(0, Ordering::Relaxed);
        if started != 0 {
            self.used_ns
                .fetch_add(now_ns().saturating_sub(started), Ordering::Relaxed);
        }
    }

    /// The interrupt handler's question: is the deadline past?
    pub(crate) fn expired(&self) -> bool {
        let deadline = self.deadline_ns.load(Ordering::Relaxed);
        if deadline != 0 && now_ns() >= deadline {
            self.fired.store(true, Ordering::Relaxed);
            return true;
        }
        false
    }

    /// Time left before the deadline of the current call, if one is armed.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        match self.deadline_ns.load(Ordering::Relaxed) {
            0 | u64::MAX => None,
            deadline => Some(Duration::from_nanos(deadline.saturating_sub(now_ns()))),
        }
    }

    /// The limit that stopped the last call, if the handler fired.
    pub(crate) fn take_fired(&self) -> Option<TimeLimit> {
        if !self.fired.swap(false, Ordering::Relaxed) {
            return None;
        }
        Some(self.reason())
    }

    /// The limit behind the current deadline.
    pub(crate) fn reason(&self) -> TimeLimit {
        match (
            self.deadline_is_total.load(Ordering::Relaxed),
            self.limits.total_time,
            self.limits.call_timeout,
        ) {
            (true, Some(budget), _) => TimeLimit::Total(budget),
            (_, _, Some(timeout)) => TimeLimit::Call(timeout),
            (_, Some(budget), None) => TimeLimit::Total(budget),
            (_, None, None) => TimeLimit::Call(Duration::ZERO),
        }
    }
}

/// Stack kept free below the engine's limit for the frames of jsbox, rquickjs
/// and native functions, which the engine does not count.
const STACK_MARGIN: usize = 128 << 10;

/// The stack limit to give the engine on this thread: `wanted`, or less when
/// the thread's stack has less room left below the caller (minus a margin).
/// A thread with a small stack then gets a `RangeError` on deep recursion
/// instead of overflowing its native stack.
pub(crate) fn stack_limit_here(wanted: usize) -> usize {
    let here = stack_pointer();
    match thread_stack_bounds() {
        // Only when the stack pointer is where the thread library says the
        // stack is (a sanitizer's fake stack, say, is not).
        Some((low, high)) if low < here && here <= high => {
            let room = (here - low).saturating_sub(STACK_MARGIN);
            // Never 0: QuickJS reads 0 as "no limit".
            wanted.min(room).max(1)
        }
        _ => wanted,
    }
}

/// The current stack pointer (the address of a local elsewhere).
#[inline(always)]
fn stack_pointer() -> usize {
    let sp: usize;
    #[cfg(target_arch = "x86_64")]
    // SAFETY: reads a register, touches no memory.
    unsafe {
        std::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags));
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: reads a register, touches no memory.
    unsafe {
        std::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags));
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        let marker = 0u8;
        sp = std::ptr::addr_of!(marker) as usize;
    }
    sp
}

/// The lowest usable address of the current thread's stack and its top,
/// asked of the thread library once per thread.
fn thread_stack_bounds() -> Option<(usize, usize)> {
    thread_local! {
        static BOUNDS: Option<(usize, usize)> = query_stack_bounds();
    }
    BOUNDS.with(|bounds| *bounds)
}

#[cfg(target_os = "linux")]
fn query_stack_bounds() -> Option<(usize, usize)> {
    // SAFETY: the attribute object is initialised by pthread_getattr_np and
    // destroyed once read; the out-pointers are valid.
    unsafe {
        let mut attr = std::mem::MaybeUninit::<libc::pthread_attr_t>::uninit();
        if libc::pthread_getattr_np(libc::pthread_self(), attr.as_mut_ptr()) != 0 {
            return None;
        }
        let mut attr = attr.assume_init();
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let mut guard: libc::size_t = 0;
        let ok = libc::pthread_attr_getstack(&attr, &mut addr, &mut size) == 0;
        // The guard pages lie at the low end; keep clear of them too.
        libc::pthread_attr_getguardsize(&attr, &mut guard);
        libc::pthread_attr_destroy(&mut attr);
        ok.then(|| (addr as usize + guard, addr as usize + size))
    }
}

#[cfg(not(target_os = "linux"))]
fn query_stack_bounds() -> Option<(usize, usize)> {
    None
}
