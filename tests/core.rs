//! The TUI core's one way through (issue 11, part 1): background results, the loop's
//! batching and the layout all reach the app as actions.

mod common;

use common::{demo_store, now, Screen};
use liaison::app::{update, Action, App, Mode, Overlay, Tab};
use ratatui::crossterm::event::KeyCode;

/// Items read in the background arrive as one `Action::Background` through the app's
/// channel; until `update` takes it in, the queue has nothing.
#[test]
fn items_read_in_the_background_arrive_as_an_action() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new_reading_in_background(demo_store(dir.path()), now()).unwrap();
    assert!(app.busy());
    assert!(!app.issues.loaded);
    let mut arrived = 0;
    while app.busy() {
        let action = app.inbox.recv().unwrap();
        assert!(matches!(action, Action::Background(_)), "{action:?}");
        update(&mut app, action);
        arrived += 1;
    }
    assert!(arrived >= 1);
    assert!(app.issues.loaded);
    assert_eq!(app.issues.shown_rows().count(), 15, "the open items");
}

/// While more keys wait (`Batching(true)`), typing a filter only marks the queue stale; the
/// loop's `Batching(false)` filters once.
#[test]
fn a_filter_typed_in_a_batch_is_applied_once_the_batch_ends() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("3/");
    assert_eq!(screen.app.mode(), Mode::Filter);
    let before = screen.app.issues.shown_rows().count();
    update(&mut screen.app, Action::Batching(true));
    for c in " #7".chars() {
        update(
            &mut screen.app,
            Action::Input(liaison::app::input::Edit::Insert(c)),
        );
    }
    assert!(screen.app.issues.refresh_pending);
    assert_eq!(screen.app.issues.shown_rows().count(), before);
    update(&mut screen.app, Action::Batching(false));
    assert!(!screen.app.issues.refresh_pending);
    assert_eq!(screen.app.issues.shown_rows().count(), 1);
}

/// The page the moving keys jump is what the `ui` says a list holds at this size, handed
/// over with `Resize`.
#[test]
fn a_page_is_what_the_layout_says_the_list_holds() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("3");
    let rows = liaison::ui::layout(120, 12).rows(Tab::Issues);
    update(
        &mut screen.app,
        Action::Resize(liaison::ui::layout(120, 12)),
    );
    assert!(rows > 1 && rows < 15, "{rows}");
    screen.key(KeyCode::PageDown);
    assert_eq!(screen.app.issues.cursor.selected, rows);
}

/// One overlay at a time: opening the help over a form is not possible, closing leaves none.
#[test]
fn one_overlay_holds_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("n");
    assert!(screen.app.form().is_some());
    screen.keys("?");
    assert_eq!(screen.app.mode(), Mode::Form, "? types into the field");
    screen.key(KeyCode::Esc);
    assert!(matches!(screen.app.overlay, Overlay::None));
    assert!(screen.app.form().is_none());
}
