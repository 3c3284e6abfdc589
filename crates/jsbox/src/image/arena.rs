//! The memory of one heap-image slot: a region reserved at a fixed address and
//! an allocator whose whole state lives at the start of the region, so copying
//! the region's used bytes captures the engine heap *and* the allocator
//! together.
//!
//! The allocator is TLSF (two-level segregated fit, from the `rlsf` crate): it
//! splits and coalesces free blocks in constant time and keeps its free lists
//! in a header we place in the region itself. The region is handed to it in
//! steps (`GROW` bytes or what an allocation needs), so the image ends close
//! to the last byte the template used.

use std::alloc::Layout;
use std::ptr::NonNull;

use rlsf::Tlsf;
use rquickjs::allocator::Allocator;

use crate::heap_limit::HeapLimit;

/// Bytes of the region below which small zeroing is cheaper than returning pages.
pub(crate) const PAGE: usize = 4096;
/// QuickJS wants malloc's alignment.
const ALIGN: usize = 16;
/// How much more of the region the pool takes when it runs out: one page,
/// so that the image (the pool as the build left it) ends within a page of
/// the template's last block, and every restore copies no more than that.
const GROW: usize = 4 << 10;
/// Worst case bytes TLSF adds to an allocation (block header, rounding).
const OVERHEAD: usize = 64;

/// TLSF with a first level wide enough that pools of any size coalesce.
type Heap = Tlsf<'static, u64, u8, 59, 8>;

/// The allocator's state, at offset 0 of the region.
#[repr(C)]
struct Header {
    heap: Heap,
    /// Offset of the end of the memory given to the heap so far: every byte
    /// the engine may have touched lies below it.
    pool_end: usize,
    /// Usable bytes of the live allocations.
    allocated: usize,
    /// Most bytes `allocated` may reach: the runtime's memory limit.
    limit: HeapLimit,
}

/// Where the pool starts: after the header, aligned.
const POOL_START: usize = std::mem::size_of::<Header>().next_multiple_of(64);

/// A reserved region of address space, unmapped when dropped.
pub(crate) struct Region {
    base: NonNull<u8>,
    capacity: usize,
}

// SAFETY: the region is plain memory owned by one slot; the slot (and the lock
// around its engine) decides who touches it.
unsafe impl Send for Region {}

impl Region {
    /// Reserves `capacity` bytes (rounded up to whole pages). Pages cost nothing
    /// until touched.
    pub(crate) fn reserve(capacity: usize) -> std::io::Result<Region> {
        let capacity = capacity.div_ceil(PAGE) * PAGE;
        // SAFETY: an anonymous private mapping with no address hint.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                capacity,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        let base = NonNull::new(base.cast::<u8>()).ok_or_else(std::io::Error::last_os_error)?;
        let region = Region { base, capacity };
        if capacity <= POOL_START {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a heap-image slot must be larger than its allocator's header",
            ));
        }
        // SAFETY: the mapping is fresh and large enough for the header.
        unsafe {
            region.header().write(Header {
                heap: Heap::new(),
                pool_end: POOL_START,
                allocated: 0,
                limit: HeapLimit::new(capacity),
            });
        }
        Ok(region)
    }

    /// The whole region, for the crate's own tests to read (untouched pages
    /// read as zeros).
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is readable over its whole length.
        unsafe { std::slice::from_raw_parts(self.base.as_ptr(), self.capacity) }
    }

    fn header(&self) -> *mut Header {
        self.base.as_ptr().cast()
    }

    /// Bytes of the region in use, from its start (the header and the pool
    /// given to the allocator): the image's length when the slot is idle.
    pub(crate) fn used(&self) -> usize {
        // SAFETY: the header is always mapped.
        unsafe { (*self.header()).pool_end }
    }

    /// Lets live allocations reach `limit` bytes in all (the template's
    /// included).
    pub(crate) fn set_limit(&self, limit: usize) {
        // SAFETY: the header is always mapped; the slot is not in use elsewhere.
        unsafe { (*self.header()).limit = HeapLimit::new(limit.min(self.capacity)) }
    }

    /// The allocator QuickJS gets for this region.
    pub(crate) fn allocator(&self) -> ArenaAllocator {
        ArenaAllocator {
            base: self.base,
            capacity: self.capacity,
        }
    }

    /// The used bytes, as a copy: the image.
    pub(crate) fn snapshot(&self) -> Box<[u8]> {
        // SAFETY: the first `used()` bytes are mapped and initialised.
        unsafe { std::slice::from_raw_parts(self.base.as_ptr(), self.used()).into() }
    }

    /// Puts `image` back at the region's start and clears everything the last
    /// user allocated beyond it: up to `keep_warm` bytes above the image are
    /// zeroed in place, the pages past that are returned to the OS (they read
    /// as zeros when touched again).
    pub(crate) fn restore(&self, image: &[u8], keep_warm: usize) {
        let dirty_end = self.used().max(image.len()).min(self.capacity);
        // SAFETY: `image` came from `snapshot` of this region, so it fits; the
        // ranges below are inside the mapping.
        unsafe {
            std::ptr::copy_nonoverlapping(image.as_ptr(), self.base.as_ptr(), image.len());
            // Page aligned whenever anything lies beyond it.
            let warm_end = (image.len().next_multiple_of(PAGE) + keep_warm.next_multiple_of(PAGE))
                .min(dirty_end);
            if warm_end > image.len() {
                std::ptr::write_bytes(
                    self.base.as_ptr().add(image.len()),
                    0,
                    warm_end - image.len(),
                );
            }
            if dirty_end > warm_end {
                let to = dirty_end.next_multiple_of(PAGE);
                // Dropping the pages is what clears them; if the kernel
                // refused, zero them by hand.
                let ptr = self.base.as_ptr().add(warm_end);
                if libc::madvise(ptr.cast(), to - warm_end, libc::MADV_DONTNEED) != 0 {
                    std::ptr::write_bytes(ptr, 0, to - warm_end);
                }
            }
        }
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // SAFETY: the mapping was made in `reserve` with this length.
        unsafe {
            libc::munmap(self.base.as_ptr().cast(), self.capacity);
        }
    }
}

/// QuickJS's allocator for one region. It holds only the region's address
/// and size: all of its state is in the region.
pub(crate) struct ArenaAllocator {
    base: NonNull<u8>,
    capacity: usize,
}

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.max(1), ALIGN).ok()
}

impl ArenaAllocator {
    fn header(&mut self) -> &mut Header {
        // SAFETY: the header is at the region's start and always mapped; QuickJS
        // calls its allocator with the engine lock held, one call at a time.
        unsafe { &mut *self.base.as_ptr().cast::<Header>() }
    }

    /// Gives the heap enough more of the region for an allocation of `size`
    /// bytes. False when the region is exhausted.
    fn grow(&mut self, size: usize) -> bool {
        let base = self.base.as_ptr();
        let capacity = self.capacity;
        let header = self.header();
        // TLSF only looks in size classes that surely fit, a class being up to
        // 1/8 of the size wide: a quarter more always finds the new block.
        let Some(wanted) = size.checked_add(size / 4 + OVERHEAD) else {
            return false;
        };
        let start = header.pool_end;
        let end = start
            .saturating_add(wanted.max(GROW))
            .next_multiple_of(GROW)
            .min(capacity);
        if end <= start {
            return false;
        }
        // SAFETY: `start..end` is inside the mapping and was never given to
        // the heap; an append starts where the previous pool ended.
        let added = unsafe {
            let block =
                NonNull::slice_from_raw_parts(NonNull::new_unchecked(base.add(start)), end - start);
            if start == POOL_START {
                header
                    .heap
                    .insert_free_block_ptr(block)
                    .map_or(0, |n| n.get())
            } else {
                header.heap.append_free_block_ptr(block)
            }
        };
        if added == 0 {
            return false;
        }
        // The next append must start exactly where this pool ends.
        header.pool_end = start + added;
        true
    }

    /// Counts a new block, made for `requested` bytes, against the limit, or
    /// frees it again.
    fn admit(&mut self, ptr: NonNull<u8>, requested: usize) -> *mut u8 {
        // SAFETY: `ptr` was just allocated by this heap.
        let usable = unsafe { Heap::allocation_usable_size(ptr) };
        let header = self.header();
        if !header
            .limit
            .admits_block(header.allocated, usable, requested)
        {
            // SAFETY: allocated just now with this alignment.
            unsafe { header.heap.deallocate(ptr, ALIGN) };
            return std::ptr::null_mut();
        }
        header.allocated += usable;
        ptr.as_ptr()
    }
}

// SAFETY: blocks are 16-byte aligned (every layout asks for it), at least
// `size` bytes long, and `usable_size` reads the size TLSF keeps in front of
// each.
unsafe impl Allocator for ArenaAllocator {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        let Some(layout) = layout(size) else {
            return std::ptr::null_mut();
        };
        let header = self.header();
        if !header.limit.may_fit(header.allocated, size) {
            return std::ptr::null_mut();
        }
        let found = match header.heap.allocate(layout) {
            Some(ptr) => Some(ptr),
            None if self.grow(size) => self.header().heap.allocate(layout),
            None => None,
        };
        match found {
            Some(ptr) => self.admit(ptr, size),
            None => std::ptr::null_mut(),
        }
    }

    fn calloc(&mut self, count: usize, size: usize) -> *mut u8 {
        let Some(total) = count.checked_mul(size) else {
            return std::ptr::null_mut();
        };
        let ptr = self.alloc(total);
        if !ptr.is_null() {
            // SAFETY: the block holds at least `total` bytes; reused blocks are dirty.
            unsafe { std::ptr::write_bytes(ptr, 0, total) };
        }
        ptr
    }

    unsafe fn dealloc(&mut self, ptr: *mut u8) {
        let Some(ptr) = NonNull::new(ptr) else {
            return;
        };
        let usable = Heap::allocation_usable_size(ptr);
        let header = self.header();
        header.allocated = header.allocated.saturating_sub(usable);
        header.heap.deallocate(ptr, ALIGN);
    }

    unsafe fn realloc(&mut self, ptr: *mut u8, new_size: usize) -> *mut u8 {
        let Some(old) = NonNull::new(ptr) else {
            return self.alloc(new_size);
        };
        let Some(layout) = layout(new_size) else {
            return std::ptr::null_mut();
        };
        let old_usable = Heap::allocation_usable_size(old);
        let header = self.header();
        let others = header.allocated.saturating_sub(old_usable);
        // Shrinking is always allowed: the engine may treat a refused shrink
        // as out of memory, and it frees bytes.
        if new_size > old_usable && !header.limit.admits(others, new_size) {
            return std::ptr::null_mut();
        }
        let moved = match header.heap.reallocate(old, layout) {
            Some(ptr) => Some(ptr),
            None if self.grow(new_size) => self.header().heap.reallocate(old, layout),
            None => None,
        };
        let Some(moved) = moved else {
            return std::ptr::null_mut();
        };
        let usable = Heap::allocation_usable_size(moved);
        self.header().allocated = others + usable;
        moved.as_ptr()
    }

    unsafe fn usable_size(ptr: *mut u8) -> usize {
        match NonNull::new(ptr) {
            Some(ptr) => Heap::allocation_usable_size(ptr),
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What QuickJS asks for when it makes a chunk of small objects.
    const SMALL_CHUNK: usize = 4088;

    #[test]
    fn blocks_are_aligned_reused_and_bounded() {
        let region = Region::reserve(1 << 20).unwrap();
        let mut a = region.allocator();
        let p = a.alloc(10);
        assert_eq!(p as usize % ALIGN, 0);
        assert!(unsafe { ArenaAllocator::usable_size(p) } >= 10);
        unsafe { a.dealloc(p) };
        assert_eq!(a.alloc(12), p, "a freed block is reused");
        // Growing the last block keeps it in place.
        let q = a.alloc(100);
        let grown = unsafe { a.realloc(q, 1000) };
        assert!(!grown.is_null());
        assert!(unsafe { ArenaAllocator::usable_size(grown) } >= 1000);
        // Past the limit: null, not a crash.
        region.set_limit(4096);
        assert!(a.alloc(1 << 16).is_null());
        assert!(a.calloc(usize::MAX, 2).is_null());
        // Past the region: null too.
        region.set_limit(usize::MAX);
        assert!(a.alloc(2 << 20).is_null());
    }

    #[test]
    fn past_the_limit_a_block_may_still_shrink_and_the_engine_make_its_error() {
        let region = Region::reserve(4 << 20).unwrap();
        let mut a = region.allocator();
        let big = a.alloc(256 << 10);
        region.set_limit(257 << 10);
        assert!(a.alloc(SMALL_CHUNK).is_null(), "refused at the limit");
        // Right after a refusal, a 4 KiB chunk of the engine fits though
        // the allocator's rounding makes its block larger.
        let chunk = a.alloc(SMALL_CHUNK);
        assert!(!chunk.is_null());
        // Far past the limit (and its slack), shrinking is never refused.
        region.set_limit(16 << 10);
        let smaller = unsafe { a.realloc(big, 200 << 10) };
        assert!(!smaller.is_null(), "a shrink is refused");
        assert!(unsafe { a.realloc(smaller, 201 << 10) }.is_null());
        unsafe {
            a.dealloc(chunk);
            a.dealloc(smaller);
        }
    }

    #[test]
    fn freed_blocks_coalesce_whatever_the_sizes() {
        let region = Region::reserve(64 << 20).unwrap();
        let mut a = region.allocator();
        // One block at a time, one MiB larger each time: every freed block
        // merges back, so 40 of them (820 MiB in all) fit a 64 MiB region.
        // (Power-of-two classes that never merge ran out after a few.)
        for mib in 1..=40usize {
            let p = a.alloc(mib << 20);
            assert!(!p.is_null(), "{mib} MiB");
            unsafe {
                p.add((mib << 20) - 1).write(1);
                a.dealloc(p);
            }
        }
        // Smaller blocks of cycling sizes reuse the same memory.
        let used = region.used();
        for round in 0..50 {
            let sizes = [1 << 20, 3 << 20, 5 << 20, 2 << 20, 7 << 20];
            let blocks: Vec<_> = sizes
                .iter()
                .cycle()
                .skip(round % 5)
                .take(5)
                .map(|&s| a.alloc(s + round * 4096))
                .collect();
            assert!(blocks.iter().all(|p| !p.is_null()), "round {round}");
            for p in blocks {
                unsafe { a.dealloc(p) };
            }
        }
        assert_eq!(region.used(), used, "the pool grew");
        assert_eq!(unsafe { (*region.header()).allocated }, 0);
    }

    #[test]
    fn restore_puts_the_image_back_and_clears_the_rest() {
        let region = Region::reserve(16 << 20).unwrap();
        let mut a = region.allocator();
        let first = a.alloc(64);
        let image = region.snapshot();
        let p = a.alloc(3 << 20);
        assert!(!p.is_null());
        unsafe { std::ptr::write_bytes(p, 0xAB, 3 << 20) };
        let used = region.used();
        region.restore(&image, 64 << 10);
        assert_eq!(region.used(), image.len());
        let bytes = unsafe { std::slice::from_raw_parts(region.base.as_ptr(), used) };
        assert!(bytes[image.len()..].iter().all(|&b| b == 0));
        assert_eq!(&bytes[..image.len()], &image[..]);
        // The allocator is back where the image left it.
        unsafe { a.dealloc(first) };
        assert!(!a.alloc(3 << 20).is_null());
    }
}
