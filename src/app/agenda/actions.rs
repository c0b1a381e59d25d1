//! What a person does on the Agenda: move between days and weeks, plan and edit visits,
//! mark them done or cancelled, run a meeting (capture items), write the minutes.

use super::*;
use crate::app::App;
use crate::app::Overlay;
use crate::model::{Id, Visit, VisitStatus};
use crate::store::StoreError;
use chrono::Duration;

use crate::app::form::{Confirm, ConfirmKind, Form};
use crate::app::undo::Record;
use crate::app::{MessageKind, Tab};
use crate::messages as msg;
use crate::model::{when, Field};

pub(in crate::app) fn move_period(app: &mut App, forward: bool) -> Result<(), StoreError> {
    let step = app.agenda.step();
    let day = app.agenda.anchor + Duration::days(if forward { step } else { -step });
    app.agenda.screen = None;
    show_day(app, day, None)
}

pub(in crate::app) fn toggle_view(app: &mut App) -> Result<(), StoreError> {
    app.agenda.view = match app.agenda.view {
        AgendaView::Day => AgendaView::Week,
        AgendaView::Week => AgendaView::Day,
    };
    // The day view shows the selected visit's day.
    if app.agenda.view == AgendaView::Day {
        if let Some(visit) = app.agenda.selected() {
            app.agenda.anchor = visit.start.with_timezone(app.now.offset()).date_naive();
        }
    }
    load(app)
}

pub(in crate::app) fn today(app: &mut App) -> Result<(), StoreError> {
    app.agenda.screen = None;
    let (today, now) = (app.today(), app.now);
    show_day(app, today, Some(now))
}

/// Enter on the agenda opens the visit screen; on the visit screen, the item under the
/// cursor opens in the Issues tab.
pub(in crate::app) fn open(app: &mut App) -> Result<Option<Id>, StoreError> {
    match &app.agenda.screen {
        None => {
            if let Some(id) = app.agenda.selected().map(|v| v.id) {
                open_screen(app, id)?;
            }
            Ok(None)
        }
        Some(screen) => Ok(screen.issues.get(screen.cursor.selected).map(|i| i.id)),
    }
}

pub(in crate::app) fn back(app: &mut App) {
    app.agenda.screen = None;
}

/// The visit the agenda's keys act on: the open one, else the selected one.
pub(super) fn current(app: &App) -> Option<&Visit> {
    app.agenda.open_visit().or_else(|| app.agenda.selected())
}

pub(in crate::app) fn ask(app: &mut App, done: bool) {
    let Some(visit) = current(app) else { return };
    let firm = app.firm_name(visit.firm).to_string();
    let when = visit
        .start
        .with_timezone(app.now.offset())
        .format("%m-%d %H:%M")
        .to_string();
    app.overlay = Overlay::Confirm(if done {
        Confirm {
            question: msg::confirm_done(&firm, &when),
            kind: ConfirmKind::MarkDone(visit.id),
        }
    } else {
        Confirm {
            question: msg::confirm_cancel_visit(&firm, &when),
            kind: ConfirmKind::CancelVisit(visit.id),
        }
    });
}

/// Writes a visit as one step of the undo history.
pub(super) fn save(app: &mut App, visit: &Visit, what: &str) -> Result<(), StoreError> {
    let before = app.store.visit(visit.id)?;
    write_visit(app, visit)?;
    let label = msg::step_visit(app.firm_name(visit.firm), what);
    let record = Record::Visit {
        before,
        after: visit.clone(),
    };
    app.history.record(label, Tab::Agenda, record);
    Ok(())
}

/// Writes a visit and shows it again with its screen, if open.
pub(in crate::app) fn write_visit(app: &mut App, visit: &Visit) -> Result<(), StoreError> {
    app.store.put_visit(visit)?;
    app.counts = app.store.counts()?;
    let screen = app.agenda.screen.as_ref().map(|s| s.visit);
    let day = visit.start.with_timezone(app.now.offset()).date_naive();
    let (first, last) = app.agenda.days();
    if day < first || day > last {
        show_day(app, day, None)?;
    } else {
        load(app)?;
    }
    if let Some(pos) = app.agenda.visits.iter().position(|v| v.id == visit.id) {
        app.agenda.cursor.select(pos);
    }
    if screen == Some(visit.id) {
        open_screen(app, visit.id)?;
    }
    app.firms.detail = None;
    Ok(())
}

pub(in crate::app) fn set_status(
    app: &mut App,
    id: Id,
    status: VisitStatus,
) -> Result<(), StoreError> {
    let Some(mut visit) = app.store.visit(id)? else {
        return Ok(());
    };
    visit.status = status;
    visit.updated = app.now;
    save(app, &visit, msg::visit_status(status))?;
    let firm = app.firm_name(visit.firm).to_string();
    app.say(
        MessageKind::Info,
        msg::visit_marked(&firm, msg::visit_status(status)),
    );
    Ok(())
}

pub(in crate::app) fn submit_go_to(app: &mut App, mut form: Form) -> Result<(), StoreError> {
    match when::parse_date(form.text(Field::Start), app.today()) {
        Ok(day) => {
            app.close_overlay();
            app.agenda.screen = None;
            show_day(app, day, None)
        }
        Err(e) => {
            form.show_message(Field::Start, msg::when_error(&e));
            app.overlay = Overlay::Form(form);
            Ok(())
        }
    }
}

/// Where the agenda is exported unless the officer types another path.
pub(in crate::app) fn default_export_path() -> String {
    crate::app::form::home_file("liaison-agenda.ics")
}

/// Writes every visit as iCalendar to the file named in the form, all at once or not at all.
pub(in crate::app) fn submit_export(app: &mut App, form: Form) -> Result<(), StoreError> {
    use crate::transfer::{export_agenda, AgendaExportOptions};
    let written = crate::app::form::write_typed_file(app, form, |app, _, out| {
        export_agenda(&app.store, out, &AgendaExportOptions::default())
    })?;
    if let Some((summary, typed)) = written {
        app.say(
            MessageKind::Info,
            msg::exported_agenda(summary.visits, &typed),
        );
    }
    Ok(())
}
