//! Filling the table: items read at start, the second reader's share taken in, rows packed.

use super::*;

impl Table {
    /// Room for `items` items numbered below `numbers`, so that loading a large ledger does
    /// not grow its vectors by doubling (for a moment holding both copies: 110 MB instead of
    /// 60 at a million items). Titles get room as long on average as those read so far, and
    /// a tenth more; call again once some are in.
    pub fn reserve(&mut self, items: usize, numbers: usize) {
        let more = items.saturating_sub(self.rows.len());
        self.ids.reserve_exact(more);
        self.rows.reserve_exact(more);
        if self.by_number.len() < numbers {
            self.by_number.reserve_exact(numbers - self.by_number.len());
        }
        if !self.rows.is_empty() {
            let per_item = self.titles.len() / self.rows.len() + 1;
            let wanted = more * per_item * 11 / 10;
            self.titles
                .reserve_exact(wanted.saturating_sub(self.titles.capacity() - self.titles.len()));
        }
    }

    /// Gives back the room reserved beyond what the items read took.
    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.titles.shrink_to_fit();
        self.by_number.shrink_to_fit();
    }

    /// The row of `issue`, and its day raised when the row cannot hold it (`ODD_RAISED`).
    pub(super) fn pack(&mut self, issue: &IssueSummary) -> (Packed, Option<i32>) {
        // Titles are bounded by the model's field rules; a longer one (an old record) is cut
        // for the list at a character boundary.
        let mut title = issue.title;
        if title.len() > u16::MAX as usize {
            let mut end = u16::MAX as usize;
            while !title.is_char_boundary(end) {
                end -= 1;
            }
            title = &title[..end];
        }
        let title_at = self.titles.len() as u32;
        self.titles.push_str(title);
        let lower = if lowercase_changes_nothing(title) {
            String::new()
        } else {
            title.to_lowercase()
        };
        // Lower-casing that changes the length (rare letters) falls back to the title.
        let lowered = !(lower.is_empty() || lower == title || lower.len() != title.len());
        if lowered {
            self.titles.push_str(&lower);
        }
        let intern_opt = |interner: &mut Interner<Id>, id: Option<Id>| {
            id.map(|id| (interner.intern(&id) + 1).min(u16::MAX as u32) as u16)
                .unwrap_or(0)
        };
        let department = intern_opt(&mut self.departments, issue.department);
        let category = intern_opt(&mut self.categories, issue.category);
        let tags = if issue.tags.is_empty() {
            0
        } else {
            let tags: Vec<String> = issue.tags.iter().map(|t| t.to_string()).collect();
            (self.tag_sets.intern(&tags) + 1).min(u16::MAX as u32) as u16
        };
        let created = minutes(&issue.created);
        let raised = day_number(issue.created.date_naive());
        let raised_after_created = i8::try_from(i64::from(raised) - i64::from(utc_day(created)))
            .ok()
            .filter(|d| *d != ODD_RAISED);
        let packed = Packed {
            number: issue.number,
            firm: self.firms.intern(&issue.firm),
            department,
            category,
            owner: self.owners.intern(issue.owner).min(u16::MAX as u32) as u16,
            flags: Flags::new(
                issue.status,
                issue.priority,
                issue.visit.is_some(),
                issue.awaiting_call(),
                lowered,
            ),
            due: issue.due.map(day_number).unwrap_or(NO_DUE),
            created,
            updated: minutes(&issue.updated),
            raised_after_created: raised_after_created.unwrap_or(ODD_RAISED),
            closed: issue.closed.map_or(NO_DUE, |c| day_number(c.date_naive())),
            tags,
            title_at,
            title_len: title.len() as u16,
        };
        (packed, raised_after_created.is_none().then_some(raised))
    }

    /// Adds an item read at start, its number not placed yet: `index_numbers` places all
    /// of them at once when the reading is done (one look-up per item into `by_number`
    /// while decoding was a cache miss each, a tenth of the start at a million items).
    pub fn push_read(&mut self, issue: &IssueSummary) {
        let (packed, odd_raised) = self.pack(issue);
        self.set_odd_raised(self.rows.len(), odd_raised);
        self.rows.push(packed);
        self.ids.push(issue.id);
    }

    /// Places every item's number, in position order, as `put` of each would: the first
    /// item with a number holds it, the others are found by id.
    pub fn index_numbers(&mut self) {
        let top = self.rows.iter().map(|p| p.number as usize + 1).max();
        self.by_number.clear();
        self.by_number.resize(top.unwrap_or(0), 0);
        self.others.clear();
        for (position, p) in self.rows.iter().enumerate() {
            let slot = &mut self.by_number[p.number as usize];
            if *slot == 0 {
                *slot = position as u32 + 1;
            } else {
                self.others.insert(self.ids[position], position as u32);
            }
        }
    }

    pub(super) fn set_odd_raised(&mut self, position: usize, raised: Option<i32>) {
        match raised {
            Some(day) => self.odd_raised.insert(position as u32, day),
            None if self.odd_raised.is_empty() => None,
            None => self.odd_raised.remove(&(position as u32)),
        };
    }

    /// Takes in the items of a table read apart (by another thread), as `upsert` of each
    /// of them would when the two hold different items (shares of one walk): names are
    /// interned again, titles copied into this table's buffers, numbers placed again.
    pub fn append(&mut self, other: &Table) {
        let numbers = self.by_number.len().max(other.by_number.len());
        self.reserve(self.rows.len() + other.rows.len(), numbers);
        self.titles.reserve(other.titles.len());
        // Each of their names interned here once, in the order their rows first use them
        // (the order of their interner), as interning row by row would: a look-up per name
        // rather than four per row.
        let firms: Vec<u32> = other
            .firms
            .values
            .iter()
            .map(|f| self.firms.intern(f))
            .collect();
        let plus_one = |p: u32| (p + 1).min(u16::MAX as u32) as u16;
        let departments: Vec<u16> = other
            .departments
            .values
            .iter()
            .map(|d| plus_one(self.departments.intern(d)))
            .collect();
        let categories: Vec<u16> = other
            .categories
            .values
            .iter()
            .map(|c| plus_one(self.categories.intern(c)))
            .collect();
        let owners: Vec<u16> = other
            .owners
            .values
            .iter()
            .map(|o| self.owners.intern(o.as_str()).min(u16::MAX as u32) as u16)
            .collect();
        let tag_sets: Vec<u16> = other
            .tag_sets
            .values
            .iter()
            .map(|t| plus_one(self.tag_sets.intern(t)))
            .collect();
        let again = |mine: &[u16], stored: u16| match stored {
            0 => 0,
            n => mine[n as usize - 1],
        };
        for (position, p) in other.rows.iter().enumerate() {
            let title_at = self.titles.len() as u32;
            // The title and the lower-cased copy after it, when there is one.
            let end = p.lowered_at() as usize + p.title_len as usize;
            self.titles
                .push_str(&other.titles[p.title_at as usize..end]);
            let packed = Packed {
                firm: firms[p.firm as usize],
                department: again(&departments, p.department),
                category: again(&categories, p.category),
                owner: owners[p.owner as usize],
                tags: again(&tag_sets, p.tags),
                title_at,
                ..*p
            };
            if p.raised_after_created == ODD_RAISED {
                self.set_odd_raised(self.rows.len(), Some(other.raised(position, p)));
            }
            self.rows.push(packed);
            self.ids.push(other.ids[position]);
        }
        self.index_numbers();
    }
}
