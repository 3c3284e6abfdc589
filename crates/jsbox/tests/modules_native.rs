//! The built-in modules backed by native code: fs, exec, database, os, process.

use std::path::Path;

use jsbox::{open, CaptureSink, Error, Factory, Options, Stream};
use serde_json::{json, Value};

fn rt() -> jsbox::Runtime {
    open(Options::new()).unwrap()
}

fn js_str(path: &Path) -> String {
    serde_json::to_string(&path.to_string_lossy()).unwrap()
}

#[test]
fn fs_reads_writes_and_lists() {
    let dir = tempfile::tempdir().unwrap();
    let d = js_str(dir.path());
    let seen: Value = rt()
        .eval(&format!(
            "const fs = require('fs'); const d = {d};
             fs.writeFileSync(d + '/a.txt', 'héllo');
             fs.appendFileSync(d + '/a.txt', ' world');
             fs.writeFileSync(d + '/bytes.bin', new Uint8Array([0, 255, 10]));
             const made = fs.mkdirSync(d + '/x/y/z', {{ recursive: true }});
             fs.renameSync(d + '/bytes.bin', d + '/x/bytes.bin');
             const st = fs.statSync(d + '/a.txt');
             ({{
               text: fs.readFileSync(d + '/a.txt', 'utf8'),
               defaultText: fs.readFileSync(d + '/a.txt').toString(),
               defaultIsBuffer: Buffer.isBuffer(fs.readFileSync(d + '/a.txt')),
               hex: fs.readFileSync(d + '/x/bytes.bin', 'hex'),
               base64: fs.readFileSync(d + '/x/bytes.bin', {{ encoding: 'base64' }}),
               bytes: Array.from(fs.readFileSync(d + '/x/bytes.bin', null)),
               made: made === d + '/x',
               list: fs.readdirSync(d),
               types: fs.readdirSync(d, {{ withFileTypes: true }}).map((e) => [e.name, e.isDirectory()]),
               size: st.size, isFile: st.isFile(), isDir: fs.statSync(d + '/x').isDirectory(),
               mtime: st.mtimeMs > 0 && st.mtime instanceof Date,
               exists: [fs.existsSync(d + '/a.txt'), fs.existsSync(d + '/nope')],
             }})"
        ))
        .unwrap();
    assert_eq!(
        seen,
        json!({
            "text": "héllo world", "defaultText": "héllo world", "defaultIsBuffer": true, "hex": "00ff0a", "base64": "AP8K",
            "bytes": [0, 255, 10], "made": true, "list": ["a.txt", "x"],
            "types": [["a.txt", false], ["x", true]], "size": 12, "isFile": true, "isDir": true,
            "mtime": true, "exists": [true, false]
        })
    );
}

#[test]
fn fs_removes_files_and_trees() {
    let dir = tempfile::tempdir().unwrap();
    let d = js_str(dir.path());
    let seen: Value = rt()
        .eval(&format!(
            "const fs = require('fs'); const d = {d};
             fs.mkdirSync(d + '/t/u', {{ recursive: true }});
             fs.writeFileSync(d + '/t/u/f', '1');
             fs.writeFileSync(d + '/g', '1');
             fs.unlinkSync(d + '/g');
             const codes = [];
             try {{ fs.rmSync(d + '/t') }} catch (e) {{ codes.push(e.code) }}
             fs.rmSync(d + '/t', {{ recursive: true }});
             fs.rmSync(d + '/never', {{ force: true }});
             try {{ fs.rmSync(d + '/never') }} catch (e) {{ codes.push(e.code) }}
             [fs.readdirSync(d), codes]"
        ))
        .unwrap();
    assert_eq!(seen, json!([[], ["EISDIR", "ENOENT"]]));
}

#[test]
fn fs_errors_look_like_node() {
    let dir = tempfile::tempdir().unwrap();
    let d = js_str(dir.path());
    let seen: Value = rt()
        .eval(&format!(
            "const fs = require('fs'); const d = {d};
             const grab = (f) => {{ try {{ f() }} catch (e) {{ return [e.code, e.errno, e.syscall, e.path, e.message] }} }};
             fs.mkdirSync(d + '/dir');
             [
               grab(() => fs.readFileSync(d + '/missing.txt')),
               grab(() => fs.readFileSync(d + '/dir')),
               grab(() => fs.mkdirSync(d + '/dir')),
               grab(() => fs.readFileSync(42)),
             ]"
        ))
        .unwrap();
    let p = dir.path().to_string_lossy();
    assert_eq!(
        seen[0],
        json!([
            "ENOENT",
            -2,
            "open",
            format!("{p}/missing.txt"),
            format!("ENOENT: no such file or directory, open '{p}/missing.txt'")
        ])
    );
    assert_eq!(seen[1][0], "EISDIR");
    assert_eq!(seen[2][0], "EEXIST");
    assert_eq!(
        seen[3],
        json!([
            "EBADF",
            -9,
            "fstat",
            null,
            "EBADF: bad file descriptor, fstat"
        ])
    );
}

#[test]
fn fs_promises_settle_through_the_event_loop() {
    let dir = tempfile::tempdir().unwrap();
    let d = js_str(dir.path());
    let capture = CaptureSink::new();
    let rt = open(Options::new().console(capture.clone())).unwrap();
    rt.eval::<()>(&format!(
        "const fsp = require('fs').promises; const d = {d};
         (async () => {{
           await fsp.writeFile(d + '/p.txt', 'async');
           console.log(await fsp.readFile(d + '/p.txt', 'utf8'));
           try {{ await fsp.readFile(d + '/none') }} catch (e) {{ console.log(e.code) }}
         }})();"
    ))
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stdout), "async\nENOENT\n");
}

#[test]
fn exec_runs_programs_directly_and_combines_output() {
    let seen: Value = rt()
        .eval(
            "const { run } = require('exec');
             const grab = (f) => { try { return f() } catch (e) { return { code: e.code, output: e.output, message: e.message.split('\\n')[0] } } };
             [
               run('sh', ['-c', 'echo out; echo err 1>&2; echo out2']),
               run('echo', ['$HOME', 'a b', ';', '|']),
               grab(() => run('sh', ['-c', 'echo failing; exit 3'])),
               grab(() => run('definitely-not-a-program-jsbox')).code,
               run('pwd', [], { cwd: '/tmp' }),
               run('sh', ['-c', 'echo $ONLY'], { env: { ONLY: 'mine', PATH: '/usr/bin:/bin' } }),
               run('cat', [], { input: 'fed through stdin' }),
               grab(() => run('sleep', ['5'], { timeoutMs: 100 })).code,
               grab(() => run(42)).code,
             ]",
        )
        .unwrap();
    assert_eq!(seen[0], "out\nerr\nout2\n");
    assert_eq!(seen[1], "$HOME a b ; |\n", "no shell expansion");
    assert_eq!(
        seen[2],
        json!({ "code": 3, "output": "failing\n", "message": "Command failed: sh -c echo failing; exit 3 exited with code 3" })
    );
    assert_eq!(seen[3], "ENOENT");
    assert_eq!(seen[4], "/tmp\n");
    assert_eq!(seen[5], "mine\n");
    assert_eq!(seen[6], "fed through stdin");
    assert_eq!(seen[7], "ETIMEDOUT");
    assert_eq!(seen[8], "ERR_INVALID_ARG_TYPE");
}

#[test]
fn database_round_trips_types() {
    let seen: Value = rt()
        .eval(
            "const db = require('database');
             db.configure('sqlite3', ':memory:');
             db.exec('CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)');
             const ins = db.exec('INSERT INTO t VALUES (?, ?, ?, ?, ?)', 42, 1.5, 'text', new Uint8Array([1, 2]), null);
             db.exec('INSERT INTO t VALUES (?, ?, ?, ?, ?)', [2n ** 60n, -0.25, '', new Uint8Array([]), undefined]);
             const rows = db.query('SELECT * FROM t ORDER BY r DESC');
             ({
               ins,
               first: { ...rows[0], b: Array.from(rows[0].b), bIsBytes: rows[0].b instanceof Uint8Array },
               big: typeof rows[1].i === 'bigint' && rows[1].i === 2n ** 60n,
               second: [rows[1].r, rows[1].s, rows[1].n],
               filtered: db.query('SELECT s FROM t WHERE i = ?', 42),
               updated: db.exec('UPDATE t SET s = ?', 'x').rowsAffected,
               closed: db.close(),
             })",
        )
        .unwrap();
    assert_eq!(
        seen,
        json!({
            "ins": { "success": true, "rowsAffected": 1, "lastInsertId": 1 },
            "first": { "i": 42, "r": 1.5, "s": "text", "b": [1, 2], "n": null, "bIsBytes": true },
            "big": true,
            "second": [-0.25, "", null],
            "filtered": [{ "s": "text" }],
            "updated": 2,
            "closed": true
        })
    );
}

#[test]
fn database_errors_are_clear() {
    let seen: Vec<String> = rt()
        .eval(
            "const db = require('database');
             const grab = (f) => { try { f(); return 'no error' } catch (e) { return e.code + ': ' + e.message } };
             [
               grab(() => db.query('SELECT 1')),
               grab(() => db.configure('postgres', 'x')),
               (db.configure('sqlite', ':memory:'), grab(() => db.query('SELEC nonsense'))),
               grab(() => db.query(42)),
             ]",
        )
        .unwrap();
    assert_eq!(seen[0], "ERR_DATABASE_NOT_CONFIGURED: database: not configured; call configure('sqlite3', dsn) first");
    assert!(
        seen[1].starts_with("ERR_UNSUPPORTED_DRIVER") && seen[1].contains("'sqlite3', 'sqlite'"),
        "{}",
        seen[1]
    );
    assert!(
        seen[2].starts_with("ERR_SQLITE: database: ") && seen[2].contains("syntax error"),
        "{}",
        seen[2]
    );
    assert!(seen[3].starts_with("ERR_INVALID_ARG_TYPE"), "{}", seen[3]);
}

#[test]
fn each_runtime_has_its_own_database_connection() {
    let dir = tempfile::tempdir().unwrap();
    let factory = Factory::new(Options::new()).unwrap();
    let (a, b) = (
        factory.new_runtime().unwrap(),
        factory.new_runtime().unwrap(),
    );
    for (rt, name) in [(&a, "a"), (&b, "b")] {
        let file = js_str(&dir.path().join(format!("{name}.db")));
        rt.eval::<()>(&format!(
            "const db = require('database'); db.configure('sqlite3', {file});
             db.exec('CREATE TABLE only_{name} (v TEXT)'); db.exec('INSERT INTO only_{name} VALUES (?)', '{name}')"
        ))
        .unwrap();
    }
    let tables = "require('database').query(\"SELECT name FROM sqlite_master WHERE type = 'table'\").map((r) => r.name)";
    assert_eq!(a.eval::<Vec<String>>(tables).unwrap(), ["only_a"]);
    assert_eq!(b.eval::<Vec<String>>(tables).unwrap(), ["only_b"]);
    // A third runtime starts unconfigured even though the others are connected.
    let c = factory.new_runtime().unwrap();
    let code: String = c
        .eval("try { require('database').query('SELECT 1') } catch (e) { e.code }")
        .unwrap();
    assert_eq!(code, "ERR_DATABASE_NOT_CONFIGURED");
}

#[test]
fn os_reports_the_host() {
    let seen: Value = rt()
        .eval(
            "const os = require('os');
             [os.platform(), os.arch(), os.type(), typeof os.hostname(), os.homedir().length > 0,
              os.tmpdir().length > 0, os.cpus().length > 0, typeof os.cpus()[0].model, os.EOL, os.totalmem() > 0]",
        )
        .unwrap();
    assert_eq!(
        seen,
        json!([
            "linux",
            if cfg!(target_arch = "x86_64") {
                "x64"
            } else {
                "arm64"
            },
            "Linux",
            "string",
            true,
            true,
            true,
            "string",
            "\n",
            true
        ])
    );
}

#[test]
fn process_exposes_argv_env_cwd_and_exit() {
    std::env::set_var("JSBOX_TEST_VAR", "visible");
    let rt = open(Options::new().argv(["main.js", "--flag", "x"])).unwrap();
    let seen: Value = rt
        .eval(
            "[process.argv, process.env.JSBOX_TEST_VAR, process.cwd() === require('path').resolve('.'),
              process.platform, typeof process.hrtime.bigint(), process === require('process'), typeof process.pid]",
        )
        .unwrap();
    assert_eq!(
        seen,
        json!([
            ["jsbox", "main.js", "--flag", "x"],
            "visible",
            true,
            "linux",
            "bigint",
            true,
            "number"
        ])
    );
    // exit is not catchable, reports its code, and the runtime stays usable.
    let err = rt
        .eval::<()>("try { process.exit(3) } catch (e) { 'caught' }")
        .unwrap_err();
    assert!(matches!(err, Error::Exit(3)), "{err:?}");
    assert_eq!(rt.eval::<i64>("1 + 1").unwrap(), 2);
}

#[test]
fn event_loop_order_matches_node() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/event_loop");
    let expected = std::fs::read_to_string(dir.join("order.expected.txt")).unwrap();
    let capture = CaptureSink::new();
    let rt = open(Options::new().console(capture.clone()).base_dir(&dir)).unwrap();
    rt.run_file("order.js").unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stdout), expected);
}

#[test]
fn run_until_stops_at_the_deadline_with_work_pending() {
    let rt = rt();
    rt.eval::<()>("globalThis.ticks = 0; setInterval(() => ticks++, 5)")
        .unwrap();
    let started = std::time::Instant::now();
    let idle = rt
        .run_until(started + std::time::Duration::from_millis(60))
        .unwrap();
    assert!(!idle);
    assert!(rt.eval::<i64>("ticks").unwrap() >= 1);
    rt.eval::<()>("const t = setTimeout(() => {}, 10000); t.unref()")
        .unwrap();
    rt.eval::<()>("for (const id of [1]) clearInterval(id)")
        .unwrap();
    assert!(
        rt.run_until(std::time::Instant::now() + std::time::Duration::from_secs(5))
            .unwrap(),
        "only unref'd timers left"
    );
}

#[test]
fn errors_in_callbacks_and_unhandled_rejections_end_the_loop() {
    let rt = rt();
    rt.eval::<()>("setTimeout(() => { throw new RangeError('in timer') }, 1)")
        .unwrap();
    let err = rt.run_until_idle().unwrap_err();
    assert_eq!(err.exception().unwrap().message, "in timer");

    rt.eval::<()>("Promise.reject(new Error('nobody listens'))")
        .unwrap();
    match rt.run_until_idle().unwrap_err() {
        Error::UnhandledRejection(e) => assert_eq!(e.message, "nobody listens"),
        other => panic!("{other:?}"),
    }
    // A rejection handled later in the same turn is not reported.
    rt.eval::<()>("const p = Promise.reject(new Error('late')); p.catch(() => {})")
        .unwrap();
    rt.run_until_idle().unwrap();
}

#[test]
fn fs_remaining_functions_and_their_error_paths() {
    let dir = tempfile::tempdir().unwrap();
    let d = js_str(&dir.path().canonicalize().unwrap());
    let seen: Value = rt()
        .eval(&format!(
            "const fs = require('fs'); const d = {d};
             const code = (f) => {{ try {{ f(); return 'ok' }} catch (e) {{ return e.code + ' ' + e.syscall }} }};
             fs.writeFileSync(d + '/a', 'A');
             fs.copyFileSync(d + '/a', d + '/b');
             fs.mkdirSync(d + '/empty');
             require('exec').run('ln', ['-s', d + '/a', d + '/link']);
             const out = {{
               copied: fs.readFileSync(d + '/b', 'utf8'),
               access: [code(() => fs.accessSync(d + '/a')), code(() => fs.accessSync(d + '/none'))],
               lstat: [fs.lstatSync(d + '/link').isSymbolicLink(), fs.statSync(d + '/link').isSymbolicLink()],
               noEntry: fs.statSync(d + '/none', {{ throwIfNoEntry: false }}) === undefined,
               realpath: fs.realpathSync(d + '/link') === d + '/a',
               rmdirFull: code(() => fs.rmdirSync(d)),
               rmdirEmpty: (fs.rmdirSync(d + '/empty'), fs.existsSync(d + '/empty')),
               copyMissing: code(() => fs.copyFileSync(d + '/none', d + '/c')),
               renameMissing: code(() => fs.renameSync(d + '/none', d + '/c')),
               unlinkMissing: code(() => fs.unlinkSync(d + '/none')),
               readdirMissing: code(() => fs.readdirSync(d + '/none')),
               writeIntoMissingDir: code(() => fs.writeFileSync(d + '/no/such/file', 'x')),
               badEncoding: code(() => fs.readFileSync(d + '/a', 'klingon')),
               latin1: (fs.writeFileSync(d + '/l', 'é', 'latin1'), Array.from(fs.readFileSync(d + '/l', null))),
             }};
             out",
        ))
        .unwrap();
    assert_eq!(
        seen,
        json!({
            "copied": "A", "access": ["ok", "ENOENT access"], "lstat": [true, false], "noEntry": true,
            "realpath": true, "rmdirFull": "ENOTEMPTY rmdir", "rmdirEmpty": false,
            "copyMissing": "ENOENT copyfile", "renameMissing": "ENOENT rename", "unlinkMissing": "ENOENT unlink",
            "readdirMissing": "ENOENT scandir", "writeIntoMissingDir": "ENOENT open",
            "badEncoding": "ERR_INVALID_ARG_VALUE undefined", "latin1": [233]
        })
    );
}

#[test]
fn fs_promises_cover_every_call() {
    let dir = tempfile::tempdir().unwrap();
    let d = js_str(dir.path());
    let capture = CaptureSink::new();
    let rt = open(Options::new().console(capture.clone())).unwrap();
    rt.eval::<()>(&format!(
        "const p = require('fs').promises; const d = {d};
         (async () => {{
           await p.mkdir(d + '/x/y', {{ recursive: true }});
           await p.writeFile(d + '/x/f', 'one');
           await p.appendFile(d + '/x/f', '+two');
           await p.copyFile(d + '/x/f', d + '/x/g');
           await p.rename(d + '/x/g', d + '/x/h');
           await p.access(d + '/x/h');
           const listed = await p.readdir(d + '/x');
           const size = (await p.stat(d + '/x/f')).size;
           const isLink = (await p.lstat(d + '/x/f')).isSymbolicLink();
           const real = (await p.realpath(d + '/x/f')).endsWith('/x/f');
           await p.unlink(d + '/x/h');
           await p.rmdir(d + '/x/y');
           await p.rm(d + '/x', {{ recursive: true }});
           const gone = await p.stat(d + '/x').catch((e) => e.code);
           console.log(JSON.stringify([listed, size, isLink, real, gone]));
         }})();"
    ))
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(
        capture.text(Stream::Stdout),
        "[[\"f\",\"h\",\"y\"],7,false,true,\"ENOENT\"]\n"
    );
}

#[test]
fn os_and_process_remaining_functions() {
    let seen: Value = rt()
        .eval(
            "const os = require('os');
             const [s, ns] = process.hrtime();
             const diff = process.hrtime([s, ns]);
             [os.freemem() > 0, os.uptime() > 0, os.endianness(), os.availableParallelism() > 0, os.devNull,
              Number.isInteger(s) && Number.isInteger(ns), diff[0] === 0 && diff[1] >= 0,
              typeof process.memoryUsage().heapUsed, process.uptime() >= 0, process.version.startsWith('v'),
              (() => { try { process.nextTick(42) } catch (e) { return e.code } })()]",
        )
        .unwrap();
    assert_eq!(
        seen,
        json!([
            true,
            true,
            "LE",
            true,
            "/dev/null",
            true,
            true,
            "number",
            true,
            true,
            "ERR_INVALID_ARG_TYPE"
        ])
    );
}
