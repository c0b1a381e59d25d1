//! The pickers of the Issues tab: a department, priority, category, status or saved view
//! for the items the officer is acting on, and what picking one does.

use super::*;
use crate::app::picker::{PickOption, PickPurpose, PickValue, Picker};
use crate::app::MessageKind;
use crate::app::Overlay;
use crate::messages as msg;
use crate::model::{Priority, Status};

/// Opens a picker on the current targets, its cursor on `current` (the value the selected
/// item has now), when given.
fn picker(
    app: &mut App,
    purpose: PickPurpose,
    options: Vec<PickOption>,
    current: Option<PickValue>,
) {
    let targets = app.issues.targets();
    if targets.is_empty() && purpose != PickPurpose::View {
        return;
    }
    let mut picker = Picker::new(purpose, options, targets);
    if let Some(value) = current {
        picker.select_value(&value);
    }
    app.overlay = Overlay::Picker(picker);
}

pub(in crate::app) fn pick_department(app: &mut App) {
    let mut options = vec![PickOption::new(
        msg::UNASSIGNED.get(),
        "",
        PickValue::Id(None),
    )];
    let current = app.issues.selected().map(|r| r.department);
    // A retired department is offered only to the item that already has it.
    let retired = &app.lookup.retired;
    options.extend(
        app.lookup
            .department_list
            .iter()
            .filter(|d| !retired.contains(&d.id) || current == Some(Some(d.id)))
            .map(|d| PickOption::new(&d.name, &d.full_name, PickValue::Id(Some(d.id)))),
    );
    let current = current.map(PickValue::Id);
    let taken = app
        .lookup
        .department_list
        .iter()
        .flat_map(|d| [d.name.clone(), d.full_name.clone()])
        .collect();
    picker(app, PickPurpose::Department, options, current);
    if let Some(picker) = app.picker_mut() {
        picker.taken = taken;
    }
}

pub(in crate::app) fn pick_priority(app: &mut App) {
    let options = Priority::ALL
        .iter()
        .rev()
        .map(|p| PickOption::new(msg::priority(*p), "", PickValue::Priority(*p)))
        .collect();
    let current = app
        .issues
        .selected()
        .map(|r| PickValue::Priority(r.priority));
    picker(app, PickPurpose::Priority, options, current);
}

pub(in crate::app) fn pick_category(app: &mut App) {
    let mut options = vec![PickOption::new(msg::NONE, "", PickValue::Id(None))];
    let current = app.issues.selected().map(|r| r.category);
    let retired = &app.lookup.retired;
    options.extend(
        app.lookup
            .category_list
            .iter()
            .filter(|c| !retired.contains(&c.id) || current == Some(Some(c.id)))
            .map(|c| PickOption::new(&c.name, &c.code, PickValue::Id(Some(c.id)))),
    );
    let current = current.map(PickValue::Id);
    picker(app, PickPurpose::Category, options, current);
}

/// The statuses the selected item may move to. Closing goes through its own form; new and
/// assigned follow from handing the item over (`a`) or taking it back.
pub(in crate::app) fn pick_status(app: &mut App) {
    let Some((from, handed_over)) = app
        .issues
        .selected()
        .map(|r| (r.status, r.department.is_some()))
    else {
        return;
    };
    let options = Status::ALL
        .into_iter()
        .filter(|to| {
            from.can_become(*to)
                && match to {
                    Status::Closed | Status::New => false,
                    Status::Assigned => handed_over,
                    _ => true,
                }
        })
        .map(|to| PickOption::new(msg::status(to), "", PickValue::Status(to)))
        .collect::<Vec<_>>();
    if options.is_empty() {
        app.say(MessageKind::Info, msg::NO_STATUS_MOVES);
        return;
    }
    picker(app, PickPurpose::Status, options, None);
}

pub(in crate::app) fn pick_view(app: &mut App) {
    let options = app
        .issues
        .views
        .iter()
        .enumerate()
        .map(|(i, v)| PickOption::new(&v.name, &v.filter, PickValue::View(i)))
        .collect();
    let current = app.issues.view.map(PickValue::View);
    picker(app, PickPurpose::View, options, current);
}

/// Enter in a picker.
pub(in crate::app) fn picked(app: &mut App) -> Result<(), StoreError> {
    let Some(picker) = app.take_picker() else {
        return Ok(());
    };
    app.close_overlay();
    let Some(value) = picker.selected().map(|o| o.value.clone()) else {
        return Ok(());
    };
    let targets = picker.targets;
    match (picker.purpose, value) {
        (PickPurpose::Department, PickValue::Id(d)) => triage(app, targets, Triage::Department(d)),
        (PickPurpose::Department, PickValue::NewDepartment(name)) => {
            match crate::model::Department::new(&name, "") {
                Ok(department) => {
                    app.store.put_department(&department)?;
                    app.reload_lists()?;
                    triage(app, targets, Triage::Department(Some(department.id)))
                }
                Err(e) => {
                    app.say(MessageKind::Warning, msg::field_error(&e));
                    Ok(())
                }
            }
        }
        (PickPurpose::Category, PickValue::Id(c)) => triage(app, targets, Triage::Category(c)),
        (PickPurpose::Priority, PickValue::Priority(p)) => {
            triage(app, targets, Triage::Priority(p))
        }
        (PickPurpose::Status, PickValue::Status(s)) => triage(app, targets, Triage::Status(s)),
        (
            purpose @ (PickPurpose::Lists | PickPurpose::ListAction | PickPurpose::MergeInto),
            value,
        ) => super::lists::picked(app, purpose, value, targets),
        (PickPurpose::Verdict, PickValue::Verdict(v)) => {
            crate::app::call::ask_note(app, targets, v);
            Ok(())
        }
        (PickPurpose::Conflict, value) => crate::app::conflicts::picked(app, targets, value),
        (PickPurpose::View, PickValue::View(i)) => {
            show_view(app, i);
            Ok(())
        }
        _ => Ok(()),
    }
}
