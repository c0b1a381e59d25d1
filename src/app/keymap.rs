//! The one place where keys become actions: one table of bindings per context, each with a
//! stable name (`issues.assign`, `list.down`), its keys and the words that describe it. The
//! user's `keys.toml` changes the keys (`keys::apply`); the help, the hint bar, `liaison
//! keys` and the README's key table are all made from the live table.

use super::input::Edit;
use super::keys::Key;
use super::reports::ReportsAction;
use super::{Action, App, Mode, Tab};
use crate::messages as msg;
use crate::report::PeriodKind;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a table of bindings applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every tab, when no overlay is open.
    Global,
    /// Moving in the list of any tab.
    List,
    Firms,
    FirmCard,
    Agenda,
    Visit,
    Issues,
    Reports,
    Search,
    Filter,
    Form,
    Picker,
    Confirm,
    Capture,
    Editor,
    Report,
    Help,
}

impl Scope {
    pub const ALL: [Scope; 17] = [
        Scope::Global,
        Scope::List,
        Scope::Firms,
        Scope::FirmCard,
        Scope::Agenda,
        Scope::Visit,
        Scope::Issues,
        Scope::Reports,
        Scope::Search,
        Scope::Filter,
        Scope::Form,
        Scope::Picker,
        Scope::Confirm,
        Scope::Capture,
        Scope::Editor,
        Scope::Report,
        Scope::Help,
    ];

    /// Its name in `keys.toml` and in action names.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::List => "list",
            Scope::Firms => "firms",
            Scope::FirmCard => "firm_card",
            Scope::Agenda => "agenda",
            Scope::Visit => "visit",
            Scope::Issues => "issues",
            Scope::Reports => "reports",
            Scope::Search => "search",
            Scope::Filter => "filter",
            Scope::Form => "form",
            Scope::Picker => "picker",
            Scope::Confirm => "confirm",
            Scope::Capture => "capture",
            Scope::Editor => "editor",
            Scope::Report => "report",
            Scope::Help => "help",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == name)
    }

    fn index(self) -> usize {
        Scope::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// Keys not in the table type into the field in these.
    fn types(self) -> bool {
        matches!(
            self,
            Scope::Search | Scope::Filter | Scope::Form | Scope::Picker | Scope::Capture
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Stable, snake_case; with the context's name it is the action's name.
    pub name: &'static str,
    pub keys: Vec<Key>,
    pub help: msg::Msg,
    pub action: Action,
}

impl Binding {
    /// The keys as the help shows them: `j / ↓`.
    pub fn label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

/// Every context's bindings: built in (`Default`), then changed by the user's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    tables: Vec<Vec<Binding>>,
}

fn bind(name: &'static str, keys: &[&str], help: msg::Msg, action: Action) -> Binding {
    Binding {
        name,
        keys: keys
            .iter()
            .map(|k| Key::parse(k).unwrap_or_else(|| panic!("built-in key {k} parses")))
            .collect(),
        help,
        action,
    }
}

#[rustfmt::skip]
fn builtin(scope: Scope) -> Vec<Binding> {
    use Action as A;
    match scope {
        Scope::Global => {
            let mut global = vec![
                bind("next_tab", &["Tab"], msg::KEY_NEXT_TAB, A::NextTab),
                bind("previous_tab", &["Shift-Tab"], msg::KEY_PREV_TAB, A::PreviousTab),
            ];
            // One key per tab, by its number: a new tab gets its key here by itself.
            const DIGITS: [&str; 9] = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
            for (tab, digit) in Tab::ALL.into_iter().zip(DIGITS) {
                global.push(bind(tab.key_name(), &[digit], tab.title_msg(), A::GoTo(tab)));
            }
            global.extend([
                bind("undo", &["u"], msg::KEY_UNDO, A::Undo),
                bind("redo", &["Ctrl-R"], msg::KEY_REDO, A::Redo),
                bind("sync", &["Ctrl-Y"], msg::KEY_SYNC, A::SyncNow),
                bind("help", &["?"], msg::KEY_HELP, A::ToggleHelp),
                bind("quit", &["q", "Ctrl-C"], msg::KEY_QUIT, A::Quit),
            ]);
            global
        }
        Scope::List => vec![
            bind("down", &["j", "Down"], msg::KEY_DOWN, A::Down),
            bind("up", &["k", "Up"], msg::KEY_UP, A::Up),
            bind("top", &["g", "Home"], msg::KEY_TOP, A::Top),
            bind("bottom", &["G", "End"], msg::KEY_BOTTOM, A::Bottom),
            bind("page_down", &["PgDn", "f"], msg::KEY_PAGE_DOWN, A::PageDown),
            bind("page_up", &["PgUp", "b"], msg::KEY_PAGE_UP, A::PageUp),
        ],
        Scope::Firms => vec![
            bind("search", &["/"], msg::KEY_SEARCH, A::StartSearch),
            bind("open", &["Enter"], msg::KEY_OPEN_CARD, A::Open),
            bind("clear_search", &["Esc"], msg::KEY_CLEAR_SEARCH, A::Back),
            bind("new", &["n"], msg::KEY_NEW_FIRM, A::NewFirm),
            bind("edit", &["e"], msg::KEY_EDIT_FIRM, A::Edit),
            bind("archive", &["d"], msg::KEY_ARCHIVE, A::ArchiveFirm),
            bind("merge", &["M"], msg::KEY_MERGE_FIRM, A::MergeFirm),
            bind("show_archived", &["A"], msg::KEY_TOGGLE_ARCHIVED, A::ToggleArchived),
            bind("import", &["i"], msg::KEY_IMPORT, A::ImportFirms),
        ],
        Scope::FirmCard => vec![
            bind("open", &["Enter"], msg::KEY_OPEN_ROW, A::Open),
            bind("back", &["Esc"], msg::KEY_BACK, A::Back),
            bind("edit", &["e"], msg::KEY_EDIT_CARD, A::Edit),
            bind("add_contact", &["a"], msg::KEY_ADD_CONTACT, A::AddContact),
            bind("remove_contact", &["d"], msg::KEY_REMOVE_CONTACT, A::RemoveContact),
            bind("search", &["/"], msg::KEY_SEARCH, A::StartSearch),
        ],
        Scope::Agenda => vec![
            bind("open", &["Enter"], msg::KEY_OPEN_VISIT, A::Open),
            bind("toggle_view", &["v"], msg::KEY_TOGGLE_VIEW, A::ToggleView),
            bind("previous", &["[", "h", "Left"], msg::KEY_PREV_PERIOD, A::PreviousPeriod),
            bind("next", &["]", "l", "Right"], msg::KEY_NEXT_PERIOD, A::NextPeriod),
            bind("today", &["t"], msg::KEY_TODAY, A::Today),
            bind("go_to_date", &[":"], msg::KEY_GO_TO_DATE, A::GoToDate),
            bind("new", &["n"], msg::KEY_NEW_VISIT, A::NewVisit),
            bind("edit", &["e"], msg::KEY_EDIT_VISIT, A::Edit),
            bind("done", &["d"], msg::KEY_MARK_DONE, A::MarkDone),
            bind("cancel_visit", &["X"], msg::KEY_CANCEL_VISIT, A::CancelVisit),
            bind("capture", &["c"], msg::KEY_CAPTURE, A::Capture),
            bind("minutes", &["m"], msg::KEY_MINUTES, A::EditMinutes),
            bind("export", &["x"], msg::KEY_EXPORT_AGENDA, A::ExportAgenda),
        ],
        Scope::Visit => vec![
            bind("capture", &["c"], msg::KEY_CAPTURE, A::Capture),
            bind("minutes", &["m"], msg::KEY_MINUTES, A::EditMinutes),
            bind("done", &["d"], msg::KEY_MARK_DONE, A::MarkDone),
            bind("edit", &["e"], msg::KEY_EDIT_VISIT, A::Edit),
            bind("cancel_visit", &["X"], msg::KEY_CANCEL_VISIT, A::CancelVisit),
            bind("open", &["Enter"], msg::KEY_OPEN_ITEM, A::Open),
            bind("back", &["Esc"], msg::KEY_BACK_AGENDA, A::Back),
        ],
        Scope::Issues => vec![
            bind("filter", &["/"], msg::KEY_FILTER, A::StartFilter),
            bind("clear", &["Esc"], msg::KEY_CLEAR_FILTER, A::Back),
            bind("next_view", &["v"], msg::KEY_NEXT_VIEW, A::NextView),
            bind("pick_view", &["V"], msg::KEY_PICK_VIEW, A::PickView),
            bind("save_view", &["S"], msg::KEY_SAVE_VIEW, A::SaveView),
            bind("lists", &["L"], msg::KEY_LISTS, A::ManageLists),
            bind("delete_view", &["Ctrl-D"], msg::KEY_DELETE_VIEW, A::DeleteView),
            bind("sort", &["o"], msg::KEY_SORT, A::CycleSort),
            bind("mark", &["Space"], msg::KEY_MARK, A::ToggleMark),
            bind("mark_all", &["*"], msg::KEY_MARK_ALL, A::MarkAll),
            bind("assign", &["a"], msg::KEY_ASSIGN, A::Assign),
            bind("priority", &["p"], msg::KEY_PRIORITY, A::SetPriority),
            bind("due", &["D"], msg::KEY_DUE, A::SetDue),
            bind("category", &["c"], msg::KEY_CATEGORY, A::SetCategory),
            bind("owner", &["w"], msg::KEY_OWNER, A::SetOwner),
            bind("tags", &["t"], msg::KEY_TAGS, A::SetTags),
            bind("respond", &["r"], msg::KEY_RESPOND, A::Respond),
            bind("status", &["s"], msg::KEY_STATUS, A::ChangeStatus),
            bind("close", &["x"], msg::KEY_CLOSE, A::CloseItem),
            bind("call", &["C"], msg::KEY_CALL, A::RecordCall),
            bind("resolve_conflict", &["K"], msg::KEY_RESOLVE_CONFLICT, A::ResolveConflict),
            bind("export_bundle", &["Ctrl-E"], msg::KEY_EXPORT_BUNDLE, A::ExportBundle),
            bind("import_bundle", &["Ctrl-O"], msg::KEY_IMPORT_BUNDLE, A::ImportBundle),
            bind("export", &["E"], msg::KEY_EXPORT_ISSUES, A::ExportIssues),
            bind("open_firm", &["Enter"], msg::KEY_OPEN_FIRM, A::Open),
            bind("open_visit", &["m"], msg::KEY_OPEN_RAISED_VISIT, A::OpenRaisedVisit),
            bind("edit", &["e"], msg::KEY_EDIT_ITEM, A::Edit),
            bind("new", &["n"], msg::KEY_NEW_ITEM, A::NewItem),
        ],
        Scope::Reports => {
            let r = A::Reports;
            vec![
                bind("previous", &["[", "h", "Left"], msg::KEY_REPORT_PREV, r(ReportsAction::Previous)),
                bind("next", &["]", "l", "Right"], msg::KEY_REPORT_NEXT, r(ReportsAction::Next)),
                bind("week", &["w"], msg::KEY_REPORT_WEEK, r(ReportsAction::Kind(PeriodKind::Week))),
                bind("month", &["m"], msg::KEY_REPORT_MONTH, r(ReportsAction::Kind(PeriodKind::Month))),
                bind("quarter", &["Q"], msg::KEY_REPORT_QUARTER, r(ReportsAction::Kind(PeriodKind::Quarter))),
                bind("year", &["y"], msg::KEY_REPORT_YEAR, r(ReportsAction::Kind(PeriodKind::Year))),
                bind("today", &["t"], msg::KEY_REPORT_TODAY, r(ReportsAction::Today)),
                bind("down", &["j", "Down"], msg::KEY_DOWN, r(ReportsAction::Down)),
                bind("up", &["k", "Up"], msg::KEY_UP, r(ReportsAction::Up)),
                bind("sort", &["o"], msg::KEY_REPORT_SORT, r(ReportsAction::Sort)),
                bind("open", &["Enter"], msg::KEY_REPORT_OPEN, r(ReportsAction::Open)),
                bind("export", &["E"], msg::KEY_REPORT_EXPORT, r(ReportsAction::Export)),
            ]
        }
        Scope::Search => vec![
            bind("open", &["Enter"], msg::KEY_OPEN_CARD, A::AcceptSearch),
            bind("cancel", &["Esc"], msg::KEY_CLEAR_SEARCH, A::CancelSearch),
            bind("down", &["Down", "Ctrl-N"], msg::KEY_DOWN, A::Down),
            bind("up", &["Up", "Ctrl-P"], msg::KEY_UP, A::Up),
            bind("page_down", &["PgDn"], msg::KEY_PAGE_DOWN, A::PageDown),
            bind("page_up", &["PgUp"], msg::KEY_PAGE_UP, A::PageUp),
        ],
        Scope::Filter => vec![
            bind("done", &["Enter", "Esc"], msg::KEY_FILTER_DONE, A::Submit),
            bind("down", &["Down"], msg::KEY_DOWN, A::Down),
            bind("up", &["Up"], msg::KEY_UP, A::Up),
        ],
        Scope::Form => vec![
            bind("save", &["Enter"], msg::KEY_SAVE, A::Submit),
            bind("cancel", &["Esc"], msg::KEY_CANCEL, A::Cancel),
            bind("next_field", &["Tab"], msg::KEY_NEXT_FIELD, A::NextField),
            bind("previous_field", &["Shift-Tab"], msg::KEY_PREV_FIELD, A::PreviousField),
            bind("down", &["Down"], msg::KEY_FORM_DOWN, A::Down),
            bind("up", &["Up"], msg::KEY_FORM_UP, A::Up),
        ],
        Scope::Picker => vec![
            bind("pick", &["Enter"], msg::KEY_PICK, A::Submit),
            bind("cancel", &["Esc"], msg::KEY_CANCEL, A::Cancel),
            bind("down", &["Down", "Ctrl-N"], msg::KEY_DOWN, A::Down),
            bind("up", &["Up", "Ctrl-P"], msg::KEY_UP, A::Up),
            bind("page_down", &["PgDn"], msg::KEY_PAGE_DOWN, A::PageDown),
            bind("page_up", &["PgUp"], msg::KEY_PAGE_UP, A::PageUp),
            bind("delete_view", &["Ctrl-D"], msg::KEY_DELETE_VIEW, A::DeleteView),
        ],
        Scope::Confirm => vec![
            bind("yes", &["y", "Enter"], msg::KEY_YES, A::Confirm),
            bind("no", &["n", "Esc"], msg::KEY_NO, A::Cancel),
        ],
        Scope::Capture => vec![
            bind("file", &["Enter"], msg::KEY_CAPTURE_FILE, A::Submit),
            bind("end", &["Esc"], msg::KEY_CAPTURE_END, A::Cancel),
        ],
        Scope::Editor => vec![
            bind("save", &["Ctrl-S"], msg::KEY_SAVE, A::SaveMinutes),
            bind("save_answer", &["Ctrl-F"], msg::KEY_SAVE_ANSWER, A::SaveAsAnswer),
            bind("cancel", &["Esc"], msg::KEY_CANCEL, A::Cancel),
        ],
        Scope::Report => vec![
            bind("down", &["j", "Down"], msg::KEY_DOWN, A::Down),
            bind("up", &["k", "Up"], msg::KEY_UP, A::Up),
            bind("page_down", &["PgDn"], msg::KEY_PAGE_DOWN, A::PageDown),
            bind("page_up", &["PgUp"], msg::KEY_PAGE_UP, A::PageUp),
            bind("close", &["Esc", "Enter", "q"], msg::KEY_CLOSE_REPORT, A::CloseOverlay),
        ],
        Scope::Help => vec![
            bind("close", &["Esc", "?", "q"], msg::KEY_CLOSE_REPORT, A::CloseOverlay),
            bind("down", &["j", "Down"], msg::KEY_DOWN, A::Down),
            bind("up", &["k", "Up"], msg::KEY_UP, A::Up),
            bind("page_down", &["PgDn", "f"], msg::KEY_PAGE_DOWN, A::PageDown),
            bind("page_up", &["PgUp", "b"], msg::KEY_PAGE_UP, A::PageUp),
            bind("top", &["g", "Home"], msg::KEY_TOP, A::Top),
            bind("bottom", &["G", "End"], msg::KEY_BOTTOM, A::Bottom),
        ],
    }
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            tables: Scope::ALL.into_iter().map(builtin).collect(),
        }
    }
}

impl Keymap {
    /// Actions a key of an earlier context hides: the list's keys are looked up before the
    /// tab's, and both before the global ones, so `list.down = "n"` leaves `issues.new` (n)
    /// out of reach. Each as `(key, hidden action, the action that has the key)`.
    pub fn shadowed(&self) -> Vec<(String, String, String)> {
        let tabs = [
            Scope::Firms,
            Scope::FirmCard,
            Scope::Agenda,
            Scope::Visit,
            Scope::Issues,
            Scope::Reports,
        ];
        let mut found = Vec::new();
        let mut hide = |first: Scope, later: Scope| {
            for b in self.context(later) {
                for key in &b.keys {
                    if let Some(a) = self.context(first).iter().find(|a| a.keys.contains(key)) {
                        let name = |s: Scope, n: &str| format!("{}.{n}", s.name());
                        let entry = (key.name(), name(later, b.name), name(first, a.name));
                        if !found.contains(&entry) {
                            found.push(entry);
                        }
                    }
                }
            }
        };
        for tab in tabs {
            if tab != Scope::Reports {
                hide(Scope::List, tab);
                hide(Scope::List, Scope::Global);
            }
            hide(tab, Scope::Global);
        }
        found
    }

    pub fn context(&self, scope: Scope) -> &[Binding] {
        &self.tables[scope.index()]
    }

    pub(super) fn context_mut(&mut self, scope: Scope) -> &mut Vec<Binding> {
        &mut self.tables[scope.index()]
    }

    fn find(&self, scope: Scope, key: &KeyEvent) -> Option<Action> {
        self.context(scope)
            .iter()
            .find(|b| b.keys.iter().any(|k| k.matches(key)))
            .map(|b| b.action.clone())
    }

    /// The binding of an action in a context, for the hint bar.
    pub fn binding(&self, scope: Scope, name: &str) -> Option<&Binding> {
        self.context(scope).iter().find(|b| b.name == name)
    }

    /// Some keys of a context in a line (`Tab next field · Enter save · Esc cancel`), for a
    /// popup's title or foot: from the live table, so a moved key is shown where it is.
    pub fn line(&self, scope: Scope, names: &[&str]) -> String {
        names
            .iter()
            .filter_map(|name| self.binding(scope, name))
            .filter_map(|b| {
                Some(format!(
                    "{} {}",
                    b.keys.first()?.label(),
                    short(b.help.get())
                ))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Every binding as `liaison keys` prints it: `context.action  KEYS  words`.
    pub fn listing(&self) -> String {
        // Padded by display width: the heading may be Chinese.
        let pad = crate::text::fit;
        let mut out = format!(
            "{} {} {}\n",
            pad(&msg::KEYS_HEAD_ACTION, 26),
            pad(&msg::KEYS_HEAD_KEYS, 22),
            msg::KEYS_HEAD_WHAT
        );
        for scope in Scope::ALL {
            for b in self.context(scope) {
                let keys: Vec<String> = b.keys.iter().map(Key::name).collect();
                let name = format!("{}.{}", scope.name(), b.name);
                out.push_str(&format!("{name:<26} {:<22} {}\n", keys.join(" "), b.help));
            }
        }
        out
    }

    /// The README's key table, in Markdown: one row per action, by its full name.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| Action | Keys | What it does |\n|---|---|---|\n");
        for scope in Scope::ALL {
            for b in self.context(scope) {
                let keys: Vec<String> = b
                    .keys
                    .iter()
                    .map(|k| format!("`{}`", k.name().replace('|', "\\|")))
                    .collect();
                let name = format!("{}.{}", scope.name(), b.name);
                out.push_str(&format!("| `{name}` | {} | {} |\n", keys.join(" "), b.help));
            }
        }
        out
    }
}

/// The contexts of the current tab and view (not the global one), first the list's when
/// the tab is a list; the tab's own context last.
pub fn tab_scopes(app: &App) -> Vec<Scope> {
    let own = super::tabs::scope(app);
    if super::tabs::is_list(app.tab) {
        vec![Scope::List, own]
    } else {
        vec![own]
    }
}

/// The context that has the keyboard when an overlay is open.
pub fn overlay_scope(mode: Mode) -> Option<Scope> {
    Some(match mode {
        Mode::Normal => return None,
        Mode::Help => Scope::Help,
        Mode::Search => Scope::Search,
        Mode::Form => Scope::Form,
        Mode::Confirm => Scope::Confirm,
        Mode::Capture => Scope::Capture,
        Mode::Editor => Scope::Editor,
        Mode::Picker => Scope::Picker,
        Mode::Filter => Scope::Filter,
        Mode::Report => Scope::Report,
    })
}

/// The main actions of each context, for the hint bar (the help lists them all).
fn main_actions(scope: Scope) -> &'static [&'static str] {
    match scope {
        Scope::Firms => &["search", "open", "new"],
        Scope::FirmCard => &["open", "back", "edit"],
        Scope::Agenda => &["open", "new", "toggle_view"],
        Scope::Visit => &["capture", "minutes", "back"],
        Scope::Issues => &["assign", "filter", "status", "respond"],
        Scope::Reports => &["previous", "next", "open", "export"],
        Scope::Search => &["open", "cancel"],
        Scope::Filter => &["done"],
        Scope::Form => &["save", "cancel", "next_field"],
        Scope::Picker => &["pick", "cancel"],
        Scope::Confirm => &["yes", "no"],
        Scope::Capture => &["file", "end"],
        Scope::Editor => &["save", "cancel"],
        Scope::Report => &["close", "down"],
        Scope::Help => &["close", "down", "page_down"],
        Scope::Global => &["help", "quit"],
        Scope::List => &[],
    }
}

/// The bottom line's keys for what has focus, from the live table: `(keys, words)`. While
/// typing only the field's own keys are offered (`q` types a letter there).
pub fn hints(app: &App) -> Vec<(String, String)> {
    let scopes: Vec<Scope> = match overlay_scope(app.mode()) {
        Some(scope) => vec![scope],
        // What quits and what explains come first: they are never cut off.
        None => vec![Scope::Global, super::tabs::scope(app)],
    };
    let mut hints = Vec::new();
    for scope in scopes {
        for name in main_actions(scope) {
            let Some(b) = app.keys.binding(scope, name) else {
                continue;
            };
            let Some(key) = b.keys.first() else {
                continue;
            };
            let words = if *name == "help" {
                msg::HINT_HELP.get()
            } else {
                short(words(app, scope, b))
            };
            hints.push((key.label(), words.to_string()));
        }
    }
    hints
}

/// What a binding does now: the table's words, except where Esc leads back to where a card
/// or a visit was opened from (the help and the hint bar must not promise the list).
pub fn words(app: &App, scope: Scope, b: &Binding) -> &'static str {
    use super::Return;
    if b.action == Action::Back {
        match (scope, app.came_from) {
            (Scope::FirmCard | Scope::Visit, Some(Return::Issue(_))) => {
                return msg::KEY_BACK_TO_ITEM.get()
            }
            (Scope::Visit, Some(Return::FirmCard { .. })) => return msg::KEY_BACK_TO_CARD.get(),
            _ => {}
        }
    }
    b.help.get()
}

/// A description's first words, for the hint bar: up to a parenthesis, comma or colon
/// (Chinese full-width ones too).
fn short(help: &str) -> &str {
    let end = [
        help.find(" ("),
        help.find([',', ':', '（', '，', '：', '；']),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(help.len());
    help[..end].trim()
}

/// Editing keys shared by every text field (not rebindable: they are typing itself).
fn edit_key(key: &KeyEvent) -> Option<Edit> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == KeyCode::Char('u')).then_some(Edit::ClearToStart);
    }
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
    // An upper-case letter arrives with SHIFT; the character already says it.
    if key
        .modifiers
        .intersects(KeyModifiers::ALT | KeyModifiers::SUPER)
    {
        return None;
    }
    let keys = &app.keys;
    // Quitting by a Ctrl key works everywhere, even while typing (where `q` types).
    if key.modifiers.contains(KeyModifiers::CONTROL)
        && keys.find(Scope::Global, &key) == Some(Action::Quit)
    {
        return Some(Action::Quit);
    }
    let Some(scope) = overlay_scope(app.mode()) else {
        return tab_scopes(app)
            .into_iter()
            .find_map(|scope| keys.find(scope, &key))
            .or_else(|| keys.find(Scope::Global, &key));
    };
    let found = keys.find(scope, &key).filter(|action| {
        // Ctrl-D in a picker deletes only in the list of views.
        *action != Action::DeleteView
            || app
                .picker()
                .is_some_and(|p| p.purpose == super::PickPurpose::View)
    });
    match scope {
        _ if found.is_some() => found,
        // The editor has its own keys for moving and editing.
        Scope::Editor => Some(Action::EditorKey(key)),
        _ if scope.types() => edit_key(&key).map(Action::Input),
        _ => None,
    }
}
