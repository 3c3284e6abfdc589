//! `zlib` checked against Node itself: `fixtures/zlib/main.js` prints one
//! check per line (round trips, Node-made compressed data, errors, options,
//! callback forms) and `expected.txt` is what Node 20 printed for it
//! (regenerate with `sh fixtures/zlib/gen_expected.sh`).

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{Factory, Options};
use node_fixture::NodeFixture;

#[test]
fn zlib_matches_node() {
    NodeFixture::new("zlib").check(Options::new(), "main.js");
}

#[test]
fn zlib_matches_node_in_heap_image_runtimes_too() {
    NodeFixture::new("zlib").check_in_heap_images("main.js");
}

fn eval_string(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

/// 256 MiB of zeros, brotli-compressed by Node to 405 bytes.
const BROTLI_BOMB: &str = "y///PwAkAOKxQHLv//j//weABEAcFoDu/R////8AkACIwwLQvf/j//8fABIAcVgAuvd//P//A0ACIA4LQPf+j///fwBIAMRhAeje//H//w8ACYA4LADd+z/+//8BIAEQhwWge//H//8/ACQA4rAAdO//+P//B4AEQBwWgO79H////wCQAIjDAtC9/+P//x8AEgBxWAC693/8//8DQAIgDgtA9/6P//9/AEgAxGEB6N7/8f//DwAJgDgsAN37P/7//wEgARCHBaB7/8f//z8AJADisAB07//4//8HgARAHBaA7v0f////AJAAiMMC0L3/4///HwASAHFYALr3f/z//wNAAiAOC0D3/o///38ASADEYQHo3v/x//8PAAmAOCwA3fs//v//ASABEIcFoHv/x///PwAkAOKwAHTv//j//weABEAcFoDu/R////8AkACIwwLQvf/j//8fABIAcVgAuvd//P//A0ACIA4LQPf+j///fwBIAMRhAeje//H//w8ACYA4LADd+7/8//8DIAEQhwWge/8H";

#[test]
fn a_decompression_bomb_under_a_memory_limit_fails_cleanly() {
    let rt = Factory::new(Options::new().memory_limit(16 << 20))
        .unwrap()
        .new_runtime()
        .unwrap();
    // 64 gzip members of 4 MiB of zeros each (4 KiB apiece): 256 MiB out.
    let outcome: String = rt
        .eval(
            format!(
                "const zlib = require('zlib'); \
             const gz = zlib.gzipSync(Buffer.alloc(4 << 20)); \
             const gzBomb = Buffer.concat(Array(64).fill(gz)); \
             const brBomb = Buffer.from('{BROTLI_BOMB}', 'base64'); \
             const out = []; \
             for (const f of [ \
               () => zlib.gunzipSync(gzBomb), \
               () => zlib.unzipSync(gzBomb), \
               () => zlib.brotliDecompressSync(brBomb), \
               () => zlib.gunzipSync(gzBomb, {{ maxOutputLength: 2 ** 32 }}), \
             ]) {{ \
               try {{ out.push('ok ' + f().length); }} \
               catch (e) {{ out.push(e.name + ' ' + e.code + ' ' + e.message); }} \
             }} \
             out.join('\\n')"
            )
            .as_str(),
        )
        .unwrap();
    for line in outcome.lines() {
        assert_eq!(
            line,
            format!(
                "RangeError ERR_BUFFER_TOO_LARGE Cannot create a Buffer larger than {} bytes",
                16 << 20
            ),
            "{outcome}"
        );
    }
    assert_eq!(outcome.lines().count(), 4);
    // The runtime is still usable afterwards.
    assert_eq!(
        rt.eval::<String>("zlib.gunzipSync(zlib.gzipSync('fine')).toString()")
            .unwrap(),
        "fine"
    );
}

/// 48 MiB of zeros, brotli-compressed by Node.
const SMALLER_BROTLI_BOMB: &str = "y///PwAkAOKxQHLv//j//weABEAcFoDu/R////8AkACIwwLQvf/j//8fABIAcVgAuvd//P//A0ACIA4LQPf+L////wBIAMRhAeje/wE=";

#[test]
fn a_bomb_streams_through_in_bounded_memory() {
    // 48 MiB through createGunzip and createBrotliDecompress under a 16 MiB
    // heap: the output comes out in chunkSize pieces, a bounded amount per
    // turn, so a consumer that reads as it goes gets all of it.
    let rt = Factory::new(Options::new().memory_limit(16 << 20))
        .unwrap()
        .new_runtime()
        .unwrap();
    rt.eval::<()>(
        format!(
            "const zlib = require('zlib'); \
             const gz = zlib.gzipSync(Buffer.alloc(4 << 20)); \
             const gzBomb = Buffer.concat(Array(12).fill(gz)); \
             const brBomb = Buffer.from('{SMALLER_BROTLI_BOMB}', 'base64'); \
             globalThis.results = []; \
             for (const [make, input] of [[zlib.createGunzip, gzBomb], [zlib.createBrotliDecompress, brBomb]]) {{ \
               const stream = make(); let total = 0, biggest = 0; \
               stream.on('data', (c) => {{ total += c.length; biggest = Math.max(biggest, c.length); }}); \
               stream.on('end', () => results.push(total + ' ' + biggest)); \
               stream.on('error', (e) => results.push(e.code)); \
               stream.end(input); \
             }}"
        )
        .as_str(),
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    let results: String = rt.eval("results.sort().join()").unwrap();
    assert_eq!(results, "50331648 16384,50331648 16384");
}

#[test]
fn the_bomb_inflates_without_a_limit_and_with_maxoutputlength_fails() {
    let rt = Factory::new(Options::new()).unwrap().new_runtime().unwrap();
    let outcome: String = rt
        .eval(
            format!(
                "const zlib = require('zlib'); \
             const brBomb = Buffer.from('{SMALLER_BROTLI_BOMB}', 'base64'); \
             const a = zlib.brotliDecompressSync(brBomb).length; \
             let b; try {{ zlib.brotliDecompressSync(brBomb, {{ maxOutputLength: 1000 }}); }} \
             catch (e) {{ b = e.code + ' ' + e.message; }} \
             a + ' ' + b"
            )
            .as_str(),
        )
        .unwrap();
    assert_eq!(
        outcome,
        "50331648 ERR_BUFFER_TOO_LARGE Cannot create a Buffer larger than 1000 bytes"
    );
}

#[test]
fn engines_are_limited_by_the_memory_limit_but_waiting_callbacks_hold_none() {
    let rt = Factory::new(Options::new().memory_limit(16 << 20))
        .unwrap()
        .new_runtime()
        .unwrap();
    // Ten callback calls at once: each engine is made when its turn comes.
    rt.eval::<()>(
        "const zlib = require('zlib'); globalThis.got = []; \
         for (let i = 0; i < 10; i++) zlib.brotliCompress('text ' + i, (err, packed) => \
           got.push(err ? err.message : zlib.brotliDecompressSync(packed).toString()));",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    let got: String = rt.eval("got.sort().join()").unwrap();
    assert_eq!(
        got,
        "text 0,text 1,text 2,text 3,text 4,text 5,text 6,text 7,text 8,text 9"
    );
    // Live streams are counted: a runtime cannot hold more compressors than
    // their (estimated) memory allows, and ending some makes room.
    let outcome: String = rt
        .eval(
            "const live = []; let refused; \
             try { for (let i = 0; i < 100; i++) live.push(zlib.createBrotliCompress()); } \
             catch (e) { refused = e.name + ' ' + live.length; } \
             for (const s of live) s.destroy(); \
             refused + ' ' + (zlib.createBrotliCompress() ? 'room again' : '')",
        )
        .unwrap();
    assert_eq!(outcome, "RangeError 1 room again");
}

#[test]
fn the_module_follows_the_policy() {
    let source = "try { require('zlib'); 'loaded' } catch (e) { e.code }";
    assert_eq!(
        eval_string(Options::new().deny_modules(["zlib"]), source),
        "ERR_ACCESS_DENIED"
    );
    assert_eq!(
        eval_string(Options::new().allow_modules(["zlib"]), source),
        "loaded"
    );
    // The stream forms are built on `stream`, which the policy must allow too.
    let streams = "const zlib = require('zlib'); \
                   const sync = zlib.gunzipSync(zlib.gzipSync('x')).toString(); \
                   let made; try { zlib.createGzip(); made = 'made'; } catch (e) { made = e.code; } \
                   sync + ' ' + made";
    assert_eq!(
        eval_string(Options::new().allow_modules(["zlib"]), streams),
        "x ERR_ACCESS_DENIED"
    );
    assert_eq!(
        eval_string(
            Options::new().allow_modules([
                "zlib",
                "stream",
                "events",
                "string_decoder",
                "buffer",
                "util"
            ]),
            streams
        ),
        "x made"
    );
}

#[test]
fn hostile_calls_into_the_binding_do_not_crash() {
    // Streams' handles freed twice, options changed by getters, views over
    // detached buffers: errors, never a crash.
    let source = "const zlib = require('zlib'); const out = []; \
        const attempt = (f) => { try { out.push(String(f())); } catch (e) { out.push(e.code || e.name); } }; \
        const ab = new ArrayBuffer(8); const view = new Uint8Array(ab); structuredClone(ab, { transfer: [ab] }); \
        attempt(() => zlib.inflateSync(view)); \
        attempt(() => zlib.gzipSync(view).length > 0); \
        let n = 0; attempt(() => zlib.deflateSync('x', { get level() { n++; return n > 1 ? 100 : 1; } }).length > 0); \
        attempt(() => zlib.brotliCompressSync('x', { params: { 1: 2 ** 40, 2: -5, 3: NaN, 5: Infinity } }).length > 0); \
        attempt(() => zlib.inflateSync(Buffer.alloc(100000, 0xff))); \
        attempt(() => zlib.brotliDecompressSync(Buffer.alloc(100000, 0xff))); \
        out.join()";
    let out = eval_string(Options::new(), source);
    assert_eq!(
        out,
        "Z_BUF_ERROR,true,true,true,Z_DATA_ERROR,ERR__ERROR_FORMAT_PADDING_2"
    );
}

/// One synchronous call (compressing or decompressing) ends at the time
/// limit: the clock is checked at each output step, and compressors take
/// their input in steps.
#[test]
fn a_sync_call_ends_at_the_time_limit() {
    use std::time::{Duration, Instant};
    for call in [
        "zlib.deflateSync(big, {level: 9})",
        "zlib.brotliCompressSync(big)",
    ] {
        let rt = jsbox::open(
            Options::new()
                .console(jsbox::NullSink)
                .timeout(Duration::from_millis(300)),
        )
        .unwrap();
        // Data that does not compress to nothing, made before the clock
        // matters much (the limit is per call: made in the same call).
        let started = Instant::now();
        let outcome = rt.eval::<()>(&format!(
            "const zlib = require('zlib'); const big = Buffer.alloc(64 << 20);
             for (let i = 0; i < big.length; i += 4099) big[i] = i & 255;
             try {{ {call} }} catch (e) {{}}"
        ));
        let took = started.elapsed();
        assert!(outcome.is_err(), "{call}: not ended");
        // Far below what the whole call takes, with room for a busy machine.
        assert!(took < Duration::from_secs(20), "{call}: took {took:?}");
    }
}
