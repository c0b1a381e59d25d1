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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickValue {
    Id(Option<Id>),
    Priority(Priority),
    Status(Status),
    View(usize),
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
        self.cursor.set_len(self.shown.len());
        self.cursor.select(0);
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
        picker.query = TextInput::with_text("qqq");
        picker.refresh();
        assert!(picker.selected().is_none());
    }
}
