//! The one place each tab is dispatched: its key context, its own actions, what it reads
//! again when the selection moves, its cursor and its help. A new tab is a new arm in each
//! function here (and its drawing in `ui/tabs.rs`), not edits across `update`.

use super::form::Form;
use super::input::Edit;
use super::keymap::Scope;
use super::{agenda, queue, Action, App, Cursor, Overlay, Tab};
use crate::messages as msg;
use crate::store::StoreError;

/// The tab's own key context (the list's keys come before it).
pub fn scope(app: &App) -> Scope {
    match app.tab {
        Tab::Firms if app.firms.card.is_some() => Scope::FirmCard,
        Tab::Firms => Scope::Firms,
        Tab::Agenda if app.agenda.screen.is_some() => Scope::Visit,
        Tab::Agenda => Scope::Agenda,
        Tab::Issues => Scope::Issues,
        Tab::Reports => Scope::Reports,
    }
}

/// Is the tab a list the list's keys move in? (Reports moves in its own table.)
pub fn is_list(tab: Tab) -> bool {
    match tab {
        Tab::Firms | Tab::Agenda | Tab::Issues => true,
        Tab::Reports => false,
    }
}

/// What the help lists after the tab's keys: the overlays the tab opens, with headings.
pub fn help_sections(app: &App) -> Vec<(crate::messages::Msg, Scope)> {
    match app.tab {
        Tab::Firms if app.firms.card.is_none() => vec![
            (msg::HELP_SEARCHING, Scope::Search),
            (msg::HELP_IN_FORM, Scope::Form),
        ],
        Tab::Agenda => vec![
            (msg::HELP_MEETING, Scope::Capture),
            (msg::HELP_MINUTES, Scope::Editor),
        ],
        _ => Vec::new(),
    }
}

/// The tab's own actions; `None` for one it does not handle.
pub(super) fn update(app: &mut App, action: &Action) -> Option<Result<(), StoreError>> {
    match app.tab {
        Tab::Firms => super::firm_actions::update(app, action),
        Tab::Agenda => update_agenda(app, action),
        Tab::Issues => update_issues(app, action),
        Tab::Reports => update_reports(app, action),
    }
}

/// The cursor the moving keys move on the tab (the card's, the visit's, else the list's).
pub(super) fn cursor(app: &mut App) -> Option<&mut Cursor> {
    Some(match app.tab {
        Tab::Firms => match app.firms.card.as_mut() {
            Some(card) => &mut card.cursor,
            None => &mut app.firms.cursor,
        },
        Tab::Agenda => match app.agenda.screen.as_mut() {
            Some(screen) => &mut screen.cursor,
            None => &mut app.agenda.cursor,
        },
        Tab::Issues => &mut app.issues.cursor,
        // Its table moves by its own keys.
        Tab::Reports => return None,
    })
}

/// Gives every tab's cursors the rows their lists show at the terminal's size.
pub(super) fn fit(app: &mut App) {
    let rows = |tab| app.layout.rows(tab);
    let (firms, agenda, issues) = (rows(Tab::Firms), rows(Tab::Agenda), rows(Tab::Issues));
    app.firms.cursor.set_height(firms);
    if let Some(card) = app.firms.card.as_mut() {
        card.cursor.set_height(firms);
    }
    app.agenda.cursor.set_height(agenda);
    if let Some(screen) = app.agenda.screen.as_mut() {
        // The visit's items take half the list's height.
        screen.cursor.set_height(agenda / 2);
    }
    app.issues.cursor.set_height(issues);
}

/// Reads what the tab's detail shows for the selection, when it changed.
pub(super) fn refresh(app: &mut App) -> Result<(), StoreError> {
    match app.tab {
        Tab::Firms => super::firm_actions::refresh_firm_summary(app),
        Tab::Agenda | Tab::Reports => Ok(()),
        Tab::Issues => super::update::refresh_issue_detail(app),
    }
}

fn update_reports(app: &mut App, action: &Action) -> Option<Result<(), StoreError>> {
    match action {
        Action::Reports(action) => Some(super::reports::update(app, *action)),
        _ => None,
    }
}

/// The tab was moved to.
pub(super) fn shown(app: &mut App) {
    match app.tab {
        Tab::Reports => super::reports::shown(app),
        Tab::Firms | Tab::Agenda | Tab::Issues => {}
    }
}

fn update_agenda(app: &mut App, action: &Action) -> Option<Result<(), StoreError>> {
    Some(match action {
        Action::Open => super::update::open(app),
        Action::Back => {
            let leads_back = app.agenda.screen.is_some() && app.came_from.is_some();
            agenda::back(app);
            if leads_back {
                super::update::return_to(app)
            } else {
                Ok(())
            }
        }
        Action::Edit => {
            agenda::edit_visit(app);
            Ok(())
        }
        Action::Today => agenda::today(app),
        Action::ToggleView => agenda::toggle_view(app),
        Action::PreviousPeriod => agenda::move_period(app, false),
        Action::NextPeriod => agenda::move_period(app, true),
        Action::GoToDate => {
            app.overlay = Overlay::Form(Form::go_to_date());
            Ok(())
        }
        Action::NewVisit => {
            agenda::new_visit(app);
            Ok(())
        }
        Action::MarkDone => {
            agenda::ask(app, true);
            Ok(())
        }
        Action::CancelVisit => {
            agenda::ask(app, false);
            Ok(())
        }
        Action::Capture => agenda::start_capture(app),
        Action::EditMinutes => agenda::edit_minutes(app),
        Action::ExportAgenda => {
            app.overlay = Overlay::Form(Form::export_agenda(&agenda::default_export_path()));
            Ok(())
        }
        _ => return None,
    })
}

fn update_issues(app: &mut App, action: &Action) -> Option<Result<(), StoreError>> {
    Some(match action {
        Action::Open => super::update::open(app),
        Action::Back => {
            queue::back(app);
            Ok(())
        }
        Action::Edit => queue::ask_edit(app),
        Action::OpenRaisedVisit => super::update::open_raised_visit(app),
        Action::NewItem => {
            queue::ask_new(app);
            Ok(())
        }
        Action::StartFilter => {
            // What is typed after a view's filter is a new term, not the end of its last
            // word (`overdue` + `firm:zsswgc` read as `overduefirm:zsswgc`).
            let input = &mut app.issues.filter_input;
            input.apply(&Edit::End);
            if !input.text.is_empty() && !input.text.ends_with(char::is_whitespace) {
                input.apply(&Edit::Insert(' '));
            }
            app.overlay = Overlay::Filter;
            Ok(())
        }
        Action::NextView => {
            queue::next_view(app, true);
            Ok(())
        }
        Action::PickView => {
            queue::pick_view(app);
            Ok(())
        }
        Action::DeleteView => {
            queue::ask_delete_view(app);
            Ok(())
        }
        Action::SaveView => {
            queue::ask_view_name(app);
            Ok(())
        }
        Action::ManageLists => {
            queue::lists::open(app);
            Ok(())
        }
        Action::CycleSort => {
            queue::cycle_sort(app);
            Ok(())
        }
        Action::ToggleMark => {
            queue::toggle_mark(app);
            Ok(())
        }
        Action::MarkAll => {
            queue::mark_all(app);
            Ok(())
        }
        Action::Assign => {
            queue::pick_department(app);
            Ok(())
        }
        Action::SetPriority => {
            queue::pick_priority(app);
            Ok(())
        }
        Action::SetCategory => {
            queue::pick_category(app);
            Ok(())
        }
        Action::ChangeStatus => {
            queue::pick_status(app);
            Ok(())
        }
        Action::SetDue => {
            queue::ask_due(app);
            Ok(())
        }
        Action::SetOwner => {
            queue::ask_owner(app);
            Ok(())
        }
        Action::SetTags => {
            queue::ask_tags(app);
            Ok(())
        }
        Action::Respond => {
            queue::ask_response(app);
            Ok(())
        }
        Action::CloseItem => queue::ask_close(app),
        Action::RecordCall => {
            super::call::ask_verdict(app);
            Ok(())
        }
        Action::ResolveConflict => super::conflicts::ask_value(app),
        Action::ExportBundle => {
            super::conflicts::ask_export(app);
            Ok(())
        }
        Action::ImportBundle => {
            super::conflicts::ask_import(app);
            Ok(())
        }
        Action::ExportIssues => {
            queue::ask_export(app);
            Ok(())
        }
        _ => return None,
    })
}
