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
mod positions;
mod table;
mod tags;
mod views;
pub(in crate::app) use actions::*;
pub(in crate::app) use edit::{ask_edit, ask_new, category_hint, submit_issue};
pub(in crate::app) use export::{ask_export, submit_export};
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
    /// The orders that need no firm names, sorted in the background too: the first switch
    /// to a view sorted another way then does not sort a million items on a keystroke.
    orders: HashMap<SortKey, Positions>,
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

/// Reads the saved views, then starts reading the items in the background.
pub(super) fn start_loading(app: &mut App) -> Result<(), StoreError> {
    let queue = &mut app.issues;
    queue.views = builtin_views();
    if let Some(department) = app.store.desk_department()? {
        // A department's desk opens on what was handed to it.
        queue.views.insert(0, handed_to_us(&department));
    }
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
    let store = app.store.clone();
    queue.loaded = false;
    queue.reading = true;
    background::keep_large_blocks_apart();
    background::spawn(
        &app.outbox,
        crate::messages::ITEMS_READING_STOPPED.get(),
        move || read_table(&store),
        |read| Done::Items(read.map(Box::new)),
    );
    Ok(())
}

fn read_table(store: &Store) -> Result<Loaded, StoreError> {
    let items = store.counts()?.issues() as usize;
    let numbers = store.next_issue_number()? as usize + 1;
    // Decoding a million items is most of the start: two threads (the machines this runs on
    // have two cores or more) each read half of the groups into a table of their own.
    let parts = if items < 20_000 { 1 } else { 2 };
    let read_part = |part: usize| -> Result<(Table, Vec<Damaged>), StoreError> {
        let mut table = Table::default();
        let mut damaged = Vec::new();
        let share = items / parts + items / 50;
        table.reserve(share, numbers);
        let mut read = 0;
        store.each_issue_summary_part(part, parts, |item| {
            match item {
                Ok(issue) => {
                    table.push_read(&issue);
                    read += 1;
                    if read == 1000 {
                        table.reserve(share, numbers);
                    }
                }
                Err(d) => damaged.push(d),
            }
            Ok(())
        })?;
        Ok((table, damaged))
    };
    let (mut table, mut damaged) = std::thread::scope(|scope| {
        let others: Vec<_> = (1..parts)
            .map(|part| scope.spawn(move || read_part(part)))
            .collect();
        let (mut table, mut damaged) = read_part(0)?;
        if parts == 1 {
            table.index_numbers();
        }
        for other in others {
            let (part, more) = other.join().map_err(|_| {
                StoreError::Engine(crate::messages::ITEMS_READING_STOPPED.get().to_string())
            })??;
            table.append(&part);
            damaged.extend(more);
        }
        Ok::<_, StoreError>((table, damaged))
    })?;
    table.shrink_to_fit();
    damaged.shrink_to_fit();
    let no_rank = |_: Id| 0;
    // The kept orders, sorted on both threads.
    let sorts: Vec<SortKey> = SortKey::ALL
        .into_iter()
        .filter(|s| *s != SortKey::Firm)
        .collect();
    let (first, second) = sorts.split_at(sorts.len() / 2);
    let table_ref = &table;
    let orders: HashMap<SortKey, Positions> = std::thread::scope(|scope| {
        let sort_all = move |list: &[SortKey]| -> Vec<(SortKey, Positions)> {
            list.iter()
                .map(|s| (*s, table_ref.sorted(*s, &no_rank)))
                .collect()
        };
        let other = scope.spawn(move || sort_all(second));
        let mut orders = sort_all(first);
        orders.extend(other.join().unwrap_or_default());
        orders.into_iter().collect()
    });
    // A million items decoded one by one and four sorts' keys leave tens of megabytes freed
    // in this thread's heap, which the allocator would otherwise keep for the whole session.
    background::return_freed_memory();
    Ok(Loaded {
        table,
        orders,
        damaged,
    })
}

/// Is the background load or a search still running?
pub fn loading(app: &App) -> bool {
    app.issues.reading || app.issues.deep_search.is_some()
}

/// Searches details, resolutions and responses for the filter's words not searched yet, in
/// the background: they are not in memory, and reading a million items takes seconds. Runs
/// once the officer has finished typing the filter; titles are matched as they type.
fn search_deep(app: &mut App, needles: Vec<String>) {
    if app.issues.deep_search.is_some() {
        return;
    }
    let store = app.store.clone();
    let words = needles.clone();
    let sent = needles.clone();
    let work = move || {
        let mut found = vec![Vec::new(); words.len()];
        store.each_issue_with_text(|item| {
            if let Ok((issue, responses)) = item {
                for (word, numbers) in words.iter().zip(found.iter_mut()) {
                    if deep_text_holds(&issue, &responses, word) {
                        numbers.push((issue.id, issue.number));
                    }
                }
            }
            Ok(())
        })?;
        Ok(found)
    };
    background::spawn(
        &app.outbox,
        crate::messages::SEARCH_STOPPED.get(),
        work,
        move |found| Done::Search { words: sent, found },
    );
    app.issues.deep_search = Some(needles);
}

/// Takes in the result of background work. Returns the damaged records the load found.
pub(in crate::app) fn arrived(app: &mut App, done: Done) -> Result<Vec<Damaged>, StoreError> {
    // Firms may have come with it (a sync, a bundle) or their search keys.
    app.issues.firm_matches.take();
    match done {
        Done::Items(result) => finish_loading(app, result),
        Done::FirmKeys => {
            app.firms.wait_for_keys();
            Ok(Vec::new())
        }
        Done::Synced(outcome) => {
            crate::app::server_sync::arrived(app, outcome);
            Ok(Vec::new())
        }
        Done::Reports(read) => crate::app::reports::arrived(app, read.map(|read| *read)),
        Done::Bundle(outcome) => {
            crate::app::conflicts::imported(app, outcome)?;
            Ok(Vec::new())
        }
        Done::Search { words, found } => {
            // A search for words no longer wanted (the load started another) is dropped.
            if app.issues.deep_search.as_ref() != Some(&words) {
                return Ok(Vec::new());
            }
            app.issues.deep_search = None;
            for (needle, numbers) in words.into_iter().zip(found?) {
                app.issues.table.add_deep(needle, &numbers);
            }
            app.issues.applied = None;
            refresh(app);
            Ok(Vec::new())
        }
    }
}

/// An item's responses or detail changed: searches already made are brought up to date.
pub fn texts_changed(app: &mut App, issue: &Issue) -> Result<(), StoreError> {
    if !app.issues.table.has_deep() {
        // Nothing searched beyond titles yet: no need to read the responses.
        return Ok(());
    }
    let responses = app.store.response_text(issue.id)?;
    app.issues.table.update_deep(issue, &responses);
    Ok(())
}

/// Takes the items read in the background. Returns the records that could not be read.
fn finish_loading(
    app: &mut App,
    result: Result<Box<Loaded>, StoreError>,
) -> Result<Vec<Damaged>, StoreError> {
    app.issues.reading = false;
    let loaded = *result?;
    let queue = &mut app.issues;
    queue.table = loaded.table;
    queue.loaded = true;
    queue.tally_day = None;
    queue.orders = loaded.orders;
    queue.behind.clear();
    let pending = std::mem::take(&mut queue.pending);
    if !pending.is_empty() {
        // Written while the items were read: sort again rather than place each.
        for issue in pending {
            queue.table.upsert(&issue);
        }
        queue.orders.clear();
    }
    queue.applied = None;
    refresh(app);
    Ok(loaded.damaged)
}

/// Called after firms were added or renamed: the order by firm name is worked out again.
pub fn firms_changed(app: &mut App) {
    app.issues.firm_matches.take();
    app.issues.orders.remove(&SortKey::Firm);
    app.issues.behind.remove(&SortKey::Firm);
    if app.issues.sort == SortKey::Firm {
        app.issues.applied = None;
    }
}

/// Re-applies the filter and sort, keeping the selected item selected. Items changed since
/// the last time are put in their places; the rest is only redone when the filter, the sort
/// or the day changed.
pub fn refresh(app: &mut App) {
    app.issues.refresh_pending = false;
    if !app.issues.loaded {
        return;
    }
    let today = app.today();
    if app.issues.tally_day != Some(today) {
        app.issues.tally = app.issues.table.tally(today);
        app.issues.tally_day = Some(today);
        // What is overdue moved with the day.
        app.issues.applied = None;
    }
    let selected = app
        .issues
        .reselect
        .take()
        .or_else(|| app.issues.selected_number());
    // A `firm:` term is matched with the Firms search's keys.
    app.firms.wait_for_keys();
    match resolve(app, &app.issues.filter_input.text.clone()) {
        Ok((resolved, sort)) => {
            app.issues.filter_error = None;
            let unsearched: Vec<String> = resolved
                .text_terms()
                .into_iter()
                .filter(|w| !app.issues.table.searched_deep(w))
                .map(str::to_string)
                .collect();
            if !unsearched.is_empty() && app.mode() != Mode::Filter {
                search_deep(app, unsearched);
            }
            if let Some(sort) = sort {
                app.issues.sort = sort;
            }
            let unchanged = app
                .issues
                .applied
                .as_ref()
                .is_some_and(|(f, s)| *f == resolved && *s == app.issues.sort);
            if unchanged && app.issues.orders.contains_key(&app.issues.sort) {
                place_changed(app, today);
            } else {
                show_matches(app, resolved, today);
            }
        }
        // A filter still being typed may not parse; the last good list stays.
        Err(e) => {
            app.issues.filter_error = Some(e);
            place_changed(app, today);
        }
    }
    let at = selected.and_then(|n| shown_index(app, n));
    let queue = &mut app.issues;
    queue.cursor.set_len(queue.shown.len());
    if let Some(at) = at {
        queue.cursor.select(at);
    }
}

/// Where the item numbered `number` is in the list shown: found by its key (a binary
/// search), not by a walk through a list that may hold a million items.
fn shown_index(app: &App, number: u32) -> Option<usize> {
    let queue = &app.issues;
    let table = &queue.table;
    let position = table.position_of_number(number)?;
    let sort = queue.shown_sort();
    let rank = firm_rank(app);
    let key = table.sort_key(position, sort, &rank);
    queue.shown.index_of(position as u32, |i| {
        table.sort_key(i as usize, sort, &rank) < key
    })
}

fn firm_rank(app: &App) -> impl Fn(Id) -> u32 + '_ {
    |id: Id| {
        app.lookup
            .firms
            .get(&id)
            .map(|i| *i as u32)
            .unwrap_or(u32::MAX)
    }
}

/// Puts the items changed since the last refresh back into each kept order and, when they
/// pass the filter, into the list.
fn place_changed(app: &mut App, today: NaiveDate) {
    let placing = std::mem::take(&mut app.issues.placing);
    if placing.is_empty() {
        return;
    }
    let mut orders = std::mem::take(&mut app.issues.orders);
    let mut shown = std::mem::take(&mut app.issues.shown);
    let mut behind = std::mem::take(&mut app.issues.behind);
    place_in(app, &placing, &mut orders, &mut behind, &mut shown, today);
    app.issues.orders = orders;
    app.issues.behind = behind;
    app.issues.shown = shown;
}

fn place_in(
    app: &App,
    placing: &[u32],
    orders: &mut HashMap<SortKey, Positions>,
    behind: &mut HashMap<SortKey, Vec<u32>>,
    shown: &mut Positions,
    today: NaiveDate,
) {
    let rank = firm_rank(app);
    let queue = &app.issues;
    let table = &queue.table;
    let key = |p: u32, sort: SortKey| table.sort_key(p as usize, sort, &rank);
    // The order shown only; the others catch up when next used (`catch_up`).
    let shown_sort = queue.shown_sort();
    for (sort, order) in orders.iter_mut() {
        if *sort != shown_sort {
            let behind = behind.entry(*sort).or_default();
            for p in placing {
                if !behind.contains(p) {
                    behind.push(*p);
                }
            }
            continue;
        }
        for p in placing {
            let k = key(*p, *sort);
            order.insert_sorted(*p, |i| key(i, *sort) < k);
        }
    }
    for p in placing {
        let passes = queue
            .applied
            .as_ref()
            .is_none_or(|(f, _)| f.matches(&table.view(*p as usize), today));
        if passes {
            let k = key(*p, queue.sort);
            shown.insert_sorted(*p, |i| key(i, queue.sort) < k);
        }
    }
}

fn resolve(app: &App, text: &str) -> Result<(Resolved, Option<SortKey>), FilterError> {
    let filter = query::parse(text)?;
    let state = &app.firms;
    let firms = |q: &str| {
        let mut memo = app.issues.firm_matches.borrow_mut();
        match memo.as_ref() {
            Some((text, count, ids)) if text == q && *count == state.all.len() => ids.clone(),
            _ => {
                let ids = query::firms_matching(q, &state.all, &state.keys);
                *memo = Some((q.to_string(), state.all.len(), ids.clone()));
                ids
            }
        }
    };
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
        conflicted: &app.issues.conflicted,
    };
    Ok((filter.resolve(&names)?, filter.sort))
}

/// Filters every item in the order of the current sort (sorted once per sort and kept).
fn show_matches(app: &mut App, filter: Resolved, today: NaiveDate) {
    // Changed items go back into the kept orders first; the list is then made anew.
    place_changed(app, today);
    let sort = app.issues.sort;
    if !app.issues.orders.contains_key(&sort) {
        let order = app.issues.table.sorted(sort, &firm_rank(app));
        app.issues.orders.insert(sort, order);
        app.issues.behind.remove(&sort);
    }
    let rank: Vec<(Id, u32)> = if sort == SortKey::Firm {
        app.lookup
            .firms
            .iter()
            .map(|(id, i)| (*id, *i as u32))
            .collect()
    } else {
        Vec::new()
    };
    let rank: HashMap<Id, u32> = rank.into_iter().collect();
    app.issues
        .catch_up(sort, &|id| rank.get(&id).copied().unwrap_or(u32::MAX));
    if app.issues.applied.is_none() {
        // The lists of earlier filters may miss changed items.
        app.issues.earlier.clear();
    }
    let queue = &app.issues;
    // Typing on at the end of a filter only narrows it: look among what is shown, or what
    // an earlier filter it narrows showed (`due:7d -v` after `due:7d`), the shortest.
    // Words found in details and responses may pass items the shorter word did not.
    let deep = filter
        .text_terms()
        .iter()
        .any(|w| queue.table.searched_deep(w));
    let narrowed = queue
        .applied
        .as_ref()
        .map(|(f, s)| (f, *s, &queue.shown))
        .into_iter()
        .chain(queue.earlier.iter().map(|(f, s, list)| (f, *s, list)))
        .filter(|(before, s, _)| !deep && *s == sort && filter.narrows(before))
        .map(|(_, _, list)| list)
        .min_by_key(|list| list.len());
    let narrowing = narrowed.is_some();
    let order = narrowed.unwrap_or(&queue.orders[&sort]);
    let among = if filter.is_empty() {
        None
    } else {
        candidates(app, &filter, order.len(), narrowing)
    };
    let shown = if filter.is_empty() {
        order.clone()
    } else {
        queue.table.filter(order, &filter, today, among.as_deref())
    };
    let queue = &mut app.issues;
    let before = std::mem::replace(&mut queue.shown, shown);
    if let Some((f, s)) = queue.applied.replace((filter, sort)) {
        // Kept while short enough to pay: a few megabytes at most.
        if before.len() <= queue.table.len() / 2 {
            queue.earlier.push((f, s, before));
            if queue.earlier.len() > EARLIER_KEPT {
                queue.earlier.remove(0);
            }
        }
    }
}

/// Lists of earlier filters kept to narrow from.
const EARLIER_KEPT: usize = 4;

/// The rows that can hold the filter's words of two or more characters, from the store's
/// word index (a superset: the whole filter still runs on each), when the list to filter is
/// long enough for the index's read (about a millisecond at a million items) to pay.
fn candidates(app: &App, filter: &Resolved, list: usize, narrowing: bool) -> Option<Vec<u64>> {
    if narrowing && list < 20_000 {
        return None;
    }
    let words: Vec<&str> = filter
        .checks()
        .iter()
        .filter_map(|(negated, check)| match check {
            crate::query::Check::Text(needle) if !negated => Some(needle.text()),
            _ => None,
        })
        .collect();
    if words.is_empty() {
        return None;
    }
    // A store that cannot answer leaves the filter to test every row.
    let numbers = app.store.numbers_with_words(&words).ok()??;
    Some(app.issues.table.positions_numbered(&numbers))
}
