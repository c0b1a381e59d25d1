//! Departments in the app: one added from the department picker by the name typed, and
//! retired ones no longer offered.

mod common;

use common::{ctrl, demo_store, Screen};
use liaison::model::Change;
use liaison::store::Store;
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_department_missing_from_the_picker_is_added_by_its_typed_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("3");
    let number = screen.app.issues.selected().unwrap().number;
    screen.keys("a").type_text("商务局");
    let text = screen.text();
    assert!(text.contains("+ 商务局"), "{text}");
    assert!(text.contains("new department: Enter adds it"), "{text}");
    screen.key(KeyCode::Enter);

    let store = &screen.app.store;
    let department = store
        .departments()
        .unwrap()
        .records
        .into_iter()
        .find(|d| d.name == "商务局")
        .expect("added");
    let issue = store.issue_by_number(number).unwrap().unwrap();
    assert_eq!(issue.department, Some(department.id));
    let events = store.events(issue.id).unwrap().records;
    assert!(matches!(
        events.last().unwrap().change,
        Change::Department { to: Some(d), .. } if d == department.id
    ));
    assert!(store.check().unwrap().is_ok());
    // Now it is there: typed again, it is offered as itself, not as a new one.
    screen.keys("a").type_text("商务局");
    let text = screen.text();
    assert!(!text.contains("+ 商务局"), "{text}");
    screen.key(KeyCode::Esc);
}

#[test]
fn a_retired_department_is_not_offered_nor_added_again() {
    let dir = tempfile::tempdir().unwrap();
    let store: Store = demo_store(dir.path());
    let id = store
        .departments()
        .unwrap()
        .records
        .into_iter()
        .find(|d| d.name == "供电局")
        .unwrap()
        .id;
    store.set_retired(id, true).unwrap();
    let mut screen = Screen::new(store, 120, 40);
    screen.keys("3").keys("a");
    let offered = |screen: &Screen| -> Vec<String> {
        let picker = screen.app.picker().unwrap();
        picker
            .shown
            .iter()
            .map(|i| picker.options[*i].label.clone())
            .collect()
    };
    let labels = offered(&screen);
    assert!(labels.iter().any(|l| l == "发改局"), "{labels:?}");
    assert!(!labels.iter().any(|l| l.contains("供电局")), "{labels:?}");
    screen.type_text("供电局");
    let labels = offered(&screen);
    assert!(labels.is_empty(), "a retired name is taken: {labels:?}");
    assert!(!screen.text().contains("+ 供电局"));
}

fn department(screen: &Screen, name: &str) -> liaison::model::Id {
    screen
        .app
        .store
        .departments()
        .unwrap()
        .records
        .into_iter()
        .find(|d| d.name == name)
        .unwrap()
        .id
}

fn items_of(screen: &Screen, id: liaison::model::Id) -> Vec<u32> {
    let mut numbers: Vec<u32> = screen
        .app
        .store
        .scan_issues()
        .map(|i| i.unwrap())
        .filter(|i| i.department == Some(id))
        .map(|i| i.number)
        .collect();
    numbers.sort();
    numbers
}

#[test]
fn the_lists_popup_merges_renames_and_retires_a_department() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("3");
    let (from, into) = (department(&screen, "发改局"), department(&screen, "经科局"));
    let moved = items_of(&screen, from);
    assert!(!moved.is_empty());
    let kept = items_of(&screen, into);

    // Merge: L, the department, what to do, where its items go.
    screen.keys("L").type_text("发改局");
    assert!(screen.text().contains("Departments and categories"));
    screen.key(KeyCode::Enter).type_text("merge");
    assert!(screen.text().contains("Merge into…"), "{}", screen.text());
    screen
        .key(KeyCode::Enter)
        .type_text("经科局")
        .key(KeyCode::Enter);
    assert!(items_of(&screen, from).is_empty());
    let mut all = [moved.clone(), kept.clone()].concat();
    all.sort();
    assert_eq!(items_of(&screen, into), all);
    let issue = screen.app.store.issue_by_number(moved[0]).unwrap().unwrap();
    let events = screen.app.store.events(issue.id).unwrap().records;
    assert!(matches!(
        events.last().unwrap().change,
        Change::Department { from: Some(f), to: Some(t) } if f == from && t == into
    ));
    assert!(screen.app.store.is_retired(from).unwrap());
    assert!(
        screen.text().contains("发改局 merged into 经科局"),
        "{}",
        screen.text()
    );
    assert!(screen.app.store.check().unwrap().is_ok());
    // One undo puts the items back.
    screen.keys("u");
    assert_eq!(items_of(&screen, from), moved);

    // Rename: the form starts with the name.
    screen.keys("L").type_text("经科局").key(KeyCode::Enter);
    screen.type_text("rename").key(KeyCode::Enter);
    screen
        .key_event(ctrl('u'))
        .type_text("发改局")
        .key(KeyCode::Enter);
    assert!(
        screen.text().contains("another one has this name"),
        "a retired department's name is taken too: {}",
        screen.text()
    );
    screen
        .key_event(ctrl('u'))
        .type_text("经济科技局")
        .key(KeyCode::Enter);
    assert_eq!(department(&screen, "经济科技局"), into);

    // Retire, and offer again.
    screen.keys("L").type_text("人社局").key(KeyCode::Enter);
    screen.type_text("retire").key(KeyCode::Enter);
    let rsj = department(&screen, "人社局");
    assert!(screen.app.store.is_retired(rsj).unwrap());
    screen.keys("L").type_text("人社局").key(KeyCode::Enter);
    screen.type_text("offer").key(KeyCode::Enter);
    assert!(!screen.app.store.is_retired(rsj).unwrap());
    assert!(screen.app.store.check().unwrap().is_ok());
}
