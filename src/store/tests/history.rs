//! An item's history is one value: kept, read, appended to, damaged, repaired.

use super::*;

/// A firm and an item with a created event, a priority change and a response.
fn item_with_history(store: &Store) -> Issue {
    let f = firm("中山大洋电机股份有限公司");
    store.put_firm(&f).unwrap();
    let mut issue = store
        .create_issue(IssueDraft::new(f.id, "厂房用电增容"), "陈文锋", now())
        .unwrap();
    let priority = issue
        .set_priority(Priority::Urgent, "陈文锋", now())
        .unwrap();
    let response = issue
        .respond("供电局已现场勘查 Next Week", false, "陈文锋", now())
        .unwrap();
    store.save_issue(&issue, &[priority, response]).unwrap();
    issue
}

#[test]
fn an_items_history_is_one_value_kept_across_a_reopen() {
    let dir = temp();
    let (issue, events) = {
        let store = Store::open(dir.path()).unwrap();
        let issue = item_with_history(&store);
        (issue.clone(), store.events(issue.id).unwrap().records)
    };
    assert_eq!(events.len(), 3);
    let store = Store::open(dir.path()).unwrap();
    let history = store.events(issue.id).unwrap();
    assert!(history.damaged.is_empty());
    assert_eq!(history.records, events);
    assert!(matches!(history.records[0].change, Change::Created));
    assert!(history.records.windows(2).all(|w| w[0].id < w[1].id));
    // One key, the item's id; the responses are derived from the events.
    let keys = testing::keys_raw(&store, "issue_history").unwrap();
    assert_eq!(keys, vec![issue.id.as_bytes().to_vec()]);
    let stored: History = codec::decode(
        &store
            .record_get(HISTORY, issue.id.as_bytes())
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(stored.events, events);
    assert_eq!(stored.responses, "供电局已现场勘查 next week\n");
    assert_eq!(store.response_text(issue.id).unwrap(), stored.responses);
    assert_eq!(store.counts().unwrap().events, 3);
    assert_eq!(store.record_counts().unwrap().events, 3);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn the_search_reads_the_responses_alone_from_the_head_of_a_history() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let issue = item_with_history(&store);
    let bytes = store
        .record_get(HISTORY, issue.id.as_bytes())
        .unwrap()
        .unwrap();
    let responses: String = codec::decode_leading(&bytes).unwrap();
    assert_eq!(responses, "供电局已现场勘查 next week\n");
    // The whole value is more than the responses: decoding it as one String is refused.
    assert!(codec::decode::<String>(&bytes).is_err());
}

#[test]
fn a_triage_write_appends_one_event_to_the_history() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let mut issue = item_with_history(&store);
    let before = store.events(issue.id).unwrap().records;
    let event = issue.set_priority(Priority::Low, "王婉灵", now()).unwrap();
    store
        .save_issue(&issue, std::slice::from_ref(&event))
        .unwrap();
    let after = store.events(issue.id).unwrap().records;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[..before.len()], before[..]);
    assert_eq!(after.last(), Some(&event));
    assert_eq!(store.counts().unwrap().events, before.len() as u64 + 1);
    assert_eq!(store.record_count(HISTORY).unwrap(), 1);
    // Written again (sled may run a transaction twice), an event is not added twice.
    store
        .save_issue(&issue, std::slice::from_ref(&event))
        .unwrap();
    assert_eq!(store.events(issue.id).unwrap().records, after);
    assert_eq!(store.counts().unwrap().events, after.len() as u64);
    let mut all = Vec::new();
    store
        .each_event(|e| {
            all.push(e.unwrap());
            Ok(())
        })
        .unwrap();
    assert_eq!(all, after);
    let scanned: Vec<IssueEvent> = store.scan_events().map(|e| e.unwrap()).collect();
    assert_eq!(scanned, after);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_damaged_history_is_reported_and_set_aside_whole_and_the_item_stays() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let mut issue = item_with_history(&store);
    let other = store
        .create_issue(IssueDraft::new(issue.firm, "人才公寓"), "me", now())
        .unwrap();
    testing::corrupt_value(&store, "issue_history", issue.id.as_bytes()).unwrap();

    let history = store.events(issue.id).unwrap();
    assert!(history.records.is_empty());
    assert_eq!(history.damaged.len(), 1);
    assert_eq!(history.damaged[0].tree, "issue_history");
    assert_eq!(history.damaged[0].key, issue.id.to_string());
    assert!(store.response_text(issue.id).is_err());
    assert_eq!(store.response_text(other.id).unwrap(), "");
    // The item itself reads, and a change to it is refused rather than losing its history.
    assert_eq!(store.issue(issue.id).unwrap().as_ref(), Some(&issue));
    let event = issue.set_priority(Priority::Low, "me", now()).unwrap();
    let refused = store.save_issue(&issue, &[event]).unwrap_err();
    assert!(
        matches!(&refused, StoreError::Corrupt { tree: "issue_history", key, .. } if *key == issue.id.to_string()),
        "{refused:?}"
    );
    let report = store.check().unwrap();
    let problems: Vec<String> = report
        .problems
        .iter()
        .map(|p| format!("{}: {}: {}", p.tree, p.key, p.what))
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(&format!("issue_history: {}: checksum mismatch", issue.id)),
        "{problems:?}"
    );

    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    assert!(repaired.actions.iter().any(|a| a.tree == "issue_history"
        && a.key == issue.id.to_string()
        && a.what.starts_with("moved to quarantine: checksum mismatch")));
    let kept = store.quarantine().unwrap().records;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].tree.as_str(), kept[0].key_text()),
        ("issue_history", issue.id.to_string())
    );
    issue.priority = Priority::Urgent;
    assert_eq!(store.issue(issue.id).unwrap().as_ref(), Some(&issue));
    assert!(store.events(issue.id).unwrap().records.is_empty());
    assert_eq!(store.counts().unwrap().events, 1);
    // The item takes new history again.
    let event = issue.set_priority(Priority::Low, "me", now()).unwrap();
    store.save_issue(&issue, &[event]).unwrap();
    assert_eq!(store.events(issue.id).unwrap().records.len(), 1);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn check_and_repair_hold_a_history_to_its_item_and_its_events() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let issue = item_with_history(&store);
    let key = issue.id.as_bytes();
    let good: History = codec::decode(&store.record_get(HISTORY, key).unwrap().unwrap()).unwrap();
    let put = |history: &History| {
        testing::put_raw(&store, "issue_history", key, &codec::encode(history)).unwrap()
    };
    let problems = || -> Vec<String> {
        let report = store.check().unwrap();
        report
            .problems
            .iter()
            .map(|p| format!("{}: {}: {}", p.tree, p.key, p.what))
            .collect()
    };

    // Stale responses: reported, then rebuilt in place.
    put(&History {
        responses: "wrong\n".into(),
        events: good.events.clone(),
    });
    let found = problems();
    assert_eq!(
        found,
        vec![format!(
            "issue_history: {}: response text does not match the item's history",
            issue.id
        )]
    );
    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    assert_eq!(store.response_text(issue.id).unwrap(), good.responses);

    // Events out of order: reported, then put back in order.
    let mut reversed = good.clone();
    reversed.events.reverse();
    put(&reversed);
    assert!(
        problems()[0].contains("is out of id order"),
        "{:?}",
        problems()
    );
    assert!(store.repair(now()).unwrap().check.is_ok());
    assert_eq!(store.events(issue.id).unwrap().records, good.events);

    // An event of another item: the history is not this item's; set aside whole.
    let mut foreign = good.clone();
    foreign.events[1].issue = Id::new();
    put(&foreign);
    assert!(
        problems().iter().any(|p| p.contains("holds event")),
        "{:?}",
        problems()
    );
    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    assert!(store.events(issue.id).unwrap().records.is_empty());
    assert_eq!(store.quarantine().unwrap().records.len(), 1);
    assert_eq!(store.counts().unwrap().events, 0);
}

#[test]
fn repair_rebuilds_an_item_from_its_history_when_its_record_is_gone() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let issue = item_with_history(&store);
    testing::remove_raw(&store, "issues", issue.id.as_bytes()).unwrap();
    assert!(store
        .check()
        .unwrap()
        .problems
        .iter()
        .any(|p| p.tree == "issue_history" && p.what.contains("which does not exist")));
    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    let rebuilt = store.issue(issue.id).unwrap().unwrap();
    // The operation log brings it back whole (schema v4).
    assert_eq!(rebuilt.title, issue.title);
    // The priority comes back from the history.
    assert_eq!(rebuilt.priority, Priority::Urgent);
    assert_eq!(store.events(issue.id).unwrap().records.len(), 3);
}

/// Tags and the closing time are replayed from the history too.
#[test]
fn repair_rebuilds_an_items_tags_and_closing_time_from_its_history() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let mut issue = item_with_history(&store);
    let tags = |list: &[&str]| list.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let added = issue
        .change_tags(&tags(&["专班", "省重点"]), &[], "陈文锋", now())
        .unwrap()
        .unwrap();
    let removed = issue
        .change_tags(&[], &tags(&["专班"]), "陈文锋", now())
        .unwrap()
        .unwrap();
    let resolution = crate::model::Resolution {
        kind: crate::model::ResolutionKind::Answered,
        text: "已答复".into(),
    };
    let closed = issue
        .change_status(Status::Closed, Some(resolution), "陈文锋", now())
        .unwrap();
    store.save_issue(&issue, &[added, removed, closed]).unwrap();
    testing::remove_raw(&store, "issues", issue.id.as_bytes()).unwrap();
    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    let rebuilt = store.issue(issue.id).unwrap().unwrap();
    assert_eq!(rebuilt.tags, tags(&["省重点"]));
    assert_eq!(rebuilt.closed, Some(now()));
}

/// Items live in groups of a few under one sled key. A group whose framing is damaged hides
/// every item in it: `check` names the group, `repair` sets its bytes aside and rebuilds its
/// items as placeholders from their index entries and histories.
#[test]
fn a_damaged_group_of_items_is_set_aside_and_its_items_rebuilt() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山生物工程有限公司");
    store.put_firm(&f).unwrap();
    // Ids chosen to share a group, as a million items do (15 to a group).
    let first = Id::new();
    let mut ids = vec![first];
    while ids.len() < 3 {
        let id = Id::new();
        if records::group_of(id.as_bytes()) == records::group_of(first.as_bytes()) {
            ids.push(id);
        }
    }
    let mut bulk = store.bulk();
    for (i, id) in ids.iter().enumerate() {
        let issue = IssueDraft::new(f.id, &format!("事项{i}"))
            .into_issue(*id, 0, now())
            .unwrap();
        let created = IssueEvent::new(issue.id, now(), "me", Change::Created);
        bulk.issue(issue, vec![created]).unwrap();
    }
    bulk.finish().unwrap();
    let items: Vec<Issue> = ids
        .iter()
        .map(|id| store.issue(*id).unwrap().unwrap())
        .collect();
    assert_eq!(
        store.trees[ISSUES].len(),
        1,
        "the three items share one sled key"
    );
    let (group, bytes) = store.trees[ISSUES].first().unwrap().unwrap();
    store.trees[ISSUES]
        .insert(&group, &bytes[..bytes.len() - 3])
        .unwrap();
    let hidden: Vec<&Issue> = items
        .iter()
        .filter(|i| store.issue(i.id).unwrap().is_none())
        .collect();
    assert!(!hidden.is_empty());
    let report = store.check().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.tree == "issues" && p.what.starts_with("malformed record group")),
        "{:?}",
        report.problems
    );
    // The walks say so rather than leave the items out unnoticed...
    let mut damaged = Vec::new();
    store
        .each_issue(|item| {
            if let Err(d) = item {
                damaged.push(d);
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(damaged.len(), 1);
    assert!(damaged[0].key.starts_with("group "), "{:?}", damaged[0]);
    // ...and a backup, which must hold everything, stops and names the group.
    let scanned: Result<Vec<Issue>, StoreError> = store.scan_issues().collect();
    let error = scanned.unwrap_err().to_string();
    assert!(error.contains("malformed record group"), "{error}");
    assert!(store.record_counts().is_err());

    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    assert_eq!(store.quarantine().unwrap().records.len(), 1);
    for item in hidden {
        let rebuilt = store.issue(item.id).unwrap().unwrap();
        assert_eq!((rebuilt.number, rebuilt.firm), (item.number, item.firm));
    }
    assert_eq!(store.counts().unwrap().issues(), 3);
}

/// Histories' groups are packed (schema v6): a packed group that no longer unpacks is named by
/// `check` and set aside by `repair`, and the items keep their records.
#[test]
fn a_packed_group_of_histories_that_does_not_unpack_is_set_aside() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山生物工程有限公司");
    store.put_firm(&f).unwrap();
    let issue = IssueDraft::new(f.id, "增资扩产需新增用地约30亩")
        .into_issue(Id::new(), 0, now())
        .unwrap();
    let created = IssueEvent::new(issue.id, now(), "me", Change::Created);
    let mut bulk = store.bulk();
    bulk.issue(issue.clone(), vec![created]).unwrap();
    bulk.finish().unwrap();
    assert_eq!(store.events(issue.id).unwrap().records.len(), 1);
    let (group, bytes) = store.trees[HISTORY].first().unwrap().unwrap();
    assert!(records::is_packed_group(HISTORY, &bytes));
    store.trees[HISTORY]
        .insert(&group, &bytes[..bytes.len() - 2])
        .unwrap();
    let report = store.check().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.tree == "issue_history" && p.what.starts_with("malformed record group")),
        "{:?}",
        report.problems
    );
    let repaired = store.repair(now()).unwrap();
    assert!(repaired.check.is_ok(), "{:?}", repaired.check.problems);
    assert_eq!(store.quarantine().unwrap().records.len(), 1);
    assert_eq!(store.issue(issue.id).unwrap().unwrap().title, issue.title);
}
