//! `recover`: a database rebuilt, in a new directory, from the newest automatic backup that
//! reads whole plus every journal written since (`store::journal`). The damaged database is
//! never opened: everything comes from the backups directory.

use super::backup::{restore_backup, Counts, RestoreError};
use crate::store::journal::{self, Base, Op};
use crate::store::{Store, StoreError};
use std::fmt;
use std::path::{Path, PathBuf};

/// One journal replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed {
    pub path: PathBuf,
    pub entries: u64,
    /// An unfinished last entry (a write cut short, never acknowledged): its size in bytes.
    pub torn: Option<u64>,
}

/// What a recovery used and what it could not bring back.
#[derive(Debug, Default)]
pub struct Recovery {
    /// The full backup it started from, with what it held; `None`: from an empty database.
    pub backup: Option<(PathBuf, Counts)>,
    /// Newer backups that did not read whole, and why.
    pub skipped: Vec<(PathBuf, String)>,
    pub journals: Vec<Replayed>,
    /// Writes the backups and journals held that could not be brought back, or gaps in them.
    pub lost: Vec<String>,
}

impl Recovery {
    pub fn entries(&self) -> u64 {
        self.journals.iter().map(|j| j.entries).sum()
    }
}

#[derive(Debug)]
pub enum RecoverError {
    /// The backups directory cannot be read.
    Directory(PathBuf, std::io::Error),
    /// Another process holds the database (and so its journal).
    InUse(PathBuf),
    /// Neither a backup that reads whole nor a journal that starts from an empty database.
    NothingToStartFrom {
        dir: PathBuf,
        skipped: Vec<(PathBuf, String)>,
    },
    Store(StoreError),
}

impl fmt::Display for RecoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecoverError::Directory(dir, e) => write!(f, "{}: {e}", dir.display()),
            RecoverError::InUse(path) => write!(
                f,
                "{} is held by a running liaison; close it, then recover",
                path.display()
            ),
            RecoverError::NothingToStartFrom { dir, skipped } => {
                write!(
                    f,
                    "nothing to rebuild from in {}: no automatic backup reads whole and no \
                     journal starts from an empty database",
                    dir.display()
                )?;
                for (path, why) in skipped {
                    write!(f, "\n  {}: {why}", path.display())?;
                }
                Ok(())
            }
            RecoverError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RecoverError {}

impl From<StoreError> for RecoverError {
    fn from(e: StoreError) -> Self {
        RecoverError::Store(e)
    }
}

/// A journal file, read and checked.
struct JournalFile {
    path: PathBuf,
    stem: String,
    scan: journal::Scan,
}

fn read_journals(dir: &Path) -> Result<Vec<JournalFile>, RecoverError> {
    let listed = |e| RecoverError::Directory(dir.to_path_buf(), e);
    let mut out = Vec::new();
    for path in journal::generation_files(dir, journal::JOURNAL_SUFFIX).map_err(listed)? {
        let file = std::fs::File::open(&path).map_err(listed)?;
        if let Err(std::fs::TryLockError::WouldBlock) = file.try_lock_shared() {
            return Err(RecoverError::InUse(path));
        }
        let bytes = std::fs::read(&path).map_err(listed)?;
        out.push(JournalFile {
            stem: journal::stem_of(&path),
            scan: journal::scan(&bytes),
            path,
        });
    }
    Ok(out)
}

/// Rebuilds into `into` (a new, empty database) from the automatic backups and journals in
/// `dir`.
pub fn recover(dir: &Path, into: &Store) -> Result<Recovery, RecoverError> {
    // ISSUE-16 point 6 (in-progress marks, another branch): mark `into` as a recovery in
    // progress here with the store function that branch adds, and clear the mark after
    // `into.flush()` below, so that a recovery cut short is named as such.
    let journals = read_journals(dir)?;
    let backups = journal::generation_files(dir, journal::BACKUP_SUFFIX)
        .map_err(|e| RecoverError::Directory(dir.to_path_buf(), e))?;
    let mut recovery = Recovery::default();
    // The newest backup that restores whole (each line is checked before anything is
    // written, so a bad one leaves `into` empty).
    let mut from_stem = None;
    for path in backups.iter().rev() {
        match restore_backup(into, path) {
            Ok(summary) => {
                from_stem = Some(journal::stem_of(path));
                recovery.backup = Some((path.clone(), summary.counts));
                break;
            }
            // The new database refused (not empty): no other backup would do better.
            Err(RestoreError::Store { line: None, error }) => return Err(error.into()),
            Err(e) => recovery.skipped.push((path.clone(), e.to_string())),
        }
    }
    let first = match &from_stem {
        Some(stem) => journals.iter().position(|j| j.stem >= *stem),
        // From nothing: the newest journal that starts from an empty database.
        None => journals.iter().rposition(|j| {
            j.scan
                .header
                .as_ref()
                .is_some_and(|h| h.base == Base::Empty)
        }),
    };
    if from_stem.is_none() && first.is_none() {
        return Err(RecoverError::NothingToStartFrom {
            dir: dir.to_path_buf(),
            skipped: recovery.skipped,
        });
    }
    if let Some(stem) = &from_stem {
        // A full backup's journal is started before the backup is written: without it, the
        // writes after the backup up to the next journal are in neither.
        let next = journals.iter().find(|j| j.stem >= *stem);
        if let Some(next) = next.filter(|j| j.stem != *stem) {
            recovery.lost.push(format!(
                "no journal follows the backup {stem}: writes between it and {} are missing",
                next.stem
            ));
        }
    }
    for (i, file) in journals
        .iter()
        .enumerate()
        .skip(first.unwrap_or(journals.len()))
    {
        let is_first = i == first.unwrap_or(0);
        replay_file(into, file, is_first && from_stem.is_none(), &mut recovery)?;
    }
    // The journal holds records, not operations: the log starts again from them.
    into.restart_log()?;
    into.flush()?;
    Ok(recovery)
}

fn replay_file(
    into: &Store,
    file: &JournalFile,
    starts_chain: bool,
    recovery: &mut Recovery,
) -> Result<(), RecoverError> {
    let name = file.path.display();
    if let Some(header) = &file.scan.header {
        if header.base == Base::Gap && !starts_chain {
            recovery.lost.push(format!(
                "{name}: started after writes that no journal holds (the database was filled \
                 by a copy, or written by an older liaison); what they changed after the \
                 backup is missing unless a later entry set it again"
            ));
        }
    }
    let mut replayed = Replayed {
        path: file.path.clone(),
        entries: 0,
        torn: file.scan.torn.map(|(_, len)| len),
    };
    for damage in &file.scan.damaged {
        let held = if damage.held.is_empty() {
            "what they held cannot be read".to_string()
        } else {
            format!("they held {}", damage.held.join(", "))
        };
        recovery.lost.push(format!(
            "{name}: {} damaged bytes at offset {} were skipped; {held}",
            damage.bytes, damage.offset
        ));
    }
    for (offset, payload) in &file.scan.entries {
        let ops: Vec<Op> = match journal::decode_entry(payload) {
            Ok(ops) => ops,
            Err(e) => {
                recovery.lost.push(format!(
                    "{name}: the entry at offset {offset} cannot be read ({e})"
                ));
                continue;
            }
        };
        match into.replay(&ops) {
            Ok(()) => replayed.entries += 1,
            Err(e) => recovery.lost.push(format!(
                "{name}: the entry at offset {offset} could not be applied ({e}); it held {}",
                ops.iter().map(Op::describe).collect::<Vec<_>>().join(", ")
            )),
        }
    }
    recovery.journals.push(replayed);
    Ok(())
}

/// One line for a database that cannot be opened: what `recover` would use, or `None` when
/// the backups directory holds nothing to rebuild from.
pub fn plan(dir: &Path) -> Option<String> {
    let backups = journal::generation_files(dir, journal::BACKUP_SUFFIX).unwrap_or_default();
    let journals = journal::generation_files(dir, journal::JOURNAL_SUFFIX).unwrap_or_default();
    let newest = backups.last();
    let after: Vec<&PathBuf> = journals
        .iter()
        .filter(|j| newest.is_none_or(|b| journal::stem_of(j) >= journal::stem_of(b)))
        .collect();
    let entries: usize = after
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|bytes| journal::scan(&bytes).entries.len())
        .sum();
    let base = match newest {
        Some(backup) => format!(
            "the automatic backup {}{}",
            backup.display(),
            journal::stem_time(&journal::stem_of(backup))
                .map(|t| format!(" ({})", t.format("%Y-%m-%d %H:%M")))
                .unwrap_or_default()
        ),
        None if !after.is_empty() => "an empty database".to_string(),
        None => return None,
    };
    Some(format!(
        "`liaison recover --into NEWDIR` can rebuild it in a new directory from {base} and \
         {entries} journal entries written since ({} journal files in {}), leaving it untouched",
        after.len(),
        dir.display()
    ))
}
