//! Running a meeting and writing its record: the capture line that files items, and the
//! multi-line editor for minutes and responses.

use super::*;
use crate::app::input::TextInput;
use crate::app::App;
use crate::app::Overlay;
use crate::model::Id;
use crate::store::StoreError;

use crate::app::undo::Record;
use crate::app::{MessageKind, Tab};
use crate::messages as msg;
use crate::model::{Field, IssueDraft};
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
