//! The Lists popup (`L` on the Issues tab): rename, merge or retire a department or a
//! category. A chain of pickers: the entry, then what to do with it, then (for a merge) the
//! entry its items go to. The merge moves the items as triage does (`apply`): one history
//! event each, one transaction, one undo step.

use super::actions::{apply, Triage};
use super::*;
use crate::app::form::{Form, FormKind};
use crate::app::picker::{ListOp, PickOption, PickPurpose, PickValue, Picker};
use crate::app::MessageKind;
use crate::app::Overlay;
use crate::messages as msg;
use crate::model::{Category, Department, Field};

/// Opens the list of every department and category, retired ones marked.
pub(in crate::app) fn open(app: &mut App) {
    let retired = &app.lookup.retired;
    let mark = |id: &Id| {
        if retired.contains(id) {
            msg::LIST_RETIRED.get()
        } else {
            ""
        }
    };
    let mut options: Vec<PickOption> = app
        .lookup
        .department_list
        .iter()
        .map(|d| {
            let hint = format!("{} {}{}", msg::LIST_DEPARTMENT, d.full_name, mark(&d.id));
            PickOption::new(&d.name, &hint, PickValue::Id(Some(d.id)))
        })
        .collect();
    options.extend(app.lookup.category_list.iter().map(|c| {
        let hint = format!("{} {}{}", msg::LIST_CATEGORY, c.code, mark(&c.id));
        PickOption::new(&c.name, &hint, PickValue::Id(Some(c.id)))
    }));
    show(app, Picker::new(PickPurpose::Lists, options, Vec::new()));
}

fn show(app: &mut App, picker: Picker) {
    app.overlay = Overlay::Picker(picker);
}

fn department(app: &App, id: Id) -> Option<Department> {
    app.lookup
        .department_list
        .iter()
        .find(|d| d.id == id)
        .cloned()
}

fn category(app: &App, id: Id) -> Option<Category> {
    app.lookup
        .category_list
        .iter()
        .find(|c| c.id == id)
        .cloned()
}

/// The name an entry is shown by.
fn name_of(app: &App, id: Id) -> String {
    department(app, id)
        .map(|d| d.name)
        .or_else(|| category(app, id).map(|c| c.name))
        .unwrap_or_default()
}

/// Enter in one of the Lists pickers.
pub(in crate::app) fn picked(
    app: &mut App,
    purpose: PickPurpose,
    value: PickValue,
    targets: Vec<Id>,
) -> Result<(), StoreError> {
    match (purpose, value) {
        (PickPurpose::Lists, PickValue::Id(Some(id))) => {
            let retire = if app.lookup.retired.contains(&id) {
                msg::LIST_OFFER_AGAIN
            } else {
                msg::LIST_RETIRE
            };
            let options = vec![
                PickOption::new(msg::LIST_RENAME.get(), "", PickValue::List(ListOp::Rename)),
                PickOption::new(msg::LIST_MERGE.get(), "", PickValue::List(ListOp::Merge)),
                PickOption::new(retire.get(), "", PickValue::List(ListOp::Retire)),
            ];
            show(app, Picker::new(PickPurpose::ListAction, options, vec![id]));
        }
        (PickPurpose::ListAction, PickValue::List(op)) => {
            let Some(&id) = targets.first() else {
                return Ok(());
            };
            match op {
                ListOp::Rename => {
                    let name = name_of(app, id);
                    app.overlay = Overlay::Form(Form::single(
                        FormKind::RenameList(id),
                        Field::Name,
                        msg::LABEL_NEW_NAME.get(),
                        &name,
                    ));
                }
                ListOp::Merge => merge_targets(app, id),
                ListOp::Retire => {
                    let retire = !app.lookup.retired.contains(&id);
                    app.store.set_retired(id, retire)?;
                    app.reload_lists()?;
                    let name = name_of(app, id);
                    app.say(MessageKind::Info, msg::list_retired(&name, retire));
                }
            }
        }
        (PickPurpose::MergeInto, PickValue::Id(Some(into))) => {
            if let Some(&from) = targets.first() {
                merge(app, from, into)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The entries of the same list, not retired, that `from`'s items can go to.
fn merge_targets(app: &mut App, from: Id) {
    let retired = &app.lookup.retired;
    let options: Vec<PickOption> = if department(app, from).is_some() {
        app.lookup
            .department_list
            .iter()
            .filter(|d| d.id != from && !retired.contains(&d.id))
            .map(|d| PickOption::new(&d.name, &d.full_name, PickValue::Id(Some(d.id))))
            .collect()
    } else {
        app.lookup
            .category_list
            .iter()
            .filter(|c| c.id != from && !retired.contains(&c.id))
            .map(|c| PickOption::new(&c.name, &c.code, PickValue::Id(Some(c.id))))
            .collect()
    };
    show(
        app,
        Picker::new(PickPurpose::MergeInto, options, vec![from]),
    );
}

/// Moves every item of `from` to `into` as one triage step, then retires `from`.
fn merge(app: &mut App, from: Id, into: Id) -> Result<(), StoreError> {
    let is_department = department(app, from).is_some();
    let mut ids = Vec::new();
    for issue in app.store.scan_issues() {
        let issue = issue?;
        let holds = if is_department {
            issue.department == Some(from)
        } else {
            issue.category == Some(from)
        };
        if holds {
            ids.push(issue.id);
        }
    }
    if !ids.is_empty() {
        let change = if is_department {
            Triage::Department(Some(into))
        } else {
            Triage::Category(Some(into))
        };
        apply(app, &ids, change)?;
    }
    app.store.set_retired(from, true)?;
    app.reload_lists()?;
    let text = msg::list_merged(&name_of(app, from), &name_of(app, into), ids.len());
    app.say(MessageKind::Info, text);
    Ok(())
}

/// Enter in the rename form: a name that is empty, breaks a rule or is another entry's is
/// refused beside the field.
pub(in crate::app) fn submit_rename(
    app: &mut App,
    mut form: Form,
    id: Id,
) -> Result<(), StoreError> {
    let name = form.text(Field::Name).to_string();
    let result = if let Some(d) = department(app, id) {
        let taken = app
            .lookup
            .department_list
            .iter()
            .any(|o| o.id != id && (o.name == name.trim() || o.full_name == name.trim()));
        Department { name, ..d }
            .validated()
            .map(|d| (!taken).then_some(Ok(d)))
    } else if let Some(c) = category(app, id) {
        let taken = app
            .lookup
            .category_list
            .iter()
            .any(|o| o.id != id && o.name == name.trim());
        Category { name, ..c }
            .validated()
            .map(|c| (!taken).then_some(Err(c)))
    } else {
        app.close_overlay();
        return Ok(());
    };
    match result {
        Err(e) => {
            form.show_error(&e);
            app.overlay = Overlay::Form(form);
        }
        Ok(None) => {
            form.show_message(Field::Name, msg::LIST_NAME_TAKEN.to_string());
            app.overlay = Overlay::Form(form);
        }
        Ok(Some(record)) => {
            let new_name = match record {
                Ok(d) => {
                    app.store.put_department(&d)?;
                    d.name
                }
                Err(c) => {
                    app.store.put_category(&c)?;
                    c.name
                }
            };
            app.reload_lists()?;
            app.close_overlay();
            app.issues.applied = None;
            refresh(app);
            app.say(MessageKind::Info, msg::list_renamed(&new_name));
        }
    }
    Ok(())
}
