//! The queue reads items at start as summaries decoded straight from the stored bytes
//! (`Store::each_issue_summary_part`); each must equal the summary of the item the full
//! decoder reads, in old-format databases too, and a damaged item is reported alike.

mod common;

use liaison::model::Issue;
use liaison::store::{codec, Damaged, Store};
use std::collections::BTreeMap;

/// Per item id, its summary as text (summaries borrow from the walk), or the damage.
fn by_summary(store: &Store, parts: usize) -> BTreeMap<String, Result<String, Damaged>> {
    let mut out = BTreeMap::new();
    for part in 0..parts {
        store
            .each_issue_summary_part(part, parts, |item| {
                let (key, value) = match item {
                    Ok(s) => (s.id.to_string(), Ok(format!("{s:?}"))),
                    Err(d) => (d.key.clone(), Err(d)),
                };
                assert!(out.insert(key, value).is_none(), "read twice");
                Ok(())
            })
            .unwrap();
    }
    out
}

fn by_issue(store: &Store) -> BTreeMap<String, Result<String, Damaged>> {
    let mut out = BTreeMap::new();
    store
        .each_issue_part(0, 1, |item| {
            let (key, value) = match item {
                Ok(issue) => (issue.id.to_string(), Ok(format!("{:?}", issue.summary()))),
                Err(d) => (d.key.clone(), Err(d)),
            };
            out.insert(key, value);
            Ok(())
        })
        .unwrap();
    out
}

#[test]
fn old_format_databases_read_alike_both_ways() {
    for name in ["db-v2", "db-v3", "db-v4", "db-v5"] {
        let dir = tempfile::tempdir().unwrap();
        let (_, store) = common::open_fixture(dir.path(), name);
        let whole = by_issue(&store);
        assert_eq!(
            whole.len() as u64,
            store.counts().unwrap().issues(),
            "{name}"
        );
        assert!(whole.values().all(Result::is_ok), "{name}");
        assert_eq!(by_summary(&store, 1), whole, "{name}");
        assert_eq!(by_summary(&store, 2), whole, "{name}");
    }
}

#[test]
fn generated_items_read_alike_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::generated_store(dir.path());
    let whole = by_issue(&store);
    assert!(whole.len() >= 3_000);
    assert_eq!(by_summary(&store, 2), whole);
    // Closed items awaiting their call are told apart as the full item tells them.
    let mut awaiting = BTreeMap::new();
    store
        .each_issue_part(0, 1, |item| {
            let issue = item.unwrap();
            awaiting.insert(issue.id, issue.awaiting_call());
            Ok(())
        })
        .unwrap();
    assert!(awaiting.values().any(|a| *a) && awaiting.values().any(|a| !*a));
    store
        .each_issue_summary_part(0, 1, |item| {
            let s = item.unwrap();
            assert_eq!(s.awaiting_call(), awaiting[&s.id], "{s:?}");
            Ok(())
        })
        .unwrap();
}

/// An item whose time stamp chrono refuses (a damaged or foreign writer) is reported as
/// damaged with the full decoder's error, the other items still read.
#[test]
fn a_stored_time_chrono_refuses_is_reported_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::demo_store(dir.path());
    let good: Issue = store.issue_by_number(3).unwrap().unwrap();
    for (created, due) in [
        ("2025-02-30T09:15:00+08:00", None),
        ("2025-03-04T09:15:00", None),
        ("2025-03-04T09:15:00+08:00", Some("2025-13-01")),
    ] {
        let value = liaison::store::testing::issue_with_text_times(&good, created, due);
        liaison::store::testing::put_raw(&store, "issues", good.id.as_bytes(), &value).unwrap();
        let whole = by_issue(&store);
        let damaged = whole[&good.id.to_string()].clone().unwrap_err();
        assert!(
            matches!(damaged.error, codec::DecodeError::Payload { .. }),
            "{damaged:?}"
        );
        assert_eq!(whole.values().filter(|v| v.is_err()).count(), 1);
        assert_eq!(by_summary(&store, 2), whole, "{created} {due:?}");
    }
}
