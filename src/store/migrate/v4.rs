//! Schema v3 to v4: the operation log. Every envelope changes only its version (payloads are
//! the same); the database gets its actor, and every record its creation operation by that
//! actor, so that a ledger made before v4 can be merged with others.

use super::*;

/// Re-tags v3 envelopes as v4, then logs a creation for every record. The log is cleared
/// first: a step cut short runs again from nothing (a v3 database has no log of its own).
pub(in crate::store) fn to_v4(store: &Store) -> Result<(), StoreError> {
    // Straight to this build's version: the steps below decode with this build's codec, which
    // reads only its own version (a later step's retag then finds nothing left to do).
    retag(store, 3, codec::SCHEMA_VERSION)?;
    for tree in [ISSUES, HISTORY] {
        retag_groups(store, tree, 3, codec::SCHEMA_VERSION)?;
    }
    for tree in [OPLOG, OP_HEADS, CONFLICTS, VERSIONS, PEERS] {
        store.trees[tree].clear()?;
    }
    store.ensure_actor()?;
    store.adopt_records()
}

/// `retag` for the records kept in groups: each member's envelope, the group written again.
pub(super) fn retag_groups(
    store: &Store,
    tree: usize,
    from: u16,
    to: u16,
) -> Result<(), StoreError> {
    let (from, to) = (from.to_be_bytes(), to.to_be_bytes());
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for entry in store.trees[tree].iter() {
        let (key, value) = entry?;
        // A malformed group is left as it is: `repair` sets it aside.
        let Some(members) = records::members(&key, &value) else {
            continue;
        };
        let mut changed = false;
        let mut out = std::collections::BTreeMap::new();
        for (k, v) in members {
            let mut bytes = v.to_vec();
            if bytes.len() >= codec::HEADER_LEN
                && bytes[0] == codec::FORMAT_TAG
                && bytes[1..3] == from
            {
                bytes[1..3].copy_from_slice(&to);
                changed = true;
            }
            out.insert(k.to_vec(), bytes);
        }
        if changed {
            batch.insert(key, records::group_value(&out));
            pending += 1;
        }
        if pending == STEP_BATCH {
            store.trees[tree].apply_batch(std::mem::take(&mut batch))?;
            pending = 0;
        }
    }
    store.trees[tree].apply_batch(batch)?;
    Ok(())
}

impl Store {
    /// The operation log started again from the records: every record a creation by a new
    /// actor. For a ledger rebuilt from records alone (`recover` replays a journal of
    /// records): it rejoins others as a new actor, and its records meet theirs as records
    /// created twice (`sync::tx_recreate`). Never the actor a restored backup brought: its
    /// sequence numbers are already taken by the operations its peers hold.
    pub fn restart_log(&self) -> Result<(), StoreError> {
        for tree in [OPLOG, OP_HEADS, CONFLICTS, VERSIONS, PEERS] {
            self.trees[tree].clear()?;
        }
        self.trees[META].insert(super::super::oplog::META_ACTOR, codec::encode(&Id::new()))?;
        self.adopt_records()?;
        self.flush()
    }

    /// A creation operation, by this database's actor, for every record it holds: how a
    /// ledger without a log (made before v4) joins others.
    pub(in crate::store) fn adopt_records(&self) -> Result<(), StoreError> {
        let mut ops = oplog_bulk::BulkOps::start(self)?;
        let flush = |ops: &mut oplog_bulk::BulkOps| -> Result<(), StoreError> {
            if ops.pending() >= STEP_BATCH {
                ops.write(self)?;
            }
            Ok(())
        };
        for category in self.categories()?.records {
            ops.create(RecordKind::Category, category.id, &category);
        }
        for department in self.departments()?.records {
            ops.create(RecordKind::Department, department.id, &department);
        }
        if let Some(sla) = self.get_meta::<Sla>(META_SLA)? {
            // A field of no record: set on two ledgers, it is a conflict like any other.
            ops.set(RecordKind::Sla, Id::MIN, "levels", &sla);
        }
        for firm in self.firms()?.records {
            ops.create(RecordKind::Firm, firm.id, &firm);
            flush(&mut ops)?;
        }
        // A record that cannot be read gets no operation: `check` reports it, and `repair`
        // sets it aside.
        self.each_visit(|visit| {
            if let Ok(visit) = visit {
                ops.create(RecordKind::Visit, visit.id, &visit);
                flush(&mut ops)?;
            }
            Ok(())
        })?;
        self.each_issue(|issue| {
            if let Ok(issue) = issue {
                ops.create(RecordKind::Issue, issue.id, &issue);
                flush(&mut ops)?;
            }
            Ok(())
        })?;
        self.each_event(|event| {
            if let Ok(event) = event {
                ops.create_event(&event);
                flush(&mut ops)?;
            }
            Ok(())
        })?;
        ops.write(self)
    }
}
