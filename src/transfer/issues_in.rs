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
use crate::store::{new_bulk_id, Bulk, Operation, Store, StoreError, Unfinished};
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
    let mut bulk = store.bulk();
    let written = read_rows(store, &mut input, encoding, now, Some(&mut bulk))?;
    bulk.finish()?;
    // An error above leaves the mark: part of the file is written.
    store.clear_unfinished()?;
    Ok(IssuesImportReport {
        applied: true,
        ..written
    })
}

/// One pass over the file: checks every row and, given a bulk writer, writes the good ones.
fn read_rows<R: Read>(
    store: &Store,
    input: R,
    encoding: TextEncoding,
    now: LocalTime,
    mut bulk: Option<&mut Bulk<'_>>,
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
    let mut names = Names::load(store, now)?;
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
                if let Some(bulk) = bulk.as_deref_mut() {
                    if let Some(department) = &new_department {
                        store.put_department(department)?;
                    }
                    bulk.update(issue, events)?;
                }
                if let Some(department) = new_department {
                    report.new_departments.push(department.name);
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
                if let Some(bulk) = bulk.as_deref_mut() {
                    if let Some(department) = planned.new_department {
                        store.put_department(&department)?;
                    }
                    if let Some(firm) = planned.new_firm {
                        bulk.firm(firm)?;
                    }
                    bulk.issue(planned.issue, planned.events)?;
                    if (report.added + report.updated).is_multiple_of(FLUSH_EVERY) {
                        store.flush()?;
                    }
                }
            }
        }
    }
    Ok(report)
}

// ---- the header ----------------------------------------------------------------------------

impl Column {
    /// The model's field for this column, for the wording of its problems.
    fn field(self) -> Field {
        match self {
            Column::Firm => Field::Firm,
            Column::Title => Field::Title,
            Column::Detail => Field::Detail,
            Column::Owner => Field::Owner,
            Column::Status | Column::ResolutionKind => Field::Status,
            Column::Due => Field::Due,
            Column::Resolution | Column::LastResponse => Field::Resolution,
            Column::Tags => Field::Tags,
            Column::Callback => Field::Status,
            _ => Field::Name,
        }
    }
}

impl Layout<Column> {
    /// The trimmed cell, empty when the column is absent or the row is short. Line breaks
    /// inside a quoted cell become `\n`, the only line break the model accepts.
    fn cell<'r>(&self, record: &'r csv::StringRecord, column: Column) -> Cow<'r, str> {
        let value = self.text(record, column);
        if value.contains('\r') {
            Cow::Owned(value.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(value)
        }
    }

    fn row_is_blank(&self, record: &csv::StringRecord) -> bool {
        record.iter().all(|cell| cell.trim().is_empty())
    }

    fn error(&self, line: u64, column: Column, message: impl Into<String>) -> RowError {
        RowError {
            line,
            field: self.label(column).to_string(),
            message: message.into(),
        }
    }

    fn problem(&self, line: u64, column: Column, problem: &Problem) -> RowError {
        self.error(
            line,
            column,
            messages::field_problem(column.field(), problem),
        )
    }
}

// ---- names ---------------------------------------------------------------------------------

/// What a name in the file refers to: a record the database (or an earlier row) has, or one
/// to create when the row turns out good.
enum Found<T> {
    Known(Id),
    New(T),
}

/// The names rows refer to, and what the rows so far have added to them.
struct Names<'s> {
    store: &'s Store,
    now: LocalTime,
    author: String,
    /// By `name_key` of the full name.
    firms: HashMap<String, Id>,
    /// By `name_key` of the short name; `None` when several firms share it.
    short_names: HashMap<String, Option<Id>>,
    /// By `name_key` of the name and of the full name.
    departments: HashMap<String, Id>,
    categories: Vec<Category>,
    /// The visits of each firm by day, read when a row first needs them.
    visits: HashMap<Id, Vec<(NaiveDate, Id)>>,
    /// The items already there, which rows are matched to.
    items: Matcher,
    /// Firms this import creates: their rows have no items to match.
    new_firms: HashSet<Id>,
}

impl<'s> Names<'s> {
    fn load(store: &'s Store, now: LocalTime) -> Result<Names<'s>, StoreError> {
        let mut firms = HashMap::new();
        let mut short_names: HashMap<String, Option<Id>> = HashMap::new();
        for firm in store.firms()?.records {
            firms.insert(name_key(&firm.name), firm.id);
            if !firm.short_name.is_empty() {
                short_names
                    .entry(name_key(&firm.short_name))
                    .and_modify(|owner| *owner = None)
                    .or_insert(Some(firm.id));
            }
        }
        let mut departments = HashMap::new();
        for department in store.departments()?.records {
            departments.insert(name_key(&department.name), department.id);
            if !department.full_name.is_empty() {
                departments
                    .entry(name_key(&department.full_name))
                    .or_insert(department.id);
            }
        }
        Ok(Names {
            store,
            now,
            author: store.user()?.unwrap_or_else(|| IMPORT_AUTHOR.to_string()),
            firms,
            short_names,
            departments,
            categories: store.categories()?.records,
            visits: HashMap::new(),
            items: Matcher::new(store)?,
            new_firms: HashSet::new(),
        })
    }

    /// The full name, else a short name only one firm has; a new firm otherwise.
    fn firm(&self, name: &str) -> Result<Found<Firm>, String> {
        let key = name_key(name);
        if let Some(id) = self.firms.get(&key) {
            return Ok(Found::Known(*id));
        }
        match self.short_names.get(&key) {
            Some(Some(id)) => Ok(Found::Known(*id)),
            Some(None) => Err(format!(
                "{name} is the short name of several firms; write the full name"
            )),
            None => Firm::new(name, self.now)
                .map(Found::New)
                .map_err(|e| messages::field_problem(Field::Name, &e.problem)),
        }
    }

    fn department(&self, name: &str) -> Result<Found<Department>, String> {
        match self.departments.get(&name_key(name)) {
            Some(id) => Ok(Found::Known(*id)),
            None => Department::new(name, "")
                .map(Found::New)
                .map_err(|e| messages::field_problem(Field::Name, &e.problem)),
        }
    }

    fn category(&self, text: &str) -> Result<Id, String> {
        let code = text.to_lowercase();
        self.categories
            .iter()
            .find(|c| c.code == code || c.name == text)
            .map(|c| c.id)
            .ok_or_else(|| {
                let known: Vec<String> = self
                    .categories
                    .iter()
                    .map(|c| format!("{} {}", c.code, c.name))
                    .collect();
                format!("no category {text} (known: {})", known.join(", "))
            })
    }

    /// The firm's visit on that day, if it has exactly one such day's visit or several (the
    /// first is taken: the item was raised that day at that firm).
    fn visit_on(&mut self, firm: Id, day: NaiveDate) -> Result<Option<Id>, StoreError> {
        if !self.visits.contains_key(&firm) {
            let mut days = Vec::new();
            for id in self.store.visit_ids_of_firm(firm)? {
                // A damaged visit cannot be linked; `check` reports it.
                if let Ok(Some(visit)) = self.store.visit(id) {
                    days.push((visit.start.date_naive(), visit.id));
                }
            }
            self.visits.insert(firm, days);
        }
        Ok(self.visits[&firm]
            .iter()
            .find(|(d, _)| *d == day)
            .map(|(_, id)| *id))
    }
}

// ---- one row -------------------------------------------------------------------------------

/// What a good row does.
enum Plan {
    Add(Box<Planned>),
    Update(Box<Updated>),
    /// Its item is already as it says.
    Unchanged,
}

/// A good row that changes an item already there (its department may be new).
struct Updated {
    issue: Issue,
    events: Vec<IssueEvent>,
    new_department: Option<Department>,
    line: u64,
}

/// A good row that adds an item, ready to write: its item and history, and the firm and
/// department to create first, if new.
struct Planned {
    issue: Issue,
    events: Vec<IssueEvent>,
    new_firm: Option<Firm>,
    new_department: Option<Department>,
}

/// Reads and checks one row. `Ok(Err(..))` is a bad row, with every problem found in it.
fn plan_row(
    layout: &Layout<Column>,
    record: &csv::StringRecord,
    line: u64,
    names: &mut Names<'_>,
    report: &mut IssuesImportReport,
) -> Result<Result<Plan, Vec<RowError>>, StoreError> {
    let cell = |column| layout.cell(record, column);
    let today = names.now.date_naive();
    let mut errors = Vec::new();

    let firm_name = cell(Column::Firm);
    let firm = if firm_name.is_empty() {
        errors.push(layout.problem(line, Column::Firm, &Problem::Empty));
        None
    } else {
        names
            .firm(&firm_name)
            .map_err(|message| errors.push(layout.error(line, Column::Firm, message)))
            .ok()
    };
    // The model checks the title with the rest of the item below; an empty one is the common
    // mistake, reported here with the row's other problems.
    if cell(Column::Title).is_empty() {
        errors.push(layout.problem(line, Column::Title, &Problem::Empty));
    }
    let department = optional(&cell(Column::Department), |name| names.department(name))
        .map_err(|message| errors.push(layout.error(line, Column::Department, message)))
        .ok()
        .flatten();
    let category = optional(&cell(Column::Category), |text| names.category(text))
        .map_err(|message| errors.push(layout.error(line, Column::Category, message)))
        .ok()
        .flatten();
    let priority = optional(&cell(Column::Priority), |text| {
        Priority::parse(text).ok_or_else(|| {
            format!("unknown priority {text} (low, normal, high, urgent or 低, 中, 高, 急)")
        })
    })
    .map_err(|message| errors.push(layout.error(line, Column::Priority, message)))
    .ok()
    .flatten();
    let status = optional(&cell(Column::Status), |text| {
        Status::parse(text).ok_or_else(|| {
            format!(
                "unknown status {text} (new, assigned, in-progress, answered, closed or {})",
                Status::ALL.map(Status::chinese).join(", ")
            )
        })
    })
    .map_err(|message| errors.push(layout.error(line, Column::Status, message)))
    .ok()
    .flatten();
    let resolution_kind = optional(&cell(Column::ResolutionKind), |text| {
        ResolutionKind::parse(text).ok_or_else(|| {
            format!(
                "unknown resolution kind {text} (answered, on-the-spot, withdrawn or {})",
                ResolutionKind::ALL.map(ResolutionKind::chinese).join(", ")
            )
        })
    })
    .map_err(|message| errors.push(layout.error(line, Column::ResolutionKind, message)))
    .ok()
    .flatten();
    let verdict = optional(&cell(Column::Callback), |text| {
        crate::model::Verdict::parse(text).ok_or_else(|| {
            format!("unknown verdict {text} (satisfied, basically-satisfied, not-satisfied, 满意, 基本满意, 不满意)")
        })
    })
    .map_err(|message| errors.push(layout.error(line, Column::Callback, message)))
    .ok()
    .flatten();
    let due = optional(&cell(Column::Due), |text| parse_due(text, today))
        .map_err(|message| errors.push(layout.error(line, Column::Due, message)))
        .ok()
        .flatten();
    let visit_day = optional(&cell(Column::VisitDate), |text| parse_due(text, today))
        .map_err(|message| errors.push(layout.error(line, Column::VisitDate, message)))
        .ok()
        .flatten();
    let created = optional(&cell(Column::Created), |text| parse_moment(text, names.now))
        .map_err(|message| errors.push(layout.error(line, Column::Created, message)))
        .ok()
        .flatten();
    let updated = optional(&cell(Column::Updated), |text| parse_moment(text, names.now))
        .map_err(|message| errors.push(layout.error(line, Column::Updated, message)))
        .ok()
        .flatten();
    let mut text_of = |column: Column| {
        clean_text(column.field(), &cell(column), false, DETAIL_MAX, true)
            .map_err(|e| errors.push(layout.problem(line, column, &e.problem)))
            .unwrap_or_default()
    };
    let last_response = text_of(Column::LastResponse);
    let answer = text_of(Column::Resolution);
    // 标签 as the app takes them: 专班、省重点; each by the rules of a tag.
    let mut tags = Vec::new();
    for tag in split_tags(&cell(Column::Tags)) {
        match clean_tag(&tag) {
            Ok(tag) => tags.push(tag),
            Err(e) => errors.push(layout.problem(line, Column::Tags, &e.problem)),
        }
    }
    let (Some(firm), true) = (firm, errors.is_empty()) else {
        return Ok(Err(errors));
    };

    let (firm_id, new_firm) = match firm {
        Found::Known(id) => (id, None),
        Found::New(firm) => (firm.id, Some(firm)),
    };
    let (department_id, new_department) = match department {
        None => (None, None),
        Some(Found::Known(id)) => (Some(id), None),
        Some(Found::New(d)) => (Some(d.id), Some(d)),
    };
    let visit = match visit_day {
        Some(day) if new_firm.is_none() => names.visit_on(firm_id, day)?,
        _ => None,
    };
    let raised = created.map(|c| c.date_naive());
    let created = created.unwrap_or(names.now);
    // The events that bring the item to its state happened at its last update, as far as
    // anyone can tell; never before it was created.
    let moment = updated.unwrap_or(names.now).max(created);
    let target = status.unwrap_or(if department_id.is_some() {
        Status::Assigned
    } else {
        Status::New
    });
    let row_answer = answer.clone();
    let closing_text = (target == Status::Closed).then(|| answer.clone());
    let answer_as_response = (target != Status::Closed && !answer.is_empty()).then_some(answer);

    let mut draft = IssueDraft::new(firm_id, &cell(Column::Title));
    let row_owner = (!cell(Column::Owner).is_empty()).then(|| cell(Column::Owner).into_owned());
    draft.detail = cell(Column::Detail).into_owned();
    draft.owner = cell(Column::Owner).into_owned();
    draft.priority = priority.unwrap_or(Priority::Normal);
    draft.category = category;
    draft.visit = visit;
    let built = build_history(
        draft,
        &names.author,
        History {
            // Its place among the items added sets its record group (`new_bulk_id`).
            id: new_bulk_id(report.added),
            created,
            moment,
            department: department_id,
            due,
            target,
            resolution: closing_text.map(|text| Resolution {
                kind: resolution_kind.unwrap_or(ResolutionKind::Answered),
                text,
            }),
            responses: [(last_response, false)]
                .into_iter()
                .chain(answer_as_response.clone().map(|a| (a, true)))
                .filter(|(text, _)| !text.is_empty())
                .collect(),
            updated_in_file: updated.is_some(),
        },
    );
    let (mut issue, mut events, closed_without_text) = match built {
        Ok(built) => built,
        Err(e) => {
            let column = match e.field {
                Field::Title => Column::Title,
                Field::Detail => Column::Detail,
                Field::Owner => Column::Owner,
                Field::Resolution => Column::Resolution,
                _ => Column::Status,
            };
            return Ok(Err(vec![layout.problem(line, column, &e.problem)]));
        }
    };
    // Checked above, so this cannot refuse; kept in the item's history like any change.
    if let Ok(Some(event)) = issue.change_tags(&tags, &[], &names.author, moment) {
        events.push(event);
    }
    // 回访: the call, on the day of the item's last change; only a closed item has one.
    if let Some(verdict) = verdict {
        match issue.record_call(verdict, "", moment.date_naive(), &names.author, moment) {
            Ok(event) => events.push(event),
            Err(e) => {
                return Ok(Err(vec![layout.problem(
                    line,
                    Column::Callback,
                    &e.problem,
                )]))
            }
        }
    }

    if new_firm.is_none() && !names.new_firms.contains(&firm_id) {
        let key = RowKey {
            number: cell(Column::Number).trim_start_matches('#').parse().ok(),
            title: &issue.title,
            raised,
        };
        if let Some(id) = names.items.take(names.store, firm_id, &key)? {
            let row = RowState {
                department: department_id,
                owner: row_owner,
                priority,
                category,
                due,
                status,
                resolution_kind,
                answer: row_answer,
                last_response: matching::text_of_last(&events),
                tags: (!tags.is_empty()).then_some(tags),
                verdict,
            };
            return matching::plan_update(names, id, row, new_department, layout, line);
        }
    }

    // The row is good: what it creates exists for the rows after it.
    if let Some(firm) = &new_firm {
        names.firms.insert(name_key(&firm.name), firm.id);
        names.new_firms.insert(firm.id);
    }
    if let Some(department) = &new_department {
        names
            .departments
            .insert(name_key(&department.name), department.id);
    }
    if closed_without_text {
        report.closed_without_resolution += 1;
    }
    if answer_as_response.is_some() {
        report.answers_kept_as_responses += 1;
    }
    match (visit_day, visit) {
        (Some(_), Some(_)) => report.visits_linked += 1,
        (Some(_), None) => report.visits_not_found += 1,
        _ => {}
    }
    Ok(Ok(Plan::Add(Box::new(Planned {
        issue,
        events,
        new_firm,
        new_department,
    }))))
}

/// `None` for an empty cell, else what `parse` makes of it.
fn optional<T>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if text.is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

/// The state a row gives its item, for `build_history`.
struct History {
    id: Id,
    created: LocalTime,
    /// When the changes after creation are recorded.
    moment: LocalTime,
    department: Option<Id>,
    due: Option<NaiveDate>,
    target: Status,
    /// For a closed item: what the firm was told (empty when the file says nothing).
    resolution: Option<Resolution>,
    /// (text, to_firm), oldest first.
    responses: Vec<(String, bool)>,
    updated_in_file: bool,
}

/// The item in its imported state and the events that lead there, each a change the app could
/// have made; `true` when a closed item got `IMPORTED_AS_CLOSED` for want of a resolution.
fn build_history(
    draft: IssueDraft,
    author: &str,
    state: History,
) -> Result<(Issue, Vec<IssueEvent>, bool), FieldError> {
    // The draft is checked without its department and due date: the department comes as its
    // own event below, and an old ledger's due dates may well be past.
    let mut issue = draft.into_issue(state.id, 0, state.created)?;
    let mut events = vec![IssueEvent::new(
        issue.id,
        state.created,
        author,
        Change::Created,
    )];
    issue.due = state.due;
    if let Some(department) = state.department {
        issue.department = Some(department);
        // Handing an item to a department is what makes it assigned, as in `into_issue`.
        issue.status = Status::Assigned;
        events.push(IssueEvent::new(
            issue.id,
            state.moment,
            author,
            Change::Department {
                from: None,
                to: Some(department),
            },
        ));
    }
    for (text, to_firm) in state.responses {
        events.push(IssueEvent::new(
            issue.id,
            state.moment,
            author,
            Change::Response { text, to_firm },
        ));
    }
    let mut closed_without_text = false;
    let steps = if issue.status == state.target {
        vec![]
    } else if issue.status.can_become(state.target) {
        vec![state.target]
    } else {
        // From new to in progress or answered, by way of assigned.
        vec![Status::Assigned, state.target]
    };
    for step in steps {
        let resolution = match (step, &state.resolution) {
            (Status::Closed, Some(r)) if r.text.is_empty() => {
                closed_without_text = true;
                Some(Resolution {
                    kind: r.kind,
                    text: IMPORTED_AS_CLOSED.to_string(),
                })
            }
            (Status::Closed, r) => r.clone(),
            _ => None,
        };
        events.push(issue.change_status(step, resolution, author, state.moment)?);
    }
    issue.updated = if events.len() > 1 || state.updated_in_file {
        state.moment
    } else {
        state.created
    };
    Ok((issue, events, closed_without_text))
}

// ---- dates ---------------------------------------------------------------------------------

fn when_message(error: &WhenError) -> String {
    match error {
        WhenError::NoSuchDate(text) => format!("there is no such day as {text}"),
        WhenError::Negative(text) => format!("{text} is a negative number, not a date"),
        _ => "is not a date (2026-12-13, 2026/12/13, 12-13, +7d, 周五 …)".to_string(),
    }
}

/// A day as people and spreadsheets write it: the forms of `parse_date` (relative ones
/// counted from `today`), a date with a time (`2026-12-13 00:00:00`, what Excel writes for a
/// date cell), or Excel's serial day number (`46369`) when a date cell lost its format.
fn parse_due(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let first = match parse_date(text, today) {
        Ok(day) => return Ok(day),
        Err(e) => e,
    };
    if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
        let serial: i64 = text.parse().unwrap_or(0);
        // Excel counts from 1899-12-30 once past its fictitious 1900-02-29; five digits
        // cover 1927 to 2173.
        if let Some(day) = NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_signed(Duration::days(serial)))
        {
            return Ok(day);
        }
    }
    if let Some((day, time)) = text.split_once([' ', 'T']) {
        if parse_clock(time.trim()).is_some() {
            return parse_date(day, today).map_err(|e| when_message(&e));
        }
    }
    Err(when_message(&first))
}

/// `09:30`, `9:30:15`, `09:30:15.250`: the times spreadsheets write.
fn parse_clock(text: &str) -> Option<NaiveTime> {
    ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
}

/// A moment: RFC 3339 as exports write it (`2026-12-13T09:30:00+08:00`), a date and a time in
/// the laptop's offset (`2026-12-13 09:30:00`, `2026/12/13 9:30`), or a day alone (its start).
/// A moment more than a day ahead of `now` is refused: it is a typo, not a record.
fn parse_moment(text: &str, now: LocalTime) -> Result<LocalTime, String> {
    let moment = DateTime::parse_from_rfc3339(text)
        .ok()
        .or_else(|| {
            let (day, time) = text.split_once([' ', 'T'])?;
            let time = parse_clock(time.trim())?;
            let day = parse_date(day, now.date_naive()).ok()?;
            now.offset()
                .from_local_datetime(&day.and_time(time))
                .single()
        })
        .or_else(|| parse_when(text, now).ok())
        .or_else(|| {
            let day = parse_date(text, now.date_naive()).ok()?;
            now.offset()
                .from_local_datetime(&day.and_time(NaiveTime::MIN))
                .single()
        })
        .ok_or_else(|| {
            "is not a date and time (2026-12-13 09:30, 2026-12-13T09:30:00+08:00 …)".to_string()
        })?;
    if moment > now + Duration::days(1) {
        return Err(format!("{text} is in the future"));
    }
    Ok(moment)
}

mod matching;
#[cfg(test)]
mod matching_tests;
#[cfg(test)]
mod tests;
