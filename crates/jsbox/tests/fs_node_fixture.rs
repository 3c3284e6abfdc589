//! `fs` beyond the synchronous calls (callbacks, file descriptors,
//! `fs.promises` with FileHandle, constants, streams) checked against Node:
//! `fixtures/fs/main.js` works in a `tmp-out` folder next to itself and prints
//! one check per line; `expected.txt` is what Node 20 printed for it
//! (`node main.js > expected.txt` in that folder). The script writes, so each
//! run uses a copy of the fixture in a temporary directory.
//!
//! Then the policy: the root applies to every new entry point, descriptors
//! are per runtime and cannot be forged, and nothing a script passes crashes.

#[path = "common/node_fixture.rs"]
mod node_fixture;

use jsbox::{CaptureSink, Factory, Options, Stream};
use node_fixture::NodeFixture;

/// The fixture, copied into a fresh temporary directory (kept alive by the
/// returned guard).
fn fixture_copy() -> (tempfile::TempDir, NodeFixture) {
    let source = NodeFixture::new("fs");
    let copy = tempfile::tempdir().unwrap();
    for file in ["main.js", "expected.txt"] {
        std::fs::copy(source.dir.join(file), copy.path().join(file)).unwrap();
    }
    let fixture = NodeFixture {
        dir: copy.path().canonicalize().unwrap(),
        capture: CaptureSink::new(),
    };
    (copy, fixture)
}

#[test]
fn fs_callbacks_descriptors_promises_and_streams_match_node() {
    let (_guard, fixture) = fixture_copy();
    fixture.check(Options::new(), "main.js");
    assert!(!fixture.dir.join("tmp-out").exists());
}

#[test]
fn they_match_node_in_heap_image_runtimes_too() {
    let (_guard, fixture) = fixture_copy();
    fixture.check_in_heap_images("main.js");
}

#[test]
fn they_match_node_under_a_root_too() {
    let (_guard, fixture) = fixture_copy();
    let root = fixture.dir.clone();
    fixture.check(Options::new().root(root), "main.js");
}

/// Runs `source` (a script) in a new runtime of `factory` until the event
/// loop is idle; what it printed.
fn run_in(factory: &Factory, capture: &CaptureSink, source: &str) -> String {
    capture.clear();
    let rt = factory.new_runtime().unwrap();
    rt.eval::<()>(source).unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stderr), "", "nothing on stderr");
    capture.text(Stream::Stdout)
}

fn run(options: Options, source: &str) -> String {
    let capture = CaptureSink::new();
    let factory = Factory::new(options.console(capture.clone())).unwrap();
    run_in(&factory, &capture, source)
}

/// A root and a directory outside it, each with a file.
struct Dirs {
    _root: tempfile::TempDir,
    _outside: tempfile::TempDir,
    root: std::path::PathBuf,
    outside: std::path::PathBuf,
}

fn dirs() -> Dirs {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let r = root.path().canonicalize().unwrap();
    let o = outside.path().canonicalize().unwrap();
    std::fs::write(r.join("inside.txt"), "inside").unwrap();
    std::fs::write(o.join("secret.txt"), "outside secret").unwrap();
    std::os::unix::fs::symlink(o.join("secret.txt"), r.join("link-to-secret")).unwrap();
    std::os::unix::fs::symlink(r.join("inside.txt"), r.join("link-inside")).unwrap();
    Dirs {
        _root: root,
        _outside: outside,
        root: r,
        outside: o,
    }
}

#[test]
fn the_root_confines_callbacks_descriptors_handles_and_streams() {
    let d = dirs();
    let script = format!(
        r#"
        const fs = require('fs');
        const root = {root:?}, out = {out:?};
        const line = (label, e) => console.log(label, e ? e.code : 'ok');
        const tryIt = (label, f) => {{ try {{ f(); line(label); }} catch (e) {{ line(label, e); }} }};
        let sync = true;
        fs.readFile(out + '/secret.txt', 'utf8', (e, v) => line('readFile cb' + (sync ? ' SYNC' : ''), e));
        sync = false;
        fs.writeFile(out + '/planted.txt', 'x', (e) => line('writeFile cb', e));
        fs.stat(root + '/link-to-secret', (e) => line('stat through link cb', e));
        fs.open(root + '/../' + out.split('/').pop() + '/secret.txt', 'r', (e) => line('open dotdot cb', e));
        fs.copyFile(root + '/inside.txt', out + '/copy.txt', (e) => line('copyFile out cb', e));
        fs.mkdtemp(out + '/t-', (e) => line('mkdtemp cb', e));
        fs.exists(out + '/secret.txt', (v) => console.log('exists cb', v));
        fs.access(out + '/secret.txt', (e) => line('access cb', e));
        fs.symlink(root + '/inside.txt', out + '/planted-link', (e) => line('symlink out cb', e));
        tryIt('openSync out', () => fs.openSync(out + '/secret.txt'));
        tryIt('openSync link', () => fs.openSync(root + '/link-to-secret'));
        tryIt('openSync in', () => fs.closeSync(fs.openSync(root + '/inside.txt')));
        tryIt('truncateSync out', () => fs.truncateSync(out + '/secret.txt'));
        tryIt('chmodSync out', () => fs.chmodSync(out + '/secret.txt', 0o777));
        tryIt('readlinkSync out', () => fs.readlinkSync(out + '/secret.txt'));
        console.log('readlinkSync in', fs.readlinkSync(root + '/link-to-secret') === out + '/secret.txt');
        console.log('lstatSync link', fs.lstatSync(root + '/link-to-secret').isSymbolicLink());
        // Removing a link removes the link, never what it points to.
        fs.unlinkSync(root + '/link-inside');
        fs.rmSync(root + '/link-to-secret');
        console.log('after unlink', fs.existsSync(root + '/inside.txt'), fs.readdirSync(root).join());
        fs.promises.open(out + '/secret.txt').then(() => line('promises.open'), (e) => line('promises.open', e));
        fs.promises.readFile(out + '/secret.txt').then(() => line('promises.readFile'), (e) => line('promises.readFile', e));
        require('fs/promises').writeFile(out + '/p.txt', 'x').then(() => line('fs/promises.writeFile'), (e) => line('fs/promises.writeFile', e));
        const rs = fs.createReadStream(out + '/secret.txt');
        rs.on('data', () => console.log('read stream DATA'));
        rs.on('error', (e) => line('read stream error', e));
        const ws = fs.createWriteStream(out + '/ws.txt');
        ws.on('error', (e) => line('write stream error', e));
        ws.end('x');
        "#,
        root = d.root.to_str().unwrap(),
        out = d.outside.to_str().unwrap(),
    );
    let printed = run(Options::new().root(&d.root), &script);
    let mut lines: Vec<&str> = printed.lines().collect();
    lines.sort_unstable();
    let mut expected = vec![
        "readFile cb ERR_ACCESS_DENIED",
        "writeFile cb ERR_ACCESS_DENIED",
        "stat through link cb ERR_ACCESS_DENIED",
        "open dotdot cb ERR_ACCESS_DENIED",
        "copyFile out cb ERR_ACCESS_DENIED",
        "mkdtemp cb ERR_ACCESS_DENIED",
        "exists cb false",
        "access cb ERR_ACCESS_DENIED",
        "symlink out cb ERR_ACCESS_DENIED",
        "openSync out ERR_ACCESS_DENIED",
        "openSync link ERR_ACCESS_DENIED",
        "openSync in ok",
        "truncateSync out ERR_ACCESS_DENIED",
        "chmodSync out ERR_ACCESS_DENIED",
        "readlinkSync out ERR_ACCESS_DENIED",
        "readlinkSync in true",
        "lstatSync link true",
        "after unlink true inside.txt",
        "promises.open ERR_ACCESS_DENIED",
        "promises.readFile ERR_ACCESS_DENIED",
        "fs/promises.writeFile ERR_ACCESS_DENIED",
        "read stream error ERR_ACCESS_DENIED",
        "write stream error ERR_ACCESS_DENIED",
    ];
    expected.sort_unstable();
    assert_eq!(lines, expected, "{printed}");
    // Nothing outside the root was touched.
    let mut outside: Vec<String> = std::fs::read_dir(&d.outside)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    outside.sort();
    assert_eq!(outside, ["secret.txt"]);
    assert_eq!(
        std::fs::read_to_string(d.outside.join("secret.txt")).unwrap(),
        "outside secret"
    );
}

#[test]
fn fs_promises_follows_the_module_policy() {
    let source =
        "try { require('fs/promises'); console.log('loaded') } catch (e) { console.log(e.code) }";
    assert_eq!(
        run(Options::new().sandboxed(), source),
        "ERR_ACCESS_DENIED\n"
    );
    assert_eq!(
        run(Options::new().deny_modules(["fs"]), source),
        "ERR_ACCESS_DENIED\n"
    );
    assert_eq!(run(Options::new(), source), "loaded\n");
}

#[test]
fn descriptors_belong_to_their_runtime_and_cannot_be_forged() {
    let d = dirs();
    let capture = CaptureSink::new();
    let factory = Factory::new(Options::new().console(capture.clone())).unwrap();
    let path = d.root.join("inside.txt");
    let first = factory.new_runtime().unwrap();
    let fd: f64 = first
        .eval(&format!(
            "require('fs').openSync({:?})",
            path.to_str().unwrap()
        ))
        .unwrap();
    // Another runtime of the same factory cannot use it, nor any number near it.
    let printed = run_in(
        &factory,
        &capture,
        &format!(
            "const fs = require('fs'); const b = Buffer.alloc(4); const out = [];
             for (const fd of [{fd}, {fd} - 1, {fd} + 1, 0, 1, 2, 3, 2147483647]) {{
               // (writeSync to 1 and 2 prints, as process.stdout / stderr.)
               const write = fd === 1 || fd === 2 ? () => fs.readSync(fd, b) : () => fs.writeSync(fd, 'x');
               for (const f of [() => fs.readSync(fd, b, 0, 4, 0), write,
                                () => fs.fstatSync(fd), () => fs.closeSync(fd), () => fs.ftruncateSync(fd)]) {{
                 try {{ f(); out.push('USED'); }} catch (e) {{ out.push(e.code); }}
               }}
             }}
             console.log([...new Set(out)].join());
             fs.read({fd}, b, 0, 4, 0, (e) => console.log('read cb', e.code));
             fs.promises.open({path:?}).then((h) => {{
               try {{ new h.constructor({fd}); }} catch (e) {{ console.log('forged', e.code); }}
               // Nor can a handle of this runtime be pointed elsewhere.
               Object.defineProperty(h, 'fd', {{ value: {fd} }});
               return h.read(b, 0, 4, 0).then((r) => console.log('own handle', b.toString()));
             }});",
            path = path.to_str().unwrap()
        ),
    );
    let mut lines: Vec<&str> = printed.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "EBADF",
            "forged ERR_ILLEGAL_CONSTRUCTOR",
            "own handle insi",
            "read cb EBADF"
        ]
    );
    // The first runtime still reads its file.
    let text: String = first
        .eval(&format!(
            "const b = Buffer.alloc(6); require('fs').readSync({fd}, b, 0, 6, 0); b.toString()"
        ))
        .unwrap();
    assert_eq!(text, "inside");
}

/// How many of this process's descriptors are open on `path`.
fn open_on(path: &std::path::Path) -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target == path)
        .count()
}

#[test]
fn files_left_open_are_closed_with_their_runtime_and_their_number_is_capped() {
    let d = dirs();
    let path = d.root.join("inside.txt");
    let factory = Factory::new(Options::new()).unwrap();
    let rt = factory.new_runtime().unwrap();
    let outcome: String = rt
        .eval(&format!(
            "const fs = require('fs'); const fds = []; let error;
             try {{ for (let i = 0; i < 1000; i++) fds.push(fs.openSync({path:?})); }}
             catch (e) {{ error = e.code + ' ' + e.syscall; }}
             fds.length + ' ' + error",
            path = path.to_str().unwrap()
        ))
        .unwrap();
    assert_eq!(outcome, "256 EMFILE open");
    assert_eq!(open_on(&path), 256);
    // Closing one makes room for one more.
    let again: f64 = rt
        .eval(&format!(
            "fs.closeSync(fds.pop()); fs.closeSync(fs.openSync({:?})); fds.length",
            path.to_str().unwrap()
        ))
        .unwrap();
    assert_eq!(again, 255.0);
    drop(rt);
    assert_eq!(open_on(&path), 0);
}

#[test]
fn file_handles_dropped_without_close_are_closed_when_collected() {
    let d = dirs();
    let path = d.root.join("inside.txt");
    let printed = run(
        Options::new(),
        &format!(
            "const fs = require('fs');
             (async () => {{
               for (let i = 0; i < 1000; i++) await fs.promises.open({path:?});
               const kept = [];
               for (let i = 0; i < 10; i++) kept.push(await fs.promises.open({path:?}));
               console.log('opened', kept.length);
               globalThis.kept = kept;
             }})().catch((e) => console.log('failed', e.code));",
            path = path.to_str().unwrap()
        ),
    );
    // Without them closed, the 257th open would have failed with EMFILE.
    assert_eq!(printed, "opened 10\n");
}

/// What Node 20 printed for the script in the next test (run on a file
/// holding "inside").
const HOSTILE_IN_NODE: &str = "ERR_OUT_OF_RANGE,1,ERR_OUT_OF_RANGE,1,ERR_OUT_OF_RANGE,1,ERR_OUT_OF_RANGE,1,\
ERR_OUT_OF_RANGE,1,0,EFBIG,ERR_OUT_OF_RANGE,1,ERR_OUT_OF_RANGE,1,ERR_INVALID_ARG_TYPE,1,ERR_INVALID_ARG_TYPE,1,\
ERR_OUT_OF_RANGE,1,0,1,|,ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,0,0,0,0,|,ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,\
ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,|,ok,ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,ERR_INVALID_ARG_TYPE,|,\
ERR_INVALID_ARG_TYPE,ERR_INVALID_ARG_TYPE,0,ERR_INVALID_ARG_VALUE,|,ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,\
ERR_OUT_OF_RANGE,ok,|,ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,ERR_INVALID_ARG_VALUE,ERR_OUT_OF_RANGE,ok\n\
stream EFBIG\n";

#[test]
fn the_host_process_memory_is_never_opened() {
    let printed = run(
        Options::new(),
        "const fs = require('fs'); const out = [];
         for (const path of ['/proc/self/mem', `/proc/${process.pid}/mem`, '/proc/thread-self/mem', '/proc/self/task/../mem']) {
           try { fs.closeSync(fs.openSync(path, 'r+')); out.push('OPENED'); } catch (e) { out.push(e.code); }
         }
         console.log(out.join());",
    );
    assert_eq!(printed, "EACCES,EACCES,EACCES,EACCES\n");
}

#[test]
fn hostile_arguments_throw_as_in_node_instead_of_crashing() {
    let d = dirs();
    let path = d.root.join("inside.txt");
    let script = format!(
        r#"
        const fs = require('fs');
        const path = {path:?};
        const fd = fs.openSync(path, 'r+');
        const b = Buffer.alloc(8);
        const out = [];
        const attempt = (f) => {{ try {{ const v = f(); out.push(typeof v === 'number' ? String(v) : 'ok'); }} catch (e) {{ out.push(e.code || e.name); }} }};
        for (const position of [-2, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 53 - 1, 1e300, 0.5, '1', {{}}, 2n ** 70n, -5n]) {{
          attempt(() => fs.readSync(fd, b, 0, 8, position));
          attempt(() => fs.writeSync(fd, 'x', position));
        }}
        out.push('|');
        for (const length of [-1, 2 ** 31, 2 ** 53, 1e300, NaN, Infinity]) attempt(() => fs.readSync(fd, b, 0, length, 0));
        out.push('|');
        for (const offset of [-1, 9, 2 ** 53, 1e300, Infinity]) attempt(() => fs.readSync(fd, b, offset, 1, 0));
        out.push('|');
        for (const len of [-1, 2 ** 53, NaN, 'x']) attempt(() => fs.ftruncateSync(fd, len));
        out.push('|');
        attempt(() => fs.readSync(fd, new Proxy(b, {{}}), 0, 1, 0));
        attempt(() => fs.readSync(fd, {{ byteLength: 2 ** 40, buffer: new ArrayBuffer(1) }}, 0, 1, 0));
        const detached = new Uint8Array(new ArrayBuffer(8)); structuredClone(detached.buffer, {{ transfer: [detached.buffer] }});
        attempt(() => fs.readSync(fd, detached, 0, 0, 0));
        attempt(() => fs.readSync(fd, detached, 0, 1, 0));
        out.push('|');
        for (const flags of [2 ** 40, NaN, 1.5, "r"]) attempt(() => fs.closeSync(fs.openSync(path, flags)));
        out.push('|');
        for (const mode of [-1, 2 ** 40, NaN, '999']) attempt(() => fs.closeSync(fs.openSync(path, 'r', mode)));
        const ws = fs.createWriteStream(path, {{ flags: 'r+', start: 2 ** 52 }});
        ws.on('error', (e) => console.log('stream', e.code));
        ws.end('x');
        attempt(() => fs.createReadStream(path, {{ start: NaN }}));
        attempt(() => fs.createReadStream(path, {{ highWaterMark: 2 ** 40 }}).destroy());
        console.log(out.join());
        fs.closeSync(fd);
        "#,
        path = path.to_str().unwrap()
    );
    for options in [
        Options::new(),
        Options::new().memory_limit(32 << 20).root(&d.root),
    ] {
        std::fs::write(&path, "inside").unwrap();
        assert_eq!(run(options, &script), HOSTILE_IN_NODE);
    }
}

/// A FIFO whose writer never writes (or a device that never ends) holds
/// no call past the time limit: whole-file reads, descriptor reads and
/// writes wait in steps that check the runtime's clock, and copyFile
/// refuses a source that is not a regular file.
#[test]
fn fifos_and_endless_devices_end_at_the_time_limit() {
    use std::os::unix::fs::OpenOptionsExt;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    // Held open by the host for reading and writing: reads find no end of
    // file and writes no reader that empties the pipe.
    let _held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let path = serde_json::to_string(fifo.to_str().unwrap()).unwrap();
    for source in [
        format!("try {{ require('fs').readFileSync({path}) }} catch (e) {{}}"),
        format!(
            "const fs = require('fs'); const fd = fs.openSync({path}, 'r');
             try {{ fs.readSync(fd, Buffer.alloc(10)) }} catch (e) {{}}"
        ),
        format!(
            "try {{ require('fs').writeFileSync({path}, Buffer.alloc(1 << 20)) }} catch (e) {{}}"
        ),
        "try { require('fs').readFileSync('/dev/zero') } catch (e) {}".to_string(),
    ] {
        let rt = jsbox::open(
            Options::new()
                .console(jsbox::NullSink)
                .timeout(Duration::from_millis(300)),
        )
        .unwrap();
        let started = Instant::now();
        let outcome = rt.eval::<()>(&source);
        let took = started.elapsed();
        assert!(outcome.is_err(), "{source}: not ended");
        assert!(took < Duration::from_secs(3), "{source}: took {took:?}");
    }
    // Asked for O_NONBLOCK: EAGAIN at once, as in Node (a fresh FIFO: the
    // first holds what writeFileSync wrote).
    let fifo = dir.path().join("fifo2");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let _held2 = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let path = serde_json::to_string(fifo.to_str().unwrap()).unwrap();
    let rt = jsbox::open(Options::new().console(jsbox::NullSink)).unwrap();
    let code: String = rt
        .eval(&format!(
            "const fs = require('fs');
             const fd = fs.openSync({path}, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
             let code = 'none'; try {{ fs.readSync(fd, Buffer.alloc(10)) }} catch (e) {{ code = e.code }}
             fs.closeSync(fd);
             code + ' ' + (() => {{ try {{ fs.copyFileSync('/dev/zero', {out}); return 'copied' }}
                                   catch (e) {{ return e.code }} }})()",
            out = serde_json::to_string(dir.path().join("out").to_str().unwrap()).unwrap()
        ))
        .unwrap();
    assert_eq!(code, "EAGAIN EINVAL");
}

/// Under a root, chmod and fchmod set no set-user-ID, set-group-ID or
/// sticky bit (nor does a new file's mode).
#[test]
fn chmod_under_a_root_sets_no_special_bits() {
    use std::os::unix::fs::PermissionsExt;
    let d = dirs();
    let rt = jsbox::open(Options::new().console(jsbox::NullSink).root(&d.root)).unwrap();
    let root = serde_json::to_string(d.root.to_str().unwrap()).unwrap();
    rt.eval::<()>(&format!(
        "const fs = require('fs'); const R = {root};
         fs.writeFileSync(R + '/a', 'x'); fs.chmodSync(R + '/a', 0o6755);
         const fd = fs.openSync(R + '/b', 'w', 0o4755); fs.fchmodSync(fd, 0o7777); fs.closeSync(fd);
         fs.closeSync(fs.openSync(R + '/c', 'w', 0o4755));"
    ))
    .unwrap();
    let mode = |name: &str| {
        std::fs::metadata(d.root.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    };
    assert_eq!(mode("a"), 0o755);
    assert_eq!(mode("b"), 0o777);
    assert_eq!(mode("c") & 0o7000, 0);
}
