//! The Issues tab: every item as a compact row in memory (`table`), filtered and sorted as
//! the officer asks, with marks for bulk actions, and the selected item's full record and
//! history.
//!
//! The rows are read in the background when the app starts, so the first frame does not wait
//! for a million items; until they arrive the tab says it is loading.

mod actions;
mod edit;
mod export;
pub(in crate::app) mod lists;
mod load;
mod pickers;
mod positions;
mod refresh;
mod table;
mod tags;
mod views;
pub(in crate::app) use actions::*;
pub(in crate::app) use edit::{ask_edit, ask_new, category_hint, submit_issue};
pub(in crate::app) use export::{ask_export, submit_export};
use load::search_deep;
pub(in crate::app) use load::{arrived, start_loading};
pub use load::{firms_changed, loading, texts_changed};
pub(in crate::app) use pickers::*;
use table::deep_text_holds;
pub use table::{Row, Tally};
pub(in crate::app) use tags::{ask_tags, submit_tags};
pub(in crate::app) use views::{add_view, ask_delete_view, delete_view, remove_view};

use super::background::{self, Done};
use super::input::TextInput;
use super::{App, Cursor, Mode};
use crate::model::{Id, Issue, IssueEvent};
use crate::query::{self, FilterError, Resolved, SortKey};
use crate::store::{Damaged, Store, StoreError};
use chrono::NaiveDate;
use positions::Positions;
pub use refresh::refresh;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use table::Table;

#[cfg(test)]
mod filter_tests;

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
        (msg::VIEW_ALL_OPEN, msg::FILTER_ALL_OPEN, SortKey::Due),
        (msg::VIEW_MY_OPEN, msg::FILTER_MY_OPEN, SortKey::Due),
        (msg::VIEW_OVERDUE, msg::FILTER_OVERDUE, SortKey::Due),
        (msg::VIEW_UNASSIGNED, msg::FILTER_UNASSIGNED, SortKey::Age),
        // Overdue items have their own view.
        (msg::VIEW_DUE_WEEK, msg::FILTER_DUE_WEEK, SortKey::Due),
        (msg::VIEW_ANSWERED, msg::FILTER_ANSWERED, SortKey::Updated),
        (
            msg::VIEW_AWAITING_CALL,
            msg::FILTER_AWAITING_CALL,
            SortKey::Updated,
        ),
        (msg::VIEW_CONFLICTS, msg::FILTER_CONFLICTS, SortKey::Updated),
        (msg::VIEW_EVERYTHING, msg::BLANK, SortKey::Due),
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

/// The built-in view of a department's desk: its items, open or answered, due first.
fn handed_to_us(department: &str) -> View {
    View {
        name: crate::messages::VIEW_HANDED_TO_US.to_string(),
        filter: format!("dept:{department}"),
        sort: SortKey::Due,
        saved: None,
    }
}

/// Changed items a kept order may fall behind by before it is dropped and sorted anew.
const MOST_BEHIND: usize = 20_000;

/// Reads again which items are in conflict (after a merge or a resolution); the selected
/// item's detail is read anew with its conflicts.
pub fn refresh_conflicts(app: &mut App) -> Result<(), StoreError> {
    app.issues.conflicted = query::conflicted_numbers(&app.store)?;
    app.issues.detail = None;
    Ok(())
}

/// Items read by the background loader.
pub struct Loaded {
    table: Table,
    /// Every order, sorted in the background too: the first switch to a view sorted another
    /// way then does not sort a million items on a keystroke.
    orders: HashMap<SortKey, Positions>,
    /// The firms' places by name the order by firm was sorted with.
    firm_ranks: HashMap<Id, usize>,
    damaged: Vec<Damaged>,
}

#[derive(Default)]
pub struct QueueState {
    table: Table,
    /// The rows are in `table` (the background load has finished).
    pub loaded: bool,
    /// The items are being read in the background (`Done::Items` ends it).
    reading: bool,
    /// Items written before the load finished, applied on top of it.
    pending: Vec<Issue>,
    /// A search of details and responses running in the background, for these words.
    deep_search: Option<Vec<String>>,
    /// Positions in the table of the items shown, in order.
    pub shown: Positions,
    /// Every position in the order of a sort, kept for the sorts used so far: changing the
    /// filter only filters, and a changed item moves within the order shown.
    orders: HashMap<SortKey, Positions>,
    /// Per kept order not shown, the items changed since it was last used: they are put
    /// in place when it is next used (`catch_up`). Moving an item in a list of a million
    /// shifts megabytes; doing it in four orders on every triage key cost 3-4 ms.
    behind: HashMap<SortKey, Vec<u32>>,
    /// The filter and the sort of `shown`.
    applied: Option<(Resolved, SortKey)>,
    /// The last few filters applied before, with their sorts and lists, up to date while
    /// no item changed: a filter that narrows one of them is looked for among its list.
    earlier: Vec<(Resolved, SortKey, Positions)>,
    pub cursor: Cursor,
    /// The filter being typed (`/`) or applied.
    pub filter_input: TextInput,
    pub filter_error: Option<FilterError>,
    /// The filter changed while more keys were waiting; it is applied once they are handled.
    pub refresh_pending: bool,
    pub views: Vec<View>,
    /// The view whose filter and sort are applied; `None` once the filter is edited.
    pub view: Option<usize>,
    pub sort: SortKey,
    /// Marked items, by number.
    pub marked: HashSet<u32>,
    pub detail: Option<IssueDetail>,
    /// The numbers of the items with a field in conflict (⚠, the `conflict` filter).
    pub conflicted: HashSet<u32>,
    /// A bundle is being applied in the background (`app::conflicts`).
    pub importing: bool,
    pub tally: Tally,
    tally_day: Option<NaiveDate>,
    /// Items changed since the list was last worked out, to be put back in their places.
    placing: Vec<u32>,
    /// The item selected before a change took items out of the list, to select again.
    reselect: Option<u32>,
    /// The firms the filter's last `firm:` term meant (its text, the number of firms then):
    /// matching ten thousand firms' names took 6 ms, on every key typed after the term.
    firm_matches: RefCell<Option<(String, usize, HashSet<Id>)>>,
}

/// The selected item as its detail panel shows it: the record, its history, and the visit
/// it was raised in.
pub struct IssueDetail {
    pub issue: Issue,
    pub events: Vec<IssueEvent>,
    pub visit: Option<crate::model::Visit>,
    /// Its fields holding values set on two ledgers at once.
    pub conflicts: Vec<crate::store::Conflict>,
}

impl std::fmt::Debug for QueueState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueueState")
            .field("items", &self.table.len())
            .field("loaded", &self.loaded)
            .field("shown", &self.shown.len())
            .field("sort", &self.sort)
            .finish_non_exhaustive()
    }
}

impl QueueState {
    /// How many items there are (once loaded).
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The item shown at `index` of the list.
    pub fn shown_row(&self, index: usize) -> Option<Row> {
        self.shown.get(index).map(|p| self.table.row(p as usize))
    }

    /// The items at `range` of the list shown (the rows on screen).
    pub fn shown_rows_at(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = Row> + '_ {
        self.shown.range(range).map(|p| self.table.row(p as usize))
    }

    /// Every item shown, in order (for tests and exports; the screen builds only its rows).
    pub fn shown_rows(&self) -> impl Iterator<Item = Row> + '_ {
        self.shown.iter().map(|p| self.table.row(p as usize))
    }

    /// The ids of the items shown, in order.
    pub fn shown_ids(&self) -> Vec<Id> {
        self.shown
            .iter()
            .map(|p| self.table.id(p as usize))
            .collect()
    }

    pub fn selected(&self) -> Option<Row> {
        self.shown_row(self.cursor.selected)
    }

    pub fn selected_id(&self) -> Option<Id> {
        self.shown
            .get(self.cursor.selected)
            .map(|p| self.table.id(p as usize))
    }

    pub(in crate::app) fn selected_number(&self) -> Option<u32> {
        self.shown
            .get(self.cursor.selected)
            .map(|p| self.table.number(p as usize))
    }

    pub fn row_by_number(&self, number: u32) -> Option<Row> {
        self.table
            .position_of_number(number)
            .map(|p| self.table.row(p))
    }

    /// The position in `shown` of the item with this id.
    pub fn shown_position(&self, id: Id) -> Option<usize> {
        self.shown
            .iter()
            .position(|p| self.table.id(p as usize) == id)
    }

    /// Replaces or adds an item's row after a change: its counts, its place in each kept
    /// order and in the list shown are updated, without going over the other items.
    pub fn upsert(&mut self, issue: &Issue, today: NaiveDate) {
        if !self.loaded {
            self.pending.push(issue.clone());
            return;
        }
        self.earlier.clear();
        if self.reselect.is_none() {
            self.reselect = self.selected_number();
        }
        let before = self.table.position_of(issue.id, issue.number);
        if let Some(position) = before {
            self.table.count(&mut self.tally, position, today, -1);
        }
        // Leave the orders and the list; `place_changed` puts the item back where it now
        // belongs. Found by its key where the key needs no firm names (a binary search, not
        // a walk through a million positions).
        if let Some(position) = before {
            let sort = self.shown_sort();
            let table = &self.table;
            let no_rank = |_: Id| 0;
            let key = (sort != SortKey::Firm).then(|| table.sort_key(position, sort, &no_rank));
            // Without a key (by firm) nothing is before: the lists are walked instead.
            let before =
                |i: u32| key.is_some_and(|k| table.sort_key(i as usize, sort, &no_rank) < k);
            if let Some(order) = self.orders.get_mut(&sort) {
                order.remove(position as u32, before);
            }
            self.shown.remove(position as u32, before);
        }
        let (position, _) = self.table.upsert(issue);
        let shown_sort = self.shown_sort();
        let kept: Vec<SortKey> = self.orders.keys().copied().collect();
        for sort in kept.into_iter().filter(|s| *s != shown_sort) {
            let behind = self.behind.entry(sort).or_default();
            if !behind.contains(&(position as u32)) {
                behind.push(position as u32);
            }
            if behind.len() > MOST_BEHIND {
                // Sorting it again, when next used, is cheaper than placing so many.
                self.behind.remove(&sort);
                self.orders.remove(&sort);
            }
        }
        self.table.count(&mut self.tally, position, today, 1);
        self.placing.push(position as u32);
    }

    /// The sort of the list shown.
    fn shown_sort(&self) -> SortKey {
        self.applied.as_ref().map_or(self.sort, |(_, s)| *s)
    }

    /// Puts the items changed since `sort`'s kept order was last used back in place: one
    /// pass to take them out and one to merge them in, however many there are.
    fn catch_up(&mut self, sort: SortKey, rank: &dyn Fn(Id) -> u32) {
        let Some(mut changed) = self.behind.remove(&sort) else {
            return;
        };
        let Some(order) = self.orders.get(&sort) else {
            return;
        };
        let table = &self.table;
        let mut marked = vec![0u64; table.len() / 64 + 1];
        for p in &changed {
            marked[*p as usize / 64] |= 1 << (*p % 64);
        }
        let order: Vec<u32> = order
            .iter()
            .filter(|p| marked[*p as usize / 64] & (1 << (*p % 64)) == 0)
            .collect();
        let key = |p: u32| table.sort_key(p as usize, sort, rank);
        changed.sort_by_cached_key(|p| (key(*p), *p));
        changed.dedup();
        // Each changed item's place by binary search, then the runs between them copied
        // whole: keys are worked out for a few dozen items each, not for a million.
        let places: Vec<usize> = changed
            .iter()
            .map(|c| {
                let k = key(*c);
                order.partition_point(|p| key(*p) < k)
            })
            .collect();
        let mut merged = Vec::with_capacity(order.len() + changed.len());
        let mut from = 0;
        for (c, at) in changed.into_iter().zip(places) {
            merged.extend_from_slice(&order[from..at]);
            merged.push(c);
            from = at;
        }
        merged.extend_from_slice(&order[from..]);
        self.orders.insert(sort, merged.into());
    }

    /// The items an action applies to: the marked ones, else the selected one.
    pub fn targets(&self) -> Vec<Id> {
        self.target_positions()
            .into_iter()
            .map(|p| self.table.id(p))
            .collect()
    }

    /// The targets' numbers, in the same order, for naming them on screen.
    pub fn target_numbers(&self) -> Vec<u32> {
        self.target_positions()
            .into_iter()
            .map(|p| self.table.number(p))
            .collect()
    }

    fn target_positions(&self) -> Vec<usize> {
        // A filter with a mistake lists nothing: nothing unseen is acted on.
        if self.filter_error.is_some() {
            return Vec::new();
        }
        if self.marked.is_empty() {
            self.shown
                .get(self.cursor.selected)
                .map(|p| p as usize)
                .into_iter()
                .collect()
        } else {
            // In the order shown, so messages and undo read naturally.
            self.shown
                .iter()
                .map(|p| p as usize)
                .filter(|p| self.marked.contains(&self.table.number(*p)))
                .collect()
        }
    }

    pub fn view_name(&self) -> Option<&str> {
        self.view
            .and_then(|v| self.views.get(v))
            .map(|v| v.name.as_str())
    }
}
