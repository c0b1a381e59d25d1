//! Tags from the shell: `issues tag`, what `show` and the exports say of them, and the
//! filter's `tag:` and date comparisons, checked on output and on the database afterwards.

mod common;

use common::listing::{json_array, numbers};
use common::{item, liaison, run_ok, run_refused, seeded, stderr, stdout};
use liaison::model::{Change, Issue};
use liaison::store::Store;
use std::path::Path;

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
    let mut numbers = numbers(&json_array(
        db,
        &["export", "issues", "--format", "json", "--filter", filter],
    ));
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

/// The rows of an items CSV, without its byte order mark.
fn csv_rows(file: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(file).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn csv_carries_tags_out_and_back_in() {
    let dir = seeded();
    let db = dir.path();
    let files = tempfile::tempdir().unwrap();
    run_ok(db, &["issues", "tag", "3", "专班、省重点"]);
    let file = files.path().join("items.csv");
    run_ok(db, &["export", "issues", "-o", file.to_str().unwrap()]);
    let rows = csv_rows(&file);
    let column = rows[0].iter().position(|h| h == "标签").unwrap();
    let row = rows.iter().find(|r| r[0] == "3").unwrap();
    assert_eq!(row[column], "专班、省重点");

    // Into a new ledger: the tags are kept, each item's history says how it got them.
    let other = files.path().join("other");
    let out = liaison(&other, &["import", "issues", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("标签"), "{}", stderr(&out));
    let store = Store::open(&other).unwrap();
    let mut tagged = Vec::new();
    for id in store.issue_ids_by_due().unwrap() {
        let issue = store.issue(id).unwrap().unwrap();
        if !issue.tags.is_empty() {
            let events = store.events(id).unwrap().records;
            assert!(events.iter().any(|e| e.change
                == Change::Tags {
                    added: tags(&["专班", "省重点"]),
                    removed: vec![]
                }));
            tagged.push(issue);
        }
    }
    drop(store);
    assert_eq!(tagged.len(), 1);
    assert_eq!(tagged[0].title, item(db, 3).0.title);
    assert_eq!(tagged[0].tags, tags(&["专班", "省重点"]));

    // Imported again with the tags changed: the matched item ends with the row's tags, an
    // empty cell changes nothing.
    let mut edited = rows.clone();
    edited.iter_mut().find(|r| r[0] == "3").unwrap()[column] = "专班,重大项目".into();
    edited.iter_mut().find(|r| r[0] == "7").unwrap()[column] = "省重点".into();
    let edited_file = files.path().join("edited.csv");
    let mut writer = csv::Writer::from_path(&edited_file).unwrap();
    for row in &edited {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
    run_ok(db, &["import", "issues", edited_file.to_str().unwrap()]);
    let (issue, events) = item(db, 3);
    assert_eq!(issue.tags, tags(&["专班", "重大项目"]));
    assert_eq!(
        events.last().unwrap().change,
        Change::Tags {
            added: tags(&["重大项目"]),
            removed: tags(&["省重点"])
        }
    );
    assert_eq!(item(db, 7).0.tags, tags(&["省重点"]));
    let before = item(db, 8).1.len();
    run_ok(db, &["import", "issues", edited_file.to_str().unwrap()]);
    assert_eq!(
        item(db, 8).1.len(),
        before,
        "importing again changes nothing"
    );
    assert_eq!(item(db, 3).0.tags, tags(&["专班", "重大项目"]));

    // A bad tag names its line and column.
    let bad = files.path().join("bad.csv");
    std::fs::write(
        &bad,
        "企业名称,诉求,标签\n中山生物工程有限公司,新诉求,专\u{7}班\n",
    )
    .unwrap();
    let out = liaison(db, &["import", "issues", bad.to_str().unwrap(), "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(":2: 标签:"), "{err}");
}
