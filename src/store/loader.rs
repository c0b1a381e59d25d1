//! Items written in bulk into a database that is being filled from nothing (`demo`'s scratch
//! database), without transactions and without rewriting groups item by item.
//!
//! Items and histories live in groups (`records`) and index entries in sorted runs
//! (`grouped`). Written one item at a time, each group is read, extended and written back
//! every time an item lands in it: about fifteen times per group at a million items, most of
//! the six minutes `demo --size large` took. Here the encoded records and index entries are
//! gathered in memory, up to `BUDGET` bytes, then merged into their groups at once.
//!
//! There is no transaction: a process stopped part way leaves a database that `check` finds
//! inconsistent. That is why only a database nobody else reads yet is loaded this way; the
//! scratch database of `demo` is thrown away when it does not finish.

use super::*;
use std::collections::BTreeMap;

/// Groups merged into the database per sled batch.
const GROUPS_PER_BATCH: usize = 2_048;

/// Bytes of encoded records held before they are merged into the database.
const BUDGET: usize = if cfg!(test) {
    // Small enough that the tests merge into groups already written.
    16 << 10
} else {
    256 << 20
};

/// A group's records held: record key → bytes.
type Group = BTreeMap<Vec<u8>, Vec<u8>>;
/// An index entry: key, value.
type Entry = (Vec<u8>, Vec<u8>);

pub(super) struct Loading {
    next_number: u32,
    firms: std::collections::HashSet<Id>,
    /// Per grouped record tree: group key → (record key → bytes).
    records: [BTreeMap<Vec<u8>, Group>; 2],
    /// Per item index: its entries (key, value).
    entries: BTreeMap<usize, Vec<Entry>>,
    /// The word index's postings of what is held.
    words: words::WordChanges,
    held: usize,
    by_status: [i64; 5],
    events: i64,
    /// The creation operations of what is held.
    ops: oplog_bulk::BulkOps,
}

/// The trees `Loading::records` holds, in order.
const RECORD_TREES: [usize; 2] = [ISSUES, HISTORY];

impl Loading {
    /// A loader for `store`, or `None` when it already holds items (then items must go
    /// through transactions, which keep what is there consistent).
    pub(super) fn start(store: &Store) -> Result<Option<Loading>, StoreError> {
        let empty = RECORD_TREES
            .iter()
            .chain(&[
                IDX_ISSUE_NUMBER,
                IDX_ISSUE_STATUS,
                IDX_ISSUE_FIRM,
                IDX_ISSUE_DUE,
                IDX_ISSUE_WORDS,
            ])
            .all(|tree| store.trees[*tree].is_empty());
        if !empty {
            return Ok(None);
        }
        Ok(Some(Loading {
            next_number: store.next_issue_number()?,
            firms: Default::default(),
            records: Default::default(),
            entries: BTreeMap::new(),
            words: Default::default(),
            held: 0,
            by_status: [0; 5],
            events: 0,
            ops: oplog_bulk::BulkOps::start(store)?,
        }))
    }

    /// Takes an item with its history; its `number` is replaced by the next free one.
    pub(super) fn issue(
        &mut self,
        store: &Store,
        mut issue: Issue,
        events: Vec<IssueEvent>,
    ) -> Result<(), StoreError> {
        if !self.firms.contains(&issue.firm) {
            if !store.trees[FIRMS].contains_key(issue.firm.as_bytes())? {
                return Err(StoreError::NotFound {
                    what: "firm",
                    key: issue.firm.to_string(),
                });
            }
            self.firms.insert(issue.firm);
        }
        issue.number = self.next_number;
        self.next_number += 1;
        self.by_status[issue.status.as_byte() as usize] += 1;
        self.events += events.len() as i64;
        self.ops.create(RecordKind::Issue, issue.id, &issue);
        for event in &events {
            self.ops.create_event(event);
        }
        for (index, key, value) in check::issue_entries(&issue) {
            self.held += key.len() + value.len();
            self.entries.entry(index).or_default().push((key, value));
        }
        let key = issue.id.as_bytes().to_vec();
        let history = History::new(events);
        let grams = words::item_grams(&issue, &history.responses);
        // A posting is held as a pair, a number and a flag in a list per key.
        self.held += grams.len() * 24;
        self.words.item(None, Some((issue.number, &grams)));
        let values = [codec::encode(&issue), codec::encode(&history)];
        for (slot, value) in values.into_iter().enumerate() {
            self.held += value.len() + Id::LEN;
            self.records[slot]
                .entry(records::group_of(&key).to_vec())
                .or_default()
                .insert(key.clone(), value);
        }
        if self.held > BUDGET {
            self.write(store)?;
        }
        Ok(())
    }

    /// Merges what is held into the database (groups already there are extended).
    pub(super) fn write(&mut self, store: &Store) -> Result<(), StoreError> {
        for (slot, tree) in RECORD_TREES.into_iter().enumerate() {
            // A few thousand groups a batch: the groups written whole at once would be the
            // whole ledger by the last write, several times over in sled's buffers.
            let mut batch = sled::Batch::default();
            let mut in_batch = 0;
            for (group_key, mut held) in std::mem::take(&mut self.records[slot]) {
                if let Some(existing) = store.trees[tree].get(&group_key)? {
                    let plain = records::unpacked(tree, &existing);
                    for (k, v) in plain
                        .as_deref()
                        .and_then(|plain| records::members(&group_key, plain))
                        .ok_or_else(|| records::malformed(tree, &group_key))?
                    {
                        held.entry(k.to_vec()).or_insert_with(|| v.to_vec());
                    }
                }
                batch.insert(
                    group_key,
                    records::packed(tree, records::group_value(&held)),
                );
                in_batch += 1;
                if in_batch == GROUPS_PER_BATCH {
                    store.trees[tree].apply_batch(std::mem::take(&mut batch))?;
                    in_batch = 0;
                }
            }
            store.trees[tree].apply_batch(batch)?;
            store.flush()?;
        }
        for (index, entries) in std::mem::take(&mut self.entries) {
            store.merge_index(index, entries)?;
        }
        self.words.write(store)?;
        self.ops.write(store)?;
        let meta = &store.trees[META];
        for status in Status::ALL {
            let added = std::mem::take(&mut self.by_status[status.as_byte() as usize]);
            add_to_counter(meta, Counter::Issues(status), added)?;
        }
        add_to_counter(meta, Counter::Events, std::mem::take(&mut self.events))?;
        meta.insert(META_NEXT_NUMBER, codec::encode(&self.next_number))?;
        self.held = 0;
        // sled cannot evict a page that is not on disk yet: unflushed, the whole ledger
        // stayed in memory (5 GB at a million items).
        store.flush()
    }
}

fn add_to_counter(meta: &sled::Tree, counter: Counter, delta: i64) -> Result<(), StoreError> {
    if delta == 0 {
        return Ok(());
    }
    let key = counter.key();
    let current: u64 = match meta.get(&key)? {
        Some(bytes) => codec::decode(&bytes).map_err(|error| StoreError::Corrupt {
            tree: "meta",
            key: String::from_utf8_lossy(&key).into_owned(),
            error,
        })?,
        None => 0,
    };
    meta.insert(key, codec::encode(&current.saturating_add_signed(delta)))?;
    Ok(())
}
