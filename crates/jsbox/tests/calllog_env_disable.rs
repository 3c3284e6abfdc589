//! `JSBOX_CALLLOG_DISABLE` turns the environment's default call log off. Its own
//! test binary, so the environment is read fresh.

use jsbox::calllog;

#[test]
fn disable_variable_wins_over_the_path() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("JSBOX_CALLLOG_DB", dir.path().join("never.db"));
    std::env::set_var("JSBOX_CALLLOG_DISABLE", "1");
    assert!(calllog::default_path().is_none());
    assert!(!dir.path().join("never.db").exists());
}
