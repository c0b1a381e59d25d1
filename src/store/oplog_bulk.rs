//! Operations made outside transactions: the migration to v4 and `demo`'s loader log a
//! creation for records they write in batches.

use super::oplog::{field_key, now_hlc, to_json, Head, Op, OpId, META_HLC};
use super::oplog_groups;
use super::*;

/// Operations made in bulk for records written without transactions (the migration to v4,
/// `demo`'s loader): creation operations by this database's actor, in batches.
pub(super) struct BulkOps {
    author: String,
    /// Kind, record, field and JSON value of each operation to write; ids and clocks are
    /// given when they are written, after whatever this database logged meanwhile.
    pending: Vec<(RecordKind, Id, String, String)>,
}

impl BulkOps {
    pub(super) fn start(store: &Store) -> Result<BulkOps, StoreError> {
        Ok(BulkOps {
            author: store.user()?.unwrap_or_default(),
            pending: Vec::new(),
        })
    }

    pub(super) fn create<T: Serialize>(&mut self, kind: RecordKind, record: Id, value: &T) {
        self.set(kind, record, "", value)
    }

    /// A field's value (with an empty `pred`: it replaces the creation's).
    pub(super) fn set<T: Serialize>(
        &mut self,
        kind: RecordKind,
        record: Id,
        field: &str,
        value: &T,
    ) {
        self.pending
            .push((kind, record, field.to_string(), to_json(value)));
    }

    /// The creation of an event, by reference (`oplog::event_ref`).
    pub(super) fn create_event(&mut self, event: &IssueEvent) {
        self.pending.push((
            RecordKind::Event,
            event.id,
            String::new(),
            super::oplog::event_ref(event),
        ));
    }

    pub(super) fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Writes the operations made so far, then the counters that say they are held.
    pub(super) fn write(&mut self, store: &Store) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let actor = store.actor()?;
        let mut seq = store.version_of(actor)?;
        let last: u64 = store.get_meta(META_HLC)?.unwrap_or(0);
        let mut hlc = last.max(now_hlc());
        let mut logged = Vec::with_capacity(self.pending.len());
        let mut heads = Vec::new();
        for (kind, record, field, value) in std::mem::take(&mut self.pending) {
            seq += 1;
            hlc += 1;
            let op = Op {
                id: OpId { actor, seq },
                hlc,
                kind,
                record,
                field,
                value,
                pred: Vec::new(),
                author: self.author.clone(),
            };
            logged.push((seq, codec::encode(&op)));
            if !op.field.is_empty() {
                let key = field_key(kind, record, &op.field);
                heads.push((key, codec::encode(&vec![Head::of(&op)])));
            }
        }
        oplog_groups::put_bulk(&store.trees[OPLOG], actor, logged)?;
        for (key, value) in heads {
            store.trees[OP_HEADS].insert(key, value)?;
        }
        store.trees[VERSIONS].insert(actor.as_bytes(), &seq.to_be_bytes())?;
        store.trees[META].insert(META_HLC, codec::encode(&hlc))?;
        Ok(())
    }
}
