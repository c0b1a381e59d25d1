use super::rules::{Field, FieldError, Problem};
use super::{Id, LocalTime};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod summary;
mod validate;
pub use summary::IssueSummary;
pub use validate::{clean_author, clean_tag, split_tags};
use validate::{
    clean_detail, clean_owner, clean_resolution, clean_response, clean_tags, clean_title,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// The word Chinese ledgers use, as files exported for them write it.
    pub fn chinese(self) -> &'static str {
        match self {
            Priority::Low => "低",
            Priority::Normal => "中",
            Priority::High => "高",
            Priority::Urgent => "急",
        }
    }

    /// Accepts the English code, its first letter, or the Chinese word (低/中/高/急).
    pub fn parse(text: &str) -> Option<Priority> {
        let text = text.trim().to_lowercase();
        Priority::ALL.into_iter().find(|p| {
            let code = p.code();
            text == code || text == code[..1] || text == p.chinese()
        })
    }
}

/// Where an item stands. The order is the life cycle: new → assigned → in progress → answered
/// → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    New,
    Assigned,
    InProgress,
    Answered,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::Assigned,
        Status::InProgress,
        Status::Answered,
        Status::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Assigned => "assigned",
            Status::InProgress => "in-progress",
            Status::Answered => "answered",
            Status::Closed => "closed",
        }
    }

    /// The word Chinese ledgers use, as files exported for them write it.
    pub fn chinese(self) -> &'static str {
        match self {
            Status::New => "新建",
            Status::Assigned => "已交办",
            Status::InProgress => "办理中",
            Status::Answered => "已答复",
            Status::Closed => "已办结",
        }
    }

    /// Accepts the English code (`in progress` and `in_progress` too) or the Chinese word.
    pub fn parse(text: &str) -> Option<Status> {
        let text = text.trim().to_lowercase().replace(['_', ' '], "-");
        Status::ALL
            .into_iter()
            .find(|s| s.code() == text || s.chinese() == text)
    }

    /// One byte for index keys; stable across versions.
    pub fn as_byte(self) -> u8 {
        self as u8
    }

    pub fn from_byte(byte: u8) -> Option<Status> {
        Status::ALL.get(usize::from(byte)).copied()
    }

    pub fn is_open(self) -> bool {
        self != Status::Closed
    }

    /// The allowed moves. Closing is possible from every open state (an item can be resolved on
    /// the spot or withdrawn); a closed item can only be reopened into progress.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (New, Assigned)
                | (New, Closed)
                | (Assigned, New)
                | (Assigned, InProgress)
                | (Assigned, Answered)
                | (Assigned, Closed)
                | (InProgress, Assigned)
                | (InProgress, Answered)
                | (InProgress, Closed)
                | (Answered, InProgress)
                | (Answered, Closed)
                | (Closed, InProgress)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResolutionKind {
    /// The answer was given to the firm.
    Answered,
    /// Solved during the meeting itself.
    OnTheSpot,
    /// The firm withdrew it, or it turned out not to be needed.
    Withdrawn,
}

impl ResolutionKind {
    pub const ALL: [ResolutionKind; 3] = [
        ResolutionKind::Answered,
        ResolutionKind::OnTheSpot,
        ResolutionKind::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ResolutionKind::Answered => "answered",
            ResolutionKind::OnTheSpot => "on-the-spot",
            ResolutionKind::Withdrawn => "withdrawn",
        }
    }

    /// The word Chinese ledgers use, as files exported for them write it.
    pub fn chinese(self) -> &'static str {
        match self {
            ResolutionKind::Answered => "答复办结",
            ResolutionKind::OnTheSpot => "现场解决",
            ResolutionKind::Withdrawn => "企业撤回",
        }
    }

    /// Accepts the English code (`on the spot` too) or the Chinese word.
    pub fn parse(text: &str) -> Option<ResolutionKind> {
        let text = text.trim().to_lowercase().replace(['_', ' '], "-");
        ResolutionKind::ALL
            .into_iter()
            .find(|k| k.code() == text || k.chinese() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub kind: ResolutionKind,
    /// What the firm was told.
    pub text: String,
}

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

/// One entry of an item's append-only history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueEvent {
    pub id: Id,
    pub issue: Id,
    pub at: LocalTime,
    pub author: String,
    pub change: Change,
}

impl IssueEvent {
    pub fn new(issue: Id, at: LocalTime, author: &str, change: Change) -> IssueEvent {
        IssueEvent {
            id: Id::new(),
            issue,
            at,
            author: author.to_string(),
            change,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Created,
    Department {
        from: Option<Id>,
        to: Option<Id>,
    },
    Owner {
        from: String,
        to: String,
    },
    Priority {
        from: Priority,
        to: Priority,
    },
    Due {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    Category {
        from: Option<Id>,
        to: Option<Id>,
    },
    /// A department's response; `to_firm` marks the answer given to the firm.
    Response {
        text: String,
        to_firm: bool,
    },
    Status {
        from: Status,
        to: Status,
        resolution: Option<Resolution>,
    },
    /// An earlier event undone: `change` is what was restored (none for a response, which
    /// stays in the record but is withdrawn). New variants go at the end: stored events
    /// refer to variants by position.
    Reverted {
        event: Id,
        change: Option<Box<Change>>,
    },
    /// The title corrected (a typo fixed after the meeting).
    Title {
        from: String,
        to: String,
    },
    /// The detail rewritten.
    Detail {
        from: String,
        to: String,
    },
    /// Tags added to and removed from the item.
    Tags {
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// Moved to another firm: two records of one firm merged.
    Firm {
        from: Id,
        to: Id,
    },
    /// The follow-up call (回访) after closing: the firm's verdict, a note, the day of the call.
    Call {
        verdict: super::Verdict,
        note: String,
        day: NaiveDate,
    },
}

impl Change {
    /// The change that puts back what this one changed; none for a response or a creation.
    pub fn inverse(&self) -> Option<Change> {
        Some(match self {
            Change::Department { from, to } => Change::Department {
                from: *to,
                to: *from,
            },
            Change::Owner { from, to } => Change::Owner {
                from: to.clone(),
                to: from.clone(),
            },
            Change::Priority { from, to } => Change::Priority {
                from: *to,
                to: *from,
            },
            Change::Due { from, to } => Change::Due {
                from: *to,
                to: *from,
            },
            Change::Category { from, to } => Change::Category {
                from: *to,
                to: *from,
            },
            Change::Status { from, to, .. } => Change::Status {
                from: *to,
                to: *from,
                resolution: None,
            },
            Change::Title { from, to } => Change::Title {
                from: to.clone(),
                to: from.clone(),
            },
            Change::Detail { from, to } => Change::Detail {
                from: to.clone(),
                to: from.clone(),
            },
            Change::Tags { added, removed } => Change::Tags {
                added: removed.clone(),
                removed: added.clone(),
            },
            Change::Firm { from, to } => Change::Firm {
                from: *to,
                to: *from,
            },
            Change::Created
            | Change::Response { .. }
            | Change::Reverted { .. }
            | Change::Call { .. } => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn now() -> LocalTime {
        DateTime::parse_from_rfc3339("2026-12-16T15:00:00+08:00").unwrap()
    }

    fn issue() -> Issue {
        IssueDraft::new(Id::new(), "新厂房用电增容")
            .into_issue(Id::new(), 1, now())
            .unwrap()
    }

    #[test]
    fn tags_are_added_and_removed_once_with_one_event_that_undoes() {
        let mut item = issue();
        let tags = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let event = item
            .change_tags(&tags(&["专班", " 省重点 ", "专班", ""]), &[], "李晓", now())
            .unwrap()
            .unwrap();
        assert_eq!(item.tags, tags(&["专班", "省重点"]));
        assert_eq!(
            event.change,
            Change::Tags {
                added: tags(&["专班", "省重点"]),
                removed: vec![]
            }
        );
        assert!(item
            .change_tags(&tags(&["专班"]), &tags(&["不在"]), "李晓", now())
            .unwrap()
            .is_none());
        let before = item.clone();
        let removed = item
            .change_tags(&[], &tags(&["专班"]), "李晓", now())
            .unwrap()
            .unwrap();
        assert_eq!(item.tags, tags(&["省重点"]));
        assert_eq!(
            removed.change.inverse(),
            Some(Change::Tags {
                added: tags(&["专班"]),
                removed: vec![]
            })
        );
        item.revert(&removed, &before, "李晓", now());
        assert_eq!(item.tags, before.tags);
        let err = item
            .change_tags(&tags(&["专班、省重点"]), &[], "李晓", now())
            .unwrap_err();
        assert_eq!(err, FieldError::new(Field::Tags, Problem::Malformed));
        let err = item
            .change_tags(&tags(&["专\u{1b}班"]), &[], "李晓", now())
            .unwrap_err();
        assert_eq!(err.problem, Problem::ControlCharacter);
    }

    #[test]
    fn a_draft_needs_a_title_and_a_due_date_not_in_the_past() {
        let err = IssueDraft::new(Id::new(), "  ")
            .into_issue(Id::new(), 1, now())
            .unwrap_err();
        assert_eq!(err, FieldError::new(Field::Title, Problem::Empty));
        let mut draft = IssueDraft::new(Id::new(), "用地");
        draft.due = NaiveDate::from_ymd_opt(2026, 12, 15);
        assert_eq!(
            draft
                .clone()
                .into_issue(Id::new(), 1, now())
                .unwrap_err()
                .field,
            Field::Due
        );
        draft.due = NaiveDate::from_ymd_opt(2026, 12, 16);
        assert!(draft.into_issue(Id::new(), 1, now()).is_ok());
    }

    #[test]
    fn a_draft_with_a_department_starts_assigned() {
        let mut draft = IssueDraft::new(Id::new(), "用地");
        assert_eq!(
            draft
                .clone()
                .into_issue(Id::new(), 1, now())
                .unwrap()
                .status,
            Status::New
        );
        draft.department = Some(Id::new());
        assert_eq!(
            draft.into_issue(Id::new(), 1, now()).unwrap().status,
            Status::Assigned
        );
    }

    #[test]
    fn status_transitions_follow_the_life_cycle() {
        use Status::*;
        let allowed: Vec<(Status, Status)> = Status::ALL
            .into_iter()
            .flat_map(|a| Status::ALL.into_iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.can_become(*b))
            .collect();
        assert!(allowed.contains(&(New, Assigned)));
        assert!(allowed.contains(&(Answered, Closed)));
        assert!(allowed.contains(&(Closed, InProgress)));
        assert!(!allowed.contains(&(New, Answered)));
        assert!(!allowed.contains(&(Closed, New)));
        assert!(allowed.iter().all(|(a, b)| a != b));
    }

    #[test]
    fn closing_needs_a_resolution_and_records_an_event() {
        let mut item = issue();
        let err = item
            .change_status(Status::Closed, None, "me", now())
            .unwrap_err();
        assert_eq!(err.field, Field::Resolution);
        assert_eq!(
            item.status,
            Status::New,
            "a refused change leaves the item as it was"
        );
        let event = item
            .change_status(
                Status::Closed,
                Some(Resolution {
                    kind: ResolutionKind::OnTheSpot,
                    text: " 现场协调供电局 ".into(),
                }),
                "me",
                now(),
            )
            .unwrap();
        assert_eq!(item.status, Status::Closed);
        assert_eq!(item.resolution.as_ref().unwrap().text, "现场协调供电局");
        assert!(matches!(
            event.change,
            Change::Status {
                from: Status::New,
                to: Status::Closed,
                ..
            }
        ));
        let err = item
            .change_status(Status::Answered, None, "me", now())
            .unwrap_err();
        assert_eq!(err.field, Field::Status);
    }

    #[test]
    fn each_triage_change_writes_one_event_and_nothing_when_unchanged() {
        let mut item = issue();
        let dept = Id::new();
        let e = item.assign(Some(dept), "me", now()).unwrap();
        assert_eq!(
            e.change,
            Change::Department {
                from: None,
                to: Some(dept)
            }
        );
        assert_eq!(
            item.status,
            Status::Assigned,
            "handing a new item over assigns it"
        );
        assert!(item.assign(Some(dept), "me", now()).is_none());
        assert!(item.set_priority(Priority::Urgent, "me", now()).is_some());
        assert!(item.set_priority(Priority::Urgent, "me", now()).is_none());
        let due = NaiveDate::from_ymd_opt(2026, 12, 31);
        assert!(item.set_due(due, "me", now()).unwrap().is_some());
        assert_eq!(
            item.set_due(NaiveDate::from_ymd_opt(2020, 1, 1), "me", now())
                .unwrap_err()
                .field,
            Field::Due
        );
        assert!(item.set_owner(" 李晓 ", "me", now()).unwrap().is_some());
        assert_eq!(item.owner, "李晓");
        assert!(item.respond("  ", false, "me", now()).is_err());
        let answer = item.respond("已协调", true, "me", now()).unwrap();
        assert!(matches!(
            answer.change,
            Change::Response { to_firm: true, .. }
        ));
        let back = item.assign(None, "me", now()).unwrap();
        assert!(matches!(back.change, Change::Department { to: None, .. }));
        assert_eq!(item.status, Status::New, "given back, it is new again");
    }

    #[test]
    fn revert_restores_the_state_before_and_says_what_it_undid() {
        let mut item = issue();
        let before = item.clone();
        let event = item.assign(Some(Id::new()), "me", now()).unwrap();
        let undo = item.revert(&event, &before, "me", now());
        assert_eq!(item.department, None);
        assert_eq!(item.status, Status::New);
        match undo.change {
            Change::Reverted {
                event: undone,
                change,
            } => {
                assert_eq!(undone, event.id);
                assert!(matches!(
                    *change.unwrap(),
                    Change::Department { to: None, .. }
                ));
            }
            other => panic!("{other:?}"),
        }
        let before = item.clone();
        let response = item.respond("答复", false, "me", now()).unwrap();
        let undo = item.revert(&response, &before, "me", now());
        assert!(
            matches!(undo.change, Change::Reverted { change: None, .. }),
            "a response is withdrawn, not erased"
        );
    }

    #[test]
    fn redo_sets_the_state_after_and_writes_each_change_again() {
        let mut item = issue();
        let before = item.clone();
        let department = Some(Id::new());
        let event = item.assign(department, "me", now()).unwrap();
        let after = item.clone();
        item.revert(&event, &before, "me", now());
        let redone = item.redo(std::slice::from_ref(&event), &after, "李晓", now());
        assert_eq!(item.department, department);
        assert_eq!(item.status, Status::Assigned);
        assert_eq!(redone.len(), 1);
        assert_ne!(redone[0].id, event.id, "a new event");
        assert_eq!(redone[0].change, event.change);
        assert_eq!(redone[0].author, "李晓");
    }

    #[test]
    fn overdue_is_open_and_past_due() {
        let mut item = issue();
        let today = now().date_naive();
        assert!(!item.is_overdue(today));
        item.due = today.pred_opt();
        assert!(item.is_overdue(today));
        item.due = Some(today);
        assert!(!item.is_overdue(today), "due today is not yet overdue");
        item.due = today.pred_opt();
        item.status = Status::Closed;
        assert!(!item.is_overdue(today));
    }

    #[test]
    fn priority_and_status_parse_their_codes() {
        assert_eq!(Priority::parse("H"), Some(Priority::High));
        assert_eq!(Priority::parse("急"), Some(Priority::Urgent));
        assert_eq!(Priority::parse("soon"), None);
        assert_eq!(Status::parse("in progress"), Some(Status::InProgress));
        for s in Status::ALL {
            assert_eq!(Status::from_byte(s.as_byte()), Some(s));
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        assert_eq!(Status::from_byte(9), None);
    }

    #[test]
    fn chinese_words_parse_back_to_their_values() {
        assert_eq!(Status::parse("办理中"), Some(Status::InProgress));
        assert_eq!(Status::parse(" 已办结 "), Some(Status::Closed));
        assert_eq!(Status::parse("办结"), None);
        for s in Status::ALL {
            assert_eq!(Status::parse(s.chinese()), Some(s));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.chinese()), Some(p));
        }
        assert_eq!(
            ResolutionKind::parse("on the spot"),
            Some(ResolutionKind::OnTheSpot)
        );
        assert_eq!(ResolutionKind::parse("later"), None);
        for k in ResolutionKind::ALL {
            assert_eq!(ResolutionKind::parse(k.code()), Some(k));
            assert_eq!(ResolutionKind::parse(k.chinese()), Some(k));
        }
    }
}
