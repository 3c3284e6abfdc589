//! `child_process` checked against Node (`fixtures/child_process/main.js`,
//! `expected.txt` printed by `node main.js`), and the exec policy in front
//! of it: a sandboxed runtime reaches no program and signals no process, a
//! program list limits every way of starting one, and a shell runs only
//! when `/bin/sh` is on the list.

#[path = "common/node_fixture.rs"]
mod node_fixture;

use std::time::{Duration, Instant};

use jsbox::{CaptureSink, Factory, Options, Stream};
use node_fixture::NodeFixture;

/// The programs the fixture runs, as it names them.
const FIXTURE_PROGRAMS: [&str; 8] = [
    "sh",
    "/bin/sh",
    "echo",
    "cat",
    "false",
    "true",
    "sleep",
    "nope-not-a-program",
];

#[test]
fn child_process_matches_node() {
    let fixture = NodeFixture::new("child_process");
    // Under a program list argv[0] is the program as written (a multi-call
    // binary would otherwise choose what to be from `argv0`): the one line
    // that differs from Node. The heap-image run below has no list and
    // prints Node's line.
    let expected = fixture.expected().replace(
        "spawnSync argv0: \"renamed\\n\"",
        "spawnSync argv0: \"sh\\n\"",
    );
    assert_ne!(
        expected,
        fixture.expected(),
        "the argv0 line is still there"
    );
    let factory = fixture.factory(Options::new().allow_programs(FIXTURE_PROGRAMS));
    node_fixture::assert_same_lines(&fixture.run_in(&factory, "main.js"), &expected);
}

#[test]
fn child_process_matches_node_in_heap_image_runtimes() {
    NodeFixture::new("child_process").check_in_heap_images("main.js");
}

fn run(options: Options, source: &str) -> String {
    let rt = Factory::new(options).unwrap().new_runtime().unwrap();
    rt.eval::<String>(source).unwrap()
}

/// The code (or "ok") of each call, in order, from JavaScript.
const EVERY_WAY: &str = r#"
    const cp = require('child_process');
    const code = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
    [
      code(() => cp.spawnSync('echo', ['x'])),
      code(() => cp.execFileSync('echo', ['x'])),
      code(() => cp.execSync('echo x')),
      code(() => cp.spawn('echo', ['x'])),
      code(() => cp.exec('echo x')),
      code(() => cp.execFile('echo', ['x'])),
      code(() => cp.spawnSync('echo', ['x'], { shell: true })),
      code(() => process.kill(process.pid, 0)),
    ].join()
"#;

#[test]
fn sandboxed_runtimes_start_no_program_and_signal_no_process() {
    let denied = "ERR_ACCESS_DENIED";
    assert_eq!(
        run(Options::new().sandboxed(), EVERY_WAY),
        [denied; 8].join(",")
    );
    assert_eq!(
        run(Options::new().deny_modules(["exec"]), EVERY_WAY),
        [denied; 8].join(",")
    );
}

#[test]
fn the_program_list_limits_every_way_of_starting_one() {
    // echo only: no shell, and process.kill only for the runtime's own children.
    assert_eq!(
        run(Options::new().allow_programs(["echo"]), EVERY_WAY),
        "ok,ok,ERR_ACCESS_DENIED,ok,ERR_ACCESS_DENIED,ok,ERR_ACCESS_DENIED,ERR_ACCESS_DENIED"
    );
    // /bin/sh on the list: shell commands run (and only through /bin/sh).
    assert_eq!(
        run(
            Options::new().allow_programs(["echo", "/bin/sh"]),
            EVERY_WAY
        ),
        "ok,ok,ok,ok,ok,ok,ok,ERR_ACCESS_DENIED"
    );
    // A shell of the script's choosing is checked as that program.
    assert_eq!(
        run(
            Options::new().allow_programs(["/bin/sh"]),
            "const cp = require('child_process'); \
             [['/bin/bash', () => cp.execSync('echo', { shell: '/bin/bash' })], \
              ['sh', () => cp.spawnSync('sh', ['-c', 'echo'])]] \
             .map(([n, f]) => { try { f(); return n + ' ok'; } catch (e) { return n + ' ' + e.code; } }).join()"
        ),
        "/bin/bash ERR_ACCESS_DENIED,sh ERR_ACCESS_DENIED"
    );
    // No list: everything, process.kill included.
    assert_eq!(run(Options::new(), EVERY_WAY), "ok,ok,ok,ok,ok,ok,ok,ok");
}

#[test]
fn a_listed_name_runs_the_hosts_program_whatever_path_the_script_sets() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("echo");
    std::fs::write(&fake, "#!/bin/sh\necho fake\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let source = format!(
        "require('child_process').execFileSync('echo', ['real'], {{ env: {{ PATH: '{}' }}, encoding: 'utf8' }})",
        dir.path().display()
    );
    assert_eq!(
        run(Options::new().allow_programs(["echo"]), &source),
        "real\n"
    );
    let legacy = format!(
        "require('exec').run('echo', ['real'], {{ env: {{ PATH: '{}' }} }})",
        dir.path().display()
    );
    assert_eq!(
        run(Options::new().allow_programs(["echo"]), &legacy),
        "real\n"
    );
    // Without a list the script's PATH is used, as in Node.
    assert_eq!(run(Options::new(), &source), "fake\n");
}

#[test]
fn dropping_a_runtime_kills_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pid");
    let rt = Factory::new(Options::new()).unwrap().new_runtime().unwrap();
    rt.eval::<()>(&format!(
        "require('child_process').spawn('sh', ['-c', 'echo $$ > {}; exec sleep 30'])",
        marker.display()
    ))
    .unwrap();
    let started = Instant::now();
    let pid = loop {
        if let Ok(text) = std::fs::read_to_string(&marker) {
            if text.ends_with('\n') {
                break text.trim().parse::<i32>().unwrap();
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the child never started"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    // SAFETY: kill(pid, 0) only asks whether the process exists.
    let alive = |pid: i32| unsafe { libc_kill(pid, 0) } == 0 && !is_zombie(pid);
    assert!(alive(pid));
    drop(rt);
    let started = Instant::now();
    while alive(pid) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the child outlived its runtime"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, signal: i32) -> i32;
}

fn is_zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            stat.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
        .unwrap_or(true)
}

#[test]
fn a_runtime_with_a_running_child_finishes_its_event_loop() {
    let capture = CaptureSink::new();
    let rt = Factory::new(Options::new().console(capture.clone()))
        .unwrap()
        .new_runtime()
        .unwrap();
    rt.eval::<()>(
        "const c = require('child_process').spawn('sh', ['-c', 'sleep 0.1; echo late']); \
         c.stdout.on('data', (d) => console.log('data', String(d).trim())); \
         c.on('close', (code) => console.log('close', code));",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stdout), "data late\nclose 0\n");
    // An unref'd child does not keep the loop alive.
    capture.clear();
    let started = Instant::now();
    rt.eval::<()>(
        "const d = require('child_process').spawn('sleep', ['5']); d.unref(); \
         d.on('exit', () => console.log('never'));",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    // Well under the child's 5 s: the loop did not wait for it.
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(capture.text(Stream::Stdout), "");
}

#[test]
fn the_runtimes_time_limit_ends_a_synchronous_child() {
    let rt = Factory::new(Options::new().timeout(Duration::from_millis(200)))
        .unwrap()
        .new_runtime()
        .unwrap();
    let started = Instant::now();
    let error = rt
        .eval::<()>("require('child_process').spawnSync('sleep', ['10'])")
        .unwrap_err();
    assert!(matches!(error, jsbox::Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn hostile_arguments_are_refused_without_harm() {
    let out = run(
        Options::new(),
        r#"
        const cp = require('child_process');
        const code = (f) => { try { f(); return 'ok'; } catch (e) { return e.code || e.name; } };
        [
          code(() => cp.spawnSync('echo', new Array(2 ** 32 - 1))),
          code(() => cp.spawnSync('echo', [], { env: new Proxy({}, { ownKeys() { throw new Error('x'); } }) })),
          code(() => cp.spawnSync('echo', [], { timeout: -1 })),
          code(() => cp.spawnSync('echo', [], { maxBuffer: NaN })),
          code(() => cp.spawnSync('echo', [], { killSignal: 'SIGNOPE' })),
          code(() => cp.spawn('sleep', ['1']).kill('SIGNOPE')),
          code(() => process.kill(0.5)),
          code(() => process.kill('1')),
        ].join()
    "#,
    );
    assert_eq!(
        out,
        "ERR_OUT_OF_RANGE,Error,ERR_OUT_OF_RANGE,ERR_OUT_OF_RANGE,ERR_UNKNOWN_SIGNAL,ERR_UNKNOWN_SIGNAL,ERR_INVALID_ARG_TYPE,ERR_INVALID_ARG_TYPE"
    );
}

#[test]
fn inherited_output_goes_through_the_console_sink_of_a_library_runtime() {
    let capture = CaptureSink::new();
    let rt = Factory::new(Options::new().console(capture.clone()))
        .unwrap()
        .new_runtime()
        .unwrap();
    rt.eval::<()>(
        "const cp = require('child_process'); \
         console.log('before'); \
         const r = cp.spawnSync('sh', ['-c', 'echo out; echo err >&2'], { stdio: 'inherit' }); \
         console.log('sync', JSON.stringify(r.output), r.stdout); \
         try { cp.execSync('echo failing >&2; exit 1') } catch (e) { console.log('status', e.status) } \
         const child = cp.spawn('sh', ['-c', 'echo async'], { stdio: 'inherit' }); \
         console.log('streams', child.stdout, child.stderr); \
         child.on('close', (code) => console.log('close', code));",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    // What node prints (its output being the process's own).
    assert_eq!(
        capture.text(Stream::Stdout),
        "before\nout\nsync [null,null,null] null\nstatus 1\nstreams null null\nasync\nclose 0\n"
    );
    assert_eq!(capture.text(Stream::Stderr), "err\nfailing\n");
}

#[test]
fn a_throwing_listener_does_not_stall_the_child() {
    let capture = CaptureSink::new();
    let rt = Factory::new(Options::new().console(capture.clone()))
        .unwrap()
        .new_runtime()
        .unwrap();
    rt.eval::<()>(
        "process.on('uncaughtException', (e) => console.log('caught', e.message)); \
         const c = require('child_process').spawn('sh', ['-c', 'echo one']); \
         c.stdout.on('data', () => { throw new Error('in data'); }); \
         c.on('exit', (code) => console.log('exit', code)); \
         c.on('close', (code) => console.log('close', code));",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    // node prints the same.
    assert_eq!(
        capture.text(Stream::Stdout),
        "caught in data\nexit 0\nclose 0\n"
    );
}
