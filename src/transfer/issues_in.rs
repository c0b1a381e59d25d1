//! Items into the ledger from a CSV file: an export of another database, or the spreadsheet a
//! zone kept before it had Liaison.
//!
//! The header row names the columns in Chinese or English (the names `export issues` writes,
//! and a few more that hand-kept ledgers use); 企业名称/firm and 诉求/title are required. Every
//! row adds one item. A firm is found by its full name, else by a short name that only it
//! has, else created; a department unknown to the database is created too; a category must
//! exist (by code or name). Status and priority are read in English or Chinese, dates in the
//! forgiving forms of `when::parse_date` and as spreadsheets write them.
//!
//! Each item gets an honest history: `Created` at its creation time (from the file, else now),
//! then, at its last update (from the file, else the import), the `Department` event, any
//! responses, and the `Status` steps that lead to its state — each step one the life cycle
//! allows, so the history reads like the app's own.
//!
//! The file streams through twice and is never held in memory: the first pass checks every
//! row and writes nothing, so that a dry run, `strict` and a file that turns out to be
//! unreadable half way all leave the database untouched; the second pass writes the good rows
//! through `Store::bulk` (transactions of 2,000, each item whole with its history and
//! indexes; a flush every 100,000 items and at the end). Only the names of firms,
//! departments and categories are kept in memory, with the visits of the firms whose items
//! name a visit date: a dry run of 1,000,000 rows peaks at about 7 MB; a real import's
//! memory is sled's (its page cache and page table), not the file's.
//!
//! A row whose item is already there (`matching`: by its 编号 or by firm, title and date
//! raised) updates that item instead, with history events for what changed, and a row that
//! changes nothing is left alone: importing a file twice adds nothing the second time, and an
//! import stopped part way (the database is marked while it writes, `Store::unfinished`)
//! completes without duplicates when run again.

use super::csv_layout::{self, CsvColumn, HeaderError, Layout};
use super::issues_out::Column;
use super::text_stream::{detect_encoding, encoding_error, TextReader};
use super::{EncodingError, ImportOptions, RowError, TextEncoding};
use crate::messages;
use crate::model::when::{parse_date, parse_when, WhenError};
use crate::model::{
    clean_tag, clean_text, name_key, split_tags, Category, Change, Department, Field, FieldError,
    Firm, Id, Issue, IssueDraft, IssueEvent, LocalTime, Priority, Problem, Resolution,
    ResolutionKind, Status, DETAIL_MAX,
};
use crate::store::{new_bulk_id, Operation, Store, StoreError, Unfinished};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone};
use matching::{Matcher, RowKey, RowState};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{self, BufReader, Read, Seek, SeekFrom};

/// Problems kept for the report; a file with a systematic mistake would otherwise fill
/// memory with a million copies of it. The count of the others is kept.
pub const MAX_REPORTED_ERRORS: usize = 1_000;
/// Names of new firms kept for the report (their count is always exact).
pub const MAX_REPORTED_FIRMS: usize = 100;
/// The resolution written for a closed item whose row gives none: closing needs one.
pub const IMPORTED_AS_CLOSED: &str = "imported as closed";
/// Items written between flushes during a long import, so that sled's unflushed log stays
/// small; the import ends with a flush as well.
const FLUSH_EVERY: u64 = 100_000;
/// Who the history says did it when the database has no user name.
pub const IMPORT_AUTHOR: &str = "import";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuesImportReport {
    pub encoding: TextEncoding,
    /// Rows that hold an item (blank rows are skipped).
    pub rows: u64,
    /// Items added; for a dry run, or under `strict` with bad rows, the items that would be.
    pub added: u64,
    /// Rows matched to an item they change (or would), and to one already as they say.
    pub updated: u64,
    pub unchanged: u64,
    /// The first `MAX_REPORTED_FIRMS` rows that add or update an item, in file order.
    pub changes: Vec<RowChange>,
    /// Rows with at least one problem; their items are not added.
    pub bad_rows: u64,
    /// The problems, in file order (a row may have several); at most `MAX_REPORTED_ERRORS`.
    pub errors: Vec<RowError>,
    /// Problems beyond those in `errors`.
    pub more_errors: u64,
    /// Firms created for the items (or that would be).
    pub new_firms: u64,
    /// The first `MAX_REPORTED_FIRMS` of their names, in file order.
    pub new_firm_names: Vec<String>,
    /// Departments created for the items (or that would be), in file order.
    pub new_departments: Vec<String>,
    /// Closed items without a resolution in the file, given `IMPORTED_AS_CLOSED`.
    pub closed_without_resolution: u64,
    /// Answers (办结答复) of items that are not closed, kept as responses to the firm.
    pub answers_kept_as_responses: u64,
    /// Items linked to a visit of their firm on their visit date.
    pub visits_linked: u64,
    /// Items whose visit date matches no visit of their firm; they are added without one.
    pub visits_not_found: u64,
    /// Header cells that name no known column.
    pub ignored_columns: Vec<String>,
    /// Known columns whose values an item cannot keep.
    pub unused_columns: Vec<UnusedColumn>,
    /// Whether the items were written: false for a dry run and under `strict` with bad rows.
    pub applied: bool,
}

impl IssuesImportReport {
    fn new(encoding: TextEncoding) -> IssuesImportReport {
        IssuesImportReport {
            encoding,
            rows: 0,
            added: 0,
            updated: 0,
            unchanged: 0,
            changes: Vec::new(),
            bad_rows: 0,
            errors: Vec::new(),
            more_errors: 0,
            new_firms: 0,
            new_firm_names: Vec::new(),
            new_departments: Vec::new(),
            closed_without_resolution: 0,
            answers_kept_as_responses: 0,
            visits_linked: 0,
            visits_not_found: 0,
            ignored_columns: Vec::new(),
            unused_columns: Vec::new(),
            applied: false,
        }
    }

    /// Every row was good.
    pub fn is_clean(&self) -> bool {
        self.bad_rows == 0
    }

    fn add_error(&mut self, error: RowError) {
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(error);
        } else {
            self.more_errors += 1;
        }
    }
}

/// A row that adds an item or changes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowChange {
    pub line: u64,
    /// The item it changes; `None` for a new one.
    pub number: Option<u32>,
    /// What changes: the kinds of the history events, in order (empty for a new item).
    pub changes: Vec<&'static str>,
}

/// A column the file has and the import reads past: its header as the file writes it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedColumn {
    pub label: String,
    pub reason: &'static str,
}

/// A problem with the file as a whole: nothing was written.
#[derive(Debug)]
pub enum IssuesImportError {
    Encoding(EncodingError),
    /// The file has no header row.
    NoHeader,
    /// Required columns are missing: their names as `企业名称/firm`, and the header found.
    MissingColumns {
        missing: Vec<String>,
        found: Vec<String>,
    },
    /// Two header cells name the same column.
    DuplicateColumn {
        first: String,
        second: String,
    },
    Csv(String),
    Read(io::Error),
    Store(StoreError),
}

impl fmt::Display for IssuesImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssuesImportError::Encoding(e) => write!(f, "{e}"),
            IssuesImportError::NoHeader => {
                f.write_str(&crate::messages::empty_file("企业名称/firm, 诉求/title"))
            }
            IssuesImportError::MissingColumns { missing, found } => {
                f.write_str(&crate::messages::missing_columns(
                    &crate::messages::or_list(
                        &missing.iter().map(|m| m.as_ref()).collect::<Vec<&str>>(),
                    ),
                ))?;
                csv_layout::write_found(f, found)
            }
            IssuesImportError::DuplicateColumn { first, second } => {
                csv_layout::write_duplicate(f, first, second)
            }
            IssuesImportError::Csv(message) => write!(f, "{message}"),
            IssuesImportError::Read(e) => {
                f.write_str(&crate::messages::cannot_read_reason(&e.to_string()))
            }
            IssuesImportError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for IssuesImportError {}

impl From<StoreError> for IssuesImportError {
    fn from(e: StoreError) -> Self {
        IssuesImportError::Store(e)
    }
}

impl From<io::Error> for IssuesImportError {
    fn from(e: io::Error) -> Self {
        match encoding_error(&e) {
            Some(encoding) => IssuesImportError::Encoding(encoding.clone()),
            None => IssuesImportError::Read(e),
        }
    }
}

impl From<HeaderError<Column>> for IssuesImportError {
    fn from(e: HeaderError<Column>) -> Self {
        match e {
            HeaderError::Empty => IssuesImportError::NoHeader,
            HeaderError::Duplicate { first, second } => {
                IssuesImportError::DuplicateColumn { first, second }
            }
            HeaderError::Missing { missing, found } => IssuesImportError::MissingColumns {
                missing: missing
                    .into_iter()
                    .map(|c| format!("{}/{}", c.chinese(), c.english()))
                    .collect(),
                found,
            },
        }
    }
}

impl From<csv::Error> for IssuesImportError {
    fn from(e: csv::Error) -> Self {
        let message = e.to_string();
        match e.into_kind() {
            // Invalid bytes surface here, from the `TextReader` under the CSV reader.
            csv::ErrorKind::Io(io) => io.into(),
            _ => IssuesImportError::Csv(message),
        }
    }
}

/// Imports items from a CSV file; see the module documentation for the format.
///
/// Bad rows are reported, not fatal: unless `strict` is set, every good row is added. `Err` is
/// for a file that cannot be read at all, or a failing store; nothing is written then.
pub fn import_issues<R: Read + Seek>(
    store: &Store,
    input: R,
    options: &ImportOptions,
    now: LocalTime,
) -> Result<IssuesImportReport, IssuesImportError> {
    let mark = Unfinished::new(Operation::ImportIssues, None);
    import_issues_marked(store, input, options, now, &mark)
}

/// As `import_issues`; while it writes, the database carries `mark` (`Store::unfinished`),
/// set before the first write and cleared after the last.
pub fn import_issues_marked<R: Read + Seek>(
    store: &Store,
    mut input: R,
    options: &ImportOptions,
    now: LocalTime,
    mark: &Unfinished,
) -> Result<IssuesImportReport, IssuesImportError> {
    let encoding = detect_encoding(&mut input, options.encoding)?;
    let checked = read_rows(store, &mut input, encoding, now, None)?;
    let refused_by_strict = options.strict && !checked.is_clean();
    if options.dry_run || refused_by_strict || checked.added + checked.updated == 0 {
        if !options.dry_run && !refused_by_strict && store.unfinished()?.is_some() {
            // Run again after being stopped between its last write and clearing its mark
            // (only this import's mark lets it run): everything is written, the mark goes.
            store.clear_unfinished()?;
        }
        return Ok(IssuesImportReport {
            applied: !options.dry_run && !refused_by_strict,
            ..checked
        });
    }
    input.seek(SeekFrom::Start(0))?;
    store.mark_unfinished(mark)?;
    let written = write::pipelined(store, |outbox| {
        read_rows(store, &mut input, encoding, now, Some(outbox))
    })?;
    // An error above leaves the mark: part of the file is written.
    store.clear_unfinished()?;
    Ok(IssuesImportReport {
        applied: true,
        ..written
    })
}

/// One pass over the file: checks every row and, given the writer's outbox, writes the good
/// ones.
fn read_rows<R: Read>(
    store: &Store,
    input: R,
    encoding: TextEncoding,
    now: LocalTime,
    mut outbox: Option<&mut write::Outbox>,
) -> Result<IssuesImportReport, IssuesImportError> {
    let text = TextReader::new(BufReader::with_capacity(1 << 16, input), encoding);
    let mut lines = text.line_counter();
    let mut reader = csv_layout::reader(text);
    let headers = reader.headers()?.clone();
    let layout = Layout::from_headers(&headers, &[Column::Firm, Column::Title])?;
    let mut report = IssuesImportReport::new(encoding);
    report.ignored_columns = layout.ignored.clone();
    report.unused_columns = [(Column::Number, "items are numbered by this database")]
        .into_iter()
        .filter(|&(c, _)| layout.has(c))
        .map(|(c, reason)| UnusedColumn {
            label: layout.label(c).to_string(),
            reason,
        })
        .collect();
    let pass = match outbox {
        Some(_) => Pass::Write,
        None => Pass::Check,
    };
    let mut names = Names::load(store, now, pass)?;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        let line = lines.line_of(&record);
        if layout.row_is_blank(&record) {
            continue;
        }
        report.rows += 1;
        match plan_row(&layout, &record, line, &mut names, &mut report)? {
            Err(errors) => {
                report.bad_rows += 1;
                for error in errors {
                    report.add_error(error);
                }
            }
            Ok(Plan::Unchanged) => report.unchanged += 1,
            Ok(Plan::Update(updated)) => {
                let Updated {
                    issue,
                    events,
                    new_department,
                    line,
                } = *updated;
                report.updated += 1;
                if report.changes.len() < MAX_REPORTED_FIRMS {
                    report.changes.push(RowChange {
                        line,
                        number: Some(issue.number),
                        changes: events
                            .iter()
                            .map(|e| matching::change_name(&e.change))
                            .collect(),
                    });
                }
                if let Some(department) = &new_department {
                    report.new_departments.push(department.name.clone());
                }
                if let Some(outbox) = outbox.as_deref_mut() {
                    if let Some(department) = new_department {
                        outbox.send(Write::Department(department))?;
                    }
                    outbox.send(Write::Update(issue, events))?;
                }
            }
            Ok(Plan::Add(planned)) => {
                report.added += 1;
                if report.changes.len() < MAX_REPORTED_FIRMS {
                    report.changes.push(RowChange {
                        line,
                        number: None,
                        changes: Vec::new(),
                    });
                }
                if let Some(department) = &planned.new_department {
                    report.new_departments.push(department.name.clone());
                }
                if let Some(firm) = &planned.new_firm {
                    report.new_firms += 1;
                    if report.new_firm_names.len() < MAX_REPORTED_FIRMS {
                        report.new_firm_names.push(firm.name.clone());
                    }
                }
                if let Some(outbox) = outbox.as_deref_mut() {
                    if let Some(department) = planned.new_department {
                        outbox.send(Write::Department(department))?;
                    }
                    if let Some(firm) = planned.new_firm {
                        outbox.send(Write::Firm(firm))?;
                    }
                    outbox.send(Write::Issue(planned.issue, planned.events))?;
                    if (report.added + report.updated).is_multiple_of(FLUSH_EVERY) {
                        outbox.send(Write::Flush)?;
                    }
                }
            }
        }
    }
    Ok(report)
}

mod history;
mod matching;
#[cfg(test)]
mod matching_tests;
mod names;
mod row;
#[cfg(test)]
mod tests;
mod write;

use history::*;
use names::*;
use row::*;
use write::Write;
