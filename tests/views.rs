//! A saved view can be deleted (issue 12, point 21): `Ctrl-D` in the `V` list or on the
//! Issues tab, after a confirmation; built-in views stay; the deletion is an undo step.

mod common;

use common::{ctrl, demo_store, Screen};
use liaison::app::Mode;
use liaison::store::Store;
use ratatui::crossterm::event::KeyCode;

/// The Issues tab with a view 供电 saved, then the first view shown again.
fn with_saved_view(dir: &tempfile::TempDir) -> Screen {
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("3/");
    screen.key_event(ctrl('u'));
    screen.type_text("dept:供电局").key(KeyCode::Enter);
    screen.keys("S").type_text("供电").key(KeyCode::Enter);
    assert!(screen.text().contains("View 供电 saved"));
    screen.key(KeyCode::Esc);
    screen
}

fn saved_names(store: &Store) -> Vec<String> {
    store
        .views()
        .unwrap()
        .records
        .into_iter()
        .map(|v| v.name)
        .collect()
}

fn listed(screen: &Screen, name: &str) -> bool {
    screen.app.issues.views.iter().any(|v| v.name == name)
}

#[test]
fn a_saved_view_is_deleted_from_the_view_list_after_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = with_saved_view(&dir);
    screen.keys("V");
    assert!(screen.text().contains("Ctrl-D deletes a saved one"));
    screen.type_text("供电");
    screen.key_event(ctrl('d'));
    assert_eq!(screen.app.mode(), Mode::Confirm);
    assert!(screen.text().contains("Delete the saved view 供电?"));
    screen.keys("n");
    assert!(listed(&screen, "供电"), "no: nothing changes");
    screen.keys("V").type_text("供电");
    screen.key_event(ctrl('d')).keys("y");
    assert!(screen.text().contains("View 供电 deleted"));
    assert!(!listed(&screen, "供电"));
    drop(screen);
    let store = Store::open(dir.path()).unwrap();
    assert!(saved_names(&store).is_empty(), "gone from the database");
    drop(store);
    let screen = Screen::new(Store::open(dir.path()).unwrap(), 120, 40);
    assert!(!listed(&screen, "供电"), "and after a reopen");
}

#[test]
fn ctrl_d_on_the_tab_deletes_the_view_shown_but_never_a_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = with_saved_view(&dir);
    let builtin = screen.app.issues.view_name().unwrap().to_string();
    screen.key_event(ctrl('d'));
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert!(screen.text().contains("only a saved view can be deleted"));
    assert!(listed(&screen, &builtin));
    screen.keys("V").type_text("供电").key(KeyCode::Enter);
    assert_eq!(screen.app.issues.view_name(), Some("供电"));
    let shown = screen.app.issues.shown.clone();
    screen.key_event(ctrl('d')).keys("y");
    assert!(!listed(&screen, "供电"));
    assert_eq!(screen.app.issues.view_name(), None);
    assert_eq!(screen.app.issues.shown, shown, "the items shown stay");
    assert!(saved_names(&screen.app.store).is_empty());
}

#[test]
fn a_deleted_view_comes_back_with_u_and_goes_again_with_ctrl_r() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = with_saved_view(&dir);
    screen.keys("V").type_text("供电");
    screen.key_event(ctrl('d')).keys("y");
    screen.keys("1u");
    assert!(listed(&screen, "供电"));
    assert_eq!(saved_names(&screen.app.store), vec!["供电".to_string()]);
    assert!(screen.text().contains("Undone: view 供电 deleted"));
    screen.key_event(ctrl('r'));
    assert!(!listed(&screen, "供电"));
    assert!(saved_names(&screen.app.store).is_empty());
    // Saving a view is a step too: undo deletes it.
    screen.keys("uu");
    assert!(!listed(&screen, "供电"));
    assert!(saved_names(&screen.app.store).is_empty());
}

#[test]
fn the_help_of_the_issues_tab_names_ctrl_d() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = with_saved_view(&dir);
    screen.keys("?");
    assert!(screen.text().contains("delete the saved view shown"));
}
