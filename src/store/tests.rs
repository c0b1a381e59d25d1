use super::*;
use crate::model::{Change, Contact, Priority, Resolution, ResolutionKind, Sla, VisitStatus};
use chrono::DateTime;

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-12-15T10:00:00+08:00").unwrap()
}

fn firm(name: &str) -> Firm {
    let mut firm = Firm::new(name, now()).unwrap();
    firm.contacts.push(Contact {
        name: "王婉灵".into(),
        title: "总经理".into(),
        phone: "0760-8888 1234".into(),
        email: String::new(),
    });
    firm
}

fn visit(firm: Id, rfc3339: &str) -> Visit {
    let start = DateTime::parse_from_rfc3339(rfc3339).unwrap();
    Visit {
        id: Id::new(),
        firm,
        start,
        duration_min: 60,
        location: "会议室".into(),
        lead: "陈文锋".into(),
        attendees: vec![],
        purpose: "座谈".into(),
        status: VisitStatus::Planned,
        minutes: String::new(),
        created: now(),
        updated: now(),
    }
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn a_new_database_has_the_schema_version_and_default_categories() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.categories().unwrap().records.len(), 8);
    assert!(store.counts().unwrap().is_empty());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn records_survive_a_reopen_with_their_indexes() {
    let dir = temp();
    let (firm_id, issue_id, visit_id);
    {
        let store = Store::open(dir.path()).unwrap();
        let f = firm("中山生物工程有限公司");
        firm_id = f.id;
        store.put_firm(&f).unwrap();
        let v = visit(firm_id, "2026-12-16T09:30:00+08:00");
        visit_id = v.id;
        store.put_visit(&v).unwrap();
        let mut draft = IssueDraft::new(firm_id, "扩大产能需新增用地");
        draft.visit = Some(visit_id);
        draft.priority = Priority::High;
        draft.due = NaiveDate::from_ymd_opt(2026, 12, 31);
        let issue = store.create_issue(draft, "联络员", now()).unwrap();
        issue_id = issue.id;
        assert_eq!(issue.number, 1);
    }
    let store = Store::open(dir.path()).unwrap();
    let f = store.firm(firm_id).unwrap().unwrap();
    assert_eq!(f.name, "中山生物工程有限公司");
    assert_eq!(f.contacts[0].name, "王婉灵");
    assert_eq!(
        store.firm_by_name(" 中山生物工程有限公司").unwrap(),
        Some(firm_id)
    );
    assert_eq!(store.visit_ids_by_time().unwrap(), vec![visit_id]);
    assert_eq!(store.visit_ids_of_firm(firm_id).unwrap(), vec![visit_id]);
    let issue = store.issue_by_number(1).unwrap().unwrap();
    assert_eq!(issue.id, issue_id);
    assert_eq!(issue.visit, Some(visit_id));
    assert_eq!(
        store.issues_of_firm(firm_id).unwrap(),
        vec![(issue_id, Some(Status::New))]
    );
    let history = store.events(issue_id).unwrap().records;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].change, Change::Created);
    let counts = store.counts().unwrap();
    assert_eq!(
        (counts.firms, counts.visits, counts.issues(), counts.events),
        (1, 1, 1, 1)
    );
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert!(report.index_entries >= 7);
}

#[test]
fn responses_are_kept_searchable_beside_the_item() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山新高电子材料股份有限公司");
    store.put_firm(&f).unwrap();
    let a = store
        .create_issue(IssueDraft::new(f.id, "环评"), "me", now())
        .unwrap();
    let b = store
        .create_issue(IssueDraft::new(f.id, "供电"), "me", now())
        .unwrap();
    let respond = |text: &str| {
        IssueEvent::new(
            a.id,
            now(),
            "me",
            Change::Response {
                text: text.into(),
                to_firm: false,
            },
        )
    };
    store.save_issue(&a, &[respond("已受理 ABC")]).unwrap();
    store.save_issue(&a, &[respond("批复下达")]).unwrap();
    assert_eq!(store.response_text(a.id).unwrap(), "已受理 abc\n批复下达\n");
    assert_eq!(store.response_text(b.id).unwrap(), "");
    let mut seen = Vec::new();
    store
        .each_issue_with_text(|row| {
            let (issue, text) = row.unwrap();
            seen.push((issue.title, text));
            Ok(())
        })
        .unwrap();
    // Items come in the order of their groups, not of their ids.
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("供电".to_string(), String::new()),
            ("环评".to_string(), "已受理 abc\n批复下达\n".to_string()),
        ]
    );
}

#[test]
fn an_item_without_a_due_date_gets_one_from_its_priority() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("艾特网能技术有限公司");
    store.put_firm(&f).unwrap();
    let normal = store
        .create_issue(IssueDraft::new(f.id, "贴息"), "me", now())
        .unwrap();
    assert_eq!(
        normal.due,
        NaiveDate::from_ymd_opt(2026, 12, 30),
        "15 days for normal"
    );
    store
        .set_sla(&Sla {
            days: [60, 20, 10, 1],
        })
        .unwrap();
    let mut draft = IssueDraft::new(f.id, "停电");
    draft.priority = Priority::Urgent;
    let urgent = store.create_issue(draft, "me", now()).unwrap();
    assert_eq!(urgent.due, NaiveDate::from_ymd_opt(2026, 12, 16));
    let mut draft = IssueDraft::new(f.id, "人才");
    draft.due = NaiveDate::from_ymd_opt(2027, 3, 1);
    assert_eq!(
        store.create_issue(draft, "me", now()).unwrap().due,
        NaiveDate::from_ymd_opt(2027, 3, 1),
        "a given due date stands"
    );
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.sla().unwrap().days, [60, 20, 10, 1]);
}

#[test]
fn numbers_are_unique_and_sequential() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("艾特网能技术有限公司");
    store.put_firm(&f).unwrap();
    let numbers: Vec<u32> = (0..5)
        .map(|i| {
            store
                .create_issue(IssueDraft::new(f.id, &format!("item {i}")), "me", now())
                .unwrap()
                .number
        })
        .collect();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5]);
}

#[test]
fn an_item_for_a_missing_firm_is_refused_and_nothing_is_written() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let err = store
        .create_issue(IssueDraft::new(Id::new(), "orphan"), "me", now())
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { what: "firm", .. }));
    assert_eq!(store.counts().unwrap().issues(), 0);
    assert!(store.issue_by_number(1).unwrap().is_none());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn invalid_records_are_refused_with_the_field() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中荣印刷集团股份有限公司");
    store.put_firm(&f).unwrap();
    let err = store
        .create_issue(IssueDraft::new(f.id, "   "), "me", now())
        .unwrap_err();
    assert_eq!(err.to_string(), "title must not be empty");
    let mut bad = f.clone();
    bad.name = " ".into();
    assert!(store.put_firm(&bad).is_err());
    assert_eq!(store.firm(f.id).unwrap().unwrap().name, f.name);
}

#[test]
fn firm_names_are_unique_and_renames_move_the_index() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let a = firm("中山朗斯家居股份有限公司");
    store.put_firm(&a).unwrap();
    let dup = firm("中山朗斯家居股份有限公司 ");
    assert!(matches!(
        store.put_firm(&dup),
        Err(StoreError::DuplicateName { existing, .. }) if existing == a.id
    ));
    let mut renamed = a.clone();
    renamed.name = "朗斯家居".into();
    store.put_firm(&renamed).unwrap();
    assert_eq!(
        store.firm_by_name("中山朗斯家居股份有限公司").unwrap(),
        None
    );
    assert_eq!(store.firm_by_name("朗斯家居").unwrap(), Some(a.id));
    store.put_firm(&dup).unwrap();
    assert_eq!(store.counts().unwrap().firms, 2);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn changing_an_item_moves_its_index_entries_and_counters() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("广东弘景光电科技股份有限公司");
    store.put_firm(&f).unwrap();
    let mut draft = IssueDraft::new(f.id, "上市辅导");
    draft.due = NaiveDate::from_ymd_opt(2026, 12, 20);
    let mut issue = store.create_issue(draft, "me", now()).unwrap();
    let later = DateTime::parse_from_rfc3339("2026-12-22T10:00:00+08:00").unwrap();
    assert_eq!(store.overdue_count(later.date_naive()).unwrap(), 1);
    let event = issue
        .change_status(
            Status::Closed,
            Some(Resolution {
                kind: ResolutionKind::Answered,
                text: "已对接券商".into(),
            }),
            "me",
            later,
        )
        .unwrap();
    store.save_issue(&issue, &[event]).unwrap();
    assert_eq!(store.overdue_count(later.date_naive()).unwrap(), 0);
    let counts = store.counts().unwrap();
    assert_eq!(
        counts.issues_by_status[Status::Closed.as_byte() as usize],
        1
    );
    assert_eq!(counts.open_issues(), 0);
    assert_eq!(
        store.issues_of_firm(f.id).unwrap()[0].1,
        Some(Status::Closed)
    );
    assert_eq!(store.events(issue.id).unwrap().records.len(), 2);
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn visits_are_listed_in_time_order_whatever_the_offset() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山新高电子材料股份有限公司");
    store.put_firm(&f).unwrap();
    // 09:00 in Beijing is earlier than 08:00 in London on the same day.
    let late = visit(f.id, "2026-12-15T08:00:00+00:00");
    let early = visit(f.id, "2026-12-15T09:00:00+08:00");
    store.put_visit(&late).unwrap();
    store.put_visit(&early).unwrap();
    assert_eq!(store.visit_ids_by_time().unwrap(), vec![early.id, late.id]);
    let mut moved = early.clone();
    moved.start = DateTime::parse_from_rfc3339("2026-12-16T09:00:00+08:00").unwrap();
    store.put_visit(&moved).unwrap();
    assert_eq!(store.visit_ids_by_time().unwrap(), vec![late.id, early.id]);
    assert_eq!(store.counts().unwrap().visits, 2);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_damaged_value_is_reported_with_tree_and_id_and_the_rest_loads() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let good = firm("广东星昊药业有限公司");
    let bad = firm("中山未名海济生物医药有限公司");
    store.put_firm(&good).unwrap();
    store.put_firm(&bad).unwrap();
    let mut bytes = store.trees[FIRMS]
        .get(bad.id.as_bytes())
        .unwrap()
        .unwrap()
        .to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xFF;
    store.trees[FIRMS].insert(bad.id.as_bytes(), bytes).unwrap();

    let loaded = store.firms().unwrap();
    assert_eq!(loaded.records, vec![good.clone()]);
    assert_eq!(loaded.damaged.len(), 1);
    assert_eq!(loaded.damaged[0].tree, "firms");
    assert_eq!(loaded.damaged[0].key, bad.id.to_string());
    assert!(matches!(
        loaded.damaged[0].error,
        DecodeError::Checksum { .. }
    ));
    let err = store.firm(bad.id).unwrap_err().to_string();
    assert!(
        err.contains("firms") && err.contains(&bad.id.to_string()),
        "{err}"
    );

    let report = store.check().unwrap();
    assert!(!report.is_ok());
    assert!(report
        .problems
        .iter()
        .any(|p| p.tree == "firms" && p.key == bad.id.to_string() && p.what.contains("checksum")));
}

#[test]
fn check_finds_missing_and_dangling_index_entries_and_bad_counters() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山生物工程有限公司");
    store.put_firm(&f).unwrap();
    let issue = store
        .create_issue(IssueDraft::new(f.id, "海外市场开拓"), "me", now())
        .unwrap();
    store
        .index_remove(IDX_ISSUE_DUE, &keys::issue_due(&issue))
        .unwrap();
    let ghost = Id::new();
    store
        .index_insert(
            IDX_VISIT_TIME,
            &keys::join(&[&keys::time_bytes(0), ghost.as_bytes()]),
            &[],
        )
        .unwrap();
    store.trees[META]
        .insert(Counter::Firms.key(), codec::encode(&7u64))
        .unwrap();
    let report = store.check().unwrap();
    let trees: Vec<&str> = report.problems.iter().map(|p| p.tree).collect();
    assert!(trees.contains(&"idx_issue_due"), "{:?}", report.problems);
    assert!(report
        .problems
        .iter()
        .any(|p| p.tree == "idx_visit_time" && p.what.contains("does not exist")));
    assert!(report
        .problems
        .iter()
        .any(|p| p.key == "count:firms" && p.what.contains("says 7, found 1")));
}

#[test]
fn a_second_opener_is_refused_with_a_clear_message() {
    let dir = temp();
    let _first = Store::open(dir.path()).unwrap();
    let err = Store::open(dir.path())
        .err()
        .expect("second open must fail");
    assert!(matches!(err, StoreError::InUse { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "the database at {} is in use by another liaison process",
            dir.path().display()
        )
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = temp();
    {
        let store = Store::open(dir.path()).unwrap();
        store.trees[META]
            .insert(META_SCHEMA, codec::encode(&(SCHEMA_VERSION + 1)))
            .unwrap();
        store.flush().unwrap();
    }
    let err = Store::open(dir.path()).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
}

#[test]
fn bulk_writes_many_records_with_numbers_and_counters() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let mut bulk = store.bulk();
    let firms: Vec<Firm> = (0..50).map(|i| firm(&format!("企业{i}"))).collect();
    for f in &firms {
        bulk.firm(f.clone()).unwrap();
    }
    for i in 0..5000 {
        let issue = IssueDraft::new(firms[i % 50].id, &format!("事项{i}"))
            .into_issue(Id::new(), 0, now())
            .unwrap();
        let created = IssueEvent::new(issue.id, now(), "me", Change::Created);
        bulk.issue(issue, vec![created]).unwrap();
    }
    bulk.finish().unwrap();
    let counts = store.counts().unwrap();
    assert_eq!(
        (counts.firms, counts.issues(), counts.events),
        (50, 5000, 5000)
    );
    assert!(store.issue_by_number(5000).unwrap().is_some());
    assert_eq!(store.issue_ids_by_due().unwrap().len(), 5000);
    assert!(store.check().unwrap().is_ok());
    // 5,000 entries in each item index, in far fewer sled keys (sled's cost is per key).
    for index in [
        IDX_ISSUE_NUMBER,
        IDX_ISSUE_STATUS,
        IDX_ISSUE_FIRM,
        IDX_ISSUE_DUE,
    ] {
        assert_eq!(store.index_entries(index).count(), 5000);
        let keys = store.trees[index].len();
        // The status index has 4,096 groups a status, filled as items arrive.
        let most = if index == IDX_ISSUE_STATUS { 4096 } else { 200 };
        assert!(keys <= most, "{} has {keys} sled keys", TREE_NAMES[index]);
    }
    store.clear().unwrap();
    assert!(store.counts().unwrap().is_empty());
    assert!(store.check().unwrap().is_ok());
}

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

// ---- an item's history is one value ----------------------------------------------------

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

/// Loading an empty database without transactions gives the same ledger as `bulk`: every
/// item numbered, indexed and counted, its history kept; merged into groups already
/// written as the loader's budget fills. A database that holds items gets transactions.
#[test]
fn loading_into_an_empty_database_keeps_every_rule_that_bulk_keeps() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let firms: Vec<Firm> = (0..20).map(|i| firm(&format!("企业{i}"))).collect();
    let mut load = store.load_into_empty().unwrap();
    assert!(load.loading.is_some());
    for f in &firms {
        load.firm(f.clone()).unwrap();
    }
    for i in 0..600 {
        let mut issue = IssueDraft::new(firms[i % 20].id, &format!("事项{i}"))
            .into_issue(Id::new(), 0, now())
            .unwrap();
        if i % 3 == 0 {
            issue.status = Status::Closed;
        }
        let created = IssueEvent::new(issue.id, now(), "me", Change::Created);
        load.issue(issue, vec![created]).unwrap();
    }
    let unknown = IssueDraft::new(Id::new(), "无主")
        .into_issue(Id::new(), 0, now())
        .unwrap();
    assert!(matches!(
        load.issue(unknown, vec![]),
        Err(StoreError::NotFound { what: "firm", .. })
    ));
    load.finish().unwrap();
    let counts = store.counts().unwrap();
    assert_eq!((counts.issues(), counts.events), (600, 600));
    assert_eq!(
        counts.issues_by_status[Status::Closed.as_byte() as usize],
        200
    );
    assert_eq!(store.next_issue_number().unwrap(), 601);
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let item = store.issue_by_number(600).unwrap().unwrap();
    assert_eq!(item.title, "事项599");
    assert_eq!(store.events(item.id).unwrap().records.len(), 1);
    assert_eq!(store.issues_of_firm(firms[0].id).unwrap().len(), 30);
    // Holding items now, the next load goes through transactions.
    assert!(store.load_into_empty().unwrap().loading.is_none());
}

/// A journal written by schema v2 holds closed items without a closing time: replayed, they
/// take their last change, as a v2 backup's do.
#[test]
fn a_v2_journals_closed_item_gets_its_last_change_as_closing_time() {
    let dir = temp();
    let store = Store::open(dir.path()).unwrap();
    let f = firm("中山生物工程有限公司");
    let mut issue = IssueDraft::new(f.id, "用地")
        .into_issue(Id::new(), 1, now())
        .unwrap();
    issue.status = Status::Closed;
    issue.resolution = Some(Resolution {
        kind: ResolutionKind::Answered,
        text: "已答复".into(),
    });
    let updated = now() + chrono::Duration::days(2);
    issue.updated = updated;
    store
        .replay(&[journal::Op::Firm(f), journal::Op::Issue(issue.clone())])
        .unwrap();
    assert_eq!(
        store.issue(issue.id).unwrap().unwrap().closed,
        Some(updated)
    );
}
