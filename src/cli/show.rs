//! `issues show N [--json]`: an item as the app's detail shows it, with its history; JSON is
//! the item of `export issues --format json`, history included.

use super::list::Names;
use super::triage::read_items;
use super::{CliError, CliResult};
use crate::messages as msg;
use crate::model::{Change, Issue, IssueEvent};
use crate::store::Store;
use crate::transfer::{export_issue_ids, ExportError, Headers, IssuesFormat};
use clap::Args;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Item numbers: 7, or 1,4,9-12
    #[arg(value_name = "N")]
    pub numbers: String,
    /// The item as a JSON object with its history (an array for several items)
    #[arg(long)]
    pub json: bool,
}

pub fn run(store: &Store, args: ShowArgs) -> CliResult {
    let items = read_items(store, &args.numbers)?;
    if args.json {
        let mut bytes = Vec::new();
        export_issue_ids(
            store,
            &mut bytes,
            items.iter().map(|i| i.id),
            IssuesFormat::Json,
            Headers::English,
        )
        .map_err(|e| match e {
            ExportError::Store(e) => CliError::from(e),
            other => CliError::Runtime(other.to_string()),
        })?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| CliError::Runtime(format!("reading the item back: {e}")))?;
        let value = match value {
            serde_json::Value::Array(mut one) if one.len() == 1 => one.remove(0),
            many => many,
        };
        println!("{}", crate::transfer::json::to_string(&value));
        return Ok(());
    }
    let mut names = Names::load_firms(store, &items.iter().map(|i| i.firm).collect::<Vec<_>>())?;
    // As the app's detail names it (用地): the Latin code is for filters and scripts.
    names.categories = store
        .categories()?
        .records
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    for (n, issue) in items.iter().enumerate() {
        if n > 0 {
            say!("");
        }
        let events = store.events(issue.id)?;
        super::list::warn_damaged(&events.damaged);
        show(issue, &events.records, &names);
        for conflict in store.conflicts_of(crate::store::RecordKind::Issue, issue.id)? {
            say!("⚠ {}", super::sync::describe(store, &conflict)?);
        }
    }
    Ok(())
}

fn show(issue: &Issue, events: &[IssueEvent], names: &Names) {
    let offset = *super::now().offset();
    let when = |t: &crate::model::LocalTime| t.with_timezone(&offset).format("%Y-%m-%d %H:%M");
    let dash = |s: Option<&str>| s.unwrap_or("-").to_string();
    say!("#{}  {}", issue.number, issue.title);
    let row = |label, value: &str| say!("{}", msg::show_row(label, value));
    let (status, priority) = match msg::lang() {
        msg::Lang::En => (issue.status.code(), issue.priority.code()),
        msg::Lang::Zh => (issue.status.chinese(), issue.priority.chinese()),
    };
    row(msg::SHOW_FIRM, names.firm(issue.firm));
    row(msg::SHOW_STATUS, status);
    row(msg::SHOW_PRIORITY, priority);
    row(
        msg::SHOW_DEPARTMENT,
        &dash(Names::name(&names.departments, issue.department)),
    );
    row(
        msg::SHOW_CATEGORY,
        &dash(Names::name(&names.categories, issue.category)),
    );
    row(
        msg::SHOW_OWNER,
        &dash((!issue.owner.is_empty()).then_some(issue.owner.as_str())),
    );
    row(
        msg::SHOW_TAGS,
        &dash(
            (!issue.tags.is_empty())
                .then(|| issue.tags.join("、"))
                .as_deref(),
        ),
    );
    row(
        msg::SHOW_DUE,
        &dash(issue.due.map(|d| d.to_string()).as_deref()),
    );
    row(msg::SHOW_RAISED, &when(&issue.created).to_string());
    row(msg::SHOW_UPDATED, &when(&issue.updated).to_string());
    if let Some(r) = &issue.resolution {
        row(msg::SHOW_CLOSED, &format!("{}: {}", r.kind.code(), r.text));
    }
    if !issue.detail.is_empty() {
        say!("");
        for line in issue.detail.lines() {
            say!("  {line}");
        }
    }
    say!("");
    say!("{}", msg::show_row(msg::SHOW_HISTORY, "").trim_end());
    for event in events {
        say!(
            "  {}  {}  {}",
            when(&event.at),
            event.author,
            event_text(&event.change, names)
        );
    }
}

/// The words of the app's history list (`ui::issues`), with the command line's names.
fn event_text(change: &Change, names: &Names) -> String {
    let department = |d| Names::name(&names.departments, d).unwrap_or(msg::UNASSIGNED.get());
    let category = |c| Names::name(&names.categories, c).unwrap_or(msg::NONE);
    match change {
        Change::Created => msg::EVENT_CREATED.to_string(),
        Change::Department { to, .. } => msg::event_department(department(*to)),
        Change::Owner { to, .. } => msg::event_owner(to),
        Change::Priority { from, to } => msg::event_priority(*from, *to),
        Change::Due { to, .. } => msg::event_due(
            &to.map(|d| d.to_string())
                .unwrap_or_else(|| msg::NONE.into()),
        ),
        Change::Category { to, .. } => msg::event_category(category(*to)),
        Change::Response { text, to_firm } => msg::event_response(text, *to_firm),
        Change::Title { to, .. } => msg::event_title(to),
        Change::Detail { .. } => msg::EVENT_DETAIL.to_string(),
        Change::Tags { added, removed } => msg::event_tags(added, removed),
        Change::Firm { to, .. } => msg::event_firm(names.firms.get(to).map_or("?", String::as_str)),
        Change::Call { verdict, note, day } => msg::event_call(*verdict, note, *day),
        Change::Status {
            from,
            to,
            resolution,
        } => match resolution {
            Some(r) => format!("{} — {}", msg::event_status(*from, *to), r.text),
            None => msg::event_status(*from, *to),
        },
        Change::Reverted {
            change: Some(inner),
            ..
        } => msg::event_reverted(&event_text(inner, names)),
        Change::Reverted { change: None, .. } => msg::EVENT_REVERTED_RESPONSE.to_string(),
    }
}
