//! `liaison sync …` (bundles between ledgers) and `liaison conflicts …` (values set on two
//! ledgers at once, and choosing between them). See docs/sync.md.

use super::{CliError, CliResult};
use crate::messages as msg;
use crate::model::{Id, Issue};
use crate::store::{ledger_code, Conflict, Head, RecordKind, Store};
use crate::transfer::bundle::{self, Scope};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Write the operations a peer has not seen into a bundle file
    Export(SyncExportArgs),
    /// Apply a bundle: all of it or, if it is damaged or cut short, nothing
    Import(SyncImportArgs),
    /// This ledger's code and actor, and every actor heard of with how many operations held
    Status,
    /// Firms with the same name on two ledgers (likely one firm): merge with `firms merge`
    Duplicates,
}

#[derive(Debug, Args)]
pub struct SyncExportArgs {
    /// The bundle file to write
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Only what this peer (its code or actor, from `sync status`) had not seen when it last
    /// sent a bundle here
    #[arg(long = "for", value_name = "PEER", conflicts_with = "all")]
    pub peer: Option<String>,
    /// Every operation this ledger holds (the default without --for)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct SyncImportArgs {
    /// The bundle file to apply
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// Every value set on two ledgers at once, with who set it and when
    List,
    /// Choose the value of a field in conflict (or type a new one)
    Resolve(ResolveArgs),
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The item: 7, or CODE-7 for an item of another ledger
    #[arg(value_name = "N")]
    pub number: String,
    /// The field in conflict, as `conflicts list` names it (department, status, title …)
    #[arg(value_name = "FIELD")]
    pub field: String,
    /// The value to keep: a department's name, a category's code, or the text
    #[arg(long, value_name = "VALUE", conflicts_with_all = ["mine", "theirs"])]
    pub take: Option<String>,
    /// Keep the value set on this ledger
    #[arg(long, conflicts_with = "theirs")]
    pub mine: bool,
    /// Keep the value set on the other ledger (the latest of them)
    #[arg(long)]
    pub theirs: bool,
}

pub fn sync(store: &Store, command: SyncCommand) -> CliResult {
    match command {
        SyncCommand::Export(args) => export(store, args),
        SyncCommand::Import(args) => import(store, args),
        SyncCommand::Status => status(store),
        SyncCommand::Duplicates => duplicates(store),
    }
}

fn export(store: &Store, args: SyncExportArgs) -> CliResult {
    let scope = match &args.peer {
        Some(peer) => Scope::For(find_peer(store, peer)?),
        None => Scope::All,
    };
    let written = bundle::write(store, &args.output, scope).map_err(CliError::Runtime)?;
    let file = args.output.display().to_string();
    say!(
        "{}",
        msg::sync_wrote(written.ops, &store.ledger_code()?, &file)
    );
    Ok(())
}

fn import(store: &Store, args: SyncImportArgs) -> CliResult {
    let (header, applied) = bundle::import(store, &args.file).map_err(CliError::Input)?;
    say!(
        "{}",
        msg::sync_imported(
            &ledger_code(header.sender),
            applied.new_ops,
            applied.records,
            applied.conflicts,
            store.conflict_count()
        )
    );
    Ok(())
}

fn find_peer(store: &Store, text: &str) -> Result<Id, CliError> {
    if let Ok(id) = text.parse::<Id>() {
        return Ok(id);
    }
    let wanted = text.trim().to_ascii_uppercase();
    let known = store.versions()?;
    known
        .keys()
        .chain(store.peers()?.iter().map(|(p, _)| p))
        .find(|actor| ledger_code(**actor) == wanted)
        .copied()
        .ok_or_else(|| CliError::Input(msg::sync_no_peer(text)))
}

fn status(store: &Store) -> CliResult {
    let me = store.actor()?;
    say!(
        "{}",
        msg::sync_this_ledger(&ledger_code(me), &me.to_string())
    );
    say!(
        "{}",
        msg::sync_held(store.op_count(), store.conflict_count())
    );
    for (actor, seq) in store.versions()? {
        say!(
            "{}",
            msg::sync_actor_line(&ledger_code(actor), seq, actor == me)
        );
    }
    for (peer, seen) in store.peers()? {
        let total: u64 = seen.values().sum();
        say!("{}", msg::sync_peer_line(&ledger_code(peer), total));
    }
    Ok(())
}

fn duplicates(store: &Store) -> CliResult {
    let groups = store.likely_duplicates()?;
    if groups.is_empty() {
        say!("{}", msg::sync_no_duplicates());
    }
    for group in groups {
        say!("{}", msg::sync_likely_one_firm(group.len()));
        for firm in group {
            let visits = store.visit_ids_of_firm(firm.id)?.len();
            let items = store.issues_of_firm(firm.id)?.len();
            say!(
                "{}",
                msg::sync_firm_line(&firm.id.to_string(), &firm.name, visits, items)
            );
        }
    }
    Ok(())
}

pub fn conflicts(store: &Store, command: ConflictsCommand) -> CliResult {
    match command {
        ConflictsCommand::List => list(store),
        ConflictsCommand::Resolve(args) => resolve(store, args),
    }
}

fn list(store: &Store) -> CliResult {
    let conflicts = store.conflicts()?;
    if conflicts.is_empty() {
        say!("{}", msg::conflicts_none());
    }
    for conflict in conflicts {
        say!("{}", describe(store, &conflict)?);
    }
    Ok(())
}

/// `#7 department: 发改局 (李晓, ledger K7QF2, 2026-12-03 10:12) | 商务局 (…)`.
pub fn describe(store: &Store, conflict: &Conflict) -> Result<String, CliError> {
    let what = match conflict.kind {
        RecordKind::Issue => match store.issue(conflict.record)? {
            Some(issue) => format!("#{}", issue.number),
            None => msg::conflict_item(&conflict.record.to_string()),
        },
        RecordKind::Firm => match store.firm(conflict.record)? {
            Some(firm) => msg::conflict_firm(&firm.name),
            None => msg::conflict_firm(&conflict.record.to_string()),
        },
        kind => format!("{} {}", kind.name(), conflict.record),
    };
    let values: Vec<String> = conflict
        .heads
        .iter()
        .map(|head| {
            format!(
                "{} ({})",
                shown_value(store, &conflict.field, head),
                who(head)
            )
        })
        .collect();
    Ok(format!("{what} {}: {}", conflict.field, values.join(" | ")))
}

/// Who set a value and when, as a conflict shows it.
pub fn who(head: &Head) -> String {
    msg::head_who(head, super::now().offset())
}

/// A value as people read it: a department or category by name, text as it is.
pub fn shown_value(store: &Store, field: &str, head: &Head) -> String {
    let value: serde_json::Value = serde_json::from_str(&head.value).unwrap_or_default();
    let id = value.as_str().and_then(|s| s.parse::<Id>().ok());
    match (field, id) {
        ("department", Some(id)) => store
            .departments()
            .ok()
            .and_then(|d| d.records.into_iter().find(|d| d.id == id))
            .map(|d| d.name)
            .unwrap_or_else(|| id.to_string()),
        ("category", Some(id)) => store
            .categories()
            .ok()
            .and_then(|c| c.records.into_iter().find(|c| c.id == id))
            .map(|c| c.code)
            .unwrap_or_else(|| id.to_string()),
        (_, _) if value.is_null() => "-".into(),
        (_, _) => match value.as_str() {
            Some(text) => text.to_string(),
            None => value.to_string(),
        },
    }
}

fn resolve(store: &Store, args: ResolveArgs) -> CliResult {
    let items = super::triage::read_items(store, &args.number)?;
    let [issue]: [Issue; 1] = items
        .try_into()
        .map_err(|_| CliError::Input(msg::conflicts_name_one_item()))?;
    let field = args.field.trim().to_string();
    let conflict = store
        .conflicts_of(RecordKind::Issue, issue.id)?
        .into_iter()
        .find(|c| c.field == field);
    let me = store.actor()?;
    let value = if let Some(text) = &args.take {
        typed_value(store, &field, text)?
    } else {
        let Some(conflict) = &conflict else {
            return Err(CliError::Input(msg::conflicts_none_on(
                issue.number,
                &field,
            )));
        };
        let pick = if args.mine {
            conflict
                .heads
                .iter()
                .filter(|h| h.op.actor == me)
                .max_by_key(|h| h.hlc)
        } else if args.theirs {
            conflict
                .heads
                .iter()
                .filter(|h| h.op.actor != me)
                .max_by_key(|h| h.hlc)
        } else {
            return Err(CliError::Input(msg::conflicts_say_which()));
        };
        pick.ok_or_else(|| CliError::Input(msg::conflicts_no_value(&field, args.mine)))?
            .value
            .clone()
    };
    store.resolve_conflict(RecordKind::Issue, issue.id, &field, &value)?;
    let after = store.issue(issue.id)?.unwrap_or(issue);
    say!(
        "{}",
        msg::conflicts_kept(after.number, &field, store.conflict_count())
    );
    Ok(())
}

/// `--take`: a department by name, a category by code, else the text itself (or JSON).
fn typed_value(store: &Store, field: &str, text: &str) -> Result<String, CliError> {
    let text = text.trim();
    let json = |v: serde_json::Value| v.to_string();
    match field {
        "department" => store
            .departments()?
            .records
            .into_iter()
            .find(|d| d.name == text)
            .map(|d| json(serde_json::Value::String(d.id.to_string())))
            .ok_or_else(|| CliError::Input(msg::conflicts_take_no_department(text))),
        "category" => store
            .categories()?
            .records
            .into_iter()
            .find(|c| c.code == text)
            .map(|c| json(serde_json::Value::String(c.id.to_string())))
            .ok_or_else(|| CliError::Input(msg::conflicts_take_no_category(text))),
        _ => Ok(serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .filter(|v| !v.is_string() || text.starts_with('"'))
            .map(json)
            .unwrap_or_else(|| json(serde_json::Value::String(text.to_string())))),
    }
}
