//! Managing departments and categories: which are retired, and moving every item from one
//! to another (a merge).
//!
//! Retired ids are one small meta value (a list of ids) rather than a flag on the records:
//! a field added to `Department` or `Category` would change their encoding and need a schema
//! migration. The list travels with the settings in the journal and the backup.

use super::{codec, Store, StoreError, META};
use crate::model::{Id, Issue, IssueEvent, LocalTime};

pub(super) const META_RETIRED: &[u8] = b"retired";

/// Which field of an item a merge moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Department,
    Category,
}

impl Store {
    /// Departments and categories no longer offered for new items, kept for the items that
    /// name them.
    pub fn retired(&self) -> Result<Vec<Id>, StoreError> {
        Ok(self.get_meta(META_RETIRED)?.unwrap_or_default())
    }

    pub fn is_retired(&self, id: Id) -> Result<bool, StoreError> {
        Ok(self.retired()?.contains(&id))
    }

    /// Retires (or brings back) one department or category.
    pub fn set_retired(&self, id: Id, retired: bool) -> Result<(), StoreError> {
        let mut ids = self.retired()?;
        ids.retain(|r| *r != id);
        if retired {
            ids.push(id);
        }
        self.trees[META].insert(META_RETIRED, codec::encode(&ids))?;
        self.journal_settings()?;
        self.flush()
    }

    /// Every item whose department (or category) is `from` handed to (or filed under) `into`,
    /// each with its history event, in one transaction. The caller retires `from` after: a
    /// merge stopped in between leaves `from` empty and is finished by running it again.
    /// Returns the numbers of the items moved.
    pub fn merge_into(
        &self,
        kind: ListKind,
        from: Id,
        into: Id,
        author: &str,
        now: LocalTime,
    ) -> Result<Vec<u32>, StoreError> {
        let mut changes: Vec<(Issue, Vec<IssueEvent>)> = Vec::new();
        for issue in self.scan_issues() {
            let mut issue = issue?;
            let event = match kind {
                ListKind::Department if issue.department == Some(from) => {
                    issue.assign(Some(into), author, now)
                }
                ListKind::Category if issue.category == Some(from) => {
                    issue.set_category(Some(into), author, now)
                }
                _ => None,
            };
            if let Some(event) = event {
                changes.push((issue, vec![event]));
            }
        }
        if !changes.is_empty() {
            self.save_issues(&changes)?;
        }
        Ok(changes.iter().map(|(i, _)| i.number).collect())
    }
}
