//! A picker's options are read whole when the popup has room: a view's name beside its
//! filter, a verdict, what to do with a department.

mod common;

use common::queue::{filter, queue};
use ratatui::crossterm::event::KeyCode;

#[test]
fn view_names_are_whole_beside_their_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("V");
    let text = screen.text();
    assert!(text.contains(" Answered, not closed "), "{text}");
    assert!(text.contains(" Awaiting call (回访) "), "{text}");
    assert!(text.contains(" callback:due"), "{text}");
}

#[test]
fn a_verdict_and_a_list_action_are_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "callback:due");
    screen.keys("gC");
    let text = screen.text();
    assert!(text.contains(" basically satisfied "), "{text}");
    screen.key(KeyCode::Esc);
    screen.keys("L").type_text("发改局").key(KeyCode::Enter);
    let text = screen.text();
    assert!(
        text.contains(" Retire (no longer offered for new items) "),
        "{text}"
    );
}
