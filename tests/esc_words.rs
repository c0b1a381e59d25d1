//! The help and the hint bar say where Esc goes: a firm's card opened from an item goes back
//! to the item, one opened on the Firms tab to the list; a visit opened from an item goes
//! back to the item, not to the agenda. In both languages.

mod common;

use common::{demo_store, Screen};
use liaison::messages::Lang;
use ratatui::crossterm::event::KeyCode;

/// Wide enough for the hint bar to reach Esc.
fn issues(lang: Lang, dir: &tempfile::TempDir) -> Screen {
    let mut screen = Screen::new_in(lang, demo_store(dir.path()), 200, 40);
    screen.keys("3jj");
    screen
}

/// The hint bar (the last row) and the help's text.
fn footer_and_help(screen: &mut Screen) -> (String, String) {
    let footer = screen.lines().last().cloned().unwrap_or_default();
    let help = screen.keys("?").text();
    screen.key(KeyCode::Esc);
    (footer, help)
}

#[test]
fn a_card_opened_from_an_item_says_esc_goes_back_to_the_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = issues(Lang::En, &dir);
    screen.key(KeyCode::Enter);
    assert!(screen.app.firms.card.is_some());
    let (footer, help) = footer_and_help(&mut screen);
    assert!(footer.contains("Esc back to the item"), "{footer}");
    assert!(help.contains("back to the item"), "{help}");
    assert!(!help.contains("back to the list"), "{help}");
    // Opened on the Firms tab: the list.
    screen.key(KeyCode::Esc);
    screen.keys("1").key(KeyCode::Enter);
    assert!(screen.app.firms.card.is_some());
    let (footer, help) = footer_and_help(&mut screen);
    assert!(footer.contains("Esc back to the list"), "{footer}");
    assert!(help.contains("back to the list"), "{help}");
    assert!(!help.contains("back to the item"), "{help}");
}

#[test]
fn in_chinese_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = issues(Lang::Zh, &dir);
    screen.key(KeyCode::Enter);
    let (footer, help) = footer_and_help(&mut screen);
    assert!(footer.contains("Esc 返回事项"), "{footer}");
    assert!(help.contains("返回事项"), "{help}");
    assert!(!help.contains("返回列表"), "{help}");
    screen.key(KeyCode::Esc);
    screen.keys("1").key(KeyCode::Enter);
    let (footer, help) = footer_and_help(&mut screen);
    assert!(footer.contains("Esc 返回列表"), "{footer}");
    assert!(help.contains("返回列表"), "{help}");
}

#[test]
fn a_visit_opened_from_an_item_says_esc_goes_back_to_the_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = issues(Lang::En, &dir);
    // The first item raised in a visit.
    for _ in 0..30 {
        if screen
            .app
            .issues
            .detail
            .as_ref()
            .is_some_and(|d| d.visit.is_some())
        {
            break;
        }
        screen.keys("j");
    }
    screen.keys("m");
    assert!(screen.app.agenda.screen.is_some(), "{}", screen.text());
    let (footer, help) = footer_and_help(&mut screen);
    assert!(footer.contains("Esc back to the item"), "{footer}");
    assert!(help.contains("back to the item"), "{help}");
    assert!(!help.contains("back to the agenda"), "{help}");
}
