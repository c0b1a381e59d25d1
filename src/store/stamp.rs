//! A damaged schema stamp (`meta/schema_version`): it says which migrations the other values
//! need, so a database whose stamp cannot be read is refused, except by `check --repair`,
//! which rebuilds it from what the records themselves say (each record's envelope carries the
//! schema version that wrote it) and sets the damaged bytes aside in the quarantine.

use super::*;

/// What opening does with a stamp that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DamagedStamp {
    /// Refuse to open (every command but a repair).
    #[default]
    Refuse,
    /// Rebuild it from the records, and say so (`Store::stamp_rebuilt`).
    Rebuild,
}

/// Records looked at per tree: every record of a database is written by one schema (a
/// migration rewrites them all), so a few say it.
const SAMPLE: usize = 1_000;

impl Store {
    /// The schema the records follow, by their envelopes and layout: `None` for a database
    /// without records.
    pub(super) fn schema_from_records(&self) -> Result<Option<u16>, StoreError> {
        let mut found: Option<u16> = None;
        for tree in [
            FIRMS,
            VISITS,
            ISSUES,
            HISTORY,
            DEPARTMENTS,
            CATEGORIES,
            VIEWS,
        ] {
            for entry in self.trees[tree].iter().take(SAMPLE) {
                let (key, value) = entry?;
                let version = if records::is_grouped(tree) && key.len() != Id::LEN {
                    // Records in groups came with schema v2; each keeps its own envelope.
                    let plain = records::unpacked(tree, &value);
                    let first = plain
                        .as_deref()
                        .and_then(|plain| records::members(&key, plain))
                        .and_then(|m| m.first().and_then(|(_, v)| codec::open_envelope(v).ok()))
                        .map(|(version, _)| version);
                    // Groups of histories were packed with schema v6.
                    let least = if records::is_packed_group(tree, &value) {
                        6
                    } else {
                        2
                    };
                    Some(first.unwrap_or(least).max(least))
                } else {
                    codec::open_envelope(&value)
                        .ok()
                        .map(|(version, _)| version)
                };
                found = found.max(version);
            }
        }
        Ok(found)
    }

    /// Sets the damaged stamp aside and writes the one the records say; returns it.
    pub(super) fn rebuild_stamp(&self, damaged: &[u8], why: &str) -> Result<u16, StoreError> {
        let version = self
            .schema_from_records()?
            .unwrap_or(SCHEMA_VERSION)
            .min(SCHEMA_VERSION);
        let entry = Quarantined {
            tree: TREE_NAMES[META].to_string(),
            key: META_SCHEMA.to_vec(),
            bytes: damaged.to_vec(),
            reason: why.to_string(),
            at: chrono::Local::now().fixed_offset(),
        };
        let base = [TREE_NAMES[META].as_bytes(), &[0], META_SCHEMA].concat();
        let mut slot = base.clone();
        let mut n = 1u32;
        while self.trees[QUARANTINE].contains_key(&slot)? {
            n += 1;
            slot = [base.as_slice(), &[0], &n.to_be_bytes()].concat();
        }
        self.trees[QUARANTINE].insert(slot, codec::encode(&entry))?;
        self.trees[META].insert(META_SCHEMA, codec::encode(&version))?;
        self.flush()?;
        *self.stamp_rebuilt.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!(
            "damaged ({why}); set aside and rebuilt as v{version} from what the records hold"
        ));
        Ok(version)
    }

    /// What opening did to a damaged schema stamp (`DamagedStamp::Rebuild`), if anything.
    pub fn stamp_rebuilt(&self) -> Option<String> {
        self.stamp_rebuilt
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_stamp_is_refused_and_rebuilt_by_a_repair_from_the_records() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        let store = Store::open(&db).unwrap();
        crate::demo::seed(&store, &Default::default(), crate::model::when::now()).unwrap();
        testing::corrupt_value(&store, "meta", META_SCHEMA).unwrap();
        drop(store);

        let refused = Store::open(&db);
        assert!(
            matches!(&refused, Err(StoreError::Corrupt { tree: "meta", .. })),
            "{:?}",
            refused.err()
        );
        let options = OpenOptions {
            damaged_stamp: DamagedStamp::Rebuild,
            ..Default::default()
        };
        let store = Store::open_with(&db, options).unwrap();
        assert!(store
            .stamp_rebuilt()
            .unwrap()
            .contains(&format!("rebuilt as v{SCHEMA_VERSION}")));
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.quarantine().unwrap().records.len(), 1);
        assert!(store.check().unwrap().is_ok());
        drop(store);
        let store = Store::open(&db).unwrap();
        assert_eq!(store.stamp_rebuilt(), None);
        assert_eq!(store.counts().unwrap().issues(), 20);
    }
}
