//! The ids an index gives for a filter's narrowest condition (`ItemSource`), so that listing
//! or exporting the open, the overdue, one numbered item or the items holding a word reads
//! those items only.

use crate::model::Id;
use crate::query::{ItemSource, Resolved};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;

/// The order a caller reads the ids in: the due index's (an export streaming in due order),
/// or storage order, which the caller sorts them into anyway (the word index's ids come so;
/// putting them in due order would read each item once more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdOrder {
    Due,
    Storage,
}

/// The ids of the items `source` bounds, in the due order (open items soonest due first)
/// when `order` asks for it;
/// `None` for `ItemSource::All`, which no index narrows.
pub fn indexed_ids(
    store: &Store,
    filter: &Resolved,
    source: ItemSource,
    order: IdOrder,
    today: NaiveDate,
) -> Result<Option<Vec<Id>>, StoreError> {
    Ok(Some(match source {
        ItemSource::Number(n) => store.issue_id_by_number(n)?.into_iter().collect(),
        ItemSource::Words => {
            let words = ItemSource::bounding_words(filter);
            match store.issue_ids_with_words(&words)? {
                Some(ids) if order == IdOrder::Due => in_due_order(store, ids),
                Some(ids) => ids,
                None => return Ok(None),
            }
        }
        ItemSource::Overdue => store.overdue_ids(today)?,
        ItemSource::Open => store.open_issue_ids()?,
        ItemSource::All => return Ok(None),
    }))
}

/// The items in the due index's order (open first, soonest due first, then by id), each read
/// for its due key; one that cannot be read goes first, for the reader to report.
fn in_due_order(store: &Store, ids: Vec<Id>) -> Vec<Id> {
    let mut keyed: Vec<(Vec<u8>, Id)> = ids
        .into_iter()
        .map(|id| {
            let key = match store.issue(id) {
                Ok(Some(issue)) => crate::store::keys::issue_due(&issue),
                _ => Vec::new(),
            };
            (key, id)
        })
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, id)| id).collect()
}
