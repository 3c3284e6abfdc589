//! `process.stdout` / `process.stderr` as streams through the console sink,
//! `tty`, the process facts Node code reads (`version`, `versions`,
//! `release`), and the process events a runtime honours (`'exit'`,
//! `'beforeExit'`, `'uncaughtException'`, `'unhandledRejection'`,
//! `'warning'`), each compared with what Node does.

use jsbox::{CaptureSink, Factory, Options, Runtime, Stream};

fn runtime(options: Options) -> (Runtime, CaptureSink) {
    let capture = CaptureSink::new();
    let rt = Factory::new(options.console(capture.clone()))
        .unwrap()
        .new_runtime()
        .unwrap();
    (rt, capture)
}

#[test]
fn stdout_writes_and_console_lines_stay_in_order() {
    let (rt, capture) = runtime(Options::new());
    rt.eval::<()>(
        "console.log('a'); process.stdout.write('b'); process.stdout.write('c\\nd'); \
         process.stderr.write('err\\n'); console.log('e'); \
         process.stdout.write(Buffer.from('f\\n')); process.stdout.write('tail');",
    )
    .unwrap();
    // node -e prints a, bc, de, f and tail (stdout) and err (stderr).
    assert_eq!(capture.text(Stream::Stdout), "a\nbc\nde\nf\ntail");
    assert_eq!(capture.text(Stream::Stderr), "err\n");
    assert_eq!(
        capture.messages(),
        vec![
            (Stream::Stdout, "a".to_string()),
            (Stream::Stdout, "bc".to_string()),
            (Stream::Stderr, "err".to_string()),
            (Stream::Stdout, "de".to_string()),
            (Stream::Stdout, "f".to_string()),
            (Stream::Stdout, "tail".to_string()),
        ]
    );
}

#[test]
fn stdout_is_a_writable_stream_as_node_has_it() {
    let (rt, capture) = runtime(Options::new());
    let facts: String = rt
        .eval(
            "const out = process.stdout; \
             [out === process.stdout, out.fd, process.stderr.fd, out.isTTY, out.columns, \
              out.writable, out.write('x', () => console.log('written')), \
              out.write('y', 'utf8'), out.write(Buffer.from('7a', 'hex')), \
              out.write('e282ac', 'hex'), typeof out.on, typeof out.once, typeof out.emit, \
              Object.keys(process).includes('stdout'), \
              out.hasColors(), out.getColorDepth()].join()",
        )
        .unwrap();
    // What node prints for the same with stdout piped; then hasColors() and
    // getColorDepth(), which Node has on a terminal only.
    assert_eq!(
        facts,
        "true,1,2,,,true,true,true,true,true,function,function,function,true,false,1"
    );
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stdout), "xyz€written\n");
    let finished: String = rt
        .eval(
            "globalThis.seen = []; process.stdout.on('finish', () => seen.push('finish')); \
             process.stdout.end('last\\n'); seen.join()",
        )
        .unwrap();
    assert_eq!(finished, "");
    rt.run_until_idle().unwrap();
    assert_eq!(rt.eval::<String>("seen.join()").unwrap(), "finish");
    let error: String = rt
        .eval("try { process.stdout.write(1) } catch (e) { e.code }")
        .unwrap();
    assert_eq!(error, "ERR_INVALID_ARG_TYPE");
}

#[test]
fn the_streams_are_built_on_first_use() {
    let (rt, _) = runtime(Options::new());
    let lazy: String = rt
        .eval("typeof Object.getOwnPropertyDescriptor(process, 'stdout').get")
        .unwrap();
    assert_eq!(lazy, "function");
}

#[test]
fn tty_answers_for_the_runtime_not_the_host() {
    let (rt, _) = runtime(Options::new().sandboxed());
    let facts: String = rt
        .eval(
            "const tty = require('tty'); \
             [tty.isatty(1), tty.isatty(2), tty.isatty(99), tty.isatty(-1), tty.isatty('1'), \
              process.stdout instanceof tty.WriteStream, process.stdin instanceof tty.ReadStream, \
              (() => { try { new tty.WriteStream(-1) } catch (e) { return e.code } })(), \
              (() => { try { new tty.WriteStream('x') } catch (e) { return e.code } })(), \
              (() => { try { new tty.ReadStream(5) } catch (e) { return e.code } })()].join()",
        )
        .unwrap();
    assert_eq!(
        facts,
        "false,false,false,false,false,true,true,ERR_INVALID_FD,ERR_INVALID_FD,ERR_TTY_INIT_FAILED"
    );
}

#[test]
fn process_says_which_node_it_follows() {
    let (rt, _) = runtime(Options::new());
    let facts: String = rt
        .eval(
            "[process.version, process.versions.node, process.release.name, \
              process.versions.jsbox, typeof process.versions.quickjs, typeof process.execPath, \
              typeof process.umask(), process instanceof Object].join()",
        )
        .unwrap();
    assert_eq!(
        facts,
        format!(
            "v20.20.2,20.20.2,node,{},string,string,number,true",
            env!("CARGO_PKG_VERSION")
        )
    );
    // Setting the umask changes the host process: not for a runtime
    // without the file system.
    let (rt, _) = runtime(Options::new().sandboxed());
    let code: String = rt
        .eval("try { process.umask(0o22); 'set' } catch (e) { e.code }")
        .unwrap();
    assert_eq!(code, "ERR_ACCESS_DENIED");
    assert!(rt.eval::<f64>("process.umask()").is_ok());
}

#[test]
fn exit_and_before_exit_run_as_in_node() {
    let (rt, capture) = runtime(Options::new());
    rt.eval::<()>(
        "let n = 0; \
         process.on('beforeExit', (code) => { console.log('beforeExit', code, n); \
           if (n++ < 2) setTimeout(() => console.log('timer', n), 1); }); \
         process.on('exit', (code) => console.log('exit', code)); \
         process.once('exit', () => console.log('once')); \
         process.exitCode = 2;",
    )
    .unwrap();
    assert_eq!(rt.run_to_exit().unwrap(), 2);
    // node prints the same for this script.
    assert_eq!(
        capture.text(Stream::Stdout),
        "beforeExit 2 0\ntimer 1\nbeforeExit 2 1\ntimer 2\nbeforeExit 2 2\nexit 2\nonce\n"
    );
    // 'exit' runs once.
    assert_eq!(rt.emit_exit(Some(1)).unwrap(), 2);
    assert_eq!(capture.text(Stream::Stdout).matches("exit 2").count(), 1);
    // A runtime that never touched process ends with 0.
    let (rt, _) = runtime(Options::new());
    assert_eq!(rt.run_to_exit().unwrap(), 0);
}

#[test]
fn process_exit_runs_the_exit_listeners_first() {
    let (rt, capture) = runtime(Options::new());
    let error = rt
        .eval::<()>(
            "process.on('exit', (code) => { console.log('exit', code); process.exitCode = 9; }); \
             process.exit(3); console.log('never');",
        )
        .unwrap_err();
    assert!(matches!(error, jsbox::Error::Exit(9)), "{error:?}");
    assert_eq!(capture.text(Stream::Stdout), "exit 3\n");
}

#[test]
fn uncaught_exception_listeners_keep_the_program_going() {
    let (rt, capture) = runtime(Options::new());
    rt.eval::<()>(
        "process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin)); \
         setTimeout(() => { throw new Error('late'); }, 1); \
         setTimeout(() => console.log('after'), 5); \
         process.nextTick(() => { throw new Error('tick'); });",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(
        capture.text(Stream::Stdout),
        "caught tick uncaughtException\ncaught late uncaughtException\nafter\n"
    );
    // Without a listener, the error ends the loop.
    let (rt, _) = runtime(Options::new());
    rt.eval::<()>("process.on('exit', () => {}); setTimeout(() => { throw new Error('x'); }, 1)")
        .unwrap();
    assert!(rt.run_until_idle().is_err());
}

#[test]
fn unhandled_rejection_listeners_take_rejections() {
    let (rt, capture) = runtime(Options::new());
    rt.eval::<()>(
        "process.on('unhandledRejection', (reason, promise) => \
           console.log('unhandled', reason.message, promise instanceof Promise)); \
         Promise.reject(new Error('x')); Promise.reject(new Error('y')); \
         setTimeout(() => console.log('still running'), 2);",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(
        capture.text(Stream::Stdout),
        "unhandled x true\nunhandled y true\nstill running\n"
    );
    // An 'uncaughtException' listener takes them when there is no other.
    let (rt, capture) = runtime(Options::new());
    rt.eval::<()>(
        "process.on('uncaughtException', (err, origin) => console.log(err.message, origin)); \
         Promise.reject(new Error('z'));",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(capture.text(Stream::Stdout), "z unhandledRejection\n");
}

#[test]
fn warnings_are_events_and_printed() {
    let (rt, capture) = runtime(Options::new());
    rt.eval::<()>(
        "process.on('warning', (w) => console.log('warning', w.name, w.message, w.code)); \
         process.emitWarning('careful', 'CustomWarning', 'C01'); \
         process.emitWarning('plain'); \
         console.log('sync first');",
    )
    .unwrap();
    rt.run_until_idle().unwrap();
    assert_eq!(
        capture.text(Stream::Stdout),
        "sync first\nwarning CustomWarning careful C01\nwarning Warning plain undefined\n"
    );
    assert_eq!(
        capture.text(Stream::Stderr),
        "(jsbox) [C01] CustomWarning: careful\n(jsbox) Warning: plain\n"
    );
}

#[test]
fn process_kill_reports_as_node_does() {
    let (rt, _) = runtime(Options::new());
    let facts: String = rt
        .eval(
            "const e = (() => { try { process.kill(2147483647, 0) } catch (e) { return e } })(); \
             [e.message, e.code, e.errno, e.syscall, Object.keys(e), process.kill(process.pid, 0), \
              (() => { try { process.kill(process.pid, 'SIGNOPE') } catch (e) { return e.code } })()].join(' ')",
        )
        .unwrap();
    // node prints the same.
    assert_eq!(
        facts,
        "kill ESRCH ESRCH -3 kill errno,code,syscall true ERR_UNKNOWN_SIGNAL"
    );
}
