//! `Store::issues_by_group` (the listing's read of an index's items, a group at a time)
//! answers each id as `Store::issue` does: in storage order and in any other, for unknown
//! ids, after a reopen and on databases written by older schemas.

mod common;

use liaison::model::Id;
use liaison::store::Store;

/// Every item of the store, by `issue` and by `issues_by_group`, compared as written out
/// (`==` on times compares instants, not offsets).
fn read_alike(store: &Store) -> usize {
    let ids: Vec<Id> = common::all_issues(store).iter().map(|i| i.id).collect();
    assert!(!ids.is_empty());
    // Ids no item has, among them one of an item's group.
    let unknown = [Id::from_slice(&[7; 16]).unwrap(), Id::new()];
    let mut asked: Vec<Id> = ids.iter().copied().chain(unknown).collect();
    let mut orders = Vec::new();
    Store::sort_in_storage_order(&mut asked);
    orders.push(asked.clone());
    asked.reverse();
    orders.push(asked.clone());
    // Interleaved: the same groups come back in several runs.
    let (even, odd): (Vec<_>, Vec<_>) = asked.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    orders.push(even.into_iter().chain(odd).map(|(_, id)| *id).collect());
    for order in &orders {
        let mut by_group = Vec::new();
        store
            .issues_by_group(order, |id, issue| {
                by_group.push((id, format!("{:?}", issue.unwrap())));
                Ok(())
            })
            .unwrap();
        let one_by_one: Vec<(Id, String)> = order
            .iter()
            .map(|&id| (id, format!("{:?}", store.issue(id).unwrap())))
            .collect();
        assert_eq!(by_group, one_by_one);
        assert_eq!(
            by_group.iter().filter(|(_, i)| i == "None").count(),
            unknown.len()
        );
    }
    ids.len()
}

#[test]
fn a_group_at_a_time_reads_every_item_as_one_by_one() {
    let dir = common::seeded_with(&["--firms", "20", "--visits", "30", "--issues", "3000"]);
    {
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(read_alike(&store), 3000);
    }
    // Reopened: the same from the file.
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(read_alike(&store), 3000);
}

#[test]
fn older_databases_read_alike_both_ways() {
    for name in ["db-v2", "db-v3", "db-v4", "db-v5"] {
        let dir = tempfile::tempdir().unwrap();
        let (_, store) = common::open_fixture(dir.path(), name);
        read_alike(&store);
    }
}

#[test]
fn a_visitor_s_error_stops_the_read() {
    let dir = common::seeded_with(&["--firms", "5", "--visits", "5", "--issues", "50"]);
    let store = Store::open(dir.path()).unwrap();
    let mut ids: Vec<Id> = common::all_issues(&store).iter().map(|i| i.id).collect();
    Store::sort_in_storage_order(&mut ids);
    let mut seen = 0;
    let result = store.issues_by_group(&ids, |_, _| {
        seen += 1;
        if seen == 3 {
            Err(liaison::store::StoreError::NotFound {
                what: "test",
                key: "stop".into(),
            })
        } else {
            Ok(())
        }
    });
    assert!(result.is_err());
    assert_eq!(seen, 3);
}
