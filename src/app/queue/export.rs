//! `E` on the Issues tab: the items of the current view, in the order shown, written to a
//! file the officer names — CSV with Chinese headers for spreadsheets, or JSON with each
//! item's history when the name ends in `.json`. The file is written whole or not at all,
//! readable by its owner only (`transfer::write_private_file`).

use super::*;
use crate::app::form::{home_file, write_typed_file, Form, FormKind};
use crate::app::MessageKind;
use crate::app::Overlay;
use crate::messages as msg;
use crate::model::Field;
use crate::transfer::{export_issue_ids, Headers, IssuesFormat};

/// Asks where to write the items shown.
pub(in crate::app) fn ask_export(app: &mut App) {
    if app.issues.refresh_pending {
        refresh(app);
    }
    if !app.issues.loaded {
        app.say(MessageKind::Info, msg::STILL_LOADING);
        return;
    }
    if app.issues.shown.is_empty() {
        app.say(MessageKind::Info, msg::NOTHING_TO_EXPORT);
        return;
    }
    app.overlay = Overlay::Form(Form::single(
        FormKind::ExportIssues,
        Field::File,
        msg::LABEL_FILE.get(),
        &home_file("liaison-issues.csv"),
    ));
}

/// Writes the items shown to the file named in the form; a path that cannot be written stays
/// in the form with the reason.
pub(in crate::app) fn submit_export(app: &mut App, form: Form) -> Result<(), StoreError> {
    let written = write_typed_file(app, form, |app, path, out| {
        let format = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            IssuesFormat::Json
        } else {
            IssuesFormat::Csv
        };
        let ids = app.issues.shown_ids();
        export_issue_ids(&app.store, out, ids, format, Headers::Chinese)
    })?;
    if let Some((summary, typed)) = written {
        app.say(
            if summary.damaged.is_empty() {
                MessageKind::Info
            } else {
                MessageKind::Warning
            },
            msg::exported_issues(summary.issues, &typed, summary.damaged.len()),
        );
    }
    Ok(())
}
