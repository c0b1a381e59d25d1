//! Writing many records in few transactions (`Store::bulk`).

use super::*;

impl Store {
    /// Writes many records in few transactions, flushing once at the end: for seeding and
    /// imports. Items get their #N here, in order.
    pub fn bulk(&self) -> Bulk<'_> {
        Bulk {
            store: self,
            firms: Vec::new(),
            visits: Vec::new(),
            issues: Vec::new(),
            changed: Vec::new(),
            loading: None,
        }
    }

    /// As `bulk`, for a database being filled from nothing that nobody reads until it is done
    /// (`demo`'s scratch database): items are gathered in memory and merged into their groups
    /// a few hundred megabytes at a time, without transactions. A process stopped part way
    /// leaves the database inconsistent. Holding items already, it is `bulk`.
    pub fn load_into_empty(&self) -> Result<Bulk<'_>, StoreError> {
        let mut bulk = self.bulk();
        // Loaded around the journal's entries, a journaled database would need a full backup
        // at once: its items go through transactions and the journal instead.
        if !self.journaling() {
            bulk.loading = loader::Loading::start(self)?;
        }
        Ok(bulk)
    }
}

/// A batch of records written by `Store::bulk`.
pub struct Bulk<'a> {
    store: &'a Store,
    firms: Vec<Firm>,
    visits: Vec<Visit>,
    issues: Vec<(Issue, Vec<IssueEvent>)>,
    /// Items already stored, changed, with the events of their changes.
    changed: Vec<(Issue, Vec<IssueEvent>)>,
    /// Items gathered without transactions (`Store::load_into_empty`).
    pub(super) loading: Option<loader::Loading>,
}

/// Records a transaction of `Store::bulk` holds; each transaction is all written or none of
/// it. 10,000 saved about 8% of an import's CPU but held 400 MB in sled's transaction.
pub(super) const BULK_CHUNK: usize = 2_000;

impl Bulk<'_> {
    pub fn firm(&mut self, firm: Firm) -> Result<(), StoreError> {
        self.firms.push(firm.validated()?);
        self.maybe_write()
    }

    pub fn visit(&mut self, visit: Visit) -> Result<(), StoreError> {
        self.visits.push(visit.validated()?);
        self.maybe_write()
    }

    /// The item's `number` is replaced by the next free one.
    pub fn issue(&mut self, issue: Issue, events: Vec<IssueEvent>) -> Result<(), StoreError> {
        if self.loading.is_some() {
            if !self.firms.is_empty() || !self.visits.is_empty() {
                // Its firm must be written first.
                self.write()?;
            }
            if let Some(loading) = self.loading.as_mut() {
                return loading.issue(self.store, issue, events);
            }
        }
        self.issues.push((issue, events));
        self.maybe_write()
    }

    /// An item already stored, changed as `events` say; it keeps its #N.
    pub fn update(&mut self, issue: Issue, events: Vec<IssueEvent>) -> Result<(), StoreError> {
        self.changed.push((issue, events));
        self.maybe_write()
    }

    fn maybe_write(&mut self) -> Result<(), StoreError> {
        let pending = self.firms.len() + self.visits.len() + self.issues.len();
        if pending + self.changed.len() >= BULK_CHUNK {
            self.write()?;
        }
        Ok(())
    }

    fn write(&mut self) -> Result<(), StoreError> {
        let (firms, visits, issues) = (&self.firms, &self.visits, &self.issues);
        let changed = &self.changed;
        let numbers = self.store.transaction(|tx| {
            for firm in firms {
                tx_save_firm(tx, firm)?;
            }
            for visit in visits {
                tx_save_visit(tx, visit)?;
            }
            let mut words = WordChanges::default();
            let numbers = bulk_add::tx_add_issues(tx, issues, &mut words)?;
            for (issue, events) in changed {
                tx_save_issue_into(tx, issue, events, &mut words)?;
            }
            words.tx_write(tx)?;
            Ok(numbers)
        })?;
        self.store.journal_unsynced(|| {
            let mut ops: Vec<journal::Op> = firms.iter().cloned().map(journal::Op::Firm).collect();
            ops.extend(visits.iter().cloned().map(journal::Op::Visit));
            for ((issue, events), number) in issues.iter().zip(numbers) {
                let mut issue = issue.clone();
                issue.number = number;
                ops.extend(issue_ops(&issue, events));
            }
            // Items an import updated (matched to its rows).
            for (issue, events) in changed {
                ops.extend(issue_ops(issue, events));
            }
            ops
        })?;
        self.changed.clear();
        self.firms.clear();
        self.visits.clear();
        self.issues.clear();
        Ok(())
    }

    /// Writes what is left and makes it all durable.
    pub fn finish(mut self) -> Result<(), StoreError> {
        self.write()?;
        if let Some(loading) = self.loading.as_mut() {
            loading.write(self.store)?;
        }
        self.store.journal_sync()?;
        self.store.flush()
    }
}
