//! `backup FILE`, `restore FILE`, and the automatic backup written when the app quits.

use super::args::{BackupArgs, RestoreArgs};
use super::{CliError, CliResult};
use crate::store::{Store, StoreError};
use crate::transfer::backup::{
    automatic_backup, restore_backup, write_backup, AutoBackup, Counts, RestoreError,
};
use crate::transfer::generations::full_backup_due;
use crate::transfer::FileError;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn describe(counts: &Counts) -> String {
    crate::messages::backup_counts([
        counts.firms,
        counts.visits,
        counts.issues,
        counts.events,
        counts.departments,
        counts.categories,
        counts.views,
    ])
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
        FileError::Store(e @ StoreError::Corrupt { .. }) => {
            CliError::Runtime(crate::messages::backup_damaged(&e.to_string()))
        }
        FileError::Store(e) => e.into(),
    })?;
    esay!(
        "{}",
        crate::messages::backed_up(
            &describe(&summary.counts),
            &shown.to_string(),
            started.elapsed().as_secs_f64()
        )
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
    esay!(
        "{}",
        crate::messages::restored_from(
            &describe(&summary.counts),
            &shown.to_string(),
            &store.path().display().to_string(),
            started.elapsed().as_secs_f64()
        )
    );
    Ok(())
}

/// Where the automatic backups of the database at `db` go: `backups/` beside `db/` in the
/// platform's data directory for the default database, else `DIR.backups/` beside `DIR`.
/// Never inside the database directory, so that removing it keeps them.
pub fn backups_dir(db: &Path, default_location: bool) -> Result<PathBuf, String> {
    if let Some(dir) = backups_override() {
        return Ok(dir);
    }
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

/// `LIAISON_BACKUPS`: where the automatic backups and the journal go instead (another disk).
pub fn backups_override() -> Option<PathBuf> {
    std::env::var_os(BACKUPS_ENV)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
}

pub const BACKUPS_ENV: &str = "LIAISON_BACKUPS";

/// After the app quits and the terminal is back: the journal already holds every change, so
/// a full backup is written only when one is due (`generations`). A failure is one line on
/// standard error and never an exit code, since the ledger itself is safe in the database.
pub fn after_quit(store: &Store, default_location: bool) {
    full_backup_if_due(store, default_location);
}

/// After a command that wrote: the same as after the app quits.
pub fn after_command(store: &Store, default_location: bool) {
    full_backup_if_due(store, default_location);
}

fn full_backup_if_due(store: &Store, default_location: bool) {
    let at = super::now().naive_local();
    let result = (|| -> Result<AutoBackup, String> {
        let keep = store.backups_kept().map_err(|e| e.to_string())?;
        if keep == 0 || !store.written_since_open() {
            return Ok(AutoBackup::Off);
        }
        let Some(why) = full_backup_due(store, at) else {
            return Ok(AutoBackup::Off);
        };
        // A large ledger takes a while to write out; say why the terminal waits.
        if store.counts().map(|c| c.issues() > 20_000).unwrap_or(false) {
            esay!("liaison: writing a full automatic backup ({why})…");
        }
        let dir = backups_dir(store.path(), default_location)?;
        automatic_backup(store, &dir, keep, at).map_err(|e| e.to_string())
    })();
    if let Err(message) = result {
        esay!("{}", crate::messages::automatic_backup_failed(&message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::backup::automatic_backups;

    use crate::store::journal::{self, Base};
    use crate::store::{Journaling, OpenOptions};

    fn journaled(db: &Path) -> Store {
        let options = OpenOptions {
            journal: Journaling::Beside,
            ..Default::default()
        };
        Store::open_with(db, options).unwrap()
    }

    /// Quitting after a change writes a full backup only when one is due: here because the
    /// journal starts after records it does not hold. The backup is private, restores, and
    /// starts the journal that follows it; after that a change only goes to the journal.
    #[test]
    fn quitting_writes_a_full_backup_only_when_one_is_due() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger");
        // Seeded without a journal: the journal started next does not reach a backup.
        let store = Store::open(&db).unwrap();
        crate::demo::seed(
            &store,
            &crate::demo::DemoOptions::default(),
            super::super::now(),
        )
        .unwrap();
        drop(store);
        let store = journaled(&db);
        // Only looking: no journal and no backup are written.
        after_quit(&store, false);
        assert_eq!(store.journal_status(), None);
        let beside = dir.path().canonicalize().unwrap().join("ledger.backups");
        assert!(!beside.exists());

        store.set_user("值班员").unwrap();
        assert_eq!(store.journal_status().unwrap().base, Base::Gap);
        after_quit(&store, false);
        let written = automatic_backups(&beside).unwrap();
        assert_eq!(written.len(), 1, "{written:?}");
        let status = store.journal_status().unwrap();
        assert_eq!(status.base, Base::Continued);
        assert_eq!(status.stem, journal::stem_of(&written[0]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&beside), 0o700);
            assert_eq!(mode(&written[0]), 0o600);
            assert_eq!(mode(&status.path), 0o600);
        }
        let restored = Store::open(&dir.path().join("restored")).unwrap();
        let summary = restore_backup(&restored, &written[0]).unwrap();
        assert_eq!(summary.counts.issues, store.counts().unwrap().issues());
        assert_eq!(restored.counts().unwrap(), store.counts().unwrap());

        // Nothing is due now: a change goes to the journal only, and quitting writes nothing.
        store.set_user("王伟").unwrap();
        let started = Instant::now();
        after_quit(&store, false);
        assert!(started.elapsed().as_secs() < 1);
        assert_eq!(automatic_backups(&beside).unwrap(), written);
        let appended = std::fs::read(&status.path).unwrap();
        assert!(String::from_utf8_lossy(&appended).contains("王伟"));

        // Turned off: no backup is written whatever is due, and no journal next time.
        store.set_backups_kept(0).unwrap();
        after_quit(&store, false);
        assert_eq!(automatic_backups(&beside).unwrap(), written);
        drop(store);
        let store = journaled(&db);
        store.set_user("李四").unwrap();
        assert_eq!(store.journal_status(), None);
    }
}
