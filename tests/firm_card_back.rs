//! Enter on an item opens its firm's card (who to call about it); Esc there comes back to
//! the item, as Esc on a visit opened from an item or a card comes back to it. Opened from
//! the Firms list, Esc still goes back to the list.

mod common;

use common::queue::queue;
use liaison::app::Tab;
use ratatui::crossterm::event::KeyCode;

#[test]
fn esc_on_a_card_opened_from_an_item_comes_back_to_the_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = queue(&dir);
    screen.keys("jj");
    let item = screen.app.issues.selected_id();
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Firms);
    assert!(screen.app.firms.card.is_some());
    screen.key(KeyCode::Esc);
    let tab = screen.app.tab;
    assert_eq!(tab, Tab::Issues, "{}", screen.text());
    assert_eq!(screen.app.issues.selected_id(), item);
    // The card opened on the Firms tab: Esc leads to the list.
    screen.keys("1").key(KeyCode::Enter);
    assert!(screen.app.firms.card.is_some());
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.tab, Tab::Firms);
    assert!(screen.app.firms.card.is_none());
}
