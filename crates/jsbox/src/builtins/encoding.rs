//! The native half of `TextEncoder`/`TextDecoder` (`js/prelude/encoding.js`),
//! `string_decoder` and `querystring`: UTF-8, UTF-16 and single-byte codecs.
//!
//! Input bytes are read where they are, in the engine heap, and every result
//! (a string, a `Uint8Array`) is made in the engine heap, where the memory
//! limit counts it. Host memory is only used for a transient copy of a
//! result that cannot be made from the input directly (malformed UTF-8,
//! UTF-16, Latin-1 above U+007F), never more than three bytes per input
//! byte: its size follows from bytes the script already holds, never from a
//! length it merely claims.
//!
//! Decoders return `undefined` when the input is not an `ArrayBuffer`,
//! `SharedArrayBuffer` or typed array, and `null` when `fatal` decoding meets
//! malformed data: the JavaScript side throws Node's errors for both.

use std::borrow::Cow;
use std::ffi::c_char;
use std::ptr::null_mut;

use rquickjs::{qjs, Ctx, Function, Object, Value};

type JsResult<T> = rquickjs::Result<T>;

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
const REPLACEMENT: [u8; 3] = [0xEF, 0xBF, 0xBD];

/// Encodings of `decodeStream` (TextDecoder's streaming path).
const STREAM_UTF8: i32 = 0;
const STREAM_UTF16LE: i32 = 1;
const STREAM_UTF16BE: i32 = 2;
const STREAM_WINDOWS_1252: i32 = 3;

/// Node's `enum encoding` values, as `string_decoder` keeps them in its state
/// (LATIN1 is 4: whatever is not listed reads as Latin-1).
const SD_ASCII: u8 = 0;
const SD_UTF8: u8 = 1;
const SD_BASE64: u8 = 2;
const SD_UCS2: u8 = 3;
const SD_HEX: u8 = 5;
const SD_BASE64URL: u8 = 7;

/// Layout of a `string_decoder` state (Node's `kIncompleteCharactersStart`...).
const SD_MISSING: usize = 4;
const SD_BUFFERED: usize = 5;
const SD_ENCODING: usize = 6;
const SD_SIZE: usize = 7;

/// Layout of a streaming TextDecoder's state: up to four pending bytes,
/// their count, and whether a BOM may no longer be stripped.
const TD_PENDING_LEN: usize = 4;
const TD_BOM_SEEN: usize = 5;
const TD_SIZE: usize = 6;

/// Code points of windows-1252 bytes 0x80..=0x9F (WHATWG's table; the five
/// bytes it leaves undefined map to the C1 control of the same value).
const WINDOWS_1252: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
];

fn raw_ctx(ctx: &Ctx<'_>) -> *mut qjs::JSContext {
    ctx.as_raw().as_ptr()
}

/// Takes ownership of a value the engine returned, or reports its exception.
///
/// # Safety
/// `raw` must be a value of `ctx` whose reference the caller owns.
unsafe fn owned<'js>(ctx: &Ctx<'js>, raw: qjs::JSValue) -> JsResult<Value<'js>> {
    if qjs::JS_IsException(raw) {
        return Err(rquickjs::Error::Exception);
    }
    Ok(Value::from_raw(ctx.clone(), raw))
}

/// Drops the exception an engine call left pending (a detached buffer).
fn clear_exception(ctx: &Ctx<'_>) {
    // SAFETY: the context is live and entered; the value is released at once.
    unsafe {
        let exception = qjs::JS_GetException(raw_ctx(ctx));
        qjs::JS_FreeValue(raw_ctx(ctx), exception);
    }
}

/// Where the bytes of an `ArrayBuffer`, `SharedArrayBuffer` or typed array
/// are: `None` for any other value, an empty span for a detached buffer or a
/// view out of its buffer's bounds. The span is valid until JavaScript runs.
#[derive(Clone, Copy)]
struct Span {
    ptr: *mut u8,
    len: usize,
}

impl Span {
    const EMPTY: Span = Span {
        ptr: null_mut(),
        len: 0,
    };

    /// # Safety
    /// No JavaScript may run while the slice is alive.
    unsafe fn bytes<'a>(self) -> &'a [u8] {
        if self.len == 0 || self.ptr.is_null() {
            &[]
        } else {
            std::slice::from_raw_parts(self.ptr, self.len)
        }
    }
}

fn span_of(ctx: &Ctx<'_>, value: &Value<'_>) -> Option<Span> {
    if !value.is_object() {
        return None;
    }
    let raw = raw_ctx(ctx);
    let v = value.as_raw();
    // SAFETY: the context is live and entered and `v` a live value of it; a
    // pending exception is cleared before returning.
    unsafe {
        if qjs::JS_GetTypedArrayType(v) >= 0 {
            let (mut offset, mut length): (qjs::size_t, qjs::size_t) = (0, 0);
            let buffer = qjs::JS_GetTypedArrayBuffer(raw, v, &mut offset, &mut length, null_mut());
            if qjs::JS_IsException(buffer) {
                clear_exception(ctx);
                return Some(Span::EMPTY);
            }
            let mut size: qjs::size_t = 0;
            let data = qjs::JS_GetArrayBuffer(raw, &mut size, buffer);
            qjs::JS_FreeValue(raw, buffer);
            if qjs::JS_HasException(raw) {
                clear_exception(ctx);
                return Some(Span::EMPTY);
            }
            let (offset, length, size) = (offset as usize, length as usize, size as usize);
            if data.is_null() || offset.checked_add(length).is_none_or(|end| end > size) {
                return Some(Span::EMPTY);
            }
            return Some(Span {
                ptr: data.add(offset),
                len: length,
            });
        }
        let mut size: qjs::size_t = 0;
        let data = qjs::JS_GetArrayBuffer(raw, &mut size, v);
        if qjs::JS_HasException(raw) {
            clear_exception(ctx);
            // A detached ArrayBuffer reads as empty; anything else is no buffer.
            return qjs::JS_IsArrayBuffer(v).then_some(Span::EMPTY);
        }
        Some(Span {
            ptr: data,
            len: size as usize,
        })
    }
}

/// A string's contents as WTF-8: UTF-8 in which a lone surrogate is the
/// three-byte sequence `ED A0..BF xx`, as the engine writes it.
struct Wtf8 {
    ctx: *mut qjs::JSContext,
    ptr: *const c_char,
    len: usize,
}

impl Wtf8 {
    fn of(ctx: &Ctx<'_>, value: &Value<'_>) -> JsResult<Wtf8> {
        let raw = raw_ctx(ctx);
        let mut len: qjs::size_t = 0;
        // SAFETY: the context is live and entered; the string is freed on drop.
        let ptr = unsafe { qjs::JS_ToCStringLen2(raw, &mut len, value.as_raw(), false) };
        if ptr.is_null() {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Wtf8 {
            ctx: raw,
            ptr,
            len: len as usize,
        })
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the engine returned `len` bytes at `ptr`, alive until drop.
        unsafe { std::slice::from_raw_parts(self.ptr.cast(), self.len) }
    }
}

impl Drop for Wtf8 {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from JS_ToCStringLen2 on this context.
        unsafe { qjs::JS_FreeCString(self.ctx, self.ptr) };
    }
}

/// Whether the WTF-8 sequence at `bytes[i]` is a lone surrogate.
fn is_surrogate_at(bytes: &[u8], i: usize) -> bool {
    bytes[i] == 0xED && bytes.get(i + 1).is_some_and(|&b| b >= 0xA0)
}

/// Width of the sequence led by `lead` in well-formed WTF-8, and the UTF-16
/// units it stands for.
fn wtf8_width(lead: u8) -> (usize, usize) {
    match lead {
        0x00..=0x7F => (1, 1),
        0xC0..=0xDF => (2, 1),
        0xE0..=0xEF => (3, 1),
        _ => (4, 2),
    }
}

/// A JS string from UTF-8 known to be valid.
fn string_from_utf8<'js>(ctx: &Ctx<'js>, bytes: &[u8]) -> JsResult<Value<'js>> {
    // SAFETY: the engine copies `bytes` into a new string.
    unsafe {
        owned(
            ctx,
            qjs::JS_NewStringLen(
                raw_ctx(ctx),
                bytes.as_ptr().cast(),
                bytes.len() as qjs::size_t,
            ),
        )
    }
}

/// A JS string from any bytes decoded as UTF-8, malformed sequences replaced
/// by U+FFFD as the WHATWG decoder does (maximal subparts).
fn string_from_utf8_lossy<'js>(ctx: &Ctx<'js>, bytes: &[u8]) -> JsResult<Value<'js>> {
    match std::str::from_utf8(bytes) {
        Ok(_) => string_from_utf8(ctx, bytes),
        Err(_) => string_from_utf8(ctx, String::from_utf8_lossy(bytes).as_bytes()),
    }
}

/// A JS string from UTF-16 code units, lone surrogates kept.
fn string_from_utf16<'js>(ctx: &Ctx<'js>, units: &[u16]) -> JsResult<Value<'js>> {
    if units.iter().all(|&u| u < 0x80) {
        // Narrow strings take half the memory: keep ASCII text narrow.
        let ascii: Vec<u8> = units.iter().map(|&u| u as u8).collect();
        return string_from_utf8(ctx, &ascii);
    }
    wide_string(ctx, units)
}

/// A two-byte JS string from UTF-16 code units, lone surrogates kept.
fn wide_string<'js>(ctx: &Ctx<'js>, units: &[u16]) -> JsResult<Value<'js>> {
    // SAFETY: the engine copies the units into a new string.
    unsafe {
        owned(
            ctx,
            qjs::JS_NewStringUTF16(raw_ctx(ctx), units.as_ptr(), units.len() as qjs::size_t),
        )
    }
}

/// A JS string whose code points are the bytes (ISO-8859-1).
fn string_from_latin1<'js>(ctx: &Ctx<'js>, bytes: &[u8]) -> JsResult<Value<'js>> {
    if bytes.is_ascii() {
        return string_from_utf8(ctx, bytes);
    }
    let mut utf8 = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        push_code_point(&mut utf8, u32::from(b));
    }
    string_from_utf8(ctx, &utf8)
}

fn push_code_point(out: &mut Vec<u8>, c: u32) {
    let mut buf = [0; 4];
    let c = char::from_u32(c).unwrap_or('\u{FFFD}');
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

fn new_uint8array<'js>(ctx: &Ctx<'js>, bytes: &[u8]) -> JsResult<Value<'js>> {
    // SAFETY: the engine copies `bytes` into a new ArrayBuffer.
    unsafe {
        owned(
            ctx,
            qjs::JS_NewUint8ArrayCopy(raw_ctx(ctx), bytes.as_ptr(), bytes.len() as qjs::size_t),
        )
    }
}

/// `TextEncoder.prototype.encode`: the UTF-8 bytes of a string, lone
/// surrogates replaced by U+FFFD (same length: both take three bytes).
fn encode<'js>(ctx: Ctx<'js>, text: Value<'js>) -> JsResult<Value<'js>> {
    let wtf8 = Wtf8::of(&ctx, &text)?;
    let source = wtf8.bytes();
    let array = new_uint8array(&ctx, source)?;
    if source.contains(&0xED) {
        let span = span_of(&ctx, &array).unwrap_or(Span::EMPTY);
        if span.len == source.len() {
            let mut i = 0;
            while i < source.len() {
                if is_surrogate_at(source, i) {
                    // SAFETY: `span` is the new array's own buffer, `i + 3 <= len`
                    // for a three-byte sequence, and no JavaScript runs here.
                    unsafe {
                        std::ptr::copy_nonoverlapping(REPLACEMENT.as_ptr(), span.ptr.add(i), 3)
                    };
                }
                i += wtf8_width(source[i]).0;
            }
        }
    }
    Ok(array)
}

/// `TextEncoder.prototype.encodeInto`: writes whole characters while they
/// fit and returns `{ read, written }` (UTF-16 units read, bytes written).
fn encode_into<'js>(ctx: Ctx<'js>, text: Value<'js>, dest: Value<'js>) -> JsResult<Object<'js>> {
    let wtf8 = Wtf8::of(&ctx, &text)?;
    let source = wtf8.bytes();
    let span = span_of(&ctx, &dest).unwrap_or(Span::EMPTY);
    let capacity = if span.ptr.is_null() { 0 } else { span.len };
    // ASCII first, in one copy.
    let prefix = source.len().min(capacity);
    let ascii = source[..prefix]
        .iter()
        .position(|&b| b >= 0x80)
        .unwrap_or(prefix);
    let (mut read, mut written, mut i) = (ascii, ascii, ascii);
    // SAFETY: `span` is the destination's bytes; every write stays below
    // `capacity`, and no JavaScript runs until the result object is made.
    unsafe {
        if ascii > 0 {
            std::ptr::copy_nonoverlapping(source.as_ptr(), span.ptr, ascii);
        }
        while i < source.len() {
            let (width, units) = wtf8_width(source[i]);
            if written + width > capacity {
                break;
            }
            let from = if is_surrogate_at(source, i) {
                REPLACEMENT.as_ptr()
            } else {
                source.as_ptr().add(i)
            };
            std::ptr::copy_nonoverlapping(from, span.ptr.add(written), width);
            i += width;
            written += width;
            read += units;
        }
    }
    let result = Object::new(ctx)?;
    result.set("read", read as f64)?;
    result.set("written", written as f64)?;
    Ok(result)
}

/// TextDecoder's UTF-8 fast path (no streaming): Node's `decodeUTF8`.
fn decode_utf8<'js>(
    ctx: Ctx<'js>,
    input: Value<'js>,
    ignore_bom: bool,
    fatal: bool,
) -> JsResult<Value<'js>> {
    let Some(span) = span_of(&ctx, &input) else {
        return Ok(Value::new_undefined(ctx));
    };
    // SAFETY: no JavaScript runs while the bytes are read.
    let mut bytes = unsafe { span.bytes() };
    if fatal && std::str::from_utf8(bytes).is_err() {
        return Ok(Value::new_null(ctx));
    }
    if !ignore_bom && bytes.starts_with(&BOM) {
        bytes = &bytes[3..];
    }
    string_from_utf8_lossy(&ctx, bytes)
}

/// TextDecoder's windows-1252 fast path, as Node 20 has it: the bytes read
/// as ISO-8859-1, and with `ignoreBOM` a leading 0xFF byte dropped.
fn decode_latin1<'js>(ctx: Ctx<'js>, input: Value<'js>, ignore_bom: bool) -> JsResult<Value<'js>> {
    let Some(span) = span_of(&ctx, &input) else {
        return Ok(Value::new_undefined(ctx));
    };
    // SAFETY: no JavaScript runs while the bytes are read.
    let mut bytes = unsafe { span.bytes() };
    if ignore_bom && bytes.first() == Some(&0xFF) {
        bytes = &bytes[1..];
    }
    string_from_latin1(&ctx, bytes)
}

/// Bytes that may follow `prefix` (an incomplete UTF-8 sequence) in a
/// well-formed one.
fn continues(prefix: &[u8], b: u8) -> bool {
    let (low, high) = match (prefix.len(), prefix[0]) {
        (1, 0xE0) => (0xA0, 0xBF),
        (1, 0xED) => (0x80, 0x9F),
        (1, 0xF0) => (0x90, 0xBF),
        (1, 0xF4) => (0x80, 0x8F),
        _ => (0x80, 0xBF),
    };
    (low..=high).contains(&b)
}

/// Length of the well-formed sequence led by `lead`, 0 for a byte that
/// cannot lead one.
fn utf8_sequence_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Where the incomplete but so far well-formed sequence at the end of
/// `bytes` starts (`bytes.len()` when there is none).
fn incomplete_tail(bytes: &[u8]) -> usize {
    let len = bytes.len();
    for start in (len.saturating_sub(3)..len).rev() {
        let b = bytes[start];
        if (0x80..=0xBF).contains(&b) {
            continue;
        }
        let need = utf8_sequence_len(b);
        if need > len - start && (start + 1..len).all(|i| continues(&bytes[start..i], bytes[i])) {
            return start;
        }
        return len;
    }
    len
}

/// One step of a streaming decoder: the text to return (as UTF-8 or UTF-16)
/// and the bytes to keep for the next call.
enum Decoded<'a> {
    /// Valid UTF-8 read straight from the input.
    Borrowed(&'a [u8]),
    Utf8(Vec<u8>),
    Utf16(Vec<u16>),
}

/// Malformed input under `fatal`.
struct Malformed;

fn stream_utf8<'a>(
    pending: &[u8],
    input: &'a [u8],
    flush: bool,
    fatal: bool,
    keep: &mut Vec<u8>,
) -> Result<Decoded<'a>, Malformed> {
    let mut out = Vec::new();
    let mut rest = input;
    if !pending.is_empty() {
        let need = utf8_sequence_len(pending[0]);
        let mut char_bytes = pending.to_vec();
        let mut taken = 0;
        while char_bytes.len() < need && taken < input.len() && continues(&char_bytes, input[taken])
        {
            char_bytes.push(input[taken]);
            taken += 1;
        }
        rest = &input[taken..];
        if char_bytes.len() == need {
            out.extend_from_slice(&char_bytes);
        } else if rest.is_empty() && !flush {
            *keep = char_bytes;
            return Ok(Decoded::Utf8(out));
        } else if fatal {
            return Err(Malformed);
        } else {
            out.extend_from_slice(&REPLACEMENT);
        }
    }
    let end = if flush {
        rest.len()
    } else {
        incomplete_tail(rest)
    };
    keep.extend_from_slice(&rest[end..]);
    let body = &rest[..end];
    match std::str::from_utf8(body) {
        Ok(_) if out.is_empty() => Ok(Decoded::Borrowed(body)),
        Ok(_) => {
            out.extend_from_slice(body);
            Ok(Decoded::Utf8(out))
        }
        Err(_) if fatal => Err(Malformed),
        Err(_) => {
            out.extend_from_slice(String::from_utf8_lossy(body).as_bytes());
            Ok(Decoded::Utf8(out))
        }
    }
}

fn stream_utf16(
    pending: &[u8],
    input: &[u8],
    big_endian: bool,
    flush: bool,
    fatal: bool,
    keep: &mut Vec<u8>,
) -> Result<Vec<u16>, Malformed> {
    let total = pending.len() + input.len();
    let mut bytes = pending.iter().chain(input).copied();
    let mut out = Vec::with_capacity(total / 2);
    let mut lead: Option<u16> = None;
    for _ in 0..total / 2 {
        let (a, b) = (bytes.next().unwrap_or(0), bytes.next().unwrap_or(0));
        let unit = if big_endian {
            u16::from_be_bytes([a, b])
        } else {
            u16::from_le_bytes([a, b])
        };
        if let Some(high) = lead.take() {
            if (0xDC00..=0xDFFF).contains(&unit) {
                out.push(high);
                out.push(unit);
                continue;
            }
            if fatal {
                return Err(Malformed);
            }
            out.push(0xFFFD);
        }
        match unit {
            0xD800..=0xDBFF => lead = Some(unit),
            0xDC00..=0xDFFF if fatal => return Err(Malformed),
            0xDC00..=0xDFFF => out.push(0xFFFD),
            _ => out.push(unit),
        }
    }
    let odd = bytes.next();
    if flush {
        if lead.is_some() || odd.is_some() {
            if fatal {
                return Err(Malformed);
            }
            out.push(0xFFFD);
        }
    } else {
        if let Some(high) = lead {
            keep.extend_from_slice(&if big_endian {
                high.to_be_bytes()
            } else {
                high.to_le_bytes()
            });
        }
        keep.extend(odd);
    }
    Ok(out)
}

/// windows-1252 on TextDecoder's streaming path (ICU's converter in Node):
/// every byte decodes, `fatal` or not.
fn stream_windows_1252(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() * 2);
    for &b in input {
        let c = match b {
            0x80..=0x9F => WINDOWS_1252[usize::from(b - 0x80)],
            _ => u16::from(b),
        };
        push_code_point(&mut out, u32::from(c));
    }
    out
}

/// A decoder's state, copied out of its `Uint8Array` and written back with
/// [`State::store`]. No reference to the state's bytes is held while the
/// input is read: a script that put a decoder's state where its input goes
/// (it can reach a `StringDecoder`'s) would otherwise make them alias.
struct State<const N: usize> {
    span: Span,
    bytes: [u8; N],
}

impl<const N: usize> State<N> {
    fn load(ctx: &Ctx<'_>, value: &Value<'_>) -> JsResult<Self> {
        let span = span_of(ctx, value).unwrap_or(Span::EMPTY);
        if span.len < N || span.ptr.is_null() {
            return Err(rquickjs::Error::new_from_js("value", "decoder state"));
        }
        let mut bytes = [0; N];
        // SAFETY: `span` holds at least N bytes; no JavaScript runs meanwhile.
        unsafe { std::ptr::copy_nonoverlapping(span.ptr, bytes.as_mut_ptr(), N) };
        Ok(State { span, bytes })
    }

    /// Writes the state back. Callers hold no slice of the input any more.
    fn store(&self) {
        // SAFETY: the span was checked in `load`, and no JavaScript ran since
        // (making strings allocates, which never moves or frees a buffer the
        // arguments keep alive).
        unsafe { std::ptr::copy_nonoverlapping(self.bytes.as_ptr(), self.span.ptr, N) };
    }
}

/// TextDecoder's streaming path (Node's ICU converter): `state` keeps the
/// bytes of an unfinished character and whether the BOM was looked for.
#[allow(clippy::too_many_arguments)]
fn decode_stream<'js>(
    ctx: Ctx<'js>,
    state: Value<'js>,
    input: Value<'js>,
    encoding: i32,
    fatal: bool,
    ignore_bom: bool,
    flush: bool,
) -> JsResult<Value<'js>> {
    let Some(input) = span_of(&ctx, &input) else {
        return Ok(Value::new_undefined(ctx));
    };
    let mut cell = State::<TD_SIZE>::load(&ctx, &state)?;
    let state = &mut cell.bytes;
    // SAFETY: no JavaScript runs until the result string is made.
    let input = unsafe { input.bytes() };
    let pending_len = usize::from(state[TD_PENDING_LEN]).min(TD_PENDING_LEN);
    let pending = state[..pending_len].to_vec();
    let mut keep = Vec::new();
    let decoded = match encoding {
        STREAM_UTF8 => stream_utf8(&pending, input, flush, fatal, &mut keep),
        STREAM_UTF16LE | STREAM_UTF16BE => stream_utf16(
            &pending,
            input,
            encoding == STREAM_UTF16BE,
            flush,
            fatal,
            &mut keep,
        )
        .map(Decoded::Utf16),
        STREAM_WINDOWS_1252 => Ok(Decoded::Utf8(stream_windows_1252(input))),
        _ => return Err(rquickjs::Error::new_from_js("encoding", "stream encoding")),
    };
    let strip_bom = encoding != STREAM_WINDOWS_1252 && !ignore_bom && state[TD_BOM_SEEN] == 0;
    let Ok(decoded) = decoded else {
        state.fill(0);
        cell.store();
        return Ok(Value::new_null(ctx));
    };
    state[..keep.len()].copy_from_slice(&keep);
    state[TD_PENDING_LEN] = keep.len() as u8;
    let nonempty = match &decoded {
        Decoded::Borrowed(b) => !b.is_empty(),
        Decoded::Utf8(b) => !b.is_empty(),
        Decoded::Utf16(u) => !u.is_empty(),
    };
    if nonempty {
        state[TD_BOM_SEEN] = 1;
    }
    if flush {
        state.fill(0);
    }
    let result = match decoded {
        Decoded::Borrowed(b) if strip_bom && b.starts_with(&BOM) => string_from_utf8(&ctx, &b[3..]),
        Decoded::Borrowed(b) => string_from_utf8(&ctx, b),
        Decoded::Utf8(b) if strip_bom && b.starts_with(&BOM) => string_from_utf8(&ctx, &b[3..]),
        Decoded::Utf8(b) => string_from_utf8(&ctx, &b),
        Decoded::Utf16(u) if strip_bom && u.first() == Some(&0xFEFF) => {
            string_from_utf16(&ctx, &u[1..])
        }
        Decoded::Utf16(u) => string_from_utf16(&ctx, &u),
    };
    cell.store();
    result
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let digits = [n >> 18, n >> 12, n >> 6, n].map(|d| alphabet[(d & 63) as usize]);
        let used = chunk.len() + 1;
        out.extend_from_slice(&digits[..used]);
        if pad {
            out.extend(std::iter::repeat_n(b'=', 4 - used));
        }
    }
    out
}

/// Node's `StringBytes::Encode` for every encoding but UCS-2: the string's
/// UTF-8 (borrowed when it is the input itself).
fn node_utf8(bytes: &[u8], encoding: u8) -> Cow<'_, [u8]> {
    match encoding {
        SD_UTF8 => match String::from_utf8_lossy(bytes) {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        },
        SD_BASE64 => Cow::Owned(base64(bytes, BASE64, true)),
        SD_BASE64URL => Cow::Owned(base64(bytes, BASE64URL, false)),
        SD_HEX => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            Cow::Owned(
                bytes
                    .iter()
                    .flat_map(|&b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]])
                    .collect(),
            )
        }
        SD_ASCII => Cow::Owned(bytes.iter().map(|&b| b & 0x7F).collect()),
        // SD_LATIN1, and any value a script wrote into the state.
        _ if bytes.is_ascii() => Cow::Borrowed(bytes),
        _ => {
            let mut utf8 = Vec::with_capacity(bytes.len() * 2);
            for &b in bytes {
                push_code_point(&mut utf8, u32::from(b));
            }
            Cow::Owned(utf8)
        }
    }
}

/// UTF-16LE code units, a trailing odd byte ignored (as Node does).
fn ucs2_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect()
}

/// Node's `StringBytes::Encode`: `bytes` as a string in a Node encoding.
fn node_string<'js>(ctx: &Ctx<'js>, bytes: &[u8], encoding: u8) -> JsResult<Value<'js>> {
    if encoding == SD_UCS2 {
        // Lone surrogates are kept, as in Node.
        return string_from_utf16(ctx, &ucs2_units(bytes));
    }
    string_from_utf8(ctx, &node_utf8(bytes, encoding))
}

/// Node's two strings, the finished character `head` and the `body`,
/// joined: each is decoded on its own, as in Node (a character whose lead
/// byte a script rewrote through `lastChar` may not be whole).
fn node_string_pair<'js>(
    ctx: &Ctx<'js>,
    head: &[u8],
    body: &[u8],
    encoding: u8,
) -> JsResult<Value<'js>> {
    if encoding == SD_UCS2 {
        let mut units = ucs2_units(head);
        units.extend(ucs2_units(body));
        return string_from_utf16(ctx, &units);
    }
    let mut text = node_utf8(head, encoding).into_owned();
    text.extend_from_slice(&node_utf8(body, encoding));
    string_from_utf8(ctx, &text)
}

/// The state of a `StringDecoder` (7 bytes, as Node lays it out).
fn decoder_state(ctx: &Ctx<'_>, state: &Value<'_>) -> JsResult<State<SD_SIZE>> {
    let mut cell = State::<SD_SIZE>::load(ctx, state)?;
    // Scripts reach the state's buffer through `lastChar.buffer`, as in Node:
    // counts that cannot be right are reset rather than trusted.
    let state = &mut cell.bytes;
    if usize::from(state[SD_MISSING]) + usize::from(state[SD_BUFFERED]) > 4 {
        state[SD_MISSING] = 0;
        state[SD_BUFFERED] = 0;
    }
    Ok(cell)
}

/// `StringDecoder.prototype.write`: a port of Node's `DecodeData`
/// (src/string_decoder.cc), which keeps the bytes of a character split
/// between two writes in the state.
fn sd_write<'js>(ctx: Ctx<'js>, state: Value<'js>, input: Value<'js>) -> JsResult<Value<'js>> {
    let Some(input) = span_of(&ctx, &input) else {
        return Ok(Value::new_undefined(ctx));
    };
    let mut cell = decoder_state(&ctx, &state)?;
    let state = &mut cell.bytes;
    // SAFETY: no JavaScript runs until the string is made.
    let mut data = unsafe { input.bytes() };
    let encoding = state[SD_ENCODING];
    if !matches!(encoding, SD_UTF8 | SD_UCS2 | SD_BASE64 | SD_BASE64URL) {
        return node_string(&ctx, data, encoding);
    }
    let mut prepend: Option<Vec<u8>> = None;
    let missing = usize::from(state[SD_MISSING]);
    if missing > 0 {
        let buffered = usize::from(state[SD_BUFFERED]);
        if encoding == SD_UTF8 {
            // A byte that does not continue the character ends it: the
            // bytes so far become U+FFFD and that byte starts anew.
            if let Some(i) = data.iter().take(missing).position(|&b| b & 0xC0 != 0x80) {
                state[SD_MISSING] = 0;
                state[buffered..buffered + i].copy_from_slice(&data[..i]);
                state[SD_BUFFERED] += i as u8;
                data = &data[i..];
            }
        }
        let missing = usize::from(state[SD_MISSING]);
        let buffered = usize::from(state[SD_BUFFERED]);
        let found = data.len().min(missing);
        state[buffered..buffered + found].copy_from_slice(&data[..found]);
        data = &data[found..];
        state[SD_MISSING] -= found as u8;
        state[SD_BUFFERED] += found as u8;
        if state[SD_MISSING] == 0 {
            prepend = Some(state[..usize::from(state[SD_BUFFERED])].to_vec());
            state[SD_BUFFERED] = 0;
        }
    }
    let mut body: &[u8] = &[];
    if !data.is_empty() {
        let len = data.len();
        let mut buffered = 0usize;
        let mut missing = 0usize;
        if encoding == SD_UTF8 && data[len - 1] & 0x80 != 0 {
            let mut i = len - 1;
            loop {
                buffered += 1;
                if data[i] & 0xC0 == 0x80 {
                    if buffered >= 4 || i == 0 {
                        buffered = 0;
                        break;
                    }
                } else {
                    missing = match data[i] {
                        b if b & 0xE0 == 0xC0 => 2,
                        b if b & 0xF0 == 0xE0 => 3,
                        b if b & 0xF8 == 0xF0 => 4,
                        _ => {
                            buffered = 0;
                            break;
                        }
                    };
                    if buffered >= missing {
                        missing = 0;
                        buffered = 0;
                    }
                    missing -= buffered;
                    break;
                }
                i -= 1;
            }
        } else if encoding == SD_UCS2 {
            if len % 2 == 1 {
                buffered = 1;
                missing = 1;
            } else if data[len - 1] & 0xFC == 0xD8 {
                buffered = 2;
                missing = 2;
            }
        } else if matches!(encoding, SD_BASE64 | SD_BASE64URL) {
            buffered = len % 3;
            if buffered > 0 {
                missing = 3 - buffered;
            }
        }
        state[SD_BUFFERED] = buffered as u8;
        state[SD_MISSING] = missing as u8;
        if buffered > 0 {
            state[..buffered].copy_from_slice(&data[len - buffered..]);
        }
        body = &data[..len - buffered];
    }
    let result = match prepend {
        None => node_string(&ctx, body, encoding),
        Some(head) if body.is_empty() => node_string(&ctx, &head, encoding),
        Some(head) => node_string_pair(&ctx, &head, body, encoding),
    };
    cell.store();
    result
}

/// `StringDecoder.prototype.end`'s flush: a port of Node's `FlushData`.
fn sd_flush<'js>(ctx: Ctx<'js>, state: Value<'js>) -> JsResult<Value<'js>> {
    let mut cell = decoder_state(&ctx, &state)?;
    let state = &mut cell.bytes;
    let encoding = state[SD_ENCODING];
    if encoding == SD_UCS2 && state[SD_BUFFERED] % 2 == 1 {
        state[SD_MISSING] = state[SD_MISSING].saturating_sub(1);
        state[SD_BUFFERED] -= 1;
    }
    let buffered = usize::from(state[SD_BUFFERED]).min(4);
    if buffered == 0 {
        cell.store();
        return string_from_utf8(&ctx, b"");
    }
    let bytes = state[..buffered].to_vec();
    state[SD_MISSING] = 0;
    state[SD_BUFFERED] = 0;
    cell.store();
    node_string(&ctx, &bytes, encoding)
}

/// Builds the binding object for one runtime (stateless: heap images build
/// it once).
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> JsResult<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    b.set("encode", Function::new(ctx.clone(), encode)?)?;
    b.set("encodeInto", Function::new(ctx.clone(), encode_into)?)?;
    b.set("decodeUtf8", Function::new(ctx.clone(), decode_utf8)?)?;
    b.set("decodeLatin1", Function::new(ctx.clone(), decode_latin1)?)?;
    b.set("decodeStream", Function::new(ctx.clone(), decode_stream)?)?;
    b.set("stringDecoderWrite", Function::new(ctx.clone(), sd_write)?)?;
    b.set("stringDecoderFlush", Function::new(ctx.clone(), sd_flush)?)?;
    b.set("decoderStateSize", TD_SIZE as i32)?;
    b.set("stringDecoderStateSize", SD_SIZE as i32)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_tails() {
        assert_eq!(incomplete_tail(b"abc"), 3);
        assert_eq!(incomplete_tail(&[0x61, 0xE4, 0xB8]), 1);
        assert_eq!(incomplete_tail(&[0x61, 0xE4, 0xB8, 0xAD]), 4);
        assert_eq!(incomplete_tail(&[0xF0, 0x9F, 0x98]), 0);
        // ED A0 can never complete: nothing is kept.
        assert_eq!(incomplete_tail(&[0xED, 0xA0]), 2);
        assert_eq!(incomplete_tail(&[0xFF]), 1);
    }

    #[test]
    fn base64_padding() {
        assert_eq!(base64(b"ab", BASE64, true), b"YWI=");
        assert_eq!(base64(b"ab", BASE64URL, false), b"YWI");
        assert_eq!(base64(&[0xFB, 0xFF], BASE64URL, false), b"-_8");
    }

    #[test]
    fn utf16_streams() {
        let mut keep = Vec::new();
        let out = stream_utf16(&[], &[0x3D, 0xD8, 0x00], false, false, false, &mut keep).ok();
        assert_eq!(out, Some(vec![]));
        assert_eq!(keep, vec![0x3D, 0xD8, 0x00]);
        let mut next = Vec::new();
        let out = stream_utf16(&keep, &[0xDE], false, true, false, &mut next).ok();
        assert_eq!(out, Some(vec![0xD83D, 0xDE00]));
        assert!(next.is_empty());
    }
}
