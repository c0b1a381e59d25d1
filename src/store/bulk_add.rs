//! New items added many to a transaction (`Store::bulk`: imports, seeding).
//!
//! Saved one by one (`tx_save_issue`), each new item read and rewrote its two record groups,
//! four index groups, the counters and the op log's meta entries inside the transaction:
//! most of an import's time went into copying groups and meta values in sled's transaction
//! cache. Here a transaction's new items are gathered first, and each group, counter and
//! meta entry is read and written once. What is written is what `tx_save_issue` writes for
//! a new item: the same records, index entries (`check::issue_entries`), counters and
//! creation operations, in the same order.

use super::records::NewRecords;
use super::*;
use std::collections::BTreeMap;

/// An index entry: key, value.
type Entry = (Vec<u8>, Vec<u8>);

/// The windows of neighbouring record groups `new_bulk_id` cycles through: 256 of 256 groups
/// each. A transaction's 2,000 items then share about 256 groups a tree, each read and
/// written once with its ~8 new members, instead of about 2,000 groups with one each; and
/// 100,000 items touch each group once, a million each about twice (not 15 times).
const GROUP_WINDOWS: u64 = 256;

/// The window of a record group (`records::group_of`).
fn window_of(group: [u8; 2]) -> u64 {
    (u64::from(u16::from_be_bytes(group)) * GROUP_WINDOWS) >> 16
}

/// A new id for the `nth` item (0, 1, …) a bulk write adds. The items of one of `Bulk`'s
/// transactions get ids whose record groups are neighbours (one window of `GROUP_WINDOWS`, the
/// next window for the next transaction), so that a transaction reads and rewrites few
/// groups, on few of sled's pages — past sled's cache, a page read back from disk each. The
/// id is `Id::new`'s (time, counter) with its last 32 random bits drawn again until its group
/// is in the window: still unique, still in creation order.
pub fn new_bulk_id(nth: u64) -> Id {
    let window = nth / BULK_CHUNK as u64 % GROUP_WINDOWS;
    let base = Id::new();
    let mut bytes = *base.as_bytes();
    // The group is crc32 of the id: its first 12 bytes hashed once, the last 4 per try.
    let mut head = crc32fast::Hasher::new();
    head.update(&bytes[..12]);
    let mut state = u64::from_le_bytes(bytes[8..16].try_into().unwrap_or([7; 8])) | 1;
    // One try in 256 fits; 20,000 misses in a row do not happen (p = 1e-34).
    for _ in 0..20_000 {
        // xorshift64: the bits need to be spread, not secret.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let tail = &state.to_le_bytes()[..4];
        let mut hasher = head.clone();
        hasher.update(tail);
        let group = ((hasher.finalize() & 0xFFFF) as u16).to_be_bytes();
        if window_of(group) == window {
            bytes[12..16].copy_from_slice(tail);
            debug_assert_eq!(records::group_of(&bytes), group);
            return Id::from_slice(&bytes).unwrap_or(base);
        }
    }
    base
}

/// Adds new items with their histories in one transaction; each gets the next #N, in order.
/// Returns their numbers. An item or a history already stored under one of the ids (which
/// `tx_save_issue` merges with) sends the whole batch through `tx_save_issue`.
pub(super) fn tx_add_issues(
    tx: &[TransactionalTree],
    issues: &[(Issue, Vec<IssueEvent>)],
    words: &mut WordChanges,
) -> TxResult<Vec<u32>> {
    match tx_add_new_issues(tx, issues, words)? {
        Some(numbers) => Ok(numbers),
        None => {
            let mut numbers = Vec::with_capacity(issues.len());
            for (issue, events) in issues {
                let mut issue = issue.clone();
                issue.number = tx_next_number(tx)?;
                tx_save_issue_into(tx, &issue, events, words)?;
                numbers.push(issue.number);
            }
            Ok(numbers)
        }
    }
}

/// As `tx_add_issues` when no id is taken; `None`, having written nothing, when one is.
fn tx_add_new_issues(
    tx: &[TransactionalTree],
    issues: &[(Issue, Vec<IssueEvent>)],
    words: &mut WordChanges,
) -> TxResult<Option<Vec<u32>>> {
    let mut numbers = Vec::with_capacity(issues.len());
    if issues.is_empty() {
        return Ok(Some(numbers));
    }
    let mut next: u32 = tx_decode(tx, META, META_NEXT_NUMBER)?.unwrap_or(1);
    let mut firms_seen = std::collections::HashSet::new();
    let mut creations = Vec::new();
    let mut by_status = [0i64; 5];
    let mut events_added = 0i64;
    let mut records: [NewRecords; 2] = Default::default();
    let mut entries: BTreeMap<usize, Vec<Entry>> = BTreeMap::new();
    // Each new item's words, given to `words` only once nothing sends the batch back.
    let mut grams = Vec::with_capacity(issues.len());
    for (issue, events) in issues {
        if firms_seen.insert(issue.firm) && tx[FIRMS].get(issue.firm.as_bytes())?.is_none() {
            return abort(StoreError::NotFound {
                what: "firm",
                key: issue.firm.to_string(),
            });
        }
        let mut issue = issue.clone();
        issue.number = next;
        next += 1;
        numbers.push(issue.number);
        creations.push((RecordKind::Issue, issue.id, oplog::to_json(&issue)));
        for event in events {
            creations.push((RecordKind::Event, event.id, oplog::event_ref(event)));
        }
        by_status[issue.status.as_byte() as usize] += 1;
        for (index, key, value) in check::issue_entries(&issue) {
            entries.entry(index).or_default().push((key, value));
        }
        let key = issue.id.as_bytes().to_vec();
        let group = records::group_of(&key);
        let mut responses = String::new();
        if !events.is_empty() {
            let mut history = History::default();
            for event in events {
                events_added += i64::from(history.upsert(event.clone()));
            }
            history.refresh();
            responses = history.responses.clone();
            records[1]
                .entry(group)
                .or_default()
                .insert(key.clone(), codec::encode(&history));
        }
        if records[0]
            .entry(group)
            .or_default()
            .insert(key, codec::encode(&issue))
            .is_some()
        {
            // The same id twice in one batch: the item is saved twice, as one by one.
            return Ok(None);
        }
        grams.push((issue.number, words::item_grams(&issue, &responses)));
    }
    // Read and merged before anything is written, so that a taken id leaves nothing behind.
    let [issue_records, history_records] = records;
    let Some(history_groups) = records::tx_records_merged(tx, HISTORY, history_records)? else {
        return Ok(None);
    };
    let Some(issue_groups) = records::tx_records_merged(tx, ISSUES, issue_records)? else {
        return Ok(None);
    };
    for (number, grams) in &grams {
        words.item(None, Some((*number, grams)));
    }
    tx_insert(tx, META, META_NEXT_NUMBER, &next)?;
    oplog::tx_local_creations(tx, creations)?;
    for status in Status::ALL {
        tx_add(
            tx,
            Counter::Issues(status),
            by_status[status.as_byte() as usize],
        )?;
    }
    tx_add(tx, Counter::Events, events_added)?;
    for (index, entries) in entries {
        grouped::tx_index_insert_many(tx, index, entries)?;
    }
    for (tree, groups) in [(HISTORY, history_groups), (ISSUES, issue_groups)] {
        for (group_key, value) in groups {
            tx[tree].insert(&group_key, value)?;
        }
    }
    Ok(Some(numbers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Change, IssueDraft};
    use chrono::DateTime;

    fn now() -> LocalTime {
        DateTime::parse_from_rfc3339("2026-12-15T10:00:00+08:00").unwrap()
    }

    /// A transaction's worth of bulk ids share one window of groups, the next its own; all
    /// are distinct and in creation order.
    #[test]
    fn bulk_ids_of_a_transaction_are_neighbours() {
        let chunk = BULK_CHUNK as u64;
        let ids: Vec<Id> = (0..3 * chunk).map(new_bulk_id).collect();
        let window = |id: &Id| window_of(records::group_of(id.as_bytes()));
        for (nth, id) in ids.iter().enumerate() {
            assert_eq!(window(id), nth as u64 / chunk % GROUP_WINDOWS);
        }
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "not in creation order");
        let wraps = new_bulk_id(GROUP_WINDOWS * chunk);
        assert_eq!(window(&wraps), 0);
    }

    /// The same new items (same ids) written through `Store::bulk` and saved one by one with
    /// `save_issue`, the path `bulk` used to take: the same records, indexes, counters and
    /// operations (but for their clocks).
    #[test]
    fn bulk_adds_what_saving_one_by_one_adds() {
        let firm = Firm::new("中山生物工程有限公司", now()).unwrap();
        let mut items = Vec::new();
        for i in 0..5_000u32 {
            let mut issue = IssueDraft::new(firm.id, &format!("事项{i}"))
                .into_issue(Id::new(), i + 1, now())
                .unwrap();
            issue.status = Status::ALL[i as usize % Status::ALL.len()];
            let mut events = vec![IssueEvent::new(issue.id, now(), "me", Change::Created)];
            if i % 3 == 0 {
                events.push(IssueEvent::new(issue.id, now(), "me", Change::Created));
            }
            if i % 7 == 0 {
                events.clear();
            }
            items.push((issue, events));
        }
        let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        let stores = dirs.each_ref().map(|d| Store::open(d.path()).unwrap());
        for store in &stores {
            store.put_firm(&firm).unwrap();
        }
        let mut bulk = stores[0].bulk();
        for (issue, events) in &items {
            bulk.issue(issue.clone(), events.clone()).unwrap();
        }
        bulk.finish().unwrap();
        for (issue, events) in &items {
            stores[1].save_issue(issue, events).unwrap();
        }
        for tree in [
            ISSUES,
            HISTORY,
            IDX_ISSUE_NUMBER,
            IDX_ISSUE_STATUS,
            IDX_ISSUE_FIRM,
            IDX_ISSUE_DUE,
        ] {
            let [a, b] = stores
                .each_ref()
                .map(|s| s.trees[tree].iter().map(|e| e.unwrap()).collect::<Vec<_>>());
            assert!(a == b, "{} differs", TREE_NAMES[tree]);
        }
        let [a, b] = stores.each_ref().map(|s| s.counts().unwrap());
        assert_eq!(a, b);
        let [a, b] = stores.each_ref().map(|s| {
            s.ops_after(s.actor().unwrap(), 0)
                .map(|op| {
                    let op = op.unwrap();
                    (op.id.seq, op.kind, op.record, op.field, op.value, op.pred)
                })
                .collect::<Vec<_>>()
        });
        // The database's own first operations (categories, service levels, the firm) too.
        assert!(a.len() > 5_000 + items.iter().map(|i| i.1.len()).sum::<usize>());
        assert!(a == b, "the operations differ");
        // (Only the bulk one: `save_issue` does not move the next #N past the numbers given.)
        let report = stores[0].check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
}
