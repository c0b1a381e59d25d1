//! Conflicts and bundles in the TUI (issue 14): ⚠ beside items in conflict, the Conflicts
//! view, each value with who set it and when, `K` to keep one (or type one), and bundles
//! written and applied from the Issues tab.

mod common;

use common::{ctrl, demo_store, Screen};
use liaison::messages::Lang;
use liaison::model::Issue;
use liaison::store::{RecordKind, Store};
use liaison::transfer::bundle::{self, Scope};
use ratatui::crossterm::event::KeyCode;
use std::path::Path;

fn send(from: &Store, to: &Store, scope: Scope) -> liaison::store::Applied {
    let (bytes, _) = bundle::encode(from, scope).unwrap();
    let (header, ops) = bundle::decode(&bytes).unwrap();
    to.apply_ops(&ops, Some((header.sender, &header.seen)))
        .unwrap()
}

/// Ledger `a` (the demo) and `b` (a copy made by a bundle) each hand item #1 to another
/// department and retitle it. Returns them before `b`'s changes reach `a`.
fn diverged(dir: &Path) -> (Store, Store, Issue) {
    let a = demo_store(&dir.join("a"));
    let b = Store::open(&dir.join("b")).unwrap();
    send(&a, &b, Scope::All);
    let departments = a.departments().unwrap().records;
    let original = a.issue_by_number(1).unwrap().unwrap();
    for (store, department, title) in [(&a, 0, "甲的标题"), (&b, 1, "乙的标题")] {
        let mut issue = store.issue(original.id).unwrap().unwrap();
        issue.department = Some(departments[department].id);
        issue.title = title.into();
        store.save_issue(&issue, &[]).unwrap();
    }
    (a, b, original)
}

/// `a` with `b`'s changes merged: #1 in conflict on its department and title.
fn in_conflict(dir: &Path) -> (Store, Issue, [String; 2]) {
    let (a, b, issue) = diverged(dir);
    let applied = send(&b, &a, Scope::For(a.actor().unwrap()));
    assert_eq!(applied.conflicts, 2);
    let departments = a.departments().unwrap().records;
    let names = [departments[0].name.clone(), departments[1].name.clone()];
    (a, issue, names)
}

/// The Issues tab on the built-in Conflicts view.
fn conflicts_view(screen: &mut Screen, name: &str) {
    screen.keys("3").key(KeyCode::Char('V'));
    screen.type_text(name).key(KeyCode::Enter);
}

#[test]
fn items_in_conflict_are_marked_listed_and_show_every_value() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, [first, second]) = in_conflict(dir.path());
    let mut screen = Screen::new(store, 150, 40);
    conflicts_view(&mut screen, "Conflicts");
    let text = screen.text();
    assert!(text.contains("Conflicts"), "{text}");
    let rows: Vec<String> = screen
        .lines()
        .into_iter()
        .filter(|l| l.contains("#1 ") || l.contains("⚠ 甲的标题") || l.contains("⚠ 乙的标题"))
        .collect();
    assert!(!rows.is_empty(), "{text}");
    // Only the item in conflict is listed.
    assert!(!text.contains("#2 "), "{text}");
    // The detail: the mark in its heading, each field with both values and who set them.
    assert!(text.contains("⚠ #1 "), "{text}");
    assert!(text.contains("In conflict"), "{text}");
    assert!(text.contains(&format!("   {first}  (")), "{text}");
    assert!(text.contains(&format!("   {second}  (")), "{text}");
    assert!(
        text.contains("甲的标题  (") && text.contains("乙的标题  ("),
        "{text}"
    );
    assert!(text.contains(", ledger "), "{text}");
    assert!(text.contains("⚠ 2 conflict(s)"), "{text}");
}

#[test]
fn the_conflict_filter_word_works_in_chinese_and_negated() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _) = in_conflict(dir.path());
    let total = store.counts().unwrap().issues() as usize;
    let mut screen = Screen::new_in(Lang::Zh, store, 150, 40);
    conflicts_view(&mut screen, "冲突");
    let text = screen.text();
    assert!(text.contains("⚠ #1 "), "{text}");
    assert_eq!(screen.app.issues.shown.len(), 1);
    assert!(text.contains("冲突（K 选择）"), "{text}");
    screen.key(KeyCode::Char('/'));
    screen.key_event(ctrl('u'));
    screen.type_text("-冲突").key(KeyCode::Enter);
    assert_eq!(screen.app.issues.shown.len(), total - 1);
}

#[test]
fn k_keeps_the_value_chosen_and_the_mark_goes() {
    let dir = tempfile::tempdir().unwrap();
    let (store, issue, [_, second]) = in_conflict(dir.path());
    let mut screen = Screen::new(store, 150, 40);
    conflicts_view(&mut screen, "Conflicts");
    screen.key(KeyCode::Char('K'));
    let text = screen.text();
    assert!(text.contains("Which value to keep?"), "{text}");
    assert!(text.contains("(type one)"), "{text}");
    // Narrowed to the other ledger's department, then kept.
    screen.type_text(&second).key(KeyCode::Enter);
    let text = screen.text();
    assert!(
        text.contains("department: kept; 1 conflict(s) stand"),
        "{text}"
    );
    let store = &screen.app.store;
    let kept = store.issue(issue.id).unwrap().unwrap();
    let departments = store.departments().unwrap().records;
    assert_eq!(kept.department, Some(departments[1].id));
    assert_eq!(
        store
            .conflicts_of(RecordKind::Issue, issue.id)
            .unwrap()
            .len(),
        1
    );
    // The title: typed anew.
    screen.key(KeyCode::Char('K'));
    screen.type_text("type one").key(KeyCode::Enter);
    screen.key_event(ctrl('u'));
    screen.type_text("合并后的标题").key(KeyCode::Enter);
    let text = screen.text();
    assert!(text.contains("title: kept; 0 conflict(s) stand"), "{text}");
    // Resolved, it leaves the Conflicts view, and shows unmarked everywhere else.
    assert!(text.contains("No item matches this view"), "{text}");
    assert_eq!(screen.app.store.conflict_count(), 0);
    let kept = screen.app.store.issue(issue.id).unwrap().unwrap();
    assert_eq!(kept.title, "合并后的标题");
    conflicts_view(&mut screen, "Everything");
    let text = screen.text();
    assert!(text.contains(" 合并后的标题"), "{text}");
    assert!(!text.contains("⚠ 合并后的标题"), "{text}");
    assert!(!text.contains("In conflict"), "{text}");
    assert!(!text.contains("conflict(s)"), "{text}");
    // Nothing left to choose.
    screen.key(KeyCode::Char('g')).key(KeyCode::Char('K'));
    assert!(screen.text().contains("This item has no field in conflict"));
}

#[test]
fn bundles_are_written_and_applied_from_the_issues_tab() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, issue) = diverged(dir.path());
    let file = dir.path().join("from-b.bundle");
    let a_code = a.ledger_code().unwrap();
    // On ledger b: Ctrl-E, the file, and ledger a as the peer.
    let mut screen = Screen::new(b, 150, 40);
    screen.keys("3").key_event(ctrl('e'));
    assert!(screen.text().contains("Write a bundle of changes"));
    screen.key_event(ctrl('u'));
    screen.type_text(file.to_str().unwrap());
    screen.key(KeyCode::Tab).type_text(&a_code.to_lowercase());
    screen.key(KeyCode::Enter);
    let text = screen.text();
    assert!(text.contains("operation(s) to"), "{text}");
    assert!(file.exists());
    drop(screen);
    // On ledger a: Ctrl-O applies it; the status line tells what it brought.
    let mut screen = Screen::new(a, 150, 40);
    screen.keys("3").key_event(ctrl('o'));
    screen.type_text(file.to_str().unwrap());
    // Applied in the background: the status line says so until it is done.
    liaison::app::update(&mut screen.app, liaison::app::Action::Submit);
    assert!(screen.text().contains("applying the bundle…"));
    screen.app.settle();
    let text = screen.text();
    assert!(
        text.contains("record(s) changed, 2 conflict(s) arose; 2 stand"),
        "{text}"
    );
    assert_eq!(
        screen
            .app
            .store
            .conflicts_of(RecordKind::Issue, issue.id)
            .unwrap()
            .len(),
        2
    );
    assert!(screen.app.issues.conflicted.contains(&1));
    // A damaged bundle: refused, nothing applied.
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.path().join("cut.bundle");
    std::fs::write(&cut, &bytes[..bytes.len() - 20]).unwrap();
    let ops = screen.app.store.op_count();
    screen.key_event(ctrl('o'));
    screen.type_text(cut.to_str().unwrap()).key(KeyCode::Enter);
    let text = screen.text();
    assert!(text.contains("bundle refused, nothing applied"), "{text}");
    assert_eq!(screen.app.store.op_count(), ops);
    // An unknown peer is named.
    screen.key_event(ctrl('e'));
    screen
        .key(KeyCode::Tab)
        .type_text("ZZZZZ")
        .key(KeyCode::Enter);
    assert!(screen.text().contains("no ledger ZZZZZ is known here"));
}
