//! Forms and confirmations. A form holds text fields; saving turns them into a record, runs
//! the model's rules and puts each problem next to its field. Nothing is written until every
//! field is valid.

use super::input::TextInput;
use crate::app::Overlay;
use crate::messages as msg;
use crate::model::{Contact, Field, FieldError, Firm, Id, Visit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    NewFirm,
    EditFirm(Id),
    NewContact(Id),
    /// A firm's contact, by position.
    EditContact(Id, usize),
    /// The path of a CSV file of firms.
    ImportFirms,
    NewVisit,
    EditVisit(Id),
    /// A date to show on the Agenda.
    GoToDate,
    /// Where to write the agenda as iCalendar.
    ExportAgenda,
    /// Where to write the items shown on the Issues tab.
    ExportIssues,
    /// Where to write the Reports tab's brief.
    ExportBrief,
    /// The note of a follow-up call with this verdict.
    CallNote(crate::model::Verdict),
    /// The queue: a new due date, an owner, how and why an item is closed, a view's name.
    SetDue,
    SetOwner,
    Close,
    SaveView,
    /// The tags of items: one line, 专班、省重点.
    SetTags,
    /// An item's title, detail and category.
    EditIssue(Id),
    /// An item raised for a firm, outside a visit.
    NewIssue,
    /// A department's or category's new name (the Lists popup).
    RenameList(Id),
    /// The firm to merge the selected one into.
    MergeFirm(Id),
    /// A new value typed for this field of an item in conflict (`app::conflicts`).
    ConflictValue(&'static str),
    /// Bundles (`app::conflicts`): where to write one, which to apply.
    ExportBundle,
    ImportBundle,
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub field: Field,
    pub label: &'static str,
    pub input: TextInput,
    pub error: Option<String>,
    /// What the typed text is taken to mean (the firm found, the date parsed), shown before
    /// saving.
    pub hint: Option<String>,
    /// What the typed text may name, when it names several (the firms matching a name or
    /// its pinyin): the arrows choose, the chosen one is saved.
    pub choices: Vec<(Id, String)>,
    pub chosen: usize,
    /// Edited since the form opened. The first character typed into a filled-in field that
    /// is not replaces its text (as a selected text is replaced), so a due date typed over
    /// the current one does not read `2026-12-18下周五`; a moving key keeps the text to edit.
    pub touched: bool,
}

impl FormField {
    /// Applies an edit, replacing a filled-in text on the first character typed.
    pub fn edit(&mut self, edit: &super::input::Edit) {
        use super::input::Edit;
        let replacing = !self.touched;
        self.touched = true;
        self.error = None;
        match edit {
            // Typing over a selected text replaces it; deleting it empties the field.
            Edit::Insert(_) | Edit::Paste(_) if replacing => self.input = TextInput::default(),
            Edit::Backspace | Edit::Delete if replacing => {
                self.input = TextInput::default();
                return;
            }
            _ => {}
        }
        self.input.apply(edit);
    }

    /// The candidate chosen with the arrows, if the field offers any.
    pub fn choice(&self) -> Option<Id> {
        self.choices.get(self.chosen).map(|(id, _)| *id)
    }

    /// Filled in and not yet edited: shown as selected, replaced by typing.
    pub fn replaced_by_typing(&self) -> bool {
        !self.touched && !self.input.text.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// The items a queue form acts on, fixed when it opened: whatever moves in the list
    /// behind it, saving changes these (empty for other forms).
    pub targets: Vec<Id>,
}

fn field(field: Field, label: &'static str, text: &str) -> FormField {
    FormField {
        field,
        label,
        input: TextInput::with_text(text),
        error: None,
        hint: None,
        choices: Vec::new(),
        chosen: 0,
        touched: false,
    }
}

/// A file in the officer's home folder, as an export form offers it.
pub fn home_file(name: &str) -> String {
    match std::env::var_os("HOME") {
        Some(home) => std::path::Path::new(&home).join(name).display().to_string(),
        None => name.to_string(),
    }
}

/// The path typed in a file field, with `~/` standing for the home folder as in a shell.
pub fn typed_path(typed: &str) -> std::path::PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(typed),
    }
}

/// Writes a file, whole or not at all (`transfer::write_private_file`), to the path typed in
/// the form's file field. On success the form is closed and what was written comes back with
/// the path as typed; an empty path, or one that cannot be written, puts the form back with
/// the reason, and `None` comes back.
pub(super) fn write_typed_file<S>(
    app: &mut super::App,
    mut form: Form,
    export: impl FnOnce(
        &super::App,
        &std::path::Path,
        &mut std::io::BufWriter<&std::fs::File>,
    ) -> Result<S, crate::transfer::ExportError>,
) -> Result<Option<(S, String)>, crate::store::StoreError> {
    use crate::transfer::{write_private_file, FileError};
    let typed = form.text(Field::File).trim().to_string();
    if typed.is_empty() {
        form.show_message(Field::File, msg::problem(&crate::model::Problem::Empty));
        app.overlay = Overlay::Form(form);
        return Ok(None);
    }
    let path = typed_path(&typed);
    let shared: &super::App = app;
    match write_private_file(&path, shared.store.path(), |out| export(shared, &path, out)) {
        Ok(summary) => {
            app.close_overlay();
            Ok(Some((summary, typed)))
        }
        Err(FileError::Store(e)) => Err(e),
        Err(e) => {
            form.show_message(Field::File, e.to_string());
            app.overlay = Overlay::Form(form);
            Ok(None)
        }
    }
}

/// Tags are typed as one line, separated by commas, 、 or semicolons.
pub fn split_tags(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

impl Form {
    pub fn firm(kind: FormKind, firm: Option<&Firm>) -> Form {
        let get = |f: fn(&Firm) -> String| firm.map(f).unwrap_or_default();
        Form {
            kind,
            fields: vec![
                field(Field::Name, msg::LABEL_NAME.get(), &get(|f| f.name.clone())),
                field(
                    Field::ShortName,
                    msg::LABEL_SHORT_NAME.get(),
                    &get(|f| f.short_name.clone()),
                ),
                field(
                    Field::Sector,
                    msg::LABEL_SECTOR.get(),
                    &get(|f| f.sector.clone()),
                ),
                field(Field::Park, msg::LABEL_PARK.get(), &get(|f| f.park.clone())),
                field(
                    Field::Address,
                    msg::LABEL_ADDRESS.get(),
                    &get(|f| f.address.clone()),
                ),
                field(
                    Field::Tags,
                    msg::LABEL_TAGS.get(),
                    &get(|f| f.tags.join("、")),
                ),
                field(
                    Field::Notes,
                    msg::LABEL_NOTES.get(),
                    &get(|f| f.notes.replace('\n', " ")),
                ),
            ],
            focus: 0,
            targets: Vec::new(),
        }
    }

    pub fn contact(kind: FormKind, contact: Option<&Contact>) -> Form {
        let get = |f: fn(&Contact) -> String| contact.map(f).unwrap_or_default();
        Form {
            kind,
            fields: vec![
                field(
                    Field::ContactName,
                    msg::LABEL_CONTACT_NAME.get(),
                    &get(|c| c.name.clone()),
                ),
                field(
                    Field::ContactTitle,
                    msg::LABEL_CONTACT_TITLE.get(),
                    &get(|c| c.title.clone()),
                ),
                field(
                    Field::Phone,
                    msg::LABEL_PHONE.get(),
                    &get(|c| c.phone.clone()),
                ),
                field(
                    Field::Email,
                    msg::LABEL_EMAIL.get(),
                    &get(|c| c.email.clone()),
                ),
            ],
            focus: 0,
            targets: Vec::new(),
        }
    }

    pub fn import_firms() -> Form {
        Form {
            kind: FormKind::ImportFirms,
            fields: vec![field(Field::File, msg::LABEL_FILE.get(), "")],
            focus: 0,
            targets: Vec::new(),
        }
    }

    pub fn visit(
        kind: FormKind,
        visit: Option<&Visit>,
        firm_name: &str,
        offset: chrono::FixedOffset,
    ) -> Form {
        let when = visit
            .map(|v| {
                v.start
                    .with_timezone(&offset)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        Form {
            kind,
            fields: vec![
                field(Field::Firm, msg::LABEL_FIRM.get(), firm_name),
                field(Field::Start, msg::LABEL_WHEN.get(), &when),
                field(
                    Field::Duration,
                    msg::LABEL_DURATION.get(),
                    &visit.map_or("60".to_string(), |v| v.duration_min.to_string()),
                ),
                field(
                    Field::Location,
                    msg::LABEL_LOCATION.get(),
                    &visit.map(|v| v.location.clone()).unwrap_or_default(),
                ),
                field(
                    Field::Lead,
                    msg::LABEL_LEAD.get(),
                    &visit.map(|v| v.lead.clone()).unwrap_or_default(),
                ),
                field(
                    Field::Attendees,
                    msg::LABEL_ATTENDEES.get(),
                    &visit.map(|v| v.attendees.join("、")).unwrap_or_default(),
                ),
                field(
                    Field::Purpose,
                    msg::LABEL_PURPOSE.get(),
                    &visit
                        .map(|v| v.purpose.replace('\n', " "))
                        .unwrap_or_default(),
                ),
            ],
            focus: 0,
            targets: Vec::new(),
        }
    }

    pub fn export_agenda(default_path: &str) -> Form {
        Form {
            kind: FormKind::ExportAgenda,
            fields: vec![field(Field::File, msg::LABEL_FILE.get(), default_path)],
            focus: 0,
            targets: Vec::new(),
        }
    }

    /// Where to write a bundle (`app::conflicts`), and for which ledger (empty: all).
    pub fn export_bundle(default_path: &str) -> Form {
        Form {
            kind: FormKind::ExportBundle,
            fields: vec![
                field(Field::File, msg::LABEL_BUNDLE_FILE.get(), default_path),
                FormField {
                    hint: Some(msg::BUNDLE_PEER_HINT.to_string()),
                    ..field(Field::Owner, msg::LABEL_BUNDLE_PEER.get(), "")
                },
            ],
            focus: 0,
            targets: Vec::new(),
        }
    }

    /// A form of one field.
    pub fn single(kind: FormKind, field_kind: Field, label: &'static str, text: &str) -> Form {
        Form {
            kind,
            fields: vec![field(field_kind, label, text)],
            focus: 0,
            targets: Vec::new(),
        }
    }

    /// Closing an item: how (answered, on the spot, withdrawn) and what the firm was told.
    pub fn close() -> Form {
        let mut how = field(
            Field::Status,
            msg::LABEL_HOW.get(),
            msg::CLOSE_HOW_ANSWERED.get(),
        );
        how.hint = Some(msg::CLOSE_HOW_HINT.to_string());
        Form {
            kind: FormKind::Close,
            fields: vec![
                how,
                field(Field::Resolution, msg::LABEL_RESOLUTION.get(), ""),
            ],
            focus: 1,
            targets: Vec::new(),
        }
    }

    /// An item's text fields; a new one starts with the firm it is for.
    pub fn issue(kind: FormKind, firm: &str, title: &str, detail: &str, category: &str) -> Form {
        let mut fields = Vec::new();
        if kind == FormKind::NewIssue {
            fields.push(field(Field::Firm, msg::LABEL_FIRM.get(), firm));
        }
        fields.extend([
            field(Field::Title, msg::LABEL_TITLE.get(), title),
            field(
                Field::Detail,
                msg::LABEL_DETAIL.get(),
                &detail.replace('\n', " "),
            ),
            field(Field::Category, msg::LABEL_CATEGORY.get(), category),
        ]);
        Form {
            kind,
            fields,
            focus: 0,
            targets: Vec::new(),
        }
    }

    pub fn go_to_date() -> Form {
        Form {
            kind: FormKind::GoToDate,
            fields: vec![field(Field::Start, msg::LABEL_DATE.get(), "")],
            focus: 0,
            targets: Vec::new(),
        }
    }

    /// The same form, acting on `targets`.
    pub fn acting_on(self, targets: Vec<Id>) -> Form {
        Form { targets, ..self }
    }

    pub fn title(&self) -> &'static str {
        match self.kind {
            FormKind::NewFirm => msg::FORM_NEW_FIRM.get(),
            FormKind::EditFirm(_) => msg::FORM_EDIT_FIRM.get(),
            FormKind::NewContact(_) => msg::FORM_NEW_CONTACT.get(),
            FormKind::EditContact(..) => msg::FORM_EDIT_CONTACT.get(),
            FormKind::ImportFirms => msg::FORM_IMPORT_FIRMS.get(),
            FormKind::NewVisit => msg::FORM_NEW_VISIT.get(),
            FormKind::EditVisit(_) => msg::FORM_EDIT_VISIT.get(),
            FormKind::GoToDate => msg::FORM_GO_TO_DATE.get(),
            FormKind::ExportAgenda => msg::FORM_EXPORT_AGENDA.get(),
            FormKind::ExportIssues => msg::FORM_EXPORT_ISSUES.get(),
            FormKind::ExportBrief => msg::FORM_EXPORT_BRIEF.get(),
            FormKind::CallNote(_) => msg::FORM_CALL_NOTE.get(),
            FormKind::ConflictValue(_) => msg::FORM_CONFLICT_VALUE.get(),
            FormKind::ExportBundle => msg::FORM_EXPORT_BUNDLE.get(),
            FormKind::ImportBundle => msg::FORM_IMPORT_BUNDLE.get(),
            FormKind::SetDue => msg::FORM_SET_DUE.get(),
            FormKind::SetOwner => msg::FORM_SET_OWNER.get(),
            FormKind::SetTags => msg::FORM_SET_TAGS.get(),
            FormKind::Close => msg::FORM_CLOSE.get(),
            FormKind::SaveView => msg::FORM_SAVE_VIEW.get(),
            FormKind::EditIssue(_) => msg::FORM_EDIT_ISSUE.get(),
            FormKind::NewIssue => msg::FORM_NEW_ISSUE.get(),
            FormKind::RenameList(_) => msg::FORM_RENAME_LIST.get(),
            FormKind::MergeFirm(_) => msg::FORM_MERGE_FIRM.get(),
        }
    }

    pub fn text(&self, field: Field) -> &str {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map_or("", |f| f.input.text.as_str())
    }

    /// Shows a problem next to its field and moves the focus there.
    pub fn show_error(&mut self, error: &FieldError) {
        self.show_message(error.field, msg::field_problem(error.field, &error.problem));
    }

    pub fn show_message(&mut self, field: Field, message: String) {
        let index = self
            .fields
            .iter()
            .position(|f| f.field == field)
            .unwrap_or(0);
        self.fields[index].error = Some(message);
        self.focus = index;
    }

    pub fn field(&self, field: Field) -> Option<&FormField> {
        self.fields.iter().find(|f| f.field == field)
    }

    pub fn field_mut(&mut self, field: Field) -> Option<&mut FormField> {
        self.fields.iter_mut().find(|f| f.field == field)
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// The firm as the form describes it, built on `base` (the firm being edited).
    pub fn to_firm(&self, base: Firm) -> Result<Firm, FieldError> {
        Firm {
            name: self.text(Field::Name).to_string(),
            short_name: self.text(Field::ShortName).to_string(),
            sector: self.text(Field::Sector).to_string(),
            park: self.text(Field::Park).to_string(),
            address: self.text(Field::Address).to_string(),
            tags: split_tags(self.text(Field::Tags)),
            notes: self.text(Field::Notes).to_string(),
            ..base
        }
        .validated()
    }

    /// Every problem of the firm or contact the form describes, to show all at once.
    pub fn problems(&self) -> Vec<FieldError> {
        match self.kind {
            FormKind::NewFirm | FormKind::EditFirm(_) => Firm {
                name: self.text(Field::Name).to_string(),
                short_name: self.text(Field::ShortName).to_string(),
                sector: self.text(Field::Sector).to_string(),
                park: self.text(Field::Park).to_string(),
                address: self.text(Field::Address).to_string(),
                tags: split_tags(self.text(Field::Tags)),
                notes: self.text(Field::Notes).to_string(),
                ..Firm::new("-", chrono::DateTime::default()).expect("a placeholder name is valid")
            }
            .problems(),
            FormKind::NewContact(_) | FormKind::EditContact(..) => Contact {
                name: self.text(Field::ContactName).to_string(),
                title: self.text(Field::ContactTitle).to_string(),
                phone: self.text(Field::Phone).to_string(),
                email: self.text(Field::Email).to_string(),
            }
            .problems(),
            _ => Vec::new(),
        }
    }

    pub fn to_contact(&self) -> Result<Contact, FieldError> {
        Contact {
            name: self.text(Field::ContactName).to_string(),
            title: self.text(Field::ContactTitle).to_string(),
            phone: self.text(Field::Phone).to_string(),
            email: self.text(Field::Email).to_string(),
        }
        .validated()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmKind {
    /// A triage change to several items.
    Triage(Vec<Id>, super::queue::Triage),
    MarkDone(Id),
    CancelVisit(Id),
    /// Archive (true) or restore (false) a firm.
    ArchiveFirm(Id, bool),
    RemoveContact(Id, usize),
    /// Delete a saved view.
    DeleteView(Id),
    /// Merge the first firm into the second.
    MergeFirm(Id, Id),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub kind: ConfirmKind,
    pub question: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_chinese_and_latin_separators() {
        assert_eq!(
            split_tags("重点企业、 规上企业,上市公司；;"),
            vec!["重点企业", "规上企业", "上市公司"]
        );
    }

    #[test]
    fn a_form_puts_the_problem_next_to_its_field() {
        let mut form = Form::contact(FormKind::NewContact(Id::new()), None);
        form.fields[0].input = TextInput::with_text("王婉灵");
        form.fields[2].input = TextInput::with_text("not a phone");
        let error = form.to_contact().unwrap_err();
        form.show_error(&error);
        assert_eq!(form.focus, 2);
        assert!(form.fields[2].error.is_some());
        form.clear_errors();
        assert!(form.fields.iter().all(|f| f.error.is_none()));
    }
}
