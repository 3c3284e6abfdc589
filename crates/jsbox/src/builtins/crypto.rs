//! The native side of `crypto` (js/prelude/crypto.js): hashes, HMACs,
//! PBKDF2, scrypt and OS randomness, with RustCrypto and `getrandom`.
//!
//! A hash object in JS holds an integer handle into a per-runtime table
//! (in [`RuntimeState`]): the functions here capture nothing, so the binding
//! is stateless and heap images keep it. Every runtime reads its random
//! bytes from the OS, so runtimes restored from one image never repeat
//! each other. Sizes from JS are checked again here; nothing panics.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use rquickjs::function::Rest;
use rquickjs::{qjs, ArrayBuffer, Ctx, Exception, Function, Object, Result as JsResult, Value};
use sha2::digest::DynDigest;

use crate::runtime::RuntimeState;

/// A hash state that can be cloned (`Hash.copy()`) and sent with its runtime.
pub(crate) trait Hasher: DynDigest + Send {
    fn clone_hasher(&self) -> Box<dyn Hasher>;
}

impl<T: DynDigest + Clone + Send + 'static> Hasher for T {
    fn clone_hasher(&self) -> Box<dyn Hasher> {
        Box::new(self.clone())
    }
}

/// One live `Hash` or `Hmac`.
enum Entry {
    Hash(Box<dyn Hasher>),
    /// The inner hash (fed `key ^ ipad`, then the data) and the outer one
    /// (fed `key ^ opad`), as RFC 2104.
    Hmac(Box<dyn Hasher>, Box<dyn Hasher>),
}

impl Entry {
    fn clone_entry(&self) -> Entry {
        match self {
            Entry::Hash(h) => Entry::Hash(h.clone_hasher()),
            Entry::Hmac(i, o) => Entry::Hmac(i.clone_hasher(), o.clone_hasher()),
        }
    }
}

/// Most hash states a runtime may hold at once: each is a few hundred bytes
/// of host memory outside the runtime's heap limit (the states of collected
/// Hash objects are freed by a FinalizationRegistry, on a later turn).
const MAX_LIVE: usize = 1 << 15;

/// Handles are unique in the process, not only in a runtime: a Hash kept in
/// a heap image (made by a preload) holds a handle that no runtime restored
/// from the image ever gives out, so it can never reach another state.
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

/// The hash states of one runtime, by handle.
#[derive(Default)]
pub(crate) struct Table {
    entries: HashMap<u64, Entry>,
}

impl Table {
    fn insert(&mut self, entry: Entry) -> Option<f64> {
        if self.entries.len() >= MAX_LIVE {
            return None;
        }
        // 2^53 handles: far more than a process can make.
        let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed) & ((1 << 53) - 1);
        self.entries.insert(handle, entry);
        Some(handle as f64)
    }
}

/// Makes a fresh hash state.
type MakeHasher = fn() -> Box<dyn Hasher>;

/// A digest's constructor and block size (for HMAC) by Node's name for it
/// (any case, `RSA-` and `SHA-` spellings accepted as OpenSSL does).
fn algorithm(name: &str) -> Option<(MakeHasher, usize)> {
    let name = algorithm_name(name);
    fn make<D: Hasher + Default + 'static>() -> Box<dyn Hasher> {
        Box::new(D::default())
    }
    Some(match name.as_str() {
        "md5" => (make::<md5::Md5>, 64),
        "sha1" => (make::<sha1::Sha1>, 64),
        "sha224" => (make::<sha2::Sha224>, 64),
        "sha256" => (make::<sha2::Sha256>, 64),
        "sha384" => (make::<sha2::Sha384>, 128),
        "sha512" => (make::<sha2::Sha512>, 128),
        "sha512-224" => (make::<sha2::Sha512_224>, 128),
        "sha512-256" => (make::<sha2::Sha512_256>, 128),
        "sha3-224" => (make::<sha3::Sha3_224>, 144),
        "sha3-256" => (make::<sha3::Sha3_256>, 136),
        "sha3-384" => (make::<sha3::Sha3_384>, 104),
        "sha3-512" => (make::<sha3::Sha3_512>, 72),
        _ => return None,
    })
}

/// The names `getHashes()` lists.
const HASHES: [&str; 17] = [
    "RSA-MD5",
    "RSA-SHA1",
    "RSA-SHA224",
    "RSA-SHA256",
    "RSA-SHA384",
    "RSA-SHA512",
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "sha384",
    "sha512",
    "sha512-256",
];

fn arg<'a, 'js>(args: &'a Rest<Value<'js>>, index: usize) -> Option<&'a Value<'js>> {
    args.0.get(index)
}

/// The string argument at `index`, or `""` when it is not a string.
fn text(args: &Rest<Value<'_>>, index: usize) -> JsResult<String> {
    Ok(arg(args, index)
        .and_then(Value::as_string)
        .map(|s| s.to_string())
        .transpose()?
        .unwrap_or_default())
}

fn num(args: &Rest<Value<'_>>, index: usize) -> f64 {
    arg(args, index)
        .and_then(|v| v.as_number())
        .unwrap_or(f64::NAN)
}

fn handle(args: &Rest<Value<'_>>) -> u64 {
    let handle = num(args, 0);
    if handle >= 1.0 && handle.fract() == 0.0 && handle < (1u64 << 53) as f64 {
        handle as u64
    } else {
        0
    }
}

fn type_error(ctx: &Ctx<'_>, message: &str) -> rquickjs::Error {
    Exception::throw_type(ctx, message)
}

fn out_of_memory(ctx: &Ctx<'_>) -> rquickjs::Error {
    // SAFETY: throws the engine's own out-of-memory error.
    unsafe { qjs::JS_ThrowOutOfMemory(ctx.as_raw().as_ptr()) };
    rquickjs::Error::Exception
}

/// The bytes of a Uint8Array argument (the JS side turns every other kind
/// of input into one), or of a string as UTF-8.
enum Input<'js> {
    View(rquickjs::TypedArray<'js, u8>),
    Text(String),
}

impl Input<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            // SAFETY: no JavaScript runs while the slice is in use, so the
            // buffer can be neither detached nor resized under it.
            Input::View(view) => unsafe { view.as_bytes() }.unwrap_or(&[]),
            Input::Text(text) => text.as_bytes(),
        }
    }
}

fn input<'js>(ctx: &Ctx<'js>, value: Option<&Value<'js>>) -> JsResult<Input<'js>> {
    let Some(value) = value else {
        return Err(type_error(ctx, "expected bytes"));
    };
    if let Some(text) = value.as_string() {
        return Ok(Input::Text(text.to_string()?));
    }
    match rquickjs::TypedArray::<u8>::from_value(value.clone()) {
        Ok(view) => Ok(Input::View(view)),
        Err(_) => Err(type_error(ctx, "expected a Uint8Array")),
    }
}

/// A new ArrayBuffer holding `len` bytes filled by `fill`, checked against
/// the runtime's heap limit and allocated without aborting.
fn output<'js, E>(
    ctx: &Ctx<'js>,
    len: usize,
    fill: impl FnOnce(&mut [u8]) -> Result<(), E>,
) -> JsResult<Option<ArrayBuffer<'js>>> {
    if let Some(limit) = RuntimeState::of(ctx).memory_limit {
        if len > limit {
            return Err(out_of_memory(ctx));
        }
    }
    let mut bytes = Vec::new();
    if bytes.try_reserve_exact(len).is_err() {
        return Err(out_of_memory(ctx));
    }
    bytes.resize(len, 0);
    if fill(&mut bytes).is_err() {
        return Ok(None);
    }
    ArrayBuffer::new_copy(ctx.clone(), &bytes).map(Some)
}

fn new_entry(ctx: &Ctx<'_>, entry: Entry) -> JsResult<f64> {
    let state = RuntimeState::of(ctx);
    let inserted = state.crypto_table().insert(entry);
    inserted.ok_or_else(|| {
        Exception::throw_range(
            ctx,
            "Too many Hash and Hmac objects in use: call digest() on the ones you are done with",
        )
    })
}

/// `hashNew(name)`: a handle, or 0 for an unknown algorithm.
fn hash_new(ctx: Ctx<'_>, args: Rest<Value<'_>>) -> JsResult<f64> {
    let name = text(&args, 0)?;
    let Some((make, _)) = algorithm(&name) else {
        return Ok(0.0);
    };
    new_entry(&ctx, Entry::Hash(make()))
}

/// `hmacNew(name, key)`: a handle, or 0 for an unknown algorithm.
fn hmac_new<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<f64> {
    let name = text(&args, 0)?;
    let Some((make, block)) = algorithm(&name) else {
        return Ok(0.0);
    };
    let key = input(&ctx, arg(&args, 1))?;
    let mut padded = vec![0u8; block];
    let key = key.bytes();
    if key.len() > block {
        let mut hasher = make();
        hasher.update(key);
        let digest = hasher.finalize_reset();
        padded[..digest.len()].copy_from_slice(&digest);
    } else {
        padded[..key.len()].copy_from_slice(key);
    }
    let mut inner = make();
    let mut outer = make();
    inner.update(&padded.iter().map(|b| b ^ 0x36).collect::<Vec<_>>());
    outer.update(&padded.iter().map(|b| b ^ 0x5c).collect::<Vec<_>>());
    new_entry(&ctx, Entry::Hmac(inner, outer))
}

/// `update(handle, bytes)`: false if the handle is not live.
fn update<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<bool> {
    let data = input(&ctx, arg(&args, 1))?;
    let state = RuntimeState::of(&ctx);
    let mut table = state.crypto_table();
    Ok(match table.entries.get_mut(&handle(&args)) {
        Some(Entry::Hash(h)) | Some(Entry::Hmac(h, _)) => {
            h.update(data.bytes());
            true
        }
        None => false,
    })
}

/// `digest(handle)`: the digest as an ArrayBuffer (the handle is freed), or
/// undefined if the handle is not live.
fn digest<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<Option<ArrayBuffer<'js>>> {
    let entry = RuntimeState::of(&ctx)
        .crypto_table()
        .entries
        .remove(&handle(&args));
    let bytes = match entry {
        Some(Entry::Hash(mut h)) => h.finalize_reset().into_vec(),
        Some(Entry::Hmac(mut inner, mut outer)) => {
            outer.update(&inner.finalize_reset());
            outer.finalize_reset().into_vec()
        }
        None => return Ok(None),
    };
    ArrayBuffer::new_copy(ctx, &bytes).map(Some)
}

/// `copy(handle)`: a new handle to a copy of the state, or 0.
fn copy(ctx: Ctx<'_>, args: Rest<Value<'_>>) -> JsResult<f64> {
    let copied = RuntimeState::of(&ctx)
        .crypto_table()
        .entries
        .get(&handle(&args))
        .map(Entry::clone_entry);
    match copied {
        Some(entry) => new_entry(&ctx, entry),
        None => Ok(0.0),
    }
}

/// `free(handle)`: drops a state that will never be digested.
fn free(ctx: Ctx<'_>, args: Rest<Value<'_>>) {
    RuntimeState::of(&ctx)
        .crypto_table()
        .entries
        .remove(&handle(&args));
}

/// `hash(name, bytes)`: a one-shot digest, or undefined for an unknown name.
fn one_shot<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<Option<ArrayBuffer<'js>>> {
    let name = text(&args, 0)?;
    let Some((make, _)) = algorithm(&name) else {
        return Ok(None);
    };
    let data = input(&ctx, arg(&args, 1))?;
    let mut hasher = make();
    hasher.update(data.bytes());
    ArrayBuffer::new_copy(ctx, hasher.finalize_reset()).map(Some)
}

/// `randomFill(u8array, offset, size)`: OS randomness into the bytes at
/// `offset..offset + size` (checked again here).
fn random_fill<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<()> {
    let view = match arg(&args, 0).map(|v| rquickjs::TypedArray::<u8>::from_value(v.clone())) {
        Some(Ok(view)) => view,
        _ => return Err(type_error(&ctx, "expected a Uint8Array")),
    };
    let (offset, size) = (num(&args, 1), num(&args, 2));
    let raw = view.as_raw();
    let Some(raw) = raw else {
        return Err(type_error(&ctx, "detached buffer"));
    };
    let len = raw.len();
    if !(offset >= 0.0 && size >= 0.0 && offset + size <= len as f64) {
        return Err(Exception::throw_range(&ctx, "offset or size out of range"));
    }
    let (offset, size) = (offset as usize, size as usize);
    // SAFETY: the view is live and holds `len` bytes; nothing else runs while
    // this slice is in use.
    let bytes = unsafe { std::slice::from_raw_parts_mut(raw.as_ptr() as *mut u8, len) };
    fill_random(&ctx, &mut bytes[offset..offset + size])
}

fn fill_random(ctx: &Ctx<'_>, bytes: &mut [u8]) -> JsResult<()> {
    getrandom::fill(bytes)
        .map_err(|e| Exception::throw_internal(ctx, &format!("no randomness from the OS: {e}")))
}

/// `pbkdf2(password, salt, iterations, keylen, digest)`: the key, or
/// undefined for an unknown digest.
fn pbkdf2<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<Option<ArrayBuffer<'js>>> {
    let password = input(&ctx, arg(&args, 0))?;
    let salt = input(&ctx, arg(&args, 1))?;
    let (iterations, keylen) = (num(&args, 2), num(&args, 3));
    if !(iterations >= 1.0 && iterations <= i32::MAX as f64 && keylen >= 0.0)
        || keylen > i32::MAX as f64
    {
        return Err(Exception::throw_range(
            &ctx,
            "iterations or keylen out of range",
        ));
    }
    let name = text(&args, 4)?;
    let (password, salt, rounds) = (password.bytes(), salt.bytes(), iterations as u32);
    macro_rules! derive {
        ($d:ty) => {
            output(&ctx, keylen as usize, |out| {
                pbkdf2::pbkdf2_hmac::<$d>(password, salt, rounds, out);
                Ok::<(), ()>(())
            })
        };
    }
    let Some(_) = algorithm(&name) else {
        return Ok(None);
    };
    let name = algorithm_name(&name);
    match name.as_str() {
        "md5" => derive!(md5::Md5),
        "sha1" => derive!(sha1::Sha1),
        "sha224" => derive!(sha2::Sha224),
        "sha256" => derive!(sha2::Sha256),
        "sha384" => derive!(sha2::Sha384),
        "sha512" => derive!(sha2::Sha512),
        "sha512-224" => derive!(sha2::Sha512_224),
        "sha512-256" => derive!(sha2::Sha512_256),
        "sha3-224" => derive!(sha3::Sha3_224),
        "sha3-256" => derive!(sha3::Sha3_256),
        "sha3-384" => derive!(sha3::Sha3_384),
        "sha3-512" => derive!(sha3::Sha3_512),
        _ => Ok(None),
    }
}

/// The canonical lower-case name of a known algorithm.
fn algorithm_name(name: &str) -> String {
    let mut name = name.to_ascii_lowercase();
    if let Some(rest) = name.strip_prefix("rsa-") {
        name = rest.to_string();
    }
    if let Some(rest) = name.strip_prefix("sha-") {
        if rest.bytes().all(|b| b.is_ascii_digit()) {
            name = format!("sha{rest}");
        }
    }
    name
}

/// The most host memory scrypt may use whatever `maxmem` says (its blocks
/// are allocated at once, and an allocation that fails would abort).
const MAX_SCRYPT_MEMORY: f64 = (1u64 << 31) as f64;

/// What OpenSSL's scrypt refuses: `Some("")` for bad parameters,
/// `Some("memory limit exceeded")` above `maxmem` (or the runtime's heap
/// limit), `None` if they are fine.
fn scrypt_refusal(
    n: f64,
    r: f64,
    p: f64,
    maxmem: f64,
    heap: Option<usize>,
) -> Option<&'static str> {
    let ok_int = |v: f64| v.fract() == 0.0 && v >= 1.0 && v <= u32::MAX as f64;
    if !(ok_int(n) && ok_int(r) && ok_int(p)) || n < 2.0 || (n as u64) & (n as u64 - 1) != 0 {
        return Some("");
    }
    let (n, r, p) = (n as u64, r as u64, p as u64);
    // OpenSSL: p * r < 2^30, and N < 2^(128 * r / 8).
    if p * r >= 1 << 30 || (16 * r < 64 && n >= 1u64 << (16 * r)) {
        return Some("");
    }
    let blen = p * 128 * r;
    let vlen = 128 * r * (n + 2);
    let need = (blen + vlen) as f64;
    if need > maxmem || need > MAX_SCRYPT_MEMORY || heap.is_some_and(|limit| need > limit as f64) {
        return Some("memory limit exceeded");
    }
    None
}

/// `scryptCheck(N, r, p, maxmem)`: undefined, or why OpenSSL would refuse.
fn scrypt_check(ctx: Ctx<'_>, args: Rest<Value<'_>>) -> Option<&'static str> {
    let heap = RuntimeState::of(&ctx).memory_limit;
    scrypt_refusal(
        num(&args, 0),
        num(&args, 1),
        num(&args, 2),
        num(&args, 3),
        heap,
    )
}

/// `scrypt(password, salt, keylen, N, r, p, maxmem)`: the key (parameters
/// checked as `scryptCheck` does).
fn scrypt<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<ArrayBuffer<'js>> {
    let password = input(&ctx, arg(&args, 0))?;
    let salt = input(&ctx, arg(&args, 1))?;
    let keylen = num(&args, 2);
    let (n, r, p, maxmem) = (num(&args, 3), num(&args, 4), num(&args, 5), num(&args, 6));
    let heap = RuntimeState::of(&ctx).memory_limit;
    let keylen_ok = (0.0..=i32::MAX as f64).contains(&keylen);
    if scrypt_refusal(n, r, p, maxmem, heap).is_some() || !keylen_ok {
        return Err(Exception::throw_range(&ctx, "Invalid scrypt params"));
    }
    let log_n = (n as u64).trailing_zeros() as u8;
    let Ok(params) = scrypt::Params::new(log_n, r as u32, p as u32, 32) else {
        return Err(Exception::throw_range(&ctx, "Invalid scrypt params"));
    };
    let (password, salt) = (password.bytes(), salt.bytes());
    let key = output(&ctx, keylen as usize, |out| {
        if out.is_empty() {
            return Ok(());
        }
        scrypt::scrypt(password, salt, &params, out)
    })?;
    match key {
        Some(key) => Ok(key),
        None => Err(Exception::throw_range(&ctx, "Invalid scrypt params")),
    }
}

/// `timingSafeEqual(a, b)` on two Uint8Arrays of one length.
fn timing_safe_equal<'js>(ctx: Ctx<'js>, args: Rest<Value<'js>>) -> JsResult<bool> {
    let a = input(&ctx, arg(&args, 0))?;
    let b = input(&ctx, arg(&args, 1))?;
    let (a, b) = (a.bytes(), b.bytes());
    if a.len() != b.len() {
        return Ok(false);
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    Ok(std::hint::black_box(diff) == 0)
}

pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> JsResult<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    b.set("hashNew", Function::new(ctx.clone(), hash_new)?)?;
    b.set("hmacNew", Function::new(ctx.clone(), hmac_new)?)?;
    b.set("update", Function::new(ctx.clone(), update)?)?;
    b.set("digest", Function::new(ctx.clone(), digest)?)?;
    b.set("copy", Function::new(ctx.clone(), copy)?)?;
    b.set("free", Function::new(ctx.clone(), free)?)?;
    b.set("hash", Function::new(ctx.clone(), one_shot)?)?;
    b.set("randomFill", Function::new(ctx.clone(), random_fill)?)?;
    b.set("pbkdf2", Function::new(ctx.clone(), pbkdf2)?)?;
    b.set("scryptCheck", Function::new(ctx.clone(), scrypt_check)?)?;
    b.set("scrypt", Function::new(ctx.clone(), scrypt)?)?;
    b.set(
        "timingSafeEqual",
        Function::new(ctx.clone(), timing_safe_equal)?,
    )?;
    let hashes = rquickjs::Array::new(ctx.clone())?;
    for (i, name) in HASHES.iter().enumerate() {
        hashes.set(i, *name)?;
    }
    b.set("hashes", hashes)?;
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrypt_limits_follow_openssl() {
        let mib32 = 32.0 * 1024.0 * 1024.0;
        assert_eq!(scrypt_refusal(16384.0, 8.0, 1.0, mib32, None), None);
        assert_eq!(scrypt_refusal(3.0, 8.0, 1.0, mib32, None), Some(""));
        assert_eq!(scrypt_refusal(1.0, 8.0, 1.0, mib32, None), Some(""));
        assert_eq!(
            scrypt_refusal((1u64 << 20) as f64, 8.0, 1.0, mib32, None),
            Some("memory limit exceeded")
        );
        assert_eq!(
            scrypt_refusal(16384.0, 8.0, 1.0, mib32, Some(1 << 20)),
            Some("memory limit exceeded")
        );
        assert_eq!(scrypt_refusal(f64::NAN, 8.0, 1.0, mib32, None), Some(""));
        // The host cap holds whatever maxmem says.
        assert_eq!(
            scrypt_refusal((1u64 << 22) as f64, 8.0, 1.0, 2f64.powi(40), None),
            Some("memory limit exceeded")
        );
    }

    #[test]
    fn names() {
        assert!(algorithm("SHA-256").is_some());
        assert!(algorithm("RSA-SHA512").is_some());
        assert!(algorithm("sha512-256").is_some());
        assert!(algorithm("ripemd160").is_none());
        assert_eq!(algorithm_name("SHA-1"), "sha1");
    }
}
