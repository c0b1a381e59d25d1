//! The store across versions: committed fixture databases must keep opening.

use liaison::model::Status;
use liaison::store::Store;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn old_databases_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v1"),
        &db,
    );
    let store = Store::open(&db).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let counts = store.counts().unwrap();
    assert_eq!((counts.firms, counts.visits, counts.issues()), (8, 13, 21));
    let item = store.issue_by_number(21).unwrap().unwrap();
    assert_eq!(item.title, "fixture: 机房扩容用电");
    assert_eq!(item.status, Status::Assigned);
    let firm = store.firm(item.firm).unwrap().unwrap();
    assert_eq!(firm.name, "艾特网能技术有限公司");
    assert!(store.firms().unwrap().damaged.is_empty());
    assert_eq!(store.events(item.id).unwrap().records.len(), 1);
    // Data derived after v1 was written (search keys, response texts) is rebuilt on open.
    let answered = store.issue_by_number(4).unwrap().unwrap();
    assert!(store
        .response_text(answered.id)
        .unwrap()
        .contains("专场招聘会"));
}
