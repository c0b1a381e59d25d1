//! An item's history panel shows its newest events when the history is longer than the
//! panel, also when its lines wrap (a response takes two rows): the latest response was
//! below the panel's bottom.

mod common;

use common::ctrl;
use common::queue::{filter, queue};

#[test]
fn the_newest_responses_are_in_view_when_the_history_wraps() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    filter(&mut screen, "#7");
    for i in 1..=12 {
        screen
            .keys("r")
            .type_text(&format!("第{i}次答复：已与交警部门沟通，正在协调"))
            .key_event(ctrl('s'));
    }
    let text = screen.text();
    assert!(text.contains("response: 第12次答"), "{text}");
    // Whole events from the top of the panel: no row of a cut event first.
    let lines = screen.lines();
    let top = lines
        .iter()
        .position(|l| l.contains("┌ History "))
        .unwrap_or_else(|| panic!("{text}"));
    let first = &lines[top + 1];
    let panel = &first[first.rfind("││").unwrap() + "││".len()..];
    assert!(panel.starts_with("20"), "{first}");
}
