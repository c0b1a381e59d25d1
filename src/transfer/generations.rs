//! Automatic backups made cheap: the journal (`store::journal`) is the increment, and a full
//! backup is written only now and then — when the journal has grown past `DUE_BYTES`, is a
//! week old, or does not reach back to a full backup — so quitting after a change costs
//! nothing at any size.

use crate::store::journal::{self, Base};
use crate::store::Store;
use std::path::{Path, PathBuf};

/// A journal this long is replayed in about as long as its backup restores: time for a new
/// full backup. Bytes as stored: a bulk write's entries are compressed (about 7x), so this
/// many bytes of them hold more records than of an app's small writes.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Journals older than the oldest backup kept go; the current one and newer ones stay,
    /// and so does everything while no backup exists.
    #[test]
    fn only_journals_before_the_oldest_kept_backup_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let touch = |name: &str| std::fs::write(dir.path().join(name), b"").unwrap();
        for name in [
            "liaison-20250101-000000.journal",
            "liaison-20250102-000000.journal",
            "liaison-20250103-000000.journal",
            "liaison-20250104-000000.journal",
            "someone-else.journal",
        ] {
            touch(name);
        }
        assert_eq!(
            rotate_journals(dir.path(), None).unwrap(),
            Vec::<PathBuf>::new()
        );
        touch("liaison-20250103-000000.jsonl");
        let current = dir.path().join("liaison-20250101-000000.journal");
        let removed = rotate_journals(dir.path(), Some(&current)).unwrap();
        assert_eq!(
            removed,
            vec![dir.path().join("liaison-20250102-000000.journal")]
        );
        let left = journal::generation_files(dir.path(), journal::JOURNAL_SUFFIX).unwrap();
        assert_eq!(left.len(), 3);
        assert!(dir.path().join("someone-else.journal").exists());
    }

    #[test]
    fn a_full_backup_is_due_after_a_gap_a_week_or_64_mib_only() {
        let dir = tempfile::tempdir().unwrap();
        let options = crate::store::OpenOptions {
            journal: crate::store::Journaling::Beside,
            ..Default::default()
        };
        let store = Store::open_with(&dir.path().join("db"), options).unwrap();
        let now = chrono::Local::now().naive_local();
        assert_eq!(full_backup_due(&store, now), None, "nothing written yet");
        store.set_user("王五").unwrap();
        assert_eq!(store.journal_status().unwrap().base, Base::Empty);
        assert_eq!(full_backup_due(&store, now), None);
        let later = now + chrono::Duration::days(DUE_DAYS + 1);
        assert!(full_backup_due(&store, later).unwrap().contains("days old"));
    }
}
