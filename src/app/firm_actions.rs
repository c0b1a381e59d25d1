//! The Firms tab's workflows: the card, the forms for firms and contacts, archiving,
//! importing, and the summary of the selected firm. `update` hands the tab's actions here.

use super::firms::{CardRow, FirmCard};
use super::form::{Confirm, ConfirmKind, Form, FormKind};
use super::undo::Record;
use super::{Action, App, FirmSummary, MessageKind, Overlay, Return, Tab};
use crate::messages as msg;
use crate::model::{Field, Firm, Id, VisitStatus};
use crate::store::StoreError;

/// The Firms tab's own actions; `None` for one it does not handle.
pub(super) fn update(app: &mut App, action: &Action) -> Option<Result<(), StoreError>> {
    Some(match action {
        Action::StartSearch => {
            app.firms.card = None;
            app.overlay = Overlay::Search;
            Ok(())
        }
        Action::AcceptSearch => {
            app.close_overlay();
            open_card(app)
        }
        Action::CancelSearch => {
            app.close_overlay();
            clear_search(app);
            Ok(())
        }
        Action::Open => open(app),
        Action::Back => {
            let card = app.firms.card.take();
            if card.is_none() && app.firms.is_filtered() {
                clear_search(app);
            }
            // A card opened on an item: back to the item.
            match (card, &app.came_from) {
                (Some(_), Some(super::Return::Issue(_))) => super::update::return_to(app),
                _ => Ok(()),
            }
        }
        Action::Edit => start_edit(app),
        Action::NewFirm => {
            app.overlay = Overlay::Form(Form::firm(FormKind::NewFirm, None));
            Ok(())
        }
        Action::AddContact => {
            if let Some(card) = &app.firms.card {
                app.overlay = Overlay::Form(Form::contact(FormKind::NewContact(card.firm), None));
            }
            Ok(())
        }
        Action::RemoveContact => ask_remove_contact(app),
        Action::ImportFirms => {
            app.overlay = Overlay::Form(Form::import_firms());
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
        _ => return None,
    })
}

/// Enter on the Firms tab: on the list, open the firm's card; on the card, open the visit
/// or item under the cursor in its own tab.
pub(super) fn open(app: &mut App) -> Result<(), StoreError> {
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
            super::agenda::open_visit(app, &visit)?;
            app.tab = Tab::Agenda;
            app.came_from = Some(back);
        }
        Some(CardRow::Issue(i)) => {
            let id = card.issues[i].id;
            super::update::show_issue(app, id)?;
        }
        Some(CardRow::Contact(_)) => return start_edit(app),
        None => {}
    }
    Ok(())
}

pub(super) fn clear_search(app: &mut App) {
    app.firms.query = Default::default();
    app.firms.refresh();
}

pub(super) fn open_card(app: &mut App) -> Result<(), StoreError> {
    if let Some(id) = app.firms.selected().map(|f| f.id) {
        app.firms.card = Some(FirmCard::load(app, id)?);
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
    app.overlay = Overlay::Form(form);
    Ok(())
}

fn ask_archive(app: &mut App) -> Result<(), StoreError> {
    if let Some(firm) = app.firms.selected() {
        let archive = !firm.archived;
        app.overlay = Overlay::Confirm(Confirm {
            question: if archive {
                msg::confirm_archive(&firm.name)
            } else {
                msg::confirm_restore(&firm.name)
            },
            kind: ConfirmKind::ArchiveFirm(firm.id, archive),
        });
    }
    Ok(())
}

fn ask_remove_contact(app: &mut App) -> Result<(), StoreError> {
    if let Some((firm, i)) = selected_contact(app) {
        let name = app
            .firm(firm)
            .map(|f| f.contacts[i].name.clone())
            .unwrap_or_default();
        app.overlay = Overlay::Confirm(Confirm {
            question: msg::confirm_remove_contact(&name),
            kind: ConfirmKind::RemoveContact(firm, i),
        });
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
pub(crate) fn write_firm(app: &mut App, firm: &Firm) -> Result<(), StoreError> {
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

/// Imports the CSV file named in the form: good firms are written, bad rows are reported
/// (the first on the status line); a file that cannot be read or used keeps the form open
/// with the reason next to the path.
pub(super) fn import_firms(app: &mut App, mut form: Form) -> Result<(), StoreError> {
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
            app.overlay = Overlay::Form(form);
            return Ok(());
        }
    };
    let report = match import_firms(&app.store, &bytes, &ImportOptions::default(), app.now) {
        Ok(report) => report,
        Err(e) => {
            form.show_message(Field::File, e.to_string());
            app.overlay = Overlay::Form(form);
            return Ok(());
        }
    };
    app.close_overlay();
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
        app.overlay = Overlay::Report(super::Report::new(&text, lines));
    }
    let kind = if report.is_clean() {
        MessageKind::Info
    } else {
        MessageKind::Warning
    };
    app.say(kind, text);
    Ok(())
}

pub(super) fn refresh_firm_summary(app: &mut App) -> Result<(), StoreError> {
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

/// Archives or restores a firm (after its confirmation).
pub(super) fn archive(app: &mut App, id: Id, archive: bool) -> Result<(), StoreError> {
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
    Ok(())
}

/// Removes a contact (after its confirmation).
pub(super) fn remove_contact(app: &mut App, id: Id, index: usize) -> Result<(), StoreError> {
    let Some(mut firm) = app.firm(id).cloned() else {
        return Ok(());
    };
    if index < firm.contacts.len() {
        let removed = firm.contacts.remove(index);
        firm.updated = app.now;
        let label = msg::step_contact(&removed.name, &firm.name, msg::STEP_REMOVED.get());
        save_firm(app, &firm, label)?;
        app.say(MessageKind::Info, msg::contact_removed(&removed.name));
    }
    Ok(())
}

/// Enter in a firm's or a contact's form: every problem beside its field at once; written
/// only when all are valid.
pub(super) fn submit(app: &mut App, mut form: Form) -> Result<(), StoreError> {
    // Every problem beside its field at once, not one per Enter.
    let problems = form.problems();
    if problems.len() > 1 {
        for problem in problems.iter().rev() {
            form.show_error(problem);
        }
        app.overlay = Overlay::Form(form);
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
                ..Firm::new(msg::PLACEHOLDER_NAME.get(), app.now)
                    .expect("placeholder name is valid")
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
                        app.overlay = Overlay::Form(form);
                        return Ok(());
                    }
                    Err(StoreError::Invalid(e)) => Err(e),
                    Err(other) => {
                        app.overlay = Overlay::Form(form);
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
        | FormKind::ExportBrief
        | FormKind::CallNote(_)
        | FormKind::ConflictValue(_)
        | FormKind::ExportBundle
        | FormKind::ImportBundle
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
                        app.close_overlay();
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
                    let label = msg::step_contact(&contact.name, &firm.name, what.get());
                    match save_firm(app, &firm, label) {
                        Ok(()) => {
                            app.say(MessageKind::Info, msg::saved(&contact.name));
                            Ok(())
                        }
                        Err(e) => {
                            app.overlay = Overlay::Form(form);
                            return Err(e);
                        }
                    }
                }
            }
        }
    };
    match outcome {
        Ok(()) => {}
        Err(e) => {
            form.show_error(&e);
            app.overlay = Overlay::Form(form);
        }
    }
    Ok(())
}
