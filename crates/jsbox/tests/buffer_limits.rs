//! `Buffer` against hostile sizes, offsets and detached memory: Node's errors,
//! no crash, and nothing allocated on the host beyond the runtime's memory
//! limit. Also: the global is lazy, works whatever the module policy, and keeps
//! heap-image slots reusable. One process per file, so resident memory is this
//! test's own.

use jsbox::{open, CaptureSink, Factory, HeapImages, Options, Stream};
use serde_json::{json, Value};

mod common;

use common::resident_bytes;

/// Runs `cases` (an array of functions) and returns what each returned or
/// threw, as `[name, code, message]` for errors.
fn outcomes(options: Options, cases: &str) -> Value {
    let rt = open(options).unwrap();
    rt.eval(&format!(
        "({cases}).map((f) => {{
           try {{ const v = f(); return typeof v === 'bigint' ? String(v) : v; }}
           catch (e) {{ return [e && e.name, e && e.code, e && e.message]; }}
         }})"
    ))
    .unwrap()
}

#[test]
fn hostile_sizes_and_offsets_throw_nodes_errors() {
    let seen = outcomes(
        Options::new().memory_limit(16 << 20),
        "[
          () => Buffer.alloc(2 ** 40),
          () => Buffer.allocUnsafe(2 ** 53),
          () => Buffer.allocUnsafeSlow(-1),
          () => Buffer.from('x').write('x', 2 ** 53),
          () => Buffer.alloc(4).write('x', 0, 2 ** 40),
          () => Buffer.from('x').readUIntLE(0, 7),
          () => Buffer.alloc(8).readBigInt64LE(2 ** 53),
          () => Buffer.alloc(4).fill(1, 0, 2 ** 40),
          () => Buffer.alloc(4).fill('ab', 2 ** 53),
          () => Buffer.alloc(4).toString('hex', 2 ** 53, 2 ** 60),
          () => Buffer.alloc(4).hexSlice(0, 2 ** 40),
          () => Buffer.alloc(4).latin1Write('x', 2 ** 40),
          () => Buffer.alloc(4).copy(Buffer.alloc(4), 2 ** 53, 2 ** 52, 2 ** 60),
          () => Buffer.alloc(4).compare(Buffer.alloc(4), 2 ** 40),
          () => Buffer.alloc(4).indexOf('a', 2 ** 60),
          () => Buffer.alloc(4).lastIndexOf('a', -(2 ** 60)),
          () => Buffer.from(new ArrayBuffer(4), 2 ** 40),
          () => Buffer.concat([Buffer.alloc(1)], 2 ** 40),
          () => Buffer.alloc(4).subarray(2 ** 53, 2 ** 60).length,
        ]",
    );
    let range = |what: &str, range: &str, received: &str| {
        json!([
            "RangeError",
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"{what}\" is out of range. It must be {range}. Received {received}"
            )
        ])
    };
    assert_eq!(
        seen[0],
        range("size", ">= 0 && <= 4294967296", "1_099_511_627_776")
    );
    assert_eq!(
        seen[1],
        range("size", ">= 0 && <= 4294967296", "9_007_199_254_740_992")
    );
    assert_eq!(seen[2], range("size", ">= 0 && <= 4294967296", "-1"));
    assert_eq!(
        seen[3],
        range("offset", ">= 0 && <= 1", "9_007_199_254_740_992")
    );
    assert_eq!(
        seen[4],
        range("length", ">= 0 && <= 4", "1_099_511_627_776")
    );
    assert_eq!(seen[5], range("byteLength", ">= 1 and <= 6", "7"));
    assert_eq!(
        seen[6],
        range("offset", ">= 0 and <= 0", "9_007_199_254_740_992")
    );
    assert_eq!(seen[7], range("end", ">= 0 && <= 4", "1_099_511_627_776"));
    assert_eq!(
        seen[8],
        range("offset", ">= 0 && <= 4294967296", "9_007_199_254_740_992")
    );
    assert_eq!(seen[9], "");
    assert_eq!(
        seen[10],
        json!(["RangeError", "ERR_OUT_OF_RANGE", "Index out of range"])
    );
    assert_eq!(
        seen[11],
        json!([
            "RangeError",
            "ERR_BUFFER_OUT_OF_BOUNDS",
            "\"offset\" is outside of buffer bounds"
        ])
    );
    assert_eq!(
        seen[12],
        range("sourceStart", ">= 0 && <= 4", "4_503_599_627_370_496")
    );
    assert_eq!(
        seen[13],
        range("targetStart", ">= 0 && <= 4294967296", "1_099_511_627_776")
    );
    assert_eq!(seen[14], -1);
    assert_eq!(seen[15], -1);
    assert_eq!(
        seen[16],
        json!([
            "RangeError",
            "ERR_BUFFER_OUT_OF_BOUNDS",
            "\"offset\" is outside of buffer bounds"
        ])
    );
    assert_eq!(
        seen[17],
        range("length", ">= 0 && <= 4294967296", "1_099_511_627_776")
    );
    assert_eq!(seen[18], 0);
}

#[test]
fn sizes_past_the_engine_or_the_memory_limit_fail_cleanly() {
    let seen = outcomes(
        Options::new().memory_limit(16 << 20),
        "[
          // Within Node's kMaxLength but past QuickJS's largest ArrayBuffer.
          () => Buffer.alloc(2 ** 31),
          () => Buffer.concat([Buffer.alloc(1)], 2 ** 32),
          () => Buffer.from({ length: 2 ** 40 }),
          // Past the runtime's memory limit.
          () => Buffer.alloc(64 << 20),
          () => Buffer.from('x'.repeat(1 << 20)).fill('ab').length,
          // Outputs past the limit are refused before the host allocates them.
          () => { const b = Buffer.alloc(12 << 20); return b.toString('base64').length; },
          () => { const b = Buffer.alloc(9 << 20, 0xff); return b.toString('latin1').length; },
          () => { const b = Buffer.alloc(9 << 20); return b.toString('hex').length; },
          // And the runtime still works.
          () => Buffer.from('ok').toString(),
        ]",
    );
    let alloc_failed = json!(["RangeError", null, "Array buffer allocation failed"]);
    assert_eq!(seen[0], alloc_failed);
    assert_eq!(seen[1], alloc_failed);
    assert_eq!(seen[2], alloc_failed);
    for i in [3, 5, 6, 7] {
        let outcome = seen[i].as_array().expect("an error");
        assert_eq!(outcome[2], "out of memory", "case {i}: {outcome:?}");
    }
    assert_eq!(seen[4], 1 << 20);
    assert_eq!(seen[8], "ok");
}

#[test]
fn big_outputs_never_reach_the_host_beyond_the_limit() {
    // Each call asks for outputs several times the limit: refused before any
    // host allocation, so resident memory stays flat.
    let rt = open(Options::new().memory_limit(24 << 20)).unwrap();
    rt.eval::<()>("globalThis.big = Buffer.alloc(20 << 20, 0xfe);")
        .unwrap();
    let before = resident_bytes();
    let failures: i64 = rt
        .eval(
            "let failures = 0;
             for (let i = 0; i < 20; i++) {
               for (const enc of ['hex', 'base64', 'latin1', 'utf8', 'ucs2']) {
                 try { big.toString(enc); } catch (e) { failures++; }
               }
             }
             failures",
        )
        .unwrap();
    let after = resident_bytes();
    assert_eq!(failures, 100);
    assert!(
        after.saturating_sub(before) < 64 << 20,
        "resident memory grew by {} bytes",
        after.saturating_sub(before)
    );
}

#[test]
fn detached_buffers_act_empty() {
    let seen = outcomes(
        Options::new(),
        "[
          () => { const b = Buffer.alloc(8, 1); b.buffer.transfer(); return [b.length, b.toString('hex'), b.write('abc'),
            b.indexOf(1), b.fill('ab').length, Buffer.concat([Buffer.alloc(0)]).length, b.equals(Buffer.alloc(0)), b.swap16().length,
            Buffer.from(b).length, b.compare(Buffer.alloc(0)), b.toJSON().data.length]; },
          () => { const b = Buffer.alloc(8); b.buffer.transfer(); return b.readUInt32LE(0); },
          () => { const b = Buffer.alloc(8); b.buffer.transfer(); return b.writeDoubleBE(1, 0); },
          () => { const ab = new ArrayBuffer(4); ab.transfer(); return require('buffer').isUtf8(ab); },
          () => { const b = Buffer.alloc(8); const view = b.subarray(2, 6); b.buffer.transfer(); return [view.toString(), view.lastIndexOf(0)]; },
          () => { const ab = new ArrayBuffer(8, { maxByteLength: 16 }); const b = Buffer.from(ab, 4, 4); ab.resize(2);
            return [b.length, b.toString('hex'), b.fill('ab').length, b.write('zz')]; },
        ]",
    );
    assert_eq!(seen[0], json!([0, "", 0, -1, 0, 0, true, 0, 0, 0, 0]));
    assert_eq!(
        seen[1],
        json!([
            "RangeError",
            "ERR_BUFFER_OUT_OF_BOUNDS",
            "Attempt to access memory outside buffer bounds"
        ])
    );
    assert_eq!(seen[2], seen[1]);
    assert_eq!(
        seen[3],
        json!([
            "Error",
            "ERR_INVALID_STATE",
            "Cannot validate on a detached buffer"
        ])
    );
    assert_eq!(seen[4], json!(["", -1]));
    assert_eq!(seen[5], json!([0, "", 0, 0]));
}

#[test]
fn the_global_is_lazy_and_becomes_a_plain_property() {
    let rt = open(Options::new()).unwrap();
    let seen: Value = rt
        .eval(
            "const before = Object.getOwnPropertyDescriptor(globalThis, 'Buffer');
             const b = Buffer.from('x');
             const after = Object.getOwnPropertyDescriptor(globalThis, 'Buffer');
             [typeof before.get, before.enumerable, 'value' in after, after.writable, after.enumerable, b.length]",
        )
        .unwrap();
    assert_eq!(seen, json!(["function", false, true, true, false, 1]));
    // Assigning before any use replaces it, as in Node.
    let replaced: String = open(Options::new())
        .unwrap()
        .eval("Buffer = 'mine'; Buffer")
        .unwrap();
    assert_eq!(replaced, "mine");
    // require('buffer') still gives the real one.
    let real: bool = open(Options::new())
        .unwrap()
        .eval("globalThis.Buffer = null; typeof require('buffer').Buffer.from === 'function'")
        .unwrap();
    assert!(real);
}

#[test]
fn the_global_works_whatever_the_module_policy() {
    // A global, like `process`: no policy applies to it. The module is still
    // subject to the policy.
    for options in [
        Options::new().allow_modules(["path"]),
        Options::new().deny_modules(["buffer"]),
        Options::new().sandboxed(),
        Options::new().without_builtin_modules(),
        Options::new()
            .deny_modules(["buffer"])
            .heap_images(HeapImages::new().max_slots(1)),
    ] {
        let rt = Factory::new(options).unwrap().new_runtime().unwrap();
        let text: String = rt
            .eval("Buffer.from('aGk=', 'base64').toString() + Buffer.byteLength('é')")
            .unwrap();
        assert_eq!(text, "hi2");
    }
    let denied: String = open(Options::new().deny_modules(["buffer"]))
        .unwrap()
        .eval("try { require('buffer'); 'loaded' } catch (e) { e.code }")
        .unwrap();
    assert_eq!(denied, "ERR_ACCESS_DENIED");
}

#[test]
fn heap_image_slots_stay_reusable_after_using_buffer() {
    let capture = CaptureSink::new();
    let factory = Factory::new(
        Options::new()
            .console(capture.clone())
            .heap_images(HeapImages::new().max_slots(1)),
    )
    .unwrap();
    for i in 0..20 {
        let rt = factory.new_runtime().unwrap();
        let n: i64 = rt
            .eval(&format!(
                "const b = Buffer.alloc(1000, {i}); console.log(b.subarray(0, 2)); \
                 require('buffer').atob(Buffer.from('ab').toString('base64')).length + b.readUInt8(999)"
            ))
            .unwrap();
        assert_eq!(n, 2 + i);
        // Nothing of the last runtime is left in the slot.
        let fresh: bool = factory
            .new_runtime()
            .unwrap()
            .eval("Object.getOwnPropertyDescriptor(globalThis, 'Buffer').get !== undefined")
            .unwrap();
        assert!(fresh);
    }
    let stats = factory.heap_image_stats().unwrap();
    assert_eq!(stats.built, 1, "Buffer must not tear its slot down");
    assert!(capture
        .text(Stream::Stdout)
        .starts_with("<Buffer 00 00>\n<Buffer 01 01>\n"));
}

#[test]
fn fs_reads_buffers_and_writes_any_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = serde_json::to_string(&dir.path().to_string_lossy()).unwrap();
    let seen: Value = open(Options::new())
        .unwrap()
        .eval(&format!(
            "const fs = require('fs'); const d = {d};
             fs.writeFileSync(d + '/a', Buffer.from('héllo'));
             fs.appendFileSync(d + '/a', new Uint16Array([0x4241]));
             fs.appendFileSync(d + '/a', new DataView(new Uint8Array([0x43]).buffer));
             fs.appendFileSync(d + '/a', 'ff00', 'hex');
             fs.appendFileSync(d + '/a', '\\ud800');
             fs.writeFileSync(Buffer.from(d + '/b'), 'aGk', {{ encoding: 'base64url' }});
             const raw = fs.readFileSync(d + '/a');
             const bad = (f) => {{ try {{ f(); return 'no error'; }} catch (e) {{ return e.code; }} }};
             [Buffer.isBuffer(raw), raw.toString('hex'), fs.readFileSync(d + '/a', 'latin1').length,
              fs.readFileSync(d + '/a', {{ encoding: 'ucs2' }}).length, fs.readFileSync(d + '/b', 'utf8'),
              fs.readFileSync(Buffer.from(d + '/b')).toString(), Buffer.isBuffer(fs.readFileSync(d + '/b', null)),
              Buffer.isBuffer(fs.readFileSync(d + '/b', 'buffer')), fs.readFileSync(d + '/a', 'base64url'),
              bad(() => fs.writeFileSync(d + '/c', 42)), bad(() => fs.readFileSync(d + '/a', 'klingon')),
              bad(() => fs.readFileSync(Buffer.from(d + '/a\\0')))]"
        ))
        .unwrap();
    assert_eq!(
        seen,
        json!([
            true,
            "68c3a96c6c6f414243ff00efbfbd",
            14,
            7,
            "hi",
            "hi",
            true,
            true,
            "aMOpbGxvQUJD_wDvv70",
            "ERR_INVALID_ARG_TYPE",
            "ERR_INVALID_ARG_VALUE",
            "ERR_INVALID_ARG_VALUE"
        ])
    );
}

#[test]
fn database_blobs_are_buffers() {
    let seen: Value = open(Options::new())
        .unwrap()
        .eval(
            "const db = require('database'); db.configure('sqlite3', ':memory:');
             db.exec('CREATE TABLE t (b BLOB)');
             db.exec('INSERT INTO t VALUES (?)', Buffer.from('hi'));
             db.exec('INSERT INTO t VALUES (?)', new Uint16Array([0x4241]));
             db.exec('INSERT INTO t VALUES (?)', Buffer.alloc(0));
             const rows = db.query('SELECT b FROM t');
             rows.map((r) => [Buffer.isBuffer(r.b), r.b.toString('hex')])",
        )
        .unwrap();
    assert_eq!(seen, json!([[true, "6869"], [true, "4142"], [true, ""]]));
}
