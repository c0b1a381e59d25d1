//! The ids an index gives for a filter's narrowest condition (`ItemSource`), so that listing
//! or exporting the open, the overdue or one numbered item reads those items only.

use crate::model::Id;
use crate::query::ItemSource;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;

/// The ids of the items `source` bounds, in the due order (open items soonest due first);
/// `None` for `ItemSource::All`, which no index narrows.
pub fn indexed_ids(
    store: &Store,
    source: ItemSource,
    today: NaiveDate,
) -> Result<Option<Vec<Id>>, StoreError> {
    Ok(Some(match source {
        ItemSource::Number(n) => store.issue_id_by_number(n)?.into_iter().collect(),
        ItemSource::Overdue => store.overdue_ids(today)?,
        ItemSource::Open => store.open_issue_ids()?,
        ItemSource::All => return Ok(None),
    }))
}
