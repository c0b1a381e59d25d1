//! Opening the database: waiting for its lock, naming why it failed, a private directory.

use super::*;

/// sled releases its file lock from background threads a moment after a database is closed,
/// so a lock held by a process (or handle) that is just finishing gets a short grace period
/// before the database is reported as in use.
pub(super) fn open_waiting_for_lock(
    config: &sled::Config,
    path: &Path,
) -> Result<sled::Db, StoreError> {
    let started = std::time::Instant::now();
    loop {
        match config.open().map_err(|e| classify_open_error(e, path)) {
            Err(StoreError::InUse { .. }) if started.elapsed() < files::LOCK_GRACE => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

fn classify_open_error(error: sled::Error, path: &Path) -> StoreError {
    if let sled::Error::Io(io) = &error {
        if files::is_disk_full(io) {
            // sled writes a snapshot on every open; it finds no room for it.
            return StoreError::DiskFull {
                path: Some(path.to_path_buf()),
                free_bytes: files::free_bytes(path),
                last_item: None,
            };
        }
    }
    let text = error.to_string();
    if text.contains("could not acquire lock") {
        StoreError::InUse {
            path: path.to_path_buf(),
        }
    } else {
        StoreError::Open {
            path: path.to_path_buf(),
            reason: text,
        }
    }
}

/// The ledger is private: on a shared laptop only its owner may read it. Missing parents are
/// created private as well (the mode applies to every level `recursive` creates).
pub(super) fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)?;
    #[cfg(unix)]
    {
        // A directory made beforehand (`mkdir`) has the umask's mode, usually readable by
        // everyone, and sled's files inside it are too. Narrowing it is best effort: a
        // directory owned by someone else still opens.
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = std::fs::metadata(path) {
            let mode = metadata.permissions().mode();
            if mode & 0o077 != 0 {
                let narrowed = std::fs::Permissions::from_mode((mode & 0o7700) | 0o700);
                let _ = std::fs::set_permissions(path, narrowed);
            }
        }
    }
    Ok(())
}
