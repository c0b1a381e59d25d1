//! The temporary files `write_private_file` writes beside its target (a backup, an export)
//! are renamed over the target when complete; a process killed before that leaves one
//! behind, hidden, holding a copy of the zone's data. Each is named after its process and
//! locked while that process writes it, so one that can be locked and whose process is gone
//! is ours and stale, and goes at the next write into that directory (and, for the automatic
//! backups, at the next start).

use std::path::{Path, PathBuf};

const PREFIX: &str = ".liaison-export-";

/// The prefix of this process's temporary files: `.liaison-export-PID-`.
pub(super) fn temp_prefix() -> String {
    format!("{PREFIX}{}-", std::process::id())
}

/// Removes the temporary files of dead processes in `dir`; returns what it removed. Errors
/// are ignored: a file left behind is found again next time.
pub fn remove_stale_temp_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let dead = match rest.split_once('-').map(|(pid, _)| pid.parse::<u32>()) {
            Some(Ok(pid)) => pid != std::process::id() && !process_alive(pid),
            // Earlier builds named the file without its process and did not lock it: one
            // untouched for a day is no write in progress.
            None if is_random_suffix(rest) => older_than_a_day(&entry),
            _ => false,
        };
        if !dead {
            continue;
        }
        let path = entry.path();
        // A writer holds the lock until the file is renamed: never remove a live one.
        let unlocked = std::fs::File::open(&path).is_ok_and(|file| file.try_lock().is_ok());
        if unlocked && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// The six letters and digits `tempfile` adds to a prefix.
fn is_random_suffix(text: &str) -> bool {
    text.len() == 6 && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn older_than_a_day(entry: &std::fs::DirEntry) -> bool {
    let day = std::time::Duration::from_secs(24 * 60 * 60);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > day))
}

/// Whether process `pid` runs, where the system says (`/proc`); elsewhere assumed to, so
/// only the lock decides.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dead process's unlocked file goes, and an earlier build's a day old; a live writer's
    /// locked file, this process's own, a fresh one of an earlier build and files that are
    /// not ours stay.
    #[test]
    fn only_the_temporary_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(format!("{PREFIX}{}-abc", u32::MAX - 1));
        let mine = dir.path().join(format!("{}xyz", temp_prefix()));
        let locked = dir.path().join(format!("{PREFIX}{}-def", u32::MAX - 2));
        let other = dir.path().join(".liaison-export-notes.txt");
        let old_style = dir.path().join(".liaison-export-a1B2c3");
        let old_style_fresh = dir.path().join(".liaison-export-d4E5f6");
        for path in [&dead, &mine, &locked, &other, &old_style, &old_style_fresh] {
            std::fs::write(path, "data").unwrap();
        }
        let two_days_ago =
            std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
        for path in [&old_style, &other] {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(two_days_ago).unwrap();
        }
        let writer = std::fs::File::open(&locked).unwrap();
        writer.lock().unwrap();
        // A lock held through another open file is what a live writer in another process
        // looks like to `try_lock`.
        let mut removed = remove_stale_temp_files(dir.path());
        removed.sort();
        assert_eq!(removed, vec![dead.clone(), old_style.clone()]);
        for path in [&mine, &locked, &other, &old_style_fresh] {
            assert!(path.exists(), "{}", path.display());
        }
        drop(writer);
    }
}
