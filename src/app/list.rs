/// A selection in a list of `len` rows, of which `height` are in view from `offset`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
    pub len: usize,
    pub height: usize,
}

impl Cursor {
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.selected = self.selected.min(len.saturating_sub(1));
        self.follow();
    }

    pub fn set_height(&mut self, height: usize) {
        self.height = height.max(1);
        self.follow();
    }

    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.len.saturating_sub(1));
        self.follow();
    }

    pub fn move_by(&mut self, delta: isize) {
        let target = self.selected as isize + delta;
        self.select(target.max(0) as usize);
    }

    pub fn page(&self) -> isize {
        self.height.max(1) as isize
    }

    /// Scrolls just enough to keep the selection in view, and never past the end.
    fn follow(&mut self) {
        let height = self.height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(self.len.saturating_sub(height));
    }

    pub fn visible_range(&self) -> std::ops::Range<usize> {
        let end = (self.offset + self.height.max(1)).min(self.len);
        self.offset.min(end)..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_stays_in_view_and_in_range() {
        let mut c = Cursor::default();
        c.set_height(10);
        c.set_len(100);
        c.move_by(15);
        assert_eq!((c.selected, c.offset), (15, 6));
        c.move_by(-100);
        assert_eq!((c.selected, c.offset), (0, 0));
        c.select(1000);
        assert_eq!((c.selected, c.offset), (99, 90));
        assert_eq!(c.visible_range(), 90..100);
        c.set_len(5);
        assert_eq!((c.selected, c.offset), (4, 0));
        c.set_len(0);
        assert_eq!(c.visible_range(), 0..0);
    }
}
