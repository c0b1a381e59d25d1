//! The follow-up call is a history event appended at the end of `Change`: old databases
//! (the db-v2 fixture) read as before, take a call, and read it back after reopening, with
//! no schema change.

mod common;
use liaison::model::{Change, Status, Verdict};
use liaison::report::Ledger;
use liaison::store::Store;
use std::path::Path;

#[test]
fn an_old_database_takes_a_call_and_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v2"),
        &db,
    );
    let store = Store::open(&db).unwrap();
    let version = store.schema_version().unwrap();
    let (ledger, damaged) = Ledger::load(&store).unwrap();
    assert!(damaged.is_empty());
    assert_eq!(ledger.items.len(), 22);
    let mut item = (1..=22)
        .map(|n| store.issue_by_number(n).unwrap().unwrap())
        .find(|i| i.status == Status::Closed)
        .expect("the fixture has a closed item");
    let day = item.closed.unwrap().date_naive();
    let now = item.closed.unwrap();
    let event = item
        .record_call(Verdict::BasicallySatisfied, "基本解决", day, "李晓", now)
        .unwrap();
    store
        .save_issue(&item, std::slice::from_ref(&event))
        .unwrap();
    drop(store);

    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), version, "no schema change");
    let history = store.events(item.id).unwrap();
    assert!(history.damaged.is_empty());
    assert_eq!(history.records.last(), Some(&event));
    assert!(matches!(
        history.records.last().unwrap().change,
        Change::Call {
            verdict: Verdict::BasicallySatisfied,
            ..
        }
    ));
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let (ledger, _) = Ledger::load(&store).unwrap();
    let facts = ledger.items.iter().find(|f| f.id == item.id).unwrap();
    assert_eq!(facts.calls, vec![(day, Verdict::BasicallySatisfied)]);
    assert!(!facts.awaiting_call(day));
}
