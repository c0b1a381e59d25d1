//! Automatic backups made cheap: the journal (`store::journal`) is the increment, and a full
//! backup is written only now and then — when the journal has grown past `DUE_BYTES`, is a
//! week old, or does not reach back to a full backup — so quitting after a change costs
//! nothing at any size.

use crate::store::journal::{self, Base};
use crate::store::Store;
use std::path::{Path, PathBuf};

/// A journal this long is replayed in about as long as its backup restores: time for a new
/// full backup.
pub const DUE_BYTES: u64 = 64 << 20;
/// The oldest a journal gets before a full backup, in days.
pub const DUE_DAYS: i64 = 7;

/// Why a full automatic backup is due now, or `None`.
pub fn full_backup_due(store: &Store, now: chrono::NaiveDateTime) -> Option<String> {
    let status = store.journal_status()?;
    if status.base == Base::Gap {
        return Some("the journal does not reach back to a full backup".into());
    }
    if status.bytes > DUE_BYTES {
        return Some(format!(
            "the journal has grown past {} MiB",
            DUE_BYTES >> 20
        ));
    }
    let started = journal::stem_time(&status.stem)?;
    (now - started > chrono::Duration::days(DUE_DAYS))
        .then(|| format!("the last full backup is more than {DUE_DAYS} days old"))
}

/// Removes the journals older than the oldest automatic backup kept (never `current`):
/// a recovery starts from a kept backup and needs only the journals from it on.
pub fn rotate_journals(dir: &Path, current: Option<&Path>) -> std::io::Result<Vec<PathBuf>> {
    let backups = journal::generation_files(dir, journal::BACKUP_SUFFIX)?;
    let Some(oldest) = backups.first().map(|b| journal::stem_of(b)) else {
        return Ok(Vec::new());
    };
    let mut removed = Vec::new();
    for path in journal::generation_files(dir, journal::JOURNAL_SUFFIX)? {
        if journal::stem_of(&path) < oldest && Some(path.as_path()) != current {
            std::fs::remove_file(&path)?;
            removed.push(path);
        }
    }
    Ok(removed)
}
