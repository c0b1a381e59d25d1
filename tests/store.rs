//! The store across versions: committed fixture databases must keep opening.

mod common;
use liaison::model::Status;
use liaison::store::Store;
use std::path::Path;

#[test]
fn old_databases_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    common::copy_dir(
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

/// Schema v2 keeps an item's history as one value: the v1 fixture's events and response
/// texts come through the migration, and opening the migrated database again changes nothing.
#[test]
fn a_v1_history_survives_the_move_to_one_value_per_item() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/db-v1"),
        &db,
    );
    let read = |store: &Store| {
        let mut events = Vec::new();
        store
            .each_event(|e| {
                events.push(e.unwrap());
                Ok(())
            })
            .unwrap();
        let mut texts = Vec::new();
        store
            .each_issue_with_text(|row| {
                let (issue, text) = row.unwrap();
                texts.push((issue.number, text));
                Ok(())
            })
            .unwrap();
        (events, texts)
    };
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        liaison::store::SCHEMA_VERSION
    );
    let (events, texts) = read(&store);
    assert_eq!(store.counts().unwrap().events, events.len() as u64);
    assert!(events.len() > 21);
    let item = store.issue_by_number(21).unwrap().unwrap();
    let history = store.events(item.id).unwrap();
    assert!(history.damaged.is_empty());
    assert_eq!(history.records.len(), 1);
    assert_eq!(history.records[0].issue, item.id);
    let answered = store.issue_by_number(4).unwrap().unwrap();
    let text = texts.iter().find(|(n, _)| *n == 4).unwrap();
    assert!(text.1.contains("专场招聘会"), "{text:?}");
    assert_eq!(store.response_text(answered.id).unwrap(), text.1);
    drop(store);

    let store = Store::open(&db).unwrap();
    assert_eq!(read(&store), (events, texts));
    assert!(store.check().unwrap().is_ok());
}

/// Schema v3 gives items tags: the v2 fixture's items come through with none, keep every
/// other field, and take tags afterwards.
#[test]
fn a_v2_database_opens_with_items_that_carry_no_tags() {
    let dir = tempfile::tempdir().unwrap();
    let (db, store) = common::open_fixture(dir.path(), "db-v2");
    let counts = store.counts().unwrap();
    assert_eq!((counts.firms, counts.visits, counts.issues()), (8, 13, 22));
    let mut item = store.issue_by_number(22).unwrap().unwrap();
    assert_eq!(item.title, "fixture: 机房扩容用电");
    assert_eq!(item.status, Status::Assigned);
    assert!(item.tags.is_empty());
    assert_eq!(
        store.firm(item.firm).unwrap().unwrap().name,
        "艾特网能技术有限公司"
    );
    assert_eq!(store.events(item.id).unwrap().records.len(), 1);
    // A closed item takes its closing time from its history; an open one has none.
    let mut closed = 0;
    for number in 1..=22 {
        let issue = store.issue_by_number(number).unwrap().unwrap();
        let closing = store
            .events(issue.id)
            .unwrap()
            .records
            .iter()
            .rev()
            .find(|e| {
                matches!(
                    e.change,
                    liaison::model::Change::Status {
                        to: Status::Closed,
                        ..
                    }
                )
            })
            .map(|e| e.at);
        if issue.status == Status::Closed {
            assert_eq!(issue.closed, closing, "#{number}");
            closed += 1;
        } else {
            assert_eq!(issue.closed, None, "#{number}");
        }
    }
    assert!(closed > 0);
    let now = chrono::Local::now().fixed_offset();
    let event = item
        .change_tags(&["专班".into()], &[], "李晓", now)
        .unwrap()
        .unwrap();
    store.save_issue(&item, &[event]).unwrap();
    drop(store);

    let store = Store::open(&db).unwrap();
    let item = store.issue_by_number(22).unwrap().unwrap();
    assert_eq!(item.tags, vec!["专班"]);
    assert_eq!(store.events(item.id).unwrap().records.len(), 2);
    assert!(store.check().unwrap().is_ok());
}

/// Schema v3 (`tests/fixtures/db-v3`, made by the v3 build): it opens at the current schema,
/// whole, with the tags v3 gave its items.
#[test]
fn a_v3_database_opens_whole_with_its_tags() {
    let dir = tempfile::tempdir().unwrap();
    let (db, store) = common::open_fixture(dir.path(), "db-v3");
    let counts = store.counts().unwrap();
    assert_eq!((counts.firms, counts.visits, counts.issues()), (8, 13, 22));
    let item = store.issue_by_number(22).unwrap().unwrap();
    assert_eq!(item.title, "fixture: 机房扩容用电");
    assert_eq!(item.tags, vec!["专班"]);
    assert_eq!(store.events(item.id).unwrap().records.len(), 2);
    // The migration built the word index (`check` above holds it to the items).
    let found = store.issue_ids_with_words(&["扩容用电"]).unwrap().unwrap();
    assert!(found.contains(&item.id), "{found:?}");
    assert_eq!(store.issue_ids_with_words(&["电"]).unwrap(), None);
    drop(store);
    let store = Store::open(&db).unwrap();
    assert!(store.check().unwrap().is_ok());
}

/// Schema v4 (`tests/fixtures/db-v4`, made by the v4 build): its operation log, one key an
/// operation, opens sealed in groups with every operation still there, in order, and new
/// operations follow on.
#[test]
fn a_v4_database_opens_with_its_log_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let (db, store) = common::open_fixture(dir.path(), "db-v4");
    // The ledger that wrote the fixture (a copy opened elsewhere takes an actor of its own).
    let versions = store.versions().unwrap();
    let (&actor, _) = versions.iter().find(|(_, &held)| held == 136).unwrap();
    let seqs: Vec<u64> = store
        .ops_after(actor, 0)
        .map(|op| op.unwrap().id.seq)
        .collect();
    assert_eq!(seqs, (1..=136).collect::<Vec<_>>());
    assert_eq!(store.op_count(), 136);
    let later: Vec<u64> = store
        .ops_after(actor, 100)
        .map(|op| op.unwrap().id.seq)
        .collect();
    assert_eq!(later, (101..=136).collect::<Vec<_>>());
    // The two full chunks are sealed: 136 operations under 2 groups and 9 single keys.
    assert_eq!(
        liaison::store::testing::keys_raw(&store, "oplog")
            .unwrap()
            .len(),
        2 + 9
    );
    let item = store.issue_by_number(22).unwrap().unwrap();
    assert_eq!(item.tags, vec!["专班"]);
    let mut item = store.issue_by_number(3).unwrap().unwrap();
    assert_eq!(item.status, Status::InProgress);
    item.title.push_str(" (v5)");
    store.save_issue(&item, &[]).unwrap();
    drop(store);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.op_count(), 137);
    let mine = store.actor().unwrap();
    let last = store.ops_after(mine, 0).last().unwrap().unwrap();
    assert_eq!(last.field.as_str(), "title");
    assert!(store.check().unwrap().is_ok());
}

/// Schema v5 (`tests/fixtures/db-v5`, made by the v5 build): it opens with its histories
/// packed (v6), each item's history whole, searchable, and written on.
#[test]
fn a_v5_database_opens_with_its_histories_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (db, store) = common::open_fixture(dir.path(), "db-v5");
    let counts = store.counts().unwrap();
    assert_eq!((counts.firms, counts.visits, counts.issues()), (8, 13, 22));
    let item = store.issue_by_number(22).unwrap().unwrap();
    assert_eq!(item.title, "fixture: 机房扩容用电");
    assert_eq!(item.tags, vec!["专班"]);
    assert_eq!(store.events(item.id).unwrap().records.len(), 2);
    let mut item = store.issue_by_number(3).unwrap().unwrap();
    assert_eq!(item.status, Status::InProgress);
    let before = store.events(item.id).unwrap().records.len();
    let now = chrono::Local::now().fixed_offset();
    let event = item
        .change_tags(&["v6".into()], &[], "李晓", now)
        .unwrap()
        .unwrap();
    store.save_issue(&item, &[event]).unwrap();
    drop(store);
    let store = Store::open(&db).unwrap();
    let item = store.issue_by_number(3).unwrap().unwrap();
    assert_eq!(store.events(item.id).unwrap().records.len(), before + 1);
    assert!(store.check().unwrap().is_ok());
}

/// The shares a reading split between threads takes each hold different items, and together
/// every item once.
#[test]
fn the_items_read_in_shares_are_every_item_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::demo_store(dir.path());
    let mut whole = Vec::new();
    store
        .each_issue(|i| {
            whole.push(i.unwrap().number);
            Ok(())
        })
        .unwrap();
    assert!(whole.len() > 10);
    whole.sort_unstable();
    for parts in [1, 2, 3] {
        let mut shares = Vec::new();
        for part in 0..parts {
            let mut share = Vec::new();
            store
                .each_issue_part(part, parts, |i| {
                    share.push(i.unwrap().number);
                    Ok(())
                })
                .unwrap();
            if parts > 1 {
                assert!(share.len() < whole.len(), "share {part} of {parts}");
            }
            shares.extend(share);
        }
        shares.sort_unstable();
        assert_eq!(shares, whole, "{parts} shares");
    }
}
