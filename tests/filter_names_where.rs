//! A department or category that matches nothing is said at its name, as `prio:hi` is said
//! at `hi`, and the Chinese message lists the names offered with 、 as Chinese lists do.

mod common;

use common::{ctrl, demo_store, Screen};
use liaison::messages::Lang;
use ratatui::crossterm::event::KeyCode;

/// Types a filter on the Issues tab; the mistake it makes, and the screen.
fn mistake(lang: Lang, text: &str) -> (usize, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new_in(lang, demo_store(dir.path()), 120, 40);
    screen.keys("3/");
    screen.key_event(ctrl('u'));
    screen.type_text(text);
    let error = screen.app.issues.filter_error.clone().expect(text);
    let shown = screen.text();
    screen.key(KeyCode::Esc);
    (error.position, error.message, shown)
}

#[test]
fn an_unknown_department_is_pointed_at_its_name() {
    let (position, _, shown) = mistake(Lang::En, "open dept:fgj");
    assert_eq!(position, 10);
    assert!(
        shown.contains("at character 11: no department fgj"),
        "{shown}"
    );
    let (position, ..) = mistake(Lang::En, "open -department:fgj");
    assert_eq!(position, 17);
}

#[test]
fn an_unknown_category_is_pointed_at_its_name() {
    let (position, message, _) = mistake(Lang::En, "cat:xyz");
    assert_eq!(position, 4);
    assert!(message.contains("no category xyz"), "{message}");
    let (position, ..) = mistake(Lang::En, "用地 -类别:xyz");
    assert_eq!(position, 7);
}

#[test]
fn the_chinese_message_lists_names_with_the_chinese_comma() {
    let (position, message, shown) = mistake(Lang::Zh, "部门:fgj");
    assert_eq!(position, 3);
    assert!(shown.contains("第 4 个字符处"), "{shown}");
    assert!(
        message.contains('、') && !message.contains(", "),
        "{message}"
    );
    let (_, message, _) = mistake(Lang::Zh, "类别:xyz");
    assert!(
        message.contains('、') && !message.contains(", "),
        "{message}"
    );
    // English keeps its commas.
    let (_, message, _) = mistake(Lang::En, "dept:fgj");
    assert!(
        message.contains(", ") && !message.contains('、'),
        "{message}"
    );
}
