use super::*;
use crate::model::IssueDraft;
use chrono::DateTime;

fn now() -> LocalTime {
    DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
}

fn empty_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn issue(firm: Id, number: u32) -> Issue {
    IssueDraft::new(firm, "新厂房用电增容")
        .into_issue(Id::new(), number, now())
        .unwrap()
}

#[test]
fn a_restore_given_up_half_way_leaves_the_database_as_it_was() {
    let (_dir, store) = empty_store();
    store.set_user("王婉灵").unwrap();
    let before = store.record_counts().unwrap();
    let categories = store.categories().unwrap().records;
    {
        let mut restore = store.restore(None).unwrap();
        let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
        let firm_id = firm.id;
        restore.firm(firm).unwrap();
        // More than one transaction's worth, so that some of it is on disk.
        for n in 1..=BULK_CHUNK as u32 + 10 {
            restore.issue(issue(firm_id, n)).unwrap();
        }
        assert!(store.record_counts().unwrap().issues > 0);
        assert_eq!(
            store.unfinished().unwrap().unwrap().operation,
            Operation::Restore
        );
        // Dropped here, as on an error returned through `?`.
    }
    assert_eq!(store.record_counts().unwrap(), before);
    assert_eq!(store.categories().unwrap().records, categories);
    assert_eq!(store.user().unwrap().as_deref(), Some("王婉灵"));
    assert_eq!(store.counts().unwrap(), Counts::default());
    assert_eq!(store.unfinished().unwrap(), None);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn an_interrupted_restore_is_reported_and_restored_over() {
    let (_dir, store) = empty_store();
    let mut restore = store.restore(None).unwrap();
    restore
        .firm(Firm::new("中山生物工程有限公司", now()).unwrap())
        .unwrap();
    restore.write().unwrap();
    // A power cut: nothing runs after this point.
    std::mem::forget(restore);
    let report = store.check().unwrap();
    assert!(report
        .problems
        .iter()
        .any(|p| p.what.starts_with("restore (started ") && p.what.contains("did not finish")));
    assert!(store.accepts_restore().unwrap());

    let mut again = store.restore(None).unwrap();
    assert_eq!(store.record_counts().unwrap().firms, 0);
    let firm = Firm::new("中山火炬", now()).unwrap();
    let firm_id = firm.id;
    again.firm(firm).unwrap();
    again.issue(issue(firm_id, 7)).unwrap();
    let settings = Settings {
        user: None,
        sla: Sla::default(),
        backups_kept: 3,
        retired: Vec::new(),
    };
    again.finish(&settings, 8).unwrap();
    assert!(store.check().unwrap().is_ok(), "{:?}", store.check());
    assert_eq!(store.next_issue_number().unwrap(), 8);
    assert_eq!(store.issue_by_number(7).unwrap().unwrap().firm, firm_id);
    assert_eq!(store.backups_kept().unwrap(), 3);
    assert!(!store.accepts_restore().unwrap());
}

#[test]
fn only_an_empty_database_accepts_a_restore() {
    let (_dir, store) = empty_store();
    assert!(store.accepts_restore().unwrap());
    store
        .put_department(&Department::new("发改局", "发展和改革局").unwrap())
        .unwrap();
    assert!(matches!(
        store.restore(None),
        Err(StoreError::NotEmpty { .. })
    ));
}

#[test]
fn two_items_with_one_number_are_refused_and_taken_back() {
    let (_dir, store) = empty_store();
    let mut restore = store.restore(None).unwrap();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    let firm_id = firm.id;
    restore.firm(firm).unwrap();
    restore.issue(issue(firm_id, 3)).unwrap();
    restore.issue(issue(firm_id, 3)).unwrap();
    let settings = store.settings().unwrap();
    let error = restore.finish(&settings, 4).unwrap_err();
    assert_eq!(error.to_string(), "item number #3 appears twice");
    assert_eq!(store.record_counts().unwrap().firms, 0);
    assert!(store.accepts_restore().unwrap());
}

#[test]
fn events_restored_go_into_their_items_history_and_a_repeated_one_is_refused() {
    let (_dir, store) = empty_store();
    let mut restore = store.restore(None).unwrap();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    let firm_id = firm.id;
    restore.firm(firm).unwrap();
    let mut item = issue(firm_id, 1);
    let created = IssueEvent::new(item.id, now(), "me", crate::model::Change::Created);
    let response = item.respond("已受理", false, "me", now()).unwrap();
    restore.issue(item.clone()).unwrap();
    restore.event(created.clone()).unwrap();
    restore.event(response.clone()).unwrap();
    let settings = store.settings().unwrap();
    restore.finish(&settings, 2).unwrap();
    assert_eq!(
        store.events(item.id).unwrap().records,
        vec![created.clone(), response]
    );
    assert_eq!(store.response_text(item.id).unwrap(), "已受理\n");
    assert_eq!(store.counts().unwrap().events, 2);
    assert!(store.check().unwrap().is_ok());

    let (_dir, store) = empty_store();
    let mut restore = store.restore(None).unwrap();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    let item = issue(firm.id, 1);
    restore.firm(firm).unwrap();
    let created = IssueEvent::new(item.id, now(), "me", crate::model::Change::Created);
    restore.issue(item).unwrap();
    restore.event(created.clone()).unwrap();
    restore.event(created.clone()).unwrap();
    let error = restore.finish(&settings, 2).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("history event {} appears twice", created.id)
    );
    assert!(store.accepts_restore().unwrap());
}
