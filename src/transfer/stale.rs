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
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        // A writer holds the lock until the file is renamed: never remove a live one.
        let unlocked = std::fs::File::open(&path).is_ok_and(|file| file.try_lock().is_ok());
        if unlocked && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
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

    /// A dead process's unlocked file goes; a live writer's locked file, this process's own,
    /// and files that are not ours stay.
    #[test]
    fn only_the_temporary_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(format!("{PREFIX}{}-abc", u32::MAX - 1));
        let mine = dir.path().join(format!("{}xyz", temp_prefix()));
        let locked = dir.path().join(format!("{PREFIX}{}-def", u32::MAX - 2));
        let other = dir.path().join(".liaison-export-notes.txt");
        for path in [&dead, &mine, &locked, &other] {
            std::fs::write(path, "data").unwrap();
        }
        let writer = std::fs::File::open(&locked).unwrap();
        writer.lock().unwrap();
        // A lock held through another open file is what a live writer in another process
        // looks like to `try_lock`.
        let removed = remove_stale_temp_files(dir.path());
        assert_eq!(removed, vec![dead.clone()]);
        assert!(!dead.exists());
        for path in [&mine, &locked, &other] {
            assert!(path.exists(), "{}", path.display());
        }
        drop(writer);
    }
}
