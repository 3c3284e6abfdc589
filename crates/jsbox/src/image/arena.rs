//! The memory of one heap-image slot: a region reserved at a fixed address and
//! an allocator whose whole state (free lists, top, limit) lives at the start of
//! the region, so copying the region's used bytes captures the engine heap *and*
//! the allocator together.

use std::ptr::NonNull;

use rquickjs::allocator::Allocator;

/// Every block starts with this header; blocks are 16-byte aligned.
const BLOCK_HEADER: usize = 16;
/// Smallest block: 32 bytes (class 5), header included.
const MIN_CLASS: u32 = 5;
/// Size classes are powers of two up to 2^47.
const CLASSES: usize = 48;
/// Bytes of the region below which small zeroing is cheaper than returning pages.
pub(crate) const PAGE: usize = 4096;

/// The allocator's state, at offset 0 of the region.
#[repr(C)]
struct Header {
    /// Offset of the first byte never handed out (bump pointer).
    top: usize,
    /// Offset the top may not pass: the runtime's memory limit.
    end: usize,
    /// Head of each class's free list (offset of a free block, 0 = empty).
    free: [usize; CLASSES],
}

/// The header before every block: its size class.
#[repr(C)]
struct BlockHeader {
    class: u64,
    _pad: u64,
}

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
        // SAFETY: the mapping is fresh, zeroed and large enough for the header.
        unsafe {
            let header = region.header();
            (*header).top = std::mem::size_of::<Header>().next_multiple_of(BLOCK_HEADER);
            (*header).end = capacity;
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

    /// Bytes handed out so far, from the region's start: the image's length
    /// when the slot is idle.
    pub(crate) fn used(&self) -> usize {
        // SAFETY: the header is always mapped.
        unsafe { (*self.header()).top }
    }

    /// Lets allocation reach `limit` bytes from the region's start (at most the
    /// capacity).
    pub(crate) fn set_limit(&self, limit: usize) {
        // SAFETY: the header is always mapped; the slot is not in use elsewhere.
        unsafe { (*self.header()).end = limit.min(self.capacity) }
    }

    /// The allocator QuickJS gets for this region.
    pub(crate) fn allocator(&self) -> ArenaAllocator {
        ArenaAllocator { base: self.base }
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

/// QuickJS's allocator for one region. It holds only the region's address: all
/// of its state is in the region.
pub(crate) struct ArenaAllocator {
    base: NonNull<u8>,
}

fn class_of(size: usize) -> Option<u32> {
    let needed = size.checked_add(BLOCK_HEADER)?;
    let class = needed.next_power_of_two().trailing_zeros().max(MIN_CLASS);
    ((class as usize) < CLASSES).then_some(class)
}

impl ArenaAllocator {
    fn header(&mut self) -> &mut Header {
        // SAFETY: the header is at the region's start and always mapped; QuickJS
        // calls its allocator with the engine lock held, one call at a time.
        unsafe { &mut *self.base.as_ptr().cast::<Header>() }
    }

    /// The block header of a pointer handed out by this allocator.
    unsafe fn block(ptr: *mut u8) -> *mut BlockHeader {
        ptr.sub(BLOCK_HEADER).cast()
    }

    fn alloc_class(&mut self, class: u32) -> *mut u8 {
        let base = self.base.as_ptr();
        let header = self.header();
        let head = header.free[class as usize];
        let offset = if head != 0 {
            // SAFETY: a free block stores the next free offset after its header.
            header.free[class as usize] = unsafe { *base.add(head + BLOCK_HEADER).cast::<usize>() };
            head
        } else {
            let size = 1usize << class;
            let top = header.top;
            match top.checked_add(size) {
                Some(new_top) if new_top <= header.end => header.top = new_top,
                _ => return std::ptr::null_mut(),
            }
            top
        };
        // SAFETY: `offset` is a block of this class inside the region.
        unsafe {
            let block = base.add(offset);
            (*block.cast::<BlockHeader>()).class = class as u64;
            block.add(BLOCK_HEADER)
        }
    }
}

// SAFETY: blocks are 16-byte aligned (the region is page aligned, every block
// size is a multiple of 16), at least `size` bytes long, and `usable_size`
// reads the class stored in front of each.
unsafe impl Allocator for ArenaAllocator {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        match class_of(size) {
            Some(class) => self.alloc_class(class),
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
        if ptr.is_null() {
            return;
        }
        let base = self.base.as_ptr();
        let block = Self::block(ptr);
        let class = (*block).class as usize;
        let offset = block as usize - base as usize;
        let header = self.header();
        *ptr.cast::<usize>() = header.free[class];
        header.free[class] = offset;
    }

    unsafe fn realloc(&mut self, ptr: *mut u8, new_size: usize) -> *mut u8 {
        if ptr.is_null() {
            return self.alloc(new_size);
        }
        let Some(new_class) = class_of(new_size) else {
            return std::ptr::null_mut();
        };
        let block = Self::block(ptr);
        let class = (*block).class as u32;
        if new_class <= class {
            return ptr;
        }
        // The last block grows in place.
        let base = self.base.as_ptr();
        let offset = block as usize - base as usize;
        let header = self.header();
        if offset + (1usize << class) == header.top {
            let grown = offset + (1usize << new_class);
            if grown <= header.end {
                header.top = grown;
                (*block).class = new_class as u64;
                return ptr;
            }
        }
        let moved = self.alloc_class(new_class);
        if moved.is_null() {
            return moved;
        }
        std::ptr::copy_nonoverlapping(ptr, moved, (1usize << class) - BLOCK_HEADER);
        self.dealloc(ptr);
        moved
    }

    unsafe fn usable_size(ptr: *mut u8) -> usize {
        if ptr.is_null() {
            return 0;
        }
        (1usize << (*Self::block(ptr)).class) - BLOCK_HEADER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_reused_and_bounded() {
        let region = Region::reserve(1 << 20).unwrap();
        let mut a = region.allocator();
        let p = a.alloc(10);
        assert_eq!(p as usize % 16, 0);
        assert_eq!(unsafe { ArenaAllocator::usable_size(p) }, 16);
        unsafe { a.dealloc(p) };
        assert_eq!(a.alloc(12), p, "a freed block of the class is reused");
        // Growing the last block keeps it in place.
        let q = a.alloc(100);
        let grown = unsafe { a.realloc(q, 1000) };
        assert_eq!(grown, q);
        assert!(unsafe { ArenaAllocator::usable_size(grown) } >= 1000);
        // Past the limit: null, not a crash.
        region.set_limit(region.used() + 64);
        assert!(a.alloc(1 << 16).is_null());
        assert!(a.calloc(usize::MAX, 2).is_null());
    }

    #[test]
    fn restore_puts_the_image_back_and_clears_the_rest() {
        let region = Region::reserve(16 << 20).unwrap();
        let mut a = region.allocator();
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
    }
}
