//! Real ledgers (the store and its operation log) through the server.
use super::*;
use liaison::model::{Change, Department, Firm, Id, IssueDraft, IssueEvent};
use liaison::server::StoreLedger;
use liaison::store::{RecordKind, Store};

fn now() -> liaison::model::LocalTime {
    chrono::Local::now().fixed_offset()
}

fn sync_store(url: &ServerUrl, store: &Store) -> SyncReport {
    let mut ledger = StoreLedger::new(store).unwrap();
    sync_ok(url, &mut ledger)
}

/// Items with their histories, and the conflicts, as sorted JSON.
fn contents(store: &Store) -> String {
    common::ledgers::contents(store, common::ledgers::Parts::Items)
}

fn respond(store: &Store, item: Id, who: &str, text: &str) {
    let issue = store.issue(item).unwrap().unwrap();
    let change = Change::Response {
        text: text.into(),
        to_firm: false,
    };
    store
        .save_issue(&issue, &[IssueEvent::new(item, now(), who, change)])
        .unwrap();
}

fn hand_to(store: &Store, item: Id, department: Id) {
    let mut issue = store.issue(item).unwrap().unwrap();
    issue.department = Some(department);
    issue.updated = now();
    store.save_issue(&issue, &[]).unwrap();
}

#[test]
fn three_ledgers_sync_offline_changes_and_show_the_same_conflict() {
    let Some(mut zone) = Zone::new("stores") else {
        return;
    };
    let urls = [
        zone.member("li", Member::Officer),
        zone.member("wang", Member::Officer),
        zone.member("fgj", Member::Department("发改局".into())),
    ];
    let dir = tempfile::tempdir().unwrap();
    let stores: Vec<Store> = (0..3)
        .map(|i| Store::open(&dir.path().join(format!("l{i}"))).unwrap())
        .collect();
    let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
    stores[0].put_firm(&firm).unwrap();
    let departments: Vec<Id> = ["发改局", "住建局", "人社局"]
        .into_iter()
        .map(|name| {
            let d = Department::new(name, name).unwrap();
            stores[0].put_department(&d).unwrap();
            d.id
        })
        .collect();
    let item = stores[0]
        .create_issue(IssueDraft::new(firm.id, "用地指标"), "李晓", now())
        .unwrap()
        .id;
    for i in [0, 1, 2] {
        sync_store(&urls[i], &stores[i]);
    }
    assert!(
        stores[2].issue(item).unwrap().is_some(),
        "the item reached the department"
    );

    // Offline: two officers hand the item to different departments; the department and
    // an officer respond.
    hand_to(&stores[0], item, departments[1]);
    hand_to(&stores[1], item, departments[2]);
    respond(&stores[2], item, "发改局", "已受理，下周答复");
    respond(&stores[1], item, "王芳", "已电话企业");
    for i in [2, 0, 1, 2, 0] {
        sync_store(&urls[i], &stores[i]);
    }
    let first = contents(&stores[0]);
    for store in &stores {
        assert_eq!(contents(store), first);
        assert_eq!(
            store.conflict_count(),
            1,
            "the conflict shows on each ledger"
        );
        let responses = store
            .events(item)
            .unwrap()
            .records
            .into_iter()
            .filter(|e| matches!(e.change, Change::Response { .. }))
            .count();
        assert_eq!(responses, 2, "both responses kept");
    }

    // Choosing on one ledger clears it on all after their next sync.
    let conflict = stores[1].conflicts().unwrap().remove(0);
    assert_eq!(conflict.kind, RecordKind::Issue);
    let value = conflict.heads[0].value.clone();
    stores[1]
        .resolve_conflict(conflict.kind, conflict.record, &conflict.field, &value)
        .unwrap();
    for i in [1, 0, 2] {
        sync_store(&urls[i], &stores[i]);
    }
    for store in &stores {
        assert_eq!(store.conflict_count(), 0);
        assert_eq!(contents(store), contents(&stores[1]));
    }
    // A sync with nothing new moves nothing.
    let again = sync_store(&urls[0], &stores[0]);
    assert_eq!((again.pushed, again.new), (0, 0));
}
