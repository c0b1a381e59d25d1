//! `M` on a firm recorded twice: the firm being merged is not offered as where to merge it,
//! though its name matches best (the very case a merge is for).

mod common;

use common::{demo_store, Screen};
use liaison::app::Mode;
use ratatui::crossterm::event::KeyCode;

#[test]
fn the_firm_being_merged_is_not_offered_to_merge_into() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen
        .keys("n")
        .type_text("中山生物工程公司")
        .key(KeyCode::Enter);
    screen.select_listed_firm("中山生物工程公司");
    screen.keys("M").type_text("zsswgc");
    let text = screen.text();
    assert!(text.contains("→ 中山生物工程有限公司"), "{text}");
    assert!(!text.contains("› 中山生物工程公司"), "{text}");
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Confirm, "{}", screen.text());
}
