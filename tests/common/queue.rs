//! The Issues tab (the triage queue) on the demo ledger, and its filter line.

use super::{ctrl, demo_store, Screen};
use ratatui::crossterm::event::KeyCode;

/// The demo ledger on the Issues tab.
pub fn queue(dir: &tempfile::TempDir) -> Screen {
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("3");
    screen
}

/// Types a filter and leaves the filter line.
pub fn filter(screen: &mut Screen, text: &str) {
    screen.keys("/");
    screen.key_event(ctrl('u'));
    screen.type_text(text).key(KeyCode::Enter);
}
