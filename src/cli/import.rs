//! `import firms FILE` and `import issues FILE`: print what changed on standard output and
//! every bad row on standard error as `FILE:LINE: FIELD: message`, the form editors and
//! terminals jump to.

use super::args::{EncodingArg, ImportFirmsArgs, ImportIssuesArgs};
use super::list::Output;
use super::{CliError, CliResult};
use crate::messages as msg;
use crate::store::{Operation, Store, Unfinished};
use crate::transfer::{
    import_firms_marked, import_issues_marked, Encoding, ImportError, ImportOptions, ImportReport,
    IssuesImportError, IssuesImportReport, Outcome, RowError, IMPORTED_AS_CLOSED,
};
use std::path::Path;

pub fn firms(store: &Store, args: ImportFirmsArgs) -> CliResult {
    let path = args.file.display().to_string();
    let bytes = read_input(&args.file)?;
    let options = ImportOptions {
        encoding: encoding(args.encoding),
        dry_run: args.dry_run,
        strict: args.strict,
    };
    let mark = Unfinished::new(Operation::ImportFirms, Some(&args.file));
    let report =
        import_firms_marked(store, &bytes, &options, super::now(), &mark).map_err(|error| {
            match error {
                ImportError::Store(e) => CliError::from(e),
                other => CliError::Input(format!("{path}: {other}")),
            }
        })?;
    print_summary(&path, &report, &options)?;
    for error in &report.errors {
        print_row_error(&path, error);
    }
    if report.is_clean() {
        return Ok(());
    }
    let mut bad_lines: Vec<u64> = report.errors.iter().map(|e| e.line).collect();
    bad_lines.dedup();
    Err(bad_rows(
        &path,
        bad_lines.len() as u64,
        &options,
        report.applied,
        &crate::messages::firms_skipped_others_imported(),
    ))
}

/// How an import with bad rows ends: how many, and what was written. `skipped` says what
/// became of the bad rows when the others were written.
fn bad_rows(
    path: &str,
    count: u64,
    options: &ImportOptions,
    applied: bool,
    skipped: &str,
) -> CliError {
    let consequence = if options.dry_run {
        crate::messages::dry_run_nothing_written()
    } else if !applied {
        crate::messages::strict_nothing_written()
    } else {
        skipped.to_string()
    };
    CliError::Input(crate::messages::bad_rows_in(count, path, &consequence))
}

/// `FILE:LINE: FIELD: message` on standard error; the field and the message may quote the
/// file's text, whose control characters `esay!` makes visible.
fn print_row_error(path: &str, error: &RowError) {
    esay!("{path}:{}: {}: {}", error.line, error.field, error.message);
}

fn encoding(arg: EncodingArg) -> Encoding {
    match arg {
        EncodingArg::Auto => Encoding::Auto,
        EncodingArg::Utf8 => Encoding::Utf8,
        EncodingArg::Gb18030 => Encoding::Gb18030,
    }
}

fn read_input(file: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(file).map_err(|e| cannot_read(file, e))
}

fn cannot_read(file: &Path, e: std::io::Error) -> CliError {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => crate::messages::no_such_file(),
        std::io::ErrorKind::PermissionDenied => crate::messages::permission_denied(),
        std::io::ErrorKind::IsADirectory => crate::messages::is_a_directory(),
        _ => e.to_string(),
    };
    CliError::Input(crate::messages::cannot_read_file(
        &file.display().to_string(),
        &reason,
    ))
}

/// `import issues FILE`: the file streams through (it may hold a million rows), so it is
/// opened rather than read.
pub fn issues(store: &Store, args: ImportIssuesArgs) -> CliResult {
    let path = args.file.display().to_string();
    let file = std::fs::File::open(&args.file).map_err(|e| cannot_read(&args.file, e))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(CliError::Input(crate::messages::cannot_read_file(
            &path,
            &crate::messages::is_a_directory(),
        )));
    }
    let options = ImportOptions {
        encoding: encoding(args.encoding),
        dry_run: args.dry_run,
        strict: args.strict,
    };
    let mark = Unfinished::new(Operation::ImportIssues, Some(&args.file));
    let report =
        import_issues_marked(store, file, &options, super::now(), &mark).map_err(|error| {
            match error {
                IssuesImportError::Store(e) => CliError::from(e),
                IssuesImportError::Read(e) => {
                    CliError::Runtime(crate::messages::cannot_read_file(&path, &e.to_string()))
                }
                other => CliError::Input(format!("{path}: {other}")),
            }
        })?;
    print_issues_summary(&path, &report, &options)?;
    for error in &report.errors {
        print_row_error(&path, error);
    }
    if report.more_errors > 0 {
        esay!(
            "{}",
            crate::messages::more_problems(&path, report.more_errors)
        );
    }
    if report.is_clean() {
        return Ok(());
    }
    Err(bad_rows(
        &path,
        report.bad_rows,
        &options,
        report.applied,
        &crate::messages::rows_skipped_others_imported(),
    ))
}

fn print_issues_summary(
    path: &str,
    report: &IssuesImportReport,
    options: &ImportOptions,
) -> CliResult {
    let mut out = Output::new(false);
    // Names are listed only for a dry run: a real import of a large ledger would print
    // thousands of them; the count is in the summary.
    if options.dry_run {
        // Which rows add an item and which change one (the first hundred).
        for change in &report.changes {
            match change.number {
                None => out.line(&msg::import_would_add_row(change.line))?,
                Some(number) => out.line(&msg::import_would_update_row(
                    change.line,
                    number,
                    &change.changes.join(", "),
                ))?,
            }
        }
        let listed = report.changes.len() as u64;
        if report.added + report.updated > listed {
            out.line(&msg::import_more_rows(
                report.added + report.updated - listed,
            ))?;
        }
        for name in &report.new_firm_names {
            out.line(&msg::import_new_firm(name, report.applied))?;
        }
        let unlisted = report.new_firms - report.new_firm_names.len() as u64;
        if unlisted > 0 {
            out.line(&msg::import_more_firms(unlisted))?;
        }
    }
    for name in &report.new_departments {
        out.line(&msg::import_new_department(name, report.applied))?;
    }
    if !report.ignored_columns.is_empty() {
        out.line(&msg::import_ignored_columns(
            &report.ignored_columns.join(", "),
        ))?;
    }
    for column in &report.unused_columns {
        out.line(&msg::import_not_kept(&column.label, column.reason))?;
    }
    if report.closed_without_resolution > 0 {
        out.line(&msg::import_closed_without_resolution(
            report.closed_without_resolution,
            IMPORTED_AS_CLOSED,
        ))?;
    }
    if report.answers_kept_as_responses > 0 {
        out.line(&msg::import_answers_kept(report.answers_kept_as_responses))?;
    }
    if report.visits_not_found > 0 {
        out.line(&msg::import_visits_not_found(report.visits_not_found))?;
    }
    let created = msg::import_created(report.new_firms, report.new_departments.len());
    // Rows matched to items already there: said only when there are some, as before.
    let matched = match (report.updated, report.unchanged, report.applied) {
        (0, 0, _) => String::new(),
        (updated, unchanged, applied) => msg::import_matched(updated, unchanged, applied),
    };
    let written = if report.applied {
        msg::import_items_done(report.added, &created, &matched, report.bad_rows)
    } else {
        let what = msg::import_items_planned(report.added, &created, &matched, report.bad_rows);
        msg::import_nothing_written(options.dry_run, &what)
    };
    out.line(&msg::import_read_as(
        path,
        &written,
        &report.encoding.to_string(),
    ))?;
    // Standard output first: the bad rows follow it on standard error.
    out.finish()
}

fn print_summary(path: &str, report: &ImportReport, options: &ImportOptions) -> CliResult {
    let mut out = Output::new(false);
    if options.dry_run {
        // A dry run is for seeing what would change, so it names every firm that would.
        for firm in &report.firms {
            match &firm.outcome {
                Outcome::Added => out.line(&msg::import_would_add_firm(&firm.name))?,
                Outcome::Updated { fields } => out.line(&msg::import_would_update_firm(
                    &firm.name,
                    &fields.join(", "),
                ))?,
                Outcome::Unchanged | Outcome::Rejected => {}
            }
        }
    }
    if !report.ignored_columns.is_empty() {
        out.line(&msg::import_ignored_columns(
            &report.ignored_columns.join(", "),
        ))?;
    }
    let (added, updated, unchanged, rejected) = (
        report.added(),
        report.updated(),
        report.unchanged(),
        report.rejected(),
    );
    let written = if report.applied {
        msg::import_firms_done(added, updated, unchanged, rejected)
    } else {
        let what = msg::import_firms_planned(added, updated, unchanged, rejected);
        msg::import_nothing_written(options.dry_run, &what)
    };
    out.line(&msg::import_read_as(
        path,
        &written,
        &report.encoding.to_string(),
    ))?;
    // Standard output first: the bad rows follow it on standard error.
    out.finish()
}
