//! An item's history: its events and the changes they record.

use super::*;

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
