//! Writing: the header, then every record streamed out of the store.

use super::{ledger, Counts, Header, Kind, LineOut, SettingsRecord, FORMAT_NAME, FORMAT_VERSION};
use crate::store::{Store, StoreError, SCHEMA_VERSION};
use crate::transfer::ExportError;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    pub counts: Counts,
}

pub(super) fn write_line(out: &mut impl Write, value: &impl Serialize) -> Result<(), ExportError> {
    crate::transfer::json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

pub(super) fn write_kind<T: Serialize>(
    out: &mut impl Write,
    kind: Kind,
    records: impl Iterator<Item = Result<T, StoreError>>,
) -> Result<u64, ExportError> {
    let mut written = 0;
    for record in records {
        write_line(
            out,
            &LineOut {
                kind: kind.name(),
                record: &record?,
            },
        )?;
        written += 1;
    }
    Ok(written)
}

/// Writes every record of the ledger to `out`, one at a time. A record that cannot be decoded
/// stops the backup with an error naming it: a backup must hold everything.
pub fn write_backup(store: &Store, out: &mut impl Write) -> Result<BackupSummary, ExportError> {
    let counts = ledger::with_log_counts(store, Counts::from(store.record_counts()?));
    write_line(
        out,
        &Header {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            schema: SCHEMA_VERSION,
            liaison: env!("CARGO_PKG_VERSION").into(),
            counts,
        },
    )?;
    let settings = store.settings()?;
    let settings = SettingsRecord {
        user: settings.user,
        sla: settings.sla,
        backups_kept: settings.backups_kept,
        next_issue_number: store.next_issue_number()?,
        retired: settings.retired,
    };
    write_line(
        out,
        &LineOut {
            kind: Kind::Settings.name(),
            record: &settings,
        },
    )?;
    let written = Counts {
        departments: write_kind(out, Kind::Department, store.scan_departments())?,
        categories: write_kind(out, Kind::Category, store.scan_categories())?,
        views: write_kind(out, Kind::View, store.scan_views())?,
        firms: write_kind(out, Kind::Firm, store.scan_firms())?,
        visits: write_kind(out, Kind::Visit, store.scan_visits())?,
        issues: write_kind(out, Kind::Issue, store.scan_issues())?,
        events: write_kind(out, Kind::Event, store.scan_events())?,
        ..ledger::write_log(store, out)?
    };
    // This process holds the database alone, so the counts cannot move; if they ever do, the
    // file would fail its own restore, so say so now.
    if written != counts {
        return Err(ExportError::Store(StoreError::Engine(format!(
            "the database changed while it was backed up (header {counts:?}, written {written:?})"
        ))));
    }
    Ok(BackupSummary { counts })
}
