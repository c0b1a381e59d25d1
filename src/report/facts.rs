//! What a report needs of each item, read once from its record and history: the days things
//! happened, and the status, department and due date as they stood from each day on. Figures
//! for any period are then counted from these without the store (`figures`).

use crate::model::{Change, Id, Issue, IssueEvent, ResolutionKind, Status, Verdict, Visit};
use crate::model::{LocalTime, VisitStatus};
use chrono::NaiveDate;
use std::collections::HashSet;

/// A value that changes over time: `(day, value)` in time order, the first being the value
/// the item was raised with. The value on a day is the last one set on or before it.
#[derive(Debug, Clone, Default)]
pub struct Timeline<T>(pub Vec<(NaiveDate, T)>);

impl<T: Copy> Timeline<T> {
    /// The value at the end of `day`; none before the item was raised.
    pub fn at(&self, day: NaiveDate) -> Option<T> {
        let after = self.0.partition_point(|(d, _)| *d <= day);
        after.checked_sub(1).map(|i| self.0[i].1)
    }
}

#[derive(Debug, Clone)]
pub struct ItemFacts {
    pub id: Id,
    pub number: u32,
    pub firm: Id,
    pub title: String,
    /// The category it has now (categories are not reported as they were).
    pub category: Option<Id>,
    pub tags: Vec<String>,
    pub raised: NaiveDate,
    pub status: Timeline<Status>,
    pub department: Timeline<Option<Id>>,
    pub due: Timeline<Option<NaiveDate>>,
    /// Each hand-over: the day and the department given it (at raising too).
    pub handed: Vec<(NaiveDate, Id)>,
    /// Each answer to the firm: a response marked as the answer, a move to answered, or a
    /// close that told the firm something (not a withdrawal).
    pub answers: Vec<NaiveDate>,
    /// The first response of any kind (or the first answer), if any.
    pub first_response: Option<NaiveDate>,
    pub closes: Vec<NaiveDate>,
    pub calls: Vec<(NaiveDate, Verdict)>,
    /// The last day anything happened to it, and whether it was closed from then on: an
    /// item closed and quiet before a period adds nothing to it (`is_quiet_before`).
    pub last_day: NaiveDate,
    pub ends_closed: bool,
}

/// The local day of a moment, as it was recorded (the officer's calendar then).
pub fn day_of(at: &LocalTime) -> NaiveDate {
    at.date_naive()
}

/// What a change set, an undo counting as the change it put back.
fn effective(change: &Change) -> &Change {
    match change {
        Change::Reverted {
            change: Some(inner),
            ..
        } => inner,
        other => other,
    }
}

impl ItemFacts {
    /// From the item and its history (oldest first). Events an undo withdrew count for
    /// nothing; the undo's own change sets the state back.
    pub fn new(issue: &Issue, events: &[IssueEvent]) -> ItemFacts {
        let raised = day_of(&issue.created);
        let undone: HashSet<Id> = events
            .iter()
            .filter_map(|e| match e.change {
                Change::Reverted { event, .. } => Some(event),
                _ => None,
            })
            .collect();
        let first_status = events.iter().find_map(|e| match effective(&e.change) {
            Change::Status { from, .. } => Some(*from),
            _ => None,
        });
        let first_department = events.iter().find_map(|e| match effective(&e.change) {
            Change::Department { from, .. } => Some(*from),
            _ => None,
        });
        let first_due = events.iter().find_map(|e| match effective(&e.change) {
            Change::Due { from, .. } => Some(*from),
            _ => None,
        });
        let initial_department = first_department.unwrap_or(issue.department);
        let mut facts = ItemFacts {
            id: issue.id,
            number: issue.number,
            firm: issue.firm,
            title: issue.title.clone(),
            category: issue.category,
            tags: issue.tags.clone(),
            raised,
            status: Timeline(vec![(raised, first_status.unwrap_or(issue.status))]),
            department: Timeline(vec![(raised, initial_department)]),
            due: Timeline(vec![(raised, first_due.unwrap_or(issue.due))]),
            handed: initial_department
                .map(|d| (raised, d))
                .into_iter()
                .collect(),
            answers: Vec::new(),
            first_response: None,
            closes: Vec::new(),
            calls: Vec::new(),
            last_day: raised,
            ends_closed: false,
        };
        for event in events {
            // An event dated before the item (an import's history) counts from its raising.
            let day = day_of(&event.at).max(raised);
            facts.last_day = facts.last_day.max(day);
            match effective(&event.change) {
                Change::Status { to, .. } => facts.status.0.push((day, *to)),
                Change::Department { to, .. } => facts.department.0.push((day, *to)),
                Change::Due { to, .. } => facts.due.0.push((day, *to)),
                _ => {}
            }
            if undone.contains(&event.id) {
                continue;
            }
            let (response, answer) = match &event.change {
                Change::Department { to: Some(d), .. } => {
                    facts.handed.push((day, *d));
                    (false, false)
                }
                Change::Response { to_firm, .. } => (true, *to_firm),
                Change::Status {
                    to: Status::Answered,
                    ..
                } => (true, true),
                Change::Status {
                    to: Status::Closed,
                    resolution,
                    ..
                } => {
                    facts.closes.push(day);
                    let told = resolution
                        .as_ref()
                        .is_some_and(|r| r.kind != ResolutionKind::Withdrawn);
                    (told, told)
                }
                Change::Call { verdict, day, .. } => {
                    facts.last_day = facts.last_day.max(*day);
                    facts.calls.push(((*day).max(raised), *verdict));
                    (false, false)
                }
                _ => (false, false),
            };
            if response && facts.first_response.is_none() {
                facts.first_response = Some(day);
            }
            if answer {
                facts.answers.push(day);
            }
        }
        facts.ends_closed = facts
            .status
            .0
            .last()
            .is_some_and(|(_, s)| *s == Status::Closed);
        facts
    }

    /// Closed, and nothing happened to it from `day` on: it adds nothing to a period that
    /// starts then (neither open nor changed in it).
    pub fn is_quiet_before(&self, day: NaiveDate) -> bool {
        self.ends_closed && self.last_day < day
    }

    /// The first day in `from..=to` of a list of days in time order.
    pub fn first_in(days: &[NaiveDate], from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
        days.iter().copied().find(|d| from <= *d && *d <= to)
    }

    pub fn is_open_at(&self, day: NaiveDate) -> bool {
        self.raised <= day && self.status.at(day).is_some_and(Status::is_open)
    }

    /// Days past its due date at the end of `day`, if open and overdue then.
    pub fn overdue_at(&self, day: NaiveDate) -> Option<i64> {
        if !self.is_open_at(day) {
            return None;
        }
        let due = self.due.at(day).flatten()?;
        (due < day).then(|| (day - due).num_days())
    }

    /// Closed (its last close) and no call recorded since: awaiting its follow-up call.
    pub fn awaiting_call(&self, today: NaiveDate) -> bool {
        self.status.at(today) == Some(Status::Closed)
            && match (self.closes.last(), self.calls.last()) {
                (Some(closed), Some((called, _))) => called < closed,
                (Some(_), None) => true,
                (None, _) => false,
            }
    }
}

/// What a report needs of a visit.
#[derive(Debug, Clone)]
pub struct VisitFacts {
    pub id: Id,
    pub firm: Id,
    pub day: NaiveDate,
    pub status: VisitStatus,
    pub lead: String,
    /// The purpose's first line, for the brief's list.
    pub purpose: String,
}

impl VisitFacts {
    pub fn new(visit: &Visit) -> VisitFacts {
        VisitFacts {
            id: visit.id,
            firm: visit.firm,
            day: day_of(&visit.start),
            status: visit.status,
            lead: visit.lead.clone(),
            purpose: crate::text::first_line(&visit.purpose).to_string(),
        }
    }
}

/// Everything figures are counted from.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub items: Vec<ItemFacts>,
    pub visits: Vec<VisitFacts>,
}
