//! `liaison --demo` works in a temporary `liaison-demo-*` directory removed on a normal quit.
//! One left by a demo that was killed (its terminal closed: SIGHUP) is removed when the next
//! demo starts; one a running demo uses (it holds the database's lock) never is, nor a
//! directory just made whose database is not open yet, nor anything else.

use liaison::cli::demo_dirs::remove_abandoned;
use liaison::store::Store;
use std::time::Duration;

#[test]
fn only_the_demo_directories_nobody_uses_are_removed() {
    let temp = tempfile::tempdir().unwrap();
    let dir = |name: &str| temp.path().join(name);
    // Killed: its database was open once, and nobody holds it now.
    drop(Store::open(&dir("liaison-demo-killed")).unwrap());
    // Running: its database is open.
    let running = Store::open(&dir("liaison-demo-running")).unwrap();
    // Just made: the database is not open yet.
    std::fs::create_dir(dir("liaison-demo-new")).unwrap();
    // Not a demo's.
    drop(Store::open(&dir("liaison-keep")).unwrap());
    std::fs::write(dir("liaison-demo-file"), "x").unwrap();

    // A lock file made a moment ago may be a demo opening right now: left for later.
    assert_eq!(remove_abandoned(temp.path(), Duration::from_secs(3600)), 0);
    assert!(dir("liaison-demo-killed").exists());

    assert_eq!(remove_abandoned(temp.path(), Duration::ZERO), 1);
    assert!(!dir("liaison-demo-killed").exists());
    for kept in [
        "liaison-demo-running",
        "liaison-demo-new",
        "liaison-keep",
        "liaison-demo-file",
    ] {
        assert!(dir(kept).exists(), "{kept}");
    }
    // The running demo's database is untouched and still works.
    assert!(running.check().is_ok());
    drop(running);
    assert_eq!(remove_abandoned(temp.path(), Duration::ZERO), 1);
    assert!(!dir("liaison-demo-running").exists());
}

#[test]
fn a_missing_temporary_directory_is_no_error() {
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(
        remove_abandoned(&temp.path().join("gone"), Duration::ZERO),
        0
    );
}
