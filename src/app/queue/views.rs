//! Saved views: added with `S`, deleted with `Ctrl-D` (on the Issues tab, or on one chosen in
//! the `V` list) after a confirmation; both are steps of the app's undo.

use super::*;
use crate::app::form::{Confirm, ConfirmKind};
use crate::app::undo::Record;
use crate::app::Overlay;
use crate::app::{MessageKind, Tab};
use crate::messages as msg;
use crate::model::SavedView;

/// Ctrl-D: asks before deleting the view chosen in the `V` list, or else the one shown.
pub(in crate::app) fn ask_delete_view(app: &mut App) {
    let index = match app.take_picker() {
        Some(picker) => {
            app.close_overlay();
            match picker.selected().map(|o| o.value.clone()) {
                Some(crate::app::PickValue::View(i)) => Some(i),
                _ => return,
            }
        }
        None => app.issues.view,
    };
    let Some(view) = index.and_then(|i| app.issues.views.get(i)) else {
        app.say(MessageKind::Info, msg::NO_VIEW_TO_DELETE);
        return;
    };
    let Some(id) = view.saved else {
        app.say(MessageKind::Info, msg::builtin_view(&view.name));
        return;
    };
    app.overlay = Overlay::Confirm(Confirm {
        question: msg::confirm_delete_view(&view.name),
        kind: ConfirmKind::DeleteView(id),
    });
}

/// The view as the database keeps it.
fn saved(view: &View, id: Id) -> SavedView {
    SavedView {
        id,
        name: view.name.clone(),
        filter: view.filter.clone(),
        sort: view.sort.code().to_string(),
    }
}

/// Deletes a saved view, as one undo step.
pub(in crate::app) fn delete_view(app: &mut App, id: Id) -> Result<(), StoreError> {
    let Some(view) = app.issues.views.iter().find(|v| v.saved == Some(id)) else {
        return Ok(());
    };
    let view = saved(view, id);
    remove_view(app, id)?;
    app.say(MessageKind::Info, msg::view_deleted(&view.name));
    let label = msg::step_view_deleted(&view.name);
    let record = Record::View { view, saved: false };
    app.history.record(label, Tab::Issues, record);
    Ok(())
}

/// Saves the filter and order shown as a view, as one undo step.
pub(in crate::app) fn save_view(app: &mut App, name: &str) -> Result<(), StoreError> {
    let view = SavedView {
        id: Id::new(),
        name: name.to_string(),
        filter: app.issues.filter_input.text.clone(),
        sort: app.issues.sort.code().to_string(),
    };
    add_view(app, &view)?;
    app.issues.view = Some(app.issues.views.len() - 1);
    app.say(MessageKind::Info, msg::view_saved(name));
    let label = msg::step_view_saved(name);
    app.history
        .record(label, Tab::Issues, Record::View { view, saved: true });
    Ok(())
}

/// Writes a view and lists it last, as a reopen would.
pub(in crate::app) fn add_view(app: &mut App, view: &SavedView) -> Result<(), StoreError> {
    app.store.put_view(view)?;
    app.issues.views.push(View {
        name: view.name.clone(),
        filter: view.filter.clone(),
        sort: SortKey::parse(&view.sort).unwrap_or_default(),
        saved: Some(view.id),
    });
    Ok(())
}

/// Deletes a view from the database and the list. The items shown stay as they are: the
/// filter is kept, no longer named.
pub(in crate::app) fn remove_view(app: &mut App, id: Id) -> Result<(), StoreError> {
    app.store.delete_view(id)?;
    let Some(index) = app.issues.views.iter().position(|v| v.saved == Some(id)) else {
        return Ok(());
    };
    app.issues.views.remove(index);
    app.issues.view = match app.issues.view {
        Some(i) if i == index => None,
        Some(i) if i > index => Some(i - 1),
        other => other,
    };
    Ok(())
}
