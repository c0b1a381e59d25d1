//! The Reports tab's department table: its title names the sort once ("Departments · by
//! handed over", not "Departments · Departments by…"), and a name has the room the row has:
//! "(not handed over)" is not cut at 120 columns.

mod common;

use common::{demo_store, Screen};
use liaison::messages::Lang;

/// The demo with an unassigned item overdue, for the row of the items not handed over.
fn reports(lang: Lang) -> String {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    for number in 1..=20 {
        let mut issue = store.issue_by_number(number).unwrap().unwrap();
        if issue.department.is_none() {
            issue.due = chrono::NaiveDate::from_ymd_opt(2026, 11, 1);
            store.save_issue(&issue, &[]).unwrap();
        }
    }
    let mut screen = Screen::new_in(lang, store, 120, 40);
    screen.keys("4");
    screen.text()
}

#[test]
fn the_title_names_the_sort_once_and_names_are_whole() {
    let text = reports(Lang::En);
    assert!(text.contains("┌ Departments · by handed over "), "{text}");
    assert!(!text.contains("Departments · Departments"), "{text}");
    assert!(text.contains("(not handed over) "), "{text}");
}

#[test]
fn in_chinese_too() {
    let text = reports(Lang::Zh);
    assert!(text.contains("┌ 各部门办理情况 · 按已交办排序 "), "{text}");
    assert!(text.contains("（未交办） "), "{text}");
}
