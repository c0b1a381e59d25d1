use super::agenda;
use super::firms::FirmCard;
use super::form::{ConfirmKind, FormKind};
use super::input::Edit;
use super::queue;
use super::undo;
use super::{Action, App, MessageKind, Mode, Overlay, Return, Tab};
use crate::messages as msg;
use crate::model::{Id, VisitStatus};
use crate::store::{RecordKind, StoreError};

/// Carries out one action. The only function that changes the app's state.
pub fn update(app: &mut App, action: Action) {
    // A message stays until the next key (or its time is up): what the loop sends on its
    // own does not count as one.
    let from_a_key = !matches!(
        action,
        Action::Background(_)
            | Action::Tick(_)
            | Action::Clock(_)
            | Action::Batching(_)
            | Action::Resize(_)
    );
    if from_a_key {
        app.message = None;
    }
    let result = match action {
        Action::Quit => {
            // Minutes typed in a meeting are never thrown away by quitting.
            let saved = if app.editor().is_some() {
                agenda::save_editor(app, false)
            } else {
                Ok(())
            };
            app.quit = true;
            saved
        }
        Action::ToggleHelp => {
            app.overlay = match app.overlay {
                Overlay::Help { .. } => Overlay::None,
                _ => Overlay::Help { scroll: 0 },
            };
            Ok(())
        }
        Action::CloseOverlay => {
            app.close_overlay();
            Ok(())
        }
        Action::NextTab => go_to(app, app.tab.next()),
        Action::PreviousTab => go_to(app, app.tab.previous()),
        Action::GoTo(tab) => go_to(app, tab),
        Action::Resize(layout) => {
            app.layout = layout;
            Ok(())
        }
        Action::Batching(more) => {
            app.batching = more;
            if !more && app.issues.refresh_pending {
                queue::refresh(app);
            }
            Ok(())
        }
        Action::Background(arrived) => match arrived.take().map(|done| queue::arrived(app, done)) {
            Some(Ok(damaged)) => {
                app.warn_damaged(&damaged);
                Ok(())
            }
            Some(Err(e)) => Err(e),
            None => Ok(()),
        },
        Action::Clock(now) => {
            let new_day = now.date_naive() != app.today();
            app.now = now;
            // What is overdue (and due this week) moved with the day.
            if new_day {
                queue::refresh(app);
            }
            return;
        }
        Action::Tick(now) => {
            // Only the message's time and whether a sync is due: nothing is read again.
            if app.message.as_ref().is_some_and(|m| m.expired(now)) {
                app.message = None;
            }
            super::server_sync::tick(app, now);
            return;
        }
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom
            if app.mode() == Mode::Help =>
        {
            super::help::scroll(app, |at, page| {
                let (at, page) = (at as isize, page as isize);
                match action {
                    Action::Down => at + 1,
                    Action::Up => at - 1,
                    Action::PageDown => at + page,
                    Action::PageUp => at - page,
                    Action::Top => 0,
                    _ => isize::MAX,
                }
            });
            Ok(())
        }
        Action::Down if app.mode() == Mode::Form => form_arrow(app, 1),
        Action::Up if app.mode() == Mode::Form => form_arrow(app, -1),
        Action::Down => move_selection(app, |c| c.move_by(1)),
        Action::Up => move_selection(app, |c| c.move_by(-1)),
        Action::PageDown => move_selection(app, |c| c.move_by(c.page())),
        Action::PageUp => move_selection(app, |c| c.move_by(-c.page())),
        Action::Top => move_selection(app, |c| c.select(0)),
        Action::Bottom => move_selection(app, |c| c.select(usize::MAX)),
        Action::EditorKey(key) => {
            if let Some(editor) = app.editor_mut() {
                editor.area.input(key);
            }
            Ok(())
        }
        Action::SaveMinutes => agenda::save_editor(app, false),
        Action::SaveAsAnswer => agenda::save_editor(app, true),
        Action::Undo => undo::undo(app),
        Action::Redo => undo::redo(app),
        Action::SyncNow => {
            super::server_sync::start(app);
            Ok(())
        }
        Action::Input(edit) => {
            match app.mode() {
                Mode::Search => {
                    app.firms.query.apply(&edit);
                    app.firms.refresh();
                }
                Mode::Form => {
                    if let Some(form) = app.form_mut() {
                        let focus = form.focus;
                        form.fields[focus].edit(&edit);
                    }
                    agenda::refresh_hints(app);
                }
                Mode::Filter => {
                    app.issues.filter_input.apply(&edit);
                    app.issues.view = None;
                    if app.batching {
                        app.issues.refresh_pending = true;
                    } else {
                        queue::refresh(app);
                    }
                }
                Mode::Picker => {
                    if let Some(picker) = app.picker_mut() {
                        let before = picker.query.text.clone();
                        picker.query.apply(&edit);
                        // Moving in the query (Home, End, ←) keeps the choice.
                        if picker.query.text != before {
                            picker.refresh();
                        }
                    }
                }
                Mode::Capture => {
                    if let Some(line) = app.agenda.screen.as_mut().and_then(|s| s.capture.as_mut())
                    {
                        line.apply(&edit);
                    }
                }
                Mode::Editor => {
                    if let Edit::Paste(text) = &edit {
                        agenda::editor_paste(app, text);
                    }
                }
                _ => {}
            }
            Ok(())
        }
        Action::NextField | Action::PreviousField => {
            if let Some(form) = app.form_mut() {
                let n = form.fields.len();
                form.focus = if action == Action::NextField {
                    (form.focus + 1) % n
                } else {
                    (form.focus + n - 1) % n
                };
            }
            Ok(())
        }
        Action::Submit => match app.mode() {
            Mode::Capture => agenda::file_capture(app),
            Mode::Picker => queue::picked(app),
            Mode::Filter => {
                app.close_overlay();
                // Now that the filter is typed, its words are also looked for in details and
                // responses.
                queue::refresh(app);
                Ok(())
            }
            _ => submit(app),
        },
        Action::Cancel => {
            if let Some(screen) = app.agenda.screen.as_mut() {
                screen.capture = None;
            }
            app.close_overlay();
            Ok(())
        }
        Action::Confirm => confirm(app),
        // The rest belongs to the tab shown.
        other => super::tabs::update(app, &other).unwrap_or(Ok(())),
    };
    if let Err(e) = result {
        app.say(MessageKind::Error, e.to_string());
    }
    refresh_views(app);
    app.server.note_writes(&app.store);
    if let Some(message) = app.message.as_mut() {
        if message.until.is_none() {
            message.until = Some(std::time::Instant::now() + super::MESSAGE_TIME);
        }
    }
}

/// ↓/↑ in a form: through the candidates a field offers (the firms a name matches), else
/// to the next or previous field.
fn form_arrow(app: &mut App, step: isize) -> Result<(), StoreError> {
    let Some(form) = app.form_mut() else {
        return Ok(());
    };
    let n = form.fields.len() as isize;
    let field = &mut form.fields[form.focus];
    if field.choices.len() > 1 {
        let last = field.choices.len() as isize - 1;
        field.chosen = (field.chosen as isize + step).clamp(0, last) as usize;
        field.hint = Some(format!("→ {}", field.choices[field.chosen].1));
    } else {
        form.focus = (form.focus as isize + step).rem_euclid(n) as usize;
    }
    Ok(())
}

fn go_to(app: &mut App, tab: Tab) -> Result<(), StoreError> {
    app.tab = tab;
    super::tabs::shown(app);
    // Moving by hand: Esc on a visit no longer leads back.
    app.came_from = None;
    Ok(())
}

/// `m` on Issues: the visit the selected item was raised in; Esc comes back to the item.
pub(super) fn open_raised_visit(app: &mut App) -> Result<(), StoreError> {
    let Some(detail) = app.issues.detail.as_ref() else {
        return Ok(());
    };
    let Some(visit) = detail.visit.clone() else {
        app.say(MessageKind::Info, msg::NOT_RAISED_IN_A_VISIT);
        return Ok(());
    };
    let item = detail.issue.id;
    agenda::open_visit(app, &visit)?;
    app.tab = Tab::Agenda;
    app.came_from = Some(Return::Issue(item));
    Ok(())
}

/// Esc on a visit opened from elsewhere: back there, with the selection where it was.
pub(super) fn return_to(app: &mut App) -> Result<(), StoreError> {
    match app.came_from.take() {
        Some(Return::FirmCard { firm, row }) => {
            app.tab = Tab::Firms;
            app.firms.card = Some(FirmCard::load(app, firm)?);
            if let Some(card) = app.firms.card.as_mut() {
                card.cursor.select(row);
            }
        }
        Some(Return::Issue(id)) => show_issue(app, id)?,
        None => {}
    }
    Ok(())
}

/// Shows an item in the Issues tab: in the current view if it is there, else in the view of
/// everything.
pub(super) fn show_issue(app: &mut App, id: Id) -> Result<(), StoreError> {
    let find = |app: &App| app.issues.shown_position(id);
    if find(app).is_none() {
        let everything = app
            .issues
            .views
            .iter()
            .position(|v| v.filter.is_empty() && v.saved.is_none());
        if let Some(view) = everything {
            queue::show_view(app, view);
        }
    }
    if let Some(pos) = find(app) {
        app.issues.cursor.select(pos);
        app.tab = Tab::Issues;
    }
    Ok(())
}

fn move_selection(
    app: &mut App,
    change: impl FnOnce(&mut super::Cursor),
) -> Result<(), StoreError> {
    // An open picker owns the moving keys: the list behind it stays where it was.
    match app.mode() {
        Mode::Picker => {
            if let Some(picker) = app.picker_mut() {
                change(&mut picker.cursor);
            }
            return Ok(());
        }
        Mode::Report => {
            if let Overlay::Report(report) = &mut app.overlay {
                change(&mut report.cursor);
            }
            return Ok(());
        }
        Mode::Normal | Mode::Filter | Mode::Search => {}
        Mode::Form | Mode::Confirm | Mode::Editor | Mode::Capture | Mode::Help => return Ok(()),
    }
    if let Some(cursor) = super::tabs::cursor(app) {
        change(cursor);
    }
    Ok(())
}

fn confirm(app: &mut App) -> Result<(), StoreError> {
    let Some(question) = app.take_confirm() else {
        return Ok(());
    };
    app.close_overlay();
    match question.kind {
        ConfirmKind::Triage(ids, change) => queue::apply(app, &ids, change)?,
        ConfirmKind::DeleteView(id) => queue::delete_view(app, id)?,
        ConfirmKind::MergeFirm(from, into) => super::firm_merge::merge(app, from, into)?,
        ConfirmKind::MarkDone(id) => agenda::set_status(app, id, VisitStatus::Done)?,
        ConfirmKind::CancelVisit(id) => agenda::set_status(app, id, VisitStatus::Cancelled)?,
        ConfirmKind::ArchiveFirm(id, archive) => super::firm_actions::archive(app, id, archive)?,
        ConfirmKind::RemoveContact(id, index) => {
            super::firm_actions::remove_contact(app, id, index)?
        }
    }
    Ok(())
}

/// Enter in a form: validate every field; write only when all are valid; the message says
/// "saved" only after the write was flushed.
fn submit(app: &mut App) -> Result<(), StoreError> {
    let Some(mut form) = app.take_form() else {
        return Ok(());
    };
    form.clear_errors();
    match form.kind {
        FormKind::ImportFirms => return super::firm_actions::import_firms(app, form),
        FormKind::NewVisit | FormKind::EditVisit(_) => return agenda::submit_visit(app, form),
        FormKind::GoToDate => return agenda::submit_go_to(app, form),
        FormKind::ExportAgenda => return agenda::submit_export(app, form),
        FormKind::SetDue | FormKind::SetOwner | FormKind::Close | FormKind::SaveView => {
            return queue::submit(app, form)
        }
        FormKind::ExportIssues => return queue::submit_export(app, form),
        FormKind::ExportBrief => return super::reports::submit_export(app, form),
        FormKind::CallNote(verdict) => return super::call::submit_note(app, form, verdict),
        FormKind::ConflictValue(field) => return super::conflicts::submit_typed(app, form, field),
        FormKind::ExportBundle => return super::conflicts::submit_export(app, form),
        FormKind::ImportBundle => return super::conflicts::submit_import(app, form),
        FormKind::RenameList(id) => return queue::lists::submit_rename(app, form, id),
        FormKind::MergeFirm(from) => return super::firm_merge::submit(app, form, from),
        FormKind::SetTags => return queue::submit_tags(app, form),
        FormKind::EditIssue(_) | FormKind::NewIssue => return queue::submit_issue(app, form),
        _ => {}
    }
    super::firm_actions::submit(app, form)
}

/// Brings what the screen shows up to date with the selection: the rows in view and the
/// selected record's detail. Only what is missing is read, so holding `j` costs one or two
/// reads a step, whatever the size of the ledger.
pub(super) fn refresh_views(app: &mut App) {
    super::tabs::fit(app);
    if let Err(e) = super::tabs::refresh(app) {
        app.say(MessageKind::Error, e.to_string());
    }
}

/// Reads the selected item's full record and history when the selection moves to it.
pub(super) fn refresh_issue_detail(app: &mut App) -> Result<(), StoreError> {
    let selected = app.issues.selected_id();
    if app.issues.detail.as_ref().map(|d| d.issue.id) == selected {
        return Ok(());
    }
    app.issues.detail = match selected {
        Some(id) => match app.store.issue(id)? {
            Some(issue) => {
                let visit = match issue.visit {
                    Some(visit) => app.store.visit(visit)?,
                    None => None,
                };
                Some(queue::IssueDetail {
                    events: app.store.events(id)?.records,
                    conflicts: app.store.conflicts_of(RecordKind::Issue, id)?,
                    issue,
                    visit,
                })
            }
            None => None,
        },
        None => None,
    };
    Ok(())
}

/// Enter: what is selected, opened (from the queue: the item's firm card).
pub(super) fn open(app: &mut App) -> Result<(), StoreError> {
    if app.tab == Tab::Agenda {
        if let Some(issue) = agenda::open(app)? {
            show_issue(app, issue)?;
        }
        return Ok(());
    }
    if app.tab == Tab::Issues {
        // The firm's card: its contacts are who to call about the item. Esc comes back.
        let Some(firm) = app.issues.selected().map(|r| r.firm) else {
            return Ok(());
        };
        let item = app.issues.selected_id();
        super::firm_actions::clear_search(app);
        if let Some(pos) = app
            .firms
            .shown
            .iter()
            .position(|(i, _)| app.firms.all[*i].id == firm)
        {
            app.firms.cursor.select(pos);
        }
        app.tab = Tab::Firms;
        super::firm_actions::open_card(app)?;
        app.came_from = item.map(Return::Issue);
        return Ok(());
    }
    super::firm_actions::open(app)
}
