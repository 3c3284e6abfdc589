//! The heap limit (`Options::memory_limit`, `Limits::memory`), enforced by the
//! allocator a runtime's engine uses: the C allocator on the normal path
//! ([`LimitedAllocator`]), a slot's own allocator on the heap-image path.
//!
//! Both leave a little room above the limit for the engine's own error. When
//! an allocation fails at the limit, the engine throws an `out of memory`
//! error, and making that error object takes a few small allocations; with
//! the limit enforced by the engine itself, a heap filled to the last bytes
//! left none, and the engine threw `null` instead, which neither the script
//! nor the host could tell from a script's own `throw null`. So after a
//! refusal, the next few small allocations may pass the limit, by at most
//! [`SLACK`] bytes in all: enough for the error, never room to keep growing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rquickjs::allocator::Allocator;

/// How far past the limit the allocations made after a refusal may go.
pub(crate) const SLACK: usize = 64 << 10;
/// The largest allocation that may use the slack.
const SMALL: usize = 4 << 10;
/// How many allocations after a refusal may use the slack: making and
/// throwing the error, and reading it from Rust, take far fewer.
const GRACE: u32 = 64;

/// A heap limit and the state of its grace after a refusal. It lives where
/// the allocator keeps its state (inside a heap-image slot's region, so an
/// image restores it too).
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct HeapLimit {
    /// Most bytes the live allocations may reach.
    pub(crate) bytes: usize,
    /// Allocations that may still use the slack.
    grace: u32,
}

impl HeapLimit {
    pub(crate) const fn new(bytes: usize) -> Self {
        HeapLimit { bytes, grace: 0 }
    }

    /// Whether an allocation of `size` bytes may be added to the `allocated`
    /// bytes live now. A refusal opens the grace for the engine's error.
    pub(crate) fn admits(&mut self, allocated: usize, size: usize) -> bool {
        self.admits_block(allocated, size, size)
    }

    /// [`admits`](Self::admits) for a block already made: it adds `usable`
    /// bytes for the `requested` ones (the engine asks for small allocations
    /// in 4 KiB chunks, which an allocator's rounding makes a little larger).
    pub(crate) fn admits_block(
        &mut self,
        allocated: usize,
        usable: usize,
        requested: usize,
    ) -> bool {
        let after = allocated.saturating_add(usable);
        if after <= self.bytes {
            return true;
        }
        if self.grace > 0 && requested <= SMALL && after <= self.bytes.saturating_add(SLACK) {
            self.grace -= 1;
            return true;
        }
        self.grace = GRACE;
        false
    }

    /// A cheap check before allocating (the block's usable size, which
    /// [`admits`](Self::admits) then checks, is known only after): false when
    /// even the slack cannot hold `size` more bytes.
    pub(crate) fn may_fit(&mut self, allocated: usize, size: usize) -> bool {
        if allocated.saturating_add(size) <= self.bytes.saturating_add(SLACK) {
            return true;
        }
        self.grace = GRACE;
        false
    }
}

/// The C allocator, counting the usable bytes of live allocations against a
/// limit that the runtime sets once its own setup is done (jsbox's prelude
/// and the preload are not counted against it).
pub(crate) struct LimitedAllocator {
    /// The limit, set by the runtime once its setup is done.
    bytes: Arc<AtomicUsize>,
    limit: HeapLimit,
    allocated: usize,
}

impl LimitedAllocator {
    /// An allocator without a limit yet, and the handle that sets one.
    pub(crate) fn new() -> (LimitedAllocator, Arc<AtomicUsize>) {
        let bytes = Arc::new(AtomicUsize::new(usize::MAX));
        let allocator = LimitedAllocator {
            bytes: bytes.clone(),
            limit: HeapLimit::new(usize::MAX),
            allocated: 0,
        };
        (allocator, bytes)
    }

    /// The limit as the runtime last set it.
    fn limit(&mut self) -> &mut HeapLimit {
        self.limit.bytes = self.bytes.load(Ordering::Relaxed);
        &mut self.limit
    }

    fn admits(&mut self, size: usize) -> bool {
        let allocated = self.allocated;
        self.limit().admits(allocated, size)
    }
}

fn usable(ptr: *mut u8) -> usize {
    if ptr.is_null() {
        return 0;
    }
    // SAFETY: `ptr` is a live block of the C allocator.
    #[cfg(target_vendor = "apple")]
    let size = unsafe { libc::malloc_size(ptr.cast()) };
    // SAFETY: as above.
    #[cfg(not(target_vendor = "apple"))]
    let size = unsafe { libc::malloc_usable_size(ptr.cast()) };
    size
}

// SAFETY: every block comes from the C allocator, which aligns for any type
// (QuickJS asks for malloc's alignment) and reports usable sizes.
unsafe impl Allocator for LimitedAllocator {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        if !self.admits(size) {
            return std::ptr::null_mut();
        }
        // SAFETY: plain malloc; a zero size still returns a unique block.
        let ptr: *mut u8 = unsafe { libc::malloc(size.max(1)) }.cast();
        self.allocated += usable(ptr);
        ptr
    }

    fn calloc(&mut self, count: usize, size: usize) -> *mut u8 {
        let Some(total) = count.checked_mul(size) else {
            return std::ptr::null_mut();
        };
        if !self.admits(total) {
            return std::ptr::null_mut();
        }
        // SAFETY: plain calloc of the bytes checked above.
        let ptr: *mut u8 = unsafe { libc::calloc(total.max(1), 1) }.cast();
        self.allocated += usable(ptr);
        ptr
    }

    unsafe fn dealloc(&mut self, ptr: *mut u8) {
        self.allocated = self.allocated.saturating_sub(usable(ptr));
        // SAFETY: `ptr` is null or came from this allocator (the caller's
        // promise).
        unsafe { libc::free(ptr.cast()) };
    }

    unsafe fn realloc(&mut self, ptr: *mut u8, new_size: usize) -> *mut u8 {
        let old = usable(ptr);
        let others = self.allocated.saturating_sub(old);
        // Shrinking is always allowed: the engine may treat a refused shrink
        // as out of memory, and it frees bytes.
        if new_size > old && !self.limit().admits(others, new_size) {
            return std::ptr::null_mut();
        }
        // SAFETY: `ptr` is null or came from this allocator; on failure the
        // old block stays valid and counted.
        let moved: *mut u8 = unsafe { libc::realloc(ptr.cast(), new_size.max(1)) }.cast();
        if !moved.is_null() {
            self.allocated = others + usable(moved);
        }
        moved
    }

    unsafe fn usable_size(ptr: *mut u8) -> usize {
        usable(ptr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_allocations_right_after_a_refusal_may_pass_the_limit() {
        let mut limit = HeapLimit::new(1000);
        assert!(limit.admits(900, 100));
        assert!(!limit.admits(990, 64), "small ones stop at the limit");
        // The refusal opens the grace: a few small allocations pass.
        assert!(limit.admits(990, 64));
        assert!(!limit.admits(990, SMALL + 1), "never a large one");
        // At most SLACK bytes past the limit, however long the grace.
        assert!(!limit.admits(1000 + SLACK, 16));
        let mut limit = HeapLimit::new(1000);
        assert!(!limit.admits(1000, 1));
        for _ in 0..GRACE {
            assert!(limit.admits(1000, 1));
        }
        assert!(!limit.admits(1000, 1), "the grace ends");
    }

    #[test]
    fn the_grace_goes_by_the_size_asked_for_not_the_block_made() {
        let mut limit = HeapLimit::new(1000);
        assert!(!limit.admits(1000, 1));
        // A 4 KiB chunk that the allocator rounded up.
        assert!(limit.admits_block(1000, SMALL + 16, SMALL));
        assert!(!limit.admits_block(1000, SMALL + 32, SMALL + 1));
    }

    #[test]
    fn a_block_may_always_shrink() {
        let (mut a, bytes) = LimitedAllocator::new();
        let big = a.alloc(64 << 10);
        bytes.store(1, Ordering::Relaxed);
        for _ in 0..=GRACE {
            let _ = a.admits(1);
        }
        let smaller = unsafe { a.realloc(big, 32 << 10) };
        assert!(
            !smaller.is_null(),
            "over the limit, a shrink still succeeds"
        );
        assert!(
            unsafe { a.realloc(smaller, 48 << 10) }.is_null(),
            "growing does not"
        );
        unsafe { a.dealloc(smaller) };
        assert_eq!(a.allocated, 0);
    }

    #[test]
    fn the_allocator_counts_live_bytes_against_the_limit() {
        let (mut a, bytes) = LimitedAllocator::new();
        let big = a.alloc(100 << 10);
        assert!(!big.is_null());
        bytes.store(a.allocated, Ordering::Relaxed);
        assert!(a.alloc(8 << 10).is_null(), "a large allocation fails");
        let small = a.alloc(64);
        assert!(!small.is_null(), "the engine's error still fits");
        assert!(unsafe { a.realloc(small, 16 << 10) }.is_null());
        unsafe {
            a.dealloc(small);
            a.dealloc(big);
        }
        assert_eq!(a.allocated, 0);
        let again = a.alloc(8 << 10);
        assert!(!again.is_null(), "freed bytes are available again");
        unsafe { a.dealloc(again) };
    }
}
