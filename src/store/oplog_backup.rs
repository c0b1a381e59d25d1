//! The operation log in a backup: what `write_backup` reads out and `Restore` puts back, so
//! that a restored ledger keeps its actor and the operations its peers already hold (a log
//! started again would create every record a second time under a new actor).

use super::item_codes::item_code_key;
use super::oplog::{parse_field_key, Head, Op, RecordKind, META_ACTOR, META_HLC};
use super::sync::Versions;
use super::*;
use serde::Deserialize;

/// Who this ledger is in the log: its actor and the last clock value it gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerState {
    pub actor: Id,
    pub hlc: u64,
}

/// The values standing for one field changed since its record's creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldHeads {
    pub kind: RecordKind,
    pub record: Id,
    pub field: String,
    pub heads: Vec<Head>,
}

/// What a peer said it had seen in the last bundle it sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerSeen {
    pub peer: Id,
    pub seen: Versions,
}

/// An item from another ledger under the code it is quoted by (`CODE-N`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCode {
    pub code: String,
    pub number: u32,
    pub item: Id,
}

/// A piece of the log's state, restored in the order a backup holds them.
pub(super) enum LogEntry {
    Op(Op),
    Heads(FieldHeads),
    Peer(PeerSeen),
    ItemCode(ItemCode),
}

/// How many entries of each part of the log a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogCounts {
    pub ops: u64,
    pub heads: u64,
    pub peers: u64,
    pub item_codes: u64,
}

impl Store {
    pub fn log_counts(&self) -> LogCounts {
        LogCounts {
            ops: self.op_count() as u64,
            heads: self.trees[OP_HEADS].len() as u64,
            peers: self.trees[PEERS].len() as u64,
            item_codes: self.trees[ITEM_CODES].len() as u64,
        }
    }

    pub fn ledger_state(&self) -> Result<LedgerState, StoreError> {
        Ok(LedgerState {
            actor: self.actor()?,
            hlc: self.get_meta(META_HLC)?.unwrap_or(0),
        })
    }

    /// Every operation held, by actor then sequence number.
    pub fn scan_ops(&self) -> impl Iterator<Item = Result<Op, StoreError>> + '_ {
        self.event_values(oplog_groups::each_op(self.trees[OPLOG].iter()))
    }

    /// Every field with values standing since its creation, in key order.
    pub fn scan_heads(&self) -> impl Iterator<Item = Result<FieldHeads, StoreError>> + '_ {
        self.scan_log(OP_HEADS, |key, value| {
            let (kind, record, field) = parse_field_key(key).ok_or_else(bad_key)?;
            Ok(FieldHeads {
                kind,
                record,
                field,
                heads: codec::decode(value)?,
            })
        })
    }

    pub fn scan_peers(&self) -> impl Iterator<Item = Result<PeerSeen, StoreError>> + '_ {
        self.scan_log(PEERS, |key, value| {
            Ok(PeerSeen {
                peer: Id::from_slice(key).ok_or_else(bad_key)?,
                seen: codec::decode(value)?,
            })
        })
    }

    pub fn scan_item_codes(&self) -> impl Iterator<Item = Result<ItemCode, StoreError>> + '_ {
        self.scan_log(ITEM_CODES, |key, value| {
            // `CODE`, `-`, the number as 4 bytes.
            let split = key.len().checked_sub(5).ok_or_else(bad_key)?;
            let (code, number) = key.split_at(split);
            Ok(ItemCode {
                code: std::str::from_utf8(code)
                    .map_err(|_| bad_key())?
                    .to_string(),
                number: u32::from_be_bytes(number[1..].try_into().map_err(|_| bad_key())?),
                item: Id::from_slice(value).ok_or_else(bad_key)?,
            })
        })
    }

    /// One tree of the log's state read out; an entry that cannot be read stops the backup
    /// with an error naming it, as a damaged record does.
    fn scan_log<T>(
        &self,
        tree: usize,
        read: impl Fn(&[u8], &[u8]) -> Result<T, codec::DecodeError> + 'static,
    ) -> impl Iterator<Item = Result<T, StoreError>> + '_ {
        self.trees[tree].iter().map(move |entry| {
            let (key, value) = entry?;
            read(&key, &value).map_err(|error| StoreError::Corrupt {
                tree: TREE_NAMES[tree],
                key: key_text(&key),
                error,
            })
        })
    }

    /// Takes on a restored ledger's actor and clock, here: opened again in this directory
    /// it stays that actor (see `claim_actor`).
    pub(super) fn take_ledger(&self, state: LedgerState) -> Result<(), StoreError> {
        // The clock as the ledger left it: this database's own operations were cleared by the
        // restore, and the next tick is never behind the wall clock anyway.
        self.trees[META].insert(META_ACTOR, codec::encode(&state.actor))?;
        self.trees[META].insert(META_HLC, codec::encode(&state.hlc))?;
        self.claim_home()
    }
}

fn bad_key() -> codec::DecodeError {
    codec::DecodeError::Payload {
        message: "a key of the wrong shape".into(),
    }
}

pub(super) fn tx_restore_entry(tx: &[TransactionalTree], entry: &LogEntry) -> TxResult<()> {
    match entry {
        LogEntry::Op(op) => oplog::tx_append(tx, op),
        LogEntry::Heads(h) => {
            oplog::tx_set_heads(tx, h.kind, h.record, &h.field, &h.heads)?;
            Ok(())
        }
        LogEntry::Peer(p) => tx_insert(tx, PEERS, p.peer.as_bytes(), &p.seen),
        LogEntry::ItemCode(c) => {
            tx[ITEM_CODES].insert(item_code_key(&c.code, c.number), c.item.as_bytes())?;
            Ok(())
        }
    }
}
