//! `issues edit|assign|status|respond|close`: the queue's triage from the shell. Each takes
//! item numbers (`7`, `1,4,9-12`), changes every item through the model's own methods (the
//! ones the app's triage uses, so the history is the same) and writes them all in one
//! transaction; an unknown number or a change one item refuses writes nothing.

use super::issues::{default_author, find_category, find_department};
use super::{CliError, CliResult};
use crate::messages as msg;
use crate::model::{
    clean_tag, split_tags, FieldError, Issue, IssueEvent, LocalTime, Priority, Resolution,
    ResolutionKind, Status,
};
use crate::store::Store;
use clap::Args;

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Item numbers: 7, or 1,4,9-12
    #[arg(value_name = "N")]
    pub numbers: String,
    /// Category code or name (land, finance, 用地 …); none to clear it
    #[arg(long, value_name = "CODE")]
    pub category: Option<String>,
    /// low, normal, high or urgent (also l/n/h/u, 低/中/高/急)
    #[arg(long, value_name = "P", value_parser = super::args::parse_priority)]
    pub priority: Option<Priority>,
    /// Due date as the forms take it: 2026-12-13, 12-13, +3d, fri, 下周五; none to clear it
    #[arg(long, value_name = "WHEN", value_parser = super::args::parse_due_change)]
    pub due: Option<super::args::DueChange>,
    /// Who follows the item up
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// A corrected title
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The detail, rewritten ('' clears it)
    #[arg(long, value_name = "TEXT")]
    pub detail: Option<String>,
}

#[derive(Debug, Args)]
pub struct AssignArgs {
    /// Item numbers: 7, or 1,4,9-12
    #[arg(value_name = "N")]
    pub numbers: String,
    /// The department, by name or full name; none takes the items back
    #[arg(value_name = "DEPT")]
    pub department: String,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Item numbers: 7, or 1,4,9-12
    #[arg(value_name = "N")]
    pub numbers: String,
    /// assigned, in-progress or answered (or 已交办, 办理中, 已答复); closing is `issues close`
    #[arg(value_name = "STATUS")]
    pub status: String,
}

#[derive(Debug, Args)]
pub struct RespondArgs {
    /// Item numbers: 7, or 1,4,9-12
    #[arg(value_name = "N")]
    pub numbers: String,
    /// The response, as the department gave it
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// It is the answer given to the firm: the item becomes answered where its status allows
    #[arg(long)]
    pub answer: bool,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Item numbers: 7, or 1,4,9-12
    #[arg(value_name = "N")]
    pub numbers: String,
    /// What the firm was told
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// How it was resolved: answered, on-the-spot or withdrawn (答复办结, 现场解决, 企业撤回)
    #[arg(long, value_name = "HOW", default_value = "answered")]
    pub how: String,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// Item numbers: 7, or 1,4,9-12
    #[arg(value_name = "N")]
    pub numbers: String,
    /// Tags such as 专班 省重点 (one argument may list several: 专班、省重点)
    #[arg(value_name = "TAG", required = true, num_args = 1..)]
    pub tags: Vec<String>,
    /// Take the tags off instead
    #[arg(long)]
    pub remove: bool,
}

/// One item's change: its history events, none when it changes nothing.
type ItemChange<'a> =
    dyn Fn(&mut Issue, &str, LocalTime) -> Result<Vec<IssueEvent>, FieldError> + 'a;

pub fn edit(store: &Store, args: EditArgs) -> CliResult {
    let category = match args.category.as_deref().map(str::trim) {
        None => None,
        Some("none" | "-") => Some(None),
        Some(text) => {
            let id = find_category(store, text, "--category")?;
            Some(Some(super::lists::offered(store, id, "--category", text)?))
        }
    };
    let priority = args.priority;
    let due = args.due.map(|d| d.0);
    if category.is_none()
        && priority.is_none()
        && due.is_none()
        && args.owner.is_none()
        && args.title.is_none()
        && args.detail.is_none()
    {
        return Err(CliError::Input(
            "issues edit: nothing to change; give --title, --detail, --category, --priority, \
             --due or --owner"
                .into(),
        ));
    }
    let (owner, title, detail) = (args.owner, args.title, args.detail);
    apply(store, &args.numbers, "edited", &|issue, author, now| {
        let mut events = Vec::new();
        if let Some(t) = &title {
            events.extend(issue.set_title(t, author, now)?);
        }
        if let Some(d) = &detail {
            events.extend(issue.set_detail(d, author, now)?);
        }
        if let Some(c) = category {
            events.extend(issue.set_category(c, author, now));
        }
        if let Some(p) = priority {
            events.extend(issue.set_priority(p, author, now));
        }
        if let Some(d) = due {
            events.extend(issue.set_due(d, author, now)?);
        }
        if let Some(o) = &owner {
            events.extend(issue.set_owner(o, author, now)?);
        }
        Ok(events)
    })
}

pub fn assign(store: &Store, args: AssignArgs) -> CliResult {
    let department = match args.department.trim() {
        "none" | "-" => None,
        name => {
            let id = find_department(store, name, "DEPT")?;
            Some(super::lists::offered(store, id, "DEPT", name)?)
        }
    };
    let label = match department {
        Some(_) => msg::event_department(args.department.trim()),
        None => msg::event_department(msg::UNASSIGNED),
    };
    apply(store, &args.numbers, &label, &|issue, author, now| {
        Ok(issue.assign(department, author, now).into_iter().collect())
    })
}

pub fn status(store: &Store, args: StatusArgs) -> CliResult {
    let status = Status::parse(&args.status).ok_or_else(|| {
        CliError::Input(format!(
            "STATUS: {} is not a status (assigned, in-progress, answered; 已交办, 办理中, 已答复)",
            args.status
        ))
    })?;
    match status {
        Status::Closed => {
            return Err(CliError::Input(
                "STATUS: closing needs what the firm was told: `liaison issues close N TEXT`"
                    .into(),
            ))
        }
        Status::New => {
            return Err(CliError::Input(
                "STATUS: an item is new again when taken back: `liaison issues assign N none`"
                    .into(),
            ))
        }
        _ => {}
    }
    apply(
        store,
        &args.numbers,
        &msg::set_status(status),
        &|issue, author, now| {
            if issue.status == status {
                return Ok(Vec::new());
            }
            Ok(vec![issue.set_status(status, None, author, now)?])
        },
    )
}

pub fn respond(store: &Store, args: RespondArgs) -> CliResult {
    let (text, to_firm) = (args.text, args.answer);
    apply(
        store,
        &args.numbers,
        &msg::responded(to_firm),
        &|issue, author, now| {
            let mut events = vec![issue.respond(&text, to_firm, author, now)?];
            // As the app: the answer given to the firm makes the item answered, when its life
            // cycle allows (a new item must be handed over first).
            if to_firm
                && issue.status != Status::Answered
                && issue.status.can_become(Status::Answered)
            {
                events.push(issue.set_status(Status::Answered, None, author, now)?);
            }
            Ok(events)
        },
    )
}

pub fn close(store: &Store, args: CloseArgs) -> CliResult {
    let kind = resolution_kind(&args.how).ok_or_else(|| {
        CliError::Input(format!(
            "--how: {} is not a way of closing (answered, on-the-spot, withdrawn)",
            args.how
        ))
    })?;
    let resolution = Resolution {
        kind,
        text: args.text,
    };
    apply(
        store,
        &args.numbers,
        &msg::set_status(Status::Closed),
        &|issue, author, now| {
            Ok(vec![issue.change_status(
                Status::Closed,
                Some(resolution.clone()),
                author,
                now,
            )?])
        },
    )
}

pub fn tag(store: &Store, args: TagArgs) -> CliResult {
    let tags: Vec<String> = args.tags.iter().flat_map(|t| split_tags(t)).collect();
    // Each checked before any item is read, so a bad tag names itself.
    for tag in &tags {
        clean_tag(tag)
            .map_err(|e| CliError::Input(format!("TAG: {tag}: {}", msg::field_error(&e))))?;
    }
    if tags.is_empty() {
        return Err(CliError::Input("TAG: no tag given".into()));
    }
    let (add, remove) = if args.remove {
        (Vec::new(), tags)
    } else {
        (tags, Vec::new())
    };
    apply(
        store,
        &args.numbers,
        &msg::event_tags(&add, &remove),
        &|issue, author, now| {
            Ok(issue
                .change_tags(&add, &remove, author, now)?
                .into_iter()
                .collect())
        },
    )
}

/// A way of closing as the close form takes it: the codes and Chinese words, and the form's
/// short words (`a`, `spot`, `现场`, `撤回` …).
fn resolution_kind(text: &str) -> Option<ResolutionKind> {
    ResolutionKind::parse(text).or_else(|| match text.trim().to_lowercase().as_str() {
        "a" | "answer" | "已答复" | "答复" => Some(ResolutionKind::Answered),
        "o" | "s" | "spot" | "现场" => Some(ResolutionKind::OnTheSpot),
        "w" | "withdraw" | "撤回" => Some(ResolutionKind::Withdrawn),
        _ => None,
    })
}

/// Reads every item named, applies the change to each, and writes those that changed in one
/// transaction; nothing is written when a number is unknown or an item refuses the change.
fn apply(store: &Store, numbers: &str, what: &str, change: &ItemChange) -> CliResult {
    let items = read_items(store, numbers)?;
    let author = store.user()?.unwrap_or_else(default_author);
    let now = super::now();
    let mut writes = Vec::new();
    let mut lines = Vec::new();
    for mut issue in items {
        match change(&mut issue, &author, now) {
            Ok(events) if events.is_empty() => lines.push(format!(
                "#{}: {}",
                issue.number,
                msg::NOTHING_CHANGED.to_lowercase()
            )),
            Ok(events) => {
                lines.push(format!("#{}: {what}", issue.number));
                writes.push((issue, events));
            }
            Err(e) => {
                // The app's words point at its keys; here the command says it.
                let why = match e.problem {
                    crate::model::Problem::AssignedNeedsDepartment => format!(
                        "status assigned needs a department: `liaison issues assign {} DEPT` first",
                        issue.number
                    ),
                    _ => msg::field_error(&e),
                };
                return Err(CliError::Input(format!(
                    "#{}: {why}; nothing was changed",
                    issue.number
                )));
            }
        }
    }
    if !writes.is_empty() {
        store.save_issues(&writes)?;
    }
    for line in lines {
        say!("{line}");
    }
    Ok(())
}

/// The items a list of numbers names, in its order; the first unknown one refuses them all.
pub fn read_items(store: &Store, numbers: &str) -> Result<Vec<Issue>, CliError> {
    // `CODE-N`: an item as every ledger quotes it (docs/sync.md).
    if let Some((code, number)) = numbers.trim().split_once('-') {
        if let (true, Ok(number)) = (code.len() == 5, number.parse::<u32>()) {
            let issue = store.issue_by_code(code, number)?;
            return issue
                .map(|i| vec![i])
                .ok_or_else(|| CliError::Input(format!("N: there is no item {}", numbers.trim())));
        }
    }
    let numbers = crate::model::numbers::parse_numbers(numbers).map_err(|part| {
        CliError::Input(format!(
            "N: {part} is not an item number or a range (7, 1,4,9-12)"
        ))
    })?;
    numbers
        .into_iter()
        .map(|n| {
            store
                .issue_by_number(n)?
                .ok_or_else(|| CliError::Input(format!("N: there is no item #{n}")))
        })
        .collect()
}
