//! `liaison --demo`'s temporary directories. A normal quit removes its own; one whose demo
//! was killed (its terminal closed, SIGHUP or SIGTERM) is removed when the next demo starts,
//! so they do not pile up. A demo's database holds its lock file (`store::LOCK_FILE`) for as
//! long as it runs, and the operating system lets go of it however the process ends: a
//! directory whose lock nobody holds is nobody's.

use std::fs::File;
use std::path::Path;
use std::time::Duration;

/// The start of the directories' names.
pub const PREFIX: &str = "liaison-demo-";

/// A lock file younger than this may belong to a demo opening right now (between making
/// the file and locking it): it is left for a later start.
pub const MIN_AGE: Duration = Duration::from_secs(60);

/// Removes the demo directories in `temp` that no running demo uses and whose lock file is
/// older than `min_age`; returns how many. Directories without a lock file (a demo not yet
/// opened, or another program's), other users' and symbolic links are left alone; a failure
/// only leaves a directory for later.
pub fn remove_abandoned(temp: &Path, min_age: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let dir = entry.path();
        if is_abandoned(&dir, min_age) && std::fs::remove_dir_all(&dir).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn is_abandoned(dir: &Path, min_age: Duration) -> bool {
    use std::os::unix::fs::MetadataExt;
    // Not following a link: only a real directory of ours.
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    // SAFETY: getuid has no preconditions and cannot fail.
    if !meta.is_dir() || meta.uid() != unsafe { libc::getuid() } {
        return false;
    }
    let Ok(lock) = File::open(dir.join(crate::store::LOCK_FILE)) else {
        return false;
    };
    let old_enough = lock
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|made| made.elapsed().ok())
        .is_some_and(|age| age >= min_age);
    // Taking the lock proves no process holds it; it is let go when `lock` is dropped.
    old_enough && lock.try_lock().is_ok()
}
