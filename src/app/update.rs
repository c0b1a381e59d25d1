use super::agenda;
use super::firms::{CardRow, FirmCard};
use super::form::{Confirm, ConfirmKind, Form, FormKind};
use super::input::Edit;
use super::queue;
use super::undo::{self, Record};
use super::{Action, App, FirmSummary, MessageKind, Mode, Return, Tab};
use crate::messages as msg;
use crate::model::{Field, Firm, Id, VisitStatus};
use crate::store::StoreError;

/// Carries out one action. The only function that changes the app's state.
pub fn update(app: &mut App, action: Action) {
    let result = match action {
        Action::Quit => {
            // Minutes typed in a meeting are never thrown away by quitting.
            let saved = if app.editor.is_some() {
                agenda::save_editor(app, false)
            } else {
                Ok(())
            };
            app.quit = true;
            saved
        }
        Action::ToggleHelp => {
            app.mode = match app.mode {
                Mode::Help => Mode::Normal,
                _ => Mode::Help,
            };
            Ok(())
        }
        Action::CloseOverlay => {
            app.mode = Mode::Normal;
            app.report = None;
            Ok(())
        }
        Action::NextTab => go_to(app, app.tab.next()),
        Action::PreviousTab => go_to(app, app.tab.previous()),
        Action::GoTo(tab) => go_to(app, tab),
        Action::OpenRaisedVisit => open_raised_visit(app),
        Action::NewItem => {
            queue::ask_new(app);
            Ok(())
        }
        Action::Resize(width, height) => {
            app.size = (width, height);
            Ok(())
        }
        Action::Down if app.mode == Mode::Form => form_arrow(app, 1),
        Action::Up if app.mode == Mode::Form => form_arrow(app, -1),
        Action::Down => move_selection(app, |c| c.move_by(1)),
        Action::Up => move_selection(app, |c| c.move_by(-1)),
        Action::PageDown => move_selection(app, |c| c.move_by(c.page())),
        Action::PageUp => move_selection(app, |c| c.move_by(-c.page())),
        Action::Top => move_selection(app, |c| c.select(0)),
        Action::Bottom => move_selection(app, |c| c.select(usize::MAX)),
        Action::Today => agenda::today(app),
        Action::ToggleView => agenda::toggle_view(app),
        Action::PreviousPeriod => agenda::move_period(app, false),
        Action::NextPeriod => agenda::move_period(app, true),
        Action::GoToDate => {
            app.form = Some(Form::go_to_date());
            app.mode = Mode::Form;
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
        Action::EditorKey(key) => {
            if let Some(editor) = app.editor.as_mut() {
                editor.area.input(key);
            }
            Ok(())
        }
        Action::SaveMinutes => agenda::save_editor(app, false),
        Action::SaveAsAnswer => agenda::save_editor(app, true),
        Action::StartFilter => {
            // What is typed after a view's filter is a new term, not the end of its last
            // word (`overdue` + `firm:zsswgc` read as `overduefirm:zsswgc`).
            let input = &mut app.issues.filter_input;
            input.apply(&Edit::End);
            if !input.text.is_empty() && !input.text.ends_with(char::is_whitespace) {
                input.apply(&Edit::Insert(' '));
            }
            app.mode = Mode::Filter;
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
        Action::Undo => undo::undo(app),
        Action::Redo => undo::redo(app),
        Action::SyncNow => {
            super::server_sync::start(app);
            Ok(())
        }
        Action::ExportIssues => {
            queue::ask_export(app);
            Ok(())
        }
        Action::ExportAgenda => {
            app.form = Some(Form::export_agenda(&agenda::default_export_path()));
            app.mode = Mode::Form;
            Ok(())
        }
        Action::StartSearch => {
            app.firms.card = None;
            app.mode = Mode::Search;
            Ok(())
        }
        Action::Input(edit) => {
            match app.mode {
                Mode::Search => {
                    app.firms.query.apply(&edit);
                    app.firms.refresh();
                }
                Mode::Form => {
                    if let Some(form) = app.form.as_mut() {
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
                    if let Some(picker) = app.picker.as_mut() {
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
        Action::AcceptSearch => {
            app.mode = Mode::Normal;
            open_card(app)
        }
        Action::CancelSearch => {
            app.mode = Mode::Normal;
            clear_search(app);
            Ok(())
        }
        Action::Open => open(app),
        Action::Back => match app.tab {
            Tab::Agenda if app.agenda.screen.is_some() && app.came_from.is_some() => {
                agenda::back(app);
                return_to(app)
            }
            Tab::Agenda => {
                agenda::back(app);
                Ok(())
            }
            Tab::Issues => {
                queue::back(app);
                Ok(())
            }
            _ => {
                if app.firms.card.take().is_none() && app.firms.is_filtered() {
                    clear_search(app);
                }
                Ok(())
            }
        },
        Action::NewFirm => {
            app.form = Some(Form::firm(FormKind::NewFirm, None));
            app.mode = Mode::Form;
            Ok(())
        }
        Action::Edit => match app.tab {
            Tab::Agenda => {
                agenda::edit_visit(app);
                Ok(())
            }
            Tab::Issues => queue::ask_edit(app),
            _ => start_edit(app),
        },
        Action::AddContact => {
            if let Some(card) = &app.firms.card {
                app.form = Some(Form::contact(FormKind::NewContact(card.firm), None));
                app.mode = Mode::Form;
            }
            Ok(())
        }
        Action::RemoveContact => ask_remove_contact(app),
        Action::ImportFirms => {
            app.form = Some(Form::import_firms());
            app.mode = Mode::Form;
            Ok(())
        }
        Action::ArchiveFirm => ask_archive(app),
        Action::MergeFirm => {
            super::firm_merge::ask(app);
            Ok(())
        }
        Action::ToggleArchived => {
            app.firms.show_archived = !app.firms.show_archived;
            app.firms.refresh();
            app.say(
                MessageKind::Info,
                if app.firms.show_archived {
                    msg::SHOWING_ARCHIVED
                } else {
                    msg::HIDING_ARCHIVED
                },
            );
            Ok(())
        }
        Action::NextField | Action::PreviousField => {
            if let Some(form) = app.form.as_mut() {
                let n = form.fields.len();
                form.focus = if action == Action::NextField {
                    (form.focus + 1) % n
                } else {
                    (form.focus + n - 1) % n
                };
            }
            Ok(())
        }
        Action::Submit => match app.mode {
            Mode::Capture => agenda::file_capture(app),
            Mode::Picker => queue::picked(app),
            Mode::Filter => {
                app.mode = Mode::Normal;
                // Now that the filter is typed, its words are also looked for in details and
                // responses.
                queue::refresh(app);
                Ok(())
            }
            _ => submit(app),
        },
        Action::Cancel => {
            app.form = None;
            app.confirm = None;
            app.editor = None;
            app.picker = None;
            if let Some(screen) = app.agenda.screen.as_mut() {
                screen.capture = None;
            }
            app.mode = Mode::Normal;
            Ok(())
        }
        Action::Confirm => confirm(app),
    };
    if let Err(e) = result {
        app.say(MessageKind::Error, e.to_string());
    }
    refresh_views(app);
}

/// ↓/↑ in a form: through the candidates a field offers (the firms a name matches), else
/// to the next or previous field.
fn form_arrow(app: &mut App, step: isize) -> Result<(), StoreError> {
    let Some(form) = app.form.as_mut() else {
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
    // Moving by hand: Esc on a visit no longer leads back.
    app.came_from = None;
    Ok(())
}

/// `m` on Issues: the visit the selected item was raised in; Esc comes back to the item.
fn open_raised_visit(app: &mut App) -> Result<(), StoreError> {
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
fn return_to(app: &mut App) -> Result<(), StoreError> {
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
fn show_issue(app: &mut App, id: Id) -> Result<(), StoreError> {
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
    match app.mode {
        Mode::Picker => {
            if let Some(picker) = app.picker.as_mut() {
                change(&mut picker.cursor);
            }
            return Ok(());
        }
        Mode::Report => {
            if let Some(report) = app.report.as_mut() {
                change(&mut report.cursor);
            }
            return Ok(());
        }
        Mode::Normal | Mode::Filter | Mode::Search => {}
        Mode::Form | Mode::Confirm | Mode::Editor | Mode::Capture | Mode::Help => return Ok(()),
    }
    match app.tab {
        Tab::Firms => match app.firms.card.as_mut() {
            Some(card) => change(&mut card.cursor),
            None => change(&mut app.firms.cursor),
        },
        Tab::Agenda => match app.agenda.screen.as_mut() {
            Some(screen) => change(&mut screen.cursor),
            None => change(&mut app.agenda.cursor),
        },
        Tab::Issues => change(&mut app.issues.cursor),
    }
    Ok(())
}

fn clear_search(app: &mut App) {
    app.firms.query = Default::default();
    app.firms.refresh();
}

fn open_card(app: &mut App) -> Result<(), StoreError> {
    if let Some(id) = app.firms.selected().map(|f| f.id) {
        app.firms.card = Some(FirmCard::load(app, id)?);
    }
    Ok(())
}

/// Enter: on the list, open the firm's card; on the card, open the visit or item under the
/// cursor in its own tab.
fn open(app: &mut App) -> Result<(), StoreError> {
    if app.tab == Tab::Agenda {
        if let Some(issue) = agenda::open(app)? {
            show_issue(app, issue)?;
        }
        return Ok(());
    }
    if app.tab == Tab::Issues {
        // The firm's card: its contacts are who to call about the item.
        let Some(firm) = app.issues.selected().map(|r| r.firm) else {
            return Ok(());
        };
        clear_search(app);
        if let Some(pos) = app
            .firms
            .shown
            .iter()
            .position(|(i, _)| app.firms.all[*i].id == firm)
        {
            app.firms.cursor.select(pos);
        }
        app.tab = Tab::Firms;
        return open_card(app);
    }
    if app.tab != Tab::Firms {
        return Ok(());
    }
    let Some(card) = &app.firms.card else {
        return open_card(app);
    };
    let contacts = app.firm(card.firm).map_or(0, |f| f.contacts.len());
    match card.row(contacts, card.cursor.selected) {
        Some(CardRow::Visit(i)) => {
            let visit = card.visits[i].clone();
            let back = Return::FirmCard {
                firm: card.firm,
                row: card.cursor.selected,
            };
            agenda::open_visit(app, &visit)?;
            app.tab = Tab::Agenda;
            app.came_from = Some(back);
        }
        Some(CardRow::Issue(i)) => {
            let id = card.issues[i].id;
            show_issue(app, id)?;
        }
        Some(CardRow::Contact(_)) => return start_edit(app),
        None => {}
    }
    Ok(())
}

fn selected_contact(app: &App) -> Option<(Id, usize)> {
    let card = app.firms.card.as_ref()?;
    let contacts = app.firm(card.firm)?.contacts.len();
    match card.row(contacts, card.cursor.selected)? {
        CardRow::Contact(i) => Some((card.firm, i)),
        _ => None,
    }
}

fn start_edit(app: &mut App) -> Result<(), StoreError> {
    if app.tab != Tab::Firms {
        return Ok(());
    }
    let form = if let Some((firm, i)) = selected_contact(app) {
        let contact = app.firm(firm).and_then(|f| f.contacts.get(i));
        Form::contact(FormKind::EditContact(firm, i), contact)
    } else {
        let firm = match &app.firms.card {
            Some(card) => app.firm(card.firm),
            None => app.firms.selected(),
        };
        let Some(firm) = firm else { return Ok(()) };
        Form::firm(FormKind::EditFirm(firm.id), Some(firm))
    };
    app.form = Some(form);
    app.mode = Mode::Form;
    Ok(())
}

fn ask_archive(app: &mut App) -> Result<(), StoreError> {
    if let Some(firm) = app.firms.selected() {
        let archive = !firm.archived;
        app.confirm = Some(Confirm {
            question: if archive {
                msg::confirm_archive(&firm.name)
            } else {
                msg::confirm_restore(&firm.name)
            },
            kind: ConfirmKind::ArchiveFirm(firm.id, archive),
        });
        app.mode = Mode::Confirm;
    }
    Ok(())
}

fn ask_remove_contact(app: &mut App) -> Result<(), StoreError> {
    if let Some((firm, i)) = selected_contact(app) {
        let name = app
            .firm(firm)
            .map(|f| f.contacts[i].name.clone())
            .unwrap_or_default();
        app.confirm = Some(Confirm {
            question: msg::confirm_remove_contact(&name),
            kind: ConfirmKind::RemoveContact(firm, i),
        });
        app.mode = Mode::Confirm;
    }
    Ok(())
}

/// Writes a changed firm as one step of the undo history.
fn save_firm(app: &mut App, firm: &Firm, label: String) -> Result<(), StoreError> {
    let before = app.firm(firm.id).cloned();
    write_firm(app, firm)?;
    let record = Record::Firm {
        before,
        after: firm.clone(),
    };
    app.history.record(label, Tab::Firms, record);
    Ok(())
}

/// Writes a firm, then refreshes the directory and the open card.
pub(super) fn write_firm(app: &mut App, firm: &Firm) -> Result<(), StoreError> {
    app.store.put_firm(firm)?;
    app.counts = app.store.counts()?;
    let card_cursor = app.firms.card.as_ref().map(|c| (c.firm, c.cursor.selected));
    super::firms::load(app, false)?;
    super::queue::firms_changed(app);
    if let Some(pos) = app
        .firms
        .shown
        .iter()
        .position(|(i, _)| app.firms.all[*i].id == firm.id)
    {
        app.firms.cursor.select(pos);
    }
    if let Some((id, selected)) = card_cursor {
        let mut card = FirmCard::load(app, id)?;
        card.cursor.select(selected);
        app.firms.card = Some(card);
    }
    Ok(())
}

fn confirm(app: &mut App) -> Result<(), StoreError> {
    let Some(question) = app.confirm.take() else {
        return Ok(());
    };
    app.mode = Mode::Normal;
    match question.kind {
        ConfirmKind::Triage(ids, change) => queue::apply(app, &ids, change)?,
        ConfirmKind::DeleteView(id) => queue::delete_view(app, id)?,
        ConfirmKind::MergeFirm(from, into) => super::firm_merge::merge(app, from, into)?,
        ConfirmKind::MarkDone(id) => agenda::set_status(app, id, VisitStatus::Done)?,
        ConfirmKind::CancelVisit(id) => agenda::set_status(app, id, VisitStatus::Cancelled)?,
        ConfirmKind::ArchiveFirm(id, archive) => {
            let Some(mut firm) = app.firm(id).cloned() else {
                return Ok(());
            };
            firm.archived = archive;
            firm.updated = app.now;
            save_firm(app, &firm, msg::step_archived(&firm.name, archive))?;
            let text = if archive {
                msg::archived(&firm.name)
            } else {
                msg::restored(&firm.name)
            };
            app.say(MessageKind::Info, text);
        }
        ConfirmKind::RemoveContact(id, index) => {
            let Some(mut firm) = app.firm(id).cloned() else {
                return Ok(());
            };
            if index < firm.contacts.len() {
                let removed = firm.contacts.remove(index);
                firm.updated = app.now;
                let label = msg::step_contact(&removed.name, &firm.name, msg::STEP_REMOVED);
                save_firm(app, &firm, label)?;
                app.say(MessageKind::Info, msg::contact_removed(&removed.name));
            }
        }
    }
    Ok(())
}

/// Enter in a form: validate every field; write only when all are valid; the message says
/// "saved" only after the write was flushed.
fn submit(app: &mut App) -> Result<(), StoreError> {
    let Some(mut form) = app.form.take() else {
        return Ok(());
    };
    form.clear_errors();
    match form.kind {
        FormKind::ImportFirms => return import_firms(app, form),
        FormKind::NewVisit | FormKind::EditVisit(_) => return agenda::submit_visit(app, form),
        FormKind::GoToDate => return agenda::submit_go_to(app, form),
        FormKind::ExportAgenda => return agenda::submit_export(app, form),
        FormKind::SetDue | FormKind::SetOwner | FormKind::Close | FormKind::SaveView => {
            return queue::submit(app, form)
        }
        FormKind::ExportIssues => return queue::submit_export(app, form),
        FormKind::RenameList(id) => return queue::lists::submit_rename(app, form, id),
        FormKind::MergeFirm(from) => return super::firm_merge::submit(app, form, from),
        FormKind::SetTags => return queue::submit_tags(app, form),
        FormKind::EditIssue(_) | FormKind::NewIssue => return queue::submit_issue(app, form),
        _ => {}
    }
    // Every problem beside its field at once, not one per Enter.
    let problems = form.problems();
    if problems.len() > 1 {
        for problem in problems.iter().rev() {
            form.show_error(problem);
        }
        app.form = Some(form);
        return Ok(());
    }
    let outcome = match form.kind {
        FormKind::NewFirm | FormKind::EditFirm(_) => {
            let base = match form.kind {
                FormKind::EditFirm(id) => app.firm(id).cloned(),
                _ => None,
            };
            let is_new = base.is_none();
            let base = base.unwrap_or_else(|| Firm {
                id: Id::new(),
                ..Firm::new(msg::PLACEHOLDER_NAME, app.now).expect("placeholder name is valid")
            });
            match form.to_firm(Firm {
                updated: app.now,
                ..base
            }) {
                Err(e) => Err(e),
                Ok(firm) => match save_firm(
                    app,
                    &firm,
                    if is_new {
                        msg::step_firm_added(&firm.name)
                    } else {
                        msg::step_firm_edited(&firm.name)
                    },
                ) {
                    Ok(()) => {
                        app.say(
                            MessageKind::Info,
                            if is_new {
                                msg::firm_added(&firm.name)
                            } else {
                                msg::saved(&firm.name)
                            },
                        );
                        Ok(())
                    }
                    Err(StoreError::DuplicateName { name, .. }) => {
                        form.show_message(Field::Name, msg::duplicate_name(&name));
                        app.form = Some(form);
                        return Ok(());
                    }
                    Err(StoreError::Invalid(e)) => Err(e),
                    Err(other) => {
                        app.form = Some(form);
                        return Err(other);
                    }
                },
            }
        }
        FormKind::ImportFirms
        | FormKind::NewVisit
        | FormKind::EditVisit(_)
        | FormKind::GoToDate
        | FormKind::ExportAgenda
        | FormKind::ExportIssues
        | FormKind::SetDue
        | FormKind::SetOwner
        | FormKind::SetTags
        | FormKind::Close
        | FormKind::SaveView
        | FormKind::EditIssue(_)
        | FormKind::NewIssue
        | FormKind::RenameList(_)
        | FormKind::MergeFirm(_) => {
            unreachable!("handled above")
        }
        FormKind::NewContact(firm_id) | FormKind::EditContact(firm_id, _) => {
            match form.to_contact() {
                Err(e) => Err(e),
                Ok(contact) => {
                    let Some(mut firm) = app.firm(firm_id).cloned() else {
                        app.mode = Mode::Normal;
                        return Ok(());
                    };
                    let what = match form.kind {
                        FormKind::EditContact(_, i) if i < firm.contacts.len() => {
                            firm.contacts[i] = contact.clone();
                            msg::STEP_EDITED
                        }
                        _ => {
                            firm.contacts.push(contact.clone());
                            msg::STEP_ADDED
                        }
                    };
                    firm.updated = app.now;
                    let label = msg::step_contact(&contact.name, &firm.name, what);
                    match save_firm(app, &firm, label) {
                        Ok(()) => {
                            app.say(MessageKind::Info, msg::saved(&contact.name));
                            Ok(())
                        }
                        Err(e) => {
                            app.form = Some(form);
                            return Err(e);
                        }
                    }
                }
            }
        }
    };
    match outcome {
        Ok(()) => app.mode = Mode::Normal,
        Err(e) => {
            form.show_error(&e);
            app.form = Some(form);
        }
    }
    Ok(())
}

/// Imports the CSV file named in the form: good firms are written, bad rows are reported
/// (the first on the status line); a file that cannot be read or used keeps the form open
/// with the reason next to the path.
fn import_firms(app: &mut App, mut form: Form) -> Result<(), StoreError> {
    use crate::transfer::{import_firms, ImportOptions};
    let typed = form.text(Field::File).trim().to_string();
    let path = match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(&typed),
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            form.show_message(Field::File, msg::cannot_read(&typed, &e.to_string()));
            app.form = Some(form);
            return Ok(());
        }
    };
    let report = match import_firms(&app.store, &bytes, &ImportOptions::default(), app.now) {
        Ok(report) => report,
        Err(e) => {
            form.show_message(Field::File, e.to_string());
            app.form = Some(form);
            return Ok(());
        }
    };
    app.mode = Mode::Normal;
    super::firms::load(app, false)?;
    super::queue::firms_changed(app);
    app.counts = app.store.counts()?;
    let text = msg::imported(
        &typed,
        report.added(),
        report.updated(),
        report.unchanged(),
        report.errors.len(),
    );
    if !report.errors.is_empty() {
        // Every bad row, in a list to scroll (the status line has room for one).
        let lines = report
            .errors
            .iter()
            .map(|e| msg::bad_row(e.line, &e.field, &e.message))
            .collect();
        app.report = Some(super::Report::new(&text, lines));
        app.mode = Mode::Report;
    }
    let kind = if report.is_clean() {
        MessageKind::Info
    } else {
        MessageKind::Warning
    };
    app.say(kind, text);
    Ok(())
}

/// Brings what the screen shows up to date with the selection: the rows in view and the
/// selected record's detail. Only what is missing is read, so holding `j` costs one or two
/// reads a step, whatever the size of the ledger.
pub(super) fn refresh_views(app: &mut App) {
    let rows = |tab| crate::ui::list_rows(app.size.0, app.size.1, tab);
    let (firms, agenda, issues) = (rows(Tab::Firms), rows(Tab::Agenda), rows(Tab::Issues));
    app.firms.cursor.set_height(firms);
    if let Some(card) = app.firms.card.as_mut() {
        card.cursor.set_height(firms);
    }
    app.agenda.cursor.set_height(agenda);
    if let Some(screen) = app.agenda.screen.as_mut() {
        screen.cursor.set_height(agenda / 2);
    }
    app.issues.cursor.set_height(issues);
    let result = match app.tab {
        Tab::Firms => refresh_firm_summary(app),
        Tab::Agenda => Ok(()),
        Tab::Issues => refresh_issue_detail(app),
    };
    if let Err(e) = result {
        app.say(MessageKind::Error, e.to_string());
    }
}

fn refresh_firm_summary(app: &mut App) -> Result<(), StoreError> {
    let Some(firm) = app.firms.selected().map(|f| f.id) else {
        app.firms.detail = None;
        return Ok(());
    };
    if app.firms.detail.as_ref().is_some_and(|d| d.firm == firm) {
        return Ok(());
    }
    let mut summary = FirmSummary {
        firm,
        ..FirmSummary::default()
    };
    let visit_ids = app.store.visit_ids_of_firm(firm)?;
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
    let items = app.store.issues_of_firm(firm)?;
    summary.items = items.len();
    summary.open_items = items
        .iter()
        .filter(|(_, status)| status.is_some_and(|s| s.is_open()))
        .count();
    app.firms.detail = Some(summary);
    Ok(())
}

/// Reads the selected item's full record and history when the selection moves to it.
fn refresh_issue_detail(app: &mut App) -> Result<(), StoreError> {
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
