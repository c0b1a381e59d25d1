use super::*;
use crate::model::{Change, Contact, Priority, Resolution, ResolutionKind, Sla, VisitStatus};
use chrono::DateTime;

mod grouped;
mod history;

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
