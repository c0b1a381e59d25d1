//! Grouped records inside a transaction: read, changed and merged with the rest of the
//! transaction's writes.

use super::*;

/// One record's bytes inside a transaction.
pub(in crate::store) fn tx_record_get(
    tx: &[TransactionalTree],
    tree: usize,
    key: &[u8],
) -> TxResult<Option<Vec<u8>>> {
    if !is_grouped(tree) {
        return Ok(tx[tree].get(key)?.map(|v| v.to_vec()));
    }
    if key.len() != Id::LEN {
        return Ok(None);
    }
    let group_key = group_of(key);
    let Some(group) = tx[tree].get(group_key)? else {
        return Ok(None);
    };
    let plain = unpacked(tree, &group);
    match plain
        .as_deref()
        .and_then(|plain| members(&group_key, plain))
    {
        Some(records) => Ok(records
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_vec())),
        // Writing around a damaged group would lose the records it still holds.
        None => abort(malformed(tree, &group_key)),
    }
}

/// Sets (`Some`) or removes (`None`) one record inside a transaction.
pub(in crate::store) fn tx_record_change(
    tx: &[TransactionalTree],
    tree: usize,
    key: &[u8],
    value: Option<&[u8]>,
) -> TxResult<()> {
    if !is_grouped(tree) {
        match value {
            Some(value) => tx[tree].insert(key, value)?,
            None => tx[tree].remove(key)?,
        };
        return Ok(());
    }
    if key.len() != Id::LEN {
        return abort(bad_key(tree, key));
    }
    let group_key = group_of(key);
    let group = tx[tree].get(group_key)?;
    let plain = group.as_deref().map(|bytes| unpacked(tree, bytes));
    let records = match &plain {
        None => Vec::new(),
        Some(plain) => match plain
            .as_deref()
            .and_then(|plain| members(&group_key, plain))
        {
            Some(records) => records,
            None => return abort(malformed(tree, &group_key)),
        },
    };
    let next = rebuilt(&records, key, value);
    if next.is_empty() {
        tx[tree].remove(&group_key)?;
    } else {
        tx[tree].insert(&group_key, packed(tree, next))?;
    }
    Ok(())
}

/// New records by group: group key → (record key → bytes).
pub(in crate::store) type NewRecords =
    std::collections::BTreeMap<[u8; GROUP_KEY_LEN], std::collections::BTreeMap<Vec<u8>, Vec<u8>>>;

/// A group's key and its new value.
pub(in crate::store) type MergedGroup = ([u8; GROUP_KEY_LEN], Vec<u8>);

/// New records merged into their groups in a transaction, read but not yet written: (group
/// key, the group's new value). `None` when one of the records is there already (then the
/// caller writes them another way).
pub(in crate::store) fn tx_records_merged(
    tx: &[TransactionalTree],
    tree: usize,
    records: NewRecords,
) -> TxResult<Option<Vec<MergedGroup>>> {
    let mut out = Vec::with_capacity(records.len());
    for (group_key, mut held) in records {
        if let Some(existing) = tx[tree].get(group_key)? {
            let plain = unpacked(tree, &existing);
            let Some(members) = plain.as_deref().and_then(|p| members(&group_key, p)) else {
                return abort(malformed(tree, &group_key));
            };
            for (key, value) in members {
                if held.contains_key(key) {
                    return Ok(None);
                }
                held.insert(key.to_vec(), value.to_vec());
            }
        }
        out.push((group_key, packed(tree, group_value(&held))));
    }
    Ok(Some(out))
}
