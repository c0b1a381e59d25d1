use super::{CliError, CliResult};
use crate::store::Store;

pub fn run(store: &Store) -> CliResult {
    let report = store.check()?;
    if report.is_ok() {
        println!(
            "ok: {} records and {} index entries checked in {}",
            report.records,
            report.index_entries,
            store.path().display()
        );
        return Ok(());
    }
    for problem in &report.problems {
        println!("{}: {}: {}", problem.tree, problem.key, problem.what);
    }
    Err(CliError::Runtime(format!(
        "{} problem(s) found in {} ({} records, {} index entries checked)",
        report.problems.len(),
        store.path().display(),
        report.records,
        report.index_entries
    )))
}
