//! Application state. `update` is the only place it changes; the keymap turns keys into
//! `Action`s; the `ui` module only reads it.

mod action;
pub mod agenda;
pub mod background;
mod call;
pub mod conflicts;
mod firm_actions;
mod firm_merge;
mod firms;
mod form;
pub mod help;
pub mod input;
pub mod keymap;
pub mod keys;
mod list;
mod picker;
pub mod queue;
pub mod reports;
pub mod server_sync;
pub mod tabs;
pub mod undo;
mod update;

pub use action::Action;
pub use background::{Arrived, Done, Layout};
pub use firms::{CardRow, FirmCard, FirmsState};
pub use form::{Confirm, ConfirmKind, Form, FormField, FormKind};
pub use list::Cursor;
pub use picker::{ListOp, PickOption, PickPurpose, PickValue, Picker};
pub use update::update;

use crate::model::{Category, Department, Firm, Id, LocalTime};
use crate::store::{Counts, Damaged, Store, StoreError};
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Firms,
    Agenda,
    Issues,
    Reports,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Firms, Tab::Agenda, Tab::Issues, Tab::Reports];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn previous(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }

    /// Its name in the key table (`global.tab_issues`).
    pub fn key_name(self) -> &'static str {
        match self {
            Tab::Firms => "tab_firms",
            Tab::Agenda => "tab_agenda",
            Tab::Issues => "tab_issues",
            Tab::Reports => "tab_reports",
        }
    }

    pub fn title(self) -> &'static str {
        self.title_msg().get()
    }

    pub fn title_msg(self) -> crate::messages::Msg {
        match self {
            Tab::Firms => crate::messages::TAB_FIRMS,
            Tab::Agenda => crate::messages::TAB_AGENDA,
            Tab::Issues => crate::messages::TAB_ISSUES,
            Tab::Reports => crate::messages::TAB_REPORTS,
        }
    }
}

/// What has the keyboard: the tab itself, or an overlay on top of it, with the overlay's own
/// state. One value, so no two overlays (or a form without its mode) can be open at once.
// One value lives in the one App: boxing the large variants would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Default)]
pub enum Overlay {
    #[default]
    None,
    /// The key list, scrolled this many lines.
    Help {
        scroll: usize,
    },
    /// Typing a search on the Firms tab.
    Search,
    Form(Form),
    Confirm(Confirm),
    /// Meeting mode: the line being typed is the open visit's `capture`.
    Capture,
    Editor(agenda::TextEditor),
    Picker(Picker),
    /// Typing the queue's filter.
    Filter,
    Report(Report),
}

/// Which overlay is open, without its state: what tests and the status line compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    /// Typing a search on the Firms tab.
    Search,
    /// Filling in a form (`App::form`).
    Form,
    /// A yes/no question (`App::confirm`).
    Confirm,
    /// Meeting mode: typing the title of an item to file for the open visit.
    Capture,
    /// Editing a visit's minutes or a response (`App::editor`).
    Editor,
    /// Choosing from a list (`App::picker`).
    Picker,
    /// Typing the queue's filter.
    Filter,
    /// Reading a result of several lines (`App::report`).
    Report,
}

/// A result of several lines (an import's bad rows), in a scrollable popup.
#[derive(Debug, Clone)]
pub struct Report {
    pub title: String,
    pub lines: Vec<String>,
    pub cursor: Cursor,
}

impl Report {
    pub fn new(title: &str, lines: Vec<String>) -> Report {
        let mut cursor = Cursor::default();
        cursor.set_height(12);
        cursor.set_len(lines.len());
        Report {
            title: title.to_string(),
            lines,
            cursor,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
    /// When it goes and the counts come back; set by `update` once it is shown.
    pub until: Option<std::time::Instant>,
}

/// How long a status message stays when no key is pressed.
pub const MESSAGE_TIME: std::time::Duration = std::time::Duration::from_secs(4);

impl Message {
    pub fn expired(&self, now: std::time::Instant) -> bool {
        self.until.is_some_and(|until| now >= until)
    }
}

/// Names by id, small enough to keep: every row shows a firm or department name.
#[derive(Debug, Default)]
pub struct Lookup {
    /// Index into `FirmsState::all`.
    pub firms: HashMap<Id, usize>,
    pub departments: HashMap<Id, String>,
    pub categories: HashMap<Id, String>,
    /// In the order pickers list them.
    pub department_list: Vec<Department>,
    pub category_list: Vec<Category>,
    /// Departments and categories no longer offered in the pickers.
    pub retired: Vec<Id>,
}

/// Counts shown on a firm's card, read from the indexes when the selection changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirmSummary {
    pub firm: Id,
    pub visits: usize,
    pub planned: usize,
    pub last_visit: Option<LocalTime>,
    pub next_visit: Option<LocalTime>,
    pub items: usize,
    pub open_items: usize,
}

/// A place a visit was opened from, to go back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Return {
    /// A firm's card, with the row that was selected.
    FirmCard { firm: Id, row: usize },
    /// The Issues tab, on this item.
    Issue(Id),
}

pub struct App {
    pub store: Store,
    pub tab: Tab,
    pub overlay: Overlay,
    pub firms: FirmsState,
    pub agenda: agenda::AgendaState,
    pub issues: queue::QueueState,
    pub reports: reports::ReportsState,
    /// Every change of this session, to undo and redo, whatever the tab.
    pub history: undo::History,
    /// Where Esc on a visit goes back to when it was opened from somewhere else (a firm's
    /// card, an item); cleared when the officer moves to a tab by hand.
    pub came_from: Option<Return>,
    /// The author written into history events.
    pub user: String,
    pub lookup: Lookup,
    pub counts: Counts,
    pub message: Option<Message>,
    pub now: LocalTime,
    /// The terminal's size and what its lists hold, which decides how many rows a page
    /// holds (from `ui::layout`, with `Action::Resize`).
    pub layout: Layout,
    pub quit: bool,
    /// More keys are already waiting: work that only the next frame needs (filtering the
    /// queue) waits until they are handled, so typing fast never queues up stale work.
    pub batching: bool,
    /// Records that could not be read when the database was opened (items read in the
    /// background add theirs when they arrive): the warning counts them all.
    pub skipped: usize,
    /// The keys: built in, changed by the user's `keys.toml`.
    pub keys: keymap::Keymap,
    /// Where background threads send their results (`Action::Background`) ...
    outbox: std::sync::mpsc::Sender<Action>,
    /// ... and where the event loop takes them from, to hand them to `update`.
    pub inbox: std::sync::mpsc::Receiver<Action>,
    /// Syncing with the zone server in the background.
    pub server: server_sync::ServerSync,
}

impl App {
    /// Loads what the first frame needs: firms and reference lists, the index keys of the
    /// agenda and the queue, and the counters.
    pub fn new(store: Store, now: LocalTime) -> Result<App, StoreError> {
        App::open(store, now, false)
    }

    /// Like `new`, but the items are read in the background: the first frame does not wait
    /// for them. The event loop calls `poll_background` until they have arrived.
    pub fn new_reading_in_background(store: Store, now: LocalTime) -> Result<App, StoreError> {
        App::open(store, now, true)
    }

    fn open(store: Store, now: LocalTime, background: bool) -> Result<App, StoreError> {
        let (outbox, inbox) = std::sync::mpsc::channel();
        let mut app = App {
            store,
            tab: Tab::Firms,
            overlay: Overlay::None,
            firms: FirmsState::default(),
            agenda: agenda::AgendaState::default(),
            issues: queue::QueueState::default(),
            reports: Default::default(),
            history: undo::History::default(),
            came_from: None,
            user: String::new(),
            lookup: Lookup::default(),
            counts: Counts::default(),
            message: None,
            now,
            layout: Layout::default(),
            quit: false,
            batching: false,
            skipped: 0,
            keys: keymap::Keymap::default(),
            outbox,
            inbox,
            server: server_sync::ServerSync::default(),
        };
        app.server = server_sync::ServerSync::new(&app.store);
        app.user = app
            .store
            .user()?
            .unwrap_or_else(crate::store::default_author);
        let damaged = app.reload(background)?;
        queue::start_loading(&mut app)?;
        app.warn_damaged(&damaged);
        if let Some(notice) = app.store.open_notice() {
            // Said once, where the damaged-records warning would be; that one matters more.
            if app.message.is_none() {
                app.message = Some(Message {
                    kind: MessageKind::Warning,
                    text: notice.to_string(),
                    until: None,
                });
            }
        }
        let (today, now) = (app.today(), app.now);
        app.agenda.week_start = app.store.week_start()?;
        agenda::show_day(&mut app, today, Some(now))?;
        update::refresh_views(&mut app);
        if !background {
            app.settle();
        }
        Ok(app)
    }

    /// Waits for the work running in the background and hands each result to `update`
    /// (tests and benchmarks, which must see its result before they look).
    pub fn settle(&mut self) {
        while self.busy() {
            match self.inbox.recv() {
                Ok(action) => update(self, action),
                Err(_) => break,
            }
        }
    }

    /// Is anything still being read in the background?
    pub fn busy(&self) -> bool {
        queue::loading(self)
            || self.issues.importing
            || self.firms.reading_keys()
            || self.reports.is_loading()
            || self.reports.is_counting_ahead()
            || self.server.running()
    }

    /// Reads everything again after a sync brought other ledgers' changes.
    pub(crate) fn reread(&mut self) -> Result<(), StoreError> {
        let damaged = self.reload(true)?;
        self.warn_damaged(&damaged);
        queue::start_loading(self)
    }

    pub(crate) fn warn_damaged(&mut self, damaged: &[Damaged]) {
        if !damaged.is_empty() {
            self.skipped += damaged.len();
            self.message = Some(Message {
                kind: MessageKind::Warning,
                text: crate::messages::damaged_warning(self.skipped),
                until: None,
            });
        }
    }

    /// The app with these keys (the user's `keys.toml` read over the built-in ones).
    /// The keys to use; a key that now hides another action is said on the status line.
    pub fn with_keys(self, keys: keymap::Keymap) -> App {
        let mut app = App { keys, ..self };
        if let Some((key, hidden, by)) = app.keys.shadowed().into_iter().next() {
            app.say(
                MessageKind::Warning,
                crate::messages::keys_shadowed(&key, &hidden, &by),
            );
        }
        app
    }

    /// Which overlay has the keyboard.
    pub fn mode(&self) -> Mode {
        match &self.overlay {
            Overlay::None => Mode::Normal,
            Overlay::Help { .. } => Mode::Help,
            Overlay::Search => Mode::Search,
            Overlay::Form(_) => Mode::Form,
            Overlay::Confirm(_) => Mode::Confirm,
            Overlay::Capture => Mode::Capture,
            Overlay::Editor(_) => Mode::Editor,
            Overlay::Picker(_) => Mode::Picker,
            Overlay::Filter => Mode::Filter,
            Overlay::Report(_) => Mode::Report,
        }
    }

    pub fn close_overlay(&mut self) {
        self.overlay = Overlay::None;
    }

    pub fn form(&self) -> Option<&Form> {
        match &self.overlay {
            Overlay::Form(form) => Some(form),
            _ => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        match &mut self.overlay {
            Overlay::Form(form) => Some(form),
            _ => None,
        }
    }

    /// Closes the form and hands it over (to be put back when it has errors to show).
    pub fn take_form(&mut self) -> Option<Form> {
        match std::mem::take(&mut self.overlay) {
            Overlay::Form(form) => Some(form),
            other => {
                self.overlay = other;
                None
            }
        }
    }

    pub fn picker(&self) -> Option<&Picker> {
        match &self.overlay {
            Overlay::Picker(picker) => Some(picker),
            _ => None,
        }
    }

    pub fn picker_mut(&mut self) -> Option<&mut Picker> {
        match &mut self.overlay {
            Overlay::Picker(picker) => Some(picker),
            _ => None,
        }
    }

    pub fn take_picker(&mut self) -> Option<Picker> {
        match std::mem::take(&mut self.overlay) {
            Overlay::Picker(picker) => Some(picker),
            other => {
                self.overlay = other;
                None
            }
        }
    }

    pub fn editor(&self) -> Option<&agenda::TextEditor> {
        match &self.overlay {
            Overlay::Editor(editor) => Some(editor),
            _ => None,
        }
    }

    pub fn editor_mut(&mut self) -> Option<&mut agenda::TextEditor> {
        match &mut self.overlay {
            Overlay::Editor(editor) => Some(editor),
            _ => None,
        }
    }

    pub fn take_editor(&mut self) -> Option<agenda::TextEditor> {
        match std::mem::take(&mut self.overlay) {
            Overlay::Editor(editor) => Some(editor),
            other => {
                self.overlay = other;
                None
            }
        }
    }

    pub fn confirm(&self) -> Option<&Confirm> {
        match &self.overlay {
            Overlay::Confirm(confirm) => Some(confirm),
            _ => None,
        }
    }

    pub fn take_confirm(&mut self) -> Option<Confirm> {
        match std::mem::take(&mut self.overlay) {
            Overlay::Confirm(confirm) => Some(confirm),
            other => {
                self.overlay = other;
                None
            }
        }
    }

    pub fn report(&self) -> Option<&Report> {
        match &self.overlay {
            Overlay::Report(report) => Some(report),
            _ => None,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Reads everything the tabs list. Returns the records that could not be decoded.
    fn reload(&mut self, background: bool) -> Result<Vec<Damaged>, StoreError> {
        let mut damaged = Vec::new();
        damaged.extend(firms::load(self, background)?);
        damaged.extend(self.reload_lists()?);
        self.counts = self.store.counts()?;
        queue::refresh_conflicts(self)?;
        Ok(damaged)
    }

    /// Reads the departments and categories (and which are retired) the pickers offer.
    pub(crate) fn reload_lists(&mut self) -> Result<Vec<Damaged>, StoreError> {
        let mut damaged = Vec::new();
        let departments = self.store.departments()?;
        damaged.extend(departments.damaged);
        let mut departments = departments.records;
        departments.sort_by_cached_key(|d| crate::search::NameKeys::new(&d.name).sort_key());
        self.lookup.departments = departments.iter().map(|d| (d.id, d.name.clone())).collect();
        self.lookup.department_list = departments;
        let categories = self.store.categories()?;
        damaged.extend(categories.damaged);
        self.lookup.categories = categories
            .records
            .iter()
            .map(|c| (c.id, c.name.clone()))
            .collect();
        self.lookup.category_list = categories.records;
        self.lookup.retired = self.store.retired()?;
        Ok(damaged)
    }

    pub fn firm(&self, id: Id) -> Option<&Firm> {
        self.lookup.firms.get(&id).map(|i| &self.firms.all[*i])
    }

    /// The name to show for a firm, or a placeholder for one that is damaged.
    pub fn firm_name(&self, id: Id) -> &str {
        self.firm(id).map(|f| f.name.as_str()).unwrap_or("?")
    }

    /// Sets the message on the status line.
    pub fn say(&mut self, kind: MessageKind, text: impl Into<String>) {
        self.message = Some(Message {
            kind,
            text: text.into(),
            until: None,
        });
    }

    pub fn department_name(&self, id: Option<Id>) -> Option<&str> {
        id.and_then(|id| self.lookup.departments.get(&id))
            .map(String::as_str)
    }

    pub fn category_name(&self, id: Option<Id>) -> Option<&str> {
        id.and_then(|id| self.lookup.categories.get(&id))
            .map(String::as_str)
    }
}
