//! Triage from the shell: `issues show|edit|assign|status|respond|close` on the demo ledger,
//! checked on their output and on the database afterwards (the same history as the app's).
//! In the demo, #9, #13 and #19 are new; #3, #7, #12, #16 assigned; #1 in progress; #4
//! answered; #2 closed.

mod common;

use common::listing::{json_array, numbers};
use common::{item, run_ok, run_refused, seeded};
use liaison::model::{Change, ResolutionKind, Status};
use liaison::store::Store;
use std::path::Path;

fn department_id(db: &Path, name: &str) -> liaison::model::Id {
    let store = Store::open(db).unwrap();
    let departments = store.departments().unwrap().records;
    departments.iter().find(|d| d.name == name).unwrap().id
}

#[test]
fn assign_hands_several_items_over_in_one_go_with_one_event_each() {
    let dir = seeded();
    let db = dir.path();
    let out = run_ok(db, &["issues", "assign", "9,12-13", "发改局"]);
    assert_eq!(
        out,
        "#9: handed to 发改局\n#12: handed to 发改局\n#13: handed to 发改局\n"
    );
    let dept = department_id(db, "发改局");
    for number in [9, 12, 13] {
        let (issue, events) = item(db, number);
        assert_eq!(issue.department, Some(dept));
        assert_eq!(issue.status, Status::Assigned, "#{number}");
        assert!(matches!(
            events.last().unwrap().change,
            Change::Department { to: Some(d), .. } if d == dept
        ));
    }
    // Taken back, a new item handed over is new again, as the app's `a` does.
    run_ok(db, &["issues", "assign", "9", "none"]);
    let (issue, _) = item(db, 9);
    assert_eq!((issue.department, issue.status), (None, Status::New));
    // The same department again changes nothing and writes nothing.
    let before = item(db, 12).1.len();
    assert_eq!(
        run_ok(db, &["issues", "assign", "12", "发改局"]),
        "#12: nothing changed\n"
    );
    assert_eq!(item(db, 12).1.len(), before);
}

#[test]
fn a_bad_number_or_a_refused_change_writes_nothing_at_all() {
    let dir = seeded();
    let db = dir.path();
    let before: Vec<usize> = (1..=20).map(|n| item(db, n).1.len()).collect();
    let err = run_refused(db, &["issues", "assign", "3,99,7", "发改局"]);
    assert!(err.contains("no item #99"), "{err}");
    let err = run_refused(db, &["issues", "status", "1,x", "answered"]);
    assert!(err.contains("N: x is not an item number"), "{err}");
    // #9 has no department: assigned is refused for it, so #3 is not changed either.
    let err = run_refused(db, &["issues", "status", "3,9", "assigned"]);
    assert!(
        err.contains("#9: status assigned needs a department: `liaison issues assign 9 DEPT`"),
        "{err}"
    );
    let err = run_refused(db, &["issues", "assign", "3", "不存在的局"]);
    assert!(
        err.contains("DEPT: no department named 不存在的局"),
        "{err}"
    );
    let err = run_refused(db, &["issues", "status", "3", "later"]);
    assert!(err.contains("STATUS: later is not a status"), "{err}");
    let err = run_refused(db, &["issues", "status", "3", "closed"]);
    assert!(err.contains("issues close"), "{err}");
    // A closed item cannot be answered: the whole list is refused.
    let err = run_refused(db, &["issues", "status", "1,2", "answered"]);
    assert!(err.contains("#2: status"), "{err}");
    let after: Vec<usize> = (1..=20).map(|n| item(db, n).1.len()).collect();
    assert_eq!(before, after);
    assert_eq!(item(db, 1).0.status, Status::InProgress);
}

#[test]
fn status_takes_english_codes_and_the_chinese_words_of_the_csv() {
    let dir = seeded();
    let db = dir.path();
    run_ok(db, &["issues", "status", "3", "办理中"]);
    run_ok(db, &["issues", "status", "7", "in-progress"]);
    run_ok(db, &["issues", "status", "1", "已答复"]);
    for (number, status) in [
        (3, Status::InProgress),
        (7, Status::InProgress),
        (1, Status::Answered),
    ] {
        let (issue, events) = item(db, number);
        assert_eq!(issue.status, status);
        assert!(matches!(
            events.last().unwrap().change,
            Change::Status { to, resolution: None, .. } if to == status
        ));
    }
}

#[test]
fn an_answer_to_the_firm_makes_the_item_answered_where_its_life_cycle_allows() {
    let dir = seeded();
    let db = dir.path();
    let (_, before) = item(db, 3);
    run_ok(
        db,
        &["issues", "respond", "3,9", "已协调用地指标", "--answer"],
    );
    let (issue, events) = item(db, 3);
    assert_eq!(issue.status, Status::Answered);
    let added: Vec<&Change> = events[before.len()..].iter().map(|e| &e.change).collect();
    assert!(
        matches!(
            added.as_slice(),
            [
                Change::Response { to_firm: true, .. },
                Change::Status {
                    from: Status::Assigned,
                    to: Status::Answered,
                    ..
                }
            ]
        ),
        "{added:?}"
    );
    // A new item must be handed over first: the answer is kept, the status stays.
    let (issue, events) = item(db, 9);
    assert_eq!(issue.status, Status::New);
    assert!(matches!(
        &events.last().unwrap().change,
        Change::Response { text, to_firm: true } if text == "已协调用地指标"
    ));
    // A plain response is one event and moves nothing.
    run_ok(db, &["issues", "respond", "12", "正在办理"]);
    let (issue, events) = item(db, 12);
    assert_eq!(issue.status, Status::Assigned);
    assert!(matches!(
        events.last().unwrap().change,
        Change::Response { to_firm: false, .. }
    ));
    let err = run_refused(db, &["issues", "respond", "12", " "]);
    assert!(err.contains("#12: response"), "{err}");
}

#[test]
fn close_records_how_and_what_the_firm_was_told() {
    let dir = seeded();
    let db = dir.path();
    run_ok(db, &["issues", "close", "4", "已发放补贴"]);
    run_ok(
        db,
        &["issues", "close", "9,13", "现场已协调", "--how", "现场"],
    );
    run_ok(
        db,
        &["issues", "close", "19", "企业不再需要", "--how", "企业撤回"],
    );
    for (number, kind, text) in [
        (4, ResolutionKind::Answered, "已发放补贴"),
        (9, ResolutionKind::OnTheSpot, "现场已协调"),
        (13, ResolutionKind::OnTheSpot, "现场已协调"),
        (19, ResolutionKind::Withdrawn, "企业不再需要"),
    ] {
        let (issue, events) = item(db, number);
        assert_eq!(issue.status, Status::Closed);
        let resolution = issue.resolution.unwrap();
        assert_eq!((resolution.kind, resolution.text.as_str()), (kind, text));
        assert!(matches!(
            &events.last().unwrap().change,
            Change::Status { to: Status::Closed, resolution: Some(r), .. } if r.kind == kind
        ));
    }
    let err = run_refused(db, &["issues", "close", "1", "x", "--how", "later"]);
    assert!(err.contains("--how: later"), "{err}");
    let err = run_refused(db, &["issues", "close", "1", ""]);
    assert!(err.contains("#1: resolution"), "{err}");
    let err = run_refused(db, &["issues", "close", "2", "again"]);
    assert!(err.contains("#2: status"), "{err}");
}

#[test]
fn edit_changes_each_field_with_its_event_and_takes_forgiving_dates() {
    let dir = seeded();
    let db = dir.path();
    let (_, before) = item(db, 16);
    let out = run_ok(
        db,
        &[
            "issues",
            "edit",
            "16",
            "--category",
            "用地",
            "--priority",
            "急",
            "--due",
            "+30d",
            "--owner",
            "李晓",
        ],
    );
    assert_eq!(out, "#16: edited\n");
    let (issue, events) = item(db, 16);
    let today = chrono::Local::now().date_naive();
    assert_eq!(issue.due, Some(today + chrono::Duration::days(30)));
    assert_eq!(issue.priority, liaison::model::Priority::Urgent);
    assert_eq!(issue.owner, "李晓");
    let kinds: Vec<&str> = events[before.len()..]
        .iter()
        .map(|e| match e.change {
            Change::Category { .. } => "category",
            Change::Priority { .. } => "priority",
            Change::Due { .. } => "due",
            Change::Owner { .. } => "owner",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["category", "priority", "due", "owner"]);
    let err = run_refused(db, &["issues", "edit", "16", "--due", "someday"]);
    assert!(
        err.contains("invalid value 'someday' for '--due <WHEN>'"),
        "{err}"
    );
    let err = run_refused(db, &["issues", "edit", "16", "--priority", "soon"]);
    assert!(
        err.contains("invalid value 'soon' for '--priority <P>'"),
        "{err}"
    );
    // none clears the due date.
    run_ok(db, &["issues", "edit", "16", "--due", "none"]);
    assert_eq!(item(db, 16).0.due, None);
    let err = run_refused(db, &["issues", "edit", "16"]);
    assert!(err.contains("nothing to change"), "{err}");
    // Before the day the item was raised: refused by the model, named by item.
    let err = run_refused(db, &["issues", "edit", "16", "--due", "2020-01-01"]);
    assert!(err.contains("#16: due date"), "{err}");
}

#[test]
fn show_prints_the_item_and_its_history_or_json() {
    let dir = seeded();
    let db = dir.path();
    run_ok(db, &["issues", "respond", "7", "已协调交警", "--answer"]);
    let text = run_ok(db, &["issues", "show", "7"]);
    assert!(text.starts_with("#7  厂区门前道路货车通行拥堵\n"), "{text}");
    assert!(text.contains("status:     answered"), "{text}");
    assert!(text.contains("answer to the firm: 已协调交警"), "{text}");
    assert!(text.contains("assigned → answered"), "{text}");

    let one: serde_json::Value =
        serde_json::from_str(&run_ok(db, &["issues", "show", "7", "--json"])).unwrap();
    assert_eq!(one["number"], 7);
    assert_eq!(one["status"], "answered");
    let history = one["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["change"]["kind"], "status");
    let many = json_array(db, &["issues", "show", "7,3", "--json"]);
    assert_eq!(numbers(&many), [7, 3]);
    let err = run_refused(db, &["issues", "show", "42"]);
    assert!(err.contains("no item #42"), "{err}");
}

/// A typo fixed from the shell: the title and the detail, each with its history event.
#[test]
fn edit_fixes_the_title_and_the_detail() {
    let dir = seeded();
    let db = dir.path();
    let (_, before) = item(db, 16);
    let out = run_ok(
        db,
        &[
            "issues",
            "edit",
            "16",
            "--title",
            "总部项目落地政策支持（更新）",
            "--detail",
            "需省级批复",
        ],
    );
    assert_eq!(out, "#16: edited\n");
    let (issue, events) = item(db, 16);
    assert_eq!(issue.title, "总部项目落地政策支持（更新）");
    assert_eq!(issue.detail, "需省级批复");
    assert!(matches!(events[before.len()].change, Change::Title { .. }));
    assert!(matches!(
        events[before.len() + 1].change,
        Change::Detail { .. }
    ));
    let err = run_refused(db, &["issues", "edit", "16", "--title", " "]);
    assert!(err.contains("#16: title"), "{err}");
}
