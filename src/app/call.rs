//! `C` on the Issues tab: the follow-up call (回访) of a closed item — the firm's verdict
//! from a picker, then a note; a "not satisfied" verdict then offers to reopen the item.

use super::form::{Confirm, ConfirmKind, Form, FormKind};
use super::picker::{PickOption, PickPurpose, PickValue, Picker};
use super::queue::Triage;
use super::{App, MessageKind, Overlay};
use crate::messages as msg;
use crate::model::{Field, Id, Status, Verdict};
use crate::store::StoreError;

/// Opens the verdict picker for the selected or marked items, if all are closed.
pub fn ask_verdict(app: &mut App) {
    let targets = app.issues.targets();
    if targets.is_empty() {
        return;
    }
    let all_closed = targets.iter().all(
        |id| matches!(app.store.issue(*id), Ok(Some(issue)) if issue.status == Status::Closed),
    );
    if !all_closed {
        app.say(MessageKind::Info, msg::CALL_NEEDS_CLOSED);
        return;
    }
    let options = Verdict::ALL
        .into_iter()
        .map(|v| PickOption::new(msg::verdict_name(v), v.chinese(), PickValue::Verdict(v)))
        .collect();
    app.overlay = Overlay::Picker(Picker::new(PickPurpose::Verdict, options, targets));
}

/// The verdict was picked: the note next.
pub fn ask_note(app: &mut App, targets: Vec<Id>, verdict: Verdict) {
    app.overlay = Overlay::Form(
        Form::single(
            FormKind::CallNote(verdict),
            Field::Notes,
            msg::LABEL_CALL_NOTE.get(),
            "",
        )
        .acting_on(targets),
    );
}

/// Records the call; after "not satisfied", asks whether to reopen the items.
pub fn submit_note(app: &mut App, form: Form, verdict: Verdict) -> Result<(), StoreError> {
    app.close_overlay();
    let note = form.text(Field::Notes).to_string();
    let targets = form.targets.clone();
    super::queue::apply(
        app,
        &targets,
        Triage::Call {
            verdict,
            note: note.clone(),
        },
    )?;
    if verdict == Verdict::NotSatisfied {
        app.overlay = Overlay::Confirm(Confirm {
            question: msg::confirm_reopen_after_call(targets.len()),
            kind: ConfirmKind::Triage(targets, Triage::Status(Status::InProgress)),
        });
    }
    Ok(())
}
