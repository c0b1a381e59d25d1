//! The backup: the whole ledger as JSON lines that people can read and that a later liaison
//! can load back.
//!
//! Line 1 is a header (format name, format version, schema version, the liaison version that
//! wrote it, and how many records of each kind follow). Then one record per line,
//! `{"kind":"firm","record":{…}}`, in a fixed order: the settings, then departments,
//! categories, saved views, firms, visits, items and history events, each kind by id (events
//! by their item, then by id, as the store keeps them). Nothing in the file depends on when it
//! was written, so an unchanged ledger always gives the same bytes — and so does a ledger
//! restored from a backup.
//!
//! Since format version 2 the records are followed by the ledger's operation log (docs/sync.md):
//! a `ledger` line (its actor and clock), then its operations (`op`, by actor and sequence
//! number), the values standing for changed fields (`heads`), what each peer had seen (`peer`)
//! and other ledgers' item codes (`item_code`). A restore brings them back, so the restored
//! ledger keeps its actor and merges with its peers without creating every record twice; a
//! version 1 backup restores as before, its records starting a log under a new actor.
//!
//! Writing streams records out of the store one at a time; restoring reads the file twice,
//! first to check every line (holding only ids and numbers, not records), then to write it
//! through `Store::restore`, so a bad line leaves the database as empty as it was.

use super::{ExportError, FileError};
use crate::model::Sla;
use crate::model::{
    clean_author, name_key, Category, Department, FieldError, Firm, Id, Issue, IssueEvent,
    SavedView, Visit,
};
use crate::store::journal::Base;
use crate::store::oplog::Op;
use crate::store::{
    FieldHeads, ItemCode, LedgerState, PeerSeen, RecordCounts, Settings, Store, StoreError,
    SCHEMA_VERSION,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// The header's `format`: what this file is.
pub const FORMAT_NAME: &str = "liaison-backup";
/// The layout of the lines; bumped when a reader of the old layout would misread the new one.
pub const FORMAT_VERSION: u32 = 2;

/// Records per kind, as the header states them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub departments: u64,
    pub categories: u64,
    pub views: u64,
    pub firms: u64,
    pub visits: u64,
    pub issues: u64,
    pub events: u64,
    /// The operation log's entries (version 2); none in a version 1 header.
    #[serde(default)]
    pub ops: u64,
    #[serde(default)]
    pub heads: u64,
    #[serde(default)]
    pub peers: u64,
    #[serde(default)]
    pub item_codes: u64,
}

impl From<RecordCounts> for Counts {
    fn from(c: RecordCounts) -> Self {
        Counts {
            departments: c.departments,
            categories: c.categories,
            views: c.views,
            firms: c.firms,
            visits: c.visits,
            issues: c.issues,
            events: c.events,
            ..Counts::default()
        }
    }
}

impl Counts {
    fn of(&mut self, kind: Kind) -> &mut u64 {
        match kind {
            Kind::Department => &mut self.departments,
            Kind::Category => &mut self.categories,
            Kind::View => &mut self.views,
            Kind::Firm => &mut self.firms,
            Kind::Visit => &mut self.visits,
            Kind::Issue => &mut self.issues,
            Kind::Event => &mut self.events,
            Kind::Op => &mut self.ops,
            Kind::Heads => &mut self.heads,
            Kind::Peer => &mut self.peers,
            Kind::ItemCode => &mut self.item_codes,
            Kind::Settings | Kind::Ledger => unreachable!("one line each, not counted"),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u32,
    /// The store's schema the records follow.
    schema: u16,
    /// The liaison that wrote the file, for people; not checked.
    liaison: String,
    counts: Counts,
}

/// The header's first two fields, read on their own so that a file of another format or a
/// newer version is named as such rather than as a shape error.
#[derive(Deserialize)]
struct Probe {
    format: Option<String>,
    version: Option<u32>,
}

/// The one settings line: what a person set, and the next item number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsRecord {
    user: Option<String>,
    sla: Sla,
    backups_kept: u16,
    next_issue_number: u32,
    /// Retired departments and categories; left out when none, so a backup of a database
    /// that never retired one reads as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    retired: Vec<Id>,
}

/// The kinds of line, in the order they appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Settings,
    Department,
    Category,
    View,
    Firm,
    Visit,
    Issue,
    Event,
    Ledger,
    Op,
    Heads,
    Peer,
    ItemCode,
}

impl Kind {
    const ALL: [Kind; 13] = [
        Kind::Settings,
        Kind::Department,
        Kind::Category,
        Kind::View,
        Kind::Firm,
        Kind::Visit,
        Kind::Issue,
        Kind::Event,
        Kind::Ledger,
        Kind::Op,
        Kind::Heads,
        Kind::Peer,
        Kind::ItemCode,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Settings => "settings",
            Kind::Department => "department",
            Kind::Category => "category",
            Kind::View => "view",
            Kind::Firm => "firm",
            Kind::Visit => "visit",
            Kind::Issue => "issue",
            Kind::Event => "event",
            Kind::Ledger => "ledger",
            Kind::Op => "op",
            Kind::Heads => "heads",
            Kind::Peer => "peer",
            Kind::ItemCode => "item_code",
        }
    }

    /// The name with its article, for messages: "an issue", "a firm".
    fn a(self) -> String {
        let article = if matches!(self, Kind::Issue | Kind::Event | Kind::Op | Kind::ItemCode) {
            "an"
        } else {
            "a"
        };
        format!("{article} {}", self.name())
    }

    fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == text)
    }

    /// A line of the operation log's state, checked by `ledger::LogValidation`.
    fn is_log(self) -> bool {
        self >= Kind::Ledger
    }
}

#[derive(Serialize)]
struct LineOut<'a, T> {
    kind: &'static str,
    record: &'a T,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn<'a> {
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    record: &'a RawValue,
}

enum Record {
    Settings(SettingsRecord),
    Department(Department),
    Category(Category),
    View(SavedView),
    Firm(Firm),
    Visit(Visit),
    Issue(Issue),
    Event(IssueEvent),
    Ledger(LedgerState),
    Op(Op),
    Heads(FieldHeads),
    Peer(PeerSeen),
    ItemCode(ItemCode),
}

// ---- writing ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    pub counts: Counts,
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> Result<(), ExportError> {
    super::json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn write_kind<T: Serialize>(
    out: &mut impl Write,
    kind: Kind,
    records: impl Iterator<Item = Result<T, StoreError>>,
) -> Result<u64, ExportError> {
    let mut written = 0;
    for record in records {
        write_line(
            out,
            &LineOut {
                kind: kind.name(),
                record: &record?,
            },
        )?;
        written += 1;
    }
    Ok(written)
}

/// Writes every record of the ledger to `out`, one at a time. A record that cannot be decoded
/// stops the backup with an error naming it: a backup must hold everything.
pub fn write_backup(store: &Store, out: &mut impl Write) -> Result<BackupSummary, ExportError> {
    let counts = ledger::with_log_counts(store, Counts::from(store.record_counts()?));
    write_line(
        out,
        &Header {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            schema: SCHEMA_VERSION,
            liaison: env!("CARGO_PKG_VERSION").into(),
            counts,
        },
    )?;
    let settings = store.settings()?;
    let settings = SettingsRecord {
        user: settings.user,
        sla: settings.sla,
        backups_kept: settings.backups_kept,
        next_issue_number: store.next_issue_number()?,
        retired: settings.retired,
    };
    write_line(
        out,
        &LineOut {
            kind: Kind::Settings.name(),
            record: &settings,
        },
    )?;
    let written = Counts {
        departments: write_kind(out, Kind::Department, store.scan_departments())?,
        categories: write_kind(out, Kind::Category, store.scan_categories())?,
        views: write_kind(out, Kind::View, store.scan_views())?,
        firms: write_kind(out, Kind::Firm, store.scan_firms())?,
        visits: write_kind(out, Kind::Visit, store.scan_visits())?,
        issues: write_kind(out, Kind::Issue, store.scan_issues())?,
        events: write_kind(out, Kind::Event, store.scan_events())?,
        ..ledger::write_log(store, out)?
    };
    // This process holds the database alone, so the counts cannot move; if they ever do, the
    // file would fail its own restore, so say so now.
    if written != counts {
        return Err(ExportError::Store(StoreError::Engine(format!(
            "the database changed while it was backed up (header {counts:?}, written {written:?})"
        ))));
    }
    Ok(BackupSummary { counts })
}

// ---- reading ---------------------------------------------------------------------------

/// Why a backup could not be restored.
#[derive(Debug)]
pub enum RestoreError {
    /// The file could not be opened.
    Open(std::io::Error),
    /// Reading the file failed part way.
    Read(std::io::Error),
    /// A line is not what a backup holds there; `line` is 1-based.
    Line { line: u64, message: String },
    /// The database refused or failed; `line` is the last line read, when writing had begun.
    Store {
        line: Option<u64>,
        error: StoreError,
    },
}

impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreError::Open(e) => f.write_str(&crate::messages::cannot_open(&e.to_string())),
            RestoreError::Read(e) => {
                f.write_str(&crate::messages::cannot_read_reason(&e.to_string()))
            }
            RestoreError::Line { line, message } => {
                f.write_str(&crate::messages::at_line(*line, message))
            }
            RestoreError::Store {
                line: Some(line),
                error,
            } => f.write_str(&crate::messages::restore_emptied(*line, &error.to_string())),
            RestoreError::Store { line: None, error } => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for RestoreError {}

fn at(line: u64) -> impl FnOnce(String) -> RestoreError {
    move |message| RestoreError::Line { line, message }
}

/// The lines of a file, numbered from 1, without their line ends. A backup holds no blank
/// line: one is where a record was (cut by an editor, a bad copy), reported at that line
/// rather than where the missing record is later missed.
struct Lines {
    reader: std::io::BufReader<std::fs::File>,
    buffer: Vec<u8>,
    number: u64,
}

impl Lines {
    fn open(path: &Path) -> Result<Lines, RestoreError> {
        let file = std::fs::File::open(path).map_err(RestoreError::Open)?;
        Ok(Lines {
            reader: std::io::BufReader::with_capacity(1 << 16, file),
            buffer: Vec::new(),
            number: 0,
        })
    }

    fn next_line(&mut self) -> Result<Option<(u64, &str)>, RestoreError> {
        self.buffer.clear();
        let read = self
            .reader
            .read_until(b'\n', &mut self.buffer)
            .map_err(RestoreError::Read)?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        let line = self.number;
        while matches!(self.buffer.last(), Some(b'\n' | b'\r')) {
            self.buffer.pop();
        }
        if self.buffer.iter().all(u8::is_ascii_whitespace) {
            // Blank lines at the very end are an editor's, not a lost record.
            if self.only_blank_left()? {
                return Ok(None);
            }
            return Err(RestoreError::Line {
                line,
                message: "a blank line; a backup has one record on every line (was a record \
                          removed here?)"
                    .into(),
            });
        }
        let text = std::str::from_utf8(&self.buffer).map_err(|e| RestoreError::Line {
            line,
            message: format!(
                "bytes that are not UTF-8 at byte {} of the line",
                e.valid_up_to() + 1
            ),
        })?;
        Ok(Some((line, text)))
    }

    /// Is the rest of the file white space? Reads only up to the first byte that is not.
    fn only_blank_left(&mut self) -> Result<bool, RestoreError> {
        loop {
            let chunk = self.reader.fill_buf().map_err(RestoreError::Read)?;
            if chunk.is_empty() {
                return Ok(true);
            }
            if !chunk.iter().all(u8::is_ascii_whitespace) {
                return Ok(false);
            }
            let length = chunk.len();
            self.reader.consume(length);
        }
    }
}

/// serde_json's message without its own "at line 1 column N" (every line is line 1 to it),
/// with the column in characters of the whole line instead.
fn json_error(error: &serde_json::Error, line: &str, offset: usize) -> String {
    let text = error.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    if error.column() == 0 {
        return message.to_string();
    }
    let mut byte = (offset + error.column()).saturating_sub(1).min(line.len());
    // Inside a character (serde_json counts bytes): the character it is in.
    while !line.is_char_boundary(byte) {
        byte -= 1;
    }
    let column = line[..byte].chars().count() + 1;
    format!("{message} (column {column})")
}

fn parse_header(text: &str) -> Result<Header, String> {
    let probe: Probe = serde_json::from_str(text).map_err(|e| {
        format!(
            "not a liaison backup: the first line must be its header ({})",
            json_error(&e, text, 0)
        )
    })?;
    match probe.format.as_deref() {
        Some(FORMAT_NAME) => {}
        Some(other) => {
            return Err(format!(
                "not a liaison backup: the header names the format \"{other}\", \
                 not \"{FORMAT_NAME}\""
            ))
        }
        None => {
            return Err(format!(
                "not a liaison backup: the first line has no \"format\":\"{FORMAT_NAME}\""
            ))
        }
    }
    match probe.version {
        // Version 1 holds the same lines without the operation log.
        Some(1 | FORMAT_VERSION) => {}
        Some(v) if v > FORMAT_VERSION => {
            return Err(format!(
                "backup format version {v} is newer than this liaison reads (version \
                 {FORMAT_VERSION}); restore it with a newer liaison"
            ))
        }
        Some(v) => return Err(format!("unknown backup format version {v}")),
        None => return Err("the header has no format version".into()),
    }
    let header: Header = serde_json::from_str(text)
        .map_err(|e| format!("the header is malformed: {}", json_error(&e, text, 0)))?;
    if header.schema > SCHEMA_VERSION {
        return Err(format!(
            "the records follow schema v{}, newer than this liaison reads (v{SCHEMA_VERSION}); \
             restore it with a newer liaison",
            header.schema
        ));
    }
    // The records are written as JSON, not as the store keeps them: from v1 to v2 only the
    // store's layout of an item's history changed, so a v1 backup restores as it is; v3 gave
    // items tags, which an item of v1 or v2 lacks and reads as none (`serde(default)`).
    if header.schema < 1 {
        return Err(format!("unknown schema v{} in the header", header.schema));
    }
    Ok(header)
}

fn parse_record(text: &str) -> Result<Record, String> {
    let line: LineIn = serde_json::from_str(text).map_err(|e| json_error(&e, text, 0))?;
    let Some(kind) = Kind::parse(&line.kind) else {
        return Err(format!(
            "unknown kind of record \"{}\" (a backup holds {})",
            line.kind,
            Kind::ALL.map(Kind::name).join(", ")
        ));
    };
    let raw = line.record.get();
    // The record's place in the line, so that its errors point at the right column.
    let offset = raw.as_ptr() as usize - text.as_ptr() as usize;
    let shape = |e: serde_json::Error| format!("{}: {}", kind.name(), json_error(&e, text, offset));
    Ok(match kind {
        Kind::Settings => Record::Settings(serde_json::from_str(raw).map_err(shape)?),
        Kind::Department => Record::Department(serde_json::from_str(raw).map_err(shape)?),
        Kind::Category => Record::Category(serde_json::from_str(raw).map_err(shape)?),
        Kind::View => Record::View(serde_json::from_str(raw).map_err(shape)?),
        Kind::Firm => Record::Firm(serde_json::from_str(raw).map_err(shape)?),
        Kind::Visit => Record::Visit(serde_json::from_str(raw).map_err(shape)?),
        Kind::Issue => Record::Issue(serde_json::from_str(raw).map_err(shape)?),
        Kind::Event => Record::Event(serde_json::from_str(raw).map_err(shape)?),
        Kind::Ledger => Record::Ledger(serde_json::from_str(raw).map_err(shape)?),
        Kind::Op => Record::Op(serde_json::from_str(raw).map_err(shape)?),
        Kind::Heads => Record::Heads(serde_json::from_str(raw).map_err(shape)?),
        Kind::Peer => Record::Peer(serde_json::from_str(raw).map_err(shape)?),
        Kind::ItemCode => Record::ItemCode(serde_json::from_str(raw).map_err(shape)?),
    })
}

impl Record {
    fn kind(&self) -> Kind {
        match self {
            Record::Settings(_) => Kind::Settings,
            Record::Department(_) => Kind::Department,
            Record::Category(_) => Kind::Category,
            Record::View(_) => Kind::View,
            Record::Firm(_) => Kind::Firm,
            Record::Visit(_) => Kind::Visit,
            Record::Issue(_) => Kind::Issue,
            Record::Event(_) => Kind::Event,
            Record::Ledger(_) => Kind::Ledger,
            Record::Op(_) => Kind::Op,
            Record::Heads(_) => Kind::Heads,
            Record::Peer(_) => Kind::Peer,
            Record::ItemCode(_) => Kind::ItemCode,
        }
    }

    /// The order within a kind: the store's key order.
    fn key(&self) -> (Id, Id) {
        match self {
            Record::Settings(_) => (Id::MIN, Id::MIN),
            Record::Department(d) => (d.id, Id::MIN),
            Record::Category(c) => (c.id, Id::MIN),
            Record::View(v) => (v.id, Id::MIN),
            Record::Firm(f) => (f.id, Id::MIN),
            Record::Visit(v) => (v.id, Id::MIN),
            Record::Issue(i) => (i.id, Id::MIN),
            Record::Event(e) => (e.issue, e.id),
            // Their order is checked by `ledger::LogValidation`.
            _ => (Id::MIN, Id::MIN),
        }
    }
}

/// The first pass: everything the second pass would refuse, found before anything is written.
/// Holds ids and numbers, never records: a firm id and name per firm, an id and a number
/// per item.
struct Validation {
    expected: Counts,
    seen: Counts,
    last: Option<(Kind, (Id, Id))>,
    settings: Option<SettingsRecord>,
    firms: HashSet<Id>,
    firm_names: HashSet<String>,
    /// In increasing order, as items come by id.
    issues: Vec<Id>,
    numbers: HashSet<u32>,
    log: ledger::LogValidation,
}

impl Validation {
    fn new(header: &Header) -> Validation {
        Validation {
            expected: header.counts,
            seen: Counts::default(),
            last: None,
            settings: None,
            firms: HashSet::new(),
            firm_names: HashSet::new(),
            issues: Vec::new(),
            numbers: HashSet::new(),
            log: ledger::LogValidation::default(),
        }
    }

    fn check(&mut self, record: Record) -> Result<(), String> {
        let kind = record.kind();
        let key = record.key();
        match self.last {
            None if kind != Kind::Settings => {
                return Err(format!(
                    "{} record where the settings record must come first",
                    kind.a()
                ))
            }
            Some((Kind::Settings, _)) | None => {}
            Some((last, _)) if kind < last => {
                return Err(format!(
                    "{} record after the {} records; a backup holds {} in that order",
                    kind.a(),
                    last.name(),
                    Kind::ALL.map(Kind::name).join(", ")
                ))
            }
            Some((last, last_key)) if kind == last && !kind.is_log() && key <= last_key => {
                return Err(format!(
                    "{} {} comes after {} or repeats it; records of a kind go in order of id",
                    kind.name(),
                    show_key(kind, key),
                    show_key(kind, last_key)
                ))
            }
            Some(_) => {}
        }
        if kind == Kind::Settings && self.settings.is_some() {
            return Err("a second settings record".into());
        }
        self.last = Some((kind, key));
        if kind != Kind::Settings && kind != Kind::Ledger {
            let expected = *self.expected.of(kind);
            let seen = self.seen.of(kind);
            *seen += 1;
            if *seen > expected {
                return Err(format!(
                    "more {} records than the {expected} the header counts",
                    kind.name()
                ));
            }
        }
        // Every record meets the rules of the way it is written in the app or the command
        // line (text without control characters, lengths within their caps): a backup is no
        // way around them.
        let invalid =
            |what: &str, id: Id, e: FieldError| format!("{what} {id}: {}", field_message(&e));
        match record {
            Record::Settings(settings) => {
                if settings.next_issue_number == 0 {
                    return Err("the next item number must be at least 1".into());
                }
                if let Some(user) = &settings.user {
                    clean_author(user).map_err(|e| {
                        format!(
                            "settings: user: {}",
                            crate::messages::field_problem(e.field, &e.problem)
                        )
                    })?;
                }
                self.settings = Some(settings);
            }
            Record::Department(department) => {
                let id = department.id;
                department
                    .validated()
                    .map_err(|e| invalid("department", id, e))?;
            }
            Record::Category(category) => {
                let id = category.id;
                category
                    .validated()
                    .map_err(|e| invalid("category", id, e))?;
            }
            Record::View(view) => {
                let id = view.id;
                view.validated().map_err(|e| invalid("view", id, e))?;
            }
            Record::Firm(firm) => {
                let id = firm.id;
                let firm = firm.validated().map_err(|e| invalid("firm", id, e))?;
                if !self.firm_names.insert(name_key(&firm.name)) {
                    return Err(format!(
                        "firm {id}: another firm in the backup is named {}",
                        firm.name
                    ));
                }
                self.firms.insert(firm.id);
            }
            Record::Visit(visit) => {
                let id = visit.id;
                let visit = visit.validated().map_err(|e| invalid("visit", id, e))?;
                if !self.firms.contains(&visit.firm) {
                    return Err(format!(
                        "visit {id}: its firm {} is not in the backup",
                        visit.firm
                    ));
                }
            }
            Record::Issue(issue) => {
                let id = issue.id;
                let issue = issue.validated().map_err(|e| invalid("issue", id, e))?;
                if !self.firms.contains(&issue.firm) {
                    return Err(format!(
                        "issue {}: its firm {} is not in the backup",
                        issue.id, issue.firm
                    ));
                }
                let next = self.settings.as_ref().map_or(1, |s| s.next_issue_number);
                if issue.number == 0 || issue.number >= next {
                    return Err(format!(
                        "issue {}: number #{} is not below the next item number {next} \
                         of the settings",
                        issue.id, issue.number
                    ));
                }
                if !self.numbers.insert(issue.number) {
                    return Err(format!(
                        "issue {}: number #{} is used by another item",
                        issue.id, issue.number
                    ));
                }
                self.issues.push(issue.id);
            }
            Record::Event(event) => {
                let id = event.id;
                let event = event.validated().map_err(|e| invalid("event", id, e))?;
                if self.issues.binary_search(&event.issue).is_err() {
                    return Err(format!(
                        "event {}: its item {} is not in the backup",
                        event.id, event.issue
                    ));
                }
            }
            Record::Ledger(state) => self.log.ledger(state)?,
            Record::Op(op) => self.log.op(&op)?,
            Record::Heads(heads) => self.log.heads(&heads)?,
            Record::Peer(_) | Record::ItemCode(_) => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<SettingsRecord, String> {
        let settings = self
            .settings
            .ok_or_else(|| "the file ends before the settings record".to_string())?;
        let mut expected = self.expected;
        let mut seen = self.seen;
        self.log.finish(self.seen.ops)?;
        for kind in Kind::ALL[1..].iter().filter(|k| **k != Kind::Ledger) {
            let (want, got) = (*expected.of(*kind), *seen.of(*kind));
            if want != got {
                return Err(format!(
                    "the file ends after {got} of the {want} {} records the header counts; \
                     it is incomplete",
                    kind.name()
                ));
            }
        }
        Ok(settings)
    }
}

/// `FIELD: problem`, as the imports name a bad cell.
fn field_message(e: &FieldError) -> String {
    format!(
        "{}: {}",
        crate::messages::field_name(e.field),
        crate::messages::field_problem(e.field, &e.problem)
    )
}

fn show_key(kind: Kind, (first, second): (Id, Id)) -> String {
    match kind {
        Kind::Event => format!("{second} (of item {first})"),
        _ => first.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreSummary {
    pub counts: Counts,
}

/// Loads the backup at `path` into `store`, which must be empty (`StoreError::NotEmpty`
/// otherwise). Every line is checked before anything is written; if writing then fails, the
/// database is emptied again.
pub fn restore_backup(store: &Store, path: &Path) -> Result<RestoreSummary, RestoreError> {
    let store_error = |error| RestoreError::Store { line: None, error };
    if !store.accepts_restore().map_err(store_error)? {
        return Err(store_error(StoreError::NotEmpty {
            path: store.path().to_path_buf(),
        }));
    }

    // First pass: check every line.
    let mut lines = Lines::open(path)?;
    let header = match lines.next_line()? {
        Some((line, text)) => parse_header(text).map_err(at(line))?,
        None => return Err(at(1)("the file is empty; not a liaison backup".into())),
    };
    let mut validation = Validation::new(&header);
    while let Some((line, text)) = lines.next_line()? {
        let record = parse_record(text).map_err(at(line))?;
        validation.check(record).map_err(at(line))?;
    }
    let settings = validation.finish().map_err(at(lines.number.max(1)))?;

    // Second pass: write. Dropping `restore` on an early return takes it all back.
    let mut restore = store.restore(Some(path)).map_err(store_error)?;
    let mut lines = Lines::open(path)?;
    lines.next_line()?;
    let mut last = 1;
    let written = (|| -> Result<(), RestoreError> {
        while let Some((line, text)) = lines.next_line()? {
            last = line;
            let record = parse_record(text).map_err(at(line))?;
            let result = match record {
                Record::Settings(_) => Ok(()),
                Record::Department(d) => restore.department(d),
                Record::Category(c) => restore.category(c),
                Record::View(v) => restore.view(v),
                Record::Firm(f) => restore.firm(f),
                Record::Visit(v) => restore.visit(v),
                Record::Issue(mut i) => {
                    // Before v3 items kept no closing time: their last change is the closest.
                    if header.schema < 3 && i.status == crate::model::Status::Closed {
                        i.closed = i.closed.or(Some(i.updated));
                    }
                    restore.issue(i)
                }
                Record::Event(e) => restore.event(e),
                Record::Ledger(state) => {
                    restore.ledger(state);
                    Ok(())
                }
                Record::Op(op) => restore.op(op),
                Record::Heads(heads) => restore.heads(heads),
                Record::Peer(peer) => restore.peer(peer),
                Record::ItemCode(code) => restore.item_code(code),
            };
            result.map_err(|error| RestoreError::Store {
                line: Some(line),
                error,
            })?;
        }
        Ok(())
    })();
    if let Err(e) = written {
        restore.abandon().map_err(store_error)?;
        return Err(e);
    }
    let kept = Settings {
        user: settings.user,
        sla: settings.sla,
        backups_kept: settings.backups_kept,
        retired: settings.retired,
    };
    restore
        .finish(&kept, settings.next_issue_number)
        .map_err(|error| RestoreError::Store {
            line: Some(last),
            error,
        })?;
    Ok(RestoreSummary {
        counts: header.counts,
    })
}

// ---- automatic backups -----------------------------------------------------------------

const AUTO_PREFIX: &str = "liaison-";
const AUTO_SUFFIX: &str = ".jsonl";

/// `liaison-YYYYMMDD-HHMMSS.jsonl`: names sort in time order.
pub fn automatic_backup_name(at: chrono::NaiveDateTime) -> String {
    format!("{AUTO_PREFIX}{}{AUTO_SUFFIX}", at.format("%Y%m%d-%H%M%S"))
}

/// Only names this module writes, so that rotation never deletes a file someone put there.
fn is_automatic_backup_name(name: &str) -> bool {
    let Some(stamp) = name
        .strip_prefix(AUTO_PREFIX)
        .and_then(|rest| rest.strip_suffix(AUTO_SUFFIX))
    else {
        return false;
    };
    let bytes = stamp.as_bytes();
    bytes.len() == 15
        && bytes[8] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 8 || b.is_ascii_digit())
}

/// The automatic backups in `dir`, oldest first.
pub fn automatic_backups(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_str().is_some_and(is_automatic_backup_name) && entry.file_type()?.is_file() {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// Deletes all but the newest `keep` automatic backups in `dir`; returns what it deleted.
pub fn rotate_backups(dir: &Path, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let found = automatic_backups(dir)?;
    let excess = found.len().saturating_sub(keep);
    let old: Vec<PathBuf> = found.into_iter().take(excess).collect();
    for path in &old {
        std::fs::remove_file(path)?;
    }
    Ok(old)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoBackup {
    /// Automatic backups are turned off (kept = 0).
    Off,
    Written(PathBuf),
    /// The ledger is byte for byte the newest backup already there, which is kept instead,
    /// so that looking without changing anything does not push older backups out.
    Unchanged(PathBuf),
}

#[derive(Debug)]
pub enum AutoBackupError {
    Directory(PathBuf, std::io::Error),
    File(PathBuf, FileError),
    Rotate(PathBuf, std::io::Error),
}

impl fmt::Display for AutoBackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AutoBackupError::Directory(dir, e) => {
                write!(f, "cannot create the directory {}: {e}", dir.display())
            }
            AutoBackupError::File(path, e) => write!(f, "{}: {e}", path.display()),
            AutoBackupError::Rotate(dir, e) => {
                write!(f, "cannot remove old backups in {}: {e}", dir.display())
            }
        }
    }
}

impl std::error::Error for AutoBackupError {}

/// Writes `dir/liaison-YYYYMMDD-HHMMSS.jsonl` (the directory is created private), then keeps
/// only the newest `keep` backups there.
pub fn automatic_backup(
    store: &Store,
    dir: &Path,
    keep: u16,
    at: chrono::NaiveDateTime,
) -> Result<AutoBackup, AutoBackupError> {
    if keep == 0 {
        return Ok(AutoBackup::Off);
    }
    create_private_dir(dir).map_err(|e| AutoBackupError::Directory(dir.to_path_buf(), e))?;
    let previous = automatic_backups(dir)
        .map_err(|e| AutoBackupError::Directory(dir.to_path_buf(), e))?
        .pop();
    // A journal that does not follow a backup, started this same second, must not be taken
    // for the one that follows this backup: the backup is named a second on.
    let at = match store.journal_status() {
        Some(s) if s.base != Base::Continued && s.stem == crate::store::journal::stem(at) => {
            at + chrono::Duration::seconds(1)
        }
        _ => at,
    };
    let path = dir.join(automatic_backup_name(at));
    // Writes from now on go to the journal that follows this backup.
    store
        .start_generation(&crate::store::journal::stem(at))
        .map_err(|e| AutoBackupError::File(path.clone(), FileError::Store(e)))?;
    super::write_private_file(&path, store.path(), |out| write_backup(store, out))
        .map_err(|e| AutoBackupError::File(path.clone(), e))?;
    let outcome = match previous {
        Some(previous) if previous != path && same_contents(&previous, &path).unwrap_or(false) => {
            std::fs::remove_file(&path).map_err(|e| AutoBackupError::Rotate(dir.into(), e))?;
            AutoBackup::Unchanged(previous)
        }
        _ => AutoBackup::Written(path),
    };
    rotate_backups(dir, usize::from(keep)).map_err(|e| AutoBackupError::Rotate(dir.into(), e))?;
    let current = store.journal_status().map(|s| s.path);
    super::generations::rotate_journals(dir, current.as_deref())
        .map_err(|e| AutoBackupError::Rotate(dir.into(), e))?;
    Ok(outcome)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn same_contents(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (fa, fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    if fa.metadata()?.len() != fb.metadata()?.len() {
        return Ok(false);
    }
    let mut ra = std::io::BufReader::with_capacity(1 << 16, fa);
    let mut rb = std::io::BufReader::with_capacity(1 << 16, fb);
    let (mut ba, mut bb) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = ra.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        rb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

mod ledger;
#[cfg(test)]
mod tests;
