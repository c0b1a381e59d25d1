//! The visit form: planning and editing a visit, the firm it is with, and the hints that
//! warn of a clash before it is saved.

use super::*;
use crate::app::App;
use crate::app::Overlay;
use crate::model::{Id, Visit, VisitStatus};
use crate::store::StoreError;

use crate::app::form::{Form, FormKind};
use crate::app::MessageKind;
use crate::messages as msg;
use crate::model::{when, Field};
use crate::search::{self, Query, Searcher};

pub(in crate::app) fn new_visit(app: &mut App) {
    // From a firm's card or a selected firm, the form starts with that firm.
    let firm = match app.tab {
        crate::app::Tab::Firms => app
            .firms
            .card
            .as_ref()
            .and_then(|c| app.firm(c.firm))
            .or_else(|| app.firms.selected())
            .map(|f| f.name.clone()),
        _ => None,
    };
    let mut form = Form::visit(
        FormKind::NewVisit,
        None,
        &firm.unwrap_or_default(),
        *app.now.offset(),
    );
    // The officer usually leads the visits they plan.
    if let Some(lead) = form.field_mut(Field::Lead) {
        lead.input = crate::app::input::TextInput::with_text(&app.user);
    }
    if form.text(Field::Firm).is_empty() {
        form.focus = 0;
    } else {
        form.focus = 1;
    }
    app.overlay = Overlay::Form(form);
    refresh_hints(app);
}

pub(in crate::app) fn edit_visit(app: &mut App) {
    let Some(visit) = current(app).cloned() else {
        return;
    };
    let firm = app.firm_name(visit.firm).to_string();
    app.overlay = Overlay::Form(Form::visit(
        FormKind::EditVisit(visit.id),
        Some(&visit),
        &firm,
        *app.now.offset(),
    ));
    refresh_hints(app);
}

/// The firm a form's text names: the best match of the same search as the Firms tab.
pub(in crate::app) fn find_firm(app: &mut App, text: &str) -> Option<Id> {
    find_firms(app, text, 1).first().copied()
}

/// The firm a form's firm field names: the candidate chosen with the arrows, else the best
/// match of what was typed.
pub(in crate::app) fn form_firm(app: &mut App, form: &Form) -> Option<Id> {
    match form.field(Field::Firm).and_then(|f| f.choice()) {
        Some(id) => Some(id),
        None => find_firm(app, form.text(Field::Firm)),
    }
}

/// Up to `n` firms matching a name, its pinyin or initials, best first.
pub(in crate::app) fn find_firms(app: &mut App, text: &str, n: usize) -> Vec<Id> {
    let query = Query::new(text);
    if query.is_empty() {
        return Vec::new();
    }
    app.firms.wait_for_keys();
    let state = &app.firms;
    let hits = search::rank(
        &mut Searcher::default(),
        &query,
        (0..state.all.len())
            .filter(|i| !state.all[*i].archived)
            .map(|i| {
                (
                    i,
                    state.all[i].name.as_str(),
                    state.all[i].short_name.as_str(),
                    state.keys.firm(i),
                )
            }),
    );
    hits.iter().take(n).map(|(i, _)| state.all[*i].id).collect()
}

/// The candidates under a form's firm field, as typed; the choice stays on the same firm
/// while it is still among them.
pub(in crate::app) fn refresh_firm_choices(app: &mut App) {
    let Some(text) = app
        .form()
        .and_then(|f| f.field(Field::Firm))
        .map(|f| f.input.text.clone())
    else {
        return;
    };
    // A firm is not merged into itself: it is not offered, though its name matches best.
    let merging = match app.form().map(|f| f.kind) {
        Some(FormKind::MergeFirm(from)) => Some(from),
        _ => None,
    };
    let found = find_firms(app, &text, 6);
    let choices: Vec<(Id, String)> = found
        .iter()
        .filter(|id| Some(**id) != merging)
        .take(5)
        .map(|id| (*id, app.firm_name(*id).to_string()))
        .collect();
    let Some(field) = app.form_mut().and_then(|f| f.field_mut(Field::Firm)) else {
        return;
    };
    let was = field.choice();
    field.chosen = was
        .and_then(|id| choices.iter().position(|(c, _)| *c == id))
        .unwrap_or(0);
    field.hint = if text.trim().is_empty() {
        None
    } else {
        Some(match choices.get(field.chosen) {
            Some((_, name)) => format!("→ {name}"),
            None => msg::NO_MATCH.to_string(),
        })
    };
    field.choices = choices;
}

/// Shows under the firm, time and duration fields what they will be saved as.
pub(in crate::app) fn refresh_hints(app: &mut App) {
    let Some(form) = app.form() else {
        return;
    };
    let (now, offset) = (app.now, *app.now.offset());
    match form.kind {
        FormKind::NewVisit | FormKind::EditVisit(_) => {
            let when_text = form.text(Field::Start).to_string();
            let duration_text = form.text(Field::Duration).to_string();
            let editing = match form.kind {
                FormKind::EditVisit(id) => Some(id),
                _ => None,
            };
            let minutes = when::parse_duration(&duration_text).unwrap_or(60);
            let when_hint =
                (!when_text.trim().is_empty()).then(|| match when::parse_when(&when_text, now) {
                    Ok(t) => {
                        let read = format!(
                            "→ {}",
                            msg::moment_with_weekday(t.with_timezone(&offset).naive_local())
                        );
                        match clashing_visit(app, t, minutes, editing) {
                            Some(other) => format!("{read}  {other}"),
                            None => read,
                        }
                    }
                    Err(e) => msg::when_error(&e),
                });
            let duration_hint = (!duration_text.trim().is_empty()).then(|| {
                match when::parse_duration(&duration_text) {
                    Ok(m) => format!("→ {}", msg::minutes(m)),
                    Err(e) => msg::when_error(&e),
                }
            });
            let Some(form) = app.form_mut() else {
                return;
            };
            for (field, hint) in [(Field::Start, when_hint), (Field::Duration, duration_hint)] {
                if let Some(f) = form.field_mut(field) {
                    f.hint = hint;
                }
            }
            refresh_firm_choices(app);
        }
        FormKind::MergeFirm(_) => refresh_firm_choices(app),
        FormKind::EditIssue(_) | FormKind::NewIssue => {
            let category = crate::app::queue::category_hint(app, form.text(Field::Category));
            if let Some(f) = app.form_mut().and_then(|f| f.field_mut(Field::Category)) {
                f.hint = category;
            }
            refresh_firm_choices(app);
        }
        FormKind::SetDue => {
            let text = form.text(Field::Due).trim().to_string();
            let hint = match text.as_str() {
                "" | "-" | "none" => msg::NO_DUE_DATE.to_string(),
                _ => match when::parse_date(&text, now.date_naive()) {
                    Ok(d) => format!("→ {}", msg::day_with_weekday(d)),
                    Err(e) => msg::when_error(&e),
                },
            };
            if let Some(f) = app.form_mut().and_then(|f| f.field_mut(Field::Due)) {
                f.hint = Some(hint);
            }
        }
        FormKind::GoToDate => {
            let text = form.text(Field::Start).to_string();
            let hint = (!text.trim().is_empty()).then(|| {
                match when::parse_date(&text, now.date_naive()) {
                    Ok(d) => format!("→ {}", msg::day_with_weekday(d)),
                    Err(e) => msg::when_error(&e),
                }
            });
            if let Some(f) = app.form_mut().and_then(|f| f.field_mut(Field::Start)) {
                f.hint = hint;
            }
        }
        _ => {}
    }
}

/// A new visit with `firm` at `start`, planned and with nothing else filled in yet.
fn planned_visit(firm: Id, start: LocalTime, duration_min: u32, now: LocalTime) -> Visit {
    Visit {
        id: Id::new(),
        firm,
        start,
        duration_min,
        location: String::new(),
        lead: String::new(),
        attendees: Vec::new(),
        purpose: String::new(),
        status: VisitStatus::Planned,
        minutes: String::new(),
        created: now,
        updated: now,
    }
}

/// A visit the one being planned would clash with, as the form warns before saving (the
/// warning is best effort: a visit that cannot be read gives none).
fn clashing_visit(
    app: &App,
    start: LocalTime,
    minutes: u32,
    editing: Option<Id>,
) -> Option<String> {
    let planned = planned_visit(Id::new(), start, minutes, app.now);
    let from = start.timestamp() - i64::from(crate::model::MAX_DURATION_MIN) * 60;
    let to = planned.end().timestamp();
    let nearby = app.store.visits_between(from, to).ok()?;
    let other = nearby
        .records
        .iter()
        .find(|v| Some(v.id) != editing && super::clash(&planned, v))?;
    let offset = *app.now.offset();
    Some(msg::clashes_with(
        &other
            .start
            .with_timezone(&offset)
            .format("%H:%M")
            .to_string(),
        &other
            .end()
            .with_timezone(&offset)
            .format("%H:%M")
            .to_string(),
        app.firm(other.firm).map_or("?", |f| f.display_name()),
    ))
}

/// Saves the visit form: every field is checked and its problem shown beside it; nothing is
/// written until all are good.
pub(in crate::app) fn submit_visit(app: &mut App, mut form: Form) -> Result<(), StoreError> {
    let now = app.now;
    let mut errors: Vec<(Field, String)> = Vec::new();
    let firm = form_firm(app, &form);
    if firm.is_none() {
        let text = form.text(Field::Firm).trim().to_string();
        errors.push((
            Field::Firm,
            if text.is_empty() {
                msg::problem(&crate::model::Problem::Empty)
            } else {
                msg::NO_MATCH.to_string()
            },
        ));
    }
    let start = when::parse_when(form.text(Field::Start), now)
        .map_err(|e| errors.push((Field::Start, msg::when_error(&e))))
        .ok();
    let duration = when::parse_duration(form.text(Field::Duration))
        .map_err(|e| errors.push((Field::Duration, msg::when_error(&e))))
        .ok();
    if let Some((field, message)) = errors.first().cloned() {
        for (f, m) in errors.iter().rev() {
            form.show_message(*f, m.clone());
        }
        form.show_message(field, message);
        app.overlay = Overlay::Form(form);
        return Ok(());
    }
    let (firm, start, duration) = (
        firm.expect("checked"),
        start.expect("checked"),
        duration.expect("checked"),
    );
    let base = match form.kind {
        FormKind::EditVisit(id) => app.store.visit(id)?,
        _ => None,
    };
    let is_new = base.is_none();
    let visit = Visit {
        firm,
        start,
        duration_min: duration,
        location: form.text(Field::Location).to_string(),
        lead: form.text(Field::Lead).to_string(),
        attendees: crate::app::form::split_tags(form.text(Field::Attendees)),
        purpose: form.text(Field::Purpose).to_string(),
        updated: now,
        ..base.unwrap_or_else(|| planned_visit(firm, start, duration, now))
    };
    let visit = match visit.validated() {
        Ok(v) => v,
        Err(e) => {
            form.show_error(&e);
            app.overlay = Overlay::Form(form);
            return Ok(());
        }
    };
    save(
        app,
        &visit,
        if is_new {
            msg::STEP_PLANNED.get()
        } else {
            msg::STEP_EDITED.get()
        },
    )?;
    app.close_overlay();
    app.tab = crate::app::Tab::Agenda;
    let firm_name = app.firm_name(visit.firm).to_string();
    let when = visit
        .start
        .with_timezone(app.now.offset())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    app.say(
        MessageKind::Info,
        if is_new {
            msg::visit_added(&firm_name, &when)
        } else {
            msg::saved(&firm_name)
        },
    );
    Ok(())
}
