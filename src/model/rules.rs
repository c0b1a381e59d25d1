//! Validation vocabulary shared by every record type. The texts shown to people live in the
//! message catalog (`crate::messages`), so these are plain values.

/// Which field of a record a problem concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    ShortName,
    Sector,
    Park,
    Address,
    Tags,
    Notes,
    ContactTitle,
    Location,
    Lead,
    Attendees,
    Purpose,
    Minutes,
    Owner,
    /// Who wrote a history event: the user setting.
    Author,
    /// A file path typed in the app (imports).
    File,
    Response,
    Title,
    Detail,
    Firm,
    Start,
    Duration,
    Due,
    Status,
    Resolution,
    ContactName,
    Phone,
    Email,
    Code,
    /// A saved view's filter, in the filter language.
    Filter,
    Category,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooLong {
        max_chars: usize,
    },
    ControlCharacter,
    DueBeforeCreated,
    ZeroDuration,
    DurationTooLong {
        max_minutes: u32,
    },
    Transition {
        from: &'static str,
        to: &'static str,
    },
    ResolutionRequired,
    /// `assigned` means handed to a department: there must be one.
    AssignedNeedsDepartment,
    /// A follow-up call (回访) is made after the item is closed.
    CallNeedsClosed,
    /// Names nothing known (a firm, a category).
    Unknown,
    Malformed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }
}

/// Trims a text field and refuses control characters (other than newlines and tabs in
/// multi-line fields), which would otherwise reach the terminal raw.
pub fn clean_text(
    field: Field,
    value: &str,
    required: bool,
    max_chars: usize,
    multi_line: bool,
) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if required && trimmed.is_empty() {
        return Err(FieldError::new(field, Problem::Empty));
    }
    if trimmed.chars().count() > max_chars {
        return Err(FieldError::new(field, Problem::TooLong { max_chars }));
    }
    let allowed = |c: char| multi_line && (c == '\n' || c == '\t');
    if trimmed.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(FieldError::new(field, Problem::ControlCharacter));
    }
    Ok(trimmed.to_string())
}

/// Names compare equal when they differ only in surrounding space, letter case or
/// full-width/half-width forms, so that 中山ABC and 中山ＡＢＣ are one firm.
pub fn name_key(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_trims_and_checks() {
        assert_eq!(
            clean_text(Field::Name, "  中山 ", true, 10, false).unwrap(),
            "中山"
        );
        assert_eq!(
            clean_text(Field::Name, "   ", true, 10, false)
                .unwrap_err()
                .problem,
            Problem::Empty
        );
        assert_eq!(clean_text(Field::Name, "", false, 10, false).unwrap(), "");
        assert_eq!(
            clean_text(Field::Name, "一二三四五六", true, 5, false)
                .unwrap_err()
                .problem,
            Problem::TooLong { max_chars: 5 }
        );
        assert_eq!(
            clean_text(Field::Name, "a\u{1b}[2Jb", true, 50, false)
                .unwrap_err()
                .problem,
            Problem::ControlCharacter
        );
        assert!(clean_text(Field::Detail, "line\nline", true, 50, true).is_ok());
        assert!(clean_text(Field::Name, "line\nline", true, 50, false).is_err());
    }

    #[test]
    fn name_key_folds_width_case_and_space() {
        assert_eq!(
            name_key(" 中山ＡＢＣ 有限公司"),
            name_key("中山abc有限公司")
        );
        assert_ne!(name_key("中山生物"), name_key("中山生物工程"));
    }
}
