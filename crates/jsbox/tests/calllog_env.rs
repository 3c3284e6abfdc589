//! The process-wide default call log configured from the environment. Its own
//! test binary, so the environment is read fresh.

use jsbox::{calllog, Factory, Options};

#[test]
fn environment_configures_the_default_logger_for_opted_in_runtimes_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    std::env::set_var("JSBOX_CALLLOG_DB", &db);
    assert_eq!(calllog::default_path().as_deref(), Some(db.as_path()));

    let factory = Factory::new(Options::new().call_log_default()).unwrap();
    factory
        .new_runtime()
        .unwrap()
        .eval::<()>("require('path').join('a')")
        .unwrap();
    drop(factory);
    assert_eq!(
        calllog::read(&db, &calllog::Filter::default())
            .unwrap()
            .len(),
        1
    );
    // Default options stay silent.
    let factory = Factory::new(Options::new()).unwrap();
    factory
        .new_runtime()
        .unwrap()
        .eval::<()>("require('path').join('a')")
        .unwrap();
    drop(factory);
    calllog::flush();
    assert_eq!(
        calllog::read(&db, &calllog::Filter::default())
            .unwrap()
            .len(),
        1
    );
}
