//! The word index (`idx_issue_words`): for each pair of neighbouring characters (a bigram) of
//! the texts a filter word searches (title, detail, resolution and responses, lower-cased as
//! `query::Item::contains_text` searches them), the numbers of the items holding it. Chinese
//! has no spaces, so pairs of characters rather than words; a filter word of two or more
//! characters then occurs only in items holding all its pairs, a superset the whole filter
//! still runs on. A one-character word has no pair and is not bounded by the index.
//!
//! sled's open time and memory grow with its keys, so postings are not a key each: a key is
//! a hash bucket of the pair (8,192 of them) and a range of 131,072 item numbers, and its
//! value lists each pair of that bucket with its numbers (delta varints). The standard
//! ledger holds 8,192 keys; a million items 65,536.
//!
//! The index is derived: written with each item in the same transaction (`WordChanges`),
//! checked against the items by `check` and rebuilt by `repair` and the v5 migration.

use super::*;
use std::collections::BTreeMap;

mod append;

/// A pair of characters, the first in the high bits (a `char` takes 21).
pub(super) type Gram = u64;
type Key = [u8; 4];

const BUCKET_BITS: u32 = 13;
const CHUNK_BITS: u32 = 17;
/// The first byte of every value, so that bytes of another kind are found damaged.
const FORMAT: u8 = 1;

/// Adds the character pairs of one lower-cased text to `out`; a space ends a word (a filter
/// word never holds one).
fn grams_of(text: &str, out: &mut Vec<Gram>) {
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            previous = None;
            continue;
        }
        if let Some(p) = previous {
            out.push((u64::from(p) << 21) | u64::from(c));
        }
        previous = Some(c);
    }
}

/// The pairs of a filter word (lower-cased), sorted, each once; empty for one character.
pub(super) fn word_grams(word: &str) -> Vec<Gram> {
    let mut out = Vec::new();
    grams_of(word, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// The pairs of everything a filter word searches in an item, sorted, each once.
/// `responses` is `History::responses`, lower-cased already.
pub(super) fn item_grams(issue: &Issue, responses: &str) -> Vec<Gram> {
    let mut out = Vec::new();
    grams_of(&issue.title.to_lowercase(), &mut out);
    grams_of(&issue.detail.to_lowercase(), &mut out);
    if let Some(resolution) = &issue.resolution {
        grams_of(&resolution.text.to_lowercase(), &mut out);
    }
    grams_of(responses, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// Do two versions of an item search the same texts under the same number?
pub(super) fn same_texts(a: &Issue, b: &Issue) -> bool {
    a.number == b.number
        && a.title == b.title
        && a.detail == b.detail
        && a.resolution.as_ref().map(|r| &r.text) == b.resolution.as_ref().map(|r| &r.text)
}

fn bucket_of(gram: Gram) -> u16 {
    (gram.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BUCKET_BITS)) as u16
}

fn key_of(gram: Gram, number: u32) -> Key {
    let mut key = [0; 4];
    key[..2].copy_from_slice(&bucket_of(gram).to_be_bytes());
    key[2..].copy_from_slice(&((number >> CHUNK_BITS) as u16).to_be_bytes());
    key
}

fn chunk_of_key(key: &[u8]) -> Option<u16> {
    (key.len() == 4).then(|| u16::from_be_bytes([key[2], key[3]]))
}

// ---- values ------------------------------------------------------------------------------

type Postings = BTreeMap<Gram, Vec<u32>>;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// Each pair with its numbers (sorted), as one value.
fn encode(postings: &Postings) -> Vec<u8> {
    let mut out = vec![FORMAT];
    for (gram, numbers) in postings {
        put_varint(&mut out, *gram);
        put_varint(&mut out, numbers.len() as u64);
        let mut last = 0;
        for &n in numbers {
            put_varint(&mut out, u64::from(n - last));
            last = n;
        }
    }
    out
}

/// Calls `each` with every pair of a value and a reader of its numbers; `None` when the bytes
/// are not a value of this index.
fn walk(bytes: &[u8], mut each: impl FnMut(Gram, &mut dyn Iterator<Item = u32>)) -> Option<()> {
    if bytes.first() != Some(&FORMAT) {
        return None;
    }
    let mut at = 1;
    while at < bytes.len() {
        let gram = get_varint(bytes, &mut at)?;
        let count = get_varint(bytes, &mut at)?;
        let mut numbers = Vec::with_capacity(count.min(1 << 20) as usize);
        let mut last = 0u64;
        for _ in 0..count {
            last += get_varint(bytes, &mut at)?;
            numbers.push(u32::try_from(last).ok()?);
        }
        each(gram, &mut numbers.into_iter());
    }
    Some(())
}

fn decode(bytes: &[u8]) -> Option<Postings> {
    let mut postings = Postings::new();
    walk(bytes, |gram, numbers| {
        postings.insert(gram, numbers.collect());
    })?;
    Some(postings)
}

fn damaged(key: &[u8]) -> StoreError {
    StoreError::Corrupt {
        tree: TREE_NAMES[IDX_ISSUE_WORDS],
        key: key_text(key),
        error: DecodeError::Payload {
            message: "not a list of character pairs and item numbers".into(),
        },
    }
}

// ---- changes -----------------------------------------------------------------------------

/// The postings items written in one transaction add and remove (a number is held once per
/// item with the pair, so two items sharing a number keep theirs apart), gathered so that each key is
/// read and written once (a bulk of 2,000 items touches each key many times).
#[derive(Default)]
pub(super) struct WordChanges {
    /// Per key, in the order made: (pair, number, added?).
    changes: BTreeMap<Key, Vec<(Gram, u32, bool)>>,
}

impl WordChanges {
    fn push(&mut self, gram: Gram, number: u32, added: bool) {
        self.changes
            .entry(key_of(gram, number))
            .or_default()
            .push((gram, number, added));
    }

    /// An item went from `old` (none: new) to `new` (none: gone), each its number and
    /// pairs (`item_grams`): only the postings that differ change.
    pub(super) fn item(&mut self, old: Option<(u32, &[Gram])>, new: Option<(u32, &[Gram])>) {
        match (old, new) {
            (Some((was, had)), Some((now, has))) if was == now => {
                for g in had.iter().filter(|g| has.binary_search(g).is_err()) {
                    self.push(*g, was, false);
                }
                for g in has.iter().filter(|g| had.binary_search(g).is_err()) {
                    self.push(*g, now, true);
                }
            }
            (old, new) => {
                for (number, grams, added) in [(old, false), (new, true)]
                    .into_iter()
                    .filter_map(|(side, added)| side.map(|(n, g)| (n, g, added)))
                {
                    for g in grams {
                        self.push(*g, number, added);
                    }
                }
            }
        }
    }

    /// Applies the changes to one key's value (none: absent); none when it ends up empty.
    fn apply(
        key: &Key,
        value: Option<&[u8]>,
        changes: &[(Gram, u32, bool)],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        if let Some(merged) = append::merge_additions(value, changes) {
            return Ok(Some(merged));
        }
        let mut postings = match value {
            Some(bytes) => decode(bytes).ok_or_else(|| damaged(key))?,
            None => Postings::new(),
        };
        for &(gram, number, added) in changes {
            let numbers = postings.entry(gram).or_default();
            // A number once per item holding the pair: an item from another ledger may have
            // one of ours (docs/sync.md), and removing its pair must leave ours.
            match (numbers.binary_search(&number), added) {
                (Ok(at) | Err(at), true) => numbers.insert(at, number),
                (Ok(at), false) => {
                    numbers.remove(at);
                }
                (Err(_), false) => {}
            }
            if numbers.is_empty() {
                postings.remove(&gram);
            }
        }
        Ok((!postings.is_empty()).then(|| encode(&postings)))
    }

    /// Writes the changes in the transaction that writes the items.
    pub(super) fn tx_write(&self, tx: &[TransactionalTree]) -> TxResult<()> {
        let tree = &tx[IDX_ISSUE_WORDS];
        for (key, changes) in &self.changes {
            let old = tree.get(key)?;
            match Self::apply(key, old.as_deref(), changes) {
                Ok(Some(value)) => {
                    tree.insert(&key[..], value)?;
                }
                Ok(None) => {
                    if old.is_some() {
                        tree.remove(&key[..])?;
                    }
                }
                Err(e) => return abort(e),
            }
        }
        Ok(())
    }

    /// Writes the changes without a transaction (`Loading`, which fills an empty database).
    pub(super) fn write(&mut self, store: &Store) -> Result<(), StoreError> {
        let tree = &store.trees[IDX_ISSUE_WORDS];
        let mut batch = sled::Batch::default();
        for (key, changes) in std::mem::take(&mut self.changes) {
            let old = tree.get(key)?;
            match Self::apply(&key, old.as_deref(), &changes)? {
                Some(value) => batch.insert(&key[..], value),
                None => batch.remove(&key[..]),
            }
        }
        tree.apply_batch(batch)?;
        Ok(())
    }
}

/// The word index follows a change of an item's responses (an event added by a restore or
/// the journal's replay, outside `tx_put_issue`).
pub(super) fn tx_responses_changed(
    tx: &[TransactionalTree],
    issue: Id,
    old: &str,
    new: &str,
) -> TxResult<()> {
    if old == new {
        return Ok(());
    }
    let Some(issue) = tx_decode::<Issue>(tx, ISSUES, issue.as_bytes())? else {
        return Ok(());
    };
    let mut changes = WordChanges::default();
    let (had, has) = (item_grams(&issue, old), item_grams(&issue, new));
    changes.item(Some((issue.number, &had)), Some((issue.number, &has)));
    changes.tx_write(tx)
}

// ---- building and checking ---------------------------------------------------------------

impl Store {
    /// The values the index should hold for the items whose numbers fall in `chunk`, built
    /// from a walk over the items and their responses (damaged items are left to `check`).
    fn word_values_of_chunk(&self, chunk: u16) -> Result<BTreeMap<Key, Vec<u8>>, StoreError> {
        let mut by_key: BTreeMap<Key, Postings> = BTreeMap::new();
        self.each_issue_with_text(|entry| {
            if let Ok((issue, responses)) = entry {
                if (issue.number >> CHUNK_BITS) as u16 == chunk {
                    for gram in item_grams(&issue, &responses) {
                        by_key
                            .entry(key_of(gram, issue.number))
                            .or_default()
                            .entry(gram)
                            .or_default()
                            .push(issue.number);
                    }
                }
            }
            Ok(())
        })?;
        Ok(by_key
            .into_iter()
            .map(|(key, mut postings)| {
                for numbers in postings.values_mut() {
                    numbers.sort_unstable();
                }
                (key, encode(&postings))
            })
            .collect())
    }

    /// The chunks of item numbers the items and the index span (one pass each, so that a
    /// million items are not all held at once).
    fn word_chunks(&self) -> Result<std::collections::BTreeSet<u16>, StoreError> {
        let mut chunks = std::collections::BTreeSet::new();
        for entry in self.index_entries(IDX_ISSUE_NUMBER) {
            let (key, _) = entry?;
            if let Ok(bytes) = <[u8; 4]>::try_from(&key[..]) {
                chunks.insert((u32::from_be_bytes(bytes) >> CHUNK_BITS) as u16);
            }
        }
        for key in self.trees[IDX_ISSUE_WORDS].iter().keys() {
            chunks.extend(chunk_of_key(&key?));
        }
        Ok(chunks)
    }

    /// Builds the word index again from the items; the number of keys that changed.
    pub(super) fn rebuild_word_index(&self) -> Result<u64, StoreError> {
        let tree = &self.trees[IDX_ISSUE_WORDS];
        let mut changed = 0;
        for chunk in self.word_chunks()? {
            let mut wanted = self.word_values_of_chunk(chunk)?;
            let mut batch = sled::Batch::default();
            for entry in tree.iter() {
                let (key, value) = entry?;
                if chunk_of_key(&key).is_some_and(|c| c != chunk) {
                    continue;
                }
                match wanted.remove(&key[..]) {
                    Some(v) if v == value.as_ref() => {}
                    Some(v) => {
                        batch.insert(key, v);
                        changed += 1;
                    }
                    None => {
                        batch.remove(key);
                        changed += 1;
                    }
                }
            }
            for (key, value) in wanted {
                batch.insert(&key[..], value);
                changed += 1;
            }
            tree.apply_batch(batch)?;
        }
        Ok(changed)
    }

    /// Holds the word index each item's pairs, and nothing else? Each key that differs is a
    /// finding.
    pub(super) fn check_word_index(&self, report: &mut CheckReport) -> Result<(), StoreError> {
        let tree = &self.trees[IDX_ISSUE_WORDS];
        for chunk in self.word_chunks()? {
            let mut wanted = self.word_values_of_chunk(chunk)?;
            for entry in tree.iter() {
                let (key, value) = entry?;
                if chunk_of_key(&key).is_some_and(|c| c != chunk) {
                    continue;
                }
                match wanted.remove(&key[..]) {
                    Some(v) if v == value.as_ref() => {}
                    Some(_) if decode(&value).is_none() => {
                        report.problem(IDX_ISSUE_WORDS, &key, "damaged list of pairs")
                    }
                    Some(_) => report.problem(
                        IDX_ISSUE_WORDS,
                        &key,
                        "postings differ from the items' texts",
                    ),
                    None => report.problem(IDX_ISSUE_WORDS, &key, "postings of no item"),
                }
            }
            for key in wanted.keys() {
                report.problem(IDX_ISSUE_WORDS, key, "postings missing");
            }
        }
        Ok(())
    }

    // ---- questions -------------------------------------------------------------------

    /// The numbers of the items whose texts hold every pair of each of these lower-cased
    /// words: a superset of those holding the words. `None` when no word has two characters
    /// (the index bounds nothing).
    pub fn numbers_with_words(&self, words: &[&str]) -> Result<Option<Vec<u32>>, StoreError> {
        let mut grams: Vec<Gram> = words.iter().flat_map(|w| word_grams(w)).collect();
        grams.sort_unstable();
        grams.dedup();
        let mut found: Option<Vec<u32>> = None;
        for gram in grams {
            let mut numbers = Vec::new();
            for entry in self.trees[IDX_ISSUE_WORDS].scan_prefix(bucket_of(gram).to_be_bytes()) {
                let (key, value) = entry?;
                walk(&value, |g, each| {
                    if g == gram {
                        numbers.extend(each);
                    }
                })
                .ok_or_else(|| damaged(&key))?;
            }
            numbers.dedup();
            let narrowed = match found {
                None => numbers,
                Some(before) => {
                    let mut kept = before;
                    kept.retain(|n| numbers.binary_search(n).is_ok());
                    kept
                }
            };
            let done = narrowed.is_empty();
            found = Some(narrowed);
            if done {
                break;
            }
        }
        Ok(found)
    }

    /// `numbers_with_words` as item ids, in storage order.
    pub fn issue_ids_with_words(&self, words: &[&str]) -> Result<Option<Vec<Id>>, StoreError> {
        let Some(numbers) = self.numbers_with_words(words)? else {
            return Ok(None);
        };
        let mut ids = Vec::with_capacity(numbers.len());
        for &n in &numbers {
            ids.extend(self.issue_id_by_number(n)?);
        }
        // An item from another ledger keeps its number there, which may be one of ours: the
        // number index names ours, so theirs are looked at by their own number.
        for id in self.foreign_items()? {
            if let Some(item) = self.issue(id)? {
                if numbers.binary_search(&item.number).is_ok() {
                    ids.push(id);
                }
            }
        }
        Store::sort_in_storage_order(&mut ids);
        ids.dedup();
        Ok(Some(ids))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_of_chinese_and_latin_skip_spaces() {
        assert_eq!(word_grams("用地").len(), 1);
        assert_eq!(word_grams("用").len(), 0);
        assert_eq!(word_grams("road").len(), 3);
        let mut text = Vec::new();
        grams_of("ab cd", &mut text);
        assert_eq!(text.len(), 2);
    }

    #[test]
    fn values_round_trip_and_bad_bytes_are_refused() {
        let mut postings = Postings::new();
        postings.insert(7, vec![1, 5, 300_000]);
        postings.insert(1 << 40, vec![2]);
        assert_eq!(decode(&encode(&postings)), Some(postings));
        assert_eq!(decode(b"\x02junk"), None);
        assert_eq!(decode(&[FORMAT, 0x80]), None);
    }

    #[test]
    fn changes_add_and_remove_only_what_differs() {
        let mut changes = WordChanges::default();
        changes.item(None, Some((3, &[1, 2])));
        changes.item(Some((3, &[1, 2])), Some((3, &[2, 4])));
        let mut postings = Postings::new();
        for (key, list) in &changes.changes {
            if let Some(v) = WordChanges::apply(key, None, list).unwrap() {
                postings.extend(decode(&v).unwrap());
            }
        }
        assert_eq!(postings.get(&1), None);
        assert_eq!(postings.get(&2), Some(&vec![3]));
        assert_eq!(postings.get(&4), Some(&vec![3]));
    }

    #[test]
    fn two_items_with_one_number_keep_their_pairs_apart() {
        let key = key_of(9, 22);
        let both = WordChanges::apply(&key, None, &[(9, 22, true), (9, 22, true)]).unwrap();
        let one = WordChanges::apply(&key, both.as_deref(), &[(9, 22, false)]).unwrap();
        assert_eq!(decode(&one.unwrap()).unwrap().get(&9), Some(&vec![22]));
    }
}
