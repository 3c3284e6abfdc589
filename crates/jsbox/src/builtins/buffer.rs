//! The native half of `Buffer` (`js/prelude/buffer.js`): encoding and decoding
//! strings, searching, comparing, filling and copying bytes, working on the
//! typed arrays' memory in the engine heap.
//!
//! Every function here is stateless (the binding is built once into heap
//! images) and trusts nothing it is given: the JavaScript in front validates
//! arguments as Node does, and the functions clamp every offset and length to
//! the views they get again, so no call reads or writes outside a view or
//! allocates on the host more than a bounded multiple of what already lives in
//! the heap. A view's memory is reached through a raw pointer taken after every
//! argument was read, and used only until the function returns: no JavaScript
//! runs meanwhile, so the buffer cannot be detached or resized under it. A
//! detached (or out-of-bounds) view counts as empty.

use std::ptr::NonNull;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use rquickjs::function::Rest;
use rquickjs::{qjs, Ctx, Function, Object, Value};

use super::node_error::throw_error;
use crate::runtime::RuntimeState;

type JsResult<T> = rquickjs::Result<T>;

/// The encodings, numbered as `js/prelude/buffer.js` numbers them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Utf8,
    Ucs2,
    Latin1,
    Ascii,
    Base64,
    Base64Url,
    Hex,
}

impl Encoding {
    fn from_id(id: f64) -> Encoding {
        match id as i64 {
            1 => Encoding::Ucs2,
            2 => Encoding::Latin1,
            3 => Encoding::Ascii,
            4 => Encoding::Base64,
            5 => Encoding::Base64Url,
            6 => Encoding::Hex,
            _ => Encoding::Utf8,
        }
    }
}

/// Node's `buffer.constants.MAX_STRING_LENGTH` (V8's limit, 2^29 - 24 UTF-16
/// units): decoding to a longer string throws `ERR_STRING_TOO_LONG` as in Node.
/// QuickJS's own limit (2^30 - 1) is higher.
const MAX_STRING_LENGTH: usize = 0x1fff_ffe8;

/// Offsets from JavaScript are clamped to the safe integers.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// Base64 as Node decodes it, once the input is reduced to alphabet
/// characters: padding optional, stray bits of the last character ignored.
const FORGIVING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

// ---- arguments ------------------------------------------------------------

fn arg<'a, 'js>(args: &'a Rest<Value<'js>>, index: usize) -> Option<&'a Value<'js>> {
    args.0.get(index)
}

/// A number argument, 0 when it is anything else.
fn num(args: &Rest<Value<'_>>, index: usize) -> f64 {
    arg(args, index)
        .and_then(Value::as_number)
        .filter(|n| !n.is_nan())
        .unwrap_or(0.0)
}

/// A number argument as an index clamped to `0..=max` (`as` saturates).
fn index(args: &Rest<Value<'_>>, index: usize, max: usize) -> usize {
    (num(args, index) as usize).min(max)
}

// ---- views ------------------------------------------------------------------

/// The bytes of a typed array: where they are and how many. Valid only until
/// JavaScript runs again.
#[derive(Clone, Copy)]
struct Bytes {
    ptr: NonNull<u8>,
    len: usize,
}

impl Bytes {
    const EMPTY: Bytes = Bytes {
        ptr: NonNull::dangling(),
        len: 0,
    };

    /// # Safety
    /// No JavaScript may run while the slice lives, and no mutable access to
    /// overlapping memory may exist meanwhile.
    unsafe fn slice<'a>(self) -> &'a [u8] {
        std::slice::from_raw_parts(self.ptr.as_ptr(), self.len)
    }

    /// # Safety
    /// As [`Bytes::slice`], and no other access to overlapping memory may
    /// exist meanwhile.
    #[allow(clippy::mut_from_ref)]
    unsafe fn slice_mut<'a>(self) -> &'a mut [u8] {
        std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len)
    }
}

/// What a value holds, as far as bytes go.
enum View {
    /// A typed array (of any element type), seen as bytes.
    Bytes(Bytes),
    /// A typed array whose buffer is detached or shrank below it.
    Detached,
    /// Anything else.
    None,
}

/// Throws away the exception a failed engine call left pending.
fn clear_exception(ctx: &Ctx<'_>) {
    drop(ctx.catch());
}

fn view_of(ctx: &Ctx<'_>, value: Option<&Value<'_>>) -> View {
    let Some(value) = value else {
        return View::None;
    };
    let raw = value.as_raw();
    let c = ctx.as_raw().as_ptr();
    // SAFETY: `raw` is a live value of this context; the class check comes
    // first, so the engine calls below only see typed arrays. An engine call
    // that fails leaves an exception pending, which is cleared.
    unsafe {
        if qjs::JS_GetTypedArrayType(raw) < 0 {
            return View::None;
        }
        let mut offset: qjs::size_t = 0;
        let mut length: qjs::size_t = 0;
        let buffer =
            qjs::JS_GetTypedArrayBuffer(c, raw, &mut offset, &mut length, std::ptr::null_mut());
        if qjs::JS_IsException(buffer) {
            clear_exception(ctx);
            return View::Detached;
        }
        let mut size: qjs::size_t = 0;
        let data = qjs::JS_GetArrayBuffer(c, &mut size, buffer);
        qjs::JS_FreeValue(c, buffer);
        let (offset, length, size) = (offset as usize, length as usize, size as usize);
        match NonNull::new(data) {
            None => {
                clear_exception(ctx);
                View::Detached
            }
            Some(_) if offset.checked_add(length).is_none_or(|end| end > size) => View::Detached,
            Some(data) => View::Bytes(Bytes {
                ptr: NonNull::new_unchecked(data.as_ptr().add(offset)),
                len: length,
            }),
        }
    }
}

/// A copy of the bytes of a typed array of any element type (empty when its
/// buffer is detached); `None` for any other value.
pub(crate) fn copy_view(ctx: &Ctx<'_>, value: &Value<'_>) -> Option<Vec<u8>> {
    match view_of(ctx, Some(value)) {
        // SAFETY: copied out before any JS runs.
        View::Bytes(bytes) => Some(unsafe { bytes.slice() }.to_vec()),
        View::Detached => Some(Vec::new()),
        View::None => None,
    }
}

/// The bytes of a typed array argument; anything else is empty.
fn bytes_arg(ctx: &Ctx<'_>, args: &Rest<Value<'_>>, i: usize) -> Bytes {
    match view_of(ctx, arg(args, i)) {
        View::Bytes(bytes) => bytes,
        _ => Bytes::EMPTY,
    }
}

// ---- strings ----------------------------------------------------------------

/// A JS string as the engine's UTF-8, with lone surrogates as 3-byte
/// sequences (WTF-8), held until dropped.
struct Utf8<'js> {
    ctx: Ctx<'js>,
    ptr: *const std::ffi::c_char,
    len: usize,
}

impl<'js> Utf8<'js> {
    /// `None` when `value` is not a string (never converted: that could run
    /// JavaScript).
    fn of(ctx: &Ctx<'js>, value: Option<&Value<'js>>) -> JsResult<Option<Utf8<'js>>> {
        let Some(value) = value.filter(|v| v.is_string()) else {
            return Ok(None);
        };
        let mut len: qjs::size_t = 0;
        // SAFETY: a live string of this context; freed in Drop.
        let ptr = unsafe {
            qjs::JS_ToCStringLen2(ctx.as_raw().as_ptr(), &mut len, value.as_raw(), false)
        };
        if ptr.is_null() {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Some(Utf8 {
            ctx: ctx.clone(),
            ptr,
            len: len as usize,
        }))
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the engine's buffer of `len` bytes, alive until Drop.
        unsafe { std::slice::from_raw_parts(self.ptr.cast(), self.len) }
    }
}

impl Drop for Utf8<'_> {
    fn drop(&mut self) {
        // SAFETY: made by JS_ToCStringLen2 in this context.
        unsafe { qjs::JS_FreeCString(self.ctx.as_raw().as_ptr(), self.ptr) }
    }
}

/// A JS string's UTF-16 code units, held until dropped.
struct Utf16<'js> {
    ctx: Ctx<'js>,
    ptr: *const u16,
    len: usize,
}

impl<'js> Utf16<'js> {
    fn of(ctx: &Ctx<'js>, value: Option<&Value<'js>>) -> JsResult<Option<Utf16<'js>>> {
        let Some(value) = value.filter(|v| v.is_string()) else {
            return Ok(None);
        };
        let mut len: qjs::size_t = 0;
        // SAFETY: a live string of this context; freed in Drop.
        let ptr =
            unsafe { qjs::JS_ToCStringLenUTF16(ctx.as_raw().as_ptr(), &mut len, value.as_raw()) };
        if ptr.is_null() {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Some(Utf16 {
            ctx: ctx.clone(),
            ptr,
            len: len as usize,
        }))
    }

    fn units(&self) -> &[u16] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: the engine's buffer of `len` units, alive until Drop.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for Utf16<'_> {
    fn drop(&mut self) {
        // SAFETY: made by JS_ToCStringLenUTF16 in this context.
        unsafe { qjs::JS_FreeCStringUTF16(self.ctx.as_raw().as_ptr(), self.ptr) }
    }
}

/// The one-byte characters of a string as Node's hex and base64 decoders
/// read them: each UTF-16 unit cut to its low byte.
enum Narrow<'js> {
    /// A string of ASCII characters only, as the engine holds it.
    Ascii(Utf8<'js>),
    /// Any other string, each unit cut to its low byte.
    Units(Vec<u8>),
}

impl<'js> Narrow<'js> {
    fn of(ctx: &Ctx<'js>, value: Option<&Value<'js>>) -> JsResult<Option<Narrow<'js>>> {
        let Some(utf8) = Utf8::of(ctx, value)? else {
            return Ok(None);
        };
        if utf8.bytes().is_ascii() {
            return Ok(Some(Narrow::Ascii(utf8)));
        }
        drop(utf8);
        let Some(units) = Utf16::of(ctx, value)? else {
            return Ok(None);
        };
        check_host(ctx, units.len)?;
        Ok(Some(Narrow::Units(
            units.units().iter().map(|&u| u as u8).collect(),
        )))
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Narrow::Ascii(s) => s.bytes(),
            Narrow::Units(s) => s,
        }
    }
}

/// Makes a JS string from UTF-8 (which must be valid).
fn new_string<'js>(ctx: &Ctx<'js>, utf8: &[u8]) -> JsResult<Value<'js>> {
    // SAFETY: the engine copies `utf8`; the result is owned by the Value.
    unsafe {
        let value =
            qjs::JS_NewStringLen(ctx.as_raw().as_ptr(), utf8.as_ptr().cast(), utf8.len() as _);
        if qjs::JS_IsException(value) {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Value::from_raw(ctx.clone(), value))
    }
}

fn new_string_utf16<'js>(ctx: &Ctx<'js>, units: &[u16]) -> JsResult<Value<'js>> {
    // SAFETY: the engine copies `units`; the result is owned by the Value.
    unsafe {
        let value = qjs::JS_NewStringUTF16(ctx.as_raw().as_ptr(), units.as_ptr(), units.len() as _);
        if qjs::JS_IsException(value) {
            return Err(rquickjs::Error::Exception);
        }
        Ok(Value::from_raw(ctx.clone(), value))
    }
}

/// A zero-filled ArrayBuffer of `len` bytes in the engine heap (the memory
/// limit counts it), and its bytes.
fn new_array_buffer<'js>(ctx: &Ctx<'js>, len: usize) -> JsResult<(Value<'js>, Bytes)> {
    // SAFETY: a NULL source makes the engine allocate zeroed memory; the data
    // pointer is read back before any JavaScript runs.
    unsafe {
        let c = ctx.as_raw().as_ptr();
        let value = qjs::JS_NewArrayBufferCopy(c, std::ptr::null(), len as _);
        if qjs::JS_IsException(value) {
            return Err(rquickjs::Error::Exception);
        }
        let value = Value::from_raw(ctx.clone(), value);
        let mut size: qjs::size_t = 0;
        let data = qjs::JS_GetArrayBuffer(c, &mut size, value.as_raw());
        match NonNull::new(data) {
            Some(ptr) => Ok((
                value,
                Bytes {
                    ptr,
                    len: (size as usize).min(len),
                },
            )),
            None => Err(rquickjs::Error::Exception),
        }
    }
}

/// Throws Node's error for a string longer than `MAX_STRING_LENGTH`.
fn string_too_long(ctx: &Ctx<'_>) -> rquickjs::Error {
    throw_error(
        ctx,
        &format!("Cannot create a string longer than 0x{MAX_STRING_LENGTH:x} characters"),
        "ERR_STRING_TOO_LONG",
        &[],
    )
}

/// Refuses a host buffer of `len` bytes larger than the runtime's heap limit:
/// what it holds could not reach the script anyway.
fn check_host(ctx: &Ctx<'_>, len: usize) -> JsResult<()> {
    match RuntimeState::of(ctx).memory_limit {
        Some(limit) if len > limit => {
            // SAFETY: throws the engine's own out-of-memory error.
            unsafe { qjs::JS_ThrowOutOfMemory(ctx.as_raw().as_ptr()) };
            Err(rquickjs::Error::Exception)
        }
        _ => Ok(()),
    }
}

// ---- decoding (bytes -> string) ---------------------------------------------

fn decode<'js>(ctx: &Ctx<'js>, bytes: &[u8], encoding: Encoding) -> JsResult<Value<'js>> {
    match encoding {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => {
                if text.len() > MAX_STRING_LENGTH && utf16_len(text) > MAX_STRING_LENGTH {
                    return Err(string_too_long(ctx));
                }
                new_string(ctx, bytes)
            }
            Err(_) => {
                // At most 3 bytes (U+FFFD) per input byte.
                check_host(ctx, bytes.len().saturating_mul(3))?;
                let text = String::from_utf8_lossy(bytes);
                if text.len() > MAX_STRING_LENGTH && utf16_len(&text) > MAX_STRING_LENGTH {
                    return Err(string_too_long(ctx));
                }
                new_string(ctx, text.as_bytes())
            }
        },
        Encoding::Latin1 | Encoding::Ascii => {
            if bytes.len() > MAX_STRING_LENGTH {
                return Err(string_too_long(ctx));
            }
            if bytes.is_ascii() {
                return new_string(ctx, bytes);
            }
            let ascii = encoding == Encoding::Ascii;
            let wide = bytes.iter().filter(|&&b| b >= 0x80).count();
            check_host(ctx, bytes.len() + if ascii { 0 } else { wide })?;
            let mut out = Vec::with_capacity(bytes.len() + if ascii { 0 } else { wide });
            for &b in bytes {
                if ascii {
                    out.push(b & 0x7f);
                } else if b < 0x80 {
                    out.push(b);
                } else {
                    out.push(0xc0 | (b >> 6));
                    out.push(0x80 | (b & 0x3f));
                }
            }
            new_string(ctx, &out)
        }
        Encoding::Ucs2 => {
            let units = bytes.len() / 2;
            if units > MAX_STRING_LENGTH {
                return Err(string_too_long(ctx));
            }
            if cfg!(target_endian = "little") && bytes.as_ptr().align_offset(2) == 0 {
                // SAFETY: aligned, `units` whole units inside `bytes`, read only.
                let units =
                    unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<u16>(), units) };
                return new_string_utf16(ctx, units);
            }
            check_host(ctx, units * 2)?;
            let out: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                .collect();
            new_string_utf16(ctx, &out)
        }
        Encoding::Hex => {
            let len = bytes.len().saturating_mul(2);
            if len > MAX_STRING_LENGTH {
                return Err(string_too_long(ctx));
            }
            check_host(ctx, len)?;
            let mut out = vec![0u8; len];
            let digits = hex_simd::encode(
                bytes,
                hex_simd::Out::from_slice(&mut out),
                hex_simd::AsciiCase::Lower,
            );
            new_string(ctx, digits)
        }
        Encoding::Base64 | Encoding::Base64Url => {
            let engine = if encoding == Encoding::Base64Url {
                base64_simd::URL_SAFE_NO_PAD
            } else {
                base64_simd::STANDARD
            };
            // Over the limit (or overflowing) long before usize::MAX.
            if bytes.len() > MAX_STRING_LENGTH {
                return Err(string_too_long(ctx));
            }
            let len = engine.encoded_length(bytes.len());
            if len > MAX_STRING_LENGTH {
                return Err(string_too_long(ctx));
            }
            check_host(ctx, len)?;
            let mut out = vec![0u8; len];
            let text = engine.encode(bytes, base64_simd::Out::from_slice(&mut out));
            new_string(ctx, text)
        }
    }
}

/// UTF-16 length of valid UTF-8 text.
fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

// ---- encoding (string -> bytes) ----------------------------------------------

/// Replaces the 3-byte sequences QuickJS gives lone surrogates (ED A0..BF xx)
/// with U+FFFD (EF BF BD), as Node writes them.
fn replace_lone_surrogates(bytes: &mut [u8]) {
    let mut from = 0;
    while let Some(at) = memchr::memchr(0xed, &bytes[from..]) {
        let i = from + at;
        if i + 2 < bytes.len() && bytes[i + 1] >= 0xa0 {
            bytes[i..i + 3].copy_from_slice(&[0xef, 0xbf, 0xbd]);
            from = i + 3;
        } else {
            from = i + 1;
        }
    }
}

/// How many leading bytes of WTF-8 `bytes` make whole characters and fit in
/// `capacity`.
fn utf8_prefix(bytes: &[u8], capacity: usize) -> usize {
    if bytes.len() <= capacity {
        return bytes.len();
    }
    let mut n = capacity;
    while n > 0 && bytes[n] & 0xc0 == 0x80 {
        n -= 1;
    }
    n
}

/// The value of each hex digit, and [`NOT_HEX`] for every other byte.
const HEX_VALUES: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};
const NOT_HEX: u8 = 0xff;

/// The byte a pair of hex digits makes, if both are hex digits.
fn hex_pair(pair: &[u8]) -> Option<u8> {
    let hi = HEX_VALUES[pair[0] as usize];
    let lo = HEX_VALUES[pair[1] as usize];
    (hi < 16 && lo < 16).then_some((hi << 4) | lo)
}

/// Number of leading characters of `text` that are valid hex digit pairs,
/// i.e. how many bytes Node's hex decoder makes of it.
fn hex_len(text: &[u8]) -> usize {
    let mut pairs = text.chunks_exact(2);
    let total = pairs.len();
    pairs
        .position(|pair| hex_pair(pair).is_none())
        .unwrap_or(total)
}

/// Decodes the leading hex digit pairs of `text` into `out`, as many as fit
/// and up to the first pair that is not hex; returns the bytes written.
fn write_hex(text: &[u8], out: &mut [u8]) -> usize {
    let mut n = 0;
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let Some(value) = hex_pair(pair) else { break };
        *byte = value;
        n += 1;
    }
    n
}

/// The base64 characters Node's decoder uses from `text` (either alphabet,
/// mapped to the standard one), up to the first `=`; everything else is skipped.
fn base64_chars(ctx: &Ctx<'_>, text: &[u8]) -> JsResult<Vec<u8>> {
    check_host(ctx, text.len())?;
    let mut chars = Vec::with_capacity(text.len());
    for &c in text {
        match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => chars.push(c),
            b'-' => chars.push(b'+'),
            b'_' => chars.push(b'/'),
            b'=' => break,
            _ => {}
        }
    }
    // A lone last character makes no byte.
    if chars.len() % 4 == 1 {
        chars.pop();
    }
    Ok(chars)
}

fn base64_decoded_len(chars: usize) -> usize {
    chars / 4 * 3 + [0, 0, 1, 2][chars % 4]
}

/// Decodes base64 `chars` (as [`base64_chars`] made them) into `out`, as many
/// bytes as fit; returns how many were written.
fn write_base64(chars: &[u8], out: &mut [u8]) -> usize {
    let full = base64_decoded_len(chars.len());
    if full <= out.len() {
        return FORGIVING.decode_slice(chars, &mut out[..full]).unwrap_or(0);
    }
    // Only the groups that reach into `out` (at most 2 bytes more than it).
    let groups = out.len().div_ceil(3);
    let input = &chars[..(groups * 4).min(chars.len())];
    let decoded = FORGIVING.decode(input).unwrap_or_default();
    let n = decoded.len().min(out.len());
    out[..n].copy_from_slice(&decoded[..n]);
    n
}

/// A string, read the way one encoding needs it.
enum Text<'js> {
    /// UTF-8 (WTF-8 from the engine) for `utf8`.
    Utf8(Utf8<'js>),
    /// UTF-16 units for `ucs2`, `latin1` and `ascii`.
    Units(Utf16<'js>),
    /// One-byte characters for `hex`.
    Hex(Narrow<'js>),
    /// The characters that count, for `base64` and `base64url`.
    Base64(Vec<u8>),
}

impl<'js> Text<'js> {
    /// `None` when `value` is not a string.
    fn of(
        ctx: &Ctx<'js>,
        value: Option<&Value<'js>>,
        encoding: Encoding,
    ) -> JsResult<Option<Text<'js>>> {
        Ok(match encoding {
            Encoding::Utf8 => Utf8::of(ctx, value)?.map(Text::Utf8),
            Encoding::Ucs2 | Encoding::Latin1 | Encoding::Ascii => {
                Utf16::of(ctx, value)?.map(Text::Units)
            }
            Encoding::Hex => Narrow::of(ctx, value)?.map(Text::Hex),
            Encoding::Base64 | Encoding::Base64Url => match Narrow::of(ctx, value)? {
                Some(text) => Some(Text::Base64(base64_chars(ctx, text.bytes())?)),
                None => None,
            },
        })
    }

    /// How many bytes the whole string makes in `encoding`.
    fn byte_len(&self, encoding: Encoding) -> usize {
        match self {
            Text::Utf8(text) => text.len,
            Text::Units(text) if encoding == Encoding::Ucs2 => text.len.saturating_mul(2),
            Text::Units(text) => text.len,
            Text::Hex(text) => hex_len(text.bytes()),
            Text::Base64(chars) => base64_decoded_len(chars.len()),
        }
    }

    /// Writes the string into `out` the way Node's `buf.write` does (whole
    /// characters for UTF-8, whole units for UTF-16, as many bytes as fit
    /// otherwise); returns the bytes written.
    fn write(&self, encoding: Encoding, out: &mut [u8]) -> usize {
        match self {
            Text::Utf8(text) => {
                let n = utf8_prefix(text.bytes(), out.len());
                out[..n].copy_from_slice(&text.bytes()[..n]);
                replace_lone_surrogates(&mut out[..n]);
                n
            }
            Text::Units(text) if encoding == Encoding::Ucs2 => {
                let units = text.units();
                let n = units.len().min(out.len() / 2);
                for (pair, unit) in out.chunks_exact_mut(2).zip(&units[..n]) {
                    pair.copy_from_slice(&unit.to_le_bytes());
                }
                n * 2
            }
            Text::Units(text) => {
                let units = text.units();
                let n = units.len().min(out.len());
                for (byte, unit) in out.iter_mut().zip(&units[..n]) {
                    *byte = *unit as u8;
                }
                n
            }
            Text::Hex(text) => write_hex(text.bytes(), out),
            Text::Base64(chars) => write_base64(chars, out),
        }
    }
}

/// `string` in `encoding` as a new ArrayBuffer of exactly its bytes.
fn from_string<'js>(
    ctx: &Ctx<'js>,
    string: Option<&Value<'js>>,
    encoding: Encoding,
) -> JsResult<Value<'js>> {
    match encoding {
        Encoding::Base64 | Encoding::Base64Url => return from_base64(ctx, string, encoding),
        Encoding::Hex => return from_hex(ctx, string),
        _ => {}
    }
    let text = Text::of(ctx, string, encoding)?;
    let len = text.as_ref().map_or(0, |t| t.byte_len(encoding));
    let (buffer, out) = new_array_buffer(ctx, len)?;
    if let Some(text) = text {
        // SAFETY: a fresh buffer no one else sees yet.
        text.write(encoding, unsafe { out.slice_mut() });
    }
    Ok(buffer)
}

/// `from_string` for hex, in one SIMD pass (`hex-simd`) when every pair is
/// hex; otherwise the buffer is cut short at the first pair that is not.
fn from_hex<'js>(ctx: &Ctx<'js>, string: Option<&Value<'js>>) -> JsResult<Value<'js>> {
    let Some(text) = Narrow::of(ctx, string)? else {
        return Ok(new_array_buffer(ctx, 0)?.0);
    };
    let text = text.bytes();
    let (buffer, out) = new_array_buffer(ctx, text.len() / 2)?;
    // SAFETY: a fresh buffer no one else sees yet.
    let out = unsafe { out.slice_mut() };
    let pairs = &text[..out.len() * 2];
    if hex_simd::decode(pairs, hex_simd::Out::from_slice(out)).is_ok() {
        return Ok(buffer);
    }
    let written = write_hex(text, out);
    if written == out.len() {
        return Ok(buffer);
    }
    let (short, short_out) = new_array_buffer(ctx, written)?;
    // SAFETY: as above.
    unsafe { short_out.slice_mut() }.copy_from_slice(&out[..written]);
    Ok(short)
}

/// `from_string` for base64: well-formed input (one alphabet, padding only
/// at the end, no stray bits) decodes in one SIMD pass (`base64-simd`, as
/// Node's simdutf), straight from the engine's copy of the string; anything
/// else goes through Node's lenient reading.
fn from_base64<'js>(
    ctx: &Ctx<'js>,
    string: Option<&Value<'js>>,
    encoding: Encoding,
) -> JsResult<Value<'js>> {
    let Some(text) = Narrow::of(ctx, string)? else {
        return Ok(new_array_buffer(ctx, 0)?.0);
    };
    let bytes = text.bytes();
    let unpadded = bytes
        .strip_suffix(b"==")
        .or_else(|| bytes.strip_suffix(b"="))
        .unwrap_or(bytes);
    if unpadded.len() % 4 != 1 {
        let len = base64_decoded_len(unpadded.len());
        let (buffer, out) = new_array_buffer(ctx, len)?;
        let engine = if encoding == Encoding::Base64Url {
            base64_simd::URL_SAFE_NO_PAD
        } else {
            base64_simd::STANDARD_NO_PAD
        };
        // SAFETY: a fresh buffer no one else sees yet.
        let out = base64_simd::Out::from_slice(unsafe { out.slice_mut() });
        if engine.decode(unpadded, out).is_ok() {
            return Ok(buffer);
        }
    }
    let chars = base64_chars(ctx, bytes)?;
    let (buffer, out) = new_array_buffer(ctx, base64_decoded_len(chars.len()))?;
    // SAFETY: a fresh buffer no one else sees yet.
    write_base64(&chars, unsafe { out.slice_mut() });
    Ok(buffer)
}

/// The bytes `string` makes in `encoding`, as a search or fill pattern.
/// `raw_utf8` keeps lone surrogates as QuickJS (and V8's `String::Utf8Value`,
/// which Node searches with) encode them, instead of U+FFFD.
fn pattern<'js>(
    ctx: &Ctx<'js>,
    string: Option<&Value<'js>>,
    encoding: Encoding,
    raw_utf8: bool,
) -> JsResult<Vec<u8>> {
    let Some(text) = Text::of(ctx, string, encoding)? else {
        return Ok(Vec::new());
    };
    if let (true, Text::Utf8(utf8)) = (raw_utf8, &text) {
        check_host(ctx, utf8.len)?;
        return Ok(utf8.bytes().to_vec());
    }
    let len = text.byte_len(encoding);
    check_host(ctx, len)?;
    let mut bytes = vec![0u8; len];
    let n = text.write(encoding, &mut bytes);
    bytes.truncate(n);
    Ok(bytes)
}

// ---- searching ----------------------------------------------------------------

/// Where a search of a needle of `needle` bytes starts in `length` bytes, for
/// a byte offset `offset` (negative: from the end), or -1 for no match: Node's
/// `IndexOfOffset`.
fn start_offset(length: usize, offset: i64, needle: usize, forward: bool) -> i64 {
    let length = length as i64;
    let needle = needle as i64;
    if offset < 0 {
        if offset + length >= 0 {
            length + offset
        } else if forward || needle == 0 {
            0
        } else {
            -1
        }
    } else if offset + needle <= length {
        offset
    } else if needle == 0 {
        length
    } else if forward {
        -1
    } else {
        length - 1
    }
}

/// First match at or after `start`, or last match at or before it.
fn search(haystack: &[u8], needle: &[u8], start: usize, forward: bool) -> Option<usize> {
    if haystack.len() < needle.len() {
        return None;
    }
    if forward {
        memchr::memmem::find(haystack.get(start..)?, needle).map(|i| i + start)
    } else {
        let last = start.min(haystack.len() - needle.len());
        memchr::memmem::rfind(&haystack[..last + needle.len()], needle)
    }
}

/// [`search`] over UTF-16 units: only matches at even byte offsets count.
fn search_units(haystack: &[u8], needle: &[u8], start_unit: usize, forward: bool) -> Option<usize> {
    let haystack = &haystack[..haystack.len() & !1];
    let needle = &needle[..needle.len() & !1];
    if haystack.len() < needle.len() {
        return None;
    }
    let start = start_unit * 2;
    if forward {
        memchr::memmem::find_iter(haystack.get(start..)?, needle)
            .map(|i| i + start)
            .find(|i| i % 2 == 0)
    } else {
        let last = start.min(haystack.len() - needle.len());
        memchr::memmem::rfind_iter(&haystack[..last + needle.len()], needle).find(|i| i % 2 == 0)
    }
}

/// Node's `indexOfString`/`indexOfBuffer`: the byte index of `needle` in
/// `haystack` from `offset`, or -1.
fn index_of(haystack: &[u8], needle: &[u8], offset: i64, ucs2: bool, forward: bool) -> f64 {
    let start = start_offset(haystack.len(), offset, needle.len(), forward);
    if needle.is_empty() {
        return start as f64;
    }
    if haystack.is_empty() || start < 0 {
        return -1.0;
    }
    let start = start as usize;
    if (forward && needle.len() + start > haystack.len()) || needle.len() > haystack.len() {
        return -1.0;
    }
    let found = if ucs2 {
        if haystack.len() < 2 || needle.len() < 2 {
            return -1.0;
        }
        search_units(haystack, needle, start / 2, forward)
    } else {
        search(haystack, needle, start, forward)
    };
    found.map_or(-1.0, |i| i as f64)
}

/// The first (or last) `byte` from `offset`, or -1: Node's `indexOfNumber`.
fn index_of_byte(haystack: &[u8], byte: u8, offset: i64, forward: bool) -> f64 {
    let start = start_offset(haystack.len(), offset, 1, forward);
    if start < 0 || haystack.is_empty() {
        return -1.0;
    }
    let start = (start as usize).min(haystack.len() - 1);
    let found = if forward {
        memchr::memchr(byte, &haystack[start..]).map(|i| i + start)
    } else {
        memchr::memrchr(byte, &haystack[..=start])
    };
    found.map_or(-1.0, |i| i as f64)
}

// ---- the binding ----------------------------------------------------------------

/// -1, 0 or 1 as `a` sorts before, with or after `b` (bytes, then lengths).
fn compare_bytes(a: &[u8], b: &[u8]) -> i32 {
    match a.cmp(b) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

/// Builds the binding object. Stateless: heap images build it once.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> JsResult<Object<'js>> {
    let b = Object::new(ctx.clone())?;

    // slice(view, encoding, start, end) -> string
    b.set(
        "slice",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            let encoding = Encoding::from_id(num(&args, 1));
            let bytes = bytes_arg(&ctx, &args, 0);
            let end = index(&args, 3, bytes.len);
            let start = index(&args, 2, end);
            // SAFETY: no JS runs while the slice is used.
            let bytes = unsafe { bytes.slice() };
            decode(&ctx, &bytes[start..end], encoding)
        })?,
    )?;

    // write(view, string, encoding, offset, length) -> bytes written
    b.set(
        "write",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            let encoding = Encoding::from_id(num(&args, 2));
            let Some(text) = Text::of(&ctx, arg(&args, 1), encoding)? else {
                return Ok(0.0);
            };
            // The view after the string: reading it may allocate.
            let bytes = bytes_arg(&ctx, &args, 0);
            let offset = index(&args, 3, bytes.len);
            let length = index(&args, 4, bytes.len - offset);
            // SAFETY: the only access to the view's memory; no JS runs meanwhile.
            let out = unsafe { &mut bytes.slice_mut()[offset..offset + length] };
            Ok::<_, rquickjs::Error>(text.write(encoding, out) as f64)
        })?,
    )?;

    // fromString(string, encoding) -> ArrayBuffer
    b.set(
        "fromString",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            from_string(&ctx, arg(&args, 0), Encoding::from_id(num(&args, 1)))
        })?,
    )?;

    // byteLengthUtf8(string) -> number
    b.set(
        "byteLengthUtf8",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            Ok::<_, rquickjs::Error>(Utf8::of(&ctx, arg(&args, 0))?.map_or(0.0, |t| t.len as f64))
        })?,
    )?;

    // compare(a, b, aStart, aEnd, bStart, bEnd) -> -1 | 0 | 1
    b.set(
        "compare",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            let a = bytes_arg(&ctx, &args, 0);
            let b = bytes_arg(&ctx, &args, 1);
            let a_end = index(&args, 3, a.len);
            let b_end = index(&args, 5, b.len);
            let a_start = index(&args, 2, a_end);
            let b_start = index(&args, 4, b_end);
            // SAFETY: shared reads only; no JS runs meanwhile.
            let (a, b) = unsafe { (a.slice(), b.slice()) };
            compare_bytes(&a[a_start..a_end], &b[b_start..b_end])
        })?,
    )?;

    // indexOf(view, needle: string | view, encoding, byteOffset, forward) -> index
    b.set(
        "indexOf",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            let encoding = Encoding::from_id(num(&args, 2));
            let offset = num(&args, 3).clamp(-MAX_SAFE, MAX_SAFE) as i64;
            let forward = arg(&args, 4).and_then(Value::as_bool).unwrap_or(true);
            let string = arg(&args, 1).filter(|v| v.is_string());
            let owned = match string {
                Some(_) => Some(pattern(&ctx, string, encoding, true)?),
                None => None,
            };
            // The views after the string: encoding it may allocate.
            // SAFETY: shared reads only; no JS runs meanwhile.
            let needle = match &owned {
                Some(bytes) => bytes.as_slice(),
                None => unsafe { bytes_arg(&ctx, &args, 1).slice() },
            };
            // SAFETY: as above.
            let haystack = unsafe { bytes_arg(&ctx, &args, 0).slice() };
            Ok::<_, rquickjs::Error>(index_of(
                haystack,
                needle,
                offset,
                encoding == Encoding::Ucs2,
                forward,
            ))
        })?,
    )?;

    // indexOfByte(view, byte, byteOffset, forward) -> index
    b.set(
        "indexOfByte",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            let byte = num(&args, 1) as i64 as u8;
            let offset = num(&args, 2).clamp(-MAX_SAFE, MAX_SAFE) as i64;
            let forward = arg(&args, 3).and_then(Value::as_bool).unwrap_or(true);
            // SAFETY: shared reads only; no JS runs meanwhile.
            let haystack = unsafe { bytes_arg(&ctx, &args, 0).slice() };
            index_of_byte(haystack, byte, offset, forward)
        })?,
    )?;

    // fill(view, pattern: string | view, start, end, encoding) -> 0, or -1 for
    // a pattern that makes no bytes, -2 for a range outside the view.
    b.set(
        "fill",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            let encoding = Encoding::from_id(num(&args, 4));
            let value = arg(&args, 1);
            let start = num(&args, 2);
            let end = num(&args, 3);
            let length = match view_of(&ctx, arg(&args, 0)) {
                View::Bytes(bytes) => bytes.len,
                _ => 0,
            };
            if start < 0.0 || start > end || end > length as f64 {
                return Ok(-2);
            }
            let (start, end) = (start as usize, end as usize);
            let fill_len = end - start;
            // A string's bytes as `buf.write` makes them (as many as fit), a
            // view's as they are.
            let mut bytes = if value.is_some_and(Value::is_string) {
                pattern(&ctx, value, encoding, false)?
            } else {
                // SAFETY: copied out before any other access.
                let source = unsafe { bytes_arg(&ctx, &args, 1).slice() };
                source[..source.len().min(fill_len)].to_vec()
            };
            bytes.truncate(fill_len);
            if bytes.is_empty() {
                return Ok(if fill_len == 0 { 0 } else { -1 });
            }
            // Taken again: encoding the pattern allocated in the engine heap.
            let target = match view_of(&ctx, arg(&args, 0)) {
                View::Bytes(target) if target.len >= end => target,
                _ => return Ok(-2),
            };
            // SAFETY: the only access to the view's memory; no JS runs meanwhile.
            let target = unsafe { &mut target.slice_mut()[start..end] };
            let mut filled = bytes.len();
            target[..filled].copy_from_slice(&bytes);
            while filled < target.len() {
                let n = filled.min(target.len() - filled);
                target.copy_within(..n, filled);
                filled += n;
            }
            Ok::<_, rquickjs::Error>(0)
        })?,
    )?;

    // copy(source, target, targetStart, sourceStart, count) -> bytes copied
    b.set(
        "copy",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            let source = bytes_arg(&ctx, &args, 0);
            let target = bytes_arg(&ctx, &args, 1);
            let target_start = index(&args, 2, target.len);
            let source_start = index(&args, 3, source.len);
            let count = index(
                &args,
                4,
                (source.len - source_start).min(target.len - target_start),
            );
            // SAFETY: both ranges lie inside their views; the views may share
            // memory, so the copy is a memmove.
            unsafe {
                std::ptr::copy(
                    source.ptr.as_ptr().add(source_start),
                    target.ptr.as_ptr().add(target_start),
                    count,
                );
            }
            count as f64
        })?,
    )?;

    // swap(view, size): reverses the byte order of each `size`-byte group.
    b.set(
        "swap",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            let size = (num(&args, 1) as usize).clamp(1, 8);
            // SAFETY: the only access to the view's memory; no JS runs meanwhile.
            let bytes = unsafe { bytes_arg(&ctx, &args, 0).slice_mut() };
            for group in bytes.chunks_exact_mut(size) {
                group.reverse();
            }
        })?,
    )?;

    // isUtf8(view) / isAscii(view) -> 1 | 0, or -1 for a detached view
    b.set(
        "isUtf8",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            match view_of(&ctx, arg(&args, 0)) {
                // SAFETY: shared reads only; no JS runs meanwhile.
                View::Bytes(bytes) => {
                    i32::from(std::str::from_utf8(unsafe { bytes.slice() }).is_ok())
                }
                View::Detached => -1,
                View::None => 0,
            }
        })?,
    )?;
    b.set(
        "isAscii",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
            match view_of(&ctx, arg(&args, 0)) {
                // SAFETY: shared reads only; no JS runs meanwhile.
                View::Bytes(bytes) => i32::from(unsafe { bytes.slice() }.is_ascii()),
                View::Detached => -1,
                View::None => 0,
            }
        })?,
    )?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_offsets_follow_node() {
        assert_eq!(start_offset(6, -1, 1, true), 5);
        assert_eq!(start_offset(6, -100, 1, true), 0);
        assert_eq!(start_offset(6, -100, 1, false), -1);
        assert_eq!(start_offset(6, -100, 0, false), 0);
        assert_eq!(start_offset(6, 100, 0, true), 6);
        assert_eq!(start_offset(6, 100, 1, true), -1);
        assert_eq!(start_offset(6, 100, 1, false), 5);
    }

    #[test]
    fn searches_both_ways() {
        let hay = b"abcabc";
        assert_eq!(index_of(hay, b"b", 0, false, true), 1.0);
        assert_eq!(index_of(hay, b"b", 2, false, true), 4.0);
        assert_eq!(index_of(hay, b"b", 6, false, false), 4.0);
        assert_eq!(index_of(hay, b"b", 3, false, false), 1.0);
        assert_eq!(index_of(hay, b"b", 0, false, false), -1.0);
        assert_eq!(index_of(hay, b"", 3, false, true), 3.0);
        assert_eq!(index_of(hay, b"bc", 0, true, true), 4.0);
        assert_eq!(index_of_byte(hay, b'c', -1, true), 5.0);
        assert_eq!(index_of_byte(hay, b'c', 4, false), 2.0);
        assert_eq!(index_of_byte(b"", b'c', 0, true), -1.0);
    }

    #[test]
    fn utf8_prefixes_keep_whole_characters() {
        let euro = "a€b".as_bytes();
        assert_eq!(utf8_prefix(euro, 10), 5);
        assert_eq!(utf8_prefix(euro, 3), 1);
        assert_eq!(utf8_prefix(euro, 4), 4);
        assert_eq!(utf8_prefix(euro, 0), 0);
        let mut lone = vec![b'a', 0xed, 0xa0, 0x80, 0xed, 0x9f, 0xbf];
        replace_lone_surrogates(&mut lone);
        assert_eq!(lone, [b'a', 0xef, 0xbf, 0xbd, 0xed, 0x9f, 0xbf]);
    }

    /// Every function of the raw binding, called with every kind of argument
    /// a hostile caller could pass: results or exceptions, never a panic, a
    /// read or write outside a view, or a huge allocation.
    #[test]
    fn the_raw_binding_survives_any_arguments() {
        use rquickjs::function::Args;

        let rt = crate::open(crate::Options::new().memory_limit(64 << 20)).unwrap();
        rt.with(|ctx: Ctx<'_>| {
            let values: Vec<Value> = ctx
                .eval(
                    "(() => { const detached = new Uint8Array(8); detached.buffer.transfer();
                      const rab = new ArrayBuffer(8, { maxByteLength: 16 }); const oob = new Uint8Array(rab, 4, 4); rab.resize(2);
                      return [undefined, null, true, -1, 0, 1, 2.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 60), 2 ** 31,
                        '', 'abc', '\\ud800\\u00e9\\u20ac', 'YWJj==', 'zz', {}, [], 5n, Symbol('s'), () => 1,
                        new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint16Array([0x4142, 0xd800]),
                        new Float64Array(2), new Uint8Array(new ArrayBuffer(9), 1, 7), new ArrayBuffer(4),
                        new DataView(new ArrayBuffer(2)), detached, oob]; })()",
                )
                .unwrap();
            let binding = binding(&ctx).unwrap();
            let names = ["slice", "write", "fromString", "byteLengthUtf8", "compare", "indexOf", "indexOfByte",
                "fill", "copy", "swap", "isUtf8", "isAscii"];
            let mut calls = 0;
            for name in names {
                let function: Function = binding.get(name).unwrap();
                // Each value in each position, with the others taken in turn.
                for (i, first) in values.iter().enumerate() {
                    for arity in 0..6 {
                        let mut args = Args::new(ctx.clone(), arity);
                        for position in 0..arity {
                            let value = if position % 2 == 0 {
                                first.clone()
                            } else {
                                values[(i * 7 + position) % values.len()].clone()
                            };
                            args.push_arg(value).unwrap();
                        }
                        if args.apply::<Value>(&function).is_err() {
                            drop(ctx.catch());
                        }
                        calls += 1;
                    }
                }
            }
            assert!(calls > 1000);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn base64_lengths() {
        assert_eq!(base64_decoded_len(0), 0);
        assert_eq!(base64_decoded_len(2), 1);
        assert_eq!(base64_decoded_len(3), 2);
        assert_eq!(base64_decoded_len(4), 3);
        assert_eq!(base64_decoded_len(7), 5);
    }
}
