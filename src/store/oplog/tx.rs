//! The operation log inside a record's transaction: the clock, sequence numbers, heads and
//! the operations a change appends, written with the record they describe.

use super::*;

fn tx_meta_id(tx: &[TransactionalTree]) -> TxResult<Id> {
    match tx_decode::<Id>(tx, META, META_ACTOR)? {
        Some(actor) => Ok(actor),
        None => abort(StoreError::NotFound {
            what: "meta entry",
            key: "actor".into(),
        }),
    }
}

/// The next clock value: after every one seen, and not behind the wall clock.
pub(in crate::store) fn tx_tick(tx: &[TransactionalTree], seen: u64) -> TxResult<u64> {
    let last: u64 = tx_decode(tx, META, META_HLC)?.unwrap_or(0);
    let next = now_hlc().max(last + 1).max(seen);
    tx_insert(tx, META, META_HLC, &next)?;
    Ok(next)
}

pub(in crate::store) fn tx_version(tx: &[TransactionalTree], actor: Id) -> TxResult<u64> {
    Ok(tx[VERSIONS]
        .get(actor.as_bytes())?
        .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes))
        .unwrap_or(0))
}

pub(in crate::store) fn tx_heads(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    field: &str,
) -> TxResult<Vec<Head>> {
    Ok(tx_decode(tx, OP_HEADS, &field_key(kind, record, field))?.unwrap_or_default())
}

/// Stores `heads` for the field and marks or clears its conflict.
pub(in crate::store) fn tx_set_heads(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    field: &str,
    heads: &[Head],
) -> TxResult<bool> {
    let key = field_key(kind, record, field);
    if heads.is_empty() {
        tx[OP_HEADS].remove(key.as_slice())?;
    } else {
        tx_insert(tx, OP_HEADS, &key, &heads.to_vec())?;
    }
    let (_, conflict) = resolve_heads(field, heads);
    if conflict {
        tx[CONFLICTS].insert(key, &[])?;
    } else {
        tx[CONFLICTS].remove(key)?;
    }
    Ok(conflict)
}

/// Appends an operation to the log (its id already allocated) and counts it as held.
pub(in crate::store) fn tx_append(tx: &[TransactionalTree], op: &Op) -> TxResult<()> {
    oplog_groups::tx_put(&tx[OPLOG], op)?;
    tx[VERSIONS].insert(op.id.actor.as_bytes(), &op.id.seq.to_be_bytes())?;
    Ok(())
}

/// This database's next operation, made and logged.
fn tx_local(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    field: &str,
    value: String,
    pred: Vec<OpId>,
) -> TxResult<Op> {
    let actor = tx_meta_id(tx)?;
    let seq = tx_version(tx, actor)? + 1;
    let author: String = tx_decode(tx, META, META_USER)?.unwrap_or_default();
    let op = Op {
        id: OpId { actor, seq },
        hlc: tx_tick(tx, 0)?,
        kind,
        record,
        field: field.to_string(),
        value,
        pred,
        author,
    };
    tx_append(tx, &op)?;
    Ok(op)
}

/// The creations of many records, as `tx_local` makes them one by one (the same ids in
/// sequence, the same clock ticks), with the meta entries read and written once: for items
/// added in bulk. Each is (kind, record, the record as JSON).
pub(in crate::store) fn tx_local_creations(
    tx: &[TransactionalTree],
    creations: Vec<(RecordKind, Id, String)>,
) -> TxResult<()> {
    if creations.is_empty() {
        return Ok(());
    }
    let actor = tx_meta_id(tx)?;
    let mut seq = tx_version(tx, actor)?;
    let author: String = tx_decode(tx, META, META_USER)?.unwrap_or_default();
    let mut hlc: u64 = tx_decode(tx, META, META_HLC)?.unwrap_or(0);
    let mut encoded = Vec::with_capacity(creations.len());
    for (kind, record, value) in creations {
        seq += 1;
        hlc = now_hlc().max(hlc + 1);
        let op = Op {
            id: OpId { actor, seq },
            hlc,
            kind,
            record,
            field: String::new(),
            value,
            pred: Vec::new(),
            author: author.clone(),
        };
        encoded.push((seq, codec::encode(&op)));
    }
    oplog_groups::tx_put_many(&tx[OPLOG], actor, &encoded)?;
    tx[VERSIONS].insert(actor.as_bytes(), &seq.to_be_bytes())?;
    tx_insert(tx, META, META_HLC, &hlc)
}

/// The operations of a local write of a record: its creation (no `old`), or one per field
/// that changed, each replacing the field's standing values (which resolves a conflict).
pub(in crate::store) fn tx_record_ops<T: Serialize>(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    old: Option<&T>,
    new: &T,
) -> TxResult<()> {
    let Some(old) = old else {
        tx_local(tx, kind, record, "", to_json(new), Vec::new())?;
        return Ok(());
    };
    let (old, new) = (json_fields(old), json_fields(new));
    for (field, value) in &new {
        if old.get(field) == Some(value) {
            continue;
        }
        tx_field_op(tx, kind, record, field, value.to_string())?;
    }
    Ok(())
}

/// A local change of one field to `value` (JSON), replacing whatever stands.
pub(in crate::store) fn tx_field_op(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    field: &str,
    value: String,
) -> TxResult<Op> {
    let pred = tx_heads(tx, kind, record, field)?
        .iter()
        .map(|h| h.op)
        .collect();
    let op = tx_local(tx, kind, record, field, value, pred)?;
    tx_set_heads(tx, kind, record, field, &[Head::of(&op)])?;
    Ok(op)
}

/// The creation of a history event.
pub(in crate::store) fn tx_event_op(tx: &[TransactionalTree], event: &IssueEvent) -> TxResult<()> {
    tx_local(
        tx,
        RecordKind::Event,
        event.id,
        "",
        event_ref(event),
        Vec::new(),
    )?;
    Ok(())
}

/// A field's heads after `op`: the values it replaces go, it stands.
pub(in crate::store) fn merged_heads(mut heads: Vec<Head>, op: &Op) -> Vec<Head> {
    // An empty `pred` replaces what the record was created with, however many creations.
    heads.retain(|h| {
        !op.pred.contains(&h.op) && h.op != op.id && !(op.pred.is_empty() && h.creation)
    });
    heads.push(Head::of(op));
    heads.sort_by_key(|h| h.op);
    heads
}

/// Applies `op` to the heads of its field: the values it replaces go, it stands. Returns
/// the value the field now shows and whether it is a conflict.
pub(in crate::store) fn tx_merge_heads(
    tx: &[TransactionalTree],
    op: &Op,
) -> TxResult<(Option<String>, bool)> {
    let heads = merged_heads(tx_heads(tx, op.kind, op.record, &op.field)?, op);
    let conflict = tx_set_heads(tx, op.kind, op.record, &op.field, &heads)?;
    Ok((resolve_heads(&op.field, &heads).0, conflict))
}
