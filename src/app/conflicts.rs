//! Values set on two ledgers at once (issue 14) and bundles, from the TUI: `K` on an item in
//! conflict picks the value to keep (or a new one typed), `Ctrl-E` / `Ctrl-O` on Issues write
//! and apply a bundle. The store does the work (`Store::resolve_conflict`, `transfer::bundle`).
//!
//! A resolution is not undoable: it writes an operation whose `pred` is every value that
//! stood, and no later operation can make those values stand again.

use super::background::Done;
use super::form::{Form, FormKind};
use super::picker::{PickOption, PickPurpose, PickValue, Picker};
use super::{App, MessageKind, Overlay};
use crate::messages as msg;
use crate::model::{Field, Id, Priority, Status};
use crate::store::{ledger_code, Head, RecordKind, StoreError};
use crate::transfer::bundle::{self, Scope};

/// The fields of an item whose value is text, which may be typed anew.
const TEXT_FIELDS: [&str; 3] = ["title", "detail", "owner"];

/// A value as people read it: a department or category by name, a status or priority in
/// the interface's words, text as it is.
pub fn value_text(app: &App, field: &str, json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    if value.is_null() {
        return msg::NONE.to_string();
    }
    let id = value.as_str().and_then(|s| s.parse::<Id>().ok());
    let named = match (field, id) {
        ("department", Some(id)) => app.department_name(Some(id)).map(str::to_string),
        ("category", Some(id)) => app.category_name(Some(id)).map(str::to_string),
        ("status", _) => serde_json::from_value::<Status>(value.clone())
            .ok()
            .map(|s| msg::status(s).to_string()),
        ("priority", _) => serde_json::from_value::<Priority>(value.clone())
            .ok()
            .map(|p| msg::priority(p).to_string()),
        _ => None,
    };
    named.unwrap_or_else(|| match value.as_str() {
        Some(text) => text.to_string(),
        None => value.to_string(),
    })
}

/// Who set a value, on which ledger, and when (in local time).
pub fn who(app: &App, head: &Head) -> String {
    msg::head_who(head, app.now.offset())
}

/// `K`: the values standing in the selected item's conflicts, to keep one.
pub fn ask_value(app: &mut App) -> Result<(), StoreError> {
    let Some(id) = app.issues.selected_id() else {
        return Ok(());
    };
    let conflicts = app.store.conflicts_of(RecordKind::Issue, id)?;
    if conflicts.is_empty() {
        app.say(MessageKind::Info, msg::NO_CONFLICT_HERE);
        return Ok(());
    }
    let mut options = Vec::new();
    for conflict in &conflicts {
        for head in &conflict.heads {
            options.push(PickOption::new(
                &value_text(app, &conflict.field, &head.value),
                &format!("{} · {}", conflict.field, who(app, head)),
                PickValue::Conflict {
                    field: conflict.field.clone(),
                    value: head.value.clone(),
                },
            ));
        }
        if let Some(field) = TEXT_FIELDS.iter().find(|f| **f == conflict.field) {
            options.push(PickOption::new(
                msg::TYPE_NEW_VALUE.get(),
                field,
                PickValue::TypeConflict(field),
            ));
        }
    }
    app.overlay = Overlay::Picker(Picker::new(PickPurpose::Conflict, options, vec![id]));
    Ok(())
}

/// A value was picked: kept, or (for text) asked for.
pub fn picked(app: &mut App, targets: Vec<Id>, value: PickValue) -> Result<(), StoreError> {
    let Some(id) = targets.first().copied() else {
        return Ok(());
    };
    match value {
        PickValue::Conflict { field, value } => keep(app, id, &field, &value),
        PickValue::TypeConflict(field) => {
            let current = app
                .store
                .issue(id)?
                .and_then(|issue| serde_json::to_value(&issue).ok())
                .and_then(|v| v.get(field).and_then(|v| v.as_str()).map(str::to_string))
                .unwrap_or_default();
            app.overlay = Overlay::Form(
                Form::single(
                    FormKind::ConflictValue(field),
                    Field::Notes,
                    msg::TYPE_NEW_VALUE.get(),
                    &current,
                )
                .acting_on(vec![id]),
            );
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The typed value of a text field in conflict.
pub fn submit_typed(app: &mut App, form: Form, field: &str) -> Result<(), StoreError> {
    app.close_overlay();
    let Some(id) = form.targets.first().copied() else {
        return Ok(());
    };
    let text = form.text(Field::Notes).trim().to_string();
    keep(app, id, field, &serde_json::Value::String(text).to_string())
}

/// Writes the resolution and shows the item as it now is.
fn keep(app: &mut App, id: Id, field: &str, value: &str) -> Result<(), StoreError> {
    if let Err(e) = app
        .store
        .resolve_conflict(RecordKind::Issue, id, field, value)
    {
        app.say(MessageKind::Error, e.to_string());
        return Ok(());
    }
    if let Some(issue) = app.store.issue(id)? {
        let today = app.today();
        app.issues.upsert(&issue, today);
    }
    super::queue::refresh_conflicts(app)?;
    super::queue::after_change(app)?;
    app.say(
        MessageKind::Info,
        msg::conflict_resolved(field, app.store.conflict_count()),
    );
    Ok(())
}

/// `Ctrl-E` on Issues: where to write a bundle, and for which ledger.
pub fn ask_export(app: &mut App) {
    app.overlay = Overlay::Form(Form::export_bundle(&super::form::home_file(
        "liaison.bundle",
    )));
}

/// `Ctrl-O` on Issues: the bundle to apply.
pub fn ask_import(app: &mut App) {
    app.overlay = Overlay::Form(Form::single(
        FormKind::ImportBundle,
        Field::File,
        msg::LABEL_BUNDLE_FILE.get(),
        "",
    ));
}

pub fn submit_export(app: &mut App, form: Form) -> Result<(), StoreError> {
    app.close_overlay();
    let path = super::form::typed_path(form.text(Field::File).trim());
    let peer = form.text(Field::Owner).trim().to_ascii_uppercase();
    let scope = if peer.is_empty() {
        Scope::All
    } else {
        let known = app.store.versions()?;
        let peers = app.store.peers()?;
        match known
            .keys()
            .chain(peers.iter().map(|(p, _)| p))
            .find(|actor| ledger_code(**actor) == peer)
        {
            Some(actor) => Scope::For(*actor),
            None => {
                app.say(MessageKind::Error, msg::bundle_no_peer(&peer));
                return Ok(());
            }
        }
    };
    match bundle::write(&app.store, &path, scope) {
        Ok(written) => app.say(
            MessageKind::Info,
            msg::bundle_written(written.ops, &path.display().to_string()),
        ),
        Err(e) => app.say(MessageKind::Error, msg::bundle_not_written(&e)),
    }
    Ok(())
}

/// Applies the bundle in the background: ten thousand operations take a second or two, and
/// the screen keeps drawing meanwhile.
pub fn submit_import(app: &mut App, form: Form) -> Result<(), StoreError> {
    app.close_overlay();
    if app.issues.importing {
        app.say(MessageKind::Info, msg::BUNDLE_BUSY);
        return Ok(());
    }
    let path = super::form::typed_path(form.text(Field::File).trim());
    let store = app.store.clone();
    let work = move || {
        Ok(bundle::import(&store, &path)
            .map(|(header, applied)| (ledger_code(header.sender), applied)))
    };
    super::background::spawn(&app.outbox, "the bundle import stopped", work, |result| {
        Done::Bundle(match result {
            Ok(outcome) => outcome,
            Err(e) => Err(e.to_string()),
        })
    });
    app.issues.importing = true;
    app.say(MessageKind::Info, msg::BUNDLE_APPLYING);
    Ok(())
}

/// The bundle was applied (or refused): the lists are read again and the officer told.
pub fn imported(
    app: &mut App,
    outcome: Result<(String, crate::store::Applied), String>,
) -> Result<(), StoreError> {
    app.issues.importing = false;
    match outcome {
        Ok((sender, applied)) => {
            app.reread()?;
            let kind = if applied.conflicts > 0 {
                MessageKind::Warning
            } else {
                MessageKind::Info
            };
            app.say(
                kind,
                msg::bundle_imported(
                    &sender,
                    applied.new_ops,
                    applied.records,
                    applied.conflicts,
                    app.store.conflict_count(),
                ),
            );
        }
        Err(e) => app.say(MessageKind::Error, msg::bundle_failed(&e)),
    }
    Ok(())
}
