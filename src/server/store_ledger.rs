//! The store as a `Ledger`: its operation log (issue 14) carried as JSON, the form bundles
//! use, so that ledgers of different builds read each other's operations.

use super::ledger::{Applied, Cursor, Ledger, LedgerError, Op};
use crate::model::{Change, Id, IssueEvent};
use crate::store::oplog::Op as StoreOp;
use crate::store::{RecordKind, Store, StoreError};

pub struct StoreLedger<'a> {
    store: &'a Store,
    actor: Id,
}

fn ledger_error(e: StoreError) -> LedgerError {
    LedgerError(e.to_string())
}

impl<'a> StoreLedger<'a> {
    pub fn new(store: &'a Store) -> Result<StoreLedger<'a>, LedgerError> {
        let actor = store.actor().map_err(ledger_error)?;
        Ok(StoreLedger { store, actor })
    }

    /// Operations of this ledger not yet on the server, given the server's head of it.
    pub fn to_send(&self, sent: u64) -> u64 {
        self.head().unwrap_or(0).saturating_sub(sent)
    }
}

impl Ledger for StoreLedger<'_> {
    fn actor(&self) -> String {
        self.actor.to_string()
    }

    fn head(&self) -> Result<u64, LedgerError> {
        self.store.version_of(self.actor).map_err(ledger_error)
    }

    fn own_ops_after(&self, after: u64, limit: usize) -> Result<Vec<Op>, LedgerError> {
        let actor = self.actor();
        self.store
            .ops_after(self.actor, after)
            .take(limit)
            .map(|op| {
                let op = op.map_err(ledger_error)?;
                let payload = serde_json::to_vec(&op).map_err(|e| LedgerError(e.to_string()))?;
                Ok(Op {
                    actor: actor.clone(),
                    seq: op.id.seq,
                    payload,
                })
            })
            .collect()
    }

    fn apply(&mut self, ops: &[Op], cursor: &Cursor) -> Result<Applied, LedgerError> {
        let mut decoded = Vec::with_capacity(ops.len());
        let mut rejected = 0;
        for op in ops {
            match serde_json::from_slice::<StoreOp>(&op.payload) {
                Ok(inner) if inner.id.seq == op.seq && inner.id.actor.to_string() == op.actor => {
                    decoded.push(inner)
                }
                _ => rejected += 1,
            }
        }
        let responses = decoded
            .iter()
            .filter(|op| op.id.actor != self.actor && is_response(op))
            .count();
        let applied = self.store.apply_ops(&decoded, None).map_err(ledger_error)?;
        // After the batch, not in its transaction: a crash between the two pulls the batch
        // again, and applying it again changes nothing.
        self.store
            .set_server_cursor(&cursor.zone, cursor.serial)
            .map_err(ledger_error)?;
        Ok(Applied {
            new: applied.new_ops,
            conflicts: applied.conflicts,
            rejected,
            responses,
        })
    }

    fn cursor(&self) -> Option<Cursor> {
        let (zone, serial) = self.store.server_cursor().ok()??;
        Some(Cursor { zone, serial })
    }
}

/// Whether an operation creates a response event (what the app announces).
fn is_response(op: &StoreOp) -> bool {
    op.kind == RecordKind::Event
        && op.field.is_empty()
        && serde_json::from_str::<IssueEvent>(&op.value)
            .is_ok_and(|event| matches!(event.change, Change::Response { .. }))
}
