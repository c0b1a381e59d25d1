use super::rules::{clean_text, Field, FieldError};
use super::Id;
use serde::{Deserialize, Serialize};

/// A department that items are handed to, e.g. 发改局 (发展和改革局).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: Id,
    /// The name people use day to day; unique.
    pub name: String,
    pub full_name: String,
}

/// A named filter and order of the queue, saved by the officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: Id,
    pub name: String,
    /// In the filter language of the Issues tab.
    pub filter: String,
    /// A sort code: due, priority, age, firm, updated.
    pub sort: String,
}

/// A kind of item: land, finance, talent, … (configurable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: Id,
    /// A short Latin code for filters and the command line, e.g. `land`.
    pub code: String,
    /// The name shown, e.g. 用地.
    pub name: String,
}

/// The longest name or filter of a saved view: what the app's one-line fields take.
pub const VIEW_TEXT_MAX: usize = 10_000;

impl Department {
    pub fn new(name: &str, full_name: &str) -> Result<Department, FieldError> {
        Department {
            id: Id::new(),
            name: name.to_string(),
            full_name: full_name.to_string(),
        }
        .validated()
    }

    /// The department with its names trimmed, or the first that breaks a rule.
    pub fn validated(self) -> Result<Department, FieldError> {
        Ok(Department {
            id: self.id,
            name: clean_text(Field::Name, &self.name, true, 30, false)?,
            full_name: clean_text(Field::Name, &self.full_name, false, 100, false)?,
        })
    }
}

impl SavedView {
    /// The view with its name trimmed, or the first text that breaks a rule.
    pub fn validated(self) -> Result<SavedView, FieldError> {
        Ok(SavedView {
            id: self.id,
            name: clean_text(Field::Name, &self.name, true, VIEW_TEXT_MAX, false)?,
            filter: clean_text(Field::Filter, &self.filter, false, VIEW_TEXT_MAX, false)?,
            sort: clean_text(Field::Code, &self.sort, true, 20, false)?,
        })
    }
}

impl Category {
    pub fn new(code: &str, name: &str) -> Result<Category, FieldError> {
        Category {
            id: Id::new(),
            code: code.to_string(),
            name: name.to_string(),
        }
        .validated()
    }

    /// The category with its code in lower case and its name trimmed, or the first that
    /// breaks a rule.
    pub fn validated(self) -> Result<Category, FieldError> {
        let code = clean_text(Field::Code, &self.code, true, 20, false)?;
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(FieldError::new(Field::Code, super::Problem::Malformed));
        }
        Ok(Category {
            id: self.id,
            code: code.to_ascii_lowercase(),
            name: clean_text(Field::Name, &self.name, true, 30, false)?,
        })
    }

    /// The categories every new database starts with.
    pub const DEFAULTS: [(&'static str, &'static str); 8] = [
        ("land", "用地"),
        ("finance", "融资"),
        ("talent", "人才"),
        ("approvals", "审批"),
        ("policy", "政策"),
        ("infrastructure", "基础设施"),
        ("market", "市场"),
        ("other", "其他"),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_codes_are_latin_and_lower_case() {
        assert_eq!(Category::new("Land", "用地").unwrap().code, "land");
        assert!(Category::new("用地", "用地").is_err());
        assert!(Department::new(" ", "").is_err());
        assert_eq!(
            Department::new(" 发改局 ", "发展和改革局").unwrap().name,
            "发改局"
        );
    }
}

/// How many days each priority gives a department to answer: the default due date of an
/// item raised without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sla {
    /// Days for low, normal, high and urgent items.
    pub days: [u16; 4],
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            days: [30, 15, 7, 3],
        }
    }
}

impl Sla {
    pub fn days_for(&self, priority: super::Priority) -> u16 {
        self.days[priority as usize]
    }

    pub fn due(&self, priority: super::Priority, raised: chrono::NaiveDate) -> chrono::NaiveDate {
        raised + chrono::Duration::days(i64::from(self.days_for(priority)))
    }
}
