//! `import firms FILE`: prints what changed on standard output and every bad row on standard
//! error as `FILE:LINE: FIELD: message`, the form editors and terminals jump to.

use super::args::{EncodingArg, ImportFirmsArgs};
use super::list::Output;
use super::{CliError, CliResult};
use crate::store::Store;
use crate::transfer::{import_firms, Encoding, ImportError, ImportOptions, ImportReport, Outcome};
use std::path::Path;

pub fn firms(store: &Store, args: ImportFirmsArgs) -> CliResult {
    let path = args.file.display().to_string();
    let bytes = read_input(&args.file)?;
    let options = ImportOptions {
        encoding: match args.encoding {
            EncodingArg::Auto => Encoding::Auto,
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Gb18030 => Encoding::Gb18030,
        },
        dry_run: args.dry_run,
        strict: args.strict,
    };
    let report =
        import_firms(store, &bytes, &options, super::now()).map_err(|error| match error {
            ImportError::Store(e) => CliError::from(e),
            other => CliError::Input(format!("{path}: {other}")),
        })?;
    print_summary(&path, &report, &options)?;
    for error in &report.errors {
        eprintln!("{path}:{}: {}: {}", error.line, error.field, error.message);
    }
    if report.is_clean() {
        return Ok(());
    }
    let consequence = if options.dry_run {
        "dry run, nothing was written"
    } else if !report.applied {
        "nothing was written (--strict)"
    } else {
        "the firms they belong to were skipped, the others imported"
    };
    let mut bad_lines: Vec<u64> = report.errors.iter().map(|e| e.line).collect();
    bad_lines.dedup();
    Err(CliError::Input(format!(
        "{} bad row(s) in {path}; {consequence}",
        bad_lines.len()
    )))
}

fn read_input(file: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(file).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
            _ => e.to_string(),
        };
        CliError::Input(format!("{}: cannot read: {reason}", file.display()))
    })
}

fn print_summary(path: &str, report: &ImportReport, options: &ImportOptions) -> CliResult {
    let mut out = Output::new(false);
    if options.dry_run {
        // A dry run is for seeing what would change, so it names every firm that would.
        for firm in &report.firms {
            match &firm.outcome {
                Outcome::Added => out.line(&format!("would add {}", firm.name))?,
                Outcome::Updated { fields } => out.line(&format!(
                    "would update {}: {}",
                    firm.name,
                    fields.join(", ")
                ))?,
                Outcome::Unchanged | Outcome::Rejected => {}
            }
        }
    }
    if !report.ignored_columns.is_empty() {
        out.line(&format!(
            "ignored columns: {}",
            report.ignored_columns.join(", ")
        ))?;
    }
    let (added, updated, unchanged, rejected) = (
        report.added(),
        report.updated(),
        report.unchanged(),
        report.rejected(),
    );
    let written = if report.applied {
        format!("{added} added, {updated} updated, {unchanged} unchanged, {rejected} skipped")
    } else {
        let why = if options.dry_run {
            "dry run"
        } else {
            "bad rows under --strict"
        };
        format!(
            "{why}, nothing written: {added} to add, {updated} to update, {unchanged} unchanged, {rejected} to skip"
        )
    };
    out.line(&format!("{path}: {written} (read as {})", report.encoding))?;
    // Standard output first: the bad rows follow it on standard error.
    out.finish()
}
