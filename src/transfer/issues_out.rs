//! Items out of the ledger: CSV for the spreadsheets departments and leaders pass around, JSON
//! with every item's history for scripts and archives.
//!
//! The CSV has one row per item in the columns `import issues` reads back, so an export moves
//! a ledger to another database. It is UTF-8 with a byte order mark (without one, Excel on a
//! Chinese Windows reads it as GBK and garbles every name) and CRLF line ends. The header
//! language also chooses the words for priority, status and resolution kind: a sheet with
//! Chinese headers says 办理中, one with English headers `in-progress`; import reads both.
//! A cell that starts like a spreadsheet formula (`=`, `+`, `-`, `@`) is written with a
//! leading apostrophe, so that opening the file never runs what a firm's text says; import
//! takes the apostrophe off again.
//!
//! In the due order (the default) items are written as the due index is walked: one item is
//! read, written and dropped, so a ledger of a million items exports in little memory. The
//! other orders have no index; their matches are sorted in memory.

use super::csv_layout::CsvColumn;
use super::{csv_cell, ExportError, Headers, UTF8_BOM};
use crate::model::{Change, Id, Issue, IssueEvent};
use crate::query::{sort_issues, ItemSource, Resolved, SortKey, WithResponses};
use crate::store::{Damaged, Store, StoreError};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::Write;

pub(super) use columns::{Column, COLUMN_COUNT};

// ---- options and results -----------------------------------------------------------------

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IssuesFormat {
    #[default]
    Csv,
    /// One array of objects: the fields of `issues list --json` plus `history`.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuesExportOptions {
    pub format: IssuesFormat,
    /// The header row of a CSV file, and the language of its priority and status words.
    pub headers: Headers,
    /// Only the items it matches; every item when `None`.
    pub filter: Option<Resolved>,
    pub sort: SortKey,
    /// The day the filter's `overdue` and `due:` are counted from.
    pub today: NaiveDate,
}

impl IssuesExportOptions {
    /// Every item in the due order, as CSV with Chinese headers.
    pub fn new(format: IssuesFormat, today: NaiveDate) -> IssuesExportOptions {
        IssuesExportOptions {
            format,
            headers: Headers::Chinese,
            filter: None,
            sort: SortKey::Due,
            today,
        }
    }
}

#[derive(Debug, Default)]
pub struct IssuesExportSummary {
    /// Items written.
    pub issues: usize,
    /// Records that could not be decoded: items left out, firms written without their name,
    /// history events missing from an item's history.
    pub damaged: Vec<Damaged>,
}

// ---- export ------------------------------------------------------------------------------

/// How many items an export reads at a time in the order they are stored (with their
/// histories) before writing them in the order asked for. Each chunk reads the pages of its
/// histories once: at a million items, chunks of 32,768 took 10.4 s of CPU for the open
/// items (280,000), of 131,072 5.6–5.9 s, of 262,144 3.9 s, with the same peak memory
/// (350–360 MB).
const CHUNK: usize = 262_144;

/// Writes the items the filter matches in the order asked for.
pub fn export_issues(
    store: &Store,
    out: &mut impl Write,
    options: &IssuesExportOptions,
) -> Result<IssuesExportSummary, ExportError> {
    let mut names = Names::load(store)?;
    let mut writer = ItemWriter::begin(out, options.format, options.headers)?;
    let mut damaged = Vec::new();
    let wanted = |issue: &Issue, responses: &str| {
        options
            .filter
            .as_ref()
            .is_none_or(|filter| filter.matches(&WithResponses { issue, responses }, options.today))
    };
    let searches_text = options
        .filter
        .as_ref()
        .is_some_and(|filter| !filter.text_terms().is_empty());
    let source = options
        .filter
        .as_ref()
        .map_or(ItemSource::All, ItemSource::of);
    let indexed = match &options.filter {
        Some(filter) => {
            let order = if options.sort == SortKey::Due {
                super::IdOrder::Due
            } else {
                super::IdOrder::Storage
            };
            super::indexed_ids(store, filter, source, order, options.today)?
        }
        None => None,
    };
    // Reads one item (and its responses when a word is searched) and keeps it if it passes.
    let read = |id: Id, damaged: &mut Vec<Damaged>| -> Result<Option<Issue>, StoreError> {
        let Some(issue) = read_issue(store, id, damaged)? else {
            return Ok(None);
        };
        let responses = if searches_text {
            store.response_text(issue.id)?
        } else {
            String::new()
        };
        Ok(wanted(&issue, &responses).then_some(issue))
    };
    if options.sort == SortKey::Due {
        // The ids in the due index's order, a chunk at a time: each chunk's items are read
        // in the order they are stored and written in the due order.
        let mut ids: Box<dyn Iterator<Item = Result<Id, StoreError>>> = match indexed {
            Some(ids) => Box::new(ids.into_iter().map(Ok)),
            None => Box::new(store.issue_ids_in_due_order()),
        };
        loop {
            let chunk = ids
                .by_ref()
                .take(CHUNK)
                .collect::<Result<Vec<Id>, StoreError>>()?;
            if chunk.is_empty() {
                break;
            }
            let mut in_storage_order: Vec<(Id, usize)> = chunk.iter().copied().zip(0..).collect();
            in_storage_order.sort_by_cached_key(|(id, at)| (Store::storage_key(*id), *at));
            let mut slots: Vec<Option<Issue>> = chunk.iter().map(|_| None).collect();
            for (id, at) in in_storage_order {
                slots[at] = read(id, &mut damaged)?;
            }
            let issues: Vec<Issue> = slots.into_iter().flatten().collect();
            writer.items(store, &issues, &mut names)?;
        }
    } else {
        let mut matched = Vec::new();
        if let Some(mut ids) = indexed {
            // The items an index names (open, overdue, one number): only those are read, in
            // the order of a walk (the same ties as the walk's).
            Store::sort_in_storage_order(&mut ids);
            for id in ids {
                matched.extend(read(id, &mut damaged)?);
            }
        } else {
            store.each_issue_with_text(|entry| {
                match entry {
                    Ok((issue, responses)) => {
                        if wanted(&issue, &responses) {
                            matched.push(issue);
                        }
                    }
                    Err(d) => damaged.push(d),
                }
                Ok(())
            })?;
        }
        sort_issues(&mut matched, options.sort, &|id| {
            names.firms.get(&id).cloned().unwrap_or_default()
        });
        for chunk in matched.chunks(CHUNK) {
            writer.items(store, chunk, &mut names)?;
        }
    }
    let issues = writer.finish()?;
    damaged.append(&mut names.damaged);
    Ok(IssuesExportSummary { issues, damaged })
}

/// Writes the given items in the given order, as they are on screen (the app's current view):
/// no filter, no sort. Ids of items that no longer exist are skipped.
pub fn export_issue_ids(
    store: &Store,
    out: &mut impl Write,
    ids: impl IntoIterator<Item = Id>,
    format: IssuesFormat,
    headers: Headers,
) -> Result<IssuesExportSummary, ExportError> {
    let mut names = Names::load(store)?;
    let mut writer = ItemWriter::begin(out, format, headers)?;
    let mut damaged = Vec::new();
    for id in ids {
        if let Some(issue) = read_issue(store, id, &mut damaged)? {
            writer.items(store, std::slice::from_ref(&issue), &mut names)?;
        }
    }
    let issues = writer.finish()?;
    damaged.append(&mut names.damaged);
    Ok(IssuesExportSummary { issues, damaged })
}

/// The item, or `None` when it is missing (an index entry `check` reports) or damaged (noted).
fn read_issue(
    store: &Store,
    id: Id,
    damaged: &mut Vec<Damaged>,
) -> Result<Option<Issue>, StoreError> {
    match store.issue(id) {
        Ok(issue) => Ok(issue),
        Err(StoreError::Corrupt { tree, key, error }) => {
            damaged.push(Damaged { tree, key, error });
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Names by id: firms, departments and categories are read once (they are few next to the
/// items); visits are looked up as items name them and remembered.
struct Names {
    firms: HashMap<Id, String>,
    departments: HashMap<Id, String>,
    /// (code, name)
    categories: HashMap<Id, (String, String)>,
    visit_days: HashMap<Id, Option<NaiveDate>>,
    damaged: Vec<Damaged>,
}

impl Names {
    fn load(store: &Store) -> Result<Names, StoreError> {
        let firms = store.firms()?;
        let departments = store.departments()?;
        let categories = store.categories()?;
        let mut damaged = firms.damaged;
        damaged.extend(departments.damaged);
        damaged.extend(categories.damaged);
        Ok(Names {
            firms: firms.records.into_iter().map(|f| (f.id, f.name)).collect(),
            departments: departments
                .records
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect(),
            categories: categories
                .records
                .into_iter()
                .map(|c| (c.id, (c.code, c.name)))
                .collect(),
            visit_days: HashMap::new(),
            damaged,
        })
    }

    fn department(&self, id: Option<Id>) -> Option<&str> {
        id.and_then(|id| self.departments.get(&id))
            .map(String::as_str)
    }

    fn category_code(&self, id: Option<Id>) -> Option<&str> {
        id.and_then(|id| self.categories.get(&id))
            .map(|(code, _)| code.as_str())
    }

    fn category_name(&self, id: Option<Id>) -> Option<&str> {
        id.and_then(|id| self.categories.get(&id))
            .map(|(_, name)| name.as_str())
    }

    fn visit_day(&mut self, store: &Store, id: Id) -> Result<Option<NaiveDate>, StoreError> {
        if let Some(day) = self.visit_days.get(&id) {
            return Ok(*day);
        }
        let day = match store.visit(id) {
            Ok(visit) => visit.map(|v| v.start.date_naive()),
            Err(StoreError::Corrupt { tree, key, error }) => {
                self.damaged.push(Damaged { tree, key, error });
                None
            }
            Err(e) => return Err(e),
        };
        self.visit_days.insert(id, day);
        Ok(day)
    }
}

enum ItemWriter<'w, W: Write> {
    Csv {
        csv: Box<csv::Writer<&'w mut W>>,
        headers: Headers,
        rows: usize,
    },
    Json {
        out: &'w mut W,
        items: usize,
    },
}

impl<'w, W: Write> ItemWriter<'w, W> {
    fn begin(
        out: &'w mut W,
        format: IssuesFormat,
        headers: Headers,
    ) -> Result<ItemWriter<'w, W>, ExportError> {
        Ok(match format {
            IssuesFormat::Csv => {
                out.write_all(UTF8_BOM)?;
                let mut csv = Box::new(
                    csv::WriterBuilder::new()
                        .terminator(csv::Terminator::CRLF)
                        .from_writer(out),
                );
                csv.write_record(Column::exported().map(|c| c.header(headers)))?;
                ItemWriter::Csv {
                    csv,
                    headers,
                    rows: 0,
                }
            }
            IssuesFormat::Json => {
                out.write_all(b"[")?;
                ItemWriter::Json { out, items: 0 }
            }
        })
    }

    /// Writes `issues` in the order given. Their histories are read first, in the order they
    /// are stored: read in the order written (by due date, by priority), they jump about the
    /// file, and sled's cache pulls most pages again and again.
    fn items(
        &mut self,
        store: &Store,
        issues: &[Issue],
        names: &mut Names,
    ) -> Result<(), ExportError> {
        let mut ids: Vec<Id> = issues.iter().map(|i| i.id).collect();
        Store::sort_in_storage_order(&mut ids);
        let mut histories = HashMap::with_capacity(ids.len());
        for id in ids {
            histories.insert(id, store.events(id)?);
        }
        for issue in issues {
            let Some(history) = histories.remove(&issue.id) else {
                continue;
            };
            names.damaged.extend(history.damaged);
            self.item(store, issue, &history.records, names)?;
        }
        Ok(())
    }

    fn item(
        &mut self,
        store: &Store,
        issue: &Issue,
        events: &[IssueEvent],
        names: &mut Names,
    ) -> Result<(), ExportError> {
        match self {
            ItemWriter::Csv { csv, headers, rows } => {
                let visit_day = match issue.visit {
                    Some(visit) => names.visit_day(store, visit)?,
                    None => None,
                };
                csv.write_record(csv_row(issue, events, visit_day, names, *headers))?;
                *rows += 1;
            }
            ItemWriter::Json { out, items } => {
                out.write_all(if *items == 0 { b"\n" } else { b",\n" })?;
                json_item::item_json(issue, events, names).write_to(&mut **out)?;
                *items += 1;
            }
        }
        Ok(())
    }

    /// Ends the file and returns how many items it holds.
    fn finish(self) -> Result<usize, ExportError> {
        match self {
            ItemWriter::Csv { mut csv, rows, .. } => {
                csv.flush()?;
                Ok(rows)
            }
            ItemWriter::Json { out, items } => {
                out.write_all(if items == 0 { b"]\n" } else { b"\n]\n" })?;
                Ok(items)
            }
        }
    }
}

fn csv_row(
    issue: &Issue,
    events: &[IssueEvent],
    visit_day: Option<NaiveDate>,
    names: &Names,
    headers: Headers,
) -> [String; COLUMN_COUNT] {
    let chinese = headers == Headers::Chinese;
    let word = |code: &'static str, chinese_word: &'static str| {
        if chinese { chinese_word } else { code }.to_string()
    };
    // A response undone (a `Reverted` event naming it, with nothing put back) is withdrawn:
    // not the last response any more.
    let withdrawn: Vec<Id> = events
        .iter()
        .filter_map(|e| match &e.change {
            Change::Reverted {
                event,
                change: None,
            } => Some(*event),
            _ => None,
        })
        .collect();
    let last_response = events.iter().rev().find_map(|e| match &e.change {
        Change::Response { text, .. } if !withdrawn.contains(&e.id) => Some(text.clone()),
        _ => None,
    });
    let date = |day: Option<NaiveDate>| day.map(|d| d.to_string()).unwrap_or_default();
    [
        issue.number.to_string(),
        // An empty name, not a placeholder: imported back, the row is refused rather than
        // filed under a made-up firm.
        names.firms.get(&issue.firm).cloned().unwrap_or_default(),
        issue.title.clone(),
        issue.detail.clone(),
        names
            .category_name(issue.category)
            .unwrap_or_default()
            .to_string(),
        names
            .department(issue.department)
            .unwrap_or_default()
            .to_string(),
        issue.owner.clone(),
        word(issue.priority.code(), issue.priority.chinese()),
        word(issue.status.code(), issue.status.chinese()),
        date(issue.due),
        local_moment(issue.created),
        local_moment(issue.updated),
        date(visit_day),
        issue
            .resolution
            .as_ref()
            .map(|r| word(r.kind.code(), r.kind.chinese()))
            .unwrap_or_default(),
        issue
            .resolution
            .as_ref()
            .map(|r| r.text.clone())
            .unwrap_or_default(),
        last_response.unwrap_or_default(),
        // As typed in the app and read back by the import.
        issue.tags.join("、"),
        last_call(events, &withdrawn)
            .map(|v| word(v.code(), v.chinese()))
            .unwrap_or_default(),
    ]
    .map(csv_cell)
}

/// The verdict of the last follow-up call not undone.
pub(super) fn last_call(events: &[IssueEvent], undone: &[Id]) -> Option<crate::model::Verdict> {
    events.iter().rev().find_map(|e| match &e.change {
        Change::Call { verdict, .. } if !undone.contains(&e.id) => Some(*verdict),
        _ => None,
    })
}

/// A moment as the app shows it, in the laptop's time zone (not the offset it was stored
/// with, maybe UTC), its offset kept so it stays exact: `2025-12-13 17:15:00+08:00`.
fn local_moment(moment: crate::model::LocalTime) -> String {
    moment
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M:%S%.f%:z")
        .to_string()
}

mod columns;
mod json_item;
pub use json_item::{IssueJson, ItemNames};

#[cfg(test)]
mod tests;
