//! Schema v2 to v3: items carry tags. An item's bincode payload gains a field, so every item
//! is decoded in its old shape and written again with no tags; every other envelope only
//! changes its version (their payloads are the same: a new `Change` variant is appended, so
//! stored events decode as before).

use super::*;
use crate::model::{Change, Priority, Resolution, Status};
use chrono::NaiveDate;
use serde::Deserialize;

/// An item as schemas v1 and v2 stored it: `Issue` without its tags.
#[derive(Deserialize)]
pub(in crate::store) struct IssueV2 {
    id: Id,
    number: u32,
    firm: Id,
    visit: Option<Id>,
    title: String,
    detail: String,
    category: Option<Id>,
    department: Option<Id>,
    owner: String,
    priority: Priority,
    status: Status,
    due: Option<NaiveDate>,
    resolution: Option<Resolution>,
    created: LocalTime,
    updated: LocalTime,
}

impl From<IssueV2> for Issue {
    fn from(old: IssueV2) -> Issue {
        Issue {
            id: old.id,
            number: old.number,
            firm: old.firm,
            visit: old.visit,
            title: old.title,
            detail: old.detail,
            category: old.category,
            department: old.department,
            owner: old.owner,
            priority: old.priority,
            status: old.status,
            due: old.due,
            resolution: old.resolution,
            created: old.created,
            updated: old.updated,
            tags: Vec::new(),
            // The closing time is in the history (`to_v3`); the last change stands in.
            closed: (old.status == Status::Closed).then_some(old.updated),
        }
    }
}

/// Rewrites every v2 envelope of the record trees as v3, in batches. A value already v3 (an
/// earlier, interrupted run) or one that cannot be read (left for `check` and `repair`) is
/// left alone, so the step can run again. Index trees hold raw bytes and need nothing.
pub(in crate::store) fn to_v3(store: &Store) -> Result<(), StoreError> {
    for (index, (tree, name)) in store.trees.iter().zip(TREE_NAMES).enumerate() {
        if name.starts_with("idx_") {
            continue;
        }
        let mut batch = sled::Batch::default();
        let mut pending = 0;
        for entry in tree.iter() {
            let (key, value) = entry?;
            let new = if records::is_grouped(index) {
                // A malformed group is left as it is: `repair` sets it aside.
                let Some(members) = records::members(&key, &value) else {
                    continue;
                };
                let mut changed = false;
                let mut out = std::collections::BTreeMap::new();
                for (k, v) in members {
                    let upgraded = upgrade(store, index, k, v)?;
                    changed |= upgraded.is_some();
                    out.insert(k.to_vec(), upgraded.unwrap_or_else(|| v.to_vec()));
                }
                if !changed {
                    continue;
                }
                records::group_value(&out)
            } else {
                match upgrade(store, index, &key, &value)? {
                    Some(bytes) => bytes,
                    None => continue,
                }
            };
            batch.insert(key, new);
            pending += 1;
            if pending == STEP_BATCH {
                tree.apply_batch(std::mem::take(&mut batch))?;
                pending = 0;
            }
        }
        tree.apply_batch(batch)?;
    }
    Ok(())
}

/// The value as schema v3 stores it; none when it is not a readable v2 envelope.
fn upgrade(
    store: &Store,
    tree: usize,
    key: &[u8],
    value: &[u8],
) -> Result<Option<Vec<u8>>, StoreError> {
    let Ok((2, payload)) = codec::open_envelope(value) else {
        return Ok(None);
    };
    if tree == ISSUES {
        let Ok(old) = codec::decode_payload::<IssueV2>(payload) else {
            return Ok(None);
        };
        let mut issue = Issue::from(old);
        if issue.status == Status::Closed {
            issue.closed = closed_in_history(store, key)?.or(issue.closed);
        }
        return Ok(Some(codec::encode(&issue)));
    }
    let mut bytes = value.to_vec();
    bytes[1..3].copy_from_slice(&3u16.to_be_bytes());
    Ok(Some(bytes))
}

/// When the item was last closed, as its history says (v2 or, once its step ran, v3: the
/// events' shape is the same); none when the history cannot be read.
fn closed_in_history(store: &Store, key: &[u8]) -> Result<Option<LocalTime>, StoreError> {
    let Some(bytes) = store.record_get(HISTORY, key)? else {
        return Ok(None);
    };
    let Ok((_, payload)) = codec::open_envelope(&bytes) else {
        return Ok(None);
    };
    let Ok(history) = codec::decode_payload::<History>(payload) else {
        return Ok(None);
    };
    Ok(history
        .events
        .iter()
        .rev()
        .find(|e| closes(&e.change))
        .map(|e| e.at))
}

/// Does the change close the item (an undone reopening too)?
fn closes(change: &Change) -> bool {
    match change {
        Change::Status { to, .. } => *to == Status::Closed,
        Change::Reverted {
            change: Some(inner),
            ..
        } => closes(inner),
        _ => false,
    }
}
