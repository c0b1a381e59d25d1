//! Application state. `update` is the only place it changes; the keymap turns keys into
//! `Action`s; the `ui` module only reads it.

mod action;
pub mod agenda;
mod firms;
mod form;
pub mod input;
pub mod keymap;
mod list;
mod update;

pub use action::Action;
pub use firms::{CardRow, FirmCard, FirmsState};
pub use form::{Confirm, ConfirmKind, Form, FormField, FormKind};
pub use list::Cursor;
pub use update::update;

use crate::model::{Firm, Id, Issue, IssueEvent, LocalTime};
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
    /// Editing a visit's minutes (`App::minutes`).
    Editor,
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

/// A list over an index: the ids in order, and only the rows in view decoded.
#[derive(Debug)]
pub struct WindowedList<T> {
    pub ids: Vec<Id>,
    pub cursor: Cursor,
    pub rows: HashMap<Id, T>,
}

impl<T> Default for WindowedList<T> {
    fn default() -> Self {
        WindowedList {
            ids: Vec::new(),
            cursor: Cursor::default(),
            rows: HashMap::new(),
        }
    }
}

impl<T> WindowedList<T> {
    pub fn selected_id(&self) -> Option<Id> {
        self.ids.get(self.cursor.selected).copied()
    }

    pub fn selected(&self) -> Option<&T> {
        self.selected_id().and_then(|id| self.rows.get(&id))
    }

    /// The ids currently in view, with their row if it is loaded.
    pub fn visible(&self) -> impl Iterator<Item = (usize, Id, Option<&T>)> {
        let range = self.cursor.visible_range();
        self.ids[range.clone()]
            .iter()
            .enumerate()
            .map(move |(i, id)| (range.start + i, *id, self.rows.get(id)))
    }
}

#[derive(Debug, Default)]
pub struct IssueDetail {
    pub issue: Option<Issue>,
    pub events: Vec<IssueEvent>,
}

pub struct App {
    pub store: Store,
    pub tab: Tab,
    pub mode: Mode,
    pub firms: FirmsState,
    pub agenda: agenda::AgendaState,
    pub issues: WindowedList<Issue>,
    pub issue_detail: IssueDetail,
    pub form: Option<Form>,
    pub minutes: Option<agenda::MinutesEditor>,
    /// The queue's ids are read again when the Issues tab is next shown (an item was added
    /// elsewhere).
    pub issues_stale: bool,
    pub confirm: Option<Confirm>,
    /// The author written into history events.
    pub user: String,
    pub lookup: Lookup,
    pub counts: Counts,
    pub overdue: u64,
    pub message: Option<Message>,
    pub now: LocalTime,
    /// The terminal's size, which decides how many rows a page holds.
    pub size: (u16, u16),
    pub quit: bool,
}

impl App {
    /// Loads what the first frame needs: firms and reference lists, the index keys of the
    /// agenda and the queue, and the counters.
    pub fn new(store: Store, now: LocalTime) -> Result<App, StoreError> {
        let mut app = App {
            store,
            tab: Tab::Firms,
            mode: Mode::Normal,
            firms: FirmsState::default(),
            agenda: agenda::AgendaState::default(),
            issues: WindowedList::default(),
            issue_detail: IssueDetail::default(),
            form: None,
            minutes: None,
            issues_stale: false,
            confirm: None,
            user: String::new(),
            lookup: Lookup::default(),
            counts: Counts::default(),
            overdue: 0,
            message: None,
            now,
            size: (80, 24),
            quit: false,
        };
        app.user = app.store.user()?.unwrap_or_else(crate::cli::default_author);
        let mut damaged = app.reload()?;
        if !damaged.is_empty() {
            damaged.truncate(1000);
            app.message = Some(Message {
                kind: MessageKind::Warning,
                text: crate::messages::damaged_warning(damaged.len()),
            });
        }
        let (today, now) = (app.today(), app.now);
        agenda::show_day(&mut app, today, Some(now))?;
        update::refresh_views(&mut app);
        Ok(app)
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Reads everything the tabs list. Returns the records that could not be decoded.
    fn reload(&mut self) -> Result<Vec<Damaged>, StoreError> {
        let mut damaged = Vec::new();
        damaged.extend(firms::load(self)?);
        let departments = self.store.departments()?;
        damaged.extend(departments.damaged);
        self.lookup.departments = departments
            .records
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        let categories = self.store.categories()?;
        damaged.extend(categories.damaged);
        self.lookup.categories = categories
            .records
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        self.issues.ids = self.store.issue_ids_by_due()?;
        self.issues.cursor.set_len(self.issues.ids.len());
        self.issues.rows.clear();
        self.counts = self.store.counts()?;
        self.overdue = self.store.overdue_count(self.today())?;
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
