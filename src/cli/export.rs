//! `export firms [-o FILE]` (CSV), `export agenda [-o FILE]` (iCalendar) and `export issues
//! [-o FILE]` (CSV or JSON): to standard output, or to a file that only its owner can read
//! (the ledger holds people's phone numbers and meeting minutes), replaced in one step so
//! that a failed export never leaves half a file behind.

use super::args::{ExportAgendaArgs, ExportFirmsArgs, ExportIssuesArgs, FormatArg, HeadersArg};
use super::list::warn_damaged;
use super::{CliError, CliResult};
use crate::messages as msg;
use crate::query::{parse, StoreNames};
use crate::store::Store;
use crate::transfer::{
    export_agenda, export_firms, export_issues, AgendaExportOptions, ExportError, ExportOptions,
    FileError, Headers, IssuesExportOptions, IssuesFormat,
};
use std::io::{BufWriter, Write};
use std::path::Path;

fn headers(arg: HeadersArg) -> Headers {
    match arg {
        HeadersArg::Zh => Headers::Chinese,
        HeadersArg::En => Headers::English,
    }
}

pub fn firms(store: &Store, args: ExportFirmsArgs) -> CliResult {
    let options = ExportOptions {
        headers: headers(args.headers),
        include_archived: args.archived,
    };
    let summary = match &args.output {
        None => to_stdout(|out| export_firms(store, out, &options))?,
        Some(path) => {
            let summary = to_private_file(store, path, |out| export_firms(store, out, &options))?;
            esay!(
                "{}",
                msg::exported_firms(summary.firms, summary.rows, &path.display().to_string())
            );
            summary
        }
    };
    warn_damaged(&summary.damaged);
    if !summary.damaged.is_empty() {
        return Err(CliError::Runtime(msg::damaged_firms_left_out(
            summary.damaged.len(),
        )));
    }
    Ok(())
}

pub fn agenda(store: &Store, args: ExportAgendaArgs) -> CliResult {
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            return Err(CliError::Input(msg::from_after_to(
                &from.to_string(),
                &to.to_string(),
            )));
        }
    }
    let options = AgendaExportOptions {
        from: args.from,
        to: args.to,
        include_cancelled: !args.no_cancelled,
    };
    let summary = match &args.output {
        None => to_stdout(|out| export_agenda(store, out, &options))?,
        Some(path) => {
            let summary = to_private_file(store, path, |out| export_agenda(store, out, &options))?;
            esay!(
                "{}",
                msg::exported_visits(
                    summary.visits,
                    summary.cancelled,
                    &path.display().to_string()
                )
            );
            summary
        }
    };
    warn_damaged(&summary.damaged);
    if !summary.damaged.is_empty() {
        return Err(CliError::Runtime(msg::damaged_visits_left_out(
            summary.damaged.len(),
        )));
    }
    Ok(())
}

pub fn issues(store: &Store, args: ExportIssuesArgs) -> CliResult {
    let filter = parse(args.filter.as_deref().unwrap_or_default())
        .map_err(|e| CliError::Input(format!("--filter: {e}")))?;
    let resolved = StoreNames::load(store)?
        .resolve(&filter)
        .map_err(|e| CliError::Input(format!("--filter: {e}")))?;
    let options = IssuesExportOptions {
        format: match args.format {
            FormatArg::Csv => IssuesFormat::Csv,
            FormatArg::Json => IssuesFormat::Json,
        },
        headers: headers(args.headers),
        filter: (!resolved.is_empty()).then_some(resolved),
        sort: args.sort.or(filter.sort).unwrap_or_default(),
        today: super::now().date_naive(),
    };
    let summary = match &args.output {
        None => to_stdout(|out| export_issues(store, out, &options))?,
        Some(path) => {
            let summary = to_private_file(store, path, |out| export_issues(store, out, &options))?;
            esay!(
                "{}",
                msg::exported_items(summary.issues, &path.display().to_string())
            );
            summary
        }
    };
    warn_damaged(&summary.damaged);
    if !summary.damaged.is_empty() {
        return Err(CliError::Runtime(msg::damaged_items_left_out(
            summary.damaged.len(),
        )));
    }
    Ok(())
}

fn to_stdout<S>(
    export: impl FnOnce(&mut BufWriter<std::io::StdoutLock<'static>>) -> Result<S, ExportError>,
) -> Result<S, CliError> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = export(&mut out).and_then(|summary| {
        out.flush()?;
        Ok(summary)
    });
    written.map_err(|e| match e {
        ExportError::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe => {
            // The reader has gone (`| head`); nothing more to say.
            std::process::exit(0)
        }
        ExportError::Io(io) => CliError::Runtime(format!("writing the export: {io}")),
        ExportError::Store(e) => e.into(),
    })
}

pub(super) fn to_private_file<S>(
    store: &Store,
    path: &Path,
    export: impl FnOnce(&mut BufWriter<&std::fs::File>) -> Result<S, ExportError>,
) -> Result<S, CliError> {
    let shown = path.display();
    crate::transfer::write_private_file(path, store.path(), export).map_err(|e| match e {
        // A path that cannot be created is the user's input; a failed write is not.
        FileError::Create(_) | FileError::IntoDatabase(_) => {
            CliError::Input(format!("{shown}: {e}"))
        }
        FileError::Write(_) => CliError::Runtime(format!("{shown}: {e}")),
        FileError::Store(e) => e.into(),
    })
}
