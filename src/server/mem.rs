//! An in-memory ledger for the server's tests and bench: operations set keys to values
//! (a multi-value register per key), so that convergence and conflicts can be checked
//! without the store. Its payload is text, `key\tvalue\tpred,pred` with `pred` = `actor:seq`.

use super::ledger::{Applied, Cursor, Ledger, LedgerError, Op};
use std::collections::{BTreeMap, BTreeSet};

/// An operation's id.
pub type OpId = (String, u64);

#[derive(Debug, Default, Clone)]
pub struct MemLedger {
    actor: String,
    head: u64,
    /// Every operation known, by id (own and others').
    ops: BTreeMap<OpId, Vec<u8>>,
    /// Per key, the operations whose values are current (not replaced by a known operation).
    current: BTreeMap<String, BTreeSet<OpId>>,
    /// Operations some known operation replaces.
    replaced: BTreeSet<OpId>,
    cursor: Option<Cursor>,
}

struct Decoded {
    key: String,
    value: String,
    pred: Vec<OpId>,
}

fn decode(payload: &[u8]) -> Result<Decoded, LedgerError> {
    let bad = || LedgerError(format!("not a test operation: {payload:?}"));
    let text = std::str::from_utf8(payload).map_err(|_| bad())?;
    let mut parts = text.split('\t');
    let (key, value, pred) = (parts.next(), parts.next(), parts.next());
    let (Some(key), Some(value), Some(pred)) = (key, value, pred) else {
        return Err(bad());
    };
    let pred = pred
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (actor, seq) = p.rsplit_once(':').ok_or_else(bad)?;
            Ok((actor.to_string(), seq.parse().map_err(|_| bad())?))
        })
        .collect::<Result<_, LedgerError>>()?;
    Ok(Decoded {
        key: key.into(),
        value: value.into(),
        pred,
    })
}

impl MemLedger {
    pub fn new(actor: &str) -> MemLedger {
        MemLedger {
            actor: actor.to_string(),
            ..MemLedger::default()
        }
    }

    /// Sets `key` to `value`, replacing every value this ledger sees for it now (so a
    /// conflict is resolved by setting the key again).
    pub fn set(&mut self, key: &str, value: &str) {
        let pred: Vec<String> = self
            .current
            .get(key)
            .into_iter()
            .flatten()
            .map(|(a, s)| format!("{a}:{s}"))
            .collect();
        let payload = format!("{key}\t{value}\t{}", pred.join(",")).into_bytes();
        self.head += 1;
        let id = (self.actor.clone(), self.head);
        self.insert(id, payload)
            .expect("an operation made here decodes");
    }

    /// Adds a known operation; false if it was known already.
    fn insert(&mut self, id: OpId, payload: Vec<u8>) -> Result<bool, LedgerError> {
        if self.ops.contains_key(&id) {
            return Ok(false);
        }
        let op = decode(&payload)?;
        for p in &op.pred {
            self.replaced.insert(p.clone());
            if let Some(set) = self.current.get_mut(&op.key) {
                set.remove(p);
            }
        }
        if !self.replaced.contains(&id) {
            self.current.entry(op.key).or_default().insert(id.clone());
        }
        self.ops.insert(id, payload);
        Ok(true)
    }

    /// The values of `key`, sorted: one, or several when it is in conflict.
    pub fn values(&self, key: &str) -> Vec<String> {
        let mut values: Vec<String> = self
            .current
            .get(key)
            .into_iter()
            .flatten()
            .map(|id| {
                decode(&self.ops[id])
                    .expect("stored operations decode")
                    .value
            })
            .collect();
        values.sort();
        values
    }

    /// Every key with its values: equal states print equal.
    pub fn state(&self) -> BTreeMap<String, Vec<String>> {
        self.current
            .keys()
            .map(|k| (k.clone(), self.values(k)))
            .collect()
    }

    /// The keys holding more than one value.
    pub fn conflicts(&self) -> Vec<String> {
        self.current
            .iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// How many operations of `actor` this ledger holds.
    pub fn count_of(&self, actor: &str) -> usize {
        self.ops.keys().filter(|(a, _)| a == actor).count()
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

impl Ledger for MemLedger {
    fn actor(&self) -> String {
        self.actor.clone()
    }

    fn head(&self) -> Result<u64, LedgerError> {
        Ok(self.head)
    }

    fn own_ops_after(&self, after: u64, limit: usize) -> Result<Vec<Op>, LedgerError> {
        let from = (self.actor.clone(), after + 1);
        let to = (self.actor.clone(), u64::MAX);
        Ok(self
            .ops
            .range(from..=to)
            .take(limit)
            .map(|((actor, seq), payload)| Op {
                actor: actor.clone(),
                seq: *seq,
                payload: payload.clone(),
            })
            .collect())
    }

    fn apply(&mut self, ops: &[Op], cursor: &Cursor) -> Result<Applied, LedgerError> {
        let before = self.conflicts().len();
        let mut applied = Applied::default();
        for op in ops {
            if self.insert((op.actor.clone(), op.seq), op.payload.clone())? {
                applied.new += 1;
            }
        }
        applied.conflicts = self.conflicts().len().saturating_sub(before);
        self.cursor = Some(cursor.clone());
        Ok(applied)
    }

    fn cursor(&self) -> Option<Cursor> {
        self.cursor.clone()
    }
}
