//! `recover --into NEWDIR`, and the line every command prints about it when the database
//! cannot be opened.

use super::args::RecoverArgs;
use super::{CliError, CliResult};
use crate::messages as msg;
use crate::store::{OpenOptions, Store, StoreError};
use crate::transfer::recover::{plan, recover, RecoverError};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The backups directory of `db` without opening it (it may not exist any more).
fn backups_of(db: &Path, default_location: bool) -> Option<PathBuf> {
    if let Ok(dir) = super::backups_dir(db, default_location) {
        return Some(dir);
    }
    let db = std::path::absolute(db).ok()?;
    let name = db.file_name()?.to_os_string();
    let parent = db.parent()?;
    Some(if default_location {
        parent.join("backups")
    } else {
        let mut beside = name;
        beside.push(".backups");
        parent.join(beside)
    })
}

/// An error opening the database, with a line on `liaison recover` when the database itself
/// is what failed (not a lock held by another process or a newer schema).
pub fn explain_open_error(error: StoreError, db: &Path, default_location: bool) -> CliError {
    let damaged = match &error {
        StoreError::Open { .. } | StoreError::Engine(_) => true,
        StoreError::Corrupt { tree, .. } => *tree == "meta",
        _ => false,
    };
    let hint = damaged
        .then(|| backups_of(db, default_location))
        .flatten()
        .and_then(|dir| plan(&dir))
        .map(|h| {
            h.replace(
                "liaison recover",
                &format!("liaison --db {} recover", db.display()),
            )
        });
    if let StoreError::Corrupt { key, .. } = &error {
        if key == "schema_version" {
            let repair = format!(
                "`liaison --db {} check --repair` rebuilds the schema stamp from what the records hold",
                db.display()
            );
            let hint = hint
                .map(|h| format!("\nliaison: or {h}"))
                .unwrap_or_default();
            return CliError::Runtime(format!("{error}\nliaison: {repair}{hint}"));
        }
    }
    match hint {
        Some(hint) => CliError::Runtime(format!("{error}\nliaison: {hint}")),
        None => error.into(),
    }
}

pub fn run(db: &Path, default_location: bool, args: RecoverArgs) -> CliResult {
    let started = Instant::now();
    let into = &args.into;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(db, into) {
        return Err(CliError::Input(
            "--into: the new directory must not be the database itself".into(),
        ));
    }
    if into.exists() {
        let empty = std::fs::read_dir(into)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(CliError::Input(msg::recover_into_not_empty(
                &into.display().to_string(),
            )));
        }
    }
    let Some(dir) = backups_of(db, default_location) else {
        return Err(CliError::Input(msg::recover_no_backups(
            &db.display().to_string(),
        )));
    };
    let store = Store::open_with(into, OpenOptions::default())?;
    let recovery =
        recover(&dir, &store).map_err(|e: RecoverError| CliError::Runtime(e.to_string()))?;
    for (path, why) in &recovery.skipped {
        esay!("{}", msg::recover_skipped(&path.display().to_string(), why));
    }
    match &recovery.backup {
        Some((path, counts)) => esay!(
            "{}",
            msg::recover_from_backup(
                &path.display().to_string(),
                counts.firms,
                counts.visits,
                counts.issues,
                counts.events
            )
        ),
        None if recovery.skipped.is_empty() => {
            esay!("{}", msg::RECOVER_EMPTY_FROM_START)
        }
        None => esay!("{}", msg::RECOVER_EMPTY_NO_BACKUP),
    }
    for journal in &recovery.journals {
        esay!(
            "{}",
            msg::recover_journal(journal.entries, &journal.path.display().to_string())
        );
        if let Some(bytes) = journal.torn {
            esay!("{}", msg::recover_torn(bytes));
        }
    }
    for lost in &recovery.lost {
        esay!("{}", msg::recover_lost(&lost.to_string()));
    }
    let counts = store.counts()?;
    esay!(
        "{}",
        msg::recover_rebuilt(
            &into.display().to_string(),
            counts.firms,
            counts.visits,
            counts.issues(),
            started.elapsed().as_secs_f64(),
            &db.display().to_string()
        )
    );
    if recovery.lost.is_empty() {
        Ok(())
    } else {
        Err(CliError::Runtime(msg::recover_lost_count(
            recovery.lost.len(),
        )))
    }
}
