//! Tags from the shell: `issues tag`, what `show` and the exports say of them, and the
//! filter's `tag:` and date comparisons, checked on output and on the database afterwards.

mod common;

use common::{liaison, seeded, stderr, stdout};
use liaison::model::{Change, Issue, IssueEvent};
use liaison::store::Store;
use std::path::Path;

fn item(db: &Path, number: u32) -> (Issue, Vec<IssueEvent>) {
    let store = Store::open(db).unwrap();
    let issue = store.issue_by_number(number).unwrap().unwrap();
    let events = store.events(issue.id).unwrap().records;
    (issue, events)
}

fn run_ok(db: &Path, args: &[&str]) -> String {
    let out = liaison(db, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn run_refused(db: &Path, args: &[&str]) -> String {
    let out = liaison(db, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
    assert_eq!(stdout(&out), "", "{args:?}");
    stderr(&out)
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| t.to_string()).collect()
}

#[test]
fn tag_adds_and_removes_tags_of_several_items_with_one_event_each() {
    let dir = seeded();
    let db = dir.path();
    let out = run_ok(db, &["issues", "tag", "3,7-8", "专班、省重点"]);
    assert_eq!(
        out,
        "#3: tags: +专班 +省重点\n#7: tags: +专班 +省重点\n#8: tags: +专班 +省重点\n"
    );
    for number in [3, 7, 8] {
        let (issue, events) = item(db, number);
        assert_eq!(issue.tags, tags(&["专班", "省重点"]), "#{number}");
        assert_eq!(
            events.last().unwrap().change,
            Change::Tags {
                added: tags(&["专班", "省重点"]),
                removed: vec![]
            }
        );
    }
    // Again: nothing changes, nothing is written.
    let before = item(db, 3).1.len();
    assert_eq!(
        run_ok(db, &["issues", "tag", "3", "专班"]),
        "#3: nothing changed\n"
    );
    assert_eq!(item(db, 3).1.len(), before);

    let out = run_ok(db, &["issues", "tag", "3,7", "专班", "--remove"]);
    assert_eq!(out, "#3: tags: −专班\n#7: tags: −专班\n");
    let (issue, events) = item(db, 3);
    assert_eq!(issue.tags, tags(&["省重点"]));
    assert_eq!(
        events.last().unwrap().change,
        Change::Tags {
            added: vec![],
            removed: tags(&["专班"])
        }
    );
    assert_eq!(item(db, 8).0.tags, tags(&["专班", "省重点"]));

    // The item's history says so, and so does the JSON.
    let show = run_ok(db, &["issues", "show", "3"]);
    assert!(show.contains("tags: −专班"), "{show}");
    assert!(show.contains("省重点"), "{show}");
    let json = run_ok(db, &["issues", "show", "3", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["tags"], serde_json::json!(["省重点"]));
    let history = value["history"].as_array().unwrap();
    assert_eq!(
        history.last().unwrap()["change"],
        serde_json::json!({"kind": "tags", "added": [], "removed": ["专班"]})
    );
    let out = liaison(db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_bad_tag_or_number_writes_nothing() {
    let dir = seeded();
    let db = dir.path();
    let err = run_refused(db, &["issues", "tag", "3", "专\u{1b}班"]);
    assert!(err.contains("TAG: 专␛班: tag"), "{err}");
    let long = "长".repeat(31);
    let err = run_refused(db, &["issues", "tag", "3", &long]);
    assert!(err.contains("TAG: "), "{err}");
    let err = run_refused(db, &["issues", "tag", "3,99", "专班"]);
    assert!(err.contains("no item #99"), "{err}");
    let err = run_refused(db, &["issues", "tag", "3", "、"]);
    assert!(err.contains("TAG: no tag given"), "{err}");
    assert!(item(db, 3).0.tags.is_empty());
}

fn exported_numbers(db: &Path, filter: &str) -> Vec<u64> {
    let out = run_ok(
        db,
        &["export", "issues", "--format", "json", "--filter", filter],
    );
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut numbers: Vec<u64> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_u64().unwrap())
        .collect();
    numbers.sort();
    numbers
}

#[test]
fn export_filters_on_tags_and_dates() {
    let dir = seeded();
    let db = dir.path();
    run_ok(db, &["issues", "tag", "3,9", "专班"]);
    run_ok(db, &["issues", "tag", "9,12", "省重点"]);
    assert_eq!(exported_numbers(db, "tag:专班"), vec![3, 9]);
    assert_eq!(exported_numbers(db, "标签:省重点 -tag:专班"), vec![12]);
    let all = exported_numbers(db, "");
    let untagged = exported_numbers(db, "-tag:专班");
    assert_eq!(untagged.len(), all.len() - 2);

    // Dates: each item's own, compared by day.
    let store = Store::open(db).unwrap();
    let items: Vec<Issue> = (1..=20)
        .map(|n| store.issue_by_number(n).unwrap().unwrap())
        .collect();
    drop(store);
    let numbers = |keep: &dyn Fn(&Issue) -> bool| -> Vec<u64> {
        items
            .iter()
            .filter(|i| keep(i))
            .map(|i| u64::from(i.number))
            .collect()
    };
    let due = items[5].due.unwrap();
    assert_eq!(
        exported_numbers(db, &format!("due<{due}")),
        numbers(&|i| i.due.is_some_and(|d| d < due))
    );
    assert_eq!(
        exported_numbers(db, &format!("期限>={due}")),
        numbers(&|i| i.due.is_some_and(|d| d >= due))
    );
    let raised = items[7].created.date_naive();
    let month = raised.format("%Y-%m").to_string();
    let expected = numbers(&|i| i.created.date_naive().format("%Y-%m").to_string() == month);
    assert!(!expected.is_empty());
    assert_eq!(exported_numbers(db, &format!("raised:{month}")), expected);
    run_ok(db, &["issues", "close", "3", "已答复"]);
    let today = chrono::Local::now().date_naive();
    assert_eq!(
        exported_numbers(db, &format!("closed:{today} tag:专班")),
        vec![3]
    );
    assert!(exported_numbers(db, &format!("closed>{today}")).is_empty());

    let out = liaison(db, &["export", "issues", "--filter", "open due<2027-13-01"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("at character 10") && err.contains("due<2027-13-01"),
        "{err}"
    );
}
