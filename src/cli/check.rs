//! `liaison check`: report every problem; `--repair` fixes what can be fixed and checks
//! again; `--quarantine` lists what a repair set aside.

use super::args::CheckArgs;
use super::{CliError, CliResult};
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
            say!("nothing to repair");
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
        n => format!("; {n} value(s) in quarantine (liaison check --quarantine)"),
    };
    if report.is_ok() {
        say!(
            "ok: {} records and {} index entries checked in {}{quarantined}",
            report.records,
            report.index_entries,
            store.path().display()
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
        ""
    } else {
        "; `liaison check --repair` sets damaged values aside and rebuilds the rest"
    };
    Err(CliError::Runtime(format!(
        "{} problem(s) found in {} ({} records, {} index entries checked){hint}",
        report.problems.len(),
        store.path().display(),
        report.records,
        report.index_entries
    )))
}

fn quarantine(store: &Store) -> CliResult {
    let loaded = store.quarantine()?;
    for entry in &loaded.records {
        say!(
            "{}: {}: {} ({} bytes, set aside {})",
            entry.tree,
            entry.key_text(),
            entry.reason,
            entry.bytes.len(),
            entry.at.to_rfc3339()
        );
    }
    for damaged in &loaded.damaged {
        say!(
            "quarantine: {}: this entry is damaged: {}",
            damaged.key,
            damaged.error
        );
    }
    if loaded.records.is_empty() && loaded.damaged.is_empty() {
        say!("the quarantine is empty");
    }
    Ok(())
}
