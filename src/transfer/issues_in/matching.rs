//! Rows matched to the items they made, so that importing a file again changes nothing, an
//! updated ledger updates its items, and an import stopped part way completes when run again.
//!
//! A row's item is one of its firm's items that was there before this import started (items
//! numbered from `first_new` on were made by this very run) and no earlier row took: the item
//! with the row's number (编号, written by `export issues`) when it also has the row's date
//! raised (or, without one, its title), else the first by number with the row's title and date
//! raised (any date when the row gives none). Nothing is kept between imports: a firm's items
//! are read when one of its rows first needs them, and only a hash of each title is held.

use super::{Column, Layout, Names, Plan, RowError, Updated};
use crate::model::{
    name_key, Change, Department, Field, Id, Issue, IssueEvent, LocalTime, Priority, Resolution,
    ResolutionKind, Status,
};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// An item of a firm, as far as matching needs it.
struct Candidate {
    id: Id,
    number: u32,
    title: u64,
    raised: NaiveDate,
    taken: bool,
}

/// What identifies a row's item.
pub(super) struct RowKey<'a> {
    pub number: Option<u32>,
    pub title: &'a str,
    /// The date raised, when the file gives it.
    pub raised: Option<NaiveDate>,
}

pub(super) struct Matcher {
    /// Items numbered from here on were written by this import.
    first_new: u32,
    by_firm: HashMap<Id, Vec<Candidate>>,
}

fn title_hash(title: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    title.hash(&mut hasher);
    hasher.finish()
}

impl Matcher {
    pub fn new(store: &Store) -> Result<Matcher, StoreError> {
        Ok(Matcher {
            first_new: store.next_issue_number()?,
            by_firm: HashMap::new(),
        })
    }

    /// The item `row` made, taken so that no later row matches it too.
    pub fn take(
        &mut self,
        store: &Store,
        firm: Id,
        row: &RowKey<'_>,
    ) -> Result<Option<Id>, StoreError> {
        if !self.by_firm.contains_key(&firm) {
            let mut items = Vec::new();
            for (id, _) in store.issues_of_firm(firm)? {
                // A damaged item cannot be matched; `check` reports it.
                if let Ok(Some(issue)) = store.issue(id) {
                    if issue.number < self.first_new {
                        items.push(Candidate {
                            id,
                            number: issue.number,
                            title: title_hash(&issue.title),
                            raised: issue.created.date_naive(),
                            taken: false,
                        });
                    }
                }
            }
            items.sort_by_key(|c| c.number);
            self.by_firm.insert(firm, items);
        }
        let items = self.by_firm.get_mut(&firm).expect("read above");
        let title = title_hash(row.title);
        let same_day = |c: &Candidate| row.raised.is_none_or(|day| day == c.raised);
        let by_number = row.number.and_then(|number| {
            items.iter().position(|c| {
                !c.taken
                    && c.number == number
                    && match row.raised {
                        Some(day) => day == c.raised,
                        None => c.title == title,
                    }
            })
        });
        let found = by_number
            .or_else(|| {
                items
                    .iter()
                    .position(|c| !c.taken && c.title == title && same_day(c))
            })
            .map(|at| {
                items[at].taken = true;
                items[at].id
            });
        Ok(found)
    }
}

/// What a row says of an item that already exists; `None` where its cell is empty or the
/// file has no such column (an empty cell changes nothing).
pub(super) struct RowState {
    pub department: Option<Id>,
    pub owner: Option<String>,
    pub priority: Option<Priority>,
    pub category: Option<Id>,
    pub due: Option<NaiveDate>,
    pub status: Option<Status>,
    pub resolution_kind: Option<ResolutionKind>,
    /// 办结答复: the resolution when the item ends closed, else an answer to the firm.
    pub answer: String,
    pub last_response: String,
    /// 标签: the item ends with exactly these tags.
    pub tags: Option<Vec<String>>,
    /// 回访: a call with this verdict, unless the item's last call has it already.
    pub verdict: Option<crate::model::Verdict>,
}

/// The changes that bring `issue` to what the row says, as the app's own events at `now`;
/// no events when it already is. Title and detail are never changed (no way in does); a
/// response is added only when the history has no response with its text.
pub(super) fn update(
    mut issue: Issue,
    history: &[IssueEvent],
    row: RowState,
    author: &str,
    now: LocalTime,
) -> Result<(Issue, Vec<IssueEvent>), crate::model::FieldError> {
    let mut events = Vec::new();
    if let Some(department) = row.department {
        events.extend(issue.assign(Some(department), author, now));
    }
    if let Some(owner) = &row.owner {
        events.extend(issue.set_owner(owner, author, now)?);
    }
    if let Some(priority) = row.priority {
        events.extend(issue.set_priority(priority, author, now));
    }
    if let Some(category) = row.category {
        events.extend(issue.set_category(Some(category), author, now));
    }
    if let Some(due) = row.due.filter(|due| issue.due != Some(*due)) {
        // As on import: an old ledger's due day may be before the item was raised.
        let from = issue.due.replace(due);
        issue.updated = now;
        let change = Change::Due {
            from,
            to: Some(due),
        };
        events.push(IssueEvent::new(issue.id, now, author, change));
    }
    if let Some(tags) = &row.tags {
        let gone: Vec<String> = issue
            .tags
            .iter()
            .filter(|t| !tags.contains(t))
            .cloned()
            .collect();
        events.extend(issue.change_tags(tags, &gone, author, now)?);
    }
    let target = row.status.unwrap_or(issue.status);
    let known = |events: &[IssueEvent], text: &str| {
        history.iter().chain(events).any(
            |e| matches!(&e.change, Change::Response { text: t, .. } if t.trim() == text.trim()),
        )
    };
    let mut responses = vec![(row.last_response.as_str(), false)];
    if target != Status::Closed {
        responses.push((row.answer.as_str(), true));
    }
    for (text, to_firm) in responses {
        if !text.is_empty() && !known(&events, text) {
            events.push(issue.respond(text, to_firm, author, now)?);
        }
    }
    for step in steps(issue.status, target) {
        let resolution = (step == Status::Closed).then(|| Resolution {
            kind: row.resolution_kind.unwrap_or(ResolutionKind::Answered),
            text: if row.answer.is_empty() {
                super::IMPORTED_AS_CLOSED.to_string()
            } else {
                row.answer.clone()
            },
        });
        events.push(issue.change_status(step, resolution, author, now)?);
    }
    let last = crate::transfer::issues_out::last_call(history, &[]);
    if let Some(verdict) = row.verdict.filter(|v| Some(*v) != last) {
        events.push(issue.record_call(verdict, "", now.date_naive(), author, now)?);
    }
    Ok((issue, events))
}

/// The response a row gives that is not its answer (最新回复), from the events built for it.
pub(super) fn text_of_last(events: &[IssueEvent]) -> String {
    events
        .iter()
        .find_map(|e| match &e.change {
            Change::Response {
                text,
                to_firm: false,
            } => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// A row matched to item `id`: what it changes there, if anything.
pub(super) fn plan_update(
    names: &mut Names<'_>,
    id: Id,
    row: RowState,
    new_department: Option<Department>,
    layout: &Layout<Column>,
    line: u64,
) -> Result<Result<Plan, Vec<RowError>>, StoreError> {
    let Some(existing) = names.store.issue(id)? else {
        return Ok(Ok(Plan::Unchanged));
    };
    let history = names.store.events(id)?.records;
    let (issue, events) = match update(existing, &history, row, &names.author, names.now) {
        Ok(updated) => updated,
        Err(e) => {
            let column = match e.field {
                Field::Owner => Column::Owner,
                Field::Tags => Column::Tags,
                Field::Resolution | Field::Response => Column::Resolution,
                _ if e.problem == crate::model::Problem::CallNeedsClosed => Column::Callback,
                _ => Column::Status,
            };
            return Ok(Err(vec![layout.problem(line, column, &e.problem)]));
        }
    };
    if events.is_empty() {
        return Ok(Ok(Plan::Unchanged));
    }
    let new_department = new_department.filter(|d| issue.department == Some(d.id));
    if let Some(department) = &new_department {
        names
            .departments
            .insert(name_key(&department.name), department.id);
    }
    Ok(Ok(Plan::Update(Box::new(Updated {
        issue,
        events,
        new_department,
        line,
    }))))
}

/// The kind of a history event, as `--dry-run` lists what a row would change.
pub(super) fn change_name(change: &Change) -> &'static str {
    match change {
        Change::Created => "created",
        Change::Department { .. } => "department",
        Change::Owner { .. } => "owner",
        Change::Priority { .. } => "priority",
        Change::Due { .. } => "due",
        Change::Category { .. } => "category",
        Change::Response { .. } => "response",
        Change::Status { .. } => "status",
        Change::Reverted { .. } => "reverted",
        Change::Title { .. } => "title",
        Change::Detail { .. } => "detail",
        Change::Tags { .. } => "tags",
        Change::Firm { .. } => "firm",
        Change::Call { .. } => "call",
    }
}

/// The shortest way from `from` to `to` that the life cycle allows (empty when equal).
fn steps(from: Status, to: Status) -> Vec<Status> {
    let mut paths = vec![vec![from]];
    let mut seen = vec![from];
    while !paths.is_empty() {
        let mut next = Vec::new();
        for path in paths {
            let last = *path.last().expect("never empty");
            if last == to {
                return path[1..].to_vec();
            }
            for step in Status::ALL {
                if last.can_become(step) && !seen.contains(&step) {
                    seen.push(step);
                    next.push([path.clone(), vec![step]].concat());
                }
            }
        }
        paths = next;
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reaches_every_other_by_allowed_steps() {
        for from in Status::ALL {
            for to in Status::ALL {
                let path = steps(from, to);
                assert_eq!(
                    path.last().copied().unwrap_or(from),
                    to,
                    "{from:?} → {to:?}"
                );
                let mut at = from;
                for step in path {
                    assert!(at.can_become(step), "{at:?} → {step:?}");
                    at = step;
                }
            }
        }
        assert_eq!(
            steps(Status::Closed, Status::New),
            [Status::InProgress, Status::Assigned, Status::New]
        );
    }
}
