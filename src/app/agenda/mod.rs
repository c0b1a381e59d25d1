//! The Agenda tab's state: a day or a week of visits read by one range of the time index,
//! the visit screen with the minutes and the items raised, and meeting mode's capture line.

mod actions;
mod meeting;
mod visit_form;
pub(in crate::app) use actions::*;
pub(in crate::app) use meeting::*;
pub use meeting::{EditorPurpose, TextEditor};
pub(in crate::app) use visit_form::*;

use super::input::TextInput;
use super::{App, Cursor};
use crate::model::{Id, Issue, LocalTime, Visit, VisitStatus};
use crate::store::StoreError;
use chrono::{Duration, NaiveDate, TimeZone};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaView {
    Day,
    Week,
}

#[derive(Debug)]
pub struct AgendaState {
    pub view: AgendaView,
    /// The day shown, or a day of the week shown.
    pub anchor: NaiveDate,
    /// The visits of the days shown, in time order.
    pub visits: Vec<Visit>,
    /// Visits that overlap another visit.
    pub conflicts: HashSet<Id>,
    pub cursor: Cursor,
    pub screen: Option<VisitScreen>,
    pub week_start: crate::model::when::WeekStart,
}

impl Default for AgendaState {
    fn default() -> Self {
        AgendaState {
            view: AgendaView::Week,
            anchor: NaiveDate::default(),
            visits: Vec::new(),
            conflicts: HashSet::new(),
            cursor: Cursor::default(),
            screen: None,
            week_start: Default::default(),
        }
    }
}

/// The open visit: its items (those raised in it), a cursor over them, and in meeting mode
/// the line where the next item's title is typed.
#[derive(Debug)]
pub struct VisitScreen {
    pub visit: Id,
    pub issues: Vec<Issue>,
    pub cursor: Cursor,
    pub capture: Option<TextInput>,
}

impl AgendaState {
    pub fn selected(&self) -> Option<&Visit> {
        self.visits.get(self.cursor.selected)
    }

    /// The first and last day shown: the anchor's day, or the calendar week holding it
    /// (Monday to Sunday unless the week is set to start on Sunday).
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        match self.view {
            AgendaView::Day => (self.anchor, self.anchor),
            AgendaView::Week => {
                let first = self.week_start.first_day(self.anchor);
                (first, first + Duration::days(6))
            }
        }
    }

    /// How far `[` and `]` move.
    pub fn step(&self) -> i64 {
        match self.view {
            AgendaView::Day => 1,
            AgendaView::Week => 7,
        }
    }

    /// The visit open on the visit screen.
    pub fn open_visit(&self) -> Option<&Visit> {
        let id = self.screen.as_ref()?.visit;
        self.visits.iter().find(|v| v.id == id)
    }
}

fn start_of(day: NaiveDate, now: LocalTime) -> i64 {
    now.offset()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .map_or(0, |t| t.timestamp())
}

/// Two visits clash when one starts before the other ends, whoever leads them: a zone's
/// leader is one person, whoever is named lead. Cancelled ones never clash.
pub fn clash(a: &Visit, b: &Visit) -> bool {
    a.id != b.id
        && a.status != VisitStatus::Cancelled
        && b.status != VisitStatus::Cancelled
        && a.start < b.end()
        && b.start < a.end()
}

pub fn conflicts(visits: &[Visit]) -> HashSet<Id> {
    let mut clashing = HashSet::new();
    for (i, a) in visits.iter().enumerate() {
        for b in &visits[i + 1..] {
            if clash(a, b) {
                clashing.insert(a.id);
                clashing.insert(b.id);
            }
        }
    }
    clashing
}

/// Reads the visits of the days shown, keeping the selection on the same visit if it is
/// still there.
pub(super) fn load(app: &mut App) -> Result<(), StoreError> {
    let (first, last) = app.agenda.days();
    let from = start_of(first, app.now);
    let to = start_of(last + Duration::days(1), app.now);
    let selected = app.agenda.selected().map(|v| v.id);
    let loaded = app.store.visits_between(from, to)?;
    app.agenda.conflicts = conflicts(&loaded.records);
    app.agenda.visits = loaded.records;
    app.agenda.cursor.set_len(app.agenda.visits.len());
    if let Some(pos) = selected.and_then(|id| app.agenda.visits.iter().position(|v| v.id == id)) {
        app.agenda.cursor.select(pos);
    }
    Ok(())
}

/// Shows the days around `day` and selects the first visit from `from` on (or the last).
pub(super) fn show_day(
    app: &mut App,
    day: NaiveDate,
    from: Option<LocalTime>,
) -> Result<(), StoreError> {
    app.agenda.anchor = day;
    app.agenda.cursor = Cursor {
        height: app.agenda.cursor.height,
        ..Cursor::default()
    };
    load(app)?;
    if let Some(from) = from {
        let pos = app
            .agenda
            .visits
            .iter()
            .position(|v| v.start >= from)
            .unwrap_or(app.agenda.visits.len().saturating_sub(1));
        app.agenda.cursor.select(pos);
    }
    Ok(())
}

/// Opens a visit's screen, showing its week or day first.
pub(super) fn open_visit(app: &mut App, visit: &Visit) -> Result<(), StoreError> {
    let day = visit.start.with_timezone(app.now.offset()).date_naive();
    show_day(app, day, None)?;
    if let Some(pos) = app.agenda.visits.iter().position(|v| v.id == visit.id) {
        app.agenda.cursor.select(pos);
    }
    open_screen(app, visit.id)
}

/// Reads again the items of the open visit, if one is open (an undo changed one).
pub(in crate::app) fn reload_screen(app: &mut App) -> Result<(), StoreError> {
    match app.agenda.screen.as_ref().map(|s| s.visit) {
        Some(visit) => open_screen(app, visit),
        None => Ok(()),
    }
}

/// Reads the items raised in a visit: the firm's items that name this visit.
pub(super) fn open_screen(app: &mut App, visit: Id) -> Result<(), StoreError> {
    let capture = app
        .agenda
        .screen
        .as_mut()
        .filter(|s| s.visit == visit)
        .and_then(|s| s.capture.take());
    let Some(firm) = app
        .agenda
        .visits
        .iter()
        .find(|v| v.id == visit)
        .map(|v| v.firm)
    else {
        return Ok(());
    };
    let mut issues = Vec::new();
    for (id, _) in app.store.issues_of_firm(firm)? {
        if let Some(issue) = app.store.issue(id)? {
            if issue.visit == Some(visit) {
                issues.push(issue);
            }
        }
    }
    issues.sort_by_key(|i| i.number);
    let mut cursor = Cursor::default();
    cursor.set_len(issues.len());
    cursor.select(issues.len());
    app.agenda.screen = Some(VisitScreen {
        visit,
        issues,
        cursor,
        capture,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn visit(lead: &str, start: &str, minutes: u32) -> Visit {
        let start = DateTime::parse_from_rfc3339(start).unwrap();
        Visit {
            id: Id::new(),
            firm: Id::new(),
            start,
            duration_min: minutes,
            location: String::new(),
            lead: lead.into(),
            attendees: vec![],
            purpose: String::new(),
            status: VisitStatus::Planned,
            minutes: String::new(),
            created: start,
            updated: start,
        }
    }

    #[test]
    fn overlapping_visits_conflict_whoever_leads_them() {
        let a = visit("陈文锋", "2026-12-13T09:30:00+08:00", 90);
        let b = visit("陈文锋", "2026-12-13T10:30:00+08:00", 60);
        let c = visit("李晓", "2026-12-13T10:00:00+08:00", 60);
        let d = visit("陈文锋", "2026-12-13T11:30:00+08:00", 60);
        let found = conflicts(&[a.clone(), b.clone(), c.clone(), d.clone()]);
        assert!(found.contains(&a.id) && found.contains(&b.id));
        assert!(
            found.contains(&c.id),
            "another lead: the zone's leader is one person"
        );
        assert!(
            !found.contains(&d.id),
            "starting as the other ends is no clash"
        );
        let mut cancelled = b.clone();
        cancelled.status = VisitStatus::Cancelled;
        assert!(conflicts(&[a, cancelled]).is_empty());
    }
}
