//! The native side of `zlib` (js/modules/zlib.js): deflate, inflate, gzip
//! and their raw and auto-detecting forms with `zlib-rs`, brotli with the
//! `brotli` crate (both pure Rust).
//!
//! A compressor or decompressor in JS holds an integer handle into a
//! per-runtime table (in [`RuntimeState`]), as `crypto`'s hashes do: the
//! functions here capture nothing, so the binding is stateless and heap
//! images keep it. Every size and option from JS is checked again here; the
//! engines run under `catch_unwind`, so nothing panics across to the engine.
//!
//! Host memory is bounded twice: what one call produces may not exceed the
//! limit JS passes (`maxOutputLength`) nor the runtime's heap limit (a
//! decompression bomb stops with ERR_BUFFER_TOO_LARGE instead of growing a
//! host buffer), and the working memory of live engines, estimated from
//! their options, may not exceed the heap limit (or 64 MiB if that is more;
//! at least one engine is always allowed).

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

use brotli::enc::encode::{BrotliEncoderOperation, BrotliEncoderStateStruct};
use brotli::enc::StandardAlloc;
use brotli::{BrotliDecompressStream, BrotliResult, BrotliState};
use rquickjs::function::Rest;
use rquickjs::{qjs, Array, Ctx, Exception, Function, Object, Result as JsResult, Value};

use crate::runtime::RuntimeState;

// Node's mode numbers (zlib.constants.DEFLATE ...).
const DEFLATE: u8 = 1;
#[allow(dead_code)] // the default of `new_inflate`; named for the tests
const INFLATE: u8 = 2;
const GZIP: u8 = 3;
const GUNZIP: u8 = 4;
const DEFLATERAW: u8 = 5;
const INFLATERAW: u8 = 6;
const UNZIP: u8 = 7;
const BROTLI_DECODE: u8 = 8;
const BROTLI_ENCODE: u8 = 9;

// zlib's flush values.
const Z_FINISH: u8 = 4;
// brotli's operations.
const BROTLI_OPERATION_FINISH: u8 = 2;

/// Most engines a runtime may hold at once (their states are freed when the
/// stream ends, is destroyed or, for dropped ones, collected).
const MAX_LIVE: usize = 4096;

/// The estimated working memory all live engines of a runtime may hold
/// when no heap limit is set.
const DEFAULT_BUDGET: usize = 2 << 30;

/// The least budget, whatever the heap limit (a few streams always fit).
const MIN_BUDGET: usize = 64 << 20;

/// What one brotli decoder is charged: its largest ring buffer (a 16 MiB
/// window, plus the slack brotli adds) and its Huffman tables and context
/// maps.
const DECODER_COST: usize = (1 << 24) + (2 << 20);

/// Handles are unique in the process (see crypto's `NEXT_HANDLE`).
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

type Decoder = BrotliState<StandardAlloc, StandardAlloc, StandardAlloc>;

/// An inflater and what a new gzip member needs.
struct Inflater {
    z: zlib_rs::Inflate,
    mode: u8,
    window_bits: u8,
    dictionary: Option<Vec<u8>>,
    ended: bool,
    /// The first two bytes of the input (for `unzip`: was it gzip?).
    magic: [u8; 2],
    seen: usize,
}

enum Engine {
    /// The deflater and its dictionary (set again on reset).
    Deflate(zlib_rs::Deflate, Option<Vec<u8>>),
    Inflate(Box<Inflater>),
    /// The encoder and its params (to make it anew on reset).
    BrotliEncode(
        Box<BrotliEncoderStateStruct<StandardAlloc>>,
        Vec<(i64, u32)>,
    ),
    BrotliDecode(Box<Decoder>, bool),
}

struct Entry {
    engine: Engine,
    cost: usize,
}

/// The engines of one runtime, by handle.
#[derive(Default)]
pub(crate) struct Table {
    entries: HashMap<u64, Entry>,
    cost: usize,
}

impl Table {
    fn insert(&mut self, engine: Engine, cost: usize, budget: usize) -> Option<f64> {
        if self.entries.len() >= MAX_LIVE
            || (!self.entries.is_empty() && self.cost.saturating_add(cost) > budget)
        {
            return None;
        }
        let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed) & ((1 << 53) - 1);
        self.entries.insert(handle, Entry { engine, cost });
        self.cost = self.cost.saturating_add(cost);
        Some(handle as f64)
    }

    fn remove(&mut self, handle: u64) -> Option<Entry> {
        let entry = self.entries.remove(&handle)?;
        self.cost = self.cost.saturating_sub(entry.cost);
        Some(entry)
    }
}

fn arg<'a, 'js>(args: &'a Rest<Value<'js>>, index: usize) -> Option<&'a Value<'js>> {
    args.0.get(index)
}

fn num(args: &Rest<Value<'_>>, index: usize) -> f64 {
    arg(args, index)
        .and_then(|v| v.as_number())
        .unwrap_or(f64::NAN)
}

/// An integer argument in `lo..=hi`, or a RangeError.
fn int_in(ctx: &Ctx<'_>, args: &Rest<Value<'_>>, index: usize, lo: i32, hi: i32) -> JsResult<i32> {
    let v = num(args, index);
    if v.fract() == 0.0 && v >= lo as f64 && v <= hi as f64 {
        Ok(v as i32)
    } else {
        Err(Exception::throw_range(ctx, "zlib option out of range"))
    }
}

fn handle(args: &Rest<Value<'_>>) -> u64 {
    let handle = num(args, 0);
    if handle >= 1.0 && handle.fract() == 0.0 && handle < (1u64 << 53) as f64 {
        handle as u64
    } else {
        0
    }
}

/// The bytes of a Uint8Array argument (JS turns every other input into one).
fn view<'js>(
    ctx: &Ctx<'js>,
    value: Option<&Value<'js>>,
) -> JsResult<Option<rquickjs::TypedArray<'js, u8>>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_undefined() || v.is_null() => Ok(None),
        Some(v) => match rquickjs::TypedArray::<u8>::from_value(v.clone()) {
            Ok(view) => Ok(Some(view)),
            Err(_) => Err(Exception::throw_type(ctx, "expected a Uint8Array")),
        },
    }
}

fn bytes_of<'a>(view: &'a Option<rquickjs::TypedArray<'_, u8>>) -> &'a [u8] {
    match view {
        // SAFETY: no JavaScript runs while the slice is in use, so the buffer
        // can be neither detached nor resized under it.
        Some(view) => unsafe { view.as_bytes() }.unwrap_or(&[]),
        None => &[],
    }
}

fn budget(ctx: &Ctx<'_>) -> usize {
    RuntimeState::of(ctx)
        .memory_limit
        .unwrap_or(DEFAULT_BUDGET)
        .max(MIN_BUDGET)
}

fn panicked(ctx: &Ctx<'_>) -> rquickjs::Error {
    Exception::throw_internal(ctx, "zlib: the compression engine failed")
}

/// `init(mode, level, windowBits, memLevel, strategy, dictionary)` for the
/// zlib modes: a handle, or 0 if zlib refuses the options. Options were validated in JS and are checked here.
fn init<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<f64> {
    let mode = int_in(&ctx, &args, 0, DEFLATE as i32, UNZIP as i32)? as u8;
    let level = int_in(&ctx, &args, 1, -1, 9)?;
    let window_bits = int_in(&ctx, &args, 2, 0, 15)?;
    let mem_level = int_in(&ctx, &args, 3, 1, 9)?;
    let strategy = int_in(&ctx, &args, 4, 0, 4)?;
    let dictionary = view(&ctx, arg(&args, 5))?;
    let dictionary = bytes_of(&dictionary).to_vec();
    let dictionary = (!dictionary.is_empty()).then_some(dictionary);
    let compress = matches!(mode, DEFLATE | GZIP | DEFLATERAW);
    if compress && window_bits < 8 || mode == GZIP && window_bits < 9 {
        return Err(Exception::throw_range(&ctx, "zlib option out of range"));
    }
    if mode == INFLATERAW && window_bits < 8 {
        return Err(Exception::throw_range(&ctx, "zlib option out of range"));
    }
    let made = catch_unwind(AssertUnwindSafe(
        || -> Result<(Engine, usize), &'static str> {
            if compress {
                let bits = match mode {
                    GZIP => window_bits + 16,
                    // zlib refuses 8 for raw deflate; Node asks for 9.
                    DEFLATERAW => -(window_bits.max(9)),
                    _ => window_bits,
                };
                let strategy = match strategy {
                    1 => zlib_rs::Strategy::Filtered,
                    2 => zlib_rs::Strategy::HuffmanOnly,
                    3 => zlib_rs::Strategy::Rle,
                    4 => zlib_rs::Strategy::Fixed,
                    _ => zlib_rs::Strategy::Default,
                };
                let config = zlib_rs::DeflateConfig {
                    level,
                    method: zlib_rs::Method::Deflated,
                    window_bits: bits,
                    mem_level,
                    strategy,
                };
                let mut z = zlib_rs::Deflate::new_with_config(config);
                // zlib sets no dictionary on a gzip stream; Node ignores it there.
                let dictionary = dictionary.filter(|_| mode != GZIP);
                if let Some(dict) = &dictionary {
                    z.set_dictionary(dict).map_err(|e| e.as_str())?;
                }
                let cost =
                    (1usize << (window_bits.max(9) + 2)) + (1usize << (mem_level + 9)) + 8192;
                Ok((Engine::Deflate(z, dictionary), cost))
            } else {
                let wb = window_bits as u8;
                let z = new_inflate(mode, wb);
                let mut inflater = Inflater {
                    z,
                    mode,
                    window_bits: wb,
                    dictionary,
                    ended: false,
                    magic: [0; 2],
                    seen: 0,
                };
                if mode == INFLATERAW {
                    if let Some(dict) = &inflater.dictionary {
                        inflater.z.set_dictionary(dict).map_err(|e| e.as_str())?;
                    }
                }
                Ok((Engine::Inflate(Box::new(inflater)), (1 << 15) + 8192))
            }
        },
    ));
    let (engine, cost) = match made {
        Ok(Ok(made)) => made,
        // Refused options: JS throws ERR_ZLIB_INITIALIZATION_FAILED.
        Ok(Err(_)) => return Ok(0.0),
        Err(_) => return Err(panicked(&ctx)),
    };
    insert(&ctx, engine, cost)
}

fn new_inflate(mode: u8, window_bits: u8) -> zlib_rs::Inflate {
    match mode {
        INFLATERAW => zlib_rs::Inflate::new(false, window_bits),
        GUNZIP => zlib_rs::Inflate::new(true, 16 + window_bits),
        UNZIP => zlib_rs::Inflate::new(true, 32 + window_bits),
        _ => zlib_rs::Inflate::new(true, window_bits),
    }
}

fn insert(ctx: &Ctx<'_>, engine: Engine, cost: usize) -> JsResult<f64> {
    let budget = budget(ctx);
    let inserted = RuntimeState::of(ctx)
        .zlib_table()
        .insert(engine, cost, budget);
    inserted.ok_or_else(|| {
        Exception::throw_range(
            ctx,
            "Too many zlib streams in use (their memory would exceed the runtime's limit): \
             end or destroy the ones you are done with",
        )
    })
}

/// `brotliInit(mode, params)`: a handle (0 if refused), params an array of [key, value]
/// pairs flattened (checked in JS; unknown keys refused there).
fn brotli_init<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<f64> {
    let mode = int_in(&ctx, &args, 0, BROTLI_DECODE as i32, BROTLI_ENCODE as i32)? as u8;
    let mut params = Vec::new();
    if let Some(list) = arg(&args, 1).and_then(|v| v.as_array()) {
        let len = list.len().min(64);
        let mut i = 0;
        while i + 1 < len {
            let key: Value = list.get(i)?;
            let value: Value = list.get(i + 1)?;
            let (Some(key), Some(value)) = (key.as_number(), value.as_number()) else {
                return Err(Exception::throw_type(&ctx, "brotli params must be numbers"));
            };
            let value = if value.is_finite() && value >= 0.0 {
                value.min(u32::MAX as f64) as u32
            } else {
                0
            };
            params.push((key as i64, value));
            i += 2;
        }
    }
    let made = catch_unwind(AssertUnwindSafe(|| make_brotli(mode, params)));
    let (engine, cost) = match made {
        Ok(Some(made)) => made,
        Ok(None) => return Ok(0.0),
        Err(_) => return Err(panicked(&ctx)),
    };
    insert(&ctx, engine, cost)
}

/// A brotli engine for `mode` with Node's params (`None` for a key the
/// engine refuses), and its estimated working memory.
fn make_brotli(mode: u8, params: Vec<(i64, u32)>) -> Option<(Engine, usize)> {
    if mode == BROTLI_ENCODE {
        use brotli::enc::encode::BrotliEncoderParameter as P;
        let mut state = Box::new(BrotliEncoderStateStruct::new(StandardAlloc::default()));
        let (mut quality, mut lgwin) = (11u32, 22u32);
        for &(key, value) in &params {
            let p = match key {
                0 => P::BROTLI_PARAM_MODE,
                1 => {
                    quality = value.min(11);
                    P::BROTLI_PARAM_QUALITY
                }
                2 => {
                    lgwin = value.clamp(10, 24);
                    P::BROTLI_PARAM_LGWIN
                }
                3 => P::BROTLI_PARAM_LGBLOCK,
                4 => P::BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING,
                5 => P::BROTLI_PARAM_SIZE_HINT,
                // Large windows (up to 1 GiB) are not offered; NPOSTFIX
                // and NDIRECT are tuning the encoder here chooses itself.
                6..=8 => continue,
                _ => return None,
            };
            let value = match key {
                2 => value.clamp(10, 24),
                _ => value,
            };
            if !state.set_parameter(p, value) {
                return None;
            }
        }
        let cost = if quality >= 10 {
            10usize << lgwin
        } else {
            (2usize << lgwin) + (4 << 20)
        };
        Some((Engine::BrotliEncode(state, params), cost))
    } else {
        for (key, _) in params {
            // BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION and
            // _LARGE_WINDOW are accepted; large windows stay off.
            if !(0..=1).contains(&key) {
                return None;
            }
        }
        let state = Box::new(Decoder::new_strict(
            StandardAlloc::default(),
            StandardAlloc::default(),
            StandardAlloc::default(),
        ));
        // Its ring buffer grows with the stream's window: 16 MiB at most
        // (large windows are off), charged in full, plus its tables.
        Some((Engine::BrotliDecode(state, false), DECODER_COST))
    }
}

/// Why a call failed.
enum Fail {
    /// More output than the limit: the limit.
    TooLarge(usize),
    /// An engine error: errno (zlib's, or brotli's error code) and message.
    Engine(i32, String),
    /// The runtime's time limit passed during the call.
    Interrupted,
}

/// Most input one engine step takes (compressing is slow: the clock is
/// checked between steps).
const IN_STEP: usize = 1 << 20;

/// The output of one call, grown in steps, never beyond `limit` (+1 byte to
/// tell "exactly the limit" from "more"). With `soft` set, a call stops once
/// it has that much output (the rest comes from the next call).
struct Out {
    bytes: Vec<u8>,
    len: usize,
    limit: usize,
    soft: usize,
    /// The runtime's clock: a call ends at its deadline (checked each step).
    clock: Option<std::sync::Arc<crate::limits::Clock>>,
}

/// How far a call got.
struct Progress {
    /// The stream's end was reached.
    ended: bool,
    /// Input bytes used (all of them unless the call stopped at `soft`).
    consumed: usize,
    /// The call stopped at `soft`: call again with the rest of the input.
    more: bool,
}

impl Progress {
    fn done(ended: bool, consumed: usize) -> Result<Progress, Fail> {
        Ok(Progress {
            ended,
            consumed,
            more: false,
        })
    }

    fn paused(consumed: usize) -> Result<Progress, Fail> {
        Ok(Progress {
            ended: false,
            consumed,
            more: true,
        })
    }
}

impl Out {
    /// Room for more output: the writable tail, or TooLarge.
    fn room(&mut self) -> Result<&mut [u8], Fail> {
        if self.clock.as_ref().is_some_and(|clock| clock.expired()) {
            return Err(Fail::Interrupted);
        }
        if self.len > self.limit {
            return Err(Fail::TooLarge(self.limit));
        }
        if self.len == self.bytes.len() {
            let mut step = self.len.clamp(16 << 10, 4 << 20);
            if self.soft > 0 {
                step = step.min(self.soft.saturating_sub(self.len)).max(1);
            }
            let cap = self.limit.saturating_add(1);
            let target = self.len.saturating_add(step).min(cap).max(self.len + 1);
            let extra = target - self.bytes.len();
            if self.bytes.try_reserve_exact(extra).is_err() {
                return Err(Fail::TooLarge(self.limit));
            }
            self.bytes.resize(target, 0);
        }
        Ok(&mut self.bytes[self.len..])
    }

    fn advance(&mut self, n: usize) -> Result<(), Fail> {
        self.len += n;
        if self.len > self.limit {
            return Err(Fail::TooLarge(self.limit));
        }
        Ok(())
    }

    /// Whether the call has all the output it may have (see `soft`).
    fn full(&self) -> bool {
        self.soft > 0 && self.len >= self.soft
    }
}

fn zlib_message(message: Option<&str>, fallback: &str) -> String {
    message.unwrap_or(fallback).to_string()
}

fn run_deflate(
    z: &mut zlib_rs::Deflate,
    input: &[u8],
    flush: u8,
    out: &mut Out,
) -> Result<Progress, Fail> {
    use zlib_rs::DeflateFlush as F;
    let flush = match flush {
        1 => F::PartialFlush,
        2 => F::SyncFlush,
        3 => F::FullFlush,
        4 => F::Finish,
        5 => F::Block,
        _ => F::NoFlush,
    };
    let mut pos: usize = 0;
    loop {
        let room = out.room()?;
        let space = room.len();
        let (in0, out0) = (z.total_in(), z.total_out());
        // The input in steps: the flush asked for comes with the last one.
        let end = input.len().min(pos.saturating_add(IN_STEP));
        let step_flush = if end == input.len() {
            flush
        } else {
            F::NoFlush
        };
        let result = z.compress(&input[pos..end], room, step_flush);
        let consumed = (z.total_in() - in0) as usize;
        let produced = (z.total_out() - out0) as usize;
        pos += consumed;
        out.advance(produced)?;
        match result {
            Ok(zlib_rs::Status::StreamEnd) => return Progress::done(true, input.len()),
            Ok(_) => {
                if produced == space {
                    if out.full() {
                        return Progress::paused(pos);
                    }
                    continue;
                }
                if pos >= input.len() || (consumed == 0 && produced == 0) {
                    return Progress::done(false, input.len());
                }
            }
            Err(e) => {
                let message = zlib_message(z.error_message(), e.as_str());
                return Err(Fail::Engine(e as i32, message));
            }
        }
    }
}

fn run_inflate(
    inf: &mut Inflater,
    input: &[u8],
    flush: u8,
    out: &mut Out,
) -> Result<Progress, Fail> {
    use zlib_rs::InflateFlush as F;
    let zflush = match flush {
        2 => F::SyncFlush,
        4 => F::Finish,
        5 => F::Block,
        _ => F::NoFlush,
    };
    for &b in input.iter().take(2usize.saturating_sub(inf.seen)) {
        inf.magic[inf.seen] = b;
        inf.seen += 1;
    }
    let mut pos = 0;
    loop {
        if inf.ended {
            let gzip = inf.mode == GUNZIP || (inf.mode == UNZIP && inf.magic == [0x1f, 0x8b]);
            // Another gzip member follows (trailing zero bytes are padding).
            if gzip && pos < input.len() && input[pos] != 0 {
                inf.z = new_inflate(GUNZIP, inf.window_bits);
                inf.ended = false;
            } else {
                // What follows the end is ignored.
                return Progress::done(true, input.len());
            }
        }
        if out.full() {
            return Progress::paused(pos);
        }
        let room = out.room()?;
        let space = room.len();
        let (in0, out0) = (inf.z.total_in(), inf.z.total_out());
        let result = inf.z.decompress(&input[pos..], room, zflush);
        let consumed = (inf.z.total_in() - in0) as usize;
        let produced = (inf.z.total_out() - out0) as usize;
        pos += consumed;
        out.advance(produced)?;
        match result {
            Ok(zlib_rs::Status::StreamEnd) => inf.ended = true,
            Ok(_) => {
                if produced == space {
                    continue;
                }
                if pos >= input.len() || (consumed == 0 && produced == 0) {
                    break;
                }
            }
            Err(zlib_rs::InflateError::NeedDict { .. }) => match &inf.dictionary {
                Some(dict) => {
                    if inf.z.set_dictionary(dict).is_err() {
                        return Err(Fail::Engine(2, "Bad dictionary".into()));
                    }
                }
                None => return Err(Fail::Engine(2, "Missing dictionary".into())),
            },
            Err(e) => {
                let errno = match e {
                    zlib_rs::InflateError::NeedDict { .. } => 2,
                    zlib_rs::InflateError::StreamError => -2,
                    zlib_rs::InflateError::DataError => -3,
                    zlib_rs::InflateError::MemError => -4,
                };
                let message = zlib_message(inf.z.error_message(), e.as_str());
                return Err(Fail::Engine(errno, message));
            }
        }
    }
    if flush == Z_FINISH && !inf.ended {
        return Err(Fail::Engine(-5, "unexpected end of file".into()));
    }
    Progress::done(inf.ended, input.len())
}

fn run_brotli_encode(
    state: &mut BrotliEncoderStateStruct<StandardAlloc>,
    input: &[u8],
    op: u8,
    out: &mut Out,
) -> Result<Progress, Fail> {
    let op = match op {
        1 => BrotliEncoderOperation::BROTLI_OPERATION_FLUSH,
        2 => BrotliEncoderOperation::BROTLI_OPERATION_FINISH,
        _ => BrotliEncoderOperation::BROTLI_OPERATION_PROCESS,
    };
    let finish = matches!(op, BrotliEncoderOperation::BROTLI_OPERATION_FINISH);
    if state.is_finished() {
        return Progress::done(true, input.len());
    }
    let mut pos = 0;
    let mut nop =
        |_: &mut brotli::interface::PredictionModeContextMap<brotli::InputReferenceMut>,
         _: &mut [brotli::interface::StaticCommand],
         _: brotli::InputPair,
         _: &mut StandardAlloc| ();
    loop {
        if out.full() {
            return Progress::paused(pos);
        }
        let room = out.room()?;
        let space = room.len();
        // The input in steps: the operation asked for comes with the last one.
        let mut avail_in = (input.len() - pos).min(IN_STEP);
        let step_op = if pos + avail_in == input.len() {
            op
        } else {
            BrotliEncoderOperation::BROTLI_OPERATION_PROCESS
        };
        let mut in_offset = pos;
        let mut avail_out = space;
        let mut out_offset = 0;
        let ok = state.compress_stream(
            step_op,
            &mut avail_in,
            input,
            &mut in_offset,
            &mut avail_out,
            room,
            &mut out_offset,
            &mut None,
            &mut nop,
        );
        let consumed = in_offset.saturating_sub(pos);
        pos = in_offset.min(input.len());
        out.advance(out_offset)?;
        if !ok {
            return Err(Fail::Engine(-2, "Compression failed".into()));
        }
        let drained = pos >= input.len() && !state.has_more_output();
        if pos < input.len() {
            // More input steps to go.
            continue;
        }
        if finish {
            if state.is_finished() {
                return Progress::done(true, input.len());
            }
        } else if drained {
            return Progress::done(false, input.len());
        }
        if consumed == 0 && out_offset == 0 && avail_out > 0 && drained {
            return Progress::done(false, input.len());
        }
    }
}

fn run_brotli_decode(
    state: &mut Decoder,
    ended: &mut bool,
    input: &[u8],
    op: u8,
    out: &mut Out,
) -> Result<Progress, Fail> {
    let mut pos = 0;
    let mut total = 0usize;
    while !*ended {
        if out.full() {
            return Progress::paused(pos);
        }
        let room = out.room()?;
        let mut avail_in = input.len() - pos;
        let mut in_offset = pos;
        let mut avail_out = room.len();
        let mut out_offset = 0;
        let result = BrotliDecompressStream(
            &mut avail_in,
            &mut in_offset,
            input,
            &mut avail_out,
            &mut out_offset,
            room,
            &mut total,
            state,
        );
        pos = in_offset.min(input.len());
        out.advance(out_offset)?;
        match result {
            BrotliResult::ResultSuccess => *ended = true,
            BrotliResult::NeedsMoreInput => break,
            BrotliResult::NeedsMoreOutput => continue,
            BrotliResult::ResultFailure => {
                return Err(Fail::Engine(
                    state.error_code as i32,
                    "Decompression failed".into(),
                ))
            }
        }
    }
    if op == BROTLI_OPERATION_FINISH && !*ended {
        return Err(Fail::Engine(-5, "unexpected end of file".into()));
    }
    Progress::done(*ended, input.len())
}

/// Copies `bytes` into a new ArrayBuffer in the engine heap (so the heap
/// limit counts it).
fn array_buffer<'js>(ctx: &Ctx<'js>, bytes: &[u8]) -> JsResult<Value<'js>> {
    // SAFETY: the engine copies `bytes`; the result is owned by the Value.
    unsafe {
        let value = qjs::JS_NewArrayBufferCopy(
            ctx.as_raw().as_ptr(),
            bytes.as_ptr(),
            bytes.len() as qjs::size_t,
        );
        if qjs::JS_IsException(value) {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Value::from_raw(ctx.clone(), value))
    }
}

/// `write(handle, bytes, flush, limit, soft)`: feeds the bytes (a Uint8Array
/// or undefined) with `flush` (zlib's flush value or brotli's operation) and
/// returns `[output ArrayBuffer, ended, bytes consumed, more]` (with `soft`
/// above 0 the call stops after about that much output, `more` true: call
/// again with the bytes not consumed), or `[undefined, errno, message]`
/// for an engine error, or `[undefined, 'size', limit]` when the output
/// would exceed `limit` bytes or the runtime's heap limit. An engine that
/// failed is dropped (the handle is dead).
fn write<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<Array<'js>> {
    let input = view(&ctx, arg(&args, 1))?;
    let flush = num(&args, 2);
    let flush = if (0.0..=5.0).contains(&flush) {
        flush as u8
    } else {
        0
    };
    let limit = num(&args, 3);
    // NaN and negative limits are 0.
    let mut limit = if limit > 0.0 {
        limit.min(usize::MAX as f64) as usize
    } else {
        0
    };
    if let Some(heap) = RuntimeState::of(&ctx).memory_limit {
        limit = limit.min(heap);
    }
    let soft = num(&args, 4);
    let soft = if soft >= 1.0 {
        soft.min(limit as f64) as usize
    } else {
        0
    };
    let key = handle(&args);
    let state = RuntimeState::of(&ctx);
    // The engine leaves the table while it runs: nothing else can reach it.
    let Some(mut entry) = state.zlib_table().remove(key) else {
        return Err(Exception::throw_type(&ctx, "zlib binding closed"));
    };
    let bytes = bytes_of(&input);
    let mut out = Out {
        bytes: Vec::new(),
        len: 0,
        limit,
        soft,
        clock: state.clock.is_timed().then(|| state.clock.clone()),
    };
    let result = catch_unwind(AssertUnwindSafe(|| match &mut entry.engine {
        Engine::Deflate(z, _) => run_deflate(z, bytes, flush, &mut out),
        Engine::Inflate(inf) => run_inflate(inf, bytes, flush, &mut out),
        Engine::BrotliEncode(s, _) => run_brotli_encode(s, bytes, flush, &mut out),
        Engine::BrotliDecode(s, ended) => run_brotli_decode(s, ended, bytes, flush, &mut out),
    }));
    let result = match result {
        Ok(result) => result,
        Err(_) => return Err(panicked(&ctx)),
    };
    if let Err(Fail::Interrupted) = result {
        // The engine (mid-stream) is dropped; as the engine's own interrupt,
        // uncatchable, and `Runtime` reports the time limit that fired.
        drop(entry);
        drop(out);
        return Err(crate::host::throw_uncatchable(
            &ctx,
            "interrupted: the runtime's time limit ended the program",
        ));
    }
    let reply = Array::new(ctx.clone())?;
    match result {
        Ok(progress) => {
            // Put back before allocating: the heap may be full.
            let mut table = state.zlib_table();
            table.cost = table.cost.saturating_add(entry.cost);
            table.entries.insert(key, entry);
            drop(table);
            reply.set(0, array_buffer(&ctx, &out.bytes[..out.len])?)?;
            reply.set(1, progress.ended)?;
            reply.set(2, progress.consumed as f64)?;
            reply.set(3, progress.more)?;
        }
        Err(Fail::TooLarge(limit)) => {
            reply.set(0, Value::new_undefined(ctx.clone()))?;
            reply.set(1, "size")?;
            reply.set(2, limit as f64)?;
        }
        Err(Fail::Engine(errno, message)) => {
            reply.set(0, Value::new_undefined(ctx.clone()))?;
            reply.set(1, errno)?;
            reply.set(2, message)?;
        }
        Err(Fail::Interrupted) => {}
    }
    Ok(reply)
}

/// `reset(handle)`: a fresh stream with the same options, as Node's
/// `reset()`. False if the handle is not live.
fn reset(ctx: Ctx<'_>, args: Rest<Value<'_>>) -> JsResult<bool> {
    let state = RuntimeState::of(&ctx);
    let mut table = state.zlib_table();
    let Some(entry) = table.entries.get_mut(&handle(&args)) else {
        return Ok(false);
    };
    let done = catch_unwind(AssertUnwindSafe(|| match &mut entry.engine {
        Engine::Deflate(z, dictionary) => {
            z.reset();
            if let Some(dict) = dictionary {
                let _ = z.set_dictionary(dict);
            }
        }
        Engine::Inflate(inf) => {
            inf.z = new_inflate(inf.mode, inf.window_bits);
            inf.ended = false;
            inf.seen = 0;
            inf.magic = [0; 2];
            if let (INFLATERAW, Some(dict)) = (inf.mode, &inf.dictionary) {
                let _ = inf.z.set_dictionary(dict);
            }
        }
        Engine::BrotliEncode(state, params) => {
            if let Some((Engine::BrotliEncode(fresh, _), _)) =
                make_brotli(BROTLI_ENCODE, params.clone())
            {
                *state = fresh;
            }
        }
        Engine::BrotliDecode(state, ended) => {
            **state = Decoder::new_strict(
                StandardAlloc::default(),
                StandardAlloc::default(),
                StandardAlloc::default(),
            );
            *ended = false;
        }
    }));
    drop(table);
    match done {
        Ok(()) => Ok(true),
        Err(_) => Err(panicked(&ctx)),
    }
}

/// `params(handle, level)`: changes a deflater's level (after a flush).
fn params(ctx: Ctx<'_>, args: Rest<Value<'_>>) -> JsResult<bool> {
    let level = int_in(&ctx, &args, 1, -1, 9)?;
    let state = RuntimeState::of(&ctx);
    let mut table = state.zlib_table();
    let Some(entry) = table.entries.get_mut(&handle(&args)) else {
        return Ok(false);
    };
    let done = catch_unwind(AssertUnwindSafe(|| match &mut entry.engine {
        Engine::Deflate(z, _) => z.set_level(level).is_ok(),
        _ => true,
    }));
    drop(table);
    done.map_err(|_| panicked(&ctx))
}

/// `free(handle)`: drops an engine.
fn free(ctx: Ctx<'_>, args: Rest<Value<'_>>) {
    let entry = RuntimeState::of(&ctx).zlib_table().remove(handle(&args));
    // Dropped outside the lock.
    drop(entry);
}

/// `crc32(bytes, value)`: the CRC-32 of the bytes, continuing from `value`.
fn crc32<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<f64> {
    let input = view(&ctx, arg(&args, 0))?;
    let start = num(&args, 1);
    let start = if start.is_finite() {
        (start.trunc().rem_euclid(4294967296.0)) as u32
    } else {
        0
    };
    Ok(zlib_rs::crc32::crc32(start, bytes_of(&input)) as f64)
}

pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> JsResult<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    b.set("init", Function::new(ctx.clone(), init)?)?;
    b.set("brotliInit", Function::new(ctx.clone(), brotli_init)?)?;
    b.set("write", Function::new(ctx.clone(), write)?)?;
    b.set("reset", Function::new(ctx.clone(), reset)?)?;
    b.set("params", Function::new(ctx.clone(), params)?)?;
    b.set("free", Function::new(ctx.clone(), free)?)?;
    b.set("crc32", Function::new(ctx.clone(), crc32)?)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(limit: usize, soft: usize) -> Out {
        Out {
            bytes: Vec::new(),
            len: 0,
            limit,
            soft,
            clock: None,
        }
    }

    fn inflater(mode: u8) -> Inflater {
        Inflater {
            z: new_inflate(mode, 15),
            mode,
            window_bits: 15,
            dictionary: None,
            ended: false,
            magic: [0; 2],
            seen: 0,
        }
    }

    fn packed_zeros() -> (Vec<u8>, usize) {
        let mut z = zlib_rs::Deflate::new(6, true, 15);
        let data = vec![0u8; 1 << 20];
        let mut o = out(usize::MAX, 0);
        assert!(run_deflate(&mut z, &data, Z_FINISH, &mut o).is_ok_and(|p| p.ended));
        (o.bytes[..o.len].to_vec(), data.len())
    }

    #[test]
    fn round_trip_and_bomb_limit() {
        let (packed, len) = packed_zeros();
        let mut o = out(usize::MAX, 0);
        let done = run_inflate(&mut inflater(INFLATE), &packed, Z_FINISH, &mut o);
        assert!(done.is_ok_and(|p| p.ended && !p.more));
        assert_eq!(o.len, len);
        let mut o = out(1000, 0);
        assert!(matches!(
            run_inflate(&mut inflater(INFLATE), &packed, Z_FINISH, &mut o),
            Err(Fail::TooLarge(1000))
        ));
        assert!(o.bytes.len() <= 1001);
        let mut o = out(usize::MAX, 0);
        assert!(matches!(
            run_inflate(
                &mut inflater(INFLATE),
                &packed[..packed.len() - 2],
                Z_FINISH,
                &mut o
            ),
            Err(Fail::Engine(-5, _))
        ));
    }

    #[test]
    fn soft_limits_hand_out_the_output_in_pieces() {
        let (packed, len) = packed_zeros();
        let mut inf = inflater(INFLATE);
        let (mut total, mut rest, mut calls) = (0, &packed[..], 0);
        loop {
            let mut o = out(usize::MAX, 4096);
            let Ok(p) = run_inflate(&mut inf, rest, Z_FINISH, &mut o) else {
                panic!("inflate failed");
            };
            assert!(o.len <= 4096);
            total += o.len;
            rest = &rest[p.consumed..];
            calls += 1;
            if !p.more {
                assert!(p.ended);
                break;
            }
        }
        assert_eq!(total, len);
        assert!(calls >= len / 4096);
    }
}
