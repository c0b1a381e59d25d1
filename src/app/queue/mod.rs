//! The Issues tab: every item as a small row in memory, filtered and sorted as the officer
//! asks, with marks for bulk actions, the selected item's full record and history, and the
//! undo list of this session.

mod actions;
pub(in crate::app) use actions::*;

use super::input::TextInput;
use super::{App, Cursor};
use crate::model::{Id, Issue, IssueEvent, LocalTime, Priority, Status};
use crate::query::{self, FilterError, Item, Resolved, SortKey};
use crate::store::{Damaged, StoreError};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// What the queue keeps of an item: enough to filter, sort and draw a row.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: Id,
    pub number: u32,
    pub firm: Id,
    pub visit: Option<Id>,
    pub department: Option<Id>,
    pub category: Option<Id>,
    pub priority: Priority,
    pub status: Status,
    pub due: Option<NaiveDate>,
    pub created: LocalTime,
    pub updated: LocalTime,
    pub owner: String,
    pub title: String,
    /// Title, detail, resolution and responses, lower-cased, for text search.
    haystack: String,
}

impl Row {
    pub fn new(issue: &Issue, responses: &str) -> Row {
        let mut haystack = issue.title.to_lowercase();
        haystack.push('\n');
        haystack.push_str(&issue.detail.to_lowercase());
        if let Some(r) = &issue.resolution {
            haystack.push('\n');
            haystack.push_str(&r.text.to_lowercase());
        }
        haystack.push('\n');
        haystack.push_str(responses);
        Row {
            id: issue.id,
            number: issue.number,
            firm: issue.firm,
            visit: issue.visit,
            department: issue.department,
            category: issue.category,
            priority: issue.priority,
            status: issue.status,
            due: issue.due,
            created: issue.created,
            updated: issue.updated,
            owner: issue.owner.clone(),
            title: issue.title.clone(),
            haystack,
        }
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }
}

impl Item for Row {
    fn status(&self) -> Status {
        self.status
    }
    fn priority(&self) -> Priority {
        self.priority
    }
    fn department(&self) -> Option<Id> {
        self.department
    }
    fn category(&self) -> Option<Id> {
        self.category
    }
    fn firm(&self) -> Id {
        self.firm
    }
    fn due(&self) -> Option<NaiveDate> {
        self.due
    }
    fn raised_in_visit(&self) -> bool {
        self.visit.is_some()
    }
    fn owner(&self) -> &str {
        &self.owner
    }
    fn contains_text(&self, needle: &str) -> bool {
        self.haystack.contains(needle)
    }
}

/// A named filter and order: the built-in ones, and those the officer saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    pub filter: String,
    pub sort: SortKey,
    /// Saved in the database (as opposed to built in).
    pub saved: Option<Id>,
}

/// The views every database has.
pub fn builtin_views() -> Vec<View> {
    use crate::messages as msg;
    [
        (msg::VIEW_ALL_OPEN, "status:open", SortKey::Due),
        (msg::VIEW_MY_OPEN, "owner:me status:open", SortKey::Due),
        (msg::VIEW_OVERDUE, "overdue", SortKey::Due),
        (msg::VIEW_UNASSIGNED, "dept:none status:open", SortKey::Age),
        (msg::VIEW_DUE_WEEK, "due:7d", SortKey::Due),
        (msg::VIEW_ANSWERED, "status:answered", SortKey::Updated),
        (msg::VIEW_EVERYTHING, "", SortKey::Due),
    ]
    .into_iter()
    .map(|(name, filter, sort)| View {
        name: name.to_string(),
        filter: filter.to_string(),
        sort,
        saved: None,
    })
    .collect()
}

/// One step the officer can undo: the records as they were, and the events that changed them.
#[derive(Debug, Clone)]
pub struct UndoStep {
    pub label: String,
    pub changes: Vec<(Issue, IssueEvent)>,
}

#[derive(Debug, Default)]
pub struct QueueState {
    pub rows: Vec<Row>,
    index: HashMap<Id, usize>,
    /// Positions in `rows` of the items shown, in order.
    pub shown: Vec<usize>,
    /// Every position in `rows`, in the order of `order_key`; filtering keeps this order.
    order: Vec<usize>,
    order_key: Option<SortKey>,
    pub cursor: Cursor,
    /// The filter being typed (`/`) or applied.
    pub filter_input: TextInput,
    pub filter_error: Option<FilterError>,
    pub views: Vec<View>,
    /// The view whose filter and sort are applied; `None` once the filter is edited.
    pub view: Option<usize>,
    pub sort: SortKey,
    pub marked: HashSet<Id>,
    pub undo: Vec<UndoStep>,
    pub detail: Option<(Issue, Vec<IssueEvent>)>,
    /// Items per firm that are overdue, for the Firms card and the Agenda.
    pub overdue_by_firm: HashMap<Id, usize>,
    pub open: usize,
    pub overdue: usize,
    pub unassigned: usize,
}

impl QueueState {
    pub fn selected(&self) -> Option<&Row> {
        self.shown.get(self.cursor.selected).map(|i| &self.rows[*i])
    }

    pub fn selected_id(&self) -> Option<Id> {
        self.selected().map(|r| r.id)
    }

    pub fn row(&self, id: Id) -> Option<&Row> {
        self.index.get(&id).map(|i| &self.rows[*i])
    }

    /// Replaces or adds an item's row after a change; the order is worked out again.
    pub fn upsert(&mut self, issue: &Issue, responses: &str) {
        self.order_key = None;
        let row = Row::new(issue, responses);
        match self.index.get(&issue.id) {
            Some(i) => self.rows[*i] = row,
            None => {
                self.index.insert(issue.id, self.rows.len());
                self.rows.push(row);
            }
        }
    }

    /// The items an action applies to: the marked ones, else the selected one.
    pub fn targets(&self) -> Vec<Id> {
        if self.marked.is_empty() {
            self.selected_id().into_iter().collect()
        } else {
            // In the order shown, so messages and undo read naturally.
            self.shown
                .iter()
                .map(|i| self.rows[*i].id)
                .filter(|id| self.marked.contains(id))
                .collect()
        }
    }

    pub fn view_name(&self) -> Option<&str> {
        self.view
            .and_then(|v| self.views.get(v))
            .map(|v| v.name.as_str())
    }

    /// Counts for the status line and the firm cards.
    fn tally(&mut self, today: NaiveDate) {
        self.open = 0;
        self.overdue = 0;
        self.unassigned = 0;
        self.overdue_by_firm.clear();
        for row in &self.rows {
            if !row.status.is_open() {
                continue;
            }
            self.open += 1;
            if row.department.is_none() {
                self.unassigned += 1;
            }
            if row.is_overdue(today) {
                self.overdue += 1;
                *self.overdue_by_firm.entry(row.firm).or_default() += 1;
            }
        }
    }
}

/// Reads every item into the queue (one pass over the items and their response texts).
pub(super) fn load(app: &mut App) -> Result<Vec<Damaged>, StoreError> {
    let mut rows = Vec::new();
    let mut damaged = Vec::new();
    app.store.each_issue_with_text(|row| {
        match row {
            Ok((issue, text)) => rows.push(Row::new(&issue, &text)),
            Err(d) => damaged.push(d),
        }
        Ok(())
    })?;
    let queue = &mut app.issues;
    queue.index = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    queue.rows = rows;
    queue.views = builtin_views();
    for view in app.store.views()?.records {
        queue.views.push(View {
            name: view.name,
            filter: view.filter,
            sort: SortKey::parse(&view.sort).unwrap_or_default(),
            saved: Some(view.id),
        });
    }
    if queue.view.is_none() && queue.filter_input.text.is_empty() {
        queue.view = Some(0);
        queue.filter_input = TextInput::with_text(&queue.views[0].filter);
        queue.sort = queue.views[0].sort;
    }
    refresh(app);
    Ok(damaged)
}

/// Re-applies the filter and sort, keeping the selected item selected.
pub fn refresh(app: &mut App) {
    let today = app.today();
    let selected = app.issues.selected_id();
    app.issues.tally(today);
    match resolve(app, &app.issues.filter_input.text.clone()) {
        Ok((resolved, sort)) => {
            app.issues.filter_error = None;
            if let Some(sort) = sort {
                app.issues.sort = sort;
            }
            show_matches(app, &resolved, today);
        }
        // A filter still being typed may not parse; the last good list stays.
        Err(e) => app.issues.filter_error = Some(e),
    }
    let queue = &mut app.issues;
    queue.cursor.set_len(queue.shown.len());
    if let Some(pos) =
        selected.and_then(|id| queue.shown.iter().position(|i| queue.rows[*i].id == id))
    {
        queue.cursor.select(pos);
    }
}

fn resolve(app: &App, text: &str) -> Result<(Resolved, Option<SortKey>), FilterError> {
    let filter = query::parse(text)?;
    let state = &app.firms;
    let firms = |q: &str| query::firms_matching(q, &state.all, &state.keys);
    let departments = &app.lookup.department_list;
    let categories = &app.lookup.category_list;
    let names = query::Names {
        departments: departments
            .iter()
            .map(|d| (d.id, d.name.as_str(), d.full_name.as_str()))
            .collect(),
        categories: categories
            .iter()
            .map(|c| (c.id, c.code.as_str(), c.name.as_str()))
            .collect(),
        firms: &firms,
        me: &app.user,
    };
    Ok((filter.resolve(&names)?, filter.sort))
}

/// Filters the rows in the order of the current sort, which is kept sorted between
/// keystrokes: typing a filter only filters.
fn show_matches(app: &mut App, filter: &Resolved, today: NaiveDate) {
    if app.issues.order_key != Some(app.issues.sort)
        || app.issues.order.len() != app.issues.rows.len()
    {
        sort_rows(app);
    }
    let queue = &app.issues;
    let rows = &queue.rows;
    app.issues.shown = if filter.is_empty() {
        queue.order.clone()
    } else {
        queue
            .order
            .iter()
            .copied()
            .filter(|i| filter.matches(&rows[*i], today))
            .collect()
    };
}

/// Puts every row in the order of the current sort.
fn sort_rows(app: &mut App) {
    let firm_order = |id: Id| app.lookup.firms.get(&id).copied().unwrap_or(usize::MAX);
    let queue = &app.issues;
    let rows = &queue.rows;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let due_key = |r: &Row| (!r.status.is_open(), r.due.is_none(), r.due, r.number);
    match queue.sort {
        SortKey::Due => order.sort_by_key(|i| due_key(&rows[*i])),
        SortKey::Priority => order.sort_by_key(|i| {
            (
                !rows[*i].status.is_open(),
                std::cmp::Reverse(rows[*i].priority),
                due_key(&rows[*i]),
            )
        }),
        SortKey::Age => order.sort_by_key(|i| {
            (
                !rows[*i].status.is_open(),
                rows[*i].created,
                rows[*i].number,
            )
        }),
        SortKey::Updated => {
            order.sort_by_key(|i| (std::cmp::Reverse(rows[*i].updated), rows[*i].number))
        }
        SortKey::Firm => order.sort_by_key(|i| (firm_order(rows[*i].firm), due_key(&rows[*i]))),
    }
    app.issues.order = order;
    app.issues.order_key = Some(app.issues.sort);
}
