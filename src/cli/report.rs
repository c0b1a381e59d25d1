//! `report [--period week|month|quarter|year] [--date DAY | --from DAY --to DAY] [--format
//! text|markdown|csv|json] [-o FILE]`: the brief of a period, or every figure of it.

use super::{CliError, CliResult};
use crate::report::brief::{write_brief, BriefFormat, Names};
use crate::report::{figures, Ledger, Period, PeriodKind};
use crate::transfer::ExportError;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// week, month, quarter or year (周, 月, 季度, 年)
    #[arg(long, value_name = "P", default_value = "week")]
    pub period: String,
    /// A day in the period (2025-12-15, 12-15, today, 上周五); today if absent
    #[arg(long, value_name = "DAY", conflicts_with_all = ["from", "to"])]
    pub date: Option<String>,
    /// The first day of a chosen range (with --to)
    #[arg(long, value_name = "DAY", requires = "to")]
    pub from: Option<String>,
    /// The last day of a chosen range (with --from)
    #[arg(long, value_name = "DAY", requires = "from")]
    pub to: Option<String>,
    /// text, markdown, csv or json
    #[arg(long, value_name = "F", default_value = "text")]
    pub format: String,
    /// Write to FILE (readable by its owner only) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn day(flag: &str, text: &str, today: chrono::NaiveDate) -> Result<chrono::NaiveDate, CliError> {
    crate::model::when::parse_date(text, today).map_err(|_| {
        CliError::Input(format!(
            "{flag}: {text} is not a day (2025-12-15, 12-15, today)"
        ))
    })
}

/// The period the arguments name.
fn period(args: &ReportArgs, store: &crate::store::Store) -> Result<Period, CliError> {
    let today = super::now().date_naive();
    let week_start = store.week_start()?;
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        let (from, to) = (day("--from", from, today)?, day("--to", to, today)?);
        return Period::range(from, to, week_start).ok_or_else(|| {
            CliError::Input(format!(
                "--from {from} is after --to {to}; no day is in that range"
            ))
        });
    }
    let kind = PeriodKind::parse(&args.period).ok_or_else(|| {
        CliError::Input(format!(
            "--period: {} is not a period (week, month, quarter, year)",
            args.period
        ))
    })?;
    let on = match &args.date {
        Some(text) => day("--date", text, today)?,
        None => today,
    };
    Ok(Period::containing(kind, on, week_start))
}

pub fn run(store: &crate::store::Store, args: ReportArgs) -> CliResult {
    let format = BriefFormat::parse(&args.format).ok_or_else(|| {
        CliError::Input(format!(
            "--format: {} is not a format (text, markdown, csv, json)",
            args.format
        ))
    })?;
    let period = period(&args, store)?;
    let (ledger, damaged) = Ledger::load(store)?;
    let names = Names::load(store)?;
    let figures = figures(&ledger, &period, super::now().date_naive());
    let write = |out: &mut dyn Write| -> Result<(), ExportError> {
        write_brief(&mut *out, &figures, &ledger, &names, format)?;
        Ok(())
    };
    match &args.output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush().map_err(ExportError::Io)) {
                Err(ExportError::Io(io)) if io.kind() == std::io::ErrorKind::BrokenPipe => {
                    std::process::exit(0)
                }
                Err(e) => return Err(CliError::Runtime(format!("writing the report: {e}"))),
                Ok(()) => {}
            }
        }
        Some(path) => {
            super::export::to_private_file(store, path, |out| write(out))?;
            esay!(
                "report for {} written to {}",
                period.label(),
                path.display()
            );
        }
    }
    super::list::warn_damaged(&damaged);
    if !damaged.is_empty() {
        return Err(CliError::Runtime(format!(
            "{} damaged record(s) left out of the figures; run `liaison check`",
            damaged.len()
        )));
    }
    Ok(())
}
