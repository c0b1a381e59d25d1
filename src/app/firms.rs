//! The Firms tab's state: the directory in memory with its search keys, the search, and the
//! open firm card.

use super::input::TextInput;
use super::{App, Cursor, FirmSummary};
use crate::model::{Firm, Id, Issue, Visit};
use crate::search::{self, FirmKeys, Hit, KeyTable, Query, Searcher};
use crate::store::{Damaged, Store, StoreError};

#[derive(Default)]
pub struct FirmsState {
    /// Every firm, archived ones too, sorted by name; `keys` is parallel to it once read
    /// (`wait_for_keys`).
    pub all: Vec<Firm>,
    /// Packed (`KeyTable`): as stored, 10,000 firms' keys took 15 MiB.
    pub keys: KeyTable,
    /// The search keys being read in the background after the app opened: taken when
    /// `Done::FirmKeys` arrives, or waited for by the first search that needs them.
    pending_keys: Option<std::thread::JoinHandle<Result<KeyTable, StoreError>>>,
    pub show_archived: bool,
    pub query: TextInput,
    /// The query the current `shown` list answers, to narrow it on the next keystroke.
    answered: String,
    /// Indices into `all`, in display order, with the match for highlighting.
    pub shown: Vec<(usize, Option<Hit>)>,
    /// The display width of the longest name in `shown`, worked out when `shown` changes
    /// (not on every frame): the list gives names their room before its other columns.
    pub longest_shown: usize,
    pub cursor: Cursor,
    pub detail: Option<FirmSummary>,
    pub card: Option<FirmCard>,
    searcher: Searcher,
}

impl std::fmt::Debug for FirmsState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirmsState")
            .field("firms", &self.all.len())
            .field("shown", &self.shown.len())
            .field("query", &self.query.text)
            .finish()
    }
}

impl FirmsState {
    pub fn selected(&self) -> Option<&Firm> {
        self.shown
            .get(self.cursor.selected)
            .map(|(i, _)| &self.all[*i])
    }

    pub fn is_filtered(&self) -> bool {
        !self.query.text.trim().is_empty()
    }

    /// How many firms a search looks through: archived ones only when they are shown.
    pub fn searchable(&self) -> usize {
        if self.show_archived {
            self.all.len()
        } else {
            self.all.iter().filter(|f| !f.archived).count()
        }
    }

    fn candidates(&self) -> Vec<usize> {
        (0..self.all.len())
            .filter(|i| self.show_archived || !self.all[*i].archived)
            .collect()
    }

    /// Makes `keys` whole: waits for the background read started when the app opened (a
    /// few tens of milliseconds at 10,000 firms), computing keys itself if that read failed.
    pub fn wait_for_keys(&mut self) {
        let Some(reader) = self.pending_keys.take() else {
            return;
        };
        self.keys = match reader.join() {
            Ok(Ok(keys)) if keys.len() == self.all.len() => keys,
            _ => {
                let mut keys = KeyTable::new();
                for f in &self.all {
                    keys.push(&FirmKeys::new(&f.name, &f.short_name));
                }
                keys.finish();
                keys
            }
        };
    }

    /// Whether the search keys are still being read.
    pub fn reading_keys(&self) -> bool {
        self.pending_keys.is_some()
    }

    /// Re-runs the search after the query changed. A query that only adds to the previous one
    /// searches the previous results, not the whole directory.
    pub fn refresh(&mut self) {
        let query = Query::new(&self.query.text);
        if !query.is_empty() {
            self.wait_for_keys();
        }
        let selected_firm = self.selected().map(|f| f.id);
        if query.is_empty() {
            self.shown = self.candidates().into_iter().map(|i| (i, None)).collect();
        } else {
            let previous = Query::new(&self.answered);
            let pool: Vec<usize> = if query.narrows(&previous) {
                self.shown.iter().map(|(i, _)| *i).collect()
            } else {
                self.candidates()
            };
            let all = &self.all;
            let keys = &self.keys;
            let ranked = search::rank(
                &mut self.searcher,
                &query,
                pool.iter().map(|i| {
                    (
                        *i,
                        all[*i].name.as_str(),
                        all[*i].short_name.as_str(),
                        keys.firm(*i),
                    )
                }),
            );
            self.shown = ranked.into_iter().map(|(i, hit)| (i, Some(hit))).collect();
        }
        self.longest_shown = self
            .shown
            .iter()
            .map(|(i, _)| crate::text::width(&self.all[*i].name))
            .max()
            .unwrap_or(0);
        self.answered = self.query.text.clone();
        self.cursor.set_len(self.shown.len());
        // While typing, the best match is selected; otherwise the selection stays put.
        if !self.is_filtered() {
            if let Some(pos) = selected_firm
                .and_then(|id| self.shown.iter().position(|(i, _)| self.all[*i].id == id))
            {
                self.cursor.select(pos);
            }
        } else {
            self.cursor.select(0);
        }
    }
}

/// Reads every firm, and their search keys (`background`: in a thread, as the first frame
/// needs only the names); returns the damaged records.
pub(super) fn load(app: &mut App, background: bool) -> Result<Vec<Damaged>, StoreError> {
    let loaded = app.store.firms()?;
    let mut all = loaded.records;
    // Alphabetical by pinyin, as a Chinese directory is ordered (Latin names fall in place).
    all.sort_by_cached_key(|firm| (search::sort_key(&firm.name), firm.name.clone()));
    app.lookup.firms = all.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    let state = &mut app.firms;
    let names = all
        .iter()
        .map(|f| (f.id, f.name.clone(), f.short_name.clone()))
        .collect();
    let reader = read_keys(app.store.clone(), names);
    state.all = all;
    state.keys = KeyTable::new();
    if background {
        let outbox = app.outbox.clone();
        state.pending_keys = Some(std::thread::spawn(move || {
            // A reader that panics still says so: the keys are then worked out on the spot.
            let keys = std::panic::catch_unwind(std::panic::AssertUnwindSafe(reader))
                .unwrap_or_else(|_| Err(StoreError::Engine("reading firm keys stopped".into())));
            // Says they are ready; `update` then takes them (the app may have quit).
            let done = super::Arrived::new(super::Done::FirmKeys);
            let _ = outbox.send(super::Action::Background(done));
            keys
        }));
    } else {
        state.keys = reader()?;
        state.pending_keys = None;
    }
    state.answered.clear();
    state.detail = None;
    state.refresh();
    Ok(loaded.damaged)
}

/// Reads the search keys of `firms`, in their order, packing each as it is read.
fn read_keys(
    store: Store,
    firms: Vec<(Id, String, String)>,
) -> impl FnOnce() -> Result<KeyTable, StoreError> + Send + 'static {
    move || {
        let mut table = KeyTable::new();
        for (id, name, short) in &firms {
            table.push(&store.firm_search_keys(*id, name, short)?);
        }
        table.finish();
        Ok(table)
    }
}

/// A firm's card: its visits (newest first) and items (open first, overdue first), read when
/// the card opens. One cursor runs over contacts, visits and items.
#[derive(Debug)]
pub struct FirmCard {
    pub firm: Id,
    pub visits: Vec<Visit>,
    pub issues: Vec<Issue>,
    pub cursor: Cursor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardRow {
    Contact(usize),
    Visit(usize),
    Issue(usize),
}

impl FirmCard {
    pub fn load(app: &App, firm: Id) -> Result<FirmCard, StoreError> {
        let mut visits = Vec::new();
        for id in app.store.visit_ids_of_firm(firm)? {
            if let Some(v) = app.store.visit(id)? {
                visits.push(v);
            }
        }
        visits.reverse();
        let mut issues = Vec::new();
        for (id, _) in app.store.issues_of_firm(firm)? {
            if let Some(i) = app.store.issue(id)? {
                issues.push(i);
            }
        }
        let today = app.today();
        issues.sort_by_key(|i| (!i.status.is_open(), !i.is_overdue(today), i.due, i.number));
        let contacts = app.firm(firm).map_or(0, |f| f.contacts.len());
        let mut cursor = Cursor::default();
        cursor.set_len(contacts + visits.len() + issues.len());
        Ok(FirmCard {
            firm,
            visits,
            issues,
            cursor,
        })
    }

    pub fn row(&self, contacts: usize, index: usize) -> Option<CardRow> {
        if index < contacts {
            Some(CardRow::Contact(index))
        } else if index < contacts + self.visits.len() {
            Some(CardRow::Visit(index - contacts))
        } else if index < contacts + self.visits.len() + self.issues.len() {
            Some(CardRow::Issue(index - contacts - self.visits.len()))
        } else {
            None
        }
    }
}
