//! Firms as CSV, one row per contact: the directory officers keep in spreadsheets.
//!
//! Import reads a header row (Chinese or English column names), groups rows by firm name
//! (ignoring case, width and spaces, as the store does), checks every cell with the model's
//! rules and then adds new firms and updates existing ones in one bulk write. Export writes the
//! same columns, so an export imports back unchanged.
//!
//! Known limit of the format: tags are joined with `;` and split on several separators, so a
//! tag that itself contains `;` `,` `、` or `|` comes back as several tags.

use super::csv_layout::{CsvColumn, HeaderError, Layout};
use crate::messages;
use crate::model::{Contact, Field, FieldError, Firm, Id, LocalTime, Problem};
use std::borrow::Cow;

// ---- columns ---------------------------------------------------------------------------

/// The columns of a firms file, in the order export writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    ShortName,
    Sector,
    Park,
    Address,
    Tags,
    Contact,
    Title,
    Phone,
    Email,
    Notes,
}

const COLUMN_COUNT: usize = 11;

impl Column {
    const ALL: [Column; COLUMN_COUNT] = [
        Column::Name,
        Column::ShortName,
        Column::Sector,
        Column::Park,
        Column::Address,
        Column::Tags,
        Column::Contact,
        Column::Title,
        Column::Phone,
        Column::Email,
        Column::Notes,
    ];

    /// The firm's own fields besides its name; the first row with a value sets each.
    const FIRM_FIELDS: [Column; 6] = [
        Column::ShortName,
        Column::Sector,
        Column::Park,
        Column::Address,
        Column::Tags,
        Column::Notes,
    ];

    const CONTACT_FIELDS: [Column; 4] =
        [Column::Contact, Column::Title, Column::Phone, Column::Email];
}

impl CsvColumn for Column {
    const COLUMNS: &'static [Column] = &Column::ALL;

    fn index(self) -> usize {
        self as usize
    }

    fn chinese(self) -> &'static str {
        match self {
            Column::Name => "企业名称",
            Column::ShortName => "简称",
            Column::Sector => "行业",
            Column::Park => "园区",
            Column::Address => "地址",
            Column::Tags => "标签",
            Column::Contact => "联系人",
            Column::Title => "职务",
            Column::Phone => "电话",
            Column::Email => "邮箱",
            Column::Notes => "备注",
        }
    }

    /// Also the field name used when reporting what an update changed.
    fn english(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::ShortName => "short_name",
            Column::Sector => "sector",
            Column::Park => "park",
            Column::Address => "address",
            Column::Tags => "tags",
            Column::Contact => "contact",
            Column::Title => "title",
            Column::Phone => "phone",
            Column::Email => "email",
            Column::Notes => "notes",
        }
    }

    fn other_names(self) -> &'static [&'static str] {
        match self {
            Column::Name => &["名称"],
            Column::ShortName => &["short name"],
            _ => &[],
        }
    }
}

impl From<HeaderError<Column>> for ImportError {
    fn from(e: HeaderError<Column>) -> Self {
        match e {
            HeaderError::Empty => ImportError::NoHeader,
            HeaderError::Duplicate { first, second } => {
                ImportError::DuplicateColumn { first, second }
            }
            // Only the name column is required.
            HeaderError::Missing { found, .. } => ImportError::NoNameColumn { found },
        }
    }
}

impl Layout<Column> {
    /// The trimmed cell, empty when the column is absent or the row is short. Line breaks
    /// inside a quoted cell become `\n`, the only line break the model accepts.
    fn cell<'r>(&self, record: &'r csv::StringRecord, column: Column) -> Cow<'r, str> {
        let value = self.text(record, column);
        if value.contains('\r') {
            Cow::Owned(value.replace("\r\n", "\n"))
        } else {
            Cow::Borrowed(value)
        }
    }

    fn row_is_blank(&self, record: &csv::StringRecord) -> bool {
        Column::ALL
            .iter()
            .all(|&column| self.cell(record, column).is_empty())
    }

    fn error(&self, line: u64, column: Column, problem: &Problem) -> RowError {
        RowError {
            line,
            field: self.label(column).to_string(),
            message: messages::field_problem(column.field(), problem),
        }
    }
}

impl Column {
    /// The model's field for this column, for the wording of its problems.
    fn field(self) -> Field {
        match self {
            Column::Name => Field::Name,
            Column::ShortName => Field::ShortName,
            Column::Sector => Field::Sector,
            Column::Park => Field::Park,
            Column::Address => Field::Address,
            Column::Tags => Field::Tags,
            Column::Contact => Field::ContactName,
            Column::Title => Field::ContactTitle,
            Column::Phone => Field::Phone,
            Column::Email => Field::Email,
            Column::Notes => Field::Notes,
        }
    }
}

fn split_tags(cell: &str) -> Vec<String> {
    cell.split([';', '；', ',', '，', '、', '|'])
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(String::from)
        .collect()
}

fn empty_firm(id: Id, name: &str, now: LocalTime) -> Firm {
    Firm {
        id,
        name: name.to_string(),
        short_name: String::new(),
        sector: String::new(),
        park: String::new(),
        address: String::new(),
        tags: Vec::new(),
        contacts: Vec::new(),
        notes: String::new(),
        archived: false,
        created: now,
        updated: now,
    }
}

/// Checks one cell against the model's rules by validating a record that holds only that
/// value. The rules stay in the model, while the error can name the column: the model reports
/// sector, park, address, tags and a contact's title all as `Field::Name`.
fn cell_problem(column: Column, value: &str, now: LocalTime) -> Option<Problem> {
    const PLACEHOLDER: &str = "-";
    let mut contact = Contact {
        name: PLACEHOLDER.into(),
        title: String::new(),
        phone: String::new(),
        email: String::new(),
    };
    let mut firm = empty_firm(Id::MIN, PLACEHOLDER, now);
    let value = value.to_string();
    let result = match column {
        Column::Contact | Column::Title | Column::Phone | Column::Email => {
            match column {
                Column::Contact => contact.name = value,
                Column::Title => contact.title = value,
                Column::Phone => contact.phone = value,
                _ => contact.email = value,
            }
            contact.validated().map(drop)
        }
        _ => {
            match column {
                Column::Name => firm.name = value,
                Column::ShortName => firm.short_name = value,
                Column::Sector => firm.sector = value,
                Column::Park => firm.park = value,
                Column::Address => firm.address = value,
                Column::Tags => firm.tags = split_tags(&value),
                _ => firm.notes = value,
            }
            firm.validated().map(drop)
        }
    };
    result.err().map(|e: FieldError| e.problem)
}

mod export;
mod import;
#[cfg(test)]
mod tests;

pub use export::{export_firms, ExportError, ExportOptions, ExportSummary, Headers};
pub use import::{
    import_firms, import_firms_marked, FirmOutcome, ImportError, ImportOptions, ImportReport,
    Outcome, RowError,
};
