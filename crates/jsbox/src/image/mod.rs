//! Heap-image runtimes: a fresh runtime made by copying a template heap back
//! over a slot instead of building an engine, a realm and the prelude anew.
//!
//! Each slot is a region of address space with an allocator that keeps its
//! whole state inside the region (see `arena`). The template runtime is built
//! there once; its image is the region's used bytes. A runtime borrows an idle
//! slot; when it is dropped, the slot's image is copied back (and everything
//! allocated beyond it cleared), so the next runtime starts exactly where the
//! template ended. An image is only valid at the address it was built at, so
//! every slot builds its own, on first use. See `docs/heap-images.md`.

mod arena;
mod slot;

use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::factory::Shared;
use crate::limits::Limits;
use crate::runtime::{Runtime, RuntimeState};
use rquickjs::Ctx;
pub(crate) use slot::functions_reachable;
use slot::Slot;

/// How a factory makes runtimes from heap images.
///
/// ```
/// use jsbox::{Factory, HeapImages, Options};
/// let factory = Factory::new(Options::new().heap_images(HeapImages::new().max_slots(4)))?;
/// let rt = factory.new_runtime()?;
/// assert_eq!(rt.eval::<i64>("6 * 7")?, 42);
/// # Ok::<(), jsbox::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeapImages {
    max_slots: usize,
    capacity: usize,
    required: Vec<String>,
}

/// Slots a factory keeps by default: live image runtimes beyond it are made
/// the normal way.
pub const DEFAULT_MAX_SLOTS: usize = 16;
/// Address space reserved per slot by default (256 MiB; pages cost memory only
/// once touched). It is the heap limit of a runtime without one of its own.
pub const DEFAULT_SLOT_CAPACITY: usize = 256 << 20;

impl Default for HeapImages {
    fn default() -> Self {
        HeapImages {
            max_slots: DEFAULT_MAX_SLOTS,
            capacity: DEFAULT_SLOT_CAPACITY,
            required: Vec::new(),
        }
    }
}

impl HeapImages {
    /// The defaults: [`DEFAULT_MAX_SLOTS`] slots of [`DEFAULT_SLOT_CAPACITY`] bytes.
    pub fn new() -> Self {
        Self::default()
    }

    /// The most slots (live image runtimes) the factory keeps; at least 1.
    pub fn max_slots(mut self, slots: usize) -> Self {
        self.max_slots = slots.max(1);
        self
    }

    /// Address space reserved per slot, in bytes: the heap limit of runtimes
    /// without a lower one of their own
    /// ([`Options::memory_limit`](crate::Options::memory_limit),
    /// [`Limits::memory`](crate::Limits)); a runtime asking for more than the
    /// capacity is made the normal way.
    pub fn capacity(mut self, bytes: usize) -> Self {
        self.capacity = bytes;
        self
    }

    /// Modules `require`d while the image is built, so that every runtime
    /// starts with them loaded and its `require` of them costs a lookup
    /// (loading `database` takes a restored runtime longer than its restore).
    /// Any name `require` takes from the base directory
    /// works (built-in modules, host modules, JavaScript files, which are
    /// read once per slot), except native modules added with
    /// [`Options::module`](crate::Options::module), whose Rust state an
    /// image cannot hold. A module that fails to load, or that the policy
    /// denies, makes [`Factory::new`](crate::Factory::new) fail. The image
    /// grows by what the modules hold, which every restore copies.
    ///
    /// ```
    /// use jsbox::{Factory, HeapImages, Options};
    /// let images = HeapImages::new().required_modules(["database"]);
    /// let factory = Factory::new(Options::new().heap_images(images))?;
    /// let rt = factory.new_runtime()?;
    /// let n: i64 = rt.eval(
    ///     "const db = require('database'); db.configure('sqlite3', ':memory:'); \
    ///      db.query('select 41 + 1 as n')[0].n",
    /// )?;
    /// assert_eq!(n, 42);
    /// # Ok::<(), jsbox::Error>(())
    /// ```
    pub fn required_modules<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.required.extend(names.into_iter().map(Into::into));
        self
    }
}

/// A factory's slots: idle ones ready to lend, and a count of all of them.
pub(crate) struct Pool {
    idle: Mutex<Vec<Slot>>,
    slots: AtomicUsize,
    max_slots: usize,
    capacity: usize,
    /// Slots built so far, the first included.
    built: AtomicUsize,
    /// Recent hand-backs (halved together when they reach 64): restored, and
    /// torn down because the runtime ran native code.
    restored: AtomicU32,
    torn_down: AtomicU32,
    /// Slot builds skipped because most recent runtimes tore their slot down.
    skipped: AtomicU32,
    /// Atoms every build makes room for (the first build's count, with room).
    atoms: usize,
    /// Modules every build requires (`HeapImages::required_modules`).
    required: Vec<String>,
}

/// While most recent runtimes tear their slot down, one slot build in this
/// many is still done, to notice when the workload changes.
const PROBE_EVERY: u32 = 16;

/// Counters of a factory's heap-image slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeapImageStats {
    /// Slots that exist (lent or idle).
    pub slots: usize,
    /// Slots idle, ready to lend.
    pub idle: usize,
    /// Bytes of one image (of the most recently built idle slot).
    pub image_bytes: usize,
    /// Address space reserved per slot.
    pub capacity: usize,
    /// Slots built so far (a slot whose runtime ran native code is torn down
    /// and later rebuilt).
    pub built: usize,
}

impl Pool {
    /// A pool with its first slot built, so that a broken preload or an image
    /// larger than the heap limit is reported when the factory is built.
    pub(crate) fn new(shared: &Arc<Shared>, config: HeapImages) -> Result<Arc<Pool>> {
        let capacity = config.capacity.max(shared.limits.memory.unwrap_or(0));
        // Found now rather than in the first hand-back that needs it.
        reference_count_offset();
        let build = |atoms| {
            Slot::build(shared, capacity, atoms, &config.required).map_err(|e| match e {
                Error::Engine(message) => Error::InvalidOptions(format!(
                    "building the heap image in a slot of {capacity} bytes failed \
                     (HeapImages::capacity): {message}"
                )),
                other => other,
            })
        };
        let mut first = build(slot::DEFAULT_ATOMS)?;
        if !first.has_atom_room() {
            // A preload with many names: once more, with room for them, so
            // that no restored runtime grows the atom table.
            first = build(first.atoms_wanted())?;
        }
        let limit = shared.limits.memory.unwrap_or(capacity);
        if first.image_len() >= limit {
            return Err(Error::InvalidOptions(format!(
                "the heap image ({} bytes) does not fit the heap limit of {limit} bytes",
                first.image_len()
            )));
        }
        let first_atoms = first.atoms_wanted();
        Ok(Arc::new(Pool {
            idle: Mutex::new(vec![first]),
            slots: AtomicUsize::new(1),
            max_slots: config.max_slots,
            capacity,
            built: AtomicUsize::new(1),
            restored: AtomicU32::new(0),
            torn_down: AtomicU32::new(0),
            skipped: AtomicU32::new(0),
            atoms: first_atoms,
            required: config.required,
        }))
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Slot>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A runtime on an idle slot (building one if the pool may grow), or `None`
    /// when every slot is lent or `limits` ask for more memory than a slot has.
    pub(crate) fn new_runtime(
        self: &Arc<Self>,
        shared: &Arc<Shared>,
        limits: Limits,
    ) -> Result<Option<Runtime>> {
        let limit = limits.memory.unwrap_or(self.capacity);
        if limit > self.capacity {
            return Ok(None);
        }
        let popped = self.idle().pop();
        let slot = match popped {
            Some(slot) => slot,
            None => {
                if !self.worth_building() {
                    return Ok(None);
                }
                if self.slots.fetch_add(1, Ordering::Relaxed) >= self.max_slots {
                    self.slots.fetch_sub(1, Ordering::Relaxed);
                    return Ok(None);
                }
                match Slot::build(shared, self.capacity, self.atoms, &self.required) {
                    Ok(slot) => {
                        self.built.fetch_add(1, Ordering::Relaxed);
                        slot
                    }
                    Err(_) => {
                        // The first build succeeded when the factory was
                        // made; a later one can fail (a required file edited
                        // since, a preload slower under load): this runtime
                        // is made the normal way, and the pool builds less.
                        self.slots.fetch_sub(1, Ordering::Relaxed);
                        self.record_hand_back(true);
                        return Ok(None);
                    }
                }
            }
        };
        if limit <= slot.image_len() {
            let image = slot.image_len();
            self.idle().push(slot);
            return Err(Error::InvalidOptions(format!(
                "the heap limit of {limit} bytes is below the heap image's {image} bytes"
            )));
        }
        let state = Arc::new(RuntimeState::new(shared, limits, slot.intrinsics()));
        state.set_on_image();
        if !slot.serves(&state) {
            self.idle().push(slot);
            return Ok(None);
        }
        slot.region().set_limit(limit);
        slot.hand_modules_to(&state);
        slot.attach(&state);
        let lease = Lease {
            slot: ManuallyDrop::new(slot),
            pool: self.clone(),
            state: state.clone(),
        };
        Ok(Some(Runtime::on_image(shared.clone(), lease, state)))
    }

    /// A slot build costs about ten normal runtimes and is wasted when the
    /// runtime tears the slot down again: while most recent runtimes did, the
    /// normal path is used instead, with an occasional build as a probe.
    fn worth_building(&self) -> bool {
        if self.torn_down.load(Ordering::Relaxed) <= self.restored.load(Ordering::Relaxed) {
            return true;
        }
        self.skipped.fetch_add(1, Ordering::Relaxed) % PROBE_EVERY == PROBE_EVERY - 1
    }

    /// Counts one hand-back.
    fn record_hand_back(&self, torn_down: bool) {
        let counter = if torn_down {
            &self.torn_down
        } else {
            &self.restored
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let restored = self.restored.load(Ordering::Relaxed);
        let torn_down = self.torn_down.load(Ordering::Relaxed);
        if restored + torn_down >= 64 {
            self.restored.store(restored / 2, Ordering::Relaxed);
            self.torn_down.store(torn_down / 2, Ordering::Relaxed);
        }
    }

    pub(crate) fn stats(&self) -> HeapImageStats {
        let idle = self.idle();
        HeapImageStats {
            slots: self.slots.load(Ordering::Relaxed),
            idle: idle.len(),
            image_bytes: idle.last().map_or(0, Slot::image_len),
            capacity: self.capacity,
            built: self.built.load(Ordering::Relaxed),
        }
    }
}

/// A slot lent to one runtime. Dropping it hands the slot back restored, or,
/// when foreign Rust code ran in the runtime, tears the slot down so that every
/// Rust object in its heap is released (the pool builds a new slot when needed).
pub(crate) struct Lease {
    slot: ManuallyDrop<Slot>,
    pool: Arc<Pool>,
    state: Arc<RuntimeState>,
}

impl Lease {
    pub(crate) fn context(&self) -> &rquickjs::Context {
        self.slot.context()
    }

    pub(crate) fn runtime(&self) -> &rquickjs::Runtime {
        self.slot.engine()
    }
}

/// Where an object's reference count lies, from the address its value holds:
/// QuickJS keeps it first in the object's header, the engine rquickjs builds
/// keeps it in the allocator's block header just before the object. Found
/// once per process by watching which one a new reference changes; `None`
/// if neither does (an engine laid out otherwise), and then a runtime that
/// made native functions has its slot torn down instead.
fn reference_count_offset() -> Option<isize> {
    static OFFSET: std::sync::OnceLock<Option<isize>> = std::sync::OnceLock::new();
    *OFFSET.get_or_init(|| {
        let engine = rquickjs::Runtime::new().ok()?;
        let context = rquickjs::Context::base(&engine).ok()?;
        context.with(|ctx| {
            let object = rquickjs::Object::new(ctx.clone()).ok()?;
            let raw = object.as_raw();
            let c = ctx.as_raw().as_ptr();
            [0isize, -4].into_iter().find(|&offset| {
                // SAFETY: both places are inside the object's allocation
                // (its header, or the block header the allocator puts in
                // front of it); the extra reference is released at once.
                unsafe {
                    let count = raw.u.ptr.cast::<u8>().offset(offset).cast::<i32>();
                    let before = count.read_unaligned();
                    rquickjs::qjs::JS_DupValue(c, raw);
                    let during = count.read_unaligned();
                    rquickjs::qjs::JS_FreeValue(c, raw);
                    let after = count.read_unaligned();
                    before >= 1 && during == before + 1 && after == before
                }
            })
        })
    })
}

/// Finalizes the native functions a lent runtime made, which a restore would
/// otherwise forget with their Rust closures. Whoever else holds them (their
/// binding, a module) is about to be overwritten by the restore, and no code
/// runs in the heap before it, so each is freed now whatever its count.
fn finalize_before_restore<'js>(ctx: &Ctx<'js>, made: Vec<rquickjs::Value<'js>>, offset: isize) {
    let raw = ctx.as_raw().as_ptr();
    for function in made {
        let value = function.as_raw();
        // SAFETY: a live value; the reference taken here is the one the
        // release below frees (dropping `function` gives its own back, and
        // its hold on the context).
        unsafe { rquickjs::qjs::JS_DupValue(raw, value) };
        drop(function);
        // SAFETY: `offset` is where this engine keeps an object's reference
        // count (see `reference_count_offset`). Setting it to the one
        // reference held here makes the release finalize the function: its
        // Rust closure is dropped and its memory, in the region, freed; the
        // restore then overwrites every object that still pointed at it.
        unsafe {
            let count = value.u.ptr.cast::<u8>().offset(offset).cast::<i32>();
            count.write_unaligned(1);
            rquickjs::qjs::JS_FreeValue(raw, value);
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // SAFETY: taken once, here; the field is not used afterwards.
        let slot = unsafe { ManuallyDrop::take(&mut self.slot) };
        let made_functions = self.state.made_native_functions();
        let offset = if made_functions {
            reference_count_offset()
        } else {
            None
        };
        let torn_down = self.state.ran_foreign_code() || (made_functions && offset.is_none());
        self.pool.record_hand_back(torn_down);
        if made_functions {
            slot.context().with(|ctx| {
                let made = self.state.take_native_functions(&ctx);
                match offset {
                    Some(offset) if !torn_down => finalize_before_restore(&ctx, made, offset),
                    // The engine is freed the normal way: it finalizes them.
                    _ => drop(made),
                }
            });
        }
        if torn_down {
            drop(slot);
            self.pool.slots.fetch_sub(1, Ordering::Relaxed);
        } else {
            // The handler holds this runtime's clock; the image has none.
            slot.engine().set_interrupt_handler(None);
            slot.restore();
            self.pool.idle().push(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Factory, HeapImages, Options};

    const SECRET: &[u8] = b"Zq7-SECRET-v9";

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// Scans the one slot's memory for the secret, up to `len` bytes.
    fn slot_holds_secret(factory: &Factory, len: usize) -> bool {
        let pool = factory.image_pool().unwrap();
        let idle = pool.idle();
        let slot = idle.last().expect("the slot is idle");
        contains(&slot.region().bytes()[..len], SECRET)
    }

    #[test]
    fn nothing_a_runtime_wrote_is_left_in_its_slot() {
        let factory =
            Factory::new(Options::new().heap_images(HeapImages::new().max_slots(1))).unwrap();
        let rt = factory.new_runtime().unwrap();
        // The secret is built at run time, so it is in no bytecode or atom, in
        // small strings (inside the image's range and just above it), a big
        // string (past the zeroed-in-place part), an ArrayBuffer and a typed array.
        rt.eval::<()>(
            "const secret = ['Zq7', 'SECRET', 'v9'].join('-'); \
             globalThis.small = [secret + 1, secret + 2]; \
             globalThis.big = (secret + ' ').repeat(200000); \
             const bytes = new Uint8Array(1 << 20); \
             for (let i = 0; i + 13 < bytes.length; i += 4096) \
               for (let j = 0; j < 13; j++) bytes[i + j] = secret.charCodeAt(j); \
             globalThis.buffers = [bytes, new Float64Array(bytes.buffer.slice(0, 4096))];",
        )
        .unwrap();
        // While the runtime lives, its slot holds the secret: the scan works.
        let scanned = 64 << 20;
        let lease = rt.lease().expect("a runtime on a slot");
        assert!(contains(&lease.slot.region().bytes()[..scanned], SECRET));
        drop(rt);
        assert!(
            !slot_holds_secret(&factory, scanned),
            "the secret survived the hand-back"
        );
        // Later runtimes in the slot see zeroed buffers and none of the globals.
        let rt = factory.new_runtime().unwrap();
        let clean: bool = rt
            .eval(
                "typeof small === 'undefined' && typeof big === 'undefined' && \
                 new Uint8Array(8 << 20).every((b) => b === 0) && \
                 new Float64Array(1 << 16).every((x) => x === 0) && \
                 ' '.repeat(1 << 20).trim() === ''",
            )
            .unwrap();
        assert!(clean);
    }

    #[test]
    fn the_reference_count_of_an_object_is_found() {
        // Without it every runtime that makes native functions would tear
        // its slot down: a change of the engine's layout must show here.
        assert!(super::reference_count_offset().is_some());
    }
}
