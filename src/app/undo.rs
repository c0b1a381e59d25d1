//! One undo history for the whole app: every change the officer makes, on any tab, is a
//! step that `u` puts back and `Ctrl-R` does again. Items keep their history (an undo writes
//! a `Reverted` event, a redo the change again as new events); firms and visits have no
//! history, so a step keeps the record as it was and as it became.

use super::{App, MessageKind, Tab};
use crate::messages as msg;
use crate::model::{Change, SavedView, VisitStatus};
use crate::model::{Firm, Issue, IssueEvent, Resolution, ResolutionKind, Status, Visit};
use crate::store::StoreError;

/// One item changed by a step: as it was, as it became, and the events that changed it.
#[derive(Debug, Clone)]
pub struct ItemChange {
    pub before: Issue,
    pub after: Issue,
    pub events: Vec<IssueEvent>,
}

#[derive(Debug, Clone)]
pub enum Record {
    Items(Vec<ItemChange>),
    /// `before` is none for a firm added: undoing it archives the firm (nothing is deleted).
    Firm {
        before: Option<Firm>,
        after: Firm,
    },
    /// `before` is none for a visit planned: undoing it cancels the visit.
    Visit {
        before: Option<Visit>,
        after: Visit,
    },
    /// A saved view: `saved` when the step saved it, else the step deleted it.
    View {
        view: SavedView,
        saved: bool,
    },
    /// An item raised (`closed` none) or, once undone, withdrawn by the close event
    /// `closed`: an item filed by mistake is closed as withdrawn, never deleted, so its
    /// number and history stay.
    Raised {
        item: Issue,
        closed: Option<IssueEvent>,
    },
}

#[derive(Debug, Clone)]
pub struct Step {
    /// What the change was, as the status line says it.
    pub label: String,
    /// Where it happened: undo and redo show that tab.
    pub tab: Tab,
    pub record: Record,
}

#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// A new change: it can be undone, and what was undone before can no longer be redone.
    pub fn record(&mut self, label: impl Into<String>, tab: Tab, record: Record) {
        self.undo.push(Step {
            label: label.into(),
            tab,
            record,
        });
        self.redo.clear();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

/// `u`: puts back the last change of this session, whatever tab it was made on.
pub(super) fn undo(app: &mut App) -> Result<(), StoreError> {
    let Some(step) = app.history.undo.pop() else {
        app.say(MessageKind::Info, msg::NOTHING_TO_UNDO);
        return Ok(());
    };
    if changed_since(app, &step, false)? {
        app.say(MessageKind::Warning, msg::changed_since(&step.label));
        return Ok(());
    }
    match run(app, &step, false) {
        Ok((record, text)) => {
            app.history.redo.push(Step { record, ..step });
            app.say(MessageKind::Info, text);
            Ok(())
        }
        Err(e) => {
            // Nothing was written: the step stays to try again.
            app.history.undo.push(step);
            Err(e)
        }
    }
}

/// `Ctrl-R`: does again the last change undone.
pub(super) fn redo(app: &mut App) -> Result<(), StoreError> {
    let Some(step) = app.history.redo.pop() else {
        app.say(MessageKind::Info, msg::NOTHING_TO_REDO);
        return Ok(());
    };
    if changed_since(app, &step, true)? {
        app.say(MessageKind::Warning, msg::changed_since(&step.label));
        return Ok(());
    }
    match run(app, &step, true) {
        Ok((record, text)) => {
            app.history.undo.push(Step { record, ..step });
            app.say(MessageKind::Info, text);
            Ok(())
        }
        Err(e) => {
            app.history.redo.push(step);
            Err(e)
        }
    }
}

/// Whether a record of the step changed since by something this history does not hold (an
/// import of firms): undoing would throw that change away, so the step is dropped instead.
/// When it was written does not count.
fn changed_since(app: &App, step: &Step, forward: bool) -> Result<bool, StoreError> {
    match &step.record {
        Record::Items(changes) => {
            for change in changes {
                let expected = if forward {
                    &change.before
                } else {
                    &change.after
                };
                if let Some(now) = app.store.issue(expected.id)? {
                    let expected = Issue {
                        updated: now.updated,
                        ..expected.clone()
                    };
                    if now != expected {
                        return Ok(true);
                    }
                }
            }
            Ok(false)
        }
        Record::Firm { before, after } => {
            let expected = match (forward, before) {
                (false, _) => after.clone(),
                (true, Some(before)) => before.clone(),
                (true, None) => Firm {
                    archived: true,
                    ..after.clone()
                },
            };
            Ok(match app.store.firm(after.id)? {
                Some(now) => {
                    now != Firm {
                        updated: now.updated,
                        ..expected
                    }
                }
                None => false,
            })
        }
        Record::Visit { before, after } => {
            let expected = match (forward, before) {
                (false, _) => after.clone(),
                (true, Some(before)) => before.clone(),
                (true, None) => Visit {
                    status: VisitStatus::Cancelled,
                    ..after.clone()
                },
            };
            Ok(match app.store.visit(after.id)? {
                Some(now) => {
                    now != Visit {
                        updated: now.updated,
                        ..expected
                    }
                }
                None => false,
            })
        }
        // A view has no other writer in the app; an item raised is only closed or reopened.
        Record::View { .. } | Record::Raised { .. } => Ok(false),
    }
}

/// Undoes (`forward` false) or redoes a step: returns the record to keep for the opposite
/// move and the message to show.
fn run(app: &mut App, step: &Step, forward: bool) -> Result<(Record, String), StoreError> {
    let (author, now) = (app.user.clone(), app.now);
    // Items say how many changed; a firm or a visit is one record.
    let said = |count: Option<usize>| match (forward, count) {
        (true, Some(n)) => msg::redone(&step.label, n),
        (false, Some(n)) => msg::undone(&step.label, n),
        (true, None) => msg::redone_change(&step.label),
        (false, None) => msg::undone_change(&step.label),
    };
    let result = match &step.record {
        Record::Items(changes) => {
            let mut writes = Vec::new();
            let mut kept = Vec::new();
            for change in changes {
                let Some(mut issue) = app.store.issue(change.before.id)? else {
                    continue;
                };
                let events = if forward {
                    issue.redo(&change.events, &change.after, &author, now)
                } else {
                    // Each event reverted, last first: an answer given with its status
                    // change is withdrawn too, not only the status put back.
                    let events = change.events.iter().rev();
                    events
                        .map(|e| issue.revert(e, &change.before, &author, now))
                        .collect()
                };
                // Undoing the redo reverts the events the redo wrote.
                kept.push(ItemChange {
                    events: if forward {
                        events.clone()
                    } else {
                        change.events.clone()
                    },
                    ..change.clone()
                });
                writes.push((issue, events));
            }
            super::queue::save_changed(app, &writes)?;
            let count = writes.len();
            (Record::Items(kept), said(Some(count)))
        }
        Record::Raised { item, closed } => {
            let Some(mut issue) = app.store.issue(item.id)? else {
                return Ok((step.record.clone(), said(Some(0))));
            };
            let (event, closed) = match closed {
                // Undo: withdrawn, with the one event closing it.
                None => {
                    let from = issue.status;
                    issue.status = Status::Closed;
                    issue.resolution = Some(Resolution {
                        kind: ResolutionKind::Withdrawn,
                        text: msg::WITHDRAWN_BY_UNDO.to_string(),
                    });
                    let event = IssueEvent::new(
                        issue.id,
                        now,
                        &author,
                        Change::Status {
                            from,
                            to: Status::Closed,
                            resolution: issue.resolution.clone(),
                        },
                    );
                    issue.updated = now;
                    (event.clone(), Some(event))
                }
                // Redo: the close reverted, the item open again as it was raised.
                Some(close) => (issue.revert(close, item, &author, now), None),
            };
            super::queue::save_changed(app, &[(issue, vec![event])])?;
            let record = Record::Raised {
                item: item.clone(),
                closed,
            };
            (record, said(Some(1)))
        }
        Record::View { view, saved } => {
            // Saving is undone by deleting; a deletion by saving the view again.
            if forward == *saved {
                super::queue::add_view(app, view)?;
            } else {
                super::queue::remove_view(app, view.id)?;
            }
            (step.record.clone(), said(None))
        }
        Record::Firm { before, after } => {
            let mut target = match (forward, before) {
                (true, _) => after.clone(),
                (false, Some(before)) => before.clone(),
                (false, None) => Firm {
                    archived: true,
                    ..after.clone()
                },
            };
            target.updated = now;
            super::firm_actions::write_firm(app, &target)?;
            (step.record.clone(), said(None))
        }
        Record::Visit { before, after } => {
            let mut target = match (forward, before) {
                (true, _) => after.clone(),
                (false, Some(before)) => before.clone(),
                (false, None) => Visit {
                    status: VisitStatus::Cancelled,
                    ..after.clone()
                },
            };
            target.updated = now;
            super::agenda::write_visit(app, &target)?;
            (step.record.clone(), said(None))
        }
    };
    if matches!(step.record, Record::Items(_) | Record::Raised { .. }) {
        super::agenda::reload_screen(app)?;
    }
    // Show where the change happened: the officer sees what came back.
    app.tab = step.tab;
    app.came_from = None;
    Ok(result)
}
