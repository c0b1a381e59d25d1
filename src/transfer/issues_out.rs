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
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::io::Write;

// ---- columns ---------------------------------------------------------------------------

/// The columns of an items file, as the export writes them and the import reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Number,
    Firm,
    Title,
    Detail,
    Category,
    Department,
    Owner,
    Priority,
    Status,
    Due,
    Created,
    Updated,
    VisitDate,
    ResolutionKind,
    Resolution,
    LastResponse,
    Tags,
    /// The verdict of the last follow-up call (回访), if any.
    Callback,
}

pub(super) const COLUMN_COUNT: usize = 18;

impl Column {
    pub(super) const ALL: [Column; COLUMN_COUNT] = [
        Column::Number,
        Column::Firm,
        Column::Title,
        Column::Detail,
        Column::Category,
        Column::Department,
        Column::Owner,
        Column::Priority,
        Column::Status,
        Column::Due,
        Column::Created,
        Column::Updated,
        Column::VisitDate,
        Column::ResolutionKind,
        Column::Resolution,
        Column::LastResponse,
        Column::Tags,
        Column::Callback,
    ];

    /// The columns the export writes, in `ALL`'s order.
    fn exported() -> impl Iterator<Item = Column> {
        Column::ALL.into_iter()
    }
}

impl CsvColumn for Column {
    const COLUMNS: &'static [Column] = &Column::ALL;

    fn index(self) -> usize {
        self as usize
    }

    fn chinese(self) -> &'static str {
        match self {
            Column::Number => "编号",
            Column::Firm => "企业名称",
            Column::Title => "诉求",
            Column::Detail => "详情",
            Column::Category => "类别",
            Column::Department => "责任部门",
            Column::Owner => "负责人",
            Column::Priority => "优先级",
            Column::Status => "状态",
            Column::Due => "期限",
            Column::Created => "创建时间",
            Column::Updated => "更新时间",
            Column::VisitDate => "走访日期",
            Column::ResolutionKind => "办结方式",
            Column::Resolution => "办结答复",
            Column::LastResponse => "最新回复",
            Column::Tags => "标签",
            Column::Callback => "回访",
        }
    }

    fn english(self) -> &'static str {
        match self {
            Column::Number => "number",
            Column::Firm => "firm",
            Column::Title => "title",
            Column::Detail => "detail",
            Column::Category => "category",
            Column::Department => "department",
            Column::Owner => "owner",
            Column::Priority => "priority",
            Column::Status => "status",
            Column::Due => "due",
            Column::Created => "created",
            Column::Updated => "updated",
            Column::VisitDate => "visit_date",
            Column::ResolutionKind => "resolution_kind",
            Column::Resolution => "resolution",
            Column::LastResponse => "last_response",
            Column::Tags => "tags",
            Column::Callback => "callback",
        }
    }

    /// As ledgers kept by hand name the columns.
    fn other_names(self) -> &'static [&'static str] {
        match self {
            Column::Number => &["序号", "#", "no"],
            Column::Firm => &["企业", "firm_name", "company"],
            Column::Title => &["事项", "标题"],
            Column::Detail => &["描述", "诉求详情"],
            Column::Category => &["分类"],
            Column::Department => &["部门", "承办部门", "dept"],
            Column::Owner => &["承办人"],
            Column::Status => &["办理状态"],
            Column::Due => &["办结时限", "截止日期", "due_date"],
            Column::Created => &["提出时间", "登记时间"],
            Column::ResolutionKind => &["resolution kind"],
            Column::Resolution => &["答复内容", "resolution_text"],
            Column::LastResponse => &["last response"],
            Column::Callback => &["回访结果", "满意度", "verdict"],
            _ => &[],
        }
    }
}

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
    if let Some(mut ids) = indexed {
        if options.sort != SortKey::Due {
            // Sorted afterwards anyway: read in the order of a walk, through the file once.
            Store::sort_in_storage_order(&mut ids);
        }
        // The items an index names (open, overdue, one number): only those are read.
        let mut matched = Vec::new();
        for id in ids {
            let Some(issue) = read_issue(store, id, &mut damaged)? else {
                continue;
            };
            let responses = if searches_text {
                store.response_text(issue.id)?
            } else {
                String::new()
            };
            if !wanted(&issue, &responses) {
                continue;
            }
            // The ids come in due order: that order streams, like the walk below.
            if options.sort == SortKey::Due {
                writer.item(store, &issue, &mut names)?;
            } else {
                matched.push(issue);
            }
        }
        sort_issues(&mut matched, options.sort, &|id| {
            names.firms.get(&id).cloned().unwrap_or_default()
        });
        for issue in &matched {
            writer.item(store, issue, &mut names)?;
        }
    } else if options.sort == SortKey::Due {
        for id in store.issue_ids_in_due_order() {
            let Some(issue) = read_issue(store, id?, &mut damaged)? else {
                continue;
            };
            let responses = if searches_text {
                store.response_text(issue.id)?
            } else {
                String::new()
            };
            if wanted(&issue, &responses) {
                writer.item(store, &issue, &mut names)?;
            }
        }
    } else {
        let mut matched = Vec::new();
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
        sort_issues(&mut matched, options.sort, &|id| {
            names.firms.get(&id).cloned().unwrap_or_default()
        });
        for issue in &matched {
            writer.item(store, issue, &mut names)?;
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
            writer.item(store, &issue, &mut names)?;
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

    fn item(&mut self, store: &Store, issue: &Issue, names: &mut Names) -> Result<(), ExportError> {
        let history = store.events(issue.id)?;
        names.damaged.extend(history.damaged);
        let events = history.records;
        match self {
            ItemWriter::Csv { csv, headers, rows } => {
                let visit_day = match issue.visit {
                    Some(visit) => names.visit_day(store, visit)?,
                    None => None,
                };
                csv.write_record(csv_row(issue, &events, visit_day, names, *headers))?;
                *rows += 1;
            }
            ItemWriter::Json { out, items } => {
                let mut object = issue_object(issue, names);
                object.insert(
                    "history".into(),
                    events.iter().map(|e| event_json(e, names)).collect(),
                );
                out.write_all(if *items == 0 { b"\n" } else { b",\n" })?;
                super::json::to_writer(&mut **out, &object)?;
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

/// The fields of `issues list --json`, so that scripts read both the same way.
fn issue_object(issue: &Issue, names: &Names) -> Map<String, Value> {
    let value = json!({
        "id": issue.id.to_string(),
        "number": issue.number,
        "firm": names.firms.get(&issue.firm).map_or("?", String::as_str),
        "firm_id": issue.firm.to_string(),
        "visit": issue.visit.map(|v| v.to_string()),
        "title": issue.title,
        "detail": issue.detail,
        "category": names.category_code(issue.category),
        "department": names.department(issue.department),
        "owner": issue.owner,
        "tags": issue.tags,
        "priority": issue.priority.code(),
        "status": issue.status.code(),
        "due": issue.due.map(|d| d.to_string()),
        "resolution": issue.resolution.as_ref().map(|r| json!({"kind": r.kind.code(), "text": r.text})),
        "created": issue.created.to_rfc3339(),
        "updated": issue.updated.to_rfc3339(),
        "closed": issue.closed.map(|c| c.to_rfc3339()),
    });
    match value {
        Value::Object(map) => map,
        _ => unreachable!("json! of an object literal is an object"),
    }
}

/// One history entry, with names instead of ids so that it reads without the database. The
/// entry's id is there for an undo (`reverted`) that names it.
fn event_json(event: &IssueEvent, names: &Names) -> Value {
    json!({
        "id": event.id.to_string(),
        "at": event.at.to_rfc3339(),
        "author": event.author,
        "change": change_json(&event.change, names),
    })
}

fn change_json(change: &Change, names: &Names) -> Value {
    match change {
        Change::Created => json!({"kind": "created"}),
        Change::Department { from, to } => json!({
            "kind": "department",
            "from": names.department(*from),
            "to": names.department(*to),
        }),
        Change::Owner { from, to } => json!({"kind": "owner", "from": from, "to": to}),
        Change::Priority { from, to } => {
            json!({"kind": "priority", "from": from.code(), "to": to.code()})
        }
        Change::Due { from, to } => json!({
            "kind": "due",
            "from": from.map(|d| d.to_string()),
            "to": to.map(|d| d.to_string()),
        }),
        Change::Category { from, to } => json!({
            "kind": "category",
            "from": names.category_code(*from),
            "to": names.category_code(*to),
        }),
        Change::Response { text, to_firm } => {
            json!({"kind": "response", "text": text, "to_firm": to_firm})
        }
        Change::Title { from, to } => json!({"kind": "title", "from": from, "to": to}),
        Change::Detail { from, to } => json!({"kind": "detail", "from": from, "to": to}),
        Change::Tags { added, removed } => {
            json!({"kind": "tags", "added": added, "removed": removed})
        }
        Change::Firm { from, to } => json!({
            "kind": "firm",
            "from": names.firms.get(from).cloned().unwrap_or_else(|| from.to_string()),
            "to": names.firms.get(to).cloned().unwrap_or_else(|| to.to_string()),
        }),
        Change::Call { verdict, note, day } => json!({
            "kind": "call",
            "verdict": verdict.code(),
            "note": note,
            "day": day.to_string(),
        }),
        Change::Status {
            from,
            to,
            resolution,
        } => json!({
            "kind": "status",
            "from": from.code(),
            "to": to.code(),
            "resolution": resolution.as_ref().map(|r| json!({"kind": r.kind.code(), "text": r.text})),
        }),
        // An undo: `event` is the id of the entry undone, `change` what was put back (null
        // when a response was withdrawn).
        Change::Reverted { event, change } => json!({
            "kind": "reverted",
            "event": event.to_string(),
            "change": change.as_deref().map(|c| change_json(c, names)),
        }),
    }
}

#[cfg(test)]
mod tests;
