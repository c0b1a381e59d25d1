//! Fixing what was captured (`e`: title, detail, category, each change in the history) and
//! raising an item for any firm (`n`), not only from a visit.

use super::*;
use crate::app::form::{Form, FormKind};
use crate::app::MessageKind;
use crate::app::Overlay;
use crate::messages as msg;
use crate::model::{Field, FieldError, IssueDraft, Problem};

/// The category a typed name or code means: none for an empty field.
fn category(app: &App, text: &str) -> Result<Option<Id>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    app.lookup
        .category_list
        .iter()
        .find(|c| c.name == text || c.code.eq_ignore_ascii_case(text))
        .map(|c| Some(c.id))
        .ok_or_else(|| FieldError::new(Field::Category, Problem::Unknown))
}

/// What the category field will be saved as, shown under it while typing.
pub(in crate::app) fn category_hint(app: &App, text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return Some(format!("→ {}", msg::NONE));
    }
    Some(match category(app, text) {
        Ok(id) => format!("→ {}", app.category_name(id).unwrap_or(msg::NONE)),
        Err(_) => msg::unknown_category(&category_names(app)),
    })
}

fn category_names(app: &App) -> String {
    app.lookup
        .category_list
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// `e` on the queue: the selected item's title, detail and category in a form.
pub(in crate::app) fn ask_edit(app: &mut App) -> Result<(), StoreError> {
    let Some(id) = app.issues.selected_id() else {
        return Ok(());
    };
    let Some(issue) = app.store.issue(id)? else {
        return Ok(());
    };
    let category = app.category_name(issue.category).unwrap_or("").to_string();
    app.overlay = Overlay::Form(Form::issue(
        FormKind::EditIssue(id),
        "",
        &issue.title,
        &issue.detail,
        &category,
    ));
    crate::app::agenda::refresh_hints(app);
    Ok(())
}

/// `n` on the queue: a new item for a firm found by name or pinyin.
pub(in crate::app) fn ask_new(app: &mut App) {
    app.overlay = Overlay::Form(Form::issue(FormKind::NewIssue, "", "", "", ""));
}

/// Enter in the edit or new-item form: every field checked, each problem beside its field,
/// nothing written until all are good.
pub(in crate::app) fn submit_issue(app: &mut App, form: Form) -> Result<(), StoreError> {
    let mut problems = Vec::new();
    let category = category(app, form.text(Field::Category)).map_err(|e| problems.push(e));
    let (author, now) = (app.user.clone(), app.now);
    match form.kind {
        FormKind::EditIssue(id) => {
            let Some(mut issue) = app.store.issue(id)? else {
                return Ok(());
            };
            let before = issue.clone();
            let mut events = Vec::new();
            let title = form.text(Field::Title).to_string();
            let detail = form.text(Field::Detail).to_string();
            match issue.set_title(&title, &author, now) {
                Ok(event) => events.extend(event),
                Err(e) => problems.push(e),
            }
            match issue.set_detail(&detail, &author, now) {
                Ok(event) => events.extend(event),
                Err(e) => problems.push(e),
            }
            if let Ok(category) = category {
                events.extend(issue.set_category(category, &author, now));
            }
            if show_problems(app, form.clone(), &problems) {
                return Ok(());
            }
            app.close_overlay();
            if events.is_empty() {
                app.say(MessageKind::Info, msg::NOTHING_CHANGED);
                return Ok(());
            }
            app.store.save_issues(&[(issue.clone(), events.clone())])?;
            app.issues.upsert(&issue, app.today());
            texts_changed(app, &issue)?;
            // One undo step puts back all the form changed.
            app.history.record(
                msg::EDITED,
                crate::app::Tab::Issues,
                crate::app::undo::Record::Items(vec![crate::app::undo::ItemChange {
                    before,
                    after: issue.clone(),
                    events: events.clone(),
                }]),
            );
            super::actions::after_change(app)?;
            app.say(MessageKind::Info, msg::edited(issue.number, events.len()));
        }
        FormKind::NewIssue => {
            let firm = crate::app::agenda::form_firm(app, &form);
            if firm.is_none() {
                problems.insert(0, FieldError::new(Field::Firm, Problem::Unknown));
            }
            let mut draft = IssueDraft::new(firm.unwrap_or_default(), form.text(Field::Title));
            draft.detail = form.text(Field::Detail).to_string();
            if let Ok(category) = category {
                draft.category = category;
            }
            if let Err(e) = draft.clone().into_issue(Id::new(), 0, now) {
                problems.push(e);
            }
            if show_problems(app, form.clone(), &problems) {
                return Ok(());
            }
            app.close_overlay();
            match app.store.create_issue(draft, &author, now) {
                Ok(issue) => {
                    let record = crate::app::undo::Record::Raised {
                        item: issue.clone(),
                        closed: None,
                    };
                    let label = msg::step_raised(issue.number);
                    app.history.record(label, crate::app::Tab::Issues, record);
                    app.issues.upsert(&issue, app.today());
                    super::actions::after_change(app)?;
                    // Shown where it is: in the current view, else in the view of everything.
                    if app.issues.shown_position(issue.id).is_none() {
                        let everything = app
                            .issues
                            .views
                            .iter()
                            .position(|v| v.filter.is_empty() && v.saved.is_none());
                        if let Some(view) = everything {
                            show_view(app, view);
                        }
                    }
                    if let Some(pos) = app.issues.shown_position(issue.id) {
                        app.issues.cursor.select(pos);
                    }
                    app.say(MessageKind::Info, msg::captured(issue.number, &issue.title));
                }
                Err(StoreError::Invalid(e)) => {
                    show_problems(app, form, &[e]);
                }
                Err(e) => return Err(e),
            }
        }
        _ => {}
    }
    Ok(())
}

/// Puts every problem beside its field and the form back; false when there are none.
fn show_problems(app: &mut App, mut form: Form, problems: &[FieldError]) -> bool {
    if problems.is_empty() {
        return false;
    }
    for problem in problems.iter().rev() {
        form.show_error(problem);
    }
    app.overlay = Overlay::Form(form);
    true
}
