//! `firms list`, `visits list`, `issues list`: a table for people, `--json` for scripts. Rows
//! are written as they are read, so a 100,000-item list never sits in memory whole.

use super::args::ListArgs;
use super::{CliError, CliResult};
use crate::model::{Firm, Id, Issue, Status, Visit};
use crate::query::sort_issues;
use crate::query::ItemSource;
use crate::store::{Damaged, Store};
use crate::text::fit;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufWriter, Write};

/// Standard output that treats a closed pipe (`| head`) as a normal end.
pub struct Output {
    out: BufWriter<std::io::StdoutLock<'static>>,
    json: bool,
    rows: usize,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output {
            out: BufWriter::new(std::io::stdout().lock()),
            json,
            rows: 0,
        }
    }

    /// One line for people, its control characters made visible.
    pub fn line(&mut self, text: &str) -> Result<(), CliError> {
        writeln!(self.out, "{}", crate::text::for_terminal(text)).map_err(io)
    }

    /// One object of the JSON array (control characters escaped), or one line of the table.
    pub fn row(
        &mut self,
        value: &impl Serialize,
        line: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        self.row_written(|out| crate::transfer::json::to_writer(out, value), line)
    }

    /// `row`, its JSON object written by `write`.
    pub fn row_written(
        &mut self,
        write: impl FnOnce(&mut BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
        line: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        if self.json {
            let sep = if self.rows == 0 { "[\n" } else { ",\n" };
            write!(self.out, "{sep}").map_err(io)?;
            write(&mut self.out).map_err(io)?;
        } else {
            self.line(&line())?;
        }
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> CliResult {
        if self.json {
            let end = if self.rows == 0 { "[]\n" } else { "\n]\n" };
            write!(self.out, "{end}").map_err(io)?;
        }
        self.out.flush().map_err(io)
    }
}

fn io(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        // The reader has gone; nothing more to say.
        std::process::exit(0);
    }
    CliError::Runtime(crate::messages::writing_output(&e.to_string()))
}

pub fn warn_damaged(damaged: &[Damaged]) {
    for d in damaged {
        esay!(
            "{}",
            crate::messages::skipped_damaged(d.tree, &d.key.to_string(), &d.error.to_string())
        );
    }
}

/// Names by id for firms, departments and categories: small, read once per command.
pub struct Names {
    pub firms: HashMap<Id, String>,
    pub departments: HashMap<Id, String>,
    pub categories: HashMap<Id, String>,
}

impl Names {
    /// Departments and categories, and the names of the given firms only.
    pub fn load_firms(store: &Store, firms: &[Id]) -> Result<Names, CliError> {
        let mut names = Names::load_without_firms(store)?;
        for &id in firms {
            if let Some(firm) = store.firm(id)? {
                names.firms.insert(id, firm.name);
            }
        }
        Ok(names)
    }

    fn load_without_firms(store: &Store) -> Result<Names, CliError> {
        let departments = store.departments()?;
        warn_damaged(&departments.damaged);
        let categories = store.categories()?;
        warn_damaged(&categories.damaged);
        Ok(Names {
            firms: HashMap::new(),
            departments: departments
                .records
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect(),
            categories: categories
                .records
                .into_iter()
                .map(|c| (c.id, c.code))
                .collect(),
        })
    }

    pub fn load(store: &Store) -> Result<Names, CliError> {
        let firms = store.firms()?;
        warn_damaged(&firms.damaged);
        let mut names = Names::load_without_firms(store)?;
        names.firms = firms.records.into_iter().map(|f| (f.id, f.name)).collect();
        Ok(names)
    }

    pub fn firm(&self, id: Id) -> &str {
        self.firms.get(&id).map(String::as_str).unwrap_or("?")
    }

    pub fn name(map: &HashMap<Id, String>, id: Option<Id>) -> Option<&str> {
        id.and_then(|id| map.get(&id)).map(String::as_str)
    }
}

pub fn firm_json(firm: &Firm) -> Value {
    json!({
        "id": firm.id.to_string(),
        "name": firm.name,
        "short_name": firm.short_name,
        "sector": firm.sector,
        "park": firm.park,
        "address": firm.address,
        "tags": firm.tags,
        "contacts": firm.contacts.iter().map(|c| json!({
            "name": c.name, "title": c.title, "phone": c.phone, "email": c.email,
        })).collect::<Vec<_>>(),
        "notes": firm.notes,
        "archived": firm.archived,
        "created": firm.created.to_rfc3339(),
        "updated": firm.updated.to_rfc3339(),
    })
}

pub fn firms(store: &Store, args: super::args::FirmsListArgs) -> CliResult {
    let loaded = store.firms()?;
    warn_damaged(&loaded.damaged);
    let mut firms = loaded.records;
    firms.retain(|f| args.archived || !f.archived);
    let keys = firms
        .iter()
        .map(|f| store.firm_keys(f))
        .collect::<Result<Vec<_>, _>>()?;
    let order: Vec<usize> = match &args.search {
        Some(text) => crate::search::rank(
            &mut crate::search::Searcher::default(),
            &crate::search::Query::new(text),
            firms
                .iter()
                .enumerate()
                .map(|(i, f)| (i, f.name.as_str(), f.short_name.as_str(), &keys[i])),
        )
        .into_iter()
        .map(|(i, _)| i)
        .collect(),
        None => {
            // Alphabetical by pinyin, like the app's directory.
            let mut order: Vec<usize> = (0..firms.len()).collect();
            order.sort_by_cached_key(|i| (keys[*i].name.sort_key(), firms[*i].name.clone()));
            order
        }
    };
    let mut slots: Vec<Option<Firm>> = firms.into_iter().map(Some).collect();
    let firms: Vec<Firm> = order.into_iter().filter_map(|i| slots[i].take()).collect();
    let mut out = Output::new(args.json);
    if !args.json {
        out.line(&format!(
            "{}  {}  {}",
            fit("NAME", 40),
            fit("SECTOR", 14),
            "CONTACTS"
        ))?;
    }
    for firm in &firms {
        out.row(&firm_json(firm), || {
            format!(
                "{}  {}  {}",
                fit(&firm.name, 40),
                fit(&firm.sector, 14),
                firm.contacts.len()
            )
        })?;
    }
    out.finish()
}

fn visit_json(visit: &Visit, names: &Names) -> Value {
    json!({
        "id": visit.id.to_string(),
        "firm": names.firm(visit.firm),
        "firm_id": visit.firm.to_string(),
        "start": visit.start.to_rfc3339(),
        "duration_min": visit.duration_min,
        "location": visit.location,
        "lead": visit.lead,
        "attendees": visit.attendees,
        "purpose": visit.purpose,
        "status": visit.status.code(),
        "minutes": visit.minutes,
    })
}

pub fn visits(store: &Store, args: ListArgs) -> CliResult {
    let names = Names::load(store)?;
    let mut out = Output::new(args.json);
    if !args.json {
        out.line(&format!(
            "{}  {}  {}  {}  ID",
            fit("START", 16),
            fit("FIRM", 30),
            fit("LEAD", 18),
            fit("STATUS", 9),
        ))?;
    }
    for id in store.visit_ids_by_time()? {
        let visit = match store.visit(id) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(e) => {
                esay!("liaison: {e}");
                continue;
            }
        };
        out.row(&visit_json(&visit, &names), || {
            format!(
                "{}  {}  {}  {}  {}",
                visit.start.format("%Y-%m-%d %H:%M"),
                fit(names.firm(visit.firm), 30),
                fit(&visit.lead, 18),
                fit(visit.status.code(), 9),
                visit.id
            )
        })?;
    }
    out.finish()
}

/// An item as `issues list --json` writes it (the export's shape without its history).
pub fn issue_json<'a>(issue: &'a Issue, names: &'a Names) -> crate::transfer::IssueJson<'a> {
    crate::transfer::IssueJson::of(
        issue,
        crate::transfer::ItemNames {
            firm: names.firm(issue.firm),
            department: Names::name(&names.departments, issue.department),
            category: Names::name(&names.categories, issue.category),
        },
    )
}

/// `issues list`: the flags and `--filter` make one filter; a firm narrows the items read
/// through its index before the filter runs, otherwise the filter runs over one walk.
pub fn issues(store: &Store, args: super::args::IssuesListArgs) -> CliResult {
    use crate::query::{parse, StoreNames, WithResponses};
    let mut text = args.filter.clone().unwrap_or_default();
    if let Some(status) = &args.status {
        text.push_str(&format!(" status:{status}"));
    }
    if args.overdue {
        text.push_str(" overdue");
    }
    let filter = parse(&text).map_err(|e| {
        CliError::Input(match &args.filter {
            Some(_) if e.position < args.filter.as_deref().map_or(0, |f| f.chars().count()) => {
                format!("--filter: {e}")
            }
            _ => format!("--status: {}", e.message),
        })
    })?;
    let needs_text = filter
        .terms
        .iter()
        .any(|t| matches!(t.kind, crate::query::TermKind::Text(_)));
    let responses_needed = ResponsesNeeded::of(&filter);
    let names_firms = filter
        .terms
        .iter()
        .any(|t| matches!(t.kind, crate::query::TermKind::Firm(_)));
    // A firm named exactly is found through the name index; only a partial or pinyin name
    // needs every firm's search keys (10,000 firms take a good part of a process's time).
    let exact_firm = match &args.firm {
        Some(firm) => store.firm_by_name(firm)?,
        None => None,
    };
    let store_names = StoreNames::load_with(
        store,
        names_firms || (args.firm.is_some() && exact_firm.is_none()),
    )?;
    let resolved = store_names
        .resolve(&filter)
        .map_err(|e| CliError::Input(format!("--filter: {e}")))?;
    let today = super::now().date_naive();
    let sort = args.sort.or(filter.sort).unwrap_or_default();
    let mut out = Output::new(args.json);
    if !args.json {
        out.line(&format!(
            "{}  {}  {}  {}  {}  {}  {}",
            fit("#", 6),
            fit("FIRM", 24),
            fit("TITLE", 36),
            fit("DEPT", 12),
            fit("PRIO", 6),
            fit("DUE", 11),
            "STATUS"
        ))?;
    }
    let holds = |issue: &Issue, responses: &str| {
        resolved.matches(&WithResponses { issue, responses }, today)
    };
    let mut matched = Vec::new();
    let source = ItemSource::of(&resolved);
    // Reads one item (and its responses when a word is searched) and keeps it if it passes.
    let read = |id: Id,
                issue: Result<Option<Issue>, crate::store::StoreError>,
                matched: &mut Vec<Issue>|
     -> Result<(), crate::store::StoreError> {
        let issue = match issue {
            Ok(Some(i)) => i,
            Ok(None) => return Ok(()),
            Err(e) => {
                esay!("liaison: {e}");
                return Ok(());
            }
        };
        let keep = if !needs_text {
            holds(&issue, "")
        } else if responses_needed == ResponsesNeeded::OnlyIfItemFails && holds(&issue, "") {
            // Found in the item itself: its responses could not undo that.
            true
        } else {
            holds(&issue, &store.response_text(id)?)
        };
        if keep {
            matched.push(issue);
        }
        Ok(())
    };
    // The items an index names, unless a firm's are read instead. Read one by one, a word's
    // items cost about ten times as much each as a walk's (docs/performance.md): a word in
    // more than a tenth of the items is found by the walk.
    let mut indexed = None;
    let many_words = if source == ItemSource::Words {
        let items = store.counts()?.issues();
        store
            .numbers_with_words(&ItemSource::bounding_words(&resolved))?
            .is_some_and(|n| n.len() as u64 > items / 10)
    } else {
        false
    };
    if args.firm.is_none() && source != ItemSource::All && !many_words {
        indexed = crate::transfer::indexed_ids(
            store,
            &resolved,
            source,
            crate::transfer::IdOrder::Storage,
            today,
        )?;
    }
    let names = match &args.firm {
        // A firm's items: a few, read one by one through the firm index.
        Some(firm) => {
            let firms: Vec<Id> = match exact_firm {
                Some(id) => vec![id],
                None => crate::query::firms_matching(firm, &store_names.firms, &store_names.keys)
                    .into_iter()
                    .collect(),
            };
            if firms.is_empty() {
                return Err(CliError::Input(format!("--firm: no firm matches {firm}")));
            }
            for &firm in &firms {
                for (id, status) in store.issues_of_firm(firm)? {
                    if source.open_only() && status == Some(Status::Closed) {
                        continue;
                    }
                    read(id, store.issue(id), &mut matched)?;
                }
            }
            Names::load_firms(store, &firms)?
        }
        // A condition an index answers: only the items it names are read.
        None if indexed.is_some() => {
            let mut ids = indexed.unwrap_or_default();
            // Read in the order of a walk: the same matches in the same order, found sooner.
            Store::sort_in_storage_order(&mut ids);
            store.issues_by_group(&ids, |id, issue| read(id, issue, &mut matched))?;
            let firms: std::collections::BTreeSet<Id> = matched.iter().map(|i| i.firm).collect();
            Names::load_firms(store, &firms.into_iter().collect::<Vec<_>>())?
        }
        // Otherwise one walk over the items in the order they are stored: reading a large
        // share of a million items one by one (through an index) jumps all over the file.
        None => {
            let mut keep = |item: Result<(Issue, String), crate::store::Damaged>| {
                match item {
                    Ok((issue, responses)) => {
                        if holds(&issue, &responses) {
                            matched.push(issue);
                        }
                    }
                    Err(d) => esay!("liaison: {}: {}: {}", d.tree, d.key, d.error),
                }
                Ok(())
            };
            if needs_text {
                store.each_issue_with_text(&mut keep)?;
            } else {
                store.each_issue(|item| keep(item.map(|issue| (issue, String::new()))))?;
            }
            Names::load(store)?
        }
    };
    sort_issues(&mut matched, sort, &|id| names.firm(id).to_string());
    for issue in &matched {
        print_issue(&mut out, issue, &names, today)?;
    }
    out.finish()
}

/// When an item read by id needs its responses (a second read, in the histories) to be
/// judged by a filter with words in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResponsesNeeded {
    /// Every word is wanted (none is `-word`): a word found in the item's title or detail
    /// stays found whatever the responses say, so they are read only for an item that fails
    /// without them. Most of a word's items have it in their title.
    OnlyIfItemFails,
    /// A `-word`: the responses may hold it, so they are always read.
    Always,
}

impl ResponsesNeeded {
    fn of(filter: &crate::query::Filter) -> ResponsesNeeded {
        let excludes_a_word = filter
            .terms
            .iter()
            .any(|t| t.negated && matches!(t.kind, crate::query::TermKind::Text(_)));
        if excludes_a_word {
            ResponsesNeeded::Always
        } else {
            ResponsesNeeded::OnlyIfItemFails
        }
    }
}

fn print_issue(
    out: &mut Output,
    issue: &Issue,
    names: &Names,
    today: chrono::NaiveDate,
) -> CliResult {
    out.row_written(
        |out| issue_json(issue, names).write_to(out),
        || {
            let due = issue.due.map(|d| d.to_string()).unwrap_or_default();
            let overdue = if issue.is_overdue(today) { "!" } else { " " };
            format!(
                "{}  {}  {}  {}  {}  {}{}  {}",
                fit(&format!("#{}", issue.number), 6),
                fit(names.firm(issue.firm), 24),
                fit(&issue.title, 36),
                fit(
                    Names::name(&names.departments, issue.department).unwrap_or("-"),
                    12
                ),
                fit(issue.priority.code(), 6),
                fit(&due, 10),
                overdue,
                issue.status.code()
            )
        },
    )
}
