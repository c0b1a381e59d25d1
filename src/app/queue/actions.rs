//! Triage: one key per change on the selected item (or on every marked one, after saying how
//! many), each change written with exactly one history event, each a step of the app's undo.

use super::*;
use crate::app::form::{Confirm, ConfirmKind, Form, FormKind};
use crate::app::undo::{ItemChange, Record};
use crate::app::Overlay;
use crate::app::{MessageKind, Tab};
use crate::messages as msg;
use crate::model::{Field, LocalTime, Priority, Resolution, ResolutionKind, Status};

/// A change officers make to items in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Triage {
    Department(Option<Id>),
    Priority(Priority),
    Due(Option<NaiveDate>),
    Category(Option<Id>),
    Owner(String),
    Status(Status),
    Close(Resolution),
    Respond {
        text: String,
        to_firm: bool,
    },
    /// Tags added and taken off; `exact`: the item keeps only `add` (one item's whole line).
    Tags {
        add: Vec<String>,
        remove: Vec<String>,
        exact: bool,
    },
    /// The follow-up call (回访) of a closed item.
    Call {
        verdict: crate::model::Verdict,
        note: String,
    },
}

impl Triage {
    /// What the status line says was done.
    fn describe(&self, app: &App) -> String {
        match self {
            Triage::Department(d) => {
                msg::event_department(app.department_name(*d).unwrap_or(msg::UNASSIGNED.get()))
            }
            Triage::Priority(p) => msg::set_priority(*p),
            Triage::Due(d) => {
                msg::event_due(&d.map(|d| d.to_string()).unwrap_or_else(|| msg::NONE.into()))
            }
            Triage::Category(c) => msg::event_category(app.category_name(*c).unwrap_or(msg::NONE)),
            Triage::Owner(o) => msg::event_owner(o),
            Triage::Status(s) => msg::set_status(*s),
            Triage::Close(_) => msg::set_status(Status::Closed),
            Triage::Respond { to_firm, .. } => msg::responded(*to_firm),
            Triage::Tags { add, remove, .. } => msg::event_tags(add, remove),
            Triage::Call { verdict, note } => msg::event_call(*verdict, note, app.today()),
        }
    }

    /// Applies the change to one item: its history events, none when it changes nothing.
    fn apply(
        &self,
        issue: &mut Issue,
        author: &str,
        now: LocalTime,
    ) -> Result<Vec<IssueEvent>, crate::model::FieldError> {
        if let Triage::Respond {
            text,
            to_firm: true,
        } = self
        {
            // The answer given to the firm: the item is answered (when its life cycle
            // allows; a new item must be handed over first).
            let mut events = vec![issue.respond(text, true, author, now)?];
            if issue.status != Status::Answered && issue.status.can_become(Status::Answered) {
                events.push(issue.set_status(Status::Answered, None, author, now)?);
            }
            return Ok(events);
        }
        let event = match self {
            Triage::Department(d) => issue.assign(*d, author, now),
            Triage::Priority(p) => issue.set_priority(*p, author, now),
            Triage::Due(d) => issue.set_due(*d, author, now)?,
            Triage::Category(c) => issue.set_category(*c, author, now),
            Triage::Owner(o) => issue.set_owner(o, author, now)?,
            Triage::Status(s) => {
                if issue.status == *s {
                    None
                } else {
                    Some(issue.set_status(*s, None, author, now)?)
                }
            }
            Triage::Close(r) => {
                Some(issue.change_status(Status::Closed, Some(r.clone()), author, now)?)
            }
            Triage::Respond { text, to_firm } => Some(issue.respond(text, *to_firm, author, now)?),
            Triage::Call { verdict, note } => {
                Some(issue.record_call(*verdict, note, now.date_naive(), author, now)?)
            }
            Triage::Tags { add, remove, exact } => {
                let mut remove = remove.clone();
                if *exact {
                    remove.extend(issue.tags.iter().filter(|t| !add.contains(t)).cloned());
                }
                issue.change_tags(add, &remove, author, now)?
            }
        };
        Ok(event.into_iter().collect())
    }
}

/// Runs a change on `targets` (fixed when the picker or form asking for it opened): at once
/// for one item, after a confirmation for several.
pub(in crate::app) fn triage(
    app: &mut App,
    targets: Vec<Id>,
    change: Triage,
) -> Result<(), StoreError> {
    match targets.len() {
        0 => Ok(()),
        1 => apply(app, &targets, change),
        n => {
            app.overlay = Overlay::Confirm(Confirm {
                question: msg::confirm_bulk(n, &change.describe(app)),
                kind: ConfirmKind::Triage(targets, change),
            });
            Ok(())
        }
    }
}

/// Writes the change to every item in one transaction, one event per changed item.
pub(in crate::app) fn apply(app: &mut App, ids: &[Id], change: Triage) -> Result<(), StoreError> {
    let (author, now) = (app.user.clone(), app.now);
    let mut writes = Vec::new();
    let mut undo = Vec::new();
    let mut refused = Vec::new();
    for id in ids {
        let Some(mut issue) = app.store.issue(*id)? else {
            continue;
        };
        let before = issue.clone();
        match change.apply(&mut issue, &author, now) {
            Ok(events) if !events.is_empty() => {
                // Undo puts back the state before the change, whatever its events.
                undo.push(ItemChange {
                    before,
                    after: issue.clone(),
                    events: events.clone(),
                });
                writes.push((issue, events));
            }
            Ok(_) => {}
            Err(e) => refused.push((issue.number, msg::field_error(&e))),
        }
    }
    if ids.len() == 1 {
        if let Some((_, why)) = refused.first() {
            app.say(MessageKind::Error, why.clone());
            return Ok(());
        }
    }
    if writes.is_empty() {
        app.say(MessageKind::Info, msg::NOTHING_CHANGED);
        return Ok(());
    }
    app.store.save_issues(&writes)?;
    let today = app.today();
    for (issue, _) in &writes {
        app.issues.upsert(issue, today);
        texts_changed(app, issue)?;
    }
    let label = change.describe(app);
    let text = match writes.as_slice() {
        [(issue, _)] => msg::triaged_one(issue.number, &label),
        many => msg::triaged_many(many.len(), &label, refused.len()),
    };
    app.history
        .record(label.clone(), Tab::Issues, Record::Items(undo));
    app.issues.marked.clear();
    after_change(app)?;
    app.say(
        if refused.is_empty() {
            MessageKind::Info
        } else {
            MessageKind::Warning
        },
        text,
    );
    Ok(())
}

/// Writes changed items (an undo or a redo) and shows them.
pub(in crate::app) fn save_changed(
    app: &mut App,
    writes: &[(Issue, Vec<IssueEvent>)],
) -> Result<(), StoreError> {
    app.store.save_issues(writes)?;
    let today = app.today();
    for (issue, _) in writes {
        app.issues.upsert(issue, today);
        texts_changed(app, issue)?;
    }
    after_change(app)
}

/// After a write: counters, the list, the detail of the selected item.
pub(in crate::app) fn after_change(app: &mut App) -> Result<(), StoreError> {
    app.counts = app.store.counts()?;
    app.issues.detail = None;
    app.firms.detail = None;
    refresh(app);
    Ok(())
}

pub(in crate::app) fn toggle_mark(app: &mut App) {
    if let Some(number) = app.issues.selected_number() {
        if !app.issues.marked.remove(&number) {
            app.issues.marked.insert(number);
        }
        app.issues.cursor.move_by(1);
    }
}

/// Marks every item shown, or clears the marks when all are marked already.
pub(in crate::app) fn mark_all(app: &mut App) {
    let queue = &mut app.issues;
    let shown: Vec<u32> = queue
        .shown
        .iter()
        .map(|p| queue.table.number(p as usize))
        .collect();
    if shown.iter().all(|n| queue.marked.contains(n)) {
        queue.marked.clear();
    } else {
        queue.marked.extend(shown);
    }
}

pub(in crate::app) fn cycle_sort(app: &mut App) {
    app.issues.sort = app.issues.sort.next();
    app.issues.view = None;
    refresh(app);
    app.say(
        MessageKind::Info,
        msg::sorted_by(msg::sort_key(app.issues.sort)),
    );
}

/// Shows the next (or previous) view: its filter and order.
pub(in crate::app) fn next_view(app: &mut App, forward: bool) {
    let n = app.issues.views.len();
    let current = app.issues.view.unwrap_or(n - 1);
    let next = if forward {
        (current + 1) % n
    } else {
        (current + n - 1) % n
    };
    show_view(app, next);
}

pub(in crate::app) fn show_view(app: &mut App, index: usize) {
    let Some(view) = app.issues.views.get(index).cloned() else {
        return;
    };
    app.issues.view = Some(index);
    app.issues.filter_input = TextInput::with_text(&view.filter);
    app.issues.sort = view.sort;
    app.issues.cursor.select(0);
    refresh(app);
    app.issues.cursor.select(0);
}

/// Esc on the queue: drop the marks first, then go back to the first view.
pub(in crate::app) fn back(app: &mut App) {
    if !app.issues.marked.is_empty() {
        app.issues.marked.clear();
    } else {
        show_view(app, 0);
    }
}

fn form(app: &mut App, form: Form) {
    let targets = app.issues.targets();
    if targets.is_empty() {
        return;
    }
    app.overlay = Overlay::Form(form.acting_on(targets));
    crate::app::agenda::refresh_hints(app);
}

pub(in crate::app) fn ask_due(app: &mut App) {
    let current = app
        .issues
        .selected()
        .and_then(|r| r.due)
        .map(|d| d.to_string())
        .unwrap_or_default();
    form(
        app,
        Form::single(FormKind::SetDue, Field::Due, msg::LABEL_DUE.get(), &current),
    );
}

pub(in crate::app) fn ask_owner(app: &mut App) {
    let current = app
        .issues
        .selected()
        .map(|r| r.owner.clone())
        .unwrap_or_default();
    let current = if current.is_empty() {
        app.user.clone()
    } else {
        current
    };
    form(
        app,
        Form::single(
            FormKind::SetOwner,
            Field::Owner,
            msg::LABEL_OWNER.get(),
            &current,
        ),
    );
}

/// A text of several lines as one: Chinese lines join directly, Latin words with a space.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if latin(out.chars().last()) && latin(line.chars().next()) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The close form, what the firm was told filled in with the answer given to it, if the
/// item (a single one) has one.
pub(in crate::app) fn ask_close(app: &mut App) -> Result<(), StoreError> {
    let mut close = Form::close();
    if let [id] = app.issues.targets().as_slice() {
        let answer = app
            .store
            .events(*id)?
            .records
            .into_iter()
            .rev()
            .find_map(|e| match e.change {
                crate::model::Change::Response {
                    text,
                    to_firm: true,
                } => Some(text),
                _ => None,
            });
        if let (Some(answer), Some(field)) = (answer, close.field_mut(Field::Resolution)) {
            field.input = crate::app::input::TextInput::with_text(&one_line(&answer));
        }
    }
    form(app, close);
    Ok(())
}

pub(in crate::app) fn ask_view_name(app: &mut App) {
    app.overlay = Overlay::Form(Form::single(
        FormKind::SaveView,
        Field::Name,
        msg::LABEL_VIEW_NAME.get(),
        "",
    ));
}

pub(in crate::app) fn ask_response(app: &mut App) {
    let targets = app.issues.targets();
    if targets.is_empty() {
        return;
    }
    let numbers = app.issues.target_numbers();
    app.overlay = Overlay::Editor(crate::app::agenda::TextEditor::response(targets, numbers));
}

/// A kind of closing as typed: answered, on the spot, withdrawn (English or Chinese).
pub fn parse_resolution_kind(text: &str) -> Option<ResolutionKind> {
    match text.trim().to_lowercase().as_str() {
        "" | "a" | "answered" | "answer" | "已答复" | "答复" => Some(ResolutionKind::Answered),
        "o" | "s" | "spot" | "on-the-spot" | "on the spot" | "现场" | "现场解决" => {
            Some(ResolutionKind::OnTheSpot)
        }
        "w" | "withdrawn" | "withdraw" | "撤回" => Some(ResolutionKind::Withdrawn),
        _ => None,
    }
}

/// Enter in one of the queue's forms.
pub(in crate::app) fn submit(app: &mut App, mut form: Form) -> Result<(), StoreError> {
    let change = match form.kind {
        FormKind::SetDue => {
            let text = form.text(Field::Due).trim().to_string();
            if text.is_empty() || text == "-" || text == "none" {
                Triage::Due(None)
            } else {
                match crate::model::when::parse_date(&text, app.today()) {
                    Ok(d) => Triage::Due(Some(d)),
                    Err(e) => {
                        form.show_message(Field::Due, msg::when_error(&e));
                        app.overlay = Overlay::Form(form);
                        return Ok(());
                    }
                }
            }
        }
        FormKind::SetOwner => Triage::Owner(form.text(Field::Owner).to_string()),
        FormKind::Close => {
            let Some(kind) = parse_resolution_kind(form.text(Field::Status)) else {
                form.show_message(Field::Status, msg::RESOLUTION_KINDS.to_string());
                app.overlay = Overlay::Form(form);
                return Ok(());
            };
            let text = form.text(Field::Resolution).trim().to_string();
            if text.is_empty() {
                form.show_message(
                    Field::Resolution,
                    msg::field_problem(
                        Field::Resolution,
                        &crate::model::Problem::ResolutionRequired,
                    ),
                );
                app.overlay = Overlay::Form(form);
                return Ok(());
            }
            Triage::Close(Resolution { kind, text })
        }
        FormKind::SaveView => {
            let name = form.text(Field::Name).trim().to_string();
            if name.is_empty() {
                form.show_message(Field::Name, msg::problem(&crate::model::Problem::Empty));
                app.overlay = Overlay::Form(form);
                return Ok(());
            }
            app.close_overlay();
            return super::views::save_view(app, &name);
        }
        _ => return Ok(()),
    };
    // Check a single item's change here, so a refused due date stays in the form.
    if let (Triage::Due(_) | Triage::Close(_), [id]) = (&change, form.targets.as_slice()) {
        if let Some(mut issue) = app.store.issue(*id)? {
            if let Err(e) = change.apply(&mut issue, &app.user.clone(), app.now) {
                form.show_error(&e);
                app.overlay = Overlay::Form(form);
                return Ok(());
            }
        }
    }
    app.close_overlay();
    triage(app, form.targets, change)
}
