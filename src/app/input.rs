//! A one-line text field: the text, and a cursor counted in characters so Chinese text is
//! edited a character at a time. The screen puts the terminal cursor at `cursor_column`, the
//! display column, so an input method's window follows the text.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
    /// Position in characters, 0..=len.
    pub cursor: usize,
}

/// An edit to a text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    /// Pasted text; line breaks become spaces in a one-line field.
    Paste(String),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Clears everything before the cursor (Ctrl-U, as in shells).
    ClearToStart,
}

/// The longest text a field takes; a larger paste is cut here rather than freezing the UI.
pub const MAX_INPUT_CHARS: usize = 10_000;

impl TextInput {
    pub fn with_text(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn apply(&mut self, edit: &Edit) {
        match edit {
            Edit::Insert(c) => self.insert(&c.to_string()),
            Edit::Paste(text) => {
                let one_line: String = text
                    .chars()
                    .map(|c| {
                        if c == '\n' || c == '\r' || c == '\t' {
                            ' '
                        } else {
                            c
                        }
                    })
                    .filter(|c| !c.is_control())
                    .collect();
                self.insert(&one_line)
            }
            Edit::Backspace => {
                if self.cursor > 0 {
                    let at = self.byte_at(self.cursor - 1);
                    self.text.remove(at);
                    self.cursor -= 1;
                }
            }
            Edit::Delete => {
                if self.cursor < self.len() {
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(self.len()),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.len(),
            Edit::ClearToStart => {
                let at = self.byte_at(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
            }
        }
    }

    fn insert(&mut self, text: &str) {
        let room = MAX_INPUT_CHARS.saturating_sub(self.len());
        let text: String = text
            .chars()
            .filter(|c| !c.is_control())
            .take(room)
            .collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &text);
        self.cursor += text.chars().count();
    }

    /// Display columns before the cursor.
    pub fn cursor_column(&self) -> usize {
        crate::text::width(&self.text[..self.byte_at(self.cursor)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_work_a_character_at_a_time_on_chinese_text() {
        let mut input = TextInput::default();
        for c in "中山生物".chars() {
            input.apply(&Edit::Insert(c));
        }
        assert_eq!(input.cursor_column(), 8);
        input.apply(&Edit::Left);
        input.apply(&Edit::Backspace);
        assert_eq!(input.text, "中山物");
        assert_eq!(input.cursor_column(), 4);
        input.apply(&Edit::Insert('A'));
        assert_eq!(input.text, "中山A物");
        assert_eq!(input.cursor_column(), 5);
        input.apply(&Edit::Home);
        input.apply(&Edit::Delete);
        assert_eq!(input.text, "山A物");
        input.apply(&Edit::End);
        input.apply(&Edit::Right);
        assert_eq!(input.cursor, 3);
        input.apply(&Edit::ClearToStart);
        assert_eq!(input.text, "");
    }

    #[test]
    fn pastes_become_one_line_without_control_characters_and_are_bounded() {
        let mut input = TextInput::default();
        input.apply(&Edit::Paste("中山\r\n生物\u{1b}[31m".into()));
        assert_eq!(input.text, "中山  生物[31m");
        let huge = "字".repeat(MAX_INPUT_CHARS * 2);
        input.apply(&Edit::Paste(huge));
        assert_eq!(input.text.chars().count(), MAX_INPUT_CHARS);
    }
}
