//! The items' titles, for the brief's list of overdue items: kept in blocks of `BLOCK`
//! titles, each block lz4-packed (titles of one zone repeat their words: 28 MB of titles at
//! a million items take a fraction of that). A title is unpacked with its block when a
//! brief is written.

/// Titles a block.
const BLOCK: usize = 128;

#[derive(Debug, Default)]
pub(super) struct Titles {
    /// The packed blocks end to end, block `b` at `packed[starts[b]..starts[b + 1]]`.
    packed: Vec<u8>,
    starts: Vec<u32>,
    /// Where item `i`'s title ends in its block's text.
    ends: Vec<u32>,
    /// The block being filled.
    open: String,
}

impl Titles {
    pub fn new(items: usize) -> Titles {
        Titles {
            starts: vec![0],
            ends: Vec::with_capacity(items),
            ..Titles::default()
        }
    }

    pub fn push(&mut self, title: &str) {
        self.open.push_str(title);
        self.ends.push(self.open.len() as u32);
        if self.ends.len().is_multiple_of(BLOCK) {
            self.pack();
        }
    }

    fn pack(&mut self) {
        self.packed
            .extend_from_slice(&lz4_flex::compress_prepend_size(self.open.as_bytes()));
        self.starts.push(self.packed.len() as u32);
        self.open.clear();
    }

    /// Every title given: the last block packed, the lists cut to size.
    pub fn finish(&mut self) {
        if !self.open.is_empty() || !self.ends.len().is_multiple_of(BLOCK) {
            self.pack();
        }
        self.open = String::new();
        self.packed.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Item `index`'s title (after `finish`).
    pub fn get(&self, index: usize) -> String {
        let block = index / BLOCK;
        let packed = &self.packed[self.starts[block] as usize..self.starts[block + 1] as usize];
        // Packed here from valid text; anything else would be a bug, shown as an empty title.
        let plain = lz4_flex::decompress_size_prepended(packed).unwrap_or_default();
        let start = if index.is_multiple_of(BLOCK) {
            0
        } else {
            self.ends[index - 1] as usize
        };
        let end = self.ends[index] as usize;
        plain
            .get(start..end)
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::{Titles, BLOCK};

    #[test]
    fn each_title_comes_back_across_blocks() {
        for count in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 5] {
            let mut titles = Titles::new(count);
            let all: Vec<String> = (0..count)
                .map(|i| match i % 3 {
                    0 => format!("关于新增用地指标的申请 {i}"),
                    1 => String::new(),
                    _ => format!("road {i} 用电增容"),
                })
                .collect();
            for t in &all {
                titles.push(t);
            }
            titles.finish();
            let back: Vec<String> = (0..count).map(|i| titles.get(i)).collect();
            assert_eq!(back, all, "{count} titles");
        }
    }
}
