//! Writing records: each with its indexes, counters and operations in one transaction.

use super::*;

impl Store {
    // ---- writes -----------------------------------------------------------------------

    /// Adds or updates a firm. Names are unique (ignoring case, width and spaces).
    pub fn put_firm(&self, firm: &Firm) -> Result<(), StoreError> {
        let firm = firm.clone().validated()?;
        self.transaction(|tx| tx_save_firm(tx, &firm))?;
        self.journal(|| vec![journal::Op::Firm(firm.clone())])?;
        self.flush()
    }

    pub fn put_department(&self, department: &Department) -> Result<(), StoreError> {
        self.transaction(|tx| {
            let old = tx_decode::<Department>(tx, DEPARTMENTS, department.id.as_bytes())?;
            let (kind, id) = (RecordKind::Department, department.id);
            oplog::tx_record_ops(tx, kind, id, old.as_ref(), department)?;
            tx_insert(tx, DEPARTMENTS, department.id.as_bytes(), department)
        })?;
        self.journal(|| vec![journal::Op::Department(department.clone())])?;
        self.flush()
    }

    pub fn put_category(&self, category: &Category) -> Result<(), StoreError> {
        self.transaction(|tx| {
            let old = tx_decode::<Category>(tx, CATEGORIES, category.id.as_bytes())?;
            let (kind, id) = (RecordKind::Category, category.id);
            oplog::tx_record_ops(tx, kind, id, old.as_ref(), category)?;
            tx_insert(tx, CATEGORIES, category.id.as_bytes(), category)
        })?;
        self.journal(|| vec![journal::Op::Category(category.clone())])?;
        self.flush()
    }

    /// Adds or updates a visit with its time and firm indexes.
    pub fn put_visit(&self, visit: &Visit) -> Result<(), StoreError> {
        let visit = visit.clone().validated()?;
        self.transaction(|tx| tx_save_visit(tx, &visit))?;
        self.journal(|| vec![journal::Op::Visit(visit.clone())])?;
        self.flush()
    }

    /// Raises a new item: allocates its #N, writes it, its indexes and its "created" event in
    /// one transaction, and flushes.
    pub fn create_issue(
        &self,
        draft: IssueDraft,
        author: &str,
        now: LocalTime,
    ) -> Result<Issue, StoreError> {
        let mut draft = draft;
        // Without a due date, the priority's service level sets one.
        if draft.due.is_none() {
            draft.due = Some(self.sla()?.due(draft.priority, now.date_naive()));
        }
        let template = draft.into_issue(Id::new(), 0, now)?;
        let created = IssueEvent::new(template.id, now, author, crate::model::Change::Created);
        let issue = self.transaction(|tx| {
            let mut issue = template.clone();
            issue.number = tx_next_number(tx)?;
            tx_save_issue(tx, &issue, std::slice::from_ref(&created))?;
            Ok(issue)
        })?;
        self.journal(|| issue_ops(&issue, std::slice::from_ref(&created)))?;
        self.flush()?;
        Ok(issue)
    }

    /// Saves several changed items with their events in one transaction and one flush: a
    /// bulk action is all done or not at all.
    pub fn save_issues(&self, changes: &[(Issue, Vec<IssueEvent>)]) -> Result<(), StoreError> {
        self.transaction(|tx| {
            let mut words = WordChanges::default();
            for (issue, events) in changes {
                tx_save_issue_into(tx, issue, events, &mut words)?;
            }
            words.tx_write(tx)
        })?;
        self.journal(|| {
            changes
                .iter()
                .flat_map(|(issue, events)| issue_ops(issue, events))
                .collect()
        })?;
        self.flush()
    }

    /// Saves a changed item together with the history events that describe the change.
    pub fn save_issue(&self, issue: &Issue, events: &[IssueEvent]) -> Result<(), StoreError> {
        self.transaction(|tx| tx_save_issue(tx, issue, events))?;
        self.journal(|| issue_ops(issue, events))?;
        self.flush()
    }

    /// Removes every record, index and counter (keeps the schema version and categories are
    /// re-created). Used by `demo --force`.
    pub fn clear(&self) -> Result<(), StoreError> {
        let journal = self.journal_keys()?;
        for tree in &self.trees {
            tree.clear()?;
        }
        // The journal goes on: what it holds before this entry no longer counts.
        self.keep_journal_keys(journal)?;
        // Emptied, it is a new database: there is nothing to migrate.
        self.initialise(&[])?;
        self.journal_whole_state()?;
        self.flush()
    }
}

/// A saved item and the events its change added, as the journal holds them.
pub(super) fn issue_ops(issue: &Issue, events: &[IssueEvent]) -> Vec<journal::Op> {
    let mut ops = vec![journal::Op::Issue(issue.clone())];
    ops.extend(events.iter().cloned().map(journal::Op::Event));
    ops
}
