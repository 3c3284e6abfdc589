//! End-to-end tests of the built `jsbox` binary.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn jsbox(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jsbox"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the jsbox binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

fn write(dir: &Path, name: &str, source: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, source).unwrap();
}

#[test]
fn run_executes_the_hello_example() {
    let out = jsbox(&["run", "examples/hello.js"], workspace());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("hello, world! (from greeter.js)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("jsbox speaks 2 languages: [ 'JavaScript', 'Rust' ]"),
        "{stdout}"
    );
}

#[test]
fn run_resolves_requires_from_the_script_folder_not_the_cwd() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app/main.js",
        "console.log(require('./lib/x').v, require.main === module)",
    );
    write(dir.path(), "app/lib/x.js", "exports.v = 'from lib'");
    let out = jsbox(&["run", "app/main.js"], dir.path());
    assert_eq!(
        text(&out.stdout),
        "from lib true\n",
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn uncaught_errors_print_the_stack_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.js", "console.log('before');\nfunction fail() {\n  throw new TypeError('bad thing');\n}\nfail();\n");
    let out = jsbox(&["run", "main.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "before\n");
    let stderr = text(&out.stderr);
    // As node prints it: file:line, the line, a caret, a blank line, the error.
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines[0].ends_with("main.js:3"), "{stderr}");
    assert_eq!(lines[1], "  throw new TypeError('bad thing');", "{stderr}");
    assert_eq!(lines[2].trim(), "^", "{stderr}");
    assert_eq!(lines[3], "", "{stderr}");
    assert_eq!(lines[4], "TypeError: bad thing", "{stderr}");
    assert!(
        lines[5].contains("at fail (") && lines[5].contains("main.js:3:"),
        "{stderr}"
    );
    assert!(!stderr.contains("Uncaught"), "{stderr}");
}

/// Each case: a script, then exactly what stderr holds (`DIR` is the script's
/// folder), as node prints it where jsbox can match it.
#[test]
fn uncaught_values_and_failures_print_as_node_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("object.js", "throw {a: 1}\n", "Uncaught { a: 1 }\n"),
        ("string.js", "throw 's'\n", "Uncaught 's'\n"),
        (
            "number.js",
            "Promise.reject(42)\n",
            "UnhandledPromiseRejection: This error originated either by throwing inside of an async \
             function without a catch block, or by rejecting a promise which was not handled with \
             .catch(). The promise rejected with the reason \"42\". {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n",
        ),
        (
            "syntax.js",
            "let x = ;\n",
            "DIR/syntax.js:1\nlet x = ;\n        ^\n\nSyntaxError: unexpected token in expression: ';'\n    at DIR/syntax.js:1:9\n",
        ),
        (
            "missing.js",
            "require('nope')\n",
            "DIR/missing.js:1\nrequire('nope')\n^\n\nError: Cannot find module 'nope'\nRequire stack:\n- DIR/missing.js\n    \
             at <anonymous> (DIR/missing.js:1:1) {\n  code: 'MODULE_NOT_FOUND'\n}\n",
        ),
        (
            "rejected.js",
            "Promise.reject(new RangeError('nobody'))\n",
            "DIR/rejected.js:1\nPromise.reject(new RangeError('nobody'))\n                   ^\n\nRangeError: nobody\n    at <anonymous> (DIR/rejected.js:1:20)\n",
        ),
    ];
    let folder = dir.path().canonicalize().unwrap();
    for (name, source, expected) in cases {
        write(dir.path(), name, source);
        let out = jsbox(&[name], &folder);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let expected = expected.replace("DIR", folder.to_str().unwrap());
        assert_eq!(text(&out.stderr), expected, "{name}");
    }
}

#[test]
fn syntax_errors_and_missing_files_exit_1_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.js", "let = ;");
    let out = jsbox(&["run", "bad.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("SyntaxError"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("bad.js:1:"),
        "{}",
        text(&out.stderr)
    );

    let out = jsbox(&["run", "missing.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("Cannot find module"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn eval_prints_like_node_p() {
    let dir = tempfile::tempdir().unwrap();
    let out = jsbox(&["eval", "({ a: [1, 2], s: 'x' })"], dir.path());
    assert_eq!(text(&out.stdout), "{ a: [ 1, 2 ], s: 'x' }\n");
    let out = jsbox(&["eval", "'plain'"], dir.path());
    assert_eq!(text(&out.stdout), "plain\n");
    let out = jsbox(&["eval", "nope()"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("ReferenceError"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn eval_and_repl_take_the_limit_and_sandbox_flags() {
    let dir = tempfile::tempdir().unwrap();
    let out = jsbox(&["eval", "--timeout", "100", "while (true) {}"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("timed out"),
        "{}",
        text(&out.stderr)
    );
    let out = jsbox(&["eval", "--sandbox", "typeof require('fs')"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("Access to module 'fs' is denied"),
        "{}",
        text(&out.stderr)
    );
    let out = jsbox(
        &["eval", "--memory-limit", "8", "'x'.repeat(64 << 20).length"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));

    let out = repl_with_input(
        &["repl", "--sandbox", "--timeout", "100"],
        "typeof require('path')\nrequire('fs')\nwhile (true) {}\n'still here'\n",
        dir.path(),
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("'object'") && stdout.contains("'still here'"),
        "{stdout}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Access to module 'fs' is denied"),
        "{stderr}"
    );
    assert!(stderr.contains("timed out"), "{stderr}");
}

/// Runs the binary with `args`, feeds it `input` on stdin and closes it.
fn repl_with_input(args: &[&str], input: &str, cwd: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jsbox"))
        .args(args)
        .current_dir(cwd)
        .env("HOME", cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn repl_keeps_state_continues_lines_and_knows_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = repl_with_input(
        &["repl"],
        "let x = 41\nfunction f() {\n  return x + 1\n}\nf()\n.help\n'quoted'\nthrow new Error('oops')\n({ k: 'v' })\n.exit\nf()\n",
        dir.path(),
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("\n42\n"), "{stdout}");
    assert!(stdout.contains(".editor"), "{stdout}");
    assert!(stdout.contains("'quoted'"), "{stdout}");
    assert!(stdout.contains("{ k: 'v' }"), "{stdout}");
    assert_eq!(text(&out.stderr), "Uncaught Error: oops\n");
    // Nothing after `.exit` runs: 42 shows up once.
    assert_eq!(stdout.matches("42").count(), 1, "{stdout}");
    assert!(out.status.success());
}

#[test]
fn repl_continues_open_literals_awaits_and_remembers_results() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lib.js", "var loaded = 'from a file'\n");
    let input = "\
const o = {
  a: 40,
}
class A {
  m() { return 2 }
}
const list = [
  1,
  2]
const t = `one
two`
o.a + new A().m()
_ + 1000
list.length + t.length
const late = await new Promise(r => setTimeout(() => r('awaited'), 20))
late
throw { code: 7 }
_error.code
.nope
.5 + 1
.load lib.js
loaded
.editor
function g() {
  return 'from the editor'
}
g()
";
    let out = repl_with_input(&[], input, dir.path());
    let stdout = text(&out.stdout);
    let results: Vec<&str> = stdout.lines().skip(2).collect();
    assert_eq!(
        results,
        [
            "undefined",
            "undefined",
            "undefined",
            "undefined",
            "42",
            "1042",
            "9",
            "undefined",
            "'awaited'",
            "7",
            "1.5",
            "undefined",
            "'from a file'",
            "// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)",
            "'from the editor'",
        ],
        "{stdout}"
    );
    assert_eq!(
        text(&out.stderr),
        "Uncaught { code: 7 }\nInvalid REPL keyword\n"
    );
}

/// Reads a child's output on a thread, so a test can wait for a piece of it
/// while the child keeps running.
struct Collector(
    std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    std::thread::JoinHandle<()>,
);

impl Collector {
    fn new(mut from: impl std::io::Read + Send + 'static) -> Collector {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = seen.clone();
        let reader = std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = from.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        Collector(seen, reader)
    }

    fn text(&self) -> String {
        text(&self.0.lock().unwrap())
    }

    /// Everything the stream carried, once it has ended (its writer exited):
    /// the reader may still be behind when the process is reaped.
    fn finish(self) -> String {
        self.1.join().unwrap();
        text(&self.0.lock().unwrap())
    }

    /// Waits until the output contains `needle` (panics after 20 s: a hang).
    fn wait_for(&self, needle: &str) {
        self.wait_for_after("", needle);
    }

    /// Waits until `needle` appears after the first `anchor` in the output.
    fn wait_for_after(&self, anchor: &str, needle: &str) {
        let give_up = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let found = |text: String| {
            text.find(anchor)
                .is_some_and(|at| text[at + anchor.len()..].contains(needle))
        };
        while !found(self.text()) {
            assert!(
                std::time::Instant::now() < give_up,
                "never printed {needle:?}; got:\n{}",
                self.text()
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

#[test]
fn repl_runs_timers_while_it_waits_for_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jsbox"))
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = Collector::new(child.stdout.take().unwrap());
    let stderr = Collector::new(child.stderr.take().unwrap());
    stdin
        .write_all(b"setTimeout(() => console.log('tick'), 30); 'armed'\n")
        .unwrap();
    stdout.wait_for("'armed'");
    // No further input: the timer fires on its own.
    stdout.wait_for("tick");
    stdin
        .write_all(b"setTimeout(() => { throw new Error('from a timer') }, 10); 1\n")
        .unwrap();
    stderr.wait_for("Uncaught Error: from a timer");
    stdin.write_all(b"'alive'\n.exit\n").unwrap();
    stdout.wait_for("'alive'");
    assert!(child.wait().unwrap().success());
}

#[test]
fn modules_lists_native_modules() {
    let out = jsbox(&["modules"], workspace());
    assert!(out.status.success());
    let listing = text(&out.stdout);
    for name in [
        "database", "events", "exec", "fs", "os", "path", "process", "timers", "util",
    ] {
        assert!(
            listing.lines().any(|line| line == name),
            "{name} missing from:\n{listing}"
        );
    }
    assert!(listing.contains("configure('sqlite3', dsn)"), "{listing}");
}

#[test]
fn run_with_call_log_then_inspect_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.js",
        "const path = require('path');\nfor (let i = 0; i < 3; i++) path.join('a', String(i));\ntry { require('fs').readFileSync('/no/such') } catch {}\n",
    );
    let out = jsbox(&["run", "--call-log", "calls.db", "main.js"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = jsbox(&["calllog", "calls.db", "--json"], dir.path());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 4);
    assert_eq!(rows[0]["function"], "join");
    // Arguments and results are JSON values, not JSON text in strings.
    assert_eq!(rows[0]["args"], serde_json::json!(["a", "0"]));
    assert_eq!(rows[0]["result"], serde_json::json!("a/0"));
    assert_eq!(rows[3]["function"], "readFileSync");
    assert_eq!(rows[3]["args"], serde_json::json!(["/no/such"]));
    assert!(rows[3]["result"].is_null());
    assert!(rows[3]["error"].as_str().unwrap().contains("ENOENT"));

    let out = jsbox(&["calllog", "calls.db", "--errors"], dir.path());
    let table = text(&out.stdout);
    assert!(
        table.contains("fs.readFileSync") && table.contains("ENOENT"),
        "{table}"
    );
    assert!(!table.contains("path.join"), "{table}");

    let out = jsbox(
        &["calllog", "calls.db", "--tail", "1", "--function", "join"],
        dir.path(),
    );
    assert_eq!(text(&out.stdout).lines().count(), 2, "header and one row");

    let out = jsbox(&["calllog", "calls.db", "--stats"], dir.path());
    let stats = text(&out.stdout);
    let join = stats.lines().find(|l| l.starts_with("path.join")).unwrap();
    assert_eq!(join.split_whitespace().nth(1), Some("3"), "{stats}");

    let out = jsbox(&["calllog", "missing.db"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("does not exist"));
}

#[test]
fn process_exit_code_and_unhandled_rejections_set_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "exit.js",
        "setTimeout(() => process.exit(7), 1); setInterval(() => {}, 1000);",
    );
    assert_eq!(
        jsbox(&["run", "exit.js"], dir.path()).status.code(),
        Some(7)
    );
    write(
        dir.path(),
        "reject.js",
        "Promise.reject(new Error('nobody'));",
    );
    let out = jsbox(&["run", "reject.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("\nError: nobody\n"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn everything_after_the_script_belongs_to_the_script() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "args.js",
        "console.log(JSON.stringify(process.argv.slice(1)))",
    );
    let out = jsbox(&["run", "args.js", "x", "--y"], dir.path());
    assert_eq!(text(&out.stdout), "[\"args.js\",\"x\",\"--y\"]\n");
    let out = jsbox(
        &["run", "args.js", "--timeout", "5", "--port", "80"],
        dir.path(),
    );
    assert_eq!(
        text(&out.stdout),
        "[\"args.js\",\"--timeout\",\"5\",\"--port\",\"80\"]\n"
    );
    // `jsbox SCRIPT` is `jsbox run SCRIPT`, jsbox's own flags before it.
    let out = jsbox(&["args.js", "--sandbox", "-v"], dir.path());
    assert_eq!(text(&out.stdout), "[\"args.js\",\"--sandbox\",\"-v\"]\n");
    write(dir.path(), "spin.js", "while (true) {}");
    let out = jsbox(
        &["--timeout", "100", "spin.js", "--timeout", "100000"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("timed out"),
        "{}",
        text(&out.stderr)
    );
    // `jsbox` alone is the REPL.
    let out = repl_with_input(&[], "6 * 7\n", dir.path());
    assert!(
        text(&out.stdout).contains("\n42\n"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn run_enforces_limits_and_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "spin.js", "while (true) {}");
    let started = std::time::Instant::now();
    let out = jsbox(&["run", "--timeout", "200", "spin.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("timed out"),
        "{}",
        text(&out.stderr)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(3));

    write(
        dir.path(),
        "hog.js",
        "const a = []; for (;;) a.push(new Array(1e4).fill(0));",
    );
    let out = jsbox(&["run", "--memory-limit", "16", "hog.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("out of memory"),
        "{}",
        text(&out.stderr)
    );

    write(
        dir.path(),
        "deep.js",
        "let d = 0; try { (function f() { d++; f(); })() } catch (e) { console.log(e.name) }",
    );
    let out = jsbox(&["run", "--stack-limit", "64", "deep.js"], dir.path());
    assert_eq!(text(&out.stdout), "RangeError\n");

    write(dir.path(), "fs.js", "require('fs')");
    let out = jsbox(&["run", "--sandbox", "fs.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("Access to module 'fs' is denied"),
        "{}",
        text(&out.stderr)
    );

    write(
        dir.path(),
        "jail/read.js",
        "console.log(require('fs').readFileSync('../secret.txt', 'utf8'))",
    );
    write(dir.path(), "secret.txt", "top secret");
    let out = jsbox(&["run", "--root", "jail", "jail/read.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("outside the root"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_tour_example_uses_fs_path_database_and_timers() {
    let out = jsbox(&["run", "examples/tour.js"], workspace());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "done    8 bytes  call log\nidea   11 bytes  heap images\ntodo   10 bytes  write docs\ncleaned up: true\n"
    );
}

#[test]
fn output_into_a_closed_pipe_ends_quietly_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "loud.js",
        "for (let i = 0; i < 100000; i++) console.log('line ' + i); throw new Error('end');",
    );
    for images in ["0", "1"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jsbox"))
            .args(["run", "loud.js"])
            .current_dir(dir.path())
            .env("JSBOX_HEAP_IMAGES", images)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one chunk, then close both pipes, as `| head -1` does.
        let mut first = [0u8; 16];
        use std::io::Read;
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        // Ended by SIGPIPE (no exit code), never by a panic (101).
        assert_ne!(status.code(), Some(101), "{status}");
    }
}

/// A pseudo-terminal: the REPL sees a real terminal (line editing, raw mode,
/// the external printer), as a user at a keyboard would give it.
#[cfg(unix)]
mod terminal {
    use std::os::fd::{FromRawFd, OwnedFd};

    pub struct Pty {
        pub master: std::fs::File,
        pub slave: OwnedFd,
    }

    pub fn open() -> Pty {
        let (mut master, mut slave) = (0, 0);
        let size = libc::winsize {
            ws_row: 40,
            ws_col: 120,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: both out-pointers are valid; no name buffer or termios is passed.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty failed");
        // SAFETY: openpty returned two fresh descriptors that nothing else owns.
        unsafe {
            Pty {
                master: std::fs::File::from_raw_fd(master),
                slave: OwnedFd::from_raw_fd(slave),
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn repl_on_a_terminal_continues_lines_and_prints_timers_under_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let pty = terminal::open();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jsbox"))
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("TERM", "xterm")
        .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(Stdio::from(pty.slave))
        .spawn()
        .unwrap();
    let mut keyboard = pty.master.try_clone().unwrap();
    let screen = Collector::new(pty.master);
    screen.wait_for("> ");
    // Enter is a carriage return on a terminal in raw mode.
    keyboard.write_all(b"const o = {\r").unwrap();
    screen.wait_for("| ");
    keyboard.write_all(b"  n: 1200 }\r").unwrap();
    // Keys typed while an input runs are dropped when the prompt comes back
    // (the terminal's input is flushed): wait for it, as a person would.
    screen.wait_for_after("undefined", "> ");
    keyboard.write_all(b"o.n + 34\r").unwrap();
    screen.wait_for_after("1234", "> ");
    keyboard
        .write_all(b"setTimeout(() => console.log('tick' + 'tock'), 50); 0\r")
        .unwrap();
    // Printed with no further key pressed.
    screen.wait_for_after("ticktock", "> ");
    keyboard.write_all(b".exit\r").unwrap();
    assert!(child.wait().unwrap().success(), "{}", screen.text());
}

#[test]
fn bench_prints_each_case_as_it_finishes_and_defaults_to_ten_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let help = text(&jsbox(&["bench", "--help"], dir.path()).stdout);
    assert!(help.contains("[default: 10]"), "{help}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_jsbox"))
        .args(["bench", "--seconds", "2.5"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = Collector::new(child.stdout.take().unwrap());
    // The first case is printed after a fifth of the budget, while the
    // other four still run.
    stdout.wait_for("bare engine");
    assert!(child.try_wait().unwrap().is_none(), "{}", stdout.text());
    assert!(child.wait().unwrap().success());
    let table = stdout.finish();
    assert_eq!(table.lines().count(), 6, "{table}");
    for case in [
        "open()",
        "factory",
        "factory + call log",
        "factory + heap images",
    ] {
        assert!(table.contains(case), "{table}");
    }
}

/// A script writes its errors' stacks itself: the source line shown for an
/// uncaught error must not come from a file the policy keeps from the script.
#[test]
fn an_uncaught_errors_source_line_never_comes_from_a_file_the_policy_hides() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().canonicalize().unwrap();
    write(&folder, "secret.txt", "the secret line\n");
    let forge = format!(
        "const e = new Error('forged'); e.stack = '    at x ({}:1:1)'; throw e;\n",
        folder.join("secret.txt").display()
    );
    write(&folder, "jail/forge.js", &forge);
    for args in [
        vec!["--root", "jail", "jail/forge.js"],
        vec!["--sandbox", "jail/forge.js"],
    ] {
        let out = jsbox(&args, &folder);
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        assert!(stderr.contains("Error: forged"), "{stderr}");
        assert!(!stderr.contains("the secret line"), "{args:?}: {stderr}");
    }
    // Without a file policy the script could read the file anyway.
    let out = jsbox(&["jail/forge.js"], &folder);
    assert!(text(&out.stderr).contains("the secret line"));
}

#[test]
fn es_modules_run_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "lib.mjs",
        "export const twice = (x) => 2 * x;\n",
    );
    write(
        dir.path(),
        "app.mjs",
        "import { twice } from './lib.mjs';\nimport { basename } from 'node:path';\nconst n = await new Promise((r) => setTimeout(() => r(twice(21)), 5));\nconsole.log(n, basename(import.meta.filename), process.argv.slice(2));\n",
    );
    let out = jsbox(&["app.mjs", "--flag"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "42 app.mjs [ '--flag' ]\n");

    // A .js file under "type": "module" is an ES module too.
    write(dir.path(), "typed/package.json", "{ \"type\": \"module\" }");
    write(
        dir.path(),
        "typed/main.js",
        "import { twice } from '../lib.mjs';\nconsole.log(twice(4));\n",
    );
    let out = jsbox(&["run", "typed/main.js"], dir.path());
    assert_eq!(text(&out.stdout), "8\n", "{}", text(&out.stderr));

    // An error while loading names the file, as node prints it.
    write(
        dir.path(),
        "broken.mjs",
        "import { nothing } from './lib.mjs';\n",
    );
    let out = jsbox(&["broken.mjs"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("SyntaxError"),
        "{}",
        text(&out.stderr)
    );

    let out = jsbox(
        &[
            "eval",
            "--input-type=module",
            "import { twice } from './lib.mjs'; console.log(twice(await Promise.resolve(8)));",
        ],
        dir.path(),
    );
    assert_eq!(text(&out.stdout), "16\n", "{}", text(&out.stderr));
}

/// Runs `source` as `main.js` with `stdin`; its exit code, stdout and stderr.
fn run_script(source: &str, stdin: &[u8]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.js", source);
    let mut child = Command::new(env!("CARGO_BIN_EXE_jsbox"))
        .args(["run", "main.js"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn process_events_end_a_program_as_node_ends_it() {
    // Each script with what `node main.js` printed and its exit code.
    let cases: [(&str, &str, i32); 7] = [
        (
            "process.on('uncaughtException', (e, origin) => console.log('caught', e.message, origin));\n\
             setTimeout(() => { throw new Error('late'); }, 1);\n\
             process.nextTick(() => { throw new Error('tick'); });\n\
             process.on('exit', (c) => console.log('exit', c));\n\
             throw new Error('boom');\n",
            "caught boom uncaughtException\ncaught tick uncaughtException\n\
             caught late uncaughtException\nexit 0\n",
            0,
        ),
        (
            "process.on('unhandledRejection', (r, p) => console.log('unhandled', r.message, p instanceof Promise));\n\
             Promise.reject(new Error('x'));\nPromise.reject(new Error('y'));\n\
             setTimeout(() => console.log('still running'), 5);\n",
            "unhandled x true\nunhandled y true\nstill running\n",
            0,
        ),
        (
            "process.on('exit', (c) => console.log('exit', c, process.exitCode));\n\
             console.log('start');\nthrow new Error('boom');\n",
            "start\nexit 1 1\n",
            1,
        ),
        (
            "let n = 0;\n\
             process.on('beforeExit', (c) => { console.log('beforeExit', c, n); \
             if (n++ < 2) setTimeout(() => console.log('timer', n), 1); });\n\
             process.on('exit', (c) => console.log('exit', c));\nprocess.exitCode = 2;\n",
            "beforeExit 2 0\ntimer 1\nbeforeExit 2 1\ntimer 2\nbeforeExit 2 2\nexit 2\n",
            2,
        ),
        (
            "process.on('exit', (c) => { console.log('exit', c); process.exitCode = 9; });\n\
             process.on('beforeExit', () => console.log('never'));\n\
             setTimeout(() => console.log('never either'), 10);\nprocess.exit(3);\n",
            "exit 3\n",
            9,
        ),
        (
            "process.on('warning', (w) => console.log('warning', w.name, w.message, w.code));\n\
             process.emitWarning('careful', 'CustomWarning', 'C01');\n\
             process.emitWarning(new Error('as error'));\nconsole.log('sync first');\n",
            "sync first\nwarning CustomWarning careful C01\nwarning Error as error undefined\n",
            0,
        ),
        (
            "process.on('uncaughtException', (e) => { console.log('handler', e.message); throw new Error('again'); });\n\
             setTimeout(() => { throw new Error('first'); }, 1);\n",
            "handler first\n",
            7,
        ),
    ];
    for (source, stdout, code) in cases {
        let (status, out, err) = run_script(source, b"");
        assert_eq!(out, stdout, "{source}\n{err}");
        assert_eq!(status, Some(code), "{source}\n{err}");
    }
    // The uncaught error is printed before the 'exit' listeners run.
    let (_, _, err) = run_script(
        "process.on('exit', () => console.error('exit listener'));\nthrow new Error('boom');\n",
        b"",
    );
    let error_at = err.find("Error: boom").expect(&err);
    let listener_at = err.find("exit listener").expect(&err);
    assert!(error_at < listener_at, "{err}");
}

#[test]
fn process_streams_write_to_the_processs_own_stdio() {
    let (status, out, err) = run_script(
        "process.stdout.write('a'); console.log('b'); process.stderr.write('c\\n');\n\
         process.stdout.write(Buffer.from([0x31, 0x0a]));\n\
         console.log(process.stdout.isTTY, process.stdin.isTTY, require('tty').isatty(1));\n\
         let got = '';\nprocess.stdin.setEncoding('utf8');\n\
         process.stdin.on('data', (d) => { got += d; });\n\
         process.stdin.on('end', () => console.log('read', JSON.stringify(got)));\n",
        b"line one\nline two\n",
    );
    assert_eq!(status, Some(0), "{err}");
    // What node prints with its stdio piped.
    assert_eq!(
        out,
        "ab\n1\nundefined undefined false\nread \"line one\\nline two\\n\"\n"
    );
    assert_eq!(err, "c\n");
}
