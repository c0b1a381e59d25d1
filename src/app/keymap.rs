//! The one place where keys become actions. The help overlay is built from the same tables,
//! so it always shows what the keys really do.

use super::{Action, App, Mode, Tab};
use crate::messages as msg;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the keys are written in the help.
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
}

const fn bind(
    keys: &'static [KeyCode],
    label: &'static str,
    help: &'static str,
    action: Action,
) -> Binding {
    Binding {
        keys,
        label,
        help,
        action,
    }
}

/// Keys that work on every tab.
pub const GLOBAL: &[Binding] = &[
    bind(&[KeyCode::Tab], "Tab", msg::KEY_NEXT_TAB, Action::NextTab),
    bind(
        &[KeyCode::BackTab],
        "Shift-Tab",
        msg::KEY_PREV_TAB,
        Action::PreviousTab,
    ),
    bind(
        &[KeyCode::Char('1')],
        "1",
        msg::TAB_FIRMS,
        Action::GoTo(Tab::Firms),
    ),
    bind(
        &[KeyCode::Char('2')],
        "2",
        msg::TAB_AGENDA,
        Action::GoTo(Tab::Agenda),
    ),
    bind(
        &[KeyCode::Char('3')],
        "3",
        msg::TAB_ISSUES,
        Action::GoTo(Tab::Issues),
    ),
    bind(
        &[KeyCode::Char('?')],
        "?",
        msg::KEY_HELP,
        Action::ToggleHelp,
    ),
    bind(
        &[KeyCode::Char('q')],
        "q / Ctrl-C",
        msg::KEY_QUIT,
        Action::Quit,
    ),
];

/// Moving in a list, on every tab.
const LIST: &[Binding] = &[
    bind(
        &[KeyCode::Char('j'), KeyCode::Down],
        "j / ↓",
        msg::KEY_DOWN,
        Action::Down,
    ),
    bind(
        &[KeyCode::Char('k'), KeyCode::Up],
        "k / ↑",
        msg::KEY_UP,
        Action::Up,
    ),
    bind(
        &[KeyCode::Char('g'), KeyCode::Home],
        "g / Home",
        msg::KEY_TOP,
        Action::Top,
    ),
    bind(
        &[KeyCode::Char('G'), KeyCode::End],
        "G / End",
        msg::KEY_BOTTOM,
        Action::Bottom,
    ),
    bind(
        &[KeyCode::PageDown, KeyCode::Char('f')],
        "PgDn",
        msg::KEY_PAGE_DOWN,
        Action::PageDown,
    ),
    bind(
        &[KeyCode::PageUp, KeyCode::Char('b')],
        "PgUp",
        msg::KEY_PAGE_UP,
        Action::PageUp,
    ),
];

const AGENDA: &[Binding] = &[bind(
    &[KeyCode::Char('t')],
    "t",
    msg::KEY_TODAY,
    Action::Today,
)];

const HELP: &[Binding] = &[bind(
    &[KeyCode::Esc, KeyCode::Char('?'), KeyCode::Char('q')],
    "Esc / ?",
    msg::HELP_FOOTER,
    Action::CloseOverlay,
)];

/// The keys of a tab, besides the global ones.
pub fn tab_bindings(tab: Tab) -> Vec<&'static Binding> {
    let extra: &[Binding] = match tab {
        Tab::Agenda => AGENDA,
        Tab::Firms | Tab::Issues => &[],
    };
    LIST.iter().chain(extra).collect()
}

fn find(bindings: &[&'static Binding], key: &KeyEvent) -> Option<Action> {
    bindings
        .iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action)
}

/// Maps a key to an action: the overlay first, then the tab, then the global keys.
pub fn map_key(app: &App, key: KeyEvent) -> Option<Action> {
    // Key releases and repeats arrive on some terminals (Windows, kitty protocol): act on
    // presses only, or every key would count twice.
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') => Some(Action::Quit),
            _ => None,
        };
    }
    // An upper-case letter arrives with SHIFT; the character already says it.
    if key
        .modifiers
        .intersects(KeyModifiers::ALT | KeyModifiers::SUPER)
    {
        return None;
    }
    match app.mode {
        Mode::Help => find(&HELP.iter().collect::<Vec<_>>(), &key),
        Mode::Normal => find(&tab_bindings(app.tab), &key)
            .or_else(|| find(&GLOBAL.iter().collect::<Vec<_>>(), &key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_on_a_tab() {
        for tab in Tab::ALL {
            let mut seen = Vec::new();
            for binding in tab_bindings(tab).into_iter().chain(GLOBAL.iter()) {
                for key in binding.keys {
                    assert!(!seen.contains(key), "{key:?} bound twice on {tab:?}");
                    seen.push(*key);
                }
            }
        }
    }
}
