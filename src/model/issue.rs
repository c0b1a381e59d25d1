use super::rules::{Field, FieldError, Problem};
use super::{Id, LocalTime, Verdict};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod event;
mod summary;
mod validate;
mod values;
pub use event::{Change, IssueEvent};
pub use summary::IssueSummary;
pub use validate::{clean_author, clean_tag, split_tags};
use validate::{
    clean_detail, clean_owner, clean_resolution, clean_response, clean_tags, clean_title,
};
pub use values::{Priority, Resolution, ResolutionKind, Status};

/// A firm's follow-up item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub id: Id,
    /// The short number people say (#12), unique in the database.
    pub number: u32,
    pub firm: Id,
    /// The visit it was raised in, if any.
    pub visit: Option<Id>,
    pub title: String,
    pub detail: String,
    pub category: Option<Id>,
    pub department: Option<Id>,
    pub owner: String,
    pub priority: Priority,
    pub status: Status,
    pub due: Option<NaiveDate>,
    pub resolution: Option<Resolution>,
    pub created: LocalTime,
    pub updated: LocalTime,
    /// Labels such as `专班` or `省重点`, in the order given, each once. Added in schema v3;
    /// a backup or journal of v2 has none (`default`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// When it was last closed (none while open), for `closed:2025-12`. Added in schema v3:
    /// a closed item of v2 takes it from its history (the migration), or from its last
    /// change (a v2 backup).
    #[serde(default)]
    pub closed: Option<LocalTime>,
}

/// What a person fills in to raise an item; the store gives it an id and a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueDraft {
    pub firm: Id,
    pub visit: Option<Id>,
    pub title: String,
    pub detail: String,
    pub category: Option<Id>,
    pub department: Option<Id>,
    pub owner: String,
    pub priority: Priority,
    pub due: Option<NaiveDate>,
}

pub const TITLE_MAX: usize = 200;
pub const DETAIL_MAX: usize = 20_000;
pub const OWNER_MAX: usize = 60;
/// The longest name written as the author of history events: the user setting.
pub const AUTHOR_MAX: usize = 60;
/// The longest tag; a tag is a short label.
pub const TAG_MAX: usize = 30;

impl IssueDraft {
    pub fn new(firm: Id, title: &str) -> IssueDraft {
        IssueDraft {
            firm,
            visit: None,
            title: title.to_string(),
            detail: String::new(),
            category: None,
            department: None,
            owner: String::new(),
            priority: Priority::Normal,
            due: None,
        }
    }

    /// Builds the item. An item handed to a department at creation starts as assigned.
    pub fn into_issue(self, id: Id, number: u32, now: LocalTime) -> Result<Issue, FieldError> {
        let issue = Issue {
            id,
            number,
            firm: self.firm,
            visit: self.visit,
            title: self.title,
            detail: self.detail,
            category: self.category,
            department: self.department,
            owner: self.owner,
            priority: self.priority,
            status: if self.department.is_some() {
                Status::Assigned
            } else {
                Status::New
            },
            due: self.due,
            resolution: None,
            created: now,
            updated: now,
            tags: Vec::new(),
            closed: None,
        }
        .validated()?;
        if let Some(due) = issue.due {
            if due < now.date_naive() {
                return Err(FieldError::new(Field::Due, Problem::DueBeforeCreated));
            }
        }
        Ok(issue)
    }
}

/// The first day the due date may fall on: the day the item was raised.
fn check_due(issue: &Issue, due: Option<NaiveDate>) -> Result<(), FieldError> {
    match due {
        Some(d) if d < issue.created.date_naive() => {
            Err(FieldError::new(Field::Due, Problem::DueBeforeCreated))
        }
        _ => Ok(()),
    }
}

impl Issue {
    fn event(&mut self, author: &str, now: LocalTime, change: Change) -> IssueEvent {
        self.updated = now;
        IssueEvent::new(self.id, now, author, change)
    }

    /// Hands the item to a department (or takes it back with `None`). A new item becomes
    /// assigned; an assigned one given back becomes new again: the department is what the
    /// status says.
    pub fn assign(
        &mut self,
        department: Option<Id>,
        author: &str,
        now: LocalTime,
    ) -> Option<IssueEvent> {
        if self.department == department {
            return None;
        }
        let from = self.department;
        self.department = department;
        match (self.status, department) {
            (Status::New, Some(_)) => self.status = Status::Assigned,
            (Status::Assigned, None) => self.status = Status::New,
            _ => {}
        }
        Some(self.event(
            author,
            now,
            Change::Department {
                from,
                to: department,
            },
        ))
    }

    pub fn set_priority(
        &mut self,
        priority: Priority,
        author: &str,
        now: LocalTime,
    ) -> Option<IssueEvent> {
        if self.priority == priority {
            return None;
        }
        let from = std::mem::replace(&mut self.priority, priority);
        Some(self.event(author, now, Change::Priority { from, to: priority }))
    }

    pub fn set_due(
        &mut self,
        due: Option<NaiveDate>,
        author: &str,
        now: LocalTime,
    ) -> Result<Option<IssueEvent>, FieldError> {
        check_due(self, due)?;
        if self.due == due {
            return Ok(None);
        }
        let from = std::mem::replace(&mut self.due, due);
        Ok(Some(self.event(author, now, Change::Due { from, to: due })))
    }

    pub fn set_category(
        &mut self,
        category: Option<Id>,
        author: &str,
        now: LocalTime,
    ) -> Option<IssueEvent> {
        if self.category == category {
            return None;
        }
        let from = std::mem::replace(&mut self.category, category);
        Some(self.event(author, now, Change::Category { from, to: category }))
    }

    /// Moves the item to another firm (the same firm recorded twice, merged).
    pub fn set_firm(&mut self, firm: Id, author: &str, now: LocalTime) -> Option<IssueEvent> {
        if self.firm == firm {
            return None;
        }
        let from = std::mem::replace(&mut self.firm, firm);
        Some(self.event(author, now, Change::Firm { from, to: firm }))
    }

    /// Corrects the title, with the same rules as raising an item.
    pub fn set_title(
        &mut self,
        title: &str,
        author: &str,
        now: LocalTime,
    ) -> Result<Option<IssueEvent>, FieldError> {
        let title = clean_title(title)?;
        Ok(self.replace_text(
            |i| &mut i.title,
            title,
            author,
            now,
            |from, to| Change::Title { from, to },
        ))
    }

    pub fn set_detail(
        &mut self,
        detail: &str,
        author: &str,
        now: LocalTime,
    ) -> Result<Option<IssueEvent>, FieldError> {
        let detail = clean_detail(detail)?;
        Ok(self.replace_text(
            |i| &mut i.detail,
            detail,
            author,
            now,
            |from, to| Change::Detail { from, to },
        ))
    }

    pub fn set_owner(
        &mut self,
        owner: &str,
        author: &str,
        now: LocalTime,
    ) -> Result<Option<IssueEvent>, FieldError> {
        let owner = clean_owner(owner)?;
        Ok(self.replace_text(
            |i| &mut i.owner,
            owner,
            author,
            now,
            |from, to| Change::Owner { from, to },
        ))
    }

    /// Puts an already cleaned text in its field and records the change; none when it is
    /// the same.
    fn replace_text(
        &mut self,
        field: fn(&mut Issue) -> &mut String,
        text: String,
        author: &str,
        now: LocalTime,
        change: fn(String, String) -> Change,
    ) -> Option<IssueEvent> {
        if *field(self) == text {
            return None;
        }
        let from = std::mem::replace(field(self), text.clone());
        Some(self.event(author, now, change(from, text)))
    }

    /// Adds `add` and removes `remove` (tags as typed; each is cleaned, blanks and repeats
    /// dropped); one event holds what was added and what removed. None when nothing changes.
    pub fn change_tags(
        &mut self,
        add: &[String],
        remove: &[String],
        author: &str,
        now: LocalTime,
    ) -> Result<Option<IssueEvent>, FieldError> {
        let add = clean_tags(add)?;
        let remove = clean_tags(remove)?;
        let added: Vec<String> = add
            .into_iter()
            .filter(|t| !self.tags.contains(t) && !remove.contains(t))
            .collect();
        let removed: Vec<String> = remove
            .into_iter()
            .filter(|t| self.tags.contains(t))
            .collect();
        if added.is_empty() && removed.is_empty() {
            return Ok(None);
        }
        let mut tags = self.tags.clone();
        tags.retain(|t| !removed.contains(t));
        tags.extend(added.iter().cloned());
        self.tags = clean_tags(&tags)?;
        Ok(Some(self.event(
            author,
            now,
            Change::Tags { added, removed },
        )))
    }

    /// Records a department's response; `to_firm` marks it as the answer the firm was given.
    pub fn respond(
        &mut self,
        text: &str,
        to_firm: bool,
        author: &str,
        now: LocalTime,
    ) -> Result<IssueEvent, FieldError> {
        let text = clean_response(text)?;
        Ok(self.event(author, now, Change::Response { text, to_firm }))
    }

    /// Closed and not changed since: its follow-up call (回访), which would be a change, is
    /// still to be made. Read from the record alone, so that a million-item queue filters by
    /// it; a closed item edited afterwards (a tag) no longer counts as awaiting.
    pub fn awaiting_call(&self) -> bool {
        self.status == Status::Closed && self.closed == Some(self.updated)
    }

    /// Records the follow-up call of a closed item; the item itself does not change.
    pub fn record_call(
        &mut self,
        verdict: super::Verdict,
        note: &str,
        day: NaiveDate,
        author: &str,
        now: LocalTime,
    ) -> Result<IssueEvent, FieldError> {
        // The call follows the close: not before it, nor on an open item.
        let closed_on = self.closed.map(|c| c.date_naive());
        if self.status != Status::Closed || closed_on.is_some_and(|c| day < c) {
            return Err(FieldError::new(Field::Status, Problem::CallNeedsClosed));
        }
        let note = validate::clean_call_note(note)?;
        Ok(self.event(author, now, Change::Call { verdict, note, day }))
    }

    /// Puts back what `event` changed, checking nothing but that it can be undone: undo
    /// restores the earlier state even where the life cycle would not go back that way.
    pub fn revert(
        &mut self,
        event: &IssueEvent,
        before: &Issue,
        author: &str,
        now: LocalTime,
    ) -> IssueEvent {
        self.firm = before.firm;
        self.title = before.title.clone();
        self.detail = before.detail.clone();
        self.department = before.department;
        self.priority = before.priority;
        self.due = before.due;
        self.category = before.category;
        self.owner = before.owner.clone();
        self.status = before.status;
        self.resolution = before.resolution.clone();
        self.tags = before.tags.clone();
        self.closed = before.closed;
        let change = event.change.inverse().map(Box::new);
        self.event(
            author,
            now,
            Change::Reverted {
                event: event.id,
                change,
            },
        )
    }

    /// Does again what `events` changed after they were undone: the fields as in `after`, and
    /// each change written again as a new event (the history shows the redo).
    pub fn redo(
        &mut self,
        events: &[IssueEvent],
        after: &Issue,
        author: &str,
        now: LocalTime,
    ) -> Vec<IssueEvent> {
        self.firm = after.firm;
        self.title = after.title.clone();
        self.detail = after.detail.clone();
        self.department = after.department;
        self.priority = after.priority;
        self.due = after.due;
        self.category = after.category;
        self.owner = after.owner.clone();
        self.status = after.status;
        self.resolution = after.resolution.clone();
        self.tags = after.tags.clone();
        self.closed = after.closed;
        events
            .iter()
            .map(|e| self.event(author, now, e.change.clone()))
            .collect()
    }

    /// Overdue: still open and its due day has passed in the officer's calendar.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|due| due < today)
    }

    /// A status an officer chose: as `change_status`, and `assigned` only for an item handed
    /// to a department (an import may walk through it to reach an older state).
    pub fn set_status(
        &mut self,
        to: Status,
        resolution: Option<Resolution>,
        author: &str,
        now: LocalTime,
    ) -> Result<IssueEvent, FieldError> {
        if to == Status::Assigned && self.department.is_none() {
            return Err(FieldError::new(
                Field::Status,
                Problem::AssignedNeedsDepartment,
            ));
        }
        self.change_status(to, resolution, author, now)
    }

    /// Moves the item along the life cycle and returns the history event. Closing needs a
    /// resolution (what the firm was told); reopening clears it.
    pub fn change_status(
        &mut self,
        to: Status,
        resolution: Option<Resolution>,
        author: &str,
        now: LocalTime,
    ) -> Result<IssueEvent, FieldError> {
        let from = self.status;
        if !from.can_become(to) {
            return Err(FieldError::new(
                Field::Status,
                Problem::Transition {
                    from: from.code(),
                    to: to.code(),
                },
            ));
        }
        let resolution = match (to, resolution) {
            (Status::Closed, Some(r)) => Some(clean_resolution(r)?),
            (Status::Closed, None) => {
                return Err(FieldError::new(
                    Field::Resolution,
                    Problem::ResolutionRequired,
                ))
            }
            _ => None,
        };
        self.status = to;
        self.resolution = resolution.clone();
        self.updated = now;
        self.closed = (to == Status::Closed).then_some(now);
        Ok(IssueEvent::new(
            self.id,
            now,
            author,
            Change::Status {
                from,
                to,
                resolution,
            },
        ))
    }
}

#[cfg(test)]
mod tests;
