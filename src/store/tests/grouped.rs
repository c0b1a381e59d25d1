//! Grouped indexes and records: answers in key order, damaged groups, ranges cut from groups.

use super::*;

/// A firm's items and the overdue ones come back in key order across the groups of a
/// prefix, and each change moves an item between groups without losing a neighbour.
#[test]
fn grouped_indexes_answer_in_key_order_through_changes() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山生物工程有限公司");
    let other = firm("弘景光电科技股份有限公司");
    store.put_firm(&f).unwrap();
    store.put_firm(&other).unwrap();
    let past = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
    let mut made = Vec::new();
    for i in 0..40 {
        let mut draft = IssueDraft::new(
            if i % 3 == 0 { other.id } else { f.id },
            &format!("事项{i}"),
        );
        draft.due = Some(past + chrono::Days::new(i % 4));
        made.push(store.create_issue(draft, "me", now()).unwrap());
    }
    let mut of_firm: Vec<Id> = made
        .iter()
        .filter(|i| i.firm == f.id)
        .map(|i| i.id)
        .collect();
    of_firm.sort();
    let listed: Vec<Id> = store
        .issues_of_firm(f.id)
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(listed, of_firm);
    let today = NaiveDate::from_ymd_opt(2026, 12, 17).unwrap();
    let mut overdue: Vec<(Option<NaiveDate>, Id)> = made
        .iter()
        .filter(|i| i.due < Some(today))
        .map(|i| (i.due, i.id))
        .collect();
    overdue.sort();
    let expected: Vec<Id> = overdue.iter().map(|(_, id)| *id).collect();
    assert_eq!(store.overdue_ids(today).unwrap(), expected);
    assert_eq!(store.overdue_count(today).unwrap(), expected.len() as u64);

    // Closing one moves it out of the open range and changes its firm entry's status.
    let mut closed = made[1].clone();
    closed.status = Status::Closed;
    store.save_issue(&closed, &[]).unwrap();
    assert_eq!(
        store.overdue_count(today).unwrap(),
        expected.len() as u64 - 1
    );
    let status = store
        .issues_of_firm(f.id)
        .unwrap()
        .into_iter()
        .find(|(id, _)| *id == closed.id)
        .unwrap()
        .1;
    assert_eq!(status, Some(Status::Closed));
    for number in 1..=40 {
        assert_eq!(
            store.issue_by_number(number).unwrap().unwrap().number,
            number
        );
    }
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(store.check().unwrap().is_ok());
    assert_eq!(store.issues_of_firm(f.id).unwrap().len(), of_firm.len());
}

/// A damaged group is named by `check`, skipped by readers, refused by writers (its entries
/// must not be lost by writing around it) and rebuilt by `repair`.
#[test]
fn a_damaged_index_group_is_reported_and_rebuilt() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山生物工程有限公司");
    store.put_firm(&f).unwrap();
    let issue = store
        .create_issue(IssueDraft::new(f.id, "海外市场开拓"), "me", now())
        .unwrap();
    let (group, _) = store.trees[IDX_ISSUE_FIRM].first().unwrap().unwrap();
    store.trees[IDX_ISSUE_FIRM]
        .insert(&group, &[1u8, 2, 3][..])
        .unwrap();
    let report = store.check().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.tree == "idx_issue_firm" && p.what == "malformed index group"),
        "{:?}",
        report.problems
    );
    assert!(store.issues_of_firm(f.id).unwrap().is_empty());
    let mut changed = issue.clone();
    changed.status = Status::Assigned;
    let error = store.save_issue(&changed, &[]).unwrap_err();
    assert!(error.to_string().contains("check --repair"), "{error}");

    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    assert_eq!(
        store.issues_of_firm(f.id).unwrap(),
        vec![(issue.id, Some(Status::New))]
    );
    store.save_issue(&changed, &[]).unwrap();
}

/// The time index keeps 18 hours of visits under one key; a range that starts or ends inside
/// such a group still returns exactly the visits in it, in time order.
#[test]
fn visits_between_cuts_groups_to_the_range() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山生物工程有限公司");
    store.put_firm(&f).unwrap();
    let base = DateTime::parse_from_rfc3339("2026-12-01T08:00:00+08:00").unwrap();
    let mut starts = Vec::new();
    for k in 0..30 {
        let mut v = visit(f.id, "2026-12-01T08:00:00+08:00");
        v.start = base + chrono::Duration::minutes(k * 317);
        store.put_visit(&v).unwrap();
        starts.push(v.start.timestamp());
    }
    assert!(store.trees[IDX_VISIT_TIME].len() < 30, "visits share keys");
    for (from, to) in [(0, 30), (3, 4), (5, 17), (11, 29), (12, 12)] {
        let (a, b) = (starts[from] + 1, starts[to.min(29)] + 1);
        let got: Vec<i64> = store
            .visits_between(a, b)
            .unwrap()
            .records
            .iter()
            .map(|v| v.start.timestamp())
            .collect();
        let wanted: Vec<i64> = starts
            .iter()
            .copied()
            .filter(|t| *t >= a && *t < b)
            .collect();
        assert_eq!(got, wanted, "[{a}, {b})");
    }
    let all = store.visit_ids_between(None, None).count();
    assert_eq!(all, 30);
    assert_eq!(store.visit_ids_of_firm(f.id).unwrap().len(), 30);
    assert!(store.check().unwrap().is_ok());
}
