//! Automatic backups: named by time, written before risky steps, rotated.

use super::write_backup;
use crate::store::journal::Base;
use crate::store::Store;
use crate::transfer::FileError;
use std::fmt;
use std::path::{Path, PathBuf};

const AUTO_PREFIX: &str = "liaison-";
const AUTO_SUFFIX: &str = ".jsonl";

/// `liaison-YYYYMMDD-HHMMSS.jsonl`: names sort in time order.
pub fn automatic_backup_name(at: chrono::NaiveDateTime) -> String {
    format!("{AUTO_PREFIX}{}{AUTO_SUFFIX}", at.format("%Y%m%d-%H%M%S"))
}

/// Only names this module writes, so that rotation never deletes a file someone put there.
fn is_automatic_backup_name(name: &str) -> bool {
    let Some(stamp) = name
        .strip_prefix(AUTO_PREFIX)
        .and_then(|rest| rest.strip_suffix(AUTO_SUFFIX))
    else {
        return false;
    };
    let bytes = stamp.as_bytes();
    bytes.len() == 15
        && bytes[8] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 8 || b.is_ascii_digit())
}

/// The automatic backups in `dir`, oldest first.
pub fn automatic_backups(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_str().is_some_and(is_automatic_backup_name) && entry.file_type()?.is_file() {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// Deletes all but the newest `keep` automatic backups in `dir`; returns what it deleted.
pub fn rotate_backups(dir: &Path, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let found = automatic_backups(dir)?;
    let excess = found.len().saturating_sub(keep);
    let old: Vec<PathBuf> = found.into_iter().take(excess).collect();
    for path in &old {
        std::fs::remove_file(path)?;
    }
    Ok(old)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoBackup {
    /// Automatic backups are turned off (kept = 0).
    Off,
    Written(PathBuf),
    /// The ledger is byte for byte the newest backup already there, which is kept instead,
    /// so that looking without changing anything does not push older backups out.
    Unchanged(PathBuf),
}

#[derive(Debug)]
pub enum AutoBackupError {
    Directory(PathBuf, std::io::Error),
    File(PathBuf, FileError),
    Rotate(PathBuf, std::io::Error),
}

impl fmt::Display for AutoBackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AutoBackupError::Directory(dir, e) => {
                write!(f, "cannot create the directory {}: {e}", dir.display())
            }
            AutoBackupError::File(path, e) => write!(f, "{}: {e}", path.display()),
            AutoBackupError::Rotate(dir, e) => {
                write!(f, "cannot remove old backups in {}: {e}", dir.display())
            }
        }
    }
}

impl std::error::Error for AutoBackupError {}

/// Writes `dir/liaison-YYYYMMDD-HHMMSS.jsonl` (the directory is created private), then keeps
/// only the newest `keep` backups there.
pub fn automatic_backup(
    store: &Store,
    dir: &Path,
    keep: u16,
    at: chrono::NaiveDateTime,
) -> Result<AutoBackup, AutoBackupError> {
    if keep == 0 {
        return Ok(AutoBackup::Off);
    }
    create_private_dir(dir).map_err(|e| AutoBackupError::Directory(dir.to_path_buf(), e))?;
    let previous = automatic_backups(dir)
        .map_err(|e| AutoBackupError::Directory(dir.to_path_buf(), e))?
        .pop();
    // A journal that does not follow a backup, started this same second, must not be taken
    // for the one that follows this backup: the backup is named a second on.
    let at = match store.journal_status() {
        Some(s) if s.base != Base::Continued && s.stem == crate::store::journal::stem(at) => {
            at + chrono::Duration::seconds(1)
        }
        _ => at,
    };
    let path = dir.join(automatic_backup_name(at));
    // Writes from now on go to the journal that follows this backup.
    store
        .start_generation(&crate::store::journal::stem(at))
        .map_err(|e| AutoBackupError::File(path.clone(), FileError::Store(e)))?;
    crate::transfer::write_private_file(&path, store.path(), |out| write_backup(store, out))
        .map_err(|e| AutoBackupError::File(path.clone(), e))?;
    let outcome = match previous {
        Some(previous) if previous != path && same_contents(&previous, &path).unwrap_or(false) => {
            std::fs::remove_file(&path).map_err(|e| AutoBackupError::Rotate(dir.into(), e))?;
            AutoBackup::Unchanged(previous)
        }
        _ => AutoBackup::Written(path),
    };
    rotate_backups(dir, usize::from(keep)).map_err(|e| AutoBackupError::Rotate(dir.into(), e))?;
    let current = store.journal_status().map(|s| s.path);
    crate::transfer::generations::rotate_journals(dir, current.as_deref())
        .map_err(|e| AutoBackupError::Rotate(dir.into(), e))?;
    Ok(outcome)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn same_contents(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (fa, fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    if fa.metadata()?.len() != fb.metadata()?.len() {
        return Ok(false);
    }
    let mut ra = std::io::BufReader::with_capacity(1 << 16, fa);
    let mut rb = std::io::BufReader::with_capacity(1 << 16, fb);
    let (mut ba, mut bb) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = ra.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        rb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}
