//! What the sync needs from a ledger, and nothing more: its actor, its own operations after
//! a sequence number, and applying operations from others together with the pull cursor.

use std::fmt;

/// One encoded operation as the server carries it. `seq` counts from 1, gapless per actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub actor: String,
    pub seq: u64,
    pub payload: Vec<u8>,
}

/// How far this ledger has pulled from one server: the zone's id (a server rebuilt from
/// scratch has a new one, and is pulled again from the start) and the last serial applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub zone: String,
    pub serial: i64,
}

/// What applying a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Operations this ledger did not have yet.
    pub new: usize,
    /// Conflicts the batch raised.
    pub conflicts: usize,
    /// Operations refused: their payload does not say the actor and sequence number the
    /// server filed them under (a member cannot pass off another's operations as theirs).
    pub rejected: usize,
    /// Responses to items (a department's answer) among the operations from others.
    pub responses: usize,
}

#[derive(Debug)]
pub struct LedgerError(pub String);

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A ledger as the sync sees it. The store implements it over its operation log; tests and
/// the bench use `mem::MemLedger`.
pub trait Ledger {
    /// This ledger's actor id, as text.
    fn actor(&self) -> String;
    /// The highest sequence number of this ledger's own operations (0 for none).
    fn head(&self) -> Result<u64, LedgerError>;
    /// This ledger's own operations with `seq > after`, ascending, at most `limit`.
    fn own_ops_after(&self, after: u64, limit: usize) -> Result<Vec<Op>, LedgerError>;
    /// Applies operations (any actors, possibly already known: applying is idempotent) and
    /// records `cursor` in the same step, so that a crash between the two cannot lose a
    /// batch or make the next sync skip one.
    fn apply(&mut self, ops: &[Op], cursor: &Cursor) -> Result<Applied, LedgerError>;
    /// The cursor recorded by the last `apply`, if any.
    fn cursor(&self) -> Option<Cursor>;
}
