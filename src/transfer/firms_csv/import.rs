//! Import: rows grouped by firm, every cell checked, then one bulk write.

use super::{cell_problem, empty_firm, split_tags, Column, Layout, COLUMN_COUNT};
use crate::messages;
use crate::model::{name_key, Contact, Firm, Id, LocalTime, Problem};
use crate::store::{Operation, Store, StoreError, Unfinished};
use crate::transfer::csv_layout::{self, CsvColumn};
use crate::transfer::{decode, Encoding, EncodingError, TextEncoding};
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub encoding: Encoding,
    /// Report what would change and write nothing.
    pub dry_run: bool,
    /// Write nothing when any row is bad.
    pub strict: bool,
}

/// A row that could not be used: its 1-based line in the file (the header is line 1), the
/// column as the file names it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::messages::row_error(
            self.line,
            &self.field,
            &self.message,
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Added,
    /// The English names of the fields that changed (`contacts` for any contact).
    Updated {
        fields: Vec<&'static str>,
    },
    Unchanged,
    /// One of the firm's rows is bad, so none of them were used.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirmOutcome {
    /// The name as the file writes it.
    pub name: String,
    /// The first line that names the firm.
    pub line: u64,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub encoding: TextEncoding,
    /// One entry per firm in the file, in the order the file first names them.
    pub firms: Vec<FirmOutcome>,
    /// Bad rows by line.
    pub errors: Vec<RowError>,
    /// Header cells that name no known column.
    pub ignored_columns: Vec<String>,
    /// Whether the changes were written: false for a dry run, and under `strict` when a row
    /// is bad.
    pub applied: bool,
}

impl ImportReport {
    fn count(&self, wanted: impl Fn(&Outcome) -> bool) -> usize {
        self.firms.iter().filter(|f| wanted(&f.outcome)).count()
    }
    pub fn added(&self) -> usize {
        self.count(|o| *o == Outcome::Added)
    }
    pub fn updated(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Updated { .. }))
    }
    pub fn unchanged(&self) -> usize {
        self.count(|o| *o == Outcome::Unchanged)
    }
    pub fn rejected(&self) -> usize {
        self.count(|o| *o == Outcome::Rejected)
    }
    /// Every row was good.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}

/// A problem with the file as a whole: nothing was read from it and nothing written.
#[derive(Debug)]
pub enum ImportError {
    Encoding(EncodingError),
    /// The file has no header row.
    NoHeader,
    NoNameColumn {
        found: Vec<String>,
    },
    /// Two header cells name the same column.
    DuplicateColumn {
        first: String,
        second: String,
    },
    /// The CSV reader failed (unexpected for text already decoded).
    Csv(String),
    Store(StoreError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAME_HEADERS: &str = "企业名称, 名称 or name";
        match self {
            ImportError::Encoding(e) => write!(f, "{e}"),
            ImportError::NoHeader => f.write_str(&crate::messages::empty_file(NAME_HEADERS)),
            ImportError::NoNameColumn { found } => {
                f.write_str(&crate::messages::no_name_column(NAME_HEADERS))?;
                csv_layout::write_found(f, found)
            }
            ImportError::DuplicateColumn { first, second } => {
                csv_layout::write_duplicate(f, first, second)
            }
            ImportError::Csv(message) => write!(f, "{message}"),
            ImportError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Store(e)
    }
}

/// Text taken from the file, with the line it came from.
struct Cell {
    value: String,
    line: u64,
}

/// Everything the file says about one firm, gathered from all its rows.
struct FirmRows {
    name: Cell,
    /// Indexed by `Column::index`; only the firm's own fields are filled.
    fields: [Option<Cell>; COLUMN_COUNT],
    /// Merged by contact name: a later row for the same person replaces the earlier one.
    contacts: Vec<Contact>,
    bad: bool,
}

impl FirmRows {
    fn new(name: &str, line: u64) -> FirmRows {
        FirmRows {
            name: Cell {
                value: name.to_string(),
                line,
            },
            fields: Default::default(),
            contacts: Vec::new(),
            bad: false,
        }
    }

    fn field(&self, column: Column) -> Option<&str> {
        self.fields[column.index()]
            .as_ref()
            .map(|cell| cell.value.as_str())
    }

    /// `firm` with the file's values laid over it: non-empty cells overwrite, contacts are
    /// merged by name (same name replaced, new appended, the others kept).
    fn apply_to(&self, mut firm: Firm) -> Firm {
        firm.name = self.name.value.clone();
        let slots = [
            (Column::ShortName, &mut firm.short_name),
            (Column::Sector, &mut firm.sector),
            (Column::Park, &mut firm.park),
            (Column::Address, &mut firm.address),
            (Column::Notes, &mut firm.notes),
        ];
        for (column, slot) in slots {
            if let Some(value) = self.field(column) {
                *slot = value.to_string();
            }
        }
        if let Some(tags) = self.field(Column::Tags) {
            firm.tags = split_tags(tags);
        }
        for contact in &self.contacts {
            merge_contact(&mut firm.contacts, contact.clone());
        }
        firm
    }
}

fn merge_contact(contacts: &mut Vec<Contact>, contact: Contact) {
    let key = name_key(&contact.name);
    match contacts.iter_mut().find(|c| name_key(&c.name) == key) {
        Some(slot) => *slot = contact,
        None => contacts.push(contact),
    }
}

/// The fields of `new` that differ from `old`, by their English column names.
fn changed_fields(old: &Firm, new: &Firm) -> Vec<&'static str> {
    let mut fields = Vec::new();
    let pairs = [
        (Column::Name, old.name == new.name),
        (Column::ShortName, old.short_name == new.short_name),
        (Column::Sector, old.sector == new.sector),
        (Column::Park, old.park == new.park),
        (Column::Address, old.address == new.address),
        (Column::Tags, old.tags == new.tags),
    ];
    for (column, same) in pairs {
        if !same {
            fields.push(column.english());
        }
    }
    if old.contacts != new.contacts {
        fields.push("contacts");
    }
    if old.notes != new.notes {
        fields.push(Column::Notes.english());
    }
    fields
}

/// Imports firms from the bytes of a CSV file; see the module documentation for the format.
///
/// Bad rows are reported, not fatal: unless `strict` is set, every firm whose rows are all
/// good is written, in one bulk write with one flush at the end. A firm with any bad row is
/// left as it was. `Err` is for a file that cannot be read at all, or a failing store.
pub fn import_firms(
    store: &Store,
    bytes: &[u8],
    options: &ImportOptions,
    now: LocalTime,
) -> Result<ImportReport, ImportError> {
    let mark = Unfinished::new(Operation::ImportFirms, None);
    import_firms_marked(store, bytes, options, now, &mark)
}

/// As `import_firms`; while it writes, the database carries `mark` (`Store::unfinished`).
/// Firms are matched by name, so running it again after a kill completes it.
pub fn import_firms_marked(
    store: &Store,
    bytes: &[u8],
    options: &ImportOptions,
    now: LocalTime,
    mark: &Unfinished,
) -> Result<ImportReport, ImportError> {
    let (text, encoding) = decode(bytes, options.encoding).map_err(ImportError::Encoding)?;
    let mut reader = csv_layout::reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .clone();
    let layout = Layout::from_headers(&headers, &[Column::Name])?;

    let mut errors = Vec::new();
    let groups = read_rows(&mut reader, &text, &layout, now, &mut errors)?;

    let mut firms = Vec::with_capacity(groups.len());
    let mut to_write = Vec::new();
    for group in &groups {
        let outcome = if group.bad {
            Outcome::Rejected
        } else {
            match plan_firm(store, group, &layout, now)? {
                Ok(Some((firm, outcome))) => {
                    to_write.push(firm);
                    outcome
                }
                Ok(None) => Outcome::Unchanged,
                Err(error) => {
                    errors.push(error);
                    Outcome::Rejected
                }
            }
        };
        firms.push(FirmOutcome {
            name: group.name.value.clone(),
            line: group.name.line,
            outcome,
        });
    }
    // Problems found while planning come after those found while reading; people read them
    // top to bottom.
    errors.sort_by_key(|e| e.line);

    let refused_by_strict = options.strict && !errors.is_empty();
    let applied = !options.dry_run && !refused_by_strict;
    if applied && !to_write.is_empty() {
        store.mark_unfinished(mark)?;
        let mut bulk = store.bulk();
        for firm in to_write {
            bulk.firm(firm)?;
        }
        bulk.finish()?;
        store.clear_unfinished()?;
    }
    Ok(ImportReport {
        encoding,
        firms,
        errors,
        ignored_columns: layout.ignored,
        applied,
    })
}

/// Reads every row, checks every cell and gathers the rows by firm, in file order.
fn read_rows(
    reader: &mut csv::Reader<&[u8]>,
    text: &str,
    layout: &Layout<Column>,
    now: LocalTime,
    errors: &mut Vec<RowError>,
) -> Result<Vec<FirmRows>, ImportError> {
    let mut groups: Vec<FirmRows> = Vec::new();
    let mut group_of_key: HashMap<String, usize> = HashMap::new();
    let mut lines = LineCounter::new(text);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(ImportError::Csv(e.to_string())),
        }
        let line = lines.line_of(&record);
        if layout.row_is_blank(&record) {
            continue;
        }
        let errors_before = errors.len();
        let name = layout.cell(&record, Column::Name);
        if name.is_empty() {
            errors.push(layout.error(line, Column::Name, &Problem::Empty));
            continue;
        }
        let cells = Column::ALL.map(|column| layout.cell(&record, column));
        for column in Column::ALL {
            let value = &cells[column.index()];
            if value.is_empty() {
                continue;
            }
            if let Some(problem) = cell_problem(column, value, now) {
                errors.push(layout.error(line, column, &problem));
            }
        }
        let has_contact = Column::CONTACT_FIELDS
            .iter()
            .any(|c| !cells[c.index()].is_empty());
        if has_contact && cells[Column::Contact.index()].is_empty() {
            errors.push(if layout.has(Column::Contact) {
                layout.error(line, Column::Contact, &Problem::Empty)
            } else {
                RowError {
                    line,
                    field: layout.label(Column::Contact).to_string(),
                    message: "a title, phone or email needs the contact's name, and the file \
                              has no 联系人/contact column"
                        .into(),
                }
            });
        }

        let index = *group_of_key.entry(name_key(&name)).or_insert_with(|| {
            groups.push(FirmRows::new(&name, line));
            groups.len() - 1
        });
        let group = &mut groups[index];
        if errors.len() > errors_before {
            group.bad = true;
            continue;
        }
        for column in Column::FIRM_FIELDS {
            let value = &cells[column.index()];
            if !value.is_empty() && group.fields[column.index()].is_none() {
                group.fields[column.index()] = Some(Cell {
                    value: value.to_string(),
                    line,
                });
            }
        }
        if has_contact {
            let contact = Contact {
                name: cells[Column::Contact.index()].to_string(),
                title: cells[Column::Title.index()].to_string(),
                phone: cells[Column::Phone.index()].to_string(),
                email: cells[Column::Email.index()].to_string(),
            };
            // Every cell passed on its own, so this only trims.
            match contact.validated() {
                Ok(contact) => merge_contact(&mut group.contacts, contact),
                Err(e) => {
                    errors.push(RowError {
                        line,
                        field: layout.label(Column::Contact).to_string(),
                        message: messages::field_error(&e),
                    });
                    group.bad = true;
                }
            }
        }
    }
    Ok(groups)
}

/// Line numbers of records. The csv crate's own `Position::line` miscounts after blank lines
/// (and its byte offset points before them), so lines are counted here from that offset,
/// once over the whole text as the records advance.
struct LineCounter<'t> {
    bytes: &'t [u8],
    offset: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> LineCounter<'t> {
        LineCounter {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, record: &csv::StringRecord) -> u64 {
        let reported = record.position().map_or(0, |p| p.byte() as usize);
        // A record never starts with a line break (a row that is only one is skipped), so
        // the record begins after any line breaks at the reported offset.
        let start = self.bytes[reported.min(self.bytes.len())..]
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(self.bytes.len(), |skip| reported + skip);
        if start > self.offset {
            let newlines = self.bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += newlines as u64;
            self.offset = start;
        }
        self.line
    }
}

type Planned = Result<Option<(Firm, Outcome)>, RowError>;

/// What the file's rows for one firm would do to the store: the firm to write and whether it
/// is new or changed, nothing when it is unchanged, or a row error.
fn plan_firm(
    store: &Store,
    group: &FirmRows,
    layout: &Layout<Column>,
    now: LocalTime,
) -> Result<Planned, ImportError> {
    let name_error = |message: String| RowError {
        line: group.name.line,
        field: layout.label(Column::Name).to_string(),
        message,
    };
    let existing = match store.firm_by_name(&group.name.value)? {
        None => None,
        Some(id) => match store.firm(id) {
            Ok(Some(firm)) => Some(firm),
            Ok(None) => {
                return Ok(Err(name_error(format!(
                    "the name index points at firm {id}, which is missing; run `liaison check`"
                ))))
            }
            // Overwriting a record that cannot be read would lose whatever it still holds.
            Err(e @ StoreError::Corrupt { .. }) => {
                return Ok(Err(name_error(format!(
                    "the stored firm of this name cannot be read ({e}); run `liaison check`"
                ))))
            }
            Err(e) => return Err(e.into()),
        },
    };
    let base = existing
        .clone()
        .unwrap_or_else(|| empty_firm(Id::new(), &group.name.value, now));
    let mut firm = match group.apply_to(base).validated() {
        Ok(firm) => firm,
        // Every cell passed on its own, so only an invalid stored value can end up here.
        Err(e) => return Ok(Err(name_error(messages::field_error(&e)))),
    };
    Ok(Ok(match existing {
        None => Some((firm, Outcome::Added)),
        Some(old) => {
            let fields = changed_fields(&old, &firm);
            if fields.is_empty() {
                None
            } else {
                firm.updated = now;
                Some((firm, Outcome::Updated { fields }))
            }
        }
    }))
}
