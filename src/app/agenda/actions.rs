//! What a person does on the Agenda: move between days and weeks, plan and edit visits,
//! mark them done or cancelled, run a meeting (capture items), write the minutes.

use super::*;
use crate::app::input::TextInput;
use crate::app::App;
use crate::app::Overlay;
use crate::model::{Id, Visit, VisitStatus};
use crate::store::StoreError;
use chrono::Duration;

use crate::app::form::{Confirm, ConfirmKind, Form, FormKind};
use crate::app::undo::Record;
use crate::app::{MessageKind, Tab};
use crate::messages as msg;
use crate::model::{when, Field, IssueDraft};
use crate::search::{self, Query, Searcher};
use ratatui_textarea::{TextArea, WrapMode};

/// The minutes being edited, and the visit they belong to.
pub struct TextEditor {
    pub purpose: EditorPurpose,
    pub area: TextArea<'static>,
}

/// What the multi-line editor is writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorPurpose {
    /// A visit's minutes.
    Minutes(Id),
    /// A response to these items.
    /// The items, and their numbers to name them on screen (looking an item up by id
    /// would mean walking a million rows each frame).
    Response { items: Vec<Id>, numbers: Vec<u32> },
}

impl TextEditor {
    fn new(purpose: EditorPurpose, text: &str) -> TextEditor {
        let mut area = TextArea::new(text.lines().map(str::to_string).collect());
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        TextEditor { purpose, area }
    }

    pub fn response(items: Vec<Id>, numbers: Vec<u32>) -> TextEditor {
        TextEditor::new(EditorPurpose::Response { items, numbers }, "")
    }
}

pub(in crate::app) fn move_period(app: &mut App, forward: bool) -> Result<(), StoreError> {
    let step = app.agenda.step();
    let day = app.agenda.anchor + Duration::days(if forward { step } else { -step });
    app.agenda.screen = None;
    show_day(app, day, None)
}

pub(in crate::app) fn toggle_view(app: &mut App) -> Result<(), StoreError> {
    app.agenda.view = match app.agenda.view {
        AgendaView::Day => AgendaView::Week,
        AgendaView::Week => AgendaView::Day,
    };
    // The day view shows the selected visit's day.
    if app.agenda.view == AgendaView::Day {
        if let Some(visit) = app.agenda.selected() {
            app.agenda.anchor = visit.start.with_timezone(app.now.offset()).date_naive();
        }
    }
    load(app)
}

pub(in crate::app) fn today(app: &mut App) -> Result<(), StoreError> {
    app.agenda.screen = None;
    let (today, now) = (app.today(), app.now);
    show_day(app, today, Some(now))
}

/// Enter on the agenda opens the visit screen; on the visit screen, the item under the
/// cursor opens in the Issues tab.
pub(in crate::app) fn open(app: &mut App) -> Result<Option<Id>, StoreError> {
    match &app.agenda.screen {
        None => {
            if let Some(id) = app.agenda.selected().map(|v| v.id) {
                open_screen(app, id)?;
            }
            Ok(None)
        }
        Some(screen) => Ok(screen.issues.get(screen.cursor.selected).map(|i| i.id)),
    }
}

pub(in crate::app) fn back(app: &mut App) {
    app.agenda.screen = None;
}

/// The visit the agenda's keys act on: the open one, else the selected one.
fn current(app: &App) -> Option<&Visit> {
    app.agenda.open_visit().or_else(|| app.agenda.selected())
}

pub(in crate::app) fn ask(app: &mut App, done: bool) {
    let Some(visit) = current(app) else { return };
    let firm = app.firm_name(visit.firm).to_string();
    let when = visit
        .start
        .with_timezone(app.now.offset())
        .format("%m-%d %H:%M")
        .to_string();
    app.overlay = Overlay::Confirm(if done {
        Confirm {
            question: msg::confirm_done(&firm, &when),
            kind: ConfirmKind::MarkDone(visit.id),
        }
    } else {
        Confirm {
            question: msg::confirm_cancel_visit(&firm, &when),
            kind: ConfirmKind::CancelVisit(visit.id),
        }
    });
}

/// Writes a visit as one step of the undo history.
fn save(app: &mut App, visit: &Visit, what: &str) -> Result<(), StoreError> {
    let before = app.store.visit(visit.id)?;
    write_visit(app, visit)?;
    let label = msg::step_visit(app.firm_name(visit.firm), what);
    let record = Record::Visit {
        before,
        after: visit.clone(),
    };
    app.history.record(label, Tab::Agenda, record);
    Ok(())
}

/// Writes a visit and shows it again with its screen, if open.
pub(in crate::app) fn write_visit(app: &mut App, visit: &Visit) -> Result<(), StoreError> {
    app.store.put_visit(visit)?;
    app.counts = app.store.counts()?;
    let screen = app.agenda.screen.as_ref().map(|s| s.visit);
    let day = visit.start.with_timezone(app.now.offset()).date_naive();
    let (first, last) = app.agenda.days();
    if day < first || day > last {
        show_day(app, day, None)?;
    } else {
        load(app)?;
    }
    if let Some(pos) = app.agenda.visits.iter().position(|v| v.id == visit.id) {
        app.agenda.cursor.select(pos);
    }
    if screen == Some(visit.id) {
        open_screen(app, visit.id)?;
    }
    app.firms.detail = None;
    Ok(())
}

pub(in crate::app) fn set_status(
    app: &mut App,
    id: Id,
    status: VisitStatus,
) -> Result<(), StoreError> {
    let Some(mut visit) = app.store.visit(id)? else {
        return Ok(());
    };
    visit.status = status;
    visit.updated = app.now;
    save(app, &visit, msg::visit_status(status))?;
    let firm = app.firm_name(visit.firm).to_string();
    app.say(
        MessageKind::Info,
        msg::visit_marked(&firm, msg::visit_status(status)),
    );
    Ok(())
}

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
                    &state.keys[i],
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
    let found = find_firms(app, &text, 5);
    let choices: Vec<(Id, String)> = found
        .iter()
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

/// A visit the one being planned would clash with, as the form warns before saving (the
/// warning is best effort: a visit that cannot be read gives none).
fn clashing_visit(
    app: &App,
    start: LocalTime,
    minutes: u32,
    editing: Option<Id>,
) -> Option<String> {
    let planned = Visit {
        id: Id::new(),
        firm: Id::new(),
        start,
        duration_min: minutes,
        location: String::new(),
        lead: String::new(),
        attendees: Vec::new(),
        purpose: String::new(),
        status: VisitStatus::Planned,
        minutes: String::new(),
        created: app.now,
        updated: app.now,
    };
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
        ..base.unwrap_or(Visit {
            id: Id::new(),
            firm,
            start,
            duration_min: duration,
            location: String::new(),
            lead: String::new(),
            attendees: Vec::new(),
            purpose: String::new(),
            status: VisitStatus::Planned,
            minutes: String::new(),
            created: now,
            updated: now,
        })
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

pub(in crate::app) fn submit_go_to(app: &mut App, mut form: Form) -> Result<(), StoreError> {
    match when::parse_date(form.text(Field::Start), app.today()) {
        Ok(day) => {
            app.close_overlay();
            app.agenda.screen = None;
            show_day(app, day, None)
        }
        Err(e) => {
            form.show_message(Field::Start, msg::when_error(&e));
            app.overlay = Overlay::Form(form);
            Ok(())
        }
    }
}

pub(in crate::app) fn start_capture(app: &mut App) -> Result<(), StoreError> {
    if app.agenda.screen.is_none() {
        let Some(id) = app.agenda.selected().map(|v| v.id) else {
            return Ok(());
        };
        open_screen(app, id)?;
    }
    if let Some(screen) = app.agenda.screen.as_mut() {
        screen.capture = Some(TextInput::default());
        app.overlay = Overlay::Capture;
    }
    Ok(())
}

/// Enter on the capture line: files the item for this firm and visit and clears the line for
/// the next one. Nothing but the title is asked; the rest is triage's work.
pub(in crate::app) fn file_capture(app: &mut App) -> Result<(), StoreError> {
    let Some(visit) = app.agenda.open_visit().cloned() else {
        return Ok(());
    };
    let Some(title) = app
        .agenda
        .screen
        .as_ref()
        .and_then(|s| s.capture.as_ref())
        .map(|c| c.text.clone())
    else {
        return Ok(());
    };
    if title.trim().is_empty() {
        return Ok(());
    }
    let mut draft = IssueDraft::new(visit.firm, &title);
    draft.visit = Some(visit.id);
    let user = app.user.clone();
    match app.store.create_issue(draft, &user, app.now) {
        Ok(issue) => {
            app.counts = app.store.counts()?;
            let record = Record::Raised {
                item: issue.clone(),
                closed: None,
            };
            app.history
                .record(msg::step_raised(issue.number), Tab::Agenda, record);
            app.issues.upsert(&issue, app.today());
            crate::app::queue::refresh(app);
            app.firms.detail = None;
            if let Some(screen) = app.agenda.screen.as_mut() {
                screen.issues.push(issue.clone());
                screen.cursor.set_len(screen.issues.len());
                screen.cursor.select(screen.issues.len());
                screen.capture = Some(TextInput::default());
            }
            app.say(MessageKind::Info, msg::captured(issue.number, &issue.title));
        }
        Err(StoreError::Invalid(e)) => app.say(MessageKind::Error, msg::field_error(&e)),
        Err(e) => return Err(e),
    }
    Ok(())
}

pub(in crate::app) fn edit_minutes(app: &mut App) -> Result<(), StoreError> {
    if app.agenda.screen.is_none() {
        let Some(id) = app.agenda.selected().map(|v| v.id) else {
            return Ok(());
        };
        open_screen(app, id)?;
    }
    let Some(visit) = app.agenda.open_visit() else {
        return Ok(());
    };
    app.overlay = Overlay::Editor(TextEditor::new(
        EditorPurpose::Minutes(visit.id),
        &visit.minutes,
    ));
    Ok(())
}

/// The longest minutes kept; a larger paste is cut with a message instead of freezing.
const MINUTES_MAX_CHARS: usize = 100_000;

pub(in crate::app) fn editor_paste(app: &mut App, text: &str) {
    if let Some(editor) = app.editor_mut() {
        let used: usize = editor
            .area
            .lines()
            .iter()
            .map(|l| l.chars().count() + 1)
            .sum();
        let room = MINUTES_MAX_CHARS.saturating_sub(used);
        let clean: String = text
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
            .take(room)
            .collect();
        if clean.chars().count() < text.chars().count() && room < text.chars().count() {
            app.say(MessageKind::Warning, msg::paste_cut(MINUTES_MAX_CHARS));
        }
        if let Some(editor) = app.editor_mut() {
            editor.area.insert_str(clean);
        }
    }
}

/// Saves what the editor holds: the minutes, or a response (`to_firm`: as the answer given
/// to the firm).
pub(in crate::app) fn save_editor(app: &mut App, to_firm: bool) -> Result<(), StoreError> {
    let Some(editor) = app.take_editor() else {
        return Ok(());
    };
    app.close_overlay();
    let visit_id = match &editor.purpose {
        EditorPurpose::Minutes(id) => *id,
        EditorPurpose::Response { items, .. } => {
            let text = editor.area.lines().join("\n");
            if text.trim().is_empty() {
                app.say(
                    MessageKind::Error,
                    msg::field_error(&crate::model::FieldError::new(
                        Field::Response,
                        crate::model::Problem::Empty,
                    )),
                );
                app.overlay = Overlay::Editor(editor);
                return Ok(());
            }
            let items = items.clone();
            return crate::app::queue::apply(
                app,
                &items,
                crate::app::queue::Triage::Respond { text, to_firm },
            );
        }
    };
    let Some(mut visit) = app.store.visit(visit_id)? else {
        return Ok(());
    };
    visit.minutes = editor.area.lines().join("\n");
    visit.updated = app.now;
    match visit.clone().validated() {
        Ok(v) => {
            save(app, &v, msg::STEP_MINUTES.get())?;
            app.say(MessageKind::Info, msg::minutes_saved(app.firm_name(v.firm)));
        }
        Err(e) => {
            app.say(MessageKind::Error, msg::field_error(&e));
            app.overlay = Overlay::Editor(editor);
        }
    }
    Ok(())
}

/// Where the agenda is exported unless the officer types another path.
pub(in crate::app) fn default_export_path() -> String {
    crate::app::form::home_file("liaison-agenda.ics")
}

/// Writes every visit as iCalendar to the file named in the form, all at once or not at all.
pub(in crate::app) fn submit_export(app: &mut App, form: Form) -> Result<(), StoreError> {
    use crate::transfer::{export_agenda, AgendaExportOptions};
    let written = crate::app::form::write_typed_file(app, form, |app, _, out| {
        export_agenda(&app.store, out, &AgendaExportOptions::default())
    })?;
    if let Some((summary, typed)) = written {
        app.say(
            MessageKind::Info,
            msg::exported_agenda(summary.visits, &typed),
        );
    }
    Ok(())
}
