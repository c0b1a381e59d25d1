//! `liaison check`: report every problem; `--repair` fixes what can be fixed and checks
//! again; `--quarantine` lists what a repair set aside.

use super::args::CheckArgs;
use super::{CliError, CliResult};
use crate::messages as msg;
use crate::store::{CheckReport, Store};

pub fn run(store: &Store, args: CheckArgs) -> CliResult {
    if args.quarantine {
        return quarantine(store);
    }
    let report = if args.repair {
        if let Some(what) = store.stamp_rebuilt() {
            say!("meta: schema_version: {what}");
        }
        let repaired = store.repair(super::now())?;
        for action in &repaired.actions {
            say!("{}: {}: {}", action.tree, action.key, action.what);
        }
        if repaired.actions.is_empty() && store.stamp_rebuilt().is_none() {
            say!("{}", msg::CHECK_NOTHING_TO_REPAIR);
        }
        repaired.check
    } else {
        store.check()?
    };
    verdict(store, &report, args.repair)
}

fn verdict(store: &Store, report: &CheckReport, repaired: bool) -> CliResult {
    let quarantined = match report.quarantined {
        0 => String::new(),
        n => msg::check_quarantined(n),
    };
    if report.is_ok() {
        say!(
            "{}",
            msg::check_ok(
                report.records,
                report.index_entries,
                &store.path().display().to_string(),
                &quarantined
            )
        );
        return Ok(());
    }
    for problem in &report.problems {
        say!("{}: {}: {}", problem.tree, problem.key, problem.what);
    }
    // Work cut short is no damage: its line says what to do, and a repair cannot finish it.
    let only_unfinished = report
        .problems
        .iter()
        .all(|p| p.tree == "meta" && p.key == "unfinished");
    let hint = if repaired || only_unfinished {
        String::new()
    } else {
        msg::check_repair_hint()
    };
    let found = msg::check_problems(
        report.problems.len(),
        &store.path().display().to_string(),
        report.records,
        report.index_entries,
    );
    Err(CliError::Runtime(format!("{found}{hint}")))
}

fn quarantine(store: &Store) -> CliResult {
    let loaded = store.quarantine()?;
    for entry in &loaded.records {
        say!(
            "{}: {}: {}",
            entry.tree,
            entry.key_text(),
            msg::check_set_aside(&entry.reason, entry.bytes.len(), &entry.at.to_rfc3339())
        );
    }
    for damaged in &loaded.damaged {
        say!(
            "{}",
            msg::check_quarantine_entry(&damaged.key.to_string(), &damaged.error.to_string())
        );
    }
    if loaded.records.is_empty() && loaded.damaged.is_empty() {
        say!("{}", msg::CHECK_QUARANTINE_EMPTY);
    }
    Ok(())
}
