//! Schema migrations. The schema version in `meta` says which steps a database still needs;
//! they run in order when it is opened, each followed by writing its new version, so a
//! database interrupted part way resumes at the step that did not finish.
//!
//! Before the first step, the database directory is copied, as it is on disk, into the
//! backups directory (`before-schema-vN-YYYYMMDD-HHMMSS/`): the liaison that wrote it opens
//! that copy unchanged, whatever a step does.

use super::*;

/// One step: turns a database of schema `from` into schema `from + 1`. A step may be cut
/// short (power loss) and then runs again over its own partial work, so it must be safe to
/// repeat (or do all its writes in one transaction).
#[derive(Clone, Copy)]
pub(super) struct Migration {
    pub from: u16,
    pub run: fn(&Store) -> Result<(), StoreError>,
}

/// Every step since schema v1, in order. A change to a stored type bumps `SCHEMA_VERSION`
/// and adds its step here, with a fixture database of the old schema in `tests/fixtures/`
/// (see the README's contributing section).
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration {
        from: 1,
        run: to_v2,
    },
    Migration {
        from: 2,
        run: v3::to_v3,
    },
    Migration {
        from: 3,
        run: v4::to_v4,
    },
    Migration {
        from: 4,
        run: v5::to_v5,
    },
    Migration {
        from: 5,
        run: v6::to_v6,
    },
];

/// Values per batch while a step rewrites a tree.
const STEP_BATCH: usize = 10_000;

/// Schema v1 to v2. `codec::decode` reads only the current version, so every value is
/// re-tagged first; then each item's history becomes one value, and items, histories and
/// item index entries are grouped, a few under each sled key.
fn to_v2(store: &Store) -> Result<(), StoreError> {
    retag_to_v2(store)?;
    history_to_v2(store)?;
    // Then the records and index entries kept one key each go into groups (`records`,
    // `grouped`): sled's cost is per key.
    for tree in [ISSUES, HISTORY] {
        records::regroup(store, tree)?;
    }
    indexes_to_v2(store)
}

/// Re-tags every envelope of schema v1 in the trees of this build as v2: the payloads of the
/// records v2 kept are the same, and the CRC covers only the payload, so patching the version
/// (header bytes 1..3) is the whole change. The index trees hold raw bytes, not envelopes,
/// and are left alone, as is any value that is not a v1 envelope (a v2 one written by an
/// earlier, interrupted run of this step, or bytes too damaged to say): running the step
/// again changes nothing.
pub(super) fn retag_to_v2(store: &Store) -> Result<(), StoreError> {
    retag(store, 1, 2)
}

/// Re-tags every envelope of schema `from` as `to` (see `retag_to_v2`).
pub(super) fn retag(store: &Store, from: u16, to: u16) -> Result<(), StoreError> {
    let (from, to) = (from.to_be_bytes(), to.to_be_bytes());
    for (tree, name) in store.trees.iter().zip(TREE_NAMES) {
        if name.starts_with("idx_") {
            continue;
        }
        let mut batch = sled::Batch::default();
        let mut pending = 0;
        for entry in tree.iter() {
            let (key, value) = entry?;
            // A group of records (written by an earlier, interrupted run) is no envelope.
            if key.len() != Id::LEN && (name == TREE_NAMES[ISSUES] || name == TREE_NAMES[HISTORY]) {
                continue;
            }
            let is_v1 = value.len() >= codec::HEADER_LEN
                && value[0] == codec::FORMAT_TAG
                && value[1..3] == from;
            if !is_v1 {
                continue;
            }
            let mut bytes = value.to_vec();
            bytes[1..3].copy_from_slice(&to);
            batch.insert(key, bytes);
            pending += 1;
            if pending == STEP_BATCH {
                tree.apply_batch(std::mem::take(&mut batch))?;
                pending = 0;
            }
        }
        tree.apply_batch(batch)?;
    }
    Ok(())
}

/// The item and visit indexes, rebuilt in their grouped layout from the records (v1 kept one
/// key per entry). Derived data only, so a step cut short just runs again.
pub(super) fn indexes_to_v2(store: &Store) -> Result<(), StoreError> {
    for index in [
        IDX_ISSUE_NUMBER,
        IDX_ISSUE_STATUS,
        IDX_ISSUE_FIRM,
        IDX_ISSUE_DUE,
    ] {
        let mut entries = Vec::new();
        for entry in store.record_entries(ISSUES) {
            let (_, value) = entry?;
            // An item that cannot be read has no entries; `check` reports it.
            let Ok((version, payload)) = codec::open_envelope(&value) else {
                continue;
            };
            // Still in the shape of v1 and v2 unless written since (tags came with v3).
            let issue = if version < 3 {
                codec::decode_payload::<v3::IssueV2>(payload).map(Issue::from)
            } else {
                codec::decode_payload::<Issue>(payload)
            };
            let Ok(issue) = issue else {
                continue;
            };
            entries.extend(
                check::issue_entries(&issue)
                    .into_iter()
                    .filter(|(i, _, _)| *i == index)
                    .map(|(_, key, value)| (key, value)),
            );
        }
        store.rewrite_index(index, entries)?;
    }
    for index in [IDX_VISIT_TIME, IDX_VISIT_FIRM] {
        let mut entries = Vec::new();
        for entry in store.record_entries(VISITS) {
            let (_, value) = entry?;
            let Ok((_, payload)) = codec::open_envelope(&value) else {
                continue;
            };
            let Ok(visit) = codec::decode_payload::<Visit>(payload) else {
                continue;
            };
            entries.extend(
                check::visit_entries(&visit)
                    .into_iter()
                    .filter(|(i, _, _)| *i == index)
                    .map(|(_, key, value)| (key, value)),
            );
        }
        store.rewrite_index(index, entries)?;
    }
    Ok(())
}

/// The directory for backups of the database at `db` when nothing else is said: `DIR.backups`
/// beside `DIR`, never inside it, so that removing the database keeps them. `db` must exist.
pub fn backups_beside(db: &Path) -> std::io::Result<PathBuf> {
    let db = std::fs::canonicalize(db)?;
    match (db.parent(), db.file_name()) {
        (Some(parent), Some(name)) => {
            let mut name = name.to_os_string();
            name.push(".backups");
            Ok(parent.join(name))
        }
        _ => Err(std::io::Error::other(format!(
            "no place beside {} for backups",
            db.display()
        ))),
    }
}

impl Store {
    /// Brings a database of schema `found` (older than this build's) up to `SCHEMA_VERSION`
    /// with `steps`, after copying it into the backups directory. Nothing is changed when a
    /// step is missing or the copy cannot be made.
    pub(super) fn migrate(&self, found: u16, steps: &[Migration]) -> Result<(), StoreError> {
        let mut needed = Vec::new();
        for from in found..SCHEMA_VERSION {
            match steps.iter().find(|step| step.from == from) {
                Some(step) => needed.push(*step),
                None => {
                    return Err(StoreError::NoMigration {
                        path: self.path.clone(),
                        found,
                        from,
                    })
                }
            }
        }
        self.flush()?;
        let copy = self.copy_before_migration(found)?;
        for step in needed {
            (step.run)(self).map_err(|e| StoreError::MigrationFailed {
                from: step.from,
                copy: copy.clone(),
                reason: e.to_string(),
            })?;
            self.trees[META].insert(META_SCHEMA, codec::encode(&(step.from + 1)))?;
            self.flush()?;
        }
        Ok(())
    }

    /// Copies every file of the database directory (flushed, and locked by this process, so
    /// nothing moves under the copy) to `before-schema-v{found}-YYYYMMDD-HHMMSS/` in the
    /// backups directory: directories 0700, files 0600, each file synced, and the whole
    /// copied under a temporary name that is renamed only once it is complete.
    fn copy_before_migration(&self, found: u16) -> Result<PathBuf, StoreError> {
        let backups = match &self.backups_dir {
            Some(dir) => dir.clone(),
            None => backups_beside(&self.path).map_err(|e| self.backup_error(&self.path, e))?,
        };
        create_private_dir(&backups).map_err(|e| self.backup_error(&backups, e))?;
        let name = format!(
            "before-schema-v{found}-{}",
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        );
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}-"))
            .tempdir_in(&backups)
            .map_err(|e| self.backup_error(&backups, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o700))
                .map_err(|e| self.backup_error(temp.path(), e))?;
        }
        copy_private(&self.path, temp.path()).map_err(|e| self.backup_error(temp.path(), e))?;
        let mut target = backups.join(&name);
        let mut n = 1;
        while target.exists() {
            n += 1;
            target = backups.join(format!("{name}-{n}"));
        }
        std::fs::rename(temp.path(), &target).map_err(|e| self.backup_error(&target, e))?;
        // Renamed away: nothing is left for the guard to remove.
        let _ = temp.keep();
        sync_dir(&backups).map_err(|e| self.backup_error(&backups, e))?;
        Ok(target)
    }

    fn backup_error(&self, path: &Path, e: std::io::Error) -> StoreError {
        StoreError::MigrationBackup {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }
}

/// Copies the directory `from` into the existing directory `to`, recursively.
fn copy_private(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            create_private_dir(&target)?;
            copy_private(&entry.path(), &target)?;
        } else if kind.is_file() {
            let mut source = std::fs::File::open(entry.path())?;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut copy = options.open(&target)?;
            std::io::copy(&mut source, &mut copy)?;
            copy.sync_all()?;
        }
    }
    sync_dir(to)
}

/// Makes the names in a directory durable (a no-op where directories cannot be opened).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The v1 trees that v2 keeps in `issue_history`: one event per key (item id + event id),
/// and each item's responses (derived).
const V1_EVENTS: &str = "issue_events";
const V1_TEXT: &str = "issue_text";
/// Items per batch of histories written.
const HISTORY_BATCH: usize = 2_000;

/// Gathers the events of v1's `issue_events` into one `History` per item in `issue_history`
/// (with its responses), sets the events counter to the events carried over, and drops the
/// v1 trees `issue_events` and `issue_text`, last.
///
/// The events are read in key order, item by item, so one item's history is held at a time.
/// An item's history is written whole from the old tree, over whatever an interrupted run
/// left, so the step can run again until the old trees are gone; after that it has nothing
/// to do. An event that cannot be decoded, or whose key is not its item and id, is moved to
/// the quarantine (tree `issue_events`, its old key), once however often the step runs, and
/// `check --repair` lists it; the rest still opens.
pub(super) fn history_to_v2(store: &Store) -> Result<(), StoreError> {
    let db = &store.db;
    let exists = |name: &str| -> Result<bool, StoreError> {
        Ok(db
            .tree_names()
            .iter()
            .any(|t| t.as_ref() == name.as_bytes()))
    };
    if exists(V1_EVENTS)? {
        let old = db.open_tree(V1_EVENTS)?;
        let now = chrono::Local::now().fixed_offset();
        let history = &store.trees[HISTORY];
        let mut batch = sled::Batch::default();
        let (mut pending, mut carried) = (0, 0u64);
        let mut current: Option<(Id, Vec<IssueEvent>)> = None;
        for entry in old.iter() {
            let (key, value) = entry?;
            let event = match decode_v1_event(&key, &value) {
                Ok(event) => event,
                Err(reason) => {
                    quarantine_v1_event(store, &key, &value, &reason, now)?;
                    continue;
                }
            };
            carried += 1;
            match current.as_mut() {
                Some((item, events)) if *item == event.issue => events.push(event),
                _ => {
                    if let Some((item, events)) = current.take() {
                        batch.insert(item.as_bytes(), codec::encode(&History::new(events)));
                        pending += 1;
                        if pending == HISTORY_BATCH {
                            history.apply_batch(std::mem::take(&mut batch))?;
                            pending = 0;
                        }
                    }
                    current = Some((event.issue, vec![event]));
                }
            }
        }
        if let Some((item, events)) = current {
            batch.insert(item.as_bytes(), codec::encode(&History::new(events)));
        }
        history.apply_batch(batch)?;
        store.trees[META].insert(Counter::Events.key(), codec::encode(&carried))?;
        // Everything is in the new tree before the old one goes.
        store.flush()?;
        db.drop_tree(V1_EVENTS)?;
    }
    if exists(V1_TEXT)? {
        db.drop_tree(V1_TEXT)?;
    }
    store.flush()
}

/// A v1 event (its envelope says v1; the event's shape did not change), under the key v1
/// gave it: its item's id then its own.
fn decode_v1_event(key: &[u8], value: &[u8]) -> Result<IssueEvent, String> {
    let (_, payload) = codec::open_envelope(value).map_err(|e| e.to_string())?;
    let event: IssueEvent = codec::decode_payload(payload).map_err(|e| e.to_string())?;
    if key != keys::event(event.issue, event.id) {
        return Err("stored under a key that does not match its item and id".into());
    }
    Ok(event)
}

/// Sets a v1 event that cannot be carried over aside, as `repair` does, unless an earlier run
/// of the step already did.
fn quarantine_v1_event(
    store: &Store,
    key: &[u8],
    value: &[u8],
    reason: &str,
    now: LocalTime,
) -> Result<(), StoreError> {
    let quarantine = &store.trees[QUARANTINE];
    let base = [V1_EVENTS.as_bytes(), &[0], key].concat();
    let mut slot = base.clone();
    let mut n = 1u32;
    while let Some(kept) = quarantine.get(&slot)? {
        if codec::decode::<Quarantined>(&kept).is_ok_and(|q| q.bytes == value) {
            return Ok(());
        }
        n += 1;
        slot = [base.as_slice(), &[0], &n.to_be_bytes()].concat();
    }
    let entry = Quarantined {
        tree: V1_EVENTS.to_string(),
        key: key.to_vec(),
        bytes: value.to_vec(),
        reason: format!("not carried into issue_history (schema v2): {reason}"),
        at: now,
    };
    quarantine.insert(slot, codec::encode(&entry))?;
    Ok(())
}

pub(super) mod v3;
mod v4;
mod v5;
mod v6;

#[cfg(test)]
mod tests;
