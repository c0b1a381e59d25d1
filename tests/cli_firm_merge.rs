//! `liaison firms merge FROM INTO` (issue 12, point 21): two records of one firm made one.

mod common;

use common::{liaison, seeded, stderr, stdout};
use liaison::model::{Change, Contact, Firm, IssueDraft};
use liaison::store::Store;

#[test]
fn a_firm_recorded_twice_is_merged_with_its_items_visits_and_contacts() {
    let dir = seeded();
    let db = dir.path();
    let (twin, item) = {
        let store = Store::open(db).unwrap();
        let mut twin = Firm::new("中山生物工程公司", common::now()).unwrap();
        twin.contacts.push(Contact {
            name: "周宁".into(),
            title: "行政".into(),
            phone: "0760-8888 1000".into(),
            email: String::new(),
        });
        store.put_firm(&twin).unwrap();
        let item = store
            .create_issue(
                IssueDraft::new(twin.id, "重复登记企业的诉求"),
                "李晓",
                common::now(),
            )
            .unwrap();
        (twin.id, item.id)
    };
    let out = liaison(
        db,
        &["firms", "merge", "中山生物工程公司", "中山生物工程有限公司"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("0 visit(s) and 1 item(s) moved"),
        "{}",
        stdout(&out)
    );
    let out = liaison(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let store = Store::open(db).unwrap();
    let kept = store.firm_by_name("中山生物工程有限公司").unwrap().unwrap();
    let issue = store.issue(item).unwrap().unwrap();
    assert_eq!(issue.firm, kept);
    let events = store.events(item).unwrap().records;
    assert!(
        matches!(events.last().unwrap().change, Change::Firm { from, to } if from == twin && to == kept)
    );
    assert!(store.firm(twin).unwrap().unwrap().archived);
    let kept = store.firm(kept).unwrap().unwrap();
    assert!(kept.contacts.iter().any(|c| c.name == "周宁"));
    assert!(store.issues_of_firm(twin).unwrap().is_empty());
}

#[test]
fn a_merge_into_itself_or_an_unknown_firm_is_refused() {
    let dir = seeded();
    let db = dir.path();
    let out = liaison(db, &["firms", "merge", "zsswgc", "中山生物工程有限公司"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("same firm"), "{}", stderr(&out));
    let out = liaison(db, &["firms", "merge", "没有这家企业", "zsswgc"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("FROM: no firm named"),
        "{}",
        stderr(&out)
    );
}
