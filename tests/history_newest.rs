//! An item's history shows its newest events when the history is longer than its room, also
//! when its lines wrap (a response takes two rows), whole events first: in the wide layout's
//! history panel (the latest response was below the panel's bottom) and at 80 columns, where
//! the history follows the item's fields in one panel and the item's heading stays at the top.

mod common;

use common::queue::filter;
use common::{ctrl, demo_store, Screen};

fn answered_twelve_times(width: u16, height: u16) -> Screen {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), width, height);
    std::mem::forget(dir);
    screen.keys("3");
    filter(&mut screen, "#7");
    for i in 1..=12 {
        screen
            .keys("r")
            .type_text(&format!("第{i}次答复：已与交警部门沟通，正在协调"))
            .key_event(ctrl('s'));
    }
    screen
}

#[test]
fn a_short_history_still_follows_all_the_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 80, 50);
    screen.keys("3");
    filter(&mut screen, "#7");
    let text = screen.text();
    for label in ["│Due ", "│Raised ", "│History"] {
        assert!(text.contains(label), "{label}\n{text}");
    }
}

#[test]
fn the_newest_responses_are_in_view_at_80_columns() {
    for (width, height) in [(80, 24), (80, 40), (90, 30)] {
        let mut screen = answered_twelve_times(width, height);
        let text = screen.text();
        assert!(text.contains("第12次答"), "{width}x{height}\n{text}");
        assert!(text.contains("│#7 厂区"), "{width}x{height}\n{text}");
        // Whole events under the heading: no row of a cut event first.
        let lines = screen.lines();
        let heading = lines.iter().position(|l| l.starts_with("│History"));
        let heading = heading.unwrap_or_else(|| panic!("{width}x{height}\n{text}"));
        assert!(
            lines[heading + 1].starts_with("│20"),
            "{width}x{height}\n{text}"
        );
    }
}

#[test]
fn the_newest_responses_are_in_view_when_the_history_wraps() {
    let mut screen = answered_twelve_times(120, 40);
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
