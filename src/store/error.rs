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
        // The words are in the catalog, in the interface's language.
        f.write_str(&crate::messages::store_error(self))
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
