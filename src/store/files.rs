//! The database directory as files, the rules sled 0.34 does not keep by itself:
//! - one liaison process at a time, by our own lock, taken before any of sled's files is
//!   touched (sled's own lock is only taken once it has started reading them);
//! - the snapshot files sled leaves unfinished when it is killed, or runs out of space, while
//!   writing one (it writes a snapshot on every open): sled 0.34.7 reads the newest
//!   `snap.*` file, finished or not, and refuses the whole database when it does not verify;
//! - every file private (0600, directories 0700), whatever the umask;
//! - a full disk named as such;
//! - no export or backup written onto the database's own files.

use super::{Store, StoreError, META_NEXT_NUMBER};
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

impl Store {
    /// Remembers the highest item number now durable, for the message of a full disk.
    pub(super) fn note_confirmed(&self) {
        if let Ok(Some(next)) = self.get_meta::<u32>(META_NEXT_NUMBER) {
            self.confirmed_number
                .store(next.saturating_sub(1), std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// A full disk as sled reports it, completed with where it is, how much is free and what
    /// was last made durable; other errors as they are.
    pub fn located(&self, error: StoreError) -> StoreError {
        match error {
            StoreError::DiskFull { .. } => StoreError::DiskFull {
                path: Some(self.path.clone()),
                free_bytes: free_bytes(&self.path),
                last_item: Some(
                    self.confirmed_number
                        .load(std::sync::atomic::Ordering::Relaxed),
                ),
            },
            other => other,
        }
    }

    /// What opening found wrong with the database's files and set right, to be said once
    /// (stale snapshot files sled left unfinished).
    pub fn open_notice(&self) -> Option<&OpenNotice> {
        self.notice.as_deref()
    }
}

/// Our lock file in the database directory.
pub const LOCK_FILE: &str = "liaison.lock";

/// How long opening waits for another process to let go of the database: a command that is
/// just finishing (the app started right after `issues add`) is not an error.
pub(super) const LOCK_GRACE: Duration = Duration::from_millis(1500);

/// Is `name` one of the entries a database directory holds (sled's and ours)?
pub fn is_database_file(name: &str) -> bool {
    matches!(name, "conf" | "db" | "blobs" | LOCK_FILE) || name.starts_with("snap.")
}

/// The entries of `dir` that are not part of a database, sorted; none when `dir` does not
/// exist. A restore refuses such a directory: it is someone's folder, not a new database.
pub fn unrelated_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        other => other?,
    };
    let mut unrelated = Vec::new();
    for entry in entries {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !is_database_file(&name) {
            unrelated.push(name);
        }
    }
    unrelated.sort();
    Ok(unrelated)
}

/// What opening found wrong with the files and set right before sled read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenNotice {
    /// Snapshot files sled had not finished writing (the process was killed or the disk was
    /// full); sled rebuilds its snapshot from its log, which holds every confirmed write.
    UnfinishedSnapshots { dir: PathBuf, files: Vec<String> },
}

impl fmt::Display for OpenNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenNotice::UnfinishedSnapshots { dir, files } => write!(
                f,
                "removed {} unfinished snapshot file(s) from {} ({}), left when liaison was \
                 stopped or the disk was full while writing them; nothing saved was lost",
                files.len(),
                dir.display(),
                files.join(", ")
            ),
        }
    }
}

/// Takes the database's lock, waiting `LOCK_GRACE` for another process to let go of it. The
/// lock is held as long as the returned file is open (the operating system releases it when
/// the process ends, however it ends).
pub(super) fn lock(dir: &Path) -> Result<File, StoreError> {
    let path = dir.join(LOCK_FILE);
    let open_error = |e: std::io::Error| {
        if is_disk_full(&e) {
            StoreError::DiskFull {
                path: Some(dir.to_path_buf()),
                free_bytes: free_bytes(dir),
                last_item: None,
            }
        } else {
            StoreError::Open {
                path: dir.to_path_buf(),
                reason: format!("{}: {e}", path.display()),
            }
        }
    };
    let file = private_file()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(open_error)?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_GRACE => {
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::InUse {
                    path: dir.to_path_buf(),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(open_error(e)),
        }
    }
}

/// Removes what sled left unfinished, under our lock and before sled reads the directory:
/// - `snap.<lsn>.generating`: a snapshot being written, renamed to `snap.<lsn>` only once
///   whole and synced, so it never holds anything the log does not;
/// - a finished `snap.<lsn>` that fails its own checksum (a file system that lost its data
///   after the rename): sled would refuse it, and rebuilds the same from its log;
/// - `conf` that fails its checksum (sled writes it without syncing when it creates the
///   database): sled writes it again from the same settings.
pub(super) fn clear_unfinished(dir: &Path) -> Result<Option<OpenNotice>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        other => other.map_err(|e| open_error(dir, e))?,
    };
    let mut removed = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| open_error(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let unfinished = if name.starts_with("snap.") {
            name.ends_with(".generating") || !verifies(&entry.path(), 12)
        } else {
            name == "conf" && !verifies(&entry.path(), 4)
        };
        if unfinished {
            std::fs::remove_file(entry.path()).map_err(|e| open_error(dir, e))?;
            removed.push(name);
        }
    }
    removed.sort();
    // A missing or rewritten `conf` is sled's routine; only snapshots are worth a word.
    removed.retain(|name| name != "conf");
    Ok(
        (!removed.is_empty()).then(|| OpenNotice::UnfinishedSnapshots {
            dir: dir.to_path_buf(),
            files: removed,
        }),
    )
}

/// Does the file at `path` end with the CRC32 (little-endian) of what precedes its last
/// `trailer` bytes, as sled writes its snapshots (`…, length u64, crc`) and `conf` (`…, crc`)?
/// A file that cannot be read is left alone: sled will say what is wrong with it.
fn verifies(path: &Path, trailer: usize) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return true;
    };
    if bytes.len() <= trailer {
        return false;
    }
    let (body, tail) = bytes.split_at(bytes.len() - trailer);
    let crc = u32::from_le_bytes(tail[trailer - 4..].try_into().expect("four bytes"));
    crc32fast::hash(body) == crc
}

fn open_error(dir: &Path, e: std::io::Error) -> StoreError {
    StoreError::Open {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Options for a new file only its owner can read or write.
fn private_file() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Narrows what sled made with the umask's modes (`conf`, `db`, `snap.*`, `blobs/` and its
/// files) to 0600 and 0700. Best effort: a file owned by someone else still opens.
pub(super) fn narrow_modes(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fn narrow(path: &Path, private: u32) {
            if let Ok(metadata) = std::fs::symlink_metadata(path) {
                if metadata.permissions().mode() & 0o077 != 0 && !metadata.is_symlink() {
                    let _ =
                        std::fs::set_permissions(path, std::fs::Permissions::from_mode(private));
                }
            }
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_database_file(&name) {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                narrow(&entry.path(), 0o700);
                if let Ok(inner) = std::fs::read_dir(entry.path()) {
                    for file in inner.flatten() {
                        narrow(&file.path(), 0o600);
                    }
                }
            } else {
                narrow(&entry.path(), 0o600);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// From now on, files and directories this process creates are its owner's only (mode &
/// 0o700), sled's included, whatever umask the shell gave. Called once at the start of the
/// program, before any thread exists.
pub fn make_new_files_private() {
    #[cfg(unix)]
    // SAFETY: umask only swaps the process's file mode mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Is this the operating system saying the disk is full?
pub(super) fn is_disk_full(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::StorageFull || error.raw_os_error() == Some(28)
}

/// Bytes free to an unprivileged user on the file system holding `path`.
pub(super) fn free_bytes(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let text = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
        let mut stats = std::mem::MaybeUninit::<libc::statvfs>::uninit();
        // SAFETY: a valid C string and a buffer of the right type, written by statvfs on
        // success (0) and only read then.
        let stats = unsafe {
            if libc::statvfs(text.as_ptr(), stats.as_mut_ptr()) != 0 {
                return None;
            }
            stats.assume_init()
        };
        #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
        Some(stats.f_bavail as u64 * stats.f_frsize as u64)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Would writing `target` (a file about to be replaced or created) land on the database in
/// `dir`: the directory itself, or anything inside it, through `..` or symbolic links too?
pub fn lands_in_database(dir: &Path, target: &Path) -> bool {
    let Ok(database) = std::fs::canonicalize(dir) else {
        return false;
    };
    let mut target = target.to_path_buf();
    // A few links deep: a link whose target does not exist yet is followed by hand.
    for _ in 0..8 {
        // An existing path (or link) resolved whole; a new name in its resolved directory.
        let resolved = std::fs::canonicalize(&target).ok().or_else(|| {
            let name = target.file_name()?;
            let parent = match target.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            Some(std::fs::canonicalize(parent).ok()?.join(name))
        });
        if resolved.is_some_and(|path| path.starts_with(&database)) {
            return true;
        }
        let Ok(link) = std::fs::read_link(&target) else {
            return false;
        };
        target = match target.parent() {
            Some(parent) if link.is_relative() => parent.join(link),
            _ => link,
        };
    }
    false
}
