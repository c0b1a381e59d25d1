//! What the queue keeps of an item, borrowed from wherever it was read: a whole `Issue`, or
//! the stored record's bytes (`store::summaries`), so that reading a million items at start
//! does not build and free each one's detail, resolution and chrono times.

use super::{Issue, Priority, Status};
use crate::model::{Id, Moment};
use chrono::NaiveDate;

/// An item's fields a queue row is made of; named as in `Issue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueSummary<'a> {
    pub id: Id,
    pub number: u32,
    pub firm: Id,
    pub visit: Option<Id>,
    pub title: &'a str,
    pub category: Option<Id>,
    pub department: Option<Id>,
    pub owner: &'a str,
    pub priority: Priority,
    pub status: Status,
    pub due: Option<NaiveDate>,
    pub created: Moment,
    pub updated: Moment,
    pub tags: Vec<&'a str>,
    pub closed: Option<Moment>,
}

impl IssueSummary<'_> {
    /// As `Issue::awaiting_call`: closed, and not changed since.
    pub fn awaiting_call(&self) -> bool {
        self.status == Status::Closed
            && self
                .closed
                .is_some_and(|closed| closed.same_instant(&self.updated))
    }
}

impl Issue {
    pub fn summary(&self) -> IssueSummary<'_> {
        IssueSummary {
            id: self.id,
            number: self.number,
            firm: self.firm,
            visit: self.visit,
            title: &self.title,
            category: self.category,
            department: self.department,
            owner: &self.owner,
            priority: self.priority,
            status: self.status,
            due: self.due,
            created: Moment::of(&self.created),
            updated: Moment::of(&self.updated),
            tags: self.tags.iter().map(String::as_str).collect(),
            closed: self.closed.as_ref().map(Moment::of),
        }
    }
}
