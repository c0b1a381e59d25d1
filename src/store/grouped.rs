//! Index trees whose entries are grouped, many under one sled key.
//!
//! sled 0.34 splits a leaf at 16 keys and keeps the table of all its pages in memory, reading
//! it when a database opens; open time and memory grow with the number of keys (here about
//! 50 ms and 40 MiB per million keys). Four item indexes with one key per item would cost
//! four million keys at a million items; grouped, they cost a few tens of thousands.
//!
//! An index is still a sorted map of logical entries, key → value, with the layouts of
//! `keys`, and nothing outside this file sees anything else. Physically, a logical key is
//! split into a prefix (what queries select on: a status, a firm, a due day) and a suffix
//! (an item id). The entries with the same prefix and the same bucket (a hash of the suffix,
//! so that no group grows without bound) share one sled key, `prefix ++ bucket`, whose value
//! is their `suffix ++ value`, sorted by suffix, back to back. A range or prefix query no
//! longer than the prefix selects whole groups; the groups of one prefix are merged back into
//! suffix order on the way out.

use super::*;
use std::ops::Bound;

/// How one index is grouped. Every logical key of the index is `prefix + suffix` bytes long
/// and every value `value` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    prefix: usize,
    /// 0, 1 or 2 bytes of bucket after the prefix.
    bucket_bytes: usize,
    bucket_mask: u32,
    suffix: usize,
    value: usize,
}

/// The grouped layout of an index tree; `None` for an index kept one key per entry (the
/// firm-name index, one key a firm).
///
/// The bucket counts are part of the stored format: changing one needs a migration.
pub(super) fn layout(index: usize) -> Option<Layout> {
    let layout = |prefix, bucket_bits: u32, suffix, value| {
        Some(Layout {
            prefix,
            bucket_bytes: bucket_bits.div_ceil(8) as usize,
            bucket_mask: (1u32 << bucket_bits) - 1,
            suffix,
            value,
        })
    };
    match index {
        // Status byte | item id. 4,096 buckets a status: ~120 ids a group at 1 M items.
        IDX_ISSUE_STATUS => layout(1, 12, Id::LEN, 0),
        // Firm id | item id → status byte. 4 groups a firm.
        IDX_ISSUE_FIRM => layout(Id::LEN, 2, Id::LEN, 1),
        // Open/closed byte + due day | item id. 4 groups a day.
        IDX_ISSUE_DUE => layout(5, 2, Id::LEN, 0),
        // The high three bytes of #N | its low byte → item id: 256 numbers a group.
        IDX_ISSUE_NUMBER => layout(3, 0, 1, Id::LEN),
        // Start time's high six bytes (18 hours) | its low two bytes and the visit id.
        IDX_VISIT_TIME => layout(6, 0, 2 + Id::LEN, 0),
        // Firm id | start time and visit id: a group a firm.
        IDX_VISIT_FIRM => layout(Id::LEN, 0, 8 + Id::LEN, 0),
        _ => None,
    }
}

impl Layout {
    fn member_len(&self) -> usize {
        self.suffix + self.value
    }

    fn group_key_len(&self) -> usize {
        self.prefix + self.bucket_bytes
    }

    fn bucket(&self, suffix: &[u8]) -> u32 {
        if self.bucket_mask == 0 {
            // One bucket (the number index: groups by the number's high bytes).
            return 0;
        }
        // crc32 is stable across builds and platforms, which a stored layout needs.
        crc32fast::hash(suffix) & self.bucket_mask
    }

    fn bucket_bytes(&self, suffix: &[u8]) -> Vec<u8> {
        let bucket = self.bucket(suffix).to_be_bytes();
        bucket[4 - self.bucket_bytes..].to_vec()
    }

    /// The group a logical entry belongs in, and its suffix; `None` when the key has the
    /// wrong length for this index.
    fn split<'k>(&self, key: &'k [u8]) -> Option<(Vec<u8>, &'k [u8])> {
        if key.len() != self.prefix + self.suffix {
            return None;
        }
        let (prefix, suffix) = key.split_at(self.prefix);
        Some(([prefix, &self.bucket_bytes(suffix)].concat(), suffix))
    }

    fn members<'v>(&self, group: &'v [u8]) -> impl Iterator<Item = (&'v [u8], &'v [u8])> + 'v {
        let suffix = self.suffix;
        group
            .chunks_exact(self.member_len())
            .map(move |m| m.split_at(suffix))
    }

    /// Where `suffix` is among the members (`Ok(i)`), or where it would go (`Err(i)`).
    fn find(&self, group: &[u8], suffix: &[u8]) -> Result<usize, usize> {
        let len = self.member_len();
        let count = group.len() / len;
        let (mut low, mut high) = (0, count);
        while low < high {
            let middle = (low + high) / 2;
            let at = &group[middle * len..middle * len + self.suffix];
            match at.cmp(suffix) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Ok(middle),
            }
        }
        Err(low)
    }

    fn get(&self, group: &[u8], suffix: &[u8]) -> Option<Vec<u8>> {
        let i = self.find(group, suffix).ok()?;
        let start = i * self.member_len() + self.suffix;
        Some(group[start..start + self.value].to_vec())
    }

    /// The group with the member set to `value`.
    fn with(&self, group: &[u8], suffix: &[u8], value: &[u8]) -> Vec<u8> {
        let len = self.member_len();
        let mut out = Vec::with_capacity(group.len() + len);
        match self.find(group, suffix) {
            Ok(i) => {
                out.extend_from_slice(&group[..i * len]);
                out.extend_from_slice(suffix);
                out.extend_from_slice(value);
                out.extend_from_slice(&group[(i + 1) * len..]);
            }
            Err(i) => {
                out.extend_from_slice(&group[..i * len]);
                out.extend_from_slice(suffix);
                out.extend_from_slice(value);
                out.extend_from_slice(&group[i * len..]);
            }
        }
        out
    }

    /// The group without the member; `None` when it was not there.
    fn without(&self, group: &[u8], suffix: &[u8]) -> Option<Vec<u8>> {
        let len = self.member_len();
        let i = self.find(group, suffix).ok()?;
        Some([&group[..i * len], &group[(i + 1) * len..]].concat())
    }

    /// A group as `with`, `without` and the readers expect it: a key of the right length,
    /// whole members in strictly increasing order, each in its own bucket.
    fn well_formed(&self, key: &[u8], group: &[u8]) -> bool {
        if key.len() != self.group_key_len()
            || group.is_empty()
            || !group.len().is_multiple_of(self.member_len())
        {
            return false;
        }
        // The key's bucket as a number: compared with each member's without a Vec each
        // (this runs on every read of a logical entry).
        let bucket = key[self.prefix..]
            .iter()
            .fold(0u32, |n, b| (n << 8) | u32::from(*b));
        let mut previous: Option<&[u8]> = None;
        for (suffix, _) in self.members(group) {
            if previous.is_some_and(|p| p >= suffix) || self.bucket(suffix) != bucket {
                return false;
            }
            previous = Some(suffix);
        }
        true
    }

    /// The logical entries of a well-formed group, appended to `out`.
    fn expand(&self, key: &[u8], group: &[u8], out: &mut Vec<(Vec<u8>, Vec<u8>)>) {
        if !self.well_formed(key, group) {
            return;
        }
        let prefix = &key[..self.prefix];
        for (suffix, value) in self.members(group) {
            out.push(([prefix, suffix].concat(), value.to_vec()));
        }
    }
}

/// A logical entry's suffix and value, on its way into a group.
type Member = (Vec<u8>, Vec<u8>);

fn malformed(index: usize, key: &[u8]) -> StoreError {
    StoreError::Corrupt {
        tree: TREE_NAMES[index],
        key: key_text(key),
        error: DecodeError::Payload {
            message: "malformed index group (run liaison check --repair)".to_string(),
        },
    }
}

/// The logical entries of an index in key order, from a walk over its sled keys.
pub(super) struct IndexEntries {
    layout: Option<Layout>,
    inner: std::iter::Peekable<sled::Iter>,
    ready: std::vec::IntoIter<(Vec<u8>, Vec<u8>)>,
}

impl IndexEntries {
    fn new(index: usize, inner: sled::Iter) -> IndexEntries {
        IndexEntries {
            layout: layout(index),
            inner: inner.peekable(),
            ready: Vec::new().into_iter(),
        }
    }
}

impl Iterator for IndexEntries {
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
            let Some(layout) = self.layout else {
                return Some(Ok((key.to_vec(), value.to_vec())));
            };
            // Every group of this prefix, merged back into suffix order.
            let prefix = key[..layout.prefix.min(key.len())].to_vec();
            let mut batch = Vec::new();
            layout.expand(&key, &value, &mut batch);
            while let Some(Ok((next, _))) = self.inner.peek() {
                if next.get(..layout.prefix) != Some(prefix.as_slice()) {
                    break;
                }
                if let Some(Ok((key, value))) = self.inner.next() {
                    layout.expand(&key, &value, &mut batch);
                }
            }
            batch.sort_unstable();
            self.ready = batch.into_iter();
        }
    }
}

impl Store {
    /// The value of one logical entry.
    pub(super) fn index_get(
        &self,
        index: usize,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let tree = &self.trees[index];
        let Some(layout) = layout(index) else {
            return Ok(tree.get(key)?.map(|v| v.to_vec()));
        };
        let Some((group_key, suffix)) = layout.split(key) else {
            return Ok(None);
        };
        Ok(match tree.get(&group_key)? {
            Some(group) if layout.well_formed(&group_key, &group) => layout.get(&group, suffix),
            _ => None,
        })
    }

    /// Every logical entry of an index, in key order.
    pub(super) fn index_entries(&self, index: usize) -> IndexEntries {
        IndexEntries::new(index, self.trees[index].iter())
    }

    /// The logical entries whose keys start with `prefix`, which must be no longer than the
    /// index's grouping prefix (a firm id, a status).
    pub(super) fn index_prefix(&self, index: usize, prefix: &[u8]) -> IndexEntries {
        debug_assert!(layout(index).is_none_or(|l| prefix.len() <= l.prefix));
        IndexEntries::new(index, self.trees[index].scan_prefix(prefix))
    }

    /// The logical entries from `from` (included) to `to` (excluded), either end open, in key
    /// order; bounds of any length (the groups they fall in are read, then cut to them).
    pub(super) fn index_between(
        &self,
        index: usize,
        from: Option<Vec<u8>>,
        to: Option<Vec<u8>>,
    ) -> impl Iterator<Item = Result<(Vec<u8>, Vec<u8>), StoreError>> {
        let cut = |bound: &[u8]| -> Vec<u8> {
            match layout(index) {
                Some(l) => bound[..bound.len().min(l.prefix)].to_vec(),
                None => bound.to_vec(),
            }
        };
        let lower = from
            .as_deref()
            .map_or(Bound::Unbounded, |b| Bound::Included(cut(b)));
        // The group of the upper bound's prefix is read whole: its entries may lie below it.
        let upper = to
            .as_deref()
            .map_or(Bound::Unbounded, |b| match layout(index) {
                Some(l) if b.len() > l.prefix => {
                    Bound::Included([cut(b), vec![0xFF; l.bucket_bytes + 1]].concat())
                }
                _ => Bound::Excluded(b.to_vec()),
            });
        IndexEntries::new(index, self.trees[index].range::<Vec<u8>, _>((lower, upper))).filter(
            move |entry| match entry {
                Ok((key, _)) => {
                    from.as_deref().is_none_or(|f| key.as_slice() >= f)
                        && to.as_deref().is_none_or(|t| key.as_slice() < t)
                }
                Err(_) => true,
            },
        )
    }

    /// How many logical entries are in `[from, to)`, without building them.
    pub(super) fn index_count(
        &self,
        index: usize,
        from: &[u8],
        to: &[u8],
    ) -> Result<u64, StoreError> {
        let Some(layout) = layout(index) else {
            return Ok(self
                .index_between(index, Some(from.to_vec()), Some(to.to_vec()))
                .count() as u64);
        };
        let mut count = 0;
        for entry in self.trees[index].range(from..to) {
            let (key, group) = entry?;
            if layout.well_formed(&key, &group) {
                count += (group.len() / layout.member_len()) as u64;
            }
        }
        Ok(count)
    }

    /// The sled keys of groups that are not well formed (a damaged value, a torn key): the
    /// readers skip them, `check` reports them and `repair` rebuilds them.
    pub(super) fn malformed_groups(&self, index: usize) -> Result<Vec<Vec<u8>>, StoreError> {
        let Some(layout) = layout(index) else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for entry in self.trees[index].iter() {
            let (key, group) = entry?;
            if !layout.well_formed(&key, &group) {
                found.push(key.to_vec());
            }
        }
        Ok(found)
    }

    /// Sets one logical entry outside a transaction (repair, tests).
    pub(super) fn index_insert(
        &self,
        index: usize,
        key: &[u8],
        value: &[u8],
    ) -> Result<(), StoreError> {
        let tree = &self.trees[index];
        let Some(layout) = layout(index) else {
            tree.insert(key, value)?;
            return Ok(());
        };
        let (group_key, suffix) = layout.split(key).ok_or_else(|| malformed(index, key))?;
        let group = tree
            .get(&group_key)?
            .map(|g| g.to_vec())
            .unwrap_or_default();
        if !group.is_empty() && !layout.well_formed(&group_key, &group) {
            return Err(malformed(index, &group_key));
        }
        tree.insert(group_key, layout.with(&group, suffix, value))?;
        Ok(())
    }

    /// Removes one logical entry outside a transaction (repair, tests).
    pub(super) fn index_remove(&self, index: usize, key: &[u8]) -> Result<(), StoreError> {
        let tree = &self.trees[index];
        let Some(layout) = layout(index) else {
            tree.remove(key)?;
            return Ok(());
        };
        let Some((group_key, suffix)) = layout.split(key) else {
            return Ok(());
        };
        if let Some(group) = tree.get(&group_key)? {
            if let Some(rest) = layout.without(&group, suffix) {
                if rest.is_empty() {
                    tree.remove(group_key)?;
                } else {
                    tree.insert(group_key, rest)?;
                }
            }
        }
        Ok(())
    }

    /// Adds `entries` (logical, any order) to an index, each group read and written once.
    pub(super) fn merge_index(
        &self,
        index: usize,
        entries: Vec<(Vec<u8>, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        let tree = &self.trees[index];
        let Some(layout) = layout(index) else {
            let mut batch = sled::Batch::default();
            for (key, value) in entries {
                batch.insert(key, value);
            }
            tree.apply_batch(batch)?;
            return Ok(());
        };
        let mut groups: std::collections::BTreeMap<Vec<u8>, Vec<Member>> = Default::default();
        for (key, value) in entries {
            let (group_key, suffix) = layout.split(&key).ok_or_else(|| malformed(index, &key))?;
            groups
                .entry(group_key)
                .or_default()
                .push((suffix.to_vec(), value));
        }
        let mut batch = sled::Batch::default();
        for (group_key, added) in groups {
            // What is there first, then what is added: for a key given twice, the last wins.
            let mut members: std::collections::BTreeMap<Vec<u8>, Vec<u8>> = Default::default();
            if let Some(existing) = tree.get(&group_key)? {
                if !layout.well_formed(&group_key, &existing) {
                    return Err(malformed(index, &group_key));
                }
                members.extend(
                    layout
                        .members(&existing)
                        .map(|(s, v)| (s.to_vec(), v.to_vec())),
                );
            }
            members.extend(added);
            let mut group = Vec::with_capacity(members.len() * layout.member_len());
            for (suffix, value) in members {
                group.extend_from_slice(&suffix);
                group.extend_from_slice(&value);
            }
            batch.insert(group_key, group);
        }
        tree.apply_batch(batch)?;
        Ok(())
    }

    /// Replaces everything in an index by `entries` (logical, any order), grouped and written
    /// in one batch: for migrations, which rebuild an index from the records.
    pub(super) fn rewrite_index(
        &self,
        index: usize,
        entries: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
    ) -> Result<(), StoreError> {
        self.trees[index].clear()?;
        self.merge_index(index, entries.into_iter().collect())
    }
}

/// One logical entry inside a transaction.
pub(super) fn tx_index_get(
    tx: &[TransactionalTree],
    index: usize,
    key: &[u8],
) -> TxResult<Option<Vec<u8>>> {
    let Some(layout) = layout(index) else {
        return Ok(tx[index].get(key)?.map(|v| v.to_vec()));
    };
    let Some((group_key, suffix)) = layout.split(key) else {
        return Ok(None);
    };
    Ok(match tx[index].get(&group_key)? {
        Some(group) if layout.well_formed(&group_key, &group) => layout.get(&group, suffix),
        _ => None,
    })
}

/// Sets one logical entry in a transaction. A malformed group aborts it, as a damaged record
/// does: writing around it would lose the entries it still holds.
pub(super) fn tx_index_insert(
    tx: &[TransactionalTree],
    index: usize,
    key: &[u8],
    value: &[u8],
) -> TxResult<()> {
    let Some(layout) = layout(index) else {
        tx[index].insert(key, value)?;
        return Ok(());
    };
    let Some((group_key, suffix)) = layout.split(key) else {
        return abort(malformed(index, key));
    };
    let group = tx[index].get(&group_key)?;
    let group = group.as_deref().unwrap_or_default();
    if !group.is_empty() && !layout.well_formed(&group_key, group) {
        return abort(malformed(index, &group_key));
    }
    tx[index].insert(group_key, layout.with(group, suffix, value))?;
    Ok(())
}

/// Sets many logical entries of one index in a transaction, each group read and written
/// once however many of the entries land in it (`tx_index_insert` per entry rewrites the
/// group per entry): for items added in bulk.
pub(super) fn tx_index_insert_many(
    tx: &[TransactionalTree],
    index: usize,
    entries: Vec<(Vec<u8>, Vec<u8>)>,
) -> TxResult<()> {
    let Some(layout) = layout(index) else {
        for (key, value) in entries {
            tx[index].insert(key, value)?;
        }
        return Ok(());
    };
    // Group key → (suffix, value) of the entries landing in it.
    type Members = Vec<(Vec<u8>, Vec<u8>)>;
    let mut by_group: std::collections::BTreeMap<Vec<u8>, Members> =
        std::collections::BTreeMap::new();
    for (key, value) in entries {
        let Some((group_key, suffix)) = layout.split(&key) else {
            return abort(malformed(index, &key));
        };
        by_group
            .entry(group_key)
            .or_default()
            .push((suffix.to_vec(), value));
    }
    for (group_key, members) in by_group {
        let stored = tx[index].get(&group_key)?;
        let mut group = stored.as_deref().unwrap_or_default().to_vec();
        if !group.is_empty() && !layout.well_formed(&group_key, &group) {
            return abort(malformed(index, &group_key));
        }
        for (suffix, value) in members {
            group = layout.with(&group, &suffix, &value);
        }
        tx[index].insert(group_key, group)?;
    }
    Ok(())
}

/// Removes one logical entry in a transaction (nothing when it is not there).
pub(super) fn tx_index_remove(tx: &[TransactionalTree], index: usize, key: &[u8]) -> TxResult<()> {
    let Some(layout) = layout(index) else {
        tx[index].remove(key)?;
        return Ok(());
    };
    let Some((group_key, suffix)) = layout.split(key) else {
        return Ok(());
    };
    let Some(group) = tx[index].get(&group_key)? else {
        return Ok(());
    };
    if !layout.well_formed(&group_key, &group) {
        return abort(malformed(index, &group_key));
    }
    match layout.without(&group, suffix) {
        Some(rest) if rest.is_empty() => {
            tx[index].remove(group_key)?;
        }
        Some(rest) => {
            tx[index].insert(group_key, rest)?;
        }
        None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests;
