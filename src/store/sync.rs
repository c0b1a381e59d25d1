//! Merging: another ledger's operations applied to this one, all in one transaction. Applying
//! is idempotent (an operation already held is skipped) and order-free: a field's value is a
//! function of its standing operations (`oplog::resolve_heads`), whatever order they came in.
//! Operations come in causal order because a bundle carries, for every actor, everything the
//! peer has not seen (see docs/sync.md); a bundle that would leave a gap is refused.

use super::item_codes::{item_code_key, ledger_code};
use super::oplog::{self, tx_append, tx_merge_heads, tx_tick, tx_version, with_field, Head, Op};
use super::*;
use std::collections::{BTreeMap, HashSet};

/// What a version vector says: per actor, how many of its operations are held.
pub type Versions = BTreeMap<Id, u64>;

/// What applying a bundle did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Operations not held before.
    pub new_ops: usize,
    /// Records created or changed.
    pub records: usize,
    /// Fields left in conflict by them.
    pub conflicts: usize,
}

fn refused(reason: String) -> StoreError {
    StoreError::Sync { reason }
}

impl Store {
    /// The operations a peer that has seen `seen` lacks, in clock order; `None`: all.
    pub fn ops_missing_from(&self, seen: Option<&Versions>) -> Result<Vec<Op>, StoreError> {
        let mut out = Vec::new();
        for (actor, _) in self.versions()? {
            let after = seen.and_then(|s| s.get(&actor)).copied().unwrap_or(0);
            for op in self.ops_after(actor, after) {
                out.push(op?);
            }
        }
        out.sort_by_key(|op| (op.hlc, op.id));
        Ok(out)
    }

    /// What `peer` said it had seen in the last bundle it sent us.
    pub fn peer_versions(&self, peer: Id) -> Result<Option<Versions>, StoreError> {
        self.get(PEERS, peer)
    }

    /// Every peer heard from, with what it had seen.
    pub fn peers(&self) -> Result<Vec<(Id, Versions)>, StoreError> {
        let mut out = Vec::new();
        for entry in self.trees[PEERS].iter() {
            let (key, _) = entry?;
            if let Some(peer) = Id::from_slice(&key) {
                if let Some(seen) = self.peer_versions(peer)? {
                    out.push((peer, seen));
                }
            }
        }
        Ok(out)
    }

    /// Applies another ledger's operations, all or nothing, and remembers what `sender` had
    /// seen. Operations already held are skipped.
    pub fn apply_ops(
        &self,
        ops: &[Op],
        sender: Option<(Id, &Versions)>,
    ) -> Result<Applied, StoreError> {
        let mut ops: Vec<&Op> = ops.iter().collect();
        // Clock order is causal order: an operation's clock is after those it saw.
        ops.sort_by_key(|op| (op.hlc, op.id));
        let creations = Creations {
            log: &self.trees[OPLOG],
            bundle: &ops,
            found: Default::default(),
        };
        let (applied, touched) = loop {
            match self.apply_in_transaction(&ops, sender, &creations) {
                Err(StoreError::Sync { reason }) if reason == NEED_CREATIONS => {
                    creations.gather()?
                }
                other => break other?,
            }
        };
        // The journal holds records: the ones the operations changed, as they now are.
        if self.journaling() {
            let mut entries = Vec::new();
            for (kind, id) in &touched {
                match kind {
                    RecordKind::Firm => entries.extend(self.firm(*id)?.map(journal::Op::Firm)),
                    RecordKind::Visit => entries.extend(self.visit(*id)?.map(journal::Op::Visit)),
                    RecordKind::Issue => entries.extend(self.issue(*id)?.map(journal::Op::Issue)),
                    RecordKind::Department => entries.extend(
                        self.departments()?
                            .records
                            .into_iter()
                            .filter(|d| d.id == *id)
                            .map(journal::Op::Department),
                    ),
                    RecordKind::Category => entries.extend(
                        self.categories()?
                            .records
                            .into_iter()
                            .filter(|c| c.id == *id)
                            .map(journal::Op::Category),
                    ),
                    RecordKind::Event | RecordKind::Sla => {}
                }
            }
            for op in ops.iter().filter(|op| op.kind == RecordKind::Event) {
                if touched.contains(&(RecordKind::Event, op.record)) {
                    if let Ok(event) = serde_json::from_str::<IssueEvent>(&op.value) {
                        entries.push(journal::Op::Event(event));
                    }
                }
            }
            self.journal(|| entries)?;
        }
        self.flush()?;
        Ok(applied)
    }

    fn apply_in_transaction(
        &self,
        ops: &[&Op],
        sender: Option<(Id, &Versions)>,
        creations: &Creations,
    ) -> Result<(Applied, HashSet<(RecordKind, Id)>), StoreError> {
        self.transaction(|tx| {
            let mut applied = Applied::default();
            let mut conflicted = HashSet::new();
            let mut changed_records = HashSet::new();
            for op in ops {
                let held = tx_version(tx, op.id.actor)?;
                if op.id.seq <= held {
                    continue;
                }
                if op.id.seq != held + 1 {
                    return abort(refused(format!(
                        "operation {} of {} comes after {held}, and the ones between are \
                         missing; ask its sender for `sync export --all`",
                        op.id.seq, op.id.actor
                    )));
                }
                tx_append(tx, op)?;
                tx_tick(tx, op.hlc)?;
                applied.new_ops += 1;
                let (changed, conflict) = tx_apply(tx, op, creations)?;
                if changed {
                    changed_records.insert((op.kind, op.record));
                }
                if conflict {
                    conflicted.insert(oplog::field_key(op.kind, op.record, &op.field));
                }
            }
            if let Some((sender, seen)) = sender {
                tx_insert(tx, PEERS, sender.as_bytes(), seen)?;
            }
            applied.conflicts = conflicted.len();
            applied.records = changed_records.len();
            Ok((applied, changed_records))
        })
    }
}

fn bad_value(op: &Op, error: impl std::fmt::Display) -> ConflictableTransactionError<StoreError> {
    ConflictableTransactionError::Abort(refused(format!(
        "operation {} of {} ({} {} {}): {error}",
        op.id.seq,
        op.id.actor,
        op.kind.name(),
        op.record,
        if op.field.is_empty() {
            "creation"
        } else {
            &op.field
        }
    )))
}

fn parse<T: DeserializeOwned>(op: &Op, json: &str) -> TxResult<T> {
    serde_json::from_str(json).map_err(|e| bad_value(op, e))
}

/// One operation's effect on the records: whether a record changed, and whether its field
/// now stands in conflict.
fn tx_apply(tx: &[TransactionalTree], op: &Op, creations: &Creations) -> TxResult<(bool, bool)> {
    if op.field.is_empty() {
        return tx_create(tx, op, creations);
    }
    let (value, conflict) = tx_merge_heads(tx, op)?;
    let Some(value) = value else {
        return Ok((false, conflict));
    };
    let key = op.record.as_bytes();
    let changed = match op.kind {
        RecordKind::Firm => match tx_decode::<Firm>(tx, FIRMS, key)? {
            Some(old) => {
                let new = with_field(&old, &op.field, &value).map_err(|e| bad_value(op, e))?;
                new != old && {
                    tx_put_firm_merged(tx, &new)?;
                    true
                }
            }
            None => false,
        },
        RecordKind::Visit => match tx_decode::<Visit>(tx, VISITS, key)? {
            Some(old) => {
                let new = with_field(&old, &op.field, &value).map_err(|e| bad_value(op, e))?;
                new != old && {
                    tx_put_visit(tx, &new)?;
                    true
                }
            }
            None => false,
        },
        RecordKind::Issue => match tx_decode::<Issue>(tx, ISSUES, key)? {
            Some(old) => {
                let new = with_field(&old, &op.field, &value).map_err(|e| bad_value(op, e))?;
                new != old && {
                    tx_put_issue(tx, &new, &[])?;
                    true
                }
            }
            None => false,
        },
        RecordKind::Department => match tx_decode::<Department>(tx, DEPARTMENTS, key)? {
            Some(old) => {
                let new = with_field(&old, &op.field, &value).map_err(|e| bad_value(op, e))?;
                new != old && {
                    tx_insert(tx, DEPARTMENTS, key, &new)?;
                    true
                }
            }
            None => false,
        },
        RecordKind::Category => match tx_decode::<Category>(tx, CATEGORIES, key)? {
            Some(old) => {
                let new = with_field(&old, &op.field, &value).map_err(|e| bad_value(op, e))?;
                new != old && {
                    tx_insert(tx, CATEGORIES, key, &new)?;
                    true
                }
            }
            None => false,
        },
        RecordKind::Sla => {
            let sla: Sla = parse(op, &value)?;
            tx_insert(tx, META, META_SLA, &sla)?;
            true
        }
        // Events are only ever created.
        RecordKind::Event => false,
    };
    Ok((changed, conflict))
}

/// The creations of records, from the log and the bundle being applied: needed only when a
/// record was created on two ledgers with different values (copies of one ledger that
/// changed apart before either logged operations), so gathered on first need.
type CreationsByRecord = std::collections::HashMap<(RecordKind, Id), Vec<Op>>;

pub(super) struct Creations<'a> {
    log: &'a sled::Tree,
    bundle: &'a [&'a Op],
    found: std::cell::RefCell<Option<CreationsByRecord>>,
}

/// The reason a transaction stops to gather `Creations` (a sled tree cannot be walked
/// inside a transaction over it).
const NEED_CREATIONS: &str = "\0gather creations";

impl Creations<'_> {
    fn of(&self, kind: RecordKind, record: Id) -> TxResult<Vec<Op>> {
        let found = self.found.borrow();
        let Some(map) = found.as_ref() else {
            return abort(refused(NEED_CREATIONS.into()));
        };
        let mut ops = map.get(&(kind, record)).cloned().unwrap_or_default();
        ops.sort_by_key(|op| op.id);
        ops.dedup_by_key(|op| op.id);
        Ok(ops)
    }

    /// Every creation in the log and the bundle, by record.
    fn gather(&self) -> Result<(), StoreError> {
        let mut map: std::collections::HashMap<_, Vec<Op>> = Default::default();
        let mut add = |op: Op| {
            if op.field.is_empty() && op.kind != RecordKind::Event {
                map.entry((op.kind, op.record)).or_default().push(op);
            }
        };
        for entry in self.log.iter() {
            let (key, value) = entry?;
            // A damaged entry is `check`'s to report; the creations it held are missed here.
            for op in super::oplog_groups::entry_ops(&key, &value).unwrap_or_default() {
                add(op);
            }
        }
        for op in self.bundle {
            add((*op).clone());
        }
        *self.found.borrow_mut() = Some(map);
        Ok(())
    }
}

/// A record created elsewhere; one created here too (the same id) is `tx_recreate`d.
fn tx_create(tx: &[TransactionalTree], op: &Op, creations: &Creations) -> TxResult<(bool, bool)> {
    let key = op.record.as_bytes();
    match op.kind {
        RecordKind::Firm => match tx_decode::<Firm>(tx, FIRMS, key)? {
            Some(old) => {
                return tx_recreate(tx, op, &old, creations, |f| tx_put_firm_merged(tx, f))
            }
            None => tx_put_firm_merged(tx, &parse(op, &op.value)?)?,
        },
        RecordKind::Visit => match tx_decode::<Visit>(tx, VISITS, key)? {
            Some(old) => return tx_recreate(tx, op, &old, creations, |v| tx_put_visit(tx, v)),
            None => tx_put_visit(tx, &parse(op, &op.value)?)?,
        },
        RecordKind::Issue => match tx_decode::<Issue>(tx, ISSUES, key)? {
            Some(old) => return tx_recreate(tx, op, &old, creations, |i| tx_put_issue(tx, i, &[])),
            None => tx_put_issue_merged(tx, &parse(op, &op.value)?, op.id.actor)?,
        },
        RecordKind::Event => {
            let event: IssueEvent = parse(op, &op.value)?;
            let Some(issue) = tx_decode::<Issue>(tx, ISSUES, event.issue.as_bytes())? else {
                return Err(bad_value(op, "its item is not in this ledger"));
            };
            let history: History = tx_decode(tx, HISTORY, issue.id.as_bytes())?.unwrap_or_default();
            if let Some(held) = history.events.iter().find(|e| e.id == event.id) {
                // One event made on two ledgers differently: the same one is kept everywhere
                // (events are never edited, so this is copies of a ledger that parted).
                if oplog::to_json(held) >= op.value {
                    return Ok((false, false));
                }
            }
            tx_put_issue(tx, &issue, &[event])?;
        }
        RecordKind::Department => match tx_decode::<Department>(tx, DEPARTMENTS, key)? {
            Some(old) => {
                return tx_recreate(tx, op, &old, creations, |d| {
                    tx_insert(tx, DEPARTMENTS, key, d)
                })
            }
            None => tx_insert(tx, DEPARTMENTS, key, &parse::<Department>(op, &op.value)?)?,
        },
        RecordKind::Category => match tx_decode::<Category>(tx, CATEGORIES, key)? {
            Some(old) => {
                return tx_recreate(tx, op, &old, creations, |c| {
                    tx_insert(tx, CATEGORIES, key, c)
                })
            }
            None => tx_insert(tx, CATEGORIES, key, &parse::<Category>(op, &op.value)?)?,
        },
        RecordKind::Sla => {
            tx_insert(tx, META, META_SLA, &parse::<Sla>(op, &op.value)?)?;
        }
    }
    Ok((true, false))
}

/// A record created again, on another ledger. Where the creations agree nothing changes;
/// a field they set differently, and that nobody changed since, keeps every creation's value
/// as a conflict. The record is then the same function of its operations on every ledger.
fn tx_recreate<T: Serialize + DeserializeOwned + PartialEq>(
    tx: &[TransactionalTree],
    op: &Op,
    existing: &T,
    creations: &Creations,
    put: impl Fn(&T) -> TxResult<()>,
) -> TxResult<(bool, bool)> {
    let incoming: serde_json::Map<String, serde_json::Value> = parse(op, &op.value)?;
    if incoming == oplog::json_fields(existing) {
        return Ok((false, false));
    }
    let mut all = creations.of(op.kind, op.record)?;
    if !all.iter().any(|c| c.id == op.id) {
        all.push(op.clone());
    }
    let mut parsed = Vec::new();
    for creation in &all {
        parsed.push((
            creation,
            parse::<serde_json::Map<_, _>>(creation, &creation.value)?,
        ));
    }
    let Some((_, base)) = parsed.iter().max_by_key(|(c, _)| (c.hlc, c.id)) else {
        return Ok((false, false));
    };
    let mut record = base.clone();
    let fields: std::collections::BTreeSet<String> =
        parsed.iter().flat_map(|(_, m)| m.keys().cloned()).collect();
    let mut conflict = false;
    for field in fields {
        let heads = oplog::tx_heads(tx, op.kind, op.record, &field)?;
        let (new_heads, value) = recreated_field(&field, &heads, &parsed);
        if let Some(new_heads) = new_heads {
            conflict |= oplog::tx_set_heads(tx, op.kind, op.record, &field, &new_heads)?;
        }
        if let Some(value) = value {
            let value = serde_json::from_str(&value).map_err(|e| bad_value(op, e))?;
            record.insert(field, value);
        }
    }
    let new: T =
        serde_json::from_value(serde_json::Value::Object(record)).map_err(|e| bad_value(op, e))?;
    let changed = new != *existing;
    if changed {
        put(&new)?;
    }
    Ok((changed, conflict))
}

/// One field of a record created more than once (`tx_recreate`): its new heads, if they
/// change, and its value. A change made since stands; else differing creations conflict.
pub(super) fn recreated_field(
    field: &str,
    heads: &[Head],
    creations: &[(&Op, serde_json::Map<String, serde_json::Value>)],
) -> (Option<Vec<Head>>, Option<String>) {
    if heads.iter().any(|h| !h.creation) {
        return (None, oplog::resolve_heads(field, heads).0);
    }
    let mut created: Vec<Head> = creations
        .iter()
        .map(|(c, m)| {
            let value = m.get(field).cloned().unwrap_or_default().to_string();
            Head::created(c, value)
        })
        .collect();
    created.sort_by_key(|h| h.op);
    let distinct: HashSet<&String> = created.iter().map(|h| &h.value).collect();
    if distinct.len() <= 1 {
        let value = created.first().map(|h| h.value.clone());
        ((!heads.is_empty()).then(Vec::new), value)
    } else {
        let value = oplog::resolve_heads(field, &created).0;
        (Some(created), value)
    }
}

/// A firm from another ledger. One whose name another firm here already has is kept beside
/// it (the name index stays with the first): a likely duplicate, listed by
/// `Store::likely_duplicates` for someone to merge.
fn tx_put_firm_merged(tx: &[TransactionalTree], firm: &Firm) -> TxResult<()> {
    let name_key = keys::firm_name(firm);
    match tx[IDX_FIRM_NAME].get(&name_key)? {
        Some(owner) if owner.as_ref() != firm.id.as_bytes() => {
            match tx_decode::<Firm>(tx, FIRMS, firm.id.as_bytes())? {
                Some(old) => {
                    let old_key = keys::firm_name(&old);
                    let owned = tx[IDX_FIRM_NAME].get(&old_key)?;
                    if owned.as_deref() == Some(firm.id.as_bytes().as_slice()) {
                        tx[IDX_FIRM_NAME].remove(old_key)?;
                    }
                }
                None => tx_add(tx, Counter::Firms, 1)?,
            }
            tx_insert(
                tx,
                FIRM_SEARCH,
                firm.id.as_bytes(),
                &FirmKeys::new(&firm.name, &firm.short_name),
            )?;
            tx_insert(tx, FIRMS, firm.id.as_bytes(), firm)
        }
        _ => tx_put_firm(tx, firm),
    }
}

/// An item from another ledger keeps the number its ledger gave it; it is also filed under
/// that ledger's code (`CODE-N`, docs/sync.md). A plain number another item here already has
/// stays with that item.
fn tx_put_issue_merged(tx: &[TransactionalTree], issue: &Issue, origin: Id) -> TxResult<()> {
    let number = keys::issue_number(issue.number);
    let owner = grouped::tx_index_get(tx, IDX_ISSUE_NUMBER, &number)?;
    tx_put_issue(tx, issue, &[])?;
    // This ledger's next items are numbered after every number seen, so that plain numbers
    // given from now on are taken by no other ledger's item known here.
    let next: u32 = tx_decode(tx, META, META_NEXT_NUMBER)?.unwrap_or(1);
    if issue.number >= next {
        tx_insert(tx, META, META_NEXT_NUMBER, &(issue.number + 1))?;
    }
    if let Some(owner) = owner {
        grouped::tx_index_insert(tx, IDX_ISSUE_NUMBER, &number, &owner)?;
    }
    tx[ITEM_CODES].insert(
        item_code_key(&ledger_code(origin), issue.number),
        issue.id.as_bytes(),
    )?;
    Ok(())
}

impl Store {
    /// Ends a conflict (or changes a field) with `value` (JSON): an operation whose `pred`
    /// is every value standing, and the record as it now is.
    pub fn resolve_conflict(
        &self,
        kind: RecordKind,
        record: Id,
        field: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        let bad = |e: String| StoreError::Sync {
            reason: format!("{} {record} {field}: {e}", kind.name()),
        };
        serde_json::from_str::<serde_json::Value>(value).map_err(|e| bad(e.to_string()))?;
        let key = record.as_bytes();
        self.transaction(|tx| {
            let fail = |e: String| ConflictableTransactionError::Abort(bad(e));
            match kind {
                RecordKind::Issue => {
                    let Some(old) = tx_decode::<Issue>(tx, ISSUES, key)? else {
                        return abort(bad("no such item".into()));
                    };
                    let new = with_field(&old, field, value).map_err(fail)?;
                    oplog::tx_field_op(tx, kind, record, field, value.to_string())?;
                    tx_put_issue(tx, &new, &[])
                }
                RecordKind::Firm => {
                    let Some(old) = tx_decode::<Firm>(tx, FIRMS, key)? else {
                        return abort(bad("no such firm".into()));
                    };
                    let new = with_field(&old, field, value).map_err(fail)?;
                    oplog::tx_field_op(tx, kind, record, field, value.to_string())?;
                    tx_put_firm_merged(tx, &new)
                }
                RecordKind::Visit => {
                    let Some(old) = tx_decode::<Visit>(tx, VISITS, key)? else {
                        return abort(bad("no such visit".into()));
                    };
                    let new = with_field(&old, field, value).map_err(fail)?;
                    oplog::tx_field_op(tx, kind, record, field, value.to_string())?;
                    tx_put_visit(tx, &new)
                }
                _ => abort(bad("its conflicts are resolved by editing it".into())),
            }
        })?;
        let entry = match kind {
            RecordKind::Issue => self.issue(record)?.map(journal::Op::Issue),
            RecordKind::Firm => self.firm(record)?.map(journal::Op::Firm),
            RecordKind::Visit => self.visit(record)?.map(journal::Op::Visit),
            _ => None,
        };
        self.journal(|| entry.into_iter().collect())?;
        self.flush()
    }
}
