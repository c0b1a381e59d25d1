use super::{Action, App, FirmSummary, Mode, Tab, WindowedList};
use crate::model::{Id, VisitStatus};
use crate::store::{Store, StoreError};
use serde::de::DeserializeOwned;

/// Carries out one action. The only function that changes the app's state.
pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Quit => app.quit = true,
        Action::ToggleHelp => {
            app.mode = match app.mode {
                Mode::Help => Mode::Normal,
                Mode::Normal => Mode::Help,
            }
        }
        Action::CloseOverlay => app.mode = Mode::Normal,
        Action::NextTab => app.tab = app.tab.next(),
        Action::PreviousTab => app.tab = app.tab.previous(),
        Action::GoTo(tab) => app.tab = tab,
        Action::Resize(width, height) => app.size = (width, height),
        Action::Down => move_selection(app, |c| c.move_by(1)),
        Action::Up => move_selection(app, |c| c.move_by(-1)),
        Action::PageDown => move_selection(app, |c| c.move_by(c.page())),
        Action::PageUp => move_selection(app, |c| c.move_by(-c.page())),
        Action::Top => move_selection(app, |c| c.select(0)),
        Action::Bottom => move_selection(app, |c| c.select(usize::MAX)),
        Action::Today => {
            if app.tab == Tab::Agenda {
                let today = app.first_visit_from_today();
                app.agenda.cursor.select(today);
            }
        }
    }
    refresh_views(app);
}

fn move_selection(app: &mut App, change: impl FnOnce(&mut super::Cursor)) {
    match app.tab {
        Tab::Firms => change(&mut app.firms.cursor),
        Tab::Agenda => change(&mut app.agenda.cursor),
        Tab::Issues => change(&mut app.issues.cursor),
    }
}

/// Brings what the screen shows up to date with the selection: the rows in view and the
/// selected record's detail. Only what is missing is read, so holding `j` costs one or two
/// reads a step, whatever the size of the ledger.
pub(super) fn refresh_views(app: &mut App) {
    let rows = |tab| crate::ui::list_rows(app.size.0, app.size.1, tab);
    let (firms, agenda, issues) = (rows(Tab::Firms), rows(Tab::Agenda), rows(Tab::Issues));
    app.firms.cursor.set_height(firms);
    app.agenda.cursor.set_height(agenda);
    app.issues.cursor.set_height(issues);
    let result = match app.tab {
        Tab::Firms => refresh_firm_summary(app),
        Tab::Agenda => load_window(&app.store, &mut app.agenda, Store::visit),
        Tab::Issues => load_window(&app.store, &mut app.issues, Store::issue)
            .and_then(|_| refresh_issue_detail(app)),
    };
    if let Err(e) = result {
        app.message = Some(super::Message {
            kind: super::MessageKind::Error,
            text: e.to_string(),
        });
    }
}

fn load_window<T: DeserializeOwned>(
    store: &Store,
    list: &mut WindowedList<T>,
    get: fn(&Store, Id) -> Result<Option<T>, StoreError>,
) -> Result<(), StoreError> {
    let range = list.cursor.visible_range();
    // Keep the cache about one screen large: rows far out of view are dropped.
    if list.rows.len() > 4 * range.len().max(16) {
        let keep: std::collections::HashSet<Id> = list.ids[range.clone()].iter().copied().collect();
        list.rows.retain(|id, _| keep.contains(id));
    }
    let mut first_error = None;
    for id in &list.ids[range] {
        if list.rows.contains_key(id) {
            continue;
        }
        match get(store, *id) {
            Ok(Some(row)) => {
                list.rows.insert(*id, row);
            }
            Ok(None) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

fn refresh_firm_summary(app: &mut App) -> Result<(), StoreError> {
    let Some(firm) = app.firms.firms.get(app.firms.cursor.selected) else {
        app.firms.detail = None;
        return Ok(());
    };
    if app.firms.detail.as_ref().is_some_and(|d| d.firm == firm.id) {
        return Ok(());
    }
    let mut summary = FirmSummary {
        firm: firm.id,
        ..FirmSummary::default()
    };
    let visit_ids = app.store.visit_ids_of_firm(firm.id)?;
    summary.visits = visit_ids.len();
    for id in &visit_ids {
        if let Some(visit) = app.store.visit(*id)? {
            if visit.status == VisitStatus::Planned && visit.start >= app.now {
                summary.planned += 1;
                summary.next_visit = Some(
                    summary
                        .next_visit
                        .map_or(visit.start, |n| n.min(visit.start)),
                );
            } else if visit.status == VisitStatus::Done {
                summary.last_visit = Some(
                    summary
                        .last_visit
                        .map_or(visit.start, |l| l.max(visit.start)),
                );
            }
        }
    }
    let items = app.store.issues_of_firm(firm.id)?;
    summary.items = items.len();
    summary.open_items = items
        .iter()
        .filter(|(_, status)| status.is_some_and(|s| s.is_open()))
        .count();
    app.firms.detail = Some(summary);
    Ok(())
}

fn refresh_issue_detail(app: &mut App) -> Result<(), StoreError> {
    let selected = app.issues.selected_id();
    if app.issue_detail.issue.as_ref().map(|i| i.id) == selected {
        return Ok(());
    }
    app.issue_detail.issue = selected.and_then(|id| app.issues.rows.get(&id).cloned());
    app.issue_detail.events = match selected {
        Some(id) => app.store.events(id)?.records,
        None => Vec::new(),
    };
    Ok(())
}
