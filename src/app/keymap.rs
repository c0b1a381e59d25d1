//! The one place where keys become actions, one table per context. The help overlay is built
//! from the same tables, so it always shows what the keys really do.

use super::input::Edit;
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
#[rustfmt::skip]
pub const GLOBAL: &[Binding] = &[
    bind(&[KeyCode::Tab], "Tab", msg::KEY_NEXT_TAB, Action::NextTab),
    bind(&[KeyCode::BackTab], "Shift-Tab", msg::KEY_PREV_TAB, Action::PreviousTab),
    bind(&[KeyCode::Char('1')], "1", msg::TAB_FIRMS, Action::GoTo(Tab::Firms)),
    bind(&[KeyCode::Char('2')], "2", msg::TAB_AGENDA, Action::GoTo(Tab::Agenda)),
    bind(&[KeyCode::Char('3')], "3", msg::TAB_ISSUES, Action::GoTo(Tab::Issues)),
    bind(&[KeyCode::Char('u')], "u", msg::KEY_UNDO, Action::Undo),
    // Ctrl keys are read in `map_key`; listed here for the help.
    bind(&[], "Ctrl-R", msg::KEY_REDO, Action::Redo),
    bind(&[], "Ctrl-Y", msg::KEY_SYNC, Action::SyncNow),
    bind(&[KeyCode::Char('?')], "?", msg::KEY_HELP, Action::ToggleHelp),
    bind(&[KeyCode::Char('q')], "q / Ctrl-C", msg::KEY_QUIT, Action::Quit),
];

/// Moving in a list, on every tab.
#[rustfmt::skip]
const LIST: &[Binding] = &[
    bind(&[KeyCode::Char('j'), KeyCode::Down], "j / ↓", msg::KEY_DOWN, Action::Down),
    bind(&[KeyCode::Char('k'), KeyCode::Up], "k / ↑", msg::KEY_UP, Action::Up),
    bind(&[KeyCode::Char('g'), KeyCode::Home], "g / Home", msg::KEY_TOP, Action::Top),
    bind(&[KeyCode::Char('G'), KeyCode::End], "G / End", msg::KEY_BOTTOM, Action::Bottom),
    bind(&[KeyCode::PageDown, KeyCode::Char('f')], "PgDn", msg::KEY_PAGE_DOWN, Action::PageDown),
    bind(&[KeyCode::PageUp, KeyCode::Char('b')], "PgUp", msg::KEY_PAGE_UP, Action::PageUp),
];

#[rustfmt::skip]
const FIRM_LIST: &[Binding] = &[
    bind(&[KeyCode::Char('/')], "/", msg::KEY_SEARCH, Action::StartSearch),
    bind(&[KeyCode::Enter], "Enter", msg::KEY_OPEN_CARD, Action::Open),
    bind(&[KeyCode::Esc], "Esc", msg::KEY_CLEAR_SEARCH, Action::Back),
    bind(&[KeyCode::Char('n')], "n", msg::KEY_NEW_FIRM, Action::NewFirm),
    bind(&[KeyCode::Char('e')], "e", msg::KEY_EDIT_FIRM, Action::Edit),
    bind(&[KeyCode::Char('d')], "d", msg::KEY_ARCHIVE, Action::ArchiveFirm),
    bind(&[KeyCode::Char('M')], "M", msg::KEY_MERGE_FIRM, Action::MergeFirm),
    bind(&[KeyCode::Char('A')], "A", msg::KEY_TOGGLE_ARCHIVED, Action::ToggleArchived),
    bind(&[KeyCode::Char('i')], "i", msg::KEY_IMPORT, Action::ImportFirms),
];

#[rustfmt::skip]
const FIRM_CARD: &[Binding] = &[
    bind(&[KeyCode::Enter], "Enter", msg::KEY_OPEN_ROW, Action::Open),
    bind(&[KeyCode::Esc], "Esc", msg::KEY_BACK, Action::Back),
    bind(&[KeyCode::Char('e')], "e", msg::KEY_EDIT_CARD, Action::Edit),
    bind(&[KeyCode::Char('a')], "a", msg::KEY_ADD_CONTACT, Action::AddContact),
    bind(&[KeyCode::Char('d')], "d", msg::KEY_REMOVE_CONTACT, Action::RemoveContact),
    bind(&[KeyCode::Char('/')], "/", msg::KEY_SEARCH, Action::StartSearch),
];

#[rustfmt::skip]
const AGENDA: &[Binding] = &[
    bind(&[KeyCode::Enter], "Enter", msg::KEY_OPEN_VISIT, Action::Open),
    bind(&[KeyCode::Char('v')], "v", msg::KEY_TOGGLE_VIEW, Action::ToggleView),
    bind(&[KeyCode::Char('['), KeyCode::Char('h'), KeyCode::Left], "[ / h", msg::KEY_PREV_PERIOD, Action::PreviousPeriod),
    bind(&[KeyCode::Char(']'), KeyCode::Char('l'), KeyCode::Right], "] / l", msg::KEY_NEXT_PERIOD, Action::NextPeriod),
    bind(&[KeyCode::Char('t')], "t", msg::KEY_TODAY, Action::Today),
    bind(&[KeyCode::Char(':')], ":", msg::KEY_GO_TO_DATE, Action::GoToDate),
    bind(&[KeyCode::Char('n')], "n", msg::KEY_NEW_VISIT, Action::NewVisit),
    bind(&[KeyCode::Char('e')], "e", msg::KEY_EDIT_VISIT, Action::Edit),
    bind(&[KeyCode::Char('d')], "d", msg::KEY_MARK_DONE, Action::MarkDone),
    bind(&[KeyCode::Char('X')], "X", msg::KEY_CANCEL_VISIT, Action::CancelVisit),
    bind(&[KeyCode::Char('c')], "c", msg::KEY_CAPTURE, Action::Capture),
    bind(&[KeyCode::Char('m')], "m", msg::KEY_MINUTES, Action::EditMinutes),
    bind(&[KeyCode::Char('x')], "x", msg::KEY_EXPORT_AGENDA, Action::ExportAgenda),
];

/// On an open visit: its items, meeting mode, minutes.
#[rustfmt::skip]
const VISIT: &[Binding] = &[
    bind(&[KeyCode::Char('c')], "c", msg::KEY_CAPTURE, Action::Capture),
    bind(&[KeyCode::Char('m')], "m", msg::KEY_MINUTES, Action::EditMinutes),
    bind(&[KeyCode::Char('d')], "d", msg::KEY_MARK_DONE, Action::MarkDone),
    bind(&[KeyCode::Char('e')], "e", msg::KEY_EDIT_VISIT, Action::Edit),
    bind(&[KeyCode::Char('X')], "X", msg::KEY_CANCEL_VISIT, Action::CancelVisit),
    bind(&[KeyCode::Enter], "Enter", msg::KEY_OPEN_ITEM, Action::Open),
    bind(&[KeyCode::Esc], "Esc", msg::KEY_BACK_AGENDA, Action::Back),
];

/// The triage queue.
#[rustfmt::skip]
const ISSUES: &[Binding] = &[
    bind(&[KeyCode::Char('/')], "/", msg::KEY_FILTER, Action::StartFilter),
    bind(&[KeyCode::Esc], "Esc", msg::KEY_CLEAR_FILTER, Action::Back),
    bind(&[KeyCode::Char('v')], "v", msg::KEY_NEXT_VIEW, Action::NextView),
    bind(&[KeyCode::Char('V')], "V", msg::KEY_PICK_VIEW, Action::PickView),
    bind(&[KeyCode::Char('S')], "S", msg::KEY_SAVE_VIEW, Action::SaveView),
    bind(&[KeyCode::Char('L')], "L", msg::KEY_LISTS, Action::ManageLists),
    // Read in `map_key` (a Ctrl key); listed for the help.
    bind(&[], "Ctrl-D", msg::KEY_DELETE_VIEW, Action::DeleteView),
    bind(&[KeyCode::Char('o')], "o", msg::KEY_SORT, Action::CycleSort),
    bind(&[KeyCode::Char(' ')], "Space", msg::KEY_MARK, Action::ToggleMark),
    bind(&[KeyCode::Char('*')], "*", msg::KEY_MARK_ALL, Action::MarkAll),
    bind(&[KeyCode::Char('a')], "a", msg::KEY_ASSIGN, Action::Assign),
    bind(&[KeyCode::Char('p')], "p", msg::KEY_PRIORITY, Action::SetPriority),
    bind(&[KeyCode::Char('D')], "D", msg::KEY_DUE, Action::SetDue),
    bind(&[KeyCode::Char('c')], "c", msg::KEY_CATEGORY, Action::SetCategory),
    bind(&[KeyCode::Char('w')], "w", msg::KEY_OWNER, Action::SetOwner),
    bind(&[KeyCode::Char('t')], "t", msg::KEY_TAGS, Action::SetTags),
    bind(&[KeyCode::Char('r')], "r", msg::KEY_RESPOND, Action::Respond),
    bind(&[KeyCode::Char('s')], "s", msg::KEY_STATUS, Action::ChangeStatus),
    bind(&[KeyCode::Char('x')], "x", msg::KEY_CLOSE, Action::CloseItem),
    bind(&[KeyCode::Char('E')], "E", msg::KEY_EXPORT_ISSUES, Action::ExportIssues),
    bind(&[KeyCode::Enter], "Enter", msg::KEY_OPEN_FIRM, Action::Open),
    bind(&[KeyCode::Char('m')], "m", msg::KEY_OPEN_RAISED_VISIT, Action::OpenRaisedVisit),
    bind(&[KeyCode::Char('e')], "e", msg::KEY_EDIT_ITEM, Action::Edit),
    bind(&[KeyCode::Char('n')], "n", msg::KEY_NEW_ITEM, Action::NewItem),
];

/// Typing the queue's filter; other keys type.
#[rustfmt::skip]
pub const FILTER: &[Binding] = &[
    bind(&[KeyCode::Enter, KeyCode::Esc], "Enter / Esc", msg::KEY_FILTER_DONE, Action::Submit),
    bind(&[KeyCode::Down], "↓", msg::KEY_DOWN, Action::Down),
    bind(&[KeyCode::Up], "↑", msg::KEY_UP, Action::Up),
];

/// A picker; other keys narrow the list.
#[rustfmt::skip]
pub const PICKER: &[Binding] = &[
    bind(&[KeyCode::Enter], "Enter", msg::KEY_PICK, Action::Submit),
    bind(&[KeyCode::Esc], "Esc", msg::KEY_CANCEL, Action::Cancel),
    bind(&[KeyCode::Down], "↓ / Ctrl-N", msg::KEY_DOWN, Action::Down),
    bind(&[KeyCode::Up], "↑ / Ctrl-P", msg::KEY_UP, Action::Up),
    bind(&[KeyCode::PageDown], "PgDn", msg::KEY_PAGE_DOWN, Action::PageDown),
    bind(&[KeyCode::PageUp], "PgUp", msg::KEY_PAGE_UP, Action::PageUp),
];

/// The capture line of meeting mode; other keys type.
#[rustfmt::skip]
pub const CAPTURE: &[Binding] = &[
    bind(&[KeyCode::Enter], "Enter", msg::KEY_CAPTURE_FILE, Action::Submit),
    bind(&[KeyCode::Esc], "Esc", msg::KEY_CAPTURE_END, Action::Cancel),
];

/// A result of several lines: scroll, then close.
#[rustfmt::skip]
pub const REPORT: &[Binding] = &[
    bind(&[KeyCode::Char('j'), KeyCode::Down], "j / ↓", msg::KEY_DOWN, Action::Down),
    bind(&[KeyCode::Char('k'), KeyCode::Up], "k / ↑", msg::KEY_UP, Action::Up),
    bind(&[KeyCode::PageDown], "PgDn", msg::KEY_PAGE_DOWN, Action::PageDown),
    bind(&[KeyCode::PageUp], "PgUp", msg::KEY_PAGE_UP, Action::PageUp),
    bind(&[KeyCode::Esc, KeyCode::Enter, KeyCode::Char('q')], "Esc", msg::KEY_CLOSE_REPORT, Action::CloseOverlay),
];

#[rustfmt::skip]
const HELP: &[Binding] = &[
    bind(&[KeyCode::Esc, KeyCode::Char('?'), KeyCode::Char('q')], "Esc / ?", msg::HELP_FOOTER, Action::CloseOverlay),
];

/// Keys while typing a search; other keys type.
#[rustfmt::skip]
pub const SEARCH: &[Binding] = &[
    bind(&[KeyCode::Enter], "Enter", msg::KEY_OPEN_CARD, Action::AcceptSearch),
    bind(&[KeyCode::Esc], "Esc", msg::KEY_CLEAR_SEARCH, Action::CancelSearch),
    bind(&[KeyCode::Down], "↓ / Ctrl-N", msg::KEY_DOWN, Action::Down),
    bind(&[KeyCode::Up], "↑ / Ctrl-P", msg::KEY_UP, Action::Up),
    bind(&[KeyCode::PageDown], "PgDn", msg::KEY_PAGE_DOWN, Action::PageDown),
    bind(&[KeyCode::PageUp], "PgUp", msg::KEY_PAGE_UP, Action::PageUp),
];

/// Keys in a form; other keys type into the field.
#[rustfmt::skip]
pub const FORM: &[Binding] = &[
    bind(&[KeyCode::Enter], "Enter", msg::KEY_SAVE, Action::Submit),
    bind(&[KeyCode::Esc], "Esc", msg::KEY_CANCEL, Action::Cancel),
    bind(&[KeyCode::Tab], "Tab", msg::KEY_NEXT_FIELD, Action::NextField),
    bind(&[KeyCode::BackTab], "Shift-Tab", msg::KEY_PREV_FIELD, Action::PreviousField),
    bind(&[KeyCode::Down], "↓", msg::KEY_FORM_DOWN, Action::Down),
    bind(&[KeyCode::Up], "↑", msg::KEY_FORM_UP, Action::Up),
];

#[rustfmt::skip]
pub const CONFIRM: &[Binding] = &[
    bind(&[KeyCode::Char('y'), KeyCode::Enter], "y / Enter", msg::KEY_YES, Action::Confirm),
    bind(&[KeyCode::Char('n'), KeyCode::Esc], "n / Esc", msg::KEY_NO, Action::Cancel),
];

/// The keys of the current tab and view (not the global ones), for Normal mode and help.
pub fn tab_bindings(app: &App) -> Vec<&'static Binding> {
    let extra: &[Binding] = match app.tab {
        Tab::Firms if app.firms.card.is_some() => FIRM_CARD,
        Tab::Firms => FIRM_LIST,
        Tab::Agenda if app.agenda.screen.is_some() => VISIT,
        Tab::Agenda => AGENDA,
        Tab::Issues => ISSUES,
    };
    LIST.iter().chain(extra).collect()
}

fn find(bindings: &[Binding], key: &KeyEvent) -> Option<Action> {
    bindings
        .iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.action.clone())
}

/// Editing keys shared by every text field.
fn edit_key(key: &KeyEvent) -> Option<Edit> {
    Some(match key.code {
        KeyCode::Char(c) => Edit::Insert(c),
        KeyCode::Backspace => Edit::Backspace,
        KeyCode::Delete => Edit::Delete,
        KeyCode::Left => Edit::Left,
        KeyCode::Right => Edit::Right,
        KeyCode::Home => Edit::Home,
        KeyCode::End => Edit::End,
        _ => return None,
    })
}

/// Maps a key to an action: the overlay or text field first, then the tab, then the global
/// keys.
pub fn map_key(app: &App, key: KeyEvent) -> Option<Action> {
    // Key releases and repeats arrive on some terminals (Windows, kitty protocol): act on
    // presses only, or every key would count twice.
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match (key.code, app.mode) {
            (KeyCode::Char('c'), _) => Some(Action::Quit),
            (KeyCode::Char('n'), Mode::Search | Mode::Picker) => Some(Action::Down),
            (KeyCode::Char('p'), Mode::Search | Mode::Picker) => Some(Action::Up),
            (KeyCode::Char('f'), Mode::Editor) => Some(Action::SaveAsAnswer),
            (KeyCode::Char('u'), Mode::Filter | Mode::Picker) => {
                Some(Action::Input(Edit::ClearToStart))
            }
            (KeyCode::Char('u'), Mode::Search | Mode::Form | Mode::Capture) => {
                Some(Action::Input(Edit::ClearToStart))
            }
            (KeyCode::Char('s'), Mode::Editor) => Some(Action::SaveMinutes),
            (KeyCode::Char('r'), Mode::Normal) => Some(Action::Redo),
            (KeyCode::Char('y'), Mode::Normal) => Some(Action::SyncNow),
            (KeyCode::Char('d'), Mode::Normal) if app.tab == Tab::Issues => {
                Some(Action::DeleteView)
            }
            (KeyCode::Char('d'), Mode::Picker)
                if app
                    .picker
                    .as_ref()
                    .is_some_and(|p| p.purpose == super::PickPurpose::View) =>
            {
                Some(Action::DeleteView)
            }
            (_, Mode::Editor) => Some(Action::EditorKey(key)),
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
        Mode::Help => find(HELP, &key),
        Mode::Report => find(REPORT, &key),
        Mode::Confirm => find(CONFIRM, &key),
        Mode::Search => find(SEARCH, &key).or_else(|| edit_key(&key).map(Action::Input)),
        Mode::Form => find(FORM, &key).or_else(|| edit_key(&key).map(Action::Input)),
        Mode::Capture => find(CAPTURE, &key).or_else(|| edit_key(&key).map(Action::Input)),
        Mode::Filter => find(FILTER, &key).or_else(|| edit_key(&key).map(Action::Input)),
        Mode::Picker => find(PICKER, &key).or_else(|| edit_key(&key).map(Action::Input)),
        // The editor has its own keys for moving and editing; Esc leaves without saving.
        Mode::Editor => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            _ => Some(Action::EditorKey(key)),
        },
        Mode::Normal => tab_bindings(app)
            .into_iter()
            .find(|b| b.keys.contains(&key.code))
            .map(|b| b.action.clone())
            .or_else(|| find(GLOBAL, &key)),
    }
}
