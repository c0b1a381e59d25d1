//! Reading every record out for a backup, and writing a backup's records back into an empty
//! database through the store's own transaction steps, so that indexes, counters and derived
//! search data come out exactly as if the records had been written one by one.

use super::mark::{Operation, Unfinished};
use super::oplog_backup::{tx_restore_entry, LogEntry};
use super::*;
use super::{FieldHeads, ItemCode, LedgerState, PeerSeen};

pub(super) const META_BACKUPS_KEPT: &[u8] = b"backups_kept";
const META_WEEK_START: &[u8] = b"week_start";

/// Automatic backups kept when the setting was never changed.
pub const DEFAULT_BACKUPS_KEPT: u16 = 10;

/// What a person sets rather than records: carried by a backup with the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The author of history events; `None` until set.
    pub user: Option<String>,
    pub sla: Sla,
    /// How many automatic backups to keep; 0 turns them off.
    pub backups_kept: u16,
    /// Departments and categories retired (`Store::retired`).
    pub retired: Vec<Id>,
}

/// How many records of each kind are stored, counted from the trees themselves (not the
/// maintained counters), so a backup's header always matches what it goes on to write;
/// except the events, which would mean decoding every item's history: their maintained
/// counter, which `check` holds to the histories (and `repair` sets right).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordCounts {
    pub departments: u64,
    pub categories: u64,
    pub views: u64,
    pub firms: u64,
    pub visits: u64,
    pub issues: u64,
    pub events: u64,
}

/// The trees a restore never finds filled in a database it accepts: every record and index
/// tree except the categories, which a new database is born with.
fn holds_records(tree: usize) -> bool {
    // A new database's log holds its categories' creation.
    tree != META && tree != CATEGORIES && tree != OPLOG && tree != VERSIONS
}

impl Store {
    pub fn settings(&self) -> Result<Settings, StoreError> {
        Ok(Settings {
            user: self.user()?,
            sla: self.sla()?,
            backups_kept: self.backups_kept()?,
            retired: self.retired()?,
        })
    }

    /// How many automatic backups to keep (0: none are written).
    pub fn backups_kept(&self) -> Result<u16, StoreError> {
        Ok(self
            .get_meta(META_BACKUPS_KEPT)?
            .unwrap_or(DEFAULT_BACKUPS_KEPT))
    }

    /// The Agenda's first day of the week (a setting of this machine, not backed up).
    pub fn week_start(&self) -> Result<crate::model::when::WeekStart, StoreError> {
        let code: Option<String> = self.get_meta(META_WEEK_START)?;
        Ok(code
            .as_deref()
            .and_then(crate::model::when::WeekStart::parse)
            .unwrap_or_default())
    }

    pub fn set_week_start(&self, start: crate::model::when::WeekStart) -> Result<(), StoreError> {
        self.trees[META].insert(META_WEEK_START, codec::encode(&start.code().to_string()))?;
        self.flush()
    }

    pub fn set_backups_kept(&self, kept: u16) -> Result<(), StoreError> {
        self.trees[META].insert(META_BACKUPS_KEPT, codec::encode(&kept))?;
        match self.journal_settings() {
            // Turning backups off also ends the journal: one that cannot be written (its
            // directory is not writable) must not stop that.
            Err(_) if kept == 0 => {}
            other => other?,
        }
        self.flush()
    }

    /// The #N the next item will get.
    pub fn next_issue_number(&self) -> Result<u32, StoreError> {
        Ok(self.get_meta(META_NEXT_NUMBER)?.unwrap_or(1))
    }

    pub fn record_counts(&self) -> Result<RecordCounts, StoreError> {
        let len = |tree: usize| self.record_count(tree);
        Ok(RecordCounts {
            departments: len(DEPARTMENTS)?,
            categories: len(CATEGORIES)?,
            views: len(VIEWS)?,
            firms: len(FIRMS)?,
            visits: len(VISITS)?,
            issues: len(ISSUES)?,
            events: self.counts()?.events,
        })
    }

    /// True when a restore may write here: no records, no index entries (categories aside),
    /// or what an interrupted restore left behind.
    pub fn accepts_restore(&self) -> Result<bool, StoreError> {
        if self.restore_interrupted()? {
            return Ok(true);
        }
        if self.unfinished()?.is_some() {
            // Half of a demo or an import: not a restore's to replace.
            return Ok(false);
        }
        self.holds_no_records()
    }

    /// No records, no index entries (categories aside), whatever `meta` holds.
    pub(super) fn holds_no_records(&self) -> Result<bool, StoreError> {
        let mut filled = (0..self.trees.len()).filter(|&tree| holds_records(tree));
        Ok(!filled.any(|tree| !self.trees[tree].is_empty()))
    }

    /// A restore was started here and never finished (its mark, `Store::unfinished`).
    pub fn restore_interrupted(&self) -> Result<bool, StoreError> {
        Ok(self
            .unfinished()?
            .is_some_and(|mark| mark.operation == Operation::Restore))
    }

    // Records one at a time in key order, for a backup that must not hold the ledger in
    // memory. A record that cannot be decoded is an error: a backup that says it holds
    // everything must not quietly leave one out.

    pub fn scan_departments(&self) -> impl Iterator<Item = Result<Department, StoreError>> + '_ {
        self.scan(DEPARTMENTS)
    }

    pub fn scan_categories(&self) -> impl Iterator<Item = Result<Category, StoreError>> + '_ {
        self.scan(CATEGORIES)
    }

    pub fn scan_views(&self) -> impl Iterator<Item = Result<SavedView, StoreError>> + '_ {
        self.scan(VIEWS)
    }

    pub fn scan_firms(&self) -> impl Iterator<Item = Result<Firm, StoreError>> + '_ {
        self.scan(FIRMS)
    }

    pub fn scan_visits(&self) -> impl Iterator<Item = Result<Visit, StoreError>> + '_ {
        self.scan(VISITS)
    }

    pub fn scan_issues(&self) -> impl Iterator<Item = Result<Issue, StoreError>> + '_ {
        self.scan(ISSUES)
    }

    /// Every history event, by item and then by event id (time order within an item): one
    /// item's history decoded at a time.
    pub fn scan_events(&self) -> impl Iterator<Item = Result<IssueEvent, StoreError>> + '_ {
        self.scan::<History>(HISTORY)
            .flat_map(|history| -> Box<dyn Iterator<Item = _>> {
                match history {
                    Ok(history) => Box::new(history.events.into_iter().map(Ok)),
                    Err(e) => Box::new(std::iter::once(Err(e))),
                }
            })
    }

    fn scan<T: DeserializeOwned>(
        &self,
        tree: usize,
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.records_in_key_order(tree).map(move |entry| {
            let (key, value) = entry?;
            codec::decode(&value).map_err(|error| StoreError::Corrupt {
                tree: TREE_NAMES[tree],
                key: key_text(&key),
                error,
            })
        })
    }

    /// Starts writing a backup's records into this database, which must accept a restore
    /// (`StoreError::NotEmpty` otherwise). Its categories are replaced by the backup's. Until
    /// `Restore::finish`, the database is marked as holding an unfinished restore of `file`
    /// (`Store::unfinished`); dropping the `Restore` or calling `abandon` empties it again.
    pub fn restore(&self, file: Option<&Path>) -> Result<Restore<'_>, StoreError> {
        if !self.accepts_restore()? {
            return Err(StoreError::NotEmpty {
                path: self.path.clone(),
            });
        }
        if self.restore_interrupted()? {
            // Half a ledger from a restore that never finished: start from a new database.
            self.clear()?;
        }
        let snapshot = |tree: usize| -> Result<Vec<(sled::IVec, sled::IVec)>, StoreError> {
            Ok(self.trees[tree].iter().collect::<Result<_, _>>()?)
        };
        let restore = Restore {
            store: self,
            meta: snapshot(META)?,
            categories: snapshot(CATEGORIES)?,
            pending: Vec::new(),
            ledger: None,
            done: false,
        };
        self.trees[CATEGORIES].clear()?;
        // The restored records get their operations at the end (`Restore::finish`).
        for tree in [OPLOG, OP_HEADS, CONFLICTS, VERSIONS, PEERS, ITEM_CODES] {
            self.trees[tree].clear()?;
        }
        self.mark_unfinished(&Unfinished::new(Operation::Restore, file))?;
        // The records that follow in the journal are all the database holds.
        self.journal(|| vec![journal::Op::Cleared])?;
        self.flush()?;
        Ok(restore)
    }
}

enum Pending {
    Department(Department),
    Category(Category),
    View(SavedView),
    Firm(Firm),
    Visit(Visit),
    Issue(Issue),
    Event(IssueEvent),
    Log(LogEntry),
}

/// A restore in progress: see `Store::restore`. Records are written in transactions of a few
/// thousand, each through the same steps as the store's own writes.
pub struct Restore<'a> {
    store: &'a Store,
    /// What `meta` and `categories` held before, put back if the restore is abandoned.
    meta: Vec<(sled::IVec, sled::IVec)>,
    categories: Vec<(sled::IVec, sled::IVec)>,
    pending: Vec<Pending>,
    /// The backup's actor and clock, when it carries its operation log.
    ledger: Option<LedgerState>,
    done: bool,
}

impl Restore<'_> {
    pub fn department(&mut self, department: Department) -> Result<(), StoreError> {
        self.push(Pending::Department(department.validated()?))
    }

    pub fn category(&mut self, category: Category) -> Result<(), StoreError> {
        self.push(Pending::Category(category.validated()?))
    }

    pub fn view(&mut self, view: SavedView) -> Result<(), StoreError> {
        self.push(Pending::View(view.validated()?))
    }

    pub fn firm(&mut self, firm: Firm) -> Result<(), StoreError> {
        self.push(Pending::Firm(firm.validated()?))
    }

    /// Its firm must have been restored before it.
    pub fn visit(&mut self, visit: Visit) -> Result<(), StoreError> {
        self.push(Pending::Visit(visit.validated()?))
    }

    /// Keeps the item's #N, which no other item may have; its firm must be restored first.
    pub fn issue(&mut self, issue: Issue) -> Result<(), StoreError> {
        self.push(Pending::Issue(issue.validated()?))
    }

    /// One history event; its item must be restored first.
    pub fn event(&mut self, event: IssueEvent) -> Result<(), StoreError> {
        self.push(Pending::Event(event.validated()?))
    }

    /// The backed-up ledger's actor and clock: the restored database becomes that ledger
    /// (with the log that follows) instead of starting a log of its own.
    pub fn ledger(&mut self, state: LedgerState) {
        self.ledger = Some(state);
    }

    /// One operation of the log, in the order of the log (actor, then sequence number).
    pub fn op(&mut self, op: super::oplog::Op) -> Result<(), StoreError> {
        self.push(Pending::Log(LogEntry::Op(op)))
    }

    pub fn heads(&mut self, heads: FieldHeads) -> Result<(), StoreError> {
        self.push(Pending::Log(LogEntry::Heads(heads)))
    }

    pub fn peer(&mut self, peer: PeerSeen) -> Result<(), StoreError> {
        self.push(Pending::Log(LogEntry::Peer(peer)))
    }

    pub fn item_code(&mut self, code: ItemCode) -> Result<(), StoreError> {
        self.push(Pending::Log(LogEntry::ItemCode(code)))
    }

    fn push(&mut self, record: Pending) -> Result<(), StoreError> {
        self.pending.push(record);
        if self.pending.len() >= BULK_CHUNK {
            self.write()?;
        }
        Ok(())
    }

    fn write(&mut self) -> Result<(), StoreError> {
        let pending = &self.pending;
        self.store.transaction(|tx| {
            let mut events = 0;
            for record in pending {
                match record {
                    Pending::Department(d) => tx_insert(tx, DEPARTMENTS, d.id.as_bytes(), d)?,
                    Pending::Category(c) => tx_insert(tx, CATEGORIES, c.id.as_bytes(), c)?,
                    Pending::View(v) => tx_insert(tx, VIEWS, v.id.as_bytes(), v)?,
                    Pending::Firm(firm) => {
                        tx_refuse_existing(tx, FIRMS, firm.id.as_bytes(), || {
                            duplicate("firm", firm.id.to_string())
                        })?;
                        tx_put_firm(tx, firm)?;
                    }
                    Pending::Visit(visit) => {
                        tx_refuse_existing(tx, VISITS, visit.id.as_bytes(), || {
                            duplicate("visit", visit.id.to_string())
                        })?;
                        tx_put_visit(tx, visit)?;
                    }
                    Pending::Issue(issue) => {
                        tx_refuse_existing(tx, ISSUES, issue.id.as_bytes(), || {
                            duplicate("item", issue.id.to_string())
                        })?;
                        let number = keys::issue_number(issue.number);
                        if grouped::tx_index_get(tx, IDX_ISSUE_NUMBER, &number)?.is_some() {
                            return abort(duplicate("item number", format!("#{}", issue.number)));
                        }
                        tx_put_issue(tx, issue, &[])?;
                    }
                    Pending::Event(event) => {
                        tx_restore_event(tx, event)?;
                        events += 1;
                    }
                    Pending::Log(entry) => tx_restore_entry(tx, entry)?,
                }
            }
            tx_add(tx, Counter::Events, events)
        })?;
        self.store.journal_unsynced(|| {
            pending
                .iter()
                .filter_map(|record| {
                    Some(match record {
                        Pending::Department(d) => journal::Op::Department(d.clone()),
                        Pending::Category(c) => journal::Op::Category(c.clone()),
                        Pending::View(v) => journal::Op::View(v.clone()),
                        Pending::Firm(f) => journal::Op::Firm(f.clone()),
                        Pending::Visit(v) => journal::Op::Visit(v.clone()),
                        Pending::Issue(i) => journal::Op::Issue(i.clone()),
                        Pending::Event(e) => journal::Op::Event(e.clone()),
                        // The journal holds records; the log comes back from the backup.
                        Pending::Log(_) => return None,
                    })
                })
                .collect()
        })?;
        self.pending.clear();
        Ok(())
    }

    /// Writes what is left, then the settings and the next item number, clears the mark of an
    /// unfinished restore and makes it all durable.
    pub fn finish(mut self, settings: &Settings, next_issue_number: u32) -> Result<(), StoreError> {
        self.write()?;
        let meta = &self.store.trees[META];
        let mut batch = sled::Batch::default();
        match &settings.user {
            Some(user) => batch.insert(META_USER, codec::encode(user)),
            None => batch.remove(META_USER),
        }
        batch.insert(META_SLA, codec::encode(&settings.sla));
        batch.insert(META_BACKUPS_KEPT, codec::encode(&settings.backups_kept));
        batch.insert(META_NEXT_NUMBER, codec::encode(&next_issue_number));
        batch.insert(super::lists::META_RETIRED, codec::encode(&settings.retired));
        meta.apply_batch(batch)?;
        match self.ledger {
            // The ledger backed up, with its log: the same actor, so its peers see no record
            // twice.
            Some(state) => self.store.take_ledger(state)?,
            // A backup from before the log: the records join others under this database's
            // actor.
            None => self.store.adopt_records()?,
        }
        self.store.journal_settings()?;
        self.store.flush()?;
        // Cleared only once everything else is durable.
        self.store.clear_unfinished()?;
        self.done = true;
        Ok(())
    }

    /// Takes back everything written so far: the database is as it was before the restore.
    pub fn abandon(mut self) -> Result<(), StoreError> {
        self.done = true;
        self.roll_back()
    }

    fn roll_back(&mut self) -> Result<(), StoreError> {
        for tree in &self.store.trees {
            tree.clear()?;
        }
        for (tree, saved) in [(META, &self.meta), (CATEGORIES, &self.categories)] {
            let mut batch = sled::Batch::default();
            for (key, value) in saved {
                batch.insert(key, value);
            }
            self.store.trees[tree].apply_batch(batch)?;
        }
        self.store.adopt_records()?;
        self.store.journal_whole_state()?;
        self.store.flush()
    }
}

impl Drop for Restore<'_> {
    /// An error returned through `?` (or a panic) between `Store::restore` and `finish` must
    /// not leave half a ledger behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = self.roll_back();
        }
    }
}

fn duplicate(what: &'static str, key: String) -> StoreError {
    StoreError::Duplicate { what, key }
}

/// A restore adds records, never replaces one: a second record with the same key means the
/// backup repeats itself.
fn tx_refuse_existing(
    tx: &[TransactionalTree],
    tree: usize,
    key: &[u8],
    error: impl FnOnce() -> StoreError,
) -> TxResult<()> {
    if records::tx_record_get(tx, tree, key)?.is_some() {
        return abort(error());
    }
    Ok(())
}

/// Adds one history event to the history of an item already written, with its responses,
/// as `tx_put_issue` does (a damaged history aborts). The caller counts the events.
fn tx_restore_event(tx: &[TransactionalTree], event: &IssueEvent) -> TxResult<()> {
    let key = event.issue.as_bytes();
    if records::tx_record_get(tx, ISSUES, key)?.is_none() {
        return abort(StoreError::NotFound {
            what: "item",
            key: event.issue.to_string(),
        });
    }
    let mut history: History = tx_decode(tx, HISTORY, key)?.unwrap_or_default();
    if history.contains(event.id) {
        return abort(duplicate("history event", event.id.to_string()));
    }
    let before = std::mem::take(&mut history.responses);
    history.upsert(event.clone());
    history.refresh();
    tx_insert(tx, HISTORY, key, &history)?;
    super::words::tx_responses_changed(tx, event.issue, &before, &history.responses)
}

#[cfg(test)]
mod tests;
