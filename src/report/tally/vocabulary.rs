//! Words (or tags) numbered, with each item's list of ids: by item index while building,
//! then in the order of `raised` followed by the odd items (`slot`), so a period reads its
//! items' words in a row. A list is kept sorted, each id as its distance from the one before
//! in 7-bit groups (LEB128): a byte or two an id instead of four (a million items' titles).

use std::collections::HashMap;

#[derive(Debug, Default)]
pub(super) struct Vocabulary {
    pub names: Vec<String>,
    /// While building: the id of each name.
    index: HashMap<String, u32>,
    /// Item `i`'s list is `bytes[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    bytes: Vec<u8>,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        Vocabulary {
            starts: vec![0],
            ..Vocabulary::default()
        }
    }

    pub fn id(&mut self, word: &str) -> u32 {
        if let Some(id) = self.index.get(word) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(word.to_string());
        self.index.insert(word.to_string(), id);
        id
    }

    /// The next item's ids (in any order; sorted here).
    pub fn push(&mut self, ids: &mut [u32]) {
        ids.sort_unstable();
        let mut last = 0;
        for id in ids.iter() {
            let mut gap = id - last;
            last = *id;
            while gap >= 0x80 {
                self.bytes.push((gap & 0x7f) as u8 | 0x80);
                gap >>= 7;
            }
            self.bytes.push(gap as u8);
        }
        self.starts.push(self.bytes.len() as u32);
    }

    fn range(&self, slot: usize) -> std::ops::Range<usize> {
        self.starts[slot] as usize..self.starts[slot + 1] as usize
    }

    /// The ids of the item in `slot`, smallest first.
    pub fn of(&self, slot: usize) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.bytes[self.range(slot)].iter();
        let mut last = 0u32;
        std::iter::from_fn(move || {
            let mut gap = 0u32;
            let mut shift = 0;
            loop {
                let b = *bytes.next()?;
                gap |= u32::from(b & 0x7f) << shift;
                shift += 7;
                if b < 0x80 {
                    break;
                }
            }
            last += gap;
            Some(last)
        })
    }

    /// The lists laid out again in `order` (of item indexes); building is over.
    pub fn reorder(&mut self, order: impl Iterator<Item = usize>) {
        let (mut starts, mut bytes) = (vec![0], Vec::with_capacity(self.bytes.len()));
        for item in order {
            bytes.extend_from_slice(&self.bytes[self.range(item)]);
            starts.push(bytes.len() as u32);
        }
        self.starts = starts;
        self.bytes = bytes;
        self.index = HashMap::new();
        self.names.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::Vocabulary;

    #[test]
    fn lists_come_back_sorted_whatever_their_ids() {
        let mut v = Vocabulary::new();
        let lists: [&[u32]; 5] = [&[5, 1, 300], &[], &[u32::MAX, 0, 0], &[128, 127], &[70000]];
        for list in lists {
            v.push(&mut list.to_vec());
        }
        v.reorder([4, 0, 1, 2, 3].into_iter());
        let read: Vec<Vec<u32>> = (0..5).map(|s| v.of(s).collect()).collect();
        assert_eq!(
            read,
            vec![
                vec![70000],
                vec![1, 5, 300],
                vec![],
                vec![0, 0, u32::MAX],
                vec![127, 128]
            ]
        );
    }
}
