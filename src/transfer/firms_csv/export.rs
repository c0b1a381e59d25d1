//! Export: every firm as rows of the same columns the import reads.

use super::Column;
use crate::model::{Contact, Firm};
use crate::store::Damaged;
use crate::store::{Store, StoreError};
use crate::transfer::csv_layout::CsvColumn;
use crate::transfer::{csv_cell, UTF8_BOM};
use std::fmt;
use std::io::Write;

/// The language of the header row an export writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Headers {
    #[default]
    Chinese,
    English,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub headers: Headers,
    /// Archived firms are left out unless this is set.
    pub include_archived: bool,
}

#[derive(Debug)]
pub struct ExportSummary {
    pub firms: usize,
    pub rows: usize,
    /// Firms that could not be decoded and so are missing from the file.
    pub damaged: Vec<Damaged>,
}

#[derive(Debug)]
pub enum ExportError {
    Store(StoreError),
    Io(std::io::Error),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Store(e) => write!(f, "{e}"),
            ExportError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError::Store(e)
    }
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Io(e)
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Io(e.into())
    }
}

/// Writes the firms as CSV, in the directory's pinyin order, one row per contact (a firm without contacts gets
/// one row). The file is UTF-8 with a byte order mark, without which Excel on a Chinese
/// Windows reads it as GBK and garbles every name; lines end in CRLF as RFC 4180 asks. A
/// cell that starts like a formula (a phone `+86 …`) gets a leading apostrophe, which import
/// takes off (`formula_guarded`).
pub fn export_firms(
    store: &Store,
    out: &mut impl Write,
    options: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    let loaded = store.firms()?;
    let mut firms: Vec<Firm> = loaded
        .records
        .into_iter()
        .filter(|firm| options.include_archived || !firm.archived)
        .collect();
    // The directory's order, as every list shows firms (code points put 中 before 广).
    firms.sort_by_cached_key(|firm| (crate::search::sort_key(&firm.name), firm.name.clone()));

    out.write_all(UTF8_BOM)?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut *out);
    writer.write_record(Column::ALL.map(|c| c.header(options.headers)))?;
    let mut rows = 0;
    let no_contact = Contact {
        name: String::new(),
        title: String::new(),
        phone: String::new(),
        email: String::new(),
    };
    for firm in &firms {
        let tags = firm.tags.join(";");
        let contacts = if firm.contacts.is_empty() {
            std::slice::from_ref(&no_contact)
        } else {
            firm.contacts.as_slice()
        };
        for contact in contacts {
            writer.write_record(
                [
                    firm.name.as_str(),
                    &firm.short_name,
                    &firm.sector,
                    &firm.park,
                    &firm.address,
                    &tags,
                    &contact.name,
                    &contact.title,
                    &contact.phone,
                    &contact.email,
                    &firm.notes,
                ]
                .map(|cell| csv_cell(cell.to_string())),
            )?;
            rows += 1;
        }
    }
    writer.flush()?;
    Ok(ExportSummary {
        firms: firms.len(),
        rows,
        damaged: loaded.damaged,
    })
}
