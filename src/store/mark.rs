//! The mark of a long write in progress (a restore, a demo, an import): set and flushed before
//! its first write, cleared and flushed after its last. A database that still has it was
//! stopped part way (a kill, a power cut) and holds half of what the operation writes, so
//! every command refuses it except the same operation again (which resumes or starts over),
//! `check` (which reports it) and `recover`: see `Store::refuse_if_unfinished`.

use super::{codec, Store, StoreError, META};
use serde::{Deserialize, Serialize};
use std::fmt;

const META_UNFINISHED: &[u8] = b"unfinished";
/// What builds before the general mark wrote while a restore (or `demo`'s copy) was writing:
/// still read, as an interrupted restore, and cleared with the mark.
const META_RESTORING_OLD: &[u8] = b"restore_incomplete";

/// The long writes that mark the database. New variants go at the end: the mark is stored
/// with the variant's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operation {
    Restore,
    Demo,
    ImportIssues,
    ImportFirms,
}

impl Operation {
    /// The command that runs it, as a person types it.
    pub fn command(self) -> &'static str {
        match self {
            Operation::Restore => "restore",
            Operation::Demo => "demo",
            Operation::ImportIssues => "import issues",
            Operation::ImportFirms => "import firms",
        }
    }
}

/// A long write that started and has not finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unfinished {
    pub operation: Operation,
    /// The file it reads (a backup, a CSV file) as given, made absolute; empty for none.
    pub file: String,
    /// When it started, RFC 3339 in the laptop's offset; empty when unknown.
    pub started: String,
    /// The process that ran it (0 when unknown).
    pub pid: u32,
}

impl Unfinished {
    pub fn new(operation: Operation, file: Option<&std::path::Path>) -> Unfinished {
        let file = file
            .map(|f| std::path::absolute(f).unwrap_or_else(|_| f.to_path_buf()))
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        Unfinished {
            operation,
            file,
            started: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            pid: std::process::id(),
        }
    }

    /// Does running `other` resume (or start over) this one? A restore or a demo empties the
    /// database first, whatever it then reads; an import must be of the same file, or the
    /// first would stay half done.
    pub fn is_resumed_by(&self, other: &Unfinished) -> bool {
        let same_file = self.file.is_empty() || self.file == other.file;
        self.operation == other.operation
            && (same_file || matches!(self.operation, Operation::Restore | Operation::Demo))
    }

    /// What running it again does, for the messages that name the mark.
    pub fn remedy(&self) -> &'static str {
        match self.operation {
            Operation::Restore => "run the restore again: it empties the database and starts over",
            Operation::Demo => "run `liaison demo` again: it empties the database and starts over",
            Operation::ImportIssues => "run the same import again: rows already imported are matched to their items, the rest are added",
            Operation::ImportFirms => "run the same import again: firms are matched by name, so it completes without duplicates",
        }
    }
}

impl fmt::Display for Unfinished {
    /// `import issues of /path/ledger.csv (started 2026-12-03T17:25:22+08:00 by process 4242)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.operation.command())?;
        if !self.file.is_empty() {
            let file: String = self.file.chars().map(crate::text::printable).collect();
            write!(f, " of {file}")?;
        }
        match (self.started.is_empty(), self.pid) {
            (true, _) => Ok(()),
            (false, 0) => write!(f, " (started {})", self.started),
            (false, pid) => write!(f, " (started {} by process {pid})", self.started),
        }
    }
}

/// Whether a caller runs on a database that holds a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenUnfinished<'a> {
    /// Refuse unless the mark is this operation on this file (the caller resumes it).
    Resume(&'a Unfinished),
    /// Refuse whatever the mark says.
    Refuse,
}

impl Store {
    /// The long write this database was left in the middle of, if any: the one place that
    /// says so. A mark that cannot be decoded is still a mark (of an unknown operation: a
    /// restore, the only one that wrote marks in older builds).
    pub fn unfinished(&self) -> Result<Option<Unfinished>, StoreError> {
        let meta = &self.trees[META];
        if let Some(bytes) = meta.get(META_UNFINISHED)? {
            return Ok(Some(codec::decode(&bytes).unwrap_or_else(|_| unknown())));
        }
        Ok(meta.get(META_RESTORING_OLD)?.map(|_| unknown()))
    }

    /// `Ok` when this database holds no mark, or the mark is the operation `when` resumes;
    /// otherwise the mark, for the caller's message. Callers that work on a marked database
    /// on purpose (`check`, `recover`) read `unfinished` instead and do not call this.
    pub fn refuse_if_unfinished(&self, when: WhenUnfinished<'_>) -> Result<(), Unfinished> {
        let mark = match self.unfinished() {
            Ok(None) => return Ok(()),
            Ok(Some(mark)) => mark,
            // The mark cannot even be read: refuse, as for an unknown operation.
            Err(_) => unknown(),
        };
        match when {
            WhenUnfinished::Resume(next) if mark.is_resumed_by(next) => Ok(()),
            _ => Err(mark),
        }
    }

    /// Marks the database before the first write of `operation`, durably.
    pub fn mark_unfinished(&self, operation: &Unfinished) -> Result<(), StoreError> {
        self.trees[META].insert(META_UNFINISHED, codec::encode(operation))?;
        self.flush()
    }

    /// Clears the mark after the last write, durably.
    pub fn clear_unfinished(&self) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        batch.remove(META_UNFINISHED);
        batch.remove(META_RESTORING_OLD);
        self.trees[META].apply_batch(batch)?;
        self.flush()
    }

    /// Is `key` of `meta` one of the mark's (which a copy of the database leaves behind)?
    pub(super) fn is_mark_key(key: &[u8]) -> bool {
        key == META_UNFINISHED || key == META_RESTORING_OLD
    }
}

fn unknown() -> Unfinished {
    Unfinished {
        operation: Operation::Restore,
        file: String::new(),
        started: String::new(),
        pid: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Set, read back after reopening, refused except by the same operation on the same
    /// file, cleared; the mark older builds wrote reads as an interrupted restore.
    #[test]
    fn a_mark_survives_reopening_and_refuses_all_but_its_own_operation() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("ledger.csv");
        let import = Unfinished::new(Operation::ImportIssues, Some(&ledger));
        {
            let store = Store::open(&dir.path().join("db")).unwrap();
            assert_eq!(store.unfinished().unwrap(), None);
            store.mark_unfinished(&import).unwrap();
        }
        let store = Store::open(&dir.path().join("db")).unwrap();
        assert_eq!(store.unfinished().unwrap(), Some(import.clone()));
        let again = Unfinished::new(Operation::ImportIssues, Some(&ledger));
        assert_eq!(
            store.refuse_if_unfinished(WhenUnfinished::Resume(&again)),
            Ok(())
        );
        let other_file = Unfinished::new(Operation::ImportIssues, Some(&dir.path().join("b")));
        let demo = Unfinished::new(Operation::Demo, None);
        // A restore starts over from any backup.
        let restore = Unfinished::new(Operation::Restore, Some(&ledger));
        let other_backup = Unfinished::new(Operation::Restore, Some(&dir.path().join("b")));
        assert!(restore.is_resumed_by(&other_backup));
        assert!(!import.is_resumed_by(&other_file));
        for when in [
            WhenUnfinished::Resume(&other_file),
            WhenUnfinished::Resume(&demo),
            WhenUnfinished::Refuse,
        ] {
            assert_eq!(store.refuse_if_unfinished(when), Err(import.clone()));
        }
        assert!(import.to_string().starts_with("import issues of "));
        store.clear_unfinished().unwrap();
        assert_eq!(store.unfinished().unwrap(), None);

        store.trees[META]
            .insert(META_RESTORING_OLD, codec::encode(&true))
            .unwrap();
        let old = store.unfinished().unwrap().unwrap();
        assert_eq!(old.operation, Operation::Restore);
        assert_eq!(old.to_string(), "restore");
        store.clear_unfinished().unwrap();
        assert_eq!(store.unfinished().unwrap(), None);
    }
}
