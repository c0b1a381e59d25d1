//! Copying a database into an empty one, tree by tree in key order. sled is log-structured
//! and writes keys that arrive in random order (index keys, a bulk load) into pages it later
//! rewrites: a generated or long-used database can take three times the room its records
//! need. The same records written in key order pack tightly (about half the size, measured
//! in docs/performance.md).

use super::{Store, StoreError, META, TREE_NAMES};

/// Records per write while copying.
const CHUNK: usize = 10_000;

impl Store {
    /// Copies every record, index entry and setting of `self` into `target`, which must hold
    /// no records. The caller marks the target (`Store::mark_unfinished`) for as long as the
    /// copy runs, so that one stopped half way is refused and reported; the mark is never
    /// copied, and the target's own is kept.
    pub fn copy_into_empty(&self, target: &Store) -> Result<u64, StoreError> {
        if !target.holds_no_records()? {
            return Err(StoreError::Open {
                path: target.path().to_path_buf(),
                reason: "the database is not empty".into(),
            });
        }
        // Copied around the journal: it starts again, and a full backup is due.
        target.journal_gap()?;
        target.flush()?;
        let mut copied = 0;
        for tree in 0..TREE_NAMES.len() {
            copied += self.copy_tree(target, tree)?;
        }
        target.flush()?;
        Ok(copied)
    }

    /// Writes the keys first, with empty values, then the values, in batches.
    ///
    /// sled 0.34 splits a leaf (16 keys) by writing both halves again, and keeps a segment of
    /// its log until half of it is dead: keys and values copied together in key order left
    /// about two bytes on disk per byte held (standard demo: 236-250 MiB for 116.6 MB). With
    /// the keys first, the leaves split while their values are empty: 193 MiB. Writing the
    /// values one key at a time would give 131 MiB, but leaves each page of the tree as a
    /// chain of small writes that every open reads back (a snapshot of 1.3 MB instead of
    /// 0.6 MB, +6-9 ms CPU per process at 100,000 items): batches keep the open as it was
    /// (docs/performance.md).
    fn copy_tree(&self, target: &Store, tree: usize) -> Result<u64, StoreError> {
        if tree != META {
            target.trees[tree].clear()?;
        }
        let mut copied = 0;
        for pass in [Pass::Keys, Pass::Values] {
            let (mut pending, mut batch) = (0, sled::Batch::default());
            copied = 0;
            for entry in self.trees[tree].iter() {
                let (key, value) = entry?;
                if tree == META && Store::is_mark_key(&key) {
                    continue;
                }
                match pass {
                    Pass::Keys => batch.insert(key, &[]),
                    Pass::Values => batch.insert(key, value),
                }
                pending += 1;
                copied += 1;
                if pending == CHUNK {
                    target.trees[tree].apply_batch(std::mem::take(&mut batch))?;
                    pending = 0;
                }
            }
            target.trees[tree].apply_batch(batch)?;
        }
        Ok(copied)
    }
}

/// What a pass of `copy_tree` writes.
#[derive(Clone, Copy)]
enum Pass {
    Keys,
    Values,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The copy holds the same records, indexes and counters, passes `check`, and a copy
    /// into a database that already holds records is refused.
    #[test]
    fn a_copy_is_the_same_database_in_less_room() {
        let dir = tempfile::tempdir().unwrap();
        let source = Store::open(&dir.path().join("a")).unwrap();
        let options = crate::demo::DemoOptions {
            firms: 50,
            visits: 100,
            issues: 2_000,
            seed: 7,
        };
        crate::demo::seed(&source, &options, crate::model::when::now()).unwrap();
        let target = Store::open(&dir.path().join("b")).unwrap();
        let copied = source.copy_into_empty(&target).unwrap();
        assert!(copied > 2_000);
        assert_eq!(target.counts().unwrap(), source.counts().unwrap());
        let report = target.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        for name in TREE_NAMES {
            let (a, b) = (
                source.db.open_tree(name).unwrap(),
                target.db.open_tree(name).unwrap(),
            );
            assert_eq!(a.len(), b.len(), "{name}");
            assert!(
                a.iter()
                    .zip(b.iter())
                    .all(|(x, y)| x.unwrap() == y.unwrap()),
                "{name}"
            );
        }
        assert_eq!(target.unfinished().unwrap(), None);
        // The target now holds records: a second copy is refused and changes nothing.
        let again = source.copy_into_empty(&target);
        assert!(matches!(again, Err(StoreError::Open { .. })), "{again:?}");
        assert_eq!(target.counts().unwrap(), source.counts().unwrap());
    }
}
