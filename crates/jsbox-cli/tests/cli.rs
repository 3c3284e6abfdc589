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
    assert!(stderr.contains("TypeError: bad thing"), "{stderr}");
    assert!(stderr.contains("main.js:3:"), "{stderr}");
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
fn repl_keeps_state_continues_lines_and_knows_commands() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jsbox"))
        .arg("repl")
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"let x = 41\nfunction f() {\n  return x + 1\n}\nf()\n.help\n'quoted'\nthrow new Error('oops')\n({ k: 'v' })\n.exit\nf()\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = text(&out.stdout);
    assert!(stdout.contains("\n42\n"), "{stdout}");
    assert!(stdout.contains(".exit"), "{stdout}");
    assert!(stdout.contains("'quoted'"), "{stdout}");
    assert!(stdout.contains("{ k: 'v' }"), "{stdout}");
    assert!(
        text(&out.stderr).contains("Error: oops"),
        "{}",
        text(&out.stderr)
    );
    // Nothing after `.exit` runs: 42 shows up once.
    assert_eq!(stdout.matches("42").count(), 1, "{stdout}");
    assert!(out.status.success());
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
    assert_eq!(rows[0]["args_json"], "[\"a\",\"0\"]");

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
        text(&out.stderr).contains("unhandled promise rejection: Error: nobody"),
        "{}",
        text(&out.stderr)
    );
    write(
        dir.path(),
        "args.js",
        "console.log(JSON.stringify(process.argv.slice(1)))",
    );
    let out = jsbox(&["run", "args.js", "x", "--y"], dir.path());
    assert_eq!(text(&out.stdout), "[\"args.js\",\"x\",\"--y\"]\n");
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
