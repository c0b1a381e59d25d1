//! The items a filter tests: a stored item, and one with its responses' texts.

use super::{Item, Needle};
use crate::model::{Id, Priority, Status};
use chrono::NaiveDate;

impl Item for crate::model::Issue {
    fn number(&self) -> u32 {
        self.number
    }
    fn status(&self) -> Status {
        self.status
    }
    fn priority(&self) -> Priority {
        self.priority
    }
    fn department(&self) -> Option<Id> {
        self.department
    }
    fn category(&self) -> Option<Id> {
        self.category
    }
    fn firm(&self) -> Id {
        self.firm
    }
    fn due(&self) -> Option<NaiveDate> {
        self.due
    }
    fn raised_in_visit(&self) -> bool {
        self.visit.is_some()
    }
    fn owner(&self) -> &str {
        &self.owner
    }
    fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
    fn awaiting_call(&self) -> bool {
        crate::model::Issue::awaiting_call(self)
    }
    fn raised(&self) -> NaiveDate {
        self.created.date_naive()
    }
    fn closed(&self) -> Option<NaiveDate> {
        self.closed.map(|c| c.date_naive())
    }
    /// Title, detail and the resolution; responses live in the history, which callers that
    /// need them search through `QueueRow`.
    fn contains_text(&self, needle: &Needle) -> bool {
        needle.found_in(&self.title.to_lowercase())
            || needle.found_in(&self.detail.to_lowercase())
            || self
                .resolution
                .as_ref()
                .is_some_and(|r| needle.found_in(&r.text.to_lowercase()))
    }
}

/// An item with its response texts (`Store::response_text`), so that text search covers
/// what departments answered.
pub struct WithResponses<'a> {
    pub issue: &'a crate::model::Issue,
    pub responses: &'a str,
}

impl Item for WithResponses<'_> {
    fn number(&self) -> u32 {
        self.issue.number
    }
    fn status(&self) -> Status {
        self.issue.status
    }
    fn priority(&self) -> Priority {
        self.issue.priority
    }
    fn department(&self) -> Option<Id> {
        self.issue.department
    }
    fn category(&self) -> Option<Id> {
        self.issue.category
    }
    fn firm(&self) -> Id {
        self.issue.firm
    }
    fn due(&self) -> Option<NaiveDate> {
        self.issue.due
    }
    fn raised_in_visit(&self) -> bool {
        self.issue.visit.is_some()
    }
    fn owner(&self) -> &str {
        &self.issue.owner
    }
    fn has_tag(&self, tag: &str) -> bool {
        self.issue.has_tag(tag)
    }
    fn awaiting_call(&self) -> bool {
        self.issue.awaiting_call()
    }
    fn raised(&self) -> NaiveDate {
        self.issue.raised()
    }
    fn closed(&self) -> Option<NaiveDate> {
        self.issue.closed()
    }
    fn contains_text(&self, needle: &Needle) -> bool {
        self.issue.contains_text(needle) || needle.found_in(self.responses)
    }
}
