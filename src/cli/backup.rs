//! `backup FILE`, `restore FILE`, and the automatic backup written when the app quits.

use super::args::{BackupArgs, RestoreArgs};
use super::{CliError, CliResult};
use crate::store::{Store, StoreError};
use crate::transfer::backup::{
    automatic_backup, restore_backup, write_backup, AutoBackup, Counts, RestoreError,
};
use crate::transfer::FileError;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn describe(counts: &Counts) -> String {
    format!(
        "{} firms, {} visits, {} items with {} history events, {} departments, {} categories, {} views",
        counts.firms,
        counts.visits,
        counts.issues,
        counts.events,
        counts.departments,
        counts.categories,
        counts.views
    )
}

pub fn backup(store: &Store, args: BackupArgs) -> CliResult {
    let started = Instant::now();
    let shown = args.file.display();
    let summary = crate::transfer::write_private_file(&args.file, store.path(), |out| {
        write_backup(store, out)
    })
    .map_err(|e| match e {
        // A path that cannot be created is the user's input; a failed write is not.
        FileError::Create(_) | FileError::IntoDatabase(_) => {
            CliError::Input(format!("{shown}: {e}"))
        }
        FileError::Write(_) => CliError::Runtime(format!("{shown}: {e}")),
        FileError::Store(e @ StoreError::Corrupt { .. }) => CliError::Runtime(format!(
            "{e}; nothing was written (a backup holds every record): run `liaison check`"
        )),
        FileError::Store(e) => e.into(),
    })?;
    eprintln!(
        "backed up {} to {} in {:.1} s",
        describe(&summary.counts),
        shown,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn restore(store: &Store, args: RestoreArgs) -> CliResult {
    let started = Instant::now();
    let shown = args.file.display();
    let summary = restore_backup(store, &args.file).map_err(|e| match e {
        RestoreError::Open(_) => CliError::Input(format!("{shown}: {e}")),
        RestoreError::Read(_) => CliError::Runtime(format!("{shown}: {e}")),
        // FILE:LINE: message, as the CSV import names its rows.
        RestoreError::Line { line, message } => {
            CliError::Input(format!("{shown}:{line}: {message}"))
        }
        RestoreError::Store { line: None, error } => error.into(),
        RestoreError::Store { .. } => CliError::Runtime(format!("{shown}: {e}")),
    })?;
    eprintln!(
        "restored {} from {} into {} in {:.1} s",
        describe(&summary.counts),
        shown,
        store.path().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Where the automatic backups of the database at `db` go: `backups/` beside `db/` in the
/// platform's data directory for the default database, else `DIR.backups/` beside `DIR`.
/// Never inside the database directory, so that removing it keeps them.
pub fn backups_dir(db: &Path, default_location: bool) -> Result<PathBuf, String> {
    let shown = |e: std::io::Error| format!("{}: {e}", db.display());
    if !default_location {
        return crate::store::backups_beside(db).map_err(shown);
    }
    let db = std::fs::canonicalize(db).map_err(shown)?;
    let parent = db
        .parent()
        .ok_or_else(|| format!("no place beside {} for backups", db.display()))?;
    Ok(parent.join("backups"))
}

/// After the app quits and the terminal is back: a failure is one line on standard error and
/// never an exit code, since the ledger itself is safe in the database.
pub fn after_quit(store: &Store, default_location: bool) {
    let result = (|| -> Result<AutoBackup, String> {
        let keep = store.backups_kept().map_err(|e| e.to_string())?;
        if keep == 0 || !store.written_since_open() {
            return Ok(AutoBackup::Off);
        }
        // A large ledger takes a while to write out; say why the terminal waits.
        if store.counts().map(|c| c.issues() > 20_000).unwrap_or(false) {
            eprintln!("liaison: writing the automatic backup…");
        }
        let dir = backups_dir(store.path(), default_location)?;
        let at = super::now().naive_local();
        automatic_backup(store, &dir, keep, at).map_err(|e| e.to_string())
    })();
    if let Err(message) = result {
        eprintln!(
            "liaison: the automatic backup failed ({message}); your data is safe in the database"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::backup::automatic_backups;

    /// What the app does after the person quits: a private backup beside the database that
    /// restores, then nothing more once the setting turns them off.
    #[test]
    fn quitting_writes_a_private_backup_beside_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger");
        let store = Store::open(&db).unwrap();
        crate::demo::seed(
            &store,
            &crate::demo::DemoOptions::default(),
            super::super::now(),
        )
        .unwrap();
        after_quit(&store, false);
        let beside = dir.path().canonicalize().unwrap().join("ledger.backups");
        let written = automatic_backups(&beside).unwrap();
        assert_eq!(written.len(), 1, "{written:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&beside), 0o700);
            assert_eq!(mode(&written[0]), 0o600);
        }
        let restored = Store::open(&dir.path().join("restored")).unwrap();
        let summary = restore_backup(&restored, &written[0]).unwrap();
        assert_eq!(summary.counts.issues, store.counts().unwrap().issues());
        assert_eq!(restored.counts().unwrap(), store.counts().unwrap());

        // Turned off: a changed ledger writes no backup when the app quits.
        store.set_backups_kept(0).unwrap();
        store.set_user("值班员").unwrap();
        after_quit(&store, false);
        assert_eq!(automatic_backups(&beside).unwrap(), written);

        // Back on, but this session only looked: nothing is written.
        store.set_backups_kept(3).unwrap();
        drop(store);
        let store = Store::open(&db).unwrap();
        assert!(!store.written_since_open());
        after_quit(&store, false);
        assert_eq!(automatic_backups(&beside).unwrap(), written);
        store.set_user("王伟").unwrap();
        after_quit(&store, false);
        // A change: a backup with it (two in the same second share a name).
        let newest = automatic_backups(&beside).unwrap().pop().unwrap();
        assert!(std::fs::read_to_string(newest).unwrap().contains("王伟"));
    }
}
