use super::codec::DecodeError;
use crate::model::{FieldError, Id};
use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum StoreError {
    /// Another liaison process holds the database's lock.
    InUse {
        path: PathBuf,
    },
    /// The directory could not be opened or created.
    Open {
        path: PathBuf,
        reason: String,
    },
    /// The database was written by a newer liaison.
    TooNew {
        found: u16,
        supported: u16,
    },
    /// A record could not be read back.
    Corrupt {
        tree: &'static str,
        key: String,
        error: DecodeError,
    },
    Invalid(FieldError),
    DuplicateName {
        name: String,
        existing: Id,
    },
    NotFound {
        what: &'static str,
        key: String,
    },
    /// A record written twice where a key may be used once (a restore's input repeats itself).
    Duplicate {
        what: &'static str,
        key: String,
    },
    /// A restore was asked to write into a database that already holds records.
    NotEmpty {
        path: PathBuf,
    },
    /// The database has an older schema and this build has no step from `from` onwards.
    NoMigration {
        path: PathBuf,
        found: u16,
        from: u16,
    },
    /// The copy taken before a migration could not be written; the database is unchanged.
    MigrationBackup {
        path: PathBuf,
        reason: String,
    },
    /// A migration step failed; `copy` is the database as it was before the first step.
    MigrationFailed {
        from: u16,
        copy: PathBuf,
        reason: String,
    },
    /// The disk has no room left. sled's own error does not say which database; the store
    /// fills in `path` (and what is free, and the highest item number made durable) where
    /// it knows them (`Store::located`).
    DiskFull {
        path: Option<PathBuf>,
        free_bytes: Option<u64>,
        last_item: Option<u32>,
    },
    /// The storage engine failed (an I/O error …).
    Engine(String),
    /// Another ledger's operations could not be applied; nothing of them was.
    Sync {
        reason: String,
    },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::InUse { path } => write!(
                f,
                "the database at {} is in use by another liaison process",
                path.display()
            ),
            StoreError::Open { path, reason } => {
                write!(f, "cannot open the database at {}: {reason}", path.display())
            }
            StoreError::TooNew { found, supported } => write!(
                f,
                "this database has schema v{found}, written by a newer liaison; this build reads up to v{supported}"
            ),
            StoreError::Corrupt { tree, key, error } => {
                write!(f, "damaged record in {tree} (key {key}): {error}")
            }
            StoreError::Invalid(e) => write!(f, "{}", crate::messages::field_error(e)),
            StoreError::DuplicateName { name, .. } => {
                write!(f, "a firm named {name} already exists")
            }
            StoreError::NotFound { what, key } => write!(f, "no {what} {key}"),
            StoreError::Sync { reason } => {
                write!(f, "the operations were not applied (nothing was): {reason}")
            }
            StoreError::Duplicate { what, key } => write!(f, "{what} {key} appears twice"),
            StoreError::NotEmpty { path } => write!(
                f,
                "the database at {} is not empty; restore only into a new directory or an empty database",
                path.display()
            ),
            StoreError::NoMigration { path, found, from } => write!(
                f,
                "the database at {} has schema v{found}, which this liaison cannot upgrade \
                 (it has no migration from v{from}); it was left unchanged",
                path.display()
            ),
            StoreError::MigrationBackup { path, reason } => write!(
                f,
                "the database needs upgrading, but the backup taken first could not be written \
                 ({}: {reason}); the database was left unchanged",
                path.display()
            ),
            StoreError::MigrationFailed { from, copy, reason } => write!(
                f,
                "upgrading the database from schema v{from} failed: {reason}; a copy of it as it \
                 was before the upgrade is in {}",
                copy.display()
            ),
            StoreError::DiskFull {
                path,
                free_bytes,
                last_item,
            } => {
                match path {
                    Some(path) => write!(f, "the disk holding {} is full", path.display())?,
                    None => write!(f, "the disk holding the database is full")?,
                }
                if let Some(free) = free_bytes {
                    write!(f, ": {} MiB free", free >> 20)?;
                }
                // sled may have put part of the unconfirmed writes on disk before it ran out
                // of room; what was confirmed is all there.
                match last_item {
                    Some(number) if *number > 0 => write!(
                        f,
                        "; every change saved before is kept (items up to #{number}), nothing \
                         written after item #{number} was confirmed"
                    )?,
                    Some(_) => write!(
                        f,
                        "; every change saved before is kept, nothing after it was confirmed"
                    )?,
                    None => write!(f, "; nothing was written")?,
                }
                write!(f, " (free some space and run it again)")
            }
            StoreError::Engine(reason) => write!(f, "storage error: {reason}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        StoreError::Invalid(e)
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        match &e {
            sled::Error::Io(io) if super::files::is_disk_full(io) => StoreError::DiskFull {
                path: None,
                free_bytes: None,
                last_item: None,
            },
            _ => StoreError::Engine(e.to_string()),
        }
    }
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(e: sled::transaction::TransactionError<StoreError>) -> Self {
        match e {
            sled::transaction::TransactionError::Abort(e) => e,
            sled::transaction::TransactionError::Storage(e) => e.into(),
        }
    }
}
