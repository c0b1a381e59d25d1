//! The operation log's lines of a backup (format version 2): written after the records,
//! checked before anything is restored.

use super::write::{write_kind, write_line};
use super::{Counts, Kind, LineOut};
use crate::model::Id;
use crate::store::oplog::Op;
use crate::store::{FieldHeads, LedgerState, Store};
use crate::transfer::ExportError;
use std::io::Write;

/// The header's counts with the log's.
pub(super) fn with_log_counts(store: &Store, counts: Counts) -> Counts {
    let log = store.log_counts();
    Counts {
        ops: log.ops,
        heads: log.heads,
        peers: log.peers,
        item_codes: log.item_codes,
        ..counts
    }
}

/// Writes the ledger line and the log; returns the log's counts (records' counts zero).
pub(super) fn write_log(store: &Store, out: &mut impl Write) -> Result<Counts, ExportError> {
    write_line(
        out,
        &LineOut {
            kind: Kind::Ledger.name(),
            record: &store.ledger_state()?,
        },
    )?;
    Ok(Counts {
        ops: write_kind(out, Kind::Op, store.scan_ops())?,
        heads: write_kind(out, Kind::Heads, store.scan_heads())?,
        peers: write_kind(out, Kind::Peer, store.scan_peers())?,
        item_codes: write_kind(out, Kind::ItemCode, store.scan_item_codes())?,
        ..Counts::default()
    })
}

/// What the store needs of a log: one ledger line before any operation, each actor's
/// operations numbered 1, 2, 3… in order (the store counts them by the last), heads that
/// name a value.
#[derive(Default)]
pub(super) struct LogValidation {
    ledger: bool,
    last: Option<(Id, u64)>,
}

impl LogValidation {
    pub(super) fn ledger(&mut self, _state: LedgerState) -> Result<(), String> {
        if std::mem::replace(&mut self.ledger, true) {
            return Err("a second ledger line".into());
        }
        Ok(())
    }

    pub(super) fn op(&mut self, op: &Op) -> Result<(), String> {
        if !self.ledger {
            return Err("an operation before the ledger line".into());
        }
        let expected = match self.last {
            Some((actor, seq)) if actor == op.id.actor => seq + 1,
            Some((actor, _)) if actor > op.id.actor => {
                return Err(format!(
                    "operation {}:{} after those of {actor}; operations go by actor",
                    op.id.actor, op.id.seq
                ))
            }
            _ => 1,
        };
        if op.id.seq != expected {
            return Err(format!(
                "operation {}:{} where {}:{expected} was due; an actor's operations go 1, 2, \
                 3… without a gap",
                op.id.actor, op.id.seq, op.id.actor
            ));
        }
        self.last = Some((op.id.actor, op.id.seq));
        Ok(())
    }

    pub(super) fn heads(&mut self, heads: &FieldHeads) -> Result<(), String> {
        if heads.heads.is_empty() {
            return Err(format!(
                "heads of {} {} field {}: no value",
                heads.kind.name(),
                heads.record,
                heads.field
            ));
        }
        Ok(())
    }

    pub(super) fn finish(&self, ops: u64) -> Result<(), String> {
        if ops > 0 && !self.ledger {
            return Err("operations without the ledger line naming their ledger".into());
        }
        Ok(())
    }
}
