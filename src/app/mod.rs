//! Application state. `update` is the only place it changes; the keymap turns keys into
//! `Action`s; the `ui` module only reads it.

mod action;
pub mod agenda;
mod firm_merge;
mod firms;
mod form;
pub mod input;
pub mod keymap;
mod list;
mod picker;
pub mod queue;
pub mod server_sync;
pub mod undo;
mod update;

pub use action::Action;
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
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Firms, Tab::Agenda, Tab::Issues];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn previous(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Firms => crate::messages::TAB_FIRMS,
            Tab::Agenda => crate::messages::TAB_AGENDA,
            Tab::Issues => crate::messages::TAB_ISSUES,
        }
    }
}

/// What has the keyboard: the tab itself, or an overlay on top of it.
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
    pub mode: Mode,
    pub firms: FirmsState,
    pub agenda: agenda::AgendaState,
    pub issues: queue::QueueState,
    pub picker: Option<Picker>,
    pub form: Option<Form>,
    pub editor: Option<agenda::TextEditor>,
    pub confirm: Option<Confirm>,
    pub report: Option<Report>,
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
    /// The terminal's size, which decides how many rows a page holds.
    pub size: (u16, u16),
    pub quit: bool,
    /// More keys are already waiting: work that only the next frame needs (filtering the
    /// queue) waits until they are handled, so typing fast never queues up stale work.
    pub batching: bool,
    /// Records that could not be read when the database was opened (items read in the
    /// background add theirs when they arrive): the warning counts them all.
    pub skipped: usize,
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
        let mut app = App {
            store,
            tab: Tab::Firms,
            mode: Mode::Normal,
            firms: FirmsState::default(),
            agenda: agenda::AgendaState::default(),
            issues: queue::QueueState::default(),
            picker: None,
            form: None,
            editor: None,
            confirm: None,
            report: None,
            history: undo::History::default(),
            came_from: None,
            user: String::new(),
            lookup: Lookup::default(),
            counts: Counts::default(),
            message: None,
            now,
            size: (80, 24),
            quit: false,
            batching: false,
            skipped: 0,
            server: server_sync::ServerSync::default(),
        };
        app.server = server_sync::ServerSync::new(&app.store);
        app.user = app.store.user()?.unwrap_or_else(crate::cli::default_author);
        let mut damaged = app.reload(background)?;
        queue::start_loading(&mut app)?;
        if !background {
            damaged.extend(queue::finish_background(&mut app, true)?.0);
        }
        app.warn_damaged(&damaged);
        if let Some(notice) = app.store.open_notice() {
            // Said once, where the damaged-records warning would be; that one matters more.
            if app.message.is_none() {
                app.message = Some(Message {
                    kind: MessageKind::Warning,
                    text: notice.to_string(),
                });
            }
        }
        let (today, now) = (app.today(), app.now);
        app.agenda.week_start = app.store.week_start()?;
        agenda::show_day(&mut app, today, Some(now))?;
        update::refresh_views(&mut app);
        Ok(app)
    }

    /// Takes the items read in the background if they have arrived. Returns whether the
    /// screen changed.
    pub fn poll_background(&mut self) -> bool {
        let synced = server_sync::poll(self);
        self.take_background(false) || synced
    }

    /// Waits for the work running in the background (tests and benchmarks, which must see
    /// its result before they look).
    pub fn settle(&mut self) {
        server_sync::wait(self);
        self.take_background(true);
    }

    fn take_background(&mut self, wait: bool) -> bool {
        match queue::finish_background(self, wait) {
            Ok((_, false)) => false,
            Ok((damaged, true)) => {
                self.warn_damaged(&damaged);
                update::refresh_views(self);
                true
            }
            Err(e) => {
                self.say(MessageKind::Error, e.to_string());
                true
            }
        }
    }

    /// Is anything still being read in the background?
    pub fn busy(&self) -> bool {
        queue::loading(self) || self.server.running()
    }

    /// Reads everything again after a sync brought other ledgers' changes.
    pub(crate) fn reread(&mut self) -> Result<(), StoreError> {
        let damaged = self.reload(true)?;
        self.warn_damaged(&damaged);
        queue::start_loading(self)
    }

    fn warn_damaged(&mut self, damaged: &[Damaged]) {
        if !damaged.is_empty() {
            self.skipped += damaged.len();
            self.message = Some(Message {
                kind: MessageKind::Warning,
                text: crate::messages::damaged_warning(self.skipped),
            });
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
