//! A popup list to choose one value from (a department, a priority, a view …), narrowed as
//! the officer types: by name, pinyin or initials, as everywhere else.

use super::input::TextInput;
use super::Cursor;
use crate::model::{Id, Priority, Status};
use crate::search::{NameKeys, Query, Searcher};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickPurpose {
    Department,
    Priority,
    Category,
    Status,
    View,
    /// The Lists popup: every department and category.
    Lists,
    /// What to do with the entry chosen there (its id is the target).
    ListAction,
    /// Where a merged entry's items go (the merged one is the target).
    MergeInto,
    /// The firm's verdict in a follow-up call (`app::call`).
    Verdict,
    /// The value to keep of a field in conflict (`app::conflicts`).
    Conflict,
}

/// What the Lists popup does with an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOp {
    Rename,
    Merge,
    Retire,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickValue {
    Id(Option<Id>),
    Priority(Priority),
    Status(Status),
    View(usize),
    /// A department by the name typed, added when picked.
    NewDepartment(String),
    List(ListOp),
    Verdict(crate::model::Verdict),
    /// A value in conflict to keep, as the operation holds it (JSON).
    Conflict {
        field: String,
        value: String,
    },
    /// A new value to type for this field in conflict.
    TypeConflict(&'static str),
}

#[derive(Debug, Clone)]
pub struct PickOption {
    pub label: String,
    /// Shown beside the label, dimmed (a full name, a filter).
    pub hint: String,
    pub value: PickValue,
    keys: NameKeys,
}

impl PickOption {
    pub fn new(label: &str, hint: &str, value: PickValue) -> PickOption {
        PickOption {
            label: label.to_string(),
            hint: hint.to_string(),
            value,
            keys: NameKeys::new(&format!("{label} {hint}")),
        }
    }
}

#[derive(Debug)]
pub struct Picker {
    pub purpose: PickPurpose,
    pub options: Vec<PickOption>,
    pub query: TextInput,
    /// Positions in `options` that match the query, best first.
    pub shown: Vec<usize>,
    pub cursor: Cursor,
    /// The items the choice applies to, fixed when the picker opened: the list behind it
    /// may move (keys, items arriving from the background), the target does not.
    pub targets: Vec<Id>,
    /// Names no new department may take (those of retired ones too, which are not offered).
    pub taken: Vec<String>,
}

impl Picker {
    pub fn new(purpose: PickPurpose, options: Vec<PickOption>, targets: Vec<Id>) -> Picker {
        let mut picker = Picker {
            purpose,
            shown: (0..options.len()).collect(),
            options,
            query: TextInput::default(),
            cursor: Cursor::default(),
            targets,
            taken: Vec::new(),
        };
        picker.cursor.set_height(12);
        picker.cursor.set_len(picker.shown.len());
        picker
    }

    pub fn selected(&self) -> Option<&PickOption> {
        self.shown
            .get(self.cursor.selected)
            .map(|i| &self.options[*i])
    }

    /// Puts the cursor on the option holding `value` (the current one), if it is shown.
    pub fn select_value(&mut self, value: &PickValue) {
        if let Some(pos) = self
            .shown
            .iter()
            .position(|i| self.options[*i].value == *value)
        {
            self.cursor.select(pos);
        }
    }

    /// Narrows the list to the options matching the query.
    pub fn refresh(&mut self) {
        let query = Query::new(&self.query.text);
        let mut searcher = Searcher::default();
        let mut hits: Vec<(usize, crate::search::Hit)> = self
            .options
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let text = format!("{} {}", o.label, o.hint);
                searcher.match_name(&query, &text, &o.keys).map(|h| (i, h))
            })
            .collect();
        hits.sort_by_key(|(i, h)| (h.order(), *i));
        self.shown = hits.into_iter().map(|(i, _)| i).collect();
        self.offer_new_department();
        self.cursor.set_len(self.shown.len());
        self.cursor.select(0);
    }
}

impl Picker {
    /// In the department picker, a typed name no department has is offered last as a new
    /// one: the way to add a department is where one is found missing.
    fn offer_new_department(&mut self) {
        if self.purpose != PickPurpose::Department {
            return;
        }
        if matches!(
            self.options.last().map(|o| &o.value),
            Some(PickValue::NewDepartment(_))
        ) {
            self.options.pop();
            self.shown.retain(|i| *i < self.options.len());
        }
        let name = self.query.text.trim();
        let taken = self.taken.iter().any(|t| t == name)
            || self
                .options
                .iter()
                .any(|o| o.label == name || o.hint == name);
        if name.is_empty() || taken {
            return;
        }
        let option = PickOption::new(
            &format!("+ {name}"),
            crate::messages::NEW_DEPARTMENT_HINT.get(),
            PickValue::NewDepartment(name.to_string()),
        );
        self.options.push(option);
        self.shown.push(self.options.len() - 1);
        self.cursor.set_len(self.shown.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_narrows_by_name_and_pinyin() {
        let mut picker = Picker::new(
            PickPurpose::Department,
            vec![
                PickOption::new("发改局", "发展和改革局", PickValue::Id(Some(Id::new()))),
                PickOption::new(
                    "人社局",
                    "人力资源和社会保障局",
                    PickValue::Id(Some(Id::new())),
                ),
            ],
            Vec::new(),
        );
        picker.query = TextInput::with_text("rsj");
        picker.refresh();
        assert_eq!(picker.selected().unwrap().label, "人社局");
        picker.query = TextInput::with_text("改革");
        picker.refresh();
        assert_eq!(picker.selected().unwrap().label, "发改局");
        // A name no department has is offered as a new one, and only once.
        picker.query = TextInput::with_text("qqq");
        picker.refresh();
        picker.refresh();
        assert_eq!(picker.shown.len(), 1);
        assert_eq!(
            picker.selected().unwrap().value,
            PickValue::NewDepartment("qqq".into())
        );
        picker.query = TextInput::with_text("发改局");
        picker.refresh();
        assert_eq!(
            picker.shown.len(),
            1,
            "an existing name is not offered anew"
        );
        assert_eq!(picker.selected().unwrap().label, "发改局");
    }
}
