//! Filling the table: items read at start, the second reader's share taken in, rows packed.

use super::*;

/// What a row cannot hold, kept aside by position (`Table::odd_raised`, `odd_days`).
pub(super) struct Odd {
    raised: Option<i32>,
    days: Option<(i32, i32)>,
}

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
    pub(super) fn pack(&mut self, issue: &IssueSummary) -> (Packed, Odd) {
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
        let (title_at, title_len, lowered) = self.push_title(title);
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
        let due = issue.due.map_or(NO_DUE, day_number);
        let closed = issue.closed.map_or(NO_DUE, |c| day_number(c.date_naive()));
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
            due: day_from(due, utc_day(created)),
            created,
            updated: minutes(&issue.updated),
            raised_after_created: raised_after_created.unwrap_or(ODD_RAISED),
            closed: day_from(closed, utc_day(created)),
            tags,
            title_at,
            title_len,
        };
        let odd = Odd {
            raised: raised_after_created.is_none().then_some(raised),
            days: (packed.due == ODD_DAY || packed.closed == ODD_DAY).then_some((due, closed)),
        };
        (packed, odd)
    }

    /// Puts the code of `title` and of its lower-cased copy, where that differs, at the end
    /// of `titles`: where it starts, the code's length, and whether the copy follows.
    fn push_title(&mut self, title: &str) -> (u32, u16, bool) {
        let title_at = self.titles.len();
        self.code.encode_into(title, &mut self.titles);
        let mut title = std::borrow::Cow::Borrowed(title);
        if self.cut_code(title_at) {
            title = self.code.decode(&self.titles[title_at..]).into();
        }
        let title_len = self.titles.len() - title_at;
        let lower = if lowercase_changes_nothing(&title) {
            String::new()
        } else {
            title.to_lowercase()
        };
        // Lower-casing that changes the length (rare letters) falls back to the title.
        let lowered = !(lower.is_empty() || *lower == *title || lower.len() != title.len());
        if lowered {
            self.code.encode_into(&lower, &mut self.titles);
        }
        self.settle_title(title_at, title_len, lowered, || title.into_owned())
    }

    /// With a title's code at `title_at` (`title_len` bytes) and, when `lowered`, its
    /// lower-cased copy's after it: where the two codes' lengths differ (a letter of one
    /// case met late), only the copy's stays in the buffer and `title` is kept aside.
    fn settle_title(
        &mut self,
        title_at: usize,
        title_len: usize,
        lowered: bool,
        title: impl FnOnce() -> String,
    ) -> (u32, u16, bool) {
        if lowered && self.titles.len() - title_at != 2 * title_len {
            self.titles.drain(title_at..title_at + title_len);
            self.cut_code(title_at);
            self.odd_titles.insert(title_at as u32, title());
            let len = self.titles.len() - title_at;
            return (title_at as u32, len as u16, false);
        }
        (title_at as u32, title_len as u16, lowered)
    }

    /// Cuts the code from `from` to the buffer's end to what a row's `title_len` holds, at
    /// a code's start (a title longer in code than in UTF-8): whether it was cut.
    fn cut_code(&mut self, from: usize) -> bool {
        if self.titles.len() - from <= u16::MAX as usize {
            return false;
        }
        let mut end = from + u16::MAX as usize;
        while (0x80..0xc0).contains(&self.titles[end]) {
            end -= 1;
        }
        self.titles.truncate(end);
        true
    }

    /// Adds an item read at start, its number not placed yet: `index_numbers` places all
    /// of them at once when the reading is done (one look-up per item into `by_number`
    /// while decoding was a cache miss each, a tenth of the start at a million items).
    pub fn push_read(&mut self, issue: &IssueSummary) {
        let (packed, odd) = self.pack(issue);
        self.set_odd(self.rows.len(), odd);
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

    /// Keeps aside what the row at `position` cannot hold, and forgets what it held aside.
    pub(super) fn set_odd(&mut self, position: usize, odd: Odd) {
        let at = position as u32;
        match odd.raised {
            Some(day) => _ = self.odd_raised.insert(at, day),
            None if self.odd_raised.is_empty() => {}
            None => _ = self.odd_raised.remove(&at),
        }
        match odd.days {
            Some(days) => _ = self.odd_days.insert(at, days),
            None if self.odd_days.is_empty() => {}
            None => _ = self.odd_days.remove(&at),
        }
    }

    /// Takes in the items of a table read apart (by another thread), as `upsert` of each
    /// of them would when the two hold different items (shares of one walk): names are
    /// interned again, titles copied into this table's buffers, numbers placed again.
    pub fn append(&mut self, other: &Table) {
        let numbers = self.by_number.len().max(other.by_number.len());
        self.reserve(self.rows.len() + other.rows.len(), numbers);
        self.titles
            .reserve(other.titles.len() + other.titles.len() / 8);
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
        // Their titles' codes are put in this table's code number by number.
        let numbers = self.code.numbers_of(&other.code);
        for (position, p) in other.rows.iter().enumerate() {
            let title_at = self.titles.len();
            let code_of =
                |at: u32| &other.titles[at as usize..(at + u32::from(p.title_len)) as usize];
            TitleCode::transcode_into(&numbers, code_of(p.title_at), &mut self.titles);
            self.cut_code(title_at);
            let title_len = self.titles.len() - title_at;
            if !other.odd_titles.is_empty() {
                if let Some(title) = other.odd_titles.get(&p.title_at) {
                    self.odd_titles.insert(title_at as u32, title.clone());
                }
            }
            let lowered = p.flags.lowered();
            if lowered {
                TitleCode::transcode_into(&numbers, code_of(p.lowered_at()), &mut self.titles);
            }
            let (title_at, title_len, lowered) =
                self.settle_title(title_at, title_len, lowered, || other.title_of(p));
            let packed = Packed {
                firm: firms[p.firm as usize],
                department: again(&departments, p.department),
                category: again(&categories, p.category),
                owner: owners[p.owner as usize],
                tags: again(&tag_sets, p.tags),
                title_at,
                title_len,
                flags: p.flags.with_lowered(lowered),
                ..*p
            };
            let odd = Odd {
                raised: (p.raised_after_created == ODD_RAISED).then(|| other.raised(position, p)),
                days: (p.due == ODD_DAY || p.closed == ODD_DAY)
                    .then(|| (other.due(position, p), other.closed(position, p))),
            };
            self.set_odd(self.rows.len(), odd);
            self.rows.push(packed);
            self.ids.push(other.ids[position]);
        }
        self.index_numbers();
    }
}
