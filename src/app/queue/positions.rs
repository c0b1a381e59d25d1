//! A list of table positions kept in chunks. The queue's list shown and its kept sort orders
//! hold up to a million positions; a changed item is taken out and put back on every triage
//! key, and in one flat vector that moved megabytes each time. Here it moves at most a chunk
//! (a few kilobytes) and the short list of chunks: the cost no longer grows with the ledger.

use std::ops::Range;

/// Positions per chunk when a list is made; a chunk grown to twice this is split in two.
const CHUNK: usize = 2048;

#[derive(Clone, Default)]
pub struct Positions {
    /// Never an empty chunk.
    chunks: Vec<Vec<u32>>,
    len: usize,
}

impl Positions {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk holding `index` and the index within it.
    fn chunk_of(&self, mut index: usize) -> Option<(usize, usize)> {
        if index >= self.len {
            return None;
        }
        // Walking a few hundred chunk lengths is cheaper than keeping their running sums
        // up to date on every insert.
        for (c, chunk) in self.chunks.iter().enumerate() {
            if index < chunk.len() {
                return Some((c, index));
            }
            index -= chunk.len();
        }
        None
    }

    /// The index of a chunk's first element.
    fn start_of(&self, chunk: usize) -> usize {
        self.chunks[..chunk].iter().map(Vec::len).sum()
    }

    pub fn get(&self, index: usize) -> Option<u32> {
        self.chunk_of(index).map(|(c, i)| self.chunks[c][i])
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = u32> + '_ {
        self.chunks.iter().flatten().copied()
    }

    /// The positions at `range` of the list (cut to its length).
    pub fn range(&self, range: Range<usize>) -> impl Iterator<Item = u32> + '_ {
        let take = range.end.min(self.len).saturating_sub(range.start);
        let (chunk, within) = self.chunk_of(range.start).unwrap_or((self.chunks.len(), 0));
        self.chunks[chunk..]
            .iter()
            .flatten()
            .skip(within)
            .take(take)
            .copied()
    }

    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }

    /// Where `before` stops holding, as a chunk and an index within it, for a list ordered
    /// so that `before` holds for a first part of it and not after (as `partition_point`).
    fn locate(&self, before: impl Fn(u32) -> bool) -> (usize, usize) {
        // The first chunk whose last position is not before: the place is in it.
        let chunk = self
            .chunks
            .partition_point(|c| c.last().is_some_and(|p| before(*p)));
        match self.chunks.get(chunk) {
            Some(c) => (chunk, c.partition_point(|p| before(*p))),
            None => (chunk, 0),
        }
    }

    /// The index where `before` stops holding (see `slice::partition_point`).
    pub fn partition_point(&self, before: impl Fn(u32) -> bool) -> usize {
        let (chunk, within) = self.locate(before);
        self.start_of(chunk) + within
    }

    /// Puts `position` where `before` stops holding, keeping the list in its order.
    pub fn insert_sorted(&mut self, position: u32, before: impl Fn(u32) -> bool) {
        let (mut chunk, mut within) = self.locate(before);
        if chunk == self.chunks.len() {
            match self.chunks.last() {
                // At the very end: the last chunk takes it.
                Some(last) => {
                    chunk -= 1;
                    within = last.len();
                }
                None => self.chunks.push(Vec::new()),
            }
        }
        self.chunks[chunk].insert(within, position);
        self.len += 1;
        if self.chunks[chunk].len() >= 2 * CHUNK {
            let rest = self.chunks[chunk].split_off(CHUNK);
            self.chunks[chunk].shrink_to(CHUNK * 2);
            self.chunks.insert(chunk + 1, rest);
        }
    }

    /// Takes `position` out, found where `before` stops holding or, failing that (a list
    /// not in the order `before` assumes), by a walk. Returns whether it was there.
    pub fn remove(&mut self, position: u32, before: impl Fn(u32) -> bool) -> bool {
        let (chunk, within) = self.locate(before);
        let found = match self.chunks.get(chunk) {
            Some(c) if c.get(within) == Some(&position) => Some((chunk, within)),
            _ => self
                .chunks
                .iter()
                .enumerate()
                .find_map(|(c, list)| list.iter().position(|p| *p == position).map(|i| (c, i))),
        };
        let Some((chunk, within)) = found else {
            return false;
        };
        self.chunks[chunk].remove(within);
        self.len -= 1;
        if self.chunks[chunk].is_empty() {
            self.chunks.remove(chunk);
        }
        true
    }

    /// The index of `position`, found where `before` stops holding or else by a walk.
    pub fn index_of(&self, position: u32, before: impl Fn(u32) -> bool) -> Option<usize> {
        let (chunk, within) = self.locate(before);
        if self.chunks.get(chunk).and_then(|c| c.get(within)) == Some(&position) {
            return Some(self.start_of(chunk) + within);
        }
        self.iter().position(|p| p == position)
    }
}

impl Positions {
    /// The chunks in two halves, to be walked on two threads.
    pub fn halves(&self) -> (&[Vec<u32>], &[Vec<u32>]) {
        self.chunks.split_at(self.chunks.len() / 2)
    }

    /// The positions of `chunks` (a part of a list, see `halves`) for which `keep` holds, in
    /// their order. Each is written and counted only when kept: keeping about half of a
    /// million cost as much again in mispredicted branches.
    pub fn keeping(chunks: &[Vec<u32>], keep: impl Fn(u32) -> bool) -> Positions {
        let mut list = Positions::default();
        let mut chunk = vec![0; CHUNK + 1];
        let mut n = 0;
        for p in chunks.iter().flatten() {
            chunk[n] = *p;
            n += usize::from(keep(*p));
            if n == CHUNK {
                let mut full = std::mem::replace(&mut chunk, vec![0; CHUNK + 1]);
                full.truncate(CHUNK);
                list.len += CHUNK;
                list.chunks.push(full);
                n = 0;
            }
        }
        if n > 0 {
            chunk.truncate(n);
            chunk.shrink_to_fit();
            list.len += n;
            list.chunks.push(chunk);
        }
        list
    }

    /// Puts `other` after this list.
    pub fn append(&mut self, other: Positions) {
        self.len += other.len;
        self.chunks.extend(other.chunks);
    }
}

impl FromIterator<u32> for Positions {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Positions {
        let mut list = Positions::default();
        let mut chunk = Vec::with_capacity(CHUNK);
        for p in iter {
            chunk.push(p);
            if chunk.len() == CHUNK {
                list.len += CHUNK;
                list.chunks
                    .push(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
            }
        }
        if !chunk.is_empty() {
            list.len += chunk.len();
            chunk.shrink_to_fit();
            list.chunks.push(chunk);
        }
        list
    }
}

impl From<Vec<u32>> for Positions {
    fn from(list: Vec<u32>) -> Positions {
        list.into_iter().collect()
    }
}

impl PartialEq for Positions {
    fn eq(&self, other: &Positions) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for Positions {}

impl std::fmt::Debug for Positions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Inserting and removing by key keeps the same list a sorted vector would be,
        /// across chunk splits and emptied chunks.
        #[test]
        fn behaves_as_a_sorted_vector(
            start in proptest::collection::vec(0u32..50_000, 0..9_000),
            steps in proptest::collection::vec((any::<bool>(), 0u32..50_000), 0..400),
        ) {
            let mut flat: Vec<u32> = start;
            flat.sort_unstable();
            flat.dedup();
            let mut list: Positions = flat.clone().into();
            for (insert, value) in steps {
                if insert {
                    if flat.binary_search(&value).is_err() {
                        let at = flat.partition_point(|p| *p < value);
                        flat.insert(at, value);
                        list.insert_sorted(value, |p| p < value);
                    }
                } else if let Some(&value) = flat.get(value as usize % flat.len().max(1)) {
                    flat.retain(|p| *p != value);
                    prop_assert!(list.remove(value, |p| p < value));
                }
                prop_assert_eq!(list.len(), flat.len());
            }
            prop_assert_eq!(list.to_vec(), flat.clone());
            for (i, value) in flat.iter().enumerate().step_by(97) {
                prop_assert_eq!(list.get(i), Some(*value));
                prop_assert_eq!(list.index_of(*value, |p| p < *value), Some(i));
                prop_assert_eq!(list.partition_point(|p| p < *value), i);
                prop_assert_eq!(
                    list.range(i..i + 5).collect::<Vec<_>>(),
                    flat[i..(i + 5).min(flat.len())].to_vec()
                );
            }
            prop_assert_eq!(list.get(flat.len()), None);
        }
    }

    #[test]
    fn a_list_out_of_order_is_searched_by_a_walk() {
        let mut list: Positions = vec![5, 1, 9, 3].into();
        assert_eq!(list.index_of(9, |p| p < 9), Some(2));
        assert!(list.remove(9, |p| p < 9));
        assert!(!list.remove(9, |_| false));
        assert_eq!(list.to_vec(), vec![5, 1, 3]);
    }
}
