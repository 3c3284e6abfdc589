//! Policies for untrusted code: module allow/deny lists, the sandboxed preset, a
//! file-system root (symlinks included), and an exec allow-list.

use jsbox::{open, Error, Options};
use serde_json::{json, Value};

fn denied(rt: &jsbox::Runtime, source: &str) -> Value {
    rt.eval(&format!(
        "try {{ {source}; 'allowed' }} catch (e) {{ [e.code, e.message] }}"
    ))
    .unwrap()
}

#[test]
fn sandboxed_denies_unsafe_modules_and_hides_the_environment() {
    std::env::set_var("JSBOX_SECRET_FOR_TEST", "s3cret");
    let rt = open(Options::new().sandboxed()).unwrap();
    for module in ["fs", "exec", "database", "node:fs"] {
        let name = module.trim_start_matches("node:");
        assert_eq!(
            denied(&rt, &format!("require('{module}')")),
            json!([
                "ERR_ACCESS_DENIED",
                format!("Access to module '{name}' is denied by this runtime's policy")
            ])
        );
    }
    let pure: Value = rt
        .eval("[require('path').join('a', 'b'), typeof require('events'), typeof require('util').format, typeof setTimeout, typeof console.log, Object.keys(process.env).length]")
        .unwrap();
    assert_eq!(
        pure,
        json!(["a/b", "function", "function", "function", "function", 0])
    );
    // Uncaught, it is an AccessDenied error in Rust.
    assert!(matches!(
        rt.eval::<()>("require('exec')"),
        Err(Error::AccessDenied(_))
    ));
}

#[test]
fn allow_and_deny_lists() {
    let rt = open(Options::new().allow_modules(["path"])).unwrap();
    assert_eq!(rt.eval::<String>("require('path').sep").unwrap(), "/");
    assert_eq!(denied(&rt, "require('events')")[0], "ERR_ACCESS_DENIED");
    let rt = open(Options::new().deny_modules(["os"])).unwrap();
    assert_eq!(denied(&rt, "require('os')")[0], "ERR_ACCESS_DENIED");
    assert_eq!(denied(&rt, "require('path')"), json!("allowed"));
}

#[test]
fn sub_modules_follow_their_module() {
    let rt = open(Options::new().allow_modules(["fs"])).unwrap();
    assert_eq!(denied(&rt, "require('fs/promises')"), json!("allowed"));
    assert_eq!(denied(&rt, "require('node:fs/promises')"), json!("allowed"));
    let rt = open(Options::new().deny_modules(["util"])).unwrap();
    assert_eq!(denied(&rt, "require('util/types')")[0], "ERR_ACCESS_DENIED");
    let rt = open(Options::new().deny_modules(["fs/promises"])).unwrap();
    assert_eq!(
        denied(&rt, "require('fs/promises')")[0],
        "ERR_ACCESS_DENIED"
    );
    assert_eq!(denied(&rt, "require('fs')"), json!("allowed"));
}

#[test]
fn the_root_confines_fs_require_and_database_paths() {
    let outside = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let r = root.path().canonicalize().unwrap();
    let o = outside.path().canonicalize().unwrap();
    std::fs::write(o.join("secret.txt"), "outside secret").unwrap();
    std::fs::write(o.join("mod.js"), "module.exports = 'outside module'").unwrap();
    std::fs::write(r.join("inside.txt"), "inside").unwrap();
    std::fs::write(r.join("mod.js"), "module.exports = 'inside module'").unwrap();
    std::os::unix::fs::symlink(o.join("secret.txt"), r.join("link-to-secret")).unwrap();
    std::os::unix::fs::symlink(&o, r.join("link-dir")).unwrap();
    std::os::unix::fs::symlink(o.join("mod.js"), r.join("evil.js")).unwrap();

    let rt = open(Options::new().root(&r).base_dir(&r)).unwrap();
    let rs = serde_json::to_string(&r.to_string_lossy()).unwrap();
    let os = serde_json::to_string(&o.to_string_lossy()).unwrap();
    let fs = "const fs = require('fs');";
    assert_eq!(
        rt.eval::<String>(&format!(
            "{fs} fs.readFileSync({rs} + '/inside.txt', 'utf8')"
        ))
        .unwrap(),
        "inside"
    );
    assert_eq!(
        rt.eval::<String>("require('./mod')").unwrap(),
        "inside module"
    );
    for attempt in [
        format!("{fs} fs.readFileSync({os} + '/secret.txt', 'utf8')"),
        format!("{fs} fs.readFileSync({rs} + '/../' + {os:?}.split('/').pop() + '/secret.txt')"),
        format!("{fs} fs.readFileSync({rs} + '/link-to-secret', 'utf8')"),
        format!("{fs} fs.readFileSync({rs} + '/link-dir/secret.txt', 'utf8')"),
        format!("{fs} fs.writeFileSync({rs} + '/link-dir/planted.txt', 'x')"),
        format!("{fs} fs.readdirSync({rs} + '/..')"),
        "require('./evil.js')".to_string(),
        format!("require({os} + '/mod.js')"),
        format!("require('database').configure('sqlite3', {os} + '/x.db')"),
    ] {
        let seen = denied(&rt, &attempt);
        assert_eq!(seen[0], "ERR_ACCESS_DENIED", "{attempt} → {seen}");
    }
    assert!(!o.join("planted.txt").exists());
    assert!(!o.join("x.db").exists());
    // In-memory databases need no path.
    assert_eq!(
        denied(&rt, "require('database').configure('sqlite3', ':memory:')"),
        json!("allowed")
    );
    // The main module is confined too.
    assert!(matches!(
        rt.run_file(o.join("mod.js")),
        Err(Error::AccessDenied(_))
    ));
}

#[test]
fn a_missing_root_is_an_invalid_option() {
    let err = open(Options::new().root("/definitely/not/here")).unwrap_err();
    assert!(matches!(err, Error::InvalidOptions(_)), "{err:?}");
}

#[test]
fn exec_can_be_limited_to_listed_programs() {
    let rt = open(Options::new().allow_programs(["echo"])).unwrap();
    assert_eq!(
        rt.eval::<String>("require('exec').run('echo', ['ok'])")
            .unwrap(),
        "ok\n"
    );
    let seen = denied(&rt, "require('exec').run('sh', ['-c', 'echo hacked'])");
    assert_eq!(seen[0], "ERR_ACCESS_DENIED");
    assert!(seen[1].as_str().unwrap().contains("'sh'"), "{seen}");
}
