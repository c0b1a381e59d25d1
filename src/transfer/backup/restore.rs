//! Restoring: the file read twice, every line checked first, then written.

use super::parse::{parse_header, parse_record};
use super::validation::Validation;
use super::{Counts, Record};
use crate::store::{Settings, Store, StoreError};
use std::fmt;
use std::io::BufRead;
use std::path::Path;

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
