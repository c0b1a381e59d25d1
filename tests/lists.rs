//! Departments in the app: one added from the department picker by the name typed, and
//! retired ones no longer offered.

mod common;

use common::{demo_store, Screen};
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
        let picker = screen.app.picker.as_ref().unwrap();
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
