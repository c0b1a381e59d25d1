//! Record trees whose records are grouped, a few under one sled key.
//!
//! sled 0.34 costs about 80 ms and 50 MiB per million keys every time a database opens (it
//! reads the table of its pages, and a leaf holds at most 16 keys). A ledger of a million
//! items, one key each, could not open within a frame's budget, so the items are stored in
//! 65,536 groups: the group of an item is a hash of its id, and the group's value holds its
//! records back to back, in id order, each as `id ++ length ++ envelope`. Every record keeps
//! its own envelope (version, checksum): damage to one record is found and reported as that
//! record's, under its id, as in any other tree.
//!
//! Above this file a grouped tree is still a map from id to value. Walks over it come in group
//! order, then id order; nothing depends on items coming in id order.

use super::*;

mod tx;
pub(super) use tx::{tx_record_change, tx_record_get, tx_records_merged, NewRecords};

/// The trees stored in groups. `store::TREE_NAMES` says which they are; changing this list
/// or the number of groups changes the stored format and needs a migration.
pub(super) fn is_grouped(tree: usize) -> bool {
    tree == ISSUES || tree == HISTORY
}

/// Where a record comes in a walk over its tree: trees grouped alike walk in the same order,
/// so two of them can be read side by side.
pub(super) fn walk_order(key: &[u8]) -> ([u8; GROUP_KEY_LEN], &[u8]) {
    (group_of(key), key)
}

const GROUP_KEY_LEN: usize = 2;

/// A record's key and stored bytes (a malformed group: its key and bytes).
pub(super) type Record = (Vec<u8>, Vec<u8>);
const LENGTH_LEN: usize = 4;

/// The group of a record: 16 bits of crc32 of its key (stable across builds and platforms).
pub(super) fn group_of(key: &[u8]) -> [u8; GROUP_KEY_LEN] {
    ((crc32fast::hash(key) & 0xFFFF) as u16).to_be_bytes()
}

/// The first byte of a packed group: lz4 of its plain bytes follows, their length first. A
/// plain group starts with an id, and an id made here starts with 0xFF only after the year
/// 10,000 (v7: its time first); the v6 step packs every group of a packed tree, so in such a
/// tree a group starting with it is packed.
const PACKED_LZ4: u8 = 0xFF;
/// A damaged length must not make a read allocate gigabytes: a group is a few KiB.
const UNPACKED_MAX: usize = 64 << 20;

/// The trees whose groups are stored packed (schema v6). Histories: 61 MB of data at
/// 100,000 items, 28 MB packed, and read only for a selected item or a text search. Items
/// are read whole at every start (goal 4), so they stay plain.
pub(super) fn is_packed(tree: usize) -> bool {
    tree == HISTORY
}

/// A group's plain bytes (for `members`) from its stored bytes; `None` when a packed group
/// does not unpack.
pub(super) fn unpacked(tree: usize, stored: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::borrow::Cow;
    match stored.split_first() {
        Some((_, packed)) if is_packed_group(tree, stored) => {
            let (length, rest) = lz4_flex::block::uncompressed_size(packed).ok()?;
            if length > UNPACKED_MAX {
                return None;
            }
            lz4_flex::block::decompress(rest, length)
                .ok()
                .map(Cow::Owned)
        }
        _ => Some(Cow::Borrowed(stored)),
    }
}

/// Whether a group's stored bytes are packed (written by schema v6 or later).
pub(super) fn is_packed_group(tree: usize, stored: &[u8]) -> bool {
    is_packed(tree) && stored.first() == Some(&PACKED_LZ4)
}

/// A group's stored bytes from its plain bytes (packed in a packed tree).
pub(super) fn packed(tree: usize, plain: Vec<u8>) -> Vec<u8> {
    if !is_packed(tree) || plain.is_empty() {
        return plain;
    }
    let mut out = vec![PACKED_LZ4];
    out.extend_from_slice(&lz4_flex::compress_prepend_size(&plain));
    out
}

/// The records of a group's plain bytes (`unpacked`), in key order; `None` when the group is out of shape (cut short,
/// a wrong length, a record in the wrong group or out of order).
pub(super) fn members<'g>(group_key: &[u8], group: &'g [u8]) -> Option<Vec<(&'g [u8], &'g [u8])>> {
    if group_key.len() != GROUP_KEY_LEN || group.is_empty() {
        return None;
    }
    let mut out: Vec<(&[u8], &[u8])> = Vec::new();
    let mut rest = group;
    while !rest.is_empty() {
        let key = rest.get(..Id::LEN)?;
        let length = rest.get(Id::LEN..Id::LEN + LENGTH_LEN)?;
        let length = u32::from_be_bytes(length.try_into().ok()?) as usize;
        let start = Id::LEN + LENGTH_LEN;
        let value = rest.get(start..start + length)?;
        if group_of(key) != group_key || out.last().is_some_and(|(k, _)| *k >= key) {
            return None;
        }
        out.push((key, value));
        rest = &rest[start + length..];
    }
    Some(out)
}

/// The group with `key` set to `value` (`None`: removed).
fn rebuilt(records: &[(&[u8], &[u8])], key: &[u8], value: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut push = |k: &[u8], v: &[u8]| {
        out.extend_from_slice(k);
        out.extend_from_slice(&(v.len() as u32).to_be_bytes());
        out.extend_from_slice(v);
    };
    let mut placed = value.is_none();
    for (k, v) in records {
        if !placed && *k > key {
            push(key, value.unwrap_or_default());
            placed = true;
        }
        if *k != key {
            push(k, v);
        }
    }
    if !placed {
        push(key, value.unwrap_or_default());
    }
    out
}

/// A group's value holding `records` (key → bytes), in key order.
pub(super) fn group_value(records: &std::collections::BTreeMap<Vec<u8>, Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    for (key, value) in records {
        out.extend_from_slice(key);
        out.extend_from_slice(&(value.len() as u32).to_be_bytes());
        out.extend_from_slice(value);
    }
    out
}

pub(super) fn malformed(tree: usize, group_key: &[u8]) -> StoreError {
    StoreError::Corrupt {
        tree: TREE_NAMES[tree],
        key: format!("group {}", key_text(group_key)),
        error: DecodeError::Payload {
            message: "malformed record group (run liaison check --repair)".to_string(),
        },
    }
}

/// A key that cannot be an id cannot be stored in a grouped tree.
fn bad_key(tree: usize, key: &[u8]) -> StoreError {
    StoreError::Corrupt {
        tree: TREE_NAMES[tree],
        key: key_text(key),
        error: DecodeError::Payload {
            message: format!("a record key must be {} bytes", Id::LEN),
        },
    }
}

/// Reads a group's page again during a walk, so that sled's cache can let pages go.
///
/// sled 0.34 notes page accesses in 256 shards and evicts only once 64 accesses have landed
/// in one shard. A walk reads each page once, and a grouped tree has few, large pages (a
/// million items: 8,000 pages of ~30 KB), so a walk never got there and kept every page it
/// read: 780 MB after walking items and histories. Three more reads of each group (from the
/// cache: about a microsecond each) keep the same walk under 100 MB.
pub(super) fn let_the_cache_evict(tree: &sled::Tree, group_key: &[u8]) {
    for _ in 0..3 {
        let _ = tree.get(group_key);
    }
}

/// The records of a tree, one at a time: (key, value).
pub(super) struct RecordEntries {
    grouped: bool,
    tree_index: usize,
    /// Give a group that cannot be read as one entry under its (2-byte) group key, for the
    /// walks that report damage (`Store::damaged_group`); the others skip it, as `check` and
    /// `repair` list such groups themselves.
    reporting: bool,
    tree: sled::Tree,
    inner: sled::Iter,
    ready: std::vec::IntoIter<(Vec<u8>, Vec<u8>)>,
}

impl Iterator for RecordEntries {
    type Item = Result<(Vec<u8>, Vec<u8>), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(entry) = self.ready.next() {
                return Some(Ok(entry));
            }
            let (key, value) = match self.inner.next()? {
                Ok(entry) => entry,
                Err(e) => return Some(Err(e.into())),
            };
            if !self.grouped {
                return Some(Ok((key.to_vec(), value.to_vec())));
            }
            let_the_cache_evict(&self.tree, &key);
            // A malformed group is skipped here, or given whole to the walks that report it;
            // `check` names it, `repair` sets it aside.
            let plain = unpacked(self.tree_index, &value);
            let Some(records) = plain.as_deref().and_then(|plain| members(&key, plain)) else {
                if self.reporting {
                    return Some(Ok((key.to_vec(), value.to_vec())));
                }
                continue;
            };
            let batch: Vec<(Vec<u8>, Vec<u8>)> = records
                .into_iter()
                .map(|(k, v)| (k.to_vec(), v.to_vec()))
                .collect();
            self.ready = batch.into_iter();
        }
    }
}

impl Store {
    /// The stored bytes of one record.
    pub(super) fn record_get(
        &self,
        tree: usize,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        if !is_grouped(tree) {
            return Ok(self.trees[tree].get(key)?.map(|v| v.to_vec()));
        }
        if key.len() != Id::LEN {
            return Ok(None);
        }
        let group_key = group_of(key);
        let Some(group) = self.trees[tree].get(group_key)? else {
            return Ok(None);
        };
        let plain = unpacked(tree, &group);
        Ok(plain
            .as_deref()
            .and_then(|plain| members(&group_key, plain))
            .and_then(|records| records.into_iter().find(|(k, _)| *k == key))
            .map(|(_, v)| v.to_vec()))
    }

    pub(super) fn record_exists(&self, tree: usize, key: &[u8]) -> Result<bool, StoreError> {
        if !is_grouped(tree) {
            return Ok(self.trees[tree].contains_key(key)?);
        }
        Ok(self.record_get(tree, key)?.is_some())
    }

    /// Every record of a tree.
    pub(super) fn record_entries(&self, tree: usize) -> RecordEntries {
        RecordEntries {
            grouped: is_grouped(tree),
            tree_index: tree,
            reporting: false,
            tree: self.trees[tree].clone(),
            inner: self.trees[tree].iter(),
            ready: Vec::new().into_iter(),
        }
    }

    /// Every record of a tree in key order, one at a time. A grouped tree is walked for its
    /// keys first (16 bytes each: 16 MB at a million items), then read record by record:
    /// for backups, whose format lists records by id.
    pub(super) fn records_in_key_order(
        &self,
        tree: usize,
    ) -> Box<dyn Iterator<Item = Result<Record, StoreError>> + '_> {
        if !is_grouped(tree) {
            return Box::new(self.record_entries(tree));
        }
        let mut keys = Vec::new();
        for entry in self.trees[tree].iter() {
            match entry {
                Ok((group_key, group)) => {
                    let_the_cache_evict(&self.trees[tree], &group_key);
                    // A backup that says it holds everything must not leave a group out.
                    let plain = unpacked(tree, &group);
                    let Some(records) = plain.as_deref().and_then(|p| members(&group_key, p))
                    else {
                        return Box::new(std::iter::once(Err(malformed(tree, &group_key))));
                    };
                    keys.extend(records.into_iter().map(|(k, _)| k.to_vec()));
                }
                Err(e) => return Box::new(std::iter::once(Err(e.into()))),
            }
        }
        keys.sort_unstable();
        Box::new(keys.into_iter().filter_map(move |key| {
            match self.record_get(tree, &key) {
                Ok(Some(value)) => Some(Ok((key, value))),
                // Removed since the walk.
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            }
        }))
    }

    /// As `record_entries`, with each group that cannot be read given as one entry under its
    /// group key (`damaged_group` tells it apart).
    pub(super) fn record_entries_reporting(&self, tree: usize) -> RecordEntries {
        RecordEntries {
            reporting: true,
            ..self.record_entries(tree)
        }
    }

    /// `record_entries_reporting` over share `part` of `parts` of a grouped tree's groups
    /// (split by group key), so that a walk can be shared between threads: together the
    /// shares hold every group once. Any other tree is walked whole by share 0.
    pub(super) fn record_entries_part(
        &self,
        tree: usize,
        part: usize,
        parts: usize,
    ) -> RecordEntries {
        RecordEntries {
            inner: self.part_walk(tree, part, parts),
            ..self.record_entries_reporting(tree)
        }
    }

    /// The sled walk over share `part` of `parts` of a tree's groups (`record_entries_part`).
    pub(super) fn part_walk(&self, tree: usize, part: usize, parts: usize) -> sled::Iter {
        let bound = |share: usize| {
            ((share * 65_536 / parts.max(1)) as u16)
                .to_be_bytes()
                .to_vec()
        };
        let sled = &self.trees[tree];
        match (is_grouped(tree), part) {
            (false, 0) => sled.iter(),
            // An empty walk.
            (false, _) => sled.range(vec![0u8]..vec![0u8]),
            (true, 0) if parts <= 1 => sled.iter(),
            (true, 0) => sled.range(..bound(1)),
            (true, last) if last + 1 >= parts => sled.range(bound(last)..),
            (true, p) => sled.range(bound(p)..bound(p + 1)),
        }
    }

    /// For an entry of `record_entries_reporting`: the damage when it is a whole group that
    /// cannot be read, not a record.
    pub(super) fn damaged_group(&self, tree: usize, key: &[u8]) -> Option<Damaged> {
        (is_grouped(tree) && key.len() != Id::LEN).then(|| Damaged {
            tree: TREE_NAMES[tree],
            key: format!("group {}", key_text(key)),
            error: DecodeError::Payload {
                message: "malformed record group: its records cannot be read (run liaison \
                          check --repair)"
                    .to_string(),
            },
        })
    }

    /// How many records a tree holds (a walk over the groups of a grouped one).
    pub(super) fn record_count(&self, tree: usize) -> Result<u64, StoreError> {
        if !is_grouped(tree) {
            return Ok(self.trees[tree].len() as u64);
        }
        let mut count = 0;
        for entry in self.trees[tree].iter() {
            let (key, group) = entry?;
            let_the_cache_evict(&self.trees[tree], &key);
            count += unpacked(tree, &group)
                .as_deref()
                .and_then(|plain| members(&key, plain))
                .ok_or_else(|| malformed(tree, &key))?
                .len() as u64;
        }
        Ok(count)
    }

    /// The groups of a grouped tree that are out of shape, with their bytes: their records
    /// cannot be told apart, so `repair` quarantines each whole.
    pub(super) fn malformed_record_groups(&self, tree: usize) -> Result<Vec<Record>, StoreError> {
        let mut found = Vec::new();
        if !is_grouped(tree) {
            return Ok(found);
        }
        for entry in self.trees[tree].iter() {
            let (key, group) = entry?;
            let_the_cache_evict(&self.trees[tree], &key);
            if unpacked(tree, &group)
                .as_deref()
                .and_then(|plain| members(&key, plain))
                .is_none()
            {
                found.push((key.to_vec(), group.to_vec()));
            }
        }
        Ok(found)
    }

    /// Sets one record outside a transaction (repair, tests).
    pub(super) fn record_put(
        &self,
        tree: usize,
        key: &[u8],
        value: &[u8],
    ) -> Result<(), StoreError> {
        self.record_change(tree, key, Some(value))
    }

    pub(super) fn record_remove(&self, tree: usize, key: &[u8]) -> Result<(), StoreError> {
        self.record_change(tree, key, None)
    }

    fn record_change(
        &self,
        tree: usize,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        let sled_tree = &self.trees[tree];
        if !is_grouped(tree) {
            match value {
                Some(value) => sled_tree.insert(key, value)?,
                None => sled_tree.remove(key)?,
            };
            return Ok(());
        }
        if key.len() != Id::LEN {
            return Err(bad_key(tree, key));
        }
        let group_key = group_of(key);
        let group = sled_tree.get(group_key)?;
        let plain = group.as_deref().map(|bytes| unpacked(tree, bytes));
        let records = match &plain {
            None => Vec::new(),
            Some(plain) => plain
                .as_deref()
                .and_then(|plain| members(&group_key, plain))
                .ok_or_else(|| malformed(tree, &group_key))?,
        };
        let next = rebuilt(&records, key, value);
        if next.is_empty() {
            sled_tree.remove(group_key)?;
        } else {
            sled_tree.insert(group_key, packed(tree, next))?;
        }
        Ok(())
    }
}

/// Moves the records a v1 database kept one key each into their groups, in one batch (the
/// tree is either all moved or not at all). Groups already there are kept and merged.
pub(super) fn regroup(store: &Store, tree: usize) -> Result<(), StoreError> {
    use std::collections::BTreeMap;
    let sled_tree = &store.trees[tree];
    let mut groups: BTreeMap<[u8; GROUP_KEY_LEN], BTreeMap<Vec<u8>, Vec<u8>>> = BTreeMap::new();
    let mut batch = sled::Batch::default();
    for entry in sled_tree.iter() {
        let (key, value) = entry?;
        if key.len() == Id::LEN {
            groups
                .entry(group_of(&key))
                .or_default()
                .insert(key.to_vec(), value.to_vec());
            batch.remove(key);
        }
    }
    for (group_key, mut records) in groups {
        if let Some(existing) = sled_tree.get(group_key)? {
            // Written over, its records would be lost; `repair` sets it aside first.
            let plain = unpacked(tree, &existing);
            for (k, v) in plain
                .as_deref()
                .and_then(|plain| members(&group_key, plain))
                .ok_or_else(|| malformed(tree, &group_key))?
            {
                records.entry(k.to_vec()).or_insert_with(|| v.to_vec());
            }
        }
        let pairs: Vec<(&[u8], &[u8])> = records
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
            .collect();
        let Some(((last_key, last_value), rest)) = pairs.split_last() else {
            continue;
        };
        batch.insert(
            &group_key,
            packed(tree, rebuilt(rest, last_key, Some(last_value))),
        );
    }
    sled_tree.apply_batch(batch)?;
    Ok(())
}

#[cfg(test)]
mod tests;
