//! Closing an item in Chinese: the way of closing is offered in Chinese (已答复), as its
//! hint and the other fields are, and closes the item as answered.

mod common;

use common::{demo_store, Screen};
use liaison::messages::Lang;
use liaison::model::ResolutionKind;
use ratatui::crossterm::event::KeyCode;

#[test]
fn the_close_form_offers_its_way_of_closing_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new_in(Lang::Zh, demo_store(dir.path()), 120, 40);
    screen.keys("3gx");
    let text = screen.text();
    let line = text
        .lines()
        .find(|l| l.contains("方式"))
        .unwrap_or_else(|| panic!("no close form:\n{text}"));
    assert!(line.contains("方式         已答复 "), "{line}");
    screen.type_text("已协调解决").key(KeyCode::Enter);
    let store = screen.app.store.clone();
    let closed = store.issue_by_number(7).unwrap().unwrap();
    assert_eq!(
        closed.resolution.map(|r| r.kind),
        Some(ResolutionKind::Answered)
    );
}
