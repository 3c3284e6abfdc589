//! One heap-image slot: an engine heap built in its own region, its image (the
//! region's used bytes after the build), and the way back to that image.

use std::sync::Arc;

use rquickjs::object::Property;
use rquickjs::{qjs, Ctx, Function, Object, Value};

use super::arena::Region;
use crate::compile::eval_bytecode;
use crate::error::{Error, Result};
use crate::factory::Shared;
use crate::host::internals;
use crate::intrinsics::Added;
use crate::limits::TimeLimit;
use crate::runtime::{drain_jobs, guarded, js_error, wire, RuntimeState};

/// Bytes above the image that a hand-back zeroes in place instead of returning
/// to the OS: what a small script allocates stays resident and fault-free.
const KEEP_WARM: usize = 64 << 10;
/// Atoms (property names, identifiers) a restored runtime may add before the
/// engine's atom table grows: growing rehashes every atom of the image, and
/// a runtime restored from it would do that again every time.
const ATOM_ROOM: usize = 512;
/// How many atoms a build makes room for when it has no better figure: what
/// jsbox's prelude leaves (about 1,020) and [`ATOM_ROOM`].
pub(crate) const DEFAULT_ATOMS: usize = 1600;

/// Extra references that keep the image's native functions alive: their Rust
/// closures live outside the region, so the engine must never finalize them
/// while the image is in use.
struct Pins(Vec<qjs::JSValue>);

// SAFETY: the values are only touched with the slot's engine, which is `Send`.
unsafe impl Send for Pins {}

/// A region with an engine heap, a realm and an image to restore them from.
pub(crate) struct Slot {
    // Field order matters: the context, then its engine, are freed before the
    // region that holds their memory is unmapped.
    context: rquickjs::Context,
    engine: rquickjs::Runtime,
    pins: Pins,
    image: Box<[u8]>,
    /// The state attached while the image was built; it stays attached at rest.
    template_state: Arc<RuntimeState>,
    /// Atoms the build made room for, and the atoms the image holds.
    atoms: AtomRoom,
    /// When the build loaded modules (required ones, or a preload's) that
    /// decided whether to log calls: whether their exports do. A module decides that when it loads, so the
    /// image only serves runtimes that log calls as it does.
    modules_log_calls: Option<bool>,
    /// Whether the build loaded ES modules (their records go to every runtime).
    has_modules: bool,
    region: Region,
}

fn engine_error(e: rquickjs::Error) -> Error {
    Error::Engine(e.to_string())
}

impl Slot {
    /// Builds the template in a fresh region of `capacity` bytes: a context
    /// with the core intrinsics wired like a normal runtime (the other
    /// built-ins are added on first use, unless the prelude or the preload
    /// used them), the prelude chunks every runtime may need loaded,
    /// `Math.random` made per-runtime, the preload run; then takes the image.
    /// Every built-in group left out is bytes no restore copies.
    ///
    /// The engine's atom table is first grown to take `atoms` atoms (see
    /// [`Slot::atoms_wanted`]). `required` are the modules the template
    /// requires (`HeapImages::required_modules`).
    pub(crate) fn build(
        shared: &Arc<Shared>,
        capacity: usize,
        atoms: usize,
        required: &[String],
    ) -> Result<Slot> {
        let region = Region::reserve(capacity).map_err(|e| {
            Error::Engine(format!(
                "reserving {capacity} bytes for a heap-image slot: {e}"
            ))
        })?;
        let engine = rquickjs::Runtime::new_with_alloc(region.allocator()).map_err(engine_error)?;
        let context = crate::runtime::core_context(&engine).map_err(engine_error)?;
        let mut slot = Slot {
            context,
            engine,
            pins: Pins(Vec::new()),
            image: Box::new([]),
            template_state: Arc::new(RuntimeState::for_image_build(shared)),
            atoms: AtomRoom { made: 0, held: 0 },
            modules_log_calls: None,
            has_modules: false,
            region,
        };
        // First, while the heap is small: the atoms' memory is reused by the
        // prelude rather than left as a hole in the image.
        let before = atom_count(&slot.engine.memory_usage());
        let hold = atoms_to_hold(atoms);
        slot.context
            .with(|ctx| grow_atom_table(&ctx, hold.saturating_sub(before)));
        wire(
            &slot.engine,
            &slot.context,
            shared,
            &slot.template_state,
            true,
        )?;
        let (pins, fired) = slot.timed(|| {
            slot.context
                .with(|ctx| guarded(|| warm(&ctx, shared, required)))
        });
        // Kept before anything fails, so that dropping the slot releases
        // them; a time limit that fired is the error, whatever the build
        // made of the interruption.
        match (pins, fired) {
            (Ok(pins), fired) => {
                slot.pins = Pins(pins);
                if let Some(limit) = fired {
                    return Err(Error::Timeout(limit));
                }
            }
            (Err(_), Some(limit)) => return Err(Error::Timeout(limit)),
            (Err(e), None) => return Err(e),
        }
        slot.has_modules = !slot.template_state.modules().is_empty();
        if slot.template_state.logging_asked() {
            slot.modules_log_calls = Some(slot.template_state.logs_calls());
        }
        slot.engine.run_gc();
        let usage = slot.engine.memory_usage();
        let held = atom_count(&usage);
        slot.atoms = AtomRoom {
            made: before.max(hold).max(held),
            held,
        };
        // The engine collects garbage once its heap has grown by half since
        // the last collection; the image counts as one, so a small script
        // does not start a collection over the whole image.
        let heap = usize::try_from(usage.malloc_size).unwrap_or(0);
        slot.engine.set_gc_threshold(heap.saturating_mul(3) / 2);
        slot.image = slot.region.snapshot();
        Ok(slot)
    }

    /// Runs `build` under the factory's time limits, as any script, and
    /// says whether a limit fired (an endless preload then fails the build
    /// with [`Error::Timeout`]). `build` may have finished all the same (the
    /// deadline passed between two promise jobs): its outcome is returned
    /// either way, so that what it made is released.
    fn timed<R>(&self, build: impl FnOnce() -> Result<R>) -> (Result<R>, Option<TimeLimit>) {
        let clock = &self.template_state.clock;
        if !clock.is_timed() {
            return (build(), None);
        }
        clock.arm(&self.engine);
        let armed = match clock.begin() {
            Ok(armed) => armed,
            Err(limit) => return (Err(Error::Timeout(limit)), None),
        };
        let outcome = build();
        if armed {
            clock.end();
        }
        // The image keeps no handler: each runtime installs its own.
        self.engine.set_interrupt_handler(None);
        (outcome, clock.take_fired())
    }

    /// How many atoms a build should make room for so that a runtime
    /// restored from this image can add [`ATOM_ROOM`] before the table grows.
    pub(crate) fn atoms_wanted(&self) -> usize {
        self.atoms.held + ATOM_ROOM
    }

    /// Whether the build made that room. When it did not (a preload with many
    /// names), building again with [`Slot::atoms_wanted`] does.
    pub(crate) fn has_atom_room(&self) -> bool {
        atom_table_limit(self.atoms.made) > self.atoms_wanted()
    }

    /// Bytes in the image.
    pub(crate) fn image_len(&self) -> usize {
        self.image.len()
    }

    pub(crate) fn region(&self) -> &Region {
        &self.region
    }

    pub(crate) fn context(&self) -> &rquickjs::Context {
        &self.context
    }

    pub(crate) fn engine(&self) -> &rquickjs::Runtime {
        &self.engine
    }

    /// The built-in groups the image holds: a runtime made from it starts
    /// with these.
    pub(crate) fn intrinsics(&self) -> Added {
        self.template_state.intrinsics.copied()
    }

    /// Whether a runtime with `state` may be made from this image: one that
    /// logs calls needs the modules the image holds to log theirs, and one
    /// that does not, not.
    pub(crate) fn serves(&self, state: &RuntimeState) -> bool {
        self.modules_log_calls
            .is_none_or(|logged| logged == state.logs_calls())
    }

    /// Gives a runtime made from this image the image's ES module records.
    pub(crate) fn hand_modules_to(&self, state: &RuntimeState) {
        if self.has_modules {
            *state.modules() = self.template_state.modules().settled();
        }
    }

    /// Makes `state` the one native functions find, for a new runtime.
    /// The slot is idle and owned by the caller: no code runs while it changes.
    pub(crate) fn attach(&self, state: &RuntimeState) {
        state.attach(self.context.as_raw());
    }

    /// Puts the image back: the heap, the realm and the allocator are as the
    /// build left them, and nothing the last runtime allocated beyond the image
    /// is left in memory. Only for a runtime that ran no foreign Rust code (its
    /// Rust objects would not be released).
    pub(crate) fn restore(&self) {
        self.region.restore(&self.image, KEEP_WARM);
    }
}

impl Drop for Slot {
    /// Tears the engine down the normal way (every finalizer runs) after
    /// releasing the pins, so the image's native functions are freed too.
    fn drop(&mut self) {
        self.attach(&self.template_state);
        let pins = std::mem::take(&mut self.pins.0);
        self.context.with(|ctx| {
            // A build that failed part way leaves its bindings noted.
            drop(self.template_state.take_native_functions(&ctx));
            for value in pins {
                // SAFETY: each pin is one reference taken in `warm`; pinned
                // objects cannot have been freed since.
                unsafe { qjs::JS_FreeValue(ctx.as_raw().as_ptr(), value) };
            }
        });
    }
}

/// The atom counts of a build.
struct AtomRoom {
    /// The most atoms the engine held at once while building: its table has
    /// room for more than that.
    made: usize,
    /// The atoms the image holds.
    held: usize,
}

/// QuickJS-ng's atom table starts with 512 buckets and doubles them when
/// its atom count reaches twice their number. After it held `peak` atoms at
/// once, it grows when the count reaches the number returned.
fn atom_table_limit(peak: usize) -> usize {
    let mut limit = 1024;
    while limit <= peak {
        limit *= 2;
    }
    limit
}

/// The fewest atoms the table must have held at once to take `need` atoms
/// without growing (holding more would only make the image larger).
fn atoms_to_hold(need: usize) -> usize {
    let mut hold = 0;
    while atom_table_limit(hold) <= need {
        hold = atom_table_limit(hold);
    }
    hold
}

fn atom_count(usage: &rquickjs::qjs::JSMemoryUsage) -> usize {
    usize::try_from(usage.atom_count).unwrap_or(0)
}

/// Makes `count` atoms and frees them again. The engine's atom table grows
/// when it is half full and never shrinks, so it then has room for that many
/// more atoms than it holds.
fn grow_atom_table(ctx: &Ctx<'_>, count: usize) {
    let raw = ctx.as_raw().as_ptr();
    let mut atoms = Vec::with_capacity(count);
    for i in 0..count {
        let name = format!("\u{1}room{i}");
        // SAFETY: a live context; the name is valid UTF-8 of that length.
        let atom = unsafe { qjs::JS_NewAtomLen(raw, name.as_ptr().cast(), name.len() as _) };
        if atom == qjs::JS_ATOM_NULL {
            break;
        }
        atoms.push(atom);
    }
    for atom in atoms {
        // SAFETY: each atom was made above and is freed once.
        unsafe { qjs::JS_FreeAtom(raw, atom) };
    }
}

/// Loads everything a runtime could load lazily, replaces `Math.random`,
/// requires the `required` modules, runs the preload, and returns one extra
/// reference to every native function made: those of the prelude and those
/// of every binding a module loaded. A script may drop every reference it
/// can reach to such a function (a module's exports are the only holders of
/// its binding), and the engine would then free the function's Rust closure
/// while the image still points at it.
fn warm(ctx: &Ctx<'_>, shared: &Shared, required: &[String]) -> Result<Vec<qjs::JSValue>> {
    let internals = internals(ctx).map_err(|e| js_error(ctx, e))?;
    let warm: Function = crate::host::entry_function(ctx, "warm").map_err(|e| js_error(ctx, e))?;
    let host: Value = warm.call(()).map_err(|e| js_error(ctx, e))?;
    let functions = functions_reachable(ctx, host).map_err(|e| js_error(ctx, e))?;
    let random = per_runtime_random(ctx).map_err(|e| js_error(ctx, e))?;
    require_modules(ctx, required)?;
    if let Some(preload) = &shared.preload {
        if preload.is_module() {
            let (promise, _) =
                crate::esm::evaluate_program(ctx, preload.bytecode(), preload.name())
                    .map_err(|e| js_error(ctx, e))?;
            drain_jobs(ctx, &internals, RuntimeState::of(ctx))?;
            settled_preload(ctx, promise)?;
        } else {
            eval_bytecode(ctx, preload.bytecode()).map_err(|e| js_error(ctx, e))?;
            // As after any script: nextTick callbacks and promise jobs run now.
            drain_jobs(ctx, &internals, RuntimeState::of(ctx))?;
        }
    }
    let mut functions = functions;
    functions.extend(RuntimeState::of(ctx).take_native_functions(ctx));
    let mut pins = Vec::with_capacity(functions.len() + 1);
    for function in functions.into_iter().chain(std::iter::once(random)) {
        // SAFETY: a live value of this context; the reference is released in
        // `Slot::drop`.
        pins.push(unsafe { qjs::JS_DupValue(ctx.as_raw().as_ptr(), function.as_raw()) });
    }
    Ok(pins)
}

/// `require`s each of `names` with the runtime's global `require` (from the
/// base directory), before any user code runs.
fn require_modules(ctx: &Ctx<'_>, names: &[String]) -> Result<()> {
    if names.is_empty() {
        return Ok(());
    }
    let require: Function = ctx.globals().get("require").map_err(|e| js_error(ctx, e))?;
    for name in names {
        let loaded: rquickjs::Result<Value> = require.call((name.as_str(),));
        loaded.map_err(|e| js_error(ctx, e))?;
    }
    Ok(())
}

/// Every function reachable from `root` through own data properties with
/// string keys (accessors are not called). The walk's bookkeeping lives in
/// Rust memory: garbage made in the engine heap now would stay in the image,
/// which ends at the highest block the build ever used.
pub(crate) fn functions_reachable<'js>(
    ctx: &Ctx<'js>,
    root: Value<'js>,
) -> rquickjs::Result<Vec<Value<'js>>> {
    let raw = ctx.as_raw().as_ptr();
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![root];
    let mut functions = Vec::new();
    while let Some(value) = todo.pop() {
        let Some(object) = value.as_object() else {
            continue;
        };
        // SAFETY: an object's value holds its pointer.
        let address = unsafe { object.as_raw().u.ptr } as usize;
        if !seen.insert(address) {
            continue;
        }
        if value.is_function() {
            functions.push(value.clone());
        }
        let mut tab: *mut qjs::JSPropertyEnum = std::ptr::null_mut();
        let mut len: u32 = 0;
        // SAFETY: `object` is a live object of this context; the table the
        // engine returns is freed below with the length it gave.
        let names = unsafe {
            qjs::JS_GetOwnPropertyNames(
                raw,
                &mut tab,
                &mut len,
                object.as_raw(),
                qjs::JS_GPN_STRING_MASK as _,
            )
        };
        if names < 0 {
            return Err(rquickjs::Error::Exception);
        }
        for index in 0..len as usize {
            let mut desc = std::mem::MaybeUninit::<qjs::JSPropertyDescriptor>::uninit();
            // SAFETY: `index` is below the table's length; a found property
            // fills every field of `desc`, each an owned value taken below.
            unsafe {
                let atom = (*tab.add(index)).atom;
                if qjs::JS_GetOwnProperty(raw, desc.as_mut_ptr(), object.as_raw(), atom) != 1 {
                    continue;
                }
                let desc = desc.assume_init();
                qjs::JS_FreeValue(raw, desc.getter);
                qjs::JS_FreeValue(raw, desc.setter);
                let field = Value::from_raw(ctx.clone(), desc.value);
                if desc.flags & qjs::JS_PROP_GETSET as i32 == 0 {
                    todo.push(field);
                }
            }
        }
        // SAFETY: the table and length `JS_GetOwnPropertyNames` gave.
        unsafe { qjs::JS_FreePropertyEnum(raw, tab, len) };
    }
    Ok(functions)
}

/// A module preload evaluated into the image: it must have settled, since an
/// image build has no event loop.
fn settled_preload<'js>(ctx: &Ctx<'js>, promise: rquickjs::Promise<'js>) -> Result<()> {
    use rquickjs::promise::PromiseState;
    match promise.state() {
        PromiseState::Resolved => Ok(()),
        PromiseState::Rejected => {
            let _ = promise.result::<Value>();
            Err(js_error(ctx, rquickjs::Error::Exception))
        }
        PromiseState::Pending => Err(Error::InvalidOptions(
            "the module preload waits on the event loop (a timer or I/O), which a heap image \
             cannot hold: its top-level await must settle with promise jobs alone"
                .into(),
        )),
    }
}

/// The engine seeds `Math.random` once per context, so every runtime restored
/// from one image would repeat one sequence: this one reads the generator of
/// the runtime's own state, seeded when the runtime is made.
fn per_runtime_random<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Value<'js>> {
    let random = Function::new(ctx.clone(), |ctx: Ctx<'js>| {
        RuntimeState::of(&ctx).next_random()
    })?
    .with_name("random")?;
    let math: Object = ctx.globals().get("Math")?;
    math.prop(
        "random",
        Property::from(random.clone()).writable().configurable(),
    )?;
    Ok(random.into_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_atom_table_is_grown_just_enough() {
        assert_eq!(atom_table_limit(0), 1024);
        assert_eq!(atom_table_limit(1023), 1024);
        assert_eq!(atom_table_limit(1024), 2048);
        assert_eq!(atoms_to_hold(1000), 0);
        assert_eq!(atoms_to_hold(1530), 1024);
        assert_eq!(atoms_to_hold(2048), 2048);
        for need in [0, 500, 1023, 1024, 1530, 2047, 2048, 5000] {
            let hold = atoms_to_hold(need);
            assert!(atom_table_limit(hold) > need, "{need}");
        }
    }
}
