//! Two records of one firm made one: the visits and items of the one merged move to the
//! other (each item with a history event), its contacts are added, and it is archived — in
//! one transaction, journaled like every confirmed write.

use super::{issue_ops, journal, tx_save_firm, tx_save_issue, tx_save_visit, Store, StoreError};
use crate::model::{Id, LocalTime};

/// What a merge moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FirmMerge {
    pub visits: usize,
    pub items: usize,
    pub contacts: usize,
}

impl Store {
    pub fn merge_firms(
        &self,
        from: Id,
        into: Id,
        author: &str,
        now: LocalTime,
    ) -> Result<FirmMerge, StoreError> {
        let missing = |id: Id| StoreError::NotFound {
            what: "firm",
            key: id.to_string(),
        };
        let mut gone = self.firm(from)?.ok_or_else(|| missing(from))?;
        let mut kept = self.firm(into)?.ok_or_else(|| missing(into))?;
        let mut visits = Vec::new();
        for id in self.visit_ids_of_firm(from)? {
            if let Some(mut visit) = self.visit(id)? {
                visit.firm = into;
                visits.push(visit);
            }
        }
        let mut items = Vec::new();
        for (id, _) in self.issues_of_firm(from)? {
            if let Some(mut issue) = self.issue(id)? {
                let events: Vec<_> = issue.set_firm(into, author, now).into_iter().collect();
                items.push((issue, events));
            }
        }
        let mut contacts = 0;
        for contact in std::mem::take(&mut gone.contacts) {
            let known = kept
                .contacts
                .iter()
                .any(|c| c.name == contact.name && c.phone == contact.phone);
            if !known {
                kept.contacts.push(contact);
                contacts += 1;
            }
        }
        // The merged record keeps nothing but its name, archived, so a search still finds
        // where its visits went.
        gone.archived = true;
        gone.updated = now;
        kept.updated = now;
        let (gone, kept) = (gone.validated()?, kept.validated()?);
        self.transaction(|tx| {
            tx_save_firm(tx, &kept)?;
            for visit in &visits {
                tx_save_visit(tx, visit)?;
            }
            for (issue, events) in &items {
                tx_save_issue(tx, issue, events)?;
            }
            tx_save_firm(tx, &gone)
        })?;
        self.journal(|| {
            let mut ops = vec![journal::Op::Firm(kept.clone())];
            ops.extend(visits.iter().cloned().map(journal::Op::Visit));
            for (issue, events) in &items {
                ops.extend(issue_ops(issue, events));
            }
            ops.push(journal::Op::Firm(gone.clone()));
            ops
        })?;
        self.flush()?;
        Ok(FirmMerge {
            visits: visits.len(),
            items: items.len(),
            contacts,
        })
    }
}
