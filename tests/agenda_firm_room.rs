//! The Agenda gives the firm's name the room there is: the lead's column is as wide as the
//! names it shows (李晓, not 14 columns), and long marks (a clash, overdue items, not marked
//! done, no minutes) do not squeeze the name to three characters: the detail repeats them.

mod common;

use common::{demo_store, Screen};
use ratatui::crossterm::event::KeyCode;

fn december(screen: &mut Screen) {
    screen
        .keys("2:")
        .type_text("2025-12-15")
        .key(KeyCode::Enter);
}

#[test]
fn whole_firm_names_where_the_row_has_room() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    december(&mut screen);
    let text = screen.text();
    assert!(text.contains("中山新高电子材料股份有限公司 "), "{text}");
    assert!(text.contains("广东弘景光电科技股份有限公司 "), "{text}");
}

#[test]
fn long_marks_leave_the_name_room() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    december(&mut screen);
    // A visit in the past, still planned, at the time of the lead's other visit.
    screen
        .keys("n")
        .type_text("新高")
        .key(KeyCode::Tab)
        .type_text("2025-12-15 14:30");
    for _ in 0..3 {
        screen.key(KeyCode::Tab);
    }
    screen.type_text("陈文锋").key(KeyCode::Enter);
    let text = screen.text();
    let row = text
        .lines()
        .find(|l| l.contains("! not") || l.contains("⚠ clash 1"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("⚠ clash"), "{text}");
    assert!(row.contains("中山新高电子材料"), "{text}");
}
