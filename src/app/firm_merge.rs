//! `M` on the Firms tab: the selected firm is merged into another, chosen by name or pinyin
//! (two records of one firm); its visits, items and contacts move, it is archived.

use super::form::{Confirm, ConfirmKind, Form, FormKind};
use super::{App, MessageKind};
use crate::app::Overlay;
use crate::messages as msg;
use crate::model::{Field, Id};
use crate::store::StoreError;

pub(super) fn ask(app: &mut App) {
    let Some(firm) = app.firms.selected() else {
        return;
    };
    app.overlay = Overlay::Form(Form::single(
        FormKind::MergeFirm(firm.id),
        Field::Firm,
        msg::LABEL_MERGE_INTO.get(),
        "",
    ));
}

/// Enter in the form: the firm chosen, then a confirmation (a merge is not undone).
pub(super) fn submit(app: &mut App, mut form: Form, from: Id) -> Result<(), StoreError> {
    let into = super::agenda::form_firm(app, &form);
    match into {
        Some(into) if into != from => {
            app.overlay = Overlay::Confirm(Confirm {
                question: msg::confirm_merge_firms(app.firm_name(from), app.firm_name(into)),
                kind: ConfirmKind::MergeFirm(from, into),
            });
        }
        Some(_) => {
            form.show_message(Field::Firm, msg::MERGE_SAME_FIRM.to_string());
            app.overlay = Overlay::Form(form);
        }
        None => {
            form.show_message(Field::Firm, msg::NO_MATCH.to_string());
            app.overlay = Overlay::Form(form);
        }
    }
    Ok(())
}

pub(super) fn merge(app: &mut App, from: Id, into: Id) -> Result<(), StoreError> {
    let (gone, kept) = (
        app.firm_name(from).to_string(),
        app.firm_name(into).to_string(),
    );
    let merged = app
        .store
        .merge_firms(from, into, &app.user.clone(), app.now)?;
    super::firms::load(app, false)?;
    // The moved items' rows name their new firm.
    let today = app.today();
    for (id, _) in app.store.issues_of_firm(into)? {
        if let Some(issue) = app.store.issue(id)? {
            app.issues.upsert(&issue, today);
        }
    }
    super::queue::firms_changed(app);
    super::queue::refresh(app);
    app.firms.detail = None;
    app.counts = app.store.counts()?;
    app.say(
        MessageKind::Info,
        msg::firms_merged(&gone, &kept, merged.visits, merged.items),
    );
    Ok(())
}
